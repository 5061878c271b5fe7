/* ConsumerConfig JSON: lifetime helpers, Go-compatible decoding (a field
 * table plus a setter switch driven by jsj__decode_object(), as for streams)
 * and the encoder with nats-server 2.9.10's member order and omitempty
 * rules. Also the CONSUMER.CREATE and CONSUMER.NAMES/LIST request bodies,
 * which wrap or sit next to the config.
 */
#include "jetstream/js_consumer_json.h"

#include "jetstream/js_json_int.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- lifetime ---- */

void js_consumer_config_init(struct js_consumer_config *c)
{
    memset(c, 0, sizeof(*c));
}

static void metadata_clear(struct js_consumer_config *c)
{
    for (size_t i = 0; i < c->nmetadata; i++) {
        free(c->metadata[i].key);
        free(c->metadata[i].value);
    }
    FREE_AND_NULL(c->metadata);
    c->nmetadata = 0;
}

void js_consumer_config_deinit(struct js_consumer_config *c)
{
    free(c->durable_name);
    free(c->name);
    free(c->description);
    free(c->backoff);
    free(c->filter_subject);
    jsj__strv_free(c->filter_subjects, c->nfilter_subjects);
    free(c->sample_freq);
    free(c->deliver_subject);
    free(c->deliver_group);
    metadata_clear(c);
    memset(c, 0, sizeof(*c));
}

void js_consumer_config_copy(struct js_consumer_config *dst, const struct js_consumer_config *src)
{
    *dst = *src;
    dst->durable_name = xstrdup(src->durable_name);
    dst->name = xstrdup(src->name);
    dst->description = xstrdup(src->description);
    dst->backoff = NULL;
    if (src->nbackoff) {
        dst->backoff = xmalloc(src->nbackoff * sizeof(*dst->backoff));
        memcpy(dst->backoff, src->backoff, src->nbackoff * sizeof(*dst->backoff));
    }
    dst->filter_subject = xstrdup(src->filter_subject);
    dst->filter_subjects = jsj__strv_dup(src->filter_subjects, src->nfilter_subjects);
    dst->sample_freq = xstrdup(src->sample_freq);
    dst->deliver_subject = xstrdup(src->deliver_subject);
    dst->deliver_group = xstrdup(src->deliver_group);
    dst->metadata = NULL;
    if (src->nmetadata) {
        dst->metadata = xcalloc(src->nmetadata, sizeof(*dst->metadata));
        for (size_t i = 0; i < src->nmetadata; i++) {
            dst->metadata[i].key = xstrdup(src->metadata[i].key);
            dst->metadata[i].value = xstrdup(src->metadata[i].value);
        }
    }
}

bool js_consumer_config_is_durable(const struct js_consumer_config *c)
{
    return jsj__has(c->durable_name);
}

/* ---- equality ---- */

static bool strs_eq(const struct js_consumer_config *a, const struct js_consumer_config *b)
{
    return jsj__str_eq(a->durable_name, b->durable_name) && jsj__str_eq(a->name, b->name) &&
           jsj__str_eq(a->description, b->description) &&
           jsj__str_eq(a->filter_subject, b->filter_subject) &&
           jsj__str_eq(a->sample_freq, b->sample_freq) &&
           jsj__str_eq(a->deliver_subject, b->deliver_subject) &&
           jsj__str_eq(a->deliver_group, b->deliver_group);
}

static bool lists_eq(const struct js_consumer_config *a, const struct js_consumer_config *b)
{
    if (a->nbackoff != b->nbackoff || a->nfilter_subjects != b->nfilter_subjects ||
        a->nmetadata != b->nmetadata)
        return false;
    for (size_t i = 0; i < a->nbackoff; i++)
        if (a->backoff[i] != b->backoff[i])
            return false;
    for (size_t i = 0; i < a->nfilter_subjects; i++)
        if (!jsj__str_eq(a->filter_subjects[i], b->filter_subjects[i]))
            return false;
    /* Maps: same size and every key of a has the same value in b. */
    for (size_t i = 0; i < a->nmetadata; i++) {
        bool found = false;
        for (size_t k = 0; k < b->nmetadata && !found; k++)
            found = jsj__str_eq(a->metadata[i].key, b->metadata[k].key) &&
                    jsj__str_eq(a->metadata[i].value, b->metadata[k].value);
        if (!found)
            return false;
    }
    return true;
}

bool js_consumer_config_equal(const struct js_consumer_config *a,
                              const struct js_consumer_config *b)
{
    if (a->has_opt_start_time != b->has_opt_start_time ||
        (a->has_opt_start_time &&
         (a->opt_start_time != b->opt_start_time || a->opt_start_time_tz != b->opt_start_time_tz)))
        return false;
    return strs_eq(a, b) && lists_eq(a, b) && a->deliver_policy == b->deliver_policy &&
           a->opt_start_seq == b->opt_start_seq && a->ack_policy == b->ack_policy &&
           a->ack_wait == b->ack_wait && a->max_deliver == b->max_deliver &&
           a->replay_policy == b->replay_policy && a->rate_limit_bps == b->rate_limit_bps &&
           a->max_waiting == b->max_waiting && a->max_ack_pending == b->max_ack_pending &&
           a->idle_heartbeat == b->idle_heartbeat && a->flow_control == b->flow_control &&
           a->headers_only == b->headers_only && a->max_batch == b->max_batch &&
           a->max_expires == b->max_expires && a->max_bytes == b->max_bytes &&
           a->inactive_threshold == b->inactive_threshold && a->num_replicas == b->num_replicas &&
           a->mem_storage == b->mem_storage && a->direct == b->direct;
}

/* ---- decoding ---- */

enum cfg_field {
    F_DURABLE_NAME,
    F_NAME,
    F_DESCRIPTION,
    F_DELIVER_POLICY,
    F_OPT_START_SEQ,
    F_OPT_START_TIME,
    F_ACK_POLICY,
    F_ACK_WAIT,
    F_MAX_DELIVER,
    F_BACKOFF,
    F_FILTER_SUBJECT,
    F_FILTER_SUBJECTS,
    F_REPLAY_POLICY,
    F_RATE_LIMIT_BPS,
    F_SAMPLE_FREQ,
    F_MAX_WAITING,
    F_MAX_ACK_PENDING,
    F_IDLE_HEARTBEAT,
    F_FLOW_CONTROL,
    F_HEADERS_ONLY,
    F_MAX_BATCH,
    F_MAX_EXPIRES,
    F_MAX_BYTES,
    F_DELIVER_SUBJECT,
    F_DELIVER_GROUP,
    F_INACTIVE_THRESHOLD,
    F_NUM_REPLICAS,
    F_MEM_STORAGE,
    F_DIRECT,
    F_METADATA,
    F__COUNT
};

static const char *const cfg_fields[F__COUNT] = {
    "durable_name",    "name",
    "description",     "deliver_policy",
    "opt_start_seq",   "opt_start_time",
    "ack_policy",      "ack_wait",
    "max_deliver",     "backoff",
    "filter_subject",  "filter_subjects",
    "replay_policy",   "rate_limit_bps",
    "sample_freq",     "max_waiting",
    "max_ack_pending", "idle_heartbeat",
    "flow_control",    "headers_only",
    "max_batch",       "max_expires",
    "max_bytes",       "deliver_subject",
    "deliver_group",   "inactive_threshold",
    "num_replicas",    "mem_storage",
    "direct",          "metadata",
};

/* Index i of these names is the enum value i; the deliver policy table has
 * "undefined" last, which 2.9.10 also reads as "all". */
static const char *const deliver_names[] = {
    "all", "last", "new", "by_start_sequence", "by_start_time", "last_per_subject", "undefined",
};
static const char *const ack_names[] = {"none", "all", "explicit"};
static const char *const replay_names[] = {"instant", "original"};

/* The policies' UnmarshalJSON compare the raw quoted text, so anything but
 * one of the exact strings (null included) fails. */
static int get_enum(json_t *v, const char *const *names, int n, int *out)
{
    if (!json_is_string(v))
        return -1;
    for (int i = 0; i < n; i++) {
        if (strcmp(json_string_value(v), names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return -1;
}

/* []time.Duration: null clears, null elements are 0. */
static int get_backoff(json_t *v, struct js_consumer_config *c)
{
    if (json_is_null(v)) {
        FREE_AND_NULL(c->backoff);
        c->nbackoff = 0;
        return 0;
    }
    if (!json_is_array(v))
        return -1;
    size_t n = json_array_size(v);
    int64_t *arr = n ? xcalloc(n, sizeof(*arr)) : NULL;
    for (size_t i = 0; i < n; i++) {
        if (jsj__get_i64(json_array_get(v, i), &arr[i]) < 0) {
            free(arr);
            return -1;
        }
    }
    free(c->backoff);
    c->backoff = arr;
    c->nbackoff = n;
    return 0;
}

/* map[string]string (2.10): null clears, values must be strings or null. */
static int get_metadata(json_t *v, struct js_consumer_config *c)
{
    const char *key;
    json_t *val;
    if (json_is_null(v)) {
        metadata_clear(c);
        return 0;
    }
    if (!json_is_object(v))
        return -1;
    json_object_foreach(v, key, val)
    {
        if (!json_is_null(val) && !json_is_string(val))
            return -1;
    }
    metadata_clear(c);
    c->nmetadata = json_object_size(v);
    c->metadata = c->nmetadata ? xcalloc(c->nmetadata, sizeof(*c->metadata)) : NULL;
    size_t i = 0;
    json_object_foreach(v, key, val)
    {
        c->metadata[i].key = xstrdup(key);
        if (jsj__get_str(val, &c->metadata[i].value) < 0)
            return -1;
        i++;
    }
    return 0;
}

static int set_policy(int idx, json_t *v, struct js_consumer_config *c)
{
    int e = 0, rc;
    if (idx == F_DELIVER_POLICY) {
        rc = get_enum(v, deliver_names, 7, &e);
        c->deliver_policy = e == 6 ? JS_DELIVER_ALL : (enum js_deliver_policy)e;
    } else if (idx == F_ACK_POLICY) {
        rc = get_enum(v, ack_names, 3, &e);
        c->ack_policy = (enum js_ack_policy)e;
    } else {
        rc = get_enum(v, replay_names, 2, &e);
        c->replay_policy = (enum js_replay_policy)e;
    }
    return rc;
}

/* The int64 members, by field index (NULL for the others). */
static int64_t *i64_field(struct js_consumer_config *c, int idx)
{
    switch ((enum cfg_field)idx) {
    case F_ACK_WAIT:
        return &c->ack_wait;
    case F_MAX_DELIVER:
        return &c->max_deliver;
    case F_MAX_WAITING:
        return &c->max_waiting;
    case F_MAX_ACK_PENDING:
        return &c->max_ack_pending;
    case F_IDLE_HEARTBEAT:
        return &c->idle_heartbeat;
    case F_MAX_BATCH:
        return &c->max_batch;
    case F_MAX_EXPIRES:
        return &c->max_expires;
    case F_MAX_BYTES:
        return &c->max_bytes;
    case F_INACTIVE_THRESHOLD:
        return &c->inactive_threshold;
    case F_NUM_REPLICAS:
        return &c->num_replicas;
    default:
        return NULL;
    }
}

/* The string and bool members, by field index. */
static char **str_field(struct js_consumer_config *c, int idx)
{
    switch ((enum cfg_field)idx) {
    case F_DURABLE_NAME:
        return &c->durable_name;
    case F_NAME:
        return &c->name;
    case F_DESCRIPTION:
        return &c->description;
    case F_FILTER_SUBJECT:
        return &c->filter_subject;
    case F_SAMPLE_FREQ:
        return &c->sample_freq;
    case F_DELIVER_SUBJECT:
        return &c->deliver_subject;
    case F_DELIVER_GROUP:
        return &c->deliver_group;
    default:
        return NULL;
    }
}

static bool *bool_field(struct js_consumer_config *c, int idx)
{
    switch ((enum cfg_field)idx) {
    case F_FLOW_CONTROL:
        return &c->flow_control;
    case F_HEADERS_ONLY:
        return &c->headers_only;
    case F_MEM_STORAGE:
        return &c->mem_storage;
    case F_DIRECT:
        return &c->direct;
    default:
        return NULL;
    }
}

static int set_cfg(int idx, json_t *v, void *ctx)
{
    struct js_consumer_config *c = ctx;
    int64_t *i;
    char **s;
    bool *b;
    if ((i = i64_field(c, idx)))
        return jsj__get_i64(v, i);
    if ((s = str_field(c, idx)))
        return jsj__get_str(v, s);
    if ((b = bool_field(c, idx)))
        return jsj__get_bool(v, b);
    switch ((enum cfg_field)idx) {
    case F_DELIVER_POLICY:
    case F_ACK_POLICY:
    case F_REPLAY_POLICY:
        return set_policy(idx, v, c);
    case F_OPT_START_SEQ:
        return jsj__get_u64(v, &c->opt_start_seq);
    case F_OPT_START_TIME:
        return jsj__get_time(v, &c->has_opt_start_time, &c->opt_start_time, &c->opt_start_time_tz);
    case F_BACKOFF:
        return get_backoff(v, c);
    case F_FILTER_SUBJECTS:
        return jsj__get_strv(v, &c->filter_subjects, &c->nfilter_subjects);
    case F_RATE_LIMIT_BPS:
        return jsj__get_u64(v, &c->rate_limit_bps);
    case F_METADATA:
        return get_metadata(v, c);
    default:
        return -1;
    }
}

static int ok(enum js_err *err, char *detail, size_t cap)
{
    if (err)
        *err = JS_ERR_NONE;
    if (detail && cap)
        detail[0] = '\0';
    return 0;
}

int js_consumer_config_parse(const char *json, size_t len, struct js_consumer_config *out,
                             enum js_err *err, char *detail, size_t cap)
{
    js_consumer_config_init(out);
    json_t *root = jsj__json_load(json, len);
    int rc = root ? jsj__decode_object(root, cfg_fields, F__COUNT, set_cfg, out) : -1;
    json_decref(root);
    if (rc < 0)
        return jsj__fail_plain(err, detail, cap, JS_ERR_INVALID_JSON);
    return ok(err, detail, cap);
}

/* ---- request bodies ---- */

static const char *const create_fields[] = {"stream_name", "config"};

static int set_create(int idx, json_t *v, void *ctx)
{
    struct js_consumer_create_req *r = ctx;
    if (idx == 0)
        return jsj__get_str(v, &r->stream_name);
    /* A struct value: null is a no-op, an object decodes into it. */
    if (json_is_null(v))
        return 0;
    if (!json_is_object(v))
        return -1;
    return jsj__decode_object(v, cfg_fields, F__COUNT, set_cfg, &r->config);
}

int js_consumer_create_req_parse(const char *body, size_t len, struct js_consumer_create_req *out,
                                 enum js_err *err, char *detail, size_t cap)
{
    memset(out, 0, sizeof(*out));
    json_t *root = jsj__json_load(body, len);
    int rc = root ? jsj__decode_object(root, create_fields, 2, set_create, out) : -1;
    json_decref(root);
    if (rc < 0)
        return jsj__fail_plain(err, detail, cap, JS_ERR_INVALID_JSON);
    return ok(err, detail, cap);
}

void js_consumer_create_req_deinit(struct js_consumer_create_req *r)
{
    FREE_AND_NULL(r->stream_name);
    js_consumer_config_deinit(&r->config);
}

static const char *const names_fields[] = {"offset"};

static int set_offset(int idx, json_t *v, void *ctx)
{
    return jsj__get_i64(v, ctx);
}

int js_consumer_names_req_parse(const char *body, size_t len, int64_t *offset, enum js_err *err,
                                char *detail, size_t cap)
{
    *offset = 0;
    if (js_api_is_empty_request(body, len))
        return ok(err, detail, cap);
    json_t *root = jsj__json_load(body, len);
    int rc = root ? jsj__decode_object(root, names_fields, 1, set_offset, offset) : -1;
    json_decref(root);
    if (rc < 0) {
        *offset = 0;
        return jsj__fail_plain(err, detail, cap, JS_ERR_INVALID_JSON);
    }
    if (*offset < 0)
        *offset = 0;
    return ok(err, detail, cap);
}

/* ---- encoding ---- */

static const char *const deliver_str[] = {
    "all", "last", "new", "by_start_sequence", "by_start_time", "last_per_subject",
};

/* Go prints map keys sorted by bytes. */
static int kv_cmp(const void *x, const void *y)
{
    const struct js_metadata_kv *a = *(const struct js_metadata_kv *const *)x;
    const struct js_metadata_kv *b = *(const struct js_metadata_kv *const *)y;
    return strcmp(jsj__s(a->key), jsj__s(b->key));
}

static void metadata_json(struct buf *b, const struct js_metadata_kv *kv, size_t n)
{
    const struct js_metadata_kv **v = xcalloc(n, sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = &kv[i];
    qsort(v, n, sizeof(*v), kv_cmp);
    buf_append_char(b, '{');
    for (size_t i = 0; i < n; i++) {
        jsj__key_json(b, v[i]->key);
        js_json_cstr(b, v[i]->value);
    }
    buf_append_char(b, '}');
    free(v);
}

static void opt_i64(struct buf *b, const char *key, int64_t v)
{
    if (v)
        jsj__kv_i64(b, key, v);
}

static void opt_str(struct buf *b, const char *key, const char *v)
{
    if (jsj__has(v))
        jsj__kv_str(b, key, v);
}

static void opt_true(struct buf *b, const char *key, bool v)
{
    if (v)
        jsj__kv_bool(b, key, true);
}

/* Members from durable_name to filter_subjects. */
static void config_head_json(struct buf *b, const struct js_consumer_config *c)
{
    opt_str(b, "durable_name", c->durable_name);
    opt_str(b, "name", c->name);
    opt_str(b, "description", c->description);
    jsj__kv_str(b, "deliver_policy", deliver_str[(unsigned)c->deliver_policy % 6]);
    if (c->opt_start_seq)
        jsj__kv_u64(b, "opt_start_seq", c->opt_start_seq);
    if (c->has_opt_start_time) {
        char t[64];
        size_t n = js_time_fmt(c->opt_start_time, c->opt_start_time_tz, t, sizeof(t));
        jsj__key(b, "opt_start_time");
        js_json_str(b, t, n);
    }
    jsj__kv_str(b, "ack_policy", ack_names[(unsigned)c->ack_policy % 3]);
    opt_i64(b, "ack_wait", c->ack_wait);
    opt_i64(b, "max_deliver", c->max_deliver);
    if (c->nbackoff) {
        jsj__key(b, "backoff");
        buf_append_char(b, '[');
        for (size_t i = 0; i < c->nbackoff; i++) {
            if (i)
                buf_append_char(b, ',');
            jsj__i64(b, c->backoff[i]);
        }
        buf_append_char(b, ']');
    }
    opt_str(b, "filter_subject", c->filter_subject);
    if (c->nfilter_subjects) {
        jsj__key(b, "filter_subjects");
        jsj__strv_json(b, (const char *const *)c->filter_subjects, c->nfilter_subjects);
    }
}

void js_consumer_config_json(struct buf *b, const struct js_consumer_config *c)
{
    buf_append_char(b, '{');
    config_head_json(b, c);
    jsj__kv_str(b, "replay_policy", replay_names[(unsigned)c->replay_policy % 2]);
    if (c->rate_limit_bps)
        jsj__kv_u64(b, "rate_limit_bps", c->rate_limit_bps);
    opt_str(b, "sample_freq", c->sample_freq);
    opt_i64(b, "max_waiting", c->max_waiting);
    opt_i64(b, "max_ack_pending", c->max_ack_pending);
    opt_i64(b, "idle_heartbeat", c->idle_heartbeat);
    opt_true(b, "flow_control", c->flow_control);
    opt_true(b, "headers_only", c->headers_only);
    opt_i64(b, "max_batch", c->max_batch);
    opt_i64(b, "max_expires", c->max_expires);
    opt_i64(b, "max_bytes", c->max_bytes);
    opt_str(b, "deliver_subject", c->deliver_subject);
    opt_str(b, "deliver_group", c->deliver_group);
    opt_i64(b, "inactive_threshold", c->inactive_threshold);
    jsj__kv_i64(b, "num_replicas", c->num_replicas);
    opt_true(b, "mem_storage", c->mem_storage);
    opt_true(b, "direct", c->direct);
    if (c->nmetadata) {
        jsj__key(b, "metadata");
        metadata_json(b, c->metadata, c->nmetadata);
    }
    buf_append_char(b, '}');
}
