/* it_js_util: the JetStream helpers shared by the case files of it_js and it_jsc (server with a
 * store dir, stream configs, publishing, raw $JS.API requests parsed with jansson). Moved out
 * of it_js.c so that both executables link them; the contracts are in it_js.h.
 */
#include "it_js.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void itj_reconnect(struct itj_env *env)
{
    natsOptions *opts = NULL;
    jsOptions jo;

    IT_NATS(natsOptions_Create(&opts));
    IT_NATS(natsOptions_SetAllowReconnect(opts, false));
    env->nc = it_connect(&env->srv, opts);
    natsOptions_Destroy(opts);
    IT_NATS(jsOptions_Init(&jo));
    jo.Wait = ITJ_API_TIMEOUT;
    IT_NATS(natsConnection_JetStream(&env->js, env->nc, &jo));
}

void itj_start(struct itj_env *env)
{
    const char *args[] = {"-js", "-sd", NULL, NULL};

    memset(env, 0, sizeof(*env));
    it_tmpdir_make(env->store, sizeof(env->store));
    args[2] = env->store;
    it_server_start(&env->srv, NULL, args);
    itj_reconnect(env);
}

void itj_disconnect(struct itj_env *env)
{
    jsCtx_Destroy(env->js);
    env->js = NULL;
    if (env->nc) {
        natsConnection_Close(env->nc);
        natsConnection_Destroy(env->nc);
    }
    env->nc = NULL;
}

void itj_stop(struct itj_env *env)
{
    itj_disconnect(env);
    it_server_cleanup(&env->srv);
}

void itj_stream_init(struct itj_stream *st, const char *name, const char *subj1, const char *subj2)
{
    memset(st, 0, sizeof(*st));
    IT_NATS(jsStreamConfig_Init(&st->cfg));
    st->cfg.Name = name;
    st->subjects[0] = subj1;
    st->subjects[1] = subj2;
    st->cfg.Subjects = st->subjects;
    st->cfg.SubjectsLen = subj1 ? (subj2 ? 2 : 1) : 0;
}

void itj_stream_add(struct itj_env *env, struct itj_stream *st)
{
    jsStreamInfo *si = NULL;
    jsErrCode ec = 0;
    natsStatus s = js_AddStream(&si, env->js, &st->cfg, NULL, &ec);

    IT_ASSERT(s == NATS_OK, "js_AddStream(%s): %s, err_code %d (%s)", st->cfg.Name,
              natsStatus_GetText(s), (int)ec, it_nats_last_error());
    jsStreamInfo_Destroy(si);
}

jsStreamInfo *itj_stream_info(struct itj_env *env, const char *name)
{
    jsStreamInfo *si = NULL;
    jsErrCode ec = 0;
    natsStatus s = js_GetStreamInfo(&si, env->js, name, NULL, &ec);

    IT_ASSERT(s == NATS_OK, "js_GetStreamInfo(%s): %s, err_code %d (%s)", name,
              natsStatus_GetText(s), (int)ec, it_nats_last_error());
    return si;
}

void itj_expect_state(struct itj_env *env, const char *name, uint64_t msgs, uint64_t first,
                      uint64_t last, const char *what)
{
    jsStreamInfo *si = itj_stream_info(env, name);
    jsStreamState *st = &si->State;

    IT_CHECK(st->Msgs == msgs && st->FirstSeq == first && st->LastSeq == last,
             "%s: %s holds %llu msgs, seq %llu..%llu (want %llu, %llu..%llu)", what, name,
             (unsigned long long)st->Msgs, (unsigned long long)st->FirstSeq,
             (unsigned long long)st->LastSeq, (unsigned long long)msgs, (unsigned long long)first,
             (unsigned long long)last);
    jsStreamInfo_Destroy(si);
}

uint64_t itj_pub(struct itj_env *env, const char *subj, const char *data, jsPubOptions *opts,
                 bool *dup)
{
    jsPubAck *pa = NULL;
    jsErrCode ec = 0;
    uint64_t seq;
    natsStatus s = js_Publish(&pa, env->js, subj, data, (int)strlen(data), opts, &ec);

    IT_ASSERT(s == NATS_OK && pa, "js_Publish(%s): %s, err_code %d (%s)", subj,
              natsStatus_GetText(s), (int)ec, it_nats_last_error());
    seq = pa->Sequence;
    if (dup)
        *dup = pa->Duplicate;
    jsPubAck_Destroy(pa);
    return seq;
}

/* Publishes a message with an optional header; returns the status, PubAck and err_code. */
static natsStatus pub_msg(struct itj_env *env, const char *subj, const char *data,
                          const char *hname, const char *hval, jsPubOptions *opts, jsPubAck **pa,
                          jsErrCode *ec)
{
    natsMsg *msg = NULL;
    natsStatus s;

    IT_NATS(natsMsg_Create(&msg, subj, NULL, data, (int)strlen(data)));
    if (hname)
        IT_NATS(natsMsgHeader_Set(msg, hname, hval));
    s = js_PublishMsg(pa, env->js, msg, opts, ec);
    natsMsg_Destroy(msg);
    return s;
}

int itj_pub_fail(struct itj_env *env, const char *subj, const char *data, const char *hname,
                 const char *hval, jsPubOptions *opts)
{
    jsPubAck *pa = NULL;
    jsErrCode ec = 0;
    natsStatus s = pub_msg(env, subj, data, hname, hval, opts, &pa, &ec);

    IT_ASSERT(s != NATS_OK, "publish to %s (%s: %s) succeeded with seq %llu, expected an error",
              subj, hname ? hname : "-", hval ? hval : "-",
              pa ? (unsigned long long)pa->Sequence : 0ULL);
    IT_ASSERT(s != NATS_TIMEOUT, "publish to %s: no PubAck at all (timeout)", subj);
    return (int)ec;
}

uint64_t itj_pub_hdr(struct itj_env *env, const char *subj, const char *data, const char *hname,
                     const char *hval)
{
    jsPubAck *pa = NULL;
    jsErrCode ec = 0;
    uint64_t seq;
    natsStatus s = pub_msg(env, subj, data, hname, hval, NULL, &pa, &ec);

    IT_ASSERT(s == NATS_OK && pa, "publish to %s with %s: %s: %s, err_code %d (%s)", subj, hname,
              hval, natsStatus_GetText(s), (int)ec, it_nats_last_error());
    seq = pa->Sequence;
    jsPubAck_Destroy(pa);
    return seq;
}

json_t *itj_api(struct itj_env *env, const char *subject, const char *body)
{
    natsMsg *reply = NULL;
    json_error_t jerr;
    json_t *root;
    int blen = body ? (int)strlen(body) : 0;
    natsStatus s = natsConnection_Request(&reply, env->nc, subject, body, blen, ITJ_API_TIMEOUT);

    IT_ASSERT(s == NATS_OK, "request %s '%s': %s (%s)", subject, body ? body : "",
              natsStatus_GetText(s), it_nats_last_error());
    root = json_loadb(natsMsg_GetData(reply), (size_t)natsMsg_GetDataLength(reply), 0, &jerr);
    IT_ASSERT(root && json_is_object(root), "reply to %s is not a JSON object: '%.*s'", subject,
              natsMsg_GetDataLength(reply), natsMsg_GetData(reply));
    natsMsg_Destroy(reply);
    return root;
}

int itj_err_code(const json_t *reply)
{
    json_t *err = json_object_get(reply, "error");
    json_t *code = json_object_get(err, "err_code");

    if (!err)
        return 0;
    return json_is_integer(code) ? (int)json_integer_value(code) : -1;
}

const char *itj_err_desc(const json_t *reply)
{
    const char *d =
        json_string_value(json_object_get(json_object_get(reply, "error"), "description"));
    return d ? d : "";
}

void itj_api_expect_err(struct itj_env *env, const char *subject, const char *body, int err_code,
                        const char *what)
{
    json_t *r = itj_api(env, subject, body);
    int got = itj_err_code(r);

    IT_CHECK(got == err_code, "%s: err_code %d (want %d), \"%s\"", what, got, err_code,
             itj_err_desc(r));
    json_decref(r);
}

json_int_t itj_json_int(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    IT_ASSERT(json_is_integer(v), "JSON member \"%s\" missing or not an integer", key);
    return json_integer_value(v);
}

const char *itj_json_str(const json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));

    return v ? v : "";
}
