/* `server check connection|jetstream` (Nagios plugins), `server info` and `server ping`.
 *
 * Checks print one line "<STATUS> <Name> [Crit:..] [Warn:..] [OK:..] | <perfdata>" and exit
 * 0 (OK), 1 (WARNING), 2 (CRITICAL) or 3 (UNKNOWN, bad thresholds), as the nats CLI and every
 * Nagios-compatible monitor expect. `server info` works without a system account: it reads
 * the INFO line the server sends to every client, plus $JS.API.INFO when JetStream is on.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define CHECK_OK       0
#define CHECK_WARN     1
#define CHECK_CRIT     2
#define CHECK_UNKNOWN  3
#define CHECK_MAX_ITEM 16

/* One check result being built, rendered as Nagios text or JSON. */
struct check {
    const char *name;         /* "Connection", "JetStream" */
    const char *suite;        /* "connections", "jetstream" */
    json_t *crit, *warn, *ok; /* arrays of strings */
    json_t *perf;             /* array of {name, value, warning, critical, unit} */
};

static void check_init(struct check *c, const char *name, const char *suite)
{
    c->name = name;
    c->suite = suite;
    c->crit = json_array();
    c->warn = json_array();
    c->ok = json_array();
    c->perf = json_array();
}

static void check_add(json_t *list, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check_add(json_t *list, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    json_array_append_new(list, json_string(msg));
}

static void check_pd(struct check *c, const char *name, double v, double warn, double crit,
                     const char *unit)
{
    json_array_append_new(c->perf, json_pack("{s:s,s:f,s:f,s:f,s:s}", "name", name, "value", v,
                                             "warning", warn, "critical", crit, "unit", unit));
}

static void perf_num(double v, bool secs)
{
    if (secs)
        printf("%0.4f", v);
    else
        printf("%0.0f", v);
}

static void perf_print(const json_t *pd)
{
    const char *unit = json_string_value(json_object_get(pd, "unit"));
    bool secs = !strcmp(unit, "s");
    double warn = json_real_value(json_object_get(pd, "warning"));
    double crit = json_real_value(json_object_get(pd, "critical"));
    printf("%s=", json_string_value(json_object_get(pd, "name")));
    perf_num(json_real_value(json_object_get(pd, "value")), secs);
    printf("%s", unit);
    if (warn > 0 || crit > 0) {
        putchar(';');
        if (warn != 0)
            perf_num(warn, secs);
        if (crit != 0) {
            putchar(';');
            perf_num(crit, secs);
        }
    }
}

/* Prints the result in <format> and returns the Nagios exit code; frees <c>. */
static int check_finish(struct check *c, const char *format)
{
    static const char *names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
    int status = json_array_size(c->crit)   ? CHECK_CRIT
                 : json_array_size(c->warn) ? CHECK_WARN
                                            : CHECK_OK;
    size_t i;
    json_t *v;
    if (!strcmp(format, "json")) {
        json_t *j = json_pack("{s:s,s:s,s:s}", "status", names[status], "check_suite", c->suite,
                              "check_name", c->name);
        if (json_array_size(c->warn))
            json_object_set(j, "warning", c->warn);
        if (json_array_size(c->crit))
            json_object_set(j, "critical", c->crit);
        if (json_array_size(c->ok))
            json_object_set(j, "ok", c->ok);
        json_object_set(j, "perf_data", c->perf);
        cli_json_print(j);
        json_decref(j);
    } else {
        printf("%s %s", names[status], c->name);
        json_array_foreach(c->crit, i, v) printf(" Crit:%s", json_string_value(v));
        json_array_foreach(c->warn, i, v) printf(" Warn:%s", json_string_value(v));
        json_array_foreach(c->ok, i, v) printf(" OK:%s", json_string_value(v));
        if (json_array_size(c->perf)) {
            printf(" |");
            json_array_foreach(c->perf, i, v)
            {
                putchar(' ');
                perf_print(v);
            }
        }
        putchar('\n');
    }
    json_decref(c->crit);
    json_decref(c->warn);
    json_decref(c->ok);
    json_decref(c->perf);
    return status;
}

/* Reads a check threshold flag; on a bad value prints UNKNOWN and returns false. */
static bool check_dur(struct cli_run *r, const char *name, int64_t def, int64_t *out)
{
    const char *s = cli_str(r, name, NULL);
    *out = def;
    if (s && cli_parse_dur(s, out) != 0) {
        printf("UNKNOWN invalid duration %s for --%s\n", s, name);
        return false;
    }
    return true;
}

static int check_conn_run(struct cli_run *r)
{
    struct check c;
    int64_t cw, cc, rw, rc_, qw, qc;
    char err[1200], d[32], url[256] = "";
    const char *format = cli_str(r, "format", "nagios");
    if (!check_dur(r, "connect-warn", 500 * CLI_NS_PER_MS, &cw) ||
        !check_dur(r, "connect-critical", CLI_NS_PER_SEC, &cc) ||
        !check_dur(r, "rtt-warn", 500 * CLI_NS_PER_MS, &rw) ||
        !check_dur(r, "rtt-critical", CLI_NS_PER_SEC, &rc_) ||
        !check_dur(r, "req-warn", 500 * CLI_NS_PER_MS, &qw) ||
        !check_dur(r, "req-critical", CLI_NS_PER_SEC, &qc))
        return CHECK_UNKNOWN;
    check_init(&c, "Connection", "connections");
    int64_t t0 = cli_mono_ns();
    if (cli_connect_err(r, err, sizeof(err)) != 0) {
        check_add(c.crit, "connection failed: %s", err);
        return check_finish(&c, format);
    }
    int64_t ct = cli_mono_ns() - t0;
    natsConnection_GetConnectedUrl(r->nc, url, sizeof(url));
    check_pd(&c, "connect_time", (double)ct / 1e9, (double)cw / 1e9, (double)cc / 1e9, "s");
    if (ct >= cc)
        check_add(c.crit, "connected to %s, connect time exceeded %s", url,
                  cli_fmt_dur(d, sizeof(d), cc));
    else if (ct >= cw)
        check_add(c.warn, "connected to %s, connect time exceeded %s", url,
                  cli_fmt_dur(d, sizeof(d), cw));
    else
        check_add(c.ok, "connected to %s in %s", url, cli_fmt_dur(d, sizeof(d), ct));

    int64_t rtt = 0;
    natsStatus s = natsConnection_GetRTT(r->nc, &rtt);
    if (s != NATS_OK) {
        check_add(c.crit, "rtt failed: %s", cli_nats_err(s));
        return check_finish(&c, format);
    }
    check_pd(&c, "rtt", (double)rtt / 1e9, (double)rw / 1e9, (double)rc_ / 1e9, "s");
    if (rtt >= rc_)
        check_add(c.crit, "rtt time exceeded %s", cli_fmt_dur(d, sizeof(d), rc_));
    else if (rtt >= rw)
        check_add(c.warn, "rtt time exceeded %s", cli_fmt_dur(d, sizeof(d), rw));
    else
        check_add(c.ok, "rtt time %s", cli_fmt_dur(d, sizeof(d), rtt));

    /* Full round trip: publish a random payload to an inbox we subscribe to. */
    natsInbox *ib = NULL;
    natsSubscription *sub = NULL;
    natsMsg *m = NULL;
    char payload[101];
    for (int i = 0; i < 100; i++)
        payload[i] = (char)('a' + random() % 26);
    payload[100] = '\0';
    natsInbox_Create(&ib);
    int64_t t1 = cli_mono_ns();
    s = natsConnection_SubscribeSync(&sub, r->nc, ib);
    if (s == NATS_OK)
        s = natsConnection_PublishString(r->nc, ib, payload);
    if (s == NATS_OK)
        s = natsSubscription_NextMsg(&m, sub, r->timeout_ms);
    int64_t qt = cli_mono_ns() - t1;
    if (s != NATS_OK) {
        check_add(c.crit, "did not receive from %s: %s", ib, cli_nats_err(s));
    } else {
        check_pd(&c, "request_time", (double)qt / 1e9, (double)qw / 1e9, (double)qc / 1e9, "s");
        if (natsMsg_GetDataLength(m) != 100 || memcmp(natsMsg_GetData(m), payload, 100) != 0)
            check_add(c.crit, "did not receive expected message");
        if (qt >= qc)
            check_add(c.crit, "round trip request took %f", (double)qt / 1e9);
        else if (qt >= qw)
            check_add(c.warn, "round trip request took %f", (double)qt / 1e9);
        else
            check_add(c.ok, "round trip took %fs", (double)qt / 1e9);
    }
    natsMsg_Destroy(m);
    natsSubscription_Destroy(sub);
    natsInbox_Destroy(ib);
    return check_finish(&c, format);
}

static void js_check_val(struct check *c, const char *item, const char *unit, int64_t warn,
                         int64_t crit, int64_t max, int64_t cur)
{
    char name[64];
    int64_t pct = max > 0 ? (int64_t)((double)cur / (double)max * 100) : 0;
    check_pd(c, item, (double)cur, 0, 0, unit);
    snprintf(name, sizeof(name), "%s_pct", item);
    check_pd(c, name, (double)pct, (double)warn, (double)crit, "%");
    if (warn != -1 && crit != -1 && warn >= crit) {
        check_add(c->crit, "%s: invalid thresholds", item);
        return;
    }
    if (pct > 100) {
        check_add(c->crit, "%s: exceed server limits", item);
        return;
    }
    if (warn >= 0 && crit >= 0) {
        if (pct > crit)
            check_add(c->crit, "%lld%% %s", (long long)pct, item);
        else if (pct > warn)
            check_add(c->warn, "%lld%% %s", (long long)pct, item);
    }
}

static int check_js_run(struct cli_run *r)
{
    struct check c;
    char err[1200];
    int64_t th[8];
    static const char *const names[8] = {"mem-warn",       "mem-critical",      "store-warn",
                                         "store-critical", "streams-warn",      "streams-critical",
                                         "consumers-warn", "consumers-critical"};
    static const int64_t defs[8] = {75, 90, 75, 90, -1, -1, -1, -1};
    const char *format = cli_str(r, "format", "nagios");
    for (int i = 0; i < 8; i++) {
        const char *s = cli_str(r, names[i], NULL);
        th[i] = defs[i];
        if (s && cli_parse_int(s, &th[i]) != 0) {
            printf("UNKNOWN invalid value %s for --%s\n", s, names[i]);
            return CHECK_UNKNOWN;
        }
    }
    check_init(&c, "JetStream", "jetstream");
    if (cli_connect_err(r, err, sizeof(err)) != 0) {
        check_add(c.crit, "connection failed: %s", err);
        return check_finish(&c, format);
    }
    json_t *info = NULL;
    struct cli_jserr e;
    if (cli_js_call(r, "$JS.API.INFO", NULL, &info, &e) != 0) {
        check_add(c.crit, "JetStream not available: %s", e.desc);
        return check_finish(&c, format);
    }
    const json_t *lim = json_object_get(info, "limits");
#define JI(o, k) ((int64_t)json_integer_value(json_object_get((o), (k))))
    js_check_val(&c, "memory", "B", th[0], th[1], JI(lim, "max_memory"), JI(info, "memory"));
    js_check_val(&c, "storage", "B", th[2], th[3], JI(lim, "max_storage"), JI(info, "storage"));
    js_check_val(&c, "streams", "", th[4], th[5], JI(lim, "max_streams"), JI(info, "streams"));
    js_check_val(&c, "consumers", "", th[6], th[7], JI(lim, "max_consumers"),
                 JI(info, "consumers"));
#undef JI
    json_decref(info);
    return check_finish(&c, format);
}

/* ---- server info / ping ---- */

/* Reads the INFO JSON the connected server sends to new clients; NULL on failure. */
static json_t *server_info_fetch(struct cli_run *r)
{
    char url[256] = "", host[200] = "", port[16] = "4222", line[8192];
    if (natsConnection_GetConnectedUrl(r->nc, url, sizeof(url)) != NATS_OK)
        return NULL;
    const char *hp = strstr(url, "://") ? strstr(url, "://") + 3 : url;
    const char *at = strrchr(hp, '@');
    if (at)
        hp = at + 1;
    const char *colon = strrchr(hp, ':');
    size_t hl = colon ? (size_t)(colon - hp) : strlen(hp);
    snprintf(host, sizeof(host), "%.*s", (int)hl, hp);
    if (colon)
        snprintf(port, sizeof(port), "%s", colon + 1);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    if (getaddrinfo(host, port, &hints, &ai) != 0)
        return NULL;
    int fd = socket(ai->ai_family, SOCK_STREAM, 0);
    struct timeval tv = {r->timeout_ms / 1000, (r->timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    size_t n = 0;
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        while (n + 1 < sizeof(line)) {
            ssize_t k = read(fd, line + n, sizeof(line) - 1 - n);
            if (k <= 0)
                break;
            n += (size_t)k;
            line[n] = '\0';
            if (strstr(line, "\r\n"))
                break;
        }
    }
    if (fd >= 0)
        close(fd);
    freeaddrinfo(ai);
    line[n] = '\0';
    if (strncmp(line, "INFO ", 5) != 0)
        return NULL;
    char *end = strstr(line, "\r\n");
    if (end)
        *end = '\0';
    return json_loads(line + 5, 0, NULL);
}

static void info_print(const json_t *info, const json_t *js)
{
    char b[64];
#define S(k)                                                                                       \
    (json_string_value(json_object_get(info, k)) ? json_string_value(json_object_get(info, k)) : "")
#define B(k) (json_is_true(json_object_get(info, k)) ? "true" : "false")
    printf("Server information for %s (%s)\n\n", S("server_name"), S("server_id"));
    printf("Process Details:\n\n");
    cli_kv_line(18, "Version", "%s", S("version"));
    cli_kv_line(18, "Protocol", "%lld",
                (long long)json_integer_value(json_object_get(info, "proto")));
    cli_kv_line(18, "Go Version", "%s", S("go"));
    cli_kv_line(18, "Host", "%s:%lld", S("host"),
                (long long)json_integer_value(json_object_get(info, "port")));
    if (json_object_get(info, "gannet_version"))
        cli_kv_line(18, "Gannet Version", "%s", S("gannet_version"));
    printf("\nConnection Details:\n\n");
    cli_kv_line(18, "Auth Required", "%s", B("auth_required"));
    cli_kv_line(18, "TLS Required", "%s", B("tls_required"));
    cli_kv_line(18, "Headers", "%s", B("headers"));
    cli_kv_line(18, "Maximum Payload", "%s",
                cli_fmt_bytes(b, sizeof(b),
                              (double)json_integer_value(json_object_get(info, "max_payload"))));
    cli_kv_line(18, "Client ID", "%lld",
                (long long)json_integer_value(json_object_get(info, "client_id")));
    cli_kv_line(18, "JetStream", "%s", B("jetstream"));
    if (js) {
        const json_t *lim = json_object_get(js, "limits");
        printf("\nJetStream Account:\n\n");
        cli_kv_line(
            18, "Memory", "%s",
            cli_fmt_bytes(b, sizeof(b), (double)json_integer_value(json_object_get(js, "memory"))));
        cli_kv_line(18, "Storage", "%s",
                    cli_fmt_bytes(b, sizeof(b),
                                  (double)json_integer_value(json_object_get(js, "storage"))));
        cli_kv_line(18, "Streams", "%lld",
                    (long long)json_integer_value(json_object_get(js, "streams")));
        cli_kv_line(18, "Consumers", "%lld",
                    (long long)json_integer_value(json_object_get(js, "consumers")));
        cli_kv_line(18, "Max Streams", "%lld",
                    (long long)json_integer_value(json_object_get(lim, "max_streams")));
    }
#undef S
#undef B
}

static int info_run(struct cli_run *r)
{
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *info = server_info_fetch(r);
    if (!info)
        return cli_fail("could not read the server INFO from %s", cli_server_url(r));
    json_t *js = NULL;
    struct cli_jserr e;
    if (json_is_true(json_object_get(info, "jetstream")) &&
        cli_js_call(r, "$JS.API.INFO", NULL, &js, &e) != 0)
        js = NULL;
    if (cli_bool(r, "json", false)) {
        json_t *j = json_pack("{s:O}", "info", info);
        if (js)
            json_object_set(j, "jetstream", js);
        cli_json_print(j);
        json_decref(j);
    } else {
        info_print(info, js);
    }
    json_decref(info);
    json_decref(js);
    return 0;
}

static int ping_run(struct cli_run *r)
{
    int64_t count;
    char d[32];
    if (cli_int(r, "count", 1, &count) != 0)
        return CLI_EXIT_FAIL;
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *info = server_info_fetch(r);
    const char *name = info ? json_string_value(json_object_get(info, "server_name")) : NULL;
    char id[128] = "";
    natsConnection_GetConnectedServerId(r->nc, id, sizeof(id));
    int64_t min = INT64_MAX, max = 0, sum = 0;
    json_t *out = json_array();
    for (int64_t i = 0; i < (count < 1 ? 1 : count); i++) {
        int64_t rtt = 0;
        natsStatus s = natsConnection_GetRTT(r->nc, &rtt);
        if (s != NATS_OK) {
            json_decref(info);
            json_decref(out);
            return cli_fail("ping failed: %s", cli_nats_err(s));
        }
        min = rtt < min ? rtt : min;
        max = rtt > max ? rtt : max;
        sum += rtt;
        json_array_append_new(
            out, json_pack("{s:s,s:I}", "server", name ? name : id, "rtt_ns", (json_int_t)rtt));
        if (!cli_bool(r, "json", false))
            printf("%-60s rtt %s\n", name && *name ? name : id, cli_fmt_dur(d, sizeof(d), rtt));
    }
    if (cli_bool(r, "json", false)) {
        cli_json_print(out);
    } else {
        int64_t n = count < 1 ? 1 : count;
        printf("\n---- ping statistics ----\n");
        printf("%lld replies max: %.2f min: %.2f avg: %.2f\n", (long long)n, (double)max / 1e6,
               (double)min / 1e6, (double)sum / (double)n / 1e6);
    }
    json_decref(out);
    json_decref(info);
    return 0;
}

static const struct cli_flag conn_flags[] = {
    {"connect-warn", 0, CLI_STR, "DURATION", "Warning threshold for connecting (default 500ms)"},
    {"connect-critical", 0, CLI_STR, "DURATION", "Critical threshold for connecting (1s)"},
    {"rtt-warn", 0, CLI_STR, "DURATION", "Warning threshold for server RTT (500ms)"},
    {"rtt-critical", 0, CLI_STR, "DURATION", "Critical threshold for server RTT (1s)"},
    {"req-warn", 0, CLI_STR, "DURATION", "Warning threshold for the round trip test (500ms)"},
    {"req-critical", 0, CLI_STR, "DURATION", "Critical threshold for the round trip test (1s)"},
    {"format", 0, CLI_STR, "nagios|json", "Render the check in a specific format"},
    {0},
};
static const struct cli_flag js_flags[] = {
    {"mem-warn", 0, CLI_STR, "PCT", "Warning threshold for memory storage, in percent (75)"},
    {"mem-critical", 0, CLI_STR, "PCT", "Critical threshold for memory storage (90)"},
    {"store-warn", 0, CLI_STR, "PCT", "Warning threshold for disk storage, in percent (75)"},
    {"store-critical", 0, CLI_STR, "PCT", "Critical threshold for disk storage (90)"},
    {"streams-warn", 0, CLI_STR, "PCT", "Warning threshold for streams used, in percent"},
    {"streams-critical", 0, CLI_STR, "PCT", "Critical threshold for streams used"},
    {"consumers-warn", 0, CLI_STR, "PCT", "Warning threshold for consumers used, in percent"},
    {"consumers-critical", 0, CLI_STR, "PCT", "Critical threshold for consumers used"},
    {"format", 0, CLI_STR, "nagios|json", "Render the check in a specific format"},
    {0},
};
static const struct cli_flag info_flags[] = {
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};
static const struct cli_flag ping_flags[] = {
    {"count", 'c', CLI_STR, "NUMBER", "Number of pings to send (default 1)"},
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};

static const struct cli_cmd check_conn = {
    .name = "connection",
    .aliases = "conn",
    .help = "Checks basic server connection",
    .flags = conn_flags,
    .run = check_conn_run,
};
static const struct cli_cmd check_js = {
    .name = "jetstream",
    .aliases = "js",
    .help = "Checks JetStream account state",
    .flags = js_flags,
    .run = check_js_run,
};
static const struct cli_cmd *const check_subs[] = {&check_conn, &check_js, NULL};
static const struct cli_cmd check_cmd = {
    .name = "check",
    .help = "Nagios protocol health checks (exit 0 OK, 1 WARN, 2 CRIT, 3 UNKNOWN)",
    .subs = check_subs,
};
static const struct cli_cmd info_cmd = {
    .name = "info",
    .aliases = "i",
    .help = "Shows information about the connected server",
    .flags = info_flags,
    .run = info_run,
};
static const struct cli_cmd ping_cmd = {
    .name = "ping",
    .help = "Pings the connected server and shows round trip times",
    .flags = ping_flags,
    .run = ping_run,
};
static const struct cli_cmd *const server_subs[] = {&check_cmd, &info_cmd, &ping_cmd, NULL};

const struct cli_cmd cli_server_cmd = {
    .name = "server",
    .aliases = "srv",
    .help = "Server information and health checks",
    .subs = server_subs,
};
