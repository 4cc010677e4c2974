/* hyphcache: compiled hyphenation patterns kept between runs (see hyphcache.h).
 *
 * A cache file is a header and a payload. Header: MAGIC; the pattern file's size,
 * modification time (seconds, nanoseconds), inode and device; its path (length, bytes);
 * the payload's length and FNV-1a checksum. Payload: the number of levels (the dictionary
 * and its nextlevel chain), then per level its options, its nohyphen list, its character
 * set and its states: match, repl, replindex, replcut, fallback state and transitions.
 * Integers are little-endian; a string is a 32-bit length (0xFFFFFFFF: none) and its
 * bytes. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "hyphcache.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "rolepress hyphenation cache 1\n"
#define MAX_LEVELS 4         /* libhyphen makes two */
#define MAX_FILE (64u << 20) /* bytes; English compiles to about 300 KB */
#define NO_STRING 0xFFFFFFFFu

/* ---- bytes out ------------------------------------------------------------------------- */

typedef struct out {
    unsigned char *p;
    size_t n, cap;
    int bad; /* out of memory */
} out;

static void put(out *o, const void *src, size_t n)
{
    if (o->bad)
        return;
    if (o->n + n > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 65536;
        while (cap < o->n + n)
            cap *= 2;
        unsigned char *p = realloc(o->p, cap);
        if (!p) {
            o->bad = 1;
            return;
        }
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->n, src, n);
    o->n += n;
}

static void put_u64(out *o, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    put(o, b, 8);
}

static void put_u32(out *o, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    put(o, b, 4);
}

static void put_byte(out *o, int v)
{
    unsigned char b = (unsigned char)v;
    put(o, &b, 1);
}

static void put_str(out *o, const char *s)
{
    if (!s) {
        put_u32(o, NO_STRING);
        return;
    }
    size_t n = strlen(s);
    put_u32(o, (uint32_t)n);
    put(o, s, n);
}

/* ---- bytes in -------------------------------------------------------------------------- */

typedef struct in {
    const unsigned char *p;
    size_t n, at;
    int bad; /* truncated or out of range */
} in;

static const unsigned char *take(in *r, size_t n)
{
    if (r->bad || n > r->n - r->at) {
        r->bad = 1;
        return NULL;
    }
    const unsigned char *p = r->p + r->at;
    r->at += n;
    return p;
}

static uint64_t get_u64(in *r)
{
    const unsigned char *b = take(r, 8);
    uint64_t v = 0;
    for (int i = 0; b && i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static uint32_t get_u32(in *r)
{
    const unsigned char *b = take(r, 4);
    uint32_t v = 0;
    for (int i = 0; b && i < 4; i++)
        v |= (uint32_t)b[i] << (8 * i);
    return v;
}

static int get_int(in *r)
{
    return (int)(int32_t)get_u32(r);
}

static int get_byte(in *r)
{
    const unsigned char *b = take(r, 1);
    return b ? *b : 0;
}

/* ---- the cache file ------------------------------------------------------------------- */

/* A 64-bit checksum, eight bytes a step (FNV-1a's constants on words): it only has to
 * catch a damaged or truncated file, quickly. */
static uint64_t checksum(const unsigned char *p, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 1099511628211ull;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* The cache directory (malloc'd), or NULL for none. make: create it if missing. */
static char *cache_dir(int make)
{
    const char *own = getenv("ROLEPRESS_CACHE_DIR");
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    char parent[4096], dir[4096];
    if (own) {
        if (!*own)
            return NULL;
        snprintf(dir, sizeof dir, "%s", own);
        parent[0] = '\0';
    } else if (xdg && xdg[0] == '/') {
        snprintf(parent, sizeof parent, "%s", xdg);
        snprintf(dir, sizeof dir, "%s/rolepress", xdg);
    } else if (home && home[0] == '/') {
        snprintf(parent, sizeof parent, "%s/.cache", home);
        snprintf(dir, sizeof dir, "%s/.cache/rolepress", home);
    } else {
        return NULL;
    }
    if (make && parent[0] && mkdir(parent, 0700) != 0 && errno != EEXIST)
        return NULL;
    if (make && mkdir(dir, 0700) != 0 && errno != EEXIST)
        return NULL;
    return strdup(dir);
}

/* The pattern file's identity (path resolved), written as the header's first fields;
 * the cache file's path in *file (malloc'd). 0 if there is no cache. */
static int identity(const char *path, int make, out *id, char **file)
{
    struct stat sb;
    char *real = realpath(path, NULL);
    char *dir = real && stat(real, &sb) == 0 ? cache_dir(make) : NULL;
    *file = NULL;
    if (dir) {
        put(id, MAGIC, sizeof MAGIC - 1);
        put_u64(id, (uint64_t)sb.st_size);
        put_u64(id, (uint64_t)sb.st_mtim.tv_sec);
        put_u64(id, (uint64_t)sb.st_mtim.tv_nsec);
        put_u64(id, (uint64_t)sb.st_ino);
        put_u64(id, (uint64_t)sb.st_dev);
        put_str(id, real);
        size_t n = strlen(dir) + 32;
        *file = id->bad ? NULL : malloc(n);
        if (*file)
            snprintf(*file, n, "%s/hyph-%016llx.bin", dir,
                     (unsigned long long)checksum((const unsigned char *)real, strlen(real)));
    }
    free(real);
    free(dir);
    return *file != NULL;
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

static void put_dict(out *o, const HyphenDict *d)
{
    size_t chars = 0, trans = 0;
    for (int i = 0; i < d->num_states; i++) {
        const HyphenState *s = &d->states[i];
        chars += (s->match ? strlen(s->match) + 1 : 0) + (s->repl ? strlen(s->repl) + 1 : 0);
        trans += (size_t)s->num_trans;
    }
    put_byte(o, d->lhmin);
    put_byte(o, d->rhmin);
    put_byte(o, d->clhmin);
    put_byte(o, d->crhmin);
    put_u32(o, (uint32_t)d->nohyphenl);
    put_u32(o, d->nohyphen ? (uint32_t)nohyphen_size(d) : NO_STRING);
    if (d->nohyphen)
        put(o, d->nohyphen, nohyphen_size(d));
    put(o, d->cset, MAX_NAME);
    put_u32(o, (uint32_t)d->utf8);
    put_u32(o, (uint32_t)d->num_states);
    put_u32(o, (uint32_t)chars);
    put_u32(o, (uint32_t)trans);
    for (int i = 0; i < d->num_states; i++) {
        const HyphenState *s = &d->states[i];
        put_str(o, s->match);
        put_str(o, s->repl);
        put_byte(o, s->replindex);
        put_byte(o, s->replcut);
        put_u32(o, (uint32_t)s->fallback_state);
        put_u32(o, (uint32_t)s->num_trans);
        for (int k = 0; k < s->num_trans; k++) {
            put_byte(o, s->trans[k].ch);
            put_u32(o, (uint32_t)s->trans[k].new_state);
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
static char *get_str(in *r, pool *chars)
{
    uint32_t n = get_u32(r);
    if (r->bad || n == NO_STRING)
        return NULL;
    const unsigned char *b = take(r, n);
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
static HyphenDict *get_dict(in *r)
{
    char mins[4];
    for (int i = 0; i < 4; i++)
        mins[i] = (char)get_byte(r);
    int items = get_int(r);
    uint32_t nh = get_u32(r);
    const unsigned char *nhb = nh == NO_STRING ? NULL : take(r, nh);
    const unsigned char *cset = take(r, MAX_NAME);
    int utf8 = get_int(r), n = get_int(r);
    uint32_t nchars = get_u32(r), ntrans = get_u32(r);
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
        s->replindex = (signed char)get_byte(r);
        s->replcut = (signed char)get_byte(r);
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
            s->trans[k].ch = (char)get_byte(r);
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

static unsigned char *read_all(const char *file, size_t *len)
{
    FILE *f = fopen(file, "rb");
    struct stat sb;
    unsigned char *p = NULL;
    if (f && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (uint64_t)sb.st_size <= MAX_FILE && (p = malloc((size_t)sb.st_size)) &&
        fread(p, 1, (size_t)sb.st_size, f) == (size_t)sb.st_size) {
        *len = (size_t)sb.st_size;
    } else {
        free(p);
        p = NULL;
    }
    if (f)
        fclose(f);
    return p;
}

HyphenDict *rp_hyphcache_load(const char *path)
{
    out id = {0};
    char *file;
    if (!identity(path, 0, &id, &file)) {
        free(id.p);
        return NULL;
    }
    size_t len = 0;
    unsigned char *data = read_all(file, &len);
    free(file);
    HyphenDict *top = NULL;
    in r = {data, len, 0, 0};
    const unsigned char *head = data ? take(&r, id.n) : NULL;
    uint64_t plen = get_u64(&r), sum = get_u64(&r);
    if (head && memcmp(head, id.p, id.n) == 0 && !r.bad && plen == r.n - r.at &&
        checksum(r.p + r.at, r.n - r.at) == sum) {
        int levels = get_byte(&r);
        HyphenDict **link = &top;
        for (int i = 0; i < levels && levels <= MAX_LEVELS && !r.bad; i++) {
            *link = get_dict(&r);
            if (*link)
                link = &(*link)->nextlevel;
        }
        if (r.bad || levels < 1 || levels > MAX_LEVELS || r.at != r.n) {
            rp_hyphcache_free(top);
            top = NULL;
        }
    }
    free(data);
    free(id.p);
    return top;
}

void rp_hyphcache_store(const char *path, const HyphenDict *d)
{
    out id = {0}, body = {0};
    char *file, *tmp = NULL;
    int levels = 0;
    for (const HyphenDict *l = d; l; l = l->nextlevel)
        levels++;
    if (levels < 1 || levels > MAX_LEVELS || !identity(path, 1, &id, &file)) {
        free(id.p);
        return;
    }
    put_byte(&body, levels);
    for (const HyphenDict *l = d; l; l = l->nextlevel)
        put_dict(&body, l);
    put_u64(&id, body.n);
    put_u64(&id, checksum(body.p, body.n));
    size_t n = strlen(file) + 8;
    tmp = !id.bad && !body.bad ? malloc(n) : NULL;
    int fd = -1;
    if (tmp) {
        snprintf(tmp, n, "%s.XXXXXX", file);
        fd = mkstemp(tmp);
    }
    if (fd >= 0) {
        int ok =
            write(fd, id.p, id.n) == (ssize_t)id.n && write(fd, body.p, body.n) == (ssize_t)body.n;
        ok = close(fd) == 0 && ok;
        if (!ok || rename(tmp, file) != 0)
            unlink(tmp);
    }
    free(tmp);
    free(file);
    free(id.p);
    free(body.p);
}
