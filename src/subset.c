/* subset: a font file cut down to the glyphs a document draws, with hb-subset.
 *
 * What libharu does with the font it is given decides what the subset keeps. libharu
 * (hpdf_fontdef_tt.c, HarfBuzz-independent) parses head, maxp, hhea, cmap (the Microsoft
 * Unicode format 4 table), hmtx, loca, name, OS/2 and glyf, and embeds exactly thirteen
 * tables (OS/2 cmap cvt fpgm glyf head hhea hmtx loca maxp name post prep; an absent one
 * is written empty), so every other table is dropped before subsetting: layout tables would
 * only cost time (and GSUB closure would pull in ligatures and alternates never drawn).
 * Hinting is kept, so the embedded glyph programs are the font's own. */
#include "subset.h"

#include <hb-subset.h>
#include <hb.h>
#include <stdlib.h>

#include "utf8.h"

/* The tables libharu reads or embeds; all others are dropped. */
static const hb_tag_t keep_tags[] = {
    HB_TAG('O', 'S', '/', '2'), HB_TAG('c', 'm', 'a', 'p'), HB_TAG('c', 'v', 't', ' '),
    HB_TAG('f', 'p', 'g', 'm'), HB_TAG('g', 'l', 'y', 'f'), HB_TAG('h', 'e', 'a', 'd'),
    HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'), HB_TAG('l', 'o', 'c', 'a'),
    HB_TAG('m', 'a', 'x', 'p'), HB_TAG('n', 'a', 'm', 'e'), HB_TAG('p', 'o', 's', 't'),
    HB_TAG('p', 'r', 'e', 'p'),
};

#define TAGS_PER_CALL 32 /* table tags asked of HarfBuzz at a time */

struct rp_subset {
    hb_blob_t *blob;
};

void rp_cpset_add_utf8(rp_cpset *s, const char *text)
{
    size_t n, len = 0;
    while (text[len])
        len++;
    for (size_t k = 0; k < len; k += n) {
        uint32_t c = rp_utf8_next(text + k, len - k, &n);
        rp_cpset_add(s, c > 0xFFFF ? 0x20 : c);
    }
}

void rp_cpset_union(rp_cpset *dst, const rp_cpset *src)
{
    for (size_t i = 0; i < RP_CPSET_WORDS; i++)
        dst->bits[i] |= src->bits[i];
}

long rp_cpset_last(const rp_cpset *s)
{
    for (size_t i = RP_CPSET_WORDS; i-- > 0;)
        if (s->bits[i])
            return (long)(i * 64 + 63 - (size_t)__builtin_clzll(s->bits[i]));
    return -1;
}

static int kept(hb_tag_t tag)
{
    for (size_t i = 0; i < sizeof keep_tags / sizeof keep_tags[0]; i++)
        if (keep_tags[i] == tag)
            return 1;
    return 0;
}

/* Add every table of face that libharu does not use to the set of tables to drop. */
static void drop_unused_tables(hb_face_t *face, hb_set_t *drop)
{
    hb_tag_t tags[TAGS_PER_CALL];
    unsigned start = 0, count;
    do {
        count = TAGS_PER_CALL;
        count = hb_face_get_table_tags(face, start, &count, tags) ? count : 0;
        for (unsigned i = 0; i < count; i++)
            if (!kept(tags[i]))
                hb_set_add(drop, tags[i]);
        start += count;
    } while (count == TAGS_PER_CALL);
}

/* Copy the code points of cps into the HarfBuzz set u. */
static void add_code_points(hb_set_t *u, const rp_cpset *cps)
{
    for (uint32_t w = 0; w < RP_CPSET_WORDS; w++)
        for (uint64_t bits = cps->bits[w]; bits; bits &= bits - 1)
            hb_set_add(u, w * 64 + (uint32_t)__builtin_ctzll(bits));
}

/* The subsetting parameters for face: code points, dropped tables, flags. NULL if out of
 * memory. */
static hb_subset_input_t *make_input(hb_face_t *face, const rp_cpset *cps)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return NULL;
    hb_set_t *u = hb_subset_input_unicode_set(in);
    add_code_points(u, cps);
    hb_set_add(u, 'H'); /* libharu's CapHeight */
    hb_set_add(u, 'x'); /* libharu's XHeight */
    drop_unused_tables(face, hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG));
    /* NAME_LEGACY: libharu takes the font's name from the Macintosh name records first,
     * so they stay and the BaseFont is the same as the whole font's. NOTDEF_OUTLINE: a
     * missing character is drawn as glyph 0, which keeps its box. */
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NAME_LEGACY | HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
    if (hb_set_allocation_successful(u))
        return in;
    hb_subset_input_destroy(in);
    return NULL;
}

rp_subset *rp_subset_new(const char *path, const rp_cpset *cps)
{
    rp_subset *s = NULL;
    hb_blob_t *file = hb_blob_create_from_file_or_fail(path);
    hb_face_t *face = file ? hb_face_create(file, 0) : NULL;
    hb_subset_input_t *in =
        face && hb_face_get_glyph_count(face) > 0 ? make_input(face, cps) : NULL;
    hb_face_t *sub = in ? hb_subset_or_fail(face, in) : NULL;
    hb_blob_t *blob = sub ? hb_face_reference_blob(sub) : NULL;
    if (blob && hb_blob_get_length(blob) > 0)
        s = malloc(sizeof *s);
    if (s) {
        s->blob = blob;
        blob = NULL;
    }
    hb_blob_destroy(blob); /* NULL-safe, as are the destroys below */
    hb_face_destroy(sub);
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    hb_blob_destroy(file);
    return s;
}

const unsigned char *rp_subset_data(const rp_subset *s, size_t *len)
{
    unsigned n = 0;
    const char *data = hb_blob_get_data(s->blob, &n);
    *len = n;
    return (const unsigned char *)data;
}

void rp_subset_free(rp_subset *s)
{
    if (!s)
        return;
    hb_blob_destroy(s->blob);
    free(s);
}
