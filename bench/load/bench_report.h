/* Results of the side-by-side benchmark: medians over repetitions, markdown table and CSV.
 *
 * Side 0 is the reference (nats-server), side 1 the candidate (gannet-server); every ratio is
 * side 1 / side 0. The markdown goes to stdout ready to paste into BENCHMARKS.md; the CSV is in
 * long form (workload, payload, server, metric, value) so scripts need not know the columns.
 */
#ifndef GN_BENCH_REPORT_H
#define GN_BENCH_REPORT_H

#include "bench_load.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BENCH_SIDES 2

/* Medians over the repetitions of one workload, payload size and server. */
struct bench_stat {
    double msgs_per_s;       /* deliveries per second (publish-only: publishes per second) */
    double mb_per_s;         /* msgs_per_s * payload bytes / 1e6 (payload only, no protocol) */
    double cpu_ns_per_pub;   /* server CPU ns per published message (per request for req/rep) */
    double cpu_ns_per_deliv; /* server CPU ns per delivered message (0 for publish-only) */
    int64_t p50_ns;          /* request/reply latency percentiles (medians over reps) */
    int64_t p90_ns;          /* ... */
    int64_t p99_ns;          /* ... */
    int64_t published;       /* median messages published per run */
    int64_t drops;           /* total drops over all repetitions */
    int ok;                  /* repetitions that completed (the medians are over these) */
    int failed;              /* repetitions that failed (connect, publish or request error) */
};

/* One line of the table: a workload at a payload size, for both servers. */
struct bench_row {
    enum bench_kind kind;                /* the workload */
    int payload;                         /* payload size in bytes */
    struct bench_stat side[BENCH_SIDES]; /* per server */
};

/* The whole comparison. Strings are borrowed. */
struct bench_report {
    const char *label[BENCH_SIDES];    /* "nats", "gannet" */
    const char *path[BENCH_SIDES];     /* server binaries */
    char version[BENCH_SIDES][32];     /* "version" of their INFO */
    const struct bench_row *rows;      /* rows, in run order */
    int nrows;                         /* number of rows */
    int64_t idle_rss_kib[BENCH_SIDES]; /* VmRSS 1 s after start, no client connected */
    int64_t peak_rss_kib[BENCH_SIDES]; /* VmHWM after the whole run */
    int64_t startup_ns[BENCH_SIDES];   /* median spawn → INFO time */
    int startups;                      /* number of starts behind startup_ns */
    int64_t max_msgs;                  /* run limits, for the header */
    double max_s;                      /* ... */
    int64_t requests;                  /* ... */
    int reps;                          /* repetitions per workload and server */
    double wall_s;                     /* duration of the whole benchmark */
    int failed_runs;                   /* runs that failed, both sides, all rows */
    int restarts[BENCH_SIDES];         /* servers restarted after a failed run */
};

/* Reduces <n> repetitions <runs> of workload <kind> with <payload>-byte messages to medians in
 * <out>, leaving out runs marked failed (counted in out->failed). With no completed run every
 * figure is zero. */
void bench_stat_reduce(enum bench_kind kind, int payload, const struct bench_result *runs, int n,
                       struct bench_stat *out);

/* Returns the median of <v>[<n>] (sorting <v>): the mean of the middle two for even <n>, 0 for
 * <n> <= 0. */
double bench_median(double *v, int n);

/* Formats <v> rounded to an integer with thousands separators ("1,234,567") into <buf> of
 * <cap> bytes; returns <buf>. */
const char *bench_fmt_int(char *buf, size_t cap, double v);

/* A table cell: "fail" when <ok> is 0 (no run of that side completed), else <v> with <prec>
 * decimals, or as an integer with thousands separators when <prec> is negative. Returns <buf>. */
const char *bench_fmt_cell(char *buf, size_t cap, int ok, double v, int prec);

/* Formats the ratio <b>/<a> with 2 decimals, or "n/a" when either is zero (nothing measured),
 * into <buf> of <cap> bytes; returns <buf>. */
const char *bench_fmt_ratio(char *buf, size_t cap, double a, double b);

/* Writes the markdown bullet describing this machine (cores, CPU model, kernel) to <f>. */
void bench_print_machine(FILE *f);

/* Writes <r> as markdown (a heading, notes on the method, three tables) to <f>. */
void bench_report_markdown(FILE *f, const struct bench_report *r);

/* Writes <r> as long-form CSV to the file <path> (created or truncated). Returns 0, or -1 after
 * printing the reason to stderr. */
int bench_report_csv(const char *path, const struct bench_report *r);

#endif
