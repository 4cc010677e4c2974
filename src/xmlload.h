/* xmlload: the one safe way this program reads an XML file (sources and styles alike).
 *
 * Reads the whole file (bounded size), refuses DOCTYPE declarations before their internal
 * subset is read, parses with libxml2 with network, DTD loading and entity substitution off,
 * and validates against a RELAX NG schema given as text. Every message, libxml2's included,
 * goes to a caller's sink or, without one, through rp_diag() in the form sources use. */
#ifndef RP_XMLLOAD_H
#define RP_XMLLOAD_H

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stddef.h>

#include "diag.h"

/* What a message is about, so that a sink can word and place it its own way. */
typedef enum {
    RP_XML_OPEN,      /* the file cannot be opened; detail: the system's reason */
    RP_XML_READ,      /* the file cannot be read; detail: the system's reason */
    RP_XML_TOO_LARGE, /* the file is over the size bound */
    RP_XML_NOT_XML,   /* empty, or a NUL byte at line:col (rp_xml_load_mem only) */
    RP_XML_DOCTYPE,   /* a DOCTYPE was refused at line */
    RP_XML_EXTERNAL,  /* loading an external resource was refused; file: its URL */
    RP_XML_SYNTAX,    /* parsing: a libxml2 message, or (no cause) parsing failed silently */
    RP_XML_SCHEMA,    /* the schema does not compile: a libxml2 message, or (no cause) that */
    RP_XML_INVALID    /* validation: a libxml2 message, or (no cause) it failed silently */
} rp_xml_kind;

/* One message. Strings live only during the sink call. */
typedef struct rp_xml_msg {
    rp_xml_kind kind;
    rp_level level;
    const char *file;      /* the name given by the caller; NULL for the program itself */
    long line, col;        /* 0 when unknown; libxml2's own values, not adjusted */
    const char *text;      /* the default wording, without position (libxml2's, trimmed) */
    const char *element;   /* RP_XML_INVALID: the element concerned, if known */
    const char *detail;    /* RP_XML_OPEN / RP_XML_READ: strerror() text */
    const xmlError *cause; /* the libxml2 error behind the message, else NULL */
} rp_xml_msg;

/* Where messages go instead of rp_diag(). Functions taking a sink accept NULL: then each
 * message is printed as sources print it (libxml2 lines of 0 become 1, validation messages
 * get an "<element>: " prefix). */
typedef struct rp_xml_sink {
    void (*report)(void *user, const rp_xml_msg *m);
    void *user;
} rp_xml_sink;

/* rp_xml_parse flags. */
#define RP_XML_CDATA_AS_TEXT 1u /* merge CDATA sections into text nodes (XML_PARSE_NOCDATA) */

/* Read path (at most max bytes) into a malloc'ed buffer the caller frees; *len gets its
 * size. Returns NULL after reporting; what names the file in default messages ("source"). */
char *rp_xml_read_file(const char *path, size_t max, size_t *len, const char *what,
                       const rp_xml_sink *sink);

/* Parse data[0..len) safely; name is the file messages are attributed to. Returns the
 * document (caller frees with xmlFreeDoc) or NULL after reporting at least one error. */
xmlDocPtr rp_xml_parse(const char *name, const char *data, size_t len, unsigned flags,
                       const rp_xml_sink *sink);

/* Validate doc (named name) against the RELAX NG schema[0..schema_len). Returns 0 if valid,
 * 1 if not (reported), -1 if the schema cannot be used (reported). */
int rp_xml_validate(const char *name, xmlDocPtr doc, const char *schema, size_t schema_len,
                    const rp_xml_sink *sink);

/* Refuse empty data and NUL bytes, then parse (CDATA as text) and validate; messages go
 * through rp_diag(). Returns the document (caller frees with xmlFreeDoc) or NULL. */
xmlDocPtr rp_xml_load_mem(const char *name, const char *data, size_t len, const char *schema,
                          size_t schema_len);

/* Line number of a node (0 if unknown). */
long rp_xml_line(const xmlNode *n);

#endif
