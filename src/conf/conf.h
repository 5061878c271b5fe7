/* Configuration: nats-server's config file format and command-line flags.
 *
 * Two layers. The tree layer (conf_parse) turns config text into a tree of
 * struct conf_node with line numbers: maps, arrays, strings, integers,
 * floats, booleans; it handles comments, `key = v` / `key: v` / `key v`,
 * include, $VARIABLES (block scopes, then the environment), size units and
 * quoted/unquoted strings. The options layer (conf_load_*) maps a tree and
 * argv onto struct conf_opts, the typed server options. Every error names
 * file, line and reason in a struct errbuf.
 */
#ifndef GN_CONF_H
#define GN_CONF_H

#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- tree ---- */

enum conf_type {
    CONF_MAP = 1,
    CONF_ARRAY,
    CONF_STRING,
    CONF_INT, /* integers, including size-suffixed ones ("1MB" -> 1048576) */
    CONF_FLOAT,
    CONF_BOOL,
};

struct conf_node {
    enum conf_type type;
    char *key;                /* key within the parent map, else NULL */
    int line;                 /* 1-based line of the value (or key) */
    const char *file;         /* file the value came from (owned by the tree root) */
    char *str;                /* CONF_STRING: NUL-terminated text; CONF_INT,
                                 CONF_FLOAT, CONF_BOOL: the source text ("2m") */
    int64_t i;                /* CONF_INT */
    double f;                 /* CONF_FLOAT */
    bool b;                   /* CONF_BOOL */
    bool quoted;              /* CONF_STRING came from a quoted string */
    bool var_used;            /* referenced as a $VARIABLE: the options layer
                                 ignores it instead of calling it an unknown field */
    struct conf_node **items; /* CONF_MAP (keyed children, in file order), CONF_ARRAY */
    size_t nitems;            /* number of items */
    void *priv;               /* internal: owned file names and the like */
};

/* Parses <text> (<len> bytes) as a config named <filename> (used in errors
 * and to resolve relative includes; NULL reads as "config"). On success
 * returns 0 and sets *<root> to a new CONF_MAP; free with conf_node_free().
 * On failure returns ERR_PARSE, ERR_LIMIT (nesting deeper than 64, include
 * cycle, tree over 64 MiB after variable expansion) or -errno for an
 * unreadable include, and fills <eb> with "<file>:<line>: <reason>".
 * Includes are read relative to the including file and see the variables
 * of the enclosing blocks; a variable resolves from the enclosing maps
 * (innermost first, exact key match) and then the environment, whose value
 * is itself parsed as a config value. Any thread; reads the environment. */
int conf_parse(const char *text, size_t len, const char *filename, struct conf_node **root,
               struct errbuf *eb) WARN_UNUSED;
/* Reads and parses the file at <path>; as conf_parse. */
int conf_parse_file(const char *path, struct conf_node **root, struct errbuf *eb) WARN_UNUSED;
void conf_node_free(struct conf_node *n);
/* Returns the child of map <m> with key <key> (case-insensitive, last one
 * wins) or NULL. */
const struct conf_node *conf_map_get(const struct conf_node *m, const char *key);

/* ---- options ---- */

/* Publish/subscribe permission lists. An absent list (set == false) means
 * everything is allowed; allow and deny hold subject filters
 * (subscribe entries may be "subject queue"). */
struct conf_perm_list {
    bool set;
    char **allow;
    size_t nallow;
    char **deny;
    size_t ndeny;
};

struct conf_perms {
    struct conf_perm_list publish;
    struct conf_perm_list subscribe;
    bool allow_responses;    /* allow_responses given (true or a map) */
    int64_t resp_max;        /* allow_responses.max (default 1) */
    int64_t resp_expires_ns; /* allow_responses.expires (default 2m, as nats-server) */
};

struct conf_user {
    char *user;               /* username */
    char *password;           /* plain or bcrypt ($2a$/$2b$/$2x$/$2y$) */
    struct conf_perms *perms; /* NULL when the user has none */
};

struct conf_opts {
    /* listen */
    char *host; /* default "0.0.0.0" */
    int port;   /* default 4222; -1 = random */
    char *server_name;
    char *client_advertise;
    /* monitoring */
    char *http_host; /* NULL = same as host */
    int http_port;   /* 0 = off; -1 = random */
    int https_port;
    char *http_base_path;
    /* files */
    char *config_file;
    char *pid_file;
    char *ports_file_dir;
    char *log_file;
    int64_t log_size_limit;
    /* logging */
    bool logtime; /* default true */
    bool debug;
    bool trace;
    bool trace_verbose;
    bool syslog;
    char *remote_syslog;
    int64_t max_traced_msg_len;
    /* limits */
    int64_t max_payload;               /* default 1 MiB */
    int64_t max_control_line;          /* default 4096 */
    int64_t max_pending;               /* default 64 MiB */
    int64_t max_connections;           /* default 65536 */
    int64_t max_subscriptions;         /* default 0 = unlimited */
    int64_t ping_interval_ns;          /* default 2m */
    int64_t ping_max;                  /* default 2 */
    int64_t write_deadline_ns;         /* default 10s */
    int64_t auth_timeout_ns;           /* default 2s (when auth is on) */
    int64_t lame_duck_duration_ns;     /* default 2m */
    int64_t lame_duck_grace_period_ns; /* default 10s */
    bool no_header_support;
    /* auth */
    char *username;   /* authorization.user or --user */
    char *password;   /* authorization.password or --pass */
    char *auth_token; /* authorization.token or --auth */
    struct conf_user *users;
    size_t nusers;
    struct conf_perms *default_perms; /* authorization.default_permissions */
    char *no_auth_user;
    /* jetstream */
    bool jetstream;
    char *store_dir;
    int64_t max_memory_store; /* -1 = default (75% of RAM) */
    int64_t max_file_store;   /* -1 = default */
    char *js_domain;
    int64_t sync_interval_ns; /* 0 = sync before every ack (Gannet's default); -1 = "always" */
    /* gannet-only */
    int64_t threads; /* I/O threads; 0 = number of cores (GANNET_THREADS env) */
    /* command-line actions */
    bool check_config;  /* -t */
    bool show_version;  /* -v */
    bool show_help;     /* -h, or the command "help" */
    bool show_tls_help; /* --help_tls */
    char *signal_cmd;   /* -sl / --signal argument ("reload", "stop=1234") */
    /* diagnostics */
    char **warnings; /* "<file>:<line>: ..." for keys and flags that are
                        accepted but not implemented, bare-number durations */
    size_t nwarnings;
};

/* Fills <o> with nats-server's defaults. */
void conf_opts_init(struct conf_opts *o);
/* Frees every string, user, permission and warning held by <o>. */
void conf_opts_deinit(struct conf_opts *o);
/* Applies the config tree <root> to <o>. Returns 0 or ERR_PARSE (unknown
 * key, wrong node type) / ERR_INVAL (bad value) with "<file>:<line>:
 * <reason>" in <eb>. Keys are case-insensitive. Keys nats-server knows but
 * Gannet does not implement (cluster, tls, accounts, ...) are type-checked
 * and then only add a warning to <o>->warnings. On error <o> may be partly
 * updated; it stays safe to conf_opts_deinit(). */
int conf_opts_apply(struct conf_opts *o, const struct conf_node *root,
                    struct errbuf *eb) WARN_UNUSED;
/* The whole start-up path: parses <argv> (nats-server's flags, Go flag
 * syntax: -p 1, -p=1, --port 1, -D, -D=false), reads GANNET_THREADS, loads
 * the -c file if given, then re-applies the flags so that they win over the
 * file, as nats-server does. <o> must be conf_opts_init()ed. With -h, -v,
 * --help_tls or -sl it only records the request (no file is read). Returns
 * 0, or ERR_INVAL with <eb> holding Go's flag error text ("flag provided
 * but not defined: -x") or the config error. */
int conf_opts_load(struct conf_opts *o, int argc, char **argv, struct errbuf *eb) WARN_UNUSED;
/* nats-server-style usage text for --help. */
const char *conf_usage(void);
/* The text for --help_tls. */
const char *conf_tls_usage(void);

#endif
