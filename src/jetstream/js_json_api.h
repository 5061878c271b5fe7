/* JetStream API JSON, second half of js_json.h (include that one): stream
 * state and info, request bodies, responses, PubAck, account info and
 * advisories, each shaped as nats-server 2.9.10 sends it.
 *
 * Encoder inputs borrow everything; strings may be NULL (= ""). Request
 * structs own their strings (free with their _deinit()).
 */
#ifndef GN_JETSTREAM_JS_JSON_API_H
#define GN_JETSTREAM_JS_JSON_API_H

#ifndef GN_JETSTREAM_JS_JSON_H
#error "include jetstream/js_json.h instead"
#endif

/* ------------------------------------------------------------------ */
/* Stream state and info                                               */
/* ------------------------------------------------------------------ */

/* One entry of the per-subject message counts. */
struct js_subject_count {
    const char *subject;
    uint64_t count;
};

/* StreamState. Optional parts are omitted when zero/NULL, as in Go. */
struct js_stream_state {
    uint64_t messages;                       /* "messages" */
    uint64_t bytes;                          /* "bytes" */
    uint64_t first_seq;                      /* "first_seq" */
    int64_t first_ts;                        /* "first_ts", ns (0 = zero time) */
    uint64_t last_seq;                       /* "last_seq" */
    int64_t last_ts;                         /* "last_ts", ns (0 = zero time) */
    int64_t num_subjects;                    /* "num_subjects", omitted when 0 */
    const struct js_subject_count *subjects; /* "subjects" map; printed sorted by subject */
    size_t nsubjects;
    int64_t num_deleted;     /* "num_deleted", omitted when 0 */
    const uint64_t *deleted; /* "deleted" list (deleted_details) */
    size_t ndeleted;
    const uint64_t *lost_msgs; /* "lost":{"msgs":[..],"bytes":N}, when nlost > 0 */
    size_t nlost;
    uint64_t lost_bytes;
    int64_t consumer_count; /* "consumer_count" */
};

/* A replica in cluster info (PeerInfo). */
struct js_peer_info {
    const char *name;
    bool current;
    bool offline;     /* omitted when false */
    int64_t active;   /* ns since last seen */
    uint64_t lag;     /* omitted when 0 */
    const char *peer; /* peer id */
};

/* ClusterInfo; name and leader omitted when empty. */
struct js_cluster_info {
    const char *name;
    const char *leader;
    const struct js_peer_info *replicas;
    size_t nreplicas;
};

/* StreamSourceInfo for "mirror" and "sources". */
struct js_source_info {
    const char *name;
    const struct js_external *external; /* NULL = omitted */
    uint64_t lag;
    int64_t active;         /* ns since last contact, -1 = never */
    enum js_err error;      /* JS_ERR_NONE = omitted */
    const char *error_desc; /* NULL = the row's text */
};

/* StreamAlternate (mirrors serving direct gets). */
struct js_stream_alternate {
    const char *name;
    const char *domain; /* omitted when empty */
    const char *cluster;
};

/* StreamInfo. */
struct js_stream_info {
    const struct js_stream_config *config;
    int64_t created; /* ns */
    const struct js_stream_state *state;
    const char *domain;                    /* omitted when empty */
    const struct js_cluster_info *cluster; /* NULL = omitted (single server) */
    const struct js_source_info *mirror;   /* NULL = omitted */
    const struct js_source_info *sources;  /* omitted when 0 */
    size_t nsources;
    const struct js_stream_alternate *alternates;
    size_t nalternates;
};

void js_stream_state_json(struct buf *b, const struct js_stream_state *st);
/* Appends the StreamInfo members without braces
 * (`"config":{..},"created":"..","state":{..}...`), for responses that embed
 * them; js_stream_info_json() wraps them in braces. */
void js_stream_info_fields(struct buf *b, const struct js_stream_info *si);
void js_stream_info_json(struct buf *b, const struct js_stream_info *si);

/* ------------------------------------------------------------------ */
/* Request bodies                                                      */
/* ------------------------------------------------------------------ */
/* Each _parse() initialises <out> (deinit it even on failure) and returns 0
 * or ERR_INVAL with <err> and the full description in <detail> (may be
 * NULL). An empty request (js_api_is_empty_request) leaves the defaults. */

/* STREAM.NAMES and STREAM.LIST: {"offset":N,"subject":"filter"}. */
struct js_stream_names_req {
    int64_t offset; /* negative is clamped to 0 (2.9.10 would panic) */
    char *subject;  /* NULL = all streams */
};
int js_stream_names_req_parse(const char *body, size_t len, struct js_stream_names_req *out,
                              enum js_err *err, char *detail, size_t cap) WARN_UNUSED;
void js_stream_names_req_deinit(struct js_stream_names_req *r);

/* STREAM.INFO: {"deleted_details":b,"subjects_filter":"f","offset":N}. */
struct js_stream_info_req {
    bool deleted_details;
    char *subjects_filter; /* NULL = no subject details */
    int64_t offset;        /* negative is clamped to 0 */
};
int js_stream_info_req_parse(const char *body, size_t len, struct js_stream_info_req *out,
                             enum js_err *err, char *detail, size_t cap) WARN_UNUSED;
void js_stream_info_req_deinit(struct js_stream_info_req *r);

/* STREAM.PURGE: {"filter":"f","seq":N,"keep":N}; seq and keep together ->
 * 10003. present is false for an empty body (a plain full purge). */
struct js_purge_req {
    bool present;
    char *filter;
    uint64_t seq;  /* purge below this sequence */
    uint64_t keep; /* keep this many newest */
};
int js_purge_req_parse(const char *body, size_t len, struct js_purge_req *out, enum js_err *err,
                       char *detail, size_t cap) WARN_UNUSED;
void js_purge_req_deinit(struct js_purge_req *r);

/* STREAM.MSG.GET and DIRECT.GET: {"seq":N} | {"last_by_subj":"s"} |
 * {"next_by_subj":"s","seq":N}. */
struct js_msg_get_req {
    uint64_t seq;
    char *last_by_subj;
    char *next_by_subj;
};
/* MSG.GET rules: empty body, nothing set, seq with last_by_subj, or last
 * with next -> 10003 "bad request"; malformed -> 10025. */
int js_msg_get_req_parse(const char *body, size_t len, struct js_msg_get_req *out, enum js_err *err,
                         char *detail, size_t cap) WARN_UNUSED;
/* DIRECT.GET.<stream> rules. Returns 0, or 408 with <status> set to the
 * complete header block to answer with ("NATS/1.0 408 Empty Request\r\n\r\n",
 * "... 408 Malformed Request ...", "... 408 Bad Request ..."). The
 * DIRECT.GET.<stream>.<subject> form needs an empty body, else 408 Bad
 * Request (checked by the caller). */
int js_direct_get_req_parse(const char *body, size_t len, struct js_msg_get_req *out,
                            const char **status);
void js_msg_get_req_deinit(struct js_msg_get_req *r);

/* STREAM.MSG.DELETE: {"seq":N,"no_erase":b}; empty body -> 10003. */
struct js_msg_delete_req {
    uint64_t seq;
    bool no_erase;
};
int js_msg_delete_req_parse(const char *body, size_t len, struct js_msg_delete_req *out,
                            enum js_err *err, char *detail, size_t cap) WARN_UNUSED;

/* ------------------------------------------------------------------ */
/* Responses                                                           */
/* ------------------------------------------------------------------ */

/* The "type" of each API response ("io.nats.jetstream.api.v1.<x>"). */
enum js_resp_type {
    JS_RESP_ACCOUNT_INFO = 0,
    JS_RESP_STREAM_CREATE,
    JS_RESP_STREAM_UPDATE,
    JS_RESP_STREAM_DELETE,
    JS_RESP_STREAM_INFO,
    JS_RESP_STREAM_NAMES,
    JS_RESP_STREAM_LIST,
    JS_RESP_STREAM_PURGE,
    JS_RESP_STREAM_MSG_GET,
    JS_RESP_STREAM_MSG_DELETE,
    JS_RESP_STREAM_SNAPSHOT,
    JS_RESP_STREAM_RESTORE,
    JS_RESP_STREAM_REMOVE_PEER,
    JS_RESP_STREAM_LEADER_STEPDOWN,
    JS_RESP_CONSUMER_CREATE,
    JS_RESP_CONSUMER_DELETE,
    JS_RESP_CONSUMER_INFO,
    JS_RESP_CONSUMER_NAMES,
    JS_RESP_CONSUMER_LIST,
    JS_RESP_CONSUMER_LEADER_STEPDOWN,
    JS_RESP_META_LEADER_STEPDOWN,
    JS_RESP_META_SERVER_REMOVE,
    JS_RESP_ACCOUNT_PURGE,
    JS_RESP_TEMPLATE_CREATE,
    JS_RESP_TEMPLATE_DELETE,
    JS_RESP_TEMPLATE_INFO,
    JS_RESP_TEMPLATE_NAMES,
    JS_RESP__COUNT
};

/* "io.nats.jetstream.api.v1.stream_create_response" etc. */
const char *js_resp_type_str(enum js_resp_type t);

/* A complete error response of type <t>: `{"type":..,"error":{..}}` plus
 * the zero members Go still prints after it for that type (paged types:
 * "total":0,"offset":0,"limit":0; names: "streams":null; list: "streams":[];
 * purge: "purged":0; restore: "deliver_subject":""). <desc> NULL = the
 * row's own text. */
void js_resp_error(struct buf *b, enum js_resp_type t, enum js_err e, const char *desc);

/* `{"type":..,"success":true}` (stream/msg/consumer delete, stepdowns). */
void js_resp_success(struct buf *b, enum js_resp_type t);

/* STREAM.CREATE: StreamInfo members and "did_create":true. 2.9.10 fills
 * only config, created and state here (no domain, cluster, mirror or
 * sources), and sends did_create even for an identical re-create. */
void js_resp_stream_create(struct buf *b, const struct js_stream_info *si);
/* STREAM.UPDATE: StreamInfo members (2.9.10: config, created, state,
 * domain, mirror, sources; no cluster). */
void js_resp_stream_update(struct buf *b, const struct js_stream_info *si);
/* STREAM.INFO: total/offset/limit (subject paging; all 0 without a
 * subjects_filter) then the StreamInfo members. */
void js_resp_stream_info(struct buf *b, int64_t total, int64_t offset, int64_t limit,
                         const struct js_stream_info *si);
/* STREAM.NAMES (limit 1024): "streams" is null when <n> is 0. */
void js_resp_stream_names(struct buf *b, int64_t total, int64_t offset, int64_t limit,
                          const char *const *names, size_t n);
/* STREAM.LIST (limit 256): "streams" is [] when <n> is 0; "missing"
 * omitted when <nmissing> is 0. */
void js_resp_stream_list(struct buf *b, int64_t total, int64_t offset, int64_t limit,
                         const struct js_stream_info *infos, size_t n, const char *const *missing,
                         size_t nmissing);
/* STREAM.PURGE: `{"type":..,"success":true,"purged":N}`. */
void js_resp_stream_purge(struct buf *b, uint64_t purged);

/* A stored message for MSG.GET (StoredMsg). */
struct js_stored_msg {
    const char *subject;
    uint64_t seq;
    const void *hdr; /* raw header block; "hdrs" (base64) omitted when 0 */
    size_t hdr_len;
    const void *data; /* payload; "data" (base64) omitted when 0 */
    size_t data_len;
    int64_t time; /* ns */
};
/* STREAM.MSG.GET: `{"type":..,"message":{subject,seq,hdrs,data,time}}`. */
void js_resp_msg_get(struct buf *b, const struct js_stored_msg *m);

/* JetStreamAccountLimits. */
struct js_account_limits {
    int64_t max_memory;
    int64_t max_storage;
    int64_t max_streams;
    int64_t max_consumers;
    int64_t max_ack_pending;
    int64_t memory_max_stream_bytes;
    int64_t storage_max_stream_bytes;
    bool max_bytes_required;
};

/* One named tier (JetStreamTier); "tiers" printed sorted by name. */
struct js_account_tier {
    const char *name;
    uint64_t memory;
    uint64_t storage;
    int64_t streams;
    int64_t consumers;
    struct js_account_limits limits;
};

/* JetStreamAccountStats, the $JS.API.INFO answer. */
struct js_account_info {
    uint64_t memory;
    uint64_t storage;
    int64_t streams;
    int64_t consumers;
    struct js_account_limits limits;
    const char *domain; /* omitted when empty */
    uint64_t api_total;
    uint64_t api_errors;
    uint64_t api_inflight; /* omitted when 0 */
    const struct js_account_tier *tiers;
    size_t ntiers;
};
void js_resp_account_info(struct buf *b, const struct js_account_info *ai);

/* PubAck: `{"stream":"S", "seq":N}` with nats-server's space after the
 * comma, `{"stream":"S", "domain":"D", "seq":N}` with a domain, and
 * `,"duplicate": true` before the brace for a duplicate. */
void js_pub_ack_json(struct buf *b, const char *stream, const char *domain, uint64_t seq,
                     bool duplicate);
/* Failed publish: `{"error":{..},"stream":"S","seq":0}`. */
void js_pub_ack_error_json(struct buf *b, const char *stream, enum js_err e, const char *desc);

/* ------------------------------------------------------------------ */
/* Advisories ($JS.EVENT.ADVISORY.*)                                   */
/* ------------------------------------------------------------------ */

/* STREAM.CREATED/DELETED/UPDATED.<s>: type stream_action, <action> is
 * "create", "delete" or "modify"; template and domain omitted when empty. */
void js_advisory_stream_action(struct buf *b, const char *id, int64_t ts, const char *stream,
                               const char *action, const char *template_owner, const char *domain);

/* ClientInfo of the requester, as in nats-server's events; empty/0 members
 * are omitted except "acc". */
struct js_client_info {
    int64_t start; /* ns, 0 = omitted */
    const char *host;
    uint64_t id;
    const char *acc;
    const char *svc;
    const char *user;
    const char *name;
    const char *lang;
    const char *ver;
    int64_t rtt; /* ns */
    const char *server;
    const char *cluster;
    const char *const *alts;
    size_t nalts;
    int64_t stop; /* ns, 0 = omitted */
    const char *jwt;
    const char *issuer_key;
    const char *name_tag;
    const char *const *tags;
    size_t ntags;
    const char *kind;
    const char *client_type;
    const char *client_id; /* MQTT client id */
};

/* $JS.EVENT.ADVISORY.API (type api_audit). <client> NULL prints null;
 * "request" omitted when empty; "domain" omitted when empty. */
struct js_api_audit {
    const char *id;
    int64_t ts;
    const char *server;
    const struct js_client_info *client;
    const char *subject;
    const char *request;
    size_t request_len;
    const char *response;
    size_t response_len;
    const char *domain;
};
void js_advisory_api_audit(struct buf *b, const struct js_api_audit *a);

#endif
