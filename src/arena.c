/* arena: chunked bump allocator owning all memory of one document, with growable arrays
 * that do not leave their old copies behind. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK ((size_t)64 * 1024) /* small documents fit in one chunk */
#define ARENA_ALIGN 16
/* Requests above this get a chunk of their own, and growable arrays above it a block of
 * their own that grows by realloc: copying them inside a chunk would leave the old copy
 * behind each time they double. */
#define ARENA_BIG (ARENA_CHUNK / 4)
#define BLOCK_MAGIC 0x726f6c65u    /* "role": checks that an array above ARENA_BIG is a block */
#define DETACHED_MAGIC 0x70726573u /* "pres": a block taken out of its arena */

typedef struct chunk {
    struct chunk *next, *prev; /* older, newer */
    size_t used, size;
    size_t last;        /* serial of the latest allocation made in it */
    max_align_t data[]; /* payload follows */
} chunk;

/* An allocation of its own (rp_arena_realloc), in a doubly linked list so that realloc can
 * move it. */
typedef struct block {
    struct block *next, *prev;
    unsigned magic;
    max_align_t data[];
} block;

struct rp_arena {
    chunk *head;   /* the chunk being filled first; chunks of big requests follow it */
    chunk *tail;   /* the oldest chunk */
    size_t serial; /* allocations made so far (rp_arena_mark) */
    block *blocks; /* from rp_arena_realloc, e.g. growable arrays above ARENA_BIG */
};

static void out_of_memory(void)
{
    fputs("rolepress: error: out of memory\n", stderr);
    exit(3);
}

rp_arena *rp_arena_new(void)
{
    rp_arena *a = calloc(1, sizeof *a);
    if (!a)
        out_of_memory();
    return a;
}

void rp_arena_free(rp_arena *a)
{
    if (!a)
        return;
    for (chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    for (block *b = a->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void rp_arena_reset(rp_arena *a)
{
    chunk *keep = NULL;
    for (chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        if (!keep && c->size == ARENA_CHUNK)
            keep = c;
        else
            free(c);
    }
    for (block *b = a->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = a->tail = keep;
    a->blocks = NULL;
    if (keep) {
        keep->next = keep->prev = NULL;
        keep->used = 0;
    }
}

size_t rp_arena_mark(const rp_arena *a)
{
    return a->serial;
}

void rp_arena_release(rp_arena *a, size_t mark)
{
    /* oldest first; a big request's chunk sits behind the chunk being filled, so it may
     * be newer than that chunk's start: it then goes when that chunk does */
    chunk *c;
    while ((c = a->tail) && c != a->head && c->prev && c->last <= mark) {
        a->tail = c->prev;
        a->tail->next = NULL;
        free(c);
    }
}

static size_t align_up(size_t n, size_t align)
{
    return (n + align - 1) & ~(align - 1);
}

/* size bytes aligned to align (a power of two up to ARENA_ALIGN), not zeroed. */
static void *bump(rp_arena *a, size_t size, size_t align)
{
    chunk *c = a->head;
    size_t off = c ? align_up(c->used, align) : 0;
    if (!c || off > c->size || c->size - off < size) {
        /* Big requests get a chunk of their own, kept behind the current one so the
         * current chunk's free space is not wasted. */
        size_t cap = size > ARENA_BIG ? size : ARENA_CHUNK;
        chunk *n = malloc(sizeof *n + cap);
        if (!n)
            out_of_memory();
        n->used = 0;
        n->size = cap;
        if (c && cap != ARENA_CHUNK) { /* behind the head */
            n->next = c->next;
            n->prev = c;
            c->next = n;
        } else { /* the new head */
            n->next = c;
            n->prev = NULL;
            a->head = n;
        }
        if (n->next)
            n->next->prev = n;
        else
            a->tail = n;
        c = n;
        off = 0;
    }
    c->used = off + size;
    c->last = ++a->serial;
    return (char *)c->data + off;
}

void *rp_arena_alloc(rp_arena *a, size_t size)
{
    void *p = bump(a, align_up(size, ARENA_ALIGN), ARENA_ALIGN);
    memset(p, 0, size);
    return p;
}

char *rp_arena_strndup(rp_arena *a, const char *s, size_t n)
{
    char *p = bump(a, n + 1, 1); /* strings need no alignment: packed end to end */
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *rp_arena_strdup(rp_arena *a, const char *s)
{
    return s ? rp_arena_strndup(a, s, strlen(s)) : NULL;
}

char *rp_arena_printf(rp_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return rp_arena_strdup(a, "");
    char *p = bump(a, (size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* ---- growable arrays ---- */

/* Nonzero if the size bytes at p are the last allocation of the current chunk. */
static int is_last(const rp_arena *a, const void *p, size_t size)
{
    const chunk *c = a->head;
    return c && p && (const char *)p + size == (const char *)c->data + c->used;
}

static block *block_of(void *p)
{
    block *b = (block *)((char *)p - offsetof(block, data));
    if (b->magic != BLOCK_MAGIC) { /* not from rp_arena_realloc: a caller broke the contract */
        fputs("rolepress: internal error: arena array of unknown origin\n", stderr);
        abort();
    }
    return b;
}

void *rp_arena_realloc(rp_arena *a, void *p, size_t size)
{
    block *old = p ? block_of(p) : NULL;
    block *b = realloc(old, sizeof *b + (size ? size : 1));
    if (!b)
        out_of_memory();
    if (!old) {
        b->magic = BLOCK_MAGIC;
        b->prev = NULL;
        b->next = a->blocks;
        a->blocks = b;
    }
    if (b->next)
        b->next->prev = b;
    if (b->prev)
        b->prev->next = b;
    else
        a->blocks = b;
    return b->data;
}

void rp_arena_detach(rp_arena *a, void *p)
{
    if (!p)
        return;
    block *b = block_of(p);
    if (b->prev)
        b->prev->next = b->next;
    else
        a->blocks = b->next;
    if (b->next)
        b->next->prev = b->prev;
    b->next = b->prev = NULL;
    b->magic = DETACHED_MAGIC;
}

void rp_arena_free_detached(void *p)
{
    if (!p)
        return;
    block *b = (block *)((char *)p - offsetof(block, data));
    if (b->magic != DETACHED_MAGIC) {
        fputs("rolepress: internal error: freeing memory not detached from an arena\n", stderr);
        abort();
    }
    b->magic = 0;
    free(b);
}

void *rp_arena_grow(rp_arena *a, void **items, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return (char *)*items + n * elem;
    /* the first allocation is about 128 bytes: many arrays (a box's items) stay tiny */
    size_t first = elem < 128 ? 128 / elem : 1;
    size_t old = *cap * elem, ncap = *cap ? *cap * 2 : first, size = ncap * elem;
    char *p;
    if (*items && old > ARENA_BIG) { /* a block already: realloc keeps no old copy */
        p = rp_arena_realloc(a, *items, size);
    } else if (size > ARENA_BIG) {
        p = rp_arena_realloc(a, NULL, size);
        if (*items)
            memcpy(p, *items, n * elem);
    } else if (is_last(a, *items, old) && a->head->size - a->head->used >= size - old) {
        p = *items; /* the most recent allocation (the usual case): extend it in place */
        a->head->used += size - old;
        a->head->last = ++a->serial;
    } else {
        p = bump(a, size, ARENA_ALIGN);
        if (*items)
            memcpy(p, *items, n * elem);
    }
    memset(p + n * elem, 0, size - n * elem);
    *items = p;
    *cap = ncap;
    return p + n * elem;
}

void rp_arena_fit(rp_arena *a, void **items, size_t *cap, size_t n, size_t elem)
{
    size_t old = *cap * elem, size = n * elem;
    if (!*items || n >= *cap)
        return;
    if (old > ARENA_BIG) {
        if (size > ARENA_BIG) { /* stays a block, so later growth still reallocs it */
            *items = rp_arena_realloc(a, *items, size);
            *cap = n;
        }
    } else if (is_last(a, *items, old)) {
        a->head->used -= old - size;
        *cap = n;
    }
}

void *rp_grow_try(void **items, size_t *cap, size_t n, size_t elem)
{
    if (n >= *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        void *p = realloc(*items, ncap * elem);
        if (!p)
            return NULL;
        *items = p;
        *cap = ncap;
    }
    return (char *)*items + n * elem;
}

void *rp_grow(void **items, size_t *cap, size_t n, size_t elem)
{
    void *p = rp_grow_try(items, cap, n, elem);
    if (!p)
        out_of_memory();
    return p;
}
