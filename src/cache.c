/* cache: data kept between runs, derived from source files (see cache.h). A cache file
 * is a header and a payload. Header: MAGIC and the kind; the source file's size,
 * modification time (seconds, nanoseconds), inode and device; its resolved path (length,
 * bytes); the payload's length and checksum. Integers are little-endian. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "rolepress cache 1 "
#define MAX_FILE (64u << 20) /* bytes */

/* ---- bytes out ------------------------------------------------------------------------- */

void rp_bytes_put(rp_bytes *o, const void *src, size_t n)
{
    if (o->bad)
        return;
    if (o->n + n > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 65536;
        while (cap < o->n + n)
            cap *= 2;
        unsigned char *p = realloc(o->p, cap);
        if (!p) {
            o->bad = 1;
            return;
        }
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->n, src, n);
    o->n += n;
}

/* v as width little-endian bytes. */
static void put_le(rp_bytes *o, uint64_t v, int width)
{
    unsigned char b[8];
    for (int i = 0; i < width; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    rp_bytes_put(o, b, (size_t)width);
}

void rp_bytes_u64(rp_bytes *o, uint64_t v)
{
    put_le(o, v, 8);
}

void rp_bytes_u32(rp_bytes *o, uint32_t v)
{
    put_le(o, v, 4);
}

void rp_bytes_u16(rp_bytes *o, uint16_t v)
{
    put_le(o, v, 2);
}

void rp_bytes_byte(rp_bytes *o, int v)
{
    unsigned char b = (unsigned char)v;
    rp_bytes_put(o, &b, 1);
}

/* ---- bytes in -------------------------------------------------------------------------- */

const unsigned char *rp_read_take(rp_reader *r, size_t n)
{
    if (r->bad || n > r->n - r->at) {
        r->bad = 1;
        return NULL;
    }
    const unsigned char *p = r->p + r->at;
    r->at += n;
    return p;
}

/* The next width little-endian bytes; 0 past the end. */
static uint64_t read_le(rp_reader *r, int width)
{
    const unsigned char *b = rp_read_take(r, (size_t)width);
    uint64_t v = 0;
    for (int i = 0; b && i < width; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

uint64_t rp_read_u64(rp_reader *r)
{
    return read_le(r, 8);
}

uint32_t rp_read_u32(rp_reader *r)
{
    return (uint32_t)read_le(r, 4);
}

uint16_t rp_read_u16(rp_reader *r)
{
    return (uint16_t)read_le(r, 2);
}

int rp_read_byte(rp_reader *r)
{
    const unsigned char *b = rp_read_take(r, 1);
    return b ? *b : 0;
}

/* ---- the cache file ------------------------------------------------------------------- */

uint64_t rp_cache_checksum(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 14695981039346656037ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 1099511628211ull;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* The cache directory (malloc'd), or NULL for none. make: create it if missing. */
static char *cache_dir(int make)
{
    const char *own = getenv("ROLEPRESS_CACHE_DIR");
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    char parent[4096], dir[4096];
    if (own) {
        if (!*own)
            return NULL;
        snprintf(dir, sizeof dir, "%s", own);
        parent[0] = '\0';
    } else if (xdg && xdg[0] == '/') {
        snprintf(parent, sizeof parent, "%s", xdg);
        snprintf(dir, sizeof dir, "%s/rolepress", xdg);
    } else if (home && home[0] == '/') {
        snprintf(parent, sizeof parent, "%s/.cache", home);
        snprintf(dir, sizeof dir, "%s/.cache/rolepress", home);
    } else {
        return NULL;
    }
    if (make && parent[0] && mkdir(parent, 0700) != 0 && errno != EEXIST)
        return NULL;
    if (make && mkdir(dir, 0700) != 0 && errno != EEXIST)
        return NULL;
    return strdup(dir);
}

/* The source file's identity (path resolved) as the header's first fields, into id; the
 * cache file's path in *file (malloc'd). 0 if there is no cache. */
static int identity(const char *kind, const char *source, int make, rp_bytes *id, char **file)
{
    struct stat sb;
    char *real = realpath(source, NULL);
    char *dir = real && stat(real, &sb) == 0 ? cache_dir(make) : NULL;
    *file = NULL;
    if (dir) {
        rp_bytes_put(id, MAGIC, sizeof MAGIC - 1);
        rp_bytes_put(id, kind, strlen(kind));
        rp_bytes_byte(id, '\n');
        rp_bytes_u64(id, (uint64_t)sb.st_size);
        rp_bytes_u64(id, (uint64_t)sb.st_mtim.tv_sec);
        rp_bytes_u64(id, (uint64_t)sb.st_mtim.tv_nsec);
        rp_bytes_u64(id, (uint64_t)sb.st_ino);
        rp_bytes_u64(id, (uint64_t)sb.st_dev);
        rp_bytes_u32(id, (uint32_t)strlen(real));
        rp_bytes_put(id, real, strlen(real));
        size_t n = strlen(dir) + strlen(kind) + 32;
        *file = id->bad ? NULL : malloc(n);
        if (*file)
            snprintf(*file, n, "%s/%s-%016llx.bin", dir, kind,
                     (unsigned long long)rp_cache_checksum(real, strlen(real)));
    }
    free(real);
    free(dir);
    return *file != NULL;
}

static unsigned char *read_all(const char *file, size_t *len)
{
    FILE *f = fopen(file, "rb");
    struct stat sb;
    unsigned char *p = NULL;
    if (f && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (uint64_t)sb.st_size <= MAX_FILE && (p = malloc((size_t)sb.st_size)) &&
        fread(p, 1, (size_t)sb.st_size, f) == (size_t)sb.st_size) {
        *len = (size_t)sb.st_size;
    } else {
        free(p);
        p = NULL;
    }
    if (f)
        fclose(f);
    return p;
}

unsigned char *rp_cache_load(const char *kind, const char *source, size_t *len)
{
    rp_bytes id = {0};
    char *file;
    if (!identity(kind, source, 0, &id, &file)) {
        free(id.p);
        return NULL;
    }
    size_t n = 0;
    unsigned char *data = read_all(file, &n), *payload = NULL;
    free(file);
    rp_reader r = {data, n, 0, 0};
    const unsigned char *head = data ? rp_read_take(&r, id.n) : NULL;
    uint64_t plen = rp_read_u64(&r), sum = rp_read_u64(&r);
    if (head && memcmp(head, id.p, id.n) == 0 && !r.bad && plen == r.n - r.at &&
        rp_cache_checksum(r.p + r.at, r.n - r.at) == sum && (payload = malloc(plen ? plen : 1))) {
        memcpy(payload, r.p + r.at, plen);
        *len = plen;
    }
    free(data);
    free(id.p);
    return payload;
}

void rp_cache_store(const char *kind, const char *source, const void *payload, size_t len)
{
    rp_bytes id = {0};
    char *file, *tmp = NULL;
    if (!identity(kind, source, 1, &id, &file)) {
        free(id.p);
        return;
    }
    rp_bytes_u64(&id, len);
    rp_bytes_u64(&id, rp_cache_checksum(payload, len));
    size_t n = strlen(file) + 8;
    tmp = !id.bad ? malloc(n) : NULL;
    int fd = -1;
    if (tmp) {
        snprintf(tmp, n, "%s.XXXXXX", file);
        fd = mkstemp(tmp);
    }
    if (fd >= 0) {
        int ok = write(fd, id.p, id.n) == (ssize_t)id.n && write(fd, payload, len) == (ssize_t)len;
        ok = close(fd) == 0 && ok;
        if (!ok || rename(tmp, file) != 0)
            unlink(tmp);
    }
    free(tmp);
    free(file);
    free(id.p);
}
