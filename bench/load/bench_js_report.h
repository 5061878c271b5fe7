/* JetStream part of the side-by-side benchmark: its configuration, medians and report.
 *
 * Side 0 is the reference (nats-server), side 1 the candidate (gannet-server); every ratio is
 * side 1 / side 0, as in the core report (bench_report.h). The markdown is a section of its own
 * ("## JetStream: ..."), printed after the core section when both ran; the CSV rows use the
 * core's long form with workload names like "js-async-file" and "js-restart-kill".
 */
#ifndef GN_BENCH_JS_REPORT_H
#define GN_BENCH_JS_REPORT_H

#include "bench_js.h"
#include "bench_report.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define BENCH_JS_STOPS 2 /* restart after SIGTERM (index 0) and after SIGKILL (index 1) */

/* What to run, decided by the command line. Strings and <sizes> are borrowed. */
struct bench_js_setup {
    const char *path[BENCH_SIDES];         /* server binaries: reference, candidate */
    const char *label[BENCH_SIDES];        /* their names in the report */
    bool kinds[BENCH_JS_KIND_COUNT];       /* workloads to run */
    bool storages[BENCH_JS_STORAGE_COUNT]; /* storages for js-sync and js-async */
    const int *sizes;                      /* payload sizes for js-sync and js-async */
    int nsizes;                            /* entries in sizes */
    int reps;                              /* repetitions of js-sync/js-async runs */
    int restart_reps;                      /* repetitions of each restart measurement */
    int64_t restart_msgs;                  /* messages in the stream before the stop */
    int restart_payload;                   /* their payload size in bytes */
    int64_t restart_timeout_ns;            /* give up on a restart after this long */
    struct bench_js_params params;         /* limits handed to every run */
};

/* Medians over the repetitions of one js-sync/js-async row and server. */
struct bench_js_stat {
    double msgs_per_s;     /* acked messages per second */
    double mb_per_s;       /* msgs_per_s * payload bytes / 1e6 */
    double cpu_ns_per_msg; /* server CPU ns per acked message */
    int64_t p50_ns;        /* js-sync latency percentiles */
    int64_t p90_ns;        /* ... */
    int64_t p99_ns;        /* ... */
    int64_t acked;         /* median acked messages per run */
    int64_t errors;        /* summed over repetitions */
    int64_t lost;          /* summed |acked - stored| over repetitions */
    int ok;                /* repetitions that completed */
    int failed;            /* repetitions that failed */
};

/* One line of the js-sync/js-async tables, for both servers. */
struct bench_js_row {
    enum bench_js_kind kind;                /* BENCH_JS_SYNC or BENCH_JS_ASYNC */
    enum bench_js_storage storage;          /* stream storage */
    int payload;                            /* payload size in bytes */
    struct bench_js_stat side[BENCH_SIDES]; /* per server */
};

/* One restart measurement (or, in a report, the medians over repetitions). */
struct bench_js_restart {
    int64_t msgs;      /* messages acked while filling = the count expected after restart */
    double fill_per_s; /* fill rate, acked messages per second */
    int64_t store_kib; /* disk usage of the store dir after the stop */
    int64_t stop_ns;   /* signal → process reaped */
    int exit_code;     /* exit status after the signal, -N if signal N ended it (last run) */
    int64_t info_ns;   /* spawn → the port accepts and sends INFO */
    int64_t ready_ns;  /* spawn → STREAM.INFO reports the expected count */
    int64_t count;     /* messages STREAM.INFO reported after the restart */
    int64_t rss_kib;   /* VmRSS once the stream was ready */
    int64_t errors;    /* fill errors, unclean exits (summed in a report) */
    int64_t lost;      /* msgs - count (summed in a report) */
    int ok;            /* report: repetitions that completed */
    int failed;        /* run: set when a step failed; report: failed repetitions */
};

/* The whole JetStream comparison. */
struct bench_js_report {
    const struct bench_js_setup *setup;                           /* what ran */
    char version[BENCH_SIDES][32];                                /* "version" of their INFO */
    const struct bench_js_row *rows;                              /* js-sync/js-async rows */
    int nrows;                                                    /* number of rows */
    bool restart_ran;                                             /* restart[] is filled */
    struct bench_js_restart restart[BENCH_JS_STOPS][BENCH_SIDES]; /* medians */
    int64_t idle_rss_kib[BENCH_SIDES];                            /* VmRSS 1 s after a -js start */
    int64_t peak_rss_kib[BENCH_SIDES];                            /* VmHWM after js-sync/js-async */
    double wall_s;                                                /* duration of the JS part */
    int failed_runs;                                              /* failed runs, both sides */
    int restarts[BENCH_SIDES];                                    /* servers restarted after one */
};

/* Reduces <n> repetitions <runs> of a row (kind, payload) to medians in <out>, leaving out runs
 * marked failed. With no completed run every figure is zero. */
void bench_js_stat_reduce(enum bench_js_kind kind, int payload, const struct bench_js_result *runs,
                          int n, struct bench_js_stat *out);

/* Reduces <n> restart measurements <runs> to medians in <out> (errors and lost summed). */
void bench_js_restart_reduce(const struct bench_js_restart *runs, int n,
                             struct bench_js_restart *out);

/* Returns failed runs + publish errors + lost messages over all of <r>: 0 when every publish was
 * acked, every stream held what was acked, and every run completed. */
int64_t bench_js_report_problems(const struct bench_js_report *r);

/* Writes <r> as a markdown section to <f>. */
void bench_js_report_markdown(FILE *f, const struct bench_js_report *r);

/* Writes <r> as long-form CSV rows to the file <path>: appended when <append> (after the core
 * rows), else the file is created or truncated and gets the header line. Returns 0, or -1 after
 * printing the reason to stderr. */
int bench_js_report_csv(const char *path, bool append, const struct bench_js_report *r);

#endif
