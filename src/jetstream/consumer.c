/* Consumers: state, delivery (pull requests and push subjects), acks,
 * redelivery after ack_wait up to max_deliver, and the retention effects of
 * acks on work-queue and interest streams. All consumer state is guarded by
 * the stream's lock; messages to send are collected under it and published
 * after it is released (a delivery may loop back into a stream). */
#include "jetstream/consumer_int.h"
#include "proto/proto.h"
#include "subject/subject.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/nuid.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

/* ---- the outgoing queue ---- */

static struct cmsg *cq_add(struct cq *q)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 16;
        q->v = xrealloc(q->v, q->cap * sizeof(*q->v));
    }
    struct cmsg *m = &q->v[q->n++];
    buf_init(&m->b);
    return m;
}

void cq_push_msg(struct cq *q, const char *to, size_t tolen, const char *subj, size_t slen,
                 const char *reply, size_t rlen, const char *hdr, size_t hlen, const char *data,
                 size_t dlen)
{
    struct cmsg *m = cq_add(q);
    buf_append(&m->b, to, tolen);
    buf_append(&m->b, subj, slen);
    buf_append(&m->b, reply, rlen);
    buf_append(&m->b, hdr, hlen);
    buf_append(&m->b, data, dlen);
    m->tlen = tolen;
    m->slen = slen;
    m->rlen = rlen;
    m->hlen = hlen;
    m->dlen = dlen;
    m->dbl = false;
}

void cq_push(struct cq *q, const char *subj, size_t slen, const char *reply, size_t rlen,
             const char *hdr, size_t hlen, const char *data, size_t dlen, bool dbl)
{
    struct cmsg *m = cq_add(q);
    m->tlen = 0;
    buf_append(&m->b, subj, slen);
    buf_append(&m->b, reply, rlen);
    buf_append(&m->b, hdr, hlen);
    buf_append(&m->b, data, dlen);
    m->slen = slen;
    m->rlen = rlen;
    m->hlen = hlen;
    m->dlen = dlen;
    m->dbl = dbl;
}

void cq_flush(struct cq *q, struct worker *w)
{
    for (size_t i = 0; i < q->n; i++) {
        struct cmsg *m = &q->v[i];
        const char *p = buf_head(&m->b);
        srv_deliver_as(w, slice_of(p, m->tlen), slice_of(p + m->tlen, m->slen),
                       slice_of(p + m->tlen + m->slen, m->rlen),
                       slice_of(p + m->tlen + m->slen + m->rlen, m->hlen),
                       slice_of(p + m->tlen + m->slen + m->rlen + m->hlen, m->dlen), m->dbl);
        buf_deinit(&m->b);
    }
    free(q->v);
    q->v = NULL;
    q->n = q->cap = 0;
}

void cq_discard(struct cq *q)
{
    for (size_t i = 0; i < q->n; i++)
        buf_deinit(&q->v[i].b);
    free(q->v);
    *q = (struct cq){0};
}

void cq_queue(struct stream *st, struct cq *q)
{
    if (q->n == 0)
        return;
    if (!st->outq)
        st->outq = xcalloc(1, sizeof(*st->outq));
    struct cq *o = st->outq;
    if (o->n == 0) {
        free(o->v);
        *o = *q;
    } else {
        if (o->n + q->n > o->cap) {
            o->cap = o->n + q->n;
            o->v = xrealloc(o->v, o->cap * sizeof(*o->v));
        }
        memcpy(o->v + o->n, q->v, q->n * sizeof(*q->v));
        o->n += q->n;
        free(q->v);
    }
    *q = (struct cq){0};
}

static bool has_more(const struct consumer *c, const void *arg)
{
    (void)arg;
    return c->pump_more;
}

/* Posted to the worker that delivered a slice (arg: the jetstream, so that
 * nothing is owned by a call that shutdown may drop): the next slices of
 * the push consumers that stopped at one, after the worker's other work. */
static void pump_more_cb(void *arg, struct worker *w)
{
    consumers_pump_where(arg, w, has_more, NULL);
}

void consumers_pump_where(struct jetstream *js, struct worker *w,
                          bool (*match)(const struct consumer *c, const void *arg), const void *arg)
{
    struct stream **todo = NULL;
    size_t n = 0;
    pthread_mutex_lock(&js->lock);
    for (size_t i = 0; i < js->nstreams; i++) {
        struct stream *st = js->streams[i];
        bool any = false;
        pthread_mutex_lock(&st->lock);
        for (size_t k = 0; k < st->nconsumers && !any; k++)
            any = match(st->consumers[k], arg);
        pthread_mutex_unlock(&st->lock);
        if (!any)
            continue;
        todo = xrealloc(todo, (n + 1) * sizeof(*todo));
        js__stream_ref(st);
        todo[n++] = st;
    }
    pthread_mutex_unlock(&js->lock);
    for (size_t i = 0; i < n; i++) {
        struct stream *st = todo[i];
        struct cq q = {0};
        pthread_mutex_lock(&st->lock);
        for (size_t k = 0; k < st->nconsumers && !st->deleted; k++)
            if (match(st->consumers[k], arg))
                consumer_pump(st->consumers[k], &q);
        cq_deliver(st, &q, w);
        js__stream_unref(st);
    }
    free(todo);
}

/* st->lock held, released on return: sends the output queue unless
 * another thread is sending it (which then sends what was queued too),
 * then has this worker continue any sliced push consumer. */
static void drain_locked(struct stream *st, struct worker *w)
{
    bool more = st->pump_more && !st->deleted;
    st->pump_more = false;
    if (!st->draining && st->outq) {
        st->draining = true;
        while (st->outq->n > 0) {
            struct cq mine = *st->outq;
            *st->outq = (struct cq){0};
            pthread_mutex_unlock(&st->lock);
            cq_flush(&mine, w);
            pthread_mutex_lock(&st->lock);
        }
        st->draining = false;
    }
    pthread_mutex_unlock(&st->lock);
    if (more)
        srv_post_call(st->js->srv, srv_worker_index(w), pump_more_cb, st->js);
}

void cq_drain(struct stream *st, struct worker *w)
{
    pthread_mutex_lock(&st->lock);
    drain_locked(st, w);
}

void cq_deliver(struct stream *st, struct cq *q, struct worker *w)
{
    cq_queue(st, q);
    drain_locked(st, w); /* no second lock round trip, and none at all when idle */
}

/* ---- pending acks ---- */

static void pend_add(struct consumer *c, uint64_t sseq, uint64_t cseq, uint64_t dc, int64_t now)
{
    /* The wait before a redelivery: ack_wait, or the backoff step of this
     * delivery (the last step repeating). */
    int64_t wait = c->cfg.ack_wait;
    if (c->cfg.nbackoff > 0)
        wait = c->cfg.backoff[dc - 1 < c->cfg.nbackoff ? dc - 1 : c->cfg.nbackoff - 1];
    int64_t dl = now + wait;
    consumer_due(c, dl);
    struct pend *p = pend_find(c, sseq);
    if (p) {
        p->cseq = cseq;
        p->dc = dc;
        p->deadline = dl;
        p->sent = now;
        return;
    }
    pend_insert(c, &(struct pend){sseq, cseq, dc, dl, now, false});
}

static const char *filter_of(const struct consumer *c, size_t *len)
{
    const char *f = c->cfg.filter_subject && *c->cfg.filter_subject ? c->cfg.filter_subject : NULL;
    *len = f ? strlen(f) : 0;
    return f;
}

uint64_t consumer_num_pending(struct consumer *c)
{
    size_t flen;
    const char *f = filter_of(c, &flen);
    uint64_t n = store_count_from(c->st->store, c->next_sseq, f, flen);
    return n + c->ninit;
}

/* ---- delivery ---- */

/* Loads the next message to deliver: queued redeliveries, then the initial
 * last-per-subject list, then new messages. Sets *<dc> to its delivery
 * count and *<src> to where it came from (for unread_msg). */
static bool next_msg(struct consumer *c, struct store_msg *sm, struct buf *scratch, uint64_t *dc,
                     enum msg_src *src)
{
    struct store *s = c->st->store;
    while (c->nred > 0) {
        uint64_t sseq = redeliver_pop(c);
        struct pend *p = pend_find(c, sseq);
        if (!p || store_load(s, sseq, sm, scratch) != 0) {
            if (p)
                pend_remove(c, sseq);
            continue;
        }
        p->queued = false;
        *dc = p->dc + 1;
        *src = SRC_REDELIVER;
        return true;
    }
    while (c->ninit > 0) {
        uint64_t sseq = c->init[c->iinit++];
        c->ninit--;
        if (store_load(s, sseq, sm, scratch) == 0) {
            *dc = 1;
            *src = SRC_INIT;
            return true;
        }
    }
    size_t flen;
    const char *f = filter_of(c, &flen);
    if (store_load_next(s, c->next_sseq, f, flen, sm, scratch) != 0) {
        /* Everything up to the end of the stream has been looked at. */
        struct store_state ss;
        store_state_get(s, &ss);
        if (ss.last_seq + 1 > c->next_sseq)
            c->next_sseq = ss.last_seq + 1;
        return false;
    }
    c->next_sseq = sm->seq + 1;
    *dc = 1;
    *src = SRC_NEW;
    return true;
}

/* Puts back a message next_msg returned, to be delivered later. */
static void unread_msg(struct consumer *c, enum msg_src src, uint64_t seq)
{
    switch (src) {
    case SRC_REDELIVER:
        redeliver_push_front(c, seq);
        break;
    case SRC_INIT:
        c->iinit--;
        c->ninit++;
        break;
    case SRC_NEW:
        c->next_sseq = seq;
        break;
    }
}

/* The size nats-server counts for a delivery (max_bytes, flow control):
 * subject, ack reply, headers and data as sent. */
static int64_t delivery_size(const struct consumer *c, const struct store_msg *sm, size_t rlen)
{
    size_t hl = sm->hdr_len, dl = sm->data_len;
    if (c->cfg.headers_only) {
        char n[24];
        /* the headers, then "Nats-Msg-Size: <n>" and the blank line */
        hl = (hl >= 4 ? hl - 2 : 10) + 15 + (size_t)snprintf(n, sizeof(n), "%zu", dl) + 4;
        dl = 0;
    }
    return (int64_t)(sm->subj_len + rlen + hl + dl);
}

/* Builds and queues one delivery of <sm> to <to> with ack subject <reply>.
 * Every delivery carries the ack subject, even with ack none: clients read
 * the delivery info (sequences, pending) from it. */
static void queue_msg(struct consumer *c, struct cq *q, const char *to, size_t tolen,
                      const struct store_msg *sm, const char *reply, size_t rlen)
{
    if (c->cfg.headers_only) {
        struct buf h;
        buf_init(&h);
        if (sm->hdr_len >= 4)
            buf_append(&h, sm->hdr, sm->hdr_len - 2);
        else
            buf_append_str(&h, "NATS/1.0\r\n");
        buf_appendf(&h, "Nats-Msg-Size: %zu\r\n\r\n", sm->data_len);
        cq_push_msg(q, to, tolen, sm->subj, sm->subj_len, reply, rlen, buf_head(&h), buf_size(&h),
                    NULL, 0);
        buf_deinit(&h);
    } else {
        cq_push_msg(q, to, tolen, sm->subj, sm->subj_len, reply, rlen, sm->hdr, sm->hdr_len,
                    sm->data, sm->data_len);
    }
}

bool consumer_push_active(const struct consumer *c)
{
    struct server *srv = c->st->js->srv;
    const char *ds = c->cfg.deliver_subject, *g = c->cfg.deliver_group;
    if (g && *g)
        return srv_has_queue_interest(srv, ds, strlen(ds), g, strlen(g));
    return srv_has_interest(srv, ds, strlen(ds));
}

/* Where the next message goes: a waiting pull request or the push subject.
 * Returns false when nobody wants one now. */
static bool target(struct consumer *c, struct cq *q, int64_t now, const char **to, size_t *tolen)
{
    if (c->push) {
        if (!consumer_push_active(c))
            return false;
        *to = c->cfg.deliver_subject;
        *tolen = strlen(*to);
        return true;
    }
    /* Expired requests end here even between timer ticks; a request whose
     * requester went away (no interest in its reply subject any more) is
     * dropped, as nats-server does, instead of swallowing messages. */
    while (c->nwait > 0) {
        if (c->wait[0].expires_at && c->wait[0].expires_at <= now)
            wait_end(c, q, 0, JS_STATUS_REQUEST_TIMEOUT);
        else if (!srv_has_interest(c->st->js->srv, c->wait[0].reply, strlen(c->wait[0].reply)))
            wait_remove(c, 0);
        else
            break;
    }
    if (c->nwait == 0)
        return false;
    *to = c->wait[0].reply;
    *tolen = strlen(*to);
    return true;
}

static bool ack_pending_full(const struct consumer *c)
{
    return c->cfg.ack_policy != JS_ACK_NONE && c->cfg.max_ack_pending > 0 &&
           (int64_t)c->npend >= c->cfg.max_ack_pending;
}

/* A pull request with max_bytes takes a message of <sz> bytes, or ends
 * with 409 when it cannot (the message stays for the next request). */
static bool wait_takes(struct consumer *c, struct cq *q, int64_t sz)
{
    struct waitreq *wr = &c->wait[0];
    if (wr->max_bytes <= 0)
        return true;
    if (sz > wr->max_bytes) {
        wait_end(c, q, 0, JS_STATUS_MSG_SIZE_EXCEEDS);
        return false;
    }
    wr->max_bytes -= sz;
    if (wr->max_bytes == 0)
        wr->batch = 1; /* this one, then the request is done */
    return true;
}

/* Delivers one message if there is one and someone to take it. Returns
 * false when the pump should stop. */
static bool pump_one(struct consumer *c, struct cq *q, struct buf *scratch, int64_t now,
                     int64_t now_real)
{
    const char *to;
    size_t tolen;
    if (!target(c, q, now, &to, &tolen) || !consumer_flow_open(c, now))
        return false;
    if (ack_pending_full(c) && c->nred == 0)
        return false;
    struct store_msg sm;
    uint64_t dc = 1;
    enum msg_src src;
    if (!next_msg(c, &sm, scratch, &dc, &src))
        return false;
    if (consumer_replay_hold(c, sm.seq, sm.ts, now)) {
        unread_msg(c, src, sm.seq);
        return false;
    }
    struct buf ack;
    buf_init(&ack);
    js_ack_reply_build(&ack, c->st->cfg.name, c->name, dc, sm.seq, c->dseq + 1, sm.ts,
                       consumer_num_pending(c));
    int64_t sz = delivery_size(c, &sm, buf_size(&ack));
    if (!c->push && !wait_takes(c, q, sz)) {
        unread_msg(c, src, sm.seq);
        buf_deinit(&ack);
        return true; /* the next request may take it */
    }
    if (!c->push) /* wait_takes may have shortened the batch */
        to = c->wait[0].reply, tolen = strlen(to);
    uint64_t cseq = ++c->dseq;
    c->dsseq = sm.seq;
    c->last_delivered_real = now_real;
    if (c->cfg.ack_policy != JS_ACK_NONE)
        pend_add(c, sm.seq, cseq, dc, now);
    else
        c->ack_floor_cseq = cseq, c->ack_floor_sseq = sm.seq;
    queue_msg(c, q, to, tolen, &sm, buf_head(&ack), buf_size(&ack));
    buf_deinit(&ack);
    consumer_flow_sent(c, q, sz, sm.ts, now);
    c->last_send_mono = now;
    c->dirty = true;
    if (!c->push) {
        c->wait[0].last_sent = now;
        if (--c->wait[0].batch <= 0)
            wait_remove(c, 0);
    }
    return true;
}

/* A push consumer's pump copies at most this much under the stream lock; a
 * backlog goes on in slices, each posted to the worker that delivered the
 * last (drain_locked; the consumer timer is the fallback), so publishers and
 * other consumers of the stream get the lock in between. (A pull request is
 * bounded by its batch, and a no_wait one must be served whole at once.) */
#define PUMP_SLICE_MSGS  2048
#define PUMP_SLICE_BYTES ((size_t)4 << 20)

void consumer_pump(struct consumer *c, struct cq *q)
{
    if (c->deleted)
        return;
    struct buf scratch;
    buf_init(&scratch);
    int64_t now = clock_mono_ns(), now_real = clock_real_ns();
    size_t start = q->n, n0 = q->n, bytes = 0;
    bool more = false;
    while (pump_one(c, q, &scratch, now, now_real)) {
        for (; n0 < q->n; n0++)
            bytes += buf_size(&q->v[n0].b);
        if (c->push && (q->n - start >= PUMP_SLICE_MSGS || bytes >= PUMP_SLICE_BYTES)) {
            more = true;
            break;
        }
    }
    buf_deinit(&scratch);
    c->pump_more = more;
    if (more) /* the caller's delivery posts the next slice (or the timer takes it) */
        c->st->pump_more = true;
}

/* ---- ack floor and retention ---- */

void consumer_update_floor(struct consumer *c)
{
    if (c->npend == 0) {
        c->ack_floor_cseq = c->dseq;
        c->ack_floor_sseq = c->next_sseq > c->dsseq ? c->next_sseq - 1 : c->dsseq;
    } else {
        c->ack_floor_cseq = c->pend[0].cseq - 1;
        c->ack_floor_sseq = c->pend[0].sseq - 1;
    }
}

bool js__consumers_interested(struct stream *st, uint64_t seq)
{
    struct store_msg sm;
    struct buf scratch;
    buf_init(&scratch);
    bool have = store_load(st->store, seq, &sm, &scratch) == 0;
    bool any = false;
    for (size_t i = 0; have && !any && i < st->nconsumers; i++) {
        struct consumer *c = st->consumers[i];
        if (pend_find(c, seq)) {
            any = true;
        } else if (seq >= c->next_sseq) {
            size_t flen;
            const char *f = filter_of(c, &flen);
            any = !f || subj_matches(f, flen, sm.subj, sm.subj_len);
        }
    }
    buf_deinit(&scratch);
    return any;
}

/* A message done with by consumer <c> (acked or terminated): work-queue
 * streams drop it; interest streams drop it when no consumer needs it. */
void consumer_retire_msg(struct consumer *c, uint64_t seq)
{
    struct stream *st = c->st;
    bool drop = st->cfg.retention == JS_RETENTION_WORKQUEUE ||
                (st->cfg.retention == JS_RETENTION_INTEREST && !js__consumers_interested(st, seq));
    if (drop && store_remove(st->store, seq, false) != 0)
        log_debug("JetStream: message %llu of '%s' already gone", (unsigned long long)seq,
                  st->cfg.name);
}

void js__consumers_purged(struct stream *st, const char *filter, bool partial)
{
    struct store_state ss;
    store_state_get(st->store, &ss);
    uint64_t first = ss.msgs ? ss.first_seq : ss.last_seq + 1;
    for (size_t i = 0; i < st->nconsumers; i++) {
        struct consumer *c = st->consumers[i];
        size_t flen;
        const char *cf = filter_of(c, &flen);
        if (partial && cf && (!filter || !subj_is_subset(filter, strlen(filter), cf, flen)))
            continue;
        if (c->next_sseq < first)
            c->next_sseq = first;
        if (c->ack_floor_sseq < first) {
            c->ack_floor_sseq = first - 1;
            c->ack_floor_cseq = c->dseq;
        }
        while (c->npend > 0 && c->pend[0].sseq < first)
            pend_remove(c, c->pend[0].sseq);
        redeliver_drop_below(c, first);
        c->dirty = true;
    }
}

void js__consumers_notify(struct stream *st, struct worker *w)
{
    struct cq q = {0};
    pthread_mutex_lock(&st->lock);
    for (size_t i = 0; i < st->nconsumers; i++)
        consumer_pump(st->consumers[i], &q);
    cq_deliver(st, &q, w);
}
