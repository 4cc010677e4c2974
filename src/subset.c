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
#include <string.h>

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
    hb_blob_t *blob;     /* the subset as HarfBuzz made it */
    unsigned char *data; /* or with its cmap rewritten (see one_range_cmap), when set */
    size_t len;
    int keyed; /* the rewritten cmap maps keys, not code points */
};

/* ---- a one-range character map ----
 * libharu looks a glyph up (for each character it measures, and for each code of the
 * document when it makes a font's CIDToGIDMap) by scanning the format-4 cmap's segments
 * linearly: with the segments of a subset's scattered characters that costs more than all
 * of rolepress's layout. A cmap of one segment from the first to the last key (a
 * glyph-id array, 0 for the keys between that are not drawn) answers each lookup after
 * one or two comparisons. Keyed by code point, the array spans every code point between
 * the lowest and the highest drawn (U+0020 to U+201D is 16 KB); keyed by the PDF writer's
 * own dense codes (pdffont.h) it holds a few hundred entries. */

#define CMAP_MAX_RANGE 30000 /* glyph ids a format-4 subtable of 64 KiB can hold */

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xFFFF);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An sfnt table checksum: the sum of its big-endian 32-bit words, the last one padded. */
static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t sum = 0;
    size_t i = 0;
    for (; i + 4 <= len; i += 4)
        sum += get32(p + i);
    if (i < len) {
        unsigned char w[4] = {0, 0, 0, 0};
        memcpy(w, p + i, len - i);
        sum += get32(w);
    }
    return sum;
}

/* The cmap table (Windows Unicode BMP, format 4) mapping first..last through ids[]. */
static unsigned char *make_cmap(uint32_t first, uint32_t last, const uint16_t *ids, size_t *len)
{
    size_t n = last - first + 1, sub_len = 32 + 2 * n;
    unsigned char *t = calloc(1, 12 + sub_len);
    if (!t)
        return NULL;
    put16(t + 2, 1);  /* one encoding record */
    put16(t + 4, 3);  /* platform: Windows */
    put16(t + 6, 1);  /* encoding: Unicode BMP */
    put32(t + 8, 12); /* subtable offset */
    unsigned char *s = t + 12;
    put16(s, 4); /* format */
    put16(s + 2, (unsigned)sub_len);
    put16(s + 6, 4);     /* segCountX2: this range and the final 0xFFFF */
    put16(s + 8, 4);     /* searchRange */
    put16(s + 10, 1);    /* entrySelector */
    put16(s + 14, last); /* endCode */
    put16(s + 16, 0xFFFF);
    put16(s + 20, first); /* startCode, after the reserved pad */
    put16(s + 22, 0xFFFF);
    put16(s + 26, 1); /* idDelta of the final segment: 0xFFFF maps to glyph 0 */
    put16(s + 28, 4); /* idRangeOffset: the glyph-id array follows the two offsets */
    for (size_t i = 0; i < n; i++)
        put16(s + 32 + 2 * i, ids[i]);
    *len = 12 + sub_len;
    return t;
}

/* The font file font[0..len) with its cmap replaced by cmap[0..clen) (malloc'd), or NULL. */
static unsigned char *replace_cmap(const unsigned char *font, size_t len, const unsigned char *cmap,
                                   size_t clen, size_t *out_len)
{
    if (len < 12)
        return NULL;
    size_t ntables = (size_t)font[4] << 8 | font[5], total = 12 + 16 * ntables;
    if (len < total)
        return NULL;
    for (size_t i = 0; i < ntables; i++) {
        const unsigned char *r = font + 12 + 16 * i;
        size_t off = get32(r + 8), tlen = get32(r + 12);
        if (off > len || tlen > len - off)
            return NULL;
        total += ((get32(r) == HB_TAG('c', 'm', 'a', 'p') ? clen : tlen) + 3) & ~(size_t)3;
    }
    unsigned char *out = calloc(1, total);
    if (!out)
        return NULL;
    memcpy(out, font, 12 + 16 * ntables);
    size_t at = 12 + 16 * ntables, head = 0;
    for (size_t i = 0; i < ntables; i++) {
        unsigned char *r = out + 12 + 16 * i;
        uint32_t tag = get32(r);
        const unsigned char *src = tag == HB_TAG('c', 'm', 'a', 'p') ? cmap : font + get32(r + 8);
        size_t tlen = tag == HB_TAG('c', 'm', 'a', 'p') ? clen : get32(r + 12);
        memcpy(out + at, src, tlen);
        if (tag == HB_TAG('h', 'e', 'a', 'd') && tlen >= 12) {
            head = at;
            put32(out + at + 8, 0); /* checkSumAdjustment, set below */
        }
        put32(r + 4, checksum(out + at, tlen));
        put32(r + 8, (uint32_t)at);
        put32(r + 12, (uint32_t)tlen);
        at += (tlen + 3) & ~(size_t)3;
    }
    if (head)
        put32(out + head + 8, 0xB1B0AFBAu - checksum(out, total));
    *out_len = total;
    return out;
}

/* Rewrite the subset's cmap as one range of keys (see above); 0 if it is left as it is. */
static int one_range_cmap(rp_subset *s, hb_face_t *sub, rp_cmap_key key, const void *ctx)
{
    hb_set_t *u = hb_set_create();
    hb_face_collect_unicodes(sub, u);
    hb_codepoint_t first = 0xFFFF, last = 0;
    for (hb_codepoint_t c = HB_SET_VALUE_INVALID; hb_set_next(u, &c);) {
        uint32_t k = key ? key(ctx, c) : c;
        if (k && k < 0xFFFF) {
            first = k < first ? k : first;
            last = k > last ? k : last;
        }
    }
    int done = 0;
    if (first <= last && last - first < CMAP_MAX_RANGE) {
        uint16_t *ids = calloc(last - first + 1, sizeof *ids);
        hb_font_t *font = hb_font_create(sub);
        for (hb_codepoint_t c = HB_SET_VALUE_INVALID; ids && hb_set_next(u, &c);) {
            hb_codepoint_t g = 0;
            uint32_t k = key ? key(ctx, c) : c;
            if (k && k < 0xFFFF && hb_font_get_nominal_glyph(font, c, &g) && g <= 0xFFFF)
                ids[k - first] = (uint16_t)g;
        }
        size_t clen = 0, flen = 0;
        unsigned char *cmap = ids ? make_cmap(first, last, ids, &clen) : NULL;
        unsigned int blen = 0;
        const unsigned char *bytes = (const unsigned char *)hb_blob_get_data(s->blob, &blen);
        s->data = cmap ? replace_cmap(bytes, blen, cmap, clen, &flen) : NULL;
        s->len = flen;
        done = s->data != NULL;
        free(cmap);
        free(ids);
        hb_font_destroy(font);
    }
    hb_set_destroy(u);
    return done;
}

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

rp_subset *rp_subset_new(const char *path, const rp_cpset *cps, rp_cmap_key key, const void *ctx)
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
        s->data = NULL;
        s->len = 0;
        blob = NULL;
        s->keyed = one_range_cmap(s, sub, key, ctx) && key;
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
    if (s->data) {
        *len = s->len;
        return s->data;
    }
    unsigned n = 0;
    const char *data = hb_blob_get_data(s->blob, &n);
    *len = n;
    return (const unsigned char *)data;
}

void rp_subset_init(void)
{
    hb_font_destroy(hb_font_create(hb_face_get_empty()));
}

int rp_subset_keyed(const rp_subset *s)
{
    return s->keyed;
}

void rp_subset_free(rp_subset *s)
{
    if (!s)
        return;
    hb_blob_destroy(s->blob);
    free(s->data);
    free(s);
}
