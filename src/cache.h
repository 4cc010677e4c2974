/* cache: data kept between runs, each piece derived from one source file (compiled
 * hyphenation patterns from a pattern file, kerning pairs from a font file), as fontconfig
 * keeps its font lists.
 *
 * A cache file is only an accelerator: it names the source file it came from (path,
 * size, modification time, inode, device) and carries a checksum of its payload, and any
 * mismatch means it is ignored (and rewritten by the next store). Each user of a payload
 * still checks its structure as it reads it.
 *
 * Where: $ROLEPRESS_CACHE_DIR if set (set but empty: no cache at all), else
 * $XDG_CACHE_HOME/rolepress, else $HOME/.cache/rolepress; one file per kind and source,
 * replaced atomically. */
#ifndef RP_CACHE_H
#define RP_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* Bytes being written: grows as needed; bad once out of memory. */
typedef struct rp_bytes {
    unsigned char *p;
    size_t n, cap;
    int bad;
} rp_bytes;

void rp_bytes_put(rp_bytes *b, const void *src, size_t n);
void rp_bytes_u64(rp_bytes *b, uint64_t v); /* little-endian */
void rp_bytes_u32(rp_bytes *b, uint32_t v);
void rp_bytes_u16(rp_bytes *b, uint16_t v);
void rp_bytes_byte(rp_bytes *b, int v);

/* Bytes being read: bad once a read would pass the end (reads then give zeros). */
typedef struct rp_reader {
    const unsigned char *p;
    size_t n, at;
    int bad;
} rp_reader;

const unsigned char *rp_read_take(rp_reader *r, size_t n); /* NULL if bad */
uint64_t rp_read_u64(rp_reader *r);
uint32_t rp_read_u32(rp_reader *r);
uint16_t rp_read_u16(rp_reader *r);
int rp_read_byte(rp_reader *r);

/* The checksum a cache file carries of its payload: 64 bits, eight bytes a step (FNV-1a's
 * constants on words); it only has to catch a damaged or truncated file, quickly. */
uint64_t rp_cache_checksum(const void *data, size_t n);

/* The payload kept for kind ("hyph", "kern": a short word) and the file at source, if a
 * cache file holds one for source as it is now (malloc'd, *len bytes), else NULL. */
unsigned char *rp_cache_load(const char *kind, const char *source, size_t *len);

/* Keep payload[0..len) for kind and source. Failures (no cache directory, a full disk)
 * are silent: the next run derives the data again. */
void rp_cache_store(const char *kind, const char *source, const void *payload, size_t len);

#endif
