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

static rp_lines brk_with(const char *text, double width, int justify, rp_hyph *h, int greedy)
{
    rp_run run = {text, face, 10, {0, 0, 0}};
    rp_break_opts o = {width, justify, h, greedy};
    return rp_break(fonts, arena, &run, 1, &o);
}

static rp_lines brk(const char *text, double width, int justify)
{
    return brk_with(text, width, justify, NULL, 0);
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
        w += (rp_fonts_advance(fonts, face, (unsigned char)*p) +
              (p[1] ? rp_fonts_kern(fonts, face, (unsigned char)p[0], (unsigned char)p[1]) : 0)) *
             10 / 1000.0;
    cr_assert_float_eq(ls.lines[0].width, w, 1e-9);
}

Test(linebreak, kerning_is_measured)
{
    /* DejaVu Serif kerns A and V (GPOS): the pair is narrower than its advances */
    double k = rp_fonts_kern(fonts, face, 'A', 'V');
    cr_assert_lt(k, 0, "no A-V kerning found");
    double w = rp_fonts_width(fonts, face, 10, "AV", 2);
    double adv = (rp_fonts_advance(fonts, face, 'A') + rp_fonts_advance(fonts, face, 'V')) / 100.0;
    cr_assert_float_eq(w, adv + k / 100.0, 1e-9);
    cr_assert_eq(rp_fonts_kern(fonts, face, 'A', ' '), 0, "spaces are never kerned");
}

/* Demerits of a set of lines as the total-fit breaker counts them (no hyphens). */
static double demerits(const rp_lines *ls)
{
    double d = 0;
    int prev_fit = -1;
    for (size_t i = 0; i < ls->nlines; i++) {
        double st = ls->lines[i].stretch;
        double r = i + 1 == ls->nlines ? 0 : st >= 1 ? (st - 1) / 0.5 : (st - 1) / 0.2;
        double bad = r >= 4.6416 ? 10000 : 100 * r * r * (r < 0 ? -r : r);
        int fit = r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
        d += (10 + bad) * (10 + bad);
        if (prev_fit >= 0 && (fit - prev_fit > 1 || prev_fit - fit > 1))
            d += 10000;
        prev_fit = fit;
    }
    return d;
}

Test(linebreak, total_fit_beats_first_fit)
{
    /* total fit is optimal among the breaks whose lines stay within its first tolerance:
     * whenever first fit's lines do, total fit's demerits are no higher */
    int better = 0, compared = 0;
    for (double w = 100; w <= 700; w += 3) {
        rp_lines kp = brk(text, w, 1), ff = brk_with(text, w, 1, NULL, 1);
        cr_assert_str_eq(rejoin(&kp), text);
        double worst = 0;
        for (size_t i = 0; i < ff.nlines; i++)
            worst = ff.lines[i].stretch > worst ? ff.lines[i].stretch : worst;
        if (worst > RP_SPACE_GOOD)
            continue;
        compared++;
        double dk = demerits(&kp), df = demerits(&ff);
        cr_assert_leq(dk, df * (1 + 1e-9), "width %.0f: total fit %.0f, first fit %.0f", w, dk, df);
        better += dk < df;
    }
    cr_assert_gt(compared, 10, "only %d widths compared", compared);
    cr_assert_geq(better, 5, "total fit found better breaks at only %d of %d widths", better,
                  compared);
}

Test(linebreak, ragged_lines_keep_natural_spaces)
{
    rp_lines ls = brk(text, 150, 0);
    for (size_t i = 0; i < ls.nlines; i++) {
        cr_assert_eq(ls.lines[i].spread, 0);
        cr_assert_float_eq(ls.lines[i].stretch, 1.0, 1e-9);
    }
}

Test(linebreak, hyphenation_points_are_used_and_bounded)
{
    char why[512];
    rp_hyph *h = rp_hyph_open("en-US", why, sizeof why);
    cr_assert_not_null(h, "%s", why);
    const char *words = "responsibilities internationalization characteristically "
                        "incomprehensibilities organizational administrative "
                        "responsibilities representativeness";
    int hyphenated = 0;
    for (double w = 50; w <= 160; w += 7) {
        rp_lines ls = brk_with(words, w, 1, h, 0);
        int run = 0;
        for (size_t i = 0; i < ls.nlines; i++) {
            const rp_line *ln = &ls.lines[i];
            run = ln->hyphenated ? run + 1 : 0;
            cr_assert_leq(run, 2, "more than two hyphenated lines in a row at %.0f", w);
            if (!ln->hyphenated)
                continue;
            hyphenated++;
            const char *t = ln->frags[ln->nfrags - 1].text;
            size_t n = strlen(t);
            cr_assert_eq(t[n - 1], '-');
            const char *sp = strrchr(t, ' ');
            cr_assert_geq(n - 1 - (sp ? (size_t)(sp - t) + 1 : 0), 2, "\"%s\"", t);
            const char *next = ls.lines[i + 1].frags[0].text;
            size_t tail = strcspn(next, " ");
            cr_assert_geq(tail, 3, "\"%s\" carries fewer than 3 letters", next);
        }
    }
    cr_assert_gt(hyphenated, 10);
    rp_hyph_free(h);
}

Test(linebreak, capitals_and_addresses_are_not_hyphenated)
{
    char why[512];
    rp_hyph *h = rp_hyph_open("en", why, sizeof why);
    cr_assert_not_null(h, "%s", why);
    size_t at[8];
    cr_assert_eq(rp_hyph_points(h, "SAFe", 4, at, 8), 0);
    cr_assert_eq(rp_hyph_points(h, "RESPONSIBILITIES", 16, at, 8), 0);
    cr_assert_gt(rp_hyph_points(h, "Responsibilities", 16, at, 8), 2);
    rp_lines ls =
        brk_with("see https://example.com/responsibilities/internationalization now", 90, 0, h, 0);
    for (size_t i = 0; i < ls.nlines; i++)
        cr_assert_eq(ls.lines[i].hyphenated, 0);
    rp_hyph_free(h);
}

Test(linebreak, hyphenation_points_survive_releasing_the_patterns)
{
    static const char *const words[] = {"responsibilities", "internationalization",
                                        "representativeness"};
    char why[512];
    rp_hyph *h = rp_hyph_open("en-US", why, sizeof why);
    cr_assert_not_null(h, "%s", why);
    const char *path = rp_hyph_path(h);
    size_t before[3][8], n[3];
    for (int i = 0; i < 3; i++) {
        n[i] = rp_hyph_points(h, words[i], strlen(words[i]), before[i], 8);
        cr_assert_gt(n[i], 2, "%s", words[i]);
    }
    rp_hyph_release(h);
    cr_assert_eq(rp_hyph_path(h), path);
    cr_assert_not(rp_hyph_failed(h));
    for (int i = 0; i < 3; i++) { /* the patterns load again */
        size_t after[8];
        cr_assert_eq(rp_hyph_points(h, words[i], strlen(words[i]), after, 8), n[i]);
        cr_assert_arr_eq(after, before[i], n[i] * sizeof *after, "%s", words[i]);
    }
    rp_hyph_release(h);
    rp_hyph_release(h);
    rp_hyph_free(h);
}

Test(linebreak, unknown_languages_are_refused)
{
    char why[512];
    cr_assert_null(rp_hyph_open("xx", why, sizeof why));
    cr_assert(strstr(why, "hyph_xx.dic"), "%s", why);
    cr_assert_null(rp_hyph_open("../../etc/passwd", why, sizeof why));
    cr_assert(strstr(why, "does not start with a two- or three-letter"), "%s", why);
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
