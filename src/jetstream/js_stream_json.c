/* StreamConfig JSON: lifetime helpers, Go-compatible decoding and the
 * encoder with nats-server 2.9.10's member order and omissions
 * (description, subjects, no_ack, template_owner, duplicate_window,
 * placement, mirror, sources, republish, discard_new_per_subject and a zero
 * max_msg_size are omitempty; 2.10's first_seq and metadata go where 2.10
 * puts them and only when set).
 */
#include "jetstream/js_json_int.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- lifetime ---- */

static void external_free(struct js_external *e)
{
    if (e) {
        free(e->api);
        free(e->deliver);
        free(e);
    }
}

static void source_deinit(struct js_stream_source *s)
{
    free(s->name);
    free(s->filter_subject);
    external_free(s->external);
    memset(s, 0, sizeof(*s));
}

void js_stream_config_init(struct js_stream_config *c)
{
    memset(c, 0, sizeof(*c));
}

void js_stream_config_deinit(struct js_stream_config *c)
{
    free(c->name);
    free(c->description);
    jsj__strv_free(c->subjects, c->nsubjects);
    free(c->template_owner);
    if (c->placement) {
        free(c->placement->cluster);
        jsj__strv_free(c->placement->tags, c->placement->ntags);
        free(c->placement);
    }
    if (c->mirror) {
        source_deinit(c->mirror);
        free(c->mirror);
    }
    for (size_t i = 0; i < c->nsources; i++)
        source_deinit(&c->sources[i]);
    free(c->sources);
    if (c->republish) {
        free(c->republish->src);
        free(c->republish->dest);
        free(c->republish);
    }
    for (size_t i = 0; i < c->nmetadata; i++) {
        free(c->metadata[i].key);
        free(c->metadata[i].value);
    }
    free(c->metadata);
    memset(c, 0, sizeof(*c));
}

static void source_copy(struct js_stream_source *d, const struct js_stream_source *s)
{
    *d = *s;
    d->name = xstrdup(s->name);
    d->filter_subject = xstrdup(s->filter_subject);
    if (s->external) {
        d->external = xcalloc(1, sizeof(*d->external));
        d->external->api = xstrdup(s->external->api);
        d->external->deliver = xstrdup(s->external->deliver);
    }
}

void js_stream_config_copy(struct js_stream_config *dst, const struct js_stream_config *src)
{
    *dst = *src;
    dst->name = xstrdup(src->name);
    dst->description = xstrdup(src->description);
    dst->subjects = jsj__strv_dup(src->subjects, src->nsubjects);
    dst->template_owner = xstrdup(src->template_owner);
    if (src->placement) {
        dst->placement = xcalloc(1, sizeof(*dst->placement));
        dst->placement->cluster = xstrdup(src->placement->cluster);
        dst->placement->tags = jsj__strv_dup(src->placement->tags, src->placement->ntags);
        dst->placement->ntags = src->placement->ntags;
    }
    if (src->mirror) {
        dst->mirror = xcalloc(1, sizeof(*dst->mirror));
        source_copy(dst->mirror, src->mirror);
    }
    if (src->nsources) {
        dst->sources = xcalloc(src->nsources, sizeof(*dst->sources));
        for (size_t i = 0; i < src->nsources; i++)
            source_copy(&dst->sources[i], &src->sources[i]);
    }
    if (src->republish) {
        dst->republish = xcalloc(1, sizeof(*dst->republish));
        dst->republish->src = xstrdup(src->republish->src);
        dst->republish->dest = xstrdup(src->republish->dest);
        dst->republish->headers_only = src->republish->headers_only;
    }
    if (src->nmetadata) {
        dst->metadata = xcalloc(src->nmetadata, sizeof(*dst->metadata));
        for (size_t i = 0; i < src->nmetadata; i++) {
            dst->metadata[i].key = xstrdup(src->metadata[i].key);
            dst->metadata[i].value = xstrdup(src->metadata[i].value);
        }
    }
}

/* ---- equality ---- */

static bool strv_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!jsj__str_eq(a[i], b[i]))
            return false;
    return true;
}

static bool external_eq(const struct js_external *a, const struct js_external *b)
{
    if (!a || !b)
        return a == b;
    return jsj__str_eq(a->api, b->api) && jsj__str_eq(a->deliver, b->deliver);
}

bool jsj__source_equal(const struct js_stream_source *a, const struct js_stream_source *b)
{
    if (!a || !b)
        return a == b;
    return jsj__str_eq(a->name, b->name) && a->opt_start_seq == b->opt_start_seq &&
           a->has_opt_start_time == b->has_opt_start_time &&
           (!a->has_opt_start_time || (a->opt_start_time == b->opt_start_time &&
                                       a->opt_start_time_tz == b->opt_start_time_tz)) &&
           jsj__str_eq(a->filter_subject, b->filter_subject) &&
           external_eq(a->external, b->external);
}

static bool placement_eq(const struct js_placement *a, const struct js_placement *b)
{
    if (!a || !b)
        return a == b;
    return jsj__str_eq(a->cluster, b->cluster) && strv_eq(a->tags, a->ntags, b->tags, b->ntags);
}

static bool republish_eq(const struct js_republish *a, const struct js_republish *b)
{
    if (!a || !b)
        return a == b;
    return jsj__str_eq(a->src, b->src) && jsj__str_eq(a->dest, b->dest) &&
           a->headers_only == b->headers_only;
}

bool jsj__republish_equal(const struct js_republish *a, const struct js_republish *b)
{
    return republish_eq(a, b);
}

bool js_stream_config_equal(const struct js_stream_config *a, const struct js_stream_config *b)
{
    if (!jsj__str_eq(a->name, b->name) || !jsj__str_eq(a->description, b->description) ||
        !strv_eq(a->subjects, a->nsubjects, b->subjects, b->nsubjects) ||
        a->retention != b->retention || a->max_consumers != b->max_consumers ||
        a->max_msgs != b->max_msgs || a->max_bytes != b->max_bytes || a->max_age != b->max_age ||
        a->max_msgs_per_subject != b->max_msgs_per_subject || a->max_msg_size != b->max_msg_size ||
        a->discard != b->discard || a->storage != b->storage ||
        a->num_replicas != b->num_replicas || a->no_ack != b->no_ack ||
        !jsj__str_eq(a->template_owner, b->template_owner) ||
        a->duplicate_window != b->duplicate_window)
        return false;
    if (!placement_eq(a->placement, b->placement) || !jsj__source_equal(a->mirror, b->mirror) ||
        a->nsources != b->nsources || !republish_eq(a->republish, b->republish))
        return false;
    for (size_t i = 0; i < a->nsources; i++)
        if (!jsj__source_equal(&a->sources[i], &b->sources[i]))
            return false;
    if (a->allow_direct != b->allow_direct || a->mirror_direct != b->mirror_direct ||
        a->discard_new_per_subject != b->discard_new_per_subject || a->sealed != b->sealed ||
        a->deny_delete != b->deny_delete || a->deny_purge != b->deny_purge ||
        a->allow_rollup_hdrs != b->allow_rollup_hdrs || a->first_seq != b->first_seq ||
        a->nmetadata != b->nmetadata)
        return false;
    for (size_t i = 0; i < a->nmetadata; i++)
        if (!jsj__str_eq(a->metadata[i].key, b->metadata[i].key) ||
            !jsj__str_eq(a->metadata[i].value, b->metadata[i].value))
            return false;
    return true;
}

/* ---- encoding ---- */

static const char *const retention_str[] = {"limits", "interest", "workqueue"};
static const char *const discard_str[] = {"old", "new"};
static const char *const storage_str[] = {"file", "memory"};

static void source_json(struct buf *b, const struct js_stream_source *s)
{
    buf_append_char(b, '{');
    jsj__kv_str(b, "name", s->name);
    if (s->opt_start_seq)
        jsj__kv_u64(b, "opt_start_seq", s->opt_start_seq);
    if (s->has_opt_start_time) {
        char t[64];
        size_t n = js_time_fmt(s->opt_start_time, s->opt_start_time_tz, t, sizeof(t));
        jsj__key(b, "opt_start_time");
        js_json_str(b, t, n);
    }
    if (jsj__has(s->filter_subject))
        jsj__kv_str(b, "filter_subject", s->filter_subject);
    if (s->external) {
        jsj__key(b, "external");
        buf_append_char(b, '{');
        jsj__kv_str(b, "api", s->external->api);
        jsj__kv_str(b, "deliver", s->external->deliver);
        buf_append_char(b, '}');
    }
    buf_append_char(b, '}');
}

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

/* The members that close the object: from republish to the end. */
static void config_tail_json(struct buf *b, const struct js_stream_config *c)
{
    if (c->republish) {
        jsj__key(b, "republish");
        buf_append_char(b, '{');
        if (jsj__has(c->republish->src))
            jsj__kv_str(b, "src", c->republish->src);
        jsj__kv_str(b, "dest", c->republish->dest);
        if (c->republish->headers_only)
            jsj__kv_bool(b, "headers_only", true);
        buf_append_char(b, '}');
    }
    jsj__kv_bool(b, "allow_direct", c->allow_direct);
    jsj__kv_bool(b, "mirror_direct", c->mirror_direct);
    if (c->discard_new_per_subject)
        jsj__kv_bool(b, "discard_new_per_subject", true);
    jsj__kv_bool(b, "sealed", c->sealed);
    jsj__kv_bool(b, "deny_delete", c->deny_delete);
    jsj__kv_bool(b, "deny_purge", c->deny_purge);
    jsj__kv_bool(b, "allow_rollup_hdrs", c->allow_rollup_hdrs);
    if (c->nmetadata) {
        jsj__key(b, "metadata");
        metadata_json(b, c->metadata, c->nmetadata);
    }
    buf_append_char(b, '}');
}

void js_stream_config_json(struct buf *b, const struct js_stream_config *c)
{
    buf_append_char(b, '{');
    jsj__kv_str(b, "name", c->name);
    if (jsj__has(c->description))
        jsj__kv_str(b, "description", c->description);
    if (c->nsubjects) {
        jsj__key(b, "subjects");
        jsj__strv_json(b, (const char *const *)c->subjects, c->nsubjects);
    }
    jsj__kv_str(b, "retention", retention_str[c->retention % 3]);
    jsj__kv_i64(b, "max_consumers", c->max_consumers);
    jsj__kv_i64(b, "max_msgs", c->max_msgs);
    jsj__kv_i64(b, "max_bytes", c->max_bytes);
    jsj__kv_i64(b, "max_age", c->max_age);
    jsj__kv_i64(b, "max_msgs_per_subject", c->max_msgs_per_subject);
    if (c->max_msg_size)
        jsj__kv_i64(b, "max_msg_size", c->max_msg_size);
    jsj__kv_str(b, "discard", discard_str[c->discard % 2]);
    jsj__kv_str(b, "storage", storage_str[c->storage % 2]);
    jsj__kv_i64(b, "num_replicas", c->num_replicas);
    if (c->no_ack)
        jsj__kv_bool(b, "no_ack", true);
    if (jsj__has(c->template_owner))
        jsj__kv_str(b, "template_owner", c->template_owner);
    if (c->duplicate_window)
        jsj__kv_i64(b, "duplicate_window", c->duplicate_window);
    if (c->placement) {
        jsj__key(b, "placement");
        buf_append_char(b, '{');
        if (jsj__has(c->placement->cluster))
            jsj__kv_str(b, "cluster", c->placement->cluster);
        if (c->placement->ntags) {
            jsj__key(b, "tags");
            jsj__strv_json(b, (const char *const *)c->placement->tags, c->placement->ntags);
        }
        buf_append_char(b, '}');
    }
    if (c->mirror) {
        jsj__key(b, "mirror");
        source_json(b, c->mirror);
    }
    if (c->nsources) {
        jsj__key(b, "sources");
        buf_append_char(b, '[');
        for (size_t i = 0; i < c->nsources; i++) {
            if (i)
                buf_append_char(b, ',');
            source_json(b, &c->sources[i]);
        }
        buf_append_char(b, ']');
    }
    if (c->first_seq)
        jsj__kv_u64(b, "first_seq", c->first_seq);
    config_tail_json(b, c);
}
