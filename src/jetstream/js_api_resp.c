/* JetStream API responses, PubAcks and advisories, shaped like nats-server
 * 2.9.10's json.Marshal output: "type" then "error", the embedded paging
 * and StreamInfo members inline, and the zero members Go still prints after
 * an error for some response types.
 */
#include "jetstream/js_json_int.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define TYPE_PFX "io.nats.jetstream.api.v1."

static const char *const type_names[JS_RESP__COUNT] = {
    [JS_RESP_ACCOUNT_INFO] = TYPE_PFX "account_info_response",
    [JS_RESP_STREAM_CREATE] = TYPE_PFX "stream_create_response",
    [JS_RESP_STREAM_UPDATE] = TYPE_PFX "stream_update_response",
    [JS_RESP_STREAM_DELETE] = TYPE_PFX "stream_delete_response",
    [JS_RESP_STREAM_INFO] = TYPE_PFX "stream_info_response",
    [JS_RESP_STREAM_NAMES] = TYPE_PFX "stream_names_response",
    [JS_RESP_STREAM_LIST] = TYPE_PFX "stream_list_response",
    [JS_RESP_STREAM_PURGE] = TYPE_PFX "stream_purge_response",
    [JS_RESP_STREAM_MSG_GET] = TYPE_PFX "stream_msg_get_response",
    [JS_RESP_STREAM_MSG_DELETE] = TYPE_PFX "stream_msg_delete_response",
    [JS_RESP_STREAM_SNAPSHOT] = TYPE_PFX "stream_snapshot_response",
    [JS_RESP_STREAM_RESTORE] = TYPE_PFX "stream_restore_response",
    [JS_RESP_STREAM_REMOVE_PEER] = TYPE_PFX "stream_remove_peer_response",
    [JS_RESP_STREAM_LEADER_STEPDOWN] = TYPE_PFX "stream_leader_stepdown_response",
    [JS_RESP_CONSUMER_CREATE] = TYPE_PFX "consumer_create_response",
    [JS_RESP_CONSUMER_DELETE] = TYPE_PFX "consumer_delete_response",
    [JS_RESP_CONSUMER_INFO] = TYPE_PFX "consumer_info_response",
    [JS_RESP_CONSUMER_NAMES] = TYPE_PFX "consumer_names_response",
    [JS_RESP_CONSUMER_LIST] = TYPE_PFX "consumer_list_response",
    [JS_RESP_CONSUMER_LEADER_STEPDOWN] = TYPE_PFX "consumer_leader_stepdown_response",
    [JS_RESP_META_LEADER_STEPDOWN] = TYPE_PFX "meta_leader_stepdown_response",
    [JS_RESP_META_SERVER_REMOVE] = TYPE_PFX "meta_server_remove_response",
    [JS_RESP_ACCOUNT_PURGE] = TYPE_PFX "account_purge_response",
    [JS_RESP_TEMPLATE_CREATE] = TYPE_PFX "stream_template_create_response",
    [JS_RESP_TEMPLATE_DELETE] = TYPE_PFX "stream_template_delete_response",
    [JS_RESP_TEMPLATE_INFO] = TYPE_PFX "stream_template_info_response",
    [JS_RESP_TEMPLATE_NAMES] = TYPE_PFX "stream_template_names_response",
};

const char *js_resp_type_str(enum js_resp_type t)
{
    return (unsigned)t < JS_RESP__COUNT ? type_names[t] : "";
}

static void begin(struct buf *b, enum js_resp_type t)
{
    buf_append_str(b, "{\"type\":\"");
    buf_append_str(b, js_resp_type_str(t));
    buf_append_char(b, '"');
}

static void paged(struct buf *b, int64_t total, int64_t offset, int64_t limit)
{
    jsj__kv_i64(b, "total", total);
    jsj__kv_i64(b, "offset", offset);
    jsj__kv_i64(b, "limit", limit);
}

void js_resp_error(struct buf *b, enum js_resp_type t, enum js_err e, const char *desc)
{
    begin(b, t);
    js_err_json_desc(b, e, desc);
    switch (t) {
    case JS_RESP_STREAM_INFO:
        paged(b, 0, 0, 0);
        break;
    case JS_RESP_STREAM_NAMES:
    case JS_RESP_TEMPLATE_NAMES:
        paged(b, 0, 0, 0);
        buf_append_str(b, ",\"streams\":null");
        break;
    case JS_RESP_STREAM_LIST:
        paged(b, 0, 0, 0);
        buf_append_str(b, ",\"streams\":[]");
        break;
    case JS_RESP_CONSUMER_NAMES:
        paged(b, 0, 0, 0);
        buf_append_str(b, ",\"consumers\":null");
        break;
    case JS_RESP_CONSUMER_LIST:
        paged(b, 0, 0, 0);
        buf_append_str(b, ",\"consumers\":[]");
        break;
    case JS_RESP_STREAM_PURGE:
        buf_append_str(b, ",\"purged\":0");
        break;
    case JS_RESP_STREAM_RESTORE:
        buf_append_str(b, ",\"deliver_subject\":\"\"");
        break;
    default:
        break;
    }
    buf_append_char(b, '}');
}

void js_resp_success(struct buf *b, enum js_resp_type t)
{
    begin(b, t);
    buf_append_str(b, ",\"success\":true}");
}

void js_resp_stream_create(struct buf *b, const struct js_stream_info *si)
{
    begin(b, JS_RESP_STREAM_CREATE);
    js_stream_info_fields(b, si);
    buf_append_str(b, ",\"did_create\":true}");
}

void js_resp_stream_update(struct buf *b, const struct js_stream_info *si)
{
    begin(b, JS_RESP_STREAM_UPDATE);
    js_stream_info_fields(b, si);
    buf_append_char(b, '}');
}

void js_resp_stream_info(struct buf *b, int64_t total, int64_t offset, int64_t limit,
                         const struct js_stream_info *si)
{
    begin(b, JS_RESP_STREAM_INFO);
    paged(b, total, offset, limit);
    js_stream_info_fields(b, si);
    buf_append_char(b, '}');
}

void js_resp_stream_names(struct buf *b, int64_t total, int64_t offset, int64_t limit,
                          const char *const *names, size_t n)
{
    begin(b, JS_RESP_STREAM_NAMES);
    paged(b, total, offset, limit);
    jsj__key(b, "streams");
    if (n == 0)
        buf_append_str(b, "null");
    else
        jsj__strv_json(b, names, n);
    buf_append_char(b, '}');
}

void js_resp_stream_list(struct buf *b, int64_t total, int64_t offset, int64_t limit,
                         const struct js_stream_info *infos, size_t n, const char *const *missing,
                         size_t nmissing)
{
    begin(b, JS_RESP_STREAM_LIST);
    paged(b, total, offset, limit);
    jsj__key(b, "streams");
    buf_append_char(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_append_char(b, ',');
        js_stream_info_json(b, &infos[i]);
    }
    buf_append_char(b, ']');
    if (nmissing) {
        jsj__key(b, "missing");
        jsj__strv_json(b, missing, nmissing);
    }
    buf_append_char(b, '}');
}

void js_resp_stream_purge(struct buf *b, uint64_t purged)
{
    begin(b, JS_RESP_STREAM_PURGE);
    buf_append_str(b, ",\"success\":true");
    jsj__kv_u64(b, "purged", purged);
    buf_append_char(b, '}');
}

void js_resp_msg_get(struct buf *b, const struct js_stored_msg *m)
{
    begin(b, JS_RESP_STREAM_MSG_GET);
    jsj__key(b, "message");
    buf_append_char(b, '{');
    jsj__kv_str(b, "subject", m->subject);
    jsj__kv_u64(b, "seq", m->seq);
    if (m->hdr_len) {
        jsj__key(b, "hdrs");
        buf_append_char(b, '"');
        js_base64_encode(b, m->hdr, m->hdr_len);
        buf_append_char(b, '"');
    }
    if (m->data_len) {
        jsj__key(b, "data");
        buf_append_char(b, '"');
        js_base64_encode(b, m->data, m->data_len);
        buf_append_char(b, '"');
    }
    jsj__kv_time(b, "time", m->time);
    buf_append_str(b, "}}");
}

static void limits_json(struct buf *b, const struct js_account_limits *l)
{
    buf_append_char(b, '{');
    jsj__kv_i64(b, "max_memory", l->max_memory);
    jsj__kv_i64(b, "max_storage", l->max_storage);
    jsj__kv_i64(b, "max_streams", l->max_streams);
    jsj__kv_i64(b, "max_consumers", l->max_consumers);
    jsj__kv_i64(b, "max_ack_pending", l->max_ack_pending);
    jsj__kv_i64(b, "memory_max_stream_bytes", l->memory_max_stream_bytes);
    jsj__kv_i64(b, "storage_max_stream_bytes", l->storage_max_stream_bytes);
    jsj__kv_bool(b, "max_bytes_required", l->max_bytes_required);
    buf_append_char(b, '}');
}

static void tier_members(struct buf *b, uint64_t mem, uint64_t store, int64_t streams,
                         int64_t consumers, const struct js_account_limits *l)
{
    jsj__kv_u64(b, "memory", mem);
    jsj__kv_u64(b, "storage", store);
    jsj__kv_i64(b, "streams", streams);
    jsj__kv_i64(b, "consumers", consumers);
    jsj__key(b, "limits");
    limits_json(b, l);
}

static int tier_cmp(const void *x, const void *y)
{
    const struct js_account_tier *a = *(const struct js_account_tier *const *)x;
    const struct js_account_tier *c = *(const struct js_account_tier *const *)y;
    return strcmp(jsj__s(a->name), jsj__s(c->name));
}

void js_resp_account_info(struct buf *b, const struct js_account_info *ai)
{
    begin(b, JS_RESP_ACCOUNT_INFO);
    tier_members(b, ai->memory, ai->storage, ai->streams, ai->consumers, &ai->limits);
    if (jsj__has(ai->domain))
        jsj__kv_str(b, "domain", ai->domain);
    jsj__key(b, "api");
    buf_append_char(b, '{');
    jsj__kv_u64(b, "total", ai->api_total);
    jsj__kv_u64(b, "errors", ai->api_errors);
    if (ai->api_inflight)
        jsj__kv_u64(b, "inflight", ai->api_inflight);
    buf_append_char(b, '}');
    if (ai->ntiers) {
        const struct js_account_tier **v = xcalloc(ai->ntiers, sizeof(*v));
        for (size_t i = 0; i < ai->ntiers; i++)
            v[i] = &ai->tiers[i];
        qsort(v, ai->ntiers, sizeof(*v), tier_cmp);
        jsj__key(b, "tiers");
        buf_append_char(b, '{');
        for (size_t i = 0; i < ai->ntiers; i++) {
            jsj__key_json(b, v[i]->name);
            buf_append_char(b, '{');
            tier_members(b, v[i]->memory, v[i]->storage, v[i]->streams, v[i]->consumers,
                         &v[i]->limits);
            buf_append_char(b, '}');
        }
        buf_append_char(b, '}');
        free(v);
    }
    buf_append_char(b, '}');
}

/* ---- PubAck ---- */

void js_pub_ack_json(struct buf *b, const char *stream, const char *domain, uint64_t seq,
                     bool duplicate)
{
    /* nats-server formats this with fmt's %q, hence Go quoting and the
     * space after each comma. */
    buf_append_str(b, "{\"stream\":");
    jsj__go_quote(b, stream);
    if (jsj__has(domain)) {
        buf_append_str(b, ", \"domain\":");
        jsj__go_quote(b, domain);
    }
    buf_append_str(b, ", \"seq\":");
    buf_append_u64(b, seq);
    buf_append_str(b, duplicate ? ",\"duplicate\": true}" : "}");
}

void js_pub_ack_error_json(struct buf *b, const char *stream, enum js_err e, const char *desc)
{
    buf_append_char(b, '{');
    js_err_json_desc(b, e, desc);
    jsj__kv_str(b, "stream", stream);
    buf_append_str(b, ",\"seq\":0}");
}

/* ---- advisories ---- */

static void event_head(struct buf *b, const char *type, const char *id, int64_t ts)
{
    buf_append_str(b, "{\"type\":");
    js_json_cstr(b, type);
    jsj__kv_str(b, "id", id);
    jsj__kv_time(b, "timestamp", ts);
}

void js_advisory_stream_action(struct buf *b, const char *id, int64_t ts, const char *stream,
                               const char *action, const char *template_owner, const char *domain)
{
    event_head(b, "io.nats.jetstream.advisory.v1.stream_action", id, ts);
    jsj__kv_str(b, "stream", stream);
    jsj__kv_str(b, "action", action);
    if (jsj__has(template_owner))
        jsj__kv_str(b, "template", template_owner);
    if (jsj__has(domain))
        jsj__kv_str(b, "domain", domain);
    buf_append_char(b, '}');
}

static void opt_str(struct buf *b, const char *key, const char *v)
{
    if (jsj__has(v))
        jsj__kv_str(b, key, v);
}

static void client_info_json(struct buf *b, const struct js_client_info *c)
{
    buf_append_char(b, '{');
    if (c->start)
        jsj__kv_time(b, "start", c->start);
    opt_str(b, "host", c->host);
    if (c->id)
        jsj__kv_u64(b, "id", c->id);
    jsj__kv_str(b, "acc", c->acc);
    opt_str(b, "svc", c->svc);
    opt_str(b, "user", c->user);
    opt_str(b, "name", c->name);
    opt_str(b, "lang", c->lang);
    opt_str(b, "ver", c->ver);
    if (c->rtt)
        jsj__kv_i64(b, "rtt", c->rtt);
    opt_str(b, "server", c->server);
    opt_str(b, "cluster", c->cluster);
    if (c->nalts) {
        jsj__key(b, "alts");
        jsj__strv_json(b, c->alts, c->nalts);
    }
    if (c->stop)
        jsj__kv_time(b, "stop", c->stop);
    opt_str(b, "jwt", c->jwt);
    opt_str(b, "issuer_key", c->issuer_key);
    opt_str(b, "name_tag", c->name_tag);
    if (c->ntags) {
        jsj__key(b, "tags");
        jsj__strv_json(b, c->tags, c->ntags);
    }
    opt_str(b, "kind", c->kind);
    opt_str(b, "client_type", c->client_type);
    opt_str(b, "client_id", c->client_id);
    buf_append_char(b, '}');
}

void js_advisory_api_audit(struct buf *b, const struct js_api_audit *a)
{
    event_head(b, "io.nats.jetstream.advisory.v1.api_audit", a->id, a->ts);
    jsj__kv_str(b, "server", a->server);
    jsj__key(b, "client");
    if (a->client)
        client_info_json(b, a->client);
    else
        buf_append_str(b, "null");
    jsj__kv_str(b, "subject", a->subject);
    if (a->request_len) {
        jsj__key(b, "request");
        js_json_str(b, a->request, a->request_len);
    }
    jsj__key(b, "response");
    js_json_str(b, jsj__s(a->response), a->response ? a->response_len : 0);
    if (jsj__has(a->domain))
        jsj__kv_str(b, "domain", a->domain);
    buf_append_char(b, '}');
}
