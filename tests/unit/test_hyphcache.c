/* Unit tests of the cache of compiled hyphenation patterns: what comes back from a cache
 * file is, state for state, what libhyphen compiled; a damaged, stale or foreign file is
 * never used. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "hyphcache.h"

static char dir[] = "/tmp/rp-hyphcache-XXXXXX";
static char file[4200]; /* the one cache file the test made */

static void setup(void)
{
    cr_assert_not_null(mkdtemp(dir));
    setenv("ROLEPRESS_CACHE_DIR", dir, 1);
}

static void teardown(void)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    unsetenv("ROLEPRESS_CACHE_DIR");
}

TestSuite(hyphcache, .init = setup, .fini = teardown);

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Field for field, level for level. */
static void assert_same(const HyphenDict *a, const HyphenDict *b)
{
    for (; a || b; a = a->nextlevel, b = b->nextlevel) {
        cr_assert(a && b, "same number of levels");
        cr_assert(a->lhmin == b->lhmin && a->rhmin == b->rhmin && a->clhmin == b->clhmin &&
                  a->crhmin == b->crhmin && a->utf8 == b->utf8 && a->nohyphenl == b->nohyphenl);
        cr_assert_eq(memcmp(a->cset, b->cset, MAX_NAME), 0);
        cr_assert_eq(!a->nohyphen, !b->nohyphen);
        for (int i = 0, at = 0; a->nohyphen && i <= a->nohyphenl; i++) {
            cr_assert_str_eq(a->nohyphen + at, b->nohyphen + at);
            at += (int)strlen(a->nohyphen + at) + 1;
        }
        cr_assert_eq(a->num_states, b->num_states);
        for (int i = 0; i < a->num_states; i++) {
            const HyphenState *s = &a->states[i], *t = &b->states[i];
            cr_assert(same_str(s->match, t->match) && same_str(s->repl, t->repl), "state %d", i);
            cr_assert(s->replindex == t->replindex && s->replcut == t->replcut &&
                      s->fallback_state == t->fallback_state && s->num_trans == t->num_trans);
            for (int k = 0; k < s->num_trans; k++)
                cr_assert(s->trans[k].ch == t->trans[k].ch &&
                          s->trans[k].new_state == t->trans[k].new_state);
        }
    }
}

/* Compile path, cache it and read it back; the cache file's name goes to file. */
static HyphenDict *round_trip(const char *path, HyphenDict **compiled)
{
    *compiled = hnj_hyphen_load(path);
    cr_assert_not_null(*compiled, "%s (make deps installs it)", path);
    cr_assert_null(rp_hyphcache_load(path), "nothing cached yet");
    rp_hyphcache_store(path, *compiled);
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "ls '%s'/hyph-*.bin", dir);
    FILE *p = popen(cmd, "r");
    cr_assert(p && fgets(file, sizeof file, p));
    pclose(p);
    file[strcspn(file, "\n")] = '\0';
    return rp_hyphcache_load(path);
}

Test(hyphcache, gives_back_what_libhyphen_compiled)
{
    static const char *const dicts[] = {"/usr/share/hyphen/hyph_en_US.dic",
                                        "/usr/share/hyphen/hyph_de_DE.dic",
                                        "/usr/share/hyphen/hyph_fr.dic"};
    static const char *const words[] = {"typesetting",      "hyphenation",
                                        "responsibilities", "Silbentrennungsalgorithmus",
                                        "Schifffahrt",      "anticonstitutionnellement",
                                        "organization"};
    for (size_t i = 0; i < sizeof dicts / sizeof dicts[0]; i++) {
        HyphenDict *compiled, *cached = round_trip(dicts[i], &compiled);
        cr_assert_not_null(cached, "%s", dicts[i]);
        assert_same(compiled, cached);
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
            char h1[64], h2[64];
            char **rep = NULL;
            int *pos = NULL, *cut = NULL;
            int n = (int)strlen(words[w]);
            hnj_hyphen_hyphenate2(compiled, words[w], n, h1, NULL, &rep, &pos, &cut);
            cr_assert_null(rep);
            hnj_hyphen_hyphenate2(cached, words[w], n, h2, NULL, &rep, &pos, &cut);
            cr_assert_null(rep);
            cr_assert_str_eq(h1, h2, "%s", words[w]);
        }
        hnj_hyphen_free(compiled);
        rp_hyphcache_free(cached);
        unlink(file);
    }
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static void write_bytes(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(p, 1, n, f) == n);
    fclose(f);
}

/* The French patterns cached (the compiled ones in *compiled), and the cache file's bytes
 * (malloc'd, *n of them), to damage. */
static unsigned char *cached_file(const char *path, HyphenDict **compiled, long *n)
{
    HyphenDict *cached = round_trip(path, compiled);
    cr_assert_not_null(cached);
    rp_hyphcache_free(cached);
    *n = file_size(file);
    unsigned char *bytes = malloc((size_t)*n);
    FILE *f = fopen(file, "rb");
    cr_assert(bytes && f && fread(bytes, 1, (size_t)*n, f) == (size_t)*n);
    fclose(f);
    return bytes;
}

Test(hyphcache, never_uses_a_damaged_file)
{
    const char *path = "/usr/share/hyphen/hyph_fr.dic";
    HyphenDict *compiled;
    long n;
    unsigned char *good = cached_file(path, &compiled, &n), *bad = malloc((size_t)n);
    /* every byte flipped in turn (a sample of them past the header), then cut short */
    for (long at = 0; at < n; at += at < 400 ? 1 : 97) {
        memcpy(bad, good, (size_t)n);
        bad[at] ^= 0x5A;
        write_bytes(file, bad, (size_t)n);
        HyphenDict *d = rp_hyphcache_load(path);
        cr_assert_null(d, "byte %ld changed", at);
    }
    for (long len = 0; len < n; len += len < 400 ? 7 : 1013) {
        write_bytes(file, good, (size_t)len);
        cr_assert_null(rp_hyphcache_load(path), "cut at %ld", len);
    }
    write_bytes(file, good, (size_t)n);
    HyphenDict *cached = rp_hyphcache_load(path);
    cr_assert_not_null(cached, "the file itself is still good");
    rp_hyphcache_free(cached);
    hnj_hyphen_free(compiled);
    free(good);
    free(bad);
}

/* Damage past the checksum: a changed byte of the payload with the checksum made to
 * match, so the structure checks alone must catch what would crash or hang libhyphen.
 * Whatever loads must then hyphenate without fault (ASan and valgrind runs watch). */
Test(hyphcache, checks_the_structure_behind_the_checksum)
{
    const char *path = "/usr/share/hyphen/hyph_fr.dic";
    HyphenDict *compiled;
    long n;
    unsigned char *good = cached_file(path, &compiled, &n), *bad = malloc((size_t)n);
    /* the payload length is the 8 bytes before the checksum, which ends the header */
    size_t plen = 0, start = 0;
    for (size_t at = 0; at + 16 <= (size_t)n; at++) {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++)
            v |= (uint64_t)good[at + i] << (8 * i);
        if (v == (uint64_t)n - at - 16) {
            plen = (size_t)v, start = at + 16;
            break;
        }
    }
    cr_assert_gt(plen, 0);
    size_t loaded = 0, rejected = 0;
    for (size_t at = start; at < (size_t)n; at += 97) {
        memcpy(bad, good, (size_t)n);
        bad[at] ^= (unsigned char)(0x01 << (at % 8));
        uint64_t sum = rp_cache_checksum(bad + start, plen);
        for (int i = 0; i < 8; i++)
            bad[start - 8 + i] = (unsigned char)(sum >> (8 * i));
        write_bytes(file, bad, (size_t)n);
        HyphenDict *d = rp_hyphcache_load(path);
        if (!d) {
            rejected++;
            continue;
        }
        loaded++;
        char h[64];
        char **rep = NULL;
        int *pos = NULL, *cut = NULL;
        hnj_hyphen_hyphenate2(d, "anticonstitutionnellement", 25, h, NULL, &rep, &pos, &cut);
        if (rep) {
            for (int i = 0; i < 25; i++)
                free(rep[i]);
            free(rep);
            free(pos);
            free(cut);
        }
        rp_hyphcache_free(d);
    }
    cr_assert_gt(rejected, 0, "some changes break the structure");
    cr_log_info("%zu forged files loaded, %zu rejected", loaded, rejected);
    hnj_hyphen_free(compiled);
    free(good);
    free(bad);
}

Test(hyphcache, follows_the_pattern_file)
{
    char copy[4200], cmd[8600];
    snprintf(copy, sizeof copy, "%s/patterns.dic", dir);
    snprintf(cmd, sizeof cmd, "cp /usr/share/hyphen/hyph_fr.dic '%s'", copy);
    cr_assert_eq(system(cmd), 0);
    HyphenDict *compiled, *cached = round_trip(copy, &compiled);
    cr_assert_not_null(cached);
    rp_hyphcache_free(cached);
    FILE *f = fopen(copy, "a"); /* the patterns change: the cache no longer applies */
    cr_assert(f && fputs("zz1zz\n", f) >= 0);
    fclose(f);
    cr_assert_null(rp_hyphcache_load(copy));
    hnj_hyphen_free(compiled);
}

Test(hyphcache, can_be_switched_off)
{
    const char *path = "/usr/share/hyphen/hyph_fr.dic";
    setenv("ROLEPRESS_CACHE_DIR", "", 1);
    HyphenDict *compiled = hnj_hyphen_load(path);
    rp_hyphcache_store(path, compiled);
    cr_assert_null(rp_hyphcache_load(path));
    setenv("ROLEPRESS_CACHE_DIR", dir, 1);
    cr_assert_null(rp_hyphcache_load(path), "nothing was written");
    hnj_hyphen_free(compiled);
}
