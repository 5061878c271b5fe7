/* Message delivery: match a published subject, fan out to plain
 * subscribers and one member of each queue group, append MSG/HMSG to each
 * receiver's outbound buffer (under its out_lock, from any worker), and
 * flush outbound buffers on the owning worker with one write per batch.
 *
 * A receiver on another worker is pushed into that worker's inbox once
 * (flush_scheduled) and its loop woken; so one publisher reaches many
 * subscribers without a syscall per message. */
#include "server/server_int.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define WBUF_KEEP (64 * 1024)
/* A receiver with more pending output than this makes its publishers pause
 * reading (as nats-server stalls fast producers), so a fast publisher slows
 * to its readers' pace instead of pushing them into max_pending. */
#define STALL_PENDING_MAX (8 * 1024 * 1024)

void deliver__schedule(struct worker *w, struct client *c)
{
    struct worker *cw = c->w;
    if (cw == w) {
        list_insert_tail(&w->flush_list, &c->flush_node);
        return;
    }
    pthread_mutex_lock(&cw->inbox_lock);
    list_insert_tail(&cw->inbox, &c->flush_node);
    pthread_mutex_unlock(&cw->inbox_lock);
    ev_loop_wake(cw->loop);
}

static void set_want_write(struct client *c, bool on)
{
    if (c->want_write == on)
        return;
    c->want_write = on;
    client__update_events(c);
    if (on) {
        if (c->srv->opts->write_deadline_ns > 0)
            ev_timer_start(c->w->loop, &c->wd_timer, c->srv->opts->write_deadline_ns);
    } else {
        ev_timer_stop(c->w->loop, &c->wd_timer);
    }
}

void deliver__flush(struct client *c, bool dequeued)
{
    if (c->state == CLIENT_CLOSED)
        return;
    if (dequeued) {
        /* Only whoever took the node off a queue may clear the flag: while
         * it is set the node is linked (or being linked) in a queue, and
         * clearing it elsewhere would let another worker link it twice. */
        pthread_mutex_lock(&c->out_lock);
        c->flush_scheduled = false;
        pthread_mutex_unlock(&c->out_lock);
    }
    for (;;) {
        if (buf_size(&c->wbuf) == 0) {
            pthread_mutex_lock(&c->out_lock);
            if (buf_size(&c->out) > 0) {
                struct buf t = c->out;
                c->out = c->wbuf;
                c->wbuf = t;
            }
            pthread_mutex_unlock(&c->out_lock);
            if (buf_size(&c->wbuf) == 0)
                break;
        }
        ssize_t n = write(c->io.fd, buf_head(&c->wbuf), buf_size(&c->wbuf));
        if (n > 0) {
            buf_consume(&c->wbuf, (size_t)n);
            atomic_store_explicit(&c->wpending, buf_size(&c->wbuf), memory_order_relaxed);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            set_want_write(c, true);
            return;
        }
        /* Broken connection: drop the output; the read side sees the error
         * and closes the client. */
        buf_clear(&c->wbuf);
        atomic_store_explicit(&c->wpending, 0, memory_order_relaxed);
        shutdown(c->io.fd, SHUT_RDWR);
        break;
    }
    set_want_write(c, false);
    buf_shrink(&c->wbuf, WBUF_KEEP);
}

/* Post-flush duties that must run on the owner: slow-consumer close and
 * pruning subscriptions that reached their max_msgs. */
static void after_flush(struct client *c)
{
    if (c->state == CLIENT_CLOSED)
        return;
    pthread_mutex_lock(&c->out_lock);
    bool slow = c->slow, prune = c->prune_pending;
    c->prune_pending = false;
    pthread_mutex_unlock(&c->out_lock);
    if (prune)
        client__prune_subs(c);
    if (slow) {
        log_notice("%s:%d - cid:%llu - Slow Consumer Detected: MaxPending of %lld Exceeded", c->ip,
                   c->port, (unsigned long long)c->cid, (long long)c->srv->opts->max_pending);
        client__close(c, "Slow Consumer (Pending)", NULL);
    }
}

void deliver__flush_all(struct worker *w)
{
    while (!list_is_empty(&w->flush_list)) {
        struct client *c = LIST_ENTRY(w->flush_list.next, struct client, flush_node);
        list_remove(&c->flush_node);
        deliver__flush(c, true);
        after_flush(c);
    }
    for (;;) {
        pthread_mutex_lock(&w->inbox_lock);
        if (list_is_empty(&w->inbox)) {
            pthread_mutex_unlock(&w->inbox_lock);
            break;
        }
        struct client *c = LIST_ENTRY(w->inbox.next, struct client, flush_node);
        list_remove(&c->flush_node);
        pthread_mutex_unlock(&w->inbox_lock);
        deliver__flush(c, true);
        after_flush(c);
    }
}

/* Writes the MSG/HMSG control line into <line>, growing into <big> when
 * the subject or reply is long. Returns the line slice. */
static struct slice msg_line(char *line, size_t cap, struct buf *big, struct slice subj,
                             const struct sub *sub, struct slice reply, long hdr, size_t total,
                             bool dbl)
{
    struct slice sid = slice_of(sub->sid, sub->sid_len);
    char *out = line;
    size_t n = cap > 1 ? proto_msg_line(line, cap - 1, subj, sid, reply, hdr, total) : 0;
    if (!n) {
        size_t need = subj.len + sid.len + reply.len + 64;
        buf_clear(big);
        buf_reserve(big, need);
        out = big->data;
        n = proto_msg_line(out, big->cap - 1, subj, sid, reply, hdr, total);
    }
    if (dbl) {
        /* Messages the server itself sends without a reply (JetStream acks,
         * direct gets) carry nats-server's empty reply field: a double
         * space after the sid ("MSG _INBOX.x 1  23"). */
        size_t at = (hdr >= 0 ? 5 : 4) + subj.len + 1 + sid.len;
        memmove(out + at + 1, out + at, n - at);
        out[at] = ' ';
        n++;
    }
    return slice_of(out, n);
}

/* Delivers <m> to <sub>. Returns 1 when appended, 0 when skipped. */
static int deliver_to(struct worker *w, const struct pubmsg *m, struct sub *sub)
{
    struct client *d = sub->client;
    if (d == m->from && !m->from->echo)
        return 0;
    if (sub->check_deliver && !perm_can_deliver(d->perm, m->subj.p, m->subj.len))
        return 0;
    struct slice body = m->payload;
    long hdr = m->hdr_len;
    bool verbatim = m->size_text.len > 0;
    bool dbl = m->empty_reply_field && m->reply.len == 0;
    if (hdr >= 0 && !d->headers) {
        body.p += hdr;
        body.len -= (size_t)hdr;
        hdr = -1;
        verbatim = false;
    }
    char tmp[512];
    struct buf big;
    buf_init(&big);
    struct slice line;
    size_t n =
        verbatim
            ? proto_msg_line_raw(tmp, sizeof(tmp), m->subj, slice_of(sub->sid, sub->sid_len),
                                 m->reply, hdr >= 0 ? m->hdr_text : slice_of(NULL, 0), m->size_text)
            : 0;
    if (n)
        line = slice_of(tmp, n);
    else
        line = msg_line(tmp, sizeof(tmp), &big, m->subj, sub, m->reply, hdr, body.len, dbl);
    size_t total = line.len + body.len + 2;
    int64_t max_pending = d->srv->opts->max_pending;
    pthread_mutex_lock(&d->out_lock);
    if (d->closing || (sub->max_msgs && sub->delivered >= sub->max_msgs)) {
        pthread_mutex_unlock(&d->out_lock);
        buf_deinit(&big);
        return 0;
    }
    bool prune = false;
    int64_t pending =
        (int64_t)(buf_size(&d->out) + atomic_load_explicit(&d->wpending, memory_order_relaxed));
    bool ok = pending + (int64_t)total <= max_pending;
    int64_t stall_at = max_pending / 2 < STALL_PENDING_MAX ? max_pending / 2 : STALL_PENDING_MAX;
    if (pending + (int64_t)total > stall_at && d != m->from)
        m->from->stall_req = true;
    if (ok) {
        buf_reserve(&d->out, total);
        buf_append(&d->out, line.p, line.len);
        buf_append(&d->out, body.p, body.len);
        buf_append(&d->out, "\r\n", 2);
        d->out_msgs++;
        d->out_bytes += body.len;
        sub->delivered++;
        prune = sub->max_msgs && sub->delivered == sub->max_msgs;
        if (d->resp && m->reply.len)
            perm_resp_add(d->resp, m->reply.p, m->reply.len, clock_mono_ns());
    } else if (!d->slow) {
        d->slow = true;
        d->closing = true;
        STAT_ADD(w->stats.slow_consumers, 1);
    }
    if (prune)
        d->prune_pending = true;
    bool sched = !d->flush_scheduled;
    d->flush_scheduled = true;
    pthread_mutex_unlock(&d->out_lock);
    buf_deinit(&big);
    if (sched)
        deliver__schedule(w, d);
    if (!ok)
        return 0;
    STAT_ADD(w->stats.out_msgs, 1);
    STAT_ADD(w->stats.out_bytes, body.len);
    return 1;
}

static uint64_t next_rand(struct worker *w)
{
    uint64_t x = w->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    w->rng = x;
    return x;
}

/* Tells a requester nobody listens: the 503 status on its reply inbox. */
static void send_no_responders(struct worker *w, struct client *c, struct slice reply)
{
    sl_match(c->srv->sl, reply.p, reply.len, &w->scratch);
    struct sub *mine = NULL;
    for (size_t i = 0; i < w->scratch.npsubs && !mine; i++) {
        struct sub *s = w->scratch.psubs[i]->owner;
        if (s->client == c)
            mine = s;
    }
    for (size_t i = 0; i < w->scratch.nqsubs && !mine; i++) {
        struct sub *s = w->scratch.qsubs[i]->owner;
        if (s->client == c)
            mine = s;
    }
    if (!mine)
        return;
    static const char status[] = "NATS/1.0 503\r\n\r\n";
    char line[512];
    struct buf big;
    buf_init(&big);
    struct slice l = msg_line(line, sizeof(line), &big, reply, mine, slice_of(NULL, 0),
                              (long)(sizeof(status) - 1), sizeof(status) - 1, false);
    struct buf out;
    buf_init(&out);
    buf_append(&out, l.p, l.len);
    buf_append(&out, status, sizeof(status) - 1);
    buf_append(&out, "\r\n", 2);
    client__send_raw(c, buf_head(&out), buf_size(&out));
    buf_deinit(&out);
    buf_deinit(&big);
}

/* Internal subscribers matched by one publish, called after the socket
 * deliveries (a callback may publish, which reuses the match cache). */
struct icalls {
    struct sub *inline_subs[8];
    struct sub **subs;
    size_t n, cap;
};

static void icalls_add(struct icalls *ic, struct sub *sub)
{
    if (ic->n == ic->cap) {
        size_t ncap = ic->cap * 2;
        if (ic->subs == ic->inline_subs) {
            ic->subs = xmalloc(ncap * sizeof(*ic->subs));
            memcpy(ic->subs, ic->inline_subs, sizeof(ic->inline_subs));
        } else {
            ic->subs = xrealloc(ic->subs, ncap * sizeof(*ic->subs));
        }
        ic->cap = ncap;
    }
    ic->subs[ic->n++] = sub;
}

static void icalls_run(struct worker *w, const struct pubmsg *m, struct icalls *ic)
{
    size_t h = m->hdr_len > 0 ? (size_t)m->hdr_len : 0;
    struct srv_msg msg = {
        .subject = m->subj,
        .reply = m->reply,
        .hdr = slice_of(m->payload.p, h),
        .data = slice_of(m->payload.p + h, m->payload.len - h),
    };
    for (size_t i = 0; i < ic->n; i++)
        ic->subs[i]->icb(ic->subs[i]->iarg, w, &msg);
    if (ic->subs != ic->inline_subs)
        free(ic->subs);
}

/* The subscriptions for <route>. JetStream ack subjects are unique per
 * message: they are matched without the cache, which they would only flush
 * (the match result is used before any nested publish can reuse it). */
static const struct sl_result *route_match(struct worker *w, struct sublist *sl, struct slice route)
{
    static const char ack_prefix[] = "$JS.ACK.";
    if (route.len > sizeof(ack_prefix) - 1 &&
        memcmp(route.p, ack_prefix, sizeof(ack_prefix) - 1) == 0) {
        sl_match(sl, route.p, route.len, &w->uscratch);
        return &w->uscratch;
    }
    return sl_cache_match(w->cache, sl, route.p, route.len);
}

void deliver__publish(const struct pubmsg *m)
{
    struct client *c = m->from;
    struct worker *w = c->w;
    STAT_ADD(c->in_msgs, 1);
    STAT_ADD(c->in_bytes, m->payload.len);
    STAT_ADD(w->stats.in_msgs, 1);
    STAT_ADD(w->stats.in_bytes, m->payload.len);
    struct slice route = m->route.len ? m->route : m->subj;
    const struct sl_result *r = route_match(w, c->srv->sl, route);
    struct icalls ic;
    ic.subs = ic.inline_subs;
    ic.n = 0;
    ic.cap = sizeof(ic.inline_subs) / sizeof(ic.inline_subs[0]);
    int delivered = 0;
    for (size_t i = 0; i < r->npsubs; i++) {
        struct sub *sub = r->psubs[i]->owner;
        if (sub->icb) {
            icalls_add(&ic, sub);
            delivered++;
        } else {
            delivered += deliver_to(w, m, sub);
        }
    }
    for (size_t g = 0; g < r->nqgroups; g++) {
        size_t lo = r->qstart[g], n = r->qstart[g + 1] - lo;
        size_t start = n > 1 ? (size_t)(next_rand(w) % n) : 0;
        for (size_t k = 0; k < n; k++) {
            struct sub *sub = r->qsubs[lo + (start + k) % n]->owner;
            if (sub->icb) {
                icalls_add(&ic, sub);
                delivered++;
                break;
            }
            if (deliver_to(w, m, sub)) {
                delivered++;
                break;
            }
        }
    }
    bool ask = m->reply.len && c->headers && c->no_responders;
    if (delivered == 0 && ask)
        send_no_responders(w, c, m->reply);
    if (ic.n) {
        /* Nested publishes from the callbacks keep their own count. */
        unsigned outer = w->declined, n = (unsigned)ic.n;
        w->declined = 0;
        icalls_run(w, m, &ic);
        bool all_declined = w->declined >= n && delivered == (int)n;
        w->declined = outer;
        if (all_declined && ask)
            send_no_responders(w, c, m->reply);
    } else if (ic.subs != ic.inline_subs) {
        free(ic.subs);
    }
}
