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
    return strcmp(js__s(a->subject), js__s(b->subject));
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
    js__kv_u64(b, "messages", st->messages);
    js__kv_u64(b, "bytes", st->bytes);
    js__kv_u64(b, "first_seq", st->first_seq);
    js__kv_time(b, "first_ts", st->first_ts);
    js__kv_u64(b, "last_seq", st->last_seq);
    js__kv_time(b, "last_ts", st->last_ts);
    if (st->num_subjects)
        js__kv_i64(b, "num_subjects", st->num_subjects);
    if (st->nsubjects) {
        js__key(b, "subjects");
        subjects_json(b, st->subjects, st->nsubjects);
    }
    if (st->num_deleted)
        js__kv_i64(b, "num_deleted", st->num_deleted);
    if (st->ndeleted) {
        js__key(b, "deleted");
        u64_list(b, st->deleted, st->ndeleted);
    }
    if (st->nlost) {
        js__key(b, "lost");
        buf_append_str(b, "{\"msgs\":");
        u64_list(b, st->lost_msgs, st->nlost);
        js__kv_u64(b, "bytes", st->lost_bytes);
        buf_append_char(b, '}');
    }
    js__kv_i64(b, "consumer_count", st->consumer_count);
    buf_append_char(b, '}');
}

static void cluster_json(struct buf *b, const struct js_cluster_info *ci)
{
    buf_append_char(b, '{');
    if (js__has(ci->name))
        js__kv_str(b, "name", ci->name);
    if (js__has(ci->leader))
        js__kv_str(b, "leader", ci->leader);
    if (ci->nreplicas) {
        js__key(b, "replicas");
        buf_append_char(b, '[');
        for (size_t i = 0; i < ci->nreplicas; i++) {
            const struct js_peer_info *p = &ci->replicas[i];
            if (i)
                buf_append_char(b, ',');
            buf_append_char(b, '{');
            js__kv_str(b, "name", p->name);
            js__kv_bool(b, "current", p->current);
            if (p->offline)
                js__kv_bool(b, "offline", true);
            js__kv_i64(b, "active", p->active);
            if (p->lag)
                js__kv_u64(b, "lag", p->lag);
            js__kv_str(b, "peer", p->peer);
            buf_append_char(b, '}');
        }
        buf_append_char(b, ']');
    }
    buf_append_char(b, '}');
}

static void source_info_json(struct buf *b, const struct js_source_info *si)
{
    buf_append_char(b, '{');
    js__kv_str(b, "name", si->name);
    if (si->external) {
        js__key(b, "external");
        buf_append_char(b, '{');
        js__kv_str(b, "api", si->external->api);
        js__kv_str(b, "deliver", si->external->deliver);
        buf_append_char(b, '}');
    }
    js__kv_u64(b, "lag", si->lag);
    js__kv_i64(b, "active", si->active);
    if (si->error != JS_ERR_NONE) {
        js__key(b, "error");
        js_err_object(b, si->error, si->error_desc);
    }
    buf_append_char(b, '}');
}

void js_stream_info_fields(struct buf *b, const struct js_stream_info *si)
{
    static const struct js_stream_state empty_state;
    static const struct js_stream_config empty_config;
    js__key(b, "config");
    js_stream_config_json(b, si->config ? si->config : &empty_config);
    js__kv_time(b, "created", si->created);
    js__key(b, "state");
    js_stream_state_json(b, si->state ? si->state : &empty_state);
    if (js__has(si->domain))
        js__kv_str(b, "domain", si->domain);
    if (si->cluster) {
        js__key(b, "cluster");
        cluster_json(b, si->cluster);
    }
    if (si->mirror) {
        js__key(b, "mirror");
        source_info_json(b, si->mirror);
    }
    if (si->nsources) {
        js__key(b, "sources");
        buf_append_char(b, '[');
        for (size_t i = 0; i < si->nsources; i++) {
            if (i)
                buf_append_char(b, ',');
            source_info_json(b, &si->sources[i]);
        }
        buf_append_char(b, ']');
    }
    if (si->nalternates) {
        js__key(b, "alternates");
        buf_append_char(b, '[');
        for (size_t i = 0; i < si->nalternates; i++) {
            const struct js_stream_alternate *a = &si->alternates[i];
            if (i)
                buf_append_char(b, ',');
            buf_append_char(b, '{');
            js__kv_str(b, "name", a->name);
            if (js__has(a->domain))
                js__kv_str(b, "domain", a->domain);
            js__kv_str(b, "cluster", a->cluster);
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
