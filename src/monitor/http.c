/* The monitor's HTTP side: libmicrohttpd on one internal thread, routing by
 * path (under http_base_path), nats-server's query decoding and error texts,
 * JSONP (?callback=) and Content-Type, and the per-endpoint request counts
 * /varz reports as http_req_stats. */
#include "monitor/mon_int.h"
#include "net/net.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MON_MAX_CONNS    256 /* concurrent HTTP connections */
#define MON_CONN_TIMEOUT 30  /* seconds of silence before a connection is dropped */

typedef void (*mon_handler)(const struct mon_req *r, struct mon_resp *rs);

struct route {
    const char *path;
    enum mon_ep ep;
    mon_handler fn;
};

static const struct route routes[] = {
    {"/varz", MON_EP_VARZ, mon_ep_varz},
    {"/connz", MON_EP_CONNZ, mon_ep_connz},
    {"/routez", MON_EP_ROUTEZ, mon_ep_routez},
    {"/gatewayz", MON_EP_GATEWAYZ, mon_ep_gatewayz},
    {"/leafz", MON_EP_LEAFZ, mon_ep_leafz},
    {"/subsz", MON_EP_SUBSZ, mon_ep_subsz},
    {"/subscriptionsz", MON_EP_SUBSZ, mon_ep_subsz},
    {"/accountz", MON_EP_ACCOUNTZ, mon_ep_accountz},
    {"/accstatz", MON_EP_ACCSTATZ, mon_ep_accstatz},
    {"/jsz", MON_EP_JSZ, mon_ep_jsz},
    {"/healthz", MON_EP_HEALTHZ, mon_ep_healthz},
    {"/ipqueuesz", MON_EP_IPQUEUESZ, mon_ep_ipqueuesz},
    {"/metrics", MON_EP_METRICS, mon_ep_metrics},
};

const char *mon_ep_path(enum mon_ep ep)
{
    if (ep == MON_EP_ROOT)
        return "/";
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
        if (routes[i].ep == ep)
            return routes[i].path;
    return "/";
}

/* ---- queries ---- */

const char *mon_query(const struct mon_req *r, const char *key)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
    return v ? v : "";
}

void mon_resp_error(struct mon_resp *rs, int status, const char *fmt, ...)
{
    va_list ap;
    char text[1024];
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    buf_clear(&rs->body);
    buf_append_str(&rs->body, text);
    rs->status = status;
    rs->json = false;
    rs->ctype = "text/plain; charset=utf-8";
}

/* Go's strconv.ParseBool. */
static bool parse_go_bool(const char *s, bool *out)
{
    static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (size_t i = 0; i < 6; i++) {
        if (strcmp(s, t[i]) == 0)
            return (*out = true);
        if (strcmp(s, f[i]) == 0)
            return !(*out = false);
    }
    return false;
}

int mon_q_bool(const struct mon_req *r, struct mon_resp *rs, const char *key, bool *out)
{
    const char *s = mon_query(r, key);
    *out = false;
    if (!*s || parse_go_bool(s, out))
        return 0;
    mon_resp_error(rs, 400,
                   "Error decoding boolean for '%s': strconv.ParseBool: parsing \"%s\": invalid "
                   "syntax",
                   key, s);
    return -1;
}

/* strtoll/strtoull with Go's errors: returns NULL or the reason text. */
static const char *parse_go_int(const char *s, bool is_unsigned, int64_t *i, uint64_t *u)
{
    char *end = NULL;
    errno = 0;
    if (is_unsigned) {
        if (*s < '0' || *s > '9')
            return "invalid syntax";
        *u = strtoull(s, &end, 10);
    } else {
        if (!((*s >= '0' && *s <= '9') || ((*s == '+' || *s == '-') && s[1] >= '0' && s[1] <= '9')))
            return "invalid syntax";
        *i = strtoll(s, &end, 10);
    }
    if (*end)
        return "invalid syntax";
    return errno == ERANGE ? "value out of range" : NULL;
}

int mon_q_int(const struct mon_req *r, struct mon_resp *rs, const char *key, int64_t *out)
{
    const char *s = mon_query(r, key);
    uint64_t unused;
    *out = 0;
    if (!*s)
        return 0;
    const char *why = parse_go_int(s, false, out, &unused);
    if (!why)
        return 0;
    mon_resp_error(rs, 400, "Error decoding int for '%s': strconv.Atoi: parsing \"%s\": %s", key, s,
                   why);
    return -1;
}

int mon_q_uint(const struct mon_req *r, struct mon_resp *rs, const char *key, uint64_t *out)
{
    const char *s = mon_query(r, key);
    int64_t unused;
    *out = 0;
    if (!*s)
        return 0;
    const char *why = parse_go_int(s, true, &unused, out);
    if (!why)
        return 0;
    mon_resp_error(rs, 400, "Error decoding uint64 for '%s': strconv.ParseUint: parsing \"%s\": %s",
                   key, s, why);
    return -1;
}

/* ---- dispatch ---- */

/* The handler for <url>, or NULL (404). */
static const struct route *route_of(const struct monitor *m, const char *url, bool *root)
{
    static const struct route root_route = {"/", MON_EP_ROOT, mon_ep_root};
    size_t bl = strlen(m->base);
    *root = false;
    if (bl) {
        if (strncmp(url, m->base, bl) != 0)
            return NULL;
        url += bl;
        if (!*url)
            return &root_route;
    } else if (strcmp(url, "/") == 0) {
        return &root_route;
    }
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
        if (strcmp(url, routes[i].path) == 0)
            return &routes[i];
    return NULL;
}

static enum MHD_Result send_resp(struct MHD_Connection *conn, int status, const char *ctype,
                                 const void *p, size_t n, bool nosniff)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(n, (void *)p, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    if (nosniff)
        MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    enum MHD_Result rc = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* Indents JSON bodies and wraps them for JSONP, as nats-server's
 * ResponseHandler does. */
static void finish_body(const struct mon_req *r, struct mon_resp *rs, struct buf *out)
{
    if (!rs->json) {
        buf_append(out, buf_head(&rs->body), buf_size(&rs->body));
        return;
    }
    const char *cb = mon_query(r, "callback");
    if (*cb) {
        buf_append_str(out, cb);
        buf_append_char(out, '(');
        rs->ctype = "application/javascript";
    }
    if (rs->compact)
        buf_append(out, buf_head(&rs->body), buf_size(&rs->body));
    else
        mon_json_indent(buf_head(&rs->body), buf_size(&rs->body), out);
    if (*cb)
        buf_append_char(out, ')');
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    static int started;
    struct monitor *m = cls;
    if (*con_cls == NULL) { /* headers only so far */
        *con_cls = &started;
        return MHD_YES;
    }
    if (*upload_size) { /* a body nobody reads */
        *upload_size = 0;
        return MHD_YES;
    }
    bool root;
    const struct route *rt = route_of(m, url, &root);
    if (!rt) {
        static const char nf[] = "404 page not found\n";
        return send_resp(conn, 404, "text/plain; charset=utf-8", nf, sizeof(nf) - 1, true);
    }
    atomic_fetch_add(&m->req_stats[rt->ep], 1);
    struct mon_req r = {.m = m, .conn = conn};
    struct mon_resp rs = {.status = 200, .ctype = "application/json", .json = true};
    buf_init(&rs.body);
    rt->fn(&r, &rs);
    struct buf out;
    buf_init(&out);
    finish_body(&r, &rs, &out);
    enum MHD_Result rc =
        send_resp(conn, rs.status, rs.ctype, buf_head(&out), buf_size(&out), false);
    buf_deinit(&out);
    buf_deinit(&rs.body);
    return rc;
}

/* ---- lifecycle ---- */

/* "/nats/" -> "/nats"; "" and "/" -> "" (served at the root). */
static void base_path_set(struct monitor *m, const char *p)
{
    m->base[0] = '\0';
    if (!p)
        return;
    while (*p == '/')
        p++;
    if (!*p)
        return;
    snprintf(m->base, sizeof(m->base), "/%s", p);
    size_t n = strlen(m->base);
    while (n > 1 && m->base[n - 1] == '/')
        m->base[--n] = '\0';
}

struct monitor *mon_start(struct server *s, struct jetstream *js, const struct conf_opts *opts,
                          struct errbuf *eb)
{
    const char *host = opts->http_host && *opts->http_host ? opts->http_host : opts->host;
    int port = opts->http_port < 0 ? 0 : opts->http_port;
    int fd = tcp_listen(host, port, 128, eb);
    if (fd < 0)
        return NULL;
    struct monitor *m = xcalloc(1, sizeof(*m));
    m->srv = s;
    m->js = js;
    m->opts = opts;
    m->port = tcp_local_port(fd);
    base_path_set(m, opts->http_base_path);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
    m->daemon =
        MHD_start_daemon(flags, 0, NULL, NULL, on_request, m, MHD_OPTION_LISTEN_SOCKET, fd,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned)MON_MAX_CONNS,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)MON_CONN_TIMEOUT, MHD_OPTION_END);
    if (!m->daemon) {
        errbuf_set(eb, ERR_IO, "cannot start the HTTP monitoring server on port %d", m->port);
        close(fd);
        free(m);
        return NULL;
    }
    log_notice("Starting http monitor on %s:%d", host && *host ? host : "0.0.0.0", m->port);
    return m;
}

int mon_port(const struct monitor *m)
{
    return m->port;
}

void mon_stop(struct monitor *m)
{
    if (!m)
        return;
    MHD_stop_daemon(m->daemon); /* closes the listening socket too */
    free(m);
}
