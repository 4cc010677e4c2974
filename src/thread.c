/* thread: a helper thread started on another processor (see thread.h). */
#if defined(__linux__)
#define _GNU_SOURCE /* sched_getcpu() and thread affinity */
#define RP_PLACE_THREAD 1
#endif
#include "thread.h"

#include <sched.h>
#include <stdlib.h>

typedef struct start {
    void *(*fn)(void *);
    void *arg;
    int keep; /* stay on the processor it was placed on until rp_thread_unpin() */
#ifdef RP_PLACE_THREAD
    int placed;     /* created pinned to one processor */
    cpu_set_t cpus; /* the processors the process may use */
#endif
} start;

#ifdef RP_PLACE_THREAD
static _Thread_local int kept;       /* this thread waits for rp_thread_unpin() */
static _Thread_local cpu_set_t home; /* and may then run on these */
#endif

/* The thread's first steps: free to run anywhere again (unless kept), then the work. */
static void *trampoline(void *p)
{
    start s = *(start *)p;
    free(p);
#ifdef RP_PLACE_THREAD
    if (s.placed && s.keep) {
        kept = 1;
        home = s.cpus;
    } else if (s.placed) {
        pthread_setaffinity_np(pthread_self(), sizeof s.cpus, &s.cpus);
    }
#endif
    return s.fn(s.arg);
}

void rp_thread_unpin(void)
{
#ifdef RP_PLACE_THREAD
    if (kept)
        pthread_setaffinity_np(pthread_self(), sizeof home, &home);
    kept = 0;
#endif
}

void rp_thread_unpin_other(pthread_t t)
{
#ifdef RP_PLACE_THREAD
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof cpus, &cpus) == 0)
        pthread_setaffinity_np(t, sizeof cpus, &cpus);
#else
    (void)t;
#endif
}

int rp_thread_can_help(void)
{
#ifdef RP_PLACE_THREAD
    cpu_set_t cpus;
    return sched_getaffinity(0, sizeof cpus, &cpus) != 0 || CPU_COUNT(&cpus) > 1;
#else
    return 1;
#endif
}

static int start_thread(pthread_t *t, void *(*fn)(void *), void *arg, int keep);

int rp_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
    return start_thread(t, fn, arg, 0);
}

int rp_thread_start_kept(pthread_t *t, void *(*fn)(void *), void *arg)
{
    return start_thread(t, fn, arg, 1);
}

static int start_thread(pthread_t *t, void *(*fn)(void *), void *arg, int keep)
{
    start *s = malloc(sizeof *s);
    pthread_attr_t attr;
    if (!s || pthread_attr_init(&attr) != 0) {
        free(s);
        return pthread_create(t, NULL, fn, arg);
    }
    s->fn = fn;
    s->arg = arg;
    s->keep = keep;
#ifdef RP_PLACE_THREAD
    int here = sched_getcpu();
    s->placed =
        here >= 0 && sched_getaffinity(0, sizeof s->cpus, &s->cpus) == 0 && CPU_COUNT(&s->cpus) > 1;
    if (s->placed) {
        cpu_set_t other;
        CPU_ZERO(&other);
        for (int c = 0; c < CPU_SETSIZE && CPU_COUNT(&other) == 0; c++)
            if (c != here && CPU_ISSET(c, &s->cpus))
                CPU_SET(c, &other);
        s->placed = pthread_attr_setaffinity_np(&attr, sizeof other, &other) == 0;
    }
#endif
    int rc = pthread_create(t, &attr, trampoline, s);
    pthread_attr_destroy(&attr);
    if (rc != 0)
        free(s);
    return rc;
}
