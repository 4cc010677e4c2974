/* figures: the horizon axis and the Venn diagram, drawn from role data. */
#include "figures.h"

#include <math.h>
#include <string.h>

/* Furniture labels of the horizon axis. */
#define L_STRATEGIC "Strategic \xC2\xB7 long term"
#define L_TACTICAL "Tactical \xC2\xB7 short term"

static rp_color role_color(rp_ctx *c, size_t r)
{
    return rp_style_role_color(c->style, c->art->roles[r].id, r);
}

/* Role colour for text on the page (darkened if too light to read). */
static rp_color role_ink(rp_ctx *c, size_t r)
{
    return rp_ink_of(role_color(c, r));
}

static void shape(rp_ctx *c, rp_box *b, rp_item_kind kind, double x, double y, double w, double h,
                  rp_color fill, double alpha, rp_color stroke, double lw)
{
    rp_item it = {.kind = kind, .x = x, .y = y, .w = w, .h = h};
    it.fill = alpha > 0;
    it.fill_color = fill;
    it.alpha = alpha;
    it.stroke = lw > 0;
    it.stroke_color = stroke;
    it.line_width = lw;
    rp_box_add(c, b, &it);
}

/* Text centred on cx, wrapped to width, top of the first line box at y; returns height. */
static double centred(rp_ctx *c, rp_box *b, const rp_run *runs, size_t n, double cx, double y,
                      double width, const rp_text_style *t, long line)
{
    rp_lines ls = rp_lines_of(c, runs, n, width, 0, line);
    double base = rp_baseline(c, t, t->size, t->leading);
    for (size_t i = 0; i < ls.nlines; i++)
        rp_box_line_text(c, b, &ls.lines[i], cx - ls.lines[i].width / 2,
                         y + (double)i * t->leading + base);
    return (double)ls.nlines * t->leading;
}

/* ---- horizon ---- */

static void arrow_head(rp_ctx *c, rp_box *b, double x, double y, double dir, rp_color col)
{
    double *p = rp_arena_alloc(c->a, 6 * sizeof *p);
    p[0] = 0, p[1] = 0;
    p[2] = -dir * 7, p[3] = -4;
    p[4] = -dir * 7, p[5] = 4;
    rp_item it = {.kind = RP_ITEM_POLY, .x = x, .y = y, .pts = p, .npts = 3, .fill = 1};
    it.alpha = 1;
    it.fill_color = col;
    rp_box_add(c, b, &it);
}

/* A role's label on the horizon figure: its name, wrapped to a bounded width. */
typedef struct label {
    rp_lines lines;
    double x, w, h; /* left edge, width, height */
    int tier;       /* 0 = nearest the axis */
} label;

/* Put each label in the lowest tier where it overlaps no other label horizontally. */
static int assign_tiers(label *lb, size_t n)
{
    int tiers = 0;
    for (size_t r = 0; r < n; r++) {
        int k = 0;
        for (size_t q = 0; q < r; q++)
            if (lb[q].tier == k && lb[q].x < lb[r].x + lb[r].w + 6 &&
                lb[r].x < lb[q].x + lb[q].w + 6)
                k++, q = (size_t)-1; /* clash: try the next tier from the first label */
        lb[r].tier = k;
        tiers = k + 1 > tiers ? k + 1 : tiers;
    }
    return tiers;
}

rp_box *rp_figure_horizon(rp_ctx *c, double width)
{
    const rp_text_style *t = &c->style->text[RP_TS_CAPTION];
    const rp_article *art = c->art;
    size_t n = art->nroles;
    rp_box *b = rp_box_new(c, NULL);
    double x0 = 24, x1 = width - 24, maxw = fmin(width * 0.3, 150);
    label *lb = rp_arena_alloc(c->a, (n + 1) * sizeof *lb);
    for (size_t r = 0; r < n; r++) {
        rp_run name = rp_plain_run(t, art->roles[r].name, 1, role_ink(c, r));
        lb[r].lines = rp_lines_of(c, &name, 1, maxw, 0, art->roles[r].line);
        for (size_t i = 0; i < lb[r].lines.nlines; i++)
            lb[r].w = fmax(lb[r].w, lb[r].lines.lines[i].width);
        lb[r].h = (double)lb[r].lines.nlines * t->leading;
        double mx = x0 + art->roles[r].horizon_pos * (x1 - x0);
        lb[r].x = fmin(fmax(mx - lb[r].w / 2, 0), width - lb[r].w);
    }
    int tiers = assign_tiers(lb, n);
    double *tier_top = rp_arena_alloc(c->a, ((size_t)tiers + 1) * sizeof *tier_top);
    double *tier_h = rp_arena_alloc(c->a, ((size_t)tiers + 1) * sizeof *tier_h);
    for (size_t r = 0; r < n; r++)
        tier_h[lb[r].tier] = fmax(tier_h[lb[r].tier], lb[r].h + 4);
    double y = 4;
    for (int k = tiers - 1; k >= 0; k--) {
        tier_top[k] = y;
        y += tier_h[k];
    }
    double axis = y + 14;
    rp_color grey = c->style->rule;
    shape(c, b, RP_ITEM_RECT, x0 - 14, axis - 1.5, x1 - x0 + 28, 3, grey, 1, grey, 0);
    arrow_head(c, b, x0 - 20, axis, -1, grey);
    arrow_head(c, b, x1 + 20, axis, 1, grey);
    for (int k = 0; k <= 4; k++)
        shape(c, b, RP_ITEM_RECT, x0 + (x1 - x0) * k / 4 - 0.4, axis - 5, 0.8, 10, grey, 1, grey,
              0);
    /* leaders and markers first, then the labels on white, so a leader running up to a
     * higher label never crosses the text of a lower one */
    for (size_t r = 0; r < n; r++) {
        double mx = x0 + art->roles[r].horizon_pos * (x1 - x0);
        double bottom = tier_top[lb[r].tier] + tier_h[lb[r].tier] - 4;
        rp_box_line(c, b, mx, bottom, mx, axis - 6, 0.8, role_color(c, r));
        shape(c, b, RP_ITEM_ELLIPSE, mx, axis, 6, 6, role_color(c, r), 1, (rp_color){1, 1, 1}, 1.5);
    }
    double base = rp_baseline(c, t, t->size, t->leading);
    for (size_t r = 0; r < n; r++) {
        /* bottom-aligned in its tier, so every leader is as short as it can be */
        double top = tier_top[lb[r].tier] + tier_h[lb[r].tier] - 4 - lb[r].h;
        rp_box_rect(c, b, lb[r].x - 2, top, lb[r].w + 4, lb[r].h, (rp_color){1, 1, 1});
        for (size_t i = 0; i < lb[r].lines.nlines; i++) {
            const rp_line *ln = &lb[r].lines.lines[i];
            rp_box_line_text(c, b, ln, lb[r].x + (lb[r].w - ln->width) / 2,
                             top + (double)i * t->leading + base);
        }
    }
    rp_run l = rp_plain_run(t, L_STRATEGIC, 0, t->color);
    rp_run r = rp_plain_run(t, L_TACTICAL, 0, t->color);
    double rw = rp_run_width(c, &r);
    rp_box_run(c, b, &l, 0, axis + 10 + base);
    rp_box_run(c, b, &r, width - rw, axis + 10 + base);
    b->height = axis + 10 + t->leading + 4;
    return b;
}

/* ---- Venn ---- */

/* Traits of role r stacked and centred at (cx, cy). */
static void traits(rp_ctx *c, rp_box *b, size_t r, double cx, double cy, double width)
{
    const rp_text_style *t = &c->style->text[RP_TS_CAPTION];
    const rp_role *ro = &c->art->roles[r];
    double h = (double)ro->ntraits * t->leading, y = cy - h / 2;
    for (size_t i = 0; i < ro->ntraits; i++) {
        rp_run run = rp_plain_run(t, ro->traits[i], 0, role_ink(c, r));
        y += centred(c, b, &run, 1, cx, y, width, t, ro->line);
    }
}

static double shared_list(rp_ctx *c, rp_box *b, double cx, double y, double width)
{
    const rp_text_style *t = &c->style->text[RP_TS_CAPTION];
    const rp_article *art = c->art;
    double h = 0;
    for (size_t i = 0; i < art->nshared; i++) {
        size_t n;
        rp_run *runs = rp_inline_runs(c, &art->shared[i], t, &n);
        for (size_t k = 0; k < n; k++)
            runs[k].color = c->style->text[RP_TS_BODY].color; /* common ground: neutral ink */
        h += centred(c, b, runs, n, cx, y + h, width, t, art->shared[i].line) + t->leading * 0.3;
    }
    return h;
}

rp_box *rp_figure_venn(rp_ctx *c, double width)
{
    const rp_text_style *t = &c->style->text[RP_TS_CAPTION];
    const rp_article *art = c->art;
    rp_box *b = rp_box_new(c, NULL);
    size_t n = art->nroles;
    double R = fmin(width * 0.21, 100), d = R * (n == 2 ? 1.05 : 1.0), top = t->leading * 1.6;
    double cx = width / 2, cy = top + R;
    double px[3], py[3];
    if (n == 2) {
        px[0] = cx - d / 2, px[1] = cx + d / 2;
        py[0] = py[1] = cy;
    } else {
        double hgt = d * sqrt(3) / 2;
        px[0] = cx - d / 2, px[1] = cx + d / 2, px[2] = cx;
        py[0] = py[1] = top + R, py[2] = top + R + hgt;
    }
    for (size_t r = 0; r < n && r < 3; r++)
        shape(c, b, RP_ITEM_ELLIPSE, px[r], py[r], R, R, role_color(c, r), 0.16, role_color(c, r),
              1.2);
    for (size_t r = 0; r < n && r < 3; r++) {
        double nx = n == 2 ? px[r] + (r == 0 ? -R * 0.45 : R * 0.45) : px[r];
        double ny = r == 2 ? py[r] + R + 4 : py[r] - R - t->leading * 1.4;
        rp_run name = rp_plain_run(t, art->roles[r].name, 1, role_ink(c, r));
        centred(c, b, &name, 1, nx, ny, R * 1.6, t, art->roles[r].line);
        /* traits sit in the part of the circle no other circle covers */
        double ox = n == 2 ? (r == 0 ? px[0] - d / 2 - R * 0.05 : px[1] + d / 2 + R * 0.05)
                           : px[r] + (r == 2 ? 0 : (r == 0 ? -R * 0.42 : R * 0.42));
        double oy = n == 2 ? cy : (r == 2 ? py[2] + R * 0.45 : py[r] - R * 0.3);
        traits(c, b, r, ox, oy, n == 2 ? d * 0.85 : R * 0.9);
    }
    double bottom = n == 2 ? cy + R : py[2] + R + t->leading * 1.4;
    if (n == 2) {
        double lens = 2 * R - d;
        rp_box probe = {0};
        double h = shared_list(c, &probe, 0, 0, lens * 0.85);
        if (h <= R * 1.3) /* the lens is tall near its middle only */
            shared_list(c, b, cx, cy - h / 2, lens * 0.85);
        else
            bottom += shared_list(c, b, cx, bottom + 8, width * 0.7) + 8;
    } else if (art->nshared) {
        /* the three circles' common region is centred on the triangle's centroid; what all
         * share goes there when it fits, below the figure otherwise */
        rp_box probe = {0};
        double room = R * 0.8, h = shared_list(c, &probe, 0, 0, room);
        double gy = top + R + d * sqrt(3) / 6;
        if (h <= R * 0.7)
            shared_list(c, b, cx, gy - h / 2, room);
        else
            bottom += shared_list(c, b, cx, bottom + 6, width * 0.7) + 6;
    }
    b->height = bottom + 6;
    return b;
}
