/* it_js cases about publishing into streams: PubAck fields, Nats-Msg-Id de-duplication, the
 * Nats-Expected-* headers, and the stream limits (max_msgs with discard old and new, max_bytes,
 * max_msgs_per_subject, max_msg_size, max_age).
 *
 * Sizes follow nats-server's accounting of a stored message: 22 + subject + headers + data + 8
 * bytes in a file store. The limit cases leave enough margin that a store counting a few bytes
 * differently still takes the same decisions; publish_ack checks the exact figure.
 */
#include "it_js.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define FILE_MSG_SIZE(subj, data) (22 + strlen(subj) + strlen(data) + 8)

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Fetches message <seq> of <stream> and checks its subject and payload. */
static void expect_msg(struct itj_env *env, const char *stream, uint64_t seq, const char *subj,
                       const char *data)
{
    natsMsg *m = NULL;
    jsErrCode ec = 0;
    natsStatus s = js_GetMsg(&m, env->js, stream, seq, NULL, &ec);

    IT_ASSERT(s == NATS_OK, "js_GetMsg(%s, %llu): %s, err_code %d", stream, (unsigned long long)seq,
              natsStatus_GetText(s), (int)ec);
    IT_CHECK(strcmp(natsMsg_GetSubject(m), subj) == 0 &&
                 natsMsg_GetDataLength(m) == (int)strlen(data) &&
                 memcmp(natsMsg_GetData(m), data, strlen(data)) == 0,
             "%s seq %llu is %s '%s'", stream, (unsigned long long)seq, subj, data);
    natsMsg_Destroy(m);
}

/* Checks that message <seq> of <stream> is gone (err_code 10037). */
static void expect_no_msg(struct itj_env *env, const char *stream, uint64_t seq)
{
    natsMsg *m = NULL;
    jsErrCode ec = 0;
    natsStatus s = js_GetMsg(&m, env->js, stream, seq, NULL, &ec);

    IT_CHECK(s != NATS_OK && ec == 10037, "%s seq %llu is gone (%s, err_code %d)", stream,
             (unsigned long long)seq, natsStatus_GetText(s), (int)ec);
    natsMsg_Destroy(m);
}

void it_case_publish_ack(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsPubAck *pa = NULL;
    jsErrCode ec = 0;
    natsMsg *reply = NULL;
    jsStreamInfo *si;
    json_t *r;
    natsStatus s;

    itj_start(&env);
    itj_stream_init(&st, "P", "p.>", NULL);
    itj_stream_add(&env, &st);
    IT_NATS(js_Publish(&pa, env.js, "p.a", "hello", 5, NULL, &ec));
    IT_CHECK(strcmp(pa->Stream, "P") == 0 && pa->Sequence == 1 && !pa->Duplicate,
             "PubAck: stream P, seq 1, not duplicate");
    jsPubAck_Destroy(pa);
    IT_CHECK(itj_pub(&env, "p.b.c", "world", NULL, NULL) == 2, "second publish gets seq 2");

    IT_NATS(natsConnection_RequestString(&reply, env.nc, "p.raw", "raw!", ITJ_API_TIMEOUT));
    r = json_loadb(natsMsg_GetData(reply), (size_t)natsMsg_GetDataLength(reply), 0, NULL);
    IT_CHECK(r && strcmp(itj_json_str(r, "stream"), "P") == 0 && itj_json_int(r, "seq") == 3 &&
                 !json_object_get(r, "error") && !json_is_true(json_object_get(r, "duplicate")),
             "plain request to a stream subject: PubAck JSON %.*s", natsMsg_GetDataLength(reply),
             natsMsg_GetData(reply));
    json_decref(r);
    natsMsg_Destroy(reply);

    si = itj_stream_info(&env, "P");
    IT_CHECK(si->State.Msgs == 3 && si->State.FirstSeq == 1 && si->State.LastSeq == 3 &&
                 si->State.NumSubjects == 3,
             "state: 3 messages, seq 1..3, 3 subjects (%lld)", (long long)si->State.NumSubjects);
    IT_CHECK(si->State.Bytes == FILE_MSG_SIZE("p.a", "hello") + FILE_MSG_SIZE("p.b.c", "world") +
                                    FILE_MSG_SIZE("p.raw", "raw!"),
             "state.bytes %llu = sum of 22 + subject + data + 8 (nats-server's accounting)",
             (unsigned long long)si->State.Bytes);
    IT_CHECK(si->State.FirstTime > 0 && si->State.LastTime >= si->State.FirstTime,
             "first_ts and last_ts set");
    jsStreamInfo_Destroy(si);

    s = js_Publish(&pa, env.js, "nostream", "x", 1, NULL, &ec);
    IT_CHECK(s == NATS_NO_RESPONDERS, "publish outside every stream: no responders (%s)",
             natsStatus_GetText(s));
    itj_stop(&env);
}

void it_case_publish_dedup(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsPubOptions po;
    natsMsg *reply = NULL, *msg = NULL;
    bool dup = true;
    json_t *r;
    uint64_t seq;

    itj_start(&env);
    itj_stream_init(&st, "D", "d.>", NULL);
    itj_stream_add(&env, &st);
    IT_NATS(jsPubOptions_Init(&po));
    po.MsgId = "id-1";
    seq = itj_pub(&env, "d.a", "first", &po, &dup);
    IT_CHECK(seq == 1 && !dup, "first publish of id-1: seq 1, not duplicate");
    seq = itj_pub(&env, "d.a", "again", &po, &dup);
    IT_CHECK(seq == 1 && dup, "second publish of id-1: seq 1 and duplicate=true");
    itj_expect_state(&env, "D", 1, 1, 1, "duplicate not stored");
    expect_msg(&env, "D", 1, "d.a", "first");

    IT_NATS(natsMsg_Create(&msg, "d.b", NULL, "raw", 3));
    IT_NATS(natsMsgHeader_Set(msg, "Nats-Msg-Id", "id-1"));
    IT_NATS(natsConnection_RequestMsg(&reply, env.nc, msg, ITJ_API_TIMEOUT));
    r = json_loadb(natsMsg_GetData(reply), (size_t)natsMsg_GetDataLength(reply), 0, NULL);
    IT_CHECK(r && json_is_true(json_object_get(r, "duplicate")) && itj_json_int(r, "seq") == 1,
             "raw PubAck of a duplicate: %.*s", natsMsg_GetDataLength(reply),
             natsMsg_GetData(reply));
    json_decref(r);
    natsMsg_Destroy(reply);
    natsMsg_Destroy(msg);

    po.MsgId = "id-2";
    seq = itj_pub(&env, "d.a", "second", &po, &dup);
    IT_CHECK(seq == 2 && !dup, "id-2: seq 2");
    itj_expect_state(&env, "D", 2, 1, 2, "after id-2");

    itj_stream_init(&st, "W", "w", NULL);
    st.cfg.Duplicates = 200LL * 1000 * 1000; /* 200 ms window */
    itj_stream_add(&env, &st);
    po.MsgId = "w-1";
    itj_pub(&env, "w", "x", &po, &dup);
    itj_pub(&env, "w", "x", &po, &dup);
    IT_CHECK(dup, "w-1 is a duplicate inside the 200 ms window");
    sleep_ms(700);
    seq = itj_pub(&env, "w", "x", &po, &dup);
    IT_CHECK(seq == 2 && !dup, "w-1 is accepted again after the window passed (seq %llu)",
             (unsigned long long)seq);
    itj_stop(&env);
}

void it_case_publish_expect(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsPubOptions po;
    int ec;

    itj_start(&env);
    itj_stream_init(&st, "E", "e.>", NULL);
    itj_stream_add(&env, &st);
    IT_NATS(jsPubOptions_Init(&po));
    po.ExpectStream = "E";
    IT_CHECK(itj_pub(&env, "e.a", "1", &po, NULL) == 1, "expected stream E matches: seq 1");
    po.ExpectStream = "OTHER";
    ec = itj_pub_fail(&env, "e.a", "x", NULL, NULL, &po);
    IT_CHECK(ec == 10060, "expected stream OTHER: err_code %d (%s)", ec, it_nats_last_error());

    IT_NATS(jsPubOptions_Init(&po));
    po.ExpectLastSeq = 1;
    IT_CHECK(itj_pub(&env, "e.b", "2", &po, NULL) == 2, "expected last seq 1 matches: seq 2");
    ec = itj_pub_fail(&env, "e.b", "x", NULL, NULL, &po);
    IT_CHECK(ec == 10071, "expected last seq 1 when it is 2: err_code %d (%s)", ec,
             it_nats_last_error());

    IT_NATS(jsPubOptions_Init(&po));
    po.ExpectLastSubjectSeq = 1;
    IT_CHECK(itj_pub(&env, "e.a", "3", &po, NULL) == 3, "last seq of e.a is 1: seq 3");
    ec = itj_pub_fail(&env, "e.a", "x", NULL, NULL, &po);
    IT_CHECK(ec == 10071, "last seq of e.a is 3, not 1: err_code %d (%s)", ec,
             it_nats_last_error());
    IT_NATS(jsPubOptions_Init(&po));
    po.ExpectNoMessage = true;
    IT_CHECK(itj_pub(&env, "e.new", "4", &po, NULL) == 4,
             "expected-last-subject-seq 0 on an unused subject: seq 4");
    ec = itj_pub_fail(&env, "e.new", "x", NULL, NULL, &po);
    IT_CHECK(ec == 10071, "expected-last-subject-seq 0 on a used subject: err_code %d (%s)", ec,
             it_nats_last_error());
    ec = itj_pub_fail(&env, "e.a", "x", "Nats-Expected-Last-Subject-Sequence", "0", NULL);
    IT_CHECK(ec == 10071, "raw header Nats-Expected-Last-Subject-Sequence: 0: err_code %d", ec);

    IT_NATS(jsPubOptions_Init(&po));
    po.MsgId = "first-id";
    IT_CHECK(itj_pub(&env, "e.c", "5", &po, NULL) == 5, "publish with msg id first-id: seq 5");
    po.MsgId = "second-id";
    po.ExpectLastMsgId = "first-id";
    IT_CHECK(itj_pub(&env, "e.c", "6", &po, NULL) == 6, "expected last msg id matches: seq 6");
    po.MsgId = "third-id";
    ec = itj_pub_fail(&env, "e.c", "x", NULL, NULL, &po);
    IT_CHECK(ec == 10070, "expected last msg id first-id when it is second-id: err_code %d (%s)",
             ec, it_nats_last_error());
    itj_expect_state(&env, "E", 6, 1, 6, "refused publishes stored nothing");
    itj_stop(&env);
}

void it_case_limit_max_msgs_old(void)
{
    struct itj_env env;
    struct itj_stream st;
    char data[16];

    itj_start(&env);
    itj_stream_init(&st, "L", "l", NULL);
    st.cfg.MaxMsgs = 3;
    itj_stream_add(&env, &st);
    for (int i = 1; i <= 5; i++) {
        snprintf(data, sizeof(data), "m%d", i);
        IT_ASSERT(itj_pub(&env, "l", data, NULL, NULL) == (uint64_t)i, "seq %d", i);
    }
    itj_expect_state(&env, "L", 3, 3, 5, "max_msgs 3, discard old, 5 published");
    expect_no_msg(&env, "L", 1);
    expect_no_msg(&env, "L", 2);
    expect_msg(&env, "L", 3, "l", "m3");
    expect_msg(&env, "L", 5, "l", "m5");
    st.cfg.MaxMsgs = 1;
    IT_NATS(js_UpdateStream(NULL, env.js, &st.cfg, NULL, NULL));
    itj_expect_state(&env, "L", 1, 5, 5, "lowering max_msgs to 1 by update trims at once");
    itj_stop(&env);
}

void it_case_limit_max_msgs_new(void)
{
    struct itj_env env;
    struct itj_stream st;
    int ec;

    itj_start(&env);
    itj_stream_init(&st, "N", "n.>", NULL);
    st.cfg.MaxMsgs = 2;
    st.cfg.Discard = js_DiscardNew;
    itj_stream_add(&env, &st);
    itj_pub(&env, "n.a", "1", NULL, NULL);
    itj_pub(&env, "n.a", "2", NULL, NULL);
    ec = itj_pub_fail(&env, "n.a", "3", NULL, NULL, NULL);
    IT_CHECK(ec == 10077, "third message with discard new: err_code %d (%s)", ec,
             it_nats_last_error());
    itj_expect_state(&env, "N", 2, 1, 2, "the stream kept the first two");
    expect_msg(&env, "N", 2, "n.a", "2");
    IT_NATS(js_DeleteMsg(env.js, "N", 1, NULL, NULL));
    IT_CHECK(itj_pub(&env, "n.a", "3", NULL, NULL) == 3, "after a delete there is room again");

    itj_stream_init(&st, "NS", "ns.>", NULL);
    st.cfg.MaxMsgsPerSubject = 1;
    st.cfg.Discard = js_DiscardNew;
    st.cfg.DiscardNewPerSubject = true;
    itj_stream_add(&env, &st);
    itj_pub(&env, "ns.a", "1", NULL, NULL);
    ec = itj_pub_fail(&env, "ns.a", "2", NULL, NULL, NULL);
    IT_CHECK(ec == 10077, "discard_new_per_subject: second on ns.a refused, err_code %d (%s)", ec,
             it_nats_last_error());
    IT_CHECK(itj_pub(&env, "ns.b", "3", NULL, NULL) == 2, "ns.b is still accepted");
    itj_stop(&env);
}

void it_case_limit_max_bytes(void)
{
    struct itj_env env;
    struct itj_stream st;
    char data[101];
    jsStreamInfo *si;
    int ec;

    memset(data, 'x', 100);
    data[100] = '\0';
    itj_start(&env);
    itj_stream_init(&st, "BO", "bo", NULL);
    st.cfg.MaxBytes = 300; /* two 100-byte messages (~133 bytes each) fit, three do not */
    itj_stream_add(&env, &st);
    for (int i = 0; i < 3; i++)
        itj_pub(&env, "bo", data, NULL, NULL);
    itj_expect_state(&env, "BO", 2, 2, 3, "max_bytes 300, discard old: oldest dropped");
    si = itj_stream_info(&env, "BO");
    IT_CHECK(si->State.Bytes <= 300, "state.bytes %llu within max_bytes",
             (unsigned long long)si->State.Bytes);
    jsStreamInfo_Destroy(si);

    itj_stream_init(&st, "BN", "bn", NULL);
    st.cfg.MaxBytes = 300;
    st.cfg.Discard = js_DiscardNew;
    itj_stream_add(&env, &st);
    itj_pub(&env, "bn", data, NULL, NULL);
    itj_pub(&env, "bn", data, NULL, NULL);
    ec = itj_pub_fail(&env, "bn", data, NULL, NULL, NULL);
    IT_CHECK(ec == 10077, "max_bytes with discard new: err_code %d (%s)", ec, it_nats_last_error());
    itj_expect_state(&env, "BN", 2, 1, 2, "discard new kept the first two");
    itj_stop(&env);
}

void it_case_limit_per_subject(void)
{
    struct itj_env env;
    struct itj_stream st;
    natsMsg *m = NULL;
    jsStreamInfo *si;

    itj_start(&env);
    itj_stream_init(&st, "K", "k.*", NULL);
    st.cfg.MaxMsgsPerSubject = 2;
    itj_stream_add(&env, &st);
    itj_pub(&env, "k.a", "a1", NULL, NULL);
    itj_pub(&env, "k.b", "b1", NULL, NULL);
    itj_pub(&env, "k.a", "a2", NULL, NULL);
    itj_pub(&env, "k.a", "a3", NULL, NULL);
    si = itj_stream_info(&env, "K");
    IT_CHECK(si->State.Msgs == 3 && si->State.FirstSeq == 2 && si->State.LastSeq == 4 &&
                 si->State.NumSubjects == 2,
             "max_msgs_per_subject 2: k.a keeps 2, k.b 1; seq 2..4, 2 subjects");
    jsStreamInfo_Destroy(si);
    expect_no_msg(&env, "K", 1);
    IT_NATS(js_GetLastMsg(&m, env.js, "K", "k.a", NULL, NULL));
    IT_CHECK(strncmp(natsMsg_GetData(m), "a3", 2) == 0, "last of k.a is a3");
    natsMsg_Destroy(m);
    itj_stop(&env);
}

void it_case_limit_msg_size(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsStreamInfo *si = NULL;
    int ec;

    itj_start(&env);
    itj_stream_init(&st, "Z", "z", NULL);
    st.cfg.MaxMsgSize = 10;
    IT_NATS(js_AddStream(&si, env.js, &st.cfg, NULL, NULL));
    IT_CHECK(si->Config->MaxMsgSize == 10, "max_msg_size 10 kept in the config");
    jsStreamInfo_Destroy(si);
    IT_CHECK(itj_pub(&env, "z", "0123456789", NULL, NULL) == 1, "10-byte message accepted");
    ec = itj_pub_fail(&env, "z", "0123456789a", NULL, NULL, NULL);
    IT_CHECK(ec == 10054, "11-byte message: err_code %d (%s)", ec, it_nats_last_error());
    ec = itj_pub_fail(&env, "z", "abc", "Nats-Msg-Id", "m1", NULL);
    IT_CHECK(ec == 10054, "3 bytes plus a header over 10 bytes: err_code %d (headers count)", ec);
    itj_expect_state(&env, "Z", 1, 1, 1, "refused messages not stored");
    itj_stop(&env);
}

void it_case_limit_max_age(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsStreamInfo *si;
    int64_t t0, gone_at = -1;

    itj_start(&env);
    itj_stream_init(&st, "AGE", "age.>", NULL);
    st.cfg.MaxAge = 1000LL * 1000 * 1000; /* 1 s */
    itj_stream_add(&env, &st);
    t0 = it_now_ms();
    for (int i = 0; i < 3; i++)
        itj_pub(&env, "age.x", "old", NULL, NULL);
    si = itj_stream_info(&env, "AGE");
    IT_CHECK(si->State.Msgs == 3, "3 messages right after publishing");
    jsStreamInfo_Destroy(si);
    sleep_ms(1500 - (int)(it_now_ms() - t0));
    /* From 1.5 s on, poll only stream info (nothing reads the messages) for up to 1 s more. */
    while (it_now_ms() - t0 < 2500) {
        si = itj_stream_info(&env, "AGE");
        if (si->State.Msgs == 0) {
            gone_at = it_now_ms() - t0;
            IT_CHECK(si->State.FirstSeq == 4 && si->State.LastSeq == 3,
                     "expired stream: first_seq 4, last_seq 3");
            jsStreamInfo_Destroy(si);
            break;
        }
        jsStreamInfo_Destroy(si);
        sleep_ms(50);
    }
    IT_CHECK(gone_at >= 0, "max_age 1s: all messages expired by %lld ms", (long long)gone_at);
    IT_CHECK(itj_pub(&env, "age.x", "new", NULL, NULL) == 4, "sequence continues at 4");
    itj_stop(&env);
}
