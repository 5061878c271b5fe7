/* it_jsc cases about the pace of delivery: backoff between redeliveries (and the max_deliver
 * advisory at the end), max_ack_pending holding pull and push delivery back, rate_limit_bps
 * (with nats-server's burst of one maximum message), replay_policy original, sampled ack
 * metrics, headers-only delivery, pull max_bytes (409 and the pending counts) and a
 * flow-controlled push consumer under load. Timing bounds are wide enough for a loaded machine
 * but still tell a delay from its absence.
 */
#include "it_jsc.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stream <name> on <subj> (max_msg_size <max_msg>, 0 for none) on the running server. */
static void stream_add(struct itj_env *env, const char *name, const char *subj, int32_t max_msg)
{
    struct itj_stream st;

    itj_stream_init(&st, name, subj, NULL);
    st.cfg.MaxMsgSize = max_msg;
    itj_stream_add(env, &st);
}

/* Starts a server with stream "S" on "s.>". */
static void setup(struct itj_env *env)
{
    itj_start(env);
    stream_add(env, "S", "s.>", 0);
}

/* Returns the next data message on <in> within <timeout_ms> (status messages are skipped), or
 * NULL on timeout. The caller destroys it. */
static natsMsg *next_data(struct itc_inbox *in, int64_t timeout_ms)
{
    int64_t deadline = it_now_ms() + timeout_ms;

    while (it_now_ms() < deadline) {
        natsMsg *m = itc_inbox_next(in, deadline - it_now_ms());

        if (!m || itc_status(m, NULL)[0] == '\0')
            return m;
        natsMsg_Destroy(m);
    }
    return NULL;
}

/* Receives <n> data messages on <in>, each within <timeout_ms>, storing arrival times (ms) in
 * <at> and checking that they carry stream sequences 1..<n>. Acks none of them. */
static void recv_times(struct itc_inbox *in, int n, int64_t *at, int64_t timeout_ms,
                       const char *what)
{
    for (int i = 0; i < n; i++) {
        natsMsg *m = next_data(in, timeout_ms);
        uint64_t seq;

        IT_ASSERT(m, "%s: message %d of %d missing after %lld ms", what, i + 1, n,
                  (long long)timeout_ms);
        at[i] = it_now_ms();
        seq = itc_msg_seq(m, NULL);
        IT_ASSERT(seq == (uint64_t)i + 1, "%s: message %d has seq %llu", what, i + 1,
                  (unsigned long long)seq);
        natsMsg_Destroy(m);
    }
}

/* Reads the next message on <sub> within <timeout_ms> and parses it as a JSON object (fails
 * the test when nothing comes or it is not JSON). The caller json_decref()s it. */
static json_t *next_json(natsSubscription *sub, int64_t timeout_ms, const char *what)
{
    natsMsg *m = NULL;
    json_t *j;

    IT_ASSERT(natsSubscription_NextMsg(&m, sub, timeout_ms) == NATS_OK,
              "%s: no event within %lld ms", what, (long long)timeout_ms);
    j = json_loadb(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m), 0, NULL);
    IT_ASSERT(json_is_object(j), "%s: not a JSON object: %.*s", what, natsMsg_GetDataLength(m),
              natsMsg_GetData(m));
    natsMsg_Destroy(m);
    return j;
}

void jsc_case_backoff(void)
{
    struct itj_env env;
    struct itc_inbox in;
    jsConsumerConfig cc;
    natsSubscription *adv = NULL;
    int64_t backoff[2] = {200 * ITC_NS_PER_MS, 600 * ITC_NS_PER_MS};
    int64_t at[4], t_adv;
    natsMsg *m;
    json_t *j;

    setup(&env);
    IT_NATS(natsConnection_SubscribeSync(&adv, env.nc,
                                         "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.S.BO"));
    itc_inbox_open(&env, &in);
    itc_pub_n(&env, "s.a", "m", 1);
    itc_config_init(&cc, "BO", 0);
    cc.DeliverSubject = in.subject;
    cc.BackOff = backoff;
    cc.BackOffLen = 2;
    cc.MaxDeliver = 4;
    itc_consumer_add(&env, "S", &cc, false);
    for (int i = 0; i < 4; i++) {
        uint64_t dc = 0;

        m = next_data(&in, 3000);
        IT_ASSERT(m, "backoff: delivery %d missing", i + 1);
        at[i] = it_now_ms();
        IT_ASSERT(itc_msg_seq(m, &dc) == 1 && dc == (uint64_t)i + 1,
                  "backoff: delivery %d has delivery count %llu", i + 1, (unsigned long long)dc);
        natsMsg_Destroy(m);
    }
    IT_CHECK(at[1] - at[0] >= 180 && at[1] - at[0] < 450,
             "first redelivery %lld ms after the delivery (backoff[0] 200 ms)",
             (long long)(at[1] - at[0]));
    IT_CHECK(at[2] - at[1] >= 550 && at[2] - at[1] < 1500,
             "second redelivery %lld ms after the first (backoff[1] 600 ms)",
             (long long)(at[2] - at[1]));
    IT_CHECK(at[3] - at[2] >= 550 && at[3] - at[2] < 1500,
             "third redelivery %lld ms later: the last backoff step repeats",
             (long long)(at[3] - at[2]));

    j = next_json(adv, 3000, "MAX_DELIVERIES advisory");
    t_adv = it_now_ms() - at[3];
    IT_CHECK(strcmp(itj_json_str(j, "type"), "io.nats.jetstream.advisory.v1.max_deliver") == 0 &&
                 strcmp(itj_json_str(j, "consumer"), "BO") == 0 &&
                 itj_json_int(j, "stream_seq") == 1 && itj_json_int(j, "deliveries") == 4,
             "MAX_DELIVERIES advisory (deliveries 4) %lld ms after the 4th delivery",
             (long long)t_adv);
    json_decref(j);
    m = next_data(&in, 1200);
    IT_CHECK(m == NULL, "no fifth delivery after max_deliver 4");
    itc_inbox_close(&in);
    natsSubscription_Destroy(adv);
    itj_stop(&env);
}

/* Fetches a batch of 10 with <timeout_ms> and checks that nothing arrives. */
static void fetch_none(natsSubscription *sub, int64_t timeout_ms, const char *what)
{
    natsMsgList list;
    int n = itc_fetch(sub, &list, 10, timeout_ms);

    natsMsgList_Destroy(&list);
    IT_CHECK(n == 0, "%s: %d messages within %lld ms", what, n, (long long)timeout_ms);
}

/* Reads data messages on <in> until <quiet_ms> pass without one; returns how many came and
 * puts their ack reply subjects into <acks> (up to <cap>, caller frees each). */
static int drain_replies(struct itc_inbox *in, int64_t quiet_ms, char **acks, int cap)
{
    natsMsg *m;
    int n = 0;

    while ((m = next_data(in, quiet_ms)) != NULL) {
        IT_ASSERT(n < cap, "more than %d messages", cap);
        acks[n++] = strdup(natsMsg_GetReply(m));
        natsMsg_Destroy(m);
    }
    return n;
}

/* Acks (raw "+ACK") and frees the <n> reply subjects in <acks>. */
static void ack_replies(struct itj_env *env, char **acks, int n)
{
    for (int i = 0; i < n; i++) {
        IT_NATS(natsConnection_PublishString(env->nc, acks[i], "+ACK"));
        free(acks[i]);
    }
    IT_NATS(natsConnection_Flush(env->nc));
}

void jsc_case_max_ack_pending(void)
{
    struct itj_env env;
    struct itc_inbox in;
    jsConsumerConfig cc;
    natsSubscription *sub;
    natsMsgList list;
    jsConsumerInfo *ci;
    char *acks[16];
    int n, total;

    setup(&env);
    itc_pub_n(&env, "s.a", "m", 10);
    itc_config_init(&cc, "MP", 0);
    cc.MaxAckPending = 3;
    ci = itc_consumer_add(&env, "S", &cc, true);
    IT_CHECK(ci->Config->MaxAckPending == 3, "max_ack_pending 3 in the config");
    jsConsumerInfo_Destroy(ci);
    sub = itc_pull_bind(&env, "S", "MP");
    n = itc_fetch(sub, &list, 10, 1000);
    IT_CHECK(n == 3, "fetch 10 with max_ack_pending 3: got %d", n);
    itc_expect_state(&env, "S", "MP", (struct itc_state){3, 3, 0, 0, 3, 7, 0},
                     "3 pending acks, 7 held back");
    fetch_none(sub, 700, "fetch again before acking");
    for (int i = 0; i < n; i++)
        IT_NATS(natsMsg_Ack(list.Msgs[i], NULL));
    natsMsgList_Destroy(&list);
    n = itc_fetch(sub, &list, 10, 1000);
    IT_CHECK(n == 3 && itc_msg_seq(list.Msgs[0], NULL) == 4,
             "after acking them, the next fetch gets 3 more from seq 4 (%d)", n);
    natsMsgList_Destroy(&list);
    natsSubscription_Destroy(sub);

    /* Push: the same consumer shape with a deliver subject stops at 3 until acks come. */
    itc_inbox_open(&env, &in);
    itc_config_init(&cc, "MPP", 0);
    cc.MaxAckPending = 3;
    cc.DeliverSubject = in.subject;
    itc_consumer_add(&env, "S", &cc, false);
    n = drain_replies(&in, 500, acks, 16);
    IT_CHECK(n == 3, "push consumer delivers %d of 10 before any ack", n);
    itc_expect_state(&env, "S", "MPP", (struct itc_state){3, 3, 0, 0, 3, 7, 0},
                     "push: num_ack_pending 3");
    ack_replies(&env, acks, 1);
    total = n;
    n = drain_replies(&in, 500, acks + 3, 13);
    IT_CHECK(n == 1, "one ack lets exactly one more through (%d)", n);
    total += n;
    ack_replies(&env, acks + 1, 3);
    while (total < 10) {
        n = drain_replies(&in, 500, acks, 16);
        IT_ASSERT(n > 0 && n <= 3, "push: %d messages after acking (total %d)", n, total);
        total += n;
        ack_replies(&env, acks, n);
    }
    it_ok("push: all 10 delivered, never more than 3 unacked");
    itc_expect_state(&env, "S", "MPP", (struct itc_state){10, 10, 10, 10, 0, 0, 0},
                     "push: all acked");
    itc_inbox_close(&in);
    itj_stop(&env);
}

/* Publishes <n> messages of <size> bytes (<size> < 2048) to <subj>. */
static void pub_sized(struct itj_env *env, const char *subj, int n, size_t size)
{
    char data[2048];

    memset(data, 'r', size);
    data[size] = '\0';
    for (int i = 0; i < n; i++)
        itj_pub(env, subj, data, NULL, NULL);
}

/* Creates push consumer <name> on <stream> (deliver all, ack none, rate_limit_bps <bps>, 0 for
 * none) delivering to a fresh inbox; returns the ms from the create request until all <n>
 * stored messages arrived. */
static int64_t push_time(struct itj_env *env, const char *stream, const char *name, uint64_t bps,
                         int n)
{
    struct itc_inbox in;
    jsConsumerConfig cc;
    int64_t t0, at[64];

    IT_ASSERT(n <= 64, "push_time: too many messages");
    itc_inbox_open(env, &in);
    itc_config_init(&cc, name, 0);
    cc.AckPolicy = js_AckNone;
    cc.DeliverSubject = in.subject;
    cc.RateLimit = bps;
    t0 = it_now_ms();
    itc_consumer_add(env, stream, &cc, false);
    recv_times(&in, n, at, 5000, name);
    itc_inbox_close(&in);
    return at[n - 1] - t0;
}

void jsc_case_rate_limit(void)
{
    struct itj_env env;
    int64_t ms;

    /* nats-server lets a burst of one maximum-size message (the stream's max_msg_size) go at
     * once, so a small max_msg_size makes the limit govern almost the whole transfer. 20
     * messages of ~1,080 bytes on the wire (payload, subjects, ack reply) = ~173 kbit. */
    itj_start(&env);
    stream_add(&env, "R", "r.>", 2048);
    pub_sized(&env, "r.a", 20, 1000);
    ms = push_time(&env, "R", "LIMITED", 170000, 20);
    IT_CHECK(ms >= 600 && ms <= 3000, "20 x 1 KB at rate_limit_bps 170000 took %lld ms",
             (long long)ms);
    ms = push_time(&env, "R", "FREE", 0, 20);
    IT_CHECK(ms < 300, "the same 20 messages without a limit took %lld ms", (long long)ms);
    itj_stop(&env);
}

void jsc_case_rate_limit_burst(void)
{
    struct itj_env env;
    int64_t ms;

    /* Without max_msg_size the burst is the account's max_payload (1 MB by default): 20 KB at
     * 170 kbit/s fit in it and arrive at once. */
    itj_start(&env);
    stream_add(&env, "B", "b.>", -1);
    pub_sized(&env, "b.a", 20, 1000);
    ms = push_time(&env, "B", "BURST", 170000, 20);
    IT_CHECK(ms < 400, "20 x 1 KB within the 1 MB burst at rate_limit_bps 170000: %lld ms",
             (long long)ms);
    itj_stop(&env);
}

void jsc_case_replay_original(void)
{
    struct itj_env env;
    struct itc_inbox in;
    jsConsumerConfig cc;
    int64_t at[5];

    setup(&env);
    for (int i = 0; i < 5; i++) {
        if (i > 0)
            nats_Sleep(200);
        itj_pub(&env, "s.a", "tick", NULL, NULL);
    }
    itc_inbox_open(&env, &in);
    itc_config_init(&cc, "RO", 0);
    cc.AckPolicy = js_AckNone;
    cc.DeliverSubject = in.subject;
    cc.ReplayPolicy = js_ReplayOriginal;
    itc_consumer_add(&env, "S", &cc, false);
    recv_times(&in, 5, at, 3000, "replay original");
    for (int i = 1; i < 5; i++)
        IT_CHECK(at[i] - at[i - 1] >= 150 && at[i] - at[i - 1] <= 700,
                 "replay original: gap %d is %lld ms (published 200 ms apart)", i,
                 (long long)(at[i] - at[i - 1]));
    itc_inbox_close(&in);

    itc_inbox_open(&env, &in);
    itc_config_init(&cc, "RI", 0);
    cc.AckPolicy = js_AckNone;
    cc.DeliverSubject = in.subject;
    cc.ReplayPolicy = js_ReplayInstant;
    itc_consumer_add(&env, "S", &cc, false);
    recv_times(&in, 5, at, 3000, "replay instant");
    IT_CHECK(at[4] - at[0] < 100, "replay instant: all 5 within %lld ms",
             (long long)(at[4] - at[0]));
    itc_inbox_close(&in);
    itj_stop(&env);
}

/* Checks one consumer ack metric event <j> of consumer <name> on stream S. */
static void check_metric(json_t *j, const char *name, json_int_t cseq, json_int_t sseq,
                         json_int_t deliveries)
{
    IT_CHECK(strcmp(itj_json_str(j, "type"), "io.nats.jetstream.metric.v1.consumer_ack") == 0 &&
                 itj_json_str(j, "id")[0] && itj_json_str(j, "timestamp")[0] &&
                 strcmp(itj_json_str(j, "stream"), "S") == 0 &&
                 strcmp(itj_json_str(j, "consumer"), name) == 0 &&
                 itj_json_int(j, "consumer_seq") == cseq && itj_json_int(j, "stream_seq") == sseq &&
                 itj_json_int(j, "ack_time") > 0 && itj_json_int(j, "deliveries") == deliveries,
             "ack metric: consumer_seq %lld stream_seq %lld deliveries %lld ack_time %lld ns",
             (long long)itj_json_int(j, "consumer_seq"), (long long)itj_json_int(j, "stream_seq"),
             (long long)itj_json_int(j, "deliveries"), (long long)itj_json_int(j, "ack_time"));
}

/* Fetches <n> messages from pull consumer S/<name> and acks each one. */
static void fetch_ack(natsSubscription *sub, int n, const char *what)
{
    natsMsgList list;
    int got = itc_fetch(sub, &list, n, 3000);

    IT_ASSERT(got == n, "%s: fetched %d of %d", what, got, n);
    for (int i = 0; i < got; i++)
        IT_NATS(natsMsg_Ack(list.Msgs[i], NULL));
    natsMsgList_Destroy(&list);
}

void jsc_case_sample_freq(void)
{
    struct itj_env env;
    jsConsumerConfig cc;
    jsConsumerInfo *ci;
    natsSubscription *ev = NULL, *ev_none = NULL, *sub;
    natsMsgList list;
    natsMsg *m = NULL;
    json_t *j;

    setup(&env);
    IT_NATS(natsConnection_SubscribeSync(&ev, env.nc, "$JS.EVENT.METRIC.CONSUMER.ACK.S.SF"));
    IT_NATS(natsConnection_SubscribeSync(&ev_none, env.nc, "$JS.EVENT.METRIC.CONSUMER.ACK.S.NS"));
    itc_pub_n(&env, "s.a", "m", 3);
    itc_config_init(&cc, "SF", 0);
    cc.SampleFrequency = "100%";
    ci = itc_consumer_add(&env, "S", &cc, true);
    IT_CHECK(ci->Config->SampleFrequency && strcmp(ci->Config->SampleFrequency, "100%") == 0,
             "sample_freq \"100%%\" in the consumer config");
    jsConsumerInfo_Destroy(ci);
    sub = itc_pull_bind(&env, "S", "SF");
    fetch_ack(sub, 3, "sampled consumer");
    for (int i = 1; i <= 3; i++) {
        j = next_json(ev, 3000, "ack metric");
        check_metric(j, "SF", i, i, 1);
        json_decref(j);
    }

    /* A nak'ed then acked message reports its second delivery. */
    itc_pub_n(&env, "s.a", "n", 1);
    IT_ASSERT(itc_fetch(sub, &list, 1, 3000) == 1, "fetch seq 4");
    IT_NATS(natsMsg_Nak(list.Msgs[0], NULL));
    natsMsgList_Destroy(&list);
    fetch_ack(sub, 1, "redelivered seq 4");
    j = next_json(ev, 3000, "ack metric of a redelivery");
    check_metric(j, "SF", 5, 4, 2);
    json_decref(j);
    natsSubscription_Destroy(sub);

    itc_config_init(&cc, "NS", 0);
    itc_consumer_add(&env, "S", &cc, false);
    sub = itc_pull_bind(&env, "S", "NS");
    fetch_ack(sub, 4, "consumer without sample_freq");
    itc_expect_state(&env, "S", "NS", (struct itc_state){4, 4, 4, 4, 0, 0, 0}, "NS acked all");
    IT_CHECK(natsSubscription_NextMsg(&m, ev_none, 500) == NATS_TIMEOUT,
             "no ack metric without sample_freq");
    IT_CHECK(natsSubscription_NextMsg(&m, ev, 200) == NATS_TIMEOUT, "no extra metric for SF");
    natsSubscription_Destroy(sub);
    natsSubscription_Destroy(ev);
    natsSubscription_Destroy(ev_none);
    itj_stop(&env);
}

/* Checks that <m> is the headers-only form of a message on <subj> with a <size>-byte payload
 * and, when <hname> is not NULL, header <hname>: <hval>. */
static void check_headers_only(natsMsg *m, const char *subj, const char *size, const char *hname,
                               const char *hval, const char *what)
{
    IT_CHECK(natsMsg_GetDataLength(m) == 0 && strcmp(natsMsg_GetSubject(m), subj) == 0 &&
                 strcmp(itc_header(m, "Nats-Msg-Size"), size) == 0 &&
                 (!hname || strcmp(itc_header(m, hname), hval) == 0),
             "%s: subject %s, empty payload (%d bytes), Nats-Msg-Size: %s, %s: %s", what,
             natsMsg_GetSubject(m), natsMsg_GetDataLength(m), itc_header(m, "Nats-Msg-Size"),
             hname ? hname : "-", hname ? itc_header(m, hname) : "-");
}

void jsc_case_headers_only(void)
{
    struct itj_env env;
    struct itc_inbox in;
    jsConsumerConfig cc;
    jsConsumerInfo *ci;
    natsMsg *m;

    setup(&env);
    itj_pub_hdr(&env, "s.h", "hello world", "X-Id", "7");
    itj_pub(&env, "s.p", "abcde", NULL, NULL);
    itc_config_init(&cc, "HO", 0);
    cc.HeadersOnly = true;
    ci = itc_consumer_add(&env, "S", &cc, true);
    IT_CHECK(ci->Config->HeadersOnly, "headers_only in the consumer config");
    jsConsumerInfo_Destroy(ci);
    /* A raw pull: libnats refuses to bind a plain pull subscription to it. */
    itc_inbox_open(&env, &in);
    itc_pull_raw(&env, &in, "S", "HO", "{\"batch\":2,\"expires\":3000000000}");
    for (int i = 0; i < 2; i++) {
        m = next_data(&in, 3000);
        IT_ASSERT(m, "headers only pull: message %d missing", i + 1);
        if (i == 0)
            check_headers_only(m, "s.h", "11", "X-Id", "7", "pull, with headers");
        else
            check_headers_only(m, "s.p", "5", NULL, NULL, "pull, without headers");
        IT_NATS(natsConnection_PublishString(env.nc, natsMsg_GetReply(m), "+ACK"));
        natsMsg_Destroy(m);
    }
    itc_expect_state(&env, "S", "HO", (struct itc_state){2, 2, 2, 2, 0, 0, 0}, "both acked");
    itc_inbox_close(&in);

    itc_inbox_open(&env, &in);
    itc_config_init(&cc, "HOP", 0);
    cc.AckPolicy = js_AckNone;
    cc.HeadersOnly = true;
    cc.DeliverSubject = in.subject;
    itc_consumer_add(&env, "S", &cc, false);
    m = next_data(&in, 3000);
    IT_ASSERT(m, "headers only push: no message");
    check_headers_only(m, "s.h", "11", "X-Id", "7", "push, with headers");
    natsMsg_Destroy(m);
    m = next_data(&in, 3000);
    IT_ASSERT(m, "headers only push: no second message");
    check_headers_only(m, "s.p", "5", NULL, NULL, "push, without headers");
    natsMsg_Destroy(m);
    itc_inbox_close(&in);
    itj_stop(&env);
}

/* Reads data messages on <in> until a status message comes; checks they carry stream
 * sequences <first>... and adds each one's size as counted against max_bytes (subject, reply,
 * <hdr_len> header bytes, payload) to <*used>. Returns the status message (caller destroys). */
static natsMsg *read_until_status(struct itc_inbox *in, uint64_t first, int *count, int64_t *used,
                                  int hdr_len, int64_t timeout_ms)
{
    for (;;) {
        natsMsg *m = itc_inbox_next(in, timeout_ms);
        uint64_t seq;

        IT_ASSERT(m, "no status message within %lld ms after %d messages", (long long)timeout_ms,
                  *count);
        if (itc_status(m, NULL)[0])
            return m;
        seq = itc_msg_seq(m, NULL);
        IT_ASSERT(seq == first + (uint64_t)*count, "got seq %llu, want %llu",
                  (unsigned long long)seq, (unsigned long long)(first + (uint64_t)*count));
        *used += (int64_t)(strlen(natsMsg_GetSubject(m)) + strlen(natsMsg_GetReply(m))) + hdr_len +
                 natsMsg_GetDataLength(m);
        (*count)++;
        natsMsg_Destroy(m);
    }
}

/* Checks status message <m> (then destroys it): code, description and the pending counts. */
static void check_pending_status(natsMsg *m, const char *code, const char *desc, int64_t msgs,
                                 int64_t bytes, const char *what)
{
    const char *got_desc = NULL;
    const char *got = itc_status(m, &got_desc);
    char want_msgs[32], want_bytes[32];

    snprintf(want_msgs, sizeof(want_msgs), "%lld", (long long)msgs);
    snprintf(want_bytes, sizeof(want_bytes), "%lld", (long long)bytes);
    IT_CHECK(strcmp(got, code) == 0 && strcmp(got_desc, desc) == 0 &&
                 strcmp(itc_header(m, "Nats-Pending-Messages"), want_msgs) == 0 &&
                 strcmp(itc_header(m, "Nats-Pending-Bytes"), want_bytes) == 0,
             "%s: '%s %s' Nats-Pending-Messages: %s Nats-Pending-Bytes: %s (want %s %s, %s/%s)",
             what, got, got_desc, itc_header(m, "Nats-Pending-Messages"),
             itc_header(m, "Nats-Pending-Bytes"), code, desc, want_msgs, want_bytes);
    natsMsg_Destroy(m);
}

void jsc_case_pull_max_bytes(void)
{
    struct itj_env env;
    struct itc_inbox in;
    jsConsumerConfig cc;
    char pad[51];
    natsMsg *m;
    int64_t used = 0, t0;
    int count = 0;

    setup(&env);
    pub_sized(&env, "s.a", 5, 100);
    itc_config_init(&cc, "MB", 0);
    itc_consumer_add(&env, "S", &cc, false);
    itc_inbox_open(&env, &in);

    /* Two messages of ~142 bytes fit in 350; the third ends the request at once with a 409. */
    t0 = it_now_ms();
    itc_pull_raw(&env, &in, "S", "MB", "{\"batch\":10,\"max_bytes\":350,\"expires\":5000000000}");
    m = read_until_status(&in, 1, &count, &used, 0, 3000);
    IT_CHECK(count == 2 && it_now_ms() - t0 < 1000,
             "max_bytes 350: %d messages (%lld bytes), then a status after %lld ms", count,
             (long long)used, (long long)(it_now_ms() - t0));
    check_pending_status(m, "409", "Message Size Exceeds MaxBytes", 8, 350 - used, "max_bytes 350");
    IT_CHECK(itc_inbox_next(&in, 500) == NULL, "the request is over: seqs 3-5 stay put");

    itc_pull_raw(&env, &in, "S", "MB", "{\"batch\":10,\"max_bytes\":50,\"expires\":5000000000}");
    m = itc_inbox_next(&in, 3000);
    IT_ASSERT(m, "max_bytes 50: no answer");
    check_pending_status(m, "409", "Message Size Exceeds MaxBytes", 10, 50,
                         "max_bytes 50, smaller than the first message");

    /* Room for more bytes than there are messages: the request waits and expires (408). */
    count = 0;
    used = 0;
    itc_pull_raw(&env, &in, "S", "MB", "{\"batch\":10,\"max_bytes\":100000,\"expires\":500000000}");
    m = read_until_status(&in, 3, &count, &used, 0, 3000);
    IT_CHECK(count == 3, "max_bytes 100000: the 3 remaining messages (%lld bytes)",
             (long long)used);
    check_pending_status(m, "408", "Request Timeout", 7, 100000 - used,
                         "max_bytes 100000, expired");

    /* Headers count too: 150 bytes fit the subject, reply and payload but not the header. */
    memset(pad, 'p', sizeof(pad) - 1);
    pad[sizeof(pad) - 1] = '\0';
    itj_pub_hdr(&env, "s.a", "0123456789012345678901234567890123456789", "X-Pad", pad);
    itc_pull_raw(&env, &in, "S", "MB", "{\"batch\":1,\"max_bytes\":110,\"expires\":5000000000}");
    m = itc_inbox_next(&in, 3000);
    IT_ASSERT(m, "max_bytes 110 with a header: no answer");
    check_pending_status(m, "409", "Message Size Exceeds MaxBytes", 1, 110,
                         "max_bytes 110: the header makes the message too big");
    itc_pull_raw(&env, &in, "S", "MB", "{\"batch\":1,\"max_bytes\":200,\"expires\":5000000000}");
    m = itc_inbox_next(&in, 3000);
    IT_ASSERT(m && itc_status(m, NULL)[0] == '\0', "max_bytes 200: no message");
    IT_CHECK(itc_msg_seq(m, NULL) == 6 && strcmp(itc_header(m, "X-Pad"), pad) == 0,
             "max_bytes 200: seq 6 with its header, request complete");
    natsMsg_Destroy(m);
    IT_CHECK(itc_inbox_next(&in, 300) == NULL, "nothing after the complete batch of 1");
    itc_inbox_close(&in);
    itj_stop(&env);
}

/* What the flow-control callback has seen (written on libnats' delivery thread). */
struct fc_seen {
    atomic_int count;       /* data messages received */
    atomic_ullong last_seq; /* stream sequence of the last one */
    atomic_int bad;         /* out-of-order or wrong-size messages */
};

static void fc_on_msg(natsConnection *nc, natsSubscription *sub, natsMsg *m, void *closure)
{
    struct fc_seen *seen = closure;
    uint64_t seq = itc_msg_seq(m, NULL);

    if (seq != atomic_load(&seen->last_seq) + 1 || natsMsg_GetDataLength(m) != 10240)
        atomic_fetch_add(&seen->bad, 1);
    atomic_store(&seen->last_seq, seq);
    atomic_fetch_add(&seen->count, 1);
    natsMsg_Destroy(m);
}

/* Opens <spy> as a second core subscription on the deliver subject of js subscription <sub>,
 * so that the test sees the flow control requests libnats answers by itself. */
static void spy_on_deliveries(struct itj_env *env, natsSubscription *sub, struct itc_inbox *spy)
{
    jsConsumerInfo *ci = NULL;

    IT_NATS(natsSubscription_GetConsumerInfo(&ci, sub, NULL, NULL));
    memset(spy, 0, sizeof(*spy));
    snprintf(spy->subject, sizeof(spy->subject), "%s", ci->Config->DeliverSubject);
    jsConsumerInfo_Destroy(ci);
    IT_NATS(natsConnection_SubscribeSync(&spy->sub, env->nc, spy->subject));
    IT_NATS(natsSubscription_SetPendingLimits(spy->sub, -1, -1));
    IT_NATS(natsConnection_Flush(env->nc));
}

/* Drains <spy> and returns how many "100 FlowControl Request" messages it holds. */
static int count_fc(struct itc_inbox *spy)
{
    natsMsg *m;
    int n = 0;

    while ((m = itc_inbox_next(spy, 200)) != NULL) {
        const char *desc = NULL;

        if (strcmp(itc_status(m, &desc), "100") == 0 && strcmp(desc, "FlowControl Request") == 0)
            n++;
        natsMsg_Destroy(m);
    }
    return n;
}

void jsc_case_flow_control_load(void)
{
    struct itj_env env;
    struct fc_seen seen;
    natsSubscription *sub = NULL;
    jsSubOptions so;
    jsPubOptions po;
    jsErrCode ec = 0;
    static char data[10240];
    struct itc_inbox spy;
    int64_t t0;
    int fc;
    natsStatus s;

    itj_start(&env);
    stream_add(&env, "F", "f.>", -1);
    atomic_init(&seen.count, 0);
    atomic_init(&seen.last_seq, 0);
    atomic_init(&seen.bad, 0);
    IT_NATS(jsSubOptions_Init(&so));
    so.Stream = "F";
    so.Config.AckPolicy = js_AckNone;
    so.Config.FlowControl = true;
    so.Config.Heartbeat = 1000 * ITC_NS_PER_MS;
    s = js_Subscribe(&sub, env.js, "f.>", fc_on_msg, &seen, NULL, &so, &ec);
    IT_ASSERT(s == NATS_OK, "js_Subscribe with flow control: %s, err_code %d (%s)",
              natsStatus_GetText(s), (int)ec, it_nats_last_error());
    IT_NATS(natsSubscription_SetPendingLimits(sub, -1, -1));
    spy_on_deliveries(&env, sub, &spy);

    memset(data, 'f', sizeof(data));
    t0 = it_now_ms();
    for (int i = 0; i < 2000; i++)
        IT_NATS(js_PublishAsync(env.js, "f.x", data, (int)sizeof(data), NULL));
    IT_NATS(jsPubOptions_Init(&po));
    po.MaxWait = 20000;
    IT_NATS(js_PublishAsyncComplete(env.js, &po));
    while (atomic_load(&seen.count) < 2000 && it_now_ms() - t0 < 30000)
        nats_Sleep(10);
    IT_CHECK(atomic_load(&seen.count) == 2000 && atomic_load(&seen.bad) == 0,
             "flow-controlled push: %d of 2000 x 10 KB in %lld ms, %d out of order or resized",
             atomic_load(&seen.count), (long long)(it_now_ms() - t0), atomic_load(&seen.bad));
    nats_Sleep(200);
    IT_CHECK(atomic_load(&seen.count) == 2000, "no duplicates afterwards (%d)",
             atomic_load(&seen.count));
    fc = count_fc(&spy);
    IT_CHECK(fc > 0, "the server sent %d flow control requests on the way (libnats answered)", fc);
    itc_inbox_close(&spy);
    natsSubscription_Unsubscribe(sub);
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}
