/* it_jsc: runs one JetStream consumer case, named by argv[1], against $GANNET_SERVER_BIN.
 *
 * One executable, one CTest entry per case (see CMakeLists.txt and it_jsc_cases.def);
 * `it_jsc --list` prints the case names. Stream helpers come from it_js_util.c; the consumer
 * helpers (consumer info polling, pull binding, raw pulls on an inbox) are here.
 */
#include "it_jsc.h"

#include <stdio.h>
#include <string.h>

static const struct it_case g_cases[] = {
#define IT_CASE(name)        {#name, jsc_case_##name},
#define IT_CASE_GANNET(name) {#name, jsc_case_##name},
#include "it_jsc_cases.def"
#undef IT_CASE
#undef IT_CASE_GANNET
};

void itc_config_init(jsConsumerConfig *cc, const char *durable, int64_t ack_wait_ms)
{
    IT_NATS(jsConsumerConfig_Init(cc));
    cc->Durable = durable;
    cc->AckPolicy = js_AckExplicit;
    cc->AckWait = ack_wait_ms * ITC_NS_PER_MS;
}

jsConsumerInfo *itc_consumer_add(struct itj_env *env, const char *stream,
                                 const jsConsumerConfig *cc, bool keep)
{
    jsConsumerInfo *ci = NULL;
    jsErrCode ec = 0;
    natsStatus s = js_AddConsumer(&ci, env->js, stream, (jsConsumerConfig *)cc, NULL, &ec);

    IT_ASSERT(s == NATS_OK && ci, "js_AddConsumer(%s, %s): %s, err_code %d (%s)", stream,
              cc->Durable ? cc->Durable : "(ephemeral)", natsStatus_GetText(s), (int)ec,
              it_nats_last_error());
    if (keep)
        return ci;
    jsConsumerInfo_Destroy(ci);
    return NULL;
}

int itc_consumer_add_code(struct itj_env *env, const char *stream, const jsConsumerConfig *cc)
{
    jsConsumerInfo *ci = NULL;
    jsErrCode ec = 0;
    natsStatus s = js_AddConsumer(&ci, env->js, stream, (jsConsumerConfig *)cc, NULL, &ec);

    jsConsumerInfo_Destroy(ci);
    if (s == NATS_OK)
        return 0;
    IT_ASSERT(s != NATS_TIMEOUT, "js_AddConsumer(%s): no reply (timeout)", stream);
    return ec ? (int)ec : -1;
}

jsConsumerInfo *itc_consumer_info(struct itj_env *env, const char *stream, const char *name)
{
    jsConsumerInfo *ci = NULL;
    jsErrCode ec = 0;
    natsStatus s = js_GetConsumerInfo(&ci, env->js, stream, name, NULL, &ec);

    IT_ASSERT(s == NATS_OK && ci, "js_GetConsumerInfo(%s, %s): %s, err_code %d (%s)", stream, name,
              natsStatus_GetText(s), (int)ec, it_nats_last_error());
    return ci;
}

static struct itc_state state_of(const jsConsumerInfo *ci)
{
    struct itc_state st = {
        .dcons = ci->Delivered.Consumer,
        .dstream = ci->Delivered.Stream,
        .acons = ci->AckFloor.Consumer,
        .astream = ci->AckFloor.Stream,
        .ack_pending = ci->NumAckPending,
        .pending = ci->NumPending,
        .redelivered = ci->NumRedelivered,
    };
    return st;
}

static bool state_eq(const struct itc_state *a, const struct itc_state *b)
{
    return a->dcons == b->dcons && a->dstream == b->dstream && a->acons == b->acons &&
           a->astream == b->astream && a->ack_pending == b->ack_pending &&
           a->pending == b->pending &&
           (b->redelivered == ITC_ANY || a->redelivered == b->redelivered);
}

static void state_fmt(char *out, size_t cap, const struct itc_state *s)
{
    snprintf(out, cap,
             "delivered %llu/%llu ack_floor %llu/%llu ack_pending %lld pending %llu "
             "redelivered %lld",
             (unsigned long long)s->dcons, (unsigned long long)s->dstream,
             (unsigned long long)s->acons, (unsigned long long)s->astream,
             (long long)s->ack_pending, (unsigned long long)s->pending, (long long)s->redelivered);
}

void itc_expect_state(struct itj_env *env, const char *stream, const char *name,
                      struct itc_state want, const char *what)
{
    int64_t deadline = it_now_ms() + ITC_STATE_WAIT;
    struct itc_state got;
    char gs[160], ws[160];

    /* Acks are fire-and-forget, so the server may apply them a moment after we sent them. */
    for (;;) {
        jsConsumerInfo *ci = itc_consumer_info(env, stream, name);

        got = state_of(ci);
        jsConsumerInfo_Destroy(ci);
        if (state_eq(&got, &want) || it_now_ms() >= deadline)
            break;
        nats_Sleep(20);
    }
    state_fmt(gs, sizeof(gs), &got);
    state_fmt(ws, sizeof(ws), &want);
    IT_ASSERT(state_eq(&got, &want), "%s: consumer %s has %s, want %s", what, name, gs, ws);
    it_ok("%s: %s", what, gs);
}

void itc_pub_n(struct itj_env *env, const char *subj, const char *prefix, int n)
{
    char data[64];

    for (int i = 1; i <= n; i++) {
        snprintf(data, sizeof(data), "%s%d", prefix, i);
        itj_pub(env, subj, data, NULL, NULL);
    }
}

natsSubscription *itc_pull_bind(struct itj_env *env, const char *stream, const char *name)
{
    natsSubscription *sub = NULL;
    jsSubOptions so;
    jsErrCode ec = 0;
    natsStatus s;

    IT_NATS(jsSubOptions_Init(&so));
    so.Stream = stream;
    so.Consumer = name;
    s = js_PullSubscribe(&sub, env->js, NULL, NULL, NULL, &so, &ec);
    IT_ASSERT(s == NATS_OK, "js_PullSubscribe(%s, %s): %s, err_code %d (%s)", stream, name,
              natsStatus_GetText(s), (int)ec, it_nats_last_error());
    return sub;
}

int itc_fetch(natsSubscription *sub, natsMsgList *list, int batch, int64_t timeout_ms)
{
    jsErrCode ec = 0;
    natsStatus s;

    memset(list, 0, sizeof(*list));
    s = natsSubscription_Fetch(list, sub, batch, timeout_ms, &ec);
    if (s == NATS_TIMEOUT && list->Count == 0)
        return 0;
    IT_ASSERT(s == NATS_OK, "fetch %d: %s, err_code %d (%s)", batch, natsStatus_GetText(s), (int)ec,
              it_nats_last_error());
    return list->Count;
}

uint64_t itc_msg_seq(natsMsg *m, uint64_t *dc)
{
    jsMsgMetaData *md = NULL;
    uint64_t seq;
    natsStatus s = natsMsg_GetMetaData(&md, m);

    IT_ASSERT(s == NATS_OK && md, "message on %s has no JetStream metadata (reply '%s')",
              natsMsg_GetSubject(m), natsMsg_GetReply(m) ? natsMsg_GetReply(m) : "");
    seq = md->Sequence.Stream;
    if (dc)
        *dc = md->NumDelivered;
    jsMsgMetaData_Destroy(md);
    return seq;
}

void itc_inbox_open(struct itj_env *env, struct itc_inbox *in)
{
    natsInbox *ib = NULL;

    memset(in, 0, sizeof(*in));
    IT_NATS(natsInbox_Create(&ib));
    snprintf(in->subject, sizeof(in->subject), "%s", (const char *)ib);
    natsInbox_Destroy(ib);
    IT_NATS(natsConnection_SubscribeSync(&in->sub, env->nc, in->subject));
    IT_NATS(natsSubscription_SetPendingLimits(in->sub, -1, -1));
    IT_NATS(natsConnection_Flush(env->nc));
}

void itc_inbox_close(struct itc_inbox *in)
{
    if (in->sub) {
        natsSubscription_Unsubscribe(in->sub);
        natsSubscription_Destroy(in->sub);
    }
    in->sub = NULL;
}

void itc_pull_raw(struct itj_env *env, struct itc_inbox *in, const char *stream, const char *name,
                  const char *body)
{
    char subj[256];

    snprintf(subj, sizeof(subj), "$JS.API.CONSUMER.MSG.NEXT.%s.%s", stream, name);
    IT_NATS(natsConnection_PublishRequest(env->nc, subj, in->subject, body,
                                          body ? (int)strlen(body) : 0));
    IT_NATS(natsConnection_Flush(env->nc));
}

natsMsg *itc_inbox_next(struct itc_inbox *in, int64_t timeout_ms)
{
    natsMsg *m = NULL;
    natsStatus s = natsSubscription_NextMsg(&m, in->sub, timeout_ms);

    if (s == NATS_TIMEOUT)
        return NULL;
    IT_ASSERT(s == NATS_OK, "next message on %s: %s (%s)", in->subject, natsStatus_GetText(s),
              it_nats_last_error());
    return m;
}

const char *itc_header(natsMsg *m, const char *name)
{
    const char *v = NULL;

    if (natsMsgHeader_Get(m, name, &v) != NATS_OK || !v)
        return "";
    return v;
}

const char *itc_status(natsMsg *m, const char **desc)
{
    /* libnats files the "NATS/1.0 <code> <description>" line under these two header names. */
    if (desc)
        *desc = itc_header(m, "Description");
    return itc_header(m, "Status");
}

bool itc_names_has(struct itj_env *env, const char *stream, const char *name)
{
    char subj[256];
    json_t *r, *names, *v;
    size_t i;
    bool found = false;

    snprintf(subj, sizeof(subj), "$JS.API.CONSUMER.NAMES.%s", stream);
    r = itj_api(env, subj, NULL);
    names = json_object_get(r, "consumers");
    IT_ASSERT(json_is_array(names) || json_is_null(names), "CONSUMER.NAMES.%s: no list", stream);
    json_array_foreach(names, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), name) == 0)
            found = true;
    }
    json_decref(r);
    return found;
}

int main(int argc, char **argv)
{
    return it_main(argc, argv, g_cases, sizeof(g_cases) / sizeof(g_cases[0]));
}
