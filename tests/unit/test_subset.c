/* Unit tests of font subsetting: the subset is read back independently through FreeType
 * and compared with the whole font file (glyph coverage, advances, unitsPerEm, tables). */
#include <criterion/criterion.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#include "fonts.h"
#include "pdffont.h"
#include "subset.h"

#define FAMILY "Noto Sans" /* has GSUB, GPOS and GDEF, and thousands of glyphs */

static rp_fonts *fonts;
static const char *path;
static FT_Library ft;
static FT_Face whole;

static void setup(void)
{
    fonts = rp_fonts_new();
    cr_assert_not_null(fonts);
    int face = rp_fonts_find(fonts, FAMILY, 0, 0);
    cr_assert_geq(face, 0, FAMILY " must be installed (make deps)");
    path = rp_fonts_path(fonts, face);
    cr_assert_eq(FT_Init_FreeType(&ft), 0);
    cr_assert_eq(FT_New_Face(ft, path, 0, &whole), 0);
}

static void teardown(void)
{
    if (whole)
        FT_Done_Face(whole);
    if (ft)
        FT_Done_FreeType(ft);
    whole = NULL;
    ft = NULL;
    rp_fonts_free(fonts);
}

TestSuite(subset, .init = setup, .fini = teardown);

static int has_table(FT_Face f, FT_ULong tag)
{
    FT_ULong len = 0;
    return FT_Load_Sfnt_Table(f, tag, 0, NULL, &len) == 0 && len > 0;
}

static FT_Pos advance(FT_Face f, FT_ULong cp)
{
    cr_assert_eq(FT_Load_Char(f, cp, FT_LOAD_NO_SCALE), 0, "U+%04lX", (unsigned long)cp);
    return f->glyph->metrics.horiAdvance;
}

Test(subset, code_point_sets)
{
    static rp_cpset s, t;
    memset(&s, 0, sizeof s);
    memset(&t, 0, sizeof t);
    cr_assert_eq(rp_cpset_last(&s), -1);
    rp_cpset_add_utf8(&s, "Ab\xC3\xA9\xE2\x80\x94"); /* A b é — */
    cr_assert(rp_cpset_has(&s, 'A') && rp_cpset_has(&s, 'b'));
    cr_assert(rp_cpset_has(&s, 0xE9) && rp_cpset_has(&s, 0x2014));
    cr_assert(!rp_cpset_has(&s, ' ') && !rp_cpset_has(&s, 'B'));
    cr_assert_eq(rp_cpset_last(&s), 0x2014);
    /* libharu draws a character beyond the BMP as a space */
    rp_cpset_add_utf8(&t, "\xF0\x9F\x98\x80");
    cr_assert(rp_cpset_has(&t, ' '));
    cr_assert_eq(rp_cpset_last(&t), ' ');
    rp_cpset_add(&t, 0xFFFF);
    rp_cpset_add(&t, 0x10000); /* ignored: not in the BMP */
    rp_cpset_union(&s, &t);
    cr_assert(rp_cpset_has(&s, ' ') && rp_cpset_has(&s, 'A'));
    cr_assert_eq(rp_cpset_last(&s), 0xFFFF);
}

Test(subset, holds_the_drawn_glyphs_with_their_advances)
{
    static rp_cpset cps;
    memset(&cps, 0, sizeof cps);
    rp_cpset_add_utf8(&cps, "Office hours \xE2\x80\x94 caf\xC3\xA9 fi");
    rp_subset *sub = rp_subset_new(path, &cps, NULL, NULL);
    cr_assert_not_null(sub);
    size_t len;
    const unsigned char *data = rp_subset_data(sub, &len);
    FT_Face f;
    cr_assert_eq(FT_New_Memory_Face(ft, data, (FT_Long)len, 0, &f), 0);
    cr_assert_eq(f->units_per_EM, whole->units_per_EM);
    /* drawn characters (and H, x) keep their advances; the rest are gone */
    for (const char *p = "Oficehursa Hx"; *p; p++)
        cr_assert_eq(advance(f, (unsigned char)*p), advance(whole, (unsigned char)*p), "%c", *p);
    cr_assert_eq(advance(f, 0x2014), advance(whole, 0x2014));
    cr_assert_eq(advance(f, 0xE9), advance(whole, 0xE9));
    cr_assert_eq(FT_Get_Char_Index(f, 'Q'), 0);
    cr_assert_eq(FT_Get_Char_Index(f, 'z'), 0);
    cr_assert_neq(FT_Get_Char_Index(whole, 'Q'), 0);
    /* a few glyphs, not thousands: the 14 characters drawn, .notdef, H and x, and the
     * components of composite glyphs (é), a few at most */
    cr_assert_leq(f->num_glyphs, 14 + 3 + 3, "%ld glyphs", f->num_glyphs);
    cr_assert_gt(whole->num_glyphs, 1000);
    /* glyph 0 keeps its outline (a missing character is drawn as a box) */
    cr_assert_eq(FT_Load_Glyph(f, 0, FT_LOAD_NO_SCALE), 0);
    cr_assert_gt(f->glyph->outline.n_points, 0);
    /* only the tables libharu reads or embeds */
    cr_assert(has_table(whole, TTAG_GSUB) && has_table(whole, TTAG_GPOS));
    cr_assert(!has_table(f, TTAG_GSUB) && !has_table(f, TTAG_GPOS) && !has_table(f, TTAG_GDEF));
    cr_assert(has_table(f, TTAG_glyf) && has_table(f, TTAG_loca) && has_table(f, TTAG_hmtx));
    cr_assert(has_table(f, TTAG_cmap) && has_table(f, TTAG_name) && has_table(f, TTAG_OS2));
    FT_Done_Face(f);
    rp_subset_free(sub);
}

Test(subset, a_file_that_is_not_a_font_gives_null)
{
    static rp_cpset cps;
    memset(&cps, 0, sizeof cps);
    rp_cpset_add(&cps, 'a');
    cr_assert_null(rp_subset_new("/nonexistent/font.ttf", &cps, NULL, NULL));
    cr_assert_null(rp_subset_new("Makefile", &cps, NULL, NULL));
    rp_subset_free(NULL);
}

/* The codes of a known set of characters (pdffont.h): two non-zero bytes per character,
 * 'H' and 'x' first, then in code point order, and a subset whose cmap maps those codes to
 * the same glyphs. */
Test(subset, keyed_by_the_document_codes)
{
    static rp_cpset cps;
    memset(&cps, 0, sizeof cps);
    rp_cpset_add_utf8(&cps, "Office hours \xE2\x80\x94 caf\xC3\xA9");
    rp_codes *codes = rp_codes_new(&cps);
    cr_assert_not_null(codes);
    /* H, x, then ' ' < 'O' < 'a' < ... < U+00E9 < U+2014 */
    uint32_t space = rp_codes_key(codes, ' '), o = rp_codes_key(codes, 'O');
    uint32_t e_acute = rp_codes_key(codes, 0xE9), dash = rp_codes_key(codes, 0x2014);
    cr_assert_eq(rp_codes_key(codes, 'H'), 0x0101);
    cr_assert_eq(rp_codes_key(codes, 'x'), 0x0102);
    cr_assert_eq(space, 0x0103);
    cr_assert(space < o && o < e_acute && e_acute < dash, "%x %x %x %x", space, o, e_acute, dash);
    cr_assert_neq(rp_codes_key(codes, 'H'), 0);
    cr_assert_neq(rp_codes_key(codes, 'x'), 0);
    cr_assert_eq(rp_codes_key(codes, 'Q'), 0);
    char out[32];
    rp_codes_encode(codes, "O\xC3\xA9 \xF0\x9F\x98\x80Q", 9, out);
    /* O, é, space, the emoji drawn as a space, Q (no code: the code after the last) */
    cr_assert_eq(strlen(out), 10, "no zero byte inside");
    uint32_t got[5];
    for (int i = 0; i < 5; i++)
        got[i] = (uint32_t)((unsigned char)out[2 * i] << 8 | (unsigned char)out[2 * i + 1]);
    cr_assert(got[0] == o && got[1] == e_acute && got[2] == space && got[3] == space);
    cr_assert_gt(got[4], dash);

    rp_subset *sub = rp_subset_new(path, &cps, rp_codes_key, codes);
    cr_assert_not_null(sub);
    cr_assert(rp_subset_keyed(sub));
    size_t len;
    const unsigned char *data = rp_subset_data(sub, &len);
    FT_Face f;
    cr_assert_eq(FT_New_Memory_Face(ft, data, (FT_Long)len, 0, &f), 0);
    for (const char *p = "Oficehursa Hx"; *p; p++)
        cr_assert_eq(advance(f, rp_codes_key(codes, (unsigned char)*p)),
                     advance(whole, (unsigned char)*p), "%c", *p);
    cr_assert_eq(advance(f, e_acute), advance(whole, 0xE9));
    cr_assert_eq(advance(f, dash), advance(whole, 0x2014));
    cr_assert_eq(FT_Get_Char_Index(f, 'O'), 0, "code points themselves are not mapped");
    FT_Done_Face(f);
    rp_subset_free(sub);
    rp_codes_free(codes);
}

/* The PDF writer's codes, given as pages are drawn: in the order characters are first met,
 * the same code for a character met again, and past 255 codes the lead byte moves on. */
Test(subset, codes_given_as_text_is_drawn)
{
    rp_codes *codes = rp_codes_new(NULL);
    cr_assert_not_null(codes);
    static rp_cpset drawn;
    memset(&drawn, 0, sizeof drawn);
    char out[2 * 400 + 1];
    cr_assert_eq(rp_codes_encode_new(codes, "xab", 3, out, NULL), 6);
    cr_assert_eq(memcmp(out, "\x01\x02\x01\x03\x01\x04", 6), 0, "x was given, a and b are next");
    cr_assert_eq(rp_codes_encode_new(codes, "ba\xC3\xA9", 4, out, &drawn), 6);
    cr_assert_eq(memcmp(out, "\x01\x04\x01\x03\x01\x05", 6), 0);
    cr_assert_eq(rp_codes_key(codes, 0xE9), 0x0105);
    cr_assert(rp_cpset_has(&drawn, 'a') && rp_cpset_has(&drawn, 'b') && rp_cpset_has(&drawn, 0xE9));
    cr_assert(!rp_cpset_has(&drawn, 'x'), "only what the second call drew");
    cr_assert_eq(rp_codes_key(codes, 'H'), 0x0101);
    /* 300 more characters: codes 255 and on have lead byte 2 and no zero byte */
    char text[3 * 300 + 1], *p = text;
    for (uint32_t cp = 0x400; cp < 0x400 + 300; cp++) {
        *p++ = (char)(0xC0 | cp >> 6);
        *p++ = (char)(0x80 | (cp & 0x3F));
    }
    *p = '\0';
    size_t n = rp_codes_encode_new(codes, text, (size_t)(p - text), out, NULL);
    cr_assert_eq(n, 600);
    cr_assert_eq(strlen(out), 600, "no zero byte inside");
    cr_assert_eq(rp_codes_key(codes, 0x400 + 249), 0x01FF, "the 255th code");
    cr_assert_eq(rp_codes_key(codes, 0x400 + 250), 0x0201, "the 256th code");
    rp_codes_free(codes);
}
