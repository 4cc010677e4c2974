/* xmlload: safe reading, parsing and RELAX NG validation of XML input files. */
#define _POSIX_C_SOURCE 200809L
#include "xmlload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

#include "diag.h"

/* Context of one load: the file name messages are attributed to. */
typedef struct load_ctx {
    const char *name;
    int refused; /* a DOCTYPE was seen and parsing was stopped */
} load_ctx;

/* libxml2 messages end with a newline and sometimes carry trailing blanks. */
static void report_xml_error(void *user, xmlErrorPtr err)
{
    const load_ctx *lc = user;
    if (!err || err->level == XML_ERR_NONE)
        return;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "malformed XML");
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    rp_level lvl = err->level == XML_ERR_WARNING ? RP_WARNING : RP_ERROR;
    long line = err->line > 0 ? err->line : 1;
    long col = err->domain == XML_FROM_RELAXNGV ? 0 : err->int2;
    if (err->domain == XML_FROM_RELAXNGV && err->node) {
        const xmlNode *node = err->node;
        rp_diag(lvl, lc->name, line, 0, "<%s>: %s", (const char *)node->name, msg);
        return;
    }
    rp_diag(lvl, lc->name, line, col, "%s", msg);
}

/* SAX hook: called when a DOCTYPE has been read, before its internal subset. DTDs bring
 * entities (billion laughs, XXE) and nothing a rolepress file needs, so parsing stops. */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    xmlParserCtxtPtr ctxt = ctx;
    load_ctx *lc = ctxt->_private;
    long line = ctxt->input ? ctxt->input->line : 1;
    rp_diag(RP_ERROR, lc->name, line, 0,
            "DOCTYPE declarations are not allowed (no DTDs or entities in rolepress files)");
    lc->refused = 1;
    xmlStopParser(ctxt);
}

/* Nothing outside the file itself is ever loaded: no DTDs, no XInclude, no network. */
static xmlParserInputPtr refuse_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)id;
    (void)ctxt;
    rp_diag(RP_ERROR, url ? url : NULL, 0, 0, "refusing to load an external resource");
    return NULL;
}

/* The first NUL byte, as a position; libxml2 would report it less clearly. */
static int find_nul(const char *name, const char *data, size_t len)
{
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
    rp_diag(RP_ERROR, name, line, col, "NUL byte in file (binary data is not XML)");
    return 1;
}

static xmlDocPtr parse(const char *name, const char *data, size_t len)
{
    load_ctx lc = {name, 0};
    xmlDocPtr doc = NULL;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        rp_diag(RP_ERROR, name, 0, 0, "out of memory starting the XML parser");
        return NULL;
    }
    ctxt->_private = &lc;
    ctxt->sax->internalSubset = refuse_doctype;
    xmlSetStructuredErrorFunc(&lc, report_xml_error);
    xmlSetExternalEntityLoader(refuse_external);
    doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if (doc && (lc.refused || !ctxt->wellFormed)) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc && !lc.refused && rp_diag_errors() == 0)
        rp_diag(RP_ERROR, name, 1, 0, "not a well-formed XML document");
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlFreeParserCtxt(ctxt);
    return doc;
}

static int validate(const char *name, xmlDocPtr doc, const char *schema, size_t schema_len)
{
    load_ctx lc = {name, 0};
    int ok = -1;
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewMemParserCtxt(schema, (int)schema_len);
    xmlRelaxNGPtr rng = pctxt ? xmlRelaxNGParse(pctxt) : NULL;
    xmlRelaxNGValidCtxtPtr vctxt = rng ? xmlRelaxNGNewValidCtxt(rng) : NULL;
    if (!vctxt) {
        rp_diag(RP_ERROR, NULL, 0, 0, "internal error: the built-in schema does not compile");
        goto out;
    }
    xmlRelaxNGSetValidStructuredErrors(vctxt, report_xml_error, &lc);
    int before = rp_diag_errors();
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    if (rc != 0 && rp_diag_errors() == before)
        rp_diag(RP_ERROR, name, 1, 0, "document does not match the schema");
    ok = rc == 0 ? 0 : -1;
out:
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlRelaxNGFree(rng);
    xmlRelaxNGFreeParserCtxt(pctxt);
    return ok;
}

xmlDocPtr rp_xml_load_mem(const char *name, const char *data, size_t len, const char *schema,
                          size_t schema_len)
{
    if (len == 0) {
        rp_diag(RP_ERROR, name, 1, 0, "file is empty (expected an XML document)");
        return NULL;
    }
    if (len > (size_t)0x7fffffff || find_nul(name, data, len))
        return NULL;
    xmlDocPtr doc = parse(name, data, len);
    if (doc && validate(name, doc, schema, schema_len) != 0) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    return doc;
}

char *rp_xml_read_file(const char *path, size_t max, size_t *len, const char *what)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        rp_diag(RP_ERROR, path, 0, 0, "cannot open %s: %s", what, strerror(errno));
        return NULL;
    }
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    int err = ferror(f);
    fclose(f);
    if (!buf || err) {
        rp_diag(RP_ERROR, path, 0, 0, "cannot read %s: %s", what,
                buf ? "read error" : "out of memory");
        free(buf);
        return NULL;
    }
    if (n > max) {
        rp_diag(RP_ERROR, path, 0, 0, "%s is larger than the %zu-byte limit", what, max);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

long rp_xml_line(const xmlNode *n)
{
    return n ? xmlGetLineNo(n) : 0;
}
