/* it_js cases about stream administration: create/info/update/delete, idempotent create,
 * subject overlap, config validation, replicas, malformed requests, account info and the
 * paged names/list API.
 *
 * Error codes are those nats-server 2.9.10 sends (checked with it); the descriptions are
 * printed so that a mismatch is easy to read, but only err_code is compared.
 */
#include "it_js.h"

#include <stdio.h>
#include <string.h>

#define DUP_WINDOW_NS 120000000000LL /* server default duplicate_window: 2 minutes */

/* Checks the defaults nats-server fills into a config that set only name and subjects. */
static void check_defaults(const jsStreamConfig *c)
{
    IT_CHECK(c->Retention == js_LimitsPolicy && c->Storage == js_FileStorage &&
                 c->Discard == js_DiscardOld && c->Replicas == 1,
             "defaults: retention limits, storage file, discard old, num_replicas 1");
    IT_CHECK(c->MaxConsumers == -1 && c->MaxBytes == -1 && c->MaxMsgsPerSubject == -1 &&
                 c->MaxMsgSize == -1 && c->MaxAge == 0,
             "defaults: max_consumers/max_bytes/max_msgs_per_subject/max_msg_size -1, max_age 0 "
             "(got %lld %lld %lld %d %lld)",
             (long long)c->MaxConsumers, (long long)c->MaxBytes, (long long)c->MaxMsgsPerSubject,
             (int)c->MaxMsgSize, (long long)c->MaxAge);
    IT_CHECK(c->Duplicates == DUP_WINDOW_NS, "default duplicate_window is 2m (%lld ns)",
             (long long)c->Duplicates);
}

void it_case_stream_crud(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsStreamInfo *si = NULL;
    jsErrCode ec = 0;
    natsStatus s;
    json_t *r;

    itj_start(&env);
    itj_stream_init(&st, "ORDERS", "orders.*", NULL);
    st.cfg.Description = "order events";
    st.cfg.MaxMsgs = 100;
    IT_NATS(js_AddStream(&si, env.js, &st.cfg, NULL, &ec));
    IT_CHECK(strcmp(si->Config->Name, "ORDERS") == 0 && si->Config->SubjectsLen == 1 &&
                 strcmp(si->Config->Subjects[0], "orders.*") == 0,
             "create returns the config (name, subjects)");
    IT_CHECK(si->Config->MaxMsgs == 100 && si->Config->Description &&
                 strcmp(si->Config->Description, "order events") == 0,
             "create keeps max_msgs and description");
    check_defaults(si->Config);
    IT_CHECK(si->Created > 0 && si->State.Msgs == 0 && si->State.LastSeq == 0,
             "new stream: created set, empty state");
    jsStreamInfo_Destroy(si);

    r = itj_api(&env, "$JS.API.STREAM.INFO.ORDERS", NULL);
    IT_CHECK(strcmp(itj_json_str(r, "type"), "io.nats.jetstream.api.v1.stream_info_response") == 0,
             "raw STREAM.INFO reply type is io.nats.jetstream.api.v1.stream_info_response");
    json_decref(r);

    itj_pub(&env, "orders.new", "o1", NULL, NULL);
    itj_pub(&env, "orders.new", "o2", NULL, NULL);
    itj_expect_state(&env, "ORDERS", 2, 1, 2, "after two publishes");

    itj_stream_init(&st, "ORDERS", "orders.*", "returns.*");
    st.cfg.MaxMsgs = 50;
    st.cfg.Description = "orders and returns";
    IT_NATS(js_UpdateStream(&si, env.js, &st.cfg, NULL, &ec));
    IT_CHECK(si->Config->SubjectsLen == 2 && si->Config->MaxMsgs == 50 &&
                 strcmp(si->Config->Description, "orders and returns") == 0,
             "update: subjects, max_msgs and description changed");
    IT_CHECK(si->State.Msgs == 2, "update keeps the messages (%llu)",
             (unsigned long long)si->State.Msgs);
    jsStreamInfo_Destroy(si);
    si = NULL;
    IT_CHECK(itj_pub(&env, "returns.x", "r1", NULL, NULL) == 3, "new subject is captured");

    st.cfg.Storage = js_MemoryStorage;
    s = js_UpdateStream(&si, env.js, &st.cfg, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10052, "update cannot change storage type: err_code %d (%s)",
             (int)ec, it_nats_last_error());
    itj_stream_init(&st, "NOPE", "nope", NULL);
    s = js_UpdateStream(&si, env.js, &st.cfg, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10059, "update of a missing stream: err_code %d", (int)ec);

    IT_NATS(js_DeleteStream(env.js, "ORDERS", NULL, &ec));
    s = js_GetStreamInfo(&si, env.js, "ORDERS", NULL, &ec);
    IT_CHECK(s == NATS_NOT_FOUND && ec == 10059, "info after delete: not found, err_code %d",
             (int)ec);
    s = js_DeleteStream(env.js, "ORDERS", NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10059, "second delete: err_code %d", (int)ec);
    itj_api_expect_err(&env, "$JS.API.STREAM.INFO.NOPE", NULL, 10059, "raw info of unknown stream");
    itj_stop(&env);
}

void it_case_stream_create_twice(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsStreamInfo *si = NULL;
    jsErrCode ec = 0;
    natsStatus s;

    itj_start(&env);
    itj_stream_init(&st, "TWICE", "twice.>", NULL);
    st.cfg.MaxMsgs = 10;
    itj_stream_add(&env, &st);
    itj_pub(&env, "twice.a", "kept", NULL, NULL);
    s = js_AddStream(&si, env.js, &st.cfg, NULL, &ec);
    IT_CHECK(s == NATS_OK && si && si->State.Msgs == 1,
             "same config again: success, existing stream returned with its message (%s)",
             natsStatus_GetText(s));
    jsStreamInfo_Destroy(si);
    si = NULL;
    st.cfg.MaxMsgs = 11;
    s = js_AddStream(&si, env.js, &st.cfg, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10058, "different config: err_code %d (%s)", (int)ec,
             it_nats_last_error());
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.TWICE",
                       "{\"name\":\"TWICE\",\"subjects\":[\"other\"]}", 10058,
                       "raw create with other subjects");
    itj_expect_state(&env, "TWICE", 1, 1, 1, "stream unchanged by the refused creates");
    itj_stop(&env);
}

void it_case_stream_subject_overlap(void)
{
    struct itj_env env;
    struct itj_stream a, b;
    jsStreamInfo *si = NULL;
    jsErrCode ec = 0;
    natsStatus s;

    itj_start(&env);
    itj_stream_init(&a, "A", "foo.*", NULL);
    itj_stream_add(&env, &a);
    itj_stream_init(&b, "B", "foo.bar", NULL);
    s = js_AddStream(&si, env.js, &b.cfg, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10065, "foo.bar overlaps foo.*: err_code %d (%s)", (int)ec,
             it_nats_last_error());
    itj_stream_init(&b, "B", "foo.>", NULL);
    s = js_AddStream(&si, env.js, &b.cfg, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10065, "foo.> overlaps foo.*: err_code %d", (int)ec);
    itj_stream_init(&b, "B", "bar.>", NULL);
    itj_stream_add(&env, &b);
    IT_CHECK(true, "bar.> does not overlap");
    itj_stream_init(&b, "B", "bar.>", "foo.x");
    s = js_UpdateStream(&si, env.js, &b.cfg, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10065, "update adding foo.x overlaps: err_code %d (%s)", (int)ec,
             it_nats_last_error());
    itj_stream_init(&b, "C", "x.*.z", "x.y.*");
    s = js_AddStream(&si, env.js, &b.cfg, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10052,
             "a stream whose own subjects overlap is refused: err_code %d (%s)", (int)ec,
             it_nats_last_error());
    itj_stop(&env);
}

void it_case_stream_invalid_config(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsStreamInfo *si = NULL;
    jsErrCode ec = 0;
    natsStatus s;

    itj_start(&env);
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.a*b", "{\"name\":\"a*b\"}", 10052,
                       "name with '*'");
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.a>b", "{\"name\":\"a>b\"}", 10052,
                       "name with '>'");
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.a/b", "{\"name\":\"a/b\"}", 10128,
                       "name with a path separator");
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.X", "{\"name\":\"Y\"}", 10056,
                       "name in subject differs from the body");
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.X",
                       "{\"name\":\"X\",\"subjects\":[\"$JS.API.>\"]}", 10052,
                       "subjects overlapping $JS.API");
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"subjects\":[\"a..b\"]}",
                       10052, "invalid subject");
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"max_age\":1000}", 10052,
                       "max_age under 100ms");
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.X",
                       "{\"name\":\"X\",\"deny_purge\":true,\"allow_rollup_hdrs\":true}", 10052,
                       "rollup with deny_purge");
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"sealed\":true}", 10052,
                       "create sealed");
    itj_stream_init(&st, "a.b", NULL, NULL);
    s = js_AddStream(&si, env.js, &st.cfg, NULL, &ec);
    IT_CHECK(s == NATS_INVALID_ARG, "libnats refuses a name with '.' itself (%s)",
             natsStatus_GetText(s));
    itj_stream_init(&st, "DEFAULTSUBJ", NULL, NULL);
    IT_NATS(js_AddStream(&si, env.js, &st.cfg, NULL, &ec));
    IT_CHECK(si->Config->SubjectsLen == 1 && strcmp(si->Config->Subjects[0], "DEFAULTSUBJ") == 0,
             "no subjects: the stream name is the subject");
    jsStreamInfo_Destroy(si);
    IT_CHECK(itj_pub(&env, "DEFAULTSUBJ", "x", NULL, NULL) == 1, "publish to the name subject");
    itj_stop(&env);
}

void it_case_stream_replicas(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsStreamInfo *si = NULL;
    jsErrCode ec = 0;
    natsStatus s;

    itj_start(&env);
    itj_stream_init(&st, "R3", "r3", NULL);
    st.cfg.Replicas = 3;
    s = js_AddStream(&si, env.js, &st.cfg, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10074, "num_replicas 3 standalone: err_code %d (%s)", (int)ec,
             it_nats_last_error());
    st.cfg.Replicas = 1;
    itj_stream_add(&env, &st);
    /* nats-server 2.9.10 accepts an update to num_replicas 3 on a standalone server (and
     * reports 3 in the config); refusing it with 10074 is as good. */
    st.cfg.Replicas = 3;
    ec = 0;
    s = js_UpdateStream(&si, env.js, &st.cfg, NULL, &ec);
    IT_CHECK(s == NATS_OK || ec == 10074, "update to num_replicas 3: %s, err_code %d",
             s == NATS_OK ? "accepted (as nats-server 2.9.10 does)" : "refused", (int)ec);
    jsStreamInfo_Destroy(si);
    IT_CHECK(itj_pub(&env, "r3", "x", NULL, NULL) == 1, "the stream still takes messages");
    itj_stop(&env);
}

void it_case_stream_bad_json(void)
{
    struct itj_env env;
    struct itj_stream st;
    json_t *r;

    itj_start(&env);
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.x", "{bad json", 10025, "malformed JSON");
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.x", "", 10025, "empty body");
    itj_api_expect_err(&env, "$JS.API.STREAM.CREATE.x", "[1,2]", 10025, "JSON array");
    itj_api_expect_err(&env, "$JS.API.STREAM.UPDATE.x", "{\"name\":", 10025, "truncated update");
    itj_api_expect_err(&env, "$JS.API.STREAM.PURGE.x", "{nope", 10025,
                       "purge of an unknown stream with a bad body (the body is parsed first)");
    r = itj_api(&env, "$JS.API.STREAM.CREATE.x", "{bad json");
    IT_CHECK(strcmp(itj_json_str(r, "type"), "io.nats.jetstream.api.v1.stream_create_response") ==
                     0 &&
                 itj_json_int(json_object_get(r, "error"), "code") == 400,
             "error reply has type stream_create_response and code 400");
    json_decref(r);
    IT_NATS(natsConnection_FlushTimeout(env.nc, 2000));
    r = itj_api(&env, "$JS.API.INFO", NULL);
    IT_CHECK(itj_err_code(r) == 0, "server still answers $JS.API.INFO");
    json_decref(r);
    itj_stream_init(&st, "x", NULL, NULL);
    itj_stream_add(&env, &st);
    IT_CHECK(true, "and still creates streams");
    itj_stop(&env);
}

void it_case_account_info(void)
{
    struct itj_env env;
    struct itj_stream f, m;
    jsAccountInfo *ai = NULL;
    jsErrCode ec = 0;
    json_t *r, *api;

    itj_start(&env);
    IT_NATS(js_GetAccountInfo(&ai, env.js, NULL, &ec));
    IT_CHECK(ai->Streams == 0 && ai->Store == 0 && ai->Memory == 0,
             "fresh account: 0 streams, 0 storage, 0 memory");
    IT_CHECK(ai->Limits.MaxMemory == -1 && ai->Limits.MaxStore == -1 &&
                 ai->Limits.MaxStreams == -1 && ai->Limits.MaxConsumers == -1,
             "no account limits: max_memory/max_storage/max_streams/max_consumers -1");
    jsAccountInfo_Destroy(ai);

    itj_stream_init(&f, "F", "f", NULL);
    itj_stream_add(&env, &f);
    itj_stream_init(&m, "M", "m", NULL);
    m.cfg.Storage = js_MemoryStorage;
    itj_stream_add(&env, &m);
    itj_pub(&env, "f", "hello", NULL, NULL);
    itj_pub(&env, "m", "hello", NULL, NULL);
    IT_NATS(js_GetAccountInfo(&ai, env.js, NULL, &ec));
    IT_CHECK(ai->Streams == 2, "2 streams counted (%lld)", (long long)ai->Streams);
    /* nats-server sizes a stored message as 22 + subject + headers + data + 8 in a file
     * store and subject + headers + data + 16 in memory. */
    IT_CHECK(ai->Store == 36 && ai->Memory == 22,
             "storage 36 and memory 22 bytes for one 5-byte message each (got %llu, %llu)",
             (unsigned long long)ai->Store, (unsigned long long)ai->Memory);
    jsAccountInfo_Destroy(ai);

    itj_api_expect_err(&env, "$JS.API.STREAM.INFO.MISSING", NULL, 10059, "an API error");
    r = itj_api(&env, "$JS.API.INFO", "");
    api = json_object_get(r, "api");
    IT_CHECK(strcmp(itj_json_str(r, "type"), "io.nats.jetstream.api.v1.account_info_response") == 0,
             "raw reply type is account_info_response");
    IT_CHECK(json_is_object(json_object_get(r, "limits")) && itj_json_int(r, "streams") == 2 &&
                 itj_json_int(r, "consumers") == 0,
             "raw reply has limits, streams 2, consumers 0");
    IT_CHECK(itj_json_int(api, "total") >= 5 && itj_json_int(api, "errors") >= 1,
             "api.total %lld counts the requests, api.errors %lld the failed one",
             (long long)itj_json_int(api, "total"), (long long)itj_json_int(api, "errors"));
    json_decref(r);
    itj_stop(&env);
}

/* Checks a raw STREAM.NAMES reply: <total>, <offset> and the names in order, joined by ','. */
static void check_names(struct itj_env *env, const char *body, int total, int offset,
                        const char *want)
{
    json_t *r = itj_api(env, "$JS.API.STREAM.NAMES", body);
    json_t *arr = json_object_get(r, "streams");
    char got[256] = "";
    size_t i, used = 0;

    IT_ASSERT(itj_err_code(r) == 0, "NAMES %s: error %s", body, itj_err_desc(r));
    for (i = 0; i < json_array_size(arr); i++)
        used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%s", i ? "," : "",
                                 json_string_value(json_array_get(arr, i)));
    IT_CHECK(itj_json_int(r, "total") == total && itj_json_int(r, "offset") == offset &&
                 strcmp(got, want) == 0,
             "NAMES %s: total %lld offset %lld [%s] (want %d, %d, [%s])", body,
             (long long)itj_json_int(r, "total"), (long long)itj_json_int(r, "offset"), got, total,
             offset, want);
    json_decref(r);
}

void it_case_stream_names_list(void)
{
    static const char *const names[] = {"S3", "S1", "S5", "S2", "S4", "OTHER"};
    static const char *const subjs[] = {"s3.>", "s1.>", "s5.>", "s2.>", "s4.>", "other.x"};
    struct itj_env env;
    struct itj_stream st;
    jsStreamNamesList *nl = NULL;
    jsStreamInfoList *il = NULL;
    jsErrCode ec = 0;
    json_t *r;

    itj_start(&env);
    for (int i = 0; i < 6; i++) {
        itj_stream_init(&st, names[i], subjs[i], NULL);
        itj_stream_add(&env, &st);
    }
    IT_NATS(js_StreamNames(&nl, env.js, NULL, &ec));
    IT_CHECK(nl->Count == 6, "js_StreamNames lists 6 streams (%d)", nl->Count);
    jsStreamNamesList_Destroy(nl);
    IT_NATS(js_Streams(&il, env.js, NULL, &ec));
    IT_CHECK(il->Count == 6 && il->List[0]->Config && il->List[0]->Config->Name,
             "js_Streams lists 6 stream infos with configs (%d)", il->Count);
    jsStreamInfoList_Destroy(il);

    check_names(&env, "", 6, 0, "OTHER,S1,S2,S3,S4,S5");
    check_names(&env, "{\"offset\":2}", 6, 2, "S2,S3,S4,S5");
    check_names(&env, "{\"subject\":\"s3.x\"}", 1, 0, "S3");
    check_names(&env, "{\"subject\":\"other.*\"}", 1, 0, "OTHER");
    check_names(&env, "{\"subject\":\"none\"}", 0, 0, "");
    r = itj_api(&env, "$JS.API.STREAM.NAMES", "{}");
    IT_CHECK(itj_json_int(r, "limit") == 1024, "NAMES page limit is 1024");
    json_decref(r);
    r = itj_api(&env, "$JS.API.STREAM.LIST", "{\"offset\":4}");
    IT_CHECK(itj_json_int(r, "total") == 6 && itj_json_int(r, "limit") == 256 &&
                 json_array_size(json_object_get(r, "streams")) == 2,
             "LIST offset 4: total 6, limit 256, 2 stream infos");
    IT_CHECK(strcmp(itj_json_str(
                        json_object_get(json_array_get(json_object_get(r, "streams"), 0), "config"),
                        "name"),
                    "S4") == 0,
             "LIST is ordered by name (S4 at offset 4)");
    json_decref(r);
    r = itj_api(&env, "$JS.API.STREAM.LIST", "{\"subject\":\"s5.a.b\"}");
    IT_CHECK(itj_json_int(r, "total") == 1 && json_array_size(json_object_get(r, "streams")) == 1,
             "LIST with subject filter s5.a.b: 1 stream");
    json_decref(r);
    itj_stop(&env);
}
