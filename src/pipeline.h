/* pipeline: the guide drawn by the PDF writer on a thread of its own while the layout goes on.
 *
 * The layout hands each page it has finished (rp_page_sink) to a queue; the writer's
 * thread takes the pages in order and draws and compresses them (rp_pdf_page) while the
 * layout makes the next ones. Once the layout is done, the whole document goes to the
 * thread, which draws what was left (the contents, the footers) and finishes the PDF in
 * memory (rp_pdf_finish) while the main thread goes on (the cheat sheet of build).
 *
 * Ownership: a page's items move out of the document and its arena into the queue
 * (rp_pages_take); the writer's thread frees them once drawn. */
#ifndef RP_PIPELINE_H
#define RP_PIPELINE_H

#include "layout.h"
#include "pdf.h"

typedef struct rp_pipeline rp_pipeline;

/* Start the writer's thread for a PDF of pages width x height. NULL if no thread or no
 * memory can be had (the caller then renders the document afterwards, as usual). */
rp_pipeline *rp_pipeline_start(double width, double height);

/* The sink to give the layout: its pages go to the pipeline. */
rp_page_sink rp_pipeline_sink(rp_pipeline *pl);

/* Hand over the laid-out document (NULL: the layout failed, nothing is to be written).
 * The caller must not change doc until rp_pipeline_join returns. */
void rp_pipeline_end(rp_pipeline *pl, rp_pages *doc);

/* Wait for the writer, free what it gave back and the pipeline. Returns 0 and sets *out
 * (NULL if the document was NULL) or 3 after the writer reported a failure. */
int rp_pipeline_join(rp_pipeline *pl, rp_pdf_rendered **out);

#endif
