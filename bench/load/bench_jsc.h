/* JetStream consumer workloads of the side-by-side benchmark: pull fetch with explicit acks,
 * push delivery, and the cost of redelivery (after a nak, and after ack_wait expires).
 *
 * Each server gets one file stream BENCH_JS_STREAM pre-loaded once with N messages
 * (bench_js_fill); every run then creates a durable consumer of its own on it, consumes,
 * checks that every message came exactly once and in stream order (and, with explicit acks,
 * that the server's ack floor reached the end before the clock stops), and deletes the
 * consumer. Runs alternate servers per repetition, as the other workloads do.
 */
#ifndef GN_BENCH_JSC_H
#define GN_BENCH_JSC_H

#include "bench_report.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define BENCH_JSC_PUSH_MAX_ACK 10000 /* max_ack_pending of the explicit-ack push consumer */

/* The consumer workloads, as named on the command line. */
enum bench_jsc_kind {
    BENCH_JSC_FETCH = 0, /* js-fetch: pull fetch + explicit ack */
    BENCH_JSC_PUSH,      /* js-push: push delivery, ack none or explicit */
    BENCH_JSC_REDELIVER, /* js-redeliver: nak-driven and ack_wait-driven redelivery */
    BENCH_JSC_KIND_COUNT,
};

/* One measured configuration: a row of the report. */
enum bench_jsc_variant {
    BENCH_JSC_FETCH_100 = 0, /* fetch batches of 100 */
    BENCH_JSC_FETCH_1000,    /* fetch batches of 1000 */
    BENCH_JSC_PUSH_NONE,     /* push, ack none */
    BENCH_JSC_PUSH_EXPLICIT, /* push, explicit ack of every message */
    BENCH_JSC_NAK,           /* fetch 100, nak each, fetch the redeliveries, ack them */
    BENCH_JSC_EXPIRY,        /* fetch everything unacked, ack_wait 1 s, fetch + ack again */
    BENCH_JSC_VARIANT_COUNT,
};

/* Limits of the consumer runs. */
struct bench_jsc_params {
    int64_t msgs;           /* messages pre-loaded; js-fetch and js-push consume them all */
    int64_t redeliver_msgs; /* js-redeliver: consumes the last this many messages */
    int payload;            /* payload bytes per message */
    int io_buf;             /* libnats read/write buffer size in bytes */
    int64_t stall_ns;       /* a run fails after this long without progress */
};

/* What one run measured. */
struct bench_jsc_result {
    int64_t msgs;       /* messages consumed (redelivered ones for js-redeliver) */
    int64_t elapsed_ns; /* clock of the run (see bench_jsc_run) */
    int64_t cpu_ns;     /* server CPU time (user + system) over the same interval */
    int64_t lag_ns;     /* BENCH_JSC_EXPIRY: last message due → all redelivered and acked */
    int64_t errors;     /* missing, repeated or out-of-order messages, failed acks */
    int failed;         /* set when the run could not complete: no figures */
};

/* What to run, decided by the command line. Strings are borrowed. */
struct bench_jsc_setup {
    const char *path[BENCH_SIDES];    /* server binaries: reference, candidate */
    const char *label[BENCH_SIDES];   /* their names in the report */
    bool kinds[BENCH_JSC_KIND_COUNT]; /* workloads to run */
    int reps;                         /* repetitions per variant and server */
    struct bench_jsc_params params;   /* limits handed to every run */
};

/* Returns "js-fetch", "js-push" or "js-redeliver" ("?" for anything else). */
const char *bench_jsc_kind_name(enum bench_jsc_kind kind);

/* Returns the workload <v> belongs to. */
enum bench_jsc_kind bench_jsc_variant_kind(enum bench_jsc_variant v);

/* Returns the report label of <v> ("batch 100", "ack none", "nak", ...). */
const char *bench_jsc_variant_name(enum bench_jsc_variant v);

/* Runs variant <v> against the server on 127.0.0.1:<port> (process <server_pid>, for its CPU
 * time) whose stream BENCH_JS_STREAM holds p->msgs messages of p->payload bytes, with a
 * durable consumer named after <v> and <run_id>, deleted afterwards. The clock runs from the
 * consumer's creation until the last message is in and, with explicit acks, CONSUMER.INFO
 * shows every ack applied; for BENCH_JSC_EXPIRY it starts when the first message becomes due
 * again (its first delivery + ack_wait). Fills <out> and returns 0 (wrong deliveries are
 * counted in out->errors); returns -1 after printing why when the run could not complete.
 * Main thread only; libnats must be open. */
int bench_jsc_run(enum bench_jsc_variant v, int port, pid_t server_pid, int run_id,
                  const struct bench_jsc_params *p, struct bench_jsc_result *out);

/* Starts both servers of <st> with JetStream, pre-loads their streams, runs the selected
 * workloads st->reps times each (servers alternated) and prints the markdown section to
 * stdout; with <csv> also writes CSV rows to that file (appended when <append>). Returns 0, 3
 * when the report is printed but runs failed or delivered wrongly, 1 when it could not run. */
int bench_jsc_main(const struct bench_jsc_setup *st, const char *csv, bool append);

#endif
