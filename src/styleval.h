/* styleval: the values a style is written in, for src/style.c.
 *
 * Lengths with a unit (absolute: pt, mm, cm, in; relative to a body size: em, %), colours
 * (#rrggbb or a name), points formatted for messages, and the nearest known name to a
 * misspelt one for "did you mean" hints. Numbers are parsed by hand (digits, optional '.'
 * and digits, then a unit), never with strtod(), and formatted without printf's %f, so a
 * decimal-comma locale changes nothing. */
#ifndef RP_STYLEVAL_H
#define RP_STYLEVAL_H

#include <stddef.h>

#include "pages.h"

/* Parse a length. Absolute units give points; with relative allowed (rel not NULL), "1.2em"
 * and "120%" give the factor 1.2 and set *rel to 1 (0 for an absolute length). Returns 0,
 * or -1 if s is malformed or relative where that is not allowed (nothing stored). */
int rp_length_parse(const char *s, double *v, int *rel);

/* Parse "#rrggbb" (hex digits in either case) or a colour name (rp_color_name(), ASCII
 * case-insensitive). Returns 0, or -1 (nothing stored). */
int rp_color_parse(const char *s, rp_color *c);

/* The i-th colour name (lower case) and its value 0xrrggbb; NULL past the last one. */
const char *rp_color_name(size_t i, unsigned *rgb);

/* Nonzero if a and b are equal ignoring ASCII case (whatever the locale). */
int rp_name_eq(const char *a, const char *b);

/* pt as "10pt", "8.5pt" or "595.28pt" (at most two decimals) in buf; returns buf. */
const char *rp_points_format(double pt, char *buf, size_t n);

/* The candidate nearest to word by edit distance (insert, delete, substitute, swap two
 * neighbours; ASCII case-insensitive), if it is near enough to be a likely misspelling;
 * else NULL. */
const char *rp_suggest(const char *word, const char *const *cands, size_t n);

#endif
