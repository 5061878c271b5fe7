/* it_jsc cases about pull consumers and acknowledgements: batched fetch with exact consumer
 * counters, out-of-order and synchronous acks, ack_wait redelivery, max_deliver with its
 * advisory, nak (now and delayed), +WPI, term, ack policy all.
 */
#include "it_jsc.h"

#include <stdio.h>
#include <string.h>

/* Stream "S" on "s.>" and a durable pull consumer <name> with explicit acks. */
static void setup(struct itj_env *env, const char *name, int64_t ack_wait_ms, int64_t max_deliver)
{
    struct itj_stream st;
    jsConsumerConfig cc;

    itj_start(env);
    itj_stream_init(&st, "S", "s.>", NULL);
    itj_stream_add(env, &st);
    itc_config_init(&cc, name, ack_wait_ms);
    cc.MaxDeliver = max_deliver;
    itc_consumer_add(env, "S", &cc, false);
}

/* Fetches exactly one message within <timeout_ms> and returns it (caller destroys it). */
static natsMsg *fetch_one(natsSubscription *sub, int64_t timeout_ms, const char *what)
{
    natsMsgList list;
    natsMsg *m;
    int n = itc_fetch(sub, &list, 1, timeout_ms);

    IT_ASSERT(n == 1, "%s: fetch returned %d messages, want 1", what, n);
    m = list.Msgs[0];
    list.Msgs[0] = NULL;
    natsMsgList_Destroy(&list);
    return m;
}

/* Fetches with <timeout_ms> and checks that nothing arrives. */
static void fetch_none(natsSubscription *sub, int batch, int64_t timeout_ms, const char *what)
{
    natsMsgList list;
    int n = itc_fetch(sub, &list, batch, timeout_ms);

    if (n > 0) {
        uint64_t dc = 0, seq = itc_msg_seq(list.Msgs[0], &dc);
        it_fail(__FILE__, __LINE__, "%s: got %d messages (first seq %llu, delivery %llu)", what, n,
                (unsigned long long)seq, (unsigned long long)dc);
    }
    natsMsgList_Destroy(&list);
    it_ok("%s: nothing delivered within %lld ms", what, (long long)timeout_ms);
}

/* Checks that the messages of <list> carry stream sequences <first>, <first>+1, ... with
 * delivery count 1 and payloads "m<seq>", then acks each of them. */
static void check_and_ack(natsMsgList *list, uint64_t first, const char *what)
{
    char want[32];

    for (int i = 0; i < list->Count; i++) {
        uint64_t dc = 0, seq = itc_msg_seq(list->Msgs[i], &dc);

        snprintf(want, sizeof(want), "m%llu", (unsigned long long)(first + (uint64_t)i));
        IT_ASSERT(seq == first + (uint64_t)i && dc == 1, "%s: msg %d has seq %llu dc %llu", what, i,
                  (unsigned long long)seq, (unsigned long long)dc);
        IT_ASSERT(natsMsg_GetDataLength(list->Msgs[i]) == (int)strlen(want) &&
                      memcmp(natsMsg_GetData(list->Msgs[i]), want, strlen(want)) == 0,
                  "%s: msg %d payload is not %s", what, i, want);
        IT_NATS(natsMsg_Ack(list->Msgs[i], NULL));
    }
    it_ok("%s: %d messages from seq %llu in order, acked", what, list->Count,
          (unsigned long long)first);
}

void jsc_case_pull_fetch_batch(void)
{
    struct itj_env env;
    natsSubscription *sub;
    natsMsgList list;
    jsMsgMetaData *md = NULL;
    int n;

    setup(&env, "D", 0, 0);
    itc_pub_n(&env, "s.a", "m", 25);
    itc_expect_state(&env, "S", "D", (struct itc_state){0, 0, 0, 0, 0, 25, 0}, "fresh consumer");
    sub = itc_pull_bind(&env, "S", "D");

    n = itc_fetch(sub, &list, 10, 5000);
    IT_CHECK(n == 10, "fetch 10 of 25: got %d", n);
    IT_NATS(natsMsg_GetMetaData(&md, list.Msgs[0]));
    IT_CHECK(strcmp(md->Stream, "S") == 0 && strcmp(md->Consumer, "D") == 0 &&
                 md->Sequence.Stream == 1 && md->Sequence.Consumer == 1 && md->NumDelivered == 1 &&
                 md->NumPending == 24 && md->Timestamp > 0,
             "first message metadata: stream %s consumer %s seq %llu/%llu dc %llu pending %llu",
             md->Stream, md->Consumer, (unsigned long long)md->Sequence.Stream,
             (unsigned long long)md->Sequence.Consumer, (unsigned long long)md->NumDelivered,
             (unsigned long long)md->NumPending);
    jsMsgMetaData_Destroy(md);
    itc_expect_state(&env, "S", "D", (struct itc_state){10, 10, 0, 0, 10, 15, 0},
                     "after fetching 10, none acked");
    check_and_ack(&list, 1, "batch 1");
    natsMsgList_Destroy(&list);
    itc_expect_state(&env, "S", "D", (struct itc_state){10, 10, 10, 10, 0, 15, 0},
                     "after acking 10");

    n = itc_fetch(sub, &list, 25, 5000);
    IT_CHECK(n == 15, "fetch 25 with 15 left: got %d", n);
    itc_expect_state(&env, "S", "D", (struct itc_state){25, 25, 10, 10, 15, 0, 0},
                     "after fetching the rest");
    check_and_ack(&list, 11, "batch 2");
    natsMsgList_Destroy(&list);
    itc_expect_state(&env, "S", "D", (struct itc_state){25, 25, 25, 25, 0, 0, 0},
                     "after acking all");
    fetch_none(sub, 5, 500, "fetch on an empty consumer");
    itc_pub_n(&env, "s.b", "x", 1);
    itc_expect_state(&env, "S", "D", (struct itc_state){25, 25, 25, 25, 0, 1, 0},
                     "a new message is pending");
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}

void jsc_case_ack_out_of_order(void)
{
    struct itj_env env;
    natsSubscription *sub;
    natsMsgList list;
    int n;

    setup(&env, "D", 0, 0);
    itc_pub_n(&env, "s.a", "m", 5);
    sub = itc_pull_bind(&env, "S", "D");
    n = itc_fetch(sub, &list, 5, 5000);
    IT_CHECK(n == 5, "fetch 5: got %d", n);
    IT_NATS(natsMsg_Ack(list.Msgs[1], NULL));
    IT_NATS(natsMsg_Ack(list.Msgs[3], NULL));
    itc_expect_state(&env, "S", "D", (struct itc_state){5, 5, 0, 0, 3, 0, 0},
                     "acked 2 and 4: floor stays 0");
    IT_NATS(natsMsg_Ack(list.Msgs[0], NULL));
    itc_expect_state(&env, "S", "D", (struct itc_state){5, 5, 2, 2, 2, 0, 0},
                     "acked 1: floor jumps to 2");
    IT_NATS(natsMsg_Ack(list.Msgs[1], NULL)); /* a second ack changes nothing */
    IT_NATS(natsMsg_Ack(list.Msgs[2], NULL));
    itc_expect_state(&env, "S", "D", (struct itc_state){5, 5, 4, 4, 1, 0, 0},
                     "acked 3 (and 2 again): floor 4");
    IT_NATS(natsMsg_Ack(list.Msgs[4], NULL));
    itc_expect_state(&env, "S", "D", (struct itc_state){5, 5, 5, 5, 0, 0, 0}, "acked 5: floor 5");
    natsMsgList_Destroy(&list);
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}

void jsc_case_ack_sync(void)
{
    struct itj_env env;
    natsSubscription *sub;
    natsMsg *m, *r = NULL;
    jsErrCode ec = 0;
    natsStatus s;

    setup(&env, "D", 0, 0);
    itc_pub_n(&env, "s.a", "m", 2);
    sub = itc_pull_bind(&env, "S", "D");
    m = fetch_one(sub, 5000, "fetch 1");
    s = natsMsg_AckSync(m, NULL, &ec);
    IT_CHECK(s == NATS_OK, "AckSync of seq 1 is confirmed: %s", natsStatus_GetText(s));
    natsMsg_Destroy(m);
    itc_expect_state(&env, "S", "D", (struct itc_state){1, 1, 1, 1, 0, 1, 0}, "after AckSync");

    /* The raw form: "+ACK" published with a reply subject gets an empty reply. */
    m = fetch_one(sub, 5000, "fetch 2");
    s = natsConnection_RequestString(&r, env.nc, natsMsg_GetReply(m), "+ACK", 2000);
    IT_CHECK(s == NATS_OK && natsMsg_GetDataLength(r) == 0,
             "raw +ACK request on the ack subject: empty reply (%s)", natsStatus_GetText(s));
    natsMsg_Destroy(r);
    natsMsg_Destroy(m);
    itc_expect_state(&env, "S", "D", (struct itc_state){2, 2, 2, 2, 0, 0, 0}, "after raw +ACK");
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}

void jsc_case_ack_wait_redeliver(void)
{
    struct itj_env env;
    natsSubscription *sub;
    natsMsg *m;
    uint64_t dc = 0, seq;
    jsMsgMetaData *md = NULL;
    int64_t t0;

    setup(&env, "D", 1000, 0);
    itc_pub_n(&env, "s.a", "m", 1);
    sub = itc_pull_bind(&env, "S", "D");
    m = fetch_one(sub, 5000, "first delivery");
    seq = itc_msg_seq(m, &dc);
    IT_CHECK(seq == 1 && dc == 1, "first delivery: seq %llu, delivery count %llu",
             (unsigned long long)seq, (unsigned long long)dc);
    natsMsg_Destroy(m);
    t0 = it_now_ms();
    itc_expect_state(&env, "S", "D", (struct itc_state){1, 1, 0, 0, 1, 0, 0}, "not acked yet");

    m = fetch_one(sub, 5000, "redelivery after ack_wait 1s");
    IT_NATS(natsMsg_GetMetaData(&md, m));
    IT_CHECK(md->Sequence.Stream == 1 && md->Sequence.Consumer == 2 && md->NumDelivered == 2,
             "redelivered: stream seq %llu, consumer seq %llu, delivery count %llu",
             (unsigned long long)md->Sequence.Stream, (unsigned long long)md->Sequence.Consumer,
             (unsigned long long)md->NumDelivered);
    jsMsgMetaData_Destroy(md);
    IT_CHECK(it_now_ms() - t0 >= 700, "redelivery came after ack_wait (%lld ms)",
             (long long)(it_now_ms() - t0));
    itc_expect_state(&env, "S", "D", (struct itc_state){2, 1, 0, 0, 1, 0, 1},
                     "redelivered, not acked");
    IT_NATS(natsMsg_Ack(m, NULL));
    natsMsg_Destroy(m);
    itc_expect_state(&env, "S", "D", (struct itc_state){2, 1, 2, 1, 0, 0, 0}, "redelivery acked");
    fetch_none(sub, 1, 1800, "no further redelivery after the ack");
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}

void jsc_case_max_deliver(void)
{
    struct itj_env env;
    natsSubscription *sub, *adv = NULL;
    natsMsg *m;
    uint64_t dc = 0;
    json_t *j;

    setup(&env, "D", 1000, 2);
    IT_NATS(natsConnection_SubscribeSync(&adv, env.nc,
                                         "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.S.D"));
    IT_NATS(natsConnection_Flush(env.nc));
    itc_pub_n(&env, "s.a", "m", 1);
    sub = itc_pull_bind(&env, "S", "D");
    m = fetch_one(sub, 5000, "delivery 1");
    natsMsg_Destroy(m);
    m = fetch_one(sub, 5000, "delivery 2");
    IT_CHECK(itc_msg_seq(m, &dc) == 1 && dc == 2, "second delivery of seq 1 (dc %llu)",
             (unsigned long long)dc);
    natsMsg_Destroy(m);
    fetch_none(sub, 1, 2500, "max_deliver 2 reached: no third delivery");

    m = NULL;
    IT_NATS(natsSubscription_NextMsg(&m, adv, 3000));
    j = json_loadb(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m), 0, NULL);
    IT_ASSERT(j, "advisory is not JSON: %.*s", natsMsg_GetDataLength(m), natsMsg_GetData(m));
    IT_CHECK(strcmp(itj_json_str(j, "type"), "io.nats.jetstream.advisory.v1.max_deliver") == 0 &&
                 strcmp(itj_json_str(j, "stream"), "S") == 0 &&
                 strcmp(itj_json_str(j, "consumer"), "D") == 0 &&
                 itj_json_int(j, "stream_seq") == 1 && itj_json_int(j, "deliveries") == 2,
             "MAX_DELIVERIES advisory: %.*s", natsMsg_GetDataLength(m), natsMsg_GetData(m));
    json_decref(j);
    natsMsg_Destroy(m);
    /* nats-server 2.9.10 drops the message from num_ack_pending once it gives up on it, but
     * leaves ack_floor at 0 until a later ack moves the floor; num_redelivered keeps counting
     * the given-up message for good (a stale entry), which the cases do not pin. */
    itc_expect_state(&env, "S", "D", (struct itc_state){2, 1, 0, 0, 0, 0, ITC_ANY},
                     "after max deliveries");
    itc_pub_n(&env, "s.a", "n", 1);
    m = fetch_one(sub, 5000, "a new message after the given-up one");
    IT_CHECK(itc_msg_seq(m, &dc) == 2 && dc == 1, "next delivery is seq 2 (dc %llu)",
             (unsigned long long)dc);
    IT_NATS(natsMsg_Ack(m, NULL));
    natsMsg_Destroy(m);
    itc_expect_state(&env, "S", "D", (struct itc_state){3, 2, 3, 2, 0, 0, ITC_ANY},
                     "acking seq 2 moves the floor past the given-up seq 1");
    natsSubscription_Destroy(adv);
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}

void jsc_case_nak(void)
{
    struct itj_env env;
    natsSubscription *sub;
    natsMsg *m;
    uint64_t dc = 0;
    int64_t t0;

    setup(&env, "D", 0, 0); /* ack_wait 30 s: only the nak can redeliver within the test */
    itc_pub_n(&env, "s.a", "m", 1);
    sub = itc_pull_bind(&env, "S", "D");
    m = fetch_one(sub, 5000, "delivery 1");
    IT_NATS(natsMsg_Nak(m, NULL));
    natsMsg_Destroy(m);
    t0 = it_now_ms();
    m = fetch_one(sub, 5000, "redelivery after nak");
    IT_CHECK(itc_msg_seq(m, &dc) == 1 && dc == 2 && it_now_ms() - t0 < 2000,
             "nak redelivers seq 1 at once (dc %llu, %lld ms)", (unsigned long long)dc,
             (long long)(it_now_ms() - t0));
    itc_expect_state(&env, "S", "D", (struct itc_state){2, 1, 0, 0, 1, 0, 1}, "after nak");
    IT_NATS(natsMsg_Ack(m, NULL));
    natsMsg_Destroy(m);
    itc_expect_state(&env, "S", "D", (struct itc_state){2, 1, 2, 1, 0, 0, 0}, "after ack");
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}

void jsc_case_nak_delay(void)
{
    struct itj_env env;
    natsSubscription *sub;
    natsMsg *m;
    uint64_t dc = 0;
    int64_t t0;

    setup(&env, "D", 0, 0);
    itc_pub_n(&env, "s.a", "m", 1);
    sub = itc_pull_bind(&env, "S", "D");
    m = fetch_one(sub, 5000, "delivery 1");
    IT_NATS(natsMsg_NakWithDelay(m, 1500, NULL));
    natsMsg_Destroy(m);
    t0 = it_now_ms();
    fetch_none(sub, 1, 700, "nak with delay 1.5s: not redelivered early");
    m = fetch_one(sub, 5000, "redelivery after the nak delay");
    IT_CHECK(itc_msg_seq(m, &dc) == 1 && dc == 2 && it_now_ms() - t0 >= 1200,
             "seq 1 redelivered after the delay (dc %llu, %lld ms)", (unsigned long long)dc,
             (long long)(it_now_ms() - t0));
    IT_NATS(natsMsg_Ack(m, NULL));
    natsMsg_Destroy(m);

    /* libnats sent "-NAK {"delay":<ns>}"; the body may also carry a Go duration. */
    itc_pub_n(&env, "s.b", "n", 1);
    m = fetch_one(sub, 5000, "delivery of seq 2");
    IT_NATS(natsConnection_PublishString(env.nc, natsMsg_GetReply(m), "-NAK 1s"));
    natsMsg_Destroy(m);
    t0 = it_now_ms();
    m = fetch_one(sub, 5000, "redelivery after raw '-NAK 1s'");
    IT_CHECK(itc_msg_seq(m, &dc) == 2 && dc == 2 && it_now_ms() - t0 >= 700,
             "raw '-NAK 1s': seq 2 again after %lld ms", (long long)(it_now_ms() - t0));
    IT_NATS(natsMsg_Ack(m, NULL));
    natsMsg_Destroy(m);
    itc_expect_state(&env, "S", "D", (struct itc_state){4, 2, 4, 2, 0, 0, 0}, "all acked");
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}

void jsc_case_in_progress(void)
{
    struct itj_env env;
    natsSubscription *sub;
    natsMsg *m;
    uint64_t dc = 0;
    int64_t t0;

    setup(&env, "D", 1000, 0);
    itc_pub_n(&env, "s.a", "m", 1);
    sub = itc_pull_bind(&env, "S", "D");
    m = fetch_one(sub, 5000, "delivery 1");
    /* Three +WPI, 600 ms apart, keep the message from being redelivered for ~1.8 s + 1 s. */
    for (int i = 0; i < 3; i++) {
        natsMsgList list;
        int n = itc_fetch(sub, &list, 1, 600);

        IT_ASSERT(n == 0, "redelivered during +WPI round %d", i + 1);
        natsMsgList_Destroy(&list);
        IT_NATS(natsMsg_InProgress(m, NULL));
    }
    it_ok("+WPI three times over 1.8 s: no redelivery past the 1 s ack_wait");
    natsMsg_Destroy(m);
    itc_expect_state(&env, "S", "D", (struct itc_state){1, 1, 0, 0, 1, 0, 0},
                     "still pending, never redelivered");
    t0 = it_now_ms();
    m = fetch_one(sub, 5000, "redelivery once the +WPI stop");
    IT_CHECK(itc_msg_seq(m, &dc) == 1 && dc == 2 && it_now_ms() - t0 >= 500,
             "redelivered a full ack_wait after the last +WPI (%lld ms)",
             (long long)(it_now_ms() - t0));
    IT_NATS(natsMsg_Ack(m, NULL));
    natsMsg_Destroy(m);
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}

void jsc_case_term(void)
{
    struct itj_env env;
    natsSubscription *sub, *adv = NULL;
    natsMsg *m;
    json_t *j;

    setup(&env, "D", 1000, 0);
    IT_NATS(natsConnection_SubscribeSync(&adv, env.nc,
                                         "$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.S.D"));
    IT_NATS(natsConnection_Flush(env.nc));
    itc_pub_n(&env, "s.a", "m", 2);
    sub = itc_pull_bind(&env, "S", "D");
    m = fetch_one(sub, 5000, "delivery of seq 1");
    IT_NATS(natsMsg_Term(m, NULL));
    natsMsg_Destroy(m);
    m = fetch_one(sub, 5000, "delivery of seq 2");
    IT_CHECK(itc_msg_seq(m, NULL) == 2, "next fetch gives seq 2");
    IT_NATS(natsMsg_Ack(m, NULL));
    natsMsg_Destroy(m);
    fetch_none(sub, 1, 2000, "terminated seq 1 is not redelivered past ack_wait");
    itc_expect_state(&env, "S", "D", (struct itc_state){2, 2, 2, 2, 0, 0, 0},
                     "term counts as acked");

    m = NULL;
    IT_NATS(natsSubscription_NextMsg(&m, adv, 3000));
    j = json_loadb(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m), 0, NULL);
    IT_ASSERT(j, "advisory is not JSON");
    IT_CHECK(strcmp(itj_json_str(j, "type"), "io.nats.jetstream.advisory.v1.terminated") == 0 &&
                 itj_json_int(j, "stream_seq") == 1 && itj_json_int(j, "deliveries") == 1,
             "MSG_TERMINATED advisory: %.*s", natsMsg_GetDataLength(m), natsMsg_GetData(m));
    json_decref(j);
    natsMsg_Destroy(m);
    natsSubscription_Destroy(adv);
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}

void jsc_case_ack_all(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsConsumerConfig cc;
    natsSubscription *sub;
    natsMsgList list;
    int n;

    itj_start(&env);
    itj_stream_init(&st, "S", "s.>", NULL);
    itj_stream_add(&env, &st);
    itc_config_init(&cc, "D", 0);
    cc.AckPolicy = js_AckAll;
    itc_consumer_add(&env, "S", &cc, false);
    itc_pub_n(&env, "s.a", "m", 5);
    sub = itc_pull_bind(&env, "S", "D");
    n = itc_fetch(sub, &list, 5, 5000);
    IT_CHECK(n == 5, "fetch 5: got %d", n);
    itc_expect_state(&env, "S", "D", (struct itc_state){5, 5, 0, 0, 5, 0, 0}, "none acked");
    IT_NATS(natsMsg_Ack(list.Msgs[2], NULL));
    itc_expect_state(&env, "S", "D", (struct itc_state){5, 5, 3, 3, 2, 0, 0},
                     "ack policy all: acking 3 acks 1-3");
    IT_NATS(natsMsg_Ack(list.Msgs[0], NULL)); /* below the floor: no effect */
    IT_NATS(natsMsg_Ack(list.Msgs[4], NULL));
    itc_expect_state(&env, "S", "D", (struct itc_state){5, 5, 5, 5, 0, 0, 0}, "acking 5 acks all");
    natsMsgList_Destroy(&list);
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}
