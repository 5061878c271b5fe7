/* /varz (server figures and options), /healthz (readiness, JetStream and
 * store health) and the root page. */
#include "jetstream/js_stats.h"
#include "monitor/mon_int.h"
#include "server/stats.h"
#include "util/clock.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- process figures ---- */

/* Resident set size in bytes (0 if unknown). */
static int64_t rss_bytes(void)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
        rss = 0;
    fclose(f);
    return (int64_t)rss * sysconf(_SC_PAGESIZE);
}

/* User plus system CPU time of the process, in clock ticks. */
static uint64_t cpu_ticks(void)
{
    char line[1024];
    FILE *f = fopen("/proc/self/stat", "r");
    if (!f)
        return 0;
    size_t n = fread(line, 1, sizeof(line) - 1, f);
    fclose(f);
    line[n] = '\0';
    const char *p = strrchr(line, ')'); /* the command name may hold spaces */
    unsigned long long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return 0;
    return ut + st;
}

/* %CPU over the last second or so (nats-server samples once a second);
 * monitor thread only. */
static double cpu_percent(struct monitor *m, int64_t start_real_ns)
{
    int64_t now = clock_mono_ns();
    uint64_t ticks = cpu_ticks();
    double hz = (double)sysconf(_SC_CLK_TCK);
    if (m->cpu_mono == 0) {
        double up = (double)(clock_real_ns() - start_real_ns) / 1e9;
        m->cpu_pct = up > 0 ? (double)ticks / hz / up * 100 : 0;
    } else if (now - m->cpu_mono >= NS_PER_SEC) {
        double dt = (double)(now - m->cpu_mono) / 1e9;
        m->cpu_pct = (double)(ticks - m->cpu_ticks) / hz / dt * 100;
    } else {
        return round(m->cpu_pct * 10) / 10;
    }
    m->cpu_mono = now;
    m->cpu_ticks = ticks;
    return round(m->cpu_pct * 10) / 10;
}

/* ---- /varz ---- */

static void varz_jetstream(struct monitor *m, struct jw *w)
{
    jw_obj_open(w, "jetstream");
    if (m->js) {
        struct js_stats st;
        js_stats_get(m->js, 0, &st);
        jw_obj_open(w, "config");
        jw_int(w, "max_memory", st.max_memory);
        jw_int(w, "max_storage", st.max_storage);
        jw_str(w, "store_dir", st.store_dir);
        if (st.domain)
            jw_str(w, "domain", st.domain);
        jw_obj_close(w);
        jw_obj_open(w, "stats");
        jw_uint(w, "memory", st.memory);
        jw_uint(w, "storage", st.storage);
        jw_uint(w, "reserved_memory", 0);
        jw_uint(w, "reserved_storage", 0);
        jw_int(w, "accounts", 1);
        jw_int(w, "ha_assets", 0);
        jw_obj_open(w, "api");
        jw_uint(w, "total", st.api_total);
        jw_uint(w, "errors", st.api_errors);
        jw_obj_close(w);
        jw_obj_close(w);
        js_stats_deinit(&st);
    }
    jw_obj_close(w);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* http_req_stats: the endpoints asked for so far, keys sorted as Go's
 * encoding/json sorts map keys. */
static void varz_req_stats(struct monitor *m, struct jw *w)
{
    const char *keys[MON_EP__COUNT];
    size_t n = 0;
    for (int ep = 0; ep < MON_EP__COUNT; ep++)
        if (atomic_load(&m->req_stats[ep]))
            keys[n++] = mon_ep_path((enum mon_ep)ep);
    qsort(keys, n, sizeof(keys[0]), cmp_str);
    jw_obj_open(w, "http_req_stats");
    for (size_t i = 0; i < n; i++)
        for (int ep = 0; ep < MON_EP__COUNT; ep++)
            if (strcmp(mon_ep_path((enum mon_ep)ep), keys[i]) == 0)
                jw_uint(w, keys[i], atomic_load(&m->req_stats[ep]));
    jw_obj_close(w);
}

static void varz_options(struct monitor *m, struct jw *w, const struct srv_varz *v)
{
    const struct conf_opts *o = m->opts;
    const char *host = o->host && *o->host ? o->host : "0.0.0.0";
    jw_str(w, "host", host);
    jw_int(w, "port", v->port);
    if (v->auth_required)
        jw_bool(w, "auth_required", true);
    jw_int(w, "max_connections", o->max_connections);
    if (o->max_subscriptions > 0)
        jw_int(w, "max_subscriptions", o->max_subscriptions);
    jw_int(w, "ping_interval", o->ping_interval_ns);
    jw_int(w, "ping_max", o->ping_max);
    jw_str(w, "http_host", o->http_host && *o->http_host ? o->http_host : host);
    jw_int(w, "http_port", m->port);
    jw_str(w, "http_base_path", o->http_base_path ? o->http_base_path : "");
    jw_int(w, "https_port", o->https_port);
    jw_double(w, "auth_timeout", (double)o->auth_timeout_ns / 1e9);
    jw_int(w, "max_control_line", o->max_control_line);
    jw_int(w, "max_payload", o->max_payload);
    jw_int(w, "max_pending", o->max_pending);
    static const char *const empty[] = {"cluster", "gateway", "leaf", "mqtt", "websocket"};
    for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
        jw_obj_open(w, empty[i]);
        jw_obj_close(w);
    }
    varz_jetstream(m, w);
    jw_double(w, "tls_timeout", 2);
    jw_int(w, "write_deadline", o->write_deadline_ns);
}

void mon_varz_build(struct monitor *m, struct buf *b)
{
    struct srv_varz v;
    struct jw w;
    char up[64];
    srv_stats_varz(m->srv, &v);
    int64_t now = clock_real_ns();
    jw_init(&w, b);
    jw_obj_open(&w, NULL);
    jw_str(&w, "server_id", v.server_id);
    jw_str(&w, "server_name", v.server_name);
    jw_str(&w, "version", GANNET_NATS_COMPAT_VERSION);
    jw_int(&w, "proto", 1);
    jw_str(&w, "go", "gannet-server " GANNET_OWN_VERSION);
    varz_options(m, &w, &v);
    jw_time(&w, "start", v.start_real_ns);
    jw_time(&w, "now", now);
    mon_fmt_uptime(now - v.start_real_ns, up, sizeof(up));
    jw_str(&w, "uptime", up);
    jw_int(&w, "mem", rss_bytes());
    jw_int(&w, "cores", sysconf(_SC_NPROCESSORS_ONLN));
    jw_int(&w, "gomaxprocs", v.workers);
    jw_double(&w, "cpu", cpu_percent(m, v.start_real_ns));
    jw_int(&w, "connections", v.connections);
    jw_uint(&w, "total_connections", v.total_connections);
    jw_int(&w, "routes", 0);
    jw_int(&w, "remotes", 0);
    jw_int(&w, "leafnodes", 0);
    jw_uint(&w, "in_msgs", v.in_msgs);
    jw_uint(&w, "out_msgs", v.out_msgs);
    jw_uint(&w, "in_bytes", v.in_bytes);
    jw_uint(&w, "out_bytes", v.out_bytes);
    jw_uint(&w, "slow_consumers", v.slow_consumers);
    jw_uint(&w, "subscriptions", v.subscriptions);
    varz_req_stats(m, &w);
    jw_time(&w, "config_load_time", v.start_real_ns);
    jw_obj_close(&w);
}

void mon_ep_varz(const struct mon_req *r, struct mon_resp *rs)
{
    mon_varz_build(r->m, &rs->body);
}

/* ---- /healthz ---- */

/* The store directory must exist and be writable. */
static bool store_accessible(struct monitor *m, char *err, size_t cap)
{
    const char *base = m->opts->store_dir && *m->opts->store_dir ? m->opts->store_dir : "/tmp/nats";
    char path[4096];
    snprintf(path, sizeof(path), "%s/jetstream/$G/streams", base);
    if (access(path, W_OK | X_OK) == 0)
        return true;
    snprintf(err, cap, "JetStream storage directory %s is not accessible: %s", path,
             strerror(errno));
    return false;
}

bool mon_health(struct monitor *m, bool js_enabled_only, char *status, size_t scap, char *err,
                size_t cap)
{
    struct srv_varz v;
    srv_stats_varz(m->srv, &v);
    snprintf(status, scap, "ok");
    err[0] = '\0';
    if (!v.ready) {
        snprintf(status, scap, "error");
        snprintf(err, cap, "failed to be ready for connections after 1ms: server");
        return false;
    }
    if (!m->opts->jetstream)
        return true;
    if (!m->js) {
        snprintf(status, scap, "unavailable");
        snprintf(err, cap, "JetStream not enabled");
        return false;
    }
    if (js_enabled_only)
        return true;
    if (!store_accessible(m, err, cap) || !js_stats_healthy(m->js, err, cap)) {
        snprintf(status, scap, "unavailable");
        return false;
    }
    return true;
}

void mon_ep_healthz(const struct mon_req *r, struct mon_resp *rs)
{
    bool js_enabled = false, js_only = false, server_only = false;
    if (mon_q_bool(r, rs, "js-enabled", &js_enabled) ||
        mon_q_bool(r, rs, "js-enabled-only", &js_only) ||
        mon_q_bool(r, rs, "js-server-only", &server_only))
        return;
    char status[32], err[512];
    /* Single server: js-server-only checks what the full check does. */
    if (!mon_health(r->m, js_enabled || js_only, status, sizeof(status), err, sizeof(err)))
        rs->status = 503;
    struct jw w;
    jw_init(&w, &rs->body);
    jw_obj_open(&w, NULL);
    jw_str(&w, "status", status);
    if (err[0])
        jw_str(&w, "error", err);
    jw_obj_close(&w);
    rs->compact = true;
}

/* ---- root page ---- */

void mon_ep_root(const struct mon_req *r, struct mon_resp *rs)
{
    static const char *const links[][2] = {
        {"varz", "General"},           {"jsz", "JetStream"},
        {"connz", "Connections"},      {"accountz", "Accounts"},
        {"accstatz", "Account Stats"}, {"subsz", "Subscriptions"},
        {"routez", "Routes"},          {"leafz", "LeafNodes"},
        {"gatewayz", "Gateways"},      {"metrics", "Prometheus Metrics"},
    };
    const char *base = r->m->base;
    rs->json = false;
    rs->ctype = "text/html; charset=utf-8";
    buf_appendf(&rs->body,
                "<html lang=\"en\">\n  <head>\n    <title>gannet-server</title>\n  </head>\n"
                "  <body>\n    <h3>gannet-server v%s (nats-server v%s compatible)</h3>\n",
                GANNET_OWN_VERSION, GANNET_NATS_COMPAT_VERSION);
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
        buf_appendf(&rs->body, "    <a href=.%s/%s>%s</a><br/>\n", base, links[i][0], links[i][1]);
    buf_appendf(&rs->body, "    <a href=.%s/healthz class=last>Health Probe</a><br/>\n", base);
    buf_append_str(&rs->body, "  </body>\n</html>");
}
