/* it_jsc cases about what a consumer sees and what its acks do to the stream: ack policy none,
 * the deliver policies (all, last, new, by_start_sequence, last_per_subject), filter subjects,
 * work-queue retention (removal on ack, overlapping consumers refused) and interest retention.
 */
#include "it_jsc.h"

#include <stdio.h>
#include <string.h>

/* Fetches one message from the bound consumer <stream>/<name> and returns its stream sequence
 * (0 when nothing came within <timeout_ms>); acks it (AckSync) when <ack>. */
static uint64_t first_seq(struct itj_env *env, const char *stream, const char *name, bool ack,
                          int64_t timeout_ms)
{
    natsSubscription *sub = itc_pull_bind(env, stream, name);
    natsMsgList list;
    uint64_t seq = 0;

    if (itc_fetch(sub, &list, 1, timeout_ms) == 1) {
        seq = itc_msg_seq(list.Msgs[0], NULL);
        if (ack)
            IT_NATS(natsMsg_AckSync(list.Msgs[0], NULL, NULL));
    }
    natsMsgList_Destroy(&list);
    natsSubscription_Destroy(sub);
    return seq;
}

/* Adds durable pull consumer <name> on <stream> with <policy>, <start_seq> and <filter> (may be
 * NULL) and returns its num_pending right after creation. */
static uint64_t add_policy(struct itj_env *env, const char *stream, const char *name,
                           jsDeliverPolicy policy, uint64_t start_seq, const char *filter)
{
    jsConsumerConfig cc;
    jsConsumerInfo *ci;
    uint64_t pending;

    itc_config_init(&cc, name, 0);
    cc.DeliverPolicy = policy;
    cc.OptStartSeq = start_seq;
    cc.FilterSubject = filter;
    ci = itc_consumer_add(env, stream, &cc, true);
    pending = ci->NumPending;
    jsConsumerInfo_Destroy(ci);
    return pending;
}

void jsc_case_ack_none(void)
{
    struct itj_env env;
    struct itj_stream st;
    struct itc_inbox in;
    jsConsumerConfig cc;
    natsSubscription *sub;
    natsMsgList list;
    int n;

    itj_start(&env);
    itj_stream_init(&st, "S", "s.>", NULL);
    itj_stream_add(&env, &st);
    itc_pub_n(&env, "s.a", "m", 3);

    /* nats-server 2.9.10 accepts a pull consumer with ack none (later versions refuse it). */
    itc_config_init(&cc, "PULLNONE", 0);
    cc.AckPolicy = js_AckNone;
    itc_consumer_add(&env, "S", &cc, false);
    sub = itc_pull_bind(&env, "S", "PULLNONE");
    n = itc_fetch(sub, &list, 2, 5000);
    IT_CHECK(n == 2, "pull with ack none: fetched %d of 2", n);
    natsMsgList_Destroy(&list);
    natsSubscription_Destroy(sub);
    itc_expect_state(&env, "S", "PULLNONE", (struct itc_state){2, 2, 2, 2, 0, 1, 0},
                     "pull ack none: the floor follows delivery");

    itc_inbox_open(&env, &in);
    itc_config_init(&cc, "PUSHNONE", 0);
    cc.AckPolicy = js_AckNone;
    cc.DeliverSubject = in.subject;
    itc_consumer_add(&env, "S", &cc, false);
    for (uint64_t i = 1; i <= 3; i++) {
        natsMsg *m = itc_inbox_next(&in, 5000);

        IT_ASSERT(m, "push ack none: message %llu missing", (unsigned long long)i);
        IT_ASSERT(itc_msg_seq(m, NULL) == i, "push ack none: out of order at %llu",
                  (unsigned long long)i);
        natsMsg_Destroy(m);
    }
    it_ok("push consumer with ack none delivered 3 messages with JetStream metadata");
    itc_expect_state(&env, "S", "PUSHNONE", (struct itc_state){3, 3, 3, 3, 0, 0, 0},
                     "push ack none: the floor follows delivery");
    itc_inbox_close(&in);
    itj_stop(&env);
}

void jsc_case_deliver_policies(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsConsumerConfig cc;
    uint64_t p;
    int code;

    itj_start(&env);
    itj_stream_init(&st, "P", "p.*", NULL);
    itj_stream_add(&env, &st);
    itj_pub(&env, "p.a", "a1", NULL, NULL); /* 1 */
    itj_pub(&env, "p.b", "b1", NULL, NULL); /* 2 */
    itj_pub(&env, "p.a", "a2", NULL, NULL); /* 3 */
    itj_pub(&env, "p.c", "c1", NULL, NULL); /* 4 */
    itj_pub(&env, "p.b", "b2", NULL, NULL); /* 5 */

    p = add_policy(&env, "P", "ALL", js_DeliverAll, 0, NULL);
    IT_CHECK(p == 5 && first_seq(&env, "P", "ALL", true, 5000) == 1, "all: pending %llu, seq 1",
             (unsigned long long)p);
    p = add_policy(&env, "P", "LAST", js_DeliverLast, 0, NULL);
    IT_CHECK(p == 1 && first_seq(&env, "P", "LAST", true, 5000) == 5, "last: pending %llu, seq 5",
             (unsigned long long)p);
    p = add_policy(&env, "P", "SEQ", js_DeliverByStartSequence, 3, NULL);
    IT_CHECK(p == 3 && first_seq(&env, "P", "SEQ", true, 5000) == 3,
             "by_start_sequence 3: pending %llu, seq 3", (unsigned long long)p);
    p = add_policy(&env, "P", "LPS", js_DeliverLastPerSubject, 0, "p.*");
    IT_CHECK(p == 3, "last_per_subject on p.*: pending %llu (seqs 3, 4, 5)", (unsigned long long)p);
    IT_CHECK(first_seq(&env, "P", "LPS", true, 5000) == 3 &&
                 first_seq(&env, "P", "LPS", true, 5000) == 4 &&
                 first_seq(&env, "P", "LPS", true, 5000) == 5 &&
                 first_seq(&env, "P", "LPS", true, 300) == 0,
             "last_per_subject delivers 3, 4, 5 and nothing else");
    p = add_policy(&env, "P", "NEW", js_DeliverNew, 0, NULL);
    IT_CHECK(p == 0 && first_seq(&env, "P", "NEW", false, 300) == 0,
             "new: pending %llu, nothing to fetch", (unsigned long long)p);
    itj_pub(&env, "p.c", "c2", NULL, NULL); /* 6 */
    IT_CHECK(first_seq(&env, "P", "NEW", true, 5000) == 6, "new: gets seq 6 published later");
    itc_expect_state(&env, "P", "LAST", (struct itc_state){1, 5, 1, 5, 0, 1, 0},
                     "last: seq 6 pending after the publish");

    itc_config_init(&cc, "BAD1", 0);
    cc.DeliverPolicy = js_DeliverByStartSequence;
    code = itc_consumer_add_code(&env, "P", &cc);
    IT_CHECK(code == 10094, "by_start_sequence without opt_start_seq: err_code %d", code);
    itc_config_init(&cc, "BAD2", 0);
    cc.OptStartSeq = 2;
    code = itc_consumer_add_code(&env, "P", &cc);
    IT_CHECK(code == 10094, "opt_start_seq with deliver policy all: err_code %d", code);
    itc_config_init(&cc, "BAD3", 0);
    cc.DeliverPolicy = js_DeliverLastPerSubject;
    code = itc_consumer_add_code(&env, "P", &cc);
    IT_CHECK(code == 10094, "last_per_subject without a filter: err_code %d", code);
    itj_stop(&env);
}

void jsc_case_filter_subject(void)
{
    struct itj_env env;
    struct itj_stream st;
    natsSubscription *sub;
    natsMsgList list;
    jsMsgMetaData *md = NULL;
    jsConsumerConfig cc;
    int n, code;

    itj_start(&env);
    itj_stream_init(&st, "F", "f.>", NULL);
    itj_stream_add(&env, &st);
    itj_pub(&env, "f.a", "1", NULL, NULL);
    itj_pub(&env, "f.b", "2", NULL, NULL);
    itj_pub(&env, "f.a", "3", NULL, NULL);
    itj_pub(&env, "f.c.x", "4", NULL, NULL);
    itj_pub(&env, "f.c.y", "5", NULL, NULL);

    IT_CHECK(add_policy(&env, "F", "FA", js_DeliverAll, 0, "f.a") == 2, "filter f.a: pending 2");
    IT_CHECK(add_policy(&env, "F", "FC", js_DeliverAll, 0, "f.c.>") == 2,
             "filter f.c.>: pending 2");
    sub = itc_pull_bind(&env, "F", "FA");
    n = itc_fetch(sub, &list, 10, 5000);
    IT_CHECK(n == 2 && itc_msg_seq(list.Msgs[0], NULL) == 1 && itc_msg_seq(list.Msgs[1], NULL) == 3,
             "filter f.a fetches seqs 1 and 3 only (%d messages)", n);
    IT_NATS(natsMsg_GetMetaData(&md, list.Msgs[0]));
    IT_CHECK(md->NumPending == 1 && md->Sequence.Consumer == 1,
             "metadata counts only filtered messages: pending %llu, consumer seq %llu",
             (unsigned long long)md->NumPending, (unsigned long long)md->Sequence.Consumer);
    jsMsgMetaData_Destroy(md);
    for (int i = 0; i < n; i++)
        IT_NATS(natsMsg_Ack(list.Msgs[i], NULL));
    natsMsgList_Destroy(&list);
    /* The pull kept waiting for more f.a messages, so the server scanned the stream to its end:
     * nats-server reports that scan position (5) as delivered.stream_seq, and as the ack floor's
     * stream seq once nothing is pending, although the last f.a message it sent was seq 3. */
    itc_expect_state(&env, "F", "FA", (struct itc_state){2, 5, 2, 5, 0, 0, 0},
                     "filter f.a after acks");
    itj_pub(&env, "f.b", "6", NULL, NULL);
    itj_pub(&env, "f.a", "7", NULL, NULL);
    n = itc_fetch(sub, &list, 10, 5000);
    IT_CHECK(n == 1 && itc_msg_seq(list.Msgs[0], NULL) == 7, "then only seq 7 (f.a) arrives");
    natsMsgList_Destroy(&list);
    natsSubscription_Destroy(sub);

    itc_config_init(&cc, "FX", 0);
    cc.FilterSubject = "g.x";
    code = itc_consumer_add_code(&env, "F", &cc);
    IT_CHECK(code == 10093, "filter outside the stream subjects: err_code %d", code);
    itj_stop(&env);
}

void jsc_case_workqueue(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsConsumerConfig cc;
    int code;

    itj_start(&env);
    itj_stream_init(&st, "W", "w.>", NULL);
    st.cfg.Retention = js_WorkQueuePolicy;
    itj_stream_add(&env, &st);
    itc_pub_n(&env, "w.a", "m", 3);
    itc_pub_n(&env, "w.b", "n", 1);
    IT_CHECK(add_policy(&env, "W", "WA", js_DeliverAll, 0, "w.a") == 3, "consumer on w.a: 3");
    IT_CHECK(first_seq(&env, "W", "WA", true, 5000) == 1, "work queue delivers seq 1");
    itc_expect_state(&env, "W", "WA", (struct itc_state){1, 1, 1, 1, 0, 2, 0}, "seq 1 acked");
    itj_expect_state(&env, "W", 3, 2, 4, "acked message removed from the work queue");

    itc_config_init(&cc, "WALL", 0);
    cc.FilterSubject = "w.>";
    code = itc_consumer_add_code(&env, "W", &cc);
    IT_CHECK(code == 10100, "second consumer with overlapping filter w.>: err_code %d", code);
    itc_config_init(&cc, "WA2", 0);
    cc.FilterSubject = "w.a";
    code = itc_consumer_add_code(&env, "W", &cc);
    IT_CHECK(code == 10100, "second consumer with the same filter w.a: err_code %d", code);
    itc_config_init(&cc, "WNONE", 0);
    code = itc_consumer_add_code(&env, "W", &cc);
    IT_CHECK(code == 10099, "second consumer without a filter: err_code %d", code);
    itc_config_init(&cc, "WACKALL", 0);
    cc.FilterSubject = "w.c";
    cc.AckPolicy = js_AckAll;
    code = itc_consumer_add_code(&env, "W", &cc);
    IT_CHECK(code == 10098, "work queue consumer with ack policy all: err_code %d", code);

    IT_CHECK(add_policy(&env, "W", "WB", js_DeliverAll, 0, "w.b") == 1,
             "a disjoint filter w.b is accepted");
    IT_CHECK(first_seq(&env, "W", "WB", true, 5000) == 4, "w.b consumer gets seq 4");
    itj_expect_state(&env, "W", 2, 2, 4, "seq 4 removed after its ack");
    IT_NATS(js_DeleteConsumer(env.js, "W", "WA", NULL, NULL));
    IT_CHECK(add_policy(&env, "W", "WA3", js_DeliverAll, 0, "w.a") == 2,
             "after deleting WA a new consumer on w.a is accepted, pending seqs 2-3");
    itj_stop(&env);
}

void jsc_case_interest(void)
{
    struct itj_env env;
    struct itj_stream st;
    natsSubscription *sa, *sb;
    natsMsgList la, lb;

    itj_start(&env);
    itj_stream_init(&st, "I", "i.>", NULL);
    st.cfg.Retention = js_InterestPolicy;
    itj_stream_add(&env, &st);
    add_policy(&env, "I", "A", js_DeliverAll, 0, NULL);
    itc_pub_n(&env, "i.x", "m", 3);
    itj_expect_state(&env, "I", 3, 1, 3, "3 messages held for consumer A");
    sa = itc_pull_bind(&env, "I", "A");
    IT_CHECK(itc_fetch(sa, &la, 3, 5000) == 3, "A fetches 3");
    IT_NATS(natsMsg_AckSync(la.Msgs[0], NULL, NULL));
    IT_NATS(natsMsg_AckSync(la.Msgs[1], NULL, NULL));
    itj_expect_state(&env, "I", 1, 3, 3, "acked by the only consumer: seqs 1-2 removed");

    add_policy(&env, "I", "B", js_DeliverAll, 0, NULL);
    itc_pub_n(&env, "i.y", "n", 1); /* seq 4: wanted by A and B */
    sb = itc_pull_bind(&env, "I", "B");
    IT_CHECK(itc_fetch(sb, &lb, 2, 5000) == 2, "B fetches seqs 3 and 4");
    IT_NATS(natsMsg_AckSync(lb.Msgs[0], NULL, NULL));
    IT_NATS(natsMsg_AckSync(lb.Msgs[1], NULL, NULL));
    itj_expect_state(&env, "I", 2, 3, 4, "acked by B only: 3 and 4 stay for A");
    IT_NATS(natsMsg_AckSync(la.Msgs[2], NULL, NULL));
    itj_expect_state(&env, "I", 1, 4, 4, "seq 3 acked by both: removed");
    natsMsgList_Destroy(&la);
    IT_CHECK(itc_fetch(sa, &la, 1, 5000) == 1, "A fetches seq 4");
    IT_NATS(natsMsg_AckSync(la.Msgs[0], NULL, NULL));
    itj_expect_state(&env, "I", 0, 5, 4, "seq 4 acked by both: stream empty");
    natsMsgList_Destroy(&la);
    natsMsgList_Destroy(&lb);
    natsSubscription_Destroy(sa);
    natsSubscription_Destroy(sb);
    itj_stop(&env);
}
