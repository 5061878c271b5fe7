/* Internals shared by the files of the `gannet` command-line tool.
 *
 * Commands are data: a tree of struct cli_cmd, each leaf with its flag table and a run
 * callback. main.c parses argv against that tree into a struct cli_run, which the callback
 * reads through the cli_* accessors. Everything runs on the main thread unless a command
 * starts its own (bench). A callback returns the process exit code; failures print one
 * line "gannet: error: ..." on stderr through cli_fail().
 */
#ifndef GN_CLI_H
#define GN_CLI_H

#include "util/buf.h"

#include <jansson.h>
#include <nats/nats.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_EXIT_OK   0  /* success */
#define CLI_EXIT_FAIL 1  /* any failure (bad flag, server error, not found) */
#define CLI_MAX_FLAGS 96 /* flags one command may declare */

#define CLI_NS_PER_MS  1000000LL
#define CLI_NS_PER_SEC 1000000000LL

enum cli_flag_kind {
    CLI_BOOL = 1, /* --name / --no-name; no value */
    CLI_STR,      /* --name VALUE or --name=VALUE; the last one wins */
    CLI_LIST,     /* repeatable --name VALUE; every value kept in order */
};

/* One flag of a command. Tables end with a zeroed entry. */
struct cli_flag {
    const char *name;        /* long name without "--" */
    char short_name;         /* one-letter alias (-x) or 0 */
    enum cli_flag_kind kind; /* value kind */
    const char *placeholder; /* value name shown in help, NULL for booleans */
    const char *help;        /* one line */
};

struct cli_run;
typedef int (*cli_run_cb)(struct cli_run *r);

/* A command: a group (subs != NULL) or a leaf (run != NULL). */
struct cli_cmd {
    const char *name;                  /* as typed */
    const char *aliases;               /* space-separated other names, or NULL */
    const char *help;                  /* one line */
    const char *args;                  /* positional usage, e.g. "<subject> [<body>]", or NULL */
    int min_args;                      /* positional arguments required */
    int max_args;                      /* positional arguments allowed; -1 for any number */
    const struct cli_flag *flags;      /* flag table (zero-terminated) or NULL */
    cli_run_cb run;                    /* leaf callback */
    const struct cli_cmd *const *subs; /* NULL-terminated children of a group */
    const char *long_help;             /* extra help paragraph or NULL */
};

/* The value of one flag after parsing. */
struct cli_val {
    bool set;          /* given on the command line */
    bool b;            /* CLI_BOOL value */
    const char *s;     /* CLI_STR value (points into argv) */
    const char **list; /* CLI_LIST values (heap array of argv pointers) */
    int n;             /* CLI_LIST count */
};

/* One invocation: the parsed command line and the connection it uses. */
struct cli_run {
    const struct cli_cmd *cmd;          /* the leaf being run */
    char path[128];                     /* "stream add": command path for messages */
    int argc;                           /* positional arguments */
    char **argv;                        /* positional arguments (heap array into argv) */
    struct cli_val vals[CLI_MAX_FLAGS]; /* parallel to cmd->flags */
    struct cli_val gvals[16];           /* parallel to cli_global_flags */
    natsConnection *nc;                 /* set by cli_connect(), destroyed by main */
    int64_t timeout_ms;                 /* --timeout, default 5000 */
};

/* ---- main.c: the command tree and flag access ---- */

/* The global connection flags accepted by every command (zero-terminated). */
extern const struct cli_flag cli_global_flags[];

/* Returns whether the command (or the global table) declares flag <name>. */
bool cli_declares(const struct cli_run *r, const char *name);
/* Returns whether flag <name> (command or global) was given. Aborts on an unknown name. */
bool cli_has(const struct cli_run *r, const char *name);
/* Returns the CLI_STR value of <name>, or <def> when not given. */
const char *cli_str(const struct cli_run *r, const char *name, const char *def);
/* Returns the CLI_BOOL value of <name>, or <def> when not given. */
bool cli_bool(const struct cli_run *r, const char *name, bool def);
/* Returns the CLI_LIST values of <name> in <*out> (borrowed) and their count. */
int cli_list(const struct cli_run *r, const char *name, const char ***out);
/* Parses <name> as an integer into <*out> (<def> when not given). Returns 0, or prints an
 * error and returns CLI_EXIT_FAIL when the value is not a number. */
int cli_int(const struct cli_run *r, const char *name, int64_t def, int64_t *out);
/* Like cli_int() for sizes ("1KB", "2MiB", "-1"); <*out> in bytes. */
int cli_size(const struct cli_run *r, const char *name, int64_t def, int64_t *out);
/* Like cli_int() for durations ("500ms", "1h30m", "2d", "0"); <*out> in nanoseconds. */
int cli_dur(const struct cli_run *r, const char *name, int64_t def, int64_t *out);
/* Returns positional argument <i> or NULL when absent. */
const char *cli_arg(const struct cli_run *r, int i);

/* ---- output.c: messages, formatting, tables ---- */

/* Prints "gannet: error: <fmt...>" and a newline on stderr; returns CLI_EXIT_FAIL. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "HH:MM:SS <fmt...>" and a newline on stderr (progress notes, as the nats CLI). */
void cli_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Returns whether stdout is a terminal (tables with borders, progress bars). */
bool cli_is_tty(void);
/* Prints <j> as indented JSON and a newline on stdout. Does not take ownership. */
void cli_json_print(const json_t *j);
/* Formats <n> with thousands separators into <out> (capacity <cap>); returns <out>. */
const char *cli_fmt_int(char *out, size_t cap, int64_t n);
/* Formats <bytes> as "1.5 KiB" style into <out>; returns <out>. */
const char *cli_fmt_bytes(char *out, size_t cap, double bytes);
/* Formats nanoseconds as a Go-style duration ("1.5s", "2h0m0s", "250ms"); returns <out>. */
const char *cli_fmt_dur(char *out, size_t cap, int64_t ns);
/* Formats nanoseconds as a short human duration ("1d2h", "5m3s", "12ms"); returns <out>. */
const char *cli_fmt_ago(char *out, size_t cap, int64_t ns);
/* Formats Unix time <ns> as RFC 3339 in UTC with seconds; returns <out>. */
const char *cli_fmt_time(char *out, size_t cap, int64_t ns);
/* Parses an RFC 3339 timestamp (fractions allowed) into Unix nanoseconds; 0 on error. */
int64_t cli_parse_time(const char *s);
/* Returns the wall clock as Unix nanoseconds. */
int64_t cli_now_ns(void);
/* Returns a monotonic clock in nanoseconds. */
int64_t cli_mono_ns(void);

/* A table printed with borders on a terminal and as aligned columns otherwise. */
struct cli_table {
    const char *title; /* printed above, or NULL */
    int ncols;         /* columns */
    char **cells;      /* row-major, ncols per row; row 0 is the header */
    int nrows;         /* rows including the header */
    int cap;           /* allocated rows */
};
/* Initializes <t> with <title> (borrowed, may be NULL) and <ncols> header names. */
void cli_table_init(struct cli_table *t, const char *title, int ncols, ...);
/* Appends one row: exactly ncols const char * arguments (copied; NULL prints empty). */
void cli_table_row(struct cli_table *t, ...);
/* Prints <t> on stdout and frees it. */
void cli_table_print(struct cli_table *t);
/* Frees <t> without printing. */
void cli_table_free(struct cli_table *t);

/* Prints a "Label: value" section line, right-aligning labels to <width>. */
void cli_kv_line(int width, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- util.c: parsing and encoding ---- */

/* Parses a size with optional unit (B, K/KB/KiB, M, G, T; case-insensitive; 1024-based) or
 * "-1"/"unlimited" into <*out>. Returns 0 or -1 when malformed. */
int cli_parse_size(const char *s, int64_t *out);
/* Parses a Go-style duration ("1h30m", "500ms", "2d", "1w", "1y", plain seconds "30")
 * into nanoseconds. Returns 0 or -1 when malformed. */
int cli_parse_dur(const char *s, int64_t *out);
/* Parses a decimal integer; returns 0 or -1 when malformed. */
int cli_parse_int(const char *s, int64_t *out);
/* Appends the base64 (standard alphabet, padded) of <p>/<n> to <b>. */
void cli_b64_encode(struct buf *b, const void *p, size_t n, bool url);
/* Decodes base64 (either alphabet, padding optional) into <b>; returns 0 or -1. */
int cli_b64_decode(struct buf *b, const char *s, size_t n);
/* Computes the SHA-256 of <p>/<n> incrementally: init, update*, final into <out[32]>. */
struct cli_sha256 {
    uint32_t h[8];   /* chaining state */
    uint64_t len;    /* bytes hashed so far */
    uint8_t blk[64]; /* partial block */
    size_t nblk;     /* bytes in blk */
};
void cli_sha256_init(struct cli_sha256 *s);
void cli_sha256_update(struct cli_sha256 *s, const void *p, size_t n);
void cli_sha256_final(struct cli_sha256 *s, uint8_t out[32]);
/* Reads all of <fd> into <b>; returns 0 or -errno. */
int cli_read_all(int fd, struct buf *b);
/* Returns whether <s> is printable UTF-8/ASCII text (no control bytes but \t \r \n). */
bool cli_is_printable(const char *s, size_t n);
/* Asks "<question> [y/N]" on the terminal; returns true only on y/yes. Returns <def>
 * without asking when stdin is not a terminal. */
bool cli_confirm(const char *question, bool def);
/* Prompts "<question> (<def>): " on the terminal and returns a new string (free()): the
 * line typed, or a copy of <def> on an empty line or EOF. */
char *cli_prompt(const char *question, const char *def);
/* Returns whether stdin is a terminal (interactive prompts allowed). */
bool cli_stdin_is_tty(void);
/* Returns whether <b> is a valid KV / Object Store bucket name ([A-Za-z0-9_-]+). */
bool cli_bucket_valid(const char *b);
/* Returns whether <subject> matches <filter> (NATS wildcards * and >). */
bool cli_subject_match(const char *filter, const char *subject);

/* ---- conn.c: connection options and contexts ---- */

/* Connects with the global flags, the environment and the selected context (in that order
 * of precedence). On success sets <r>->nc and returns 0; otherwise prints one line (no
 * servers, authorization violation, ...) and returns CLI_EXIT_FAIL. */
int cli_connect(struct cli_run *r);
/* Like cli_connect() but silent: returns 0, or -1 with the reason in <err> (capacity <cap>). */
int cli_connect_err(struct cli_run *r, char *err, size_t cap);
/* Makes one more connection with the same settings into <*nc> (caller destroys it); returns 0
 * or -1 with the reason in <err>. Any thread may call it (bench clients). */
int cli_connect_new(struct cli_run *r, natsConnection **nc, char *err, size_t cap);
/* Returns the server URL the invocation would use (flag, env, context or default). */
const char *cli_server_url(const struct cli_run *r);
/* Describes libnats status <s> for an error line (uses the thread's last error text). */
const char *cli_nats_err(natsStatus s);
extern const struct cli_cmd cli_context_cmd;

/* ---- jsapi.c: JetStream API over request-reply ---- */

/* An API failure: a JSON error from the server, or a transport problem (code 0). */
struct cli_jserr {
    int code;       /* HTTP-like code (404, 400, 503) or 0 for transport errors */
    int err_code;   /* nats-server err_code, 0 when none */
    char desc[512]; /* description, never empty after a failure */
};

/* Sends <req> (NULL: empty body) to <subject> (full, "$JS.API...."), waits up to the run's
 * timeout and parses the JSON reply into <*resp> (caller decrefs). Returns 0; or -1 with
 * <e> filled when the request failed, timed out, nobody answered (JetStream not enabled)
 * or the reply holds an "error". */
int cli_js_call(struct cli_run *r, const char *subject, const json_t *req, json_t **resp,
                struct cli_jserr *e);
/* Every item of a paged LIST/NAMES API <api> (array member <field>), following offset and
 * total; <subject> filters when not NULL. Returns a new array, or NULL with <e> set. */
json_t *cli_js_list_all(struct cli_run *r, const char *api, const char *field, const char *subject,
                        struct cli_jserr *e);
/* Like cli_js_call() with the subject built from printf <fmt>. */
int cli_js_callf(struct cli_run *r, json_t **resp, struct cli_jserr *e, const json_t *req,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Prints <e> as the one error line, prefixed by <what> when not NULL; returns CLI_EXIT_FAIL. */
int cli_js_fail(const struct cli_jserr *e, const char *what);

/* Delivery metadata parsed from a JetStream ack subject. */
struct cli_jsmeta {
    char stream[256];   /* stream name */
    char consumer[256]; /* consumer name */
    uint64_t delivered; /* delivery count */
    uint64_t sseq;      /* stream sequence */
    uint64_t cseq;      /* consumer sequence */
    int64_t ts;         /* Unix nanoseconds */
    uint64_t pending;   /* messages left after this one */
};
/* Parses "$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>" (also the
 * longer v2 form); returns 0 or -1. */
int cli_jsmeta_parse(const char *reply, struct cli_jsmeta *m);

/* Reading a stream through an ephemeral push consumer. */
struct cli_iter {
    const char *stream;     /* stream to read */
    const char *filter;     /* filter subject or NULL */
    const char *deliver;    /* deliver_policy: "all", "last", "new", "last_per_subject",
                               "by_start_sequence", "by_start_time"; NULL = all */
    uint64_t start_seq;     /* for by_start_sequence */
    const char *start_time; /* RFC 3339 for by_start_time */
    bool headers_only;      /* ask for headers only */
    bool follow;            /* keep waiting for new messages (watch) */
};
/* Called per message with its metadata; return nonzero to stop. */
typedef int (*cli_iter_cb)(void *arg, natsMsg *m, const struct cli_jsmeta *meta);
/* Reads <it>->stream from the start position until nothing is pending (or forever when
 * following), calling <cb> per message. Returns 0, or prints an error and returns
 * CLI_EXIT_FAIL. The consumer is deleted afterwards. */
int cli_js_iterate(struct cli_run *r, const struct cli_iter *it, cli_iter_cb cb, void *arg);

/* A stored message fetched with $JS.API.STREAM.MSG.GET. */
struct cli_smsg {
    char *subject;   /* heap */
    uint64_t seq;    /* stream sequence */
    int64_t ts;      /* Unix nanoseconds */
    struct buf hdrs; /* raw "NATS/1.0\r\n..." header block, may be empty */
    struct buf data; /* payload */
};
/* Fetches sequence <seq> (when <last_subj> is NULL) or the last message on <last_subj> from
 * <stream>. Returns 0 with <m> filled (free with cli_smsg_free), or -1 with <e> filled. */
int cli_js_msg_get(struct cli_run *r, const char *stream, uint64_t seq, const char *last_subj,
                   struct cli_smsg *m, struct cli_jserr *e);
void cli_smsg_free(struct cli_smsg *m);
/* Returns a new string (free()) with the value of header <name> in the raw block <hdrs>
 * (case-insensitive), or NULL. */
char *cli_hdr_get(const char *hdrs, size_t n, const char *name);
/* Publishes <msg> (subject, headers and data set by the caller; not consumed) and waits for
 * the JetStream PubAck. Returns 0 with <*seq> set (and <*ack> the parsed ack when <ack> is not
 * NULL, caller decrefs), or -1 with <e> filled (no stream for the subject, API error). */
int cli_js_publish(struct cli_run *r, natsMsg *msg, uint64_t *seq, json_t **ack,
                   struct cli_jserr *e);

/* ---- core.c: message helpers ---- */

/* Returns a new string (free()) with the {{...}} templates of <in> expanded for message
 * number <count>; {{Request}} becomes <request> when not NULL. */
char *cli_tmpl_render(const char *in, int64_t count, const char *request);
/* Creates <*out> on <subject> with <reply> (may be NULL), <body>/<len> and the -H headers of
 * the command (values templated with <count>). Returns 0, or prints and returns
 * CLI_EXIT_FAIL. The caller destroys <*out>. */
int cli_msg_build(struct cli_run *r, natsMsg **out, const char *subject, const char *reply,
                  const char *body, size_t len, int64_t count);
/* Prints the headers of <m> as "Key: Value" lines and a blank line (nothing without). */
void cli_msg_headers_print(natsMsg *m, FILE *out);
/* Returns a new JSON object {subject, reply, headers, data|data_base64} for <m>. */
json_t *cli_msg_json(natsMsg *m);
/* Adds "headers" (parsed from the raw NATS/1.0 block <hdrs>/<hlen>) and "data" (text) or
 * "data_base64" (binary) for <data>/<n> to the JSON object <j>. (stream_msg.c) */
void cli_json_add_body(json_t *j, const char *hdrs, size_t hlen, const char *data, size_t n);
/* Prints a body and a newline on stdout, or "nil body" when empty. */
void cli_body_print(const char *data, size_t n);

/* ---- the command groups ---- */
extern const struct cli_cmd cli_pub_cmd, cli_sub_cmd, cli_request_cmd, cli_reply_cmd;
extern const struct cli_cmd cli_server_cmd;
extern const struct cli_cmd cli_stream_cmd;
extern const struct cli_cmd cli_consumer_cmd;
extern const struct cli_cmd cli_kv_cmd;
extern const struct cli_cmd cli_obj_cmd;
extern const struct cli_cmd cli_bench_cmd;
extern const struct cli_cmd cli_completion_cmd;

/* stream.c: helpers shared by the JetStream commands. */
/* Asks <question> on a terminal; without one requires --force (the command must declare it).
 * Returns 0 to proceed, -1 when the user declined, CLI_EXIT_FAIL (after an error line). */
int cli_confirm_or_force(struct cli_run *r, const char *question);
/* Returns the STREAM.INFO reply for <name> (less "type"; <req> may be NULL), or NULL with <e>. */
json_t *cli_stream_info_get(struct cli_run *r, const char *name, const json_t *req,
                            struct cli_jserr *e);
/* Returns every stream info (all STREAM.LIST pages, optionally only those holding <subject>),
 * or NULL with <e>. */
json_t *cli_stream_list(struct cli_run *r, const char *subject, struct cli_jserr *e);
extern const struct cli_cmd cli_stream_get_cmd, cli_stream_rmm_cmd, cli_stream_view_cmd,
    cli_stream_subjects_cmd;

/* stream_cfg.c: builds a stream config from flags (and prompts); used by stream add/edit/copy
 * and kv/obj add. <base> (borrowed, may be NULL) is the config to start from. Returns a new
 * config or NULL after printing an error. */
json_t *cli_stream_cfg_from_flags(struct cli_run *r, const char *name, const json_t *base,
                                  bool edit);
/* Prints a stream info response (config + state) the way `stream info` does. */
void cli_stream_info_print(const json_t *info);
/* Prints a consumer info response the way `consumer info` does. */
void cli_consumer_info_print(const json_t *info);

/* The top of the command tree, for help and completion. */
extern const struct cli_cmd cli_root_cmd;
/* Prints help for the command at <path> (NULL-terminated names under the root) on <out>. */
void cli_help_print(const struct cli_cmd *cmd, const char *path, bool to_stderr);

#endif
