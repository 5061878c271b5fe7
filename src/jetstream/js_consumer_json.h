/* The consumer half of the JetStream JSON layer: ConsumerConfig (decode,
 * encode, defaults, checks, update rules), the CONSUMER.* request and
 * response shapes, ConsumerInfo, pull requests, ack reply subjects and ack
 * bodies, the status header blocks consumers send, and the consumer
 * advisories, all byte for byte as nats-server 2.9.10 (checked against the
 * binary; tests/unit/jetstream/captures_consumer.h).
 *
 * Same conventions as js_json.h: Go encoding/json decoding rules (unknown
 * keys ignored, ASCII case-insensitive keys, wrong types -> 10025), pure
 * functions callable from any thread, config/request structs own their
 * strings (freed by _deinit()), encoder inputs borrow everything, times are
 * int64 ns since the epoch (0 = Go's zero time where a time is printed).
 *
 * The create flow, in nats-server's order (the first failing step decides
 * the error a client sees):
 *   js_consumer_create_subject_parse()  subject -> kind/stream/name/filter
 *   js_consumer_create_req_parse()      body -> request (10025)
 *   js_consumer_create_req_check()      10056 10127 10017-10020 10131 10074
 *   (caller) stream lookup              10059
 *   js_consumer_config_check()          defaults + 10126 ... 10132
 *   existing consumer of that name?     js_consumer_config_check_update()
 *   else                                js_consumer_config_check_new()
 */
#ifndef GN_JETSTREAM_JS_CONSUMER_JSON_H
#define GN_JETSTREAM_JS_CONSUMER_JSON_H

#include "jetstream/js_json.h"

/* ------------------------------------------------------------------ */
/* Consumer configuration                                              */
/* ------------------------------------------------------------------ */

enum js_deliver_policy {
    JS_DELIVER_ALL = 0,           /* "all" (also accepted: "undefined") */
    JS_DELIVER_LAST,              /* "last" */
    JS_DELIVER_NEW,               /* "new" */
    JS_DELIVER_BY_START_SEQUENCE, /* "by_start_sequence" */
    JS_DELIVER_BY_START_TIME,     /* "by_start_time" */
    JS_DELIVER_LAST_PER_SUBJECT,  /* "last_per_subject" */
};

enum js_ack_policy {
    JS_ACK_NONE = 0, /* "none" (the JSON zero value) */
    JS_ACK_ALL,      /* "all" */
    JS_ACK_EXPLICIT, /* "explicit" */
};

enum js_replay_policy {
    JS_REPLAY_INSTANT = 0, /* "instant" */
    JS_REPLAY_ORIGINAL,    /* "original" */
};

/* ConsumerConfig of nats-server 2.9.10 plus 2.10's filter_subjects and
 * metadata, which are emitted only when set. Durations are ns; Go ints are
 * int64. NULL strings mean empty. Defaults come from
 * js_consumer_config_check(). */
struct js_consumer_config {
    char *durable_name; /* set = durable */
    char *name;         /* 2.9 consumer name */
    char *description;  /* <= 4096 bytes */
    enum js_deliver_policy deliver_policy;
    uint64_t opt_start_seq;    /* 0 = unset */
    bool has_opt_start_time;   /* opt_start_time present */
    int64_t opt_start_time;    /* ns UTC, or JS_TIME_ZERO */
    int32_t opt_start_time_tz; /* zone offset it was given in, s */
    enum js_ack_policy ack_policy;
    int64_t ack_wait;    /* default 30s for ack all/explicit */
    int64_t max_deliver; /* 0 -> -1 (unlimited) */
    int64_t *backoff;    /* redelivery delays; NULL/0 = none */
    size_t nbackoff;
    char *filter_subject;   /* must be inside the stream's subjects */
    char **filter_subjects; /* 2.10; NULL/0 = none */
    size_t nfilter_subjects;
    enum js_replay_policy replay_policy;
    uint64_t rate_limit_bps;         /* push only */
    char *sample_freq;               /* "50%" or "50" */
    int64_t max_waiting;             /* pull only, default 512 */
    int64_t max_ack_pending;         /* default 1000 for ack all/explicit */
    int64_t idle_heartbeat;          /* push only, >= 100ms */
    bool flow_control;               /* push only, needs idle_heartbeat */
    bool headers_only;               /* deliver headers + Nats-Msg-Size */
    int64_t max_batch;               /* pull: max request batch */
    int64_t max_expires;             /* pull: max request expires, ns */
    int64_t max_bytes;               /* pull: max request max_bytes */
    char *deliver_subject;           /* set = push consumer */
    char *deliver_group;             /* push queue group */
    int64_t inactive_threshold;      /* ns; 5s default for ephemerals */
    int64_t num_replicas;            /* 0 = inherit from the stream */
    bool mem_storage;                /* force memory state */
    bool direct;                     /* internal (mirror/source) consumer */
    struct js_metadata_kv *metadata; /* 2.10; NULL/0 = none */
    size_t nmetadata;
};

/* Caller-storage lifetime: init zeroes, deinit frees every owned field. */
void js_consumer_config_init(struct js_consumer_config *c);
void js_consumer_config_deinit(struct js_consumer_config *c);
/* Deep-copies <src> into <dst>, which must be uninitialised or deinited. */
void js_consumer_config_copy(struct js_consumer_config *dst, const struct js_consumer_config *src);
/* Field-by-field equality (reflect.DeepEqual as nats-server uses it, NULL
 * and "" being the same, an opt_start_time equal when instant and zone
 * offset are). */
bool js_consumer_config_equal(const struct js_consumer_config *a,
                              const struct js_consumer_config *b);
/* True for a durable (durable_name set). */
bool js_consumer_config_is_durable(const struct js_consumer_config *c);

/* Decodes ConsumerConfig JSON into <out> (initialised by this call; deinit
 * it even on failure). Enum strings are matched exactly as 2.9.10 does
 * ("Last" and null are refused). Returns 0, or ERR_INVAL with <err> =
 * JS_ERR_INVALID_JSON. <err>/<detail> may be NULL. Known deviations are
 * those of js_stream_config_parse(). */
int js_consumer_config_parse(const char *json, size_t len, struct js_consumer_config *out,
                             enum js_err *err, char *detail, size_t cap) WARN_UNUSED;

/* Appends the config the way 2.9.10 marshals it (omitempty members left
 * out, num_replicas always present, 2.10 members only when set). */
void js_consumer_config_json(struct buf *b, const struct js_consumer_config *c);

/* ------------------------------------------------------------------ */
/* Create requests and checks                                          */
/* ------------------------------------------------------------------ */

enum js_consumer_create_kind {
    JS_CCREATE_EPHEMERAL = 0, /* CONSUMER.CREATE.<stream> (legacy) */
    JS_CCREATE_NAMED,         /* CONSUMER.CREATE.<stream>.<name>[.<filter>] (2.9) */
    JS_CCREATE_DURABLE,       /* CONSUMER.DURABLE.CREATE.<stream>.<durable> */
};

/* What the create subject says; the pointers point into the subject given
 * to js_consumer_create_subject_parse() and are not NUL-terminated. */
struct js_consumer_create_subject {
    enum js_consumer_create_kind kind;
    const char *stream; /* the <stream> token */
    size_t stream_len;
    const char *name; /* <name>/<durable>, NULL for JS_CCREATE_EPHEMERAL */
    size_t name_len;
    const char *filter; /* the remaining tokens joined, NULL when absent */
    size_t filter_len;
};

/* Splits a create subject <subject> (the part after the API prefix, e.g.
 * "CONSUMER.CREATE.S.n.orders.>") into <out>. Returns 0, or ERR_INVAL when
 * 2.9.10 would not answer at all (not a create subject, empty tokens,
 * DURABLE.CREATE with other than 2 more tokens). */
int js_consumer_create_subject_parse(const char *subject,
                                     struct js_consumer_create_subject *out) WARN_UNUSED;

/* CONSUMER.CREATE body: {"stream_name":"S","config":{...}}. */
struct js_consumer_create_req {
    char *stream_name;
    struct js_consumer_config config;
};
/* Decodes the body (a null "config" leaves the zero config). Initialises
 * <out>; deinit it even on failure. Returns 0 or ERR_INVAL with 10025. */
int js_consumer_create_req_parse(const char *body, size_t len, struct js_consumer_create_req *out,
                                 enum js_err *err, char *detail, size_t cap) WARN_UNUSED;
void js_consumer_create_req_deinit(struct js_consumer_create_req *r);

/* The create handler's checks before the stream lookup, in 2.9.10's order:
 * stream name vs subject (10056), path separators in the subject name
 * (10127), durable rules (DURABLE.CREATE: no durable_name 10018, another
 * one 10017; 2.9 form: a durable_name other than the subject name 10017;
 * legacy ephemeral: any durable_name 10020), the filter in the subject vs
 * filter_subject (10131), num_replicas > 1 when not <clustered> (10074).
 * For JS_CCREATE_NAMED the subject's name replaces config.name. Returns 0
 * or ERR_INVAL with <err> and the description in <detail> (may be NULL). */
int js_consumer_create_req_check(const struct js_consumer_create_subject *subj,
                                 struct js_consumer_create_req *req, bool clustered,
                                 enum js_err *err, char *detail, size_t cap) WARN_UNUSED;

/* What the consumer checks need to know of the server; all but <stream>
 * may be 0/NULL. Only read during the call. */
struct js_consumer_env {
    const struct js_stream_config *stream; /* the parent stream (required) */
    /* Other streams by name, for the subjects of mirrors and sources. */
    const struct js_stream_config *(*lookup)(void *arg, const char *name);
    void *lookup_arg;
    /* filter_subject of every existing consumer of the stream, direct ones
     * included (NULL or "" = unfiltered): the workqueue checks. */
    const char *const *other_filters;
    size_t nother;
    int64_t num_public_consumers;  /* existing non-direct consumers */
    int64_t max_consumers;         /* effective limit (stream/account), <= 0 none */
    int64_t srv_max_ack_pending;   /* server limits.max_ack_pending, <= 0 none */
    int64_t acc_max_ack_pending;   /* account limit, <= 0 none */
    int64_t srv_max_request_batch; /* server limits.max_request_batch, <= 0 none */
    bool recovering;               /* skip the filter subset check, as on restart */
};

/* setConsumerConfigDefaults + checkConsumerCfg of 2.9.10: fills ack_wait
 * (30s for ack all/explicit; backoff[0] when backoff is set), max_deliver
 * (-1), max_waiting (512 for pull), max_ack_pending (1000, or a lower
 * limit, for ack all/explicit), max_batch (server limit for pull), then
 * checks in order: replicas (10126, 10133), backoff (10116), description
 * (10107), push (10079 10112 10081 10080 10082 10083) or pull (10084 10086
 * 10087 10088 10089 10114 10115 10125), 10121, direct (10090 10091), filter
 * subset (10093), deliver policy/start combinations (10094), sample_freq
 * (10095), flow control without heartbeat (10108), durable vs name (10132).
 * The ephemeral inactive_threshold default is not applied here (2.9.10 does
 * it later; see _check_new/_check_update). Returns 0 or ERR_INVAL with <err>
 * and the full description in <detail>; <cfg> may be partly defaulted. */
int js_consumer_config_check(struct js_consumer_config *cfg, const struct js_consumer_env *env,
                             enum js_err *err, char *detail, size_t cap) WARN_UNUSED;

/* The steps for a name that does not exist yet, after _check(): max
 * consumers (10026), workqueue rules unless direct (10098, 10099, 10100 for
 * a filter that is a subset or superset of another's, 10101), durable name
 * length (10102), name validity (10103) of <name> (the durable, the 2.9
 * name or the generated legacy name), then inactive_threshold = 5s for a
 * non-durable without a positive one. Same return contract. */
int js_consumer_config_check_new(struct js_consumer_config *cfg, const char *name,
                                 const struct js_consumer_env *env, enum js_err *err, char *detail,
                                 size_t cap) WARN_UNUSED;

/* checkNewConsumerConfig of 2.9.10 for a create that names an existing
 * consumer <old>, after _check() on <cfg>: equal configs are fine;
 * otherwise deliver policy, start sequence, start time (refused whenever
 * either config has one: 2.9.10 compares the pointers), ack policy, replay
 * policy, heartbeat, flow control, max waiting and a pull/push switch are
 * refused with 10012 (HTTP 500, text like "ack policy can not be
 * updated"); a new deliver subject while the old one has interest
 * (<deliver_bound>) is 10013; backoff vs max_deliver is 10116. On success
 * applies the ephemeral inactive_threshold default when <old> is not
 * durable; <cfg> is then the config to store. Same return contract. */
int js_consumer_config_check_update(const struct js_consumer_config *old,
                                    struct js_consumer_config *cfg, bool deliver_bound,
                                    enum js_err *err, char *detail, size_t cap) WARN_UNUSED;

/* ------------------------------------------------------------------ */
/* Other requests                                                      */
/* ------------------------------------------------------------------ */

/* CONSUMER.NAMES / CONSUMER.LIST: {"offset":N}. An empty request is offset
 * 0; a negative offset is clamped to 0 (2.9.10 would panic). Returns 0 or
 * ERR_INVAL with 10025. */
int js_consumer_names_req_parse(const char *body, size_t len, int64_t *offset, enum js_err *err,
                                char *detail, size_t cap) WARN_UNUSED;

/* CONSUMER.MSG.NEXT body (JSApiConsumerGetNextRequest). */
struct js_pull_req {
    int64_t batch;          /* as sent (2.9.10 delivers one message for <= 0) */
    int64_t expires;        /* ns; 0 = waits until satisfied */
    int64_t max_bytes;      /* 0 = no byte limit */
    bool no_wait;           /* answer 404/408 instead of waiting */
    int64_t idle_heartbeat; /* ns; 0 = none */
};

/* Parses a pull request body like nextReqFromMsg: after trimming Unicode
 * white space, empty is batch 1; a body starting with '{' is JSON (Go's
 * rules and Go's error texts); otherwise a decimal integer (strconv.Atoi)
 * is the batch and anything else is batch 1. A heartbeat with 2*hb >
 * expires fails. Returns 0, or -1 with the complete status block
 * "NATS/1.0 400 Bad Request - <Go error>\r\n\r\n" appended to <status>. */
int js_pull_req_parse(const char *body, size_t len, struct js_pull_req *out,
                      struct buf *status) WARN_UNUSED;

/* The consumer limits a pull request must respect, in 2.9.10's order:
 * batch > max_batch, expires > max_expires, max_bytes > max_bytes (each
 * only when both are set). Returns 0, or -1 with the 409 status block
 * appended to <status>. (Push consumers answer "409 Consumer is push
 * based" before parsing; waiting-queue outcomes are the caller's.) */
int js_pull_req_check(const struct js_pull_req *r, const struct js_consumer_config *cfg,
                      struct buf *status) WARN_UNUSED;

/* ------------------------------------------------------------------ */
/* Acks                                                                */
/* ------------------------------------------------------------------ */

/* The reply subject of a delivered message:
 * $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>. */
struct js_ack_reply {
    const char *stream; /* points into the parsed subject, not terminated */
    size_t stream_len;
    const char *consumer;
    size_t consumer_len;
    uint64_t delivered; /* delivery count */
    uint64_t sseq;      /* stream sequence */
    uint64_t cseq;      /* consumer (delivery) sequence */
    int64_t ts;         /* message timestamp, ns */
    uint64_t pending;   /* messages pending after this one */
};
/* Appends the ack reply subject. <stream>/<consumer> must be single tokens. */
void js_ack_reply_build(struct buf *b, const char *stream, const char *consumer, uint64_t delivered,
                        uint64_t sseq, uint64_t cseq, int64_t ts, uint64_t pending);
/* Parses <subject>[0..<len>): exactly 9 tokens starting "$JS.ACK", the five
 * numbers plain decimal digits fitting int64. Returns 0, ERR_PARSE for
 * another shape, or ERR_INVAL when a number is not one (stream and
 * consumer are set then; 2.9.10 acts on sequence 2^64-1, i.e. on
 * nothing, but still confirms a double ack). */
int js_ack_reply_parse(const char *subject, size_t len, struct js_ack_reply *out) WARN_UNUSED;

enum js_ack_op {
    JS_ACK_OP_ACK = 0,  /* empty, "+ACK" or "+OK" */
    JS_ACK_OP_NAK,      /* "-NAK" prefix, optional delay */
    JS_ACK_OP_PROGRESS, /* "+WPI" */
    JS_ACK_OP_NEXT,     /* "+NXT" prefix: ack, then a pull request */
    JS_ACK_OP_TERM,     /* "+TERM" */
    JS_ACK_OP_IGNORE,   /* anything else (2.9.10 still answers a reply) */
};

struct js_ack_body {
    enum js_ack_op op;
    bool has_delay;   /* NAK with a parsed delay (may be 0 or negative) */
    int64_t delay;    /* ns */
    const char *next; /* NEXT: the pull request after "+NXT" (in the body) */
    size_t next_len;
};
/* Classifies an ack body (the payload after any headers) in 2.9.10's order:
 * ack, +NXT, -NAK, +WPI, +TERM (exact; "+TERM reason" is ignored by
 * 2.9.10). A NAK delay is `{"delay":ns}` JSON or a Go duration ("1.5s")
 * after trimming; a bad one makes a plain NAK. Never fails. */
void js_ack_body_parse(const char *body, size_t len, struct js_ack_body *out);

/* ------------------------------------------------------------------ */
/* Status header blocks ("NATS/1.0 <code> <text>\r\n...\r\n")          */
/* ------------------------------------------------------------------ */

enum js_status {
    JS_STATUS_FLOW_CONTROL = 0,  /* 100 FlowControl Request */
    JS_STATUS_NO_MESSAGES,       /* 404 No Messages */
    JS_STATUS_REQUESTS_PENDING,  /* 408 Requests Pending */
    JS_STATUS_CONSUMER_DELETED,  /* 409 Consumer Deleted */
    JS_STATUS_LEADERSHIP_CHANGE, /* 409 Leadership Change */
    JS_STATUS_PUSH_BASED,        /* 409 Consumer is push based */
    JS_STATUS_MAX_WAITING,       /* 409 Exceeded MaxWaiting */
    JS_STATUS_REQUEST_TIMEOUT,   /* 408 Request Timeout + pending headers */
    JS_STATUS_INTEREST_EXPIRED,  /* 408 Interest Expired + pending headers */
    JS_STATUS_MSG_SIZE_EXCEEDS,  /* 409 Message Size Exceeds MaxBytes + pending */
    JS_STATUS__COUNT
};

/* Appends the block for <s>. The last three carry
 * "Nats-Pending-Messages: <msgs>" and "Nats-Pending-Bytes: <bytes>" (the
 * request's remaining batch and bytes); the others ignore them. */
void js_status_block(struct buf *b, enum js_status s, int64_t msgs, int64_t bytes);
/* 100 Idle Heartbeat with Nats-Last-Consumer/Nats-Last-Stream, plus
 * Nats-Consumer-Stalled: <stalled> (the pending flow control reply) when
 * <stalled> is non-empty. */
void js_status_idle_heartbeat(struct buf *b, uint64_t last_cseq, uint64_t last_sseq,
                              const char *stalled);
/* 409 Exceeded MaxRequestBatch of <n> / MaxRequestExpires of <Go duration>
 * / MaxRequestMaxBytes of <n>. */
void js_status_exceeded_batch(struct buf *b, int64_t n);
void js_status_exceeded_expires(struct buf *b, int64_t ns);
void js_status_exceeded_max_bytes(struct buf *b, int64_t n);
/* 400 Bad Request - <err>. */
void js_status_bad_request(struct buf *b, const char *err);

/* ------------------------------------------------------------------ */
/* ConsumerInfo and responses                                          */
/* ------------------------------------------------------------------ */

/* SequenceInfo; last_active is omitted when 0. */
struct js_sequence_info {
    uint64_t consumer_seq;
    uint64_t stream_seq;
    int64_t last_active; /* ns */
};

/* ConsumerInfo as 2.9.10 sends it on a single server ("cluster" is never
 * emitted; "push_bound" only when true). */
struct js_consumer_info {
    const char *stream_name;
    const char *name;
    int64_t created;                         /* ns */
    const struct js_consumer_config *config; /* NULL = omitted */
    struct js_sequence_info delivered;
    struct js_sequence_info ack_floor;
    int64_t num_ack_pending;
    int64_t num_redelivered;
    int64_t num_waiting; /* pull only */
    uint64_t num_pending;
    bool push_bound; /* push consumer with interest */
};

/* Appends the members without braces (for responses that embed them). */
void js_consumer_info_fields(struct buf *b, const struct js_consumer_info *ci);
void js_consumer_info_json(struct buf *b, const struct js_consumer_info *ci);

/* CONSUMER.CREATE / DURABLE.CREATE and CONSUMER.INFO success responses. */
void js_resp_consumer_create(struct buf *b, const struct js_consumer_info *ci);
void js_resp_consumer_info(struct buf *b, const struct js_consumer_info *ci);
/* CONSUMER.NAMES (limit 1024): "consumers" is [] when empty. */
void js_resp_consumer_names(struct buf *b, int64_t total, int64_t offset, int64_t limit,
                            const char *const *names, size_t n);
/* CONSUMER.LIST (limit 256): "consumers" is [] when empty; "missing" only
 * when <nmissing> > 0. */
void js_resp_consumer_list(struct buf *b, int64_t total, int64_t offset, int64_t limit,
                           const struct js_consumer_info *infos, size_t n,
                           const char *const *missing, size_t nmissing);
/* An error response of a consumer API type <t>. Unlike js_resp_error() it
 * prints the names/list trailer as 2.9.10 does:
 * "total":0,"offset":0,"limit":0,"consumers":[]. <desc> NULL = row text.
 * CONSUMER.DELETE success is js_resp_success(JS_RESP_CONSUMER_DELETE). */
void js_resp_consumer_error(struct buf *b, enum js_resp_type t, enum js_err e, const char *desc);

/* ------------------------------------------------------------------ */
/* Advisories and metrics                                              */
/* ------------------------------------------------------------------ */
/* <domain> NULL/"" is omitted. <id> is a NUID, <ts> the event time (ns). */

/* $JS.EVENT.ADVISORY.CONSUMER.{CREATED,DELETED}.<s>.<c> (consumer_action);
 * <action> is "create" or "delete". */
void js_advisory_consumer_action(struct buf *b, const char *id, int64_t ts, const char *stream,
                                 const char *consumer, const char *action, const char *domain);

enum js_delivery_event {
    JS_EVENT_NAK = 0,    /* ...CONSUMER.MSG_NAKED.<s>.<c>, type nak */
    JS_EVENT_TERMINATED, /* ...CONSUMER.MSG_TERMINATED.<s>.<c>, type terminated */
    JS_EVENT_MAX_DELIVER /* ...CONSUMER.MAX_DELIVERIES.<s>.<c>, type max_deliver
                            (no consumer_seq member) */
};
/* The delivery advisories: stream, consumer, consumer_seq, stream_seq,
 * deliveries (and domain). */
void js_advisory_consumer_delivery(struct buf *b, enum js_delivery_event ev, const char *id,
                                   int64_t ts, const char *stream, const char *consumer,
                                   uint64_t cseq, uint64_t sseq, uint64_t deliveries,
                                   const char *domain);
/* $JS.EVENT.METRIC.CONSUMER.ACK.<s>.<c> (sampled acks, sample_freq):
 * ack_time is ns between delivery and ack. */
void js_metric_consumer_ack(struct buf *b, const char *id, int64_t ts, const char *stream,
                            const char *consumer, uint64_t cseq, uint64_t sseq, int64_t ack_time,
                            uint64_t deliveries, const char *domain);

/* Subject prefixes of the above (append ".<stream>.<consumer>"). */
#define JS_ADVISORY_CONSUMER_CREATED_PRE     "$JS.EVENT.ADVISORY.CONSUMER.CREATED"
#define JS_ADVISORY_CONSUMER_DELETED_PRE     "$JS.EVENT.ADVISORY.CONSUMER.DELETED"
#define JS_ADVISORY_CONSUMER_MAX_DELIVER_PRE "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES"
#define JS_ADVISORY_CONSUMER_TERMINATED_PRE  "$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED"
#define JS_ADVISORY_CONSUMER_NAKED_PRE       "$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED"
#define JS_METRIC_CONSUMER_ACK_PRE           "$JS.EVENT.METRIC.CONSUMER.ACK"

#endif
