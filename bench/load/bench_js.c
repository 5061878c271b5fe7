/* JetStream load of the side-by-side benchmark, built on libnats' JetStream API.
 *
 * PubAcks are counted in a jsPubAckHandler (libnats' reply-subscription thread) so every
 * acknowledgement, positive or not, is seen; the publisher is the main thread. Errors are
 * counted and the first few printed, never hidden: a benchmark of a store that loses or rejects
 * messages must say so next to its numbers.
 */
#include "bench_js.h"

#include "bench_proc.h"

#include <nats/nats.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONNECT_MS     5000
#define API_WAIT_MS    5000
#define POLL_WAIT_MS   1000
#define STEADY_NS      2000000000LL
#define ERR_PRINT_MAX  3
#define CALL_ERR_LIMIT 10

/* One JetStream run: a connection, its JetStream context and the PubAck counters. */
struct js_run {
    natsConnection *nc;        /* the only connection of the run */
    jsCtx *js;                 /* its JetStream context (async publish options set) */
    char *payload;             /* <size> bytes of 'x' */
    size_t size;               /* payload size */
    _Atomic int64_t acked;     /* positive PubAcks seen by on_ack */
    _Atomic int64_t nacked;    /* negative PubAcks (error, duplicate) seen by on_ack */
    _Atomic int64_t printed;   /* errors printed so far (at most ERR_PRINT_MAX) */
    _Atomic int64_t conn_errs; /* asynchronous connection errors (libnats error handler) */
};

static const char *const kind_names[BENCH_JS_KIND_COUNT] = {"js-sync", "js-async", "js-restart"};
static const char *const storage_names[BENCH_JS_STORAGE_COUNT] = {"file", "memory"};

const char *bench_js_kind_name(enum bench_js_kind kind)
{
    return kind < BENCH_JS_KIND_COUNT ? kind_names[kind] : "?";
}

const char *bench_js_storage_name(enum bench_js_storage storage)
{
    return storage < BENCH_JS_STORAGE_COUNT ? storage_names[storage] : "?";
}

static bool print_quota(struct js_run *r)
{
    return atomic_fetch_add(&r->printed, 1) < ERR_PRINT_MAX;
}

static void on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *arg)
{
    struct js_run *r = arg;

    if (pa != NULL && !pa->Duplicate) {
        atomic_fetch_add_explicit(&r->acked, 1, memory_order_relaxed);
    } else {
        atomic_fetch_add_explicit(&r->nacked, 1, memory_order_relaxed);
        if (print_quota(r))
            fprintf(stderr, "gn_bench: negative PubAck: %s\n",
                    pae == NULL ? "duplicate"
                    : pae->ErrText != NULL && pae->ErrText[0] != '\0'
                        ? pae->ErrText
                        : natsStatus_GetText(pae->Err));
    }
    natsMsg_Destroy(msg);
}

static void on_conn_error(natsConnection *nc, natsSubscription *sub, natsStatus err, void *arg)
{
    struct js_run *r = arg;

    atomic_fetch_add_explicit(&r->conn_errs, 1, memory_order_relaxed);
}

/* Connects to 127.0.0.1:<port> and makes the JetStream context. Returns 0 or -1 (printed). */
static int js_connect(struct js_run *r, int port, int io_buf, bool asap, int max_pending,
                      int64_t ack_wait_ns, int api_wait_ms)
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
        s = natsOptions_SetIOBufSize(opts, io_buf);
    if (s == NATS_OK)
        s = natsOptions_SetSendAsap(opts, asap);
    if (s == NATS_OK)
        s = natsOptions_SetAllowReconnect(opts, false);
    if (s == NATS_OK)
        s = natsOptions_SetTimeout(opts, CONNECT_MS);
    if (s == NATS_OK)
        s = natsOptions_SetErrorHandler(opts, on_conn_error, r);
    if (s == NATS_OK)
        s = natsConnection_Connect(&r->nc, opts);
    natsOptions_Destroy(opts);
    if (s == NATS_OK) {
        jsOptions_Init(&jo);
        jo.Wait = api_wait_ms;
        jo.PublishAsync.MaxPending = max_pending > 0 ? max_pending : 4096;
        jo.PublishAsync.AckHandler = on_ack;
        jo.PublishAsync.AckHandlerClosure = r;
        /* A full window blocks the publisher until acks free a slot; only a server that stops
         * acking for this long turns the stall into an error. */
        jo.PublishAsync.StallWait = ack_wait_ns / 1000000;
        s = natsConnection_JetStream(&r->js, r->nc, &jo);
    }
    if (s != NATS_OK) {
        fprintf(stderr, "gn_bench: JetStream connect %s: %s\n", url, natsStatus_GetText(s));
        return -1;
    }
    return 0;
}

static void js_run_free(struct js_run *r)
{
    jsCtx_Destroy(r->js);
    natsConnection_Destroy(r->nc);
    free(r->payload);
}

/* Deletes BENCH_JS_STREAM if it exists and creates it again on <storage>. Returns 0 or -1. */
static int stream_fresh(struct js_run *r, enum bench_js_storage storage)
{
    const char *subjects[] = {BENCH_JS_SUBJECT};
    jsStreamConfig cfg;
    jsErrCode jerr = 0;
    natsStatus s = js_DeleteStream(r->js, BENCH_JS_STREAM, NULL, &jerr);

    if (s != NATS_OK && jerr != JSStreamNotFoundErr) {
        fprintf(stderr, "gn_bench: delete stream: %s (err_code %d)\n", natsStatus_GetText(s),
                (int)jerr);
        return -1;
    }
    jsStreamConfig_Init(&cfg);
    cfg.Name = BENCH_JS_STREAM;
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 1;
    cfg.Storage = storage == BENCH_JS_MEMORY ? js_MemoryStorage : js_FileStorage;
    jerr = 0;
    s = js_AddStream(NULL, r->js, &cfg, NULL, &jerr);
    if (s != NATS_OK) {
        fprintf(stderr, "gn_bench: create %s stream: %s (err_code %d)\n",
                bench_js_storage_name(storage), natsStatus_GetText(s), (int)jerr);
        return -1;
    }
    return 0;
}

/* Returns the message count of BENCH_JS_STREAM, or -1 after printing why. */
static int64_t stream_count(jsCtx *js, bool quiet)
{
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetStreamInfo(&si, js, BENCH_JS_STREAM, NULL, &jerr);
    int64_t n;

    if (s != NATS_OK) {
        if (!quiet)
            fprintf(stderr, "gn_bench: stream info: %s (err_code %d)\n", natsStatus_GetText(s),
                    (int)jerr);
        return -1;
    }
    n = (int64_t)si->State.Msgs;
    jsStreamInfo_Destroy(si);
    return n;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a;
    int64_t y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* The value below which <pct> percent of the sorted <v>[<n>] lie (nearest rank). */
static int64_t percentile(const int64_t *v, int64_t n, int pct)
{
    int64_t rank = (n * pct + 99) / 100;

    return n == 0 ? 0 : v[rank > 0 ? rank - 1 : 0];
}

/* One js_Publish; returns its latency in ns, or -1 after counting the error. */
static int64_t publish_sync(struct js_run *r)
{
    jsPubAck *pa = NULL;
    jsErrCode jerr = 0;
    int64_t t = bench_now_ns();
    natsStatus s = js_Publish(&pa, r->js, BENCH_JS_SUBJECT, r->payload, (int)r->size, NULL, &jerr);

    t = bench_now_ns() - t;
    if (s == NATS_OK && pa != NULL && !pa->Duplicate) {
        jsPubAck_Destroy(pa);
        atomic_fetch_add_explicit(&r->acked, 1, memory_order_relaxed);
        return t;
    }
    jsPubAck_Destroy(pa);
    atomic_fetch_add_explicit(&r->nacked, 1, memory_order_relaxed);
    if (print_quota(r))
        fprintf(stderr, "gn_bench: js_Publish: %s (err_code %d)\n",
                s == NATS_OK ? "duplicate" : natsStatus_GetText(s), (int)jerr);
    return -1;
}

/* Sequential js_Publish: latency percentiles over the acked publishes. */
static int run_sync(struct js_run *r, pid_t pid, const struct bench_js_params *p,
                    struct bench_js_result *out)
{
    int64_t *lat = calloc((size_t)(p->sync_msgs > 0 ? p->sync_msgs : 1), sizeof(*lat));
    int64_t nlat = 0;
    int64_t n;
    int64_t t0;
    int64_t cpu0;
    int64_t deadline;

    if (lat == NULL)
        return -1;
    for (int64_t i = 0; i < p->sync_warmup && atomic_load(&r->nacked) < CALL_ERR_LIMIT; i++)
        publish_sync(r);
    cpu0 = bench_proc_cpu_ns(pid);
    t0 = bench_now_ns();
    deadline = t0 + p->sync_ns;
    for (n = 0; n < p->sync_msgs && atomic_load(&r->nacked) < CALL_ERR_LIMIT; n++) {
        int64_t t;

        if ((n & 15) == 0 && n > 0 && bench_now_ns() >= deadline)
            break;
        t = publish_sync(r);
        if (t >= 0)
            lat[nlat++] = t;
    }
    out->elapsed_ns = bench_now_ns() - t0;
    out->cpu_ns = bench_proc_cpu_ns(pid) - cpu0;
    out->published = n;
    out->acked = nlat;
    qsort(lat, (size_t)nlat, sizeof(*lat), cmp_i64);
    out->p50_ns = percentile(lat, nlat, 50);
    out->p90_ns = percentile(lat, nlat, 90);
    out->p99_ns = percentile(lat, nlat, 99);
    free(lat);
    return 0;
}

/* Publishes up to <max> messages asynchronously, stopping early after <max_ns>, then waits for
 * every PubAck (at most p->ack_wait_ns). Returns the publish calls made; *<errs> gets the calls
 * that failed plus the PubAcks that never came. */
static int64_t publish_async(struct js_run *r, int64_t max, int64_t max_ns,
                             const struct bench_js_params *p, int64_t *errs)
{
    int64_t deadline = bench_now_ns() + max_ns;
    jsPubOptions po;
    natsStatus s;
    int64_t n;

    *errs = 0;
    for (n = 0; n < max && *errs < CALL_ERR_LIMIT; n++) {
        if ((n & 255) == 0 && n > 0 && bench_now_ns() >= deadline)
            break;
        s = js_PublishAsync(r->js, BENCH_JS_SUBJECT, r->payload, (int)r->size, NULL);
        if (s != NATS_OK) {
            ++*errs;
            if (print_quota(r))
                fprintf(stderr, "gn_bench: js_PublishAsync: %s\n", natsStatus_GetText(s));
        }
    }
    jsPubOptions_Init(&po);
    po.MaxWait = p->ack_wait_ns / 1000000;
    s = js_PublishAsyncComplete(r->js, &po);
    if (s != NATS_OK) {
        natsMsgList pend = {0};

        if (js_PublishAsyncGetPendingList(&pend, r->js) == NATS_OK) {
            *errs += pend.Count;
            natsMsgList_Destroy(&pend);
        }
        fprintf(stderr, "gn_bench: js_PublishAsyncComplete: %s (%lld PubAcks missing so far)\n",
                natsStatus_GetText(s), (long long)*errs);
    }
    return n;
}

/* Asynchronous publish with up to p->max_pending PubAcks outstanding. */
static int run_async(struct js_run *r, pid_t pid, int64_t max, int64_t max_ns,
                     const struct bench_js_params *p, struct bench_js_result *out)
{
    int64_t warm_acked;
    int64_t errs = 0;
    int64_t t0;
    int64_t cpu0;

    if (p->async_warmup > 0)
        publish_async(r, p->async_warmup, max_ns, p, &errs);
    warm_acked = atomic_load(&r->acked);
    cpu0 = bench_proc_cpu_ns(pid);
    t0 = bench_now_ns();
    out->published = publish_async(r, max, max_ns, p, &out->errors);
    out->elapsed_ns = bench_now_ns() - t0;
    out->cpu_ns = bench_proc_cpu_ns(pid) - cpu0;
    out->acked = atomic_load(&r->acked) - warm_acked;
    out->errors += errs;
    return 0;
}

/* Connects, creates the stream, runs <kind> and checks the stream count against the acks. */
static int js_run_one(enum bench_js_kind kind, enum bench_js_storage storage, size_t payload,
                      int port, pid_t pid, int64_t fill, const struct bench_js_params *p,
                      struct bench_js_result *out)
{
    struct js_run r;
    bool async = kind != BENCH_JS_SYNC;
    int rc = -1;

    memset(&r, 0, sizeof(r));
    memset(out, 0, sizeof(*out));
    out->stored = -1;
    r.size = payload;
    r.payload = malloc(payload > 0 ? payload : 1);
    if (r.payload == NULL)
        return -1;
    memset(r.payload, 'x', payload);
    if (js_connect(&r, port, p->io_buf, !async, p->max_pending, p->ack_wait_ns, API_WAIT_MS) != 0 ||
        stream_fresh(&r, storage) != 0)
        goto out;
    if (kind == BENCH_JS_SYNC)
        rc = run_sync(&r, pid, p, out);
    else if (kind == BENCH_JS_ASYNC)
        rc = run_async(&r, pid, p->async_msgs, p->async_ns, p, out);
    else
        rc = run_async(&r, pid, fill, INT64_MAX / 2, p, out);
    out->errors += atomic_load(&r.nacked);
    out->stored = stream_count(r.js, false);
    out->lost = atomic_load(&r.acked) - out->stored;
    if (out->stored >= 0 && out->lost != 0)
        fprintf(stderr, "gn_bench: the stream holds %lld messages, %lld were acked\n",
                (long long)out->stored, (long long)atomic_load(&r.acked));
    if (rc == 0 && out->acked == 0 && out->published > 0) {
        fprintf(stderr, "gn_bench: no publish was acked\n");
        rc = -1;
    }
    if (kind != BENCH_JS_RESTART)
        js_DeleteStream(r.js, BENCH_JS_STREAM, NULL, NULL); /* frees a memory stream's RAM */
    if (atomic_load(&r.conn_errs) > 0)
        fprintf(stderr, "gn_bench: %lld asynchronous connection errors\n",
                (long long)atomic_load(&r.conn_errs));
out:
    js_run_free(&r);
    return rc;
}

int bench_js_run(enum bench_js_kind kind, enum bench_js_storage storage, size_t payload, int port,
                 pid_t server_pid, const struct bench_js_params *p, struct bench_js_result *out)
{
    if (kind != BENCH_JS_SYNC && kind != BENCH_JS_ASYNC)
        return -1;
    return js_run_one(kind, storage, payload, port, server_pid, 0, p, out);
}

int bench_js_fill(int port, pid_t server_pid, int64_t n, size_t payload,
                  const struct bench_js_params *p, struct bench_js_result *out)
{
    struct bench_js_params q = *p;

    q.async_warmup = 0;
    return js_run_one(BENCH_JS_RESTART, BENCH_JS_FILE, payload, port, server_pid, n, &q, out);
}

int bench_js_await(int port, int64_t expect, int64_t deadline, int64_t *count, int64_t *at_ns)
{
    struct js_run r;
    int64_t since = 0;
    int rc = -1;

    memset(&r, 0, sizeof(r));
    *count = -1;
    *at_ns = 0;
    if (js_connect(&r, port, 65536, true, 0, 1000000000LL, POLL_WAIT_MS) != 0)
        goto out;
    while (bench_now_ns() < deadline) {
        int64_t n = stream_count(r.js, true);
        int64_t now = bench_now_ns();

        if (n == expect) {
            *count = n;
            *at_ns = now;
            rc = 0;
            break;
        }
        if (n >= 0 && n != *count) {
            *count = n;
            since = now;
        } else if (n >= 0 && now - since >= STEADY_NS) {
            *at_ns = since;
            rc = 1;
            break;
        }
        /* Not there yet (no responders, stream not found, still loading): poll again soon. */
        bench_sleep_ms(1);
    }
out:
    js_run_free(&r);
    return rc;
}

int bench_js_check_msgs(int port, int64_t n, size_t payload)
{
    const int64_t seqs[] = {1, n / 2 > 0 ? n / 2 : 1, n};
    struct js_run r;
    int bad = 0;

    memset(&r, 0, sizeof(r));
    if (n <= 0)
        return 0;
    if (js_connect(&r, port, 1 << 20, true, 0, 1000000000LL, API_WAIT_MS) != 0) {
        js_run_free(&r);
        return -1;
    }
    for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
        natsMsg *msg = NULL;
        jsErrCode jerr = 0;
        natsStatus s = js_GetMsg(&msg, r.js, BENCH_JS_STREAM, (uint64_t)seqs[i], NULL, &jerr);

        if (s != NATS_OK || strcmp(natsMsg_GetSubject(msg), BENCH_JS_SUBJECT) != 0 ||
            natsMsg_GetDataLength(msg) != (int)payload) {
            fprintf(stderr, "gn_bench: message %lld of the stream: %s (err_code %d)\n",
                    (long long)seqs[i], s != NATS_OK ? natsStatus_GetText(s) : "wrong content",
                    (int)jerr);
            bad++;
        }
        natsMsg_Destroy(msg);
    }
    js_run_free(&r);
    return bad;
}
