/* pdffont: embedded TrueType fonts in libharu, for the PDF writer (pdf.c) and the floor
 * (tools/floor.c), the only two users of libharu.
 *
 * libharu's own way to draw Unicode text with a TrueType font is its "UTF-8" encoder, and
 * that costs: HPDF_GetFont looks up a glyph and a width for each of the 65,536 code points
 * of the BMP, for every font of every document, and writes a 128 KB CIDToGIDMap and a
 * malformed ToUnicode CMap. Instead, a document gets its own two-byte codes (rp_codes):
 * every code point it draws, in any font, gets one code, so libharu's font setup visits
 * only those codes and the CIDToGIDMap ends after the last one. The writer gives the codes
 * in the order the characters are first drawn (its pages are drawn before the document's
 * characters are all known; fonts are made last); the floor, which knows them all, in code
 * point order. Text is encoded to those codes before it reaches libharu, and each font's
 * ToUnicode CMap maps them back, so text still extracts and searches as written.
 *
 * A code is two bytes, neither of them zero (libharu takes text as C strings): byte 1 is
 * 1 + k / 255 and byte 2 is 1 + k % 255 for the k-th code point (from 0), and the PDF font
 * uses the Identity-H encoding, so a code is also the CID of its character. */
#ifndef RP_PDFFONT_H
#define RP_PDFFONT_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "pages.h"
#include "pdfstream.h"
#include "subset.h"

/* The names the codes' encoders are registered under in a libharu document: one for
 * fonts whose cmap maps the codes themselves (subsets made with rp_codes_key), one for
 * fonts whose cmap maps code points (whole font files). */
#define RP_CODES_ENCODER "rolepress-codes"
#define RP_CODES_ENCODER_UNICODE "rolepress-codes-unicode"

typedef struct rp_codes rp_codes;

/* Codes for 'H' and 'x' (libharu reads a font's cap height and x-height from their glyphs,
 * through its cmap), then for the code points in all in code point order: all must hold
 * every code point the document draws (rp_cpset_add_utf8 of every text), or be NULL for
 * codes given as text is drawn (rp_codes_encode_new). NULL if out of memory. */
rp_codes *rp_codes_new(const rp_cpset *all);
void rp_codes_free(rp_codes *c);

/* The code points each face of doc draws (*per_face: one set per face, calloc'd, for the
 * caller to free) and the codes for all of them. NULL (and *per_face NULL) if out of
 * memory. */
rp_codes *rp_codes_of(const rp_pages *doc, rp_cpset **per_face);

/* The code of cp, or 0 if it has none: an rp_cmap_key (subset.h) for ctx = the codes. */
uint32_t rp_codes_key(const void *codes, uint32_t cp);

/* Encode the UTF-8 text s[0..len) to codes in out, which must have room for 2 * len + 1
 * bytes; the result is NUL-terminated and holds no other zero byte. Returns its length. Code points
 * above U+FFFF are drawn as a space (as rp_cpset_add_utf8 counts them); a code point without a code
 * (not in the set the codes were made from) gets the code of glyph 0. */
size_t rp_codes_encode(const rp_codes *c, const char *s, size_t len, char *out);

/* The font of the file at path for pdf, drawn with the codes c: embedded as the subset sub
 * (rp_subset_new keyed by c) as it is, or, if sub is NULL or libharu cannot read it, as the
 * whole file, which libharu subsets as it saves (then *whole is set: its glyphs must be
 * measured as they are drawn, see rp_pdffont_show). cps: the code points drawn in it, for
 * its ToUnicode CMap. z compresses the font program (NULL: libharu does). Registers the
 * encoder it needs in pdf on first use (c must outlive pdf's fonts' creation only). NULL
 * on failure, with the libharu status in *st. */
HPDF_Font rp_pdffont_embed(HPDF_Doc pdf, const char *path, const rp_subset *sub, const rp_codes *c,
                           const rp_cpset *cps, rp_deflater *z, int *whole, HPDF_STATUS *st);

/* Encode as rp_codes_encode does, giving each code point without a code the next one, and
 * add the code points drawn to drawn (unless NULL), as rp_cpset_add_utf8 would. Returns the
 * length, or (size_t)-1 if out of memory. */
size_t rp_codes_encode_new(rp_codes *c, const char *s, size_t len, char *out, rp_cpset *drawn);

/* Fonts are named in a page's resources by face: F1 for face 0, and so on. A page's
 * content can so select a font before the font exists (it is made once every page is
 * drawn, when the characters it must hold are known), and rp_pdffont_use puts it in the
 * page's resources under that name. */
#define RP_PDFFONT_PREFIX "F"
void rp_pdffont_name(int face, char name[16]);
/* Write "/F<face+1> size Tf" into page's content; the page must be inside a text object. */
HPDF_STATUS rp_pdffont_select(HPDF_Page page, int face, double size);
/* Name font as face's font in page's resources. */
HPDF_STATUS rp_pdffont_use(HPDF_Page page, int face, HPDF_Font font);

/* Show codes[0..n) (from rp_codes_encode) with its lower left corner at (x, y) of page,
 * which must be inside a text object with a font of these codes selected: written into the
 * content stream as "dx dy Td" from the line start libharu keeps, as HPDF_Page_TextOut
 * writes it, then the codes as a literal string and Tj. HPDF_Page_TextOut would write the
 * string in hexadecimal (twice the bytes to compress), clear a 512-byte buffer and
 * measure the text first. libharu's line start is moved as its own Td moves it. Returns
 * a libharu status. */
HPDF_STATUS rp_pdffont_show(HPDF_Page page, HPDF_REAL x, HPDF_REAL y, const char *codes, size_t n);

/* Measure codes[0..n) in font, a whole font file that libharu subsets as it saves: that
 * marks their glyphs used, as HPDF_Page_ShowText would. */
void rp_pdffont_mark(HPDF_Font font, const char *codes, size_t n);

#endif
