/* guide: model -> boxes -> pages for the comparison guide. */
#include "guide.h"

#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "figures.h"

/* Words the layout itself prints (furniture), kept in one place. */
#define L_CONTENTS "Contents"
#define L_ASPECT "Aspect"
#define L_TABLE "Table"
#define L_FIGURE "Figure"
#define L_BY "By"
#define L_BASED_ON "based on"
#define L_PAGE_OF "page %zu of %zu"
#define L_DEFINITION "Definition"
#define L_FOCUS "Focus"
#define L_HORIZON "Time horizon"
#define L_ORIGIN "Origin"

#define TOC_DIGITS 3     /* digits kept for page numbers in the contents at first */
#define TOC_MAX_PASSES 4 /* layouts tried until the contents' page numbers fit */
#define FOOTER_ITEMS 4   /* room kept on each page for its footer: a rule and two texts */

/* A heading of the body: for the contents, the bookmarks and the links. The headings are
 * numbered before the body is laid out (the contents come first); box is set as it is. */
typedef struct heading {
    const char *number, *title;
    int level;
    long line;
    rp_box *box;
    /* its contents entry: the box, and where its page number and link go in it (they are
     * added once the page numbers are known, after the pages are drawn) */
    rp_box *toc;
    double toc_base, toc_indent; /* baseline of the number; left edge of the link */
} heading;

typedef struct guide {
    rp_ctx *c;
    double width; /* content width */
    rp_boxes body;
    rp_arena *para; /* the lines of the paragraph being set, emptied once they are boxed */
    heading *heads;
    size_t nheads, heads_cap;
    int numbering;    /* the pass that only numbers the headings */
    size_t next_head; /* the heading the body's next heading box is for */
    rp_flow flow;     /* the body is placed onto pages as it is made */
    size_t placed;    /* boxes of body placed so far */
    const rp_page_sink *sink;
    int counters[8]; /* section numbers per level */
    int tables, figures;
    double toc_numw[8]; /* width of the number column in the contents, per level */
    int toc_digits;     /* digits of room for the contents' page numbers */
    size_t page_limit;  /* 10^toc_digits: a layout reaching that many pages stops */
    int overflow;       /* it did: the guide is laid out again with more room */
    int after_heading;  /* the next block follows a heading directly */
} guide;

static const rp_text_style *ts(const guide *g, rp_text_role r)
{
    return &g->c->style->text[r];
}

/* Space before a body block: none right after a heading (it carries its own). */
static double block_gap(guide *g, double gap)
{
    double s = g->after_heading ? 0 : gap;
    g->after_heading = 0;
    return s;
}

/* ---- paragraphs and lists ---- */

/* The lines of an inline text, broken in g->para (add_lines empties it). */
static rp_lines para_lines(guide *g, const rp_inline *in, const rp_text_style *t, double width,
                           int flags)
{
    rp_arena *tmp = g->c->tmp;
    g->c->tmp = g->para;
    size_t n;
    const rp_run *runs = rp_inline_runs(g->c, in, t, &n);
    rp_lines ls = rp_lines_of(g->c, runs, n, width, flags, in->line);
    g->c->tmp = tmp;
    return ls;
}

/* Lines from para_lines() as separate boxes with widow/orphan control: the first two and
 * the last two lines of a paragraph stay together. The boxes keep copies of the lines, so
 * g->para is emptied. */
static void add_lines(guide *g, const rp_lines *ls, const rp_text_style *t, double x,
                      double space_before, long line, const rp_run *bullet)
{
    double base = rp_baseline(g->c, t, t->size, t->leading);
    for (size_t i = 0; i < ls->nlines; i++) {
        rp_box *b = rp_box_new(g->c, &g->body);
        b->line = line;
        b->height = t->leading;
        b->space_before = i == 0 ? space_before : 0;
        b->keep_next = i + 1 < ls->nlines && (i == 0 || i + 2 >= ls->nlines || bullet);
        if (i == 0 && bullet) /* drawn first so text extraction reads it first */
            rp_box_run(g->c, b, bullet, x - g->c->style->list_indent * 0.75, base);
        rp_box_defer_line(g->c, b, &ls->lines[i], x, base);
    }
    rp_arena_reset(g->para);
}

static void add_para(guide *g, const rp_inline *in)
{
    const rp_text_style *t = ts(g, RP_TS_BODY);
    rp_lines ls = para_lines(g, in, t, g->width, rp_flags(t, 1));
    add_lines(g, &ls, t, 0, block_gap(g, g->c->style->paragraph_space), in->line, NULL);
}

/* A one-line summary under a heading, in the body's italic (emphasis reads upright). */
static void add_lead(guide *g, const rp_inline *in)
{
    rp_text_style t = *ts(g, RP_TS_BODY);
    t.italic = !t.italic;
    rp_lines ls = para_lines(g, in, &t, g->width, RP_HYPHENATE);
    add_lines(g, &ls, &t, 0, block_gap(g, g->c->style->paragraph_space), in->line, NULL);
}

static void add_list(guide *g, const rp_inline *items, size_t n, long line)
{
    const rp_style *st = g->c->style;
    const rp_text_style *t = ts(g, RP_TS_BODY);
    rp_run bullet = rp_plain_run(t, "\xE2\x80\xA2", 0, g->c->style->accent);
    double gap = block_gap(g, st->paragraph_space);
    for (size_t i = 0; i < n; i++) {
        rp_lines ls = para_lines(g, &items[i], t, g->width - st->list_indent, RP_HYPHENATE);
        add_lines(g, &ls, t, st->list_indent, i == 0 ? gap : st->list_item_space,
                  items[i].line ? items[i].line : line, &bullet);
    }
}

/* ---- headings ---- */

/* Number a heading (numbering pass), or make its box (body pass). */
static void add_heading(guide *g, int level, const char *title, long line)
{
    int depth = level < 1 ? 1 : level > 7 ? 7 : level;
    if (g->numbering) {
        g->counters[depth]++;
        for (int k = depth + 1; k < 8; k++)
            g->counters[k] = 0;
        char num[64] = "";
        for (int k = 1; k <= depth; k++) {
            size_t len = strlen(num);
            snprintf(num + len, sizeof num - len, "%s%d", k > 1 ? "." : "", g->counters[k]);
        }
        heading *h =
            rp_arena_grow(g->c->a, (void **)&g->heads, &g->heads_cap, g->nheads, sizeof *h);
        h->number = rp_arena_strdup(g->c->a, num);
        h->title = title;
        h->level = depth;
        h->line = line;
        g->nheads++;
        return;
    }
    heading *h = &g->heads[g->next_head++];
    const rp_text_style *t = ts(g, level <= 1 ? RP_TS_H1 : RP_TS_H2);
    rp_box *b = rp_box_new(g->c, &g->body);
    b->line = line;
    b->space_before = t->space_before;
    b->keep_next = 1;
    rp_run nr = rp_plain_run(t, h->number, 0, g->c->style->accent);
    double indent = rp_run_width(g->c, &nr) + t->size * 0.6;
    double base = rp_baseline(g->c, t, t->size, t->leading);
    rp_box_run(g->c, b, &nr, 0, base);
    rp_run tr = rp_plain_run(t, title, 0, t->color);
    rp_lines ls = rp_lines_of(g->c, &tr, 1, g->width - indent, rp_flags(t, 0), line);
    b->height = rp_box_lines(g->c, b, &ls, indent, 0, t->leading, base) + t->space_after;
    h->box = b;
    g->after_heading = 1;
}

/* ---- tables ---- */

static rp_cell cell_inline(guide *g, const rp_inline *in, rp_text_role role, int bullet)
{
    rp_cell cell = {0};
    cell.ts = ts(g, role);
    cell.runs = rp_inline_runs(g->c, in, cell.ts, &cell.nruns);
    cell.bullet = bullet;
    return cell;
}

static rp_cell cell_plain(guide *g, const char *text, rp_text_role role, rp_color color)
{
    rp_cell cell = {0};
    cell.ts = ts(g, role);
    rp_run *r = rp_arena_alloc(rp_scratch(g->c), sizeof *r);
    *r = rp_plain_run(cell.ts, text, 0, color);
    cell.runs = r;
    cell.nruns = 1;
    return cell;
}

/* Header row: an optional label column, then each role's name on its colour. */
static rp_cell *role_header(guide *g, const char *label)
{
    const rp_article *art = g->c->art;
    size_t ncols = art->nroles + (label ? 1 : 0), k = 0;
    rp_cell *head = rp_arena_alloc(rp_scratch(g->c), ncols * sizeof *head);
    if (label) {
        head[k] = cell_plain(g, label, RP_TS_TABLE_HEAD, ts(g, RP_TS_TABLE_HEAD)->color);
        head[k].fill = 1;
        head[k++].background = g->c->style->table_head_bg;
    }
    for (size_t r = 0; r < art->nroles; r++, k++) {
        rp_color bg = rp_style_role_color(g->c->style, art->roles[r].id, r);
        head[k] = cell_plain(g, art->roles[r].name, RP_TS_TABLE_HEAD, rp_ink_on(bg));
        head[k].fill = 1;
        head[k].background = bg;
    }
    return head;
}

/* Column widths: a label column of a fixed share, the rest split evenly between roles. */
static double *role_widths(guide *g, int label)
{
    size_t nroles = g->c->art->nroles;
    double *w = rp_arena_alloc(rp_scratch(g->c), (nroles + 1) * sizeof *w);
    double lw = label ? g->width * (nroles > 2 ? 0.19 : 0.22) : 0;
    if (label)
        w[0] = lw;
    for (size_t r = 0; r < nroles; r++)
        w[r + (label ? 1 : 0)] = (g->width - lw) / (double)nroles;
    return w;
}

/* Zebra striping and label cells for data rows. */
static void style_row(guide *g, rp_cell *row, size_t ncols, size_t r, int label)
{
    for (size_t k = 0; k < ncols; k++) {
        row[k].fill = r % 2 == 1;
        row[k].background = g->c->style->table_stripe_bg;
    }
    if (label) {
        rp_run *runs = rp_arena_alloc(rp_scratch(g->c), row[0].nruns * sizeof *runs);
        for (size_t i = 0; i < row[0].nruns; i++) {
            runs[i] = row[0].runs[i];
            runs[i].face = row[0].ts->faces[1];
        }
        row[0].runs = runs;
    }
}

static void add_caption(guide *g, const char *label, int number, const rp_inline *cap, int above)
{
    const rp_text_style *t = ts(g, RP_TS_CAPTION);
    size_t n;
    rp_run *runs = rp_inline_runs(g->c, cap, t, &n);
    rp_run *all = rp_arena_alloc(rp_scratch(g->c), (n + 1) * sizeof *all);
    all[0] = rp_plain_run(t, rp_arena_printf(rp_scratch(g->c), "%s %d. ", label, number), 1,
                          g->c->style->accent);
    memcpy(all + 1, runs, n * sizeof *runs);
    rp_box *b = rp_text_box(g->c, all, n + 1, 0, g->width, t, rp_flags(t, 1), cap->line);
    if (above) {
        b->space_before = block_gap(g, g->c->style->block_space);
        b->keep_next = 1;
        b->height += t->size * 0.4;
    } else {
        b->space_before = t->space_before;
    }
    rp_boxes_push(g->c, &g->body, b);
}

/* Append table boxes and give the first one the block gap. */
static void add_table(guide *g, size_t ncols, const double *w, const rp_cell *head,
                      const rp_cell *rows, size_t nrows, long line, double gap)
{
    size_t first = g->body.n;
    rp_table(g->c, &g->body, ncols, w, head, rows, nrows, line);
    if (g->body.n > first)
        g->body.v[first]->space_before = gap;
}

static void add_comparison(guide *g, const rp_block *bl)
{
    size_t nroles = g->c->art->nroles, ncols = nroles + 1;
    add_caption(g, L_TABLE, ++g->tables, &bl->caption, 1);
    rp_cell *rows = rp_arena_alloc(rp_scratch(g->c), bl->naspects * ncols * sizeof *rows);
    for (size_t i = 0; i < bl->naspects; i++) {
        rp_cell *row = rows + i * ncols;
        row[0] = cell_plain(g, bl->aspects[i].name, RP_TS_TABLE, ts(g, RP_TS_TABLE)->color);
        for (size_t r = 0; r < nroles; r++)
            row[r + 1] = cell_inline(g, &bl->aspects[i].values[r], RP_TS_TABLE, 0);
        style_row(g, row, ncols, i, 1);
    }
    add_table(g, ncols, role_widths(g, 1), role_header(g, L_ASPECT), rows, bl->naspects, bl->line,
              0);
    g->after_heading = 0;
}

static void add_overview(guide *g, const rp_block *bl)
{
    const rp_article *art = g->c->art;
    size_t nroles = art->nroles, ncols = nroles + 1;
    static const char *const labels[] = {L_DEFINITION, L_FOCUS, L_HORIZON, L_ORIGIN};
    rp_cell *rows = rp_arena_alloc(rp_scratch(g->c), 4 * ncols * sizeof *rows);
    for (size_t i = 0; i < 4; i++) {
        rp_cell *row = rows + i * ncols;
        row[0] = cell_plain(g, labels[i], RP_TS_TABLE, ts(g, RP_TS_TABLE)->color);
        for (size_t r = 0; r < nroles; r++) {
            const rp_role *ro = &art->roles[r];
            const rp_inline *v = i == 0   ? &ro->definition
                                 : i == 1 ? &ro->focus
                                 : i == 2 ? &ro->horizon
                                          : &ro->origin;
            row[r + 1] = cell_inline(g, v, RP_TS_TABLE, 0);
        }
        style_row(g, row, ncols, i, 1);
    }
    add_table(g, ncols, role_widths(g, 1), role_header(g, ""), rows, 4, bl->line,
              block_gap(g, g->c->style->block_space));
}

static void add_role_lists(guide *g, const rp_block *bl)
{
    const rp_article *art = g->c->art;
    size_t nroles = art->nroles, nrows = 0;
    for (size_t r = 0; r < nroles; r++) {
        size_t n =
            bl->which == RP_LISTS_SKILLS ? art->roles[r].nskills : art->roles[r].nresponsibilities;
        nrows = n > nrows ? n : nrows;
    }
    rp_cell *rows = rp_arena_alloc(rp_scratch(g->c), nrows * nroles * sizeof *rows);
    for (size_t i = 0; i < nrows; i++) {
        for (size_t r = 0; r < nroles; r++) {
            const rp_role *ro = &art->roles[r];
            const rp_inline *v = bl->which == RP_LISTS_SKILLS ? ro->skills : ro->responsibilities;
            size_t n = bl->which == RP_LISTS_SKILLS ? ro->nskills : ro->nresponsibilities;
            if (i < n)
                rows[i * nroles + r] = cell_inline(g, &v[i], RP_TS_TABLE, 1);
            else
                rows[i * nroles + r].ts = ts(g, RP_TS_TABLE);
        }
    }
    add_table(g, nroles, role_widths(g, 0), role_header(g, NULL), rows, nrows, bl->line,
              block_gap(g, g->c->style->block_space));
}

/* ---- figures ---- */

static void add_figure(guide *g, const rp_block *bl)
{
    rp_box *fig = bl->figure == RP_FIGURE_VENN ? rp_figure_venn(g->c, g->width)
                                               : rp_figure_horizon(g->c, g->width);
    fig->space_before = block_gap(g, g->c->style->block_space);
    fig->keep_next = 1;
    fig->line = bl->line;
    rp_boxes_push(g->c, &g->body, fig);
    add_caption(g, L_FIGURE, ++g->figures, &bl->caption, 0);
}

/* ---- sections ---- */

static void add_blocks(guide *g, const rp_block *blocks, size_t n, int level);

static void add_paths(guide *g, const rp_role *ro, int level)
{
    for (size_t i = 0; i < ro->npaths; i++) {
        g->c->line = ro->paths[i].line;
        add_heading(g, level + 1, ro->paths[i].title, ro->paths[i].line);
        if (!g->numbering)
            add_lead(g, &ro->paths[i].summary);
        add_blocks(g, ro->paths[i].blocks, ro->paths[i].nblocks, level + 1);
    }
}

/* Text that follows a role's paths belongs to the enclosing section, not to the last path:
 * a short centred rule marks the return, as a section break does in a book. */
static void add_section_break(guide *g)
{
    const rp_style *st = g->c->style;
    rp_box *b = rp_box_new(g->c, &g->body);
    double w = 48, gap = st->paragraph_space + ts(g, RP_TS_BODY)->size * 0.4;
    rp_box_line(g->c, b, (g->width - w) / 2, gap, (g->width + w) / 2, gap, 0.8, st->rule);
    b->space_before = st->paragraph_space;
    b->height = gap;
    b->keep_next = 1;
    g->after_heading = 0;
}

/* Place the body's boxes made so far whose place cannot change any more (all of them once
 * the body is complete): the pages left behind are complete but for their footers. */
static void place_ready(guide *g, int complete)
{
    size_t n = complete ? g->body.n : rp_flow_ready(g->body.v, g->body.n);
    if (n > g->placed) {
        rp_flow_place(&g->flow, g->body.v, g->placed, n);
        g->placed = n;
    }
}

static void add_blocks(guide *g, const rp_block *blocks, size_t n, int level)
{
    const rp_article *art = g->c->art;
    for (size_t i = 0; i < n && !g->overflow; i++) {
        const rp_block *bl = &blocks[i];
        g->c->line = bl->line;
        if (g->numbering) { /* only the headings of the roles' paths */
            if (bl->kind == RP_BLOCK_ROLE_PATHS)
                add_paths(g, &art->roles[bl->role], level);
            continue;
        }
        if (i > 0 && blocks[i - 1].kind == RP_BLOCK_ROLE_PATHS && bl->kind != RP_BLOCK_ROLE_PATHS)
            add_section_break(g);
        switch (bl->kind) {
        case RP_BLOCK_PARA:
            add_para(g, &bl->text);
            break;
        case RP_BLOCK_LIST:
        case RP_BLOCK_ORGS:
            add_list(g, bl->items, bl->nitems, bl->line);
            break;
        case RP_BLOCK_COMPARISON:
            add_comparison(g, bl);
            break;
        case RP_BLOCK_ROLE_OVERVIEW:
            add_overview(g, bl);
            break;
        case RP_BLOCK_ROLE_LISTS:
            add_role_lists(g, bl);
            break;
        case RP_BLOCK_ROLE_PATHS:
            add_paths(g, &art->roles[bl->role], level);
            break;
        case RP_BLOCK_FIGURE:
            add_figure(g, bl);
            break;
        case RP_BLOCK_COLLABORATION:
            add_list(g, art->collaboration, art->ncollaboration, bl->line);
            break;
        }
        place_ready(g, 0);
    }
}

static void add_section(guide *g, const rp_section *s)
{
    if (g->overflow)
        return;
    g->c->line = s->line;
    add_heading(g, s->level, s->title, s->line);
    add_blocks(g, s->blocks, s->nblocks, s->level);
    for (size_t i = 0; i < s->nchildren; i++)
        add_section(g, &s->children[i]);
}

/* ---- front matter ---- */

static rp_box *front_text(guide *g, rp_boxes *out, rp_text_role role, const char *text, double gap)
{
    const rp_text_style *t = ts(g, role);
    rp_run r = rp_plain_run(t, text, 0, t->color);
    rp_box *b = rp_text_box(g->c, &r, 1, 0, g->width, t, rp_flags(t, 0), 0);
    b->space_before = gap;
    rp_boxes_push(g->c, out, b);
    return b;
}

static void add_title_block(guide *g, rp_boxes *out)
{
    const rp_article *art = g->c->art;
    const rp_style *st = g->c->style;
    front_text(g, out, RP_TS_TITLE, art->title, 0)->height += ts(g, RP_TS_TITLE)->space_after;
    if (art->subtitle)
        front_text(g, out, RP_TS_SUBTITLE, art->subtitle, ts(g, RP_TS_SUBTITLE)->space_before)
            ->height += ts(g, RP_TS_SUBTITLE)->space_after;
    const char *meta =
        art->based_on
            ? rp_arena_printf(rp_scratch(g->c), "%s %s, %s \xE2\x80\x9C%s\xE2\x80\x9D (%s)", L_BY,
                              art->author, L_BASED_ON, art->based_on, art->based_on_publisher)
            : rp_arena_printf(rp_scratch(g->c), "%s %s", L_BY, art->author);
    rp_box *m = front_text(g, out, RP_TS_META, meta, ts(g, RP_TS_META)->space_before);
    if (art->based_on_href) { /* the attribution line links to the original article */
        rp_item link = {.kind = RP_ITEM_LINK, .x = 0, .y = 0, .w = g->width, .h = m->height};
        link.uri = art->based_on_href;
        link.alpha = 1;
        rp_box_add(g->c, m, &link);
    }
    /* a rule in each role's colour under the title block */
    double seg = g->width / (double)art->nroles, y = m->height + 8;
    for (size_t r = 0; r < art->nroles; r++)
        rp_box_rect(g->c, m, seg * (double)r, y, seg, 3,
                    rp_style_role_color(st, art->roles[r].id, r));
    m->height = y + 3 + ts(g, RP_TS_META)->space_after;
}

/* The contents' number column per level: as wide as the widest number of that level plus
 * a gap, and never narrower than the column of the level above. */
static void toc_number_widths(guide *g)
{
    const rp_text_style *t = ts(g, RP_TS_TOC);
    for (size_t i = 0; i < g->nheads; i++) {
        const heading *h = &g->heads[i];
        rp_run num = rp_plain_run(t, h->number, h->level == 1, t->color);
        double w = rp_run_width(g->c, &num) + t->size * 0.8;
        g->toc_numw[h->level] = w > g->toc_numw[h->level] ? w : g->toc_numw[h->level];
    }
    for (int k = 2; k < 8; k++)
        if (g->toc_numw[k] < g->toc_numw[k - 1])
            g->toc_numw[k] = g->toc_numw[k - 1];
}

/* One contents entry; the page number (item 1) and the link target are filled in later. */
static rp_box *toc_entry(guide *g, rp_boxes *out, heading *h)
{
    const rp_text_style *t = ts(g, RP_TS_TOC);
    g->c->line = h->line;
    rp_box *b = rp_box_new(g->c, out);
    double indent = (h->level - 1) * t->size * 2.0;
    double base = rp_baseline(g->c, t, t->size, t->leading);
    int bold = h->level == 1;
    rp_run num = rp_plain_run(t, h->number, bold, g->c->style->accent);
    rp_run ttl = rp_plain_run(t, h->title, bold, t->color);
    double numw = g->toc_numw[h->level];
    const char *digits = rp_arena_printf(g->c->a, "%0*d", g->toc_digits, 0);
    rp_run pg = rp_plain_run(t, digits, bold, t->color);
    double pgw = rp_run_width(g->c, &pg);
    double tw = g->width - indent - numw - pgw - t->size * 2;
    rp_lines tl = rp_lines_of(g->c, &ttl, 1, tw, rp_flags(t, 0), h->line);
    rp_box_run(g->c, b, &num, indent, base);
    double h_text = rp_box_lines(g->c, b, &tl, indent + numw, 0, t->leading, base);
    /* dotted leader from the end of the title's last line to the number */
    const rp_line *last = &tl.lines[tl.nlines - 1];
    double lx = indent + numw + last->width + t->size * 0.5, rx = g->width - pgw - t->size * 0.5;
    double ly = (double)(tl.nlines - 1) * t->leading + base;
    if (rx > lx) {
        rp_item dots = {.kind = RP_ITEM_LINE, .x = lx, .y = ly, .w = rx - lx, .h = 0};
        dots.stroke = 1;
        dots.stroke_color = g->c->style->rule;
        dots.line_width = 0.8;
        dots.dash = 0.8;
        dots.alpha = 1;
        rp_box_add(g->c, b, &dots);
    }
    b->height = h_text;
    b->space_before = bold ? t->space_before : 0;
    b->line = h->line;
    h->toc = b;
    h->toc_base = ly;
    h->toc_indent = indent;
    return b;
}

/* ---- after pagination ---- */

/* The contents' page numbers, right-aligned, and their links, added to the pages of their
 * entries once every heading's page is known (those pages are drawn already). */
static void add_toc_numbers(guide *g, rp_pages *doc)
{
    const rp_text_style *t = ts(g, RP_TS_TOC);
    for (size_t i = 0; i < g->nheads; i++) {
        const heading *h = &g->heads[i];
        const rp_box *b = h->toc;
        double left = rp_style_page_left(g->c->style, (size_t)b->page);
        const char *text = rp_arena_printf(g->c->a, "%d", h->box->page + 1);
        rp_run pg = rp_plain_run(t, text, h->level == 1, t->color);
        double w = rp_run_width(g->c, &pg);
        rp_item num = rp_text_item(left + g->width - w, b->y + h->toc_base, w, text, pg.face,
                                   pg.size, 0, t->color);
        rp_item_kern(g->c, &num);
        rp_pages_add(doc, (size_t)b->page, &num);
        rp_item link = {.kind = RP_ITEM_LINK,
                        .x = left + h->toc_indent,
                        .y = b->y,
                        .w = g->width - h->toc_indent,
                        .h = b->height};
        link.alpha = 1;
        link.target_page = h->box->page;
        link.target_y = h->box->y - t->size; /* a little above the heading */
        rp_pages_add(doc, (size_t)b->page, &link);
    }
}

static void add_footers(guide *g, rp_pages *doc)
{
    const rp_style *st = g->c->style;
    const rp_text_style *t = ts(g, RP_TS_FOOTER);
    double y = doc->height - st->margin_bottom + t->leading * 0.8;
    double base = y + t->leading * 0.4 + rp_baseline(g->c, t, t->size, t->leading);
    for (size_t p = 0; p < doc->npages; p++) {
        rp_box b = {0};
        rp_box_line(g->c, &b, 0, y, g->width, y, 0.5, st->rule);
        rp_run l = rp_plain_run(t, g->c->art->title, 0, t->color);
        rp_run r = rp_plain_run(t, rp_arena_printf(rp_scratch(g->c), L_PAGE_OF, p + 1, doc->npages),
                                0, t->color);
        double rw = rp_run_width(g->c, &r);
        l.text = rp_fit_text(g->c, &l, g->width - rw - t->size * 2);
        rp_box_run(g->c, &b, &l, 0, base);
        rp_box_run(g->c, &b, &r, g->width - rw, base);
        for (size_t i = 0; i < b.nitems; i++) {
            b.items[i].x += rp_style_page_left(st, p);
            rp_pages_add(doc, p, &b.items[i]);
        }
    }
}

static void add_outlines(guide *g, rp_pages *doc, rp_box *toc_head)
{
    rp_pages_add_outline(doc, L_CONTENTS, 0, toc_head->page, toc_head->y);
    for (size_t i = 0; i < g->nheads; i++) {
        const heading *h = &g->heads[i];
        const char *title = rp_arena_printf(rp_scratch(g->c), "%s %s", h->number, h->title);
        rp_pages_add_outline(doc, title, h->level - 1, h->box->page, h->box->y);
    }
}

static void set_metadata(guide *g, rp_pages *doc)
{
    const rp_article *art = g->c->art;
    rp_layout_metadata(g->c, doc, art->title);
    if (art->nkeywords) {
        const char *kw = art->keywords[0];
        for (size_t i = 1; i < art->nkeywords; i++)
            kw = rp_arena_printf(g->c->a, "%s, %s", kw, art->keywords[i]);
        doc->keywords = kw;
    }
}

/* A page the flow left: handed to the sink (its footer, and on the contents' pages the
 * page numbers, come at the end). */
static void left_page(void *arg, size_t p)
{
    guide *g = arg;
    if (p + 2 >= g->page_limit) /* page p + 1 starts: page_limit pages or more */
        g->overflow = 1;
    if (g->sink && !g->overflow)
        g->sink->page(g->sink->arg, g->flow.doc, p);
}

/* One layout of the whole guide with room for toc_digits digits in the contents' page
 * numbers: headings numbered, front matter made and placed, then the body made and placed
 * block by block, each page handed to the sink as the flow leaves it. Returns the pages;
 * *toc_head is the contents' heading box. */
static rp_pages *lay_out(guide *g, rp_box **toc_head)
{
    rp_boxes fm = {0}, *front = &fm; /* the front matter: title block, contents */
    rp_ctx *c = g->c;
    const rp_style *st = c->style;
    g->numbering = 1;
    for (size_t i = 0; i < c->art->nsections; i++)
        add_section(g, &c->art->sections[i]);
    g->numbering = 0;
    memset(g->counters, 0, sizeof g->counters);
    c->line = c->art->meta_line;
    add_title_block(g, front);
    *toc_head = front_text(g, front, RP_TS_H1, L_CONTENTS, ts(g, RP_TS_H1)->space_before);
    (*toc_head)->height += ts(g, RP_TS_H1)->space_after;
    (*toc_head)->keep_next = 1;
    toc_number_widths(g);
    for (size_t i = 0; i < g->nheads; i++)
        toc_entry(g, front, &g->heads[i]);
    rp_pages *doc = rp_pages_new(c->a, st->page_w, st->page_h);
    rp_flow *f = &g->flow;
    rp_flow_start(f, c, doc, st->margin_left, st->margin_top, st->page_h - st->margin_bottom);
    f->left_even = rp_style_page_left(st, 1);
    f->spare = FOOTER_ITEMS;
    f->left_page = left_page;
    f->left_arg = g;
    rp_flow_place(f, front->v, 0, front->n);
    for (size_t i = 0; i < c->art->nsections; i++)
        add_section(g, &c->art->sections[i]);
    if (!g->overflow)
        place_ready(g, 1);
    return doc;
}

static size_t power_of_ten(int k)
{
    size_t p = 1;
    while (k-- > 0)
        p *= 10;
    return p;
}

rp_pages *rp_guide_layout(rp_ctx *c, const rp_page_sink *sink)
{
    const rp_style *st = c->style;
    int errors = rp_diag_errors();
    int toc_digits = TOC_DIGITS, passes = 0, settled = 0;
    rp_pages *doc = NULL;
    rp_box *toc_head = NULL;
    guide g;
    /* The contents keep room for page numbers of TOC_DIGITS digits; once the layout
     * reaches 10^TOC_DIGITS pages it stops, and the guide is laid out again with room for
     * one more digit (so a guide of thousands of pages is laid out at most once more up to
     * its thousandth page). A layout done again reports only the warnings the one before
     * did not reach. */
    while (!settled && passes < TOC_MAX_PASSES) {
        if (passes++ > 0) {
            rp_diag_skip_repeats(1);
            c->typo = (rp_typo){0};
            if (sink && sink->reset)
                sink->reset(sink->arg);
        }
        /* boxes, lines and working arrays die with the layout: only the pages stay in
         * c->a; the body's lines are queued, and freed as the pages are made */
        c->tmp = rp_arena_new();
        c->queue = rp_arena_new();
        memset(&g, 0, sizeof g);
        g.c = c;
        g.para = rp_arena_new();
        g.width = st->page_w - st->margin_left - st->margin_right;
        g.toc_digits = toc_digits;
        /* the last layout tried goes to the end, however long */
        g.page_limit = passes == TOC_MAX_PASSES ? (size_t)-1 : power_of_ten(toc_digits);
        g.sink = sink;
        doc = lay_out(&g, &toc_head);
        int need = 1;
        for (size_t pages = doc->npages; pages >= 10; pages /= 10)
            need++;
        settled = need <= toc_digits || rp_diag_errors() > errors;
        toc_digits = need > toc_digits ? need : toc_digits;
        if (!settled) {
            rp_arena_free(g.para);
            rp_arena_free(c->queue);
            rp_arena_free(c->tmp);
        }
    }
    rp_diag_skip_repeats(0);
    if (!settled)
        rp_diag(RP_WARNING, c->file, c->art->meta_line, 0,
                "the contents' page numbers did not settle after %d layouts", TOC_MAX_PASSES);
    if (rp_diag_errors() == errors) { /* else it may have stopped short: headings unplaced */
        add_toc_numbers(&g, doc);
        add_footers(&g, doc);
        rp_pages_trim(doc);
        add_outlines(&g, doc, toc_head);
        set_metadata(&g, doc);
        rp_layout_faces(c, doc);
    }
    rp_arena_free(g.para);
    rp_arena_free(c->queue);
    rp_arena_free(c->tmp);
    c->tmp = c->queue = NULL;
    return rp_diag_errors() > errors ? NULL : doc;
}
