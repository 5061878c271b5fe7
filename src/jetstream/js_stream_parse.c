/* StreamConfig decoding with Go's encoding/json rules (see js_json.h):
 * each Go struct is a table of JSON names plus a setter switch, driven by
 * jsj__decode_object(). Any mismatch is 10025 "invalid JSON", because that is
 * all nats-server 2.9.10 reports for a config it cannot unmarshal.
 */
#include "jetstream/js_json_int.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A Go enum with UnmarshalJSON: a string from <names>; anything else,
 * null included, fails. <fold> compares case-insensitively (DiscardPolicy
 * lower-cases its input, the others do not). */
static int get_enum(json_t *v, const char *const *names, int n, bool fold, int *out)
{
    if (!json_is_string(v))
        return -1;
    const char *s = json_string_value(v);
    for (int i = 0; i < n; i++) {
        if (fold ? strcasecmp(s, names[i]) == 0 : strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return -1;
}

/* ---- ExternalStream / StreamSource ---- */

static const char *const ext_fields[] = {"api", "deliver"};

static int set_ext(int idx, json_t *v, void *ctx)
{
    struct js_external *e = ctx;
    return jsj__get_str(v, idx == 0 ? &e->api : &e->deliver);
}

static const char *const src_fields[] = {"name", "opt_start_seq", "opt_start_time",
                                         "filter_subject", "external"};

static int set_src(int idx, json_t *v, void *ctx)
{
    struct js_stream_source *s = ctx;
    switch (idx) {
    case 0:
        return jsj__get_str(v, &s->name);
    case 1:
        return jsj__get_u64(v, &s->opt_start_seq);
    case 2:
        return jsj__get_time(v, &s->has_opt_start_time, &s->opt_start_time, &s->opt_start_time_tz);
    case 3:
        return jsj__get_str(v, &s->filter_subject);
    default:
        if (json_is_null(v)) {
            if (s->external) {
                free(s->external->api);
                free(s->external->deliver);
                FREE_AND_NULL(s->external);
            }
            return 0;
        }
        if (!json_is_object(v))
            return -1;
        if (s->external == NULL)
            s->external = xcalloc(1, sizeof(*s->external));
        return jsj__decode_object(v, ext_fields, 2, set_ext, s->external);
    }
}

static void src_clear(struct js_stream_source *s)
{
    free(s->name);
    free(s->filter_subject);
    if (s->external) {
        free(s->external->api);
        free(s->external->deliver);
        free(s->external);
    }
    memset(s, 0, sizeof(*s));
}

/* *StreamSource: null clears; an object decodes into the (new or
 * existing) source, as Go decodes into an already set pointer. */
static int get_mirror(json_t *v, struct js_stream_source **dst)
{
    if (json_is_null(v)) {
        if (*dst) {
            src_clear(*dst);
            FREE_AND_NULL(*dst);
        }
        return 0;
    }
    if (!json_is_object(v))
        return -1;
    if (*dst == NULL)
        *dst = xcalloc(1, sizeof(**dst));
    return jsj__decode_object(v, src_fields, 5, set_src, *dst);
}

/* []*StreamSource. A null element would be a nil pointer that crashes
 * nats-server later; we refuse it as invalid JSON instead. */
static int get_sources(json_t *v, struct js_stream_config *c)
{
    if (!json_is_null(v) && !json_is_array(v))
        return -1;
    size_t n = json_is_array(v) ? json_array_size(v) : 0;
    struct js_stream_source *arr = n ? xcalloc(n, sizeof(*arr)) : NULL;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        json_t *e = json_array_get(v, i);
        rc = json_is_object(e) ? jsj__decode_object(e, src_fields, 5, set_src, &arr[i]) : -1;
    }
    if (rc < 0) {
        for (size_t i = 0; i < n; i++)
            src_clear(&arr[i]);
        free(arr);
        return -1;
    }
    for (size_t i = 0; i < c->nsources; i++)
        src_clear(&c->sources[i]);
    free(c->sources);
    c->sources = arr;
    c->nsources = n;
    return 0;
}

/* ---- Placement / RePublish / metadata ---- */

static const char *const placement_fields[] = {"cluster", "tags"};

static int set_placement(int idx, json_t *v, void *ctx)
{
    struct js_placement *p = ctx;
    return idx == 0 ? jsj__get_str(v, &p->cluster) : jsj__get_strv(v, &p->tags, &p->ntags);
}

static int get_placement(json_t *v, struct js_placement **dst)
{
    if (json_is_null(v)) {
        if (*dst) {
            free((*dst)->cluster);
            jsj__strv_free((*dst)->tags, (*dst)->ntags);
            FREE_AND_NULL(*dst);
        }
        return 0;
    }
    if (!json_is_object(v))
        return -1;
    if (*dst == NULL)
        *dst = xcalloc(1, sizeof(**dst));
    return jsj__decode_object(v, placement_fields, 2, set_placement, *dst);
}

static const char *const republish_fields[] = {"src", "dest", "headers_only"};

static int set_republish(int idx, json_t *v, void *ctx)
{
    struct js_republish *r = ctx;
    if (idx == 2)
        return jsj__get_bool(v, &r->headers_only);
    return jsj__get_str(v, idx == 0 ? &r->src : &r->dest);
}

static int get_republish(json_t *v, struct js_republish **dst)
{
    if (json_is_null(v)) {
        if (*dst) {
            free((*dst)->src);
            free((*dst)->dest);
            FREE_AND_NULL(*dst);
        }
        return 0;
    }
    if (!json_is_object(v))
        return -1;
    if (*dst == NULL)
        *dst = xcalloc(1, sizeof(**dst));
    return jsj__decode_object(v, republish_fields, 3, set_republish, *dst);
}

static void metadata_clear(struct js_stream_config *c)
{
    for (size_t i = 0; i < c->nmetadata; i++) {
        free(c->metadata[i].key);
        free(c->metadata[i].value);
    }
    FREE_AND_NULL(c->metadata);
    c->nmetadata = 0;
}

/* map[string]string (2.10): null clears, values must be strings or null. */
static int get_metadata(json_t *v, struct js_stream_config *c)
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

/* ---- StreamConfig ---- */

enum cfg_field {
    F_NAME,
    F_DESCRIPTION,
    F_SUBJECTS,
    F_RETENTION,
    F_MAX_CONSUMERS,
    F_MAX_MSGS,
    F_MAX_BYTES,
    F_MAX_AGE,
    F_MAX_MSGS_PER_SUBJECT,
    F_MAX_MSG_SIZE,
    F_DISCARD,
    F_STORAGE,
    F_NUM_REPLICAS,
    F_NO_ACK,
    F_TEMPLATE_OWNER,
    F_DUPLICATE_WINDOW,
    F_PLACEMENT,
    F_MIRROR,
    F_SOURCES,
    F_REPUBLISH,
    F_ALLOW_DIRECT,
    F_MIRROR_DIRECT,
    F_DISCARD_NEW_PER_SUBJECT,
    F_SEALED,
    F_DENY_DELETE,
    F_DENY_PURGE,
    F_ALLOW_ROLLUP_HDRS,
    F_FIRST_SEQ,
    F_METADATA,
    F__COUNT
};

static const char *const cfg_fields[F__COUNT] = {
    "name",
    "description",
    "subjects",
    "retention",
    "max_consumers",
    "max_msgs",
    "max_bytes",
    "max_age",
    "max_msgs_per_subject",
    "max_msg_size",
    "discard",
    "storage",
    "num_replicas",
    "no_ack",
    "template_owner",
    "duplicate_window",
    "placement",
    "mirror",
    "sources",
    "republish",
    "allow_direct",
    "mirror_direct",
    "discard_new_per_subject",
    "sealed",
    "deny_delete",
    "deny_purge",
    "allow_rollup_hdrs",
    "first_seq",
    "metadata",
};

static const char *const retention_names[] = {"limits", "interest", "workqueue"};
static const char *const discard_names[] = {"old", "new"};
static const char *const storage_names[] = {"file", "memory"};

static int set_enum_fields(int idx, json_t *v, struct js_stream_config *c)
{
    int e = 0, rc;
    if (idx == F_RETENTION) {
        rc = get_enum(v, retention_names, 3, false, &e);
        c->retention = (enum js_retention)e;
    } else if (idx == F_DISCARD) {
        rc = get_enum(v, discard_names, 2, true, &e);
        c->discard = (enum js_discard)e;
    } else {
        rc = get_enum(v, storage_names, 2, false, &e);
        c->storage = (enum js_storage)e;
    }
    return rc;
}

static int set_cfg(int idx, json_t *v, void *ctx)
{
    struct js_stream_config *c = ctx;
    switch ((enum cfg_field)idx) {
    case F_NAME:
        return jsj__get_str(v, &c->name);
    case F_DESCRIPTION:
        return jsj__get_str(v, &c->description);
    case F_SUBJECTS:
        return jsj__get_strv(v, &c->subjects, &c->nsubjects);
    case F_RETENTION:
    case F_DISCARD:
    case F_STORAGE:
        return set_enum_fields(idx, v, c);
    case F_MAX_CONSUMERS:
        return jsj__get_i64(v, &c->max_consumers);
    case F_MAX_MSGS:
        return jsj__get_i64(v, &c->max_msgs);
    case F_MAX_BYTES:
        return jsj__get_i64(v, &c->max_bytes);
    case F_MAX_AGE:
        return jsj__get_i64(v, &c->max_age);
    case F_MAX_MSGS_PER_SUBJECT:
        return jsj__get_i64(v, &c->max_msgs_per_subject);
    case F_MAX_MSG_SIZE:
        return jsj__get_i32(v, &c->max_msg_size);
    case F_NUM_REPLICAS:
        return jsj__get_i64(v, &c->num_replicas);
    case F_NO_ACK:
        return jsj__get_bool(v, &c->no_ack);
    case F_TEMPLATE_OWNER:
        return jsj__get_str(v, &c->template_owner);
    case F_DUPLICATE_WINDOW:
        return jsj__get_i64(v, &c->duplicate_window);
    case F_PLACEMENT:
        return get_placement(v, &c->placement);
    case F_MIRROR:
        return get_mirror(v, &c->mirror);
    case F_SOURCES:
        return get_sources(v, c);
    case F_REPUBLISH:
        return get_republish(v, &c->republish);
    case F_ALLOW_DIRECT:
        return jsj__get_bool(v, &c->allow_direct);
    case F_MIRROR_DIRECT:
        return jsj__get_bool(v, &c->mirror_direct);
    case F_DISCARD_NEW_PER_SUBJECT:
        return jsj__get_bool(v, &c->discard_new_per_subject);
    case F_SEALED:
        return jsj__get_bool(v, &c->sealed);
    case F_DENY_DELETE:
        return jsj__get_bool(v, &c->deny_delete);
    case F_DENY_PURGE:
        return jsj__get_bool(v, &c->deny_purge);
    case F_ALLOW_ROLLUP_HDRS:
        return jsj__get_bool(v, &c->allow_rollup_hdrs);
    case F_FIRST_SEQ:
        return jsj__get_u64(v, &c->first_seq);
    case F_METADATA:
        return get_metadata(v, c);
    case F__COUNT:
        break;
    }
    return -1;
}

int js_stream_config_parse(const char *json, size_t len, struct js_stream_config *out,
                           enum js_err *err, char *detail, size_t cap)
{
    js_stream_config_init(out);
    json_t *root = jsj__json_load(json, len);
    int rc = root ? jsj__decode_object(root, cfg_fields, F__COUNT, set_cfg, out) : -1;
    json_decref(root);
    if (rc < 0)
        return jsj__fail_plain(err, detail, cap, JS_ERR_INVALID_JSON);
    if (err)
        *err = JS_ERR_NONE;
    if (detail && cap)
        detail[0] = '\0';
    return 0;
}
