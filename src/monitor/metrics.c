/* /metrics: the series prometheus-nats-exporter (v0.20) produces when run
 * as the nats Helm chart runs it (-connz -routez -subz -varz -prefix=nats
 * -use_internal_server_id -jsz=all, plus -healthz), computed in-process,
 * and Gannet's latency histograms.
 *
 * /varz, /subsz and /routez go through the exporter's generic rule: every
 * numeric JSON field, nested objects flattened with '_', becomes the gauge
 * nats_<endpoint>_<path>{server_id}; a few string fields become a gauge of
 * 1 with a value label, RFC 3339 times become epoch milliseconds. /connz
 * and /healthz have fixed series. Names and types are the exporter's even
 * where promtool's naming lint disagrees (nats_connz_total, counters without
 * _total): dashboards query these names.
 */
#include "jetstream/js_json.h"
#include "jetstream/js_stats.h"
#include "monitor/mon_int.h"
#include "server/stats.h"
#include "util/hist.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONNZ_PAGE 1024 /* the exporter reads /connz's first, default page */

struct flat {
    struct prom *p;
    const char *ep; /* "varz", "subsz", "routez" */
    const char *server_id;
};

/* The exporter's skip list (fully qualified names) and label keys. */
static bool skipped(const char *fqn)
{
    static const char *const skip[] = {
        "leaf",
        "trusted_operators_claim",
        "cluster_tls_timeout",
        "cluster_cluster_port",
        "cluster_auth_timeout",
        "gateway_port",
        "gateway_auth_timeout",
        "gateway_tls_timeout",
        "gateway_connect_retries",
    };
    for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
        if (strcmp(fqn, skip[i]) == 0)
            return true;
    return false;
}

static bool label_key(const char *k)
{
    static const char *const keys[] = {"server_id", "server_name", "version", "domain",
                                       "leader",    "name",        "start",   "config_load_time"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(k, keys[i]) == 0)
            return true;
    return false;
}

/* The exporter's fqName: '/' becomes '_', '_' trimmed at both ends, runs of
 * '_' collapsed. */
static void sanitize(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        char c = *r == '/' ? '_' : *r;
        if (c == '_' && (w == s || w[-1] == '_'))
            continue;
        *w++ = c;
    }
    while (w > s && w[-1] == '_')
        w--;
    *w = '\0';
}

static void flat_value(struct flat *f, const char *key, const char fqn[512], json_t *v)
{
    char name[600];
    struct prom_label sid = {"server_id", f->server_id};
    snprintf(name, sizeof(name), "nats_%s_%s", f->ep, fqn);
    if (prom_has(f->p, name))
        return;
    if (json_is_integer(v)) {
        prom_add_i64(f->p, name, fqn, "gauge", &sid, 1, (int64_t)json_integer_value(v));
    } else if (json_is_real(v)) {
        prom_add_f64(f->p, name, fqn, "gauge", &sid, 1, json_real_value(v));
    } else if (json_is_string(v) && label_key(key)) {
        const char *s = json_string_value(v);
        int64_t ns;
        int32_t tz;
        if (js_time_parse(s, strlen(s), &ns, &tz) == 0) {
            prom_add_i64(f->p, name, fqn, "gauge", &sid, 1, ns / 1000000);
        } else {
            struct prom_label l[2] = {sid, {"value", s}};
            prom_add(f->p, name, fqn, "gauge", l, 2, "1");
        }
    }
}

static void flatten(struct flat *f, json_t *obj, const char *prefix)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        char fqn[512];
        snprintf(fqn, sizeof(fqn), "%s%s%s", prefix, *prefix ? "_" : "", key);
        sanitize(fqn);
        if (skipped(fqn))
            continue;
        if (json_is_object(v)) {
            char path[512];
            snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "_" : "", key);
            flatten(f, v, path);
        } else {
            flat_value(f, key, fqn, v);
        }
    }
}

static void flatten_json(struct monitor *m, struct prom *p, const char *ep, const struct buf *b)
{
    json_t *root = json_loadb(buf_head(b), buf_size(b), 0, NULL);
    struct flat f = {.p = p, .ep = ep, .server_id = srv_server_id(m->srv)};
    if (root && json_is_object(root))
        flatten(&f, root, "");
    json_decref(root);
}

/* /varz, /subsz and /routez through the generic rule. */
static void metrics_generic(struct monitor *m, struct prom *p)
{
    struct buf b;
    struct jw w;
    buf_init(&b);
    mon_varz_build(m, &b);
    flatten_json(m, p, "varz", &b);
    buf_clear(&b);
    jw_init(&w, &b);
    jw_obj_open(&w, NULL);
    mon_subsz_stats(m, &w);
    jw_obj_close(&w);
    flatten_json(m, p, "subsz", &b);
    buf_clear(&b);
    jw_init(&w, &b);
    jw_obj_open(&w, NULL);
    jw_str(&w, "server_id", srv_server_id(m->srv));
    jw_int(&w, "num_routes", 0);
    jw_obj_close(&w);
    flatten_json(m, p, "routez", &b);
    buf_deinit(&b);
}

static int by_cid(const void *a, const void *b)
{
    uint64_t x = ((const struct srv_conn_info *)a)->cid, y = ((const struct srv_conn_info *)b)->cid;
    return x < y ? -1 : x > y;
}

/* The connz collector: totals over the first page of open connections. */
static void metrics_connz(struct monitor *m, struct prom *p)
{
    struct srv_conns all;
    if (srv_stats_conns(m->srv, SRV_CONNS_OPEN, &all) != 0)
        return;
    if (all.n > 1)
        qsort(all.v, all.n, sizeof(*all.v), by_cid);
    size_t page = all.n < CONNZ_PAGE ? all.n : CONNZ_PAGE;
    uint64_t sum[6] = {0};
    for (size_t i = 0; i < page; i++) {
        sum[0] += all.v[i].pending;
        sum[1] += all.v[i].num_subs;
        sum[2] += all.v[i].in_bytes;
        sum[3] += all.v[i].out_bytes;
        sum[4] += all.v[i].in_msgs;
        sum[5] += all.v[i].out_msgs;
    }
    static const char *const names[] = {"pending_bytes", "subscriptions", "in_bytes",
                                        "out_bytes",     "in_msgs",       "out_msgs"};
    struct prom_label sid = {"server_id", srv_server_id(m->srv)};
    char name[128];
    prom_add_u64(p, "nats_connz_num_connections", "num_connections", "gauge", &sid, 1, page);
    prom_add_u64(p, "nats_connz_total", "total", "gauge", &sid, 1, all.n);
    prom_add_u64(p, "nats_connz_offset", "offset", "gauge", &sid, 1, 0);
    prom_add_u64(p, "nats_connz_limit", "limit", "gauge", &sid, 1, CONNZ_PAGE);
    for (size_t i = 0; i < 6; i++) {
        snprintf(name, sizeof(name), "nats_connz_%s", names[i]);
        prom_add_u64(p, name, names[i], i < 2 ? "gauge" : "counter", &sid, 1, sum[i]);
    }
    srv_conns_deinit(&all);
}

static void metrics_healthz(struct monitor *m, struct prom *p)
{
    char status[32], err[512];
    bool ok = mon_health(m, false, status, sizeof(status), err, sizeof(err));
    struct prom_label l[2] = {{"server_id", srv_server_id(m->srv)}, {"value", status}};
    prom_add(p, "nats_healthz_status", "status", "gauge", l, 1, ok ? "0" : "1");
    prom_add(p, "nats_healthz_status_value", "status", "gauge", l, 2, ok ? "1" : "0");
}

static void metrics_hist(struct monitor *m, struct prom *p)
{
    prom_add_hist(p, "gannet_jetstream_publish_ack_seconds",
                  "Time from a JetStream publish reaching its stream to the PubAck being sent "
                  "(file streams: includes the group-commit sync).",
                  js_stats_hist(m->js, HIST_JS_PUBLISH_ACK));
    prom_add_hist(p, "gannet_store_sync_seconds",
                  "Duration of one file-store sync (fdatasync of the blocks written since the "
                  "last one).",
                  js_stats_hist(m->js, HIST_STORE_SYNC));
    prom_add_hist(p, "gannet_consumer_ack_seconds",
                  "Time from a consumer delivering a message to the client acknowledging it.",
                  js_stats_hist(m->js, HIST_CONSUMER_ACK));
}

void mon_ep_metrics(const struct mon_req *r, struct mon_resp *rs)
{
    struct prom p;
    prom_init(&p);
    metrics_generic(r->m, &p);
    metrics_connz(r->m, &p);
    metrics_healthz(r->m, &p);
    mon_metrics_js(r->m, &p);
    metrics_hist(r->m, &p);
    rs->json = false;
    rs->ctype = "text/plain; version=0.0.4; charset=utf-8";
    prom_write(&p, &rs->body);
}
