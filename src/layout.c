/* layout: boxes, text setting, tables and the page flow shared by both layouts. */
#include "layout.h"

#include <math.h>
#include <string.h>

#include "diag.h"
#include "utf8.h"

#define BULLET "\xE2\x80\xA2" /* U+2022 */

rp_arena *rp_scratch(rp_ctx *c)
{
    return c->tmp ? c->tmp : c->a;
}

rp_box *rp_box_new(rp_ctx *c, rp_boxes *list)
{
    rp_box *b = rp_arena_alloc(rp_scratch(c), sizeof *b);
    b->page = -1;
    b->line = c->line;
    if (list)
        rp_boxes_push(c, list, b);
    return b;
}

void rp_boxes_push(rp_ctx *c, rp_boxes *list, rp_box *b)
{
    /* an array of pointers: sizeof *slot is the size of a pointer, as meant */
    rp_box **slot = rp_arena_grow(rp_scratch(c), (void **)&list->v, &list->cap, list->n,
                                  sizeof *slot); // NOLINT(bugprone-sizeof-expression)
    *slot = b;
    list->n++;
}

rp_item *rp_box_add(rp_ctx *c, rp_box *b, const rp_item *it)
{
    rp_item *slot =
        rp_arena_grow(rp_scratch(c), (void **)&b->items, &b->cap, b->nitems, sizeof *slot);
    *slot = *it;
    b->nitems++;
    return slot;
}

void rp_box_rect(rp_ctx *c, rp_box *b, double x, double y, double w, double h, rp_color fill)
{
    rp_item it = {.kind = RP_ITEM_RECT, .x = x, .y = y, .w = w, .h = h, .fill = 1};
    it.fill_color = fill;
    it.alpha = 1;
    rp_box_add(c, b, &it);
}

void rp_box_line(rp_ctx *c, rp_box *b, double x1, double y1, double x2, double y2, double width,
                 rp_color color)
{
    rp_item it = {.kind = RP_ITEM_LINE, .x = x1, .y = y1, .w = x2 - x1, .h = y2 - y1};
    it.stroke = 1;
    it.stroke_color = color;
    it.line_width = width;
    it.alpha = 1;
    rp_box_add(c, b, &it);
}

/* ---- text ---- */

static int face_of(const rp_text_style *ts, int bold, int italic)
{
    return ts->faces[(bold ? 1 : 0) | (italic ? 2 : 0)];
}

rp_run rp_plain_run(const rp_text_style *ts, const char *text, int bold, rp_color color)
{
    rp_run r = {text, face_of(ts, bold || ts->bold, ts->italic), ts->size, color};
    return r;
}

rp_run *rp_inline_runs(rp_ctx *c, const rp_inline *in, const rp_text_style *ts, size_t *n)
{
    rp_run *runs = rp_arena_alloc(rp_scratch(c), (in->nspans + 1) * sizeof *runs);
    for (size_t i = 0; i < in->nspans; i++) {
        const rp_span *sp = &in->spans[i];
        int bold = ts->bold || (sp->flags & RP_SPAN_STRONG);
        int italic = ts->italic != ((sp->flags & RP_SPAN_EM) != 0);
        runs[i] = (rp_run){sp->text, face_of(ts, bold, italic), ts->size, ts->color};
    }
    *n = in->nspans;
    if (in->line > 0)
        c->line = in->line;
    return runs;
}

/* ---- fallback fonts ---- */

/* Characters that take the face of the text around them: spaces and the soft hyphen. */
static int neutral(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xAD;
}

/* The face that draws cp in text set in face: face itself if it has the glyph, else the
 * first fallback family's face of the same weight and slant that has it, else face (the
 * glyph is missing everywhere, which rp_box_line_text reports). */
static int cover_face(rp_ctx *c, int face, uint32_t cp)
{
    if (rp_fonts_has_glyph(c->fonts, face, cp))
        return face;
    int k = (rp_fonts_bold(c->fonts, face) ? 1 : 0) | (rp_fonts_italic(c->fonts, face) ? 2 : 0);
    for (size_t i = 0; i < c->style->nfallback; i++) {
        int f = c->style->fallback[i].faces[k];
        if (f >= 0 && rp_fonts_has_glyph(c->fonts, f, cp))
            return f;
    }
    return face;
}

/* Splits run r where the face that draws its characters changes; appends the pieces to out
 * (may be NULL to count them). Returns the number of pieces. */
static size_t cover_run(rp_ctx *c, const rp_run *r, rp_run *out)
{
    const char *s = r->text;
    size_t len = strlen(s), k, start = 0, npieces = 0;
    int cur = r->face;
    for (size_t i = 0; i < len; i += k) {
        uint32_t cp = rp_utf8_next(s + i, len - i, &k);
        int f = neutral(cp) ? cur : cover_face(c, r->face, cp);
        if (f == cur)
            continue;
        if (i > start) {
            if (out)
                out[npieces] = (rp_run){rp_arena_strndup(rp_scratch(c), s + start, i - start), cur,
                                        r->size, r->color};
            npieces++;
        }
        cur = f, start = i;
    }
    if (out)
        out[npieces] = (rp_run){start ? s + start : s, cur, r->size, r->color};
    return npieces + 1;
}

/* The runs split so that every character is measured and drawn by the face that has it.
 * Returns runs itself when no character needs a fallback. */
static const rp_run *cover(rp_ctx *c, const rp_run *runs, size_t n, size_t *nout)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += cover_run(c, &runs[i], NULL);
    *nout = total;
    if (total == n)
        return runs;
    rp_run *out = rp_arena_alloc(rp_scratch(c), total * sizeof *out);
    for (size_t i = 0, k = 0; i < n; i++)
        k += cover_run(c, &runs[i], out + k);
    return out;
}

double rp_run_width(rp_ctx *c, const rp_run *run)
{
    size_t n;
    const rp_run *pieces = cover(c, run, 1, &n);
    return rp_runs_width(c->fonts, pieces, n);
}

/* Warn once per code point about glyphs no font has (not while layout trials run with
 * warnings muted, so the final pass still reports them). Text reaches here split by
 * cover(), so a glyph the face lacks is one the fallback fonts lack too. */
static void check_glyphs(rp_ctx *c, int face, const char *s, long line)
{
    if (rp_diag_muted())
        return;
    size_t len = strlen(s), k;
    for (size_t i = 0; i < len; i += k) {
        uint32_t cp = rp_utf8_next(s + i, len - i, &k);
        if (cp == 0xAD || cp > 0xFFFF || rp_fonts_has_glyph(c->fonts, face, cp))
            continue; /* beyond the BMP is refused when the source is read */
        unsigned char bit = (unsigned char)(1u << (cp & 7));
        if (c->warned[cp >> 3] & bit)
            continue;
        c->warned[cp >> 3] |= bit;
        rp_diag(RP_WARNING, c->file, line, 0,
                "font '%s' has no glyph for U+%04X (%.*s), nor has any fallback font; it will "
                "print as an empty box",
                rp_fonts_family(c->fonts, face), (unsigned)cp, (int)k, s + i);
    }
}

int rp_flags(const rp_text_style *t, int hyphenate)
{
    return (t->align_justify ? RP_JUSTIFY : 0) | (hyphenate ? RP_HYPHENATE : 0);
}

/* Count the lines of a paragraph into the layout's report. */
static void count_lines(rp_ctx *c, const rp_lines *ls)
{
    rp_typo *t = &c->typo;
    t->fallback += ls->fallback != 0;
    for (size_t i = 0; i < ls->nlines; i++) {
        const rp_line *ln = &ls->lines[i];
        t->lines++;
        t->hyphenated += ln->hyphenated != 0;
        t->overfull += ln->overfull || ln->forced;
        if (!ln->spread)
            continue;
        t->justified++;
        t->stretch_sum += ln->stretch;
        t->stretch_max = ln->stretch > t->stretch_max ? ln->stretch : t->stretch_max;
        t->loose += ln->stretch > 1.5;
        t->underfull += ln->stretch > RP_SPACE_LOOSE + 1e-9;
    }
}

rp_lines rp_lines_of(rp_ctx *c, const rp_run *runs, size_t n, double width, int flags, long line)
{
    size_t npieces;
    const rp_run *pieces = cover(c, runs, n, &npieces);
    rp_break_opts o = {width, (flags & RP_JUSTIFY) != 0,
                       (flags & RP_HYPHENATE) && !c->greedy ? c->hyph : NULL, c->greedy};
    rp_lines ls = rp_break(c->fonts, rp_scratch(c), pieces, npieces, &o);
    if (rp_diag_muted())
        return ls;
    count_lines(c, &ls);
    /* one warning of each kind per paragraph, naming the worst line */
    const rp_line *loose = NULL, *forced = NULL;
    size_t nloose = 0, nforced = 0;
    for (size_t i = 0; i < ls.nlines; i++) {
        const rp_line *ln = &ls.lines[i];
        if (ln->spread && ln->stretch > RP_SPACE_LOOSE + 1e-9) {
            loose = !loose || ln->stretch > loose->stretch ? ln : loose;
            nloose++;
        }
        if (ln->forced || ln->overfull) {
            forced = forced ? forced : ln;
            nforced++;
        }
    }
    if (loose)
        rp_diag(RP_WARNING, c->file, line, 0,
                "underfull line (spaces stretched %.1f\xC3\x97)%s: \"%.40s\"", loose->stretch,
                nloose > 1 ? rp_arena_printf(rp_scratch(c), ", and %zu more", nloose - 1) : "",
                loose->nfrags ? loose->frags[0].text : "");
    if (forced && forced->forced)
        rp_diag(RP_WARNING, c->file, line, 0,
                "overfull line: \"%.40s\" does not fit the %.1f pt measure and was broken "
                "between letters (%zu line%s)",
                forced->nfrags ? forced->frags[0].text : "", width, nforced,
                nforced > 1 ? "s" : "");
    else if (forced)
        rp_diag(RP_WARNING, c->file, line, 0, "overfull line: \"%.40s\" sticks out %.1f pt",
                forced->nfrags ? forced->frags[0].text : "", forced->excess);
    return ls;
}

double rp_baseline(rp_ctx *c, const rp_text_style *ts, double size, double leading)
{
    int face = ts->faces[0];
    double asc = rp_fonts_ascent(c->fonts, face) * size / 1000.0;
    double desc = -rp_fonts_descent(c->fonts, face) * size / 1000.0;
    return (leading - (asc + desc)) / 2 + asc;
}

void rp_item_kern(rp_ctx *c, rp_item *it)
{
    const char *s = it->text;
    size_t len = strlen(s), k, n = 0, cap = 0;
    rp_kern *v = NULL;
    double x = 0, scale = it->size / 1000.0;
    uint32_t prev = 0;
    for (size_t i = 0; i < len; i += k) {
        uint32_t cp = rp_utf8_next(s + i, len - i, &k);
        double kern = prev ? rp_fonts_kern(c->fonts, it->face, prev, cp) : 0;
        if (kern != 0) {
            x += kern * scale;
            rp_kern *slot = rp_arena_grow(c->a, (void **)&v, &cap, n, sizeof *slot);
            *slot = (rp_kern){i, x};
            n++;
        }
        x += rp_fonts_advance(c->fonts, it->face, cp) * scale + it->track;
        prev = cp;
    }
    rp_arena_fit(c->a, (void **)&v, &cap, n, sizeof *v);
    it->kerns = v;
    it->nkerns = n;
}

rp_item rp_text_item(double x, double y, double w, const char *text, int face, double size,
                     double track, rp_color color)
{
    rp_item it = {.kind = RP_ITEM_TEXT, .x = x, .y = y, .w = w};
    it.text = text;
    it.face = face;
    it.size = size;
    it.track = track;
    it.fill = 1;
    it.fill_color = color;
    it.alpha = 1;
    return it;
}

/* The text item of fragment f of a line set at (x, baseline). Its text is copied into
 * ctx.a when the line may be in ctx.tmp. */
static rp_item frag_item(rp_ctx *c, const rp_frag *f, double x, double baseline)
{
    rp_item it =
        rp_text_item(x + f->x, baseline, f->w, c->tmp ? rp_arena_strdup(c->a, f->text) : f->text,
                     f->face, f->size, f->track, f->color);
    rp_item_kern(c, &it);
    return it;
}

static void check_line(rp_ctx *c, const rp_box *b, const rp_line *ln)
{
    for (size_t i = 0; i < ln->nfrags; i++)
        check_glyphs(c, ln->frags[i].face, ln->frags[i].text, b->line ? b->line : c->line);
}

void rp_box_line_text(rp_ctx *c, rp_box *b, const rp_line *ln, double x, double baseline)
{
    for (size_t i = 0; i < ln->nfrags; i++) {
        const rp_frag *f = &ln->frags[i];
        check_glyphs(c, f->face, f->text, b->line ? b->line : c->line);
        rp_item it = frag_item(c, f, x, baseline);
        rp_box_add(c, b, &it);
    }
}

/* The look of a deferred line's fragments: a line has one or a few. */
typedef struct ink {
    int face;
    double size, track;
    rp_color color;
} ink;

/* A fragment of a deferred line: what its text item does not share with the others. */
typedef struct dfrag {
    const char *text;     /* in ctx.a, as the item will keep it */
    const rp_kern *kerns; /* in ctx.a */
    double x, w;          /* x: relative to the box, as rp_box_line_text() gives it */
    unsigned nkerns, ink; /* ink: index into the line's inks */
} dfrag;

struct rp_text_line {
    double baseline;
    rp_arena *queue; /* freed up to mark once the line is placed (ctx.queue), or NULL */
    size_t mark;
    size_t nfrags, ninks;
    ink *inks;
    dfrag frags[]; /* nfrags */
};

/* The index of the look of text item it among the n inks of v, added if new. */
static unsigned ink_of(ink *v, size_t *n, const rp_item *it)
{
    for (size_t i = 0; i < *n; i++) {
        const ink *k = &v[i];
        if (k->face == it->face && k->size == it->size && k->track == it->track &&
            k->color.r == it->fill_color.r && k->color.g == it->fill_color.g &&
            k->color.b == it->fill_color.b)
            return (unsigned)i;
    }
    v[*n] = (ink){it->face, it->size, it->track, it->fill_color};
    return (unsigned)(*n)++;
}

void rp_box_defer_line(rp_ctx *c, rp_box *b, const rp_line *ln, double x, double baseline)
{
    check_line(c, b, ln);
    rp_arena *a = c->queue ? c->queue : rp_scratch(c);
    rp_text_line *tl = rp_arena_alloc(a, sizeof *tl + ln->nfrags * sizeof tl->frags[0]);
    /* the line's inks (one or two, as a rule) are gathered here, then kept at their number */
    ink local[32];
    ink *inks = ln->nfrags <= 32 ? local : rp_arena_alloc(rp_scratch(c), ln->nfrags * sizeof *inks);
    size_t ninks = 0;
    tl->baseline = baseline;
    tl->nfrags = ln->nfrags;
    for (size_t i = 0; i < ln->nfrags; i++) {
        rp_item it = frag_item(c, &ln->frags[i], x, baseline);
        unsigned k = ink_of(inks, &ninks, &it);
        tl->frags[i] = (dfrag){it.text, it.kerns, it.x, it.w, (unsigned)it.nkerns, k};
    }
    tl->inks = rp_arena_alloc(a, ninks * sizeof *tl->inks);
    if (ninks)
        memcpy(tl->inks, inks, ninks * sizeof *tl->inks);
    tl->ninks = ninks;
    tl->queue = c->queue;
    tl->mark = c->queue ? rp_arena_mark(c->queue) : 0;
    b->text = tl;
}

/* The text item of fragment i of the deferred line tl, relative to its box. */
static rp_item deferred_item(const rp_text_line *tl, size_t i)
{
    const dfrag *d = &tl->frags[i];
    const ink *k = &tl->inks[d->ink];
    rp_item it =
        rp_text_item(d->x, tl->baseline, d->w, d->text, k->face, k->size, k->track, k->color);
    it.kerns = d->kerns;
    it.nkerns = d->nkerns;
    return it;
}

double rp_box_lines(rp_ctx *c, rp_box *b, const rp_lines *ls, double x, double y, double leading,
                    double baseline)
{
    for (size_t i = 0; i < ls->nlines; i++)
        rp_box_line_text(c, b, &ls->lines[i], x, y + (double)i * leading + baseline);
    return (double)ls->nlines * leading;
}

rp_box *rp_text_box(rp_ctx *c, const rp_run *runs, size_t n, double x, double width,
                    const rp_text_style *ts, int flags, long line)
{
    rp_box *b = rp_box_new(c, NULL);
    rp_lines ls = rp_lines_of(c, runs, n, width, flags, line);
    b->height =
        rp_box_lines(c, b, &ls, x, 0, ts->leading, rp_baseline(c, ts, ts->size, ts->leading));
    b->line = line;
    return b;
}

/* ---- tables ---- */

/* Set one cell's text into row box b at column x (already padded); returns its height. */
static double cell_text(rp_ctx *c, rp_box *b, const rp_cell *cell, double x, double y, double width,
                        int hyphenate)
{
    const rp_text_style *ts = cell->ts;
    double indent = 0;
    double base = rp_baseline(c, ts, ts->size, ts->leading);
    if (cell->bullet && cell->nruns) {
        rp_run bullet = cell->runs[0];
        bullet.text = BULLET;
        indent = rp_run_width(c, &bullet) + ts->size * 0.45;
        rp_box_run(c, b, &bullet, x, y + base);
    }
    rp_lines ls =
        rp_lines_of(c, cell->runs, cell->nruns, width - indent, rp_flags(ts, hyphenate), b->line);
    return rp_box_lines(c, b, &ls, x + indent, y, ts->leading, base);
}

/* A row of cells as one box: backgrounds first, then text, then the rule below. The
 * backgrounds' items come first but get their height once the text is set. */
static rp_box *table_row(rp_ctx *c, size_t ncols, const double *widths, const rp_cell *cells,
                         int head, long line)
{
    const rp_style *st = c->style;
    double pad = st->cell_padding, h = 0, x = 0;
    rp_box *b = rp_box_new(c, NULL);
    b->line = line;
    for (size_t k = 0; k < ncols; k++) {
        if (cells[k].fill)
            rp_box_rect(c, b, x, 0, widths[k], 0, cells[k].background);
        x += widths[k];
    }
    size_t nrects = b->nitems;
    x = 0;
    for (size_t k = 0; k < ncols; k++) {
        double ch = cell_text(c, b, &cells[k], x + pad, pad, widths[k] - 2 * pad, !head);
        h = ch > h ? ch : h;
        x += widths[k];
    }
    h += 2 * pad;
    for (size_t i = 0; i < nrects; i++)
        b->items[i].h = h;
    rp_box_line(c, b, 0, h, x, h, 0.5, st->rule);
    b->height = h;
    return b;
}

void rp_table(rp_ctx *c, rp_boxes *out, size_t ncols, const double *widths, const rp_cell *head,
              const rp_cell *rows, size_t nrows, long line)
{
    rp_box *hb = NULL;
    if (head) {
        hb = table_row(c, ncols, widths, head, 1, line);
        hb->keep_next = 1;
        rp_boxes_push(c, out, hb);
    }
    for (size_t r = 0; r < nrows; r++) {
        rp_box *rb = table_row(c, ncols, widths, rows + r * ncols, 0, line);
        rb->repeat = hb;
        /* no page holds the header with a single row, or a single last row */
        rb->keep_next = (r == 0 && nrows > 1) || (nrows > 2 && r + 2 == nrows);
        rp_boxes_push(c, out, rb);
    }
}

/* ---- flow ---- */

void rp_flow_start(rp_flow *f, rp_ctx *c, rp_pages *doc, double left, double top, double bottom)
{
    f->c = c;
    f->doc = doc;
    f->left = f->left_even = left;
    f->top = top;
    f->bottom = bottom;
    f->page = rp_pages_add_page(doc);
    f->y = top;
    f->fresh = 1;
    f->spare = 0;
    f->left_page = NULL;
    f->left_arg = NULL;
}

static void new_page(rp_flow *f)
{
    rp_pages_fit(f->doc, f->page, f->spare);
    if (f->left_page)
        f->left_page(f->left_arg, f->page);
    f->page = rp_pages_add_page(f->doc);
    f->y = f->top;
    f->fresh = 1;
}

/* Copy a box's items onto the current page at the cursor, then make its deferred line's. */
static void put(rp_flow *f, rp_box *b)
{
    b->page = (int)f->page;
    b->y = f->y;
    b->first_item = f->doc->pages[f->page].nitems;
    double left = f->page % 2 == 1 ? f->left_even : f->left;
    for (size_t i = 0; i < b->nitems; i++) {
        rp_item it = b->items[i];
        it.x += left;
        it.y += f->y;
        rp_pages_add(f->doc, f->page, &it);
    }
    for (size_t i = 0; b->text && i < b->text->nfrags; i++) {
        rp_item it = deferred_item(b->text, i);
        it.x += left;
        it.y += f->y;
        rp_pages_add(f->doc, f->page, &it);
    }
    if (b->text && b->text->queue) /* this line and those before it are done with */
        rp_arena_release(b->text->queue, b->text->mark);
    f->y += b->height;
    f->fresh = 0;
}

/* Height of the keep chain starting at box i (the box and every box it is kept with),
 * summed only until it passes limit: a long chain is not walked again for each of its
 * boxes, which would make long lists quadratic. */
static double chain_height(rp_box **boxes, size_t n, size_t i, int fresh, double limit)
{
    double h = 0;
    for (size_t k = i; k < n && h <= limit; k++) {
        h += boxes[k]->height + (k == i && fresh ? 0 : boxes[k]->space_before);
        if (!boxes[k]->keep_next)
            break;
    }
    return h;
}

size_t rp_flow_ready(rp_box **boxes, size_t n)
{
    while (n > 0 && boxes[n - 1]->keep_next)
        n--;
    return n;
}

void rp_flow_place(rp_flow *f, rp_box **boxes, size_t from, size_t n)
{
    double page_h = f->bottom - f->top;
    for (size_t i = from; i < n; i++) {
        rp_box *b = boxes[i];
        if (b->break_before && !f->fresh)
            new_page(f);
        double need = chain_height(boxes, n, i, f->fresh, page_h);
        /* A chain taller than a page cannot be kept; then only the box itself must fit. */
        if (need > page_h)
            need = b->height + (f->fresh ? 0 : b->space_before);
        if (!f->fresh && f->y + need > f->bottom + 0.01)
            new_page(f);
        if (!f->fresh)
            f->y += b->space_before;
        else if (b->repeat && i > 0 && boxes[i - 1]->repeat == b->repeat) {
            rp_box copy = *b->repeat;
            put(f, &copy);
        }
        if (b->height > page_h + 0.01) /* sums of one length may differ by an ulp */
            rp_diag(RP_ERROR, f->c->file, b->line, 0,
                    "content %.1f pt tall does not fit on a page (%.1f pt available)", b->height,
                    page_h);
        put(f, b);
    }
}

void rp_layout_metadata(rp_ctx *c, rp_pages *doc, const char *title)
{
    doc->title = title;
    doc->subject = c->art->subtitle;
    doc->author = c->art->author;
    doc->creator = rp_arena_printf(c->a, "rolepress (style %s)", c->style->name);
}

void rp_layout_faces(rp_ctx *c, rp_pages *doc)
{
    doc->nfaces = rp_fonts_count(c->fonts);
    doc->faces = rp_arena_alloc(c->a, (doc->nfaces + 1) * sizeof *doc->faces);
    for (size_t i = 0; i < doc->nfaces; i++) {
        doc->faces[i].path = rp_fonts_path(c->fonts, (int)i);
        doc->faces[i].family = rp_fonts_family(c->fonts, (int)i);
        doc->faces[i].bold = rp_fonts_bold(c->fonts, (int)i);
        doc->faces[i].italic = rp_fonts_italic(c->fonts, (int)i);
    }
}

void rp_box_run(rp_ctx *c, rp_box *b, const rp_run *run, double x, double baseline)
{
    size_t n;
    const rp_run *pieces = cover(c, run, 1, &n);
    rp_frag *fr = rp_arena_alloc(rp_scratch(c), n * sizeof *fr);
    for (size_t i = 0; i < n; i++) {
        const rp_run *p = &pieces[i];
        double w = rp_fonts_width(c->fonts, p->face, p->size, p->text, strlen(p->text));
        fr[i] = (rp_frag){p->text, p->face, p->size, p->color, x, w, 0};
        x += w;
    }
    rp_line ln = {0};
    ln.frags = fr;
    ln.nfrags = n;
    rp_box_line_text(c, b, &ln, 0, baseline);
}

const char *rp_fit_text(rp_ctx *c, const rp_run *run, double width)
{
    static const char ellipsis[] = "\xE2\x80\xA6"; /* U+2026 */
    const char *s = run->text;
    size_t len = strlen(s), k, cut = 0;
    if (rp_run_width(c, run) <= width)
        return s;
    rp_run tail = *run;
    tail.text = ellipsis;
    double w = rp_run_width(c, &tail);
    for (size_t i = 0; i < len; i += k) {
        uint32_t cp = rp_utf8_next(s + i, len - i, &k);
        w += rp_fonts_advance(c->fonts, cover_face(c, run->face, cp), cp) * run->size / 1000.0;
        if (w > width)
            break;
        cut = i + k;
    }
    while (cut > 0 && s[cut - 1] == ' ')
        cut--;
    return rp_arena_printf(rp_scratch(c), "%.*s%s", (int)cut, s, ellipsis);
}

/* Relative luminance of an sRGB colour (0 black .. 1 white). */
static double luminance(rp_color c)
{
    const double ch[3] = {c.r, c.g, c.b};
    double l = 0;
    static const double weight[3] = {0.2126, 0.7152, 0.0722};
    for (int i = 0; i < 3; i++)
        l += weight[i] * (ch[i] <= 0.04045 ? ch[i] / 12.92 : pow((ch[i] + 0.055) / 1.055, 2.4));
    return l;
}

rp_color rp_ink_on(rp_color bg)
{
    /* white text needs a background darker than about 0.18 for a 4.5:1 contrast */
    return luminance(bg) < 0.18 ? (rp_color){1, 1, 1} : (rp_color){0.08, 0.08, 0.08};
}

rp_color rp_ink_of(rp_color c)
{
    /* darken in small steps until the colour reads as text on white (4.5:1 or better) */
    while (luminance(c) > 0.18)
        c.r *= 0.9, c.g *= 0.9, c.b *= 0.9;
    return c;
}
