/* JetStream load of the side-by-side benchmark, built on libnats' JetStream API.
 *
 * Every measured run publishes into a fresh stream BENCH_JS_STREAM (subject BENCH_JS_SUBJECT):
 * the stream is deleted and created again first, so runs never see each other's messages, and
 * deleted afterwards so a memory stream does not hold RAM through later runs. Each run ends
 * with a STREAM.INFO check that the stream holds exactly the messages that were acked.
 */
#ifndef GN_BENCH_JS_H
#define GN_BENCH_JS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BENCH_JS_STREAM  "bench_js"
#define BENCH_JS_SUBJECT "bench.js"

/* The JetStream workloads, in report order. */
enum bench_js_kind {
    BENCH_JS_SYNC = 0, /* js_Publish one at a time: latency */
    BENCH_JS_ASYNC,    /* js_PublishAsync with up to max_pending in flight: throughput */
    BENCH_JS_RESTART,  /* fill a file stream, stop (TERM/KILL), time the restart */
    BENCH_JS_KIND_COUNT,
};

/* Stream storage. */
enum bench_js_storage {
    BENCH_JS_FILE = 0,
    BENCH_JS_MEMORY,
    BENCH_JS_STORAGE_COUNT,
};

/* Limits of one JetStream run. */
struct bench_js_params {
    int64_t sync_msgs;    /* js-sync: sequential publishes per run ... */
    int64_t sync_ns;      /* ... or this long, whichever comes first */
    int64_t sync_warmup;  /* js-sync: publishes made before measuring */
    int64_t async_msgs;   /* js-async: publishes per run ... */
    int64_t async_ns;     /* ... or this long (publishing stops; the acks are still awaited) */
    int64_t async_warmup; /* js-async: publishes (all acked) before measuring */
    int max_pending;      /* js-async: jsOptions.PublishAsync.MaxPending */
    int io_buf;           /* libnats read/write buffer size in bytes */
    int64_t ack_wait_ns;  /* give up waiting for outstanding PubAcks after this long */
};

/* What one run measured. */
struct bench_js_result {
    int64_t published;  /* publish calls in the measured phase */
    int64_t acked;      /* positive PubAcks for them */
    int64_t errors;     /* failed publish calls + negative PubAcks + PubAcks never received */
    int64_t stored;     /* messages in the stream after the run (STREAM.INFO), -1 if unknown */
    int64_t lost;       /* acked (warm-up included) - stored: must be 0 */
    int64_t elapsed_ns; /* first publish → last PubAck */
    int64_t cpu_ns;     /* server CPU time (user + system) over the measured phase */
    int64_t p50_ns;     /* js-sync latency percentiles (0 otherwise) */
    int64_t p90_ns;     /* ... */
    int64_t p99_ns;     /* ... */
    int failed;         /* set by the caller when the run failed: no figures */
};

/* Returns "js-sync", "js-async" or "js-restart" ("?" for anything else). */
const char *bench_js_kind_name(enum bench_js_kind kind);

/* Returns "file" or "memory" ("?" for anything else). */
const char *bench_js_storage_name(enum bench_js_storage storage);

/* Runs BENCH_JS_SYNC or BENCH_JS_ASYNC with <payload>-byte messages on a fresh stream of
 * <storage> against the server on 127.0.0.1:<port> whose process is <server_pid> (for its CPU
 * time), within <p>. Fills <out> and returns 0 (publish errors and a stream count that does not
 * match the acks are reported in out->errors and out->lost, not as failure); returns -1 after
 * printing why when connecting, creating the stream or every publish failed. Main thread only
 * (libnats must be open: bench_load_init()). */
int bench_js_run(enum bench_js_kind kind, enum bench_js_storage storage, size_t payload, int port,
                 pid_t server_pid, const struct bench_js_params *p, struct bench_js_result *out);

/* Creates a fresh file stream on 127.0.0.1:<port> and publishes <n> messages of <payload> bytes
 * into it asynchronously (p->max_pending in flight, no time bound), then checks the stream
 * count. The stream is left in place. Fills <out> like bench_js_run() (cpu_ns from
 * <server_pid>) and returns 0, or -1 after printing why. Main thread only. */
int bench_js_fill(int port, pid_t server_pid, int64_t n, size_t payload,
                  const struct bench_js_params *p, struct bench_js_result *out);

/* Connects to 127.0.0.1:<port> and polls $JS.API.STREAM.INFO of BENCH_JS_STREAM until it
 * reports <expect> messages, until the answer has been another steady count for 2 s, or until
 * <deadline> (bench_now_ns() time). *<count> gets the last count seen (-1 if none) and
 * *<at_ns> the bench_now_ns() time of the answer that ended the wait. Returns 0 when <expect>
 * was seen, 1 for a steady other count, -1 at the deadline or when connecting failed. */
int bench_js_await(int port, int64_t expect, int64_t deadline, int64_t *count, int64_t *at_ns);

/* Reads messages 1, <n>/2 and <n> of BENCH_JS_STREAM on 127.0.0.1:<port> (STREAM.MSG.GET)
 * and checks their subject and <payload> size. Returns the number of bad or missing messages
 * (0: all good, each printed), or -1 when connecting failed. Main thread only. */
int bench_js_check_msgs(int port, int64_t n, size_t payload);

#endif
