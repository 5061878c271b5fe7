/* StreamState and StreamInfo encoders (nats-server 2.9.10 member order:
 * config, created, state, domain, cluster, mirror, sources, alternates),
 * with Go's omitempty rules and its sorted map keys for "subjects".
 */
#include "jetstream/js_json_int.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static int subject_cmp(const void *x, const void *y)
{
    const struct js_subject_count *a = *(const struct js_subject_count *const *)x;
    const struct js_subject_count *b = *(const struct js_subject_count *const *)y;
    return strcmp(jsj__s(a->subject), jsj__s(b->subject));
}

/* A Go map[string]uint64 prints its keys in byte order. */
static void subjects_json(struct buf *b, const struct js_subject_count *s, size_t n)
{
    const struct js_subject_count **v = xcalloc(n, sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = &s[i];
    qsort(v, n, sizeof(*v), subject_cmp);
    buf_append_char(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_append_char(b, ',');
        js_json_cstr(b, v[i]->subject);
        buf_append_char(b, ':');
        buf_append_u64(b, v[i]->count);
    }
    buf_append_char(b, '}');
    free(v);
}

static void u64_list(struct buf *b, const uint64_t *v, size_t n)
{
    buf_append_char(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_append_char(b, ',');
        buf_append_u64(b, v[i]);
    }
    buf_append_char(b, ']');
}

void js_stream_state_json(struct buf *b, const struct js_stream_state *st)
{
    buf_append_char(b, '{');
    jsj__kv_u64(b, "messages", st->messages);
    jsj__kv_u64(b, "bytes", st->bytes);
    jsj__kv_u64(b, "first_seq", st->first_seq);
    jsj__kv_time(b, "first_ts", st->first_ts);
    jsj__kv_u64(b, "last_seq", st->last_seq);
    jsj__kv_time(b, "last_ts", st->last_ts);
    if (st->num_subjects)
        jsj__kv_i64(b, "num_subjects", st->num_subjects);
    if (st->nsubjects) {
        jsj__key(b, "subjects");
        subjects_json(b, st->subjects, st->nsubjects);
    }
    if (st->num_deleted)
        jsj__kv_i64(b, "num_deleted", st->num_deleted);
    if (st->ndeleted) {
        jsj__key(b, "deleted");
        u64_list(b, st->deleted, st->ndeleted);
    }
    if (st->nlost) {
        jsj__key(b, "lost");
        buf_append_str(b, "{\"msgs\":");
        u64_list(b, st->lost_msgs, st->nlost);
        jsj__kv_u64(b, "bytes", st->lost_bytes);
        buf_append_char(b, '}');
    }
    jsj__kv_i64(b, "consumer_count", st->consumer_count);
    buf_append_char(b, '}');
}

static void cluster_json(struct buf *b, const struct js_cluster_info *ci)
{
    buf_append_char(b, '{');
    if (jsj__has(ci->name))
        jsj__kv_str(b, "name", ci->name);
    if (jsj__has(ci->leader))
        jsj__kv_str(b, "leader", ci->leader);
    if (ci->nreplicas) {
        jsj__key(b, "replicas");
        buf_append_char(b, '[');
        for (size_t i = 0; i < ci->nreplicas; i++) {
            const struct js_peer_info *p = &ci->replicas[i];
            if (i)
                buf_append_char(b, ',');
            buf_append_char(b, '{');
            jsj__kv_str(b, "name", p->name);
            jsj__kv_bool(b, "current", p->current);
            if (p->offline)
                jsj__kv_bool(b, "offline", true);
            jsj__kv_i64(b, "active", p->active);
            if (p->lag)
                jsj__kv_u64(b, "lag", p->lag);
            jsj__kv_str(b, "peer", p->peer);
            buf_append_char(b, '}');
        }
        buf_append_char(b, ']');
    }
    buf_append_char(b, '}');
}

static void source_info_json(struct buf *b, const struct js_source_info *si)
{
    buf_append_char(b, '{');
    jsj__kv_str(b, "name", si->name);
    if (si->external) {
        jsj__key(b, "external");
        buf_append_char(b, '{');
        jsj__kv_str(b, "api", si->external->api);
        jsj__kv_str(b, "deliver", si->external->deliver);
        buf_append_char(b, '}');
    }
    jsj__kv_u64(b, "lag", si->lag);
    jsj__kv_i64(b, "active", si->active);
    if (si->error != JS_ERR_NONE) {
        jsj__key(b, "error");
        js_err_object(b, si->error, si->error_desc);
    }
    buf_append_char(b, '}');
}

void js_stream_info_fields(struct buf *b, const struct js_stream_info *si)
{
    static const struct js_stream_state empty_state;
    static const struct js_stream_config empty_config;
    jsj__key(b, "config");
    js_stream_config_json(b, si->config ? si->config : &empty_config);
    jsj__kv_time(b, "created", si->created);
    jsj__key(b, "state");
    js_stream_state_json(b, si->state ? si->state : &empty_state);
    if (jsj__has(si->domain))
        jsj__kv_str(b, "domain", si->domain);
    if (si->cluster) {
        jsj__key(b, "cluster");
        cluster_json(b, si->cluster);
    }
    if (si->mirror) {
        jsj__key(b, "mirror");
        source_info_json(b, si->mirror);
    }
    if (si->nsources) {
        jsj__key(b, "sources");
        buf_append_char(b, '[');
        for (size_t i = 0; i < si->nsources; i++) {
            if (i)
                buf_append_char(b, ',');
            source_info_json(b, &si->sources[i]);
        }
        buf_append_char(b, ']');
    }
    if (si->nalternates) {
        jsj__key(b, "alternates");
        buf_append_char(b, '[');
        for (size_t i = 0; i < si->nalternates; i++) {
            const struct js_stream_alternate *a = &si->alternates[i];
            if (i)
                buf_append_char(b, ',');
            buf_append_char(b, '{');
            jsj__kv_str(b, "name", a->name);
            if (jsj__has(a->domain))
                jsj__kv_str(b, "domain", a->domain);
            jsj__kv_str(b, "cluster", a->cluster);
            buf_append_char(b, '}');
        }
        buf_append_char(b, ']');
    }
}

void js_stream_info_json(struct buf *b, const struct js_stream_info *si)
{
    buf_append_char(b, '{');
    js_stream_info_fields(b, si);
    buf_append_char(b, '}');
}
