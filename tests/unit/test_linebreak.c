/* Unit tests of the line breaker, measured with a real installed font. */
#include <criterion/criterion.h>
#include <string.h>

#include "fonts.h"
#include "linebreak.h"

static rp_fonts *fonts;
static rp_arena *arena;
static int face;

static void setup(void)
{
    fonts = rp_fonts_new();
    cr_assert_not_null(fonts);
    face = rp_fonts_find(fonts, "DejaVu Serif", 0, 0);
    cr_assert_geq(face, 0, "DejaVu Serif must be installed (make deps)");
    arena = rp_arena_new();
}

static void teardown(void)
{
    rp_arena_free(arena);
    rp_fonts_free(fonts);
}

TestSuite(linebreak, .init = setup, .fini = teardown);

static rp_lines brk(const char *text, double width, int justify)
{
    rp_run run = {text, face, 10, {0, 0, 0}};
    return rp_break(fonts, arena, &run, 1, width, justify);
}

/* The words of all lines, re-joined with single spaces. */
static char *rejoin(const rp_lines *ls)
{
    static char buf[4096];
    buf[0] = '\0';
    for (size_t i = 0; i < ls->nlines; i++) {
        for (size_t k = 0; k < ls->lines[i].nfrags; k++) {
            const rp_frag *f = &ls->lines[i].frags[k];
            int glue = strlen(buf) && (k > 0 ? f->x > ls->lines[i].frags[k - 1].x +
                                                          ls->lines[i].frags[k - 1].w + 0.01
                                             : 1);
            if (glue)
                strcat(buf, " ");
            strcat(buf, f->text);
        }
    }
    return buf;
}

static const char *text = "The Product Owner role originated in the Scrum agile framework and "
                          "is found in organizations that develop products in an agile way; "
                          "the Product Manager looks further ahead.";

Test(linebreak, keeps_every_word_in_order)
{
    rp_lines ls = brk(text, 150, 1);
    cr_assert_gt(ls.nlines, 3);
    cr_assert_str_eq(rejoin(&ls), text);
}

Test(linebreak, lines_fit_the_measure)
{
    for (double w = 60; w <= 400; w += 17) {
        rp_lines ls = brk(text, w, 0);
        for (size_t i = 0; i < ls.nlines; i++)
            cr_assert_leq(ls.lines[i].width, w + 0.001, "line %zu is %.2f wide in %.2f", i,
                          ls.lines[i].width, w);
    }
}

Test(linebreak, justified_lines_fill_the_measure_but_the_last)
{
    rp_lines ls = brk(text, 180, 1);
    for (size_t i = 0; i + 1 < ls.nlines; i++) {
        const rp_line *ln = &ls.lines[i];
        const rp_frag *last = &ln->frags[ln->nfrags - 1];
        cr_assert_float_eq(last->x + last->w, 180, 0.01, "line %zu ends at %.2f", i,
                           last->x + last->w);
        cr_assert_geq(ln->stretch, 1.0);
    }
    const rp_line *end = &ls.lines[ls.nlines - 1];
    cr_assert_lt(end->width, 180);
    cr_assert_float_eq(end->stretch, 1.0, 1e-9);
}

Test(linebreak, widths_match_the_font)
{
    rp_lines ls = brk("Hello", 500, 0);
    cr_assert_eq(ls.nlines, 1);
    double w = 0;
    for (const char *p = "Hello"; *p; p++)
        w += rp_fonts_advance(fonts, face, (unsigned char)*p) * 10 / 1000.0;
    cr_assert_float_eq(ls.lines[0].width, w, 1e-9);
}

Test(linebreak, long_token_is_split_and_flagged)
{
    rp_lines ls = brk("a supercalifragilisticexpialidocious-word-without-any-spaces end", 60, 0);
    cr_assert_gt(ls.nlines, 2);
    int forced = 0;
    for (size_t i = 0; i < ls.nlines; i++) {
        cr_assert_leq(ls.lines[i].width, 60.001);
        forced |= ls.lines[i].forced;
    }
    cr_assert(forced);
}

Test(linebreak, breaks_after_hyphens_when_needed)
{
    rp_lines ls = brk("well-known long-term cross-department", 70, 0);
    cr_assert_gt(ls.nlines, 1);
    int ends_with_hyphen = 0;
    for (size_t i = 0; i + 1 < ls.nlines; i++) {
        const rp_line *ln = &ls.lines[i];
        const char *t = ln->frags[ln->nfrags - 1].text;
        ends_with_hyphen |= t[strlen(t) - 1] == '-';
        cr_assert_eq(ln->forced, 0);
    }
    cr_assert(ends_with_hyphen);
}

Test(linebreak, soft_hyphen_is_never_printed_unless_breaking)
{
    rp_lines one = brk("extra\xC2\xADordinary", 500, 0);
    cr_assert_str_eq(one.lines[0].frags[0].text, "extraordinary");
    rp_lines two = brk("an extra\xC2\xADordinary", 60, 0);
    cr_assert_eq(two.nlines, 2);
    cr_assert_str_eq(rejoin(&two), "an extra- ordinary");
}

Test(linebreak, empty_input_gives_no_lines)
{
    rp_lines ls = brk("", 100, 1);
    cr_assert_eq(ls.nlines, 0);
}
