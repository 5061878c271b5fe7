/* gn_bench: side-by-side benchmark of two NATS servers (nats-server and gannet-server).
 *
 * One process starts both servers on free 127.0.0.1 ports, then drives every workload and
 * payload size against each in turn (A then B, B then A on the next repetition) with the same
 * libnats generator, and prints a markdown report (optionally CSV). It also measures start-up
 * time, idle and peak RSS. With --js (or js-* workloads) it runs the JetStream workloads of
 * bench_jsrun.c instead or as well, with --jsc the consumer workloads of bench_jsc.c. Every
 * server it starts is killed on exit, error, or Ctrl-C.
 * Usage: gn_bench --nats PATH --gannet PATH [--quick] [options]; see usage() and README.md.
 */
#include "bench_jsc.h"
#include "bench_jsrun.h"
#include "bench_load.h"
#include "bench_proc.h"
#include "bench_report.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIZES_MAX        8
#define REPS_MAX         64
#define START_TIMEOUT_MS 10000
#define JS_OPT_CHARS     "JYTMPGXZ" /* short codes of the JetStream options */
#define JSC_OPT_CHARS    "CFD"      /* short codes of the consumer options */

/* Everything the command line decides. */
struct opts {
    const char *path[BENCH_SIDES];  /* server binaries: reference, candidate */
    const char *label[BENCH_SIDES]; /* their names in the report */
    const char *csv;                /* CSV output file, or NULL */
    int sizes[SIZES_MAX];           /* payload sizes in bytes */
    int nsizes;                     /* entries in sizes */
    bool kinds[BENCH_KIND_COUNT];   /* core workloads to run */
    int reps;                       /* repetitions per workload, size and server */
    int startups;                   /* starts per server for the start-up time */
    double max_s;                   /* time bound of one throughput run, seconds */
    struct bench_params params;     /* limits handed to every run */
    struct bench_js_setup js;       /* JetStream workloads (js.kinds all false: none) */
    struct bench_jsc_setup jsc;     /* consumer workloads (jsc.kinds all false: none) */
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gn_bench [--nats PATH] [--gannet PATH] [--quick] [options]\n"
            "  --nats PATH        reference server (default $NATS_SERVER or nats-server in PATH)\n"
            "  --gannet PATH      candidate server (default $GANNET_SERVER; required)\n"
            "  --quick            smoke-test sizes: small counts, 0.3 s runs, 1 repetition\n"
            "  --msgs N           messages per throughput run (default 2000000)\n"
            "  --seconds S        time bound per throughput run (default 3)\n"
            "  --requests N       sequential requests per latency run (default 20000)\n"
            "  --reps N           repetitions, the median is reported (default 3)\n"
            "  --startups N       starts per server for the start-up time (default 10)\n"
            "  --sizes LIST       payload sizes in bytes (default 16,128,1024)\n"
            "  --workloads LIST   subset of pub,pub-sub,pub-4sub,queue-4,req-rep and\n"
            "                     js-sync,js-async,js-restart, js-fetch,js-push,js-redeliver\n"
            "                     (default: the five core ones)\n"
            "  --js               JetStream workloads only: js-sync,js-async,js-restart\n"
            "  --jsc              consumer workloads only: js-fetch,js-push,js-redeliver\n"
            "  --jsc-msgs N       js-fetch/js-push: messages pre-loaded (default 200000)\n"
            "  --jsc-redeliver-msgs N  js-redeliver: messages redelivered (default 20000)\n"
            "  --js-sync N        js-sync: sequential publishes per run (default 5000)\n"
            "  --sync-seconds S   js-sync: time bound per run (default 10)\n"
            "  --js-msgs N        js-async: messages per run (default 1000000; --seconds bounds)\n"
            "  --max-pending N    js-async: PubAcks in flight (default 4096)\n"
            "  --js-storage LIST  subset of file,memory (default both)\n"
            "  --restart-msgs N   js-restart: messages in the stream (default 1000000)\n"
            "  --restart-reps N   js-restart: repetitions (default 3)\n"
            "  --io-buf BYTES     libnats read/write buffer size (default 1048576)\n"
            "  --csv FILE         also write the results as CSV to FILE\n"
            "exit status: 0 ok, 1 could not run, 2 bad usage, 3 report printed but runs failed\n");
}

static void on_signal(int sig)
{
    static const char msg[] = "\ngn_bench: interrupted, killing the servers\n";

    bench_proc_kill_all();
    if (write(2, msg, sizeof(msg) - 1) < 0) {
        /* nothing more to do in a signal handler */
    }
    _exit(128 + sig);
}

static void signals_install(void)
{
    struct sigaction sa;
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    atexit(bench_proc_kill_all);
}

/* Looks <name> up in $PATH; returns a static buffer or NULL. */
static const char *path_lookup(const char *name)
{
    static char found[4096];
    const char *env = getenv("PATH");
    const char *p = env ? env : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";

    while (*p != '\0') {
        size_t n = strcspn(p, ":");
        snprintf(found, sizeof(found), "%.*s/%s", (int)n, p, name);
        if (n > 0 && access(found, X_OK) == 0)
            return found;
        p += n + (p[n] == ':');
    }
    return NULL;
}

static bool parse_i64(const char *s, int64_t min, int64_t *out)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min)
        return false;
    *out = v;
    return true;
}

static bool parse_sizes(struct opts *o, const char *list)
{
    char buf[256];
    char *save = NULL;

    snprintf(buf, sizeof(buf), "%s", list);
    o->nsizes = 0;
    for (char *t = strtok_r(buf, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
        int64_t v;
        if (o->nsizes == SIZES_MAX || !parse_i64(t, 0, &v) || v > 1048576)
            return false;
        o->sizes[o->nsizes++] = (int)v;
    }
    return o->nsizes > 0;
}

static bool parse_kinds(struct opts *o, const char *list)
{
    char buf[256];
    char *save = NULL;

    snprintf(buf, sizeof(buf), "%s", list);
    memset(o->kinds, 0, sizeof(o->kinds));
    memset(o->js.kinds, 0, sizeof(o->js.kinds));
    memset(o->jsc.kinds, 0, sizeof(o->jsc.kinds));
    for (char *t = strtok_r(buf, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
        int k = 0;
        int j = 0;
        int c = 0;
        while (k < BENCH_KIND_COUNT && strcmp(t, bench_kind_name((enum bench_kind)k)) != 0)
            k++;
        while (j < BENCH_JS_KIND_COUNT && strcmp(t, bench_js_kind_name((enum bench_js_kind)j)) != 0)
            j++;
        while (c < BENCH_JSC_KIND_COUNT &&
               strcmp(t, bench_jsc_kind_name((enum bench_jsc_kind)c)) != 0)
            c++;
        if (k < BENCH_KIND_COUNT)
            o->kinds[k] = true;
        else if (j < BENCH_JS_KIND_COUNT)
            o->js.kinds[j] = true;
        else if (c < BENCH_JSC_KIND_COUNT)
            o->jsc.kinds[c] = true;
        else
            return false;
    }
    return true;
}

static bool parse_storages(struct opts *o, const char *list)
{
    char buf[64];
    char *save = NULL;

    snprintf(buf, sizeof(buf), "%s", list);
    memset(o->js.storages, 0, sizeof(o->js.storages));
    for (char *t = strtok_r(buf, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
        int g = 0;
        while (g < BENCH_JS_STORAGE_COUNT &&
               strcmp(t, bench_js_storage_name((enum bench_js_storage)g)) != 0)
            g++;
        if (g == BENCH_JS_STORAGE_COUNT)
            return false;
        o->js.storages[g] = true;
    }
    return true;
}

static void js_defaults(struct bench_js_setup *js, bool quick)
{
    js->storages[BENCH_JS_FILE] = true;
    js->storages[BENCH_JS_MEMORY] = true;
    js->restart_reps = quick ? 1 : 3;
    js->restart_msgs = quick ? 20000 : 1000000;
    js->restart_payload = 128;
    js->restart_timeout_ns = 120000000000LL;
    js->params.sync_msgs = quick ? 200 : 5000;
    js->params.sync_ns = quick ? 1000000000LL : 10000000000LL;
    js->params.sync_warmup = quick ? 20 : 100;
    js->params.async_msgs = quick ? 20000 : 1000000;
    js->params.async_warmup = quick ? 1000 : 20000;
    js->params.max_pending = 4096;
    js->params.ack_wait_ns = 30000000000LL;
}

static void opts_defaults(struct opts *o, bool quick)
{
    memset(o, 0, sizeof(*o));
    o->label[0] = "nats";
    o->label[1] = "gannet";
    o->path[0] = getenv("NATS_SERVER");
    if (o->path[0] == NULL || o->path[0][0] == '\0')
        o->path[0] = path_lookup("nats-server");
    o->path[1] = getenv("GANNET_SERVER");
    if (o->path[1] != NULL && o->path[1][0] == '\0')
        o->path[1] = NULL;
    parse_sizes(o, "16,128,1024");
    for (int k = 0; k < BENCH_KIND_COUNT; k++)
        o->kinds[k] = true;
    o->reps = quick ? 1 : 3;
    o->startups = quick ? 3 : 10;
    o->max_s = quick ? 0.3 : 3.0;
    o->params.max_msgs = quick ? 100000 : 2000000;
    o->params.requests = quick ? 2000 : 20000;
    o->params.warmup = quick ? 1000 : 20000;
    o->params.warmup_requests = quick ? 50 : 200;
    o->params.io_buf = 1 << 20;
    o->params.drain_ns = 2000000000LL;
    js_defaults(&o->js, quick);
    o->jsc.params.msgs = quick ? 5000 : 200000;
    o->jsc.params.redeliver_msgs = quick ? 1000 : 20000;
    o->jsc.params.payload = 128;
    o->jsc.params.stall_ns = 30000000000LL;
}

/* Checks the parsed options and derives the run limits. Returns 0 or -1 after printing why. */
static int opts_finish(struct opts *o)
{
    if (o->path[0] == NULL || o->path[1] == NULL) {
        fprintf(stderr, "gn_bench: need both servers: --nats PATH (or $NATS_SERVER) and "
                        "--gannet PATH (or $GANNET_SERVER)\n");
        return -1;
    }
    /* Servers run in their own temp dir: a relative path would not resolve there. */
    for (int s = 0; s < BENCH_SIDES; s++) {
        static char abs[BENCH_SIDES][PATH_MAX];
        if (realpath(o->path[s], abs[s]) != NULL)
            o->path[s] = abs[s];
    }
    o->params.max_ns = (int64_t)(o->max_s * 1e9);
    for (int s = 0; s < BENCH_SIDES; s++) {
        o->js.path[s] = o->path[s];
        o->js.label[s] = o->label[s];
    }
    o->js.sizes = o->sizes;
    o->js.nsizes = o->nsizes;
    o->js.reps = o->reps;
    o->js.params.io_buf = o->params.io_buf;
    o->js.params.async_ns = o->params.max_ns;
    for (int s = 0; s < BENCH_SIDES; s++) {
        o->jsc.path[s] = o->path[s];
        o->jsc.label[s] = o->label[s];
    }
    o->jsc.reps = o->reps;
    o->jsc.params.io_buf = o->params.io_buf;
    if (o->jsc.params.redeliver_msgs > o->jsc.params.msgs)
        o->jsc.params.redeliver_msgs = o->jsc.params.msgs;
    if (o->js.params.async_warmup > o->js.params.async_msgs / 10)
        o->js.params.async_warmup = o->js.params.async_msgs / 10;
    if (o->js.params.sync_warmup > o->js.params.sync_msgs / 10)
        o->js.params.sync_warmup = o->js.params.sync_msgs / 10;
    if (o->params.warmup > o->params.max_msgs / 10)
        o->params.warmup = o->params.max_msgs / 10;
    if (o->params.warmup_requests > o->params.requests / 10)
        o->params.warmup_requests = o->params.requests / 10;
    return 0;
}

/* Parses the core option <c> (a short code of opts_parse()'s table) with argument <arg> into
 * <o>; returns false if the value is bad. */
static bool parse_core_opt(struct opts *o, int c, const char *arg)
{
    int64_t v = 0;

    switch (c) {
    case 'n':
        o->path[0] = arg;
        return true;
    case 'g':
        o->path[1] = arg;
        return true;
    case 'q':
        return true; /* handled before parsing: it changes the defaults */
    case 'm':
        return parse_i64(arg, 1, &o->params.max_msgs);
    case 's':
        o->max_s = strtod(arg, NULL);
        return o->max_s > 0 && o->max_s <= 600;
    case 'r':
        return parse_i64(arg, 1, &o->params.requests);
    case 'R':
        if (!parse_i64(arg, 1, &v) || v > REPS_MAX)
            return false;
        o->reps = (int)v;
        return true;
    case 'S':
        if (!parse_i64(arg, 1, &v) || v > 1000)
            return false;
        o->startups = (int)v;
        return true;
    case 'z':
        return parse_sizes(o, arg);
    case 'w':
        return parse_kinds(o, arg);
    case 'b':
        if (!parse_i64(arg, 4096, &v) || v > (1 << 28))
            return false;
        o->params.io_buf = (int)v;
        return true;
    case 'c':
        o->csv = arg;
        return true;
    default:
        return false;
    }
}

/* Parses the JetStream option <c> with argument <arg> into <o>; returns false if it is bad. */
static bool parse_js_opt(struct opts *o, int c, const char *arg)
{
    struct bench_js_params *p = &o->js.params;
    int64_t v = 0;
    double secs;

    switch (c) {
    case 'J':
        return parse_kinds(o, "js-sync,js-async,js-restart");
    case 'Y':
        return parse_i64(arg, 1, &p->sync_msgs);
    case 'T':
        secs = strtod(arg, NULL);
        p->sync_ns = (int64_t)(secs * 1e9);
        return secs > 0 && secs <= 600;
    case 'M':
        return parse_i64(arg, 1, &p->async_msgs);
    case 'P':
        if (!parse_i64(arg, 1, &v) || v > 1000000)
            return false;
        p->max_pending = (int)v;
        return true;
    case 'G':
        return parse_storages(o, arg);
    case 'X':
        return parse_i64(arg, 1, &o->js.restart_msgs);
    case 'Z':
        if (!parse_i64(arg, 1, &v) || v > REPS_MAX)
            return false;
        o->js.restart_reps = (int)v;
        return true;
    default:
        return false;
    }
}

/* Parses the consumer option <c> with argument <arg> into <o>; returns false if it is bad. */
static bool parse_jsc_opt(struct opts *o, int c, const char *arg)
{
    switch (c) {
    case 'C':
        return parse_kinds(o, "js-fetch,js-push,js-redeliver");
    case 'F':
        return parse_i64(arg, 1, &o->jsc.params.msgs);
    case 'D':
        return parse_i64(arg, 1, &o->jsc.params.redeliver_msgs);
    default:
        return false;
    }
}

/* Parses argv into <o>. Returns 0, 1 after --help, or -1 after printing the error. */
static int opts_parse(struct opts *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"nats", required_argument, NULL, 'n'},
        {"gannet", required_argument, NULL, 'g'},
        {"quick", no_argument, NULL, 'q'},
        {"msgs", required_argument, NULL, 'm'},
        {"seconds", required_argument, NULL, 's'},
        {"requests", required_argument, NULL, 'r'},
        {"reps", required_argument, NULL, 'R'},
        {"startups", required_argument, NULL, 'S'},
        {"sizes", required_argument, NULL, 'z'},
        {"workloads", required_argument, NULL, 'w'},
        {"io-buf", required_argument, NULL, 'b'},
        {"csv", required_argument, NULL, 'c'},
        {"js", no_argument, NULL, 'J'},
        {"js-sync", required_argument, NULL, 'Y'},
        {"sync-seconds", required_argument, NULL, 'T'},
        {"js-msgs", required_argument, NULL, 'M'},
        {"max-pending", required_argument, NULL, 'P'},
        {"js-storage", required_argument, NULL, 'G'},
        {"restart-msgs", required_argument, NULL, 'X'},
        {"restart-reps", required_argument, NULL, 'Z'},
        {"jsc", no_argument, NULL, 'C'},
        {"jsc-msgs", required_argument, NULL, 'F'},
        {"jsc-redeliver-msgs", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool quick = false;
    int idx = 0;
    int c;

    for (int i = 1; i < argc; i++)
        quick = quick || strcmp(argv[i], "--quick") == 0;
    opts_defaults(o, quick);
    while ((c = getopt_long(argc, argv, "h", longopts, &idx)) != -1) {
        bool ok;

        if (c == 'h') {
            usage(stdout);
            return 1;
        }
        if (c == '?' || c == ':') {
            usage(stderr);
            return -1;
        }
        if (strchr(JSC_OPT_CHARS, c) != NULL)
            ok = parse_jsc_opt(o, c, optarg);
        else if (strchr(JS_OPT_CHARS, c) != NULL)
            ok = parse_js_opt(o, c, optarg);
        else
            ok = parse_core_opt(o, c, optarg);
        if (!ok) {
            fprintf(stderr, "gn_bench: bad value for --%s: %s\n", longopts[idx].name,
                    optarg ? optarg : "");
            return -1;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "gn_bench: unexpected argument %s\n", argv[optind]);
        return -1;
    }
    return opts_finish(o);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a;
    int64_t y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* Median start-up time of each server over o->startups starts, alternating which goes first. */
static int measure_startups(const struct opts *o, struct bench_report *rep)
{
    int64_t t[BENCH_SIDES][1000];

    for (int i = 0; i < o->startups; i++) {
        for (int j = 0; j < BENCH_SIDES; j++) {
            int side = (i + j) % BENCH_SIDES;
            struct bench_server srv;

            if (bench_server_start(&srv, o->path[side], START_TIMEOUT_MS) != 0)
                return -1;
            t[side][i] = srv.ready_ns;
            memcpy(rep->version[side], srv.version, sizeof(rep->version[side]));
            bench_server_stop(&srv);
        }
    }
    for (int s = 0; s < BENCH_SIDES; s++) {
        qsort(t[s], (size_t)o->startups, sizeof(t[s][0]), cmp_i64);
        rep->startup_ns[s] = o->startups % 2
                                 ? t[s][o->startups / 2]
                                 : (t[s][o->startups / 2 - 1] + t[s][o->startups / 2]) / 2;
    }
    fprintf(stderr, "gn_bench: start-up %s %.2f ms, %s %.2f ms\n", o->label[0],
            rep->startup_ns[0] / 1e6, o->label[1], rep->startup_ns[1] / 1e6);
    return 0;
}

static void progress(const struct opts *o, int side, enum bench_kind kind, int size,
                     const struct bench_result *r)
{
    double secs = r->elapsed_ns > 0 ? r->elapsed_ns / 1e9 : 1e-9;
    int64_t count = kind == BENCH_PUB ? r->published : r->received;

    if (kind == BENCH_REQREP)
        fprintf(stderr, "  %-8s %5d B %-7s %7lld req  p50 %7.1f us  p99 %7.1f us\n",
                bench_kind_name(kind), size, o->label[side], (long long)r->published,
                r->p50_ns / 1e3, r->p99_ns / 1e3);
    else
        fprintf(stderr, "  %-8s %5d B %-7s %10.0f msgs/s  %6.0f ns/pub  drops %lld\n",
                bench_kind_name(kind), size, o->label[side], count / secs,
                r->published ? (double)r->cpu_ns / r->published : 0.0, (long long)r->drops);
}

/* Stops <srv> (keeping its peak RSS in <rep>) and, if <restart>, starts a fresh one in its place.
 * Returns 0 or a negative errno when the restart failed. */
static int server_cycle(const struct opts *o, struct bench_report *rep, struct bench_server *srv,
                        int side, bool restart)
{
    int64_t hwm = srv->pid > 0 ? bench_proc_status_kib(srv->pid, "VmHWM") : -1;

    if (hwm > rep->peak_rss_kib[side])
        rep->peak_rss_kib[side] = hwm;
    bench_server_stop(srv);
    if (!restart)
        return 0;
    rep->restarts[side]++;
    fprintf(stderr, "gn_bench: restarting %s\n", o->label[side]);
    return bench_server_start(srv, o->path[side], START_TIMEOUT_MS);
}

/* Runs one workload at one size on both servers, o->reps times, and reduces it into <row>. A run
 * that fails is marked failed, and that server is restarted so later rows still get measured.
 * Returns -1 only when a restart fails. */
static int run_row(const struct opts *o, struct bench_report *rep, struct bench_server *srv,
                   enum bench_kind kind, int size, struct bench_row *row)
{
    static struct bench_result res[BENCH_SIDES][REPS_MAX];

    row->kind = kind;
    row->payload = size;
    for (int i = 0; i < o->reps; i++) {
        for (int j = 0; j < BENCH_SIDES; j++) {
            int side = (i + j) % BENCH_SIDES; /* A,B then B,A: order effects cancel out */
            struct bench_result *r = &res[side][i];

            if (bench_load_run(kind, (size_t)size, srv[side].port, srv[side].pid, &o->params, r) ==
                0) {
                progress(o, side, kind, size, r);
                continue;
            }
            fprintf(stderr, "gn_bench: %s %d B against %s failed%s\n", bench_kind_name(kind), size,
                    o->label[side], kill(srv[side].pid, 0) != 0 ? " (the server is gone)" : "");
            r->failed = 1;
            rep->failed_runs++;
            if (server_cycle(o, rep, &srv[side], side, true) != 0)
                return -1;
        }
    }
    for (int s = 0; s < BENCH_SIDES; s++)
        bench_stat_reduce(kind, size, res[s], o->reps, &row->side[s]);
    return 0;
}

/* Starts both servers, measures idle RSS, runs every row, measures peak RSS, stops them. */
static int run_all(const struct opts *o, struct bench_report *rep, struct bench_row *rows)
{
    struct bench_server srv[BENCH_SIDES];
    int rc = 0;

    memset(srv, 0, sizeof(srv));
    for (int s = 0; s < BENCH_SIDES && rc == 0; s++)
        rc = bench_server_start(&srv[s], o->path[s], START_TIMEOUT_MS);
    if (rc == 0) {
        bench_sleep_ms(1000);
        for (int s = 0; s < BENCH_SIDES; s++)
            rep->idle_rss_kib[s] = bench_proc_status_kib(srv[s].pid, "VmRSS");
    }
    for (int k = 0; k < BENCH_KIND_COUNT && rc == 0; k++) {
        if (!o->kinds[k])
            continue;
        for (int z = 0; z < o->nsizes && rc == 0; z++) {
            rc = run_row(o, rep, srv, (enum bench_kind)k, o->sizes[z], &rows[rep->nrows]);
            rep->nrows += rc == 0;
        }
    }
    for (int s = 0; s < BENCH_SIDES; s++)
        server_cycle(o, rep, &srv[s], s, false);
    return rc;
}

static bool any_of(const bool *v, int n)
{
    for (int i = 0; i < n; i++) {
        if (v[i])
            return true;
    }
    return false;
}

/* The core workloads: start-up times, every row, the markdown section and the CSV. Returns 0,
 * 3 when the report is printed but runs failed, 1 when the benchmark could not run. */
static int core_main(const struct opts *o)
{
    static struct bench_row rows[BENCH_KIND_COUNT * SIZES_MAX];
    struct bench_report rep;
    int64_t t0 = bench_now_ns();

    memset(&rep, 0, sizeof(rep));
    for (int s = 0; s < BENCH_SIDES; s++) {
        rep.label[s] = o->label[s];
        rep.path[s] = o->path[s];
    }
    rep.rows = rows;
    rep.startups = o->startups;
    rep.max_msgs = o->params.max_msgs;
    rep.max_s = o->max_s;
    rep.requests = o->params.requests;
    rep.reps = o->reps;
    if (measure_startups(o, &rep) != 0 || run_all(o, &rep, rows) != 0)
        return 1;
    rep.wall_s = (bench_now_ns() - t0) / 1e9;
    bench_report_markdown(stdout, &rep);
    if (o->csv != NULL && bench_report_csv(o->csv, &rep) != 0)
        return 1;
    /* The report is complete, but a failed run must not pass unnoticed (CTest, scripts). */
    return rep.failed_runs > 0 ? 3 : 0;
}

/* The JetStream workloads, reported after the core section when <after_core>. Returns like
 * core_main(). */
static int js_main(const struct opts *o, bool after_core)
{
    static struct bench_js_row rows[BENCH_JS_ROWS_MAX];
    static struct bench_js_report rep;

    memset(&rep, 0, sizeof(rep));
    rep.setup = &o->js;
    if (bench_jsrun_all(&o->js, &rep, rows) != 0)
        return 1;
    if (after_core)
        printf("\n");
    bench_js_report_markdown(stdout, &rep);
    if (o->csv != NULL && bench_js_report_csv(o->csv, after_core, &rep) != 0)
        return 1;
    /* Publish errors and lost messages count as failures too: the figures are suspect. */
    return bench_js_report_problems(&rep) > 0 ? 3 : 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(&o, argc, argv);
    bool core;
    bool js;

    if (rc != 0)
        return rc > 0 ? 0 : 2;
    core = any_of(o.kinds, BENCH_KIND_COUNT);
    js = any_of(o.js.kinds, BENCH_JS_KIND_COUNT);
    signals_install();
    if (bench_load_init() != 0)
        return 1;
    if (core)
        rc = core_main(&o);
    if (rc != 1 && js) {
        int js_rc = js_main(&o, core);
        rc = js_rc == 1 || rc == 0 ? js_rc : rc;
    }
    if (rc != 1 && any_of(o.jsc.kinds, BENCH_JSC_KIND_COUNT)) {
        int jsc_rc = bench_jsc_main(&o.jsc, o.csv, core || js);
        rc = jsc_rc == 1 || rc == 0 ? jsc_rc : rc;
    }
    bench_load_deinit();
    return rc;
}
