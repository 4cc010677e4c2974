/* Unit tests of styles: lengths and colours, paper and role colours, the shipped styles
 * resolved to points, and refusals of broken style files with every problem reported. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "style.h"

#define MM (72.0 / 25.4)
#define EPS 1e-9
#define STYLE_OPEN                                                                                 \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<style xmlns=\"urn:rolepress:style:1\">\n"
#define MAX_FILES 16

/* ---- helpers -------------------------------------------------------------------------- */

static rp_arena *arena;
static rp_fonts *fonts;
#define TMPDIR_TEMPLATE "/tmp/rp-style-XXXXXX"
static char tmpdir[sizeof TMPDIR_TEMPLATE];
static int have_tmpdir;
static char *written[MAX_FILES];
static size_t nwritten;

static void diag_setup(void)
{
    rp_diag_reset();
    rp_diag_set_quiet(1);
}

static void diag_teardown(void)
{
    rp_diag_set_quiet(0);
}

static void load_setup(void)
{
    diag_setup();
    arena = rp_arena_new();
    fonts = rp_fonts_new();
    cr_assert_not_null(fonts);
    memcpy(tmpdir, TMPDIR_TEMPLATE, sizeof tmpdir);
    cr_assert_not_null(mkdtemp(tmpdir), "cannot create a temporary directory");
    have_tmpdir = 1;
}

static void load_teardown(void)
{
    for (size_t i = 0; i < nwritten; i++)
        remove(written[i]);
    nwritten = 0;
    if (have_tmpdir)
        rmdir(tmpdir);
    have_tmpdir = 0;
    rp_fonts_free(fonts);
    rp_arena_free(arena);
    diag_teardown();
}

TestSuite(style_parse, .init = diag_setup, .fini = diag_teardown);
TestSuite(style_load, .init = load_setup, .fini = load_teardown);

/* Writes xml to name in the test's temporary directory; returns the arena-owned path. */
static const char *write_style(const char *name, const char *xml)
{
    char *path = rp_arena_printf(arena, "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "cannot write %s", path);
    cr_assert_eq(fputs(xml, fp) >= 0, 1);
    cr_assert_eq(fclose(fp), 0);
    cr_assert_lt(nwritten, MAX_FILES);
    written[nwritten++] = path;
    return path;
}

/* Loads path with messages printed (not quiet) into a temporary file; returns the load's
 * result and stores the messages (arena-owned) in *text. */
static int load_capturing(rp_style *s, const char *path, const char **text)
{
    FILE *tmp = tmpfile();
    cr_assert_not_null(tmp);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    cr_assert_geq(saved, 0);
    cr_assert_geq(dup2(fileno(tmp), STDERR_FILENO), 0);
    rp_diag_set_quiet(0);
    int rc = rp_style_load(s, path, fonts, arena);
    rp_diag_set_quiet(1);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);

    long n = ftell(tmp);
    cr_assert_geq(n, 0);
    char *buf = rp_arena_alloc(arena, (size_t)n + 1);
    rewind(tmp);
    cr_assert_eq(fread(buf, 1, (size_t)n, tmp), (size_t)n);
    fclose(tmp);
    *text = buf;
    return rc;
}

/* Asserts that messages has an error at line of the file at path. */
static void assert_error_at(const char *messages, const char *path, long line)
{
    char *want = rp_arena_printf(arena, "%s:%ld: error: ", path, line);
    char *want_col = rp_arena_printf(arena, "%s:%ld:", path, line);
    int found = strstr(messages, want) != NULL;
    /* a message with a column: "path:line:col: error: " */
    for (const char *p = messages; !found && (p = strstr(p, want_col)) != NULL; p++) {
        const char *q = p + strlen(want_col);
        q += strspn(q, "0123456789");
        found = strncmp(q, ": error: ", 9) == 0;
    }
    cr_assert(found, "no error at line %ld in:\n%s", line, messages);
}

static int color_eq(rp_color a, rp_color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

static rp_color hex(unsigned v)
{
    rp_color c = {((v >> 16) & 0xFF) / 255.0, ((v >> 8) & 0xFF) / 255.0, (v & 0xFF) / 255.0};
    return c;
}

#define assert_gray(c, what)                                                                       \
    cr_assert((c).r == (c).g && (c).g == (c).b, "%s is not grey: %g %g %g", (what), (c).r, (c).g,  \
              (c).b)

/* ---- lengths -------------------------------------------------------------------------- */

Test(style_parse, length_units)
{
    double pt = -1;
    cr_assert_eq(rp_style_parse_length("12pt", &pt), 0);
    cr_assert_float_eq(pt, 12, EPS);
    cr_assert_eq(rp_style_parse_length("8.5pt", &pt), 0);
    cr_assert_float_eq(pt, 8.5, EPS);
    cr_assert_eq(rp_style_parse_length("25.4mm", &pt), 0);
    cr_assert_float_eq(pt, 72, EPS);
    cr_assert_eq(rp_style_parse_length("4.5mm", &pt), 0);
    cr_assert_float_eq(pt, 4.5 * MM, EPS);
    cr_assert_eq(rp_style_parse_length("1cm", &pt), 0);
    cr_assert_float_eq(pt, 72 / 2.54, EPS);
    cr_assert_eq(rp_style_parse_length("2.54cm", &pt), 0);
    cr_assert_float_eq(pt, 72, EPS);
    cr_assert_eq(rp_style_parse_length("0.5in", &pt), 0);
    cr_assert_float_eq(pt, 36, EPS);
    cr_assert_eq(rp_style_parse_length("1in", &pt), 0);
    cr_assert_float_eq(pt, 72, EPS);
}

Test(style_parse, length_edge_values)
{
    double pt = -1;
    cr_assert_eq(rp_style_parse_length("0pt", &pt), 0);
    cr_assert_float_eq(pt, 0, EPS);
    cr_assert_eq(rp_style_parse_length("007pt", &pt), 0);
    cr_assert_float_eq(pt, 7, EPS);
    cr_assert_eq(rp_style_parse_length("0.05pt", &pt), 0);
    cr_assert_float_eq(pt, 0.05, EPS);
    cr_assert_eq(rp_style_parse_length("10.25pt", &pt), 0);
    cr_assert_float_eq(pt, 10.25, EPS);
    /* nine digits is the documented maximum of a number */
    cr_assert_eq(rp_style_parse_length("123456789pt", &pt), 0);
    cr_assert_float_eq(pt, 123456789, EPS);
}

Test(style_parse, length_malformed_is_refused_and_leaves_value)
{
    static const char *const bad[] = {
        "12px", "",      "1..2pt", "-3pt", "+3pt",  "1,5mm", "pt",    "12 pt",   "12",     ".5pt",
        "5.pt", "1e2pt", "12PT",   "12Mm", " 12pt", "12pt ", "12ptx", "1.2.3pt", "0x10pt", "12\tpt",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        double pt = 42;
        cr_assert_eq(rp_style_parse_length(bad[i], &pt), -1, "'%s' was accepted", bad[i]);
        cr_assert_float_eq(pt, 42, 0, "'%s' changed the value", bad[i]);
    }
    double pt = 42;
    /* more than nine digits (style.c's MAX_DIGITS) is refused rather than overflowing */
    cr_assert_eq(rp_style_parse_length("1234567890pt", &pt), -1);
    cr_assert_eq(rp_style_parse_length(NULL, &pt), -1);
    cr_assert_eq(rp_diag_errors(), 0, "parsing reports nothing itself");
}

/* ---- colours -------------------------------------------------------------------------- */

Test(style_parse, color_valid)
{
    rp_color c = {-1, -1, -1};
    cr_assert_eq(rp_style_parse_color("#000000", &c), 0);
    cr_assert(color_eq(c, (rp_color){0, 0, 0}));
    cr_assert_eq(rp_style_parse_color("#ffffff", &c), 0);
    cr_assert(color_eq(c, (rp_color){1, 1, 1}));
    cr_assert_eq(rp_style_parse_color("#1f5fa8", &c), 0);
    cr_assert_float_eq(c.r, 0x1f / 255.0, EPS);
    cr_assert_float_eq(c.g, 0x5f / 255.0, EPS);
    cr_assert_float_eq(c.b, 0xa8 / 255.0, EPS);
    rp_color upper = {-1, -1, -1};
    cr_assert_eq(rp_style_parse_color("#1F5FA8", &upper), 0);
    cr_assert(color_eq(c, upper), "hex digits are case-insensitive");
    cr_assert_eq(rp_style_parse_color("#102030", &c), 0);
    cr_assert_float_eq(c.r, 16 / 255.0, EPS);
    cr_assert_float_eq(c.g, 32 / 255.0, EPS);
    cr_assert_float_eq(c.b, 48 / 255.0, EPS);
}

Test(style_parse, color_invalid_is_refused_and_leaves_value)
{
    static const char *const bad[] = {
        "",         "#",        "1f5fa8",   "#1f5fa",  "#1f5fa8a",   "#1g5fa8", "#fff",
        " #1f5fa8", "#1f5fa8 ", "##1f5fa8", "#-1f5fa", "rgb(1,2,3)", "#1f 5fa", "#1f5fa\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        rp_color c = {0.25, 0.5, 0.75};
        cr_assert_eq(rp_style_parse_color(bad[i], &c), -1, "'%s' was accepted", bad[i]);
        cr_assert(color_eq(c, (rp_color){0.25, 0.5, 0.75}), "'%s' changed the colour", bad[i]);
    }
    rp_color c;
    cr_assert_eq(rp_style_parse_color(NULL, &c), -1);
}

/* ---- locale independence ------------------------------------------------------------ */

/* Sets a decimal-comma LC_NUMERIC if one is installed, else C.UTF-8 (then the checks still
 * run, only without a comma). Returns the name set or NULL. */
static const char *set_comma_locale(void)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                        "fr_FR.utf8",  "de_DE",      "fr_FR"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (setlocale(LC_NUMERIC, names[i])) {
            cr_assert_str_eq(localeconv()->decimal_point, ",", "%s has a decimal comma", names[i]);
            return names[i];
        }
    cr_log_warn("no decimal-comma locale installed; checking under C.UTF-8 only");
    return setlocale(LC_NUMERIC, "C.UTF-8") ? "C.UTF-8" : NULL;
}

Test(style_parse, length_parsing_ignores_the_locale)
{
    static const char *const inputs[] = {"10.5pt", "4.5mm", "1.25cm", "0.5in", "8.75pt", "1,5mm"};
    enum { N = sizeof inputs / sizeof *inputs };
    double before[N], after[N];
    int rc_before[N], rc_after[N];
    for (size_t i = 0; i < N; i++) {
        before[i] = after[i] = -1;
        rc_before[i] = rp_style_parse_length(inputs[i], &before[i]);
    }
    set_comma_locale();
    for (size_t i = 0; i < N; i++)
        rc_after[i] = rp_style_parse_length(inputs[i], &after[i]);
    setlocale(LC_NUMERIC, "C");
    for (size_t i = 0; i < N; i++) {
        cr_assert_eq(rc_after[i], rc_before[i], "'%s'", inputs[i]);
        cr_assert_float_eq(after[i], before[i], 0, "'%s'", inputs[i]);
    }
    cr_assert_float_eq(after[0], 10.5, EPS);
    cr_assert_float_eq(after[2], 1.25 * 72 / 2.54, EPS);
    cr_assert_eq(rc_after[5], -1, "a decimal comma is never a length");
}

Test(style_load, loading_ignores_the_locale)
{
    rp_style s;
    set_comma_locale();
    int rc = rp_style_load(&s, "styles/default.xml", fonts, arena);
    setlocale(LC_NUMERIC, "C");
    cr_assert_eq(rc, 0);
    cr_assert_eq(rp_diag_errors(), 0);
    cr_assert_float_eq(s.text[RP_TS_CHEAT_BODY].size, 10.5, EPS);
    cr_assert_float_eq(s.text[RP_TS_CHEAT_BODY].leading, 13.5, EPS);
    cr_assert_float_eq(s.text[RP_TS_TABLE].size, 8.5, EPS);
    cr_assert_float_eq(s.cheat_step, 0.5, EPS);
}

/* ---- paper and role colours --------------------------------------------------------- */

Test(style_parse, set_paper_and_orientation)
{
    rp_style s;
    memset(&s, 0, sizeof s);
    cr_assert_eq(rp_style_set_paper(&s, "letter"), 0);
    cr_assert_str_eq(s.paper, "letter");
    cr_assert_float_eq(s.page_w, 612, EPS);
    cr_assert_float_eq(s.page_h, 792, EPS);
    cr_assert_eq(rp_style_set_paper(&s, "a4"), 0);
    cr_assert_str_eq(s.paper, "a4");
    cr_assert_float_eq(s.page_w, 595.28, 0.01);
    cr_assert_float_eq(s.page_h, 841.89, 0.01);

    s.landscape = 1;
    cr_assert_eq(rp_style_set_paper(&s, "LETTER"), 0, "paper names are case-insensitive");
    cr_assert_str_eq(s.paper, "letter");
    cr_assert_float_eq(s.page_w, 792, EPS);
    cr_assert_float_eq(s.page_h, 612, EPS);
    cr_assert_eq(rp_style_set_paper(&s, "A4"), 0);
    cr_assert_str_eq(s.paper, "a4");
    cr_assert_float_eq(s.page_w, 841.89, 0.01);
    cr_assert_float_eq(s.page_h, 595.28, 0.01);
}

Test(style_parse, set_paper_refuses_unknown_names_silently)
{
    rp_style s;
    memset(&s, 0, sizeof s);
    cr_assert_eq(rp_style_set_paper(&s, "letter"), 0);
    static const char *const bad[] = {"a5", "", "legal", "a4 ", "letterx"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_eq(rp_style_set_paper(&s, bad[i]), -1, "'%s' was accepted", bad[i]);
    cr_assert_eq(rp_style_set_paper(&s, NULL), -1);
    cr_assert_str_eq(s.paper, "letter", "a refused name leaves the paper");
    cr_assert_float_eq(s.page_w, 612, EPS);
    cr_assert_float_eq(s.page_h, 792, EPS);
    cr_assert_eq(rp_diag_errors() + rp_diag_warnings(), 0, "nothing is reported");
}

Test(style_parse, role_color_override_palette_and_wrap)
{
    rp_style s;
    memset(&s, 0, sizeof s);
    s.palette[0] = hex(0x110000);
    s.palette[1] = hex(0x002200);
    s.palette[2] = hex(0x000033);
    s.npalette = 3;
    s.role_colors[0].role = "editor";
    s.role_colors[0].color = hex(0xabcdef);
    s.role_colors[1].role = "writer";
    s.role_colors[1].color = hex(0x123456);
    s.nrole_colors = 2;

    /* an override wins whatever the position */
    cr_assert(color_eq(rp_style_role_color(&s, "editor", 0), hex(0xabcdef)));
    cr_assert(color_eq(rp_style_role_color(&s, "editor", 7), hex(0xabcdef)));
    cr_assert(color_eq(rp_style_role_color(&s, "writer", 1), hex(0x123456)));
    /* other roles take the palette colour of their position */
    cr_assert(color_eq(rp_style_role_color(&s, "reader", 0), hex(0x110000)));
    cr_assert(color_eq(rp_style_role_color(&s, "reader", 1), hex(0x002200)));
    cr_assert(color_eq(rp_style_role_color(&s, "reader", 2), hex(0x000033)));
    cr_assert(color_eq(rp_style_role_color(&s, NULL, 1), hex(0x002200)));
    /* ids are compared exactly */
    cr_assert(color_eq(rp_style_role_color(&s, "Editor", 2), hex(0x000033)));
    /* positions past the palette wrap around */
    cr_assert(color_eq(rp_style_role_color(&s, "reader", 3), hex(0x110000)));
    cr_assert(color_eq(rp_style_role_color(&s, "reader", 4), hex(0x002200)));
    cr_assert(color_eq(rp_style_role_color(&s, "reader", 8), hex(0x000033)));
}

Test(style_load, role_colors_from_a_file)
{
    const char *path = write_style("roles.xml", STYLE_OPEN
                                   "  <palette><color>#ff0000</color><color>#00ff00</color>"
                                   "</palette>\n"
                                   "  <role-color role=\"po\" color=\"#0000ff\"/>\n"
                                   "</style>\n");
    rp_style s;
    cr_assert_eq(rp_style_load(&s, path, fonts, arena), 0);
    cr_assert_eq(rp_diag_errors(), 0);
    cr_assert_eq(s.npalette, 2);
    cr_assert_eq(s.nrole_colors, 1);
    cr_assert_str_eq(s.role_colors[0].role, "po");
    cr_assert(color_eq(rp_style_role_color(&s, "po", 0), hex(0x0000ff)));
    cr_assert(color_eq(rp_style_role_color(&s, "pm", 0), hex(0xff0000)));
    cr_assert(color_eq(rp_style_role_color(&s, "pm", 1), hex(0x00ff00)));
    cr_assert(color_eq(rp_style_role_color(&s, "pm", 2), hex(0xff0000)));
}

/* ---- the shipped styles ------------------------------------------------------------- */

/* Every role has four usable faces matching its inline weight and slant. */
static void assert_faces(const rp_style *s)
{
    for (int r = 0; r < RP_TS__COUNT; r++)
        for (int k = 0; k < 4; k++) {
            int f = s->text[r].faces[k];
            cr_assert_geq(f, 0, "role %d face %d", r, k);
            cr_assert_lt((size_t)f, rp_fonts_count(fonts));
            cr_assert_str_eq(rp_fonts_family(fonts, f), s->text[r].family);
            cr_assert_eq(rp_fonts_bold(fonts, f), k & 1, "role %d face %d", r, k);
            cr_assert_eq(rp_fonts_italic(fonts, f), k >> 1, "role %d face %d", r, k);
        }
}

Test(style_load, default_style)
{
    rp_style s;
    cr_assert_eq(rp_style_load(&s, "styles/default.xml", fonts, arena), 0);
    cr_assert_eq(rp_diag_errors(), 0);
    cr_assert_eq(rp_diag_warnings(), 0);
    cr_assert_str_eq(s.name, "default");
    cr_assert_str_eq(s.paper, "a4");
    cr_assert_eq(s.landscape, 0);
    cr_assert_float_eq(s.page_w, 595.28, 0.01);
    cr_assert_float_eq(s.page_h, 841.89, 0.01);
    cr_assert_float_eq(s.margin_top, 20 * MM, EPS);
    cr_assert_float_eq(s.margin_bottom, 22 * MM, EPS);
    cr_assert_float_eq(s.margin_left, 22 * MM, EPS);
    cr_assert_float_eq(s.margin_right, 22 * MM, EPS);

    const rp_text_style *body = &s.text[RP_TS_BODY];
    cr_assert_str_eq(body->family, "Noto Serif");
    cr_assert_float_eq(body->size, 10, EPS);
    cr_assert_float_eq(body->leading, 14, EPS);
    cr_assert_eq(body->align_justify, 1);
    cr_assert_eq(body->bold, 0);
    cr_assert(color_eq(body->color, hex(0x1f2328)));
    cr_assert_gt(body->line, 0, "the line of its <text> is kept");
    cr_assert_eq(s.text[RP_TS_TITLE].bold, 1);
    cr_assert_float_eq(s.text[RP_TS_TITLE].size, 24, EPS);
    cr_assert_eq(s.text[RP_TS_CAPTION].italic, 1);
    cr_assert_float_eq(s.text[RP_TS_H1].space_before, 16, EPS);
    assert_faces(&s);

    cr_assert_eq(s.npalette, 4);
    cr_assert(color_eq(s.palette[0], hex(0x1f5fa8)));
    cr_assert(color_eq(s.palette[3], hex(0x7b3fa0)));
    cr_assert_eq(s.nrole_colors, 0);
    cr_assert(color_eq(s.accent, hex(0x457b9d)));
    cr_assert(color_eq(s.table_stripe_bg, hex(0xf6f8fa)));
    cr_assert_float_eq(s.paragraph_space, 6, EPS);
    cr_assert_float_eq(s.cell_padding, 4, EPS);
    cr_assert_eq(s.cheat_landscape, 1);
    cr_assert_float_eq(s.cheat_margin, 12 * MM, EPS);
    cr_assert_float_eq(s.cheat_min_size, 7, EPS);
    cr_assert_float_eq(s.cheat_step, 0.5, EPS);
}

Test(style_load, print_style_is_greyscale)
{
    rp_style s;
    cr_assert_eq(rp_style_load(&s, "styles/print.xml", fonts, arena), 0);
    cr_assert_eq(rp_diag_errors(), 0);
    cr_assert_str_eq(s.name, "print");
    cr_assert_float_eq(s.page_w, 595.28, 0.01);
    cr_assert_float_eq(s.page_h, 841.89, 0.01);
    cr_assert_float_eq(s.margin_top, 22 * MM, EPS);
    cr_assert_float_eq(s.margin_bottom, 26 * MM, EPS);
    cr_assert_float_eq(s.margin_left, 30 * MM, EPS, "the inner margin, for binding");
    cr_assert_float_eq(s.margin_right, 20 * MM, EPS);
    cr_assert_eq(s.mirror, 1, "duplex: margins mirrored on even pages");
    cr_assert_float_eq(s.cheat_margin, 14 * MM, EPS);
    cr_assert_float_eq(s.text[RP_TS_BODY].size, 10, EPS);
    assert_faces(&s);

    for (int r = 0; r < RP_TS__COUNT; r++)
        assert_gray(s.text[r].color, "a text colour");
    cr_assert_eq(s.npalette, 4);
    for (size_t i = 0; i < s.npalette; i++)
        assert_gray(s.palette[i], "a palette colour");
    for (size_t i = 0; i < s.nrole_colors; i++)
        assert_gray(s.role_colors[i].color, "a role colour");
    assert_gray(s.accent, "accent");
    assert_gray(s.rule, "rule");
    assert_gray(s.muted, "muted");
    assert_gray(s.table_head_bg, "table-head-background");
    assert_gray(s.table_stripe_bg, "table-stripe-background");
    /* not all black: the greys differ */
    cr_assert(!color_eq(s.palette[0], s.palette[3]));
}

Test(style_load, empty_style_takes_the_defaults)
{
    const char *path = write_style("empty.xml", STYLE_OPEN "</style>\n");
    rp_style s;
    cr_assert_eq(rp_style_load(&s, path, fonts, arena), 0);
    cr_assert_eq(rp_diag_errors(), 0);
    cr_assert_str_eq(s.name, "empty");
    cr_assert_float_eq(s.page_w, 595.28, 0.01);
    cr_assert_float_eq(s.margin_top, 20 * MM, EPS);
    cr_assert_float_eq(s.text[RP_TS_BODY].size, 10, EPS);
    cr_assert_eq(s.text[RP_TS_BODY].line, 0);
    cr_assert_eq(s.npalette, 4);
    assert_faces(&s);
}

Test(style_load, letter_landscape_from_a_file)
{
    const char *path = write_style("letter.xml", STYLE_OPEN
                                   "  <page paper=\"letter\" orientation=\"landscape\"/>\n"
                                   "</style>\n");
    rp_style s;
    cr_assert_eq(rp_style_load(&s, path, fonts, arena), 0);
    cr_assert_str_eq(s.paper, "letter");
    cr_assert_eq(s.landscape, 1);
    cr_assert_float_eq(s.page_w, 792, EPS);
    cr_assert_float_eq(s.page_h, 612, EPS);
}

/* ---- broken styles ------------------------------------------------------------------ */

/* Loads a broken style: refused with at least one error at line (0: any line). */
static void expect_refused(const char *name, const char *xml, long line)
{
    const char *path = write_style(name, xml);
    const char *messages = NULL;
    rp_style s;
    cr_assert_eq(load_capturing(&s, path, &messages), -1, "%s was accepted", name);
    cr_assert_geq(rp_diag_errors(), 1);
    if (line > 0)
        assert_error_at(messages, path, line);
}

Test(style_load, refuses_unknown_attribute)
{
    expect_refused("attr.xml", STYLE_OPEN "  <page paper=\"a4\" colour=\"red\"/>\n</style>\n", 3);
}

Test(style_load, refuses_bad_unit)
{
    expect_refused("unit.xml", STYLE_OPEN "  <text role=\"body\" size=\"12px\"/>\n</style>\n", 3);
}

Test(style_load, refuses_unknown_font_family)
{
    expect_refused("family.xml",
                   STYLE_OPEN "  <text role=\"body\" family=\"No Such Font Family\"/>\n</style>\n",
                   3);
}

Test(style_load, refuses_malformed_xml)
{
    /* libxml2 reports the mismatched end tag </style> on line 4 */
    expect_refused("malformed.xml", STYLE_OPEN "  <page paper=\"a4\">\n</style>\n", 4);
}

Test(style_load, refuses_doctype)
{
    expect_refused("doctype.xml",
                   "<?xml version=\"1.0\"?>\n"
                   "<!DOCTYPE style [<!ENTITY m \"20mm\">]>\n"
                   "<style xmlns=\"urn:rolepress:style:1\"><page margin-top=\"&m;\"/></style>\n",
                   2);
}

Test(style_load, refuses_missing_file)
{
    rp_style s;
    char *path = rp_arena_printf(arena, "%s/does-not-exist.xml", tmpdir);
    cr_assert_eq(rp_style_load(&s, path, fonts, arena), -1);
    cr_assert_geq(rp_diag_errors(), 1);
}

Test(style_load, reports_every_problem)
{
    const char *path =
        write_style("several.xml",
                    STYLE_OPEN "  <page paper=\"a4\" colour=\"red\"/>\n"                   /* 3 */
                               "  <text role=\"body\" size=\"12px\"/>\n"                   /* 4 */
                               "  <text role=\"title\" family=\"No Such Font Family\"/>\n" /* 5 */
                               "  <colors accent=\"#12345\"/>\n"                           /* 6 */
                               "  <spacing paragraph=\"1,5mm\"/>\n"                        /* 7 */
                               "</style>\n");
    const char *messages = NULL;
    rp_style s;
    cr_assert_eq(load_capturing(&s, path, &messages), -1);
    cr_assert_geq(rp_diag_errors(), 5, "%d errors in:\n%s", rp_diag_errors(), messages);
    for (long line = 3; line <= 7; line++)
        assert_error_at(messages, path, line);
}
