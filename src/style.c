/* style: loading a style file into plain values in points, with every problem reported.
 *
 * Loading reads and parses the file through src/xmlload.c (refusing a DOCTYPE, so no
 * entities and no DTD), walks the tree against the tables below, then checks what the
 * tables cannot (installed fonts, leading against size, margins against the paper, the
 * cheat sheet's size floor). The RELAX NG schema (styles/style.rng, compiled into the
 * program) is always run as well, also through src/xmlload.c: the walk reports every
 * problem with a precise message, while libxml2's validator stops at the first problem of
 * an element and words it vaguely, so its messages are shown only when it rejects a file
 * that the walk accepted (the two disagreeing is then a bug to fix here).
 * All messages are collected, sorted by line and emitted through rp_diag().
 *
 * Numbers are parsed by hand (digits, optional '.' and digits, then a unit), never with
 * strtod(), so a decimal-comma locale changes nothing; messages format numbers the same way.
 *
 * Built-in defaults: what a style leaves out (styles/default.xml spells out the same):
 *
 *   <page>        paper a4, orientation portrait, margin-top 20mm, margin-bottom 22mm,
 *                 margin-left 22mm, margin-right 22mm
 *   <palette>     #1f5fa8 #c2571a #2a7d4f #7b3fa0 (no <role-color> overrides)
 *   <colors>      accent #457b9d, rule #c9d1d9, muted #6a737d,
 *                 table-head-background #e8eef5, table-stripe-background #f6f8fa
 *   <spacing>     paragraph 6pt, list-indent 14pt, list-item 2pt, block 12pt,
 *                 cell-padding 4pt
 *   <cheatsheet>  orientation landscape, margin 12mm, min-size 7pt, step 0.5pt
 *   <text>        the text_defaults table below: weight and style normal and align left
 *                 unless the table says otherwise */
#include "style.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "diag.h"
#include "schemas.h"
#include "xmlload.h"

#define STYLE_NS "urn:rolepress:style:1"
#define STYLE_MAX_BYTES (1024L * 1024) /* a style is a few KB; a larger file is a mistake */
#define STYLE_SCHEMA "(built-in styles/style.rng)" /* the schema's name in messages */
#define MAX_DIGITS 9     /* digits of a number: fits a long, more than any length needs */
#define MAX_IDENT 64     /* length of a role id, as in the article schema */
#define MSG_MAX 512      /* one formatted message */
#define N_ELEMENTS 7     /* children of <style>: the elements[] table */
#define MM (72.0 / 25.4) /* points per millimetre */
#define SERIF "Noto Serif"
#define SANS "Noto Sans"

/* ---- built-in defaults ------------------------------------------------------------- */

typedef struct text_default {
    const char *role, *family;
    int bold, italic;
    double size, leading; /* points */
    unsigned color;       /* 0xrrggbb */
    double before, after; /* points */
    int justify;
} text_default;

/* One row per rp_text_role, in enum order. */
static const text_default text_defaults[RP_TS__COUNT] = {
    /* role            family  bold ital size leading color    before after justify */
    {"body", SERIF, 0, 0, 10, 14, 0x1f2328, 0, 0, 1},
    {"title", SANS, 1, 0, 24, 29, 0x1d3557, 0, 6, 0},
    {"subtitle", SANS, 0, 0, 13, 17, 0x457b9d, 0, 10, 0},
    {"meta", SANS, 0, 0, 9, 12, 0x6a737d, 0, 18, 0},
    {"heading1", SANS, 1, 0, 15, 19, 0x1d3557, 16, 6, 0},
    {"heading2", SANS, 1, 0, 12, 15, 0x1d3557, 12, 4, 0},
    {"toc", SERIF, 0, 0, 10, 15, 0x1f2328, 0, 0, 0},
    {"table", SANS, 0, 0, 8.5, 11, 0x1f2328, 0, 0, 0},
    {"table-head", SANS, 1, 0, 8.5, 11, 0x1d3557, 0, 0, 0},
    {"caption", SANS, 0, 1, 8.5, 11, 0x6a737d, 4, 0, 0},
    {"footer", SANS, 0, 0, 8, 10, 0x6a737d, 0, 0, 0},
    {"cheat-title", SANS, 1, 0, 16, 19, 0x1d3557, 0, 4, 0},
    {"cheat-heading", SANS, 1, 0, 9.5, 12, 0x1d3557, 4, 2, 0},
    {"cheat-body", SANS, 0, 0, 9, 11.5, 0x1f2328, 0, 0, 0},
};

static const unsigned palette_default[] = {0x1f5fa8, 0xc2571a, 0x2a7d4f, 0x7b3fa0};

static rp_color rgb(unsigned hex)
{
    rp_color c = {((hex >> 16) & 0xFF) / 255.0, ((hex >> 8) & 0xFF) / 255.0, (hex & 0xFF) / 255.0};
    return c;
}

static void set_text_defaults(rp_style *s)
{
    for (int r = 0; r < RP_TS__COUNT; r++) {
        const text_default *d = &text_defaults[r];
        rp_text_style *t = &s->text[r];
        t->family = d->family;
        t->bold = d->bold;
        t->italic = d->italic;
        t->size = d->size;
        t->leading = d->leading;
        t->color = rgb(d->color);
        t->space_before = d->before;
        t->space_after = d->after;
        t->align_justify = d->justify;
        for (int k = 0; k < 4; k++)
            t->faces[k] = -1;
    }
}

static void set_defaults(rp_style *s)
{
    memset(s, 0, sizeof *s);
    s->paper = "a4";
    s->margin_top = 20 * MM;
    s->margin_bottom = s->margin_left = s->margin_right = 22 * MM;
    set_text_defaults(s);
    for (size_t i = 0; i < sizeof palette_default / sizeof *palette_default; i++)
        s->palette[s->npalette++] = rgb(palette_default[i]);
    s->accent = rgb(0x457b9d);
    s->rule = rgb(0xc9d1d9);
    s->muted = rgb(0x6a737d);
    s->table_head_bg = rgb(0xe8eef5);
    s->table_stripe_bg = rgb(0xf6f8fa);
    s->paragraph_space = 6;
    s->list_indent = 14;
    s->list_item_space = 2;
    s->block_space = 12;
    s->cell_padding = 4;
    s->cheat_landscape = 1;
    s->cheat_margin = 12 * MM;
    s->cheat_min_size = 7;
    s->cheat_step = 0.5;
}

/* ---- numbers, colours, paper -------------------------------------------------------- */

static const struct {
    const char *name;
    double num, den; /* points = value * num / den */
} units[] = {{"pt", 1, 1}, {"mm", 72, 25.4}, {"cm", 72, 2.54}, {"in", 72, 1}};

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

int rp_style_parse_length(const char *s, double *pt)
{
    double v;
    if (!s || parse_decimal(&s, &v) < 0)
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        if (strcmp(s, units[i].name) == 0) {
            *pt = v * units[i].num / units[i].den;
            return 0;
        }
    }
    return -1;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int rp_style_parse_color(const char *s, rp_color *c)
{
    unsigned hex = 0;
    if (!s || s[0] != '#' || strlen(s) != 7)
        return -1;
    for (int i = 1; i < 7; i++) {
        int d = hex_digit(s[i]);
        if (d < 0)
            return -1;
        hex = hex << 4 | (unsigned)d;
    }
    *c = rgb(hex);
    return 0;
}

/* ASCII case-insensitive equality, independent of the locale. */
static int ascii_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

int rp_style_set_paper(rp_style *s, const char *paper)
{
    double w, h;
    if (!paper)
        return -1;
    if (ascii_eq(paper, "a4")) {
        s->paper = "a4", w = 210 * MM, h = 297 * MM;
    } else if (ascii_eq(paper, "letter")) {
        s->paper = "letter", w = 612, h = 792;
    } else {
        return -1;
    }
    s->page_w = s->landscape ? h : w;
    s->page_h = s->landscape ? w : h;
    return 0;
}

rp_color rp_style_role_color(const rp_style *s, const char *role_id, size_t index)
{
    static const rp_color black = {0, 0, 0};
    for (size_t i = 0; role_id && i < s->nrole_colors; i++)
        if (strcmp(s->role_colors[i].role, role_id) == 0)
            return s->role_colors[i].color;
    return s->npalette ? s->palette[index % s->npalette] : black;
}

/* Points as text with at most two decimals ("10pt", "8.5pt", "595.28pt"), whatever the
 * locale's decimal separator. */
static const char *fmt_pt(double pt, char *buf, size_t n)
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

/* ---- diagnostics ---------------------------------------------------------------------- */

typedef struct msg {
    const char *file;
    long line, col;
    rp_level level;
    const char *text;
    size_t seq; /* keeps messages of one line in the order they were found */
} msg;

typedef struct msgs {
    msg *v;
    size_t n, cap;
} msgs;

typedef struct loader {
    rp_style *s;
    rp_fonts *fonts;
    rp_arena *a;
    const char *path;
    msgs out;        /* the walk, the checks, reading and parsing */
    msgs rng;        /* RELAX NG validation, shown only if the walk found nothing */
    int walk_errors; /* errors of the walk itself (structure and values) */
    long root_line;
    long seen[N_ELEMENTS]; /* line where each element of elements[] was first seen */
    long role_line[RP_TS__COUNT];
    long role_color_line[RP_STYLE_MAX_ROLE_COLORS];
} loader;

static void add_msg(loader *L, msgs *m, const char *file, long line, long col, rp_level lv,
                    const char *text)
{
    msg *x = rp_arena_grow(L->a, (void **)&m->v, &m->cap, m->n, sizeof *m->v);
    x->file = file;
    x->line = line;
    x->col = col;
    x->level = lv;
    x->text = rp_arena_strdup(L->a, text);
    x->seq = L->out.n + L->rng.n;
    m->n++;
}

/* Reports an error of the style at a line (0 = the file as a whole). */
static void error_at(loader *L, long line, const char *fmt, ...) RP_PRINTF(3, 4);
static void error_at(loader *L, long line, const char *fmt, ...)
{
    char buf[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    add_msg(L, &L->out, L->path, line, 0, RP_ERROR, buf);
}

/* Reports an error of the walk at the line of node n. */
#define WALK_ERROR(L, n, ...) ((L)->walk_errors++, error_at((L), xmlGetLineNo(n), __VA_ARGS__))

static int msg_cmp(const void *pa, const void *pb)
{
    const msg *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Sorts the messages by line and prints them. */
static void emit(msgs *m)
{
    if (m->n)
        qsort(m->v, m->n, sizeof *m->v, msg_cmp);
    for (size_t i = 0; i < m->n; i++)
        rp_diag(m->v[i].level, m->v[i].file, m->v[i].line, m->v[i].col, "%s", m->v[i].text);
}

/* ---- reading and parsing (src/xmlload.c) ---------------------------------------------- */

/* xmlload's messages, worded and placed as a style has always had them, and collected to be
 * sorted: validation messages apart (see the banner), libxml2's messages with a column only
 * when they come from the parser proper (not its namespace layer). A file that cannot be
 * read is an I/O failure (exit status 3), not an invalid style. */
static void on_xml_msg(void *ud, const rp_xml_msg *m)
{
    loader *L = ud;
    switch (m->kind) {
    case RP_XML_OPEN:
    case RP_XML_READ:
        add_msg(L, &L->out, L->path, 0, 0, RP_ERROR,
                rp_arena_printf(L->a, "cannot %s style: %s",
                                m->kind == RP_XML_OPEN ? "open" : "read", m->detail));
        rp_diag_io_failure();
        break;
    case RP_XML_TOO_LARGE:
        error_at(L, m->line, "style file is larger than %ld bytes", STYLE_MAX_BYTES);
        break;
    case RP_XML_DOCTYPE:
        error_at(L, m->line, "a style may not have a DOCTYPE (DTDs and entities are refused)");
        break;
    case RP_XML_SYNTAX:
        if (!m->cause)
            error_at(L, 0, "%s", m->text);
        else
            add_msg(L, &L->out, L->path, m->line, m->cause->domain == XML_FROM_PARSER ? m->col : 0,
                    m->level, m->text);
        break;
    case RP_XML_SCHEMA:
        add_msg(L, &L->out, STYLE_SCHEMA, m->line, 0, m->level,
                m->cause ? m->text : "internal error: the schema does not compile");
        break;
    case RP_XML_INVALID:
        add_msg(L, &L->rng, L->path, m->cause ? m->line : 0, 0, m->level,
                m->cause ? m->text : "does not match the style schema");
        break;
    default:
        add_msg(L, &L->out, m->file ? rp_arena_strdup(L->a, m->file) : NULL, m->line, m->col,
                m->level, m->text);
    }
}

/* ---- the walk: attribute tables -------------------------------------------------------- */

typedef enum { K_LENGTH, K_COLOR, K_CHOICE, K_PAPER, K_FAMILY, K_IDENT } prop_kind;

typedef struct prop {
    const char *name;
    prop_kind kind;
    size_t off;                 /* field in the struct the attributes fill */
    double min, max;            /* K_LENGTH: range in points */
    const char *const *choices; /* K_CHOICE / K_PAPER: the index is stored (an int) */
} prop;

static const char *const papers[] = {"a4", "letter", NULL};
static const char *const orientations[] = {"portrait", "landscape", NULL};
static const char *const weights[] = {"normal", "bold", NULL};
static const char *const slants[] = {"normal", "italic", NULL};
static const char *const aligns[] = {"left", "justify", NULL};

#define S(f) offsetof(rp_style, f)
#define T(f) offsetof(rp_text_style, f)

static const prop page_props[] = {
    {"paper", K_PAPER, S(paper), 0, 0, papers},
    {"orientation", K_CHOICE, S(landscape), 0, 0, orientations},
    {"margin-top", K_LENGTH, S(margin_top), 0, 200 * MM, NULL},
    {"margin-bottom", K_LENGTH, S(margin_bottom), 0, 200 * MM, NULL},
    {"margin-left", K_LENGTH, S(margin_left), 0, 200 * MM, NULL},
    {"margin-right", K_LENGTH, S(margin_right), 0, 200 * MM, NULL},
};

static const prop text_props[] = {
    {"family", K_FAMILY, T(family), 0, 0, NULL},
    {"weight", K_CHOICE, T(bold), 0, 0, weights},
    {"style", K_CHOICE, T(italic), 0, 0, slants},
    {"size", K_LENGTH, T(size), 4, 144, NULL},
    {"leading", K_LENGTH, T(leading), 4, 288, NULL},
    {"color", K_COLOR, T(color), 0, 0, NULL},
    {"space-before", K_LENGTH, T(space_before), 0, 144, NULL},
    {"space-after", K_LENGTH, T(space_after), 0, 144, NULL},
    {"align", K_CHOICE, T(align_justify), 0, 0, aligns},
};

static const prop colors_props[] = {
    {"accent", K_COLOR, S(accent), 0, 0, NULL},
    {"rule", K_COLOR, S(rule), 0, 0, NULL},
    {"muted", K_COLOR, S(muted), 0, 0, NULL},
    {"table-head-background", K_COLOR, S(table_head_bg), 0, 0, NULL},
    {"table-stripe-background", K_COLOR, S(table_stripe_bg), 0, 0, NULL},
};

static const prop spacing_props[] = {
    {"paragraph", K_LENGTH, S(paragraph_space), 0, 72, NULL},
    {"list-indent", K_LENGTH, S(list_indent), 0, 72, NULL},
    {"list-item", K_LENGTH, S(list_item_space), 0, 72, NULL},
    {"block", K_LENGTH, S(block_space), 0, 72, NULL},
    {"cell-padding", K_LENGTH, S(cell_padding), 0, 72, NULL},
};

static const prop cheat_props[] = {
    {"orientation", K_CHOICE, S(cheat_landscape), 0, 0, orientations},
    {"margin", K_LENGTH, S(cheat_margin), 0, 200 * MM, NULL},
    {"min-size", K_LENGTH, S(cheat_min_size), 4, 144, NULL},
    {"step", K_LENGTH, S(cheat_step), 0.1, 4, NULL},
};

typedef struct role_color_attrs {
    const char *role;
    rp_color color;
} role_color_attrs;

static const prop role_color_props[] = {
    {"role", K_IDENT, offsetof(role_color_attrs, role), 0, 0, NULL},
    {"color", K_COLOR, offsetof(role_color_attrs, color), 0, 0, NULL},
};

static const prop style_props[] = {
    {"name", K_IDENT, S(name), 0, 0, NULL},
};

#define COUNT(t) (sizeof(t) / sizeof *(t))

/* "a4, letter" */
static const char *choice_list(loader *L, const char *const *choices)
{
    char *s = rp_arena_strdup(L->a, choices[0]);
    for (int i = 1; choices[i]; i++)
        s = rp_arena_printf(L->a, "%s, %s", s, choices[i]);
    return s;
}

static int find_choice(const char *const *choices, const char *v)
{
    for (int i = 0; choices[i]; i++)
        if (strcmp(choices[i], v) == 0)
            return i;
    return -1;
}

static int set_length(loader *L, xmlNodePtr n, const prop *p, const char *v, double *field)
{
    double pt;
    if (rp_style_parse_length(v, &pt) < 0) {
        WALK_ERROR(L, n,
                   "invalid length '%s' for %s: expected a number and a unit pt, mm, cm "
                   "or in (e.g. 12pt)",
                   v, p->name);
        return -1;
    }
    if (pt < p->min || pt > p->max) {
        char lo[32], hi[32];
        WALK_ERROR(L, n, "%s '%s' is out of range (%s to %s)", p->name, v,
                   fmt_pt(p->min, lo, sizeof lo), fmt_pt(p->max, hi, sizeof hi));
        return -1;
    }
    *field = pt;
    return 0;
}

static int set_choice(loader *L, xmlNodePtr n, const prop *p, const char *v, char *field)
{
    int i = find_choice(p->choices, v);
    if (i < 0) {
        WALK_ERROR(L, n, "invalid value '%s' for %s: expected one of %s", v, p->name,
                   choice_list(L, p->choices));
        return -1;
    }
    if (p->kind == K_PAPER)
        *(const char **)(void *)field = p->choices[i];
    else
        *(int *)(void *)field = i;
    return 0;
}

static int set_string(loader *L, xmlNodePtr n, const prop *p, const char *v, char *field)
{
    if (p->kind == K_FAMILY && strspn(v, " \t\r\n") == strlen(v)) {
        WALK_ERROR(L, n, "empty font family");
        return -1;
    }
    if (p->kind == K_IDENT &&
        (xmlValidateNCName((const xmlChar *)v, 0) != 0 || strlen(v) > MAX_IDENT)) {
        WALK_ERROR(L, n,
                   "invalid %s '%s': expected a name of at most %d letters, digits, "
                   "'-', '_' or '.', not starting with a digit",
                   p->name, v, MAX_IDENT);
        return -1;
    }
    *(const char **)(void *)field = rp_arena_strdup(L->a, v);
    return 0;
}

/* Parses value v of attribute p into base. */
static int set_prop(loader *L, xmlNodePtr n, const prop *p, const char *v, void *base)
{
    char *field = (char *)base + p->off;
    switch (p->kind) {
    case K_LENGTH:
        return set_length(L, n, p, v, (double *)(void *)field);
    case K_COLOR:
        if (rp_style_parse_color(v, (rp_color *)(void *)field) == 0)
            return 0;
        WALK_ERROR(L, n, "invalid colour '%s' for %s: expected #rrggbb", v, p->name);
        return -1;
    case K_CHOICE:
    case K_PAPER:
        return set_choice(L, n, p, v, field);
    default:
        return set_string(L, n, p, v, field);
    }
}

static const prop *find_prop(const prop *tab, size_t ntab, xmlAttrPtr at)
{
    for (size_t i = 0; !at->ns && i < ntab; i++)
        if (strcmp((const char *)at->name, tab[i].name) == 0)
            return &tab[i];
    return NULL;
}

/* Parses every attribute of n into base by the table, reporting unknown ones; skip names
 * an attribute the caller handles. Returns a mask of the entries present and valid. */
static unsigned apply_attrs(loader *L, xmlNodePtr n, const prop *tab, size_t ntab, void *base,
                            const char *skip)
{
    unsigned mask = 0;
    for (xmlAttrPtr at = n->properties; at; at = at->next) {
        const prop *p = find_prop(tab, ntab, at);
        if (skip && !at->ns && strcmp((const char *)at->name, skip) == 0)
            continue;
        if (!p) {
            const char *pfx = at->ns && at->ns->prefix ? (const char *)at->ns->prefix : "";
            WALK_ERROR(L, n, "unknown attribute '%s%s%s' on <%s>", pfx, *pfx ? ":" : "",
                       (const char *)at->name, (const char *)n->name);
            continue;
        }
        xmlChar *v = xmlNodeListGetString(n->doc, at->children, 1);
        if (set_prop(L, n, p, v ? (const char *)v : "", base) == 0)
            mask |= 1u << (p - tab);
        xmlFree(v);
    }
    return mask;
}

/* ---- the walk: elements --------------------------------------------------------------- */

static int is_style_elem(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, STYLE_NS) == 0;
}

/* Line of the first non-blank character of a text node: libxml2 gives text nodes the line
 * where they end. */
static long text_line(xmlNodePtr c)
{
    long line = xmlGetLineNo(c);
    const char *p = (const char *)c->content;
    if (!p)
        return line;
    p += strspn(p, " \t\r\n");
    for (; *p; p++)
        line -= *p == '\n';
    return line;
}

/* Reports text where an element may have none. */
static void check_text(loader *L, xmlNodePtr c, const char *parent)
{
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && !xmlIsBlankNode(c)) {
        L->walk_errors++;
        error_at(L, text_line(c), "unexpected text in <%s>", parent);
    }
}

/* Reports content an element may not have: any text unless text is set, any child
 * element other than the style element named allow. */
static void check_content(loader *L, xmlNodePtr parent, const char *allow, int text)
{
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        if (!text)
            check_text(L, c, (const char *)parent->name);
        if (c->type == XML_ELEMENT_NODE &&
            !(allow && is_style_elem(c) && strcmp((const char *)c->name, allow) == 0))
            WALK_ERROR(L, c, "unexpected element <%s> in <%s>", (const char *)c->name,
                       (const char *)parent->name);
    }
}

static void load_props(loader *L, xmlNodePtr n, const prop *tab, size_t ntab)
{
    apply_attrs(L, n, tab, ntab, L->s, NULL);
    check_content(L, n, NULL, 0);
}

static void load_page(loader *L, xmlNodePtr n)
{
    load_props(L, n, page_props, COUNT(page_props));
}

static void load_colors(loader *L, xmlNodePtr n)
{
    load_props(L, n, colors_props, COUNT(colors_props));
}

static void load_spacing(loader *L, xmlNodePtr n)
{
    load_props(L, n, spacing_props, COUNT(spacing_props));
}

static void load_cheat(loader *L, xmlNodePtr n)
{
    load_props(L, n, cheat_props, COUNT(cheat_props));
}

/* Index of the text role named by n's role attribute; -1 after reporting. */
static int text_role(loader *L, xmlNodePtr n)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)"role");
    int role = -1;
    for (int r = 0; v && r < RP_TS__COUNT && role < 0; r++)
        if (strcmp((const char *)v, text_defaults[r].role) == 0)
            role = r;
    if (!v) {
        WALK_ERROR(L, n, "<text> needs a role attribute");
    } else if (role < 0) {
        const char *names[RP_TS__COUNT + 1];
        for (int r = 0; r < RP_TS__COUNT; r++)
            names[r] = text_defaults[r].role;
        names[RP_TS__COUNT] = NULL;
        WALK_ERROR(L, n, "unknown text role '%s': expected one of %s", (const char *)v,
                   choice_list(L, names));
    } else if (L->role_line[role]) {
        WALK_ERROR(L, n, "duplicate text role '%s' (the first is at line %ld)", (const char *)v,
                   L->role_line[role]);
        role = -1;
    }
    xmlFree(v);
    return role;
}

/* One <text>: an unknown or repeated role still has its attributes checked. */
static void load_text(loader *L, xmlNodePtr n)
{
    rp_text_style scratch = L->s->text[0];
    int role = text_role(L, n);
    rp_text_style *t = role >= 0 ? &L->s->text[role] : &scratch;
    apply_attrs(L, n, text_props, COUNT(text_props), t, "role");
    check_content(L, n, NULL, 0);
    if (role >= 0)
        t->line = L->role_line[role] = xmlGetLineNo(n);
}

/* <palette>: replaces the default palette with its valid colours. */
static void load_palette(loader *L, xmlNodePtr n)
{
    size_t count = 0;
    apply_attrs(L, n, NULL, 0, NULL, NULL);
    check_content(L, n, "color", 0);
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!is_style_elem(c) || strcmp((const char *)c->name, "color") != 0)
            continue;
        apply_attrs(L, c, NULL, 0, NULL, NULL);
        check_content(L, c, NULL, 1);
        xmlChar *v = xmlNodeGetContent(c);
        rp_color col;
        if (rp_style_parse_color(v ? (const char *)v : "", &col) < 0)
            WALK_ERROR(L, c, "invalid colour '%s' in <palette>: expected #rrggbb",
                       v ? (const char *)v : "");
        else if (count >= RP_STYLE_MAX_PALETTE)
            WALK_ERROR(L, c, "too many palette colours (at most %d)", RP_STYLE_MAX_PALETTE);
        else
            L->s->palette[count++] = col;
        xmlFree(v);
    }
    if (count)
        L->s->npalette = count;
    else
        WALK_ERROR(L, n, "<palette> needs at least one valid <color>");
}

/* <role-color>: one per-id override of the palette. */
static void load_role_color(loader *L, xmlNodePtr n)
{
    role_color_attrs rc = {NULL, {0, 0, 0}};
    unsigned mask = apply_attrs(L, n, role_color_props, COUNT(role_color_props), &rc, NULL);
    size_t i, k = L->s->nrole_colors;
    check_content(L, n, NULL, 0);
    if (!(mask & 1) && !xmlHasNsProp(n, (const xmlChar *)"role", NULL))
        WALK_ERROR(L, n, "<role-color> needs a role attribute");
    if (!(mask & 2) && !xmlHasNsProp(n, (const xmlChar *)"color", NULL))
        WALK_ERROR(L, n, "<role-color> needs a color attribute");
    if (mask != 3)
        return;
    for (i = 0; i < k && strcmp(L->s->role_colors[i].role, rc.role) != 0; i++)
        ;
    if (i < k)
        WALK_ERROR(L, n, "duplicate role-color for role '%s' (the first is at line %ld)", rc.role,
                   L->role_color_line[i]);
    else if (k >= RP_STYLE_MAX_ROLE_COLORS)
        WALK_ERROR(L, n, "too many role-color elements (at most %d)", RP_STYLE_MAX_ROLE_COLORS);
    else {
        L->s->role_colors[k].role = rc.role;
        L->s->role_colors[k].color = rc.color;
        L->role_color_line[k] = xmlGetLineNo(n);
        L->s->nrole_colors++;
    }
}

static const struct {
    const char *name;
    void (*load)(loader *L, xmlNodePtr n);
    int once;
} elements[] = {
    {"page", load_page, 1},        {"text", load_text, 0},
    {"palette", load_palette, 1},  {"role-color", load_role_color, 0},
    {"colors", load_colors, 1},    {"spacing", load_spacing, 1},
    {"cheatsheet", load_cheat, 1},
};
_Static_assert(sizeof elements / sizeof *elements == N_ELEMENTS, "N_ELEMENTS out of date");

/* Dispatches one child of <style>. */
static void load_child(loader *L, xmlNodePtr c)
{
    size_t i;
    const char *name = (const char *)c->name;
    if (!is_style_elem(c)) {
        WALK_ERROR(L, c, "unknown element <%s> (style elements are in namespace %s)", name,
                   STYLE_NS);
        return;
    }
    for (i = 0; i < COUNT(elements) && strcmp(elements[i].name, name) != 0; i++)
        ;
    if (i == COUNT(elements)) {
        WALK_ERROR(L, c, "unknown element <%s> in <style>", name);
        return;
    }
    if (elements[i].once && L->seen[i]) {
        WALK_ERROR(L, c, "duplicate <%s> (the first is at line %ld)", name, L->seen[i]);
        return;
    }
    L->seen[i] = xmlGetLineNo(c);
    elements[i].load(L, c);
}

/* Walks the document from its root; -1 if the root is not a style. */
static int walk(loader *L, xmlNodePtr root)
{
    if (!root || !is_style_elem(root) || strcmp((const char *)root->name, "style") != 0) {
        if (root)
            WALK_ERROR(L, root, "the root element must be <style> in namespace %s", STYLE_NS);
        return -1;
    }
    L->root_line = xmlGetLineNo(root);
    apply_attrs(L, root, style_props, COUNT(style_props), L->s, NULL);
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            load_child(L, c);
        else
            check_text(L, c, "style");
    }
    return 0;
}

/* ---- checks across values ------------------------------------------------------------- */

/* Line to report a text role at: its <text>, else the root. */
static long role_at(const loader *L, int r)
{
    return L->role_line[r] ? L->role_line[r] : L->root_line;
}

/* Line of the element of this name, 0 if the style has none. */
static long elem_line(const loader *L, const char *name)
{
    for (size_t i = 0; i < COUNT(elements); i++)
        if (strcmp(elements[i].name, name) == 0)
            return L->seen[i];
    return 0;
}

/* Line to report a property of element name at: the element, else the root. */
static long elem_at(const loader *L, const char *name)
{
    long line = elem_line(L, name);
    return line ? line : L->root_line;
}

/* Reports margins that leave less than a third of a w x h page for text. */
static void check_area(loader *L, long line, const char *what, double w, double h, double top,
                       double bottom, double left, double right)
{
    char a[32], b[32];
    if (w - left - right < w / 3)
        error_at(L, line,
                 "the left and right %s margins leave %s of the %s page width; at "
                 "least a third is needed",
                 what, fmt_pt(w - left - right, a, sizeof a), fmt_pt(w, b, sizeof b));
    if (h - top - bottom < h / 3)
        error_at(L, line,
                 "the top and bottom %s margins leave %s of the %s page height; at "
                 "least a third is needed",
                 what, fmt_pt(h - top - bottom, a, sizeof a), fmt_pt(h, b, sizeof b));
}

/* The guide's and the cheat sheet's margins against their pages. */
static void check_pages(loader *L)
{
    rp_style *s = L->s;
    rp_style_set_paper(s, s->paper);
    check_area(L, elem_at(L, "page"), "page", s->page_w, s->page_h, s->margin_top, s->margin_bottom,
               s->margin_left, s->margin_right);
    double w = s->cheat_landscape == s->landscape ? s->page_w : s->page_h;
    double h = s->cheat_landscape == s->landscape ? s->page_h : s->page_w;
    double m = s->cheat_margin;
    check_area(L, elem_at(L, "cheatsheet"), "cheat sheet", w, h, m, m, m, m);
}

/* Leading against size per role, and the cheat sheet's shrink floor against its size. */
static void check_sizes(loader *L)
{
    char a[32], b[32];
    const rp_style *s = L->s;
    for (int r = 0; r < RP_TS__COUNT; r++) {
        const rp_text_style *t = &s->text[r];
        if (t->leading < t->size)
            error_at(L, role_at(L, r), "leading %s of text role '%s' is smaller than its size %s",
                     fmt_pt(t->leading, a, sizeof a), text_defaults[r].role,
                     fmt_pt(t->size, b, sizeof b));
    }
    double body = s->text[RP_TS_CHEAT_BODY].size;
    long line = elem_line(L, "cheatsheet");
    if (s->cheat_min_size > body)
        error_at(L, line ? line : role_at(L, RP_TS_CHEAT_BODY),
                 "cheat sheet min-size %s is larger than the cheat-body size %s",
                 fmt_pt(s->cheat_min_size, a, sizeof a), fmt_pt(body, b, sizeof b));
}

/* Resolves the four faces of text role r; reports a family that cannot be used, once per
 * family and line. */
static void resolve_faces(loader *L, int r)
{
    rp_text_style *t = &L->s->text[r];
    int regular = rp_fonts_find(L->fonts, t->family, 0, 0);
    for (int k = 0; k < 4; k++) {
        int f = k ? rp_fonts_find(L->fonts, t->family, k & 1, k >> 1) : regular;
        t->faces[k] = f >= 0 ? f : regular;
    }
    if (regular >= 0)
        return;
    for (int q = 0; q < r; q++)
        if (L->s->text[q].faces[0] < 0 && role_at(L, q) == role_at(L, r) &&
            strcmp(L->s->text[q].family, t->family) == 0)
            return;
    if (rp_fonts_family_installed(L->fonts, t->family))
        error_at(L, role_at(L, r), "font family '%s' has no TrueType (glyf) face libharu can embed",
                 t->family);
    else
        error_at(L, role_at(L, r),
                 "font family '%s' is not installed (fontconfig has no such family)", t->family);
}

/* Default style name: the file name without directory and ".xml". */
static const char *base_name(rp_arena *a, const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 4 && strcmp(b + n - 4, ".xml") == 0)
        n -= 4;
    return rp_arena_strndup(a, b, n);
}

/* ---- entry point ---------------------------------------------------------------------- */

int rp_style_load(rp_style *out, const char *path, rp_fonts *fonts, rp_arena *a)
{
    loader L;
    rp_xml_sink sink = {on_xml_msg, &L};
    size_t len = 0;
    char *buf = NULL;
    xmlDocPtr doc = NULL;
    int errors = rp_diag_errors();

    memset(&L, 0, sizeof L);
    L.s = out, L.fonts = fonts, L.a = a;
    L.path = rp_arena_strdup(a, path);
    set_defaults(out);
    out->path = L.path;
    out->name = base_name(a, path);
    if (!(buf = rp_xml_read_file(L.path, STYLE_MAX_BYTES, &len, "style", &sink)) ||
        !(doc = rp_xml_parse(L.path, buf, len, 0, &sink)))
        goto out;
    if (walk(&L, xmlDocGetRootElement(doc)) < 0 ||
        rp_xml_validate(L.path, doc, rp_schema_style, rp_schema_style_len, &sink) < 0)
        goto out;
    check_pages(&L);
    check_sizes(&L);
    for (int r = 0; r < RP_TS__COUNT; r++)
        resolve_faces(&L, r);
out:
    for (size_t i = 0; L.walk_errors == 0 && i < L.rng.n; i++) {
        const msg *m = &L.rng.v[i];
        add_msg(&L, &L.out, m->file, m->line, m->col, m->level, m->text);
    }
    emit(&L.out);
    xmlFreeDoc(doc);
    free(buf);
    return rp_diag_errors() > errors ? -1 : 0;
}
