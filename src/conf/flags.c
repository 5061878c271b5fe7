/* Command-line flags: nats-server's set, parsed with Go's flag rules.
 *
 * Go's flag package accepts -name and --name alike, "-name=value" or
 * "-name value" for valued flags, and only "-name" or "-name=bool" for
 * booleans; parsing stops at "--" or the first non-flag. Flags are parsed
 * and checked first, the config file (-c) is applied next, and then the
 * flags again, so that a flag wins over the file as in nats-server.
 */
#include "conf/conf_int.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum flag_id {
    F_ADDR = 1,
    F_PORT,
    F_NAME,
    F_PID,
    F_HTTP_PORT,
    F_HTTPS_PORT,
    F_CONFIG,
    F_CHECK,
    F_SIGNAL,
    F_CLIENT_ADV,
    F_PORTS_DIR,
    F_LOG,
    F_LOGTIME,
    F_SYSLOG,
    F_REMOTE_SYSLOG,
    F_DEBUG,
    F_TRACE,
    F_VV,
    F_DV,
    F_DVV,
    F_LOG_SIZE,
    F_MAX_TRACED,
    F_JS,
    F_STORE_DIR,
    F_USER,
    F_PASS,
    F_AUTH,
    F_MAX_PAYLOAD,
    F_THREADS,
    F_HELP,
    F_VERSION,
    F_HELP_TLS,
    F_LATER, /* accepted, not implemented: warning */
};

enum flag_kind { FK_BOOL = 1, FK_STR, FK_INT, FK_SIZE };

struct flag_def {
    const char *name;
    enum flag_kind kind;
    enum flag_id id;
};

static const struct flag_def flags[] = {
    {"a", FK_STR, F_ADDR},
    {"addr", FK_STR, F_ADDR},
    {"net", FK_STR, F_ADDR},
    {"p", FK_INT, F_PORT},
    {"port", FK_INT, F_PORT},
    {"n", FK_STR, F_NAME},
    {"name", FK_STR, F_NAME},
    {"server_name", FK_STR, F_NAME},
    {"P", FK_STR, F_PID},
    {"pid", FK_STR, F_PID},
    {"m", FK_INT, F_HTTP_PORT},
    {"http_port", FK_INT, F_HTTP_PORT},
    {"ms", FK_INT, F_HTTPS_PORT},
    {"https_port", FK_INT, F_HTTPS_PORT},
    {"c", FK_STR, F_CONFIG},
    {"config", FK_STR, F_CONFIG},
    {"t", FK_BOOL, F_CHECK},
    {"sl", FK_STR, F_SIGNAL},
    {"signal", FK_STR, F_SIGNAL},
    {"client_advertise", FK_STR, F_CLIENT_ADV},
    {"ports_file_dir", FK_STR, F_PORTS_DIR},
    {"l", FK_STR, F_LOG},
    {"log", FK_STR, F_LOG},
    {"T", FK_BOOL, F_LOGTIME},
    {"logtime", FK_BOOL, F_LOGTIME},
    {"s", FK_BOOL, F_SYSLOG},
    {"syslog", FK_BOOL, F_SYSLOG},
    {"r", FK_STR, F_REMOTE_SYSLOG},
    {"remote_syslog", FK_STR, F_REMOTE_SYSLOG},
    {"D", FK_BOOL, F_DEBUG},
    {"debug", FK_BOOL, F_DEBUG},
    {"V", FK_BOOL, F_TRACE},
    {"trace", FK_BOOL, F_TRACE},
    {"VV", FK_BOOL, F_VV},
    {"DV", FK_BOOL, F_DV},
    {"DVV", FK_BOOL, F_DVV},
    {"log_size_limit", FK_SIZE, F_LOG_SIZE},
    {"max_traced_msg_len", FK_INT, F_MAX_TRACED},
    {"js", FK_BOOL, F_JS},
    {"jetstream", FK_BOOL, F_JS},
    {"sd", FK_STR, F_STORE_DIR},
    {"store_dir", FK_STR, F_STORE_DIR},
    {"user", FK_STR, F_USER},
    {"pass", FK_STR, F_PASS},
    {"auth", FK_STR, F_AUTH},
    {"max_payload", FK_SIZE, F_MAX_PAYLOAD},
    {"threads", FK_INT, F_THREADS},
    {"h", FK_BOOL, F_HELP},
    {"help", FK_BOOL, F_HELP},
    {"v", FK_BOOL, F_VERSION},
    {"version", FK_BOOL, F_VERSION},
    {"help_tls", FK_BOOL, F_HELP_TLS},
    {"tls", FK_BOOL, F_LATER},
    {"tlscert", FK_STR, F_LATER},
    {"tlskey", FK_STR, F_LATER},
    {"tlsverify", FK_BOOL, F_LATER},
    {"tlscacert", FK_STR, F_LATER},
    {"routes", FK_STR, F_LATER},
    {"cluster", FK_STR, F_LATER},
    {"cluster_listen", FK_STR, F_LATER},
    {"cluster_name", FK_STR, F_LATER},
    {"no_advertise", FK_BOOL, F_LATER},
    {"cluster_advertise", FK_STR, F_LATER},
    {"connect_retries", FK_INT, F_LATER},
    {"profile", FK_INT, F_LATER},
};

/* One flag as given on the command line, value already checked. */
struct flag_val {
    const struct flag_def *def;
    const char *arg; /* FK_STR text, or the raw text of a number */
    int64_t num;     /* FK_INT, FK_SIZE */
    bool b;          /* FK_BOOL */
};

static const struct flag_def *flag_find(const char *name, size_t len)
{
    for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
        if (strlen(flags[k].name) == len && memcmp(flags[k].name, name, len) == 0)
            return &flags[k];
    }
    return NULL;
}

/* Go's strconv.ParseBool. */
static int parse_bool(const char *s, bool *out)
{
    static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (size_t k = 0; k < 6; k++) {
        if (strcmp(s, t[k]) == 0) {
            *out = true;
            return 0;
        }
        if (strcmp(s, f[k]) == 0) {
            *out = false;
            return 0;
        }
    }
    return ERR_INVAL;
}

static int parse_value(struct flag_val *v, const char *val, struct errbuf *eb)
{
    const char *name = v->def->name;
    v->arg = val;
    if (v->def->kind == FK_INT) {
        char *end;
        errno = 0;
        long long n = strtoll(val, &end, 0);
        if (*val == '\0' || *end != '\0' || errno == ERANGE)
            return errbuf_set(eb, ERR_INVAL, "invalid value \"%s\" for flag -%s: %s", val, name,
                              errno == ERANGE ? "value out of range" : "parse error");
        v->num = n;
    } else if (v->def->kind == FK_SIZE) {
        int rc = conf__size_parse(val, strlen(val), &v->num);
        if (rc < 0)
            return errbuf_set(eb, ERR_INVAL, "invalid value \"%s\" for flag -%s: %s", val, name,
                              rc == ERR_LIMIT ? "value out of range" : "parse error");
    }
    return 0;
}

/* One argument at argv[*i]; advances *i. Returns 1 at the first non-flag. */
static int parse_one(int argc, char **argv, int *i, struct flag_val *v, struct errbuf *eb)
{
    const char *a = argv[*i], *name, *eq;
    if (a[0] != '-' || a[1] == '\0')
        return 1;
    name = a + 1;
    if (name[0] == '-') {
        name++;
        if (name[0] == '\0') {
            (*i)++; /* "--" ends the flags */
            return 1;
        }
    }
    if (name[0] == '-' || name[0] == '=')
        return errbuf_set(eb, ERR_INVAL, "bad flag syntax: %s", a);
    eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    v->def = flag_find(name, len);
    if (!v->def)
        return errbuf_set(eb, ERR_INVAL, "flag provided but not defined: -%.*s", (int)len, name);
    (*i)++;
    if (v->def->kind == FK_BOOL) {
        v->b = true;
        if (eq && parse_bool(eq + 1, &v->b) < 0)
            return errbuf_set(eb, ERR_INVAL, "invalid boolean value \"%s\" for -%s: parse error",
                              eq + 1, v->def->name);
        return 0;
    }
    if (eq)
        return parse_value(v, eq + 1, eb);
    if (*i >= argc)
        return errbuf_set(eb, ERR_INVAL, "flag needs an argument: -%s", v->def->name);
    return parse_value(v, argv[(*i)++], eb);
}

/* Parses all of argv into *<out> (a new array) and the positional
 * commands "version" and "help". */
static int parse_args(struct conf_opts *o, int argc, char **argv, struct flag_val **out,
                      size_t *nout, struct errbuf *eb)
{
    struct flag_val *vals = xcalloc((size_t)(argc > 0 ? argc : 1), sizeof(*vals));
    size_t n = 0;
    int i = 1, rc = 0;
    while (i < argc) {
        memset(&vals[n], 0, sizeof(vals[n]));
        rc = parse_one(argc, argv, &i, &vals[n], eb);
        if (rc != 0)
            break;
        n++;
    }
    if (rc >= 0 && i < argc) {
        rc = 0;
        if (strcmp(argv[i], "version") == 0)
            o->show_version = true;
        else if (strcmp(argv[i], "help") == 0)
            o->show_help = true;
        else
            rc = errbuf_set(eb, ERR_INVAL, "unrecognized command: \"%s\"", argv[i]);
    }
    if (rc < 0) {
        free(vals);
        return rc;
    }
    *out = vals;
    *nout = n;
    return 0;
}

static int flag_port(const struct flag_val *v, int *dst, struct errbuf *eb)
{
    if (v->num < -1 || v->num > 65535)
        return errbuf_set(eb, ERR_INVAL, "invalid value \"%s\" for flag -%s: not a port", v->arg,
                          v->def->name);
    *dst = (int)v->num;
    return 0;
}

static int flag_nonneg(const struct flag_val *v, int64_t *dst, struct errbuf *eb)
{
    if (v->num < 0)
        return errbuf_set(eb, ERR_INVAL, "invalid value \"%s\" for flag -%s: must not be negative",
                          v->arg, v->def->name);
    *dst = v->num;
    return 0;
}

/* Flags that only set strings. */
static char **flag_str_field(struct conf_opts *o, enum flag_id id)
{
    switch (id) {
    case F_ADDR:
        return &o->host;
    case F_NAME:
        return &o->server_name;
    case F_PID:
        return &o->pid_file;
    case F_CLIENT_ADV:
        return &o->client_advertise;
    case F_PORTS_DIR:
        return &o->ports_file_dir;
    case F_LOG:
        return &o->log_file;
    case F_REMOTE_SYSLOG:
        return &o->remote_syslog;
    case F_STORE_DIR:
        return &o->store_dir;
    case F_USER:
        return &o->username;
    case F_PASS:
        return &o->password;
    case F_AUTH:
        return &o->auth_token;
    default:
        return NULL;
    }
}

static int flag_apply(struct conf_opts *o, const struct flag_val *v, struct errbuf *eb)
{
    char **field = flag_str_field(o, v->def->id);
    if (field) {
        conf__set_str(field, v->arg);
        return 0;
    }
    switch (v->def->id) {
    case F_PORT:
        return flag_port(v, &o->port, eb);
    case F_HTTP_PORT:
        return flag_port(v, &o->http_port, eb);
    case F_HTTPS_PORT:
        return flag_port(v, &o->https_port, eb);
    case F_LOGTIME:
        o->logtime = v->b;
        return 0;
    case F_SYSLOG:
        o->syslog = v->b;
        return 0;
    case F_DEBUG:
        o->debug = v->b;
        return 0;
    case F_TRACE:
        o->trace = v->b;
        return 0;
    case F_VV:
        o->trace = o->trace_verbose = v->b;
        return 0;
    case F_DV:
        o->debug = o->trace = v->b;
        return 0;
    case F_DVV:
        o->debug = o->trace = o->trace_verbose = v->b;
        return 0;
    case F_LOG_SIZE:
        return flag_nonneg(v, &o->log_size_limit, eb);
    case F_MAX_TRACED:
        return flag_nonneg(v, &o->max_traced_msg_len, eb);
    case F_THREADS:
        return flag_nonneg(v, &o->threads, eb);
    case F_JS:
        o->jetstream = v->b;
        return 0;
    case F_MAX_PAYLOAD:
        if (v->num <= 0 || v->num > 64LL * 1024 * 1024)
            return errbuf_set(eb, ERR_INVAL,
                              "invalid value \"%s\" for flag -%s: out of range (1 to 64MB)", v->arg,
                              v->def->name);
        o->max_payload = v->num;
        return 0;
    case F_LATER:
        conf__warn(o, "flag -%s is not supported by Gannet yet; ignored", v->def->name);
        return 0;
    default:
        return 0; /* handled before the file is read */
    }
}

static int check_signal(const char *arg, struct errbuf *eb)
{
    static const char *const sigs[] = {"ldm", "stop", "quit", "term", "reopen", "reload"};
    size_t len = strcspn(arg, "=");
    for (size_t k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++) {
        if (strlen(sigs[k]) == len && strncmp(arg, sigs[k], len) == 0)
            return 0;
    }
    return errbuf_set(eb, ERR_INVAL,
                      "unknown signal \"%.*s\" (use ldm, stop, quit, term, reopen or reload)",
                      (int)len, arg);
}

/* -c, -t, -h, -v, --help_tls and -sl: what to do, before any file. */
static int actions(struct conf_opts *o, const struct flag_val *vals, size_t n, struct errbuf *eb)
{
    for (size_t k = 0; k < n; k++) {
        const struct flag_val *v = &vals[k];
        switch (v->def->id) {
        case F_CONFIG:
            conf__set_str(&o->config_file, v->arg);
            break;
        case F_CHECK:
            o->check_config = v->b;
            break;
        case F_HELP:
            o->show_help = v->b;
            break;
        case F_VERSION:
            o->show_version = v->b;
            break;
        case F_HELP_TLS:
            o->show_tls_help = v->b;
            break;
        case F_SIGNAL:
            if (check_signal(v->arg, eb) < 0)
                return ERR_INVAL;
            conf__set_str(&o->signal_cmd, v->arg);
            break;
        default:
            break;
        }
    }
    return 0;
}

static int threads_from_env(struct conf_opts *o, struct errbuf *eb)
{
    const char *s = getenv("GANNET_THREADS");
    char *end;
    if (!s || !*s)
        return 0;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (*end != '\0' || errno == ERANGE || n < 0 || n > 4096)
        return errbuf_set(eb, ERR_INVAL, "GANNET_THREADS: \"%s\" is not a thread count (0-4096)",
                          s);
    o->threads = n;
    return 0;
}

static int load_file(struct conf_opts *o, struct errbuf *eb)
{
    struct conf_node *root = NULL;
    int rc = conf_parse_file(o->config_file, &root, eb);
    if (rc < 0)
        return rc;
    rc = conf_opts_apply(o, root, eb);
    conf_node_free(root);
    return rc;
}

int conf_opts_load(struct conf_opts *o, int argc, char **argv, struct errbuf *eb)
{
    struct flag_val *vals = NULL;
    size_t n = 0;
    int rc = parse_args(o, argc, argv, &vals, &n, eb);
    if (rc < 0)
        return rc;
    if ((rc = actions(o, vals, n, eb)) < 0)
        goto out;
    if (o->show_help || o->show_version || o->show_tls_help || o->signal_cmd)
        goto out;
    if (o->check_config && !o->config_file) {
        rc = errbuf_set(eb, ERR_INVAL, "-t needs a configuration file: add -c <file>");
        goto out;
    }
    if ((rc = threads_from_env(o, eb)) < 0)
        goto out;
    if (o->config_file && (rc = load_file(o, eb)) < 0)
        goto out;
    for (size_t k = 0; k < n; k++) {
        if ((rc = flag_apply(o, &vals[k], eb)) < 0)
            goto out;
    }
    rc = conf__opts_validate(o, NULL, eb);
out:
    free(vals);
    return rc;
}

const char *conf_usage(void)
{
    return "\n"
           "Usage: gannet-server [options]\n"
           "\n"
           "Server Options:\n"
           "    -a, --addr, --net <host>         Address to listen on (default: 0.0.0.0)\n"
           "    -p, --port <port>                Client port (default: 4222; -1 = random)\n"
           "    -n, --name\n"
           "        --server_name <server_name>  Server name (default: generated)\n"
           "    -P, --pid <file>                 Write the process id to <file>\n"
           "    -m, --http_port <port>           HTTP monitoring port (-1 = random)\n"
           "    -ms,--https_port <port>          HTTPS monitoring port\n"
           "    -c, --config <file>              Configuration file\n"
           "    -t                               Check the configuration file and exit\n"
           "    -sl,--signal <signal>[=<pid>]    Signal a running server (ldm, stop, quit,\n"
           "                                     term, reopen, reload); <pid> is a process\n"
           "                                     id or a pid file\n"
           "        --client_advertise <string>  Client URL advertised to other servers\n"
           "        --ports_file_dir <dir>       Write the listening ports to a file in <dir>\n"
           "        --threads <n>                I/O threads (default: number of cores)\n"
           "\n"
           "Logging Options:\n"
           "    -l, --log <file>                 Log to <file>\n"
           "    -T, --logtime                    Timestamp log lines (default: true)\n"
           "    -s, --syslog                     Log to syslog\n"
           "    -r, --remote_syslog <addr>       Remote syslog address (udp://localhost:514)\n"
           "    -D, --debug                      Debug output\n"
           "    -V, --trace                      Trace the protocol\n"
           "    -VV                              Verbose trace (system account too)\n"
           "    -DV                              Debug and trace\n"
           "    -DVV                             Debug and verbose trace\n"
           "        --log_size_limit <limit>     Rotate the log file at this size\n"
           "        --max_traced_msg_len <len>   Truncate traced messages to <len> bytes\n"
           "\n"
           "JetStream Options:\n"
           "    -js, --jetstream                 Enable JetStream\n"
           "    -sd, --store_dir <dir>           JetStream storage directory\n"
           "\n"
           "Authorization Options:\n"
           "        --user <user>                User required to connect\n"
           "        --pass <password>            Password required to connect\n"
           "        --auth <token>               Token required to connect\n"
           "        --max_payload <size>         Largest message payload (default: 1MB)\n"
           "\n"
           "TLS and Cluster Options (accepted, not supported yet):\n"
           "        --tls, --tlscert <file>, --tlskey <file>, --tlsverify, --tlscacert <file>\n"
           "        --routes <urls>, --cluster <url>, --cluster_name <name>,\n"
           "        --no_advertise, --cluster_advertise <url>, --connect_retries <n>,\n"
           "        --cluster_listen <url>, --profile <port>\n"
           "\n"
           "Common Options:\n"
           "    -h, --help                       Show this message\n"
           "    -v, --version                    Show the version\n"
           "        --help_tls                   TLS help\n";
}

const char *conf_tls_usage(void)
{
    return "\n"
           "TLS is configured in the tls block of the configuration file, for example:\n"
           "\n"
           "    tls {\n"
           "        cert_file: \"./certs/server-cert.pem\"\n"
           "        key_file:  \"./certs/server-key.pem\"\n"
           "        ca_file:   \"./certs/ca.pem\"\n"
           "        verify:    true\n"
           "    }\n"
           "\n"
           "Gannet accepts this block but does not serve TLS yet.\n";
}
