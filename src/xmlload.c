/* xmlload: safe reading, parsing and RELAX NG validation of XML input files. */
#define _POSIX_C_SOURCE 200809L
#include "xmlload.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>

#define MSG_MAX 512 /* one message; libxml2's are a line or two */

/* Context of one call: where its messages go and what has been seen. */
typedef struct load_ctx {
    const char *name;        /* the file messages are attributed to */
    const rp_xml_sink *sink; /* NULL: rp_diag() */
    rp_xml_kind kind;        /* kind of libxml2's messages now: SYNTAX, SCHEMA or INVALID */
    int refused;             /* a DOCTYPE was seen and parsing was stopped */
    int errors;              /* error-level messages delivered */
} load_ctx;

/* Hands one message to the sink, or prints it as sources have it. */
static void deliver(load_ctx *lc, const rp_xml_msg *m)
{
    if (m->level == RP_ERROR)
        lc->errors++;
    if (lc->sink && lc->sink->report) {
        lc->sink->report(lc->sink->user, m);
        return;
    }
    long line = m->cause && m->line <= 0 ? 1 : m->line;
    if (m->element)
        rp_diag(m->level, m->file, line, 0, "<%s>: %s", m->element, m->text);
    else
        rp_diag(m->level, m->file, line, m->col, "%s", m->text);
}

/* Reports an error of xmlload's own; detail as in rp_xml_msg. */
static void say(load_ctx *lc, rp_xml_kind kind, const char *file, long line, long col,
                const char *detail, const char *fmt, ...) RP_PRINTF(7, 8);
static void say(load_ctx *lc, rp_xml_kind kind, const char *file, long line, long col,
                const char *detail, const char *fmt, ...)
{
    char text[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    rp_xml_msg m = {kind, RP_ERROR, file, line, col, text, NULL, detail, NULL};
    deliver(lc, &m);
}

/* libxml2's structured error handler. Its messages end with a newline and sometimes
 * carry trailing blanks; after a refused DOCTYPE, the parser's "stopped" is not news. */
static void on_libxml_error(void *user, xmlErrorPtr err)
{
    load_ctx *lc = user;
    if (!err || err->level == XML_ERR_NONE || (lc->refused && err->code == XML_ERR_USER_STOP))
        return;
    char text[MSG_MAX];
    snprintf(text, sizeof text, "%s", err->message ? err->message : "malformed XML");
    for (size_t n = strlen(text); n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' ');)
        text[--n] = '\0';
    for (char *nl = strchr(text, '\n'); nl; nl = strchr(nl, '\n'))
        *nl = ' '; /* one message, one line ("... UTF-8, indicate encoding ! Bytes: ...") */
    char *huge = strstr(text, " use XML_PARSE_HUGE option");
    if (huge) /* advice for programmers, not for authors */
        *huge = '\0';
    char *nothing = strstr(text, "Expecting an element , got nothing");
    if (nothing)
        snprintf(nothing, sizeof text - (size_t)(nothing - text),
                 "an element is missing here (the schema expects more content)");
    const xmlNode *node = err->domain == XML_FROM_RELAXNGV ? err->node : NULL;
    rp_xml_msg m = {lc->kind,
                    err->level == XML_ERR_WARNING ? RP_WARNING : RP_ERROR,
                    lc->kind == RP_XML_SCHEMA ? NULL : lc->name,
                    err->line,
                    lc->kind == RP_XML_SYNTAX ? err->int2 : 0,
                    text,
                    node ? (const char *)node->name : NULL,
                    NULL,
                    err};
    deliver(lc, &m);
}

/* SAX hook: called when a DOCTYPE has been read, before its internal subset. DTDs bring
 * entities (billion laughs, XXE) and nothing a rolepress file needs, so parsing stops. */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    xmlParserCtxtPtr ctxt = ctx;
    load_ctx *lc = ctxt->_private;
    long line = ctxt->input ? ctxt->input->line : 1;
    lc->refused = 1;
    say(lc, RP_XML_DOCTYPE, lc->name, line, 0, NULL,
        "DOCTYPE declarations are not allowed (no DTDs or entities in rolepress files)");
    xmlStopParser(ctxt);
}

/* Nothing outside the file itself is ever loaded: no DTDs, no XInclude, no network. The
 * message goes to the parse that asked when it is one of ours (it has our DOCTYPE hook). */
static xmlParserInputPtr refuse_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)id;
    load_ctx none = {NULL, NULL, RP_XML_EXTERNAL, 0, 0};
    load_ctx *lc =
        ctxt && ctxt->sax && ctxt->sax->internalSubset == refuse_doctype ? ctxt->_private : &none;
    say(lc, RP_XML_EXTERNAL, url, 0, 0, NULL, "refusing to load an external resource");
    return NULL;
}

/* Up to max + 1 bytes of f into a malloc'd buffer sized to the file (a regular file's
 * size, else grown as it is read), their number in *len; NULL when memory runs out. */
static char *read_all(FILE *f, size_t max, size_t *len)
{
    struct stat sb;
    size_t cap = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= 0 &&
                         (unsigned long long)sb.st_size < max
                     ? (size_t)sb.st_size + 1
                     : (size_t)64 * 1024;
    size_t n = 0;
    char *buf = NULL;
    for (;;) {
        if (n == cap || !buf) {
            size_t ncap = !buf ? cap : cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *p = realloc(buf, ncap);
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
            cap = ncap;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0 || n > max)
            break;
    }
    *len = n;
    return buf;
}

char *rp_xml_read_file(const char *path, size_t max, size_t *len, const char *what,
                       const rp_xml_sink *sink)
{
    load_ctx lc = {path, sink, RP_XML_READ, 0, 0};
    FILE *f = fopen(path, "rb");
    if (!f) {
        const char *why = strerror(errno);
        say(&lc, RP_XML_OPEN, path, 0, 0, why, "cannot open %s: %s", what, why);
        rp_diag_io_failure();
        return NULL;
    }
    size_t n = 0;
    char *buf = read_all(f, max, &n);
    int failed = !buf || ferror(f);
    const char *why = strerror(errno); /* before fclose() can change errno */
    fclose(f);
    if (failed) {
        rp_diag_io_failure();
        say(&lc, RP_XML_READ, path, 0, 0, why, "cannot read %s: %s", what,
            buf ? why : "out of memory");
        free(buf);
        return NULL;
    }
    if (n > max) {
        long line = 1; /* where reading stopped, so the message has a place */
        for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + max - p))); p++)
            line++;
        say(&lc, RP_XML_TOO_LARGE, path, line, 0, NULL, "%s is larger than the %zu-byte limit",
            what, max);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Refuses empty data and reports the first NUL byte as a position, which libxml2 would
 * report less clearly. Returns 0 if the data may be parsed. */
static int refuse_non_xml(load_ctx *lc, const char *data, size_t len)
{
    if (len == 0) {
        say(lc, RP_XML_NOT_XML, lc->name, 1, 0, NULL, "file is empty (expected an XML document)");
        return -1;
    }
    const char *z = memchr(data, '\0', len);
    if (!z)
        return 0;
    long line = 1, col = 1;
    for (const char *p = data; p < z; p++) {
        if (*p == '\n')
            line++, col = 1;
        else
            col++;
    }
    say(lc, RP_XML_NOT_XML, lc->name, line, col, NULL, "NUL byte in file (binary data is not XML)");
    return -1;
}

/* More attributes on one element than any rolepress file has: libxml2 2.9 checks them for
 * duplicates in quadratic time, so 100 000 attributes take minutes. */
#define MAX_ATTRIBUTES 64

/* Skips a comment, CDATA section or processing instruction starting at p (which points at
 * '<'); returns the position after it, or end. */
static const char *skip_markup(const char *p, const char *end, long *line)
{
    const char *close = p[1] == '?' ? "?>" : p[2] == '[' ? "]]>" : p[2] == '-' ? "-->" : ">";
    size_t n = strlen(close);
    for (p += 2; p + n <= end; p++) {
        if (*p == '\n')
            (*line)++;
        if (memcmp(p, close, n) == 0)
            return p + n;
    }
    return end;
}

/* Scans the raw bytes for a start tag with more than MAX_ATTRIBUTES attributes (counting
 * '=' outside quoted values) and reports it at its line. Returns 0 if there is none. */
static int refuse_attribute_floods(load_ctx *lc, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    long line = 1;
    while (p < end) {
        if (*p == '\n')
            line++;
        if (*p != '<' || p + 2 >= end) {
            p++;
            continue;
        }
        if (p[1] == '!' || p[1] == '?') {
            p = skip_markup(p, end, &line);
            continue;
        }
        long at = line;
        int count = 0;
        char quote = 0;
        for (p++; p < end && (quote || *p != '>'); p++) {
            if (*p == '\n')
                line++;
            if (quote)
                quote = *p == quote ? 0 : quote;
            else if (*p == '"' || *p == '\'')
                quote = *p;
            else if (*p == '=')
                count++;
        }
        if (count > MAX_ATTRIBUTES) {
            say(lc, RP_XML_NOT_XML, lc->name, at, 0, NULL,
                "an element with %d attributes (more than %d is refused)", count, MAX_ATTRIBUTES);
            return -1;
        }
    }
    return 0;
}

/* The parse proper: lc's messages, our DOCTYPE hook and entity loader, safe options. */
static xmlDocPtr parse_with(load_ctx *lc, xmlParserCtxtPtr ctxt, const char *data, size_t len,
                            int options)
{
    xmlStructuredErrorFunc old_handler = xmlStructuredError;
    void *old_ctx = xmlStructuredErrorContext;
    ctxt->_private = lc;
    ctxt->sax->internalSubset = refuse_doctype;
    xmlSetStructuredErrorFunc(lc, on_libxml_error);
    xmlSetExternalEntityLoader(refuse_external);
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, lc->name, NULL, options);
    if (doc && (lc->refused || !ctxt->wellFormed)) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlSetStructuredErrorFunc(old_ctx, old_handler);
    return doc;
}

xmlDocPtr rp_xml_parse(const char *name, const char *data, size_t len, unsigned flags,
                       const rp_xml_sink *sink)
{
    load_ctx lc = {name, sink, RP_XML_SYNTAX, 0, 0};
    /* never XML_PARSE_NOENT (substitute entities) nor XML_PARSE_DTDLOAD; short texts kept
     * inside their nodes (the tree is never modified); line numbers past 65535 kept (in
     * text nodes: elements' stay at 65535 and xmlGetLineNo reads their text's) */
    int options = XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES |
                  (flags & RP_XML_CDATA_AS_TEXT ? XML_PARSE_NOCDATA : 0);
    if (len > (size_t)INT_MAX) { /* libxml2 takes the length as an int */
        say(&lc, RP_XML_TOO_LARGE, name, 0, 0, NULL, "file is larger than the %d-byte limit",
            INT_MAX);
        return NULL;
    }
    if (refuse_attribute_floods(&lc, data, len) != 0)
        return NULL;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        say(&lc, RP_XML_SYNTAX, name, 0, 0, NULL, "out of memory starting the XML parser");
        return NULL;
    }
    xmlDocPtr doc = parse_with(&lc, ctxt, data, len, options);
    xmlFreeParserCtxt(ctxt);
    if (!doc && lc.errors == 0)
        say(&lc, RP_XML_SYNTAX, name, 1, 0, NULL, "not a well-formed XML document");
    return doc;
}

/* Runs a compiled schema over doc; libxml2's messages go to lc as RP_XML_INVALID. */
static int validate_with(load_ctx *lc, xmlRelaxNGValidCtxtPtr vctxt, xmlDocPtr doc)
{
    xmlStructuredErrorFunc old_handler = xmlStructuredError;
    void *old_ctx = xmlStructuredErrorContext;
    lc->kind = RP_XML_INVALID;
    lc->errors = 0;
    xmlSetStructuredErrorFunc(lc, on_libxml_error);
    xmlRelaxNGSetValidStructuredErrors(vctxt, on_libxml_error, lc);
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlSetStructuredErrorFunc(old_ctx, old_handler);
    if (rc != 0 && lc->errors == 0)
        say(lc, RP_XML_INVALID, lc->name, 1, 0, NULL, "document does not match the schema");
    return rc == 0 ? 0 : 1;
}

/* Schemas compiled so far, kept for the rest of the process: a style and the styles it
 * extends are each validated against the same schema, and compiling it costs more than
 * validating a style. Keyed by the schema's text (the program's own built-in copies). */
#define MAX_COMPILED 4 /* the article and the style schema, and room to spare */
static struct {
    const char *schema;
    xmlRelaxNGPtr rng;
} compiled[MAX_COMPILED];

/* The compiled schema[0..schema_len); NULL after reporting it does not compile. *kept is
 * set if the cache owns it, else the caller frees it. */
static xmlRelaxNGPtr compile(load_ctx *lc, const char *schema, size_t schema_len, int *kept)
{
    size_t i = 0;
    while (i < MAX_COMPILED && compiled[i].schema && compiled[i].schema != schema)
        i++;
    *kept = i < MAX_COMPILED;
    if (*kept && compiled[i].schema)
        return compiled[i].rng;
    xmlRelaxNGPtr rng = NULL;
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewMemParserCtxt(schema, (int)schema_len);
    if (pctxt) {
        xmlRelaxNGSetParserStructuredErrors(pctxt, on_libxml_error, lc);
        rng = xmlRelaxNGParse(pctxt);
        xmlRelaxNGFreeParserCtxt(pctxt);
    }
    if (rng && *kept)
        compiled[i].schema = schema, compiled[i].rng = rng;
    return rng;
}

int rp_xml_validate(const char *name, xmlDocPtr doc, const char *schema, size_t schema_len,
                    const rp_xml_sink *sink)
{
    load_ctx lc = {name, sink, RP_XML_SCHEMA, 0, 0};
    int kept = 0, rc = -1;
    xmlRelaxNGPtr rng = compile(&lc, schema, schema_len, &kept);
    xmlRelaxNGValidCtxtPtr vctxt = rng ? xmlRelaxNGNewValidCtxt(rng) : NULL;
    if (vctxt)
        rc = validate_with(&lc, vctxt, doc);
    else
        say(&lc, RP_XML_SCHEMA, NULL, 0, 0, NULL,
            "internal error: the built-in schema does not compile");
    xmlRelaxNGFreeValidCtxt(vctxt);
    if (!kept)
        xmlRelaxNGFree(rng);
    return rc;
}

xmlDocPtr rp_xml_load_mem(const char *name, const char *data, size_t len, const char *schema,
                          size_t schema_len)
{
    load_ctx lc = {name, NULL, RP_XML_NOT_XML, 0, 0};
    if (refuse_non_xml(&lc, data, len) != 0)
        return NULL;
    xmlDocPtr doc = rp_xml_parse(name, data, len, RP_XML_CDATA_AS_TEXT, NULL);
    if (doc && rp_xml_validate(name, doc, schema, schema_len, NULL) != 0) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    return doc;
}

long rp_xml_line(const xmlNode *n)
{
    return n ? xmlGetLineNo(n) : 0;
}
