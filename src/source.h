/* source: reading an article safely, validating it and building the model.
 *
 * The file is read into memory (bounded size), parsed by libxml2 with no network, no DTD
 * and no entity expansion, validated against the article schema compiled into the program
 * (source/article.rng), checked for what the schema cannot say (unique ids, references that
 * resolve, one value per role, ...), then turned into an rp_article. */
#ifndef RP_SOURCE_H
#define RP_SOURCE_H

#include "arena.h"
#include "model.h"

/* Largest source accepted: far above any real article, small enough to bound memory. */
#define RP_MAX_SOURCE_BYTES ((size_t)8 * 1024 * 1024)

/* Load the article at path. Returns the model (arena-owned) or NULL after reporting every
 * problem found through rp_diag(). */
rp_article *rp_source_load(const char *path, rp_arena *a);

/* Same, from a buffer; name is used in messages. For fuzzing and tests. */
rp_article *rp_source_load_mem(const char *name, const char *data, size_t len, rp_arena *a);

#endif
