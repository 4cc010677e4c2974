/* Unit tests of styles: lengths and colours, paper and role colours, the shipped styles
 * resolved to points, and refusals of broken style files with every problem reported. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "style.h"

#define MM (72.0 / 25.4)
#define EPS 1e-9
#define CEPS 1e-6 /* colours are floats, as libharu takes them */
#define STYLE_OPEN                                                                                 \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<style xmlns=\"urn:rolepress:style:1\">\n"
#define MAX_FILES 32 /* files one test writes: a chain past the depth limit */

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
    if (have_tmpdir) {
        rmdir(rp_arena_printf(arena, "%s/sub", tmpdir)); /* if a test made one */
        rmdir(tmpdir);
    }
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

/* Loads path and the overrides sets[0..n) with messages printed (not quiet) into a
 * temporary file; returns the load's result and stores the messages (arena-owned) in *text.
 * regular_only: as rp_style_load_end's (-1: rp_style_load_overrides in one call). */
static int load_mode_capturing(rp_style *s, const char *path, const char *const *sets, size_t nsets,
                               int regular_only, const char **text)
{
    FILE *tmp = tmpfile();
    cr_assert_not_null(tmp);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    cr_assert_geq(saved, 0);
    cr_assert_geq(dup2(fileno(tmp), STDERR_FILENO), 0);
    rp_diag_set_quiet(0);
    int rc = regular_only < 0
                 ? rp_style_load_overrides(s, path, sets, nsets, fonts, arena)
                 : rp_style_load_end(rp_style_load_begin(s, path, sets, nsets, fonts, arena),
                                     regular_only);
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

static int load_sets_capturing(rp_style *s, const char *path, const char *const *sets, size_t nsets,
                               const char **text)
{
    return load_mode_capturing(s, path, sets, nsets, -1, text);
}

static int load_capturing(rp_style *s, const char *path, const char **text)
{
    return load_sets_capturing(s, path, NULL, 0, text);
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
    cr_assert_float_eq(c.r, 0x1f / 255.0, CEPS);
    cr_assert_float_eq(c.g, 0x5f / 255.0, CEPS);
    cr_assert_float_eq(c.b, 0xa8 / 255.0, CEPS);
    rp_color upper = {-1, -1, -1};
    cr_assert_eq(rp_style_parse_color("#1F5FA8", &upper), 0);
    cr_assert(color_eq(c, upper), "hex digits are case-insensitive");
    cr_assert_eq(rp_style_parse_color("#102030", &c), 0);
    cr_assert_float_eq(c.r, 16 / 255.0, CEPS);
    cr_assert_float_eq(c.g, 32 / 255.0, CEPS);
    cr_assert_float_eq(c.b, 48 / 255.0, CEPS);
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

/* ---- relative sizes and colour names -------------------------------------------------- */

Test(style_parse, colour_names_are_css_values_in_any_case)
{
    rp_color c = {-1, -1, -1};
    cr_assert_eq(rp_style_parse_color("navy", &c), 0);
    cr_assert(color_eq(c, hex(0x000080)));
    cr_assert_eq(rp_style_parse_color("NaVy", &c), 0);
    cr_assert(color_eq(c, hex(0x000080)));
    cr_assert_eq(rp_style_parse_color("steelblue", &c), 0);
    cr_assert(color_eq(c, hex(0x4682b4)));
    cr_assert_eq(rp_style_parse_color("grey", &c), 0);
    cr_assert(color_eq(c, hex(0x808080)));
    static const char *const bad[] = {"grean", "nav y", "navy ", "red1", "transparent"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_eq(rp_style_parse_color(bad[i], &c), -1, "'%s' was accepted", bad[i]);
}

Test(style_parse, relative_units_are_not_absolute_lengths)
{
    double pt = 42;
    cr_assert_eq(rp_style_parse_length("1.5em", &pt), -1);
    cr_assert_eq(rp_style_parse_length("150%", &pt), -1);
    cr_assert_float_eq(pt, 42, 0);
}

/* As in CSS: sizes (and spacing) are of the body size, leading and spaces of the role's own
 * size; on the cheat sheet the cheat-body size stands for the body size. */
Test(style_load, em_and_percent_follow_their_reference_size)
{
    const char *path = write_style("rel.xml", STYLE_OPEN
                                   "  <text role=\"body\" size=\"12pt\" leading=\"150%\"/>\n"
                                   "  <text role=\"heading1\" size=\"1.5em\" leading=\"2em\"/>\n"
                                   "  <text role=\"cheat-body\" size=\"0.75em\"/>\n"
                                   "  <text role=\"cheat-heading\" size=\"1.2em\"\n"
                                   "        space-before=\"50%\"/>\n"
                                   "  <spacing paragraph=\"0.5em\"/>\n"
                                   "  <cheatsheet min-size=\"80%\"/>\n"
                                   "</style>\n");
    rp_style s;
    cr_assert_eq(rp_style_load(&s, path, fonts, arena), 0);
    cr_assert_float_eq(s.text[RP_TS_BODY].leading, 18, EPS);
    cr_assert_float_eq(s.text[RP_TS_H1].size, 18, EPS);
    cr_assert_float_eq(s.text[RP_TS_H1].leading, 36, EPS, "2em of its own 18pt");
    cr_assert_float_eq(s.paragraph_space, 6, EPS);
    /* cheat-body's own size is of the body size; the cheat sheet's em is the cheat-body's */
    cr_assert_float_eq(s.text[RP_TS_CHEAT_BODY].size, 9, EPS);
    cr_assert_float_eq(s.text[RP_TS_CHEAT_HEAD].size, 10.8, EPS);
    cr_assert_float_eq(s.text[RP_TS_CHEAT_HEAD].space_before, 5.4, EPS);
    cr_assert_float_eq(s.cheat_min_size, 7.2, EPS);
}

Test(style_load, relative_values_are_checked_once_resolved)
{
    const char *path =
        write_style("relbad.xml", STYLE_OPEN "  <text role=\"body\" size=\"1.2em\"/>\n"   /* 3 */
                                             "  <text role=\"title\" size=\"2000%\"/>\n"  /* 4 */
                                             "  <page margin-top=\"2em\"/>\n"             /* 5 */
                                             "  <text role=\"toc\" leading=\"0.5em\"/>\n" /* 6 */
                                             "</style>\n");
    const char *messages = NULL;
    rp_style s;
    cr_assert_eq(load_capturing(&s, path, &messages), -1);
    for (long line = 3; line <= 6; line++)
        assert_error_at(messages, path, line);
    cr_assert(strstr(messages, "the body size cannot be relative"), "%s", messages);
    cr_assert(strstr(messages, "size '2000%' is 200pt, out of range (4pt to 144pt)"), "%s",
              messages);
    cr_assert(strstr(messages, "em and % are not allowed here"), "%s", messages);
}

/* ---- the built-in defaults and default.xml ------------------------------------------- */

/* default.xml spells out the built-in defaults: an empty style resolves to the same values. */
Test(style_load, default_xml_is_the_built_in_default)
{
    rp_style d, e;
    cr_assert_eq(rp_style_load(&d, "styles/default.xml", fonts, arena), 0);
    cr_assert_eq(rp_style_load(&e, write_style("e.xml", STYLE_OPEN "</style>\n"), fonts, arena), 0);
    cr_assert_str_eq(d.paper, e.paper);
    cr_assert_eq(d.landscape, e.landscape);
    cr_assert_eq(d.mirror, e.mirror);
    cr_assert_float_eq(d.margin_top, e.margin_top, EPS);
    cr_assert_float_eq(d.margin_bottom, e.margin_bottom, EPS);
    cr_assert_float_eq(d.margin_left, e.margin_left, EPS);
    cr_assert_float_eq(d.margin_right, e.margin_right, EPS);
    for (int r = 0; r < RP_TS__COUNT; r++) {
        const rp_text_style *a = &d.text[r], *b = &e.text[r];
        cr_assert_str_eq(a->family, b->family, "role %d", r);
        cr_assert_eq(a->bold, b->bold, "role %d", r);
        cr_assert_eq(a->italic, b->italic, "role %d", r);
        cr_assert_float_eq(a->size, b->size, EPS, "role %d", r);
        cr_assert_float_eq(a->leading, b->leading, EPS, "role %d", r);
        cr_assert(color_eq(a->color, b->color), "role %d", r);
        cr_assert_float_eq(a->space_before, b->space_before, EPS, "role %d", r);
        cr_assert_float_eq(a->space_after, b->space_after, EPS, "role %d", r);
        cr_assert_eq(a->align_justify, b->align_justify, "role %d", r);
        for (int k = 0; k < 4; k++)
            cr_assert_eq(a->faces[k], b->faces[k], "role %d face %d", r, k);
    }
    cr_assert_eq(d.npalette, e.npalette);
    for (size_t i = 0; i < d.npalette; i++)
        cr_assert(color_eq(d.palette[i], e.palette[i]));
    cr_assert_eq(d.nrole_colors, e.nrole_colors);
    cr_assert(color_eq(d.accent, e.accent) && color_eq(d.rule, e.rule) &&
              color_eq(d.muted, e.muted) && color_eq(d.table_head_bg, e.table_head_bg) &&
              color_eq(d.table_stripe_bg, e.table_stripe_bg));
    cr_assert_float_eq(d.paragraph_space, e.paragraph_space, EPS);
    cr_assert_float_eq(d.list_indent, e.list_indent, EPS);
    cr_assert_float_eq(d.list_item_space, e.list_item_space, EPS);
    cr_assert_float_eq(d.block_space, e.block_space, EPS);
    cr_assert_float_eq(d.cell_padding, e.cell_padding, EPS);
    cr_assert_eq(d.cheat_landscape, e.cheat_landscape);
    cr_assert_float_eq(d.cheat_margin, e.cheat_margin, EPS);
    cr_assert_float_eq(d.cheat_min_size, e.cheat_min_size, EPS);
    cr_assert_float_eq(d.cheat_step, e.cheat_step, EPS);
    cr_assert_eq(d.nfallback, e.nfallback);
    cr_assert_eq(d.nfallback, 4, "the default chain is installed by make deps");
    for (size_t i = 0; i < d.nfallback; i++)
        cr_assert_str_eq(d.fallback[i].family, e.fallback[i].family);
}

/* ---- inheritance ---------------------------------------------------------------------- */

Test(style_load, a_child_changes_only_what_it_sets)
{
    write_style("parent.xml", STYLE_OPEN
                "  <text role=\"body\" family=\"DejaVu Serif\" size=\"11pt\" leading=\"1.5em\"\n"
                "        color=\"navy\"/>\n"
                "  <palette><color>red</color><color>green</color></palette>\n"
                "  <role-color role=\"pm\" color=\"#111111\"/>\n"
                "  <role-color role=\"po\" color=\"#222222\"/>\n"
                "</style>\n");
    const char *child =
        write_style("child.xml", "<?xml version=\"1.0\"?>\n"
                                 "<style xmlns=\"urn:rolepress:style:1\" extends=\"parent.xml\">\n"
                                 "  <text role=\"body\" size=\"12pt\"/>\n"
                                 "  <palette><color>blue</color></palette>\n"
                                 "  <role-color role=\"po\" color=\"#333333\"/>\n"
                                 "</style>\n");
    rp_style s;
    cr_assert_eq(rp_style_load(&s, child, fonts, arena), 0);
    const rp_text_style *body = &s.text[RP_TS_BODY];
    cr_assert_str_eq(body->family, "DejaVu Serif", "the parent's family is kept");
    cr_assert(color_eq(body->color, hex(0x000080)), "the parent's colour is kept");
    cr_assert_float_eq(body->size, 12, EPS, "the child's size wins");
    cr_assert_float_eq(body->leading, 18, EPS, "the parent's 1.5em follows the child's size");
    cr_assert_eq(s.npalette, 1, "a palette replaces the parent's list");
    cr_assert(color_eq(s.palette[0], hex(0x0000ff)));
    cr_assert_eq(s.nrole_colors, 2, "role colours merge by id");
    cr_assert(color_eq(rp_style_role_color(&s, "pm", 0), hex(0x111111)));
    cr_assert(color_eq(rp_style_role_color(&s, "po", 1), hex(0x333333)));
    cr_assert_str_eq(s.name, "child", "a style's name is not inherited");
    cr_assert_float_eq(s.text[RP_TS_TITLE].size, 24, EPS, "unset values keep the defaults");
    cr_assert_eq(s.nfiles, 2);
    cr_assert_str_eq(s.files[0], child);
}

Test(style_load, chains_resolve_relative_to_each_file)
{
    char *dir = rp_arena_printf(arena, "%s/sub", tmpdir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    write_style("base.xml", STYLE_OPEN "  <page margin-top=\"30mm\" margin-left=\"31mm\"/>\n"
                                       "</style>\n");
    write_style("sub/middle.xml",
                "<?xml version=\"1.0\"?>\n"
                "<style xmlns=\"urn:rolepress:style:1\" extends=\"../base.xml\">\n"
                "  <page margin-left=\"32mm\"/>\n"
                "</style>\n");
    const char *top = write_style("top.xml", "<?xml version=\"1.0\"?>\n"
                                             "<style xmlns=\"urn:rolepress:style:1\"\n"
                                             "       extends=\"sub/middle.xml\">\n"
                                             "  <page margin-right=\"33mm\"/>\n"
                                             "</style>\n");
    rp_style s;
    cr_assert_eq(rp_style_load(&s, top, fonts, arena), 0);
    cr_assert_float_eq(s.margin_top, 30 * MM, EPS);
    cr_assert_float_eq(s.margin_left, 32 * MM, EPS);
    cr_assert_float_eq(s.margin_right, 33 * MM, EPS);
    cr_assert_float_eq(s.margin_bottom, 22 * MM, EPS);
    cr_assert_eq(s.nfiles, 3);
}

Test(style_load, shipped_styles_extend_default)
{
    static const char *const names[] = {"styles/print.xml", "styles/letter.xml",
                                        "styles/large-print.xml"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        rp_style s;
        cr_assert_eq(rp_style_load(&s, names[i], fonts, arena), 0, "%s", names[i]);
        cr_assert_eq(s.nfiles, 2, "%s", names[i]);
        cr_assert_str_eq(s.files[1], "styles/default.xml");
        assert_faces(&s);
    }
    rp_style s;
    cr_assert_eq(rp_style_load(&s, "styles/letter.xml", fonts, arena), 0);
    cr_assert_str_eq(s.paper, "letter");
    cr_assert_float_eq(s.page_w, 612, EPS);
    cr_assert_float_eq(s.margin_top, 0.75 * 72, EPS);
    cr_assert_eq(rp_style_load(&s, "styles/large-print.xml", fonts, arena), 0);
    for (int r = 0; r < RP_TS__COUNT; r++)
        if (r < RP_TS_CHEAT_TITLE)
            cr_assert_geq(s.text[r].size, 12, "role %d", r);
    cr_assert_geq(s.text[RP_TS_BODY].size, 14, "large print: body at least 14 pt");
    cr_assert_eq(s.text[RP_TS_BODY].align_justify, 0);
    cr_assert_eq(s.text[RP_TS_CAPTION].italic, 0);
}

Test(style_load, cycles_are_errors_at_the_extends_line)
{
    const char *a =
        write_style("a.xml", "<?xml version=\"1.0\"?>\n"
                             "<style xmlns=\"urn:rolepress:style:1\" extends=\"b.xml\"/>\n");
    const char *b =
        write_style("b.xml", "<?xml version=\"1.0\"?>\n"
                             "\n"
                             "<style xmlns=\"urn:rolepress:style:1\" extends=\"a.xml\"/>\n");
    const char *self = write_style("self.xml", "<?xml version=\"1.0\"?>\n"
                                               "<style xmlns=\"urn:rolepress:style:1\"\n"
                                               "  extends=\"self.xml\"/>\n");
    const char *messages = NULL;
    rp_style s;
    cr_assert_eq(load_capturing(&s, a, &messages), -1);
    assert_error_at(messages, b, 3);
    cr_assert(strstr(messages, "extends=\"a.xml\" makes a cycle: "), "%s", messages);
    cr_assert(strstr(messages, "a.xml -> "), "%s", messages);
    cr_assert_eq(rp_diag_errors(), 1, "%s", messages);
    rp_diag_reset();
    cr_assert_eq(load_capturing(&s, self, &messages), -1);
    assert_error_at(messages, self, 3); /* libxml2: the line where the start tag ends */
}

Test(style_load, missing_parent_is_an_error_at_its_line_not_an_io_error)
{
    const char *path = write_style("orphan.xml", "<?xml version=\"1.0\"?>\n"
                                                 "<!-- a comment -->\n"
                                                 "<style xmlns=\"urn:rolepress:style:1\"\n"
                                                 "       extends=\"nope.xml\">\n"
                                                 "  <page colour=\"red\"/>\n"
                                                 "</style>\n");
    const char *messages = NULL;
    rp_style s;
    cr_assert_eq(load_capturing(&s, path, &messages), -1);
    assert_error_at(messages, path, 4); /* libxml2: the line where the start tag ends */
    assert_error_at(messages, path, 5);
    cr_assert(strstr(messages, "extends=\"nope.xml\": no such style file"), "%s", messages);
    cr_assert_eq(rp_diag_io_failed(), 0);
}

Test(style_load, chains_deeper_than_the_limit_are_refused)
{
    const char *first = NULL;
    for (int i = 0; i <= RP_STYLE_MAX_DEPTH; i++) {
        const char *p = write_style(
            rp_arena_printf(arena, "d%d.xml", i),
            rp_arena_printf(arena,
                            "<?xml version=\"1.0\"?>\n<style xmlns=\"urn:rolepress:style:1\" "
                            "extends=\"d%d.xml\"/>\n",
                            i + 1));
        first = first ? first : p;
    }
    write_style(rp_arena_printf(arena, "d%d.xml", RP_STYLE_MAX_DEPTH + 1), STYLE_OPEN "</style>\n");
    const char *messages = NULL;
    rp_style s;
    cr_assert_eq(load_capturing(&s, first, &messages), -1);
    cr_assert(strstr(messages, "styles extend each other more than 16 deep"), "%s", messages);
}

Test(style_load, a_problem_across_files_is_blamed_on_the_later_setting)
{
    write_style("p.xml", STYLE_OPEN "  <text role=\"body\" size=\"12pt\"/>\n</style>\n");
    const char *c =
        write_style("c.xml", "<?xml version=\"1.0\"?>\n"
                             "<style xmlns=\"urn:rolepress:style:1\" extends=\"p.xml\">\n"
                             "\n"
                             "  <text role=\"body\" leading=\"11pt\"/>\n"
                             "</style>\n");
    const char *messages = NULL;
    rp_style s;
    cr_assert_eq(load_capturing(&s, c, &messages), -1);
    assert_error_at(messages, c, 4);
    cr_assert(strstr(messages, "leading 11pt of text role 'body' is smaller than its size 12pt"),
              "%s", messages);
}

/* ---- command-line overrides ----------------------------------------------------------- */

Test(style_load, overrides_apply_after_the_file_in_order)
{
    const char *path =
        write_style("o.xml", STYLE_OPEN "  <text role=\"body\" size=\"12pt\"/>\n"
                                        "  <page margin=\"10mm\" margin-top=\"40mm\"/>\n"
                                        "</style>\n");
    static const char *const sets[] = {
        "text.body.size=11pt",
        "page.margin=15mm",
        "page.margin-left=25mm",
        "color.role.po=#0a7d4f",
        "role-color.pm=navy",
        "palette.2=teal",
        "palette.5=gold",
        "colors.accent=Crimson",
        "text.body.leading=150%",
        "fonts.fallback=",
        "cheatsheet.orientation=portrait",
        "name=handout",
    };
    rp_style s;
    const char *messages = NULL;
    cr_assert_eq(load_sets_capturing(&s, path, sets, sizeof sets / sizeof *sets, &messages), 0,
                 "%s", messages);
    cr_assert_float_eq(s.text[RP_TS_BODY].size, 11, EPS);
    cr_assert_float_eq(s.text[RP_TS_BODY].leading, 16.5, EPS);
    cr_assert_float_eq(s.margin_top, 15 * MM, EPS);
    cr_assert_float_eq(s.margin_bottom, 15 * MM, EPS);
    cr_assert_float_eq(s.margin_left, 25 * MM, EPS);
    cr_assert(color_eq(rp_style_role_color(&s, "po", 0), hex(0x0a7d4f)));
    cr_assert(color_eq(rp_style_role_color(&s, "pm", 1), hex(0x000080)));
    cr_assert_eq(s.npalette, 5);
    cr_assert(color_eq(s.palette[1], hex(0x008080)));
    cr_assert(color_eq(s.palette[4], hex(0xffd700)));
    cr_assert(color_eq(s.accent, hex(0xdc143c)));
    cr_assert_eq(s.nfallback, 0);
    cr_assert_eq(s.cheat_landscape, 0);
    cr_assert_str_eq(s.name, "handout");
}

Test(style_load, a_shorthand_never_beats_a_specific_margin_in_the_same_element)
{
    /* libxml2 keeps attributes in document order: margin comes after margin-top here */
    const char *path = write_style("m.xml", STYLE_OPEN
                                   "  <page margin-top=\"40mm\" margin=\"10mm\"/>\n</style>\n");
    rp_style s;
    cr_assert_eq(rp_style_load(&s, path, fonts, arena), 0);
    cr_assert_float_eq(s.margin_top, 40 * MM, EPS);
    cr_assert_float_eq(s.margin_left, 10 * MM, EPS);
}

Test(style_load, overrides_are_checked_and_named_like_files)
{
    const char *path = write_style("ok.xml", STYLE_OPEN "</style>\n");
    static const char *const sets[] = {
        "page.margn-top=3mm",      "text.bdy.size=3pt",      "colors.accent=redd",
        "text.body.font-size=9pt", "text.footer.align=left", "palette.7=red",
        "page.margin-top=2em",     "extends=default.xml",    "novalue",
        "text.body.size=200pt",    "color.role.9x=red",
    };
    static const char *const want[] = {
        "--set page.margn-top=3mm: error: unknown property 'page.margn-top'; did you mean "
        "'page.margin-top'?",
        "--set text.bdy.size=3pt: error: unknown property 'text.bdy.size'; did you mean "
        "'text.body.size'?",
        "--set colors.accent=redd: error: invalid colour 'redd' for accent: expected #rrggbb or "
        "a colour name; did you mean 'red'?",
        "--set text.body.font-size=9pt: error: unknown property 'text.body.font-size'; did you "
        "mean 'text.body.size'?",
        "--set text.footer.align=left: error: text role 'footer' does not use align",
        "--set palette.7=red: error: palette.7: the palette has 4 colours, so palette.5 is the "
        "next one",
        "--set page.margin-top=2em: error: invalid length '2em' for margin-top: em and % are "
        "not allowed here",
        "--set extends=default.xml: error: extends can only be given in a style file",
        "--set novalue: error: expected NAME=VALUE",
        "--set text.body.size=200pt: error: size '200pt' is out of range (4pt to 144pt)",
        "--set color.role.9x=red: error: invalid role '9x'",
    };
    rp_style s;
    const char *messages = NULL;
    cr_assert_eq(load_sets_capturing(&s, path, sets, sizeof sets / sizeof *sets, &messages), -1);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        cr_assert(strstr(messages, want[i]), "missing \"%s\" in:\n%s", want[i], messages);
    cr_assert_eq(rp_diag_errors(), (int)(sizeof sets / sizeof *sets), "%s", messages);
}

Test(style_load, unknown_names_in_files_get_suggestions)
{
    const char *path =
        write_style("typo.xml", STYLE_OPEN "  <pallete><color>red</color></pallete>\n" /* 3 */
                                           "  <text role=\"bdy\" colour=\"red\"/>\n"   /* 4 */
                                           "  <spacing paragraf=\"2pt\"/>\n"           /* 5 */
                                           "  <fonts fallbacks=\"DejaVu Sans\"/>\n"    /* 6 */
                                           "</style>\n");
    const char *messages = NULL;
    rp_style s;
    cr_assert_eq(load_capturing(&s, path, &messages), -1);
    static const char *const want[] = {
        ":3: error: unknown element <pallete> in <style>; did you mean <palette>?",
        ":4: error: unknown text role 'bdy'; did you mean 'body'?",
        ":4: error: unknown attribute 'colour' on <text>; did you mean 'color'?",
        ":5: error: unknown attribute 'paragraf' on <spacing>; did you mean 'paragraph'?",
        ":6: error: unknown attribute 'fallbacks' on <fonts>; did you mean 'fallback'?",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        cr_assert(strstr(messages, want[i]), "missing \"%s\" in:\n%s", want[i], messages);
}

/* styles/style.rng leaves the syntax of lengths, colours and names to the walk: each value
 * the schema's patterns used to refuse is refused here, at its line, in the walk's words. */
Test(style_load, value_syntax_is_checked_by_the_walk_not_the_schema)
{
    const char *path = write_style(
        "values.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<style xmlns=\"urn:rolepress:style:1\" extends=\" \">\n"                          /* 2 */
        "  <page margin-top=\"12\" margin=\"1.5em\"/>\n"                                   /* 3 */
        "  <text role=\"body\" size=\"-2pt\" leading=\".5pt\"\n"                           /* 4 */
        "        family=\" \"/>\n"                                                         /* 5 */
        "  <text role=\"title\" color=\"#12345g\" size=\"1e1pt\" space-after=\"1.pt\"/>\n" /* 6 */
        "  <colors rule=\"notacolour\" muted=\"#abc\"/>\n"                                 /* 7 */
        "  <spacing block=\"12 pt\"/>\n"                                                   /* 8 */
        "  <cheatsheet step=\"0,5pt\" margin=\"1em\"/>\n"                                  /* 9 */
        "  <palette><color>red5</color><color> red</color><color>navy</color></palette>\n" /* 10 */
        "  <role-color role=\"pm\" color=\"\"/>\n"                                         /* 11 */
        "</style>\n");
    static const char *const want[] = {
        ":2: error: extends needs the file name of a style",
        ":3: error: invalid length '12' for margin-top: expected a number and a unit pt, mm, "
        "cm or in (e.g. 12pt)",
        ":3: error: invalid length '1.5em' for margin: em and % are not allowed here",
        ":4: error: invalid length '-2pt' for size: expected a number and a unit pt, mm, cm, "
        "in, em or % (e.g. 12pt)",
        ":4: error: invalid length '.5pt' for leading",
        ":5: error: empty font family",
        ":6: error: invalid colour '#12345g' for color: expected #rrggbb (six hex digits)",
        ":6: error: invalid length '1e1pt' for size",
        ":6: error: invalid length '1.pt' for space-after",
        ":7: error: invalid colour 'notacolour' for rule: expected #rrggbb or a colour name",
        ":7: error: invalid colour '#abc' for muted: expected #rrggbb (six hex digits)",
        ":8: error: invalid length '12 pt' for block",
        ":9: error: invalid length '0,5pt' for step",
        ":9: error: invalid length '1em' for margin: em and % are not allowed here",
        ":10: error: invalid colour 'red5' for palette",
        ":10: error: invalid colour ' red' for palette",
        ":11: error: invalid colour '' for role-color 'pm'",
    };
    const char *messages = NULL;
    rp_style s;
    cr_assert_eq(load_capturing(&s, path, &messages), -1);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        cr_assert(strstr(messages, want[i]), "missing \"%s\" in:\n%s", want[i], messages);
    cr_assert_eq(rp_diag_errors(), (int)(sizeof want / sizeof *want), "%s", messages);
}

Test(style_load, attributes_a_role_does_not_use_are_refused)
{
    expect_refused("unused.xml",
                   STYLE_OPEN "  <text role=\"footer\" space-before=\"2pt\"/>\n</style>\n", 3);
    expect_refused("unused2.xml",
                   STYLE_OPEN "  <text role=\"body\" space-after=\"2pt\"/>\n</style>\n", 3);
}

/* ---- fonts and pages ------------------------------------------------------------------- */

Test(style_load, fallback_families_resolve_with_their_styles)
{
    const char *path = write_style(
        "fb.xml", STYLE_OPEN "  <fonts fallback=\" DejaVu Serif ,DejaVu Sans,, \"/>\n</style>\n");
    rp_style s;
    cr_assert_eq(rp_style_load(&s, path, fonts, arena), 0);
    cr_assert_eq(s.nfallback, 2);
    cr_assert_str_eq(s.fallback[0].family, "DejaVu Serif");
    cr_assert_str_eq(s.fallback[1].family, "DejaVu Sans");
    cr_assert_eq(rp_fonts_bold(fonts, s.fallback[0].faces[1]), 1);
    cr_assert_str_eq(rp_fonts_family(fonts, s.fallback[0].faces[1]), "DejaVu Serif");
    expect_refused("fbbad.xml",
                   STYLE_OPEN "\n  <fonts fallback=\"DejaVu Sans, No Such Font Family\"/>\n"
                              "</style>\n",
                   4);
}

/* validate looks up the regular faces only: the same messages and result, and the same
 * regular face of every role and fallback family, in both steps or in one. */
Test(style_load, regular_faces_only_give_the_same_messages_and_regular_faces)
{
    const char *bad = write_style("bad.xml", STYLE_OPEN
                                  "  <text role=\"title\" family=\"No Such Font Family\"/>\n"
                                  "  <fonts fallback=\"DejaVu Sans, Nope Sans\"/>\n</style>\n");
    const char *paths[] = {"styles/default.xml", "styles/print.xml", bad};
    const char *const sets[] = {"page.margin=1px"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        for (size_t n = 0; n <= 1; n++) {
            rp_style full, part, split;
            const char *want, *got, *got_split;
            int rc = load_mode_capturing(&full, paths[i], sets, n, -1, &want);
            cr_assert_eq(rc, i == 2 || n == 1 ? -1 : 0, "%s", paths[i]);
            cr_assert_eq(load_mode_capturing(&part, paths[i], sets, n, 1, &got), rc, "%s",
                         paths[i]);
            cr_assert_eq(load_mode_capturing(&split, paths[i], sets, n, 0, &got_split), rc);
            cr_assert_str_eq(got, want);
            cr_assert_str_eq(got_split, want);
            for (int r = 0; r < RP_TS__COUNT; r++)
                for (int k = 0; k < 4; k++) {
                    cr_assert_eq(part.text[r].faces[k], full.text[r].faces[0], "%s", paths[i]);
                    cr_assert_eq(split.text[r].faces[k], full.text[r].faces[k]);
                }
            cr_assert_eq(part.nfallback, full.nfallback);
            for (size_t f = 0; f < full.nfallback; f++)
                cr_assert_eq(part.fallback[f].faces[3], full.fallback[f].faces[0]);
        }
}

Test(style_parse, mirrored_margins_swap_on_even_pages)
{
    rp_style s;
    memset(&s, 0, sizeof s);
    s.margin_left = 30;
    s.margin_right = 20;
    cr_assert_float_eq(rp_style_page_left(&s, 0), 30, EPS);
    cr_assert_float_eq(rp_style_page_left(&s, 1), 30, EPS, "not mirrored: the same left margin");
    s.mirror = 1;
    cr_assert_float_eq(rp_style_page_left(&s, 0), 30, EPS, "page 1 (odd): the inner margin");
    cr_assert_float_eq(rp_style_page_left(&s, 1), 20, EPS, "page 2 (even): the outer margin");
    cr_assert_float_eq(rp_style_page_left(&s, 2), 30, EPS);
}
