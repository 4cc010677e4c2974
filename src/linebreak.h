/* linebreak: paragraphs -> lines, measured with the font's real advance widths.
 *
 * Input is a sequence of styled runs (text + face + size + colour); output is lines of
 * positioned fragments. Breaks happen at spaces, after explicit hyphens and dashes inside a
 * word when needed, and inside a token only when nothing else fits (reported as overfull).
 * Justified lines spread the line's slack over its word spaces; the last line of a
 * paragraph and ragged text keep natural spacing. This stage knows nothing of pages. */
#ifndef RP_LINEBREAK_H
#define RP_LINEBREAK_H

#include <stddef.h>

#include "arena.h"
#include "fonts.h"
#include "pages.h"

typedef struct rp_run {
    const char *text; /* UTF-8; runs of spaces are word boundaries */
    int face;
    double size;
    rp_color color;
} rp_run;

typedef struct rp_frag {
    const char *text; /* arena-owned, NUL-terminated */
    int face;
    double size;
    rp_color color;
    double x; /* offset from the line start */
    double w; /* advance width */
} rp_frag;

typedef struct rp_line {
    rp_frag *frags;
    size_t nfrags;
    double width;   /* natural width of the line's content */
    double ascent;  /* largest ascent of its fragments, points (positive) */
    double descent; /* largest descent, points (positive) */
    double stretch; /* word-space ratio to the natural space (1 = natural) */
    int overfull;   /* the line is wider than the measure */
    int forced;     /* the line ends inside a token that had no legal break */
} rp_line;

typedef struct rp_lines {
    rp_line *lines;
    size_t nlines;
} rp_lines;

/* Break runs into lines of the given width. justify: 1 for justified text. Returns the
 * lines (arena-owned). Never fails: an unbreakable token wider than the measure is split
 * between characters and its line marked overfull. */
rp_lines rp_break(rp_fonts *fonts, rp_arena *a, const rp_run *runs, size_t nruns, double width,
                  int justify);

/* Natural width of the runs set on one line (no breaking). */
double rp_runs_width(rp_fonts *fonts, const rp_run *runs, size_t nruns);

#endif
