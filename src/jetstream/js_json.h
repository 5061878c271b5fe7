/* The JSON layer of JetStream: stream configuration, stream info, API
 * request bodies and responses, advisories, shaped byte for byte like
 * nats-server 2.9.10 (field order, omitted zero fields, Go's escaping of
 * '<' '>' '&', durations as integer nanoseconds, times as RFC 3339 with
 * nanoseconds).
 *
 * Decoding follows Go's encoding/json as nats-server uses it: unknown keys
 * are ignored, keys match case-insensitively (ASCII), null leaves a scalar
 * unchanged and clears a list or object, a known key with the wrong JSON type
 * fails the whole request with 10025 "invalid JSON". Pure functions: bytes
 * in, structs out; no sockets, no server state (callers pass what they know
 * of other streams through struct js_stream_env). Any thread.
 *
 * Ownership: strings and arrays inside the config and request structs are
 * heap copies owned by the struct (NULL means empty) and freed by its
 * _deinit(). Structs only passed to encoders (state, info, responses) borrow
 * everything.
 *
 * Times: int64 nanoseconds since the Unix epoch, UTC. In the encoder
 * inputs (state, info, messages, advisories) 0 stands for Go's zero time and
 * prints as "0001-01-01T00:00:00Z", which is what an empty stream shows.
 */
#ifndef GN_JETSTREAM_JS_JSON_H
#define GN_JETSTREAM_JS_JSON_H

#include "jetstream/js_errors.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* Go-compatible JSON primitives                                       */
/* ------------------------------------------------------------------ */

/* Go's zero time for js_time_fmt()/js_time_parse() (and opt_start_time),
 * where 0 is the Unix epoch. */
#define JS_TIME_ZERO INT64_MIN

/* Appends <s>[0..<len>) as a JSON string the way Go's encoding/json does:
 * `"` `\` and controls escaped (\n \r \t, others \u00XX), '<' '>' '&' as
 * \u003c \u003e \u0026, U+2028/U+2029 escaped, invalid UTF-8 as \ufffd. */
void js_json_str(struct buf *b, const char *s, size_t len);
/* js_json_str() of a C string; NULL is "". */
void js_json_cstr(struct buf *b, const char *s);
/* Appends a quoted RFC 3339 time with nanoseconds (trailing zeros trimmed)
 * in UTC; 0 and JS_TIME_ZERO print Go's zero time. */
void js_json_time(struct buf *b, int64_t ns);
/* Formats <ns> as Go's time.RFC3339Nano in the zone <tz_off_sec> seconds
 * east of UTC ("Z" when 0) into <out> (>= 48 bytes; always NUL-terminated,
 * truncated to fit). JS_TIME_ZERO prints "0001-01-01T00:00:00Z". Returns the
 * length of the full text. */
size_t js_time_fmt(int64_t ns, int32_t tz_off_sec, char *out, size_t cap);
/* Parses <s> like Go's time.Parse(time.RFC3339, s): "2006-01-02T15:04:05"
 * plus optional fraction (',' or '.', extra digits beyond 9 dropped) and "Z"
 * or "+hh:mm"/"-hh:mm". Returns 0 and fills <ns> (UTC; JS_TIME_ZERO for
 * "0001-01-01T00:00:00Z") and <tz_off_sec>, or ERR_PARSE (also for times
 * outside int64 nanoseconds, 1677..2262). */
int js_time_parse(const char *s, size_t len, int64_t *ns, int32_t *tz_off_sec) WARN_UNUSED;
/* Appends <n> bytes of <p> as padded standard base64 (Go's []byte form),
 * without quotes. */
void js_base64_encode(struct buf *b, const void *p, size_t n);
/* Decodes padded standard base64 <s> (CR and LF ignored, like Go) and
 * appends the bytes to <out>. Returns 0 or ERR_PARSE (<out> may then hold
 * part of the output). */
int js_base64_decode(const char *s, size_t len, struct buf *out) WARN_UNUSED;
/* nats-server's isEmptyRequest: true for an empty body, "{}" or any JSON
 * object without keys. */
bool js_api_is_empty_request(const char *body, size_t len);
/* True if <name> is a valid stream/consumer name: non-empty, none of
 * " \t\r\n\f.*>". (Path separators are checked separately: 10128.) */
bool js_name_is_valid(const char *name);
/* Checks a subject transform (republish src/dest) like nats-server 2.9.10:
 * both valid subjects, no '*' in <dest>, '>' in both or neither, every
 * source wildcard used by $N or {{wildcard(N)}}/{{partition(..)}}/
 * {{split(..)}}/{{splitfromleft(..)}}... tokens. Returns 0 or ERR_INVAL. */
int js_subject_transform_check(const char *src, const char *dest) WARN_UNUSED;
/* Maps the literal subject <subj> (matched by <src>) to <dest>: "$N" and
 * "{{wildcard(N)}}" take the N-th '*' token, '*' tokens take them in turn,
 * '>' takes the tail the source's '>' matched, other tokens are copied.
 * Appends the result to <out>. Returns 0, or ERR_INVAL when <subj> does
 * not match <src> (nothing useful appended). */
int js_subject_transform(const char *src, const char *dest, const char *subj, size_t slen,
                         struct buf *out) WARN_UNUSED;

/* ------------------------------------------------------------------ */
/* Stream configuration                                                */
/* ------------------------------------------------------------------ */

enum js_retention {
    JS_RETENTION_LIMITS = 0, /* "limits" */
    JS_RETENTION_INTEREST,   /* "interest" */
    JS_RETENTION_WORKQUEUE,  /* "workqueue" */
};

enum js_discard {
    JS_DISCARD_OLD = 0, /* "old" */
    JS_DISCARD_NEW,     /* "new" */
};

enum js_storage {
    JS_STORAGE_FILE = 0, /* "file" */
    JS_STORAGE_MEMORY,   /* "memory" */
};

/* Another account's stream (ExternalStream). */
struct js_external {
    char *api;     /* "api": API prefix */
    char *deliver; /* "deliver": delivery prefix */
};

/* A mirror or source (StreamSource). Parsed and kept, not implemented. */
struct js_stream_source {
    char *name;                   /* origin stream */
    uint64_t opt_start_seq;       /* 0 = unset */
    bool has_opt_start_time;      /* opt_start_time present */
    int64_t opt_start_time;       /* ns, UTC, or JS_TIME_ZERO */
    int32_t opt_start_time_tz;    /* zone offset it was given in, seconds */
    char *filter_subject;         /* optional filter */
    struct js_external *external; /* NULL = same account */
};

/* Placement hints. */
struct js_placement {
    char *cluster; /* cluster name */
    char **tags;   /* server tags */
    size_t ntags;
};

/* Republish stored messages (RePublish). */
struct js_republish {
    char *src;         /* source filter; ">" after checks when empty */
    char *dest;        /* destination transform */
    bool headers_only; /* republish headers only */
};

/* One metadata entry (2.10). */
struct js_metadata_kv {
    char *key;
    char *value;
};

/* StreamConfig of nats-server 2.9.10 plus 2.10's first_seq and metadata,
 * which are emitted only when set (so 2.9-shaped configs encode exactly as
 * 2.9.10 does). Defaults are applied by js_stream_config_check(). */
struct js_stream_config {
    char *name;        /* required */
    char *description; /* <= 4096 bytes */
    char **subjects;   /* defaults to [name] */
    size_t nsubjects;
    enum js_retention retention;      /* default limits */
    int64_t max_consumers;            /* 0 -> -1 (unlimited) */
    int64_t max_msgs;                 /* 0 -> -1 */
    int64_t max_bytes;                /* 0 -> -1 */
    int64_t max_age;                  /* ns; 0 = unlimited, else >= 100ms */
    int64_t max_msgs_per_subject;     /* 0 -> -1 */
    int32_t max_msg_size;             /* 0 -> -1 */
    enum js_discard discard;          /* default old */
    enum js_storage storage;          /* default file */
    int64_t num_replicas;             /* 0 -> 1; 1..5 */
    bool no_ack;                      /* publishes get no PubAck */
    char *template_owner;             /* stream template (2.9 only) */
    int64_t duplicate_window;         /* ns; default 2m or max_age if smaller */
    struct js_placement *placement;   /* NULL = none */
    struct js_stream_source *mirror;  /* NULL = not a mirror */
    struct js_stream_source *sources; /* NULL/0 = none */
    size_t nsources;
    struct js_republish *republish;  /* NULL = none */
    bool allow_direct;               /* serve DIRECT.GET */
    bool mirror_direct;              /* mirror serves the origin's DIRECT.GET */
    bool discard_new_per_subject;    /* needs discard new + max_msgs_per_subject */
    bool sealed;                     /* no more writes or deletes */
    bool deny_delete;                /* no message deletes */
    bool deny_purge;                 /* no purges */
    bool allow_rollup_hdrs;          /* Nats-Rollup allowed */
    uint64_t first_seq;              /* 2.10; 0 = unset */
    struct js_metadata_kv *metadata; /* 2.10; NULL/0 = none */
    size_t nmetadata;
};

/* Caller-storage lifetime: init zeroes, deinit frees every owned field. */
void js_stream_config_init(struct js_stream_config *c);
void js_stream_config_deinit(struct js_stream_config *c);
/* Deep-copies <src> into <dst>, which must be uninitialised or deinited. */
void js_stream_config_copy(struct js_stream_config *dst, const struct js_stream_config *src);
/* True if the two configs are equal field by field (what nats-server's
 * reflect.DeepEqual decides for a repeated create, ignoring nil-vs-empty). */
bool js_stream_config_equal(const struct js_stream_config *a, const struct js_stream_config *b);

/* Decodes the StreamConfig JSON <json>[0..<len>) into <out> (initialised by
 * this call; deinit it even on failure). Returns 0, or ERR_INVAL with <err>
 * = JS_ERR_INVALID_JSON and <detail> = "invalid JSON" (what 2.9.10 answers
 * for malformed text, wrong types, bad enum strings, out-of-range ints).
 * <err> and <detail> may be NULL. Known differences from Go's decoder, all
 * on odd input: a repeated key counts once (jansson keeps the last value
 * where Go applies both in order), strings containing \u0000 and integers
 * beyond int64 anywhere are refused, keys fold ASCII case only (not the
 * Kelvin sign or long s), a null element in "sources" is refused (2.9.10
 * would crash on it), and 2.10's "metadata"/"first_seq" are kept where
 * 2.9.10 drops them. */
int js_stream_config_parse(const char *json, size_t len, struct js_stream_config *out,
                           enum js_err *err, char *detail, size_t cap) WARN_UNUSED;

/* Appends the config as nats-server encodes it: `{"name":..,...}`. */
void js_stream_config_json(struct buf *b, const struct js_stream_config *c);

/* What the checks need to know of the server; every field may be 0/NULL. */
struct js_stream_env {
    /* Other streams of the account by name (NULL if unknown); used for the
     * mirror/source checks (10030, 10046, filter overlap, cycles) and
     * mirror_direct inheritance. The result is only read during the call. */
    const struct js_stream_config *(*lookup)(void *arg, const char *name);
    void *lookup_arg;
    int64_t max_dup_window;         /* server duplicate_window limit (ns), 0 = none */
    bool clustered;                 /* false: create refuses num_replicas > 1 (10074) */
    bool recovering;                /* skip filter-overlap checks, as on restart */
    bool max_bytes_required;        /* account limit: streams must set max_bytes (10113) */
    int64_t mem_max_stream_bytes;   /* account per-stream cap for memory, <= 0 none (10122) */
    int64_t store_max_stream_bytes; /* same for file storage */
};

/* nats-server's checkStreamCfg: applies defaults to <cfg> in place and
 * validates it. <env> may be NULL. Returns 0, or ERR_INVAL with <err> set
 * (mostly 10052) and the complete description in <detail> (may be NULL),
 * ready for js_err_json_desc(). <cfg> may be partly defaulted on failure. */
int js_stream_config_check(struct js_stream_config *cfg, const struct js_stream_env *env,
                           enum js_err *err, char *detail, size_t cap) WARN_UNUSED;

/* The checks of $JS.API.STREAM.CREATE.<subject_name> in nats-server's
 * order: name vs subject (10056), path separators (10128), sealed, mirror
 * direct without mirror, js_stream_config_check(), replicas > 1 when not
 * clustered (10074), template_owner set (10049 "stream not owned by
 * template": templates are not supported). Left to the caller afterwards:
 * an existing stream of that name (same config -> success, else 10058),
 * account limits, subject overlap with other streams (10065). Same return
 * contract as _check(). */
int js_stream_config_check_create(const char *subject_name, struct js_stream_config *cfg,
                                  const struct js_stream_env *env, enum js_err *err, char *detail,
                                  size_t cap) WARN_UNUSED;

/* The checks of $JS.API.STREAM.UPDATE.<subject_name> in nats-server's
 * order: js_stream_config_check(<cfg>), name vs subject (10056), <old> NULL
 * -> 10059 stream not found, then the update rules against <old> (name,
 * max_consumers, storage, retention, template, sealed only false->true,
 * deny_delete/deny_purge not cancelled, mirror unchanged (10055), republish
 * unchanged, discard_new_per_subject). On success <cfg> is the config to
 * store (a sealed update forces max_age 0, discard new, deny delete/purge,
 * no rollups). Replica count changes are not refused here (2.9.10 accepts
 * them on a single server). Same return contract as _check(). */
int js_stream_config_check_update(const char *subject_name, const struct js_stream_config *old,
                                  struct js_stream_config *cfg, const struct js_stream_env *env,
                                  enum js_err *err, char *detail, size_t cap) WARN_UNUSED;

#include "jetstream/js_json_api.h"

#endif
