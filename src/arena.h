/* arena: one owner for the memory of a document.
 *
 * Every node, string and box of a run is allocated from an arena and released at once with
 * rp_arena_free(). Allocation failure aborts with a message: the program cannot do anything
 * useful without memory and every caller would otherwise need the same cleanup path. */
#ifndef RP_ARENA_H
#define RP_ARENA_H

#include <stddef.h>

typedef struct rp_arena rp_arena;

rp_arena *rp_arena_new(void);
void rp_arena_free(rp_arena *a);

/* Zeroed, 16-byte aligned memory owned by the arena. */
void *rp_arena_alloc(rp_arena *a, size_t size);
/* Copy of s (or of its first n bytes) owned by the arena, NUL-terminated. */
char *rp_arena_strdup(rp_arena *a, const char *s);
char *rp_arena_strndup(rp_arena *a, const char *s, size_t n);
/* printf into arena memory. */
char *rp_arena_printf(rp_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Growable array helper: makes room for one more element of size elem in *items (capacity
 * *cap, count n), reallocating inside the arena. Returns a pointer to the new element. */
void *rp_arena_grow(rp_arena *a, void **items, size_t *cap, size_t n, size_t elem);

#endif
