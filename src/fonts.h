/* fonts: the font metrics the layout needs, with fontconfig for lookup and FreeType for the
 * tables. Layout measures text only through this interface; the PDF writer embeds the same
 * files, so what is measured is what is drawn.
 *
 * Advance widths are returned exactly as the PDF's /W array stores them (the glyph advance
 * in 1/1000 em, truncated to an integer as libharu does), so measured and drawn widths agree
 * to the last unit. */
#ifndef RP_FONTS_H
#define RP_FONTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct rp_fonts rp_fonts;

/* New font table; NULL if fontconfig or FreeType cannot start. Free with rp_fonts_free(). */
rp_fonts *rp_fonts_new(void);
/* The same, but the user's fontconfig configuration (milliseconds of reading) is loaded on
 * a thread of its own while the caller goes on: the first lookup waits for it. NULL only if
 * FreeType cannot start; rp_fonts_wait() tells whether fontconfig did. */
rp_fonts *rp_fonts_start(void);
/* Waits for the configuration rp_fonts_start() loads. Returns 0, or -1 if fontconfig could
 * not start (then no family is installed). */
int rp_fonts_wait(rp_fonts *f);
void rp_fonts_free(rp_fonts *f);

/* Find the face of an installed family with the given weight/slant through fontconfig.
 * The family must really be installed (fontconfig's substitutes do not count); a missing
 * bold or italic face of an installed family falls back to the nearest face fontconfig
 * offers of that family. Returns a face index >= 0 (the same index for the same file), or
 * -1 if the family is not installed or the file is not a TrueType (glyf) font. */
int rp_fonts_find(rp_fonts *f, const char *family, int bold, int italic);
/* Nonzero if fontconfig lists an installed font of this family (case-insensitive) in any
 * format: after rp_fonts_find() failed, tells "not installed" from "not TrueType". */
int rp_fonts_family_installed(rp_fonts *f, const char *family);

/* Frees what finding and measuring hold: fontconfig's configuration and cache files, each
 * face's FreeType face, HarfBuzz font and open file, and the caches of advances and kerning.
 * Face indexes, paths, families, styles and vertical metrics stay as they were (pages point
 * at the path and family strings); a later query opens again what it needs and answers as
 * before. For when the style's faces are found, and again when layout is done. */
void rp_fonts_release(rp_fonts *f);

size_t rp_fonts_count(const rp_fonts *f);
const char *rp_fonts_path(const rp_fonts *f, int face);
const char *rp_fonts_family(const rp_fonts *f, int face);
int rp_fonts_bold(const rp_fonts *f, int face);
int rp_fonts_italic(const rp_fonts *f, int face);

/* Advance of code point cp in 1/1000 em (integer, as in the PDF /W array). */
int rp_fonts_advance(rp_fonts *f, int face, uint32_t cp);
/* Nonzero if the face has a real glyph for cp (cp > 0xFFFF is never covered: libharu
 * cannot draw it). */
int rp_fonts_has_glyph(rp_fonts *f, int face, uint32_t cp);
/* Vertical metrics in 1/1000 em: ascent > 0, descent < 0 (typographic, from hhea/OS2). */
int rp_fonts_ascent(const rp_fonts *f, int face);
int rp_fonts_descent(const rp_fonts *f, int face);
int rp_fonts_cap_height(const rp_fonts *f, int face);

/* Kerning between code points a and b set next to each other in the face, in 1/1000 em
 * (negative: closer). 0 when either is a space or the font has no adjustment. */
double rp_fonts_kern(rp_fonts *f, int face, uint32_t a, uint32_t b);

/* Width in points of the UTF-8 text s[0..len) at the given size, kerning included. */
double rp_fonts_width(rp_fonts *f, int face, double size, const char *s, size_t len);

#endif
