/* figures: vector figures drawn from the model's data, as boxes of drawing items.
 * - horizon: each role placed on the axis from strategic/long-term to tactical/short-term;
 * - venn: the roles as overlapping circles with their traits and what they share. */
#ifndef RP_FIGURES_H
#define RP_FIGURES_H

#include "layout.h"

/* The figure as a box of the given width (caption not included). */
rp_box *rp_figure_horizon(rp_ctx *c, double width);
rp_box *rp_figure_venn(rp_ctx *c, double width);

#endif
