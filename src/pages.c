/* pages: building the laid-out document and dumping it as text for golden tests. */
#include "pages.h"

#include <stdlib.h>
#include <string.h>

rp_pages *rp_pages_new(rp_arena *a, double width, double height)
{
    rp_pages *d = rp_arena_alloc(a, sizeof *d);
    d->arena = a;
    d->width = width;
    d->height = height;
    return d;
}

size_t rp_pages_add_page(rp_pages *d)
{
    rp_page *p = rp_arena_grow(d->arena, (void **)&d->pages, &d->pages_cap, d->npages, sizeof *p);
    memset(p, 0, sizeof *p);
    return d->npages++;
}

rp_item *rp_pages_add(rp_pages *d, size_t p, const rp_item *item)
{
    rp_page *pg = &d->pages[p];
    if (pg->nitems == pg->cap) {
        /* an allocation of its own: the text and kerns of the items added in between would
         * otherwise leave each outgrown copy behind in the arena */
        pg->cap = pg->cap ? pg->cap * 2 : 16;
        pg->items = rp_arena_realloc(d->arena, pg->items, pg->cap * sizeof *pg->items);
    }
    rp_item *it = &pg->items[pg->nitems++];
    *it = *item;
    return it;
}

void rp_pages_fit(rp_pages *d, size_t p, size_t spare)
{
    rp_page *pg = &d->pages[p];
    if (pg->nitems + spare < pg->cap) {
        pg->cap = pg->nitems + spare;
        pg->items = rp_arena_realloc(d->arena, pg->items, pg->cap * sizeof *pg->items);
    }
}

double rp_item_piece(const rp_item *it, size_t len, size_t k, size_t *from, size_t *to)
{
    size_t start = 0;
    if (k > 0)
        start = it->kerns[k - 1].at < len ? it->kerns[k - 1].at : len;
    *from = start;
    *to = k < it->nkerns && it->kerns[k].at < len ? it->kerns[k].at : len;
    *to = *to < start ? start : *to;
    return k > 0 ? it->kerns[k - 1].x : 0;
}

rp_page rp_pages_take(rp_pages *d, size_t p)
{
    rp_page pg = d->pages[p];
    memset(&d->pages[p], 0, sizeof d->pages[p]);
    rp_arena_detach(d->arena, pg.items);
    return pg;
}

void rp_page_free(rp_page *pg)
{
    rp_arena_free_detached(pg->items);
    memset(pg, 0, sizeof *pg);
}

void rp_pages_release(rp_pages *d, size_t p)
{
    rp_page *pg = &d->pages[p];
    if (pg->items)
        pg->items = rp_arena_realloc(d->arena, pg->items, 0);
    pg->nitems = pg->cap = 0;
}

void rp_pages_trim(rp_pages *d)
{
    for (size_t p = 0; p < d->npages; p++)
        rp_pages_fit(d, p, 0);
}

void rp_pages_add_outline(rp_pages *d, const char *title, int level, int page, double y)
{
    rp_outline *o =
        rp_arena_grow(d->arena, (void **)&d->outlines, &d->outlines_cap, d->noutlines, sizeof *o);
    o->title = rp_arena_strdup(d->arena, title);
    o->level = level;
    o->page = page;
    o->y = y;
    d->noutlines++;
}

/* Colours as #rrggbb keep the dump short and exact enough. */
static void dump_color(FILE *out, const char *label, rp_color c)
{
    fprintf(out, " %s=#%02x%02x%02x", label, (unsigned)(c.r * 255 + 0.5),
            (unsigned)(c.g * 255 + 0.5), (unsigned)(c.b * 255 + 0.5));
}

static void dump_paint(FILE *out, const rp_item *it)
{
    if (it->fill)
        dump_color(out, "fill", it->fill_color);
    if (it->stroke) {
        dump_color(out, "stroke", it->stroke_color);
        fprintf(out, " lw=%.2f", it->line_width);
    }
    if (it->alpha < 1.0 && it->alpha > 0.0)
        fprintf(out, " alpha=%.2f", it->alpha);
    if (it->dash > 0)
        fprintf(out, " dash=%.2f", it->dash);
}

static void dump_item(FILE *out, const rp_pages *d, const rp_item *it)
{
    switch (it->kind) {
    case RP_ITEM_TEXT:
        fprintf(out, "  text %.2f %.2f w=%.2f face=%d size=%.2f", it->x, it->y, it->w, it->face,
                it->size);
        dump_color(out, "color", it->fill_color);
        fprintf(out, " \"%s\"", it->text);
        if (it->track != 0)
            fprintf(out, " track=%.3f", it->track);
        for (size_t k = 0; k < it->nkerns; k++)
            fprintf(out, "%s%zu@%.2f", k ? "," : " kern=", it->kerns[k].at, it->kerns[k].x);
        fputc('\n', out);
        (void)d;
        return;
    case RP_ITEM_RECT:
        fprintf(out, "  rect %.2f %.2f %.2f %.2f", it->x, it->y, it->w, it->h);
        break;
    case RP_ITEM_LINE:
        fprintf(out, "  line %.2f %.2f %.2f %.2f", it->x, it->y, it->x + it->w, it->y + it->h);
        break;
    case RP_ITEM_ELLIPSE:
        fprintf(out, "  ellipse %.2f %.2f r=%.2f,%.2f", it->x, it->y, it->w, it->h);
        break;
    case RP_ITEM_POLY:
        fprintf(out, "  poly");
        for (size_t i = 0; i < it->npts; i++)
            fprintf(out, " %.2f,%.2f", it->x + it->pts[2 * i], it->y + it->pts[2 * i + 1]);
        break;
    case RP_ITEM_LINK:
        if (it->uri)
            fprintf(out, "  link %.2f %.2f %.2f %.2f -> %s\n", it->x, it->y, it->w, it->h, it->uri);
        else
            fprintf(out, "  link %.2f %.2f %.2f %.2f -> page %d y=%.2f\n", it->x, it->y, it->w,
                    it->h, it->target_page + 1, it->target_y);
        return;
    }
    dump_paint(out, it);
    fputc('\n', out);
}

void rp_pages_dump(const rp_pages *d, FILE *out)
{
    fprintf(out, "document %.2f x %.2f pages=%zu\n", d->width, d->height, d->npages);
    for (size_t i = 0; i < d->nfaces; i++)
        fprintf(out, "face %zu %s%s%s\n", i, d->faces[i].family, d->faces[i].bold ? " bold" : "",
                d->faces[i].italic ? " italic" : "");
    for (size_t i = 0; i < d->noutlines; i++)
        fprintf(out, "outline %d page %d y=%.2f \"%s\"\n", d->outlines[i].level,
                d->outlines[i].page + 1, d->outlines[i].y, d->outlines[i].title);
    for (size_t p = 0; p < d->npages; p++) {
        fprintf(out, "page %zu\n", p + 1);
        for (size_t i = 0; i < d->pages[p].nitems; i++)
            dump_item(out, d, &d->pages[p].items[i]);
    }
}

/* ---- exact dump for replay ------------------------------------------------------------ */

/* A number as the shortest of %.15g, %.16g, %.17g that reads back as the same double. */
static void replay_num(FILE *out, double v)
{
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputc(' ', out);
    fputs(buf, out);
}

static void replay_color(FILE *out, rp_color c)
{
    replay_num(out, c.r);
    replay_num(out, c.g);
    replay_num(out, c.b);
}

static void replay_item(FILE *out, const rp_item *it)
{
    static const char *const shapes[] = {"text", "rect", "line", "ellipse", "poly", "link"};
    if (it->kind == RP_ITEM_TEXT) {
        fputs("text", out);
        replay_num(out, it->x);
        replay_num(out, it->y);
        replay_num(out, it->w);
        fprintf(out, " %d", it->face);
        replay_num(out, it->size);
        replay_color(out, it->fill_color);
        replay_num(out, it->track);
        fprintf(out, " %zu", it->nkerns);
        for (size_t k = 0; k < it->nkerns; k++) {
            fprintf(out, " %zu", it->kerns[k].at);
            replay_num(out, it->kerns[k].x);
        }
        fprintf(out, " %s\n", it->text ? it->text : "");
        return;
    }
    if (it->kind == RP_ITEM_LINK) {
        fputs("link", out);
        replay_num(out, it->x);
        replay_num(out, it->y);
        replay_num(out, it->w);
        replay_num(out, it->h);
        fprintf(out, " %d", it->target_page);
        replay_num(out, it->target_y);
        fprintf(out, "%s%s\n", it->uri ? " " : "", it->uri ? it->uri : "");
        return;
    }
    fprintf(out, "shape %s", shapes[it->kind]);
    replay_num(out, it->x);
    replay_num(out, it->y);
    replay_num(out, it->w);
    replay_num(out, it->h);
    fprintf(out, " %d %d", it->fill != 0, it->stroke != 0);
    replay_color(out, it->fill_color);
    replay_color(out, it->stroke_color);
    replay_num(out, it->line_width);
    replay_num(out, it->alpha);
    replay_num(out, it->dash);
    size_t npts = it->pts ? it->npts : 0;
    fprintf(out, " %zu", npts);
    for (size_t i = 0; i < 2 * npts; i++)
        replay_num(out, it->pts[i]);
    fputc('\n', out);
}

void rp_pages_dump_replay(const rp_pages *d, FILE *out)
{
    fputs("replay 1\ndocument", out);
    replay_num(out, d->width);
    replay_num(out, d->height);
    fprintf(out, " %zu %zu %zu\n", d->npages, d->nfaces, d->noutlines);
    for (size_t i = 0; i < d->nfaces; i++)
        fprintf(out, "face %zu %d %d %s\n", i, d->faces[i].bold != 0, d->faces[i].italic != 0,
                d->faces[i].path ? d->faces[i].path : "");
    for (size_t i = 0; i < d->noutlines; i++) {
        fprintf(out, "outline %d %d", d->outlines[i].level, d->outlines[i].page);
        replay_num(out, d->outlines[i].y);
        fprintf(out, " %s\n", d->outlines[i].title ? d->outlines[i].title : "");
    }
    for (size_t p = 0; p < d->npages; p++) {
        fputs("page\n", out);
        for (size_t i = 0; i < d->pages[p].nitems; i++)
            replay_item(out, &d->pages[p].items[i]);
    }
    fputs("end\n", out);
}
