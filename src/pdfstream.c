/* pdfstream: streams compressed with libdeflate (see pdfstream.h). Uses libharu internals:
 * dictionaries, memory streams, a page's attributes. */
#include "pdfstream.h"

#include <stdlib.h>
#include <string.h>

#include <hpdf_gstate.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <libdeflate.h>

#define LEVEL 6 /* zlib's default, which libharu uses: the same sizes */

struct rp_deflater {
    struct libdeflate_compressor *c;
    unsigned char *in, *out; /* scratch: a page's content gathered, the compressed bytes */
    size_t in_cap, out_cap;
};

rp_deflater *rp_deflater_new(void)
{
    rp_deflater *z = calloc(1, sizeof *z);
    if (z && !(z->c = libdeflate_alloc_compressor(LEVEL))) {
        free(z);
        z = NULL;
    }
    return z;
}

void rp_deflater_free(rp_deflater *z)
{
    if (!z)
        return;
    libdeflate_free_compressor(z->c);
    free(z->in);
    free(z->out);
    free(z);
}

void rp_deflate_init(void)
{
    static const unsigned char in[16] = "rolepress";
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(1);
    if (c) {
        unsigned char out[64];
        (void)libdeflate_zlib_compress(c, in, sizeof in, out, sizeof out);
    }
    libdeflate_free_compressor(c);
}

/* Room for n bytes in *buf; 0 if out of memory. */
static int room(unsigned char **buf, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 1;
    unsigned char *p = realloc(*buf, n);
    if (!p)
        return 0;
    *buf = p;
    *cap = n;
    return 1;
}

/* Written inside the dictionary by HPDF_Dict_Write, which drops a /Filter entry of its own
 * when the stream's filter is cleared. */
static HPDF_STATUS flate_entry(HPDF_Dict d, HPDF_Stream out)
{
    (void)d;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

HPDF_STATUS rp_deflate_into(rp_deflater *z, HPDF_Dict d, const void *data, size_t n)
{
    if (!d->stream || d->stream->type != HPDF_STREAM_MEMORY || d->write_fn)
        return HPDF_INVALID_OBJECT;
    size_t bound = libdeflate_zlib_compress_bound(z->c, n);
    if (!room(&z->out, &z->out_cap, bound))
        return HPDF_FAILD_TO_ALLOC_MEM;
    size_t m = libdeflate_zlib_compress(z->c, data, n, z->out, z->out_cap);
    if (m == 0 || m > 0x7FFFFFFF)
        return HPDF_INVALID_OBJECT;
    HPDF_MemStream_FreeData(d->stream);
    /* in one buffer of its size, not in libharu's 4 KB buffers: a thousand pages' footers
     * of a hundred bytes would each keep 4 KB */
    HPDF_MemStreamAttr ma = d->stream->attr;
    ma->buf_siz = ma->w_pos = (HPDF_UINT)m;
    HPDF_STATUS st = HPDF_Stream_Write(d->stream, z->out, (HPDF_UINT)m);
    if (st != HPDF_OK)
        return st;
    d->filter = HPDF_STREAM_FILTER_NONE;
    d->write_fn = flate_entry;
    return HPDF_OK;
}

HPDF_STATUS rp_deflate_page(rp_deflater *z, HPDF_Page page)
{
    HPDF_PageAttr a = page->attr;
    HPDF_Dict d = a->contents;
    if (a->gmode != HPDF_GMODE_PAGE_DESCRIPTION || (a->gstate && a->gstate->prev) || !d ||
        !d->stream || d->stream->type != HPDF_STREAM_MEMORY ||
        !(d->filter & HPDF_STREAM_FILTER_FLATE_DECODE))
        return HPDF_OK; /* libharu finishes and compresses it as it saves */
    HPDF_UINT count = HPDF_MemStream_GetBufCount(d->stream);
    size_t n = 0;
    for (HPDF_UINT i = 0; i < count; i++) {
        HPDF_UINT len = 0;
        const HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(d->stream, i, &len);
        if (!b || !room(&z->in, &z->in_cap, n + len))
            return b ? HPDF_FAILD_TO_ALLOC_MEM : HPDF_INVALID_OBJECT;
        memcpy(z->in + n, b, len);
        n += len;
    }
    if (n != d->stream->size)
        return HPDF_INVALID_OBJECT;
    return rp_deflate_into(z, d, z->in, n);
}
