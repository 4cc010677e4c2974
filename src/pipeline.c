/* pipeline: the layout's finished pages drawn on a thread of their own (see pipeline.h). */
#include "pipeline.h"

#include <stdlib.h>

#include "arena.h"
#include "thread.h"

typedef struct job {
    size_t page;
    rp_page items;
} job;

struct rp_pipeline {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* to the writer: a page, the end, or a reset */
    pthread_cond_t idle; /* to the layout: the queue is empty and the writer waits */
    double width, height;
    rp_pdf_options opt;
    /* under lock */
    job *queue;
    size_t head, tail, cap; /* queue[head..tail) waits */
    int busy;               /* the writer is drawing a page */
    int ended;              /* rp_pipeline_end was called */
    rp_pages *doc;          /* what it was given */
    int failed;             /* a page could not be drawn (reported) */
    /* the writer's */
    rp_pdf_rendered *r;
    int rc;
};

static void *writer_main(void *arg)
{
    rp_pipeline *pl = arg;
    rp_pdf_ready_fonts(); /* while the first page is laid out */
    pthread_mutex_lock(&pl->lock);
    for (;;) {
        while (pl->head == pl->tail && !pl->ended)
            pthread_cond_wait(&pl->wake, &pl->lock);
        if (pl->head == pl->tail)
            break; /* ended, and every page is drawn */
        job j = pl->queue[pl->head++];
        pl->busy = 1;
        int skip = pl->failed || !pl->r || (pl->ended && !pl->doc);
        rp_pdf_rendered *r = pl->r;
        pthread_mutex_unlock(&pl->lock);
        int rc = skip ? 0 : rp_pdf_page(r, j.page, &j.items);
        rp_page_free(&j.items);
        pthread_mutex_lock(&pl->lock);
        pl->failed |= rc != 0;
        pl->busy = 0;
        if (pl->head == pl->tail)
            pthread_cond_broadcast(&pl->idle);
    }
    rp_pages *doc = pl->doc;
    int failed = pl->failed || !pl->r;
    pthread_mutex_unlock(&pl->lock);
    rp_thread_unpin(); /* no more waiting for the layout */
    if (doc && !failed)
        pl->rc = rp_pdf_finish(pl->r, doc);
    else
        pl->rc = doc ? 3 : 0;
    return NULL;
}

static void sink_page(void *arg, rp_pages *doc, size_t p)
{
    rp_pipeline *pl = arg;
    rp_page items = rp_pages_take(doc, p);
    pthread_mutex_lock(&pl->lock);
    if (pl->head == pl->tail)
        pl->head = pl->tail = 0;
    job *j = rp_grow((void **)&pl->queue, &pl->cap, pl->tail, sizeof *j);
    j->page = p;
    j->items = items;
    pl->tail++;
    pthread_cond_signal(&pl->wake);
    pthread_mutex_unlock(&pl->lock);
}

/* The layout starts again: once the writer has drawn what it was given, its PDF is
 * dropped for a new one. */
static void sink_reset(void *arg)
{
    rp_pipeline *pl = arg;
    pthread_mutex_lock(&pl->lock);
    while (pl->head != pl->tail || pl->busy)
        pthread_cond_wait(&pl->idle, &pl->lock);
    rp_pdf_rendered_free(pl->r);
    pl->r = rp_pdf_begin(pl->width, pl->height, &pl->opt);
    pthread_mutex_unlock(&pl->lock);
}

rp_page_sink rp_pipeline_sink(rp_pipeline *pl)
{
    return (rp_page_sink){sink_page, sink_reset, pl};
}

rp_pipeline *rp_pipeline_start(double width, double height)
{
    rp_pipeline *pl = calloc(1, sizeof *pl);
    if (!pl)
        return NULL;
    pl->width = width;
    pl->height = height;
    /* the pages are not released as they are drawn: the document's arena is the layout's */
    pl->opt = (rp_pdf_options){1, 1, 0};
    pl->r = rp_pdf_begin(width, height, &pl->opt);
    if (!pl->r) {
        free(pl);
        return NULL;
    }
    pthread_mutex_init(&pl->lock, NULL);
    pthread_cond_init(&pl->wake, NULL);
    pthread_cond_init(&pl->idle, NULL);
    if (rp_thread_start_kept(&pl->thread, writer_main, pl) != 0) {
        pthread_mutex_destroy(&pl->lock);
        pthread_cond_destroy(&pl->wake);
        pthread_cond_destroy(&pl->idle);
        rp_pdf_rendered_free(pl->r);
        free(pl);
        return NULL;
    }
    return pl;
}

void rp_pipeline_end(rp_pipeline *pl, rp_pages *doc)
{
    pthread_mutex_lock(&pl->lock);
    pl->doc = doc;
    pl->ended = 1;
    pthread_cond_signal(&pl->wake);
    pthread_mutex_unlock(&pl->lock);
}

int rp_pipeline_join(rp_pipeline *pl, rp_pdf_rendered **out)
{
    pthread_join(pl->thread, NULL);
    int rc = pl->rc;
    *out = NULL;
    if (rc == 0 && pl->doc)
        *out = pl->r;
    else
        rp_pdf_rendered_free(pl->r);
    pthread_mutex_destroy(&pl->lock);
    pthread_cond_destroy(&pl->wake);
    pthread_cond_destroy(&pl->idle);
    free(pl->queue);
    free(pl);
    return rc;
}
