/* Unit tests of the laid-out document: building it and its text dump for golden tests. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"

static rp_arena *arena;

static void setup(void)
{
    arena = rp_arena_new();
}

static void teardown(void)
{
    rp_arena_free(arena);
}

TestSuite(pages, .init = setup, .fini = teardown);

/* What a dump function writes for d, as an arena-owned string. */
static const char *dump_with(const rp_pages *d, void (*fn)(const rp_pages *, FILE *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    cr_assert_not_null(fp);
    fn(d, fp);
    cr_assert_eq(fclose(fp), 0);
    char *s = rp_arena_strdup(arena, buf);
    free(buf);
    return s;
}

/* The dump of d as an arena-owned string. */
static const char *dump(const rp_pages *d)
{
    return dump_with(d, rp_pages_dump);
}

static rp_item text_item(double x, double y, const char *text)
{
    rp_item it = {.kind = RP_ITEM_TEXT, .x = x, .y = y, .w = 30.5, .text = text};
    it.face = 1;
    it.size = 10;
    it.fill = 1;
    it.fill_color = (rp_color){0x1f / 255.0, 0x23 / 255.0, 0x28 / 255.0};
    it.alpha = 1;
    return it;
}

Test(pages, empty_document)
{
    rp_pages *d = rp_pages_new(arena, 612, 792);
    cr_assert_eq(d->arena, arena);
    cr_assert_eq(d->npages, 0);
    cr_assert_str_eq(dump(d), "document 612.00 x 792.00 pages=0\n");
}

Test(pages, tiny_document_dump)
{
    rp_pages *d = rp_pages_new(arena, 595.2756, 841.8898);
    rp_face *faces = rp_arena_alloc(arena, 2 * sizeof *faces);
    faces[0] = (rp_face){"/fonts/serif.ttf", "Noto Serif", 0, 0};
    faces[1] = (rp_face){"/fonts/sans-bi.ttf", "Noto Sans", 1, 1};
    d->faces = faces;
    d->nfaces = 2;

    cr_assert_eq(rp_pages_add_page(d), 0);
    cr_assert_eq(rp_pages_add_page(d), 1);
    rp_pages_add_outline(d, "1 Roles", 0, 0, 72.004);
    rp_pages_add_outline(d, "1.1 Editor", 1, 1, 100.126);

    rp_item t = text_item(62.3622, 80.5,
                          "Hello, \xE2\x80\x9C"
                          "world\xE2\x80\x9D");
    rp_pages_add(d, 0, &t);

    rp_item rect = {.kind = RP_ITEM_RECT, .x = 10, .y = 20, .w = 100.5, .h = 12.25};
    rect.fill = 1;
    rect.fill_color = (rp_color){1, 0.5, 0};
    rect.stroke = 1;
    rect.stroke_color = (rp_color){0, 0, 1};
    rect.line_width = 0.75;
    rect.alpha = 0.5;
    rp_pages_add(d, 0, &rect);

    rp_item line = {.kind = RP_ITEM_LINE, .x = 10, .y = 50, .w = 80, .h = -5};
    line.stroke = 1;
    line.stroke_color = (rp_color){0.2, 0.2, 0.2};
    line.line_width = 0.5;
    line.alpha = 1;
    line.dash = 2;
    rp_pages_add(d, 0, &line);

    rp_item link = {.kind = RP_ITEM_LINK, .x = 62, .y = 70, .w = 40, .h = 12};
    link.target_page = 1;
    link.target_y = 100.126;
    rp_pages_add(d, 0, &link);

    rp_item ell = {.kind = RP_ITEM_ELLIPSE, .x = 300, .y = 400, .w = 50, .h = 25};
    ell.fill = 1;
    ell.fill_color = (rp_color){0, 0, 0};
    ell.alpha = 0.25;
    rp_pages_add(d, 1, &ell);

    static const double pts[] = {0, 0, 10, 0, 5, 8.5};
    rp_item poly = {.kind = RP_ITEM_POLY, .x = 100, .y = 200, .pts = pts, .npts = 3};
    poly.stroke = 1;
    poly.stroke_color = (rp_color){1, 1, 1};
    poly.line_width = 1;
    poly.alpha = 0; /* 0 and 1 are not printed */
    rp_pages_add(d, 1, &poly);

    const char *want = "document 595.28 x 841.89 pages=2\n"
                       "face 0 Noto Serif\n"
                       "face 1 Noto Sans bold italic\n"
                       "outline 0 page 1 y=72.00 \"1 Roles\"\n"
                       "outline 1 page 2 y=100.13 \"1.1 Editor\"\n"
                       "page 1\n"
                       "  text 62.36 80.50 w=30.50 face=1 size=10.00 color=#1f2328 "
                       "\"Hello, \xE2\x80\x9C"
                       "world\xE2\x80\x9D\"\n"
                       "  rect 10.00 20.00 100.50 12.25 fill=#ff8000 stroke=#0000ff lw=0.75 "
                       "alpha=0.50\n"
                       "  line 10.00 50.00 90.00 45.00 stroke=#333333 lw=0.50 dash=2.00\n"
                       "  link 62.00 70.00 40.00 12.00 -> page 2 y=100.13\n"
                       "page 2\n"
                       "  ellipse 300.00 400.00 r=50.00,25.00 fill=#000000 alpha=0.25\n"
                       "  poly 100.00,200.00 110.00,200.00 105.00,208.50 stroke=#ffffff "
                       "lw=1.00\n";
    cr_assert_str_eq(dump(d), want);
}

Test(pages, items_and_titles_are_copied)
{
    rp_pages *d = rp_pages_new(arena, 100, 100);
    size_t p = rp_pages_add_page(d);
    rp_item it = text_item(1, 2, "a");
    rp_item *stored = rp_pages_add(d, p, &it);
    cr_assert_neq(stored, &it);
    cr_assert_eq(stored, &d->pages[p].items[0]);
    it.x = 99;
    cr_assert_float_eq(d->pages[p].items[0].x, 1, 0);

    char title[] = "Intro";
    rp_pages_add_outline(d, title, 0, 0, 0);
    title[0] = 'X';
    cr_assert_str_eq(d->outlines[0].title, "Intro");
    cr_assert_eq(d->noutlines, 1);
}

Test(pages, many_pages_and_items_keep_their_order)
{
    rp_pages *d = rp_pages_new(arena, 100, 100);
    for (size_t p = 0; p < 50; p++) {
        cr_assert_eq(rp_pages_add_page(d), p);
        for (int i = 0; i < 40; i++) {
            rp_item it = {.kind = RP_ITEM_RECT, .x = (double)p, .y = i};
            rp_pages_add(d, p, &it);
        }
    }
    for (int i = 0; i < 300; i++)
        rp_pages_add_outline(d, "t", 0, i, i);
    cr_assert_eq(d->npages, 50);
    cr_assert_eq(d->noutlines, 300);
    for (size_t p = 0; p < 50; p++) {
        cr_assert_eq(d->pages[p].nitems, 40);
        for (int i = 0; i < 40; i++) {
            cr_assert_float_eq(d->pages[p].items[i].x, (double)p, 0);
            cr_assert_float_eq(d->pages[p].items[i].y, i, 0);
        }
    }
    for (int i = 0; i < 300; i++)
        cr_assert_eq(d->outlines[i].page, i);
}

/* The replay dump (read by build/floor) keeps every number exactly and every field. */
Test(pages, replay_dump_is_exact)
{
    rp_pages *d = rp_pages_new(arena, 595.2755905511812, 841.8897637795277);
    rp_face face = {"/fonts/serif.ttf", "Noto Serif", 1, 0};
    d->faces = &face;
    d->nfaces = 1;
    rp_pages_add_page(d);
    rp_pages_add_outline(d, "1 Roles", 0, 0, 56.5);
    rp_item t = text_item(1.0 / 3, 80.5, "a \"b\" c");
    t.face = 0;
    t.track = 0.125;
    static const rp_kern kerns[] = {{2, 5.5}, {4, 11.25}};
    t.kerns = kerns;
    t.nkerns = 2;
    rp_pages_add(d, 0, &t);
    static const double pts[] = {0, 0, 10, 0, 5, 8.5};
    rp_item poly = {.kind = RP_ITEM_POLY, .x = 100, .y = 200, .pts = pts, .npts = 3};
    poly.stroke = 1;
    poly.line_width = 0.8;
    poly.alpha = 1;
    rp_pages_add(d, 0, &poly);
    rp_item link = {.kind = RP_ITEM_LINK, .x = 1, .y = 2, .w = 3, .h = 4, .uri = "https://x.org/"};
    rp_pages_add(d, 0, &link);

    const char *buf = dump_with(d, rp_pages_dump_replay);
    const char *want =
        "replay 1\n"
        "document 595.2755905511812 841.8897637795277 1 1 1\n"
        "face 0 1 0 /fonts/serif.ttf\n"
        "outline 0 0 56.5 1 Roles\n"
        "page\n"
        "text 0.3333333333333333 80.5 30.5 0 10 0.12156862765550613 0.13725490868091583 "
        "0.1568627506494522 0.125 2 2 5.5 4 11.25 a \"b\" c\n"
        "shape poly 100 200 0 0 0 1 0 0 0 0 0 0 0.8 1 0 3 0 0 10 0 5 8.5\n"
        "link 1 2 3 4 0 0 https://x.org/\n"
        "end\n";
    cr_assert_str_eq(buf, want);
    cr_assert(strtod("0.3333333333333333", NULL) == 1.0 / 3); /* the shortest exact form */
}

Test(pages, kerned_run_pieces)
{
    static const rp_kern kerns[] = {{1, 5.0}, {3, 12.0}};
    rp_item it = text_item(10, 20, "AVAV");
    it.kerns = kerns;
    it.nkerns = 2;
    size_t from, to;
    cr_assert_float_eq(rp_item_piece(&it, 4, 0, &from, &to), 0, 1e-12);
    cr_assert(from == 0 && to == 1);
    cr_assert_float_eq(rp_item_piece(&it, 4, 1, &from, &to), 5.0, 1e-12);
    cr_assert(from == 1 && to == 3);
    cr_assert_float_eq(rp_item_piece(&it, 4, 2, &from, &to), 12.0, 1e-12);
    cr_assert(from == 3 && to == 4);
}
