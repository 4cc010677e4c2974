/* pdfstream: the PDF writer's streams compressed with libdeflate instead of by libharu.
 *
 * libharu compresses every stream with zlib at the default level as it saves, and that
 * was a fifth of a build. libdeflate makes the same Deflate format (a zlib stream, which
 * FlateDecode reads) at the same level in half the time. So the big streams, the pages'
 * content and the fonts' programs, are compressed here once they are complete, and handed
 * to libharu as they are: the stream's filter is cleared, so libharu copies the bytes,
 * and the dictionary writes its /Filter /FlateDecode entry itself. Small streams (the
 * fonts' ToUnicode and CIDToGIDMap) stay with libharu. Used by pdf.c and the floor. */
#ifndef RP_PDFSTREAM_H
#define RP_PDFSTREAM_H

#include <stddef.h>

#include <hpdf.h>

typedef struct rp_deflater rp_deflater;

/* A compressor for one document (one thread). NULL if out of memory. */
rp_deflater *rp_deflater_new(void);
void rp_deflater_free(rp_deflater *z);

/* Let libdeflate choose its code for this processor (it does so on first use, through a
 * pointer it sets without a lock, which race detectors report when two threads start at
 * once). */
void rp_deflate_init(void);

/* Make stream dictionary d hold data[0..n) compressed, replacing what it held. Returns a
 * libharu status. */
HPDF_STATUS rp_deflate_into(rp_deflater *z, HPDF_Dict d, const void *data, size_t n);

/* Compress the content stream of page, which must be complete: nothing is drawn on it
 * afterwards. A page left inside a text or path object, or with a graphics state saved
 * and not restored, is left for libharu (which closes it as it saves). Returns a libharu
 * status. */
HPDF_STATUS rp_deflate_page(rp_deflater *z, HPDF_Page page);

#endif
