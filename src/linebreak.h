/* linebreak: paragraphs -> lines, measured with the font's real advance widths and kerning.
 *
 * Input is a sequence of styled runs (text + face + size + colour); output is lines of
 * positioned fragments. A paragraph is a list of boxes (word pieces), glue (word spaces
 * that may stretch and shrink) and penalties (places inside a word where a line may end:
 * after a hyphen or dash, at a soft hyphen, at a hyphenation point of the dictionary).
 * Lines are chosen by Knuth and Plass's total-fit method: of all ways to break the
 * paragraph, the one with the least total demerits, where a line's demerits grow with the
 * cube of how far its spaces are stretched or shrunk, with each hyphen, with two hyphens in
 * a row and with a loose line next to a tight one. Ragged text is broken the same way
 * against a fixed amount of white space at the line end. The first-fit (greedy) breaker
 * remains for paragraphs no total-fit solution exists for (a token wider than the measure,
 * split between letters and reported as overfull) and for comparison.
 * Justified lines spread the line's slack over its word spaces; the last line of a
 * paragraph and ragged text keep natural spacing. This stage knows nothing of pages. */
#ifndef RP_LINEBREAK_H
#define RP_LINEBREAK_H

#include <stddef.h>

#include "arena.h"
#include "fonts.h"
#include "hyph.h"
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
    double x;     /* offset from the line start */
    double w;     /* advance width */
    double track; /* letter spacing: points added after each glyph (justified lines) */
} rp_frag;

typedef struct rp_line {
    rp_frag *frags;
    size_t nfrags;
    double width;   /* natural width of the line's content */
    double ascent;  /* largest ascent of its fragments, points (positive) */
    double descent; /* largest descent, points (positive) */
    double stretch; /* word-space ratio to the natural space (1 = natural) */
    double excess;  /* overfull: points the content exceeds the measure by */
    int overfull;   /* the line is wider than the measure */
    int forced;     /* the line ends inside a token that had no legal break */
    int hyphenated; /* the line ends with a hyphen the breaker added */
    int spread;     /* justified: the spaces were stretched or shrunk to fill the measure */
    int spaces;     /* number of word spaces in the line */
} rp_line;

typedef struct rp_lines {
    rp_line *lines;
    size_t nlines;
    int fallback; /* total fit found no solution: broken first-fit */
} rp_lines;

typedef struct rp_break_opts {
    double width;  /* the measure, points */
    int justify;   /* stretch word spaces to fill lines (not the last) */
    rp_hyph *hyph; /* hyphenate words with these patterns; NULL: only at soft hyphens */
    int greedy;    /* first fit instead of total fit (for comparison) */
} rp_break_opts;

/* Word spaces may stretch to this many times their natural width before the breaker
 * settles for looser lines (a second pass), and beyond the second limit a line is
 * reported as underfull. */
#define RP_SPACE_PRE 1.5 /* without hyphenation, a paragraph must do this well */
#define RP_SPACE_GOOD 1.6
#define RP_SPACE_LOOSE 2.0

/* Break runs into lines. Returns the lines (arena-owned). Never fails: an unbreakable
 * token wider than the measure is split between characters and its line marked forced. */
rp_lines rp_break(rp_fonts *fonts, rp_arena *a, const rp_run *runs, size_t nruns,
                  const rp_break_opts *opts);

/* Natural width of the runs set on one line (no breaking). */
double rp_runs_width(rp_fonts *fonts, const rp_run *runs, size_t nruns);

#endif
