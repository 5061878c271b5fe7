/* Group commit of PubAcks, off the worker threads.
 *
 * A publish to a file stream is appended on the publisher's worker and its
 * PubAck queued there (js__ack_later). Before the worker sleeps it hands
 * the queued acks, as one batch, to the commit thread and goes back to
 * reading: the worker never waits for the disk. The commit thread takes
 * every batch submitted so far, fdatasyncs each stream they touch once (one
 * sync covers every record appended before it started: group commit), and
 * posts each batch back to its worker, which sends the acks in order. An
 * ack goes out only when the store reports its message synced; otherwise
 * the publisher gets an error. Acknowledged means durable.
 */
#include "jetstream/js_int.h"
#include "util/clock.h"
#include "util/hist.h"
#include "util/list.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One worker's acks from one loop iteration. */
struct ackbatch {
    struct list_node node;  /* js_commit.all: every batch not yet sent (clean-up) */
    struct ackbatch *qnext; /* js_commit.queue: submitted, not yet synced */
    struct jetstream *js;
    unsigned widx;
    struct js_pending_ack *acks;
    size_t n;
};

struct js_commit {
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    struct ackbatch *qhead, *qtail; /* FIFO for the commit thread */
    struct list_node all;
};

void js__ack_later(struct jetstream *js, struct worker *w, struct stream *st, struct slice reply,
                   uint64_t seq, int64_t t0)
{
    struct js_wstate *ws = &js->ws[srv_worker_index(w)];
    if (ws->nacks == ws->cap) {
        ws->cap = ws->cap ? ws->cap * 2 : 64;
        ws->acks = xrealloc(ws->acks, ws->cap * sizeof(*ws->acks));
    }
    js__stream_ref(st);
    struct js_pending_ack *a = &ws->acks[ws->nacks++];
    a->st = st;
    a->reply = xstrndup(reply.p, reply.len);
    a->reply_len = reply.len;
    a->seq = seq;
    a->t0 = t0;
}

static void batch_free(struct ackbatch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->acks[i].reply);
        js__stream_unref(b->acks[i].st);
    }
    free(b->acks);
    free(b);
}

/* On the batch's worker: the acks, now that their streams were synced. */
static void send_batch(void *arg, struct worker *w)
{
    struct ackbatch *b = arg;
    struct jetstream *js = b->js;
    pthread_mutex_lock(&js->commit->mu);
    list_remove(&b->node);
    pthread_mutex_unlock(&js->commit->mu);
    struct buf out;
    buf_init(&out);
    for (size_t i = 0; i < b->n; i++) {
        struct js_pending_ack *a = &b->acks[i];
        buf_clear(&out);
        pthread_mutex_lock(&a->st->lock);
        bool synced = store_synced_seq(a->st->store) >= a->seq;
        pthread_mutex_unlock(&a->st->lock);
        if (synced)
            js_pub_ack_json(&out, a->st->cfg.name, js->opts->js_domain, a->seq, false);
        else
            js_pub_ack_error_json(&out, a->st->cfg.name, JS_ERR_STREAM_STORE_FAILED,
                                  "failed to sync message to disk");
        js__reply_ack(w, slice_of(a->reply, a->reply_len), &out);
        hist_record(&js->hists[HIST_JS_PUBLISH_ACK], clock_mono_ns() - a->t0);
    }
    buf_deinit(&out);
    batch_free(b);
}

/* Syncs every stream the batches touch, each once, when the store has not
 * yet synced the highest sequence acked for it. */
static void sync_streams(struct ackbatch *list)
{
    struct todo {
        struct stream *st;
        uint64_t seq;
    } *todo = NULL;
    size_t n = 0, cap = 0;
    for (struct ackbatch *b = list; b; b = b->qnext) {
        for (size_t i = 0; i < b->n; i++) {
            struct js_pending_ack *a = &b->acks[i];
            size_t k = n;
            while (k > 0 && todo[k - 1].st != a->st)
                k--;
            if (k > 0) {
                if (a->seq > todo[k - 1].seq)
                    todo[k - 1].seq = a->seq;
                continue;
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                todo = xrealloc(todo, cap * sizeof(*todo));
            }
            todo[n++] = (struct todo){a->st, a->seq};
        }
    }
    for (size_t k = 0; k < n; k++) {
        struct stream *st = todo[k].st;
        pthread_mutex_lock(&st->lock);
        bool need = !st->deleted && store_synced_seq(st->store) < todo[k].seq;
        pthread_mutex_unlock(&st->lock);
        /* Without the stream lock: publishers keep appending while the disk
         * syncs (the store syncs on a private descriptor). */
        int rc = need ? store_sync(st->store) : 0;
        if (rc)
            log_error("JetStream stream '%s': sync failed: %s", st->cfg.name, err_str(rc));
    }
    free(todo);
}

static void *commit_main(void *arg)
{
    struct jetstream *js = arg;
    struct js_commit *c = js->commit;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->stop && !c->qhead)
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->stop)
            break;
        struct ackbatch *list = c->qhead;
        c->qhead = c->qtail = NULL;
        pthread_mutex_unlock(&c->mu);
        sync_streams(list);
        while (list) {
            struct ackbatch *b = list;
            list = b->qnext;
            srv_post_call(js->srv, b->widx, send_batch, b);
        }
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

void js__flush_later(struct jetstream *js, struct worker *w, struct stream *st)
{
    struct js_wstate *ws = &js->ws[srv_worker_index(w)];
    for (size_t i = ws->nflush; i > 0; i--) /* few per iteration; the last most likely */
        if (ws->flush[i - 1] == st)
            return;
    if (ws->nflush == ws->flushcap) {
        ws->flushcap = ws->flushcap ? ws->flushcap * 2 : 8;
        ws->flush = xrealloc(ws->flush, ws->flushcap * sizeof(*ws->flush));
    }
    js__stream_ref(st);
    ws->flush[ws->nflush++] = st;
}

/* Writes the write-behind bytes of the streams <ws> appended to. A failure
 * leaves them buffered: the acks that need them answer an error (their
 * sequences are not synced), the next append retries. */
static void flush_streams(struct js_wstate *ws)
{
    for (size_t i = 0; i < ws->nflush; i++) {
        struct stream *st = ws->flush[i];
        pthread_mutex_lock(&st->lock);
        int rc = st->deleted ? 0 : store_flush(st->store);
        pthread_mutex_unlock(&st->lock);
        if (rc)
            log_error("JetStream stream '%s': write failed: %s", st->cfg.name, err_str(rc));
        js__stream_unref(st);
    }
    ws->nflush = 0;
}

void js__commit_submit(struct jetstream *js, struct worker *w)
{
    struct js_wstate *ws = &js->ws[srv_worker_index(w)];
    flush_streams(ws);
    if (!ws->nacks)
        return;
    struct ackbatch *b = xcalloc(1, sizeof(*b));
    b->js = js;
    b->widx = srv_worker_index(w);
    b->acks = ws->acks;
    b->n = ws->nacks;
    ws->acks = NULL;
    ws->nacks = ws->cap = 0;
    struct js_commit *c = js->commit;
    pthread_mutex_lock(&c->mu);
    list_insert_tail(&c->all, &b->node);
    if (c->qtail)
        c->qtail->qnext = b;
    else
        c->qhead = b;
    c->qtail = b;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

int js__commit_start(struct jetstream *js)
{
    struct js_commit *c = xcalloc(1, sizeof(*c));
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    list_init(&c->all);
    js->commit = c;
    int rc = pthread_create(&c->thread, NULL, commit_main, js);
    if (rc)
        return -rc;
    c->started = true;
    return 0;
}

void js__commit_stop(struct jetstream *js)
{
    struct js_commit *c = js->commit;
    if (!c)
        return;
    if (c->started) {
        pthread_mutex_lock(&c->mu);
        c->stop = true;
        pthread_cond_signal(&c->cv);
        pthread_mutex_unlock(&c->mu);
        pthread_join(c->thread, NULL);
    }
    /* The workers have stopped: batches still queued or posted will never
     * be sent (their messages are synced when the stores close). */
    while (!list_is_empty(&c->all)) {
        struct ackbatch *b = LIST_ENTRY(c->all.next, struct ackbatch, node);
        list_remove(&b->node);
        batch_free(b);
    }
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    free(c);
    js->commit = NULL;
}
