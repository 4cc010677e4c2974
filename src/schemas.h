/* schemas: the RELAX NG schemas compiled into the program (generated from source/article.rng
 * and styles/style.rng by the build), so validation never depends on files at run time. */
#ifndef RP_SCHEMAS_H
#define RP_SCHEMAS_H

#include <stddef.h>

extern const char rp_schema_article[];
extern const size_t rp_schema_article_len;
extern const char rp_schema_style[];
extern const size_t rp_schema_style_len;

#endif
