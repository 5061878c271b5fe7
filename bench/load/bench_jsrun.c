/* Driver of the JetStream workloads of the side-by-side benchmark.
 *
 * The order of servers alternates per repetition (A,B then B,A) so drift hits both alike. A
 * restart measurement owns its server from start to stop: nothing else runs against it, so its
 * store holds exactly the messages the fill acked.
 */
#include "bench_jsrun.h"

#include "bench_proc.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#define REPS_MAX         64
#define START_TIMEOUT_MS 10000
#define HALT_TIMEOUT_MS  60000

static const int stop_signals[BENCH_JS_STOPS] = {SIGTERM, SIGKILL};

static void progress(const struct bench_js_setup *st, int side, enum bench_js_kind kind,
                     enum bench_js_storage storage, int size, const struct bench_js_result *r)
{
    double secs = r->elapsed_ns > 0 ? r->elapsed_ns / 1e9 : 1e-9;
    double cpu = r->acked > 0 ? (double)r->cpu_ns / (double)r->acked : 0;

    if (kind == BENCH_JS_SYNC)
        fprintf(stderr,
                "  %-8s %-6s %5d B %-7s %6lld acked  p50 %8.1f us  p99 %8.1f us  %7.0f ns/msg"
                "  errors %lld\n",
                bench_js_kind_name(kind), bench_js_storage_name(storage), size, st->label[side],
                (long long)r->acked, r->p50_ns / 1e3, r->p99_ns / 1e3, cpu, (long long)r->errors);
    else
        fprintf(stderr,
                "  %-8s %-6s %5d B %-7s %10.0f msgs/s  %7.0f ns/msg  acked %lld  errors %lld\n",
                bench_js_kind_name(kind), bench_js_storage_name(storage), size, st->label[side],
                r->acked / secs, cpu, (long long)r->acked, (long long)r->errors);
}

/* Stops <srv> (keeping its peak RSS in <rep>) and, if <restart>, starts a fresh one. */
static int server_cycle(const struct bench_js_setup *st, struct bench_js_report *rep,
                        struct bench_server *srv, int side, bool restart)
{
    int64_t hwm = srv->pid > 0 ? bench_proc_status_kib(srv->pid, "VmHWM") : -1;

    if (hwm > rep->peak_rss_kib[side])
        rep->peak_rss_kib[side] = hwm;
    bench_server_stop(srv);
    if (!restart)
        return 0;
    rep->restarts[side]++;
    fprintf(stderr, "gn_bench: restarting %s\n", st->label[side]);
    return bench_server_start_js(srv, st->path[side], START_TIMEOUT_MS);
}

/* One js-sync/js-async row on both servers, st->reps times. Returns -1 only when a restart of
 * a server after a failed run fails. */
static int run_row(const struct bench_js_setup *st, struct bench_js_report *rep,
                   struct bench_server *srv, struct bench_js_row *row)
{
    static struct bench_js_result res[BENCH_SIDES][REPS_MAX];

    for (int i = 0; i < st->reps; i++) {
        for (int j = 0; j < BENCH_SIDES; j++) {
            int side = (i + j) % BENCH_SIDES;
            struct bench_js_result *r = &res[side][i];

            if (bench_js_run(row->kind, row->storage, (size_t)row->payload, srv[side].port,
                             srv[side].pid, &st->params, r) == 0) {
                progress(st, side, row->kind, row->storage, row->payload, r);
                continue;
            }
            fprintf(stderr, "gn_bench: %s %s %d B against %s failed%s\n",
                    bench_js_kind_name(row->kind), bench_js_storage_name(row->storage),
                    row->payload, st->label[side],
                    kill(srv[side].pid, 0) != 0 ? " (the server is gone)" : "");
            r->failed = 1;
            rep->failed_runs++;
            if (server_cycle(st, rep, &srv[side], side, true) != 0)
                return -1;
        }
    }
    for (int s = 0; s < BENCH_SIDES; s++)
        bench_js_stat_reduce(row->kind, row->payload, res[s], st->reps, &row->side[s]);
    return 0;
}

/* js-sync and js-async rows, on one pair of JetStream servers. */
static int run_rows(const struct bench_js_setup *st, struct bench_js_report *rep,
                    struct bench_js_row *rows)
{
    static const enum bench_js_kind kinds[] = {BENCH_JS_SYNC, BENCH_JS_ASYNC};
    struct bench_server srv[BENCH_SIDES];
    int rc = 0;

    memset(srv, 0, sizeof(srv));
    for (int s = 0; s < BENCH_SIDES && rc == 0; s++) {
        rc = bench_server_start_js(&srv[s], st->path[s], START_TIMEOUT_MS);
        memcpy(rep->version[s], srv[s].version, sizeof(rep->version[s]));
    }
    if (rc == 0) {
        bench_sleep_ms(1000);
        for (int s = 0; s < BENCH_SIDES; s++)
            rep->idle_rss_kib[s] = bench_proc_status_kib(srv[s].pid, "VmRSS");
    }
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && rc == 0; k++) {
        for (int g = 0; g < BENCH_JS_STORAGE_COUNT && rc == 0 && st->kinds[kinds[k]]; g++) {
            for (int z = 0; z < st->nsizes && rc == 0 && st->storages[g]; z++) {
                struct bench_js_row *row = &rows[rep->nrows];

                memset(row, 0, sizeof(*row));
                row->kind = kinds[k];
                row->storage = (enum bench_js_storage)g;
                row->payload = st->sizes[z];
                rc = run_row(st, rep, srv, row);
                rep->nrows += rc == 0;
            }
        }
    }
    for (int s = 0; s < BENCH_SIDES; s++)
        server_cycle(st, rep, &srv[s], s, false);
    return rc;
}

/* Fills a fresh stream on <srv>, stops it with <sig>, and fills <m> with what the restart took.
 * Every failure sets m->failed and is printed; <srv> is left halted or running for the caller
 * to stop. */
static void restart_steps(const struct bench_js_setup *st, int side, int sig,
                          struct bench_server *srv, struct bench_js_restart *m)
{
    struct bench_js_result fill;
    int64_t deadline;
    int rc;

    if (bench_js_fill(srv->port, srv->pid, st->restart_msgs, (size_t)st->restart_payload,
                      &st->params, &fill) != 0) {
        m->failed = 1;
        return;
    }
    m->msgs = fill.acked;
    m->fill_per_s = fill.elapsed_ns > 0 ? fill.acked / (fill.elapsed_ns / 1e9) : 0;
    m->errors = fill.errors + (fill.lost != 0);
    rc = bench_server_halt(srv, sig, HALT_TIMEOUT_MS, &m->stop_ns, &m->exit_code);
    if (rc != 0) {
        fprintf(stderr, "gn_bench: %s did not stop cleanly after signal %d\n", st->label[side],
                sig);
        m->errors++;
    }
    m->store_kib = bench_server_store_kib(srv);
    rc = bench_server_respawn(srv, st->path[side], (int)(st->restart_timeout_ns / 1000000));
    if (rc != 0) {
        fprintf(stderr, "gn_bench: %s did not restart on its store (%s)\n", st->label[side],
                srv->log);
        m->failed = 1;
        return;
    }
    m->info_ns = srv->ready_ns;
    deadline = srv->spawn_ns + st->restart_timeout_ns;
    rc = bench_js_await(srv->port, m->msgs, deadline, &m->count, &m->ready_ns);
    m->ready_ns -= srv->spawn_ns;
    m->rss_kib = bench_proc_status_kib(srv->pid, "VmRSS");
    m->lost = m->msgs - m->count;
    /* Not timed: the count alone could come from a summary; the messages must be readable. */
    if (rc == 0 && bench_js_check_msgs(srv->port, m->msgs, (size_t)st->restart_payload) != 0)
        m->errors++;
    if (rc != 0) {
        fprintf(stderr,
                "gn_bench: %s after restart: stream %s reports %lld messages, %lld were "
                "acked%s\n",
                st->label[side], BENCH_JS_STREAM, (long long)m->count, (long long)m->msgs,
                rc < 0 ? " (gave up waiting)" : " (steady for 2 s)");
        m->failed = rc < 0;
    }
}

/* One restart measurement of server <side> after signal <sig>, on a server of its own. */
static void restart_once(const struct bench_js_setup *st, struct bench_js_report *rep, int side,
                         int sig, struct bench_js_restart *m)
{
    struct bench_server srv;

    memset(m, 0, sizeof(*m));
    if (bench_server_start_js(&srv, st->path[side], START_TIMEOUT_MS) != 0) {
        m->failed = 1;
        rep->failed_runs++;
        return;
    }
    memcpy(rep->version[side], srv.version, sizeof(rep->version[side]));
    restart_steps(st, side, sig, &srv, m);
    rep->failed_runs += m->failed;
    fprintf(stderr,
            "  js-restart %s %-7s fill %lld msgs %8.0f msgs/s, store %.1f MiB, exit %.1f ms "
            "(status %d), INFO %.1f ms, ready %.1f ms, count %lld\n",
            sig == SIGTERM ? "TERM" : "KILL", st->label[side], (long long)m->msgs, m->fill_per_s,
            m->store_kib / 1024.0, m->stop_ns / 1e6, m->exit_code, m->info_ns / 1e6,
            m->ready_ns / 1e6, (long long)m->count);
    bench_server_stop(&srv);
}

static void run_restarts(const struct bench_js_setup *st, struct bench_js_report *rep)
{
    static struct bench_js_restart res[BENCH_JS_STOPS][BENCH_SIDES][REPS_MAX];
    int reps = st->restart_reps < REPS_MAX ? st->restart_reps : REPS_MAX;

    for (int i = 0; i < reps; i++) {
        for (int k = 0; k < BENCH_JS_STOPS; k++) {
            for (int j = 0; j < BENCH_SIDES; j++) {
                int side = (i + j) % BENCH_SIDES;
                restart_once(st, rep, side, stop_signals[k], &res[k][side][i]);
            }
        }
    }
    for (int k = 0; k < BENCH_JS_STOPS; k++) {
        for (int s = 0; s < BENCH_SIDES; s++)
            bench_js_restart_reduce(res[k][s], reps, &rep->restart[k][s]);
    }
    rep->restart_ran = true;
}

int bench_jsrun_all(const struct bench_js_setup *st, struct bench_js_report *rep,
                    struct bench_js_row *rows)
{
    int64_t t0 = bench_now_ns();
    int rc = 0;

    if (st->kinds[BENCH_JS_SYNC] || st->kinds[BENCH_JS_ASYNC])
        rc = run_rows(st, rep, rows);
    if (rc == 0 && st->kinds[BENCH_JS_RESTART])
        run_restarts(st, rep);
    rep->rows = rows;
    rep->wall_s = (bench_now_ns() - t0) / 1e9;
    return rc;
}
