/* it_jsc cases about raw pull requests and the status messages they get back: no_wait (404),
 * expires (408 with pending counts), max_waiting (409), the odd but valid request forms, bad
 * pull requests and malformed ack subjects (the server answers or ignores them and keeps
 * working).
 */
#include "it_jsc.h"

#include <stdio.h>
#include <string.h>

/* Stream "S" on "s.>" and durable pull consumer "D" (explicit acks, <max_waiting> or default
 * when 0). */
static void setup(struct itj_env *env, int64_t max_waiting)
{
    struct itj_stream st;
    jsConsumerConfig cc;

    itj_start(env);
    itj_stream_init(&st, "S", "s.>", NULL);
    itj_stream_add(env, &st);
    itc_config_init(&cc, "D", 0);
    cc.MaxWaiting = max_waiting;
    itc_consumer_add(env, "S", &cc, false);
}

/* Reads the next message on <in> within <timeout_ms> and checks that it is the status <code>
 * with description <desc>; returns it (caller destroys it) for further header checks. */
static natsMsg *expect_status(struct itc_inbox *in, const char *code, const char *desc,
                              int64_t timeout_ms, const char *what)
{
    natsMsg *m = itc_inbox_next(in, timeout_ms);
    const char *got_desc = NULL;
    const char *got;

    IT_ASSERT(m, "%s: nothing within %lld ms, want status %s %s", what, (long long)timeout_ms, code,
              desc);
    got = itc_status(m, &got_desc);
    IT_CHECK(strcmp(got, code) == 0 && strcmp(got_desc, desc) == 0,
             "%s: status '%s' '%s' (want '%s' '%s')", what, got, got_desc, code, desc);
    return m;
}

/* Reads the next message on <in> and checks that it is data with stream sequence <seq>. */
static void expect_data(struct itc_inbox *in, uint64_t seq, const char *what)
{
    natsMsg *m = itc_inbox_next(in, 5000);
    const char *desc = NULL;

    IT_ASSERT(m, "%s: no message", what);
    IT_ASSERT(itc_status(m, &desc)[0] == '\0', "%s: status %s %s instead of seq %llu", what,
              itc_status(m, NULL), desc, (unsigned long long)seq);
    IT_CHECK(itc_msg_seq(m, NULL) == seq, "%s: seq %llu", what, (unsigned long long)seq);
    natsMsg_Destroy(m);
}

/* Checks that nothing arrives on <in> within <timeout_ms>. */
static void expect_nothing(struct itc_inbox *in, int64_t timeout_ms, const char *what)
{
    natsMsg *m = itc_inbox_next(in, timeout_ms);
    const char *desc = NULL;

    if (m) {
        const char *code = itc_status(m, &desc);

        it_fail(__FILE__, __LINE__, "%s: got '%s' '%s' (%d bytes)", what, code, desc,
                natsMsg_GetDataLength(m));
    }
    it_ok("%s: nothing within %lld ms", what, (long long)timeout_ms);
}

void jsc_case_pull_no_wait(void)
{
    struct itj_env env;
    struct itc_inbox in;
    natsMsg *m;
    int64_t t0, dt;

    setup(&env, 0);
    itc_inbox_open(&env, &in);
    itc_pull_raw(&env, &in, "S", "D", "{\"batch\":1,\"no_wait\":true}");
    natsMsg_Destroy(expect_status(&in, "404", "No Messages", 3000, "no_wait on empty"));
    expect_nothing(&in, 300, "only one status");

    /* no_wait with expires (what libnats' Fetch sends first) waits until expiry in
     * nats-server 2.9.10 and then answers 408, not 404. */
    t0 = it_now_ms();
    itc_pull_raw(&env, &in, "S", "D", "{\"batch\":1,\"no_wait\":true,\"expires\":500000000}");
    natsMsg_Destroy(expect_status(&in, "408", "Request Timeout", 3000, "no_wait with expires"));
    dt = it_now_ms() - t0;
    IT_CHECK(dt >= 400 && dt < 2000, "  ... at expiry (%lld ms)", (long long)dt);

    itc_pub_n(&env, "s.a", "m", 2);
    itc_pull_raw(&env, &in, "S", "D", "{\"batch\":5,\"no_wait\":true}");
    expect_data(&in, 1, "no_wait batch 5 with 2 available, first");
    expect_data(&in, 2, "no_wait batch 5 with 2 available, second");
    /* nats-server 2.9.10 ends a partly served no_wait request with 408, not 404. */
    m = expect_status(&in, "408", "Request Timeout", 3000, "then the end of the no_wait batch");
    IT_CHECK(strcmp(itc_header(m, "Nats-Pending-Messages"), "3") == 0 &&
                 strcmp(itc_header(m, "Nats-Pending-Bytes"), "0") == 0,
             "its headers: Nats-Pending-Messages: %s, Nats-Pending-Bytes: %s",
             itc_header(m, "Nats-Pending-Messages"), itc_header(m, "Nats-Pending-Bytes"));
    natsMsg_Destroy(m);
    expect_nothing(&in, 300, "nothing more");
    itc_expect_state(&env, "S", "D", (struct itc_state){2, 2, 0, 0, 2, 0, 0},
                     "2 delivered, none acked");
    itc_inbox_close(&in);
    itj_stop(&env);
}

void jsc_case_pull_expires(void)
{
    struct itj_env env;
    struct itc_inbox in, w;
    natsMsg *m;
    int64_t t0, dt;

    setup(&env, 0);
    itc_inbox_open(&env, &in);
    t0 = it_now_ms();
    itc_pull_raw(&env, &in, "S", "D", "{\"batch\":1,\"expires\":500000000}");
    m = expect_status(&in, "408", "Request Timeout", 3000, "pull expires 500ms on empty");
    dt = it_now_ms() - t0;
    IT_CHECK(dt >= 400 && dt < 2000, "408 came at expiry (%lld ms)", (long long)dt);
    IT_CHECK(strcmp(itc_header(m, "Nats-Pending-Messages"), "1") == 0 &&
                 strcmp(itc_header(m, "Nats-Pending-Bytes"), "0") == 0,
             "408 headers: Nats-Pending-Messages: %s, Nats-Pending-Bytes: %s",
             itc_header(m, "Nats-Pending-Messages"), itc_header(m, "Nats-Pending-Bytes"));
    natsMsg_Destroy(m);

    itc_pub_n(&env, "s.a", "m", 2);
    itc_pull_raw(&env, &in, "S", "D", "{\"batch\":5,\"expires\":800000000}");
    expect_data(&in, 1, "batch 5 expires 800ms, first");
    expect_data(&in, 2, "batch 5 expires 800ms, second");
    m = expect_status(&in, "408", "Request Timeout", 3000, "the rest of the batch expires");
    IT_CHECK(strcmp(itc_header(m, "Nats-Pending-Messages"), "3") == 0,
             "408 after a partial batch: Nats-Pending-Messages: %s",
             itc_header(m, "Nats-Pending-Messages"));
    natsMsg_Destroy(m);
    itc_expect_state(&env, "S", "D", (struct itc_state){2, 2, 0, 0, 2, 0, 0}, "2 delivered");

    /* A pull with idle_heartbeat gets "100 Idle Heartbeat" on its reply subject while it waits. */
    t0 = it_now_ms();
    itc_pull_raw(&env, &in, "S", "D",
                 "{\"batch\":1,\"expires\":1600000000,\"idle_heartbeat\":500000000}");
    m = expect_status(&in, "100", "Idle Heartbeat", 3000, "pull with idle_heartbeat 500ms");
    dt = it_now_ms() - t0;
    IT_CHECK(dt >= 300 && dt < 1400, "first pull heartbeat after %lld ms", (long long)dt);
    natsMsg_Destroy(m);
    natsMsg_Destroy(expect_status(&in, "100", "Idle Heartbeat", 3000, "second pull heartbeat"));
    natsMsg_Destroy(expect_status(&in, "100", "Idle Heartbeat", 3000, "third pull heartbeat"));
    m = expect_status(&in, "408", "Request Timeout", 3000, "then the pull expires");
    dt = it_now_ms() - t0;
    IT_CHECK(dt >= 1400 && dt < 3000 && strcmp(itc_header(m, "Nats-Pending-Messages"), "1") == 0,
             "408 at %lld ms with Nats-Pending-Messages: 1", (long long)dt);
    natsMsg_Destroy(m);

    /* no_wait while another pull waits: still 404 in nats-server 2.9.10. */
    itc_inbox_open(&env, &w);
    itc_pull_raw(&env, &w, "S", "D", "{\"batch\":1,\"expires\":1000000000}");
    nats_Sleep(100);
    itc_pull_raw(&env, &in, "S", "D", "{\"batch\":1,\"no_wait\":true}");
    natsMsg_Destroy(expect_status(&in, "404", "No Messages", 3000, "no_wait while one waits"));
    natsMsg_Destroy(expect_status(&w, "408", "Request Timeout", 3000, "the waiting one expires"));
    itc_inbox_close(&w);

    /* A waiting pull is served by a later publish. */
    itc_pull_raw(&env, &in, "S", "D", "{\"batch\":1,\"expires\":5000000000}");
    nats_Sleep(200);
    itc_pub_n(&env, "s.a", "n", 1);
    expect_data(&in, 3, "a waiting pull gets the next publish");
    itc_inbox_close(&in);
    itj_stop(&env);
}

void jsc_case_pull_max_waiting(void)
{
    struct itj_env env;
    struct itc_inbox a, b, c;
    jsConsumerInfo *ci;

    setup(&env, 2);
    itc_inbox_open(&env, &a);
    itc_inbox_open(&env, &b);
    itc_inbox_open(&env, &c);
    itc_pull_raw(&env, &a, "S", "D", "{\"batch\":1,\"expires\":10000000000}");
    itc_pull_raw(&env, &b, "S", "D", "{\"batch\":1,\"expires\":10000000000}");
    nats_Sleep(100);
    ci = itc_consumer_info(&env, "S", "D");
    IT_CHECK(ci->NumWaiting == 2 && ci->Config->MaxWaiting == 2, "num_waiting %lld of max %lld",
             (long long)ci->NumWaiting, (long long)ci->Config->MaxWaiting);
    jsConsumerInfo_Destroy(ci);
    itc_pull_raw(&env, &c, "S", "D", "{\"batch\":1,\"expires\":10000000000}");
    natsMsg_Destroy(expect_status(&c, "409", "Exceeded MaxWaiting", 3000, "third pull"));
    itc_pub_n(&env, "s.a", "m", 2);
    expect_data(&a, 1, "first waiting pull served first");
    expect_data(&b, 2, "second waiting pull served next");
    expect_nothing(&c, 300, "the refused pull gets nothing more");
    itc_inbox_close(&a);
    itc_inbox_close(&b);
    itc_inbox_close(&c);
    itj_stop(&env);
}

void jsc_case_pull_request_forms(void)
{
    struct itj_env env;
    struct itc_inbox in;
    struct itc_inbox nobody;
    jsConsumerConfig cc;

    setup(&env, 0);
    itc_pub_n(&env, "s.a", "m", 4);
    itc_inbox_open(&env, &in);
    itc_pull_raw(&env, &in, "S", "D", NULL);
    expect_data(&in, 1, "empty body pulls one message");
    expect_nothing(&in, 300, "and only one");
    itc_pull_raw(&env, &in, "S", "D", "2");
    expect_data(&in, 2, "bare number 2: first");
    expect_data(&in, 3, "bare number 2: second");
    expect_nothing(&in, 300, "and no more");

    itc_config_init(&cc, "PUSH", 0);
    cc.DeliverSubject = "dlv.push";
    itc_consumer_add(&env, "S", &cc, false);
    itc_pull_raw(&env, &in, "S", "PUSH", "{\"batch\":1,\"no_wait\":true}");
    natsMsg_Destroy(expect_status(&in, "409", "Consumer is push based", 3000, "pull on push"));

    /* The server's own $JS.API.> interest swallows it: no reply, not even "503". */
    itc_inbox_open(&env, &nobody);
    itc_pull_raw(&env, &nobody, "S", "NOPE", "{\"batch\":1,\"no_wait\":true}");
    expect_nothing(&nobody, 1000, "pull on a missing consumer is not answered");
    itc_inbox_close(&nobody);
    itc_inbox_close(&in);
    itj_stop(&env);
}

/* Sends <body> as a pull request and returns a description of the first reply within 500 ms:
 * "<code> <description>", "data" or "none". Written into <out> (capacity <cap>). */
static const char *pull_outcome(struct itj_env *env, const char *name, const char *body, char *out,
                                size_t cap)
{
    struct itc_inbox in;
    jsConsumerConfig cc;
    natsMsg *m;

    itc_config_init(&cc, name, 0);
    itc_consumer_add(env, "S", &cc, false);
    itc_inbox_open(env, &in);
    itc_pull_raw(env, &in, "S", name, body);
    m = itc_inbox_next(&in, 500);
    if (!m) {
        snprintf(out, cap, "none");
    } else {
        const char *desc = NULL;
        const char *code = itc_status(m, &desc);

        snprintf(out, cap, "%s %s", code[0] ? code : "data", desc);
        natsMsg_Destroy(m);
    }
    itc_inbox_close(&in);
    return out;
}

/* One odd pull request and how nats-server 2.9.10 answers it while a message is available. */
struct pull_row {
    const char *body; /* the request payload */
    const char *want; /* prefix of pull_outcome(): "data", "<code> <description>" */
};

void jsc_case_bad_pull_requests(void)
{
    /* Unparsable JSON and wrongly typed fields get "400 Bad Request - <Go error text>"; the
     * cases pin only the prefix. Anything that is not a JSON object counts as batch 1, and so
     * does a batch <= 0. */
    static const struct pull_row rows[] = {
        {"{", "400 Bad Request - "},
        {"{\"batch\":\"x\"}", "400 Bad Request - "},
        {"{\"batch\":1,\"expires\":\"1s\"}", "400 Bad Request - "},
        {"{\"batch\":1,\"expires\":1000000000,\"idle_heartbeat\":900000000}",
         "400 Bad Request - heartbeat value too large"},
        {"{\"batch\":1,\"max_bytes\":1}", "409 Message Size Exceeds MaxBytes"},
        {"abc", "data"},
        {"[1,2]", "data"},
        {"-3", "data"},
        {"", "data"},
        {" ", "data"},
        {"{}", "data"},
        {"{\"batch\":-1}", "data"},
        {"{\"batch\":0,\"no_wait\":true}", "data"},
        {"{\"batch\":1,\"no_wait\":true,\"bogus\":1}", "data"},
        {"{\"batch\":1000000}", "data"},
    };
    struct itj_env env;
    json_t *r;
    char out[200], name[16];

    setup(&env, 0);
    itc_pub_n(&env, "s.a", "m", 1);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        snprintf(name, sizeof(name), "B%zu", i);
        pull_outcome(&env, name, rows[i].body, out, sizeof(out));
        IT_CHECK(strncmp(out, rows[i].want, strlen(rows[i].want)) == 0,
                 "pull body '%s' -> '%s' (want '%s...')", rows[i].body, out, rows[i].want);
    }
    r = itj_api(&env, "$JS.API.INFO", NULL);
    IT_CHECK(itj_err_code(r) == 0 && itj_json_int(r, "consumers") == 16,
             "the server still answers: account info with %lld consumers",
             (long long)itj_json_int(r, "consumers"));
    json_decref(r);
    IT_CHECK(pull_outcome(&env, "AFTER", "{\"batch\":1,\"no_wait\":true}", out, sizeof(out)) &&
                 strcmp(out, "data ") == 0,
             "a new consumer still pulls the message (%s)", out);
    itj_stop(&env);
}

/* Publishes each body of <bodies> (<nb> of them) to each subject of <subjects> (<ns>). */
static void send_acks(struct itj_env *env, const char *const *subjects, size_t ns,
                      const char *const *bodies, size_t nb)
{
    for (size_t i = 0; i < ns; i++)
        for (size_t k = 0; k < nb; k++)
            IT_NATS(natsConnection_PublishString(env->nc, subjects[i], bodies[k]));
    IT_NATS(natsConnection_Flush(env->nc));
    it_ok("sent %zu malformed acks", ns * nb);
}

void jsc_case_malformed_acks(void)
{
    /* Ack subjects that name no pending message (wrong token count, non-numbers, unknown
     * stream/consumer/sequence) and bodies the server does not know: all ignored. */
    static const char *const ignored[] = {
        "$JS.ACK.S.D",
        "$JS.ACK.S.D.1.1.1",
        "$JS.ACK.S.D.x.y.z.w.v",
        "$JS.ACK.S.D.1.999.999.1.0",
        "$JS.ACK.S.D.-1.-1.-1.-1.-1",
        "$JS.ACK.S.NOPE.1.1.1.1.0",
        "$JS.ACK.NOSTREAM.D.1.1.1.1.0",
        "$JS.ACK.S.D.1.1.1.1.0.extra.tokens.here",
        "$JS.ACK.S.D.1.1.1.1.0.a.b.c.d.e.f.g",
    };
    /* Numbers past uint64: nats-server 2.9.10 turns "1.<huge>.1" into a garbage ack floor
     * stream seq (a bug), so after these the case only checks that the server answers. */
    static const char *const overflow[] = {
        "$JS.ACK.S.D.1.99999999999999999999999.1.1.0",
        "$JS.ACK.S.D.99999999999999999999999.2.2.1.0",
        "$JS.ACK.S.D.1.2.99999999999999999999999.1.0",
    };
    static const char *const bodies[] = {"+ACK", "-NAK", "+TERM", "+WPI", "+NXT 5", "-NAK {"};
    struct itj_env env;
    natsSubscription *sub;
    natsMsgList list;
    natsMsg *r = NULL;
    jsConsumerInfo *ci;
    json_t *j;

    setup(&env, 0);
    itc_pub_n(&env, "s.a", "m", 3);
    sub = itc_pull_bind(&env, "S", "D");
    IT_CHECK(itc_fetch(sub, &list, 2, 5000) == 2, "seqs 1-2 delivered and left pending");
    send_acks(&env, ignored, sizeof(ignored) / sizeof(ignored[0]), bodies,
              sizeof(bodies) / sizeof(bodies[0]));
    /* Unknown bodies on the real ack subject are ignored too. */
    IT_NATS(natsConnection_PublishString(env.nc, natsMsg_GetReply(list.Msgs[0]), "+WHAT"));
    IT_NATS(natsConnection_PublishString(env.nc, natsMsg_GetReply(list.Msgs[0]), "ACK"));
    IT_NATS(natsConnection_Flush(env.nc));
    nats_Sleep(300);
    j = itj_api(&env, "$JS.API.INFO", NULL);
    IT_CHECK(itj_err_code(j) == 0, "the server still answers $JS.API.INFO");
    json_decref(j);
    itc_expect_state(&env, "S", "D", (struct itc_state){2, 2, 0, 0, 2, 1, 0},
                     "consumer state untouched");
    IT_CHECK(natsConnection_RequestString(&r, env.nc, "$JS.ACK.S.D.1.999.999.1.0", "+ACK", 2000) ==
                 NATS_OK,
             "an ack request for an unknown sequence still gets the empty reply");
    natsMsg_Destroy(r);
    IT_NATS(natsMsg_AckSync(list.Msgs[0], NULL, NULL));
    itc_expect_state(&env, "S", "D", (struct itc_state){2, 2, 1, 1, 1, 1, 0},
                     "a real ack still works");

    send_acks(&env, overflow, sizeof(overflow) / sizeof(overflow[0]), bodies,
              sizeof(bodies) / sizeof(bodies[0]));
    j = itj_api(&env, "$JS.API.INFO", NULL);
    IT_CHECK(itj_err_code(j) == 0, "the server still answers after overflowing numbers");
    json_decref(j);
    ci = itc_consumer_info(&env, "S", "D");
    IT_CHECK(ci->Delivered.Consumer == 2, "consumer info still served (delivered %llu)",
             (unsigned long long)ci->Delivered.Consumer);
    jsConsumerInfo_Destroy(ci);
    natsMsgList_Destroy(&list);
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}
