/* cheatsheet: one landscape page of the roles side by side, shrunk to fit. */
#include "cheatsheet.h"

#include <string.h>

#include "diag.h"

/* Furniture labels. */
#define L_SHEET "Cheat sheet"
#define L_FOCUS "Focus: "
#define L_HORIZON "Horizon: "
#define L_RESP "Top responsibilities"
#define L_SKILLS "Key skills"
#define L_PATHS "How to get into the role"
#define L_TOGETHER "How they work together"
#define L_SKILL_SEP                                                                                \
    "\xC2\xA0\xC2\xB7 " /* no-break space: the dot stays with the skill before it                  \
                         */
#define BULLET "\xE2\x80\xA2"

#define GUTTER_EM 1.4 /* space between role columns, in body ems */

/* Text styles of one trial, scaled from the style's by the body size being tried. */
typedef struct sheet {
    rp_ctx *c;
    rp_text_style title, head, body;
    double width; /* content width */
    double avail; /* content height */
    double bar_h; /* height of the role name bars */
    double em;    /* body size */
} sheet;

static rp_text_style scaled(const rp_text_style *t, double k)
{
    rp_text_style s = *t;
    s.size *= k;
    s.leading *= k;
    s.space_before *= k;
    s.space_after *= k;
    return s;
}

/* Set runs into b at (x, y) in width with a hanging bullet when bullet is set; returns the
 * height used. */
static double text_at(sheet *s, rp_box *b, const rp_run *runs, size_t n, double x, double y,
                      double width, const rp_text_style *t, int bullet, long line)
{
    double indent = 0, base = rp_baseline(s->c, t, t->size, t->leading);
    if (bullet) {
        rp_run br = rp_plain_run(t, BULLET, 0, runs[0].color);
        indent = rp_run_width(s->c, &br) + t->size * 0.4;
        rp_box_run(s->c, b, &br, x, y + base);
    }
    rp_lines ls = rp_lines_of(s->c, runs, n, width - indent, rp_flags(t, t == &s->body), line);
    return rp_box_lines(s->c, b, &ls, x + indent, y, t->leading, base);
}

static double inline_at(sheet *s, rp_box *b, const rp_inline *in, const char *label, double x,
                        double y, double width, int bullet)
{
    size_t n;
    rp_run *runs = rp_inline_runs(s->c, in, &s->body, &n);
    rp_run *all = rp_arena_alloc(s->c->a, (n + 1) * sizeof *all);
    size_t k = 0;
    if (label)
        all[k++] = rp_plain_run(&s->body, label, 1, s->body.color);
    memcpy(all + k, runs, n * sizeof *runs);
    return text_at(s, b, all, n + k, x, y, width, &s->body, bullet, in->line);
}

static double subhead(sheet *s, rp_box *b, const char *text, rp_color col, double x, double y,
                      double width)
{
    rp_run r = rp_plain_run(&s->head, text, 0, col);
    double h = text_at(s, b, &r, 1, x, y + s->head.space_before, width, &s->head, 0, 0);
    return s->head.space_before + h + s->head.space_after;
}

/* Skills as one paragraph: "a · b · c". */
static double skills(sheet *s, rp_box *b, const rp_role *ro, double x, double y, double width)
{
    rp_run *runs = rp_arena_alloc(s->c->a, (ro->nskills * 8 + 1) * sizeof *runs);
    size_t n = 0;
    for (size_t i = 0; i < ro->nskills; i++) {
        size_t k;
        rp_run *rs = rp_inline_runs(s->c, &ro->skills[i], &s->body, &k);
        if (i > 0)
            runs[n++] = rp_plain_run(&s->body, L_SKILL_SEP, 0, s->body.color);
        for (size_t j = 0; j < k && n < ro->nskills * 8; j++)
            runs[n++] = rs[j];
    }
    return text_at(s, b, runs, n, x, y, width, &s->body, 0, ro->line);
}

static double paths(sheet *s, rp_box *b, const rp_role *ro, double x, double y, double width)
{
    double h = 0;
    for (size_t i = 0; i < ro->npaths; i++) {
        const rp_path *p = &ro->paths[i];
        size_t n;
        rp_run *sum = rp_inline_runs(s->c, &p->summary, &s->body, &n);
        rp_run *all = rp_arena_alloc(s->c->a, (n + 3 + p->norgs * 2) * sizeof *all);
        size_t k = 0;
        all[k++] =
            rp_plain_run(&s->body, rp_arena_printf(s->c->a, "%s: ", p->title), 1, s->body.color);
        memcpy(all + k, sum, n * sizeof *sum);
        k += n;
        for (size_t o = 0; o < p->norgs; o++) {
            const char *org = rp_inline_text(s->c->a, &p->orgs[o]);
            const char *txt = rp_arena_printf(s->c->a, "%s%s%s", o == 0 ? " (" : ", ", org,
                                              o + 1 == p->norgs ? ")" : "");
            all[k++] = rp_plain_run(&s->body, txt, 0, s->body.color);
        }
        h += text_at(s, b, all, k, x, y + h, width, &s->body, 1, p->line);
    }
    return h;
}

/* One role's column; returns its height. */
static double column(sheet *s, rp_box *b, size_t r, double x, double width)
{
    const rp_role *ro = &s->c->art->roles[r];
    s->c->line = ro->line;
    rp_color col = rp_style_role_color(s->c->style, ro->id, r), ink = rp_ink_of(col);
    double pad = s->em * 0.5, y = 0;
    /* header bar with the role's name; every column's bar is as tall as the tallest */
    rp_run name = rp_plain_run(&s->head, ro->name, 0, rp_ink_on(col));
    rp_box bar = {0};
    text_at(s, &bar, &name, 1, x + pad, pad, width - 2 * pad, &s->head, 0, ro->line);
    rp_box_rect(s->c, b, x, 0, width, s->bar_h, col);
    for (size_t i = 0; i < bar.nitems; i++)
        rp_box_add(s->c, b, &bar.items[i]);
    y = s->bar_h + s->em * 0.6;
    y += inline_at(s, b, &ro->definition, NULL, x, y, width, 0) + s->em * 0.4;
    y += inline_at(s, b, &ro->focus, L_FOCUS, x, y, width, 0) + s->em * 0.2;
    y += inline_at(s, b, &ro->horizon, L_HORIZON, x, y, width, 0);
    y += subhead(s, b, L_RESP, ink, x, y, width);
    for (size_t i = 0; i < ro->nresponsibilities; i++)
        y += inline_at(s, b, &ro->responsibilities[i], NULL, x, y, width, 1) + s->em * 0.1;
    y += subhead(s, b, L_SKILLS, ink, x, y, width);
    y += skills(s, b, ro, x, y, width);
    y += subhead(s, b, L_PATHS, ink, x, y, width);
    y += paths(s, b, ro, x, y, width);
    return y;
}

/* The strip on collaboration across the full width, in as many columns as roles (2-3). */
static double strip(sheet *s, rp_box *b, double y)
{
    const rp_article *art = s->c->art;
    const rp_style *st = s->c->style;
    double pad = s->em * 0.7;
    size_t ncols = art->ncollaboration > 4 ? 3 : 2;
    double gut = s->em * GUTTER_EM,
           cw = (s->width - 2 * pad - gut * (double)(ncols - 1)) / (double)ncols;
    rp_box inner = {0};
    double h = subhead(s, &inner, L_TOGETHER, st->accent, pad, 0, s->width - 2 * pad) + s->em * 0.3;
    size_t per = (art->ncollaboration + ncols - 1) / ncols;
    double colh = 0;
    for (size_t k = 0; k < ncols; k++) {
        double ch = 0;
        for (size_t i = k * per; i < (k + 1) * per && i < art->ncollaboration; i++)
            ch += inline_at(s, &inner, &art->collaboration[i], NULL, pad + (double)k * (cw + gut),
                            h + ch, cw, 1) +
                  s->em * 0.2;
        colh = ch > colh ? ch : colh;
    }
    h += colh + pad * 0.6;
    rp_box_rect(s->c, b, 0, y, s->width, h, st->table_stripe_bg);
    rp_box_rect(s->c, b, 0, y, s->width, 2, st->accent);
    for (size_t i = 0; i < inner.nitems; i++) {
        inner.items[i].y += y;
        rp_box_add(s->c, b, &inner.items[i]);
    }
    return h;
}

/* Lay the whole sheet out at body size em into a box; returns the height it needs. */
static double trial(sheet *s, rp_box *b, double size)
{
    const rp_style *st = s->c->style;
    const rp_article *art = s->c->art;
    double k = size / st->text[RP_TS_CHEAT_BODY].size;
    s->title = scaled(&st->text[RP_TS_CHEAT_TITLE], k > 1 ? 1 : (1 + k) / 2);
    s->head = scaled(&st->text[RP_TS_CHEAT_HEAD], k);
    s->body = scaled(&st->text[RP_TS_CHEAT_BODY], k);
    s->em = size;
    s->c->line = art->meta_line;
    rp_run title = rp_plain_run(&s->title, art->title, 0, s->title.color);
    rp_run label = rp_plain_run(&s->title, L_SHEET, 0, st->muted);
    double lw = rp_run_width(s->c, &label);
    double y = text_at(s, b, &title, 1, 0, 0, s->width - lw - size * 2, &s->title, 0, 0);
    text_at(s, b, &label, 1, s->width - lw, 0, lw + 1, &s->title, 0, 0);
    y += s->title.space_after;
    size_t n = art->nroles;
    double gut = size * GUTTER_EM, cw = (s->width - gut * (double)(n - 1)) / (double)n, colh = 0;
    s->bar_h = 0;
    for (size_t r = 0; r < n; r++) {
        rp_box probe = {0};
        s->c->line = art->roles[r].line;
        rp_run name = rp_plain_run(&s->head, art->roles[r].name, 0, s->head.color);
        double h = text_at(s, &probe, &name, 1, 0, 0, cw - size, &s->head, 0, 0) + size;
        s->bar_h = h > s->bar_h ? h : s->bar_h;
    }
    for (size_t r = 0; r < n; r++) {
        rp_box col = {0};
        double h = column(s, &col, r, (double)r * (cw + gut), cw);
        for (size_t i = 0; i < col.nitems; i++) {
            col.items[i].y += y;
            rp_box_add(s->c, b, &col.items[i]);
        }
        colh = h > colh ? h : colh;
    }
    y += colh + size * 1.2;
    /* the strip sits at the foot of the page when there is room to spare */
    rp_box probe = {0};
    double sh = strip(s, &probe, 0);
    y = y + sh < s->avail ? s->avail - sh : y;
    y += strip(s, b, y);
    b->height = y;
    return y;
}

rp_pages *rp_cheatsheet_layout(rp_ctx *c)
{
    const rp_style *st = c->style;
    double pw = st->page_w < st->page_h ? st->page_w : st->page_h;
    double ph = st->page_w < st->page_h ? st->page_h : st->page_w;
    if (st->cheat_landscape) {
        double t = pw;
        pw = ph;
        ph = t;
    }
    double m = st->cheat_margin, avail = ph - 2 * m;
    sheet s = {0};
    s.c = c;
    s.width = pw - 2 * m;
    s.avail = avail;
    double top = st->text[RP_TS_CHEAT_BODY].size, need = 0;
    rp_box *fit = NULL;
    rp_diag_mute_warnings(1); /* trials at sizes that are thrown away must not warn */
    /* sizes top, top - step, ... down to the floor, which is always tried last */
    int steps = top > st->cheat_min_size ? (int)((top - st->cheat_min_size) / st->cheat_step) : 0;
    for (int k = 0; k <= steps + 1; k++) {
        double size = k <= steps ? top - k * st->cheat_step : st->cheat_min_size;
        if (k == steps + 1 && size >= top - steps * st->cheat_step - 1e-9)
            break; /* the floor was on the grid: already tried */
        rp_box *b = rp_box_new(c, NULL);
        need = trial(&s, b, size);
        if (need <= avail) {
            fit = b;
            break;
        }
    }
    rp_diag_mute_warnings(0);
    if (!fit) {
        rp_diag(RP_ERROR, c->file, c->art->roles[0].line, 0,
                "cheat sheet does not fit on one page: at the %.1f pt floor its content is "
                "%.1f pt tall, %.1f pt more than the %.1f pt available",
                st->cheat_min_size, need, need - avail, avail);
        return NULL;
    }
    /* lay out once more at the chosen size with warnings on, for honest diagnostics */
    rp_box *b = rp_box_new(c, NULL);
    trial(&s, b, s.em);
    rp_pages *doc = rp_pages_new(c->a, pw, ph);
    rp_flow f;
    rp_flow_start(&f, c, doc, m, m, ph - m);
    rp_flow_place(&f, &b, 1);
    rp_layout_metadata(c, doc, rp_arena_printf(c->a, "%s \xE2\x80\x94 %s", c->art->title, L_SHEET));
    rp_layout_faces(c, doc);
    return doc;
}
