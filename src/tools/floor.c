/* floor: the cost of writing a laid-out document with libharu alone, for `make bench`.
 *
 * Reads documents dumped by `rolepress ... --dump=replay` (no XML, no style, no fonts
 * measured, no layout), then writes each one straight through libharu as src/pdf.c would:
 * the same embedded TrueType fonts with the same character codes, the same glyph runs at
 * the same positions with the same font, size and colour changes, the same rectangles,
 * lines, ellipses and polygons (opacity, dashes), the same page size, compression
 * HPDF_COMP_ALL. And nothing else: no links, outlines or document information, and the
 * file is written by HPDF_SaveToFile (no temporary file, no rename).
 *
 * Fonts: pdf.c embeds a subset of each font (src/subset.c) keyed by the document's own
 * two-byte codes (src/pdffont.c), which spares libharu most of its font work. The floor
 * does the same with the same code, so that it stays a floor: the codes and subsets are
 * made before the clock starts (like reading the dump, making them is rolepress's work,
 * not libharu's); loading them into libharu, the fonts' encoder and ToUnicode maps, and
 * encoding each glyph run to the codes happen inside the timed phase, as pdf.c does them.
 * --full-fonts embeds the whole font files instead (libharu's own subsetting only).
 *
 * Only the output phase is timed (CLOCK_MONOTONIC, and processor time): HPDF_New, loading the
 * fonts, adding and drawing the pages, saving, HPDF_Free, for every document of the dump. Reading
 * the dump comes first and is not timed. --runs N repeats the output phase N times in this one
 * process and reports the minimum, median and maximum.
 *
 *   floor [--runs N] [--json] [--full-fonts] DUMP OUT.pdf [OUT2.pdf...]   one per document
 *   floor [--full-fonts] --read-only DUMP    read the dump and make the fonts only (baseline)
 *   floor --redump DUMP                                    read it and dump it again
 *
 * Exit status: 0 success, 1 a malformed dump, 2 usage, 3 an I/O or libharu error. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>
#include "../pages.h"
#include "../pdf.h"
#include "../pdffont.h"
#include "../pdfstream.h"
#include "../subset.h"

#define MAX_DOCS 8    /* build dumps two documents; room to spare */
#define MAX_RUNS 1000 /* repetitions of the output phase */

/* ---- reading the dump ---------------------------------------------------------------- */

typedef struct reader {
    const char *path;
    char *line; /* the line being read; fields are taken from its front */
    long lineno;
    int bad; /* a field was missing or malformed */
} reader;

static double num(reader *r)
{
    char *end;
    double v = strtod(r->line, &end);
    if (end == r->line || (*end != ' ' && *end != '\0'))
        r->bad = 1;
    r->line = *end == ' ' ? end + 1 : end;
    return v;
}

static int integer(reader *r)
{
    return (int)num(r);
}

/* The rest of the line (a string field, possibly empty). */
static const char *rest(reader *r)
{
    const char *s = r->line;
    r->line += strlen(r->line);
    return s;
}

/* Nonzero if the line starts with the word w (then skips it and one space). */
static int word(reader *r, const char *w)
{
    size_t n = strlen(w);
    if (strncmp(r->line, w, n) != 0 || (r->line[n] != ' ' && r->line[n] != '\0'))
        return 0;
    r->line += r->line[n] ? n + 1 : n;
    return 1;
}

static int shape_kind(reader *r, rp_item_kind *kind)
{
    static const char *const names[] = {"rect", "line", "ellipse", "poly"};
    static const rp_item_kind kinds[] = {RP_ITEM_RECT, RP_ITEM_LINE, RP_ITEM_ELLIPSE, RP_ITEM_POLY};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (word(r, names[i])) {
            *kind = kinds[i];
            return 0;
        }
    return -1;
}

static void read_color(reader *r, rp_color *c)
{
    c->r = num(r);
    c->g = num(r);
    c->b = num(r);
}

/* One item line of a page ("text", "shape" or "link") into *it. Returns 0 or -1. */
static int read_item(reader *r, rp_arena *a, rp_item *it)
{
    memset(it, 0, sizeof *it);
    if (word(r, "text")) {
        it->kind = RP_ITEM_TEXT;
        it->x = num(r), it->y = num(r), it->w = num(r);
        it->face = integer(r);
        it->size = num(r);
        read_color(r, &it->fill_color);
        it->track = num(r);
        long nk = integer(r);
        if (nk < 0 || nk > 100000)
            return -1;
        if (nk > 0) {
            rp_kern *k = rp_arena_alloc(a, (size_t)nk * sizeof *k);
            for (long i = 0; i < nk; i++) {
                k[i].at = (size_t)integer(r);
                k[i].x = num(r);
            }
            it->kerns = k;
            it->nkerns = (size_t)nk;
        }
        it->fill = 1;
        it->alpha = 1;
        it->text = rest(r);
        return 0;
    }
    if (word(r, "link")) {
        it->kind = RP_ITEM_LINK;
        it->x = num(r), it->y = num(r), it->w = num(r), it->h = num(r);
        it->target_page = integer(r);
        it->target_y = num(r);
        it->uri = *r->line ? rest(r) : NULL;
        return 0;
    }
    if (!word(r, "shape") || shape_kind(r, &it->kind) != 0)
        return -1;
    it->x = num(r), it->y = num(r), it->w = num(r), it->h = num(r);
    it->fill = integer(r);
    it->stroke = integer(r);
    read_color(r, &it->fill_color);
    read_color(r, &it->stroke_color);
    it->line_width = num(r), it->alpha = num(r), it->dash = num(r);
    long npts = (long)num(r);
    if (npts < 0 || npts > 100000)
        return -1;
    if (npts > 0) {
        double *pts = rp_arena_alloc(a, (size_t)npts * 2 * sizeof *pts);
        for (long i = 0; i < 2 * npts; i++)
            pts[i] = num(r);
        it->pts = pts;
        it->npts = (size_t)npts;
    }
    return 0;
}

/* The next line of buf (from *pos), NUL-terminated in place, or NULL at the end. */
static char *next_line(char *buf, size_t len, size_t *pos)
{
    if (*pos >= len)
        return NULL;
    char *s = buf + *pos, *nl = memchr(s, '\n', len - *pos);
    if (nl) {
        *nl = '\0';
        *pos = (size_t)(nl - buf) + 1;
    } else {
        *pos = len;
    }
    return s;
}

/* The header and face lines of a document ("replay 1" already read). NULL on error. */
static rp_pages *read_head(reader *r, rp_arena *a, char *buf, size_t len, size_t *pos)
{
    r->line = next_line(buf, len, pos);
    r->lineno++;
    if (!r->line || !word(r, "document"))
        return NULL;
    double w = num(r), h = num(r);
    long npages = (long)num(r), nfaces = (long)num(r);
    (void)num(r); /* outlines: counted as they come */
    if (r->bad || npages < 0 || nfaces < 0 || nfaces > 10000)
        return NULL;
    rp_pages *d = rp_pages_new(a, w, h);
    d->nfaces = (size_t)nfaces;
    d->faces = rp_arena_alloc(a, (d->nfaces ? d->nfaces : 1) * sizeof *d->faces);
    for (size_t i = 0; i < d->nfaces; i++) {
        r->line = next_line(buf, len, pos);
        r->lineno++;
        if (!r->line || !word(r, "face") || (size_t)integer(r) != i)
            return NULL;
        d->faces[i].bold = integer(r);
        d->faces[i].italic = integer(r);
        d->faces[i].path = rest(r);
        d->faces[i].family = d->faces[i].path;
    }
    return r->bad ? NULL : d;
}

/* One document, from its "document" line to its "end" line. Strings point into buf,
 * which must outlive the document. NULL after reporting a malformed line. */
static rp_pages *read_doc(reader *r, rp_arena *a, char *buf, size_t len, size_t *pos)
{
    rp_pages *d = read_head(r, a, buf, len, pos);
    while (d && (r->line = next_line(buf, len, pos)) != NULL) {
        r->lineno++;
        if (word(r, "end"))
            return d;
        if (word(r, "page")) {
            rp_pages_add_page(d);
        } else if (word(r, "outline")) {
            int level = integer(r), page = integer(r);
            double y = num(r);
            rp_pages_add_outline(d, rest(r), level, page, y);
        } else {
            rp_item it;
            if (d->npages == 0 || read_item(r, a, &it) != 0)
                break;
            if (it.kind == RP_ITEM_TEXT && (it.face < 0 || (size_t)it.face >= d->nfaces))
                break;
            rp_pages_add(d, d->npages - 1, &it);
        }
        if (r->bad)
            break;
    }
    fprintf(stderr, "%s:%ld: error: malformed replay dump\n", r->path, r->lineno);
    return NULL;
}

/* Read the whole file at path into a malloc'd buffer. NULL after reporting. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (n == cap) {
            char *grown = realloc(buf, cap = cap ? cap * 2 : 1 << 20);
            if (!grown)
                break;
            buf = grown;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    int err = ferror(f) || n == cap;
    fclose(f);
    if (err) {
        fprintf(stderr, "%s: error: cannot read\n", path);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Every document of the dump in buf. Returns the count, or -1 after reporting. */
static int read_dump(const char *path, char *buf, size_t len, rp_arena *a, rp_pages **docs)
{
    reader r = {path, NULL, 0, 0};
    size_t pos = 0;
    int n = 0;
    while ((r.line = next_line(buf, len, &pos)) != NULL) {
        r.lineno++;
        if (!word(&r, "replay") || integer(&r) != 1 || r.bad || n == MAX_DOCS) {
            fprintf(stderr, "%s:%ld: error: expected 'replay 1' (at most %d documents)\n", path,
                    r.lineno, MAX_DOCS);
            return -1;
        }
        docs[n] = read_doc(&r, a, buf, len, &pos);
        if (!docs[n++])
            return -1;
    }
    if (n == 0)
        fprintf(stderr, "%s: error: no document in the dump\n", path);
    return n ? n : -1;
}

/* ---- writing with libharu ------------------------------------------------------------ */

/* The fonts of one document, made before the clock starts: for each face, the subset of
 * the code points the document draws with the faces of its file (NULL: embed the whole
 * file) and the highest of those code points. Faces of one file share the first one's. */
typedef struct fontset {
    rp_codes *codes; /* the document's character codes (pdffont.h) */
    rp_cpset *cps;   /* per face: the code points drawn with the faces of its file */
    rp_subset **subs;
    size_t *first; /* the first face of the same file */
} fontset;

typedef struct out {
    const rp_pages *doc;
    const fontset *fs;
    HPDF_Doc pdf;
    HPDF_Font *fonts;     /* per face, loaded on first use */
    unsigned char *whole; /* per face: a whole font file (libharu subsets it) */
    HPDF_ExtGState gs[16];
    double gs_alpha[16];
    int ngs;
    HPDF_STATUS error; /* first libharu error */
    rp_deflater *z;    /* compresses pages and font programs (NULL: libharu does) */
    /* the text state of the page, to repeat neither BT nor Tf nor rg (as pdf.c does) */
    int in_text, have_fill;
    HPDF_Font font;
    double size, track;
    rp_color fill;
} out;

static void HPDF_STDCALL on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *data)
{
    out *o = data;
    (void)detail_no;
    if (!o->error)
        o->error = error_no;
}

static HPDF_REAL flip(const out *o, double y)
{
    return (HPDF_REAL)(o->doc->height - y);
}

static void end_text(out *o, HPDF_Page page)
{
    if (o->in_text)
        HPDF_Page_EndText(page);
    o->in_text = 0;
}

static void draw_text(out *o, HPDF_Page page, const rp_item *it)
{
    HPDF_Font font = o->fonts[it->face];
    if (!o->in_text)
        HPDF_Page_BeginText(page);
    o->in_text = 1;
    if (font != o->font || it->size != o->size)
        HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)it->size);
    o->font = font;
    o->size = it->size;
    const rp_color *c = &it->fill_color;
    if (!o->have_fill || c->r != o->fill.r || c->g != o->fill.g || c->b != o->fill.b)
        HPDF_Page_SetRGBFill(page, (HPDF_REAL)c->r, (HPDF_REAL)c->g, (HPDF_REAL)c->b);
    o->have_fill = 1;
    o->fill = *c;
    if (it->track != o->track)
        HPDF_Page_SetCharSpace(page, (HPDF_REAL)it->track);
    o->track = it->track;
    /* encoded to the document's codes and, when kerned, in pieces, as src/pdf.c draws it */
    char piece[4096];
    size_t len = strlen(it->text), from, to;
    for (size_t k = 0; k <= it->nkerns; k++) {
        double dx = rp_item_piece(it, len, k, &from, &to);
        size_t n = to - from < sizeof piece / 2 ? to - from : sizeof piece / 2 - 1;
        n = rp_codes_encode(o->fs->codes, it->text + from, n, piece);
        if (n && o->whole[it->face])
            rp_pdffont_mark(font, piece, n);
        if (n)
            rp_pdffont_show(page, (HPDF_REAL)(it->x + dx), flip(o, it->y), piece, n);
    }
}

/* The ExtGState for fill opacity alpha, made on first use. */
static HPDF_ExtGState alpha_state(out *o, double alpha)
{
    for (int i = 0; i < o->ngs; i++)
        if (o->gs_alpha[i] == alpha)
            return o->gs[i];
    if (o->ngs == (int)(sizeof o->gs / sizeof o->gs[0]))
        return NULL;
    HPDF_ExtGState gs = HPDF_CreateExtGState(o->pdf);
    if (gs)
        HPDF_ExtGState_SetAlphaFill(gs, (HPDF_REAL)alpha);
    o->gs_alpha[o->ngs] = alpha;
    return o->gs[o->ngs++] = gs;
}

static void shape_path(const out *o, HPDF_Page page, const rp_item *it, double k)
{
    double h = o->doc->height;
    switch (it->kind) {
    case RP_ITEM_RECT:
        HPDF_Page_Rectangle(page, (HPDF_REAL)(it->x * k), (HPDF_REAL)((h - it->y - it->h) * k),
                            (HPDF_REAL)(it->w * k), (HPDF_REAL)(it->h * k));
        return;
    case RP_ITEM_ELLIPSE:
        HPDF_Page_Ellipse(page, (HPDF_REAL)(it->x * k), (HPDF_REAL)((h - it->y) * k),
                          (HPDF_REAL)(it->w * k), (HPDF_REAL)(it->h * k));
        HPDF_Page_ClosePath(page);
        return;
    case RP_ITEM_LINE:
        HPDF_Page_MoveTo(page, (HPDF_REAL)(it->x * k), (HPDF_REAL)((h - it->y) * k));
        HPDF_Page_LineTo(page, (HPDF_REAL)((it->x + it->w) * k),
                         (HPDF_REAL)((h - it->y - it->h) * k));
        return;
    default:
        for (size_t i = 0; i < it->npts; i++) {
            HPDF_REAL x = (HPDF_REAL)((it->x + it->pts[2 * i]) * k);
            HPDF_REAL y = (HPDF_REAL)((h - it->y - it->pts[2 * i + 1]) * k);
            if (i == 0)
                HPDF_Page_MoveTo(page, x, y);
            else
                HPDF_Page_LineTo(page, x, y);
        }
        HPDF_Page_ClosePath(page);
    }
}

static void draw_shape(out *o, HPDF_Page page, const rp_item *it)
{
    int fill = it->fill && it->kind != RP_ITEM_LINE;
    int stroke = it->stroke || it->kind == RP_ITEM_LINE;
    double k =
        stroke && it->dash > 0 ? rp_pdf_dash_scale(o->doc->width, o->doc->height, it->dash) : 1;
    end_text(o, page);
    if ((!fill && !stroke) || (it->kind == RP_ITEM_POLY && it->npts < 2))
        return;
    HPDF_Page_GSave(page);
    if (k != 1)
        HPDF_Page_Concat(page, (HPDF_REAL)(1 / k), 0, 0, (HPDF_REAL)(1 / k), 0, 0);
    if (fill) {
        const rp_color *c = &it->fill_color;
        if (it->alpha < 1)
            HPDF_Page_SetExtGState(page, alpha_state(o, it->alpha < 0 ? 0 : it->alpha));
        HPDF_Page_SetRGBFill(page, (HPDF_REAL)c->r, (HPDF_REAL)c->g, (HPDF_REAL)c->b);
    }
    if (stroke) {
        const rp_color *c = &it->stroke_color;
        HPDF_Page_SetRGBStroke(page, (HPDF_REAL)c->r, (HPDF_REAL)c->g, (HPDF_REAL)c->b);
        HPDF_Page_SetLineWidth(page, (HPDF_REAL)(it->line_width > 0 ? it->line_width * k : 0));
        if (it->dash > 0) {
            double d = it->dash * k + 0.5;
            HPDF_UINT16 len = (HPDF_UINT16)(d > HPDF_MAX_DASH_PATTERN ? HPDF_MAX_DASH_PATTERN : d);
            const HPDF_UINT16 pattern[2] = {len, len};
            HPDF_Page_SetDash(page, pattern, 2, 0);
        }
    }
    shape_path(o, page, it, k);
    if (fill && stroke)
        HPDF_Page_FillStroke(page);
    else if (fill)
        HPDF_Page_Fill(page);
    else
        HPDF_Page_Stroke(page);
    HPDF_Page_GRestore(page);
}

/* ---- fonts, as pdf.c embeds them ----------------------------------------------------- */

/* Make the fonts of doc (subsets unless full, keyed by the document's codes): see
 * fontset. Returns 0, or -1 if out of memory. A font HarfBuzz cannot subset is embedded
 * whole, as pdf.c does. */
static int fontset_make(fontset *fs, const rp_pages *doc, int full)
{
    size_t n = doc->nfaces ? doc->nfaces : 1;
    fs->codes = rp_codes_of(doc, &fs->cps);
    fs->subs = calloc(n, sizeof *fs->subs);
    fs->first = calloc(n, sizeof *fs->first);
    if (!fs->codes || !fs->subs || !fs->first)
        return -1;
    for (size_t i = 0; i < doc->nfaces; i++) {
        size_t f = 0;
        while (f < i && strcmp(doc->faces[f].path, doc->faces[i].path) != 0)
            f++;
        fs->first[i] = f;
        if (f != i)
            rp_cpset_union(&fs->cps[f], &fs->cps[i]);
    }
    for (size_t i = 0; i < doc->nfaces; i++)
        if (fs->first[i] == i && !full && rp_cpset_last(&fs->cps[i]) >= 0)
            fs->subs[i] = rp_subset_new(doc->faces[i].path, &fs->cps[i], rp_codes_key, fs->codes);
    return 0;
}

static void fontset_free(fontset *fs, size_t nfaces)
{
    for (size_t i = 0; fs->subs && i < nfaces; i++)
        rp_subset_free(fs->subs[i]);
    free(fs->subs);
    free(fs->cps);
    free(fs->first);
    rp_codes_free(fs->codes);
}

/* Embed face i (the font of its file, once), as pdf.c's load_face() does. */
static void load_face(out *o, size_t i)
{
    const fontset *fs = o->fs;
    size_t f = fs->first[i];
    for (size_t j = 0; j < o->doc->nfaces; j++)
        if (o->fonts[j] && fs->first[j] == f) {
            o->fonts[i] = o->fonts[j];
            o->whole[i] = o->whole[j];
            return;
        }
    int whole = 0;
    HPDF_STATUS st = HPDF_INVALID_OBJECT;
    o->fonts[i] = rp_pdffont_embed(o->pdf, o->doc->faces[i].path, fs->subs[f], fs->codes,
                                   &fs->cps[f], o->z, &whole, &st);
    if (!o->fonts[i] && !o->error)
        o->error = st;
    o->whole[i] = (unsigned char)whole;
}

/* Embed the faces text uses, in the order of first use (as pdf.c loads them). */
static void load_fonts(out *o)
{
    for (size_t p = 0; p < o->doc->npages && !o->error; p++)
        for (size_t i = 0; i < o->doc->pages[p].nitems && !o->error; i++) {
            const rp_item *it = &o->doc->pages[p].items[i];
            if (it->kind == RP_ITEM_TEXT && it->text && *it->text && !o->fonts[it->face])
                load_face(o, (size_t)it->face);
        }
}

/* ---- writing ------------------------------------------------------------------------- */

/* Write doc to path through libharu with the fonts fs. Returns 0, or 3 after reporting. */
static int write_doc(const rp_pages *doc, const fontset *fs, const char *path)
{
    out o;
    memset(&o, 0, sizeof o);
    o.doc = doc;
    o.fs = fs;
    o.fonts = calloc(doc->nfaces ? doc->nfaces : 1,
                     sizeof *o.fonts); // NOLINT(bugprone-sizeof-expression): array of handles
    o.whole = calloc(doc->nfaces ? doc->nfaces : 1, 1);
    o.pdf = o.fonts && o.whole ? HPDF_New(on_error, &o) : NULL;
    if (!o.pdf) {
        free(o.fonts);
        free(o.whole);
        fputs("floor: error: out of memory\n", stderr);
        return 3;
    }
    HPDF_SetCompressionMode(o.pdf, HPDF_COMP_ALL);
    o.z = rp_deflater_new(); /* pages and font programs compressed as pdf.c compresses them */
    /* every page first, as pdf.c does, then the drawing */
    HPDF_Page *pages = calloc(doc->npages ? doc->npages : 1,
                              sizeof *pages); // NOLINT(bugprone-sizeof-expression): handles
    for (size_t p = 0; pages && p < doc->npages && !o.error; p++) {
        pages[p] = HPDF_AddPage(o.pdf);
        HPDF_Page_SetWidth(pages[p], (HPDF_REAL)doc->width);
        HPDF_Page_SetHeight(pages[p], (HPDF_REAL)doc->height);
    }
    if (pages)
        load_fonts(&o);
    for (size_t p = 0; pages && p < doc->npages && !o.error; p++) {
        o.in_text = o.have_fill = 0;
        o.track = 0;
        o.font = NULL;
        for (size_t i = 0; i < doc->pages[p].nitems && !o.error; i++) {
            const rp_item *it = &doc->pages[p].items[i];
            if (it->kind == RP_ITEM_TEXT && it->text && *it->text)
                draw_text(&o, pages[p], it);
            else if (it->kind != RP_ITEM_TEXT && it->kind != RP_ITEM_LINK)
                draw_shape(&o, pages[p], it);
        }
        end_text(&o, pages[p]);
        if (o.z && rp_deflate_page(o.z, pages[p]) != HPDF_OK && !o.error)
            o.error = HPDF_INVALID_OBJECT;
    }
    if (pages && !o.error)
        HPDF_SaveToFile(o.pdf, path);
    int rc = 0;
    if (!pages || o.error) {
        fprintf(stderr, "%s: error: libharu error 0x%04X\n", path, (unsigned)o.error);
        rc = 3;
    }
    HPDF_Free(o.pdf);
    rp_deflater_free(o.z);
    free(pages);
    free(o.fonts);
    free(o.whole);
    return rc;
}

/* ---- main ---------------------------------------------------------------------------- */

static double clock_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int usage(void)
{
    fputs("usage: floor [--runs N] [--json] [--full-fonts] DUMP OUT.pdf [OUT2.pdf...]\n"
          "       floor [--full-fonts] --read-only DUMP\n"
          "       floor --redump DUMP\n",
          stderr);
    return 2;
}

typedef struct args {
    int runs, json, read_only, redump, full_fonts;
    const char *dump;
    char **outs;
    int nouts;
} args;

static int parse_args(int argc, char **argv, args *a)
{
    int i = 1;
    a->runs = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            a->runs = atoi(argv[++i]);
            if (a->runs < 1 || a->runs > MAX_RUNS)
                return -1;
        } else if (strcmp(argv[i], "--json") == 0) {
            a->json = 1;
        } else if (strcmp(argv[i], "--read-only") == 0) {
            a->read_only = 1;
        } else if (strcmp(argv[i], "--redump") == 0) {
            a->redump = 1;
        } else if (strcmp(argv[i], "--full-fonts") == 0) {
            a->full_fonts = 1;
        } else {
            return -1;
        }
    }
    if (i >= argc)
        return -1;
    a->dump = argv[i++];
    a->outs = argv + i;
    a->nouts = argc - i;
    return 0;
}

/* Run the output phase a->runs times; prints the times. Returns 0 or 3. */
/* read_ms, fonts_ms: time taken to read the dump and to make the subsets (not counted). */
static int output(const args *a, rp_pages **docs, const fontset *fs, int ndocs, double read_ms,
                  double fonts_ms)
{
    static double ms[MAX_RUNS];
    double cpu = 0; /* processor time of all runs (user + system) */
    size_t pages = 0, items = 0;
    for (int d = 0; d < ndocs; d++) {
        pages += docs[d]->npages;
        for (size_t p = 0; p < docs[d]->npages; p++)
            items += docs[d]->pages[p].nitems;
    }
    for (int r = 0; r < a->runs; r++) {
        double c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID), t0 = now_ms();
        for (int d = 0; d < ndocs; d++)
            if (write_doc(docs[d], &fs[d], a->outs[d]) != 0)
                return 3;
        ms[r] = now_ms() - t0;
        cpu += clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    qsort(ms, (size_t)a->runs, sizeof ms[0], cmp_double);
    double median = a->runs % 2 ? ms[a->runs / 2] : (ms[a->runs / 2 - 1] + ms[a->runs / 2]) / 2;
    if (a->json)
        printf("{\"documents\": %d, \"pages\": %zu, \"items\": %zu, \"read_ms\": %.3f, "
               "\"fonts\": \"%s\", \"fonts_ms\": %.3f, "
               "\"runs\": %d, \"min_ms\": %.3f, \"median_ms\": %.3f, \"max_ms\": %.3f, "
               "\"mean_cpu_ms\": %.3f}\n",
               ndocs, pages, items, read_ms, a->full_fonts ? "full" : "subset", fonts_ms, a->runs,
               ms[0], median, ms[a->runs - 1], cpu / a->runs);
    else
        printf("floor: %d document(s), %zu pages, %zu items; dump read in %.1f ms, %s in "
               "%.1f ms (not counted)\nlibharu output phase, %d run(s): min %.2f ms, median "
               "%.2f ms, max %.2f ms; processor time %.2f ms a run\n",
               ndocs, pages, items, read_ms,
               a->full_fonts ? "whole font files" : "font subsets made", fonts_ms, a->runs, ms[0],
               median, ms[a->runs - 1], cpu / a->runs);
    return 0;
}

/* Make the fonts of every document (not timed), then run the output phase (unless
 * --read-only: then nothing is written). */
static int prepare_and_output(const args *a, rp_pages **docs, int ndocs, double read_ms)
{
    fontset fs[MAX_DOCS];
    int rc = 0, made = 0;
    double t0 = now_ms();
    memset(fs, 0, sizeof fs);
    for (; made < ndocs && rc == 0; made++)
        if (fontset_make(&fs[made], docs[made], a->full_fonts) != 0) {
            fputs("floor: error: out of memory\n", stderr);
            rc = 3;
        }
    if (rc == 0 && !a->read_only)
        rc = output(a, docs, fs, ndocs, read_ms, now_ms() - t0);
    for (int d = 0; d < made; d++)
        fontset_free(&fs[d], docs[d]->nfaces);
    return rc;
}

int main(int argc, char **argv)
{
    args a = {0};
    if (parse_args(argc, argv, &a) != 0)
        return usage();
    double t0 = now_ms();
    size_t len = 0;
    char *buf = slurp(a.dump, &len);
    if (!buf)
        return 3;
    rp_arena *arena = rp_arena_new();
    rp_pages *docs[MAX_DOCS];
    int ndocs = read_dump(a.dump, buf, len, arena, docs);
    double read_ms = now_ms() - t0;
    int rc = ndocs < 0 ? 1 : 0;
    if (rc == 0 && a.redump) {
        for (int d = 0; d < ndocs; d++)
            rp_pages_dump_replay(docs[d], stdout);
    } else if (rc == 0) {
        if (!a.read_only && a.nouts != ndocs) {
            fprintf(stderr, "floor: error: the dump has %d document(s) but %d output(s) given\n",
                    ndocs, a.nouts);
            rc = 2;
        } else {
            rc = prepare_and_output(&a, docs, ndocs, read_ms);
        }
    }
    rp_arena_free(arena);
    free(buf);
    return rc;
}
