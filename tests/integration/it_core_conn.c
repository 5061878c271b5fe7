/* it_core cases about connection behaviour: reconnect after a server restart, echo off,
 * UNSUB with a message limit, and many concurrent publishers.
 *
 * The concurrency case checks the core ordering promise: messages from one publisher reach
 * each subscriber exactly once and in publish order, whatever the other publishers do.
 */
#include "it_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CONC_PUB_CONNS  2 /* publishing connections */
#define CONC_THREADS    4 /* publisher threads per publishing connection */
#define CONC_PUBLISHERS (CONC_PUB_CONNS * CONC_THREADS)
#define CONC_MSGS       50000 /* messages per publisher */
#define CONC_SUBS       2     /* subscribing connections */
#define CONC_TOTAL      (CONC_PUBLISHERS * CONC_MSGS)

/* Counts of the connection callbacks of the reconnect case. */
struct conn_events {
    pthread_mutex_t lock; /* guards the counters */
    int disconnected;     /* disconnected callbacks */
    int reconnected;      /* reconnected callbacks */
};

static void on_disconnected(natsConnection *nc, void *arg)
{
    struct conn_events *ev = arg;

    (void)nc;
    pthread_mutex_lock(&ev->lock);
    ev->disconnected++;
    pthread_mutex_unlock(&ev->lock);
}

static void on_reconnected(natsConnection *nc, void *arg)
{
    struct conn_events *ev = arg;

    (void)nc;
    pthread_mutex_lock(&ev->lock);
    ev->reconnected++;
    pthread_mutex_unlock(&ev->lock);
}

static bool has_reconnected(void *arg)
{
    struct conn_events *ev = arg;
    bool done;

    pthread_mutex_lock(&ev->lock);
    done = ev->reconnected > 0;
    pthread_mutex_unlock(&ev->lock);
    return done;
}

void it_case_reconnect(void)
{
    static struct conn_events ev = {.lock = PTHREAD_MUTEX_INITIALIZER};
    struct it_server srv;
    natsOptions *opts;
    natsConnection *nc, *other;
    natsSubscription *sub;

    it_server_start(&srv, NULL, NULL);
    IT_NATS(natsOptions_Create(&opts));
    IT_NATS(natsOptions_SetMaxReconnect(opts, 200));
    IT_NATS(natsOptions_SetReconnectWait(opts, 25));
    IT_NATS(natsOptions_SetReconnectJitter(opts, 0, 0));
    IT_NATS(natsOptions_SetDisconnectedCB(opts, on_disconnected, &ev));
    IT_NATS(natsOptions_SetReconnectedCB(opts, on_reconnected, &ev));
    nc = it_connect(&srv, opts);
    natsOptions_Destroy(opts);

    IT_NATS(natsConnection_SubscribeSync(&sub, nc, "it.rc"));
    IT_NATS(natsConnection_PublishString(nc, "it.rc", "before"));
    itc_expect(sub, "it.rc", "before");
    IT_CHECK(true, "subscription works before the restart");

    it_server_restart(&srv);
    IT_CHECK(it_wait_until(has_reconnected, &ev, 10000), "client reconnected after the restart");
    pthread_mutex_lock(&ev.lock);
    IT_CHECK(ev.disconnected >= 1, "disconnected callback ran %d time(s)", ev.disconnected);
    pthread_mutex_unlock(&ev.lock);
    IT_NATS(natsConnection_Flush(nc)); /* the replayed SUB is processed before this PONG */

    other = it_connect(&srv, NULL);
    IT_NATS(natsConnection_PublishString(other, "it.rc", "after"));
    IT_NATS(natsConnection_Flush(other));
    itc_expect(sub, "it.rc", "after");
    IT_CHECK(true, "the subscription was re-sent: a new client's message arrives");
    IT_NATS(natsConnection_PublishString(nc, "it.rc", "own"));
    itc_expect(sub, "it.rc", "own");
    IT_CHECK(true, "the reconnected client can publish");

    natsConnection_Destroy(other);
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(nc);
    it_server_cleanup(&srv);
}

void it_case_no_echo(void)
{
    struct it_server srv;
    natsOptions *opts;
    natsConnection *quiet, *loud, *other;
    natsSubscription *qsub, *lsub;

    it_server_start(&srv, NULL, NULL);
    IT_NATS(natsOptions_Create(&opts));
    IT_NATS(natsOptions_SetNoEcho(opts, true));
    quiet = it_connect(&srv, opts);
    natsOptions_Destroy(opts);
    loud = it_connect(&srv, NULL);
    other = it_connect(&srv, NULL);

    IT_NATS(natsConnection_SubscribeSync(&qsub, quiet, "it.echo"));
    IT_NATS(natsConnection_SubscribeSync(&lsub, loud, "it.echo"));
    IT_NATS(natsConnection_Flush(quiet));
    IT_NATS(natsConnection_Flush(loud));

    IT_NATS(natsConnection_PublishString(quiet, "it.echo", "from-quiet"));
    IT_NATS(natsConnection_Flush(quiet));
    IT_NATS(natsConnection_PublishString(loud, "it.echo", "from-loud"));
    IT_NATS(natsConnection_Flush(loud));
    IT_NATS(natsConnection_PublishString(other, "it.echo", "from-other"));
    IT_NATS(natsConnection_Flush(other));

    itc_expect(qsub, "it.echo", "from-loud");
    itc_expect(qsub, "it.echo", "from-other");
    itc_expect_none(quiet, qsub);
    IT_CHECK(true, "echo off: own message not delivered back, others' messages are");
    itc_expect(lsub, "it.echo", "from-quiet");
    itc_expect(lsub, "it.echo", "from-loud");
    itc_expect(lsub, "it.echo", "from-other");
    itc_expect_none(loud, lsub);
    IT_CHECK(true, "echo on (default): own message delivered back");

    natsSubscription_Destroy(qsub);
    natsSubscription_Destroy(lsub);
    natsConnection_Destroy(other);
    natsConnection_Destroy(loud);
    natsConnection_Destroy(quiet);
    it_server_cleanup(&srv);
}

/* Counts "MSG " lines in <buf>. */
static int count_msgs(const char *buf)
{
    int n = 0;

    for (const char *p = strstr(buf, "MSG "); p; p = strstr(p + 4, "MSG "))
        n++;
    return n;
}

void it_case_auto_unsub(void)
{
    struct it_server srv;
    natsConnection *nc, *pub;
    natsSubscription *sub;
    natsStatistics *stats;
    uint64_t in_msgs = 0;
    char buf[4096];
    size_t len;
    int fd, rc;

    it_server_start(&srv, NULL, NULL);
    nc = it_connect(&srv, NULL);
    pub = it_connect(&srv, NULL);
    IT_NATS(natsConnection_SubscribeSync(&sub, nc, "it.unsub"));
    IT_NATS(natsSubscription_AutoUnsubscribe(sub, 5));
    IT_NATS(natsConnection_Flush(nc));
    for (int i = 0; i < 10; i++)
        IT_NATS(natsConnection_PublishString(pub, "it.unsub", "m"));
    IT_NATS(natsConnection_Flush(pub));
    for (int i = 0; i < 5; i++)
        natsMsg_Destroy(itc_next(sub, 2000));
    IT_NATS(natsConnection_Flush(nc));
    IT_NATS(natsStatistics_Create(&stats));
    IT_NATS(natsConnection_GetStats(nc, stats));
    IT_NATS(natsStatistics_GetCounts(stats, &in_msgs, NULL, NULL, NULL, NULL));
    natsStatistics_Destroy(stats);
    IT_CHECK(in_msgs == 5, "AutoUnsubscribe(5): the server sent exactly %llu of 10",
             (unsigned long long)in_msgs);
    natsSubscription_Destroy(sub);

    /* The same on the wire: UNSUB <sid> 3, then 6 PUBs and a PING. */
    fd = it_raw_connect(srv.port);
    it_raw_read_until(fd, buf, sizeof(buf), &len, "\r\n", 5000);
    it_raw_send(fd, "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n"
                    "SUB raw.unsub 7\r\nUNSUB 7 3\r\n");
    for (int i = 0; i < 6; i++)
        it_raw_send(fd, "PUB raw.unsub 1\r\nx\r\n");
    it_raw_send(fd, "PING\r\n");
    rc = it_raw_read_until(fd, buf, sizeof(buf), &len, "PONG\r\n", 5000);
    IT_CHECK(rc == 1 && count_msgs(buf) == 3, "raw UNSUB 7 3: %d MSG lines before PONG",
             count_msgs(buf));
    close(fd);

    natsConnection_Destroy(pub);
    natsConnection_Destroy(nc);
    it_server_cleanup(&srv);
}

/* What one subscriber of the concurrency case has seen. */
struct conc_sub {
    pthread_mutex_t lock;      /* guards the fields below */
    int next[CONC_PUBLISHERS]; /* next expected sequence per publisher */
    int total;                 /* messages received */
    int errors;                /* out-of-order, duplicate or malformed messages */
    bool ended;                /* the sentinel "end" (sent after all others) arrived */
    char first_error[128];     /* description of the first error */
};

/* One publisher thread: a shared connection and its publisher id. */
struct conc_pub {
    natsConnection *nc; /* connection shared with the other threads of this connection */
    int id;             /* publisher id, 0..CONC_PUBLISHERS-1 */
    natsStatus status;  /* first failing publish status, NATS_OK if none */
};

static void on_conc_msg(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *arg)
{
    struct conc_sub *cs = arg;
    int id = -1, seq = -1;
    char tmp[32];

    (void)nc;
    (void)sub;
    snprintf(tmp, sizeof(tmp), "%.*s", natsMsg_GetDataLength(msg), natsMsg_GetData(msg));
    pthread_mutex_lock(&cs->lock);
    cs->total++;
    if (strcmp(tmp, "end") == 0) {
        cs->ended = true;
        cs->total--; /* the sentinel is not one of the counted messages */
    } else if (sscanf(tmp, "%d %d", &id, &seq) != 2 || id < 0 || id >= CONC_PUBLISHERS ||
               seq != cs->next[id]) {
        if (cs->errors++ == 0)
            snprintf(cs->first_error, sizeof(cs->first_error), "got '%s', expected seq %d", tmp,
                     id >= 0 && id < CONC_PUBLISHERS ? cs->next[id] : -1);
    } else {
        cs->next[id]++;
    }
    pthread_mutex_unlock(&cs->lock);
    natsMsg_Destroy(msg);
}

static void *conc_publish(void *arg)
{
    struct conc_pub *p = arg;
    char buf[32];

    for (int seq = 0; seq < CONC_MSGS && p->status == NATS_OK; seq++) {
        snprintf(buf, sizeof(buf), "%d %d", p->id, seq);
        p->status = natsConnection_PublishString(p->nc, "it.conc", buf);
    }
    return NULL;
}

static bool conc_all_in(void *arg)
{
    struct conc_sub *subs = arg;
    bool done = true;

    for (int i = 0; i < CONC_SUBS; i++) {
        pthread_mutex_lock(&subs[i].lock);
        done = done && subs[i].ended;
        pthread_mutex_unlock(&subs[i].lock);
    }
    return done;
}

void it_case_concurrency(void)
{
    static struct conc_sub subs[CONC_SUBS];
    struct conc_pub pubs[CONC_PUBLISHERS];
    natsConnection *sub_ncs[CONC_SUBS], *pub_ncs[CONC_PUB_CONNS];
    natsSubscription *nsubs[CONC_SUBS];
    pthread_t threads[CONC_PUBLISHERS];
    struct it_server srv;
    int64_t t0;

    it_server_start(&srv, NULL, NULL);
    for (int i = 0; i < CONC_SUBS; i++) {
        pthread_mutex_init(&subs[i].lock, NULL);
        sub_ncs[i] = it_connect(&srv, NULL);
        IT_NATS(natsConnection_Subscribe(&nsubs[i], sub_ncs[i], "it.conc", on_conc_msg, &subs[i]));
        IT_NATS(natsSubscription_SetPendingLimits(nsubs[i], -1, -1));
        IT_NATS(natsConnection_Flush(sub_ncs[i]));
    }
    for (int i = 0; i < CONC_PUB_CONNS; i++)
        pub_ncs[i] = it_connect(&srv, NULL);

    t0 = it_now_ms();
    for (int i = 0; i < CONC_PUBLISHERS; i++) {
        pubs[i] = (struct conc_pub){.nc = pub_ncs[i % CONC_PUB_CONNS], .id = i};
        IT_ASSERT(pthread_create(&threads[i], NULL, conc_publish, &pubs[i]) == 0, "pthread_create");
    }
    for (int i = 0; i < CONC_PUBLISHERS; i++) {
        pthread_join(threads[i], NULL);
        IT_ASSERT(pubs[i].status == NATS_OK, "publisher %d: %s", i,
                  natsStatus_GetText(pubs[i].status));
    }
    for (int i = 0; i < CONC_PUB_CONNS; i++)
        IT_NATS(natsConnection_FlushTimeout(pub_ncs[i], 20000));
    IT_CHECK(true, "%d publishers on %d connections sent %d messages each", CONC_PUBLISHERS,
             CONC_PUB_CONNS, CONC_MSGS);
    /* Every publish was processed before the flushes returned, so the sentinel comes last. */
    IT_NATS(natsConnection_PublishString(pub_ncs[0], "it.conc", "end"));
    IT_NATS(natsConnection_Flush(pub_ncs[0]));

    IT_ASSERT(it_wait_until(conc_all_in, subs, 40000), "subscribers got %d and %d of %d",
              subs[0].total, subs[1].total, CONC_TOTAL);
    for (int i = 0; i < CONC_SUBS; i++) {
        pthread_mutex_lock(&subs[i].lock);
        IT_CHECK(subs[i].errors == 0, "subscriber %d: every publisher's messages in order (%s)", i,
                 subs[i].errors ? subs[i].first_error : "no gap, no duplicate");
        IT_CHECK(subs[i].total == CONC_TOTAL, "subscriber %d received exactly %d messages", i,
                 subs[i].total);
        for (int p = 0; p < CONC_PUBLISHERS; p++)
            IT_ASSERT(subs[i].next[p] == CONC_MSGS, "publisher %d: %d of %d", p, subs[i].next[p],
                      CONC_MSGS);
        pthread_mutex_unlock(&subs[i].lock);
    }
    it_ok("%d deliveries took %lld ms", CONC_TOTAL * CONC_SUBS, (long long)(it_now_ms() - t0));

    for (int i = 0; i < CONC_PUB_CONNS; i++)
        natsConnection_Destroy(pub_ncs[i]);
    for (int i = 0; i < CONC_SUBS; i++) {
        natsSubscription_Unsubscribe(nsubs[i]);
        natsSubscription_Destroy(nsubs[i]);
        natsConnection_Destroy(sub_ncs[i]);
    }
    it_server_cleanup(&srv);
}
