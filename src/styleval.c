/* styleval: lengths, colours and names of a style, parsed and formatted locale-independently. */
#include "styleval.h"

#include <stdio.h>
#include <string.h>

#include "style.h"

#define MAX_DIGITS 9   /* digits of a number: fits a long, more than any length needs */
#define SUGGEST_MAX 64 /* longest word compared for suggestions (ids are at most 64) */

/* ---- lengths ------------------------------------------------------------------------- */

static const struct {
    const char *name;
    double num, den; /* points = value * num / den; relative units give a factor */
    int rel;
} units[] = {{"pt", 1, 1, 0},  {"mm", 72, 25.4, 0}, {"cm", 72, 2.54, 0},
             {"in", 72, 1, 0}, {"em", 1, 1, 1},     {"%", 1, 100, 1}};

/* Parses digits, then optionally '.' and digits, at *s (no sign, no exponent). */
static int parse_decimal(const char **s, double *v)
{
    const char *p = *s;
    long mant = 0, scale = 1;
    int ndigits = 0, nfrac = -1;
    for (; (*p >= '0' && *p <= '9') || (*p == '.' && nfrac < 0 && ndigits > 0); p++) {
        if (*p == '.') {
            nfrac = 0;
            continue;
        }
        if (++ndigits > MAX_DIGITS)
            return -1;
        mant = mant * 10 + (*p - '0');
        if (nfrac >= 0)
            nfrac++, scale *= 10;
    }
    if (ndigits == 0 || nfrac == 0)
        return -1;
    *v = (double)mant / (double)scale;
    *s = p;
    return 0;
}

int rp_length_parse(const char *s, double *v, int *rel)
{
    double x;
    if (!s || parse_decimal(&s, &x) < 0)
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        if (strcmp(s, units[i].name) != 0)
            continue;
        if (units[i].rel && !rel)
            return -1;
        *v = x * units[i].num / units[i].den;
        if (rel)
            *rel = units[i].rel;
        return 0;
    }
    return -1;
}

int rp_style_parse_length(const char *s, double *pt)
{
    return rp_length_parse(s, pt, NULL);
}

/* ---- colours ------------------------------------------------------------------------- */

/* CSS's sixteen basic colours, with CSS's values, and a few more CSS names that suit print. */
static const struct {
    const char *name;
    unsigned rgb;
} color_names[] = {
    {"black", 0x000000},     {"silver", 0xc0c0c0},    {"gray", 0x808080},
    {"grey", 0x808080},      {"white", 0xffffff},     {"maroon", 0x800000},
    {"red", 0xff0000},       {"purple", 0x800080},    {"fuchsia", 0xff00ff},
    {"green", 0x008000},     {"lime", 0x00ff00},      {"olive", 0x808000},
    {"yellow", 0xffff00},    {"navy", 0x000080},      {"blue", 0x0000ff},
    {"teal", 0x008080},      {"aqua", 0x00ffff},      {"orange", 0xffa500},
    {"brown", 0xa52a2a},     {"crimson", 0xdc143c},   {"darkred", 0x8b0000},
    {"darkgreen", 0x006400}, {"darkblue", 0x00008b},  {"steelblue", 0x4682b4},
    {"indigo", 0x4b0082},    {"gold", 0xffd700},      {"pink", 0xffc0cb},
    {"darkgray", 0xa9a9a9},  {"darkgrey", 0xa9a9a9},  {"dimgray", 0x696969},
    {"dimgrey", 0x696969},   {"lightgray", 0xd3d3d3}, {"lightgrey", 0xd3d3d3},
    {"slategray", 0x708090}, {"slategrey", 0x708090}, {"whitesmoke", 0xf5f5f5},
};

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

int rp_name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b))
            return 0;
    return *a == *b;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static rp_color from_rgb(unsigned hex)
{
    rp_color c = {((hex >> 16) & 0xFF) / 255.0, ((hex >> 8) & 0xFF) / 255.0, (hex & 0xFF) / 255.0};
    return c;
}

int rp_color_parse(const char *s, rp_color *c)
{
    unsigned hex = 0;
    if (!s)
        return -1;
    if (s[0] != '#') {
        for (size_t i = 0; i < sizeof color_names / sizeof *color_names; i++)
            if (rp_name_eq(s, color_names[i].name)) {
                *c = from_rgb(color_names[i].rgb);
                return 0;
            }
        return -1;
    }
    if (strlen(s) != 7)
        return -1;
    for (int i = 1; i < 7; i++) {
        int d = hex_digit(s[i]);
        if (d < 0)
            return -1;
        hex = hex << 4 | (unsigned)d;
    }
    *c = from_rgb(hex);
    return 0;
}

int rp_style_parse_color(const char *s, rp_color *c)
{
    return rp_color_parse(s, c);
}

const char *rp_color_name(size_t i, unsigned *rgb)
{
    if (i >= sizeof color_names / sizeof *color_names)
        return NULL;
    if (rgb)
        *rgb = color_names[i].rgb;
    return color_names[i].name;
}

/* ---- formatting ---------------------------------------------------------------------- */

const char *rp_points_format(double pt, char *buf, size_t n)
{
    long c = (long)(pt * 100 + (pt < 0 ? -0.5 : 0.5));
    const char *sign = c < 0 ? "-" : "";
    c = c < 0 ? -c : c;
    if (c % 100 == 0)
        snprintf(buf, n, "%s%ldpt", sign, c / 100);
    else if (c % 10 == 0)
        snprintf(buf, n, "%s%ld.%ldpt", sign, c / 100, c % 100 / 10);
    else
        snprintf(buf, n, "%s%ld.%02ldpt", sign, c / 100, c % 100);
    return buf;
}

/* ---- suggestions --------------------------------------------------------------------- */

/* Optimal string alignment distance between a and b (both at most SUGGEST_MAX long). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    size_t d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            size_t cost = lower(a[i - 1]) != lower(b[j - 1]);
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]) && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

const char *rp_suggest(const char *word, const char *const *cands, size_t n)
{
    size_t len = word ? strlen(word) : 0;
    /* a third of the word may be wrong: one slip in a short word, more in a long one */
    size_t limit = len <= 3 ? 1 : len / 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    if (len == 0 || len > SUGGEST_MAX)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i] || strlen(cands[i]) > SUGGEST_MAX)
            continue;
        size_t d = edit_distance(word, cands[i]);
        if (d < best_d)
            best = cands[i], best_d = d;
    }
    return best;
}
