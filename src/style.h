/* style: loading and validating an XML style, resolved to plain values in points.
 *
 * A style file (styles/style.rng, documented property by property in styles/README.md) sets
 * the paper, margins, one text style per text role, the role colour palette, the furniture
 * colours, the spacing around blocks and the fallback fonts. A style may extend another
 * (extends="parent.xml") and change only what it sets; command-line overrides
 * (--set NAME=VALUE) are applied last, with the same checks and messages. Loading validates
 * with RELAX NG, then checks what a schema cannot (font families installed via fontconfig,
 * units, ranges), reporting every problem at its line (or at its --set option). */
#ifndef RP_STYLE_H
#define RP_STYLE_H

#include <stddef.h>

#include "arena.h"
#include "fonts.h"
#include "pages.h"

/* Text roles: one text style each. Names in the style file are given in comments. */
typedef enum {
    RP_TS_BODY,        /* "body": paragraphs and list items of the guide */
    RP_TS_TITLE,       /* "title": the guide's title */
    RP_TS_SUBTITLE,    /* "subtitle" */
    RP_TS_META,        /* "meta": attribution line under the title */
    RP_TS_H1,          /* "heading1": numbered section headings */
    RP_TS_H2,          /* "heading2": numbered sub-section headings */
    RP_TS_TOC,         /* "toc": contents entries */
    RP_TS_TABLE,       /* "table": table cells */
    RP_TS_TABLE_HEAD,  /* "table-head": table header row */
    RP_TS_CAPTION,     /* "caption": figure and table captions, figure labels */
    RP_TS_FOOTER,      /* "footer": running footer */
    RP_TS_CHEAT_TITLE, /* "cheat-title": the cheat sheet's title */
    RP_TS_CHEAT_HEAD,  /* "cheat-heading": role names and box headings of the cheat sheet */
    RP_TS_CHEAT_BODY,  /* "cheat-body": cheat sheet text (shrinks to fit) */
    RP_TS__COUNT
} rp_text_role;

typedef struct rp_text_style {
    const char *family;
    int bold, italic;     /* the role's own weight and slant */
    int faces[4];         /* resolved faces indexed by (bold | italic << 1) of inline text */
    double size, leading; /* points; leading = baseline-to-baseline distance */
    rp_color color;
    double space_before, space_after; /* points */
    int align_justify;                /* 1 = justified, 0 = ragged right */
    long line;                        /* line of the style file that set it (0 = default) */
} rp_text_style;

#define RP_STYLE_MAX_PALETTE 8 /* enough for the 4 roles a source may compare, and spares */
#define RP_STYLE_MAX_ROLE_COLORS 16
#define RP_STYLE_MAX_FALLBACK 8    /* fallback families; a longer chain only slows the search */
#define RP_STYLE_MAX_OVERRIDES 256 /* --set options of one run: far more than a person types */
#define RP_STYLE_MAX_DEPTH                                                                         \
    16 /* styles extending styles: deeper is a mistake (bounds recursion)                          \
        */

/* A family that draws the characters the text roles' own fonts lack. */
typedef struct rp_fallback {
    const char *family;
    int faces[4]; /* indexed by (bold | italic << 1), like rp_text_style.faces */
} rp_fallback;

typedef struct rp_style {
    const char *path;
    const char *name;
    const char *files[RP_STYLE_MAX_DEPTH]; /* the files read: path, then what it extends */
    size_t nfiles;
    /* page */
    const char *paper;     /* "a4" or "letter" */
    int landscape;         /* guide orientation */
    double page_w, page_h; /* guide page size after orientation, points */
    double margin_top, margin_bottom, margin_left, margin_right;
    int mirror; /* even pages swap the left and right margins (margin-left is the inner one) */
    /* text */
    rp_text_style text[RP_TS__COUNT];
    /* colours */
    rp_color palette[RP_STYLE_MAX_PALETTE]; /* role colours by role position */
    size_t npalette;
    struct {
        const char *role; /* role id */
        rp_color color;
    } role_colors[RP_STYLE_MAX_ROLE_COLORS]; /* per-id overrides of the palette */
    size_t nrole_colors;
    rp_color accent; /* headings' numbers, title rule, links */
    rp_color rule;   /* table rules and separators */
    rp_color muted;  /* footer, captions */
    rp_color table_head_bg, table_stripe_bg;
    /* spacing (points) */
    double paragraph_space; /* between paragraphs */
    double list_indent;     /* indent of a bulleted list's text */
    double list_item_space; /* between list items */
    double block_space;     /* around tables and figures */
    double cell_padding;    /* inside table cells */
    /* cheat sheet */
    int cheat_landscape;
    double cheat_margin;   /* all four margins */
    double cheat_min_size; /* floor of the shrink-to-fit search (default 7 pt) */
    double cheat_step;     /* shrink step (default 0.5 pt) */
    /* fonts */
    rp_fallback fallback[RP_STYLE_MAX_FALLBACK]; /* tried in order for missing glyphs */
    size_t nfallback;
} rp_style;

/* Load and validate the style at path (and the styles it extends), resolving fonts through
 * fonts. Strings live in the arena. Returns 0 on success, -1 after reporting every problem
 * through rp_diag() (a file that cannot be read also sets rp_diag_io_failure()). */
int rp_style_load(rp_style *out, const char *path, rp_fonts *fonts, rp_arena *a);

/* rp_style_load, then the overrides sets[0..nsets), each "NAME=VALUE" as given to --set
 * (styles/README.md lists the names), applied in order with the file's checks; messages
 * about an override name it in place of a file ("--set page.margin=1mm: error: ..."). */
int rp_style_load_overrides(rp_style *out, const char *path, const char *const *sets, size_t nsets,
                            rp_fonts *fonts, rp_arena *a);

/* rp_style_load_overrides in two steps, so that the caller can work while fontconfig
 * loads (rp_fonts_start): rp_style_load_begin reads and checks the files and the overrides,
 * reporting nothing yet; rp_style_load_end resolves the font families (waiting for
 * fontconfig) and reports every message, then returns as rp_style_load_overrides does. The
 * loader lives in the arena. With regular_only set, only each family's regular face is
 * looked up (faces[] all hold it): the messages are the same, as a missing bold or italic
 * face falls back to the regular one, but the style is fit only for checking, not for
 * laying out (validate). */
typedef struct rp_style_loader rp_style_loader;
rp_style_loader *rp_style_load_begin(rp_style *out, const char *path, const char *const *sets,
                                     size_t nsets, rp_fonts *fonts, rp_arena *a);
int rp_style_load_end(rp_style_loader *l, int regular_only);

/* Override the paper ("a4" or "letter", case-insensitive); recomputes page_w/page_h.
 * Returns -1 for an unknown name (nothing reported). */
int rp_style_set_paper(rp_style *s, const char *paper);

/* Left margin of the page with this 0-based index: margin_left, or on even pages (odd
 * indices) of a mirrored style margin_right. */
double rp_style_page_left(const rp_style *s, size_t page);

/* Colour of the role with this id at this position among the source's roles. */
rp_color rp_style_role_color(const rp_style *s, const char *role_id, size_t index);

/* Parse an absolute length ("12pt", "4.5mm", "1cm", "0.5in"), locale-independently.
 * Returns 0 and stores points, or -1 if malformed. (src/styleval.c) */
int rp_style_parse_length(const char *s, double *pt);
/* Parse "#rrggbb" or a colour name ("navy"). Returns 0 or -1. (src/styleval.c) */
int rp_style_parse_color(const char *s, rp_color *c);

#endif
