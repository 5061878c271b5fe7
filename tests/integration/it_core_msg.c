/* it_core cases about message flow: pub/sub, wildcards, queue groups, request/reply, no
 * responders, headers and payload sizes.
 *
 * "Nothing else arrived" is proven without sleeping: a flush is a PING/PONG round trip, so once
 * it returns every message the server sent earlier is already queued on the subscription.
 */
#include "it_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_MAX_PAYLOAD 1048576 /* nats-server's default max_payload */
#define QUEUE_MEMBERS       4
#define QUEUE_MSGS          1000

void it_case_pubsub(void)
{
    struct it_server srv;
    natsConnection *pub, *sub_nc;
    natsSubscription *sub;
    natsMsg *msg;
    char buf[32];

    it_server_start(&srv, NULL, NULL);
    pub = it_connect(&srv, NULL);
    sub_nc = it_connect(&srv, NULL);
    IT_CHECK(natsConnection_Status(pub) == NATS_CONN_STATUS_CONNECTED, "libnats connected to %s",
             srv.url);
    IT_CHECK(natsConnection_GetMaxPayload(pub) == DEFAULT_MAX_PAYLOAD,
             "INFO max_payload is the default 1048576");

    IT_NATS(natsConnection_SubscribeSync(&sub, sub_nc, "it.pubsub"));
    IT_NATS(natsConnection_Flush(sub_nc));
    for (int i = 0; i < 10; i++) {
        snprintf(buf, sizeof(buf), "msg-%d", i);
        IT_NATS(natsConnection_PublishString(pub, "it.pubsub", buf));
    }
    IT_NATS(natsConnection_Flush(pub));
    for (int i = 0; i < 10; i++) {
        snprintf(buf, sizeof(buf), "msg-%d", i);
        itc_expect(sub, "it.pubsub", buf);
    }
    IT_CHECK(true, "10 messages from another connection arrived in order with their payloads");

    IT_NATS(natsConnection_PublishRequestString(pub, "it.pubsub", "it.reply.to", "with-reply"));
    msg = itc_next(sub, 2000);
    IT_CHECK(natsMsg_GetReply(msg) && strcmp(natsMsg_GetReply(msg), "it.reply.to") == 0,
             "reply subject is delivered");
    natsMsg_Destroy(msg);

    IT_NATS(natsConnection_PublishString(pub, "it.other", "x"));
    IT_NATS(natsConnection_Publish(pub, "it.pubsub", NULL, 0));
    msg = itc_next(sub, 2000);
    IT_CHECK(natsMsg_GetDataLength(msg) == 0, "empty payload delivered; other subject not");
    natsMsg_Destroy(msg);
    itc_expect_none(sub_nc, sub);

    IT_NATS(natsSubscription_Unsubscribe(sub));
    IT_NATS(natsConnection_Flush(sub_nc));
    natsSubscription_Destroy(sub);
    IT_NATS(natsConnection_SubscribeSync(&sub, sub_nc, "it.pubsub2"));
    IT_NATS(natsConnection_Flush(sub_nc));
    IT_NATS(natsConnection_PublishString(pub, "it.pubsub", "after-unsub"));
    IT_NATS(natsConnection_PublishString(pub, "it.pubsub2", "sentinel"));
    IT_NATS(natsConnection_Flush(pub));
    itc_expect(sub, "it.pubsub2", "sentinel");
    IT_CHECK(true, "after UNSUB nothing more is delivered");

    natsSubscription_Destroy(sub);
    natsConnection_Destroy(sub_nc);
    natsConnection_Destroy(pub);
    it_server_cleanup(&srv);
}

/* One subscription of the wildcard case and the messages it must see, in order. */
struct wc_sub {
    const char *pattern;   /* subscribed subject */
    const char *want[8];   /* expected subjects, NULL-terminated */
    natsSubscription *sub; /* the subscription */
};

void it_case_wildcards(void)
{
    static const char *const published[] = {"w.a",   "w.a.b",   "w.b.c", "w.x.y.z",
                                            "w.end", "w.end.c", "w.a",   NULL};
    struct wc_sub subs[] = {
        {"w.*", {"w.a", "w.end", "w.a", NULL}, NULL},
        {"w.>", {"w.a", "w.a.b", "w.b.c", "w.x.y.z", "w.end", "w.end.c", "w.a", NULL}, NULL},
        {"w.*.c", {"w.b.c", "w.end.c", NULL}, NULL},
        {"*.a", {"w.a", "w.a", NULL}, NULL},
        {"w.a", {"w.a", "w.a", NULL}, NULL},
        {">", {"w.a", "w.a.b", "w.b.c", "w.x.y.z", "w.end", "w.end.c", "w.a", NULL}, NULL},
        {"w.*.*.>", {"w.x.y.z", NULL}, NULL},
    };
    size_t nsubs = sizeof(subs) / sizeof(subs[0]);
    struct it_server srv;
    natsConnection *nc;

    it_server_start(&srv, NULL, NULL);
    nc = it_connect(&srv, NULL);
    for (size_t i = 0; i < nsubs; i++)
        IT_NATS(natsConnection_SubscribeSync(&subs[i].sub, nc, subs[i].pattern));
    IT_NATS(natsConnection_Flush(nc));
    for (int i = 0; published[i]; i++)
        IT_NATS(natsConnection_PublishString(nc, published[i], published[i]));
    IT_NATS(natsConnection_Flush(nc));
    for (size_t i = 0; i < nsubs; i++) {
        int n = 0;
        for (; subs[i].want[n]; n++)
            itc_expect(subs[i].sub, subs[i].want[n], subs[i].want[n]);
        itc_expect_none(nc, subs[i].sub);
        IT_CHECK(true, "'%s' received exactly its %d matching message(s)", subs[i].pattern, n);
        natsSubscription_Destroy(subs[i].sub);
    }
    natsConnection_Destroy(nc);
    it_server_cleanup(&srv);
}

/* Shared state of the queue-group case, filled by the members' callbacks. */
struct queue_state {
    pthread_mutex_t lock;          /* guards the fields below */
    int seen[QUEUE_MSGS];          /* deliveries per message index, over all members */
    int per_member[QUEUE_MEMBERS]; /* deliveries per member */
    int total;                     /* deliveries over all members */
    int bad;                       /* payloads that did not parse */
};

/* Closure of one member: the shared state and the member's index. */
struct queue_member {
    struct queue_state *st; /* shared state */
    int idx;                /* member number */
};

static void on_queue_msg(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *arg)
{
    struct queue_member *m = arg;
    int i = atoi(natsMsg_GetData(msg));

    (void)nc;
    (void)sub;
    pthread_mutex_lock(&m->st->lock);
    if (i >= 0 && i < QUEUE_MSGS)
        m->st->seen[i]++;
    else
        m->st->bad++;
    m->st->per_member[m->idx]++;
    m->st->total++;
    pthread_mutex_unlock(&m->st->lock);
    natsMsg_Destroy(msg);
}

static bool queue_all_in(void *arg)
{
    struct queue_state *st = arg;
    bool done;

    pthread_mutex_lock(&st->lock);
    done = st->total >= QUEUE_MSGS;
    pthread_mutex_unlock(&st->lock);
    return done;
}

void it_case_queue_groups(void)
{
    static struct queue_state st;
    struct queue_member members[QUEUE_MEMBERS];
    natsConnection *ncs[QUEUE_MEMBERS], *pub, *plain_nc;
    natsSubscription *subs[QUEUE_MEMBERS], *plain;
    struct it_server srv;
    char buf[16];
    uint64_t queued = 0;

    pthread_mutex_init(&st.lock, NULL);
    it_server_start(&srv, NULL, NULL);
    for (int i = 0; i < QUEUE_MEMBERS; i++) {
        members[i] = (struct queue_member){.st = &st, .idx = i};
        ncs[i] = it_connect(&srv, NULL);
        IT_NATS(natsConnection_QueueSubscribe(&subs[i], ncs[i], "it.queue", "workers", on_queue_msg,
                                              &members[i]));
        IT_NATS(natsConnection_Flush(ncs[i]));
    }
    plain_nc = it_connect(&srv, NULL);
    IT_NATS(natsConnection_SubscribeSync(&plain, plain_nc, "it.queue"));
    IT_NATS(natsSubscription_SetPendingLimits(plain, -1, -1));
    IT_NATS(natsConnection_Flush(plain_nc));

    pub = it_connect(&srv, NULL);
    for (int i = 0; i < QUEUE_MSGS; i++) {
        snprintf(buf, sizeof(buf), "%d", i);
        IT_NATS(natsConnection_PublishString(pub, "it.queue", buf));
    }
    IT_NATS(natsConnection_Flush(pub));
    IT_ASSERT(it_wait_until(queue_all_in, &st, 5000), "queue group got only %d of %d", st.total,
              QUEUE_MSGS);
    for (int i = 0; i < QUEUE_MEMBERS; i++)
        IT_NATS(natsConnection_Flush(ncs[i])); /* any duplicate would be queued by now */
    IT_NATS(natsConnection_Flush(plain_nc));

    pthread_mutex_lock(&st.lock);
    IT_CHECK(st.total == QUEUE_MSGS && st.bad == 0, "%d messages, %d deliveries to the group",
             QUEUE_MSGS, st.total);
    for (int i = 0; i < QUEUE_MSGS; i++)
        IT_ASSERT(st.seen[i] == 1, "message %d delivered %d times", i, st.seen[i]);
    IT_CHECK(true, "each message delivered to exactly one member");
    for (int i = 0; i < QUEUE_MEMBERS; i++)
        IT_CHECK(st.per_member[i] > 0, "member %d got %d messages", i, st.per_member[i]);
    pthread_mutex_unlock(&st.lock);
    IT_NATS(natsSubscription_QueuedMsgs(plain, &queued));
    IT_CHECK(queued == QUEUE_MSGS, "a plain subscriber on the same subject got all %llu",
             (unsigned long long)queued);

    natsConnection_Destroy(pub);
    natsSubscription_Destroy(plain);
    natsConnection_Destroy(plain_nc);
    for (int i = 0; i < QUEUE_MEMBERS; i++) {
        natsSubscription_Unsubscribe(subs[i]);
        natsSubscription_Destroy(subs[i]);
        natsConnection_Destroy(ncs[i]);
    }
    it_server_cleanup(&srv);
}

static void on_echo_request(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *arg)
{
    char buf[256];

    (void)sub;
    (void)arg;
    snprintf(buf, sizeof(buf), "echo:%.*s", natsMsg_GetDataLength(msg), natsMsg_GetData(msg));
    if (natsMsg_GetReply(msg))
        natsConnection_PublishString(nc, natsMsg_GetReply(msg), buf);
    natsMsg_Destroy(msg);
}

void it_case_request_reply(void)
{
    struct it_server srv;
    natsConnection *req_nc, *rsp_nc;
    natsSubscription *rsp;
    natsMsg *reply;
    char want[64], got[64];

    it_server_start(&srv, NULL, NULL);
    rsp_nc = it_connect(&srv, NULL);
    req_nc = it_connect(&srv, NULL);
    IT_NATS(natsConnection_Subscribe(&rsp, rsp_nc, "it.service", on_echo_request, NULL));
    IT_NATS(natsConnection_Flush(rsp_nc));
    for (int i = 0; i < 20; i++) {
        snprintf(got, sizeof(got), "req-%d", i);
        IT_NATS(natsConnection_RequestString(&reply, req_nc, "it.service", got, 2000));
        snprintf(want, sizeof(want), "echo:req-%d", i);
        IT_ASSERT(natsMsg_GetDataLength(reply) == (int)strlen(want) &&
                      memcmp(natsMsg_GetData(reply), want, strlen(want)) == 0,
                  "reply %d: '%.*s'", i, natsMsg_GetDataLength(reply), natsMsg_GetData(reply));
        natsMsg_Destroy(reply);
    }
    IT_CHECK(true, "20 requests answered by the responder with the right replies");

    natsSubscription_Destroy(rsp);
    natsConnection_Destroy(req_nc);
    natsConnection_Destroy(rsp_nc);
    it_server_cleanup(&srv);
}

void it_case_no_responders(void)
{
    struct it_server srv;
    natsConnection *nc;
    natsMsg *reply = NULL;
    natsStatus s;
    int64_t t0, took;

    it_server_start(&srv, NULL, NULL);
    nc = it_connect(&srv, NULL);
    t0 = it_now_ms();
    s = natsConnection_RequestString(&reply, nc, "it.nobody.listens", "hello", 10000);
    took = it_now_ms() - t0;
    IT_CHECK(s == NATS_NO_RESPONDERS, "request without responder -> %s", natsStatus_GetText(s));
    IT_CHECK(took < 3000, "no-responders status came in %lld ms (timeout was 10000)",
             (long long)took);
    IT_CHECK(reply == NULL, "no reply message is returned");
    IT_CHECK(natsConnection_Status(nc) == NATS_CONN_STATUS_CONNECTED, "connection stays open");
    natsConnection_Destroy(nc);
    it_server_cleanup(&srv);
}

void it_case_headers(void)
{
    struct it_server srv;
    natsConnection *nc;
    natsSubscription *sub;
    natsMsg *msg, *got;
    const char **keys = NULL, **vals = NULL;
    const char *val = NULL;
    int nkeys = 0, nvals = 0;
    bool have_mixed = false, have_multi = false;

    it_server_start(&srv, NULL, NULL);
    nc = it_connect(&srv, NULL);
    IT_NATS(natsConnection_SubscribeSync(&sub, nc, "it.hdr"));
    IT_NATS(natsConnection_Flush(nc));

    IT_NATS(natsMsg_Create(&msg, "it.hdr", NULL, "body", 4));
    IT_NATS(natsMsgHeader_Set(msg, "X-MiXeD-CaSe", "Value With Spaces"));
    IT_NATS(natsMsgHeader_Add(msg, "Multi", "one"));
    IT_NATS(natsMsgHeader_Add(msg, "Multi", "two"));
    IT_NATS(natsMsgHeader_Add(msg, "Multi", "three"));
    IT_NATS(natsConnection_PublishMsg(nc, msg));
    natsMsg_Destroy(msg);

    got = itc_next(sub, 2000);
    IT_CHECK(natsMsg_GetDataLength(got) == 4 && memcmp(natsMsg_GetData(got), "body", 4) == 0,
             "payload intact next to headers");
    IT_NATS(natsMsgHeader_Keys(got, &keys, &nkeys));
    for (int i = 0; i < nkeys; i++) {
        have_mixed |= strcmp(keys[i], "X-MiXeD-CaSe") == 0;
        have_multi |= strcmp(keys[i], "Multi") == 0;
    }
    IT_CHECK(nkeys == 2 && have_mixed && have_multi, "header names arrive with their case (%d)",
             nkeys);
    IT_NATS(natsMsgHeader_Get(got, "X-MiXeD-CaSe", &val));
    IT_CHECK(strcmp(val, "Value With Spaces") == 0, "single value intact: '%s'", val);
    IT_NATS(natsMsgHeader_Values(got, "Multi", &vals, &nvals));
    IT_CHECK(nvals == 3 && strcmp(vals[0], "one") == 0 && strcmp(vals[1], "two") == 0 &&
                 strcmp(vals[2], "three") == 0,
             "multi-value header keeps 3 values in order");
    free((void *)keys);
    free((void *)vals);
    natsMsg_Destroy(got);

    IT_NATS(natsMsg_Create(&msg, "it.hdr", NULL, NULL, 0));
    IT_NATS(natsMsgHeader_Set(msg, "Only", "headers"));
    IT_NATS(natsConnection_PublishMsg(nc, msg));
    natsMsg_Destroy(msg);
    got = itc_next(sub, 2000);
    IT_NATS(natsMsgHeader_Get(got, "Only", &val));
    IT_CHECK(natsMsg_GetDataLength(got) == 0 && strcmp(val, "headers") == 0,
             "headers with an empty payload round trip");
    natsMsg_Destroy(got);

    natsSubscription_Destroy(sub);
    natsConnection_Destroy(nc);
    it_server_cleanup(&srv);
}

void it_case_payload_1mb(void)
{
    struct it_server srv;
    natsConnection *pub, *sub_nc;
    natsSubscription *sub;
    natsMsg *msg;
    char *data = malloc(DEFAULT_MAX_PAYLOAD);

    IT_ASSERT(data != NULL, "malloc");
    for (int i = 0; i < DEFAULT_MAX_PAYLOAD; i++)
        data[i] = (char)((i * 7 + i / 251) & 0xff);
    it_server_start(&srv, NULL, NULL);
    pub = it_connect(&srv, NULL);
    sub_nc = it_connect(&srv, NULL);
    IT_NATS(natsConnection_SubscribeSync(&sub, sub_nc, "it.big"));
    IT_NATS(natsConnection_Flush(sub_nc));
    for (int round = 0; round < 3; round++)
        IT_NATS(natsConnection_Publish(pub, "it.big", data, DEFAULT_MAX_PAYLOAD));
    IT_NATS(natsConnection_Flush(pub));
    for (int round = 0; round < 3; round++) {
        msg = itc_next(sub, 5000);
        IT_ASSERT(natsMsg_GetDataLength(msg) == DEFAULT_MAX_PAYLOAD, "length %d",
                  natsMsg_GetDataLength(msg));
        IT_ASSERT(memcmp(natsMsg_GetData(msg), data, DEFAULT_MAX_PAYLOAD) == 0,
                  "payload bytes differ");
        natsMsg_Destroy(msg);
    }
    IT_CHECK(true, "3 messages of exactly 1048576 bytes arrived byte for byte");
    free(data);
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(sub_nc);
    natsConnection_Destroy(pub);
    it_server_cleanup(&srv);
}

void it_case_payload_over_max(void)
{
    struct it_server srv;
    natsConnection *nc;
    natsSubscription *sub;
    natsMsg *msg;
    char *data = calloc(1, DEFAULT_MAX_PAYLOAD + 1);
    natsStatus s;

    IT_ASSERT(data != NULL, "calloc");
    it_server_start(&srv, NULL, NULL);
    nc = it_connect(&srv, NULL);
    s = natsConnection_Publish(nc, "it.big", data, DEFAULT_MAX_PAYLOAD + 1);
    IT_CHECK(s == NATS_MAX_PAYLOAD, "1048577 bytes refused by libnats: %s", natsStatus_GetText(s));
    IT_NATS(natsConnection_SubscribeSync(&sub, nc, "it.after"));
    IT_NATS(natsConnection_PublishString(nc, "it.after", "still-ok"));
    itc_expect(sub, "it.after", "still-ok");
    IT_CHECK(true, "connection still usable after the refused publish");
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(nc);
    it_server_cleanup(&srv);

    /* A configured limit is announced in INFO and enforced by the client. */
    it_server_start(&srv, "max_payload: 1024\n", NULL);
    nc = it_connect(&srv, NULL);
    IT_CHECK(natsConnection_GetMaxPayload(nc) == 1024, "config max_payload 1024 is in INFO");
    s = natsConnection_Publish(nc, "it.big", data, 1025);
    IT_CHECK(s == NATS_MAX_PAYLOAD, "1025 bytes refused: %s", natsStatus_GetText(s));
    IT_NATS(natsConnection_SubscribeSync(&sub, nc, "it.big"));
    IT_NATS(natsConnection_Publish(nc, "it.big", data, 1024));
    msg = itc_next(sub, 2000);
    IT_CHECK(natsMsg_GetDataLength(msg) == 1024, "1024 bytes accepted");
    natsMsg_Destroy(msg);
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(nc);
    it_server_cleanup(&srv);
    free(data);
}

void it_case_payload_over_max_raw(void)
{
    struct it_server srv;
    char buf[8192], payload[1025];
    size_t len = 0;
    int fd, rc;

    it_server_start(&srv, "max_payload: 1024\n", NULL);

    fd = it_raw_connect(srv.port);
    rc = it_raw_read_until(fd, buf, sizeof(buf), &len, "\r\n", 5000);
    IT_CHECK(rc == 1 && strncmp(buf, "INFO {", 6) == 0, "server greets with INFO");
    IT_CHECK(strstr(buf, "\"max_payload\":1024") != NULL, "INFO carries max_payload 1024");
    memset(payload, 'p', 1024);
    payload[1024] = '\0';
    it_raw_send(fd, "CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB raw.max 1\r\n"
                    "PUB raw.max 1024\r\n");
    it_raw_send(fd, payload);
    it_raw_send(fd, "\r\nPING\r\n");
    rc = it_raw_read_until(fd, buf, sizeof(buf), &len, "PONG\r\n", 5000);
    IT_CHECK(rc == 1 && strstr(buf, "MSG raw.max 1 1024\r\n") != NULL,
             "a 1024-byte PUB is delivered (MSG raw.max 1 1024)");
    close(fd);

    fd = it_raw_connect(srv.port);
    it_raw_read_until(fd, buf, sizeof(buf), &len, "\r\n", 5000);
    it_raw_send(fd, "CONNECT {\"verbose\":false,\"pedantic\":false}\r\nPUB raw.max 1025\r\n");
    rc = it_raw_read_until(fd, buf, sizeof(buf), &len, NULL, 5000);
    IT_CHECK(strstr(buf, "-ERR 'Maximum Payload Violation'\r\n") != NULL,
             "PUB of 1025 bytes gets -ERR 'Maximum Payload Violation'");
    IT_CHECK(rc == 0, "and the server closes the connection");
    close(fd);
    it_server_cleanup(&srv);
}
