/* Results of the side-by-side benchmark: medians over repetitions, markdown table and CSV.
 *
 * Each metric takes its own median over the repetitions (so the median throughput and the
 * median CPU per message may come from different runs); drops are summed, never hidden.
 */
#include "bench_report.h"

#include <nats/nats.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define REPS_MAX 64

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

double bench_median(double *v, int n)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_stat_reduce(enum bench_kind kind, int payload, const struct bench_result *runs, int n,
                       struct bench_stat *out)
{
    double rate[REPS_MAX], cpu_pub[REPS_MAX], cpu_del[REPS_MAX];
    double p50[REPS_MAX], p90[REPS_MAX], p99[REPS_MAX], pub[REPS_MAX];

    memset(out, 0, sizeof(*out));
    if (n > REPS_MAX)
        n = REPS_MAX;
    for (int j = 0; j < n; j++) {
        const struct bench_result *r = &runs[j];
        int64_t count = kind == BENCH_PUB ? r->published : r->received;
        double secs = r->elapsed_ns > 0 ? (double)r->elapsed_ns / 1e9 : 1e-9;
        int i = out->ok;

        if (r->failed) {
            out->failed++;
            continue;
        }
        rate[i] = (double)count / secs;
        cpu_pub[i] = r->published > 0 ? (double)r->cpu_ns / (double)r->published : 0;
        cpu_del[i] = r->received > 0 ? (double)r->cpu_ns / (double)r->received : 0;
        p50[i] = (double)r->p50_ns;
        p90[i] = (double)r->p90_ns;
        p99[i] = (double)r->p99_ns;
        pub[i] = (double)r->published;
        out->drops += r->drops;
        out->ok++;
    }
    n = out->ok;
    out->msgs_per_s = bench_median(rate, n);
    out->mb_per_s = out->msgs_per_s * payload / 1e6;
    out->cpu_ns_per_pub = bench_median(cpu_pub, n);
    out->cpu_ns_per_deliv = kind == BENCH_PUB ? 0 : bench_median(cpu_del, n);
    out->p50_ns = (int64_t)bench_median(p50, n);
    out->p90_ns = (int64_t)bench_median(p90, n);
    out->p99_ns = (int64_t)bench_median(p99, n);
    out->published = (int64_t)bench_median(pub, n);
}

const char *bench_fmt_int(char *buf, size_t cap, double v)
{
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%.0f", v < 0 ? 0 : v);
    size_t o = 0;

    for (int i = 0; i < len && o + 2 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

const char *bench_fmt_ratio(char *buf, size_t cap, double a, double b)
{
    if (a <= 0 || b <= 0)
        snprintf(buf, cap, "n/a");
    else
        snprintf(buf, cap, "%.2f", b / a);
    return buf;
}

const char *bench_fmt_cell(char *buf, size_t cap, int ok, double v, int prec)
{
    if (ok == 0)
        snprintf(buf, cap, "fail");
    else if (prec < 0)
        bench_fmt_int(buf, cap, v);
    else
        snprintf(buf, cap, "%.*f", prec, v);
    return buf;
}

/* A table cell for the figure <v> of <st> (see bench_fmt_cell). */
static const char *cell(char *buf, size_t cap, const struct bench_stat *st, double v, int prec)
{
    return bench_fmt_cell(buf, cap, st->ok, v, prec);
}

/* The drops cell: "a/b", plus the failed runs of each side if there were any. */
static const char *cell_drops(char *buf, size_t cap, const struct bench_stat *sa,
                              const struct bench_stat *sb)
{
    int n = snprintf(buf, cap, "%lld/%lld", (long long)sa->drops, (long long)sb->drops);

    if ((sa->failed || sb->failed) && n > 0 && (size_t)n < cap)
        snprintf(buf + n, cap - (size_t)n, " (failed runs %d/%d)", sa->failed, sb->failed);
    return buf;
}

static void cpu_model(char *out, size_t cap)
{
    char line[256];
    FILE *f = fopen("/proc/cpuinfo", "r");

    snprintf(out, cap, "unknown CPU");
    if (f == NULL)
        return;
    while (fgets(line, sizeof(line), f) != NULL) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
            snprintf(out, cap, "%s", colon + 2);
            out[strcspn(out, "\n")] = '\0';
            break;
        }
    }
    fclose(f);
}

void bench_print_machine(FILE *f)
{
    struct utsname u;
    char cpu[128];

    cpu_model(cpu, sizeof(cpu));
    if (uname(&u) != 0)
        snprintf(u.release, sizeof(u.release), "?");
    fprintf(f, "- Machine: %ld cores, %s, Linux %s. Client and servers share it.\n",
            sysconf(_SC_NPROCESSORS_ONLN), cpu, u.release);
}

static void print_header(FILE *f, const struct bench_report *r)
{
    fprintf(f, "## Core server: %s vs %s\n\n", r->label[1], r->label[0]);
    bench_print_machine(f);
    for (int s = 0; s < BENCH_SIDES; s++)
        fprintf(f, "- %s: `%s` (INFO version %s)\n", r->label[s], r->path[s], r->version[s]);
    if (strcmp(r->path[0], r->path[1]) == 0)
        fprintf(f,
                "- Both sides run the same binary: a calibration run, ratios should be ~1.00.\n");
    fprintf(f,
            "- Load: libnats %s, one generator process for both servers, servers alternated "
            "per workload. Each throughput run publishes up to %lld messages or for %.1f s, "
            "whichever comes first; request/reply sends up to %lld sequential requests. Every "
            "figure is the median of %d run(s).\n\n",
            nats_GetVersion(), (long long)r->max_msgs, r->max_s, (long long)r->requests, r->reps);
}

static void print_throughput(FILE *f, const struct bench_report *r)
{
    const char *a = r->label[0];
    const char *b = r->label[1];
    char x[9][48];

    fprintf(f, "### Throughput\n\n");
    fprintf(f,
            "msgs/s is counted at the receivers and summed over subscribers (pub: at the "
            "publisher, ending with a PING/PONG round trip). MB/s counts payload bytes only. "
            "CPU is the server's user+system time per *published* message (a 4-subscriber "
            "fan-out delivers 4 messages per publish). Ratios are %s / %s: above 1 is better "
            "for throughput, below 1 is better for CPU.\n\n",
            b, a);
    fprintf(f,
            "| workload | payload | %s msgs/s | %s msgs/s | ratio | %s MB/s | %s MB/s "
            "| %s CPU ns/msg | %s CPU ns/msg | ratio | drops (%s/%s) |\n",
            a, b, a, b, a, b, a, b);
    fprintf(f, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (int i = 0; i < r->nrows; i++) {
        const struct bench_row *row = &r->rows[i];
        const struct bench_stat *sa = &row->side[0];
        const struct bench_stat *sb = &row->side[1];

        if (row->kind == BENCH_REQREP)
            continue;
        fprintf(f, "| %s | %d B | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                bench_kind_name(row->kind), row->payload,
                cell(x[0], sizeof(x[0]), sa, sa->msgs_per_s, -1),
                cell(x[1], sizeof(x[1]), sb, sb->msgs_per_s, -1),
                bench_fmt_ratio(x[2], sizeof(x[2]), sa->msgs_per_s, sb->msgs_per_s),
                cell(x[3], sizeof(x[3]), sa, sa->mb_per_s, 1),
                cell(x[4], sizeof(x[4]), sb, sb->mb_per_s, 1),
                cell(x[5], sizeof(x[5]), sa, sa->cpu_ns_per_pub, -1),
                cell(x[6], sizeof(x[6]), sb, sb->cpu_ns_per_pub, -1),
                bench_fmt_ratio(x[7], sizeof(x[7]), sa->cpu_ns_per_pub, sb->cpu_ns_per_pub),
                cell_drops(x[8], sizeof(x[8]), sa, sb));
    }
    fprintf(f, "\n");
}

static void print_latency(FILE *f, const struct bench_report *r)
{
    const char *a = r->label[0];
    const char *b = r->label[1];
    char x[11][48];
    bool any = false;

    for (int i = 0; i < r->nrows; i++)
        any = any || r->rows[i].kind == BENCH_REQREP;
    if (!any)
        return;
    fprintf(f, "### Request/reply latency\n\n");
    fprintf(f, "Sequential requests (natsConnection_Request) to one responder on its own "
               "connection; round-trip time in µs. CPU is the server's time per request "
               "(a request and its reply).\n\n");
    fprintf(f,
            "| payload | %s p50 | %s p50 | %s p90 | %s p90 | %s p99 | %s p99 | p50 ratio "
            "| p99 ratio | %s CPU ns/req | %s CPU ns/req | ratio |\n",
            a, b, a, b, a, b, a, b);
    fprintf(f, "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (int i = 0; i < r->nrows; i++) {
        const struct bench_row *row = &r->rows[i];
        const struct bench_stat *sa = &row->side[0];
        const struct bench_stat *sb = &row->side[1];

        if (row->kind != BENCH_REQREP)
            continue;
        fprintf(f, "| %d B | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                row->payload, cell(x[0], sizeof(x[0]), sa, sa->p50_ns / 1e3, 1),
                cell(x[1], sizeof(x[1]), sb, sb->p50_ns / 1e3, 1),
                cell(x[2], sizeof(x[2]), sa, sa->p90_ns / 1e3, 1),
                cell(x[3], sizeof(x[3]), sb, sb->p90_ns / 1e3, 1),
                cell(x[4], sizeof(x[4]), sa, sa->p99_ns / 1e3, 1),
                cell(x[5], sizeof(x[5]), sb, sb->p99_ns / 1e3, 1),
                bench_fmt_ratio(x[6], sizeof(x[6]), (double)sa->p50_ns, (double)sb->p50_ns),
                bench_fmt_ratio(x[7], sizeof(x[7]), (double)sa->p99_ns, (double)sb->p99_ns),
                cell(x[8], sizeof(x[8]), sa, sa->cpu_ns_per_pub, -1),
                cell(x[9], sizeof(x[9]), sb, sb->cpu_ns_per_pub, -1),
                bench_fmt_ratio(x[10], sizeof(x[10]), sa->cpu_ns_per_pub, sb->cpu_ns_per_pub));
    }
    fprintf(f, "\n");
}

static void print_process(FILE *f, const struct bench_report *r)
{
    char x[48];

    fprintf(f, "### Process\n\n");
    fprintf(f, "| metric | %s | %s | ratio |\n|---|--:|--:|--:|\n", r->label[0], r->label[1]);
    fprintf(f, "| idle RSS (MiB, 1 s after start, no clients) | %.1f | %.1f | %s |\n",
            r->idle_rss_kib[0] / 1024.0, r->idle_rss_kib[1] / 1024.0,
            bench_fmt_ratio(x, sizeof(x), (double)r->idle_rss_kib[0], (double)r->idle_rss_kib[1]));
    fprintf(f, "| peak RSS (MiB, VmHWM after the run) | %.1f | %.1f | %s |\n",
            r->peak_rss_kib[0] / 1024.0, r->peak_rss_kib[1] / 1024.0,
            bench_fmt_ratio(x, sizeof(x), (double)r->peak_rss_kib[0], (double)r->peak_rss_kib[1]));
    fprintf(f, "| start-up (ms, spawn → INFO, median of %d) | %.2f | %.2f | %s |\n", r->startups,
            r->startup_ns[0] / 1e6, r->startup_ns[1] / 1e6,
            bench_fmt_ratio(x, sizeof(x), (double)r->startup_ns[0], (double)r->startup_ns[1]));
    fprintf(f, "\nWhole benchmark: %.0f s.\n", r->wall_s);
    if (r->failed_runs > 0)
        fprintf(f,
                "\n**%d run(s) failed** (connect, publish or request error); they are left out "
                "of the medians, and the server was restarted after each (%s %d, %s %d times).\n",
                r->failed_runs, r->label[0], r->restarts[0], r->label[1], r->restarts[1]);
}

void bench_report_markdown(FILE *f, const struct bench_report *r)
{
    print_header(f, r);
    print_throughput(f, r);
    print_latency(f, r);
    print_process(f, r);
    fflush(f);
}

static void csv_row(FILE *f, const char *work, int payload, const char *server, const char *metric,
                    double value)
{
    fprintf(f, "%s,%d,%s,%s,%.3f\n", work, payload, server, metric, value);
}

int bench_report_csv(const char *path, const struct bench_report *r)
{
    FILE *f = fopen(path, "w");

    if (f == NULL) {
        perror(path);
        return -1;
    }
    fprintf(f, "workload,payload,server,metric,value\n");
    for (int i = 0; i < r->nrows; i++) {
        const struct bench_row *row = &r->rows[i];
        const char *w = bench_kind_name(row->kind);

        for (int s = 0; s < BENCH_SIDES; s++) {
            const struct bench_stat *st = &row->side[s];
            const char *l = r->label[s];

            csv_row(f, w, row->payload, l, "msgs_per_s", st->msgs_per_s);
            csv_row(f, w, row->payload, l, "mb_per_s", st->mb_per_s);
            csv_row(f, w, row->payload, l, "cpu_ns_per_pub", st->cpu_ns_per_pub);
            csv_row(f, w, row->payload, l, "cpu_ns_per_delivery", st->cpu_ns_per_deliv);
            csv_row(f, w, row->payload, l, "published", (double)st->published);
            csv_row(f, w, row->payload, l, "drops", (double)st->drops);
            csv_row(f, w, row->payload, l, "failed_runs", (double)st->failed);
            if (row->kind == BENCH_REQREP) {
                csv_row(f, w, row->payload, l, "p50_us", st->p50_ns / 1e3);
                csv_row(f, w, row->payload, l, "p90_us", st->p90_ns / 1e3);
                csv_row(f, w, row->payload, l, "p99_us", st->p99_ns / 1e3);
            }
        }
    }
    for (int s = 0; s < BENCH_SIDES; s++) {
        csv_row(f, "process", 0, r->label[s], "idle_rss_kib", (double)r->idle_rss_kib[s]);
        csv_row(f, "process", 0, r->label[s], "peak_rss_kib", (double)r->peak_rss_kib[s]);
        csv_row(f, "process", 0, r->label[s], "startup_ms", r->startup_ns[s] / 1e6);
    }
    if (fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}
