/* /subsz (subject-index statistics and the subscription list), /accountz,
 * /accstatz, and the endpoints that answer their empty shapes until
 * clustering exists: /routez, /gatewayz, /leafz, /ipqueuesz. Gannet has the
 * one global account "$G". */
#include "monitor/mon_int.h"
#include "server/stats.h"
#include "subject/subject.h"
#include "util/clock.h"

#include <string.h>
#include <strings.h>

#define SUBSZ_DEFAULT_LIMIT 1024

/* ---- /subsz ---- */

static void subsz_stats_of(const struct srv_subsz *st, struct jw *w)
{
    jw_uint(w, "num_subscriptions", st->num_subscriptions);
    jw_uint(w, "num_cache", st->num_cache);
    jw_uint(w, "num_inserts", st->num_inserts);
    jw_uint(w, "num_removes", st->num_removes);
    jw_uint(w, "num_matches", st->num_matches);
    jw_double(w, "cache_hit_rate",
              st->num_matches ? (double)st->cache_hits / (double)st->num_matches : 0);
    jw_uint(w, "max_fanout", st->max_fanout);
    jw_double(w, "avg_fanout",
              st->index_matches ? (double)st->total_fanout / (double)st->index_matches : 0);
}

void mon_subsz_stats(struct monitor *m, struct jw *w)
{
    struct srv_subsz st;
    srv_stats_subsz(m->srv, &st);
    subsz_stats_of(&st, w);
}

struct subsz_opts {
    bool subs;
    int64_t offset, limit;
    const char *test;
    bool other_account; /* acc= names an account other than $G: nothing matches */
};

static int subsz_parse(const struct mon_req *r, struct mon_resp *rs, struct subsz_opts *o)
{
    memset(o, 0, sizeof(*o));
    if (mon_q_bool(r, rs, "subs", &o->subs) || mon_q_int(r, rs, "offset", &o->offset) ||
        mon_q_int(r, rs, "limit", &o->limit))
        return -1;
    o->test = mon_query(r, "test");
    const char *acc = mon_query(r, "acc");
    o->other_account = *acc && strcmp(acc, "$G") != 0;
    if (o->offset < 0)
        o->offset = 0;
    if (o->limit <= 0)
        o->limit = SUBSZ_DEFAULT_LIMIT;
    if (*o->test && !subj_is_valid_literal(o->test, strlen(o->test))) {
        mon_resp_error(rs, 400, "invalid test subject, must be valid publish subject: %s", o->test);
        return -1;
    }
    return 0;
}

static void sub_detail_json(struct jw *w, const struct srv_sub_info *s)
{
    jw_obj_open(w, NULL);
    jw_str(w, "account", "$G");
    jw_str(w, "subject", s->subject);
    if (s->queue)
        jw_str(w, "qgroup", s->queue);
    jw_str(w, "sid", s->sid);
    jw_uint(w, "msgs", s->msgs);
    if (s->max)
        jw_uint(w, "max", s->max);
    jw_uint(w, "cid", s->cid);
    jw_obj_close(w);
}

void mon_ep_subsz(const struct mon_req *r, struct mon_resp *rs)
{
    struct subsz_opts o;
    if (subsz_parse(r, rs, &o) != 0)
        return;
    struct srv_subsz st = {0};
    struct srv_subs subs = {0};
    if (!o.other_account) {
        srv_stats_subsz(r->m->srv, &st);
        if (o.subs)
            srv_stats_subs(r->m->srv, &subs);
    }
    size_t n = 0; /* matching subscriptions, compacted to the front */
    for (size_t i = 0; i < subs.n; i++) {
        const char *f = subs.v[i].subject;
        if (*o.test && !subj_matches(f, strlen(f), o.test, strlen(o.test)))
            continue;
        struct srv_sub_info t = subs.v[n];
        subs.v[n++] = subs.v[i];
        subs.v[i] = t;
    }
    size_t lo = (size_t)o.offset < n ? (size_t)o.offset : n;
    size_t hi = (uint64_t)o.offset + (uint64_t)o.limit < n ? (size_t)(o.offset + o.limit) : n;
    struct jw w;
    jw_init(&w, &rs->body);
    jw_obj_open(&w, NULL);
    if (hi > lo) { /* nats-server sends the bare statistics for an empty page */
        jw_str(&w, "server_id", srv_server_id(r->m->srv));
        jw_time(&w, "now", clock_real_ns());
    }
    subsz_stats_of(&st, &w);
    if (hi > lo) {
        jw_uint(&w, "total", hi - lo);
        jw_int(&w, "offset", o.offset);
        jw_int(&w, "limit", o.limit);
        jw_arr_open(&w, "subscriptions_list");
        for (size_t i = lo; i < hi; i++)
            sub_detail_json(&w, &subs.v[i]);
        jw_arr_close(&w);
    }
    jw_obj_close(&w);
    srv_subs_deinit(&subs);
}

/* ---- accounts ---- */

static void account_detail(struct monitor *m, struct jw *w)
{
    struct srv_varz v;
    srv_stats_varz(m->srv, &v);
    jw_obj_open(w, "account_detail");
    jw_str(w, "account_name", "$G");
    jw_time(w, "update_time", v.start_real_ns);
    jw_bool(w, "expired", false);
    jw_bool(w, "complete", true);
    jw_bool(w, "jetstream_enabled", m->js != NULL);
    jw_int(w, "leafnode_connections", 0);
    jw_int(w, "client_connections", v.connections);
    jw_uint(w, "subscriptions", v.subscriptions);
    jw_obj_open(w, "sublist_stats");
    mon_subsz_stats(m, w);
    jw_obj_close(w);
    jw_obj_close(w);
}

void mon_ep_accountz(const struct mon_req *r, struct mon_resp *rs)
{
    const char *acc = mon_query(r, "acc");
    if (*acc && strcmp(acc, "$G") != 0) {
        mon_resp_error(rs, 400, "Account %s does not exist", acc);
        return;
    }
    struct jw w;
    jw_init(&w, &rs->body);
    jw_obj_open(&w, NULL);
    jw_str(&w, "server_id", srv_server_id(r->m->srv));
    jw_time(&w, "now", clock_real_ns());
    if (*acc) {
        account_detail(r->m, &w);
    } else {
        jw_arr_open(&w, "accounts");
        jw_str(&w, NULL, "$G");
        jw_arr_close(&w);
    }
    jw_obj_close(&w);
}

void mon_ep_accstatz(const struct mon_req *r, struct mon_resp *rs)
{
    bool unused;
    if (mon_q_bool(r, rs, "unused", &unused))
        return;
    struct srv_varz v;
    srv_stats_varz(r->m->srv, &v);
    struct jw w;
    jw_init(&w, &rs->body);
    jw_obj_open(&w, NULL);
    jw_str(&w, "server_id", v.server_id);
    jw_time(&w, "now", clock_real_ns());
    jw_arr_open(&w, "account_statz");
    if (unused || v.connections > 0) {
        jw_obj_open(&w, NULL);
        jw_str(&w, "acc", "$G");
        jw_int(&w, "conns", v.connections);
        jw_int(&w, "leafnodes", 0);
        jw_int(&w, "total_conns", v.connections);
        jw_obj_open(&w, "sent");
        jw_uint(&w, "msgs", v.out_msgs);
        jw_uint(&w, "bytes", v.out_bytes);
        jw_obj_close(&w);
        jw_obj_open(&w, "received");
        jw_uint(&w, "msgs", v.in_msgs);
        jw_uint(&w, "bytes", v.in_bytes);
        jw_obj_close(&w);
        jw_uint(&w, "slow_consumers", v.slow_consumers);
        jw_obj_close(&w);
    }
    jw_arr_close(&w);
    jw_obj_close(&w);
}

/* ---- clustering placeholders ---- */

static void id_and_now(const struct mon_req *r, struct jw *w, struct buf *b)
{
    jw_init(w, b);
    jw_obj_open(w, NULL);
    jw_str(w, "server_id", srv_server_id(r->m->srv));
    jw_time(w, "now", clock_real_ns());
}

void mon_ep_routez(const struct mon_req *r, struct mon_resp *rs)
{
    bool subs;
    if (strcasecmp(mon_query(r, "subs"), "detail") != 0 && mon_q_bool(r, rs, "subs", &subs))
        return;
    struct jw w;
    id_and_now(r, &w, &rs->body);
    jw_int(&w, "num_routes", 0);
    jw_arr_open(&w, "routes");
    jw_arr_close(&w);
    jw_obj_close(&w);
}

void mon_ep_gatewayz(const struct mon_req *r, struct mon_resp *rs)
{
    bool accs;
    if (mon_q_bool(r, rs, "accs", &accs))
        return;
    struct jw w;
    id_and_now(r, &w, &rs->body);
    jw_obj_open(&w, "outbound_gateways");
    jw_obj_close(&w);
    jw_obj_open(&w, "inbound_gateways");
    jw_obj_close(&w);
    jw_obj_close(&w);
}

void mon_ep_leafz(const struct mon_req *r, struct mon_resp *rs)
{
    bool subs;
    if (mon_q_bool(r, rs, "subs", &subs))
        return;
    struct jw w;
    id_and_now(r, &w, &rs->body);
    jw_int(&w, "leafnodes", 0);
    jw_null(&w, "leafs");
    jw_obj_close(&w);
}

void mon_ep_ipqueuesz(const struct mon_req *r, struct mon_resp *rs)
{
    bool all;
    if (mon_q_bool(r, rs, "all", &all))
        return;
    buf_append_str(&rs->body, "{}");
}
