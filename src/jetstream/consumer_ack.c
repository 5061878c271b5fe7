/* Consumer acks ($JS.ACK.<stream>.<consumer>.<dc>.<sseq>.<cseq>.<ts>.<pending>)
 * and the timer work: redelivery after ack_wait up to max_deliver,
 * expiring pull requests, ephemeral clean-up after inactive_threshold. */
#include "jetstream/consumer_int.h"
#include "util/clock.h"
#include "util/hist.h"
#include "util/log.h"
#include "util/nuid.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

void wait_remove(struct consumer *c, size_t i)
{
    free(c->wait[i].reply);
    memmove(&c->wait[i], &c->wait[i + 1], (c->nwait - i - 1) * sizeof(*c->wait));
    c->nwait--;
}

void wait_add(struct consumer *c, const char *reply, size_t rlen, const struct js_pull_req *pr,
              int64_t now)
{
    if (c->nwait == c->capwait) {
        c->capwait = c->capwait ? c->capwait * 2 : 8;
        c->wait = xrealloc(c->wait, c->capwait * sizeof(*c->wait));
    }
    struct waitreq *wr = &c->wait[c->nwait++];
    wr->reply = xstrndup(reply, rlen);
    wr->batch = pr->batch > 0 ? pr->batch : 1;
    wr->batch_zero = pr->batch <= 0;
    /* A negative expiry has passed already: the request ends at once with
     * 408, as in nats-server, instead of waiting for ever. */
    wr->expires_at = pr->expires == 0 ? 0 : pr->expires > -now ? now + pr->expires : 1;
    wr->hb = pr->idle_heartbeat;
    wr->last_sent = now;
    wr->max_bytes = pr->max_bytes > 0 ? pr->max_bytes : 0;
    if (wr->expires_at)
        consumer_due(c, wr->expires_at);
    if (wr->hb > 0)
        consumer_due(c, now + wr->hb);
}

/* Tells a pull request it is over (408 Request Timeout / 409 Message Size
 * Exceeds MaxBytes, with what it still wanted) and drops it. */
void wait_end(struct consumer *c, struct cq *q, size_t i, enum js_status why)
{
    struct waitreq *wr = &c->wait[i];
    struct buf b;
    buf_init(&b);
    /* nats-server reports the batch as asked: 0 for a request without one. */
    js_status_block(&b, why, wr->batch_zero ? 0 : wr->batch, wr->max_bytes);
    cq_push(q, wr->reply, strlen(wr->reply), "", 0, buf_head(&b), buf_size(&b), NULL, 0, true);
    buf_deinit(&b);
    wait_remove(c, i);
}

static void delivery_advisory(struct consumer *c, struct cq *q, enum js_delivery_event ev,
                              const char *prefix, const struct pend *p)
{
    char id[NUID_LEN + 1];
    js__event_id(id);
    struct buf b;
    buf_init(&b);
    js_advisory_consumer_delivery(&b, ev, id, clock_real_ns(), c->st->cfg.name, c->name, p->cseq,
                                  p->sseq, p->dc, c->st->js->opts->js_domain);
    char subj[512];
    int sl = snprintf(subj, sizeof(subj), "%s.%s.%s", prefix, c->st->cfg.name, c->name);
    cq_push(q, subj, (size_t)sl, "", 0, NULL, 0, buf_head(&b), buf_size(&b), false);
    buf_deinit(&b);
}

/* Acts on one ack body for stream sequence <sseq>. st->lock held. */
static void apply_ack(struct consumer *c, const struct js_ack_body *a, uint64_t sseq, struct cq *q)
{
    struct pend *p = pend_find(c, sseq);
    c->dirty = true;
    c->last_ack_real = clock_real_ns();
    c->last_active_mono = clock_mono_ns();
    switch (a->op) {
    case JS_ACK_OP_ACK:
    case JS_ACK_OP_NEXT:
        if (c->cfg.ack_policy == JS_ACK_ALL) {
            while (c->npend > 0 && c->pend[0].sseq <= sseq) {
                uint64_t s = c->pend[0].sseq;
                pend_remove(c, s);
                consumer_retire_msg(c, s);
            }
        } else if (p) {
            int64_t now = clock_mono_ns();
            consumer_ack_sample(c, q, p, now);
            hist_record(&c->st->js->hists[HIST_CONSUMER_ACK], now - p->sent);
            pend_remove(c, sseq);
            consumer_retire_msg(c, sseq);
        }
        break;
    case JS_ACK_OP_NAK:
        if (!p)
            break;
        if (a->has_delay && a->delay > 0) {
            p->deadline = clock_mono_ns() + a->delay;
            consumer_due(c, p->deadline);
        } else {
            p->deadline = INT64_MAX;
            redeliver_add(c, sseq);
        }
        delivery_advisory(c, q, JS_EVENT_NAK, JS_ADVISORY_CONSUMER_NAKED_PRE, p);
        break;
    case JS_ACK_OP_PROGRESS:
        if (p) {
            p->deadline = clock_mono_ns() + c->cfg.ack_wait;
            consumer_due(c, p->deadline);
        }
        break;
    case JS_ACK_OP_TERM:
        if (!p)
            break;
        delivery_advisory(c, q, JS_EVENT_TERMINATED, JS_ADVISORY_CONSUMER_TERMINATED_PRE, p);
        pend_remove(c, sseq);
        consumer_retire_msg(c, sseq);
        break;
    default:
        break;
    }
    consumer_update_floor(c);
}

/* $JS.ACK.> callback. */
static void on_ack(void *arg, struct worker *w, const struct srv_msg *m)
{
    struct jetstream *js = arg;
    struct js_ack_reply ar;
    /* nats-server subscribes each consumer's own ack subjects: one of
     * another shape, or of a consumer that does not exist, has no
     * subscriber there (a requester gets 503). Bad numbers in the right
     * shape reach the consumer, which only confirms a double ack. */
    int prc = js_ack_reply_parse(m->subject.p, m->subject.len, &ar);
    if (prc == ERR_PARSE) {
        srv_isub_decline(w);
        return;
    }
    struct stream *st = js__stream_acquire(js, ar.stream, ar.stream_len);
    if (!st) {
        srv_isub_decline(w);
        return;
    }
    struct js_ack_body a;
    js_ack_body_parse(m->data.p, m->data.len, &a);
    struct cq q = {0};
    pthread_mutex_lock(&st->lock);
    struct consumer *c = st->deleted ? NULL : consumer_find(st, ar.consumer, ar.consumer_len);
    bool found = c != NULL;
    if (c && prc == 0) {
        apply_ack(c, &a, ar.sseq, &q);
        if (a.op == JS_ACK_OP_NEXT && m->reply.len && !c->push) {
            struct js_pull_req pr = {.batch = 1};
            struct buf status;
            buf_init(&status);
            if (!a.next_len || js_pull_req_parse(a.next, a.next_len, &pr, &status) == 0)
                wait_add(c, m->reply.p, m->reply.len, &pr, clock_mono_ns());
            buf_deinit(&status);
        }
        consumer_pump(c, &q);
    }
    /* "Double ack": the client asked for a confirmation. */
    if (c && m->reply.len && a.op != JS_ACK_OP_NEXT)
        cq_push(&q, m->reply.p, m->reply.len, "", 0, NULL, 0, NULL, 0, true);
    cq_deliver(st, &q, w);
    js__stream_unref(st);
    if (!found)
        srv_isub_decline(w);
}

/* Redeliveries due, expired pulls. Only scans when something is due
 * (c->next_due), then computes the next time. st->lock held. */
static void tick_consumer(struct consumer *c, struct cq *q, int64_t now)
{
    if (now < c->next_due)
        return;
    int64_t next = INT64_MAX;
    for (size_t i = 0; i < c->npend;) {
        struct pend *p = &c->pend[i];
        if (p->deadline > now) {
            if (p->deadline < next)
                next = p->deadline;
            i++;
            continue;
        }
        if (c->cfg.max_deliver > 0 && (int64_t)p->dc >= c->cfg.max_deliver) {
            /* Dropped from pending; like nats-server, the ack floor only
             * moves on the next ack. */
            delivery_advisory(c, q, JS_EVENT_MAX_DELIVER, JS_ADVISORY_CONSUMER_MAX_DELIVER_PRE, p);
            pend_remove(c, p->sseq);
            continue;
        }
        p->deadline = INT64_MAX;
        redeliver_add(c, p->sseq);
        i++;
    }
    for (size_t i = 0; i < c->nwait;) {
        struct waitreq *wr = &c->wait[i];
        if (wr->hb > 0 && wr->last_sent + wr->hb < next)
            next = wr->last_sent + wr->hb;
        if (!wr->expires_at || wr->expires_at > now) {
            if (wr->expires_at && wr->expires_at < next)
                next = wr->expires_at;
            i++;
            continue;
        }
        wait_end(c, q, i, JS_STATUS_REQUEST_TIMEOUT);
    }
    if (c->hold_until > now && c->hold_until < next)
        next = c->hold_until;
    if (c->push && c->cfg.idle_heartbeat > 0 && c->last_send_mono + c->cfg.idle_heartbeat < next)
        next = c->last_send_mono + c->cfg.idle_heartbeat;
    c->next_due = next;
}

/* Pull requests that asked for idle heartbeats get one whenever nothing
 * was sent to them for that long. */
/* A "100 Idle Heartbeat" status to <to>, naming the outstanding flow
 * control request (Nats-Consumer-Stalled) when there is one. */
static void send_heartbeat(struct consumer *c, struct cq *q, const char *to)
{
    struct buf b;
    buf_init(&b);
    js_status_idle_heartbeat(&b, c->dseq, c->dsseq, c->fc.fcid[0] ? c->fc.fcid : NULL);
    cq_push(q, to, strlen(to), "", 0, buf_head(&b), buf_size(&b), NULL, 0, true);
    buf_deinit(&b);
}

static void pull_heartbeats(struct consumer *c, struct cq *q, int64_t now)
{
    for (size_t i = 0; i < c->nwait; i++) {
        struct waitreq *wr = &c->wait[i];
        if (wr->hb <= 0 || now - wr->last_sent < wr->hb)
            continue;
        send_heartbeat(c, q, wr->reply);
        wr->last_sent = now;
    }
}

/* Push consumers with idle_heartbeat: a "100 Idle Heartbeat" status when
 * nothing was sent for that long, so clients know the consumer is alive. */
static void heartbeat(struct consumer *c, struct cq *q, int64_t now)
{
    pull_heartbeats(c, q, now);
    if (!c->push || c->cfg.idle_heartbeat <= 0 || now - c->last_send_mono < c->cfg.idle_heartbeat)
        return;
    const char *to = c->cfg.deliver_subject;
    if (!consumer_push_active(c))
        return;
    send_heartbeat(c, q, to);
    c->last_send_mono = now;
}

void js__consumers_tick(struct stream *st, struct worker *w, int64_t now, bool save)
{
    struct cq q = {0};
    pthread_mutex_lock(&st->lock);
    for (size_t i = 0; i < st->nconsumers;) {
        struct consumer *c = st->consumers[i];
        tick_consumer(c, &q, now);
        consumer_pump(c, &q);
        heartbeat(c, &q, now);
        if (save)
            consumer_save_state(c);
        bool idle = !js_consumer_config_is_durable(&c->cfg) && c->cfg.inactive_threshold > 0 &&
                    c->nwait == 0 && now - c->last_active_mono > c->cfg.inactive_threshold &&
                    !(c->push && consumer_push_active(c));
        if (idle) {
            consumer_delete(c, &q);
            continue;
        }
        if (c->push && consumer_push_active(c))
            c->last_active_mono = now;
        i++;
    }
    cq_deliver(st, &q, w);
}

int64_t js__consumers_next_due(struct stream *st)
{
    int64_t due = INT64_MAX;
    pthread_mutex_lock(&st->lock);
    for (size_t i = 0; i < st->nconsumers; i++) {
        if (st->consumers[i]->next_due < due)
            due = st->consumers[i]->next_due;
        if (st->consumers[i]->pump_more)
            due = 0; /* a backlog's next slice */
    }
    pthread_mutex_unlock(&st->lock);
    return due;
}

int js__consumer_ack_subscribe(struct jetstream *js, struct srv_isub **out)
{
    return srv_isub_add(js->srv, "$JS.ACK.>", NULL, on_ack, js, out);
}
