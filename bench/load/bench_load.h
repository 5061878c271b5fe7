/* Load generator of the side-by-side benchmark, built on libnats (the official C client).
 *
 * Each call runs one workload against one server with fresh connections, so the same code drives
 * nats-server and gannet-server alike. Throughput workloads publish from one thread in a loop
 * (buffered writes, no per-message flush) and count at the receivers; request/reply measures the
 * round-trip latency of sequential requests to one responder. The server's CPU time is read
 * around the measured phase only (connection set-up and warm-up are excluded).
 */
#ifndef GN_BENCH_LOAD_H
#define GN_BENCH_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The workloads, in report order. */
enum bench_kind {
    BENCH_PUB = 0, /* publish only, no subscriber; counted at the publisher after a PING/PONG */
    BENCH_FAN1,    /* 1 publisher → 1 subscriber */
    BENCH_FAN4,    /* 1 publisher → 4 subscribers (each gets every message) */
    BENCH_QUEUE4,  /* 1 publisher → queue group of 4 (each message goes to one member) */
    BENCH_REQREP,  /* sequential request/reply, one responder: latency */
    BENCH_KIND_COUNT,
};

/* Limits of one run. */
struct bench_params {
    int64_t max_msgs;        /* throughput: stop publishing after this many messages ... */
    int64_t max_ns;          /* ... or after this long, whichever comes first */
    int64_t requests;        /* request/reply: number of sequential requests (time bound: max_ns) */
    int64_t warmup;          /* throughput: messages sent and received before measuring */
    int64_t warmup_requests; /* request/reply: requests made before measuring */
    int io_buf;              /* libnats read/write buffer size in bytes */
    int64_t drain_ns;        /* give up waiting for receivers after this long without progress */
};

/* What one run measured. */
struct bench_result {
    int64_t published;  /* messages published in the measured phase (requests for req/rep) */
    int64_t expected;   /* deliveries the subscribers should have seen (0 for publish-only) */
    int64_t received;   /* deliveries seen, summed over subscribers (replies for req/rep) */
    int64_t drops;      /* expected - received: lost to slow-consumer handling or errors */
    int64_t elapsed_ns; /* first publish → last delivery (publish-only: → PONG of the flush) */
    int64_t cpu_ns;     /* server CPU time (user + system) over the measured phase */
    int64_t p50_ns;     /* request/reply latency percentiles (0 for other workloads) */
    int64_t p90_ns;     /* ... */
    int64_t p99_ns;     /* ... */
    int failed;         /* set by the caller when bench_load_run() failed: no figures */
};

/* Returns a short stable name of <kind> ("pub", "pub-sub", "pub-4sub", "queue-4", "req-rep"). */
const char *bench_kind_name(enum bench_kind kind);

/* Returns the number of subscribers that receive each published message (0, 1 or 4). */
int bench_kind_fanout(enum bench_kind kind);

/* Prepares libnats (nats_Open). Call once from the main thread before any run; returns 0 or -1. */
int bench_load_init(void);

/* Releases libnats (nats_Close). Call once at the end, after the last run. */
void bench_load_deinit(void);

/* Runs workload <kind> with payloads of <payload> bytes against the server listening on
 * 127.0.0.1:<port> whose process is <server_pid> (for its CPU time), within the limits <p>.
 * Fills <out> and returns 0; returns -1 after printing the reason to stderr if a connection,
 * subscription or publish failed (a run with drops still returns 0). Main thread only; it starts
 * and joins libnats' own threads. */
int bench_load_run(enum bench_kind kind, size_t payload, int port, pid_t server_pid,
                   const struct bench_params *p, struct bench_result *out);

#endif
