/* Monitor internals shared by http.c (libmicrohttpd glue, routing, query
 * decoding, JSONP), json.c (the JSON writer and Go-style formatting) and one
 * file per group of endpoints. Not part of the public API.
 *
 * Endpoints build compact JSON with struct jw; http.c re-indents it the way
 * Go's json.MarshalIndent does, so responses read like nats-server's.
 */
#ifndef GN_MONITOR_INT_H
#define GN_MONITOR_INT_H

#include "monitor/monitor.h"
#include "util/buf.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Endpoints, for routing and http_req_stats. */
enum mon_ep {
    MON_EP_ROOT = 0,
    MON_EP_VARZ,
    MON_EP_CONNZ,
    MON_EP_ROUTEZ,
    MON_EP_GATEWAYZ,
    MON_EP_LEAFZ,
    MON_EP_SUBSZ,
    MON_EP_ACCOUNTZ,
    MON_EP_ACCSTATZ,
    MON_EP_JSZ,
    MON_EP_HEALTHZ,
    MON_EP_IPQUEUESZ,
    MON_EP_METRICS,
    MON_EP__COUNT
};

struct MHD_Daemon;

struct monitor {
    struct server *srv;
    struct jetstream *js; /* NULL when JetStream is off */
    const struct conf_opts *opts;
    struct MHD_Daemon *daemon;
    int port;                                  /* bound HTTP port */
    char base[256];                            /* http_base_path without trailing '/', "" = root */
    _Atomic uint64_t req_stats[MON_EP__COUNT]; /* requests served per endpoint */
    int64_t cpu_mono;                          /* last CPU sample (monitor thread) */
    uint64_t cpu_ticks;                        /* process CPU ticks at that sample */
    double cpu_pct;                            /* %CPU over the last sampling interval */
};

/* Path of endpoint <ep> as nats-server names it ("/varz", "/" for root). */
const char *mon_ep_path(enum mon_ep ep);

/* One request: the query string, decoded. */
struct mon_req {
    struct monitor *m;
    void *conn; /* struct MHD_Connection */
};

/* Value of query parameter <key> ("" when absent or empty), like Go's
 * url.Values.Get. Valid during the request. */
const char *mon_query(const struct mon_req *r, const char *key);

/* A response under construction. */
struct mon_resp {
    int status;        /* HTTP status (200 unless an error was set) */
    const char *ctype; /* Content-Type, static */
    bool json;         /* body is compact JSON: indent it, honour ?callback= */
    bool compact;      /* JSON sent as built (nats-server's /healthz) */
    struct buf body;
};

/* Replaces the body with the plain-text error <fmt...> and sets <status>. */
void mon_resp_error(struct mon_resp *rs, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* nats-server's query decoders: "" is false / 0; a bad value sets the 400
 * error nats-server sends ("Error decoding int for 'limit': strconv.Atoi:
 * parsing \"x\": invalid syntax") and returns -1, else 0. */
int mon_q_bool(const struct mon_req *r, struct mon_resp *rs, const char *key, bool *out);
int mon_q_int(const struct mon_req *r, struct mon_resp *rs, const char *key, int64_t *out);
int mon_q_uint(const struct mon_req *r, struct mon_resp *rs, const char *key, uint64_t *out);

/* ---- json.c: a compact JSON writer with automatic commas ---- */

#define JW_MAX_DEPTH 32

struct jw {
    struct buf *b;
    int depth;
    bool more[JW_MAX_DEPTH]; /* a value was written at this level: next needs ',' */
};

void jw_init(struct jw *w, struct buf *b);
/* Each writer takes the member name <key>, or NULL inside arrays and at the
 * top level. Strings use Go's escaping; NULL strings print "". */
void jw_obj_open(struct jw *w, const char *key);
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w, const char *key);
void jw_arr_close(struct jw *w);
void jw_str(struct jw *w, const char *key, const char *v);
void jw_int(struct jw *w, const char *key, int64_t v);
void jw_uint(struct jw *w, const char *key, uint64_t v);
void jw_bool(struct jw *w, const char *key, bool v);
void jw_null(struct jw *w, const char *key);
/* A float64 as Go's encoding/json prints it (shortest round-trip form). */
void jw_double(struct jw *w, const char *key, double v);
/* A wall-clock time (ns) as Go's RFC 3339 with nanoseconds, UTC. */
void jw_time(struct jw *w, const char *key, int64_t ns);
/* Embeds the compact JSON text <json> as a member value. */
void jw_raw(struct jw *w, const char *key, const char *json);

/* Appends <json> (compact) to <out> indented like Go's MarshalIndent(v, "",
 * "  "): one member per line, "{}" and "[]" for empty containers. */
void mon_json_indent(const char *json, size_t len, struct buf *out);
/* Formats a double like Go's strconv 'g' shortest form (Prometheus). */
size_t mon_fmt_double(double v, char *out, size_t cap);
/* nats-server's uptime form: "1y2d3h4m5s", "3m20s", "0s" (whole seconds). */
size_t mon_fmt_uptime(int64_t ns, char *out, size_t cap);
/* nats-server's RTT form: Go's Duration.String(), truncated to whole
 * microseconds between 1 µs and 1 ms. */
size_t mon_fmt_rtt(int64_t ns, char *out, size_t cap);

/* ---- endpoints ---- */

/* Builds /varz as compact JSON into <b> (also for /metrics). */
void mon_varz_build(struct monitor *m, struct buf *b);
/* Builds the sublist statistics object of /subsz into <w>'s current object. */
void mon_subsz_stats(struct monitor *m, struct jw *w);
/* Health: fills <status> ("ok", "error", "unavailable") and <err> (capacity
 * <cap>, "" when healthy); returns true when healthy. */
bool mon_health(struct monitor *m, bool js_enabled_only, char *status, size_t scap, char *err,
                size_t cap);

/* Endpoint handlers: read <r>'s query, fill <rs> (status, content type,
 * body; compact JSON unless rs->json is cleared). Monitor thread only. */
void mon_ep_root(const struct mon_req *r, struct mon_resp *rs);
void mon_ep_varz(const struct mon_req *r, struct mon_resp *rs);
void mon_ep_healthz(const struct mon_req *r, struct mon_resp *rs);
void mon_ep_connz(const struct mon_req *r, struct mon_resp *rs);
void mon_ep_subsz(const struct mon_req *r, struct mon_resp *rs);
void mon_ep_accountz(const struct mon_req *r, struct mon_resp *rs);
void mon_ep_accstatz(const struct mon_req *r, struct mon_resp *rs);
void mon_ep_routez(const struct mon_req *r, struct mon_resp *rs);
void mon_ep_gatewayz(const struct mon_req *r, struct mon_resp *rs);
void mon_ep_leafz(const struct mon_req *r, struct mon_resp *rs);
void mon_ep_ipqueuesz(const struct mon_req *r, struct mon_resp *rs);
void mon_ep_jsz(const struct mon_req *r, struct mon_resp *rs);
void mon_ep_metrics(const struct mon_req *r, struct mon_resp *rs);

/* ---- prom.c: Prometheus text exposition ---- */

struct prom_label {
    const char *name;
    const char *value;
};

struct prom_fam;

/* Metric families being collected; written sorted by name, each family's
 * samples together, as client_golang's registry does. */
struct prom {
    struct prom_fam *v;
    size_t n, cap;
};

void prom_init(struct prom *p);
/* Adds one sample <value> (already formatted) of family <name> (created with
 * <help> and <type> on first use) with labels <l>[<nl>] (sorted on output). */
void prom_add(struct prom *p, const char *name, const char *help, const char *type,
              const struct prom_label *l, size_t nl, const char *value);
void prom_add_u64(struct prom *p, const char *name, const char *help, const char *type,
                  const struct prom_label *l, size_t nl, uint64_t v);
void prom_add_i64(struct prom *p, const char *name, const char *help, const char *type,
                  const struct prom_label *l, size_t nl, int64_t v);
void prom_add_f64(struct prom *p, const char *name, const char *help, const char *type,
                  const struct prom_label *l, size_t nl, double v);
/* True when family <name> was added already. */
bool prom_has(const struct prom *p, const char *name);
/* Adds histogram family <name> from <h> (all zeros when NULL). */
struct hist;
void prom_add_hist(struct prom *p, const char *name, const char *help, const struct hist *h);
/* Writes every family to <out> sorted by name and frees them. */
void prom_write(struct prom *p, struct buf *out);

/* ---- metrics_js.c ---- */

/* Adds the exporter's JetStream series (namespace "nats") to <p>. */
void mon_metrics_js(struct monitor *m, struct prom *p);

#endif
