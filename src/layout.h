/* layout: the shared machinery of the two layouts (guide.c and cheatsheet.c).
 *
 * Content is turned into boxes: a box is a short list of items positioned relative to its
 * own top-left corner, with a height and keep rules. The flow places boxes down the pages,
 * breaking pages where the keep rules allow and repeating table headers. Nothing here calls
 * the PDF library; text is measured through fonts.h. */
#ifndef RP_LAYOUT_H
#define RP_LAYOUT_H

#include <stddef.h>

#include "arena.h"
#include "fonts.h"
#include "linebreak.h"
#include "model.h"
#include "pages.h"
#include "style.h"

/* How the lines of a layout came out, for `--typo-report` (lines of trial layouts that
 * are thrown away are not counted). Stretch is the word-space width relative to the
 * font's natural space, on justified lines other than a paragraph's last. */
typedef struct rp_typo {
    size_t lines;     /* all lines set */
    size_t justified; /* justified lines other than a paragraph's last, with spaces */
    double stretch_sum, stretch_max;
    size_t loose;      /* of those, stretched more than 1.5x */
    size_t underfull;  /* stretched beyond RP_SPACE_LOOSE */
    size_t hyphenated; /* ending in a hyphen the breaker added */
    size_t overfull;   /* wider than the measure or broken between letters */
    size_t fallback;   /* paragraphs broken first-fit because total fit found nothing */
} rp_typo;

/* What rp_lines_of() may do. */
enum { RP_JUSTIFY = 1, RP_HYPHENATE = 2 };

/* Everything a layout reads: one per run. */
typedef struct rp_ctx {
    rp_fonts *fonts;
    const rp_style *style;
    const rp_article *art;
    rp_arena *a;      /* the document's: what the pages keep (item texts, kerns, points) */
    rp_arena *tmp;    /* when set, what dies with the layout (boxes, lines, working arrays);
                         see rp_scratch() */
    rp_arena *queue;  /* when set, where rp_box_defer_line() keeps lines: the flow frees them
                         as it places their boxes, so those boxes must be placed once, in the
                         order their lines were deferred */
    const char *file; /* source path for diagnostics */
    long line;        /* source line of the model node being laid out (boxes inherit it) */
    rp_hyph *hyph;    /* hyphenation patterns of the article's language */
    int greedy;       /* break lines first-fit (for comparison) */
    rp_typo typo;
    unsigned char warned[0x10000 / 8]; /* BMP code points already reported missing */
} rp_ctx;

typedef struct rp_text_line rp_text_line; /* private to layout.c */

typedef struct rp_box {
    rp_item *items; /* relative to the box's top-left corner */
    size_t nitems, cap;
    /* a line of text kept in a compact form, whose items are made only when the box is
     * placed, after items[] (rp_box_defer_line): the body's lines are most of a long
     * document's items, and boxes would otherwise hold a second copy of them */
    const rp_text_line *text;
    double height;
    double space_before;         /* dropped at the top of a page */
    int keep_next;               /* must stay on the same page as the next box */
    int break_before;            /* always starts a new page */
    const struct rp_box *repeat; /* table header drawn first when this box starts a page */
    long line;                   /* source line, for diagnostics */
    /* filled in by the flow */
    int page;
    double y;          /* absolute top on that page */
    size_t first_item; /* index of its first item on the page (of items[]; the deferred
                          line's follow them) */
} rp_box;

typedef struct rp_boxes {
    rp_box **v;
    size_t n, cap;
} rp_boxes;

/* The arena for memory that dies with the layout: ctx.tmp when set, else ctx.a. Boxes,
 * their items, lines and working arrays are allocated there. Items made from lines copy
 * their text into ctx.a; whatever else an item points to (a text, points, an address)
 * must be in ctx.a or outlive it, as the pages keep the items. */
rp_arena *rp_scratch(rp_ctx *c);

/* New empty box (in rp_scratch()) appended to list if list is not NULL. */
rp_box *rp_box_new(rp_ctx *c, rp_boxes *list);
/* Append box b to list. */
void rp_boxes_push(rp_ctx *c, rp_boxes *list, rp_box *b);
rp_item *rp_box_add(rp_ctx *c, rp_box *b, const rp_item *it);
/* Append a filled rectangle / a line to a box. */
void rp_box_rect(rp_ctx *c, rp_box *b, double x, double y, double w, double h, rp_color fill);
void rp_box_line(rp_ctx *c, rp_box *b, double x1, double y1, double x2, double y2, double width,
                 rp_color color);

/* Runs of an inline text in a text style (em flips the slant, strong sets bold), in
 * rp_scratch(). */
rp_run *rp_inline_runs(rp_ctx *c, const rp_inline *in, const rp_text_style *ts, size_t *n);
/* One run of plain text in a text style, optionally bold. */
rp_run rp_plain_run(const rp_text_style *ts, const char *text, int bold, rp_color color);
/* Natural width of a run set on one line, with each character measured in the face that
 * draws it (the run's own face, else the style's fallback fonts). */
double rp_run_width(rp_ctx *c, const rp_run *run);

/* Text is measured and drawn by the functions below with every character in the face that
 * has its glyph: runs are split where a character needs one of the style's fallback fonts,
 * so the line breaker measures exactly what the PDF draws. */

/* The flags for text in t: RP_JUSTIFY if it is justified, RP_HYPHENATE if hyphenate. */
int rp_flags(const rp_text_style *t, int hyphenate);
/* Break runs into lines of width (flags: RP_JUSTIFY, RP_HYPHENATE) and report, at source
 * line, lines that had to be set badly: underfull (spaces stretched beyond
 * RP_SPACE_LOOSE) and overfull (a word broken between letters). */
rp_lines rp_lines_of(rp_ctx *c, const rp_run *runs, size_t n, double width, int flags, long line);
/* Baseline offset from the top of a line box of the given leading for lines set in ts. */
double rp_baseline(rp_ctx *c, const rp_text_style *ts, double size, double leading);
/* Put one line's fragments into box b with its baseline at (x, baseline). Every glyph that
 * no font has is reported once per code point (warning, at the box's source line). */
void rp_box_line_text(rp_ctx *c, rp_box *b, const rp_line *ln, double x, double baseline);
/* The same, but the line's items are made when the flow places b, after its other items.
 * b holds one such line, copied (texts and kerns into ctx.a, the rest into ctx.queue if
 * set, else rp_scratch()): ln need not outlive the call. Glyphs are checked now. */
void rp_box_defer_line(rp_ctx *c, rp_box *b, const rp_line *ln, double x, double baseline);
/* A glyph run at (x, y) with advance w, opaque, not yet kerned (see rp_item_kern). */
rp_item rp_text_item(double x, double y, double w, const char *text, int face, double size,
                     double track, rp_color color);
/* Fill in the kerning of text item it (its text, face and size set): the PDF writer draws
 * the text in pieces at these positions, so drawn widths equal rp_fonts_width(). The
 * positions are allocated in ctx.a, at their exact size. */
void rp_item_kern(rp_ctx *c, rp_item *it);
/* Put all lines into box b starting at top y; returns the height used (n * leading). */
double rp_box_lines(rp_ctx *c, rp_box *b, const rp_lines *ls, double x, double y, double leading,
                    double baseline);

/* ---- flow ---- */
typedef struct rp_flow {
    rp_ctx *c;
    rp_pages *doc;            /* the pages the boxes' items are placed on */
    double left, top, bottom; /* content area */
    double left_even;         /* left edge on even pages (mirrored margins), else left */
    size_t page;              /* current page (0-based) */
    double y;
    int fresh;    /* nothing placed on the current page yet */
    size_t spare; /* items a page it leaves keeps room for (added later, e.g. footers) */
    /* when set, called with each page the flow leaves, once nothing more is placed on it */
    void (*left_page)(void *arg, size_t page);
    void *left_arg;
} rp_flow;

/* Start a flow on a new page of doc (left_even = left; set it for mirrored margins; spare
 * = 0: a page the flow leaves gives back the room it kept for more items). */
void rp_flow_start(rp_flow *f, rp_ctx *c, rp_pages *doc, double left, double top, double bottom);
/* Place boxes[from..n) in order, breaking pages where allowed; boxes[0..from) are those
 * placed before (a table row looks back for the header it repeats). A box kept with the
 * next (keep_next) is placed only with it: boxes[n - 1] must not be kept with a box to come
 * (rp_flow_ready gives the boxes that can be placed so far). */
void rp_flow_place(rp_flow *f, rp_box **boxes, size_t from, size_t n);
/* The boxes of boxes[0..n) whose place no later box can change: up to the last one not
 * kept with the next. */
size_t rp_flow_ready(rp_box **boxes, size_t n);

/* Where a layout hands the pages it has finished while it lays out the rest, so that a
 * writer can draw them meanwhile. */
typedef struct rp_page_sink {
    /* Page p of doc is complete: the layout adds nothing more to it but items it adds at
     * the end (a footer). The sink may take its items (rp_pages_take). */
    void (*page)(void *arg, rp_pages *doc, size_t p);
    /* What was handed so far is void: the layout starts again from its first page. */
    void (*reset)(void *arg);
    void *arg;
} rp_page_sink;

/* ---- tables ---- */
typedef struct rp_cell {
    const rp_run *runs;
    size_t nruns;
    const rp_text_style *ts; /* gives the leading */
    int bullet;              /* hanging bullet before the text */
    int fill;                /* paint background */
    rp_color background;
} rp_cell;

/* A table: a header row (ncols cells, may be NULL) and rows of ncols cells each; column
 * widths in points. Boxes (header, then one per row) are appended to out; row boxes repeat
 * the header when they start a page. head_style/body_style give the leading. */
void rp_table(rp_ctx *c, rp_boxes *out, size_t ncols, const double *widths, const rp_cell *head,
              const rp_cell *rows, size_t nrows, long line);

/* Set text to a width and return it as a box (lines, no splitting), e.g. for cells and
 * captions. */
rp_box *rp_text_box(rp_ctx *c, const rp_run *runs, size_t n, double x, double width,
                    const rp_text_style *ts, int flags, long line);

/* Put a single run on one line of box b, unbroken, at (x, baseline). */
void rp_box_run(rp_ctx *c, rp_box *b, const rp_run *run, double x, double baseline);
/* The run's text if it fits width, else its longest prefix that fits followed by an
 * ellipsis (in rp_scratch()). For furniture that repeats text shown in full elsewhere. */
const char *rp_fit_text(rp_ctx *c, const rp_run *run, double width);

/* White or near-black, whichever reads better on the background bg. */
rp_color rp_ink_on(rp_color bg);
/* The colour c, darkened if needed so that text in it reads well on white paper. */
rp_color rp_ink_of(rp_color c);

/* The metadata both documents share: title as given, the article's subtitle as subject,
 * its author, and the program and style as creator. */
void rp_layout_metadata(rp_ctx *c, rp_pages *doc, const char *title);

/* Copy the font table into doc's face list (the PDF writer embeds the ones used). */
void rp_layout_faces(rp_ctx *c, rp_pages *doc);

#endif
