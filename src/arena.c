/* arena: chunked bump allocator owning all memory of one document. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK ((size_t)64 * 1024) /* small documents fit in one chunk */
#define ARENA_ALIGN 16

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    max_align_t data[]; /* payload follows */
} chunk;

struct rp_arena {
    chunk *head;
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
    free(a);
}

void *rp_arena_alloc(rp_arena *a, size_t size)
{
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        /* Large requests get a chunk of their own, kept behind the current one so the
         * current chunk's free space is not wasted. */
        size_t cap = size > ARENA_CHUNK / 4 ? size : ARENA_CHUNK;
        chunk *n = malloc(sizeof *n + cap);
        if (!n)
            out_of_memory();
        n->used = 0;
        n->size = cap;
        if (c && cap != ARENA_CHUNK) {
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            a->head = n;
        }
        c = n;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *rp_arena_strndup(rp_arena *a, const char *s, size_t n)
{
    char *p = rp_arena_alloc(a, n + 1);
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
    char *p = rp_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *rp_arena_grow(rp_arena *a, void **items, size_t *cap, size_t n, size_t elem)
{
    if (n >= *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        void *p = rp_arena_alloc(a, ncap * elem);
        if (n)
            memcpy(p, *items, n * elem);
        *items = p;
        *cap = ncap;
    }
    return (char *)*items + n * elem;
}
