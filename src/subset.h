/* subset: font subsetting for the PDF writer, through HarfBuzz's hb-subset.
 *
 * A document draws a few hundred characters of fonts that hold thousands of glyphs. The
 * PDF writer gives libharu a subset of each font instead of the whole file: only the
 * glyphs of the code points drawn, and only the tables libharu reads and embeds. Glyph
 * advances, unitsPerEm and the vertical metrics are carried over unchanged, so the widths
 * libharu writes (advance * 1000 / unitsPerEm) are those rolepress measured on the full
 * font. Nothing here knows libharu or the page model. */
#ifndef RP_SUBSET_H
#define RP_SUBSET_H

#include <stddef.h>
#include <stdint.h>

/* A set of code points of the BMP (libharu draws nothing beyond it). Zero it to empty it. */
#define RP_CPSET_WORDS (0x10000 / 64)
typedef struct rp_cpset {
    uint64_t bits[RP_CPSET_WORDS];
} rp_cpset;

static inline void rp_cpset_add(rp_cpset *s, uint32_t cp)
{
    if (cp <= 0xFFFF)
        s->bits[cp >> 6] |= (uint64_t)1 << (cp & 63);
}

static inline int rp_cpset_has(const rp_cpset *s, uint32_t cp)
{
    return cp <= 0xFFFF && (s->bits[cp >> 6] >> (cp & 63) & 1);
}

/* Add the code points libharu draws for the UTF-8 text s: those of s, with U+10000 and
 * above drawn (and so counted) as a space, as libharu's UTF-8 encoder does. */
void rp_cpset_add_utf8(rp_cpset *s, const char *text);
/* Add every code point of src to dst. */
void rp_cpset_union(rp_cpset *dst, const rp_cpset *src);
/* The highest code point in s, or -1 if s is empty. */
long rp_cpset_last(const rp_cpset *s);

typedef struct rp_subset rp_subset;

/* The key under which a subset's cmap lists the glyph of code point cp (1..0xFFFE), or 0
 * to leave cp out. */
typedef uint32_t (*rp_cmap_key)(const void *ctx, uint32_t cp);

/* A TrueType font made from the font file at path, holding glyph 0 (.notdef, with its
 * outline), the glyphs of the code points in cps that the font maps (and the glyphs
 * their composite glyphs are built from), and the tables libharu needs: OS/2, cmap, cvt,
 * fpgm, glyf, head, hhea, hmtx, loca, maxp, name (with the legacy Macintosh names libharu
 * prefers), post and prep; no layout tables (GSUB, GPOS, GDEF, kern...). Glyph ids are
 * renumbered. 'H' and 'x' are always kept when the font has them: libharu reads the cap
 * height and x-height of the font descriptor from those two glyphs.
 * The subset's cmap is one format-4 range: with key NULL it maps each code point to its
 * new glyph; else it maps key(ctx, cp) instead of cp (the PDF writer's codes, which the
 * embedded font is then drawn with; a PDF reader goes through the CIDToGIDMap, not the
 * cmap). If the keys span too much for one range, HarfBuzz's own cmap is kept.
 * Returns NULL if the file cannot be read or HarfBuzz cannot subset it (the caller embeds
 * the whole font then). Free with rp_subset_free(). */
rp_subset *rp_subset_new(const char *path, const rp_cpset *cps, rp_cmap_key key, const void *ctx);
/* Make HarfBuzz's shared objects (its font functions, created on first use) now, before
 * several threads make subsets at once: HarfBuzz publishes them atomically, but tools that
 * look for data races (helgrind) cannot see that and report every first use. */
void rp_subset_init(void);

/* Whether the subset's cmap maps keys (rp_subset_new's key) rather than code points. */
int rp_subset_keyed(const rp_subset *s);
/* The subset's bytes (an sfnt file, *len bytes), valid until rp_subset_free(). */
const unsigned char *rp_subset_data(const rp_subset *s, size_t *len);
void rp_subset_free(rp_subset *s);

#endif
