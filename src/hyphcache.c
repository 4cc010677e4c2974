/* hyphcache: compiled hyphenation patterns kept between runs (see hyphcache.h).
 *
 * The payload kept in the cache (cache.h): the number of levels (the dictionary
 * and its nextlevel chain), then per level its options, its nohyphen list, its character
 * set and its states: match, repl, replindex, replcut, fallback state and transitions.
 * Integers are little-endian; a string is a 32-bit length (0xFFFFFFFF: none) and its
 * bytes. */
#include "hyphcache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"

#define MAX_LEVELS 4 /* libhyphen makes two */
#define NO_STRING 0xFFFFFFFFu

static void put_str(rp_bytes *o, const char *s)
{
    if (!s) {
        rp_bytes_u32(o, NO_STRING);
        return;
    }
    size_t n = strlen(s);
    rp_bytes_u32(o, (uint32_t)n);
    rp_bytes_put(o, s, n);
}

static int get_int(rp_reader *r)
{
    return (int)(int32_t)rp_read_u32(r);
}

/* ---- dictionaries ---------------------------------------------------------------------- */

/* libhyphen keeps a nohyphen list as its nohyphenl + 1 items, each ended by a NUL. */
static size_t nohyphen_size(const HyphenDict *d)
{
    size_t n = 0;
    for (int i = 0; d->nohyphen && i <= d->nohyphenl; i++)
        n += strlen(d->nohyphen + n) + 1;
    return n;
}

static void put_dict(rp_bytes *o, const HyphenDict *d)
{
    size_t chars = 0, trans = 0;
    for (int i = 0; i < d->num_states; i++) {
        const HyphenState *s = &d->states[i];
        chars += (s->match ? strlen(s->match) + 1 : 0) + (s->repl ? strlen(s->repl) + 1 : 0);
        trans += (size_t)s->num_trans;
    }
    rp_bytes_byte(o, d->lhmin);
    rp_bytes_byte(o, d->rhmin);
    rp_bytes_byte(o, d->clhmin);
    rp_bytes_byte(o, d->crhmin);
    rp_bytes_u32(o, (uint32_t)d->nohyphenl);
    rp_bytes_u32(o, d->nohyphen ? (uint32_t)nohyphen_size(d) : NO_STRING);
    if (d->nohyphen)
        rp_bytes_put(o, d->nohyphen, nohyphen_size(d));
    rp_bytes_put(o, d->cset, MAX_NAME);
    rp_bytes_u32(o, (uint32_t)d->utf8);
    rp_bytes_u32(o, (uint32_t)d->num_states);
    rp_bytes_u32(o, (uint32_t)chars);
    rp_bytes_u32(o, (uint32_t)trans);
    for (int i = 0; i < d->num_states; i++) {
        const HyphenState *s = &d->states[i];
        put_str(o, s->match);
        put_str(o, s->repl);
        rp_bytes_byte(o, s->replindex);
        rp_bytes_byte(o, s->replcut);
        rp_bytes_u32(o, (uint32_t)s->fallback_state);
        rp_bytes_u32(o, (uint32_t)s->num_trans);
        for (int k = 0; k < s->num_trans; k++) {
            rp_bytes_byte(o, s->trans[k].ch);
            rp_bytes_u32(o, (uint32_t)s->trans[k].new_state);
        }
    }
}

/* Whether following fallback states from any state ends (at -1), as libhyphen's matcher
 * assumes: a cycle would never end. mark: room for d->num_states bytes. */
static int fallbacks_end(const HyphenDict *d, unsigned char *mark)
{
    enum { NEW, WALKING, DONE };
    memset(mark, NEW, (size_t)d->num_states);
    for (int i = 0; i < d->num_states; i++) {
        int j = i;
        while (j >= 0 && mark[j] == NEW) {
            mark[j] = WALKING;
            j = d->states[j].fallback_state;
        }
        if (j >= 0 && mark[j] == WALKING)
            return 0;
        for (j = i; j >= 0 && mark[j] == WALKING; j = d->states[j].fallback_state)
            mark[j] = DONE;
    }
    return 1;
}

/* Room carved from one allocation; NULL when it would overrun. */
typedef struct pool {
    char *at, *end;
} pool;

static char *carve(pool *p, size_t n)
{
    if (n > (size_t)(p->end - p->at))
        return NULL;
    char *q = p->at;
    p->at += n;
    return q;
}

/* A string of the payload copied into the pool as a C string, or NULL (none, or r->bad).
 * No NUL may be inside. */
static char *get_str(rp_reader *r, pool *chars)
{
    uint32_t n = rp_read_u32(r);
    if (r->bad || n == NO_STRING)
        return NULL;
    const unsigned char *b = rp_read_take(r, n);
    char *s = b && !memchr(b, '\0', n) ? carve(chars, (size_t)n + 1) : NULL;
    if (!s) {
        r->bad = 1;
        return NULL;
    }
    memcpy(s, b, n);
    s[n] = '\0';
    return s;
}

/* Align n up for whatever follows in a block. */
static size_t aligned(size_t n)
{
    const size_t a = sizeof(void *) > sizeof(int) ? sizeof(void *) : sizeof(int);
    return (n + a - 1) / a * a;
}

/* One level read back into a single allocation (the dictionary, its states, their
 * transitions and strings) and checked: every state number in range, replacement
 * indices within their match (libhyphen writes through them), fallbacks ending, the
 * nohyphen list holding as many items as libhyphen will read. NULL if bad. */
static HyphenDict *get_dict(rp_reader *r)
{
    char mins[4];
    for (int i = 0; i < 4; i++)
        mins[i] = (char)rp_read_byte(r);
    int items = get_int(r);
    uint32_t nh = rp_read_u32(r);
    const unsigned char *nhb = nh == NO_STRING ? NULL : rp_read_take(r, nh);
    const unsigned char *cset = rp_read_take(r, MAX_NAME);
    int utf8 = get_int(r), n = get_int(r);
    uint32_t nchars = rp_read_u32(r), ntrans = rp_read_u32(r);
    size_t left = r->n - r->at, nuls = 0;
    for (uint32_t i = 0; nhb && i < nh; i++)
        nuls += nhb[i] == 0;
    /* a state takes at least 18 bytes of the file, a transition 5 */
    if (r->bad || n < 1 || (size_t)n > left / 18 || ntrans > left / 5 || nchars > left ||
        items < 0 ||
        (nhb ? nh == 0 || nhb[nh - 1] != 0 || nuls != (size_t)items + 1 : items != 0)) {
        r->bad = 1;
        return NULL;
    }
    size_t head = aligned(sizeof(HyphenDict)) + aligned((size_t)n * sizeof(HyphenState));
    size_t size = head + aligned((size_t)ntrans * sizeof(HyphenTrans)) + nchars + (nhb ? nh : 0);
    char *block = calloc(1, size);
    if (!block) {
        r->bad = 1;
        return NULL;
    }
    HyphenDict *d = (HyphenDict *)(void *)block;
    d->lhmin = mins[0], d->rhmin = mins[1], d->clhmin = mins[2], d->crhmin = mins[3];
    d->nohyphenl = items;
    memcpy(d->cset, cset, MAX_NAME);
    d->utf8 = utf8;
    d->num_states = n;
    d->states = (HyphenState *)(void *)(block + aligned(sizeof(HyphenDict)));
    HyphenTrans *trans = (HyphenTrans *)(void *)(block + head);
    pool chars = {block + head + aligned((size_t)ntrans * sizeof(HyphenTrans)), block + size};
    if (nhb) {
        d->nohyphen = carve(&chars, nh);
        memcpy(d->nohyphen, nhb, nh);
    }
    size_t used = 0; /* transitions */
    for (int i = 0; i < n && !r->bad; i++) {
        HyphenState *s = &d->states[i];
        s->match = get_str(r, &chars);
        s->repl = get_str(r, &chars);
        s->replindex = (signed char)rp_read_byte(r);
        s->replcut = (signed char)rp_read_byte(r);
        s->fallback_state = get_int(r);
        s->num_trans = get_int(r);
        size_t mlen = s->match ? strlen(s->match) : 0;
        if (s->fallback_state < -1 || s->fallback_state >= n || s->num_trans < 0 ||
            (size_t)s->num_trans > ntrans - used ||
            (s->repl && (!s->match || s->replindex < 0 || (size_t)s->replindex > mlen ||
                         s->replcut < 0 || (size_t)s->replcut > mlen))) {
            r->bad = 1;
            break;
        }
        s->trans = s->num_trans ? trans + used : NULL;
        used += (size_t)s->num_trans;
        for (int k = 0; k < s->num_trans && !r->bad; k++) {
            s->trans[k].ch = (char)rp_read_byte(r);
            s->trans[k].new_state = get_int(r);
            if (s->trans[k].new_state < 0 || s->trans[k].new_state >= n)
                r->bad = 1;
        }
    }
    unsigned char *mark = r->bad ? NULL : malloc((size_t)n);
    if (!mark || !fallbacks_end(d, mark)) {
        free(mark);
        free(block);
        r->bad = 1;
        return NULL;
    }
    free(mark);
    return d;
}

void rp_hyphcache_free(HyphenDict *d)
{
    while (d) {
        HyphenDict *next = d->nextlevel;
        free(d); /* the level's one allocation */
        d = next;
    }
}

/* ---- load and store -------------------------------------------------------------------- */

HyphenDict *rp_hyphcache_load(const char *path)
{
    size_t len = 0;
    unsigned char *data = rp_cache_load("hyph", path, &len);
    if (!data)
        return NULL;
    HyphenDict *top = NULL, **link = &top;
    rp_reader r = {data, len, 0, 0};
    int levels = rp_read_byte(&r);
    for (int i = 0; i < levels && levels <= MAX_LEVELS && !r.bad; i++) {
        *link = get_dict(&r);
        if (*link)
            link = &(*link)->nextlevel;
    }
    if (r.bad || levels < 1 || levels > MAX_LEVELS || r.at != r.n) {
        rp_hyphcache_free(top);
        top = NULL;
    }
    free(data);
    return top;
}

void rp_hyphcache_store(const char *path, const HyphenDict *d)
{
    rp_bytes body = {0};
    int levels = 0;
    for (const HyphenDict *l = d; l; l = l->nextlevel)
        levels++;
    if (levels < 1 || levels > MAX_LEVELS)
        return;
    rp_bytes_byte(&body, levels);
    for (const HyphenDict *l = d; l; l = l->nextlevel)
        put_dict(&body, l);
    if (!body.bad)
        rp_cache_store("hyph", path, body.p, body.n);
    free(body.p);
}
