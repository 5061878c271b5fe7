/* JetStream API request bodies: STREAM.NAMES/LIST, STREAM.INFO, PURGE,
 * MSG.GET, MSG.DELETE and DIRECT.GET, with nats-server 2.9.10's handling of
 * empty bodies (isEmptyRequest) and its 10003/10025 answers.
 */
#include "jetstream/js_json_int.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char direct_empty[] = "NATS/1.0 408 Empty Request\r\n\r\n";
static const char direct_malformed[] = "NATS/1.0 408 Malformed Request\r\n\r\n";
static const char direct_bad[] = "NATS/1.0 408 Bad Request\r\n\r\n";

/* Loads <body> and decodes it with <names>/<set>; -1 when Go's Unmarshal
 * would fail. */
static int decode(const char *body, size_t len, const char *const *names, size_t n,
                  int (*set)(int idx, json_t *v, void *ctx), void *ctx)
{
    json_t *root = jsj__json_load(body, len);
    int rc = root ? jsj__decode_object(root, names, n, set, ctx) : -1;
    json_decref(root);
    return rc;
}

static int ok(enum js_err *err, char *detail, size_t cap)
{
    if (err)
        *err = JS_ERR_NONE;
    if (detail && cap)
        detail[0] = '\0';
    return 0;
}

static int invalid_json(enum js_err *err, char *detail, size_t cap)
{
    return jsj__fail_plain(err, detail, cap, JS_ERR_INVALID_JSON);
}

/* ---- STREAM.NAMES / STREAM.LIST ---- */

static const char *const names_fields[] = {"offset", "subject"};

static int set_names(int idx, json_t *v, void *ctx)
{
    struct js_stream_names_req *r = ctx;
    return idx == 0 ? jsj__get_i64(v, &r->offset) : jsj__get_str(v, &r->subject);
}

int js_stream_names_req_parse(const char *body, size_t len, struct js_stream_names_req *out,
                              enum js_err *err, char *detail, size_t cap)
{
    memset(out, 0, sizeof(*out));
    if (js_api_is_empty_request(body, len))
        return ok(err, detail, cap);
    if (decode(body, len, names_fields, 2, set_names, out) < 0)
        return invalid_json(err, detail, cap);
    if (out->offset < 0)
        out->offset = 0;
    return ok(err, detail, cap);
}

void js_stream_names_req_deinit(struct js_stream_names_req *r)
{
    FREE_AND_NULL(r->subject);
}

/* ---- STREAM.INFO ---- */

static const char *const info_fields[] = {"offset", "deleted_details", "subjects_filter"};

static int set_info(int idx, json_t *v, void *ctx)
{
    struct js_stream_info_req *r = ctx;
    if (idx == 0)
        return jsj__get_i64(v, &r->offset);
    if (idx == 1)
        return jsj__get_bool(v, &r->deleted_details);
    return jsj__get_str(v, &r->subjects_filter);
}

int js_stream_info_req_parse(const char *body, size_t len, struct js_stream_info_req *out,
                             enum js_err *err, char *detail, size_t cap)
{
    memset(out, 0, sizeof(*out));
    if (js_api_is_empty_request(body, len))
        return ok(err, detail, cap);
    if (decode(body, len, info_fields, 3, set_info, out) < 0)
        return invalid_json(err, detail, cap);
    if (out->offset < 0)
        out->offset = 0;
    return ok(err, detail, cap);
}

void js_stream_info_req_deinit(struct js_stream_info_req *r)
{
    FREE_AND_NULL(r->subjects_filter);
}

/* ---- STREAM.PURGE ---- */

static const char *const purge_fields[] = {"seq", "filter", "keep"};

static int set_purge(int idx, json_t *v, void *ctx)
{
    struct js_purge_req *r = ctx;
    if (idx == 1)
        return jsj__get_str(v, &r->filter);
    return jsj__get_u64(v, idx == 0 ? &r->seq : &r->keep);
}

int js_purge_req_parse(const char *body, size_t len, struct js_purge_req *out, enum js_err *err,
                       char *detail, size_t cap)
{
    memset(out, 0, sizeof(*out));
    if (js_api_is_empty_request(body, len))
        return ok(err, detail, cap);
    if (decode(body, len, purge_fields, 3, set_purge, out) < 0)
        return invalid_json(err, detail, cap);
    if (out->seq > 0 && out->keep > 0)
        return jsj__fail_plain(err, detail, cap, JS_ERR_BAD_REQUEST);
    out->present = true;
    return ok(err, detail, cap);
}

void js_purge_req_deinit(struct js_purge_req *r)
{
    FREE_AND_NULL(r->filter);
}

/* ---- STREAM.MSG.GET / DIRECT.GET ---- */

static const char *const get_fields[] = {"seq", "last_by_subj", "next_by_subj"};

static int set_get(int idx, json_t *v, void *ctx)
{
    struct js_msg_get_req *r = ctx;
    if (idx == 0)
        return jsj__get_u64(v, &r->seq);
    return jsj__get_str(v, idx == 1 ? &r->last_by_subj : &r->next_by_subj);
}

int js_msg_get_req_parse(const char *body, size_t len, struct js_msg_get_req *out, enum js_err *err,
                         char *detail, size_t cap)
{
    memset(out, 0, sizeof(*out));
    if (js_api_is_empty_request(body, len))
        return jsj__fail_plain(err, detail, cap, JS_ERR_BAD_REQUEST);
    if (decode(body, len, get_fields, 3, set_get, out) < 0)
        return invalid_json(err, detail, cap);
    bool last = jsj__has(out->last_by_subj), next = jsj__has(out->next_by_subj);
    if ((out->seq > 0 && last) || (out->seq == 0 && !last && !next) || (last && next))
        return jsj__fail_plain(err, detail, cap, JS_ERR_BAD_REQUEST);
    return ok(err, detail, cap);
}

int js_direct_get_req_parse(const char *body, size_t len, struct js_msg_get_req *out,
                            const char **status)
{
    memset(out, 0, sizeof(*out));
    *status = NULL;
    if (len == 0) {
        *status = direct_empty;
        return 408;
    }
    if (decode(body, len, get_fields, 3, set_get, out) < 0) {
        *status = direct_malformed;
        return 408;
    }
    bool last = jsj__has(out->last_by_subj), next = jsj__has(out->next_by_subj);
    if (out->seq == 0 && !last && !next) {
        *status = direct_empty;
        return 408;
    }
    if ((out->seq > 0 && last) || (last && next)) {
        *status = direct_bad;
        return 408;
    }
    return 0;
}

void js_msg_get_req_deinit(struct js_msg_get_req *r)
{
    FREE_AND_NULL(r->last_by_subj);
    FREE_AND_NULL(r->next_by_subj);
}

/* ---- STREAM.MSG.DELETE ---- */

static const char *const del_fields[] = {"seq", "no_erase"};

static int set_del(int idx, json_t *v, void *ctx)
{
    struct js_msg_delete_req *r = ctx;
    return idx == 0 ? jsj__get_u64(v, &r->seq) : jsj__get_bool(v, &r->no_erase);
}

int js_msg_delete_req_parse(const char *body, size_t len, struct js_msg_delete_req *out,
                            enum js_err *err, char *detail, size_t cap)
{
    memset(out, 0, sizeof(*out));
    if (js_api_is_empty_request(body, len))
        return jsj__fail_plain(err, detail, cap, JS_ERR_BAD_REQUEST);
    if (decode(body, len, del_fields, 2, set_del, out) < 0)
        return invalid_json(err, detail, cap);
    return ok(err, detail, cap);
}
