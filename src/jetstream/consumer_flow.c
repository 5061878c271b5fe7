/* Consumer pacing: push flow control (100 FlowControl Request and its
 * answers on $JS.FC.<stream>.<consumer>.<id>), rate_limit_bps, replay
 * policy original, and ack sampling (sample_freq). All of it runs under the
 * stream's lock, called from the delivery pump and the timer; nothing here
 * sleeps: a consumer that must wait sets hold_until and the consumer timer
 * pumps it again then. */
#include "jetstream/consumer_int.h"
#include "subject/subject.h"
#include "util/clock.h"
#include "util/nuid.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FC_LIMIT    ((int64_t)32 * 1024 * 1024) /* the window grows up to this */
#define FC_PREFIX   "$JS.FC."
#define REPLAY_SKIP NS_PER_MS /* gaps shorter than this are not waited for */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ull;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* "50%" or "50" -> 50; anything else (already validated) -> 0. */
static int parse_sample(const char *f)
{
    if (!f || !*f)
        return 0;
    char *end;
    long v = strtol(f, &end, 10);
    if (end == f || (*end && strcmp(end, "%") != 0) || v < 0 || v > 100)
        return 0;
    return (int)v;
}

/* ---- push consumers' deliver subjects: the subscription hook's filter ---- */

/* Index of the first entry not below <s> (binary search). dsub_mu held. */
static size_t dsub_at(const struct jetstream *js, const char *s)
{
    size_t lo = 0, hi = js->ndsubs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(js->dsubs[mid].subj, s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void dsub_add(struct jetstream *js, const char *s)
{
    pthread_mutex_lock(&js->dsub_mu);
    size_t i = dsub_at(js, s);
    if (i < js->ndsubs && strcmp(js->dsubs[i].subj, s) == 0) {
        js->dsubs[i].n++;
    } else {
        if (js->ndsubs == js->capdsubs) {
            js->capdsubs = js->capdsubs ? js->capdsubs * 2 : 8;
            js->dsubs = xrealloc(js->dsubs, js->capdsubs * sizeof(*js->dsubs));
        }
        memmove(&js->dsubs[i + 1], &js->dsubs[i], (js->ndsubs - i) * sizeof(*js->dsubs));
        js->dsubs[i] = (struct js_dsub){xstrdup(s), 1};
        js->ndsubs++;
    }
    pthread_mutex_unlock(&js->dsub_mu);
}

static void dsub_del(struct jetstream *js, const char *s)
{
    pthread_mutex_lock(&js->dsub_mu);
    size_t i = dsub_at(js, s);
    if (i < js->ndsubs && strcmp(js->dsubs[i].subj, s) == 0 && --js->dsubs[i].n == 0) {
        free(js->dsubs[i].subj);
        memmove(&js->dsubs[i], &js->dsubs[i + 1], (js->ndsubs - i - 1) * sizeof(*js->dsubs));
        js->ndsubs--;
    }
    pthread_mutex_unlock(&js->dsub_mu);
}

/* True when a subscription on <subject> may start a push consumer: a
 * literal one by lookup, a wildcard one by matching each subject. */
static bool dsub_any(struct jetstream *js, struct slice subject)
{
    bool any = false;
    pthread_mutex_lock(&js->dsub_mu);
    char key[256];
    if (subject.len < sizeof(key) && subj_is_literal(subject.p, subject.len)) {
        memcpy(key, subject.p, subject.len);
        key[subject.len] = '\0';
        size_t i = dsub_at(js, key);
        any = i < js->ndsubs && strcmp(js->dsubs[i].subj, key) == 0;
    } else { /* a wildcard (or a very long literal, which matches only itself) */
        for (size_t i = 0; i < js->ndsubs && !any; i++)
            any =
                subj_matches(subject.p, subject.len, js->dsubs[i].subj, strlen(js->dsubs[i].subj));
    }
    pthread_mutex_unlock(&js->dsub_mu);
    return any;
}

void consumer_flow_fini(struct consumer *c)
{
    if (!c->dsub)
        return;
    atomic_fetch_sub(&c->st->js->npush, 1);
    dsub_del(c->st->js, c->dsub);
    free(c->dsub);
    c->dsub = NULL;
}

void consumer_flow_init(struct consumer *c)
{
    /* An update may change the deliver subject (or make it a pull one). */
    if (c->dsub && (!c->push || strcmp(c->dsub, c->cfg.deliver_subject) != 0))
        consumer_flow_fini(c);
    if (c->push && !c->dsub) {
        atomic_fetch_add(&c->st->js->npush, 1);
        c->dsub = xstrdup(c->cfg.deliver_subject);
        dsub_add(c->st->js, c->dsub);
    }
    memset(&c->fc, 0, sizeof(c->fc));
    if (c->push && c->cfg.flow_control)
        c->fc.maxpb = FC_LIMIT / 16;
    c->sample_pct = parse_sample(c->cfg.sample_freq);
    int32_t mms = c->st->cfg.max_msg_size;
    c->rl_burst = (double)(mms > 0 ? mms : c->st->js->opts->max_payload);
    c->rl_tokens = c->rl_burst;
    c->rl_last = clock_mono_ns();
    c->hold_until = 0;
    c->replay_lts = 0;
    c->replay_lseq = 0;
    if (c->cfg.replay_policy == JS_REPLAY_ORIGINAL) {
        struct store_state ss;
        store_state_get(c->st->store, &ss);
        c->replay_lseq = ss.last_seq; /* paced up to here, live afterwards */
    }
    uint64_t seed = 0;
    if (nuid_random_bytes(&seed, sizeof(seed)) != 0)
        seed = (uint64_t)clock_mono_ns();
    c->rng = seed | 1;
}

/* Bytes per ns of the rate limit. */
static double rl_rate(const struct consumer *c)
{
    return (double)c->cfg.rate_limit_bps / 8.0 / 1e9;
}

bool consumer_flow_open(struct consumer *c, int64_t now)
{
    if (now < c->hold_until) {
        consumer_due(c, c->hold_until);
        return false;
    }
    if (c->push && c->cfg.rate_limit_bps > 0) {
        c->rl_tokens += (double)(now - c->rl_last) * rl_rate(c);
        if (c->rl_tokens > c->rl_burst)
            c->rl_tokens = c->rl_burst;
        c->rl_last = now;
        if (c->rl_tokens < 0) { /* overdrawn: wait until the bucket is back at 0 */
            c->hold_until = now + (int64_t)(-c->rl_tokens / rl_rate(c)) + 1;
            consumer_due(c, c->hold_until);
            return false;
        }
    }
    return !(c->fc.maxpb > 0 && c->fc.pbytes > c->fc.maxpb);
}

static void send_flow_control(struct consumer *c, struct cq *q)
{
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "abcdefghijklmnopqrstuvwxyz";
    char id[5];
    uint64_t r = rng_next(&c->rng);
    for (int i = 0; i < 4; i++, r /= 62)
        id[i] = digits[r % 62];
    id[4] = '\0';
    int n = snprintf(c->fc.fcid, sizeof(c->fc.fcid), FC_PREFIX "%s.%s.%s", c->st->cfg.name, c->name,
                     id);
    if (n < 0 || (size_t)n >= sizeof(c->fc.fcid)) {
        /* Names too long for the buffer: no flow control for this one. */
        c->fc.fcid[0] = '\0';
        c->fc.maxpb = 0;
        return;
    }
    c->fc.fcsz = c->fc.pbytes;
    static const char hdr[] = "NATS/1.0 100 FlowControl Request\r\n\r\n";
    const char *to = c->cfg.deliver_subject;
    cq_push(q, to, strlen(to), c->fc.fcid, (size_t)n, hdr, sizeof(hdr) - 1, NULL, 0, false);
}

void consumer_flow_sent(struct consumer *c, struct cq *q, int64_t sz, int64_t ts, int64_t now)
{
    c->replay_lts = ts;
    if (c->fc.maxpb > 0) {
        c->fc.pbytes += sz;
        if (!c->fc.fcid[0] && c->fc.pbytes > c->fc.maxpb / 2)
            send_flow_control(c, q);
        else if (c->fc.fcid[0] && c->fc.pbytes - c->fc.fcsz >= c->fc.maxpb)
            c->fc.fcsz += sz;
    }
    if (c->push && c->cfg.rate_limit_bps > 0)
        c->rl_tokens -= (double)(sz + (int64_t)strlen(c->cfg.deliver_subject));
}

bool consumer_replay_hold(struct consumer *c, uint64_t seq, int64_t ts, int64_t now)
{
    if (c->cfg.replay_policy != JS_REPLAY_ORIGINAL || seq > c->replay_lseq || c->replay_lts <= 0)
        return false;
    int64_t gap = ts - c->replay_lts;
    if (gap <= REPLAY_SKIP)
        return false;
    int64_t due = c->last_send_mono + gap;
    if (now >= due)
        return false;
    c->hold_until = due;
    consumer_due(c, due);
    return true;
}

void consumer_flow_answer(struct consumer *c, const char *subj, size_t len)
{
    if (!c->fc.fcid[0] || strlen(c->fc.fcid) != len || memcmp(c->fc.fcid, subj, len) != 0)
        return; /* not the latest request: ignored, as nats-server does */
    if (c->fc.maxpb < FC_LIMIT) {
        c->fc.maxpb *= 2;
        if (c->fc.maxpb > FC_LIMIT)
            c->fc.maxpb = FC_LIMIT;
    }
    c->fc.pbytes -= c->fc.fcsz;
    if (c->fc.pbytes < 0)
        c->fc.pbytes = 0;
    c->fc.fcid[0] = '\0';
    c->fc.fcsz = 0;
}

void consumer_ack_sample(struct consumer *c, struct cq *q, const struct pend *p, int64_t now)
{
    if (c->sample_pct <= 0 || (int)(rng_next(&c->rng) % 100) >= c->sample_pct)
        return;
    char id[NUID_LEN + 1];
    js__event_id(id);
    struct buf b;
    buf_init(&b);
    js_metric_consumer_ack(&b, id, clock_real_ns(), c->st->cfg.name, c->name, p->cseq, p->sseq,
                           now - p->sent, p->dc, c->st->js->opts->js_domain);
    char subj[512];
    int sl =
        snprintf(subj, sizeof(subj), JS_METRIC_CONSUMER_ACK_PRE ".%s.%s", c->st->cfg.name, c->name);
    if (sl > 0 && (size_t)sl < sizeof(subj))
        cq_push(q, subj, (size_t)sl, "", 0, NULL, 0, buf_head(&b), buf_size(&b), false);
    buf_deinit(&b);
}

/* A client subscribed to <subject> on <w>: push consumers delivering to a
 * subject it matches start now, not at the next timer run. */
static bool push_matches(const struct consumer *c, const void *arg)
{
    const struct slice *subject = arg;
    const char *d = c->cfg.deliver_subject;
    return c->push && subj_matches(subject->p, subject->len, d, strlen(d));
}

static void on_sub(void *arg, struct worker *w, struct slice subject)
{
    struct jetstream *js = arg;
    if (atomic_load(&js->npush) == 0 || !dsub_any(js, subject))
        return;
    consumers_pump_where(js, w, push_matches, &subject);
}

void js__consumer_sub_hook(struct jetstream *js)
{
    srv_set_sub_hook(js->srv, on_sub, js);
}

/* $JS.FC.<stream>.<consumer>.<id> callback. */
static void on_fc(void *arg, struct worker *w, const struct srv_msg *m)
{
    struct jetstream *js = arg;
    const char *p = m->subject.p + strlen(FC_PREFIX);
    const char *end = m->subject.p + m->subject.len;
    const char *dot1 = memchr(p, '.', (size_t)(end - p));
    if (m->subject.len <= strlen(FC_PREFIX) || !dot1)
        return;
    const char *cn = dot1 + 1;
    const char *dot2 = memchr(cn, '.', (size_t)(end - cn));
    if (!dot2)
        return;
    struct stream *st = js__stream_acquire(js, p, (size_t)(dot1 - p));
    if (!st)
        return;
    struct cq q = {0};
    pthread_mutex_lock(&st->lock);
    struct consumer *c = st->deleted ? NULL : consumer_find(st, cn, (size_t)(dot2 - cn));
    if (c) {
        consumer_flow_answer(c, m->subject.p, m->subject.len);
        consumer_pump(c, &q);
    }
    cq_deliver(st, &q, w);
    js__stream_unref(st);
}

int js__consumer_fc_subscribe(struct jetstream *js, struct srv_isub **out)
{
    return srv_isub_add(js->srv, FC_PREFIX ">", NULL, on_fc, js, out);
}
