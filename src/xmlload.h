/* xmlload: the one safe way this program reads an XML file (sources and styles alike).
 *
 * Reads the whole file (bounded size), refuses NUL bytes and DOCTYPE declarations, parses
 * with libxml2 with network and external entities off, and validates against a RELAX NG
 * schema given as text. Every libxml2 message is re-emitted through rp_diag(). */
#ifndef RP_XMLLOAD_H
#define RP_XMLLOAD_H

#include <libxml/tree.h>
#include <stddef.h>

/* Parse name's contents data[0..len) and validate against schema[0..schema_len).
 * Returns the document (free with xmlFreeDoc) or NULL after reporting the problems. */
xmlDocPtr rp_xml_load_mem(const char *name, const char *data, size_t len, const char *schema,
                          size_t schema_len);

/* Read path (at most max bytes) into a malloc'ed buffer; *len gets its size. Returns NULL
 * after reporting "cannot open"/"too large"; what is "what" in messages ("source", "style"). */
char *rp_xml_read_file(const char *path, size_t max, size_t *len, const char *what);

/* Line number of a node (0 if unknown). */
long rp_xml_line(const xmlNode *n);

#endif
