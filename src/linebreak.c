/* linebreak: greedy line breaking over boxes (text), glue (spaces) and break points. */
#include "linebreak.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define SOFT_HYPHEN 0x00AD
#define EPSILON 0.001 /* points; absorbs rounding in width sums */

typedef enum { EL_BOX, EL_GLUE, EL_BREAK } el_kind;

/* One element of a paragraph: a piece of a word in one style, a space, or a place inside a
 * word where a line may end (after a hyphen or dash, or at a soft hyphen). */
typedef struct elem {
    el_kind kind;
    const char *text; /* EL_BOX: arena copy, soft hyphens removed */
    size_t len;
    const rp_run *run; /* style */
    double w;          /* width; for EL_BREAK at a soft hyphen: the hyphen's width */
    int soft;          /* EL_BREAK: 1 = soft hyphen (add '-' if the line ends here), -1 = forced */
} elem;

typedef struct elems {
    elem *v;
    size_t n, cap;
    rp_arena *a;
} elems;

static elem *push(elems *e, el_kind kind, const rp_run *run)
{
    elem *el = rp_arena_grow(e->a, (void **)&e->v, &e->cap, e->n, sizeof *el);
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

static void push_box(elems *e, rp_fonts *f, const rp_run *r, const char *s, size_t len)
{
    if (len == 0)
        return;
    elem *el = push(e, EL_BOX, r);
    el->text = rp_arena_strndup(e->a, s, len);
    el->len = len;
    el->w = rp_fonts_width(f, r->face, r->size, s, len);
}

/* Split one run into elements. */
static void scan_run(elems *e, rp_fonts *f, const rp_run *r)
{
    const char *s = r->text;
    size_t n = strlen(s), start = 0, k;
    for (size_t i = 0; i < n; i += k) {
        uint32_t c = rp_utf8_next(s + i, n - i, &k);
        if (is_space(c)) {
            push_box(e, f, r, s + start, i - start);
            if (e->n == 0 || e->v[e->n - 1].kind != EL_GLUE) {
                elem *g = push(e, EL_GLUE, r);
                g->w = rp_fonts_advance(f, r->face, ' ') * r->size / 1000.0;
            }
            start = i + k;
        } else if (c == SOFT_HYPHEN) {
            push_box(e, f, r, s + start, i - start);
            elem *b = push(e, EL_BREAK, r);
            b->soft = 1;
            b->w = rp_fonts_advance(f, r->face, '-') * r->size / 1000.0;
            start = i + k;
        } else if (breaks_after(c) && i + k < n && !is_space((unsigned char)s[i + k])) {
            push_box(e, f, r, s + start, i + k - start);
            push(e, EL_BREAK, r);
            start = i + k;
        }
    }
    push_box(e, f, r, s + start, n - start);
}

/* ---- emitting lines ---- */

typedef struct line_buf {
    rp_frag *v;
    size_t n, cap;
} line_buf;

/* Same face, size and colour: text that may share one fragment. */
static int same_ink(int fa, double sa, rp_color ca, int fb, double sb, rp_color cb)
{
    return fa == fb && sa == sb && ca.r == cb.r && ca.g == cb.g && ca.b == cb.b;
}

static int same_style(const rp_run *a, const rp_run *b)
{
    return same_ink(a->face, a->size, a->color, b->face, b->size, b->color);
}

/* Append text to the last fragment if it has the same style and nothing separates them;
 * otherwise start a new fragment at x. */
static void add_text(rp_arena *a, line_buf *lb, const rp_run *r, const char *text, size_t len,
                     double x, double w, int join)
{
    if (!r)
        return; /* every element has a style; this keeps the analyzer sure of it */
    if (join && lb->n > 0) {
        rp_frag *last = &lb->v[lb->n - 1];
        if (same_ink(last->face, last->size, last->color, r->face, r->size, r->color)) {
            last->text = rp_arena_printf(a, "%s%.*s", last->text, (int)len, text);
            last->w += w;
            return;
        }
    }
    rp_frag *fr = rp_arena_grow(a, (void **)&lb->v, &lb->cap, lb->n, sizeof *fr);
    fr->text = rp_arena_strndup(a, text, len);
    fr->face = r->face;
    fr->size = r->size;
    fr->color = r->color;
    fr->x = x;
    fr->w = w;
    lb->n++;
}

typedef struct breaker {
    rp_fonts *fonts;
    rp_arena *a;
    const elems *e;
    double width;
    int justify;
    rp_line *lines;
    size_t nlines, cap;
} breaker;

/* Emit elements [s, end) as one line; hyphen: append a hyphen (line ends at a soft hyphen). */
static void emit(breaker *bk, size_t s, size_t end, int last, int hyphen, int forced)
{
    const elem *v = bk->e->v;
    while (s < end && v[s].kind != EL_BOX)
        s++;
    while (end > s && v[end - 1].kind != EL_BOX)
        end--;
    double natural = 0, glue = 0;
    size_t nglue = 0;
    for (size_t i = s; i < end; i++) {
        natural += v[i].kind == EL_BREAK ? 0 : v[i].w;
        if (v[i].kind == EL_GLUE)
            glue += v[i].w, nglue++;
    }
    const rp_run *tail = end > s ? v[end - 1].run : NULL;
    double hyph_w =
        hyphen && tail ? rp_fonts_advance(bk->fonts, tail->face, '-') * tail->size / 1000.0 : 0;
    natural += hyph_w;
    int spread = bk->justify && !last && nglue > 0 && natural < bk->width;
    double extra = spread ? (bk->width - natural) / (double)nglue : 0;
    line_buf lb = {0};
    double x = 0;
    int joined = 1; /* may the next box merge into the previous fragment? */
    for (size_t i = s; i < end; i++) {
        if (v[i].kind == EL_GLUE) {
            if (spread) {
                x += v[i].w + extra;
                joined = 0;
            } else if (i + 1 < end && same_style(v[i].run, v[i + 1].run) && lb.n > 0) {
                add_text(bk->a, &lb, v[i].run, " ", 1, x, v[i].w, 1);
                x += v[i].w;
            } else {
                x += v[i].w;
                joined = 0;
            }
        } else if (v[i].kind == EL_BOX) {
            add_text(bk->a, &lb, v[i].run, v[i].text, v[i].len, x, v[i].w, joined);
            x += v[i].w;
            joined = 1;
        }
    }
    if (hyph_w > 0 && tail)
        add_text(bk->a, &lb, tail, "-", 1, x, hyph_w, 1);
    rp_line *ln = rp_arena_grow(bk->a, (void **)&bk->lines, &bk->cap, bk->nlines, sizeof *ln);
    ln->frags = lb.v;
    ln->nfrags = lb.n;
    ln->width = spread ? bk->width : natural;
    ln->stretch = nglue && glue > 0 ? (glue + extra * (double)nglue) / glue : 1.0;
    ln->overfull = natural > bk->width + EPSILON;
    ln->forced = forced;
    for (size_t i = 0; i < lb.n; i++) {
        double asc = rp_fonts_ascent(bk->fonts, lb.v[i].face) * lb.v[i].size / 1000.0;
        double desc = -rp_fonts_descent(bk->fonts, lb.v[i].face) * lb.v[i].size / 1000.0;
        ln->ascent = asc > ln->ascent ? asc : ln->ascent;
        ln->descent = desc > ln->descent ? desc : ln->descent;
    }
    bk->nlines++;
}

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
    for (size_t j = 0; j < el->len; j += k) {
        uint32_t c = rp_utf8_next(el->text + j, el->len - j, &k);
        double cw = rp_fonts_advance(bk->fonts, r->face, c) * r->size / 1000.0;
        if (cut > 0 && w + cw > bk->width + EPSILON)
            break;
        w += cw;
        cut = j + k;
    }
    if (cut >= el->len)
        return;
    elem tail = *el;
    tail.text = el->text + cut;
    tail.len = el->len - cut;
    tail.w = el->w - w; /* by subtraction: re-measuring made long tokens quadratic */
    el->len = cut;
    el->w = w;
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
            double need = el->soft > 0 ? el->w : 0;
            brk = w > 0 && w + need <= bk->width + EPSILON ? (long)i : brk;
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

rp_lines rp_break(rp_fonts *fonts, rp_arena *a, const rp_run *runs, size_t nruns, double width,
                  int justify)
{
    elems e = {NULL, 0, 0, a};
    for (size_t r = 0; r < nruns; r++)
        scan_run(&e, fonts, &runs[r]);
    breaker bk = {fonts, a, &e, width, justify, NULL, 0, 0};
    size_t start = 0;
    while (start < e.n) {
        size_t brk = find_break(&bk, &e, start);
        if (brk >= e.n) {
            emit(&bk, start, e.n, 1, 0, 0);
            break;
        }
        const elem *b = &e.v[brk];
        emit(&bk, start, brk, 0, b->kind == EL_BREAK && b->soft > 0,
             b->kind == EL_BREAK && b->soft < 0);
        start = brk + 1;
        while (start < e.n && e.v[start].kind == EL_GLUE)
            start++;
    }
    return (rp_lines){bk.lines, bk.nlines};
}

double rp_runs_width(rp_fonts *fonts, const rp_run *runs, size_t nruns)
{
    double w = 0;
    for (size_t r = 0; r < nruns; r++)
        w += rp_fonts_width(fonts, runs[r].face, runs[r].size, runs[r].text, strlen(runs[r].text));
    return w;
}
