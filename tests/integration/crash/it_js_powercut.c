/* it_js_powercut: "acknowledged means durable" under a simulated power cut.
 *
 * kill -9 keeps the page cache, so it_js_crash cannot tell a synced message from a written one.
 * Here the server runs with powercut_shim.so preloaded, which logs every create, rename, unlink,
 * truncate and fsync under the store dir (powercut.h). A publisher sends numbered messages to a
 * file stream and records every PubAck; the server is killed with SIGKILL at a random point (every
 * third iteration right after a new block file appeared in the log), the store dir is cut back to
 * what the log says was durable (tails torn at random), and the server restarted on it: it must
 * start cleanly and hold every acknowledged message intact. Environment: GANNET_POWERCUT_ITERATIONS
 * (default 5), GANNET_POWERCUT_SEED (replay a run), GANNET_POWERCUT_STRICT_META=0 (treat the
 * stream's creation as durable instead of modelling it too, see main), GANNET_POWERCUT_VERBOSE=1
 * (print each undone operation and torn file), GANNET_POWERCUT_PRELOAD (libraries to preload before
 * the shim, e.g. gcc's libasan.so), GANNET_POWERCUT_NOSYNC=1 (negative control: the server acks
 * before syncing; passes only if acknowledged messages are lost). Usage: it_js_powercut <path of
 * powercut_shim.so>.
 */
#include "crash_load.h"
#include "powercut.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STREAM        "POWERCUT"
#define SUBJECT       "powercut.data"
#define VERIFY_WINDOW 1024 /* outstanding MSG.GET requests while verifying */
#define KILL_MIN_MS   150
#define KILL_MAX_MS   1200
#define ITER_BUDGET_S 30 /* watchdog seconds per iteration (publish, cut, restart, verify) */

/* Settings (environment) and the files of the run. */
struct pc_run {
    int iterations;          /* GANNET_POWERCUT_ITERATIONS */
    unsigned seed;           /* GANNET_POWERCUT_SEED */
    bool strict_meta;        /* GANNET_POWERCUT_STRICT_META */
    bool verbose;            /* GANNET_POWERCUT_VERBOSE */
    char store[300];         /* the server's -sd */
    char log[300];           /* the shim's log */
    char keep[300];          /* the shim's hard links */
    uint64_t rng;            /* power-cut randomness, from the seed */
    struct pc_baseline base; /* the tree when the current log started */
};

static struct crash_acks g_acks = {.lock = PTHREAD_MUTEX_INITIALIZER};
static bool g_expect_loss;       /* negative control: acks before sync, losses are counted */
static size_t g_lost, g_changed; /* acked messages missing / different (negative control) */

/* Checks one MSG.GET reply against the record its reply subject names: fails the test, or in
 * the negative control (g_expect_loss) counts lost and changed messages. */
static void verify_reply(natsMsg *m, size_t from, size_t to)
{
    const struct crash_ack_rec *v = g_acks.v;
    char expect[CRASH_PAYLOAD_LEN], b64[CRASH_PAYLOAD_LEN * 2];
    size_t idx = strtoull(natsMsg_GetSubject(m) + strlen(CRASH_VERIFY_PREFIX), NULL, 10);
    json_t *root = json_loadb(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m), 0, NULL);
    json_t *msg = json_object_get(root, "message");
    const char *data = json_string_value(json_object_get(msg, "data"));
    const char *subj = json_string_value(json_object_get(msg, "subject"));
    bool same;

    IT_ASSERT(idx >= from && idx < to, "reply for unknown record %zu", idx);
    crash_payload_make(v[idx].n, expect);
    crash_b64_encode((const unsigned char *)expect, CRASH_PAYLOAD_LEN, b64);
    same = msg && data && strcmp(data, b64) == 0 && subj && strcmp(subj, SUBJECT) == 0 &&
           json_integer_value(json_object_get(msg, "seq")) == (json_int_t)v[idx].seq;
    if (g_expect_loss) {
        g_lost += !msg;
        g_changed += msg && !same;
    }
    IT_ASSERT(g_expect_loss || msg != NULL,
              "ACKED MESSAGE LOST after a power cut: seq %llu (msg #%llu): %.*s",
              (unsigned long long)v[idx].seq, (unsigned long long)v[idx].n,
              natsMsg_GetDataLength(m), natsMsg_GetData(m));
    IT_ASSERT(g_expect_loss || same,
              "ACKED MESSAGE CHANGED after a power cut: seq %llu should hold msg #%llu",
              (unsigned long long)v[idx].seq, (unsigned long long)v[idx].n);
    json_decref(root);
}

/* Fetches every record of [from, to) of g_acks with pipelined MSG.GET requests. */
static void verify_range(natsConnection *nc, size_t from, size_t to)
{
    natsSubscription *sub = NULL;
    size_t total = to - from, sent = 0, got = 0;

    IT_NATS(natsConnection_SubscribeSync(&sub, nc, CRASH_VERIFY_PREFIX "*"));
    IT_NATS(natsSubscription_SetPendingLimits(sub, -1, -1));
    while (got < total) {
        natsMsg *m = NULL;
        natsStatus s;

        while (sent < total && sent - got < VERIFY_WINDOW) {
            crash_verify_send(nc, STREAM, &g_acks.v[from + sent], from + sent);
            sent++;
        }
        s = natsSubscription_NextMsg(&m, sub, 5000);
        IT_ASSERT(s == NATS_OK, "no MSG.GET reply within 5 s (%zu of %zu checked): %s", got, total,
                  natsStatus_GetText(s));
        verify_reply(m, from, to);
        natsMsg_Destroy(m);
        got++;
    }
    natsSubscription_Destroy(sub);
}

/* Fails the test when the server log from byte <from> on has an error or fatal line; prints
 * its warnings (recovery reports what it cut there). */
static void log_check(const struct it_server *srv, long from)
{
    FILE *f = fopen(srv->log, "r");
    char line[1024];

    IT_ASSERT(f != NULL, "open %s: %s", srv->log, strerror(errno));
    IT_ASSERT(fseek(f, from, SEEK_SET) == 0, "seek %s", srv->log);
    while (fgets(line, sizeof(line), f)) {
        IT_ASSERT(!strstr(line, "[ERR]") && !strstr(line, "[FTL]") && !strstr(line, "panic") &&
                      !strstr(line, "ERROR: AddressSanitizer"),
                  "server did not start cleanly after the power cut: %s", line);
        if (strstr(line, "[WRN]"))
            printf("    server: %s", line);
    }
    fclose(f);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

static void stats_print(int iter, const struct pc_stats *s)
{
    it_ok("iteration %d power cut: %zu log records, %zu files cut by %llu bytes (tails clean %zu, "
          "partial %zu, garbage %zu, zeroed sector %zu), %zu overwrites torn; undone: %zu "
          "creates, %zu mkdirs, %zu renames, %zu unlinks (%zu interrupted by the kill); %zu "
          "directory ops durable",
          iter, s->events, s->files_cut, (unsigned long long)s->bytes_cut, s->tails[0], s->tails[1],
          s->tails[2], s->tails[3], s->overwrites_torn, s->undone[0], s->undone[1], s->undone[2],
          s->undone[3], s->interrupted, s->durable_ops);
}

/* Waits (at most <timeout_ms>) until the shim's log at <log> shows a new block file created
 * (a "C" record for a *.blk), so that the kill lands in the window between a block's creation
 * and the fsync of its directory. Returns false on timeout. */
static bool wait_block_create(const char *log, int timeout_ms)
{
    int64_t deadline = it_now_ms() + timeout_ms;
    long off = 0;
    char line[8192];

    while (it_now_ms() < deadline) {
        FILE *f = fopen(log, "r");

        IT_ASSERT(f != NULL, "open %s: %s", log, strerror(errno));
        IT_ASSERT(fseek(f, off, SEEK_SET) == 0, "seek %s", log);
        while (fgets(line, sizeof(line), f)) {
            size_t n = strlen(line);
            char type = 0, *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;

            if (n == 0 || line[n - 1] != '\n')
                break; /* not all of it yet: read it again next time */
            off += (long)n;
            if (sscanf(line, "%*s %c", &type) == 1 && type == 'C' && tab2 && tab2 - tab1 > 4 &&
                strncmp(tab2 - 4, ".blk", 4) == 0) {
                fclose(f);
                return true;
            }
        }
        fclose(f);
        crash_sleep_ms(1);
    }
    return false;
}

/* One iteration: publish, SIGKILL after <kill_ms> (or, with <at_block>, a few ms after the
 * next block file is created), power cut, restart, verify the new acks. Returns the highest
 * acknowledged sequence so far. */
static uint64_t powercut_once(struct pc_run *run, struct it_server *srv, int iter, bool sync,
                              bool at_block, int kill_ms, uint64_t *next_n, uint64_t max_seq)
{
    struct crash_pub p = {.acks = &g_acks, .subject = SUBJECT, .sync = sync, .next_n = *next_n};
    uint64_t start_n = *next_n;
    size_t first = crash_acks_len(&g_acks), last;
    natsConnection *nc = NULL;
    struct pc_stats ps;
    jsStreamInfo *si;
    pthread_t th;
    bool rolled;
    size_t lost;
    long log_at;
    int st;

    crash_connect_js(srv, &g_acks, &nc, &p.js);
    atomic_init(&p.stop, false);
    IT_ASSERT(pthread_create(&th, NULL, crash_pub_run, &p) == 0, "pthread_create failed");
    rolled = at_block && wait_block_create(run->log, 3000);
    if (rolled)
        kill_ms = rand() % 3;
    crash_sleep_ms(kill_ms);
    IT_ASSERT(kill(srv->pid, SIGKILL) == 0, "kill -9 failed");
    st = it_server_wait_exit(srv, 5000);
    IT_ASSERT(st == 128 + SIGKILL, "server did not die by SIGKILL (status %d)", st);
    atomic_store(&p.stop, true);
    pthread_join(th, NULL);
    crash_disconnect_js(nc, p.js, !sync);
    last = crash_acks_settle(&g_acks);
    IT_ASSERT(g_acks.errors == 0, "%zu negative PubAcks before the kill", g_acks.errors);
    for (size_t i = first; i < last && !g_expect_loss; i++) {
        IT_ASSERT(g_acks.v[i].seq > max_seq, "seq %llu acked again after a restart (max was %llu)",
                  (unsigned long long)g_acks.v[i].seq, (unsigned long long)max_seq);
        max_seq = g_acks.v[i].seq;
    }
    *next_n = p.next_n + 1;

    pc_apply(run->store, run->log, run->keep, &run->base, &run->rng, run->verbose, &ps);
    stats_print(iter, &ps);
    IT_ASSERT(ps.events > 0, "the shim logged nothing: is it loaded (LD_PRELOAD)?");
    IT_ASSERT(ps.unknown == 0, "%zu files were created without the shim seeing it", ps.unknown);
    pc_reset(run->store, run->log, run->keep, &run->base);

    log_at = file_size(srv->log);
    it_server_restart(srv);
    crash_connect_js(srv, &g_acks, &nc, &p.js);
    si = crash_wait_stream(p.js, STREAM, "the power cut");
    IT_ASSERT(g_expect_loss || si->State.LastSeq >= max_seq,
              "stream last_seq %llu is below the acked seq %llu",
              (unsigned long long)si->State.LastSeq, (unsigned long long)max_seq);
    lost = g_lost + g_changed;
    verify_range(nc, first, last);
    log_check(srv, log_at);
    it_ok("iteration %d (%s): killed %d ms %s, %zu acked (%llu sent), %s after the power cut; "
          "stream has %llu msgs, last_seq %llu",
          iter, sync ? "sync" : "async", kill_ms,
          rolled ? "after a block file was created" : "after the start", last - first,
          (unsigned long long)(p.next_n - start_n),
          g_expect_loss ? "some lost (see below)" : "all present",
          (unsigned long long)si->State.Msgs, (unsigned long long)si->State.LastSeq);
    if (g_expect_loss)
        it_ok("iteration %d: %zu acked messages lost or changed", iter, g_lost + g_changed - lost);
    jsStreamInfo_Destroy(si);
    crash_disconnect_js(nc, p.js, false);
    return max_seq;
}

static void run_setup(struct pc_run *run, const char *shim)
{
    const char *it = getenv("GANNET_POWERCUT_ITERATIONS");
    const char *seed = getenv("GANNET_POWERCUT_SEED");
    const char *strict = getenv("GANNET_POWERCUT_STRICT_META");
    const char *verbose = getenv("GANNET_POWERCUT_VERBOSE");
    const char *pre = getenv("GANNET_POWERCUT_PRELOAD");
    const char *nosync = getenv("GANNET_POWERCUT_NOSYNC");
    char dir[256], preload[1024];

    run->iterations = it && atoi(it) > 0 ? atoi(it) : 5;
    run->seed = seed && *seed ? (unsigned)strtoul(seed, NULL, 10)
                              : (unsigned)time(NULL) ^ ((unsigned)getpid() << 16);
    run->strict_meta = !(strict && strcmp(strict, "0") == 0); /* on unless =0 */
    run->verbose = verbose && strcmp(verbose, "1") == 0;
    g_expect_loss = nosync && strcmp(nosync, "1") == 0;
    run->rng = 0x9e3779b97f4a7c15ULL ^ run->seed;
    IT_ASSERT(access(shim, R_OK) == 0, "shim %s: %s", shim, strerror(errno));
    it_tmpdir_make(dir, sizeof(dir));
    snprintf(run->store, sizeof(run->store), "%s/store", dir);
    snprintf(run->log, sizeof(run->log), "%s/powercut.log", dir);
    snprintf(run->keep, sizeof(run->keep), "%s/keep", dir);
    IT_ASSERT(mkdir(run->store, 0755) == 0, "mkdir %s: %s", run->store, strerror(errno));
    IT_ASSERT(mkdir(run->keep, 0755) == 0, "mkdir %s: %s", run->keep, strerror(errno));
    snprintf(preload, sizeof(preload), "%s%s%s", pre && *pre ? pre : "", pre && *pre ? ":" : "",
             shim);
    /* Inherited by the server only: this process is already loaded. */
    setenv("LD_PRELOAD", preload, 1);
    setenv("GANNET_POWERCUT_LOG", run->log, 1);
    setenv("GANNET_POWERCUT_DIR", run->store, 1);
    setenv("GANNET_POWERCUT_KEEP", run->keep, 1);
}

int main(int argc, char **argv)
{
    static struct pc_run run;
    struct it_server srv;
    const char *args[] = {"-js", "-sd", run.store, NULL};
    /* The negative control: the server acknowledges at once and syncs every 2 minutes, as
     * nats-server does by default, so the power cut must lose acknowledged messages. */
    const char *nosync_conf = "jetstream {\n  sync_interval: \"2m\"\n}\n";
    uint64_t next_n = 1, max_seq = 0;
    natsConnection *nc = NULL;
    jsCtx *js = NULL;

    it_init();
    if (argc != 2) {
        fprintf(stderr, "usage: %s <powercut_shim.so>\n", argv[0]);
        return 2;
    }
    run_setup(&run, argv[1]);
    alarm((unsigned)(run.iterations * ITER_BUDGET_S + 30));
    srand(run.seed);
    printf("power-cut test: %d iterations, seed %u (GANNET_POWERCUT_SEED replays it)%s\n",
           run.iterations, run.seed, run.strict_meta ? ", strict metadata" : "");
    /* The log starts empty on an empty store dir, so the first power cut also applies to the
     * directories and meta.inf the stream create wrote: a stream is durable once its create is
     * answered. With GANNET_POWERCUT_STRICT_META=0 its creation counts as durable instead (a
     * baseline is taken after it). */
    pc_reset(run.store, run.log, run.keep, &run.base);
    /* nats-server 2.9.10 has no sync_interval and acks before syncing anyway. */
    it_server_start(
        &srv, g_expect_loss && !strstr(it_server_bin(), "nats-server") ? nosync_conf : NULL, args);
    crash_stream_create(&srv, &g_acks, STREAM, SUBJECT);
    if (!run.strict_meta)
        pc_reset(run.store, run.log, run.keep, &run.base);
    for (int i = 0; i < run.iterations; i++) {
        /* async at a random time, async right after a block roll, sync at a random time */
        bool sync = i % 3 == 2, at_block = i % 3 == 1;
        int kill_ms = KILL_MIN_MS + rand() % (KILL_MAX_MS - KILL_MIN_MS + 1);
        max_seq = powercut_once(&run, &srv, i + 1, sync, at_block, kill_ms, &next_n, max_seq);
    }
    if (g_expect_loss) {
        /* Sequences are reused after a loss: later acks can shadow earlier ones, no final pass. */
        IT_CHECK(g_lost + g_changed > 0,
                 "negative control: %zu of %zu acknowledged messages lost and %zu changed by %d "
                 "power cuts with sync_interval 2m (the model does lose unsynced data)",
                 g_lost, g_acks.len, g_changed, run.iterations);
    } else {
        crash_connect_js(&srv, &g_acks, &nc, &js);
        verify_range(nc, 0, g_acks.len);
        it_ok("final pass: all %zu acknowledged messages of the run present and intact after %d "
              "power cuts",
              g_acks.len, run.iterations);
        crash_disconnect_js(nc, js, false);
    }
    it_cleanup_all();
    nats_CloseAndWait(2000);
    pc_baseline_free(&run.base);
    free(g_acks.v);
    printf("PASS powercut (%d iterations)\n", run.iterations);
    return 0;
}
