/* cheatsheet: the one-page summary of the roles, laid out from the same model as the guide.
 * Roles side by side in colour-coded columns and a strip on how they work together; the
 * body size shrinks in steps until everything fits, down to the style's floor. */
#ifndef RP_CHEATSHEET_H
#define RP_CHEATSHEET_H

#include "layout.h"

/* Lay out the cheat sheet. Returns the one page (arena-owned) or NULL after reporting that
 * the content does not fit (with how much overflows) or other errors. */
rp_pages *rp_cheatsheet_layout(rp_ctx *c);

#endif
