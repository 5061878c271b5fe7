/* it_jsc cases about consumer administration: creating a durable twice (same and changed
 * config) through libnats and the raw create subjects, names/list/info/delete, ephemeral
 * cleanup after inactive_threshold, and consumer state across a server restart.
 */
#include "it_jsc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stream "S" on "s.>" on a fresh server. */
static void setup(struct itj_env *env)
{
    struct itj_stream st;

    itj_start(env);
    itj_stream_init(&st, "S", "s.>", NULL);
    itj_stream_add(env, &st);
}

/* Sends a raw consumer create request and returns the reply's err_code (0 on success). */
static int raw_create(struct itj_env *env, const char *subject, const char *body, const char *what)
{
    json_t *r = itj_api(env, subject, body);
    int code = itj_err_code(r);

    it_ok("%s: err_code %d %s", what, code, itj_err_desc(r));
    json_decref(r);
    return code;
}

/* Changes made to durable "D" (pull, explicit, ack_wait 10s, filter s.a) by creating it again.
 * nats-server 2.9.10 applies the editable ones as an update and refuses the others with 10012
 * ("consumer create" generic, the description says which field cannot be updated). */
enum { CHANGE_COUNT = 10 };

/* Fills <cc> with the original config of "D", then applies change <i> (none when -1).
 * Returns the err_code expected from nats-server 2.9.10. */
static int change_config(jsConsumerConfig *cc, int i, const char **label)
{
    static const char *const labels[CHANGE_COUNT] = {
        "ack_wait 20s",      "description",
        "max_deliver 5",     "filter_subject s.b",
        "max_ack_pending 5", "deliver_policy new",
        "ack_policy all",    "deliver_subject (push)",
        "max_waiting 5",     "replay_policy original",
    };

    itc_config_init(cc, "D", 10000);
    cc->FilterSubject = "s.a";
    *label = i < 0 ? "original config again" : labels[i];
    switch (i) {
    case 0:
        cc->AckWait = 20000 * ITC_NS_PER_MS;
        return 0;
    case 1:
        cc->Description = "hello";
        return 0;
    case 2:
        cc->MaxDeliver = 5;
        return 0;
    case 3:
        cc->FilterSubject = "s.b";
        return 0;
    case 4:
        cc->MaxAckPending = 5;
        return 0;
    case 5:
        cc->DeliverPolicy = js_DeliverNew;
        return 10012;
    case 6:
        cc->AckPolicy = js_AckAll;
        return 10012;
    case 7:
        cc->DeliverSubject = "dlv.x";
        return 10012;
    case 8:
        cc->MaxWaiting = 5;
        return 10012;
    case 9:
        cc->ReplayPolicy = js_ReplayOriginal;
        return 10012;
    default:
        return 0;
    }
}

/* Creates "D" again with change <i> and checks the outcome; an accepted change must show in
 * the consumer info. */
static void check_change(struct itj_env *env, int i)
{
    jsConsumerConfig cc;
    jsConsumerInfo *ci;
    const char *label;
    int want = change_config(&cc, i, &label);
    int code = itc_consumer_add_code(env, "S", &cc);

    IT_CHECK(code == want, "create D again with %s: err_code %d (want %d) %s", label, code, want,
             code ? it_nats_last_error() : "");
    if (code)
        return;
    ci = itc_consumer_info(env, "S", "D");
    IT_CHECK(ci->Config->AckWait == cc.AckWait &&
                 ci->Config->MaxDeliver == (cc.MaxDeliver ? cc.MaxDeliver : -1) &&
                 strcmp(ci->Config->FilterSubject, cc.FilterSubject) == 0,
             "  ... and the info shows it (ack_wait %lld, max_deliver %lld, filter %s)",
             (long long)ci->Config->AckWait, (long long)ci->Config->MaxDeliver,
             ci->Config->FilterSubject);
    jsConsumerInfo_Destroy(ci);
}

void jsc_case_durable_create_twice(void)
{
    struct itj_env env;
    jsConsumerConfig cc;
    jsConsumerInfo *a, *b;
    int code;

    setup(&env);
    itc_config_init(&cc, "D", 10000);
    cc.FilterSubject = "s.a";
    a = itc_consumer_add(&env, "S", &cc, true);
    b = itc_consumer_add(&env, "S", &cc, true);
    IT_CHECK(strcmp(a->Name, "D") == 0 && a->Created == b->Created &&
                 b->Config->AckWait == 10000 * ITC_NS_PER_MS,
             "same config twice: accepted, same consumer (created %lld)", (long long)a->Created);
    jsConsumerInfo_Destroy(a);
    jsConsumerInfo_Destroy(b);

    for (int i = 0; i < CHANGE_COUNT; i++)
        check_change(&env, i);
    check_change(&env, -1); /* back to the original config, itself an update */
    code = raw_create(&env, "$JS.API.CONSUMER.DURABLE.CREATE.S.D",
                      "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"D\","
                      "\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\","
                      "\"ack_wait\":10000000000,\"filter_subject\":\"s.a\"}}",
                      "legacy DURABLE.CREATE with the same config");
    IT_CHECK(code == 0, "legacy create of the same durable accepted");
    code = raw_create(&env, "$JS.API.CONSUMER.CREATE.S.E.s.a",
                      "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"E\","
                      "\"ack_policy\":\"explicit\",\"filter_subject\":\"s.b\"}}",
                      "filter in the subject differs from the config");
    IT_CHECK(code == 10131, "filter mismatch refused with 10131");
    code = raw_create(&env, "$JS.API.CONSUMER.CREATE.S.E",
                      "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"F\","
                      "\"ack_policy\":\"explicit\"}}",
                      "durable name differs from the subject");
    IT_CHECK(code == 10017, "name mismatch refused with 10017");
    code = raw_create(&env, "$JS.API.CONSUMER.CREATE.S.D",
                      "{\"stream_name\":\"T\",\"config\":{\"durable_name\":\"D\","
                      "\"ack_policy\":\"explicit\"}}",
                      "stream_name differs from the subject");
    IT_CHECK(code == 10056, "stream name mismatch refused with 10056");
    code = raw_create(&env, "$JS.API.CONSUMER.CREATE.NOPE.X",
                      "{\"stream_name\":\"NOPE\",\"config\":{\"durable_name\":\"X\","
                      "\"ack_policy\":\"explicit\"}}",
                      "consumer on a missing stream");
    IT_CHECK(code == 10059, "missing stream refused with 10059");
    code = raw_create(&env, "$JS.API.CONSUMER.CREATE.S.G", "{", "bad JSON");
    IT_CHECK(code == 10025, "bad JSON refused with 10025");
    itj_stop(&env);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns the names of js_ConsumerNames(S), sorted here (nats-server 2.9.10 does not sort them)
 * and joined with ',' into <out> (capacity <cap>). */
static const char *names_joined(struct itj_env *env, char *out, size_t cap)
{
    jsConsumerNamesList *nl = NULL;
    size_t len = 0;

    IT_NATS(js_ConsumerNames(&nl, env->js, "S", NULL, NULL));
    out[0] = '\0';
    if (nl)
        qsort(nl->List, (size_t)nl->Count, sizeof(nl->List[0]), cmp_str);
    for (int i = 0; nl && i < nl->Count; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "," : "", nl->List[i]);
    jsConsumerNamesList_Destroy(nl);
    return out;
}

/* Returns the element of JSON array <arr> whose "name" is <name>, or NULL. Borrowed. */
static json_t *find_named(json_t *arr, const char *name)
{
    size_t i;
    json_t *v;

    json_array_foreach(arr, i, v)
    {
        if (strcmp(itj_json_str(v, "name"), name) == 0)
            return v;
    }
    return NULL;
}

void jsc_case_consumer_list_delete(void)
{
    struct itj_env env;
    jsConsumerConfig cc;
    jsConsumerInfoList *cl = NULL;
    jsConsumerInfo *ci = NULL;
    jsStreamInfo *si;
    jsErrCode ec = 0;
    natsStatus s;
    json_t *r, *arr;
    char names[128];

    setup(&env);
    itc_config_init(&cc, "C", 0);
    cc.DeliverSubject = "dlv.c";
    itc_consumer_add(&env, "S", &cc, false);
    itc_config_init(&cc, "A", 0);
    itc_consumer_add(&env, "S", &cc, false);
    itc_config_init(&cc, "B", 0);
    itc_consumer_add(&env, "S", &cc, false);
    IT_CHECK(strcmp(names_joined(&env, names, sizeof(names)), "A,B,C") == 0, "consumer names: %s",
             names);
    IT_NATS(js_Consumers(&cl, env.js, "S", NULL, NULL));
    IT_CHECK(cl->Count == 3, "consumer list: %d infos", cl->Count);
    for (int i = 0; i < cl->Count; i++)
        IT_ASSERT(strcmp(cl->List[i]->Name, "C") != 0 ||
                      strcmp(cl->List[i]->Config->DeliverSubject, "dlv.c") == 0,
                  "C lost its deliver subject");
    jsConsumerInfoList_Destroy(cl);

    r = itj_api(&env, "$JS.API.CONSUMER.NAMES.S", "{\"offset\":2}");
    arr = json_object_get(r, "consumers");
    IT_CHECK(itj_json_int(r, "total") == 3 && itj_json_int(r, "offset") == 2 &&
                 itj_json_int(r, "limit") == 1024 && json_array_size(arr) == 1 &&
                 strcmp(itj_json_str(r, "type"),
                        "io.nats.jetstream.api.v1.consumer_names_response") == 0,
             "raw NAMES offset 2: total 3, limit 1024, one name");
    json_decref(r);
    r = itj_api(&env, "$JS.API.CONSUMER.LIST.S", NULL);
    arr = json_object_get(r, "consumers");
    IT_CHECK(itj_json_int(r, "total") == 3 && itj_json_int(r, "limit") == 256 &&
                 json_array_size(arr) == 3 && find_named(arr, "A") && find_named(arr, "B") &&
                 strcmp(itj_json_str(find_named(arr, "B"), "stream_name"), "S") == 0,
             "raw LIST: total 3, limit 256, infos of A, B and C");
    json_decref(r);
    si = itj_stream_info(&env, "S");
    IT_CHECK(si->State.Consumers == 3, "stream info consumer_count 3");
    jsStreamInfo_Destroy(si);

    IT_NATS(js_DeleteConsumer(env.js, "S", "B", NULL, NULL));
    IT_CHECK(strcmp(names_joined(&env, names, sizeof(names)), "A,C") == 0, "after deleting B: %s",
             names);
    s = js_DeleteConsumer(env.js, "S", "B", NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10014, "deleting B again: err_code %d", (int)ec);
    ec = 0;
    s = js_GetConsumerInfo(&ci, env.js, "S", "B", NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10014, "info of deleted B: err_code %d", (int)ec);
    itj_api_expect_err(&env, "$JS.API.CONSUMER.NAMES.NOPE", NULL, 10059, "names of missing stream");
    itj_api_expect_err(&env, "$JS.API.CONSUMER.INFO.NOPE.A", NULL, 10059, "info on missing stream");
    r = itj_api(&env, "$JS.API.CONSUMER.DELETE.S.A", NULL);
    IT_CHECK(json_is_true(json_object_get(r, "success")) &&
                 strcmp(itj_json_str(r, "type"),
                        "io.nats.jetstream.api.v1.consumer_delete_response") == 0,
             "raw DELETE: success");
    json_decref(r);
    IT_NATS(js_DeleteStream(env.js, "S", NULL, NULL));
    itj_api_expect_err(&env, "$JS.API.CONSUMER.INFO.S.C", NULL, 10059,
                       "consumer gone with its stream");
    itj_stop(&env);
}

/* Polls CONSUMER.NAMES.S until <name> is gone (returns the ms it took) or <timeout_ms>
 * passes (returns -1). */
static int64_t wait_gone(struct itj_env *env, const char *name, int64_t timeout_ms)
{
    int64_t t0 = it_now_ms();

    while (it_now_ms() - t0 < timeout_ms) {
        if (!itc_names_has(env, "S", name))
            return it_now_ms() - t0;
        nats_Sleep(50);
    }
    return -1;
}

void jsc_case_ephemeral_inactive(void)
{
    struct itj_env env;
    struct itc_inbox in;
    jsConsumerConfig cc;
    jsConsumerInfo *ci;
    char name[64];
    int64_t gone;

    setup(&env);
    itc_config_init(&cc, NULL, 0);
    cc.InactiveThreshold = 1000 * ITC_NS_PER_MS;
    ci = itc_consumer_add(&env, "S", &cc, true);
    snprintf(name, sizeof(name), "%s", ci->Name);
    IT_CHECK(name[0] && ci->Config->Durable == NULL &&
                 ci->Config->InactiveThreshold == 1000 * ITC_NS_PER_MS,
             "ephemeral pull consumer %s with inactive_threshold 1s", name);
    jsConsumerInfo_Destroy(ci);
    IT_CHECK(itc_names_has(&env, "S", name), "listed in CONSUMER.NAMES");
    gone = wait_gone(&env, name, 6000);
    IT_CHECK(gone >= 500, "removed after %lld ms without activity", (long long)gone);

    /* A push ephemeral stays while its deliver subject has interest. */
    itc_inbox_open(&env, &in);
    itc_config_init(&cc, NULL, 0);
    cc.InactiveThreshold = 1000 * ITC_NS_PER_MS;
    cc.DeliverSubject = in.subject;
    ci = itc_consumer_add(&env, "S", &cc, true);
    snprintf(name, sizeof(name), "%s", ci->Name);
    jsConsumerInfo_Destroy(ci);
    nats_Sleep(2500);
    IT_CHECK(itc_names_has(&env, "S", name), "push ephemeral %s still there after 2.5 s", name);
    itc_inbox_close(&in);
    IT_NATS(natsConnection_Flush(env.nc));
    gone = wait_gone(&env, name, 6000);
    IT_CHECK(gone >= 500, "removed %lld ms after its subscriber left", (long long)gone);
    itj_stop(&env);
}

void jsc_case_restart_state(void)
{
    struct itj_env env;
    jsConsumerConfig cc;
    natsSubscription *sub;
    natsMsgList list;
    uint64_t dc = 0;
    int n;

    setup(&env);
    itc_config_init(&cc, "D", 2000);
    itc_consumer_add(&env, "S", &cc, false);
    itc_pub_n(&env, "s.a", "m", 5);
    sub = itc_pull_bind(&env, "S", "D");
    n = itc_fetch(sub, &list, 5, 5000);
    IT_CHECK(n == 5, "fetched 5");
    IT_NATS(natsMsg_AckSync(list.Msgs[0], NULL, NULL));
    IT_NATS(natsMsg_AckSync(list.Msgs[1], NULL, NULL));
    IT_NATS(natsMsg_AckSync(list.Msgs[3], NULL, NULL));
    natsMsgList_Destroy(&list);
    natsSubscription_Destroy(sub);
    itc_expect_state(&env, "S", "D", (struct itc_state){5, 5, 2, 2, 2, 0, 0},
                     "before restart: 1, 2, 4 acked");

    itj_disconnect(&env);
    it_server_stop(&env.srv);
    it_server_restart(&env.srv);
    itj_reconnect(&env);
    itc_expect_state(&env, "S", "D", (struct itc_state){5, 5, 2, 2, 2, 0, 0},
                     "after restart: same state");

    sub = itc_pull_bind(&env, "S", "D");
    n = itc_fetch(sub, &list, 2, 8000);
    IT_CHECK(n == 2 && itc_msg_seq(list.Msgs[0], &dc) == 3 && dc == 2 &&
                 itc_msg_seq(list.Msgs[1], &dc) == 5 && dc == 2,
             "unacked 3 and 5 redelivered with delivery count 2 (%d messages)", n);
    for (int i = 0; i < n; i++)
        IT_NATS(natsMsg_AckSync(list.Msgs[i], NULL, NULL));
    natsMsgList_Destroy(&list);
    n = itc_fetch(sub, &list, 5, 3000);
    IT_CHECK(n == 0, "acked 1, 2, 4 are not redelivered (%d messages)", n);
    natsMsgList_Destroy(&list);
    itc_pub_n(&env, "s.b", "n", 1);
    n = itc_fetch(sub, &list, 1, 5000);
    IT_CHECK(n == 1 && itc_msg_seq(list.Msgs[0], &dc) == 6 && dc == 1,
             "a new message resumes the sequence: seq 6, dc 1");
    IT_NATS(natsMsg_AckSync(list.Msgs[0], NULL, NULL));
    natsMsgList_Destroy(&list);
    itc_expect_state(&env, "S", "D", (struct itc_state){8, 6, 8, 6, 0, 0, 0}, "all acked");
    natsSubscription_Destroy(sub);
    itj_stop(&env);
}
