/* it_jsc cases about push consumers: delivery to deliver_subject with libnats acks and
 * push_bound, a wildcard subscriber starting delivery (gannet only), queue delivery
 * (deliver_group) spread over two members, idle heartbeats (status 100 with the last
 * sequences) and flow control (stall until the client answers).
 */
#include "it_jsc.h"

#include <stdio.h>
#include <string.h>

/* Stream "S" on "s.>" on a fresh server. */
static void setup(struct itj_env *env)
{
    struct itj_stream st;

    itj_start(env);
    itj_stream_init(&st, "S", "s.>", NULL);
    itj_stream_add(env, &st);
}

/* Binds a synchronous js subscription to the existing push consumer S/<name>. */
static natsSubscription *push_bind(struct itj_env *env, const char *name)
{
    natsSubscription *sub = NULL;
    jsSubOptions so;
    jsErrCode ec = 0;
    natsStatus s;

    IT_NATS(jsSubOptions_Init(&so));
    so.Stream = "S";
    so.Consumer = name;
    s = js_SubscribeSync(&sub, env->js, NULL, NULL, &so, &ec);
    IT_ASSERT(s == NATS_OK, "js_SubscribeSync(S, %s): %s, err_code %d (%s)", name,
              natsStatus_GetText(s), (int)ec, it_nats_last_error());
    IT_NATS(natsConnection_Flush(env->nc));
    return sub;
}

/* Receives <n> messages on <sub> with stream sequences <first>... and acks each. */
static void recv_ack(natsSubscription *sub, uint64_t first, int n, const char *what)
{
    for (int i = 0; i < n; i++) {
        natsMsg *m = NULL;
        natsStatus s = natsSubscription_NextMsg(&m, sub, 5000);
        uint64_t seq;

        IT_ASSERT(s == NATS_OK, "%s: message %d of %d: %s", what, i + 1, n, natsStatus_GetText(s));
        seq = itc_msg_seq(m, NULL);
        IT_ASSERT(seq == first + (uint64_t)i, "%s: got seq %llu, want %llu", what,
                  (unsigned long long)seq, (unsigned long long)(first + (uint64_t)i));
        IT_NATS(natsMsg_Ack(m, NULL));
        natsMsg_Destroy(m);
    }
    it_ok("%s: seqs %llu..%llu received in order and acked", what, (unsigned long long)first,
          (unsigned long long)(first + (uint64_t)n - 1));
}

static bool push_bound(struct itj_env *env, const char *name)
{
    jsConsumerInfo *ci = itc_consumer_info(env, "S", name);
    bool b = ci->PushBound;

    jsConsumerInfo_Destroy(ci);
    return b;
}

void jsc_case_push_basic(void)
{
    struct itj_env env;
    jsConsumerConfig cc;
    natsSubscription *sub;
    natsMsg *m = NULL;
    int64_t t0;

    setup(&env);
    itc_config_init(&cc, "PD", 0);
    cc.DeliverSubject = "dlv.pd";
    itc_consumer_add(&env, "S", &cc, false);
    IT_CHECK(!push_bound(&env, "PD"), "push_bound is false without a subscriber");
    itc_pub_n(&env, "s.a", "m", 5);
    sub = push_bind(&env, "PD");
    recv_ack(sub, 1, 5, "first subscriber");
    itc_expect_state(&env, "S", "PD", (struct itc_state){5, 5, 5, 5, 0, 0, 0}, "all acked");
    IT_CHECK(push_bound(&env, "PD"), "push_bound is true while subscribed");

    natsSubscription_Unsubscribe(sub);
    natsSubscription_Destroy(sub);
    IT_NATS(natsConnection_Flush(env.nc));
    t0 = it_now_ms();
    while (push_bound(&env, "PD") && it_now_ms() - t0 < 3000)
        nats_Sleep(20);
    IT_CHECK(!push_bound(&env, "PD"), "push_bound is false again after unsubscribing");
    itc_pub_n(&env, "s.b", "n", 3);
    nats_Sleep(200);
    itc_expect_state(&env, "S", "PD", (struct itc_state){5, 5, 5, 5, 0, 3, 0},
                     "nothing delivered without interest");
    sub = push_bind(&env, "PD");
    recv_ack(sub, 6, 3, "second subscriber resumes");
    IT_CHECK(natsSubscription_NextMsg(&m, sub, 300) == NATS_TIMEOUT, "no extra message");
    itc_expect_state(&env, "S", "PD", (struct itc_state){8, 8, 8, 8, 0, 0, 0}, "all 8 acked");
    natsSubscription_Unsubscribe(sub);
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}

/* A plain subscription whose wildcard covers the deliver subject starts delivery too (the
 * server looks the subscription up among the push consumers' deliver subjects). */
void jsc_case_push_wildcard_sub(void)
{
    struct itj_env env;
    jsConsumerConfig cc;
    natsSubscription *sub = NULL;

    setup(&env);
    itc_config_init(&cc, "PW", 0);
    cc.DeliverSubject = "dlv.pw.x";
    cc.AckPolicy = js_AckNone;
    itc_consumer_add(&env, "S", &cc, false);
    itc_pub_n(&env, "s.a", "m", 4);
    IT_NATS(natsConnection_SubscribeSync(&sub, env.nc, "dlv.pw.*"));
    for (int i = 0; i < 4; i++) {
        natsMsg *m = NULL;
        natsStatus s = natsSubscription_NextMsg(&m, sub, 5000);
        uint64_t seq;

        IT_ASSERT(s == NATS_OK, "message %d of 4 on dlv.pw.*: %s", i + 1, natsStatus_GetText(s));
        seq = itc_msg_seq(m, NULL);
        IT_ASSERT(seq == (uint64_t)i + 1, "got seq %llu, want %d", (unsigned long long)seq, i + 1);
        natsMsg_Destroy(m);
    }
    it_ok("a wildcard subscription received seqs 1..4 in order");
    natsSubscription_Unsubscribe(sub);
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}

/* Drains queue member <sub> until 300 ms pass without a message; acks each message with a raw
 * "+ACK", marks its stream sequence in <seen> (capacity <cap>) and returns the count. */
static int drain_member(struct itj_env *env, natsSubscription *sub, bool *seen, size_t cap)
{
    natsMsg *m = NULL;
    int n = 0;

    while (natsSubscription_NextMsg(&m, sub, 300) == NATS_OK) {
        uint64_t seq = itc_msg_seq(m, NULL);

        IT_ASSERT(seq < cap && !seen[seq], "queue delivery: seq %llu twice or out of range",
                  (unsigned long long)seq);
        seen[seq] = true;
        IT_NATS(natsConnection_PublishString(env->nc, natsMsg_GetReply(m), "+ACK"));
        natsMsg_Destroy(m);
        n++;
    }
    return n;
}

void jsc_case_push_queue(void)
{
    struct itj_env env;
    jsConsumerConfig cc;
    natsSubscription *q1 = NULL, *q2 = NULL;
    bool seen[64] = {false};
    int n1, n2;

    setup(&env);
    itc_config_init(&cc, "QD", 0);
    cc.DeliverSubject = "dlv.q";
    cc.DeliverGroup = "workers";
    itc_consumer_add(&env, "S", &cc, false);
    IT_NATS(natsConnection_QueueSubscribeSync(&q1, env.nc, "dlv.q", "workers"));
    IT_NATS(natsConnection_QueueSubscribeSync(&q2, env.nc, "dlv.q", "workers"));
    IT_NATS(natsConnection_Flush(env.nc));
    itc_pub_n(&env, "s.a", "m", 40);
    n1 = drain_member(&env, q1, seen, 64);
    n2 = drain_member(&env, q2, seen, 64);
    IT_CHECK(n1 + n2 == 40 && n1 > 0 && n2 > 0,
             "40 messages spread over the queue group: %d + %d, none twice", n1, n2);
    itc_expect_state(&env, "S", "QD", (struct itc_state){40, 40, 40, 40, 0, 0, 0},
                     "all acked through the group");
    natsSubscription_Destroy(q1);
    natsSubscription_Destroy(q2);
    itj_stop(&env);
}

/* Waits up to <timeout_ms> for the next status-100 message with description <desc> on <in>,
 * skipping other status messages; fails on a regular message. Returns it (caller destroys). */
static natsMsg *wait_status100(struct itc_inbox *in, const char *want, int64_t timeout_ms)
{
    int64_t deadline = it_now_ms() + timeout_ms;

    while (it_now_ms() < deadline) {
        natsMsg *m = itc_inbox_next(in, deadline - it_now_ms());
        const char *desc = NULL;

        if (!m)
            break;
        if (strcmp(itc_status(m, &desc), "100") == 0 && strcmp(desc, want) == 0)
            return m;
        IT_ASSERT(itc_status(m, NULL)[0], "unexpected regular message on %s while waiting for %s",
                  natsMsg_GetSubject(m), want);
        natsMsg_Destroy(m);
    }
    it_fail(__FILE__, __LINE__, "no '100 %s' within %lld ms", want, (long long)timeout_ms);
}

void jsc_case_push_heartbeat(void)
{
    struct itj_env env;
    struct itc_inbox in;
    jsConsumerConfig cc;
    natsMsg *m;
    int64_t t0, gap;

    setup(&env);
    itc_inbox_open(&env, &in);
    itc_config_init(&cc, "HB", 0);
    cc.DeliverSubject = in.subject;
    cc.Heartbeat = 1000 * ITC_NS_PER_MS;
    itc_consumer_add(&env, "S", &cc, false);
    t0 = it_now_ms();
    m = wait_status100(&in, "Idle Heartbeat", 4000);
    IT_CHECK(natsMsg_GetDataLength(m) == 0 && natsMsg_GetReply(m) == NULL &&
                 strcmp(itc_header(m, "Nats-Last-Consumer"), "0") == 0 &&
                 strcmp(itc_header(m, "Nats-Last-Stream"), "0") == 0,
             "idle heartbeat after %lld ms: no payload, no reply, Nats-Last-Consumer: 0, "
             "Nats-Last-Stream: 0",
             (long long)(it_now_ms() - t0));
    natsMsg_Destroy(m);
    t0 = it_now_ms();
    m = wait_status100(&in, "Idle Heartbeat", 4000);
    gap = it_now_ms() - t0;
    IT_CHECK(gap >= 500 && gap <= 2500, "next heartbeat %lld ms later", (long long)gap);
    natsMsg_Destroy(m);

    itj_pub(&env, "s.a", "one", NULL, NULL);
    itj_pub(&env, "s.a", "two", NULL, NULL);
    for (int i = 0; i < 2; i++) {
        m = itc_inbox_next(&in, 5000);
        IT_ASSERT(m && itc_status(m, NULL)[0] == '\0', "data message %d missing", i + 1);
        IT_NATS(natsConnection_PublishString(env.nc, natsMsg_GetReply(m), "+ACK"));
        natsMsg_Destroy(m);
    }
    m = wait_status100(&in, "Idle Heartbeat", 4000);
    IT_CHECK(strcmp(itc_header(m, "Nats-Last-Consumer"), "2") == 0 &&
                 strcmp(itc_header(m, "Nats-Last-Stream"), "2") == 0,
             "heartbeat after traffic: Nats-Last-Consumer: %s, Nats-Last-Stream: %s",
             itc_header(m, "Nats-Last-Consumer"), itc_header(m, "Nats-Last-Stream"));
    natsMsg_Destroy(m);
    itc_inbox_close(&in);
    itj_stop(&env);
}

/* Reads <in> until <*data> reaches <want> or <quiet_ms> pass without a data message (status
 * messages such as heartbeats do not count). Counts data messages (acking none) into <*data>;
 * remembers the reply subject of the last "100 FlowControl Request" in <fc> (capacity <cap>,
 * left as is when none came) and answers it at once when <answer>. */
static void read_flow(struct itj_env *env, struct itc_inbox *in, int *data, int want, char *fc,
                      size_t cap, bool answer, int64_t quiet_ms)
{
    int64_t last = it_now_ms();

    while (*data < want && it_now_ms() - last < quiet_ms) {
        natsMsg *m = itc_inbox_next(in, quiet_ms - (it_now_ms() - last));
        const char *desc = NULL;
        const char *code;

        if (!m)
            break;
        code = itc_status(m, &desc);
        if (code[0] == '\0') {
            (*data)++;
            last = it_now_ms();
        } else if (strcmp(code, "100") == 0 && strcmp(desc, "FlowControl Request") == 0) {
            IT_ASSERT(natsMsg_GetReply(m) && natsMsg_GetDataLength(m) == 0,
                      "flow control request without a reply subject or with a payload");
            snprintf(fc, cap, "%s", natsMsg_GetReply(m));
            if (answer)
                IT_NATS(natsConnection_Publish(env->nc, fc, NULL, 0));
        }
        natsMsg_Destroy(m);
    }
}

void jsc_case_push_flow_control(void)
{
    struct itj_env env;
    struct itc_inbox in;
    jsConsumerConfig cc;
    char fc[128] = "", big[100 * 1024];
    natsMsg *m;
    int data = 0, code;

    setup(&env);
    itc_config_init(&cc, "NOHB", 0);
    cc.DeliverSubject = "dlv.nohb";
    cc.FlowControl = true;
    code = itc_consumer_add_code(&env, "S", &cc);
    IT_CHECK(code == 10108, "flow control without idle_heartbeat refused: err_code %d", code);
    itc_config_init(&cc, "HBFAST", 0);
    cc.DeliverSubject = "dlv.fast";
    cc.Heartbeat = 50 * ITC_NS_PER_MS;
    code = itc_consumer_add_code(&env, "S", &cc);
    IT_CHECK(code == 10083, "idle_heartbeat 50ms refused: err_code %d", code);

    itc_inbox_open(&env, &in);
    itc_config_init(&cc, "FC", 0);
    cc.DeliverSubject = in.subject;
    cc.FlowControl = true;
    cc.Heartbeat = 1000 * ITC_NS_PER_MS;
    cc.AckPolicy = js_AckNone;
    itc_consumer_add(&env, "S", &cc, false);
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    for (int i = 0; i < 40; i++)
        itj_pub(&env, "s.big", big, NULL, NULL);

    /* Unanswered, the flow control request stalls delivery well before the 4 MB are out. */
    read_flow(&env, &in, &data, 40, fc, sizeof(fc), false, 1000);
    IT_CHECK(fc[0] != '\0' && strncmp(fc, "$JS.FC.S.FC.", 12) == 0,
             "a flow control request came with reply %s", fc);
    IT_CHECK(data > 0 && data < 40, "delivery stalled after %d of 40 messages", data);
    m = wait_status100(&in, "Idle Heartbeat", 4000);
    IT_CHECK(strcmp(itc_header(m, "Nats-Consumer-Stalled"), fc) == 0,
             "the heartbeat during the stall names it: Nats-Consumer-Stalled: %s",
             itc_header(m, "Nats-Consumer-Stalled"));
    natsMsg_Destroy(m);

    IT_NATS(natsConnection_Publish(env.nc, fc, NULL, 0));
    read_flow(&env, &in, &data, 40, fc, sizeof(fc), true, 3000);
    IT_CHECK(data == 40, "after answering, all 40 messages arrived (%d)", data);
    itc_expect_state(&env, "S", "FC", (struct itc_state){40, 40, 40, 40, 0, 0, 0},
                     "flow-controlled consumer delivered everything");
    itc_inbox_close(&in);
    itj_stop(&env);
}
