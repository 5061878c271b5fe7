/* it_js cases about stored messages: purge (all, by subject, keep, up to seq), get by sequence
 * and last by subject, delete and erase, sealed / deny_delete / deny_purge refusals, rollups
 * and direct get.
 */
#include "it_js.h"

#include <stdio.h>
#include <string.h>

/* Publishes <n> messages "<prefix><i>" (i from 1) to <subj>. */
static void pub_n(struct itj_env *env, const char *subj, const char *prefix, int n)
{
    char data[32];

    for (int i = 1; i <= n; i++) {
        snprintf(data, sizeof(data), "%s%d", prefix, i);
        itj_pub(env, subj, data, NULL, NULL);
    }
}

/* Purges <stream> with libnats and the given filter, keep and sequence (0/NULL for none). */
static void purge(struct itj_env *env, const char *stream, const char *filter, uint64_t keep,
                  uint64_t seq)
{
    jsOptions o;
    jsErrCode ec = 0;
    natsStatus s;

    IT_NATS(jsOptions_Init(&o));
    o.Stream.Purge.Subject = filter;
    o.Stream.Purge.Keep = keep;
    o.Stream.Purge.Sequence = seq;
    s = js_PurgeStream(env->js, stream, &o, &ec);
    IT_ASSERT(s == NATS_OK, "purge %s (filter %s keep %llu seq %llu): %s err_code %d (%s)", stream,
              filter ? filter : "-", (unsigned long long)keep, (unsigned long long)seq,
              natsStatus_GetText(s), (int)ec, it_nats_last_error());
}

/* Returns the err_code of js_GetLastMsg(<stream>, <subj>), 0 when a message exists. */
static int last_msg_code(struct itj_env *env, const char *stream, const char *subj)
{
    natsMsg *m = NULL;
    jsErrCode ec = 0;
    natsStatus s = js_GetLastMsg(&m, env->js, stream, subj, NULL, &ec);

    natsMsg_Destroy(m);
    return s == NATS_OK ? 0 : (int)ec;
}

void it_case_purge(void)
{
    struct itj_env env;
    struct itj_stream st;
    json_t *r;

    itj_start(&env);
    itj_stream_init(&st, "PU", "pu.*", NULL);
    itj_stream_add(&env, &st);
    pub_n(&env, "pu.a", "a", 4); /* seq 1-4 */
    pub_n(&env, "pu.b", "b", 3); /* seq 5-7 */
    pub_n(&env, "pu.c", "c", 3); /* seq 8-10 */
    purge(&env, "PU", "pu.b", 0, 0);
    itj_expect_state(&env, "PU", 7, 1, 10, "purge filter pu.b");
    IT_CHECK(last_msg_code(&env, "PU", "pu.b") == 10037, "pu.b has no message left");
    purge(&env, "PU", "pu.a", 1, 0);
    itj_expect_state(&env, "PU", 4, 4, 10, "purge filter pu.a keep 1");
    purge(&env, "PU", NULL, 0, 9);
    itj_expect_state(&env, "PU", 2, 9, 10, "purge up to seq 9 (exclusive)");
    itj_api_expect_err(&env, "$JS.API.STREAM.PURGE.PU", "{\"seq\":3,\"keep\":1}", 10003,
                       "purge with both seq and keep");
    r = itj_api(&env, "$JS.API.STREAM.PURGE.PU", "{\"filter\":\"pu.c\",\"keep\":1}");
    IT_CHECK(json_is_true(json_object_get(r, "success")) && itj_json_int(r, "purged") == 1,
             "raw purge pu.c keep 1: success, purged 1");
    json_decref(r);
    r = itj_api(&env, "$JS.API.STREAM.PURGE.PU", NULL);
    IT_CHECK(json_is_true(json_object_get(r, "success")) && itj_json_int(r, "purged") == 1,
             "raw purge all: success, purged 1");
    json_decref(r);
    itj_expect_state(&env, "PU", 0, 11, 10, "purge all: empty, first_seq 11, last_seq 10");
    IT_CHECK(itj_pub(&env, "pu.a", "after", NULL, NULL) == 11, "sequence continues at 11");
    purge(&env, "PU", NULL, 0, 0);
    purge(&env, "PU", NULL, 0, 0);
    itj_expect_state(&env, "PU", 0, 12, 11, "purging an empty stream again is fine");
    itj_stop(&env);
}

void it_case_msg_get(void)
{
    struct itj_env env;
    struct itj_stream st;
    natsMsg *m = NULL;
    const char *hv = NULL;
    jsErrCode ec = 0;
    natsStatus s;
    json_t *r, *msg;

    itj_start(&env);
    itj_stream_init(&st, "G", "g.>", NULL);
    itj_stream_add(&env, &st);
    itj_pub_hdr(&env, "g.a", "a1", "X-Test", "hv");
    itj_pub(&env, "g.b", "b1", NULL, NULL);
    itj_pub(&env, "g.a", "a2", NULL, NULL);

    IT_NATS(js_GetMsg(&m, env.js, "G", 1, NULL, &ec));
    IT_CHECK(strcmp(natsMsg_GetSubject(m), "g.a") == 0 && natsMsg_GetDataLength(m) == 2 &&
                 memcmp(natsMsg_GetData(m), "a1", 2) == 0,
             "get seq 1: g.a 'a1'");
    IT_CHECK(natsMsgHeader_Get(m, "X-Test", &hv) == NATS_OK && strcmp(hv, "hv") == 0,
             "get seq 1 keeps header X-Test: hv");
    natsMsg_Destroy(m);
    IT_NATS(js_GetLastMsg(&m, env.js, "G", "g.a", NULL, &ec));
    IT_CHECK(natsMsg_GetDataLength(m) == 2 && memcmp(natsMsg_GetData(m), "a2", 2) == 0,
             "last by subject g.a: 'a2'");
    natsMsg_Destroy(m);
    m = NULL;
    s = js_GetMsg(&m, env.js, "G", 99, NULL, &ec);
    IT_CHECK(s == NATS_NOT_FOUND && ec == 10037, "get seq 99: not found, err_code %d", (int)ec);
    IT_CHECK(last_msg_code(&env, "G", "g.none") == 10037, "last of an unused subject: 10037");

    r = itj_api(&env, "$JS.API.STREAM.MSG.GET.G", "{\"seq\":2}");
    msg = json_object_get(r, "message");
    IT_CHECK(strcmp(itj_json_str(r, "type"), "io.nats.jetstream.api.v1.stream_msg_get_response") ==
                     0 &&
                 strcmp(itj_json_str(msg, "subject"), "g.b") == 0 &&
                 itj_json_int(msg, "seq") == 2 && strcmp(itj_json_str(msg, "data"), "YjE=") == 0,
             "raw get seq 2: subject g.b, seq 2, data base64 'YjE='");
    IT_CHECK(strlen(itj_json_str(msg, "time")) > 20 &&
                 itj_json_str(msg, "time")[strlen(itj_json_str(msg, "time")) - 1] == 'Z',
             "raw get: RFC 3339 UTC time '%s'", itj_json_str(msg, "time"));
    IT_CHECK(!json_object_get(msg, "hdrs"), "no hdrs member for a message without headers");
    json_decref(r);
    r = itj_api(&env, "$JS.API.STREAM.MSG.GET.G", "{\"last_by_subj\":\"g.b\"}");
    IT_CHECK(itj_json_int(json_object_get(r, "message"), "seq") == 2, "raw last_by_subj g.b: 2");
    json_decref(r);
    itj_api_expect_err(&env, "$JS.API.STREAM.MSG.GET.G", "{}", 10003,
                       "get with neither seq nor "
                       "subject");
    itj_api_expect_err(&env, "$JS.API.STREAM.MSG.GET.NOPE", "{\"seq\":1}", 10059,
                       "get from an unknown stream");
    itj_stop(&env);
}

/* Checks NumDeleted and, with deleted details, the list of deleted sequences of <stream>. */
static void expect_deleted(struct itj_env *env, const char *stream, int n, const uint64_t *seqs)
{
    jsStreamInfo *si = NULL;
    jsOptions o;
    bool same;

    IT_NATS(jsOptions_Init(&o));
    o.Stream.Info.DeletedDetails = true;
    IT_NATS(js_GetStreamInfo(&si, env->js, stream, &o, NULL));
    same = si->State.NumDeleted == (uint64_t)n && si->State.DeletedLen == n;
    for (int i = 0; same && i < n; i++)
        same = si->State.Deleted[i] == seqs[i];
    IT_CHECK(same, "%s: num_deleted %llu, deleted details list %d entries (want %d)", stream,
             (unsigned long long)si->State.NumDeleted, si->State.DeletedLen, n);
    jsStreamInfo_Destroy(si);
}

void it_case_msg_delete(void)
{
    static const uint64_t del23[] = {2, 3};
    struct itj_env env;
    struct itj_stream st;
    natsMsg *m = NULL;
    jsErrCode ec = 0;
    natsStatus s;
    json_t *r;

    itj_start(&env);
    itj_stream_init(&st, "DL", "dl", NULL);
    itj_stream_add(&env, &st);
    pub_n(&env, "dl", "m", 5);
    IT_NATS(js_DeleteMsg(env.js, "DL", 2, NULL, &ec));
    s = js_GetMsg(&m, env.js, "DL", 2, NULL, &ec);
    IT_CHECK(s == NATS_NOT_FOUND && ec == 10037, "deleted seq 2 is gone");
    IT_NATS(js_EraseMsg(env.js, "DL", 3, NULL, &ec));
    s = js_GetMsg(&m, env.js, "DL", 3, NULL, &ec);
    IT_CHECK(s == NATS_NOT_FOUND && ec == 10037, "erased seq 3 is gone");
    itj_expect_state(&env, "DL", 3, 1, 5, "after delete and erase");
    expect_deleted(&env, "DL", 2, del23);
    s = js_DeleteMsg(env.js, "DL", 2, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10043, "deleting seq 2 again: err_code %d (%s)", (int)ec,
             it_nats_last_error());
    s = js_DeleteMsg(env.js, "DL", 99, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10057, "deleting seq 99 (past the end): err_code %d (%s)",
             (int)ec, it_nats_last_error());
    r = itj_api(&env, "$JS.API.STREAM.MSG.DELETE.DL", "{\"seq\":1,\"no_erase\":true}");
    IT_CHECK(json_is_true(json_object_get(r, "success")), "raw delete seq 1: success");
    json_decref(r);
    itj_expect_state(&env, "DL", 2, 4, 5, "deleting the first messages moves first_seq to 4");
    expect_deleted(&env, "DL", 0, NULL);
    s = js_DeleteMsg(env.js, "DL", 1, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10057,
             "deleting seq 1 (below first_seq) again: err_code %d "
             "(%s)",
             (int)ec, it_nats_last_error());
    IT_NATS(js_DeleteMsg(env.js, "DL", 5, NULL, &ec));
    itj_expect_state(&env, "DL", 1, 4, 5, "deleting the last message keeps last_seq 5");
    IT_CHECK(itj_pub(&env, "dl", "m6", NULL, NULL) == 6, "next publish gets seq 6");
    itj_stop(&env);
}

void it_case_sealed_deny(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsStreamInfo *si = NULL;
    jsErrCode ec = 0;
    natsStatus s;
    int code;

    itj_start(&env);
    itj_stream_init(&st, "DENY", "deny", NULL);
    st.cfg.DenyDelete = true;
    st.cfg.DenyPurge = true;
    itj_stream_add(&env, &st);
    pub_n(&env, "deny", "m", 2);
    s = js_DeleteMsg(env.js, "DENY", 1, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10057, "deny_delete: delete refused, err_code %d (%s)", (int)ec,
             it_nats_last_error());
    s = js_PurgeStream(env.js, "DENY", NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10110, "deny_purge: purge refused, err_code %d (%s)", (int)ec,
             it_nats_last_error());
    st.cfg.DenyDelete = false;
    s = js_UpdateStream(&si, env.js, &st.cfg, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10052, "update cannot clear deny_delete: err_code %d (%s)",
             (int)ec, it_nats_last_error());
    itj_expect_state(&env, "DENY", 2, 1, 2, "nothing removed");

    itj_stream_init(&st, "SEAL", "seal", NULL);
    itj_stream_add(&env, &st);
    pub_n(&env, "seal", "m", 2);
    st.cfg.Sealed = true;
    IT_NATS(js_UpdateStream(&si, env.js, &st.cfg, NULL, &ec));
    IT_CHECK(si->Config->Sealed && si->Config->DenyDelete && si->Config->DenyPurge,
             "sealing also sets deny_delete and deny_purge");
    jsStreamInfo_Destroy(si);
    si = NULL;
    code = itj_pub_fail(&env, "seal", "x", NULL, NULL, NULL);
    IT_CHECK(code == 10109, "publish to a sealed stream: err_code %d (%s)", code,
             it_nats_last_error());
    s = js_DeleteMsg(env.js, "SEAL", 1, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10109, "sealed: delete refused, err_code %d (%s)", (int)ec,
             it_nats_last_error());
    s = js_PurgeStream(env.js, "SEAL", NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10109, "sealed: purge refused, err_code %d (%s)", (int)ec,
             it_nats_last_error());
    st.cfg.Sealed = false;
    s = js_UpdateStream(&si, env.js, &st.cfg, NULL, &ec);
    IT_CHECK(s != NATS_OK && ec == 10052, "update cannot unseal: err_code %d (%s)", (int)ec,
             it_nats_last_error());
    itj_expect_state(&env, "SEAL", 2, 1, 2, "sealed stream unchanged");
    IT_NATS(js_DeleteStream(env.js, "SEAL", NULL, &ec));
    IT_CHECK(true, "a sealed stream can still be deleted");
    itj_stop(&env);
}

void it_case_rollup(void)
{
    struct itj_env env;
    struct itj_stream st;
    natsMsg *m = NULL;
    const char *hv = NULL;
    int code;

    itj_start(&env);
    itj_stream_init(&st, "NOROLL", "noroll", NULL);
    itj_stream_add(&env, &st);
    code = itj_pub_fail(&env, "noroll", "x", "Nats-Rollup", "sub", NULL);
    IT_CHECK(code == 10111, "rollup without allow_rollup_hdrs: err_code %d (%s)", code,
             it_nats_last_error());

    itj_stream_init(&st, "ROLL", "r.*", NULL);
    st.cfg.AllowRollup = true;
    itj_stream_add(&env, &st);
    itj_pub(&env, "r.a", "a1", NULL, NULL);
    itj_pub(&env, "r.a", "a2", NULL, NULL);
    itj_pub(&env, "r.b", "b1", NULL, NULL);
    IT_CHECK(itj_pub_hdr(&env, "r.a", "a-sum", "Nats-Rollup", "sub") == 4,
             "rollup sub on r.a stored as seq 4");
    itj_expect_state(&env, "ROLL", 2, 3, 4, "rollup sub: r.a keeps only seq 4, r.b untouched");
    IT_NATS(js_GetMsg(&m, env.js, "ROLL", 4, NULL, NULL));
    IT_CHECK(natsMsgHeader_Get(m, "Nats-Rollup", &hv) == NATS_OK && strcmp(hv, "sub") == 0,
             "the rollup message keeps its Nats-Rollup header");
    natsMsg_Destroy(m);
    itj_pub(&env, "r.c", "c1", NULL, NULL);
    IT_CHECK(itj_pub_hdr(&env, "r.b", "all-sum", "Nats-Rollup", "all") == 6,
             "rollup all stored as seq 6");
    itj_expect_state(&env, "ROLL", 1, 6, 6, "rollup all: only the rollup message remains");
    itj_stop(&env);
}

/* Sends a direct get request and returns the reply (the caller destroys it). */
static natsMsg *direct(struct itj_env *env, const char *subject, const char *body)
{
    natsMsg *reply = NULL;
    natsStatus s = natsConnection_Request(&reply, env->nc, subject, body,
                                          body ? (int)strlen(body) : 0, ITJ_API_TIMEOUT);

    IT_ASSERT(s == NATS_OK, "direct get %s '%s': %s", subject, body ? body : "",
              natsStatus_GetText(s));
    return reply;
}

/* Returns header <name> of <m>, or "" when it is missing. */
static const char *hdr(natsMsg *m, const char *name)
{
    const char *v = NULL;

    return natsMsgHeader_Get(m, name, &v) == NATS_OK && v ? v : "";
}

/* Checks a direct get reply: payload <data>, headers naming stream DG, <subj> and <seq>. */
static void expect_direct(natsMsg *m, const char *subj, const char *seq, const char *data,
                          const char *what)
{
    const char *ts = hdr(m, "Nats-Time-Stamp");

    IT_CHECK(natsMsg_GetDataLength(m) == (int)strlen(data) &&
                 memcmp(natsMsg_GetData(m), data, strlen(data)) == 0,
             "%s: payload '%s'", what, data);
    IT_CHECK(strcmp(hdr(m, "Nats-Stream"), "DG") == 0 &&
                 strcmp(hdr(m, "Nats-Subject"), subj) == 0 &&
                 strcmp(hdr(m, "Nats-Sequence"), seq) == 0,
             "%s: Nats-Stream DG, Nats-Subject %s, Nats-Sequence %s (got '%s' '%s' '%s')", what,
             subj, seq, hdr(m, "Nats-Stream"), hdr(m, "Nats-Subject"), hdr(m, "Nats-Sequence"));
    IT_CHECK(strlen(ts) > 20 && ts[strlen(ts) - 1] == 'Z' && ts[4] == '-' && ts[10] == 'T',
             "%s: Nats-Time-Stamp '%s' is RFC 3339 UTC", what, ts);
}

/* Checks that a direct get reply is an empty 404 status message. */
static void expect_direct_404(natsMsg *m, const char *what)
{
    IT_CHECK(natsMsg_GetDataLength(m) == 0 && strcmp(hdr(m, "Status"), "404") == 0,
             "%s: empty reply with status 404 (got '%s' '%s')", what, hdr(m, "Status"),
             hdr(m, "Description"));
}

void it_case_direct_get(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsDirectGetMsgOptions dgo;
    natsMsg *m;
    natsStatus s;

    itj_start(&env);
    itj_stream_init(&st, "DG", "dg.>", NULL);
    st.cfg.AllowDirect = true;
    itj_stream_add(&env, &st);
    itj_pub(&env, "dg.a", "a1", NULL, NULL);
    itj_pub(&env, "dg.b", "b1", NULL, NULL);
    itj_pub_hdr(&env, "dg.a", "a2", "X-K", "v");

    m = direct(&env, "$JS.API.DIRECT.GET.DG.dg.a", NULL);
    expect_direct(m, "dg.a", "3", "a2", "last for dg.a by subject token");
    IT_CHECK(strcmp(hdr(m, "X-K"), "v") == 0, "the stored header X-K: v is kept");
    natsMsg_Destroy(m);
    m = direct(&env, "$JS.API.DIRECT.GET.DG", "{\"seq\":2}");
    expect_direct(m, "dg.b", "2", "b1", "by seq 2");
    natsMsg_Destroy(m);
    m = direct(&env, "$JS.API.DIRECT.GET.DG", "{\"last_by_subj\":\"dg.b\"}");
    expect_direct(m, "dg.b", "2", "b1", "last_by_subj dg.b");
    natsMsg_Destroy(m);
    m = direct(&env, "$JS.API.DIRECT.GET.DG", "{\"next_by_subj\":\"dg.a\",\"seq\":2}");
    expect_direct(m, "dg.a", "3", "a2", "next_by_subj dg.a from seq 2");
    natsMsg_Destroy(m);
    m = direct(&env, "$JS.API.DIRECT.GET.DG.dg.zz", NULL);
    expect_direct_404(m, "missing subject");
    natsMsg_Destroy(m);
    m = direct(&env, "$JS.API.DIRECT.GET.DG", "{\"seq\":100}");
    expect_direct_404(m, "missing seq");
    natsMsg_Destroy(m);

    IT_NATS(jsDirectGetMsgOptions_Init(&dgo));
    dgo.Sequence = 1;
    m = NULL;
    IT_NATS(js_DirectGetMsg(&m, env.js, "DG", NULL, &dgo));
    IT_CHECK(natsMsg_GetDataLength(m) == 2 && memcmp(natsMsg_GetData(m), "a1", 2) == 0 &&
                 strcmp(natsMsg_GetSubject(m), "dg.a") == 0,
             "js_DirectGetMsg seq 1: dg.a 'a1'");
    natsMsg_Destroy(m);

    itj_stream_init(&st, "NODIRECT", "nd", NULL);
    itj_stream_add(&env, &st);
    itj_pub(&env, "nd", "x", NULL, NULL);
    m = NULL;
    s = natsConnection_Request(&m, env.nc, "$JS.API.DIRECT.GET.NODIRECT.nd", NULL, 0, 1000);
    IT_CHECK(s == NATS_NO_RESPONDERS || s == NATS_TIMEOUT,
             "no direct get without allow_direct (%s)", natsStatus_GetText(s));
    natsMsg_Destroy(m);
    itj_stop(&env);
}
