/* linebreak: total-fit (Knuth-Plass) line breaking over boxes, glue and penalties, with a
 * first-fit breaker as fallback. */
#include "linebreak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define SOFT_HYPHEN 0x00AD
#define EPSILON 0.001 /* points; absorbs rounding in width sums */

/* Word spaces stretch by half their width per unit of the adjustment ratio r, so r = 1.2
 * is 1.6x the natural space; they shrink to at most 0.8x. */
#define SPACE_STRETCH 0.5
#define SPACE_SHRINK 0.2
/* Justified lines may also space their letters out by up to this many ems per glyph per
 * unit of r (0.018 em at r = 1.2), as careful typesetters do (pdfTeX's microtype expands
 * glyphs by up to 2 %): a line of long words then needs less space between them. */
#define TRACK_STRETCH 0.015
#define TRACK_MAX_RATIO 1.2 /* letters space out no further; beyond, only spaces stretch */
/* Ragged lines measure their slack against this much white space at the line end. */
#define RAGGED_EMS 5.0

/* Demerits, as in TeX: a line's demerits are (line penalty + badness)^2 + penalty^2. */
#define LINE_PENALTY 10.0
#define HYPHEN_PENALTY 50.0         /* breaking at a hyphenation point or soft hyphen */
#define EX_HYPHEN_PENALTY 50.0      /* breaking after an explicit hyphen or dash */
#define RAGGED_HYPHEN_PENALTY 150.0 /* ragged lines need hyphens far less */
#define DOUBLE_HYPHEN_DEMERITS 10000.0
#define FINAL_HYPHEN_DEMERITS 5000.0 /* the last full line ends with a hyphen */
#define ADJ_DEMERITS 10000.0         /* fitness classes of neighbouring lines two apart */
#define RUNT_DEMERITS 20000.0        /* a paragraph's last line shorter than RUNT_EMS */
#define RUNT_EMS 3.0
#define MAX_HYPHENS_IN_A_ROW 2
#define INF_BAD                                                                                    \
    10000.0              /* badness of a line that cannot stretch enough (TeX's "infinitely bad")  \
                          */
#define INF_RATIO 4.6416 /* the adjustment ratio with that badness: 100 r^3 = 10000 */

typedef enum { EL_BOX, EL_GLUE, EL_BREAK } el_kind;

/* One element of a paragraph: a piece of a word in one style, a space, or a place inside a
 * word where a line may end (after a hyphen or dash, or at a soft hyphen or hyphenation
 * point). A box's width includes the kerning with the box after it when only a break
 * element separates them; that break's width undoes it if the line ends there. */
typedef struct elem {
    el_kind kind;
    const char *text; /* EL_BOX: points into the run's text (never across a soft hyphen) */
    size_t len;
    const rp_run *run;    /* style */
    double w;             /* width; EL_BREAK: the width added when the line ends here */
    int glyphs;           /* EL_BOX: code points, each of which may be spaced out */
    int soft;             /* EL_BREAK: 1 = a hyphen is added if the line ends here, 0 = after an
                             explicit hyphen, -1 = forced (first fit only) */
    uint32_t first, last; /* EL_BOX: first and last code points */
} elem;

/* The paragraph's elements: working memory (malloc'd), freed when the paragraph is set. */
typedef struct elems {
    elem *v;
    size_t n, cap;
} elems;

static elem *push(elems *e, el_kind kind, const rp_run *run)
{
    elem *el = rp_grow((void **)&e->v, &e->cap, e->n, sizeof *el);
    memset(el, 0, sizeof *el);
    el->kind = kind;
    el->run = run;
    e->n++;
    return el;
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Characters after which a line may end inside a word. */
static int breaks_after(uint32_t c)
{
    return c == '-' || c == 0x2013 || c == 0x2014 || c == '/';
}

/* Letters of the scripts the pattern dictionaries cover (Latin, Greek, Cyrillic). */
static int is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x52F);
}

static double hyphen_width(rp_fonts *f, const rp_run *r)
{
    return rp_fonts_advance(f, r->face, '-') * r->size / 1000.0;
}

static void push_box(elems *e, rp_fonts *f, const rp_run *r, const char *s, size_t len)
{
    if (len == 0)
        return;
    elem *el = push(e, EL_BOX, r);
    el->text = s;
    el->len = len;
    el->w = rp_fonts_width(f, r->face, r->size, s, len);
    size_t k;
    el->first = rp_utf8_next(s, len, &k);
    el->last = el->first;
    el->glyphs = 1;
    for (size_t i = k; i < len; i += k, el->glyphs++)
        el->last = rp_utf8_next(s + i, len - i, &k);
}

static void push_hyphen_point(elems *e, rp_fonts *f, const rp_run *r)
{
    elem *b = push(e, EL_BREAK, r);
    b->soft = 1;
    b->w = hyphen_width(f, r);
}

/* A piece of a word: boxes, split at the dictionary's hyphenation points of each run of
 * letters when h is set. */
static void push_piece(elems *e, rp_fonts *f, const rp_run *r, const char *s, size_t len,
                       rp_hyph *h)
{
    size_t start = 0, i = 0, k;
    while (h && i < len) {
        while (i < len && !is_letter(rp_utf8_next(s + i, len - i, &k)))
            i += k;
        size_t word = i;
        while (i < len && is_letter(rp_utf8_next(s + i, len - i, &k)))
            i += k;
        size_t at[32];
        size_t n = rp_hyph_points(h, s + word, i - word, at, sizeof at / sizeof at[0]);
        for (size_t j = 0; j < n; j++) {
            push_box(e, f, r, s + start, word + at[j] - start);
            push_hyphen_point(e, f, r);
            start = word + at[j];
        }
    }
    push_box(e, f, r, s + start, len - start);
}

/* May the dictionary hyphenate this token (text between spaces)? Not if it carries its
 * own soft hyphens or non-breaking hyphens (the author has said where it may break, or
 * that it must not), nor addresses, paths and names with digits. */
static int auto_hyphenate(const char *s, size_t len)
{
    size_t k;
    for (size_t i = 0; i < len; i += k) {
        uint32_t c = rp_utf8_next(s + i, len - i, &k);
        if (c == SOFT_HYPHEN || c == 0x2011 || c == '/' || c == '@' || c == ':' || c == '_' ||
            (c >= '0' && c <= '9'))
            return 0;
    }
    return 1;
}

/* Split one token (no spaces) into boxes and break points. */
static void scan_token(elems *e, rp_fonts *f, const rp_run *r, const char *s, size_t n, rp_hyph *h)
{
    rp_hyph *hy = h && auto_hyphenate(s, n) ? h : NULL;
    size_t start = 0, k;
    for (size_t i = 0; i < n; i += k) {
        uint32_t c = rp_utf8_next(s + i, n - i, &k);
        if (c == SOFT_HYPHEN) {
            push_piece(e, f, r, s + start, i - start, hy);
            if (e->n > 0 && e->v[e->n - 1].kind == EL_BOX)
                push_hyphen_point(e, f, r);
            start = i + k;
        } else if (breaks_after(c) && i + k < n) {
            push_piece(e, f, r, s + start, i + k - start, hy);
            push(e, EL_BREAK, r);
            start = i + k;
        }
    }
    push_piece(e, f, r, s + start, n - start, hy);
}

/* Split one run into elements. */
static void scan_run(elems *e, rp_fonts *f, const rp_run *r, rp_hyph *h)
{
    const char *s = r->text;
    size_t n = strlen(s), start = 0, k;
    for (size_t i = 0; i < n; i += k) {
        uint32_t c = rp_utf8_next(s + i, n - i, &k);
        if (!is_space(c))
            continue;
        scan_token(e, f, r, s + start, i - start, h);
        if (e->n == 0 || e->v[e->n - 1].kind != EL_GLUE) {
            elem *g = push(e, EL_GLUE, r);
            g->w = rp_fonts_advance(f, r->face, ' ') * r->size / 1000.0;
        }
        start = i + k;
    }
    scan_token(e, f, r, s + start, n - start, h);
}

/* Same face, size and colour: text that may share one fragment. */
static int same_ink(int fa, double sa, rp_color ca, int fb, double sb, rp_color cb)
{
    return fa == fb && sa == sb && ca.r == cb.r && ca.g == cb.g && ca.b == cb.b;
}

static int same_style(const rp_run *a, const rp_run *b)
{
    return same_ink(a->face, a->size, a->color, b->face, b->size, b->color);
}

/* Kerning between boxes that end up in one fragment when no line ends between them: the
 * first box carries it; a break between them gives it back, and a hyphen added there
 * brings its own. So any choice of breaks measures exactly what is drawn. */
static void kern_boxes(elems *e, rp_fonts *f)
{
    for (size_t i = 0; i < e->n; i++) {
        elem *a = &e->v[i];
        if (a->kind != EL_BOX)
            continue;
        size_t j = i + 1;
        elem *brk = j < e->n && e->v[j].kind == EL_BREAK ? &e->v[j++] : NULL;
        if (j >= e->n || e->v[j].kind != EL_BOX || !same_style(a->run, e->v[j].run))
            continue;
        double scale = a->run->size / 1000.0;
        double k = rp_fonts_kern(f, a->run->face, a->last, e->v[j].first) * scale;
        a->w += k;
        if (brk) {
            brk->w -= k;
            if (brk->soft > 0)
                brk->w += rp_fonts_kern(f, a->run->face, a->last, '-') * scale;
        }
    }
}

/* ---- emitting lines ---- */

/* The fragments of the line being built (working memory, reused from line to line). */
typedef struct line_buf {
    rp_frag *v;
    size_t n, cap;
} line_buf;

/* Start a new fragment at x. */
static void new_frag(rp_arena *a, line_buf *lb, const rp_run *r, const char *text, size_t len,
                     double x, double w, double track)
{
    rp_frag *fr = rp_grow((void **)&lb->v, &lb->cap, lb->n, sizeof *fr);
    fr->text = rp_arena_strndup(a, text, len);
    fr->face = r->face;
    fr->size = r->size;
    fr->color = r->color;
    fr->x = x;
    fr->w = w;
    fr->track = track;
    lb->n++;
}

/* One paragraph being set. The lines, the line being built and the text of the fragment
 * being built are working memory (malloc'd, freed when the paragraph is set); what is
 * returned is copied into the arena at its exact size. */
typedef struct breaker {
    rp_fonts *fonts;
    rp_arena *a;
    const elems *e;
    double width;
    int justify;
    rp_line *lines;
    size_t nlines, cap;
    line_buf lb;
    char *buf; /* text of the fragment being built */
    size_t buf_len, buf_cap;
} breaker;

static void buf_add(breaker *bk, const char *s, size_t len)
{
    while (bk->buf_len + len + 1 > bk->buf_cap)
        rp_grow((void **)&bk->buf, &bk->buf_cap, bk->buf_cap, 1);
    memcpy(bk->buf + bk->buf_len, s, len);
    bk->buf_len += len;
}

/* How many of box i's glyphs are followed by letter spacing on a line ending before end
 * at brk: all but the last glyph of each fragment (drawn pieces are placed one by one,
 * so spacing after a fragment's last glyph would only widen the gap after it). A hyphen
 * the break adds follows the last box's last glyph. */
static int track_units(const elem *v, size_t i, size_t end, const elem *brk)
{
    size_t j = i + 1;
    while (j < end && v[j].kind == EL_BREAK)
        j++;
    if (j >= end)
        return brk && brk->kind == EL_BREAK && brk->soft > 0 ? v[i].glyphs : v[i].glyphs - 1;
    return v[j].kind == EL_BOX && same_style(v[j].run, v[i].run) ? v[i].glyphs : v[i].glyphs - 1;
}

/* Emit elements [s, end) as one line ending at break element brk (NULL at the end of the
 * paragraph). */
static void emit(breaker *bk, size_t s, size_t end, const elem *brk)
{
    const elem *v = bk->e->v;
    while (s < end && v[s].kind != EL_BOX)
        s++;
    while (end > s && v[end - 1].kind != EL_BOX)
        end--;
    double natural = 0, glue = 0, track = 0; /* track: letter-spacing capacity per r */
    int nglue = 0;
    for (size_t i = s; i < end; i++) {
        natural += v[i].kind == EL_BREAK ? 0 : v[i].w;
        if (v[i].kind == EL_GLUE)
            glue += v[i].w, nglue++;
        else if (v[i].kind == EL_BOX)
            track += track_units(v, i, end, brk) * TRACK_STRETCH * v[i].run->size;
    }
    double brk_w = brk && brk->kind == EL_BREAK && brk->soft >= 0 && end > s ? brk->w : 0;
    natural += brk_w;
    /* justified lines fill the measure; a paragraph's last line only shrinks if needed */
    int shrinkable = natural - bk->width <= glue * SPACE_SHRINK + EPSILON;
    int spread =
        bk->justify && nglue > 0 && glue > 0 &&
        (brk ? natural < bk->width || shrinkable : natural > bk->width + EPSILON && shrinkable);
    /* the adjustment ratio: spaces change by r times their stretch or shrink, and on
     * stretched lines each glyph is followed by r * TRACK_STRETCH em more */
    double r = !spread               ? 0
               : natural < bk->width ? (bk->width - natural) / (glue * SPACE_STRETCH + track)
                                     : (bk->width - natural) / (glue * SPACE_SHRINK);
    double rt = r > TRACK_MAX_RATIO ? TRACK_MAX_RATIO : r > 0 ? r : 0;
    double ems = rt * TRACK_STRETCH; /* letter spacing, ems */
    if (ems < 5e-5)
        ems = 0, rt = 0; /* under 0.0005 pt at 10 pt: not worth an operator */
    double space = !spread ? 1
                   : r > 0 ? 1 + (bk->width - natural - track * rt) / glue
                           : 1 + r * SPACE_SHRINK;
    line_buf *lb = &bk->lb;
    lb->n = 0;
    double x = 0, frag_x = 0, frag_w = 0;
    const rp_run *frag_run = NULL;
    bk->buf_len = 0;
    for (size_t i = s; i <= end; i++) {
        const elem *el = i < end ? &v[i] : NULL;
        /* does el continue the current fragment? */
        int joins =
            el && frag_run &&
            ((el->kind == EL_BOX && same_style(el->run, frag_run)) || el->kind == EL_BREAK ||
             (el->kind == EL_GLUE && !spread && i + 1 < end && same_style(el->run, frag_run) &&
              same_style(v[i + 1].run, frag_run)));
        if (frag_run && !joins) {
            if (!el && brk && brk->soft > 0) { /* the hyphen the break adds */
                buf_add(bk, "-", 1);
                frag_w += brk_w;
            } else if (!el) {
                frag_w += brk_w;
            }
            new_frag(bk->a, lb, frag_run, bk->buf, bk->buf_len, frag_x, frag_w,
                     ems * frag_run->size);
            frag_run = NULL;
            bk->buf_len = 0;
        }
        if (!el)
            break;
        if (el->kind == EL_GLUE) {
            double gw = el->w * space;
            if (frag_run) {
                buf_add(bk, " ", 1);
                frag_w += gw;
            }
            x += gw;
        } else if (el->kind == EL_BOX) {
            if (!frag_run) {
                frag_run = el->run;
                frag_x = x;
                frag_w = 0;
            }
            double bw = el->w + track_units(v, i, end, brk) * ems * el->run->size;
            buf_add(bk, el->text, el->len);
            frag_w += bw;
            x += bw;
        }
    }
    rp_line *ln = rp_grow((void **)&bk->lines, &bk->cap, bk->nlines, sizeof *ln);
    memset(ln, 0, sizeof *ln);
    if (lb->n) {
        ln->frags = rp_arena_alloc(bk->a, lb->n * sizeof *ln->frags);
        memcpy(ln->frags, lb->v, lb->n * sizeof *ln->frags);
    }
    ln->nfrags = lb->n;
    ln->width = spread ? bk->width : natural;
    ln->stretch = space;
    ln->excess = natural > bk->width + EPSILON && !spread ? natural - bk->width : 0;
    ln->overfull = ln->excess > 0;
    ln->forced = brk && brk->soft < 0;
    ln->hyphenated = brk && brk->soft > 0;
    ln->spread = spread;
    ln->spaces = nglue;
    for (size_t i = 0; i < lb->n; i++) {
        double asc = rp_fonts_ascent(bk->fonts, lb->v[i].face) * lb->v[i].size / 1000.0;
        double desc = -rp_fonts_descent(bk->fonts, lb->v[i].face) * lb->v[i].size / 1000.0;
        ln->ascent = asc > ln->ascent ? asc : ln->ascent;
        ln->descent = desc > ln->descent ? desc : ln->descent;
    }
    bk->nlines++;
}

/* ---- first fit ---- */

/* Insert element x at position i. */
static void insert_at(elems *e, size_t i, elem x)
{
    push(e, EL_BREAK, x.run);
    memmove(&e->v[i + 1], &e->v[i], (e->n - 1 - i) * sizeof *e->v);
    e->v[i] = x;
}

/* A box wider than the whole measure: cut it after the longest prefix that fits the
 * measure (at least one character) and put a forced break point after the prefix. */
static void split_box(breaker *bk, elems *e, size_t i)
{
    elem *el = &e->v[i];
    const rp_run *r = el->run;
    size_t cut = 0, k;
    double w = 0;
    uint32_t last = 0;
    for (size_t j = 0; j < el->len; j += k) {
        uint32_t c = rp_utf8_next(el->text + j, el->len - j, &k);
        double cw = rp_fonts_advance(bk->fonts, r->face, c) * r->size / 1000.0;
        if (cut > 0 && w + cw > bk->width + EPSILON)
            break;
        w += cw;
        cut = j + k;
        last = c;
    }
    if (cut >= el->len)
        return;
    elem tail = *el;
    tail.text = el->text + cut;
    tail.len = el->len - cut;
    tail.w = el->w - w; /* by subtraction: re-measuring made long tokens quadratic */
    tail.first = rp_utf8_next(tail.text, tail.len, &k);
    el->len = cut;
    el->w = w;
    el->last = last;
    insert_at(e, i + 1, tail);
    insert_at(e, i + 1, (elem){.kind = EL_BREAK, .run = r, .soft = -1});
}

/* Find where the line starting at element start ends: the index of the break element
 * (glue or break point) to end it at, or e->n if the rest fits. May split or insert
 * elements when no legal break exists. */
static size_t find_break(breaker *bk, elems *e, size_t start)
{
    double w = 0;
    long brk = -1;
    for (size_t i = start; i < e->n; i++) {
        const elem *el = &e->v[i];
        if (el->kind == EL_GLUE) {
            brk = w > 0 ? (long)i : brk;
            w += w > 0 ? el->w : 0;
        } else if (el->kind == EL_BREAK) {
            brk = w > 0 && w + el->w <= bk->width + EPSILON ? (long)i : brk;
        } else if (w + el->w > bk->width + EPSILON) {
            if (brk >= 0)
                return (size_t)brk;
            if (w > 0) { /* a word in several styles: end the line between two of them */
                insert_at(e, i, (elem){.kind = EL_BREAK, .run = el->run, .soft = -1});
                return i;
            }
            split_box(bk, e, i);
            return i + 1 < e->n ? i + 1 : e->n;
        } else {
            w += el->w;
        }
    }
    return e->n;
}

static void first_fit(breaker *bk, elems *e)
{
    size_t start = 0;
    while (start < e->n) {
        size_t brk = find_break(bk, e, start);
        if (brk >= e->n) {
            emit(bk, start, e->n, NULL);
            break;
        }
        emit(bk, start, brk, &e->v[brk]);
        start = brk + 1;
        while (start < e->n && e->v[start].kind == EL_GLUE)
            start++;
    }
}

/* ---- total fit ---- */

/* A feasible break: the best way found to end a line at element pos (pos == n: the end of
 * the paragraph; the start of the paragraph is a node with pos == SIZE_MAX). */
typedef struct node {
    size_t pos;
    size_t start; /* first element of the line after this break */
    int fitness;  /* 0 tight, 1 decent, 2 loose, 3 very loose */
    int hyphens;  /* lines ending in a hyphen in a row, up to and including this one */
    double total; /* demerits of the paragraph up to here */
    size_t prev;  /* index of the node the line before ended at */
    int active;
} node;

typedef struct kp {
    const elems *e;
    double width, ragged; /* ragged: white space allowed at a ragged line's end, else 0 */
    double runt;          /* a last line shorter than this is a runt */
    double tolerance;     /* largest adjustment ratio accepted */
    double *sw, *sy, *sz; /* prefix sums of width, stretch, shrink over boxes and glue */
    node *nodes;
    size_t nnodes, cap;
    size_t *active; /* indexes of active nodes */
    size_t nactive;
} kp;

static int kp_add_node(kp *k, node nd)
{
    if (k->nnodes == k->cap) {
        size_t ncap = k->cap ? k->cap * 2 : 64;
        node *p = realloc(k->nodes, ncap * sizeof *p);
        size_t *q = realloc(k->active, ncap * sizeof *q);
        if (p)
            k->nodes = p;
        if (q)
            k->active = q;
        if (!p || !q)
            return 0;
        k->cap = ncap;
    }
    k->nodes[k->nnodes] = nd;
    k->active[k->nactive++] = k->nnodes++;
    return 1;
}

/* The first element of a line after a break at pos. */
static size_t line_start(const elems *e, size_t pos)
{
    size_t i = pos + 1;
    while (i < e->n && e->v[i].kind != EL_BOX)
        i++;
    return i;
}

static int fitness_of(double r)
{
    return r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1.0 ? 2 : 3;
}

/* Try ending lines at break b (element index; n = end of paragraph) from every active node;
 * returns 0 if out of memory. */
static int kp_try(kp *k, size_t b)
{
    const elems *e = k->e;
    const elem *el = b < e->n ? &e->v[b] : NULL;
    int flagged = el && el->kind == EL_BREAK;
    double pen = !flagged        ? 0
                 : el->soft <= 0 ? EX_HYPHEN_PENALTY
                 : k->ragged > 0 ? RAGGED_HYPHEN_PENALTY
                                 : HYPHEN_PENALTY;
    double brk_w = flagged ? el->w : 0;
    /* best candidate per fitness class and hyphens-in-a-row count */
    double best[4][MAX_HYPHENS_IN_A_ROW + 1];
    size_t from[4][MAX_HYPHENS_IN_A_ROW + 1];
    for (int f = 0; f < 4; f++)
        for (int h = 0; h <= MAX_HYPHENS_IN_A_ROW; h++)
            best[f][h] = INFINITY;
    size_t kept = 0;
    for (size_t ai = 0; ai < k->nactive; ai++) {
        node *a = &k->nodes[k->active[ai]];
        double L = k->sw[b] - k->sw[a->start] + brk_w;
        double r;
        if (L < k->width - EPSILON) {
            double Y = k->ragged > 0 ? k->ragged : k->sy[b] - k->sy[a->start];
            r = !el ? 0 : Y > 0 ? (k->width - L) / Y : INFINITY;
        } else if (L > k->width + EPSILON) {
            double Z = k->sz[b] - k->sz[a->start];
            r = Z > 0 ? (k->width - L) / Z : -INFINITY;
        } else {
            r = 0;
        }
        /* a line that is too long now only gets longer: drop the node (at the end of the
         * paragraph every node is dropped anyway) */
        int drop = r < -1 && k->sw[b] - k->sw[a->start] > k->width + EPSILON;
        if (!drop && el)
            k->active[kept++] = k->active[ai];
        if (r < -1 || r > k->tolerance)
            continue;
        if (flagged && a->hyphens >= MAX_HYPHENS_IN_A_ROW)
            continue;
        double bad = fabs(r) >= INF_RATIO ? INF_BAD : 100.0 * fabs(r) * r * r;
        double d = (LINE_PENALTY + bad) * (LINE_PENALTY + bad) + pen * pen;
        if (flagged && a->hyphens > 0)
            d += DOUBLE_HYPHEN_DEMERITS;
        if (!el && a->hyphens > 0)
            d += FINAL_HYPHEN_DEMERITS;
        if (!el && a->pos != (size_t)-1 && L < k->runt)
            d += RUNT_DEMERITS; /* "it." alone on the last line */
        int fit = fitness_of(r);
        if (a->pos != (size_t)-1 && abs(fit - a->fitness) > 1)
            d += ADJ_DEMERITS;
        int h = flagged ? a->hyphens + 1 : 0;
        if (a->total + d < best[fit][h]) {
            best[fit][h] = a->total + d;
            from[fit][h] = (size_t)(a - k->nodes);
        }
    }
    k->nactive = kept;
    size_t start = el ? line_start(e, b) : e->n;
    for (int f = 0; f < 4; f++)
        for (int h = 0; h <= MAX_HYPHENS_IN_A_ROW; h++)
            if (best[f][h] < INFINITY &&
                !kp_add_node(k, (node){b, start, f, h, best[f][h], from[f][h], 1}))
                return 0;
    return 1;
}

/* Total fit with the given tolerance; on success returns the node at the end of the
 * paragraph, else SIZE_MAX. */
static size_t kp_run(kp *k)
{
    const elems *e = k->e;
    k->nnodes = k->nactive = 0;
    if (!kp_add_node(k, (node){(size_t)-1, line_start(e, (size_t)-1), 1, 0, 0, 0, 1}))
        return (size_t)-1;
    for (size_t b = 0; b < e->n && k->nactive > 0; b++) {
        const elem *el = &e->v[b];
        int legal = (el->kind == EL_GLUE && b > 0 && e->v[b - 1].kind == EL_BOX) ||
                    (el->kind == EL_BREAK && b > 0 && e->v[b - 1].kind == EL_BOX);
        if (legal && !kp_try(k, b))
            return (size_t)-1;
    }
    size_t first_end = k->nnodes;
    if (k->nactive == 0 || !kp_try(k, e->n))
        return (size_t)-1;
    size_t best = (size_t)-1;
    for (size_t i = first_end; i < k->nnodes; i++)
        if (k->nodes[i].pos == e->n &&
            (best == (size_t)-1 || k->nodes[i].total < k->nodes[best].total))
            best = i;
    return best;
}

/* Break the paragraph by total fit, trying the adjustment-ratio tolerances tol[0..ntol)
 * in turn; 0 if no set of breaks keeps every line within them. */
static int total_fit(breaker *bk, const elems *e, double ragged, double em, const double *tol,
                     size_t ntol)
{
    kp k = {0};
    k.e = e;
    k.width = bk->width;
    k.ragged = ragged;
    k.runt = RUNT_EMS * em;
    k.sw = malloc((e->n + 1) * 3 * sizeof *k.sw);
    if (!k.sw)
        return 0;
    k.sy = k.sw + e->n + 1;
    k.sz = k.sy + e->n + 1;
    k.sw[0] = k.sy[0] = k.sz[0] = 0;
    for (size_t i = 0; i < e->n; i++) {
        const elem *el = &e->v[i];
        int glue = el->kind == EL_GLUE;
        k.sw[i + 1] = k.sw[i] + (el->kind == EL_BREAK ? 0 : el->w);
        k.sy[i + 1] = k.sy[i] + (ragged               ? 0
                                 : glue               ? el->w * SPACE_STRETCH
                                 : el->kind == EL_BOX ? el->glyphs * TRACK_STRETCH * el->run->size
                                                      : 0);
        k.sz[i + 1] = k.sz[i] + (glue && !ragged ? el->w * SPACE_SHRINK : 0);
    }
    size_t end = (size_t)-1;
    for (size_t t = 0; t < ntol && end == (size_t)-1; t++) {
        k.tolerance = tol[t];
        end = kp_run(&k);
    }
    if (end != (size_t)-1) {
        size_t nb = 0;
        for (size_t i = end; k.nodes[i].pos != (size_t)-1; i = k.nodes[i].prev)
            nb++;
        size_t *breaks = malloc((nb ? nb : 1) * sizeof *breaks);
        if (!breaks) {
            end = (size_t)-1;
        } else {
            size_t j = nb;
            for (size_t i = end; k.nodes[i].pos != (size_t)-1; i = k.nodes[i].prev)
                breaks[--j] = k.nodes[i].pos;
            size_t start = 0;
            for (size_t i = 0; i < nb; i++) {
                emit(bk, start, breaks[i], breaks[i] < e->n ? &e->v[breaks[i]] : NULL);
                start = breaks[i] + 1;
            }
            free(breaks);
        }
    }
    free(k.sw);
    free(k.nodes);
    free(k.active);
    return end != (size_t)-1;
}

/* The paragraph's elements into e (emptied first), with the dictionary's hyphenation
 * points if h is set. */
static void scan(elems *e, rp_fonts *fonts, const rp_run *runs, size_t nruns, rp_hyph *h)
{
    e->n = 0;
    for (size_t r = 0; r < nruns; r++)
        scan_run(e, fonts, &runs[r], h);
    kern_boxes(e, fonts);
}

/* Can total fit run: no box wider than the measure? em: the largest size. */
static int feasible(const elems *e, double width, double *em)
{
    int fits = 1;
    *em = 0;
    for (size_t i = 0; i < e->n; i++) {
        fits = fits && (e->v[i].kind != EL_BOX || e->v[i].w <= width + EPSILON);
        *em = e->v[i].run->size > *em ? e->v[i].run->size : *em;
    }
    return fits;
}

rp_lines rp_break(rp_fonts *fonts, rp_arena *a, const rp_run *runs, size_t nruns,
                  const rp_break_opts *o)
{
    /* As TeX does, a paragraph is first set without the dictionary's hyphens, keeping only
     * lines a reader would call good (spaces within 1.5x); only when that fails are words
     * hyphenated, and then the lines may be good, looser, or anything. */
    static const double pre[] = {(RP_SPACE_PRE - 1) / SPACE_STRETCH};
    static const double full[] = {(RP_SPACE_GOOD - 1) / SPACE_STRETCH,
                                  (RP_SPACE_LOOSE - 1) / SPACE_STRETCH, INFINITY};
    breaker bk = {0};
    bk.fonts = fonts;
    bk.a = a;
    bk.width = o->width;
    bk.justify = o->justify;
    double em = 0;
    elems e = {0};
    scan(&e, fonts, runs, nruns, NULL);
    bk.e = &e;
    int any = 0;
    for (size_t i = 0; i < e.n && !any; i++)
        any = e.v[i].kind == EL_BOX;
    rp_lines out = {NULL, 0, 0};
    if (!any)
        goto out;
    int ok = !o->greedy && feasible(&e, o->width, &em);
    double ragged = o->justify ? 0 : RAGGED_EMS * em;
    int done = ok && o->hyph && total_fit(&bk, &e, ragged, em, pre, 1);
    if (!done && ok && o->hyph) { /* again with the hyphenation points */
        scan(&e, fonts, runs, nruns, o->hyph);
        ok = feasible(&e, o->width, &em);
    }
    if (!done && ok)
        done = total_fit(&bk, &e, ragged, em, full, sizeof full / sizeof full[0]);
    if (!done) {
        bk.nlines = 0;
        first_fit(&bk, &e);
    }
    out.nlines = bk.nlines;
    out.fallback = !done && !o->greedy;
    if (bk.nlines) {
        out.lines = rp_arena_alloc(a, bk.nlines * sizeof *out.lines);
        memcpy(out.lines, bk.lines, bk.nlines * sizeof *out.lines);
    }
out:
    free(e.v);
    free(bk.lines);
    free(bk.lb.v);
    free(bk.buf);
    return out;
}

double rp_runs_width(rp_fonts *fonts, const rp_run *runs, size_t nruns)
{
    double w = 0;
    for (size_t r = 0; r < nruns; r++)
        w += rp_fonts_width(fonts, runs[r].face, runs[r].size, runs[r].text, strlen(runs[r].text));
    return w;
}
