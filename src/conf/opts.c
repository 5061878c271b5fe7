/* Options layer: maps a config tree onto struct conf_opts.
 *
 * Top-level keys are rows of one table (name, kind, field offset, or a
 * handler for the few keys with structure: listen, http, jetstream,
 * authorization). Keys nats-server knows but Gannet does not implement yet
 * are rows of kind K_WARN: their node type is checked, then they only add
 * a warning, so existing nats-server configs keep loading.
 */
#include "conf/conf_int.h"
#include "util/xalloc.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NS_PER_SEC       1000000000LL
#define MAX_PAYLOAD_CAP  (64LL * 1024 * 1024)
#define LAME_DUCK_MIN_NS (30 * NS_PER_SEC)
#define TBIT(t)          (1u << (t))

/* ---- helpers shared with opts_auth.c and flags.c ---- */

void conf__warn(struct conf_opts *o, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    o->warnings = xrealloc(o->warnings, (o->nwarnings + 1) * sizeof(*o->warnings));
    o->warnings[o->nwarnings++] = xstrdup(msg);
}

int conf__fail(struct errbuf *eb, int code, const struct conf_node *n, const char *fmt, ...)
{
    if (eb) {
        int k =
            snprintf(eb->msg, sizeof(eb->msg), "%s:%d: ", n->file ? n->file : "config", n->line);
        if (k > 0 && (size_t)k < sizeof(eb->msg)) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(eb->msg + k, sizeof(eb->msg) - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    return code;
}

void conf__set_str(char **dst, const char *s)
{
    char *copy = xstrdup(s);
    free(*dst);
    *dst = copy;
}

const char *conf__type_name(enum conf_type t)
{
    switch (t) {
    case CONF_MAP:
        return "a map";
    case CONF_ARRAY:
        return "an array";
    case CONF_STRING:
        return "a string";
    case CONF_INT:
        return "an integer";
    case CONF_FLOAT:
        return "a float";
    case CONF_BOOL:
        return "a boolean";
    }
    return "a value";
}

static const char *key_of(const struct conf_node *n)
{
    return n->key ? n->key : "value";
}

static int wrong_type(const struct conf_node *n, const char *want, struct errbuf *eb)
{
    return conf__fail(eb, ERR_PARSE, n, "%s: expected %s, got %s", key_of(n), want,
                      conf__type_name(n->type));
}

int conf__get_str(const struct conf_node *n, const char **out, struct errbuf *eb)
{
    /* Numbers and booleans keep their source text, so `password: 1234` works. */
    if (n->type == CONF_MAP || n->type == CONF_ARRAY || !n->str)
        return wrong_type(n, "a string", eb);
    *out = n->str;
    return 0;
}

int conf__get_int(const struct conf_node *n, int64_t *out, struct errbuf *eb)
{
    if (n->type != CONF_INT)
        return wrong_type(n, "a number", eb);
    *out = n->i;
    return 0;
}

int conf__get_bool(const struct conf_node *n, bool *out, struct errbuf *eb)
{
    if (n->type != CONF_BOOL)
        return wrong_type(n, "a boolean", eb);
    *out = n->b;
    return 0;
}

int conf__get_size(const struct conf_node *n, int64_t *out, struct errbuf *eb)
{
    if (n->type == CONF_STRING && conf__size_parse(n->str, strlen(n->str), out) == 0)
        return 0;
    if (n->type != CONF_INT)
        return wrong_type(n, "a number", eb);
    *out = n->i;
    return 0;
}

int conf__get_duration(struct conf_opts *o, const struct conf_node *n, int64_t *out,
                       struct errbuf *eb)
{
    int64_t secs = 0;
    if (n->type == CONF_STRING) {
        if (conf__duration_parse(n->str, out) < 0)
            return conf__fail(eb, ERR_INVAL, n, "%s: invalid duration \"%s\"", key_of(n), n->str);
        return 0;
    }
    /* An unquoted 2m lexes as the integer 2000000 (m = million); read the
     * source text as a duration first, which is what the user meant. */
    if (n->type == CONF_INT && n->str && conf__duration_parse(n->str, out) == 0)
        return 0;
    if (n->type == CONF_INT && n->str && conf__size_parse(n->str, strlen(n->str), &secs) == 0 &&
        strspn(n->str, "-0123456789") == strlen(n->str)) {
        if (secs > INT64_MAX / NS_PER_SEC || secs < INT64_MIN / NS_PER_SEC)
            return conf__fail(eb, ERR_INVAL, n, "%s: duration out of range", key_of(n));
        conf__warn(o, "%s:%d: %s should be a duration string such as \"%llds\"; read as seconds",
                   n->file, n->line, key_of(n), (long long)secs);
        *out = secs * NS_PER_SEC;
        return 0;
    }
    if (n->type == CONF_FLOAT) {
        if (!(n->f > -9e9 && n->f < 9e9))
            return conf__fail(eb, ERR_INVAL, n, "%s: duration out of range", key_of(n));
        conf__warn(o, "%s:%d: %s should be a duration string such as \"1.5s\"; read as seconds",
                   n->file, n->line, key_of(n));
        *out = (int64_t)(n->f * (double)NS_PER_SEC);
        return 0;
    }
    if (n->type == CONF_INT)
        return conf__fail(eb, ERR_INVAL, n, "%s: invalid duration \"%s\"", key_of(n),
                          n->str ? n->str : "");
    return wrong_type(n, "a duration", eb);
}

/* ---- the key table ---- */

enum key_kind {
    K_STR = 1, /* char * */
    K_BOOL,    /* bool */
    K_INT,     /* int64_t, >= 0 */
    K_SIZE,    /* int64_t, >= 0, units allowed */
    K_DUR,     /* int64_t nanoseconds, >= 0 */
    K_PORT,    /* int, -1..65535 */
    K_FN,      /* handler */
    K_WARN,    /* known to nats-server, not implemented: type check + warning */
};

typedef int (*key_cb)(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb);

struct key_def {
    const char *name;
    enum key_kind kind;
    size_t off;     /* field in struct conf_opts */
    key_cb fn;      /* K_FN */
    unsigned types; /* K_WARN: allowed node types (TBIT mask) */
};

#define FIELD(f) offsetof(struct conf_opts, f)

static int check_port(const struct conf_node *n, int64_t v, struct errbuf *eb)
{
    if (v < -1 || v > 65535)
        return conf__fail(eb, ERR_INVAL, n, "%s: invalid port %lld (use 0-65535, or -1 for random)",
                          key_of(n), (long long)v);
    return 0;
}

/* "host:port", "[v6]:port" or ":port". */
static int split_hostport(const struct conf_node *n, char **host, int *port, struct errbuf *eb)
{
    const char *s = n->str, *colon = strrchr(s, ':');
    char *end;
    if (!colon || colon[1] == '\0')
        return conf__fail(eb, ERR_INVAL, n, "%s: could not parse address \"%s\" (want host:port)",
                          key_of(n), s);
    long long v = strtoll(colon + 1, &end, 10);
    if (*end != '\0')
        return conf__fail(eb, ERR_INVAL, n, "%s: invalid port in \"%s\"", key_of(n), s);
    int rc = check_port(n, v, eb);
    if (rc < 0)
        return rc;
    size_t hl = (size_t)(colon - s);
    if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']')
        *host = xstrndup(s + 1, hl - 2);
    else
        *host = hl ? xstrndup(s, hl) : NULL;
    *port = (int)v;
    return 0;
}

/* A port number or "host:port" into the given fields. */
static int apply_hostport(const struct conf_node *n, char **host, int *port, struct errbuf *eb)
{
    char *h = NULL;
    int rc;
    if (n->type == CONF_INT) {
        if ((rc = check_port(n, n->i, eb)) < 0)
            return rc;
        *port = (int)n->i;
        return 0;
    }
    if (n->type != CONF_STRING)
        return wrong_type(n, "a port or \"host:port\"", eb);
    if ((rc = split_hostport(n, &h, port, eb)) < 0)
        return rc;
    if (h) {
        free(*host);
        *host = h;
    }
    return 0;
}

static int key_listen(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    return apply_hostport(n, &o->host, &o->port, eb);
}

static int key_http(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    return apply_hostport(n, &o->http_host, &o->http_port, eb);
}

static int key_https(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    return apply_hostport(n, &o->http_host, &o->https_port, eb);
}

static int key_server_name(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    const char *s = NULL;
    int rc = conf__get_str(n, &s, eb);
    if (rc < 0)
        return rc;
    if (strpbrk(s, " \t\r\n"))
        return conf__fail(eb, ERR_INVAL, n, "%s: server name cannot contain spaces", key_of(n));
    conf__set_str(&o->server_name, s);
    return 0;
}

static int key_trace_verbose(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    int rc = conf__get_bool(n, &o->trace_verbose, eb);
    if (rc == 0 && o->trace_verbose)
        o->trace = true;
    return rc;
}

static int key_max_payload(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    int64_t v = 0;
    int rc = conf__get_size(n, &v, eb);
    if (rc < 0)
        return rc;
    if (v <= 0 || v > MAX_PAYLOAD_CAP)
        return conf__fail(eb, ERR_INVAL, n, "%s: %lld is out of range (1 to 64MB)", key_of(n),
                          (long long)v);
    o->max_payload = v;
    return 0;
}

static int key_positive_size(const struct conf_node *n, int64_t *dst, struct errbuf *eb)
{
    int64_t v = 0;
    int rc = conf__get_size(n, &v, eb);
    if (rc < 0)
        return rc;
    if (v <= 0 || v > INT32_MAX)
        return conf__fail(eb, ERR_INVAL, n, "%s: %lld is out of range (1 to %d)", key_of(n),
                          (long long)v, INT32_MAX);
    *dst = v;
    return 0;
}

static int key_max_control_line(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    return key_positive_size(n, &o->max_control_line, eb);
}

static int key_max_pending(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    int64_t v = 0;
    int rc = conf__get_size(n, &v, eb);
    if (rc == 0 && v <= 0)
        rc = conf__fail(eb, ERR_INVAL, n, "%s: must be positive", key_of(n));
    if (rc == 0)
        o->max_pending = v;
    return rc;
}

static int key_lame_duck(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    int64_t v = 0;
    int rc = conf__get_duration(o, n, &v, eb);
    if (rc == 0 && v < LAME_DUCK_MIN_NS)
        rc = conf__fail(eb, ERR_INVAL, n, "%s: must be at least 30s", key_of(n));
    if (rc == 0)
        o->lame_duck_duration_ns = v;
    return rc;
}

static int js_enable_word(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    if (strcasecmp(n->str, "enabled") == 0 || strcasecmp(n->str, "enable") == 0) {
        o->jetstream = true;
        return 0;
    }
    if (strcasecmp(n->str, "disabled") == 0 || strcasecmp(n->str, "disable") == 0) {
        o->jetstream = false;
        return 0;
    }
    return conf__fail(eb, ERR_INVAL, n, "%s: expected \"enabled\" or \"disabled\", got \"%s\"",
                      key_of(n), n->str);
}

static int js_sync_interval(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    if (n->type == CONF_STRING && strcasecmp(n->str, "always") == 0) {
        o->sync_interval_ns = -1;
        return 0;
    }
    int64_t v = 0;
    int rc = conf__get_duration(o, n, &v, eb);
    if (rc == 0 && v < 0)
        rc = conf__fail(eb, ERR_INVAL, n, "%s: must not be negative", key_of(n));
    if (rc == 0)
        o->sync_interval_ns = v;
    return rc;
}

static int js_store_size(const struct conf_node *n, int64_t *dst, struct errbuf *eb)
{
    int64_t v = 0;
    int rc = conf__get_size(n, &v, eb);
    if (rc == 0 && v < -1)
        rc = conf__fail(eb, ERR_INVAL, n, "%s: must not be negative", key_of(n));
    if (rc == 0)
        *dst = v;
    return rc;
}

static bool name_in(const char *key, const char *const *names)
{
    for (; *names; names++) {
        if (strcasecmp(key, *names) == 0)
            return true;
    }
    return false;
}

static int js_map_item(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    static const char *const later[] = {"key",
                                        "cipher",
                                        "prev_key",
                                        "extension_hint",
                                        "unique_tag",
                                        "max_outstanding_catchup",
                                        "limits",
                                        "max_buffered_msgs",
                                        "max_buffered_size",
                                        "request_queue_limit",
                                        "strict",
                                        "tpm",
                                        NULL};
    const char *k = n->key, *s = NULL;
    int rc;
    if (strcasecmp(k, "enabled") == 0)
        return conf__get_bool(n, &o->jetstream, eb);
    if (name_in(k, (const char *const[]){"store_dir", "store", "storedir", NULL})) {
        if ((rc = conf__get_str(n, &s, eb)) == 0)
            conf__set_str(&o->store_dir, s);
        return rc;
    }
    if (name_in(k, (const char *const[]){"max_memory_store", "max_mem_store", "max_mem", NULL}))
        return js_store_size(n, &o->max_memory_store, eb);
    if (name_in(k, (const char *const[]){"max_file_store", "max_file", NULL}))
        return js_store_size(n, &o->max_file_store, eb);
    if (strcasecmp(k, "domain") == 0) {
        if ((rc = conf__get_str(n, &s, eb)) == 0)
            conf__set_str(&o->js_domain, s);
        return rc;
    }
    if (strcasecmp(k, "sync_interval") == 0 || strcasecmp(k, "sync") == 0)
        return js_sync_interval(o, n, eb);
    if (name_in(k, later)) {
        conf__warn(o, "%s:%d: jetstream.%s is not supported by Gannet yet; ignored", n->file,
                   n->line, k);
        return 0;
    }
    if (n->var_used)
        return 0;
    return conf__fail(eb, ERR_PARSE, n, "unknown field \"%s\" in jetstream", k);
}

static int key_jetstream(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    if (n->type == CONF_BOOL) {
        o->jetstream = n->b;
        return 0;
    }
    if (n->type == CONF_STRING)
        return js_enable_word(o, n, eb);
    if (n->type != CONF_MAP)
        return wrong_type(n, "a boolean, \"enabled\", \"disabled\" or a map", eb);
    /* A jetstream block enables JetStream unless it says enabled: false. */
    o->jetstream = true;
    for (size_t k = 0; k < n->nitems; k++) {
        int rc = js_map_item(o, n->items[k], eb);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int key_auth(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    return conf__apply_authorization(o, n, eb);
}

#define MAPT  TBIT(CONF_MAP)
#define ARRT  TBIT(CONF_ARRAY)
#define STRT  TBIT(CONF_STRING)
#define INTT  TBIT(CONF_INT)
#define BOOLT TBIT(CONF_BOOL)

static const struct key_def top_keys[] = {
    {"listen", K_FN, 0, key_listen, 0},
    {"host", K_STR, FIELD(host), NULL, 0},
    {"net", K_STR, FIELD(host), NULL, 0},
    {"port", K_PORT, FIELD(port), NULL, 0},
    {"server_name", K_FN, 0, key_server_name, 0},
    {"client_advertise", K_STR, FIELD(client_advertise), NULL, 0},
    {"http", K_FN, 0, key_http, 0},
    {"monitor_port", K_PORT, FIELD(http_port), NULL, 0},
    {"http_port", K_PORT, FIELD(http_port), NULL, 0},
    {"https", K_FN, 0, key_https, 0},
    {"https_port", K_PORT, FIELD(https_port), NULL, 0},
    {"http_base_path", K_STR, FIELD(http_base_path), NULL, 0},
    {"pidfile", K_STR, FIELD(pid_file), NULL, 0},
    {"pid_file", K_STR, FIELD(pid_file), NULL, 0},
    {"ports_file_dir", K_STR, FIELD(ports_file_dir), NULL, 0},
    {"logfile", K_STR, FIELD(log_file), NULL, 0},
    {"log_file", K_STR, FIELD(log_file), NULL, 0},
    {"logfile_size_limit", K_SIZE, FIELD(log_size_limit), NULL, 0},
    {"log_size_limit", K_SIZE, FIELD(log_size_limit), NULL, 0},
    {"logtime", K_BOOL, FIELD(logtime), NULL, 0},
    {"debug", K_BOOL, FIELD(debug), NULL, 0},
    {"trace", K_BOOL, FIELD(trace), NULL, 0},
    {"trace_verbose", K_FN, 0, key_trace_verbose, 0},
    {"syslog", K_BOOL, FIELD(syslog), NULL, 0},
    {"remote_syslog", K_STR, FIELD(remote_syslog), NULL, 0},
    {"max_traced_msg_len", K_INT, FIELD(max_traced_msg_len), NULL, 0},
    {"max_control_line", K_FN, 0, key_max_control_line, 0},
    {"max_payload", K_FN, 0, key_max_payload, 0},
    {"max_pending", K_FN, 0, key_max_pending, 0},
    {"max_connections", K_INT, FIELD(max_connections), NULL, 0},
    {"max_conn", K_INT, FIELD(max_connections), NULL, 0},
    {"max_subscriptions", K_INT, FIELD(max_subscriptions), NULL, 0},
    {"max_subs", K_INT, FIELD(max_subscriptions), NULL, 0},
    {"ping_interval", K_DUR, FIELD(ping_interval_ns), NULL, 0},
    {"ping_max", K_INT, FIELD(ping_max), NULL, 0},
    {"write_deadline", K_DUR, FIELD(write_deadline_ns), NULL, 0},
    {"lame_duck_duration", K_FN, 0, key_lame_duck, 0},
    {"lame_duck_grace_period", K_DUR, FIELD(lame_duck_grace_period_ns), NULL, 0},
    {"no_header_support", K_BOOL, FIELD(no_header_support), NULL, 0},
    {"authorization", K_FN, 0, key_auth, 0},
    {"no_auth_user", K_STR, FIELD(no_auth_user), NULL, 0},
    {"jetstream", K_FN, 0, key_jetstream, 0},
    {"store_dir", K_STR, FIELD(store_dir), NULL, 0},
    {"threads", K_INT, FIELD(threads), NULL, 0},
    /* Accepted with a warning until Gannet implements them. */
    {"cluster", K_WARN, 0, NULL, MAPT},
    {"gateway", K_WARN, 0, NULL, MAPT},
    {"leafnodes", K_WARN, 0, NULL, MAPT},
    {"leaf", K_WARN, 0, NULL, MAPT},
    {"websocket", K_WARN, 0, NULL, MAPT},
    {"ws", K_WARN, 0, NULL, MAPT},
    {"mqtt", K_WARN, 0, NULL, MAPT},
    {"tls", K_WARN, 0, NULL, MAPT},
    {"ocsp", K_WARN, 0, NULL, MAPT | BOOLT},
    {"allow_non_tls", K_WARN, 0, NULL, BOOLT},
    {"accounts", K_WARN, 0, NULL, MAPT | ARRT},
    {"operator", K_WARN, 0, NULL, STRT | ARRT},
    {"operators", K_WARN, 0, NULL, STRT | ARRT},
    {"trusted", K_WARN, 0, NULL, STRT | ARRT},
    {"trusted_keys", K_WARN, 0, NULL, STRT | ARRT},
    {"resolver", K_WARN, 0, NULL, STRT | MAPT},
    {"resolver_tls", K_WARN, 0, NULL, MAPT},
    {"resolver_preload", K_WARN, 0, NULL, MAPT},
    {"resolver_pinned_accounts", K_WARN, 0, NULL, STRT | ARRT},
    {"system_account", K_WARN, 0, NULL, STRT},
    {"system", K_WARN, 0, NULL, STRT},
    {"no_system_account", K_WARN, 0, NULL, BOOLT},
    {"mappings", K_WARN, 0, NULL, MAPT},
    {"maps", K_WARN, 0, NULL, MAPT},
    {"default_js_domain", K_WARN, 0, NULL, MAPT},
    {"server_tags", K_WARN, 0, NULL, STRT | ARRT},
    {"connect_error_reports", K_WARN, 0, NULL, INTT},
    {"reconnect_error_reports", K_WARN, 0, NULL, INTT},
    {"prof_port", K_WARN, 0, NULL, INTT},
    {"max_sub_tokens", K_WARN, 0, NULL, INTT},
    {"disable_sublist_cache", K_WARN, 0, NULL, BOOLT},
    {"no_sublist_cache", K_WARN, 0, NULL, BOOLT},
    {"syslog_name", K_WARN, 0, NULL, STRT},
};

static int check_warn_type(const struct key_def *d, const struct conf_node *n, struct errbuf *eb)
{
    static const enum conf_type order[] = {CONF_MAP, CONF_ARRAY, CONF_STRING, CONF_INT, CONF_BOOL};
    char want[96] = "";
    if (d->types & TBIT(n->type))
        return 0;
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
        if (d->types & TBIT(order[k])) {
            size_t l = strlen(want);
            snprintf(want + l, sizeof(want) - l, "%s%s", l ? " or " : "",
                     conf__type_name(order[k]));
        }
    }
    return wrong_type(n, want, eb);
}

static int apply_kind(struct conf_opts *o, const struct key_def *d, const struct conf_node *n,
                      struct errbuf *eb)
{
    char *base = (char *)o + d->off;
    const char *s = NULL;
    int64_t v = 0;
    int rc = 0;
    switch (d->kind) {
    case K_STR:
        if ((rc = conf__get_str(n, &s, eb)) == 0)
            conf__set_str((char **)(void *)base, s);
        return rc;
    case K_BOOL:
        return conf__get_bool(n, (bool *)(void *)base, eb);
    case K_INT:
    case K_SIZE:
        rc = d->kind == K_INT ? conf__get_int(n, &v, eb) : conf__get_size(n, &v, eb);
        if (rc == 0 && v < 0)
            rc = conf__fail(eb, ERR_INVAL, n, "%s: must not be negative", key_of(n));
        if (rc == 0)
            *(int64_t *)(void *)base = v;
        return rc;
    case K_DUR:
        rc = conf__get_duration(o, n, &v, eb);
        if (rc == 0 && v < 0)
            rc = conf__fail(eb, ERR_INVAL, n, "%s: must not be negative", key_of(n));
        if (rc == 0)
            *(int64_t *)(void *)base = v;
        return rc;
    case K_PORT:
        if ((rc = conf__get_int(n, &v, eb)) == 0 && (rc = check_port(n, v, eb)) == 0)
            *(int *)(void *)base = (int)v;
        return rc;
    case K_FN:
        return d->fn(o, n, eb);
    case K_WARN:
        if ((rc = check_warn_type(d, n, eb)) == 0)
            conf__warn(o, "%s:%d: \"%s\" is not supported by Gannet yet; ignored", n->file, n->line,
                       n->key);
        return rc;
    }
    return rc;
}

int conf_opts_apply(struct conf_opts *o, const struct conf_node *root, struct errbuf *eb)
{
    if (!root || root->type != CONF_MAP)
        return errbuf_set(eb, ERR_INVAL, "config: the top level must be a map");
    for (size_t k = 0; k < root->nitems; k++) {
        const struct conf_node *n = root->items[k];
        const struct key_def *d = NULL;
        for (size_t j = 0; j < sizeof(top_keys) / sizeof(top_keys[0]); j++) {
            if (strcasecmp(n->key, top_keys[j].name) == 0) {
                d = &top_keys[j];
                break;
            }
        }
        if (!d) {
            /* A key defined only to be used as $VARIABLE is fine. */
            if (n->var_used)
                continue;
            return conf__fail(eb, ERR_PARSE, n, "unknown field \"%s\"", n->key);
        }
        int rc = apply_kind(o, d, n, eb);
        if (rc < 0)
            return rc;
    }
    return conf__opts_validate(o, root, eb);
}

/* ---- lifetime ---- */

void conf_opts_init(struct conf_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->host = xstrdup("0.0.0.0");
    o->port = 4222;
    o->logtime = true;
    o->max_payload = 1024 * 1024;
    o->max_control_line = 4096;
    o->max_pending = 64 * 1024 * 1024;
    o->max_connections = 65536;
    o->ping_interval_ns = 120 * NS_PER_SEC;
    o->ping_max = 2;
    o->write_deadline_ns = 10 * NS_PER_SEC;
    o->auth_timeout_ns = 2 * NS_PER_SEC;
    o->lame_duck_duration_ns = 120 * NS_PER_SEC;
    o->lame_duck_grace_period_ns = 10 * NS_PER_SEC;
    o->max_memory_store = -1;
    o->max_file_store = -1;
}

void conf_opts_deinit(struct conf_opts *o)
{
    char **strs[] = {&o->host,          &o->server_name,    &o->client_advertise,
                     &o->http_host,     &o->http_base_path, &o->config_file,
                     &o->pid_file,      &o->ports_file_dir, &o->log_file,
                     &o->remote_syslog, &o->username,       &o->password,
                     &o->auth_token,    &o->no_auth_user,   &o->store_dir,
                     &o->js_domain,     &o->signal_cmd};
    for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
        FREE_AND_NULL(*strs[k]);
    conf__users_free(o);
    conf__perms_free(o->default_perms);
    o->default_perms = NULL;
    for (size_t k = 0; k < o->nwarnings; k++)
        free(o->warnings[k]);
    FREE_AND_NULL(o->warnings);
    o->nwarnings = 0;
}
