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
/* Free everything allocated from a, which stays usable (one chunk is kept for reuse). */
void rp_arena_reset(rp_arena *a);
/* For memory used in the order it was allocated (queued and freed as it is consumed): a
 * point in a's history, the number of allocations made from it so far. */
size_t rp_arena_mark(const rp_arena *a);
/* Free the chunks of a that hold only memory allocated (or grown) up to mark, that is
 * memory no longer used, except the chunk being filled. rp_arena_realloc() memory stays. */
void rp_arena_release(rp_arena *a, size_t mark);

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
 * *cap, count n) and returns a pointer to it (zeroed). *items must be NULL with *cap 0, or
 * come from rp_arena_grow() with that *cap. Growth leaves no copy behind when the array is
 * the arena's most recent allocation (it is extended in place) and for arrays of more than
 * 16 KiB (they have an allocation of their own, which is reallocated); otherwise the old
 * copy stays in the arena until it is freed. */
void *rp_arena_grow(rp_arena *a, void **items, size_t *cap, size_t n, size_t elem);
/* Memory of its own that can be resized, as realloc does (p: NULL or a pointer this
 * function returned for the same arena; the contents are kept up to the smaller size; not
 * zeroed). Owned by the arena: freed with it, never by the caller. For arrays that grow
 * while other things are allocated from the arena. */
void *rp_arena_realloc(rp_arena *a, void *p, size_t size);
/* Take memory returned by rp_arena_realloc out of a: a no longer frees it; the caller
 * frees it with rp_arena_free_detached, on any thread (a itself is not thread-safe, but
 * detached memory is a block of its own). */
void rp_arena_detach(rp_arena *a, void *p);
void rp_arena_free_detached(void *p);
/* Give back the unused capacity of an array made by rp_arena_grow() (*cap becomes n) when
 * it is the most recent allocation or an array of its own; else leave it as it is. */
void rp_arena_fit(rp_arena *a, void **items, size_t *cap, size_t n, size_t elem);

/* Working memory outside any arena (freed with free()): makes room for one more element of
 * size elem in the malloc'd array *items (capacity *cap, count n), growing it by realloc, and
 * returns a pointer to the new element (not zeroed). Exits like the arena when memory runs
 * out. */
void *rp_grow(void **items, size_t *cap, size_t n, size_t elem);
/* The same, but NULL when memory runs out (*items and *cap unchanged), for a caller that
 * reports the failure itself (the PDF writer, which reports libharu's the same way). */
void *rp_grow_try(void **items, size_t *cap, size_t n, size_t elem);

#endif
