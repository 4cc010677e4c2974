/* style: loading a style into plain values in points, with every problem reported.
 *
 * A style starts from the built-in defaults (the tables below; styles/default.xml spells
 * out the same values). Then the chain of style files is applied, the farthest ancestor
 * first: a file may extend another (extends="parent.xml", relative to the file), and each
 * file changes only the properties it sets. The --set overrides come last. Files, overrides
 * and defaults all go through one function per kind of value, so they are checked the same
 * way and their messages read the same; only the place differs ("FILE:LINE:" or
 * "--set NAME=VALUE:").
 *
 * Each file is read and parsed through src/xmlload.c (refusing a DOCTYPE, so no entities and
 * no DTD) and walked against the tables below. The RELAX NG schema (styles/style.rng,
 * compiled into the program) is run as well: the walk reports every problem with a precise
 * message, while libxml2's validator stops at the first problem of an element and words it
 * vaguely, so its messages are shown only when it rejects a file that the walk accepted (the
 * two disagreeing is then a bug to fix here).
 *
 * Lengths in em or % are relative to a body size, and are resolved only when every source has
 * been applied, so that a child that changes the body size moves what its parent set
 * relative to it. Then come the checks across values (margins against the paper, leading
 * against size, the cheat sheet's size floor) and the fonts, each reported where the value
 * at fault was last set. All messages are collected, sorted by source and line, and emitted
 * through rp_diag(). */
#include "style.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "diag.h"
#include "schemas.h"
#include "styleval.h"
#include "xmlload.h"

#define STYLE_NS "urn:rolepress:style:1"
#define STYLE_MAX_BYTES (1024L * 1024) /* a style is a few KB; a larger file is a mistake */
#define STYLE_SCHEMA "(built-in styles/style.rng)" /* the schema's name in messages */
#define MAX_IDENT 64     /* length of a role id, as in the article schema */
#define MSG_MAX 512      /* one formatted message */
#define MAX_NAME 200     /* a property name of --set */
#define MM (72.0 / 25.4) /* points per millimetre */
#define SERIF "Noto Serif"
#define SANS "Noto Sans"
/* Broad coverage from the fonts `make deps` installs: DejaVu Sans has Greek, Cyrillic,
 * arrows, box drawing and much more; the Noto sets add symbols and mathematics. */
#define FALLBACK_FAMILIES "DejaVu Sans, Noto Sans Symbols, Noto Sans Symbols2, Noto Sans Math"

#define COUNT(t) (sizeof(t) / sizeof *(t))
#define S(f) offsetof(rp_style, f)
#define T(f) offsetof(rp_text_style, f)

/* ---- the properties -------------------------------------------------------------------- */

typedef enum {
    K_LENGTH,   /* absolute length: pt, mm, cm, in */
    K_SIZE,     /* length that may also be relative to a body size: em, % */
    K_MARGINS,  /* shorthand setting the four page margins */
    K_COLOR,    /* #rrggbb or a colour name */
    K_CHOICE,   /* one of choices; the index is stored (an int) */
    K_PAPER,    /* one of choices; the name is stored */
    K_FAMILY,   /* a font family */
    K_FAMILIES, /* a comma-separated list of font families (the fallback chain) */
    K_IDENT     /* a name like a role id */
} prop_kind;

typedef struct prop {
    const char *name;
    prop_kind kind;
    size_t off;                 /* field in the struct the element fills */
    double min, max;            /* K_LENGTH, K_SIZE: range in points */
    const char *const *choices; /* K_CHOICE, K_PAPER */
} prop;

static const char *const papers[] = {"a4", "letter", NULL};
static const char *const orientations[] = {"portrait", "landscape", NULL};
static const char *const weights[] = {"normal", "bold", NULL};
static const char *const slants[] = {"normal", "italic", NULL};
static const char *const aligns[] = {"left", "justify", NULL};
static const char *const yes_no[] = {"no", "yes", NULL};

static const prop page_props[] = {
    {"paper", K_PAPER, S(paper), 0, 0, papers},
    {"orientation", K_CHOICE, S(landscape), 0, 0, orientations},
    {"margin", K_MARGINS, 0, 0, 200 * MM, NULL},
    {"margin-top", K_LENGTH, S(margin_top), 0, 200 * MM, NULL},
    {"margin-bottom", K_LENGTH, S(margin_bottom), 0, 200 * MM, NULL},
    {"margin-left", K_LENGTH, S(margin_left), 0, 200 * MM, NULL},
    {"margin-right", K_LENGTH, S(margin_right), 0, 200 * MM, NULL},
    {"mirror-margins", K_CHOICE, S(mirror), 0, 0, yes_no},
};

enum {
    TP_FAMILY,
    TP_WEIGHT,
    TP_STYLE,
    TP_SIZE,
    TP_LEADING,
    TP_COLOR,
    TP_BEFORE,
    TP_AFTER,
    TP_ALIGN
};
static const prop text_props[] = {
    {"family", K_FAMILY, T(family), 0, 0, NULL},
    {"weight", K_CHOICE, T(bold), 0, 0, weights},
    {"style", K_CHOICE, T(italic), 0, 0, slants},
    {"size", K_SIZE, T(size), 4, 144, NULL},
    {"leading", K_SIZE, T(leading), 4, 288, NULL},
    {"color", K_COLOR, T(color), 0, 0, NULL},
    {"space-before", K_SIZE, T(space_before), 0, 144, NULL},
    {"space-after", K_SIZE, T(space_after), 0, 144, NULL},
    {"align", K_CHOICE, T(align_justify), 0, 0, aligns},
};
#define N_TEXT_PROPS COUNT(text_props)

static const prop colors_props[] = {
    {"accent", K_COLOR, S(accent), 0, 0, NULL},
    {"rule", K_COLOR, S(rule), 0, 0, NULL},
    {"muted", K_COLOR, S(muted), 0, 0, NULL},
    {"table-head-background", K_COLOR, S(table_head_bg), 0, 0, NULL},
    {"table-stripe-background", K_COLOR, S(table_stripe_bg), 0, 0, NULL},
};

static const prop spacing_props[] = {
    {"paragraph", K_SIZE, S(paragraph_space), 0, 72, NULL},
    {"list-indent", K_SIZE, S(list_indent), 0, 72, NULL},
    {"list-item", K_SIZE, S(list_item_space), 0, 72, NULL},
    {"block", K_SIZE, S(block_space), 0, 72, NULL},
    {"cell-padding", K_SIZE, S(cell_padding), 0, 72, NULL},
};

static const prop cheat_props[] = {
    {"orientation", K_CHOICE, S(cheat_landscape), 0, 0, orientations},
    {"margin", K_LENGTH, S(cheat_margin), 0, 200 * MM, NULL},
    {"min-size", K_SIZE, S(cheat_min_size), 4, 144, NULL},
    {"step", K_SIZE, S(cheat_step), 0.01, 4, NULL},
};

static const prop fonts_props[] = {
    {"fallback", K_FAMILIES, S(fallback), 0, 0, NULL},
};

static const prop style_props[] = {
    {"name", K_IDENT, S(name), 0, 0, NULL},
};

/* Text roles: the name in the style and the default of each text_props entry. NULL marks
 * an attribute the role does not use; setting it is an error rather than silently
 * ignored. What em and % refer to: text_base(). */
typedef struct text_default {
    const char *role;
    const char *value[N_TEXT_PROPS];
} text_default;

/* clang-format off */
static const text_default text_defaults[RP_TS__COUNT] = {
    /* role             family  weight    style     size      leading   color      before   after    align */
    {"body",          {SERIF, "normal", "normal", "10pt",   "14pt",   "#1f2328", NULL,    NULL,    "justify"}},
    {"title",         {SANS,  "bold",   "normal", "24pt",   "29pt",   "#1d3557", NULL,    "0pt",   "left"}},
    {"subtitle",      {SANS,  "normal", "normal", "13pt",   "17pt",   "#457b9d", "0pt",   "0pt",   "left"}},
    {"meta",          {SANS,  "normal", "normal", "9pt",    "12pt",   "#6a737d", "0pt",   "18pt",  "left"}},
    {"heading1",      {SANS,  "bold",   "normal", "15pt",   "19pt",   "#1d3557", "16pt",  "6pt",   "left"}},
    {"heading2",      {SANS,  "bold",   "normal", "12pt",   "15pt",   "#1d3557", "12pt",  "4pt",   "left"}},
    {"toc",           {SERIF, "normal", "normal", "10pt",   "15pt",   "#1f2328", "5pt",   NULL,    "left"}},
    {"table",         {SANS,  "normal", "normal", "8.5pt",  "11pt",   "#1f2328", NULL,    NULL,    "left"}},
    {"table-head",    {SANS,  "bold",   "normal", "8.5pt",  "11pt",   "#1d3557", NULL,    NULL,    "left"}},
    {"caption",       {SANS,  "normal", "italic", "8.5pt",  "11pt",   "#6a737d", "4pt",   NULL,    "left"}},
    {"footer",        {SANS,  "normal", "normal", "8pt",    "10pt",   "#6a737d", NULL,    NULL,    NULL}},
    {"cheat-title",   {SANS,  "bold",   "normal", "18pt",   "22pt",   "#1d3557", NULL,    "0.5em", "left"}},
    {"cheat-heading", {SANS,  "bold",   "normal", "11pt",   "14pt",   NULL,      "0.5em", "0pt",   "left"}},
    {"cheat-body",    {SANS,  "normal", "normal", "10.5pt", "13.5pt", "#1f2328", NULL,    NULL,    "left"}},
};
/* clang-format on */

/* The other built-in defaults, as NAME=VALUE pairs in the --set grammar. */
static const char *const defaults[][2] = {
    {"page.paper", "a4"},
    {"page.orientation", "portrait"},
    {"page.margin-top", "20mm"},
    {"page.margin-bottom", "22mm"},
    {"page.margin-left", "22mm"},
    {"page.margin-right", "22mm"},
    {"page.mirror-margins", "no"},
    {"palette", "#1f5fa8, #c2571a, #2a7d4f, #7b3fa0"},
    {"colors.accent", "#457b9d"},
    {"colors.rule", "#c9d1d9"},
    {"colors.muted", "#6a737d"},
    {"colors.table-head-background", "#e8eef5"},
    {"colors.table-stripe-background", "#f6f8fa"},
    {"spacing.paragraph", "6pt"},
    {"spacing.list-indent", "14pt"},
    {"spacing.list-item", "2pt"},
    {"spacing.block", "12pt"},
    {"spacing.cell-padding", "4pt"},
    {"cheatsheet.orientation", "landscape"},
    {"cheatsheet.margin", "12mm"},
    {"cheatsheet.min-size", "7pt"},
    {"cheatsheet.step", "0.5pt"},
    {"fonts.fallback", FALLBACK_FAMILIES},
};

/* Names people write for an attribute, from CSS and habit, and the attribute meant. */
static const char *const synonyms[][2] = {
    {"font", "family"},        {"font-family", "family"},    {"font-size", "size"},
    {"font-weight", "weight"}, {"font-style", "style"},      {"line-height", "leading"},
    {"text-align", "align"},   {"colour", "color"},          {"padding", "cell-padding"},
    {"fallbacks", "fallback"}, {"margins", "margin"},        {"paper-size", "paper"},
    {"size-min", "min-size"},  {"color-role", "role-color"},
};

/* ---- sources and messages ---------------------------------------------------------------- */

/* Where a value comes from: an element of a style file, a --set option or the defaults. */
typedef struct origin {
    const char *file; /* path, "--set NAME=VALUE", or NULL for the built-in defaults */
    long line;        /* 0 when there is none */
    int src;          /* the file's or option's rank among the sources (messages sort by it) */
    long order;       /* when it was applied: the later of two settings has the higher order */
} origin;

typedef struct msg {
    const char *file;
    long line, col;
    rp_level level;
    const char *text;
    int src;
    size_t seq; /* keeps messages of one place in the order they were found */
} msg;

typedef struct msgs {
    msg *v;
    size_t n, cap;
} msgs;

/* The last setting of a field, and for a relative length what it waits for. */
typedef struct setting {
    const void *field;
    const origin *o;
    int rel;          /* a relative length, resolved at the end */
    double factor;    /* of the base size */
    int base;         /* text role whose size it is relative to */
    const prop *p;    /* for the range check and messages */
    const char *text; /* the value as written */
} setting;

typedef struct file_id {
    dev_t dev;
    ino_t ino;
    const char *path;
} file_id;

typedef struct rp_style_loader {
    rp_style *s;
    rp_fonts *fonts;
    rp_arena *a;
    msgs out;
    size_t nmsgs;    /* messages made so far, kept or not (their seq) */
    int errors;      /* errors of the walks and settings (not of libxml2's validator) */
    int fatal;       /* a file could not be read or parsed: skip the checks across values */
    int nsrc;        /* sources met so far */
    long order;      /* settings applied so far */
    const char *top; /* the style file named on the command line */
    long top_line;   /* its root element's line: where defaults are reported */
    setting *set;    /* the last setting of each field set so far */
    size_t nset, set_cap;
    file_id chain[RP_STYLE_MAX_DEPTH]; /* the files being loaded, child before parent */
    /* look up each family's regular face only (see rp_style_load_end) */
    int regular_only;
} loader;

/* One style file while it is walked. */
typedef struct file_ctx {
    loader *L;
    const char *path;
    const char *buf; /* the file's text, to find where a tag or an attribute starts */
    size_t len;
    size_t *lines; /* offset of the start of each line of buf (arena-owned) */
    size_t nlines;
    int src, depth;
    msgs rng;     /* RELAX NG's messages, kept only if the walk found nothing */
    long seen[8]; /* line where each element of elements[] was first seen */
    long role_line[RP_TS__COUNT];
    const char *rc_role[RP_STYLE_MAX_ROLE_COLORS]; /* role-color ids of this file */
    long rc_line[RP_STYLE_MAX_ROLE_COLORS];
    size_t nrc;
} file_ctx;

static void add_msg(loader *L, msgs *m, const char *file, long line, long col, rp_level lv, int src,
                    const char *text)
{
    msg *x = rp_arena_grow(L->a, (void **)&m->v, &m->cap, m->n, sizeof *m->v);
    x->file = file;
    x->line = line;
    x->col = col;
    x->level = lv;
    x->text = rp_arena_strdup(L->a, text);
    x->src = src;
    x->seq = L->nmsgs++;
    m->n++;
}

/* Reports an error at origin o; the defaults are reported at the style's root element. */
static void err(loader *L, const origin *o, const char *fmt, ...) RP_PRINTF(3, 4);
static void err(loader *L, const origin *o, const char *fmt, ...)
{
    char buf[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    L->errors++;
    if (o->file)
        add_msg(L, &L->out, o->file, o->line, 0, RP_ERROR, o->src, buf);
    else
        add_msg(L, &L->out, L->top, L->top_line, 0, RP_ERROR, 0, buf);
}

static int msg_cmp(const void *pa, const void *pb)
{
    const msg *a = pa, *b = pb;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Sorts the messages by source and line and prints them. */
static void emit(msgs *m)
{
    if (m->n)
        qsort(m->v, m->n, sizeof *m->v, msg_cmp);
    for (size_t i = 0; i < m->n; i++)
        rp_diag(m->v[i].level, m->v[i].file, m->v[i].line, m->v[i].col, "%s", m->v[i].text);
}

static const origin *new_origin(loader *L, const char *file, long line, int src)
{
    origin *o = rp_arena_alloc(L->a, sizeof *o);
    o->file = file;
    o->line = line;
    o->src = src;
    o->order = ++L->order;
    return o;
}

/* ---- settings: who set a field last ---------------------------------------------------- */

static setting *setting_of(loader *L, const void *field)
{
    for (size_t i = 0; i < L->nset; i++)
        if (L->set[i].field == field)
            return &L->set[i];
    return NULL;
}

/* Records that o set field, replacing what was recorded before. */
static setting *note(loader *L, const void *field, const origin *o)
{
    setting *st = setting_of(L, field);
    if (!st) {
        st = rp_arena_grow(L->a, (void **)&L->set, &L->set_cap, L->nset, sizeof *st);
        L->nset++;
    }
    memset(st, 0, sizeof *st);
    st->field = field;
    st->o = o;
    return st;
}

static const origin builtin = {NULL, 0, -1, 0};

/* The origin of the last setting of field (the defaults when nothing set it). */
static const origin *origin_of(loader *L, const void *field)
{
    const setting *st = setting_of(L, field);
    return st ? st->o : &builtin;
}

/* The later of the last settings of the fields (a NULL-terminated list): the one to blame
 * when their combination is wrong. */
static const origin *latest(loader *L, const void *const *fields)
{
    const origin *best = origin_of(L, fields[0]);
    for (size_t i = 1; fields[i]; i++) {
        const origin *o = origin_of(L, fields[i]);
        best = o->order > best->order ? o : best;
    }
    return best;
}

/* Forgets the settings of fields inside [base, base + size): a scratch copy. */
static void forget(loader *L, const void *base, size_t size)
{
    const char *lo = base, *hi = lo + size;
    size_t k = 0;
    for (size_t i = 0; i < L->nset; i++) {
        const char *f = L->set[i].field;
        if (!(f >= lo && f < hi))
            L->set[k++] = L->set[i];
    }
    L->nset = k;
}

/* ---- setting values -------------------------------------------------------------------- */

/* "a4, letter" */
static const char *choice_list(loader *L, const char *const *choices)
{
    char *s = rp_arena_strdup(L->a, choices[0]);
    for (int i = 1; choices[i]; i++)
        s = rp_arena_printf(L->a, "%s, %s", s, choices[i]);
    return s;
}

/* "; did you mean 'x'?" for the candidate nearest to word (synonyms first), else "". */
static const char *hint(loader *L, const char *word, const char *const *cands, size_t n,
                        const char *quote_open, const char *quote_close)
{
    const char *best = NULL;
    for (size_t i = 0; i < COUNT(synonyms) && !best; i++)
        if (rp_name_eq(word, synonyms[i][0]))
            for (size_t k = 0; k < n && !best; k++)
                if (cands[k] && strcmp(cands[k], synonyms[i][1]) == 0)
                    best = cands[k];
    if (!best)
        best = rp_suggest(word, cands, n);
    return best ? rp_arena_printf(L->a, "; did you mean %s%s%s?", quote_open, best, quote_close)
                : "";
}

static const char *prop_hint(loader *L, const char *word, const prop *tab, size_t n)
{
    const char **names = rp_arena_alloc(L->a, (n + 1) * sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = tab[i].name;
    return hint(L, word, names, n, "'", "'");
}

static int range_ok(loader *L, const origin *o, const prop *p, const char *v, double pt)
{
    char lo[32], hi[32];
    if (pt >= p->min - 1e-9 && pt <= p->max + 1e-9)
        return 1;
    if (strstr(v, "em") || strchr(v, '%')) {
        char is[32];
        err(L, o, "%s '%s' is %s, out of range (%s to %s)", p->name, v,
            rp_points_format(pt, is, sizeof is), rp_points_format(p->min, lo, sizeof lo),
            rp_points_format(p->max, hi, sizeof hi));
    } else {
        err(L, o, "%s '%s' is out of range (%s to %s)", p->name, v,
            rp_points_format(p->min, lo, sizeof lo), rp_points_format(p->max, hi, sizeof hi));
    }
    return 0;
}

/* Base of em and % for a property: a text role's index, RP_TS__COUNT when it may not be
 * relative (the body size itself). */
static int set_length(loader *L, const origin *o, const prop *p, const char *v, double *field,
                      int base)
{
    double x;
    int rel = 0;
    if (rp_length_parse(v, &x, p->kind == K_SIZE ? &rel : NULL) < 0) {
        if (p->kind == K_SIZE)
            err(L, o,
                "invalid length '%s' for %s: expected a number and a unit pt, mm, cm, in, "
                "em or %% (e.g. 12pt)",
                v, p->name);
        else if (rp_length_parse(v, &x, &rel) == 0)
            err(L, o,
                "invalid length '%s' for %s: em and %% are not allowed here; expected a "
                "number and a unit pt, mm, cm or in (e.g. 12pt)",
                v, p->name);
        else
            err(L, o,
                "invalid length '%s' for %s: expected a number and a unit pt, mm, cm or in "
                "(e.g. 12pt)",
                v, p->name);
        return -1;
    }
    if (rel && base >= RP_TS__COUNT) {
        err(L, o, "the body size cannot be relative: em and %% are relative to it (got '%s')", v);
        return -1;
    }
    if (!rel && !range_ok(L, o, p, v, x))
        return -1;
    setting *st = note(L, field, o);
    if (rel) {
        st->rel = 1;
        st->factor = x;
        st->base = base;
        st->p = p;
        st->text = rp_arena_strdup(L->a, v);
    } else {
        *field = x;
    }
    return 0;
}

/* page.margin: the four page margins at once. */
static int set_margins(loader *L, const origin *o, const prop *p, const char *v)
{
    rp_style *s = L->s;
    double *fields[] = {&s->margin_top, &s->margin_bottom, &s->margin_left, &s->margin_right};
    if (set_length(L, o, p, v, fields[0], RP_TS__COUNT) < 0)
        return -1;
    for (size_t i = 1; i < COUNT(fields); i++) {
        *fields[i] = *fields[0];
        note(L, fields[i], o);
    }
    return 0;
}

static int find_choice(const char *const *choices, const char *v)
{
    for (int i = 0; choices[i]; i++)
        if (strcmp(choices[i], v) == 0)
            return i;
    return -1;
}

static int set_choice(loader *L, const origin *o, const prop *p, const char *v, char *field)
{
    int i = find_choice(p->choices, v);
    if (i < 0) {
        err(L, o, "invalid value '%s' for %s: expected one of %s", v, p->name,
            choice_list(L, p->choices));
        return -1;
    }
    if (p->kind == K_PAPER)
        *(const char **)(void *)field = p->choices[i];
    else
        *(int *)(void *)field = i;
    note(L, field, o);
    return 0;
}

static int set_color(loader *L, const origin *o, const char *what, const char *v, rp_color *c)
{
    if (rp_color_parse(v, c) == 0)
        return 0;
    if (v[0] == '#') {
        err(L, o, "invalid colour '%s' for %s: expected #rrggbb (six hex digits)", v, what);
        return -1;
    }
    const char *names[64];
    size_t n = 0;
    for (const char *name; n < COUNT(names) && (name = rp_color_name(n, NULL)) != NULL; n++)
        names[n] = name;
    err(L, o, "invalid colour '%s' for %s: expected #rrggbb or a colour name%s", v, what,
        hint(L, v, names, n, "'", "'"));
    return -1;
}

static int blank(const char *s)
{
    return strspn(s, " \t\r\n") == strlen(s);
}

static int valid_ident(const char *v)
{
    return xmlValidateNCName((const xmlChar *)v, 0) == 0 && strlen(v) <= MAX_IDENT;
}

static int ident_error(loader *L, const origin *o, const char *what, const char *v)
{
    err(L, o,
        "invalid %s '%s': expected a name of at most %d letters, digits, '-', '_' or '.', "
        "not starting with a digit",
        what, v, MAX_IDENT);
    return -1;
}

/* fonts.fallback: "A, B, C" (empty for none). */
static int set_families(loader *L, const origin *o, const char *v)
{
    rp_fallback list[RP_STYLE_MAX_FALLBACK] = {{NULL, {0, 0, 0, 0}}};
    size_t n = 0;
    for (const char *p = v; *p;) {
        size_t len = strcspn(p, ",");
        const char *start = p, *end = p + len;
        while (start < end && strchr(" \t\r\n", *start))
            start++;
        while (end > start && strchr(" \t\r\n", end[-1]))
            end--;
        if (end > start) {
            if (n == RP_STYLE_MAX_FALLBACK) {
                err(L, o, "too many fallback font families (at most %d)", RP_STYLE_MAX_FALLBACK);
                return -1;
            }
            memset(&list[n], 0, sizeof list[n]);
            list[n++].family = rp_arena_strndup(L->a, start, (size_t)(end - start));
        }
        p += len + (p[len] == ',');
    }
    memcpy(L->s->fallback, list, n * sizeof *list);
    L->s->nfallback = n;
    note(L, L->s->fallback, o);
    return 0;
}

/* Parses value v of property p into base (a struct of the element); base_role is the text
 * role em and % refer to. */
static int set_prop(loader *L, const origin *o, const prop *p, void *base, const char *v,
                    int base_role)
{
    char *field = (char *)base + p->off;
    switch (p->kind) {
    case K_LENGTH:
    case K_SIZE:
        return set_length(L, o, p, v, (double *)(void *)field, base_role);
    case K_MARGINS:
        return set_margins(L, o, p, v);
    case K_COLOR:
        if (set_color(L, o, p->name, v, (rp_color *)(void *)field) < 0)
            return -1;
        note(L, field, o);
        return 0;
    case K_CHOICE:
    case K_PAPER:
        return set_choice(L, o, p, v, field);
    case K_FAMILIES:
        return set_families(L, o, v);
    case K_FAMILY:
        if (blank(v)) {
            err(L, o, "empty font family");
            return -1;
        }
        break;
    case K_IDENT:
        if (!valid_ident(v))
            return ident_error(L, o, p->name, v);
        break;
    }
    *(const char **)(void *)field = rp_arena_strdup(L->a, v);
    note(L, field, o);
    return 0;
}

/* ---- text roles, palette, role colours ------------------------------------------------- */

static int is_cheat_role(int r)
{
    return r == RP_TS_CHEAT_TITLE || r == RP_TS_CHEAT_HEAD || r == RP_TS_CHEAT_BODY;
}

/* The text role whose size em and % of attribute a of role r refer to (RP_TS__COUNT: they
 * may not be used). Leading and spaces follow the role's own size, as in CSS; a size
 * follows the body size, or on the cheat sheet the cheat-body size, whose own size follows
 * the body size. */
static int text_base(int r, size_t a)
{
    if (a != TP_SIZE)
        return r;
    if (r == RP_TS_BODY)
        return RP_TS__COUNT;
    return is_cheat_role(r) && r != RP_TS_CHEAT_BODY ? RP_TS_CHEAT_BODY : RP_TS_BODY;
}

static int find_role(const char *name)
{
    for (int r = 0; r < RP_TS__COUNT; r++)
        if (strcmp(name, text_defaults[r].role) == 0)
            return r;
    return -1;
}

static const char *role_names_hint(loader *L, const char *v)
{
    const char *names[RP_TS__COUNT];
    for (int r = 0; r < RP_TS__COUNT; r++)
        names[r] = text_defaults[r].role;
    return hint(L, v, names, RP_TS__COUNT, "'", "'");
}

static void unknown_role(loader *L, const origin *o, const char *v)
{
    const char *h = role_names_hint(L, v);
    if (*h) {
        err(L, o, "unknown text role '%s'%s", v, h);
        return;
    }
    const char *names[RP_TS__COUNT + 1];
    for (int r = 0; r < RP_TS__COUNT; r++)
        names[r] = text_defaults[r].role;
    names[RP_TS__COUNT] = NULL;
    err(L, o, "unknown text role '%s': expected one of %s", v, choice_list(L, names));
}

/* Sets attribute a (an index into text_props) of text role r. */
static int set_text(loader *L, const origin *o, int r, size_t a, const char *v)
{
    if (!text_defaults[r].value[a]) {
        const char *users = NULL;
        for (int q = 0; q < RP_TS__COUNT; q++)
            if (text_defaults[q].value[a])
                users = users ? rp_arena_printf(L->a, "%s, %s", users, text_defaults[q].role)
                              : text_defaults[q].role;
        err(L, o, "text role '%s' does not use %s (the roles that do: %s)", text_defaults[r].role,
            text_props[a].name, users);
        return -1;
    }
    return set_prop(L, o, &text_props[a], &L->s->text[r], v, text_base(r, a));
}

/* Sets the colour of role id, replacing an earlier setting of the same id. */
static int set_role_color(loader *L, const origin *o, const char *id, const char *v)
{
    rp_style *s = L->s;
    rp_color c;
    size_t i;
    if (!valid_ident(id))
        return ident_error(L, o, "role", id);
    if (set_color(L, o, rp_arena_printf(L->a, "role-color '%s'", id), v, &c) < 0)
        return -1;
    for (i = 0; i < s->nrole_colors && strcmp(s->role_colors[i].role, id) != 0; i++)
        ;
    if (i == RP_STYLE_MAX_ROLE_COLORS) {
        err(L, o, "too many role colours (at most %d)", RP_STYLE_MAX_ROLE_COLORS);
        return -1;
    }
    if (i == s->nrole_colors)
        s->role_colors[s->nrole_colors++].role = rp_arena_strdup(L->a, id);
    s->role_colors[i].color = c;
    note(L, &s->role_colors[i].color, o);
    return 0;
}

/* palette: the whole list, colours separated by commas or blanks. */
static int set_palette(loader *L, const origin *o, const char *v)
{
    rp_color list[RP_STYLE_MAX_PALETTE];
    size_t n = 0;
    int bad = 0;
    for (const char *p = v; *p;) {
        size_t len = strcspn(p, ", \t\r\n");
        if (len > 0) {
            char *one = rp_arena_strndup(L->a, p, len);
            if (n == RP_STYLE_MAX_PALETTE) {
                err(L, o, "too many palette colours (at most %d)", RP_STYLE_MAX_PALETTE);
                return -1;
            }
            if (set_color(L, o, "palette", one, &list[n]) < 0)
                bad = 1;
            n++;
        }
        p += len + (p[len] != '\0');
    }
    if (bad)
        return -1;
    if (n == 0) {
        err(L, o, "the palette needs at least one colour");
        return -1;
    }
    memcpy(L->s->palette, list, n * sizeof *list);
    L->s->npalette = n;
    note(L, L->s->palette, o);
    return 0;
}

/* palette.N: one colour of the list; N may be one past its end, to add a colour. */
static int set_palette_entry(loader *L, const origin *o, const char *index, const char *v)
{
    rp_style *s = L->s;
    size_t n = 0;
    for (const char *p = index; *p && n <= RP_STYLE_MAX_PALETTE; p++)
        n = *p >= '0' && *p <= '9' ? n * 10 + (size_t)(*p - '0') : RP_STYLE_MAX_PALETTE + 1;
    if (*index == '\0' || n < 1 || n > RP_STYLE_MAX_PALETTE) {
        err(L, o, "invalid palette position '%s': expected 1 to %d", index, RP_STYLE_MAX_PALETTE);
        return -1;
    }
    if (n > s->npalette + 1) {
        err(L, o, "palette.%zu: the palette has %zu colours, so palette.%zu is the next one", n,
            s->npalette, s->npalette + 1);
        return -1;
    }
    if (set_color(L, o, "palette", v, &s->palette[n - 1]) < 0)
        return -1;
    s->npalette = n > s->npalette ? n : s->npalette;
    note(L, s->palette, o);
    return 0;
}

/* ---- properties by name (--set and the defaults) --------------------------------------- */

/* Elements whose attributes are plain properties of the style. */
static const struct {
    const char *name;
    const prop *props;
    size_t n;
    int base; /* the text role em and % refer to */
} groups[] = {
    {"page", page_props, COUNT(page_props), RP_TS__COUNT},
    {"colors", colors_props, COUNT(colors_props), RP_TS__COUNT},
    {"spacing", spacing_props, COUNT(spacing_props), RP_TS_BODY},
    {"cheatsheet", cheat_props, COUNT(cheat_props), RP_TS_CHEAT_BODY},
    {"fonts", fonts_props, COUNT(fonts_props), RP_TS__COUNT},
};

static const prop *find_prop(const prop *tab, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(tab[i].name, name) == 0)
            return &tab[i];
    return NULL;
}

typedef struct names {
    const char **v;
    size_t n, cap;
} names;

static void add_name(loader *L, names *ns, const char *name)
{
    const char **slot = rp_arena_grow(L->a, (void **)&ns->v, &ns->cap, ns->n, sizeof *slot);
    *slot = name;
    ns->n++;
}

/* Every property name of the --set grammar; id stands for the role id of role colours. */
static names all_names(loader *L, const char *id)
{
    names ns = {NULL, 0, 0};
    add_name(L, &ns, "name");
    for (size_t g = 0; g < COUNT(groups); g++)
        for (size_t i = 0; i < groups[g].n; i++)
            add_name(L, &ns,
                     rp_arena_printf(L->a, "%s.%s", groups[g].name, groups[g].props[i].name));
    for (int r = 0; r < RP_TS__COUNT; r++)
        for (size_t a = 0; a < N_TEXT_PROPS; a++)
            if (text_defaults[r].value[a])
                add_name(
                    L, &ns,
                    rp_arena_printf(L->a, "text.%s.%s", text_defaults[r].role, text_props[a].name));
    add_name(L, &ns, "palette");
    for (int i = 1; i <= RP_STYLE_MAX_PALETTE; i++)
        add_name(L, &ns, rp_arena_printf(L->a, "palette.%d", i));
    add_name(L, &ns, rp_arena_printf(L->a, "role-color.%s", id));
    add_name(L, &ns, rp_arena_printf(L->a, "color.role.%s", id));
    return ns;
}

/* Reports an unknown property name, with the nearest known one. */
static void unknown_name(loader *L, const origin *o, const char *name)
{
    const char *dot = strrchr(name, '.');
    const char *last = dot ? dot + 1 : name;
    names ns = all_names(L, last);
    const char *h = "";
    /* a synonym in the last part: "text.body.font-size" means "text.body.size" */
    for (size_t i = 0; i < COUNT(synonyms) && !*h; i++) {
        if (!rp_name_eq(last, synonyms[i][0]))
            continue;
        const char *want =
            rp_arena_printf(L->a, "%.*s%s", (int)(last - name), name, synonyms[i][1]);
        for (size_t k = 0; k < ns.n && !*h; k++)
            if (strcmp(ns.v[k], want) == 0)
                h = rp_arena_printf(L->a, "; did you mean '%s'?", want);
    }
    if (!*h)
        h = hint(L, name, ns.v, ns.n, "'", "'");
    err(L, o, "unknown property '%s'%s", name, h);
}

/* Sets the property called name ("text.body.size") to value, from origin o. */
static void set_named(loader *L, const origin *o, const char *name, const char *value)
{
    char head[MAX_NAME + 1];
    const char *dot = strchr(name, '.');
    size_t hl = dot ? (size_t)(dot - name) : strlen(name);
    const char *rest = dot ? dot + 1 : NULL;
    if (hl > MAX_NAME || strlen(name) > MAX_NAME) {
        err(L, o, "unknown property '%.40s...'", name);
        return;
    }
    memcpy(head, name, hl);
    head[hl] = '\0';
    if (!rest && strcmp(head, "name") == 0) {
        set_prop(L, o, &style_props[0], L->s, value, RP_TS__COUNT);
        return;
    }
    if (!rest && strcmp(head, "extends") == 0) {
        err(L, o, "extends can only be given in a style file (use --style FILE)");
        return;
    }
    if (strcmp(head, "palette") == 0) {
        if (rest)
            set_palette_entry(L, o, rest, value);
        else
            set_palette(L, o, value);
        return;
    }
    if (rest && strcmp(head, "role-color") == 0 && !strchr(rest, '.')) {
        set_role_color(L, o, rest, value);
        return;
    }
    if (rest && strcmp(head, "color") == 0 && strncmp(rest, "role.", 5) == 0 &&
        !strchr(rest + 5, '.')) {
        set_role_color(L, o, rest + 5, value);
        return;
    }
    if (rest && strcmp(head, "text") == 0) {
        const char *dot2 = strchr(rest, '.');
        char role[MAX_NAME + 1];
        size_t rl = dot2 ? (size_t)(dot2 - rest) : strlen(rest);
        memcpy(role, rest, rl);
        role[rl] = '\0';
        int r = find_role(role);
        const prop *p = dot2 ? find_prop(text_props, N_TEXT_PROPS, dot2 + 1) : NULL;
        if (r >= 0 && p) {
            set_text(L, o, r, (size_t)(p - text_props), value);
            return;
        }
    }
    for (size_t g = 0; rest && g < COUNT(groups); g++) {
        if (strcmp(head, groups[g].name) != 0)
            continue;
        const prop *p = find_prop(groups[g].props, groups[g].n, rest);
        if (p) {
            set_prop(L, o, p, L->s, value, groups[g].base);
            return;
        }
    }
    unknown_name(L, o, name);
}

static void apply_defaults(loader *L)
{
    for (size_t i = 0; i < COUNT(defaults); i++)
        set_named(L, &builtin, defaults[i][0], defaults[i][1]);
    for (int r = 0; r < RP_TS__COUNT; r++) {
        for (size_t a = 0; a < N_TEXT_PROPS; a++)
            if (text_defaults[r].value[a])
                set_text(L, &builtin, r, a, text_defaults[r].value[a]);
        for (int k = 0; k < 4; k++)
            L->s->text[r].faces[k] = -1;
    }
}

/* One --set NAME=VALUE option. */
static void apply_override(loader *L, const char *arg)
{
    const origin *o = new_origin(L, rp_arena_printf(L->a, "--set %s", arg), 0, L->nsrc++);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        err(L, o, "expected NAME=VALUE (e.g. --set page.margin=15mm)");
        return;
    }
    set_named(L, o, rp_arena_strndup(L->a, arg, (size_t)(eq - arg)), eq + 1);
}

/* ---- reading and parsing (src/xmlload.c) ----------------------------------------------- */

/* xmlload's messages, worded and placed as a style has always had them: validation messages
 * apart (see the banner), libxml2's messages with a column only when they come from the
 * parser proper (not its namespace layer). A file that cannot be read is an I/O failure
 * (exit status 3), not an invalid style. */
static void on_xml_msg(void *ud, const rp_xml_msg *m)
{
    file_ctx *F = ud;
    loader *L = F->L;
    const origin here = {F->path, m->line, F->src, 0};
    switch (m->kind) {
    case RP_XML_OPEN:
    case RP_XML_READ:
        add_msg(L, &L->out, F->path, 0, 0, RP_ERROR, F->src,
                rp_arena_printf(L->a, "cannot %s style: %s",
                                m->kind == RP_XML_OPEN ? "open" : "read", m->detail));
        rp_diag_io_failure();
        break;
    case RP_XML_TOO_LARGE:
        err(L, &here, "style file is larger than %ld bytes", STYLE_MAX_BYTES);
        break;
    case RP_XML_DOCTYPE:
        err(L, &here, "a style may not have a DOCTYPE (DTDs and entities are refused)");
        break;
    case RP_XML_SYNTAX:
        if (!m->cause)
            err(L, &(origin){F->path, 0, F->src, 0}, "%s", m->text);
        else
            add_msg(L, &L->out, F->path, m->line, m->cause->domain == XML_FROM_PARSER ? m->col : 0,
                    m->level, F->src, m->text);
        break;
    case RP_XML_SCHEMA:
        add_msg(L, &L->out, STYLE_SCHEMA, m->line, 0, m->level, F->src,
                m->cause ? m->text : "internal error: the schema does not compile");
        break;
    case RP_XML_INVALID:
        add_msg(L, &F->rng, F->path, m->cause ? m->line : 0, 0, m->level, F->src,
                m->cause ? m->text : "does not match the style schema");
        break;
    default:
        add_msg(L, &L->out, m->file ? rp_arena_strdup(L->a, m->file) : NULL, m->line, m->col,
                m->level, F->src, m->text);
    }
}

/* ---- the walk -------------------------------------------------------------------------- */

/* Finds where each line of the file's text starts, once: every element's and attribute's
 * place is looked up from there. */
static void index_lines(file_ctx *F)
{
    size_t n = 1;
    for (const char *p = F->buf; (p = memchr(p, '\n', (size_t)(F->buf + F->len - p))); p++)
        n++;
    F->lines = rp_arena_alloc(F->L->a, n * sizeof *F->lines);
    F->lines[0] = 0;
    F->nlines = 1;
    for (size_t off = 0; off < F->len; off++)
        if (F->buf[off] == '\n')
            F->lines[F->nlines++] = off + 1;
}

/* Offset of the start of line `line` (1-based) in the file's text, or len. */
static size_t line_start(const file_ctx *F, long line)
{
    if (line <= 1)
        return 0;
    return (size_t)line <= F->nlines ? F->lines[line - 1] : F->len;
}

/* Where n's start tag begins: libxml2 numbers an element by the line on which its start
 * tag ENDS, and a style's start tags often run over several lines. Returns the offset of
 * the '<' (searching back from the end of that line) and its line in *line. */
static size_t tag_start(const file_ctx *F, xmlNodePtr n, long *line)
{
    long end_line = xmlGetLineNo(n);
    size_t end = line_start(F, end_line + 1), name = strlen((const char *)n->name);
    for (size_t off = end; off > 0; off--) {
        const char *p = F->buf + off - 1;
        if (*p != '<' || off + name > F->len || memcmp(p + 1, n->name, name) != 0)
            continue;
        *line = end_line; /* less the line ends between the '<' and the end of end_line */
        for (const char *q = p; q < F->buf + end - 1; q++)
            *line -= *q == '\n';
        return off - 1;
    }
    *line = end_line;
    return F->len;
}

static const origin *at(file_ctx *F, xmlNodePtr n)
{
    long line;
    tag_start(F, n, &line);
    return new_origin(F->L, F->path, line, F->src);
}

/* The origin of attribute a of n: the line its name is written on. */
static const origin *attr_at(file_ctx *F, xmlNodePtr n, xmlAttrPtr a)
{
    long line;
    size_t off = tag_start(F, n, &line), name = strlen((const char *)a->name);
    char quote = 0;
    for (; off < F->len && (quote || F->buf[off] != '>'); off++) {
        char c = F->buf[off];
        if (c == '\n')
            line++;
        if (quote) {
            quote = c == quote ? 0 : quote;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if ((c == ' ' || c == '\t' || c == '\n' || c == '\r') && off + 1 + name < F->len &&
                   memcmp(F->buf + off + 1, a->name, name) == 0) {
            size_t k = off + 1 + name;
            while (k < F->len && strchr(" \t\r\n", F->buf[k]))
                k++;
            if (k < F->len && F->buf[k] == '=')
                return new_origin(F->L, F->path, line, F->src);
        }
    }
    return at(F, n);
}

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
static void check_text(file_ctx *F, xmlNodePtr c, const char *parent)
{
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && !xmlIsBlankNode(c))
        err(F->L, new_origin(F->L, F->path, text_line(c), F->src), "unexpected text in <%s>",
            parent);
}

/* Reports content an element may not have: any text unless text is set, any child
 * element other than the style element named allow. */
static void check_content(file_ctx *F, xmlNodePtr parent, const char *allow, int text)
{
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        if (!text)
            check_text(F, c, (const char *)parent->name);
        if (c->type == XML_ELEMENT_NODE &&
            !(allow && is_style_elem(c) && strcmp((const char *)c->name, allow) == 0))
            err(F->L, at(F, c), "unexpected element <%s> in <%s>", (const char *)c->name,
                (const char *)parent->name);
    }
}

/* The value of attribute at (arena-owned). */
static const char *attr_value(file_ctx *F, xmlNodePtr n, xmlAttrPtr at)
{
    xmlChar *v = xmlNodeListGetString(n->doc, at->children, 1);
    const char *s = rp_arena_strdup(F->L->a, v ? (const char *)v : "");
    xmlFree(v);
    return s;
}

static int attr_is(xmlAttrPtr at, const char *name)
{
    return !at->ns && strcmp((const char *)at->name, name) == 0;
}

static void unknown_attr(file_ctx *F, const origin *o, xmlNodePtr n, xmlAttrPtr at, const prop *tab,
                         size_t ntab)
{
    const char *pfx = at->ns && at->ns->prefix ? (const char *)at->ns->prefix : "";
    err(F->L, o, "unknown attribute '%s%s%s' on <%s>%s", pfx, *pfx ? ":" : "",
        (const char *)at->name, (const char *)n->name,
        at->ns ? "" : prop_hint(F->L, (const char *)at->name, tab, ntab));
}

/* Applies the attributes of n by the table, reporting unknown ones; the names in skip (a
 * NULL-terminated list) are the caller's. Shorthands go first, so that a specific
 * attribute on the same element wins whatever the order they are written in. */
static void apply_attrs(file_ctx *F, xmlNodePtr n, const prop *tab, size_t ntab, int base,
                        const char *const *skip)
{
    for (int pass = 0; pass < 2; pass++) {
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            int skipped = 0;
            for (size_t i = 0; skip && skip[i]; i++)
                skipped |= attr_is(a, skip[i]);
            const prop *p = a->ns ? NULL : find_prop(tab, ntab, (const char *)a->name);
            if (skipped || (p && (p->kind == K_MARGINS) != (pass == 0)))
                continue;
            if (!p && pass == 1)
                unknown_attr(F, attr_at(F, n, a), n, a, tab, ntab);
            else if (p)
                set_prop(F->L, attr_at(F, n, a), p, F->L->s, attr_value(F, n, a), base);
        }
    }
}

static void load_group(file_ctx *F, xmlNodePtr n, size_t g)
{
    apply_attrs(F, n, groups[g].props, groups[g].n, groups[g].base, NULL);
    check_content(F, n, NULL, 0);
}

/* <text role="...">: an unknown or repeated role still has its attributes checked. */
static void load_text(file_ctx *F, xmlNodePtr n)
{
    loader *L = F->L;
    const origin *o = at(F, n);
    xmlChar *rv = xmlGetNoNsProp(n, (const xmlChar *)"role");
    int r = rv ? find_role((const char *)rv) : -1;
    if (!rv) {
        err(L, o, "<text> needs a role attribute");
    } else if (r < 0) {
        unknown_role(L, o, (const char *)rv);
    } else if (F->role_line[r]) {
        err(L, o, "duplicate text role '%s' (the first is at line %ld)", (const char *)rv,
            F->role_line[r]);
        r = -1;
    }
    xmlFree(rv);
    if (r >= 0)
        L->s->text[r].line = F->role_line[r] = o->line;
    rp_text_style scratch = L->s->text[RP_TS_BODY];
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (attr_is(a, "role"))
            continue;
        const prop *p = a->ns ? NULL : find_prop(text_props, N_TEXT_PROPS, (const char *)a->name);
        const char *v = attr_value(F, n, a);
        const origin *ao = attr_at(F, n, a);
        if (!p)
            unknown_attr(F, ao, n, a, text_props, N_TEXT_PROPS);
        else if (r >= 0)
            set_text(L, ao, r, (size_t)(p - text_props), v);
        else /* check the value all the same, into a scratch copy */
            set_prop(L, ao, p, &scratch, v, RP_TS_BODY);
    }
    forget(L, &scratch, sizeof scratch);
    check_content(F, n, NULL, 0);
}

/* <palette>: replaces the palette with its valid colours. */
static void load_palette(file_ctx *F, xmlNodePtr n)
{
    loader *L = F->L;
    rp_color list[RP_STYLE_MAX_PALETTE];
    size_t count = 0;
    apply_attrs(F, n, NULL, 0, RP_TS__COUNT, NULL);
    check_content(F, n, "color", 0);
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!is_style_elem(c) || strcmp((const char *)c->name, "color") != 0)
            continue;
        const origin *o = at(F, c);
        apply_attrs(F, c, NULL, 0, RP_TS__COUNT, NULL);
        check_content(F, c, NULL, 1);
        xmlChar *v = xmlNodeGetContent(c);
        rp_color col;
        if (count >= RP_STYLE_MAX_PALETTE)
            err(L, o, "too many palette colours (at most %d)", RP_STYLE_MAX_PALETTE);
        else if (set_color(L, o, "palette", v ? (const char *)v : "", &col) == 0)
            list[count++] = col;
        xmlFree(v);
    }
    if (count == 0) {
        err(L, at(F, n), "<palette> needs at least one valid <color>");
        return;
    }
    memcpy(L->s->palette, list, count * sizeof *list);
    L->s->npalette = count;
    note(L, L->s->palette, at(F, n));
}

/* <role-color role="id" color="...">: one per-id override of the palette. */
static void load_role_color(file_ctx *F, xmlNodePtr n)
{
    static const char *const mine[] = {"role", "color", NULL};
    loader *L = F->L;
    const origin *o = at(F, n);
    xmlChar *id = xmlGetNoNsProp(n, (const xmlChar *)"role");
    xmlChar *col = xmlGetNoNsProp(n, (const xmlChar *)"color");
    static const prop none[] = {{"role", K_IDENT, 0, 0, 0, NULL},
                                {"color", K_COLOR, 0, 0, 0, NULL}};
    apply_attrs(F, n, none, COUNT(none), RP_TS__COUNT, mine); /* the table gives hints only */
    check_content(F, n, NULL, 0);
    if (!id)
        err(L, o, "<role-color> needs a role attribute");
    if (!col)
        err(L, o, "<role-color> needs a color attribute");
    size_t i;
    for (i = 0; id && i < F->nrc && strcmp(F->rc_role[i], (const char *)id) != 0; i++)
        ;
    if (id && col && i < F->nrc)
        err(L, o, "duplicate role-color for role '%s' (the first is at line %ld)", (const char *)id,
            F->rc_line[i]);
    else if (id && col && set_role_color(L, o, (const char *)id, (const char *)col) == 0 &&
             F->nrc < RP_STYLE_MAX_ROLE_COLORS) {
        F->rc_role[F->nrc] = rp_arena_strdup(L->a, (const char *)id);
        F->rc_line[F->nrc++] = o->line;
    }
    xmlFree(id);
    xmlFree(col);
}

static void load_page(file_ctx *F, xmlNodePtr n)
{
    load_group(F, n, 0);
}
static void load_colors(file_ctx *F, xmlNodePtr n)
{
    load_group(F, n, 1);
}
static void load_spacing(file_ctx *F, xmlNodePtr n)
{
    load_group(F, n, 2);
}
static void load_cheat(file_ctx *F, xmlNodePtr n)
{
    load_group(F, n, 3);
}
static void load_fonts(file_ctx *F, xmlNodePtr n)
{
    load_group(F, n, 4);
}

static const struct {
    const char *name;
    void (*load)(file_ctx *F, xmlNodePtr n);
    int once;
} elements[] = {
    {"page", load_page, 1},        {"text", load_text, 0},
    {"palette", load_palette, 1},  {"role-color", load_role_color, 0},
    {"colors", load_colors, 1},    {"spacing", load_spacing, 1},
    {"cheatsheet", load_cheat, 1}, {"fonts", load_fonts, 1},
};
_Static_assert(COUNT(elements) <= COUNT(((file_ctx *)0)->seen), "file_ctx.seen too small");

/* Dispatches one child of <style>. */
static void load_child(file_ctx *F, xmlNodePtr c)
{
    size_t i;
    const char *name = (const char *)c->name;
    if (!is_style_elem(c)) {
        err(F->L, at(F, c), "unknown element <%s> (style elements are in namespace %s)", name,
            STYLE_NS);
        return;
    }
    for (i = 0; i < COUNT(elements) && strcmp(elements[i].name, name) != 0; i++)
        ;
    if (i == COUNT(elements)) {
        const char *names[COUNT(elements)];
        for (size_t k = 0; k < COUNT(elements); k++)
            names[k] = elements[k].name;
        err(F->L, at(F, c), "unknown element <%s> in <style>%s", name,
            hint(F->L, name, names, COUNT(elements), "<", ">"));
        return;
    }
    if (elements[i].once && F->seen[i]) {
        err(F->L, at(F, c), "duplicate <%s> (the first is at line %ld)", name, F->seen[i]);
        return;
    }
    F->seen[i] = xmlGetLineNo(c);
    elements[i].load(F, c);
}

/* Walks the document from its root <style>. The name of a parent style is checked but
 * not taken: a style's name is its own. */
static void walk(file_ctx *F, xmlNodePtr root)
{
    static const char *const mine[] = {"extends", NULL};
    const char *name = F->L->s->name;
    apply_attrs(F, root, style_props, COUNT(style_props), RP_TS__COUNT, mine);
    if (F->depth > 0)
        F->L->s->name = name;
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            load_child(F, c);
        else
            check_text(F, c, "style");
    }
}

/* ---- files and inheritance ------------------------------------------------------------- */

/* name as written in extends, relative to the directory of the style file path. */
static const char *near(rp_arena *a, const char *path, const char *name)
{
    const char *slash = strrchr(path, '/');
    if (name[0] == '/' || !slash)
        return rp_arena_strdup(a, name);
    return rp_arena_printf(a, "%.*s/%s", (int)(slash - path), path, name);
}

/* "a.xml -> b.xml -> a.xml": the chain of files up to depth, then path. */
static const char *chain_text(loader *L, int depth, const char *path)
{
    const char *s = "";
    for (int i = 0; i < depth; i++)
        s = rp_arena_printf(L->a, "%s%s -> ", s, L->chain[i].path);
    return rp_arena_printf(L->a, "%s%s", s, path);
}

static void load_file(loader *L, const char *path, int depth, const origin *from,
                      const char *named);

/* Checks that the parent named by extends="named" at origin o exists, is not one of the
 * files being loaded and is not too deep; records its identity. Returns 0 or -1. */
static int check_parent(loader *L, const char *path, int depth, const origin *o, const char *named)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        err(L, o, "extends=\"%s\": no such style file (%s)", named, path);
        return -1;
    }
    if (!S_ISREG(sb.st_mode)) { /* a directory, or a FIFO that would block the run */
        err(L, o, "extends=\"%s\": not a regular file (%s)", named, path);
        return -1;
    }
    for (int i = 0; i < depth; i++)
        if (L->chain[i].dev == sb.st_dev && L->chain[i].ino == sb.st_ino) {
            err(L, o, "extends=\"%s\" makes a cycle: %s", named, chain_text(L, depth, path));
            return -1;
        }
    if (depth >= RP_STYLE_MAX_DEPTH) {
        err(L, o, "extends=\"%s\": styles extend each other more than %d deep", named,
            RP_STYLE_MAX_DEPTH);
        return -1;
    }
    L->chain[depth] = (file_id){sb.st_dev, sb.st_ino, path};
    return 0;
}

/* Applies the parent named by the extends attribute of root, if any. */
static void load_parent(file_ctx *F, xmlNodePtr root)
{
    loader *L = F->L;
    xmlChar *ext = xmlGetNoNsProp(root, (const xmlChar *)"extends");
    if (!ext)
        return;
    const origin *o = attr_at(F, root, xmlHasProp(root, (const xmlChar *)"extends"));
    const char *named = rp_arena_strdup(L->a, (const char *)ext);
    xmlFree(ext);
    if (blank(named))
        err(L, o, "extends needs the file name of a style");
    else
        load_file(L, near(L->a, F->path, named), F->depth + 1, o, named);
}

/* Loads the style file path, after the style it extends. from and named: the extends
 * attribute that names it (NULL for the style given on the command line). */
static void load_file(loader *L, const char *path, int depth, const origin *from, const char *named)
{
    file_ctx F;
    struct stat sb;
    size_t len = 0;
    char *buf = NULL;
    xmlDocPtr doc = NULL;
    memset(&F, 0, sizeof F);
    F.L = L, F.path = path, F.depth = depth;
    if (from && check_parent(L, path, depth, from, named) < 0)
        return;
    if (!from && stat(path, &sb) == 0)
        L->chain[0] = (file_id){sb.st_dev, sb.st_ino, path};
    F.src = L->nsrc++;
    L->s->files[L->s->nfiles++] = path;
    rp_xml_sink sink = {on_xml_msg, &F};
    if (!(buf = rp_xml_read_file(path, STYLE_MAX_BYTES, &len, "style", &sink)) ||
        !(doc = rp_xml_parse(path, buf, len, 0, &sink))) {
        L->fatal = 1;
        goto out;
    }
    F.buf = buf;
    F.len = len;
    index_lines(&F);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !is_style_elem(root) || strcmp((const char *)root->name, "style") != 0) {
        if (root)
            err(L, at(&F, root), "the root element must be <style> in namespace %s", STYLE_NS);
        L->fatal = 1;
        goto out;
    }
    if (depth == 0)
        L->top_line = xmlGetLineNo(root);
    load_parent(&F, root);
    int before = L->errors;
    walk(&F, root);
    if (rp_xml_validate(path, doc, rp_schema_style, rp_schema_style_len, &sink) < 0)
        L->fatal = 1;
    for (size_t i = 0; L->errors == before && i < F.rng.n; i++) {
        const msg *m = &F.rng.v[i];
        add_msg(L, &L->out, m->file, m->line, m->col, m->level, m->src, m->text);
    }
out:
    xmlFreeDoc(doc);
    free(buf);
}

/* ---- after every source: relative lengths and checks across values --------------------- */

/* Nonzero if field waits for a relative value to be resolved. */
static int pending(loader *L, const void *field)
{
    const setting *st = setting_of(L, field);
    return st && st->rel;
}

/* Resolves the lengths given in em or %, each once the size it refers to is known: the
 * body size is absolute, the cheat-body size may follow it, other sizes follow one of the
 * two, and leading and spaces follow their own role's size. */
static void resolve_relative(loader *L)
{
    for (int progress = 1; progress;) {
        progress = 0;
        for (size_t i = 0; i < L->nset; i++) {
            setting *st = &L->set[i];
            const double *size = &L->s->text[st->base].size;
            if (!st->rel || pending(L, size))
                continue;
            double pt = st->factor * *size;
            if (range_ok(L, st->o, st->p, st->text, pt))
                *(double *)(void *)st->field = pt;
            st->rel = 0;
            progress = 1;
        }
    }
}

/* Reports margins that leave less than a third of a w x h page for text. */
static void check_area(loader *L, const origin *o, const char *what, double w, double h, double top,
                       double bottom, double left, double right)
{
    char a[32], b[32];
    if (w - left - right < w / 3)
        err(L, o,
            "the left and right %s margins leave %s of the %s page width; at least a third "
            "is needed",
            what, rp_points_format(w - left - right, a, sizeof a),
            rp_points_format(w, b, sizeof b));
    if (h - top - bottom < h / 3)
        err(L, o,
            "the top and bottom %s margins leave %s of the %s page height; at least a "
            "third is needed",
            what, rp_points_format(h - top - bottom, a, sizeof a),
            rp_points_format(h, b, sizeof b));
}

/* The guide's and the cheat sheet's margins against their pages. */
static void check_pages(loader *L)
{
    rp_style *s = L->s;
    rp_style_set_paper(s, s->paper);
    check_area(
        L,
        latest(L, (const void *[]){&s->paper, &s->landscape, &s->margin_top, &s->margin_bottom,
                                   &s->margin_left, &s->margin_right, NULL}),
        "page", s->page_w, s->page_h, s->margin_top, s->margin_bottom, s->margin_left,
        s->margin_right);
    double w = s->cheat_landscape == s->landscape ? s->page_w : s->page_h;
    double h = s->cheat_landscape == s->landscape ? s->page_h : s->page_w;
    double m = s->cheat_margin;
    check_area(L,
               latest(L, (const void *[]){&s->paper, &s->cheat_landscape, &s->cheat_margin, NULL}),
               "cheat sheet", w, h, m, m, m, m);
}

/* Leading against size per role, and the cheat sheet's shrink floor against its size. */
static void check_sizes(loader *L)
{
    char a[32], b[32];
    const rp_style *s = L->s;
    for (int r = 0; r < RP_TS__COUNT; r++) {
        const rp_text_style *t = &s->text[r];
        if (t->leading < t->size)
            err(L, latest(L, (const void *[]){&t->leading, &t->size, NULL}),
                "leading %s of text role '%s' is smaller than its size %s",
                rp_points_format(t->leading, a, sizeof a), text_defaults[r].role,
                rp_points_format(t->size, b, sizeof b));
    }
    const rp_text_style *body = &s->text[RP_TS_CHEAT_BODY];
    if (s->cheat_min_size > body->size)
        err(L, latest(L, (const void *[]){&s->cheat_min_size, &body->size, NULL}),
            "cheat sheet min-size %s is larger than the cheat-body size %s",
            rp_points_format(s->cheat_min_size, a, sizeof a),
            rp_points_format(body->size, b, sizeof b));
}

/* Finds the four faces of family into faces; returns the regular one (-1 if unusable).
 * Only the regular face decides whether the family can be used (a missing bold or italic
 * falls back to it), so when L->regular_only is set the others are not looked up. */
static int find_faces(loader *L, const char *family, int faces[4])
{
    int regular = rp_fonts_find(L->fonts, family, 0, 0);
    for (int k = 0; k < 4; k++) {
        int f = k && !L->regular_only ? rp_fonts_find(L->fonts, family, k & 1, k >> 1) : regular;
        faces[k] = f >= 0 ? f : regular;
    }
    return regular;
}

static void family_error(loader *L, const origin *o, const char *what, const char *family)
{
    if (rp_fonts_family_installed(L->fonts, family))
        err(L, o, "%s '%s' has no TrueType (glyf) face libharu can embed", what, family);
    else
        err(L, o, "%s '%s' is not installed (fontconfig has no such family)", what, family);
}

/* Resolves the faces of every text role, reporting a family that cannot be used once per
 * family and place. */
static void resolve_faces(loader *L)
{
    rp_style *s = L->s;
    for (int r = 0; r < RP_TS__COUNT; r++) {
        rp_text_style *t = &s->text[r];
        if (find_faces(L, t->family, t->faces) >= 0)
            continue;
        const origin *o = origin_of(L, &t->family);
        int dup = 0;
        for (int q = 0; q < r && !dup; q++)
            dup = s->text[q].faces[0] < 0 && origin_of(L, &s->text[q].family) == o &&
                  strcmp(s->text[q].family, t->family) == 0;
        if (!dup)
            family_error(L, o, "font family", t->family);
    }
}

/* Resolves the fallback chain. A family of the built-in chain that is not installed is
 * left out silently; one the style names is an error. */
static void resolve_fallback(loader *L)
{
    rp_style *s = L->s;
    const origin *o = origin_of(L, s->fallback);
    size_t k = 0;
    for (size_t i = 0; i < s->nfallback; i++) {
        rp_fallback fb = s->fallback[i];
        if (find_faces(L, fb.family, fb.faces) >= 0)
            s->fallback[k++] = fb;
        else if (o != &builtin)
            family_error(L, o, "fallback font family", fb.family);
    }
    s->nfallback = k;
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

/* ---- public ---------------------------------------------------------------------------- */

int rp_style_set_paper(rp_style *s, const char *paper)
{
    double w, h;
    if (!paper)
        return -1;
    if (rp_name_eq(paper, "a4")) {
        s->paper = "a4", w = 210 * MM, h = 297 * MM;
    } else if (rp_name_eq(paper, "letter")) {
        s->paper = "letter", w = 612, h = 792;
    } else {
        return -1;
    }
    s->page_w = s->landscape ? h : w;
    s->page_h = s->landscape ? w : h;
    return 0;
}

double rp_style_page_left(const rp_style *s, size_t page)
{
    return s->mirror && page % 2 == 1 ? s->margin_right : s->margin_left;
}

rp_color rp_style_role_color(const rp_style *s, const char *role_id, size_t index)
{
    static const rp_color black = {0, 0, 0};
    for (size_t i = 0; role_id && i < s->nrole_colors; i++)
        if (strcmp(s->role_colors[i].role, role_id) == 0)
            return s->role_colors[i].color;
    return s->npalette ? s->palette[index % s->npalette] : black;
}

rp_style_loader *rp_style_load_begin(rp_style *out, const char *path, const char *const *sets,
                                     size_t nsets, rp_fonts *fonts, rp_arena *a)
{
    loader *L = rp_arena_alloc(a, sizeof *L);
    memset(out, 0, sizeof *out);
    L->s = out, L->fonts = fonts, L->a = a;
    L->top = rp_arena_strdup(a, path);
    out->path = L->top;
    apply_defaults(L);
    out->name = base_name(a, path);
    load_file(L, L->top, 0, NULL, NULL);
    for (size_t i = 0; i < nsets; i++)
        apply_override(L, sets[i]);
    if (!L->fatal) {
        resolve_relative(L);
        check_pages(L);
        check_sizes(L);
    }
    return L;
}

int rp_style_load_end(rp_style_loader *L, int regular_only)
{
    L->regular_only = regular_only;
    if (!L->fatal) {
        resolve_faces(L);
        resolve_fallback(L);
    }
    int errors = rp_diag_errors(); /* a style reports only here: its messages wait in out */
    emit(&L->out);
    return rp_diag_errors() > errors ? -1 : 0;
}

int rp_style_load_overrides(rp_style *out, const char *path, const char *const *sets, size_t nsets,
                            rp_fonts *fonts, rp_arena *a)
{
    return rp_style_load_end(rp_style_load_begin(out, path, sets, nsets, fonts, a), 0);
}

int rp_style_load(rp_style *out, const char *path, rp_fonts *fonts, rp_arena *a)
{
    return rp_style_load_overrides(out, path, NULL, 0, fonts, a);
}
