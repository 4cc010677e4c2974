/* pdffont: embedded TrueType fonts in libharu (see pdffont.h). Uses libharu internals:
 * the encoder and font-definition records, memory streams, dictionaries. */
#include "pdffont.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_encoder.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_gstate.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>

#include "arena.h"
#include "utf8.h"

#define CMAP_BLOCK 100    /* PDF limit: at most 100 entries per beginbfrange block */
#define NOT_A_CHAR 0xFFFF /* what the code after the last stands for: no font maps it */

struct rp_codes {
    uint16_t *page[256]; /* the code of cp is page[cp >> 8][cp & 0xFF]; 0: none */
    uint16_t *cps;       /* the code points, in code order */
    size_t n, cap;
};

/* The k-th code: two bytes, both 1..255. k < 255 * 255. */
static uint16_t code_at(size_t k)
{
    return (uint16_t)((1 + k / 255) << 8 | (1 + k % 255));
}

/* Give cp the next code; 0 if out of memory. When the codes run out, cp gets none. */
static int add_code(rp_codes *c, uint32_t cp)
{
    uint16_t **page = &c->page[cp >> 8];
    if (!*page && !(*page = calloc(256, sizeof **page)))
        return 0;
    if ((*page)[cp & 0xFF] || c->n >= 255 * 255 - 1)
        return 1;
    uint16_t *slot = rp_grow_try((void **)&c->cps, &c->cap, c->n, sizeof *slot);
    if (!slot)
        return 0;
    *slot = (uint16_t)cp;
    (*page)[cp & 0xFF] = code_at(c->n++);
    return 1;
}

rp_codes *rp_codes_new(const rp_cpset *all)
{
    rp_codes *c = calloc(1, sizeof *c);
    int ok = c && add_code(c, 'H') && add_code(c, 'x');
    /* the BMP has fewer than 255 * 255 - 1 code points that are characters (no surrogates) */
    for (uint32_t cp = 0; ok && all && cp <= 0xFFFF; cp++)
        if (rp_cpset_has(all, cp))
            ok = add_code(c, cp);
    if (!ok) {
        rp_codes_free(c);
        return NULL;
    }
    return c;
}

rp_codes *rp_codes_of(const rp_pages *doc, rp_cpset **per_face)
{
    rp_cpset *cps = calloc(doc->nfaces ? doc->nfaces : 1, sizeof *cps);
    rp_cpset *all = cps ? calloc(1, sizeof *all) : NULL;
    rp_codes *c = NULL;
    if (all) {
        for (size_t p = 0; p < doc->npages; p++)
            for (size_t i = 0; i < doc->pages[p].nitems; i++) {
                const rp_item *it = &doc->pages[p].items[i];
                if (it->kind == RP_ITEM_TEXT && it->text && *it->text)
                    rp_cpset_add_utf8(&cps[it->face], it->text);
            }
        for (size_t i = 0; i < doc->nfaces; i++)
            rp_cpset_union(all, &cps[i]);
        c = rp_codes_new(all);
    }
    free(all);
    if (!c) {
        free(cps);
        cps = NULL;
    }
    *per_face = cps;
    return c;
}

void rp_codes_free(rp_codes *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < 256; i++)
        free(c->page[i]);
    free(c->cps);
    free(c);
}

uint32_t rp_codes_key(const void *codes, uint32_t cp)
{
    const rp_codes *c = codes;
    const uint16_t *page = cp <= 0xFFFF ? c->page[cp >> 8] : NULL;
    return page ? page[cp & 0xFF] : 0;
}

static uint16_t code_of(const rp_codes *c, uint32_t cp)
{
    uint16_t code = (uint16_t)rp_codes_key(c, cp);
    return code ? code : code_at(c->n); /* the code after the last draws glyph 0 */
}

size_t rp_codes_encode(const rp_codes *c, const char *s, size_t len, char *out)
{
    const char *start = out;
    size_t n;
    for (size_t k = 0; k < len; k += n) {
        uint32_t cp = rp_utf8_next(s + k, len - k, &n);
        uint16_t code = code_of(c, cp > 0xFFFF ? 0x20 : cp);
        *out++ = (char)(code >> 8);
        *out++ = (char)(code & 0xFF);
    }
    *out = '\0';
    return (size_t)(out - start);
}

size_t rp_codes_encode_new(rp_codes *c, const char *s, size_t len, char *out, rp_cpset *drawn)
{
    char *o = out;
    size_t n;
    for (size_t k = 0; k < len; k += n) {
        uint32_t cp = (unsigned char)s[k];
        n = 1;
        if (cp >= 0x80 && (cp = rp_utf8_next(s + k, len - k, &n)) > 0xFFFF)
            cp = 0x20;
        const uint16_t *page = c->page[cp >> 8];
        uint16_t code = page ? page[cp & 0xFF] : 0;
        if (!code) {
            if (!add_code(c, cp))
                return (size_t)-1;
            code = code_of(c, cp);
        }
        if (drawn)
            rp_cpset_add(drawn, cp);
        *o++ = (char)(code >> 8);
        *o++ = (char)(code & 0xFF);
    }
    *o = '\0';
    return (size_t)(o - out);
}

/* Every byte of a code is a lead byte in the first position and a trail byte in the
 * second: codes are exactly two bytes. */
static HPDF_BOOL any_byte(HPDF_Encoder e, HPDF_BYTE b)
{
    (void)e;
    (void)b;
    return HPDF_TRUE;
}

/* A CMap encoder, as libharu builds for its CJK encodings, whose tables hold only the
 * document's codes. HPDF_GetFont (CIDFontType2_New in hpdf_font_cid.c) then visits the
 * codes with a CID and makes the CIDToGIDMap and widths up to the highest CID, exclusive:
 * so the code after the last is entered too, for a character no font has. libharu's
 * TextWidth reads a code as lead byte << 8 | trail byte and looks its character up as
 * unicode_map[trail][lead] (cid_map is indexed the same way); the "character" is what
 * libharu then looks up in the font's cmap: the code itself for a keyed font, else the
 * code point. Registered once per document and kind; libharu owns it from then on. */
static HPDF_STATUS register_encoder(HPDF_Doc pdf, const rp_codes *c, int keyed)
{
    const char *name = keyed ? RP_CODES_ENCODER : RP_CODES_ENCODER_UNICODE;
    if (HPDF_Doc_FindEncoder(pdf, name))
        return HPDF_OK;
    HPDF_Encoder e = HPDF_CMapEncoder_New(pdf->mmgr, (char *)name, NULL);
    if (!e)
        return HPDF_FAILD_TO_ALLOC_MEM;
    /* The attributes HPDF_CMapEncoder_InitAttr would make, but without its fill of all
     * 65,536 unused entries with U+25A1 (one byte at a time): nothing reads an entry
     * without a CID here. HPDF_CMapEncoder_Free frees them as it frees its own. */
    HPDF_CMapEncoderAttr a = HPDF_GetMem(e->mmgr, sizeof *a);
    if (a) {
        memset(a, 0, sizeof *a);
        e->attr = a;
        a->cmap_range = HPDF_List_New(e->mmgr, HPDF_DEF_RANGE_TBL_NUM);
        a->notdef_range = HPDF_List_New(e->mmgr, HPDF_DEF_ITEMS_PER_BLOCK);
        a->code_space_range = HPDF_List_New(e->mmgr, HPDF_DEF_ITEMS_PER_BLOCK);
    }
    if (!a || !a->cmap_range || !a->notdef_range || !a->code_space_range) {
        HPDF_Encoder_Free(e);
        return HPDF_FAILD_TO_ALLOC_MEM;
    }
    snprintf(a->registry, sizeof a->registry, "%s", "Adobe");
    snprintf(a->ordering, sizeof a->ordering, "%s", "Identity-H"); /* Encoding /Identity-H */
    a->suppliment = 0;
    a->writing_mode = HPDF_WMODE_HORIZONTAL;
    a->is_lead_byte_fn = any_byte;
    a->is_trial_byte_fn = any_byte;
    for (size_t k = 0; k <= c->n; k++) {
        uint16_t code = code_at(k);
        a->cid_map[code & 0xFF][code >> 8] = code;
        a->unicode_map[code & 0xFF][code >> 8] = keyed ? code : k < c->n ? c->cps[k] : NOT_A_CHAR;
    }
    e->type = HPDF_ENCODER_TYPE_DOUBLE_BYTE;
    return HPDF_Doc_RegisterEncoder(pdf, e); /* frees e on failure */
}

/* ---- loading --------------------------------------------------------------------------- */

/* Advance the document's tag for embedded TrueType fonts ("HPDFAA", "HPDFAB", ...) and
 * copy it to tag, as HPDF_LoadTTFontFromFile does (LoadTTFontFromStream in hpdf_doc.c),
 * so fonts from memory and from files share one sequence. */
static void next_font_tag(HPDF_Doc pdf, char tag[7])
{
    HPDF_BYTE *t = pdf->ttfont_tag;
    if (t[0] == 0) {
        memcpy(t, "HPDFAA", 6);
    } else {
        for (int i = 5; i >= 0; i--) {
            t[i]++;
            if (t[i] <= 'Z')
                break;
            t[i] = 'A';
        }
    }
    memcpy(tag, t, 6);
    tag[6] = '\0';
}

/* A memory stream in one block (so no read or seek crosses a block boundary), parsed by
 * HPDF_TTFontDef_Load, tagged, registered. libharu 2.3.0 has no public call for this
 * (2.4.5 added HPDF_LoadTTFontFromMemory). libharu keeps reading the stream until the
 * document is saved, and frees it with the font definition.
 *
 * Why memory and not a file: libharu opens fonts by path only, and a temporary file (even
 * unlinked at once) needs a writable directory and can be left behind by a signal between
 * creating and unlinking it; memfd_create + /proc/self/fd/N is Linux-only and needs /proc,
 * which some containers do not mount. A memory stream needs neither. */
static const char *load_memory(HPDF_Doc pdf, const unsigned char *data, size_t len)
{
    HPDF_Stream s = len < 0x7FFFFFFF ? HPDF_MemStream_New(pdf->mmgr, (HPDF_UINT)len + 1) : NULL;
    HPDF_FontDef def = NULL;
    if (s && HPDF_Stream_Write(s, data, (HPDF_UINT)len) == HPDF_OK)
        def = HPDF_TTFontDef_Load(pdf->mmgr, s, HPDF_TRUE); /* owns s, even on failure */
    else if (s)
        HPDF_Stream_Free(s);
    if (def) {
        char tag[7];
        next_font_tag(pdf, tag);
        HPDF_TTFontDef_SetTagName(def, tag);
        if (HPDF_Doc_RegisterFontDef(pdf, def) != HPDF_OK) /* frees def on failure */
            def = NULL;
    }
    if (!def) /* these internal calls set the error without calling the handler */
        HPDF_ResetError(pdf);
    return def ? def->base_font : NULL;
}

/* ---- ToUnicode ------------------------------------------------------------------------- */

/* The next run of code points of cps from *cp on that a bfrange can hold: consecutive
 * code points with consecutive codes, differing only in the last byte of both, and
 * characters (no C0 control, no surrogate). Stores it in *first..*last, moves *cp past it
 * and returns 1, or returns 0 at the end. */
static int next_run(const rp_codes *c, const rp_cpset *cps, unsigned *cp, unsigned *first,
                    unsigned *last)
{
    unsigned u = *cp < 0x20 ? 0x20 : *cp;
    while (u <= 0xFFFF && !rp_cpset_has(cps, u))
        u = cps->bits[u >> 6] ? u + 1 : (u | 63) + 1; /* whole empty words at once */
    if (u > 0xFFFF)
        return 0;
    if (u >= 0xD800 && u <= 0xDFFF) { /* not characters: skip them */
        *cp = 0xE000;
        return next_run(c, cps, cp, first, last);
    }
    *first = u;
    while ((u & 0xFF) != 0xFF && rp_cpset_has(cps, u + 1) && code_of(c, u + 1) == code_of(c, u) + 1)
        u++;
    *last = u;
    *cp = u + 1;
    return 1;
}

/* Write to s a ToUnicode CMap that maps the code of each code point in cps back to it, in
 * bfranges of consecutive codes. */
static HPDF_STATUS write_cmap(HPDF_Stream s, const rp_codes *c, const rp_cpset *cps)
{
    static const char head[] = "/CIDInit /ProcSet findresource begin\n"
                               "12 dict begin\n"
                               "begincmap\n"
                               "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                               "/Supplement 0 >> def\n"
                               "/CMapName /Adobe-Identity-UCS def\n"
                               "/CMapType 2 def\n"
                               "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    static const char tail[] = "endcmap\n"
                               "CMapName currentdict /CMap defineresource pop\n"
                               "end\nend\n";
    unsigned cp = 0, first, last;
    size_t n = 0, k = 0; /* ranges in all, ranges written so far */
    while (next_run(c, cps, &cp, &first, &last))
        n++;
    HPDF_STATUS st = HPDF_Stream_WriteStr(s, head);
    for (cp = 0; st == HPDF_OK && next_run(c, cps, &cp, &first, &last);) {
        char line[64];
        if (k % CMAP_BLOCK == 0) {
            snprintf(line, sizeof line, "%zu beginbfrange\n",
                     n - k < CMAP_BLOCK ? n - k : CMAP_BLOCK);
            st = HPDF_Stream_WriteStr(s, line);
        }
        snprintf(line, sizeof line, "<%04X> <%04X> <%04X>\n", code_of(c, first), code_of(c, last),
                 first);
        if (st == HPDF_OK)
            st = HPDF_Stream_WriteStr(s, line);
        k++;
        if (st == HPDF_OK && (k % CMAP_BLOCK == 0 || k == n))
            st = HPDF_Stream_WriteStr(s, "endbfrange\n");
    }
    return st == HPDF_OK ? HPDF_Stream_WriteStr(s, tail) : st;
}

/* Replace the ToUnicode CMap libharu gave font: it describes the encoder's CID ranges
 * with begincidrange, which belongs in CID CMaps (poppler warns about it on every run).
 *
 * libharu writes that CMap into the ToUnicode stream once, when the font is created
 * (HPDF_GetFont -> HPDF_Type0Font_New -> CreateCMap). Its write-time hook on the font
 * (CIDFontType2_BeforeWrite_Func) does not touch the CMap's content; it only copies the
 * font's compression filter onto that stream and adds the descriptor and font file. So
 * the same stream object is emptied here and ours written into it: no second ToUnicode
 * object, no orphan, and the hook still compresses it. The dictionary keys that describe
 * a CID CMap (Type, CMapName, CIDSystemInfo, WMode) are dropped: a ToUnicode stream needs
 * none of them. */
static HPDF_STATUS fix_tounicode(HPDF_Font font, const rp_codes *c, const rp_cpset *cps)
{
    static const char *const cid_keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
    HPDF_Dict cmap = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    if (!cmap || !cmap->stream || cmap->stream->type != HPDF_STREAM_MEMORY)
        return HPDF_INVALID_OBJECT;
    HPDF_MemStream_FreeData(cmap->stream);
    for (size_t i = 0; i < sizeof cid_keys / sizeof cid_keys[0]; i++)
        HPDF_Dict_RemoveElement(cmap, cid_keys[i]); /* an absent key is fine */
    return write_cmap(cmap->stream, c, cps);
}

/* Give font its FontDescriptor now, with data[0..len) as its font program (FontFile2),
 * so that libharu's write-time hook (CIDFontType2_BeforeWrite_Func), which makes the
 * descriptor only when the font definition has none, neither builds one nor rewrites the
 * font through HPDF_TTFontDef_SaveFontData (a copy four bytes at a time, with checksums).
 * The entries are the ones that hook writes, from the same font definition; the program
 * is compressed if the font's dictionary is, by z if given. */
static HPDF_STATUS embed_program(HPDF_Doc pdf, HPDF_Font font, const unsigned char *data,
                                 size_t len, rp_deflater *z)
{
    HPDF_FontAttr fa = font->attr;
    HPDF_FontDef def = fa->fontdef;
    HPDF_TTFontDefAttr da = def->attr;
    if (def->descriptor)
        return HPDF_OK;
    if (len >= 0x7FFFFFFF)
        return HPDF_INVALID_PARAMETER;
    HPDF_Dict file = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    HPDF_Dict desc = file ? HPDF_Dict_New(pdf->mmgr) : NULL;
    if (!desc)
        return HPDF_GetError(pdf) != HPDF_OK ? HPDF_GetError(pdf) : HPDF_FAILD_TO_ALLOC_MEM;
    file->filter = font->filter;
    HPDF_STATUS st = z && font->filter ? rp_deflate_into(z, file, data, len)
                                       : HPDF_Stream_Write(file->stream, data, (HPDF_UINT)len);
    st += HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);
    st += HPDF_Dict_AddNumber(file, "Length2", 0);
    st += HPDF_Dict_AddNumber(file, "Length3", 0);
    st += HPDF_Dict_Add(desc, "FontFile2", file);
    st += HPDF_Xref_Add(pdf->xref, desc);
    st += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st += HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    st += HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    st += HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
    st += HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(pdf->mmgr, def->font_bbox));
    st += HPDF_Dict_AddName(desc, "FontName", da->base_font);
    st += HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    st += HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    st += HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
    if (st != HPDF_OK)
        return HPDF_GetError(pdf) != HPDF_OK ? HPDF_GetError(pdf) : HPDF_INVALID_OBJECT;
    def->descriptor = desc;
    return HPDF_OK;
}

/* The font loaded under name drawn with the codes c; keyed: whether its cmap maps the
 * codes or code points; data[0..len): the program to embed as it is, or NULL. */
static HPDF_Font get_font(HPDF_Doc pdf, const char *name, const rp_codes *c, int keyed,
                          const rp_cpset *cps, const unsigned char *data, size_t len,
                          rp_deflater *z, HPDF_STATUS *st)
{
    *st = register_encoder(pdf, c, keyed);
    HPDF_Font font =
        *st == HPDF_OK
            ? HPDF_GetFont(pdf, name, keyed ? RP_CODES_ENCODER : RP_CODES_ENCODER_UNICODE)
            : NULL;
    if (!font) {
        if (*st == HPDF_OK)
            *st = HPDF_GetError(pdf) != HPDF_OK ? HPDF_GetError(pdf) : HPDF_INVALID_OBJECT;
        return NULL;
    }
    *st = fix_tounicode(font, c, cps);
    if (*st == HPDF_OK && data)
        *st = embed_program(pdf, font, data, len, z);
    return *st == HPDF_OK ? font : NULL;
}

/* ---- text -------------------------------------------------------------------------- */

HPDF_STATUS rp_pdffont_select(HPDF_Page page, int face, double size)
{
    HPDF_PageAttr a = page->attr;
    if (a->gmode != HPDF_GMODE_TEXT_OBJECT || face < 0)
        return HPDF_PAGE_INVALID_GMODE;
    char buf[64];
    int n = snprintf(buf, sizeof buf, "/" RP_PDFFONT_PREFIX "%d ", face + 1);
    char *p = HPDF_FToA(buf + n, (HPDF_REAL)size, buf + sizeof buf - 6);
    memcpy(p, " Tf\012", 4);
    return HPDF_Stream_Write(a->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)(p + 4 - buf));
}

void rp_pdffont_name(int face, char name[16])
{
    snprintf(name, 16, RP_PDFFONT_PREFIX "%d", face + 1);
}

HPDF_STATUS rp_pdffont_use(HPDF_Page page, int face, HPDF_Font font)
{
    HPDF_PageAttr a = page->attr;
    if (!a->fonts) { /* as HPDF_Page_GetLocalFontName makes it */
        HPDF_Dict res = HPDF_Page_GetInheritableItem(page, "Resources", HPDF_OCLASS_DICT);
        HPDF_Dict fonts = res ? HPDF_Dict_New(page->mmgr) : NULL;
        if (!fonts)
            return HPDF_FAILD_TO_ALLOC_MEM;
        HPDF_STATUS st = HPDF_Dict_Add(res, "Font", fonts);
        if (st != HPDF_OK)
            return st;
        a->fonts = fonts;
    }
    char name[16];
    rp_pdffont_name(face, name);
    return HPDF_Dict_Add(a->fonts, name, font);
}

void rp_pdffont_mark(HPDF_Font font, const char *codes, size_t n)
{
    (void)HPDF_Font_TextWidth(font, (const HPDF_BYTE *)codes, (HPDF_UINT)n);
}

HPDF_STATUS rp_pdffont_show(HPDF_Page page, HPDF_REAL x, HPDF_REAL y, const char *codes, size_t n)
{
    HPDF_PageAttr a = page->attr;
    HPDF_TransMatrix *tm = &a->text_matrix;
    if (a->gmode != HPDF_GMODE_TEXT_OBJECT)
        return HPDF_PAGE_INVALID_GMODE;
    if (tm->a != 1 || tm->b != 0 || tm->c != 0 || tm->d != 1)
        return HPDF_PAGE_INVALID_GMODE; /* no Tm is ever set here */
    if (n >= HPDF_LIMIT_MAX_STRING_LEN)
        return HPDF_STRING_OUT_OF_RANGE;
    HPDF_REAL dx = x - tm->x, dy = y - tm->y;
    char buf[512];
    char *p = HPDF_FToA(buf, dx, buf + 63);
    *p++ = ' ';
    p = HPDF_FToA(p, dy, buf + 127);
    memcpy(p, " Td\012(", 5);
    p += 5;
    HPDF_STATUS st = HPDF_OK;
    for (size_t i = 0; i < n && st == HPDF_OK; i++) {
        if ((size_t)(p - buf) > sizeof buf - 8) {
            st = HPDF_Stream_Write(a->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)(p - buf));
            p = buf;
        }
        char ch = codes[i];
        if (ch == '(' || ch == ')' || ch == '\\')
            *p++ = '\\', *p++ = ch;
        else if (ch == '\r') /* a reader would read a bare CR as a line end */
            *p++ = '\\', *p++ = 'r';
        else
            *p++ = ch;
    }
    memcpy(p, ") Tj\012", 6);
    p += 6;
    if (st == HPDF_OK)
        st = HPDF_Stream_Write(a->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)(p - buf));
    if (st != HPDF_OK)
        return st;
    tm->x += dx;
    tm->y += dy;
    a->text_pos.x = tm->x;
    a->text_pos.y = tm->y;
    return HPDF_OK;
}

HPDF_Font rp_pdffont_embed(HPDF_Doc pdf, const char *path, const rp_subset *sub, const rp_codes *c,
                           const rp_cpset *cps, rp_deflater *z, int *whole, HPDF_STATUS *st)
{
    size_t len = 0;
    const unsigned char *data = sub ? rp_subset_data(sub, &len) : NULL;
    const char *name = data ? load_memory(pdf, data, len) : NULL;
    int keyed = name && rp_subset_keyed(sub);
    if (!name) /* the whole file */
        data = NULL, name = path ? HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE) : NULL;
    *whole = data == NULL;
    *st = HPDF_INVALID_OBJECT;
    return name ? get_font(pdf, name, c, keyed, cps, data, len, z, st) : NULL;
}
