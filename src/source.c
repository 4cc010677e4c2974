/* source: article file -> validated rp_article model. */
#include "source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "diag.h"
#include "schemas.h"
#include "utf8.h"
#include "xmlload.h"

/* State of one model build. */
typedef struct builder {
    const char *file;
    rp_arena *a;
    rp_article *art;
    int errors;
} builder;

static void error_at(builder *b, const xmlNode *n, const char *fmt, const char *arg)
{
    rp_diag(RP_ERROR, b->file, rp_xml_line(n), 0, fmt, arg);
    b->errors++;
}

static int is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Element children one by one: first_el(n), then next_el(c). */
static xmlNode *next_el(xmlNode *n)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

static xmlNode *first_el(xmlNode *n)
{
    return n ? next_el(n->children) : NULL;
}

static xmlNode *child(xmlNode *n, const char *name)
{
    for (xmlNode *c = first_el(n); c; c = next_el(c->next))
        if (is(c, name))
            return c;
    return NULL;
}

static size_t count_children(xmlNode *n, const char *name)
{
    size_t k = 0;
    for (xmlNode *c = first_el(n); c; c = next_el(c->next))
        k += is(c, name);
    return k;
}

static const char *attr(builder *b, xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = rp_arena_strdup(b->a, (const char *)v);
    xmlFree(v);
    return s;
}

/* Characters a page cannot show: C1 controls, and anything beyond the BMP, which the PDF
 * library turns into spaces. Refusing them keeps "nothing dropped" true. */
static void check_chars(builder *b, const xmlNode *n, const char *s)
{
    /* C1 controls are C2 80..C2 9F in UTF-8, code points above U+FFFF start with F0..F4:
     * only those bytes need a closer look */
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        if (*u != 0xC2 && *u < 0xF0)
            continue;
        size_t k, left = strlen((const char *)u);
        uint32_t cp = rp_utf8_next((const char *)u, left, &k);
        if ((cp >= 0x80 && cp <= 0x9F) || cp > 0xFFFF) {
            char what[64];
            if (cp > 0xFFFF)
                snprintf(what, sizeof what, "U+%04X (%.*s)", (unsigned)cp, (int)k, (const char *)u);
            else
                snprintf(what, sizeof what, "U+%04X", (unsigned)cp);
            error_at(b, n,
                     cp > 0xFFFF ? "character %s cannot be typeset: the PDF library draws only "
                                   "characters up to U+FFFF (the Basic Multilingual Plane) and "
                                   "would print a space"
                                 : "control character %s in text",
                     what);
        }
        u += k - 1;
    }
}

static int is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* s with XML white space collapsed, in the arena: each run of blanks becomes one space,
 * none at the end. *space: a blank is pending from text before (it becomes a space before
 * the first word, when lead is set); on return, whether s ended in blanks. */
static char *collapse(rp_arena *a, const char *s, int lead, int *space, size_t *len)
{
    char *out = rp_arena_alloc(a, strlen(s) + 2), *o = out;
    int pending = *space && lead;
    for (; *s; s++) {
        if (is_xml_space(*s)) {
            pending = o > out || lead;
            continue;
        }
        if (pending)
            *o++ = ' ';
        pending = 0;
        *o++ = *s;
    }
    *space = pending || (*space && o == out);
    *o = '\0';
    *len = (size_t)(o - out);
    return out;
}

/* Collapsed text of a node's subtree (for plain-text elements and attributes). */
static const char *plain(builder *b, xmlNode *n)
{
    xmlChar *raw = xmlNodeGetContent(n);
    int space = 0;
    size_t len;
    const char *s = collapse(b->a, raw ? (const char *)raw : "", 0, &space, &len);
    xmlFree(raw);
    check_chars(b, n, s);
    if (!*s)
        error_at(b, n, "<%s> must not be empty", (const char *)n->name);
    return s;
}

/* A human-readable attribute (a name or a title): white space collapsed like element
 * text, checked for characters a page cannot show, and never empty. */
static const char *text_attr(builder *b, xmlNode *n, const char *name)
{
    xmlChar *raw = xmlGetProp(n, (const xmlChar *)name);
    if (!raw)
        return NULL;
    int space = 0;
    size_t len;
    const char *v = collapse(b->a, (const char *)raw, 0, &space, &len);
    xmlFree(raw);
    check_chars(b, n, v);
    if (!*v)
        error_at(b, n, "attribute '%s' must not be empty or blank", name);
    return v;
}

/* One span of an inline run; a leading blank carried over from the previous span is
 * kept at the start of this one so word boundaries between spans survive. */
static void add_span(builder *b, rp_inline *in, size_t *cap, const char *text, unsigned flags,
                     int *space)
{
    size_t len;
    const char *s = collapse(b->a, text, in->nspans > 0, space, &len);
    if (len == 0) /* blanks only: they stay pending for the next span */
        return;
    rp_span *sp = rp_arena_grow(b->a, (void **)&in->spans, cap, in->nspans, sizeof *sp);
    sp->text = s;
    sp->flags = flags;
    in->nspans++;
}

/* The text of an inline child: a text node's own, or an element's (its text child's
 * when it has only that one). *owned: to xmlFree. */
static const char *child_text(xmlNode *c, xmlChar **owned)
{
    *owned = NULL;
    if (c->type == XML_TEXT_NODE)
        return c->content ? (const char *)c->content : "";
    if (c->children && !c->children->next && c->children->type == XML_TEXT_NODE)
        return c->children->content ? (const char *)c->children->content : "";
    *owned = xmlNodeGetContent(c);
    return *owned ? (const char *)*owned : NULL;
}

static rp_inline inline_text(builder *b, xmlNode *n)
{
    rp_inline in = {NULL, 0, rp_xml_line(n)};
    size_t cap = 0;
    int space = 0;
    for (xmlNode *c = n->children; c; c = c->next) {
        unsigned flags = is(c, "em") ? RP_SPAN_EM : is(c, "strong") ? RP_SPAN_STRONG : 0;
        if (c->type != XML_TEXT_NODE && !flags)
            continue;
        xmlChar *owned;
        const char *raw = child_text(c, &owned);
        if (raw) {
            check_chars(b, c->type == XML_TEXT_NODE ? n : c, raw);
            add_span(b, &in, &cap, raw, flags, &space);
        }
        xmlFree(owned);
    }
    if (in.nspans == 0)
        error_at(b, n, "<%s> must not be empty", (const char *)n->name);
    return in;
}

/* Every <item> child as an inline run. */
static rp_inline *items(builder *b, xmlNode *n, size_t *count)
{
    *count = count_children(n, "item");
    rp_inline *v = rp_arena_alloc(b->a, (*count + 1) * sizeof *v);
    size_t i = 0;
    for (xmlNode *c = first_el(n); c; c = next_el(c->next))
        if (is(c, "item"))
            v[i++] = inline_text(b, c);
    return v;
}

static const char **plains(builder *b, xmlNode *n, const char *name, size_t *count)
{
    *count = count_children(n, name);
    const char **v = rp_arena_alloc(b->a, (*count + 1) * sizeof *v);
    size_t i = 0;
    for (xmlNode *c = first_el(n); c; c = next_el(c->next))
        if (is(c, name))
            v[i++] = plain(b, c);
    return v;
}

/* ---- identifiers ---- */

/* Ids of sections, roles and paths share one namespace so links stay unambiguous. */
typedef struct id_seen {
    const char *id;
    long line;
} id_seen;

/* Ids seen so far: a hash set (open addressing, at most half full), so that a long
 * document's thousands of ids are checked in linear time. Working memory: id_table_free(). */
typedef struct id_table {
    id_seen *v; /* cap slots; id NULL = free */
    size_t n, cap;
} id_table;

static size_t id_hash(const char *s)
{
    size_t h = 14695981039346656037u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The slot of id in t: where it is, or the free slot where it would go. */
static id_seen *id_slot(const id_table *t, const char *id)
{
    size_t i = id_hash(id) & (t->cap - 1);
    while (t->v[i].id && strcmp(t->v[i].id, id) != 0)
        i = (i + 1) & (t->cap - 1);
    return &t->v[i];
}

static void id_table_grow(id_table *t)
{
    id_table big = {calloc(t->cap ? t->cap * 2 : 64, sizeof *big.v), t->n,
                    t->cap ? t->cap * 2 : 64};
    if (!big.v) {
        fputs("rolepress: error: out of memory\n", stderr);
        exit(3);
    }
    for (size_t i = 0; i < t->cap; i++)
        if (t->v[i].id)
            *id_slot(&big, t->v[i].id) = t->v[i];
    free(t->v);
    *t = big;
}

static void id_table_free(id_table *t)
{
    free(t->v);
}

static void claim_id(builder *b, id_table *t, xmlNode *n, const char *id)
{
    if (!id)
        return;
    if (2 * (t->n + 1) > t->cap)
        id_table_grow(t);
    id_seen *s = id_slot(t, id);
    if (s->id) {
        rp_diag(RP_ERROR, b->file, rp_xml_line(n), 0, "duplicate id '%s' (first used at line %ld)",
                id, s->line);
        b->errors++;
        return;
    }
    s->id = id;
    s->line = rp_xml_line(n);
    t->n++;
}

static long role_index(const builder *b, const char *id)
{
    for (size_t i = 0; i < b->art->nroles; i++)
        if (strcmp(b->art->roles[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* ---- roles ---- */

static void build_block(builder *b, rp_block *bl, xmlNode *c);

static void build_path_blocks(builder *b, rp_path *p, xmlNode *n)
{
    size_t cap = 0, ocap = 0;
    for (xmlNode *c = first_el(n); c; c = next_el(c->next)) {
        if (is(c, "summary"))
            continue;
        rp_block *bl = rp_arena_grow(b->a, (void **)&p->blocks, &cap, p->nblocks, sizeof *bl);
        build_block(b, bl, c);
        p->nblocks++;
        for (size_t i = 0; bl->kind == RP_BLOCK_ORGS && i < bl->nitems; i++) {
            rp_inline *slot = rp_arena_grow(b->a, (void **)&p->orgs, &ocap, p->norgs, sizeof *slot);
            *slot = bl->items[i];
            p->norgs++;
        }
    }
}

static void build_role(builder *b, rp_role *r, xmlNode *n, id_table *ids)
{
    r->line = rp_xml_line(n);
    r->id = attr(b, n, "id");
    r->name = text_attr(b, n, "name");
    r->short_name = text_attr(b, n, "short");
    if (!r->short_name)
        r->short_name = r->name;
    claim_id(b, ids, n, r->id);
    r->definition = inline_text(b, child(n, "definition"));
    r->focus = inline_text(b, child(n, "focus"));
    xmlNode *h = child(n, "horizon");
    r->horizon = inline_text(b, h);
    const char *pos = attr(b, h, "position");
    r->horizon_pos = 0;
    /* The schema guarantees a decimal in [0,1]; parse it without the locale. */
    double scale = 0;
    for (const char *p = pos; p && *p; p++) {
        if (*p == '.')
            scale = 1;
        else if (*p >= '0' && *p <= '9') {
            if (scale > 0)
                r->horizon_pos += (*p - '0') * (scale /= 10);
            else
                r->horizon_pos = r->horizon_pos * 10 + (*p - '0');
        }
    }
    r->origin = inline_text(b, child(n, "origin"));
    xmlNode *t = child(n, "traits");
    if (t)
        r->traits = plains(b, t, "trait", &r->ntraits);
    r->responsibilities = items(b, child(n, "responsibilities"), &r->nresponsibilities);
    r->skills = items(b, child(n, "skills"), &r->nskills);
    xmlNode *ps = child(n, "paths");
    r->npaths = count_children(ps, "path");
    r->paths = rp_arena_alloc(b->a, r->npaths * sizeof *r->paths);
    size_t i = 0;
    for (xmlNode *c = first_el(ps); c; c = next_el(c->next), i++) {
        rp_path *p = &r->paths[i];
        p->line = rp_xml_line(c);
        p->id = attr(b, c, "id");
        p->title = text_attr(b, c, "title");
        claim_id(b, ids, c, p->id);
        p->summary = inline_text(b, child(c, "summary"));
        build_path_blocks(b, p, c);
    }
}

static void build_roles(builder *b, xmlNode *n, id_table *ids)
{
    rp_article *art = b->art;
    art->nroles = count_children(n, "role");
    if (art->nroles > RP_MAX_ROLES) {
        rp_diag(RP_ERROR, b->file, rp_xml_line(n), 0,
                "%zu roles compared; at most %d fit side by side", art->nroles, RP_MAX_ROLES);
        b->errors++;
    }
    art->roles = rp_arena_alloc(b->a, art->nroles * sizeof *art->roles);
    size_t i = 0;
    for (xmlNode *c = first_el(n); c; c = next_el(c->next))
        build_role(b, &art->roles[i++], c, ids);
}

/* ---- body ---- */

static void build_comparison(builder *b, rp_block *bl, xmlNode *n)
{
    size_t nroles = b->art->nroles;
    bl->caption = inline_text(b, child(n, "caption"));
    bl->naspects = count_children(n, "aspect");
    bl->aspects = rp_arena_alloc(b->a, bl->naspects * sizeof *bl->aspects);
    size_t i = 0;
    for (xmlNode *c = first_el(n); c; c = next_el(c->next)) {
        if (!is(c, "aspect"))
            continue;
        rp_aspect *asp = &bl->aspects[i++];
        asp->name = text_attr(b, c, "name");
        asp->line = rp_xml_line(c);
        asp->values = rp_arena_alloc(b->a, (nroles + 1) * sizeof *asp->values);
        for (xmlNode *v = first_el(c); v; v = next_el(v->next)) {
            const char *role = attr(b, v, "role");
            long k = role_index(b, role);
            if (k < 0)
                error_at(b, v, "unknown role '%s' (no <role> has this id)", role);
            else if (asp->values[k].nspans)
                error_at(b, v, "second value for role '%s' in this aspect", role);
            else
                asp->values[k] = inline_text(b, v);
        }
        for (size_t k = 0; k < nroles; k++)
            if (!asp->values[k].nspans)
                error_at(b, c, "aspect has no value for role '%s'", b->art->roles[k].id);
    }
}

static void build_block(builder *b, rp_block *bl, xmlNode *c)
{
    bl->line = rp_xml_line(c);
    if (is(c, "p")) {
        bl->kind = RP_BLOCK_PARA;
        bl->text = inline_text(b, c);
    } else if (is(c, "list")) {
        bl->kind = RP_BLOCK_LIST;
        bl->items = items(b, c, &bl->nitems);
    } else if (is(c, "organisations")) {
        bl->kind = RP_BLOCK_ORGS;
        bl->nitems = count_children(c, "organisation");
        bl->items = rp_arena_alloc(b->a, (bl->nitems + 1) * sizeof *bl->items);
        size_t i = 0;
        for (xmlNode *o = first_el(c); o; o = next_el(o->next))
            bl->items[i++] = inline_text(b, o);
    } else if (is(c, "comparison")) {
        bl->kind = RP_BLOCK_COMPARISON;
        build_comparison(b, bl, c);
    } else if (is(c, "role-overview")) {
        bl->kind = RP_BLOCK_ROLE_OVERVIEW;
    } else if (is(c, "role-lists")) {
        bl->kind = RP_BLOCK_ROLE_LISTS;
        const char *of = attr(b, c, "of");
        bl->which = strcmp(of, "skills") == 0 ? RP_LISTS_SKILLS : RP_LISTS_RESPONSIBILITIES;
    } else if (is(c, "role-paths")) {
        bl->kind = RP_BLOCK_ROLE_PATHS;
        const char *role = attr(b, c, "role");
        long k = role_index(b, role);
        if (k < 0)
            error_at(b, c, "unknown role '%s' (no <role> has this id)", role);
        bl->role = k < 0 ? 0 : (size_t)k;
    } else if (is(c, "figure")) {
        bl->kind = RP_BLOCK_FIGURE;
        const char *kind = attr(b, c, "kind");
        bl->figure = strcmp(kind, "venn") == 0 ? RP_FIGURE_VENN : RP_FIGURE_HORIZON;
        bl->caption = inline_text(b, child(c, "caption"));
        if (bl->figure == RP_FIGURE_VENN) {
            if (b->art->nroles > 3)
                error_at(b, c, "a Venn diagram can show 2 or 3 roles, not %s",
                         rp_arena_printf(b->a, "%zu", b->art->nroles));
            for (size_t k = 0; k < b->art->nroles; k++)
                if (!b->art->roles[k].ntraits)
                    error_at(b, c, "a Venn diagram needs <traits> for every role; '%s' has none",
                             b->art->roles[k].id);
        }
    } else {
        bl->kind = RP_BLOCK_COLLABORATION;
    }
}

static void build_section(builder *b, rp_section *s, xmlNode *n, int level, id_table *ids)
{
    s->line = rp_xml_line(n);
    s->level = level;
    if (level == RP_MAX_SECTION_DEPTH + 1) {
        rp_diag(RP_ERROR, b->file, s->line, 0, "sections nest at most %d levels deep",
                RP_MAX_SECTION_DEPTH);
        b->errors++;
    }
    s->id = attr(b, n, "id");
    s->title = text_attr(b, n, "title");
    claim_id(b, ids, n, s->id);
    size_t nsec = count_children(n, "section");
    size_t nblk = 0;
    for (xmlNode *c = first_el(n); c; c = next_el(c->next))
        nblk += !is(c, "section");
    s->blocks = rp_arena_alloc(b->a, (nblk + 1) * sizeof *s->blocks);
    s->children = rp_arena_alloc(b->a, (nsec + 1) * sizeof *s->children);
    for (xmlNode *c = first_el(n); c; c = next_el(c->next)) {
        if (is(c, "section"))
            build_section(b, &s->children[s->nchildren++], c, level + 1, ids);
        else
            build_block(b, &s->blocks[s->nblocks++], c);
    }
}

static void build_meta(builder *b, xmlNode *m)
{
    rp_article *art = b->art;
    art->meta_line = rp_xml_line(m);
    art->title = plain(b, child(m, "title"));
    xmlNode *n = child(m, "subtitle");
    art->subtitle = n ? plain(b, n) : NULL;
    art->author = plain(b, child(m, "author"));
    if ((n = child(m, "based-on"))) {
        art->based_on = plain(b, n);
        art->based_on_publisher = text_attr(b, n, "publisher");
        art->based_on_href = attr(b, n, "href");
        for (const char *p = art->based_on_href; p && *p; p++)
            if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7F) {
                error_at(b, n, "href must be a plain ASCII address (percent-encode the rest): %s",
                         art->based_on_href);
                break;
            }
    }
    if ((n = child(m, "keywords")))
        art->keywords = plains(b, n, "keyword", &art->nkeywords);
}

static void build_article(builder *b, xmlNode *root)
{
    rp_article *art = b->art;
    id_table ids = {0};
    xmlChar *lang = xmlNodeGetLang(root);
    art->lang = rp_arena_strdup(b->a, lang ? (const char *)lang : "en");
    art->lang_line = xmlGetLineNo(root);
    xmlFree(lang);
    build_meta(b, child(root, "meta"));
    build_roles(b, child(root, "roles"), &ids);
    xmlNode *n = child(root, "shared");
    if (n)
        art->shared = items(b, n, &art->nshared);
    art->collaboration = items(b, child(root, "collaboration"), &art->ncollaboration);
    xmlNode *body = child(root, "body");
    art->nsections = count_children(body, "section");
    art->sections = rp_arena_alloc(b->a, art->nsections * sizeof *art->sections);
    size_t i = 0;
    for (xmlNode *c = first_el(body); c; c = next_el(c->next))
        build_section(b, &art->sections[i++], c, 1, &ids);
    id_table_free(&ids);
}

rp_article *rp_source_load_mem(const char *name, const char *data, size_t len, rp_arena *a)
{
    xmlDocPtr doc = rp_xml_load_mem(name, data, len, rp_schema_article, rp_schema_article_len);
    if (!doc)
        return NULL;
    builder b = {name, a, rp_arena_alloc(a, sizeof(rp_article)), 0};
    b.art->file = rp_arena_strdup(a, name);
    build_article(&b, xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return b.errors ? NULL : b.art;
}

rp_article *rp_source_load(const char *path, rp_arena *a)
{
    size_t len = 0;
    char *data = rp_xml_read_file(path, RP_MAX_SOURCE_BYTES, &len, "source", NULL);
    if (!data)
        return NULL;
    rp_article *art = rp_source_load_mem(path, data, len, a);
    free(data);
    return art;
}

char *rp_inline_text(rp_arena *a, const rp_inline *in)
{
    size_t n = 0;
    for (size_t i = 0; i < in->nspans; i++)
        n += strlen(in->spans[i].text);
    char *s = rp_arena_alloc(a, n + 1), *p = s;
    for (size_t i = 0; i < in->nspans; i++) {
        size_t k = strlen(in->spans[i].text);
        memcpy(p, in->spans[i].text, k);
        p += k;
    }
    return s;
}
