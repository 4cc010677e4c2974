/* cheatsheet: one landscape page of the roles side by side, shrunk to fit.
 *
 * Balanced columns. The sheet has two kinds of columns and "balanced" means something
 * different for each:
 *  - The role columns hold different content, which cannot move from one role to another.
 *    They are balanced as a grid: each block (name bar, definition, focus, horizon, top
 *    responsibilities, key skills, ways into the role) starts at the same height in every
 *    column, below the tallest of the blocks before it, so a reader compares the roles by
 *    reading across, and the grid ends at one bottom for all columns. Only the text inside a
 *    block is ragged. Items are not aligned across roles: a role's third responsibility has
 *    nothing to do with another role's third.
 *  - The strip on how the roles work together is one list that flows down its 2 or 3
 *    columns like newspaper text. Its lines are shared out so that the tallest column is as
 *    short as possible and then the shortest as tall as possible. Breaks between items are
 *    preferred; then breaks inside an item that leave at least two of its lines on each
 *    side; a lone line of an item at a column's top or bottom only when nothing else keeps
 *    the column bottoms within one line (a leading plus the space between two items) of
 *    each other. An item split across columns continues at the top of the next one without
 *    its bullet.
 *
 * Shrink to fit. Every cheat-* size scales with the cheat-body size, which is chosen as the
 * largest that fits among the grid top, top - p, top - 2p, ... and the floor (the style's
 * min-size), where top is the style's cheat-body size and p its cheatsheet.step or
 * FINE_PT, whichever is finer. A trial layout costs a few tenths of a millisecond, so the
 * search bisects the grid (about log2 of 70 = 7 trials for the default style) instead of
 * walking it. Whether the content fits is almost but not quite monotone in the size: a
 * line break can fall more kindly at a slightly larger size, which can make a column or a
 * row one line shorter. So once bisection has found a size that fits with the next one up
 * overflowing, the PROBE_ABOVE sizes above that are tried as well, and the search goes on
 * above any of them that fits. */
#include "cheatsheet.h"

#include <math.h>
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

#define GUTTER_EM 1.4  /* space between role columns, in body ems */
#define ITEM_GAP_EM .2 /* space between the strip's items, in body ems */
#define FINE_PT 0.05   /* precision of the size search, unless the style's step is finer */
#define PROBE_ABOVE 2  /* sizes tried above the one bisection finds (see the banner) */
#define EPS 1e-9       /* slack for comparing computed heights */

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

/* An empty box (arena-owned) whose text reports missing glyphs at the line of the model node
 * being laid out, c->line, rather than at one fixed line. */
static rp_box *new_box(rp_ctx *c)
{
    rp_box *b = rp_box_new(c, NULL);
    b->line = 0;
    return b;
}

/* Width of the hanging bullet and the space after it, in text style t. */
static double bullet_indent(sheet *s, const rp_text_style *t, rp_run *bullet, rp_color color)
{
    *bullet = rp_plain_run(t, BULLET, 0, color);
    return rp_run_width(s->c, bullet) + t->size * 0.4;
}

/* Set runs into b at (x, y) in width with a hanging bullet when bullet is set; returns the
 * height used. */
static double text_at(sheet *s, rp_box *b, const rp_run *runs, size_t n, double x, double y,
                      double width, const rp_text_style *t, int bullet, long line)
{
    double indent = 0, base = rp_baseline(s->c, t, t->size, t->leading);
    if (bullet) {
        rp_run br;
        indent = bullet_indent(s, t, &br, runs[0].color);
        rp_box_run(s->c, b, &br, x, y + base);
    }
    rp_lines ls = rp_lines_of(s->c, runs, n, width - indent, rp_flags(t, t == &s->body), line);
    return rp_box_lines(s->c, b, &ls, x + indent, y, t->leading, base);
}

/* Runs of an inline text in the body style, after a bold label when label is set. */
static rp_run *body_runs(sheet *s, const rp_inline *in, const char *label, size_t *count)
{
    size_t n;
    rp_run *runs = rp_inline_runs(s->c, in, &s->body, &n);
    rp_run *all = rp_arena_alloc(s->c->a, (n + 1) * sizeof *all);
    size_t k = 0;
    if (label)
        all[k++] = rp_plain_run(&s->body, label, 1, s->body.color);
    memcpy(all + k, runs, n * sizeof *runs);
    *count = n + k;
    return all;
}

static double inline_at(sheet *s, rp_box *b, const rp_inline *in, const char *label, double x,
                        double y, double width, int bullet)
{
    size_t n;
    rp_run *all = body_runs(s, in, label, &n);
    return text_at(s, b, all, n, x, y, width, &s->body, bullet, in->line);
}

static double subhead(sheet *s, rp_box *b, const char *text, rp_color col, double x, double y,
                      double width)
{
    rp_run r = rp_plain_run(&s->head, text, 0, col);
    double h = text_at(s, b, &r, 1, x, y + s->head.space_before, width, &s->head, 0, 0);
    return s->head.space_before + h + s->head.space_after;
}

/* ---- the role columns: one function per block, each returning the height it used ---- */

typedef double (*block_fn)(sheet *s, rp_box *b, const rp_role *ro, rp_color ink, double x, double y,
                           double width);

static double definition(sheet *s, rp_box *b, const rp_role *ro, rp_color ink, double x, double y,
                         double width)
{
    (void)ink;
    return inline_at(s, b, &ro->definition, NULL, x, y, width, 0);
}

static double focus(sheet *s, rp_box *b, const rp_role *ro, rp_color ink, double x, double y,
                    double width)
{
    (void)ink;
    return inline_at(s, b, &ro->focus, L_FOCUS, x, y, width, 0);
}

static double horizon(sheet *s, rp_box *b, const rp_role *ro, rp_color ink, double x, double y,
                      double width)
{
    (void)ink;
    return inline_at(s, b, &ro->horizon, L_HORIZON, x, y, width, 0);
}

static double responsibilities(sheet *s, rp_box *b, const rp_role *ro, rp_color ink, double x,
                               double y, double width)
{
    double h = subhead(s, b, L_RESP, ink, x, y, width);
    for (size_t i = 0; i < ro->nresponsibilities; i++)
        h += inline_at(s, b, &ro->responsibilities[i], NULL, x, y + h, width, 1) + s->em * 0.1;
    return h;
}

/* Skills as one paragraph: "a · b · c". */
static double skills(sheet *s, rp_box *b, const rp_role *ro, rp_color ink, double x, double y,
                     double width)
{
    double h = subhead(s, b, L_SKILLS, ink, x, y, width);
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
    return h + text_at(s, b, runs, n, x, y + h, width, &s->body, 0, ro->line);
}

static double paths(sheet *s, rp_box *b, const rp_role *ro, rp_color ink, double x, double y,
                    double width)
{
    double h = subhead(s, b, L_PATHS, ink, x, y, width);
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

/* The rows of the role grid, top to bottom, with the space below each in body ems. */
static const struct {
    block_fn set;
    double after;
} rows[] = {{definition, 0.4},     {focus, 0.2}, {horizon, 0},
            {responsibilities, 0}, {skills, 0},  {paths, 0}};

/* The roles side by side from y down, as the grid described in the banner: name bars as
 * tall as the tallest, then each row below the tallest block of the row before. Returns the
 * height of the grid. */
static double role_grid(sheet *s, rp_box *b, double y0)
{
    const rp_article *art = s->c->art;
    size_t n = art->nroles;
    double size = s->em, gut = size * GUTTER_EM;
    double cw = (s->width - gut * (double)(n - 1)) / (double)n, pad = size * 0.5;
    rp_box *bars = new_box(s->c);
    s->bar_h = 0;
    for (size_t r = 0; r < n; r++) {
        const rp_role *ro = &art->roles[r];
        s->c->line = ro->line;
        rp_color col = rp_style_role_color(s->c->style, ro->id, r);
        rp_run name = rp_plain_run(&s->head, ro->name, 0, rp_ink_on(col));
        double h = text_at(s, bars, &name, 1, (double)r * (cw + gut) + pad, y0 + pad, cw - 2 * pad,
                           &s->head, 0, ro->line);
        s->bar_h = h + 2 * pad > s->bar_h ? h + 2 * pad : s->bar_h;
    }
    for (size_t r = 0; r < n; r++) {
        rp_color col = rp_style_role_color(s->c->style, art->roles[r].id, r);
        rp_box_rect(s->c, b, (double)r * (cw + gut), y0, cw, s->bar_h, col);
    }
    for (size_t i = 0; i < bars->nitems; i++)
        rp_box_add(s->c, b, &bars->items[i]);
    double y = y0 + s->bar_h + size * 0.6;
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        double row = 0;
        for (size_t r = 0; r < n; r++) {
            const rp_role *ro = &art->roles[r];
            s->c->line = ro->line;
            rp_color ink = rp_ink_of(rp_style_role_color(s->c->style, ro->id, r));
            double h = rows[k].set(s, b, ro, ink, (double)r * (cw + gut), y, cw);
            row = h > row ? h : row;
        }
        y += row + size * rows[k].after;
    }
    return y - y0;
}

/* ---- the strip: one list flowing down balanced columns ---- */

/* Height of a column holding lines i to j - 1 (see rp_cheatsheet_balance). */
static double span(const size_t *starts_before, size_t i, size_t j, double h, double g)
{
    if (j <= i)
        return 0;
    return (double)(j - i) * h + g * (double)(starts_before[j] - starts_before[i + 1]);
}

/* May a column end before line j (0 < j < n) at this tier: 0 only between items, 1 also
 * inside an item with two of its lines on each side, 2 anywhere. first/last: index of the
 * first line of j's item and one past its last. */
static int breakable(int tier, size_t j, size_t first, size_t last)
{
    if (j == first || tier >= 2)
        return 1;
    return tier == 1 && j - first >= 2 && last - j >= 2;
}

/* Tables of the balancing search, (ncols + 1) x (n + 1) each. */
typedef struct balance {
    size_t n, ncols;
    double h, g;
    const size_t *sb;           /* sb[i]: lines among 0 .. i - 1 that begin an item */
    const size_t *first, *last; /* per line: its item's first line and one past its last */
    double *best;               /* per (column, line): the objective for the columns left */
    size_t *choice;             /* per (column, line): where that column ends */
} balance;

/* Fill best/choice for columns k.. holding lines i.. at tier: with maximin unset, the least
 * possible tallest column; with it set, the tallest possible shortest column among the
 * splits whose columns are at most limit tall. */
static void balance_pass(balance *bl, int tier, int maximin, double limit)
{
    size_t n = bl->n, w = n + 1;
    double none = maximin ? -1.0 : HUGE_VAL;
    for (size_t i = 0; i <= n; i++)
        bl->best[bl->ncols * w + i] = i == n ? (maximin ? HUGE_VAL : 0) : none;
    for (size_t k = bl->ncols; k-- > 0;) {
        for (size_t i = 0; i <= n; i++) {
            double v = none;
            size_t at = n;
            /* the column ends before line j; empty only once the lines have run out */
            for (size_t j = i == n ? n : i + 1; j <= n; j++) {
                double hj = span(bl->sb, i, j, bl->h, bl->g);
                if (hj > limit + EPS)
                    break;
                if (j < n && !breakable(tier, j, bl->first[j], bl->last[j]))
                    continue;
                double rest = bl->best[(k + 1) * w + j], o;
                if (maximin) {
                    o = hj < rest ? hj : rest;
                    if (o >= v) { /* ties: the fuller earlier column */
                        v = o;
                        at = j;
                    }
                } else {
                    o = hj > rest ? hj : rest;
                    if (o <= v && o < HUGE_VAL) { /* ties: the fuller earlier column */
                        v = o;
                        at = j;
                    }
                }
            }
            bl->best[k * w + i] = v;
            bl->choice[k * w + i] = at;
        }
    }
}

double rp_cheatsheet_balance(rp_arena *a, const unsigned char *starts, size_t n, size_t ncols,
                             double h, double g, double cap, size_t *brk)
{
    balance bl = {n, ncols, h, g, NULL, NULL, NULL, NULL, NULL};
    size_t *sb = rp_arena_alloc(a, (n + 2) * sizeof *sb);
    size_t *first = rp_arena_alloc(a, (n + 1) * sizeof *first);
    size_t *last = rp_arena_alloc(a, (n + 1) * sizeof *last);
    for (size_t i = 0; i < n; i++) {
        sb[i + 1] = sb[i] + (starts[i] || i == 0);
        first[i] = starts[i] || i == 0 ? i : first[i - 1];
    }
    sb[n + 1] = sb[n];
    for (size_t i = n; i-- > 0;)
        last[i] = i + 1 < n && !starts[i + 1] ? last[i + 1] : i + 1;
    bl.sb = sb;
    bl.first = first;
    bl.last = last;
    bl.best = rp_arena_alloc(a, (ncols + 1) * (n + 1) * sizeof *bl.best);
    bl.choice = rp_arena_alloc(a, (ncols + 1) * (n + 1) * sizeof *bl.choice);
    double tallest = HUGE_VAL;
    for (int tier = 0; tier <= 2; tier++) {
        balance_pass(&bl, tier, 0, cap);
        tallest = bl.best[0];
        if (tallest == HUGE_VAL)
            continue;
        balance_pass(&bl, tier, 1, tallest);
        if (tallest - bl.best[0] <= h + g + EPS || tier == 2)
            break;
    }
    brk[0] = 0;
    if (tallest == HUGE_VAL) {
        /* taller than cap however it is split: share the lines evenly, it overflows anyway */
        tallest = 0;
        for (size_t k = 1; k <= ncols; k++) {
            brk[k] = (n * k + ncols - 1) / ncols;
            double hk = span(sb, brk[k - 1], brk[k], h, g);
            tallest = hk > tallest ? hk : tallest;
        }
        return tallest;
    }
    for (size_t k = 0; k < ncols; k++)
        brk[k + 1] = bl.choice[k * (n + 1) + brk[k]];
    return tallest;
}

/* The strip on collaboration across the full width, in 2 or 3 balanced columns, as a box
 * (items relative to its top). */
static rp_box *strip(sheet *s)
{
    const rp_article *art = s->c->art;
    const rp_style *st = s->c->style;
    const rp_text_style *t = &s->body;
    double pad = s->em * 0.7, gap = s->em * ITEM_GAP_EM;
    size_t ncols = art->ncollaboration > 4 ? 3 : 2;
    double gut = s->em * GUTTER_EM,
           cw = (s->width - 2 * pad - gut * (double)(ncols - 1)) / (double)ncols;
    rp_box *inner = new_box(s->c);
    double h = subhead(s, inner, L_TOGETHER, st->accent, pad, 0, s->width - 2 * pad) + s->em * 0.3;
    /* every item broken into lines at the column width, then the lines shared out */
    rp_run bullet;
    double indent = bullet_indent(s, t, &bullet, t->color);
    double base = rp_baseline(s->c, t, t->size, t->leading);
    rp_lines *items = rp_arena_alloc(s->c->a, art->ncollaboration * sizeof *items);
    size_t n = 0;
    for (size_t i = 0; i < art->ncollaboration; i++) {
        size_t nr;
        rp_run *runs = body_runs(s, &art->collaboration[i], NULL, &nr);
        items[i] =
            rp_lines_of(s->c, runs, nr, cw - indent, rp_flags(t, 1), art->collaboration[i].line);
        n += items[i].nlines;
    }
    rp_line *lines = rp_arena_alloc(s->c->a, (n + 1) * sizeof *lines);
    size_t *item_of = rp_arena_alloc(s->c->a, (n + 1) * sizeof *item_of);
    unsigned char *starts = rp_arena_alloc(s->c->a, n + 1);
    for (size_t i = 0, k = 0; i < art->ncollaboration; i++)
        for (size_t l = 0; l < items[i].nlines; l++, k++) {
            lines[k] = items[i].lines[l];
            item_of[k] = i;
            starts[k] = l == 0;
        }
    size_t brk[4];
    rp_cheatsheet_balance(s->c->a, starts, n, ncols, t->leading, gap, s->avail, brk);
    double colh = 0;
    for (size_t k = 0; k < ncols; k++) {
        double x = pad + (double)k * (cw + gut), ch = 0;
        for (size_t j = brk[k]; j < brk[k + 1]; j++) {
            s->c->line = art->collaboration[item_of[j]].line;
            if (starts[j] && j > brk[k])
                ch += gap;
            if (starts[j])
                rp_box_run(s->c, inner, &bullet, x, h + ch + base);
            rp_box_line_text(s->c, inner, &lines[j], x + indent, h + ch + base);
            ch += t->leading;
        }
        colh = ch > colh ? ch : colh;
    }
    rp_box *b = new_box(s->c);
    b->height = h + colh + gap + pad * 0.6;
    rp_box_rect(s->c, b, 0, 0, s->width, b->height, st->table_stripe_bg);
    rp_box_rect(s->c, b, 0, 0, s->width, 2, st->accent);
    for (size_t i = 0; i < inner->nitems; i++)
        rp_box_add(s->c, b, &inner->items[i]);
    return b;
}

/* Lay the whole sheet out at body size em into a box; returns the height its content needs
 * (the box is at least avail tall: spare room goes above the strip). */
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
    y += role_grid(s, b, y) + size * 1.2;
    /* the strip sits at the foot of the page when there is room to spare */
    rp_box *foot = strip(s);
    double need = y + foot->height;
    b->height = need < s->avail ? s->avail : need;
    for (size_t i = 0; i < foot->nitems; i++) {
        foot->items[i].y += b->height - foot->height;
        rp_box_add(s->c, b, &foot->items[i]);
    }
    return need;
}

/* ---- the size search ---- */

/* The grid of candidate sizes (index 0 is the top, last the floor) and what trials found. */
typedef struct search {
    sheet *s;
    double top, floor, p;
    size_t last;
    signed char *known; /* per index: 0 not tried, 1 fits, -1 overflows */
    double need_floor;  /* height the content needs at the floor, once tried */
} search;

static double size_at(const search *q, size_t i)
{
    return i >= q->last ? q->floor : q->top - (double)i * q->p;
}

/* Whether the content fits at grid index i, laying it out unless that is known. The trial
 * is thrown away, so it is laid out in an arena of its own, freed at once: a search of many
 * trials takes no more memory than one. */
static int fits_at(search *q, size_t i)
{
    if (!q->known[i]) {
        rp_ctx *c = q->s->c;
        rp_arena *keep = c->a;
        c->a = rp_arena_new();
        double need = trial(q->s, new_box(c), size_at(q, i));
        rp_arena_free(c->a);
        c->a = keep;
        q->known[i] = need <= q->s->avail ? 1 : -1;
        if (i == q->last)
            q->need_floor = need;
    }
    return q->known[i] > 0;
}

/* The smallest index (largest size) that fits, as the banner describes, or last + 1 when
 * none does. */
static size_t search_run(search *q)
{
    if (fits_at(q, 0))
        return 0;
    size_t lo = 0, hi = q->last + 1; /* lo overflows; hi fits, or is past the floor */
    for (;;) {
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (fits_at(q, mid))
                hi = mid;
            else
                lo = mid;
        }
        size_t found = 0;
        for (size_t j = lo, k = 0; k < PROBE_ABOVE && j > 1 && !found; k++)
            if (fits_at(q, --j))
                found = j;
        if (!found)
            return hi;
        /* a larger size fits after all: search above it, below the nearest known overflow */
        hi = found;
        for (lo = found - 1; lo > 0 && q->known[lo] >= 0; lo--)
            ;
    }
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
    search q = {.s = &s, .top = st->text[RP_TS_CHEAT_BODY].size, .floor = st->cheat_min_size};
    q.p = st->cheat_step < FINE_PT ? st->cheat_step : FINE_PT;
    if (q.top > q.floor) {
        q.last = (size_t)((q.top - q.floor) / q.p + EPS);
        q.last += q.top - (double)q.last * q.p > q.floor + EPS; /* the floor off the grid */
    }
    q.known = rp_arena_alloc(c->a, q.last + 1);
    rp_diag_mute_warnings(1); /* trials at sizes that are thrown away must not warn */
    size_t best = search_run(&q);
    rp_diag_mute_warnings(0);
    if (best > q.last) {
        rp_diag(RP_ERROR, c->file, c->art->roles[0].line, 0,
                "cheat sheet does not fit on one page: at the %.1f pt floor its content is "
                "%.1f pt tall, %.1f pt more than the %.1f pt available",
                q.floor, q.need_floor, q.need_floor - avail, avail);
        return NULL;
    }
    /* lay out once more at the chosen size with warnings on, for honest diagnostics */
    rp_box *b = new_box(c);
    trial(&s, b, size_at(&q, best));
    rp_pages *doc = rp_pages_new(c->a, pw, ph);
    rp_flow f;
    rp_flow_start(&f, c, doc, m, m, ph - m);
    rp_flow_place(&f, &b, 0, 1);
    rp_layout_metadata(c, doc, rp_arena_printf(c->a, "%s \xE2\x80\x94 %s", c->art->title, L_SHEET));
    rp_layout_faces(c, doc);
    return doc;
}
