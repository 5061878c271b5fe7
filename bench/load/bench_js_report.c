/* JetStream part of the side-by-side benchmark: medians, markdown section and CSV rows.
 *
 * Like the core report, each metric takes its own median over the repetitions, and errors and
 * lost messages are summed so that a single bad run shows. The durability difference between
 * the servers is stated in the section header, next to the numbers it explains.
 */
#include "bench_js_report.h"

#include <nats/nats.h>
#include <stdlib.h>
#include <string.h>

#define REPS_MAX 64

static const char *const stop_names[BENCH_JS_STOPS] = {"SIGTERM", "SIGKILL"};

void bench_js_stat_reduce(enum bench_js_kind kind, int payload, const struct bench_js_result *runs,
                          int n, struct bench_js_stat *out)
{
    double rate[REPS_MAX], cpu[REPS_MAX], p50[REPS_MAX], p90[REPS_MAX], p99[REPS_MAX];
    double acked[REPS_MAX];

    memset(out, 0, sizeof(*out));
    if (n > REPS_MAX)
        n = REPS_MAX;
    for (int j = 0; j < n; j++) {
        const struct bench_js_result *r = &runs[j];
        double secs = r->elapsed_ns > 0 ? (double)r->elapsed_ns / 1e9 : 1e-9;
        int i = out->ok;

        if (r->failed) {
            out->failed++;
            continue;
        }
        rate[i] = (double)r->acked / secs;
        cpu[i] = r->acked > 0 ? (double)r->cpu_ns / (double)r->acked : 0;
        p50[i] = (double)r->p50_ns;
        p90[i] = (double)r->p90_ns;
        p99[i] = (double)r->p99_ns;
        acked[i] = (double)r->acked;
        out->errors += r->errors;
        out->lost += r->lost < 0 ? -r->lost : r->lost;
        out->ok++;
    }
    n = out->ok;
    out->msgs_per_s = bench_median(rate, n);
    out->mb_per_s = out->msgs_per_s * payload / 1e6;
    out->cpu_ns_per_msg = bench_median(cpu, n);
    if (kind == BENCH_JS_SYNC) {
        out->p50_ns = (int64_t)bench_median(p50, n);
        out->p90_ns = (int64_t)bench_median(p90, n);
        out->p99_ns = (int64_t)bench_median(p99, n);
    }
    out->acked = (int64_t)bench_median(acked, n);
}

void bench_js_restart_reduce(const struct bench_js_restart *runs, int n,
                             struct bench_js_restart *out)
{
    double v[8][REPS_MAX];

    memset(out, 0, sizeof(*out));
    if (n > REPS_MAX)
        n = REPS_MAX;
    for (int j = 0; j < n; j++) {
        const struct bench_js_restart *r = &runs[j];
        int i = out->ok;

        out->errors += r->errors;
        out->exit_code = r->exit_code;
        if (r->failed) {
            out->failed++;
            continue;
        }
        v[0][i] = (double)r->msgs;
        v[1][i] = r->fill_per_s;
        v[2][i] = (double)r->store_kib;
        v[3][i] = (double)r->stop_ns;
        v[4][i] = (double)r->info_ns;
        v[5][i] = (double)r->ready_ns;
        v[6][i] = (double)r->count;
        v[7][i] = (double)r->rss_kib;
        out->lost += r->lost < 0 ? -r->lost : r->lost;
        out->ok++;
    }
    n = out->ok;
    out->msgs = (int64_t)bench_median(v[0], n);
    out->fill_per_s = bench_median(v[1], n);
    out->store_kib = (int64_t)bench_median(v[2], n);
    out->stop_ns = (int64_t)bench_median(v[3], n);
    out->info_ns = (int64_t)bench_median(v[4], n);
    out->ready_ns = (int64_t)bench_median(v[5], n);
    out->count = (int64_t)bench_median(v[6], n);
    out->rss_kib = (int64_t)bench_median(v[7], n);
}

/* A table cell (see bench_fmt_cell). */
static const char *cell(char *buf, size_t cap, int ok, double v, int prec)
{
    return bench_fmt_cell(buf, cap, ok, v, prec);
}

/* The errors cell: "a/b", then lost messages and failed runs when there were any. */
static const char *cell_errors(char *buf, size_t cap, const struct bench_js_stat *sa,
                               const struct bench_js_stat *sb)
{
    int n = snprintf(buf, cap, "%lld/%lld", (long long)sa->errors, (long long)sb->errors);

    if ((sa->lost || sb->lost) && n > 0 && (size_t)n < cap)
        n += snprintf(buf + n, cap - (size_t)n, ", **lost %lld/%lld**", (long long)sa->lost,
                      (long long)sb->lost);
    if ((sa->failed || sb->failed) && n > 0 && (size_t)n < cap)
        snprintf(buf + n, cap - (size_t)n, " (failed runs %d/%d)", sa->failed, sb->failed);
    return buf;
}

static void print_header(FILE *f, const struct bench_js_report *r)
{
    const struct bench_js_setup *st = r->setup;
    const struct bench_js_params *p = &st->params;

    fprintf(f, "## JetStream: %s vs %s\n\n", st->label[1], st->label[0]);
    bench_print_machine(f);
    for (int s = 0; s < BENCH_SIDES; s++)
        fprintf(f, "- %s: `%s -js -sd <fresh temp dir>` (INFO version %s)\n", st->label[s],
                st->path[s], r->version[s]);
    if (strcmp(st->path[0], st->path[1]) == 0)
        fprintf(f, "- Both sides run the same binary: a calibration run, ratios should be "
                   "~1.00.\n");
    fprintf(f,
            "- **Durability differs.** %s acknowledges a publish to a file stream only after "
            "its record is on disk (fdatasync; group commit, one sync per event-loop iteration "
            "covering every message appended in it). nats-server 2.9 acknowledges once the "
            "message is in its write buffer and syncs every 2 minutes. File-storage figures "
            "compare a durable ack with an unsynced one; memory storage is like for like.\n",
            st->label[1]);
    fprintf(f,
            "- Load: libnats %s, one connection per run, stream `%s` (subject `%s`, 1 replica, "
            "limits retention) deleted and created afresh for every run. js-sync: up to %lld "
            "sequential `js_Publish` or %.1f s; js-async: `js_PublishAsync` with MaxPending %d, "
            "up to %lld messages or %.1f s, then `js_PublishAsyncComplete`. Only acked messages "
            "count, and after every run STREAM.INFO must report exactly the acked count. Every "
            "figure is the median of %d run(s), servers alternated per run.\n\n",
            nats_GetVersion(), BENCH_JS_STREAM, BENCH_JS_SUBJECT, (long long)p->sync_msgs,
            p->sync_ns / 1e9, p->max_pending, (long long)p->async_msgs, p->async_ns / 1e9,
            st->reps);
}

static void print_sync(FILE *f, const struct bench_js_report *r)
{
    const char *a = r->setup->label[0];
    const char *b = r->setup->label[1];
    char x[12][64];

    fprintf(f, "### Synchronous publish latency\n\n");
    fprintf(f,
            "One `js_Publish` at a time; publish → PubAck round trip in µs. CPU is the "
            "server's user+system time per acked message. Ratios are %s / %s (below 1 is "
            "better).\n\n",
            b, a);
    fprintf(f,
            "| storage | payload | %s p50 | %s p50 | %s p99 | %s p99 | p50 ratio | p99 ratio "
            "| %s CPU µs/msg | %s CPU µs/msg | ratio | msgs (%s/%s) | errors (%s/%s) |\n",
            a, b, a, b, a, b, a, b, a, b);
    fprintf(f, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (int i = 0; i < r->nrows; i++) {
        const struct bench_js_row *row = &r->rows[i];
        const struct bench_js_stat *sa = &row->side[0];
        const struct bench_js_stat *sb = &row->side[1];

        if (row->kind != BENCH_JS_SYNC)
            continue;
        fprintf(f, "| %s | %d B | %s | %s | %s | %s | %s | %s | %s | %s | %s | %lld/%lld | %s |\n",
                bench_js_storage_name(row->storage), row->payload,
                cell(x[0], sizeof(x[0]), sa->ok, sa->p50_ns / 1e3, 1),
                cell(x[1], sizeof(x[1]), sb->ok, sb->p50_ns / 1e3, 1),
                cell(x[2], sizeof(x[2]), sa->ok, sa->p99_ns / 1e3, 1),
                cell(x[3], sizeof(x[3]), sb->ok, sb->p99_ns / 1e3, 1),
                bench_fmt_ratio(x[4], sizeof(x[4]), (double)sa->p50_ns, (double)sb->p50_ns),
                bench_fmt_ratio(x[5], sizeof(x[5]), (double)sa->p99_ns, (double)sb->p99_ns),
                cell(x[6], sizeof(x[6]), sa->ok, sa->cpu_ns_per_msg / 1e3, 1),
                cell(x[7], sizeof(x[7]), sb->ok, sb->cpu_ns_per_msg / 1e3, 1),
                bench_fmt_ratio(x[8], sizeof(x[8]), sa->cpu_ns_per_msg, sb->cpu_ns_per_msg),
                (long long)sa->acked, (long long)sb->acked,
                cell_errors(x[9], sizeof(x[9]), sa, sb));
    }
    fprintf(f, "\n");
}

static void print_async(FILE *f, const struct bench_js_report *r)
{
    const char *a = r->setup->label[0];
    const char *b = r->setup->label[1];
    char x[10][64];

    fprintf(f, "### Asynchronous publish throughput (%d in flight)\n\n",
            r->setup->params.max_pending);
    fprintf(f,
            "Acked messages per second, first publish → last PubAck. MB/s counts payload bytes "
            "only. CPU is the server's time per acked message. Ratios are %s / %s: above 1 is "
            "better for throughput, below 1 for CPU.\n\n",
            b, a);
    fprintf(f,
            "| storage | payload | %s msgs/s | %s msgs/s | ratio | %s MB/s | %s MB/s "
            "| %s CPU ns/msg | %s CPU ns/msg | ratio | errors (%s/%s) |\n",
            a, b, a, b, a, b, a, b);
    fprintf(f, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (int i = 0; i < r->nrows; i++) {
        const struct bench_js_row *row = &r->rows[i];
        const struct bench_js_stat *sa = &row->side[0];
        const struct bench_js_stat *sb = &row->side[1];

        if (row->kind != BENCH_JS_ASYNC)
            continue;
        fprintf(f, "| %s | %d B | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                bench_js_storage_name(row->storage), row->payload,
                cell(x[0], sizeof(x[0]), sa->ok, sa->msgs_per_s, -1),
                cell(x[1], sizeof(x[1]), sb->ok, sb->msgs_per_s, -1),
                bench_fmt_ratio(x[2], sizeof(x[2]), sa->msgs_per_s, sb->msgs_per_s),
                cell(x[3], sizeof(x[3]), sa->ok, sa->mb_per_s, 1),
                cell(x[4], sizeof(x[4]), sb->ok, sb->mb_per_s, 1),
                cell(x[5], sizeof(x[5]), sa->ok, sa->cpu_ns_per_msg, -1),
                cell(x[6], sizeof(x[6]), sb->ok, sb->cpu_ns_per_msg, -1),
                bench_fmt_ratio(x[7], sizeof(x[7]), sa->cpu_ns_per_msg, sb->cpu_ns_per_msg),
                cell_errors(x[8], sizeof(x[8]), sa, sb));
    }
    fprintf(f, "\n");
}

/* One metric row of the restart table: <field> indexes the figure (order of `all` below), shown
 * divided by <scale> with <prec> decimals. */
static void restart_line(FILE *f, const struct bench_js_report *r, const char *name, int field,
                         double scale, int prec)
{
    char x[3][48];

    fprintf(f, "| %s |", name);
    for (int k = 0; k < BENCH_JS_STOPS; k++) {
        double v[BENCH_SIDES];

        for (int s = 0; s < BENCH_SIDES; s++) {
            const struct bench_js_restart *m = &r->restart[k][s];
            const double all[] = {m->fill_per_s,      (double)m->store_kib, (double)m->stop_ns,
                                  (double)m->info_ns, (double)m->ready_ns,  (double)m->count,
                                  (double)m->rss_kib};
            v[s] = all[field] / scale;
        }
        fprintf(f, " %s | %s | %s |", cell(x[0], sizeof(x[0]), r->restart[k][0].ok, v[0], prec),
                cell(x[1], sizeof(x[1]), r->restart[k][1].ok, v[1], prec),
                bench_fmt_ratio(x[2], sizeof(x[2]), v[0], v[1]));
    }
    fprintf(f, "\n");
}

static void print_restart(FILE *f, const struct bench_js_report *r)
{
    const struct bench_js_setup *st = r->setup;
    const char *a = st->label[0];
    const char *b = st->label[1];

    if (!r->restart_ran)
        return;
    fprintf(f, "### Restart with %lld messages of %d B (file storage)\n\n",
            (long long)st->restart_msgs, st->restart_payload);
    fprintf(f,
            "A fresh server fills the stream (async publish, every message acked), is stopped "
            "with the signal, and is started again on the same store dir. *Ready* is spawn → the "
            "port sends INFO and STREAM.INFO reports the acked count (polled every ~1 ms over "
            "one connection). Median of %d run(s).\n\n",
            st->restart_reps);
    fprintf(f, "| metric | %s (TERM) | %s (TERM) | ratio | %s (KILL) | %s (KILL) | ratio |\n", a, b,
            a, b);
    fprintf(f, "|---|--:|--:|--:|--:|--:|--:|\n");
    restart_line(f, r, "fill rate (acked msgs/s)", 0, 1, -1);
    restart_line(f, r, "store on disk after the stop (MiB)", 1, 1024, 1);
    restart_line(f, r, "signal → exit (ms)", 2, 1e6, 1);
    fprintf(f, "| exit status |");
    for (int k = 0; k < BENCH_JS_STOPS; k++) {
        for (int s = 0; s < BENCH_SIDES; s++) {
            int code = r->restart[k][s].exit_code;
            if (r->restart[k][s].ok == 0)
                fprintf(f, " fail |");
            else if (code < 0)
                fprintf(f, " signal %d |", -code);
            else
                fprintf(f, " %d |", code);
        }
        fprintf(f, " |");
    }
    fprintf(f, "\n");
    restart_line(f, r, "spawn → INFO (ms)", 3, 1e6, 1);
    restart_line(f, r, "**spawn → stream ready (ms)**", 4, 1e6, 1);
    restart_line(f, r, "messages after restart", 5, 1, -1);
    restart_line(f, r, "RSS when ready (MiB)", 6, 1024, 1);
    for (int k = 0; k < BENCH_JS_STOPS; k++) {
        const struct bench_js_restart *ra = &r->restart[k][0];
        const struct bench_js_restart *rb = &r->restart[k][1];

        if (ra->errors || rb->errors || ra->lost || rb->lost || ra->failed || rb->failed)
            fprintf(f,
                    "\n**%s: errors %lld/%lld, lost messages %lld/%lld, failed runs %d/%d** "
                    "(%s/%s).\n",
                    stop_names[k], (long long)ra->errors, (long long)rb->errors,
                    (long long)ra->lost, (long long)rb->lost, ra->failed, rb->failed, a, b);
    }
    fprintf(f, "\n");
}

int64_t bench_js_report_problems(const struct bench_js_report *r)
{
    int64_t n = r->failed_runs;

    for (int i = 0; i < r->nrows; i++) {
        for (int s = 0; s < BENCH_SIDES; s++)
            n += r->rows[i].side[s].errors + r->rows[i].side[s].lost;
    }
    for (int k = 0; r->restart_ran && k < BENCH_JS_STOPS; k++) {
        for (int s = 0; s < BENCH_SIDES; s++)
            n += r->restart[k][s].errors + r->restart[k][s].lost;
    }
    return n;
}

void bench_js_report_markdown(FILE *f, const struct bench_js_report *r)
{
    const struct bench_js_setup *st = r->setup;
    char x[48];

    print_header(f, r);
    if (st->kinds[BENCH_JS_SYNC])
        print_sync(f, r);
    if (st->kinds[BENCH_JS_ASYNC])
        print_async(f, r);
    print_restart(f, r);
    if (r->nrows > 0) {
        fprintf(f, "### Process (JetStream enabled)\n\n");
        fprintf(f, "| metric | %s | %s | ratio |\n|---|--:|--:|--:|\n", st->label[0], st->label[1]);
        fprintf(
            f, "| idle RSS (MiB, 1 s after start, no clients) | %.1f | %.1f | %s |\n",
            r->idle_rss_kib[0] / 1024.0, r->idle_rss_kib[1] / 1024.0,
            bench_fmt_ratio(x, sizeof(x), (double)r->idle_rss_kib[0], (double)r->idle_rss_kib[1]));
        fprintf(
            f, "| peak RSS (MiB, VmHWM after js-sync/js-async) | %.1f | %.1f | %s |\n\n",
            r->peak_rss_kib[0] / 1024.0, r->peak_rss_kib[1] / 1024.0,
            bench_fmt_ratio(x, sizeof(x), (double)r->peak_rss_kib[0], (double)r->peak_rss_kib[1]));
        fprintf(f, "Peak RSS includes the memory streams of js-async, as many messages as each "
                   "server acked within the time bound of a run.\n\n");
    }
    fprintf(f, "Whole JetStream benchmark: %.0f s.\n", r->wall_s);
    if (bench_js_report_problems(r) > r->failed_runs)
        fprintf(f, "\n**Publish errors or lost messages occurred** (errors columns and notes "
                   "above): the figures of those rows are suspect.\n");
    if (r->failed_runs > 0)
        fprintf(f,
                "\n**%d run(s) failed**; they are left out of the medians, and the server was "
                "restarted after each (%s %d, %s %d times).\n",
                r->failed_runs, st->label[0], r->restarts[0], st->label[1], r->restarts[1]);
    fflush(f);
}

static void csv_row(FILE *f, const char *work, int payload, const char *server, const char *metric,
                    double value)
{
    fprintf(f, "%s,%d,%s,%s,%.3f\n", work, payload, server, metric, value);
}

static void csv_rows(FILE *f, const struct bench_js_report *r)
{
    char w[64];

    for (int i = 0; i < r->nrows; i++) {
        const struct bench_js_row *row = &r->rows[i];

        snprintf(w, sizeof(w), "%s-%s", bench_js_kind_name(row->kind),
                 bench_js_storage_name(row->storage));
        for (int s = 0; s < BENCH_SIDES; s++) {
            const struct bench_js_stat *st = &row->side[s];
            const char *l = r->setup->label[s];

            csv_row(f, w, row->payload, l, "msgs_per_s", st->msgs_per_s);
            csv_row(f, w, row->payload, l, "mb_per_s", st->mb_per_s);
            csv_row(f, w, row->payload, l, "cpu_ns_per_msg", st->cpu_ns_per_msg);
            csv_row(f, w, row->payload, l, "acked", (double)st->acked);
            csv_row(f, w, row->payload, l, "errors", (double)st->errors);
            csv_row(f, w, row->payload, l, "lost", (double)st->lost);
            csv_row(f, w, row->payload, l, "failed_runs", (double)st->failed);
            if (row->kind == BENCH_JS_SYNC) {
                csv_row(f, w, row->payload, l, "p50_us", st->p50_ns / 1e3);
                csv_row(f, w, row->payload, l, "p90_us", st->p90_ns / 1e3);
                csv_row(f, w, row->payload, l, "p99_us", st->p99_ns / 1e3);
            }
        }
    }
}

static void csv_restart(FILE *f, const struct bench_js_report *r)
{
    const char *names[BENCH_JS_STOPS] = {"js-restart-term", "js-restart-kill"};
    int size = r->setup->restart_payload;

    for (int k = 0; r->restart_ran && k < BENCH_JS_STOPS; k++) {
        for (int s = 0; s < BENCH_SIDES; s++) {
            const struct bench_js_restart *m = &r->restart[k][s];
            const char *l = r->setup->label[s];

            csv_row(f, names[k], size, l, "msgs", (double)m->msgs);
            csv_row(f, names[k], size, l, "fill_msgs_per_s", m->fill_per_s);
            csv_row(f, names[k], size, l, "store_kib", (double)m->store_kib);
            csv_row(f, names[k], size, l, "stop_ms", m->stop_ns / 1e6);
            csv_row(f, names[k], size, l, "info_ms", m->info_ns / 1e6);
            csv_row(f, names[k], size, l, "ready_ms", m->ready_ns / 1e6);
            csv_row(f, names[k], size, l, "count_after", (double)m->count);
            csv_row(f, names[k], size, l, "rss_kib", (double)m->rss_kib);
            csv_row(f, names[k], size, l, "errors", (double)m->errors);
            csv_row(f, names[k], size, l, "lost", (double)m->lost);
            csv_row(f, names[k], size, l, "failed_runs", (double)m->failed);
        }
    }
}

int bench_js_report_csv(const char *path, bool append, const struct bench_js_report *r)
{
    FILE *f = fopen(path, append ? "a" : "w");

    if (f == NULL) {
        perror(path);
        return -1;
    }
    if (!append)
        fprintf(f, "workload,payload,server,metric,value\n");
    csv_rows(f, r);
    csv_restart(f, r);
    for (int s = 0; s < BENCH_SIDES; s++) {
        csv_row(f, "js-process", 0, r->setup->label[s], "idle_rss_kib", (double)r->idle_rss_kib[s]);
        csv_row(f, "js-process", 0, r->setup->label[s], "peak_rss_kib", (double)r->peak_rss_kib[s]);
    }
    if (fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}
