/* Driver and report of the JetStream consumer workloads (see bench_jsc.h).
 *
 * Both servers run for the whole consumer benchmark with one pre-loaded stream each; every
 * variant runs st->reps times per server, alternating which server goes first. Each figure is
 * the median over the completed runs; errors (wrong deliveries) are summed, so a single bad run
 * shows next to the numbers it casts doubt on.
 */
#include "bench_js.h"
#include "bench_jsc.h"
#include "bench_proc.h"

#include <nats/nats.h>
#include <stdio.h>
#include <string.h>

#define REPS_MAX         64
#define START_TIMEOUT_MS 10000

/* Workload names of the CSV rows, one per variant. */
static const char *const csv_names[BENCH_JSC_VARIANT_COUNT] = {
    "js-fetch-b100",    "js-fetch-b1000",   "js-push-none",
    "js-push-explicit", "js-redeliver-nak", "js-redeliver-expiry"};

/* Medians of one variant on one server. */
struct jsc_stat {
    double msgs_per_s;     /* consumed (or redelivered) messages per second */
    double cpu_ns_per_msg; /* server CPU per such message */
    double lag_ms;         /* BENCH_JSC_EXPIRY: last due → all redelivered and acked */
    int64_t errors;        /* summed over repetitions */
    int ok;                /* completed repetitions */
    int failed;            /* failed repetitions */
};

/* Everything the report needs. */
struct jsc_report {
    const struct bench_jsc_setup *st;                           /* what ran */
    char version[BENCH_SIDES][32];                              /* "version" of their INFO */
    double fill_per_s[BENCH_SIDES];                             /* pre-load rate, acked msgs/s */
    bool ran[BENCH_JSC_VARIANT_COUNT];                          /* variants that ran */
    struct jsc_stat stat[BENCH_JSC_VARIANT_COUNT][BENCH_SIDES]; /* per variant and server */
    int64_t peak_rss_kib[BENCH_SIDES];                          /* VmHWM at the end */
    double wall_s;                                              /* duration */
};

static void reduce(const struct bench_jsc_result *runs, int n, struct jsc_stat *out)
{
    double rate[REPS_MAX], cpu[REPS_MAX], lag[REPS_MAX];

    memset(out, 0, sizeof(*out));
    for (int j = 0; j < n && j < REPS_MAX; j++) {
        const struct bench_jsc_result *r = &runs[j];
        int i = out->ok;

        out->errors += r->errors;
        if (r->failed) {
            out->failed++;
            continue;
        }
        rate[i] = r->elapsed_ns > 0 ? (double)r->msgs / (r->elapsed_ns / 1e9) : 0;
        cpu[i] = r->msgs > 0 ? (double)r->cpu_ns / (double)r->msgs : 0;
        lag[i] = r->lag_ns / 1e6;
        out->ok++;
    }
    out->msgs_per_s = bench_median(rate, out->ok);
    out->cpu_ns_per_msg = bench_median(cpu, out->ok);
    out->lag_ms = bench_median(lag, out->ok);
}

/* Starts the server of <side> with JetStream and pre-loads its stream. Returns 0 or -1. */
static int server_prepare(const struct bench_jsc_setup *st, int side, struct bench_server *srv,
                          struct jsc_report *rep)
{
    struct bench_js_params jp;
    struct bench_js_result fill;

    if (bench_server_start_js(srv, st->path[side], START_TIMEOUT_MS) != 0)
        return -1;
    memcpy(rep->version[side], srv->version, sizeof(rep->version[side]));
    memset(&jp, 0, sizeof(jp));
    jp.max_pending = 4096;
    jp.io_buf = st->params.io_buf;
    jp.ack_wait_ns = 30000000000LL;
    if (bench_js_fill(srv->port, srv->pid, st->params.msgs, (size_t)st->params.payload, &jp,
                      &fill) != 0 ||
        fill.errors != 0 || fill.lost != 0) {
        fprintf(stderr, "gn_bench: pre-loading %s failed\n", st->label[side]);
        return -1;
    }
    rep->fill_per_s[side] = fill.elapsed_ns > 0 ? fill.acked / (fill.elapsed_ns / 1e9) : 0;
    fprintf(stderr, "  jsc pre-load %-7s %lld msgs  %8.0f msgs/s\n", st->label[side],
            (long long)fill.acked, rep->fill_per_s[side]);
    return 0;
}

/* Runs variant <v> st->reps times on both servers and reduces it into <rep>. */
static void run_variant(const struct bench_jsc_setup *st, struct bench_server *srv,
                        enum bench_jsc_variant v, struct jsc_report *rep)
{
    static struct bench_jsc_result res[BENCH_SIDES][REPS_MAX];

    for (int i = 0; i < st->reps; i++) {
        for (int j = 0; j < BENCH_SIDES; j++) {
            int side = (i + j) % BENCH_SIDES;
            struct bench_jsc_result *r = &res[side][i];

            if (bench_jsc_run(v, srv[side].port, srv[side].pid, i, &st->params, r) != 0)
                fprintf(stderr, "gn_bench: %s %s against %s failed\n",
                        bench_jsc_kind_name(bench_jsc_variant_kind(v)), bench_jsc_variant_name(v),
                        st->label[side]);
            fprintf(stderr, "  %-12s %-20s %-7s %9.0f msgs/s  %7.0f ns/msg  errors %lld%s\n",
                    bench_jsc_kind_name(bench_jsc_variant_kind(v)), bench_jsc_variant_name(v),
                    st->label[side], r->elapsed_ns > 0 ? r->msgs / (r->elapsed_ns / 1e9) : 0,
                    r->msgs > 0 ? (double)r->cpu_ns / (double)r->msgs : 0, (long long)r->errors,
                    r->failed ? " FAILED" : "");
        }
    }
    for (int s = 0; s < BENCH_SIDES; s++)
        reduce(res[s], st->reps, &rep->stat[v][s]);
    rep->ran[v] = true;
}

static void print_markdown(FILE *f, const struct jsc_report *rep)
{
    const struct bench_jsc_setup *st = rep->st;
    const char *a = st->label[0], *b = st->label[1];
    char x[10][64];

    fprintf(f, "## JetStream consumers: %s vs %s\n\n", b, a);
    bench_print_machine(f);
    for (int s = 0; s < BENCH_SIDES; s++)
        fprintf(f, "- %s: `%s -js -sd <fresh temp dir>` (INFO version %s)\n", st->label[s],
                st->path[s], rep->version[s]);
    fprintf(f,
            "- Load: libnats %s, one connection per run (buffered writes). Each server's file "
            "stream `%s` is pre-loaded once with %lld messages of %d B (%s %.0f msgs/s, %s %.0f "
            "msgs/s); every run creates a durable consumer on it and deletes it afterwards. "
            "js-fetch and js-push consume all %lld messages (fetch: `natsSubscription_Fetch`, "
            "max_ack_pending 4 × batch; push explicit: max_ack_pending %d); js-redeliver takes "
            "the last %lld. Every message is checked (once, in order, delivery count), and runs "
            "with acks end only when CONSUMER.INFO shows the ack floor at the last message. "
            "Median of %d run(s), servers alternated per run.\n",
            nats_GetVersion(), BENCH_JS_STREAM, (long long)st->params.msgs, st->params.payload, a,
            rep->fill_per_s[0], b, rep->fill_per_s[1], (long long)st->params.msgs,
            BENCH_JSC_PUSH_MAX_ACK, (long long)st->params.redeliver_msgs, st->reps);
    fprintf(f,
            "- js-redeliver *nak*: fetch 100, `-NAK` each, fetch the redeliveries and ack them; "
            "*ack_wait 1 s expiry*: fetch every message without acking, then fetch and ack the "
            "redeliveries; its clock starts when the first message becomes due (first delivery + "
            "1 s), and *lag* is the time from the last message becoming due until all were "
            "redelivered and acked. msgs/s counts redelivered messages; CPU is the server's time "
            "over the whole run (first delivery, nak, redelivery, ack) per message.\n\n");
    fprintf(f,
            "| workload | variant | %s msgs/s | %s msgs/s | ratio | %s CPU ns/msg | %s CPU ns/msg "
            "| ratio | errors (%s/%s) |\n",
            a, b, a, b, a, b);
    fprintf(f, "|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
    for (int v = 0; v < BENCH_JSC_VARIANT_COUNT; v++) {
        const struct jsc_stat *sa = &rep->stat[v][0], *sb = &rep->stat[v][1];

        if (!rep->ran[v])
            continue;
        snprintf(x[8], sizeof(x[8]), "%lld/%lld", (long long)sa->errors, (long long)sb->errors);
        if (sa->failed || sb->failed)
            snprintf(x[9], sizeof(x[9]), " (failed runs %d/%d)", sa->failed, sb->failed);
        else
            x[9][0] = '\0';
        fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s | %s%s |\n",
                bench_jsc_kind_name(bench_jsc_variant_kind((enum bench_jsc_variant)v)),
                bench_jsc_variant_name((enum bench_jsc_variant)v),
                bench_fmt_cell(x[0], sizeof(x[0]), sa->ok, sa->msgs_per_s, -1),
                bench_fmt_cell(x[1], sizeof(x[1]), sb->ok, sb->msgs_per_s, -1),
                bench_fmt_ratio(x[2], sizeof(x[2]), sa->msgs_per_s, sb->msgs_per_s),
                bench_fmt_cell(x[3], sizeof(x[3]), sa->ok, sa->cpu_ns_per_msg, -1),
                bench_fmt_cell(x[4], sizeof(x[4]), sb->ok, sb->cpu_ns_per_msg, -1),
                bench_fmt_ratio(x[5], sizeof(x[5]), sa->cpu_ns_per_msg, sb->cpu_ns_per_msg), x[8],
                x[9]);
    }
    if (rep->ran[BENCH_JSC_EXPIRY])
        fprintf(f,
                "\nack_wait expiry lag (last message due → all redelivered and acked): %s %.0f "
                "ms, %s %.0f ms.\n",
                a, rep->stat[BENCH_JSC_EXPIRY][0].lag_ms, b, rep->stat[BENCH_JSC_EXPIRY][1].lag_ms);
    fprintf(f, "\nPeak RSS (VmHWM): %s %.1f MiB, %s %.1f MiB. Whole consumer benchmark: %.0f s.\n",
            a, rep->peak_rss_kib[0] / 1024.0, b, rep->peak_rss_kib[1] / 1024.0, rep->wall_s);
    fflush(f);
}

static int write_csv(const char *path, bool append, const struct jsc_report *rep)
{
    FILE *f = fopen(path, append ? "a" : "w");

    if (f == NULL) {
        perror(path);
        return -1;
    }
    if (!append)
        fprintf(f, "workload,payload,server,metric,value\n");
    for (int v = 0; v < BENCH_JSC_VARIANT_COUNT; v++) {
        const char *w = csv_names[v];

        if (!rep->ran[v])
            continue;
        for (int s = 0; s < BENCH_SIDES; s++) {
            const struct jsc_stat *st = &rep->stat[v][s];
            const char *l = rep->st->label[s];
            int pl = rep->st->params.payload;

            fprintf(f, "%s,%d,%s,msgs_per_s,%.3f\n", w, pl, l, st->msgs_per_s);
            fprintf(f, "%s,%d,%s,cpu_ns_per_msg,%.3f\n", w, pl, l, st->cpu_ns_per_msg);
            fprintf(f, "%s,%d,%s,lag_ms,%.3f\n", w, pl, l, st->lag_ms);
            fprintf(f, "%s,%d,%s,errors,%lld\n", w, pl, l, (long long)st->errors);
            fprintf(f, "%s,%d,%s,failed_runs,%d\n", w, pl, l, st->failed);
        }
    }
    if (fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

int bench_jsc_main(const struct bench_jsc_setup *st, const char *csv, bool append)
{
    static struct jsc_report rep;
    struct bench_server srv[BENCH_SIDES];
    int64_t t0 = bench_now_ns(), problems = 0;
    int rc = 0;

    memset(&rep, 0, sizeof(rep));
    memset(srv, 0, sizeof(srv));
    rep.st = st;
    for (int s = 0; s < BENCH_SIDES && rc == 0; s++)
        rc = server_prepare(st, s, &srv[s], &rep);
    for (int v = 0; v < BENCH_JSC_VARIANT_COUNT && rc == 0; v++) {
        if (st->kinds[bench_jsc_variant_kind((enum bench_jsc_variant)v)])
            run_variant(st, srv, (enum bench_jsc_variant)v, &rep);
    }
    for (int s = 0; s < BENCH_SIDES; s++) {
        if (srv[s].pid > 0)
            rep.peak_rss_kib[s] = bench_proc_status_kib(srv[s].pid, "VmHWM");
        bench_server_stop(&srv[s]);
    }
    if (rc != 0)
        return 1;
    rep.wall_s = (bench_now_ns() - t0) / 1e9;
    if (append)
        printf("\n");
    print_markdown(stdout, &rep);
    if (csv != NULL && write_csv(csv, append, &rep) != 0)
        return 1;
    for (int v = 0; v < BENCH_JSC_VARIANT_COUNT; v++) {
        for (int s = 0; s < BENCH_SIDES; s++)
            problems += rep.stat[v][s].errors + rep.stat[v][s].failed;
    }
    return problems > 0 ? 3 : 0;
}
