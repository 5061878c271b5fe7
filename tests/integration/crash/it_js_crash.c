/* it_js_crash: "acknowledged means durable" under kill -9.
 *
 * A publisher thread sends numbered messages to a file stream (js_PublishAsync with up to 4096
 * in flight, or js_Publish one at a time) and records every (sequence, number) it got a PubAck
 * for. The main thread kills the server with SIGKILL at a random point 0.2-2 s in, restarts it
 * on the same store dir and port, and fetches every acknowledged sequence with pipelined
 * STREAM.MSG.GET requests, comparing subject and payload. Repeated GANNET_CRASH_ITERATIONS
 * times (default 10); GANNET_CRASH_SEED replays a run, GANNET_CRASH_MODE is async, sync or
 * mixed (default: every third iteration sync). Each iteration checks all of its own acks; a
 * last pass re-reads every 8th ack of the whole run, so that a recovery that damaged older
 * blocks is caught too.
 */
#include "crash_load.h"

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STREAM        "CRASH"
#define SUBJECT       "crash.data"
#define VERIFY_WINDOW 1024 /* outstanding MSG.GET requests while verifying */
#define KILL_MIN_MS   200
#define KILL_MAX_MS   2000
#define ITER_BUDGET_S 40 /* watchdog seconds per iteration (publish, restart, verify) */
#define FINAL_STRIDE  8  /* the final pass re-reads every 8th ack: any lost block shows */

static struct crash_acks g_acks = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Checks one MSG.GET reply against the record it names. */
static void verify_reply(natsMsg *m, const struct crash_ack_rec *v, size_t from, size_t to)
{
    char expect[CRASH_PAYLOAD_LEN], b64[CRASH_PAYLOAD_LEN * 2];
    size_t idx = strtoull(natsMsg_GetSubject(m) + strlen(CRASH_VERIFY_PREFIX), NULL, 10);
    json_t *root = json_loadb(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m), 0, NULL);
    json_t *msg = json_object_get(root, "message");
    const char *data = json_string_value(json_object_get(msg, "data"));
    const char *subj = json_string_value(json_object_get(msg, "subject"));

    IT_ASSERT(idx >= from && idx < to, "reply for unknown record %zu", idx);
    IT_ASSERT(msg != NULL, "ACKED MESSAGE LOST: seq %llu (msg #%llu): %.*s",
              (unsigned long long)v[idx].seq, (unsigned long long)v[idx].n,
              natsMsg_GetDataLength(m), natsMsg_GetData(m));
    crash_payload_make(v[idx].n, expect);
    crash_b64_encode((const unsigned char *)expect, CRASH_PAYLOAD_LEN, b64);
    IT_ASSERT(data && strcmp(data, b64) == 0 && subj && strcmp(subj, SUBJECT) == 0 &&
                  json_integer_value(json_object_get(msg, "seq")) == (json_int_t)v[idx].seq,
              "ACKED MESSAGE CHANGED: seq %llu should hold msg #%llu",
              (unsigned long long)v[idx].seq, (unsigned long long)v[idx].n);
    json_decref(root);
}

/* Fetches every <stride>-th record of [from, to) of g_acks with pipelined MSG.GET requests and
 * checks each one. */
static void verify_range(natsConnection *nc, size_t from, size_t to, size_t stride)
{
    natsSubscription *sub = NULL;
    const struct crash_ack_rec *v = g_acks.v; /* no publisher runs now: no lock needed */
    size_t total = to > from ? (to - from + stride - 1) / stride : 0;
    size_t sent = 0, got = 0;

    IT_NATS(natsConnection_SubscribeSync(&sub, nc, CRASH_VERIFY_PREFIX "*"));
    IT_NATS(natsSubscription_SetPendingLimits(sub, -1, -1));
    while (got < total) {
        natsMsg *m = NULL;
        natsStatus s;

        while (sent < total && sent - got < VERIFY_WINDOW) {
            crash_verify_send(nc, STREAM, &v[from + sent * stride], from + sent * stride);
            sent++;
        }
        s = natsSubscription_NextMsg(&m, sub, 5000);
        IT_ASSERT(s == NATS_OK, "no MSG.GET reply within 5 s (%zu of %zu checked): %s", got, total,
                  natsStatus_GetText(s));
        verify_reply(m, v, from, to);
        natsMsg_Destroy(m);
        got++;
    }
    natsSubscription_Destroy(sub);
}

/* Settings read from the environment. */
struct crash_cfg {
    int iterations;   /* GANNET_CRASH_ITERATIONS, default 10 */
    unsigned seed;    /* GANNET_CRASH_SEED, default from time and pid */
    const char *mode; /* GANNET_CRASH_MODE: async, sync or mixed (default) */
};

static void cfg_read(struct crash_cfg *c)
{
    const char *it = getenv("GANNET_CRASH_ITERATIONS");
    const char *seed = getenv("GANNET_CRASH_SEED");
    const char *mode = getenv("GANNET_CRASH_MODE");

    c->iterations = it && atoi(it) > 0 ? atoi(it) : 10;
    c->seed = seed && *seed ? (unsigned)strtoul(seed, NULL, 10)
                            : (unsigned)time(NULL) ^ ((unsigned)getpid() << 16);
    c->mode = mode && *mode ? mode : "mixed";
    IT_ASSERT(strcmp(c->mode, "async") == 0 || strcmp(c->mode, "sync") == 0 ||
                  strcmp(c->mode, "mixed") == 0,
              "GANNET_CRASH_MODE must be async, sync or mixed, not '%s'", c->mode);
}

/* One iteration: publish, SIGKILL after <kill_ms>, restart, verify the new acks. Returns the
 * highest acknowledged sequence so far. */
static uint64_t crash_once(struct it_server *srv, int iter, bool sync, int kill_ms,
                           uint64_t *next_n, uint64_t max_seq)
{
    struct crash_pub p = {.acks = &g_acks, .subject = SUBJECT, .sync = sync, .next_n = *next_n};
    uint64_t start_n = *next_n;
    size_t first = crash_acks_len(&g_acks), last;
    natsConnection *nc = NULL;
    jsStreamInfo *si;
    pthread_t th;
    int st;

    crash_connect_js(srv, &g_acks, &nc, &p.js);
    atomic_init(&p.stop, false);
    IT_ASSERT(pthread_create(&th, NULL, crash_pub_run, &p) == 0, "pthread_create failed");
    crash_sleep_ms(kill_ms);
    IT_ASSERT(kill(srv->pid, SIGKILL) == 0, "kill -9 failed");
    st = it_server_wait_exit(srv, 5000);
    IT_ASSERT(st == 128 + SIGKILL, "server did not die by SIGKILL (status %d)", st);
    atomic_store(&p.stop, true);
    pthread_join(th, NULL);
    crash_disconnect_js(nc, p.js, !sync); /* no ack can arrive any more: the connection is gone */
    *next_n = p.next_n + 1;
    last = crash_acks_settle(&g_acks);
    IT_ASSERT(g_acks.errors == 0, "%zu negative PubAcks before the kill", g_acks.errors);
    for (size_t i = first; i < last; i++) {
        IT_ASSERT(g_acks.v[i].seq > max_seq, "seq %llu acked again after a restart (max was %llu)",
                  (unsigned long long)g_acks.v[i].seq, (unsigned long long)max_seq);
        if (g_acks.v[i].seq > max_seq)
            max_seq = g_acks.v[i].seq;
    }

    it_server_restart(srv);
    crash_connect_js(srv, &g_acks, &nc, &p.js);
    si = crash_wait_stream(p.js, STREAM, "the restart");
    IT_ASSERT(si->State.LastSeq >= max_seq, "stream last_seq %llu is below the acked seq %llu",
              (unsigned long long)si->State.LastSeq, (unsigned long long)max_seq);
    verify_range(nc, first, last, 1);
    it_ok("iteration %d (%s): killed at %d ms, %zu acked (%llu sent), all present; stream has "
          "%llu msgs, last_seq %llu",
          iter, sync ? "sync" : "async", kill_ms, last - first,
          (unsigned long long)(p.next_n - start_n), (unsigned long long)si->State.Msgs,
          (unsigned long long)si->State.LastSeq);
    jsStreamInfo_Destroy(si);
    crash_disconnect_js(nc, p.js, false);
    return max_seq;
}

int main(void)
{
    struct crash_cfg cfg;
    struct it_server srv;
    char store[256];
    const char *args[] = {"-js", "-sd", store, NULL};
    uint64_t next_n = 1, max_seq = 0;
    natsConnection *nc = NULL;
    jsCtx *js = NULL;

    it_init();
    cfg_read(&cfg);
    alarm((unsigned)(cfg.iterations * ITER_BUDGET_S + 60));
    srand(cfg.seed);
    printf("crash test: %d iterations, mode %s, seed %u (GANNET_CRASH_SEED replays it)\n",
           cfg.iterations, cfg.mode, cfg.seed);
    it_tmpdir_make(store, sizeof(store));
    it_server_start(&srv, NULL, args);
    crash_stream_create(&srv, &g_acks, STREAM, SUBJECT);
    for (int i = 0; i < cfg.iterations; i++) {
        bool sync = strcmp(cfg.mode, "sync") == 0 || (strcmp(cfg.mode, "mixed") == 0 && i % 3 == 2);
        int kill_ms = KILL_MIN_MS + rand() % (KILL_MAX_MS - KILL_MIN_MS + 1);
        max_seq = crash_once(&srv, i + 1, sync, kill_ms, &next_n, max_seq);
    }
    crash_connect_js(&srv, &g_acks, &nc, &js);
    verify_range(nc, 0, g_acks.len, FINAL_STRIDE);
    it_ok("final pass: every %d%s of the %zu acknowledged messages of the run present and intact",
          FINAL_STRIDE, FINAL_STRIDE == 1 ? "st" : "th", g_acks.len);
    crash_disconnect_js(nc, js, false);
    it_cleanup_all();
    nats_CloseAndWait(2000);
    free(g_acks.v);
    printf("PASS crash (%d iterations)\n", cfg.iterations);
    return 0;
}
