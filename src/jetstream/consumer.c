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

/* ---- pending acks (sorted by stream sequence) ---- */

struct pend *pend_find(struct consumer *c, uint64_t sseq)
{
    size_t lo = 0, hi = c->npend;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->pend[mid].sseq < sseq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->npend && c->pend[lo].sseq == sseq ? &c->pend[lo] : NULL;
}

static void pend_add(struct consumer *c, uint64_t sseq, uint64_t cseq, uint64_t dc, int64_t dl)
{
    struct pend *p = pend_find(c, sseq);
    if (p) {
        p->cseq = cseq;
        p->dc = dc;
        p->deadline = dl;
        return;
    }
    if (c->npend == c->cappend) {
        c->cappend = c->cappend ? c->cappend * 2 : 32;
        c->pend = xrealloc(c->pend, c->cappend * sizeof(*c->pend));
    }
    size_t i = c->npend;
    while (i > 0 && c->pend[i - 1].sseq > sseq) {
        c->pend[i] = c->pend[i - 1];
        i--;
    }
    c->pend[i] = (struct pend){sseq, cseq, dc, dl};
    c->npend++;
}

void pend_remove(struct consumer *c, uint64_t sseq)
{
    struct pend *p = pend_find(c, sseq);
    if (!p)
        return;
    size_t i = (size_t)(p - c->pend);
    memmove(&c->pend[i], &c->pend[i + 1], (c->npend - i - 1) * sizeof(*c->pend));
    c->npend--;
}

static bool redeliver_has(const struct consumer *c, uint64_t sseq)
{
    for (size_t i = 0; i < c->nred; i++)
        if (c->red[i] == sseq)
            return true;
    return false;
}

void redeliver_add(struct consumer *c, uint64_t sseq)
{
    if (redeliver_has(c, sseq))
        return;
    if (c->nred == c->capred) {
        c->capred = c->capred ? c->capred * 2 : 16;
        c->red = xrealloc(c->red, c->capred * sizeof(*c->red));
    }
    c->red[c->nred++] = sseq;
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
 * count. */
static bool next_msg(struct consumer *c, struct store_msg *sm, struct buf *scratch, uint64_t *dc)
{
    struct store *s = c->st->store;
    while (c->nred > 0) {
        uint64_t sseq = c->red[0];
        memmove(&c->red[0], &c->red[1], (c->nred - 1) * sizeof(*c->red));
        c->nred--;
        struct pend *p = pend_find(c, sseq);
        if (!p || store_load(s, sseq, sm, scratch) != 0) {
            if (p)
                pend_remove(c, sseq);
            continue;
        }
        *dc = p->dc + 1;
        return true;
    }
    while (c->ninit > 0) {
        uint64_t sseq = c->init[c->iinit++];
        c->ninit--;
        if (store_load(s, sseq, sm, scratch) == 0) {
            *dc = 1;
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
    return true;
}

/* Builds and queues one delivery of <sm> to <to>. */
static void queue_msg(struct consumer *c, struct cq *q, const char *to, size_t tolen,
                      const struct store_msg *sm, uint64_t dc, uint64_t cseq)
{
    struct buf ack;
    buf_init(&ack);
    js_ack_reply_build(&ack, c->st->cfg.name, c->name, dc, sm->seq, cseq, sm->ts,
                       consumer_num_pending(c));
    /* Every delivery carries the ack subject, even with ack none: clients
     * read the delivery info (sequences, pending) from it. */
    const char *reply = buf_head(&ack);
    size_t rlen = strlen(reply);
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
    buf_deinit(&ack);
}

/* Where the next message goes: a waiting pull request or the push subject.
 * Returns false when nobody wants one now. */
static bool target(struct consumer *c, struct cq *q, int64_t now, const char **to, size_t *tolen)
{
    if (c->push) {
        if (!srv_has_interest(c->st->js->srv, c->cfg.deliver_subject,
                              strlen(c->cfg.deliver_subject)))
            return false;
        *to = c->cfg.deliver_subject;
        *tolen = strlen(*to);
        return true;
    }
    /* A request whose requester went away (no interest in its reply
     * subject any more, e.g. a fetch that timed out) is dropped, as
     * nats-server does, instead of swallowing messages. */
    while (c->nwait > 0 &&
           !srv_has_interest(c->st->js->srv, c->wait[0].reply, strlen(c->wait[0].reply)))
        wait_remove(c, 0);
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

void consumer_pump(struct consumer *c, struct cq *q)
{
    if (c->deleted)
        return;
    struct buf scratch;
    buf_init(&scratch);
    const char *to;
    size_t tolen;
    int64_t now = clock_mono_ns();
    for (int guard = 0; guard < 100000 && target(c, q, now, &to, &tolen); guard++) {
        if (ack_pending_full(c) && c->nred == 0)
            break;
        struct store_msg sm;
        uint64_t dc = 1;
        if (!next_msg(c, &sm, &scratch, &dc))
            break;
        uint64_t cseq = ++c->dseq;
        c->dsseq = sm.seq;
        c->last_delivered_real = clock_real_ns();
        if (c->cfg.ack_policy != JS_ACK_NONE)
            pend_add(c, sm.seq, cseq, dc, now + c->cfg.ack_wait);
        else
            c->ack_floor_cseq = cseq, c->ack_floor_sseq = sm.seq;
        queue_msg(c, q, to, tolen, &sm, dc, cseq);
        c->last_send_mono = now;
        c->dirty = true;
        if (!c->push) {
            c->wait[0].last_sent = now;
            if (--c->wait[0].batch <= 0)
                wait_remove(c, 0);
        }
    }
    buf_deinit(&scratch);
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

void js__consumers_notify(struct stream *st, struct worker *w)
{
    struct cq q = {0};
    pthread_mutex_lock(&st->lock);
    for (size_t i = 0; i < st->nconsumers; i++)
        consumer_pump(st->consumers[i], &q);
    pthread_mutex_unlock(&st->lock);
    cq_flush(&q, w);
}
