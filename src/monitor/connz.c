/* /connz: open and recently closed connections with nats-server's query
 * parameters (sort, auth, subs, offset, limit, cid, state, user, acc), its
 * validation errors and its quirks (Total counts before the user filter; a
 * cid lookup with state=all searches the closed ones only). */
#include "monitor/mon_int.h"
#include "server/stats.h"
#include "util/clock.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CONNZ_DEFAULT_LIMIT 1024

enum conn_state { ST_OPEN = 0, ST_CLOSED, ST_ALL };

enum sort_by {
    BY_CID = 0,
    BY_START,
    BY_SUBS,
    BY_PENDING,
    BY_MSGS_TO,
    BY_MSGS_FROM,
    BY_BYTES_TO,
    BY_BYTES_FROM,
    BY_LAST,
    BY_IDLE,
    BY_UPTIME,
    BY_STOP,
    BY_REASON,
};

static const char *const sort_names[] = {
    "cid",        "start", "subs", "pending", "msgs_to", "msgs_from", "bytes_to",
    "bytes_from", "last",  "idle", "uptime",  "stop",    "reason",
};

struct connz_opts {
    enum sort_by sort;
    bool auth, subs, subs_detail;
    int64_t offset, limit;
    uint64_t cid;
    enum conn_state state;
    const char *user;
    const char *acc;
};

/* Reads and checks the parameters; returns -1 with the 400 set. */
static int connz_parse(const struct mon_req *r, struct mon_resp *rs, struct connz_opts *o)
{
    memset(o, 0, sizeof(*o));
    const char *sort = mon_query(r, "sort");
    const char *subs = mon_query(r, "subs");
    const char *state = mon_query(r, "state");
    if (mon_q_bool(r, rs, "auth", &o->auth))
        return -1;
    o->subs_detail = strcasecmp(subs, "detail") == 0;
    if (!o->subs_detail && mon_q_bool(r, rs, "subs", &o->subs))
        return -1;
    if (mon_q_int(r, rs, "offset", &o->offset) || mon_q_int(r, rs, "limit", &o->limit) ||
        mon_q_uint(r, rs, "cid", &o->cid))
        return -1;
    if (!*state || strcasecmp(state, "open") == 0) {
        o->state = ST_OPEN;
    } else if (strcasecmp(state, "closed") == 0) {
        o->state = ST_CLOSED;
    } else if (strcasecmp(state, "any") == 0 || strcasecmp(state, "all") == 0) {
        o->state = ST_ALL;
    } else {
        mon_resp_error(rs, 400, "Error decoding state for %s", state);
        return -1;
    }
    o->user = mon_query(r, "user");
    o->acc = mon_query(r, "acc");
    bool found = !*sort;
    for (size_t i = 0; *sort && i < sizeof(sort_names) / sizeof(sort_names[0]); i++)
        if (strcmp(sort, sort_names[i]) == 0) {
            o->sort = (enum sort_by)i;
            found = true;
        }
    if (!found) {
        mon_resp_error(rs, 400, "invalid sorting option: %s", sort);
        return -1;
    }
    if (o->offset < 0)
        o->offset = 0;
    if (o->limit <= 0)
        o->limit = CONNZ_DEFAULT_LIMIT;
    if ((o->sort == BY_STOP || o->sort == BY_REASON) && o->state != ST_CLOSED) {
        mon_resp_error(rs, 400, "sort by %s only valid on closed connections", sort_names[o->sort]);
        return -1;
    }
    if (o->cid > 0)
        o->limit = 1;
    return 0;
}

/* ---- sorting ---- */

struct sort_ctx {
    enum sort_by by;
    int64_t now;
};

static int64_t uptime_of(const struct srv_conn_info *c, int64_t now)
{
    return (c->stop_ns ? c->stop_ns : now) - c->start_ns;
}

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

/* Ascending by cid, start, uptime and reason; descending otherwise, as
 * nats-server sorts. */
static int conn_cmp(const void *pa, const void *pb, void *arg)
{
    const struct sort_ctx *sc = arg;
    const struct srv_conn_info *a = *(const struct srv_conn_info *const *)pa;
    const struct srv_conn_info *b = *(const struct srv_conn_info *const *)pb;
    switch (sc->by) {
    case BY_SUBS:
        return CMP(b->num_subs, a->num_subs);
    case BY_PENDING:
        return CMP(b->pending, a->pending);
    case BY_MSGS_TO:
        return CMP(b->out_msgs, a->out_msgs);
    case BY_MSGS_FROM:
        return CMP(b->in_msgs, a->in_msgs);
    case BY_BYTES_TO:
        return CMP(b->out_bytes, a->out_bytes);
    case BY_BYTES_FROM:
        return CMP(b->in_bytes, a->in_bytes);
    case BY_LAST:
        return CMP(b->last_ns, a->last_ns);
    case BY_IDLE:
        return CMP(sc->now - b->last_ns, sc->now - a->last_ns);
    case BY_UPTIME:
        return CMP(uptime_of(a, sc->now), uptime_of(b, sc->now));
    case BY_STOP:
        return CMP(b->stop_ns, a->stop_ns);
    case BY_REASON:
        return strcmp(a->reason ? a->reason : "", b->reason ? b->reason : "");
    default:
        return CMP(a->cid, b->cid);
    }
}

/* ---- rendering ---- */

static void conn_subs_json(struct jw *w, const struct srv_conn_info *c, bool detail)
{
    if (c->nsubs == 0)
        return;
    jw_arr_open(w, detail ? "subscriptions_list_detail" : "subscriptions_list");
    for (size_t i = 0; i < c->nsubs; i++) {
        const struct srv_sub_info *s = &c->subs[i];
        if (!detail) {
            jw_str(w, NULL, s->subject);
            continue;
        }
        jw_obj_open(w, NULL);
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
    jw_arr_close(w);
}

static void conn_json(struct jw *w, const struct srv_conn_info *c, int64_t now,
                      const struct connz_opts *o)
{
    char tmp[64];
    int64_t at = c->stop_ns ? c->stop_ns : now;
    jw_obj_open(w, NULL);
    jw_uint(w, "cid", c->cid);
    jw_str(w, "kind", "Client");
    jw_str(w, "type", "nats");
    jw_str(w, "ip", c->ip);
    jw_int(w, "port", c->port);
    jw_time(w, "start", c->start_ns);
    jw_time(w, "last_activity", c->last_ns);
    if (c->stop_ns) {
        jw_time(w, "stop", c->stop_ns);
        jw_str(w, "reason", c->reason);
    }
    mon_fmt_rtt(c->rtt_ns, tmp, sizeof(tmp));
    jw_str(w, "rtt", tmp);
    mon_fmt_uptime(at - c->start_ns, tmp, sizeof(tmp));
    jw_str(w, "uptime", tmp);
    mon_fmt_uptime(at - c->last_ns, tmp, sizeof(tmp));
    jw_str(w, "idle", tmp);
    jw_uint(w, "pending_bytes", c->pending);
    jw_uint(w, "in_msgs", c->in_msgs);
    jw_uint(w, "out_msgs", c->out_msgs);
    jw_uint(w, "in_bytes", c->in_bytes);
    jw_uint(w, "out_bytes", c->out_bytes);
    jw_uint(w, "subscriptions", c->num_subs);
    if (c->name && *c->name)
        jw_str(w, "name", c->name);
    if (c->lang && *c->lang)
        jw_str(w, "lang", c->lang);
    if (c->version && *c->version)
        jw_str(w, "version", c->version);
    if (o->auth && c->user && *c->user)
        jw_str(w, "authorized_user", c->user);
    if (o->subs || o->subs_detail)
        conn_subs_json(w, c, o->subs_detail);
    jw_obj_close(w);
}

/* The response for an unknown account: nats-server returns before even
 * filling in its id. */
static void connz_no_account(struct jw *w, const struct connz_opts *o, int64_t now)
{
    jw_str(w, "server_id", "");
    jw_time(w, "now", now);
    jw_int(w, "num_connections", 0);
    jw_int(w, "total", 0);
    jw_int(w, "offset", o->offset);
    jw_int(w, "limit", o->limit);
    jw_null(w, "connections");
}

/* Keeps the connections the cid and user filters select. */
static size_t connz_select(const struct srv_conns *all, const struct connz_opts *o,
                           const struct srv_conn_info **sel)
{
    size_t n = 0;
    for (size_t i = 0; i < all->n; i++) {
        const struct srv_conn_info *c = &all->v[i];
        bool closed = c->stop_ns != 0;
        if (o->cid > 0) {
            /* nats-server looks in the closed ring for state closed and
             * all, among the open ones only for state open. */
            if (c->cid != o->cid || closed != (o->state != ST_OPEN))
                continue;
        }
        if (*o->user && (!c->user || strcmp(c->user, o->user) != 0))
            continue;
        sel[n++] = c;
    }
    return n;
}

void mon_ep_connz(const struct mon_req *r, struct mon_resp *rs)
{
    struct connz_opts o;
    if (connz_parse(r, rs, &o) != 0)
        return;
    struct jw w;
    int64_t now = clock_real_ns();
    jw_init(&w, &rs->body);
    jw_obj_open(&w, NULL);
    if (*o.acc && strcmp(o.acc, "$G") != 0) {
        connz_no_account(&w, &o, now);
        jw_obj_close(&w);
        return;
    }
    unsigned flags = (o.state != ST_CLOSED ? SRV_CONNS_OPEN : 0) |
                     (o.state != ST_OPEN ? SRV_CONNS_CLOSED : 0) |
                     (o.subs || o.subs_detail ? SRV_CONNS_SUBS : 0);
    struct srv_conns all;
    int rc = srv_stats_conns(r->m->srv, flags, &all);
    if (rc != 0) {
        mon_resp_error(rs, 503, "connections unavailable: %s", err_str(rc));
        return;
    }
    const struct srv_conn_info **sel = all.n ? calloc(all.n, sizeof(*sel)) : NULL;
    size_t n = connz_select(&all, &o, sel);
    struct sort_ctx sc = {.by = o.sort, .now = now};
    if (n > 1)
        qsort_r(sel, n, sizeof(*sel), conn_cmp, &sc);
    size_t lo = (size_t)o.offset < n ? (size_t)o.offset : n;
    size_t hi = (uint64_t)o.offset + (uint64_t)o.limit < n ? (size_t)(o.offset + o.limit) : n;
    jw_str(&w, "server_id", srv_server_id(r->m->srv));
    jw_time(&w, "now", now);
    jw_uint(&w, "num_connections", hi - lo);
    jw_uint(&w, "total", all.n);
    jw_int(&w, "offset", o.offset);
    jw_int(&w, "limit", o.limit);
    jw_arr_open(&w, "connections");
    for (size_t i = lo; i < hi; i++)
        conn_json(&w, sel[i], now, &o);
    jw_arr_close(&w);
    jw_obj_close(&w);
    free(sel);
    srv_conns_deinit(&all);
}
