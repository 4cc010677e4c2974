/* pdf: the PDF writer, the only module that talks to libharu.
 *
 * Turns a laid-out document (rp_pages) into a PDF file: embedded TrueType fonts, text,
 * shapes, links, outlines and metadata, saved atomically. Nothing of libharu leaks out of
 * this interface. */
#ifndef RP_PDF_H
#define RP_PDF_H

#include "pages.h"

/* Options for one PDF. */
typedef struct rp_pdf_options {
    int compress;          /* 1 = HPDF_COMP_ALL (default in callers) */
    int page_mode_outline; /* open with the bookmarks panel when there are outlines */
    int release_pages;     /* free each page's items once drawn (peak memory of long
                              documents); the doc's pages are then empty */
} rp_pdf_options;

/* Write doc to path atomically. opt may be NULL for the defaults (compress = 1,
 * page_mode_outline = 1). The output is byte-identical for identical input (no dates,
 * no /ID). Returns 0 on success; 3 on an I/O or libharu failure (or an inconsistent doc,
 * e.g. a face or page index out of range), after reporting it through rp_diag (path and
 * the system's reason, e.g. strerror). On failure the file at path is left exactly as it
 * was (or absent) and no temporary file remains. The doc is not modified unless
 * opt->release_pages is set. */
int rp_pdf_write(rp_pages *doc, const char *path, const rp_pdf_options *opt);

/* A PDF written to a temporary file beside its target, not yet renamed into place, so
 * that several outputs can be replaced together. */
typedef struct rp_pdf_pending {
    char *tmp, *target; /* owned; NULL once committed or discarded */
    const char *path;   /* as given, for messages */
} rp_pdf_pending;

/* First half of rp_pdf_write: everything but the rename. A symbolic link at path is
 * written through (its target is replaced); an existing non-regular file is refused.
 * Returns 0 and fills *out, or 3 after reporting (nothing left behind). */
int rp_pdf_prepare(rp_pages *doc, const char *path, const rp_pdf_options *opt, rp_pdf_pending *out);
/* rp_pdf_prepare in two steps: render doc with libharu and save it in memory (no file is
 * touched, so this may run on a thread of its own while other threads lay out or render
 * other documents: nothing is shared but rp_diag), then write that to a temporary file
 * beside path as rp_pdf_prepare does. rp_pdf_render returns 0 and sets *out, or 3 after
 * reporting (*out NULL). Free with rp_pdf_rendered_free (NULL is fine). */
typedef struct rp_pdf_rendered rp_pdf_rendered;
int rp_pdf_render(rp_pages *doc, const rp_pdf_options *opt, rp_pdf_rendered **out);

/* rp_pdf_render page by page, for a layout that finishes pages before it has laid out the
 * whole document (no page number of the total, no contents yet): rp_pdf_begin starts a
 * PDF of pages width x height (NULL after reporting); rp_pdf_page draws page p (its index
 * in the final document) from pg's items, which are final, in increasing order of p, and
 * may run on another thread than the layout (pg is only read, during the call); a page
 * skipped is made later, in its place. rp_pdf_finish draws the rest from doc, the whole
 * document: the pages not drawn yet, and onto each page drawn already, over what was
 * drawn, the items doc now holds for it (a footer added once the page count is known).
 * Then fonts (made only now, when every character drawn is known), links, outlines and
 * metadata, and the document is saved in memory for rp_pdf_save. Each returns 0, or 3
 * after reporting; free r with rp_pdf_rendered_free in every case. */
rp_pdf_rendered *rp_pdf_begin(double width, double height, const rp_pdf_options *opt);
int rp_pdf_page(rp_pdf_rendered *r, size_t p, const rp_page *pg);
int rp_pdf_finish(rp_pdf_rendered *r, rp_pages *doc);
int rp_pdf_save(rp_pdf_rendered *r, const char *path, rp_pdf_pending *out);
void rp_pdf_rendered_free(rp_pdf_rendered *r);

/* Before several threads render at once: let libdeflate choose its code on this thread
 * (it sets a pointer on first use, without a lock). */
void rp_pdf_before_threads(void);
/* Open HarfBuzz (for the fonts' subsets) and let it make the objects it makes on first
 * use, ahead of need: it costs 1-2 ms, which the guide's writer spends on its own thread
 * while it waits for its first page. Otherwise the first subset does it. */
void rp_pdf_ready_fonts(void);

/* Rename the prepared file into place. Returns 0, or 3 after reporting (the temporary
 * file is removed and the old output kept). */
int rp_pdf_commit(rp_pdf_pending *p);
/* Remove a prepared file that will not be committed. */
void rp_pdf_discard(rp_pdf_pending *p);

/* The scale under which a dashed shape is drawn on a page of that size (see pdf.c): a
 * power of two, for libharu's whole-point dash lengths. */
double rp_pdf_dash_scale(double page_w, double page_h, double dash);

/* Install handlers for SIGINT, SIGTERM, SIGHUP and SIGQUIT that remove any temporary PDF
 * not yet renamed into place, then end the process by the same signal. */
void rp_pdf_remove_on_signal(void);

#endif
