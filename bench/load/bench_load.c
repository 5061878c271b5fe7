/* Load generator of the side-by-side benchmark, built on libnats.
 *
 * Subscribers live on their own connections (as in `nats bench`), count in their message
 * callback and stamp the time of their latest delivery; the publisher thread is the main thread.
 * Pending limits are lifted on every subscription so the client never drops on its own; what
 * is still missing at the end is reported as drops.
 */
#include "bench_load.h"

#include "bench_proc.h"

#include <nats/nats.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUB_MAX         4
#define FLUSH_MS        30000
#define REQ_TIMEOUT_MS  5000
#define SUBJECT         "gn.bench"
#define QUEUE_NAME      "gnq"
#define PROGRESS_POLLMS 2

/* One receiving connection and its counters (written by libnats' delivery thread). */
struct receiver {
    natsConnection *nc;      /* its own connection */
    natsSubscription *sub;   /* its subscription on SUBJECT */
    _Atomic int64_t count;   /* messages delivered to the callback */
    _Atomic int64_t last_ns; /* bench_now_ns() of the latest delivery */
};

/* Everything one run holds; freed by run_free(). */
struct run {
    natsConnection *pub;         /* publishing (or requesting) connection */
    struct receiver rx[SUB_MAX]; /* subscribers, or rx[0] = the responder for req/rep */
    int nrx;                     /* receivers in use */
    char *payload;               /* <size> bytes of 'x' */
    size_t size;                 /* payload size */
    _Atomic int64_t async_errs;  /* errors reported by libnats' error handler */
};

static const char *const kind_names[BENCH_KIND_COUNT] = {"pub", "pub-sub", "pub-4sub", "queue-4",
                                                         "req-rep"};

const char *bench_kind_name(enum bench_kind kind)
{
    return kind < BENCH_KIND_COUNT ? kind_names[kind] : "?";
}

int bench_kind_fanout(enum bench_kind kind)
{
    switch (kind) {
    case BENCH_FAN1:
    case BENCH_QUEUE4:
    case BENCH_REQREP:
        return 1;
    case BENCH_FAN4:
        return 4;
    default:
        return 0;
    }
}

int bench_load_init(void)
{
    natsStatus s = nats_Open(-1);

    if (s != NATS_OK) {
        fprintf(stderr, "gn_bench: nats_Open: %s\n", natsStatus_GetText(s));
        return -1;
    }
    return 0;
}

void bench_load_deinit(void)
{
    nats_CloseAndWait(5000);
}

static void on_async_error(natsConnection *nc, natsSubscription *sub, natsStatus err, void *arg)
{
    struct run *run = arg;

    atomic_fetch_add_explicit(&run->async_errs, 1, memory_order_relaxed);
}

static void on_msg(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *arg)
{
    struct receiver *rx = arg;

    natsMsg_Destroy(msg);
    atomic_store_explicit(&rx->last_ns, bench_now_ns(), memory_order_relaxed);
    atomic_fetch_add_explicit(&rx->count, 1, memory_order_release);
}

/* The responder: echoes a reply of the request's size, sent at once (SendAsap connection). */
static void on_request(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *arg)
{
    struct receiver *rx = arg;
    const char *reply = natsMsg_GetReply(msg);

    if (reply != NULL)
        natsConnection_Publish(nc, reply, natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    natsMsg_Destroy(msg);
    atomic_fetch_add_explicit(&rx->count, 1, memory_order_release);
}

/* Connects to 127.0.0.1:<port> with the throughput settings; <asap> selects SendAsap. */
static int run_connect(struct run *run, natsConnection **nc, int port, int io_buf, bool asap)
{
    char url[64];
    natsOptions *opts = NULL;
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
        s = natsOptions_SetTimeout(opts, 5000);
    if (s == NATS_OK)
        s = natsOptions_SetErrorHandler(opts, on_async_error, run);
    if (s == NATS_OK)
        s = natsConnection_Connect(nc, opts);
    natsOptions_Destroy(opts);
    if (s != NATS_OK) {
        fprintf(stderr, "gn_bench: connect %s: %s\n", url, natsStatus_GetText(s));
        return -1;
    }
    return 0;
}

/* Opens receiver <i>: a connection with one subscription (queue, plain or responder). */
static int run_add_receiver(struct run *run, enum bench_kind kind, int port, int io_buf)
{
    struct receiver *rx = &run->rx[run->nrx];
    natsStatus s;

    if (run_connect(run, &rx->nc, port, io_buf, kind == BENCH_REQREP) != 0)
        return -1;
    run->nrx++;
    if (kind == BENCH_QUEUE4)
        s = natsConnection_QueueSubscribe(&rx->sub, rx->nc, SUBJECT, QUEUE_NAME, on_msg, rx);
    else
        s = natsConnection_Subscribe(&rx->sub, rx->nc, SUBJECT,
                                     kind == BENCH_REQREP ? on_request : on_msg, rx);
    if (s == NATS_OK)
        s = natsSubscription_SetPendingLimits(rx->sub, -1, -1);
    /* The flush makes sure the server has registered the interest before anyone publishes. */
    if (s == NATS_OK)
        s = natsConnection_FlushTimeout(rx->nc, FLUSH_MS);
    if (s != NATS_OK) {
        fprintf(stderr, "gn_bench: subscribe: %s\n", natsStatus_GetText(s));
        return -1;
    }
    return 0;
}

static void run_free(struct run *run)
{
    for (int i = 0; i < run->nrx; i++) {
        natsSubscription_Destroy(run->rx[i].sub);
        natsConnection_Destroy(run->rx[i].nc);
    }
    natsConnection_Destroy(run->pub);
    free(run->payload);
}

static int64_t received_total(struct run *run)
{
    int64_t n = 0;

    for (int i = 0; i < run->nrx; i++)
        n += atomic_load_explicit(&run->rx[i].count, memory_order_acquire);
    return n;
}

/* Waits until the receivers saw <want> messages in total, or made no progress for <stall_ns>.
 * Returns the number seen. */
static int64_t wait_received(struct run *run, int64_t want, int64_t stall_ns)
{
    int64_t seen = received_total(run);
    int64_t last_change = bench_now_ns();

    while (seen < want && bench_now_ns() - last_change < stall_ns) {
        int64_t now_seen;

        bench_sleep_ms(PROGRESS_POLLMS);
        now_seen = received_total(run);
        if (now_seen != seen) {
            seen = now_seen;
            last_change = bench_now_ns();
        }
    }
    return seen;
}

/* Publishes up to <max> messages, stopping early after <max_ns>; then a PING/PONG round trip so
 * the server has processed them all. Returns the number published, or -1 on error. */
static int64_t publish_loop(struct run *run, int64_t max, int64_t max_ns)
{
    int64_t deadline = bench_now_ns() + max_ns;
    int64_t n;
    natsStatus s = NATS_OK;

    for (n = 0; n < max; n++) {
        if ((n & 1023) == 0 && n > 0 && bench_now_ns() >= deadline)
            break;
        s = natsConnection_Publish(run->pub, SUBJECT, run->payload, (int)run->size);
        if (s != NATS_OK)
            break;
    }
    if (s == NATS_OK)
        s = natsConnection_FlushTimeout(run->pub, FLUSH_MS);
    if (s != NATS_OK) {
        fprintf(stderr, "gn_bench: publish: %s\n", natsStatus_GetText(s));
        return -1;
    }
    return n;
}

static void reset_counters(struct run *run)
{
    for (int i = 0; i < run->nrx; i++) {
        atomic_store_explicit(&run->rx[i].count, 0, memory_order_relaxed);
        atomic_store_explicit(&run->rx[i].last_ns, 0, memory_order_relaxed);
    }
}

static int64_t last_delivery_ns(struct run *run)
{
    int64_t last = 0;

    for (int i = 0; i < run->nrx; i++) {
        int64_t t = atomic_load_explicit(&run->rx[i].last_ns, memory_order_relaxed);
        if (t > last)
            last = t;
    }
    return last;
}

/* Publish-only and publisher → subscribers. */
static int run_throughput(struct run *run, enum bench_kind kind, pid_t pid,
                          const struct bench_params *p, struct bench_result *out)
{
    int fan = kind == BENCH_FAN4 ? 4 : 1;
    int64_t t0;
    int64_t cpu0;
    int64_t n;

    /* Warm-up: connections, caches and the server's buffers reach their steady state. */
    n = publish_loop(run, p->warmup, p->max_ns);
    if (n < 0)
        return -1;
    if (run->nrx > 0) {
        wait_received(run, n * fan, p->drain_ns);
        reset_counters(run);
    }
    cpu0 = bench_proc_cpu_ns(pid);
    t0 = bench_now_ns();
    n = publish_loop(run, p->max_msgs, p->max_ns);
    if (n < 0)
        return -1;
    out->published = n;
    if (run->nrx == 0) {
        out->elapsed_ns = bench_now_ns() - t0;
    } else {
        out->expected = n * fan;
        out->received = wait_received(run, out->expected, p->drain_ns);
        out->drops = out->expected - out->received;
        /* Nothing delivered at all: the elapsed time is the publisher's, throughput 0. */
        out->elapsed_ns = out->received > 0 ? last_delivery_ns(run) - t0 : bench_now_ns() - t0;
    }
    out->cpu_ns = bench_proc_cpu_ns(pid) - cpu0;
    return 0;
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

/* One request; returns its latency in ns or -1 on error. */
static int64_t request_once(struct run *run)
{
    natsMsg *reply = NULL;
    int64_t t = bench_now_ns();
    natsStatus s = natsConnection_Request(&reply, run->pub, SUBJECT, run->payload, (int)run->size,
                                          REQ_TIMEOUT_MS);

    t = bench_now_ns() - t;
    natsMsg_Destroy(reply);
    if (s != NATS_OK) {
        fprintf(stderr, "gn_bench: request: %s\n", natsStatus_GetText(s));
        return -1;
    }
    return t;
}

/* Sequential request/reply with one responder. */
static int run_reqrep(struct run *run, pid_t pid, const struct bench_params *p,
                      struct bench_result *out)
{
    int64_t *lat = calloc((size_t)(p->requests > 0 ? p->requests : 1), sizeof(*lat));
    int64_t n = 0;
    int64_t t0;
    int64_t cpu0;
    int64_t deadline;
    int rc = -1;

    if (lat == NULL)
        return -1;
    for (int64_t i = 0; i < p->warmup_requests; i++) {
        if (request_once(run) < 0)
            goto out;
    }
    reset_counters(run);
    cpu0 = bench_proc_cpu_ns(pid);
    t0 = bench_now_ns();
    deadline = t0 + p->max_ns;
    for (n = 0; n < p->requests; n++) {
        if ((n & 63) == 0 && n > 0 && bench_now_ns() >= deadline)
            break;
        lat[n] = request_once(run);
        if (lat[n] < 0)
            goto out;
    }
    out->elapsed_ns = bench_now_ns() - t0;
    out->cpu_ns = bench_proc_cpu_ns(pid) - cpu0;
    out->published = n;
    out->expected = n;
    out->received = n;
    qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
    out->p50_ns = percentile(lat, n, 50);
    out->p90_ns = percentile(lat, n, 90);
    out->p99_ns = percentile(lat, n, 99);
    rc = 0;
out:
    free(lat);
    return rc;
}

int bench_load_run(enum bench_kind kind, size_t payload, int port, pid_t server_pid,
                   const struct bench_params *p, struct bench_result *out)
{
    struct run run;
    int nrx = kind == BENCH_PUB ? 0 : (kind == BENCH_FAN1 || kind == BENCH_REQREP) ? 1 : 4;
    int rc = -1;

    memset(&run, 0, sizeof(run));
    memset(out, 0, sizeof(*out));
    run.size = payload;
    run.payload = malloc(payload > 0 ? payload : 1);
    if (run.payload == NULL)
        return -1;
    memset(run.payload, 'x', payload);
    for (int i = 0; i < nrx; i++) {
        if (run_add_receiver(&run, kind, port, p->io_buf) != 0)
            goto out;
    }
    if (run_connect(&run, &run.pub, port, p->io_buf, false) != 0)
        goto out;
    if (kind == BENCH_REQREP)
        rc = run_reqrep(&run, server_pid, p, out);
    else
        rc = run_throughput(&run, kind, server_pid, p, out);
    if (atomic_load(&run.async_errs) > 0)
        fprintf(stderr, "gn_bench: %s/%zuB: %lld asynchronous client errors (slow consumer?)\n",
                bench_kind_name(kind), payload, (long long)atomic_load(&run.async_errs));
out:
    run_free(&run);
    return rc;
}
