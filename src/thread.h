/* thread: starting a helper thread on another processor than the caller's.
 *
 * Linux queues a new thread on its creator's processor and moves it to an idle one only
 * later; for work of a few milliseconds (rendering the guide while the cheat sheet is laid
 * out, loading hyphenation patterns during layout) that often means the two run one after
 * the other on one processor while the other idles (seen in build timelines: the render
 * thread starting only once the main thread was done). So the thread is created pinned to
 * another processor the process may use, and lets itself go anywhere as soon as it runs.
 * Elsewhere (or on one processor) this is plain pthread_create. */
#ifndef RP_THREAD_H
#define RP_THREAD_H

#include <pthread.h>

/* Nonzero if the process may run on more than one processor (elsewhere than Linux: 1). */
int rp_thread_can_help(void);

/* pthread_create(t, NULL, fn, arg), placed as above. Returns 0 or an error number. */
int rp_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

/* The same, for a thread that sleeps and is woken again and again by its creator (a
 * consumer of the creator's work): it stays on the other processor until it calls
 * rp_thread_unpin(). Linux tends to wake a thread on its waker's processor, and then the
 * two share one processor while the other idles (seen on the guide's writer: pages were
 * drawn only once the layout was done). */
int rp_thread_start_kept(pthread_t *t, void *(*fn)(void *), void *arg);
/* Let the calling thread run anywhere the process may (for a thread started kept). */
void rp_thread_unpin(void);
/* Let thread t, started by the caller and maybe not running yet, run wherever the caller
 * may (so that a thread still queued on its processor can end on any free one). */
void rp_thread_unpin_other(pthread_t t);

#endif
