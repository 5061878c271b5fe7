/* JetStream consumer runs of the side-by-side benchmark (see bench_jsc.h).
 *
 * Everything runs on the main thread over one libnats connection with buffered writes: pull
 * requests, acks and naks leave through libnats' flusher, deliveries are read synchronously.
 * The delivery count and stream sequence come straight from the ack reply subject, so checking
 * every message costs the client almost nothing. Acks are fire-and-forget, so a run that acks
 * only ends when CONSUMER.INFO shows the ack floor at the last message: both servers are timed
 * up to the point where they have done all the work.
 */
#include "bench_jsc.h"

#include "bench_js.h"
#include "bench_proc.h"

#include <nats/nats.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONNECT_MS     5000
#define API_WAIT_MS    5000
#define FETCH_WAIT_MS  5000
#define NEXT_WAIT_MS   500
#define NAK_BATCH      100
#define EXPIRY_BATCH   500
#define EXPIRY_WAIT_NS 1000000000LL
#define ERR_PRINT_MAX  3
#define NS_PER_MS      1000000LL

/* One run: its connection, consumer and delivery bookkeeping. */
struct jsc_run {
    natsConnection *nc;    /* the only connection of the run */
    jsCtx *js;             /* its JetStream context */
    natsSubscription *sub; /* pull subscription, or the push deliver subject's */
    char name[48];         /* durable consumer name */
    uint64_t first;        /* first stream sequence the consumer covers */
    uint64_t last;         /* last one */
    bool *done;            /* [seq - first]: acked (or seen once, for ack none) */
    int64_t printed;       /* errors printed so far */
    int64_t progress_ns;   /* bench_now_ns() of the last useful delivery */
    const struct bench_jsc_params *p;
};

static const char *const kind_names[BENCH_JSC_KIND_COUNT] = {"js-fetch", "js-push", "js-redeliver"};
static const char *const variant_names[BENCH_JSC_VARIANT_COUNT] = {
    "batch 100", "batch 1000", "ack none", "ack explicit", "nak, batch 100", "ack_wait 1 s expiry"};
static const enum bench_jsc_kind variant_kinds[BENCH_JSC_VARIANT_COUNT] = {
    BENCH_JSC_FETCH, BENCH_JSC_FETCH,     BENCH_JSC_PUSH,
    BENCH_JSC_PUSH,  BENCH_JSC_REDELIVER, BENCH_JSC_REDELIVER};

const char *bench_jsc_kind_name(enum bench_jsc_kind kind)
{
    return kind < BENCH_JSC_KIND_COUNT ? kind_names[kind] : "?";
}

enum bench_jsc_kind bench_jsc_variant_kind(enum bench_jsc_variant v)
{
    return v < BENCH_JSC_VARIANT_COUNT ? variant_kinds[v] : BENCH_JSC_KIND_COUNT;
}

const char *bench_jsc_variant_name(enum bench_jsc_variant v)
{
    return v < BENCH_JSC_VARIANT_COUNT ? variant_names[v] : "?";
}

static void run_error(struct jsc_run *r, struct bench_jsc_result *out, const char *what,
                      unsigned long long seq)
{
    out->errors++;
    if (r->printed++ < ERR_PRINT_MAX)
        fprintf(stderr, "gn_bench: %s: %s (stream seq %llu)\n", r->name, what, seq);
}

/* Reads the delivery count and stream sequence from the ack subject
 * $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<ts>.<pending>. */
static bool ack_meta(const char *reply, uint64_t *dc, uint64_t *seq)
{
    const char *p = reply;
    char *end;

    if (p == NULL || strncmp(p, "$JS.ACK.", 8) != 0)
        return false;
    for (int tok = 0; tok < 4; tok++) {
        p = strchr(p, '.');
        if (p == NULL)
            return false;
        p++;
    }
    *dc = strtoull(p, &end, 10);
    if (*end != '.')
        return false;
    *seq = strtoull(end + 1, &end, 10);
    return *end == '.';
}

static int jsc_connect(struct jsc_run *r, int port)
{
    char url[64];
    natsOptions *opts = NULL;
    jsOptions jo;
    natsStatus s;

    snprintf(url, sizeof(url), "nats://127.0.0.1:%d", port);
    s = natsOptions_Create(&opts);
    if (s == NATS_OK)
        s = natsOptions_SetURL(opts, url);
    if (s == NATS_OK)
        s = natsOptions_SetIOBufSize(opts, r->p->io_buf);
    if (s == NATS_OK)
        s = natsOptions_SetAllowReconnect(opts, false);
    if (s == NATS_OK)
        s = natsOptions_SetTimeout(opts, CONNECT_MS);
    if (s == NATS_OK)
        s = natsConnection_Connect(&r->nc, opts);
    natsOptions_Destroy(opts);
    if (s == NATS_OK) {
        jsOptions_Init(&jo);
        jo.Wait = API_WAIT_MS;
        s = natsConnection_JetStream(&r->js, r->nc, &jo);
    }
    if (s != NATS_OK)
        fprintf(stderr, "gn_bench: connect %s: %s\n", url, natsStatus_GetText(s));
    return s == NATS_OK ? 0 : -1;
}

/* Creates the durable consumer <cfg> (its name is r->name). Returns 0 or -1 (printed). */
static int consumer_add(struct jsc_run *r, jsConsumerConfig *cfg)
{
    jsErrCode jerr = 0;
    natsStatus s;

    cfg->Durable = r->name;
    s = js_AddConsumer(NULL, r->js, BENCH_JS_STREAM, cfg, NULL, &jerr);
    if (s != NATS_OK)
        fprintf(stderr, "gn_bench: create consumer %s: %s (err_code %d)\n", r->name,
                natsStatus_GetText(s), (int)jerr);
    return s == NATS_OK ? 0 : -1;
}

/* A durable pull consumer over r->first..r->last with explicit acks, bound to r->sub. */
static int pull_consumer(struct jsc_run *r, int64_t ack_wait_ns, int64_t max_ack_pending)
{
    jsConsumerConfig cfg;
    jsSubOptions so;
    jsErrCode jerr = 0;
    natsStatus s;

    jsConsumerConfig_Init(&cfg);
    cfg.AckPolicy = js_AckExplicit;
    cfg.AckWait = ack_wait_ns;
    cfg.MaxAckPending = max_ack_pending;
    if (r->first > 1) {
        cfg.DeliverPolicy = js_DeliverByStartSequence;
        cfg.OptStartSeq = r->first;
    }
    if (consumer_add(r, &cfg) != 0)
        return -1;
    jsSubOptions_Init(&so);
    so.Stream = BENCH_JS_STREAM;
    so.Consumer = r->name;
    s = js_PullSubscribe(&r->sub, r->js, NULL, NULL, NULL, &so, &jerr);
    if (s != NATS_OK)
        fprintf(stderr, "gn_bench: bind %s: %s\n", r->name, natsStatus_GetText(s));
    return s == NATS_OK ? 0 : -1;
}

/* Fetches up to <batch> messages into <list>. Returns the count (0 when none came within
 * FETCH_WAIT_MS or the run has made no progress for p->stall_ns: check with stalled()), or -1. */
static int fetch(struct jsc_run *r, int64_t batch, natsMsgList *list)
{
    jsErrCode jerr = 0;
    natsStatus s;

    memset(list, 0, sizeof(*list));
    s = natsSubscription_Fetch(list, r->sub, (int)batch, FETCH_WAIT_MS, &jerr);
    if (list->Count > 0 || s == NATS_TIMEOUT)
        return list->Count;
    fprintf(stderr, "gn_bench: %s: fetch %lld: %s (err_code %d)\n", r->name, (long long)batch,
            natsStatus_GetText(s), (int)jerr);
    return -1;
}

static bool stalled(const struct jsc_run *r)
{
    if (bench_now_ns() - r->progress_ns < r->p->stall_ns)
        return false;
    fprintf(stderr, "gn_bench: %s: no progress for %.1f s\n", r->name, r->p->stall_ns / 1e9);
    return true;
}

/* Sends <what> ("+ACK", "-NAK") to the ack subject <reply>. */
static void ack_send(struct jsc_run *r, struct bench_jsc_result *out, const char *reply,
                     const char *what)
{
    if (natsConnection_PublishString(r->nc, reply, what) != NATS_OK)
        run_error(r, out, "ack publish failed", 0);
}

/* Flushes the acks and polls CONSUMER.INFO until the ack floor is at r->last with nothing
 * pending. Returns 0, or -1 after p->stall_ns (printed). */
static int await_acked(struct jsc_run *r)
{
    int64_t deadline = bench_now_ns() + r->p->stall_ns;

    if (natsConnection_Flush(r->nc) != NATS_OK)
        return -1;
    while (bench_now_ns() < deadline) {
        jsConsumerInfo *ci = NULL;
        bool done = false;

        if (js_GetConsumerInfo(&ci, r->js, BENCH_JS_STREAM, r->name, NULL, NULL) == NATS_OK) {
            done = ci->AckFloor.Stream >= r->last && ci->NumAckPending == 0;
            jsConsumerInfo_Destroy(ci);
        }
        if (done)
            return 0;
        bench_sleep_ms(1);
    }
    fprintf(stderr, "gn_bench: %s: the ack floor did not reach %llu\n", r->name,
            (unsigned long long)r->last);
    return -1;
}

/* Marks <seq> done; counts an error for a sequence out of range or done before. */
static bool mark_done(struct jsc_run *r, struct bench_jsc_result *out, uint64_t seq)
{
    if (seq < r->first || seq > r->last || r->done[seq - r->first]) {
        run_error(r, out, "unexpected or repeated message", seq);
        return false;
    }
    r->done[seq - r->first] = true;
    r->progress_ns = bench_now_ns();
    return true;
}

/* js-fetch: fetch <batch> at a time, ack every message, in stream order. */
static int run_fetch(struct jsc_run *r, int64_t batch, struct bench_jsc_result *out)
{
    uint64_t next = r->first;

    if (pull_consumer(r, 30000 * NS_PER_MS, 4 * batch) != 0)
        return -1;
    while (next <= r->last) {
        int64_t want = (int64_t)(r->last - next + 1);
        natsMsgList list;
        int n = fetch(r, want < batch ? want : batch, &list);

        if (n < 0 || (n == 0 && stalled(r)))
            return -1;
        for (int i = 0; i < n; i++) {
            const char *reply = natsMsg_GetReply(list.Msgs[i]);
            uint64_t dc = 0, seq = 0;

            if (!ack_meta(reply, &dc, &seq) || seq != next || dc != 1)
                run_error(r, out, "out of order or redelivered", seq);
            else
                mark_done(r, out, seq);
            next = seq >= next ? seq + 1 : next;
            ack_send(r, out, reply, "+ACK");
        }
        natsMsgList_Destroy(&list);
    }
    return await_acked(r);
}

/* js-push: a push consumer to a fresh inbox, acking every message when <explicit_ack>. */
static int run_push(struct jsc_run *r, bool explicit_ack, struct bench_jsc_result *out)
{
    char inbox[64];
    natsInbox *ib = NULL;
    jsConsumerConfig cfg;
    uint64_t next = r->first;

    if (natsInbox_Create(&ib) != NATS_OK)
        return -1;
    snprintf(inbox, sizeof(inbox), "%s", (const char *)ib);
    natsInbox_Destroy(ib);
    if (natsConnection_SubscribeSync(&r->sub, r->nc, inbox) != NATS_OK ||
        natsSubscription_SetPendingLimits(r->sub, -1, -1) != NATS_OK ||
        natsConnection_Flush(r->nc) != NATS_OK)
        return -1;
    jsConsumerConfig_Init(&cfg);
    cfg.DeliverSubject = inbox;
    cfg.AckPolicy = explicit_ack ? js_AckExplicit : js_AckNone;
    cfg.MaxAckPending = explicit_ack ? BENCH_JSC_PUSH_MAX_ACK : 0;
    if (consumer_add(r, &cfg) != 0)
        return -1;
    while (next <= r->last) {
        natsMsg *m = NULL;
        natsStatus s = natsSubscription_NextMsg(&m, r->sub, NEXT_WAIT_MS);
        uint64_t dc = 0, seq = 0;

        if (s == NATS_TIMEOUT && !stalled(r))
            continue;
        if (s != NATS_OK)
            return -1;
        if (!ack_meta(natsMsg_GetReply(m), &dc, &seq)) {
            natsMsg_Destroy(m); /* a status message: not part of the stream */
            continue;
        }
        if (seq != next || dc != 1)
            run_error(r, out, "out of order or redelivered", seq);
        else
            mark_done(r, out, seq);
        next = seq >= next ? seq + 1 : next;
        if (explicit_ack)
            ack_send(r, out, natsMsg_GetReply(m), "+ACK");
        natsMsg_Destroy(m);
    }
    return explicit_ack ? await_acked(r) : 0;
}

/* js-redeliver: each message must come a first time (left unacked, or nak'ed when <nak>) and
 * be redelivered, which is acked. Fetches <batch> at a time until every message is acked;
 * *<first_at> and *<all_first_at> get the times the first and the last first delivery came. */
static int run_redeliver(struct jsc_run *r, bool nak, int64_t batch, struct bench_jsc_result *out,
                         int64_t *first_at, int64_t *all_first_at)
{
    int64_t total = (int64_t)(r->last - r->first + 1);
    int64_t firsts = 0, acked = 0;

    if (pull_consumer(r, nak ? 30000 * NS_PER_MS : EXPIRY_WAIT_NS, nak ? 1000 : total + 1000) != 0)
        return -1;
    while (acked < total) {
        int64_t want = (total - firsts) + (total - acked); /* deliveries still needed */
        natsMsgList list;
        int n = fetch(r, want < batch ? want : batch, &list);

        if (n < 0 || (n == 0 && stalled(r)))
            return -1;
        for (int i = 0; i < n; i++) {
            const char *reply = natsMsg_GetReply(list.Msgs[i]);
            uint64_t dc = 0, seq = 0;

            if (!ack_meta(reply, &dc, &seq)) {
                run_error(r, out, "message without an ack subject", 0);
            } else if (dc == 1) {
                if (firsts++ == 0)
                    *first_at = bench_now_ns();
                if (firsts == total)
                    *all_first_at = bench_now_ns();
                r->progress_ns = bench_now_ns();
                if (nak)
                    ack_send(r, out, reply, "-NAK");
            } else {
                acked += mark_done(r, out, seq);
                ack_send(r, out, reply, "+ACK");
            }
        }
        natsMsgList_Destroy(&list);
    }
    return await_acked(r);
}

static int run_variant(struct jsc_run *r, enum bench_jsc_variant v, pid_t pid,
                       struct bench_jsc_result *out)
{
    int64_t t0 = bench_now_ns(), cpu0 = bench_proc_cpu_ns(pid);
    int64_t first_at = 0, all_first_at = 0;
    int rc;

    r->progress_ns = t0;
    switch (v) {
    case BENCH_JSC_FETCH_100:
    case BENCH_JSC_FETCH_1000:
        rc = run_fetch(r, v == BENCH_JSC_FETCH_100 ? 100 : 1000, out);
        break;
    case BENCH_JSC_PUSH_NONE:
    case BENCH_JSC_PUSH_EXPLICIT:
        rc = run_push(r, v == BENCH_JSC_PUSH_EXPLICIT, out);
        break;
    case BENCH_JSC_NAK:
        rc = run_redeliver(r, true, NAK_BATCH, out, &first_at, &all_first_at);
        break;
    default:
        rc = run_redeliver(r, false, EXPIRY_BATCH, out, &first_at, &all_first_at);
        break;
    }
    out->elapsed_ns = bench_now_ns() - t0;
    out->cpu_ns = bench_proc_cpu_ns(pid) - cpu0;
    out->msgs = (int64_t)(r->last - r->first + 1);
    if (rc == 0 && v == BENCH_JSC_EXPIRY) {
        /* The wait for ack_wait itself is not the server's cost: time from the first due. */
        out->elapsed_ns -= first_at + EXPIRY_WAIT_NS - t0;
        out->lag_ns = bench_now_ns() - (all_first_at + EXPIRY_WAIT_NS);
    }
    return rc;
}

int bench_jsc_run(enum bench_jsc_variant v, int port, pid_t server_pid, int run_id,
                  const struct bench_jsc_params *p, struct bench_jsc_result *out)
{
    struct jsc_run r;
    int64_t n = v >= BENCH_JSC_NAK && p->redeliver_msgs < p->msgs ? p->redeliver_msgs : p->msgs;
    int rc = -1;

    memset(&r, 0, sizeof(r));
    memset(out, 0, sizeof(*out));
    r.p = p;
    r.last = (uint64_t)p->msgs;
    r.first = r.last - (uint64_t)n + 1;
    r.done = calloc((size_t)n, sizeof(*r.done));
    snprintf(r.name, sizeof(r.name), "jsc_%d_%d", (int)v, run_id);
    if (r.done != NULL && jsc_connect(&r, port) == 0)
        rc = run_variant(&r, v, server_pid, out);
    for (int64_t i = 0; rc == 0 && i < n; i++) {
        if (!r.done[i]) {
            run_error(&r, out, "never delivered (or never redelivered)", r.first + (uint64_t)i);
            break;
        }
    }
    if (r.sub != NULL) {
        natsSubscription_Unsubscribe(r.sub);
        natsSubscription_Destroy(r.sub);
    }
    if (r.js != NULL)
        js_DeleteConsumer(r.js, BENCH_JS_STREAM, r.name, NULL, NULL);
    jsCtx_Destroy(r.js);
    natsConnection_Destroy(r.nc);
    free(r.done);
    out->failed = rc != 0;
    return rc;
}
