/* model: the article as plain C structs, independent of XML and of any layout.
 *
 * Built by source.c from a validated file; read by the guide and cheat-sheet layouts.
 * Every node keeps the source line it came from so later stages can point at it.
 * All memory belongs to the arena that source.c was given. */
#ifndef RP_MODEL_H
#define RP_MODEL_H

#include <stddef.h>

/* Inline span flags. */
enum { RP_SPAN_EM = 1, RP_SPAN_STRONG = 2 };

typedef struct rp_span {
    const char *text; /* UTF-8, whitespace already collapsed to single spaces */
    unsigned flags;   /* RP_SPAN_EM | RP_SPAN_STRONG */
} rp_span;

/* A run of styled text: a paragraph, a list item, a table cell. Spans are normalised:
 * runs of white space collapsed to one space, none at the start or the end. */
typedef struct rp_inline {
    rp_span *spans;
    size_t nspans;
    long line;
} rp_inline;

typedef enum {
    RP_BLOCK_PARA,          /* text */
    RP_BLOCK_LIST,          /* items (bulleted) */
    RP_BLOCK_ORGS,          /* items: certifying organisations (bulleted) */
    RP_BLOCK_COMPARISON,    /* caption, aspects */
    RP_BLOCK_ROLE_OVERVIEW, /* table of every role's definition, focus, horizon, origin */
    RP_BLOCK_ROLE_LISTS,    /* which: every role's responsibilities or skills side by side */
    RP_BLOCK_ROLE_PATHS,    /* role: that role's paths, as numbered sub-sections */
    RP_BLOCK_FIGURE,        /* figure, caption */
    RP_BLOCK_COLLABORATION  /* the article's collaboration items as a list */
} rp_block_kind;

typedef enum { RP_LISTS_RESPONSIBILITIES, RP_LISTS_SKILLS } rp_lists_kind;
typedef enum { RP_FIGURE_HORIZON, RP_FIGURE_VENN } rp_figure_kind;

typedef struct rp_aspect {
    const char *name;
    rp_inline *values; /* one per role, in role order */
    long line;
} rp_aspect;

typedef struct rp_block {
    rp_block_kind kind;
    long line;
    rp_inline text;   /* PARA */
    rp_inline *items; /* LIST, ORGS */
    size_t nitems;
    rp_inline caption; /* COMPARISON, FIGURE */
    rp_aspect *aspects;
    size_t naspects;
    rp_lists_kind which;   /* ROLE_LISTS */
    size_t role;           /* ROLE_PATHS: index into rp_article.roles */
    rp_figure_kind figure; /* FIGURE */
} rp_block;

typedef struct rp_path {
    const char *id, *title;
    rp_inline summary;
    rp_block *blocks; /* PARA, LIST or ORGS */
    size_t nblocks;
    rp_inline *orgs; /* the organisations named, for the cheat sheet */
    size_t norgs;
    long line;
} rp_path;

typedef struct rp_role {
    const char *id, *name, *short_name; /* short_name defaults to name */
    rp_inline definition, focus, horizon, origin;
    double horizon_pos; /* 0 = strategic/long-term .. 1 = tactical/short-term */
    const char **traits;
    size_t ntraits;
    rp_inline *responsibilities;
    size_t nresponsibilities;
    rp_inline *skills;
    size_t nskills;
    rp_path *paths;
    size_t npaths;
    long line;
} rp_role;

typedef struct rp_section {
    const char *id, *title;
    int level; /* 1 = top-level section, 2 = sub-section, ... */
    rp_block *blocks;
    size_t nblocks;
    struct rp_section *children;
    size_t nchildren;
    long line;
} rp_section;

#define RP_MAX_ROLES 4 /* a comparison of more than four roles stops fitting side by side */
/* Section nesting: three levels in the body, a fourth for role paths inside the deepest;
 * deeper numbers ("1.2.3.4.5") stop helping a reader of a handout. */
#define RP_MAX_SECTION_DEPTH 3

typedef struct rp_article {
    const char *file; /* path as given, for diagnostics */
    const char *lang; /* xml:lang, "en" by default */
    long lang_line;   /* line of the root element, which carries xml:lang */
    const char *title, *subtitle, *author;
    long meta_line; /* line of <meta>, for messages about the title block */
    const char *based_on, *based_on_publisher, *based_on_href; /* may be NULL */
    const char **keywords;
    size_t nkeywords;
    rp_role *roles;
    size_t nroles;
    rp_inline *shared;
    size_t nshared;
    rp_inline *collaboration;
    size_t ncollaboration;
    rp_section *sections;
    size_t nsections;
} rp_article;

/* Plain text of an inline run (spans concatenated), arena-owned. */
struct rp_arena;
char *rp_inline_text(struct rp_arena *a, const rp_inline *in);

#endif
