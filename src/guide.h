/* guide: the multi-page comparison guide laid out from the model.
 * Title block and contents first, then the numbered sections with their paragraphs, lists,
 * tables and figures, a running footer "page N of M", bookmarks and links. */
#ifndef RP_GUIDE_H
#define RP_GUIDE_H

#include "layout.h"

/* Lay out the guide. Returns the pages (arena-owned) or NULL after reporting errors. With
 * a sink, each page the layout has finished but for its footer is handed to it as the
 * layout goes on (the pages holding the contents are not: their page numbers come last). */
rp_pages *rp_guide_layout(rp_ctx *c, const rp_page_sink *sink);

#endif
