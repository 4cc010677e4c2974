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

/* pthread_create(t, NULL, fn, arg), placed as above. Returns 0 or an error number. */
int rp_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
