/* hyph: libhyphen behind a small interface, with the language tag checked before it
 * becomes part of a file name. */
#include "hyph.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hyphen.h>

#include "hyphcache.h"
#include "thread.h"
#include "utf8.h"

#ifndef RP_HYPHEN_DIR
#define RP_HYPHEN_DIR "/usr/share/hyphen"
#endif

#define WORD_MAX 96 /* bytes; longer "words" (identifiers, URLs) are not hyphenated */

/* Words seen before, with their points: a document repeats its words, and the patterns
 * take thousands of instructions a word. */
typedef struct seen {
    char *word; /* NULL: empty slot */
    unsigned char len, npoints;
    unsigned char points[15]; /* byte offsets (a word is at most WORD_MAX bytes) */
} seen;

#define SEEN_MAX_POINTS 15

struct rp_hyph {
    seen *seen;
    size_t nseen, seen_cap;
    HyphenDict *dict; /* loaded when the first word is hyphenated, or by loader */
    int cached;       /* dict came from the cache (hyphcache.h), which frees it */
    char *path;
    pthread_t loader; /* loading dict ahead (rp_hyph_preload), while loading */
    int loading;      /* loader runs or has not been joined */
    int used;         /* a word needed the patterns */
    int failed;       /* the file could not be loaded */
    int latin1;       /* the dictionary is in ISO 8859-1, not UTF-8 */
};

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

/* Split a BCP 47 tag into a lowercase language ("en") and an uppercase region ("GB", or
 * ""). Returns 0 if the tag is not of that form: it must never name other files. */
static int parse_tag(const char *tag, char lang[4], char region[3])
{
    size_t n = 0;
    while (n < 4 && is_alpha(tag[n]))
        n++;
    if (n < 2 || n > 3 || (tag[n] && tag[n] != '-' && tag[n] != '_'))
        return 0;
    for (size_t i = 0; i < n; i++)
        lang[i] = (char)(tag[i] | 0x20);
    lang[n] = '\0';
    region[0] = '\0';
    const char *p = tag + n;
    while (*p) { /* subtags: script (4 letters), region (2 letters), variants */
        p++;
        size_t k = 0;
        while (is_alnum(p[k]))
            k++;
        if (k == 0 || k > 8 || (p[k] && p[k] != '-' && p[k] != '_'))
            return 0;
        if (k == 2 && is_alpha(p[0]) && is_alpha(p[1]) && !region[0]) {
            region[0] = (char)(p[0] & ~0x20);
            region[1] = (char)(p[1] & ~0x20);
            region[2] = '\0';
        }
        p += k;
    }
    return 1;
}

static int regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

rp_hyph *rp_hyph_open(const char *lang, char *why, size_t whylen)
{
    char l[4], r[3];
    if (!parse_tag(lang, l, r)) {
        snprintf(why, whylen,
                 "xml:lang '%.40s' does not start with a two- or three-letter language code "
                 "such as 'en' or 'en-GB', so no hyphenation patterns can be chosen",
                 lang);
        return NULL;
    }
    const char *dir = getenv("ROLEPRESS_HYPHEN_DIR");
    dir = dir && *dir ? dir : RP_HYPHEN_DIR;
    char cand[2][4096];
    int ncand = 0;
    if (r[0])
        snprintf(cand[ncand++], sizeof cand[0], "%s/hyph_%s_%s.dic", dir, l, r);
    snprintf(cand[ncand++], sizeof cand[0], "%s/hyph_%s.dic", dir, l);
    for (int i = 0; i < ncand; i++) {
        if (!regular_file(cand[i]))
            continue;
        rp_hyph *h = calloc(1, sizeof *h);
        if (!h || !(h->path = strdup(cand[i]))) {
            free(h);
            break;
        }
        return h; /* loading costs milliseconds: only a paragraph that needs it pays */
    }
    snprintf(why, whylen,
             "no hyphenation patterns for language '%s' (looked for %s%s%s); install the "
             "Debian package hyphen-%s or set ROLEPRESS_HYPHEN_DIR",
             lang, cand[0], ncand > 1 ? " and " : "", ncand > 1 ? cand[1] : "", l);
    return NULL;
}

/* The patterns of h's file into h->dict: from the cache of compiled patterns, else
 * compiled by libhyphen (and then cached). NULL if the file cannot be read. */
static void load_dict(rp_hyph *h)
{
    h->dict = rp_hyphcache_load(h->path);
    h->cached = h->dict != NULL;
    if (!h->dict && (h->dict = hnj_hyphen_load(h->path)) != NULL)
        rp_hyphcache_store(h->path, h->dict);
}

/* The loader thread: it alone touches h->dict until joined. */
static void *load_patterns(void *arg)
{
    load_dict(arg);
    return NULL;
}

void rp_hyph_preload(rp_hyph *h)
{
    if (h && !h->dict && !h->failed && !h->loading)
        h->loading = rp_thread_start(&h->loader, load_patterns, h) == 0;
}

/* Wait for the loader, if one was started. */
static void join_loader(rp_hyph *h)
{
    if (h->loading) {
        pthread_join(h->loader, NULL);
        h->loading = 0;
        h->failed = h->dict == NULL;
    }
}

void rp_hyph_release(rp_hyph *h)
{
    if (!h)
        return;
    join_loader(h);
    if (h->dict && h->cached)
        rp_hyphcache_free(h->dict);
    else if (h->dict)
        hnj_hyphen_free(h->dict);
    h->dict = NULL;
    for (size_t i = 0; i < h->seen_cap; i++)
        free(h->seen[i].word);
    free(h->seen);
    h->seen = NULL;
    h->nseen = h->seen_cap = 0;
}

void rp_hyph_free(rp_hyph *h)
{
    if (!h)
        return;
    rp_hyph_release(h);
    free(h->path);
    free(h);
}

const char *rp_hyph_path(const rp_hyph *h)
{
    return h ? h->path : NULL;
}

int rp_hyph_failed(const rp_hyph *h)
{
    return h && h->used && h->failed;
}

/* The patterns, loaded on first use (or by then by the loader); 0 if they cannot be. */
static int ready(rp_hyph *h)
{
    h->used = 1;
    join_loader(h);
    if (!h->dict && !h->failed) {
        load_dict(h);
        h->failed = h->dict == NULL;
    }
    h->latin1 = h->dict && !h->dict->utf8;
    return h->dict != NULL;
}

/* Lower case of a letter that may start a word (ASCII and Latin-1 capitals). */
static uint32_t lower(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
        return c + 0x20;
    return c;
}

static int upper(uint32_t c)
{
    return lower(c) != c;
}

static size_t seen_hash(const char *w, size_t len, size_t cap)
{
    uint32_t x = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        x = (x ^ (unsigned char)w[i]) * 16777619u;
    return x & (cap - 1);
}

/* The slot of word in the table: its entry, or the empty slot where it goes. */
static seen *seen_slot(rp_hyph *h, const char *w, size_t len)
{
    size_t j = seen_hash(w, len, h->seen_cap);
    for (;; j = (j + 1) & (h->seen_cap - 1)) {
        seen *e = &h->seen[j];
        if (!e->word || (e->len == len && memcmp(e->word, w, len) == 0))
            return e;
    }
}

/* Make room for one more word; 0 if out of memory. */
static int seen_room(rp_hyph *h)
{
    if ((h->nseen + 1) * 4 <= h->seen_cap * 3)
        return 1;
    size_t ncap = h->seen_cap ? h->seen_cap * 2 : 1024;
    seen *old = h->seen, *fresh = calloc(ncap, sizeof *fresh);
    if (!fresh)
        return 0;
    size_t old_cap = h->seen_cap;
    h->seen = fresh;
    h->seen_cap = ncap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].word)
            *seen_slot(h, old[i].word, old[i].len) = old[i];
    free(old);
    return 1;
}

static size_t points_uncached(rp_hyph *h, const char *word, size_t len, size_t *at, size_t max);

size_t rp_hyph_points(rp_hyph *h, const char *word, size_t len, size_t *at, size_t max)
{
    if (!h || len == 0 || len > WORD_MAX || !ready(h))
        return 0;
    if (!seen_room(h))
        return points_uncached(h, word, len, at, max);
    seen *e = seen_slot(h, word, len);
    if (!e->word) {
        size_t pts[SEEN_MAX_POINTS];
        size_t n = points_uncached(h, word, len, pts, SEEN_MAX_POINTS);
        char *copy = malloc(len);
        if (!copy)
            return points_uncached(h, word, len, at, max);
        memcpy(copy, word, len);
        e->word = copy;
        e->len = (unsigned char)len;
        e->npoints = (unsigned char)n;
        for (size_t i = 0; i < n; i++)
            e->points[i] = (unsigned char)pts[i];
        h->nseen++;
    }
    size_t n = e->npoints < max ? e->npoints : max;
    for (size_t i = 0; i < n; i++)
        at[i] = e->points[i];
    return n;
}

static size_t points_uncached(rp_hyph *h, const char *word, size_t len, size_t *at, size_t max)
{
    /* the word in the dictionary's encoding, lower case, with each encoded byte's offset
     * in the UTF-8 word (so a point after encoded byte i maps back) */
    char buf[WORD_MAX + 1];
    size_t orig[WORD_MAX + 1];
    size_t n = 0, chars = 0, k;
    for (size_t i = 0; i < len; i += k) {
        uint32_t c = rp_utf8_next(word + i, len - i, &k);
        if (chars > 0 && upper(c))
            return 0; /* "SAFe", "PMs", "ISO": names and abbreviations keep whole */
        c = lower(c);
        chars++;
        if (h->latin1) {
            if (c > 0xFF)
                return 0;
            orig[n] = i;
            buf[n++] = (char)c;
        } else {
            char enc[4];
            size_t m = rp_utf8_put(c, enc);
            for (size_t j = 0; j < m; j++) {
                orig[n] = i;
                buf[n++] = enc[j];
            }
        }
    }
    if (chars < RP_HYPH_LEFT_MIN + RP_HYPH_RIGHT_MIN)
        return 0;
    orig[n] = len;
    buf[n] = '\0';
    char hyphens[WORD_MAX + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    if (hnj_hyphen_hyphenate3(h->dict, buf, (int)n, hyphens, NULL, &rep, &pos, &cut,
                              RP_HYPH_LEFT_MIN, RP_HYPH_RIGHT_MIN, RP_HYPH_LEFT_MIN,
                              RP_HYPH_RIGHT_MIN) != 0)
        return 0;
    size_t count = 0, seen = 0; /* characters before the candidate point */
    for (size_t i = 0; i + 1 < n && count < max; i++) {
        int boundary = orig[i + 1] != orig[i]; /* a character ends after byte i */
        if (!boundary)
            continue;
        seen++;
        if ((hyphens[i] & 1) && !(rep && rep[i]) && seen >= RP_HYPH_LEFT_MIN &&
            chars - seen >= RP_HYPH_RIGHT_MIN)
            at[count++] = orig[i + 1];
    }
    if (rep) {
        for (size_t i = 0; i < n; i++)
            free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
    return count;
}
