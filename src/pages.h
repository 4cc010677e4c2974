/* pages: the laid-out document, the hand-over between layout and the PDF writer.
 *
 * A plain description of what goes where: pages of positioned items (glyph runs, rules,
 * filled shapes, link areas), the outline tree and document metadata. It knows nothing of
 * XML or libharu. Coordinates are in PostScript points with the origin at the TOP-LEFT
 * corner of the page and y growing downwards; the PDF writer flips them.
 * All memory belongs to the arena given to rp_pages_new(). */
#ifndef RP_PAGES_H
#define RP_PAGES_H

#include <stddef.h>
#include <stdio.h>

#include "arena.h"

typedef struct rp_color {
    float r, g, b; /* each 0..1; float, as the PDF writer passes them to libharu */
} rp_color;

typedef enum {
    RP_ITEM_TEXT,    /* glyph run: x,y = start of the baseline; w = advance width */
    RP_ITEM_RECT,    /* rectangle: x,y = top-left corner; w,h = size */
    RP_ITEM_LINE,    /* straight line from (x,y) to (x+w, y+h) */
    RP_ITEM_ELLIPSE, /* ellipse: centre (x,y), radii w (horizontal) and h (vertical) */
    RP_ITEM_POLY,    /* closed polygon through the npts points (x+pts[2i], y+pts[2i+1]) */
    RP_ITEM_LINK     /* invisible link area x,y,w,h to page target_page (0-based) at
                        target_y, or to the web address uri when uri is set */
} rp_item_kind;

/* Kerning in a glyph run: the text from byte at onwards starts x points from the run's
 * start instead of right after what precedes it. */
typedef struct rp_kern {
    size_t at;
    double x;
} rp_kern;

/* A positioned item. Every kind has the common fields (kind to alpha); the rest are a union:
 * read and write only the fields of the item's own kind (text, shape or link), as writing
 * one kind's field overwrites another's. This keeps an item at 128 bytes instead of 216: a
 * long document has hundreds of thousands of them. The shape fields come first, so an
 * initializer that names no field of the union zeroes all of it. */
typedef struct rp_item {
    rp_item_kind kind;
    unsigned char fill, stroke; /* booleans: paint the interior / the outline (text: fill = 1) */
    double x, y, w, h;          /* as given for each kind above */
    rp_color fill_color;        /* interior; text colour for RP_ITEM_TEXT */
    float alpha;                /* fill opacity 0..1 (1 = opaque) */
    union {
        struct {                   /* RP_ITEM_RECT, _LINE, _ELLIPSE, _POLY */
            rp_color stroke_color; /* outline colour */
            double line_width;     /* outline width in points */
            double dash;           /* dash length in points, 0 = solid */
            /* polygon: npts points as offsets from (x, y), 2 * npts numbers */
            const double *pts;
            size_t npts;
        };
        struct {                  /* RP_ITEM_TEXT */
            const char *text;     /* UTF-8, no control characters */
            int face;             /* index into rp_pages.faces */
            double size;          /* font size in points */
            double track;         /* points added after each glyph (PDF character spacing) */
            const rp_kern *kerns; /* positions of the kerned pieces, in increasing order */
            size_t nkerns;
        };
        struct { /* RP_ITEM_LINK */
            int target_page;
            double target_y;
            const char *uri; /* external link (ASCII), or NULL */
        };
    };
} rp_item;

typedef struct rp_page {
    rp_item *items;
    size_t nitems, cap;
} rp_page;

typedef struct rp_outline {
    const char *title; /* UTF-8 */
    int level;         /* 0 = top level; a level-n entry nests under the last level n-1 entry */
    int page;          /* 0-based page index */
    double y;          /* position on that page (top-left origin) */
} rp_outline;

typedef struct rp_face {
    const char *path;   /* TrueType file to embed */
    const char *family; /* for diagnostics and the dump */
    int bold, italic;
} rp_face;

typedef struct rp_pages {
    rp_arena *arena;
    double width, height; /* page size in points; every page has the same size */
    rp_page *pages;
    size_t npages, pages_cap;
    rp_outline *outlines;
    size_t noutlines, outlines_cap;
    rp_face *faces;
    size_t nfaces;
    /* metadata (UTF-8, may be NULL) */
    const char *title, *subject, *author, *keywords, *creator;
    /* creation and modification date, seconds since 1970 UTC; written only if has_date */
    int has_date;
    long long date;
} rp_pages;

/* New empty document of the given page size. The arena owns everything. */
rp_pages *rp_pages_new(rp_arena *a, double width, double height);
/* Append a page; returns its index. */
size_t rp_pages_add_page(rp_pages *d);
/* Append an item to page p (copied; strings and point arrays must outlive the document,
 * e.g. be arena-owned). Returns the stored item. */
rp_item *rp_pages_add(rp_pages *d, size_t p, const rp_item *item);
/* Give back the room kept on page p for more items, but for spare items (items may still
 * be added afterwards). */
void rp_pages_fit(rp_pages *d, size_t p, size_t spare);
/* Piece k (0 <= k <= it->nkerns) of a kerned glyph run whose text is len bytes long:
 * the bytes [*from, *to) of it->text, drawn dx points right of it->x (returned). The
 * PDF writer draws a kerned run piece by piece: libharu has no TJ operator. */
double rp_item_piece(const rp_item *it, size_t len, size_t k, size_t *from, size_t *to);

/* Page p's items, taken out of the document (which keeps page p, empty) and out of its
 * arena: for a writer that draws them on another thread while the layout goes on, and
 * frees them there with rp_page_free (their texts stay in the arena). */
rp_page rp_pages_take(rp_pages *d, size_t p);
void rp_page_free(rp_page *pg);
/* Free page p's items (their texts stay in the arena): for a writer done with the page. */
void rp_pages_release(rp_pages *d, size_t p);
/* rp_pages_fit() every page with no spare room, once the document is complete. */
void rp_pages_trim(rp_pages *d);
/* Append an outline entry; title is copied. */
void rp_pages_add_outline(rp_pages *d, const char *title, int level, int page, double y);

/* Write a stable, human-readable text form of the document (one line per item, numbers
 * rounded to 0.01 pt) for golden tests and debugging. */
void rp_pages_dump(const rp_pages *d, FILE *out);

/* Write an exact, machine-readable form of the document for replay (build/floor reads it
 * to time libharu alone). Line-oriented, fields separated by one space, numbers printed
 * so that strtod gives back the same double, strings (UTF-8, never containing a newline)
 * last on their line:
 *   replay 1
 *   document WIDTH HEIGHT NPAGES NFACES NOUTLINES
 *   face INDEX BOLD ITALIC PATH
 *   outline LEVEL PAGE Y TITLE                                   (PAGE 0-based)
 *   page
 *   text X Y W FACE SIZE R G B TEXT
 *   shape KIND X Y W H FILL STROKE FR FG FB SR SG SB LW ALPHA DASH NPTS [PX PY]...
 *                                                 (KIND rect, line, ellipse or poly)
 *   link X Y W H PAGE TARGET_Y [URI]
 *   end
 * Several documents may follow one another (build dumps the guide, then the sheet). */
void rp_pages_dump_replay(const rp_pages *d, FILE *out);

#endif
