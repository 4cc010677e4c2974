/* cheatsheet: the one-page summary of the roles, laid out from the same model as the guide.
 * Roles side by side in colour-coded columns and a strip on how they work together; the
 * body size is the largest that fits, down to the style's floor. */
#ifndef RP_CHEATSHEET_H
#define RP_CHEATSHEET_H

#include "layout.h"

/* Lay out the cheat sheet. Returns the one page (arena-owned) or NULL after reporting that
 * the content does not fit (with how much overflows) or other errors. */
rp_pages *rp_cheatsheet_layout(rp_ctx *c);

/* Balanced columns for a list set as n lines of leading h, of which line i begins an item
 * where starts[i] is nonzero; an item is set g below the one before unless it tops a column.
 * Fills brk[0 .. ncols] with 0 = brk[0] <= brk[1] <= ... <= brk[ncols] = n: column k holds
 * lines brk[k] to brk[k + 1] - 1 (a column is empty only when the lines have run out). The
 * tallest column is as short as possible, then the shortest as tall as possible; breaks
 * between items are preferred, then breaks that leave two lines of an item on each side,
 * whenever they keep the column bottoms within h + g of each other. Columns taller than cap
 * are not considered (when every split has one, the lines are shared out evenly). Scratch
 * memory comes from a. Returns the height of the tallest column. */
double rp_cheatsheet_balance(rp_arena *a, const unsigned char *starts, size_t n, size_t ncols,
                             double h, double g, double cap, size_t *brk);

#endif
