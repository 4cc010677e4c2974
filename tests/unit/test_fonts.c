/* Unit tests of font lookup and metrics, checked against the font's own tables read here
 * independently through FreeType. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include "fonts.h"

#define FAMILY "DejaVu Serif"

static rp_fonts *fonts;
static int regular;
static FT_Library ft;
static FT_Face ft_face; /* the file of face `regular`, opened independently */

static void setup(void)
{
    fonts = rp_fonts_new();
    cr_assert_not_null(fonts);
    regular = rp_fonts_find(fonts, FAMILY, 0, 0);
    cr_assert_geq(regular, 0, FAMILY " must be installed (make deps)");
    cr_assert_eq(FT_Init_FreeType(&ft), 0);
    cr_assert_eq(FT_New_Face(ft, rp_fonts_path(fonts, regular), 0, &ft_face), 0);
}

static void teardown(void)
{
    if (ft_face)
        FT_Done_Face(ft_face);
    if (ft)
        FT_Done_FreeType(ft);
    ft_face = NULL;
    ft = NULL;
    rp_fonts_free(fonts);
}

TestSuite(fonts, .init = setup, .fini = teardown);

/* Advance of cp in 1/1000 em from the font's hmtx: floor(advance * 1000 / unitsPerEm). */
static int hmtx_advance(FT_Face face, FT_ULong cp)
{
    cr_assert_eq(FT_Load_Char(face, cp, FT_LOAD_NO_SCALE), 0, "U+%04lX", (unsigned long)cp);
    return (int)(face->glyph->metrics.horiAdvance * 1000 / face->units_per_EM);
}

static int glyph0_advance(FT_Face face)
{
    cr_assert_eq(FT_Load_Glyph(face, 0, FT_LOAD_NO_SCALE), 0);
    return (int)(face->glyph->metrics.horiAdvance * 1000 / face->units_per_EM);
}

/* ---- lookup --------------------------------------------------------------------------- */

Test(fonts, styles_of_a_family_are_distinct_faces)
{
    int bold = rp_fonts_find(fonts, FAMILY, 1, 0);
    int italic = rp_fonts_find(fonts, FAMILY, 0, 1);
    int both = rp_fonts_find(fonts, FAMILY, 1, 1);
    cr_assert_geq(bold, 0);
    cr_assert_geq(italic, 0);
    cr_assert_geq(both, 0);
    cr_assert_neq(regular, bold);
    cr_assert_neq(regular, italic);
    cr_assert_neq(bold, italic);
    cr_assert_neq(both, bold);
    cr_assert_neq(both, italic);
    cr_assert_neq(both, regular);
    cr_assert_str_neq(rp_fonts_path(fonts, regular), rp_fonts_path(fonts, bold));
    cr_assert_eq(rp_fonts_count(fonts), 4);

    cr_assert_eq(rp_fonts_bold(fonts, regular), 0);
    cr_assert_eq(rp_fonts_italic(fonts, regular), 0);
    cr_assert_eq(rp_fonts_bold(fonts, bold), 1);
    cr_assert_eq(rp_fonts_italic(fonts, bold), 0);
    cr_assert_eq(rp_fonts_bold(fonts, italic), 0);
    cr_assert_eq(rp_fonts_italic(fonts, italic), 1);
    cr_assert_eq(rp_fonts_bold(fonts, both), 1);
    cr_assert_eq(rp_fonts_italic(fonts, both), 1);
    for (int f = 0; f < 4; f++)
        cr_assert_str_eq(rp_fonts_family(fonts, f), FAMILY);
}

Test(fonts, same_request_gives_the_same_face)
{
    int bold = rp_fonts_find(fonts, FAMILY, 1, 0);
    cr_assert_eq(rp_fonts_find(fonts, FAMILY, 0, 0), regular);
    cr_assert_eq(rp_fonts_find(fonts, FAMILY, 1, 0), bold);
    cr_assert_eq(rp_fonts_count(fonts), 2, "no face is opened twice");
}

Test(fonts, missing_family_is_not_substituted)
{
    cr_assert_eq(rp_fonts_find(fonts, "No Such Font Family", 0, 0), -1);
    cr_assert_eq(rp_fonts_find(fonts, "No Such Font Family", 1, 1), -1);
    cr_assert_eq(rp_fonts_find(fonts, "", 0, 0), -1);
    cr_assert_eq(rp_fonts_family_installed(fonts, "No Such Font Family"), 0);
    cr_assert_neq(rp_fonts_family_installed(fonts, FAMILY), 0);
    cr_assert_eq(rp_fonts_count(fonts), 1);
}

/* rp_fonts_start() loads fontconfig's configuration on a thread: the same answers, whether
 * the first question comes at once or never. */
Test(fonts, a_table_started_in_the_background_answers_the_same)
{
    static const char *const families[] = {FAMILY, "Noto Sans Symbols", "No Such Font Family"};
    rp_fonts *bg = rp_fonts_start();
    cr_assert_not_null(bg);
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        for (int k = 0; k < 4; k++) {
            int a = rp_fonts_find(fonts, families[i], k & 1, k >> 1);
            int b = rp_fonts_find(bg, families[i], k & 1, k >> 1);
            cr_assert_eq(a < 0, b < 0, "%s %d", families[i], k);
            if (a >= 0)
                cr_assert_str_eq(rp_fonts_path(fonts, a), rp_fonts_path(bg, b));
        }
    cr_assert_eq(rp_fonts_wait(bg), 0);
    rp_fonts_free(bg);
    rp_fonts_free(rp_fonts_start()); /* never asked */
}

Test(fonts, generic_aliases_are_not_families)
{
    cr_assert_eq(rp_fonts_find(fonts, "sans-serif", 0, 0), -1);
    cr_assert_eq(rp_fonts_find(fonts, "serif", 0, 0), -1);
    cr_assert_eq(rp_fonts_find(fonts, "monospace", 0, 0), -1);
}

Test(fonts, a_missing_face_falls_back_to_the_nearest_of_the_family)
{
    /* Noto Sans Symbols has a regular and a bold face, Noto Sans Math a regular one */
    int sym = rp_fonts_find(fonts, "Noto Sans Symbols", 0, 0);
    int sym_bold = rp_fonts_find(fonts, "Noto Sans Symbols", 1, 0);
    cr_assert_geq(sym, 0, "Noto Sans Symbols must be installed (make deps)");
    cr_assert_neq(sym_bold, sym);
    cr_assert_eq(rp_fonts_bold(fonts, sym_bold), 1);
    cr_assert_eq(rp_fonts_find(fonts, "Noto Sans Symbols", 0, 1), sym);
    cr_assert_eq(rp_fonts_find(fonts, "Noto Sans Symbols", 1, 1), sym_bold);
    int math = rp_fonts_find(fonts, "Noto Sans Math", 0, 0);
    cr_assert_geq(math, 0, "Noto Sans Math must be installed (make deps)");
    for (int k = 1; k < 4; k++)
        cr_assert_eq(rp_fonts_find(fonts, "Noto Sans Math", k & 1, k >> 1), math);
    cr_assert_eq(rp_fonts_bold(fonts, math), 0);
    cr_assert_eq(rp_fonts_italic(fonts, math), 0);
}

Test(fonts, family_names_ignore_case_and_keep_the_fonts_spelling)
{
    int f = rp_fonts_find(fonts, "dejavu SERIF", 0, 0);
    cr_assert_eq(f, regular);
    cr_assert_str_eq(rp_fonts_family(fonts, f), FAMILY);
    cr_assert_neq(rp_fonts_family_installed(fonts, "dejavu serif"), 0);
}

/* fontconfig's own choice for family, weight and slant, as rp_fonts_find() documents it:
 * the best match for a TrueType file, if it is of that family and the whole file. Returns
 * the file's path (static), or NULL. */
static const char *fontconfig_choice(FcConfig *fc, const char *family, int bold, int italic)
{
    static char path[4096];
    FcResult res = FcResultNoMatch;
    FcPattern *pat =
        FcPatternBuild(NULL, FC_FAMILY, FcTypeString, (const FcChar8 *)family, FC_WEIGHT,
                       FcTypeInteger, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR, FC_SLANT,
                       FcTypeInteger, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN, FC_FONTFORMAT,
                       FcTypeString, (const FcChar8 *)"TrueType", (char *)NULL);
    cr_assert_not_null(pat);
    cr_assert(FcConfigSubstitute(fc, pat, FcMatchPattern));
    FcDefaultSubstitute(pat);
    FcPattern *match = FcFontMatch(fc, pat, &res);
    FcPatternDestroy(pat);
    if (!match)
        return NULL;
    const char *answer = NULL;
    FcChar8 *s, *file;
    int index = 0, ours = 0;
    for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &s) == FcResultMatch; i++)
        ours |= FcStrCmpIgnoreCase(s, (const FcChar8 *)family) == 0;
    FcPatternGetInteger(match, FC_INDEX, 0, &index);
    if (res == FcResultMatch && ours && index == 0 &&
        FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
        snprintf(path, sizeof path, "%s", (const char *)file);
        answer = path;
    }
    FcPatternDestroy(match);
    return answer;
}

/* rp_fonts_find() lists each family once and picks the nearest face itself; for every
 * family installed, in every weight and slant, it must pick the file fontconfig's match
 * picks. */
Test(fonts, every_family_gets_the_face_fontconfig_would_match)
{
    FcConfig *fc = FcInitLoadConfigAndFonts();
    FcPattern *all = FcPatternCreate();
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
    FcFontSet *set = FcFontList(fc, all, os);
    cr_assert_not_null(set);
    size_t n = 0;
    for (int i = 0; i < set->nfont; i++) {
        FcChar8 *family;
        for (int j = 0; FcPatternGetString(set->fonts[i], FC_FAMILY, j, &family) == FcResultMatch;
             j++)
            for (int k = 0; k < 4; k++, n++) {
                const char *want = fontconfig_choice(fc, (const char *)family, k & 1, k >> 1);
                int f = rp_fonts_find(fonts, (const char *)family, k & 1, k >> 1);
                const char *got = f >= 0 ? rp_fonts_path(fonts, f) : NULL;
                cr_assert(got ? want && strcmp(got, want) == 0 : !want,
                          "%s bold=%d italic=%d: fontconfig matches %s, rp_fonts_find gives %s",
                          (const char *)family, k & 1, k >> 1, want ? want : "nothing",
                          got ? got : "nothing");
            }
    }
    cr_assert_gt(n, 4 * 10, "only %zu lookups: too few fonts installed", n);
    FcFontSetDestroy(set);
    FcObjectSetDestroy(os);
    FcPatternDestroy(all);
    FcConfigDestroy(fc);
}

/* ---- metrics -------------------------------------------------------------------------- */

Test(fonts, advance_of_A_matches_hmtx)
{
    int want = hmtx_advance(ft_face, 'A');
    cr_assert_gt(want, 0);
    cr_assert_eq(rp_fonts_advance(fonts, regular, 'A'), want);
}

Test(fonts, advances_match_hmtx_for_every_style)
{
    static const uint32_t extra[] = {0xE9, 0x2019, 0x2014, 0xA0, 0xFC};
    for (int bold = 0; bold <= 1; bold++)
        for (int italic = 0; italic <= 1; italic++) {
            int f = rp_fonts_find(fonts, FAMILY, bold, italic);
            FT_Face face;
            cr_assert_eq(FT_New_Face(ft, rp_fonts_path(fonts, f), 0, &face), 0);
            for (uint32_t cp = 0x20; cp < 0x7F; cp++)
                cr_assert_eq(rp_fonts_advance(fonts, f, cp), hmtx_advance(face, cp),
                             "U+%04X bold=%d italic=%d", (unsigned)cp, bold, italic);
            for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
                cr_assert_eq(rp_fonts_advance(fonts, f, extra[i]), hmtx_advance(face, extra[i]),
                             "U+%04X", (unsigned)extra[i]);
            FT_Done_Face(face);
        }
}

Test(fonts, coverage)
{
    cr_assert(rp_fonts_has_glyph(fonts, regular, 'A'));
    cr_assert(rp_fonts_has_glyph(fonts, regular, 0xE9), "e acute");
    cr_assert(rp_fonts_has_glyph(fonts, regular, 0x2019), "right single quotation mark");
    cr_assert_not(rp_fonts_has_glyph(fonts, regular, 0x4E2D), "CJK ideograph");
    cr_assert_not(rp_fonts_has_glyph(fonts, regular, 0x1F600), "emoji beyond the BMP");
    cr_assert_not(rp_fonts_has_glyph(fonts, regular, 0x10000));
    cr_assert_not(rp_fonts_has_glyph(fonts, regular, 0x110000), "not a code point");
}

/* A code point beyond U+FFFF is never covered, even where the font has a glyph for it:
 * libharu cannot draw it. */
Test(fonts, beyond_the_bmp_is_never_covered)
{
    FT_UInt gid;
    FT_ULong cp = FT_Get_First_Char(ft_face, &gid), found = 0;
    for (; gid != 0 && !found; cp = FT_Get_Next_Char(ft_face, cp, &gid))
        if (cp > 0xFFFF)
            found = cp;
    if (!found)
        cr_skip_test(FAMILY " has no glyph beyond U+FFFF");
    cr_assert_not(rp_fonts_has_glyph(fonts, regular, (uint32_t)found), "U+%lX", found);
}

Test(fonts, uncovered_code_points_measure_as_libharu_draws_them)
{
    /* a missing glyph is glyph 0; beyond the BMP libharu draws a space */
    cr_assert_eq(rp_fonts_advance(fonts, regular, 0x4E2D), glyph0_advance(ft_face));
    cr_assert_eq(rp_fonts_advance(fonts, regular, 0x1F600), hmtx_advance(ft_face, ' '));
}

Test(fonts, width_is_the_sum_of_advances)
{
    int units = 0;
    for (const char *p = "Hello"; *p; p++)
        units += hmtx_advance(ft_face, (unsigned char)*p);
    cr_assert_float_eq(rp_fonts_width(fonts, regular, 10, "Hello", 5), units * 10 / 1000.0, 1e-9);
    cr_assert_float_eq(rp_fonts_width(fonts, regular, 24, "Hello", 5), units * 24 / 1000.0, 1e-9);
    cr_assert_float_eq(rp_fonts_width(fonts, regular, 10, "", 0), 0, 0);
}

Test(fonts, width_decodes_utf8_and_honours_the_length)
{
    /* "café’" in UTF-8: é is 2 bytes, ’ is 3 */
    const char *s = "caf\xC3\xA9\xE2\x80\x99";
    int units = hmtx_advance(ft_face, 'c') + hmtx_advance(ft_face, 'a') +
                hmtx_advance(ft_face, 'f') + hmtx_advance(ft_face, 0xE9) +
                hmtx_advance(ft_face, 0x2019);
    cr_assert_float_eq(rp_fonts_width(fonts, regular, 10, s, strlen(s)), units * 10 / 1000.0, 1e-9);
    cr_assert_float_eq(rp_fonts_width(fonts, regular, 10, "Hello world", 3),
                       rp_fonts_width(fonts, regular, 10, "Hel", 3), 0);
}

Test(fonts, vertical_metrics)
{
    int asc = rp_fonts_ascent(fonts, regular), desc = rp_fonts_descent(fonts, regular);
    int cap = rp_fonts_cap_height(fonts, regular);
    cr_assert_gt(asc, 0);
    cr_assert_lt(desc, 0);
    cr_assert_gt(asc - desc, 800, "ascent - descent is about an em");
    cr_assert_lt(asc - desc, 1600);
    cr_assert_gt(cap, 0);
    cr_assert_lt(cap, asc);
}

/* ---- releasing -------------------------------------------------------------------------- */

/* After rp_fonts_release() the faces keep their indexes and names (pages hold the strings),
 * and every measurement opens again what it needs and gives the same answer. */
Test(fonts, release_keeps_the_faces_and_their_answers)
{
    static const char text[] = "AVAWAY caf\xC3\xA9 To.";
    int bold = rp_fonts_find(fonts, FAMILY, 1, 0);
    const char *path = rp_fonts_path(fonts, bold), *family = rp_fonts_family(fonts, bold);
    int adv = rp_fonts_advance(fonts, bold, 'A'), asc = rp_fonts_ascent(fonts, bold);
    double kern = rp_fonts_kern(fonts, bold, 'A', 'V');
    double width = rp_fonts_width(fonts, bold, 10, text, sizeof text - 1);
    cr_assert_lt(kern, 0, "DejaVu Serif Bold kerns A and V");
    for (int round = 0; round < 2; round++) { /* releasing twice is harmless */
        rp_fonts_release(fonts);
        cr_assert_eq(rp_fonts_count(fonts), 2);
        cr_assert_eq(rp_fonts_path(fonts, bold), path, "the same string, not a copy");
        cr_assert_eq(rp_fonts_family(fonts, bold), family);
        cr_assert_eq(rp_fonts_ascent(fonts, bold), asc);
        cr_assert_eq(rp_fonts_advance(fonts, bold, 'A'), adv);
        cr_assert_eq(rp_fonts_kern(fonts, bold, 'A', 'V'), kern);
        cr_assert_eq(rp_fonts_width(fonts, bold, 10, text, sizeof text - 1), width);
        cr_assert(rp_fonts_has_glyph(fonts, regular, 0xE9));
        cr_assert_not(rp_fonts_has_glyph(fonts, regular, 0x4E2D));
    }
    /* an answered lookup is remembered; a new one loads fontconfig's configuration again */
    rp_fonts_release(fonts);
    cr_assert_eq(rp_fonts_find(fonts, FAMILY, 1, 0), bold);
    int italic = rp_fonts_find(fonts, FAMILY, 0, 1);
    cr_assert_geq(italic, 0);
    cr_assert_neq(italic, bold);
    FT_Face face;
    cr_assert_eq(FT_New_Face(ft, rp_fonts_path(fonts, italic), 0, &face), 0);
    cr_assert_eq(rp_fonts_advance(fonts, italic, 'A'), hmtx_advance(face, 'A'));
    FT_Done_Face(face);
    cr_assert(rp_fonts_family_installed(fonts, "DejaVu Sans"));
}

/* Kerning kept between runs (fonts.c, cache.h): the widths of kerned text are the same
 * whether the pairs are shaped now, read back from the cache, or the cache file is
 * damaged; the file holds the pairs for the next run. */
Test(fonts, kerning_kept_between_runs_gives_the_same_widths)
{
    char dir[] = "/tmp/rp-kerncache-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    setenv("ROLEPRESS_CACHE_DIR", dir, 1);
    static const char *const texts[] = {"AVATAR Wave, Type.", "To Yo, \xC3\xA9t\xC3\xA9 \"quoted\"",
                                        "LT Ty Vo Wa P. F,"};
    double cold[3], warm[3], damaged[3];
    rp_fonts *f = rp_fonts_new();
    int face = rp_fonts_find(f, FAMILY, 0, 0);
    for (int i = 0; i < 3; i++)
        cold[i] = rp_fonts_width(f, face, 10, texts[i], strlen(texts[i]));
    rp_fonts_free(f); /* keeps the pairs */
    char cmd[200];
    snprintf(cmd, sizeof cmd, "ls %s/kern-*.bin >/dev/null 2>&1", dir);
    cr_assert_eq(system(cmd), 0, "a kerning cache file was written");
    f = rp_fonts_new();
    face = rp_fonts_find(f, FAMILY, 0, 0);
    for (int i = 0; i < 3; i++)
        warm[i] = rp_fonts_width(f, face, 10, texts[i], strlen(texts[i]));
    rp_fonts_free(f);
    snprintf(cmd, sizeof cmd,
             "for f in %s/kern-*.bin; do printf 'XXXXXXXX' | dd of=$f bs=1 seek=40 conv=notrunc "
             "2>/dev/null; done",
             dir);
    cr_assert_eq(system(cmd), 0);
    f = rp_fonts_new();
    face = rp_fonts_find(f, FAMILY, 0, 0);
    for (int i = 0; i < 3; i++)
        damaged[i] = rp_fonts_width(f, face, 10, texts[i], strlen(texts[i]));
    rp_fonts_free(f);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(warm[i], cold[i], "%s", texts[i]);
        cr_assert_eq(damaged[i], cold[i], "%s", texts[i]);
    }
    /* and kerning is really in those widths: AV kerns in DejaVu Serif */
    double a = rp_fonts_width(fonts, regular, 10, "A", 1),
           v = rp_fonts_width(fonts, regular, 10, "V", 1);
    cr_assert_lt(rp_fonts_width(fonts, regular, 10, "AV", 2), a + v);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    unsetenv("ROLEPRESS_CACHE_DIR");
}
