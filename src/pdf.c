/* pdf: the PDF writer. With pdffont.c (its fonts) the only file of rolepress that includes
 * hpdf.h.
 *
 * rp_pages (top-left origin, y down) -> libharu document (bottom-left origin, y up) ->
 * bytes in memory -> temporary file beside the output -> rename. Every libharu call is
 * checked; libharu errors are sticky, so the first one ends the run and nothing is saved.
 * Pages may be drawn one at a time as a layout finishes them (rp_pdf_page, from
 * pipeline.c's thread), with more drawn onto them at the end (rp_pdf_finish: footers, the
 * contents' page numbers) as a further content stream. Text selects fonts by face name and
 * is encoded to the document's own two-byte character codes as it is drawn (pdffont.c);
 * the fonts themselves are made last, each a subset of the characters drawn in it
 * (subset.c) handed to libharu from memory, and named in the resources of the pages that
 * select them. Links are made last too, once every page they may point at exists. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "pdf.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hpdf.h>
/* libharu internals, used by make_dest(), the save buffers and the pages' content streams
 * (fonts: pdffont.c). */
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "arena.h"
#include "diag.h"
#include "pdffont.h"
#include "pdfstream.h"
#include "subset.h"
#include "utf8.h"

#define SAVE_CHUNK 262144 /* bytes per buffer of the saved document */
#define PRODUCER "rolepress (libharu " HPDF_VERSION_TEXT ")"

typedef struct alpha_state {
    double alpha;
    HPDF_ExtGState gs;
} alpha_state;

/* A page of the PDF: libharu's page and the faces its content selects. */
typedef struct wpage {
    HPDF_Page page; /* NULL until made */
    int *faces;     /* faces selected on the page, in the order of first use */
    size_t nfaces, faces_cap;
} wpage;

/* A link area, made once every page exists (it may point at a page not yet made). */
typedef struct wlink {
    size_t page;
    rp_item it;
} wlink;

typedef struct writer {
    const rp_pages *doc; /* while finishing: the whole document */
    double width, height;
    const rp_pdf_options *opt;
    HPDF_Doc pdf;
    wpage *pages; /* by page index of the document; npages made or skipped so far */
    size_t npages, pages_cap;
    HPDF_Font *fonts;     /* one per face of doc, made once all pages are drawn */
    unsigned char *whole; /* per face: a whole font file, subset by libharu as it saves */
    rp_codes *codes;      /* the document's character codes, given as text is drawn */
    rp_cpset *cps;        /* per face: the code points drawn with it */
    size_t ncps;
    wlink *links;
    size_t nlinks, links_cap;
    rp_deflater *z;     /* compresses pages and fonts (pdfstream.h); NULL: uncompressed */
    alpha_state *alpha; /* ExtGStates made so far, one per fill opacity */
    size_t nalpha;
    HPDF_STATUS error_no, detail_no; /* first error libharu reported */
    /* text state of the page being drawn, to emit BT/ET, Tf and rg only when needed */
    int in_text;
    int face;
    double size;
    int have_fill;
    rp_color fill;
    double track; /* character spacing set in the text object */
    char *piece;  /* one kerned piece of a glyph run, NUL-terminated */
    size_t piece_cap;
} writer;

/* libharu error handler: remember the first error; the failing call returns it too. */
static void HPDF_STDCALL on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *data)
{
    writer *w = data;
    if (w->error_no == HPDF_OK) {
        w->error_no = error_no;
        w->detail_no = detail_no;
    }
}

/* Nonzero if a call returned st or libharu reported an error since the start. */
static int failed(const writer *w, HPDF_STATUS st)
{
    return st != HPDF_OK || w->error_no != HPDF_OK;
}

/* Status for a call that returns a handle (NULL on failure). */
static HPDF_STATUS handle_status(const writer *w, const void *handle)
{
    if (handle)
        return HPDF_OK;
    return w->error_no != HPDF_OK ? w->error_no : HPDF_INVALID_OBJECT;
}

/* Report a libharu failure (status st) that happened while doing fmt...; returns 3. */
static int lib_fail(const writer *w, HPDF_STATUS st, const char *fmt, ...) RP_PRINTF(3, 4);
static int lib_fail(const writer *w, HPDF_STATUS st, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    HPDF_STATUS no = w->error_no != HPDF_OK ? w->error_no : st;
    HPDF_STATUS detail = w->error_no != HPDF_OK ? w->detail_no : 0;
    rp_diag(RP_ERROR, NULL, 0, 0, "PDF library error 0x%04X (detail %u) while %s", (unsigned)no,
            (unsigned)detail, what);
    return 3;
}

/* ---- consistency of the input ---------------------------------------------------------- */

/* Check the outline's page indexes before libharu sees any of them; returns 0 or 3. (The
 * pages' links are checked as they are made, add_links, and their faces before the fonts
 * are, load_fonts: every page may have been drawn before the document was complete.) */
static int check_outlines(const rp_pages *doc)
{
    for (size_t i = 0; i < doc->noutlines; i++) {
        int page = doc->outlines[i].page;
        if (page < 0 || (size_t)page >= doc->npages) {
            rp_diag(RP_ERROR, NULL, 0, 0,
                    "internal error: outline entry %zu targets page %d of %zu", i + 1, page + 1,
                    doc->npages);
            return 3;
        }
    }
    return 0;
}

/* ---- fonts ----------------------------------------------------------------------------- */

/* Load and embed face i: a subset holding the code points cps draws in it (the union over
 * every face of the same file), its cmap keyed by the document's codes, or, if HarfBuzz or
 * libharu cannot make or read one, the whole file, whose glyphs are then marked used.
 * ROLEPRESS_FULL_FONTS=1 in the environment embeds whole files (to compare, or should a
 * reader ever mishandle a subset). Faces sharing a file share one font, loaded once.
 * Returns 0 or 3. */
static int load_face(writer *w, size_t i, rp_cpset *cps)
{
    const rp_pages *doc = w->doc;
    const char *path = doc->faces[i].path;
    for (size_t j = 0; j < doc->nfaces; j++)
        if (w->fonts[j] && path && doc->faces[j].path && strcmp(doc->faces[j].path, path) == 0) {
            w->fonts[i] = w->fonts[j];
            w->whole[i] = w->whole[j];
            return 0;
        }
    for (size_t j = 0; j < doc->nfaces; j++)
        if (j != i && path && doc->faces[j].path && strcmp(doc->faces[j].path, path) == 0)
            rp_cpset_union(&cps[i], &cps[j]);
    const char *full = getenv("ROLEPRESS_FULL_FONTS");
    rp_subset *sub = !path || (full && strcmp(full, "1") == 0)
                         ? NULL
                         : rp_subset_new(path, &cps[i], rp_codes_key, w->codes);
    int whole = 0;
    HPDF_STATUS st = HPDF_INVALID_OBJECT;
    HPDF_Font font = rp_pdffont_embed(w->pdf, path, sub, w->codes, &cps[i], w->z, &whole, &st);
    rp_subset_free(sub);
    if (!font)
        return lib_fail(w, w->error_no != HPDF_OK ? w->error_no : st, "loading font %s",
                        path ? path : "(none)");
    w->fonts[i] = font;
    w->whole[i] = (unsigned char)whole;
    if (whole) { /* every code point it draws, as codes, measured once */
        char *codes = malloc(2 * 0x10000 + 1), *q = codes;
        if (!codes) {
            rp_diag(RP_ERROR, NULL, 0, 0, "out of memory");
            return 3;
        }
        for (long cp = rp_cpset_last(&cps[i]); cp >= 0; cp--)
            if (rp_cpset_has(&cps[i], (uint32_t)cp)) {
                char u[4];
                size_t n = rp_utf8_put((uint32_t)cp, u);
                q += rp_codes_encode(w->codes, u, n, q);
            }
        rp_pdffont_mark(font, codes, (size_t)(q - codes));
        free(codes);
    }
    return 0;
}

/* Load the faces the text drawn uses, and only those (every loaded font is embedded), in
 * face order, then name them in the resources of the pages that select them. Returns 0 or 3. */
static int load_fonts(writer *w)
{
    const rp_pages *doc = w->doc;
    size_t nf = doc->nfaces ? doc->nfaces : 1;
    w->fonts = calloc(nf, sizeof *w->fonts); // NOLINT(bugprone-sizeof-expression): handles
    w->whole = calloc(nf, 1);
    rp_cpset *cps = calloc(nf, sizeof *cps);
    if (!w->fonts || !w->whole || !cps) {
        free(cps);
        rp_diag(RP_ERROR, NULL, 0, 0, "out of memory");
        return 3;
    }
    int rc = 0;
    if (w->ncps > doc->nfaces) { /* face ncps - 1 drew some text */
        free(cps);
        rp_diag(RP_ERROR, NULL, 0, 0, "internal error: text drawn with face %zu of %zu",
                w->ncps - 1, doc->nfaces);
        return 3;
    }
    for (size_t f = 0; f < w->ncps; f++)
        cps[f] = w->cps[f];
    for (size_t f = 0; f < w->ncps && !rc; f++)
        if (rp_cpset_last(&w->cps[f]) >= 0 && !w->fonts[f])
            rc = load_face(w, f, cps);
    free(cps);
    for (size_t p = 0; p < w->npages && !rc; p++)
        for (size_t k = 0; k < w->pages[p].nfaces && !rc; k++) {
            int f = w->pages[p].faces[k];
            HPDF_STATUS st = rp_pdffont_use(w->pages[p].page, f, w->fonts[f]);
            if (failed(w, st))
                rc = lib_fail(w, st, "naming the fonts of page %zu", p + 1);
        }
    return rc;
}

/* ---- pages and drawing ----------------------------------------------------------------- */

/* Room for page p in w->pages (entries zeroed). Returns 0 or 3. */
static int page_slot(writer *w, size_t p)
{
    if (p >= w->pages_cap) {
        size_t cap = w->pages_cap ? w->pages_cap * 2 : 64;
        while (cap <= p)
            cap *= 2;
        wpage *grown = realloc(w->pages, cap * sizeof *grown);
        if (!grown) {
            rp_diag(RP_ERROR, NULL, 0, 0, "out of memory");
            return 3;
        }
        memset(grown + w->pages_cap, 0, (cap - w->pages_cap) * sizeof *grown);
        w->pages = grown;
        w->pages_cap = cap;
    }
    if (p >= w->npages)
        w->npages = p + 1;
    return 0;
}

/* Make page p: appended, or, if a later page is made already, inserted before the first
 * such page. Returns 0 or 3. */
static int make_page(writer *w, size_t p)
{
    if (page_slot(w, p))
        return 3;
    HPDF_Page next = NULL;
    for (size_t q = p + 1; q < w->npages && !next; q++)
        next = w->pages[q].page;
    HPDF_Page page = next ? HPDF_InsertPage(w->pdf, next) : HPDF_AddPage(w->pdf);
    HPDF_STATUS st = handle_status(w, page);
    if (st == HPDF_OK)
        st = HPDF_Page_SetWidth(page, (HPDF_REAL)w->width);
    if (st == HPDF_OK)
        st = HPDF_Page_SetHeight(page, (HPDF_REAL)w->height);
    if (failed(w, st))
        return lib_fail(w, st, "adding page %zu", p + 1);
    w->pages[p].page = page;
    return 0;
}

/* PDF y (bottom-up) of a layout y (top-down). */
static HPDF_REAL flip(const writer *w, double y)
{
    return (HPDF_REAL)(w->height - y);
}

/* Destination that puts layout position y of page p at the top of the window and keeps
 * the reader's zoom. NULL on failure. */
static HPDF_Destination make_dest(const writer *w, int p, double y)
{
    double top = w->height - y;
    if (top < 0)
        top = 0;
    if (top > w->height)
        top = w->height;
    HPDF_Destination dst = HPDF_Page_CreateDestination(w->pages[p].page);
    if (!dst || HPDF_Destination_SetXYZ(dst, 0, (HPDF_REAL)top, 1) != HPDF_OK)
        return NULL;
    /* The PDF spec gives zoom 0 the meaning "keep the current zoom", but SetXYZ only
     * accepts 0.08..32 (0 raises an error). Set 1 through the API, then 0 in the array. */
    HPDF_Real zoom = HPDF_Array_GetItem(dst, 4, HPDF_OCLASS_REAL);
    if (!zoom)
        return NULL;
    zoom->value = 0;
    return dst;
}

/* Close the open text object, if any. */
static HPDF_STATUS end_text(writer *w, HPDF_Page page)
{
    if (!w->in_text)
        return HPDF_OK;
    w->in_text = 0;
    return HPDF_Page_EndText(page);
}

static int same_color(rp_color a, rp_color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* Draw a glyph run; consecutive runs share one BT/ET and repeat neither Tf nor rg. */
/* Room for a piece of n bytes; NULL if out of memory. */
static char *grow_piece(writer *w, size_t n)
{
    char *p = realloc(w->piece, n);
    if (!p)
        return NULL;
    w->piece = p;
    w->piece_cap = n;
    return p;
}

/* Note that page p selects face f, and make room for the code points f draws. Returns 0
 * if out of memory. */
static int note_face(writer *w, size_t p, int f)
{
    wpage *wp = &w->pages[p];
    size_t k = 0;
    while (k < wp->nfaces && wp->faces[k] != f)
        k++;
    if (k == wp->nfaces) {
        int *slot = rp_grow_try((void **)&wp->faces, &wp->faces_cap, wp->nfaces, sizeof *slot);
        if (!slot)
            return 0;
        *slot = f;
        wp->nfaces++;
    }
    if ((size_t)f >= w->ncps) {
        size_t n = (size_t)f + 1;
        rp_cpset *grown = realloc(w->cps, n * sizeof *grown);
        if (!grown)
            return 0;
        memset(grown + w->ncps, 0, (n - w->ncps) * sizeof *grown);
        w->cps = grown;
        w->ncps = n;
    }
    return 1;
}

static HPDF_STATUS draw_text(writer *w, size_t p, HPDF_Page page, const rp_item *it)
{
    HPDF_STATUS st = HPDF_OK;
    if (it->face < 0)
        return HPDF_INVALID_OBJECT;
    if (!note_face(w, p, it->face))
        return HPDF_FAILD_TO_ALLOC_MEM;
    if (!w->in_text) {
        st = HPDF_Page_BeginText(page);
        w->in_text = st == HPDF_OK;
    }
    if (st == HPDF_OK && (it->face != w->face || it->size != w->size)) {
        st = rp_pdffont_select(page, it->face, it->size);
        w->face = it->face;
        w->size = it->size;
    }
    if (st == HPDF_OK && (!w->have_fill || !same_color(w->fill, it->fill_color))) {
        st = HPDF_Page_SetRGBFill(page, (HPDF_REAL)it->fill_color.r, (HPDF_REAL)it->fill_color.g,
                                  (HPDF_REAL)it->fill_color.b);
        w->have_fill = 1;
        w->fill = it->fill_color;
    }
    if (st == HPDF_OK && it->track != w->track) {
        st = HPDF_Page_SetCharSpace(page, (HPDF_REAL)it->track);
        w->track = it->track;
    }
    if (st != HPDF_OK)
        return st;
    /* in pieces when kerned, each at its own position (libharu has no TJ operator) */
    size_t len = strlen(it->text), from, to;
    if (w->piece_cap < 2 * len + 1 && !grow_piece(w, 2 * len + 1))
        return HPDF_FAILD_TO_ALLOC_MEM;
    for (size_t k = 0; k <= it->nkerns && st == HPDF_OK; k++) {
        double dx = rp_item_piece(it, len, k, &from, &to);
        if (to == from)
            continue;
        size_t n =
            rp_codes_encode_new(w->codes, it->text + from, to - from, w->piece, &w->cps[it->face]);
        if (n == (size_t)-1)
            return HPDF_FAILD_TO_ALLOC_MEM;
        st = rp_pdffont_show(page, (HPDF_REAL)(it->x + dx), flip(w, it->y), w->piece, n);
    }
    return st;
}

/* The ExtGState for fill opacity alpha, made on first use. NULL on failure. */
static HPDF_ExtGState alpha_gstate(writer *w, double alpha)
{
    for (size_t i = 0; i < w->nalpha; i++)
        if (w->alpha[i].alpha == alpha)
            return w->alpha[i].gs;
    alpha_state *grown = realloc(w->alpha, (w->nalpha + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    w->alpha = grown;
    HPDF_ExtGState gs = HPDF_CreateExtGState(w->pdf);
    if (!gs || HPDF_ExtGState_SetAlphaFill(gs, (HPDF_REAL)alpha) != HPDF_OK)
        return NULL;
    w->alpha[w->nalpha].alpha = alpha;
    w->alpha[w->nalpha++].gs = gs;
    return gs;
}

/* Set fill colour and opacity. */
static HPDF_STATUS set_fill(writer *w, HPDF_Page page, const rp_item *it)
{
    HPDF_STATUS st = HPDF_OK;
    if (it->alpha < 1) {
        HPDF_ExtGState gs = alpha_gstate(w, it->alpha < 0 ? 0 : it->alpha);
        st = gs ? HPDF_Page_SetExtGState(page, gs) : handle_status(w, gs);
    }
    if (st == HPDF_OK)
        st = HPDF_Page_SetRGBFill(page, (HPDF_REAL)it->fill_color.r, (HPDF_REAL)it->fill_color.g,
                                  (HPDF_REAL)it->fill_color.b);
    return st;
}

/* Scale for drawing a shape with dash length dash.
 *
 * libharu 2.3.0 takes dash lengths as whole numbers from 1 to HPDF_MAX_DASH_PATTERN, which
 * would turn a 0.8 pt dash into 1 pt. So a dashed shape is drawn k times larger under a 1/k
 * scale (cm), which gives the dash a resolution of 1/k pt. k is a power of two up to 32, so
 * that 1/k is exact in libharu's 5-decimal numbers, and small enough that coordinates stay
 * below libharu's limit for reals (HPDF_LIMIT_MAX_REAL, 32767). */
double rp_pdf_dash_scale(double page_w, double page_h, double dash)
{
    double big = page_w > page_h ? page_w : page_h;
    double k = 1;
    while (k < 32 && dash * k * 2 <= HPDF_MAX_DASH_PATTERN && big * k * 2 <= HPDF_LIMIT_MAX_REAL)
        k *= 2;
    return k;
}

/* Set stroke colour, width and dash, in a user space scaled by k (see rp_pdf_dash_scale). */
static HPDF_STATUS set_stroke(HPDF_Page page, const rp_item *it, double k)
{
    const rp_color *c = &it->stroke_color;
    HPDF_STATUS st =
        HPDF_Page_SetRGBStroke(page, (HPDF_REAL)c->r, (HPDF_REAL)c->g, (HPDF_REAL)c->b);
    if (st == HPDF_OK)
        st = HPDF_Page_SetLineWidth(page, (HPDF_REAL)(it->line_width > 0 ? it->line_width * k : 0));
    if (st == HPDF_OK && it->dash > 0) {
        double d = it->dash * k + 0.5;
        if (d > HPDF_MAX_DASH_PATTERN)
            d = HPDF_MAX_DASH_PATTERN;
        const HPDF_UINT16 pattern[2] = {(HPDF_UINT16)d, (HPDF_UINT16)d}; /* d >= 1 */
        st = HPDF_Page_SetDash(page, pattern, 2, 0);
    }
    return st;
}

/* Nonzero if the item has a path to paint. */
static int has_path(const rp_item *it)
{
    return it->kind != RP_ITEM_POLY || (it->pts && it->npts >= 2);
}

/* Append the item's outline to the current path, in a user space scaled by k. */
static HPDF_STATUS add_path(const writer *w, HPDF_Page page, const rp_item *it, double k)
{
    double h = w->height;
    HPDF_STATUS st;
    switch (it->kind) {
    case RP_ITEM_RECT:
        return HPDF_Page_Rectangle(page, (HPDF_REAL)(it->x * k),
                                   (HPDF_REAL)((h - it->y - it->h) * k), (HPDF_REAL)(it->w * k),
                                   (HPDF_REAL)(it->h * k));
    case RP_ITEM_ELLIPSE:
        st = HPDF_Page_Ellipse(page, (HPDF_REAL)(it->x * k), (HPDF_REAL)((h - it->y) * k),
                               (HPDF_REAL)(it->w * k), (HPDF_REAL)(it->h * k));
        return st == HPDF_OK ? HPDF_Page_ClosePath(page) : st;
    case RP_ITEM_LINE:
        st = HPDF_Page_MoveTo(page, (HPDF_REAL)(it->x * k), (HPDF_REAL)((h - it->y) * k));
        if (st == HPDF_OK)
            st = HPDF_Page_LineTo(page, (HPDF_REAL)((it->x + it->w) * k),
                                  (HPDF_REAL)((h - it->y - it->h) * k));
        return st;
    default: /* RP_ITEM_POLY */
        st = HPDF_Page_MoveTo(page, (HPDF_REAL)((it->x + it->pts[0]) * k),
                              (HPDF_REAL)((h - it->y - it->pts[1]) * k));
        for (size_t i = 1; i < it->npts && st == HPDF_OK; i++)
            st = HPDF_Page_LineTo(page, (HPDF_REAL)((it->x + it->pts[2 * i]) * k),
                                  (HPDF_REAL)((h - it->y - it->pts[2 * i + 1]) * k));
        return st == HPDF_OK ? HPDF_Page_ClosePath(page) : st;
    }
}

/* Draw a rectangle, ellipse, polygon or line inside q/Q, so no state leaks. A line is
 * always stroked and never filled. */
static HPDF_STATUS draw_shape(writer *w, HPDF_Page page, const rp_item *it)
{
    int fill = it->fill && it->kind != RP_ITEM_LINE;
    int stroke = it->stroke || it->kind == RP_ITEM_LINE;
    double k = stroke && it->dash > 0 ? rp_pdf_dash_scale(w->width, w->height, it->dash) : 1;
    if ((!fill && !stroke) || !has_path(it))
        return HPDF_OK;
    HPDF_STATUS st = HPDF_Page_GSave(page);
    if (st == HPDF_OK && k != 1)
        st = HPDF_Page_Concat(page, (HPDF_REAL)(1 / k), 0, 0, (HPDF_REAL)(1 / k), 0, 0);
    if (st == HPDF_OK && fill)
        st = set_fill(w, page, it);
    if (st == HPDF_OK && stroke)
        st = set_stroke(page, it, k);
    if (st == HPDF_OK)
        st = add_path(w, page, it, k);
    if (st == HPDF_OK)
        st = fill && stroke ? HPDF_Page_FillStroke(page)
             : fill         ? HPDF_Page_Fill(page)
                            : HPDF_Page_Stroke(page);
    return st == HPDF_OK ? HPDF_Page_GRestore(page) : st;
}

/* Add an invisible link area pointing at its target page and position. */
static HPDF_STATUS draw_link(const writer *w, HPDF_Page page, const rp_item *it)
{
    HPDF_Rect r;
    r.left = (HPDF_REAL)it->x;
    r.right = (HPDF_REAL)(it->x + it->w);
    r.top = flip(w, it->y);
    r.bottom = flip(w, it->y + it->h);
    HPDF_Annotation annot;
    if (it->uri) {
        annot = HPDF_Page_CreateURILinkAnnot(page, r, it->uri);
    } else {
        HPDF_Destination dst = make_dest(w, it->target_page, it->target_y);
        annot = dst ? HPDF_Page_CreateLinkAnnot(page, r, dst) : NULL;
    }
    if (!annot)
        return handle_status(w, annot);
    return HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0);
}

/* Keep a link of page p for add_links. */
static HPDF_STATUS defer_link(writer *w, size_t p, const rp_item *it)
{
    wlink *l = rp_grow_try((void **)&w->links, &w->links_cap, w->nlinks, sizeof *l);
    if (!l)
        return HPDF_FAILD_TO_ALLOC_MEM;
    l->page = p;
    l->it = *it;
    w->nlinks++;
    return HPDF_OK;
}

/* Draw one item of page p. Text runs stay in the open text object; links are annotations,
 * not content, made once every page exists; shapes close the text object. */
static HPDF_STATUS draw_item(writer *w, size_t p, HPDF_Page page, const rp_item *it)
{
    if (it->kind == RP_ITEM_TEXT)
        return it->text && *it->text ? draw_text(w, p, page, it) : HPDF_OK;
    if (it->kind == RP_ITEM_LINK)
        return defer_link(w, p, it);
    HPDF_STATUS st = end_text(w, page);
    return st == HPDF_OK ? draw_shape(w, page, it) : st;
}

static const char *kind_name(rp_item_kind kind)
{
    static const char *const names[] = {"text", "rectangle", "line", "ellipse", "polygon", "link"};
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "item";
}

/* Draw the items of pg onto page p of the PDF, in order, and compress what they make.
 * more: a further content stream of the page, which starts in the state the one before
 * left (the text state outlives ET: its character spacing is unknown). Returns 0 or 3. */
static int draw_page(writer *w, size_t p, const rp_page *pg, int more)
{
    HPDF_Page page = w->pages[p].page;
    HPDF_STATUS st = HPDF_OK;
    size_t i;
    /* a page starts with the default graphics state: no font, black fill, no spacing */
    w->in_text = 0;
    w->face = -1;
    w->have_fill = 0;
    w->track = more ? NAN : 0;
    for (i = 0; i < pg->nitems; i++) {
        st = draw_item(w, p, page, &pg->items[i]);
        if (failed(w, st))
            return lib_fail(w, st, "drawing item %zu (%s) of page %zu", i + 1,
                            kind_name(pg->items[i].kind), p + 1);
    }
    st = end_text(w, page);
    if (!failed(w, st) && w->z) /* complete: compressed now, not by libharu at save */
        st = rp_deflate_page(w->z, page);
    if (failed(w, st))
        return lib_fail(w, st, "drawing page %zu", p + 1);
    return 0;
}

/* Make the link areas kept while drawing. Returns 0 or 3. */
static int add_links(writer *w)
{
    for (size_t i = 0; i < w->nlinks; i++) {
        const wlink *l = &w->links[i];
        if (!l->it.uri && (l->it.target_page < 0 || (size_t)l->it.target_page >= w->npages)) {
            rp_diag(RP_ERROR, NULL, 0, 0,
                    "internal error: a link of page %zu targets page %d of %zu", l->page + 1,
                    l->it.target_page + 1, w->npages);
            return 3;
        }
        HPDF_STATUS st = draw_link(w, w->pages[l->page].page, &l->it);
        if (failed(w, st))
            return lib_fail(w, st, "adding a link to page %zu", l->page + 1);
    }
    return 0;
}

/* ---- outlines, metadata ---------------------------------------------------------------- */

/* Add one outline entry under parent (NULL = root); *out receives it. */
static HPDF_STATUS add_outline(writer *w, HPDF_Outline parent, const rp_outline *o,
                               HPDF_Encoder utf8, HPDF_Outline *out)
{
    HPDF_Outline ol = HPDF_CreateOutline(w->pdf, parent, o->title ? o->title : "", utf8);
    HPDF_Destination dst = ol ? make_dest(w, o->page, o->y) : NULL;
    HPDF_STATUS st = handle_status(w, dst);
    if (st == HPDF_OK)
        st = HPDF_Outline_SetDestination(ol, dst);
    if (st == HPDF_OK) /* libharu opens every entry; keep only the top level open */
        st = HPDF_Outline_SetOpened(ol, parent == NULL ? HPDF_TRUE : HPDF_FALSE);
    *out = ol;
    return st;
}

/* Build the outline tree: a level-n entry nests under the last entry of level n-1 (a
 * level deeper than that is treated as the deepest possible). Returns 0 or 3. */
static int add_outlines(writer *w, const rp_pdf_options *opt)
{
    const rp_pages *doc = w->doc;
    if (doc->noutlines == 0)
        return 0;
    HPDF_Outline *chain =
        calloc(doc->noutlines, sizeof *chain); // NOLINT(bugprone-sizeof-expression)
    /* chain[l] = last at level l */
    HPDF_Encoder utf8 = HPDF_GetEncoder(w->pdf, "UTF-8");
    HPDF_STATUS st = handle_status(w, utf8);
    size_t depth = 0;
    int rc = 3;
    if (!chain) {
        rp_diag(RP_ERROR, NULL, 0, 0, "out of memory");
        goto out;
    }
    if (failed(w, st)) {
        lib_fail(w, st, "adding outlines");
        goto out;
    }
    for (size_t i = 0; i < doc->noutlines; i++) {
        const rp_outline *o = &doc->outlines[i];
        size_t level = o->level < 0 ? 0 : (size_t)o->level;
        if (level > depth)
            level = depth;
        st = add_outline(w, level ? chain[level - 1] : NULL, o, utf8, &chain[level]);
        if (failed(w, st)) {
            lib_fail(w, st, "adding outline entry %zu", i + 1);
            goto out;
        }
        depth = level + 1;
    }
    st = opt->page_mode_outline ? HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE) : HPDF_OK;
    if (failed(w, st)) {
        lib_fail(w, st, "setting the page mode");
        goto out;
    }
    rc = 0;
out:
    free(chain);
    return rc;
}

/* Set the document information (UTF-8). No dates, so that output is reproducible. */
/* A date for the PDF from seconds since 1970, in UTC, written "+00'00'" (the 'Z' form
 * breaks PDF/A). Civil-from-days arithmetic, so no time zone or locale is involved. */
static HPDF_Date pdf_date(long long t)
{
    long long days = t / 86400, secs = t % 86400;
    if (secs < 0)
        secs += 86400, days--;
    /* days since 1970-01-01 -> year/month/day (proleptic Gregorian) */
    long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long long day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
    long long year = yoe + era * 400 + (month <= 2);
    HPDF_Date d;
    memset(&d, 0, sizeof d);
    d.year = (HPDF_INT)year;
    d.month = (HPDF_INT)month;
    d.day = (HPDF_INT)day;
    d.hour = (HPDF_INT)(secs / 3600);
    d.minutes = (HPDF_INT)(secs / 60 % 60);
    d.seconds = (HPDF_INT)(secs % 60);
    d.ind = '+';
    return d;
}

static int set_info(writer *w)
{
    const rp_pages *doc = w->doc;
    const struct {
        HPDF_InfoType type;
        const char *value;
    } info[] = {
        {HPDF_INFO_TITLE, doc->title},
        {HPDF_INFO_SUBJECT, doc->subject},
        {HPDF_INFO_AUTHOR, doc->author},
        {HPDF_INFO_KEYWORDS, doc->keywords},
        {HPDF_INFO_CREATOR, doc->creator && *doc->creator ? doc->creator : "rolepress"},
        {HPDF_INFO_PRODUCER, PRODUCER},
    };
    HPDF_STATUS st = HPDF_SetCurrentEncoder(w->pdf, "UTF-8");
    for (size_t i = 0; i < sizeof info / sizeof info[0] && !failed(w, st); i++)
        if (info[i].value && *info[i].value)
            st = HPDF_SetInfoAttr(w->pdf, info[i].type, info[i].value);
    if (doc->has_date && !failed(w, st)) {
        HPDF_Date d = pdf_date(doc->date);
        st = HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, d);
        if (!failed(w, st))
            st = HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, d);
    }
    return failed(w, st) ? lib_fail(w, st, "setting the document information") : 0;
}

/* ---- atomic save ----------------------------------------------------------------------- */

/* Report an I/O failure on path with the system's reason err; returns 3. */
static int io_fail(const char *path, int err)
{
    rp_diag(RP_ERROR, path, 0, 0, "cannot write: %s", strerror(err));
    return 3;
}

/* Write all n bytes of buf to fd. Returns 0, or -1 with errno set. */
static int write_all(int fd, const unsigned char *buf, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, buf, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        buf += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Write the document saved in libharu's memory stream to fd, straight from the stream's
 * buffers. Returns 0 or 3. */
static int copy_saved(writer *w, int fd, const char *path)
{
    HPDF_Stream s = w->pdf->stream;
    if (!s || s->type != HPDF_STREAM_MEMORY || s->size == 0)
        return lib_fail(w, HPDF_INVALID_STREAM, "reading the saved document");
    HPDF_UINT count = HPDF_MemStream_GetBufCount(s);
    size_t total = 0;
    for (HPDF_UINT i = 0; i < count; i++) {
        HPDF_UINT len = 0;
        const HPDF_BYTE *buf = HPDF_MemStream_GetBufPtr(s, i, &len);
        if (!buf)
            return lib_fail(w, HPDF_INVALID_STREAM, "reading the saved document");
        if (write_all(fd, buf, len) != 0)
            return io_fail(path, errno);
        total += len;
    }
    if (total != s->size)
        return lib_fail(w, HPDF_INVALID_STREAM, "reading the saved document");
    return 0;
}

/* Name of a new temporary file beside path: "<dir>/.<base>.XXXXXX" (malloc'd), or NULL. */
static char *temp_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t len = strlen(path) + sizeof "..XXXXXX";
    char *tmp = malloc(len);
    if (tmp)
        snprintf(tmp, len, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
    return tmp;
}

/* Mode of a new file: 0666 less the umask, as open(2) would give. */
static mode_t new_file_mode(void)
{
    mode_t mask = umask(0); /* reading the umask means setting it; put it straight back */
    umask(mask);
    return 0666 & ~mask;
}

/* Report that no temporary file can be made beside path (typically: its directory does
 * not exist or is not writable); returns 3. */
static int mkstemp_fail(const char *path, int err)
{
    const char *slash = strrchr(path, '/');
    const char *dir = slash ? path : ".";
    int dirlen = !slash ? 1 : slash == path ? 1 : (int)(slash - path);
    rp_diag(RP_ERROR, path, 0, 0, "cannot write: cannot create a file in directory '%.*s': %s",
            dirlen, dir, strerror(err));
    return 3;
}

/* ---- temporary files and signals ---- */

/* Temporary files not yet renamed into place, so that a signal handler can remove them:
 * fixed buffers, because the handler may only call async-signal-safe functions. */
#define MAX_PENDING 4 /* build writes two PDFs; room to spare */
#define PENDING_PATH 4096
static char pending_paths[MAX_PENDING][PENDING_PATH];
static volatile sig_atomic_t pending_used[MAX_PENDING];

static void track(const char *tmp)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (!pending_used[i] && strlen(tmp) < PENDING_PATH) {
            memcpy(pending_paths[i], tmp, strlen(tmp) + 1);
            pending_used[i] = 1;
            return;
        }
}

static void untrack(const char *tmp)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending_used[i] && strcmp(pending_paths[i], tmp) == 0)
            pending_used[i] = 0;
}

static void remove_pending(int sig)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending_used[i])
            unlink(pending_paths[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

void rp_pdf_remove_on_signal(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], remove_pending);
}

/* The file a write to path really replaces: path itself, or the file a symbolic link at
 * path points to (so links are written through, not replaced). Anything that exists and
 * is not a regular file (a directory, a device, a pipe) is refused. Returns a malloc'd
 * path or NULL after reporting. */
static char *resolve_target(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        if (errno != ENOENT) {
            io_fail(path, errno);
            return NULL;
        }
        return strdup(path); /* a new file */
    }
    char *target = S_ISLNK(sb.st_mode) ? realpath(path, NULL) : strdup(path);
    if (!target) {
        io_fail(path, errno);
        return NULL;
    }
    if (stat(target, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        rp_diag(RP_ERROR, path, 0, 0, "cannot write: not a regular file");
        free(target);
        return NULL;
    }
    return target;
}

/* Save the document to a temporary file beside the target; rp_pdf_commit() renames it
 * into place. Returns 0 or 3 (nothing left behind on failure). */
static int save(writer *w, const char *path, rp_pdf_pending *out)
{
    char *target = resolve_target(path);
    char *tmp = target ? temp_name(target) : NULL;
    int fd = -1, created = 0, closed, rc = 3;
    if (!target)
        goto out;
    if (!tmp) {
        rp_diag(RP_ERROR, NULL, 0, 0, "out of memory");
        goto out;
    }
    /* no cleanup signal between creating the file and recording it for the handler */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGQUIT);
    sigprocmask(SIG_BLOCK, &block, &old);
    fd = mkstemp(tmp);
    int err = errno;
    if (fd >= 0)
        track(tmp);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        mkstemp_fail(target, err);
        goto out;
    }
    created = 1;
    if (copy_saved(w, fd, path) != 0)
        goto out;
    /* No fsync: an output is replaced atomically (a reader sees the old file or the new one,
     * never a mix), but its durability across a power cut is left to the file system, as
     * compilers and other build tools leave it; forcing it to disk cost 1-2 ms per PDF. */
    if (fchmod(fd, new_file_mode()) != 0) {
        io_fail(path, errno);
        goto out;
    }
    closed = close(fd);
    fd = -1;
    if (closed != 0) {
        io_fail(path, errno);
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    if (rc != 0 && created) {
        unlink(tmp);
        untrack(tmp);
    }
    if (rc == 0) {
        out->tmp = tmp;
        out->target = target;
        out->path = path;
    } else {
        free(tmp);
        free(target);
    }
    return rc;
}

int rp_pdf_commit(rp_pdf_pending *p)
{
    int rc = 0;
    if (p->tmp && rename(p->tmp, p->target) != 0) {
        rc = io_fail(p->path, errno);
        unlink(p->tmp);
    }
    if (p->tmp)
        untrack(p->tmp);
    free(p->tmp);
    free(p->target);
    p->tmp = p->target = NULL;
    return rc;
}

void rp_pdf_discard(rp_pdf_pending *p)
{
    if (p->tmp) {
        unlink(p->tmp);
        untrack(p->tmp);
    }
    free(p->tmp);
    free(p->target);
    p->tmp = p->target = NULL;
}

/* ---- entry point ----------------------------------------------------------------------- */

/* Start a document: error handler, compression (before anything that owns a stream),
 * UTF-8 encodings, the codes. Returns 0 or 3. */
static int start(writer *w, const rp_pdf_options *opt)
{
    w->pdf = HPDF_New(on_error, w);
    if (!w->pdf)
        return lib_fail(w, HPDF_FAILD_TO_ALLOC_MEM, "creating the document");
    HPDF_STATUS st =
        HPDF_SetCompressionMode(w->pdf, opt->compress ? HPDF_COMP_ALL : HPDF_COMP_NONE);
    if (st == HPDF_OK)
        st = HPDF_UseUTFEncodings(w->pdf);
    if (st == HPDF_OK && opt->compress && !(w->z = rp_deflater_new()))
        st = HPDF_FAILD_TO_ALLOC_MEM;
    if (st == HPDF_OK && !(w->codes = rp_codes_new(NULL)))
        st = HPDF_FAILD_TO_ALLOC_MEM;
    return failed(w, st) ? lib_fail(w, st, "setting up the document") : 0;
}

struct rp_pdf_rendered {
    writer w; /* libharu's error handler holds its address */
    rp_pdf_options opt;
};

void rp_pdf_rendered_free(rp_pdf_rendered *r)
{
    if (!r)
        return;
    if (r->w.pdf)
        HPDF_Free(r->w.pdf);
    for (size_t p = 0; p < r->w.npages; p++)
        free(r->w.pages[p].faces);
    free(r->w.pages);
    free(r->w.fonts);
    free(r->w.whole);
    rp_codes_free(r->w.codes);
    free(r->w.cps);
    free(r->w.links);
    rp_deflater_free(r->w.z);
    free(r->w.alpha);
    free(r->w.piece);
    free(r);
}

rp_pdf_rendered *rp_pdf_begin(double width, double height, const rp_pdf_options *opt)
{
    static const rp_pdf_options defaults = {1, 1, 0};
    rp_pdf_rendered *r = calloc(1, sizeof *r);
    if (!r) {
        rp_diag(RP_ERROR, NULL, 0, 0, "out of memory");
        return NULL;
    }
    r->opt = opt ? *opt : defaults;
    r->w.opt = &r->opt;
    r->w.width = width;
    r->w.height = height;
    if (start(&r->w, &r->opt)) {
        rp_pdf_rendered_free(r);
        return NULL;
    }
    return r;
}

int rp_pdf_page(rp_pdf_rendered *r, size_t p, const rp_page *pg)
{
    writer *w = &r->w;
    if (p < w->npages) {
        rp_diag(RP_ERROR, NULL, 0, 0, "internal error: page %zu drawn out of order", p + 1);
        return 3;
    }
    return make_page(w, p) || draw_page(w, p, pg, 0) ? 3 : 0;
}

/* Draw what doc holds of every page: a page not drawn yet is made (in its place) and
 * drawn; a page drawn already gets a further content stream for the items doc holds for
 * it now, if any. Pages without items are blank; a document without pages gets one blank
 * page: readers reject a PDF with none. Returns 0 or 3. */
static int draw_rest(writer *w, rp_pages *doc)
{
    size_t drawn = w->npages, n = doc->npages ? doc->npages : 1;
    for (size_t p = 0; p < n; p++) {
        const rp_page none = {0}, *pg = p < doc->npages ? &doc->pages[p] : &none;
        int made = p < drawn && w->pages[p].page;
        if (made && pg->nitems == 0)
            continue;
        if (made) {
            HPDF_Dict more = NULL;
            HPDF_STATUS st = HPDF_Page_New_Content_Stream(w->pages[p].page, &more);
            if (st == HPDF_OK && w->z) /* libharu copies the first stream's filter: none */
                more->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
            if (failed(w, st))
                return lib_fail(w, st, "adding to page %zu", p + 1);
        } else if (make_page(w, p)) {
            return 3;
        }
        if (draw_page(w, p, pg, made))
            return 3;
        if (w->opt->release_pages && p < doc->npages) /* libharu holds it from here on */
            rp_pages_release(doc, p);
    }
    return 0;
}

int rp_pdf_finish(rp_pdf_rendered *r, rp_pages *doc)
{
    writer *w = &r->w;
    w->doc = doc;
    if (doc->npages < w->npages) {
        rp_diag(RP_ERROR, NULL, 0, 0, "internal error: %zu pages drawn of %zu", w->npages,
                doc->npages);
        return 3;
    }
    if (check_outlines(doc) || draw_rest(w, doc) || add_links(w) || load_fonts(w) ||
        add_outlines(w, w->opt) || set_info(w))
        return 3;
    /* saved in buffers of SAVE_CHUNK bytes rather than libharu's 4 KB, so that a long
     * document is written with few copies and system calls */
    if (!w->pdf->stream && !(w->pdf->stream = HPDF_MemStream_New(w->pdf->mmgr, SAVE_CHUNK)))
        return lib_fail(w, HPDF_FAILD_TO_ALLOC_MEM, "saving the document");
    HPDF_STATUS st = HPDF_SaveToStream(w->pdf);
    if (failed(w, st))
        return lib_fail(w, st, "saving the document");
    return 0;
}

int rp_pdf_render(rp_pages *doc, const rp_pdf_options *opt, rp_pdf_rendered **out)
{
    rp_pdf_rendered *r = rp_pdf_begin(doc->width, doc->height, opt);
    *out = NULL;
    if (!r || rp_pdf_finish(r, doc)) {
        rp_pdf_rendered_free(r);
        return 3;
    }
    *out = r;
    return 0;
}

void rp_pdf_before_threads(void)
{
    rp_deflate_init();
}

void rp_pdf_ready_fonts(void)
{
    rp_subset_init();
}

int rp_pdf_save(rp_pdf_rendered *r, const char *path, rp_pdf_pending *out)
{
    return save(&r->w, path, out);
}

int rp_pdf_prepare(rp_pages *doc, const char *path, const rp_pdf_options *opt, rp_pdf_pending *out)
{
    rp_pdf_rendered *r;
    int rc = rp_pdf_render(doc, opt, &r);
    if (rc == 0)
        rc = rp_pdf_save(r, path, out);
    rp_pdf_rendered_free(r);
    return rc;
}

int rp_pdf_write(rp_pages *doc, const char *path, const rp_pdf_options *opt)
{
    rp_pdf_pending p = {0};
    int rc = rp_pdf_prepare(doc, path, opt, &p);
    return rc ? rc : rp_pdf_commit(&p);
}
