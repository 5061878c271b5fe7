/* /jsz: JetStream usage, and per account the streams (state, config) and
 * consumers (ConsumerInfo) with nats-server's options: acc, accounts,
 * streams, consumers (implies streams, which implies accounts), config,
 * offset, limit, leader-only, raft. This is what KEDA's nats-jetstream
 * scaler reads (acc=<account>&consumers=true&config=true: num_pending +
 * num_ack_pending of its consumer) and what the exporter turns into the
 * nats_stream_* and nats_consumer_* series. */
#include "jetstream/js_stats.h"
#include "monitor/mon_int.h"
#include "util/clock.h"

#include <string.h>

#define JSZ_DEFAULT_LIMIT 1024

struct jsz_opts {
    const char *acc;
    bool accounts, streams, consumers, config, leader_only, raft;
    int64_t offset, limit;
};

static int jsz_parse(const struct mon_req *r, struct mon_resp *rs, struct jsz_opts *o)
{
    memset(o, 0, sizeof(*o));
    if (mon_q_bool(r, rs, "accounts", &o->accounts) || mon_q_bool(r, rs, "streams", &o->streams) ||
        mon_q_bool(r, rs, "consumers", &o->consumers) || mon_q_bool(r, rs, "config", &o->config) ||
        mon_q_int(r, rs, "offset", &o->offset) || mon_q_int(r, rs, "limit", &o->limit) ||
        mon_q_bool(r, rs, "leader-only", &o->leader_only) || mon_q_bool(r, rs, "raft", &o->raft))
        return -1;
    o->acc = mon_query(r, "acc");
    if (o->limit <= 0)
        o->limit = JSZ_DEFAULT_LIMIT;
    if (o->consumers)
        o->streams = true;
    if (o->streams)
        o->accounts = true;
    return 0;
}

static void stream_json(struct monitor *m, struct jw *w, const struct js_stats_stream *s,
                        const struct jsz_opts *o)
{
    jw_obj_open(w, NULL);
    jw_str(w, "name", s->name);
    jw_time(w, "created", s->created);
    jw_obj_open(w, "cluster");
    jw_str(w, "leader", srv_server_name(m->srv));
    jw_obj_close(w);
    if (s->config_json)
        jw_raw(w, "config", s->config_json);
    jw_raw(w, "state", s->state_json);
    if (o->consumers && s->nconsumers) {
        jw_arr_open(w, "consumer_detail");
        for (size_t i = 0; i < s->nconsumers; i++)
            jw_raw(w, NULL, s->consumers[i].info_json);
        jw_arr_close(w);
    }
    jw_obj_close(w);
}

/* One AccountDetail ("$G"); reserved_* print uint64(-1): no account limits. */
static void account_json(struct monitor *m, struct jw *w, const struct js_stats *st,
                         const struct jsz_opts *o)
{
    jw_obj_open(w, NULL);
    jw_str(w, "name", "$G");
    jw_str(w, "id", "$G");
    jw_uint(w, "memory", st->memory);
    jw_uint(w, "storage", st->storage);
    jw_uint(w, "reserved_memory", UINT64_MAX);
    jw_uint(w, "reserved_storage", UINT64_MAX);
    jw_int(w, "accounts", 0);
    jw_int(w, "ha_assets", 0);
    jw_obj_open(w, "api");
    jw_uint(w, "total", st->api_total);
    jw_uint(w, "errors", st->api_errors);
    jw_obj_close(w);
    if (o->streams && st->n) {
        jw_arr_open(w, "stream_detail");
        for (size_t i = 0; i < st->n; i++)
            stream_json(m, w, &st->streams[i], o);
        jw_arr_close(w);
    }
    jw_obj_close(w);
}

static void jsz_totals(struct jw *w, const struct js_stats *st, bool enabled)
{
    jw_obj_open(w, "config");
    jw_int(w, "max_memory", enabled ? st->max_memory : 0);
    jw_int(w, "max_storage", enabled ? st->max_storage : 0);
    if (enabled)
        jw_str(w, "store_dir", st->store_dir);
    if (enabled && st->domain)
        jw_str(w, "domain", st->domain);
    jw_obj_close(w);
    jw_uint(w, "memory", st->memory);
    jw_uint(w, "storage", st->storage);
    jw_uint(w, "reserved_memory", 0);
    jw_uint(w, "reserved_storage", 0);
    jw_int(w, "accounts", enabled ? 1 : 0);
    jw_int(w, "ha_assets", 0);
    jw_obj_open(w, "api");
    jw_uint(w, "total", st->api_total);
    jw_uint(w, "errors", st->api_errors);
    jw_obj_close(w);
    jw_uint(w, "streams", st->nstreams);
    jw_uint(w, "consumers", st->nconsumers);
    jw_uint(w, "messages", st->messages);
    jw_uint(w, "bytes", st->bytes);
}

void mon_ep_jsz(const struct mon_req *r, struct mon_resp *rs)
{
    struct jsz_opts o;
    if (jsz_parse(r, rs, &o) != 0)
        return;
    struct monitor *m = r->m;
    struct js_stats st = {0};
    struct jw w;
    jw_init(&w, &rs->body);
    jw_obj_open(&w, NULL);
    jw_str(&w, "server_id", srv_server_id(m->srv));
    jw_time(&w, "now", clock_real_ns());
    if (!m->js) {
        jw_bool(&w, "disabled", true);
        jsz_totals(&w, &st, false);
        jw_obj_close(&w);
        return;
    }
    unsigned flags = (o.streams ? JS_STATS_STREAMS : 0) | (o.consumers ? JS_STATS_CONSUMERS : 0) |
                     (o.config ? JS_STATS_CONFIG : 0);
    js_stats_get(m->js, flags, &st);
    jsz_totals(&w, &st, true);
    /* One account: shown when named by acc=, or with accounts=true unless
     * the offset skips it. */
    bool show = strcmp(o.acc, "$G") == 0 || (o.accounts && o.offset <= 0);
    if (show) {
        jw_arr_open(&w, "account_details");
        account_json(m, &w, &st, &o);
        jw_arr_close(&w);
    }
    jw_obj_close(&w);
    js_stats_deinit(&st);
}
