/* Unit tests for the consumer JSON, API and pull/ack code
 * (js_consumer_json.c, js_consumer_api.c, js_consumer_pull.c): decoding
 * rules, encodings and every captured response, status block, pull request
 * outcome, ack subject and advisory of nats-server 2.9.10
 * (captures_consumer.h), rebuilt from structs and compared byte for byte.
 */
/* cmocka.h needs these first. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
// clang-format on

#include "captures_consumer.h"
#include "jetstream/js_consumer_json.h"

#include <jansson.h>
#include <stdlib.h>

#define S(x) (x), strlen(x)
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void expect(struct buf *b, const char *want)
{
    buf_append_char(b, '\0');
    assert_string_equal(buf_head(b), want);
    buf_clear(b);
}

/* The JSON value at <path> ("a.b") of the captured <cap>; a new reference. */
static json_t *cap_get(const char *cap, const char *path)
{
    json_t *root = json_loads(cap, 0, NULL), *v = root;
    char p[128], *save = NULL;
    assert_non_null(root);
    snprintf(p, sizeof(p), "%s", path);
    for (char *k = strtok_r(p, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
        v = json_object_get(v, k);
    json_incref(v);
    json_decref(root);
    return v;
}

static int64_t cap_time(const char *cap, const char *path)
{
    json_t *v = cap_get(cap, path);
    int64_t ns = 0;
    int32_t tz;
    assert_true(json_is_string(v));
    assert_int_equal(js_time_parse(json_string_value(v), json_string_length(v), &ns, &tz), 0);
    json_decref(v);
    return ns;
}

static char *cap_str(const char *cap, const char *path)
{
    json_t *v = cap_get(cap, path);
    assert_true(json_is_string(v));
    char *s = strdup(json_string_value(v));
    json_decref(v);
    return s;
}

/* The config nats-server made of create request <body> on stream I. */
static void make_config(const char *name, const char *body, struct js_consumer_config *c)
{
    struct js_stream_config st;
    struct js_consumer_env env = {.stream = &st};
    enum js_err e;
    char d[256];
    assert_int_equal(
        js_stream_config_parse(S("{\"name\":\"I\",\"subjects\":[\"i.>\"]}"), &st, &e, d, sizeof(d)),
        0);
    assert_int_equal(js_stream_config_check(&st, NULL, &e, d, sizeof(d)), 0);
    assert_int_equal(js_consumer_config_parse(S(body), c, &e, d, sizeof(d)), 0);
    assert_int_equal(js_consumer_config_check(c, &env, &e, d, sizeof(d)), 0);
    assert_int_equal(js_consumer_config_check_new(c, name, &env, &e, d, sizeof(d)), 0);
    js_stream_config_deinit(&st);
}

/* ---- config decoding and encoding ---- */

static void test_consumer_config_decoding_rules(void **state)
{
    static const struct {
        const char *json;
        int rc;
    } rows[] = {
        {"{}", 0},
        {"null", 0},
        {"{\"DURABLE_NAME\":\"d\",\"Ack_Policy\":\"all\",\"bogus\":{\"x\":[1]}}", 0},
        {"{\"deliver_policy\":\"undefined\"}", 0},
        {"{\"deliver_policy\":\"Last\"}", ERR_INVAL},
        {"{\"deliver_policy\":null}", ERR_INVAL},
        {"{\"ack_policy\":5}", ERR_INVAL},
        {"{\"replay_policy\":\"originals\"}", ERR_INVAL},
        {"{\"max_deliver\":1.5}", ERR_INVAL},
        {"{\"max_deliver\":\"1\"}", ERR_INVAL},
        {"{\"opt_start_seq\":-1}", ERR_INVAL},
        {"{\"rate_limit_bps\":-1}", ERR_INVAL},
        {"{\"opt_start_time\":\"2026-13-01T00:00:00Z\"}", ERR_INVAL},
        {"{\"backoff\":[1,\"2\"]}", ERR_INVAL},
        {"{\"backoff\":5}", ERR_INVAL},
        {"{\"filter_subjects\":\"a\"}", ERR_INVAL},
        {"{\"metadata\":{\"a\":1}}", ERR_INVAL},
        {"{\"flow_control\":\"true\"}", ERR_INVAL},
        {"[]", ERR_INVAL},
        {"", ERR_INVAL},
        {"{", ERR_INVAL},
    };
    for (size_t i = 0; i < N(rows); i++) {
        struct js_consumer_config c;
        enum js_err e = JS_ERR_NONE;
        char d[64];
        int rc = js_consumer_config_parse(S(rows[i].json), &c, &e, d, sizeof(d));
        if (rc != rows[i].rc)
            fail_msg("%s: %d", rows[i].json, rc);
        if (rc)
            assert_int_equal(e, JS_ERR_INVALID_JSON);
        js_consumer_config_deinit(&c);
    }
}

static void test_consumer_config_null_and_values(void **state)
{
    struct js_consumer_config c;
    struct buf b;
    buf_init(&b);
    assert_int_equal(js_consumer_config_parse(
                         S("{\"max_deliver\":null,\"backoff\":[1,null,3],\"max_waiting\":4,"
                           "\"opt_start_time\":\"2026-01-01T00:00:00.5+02:00\",\"ack_wait\":7,"
                           "\"filter_subjects\":null,\"description\":null,"
                           "\"deliver_policy\":\"by_start_time\"}"),
                         &c, NULL, NULL, 0),
                     0);
    assert_int_equal(c.max_deliver, 0); /* null leaves a scalar alone */
    assert_null(c.description);
    assert_int_equal(c.nbackoff, 3);
    assert_int_equal(c.backoff[1], 0); /* a null element is the zero value */
    assert_int_equal(c.nfilter_subjects, 0);
    assert_true(c.has_opt_start_time);
    assert_int_equal(c.opt_start_time_tz, 7200);
    js_consumer_config_json(&b, &c);
    expect(&b,
           "{\"deliver_policy\":\"by_start_time\",\"opt_start_time\":\"2026-01-01T00:00:00.5+"
           "02:00\",\"ack_policy\":\"none\",\"ack_wait\":7,\"backoff\":[1,0,3],\"replay_policy\""
           ":\"instant\",\"max_waiting\":4,\"num_replicas\":0}");
    js_consumer_config_deinit(&c);
    buf_deinit(&b);
}

/* 2.10's members go where 2.10 puts them and only when set. */
static void test_consumer_config_2_10_members(void **state)
{
    struct js_consumer_config c, d;
    struct buf b;
    buf_init(&b);
    assert_int_equal(js_consumer_config_parse(
                         S("{\"metadata\":{\"z\":\"1\",\"a<\":\"&\"},\"direct\":true,"
                           "\"filter_subjects\":[\"s.a\",\"s.>\"],\"filter_subject\":\"f\"}"),
                         &c, NULL, NULL, 0),
                     0);
    js_consumer_config_json(&b, &c);
    expect(&b, "{\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"filter_subject\":\"f\","
               "\"filter_subjects\":[\"s.a\",\"s.\\u003e\"],\"replay_policy\":\"instant\","
               "\"num_replicas\":0,\"direct\":true,\"metadata\":{\"a\\u003c\":\"\\u0026\",\"z\":"
               "\"1\"}}");
    js_consumer_config_copy(&d, &c);
    assert_true(js_consumer_config_equal(&c, &d));
    free(d.metadata[0].value);
    d.metadata[0].value = strdup("2");
    assert_false(js_consumer_config_equal(&c, &d));
    js_consumer_config_deinit(&d);
    js_consumer_config_deinit(&c);
    buf_deinit(&b);
}

static void test_consumer_config_copy_equal(void **state)
{
    static const char *const variants[] = {
        "{\"durable_name\":\"x\"}",     "{\"description\":\"x\"}",
        "{\"deliver_policy\":\"new\"}", "{\"opt_start_seq\":1}",
        "{\"ack_policy\":\"all\"}",     "{\"ack_wait\":1}",
        "{\"backoff\":[1,3]}",          "{\"filter_subject\":\"x\"}",
        "{\"rate_limit_bps\":1}",       "{\"sample_freq\":\"1\"}",
        "{\"max_waiting\":1}",          "{\"idle_heartbeat\":1}",
        "{\"headers_only\":true}",      "{\"max_bytes\":1}",
        "{\"deliver_group\":\"g\"}",    "{\"inactive_threshold\":1}",
        "{\"mem_storage\":true}",       "{\"opt_start_time\":\"2026-01-01T02:00:00+02:00\"}",
    };
    const char *base = "{\"backoff\":[1,2],\"opt_start_time\":\"2026-01-01T00:00:00Z\"}";
    struct js_consumer_config a, b, c;
    assert_int_equal(js_consumer_config_parse(S(base), &a, NULL, NULL, 0), 0);
    js_consumer_config_copy(&b, &a);
    assert_true(js_consumer_config_equal(&a, &b));
    js_consumer_config_deinit(&b);
    for (size_t i = 0; i < N(variants); i++) {
        char body[256];
        snprintf(body, sizeof(body), "%.*s,%s", (int)strlen(base) - 1, base, variants[i] + 1);
        assert_int_equal(js_consumer_config_parse(S(body), &c, NULL, NULL, 0), 0);
        if (js_consumer_config_equal(&a, &c))
            fail_msg("%s equals the base", variants[i]);
        js_consumer_config_deinit(&c);
    }
    js_consumer_config_deinit(&a);
}

/* ---- ConsumerInfo and the other responses ---- */

static void fill_seq(const char *cap, const char *key, struct js_sequence_info *s)
{
    char p[64];
    json_t *v;
    snprintf(p, sizeof(p), "%s.consumer_seq", key);
    s->consumer_seq = (uint64_t)json_integer_value(v = cap_get(cap, p));
    json_decref(v);
    snprintf(p, sizeof(p), "%s.stream_seq", key);
    s->stream_seq = (uint64_t)json_integer_value(v = cap_get(cap, p));
    json_decref(v);
    snprintf(p, sizeof(p), "%s.last_active", key);
    v = cap_get(cap, p);
    s->last_active = v ? cap_time(cap, p) : 0;
    json_decref(v);
}

/* Rebuilds the info of <cap> (a response or a list element) from <cfg>
 * and the counters in the capture; the name must come from the test. */
static void info_from(const char *cap, const struct js_consumer_config *cfg, const char *name,
                      struct js_consumer_info *ci)
{
    json_t *v;
    memset(ci, 0, sizeof(*ci));
    ci->stream_name = "I";
    ci->name = name;
    ci->created = cap_time(cap, "created");
    ci->config = cfg;
    fill_seq(cap, "delivered", &ci->delivered);
    fill_seq(cap, "ack_floor", &ci->ack_floor);
    ci->num_ack_pending = json_integer_value(v = cap_get(cap, "num_ack_pending"));
    json_decref(v);
    ci->num_redelivered = json_integer_value(v = cap_get(cap, "num_redelivered"));
    json_decref(v);
    ci->num_waiting = json_integer_value(v = cap_get(cap, "num_waiting"));
    json_decref(v);
    ci->num_pending = (uint64_t)json_integer_value(v = cap_get(cap, "num_pending"));
    json_decref(v);
    ci->push_bound = json_is_true(v = cap_get(cap, "push_bound"));
    json_decref(v);
}

static void test_consumer_info_captures(void **state)
{
    struct js_consumer_config push, pull;
    struct js_consumer_info ci;
    struct buf b;
    char *name = cap_str(CAPC_INFO_CREATE_PUSH, "name");
    buf_init(&b);
    make_config(name, "{\"deliver_subject\":\"dlv\",\"ack_policy\":\"explicit\"}", &push);
    make_config("pl", "{\"name\":\"pl\",\"ack_policy\":\"explicit\"}", &pull);
    info_from(CAPC_INFO_CREATE_PUSH, &push, name, &ci);
    assert_true(ci.push_bound && ci.num_pending == 3);
    js_resp_consumer_create(&b, &ci);
    expect(&b, CAPC_INFO_CREATE_PUSH);
    info_from(CAPC_INFO_PUSH_DELIVERED, &push, name, &ci);
    assert_true(ci.delivered.last_active != 0 && ci.ack_floor.last_active == 0);
    js_resp_consumer_info(&b, &ci);
    expect(&b, CAPC_INFO_PUSH_DELIVERED);
    info_from(CAPC_INFO_PUSH_ACKED, &push, name, &ci);
    assert_true(ci.ack_floor.last_active != 0);
    js_resp_consumer_info(&b, &ci);
    expect(&b, CAPC_INFO_PUSH_ACKED);
    info_from(CAPC_INFO_PULL_WAITING, &pull, "pl", &ci);
    assert_int_equal(ci.num_waiting, 1);
    js_resp_consumer_info(&b, &ci);
    expect(&b, CAPC_INFO_PULL_WAITING);
    /* CONSUMER.LIST from offset 1 holds just "pl" */
    json_t *el = cap_get(CAPC_LIST_OFFSET, "consumers");
    char *one = json_dumps(json_array_get(el, 0), JSON_COMPACT);
    info_from(one, &pull, "pl", &ci);
    js_resp_consumer_list(&b, 2, 1, 256, &ci, 1, NULL, 0);
    expect(&b, CAPC_LIST_OFFSET);
    free(one);
    json_decref(el);
    const char *names[] = {name, "pl"};
    js_resp_consumer_names(&b, 2, 0, 1024, names, 2);
    expect(&b, CAPC_NAMES);
    js_resp_consumer_names(&b, 2, 1, 1024, names + 1, 1);
    expect(&b, CAPC_NAMES_OFFSET);
    js_resp_consumer_names(&b, 2, 2, 1024, NULL, 0);
    expect(&b, CAPC_NAMES_PAST_END);
    js_resp_consumer_names(&b, 0, 0, 1024, NULL, 0);
    expect(&b, CAPC_NAMES_EMPTY);
    js_resp_consumer_list(&b, 0, 0, 256, NULL, 0, NULL, 0);
    expect(&b, CAPC_LIST_EMPTY);
    free(name);
    js_consumer_config_deinit(&push);
    js_consumer_config_deinit(&pull);
    buf_deinit(&b);
}

static void test_consumer_error_responses(void **state)
{
    static const struct {
        enum js_resp_type t;
        enum js_err e;
        const char *cap;
    } rows[] = {
        {JS_RESP_CONSUMER_NAMES, JS_ERR_INVALID_JSON, CAPC_NAMES_BAD},
        {JS_RESP_CONSUMER_NAMES, JS_ERR_STREAM_NOT_FOUND, CAPC_NAMES_404},
        {JS_RESP_CONSUMER_LIST, JS_ERR_INVALID_JSON, CAPC_LIST_BAD},
        {JS_RESP_CONSUMER_LIST, JS_ERR_STREAM_NOT_FOUND, CAPC_LIST_404},
        {JS_RESP_CONSUMER_INFO, JS_ERR_CONSUMER_NOT_FOUND, CAPC_INFO_404},
        {JS_RESP_CONSUMER_INFO, JS_ERR_STREAM_NOT_FOUND, CAPC_INFO_STREAM_404},
        {JS_RESP_CONSUMER_INFO, JS_ERR_NOT_EMPTY_REQUEST, CAPC_INFO_NOT_EMPTY},
        {JS_RESP_CONSUMER_DELETE, JS_ERR_CONSUMER_NOT_FOUND, CAPC_DELETE_404},
        {JS_RESP_CONSUMER_DELETE, JS_ERR_NOT_EMPTY_REQUEST, CAPC_DELETE_NOT_EMPTY},
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < N(rows); i++) {
        js_resp_consumer_error(&b, rows[i].t, rows[i].e, NULL);
        expect(&b, rows[i].cap);
    }
    js_resp_success(&b, JS_RESP_CONSUMER_DELETE);
    expect(&b, CAPC_DELETE_OK);
    buf_deinit(&b);
}

static void test_consumer_names_request(void **state)
{
    static const struct {
        const char *body;
        int rc;
        int64_t offset;
    } rows[] = {
        {"", 0, 0},
        {"{}", 0, 0},
        {"null", 0, 0},
        {"{\"offset\":3}", 0, 3},
        {"{\"OFFSET\":3,\"x\":1}", 0, 3},
        {"{\"offset\":-4}", 0, 0},
        {"{\"offset\":\"x\"}", ERR_INVAL, 0},
        {"[]", ERR_INVAL, 0},
    };
    for (size_t i = 0; i < N(rows); i++) {
        int64_t off = -1;
        enum js_err e;
        assert_int_equal(js_consumer_names_req_parse(S(rows[i].body), &off, &e, NULL, 0),
                         rows[i].rc);
        assert_int_equal(off, rows[i].offset);
    }
}

/* ---- status blocks, pull requests and acks ---- */

static void test_consumer_status_blocks(void **state)
{
    struct buf b;
    buf_init(&b);
    js_status_block(&b, JS_STATUS_NO_MESSAGES, 0, 0);
    expect(&b, CAPC_ST_NO_MESSAGES);
    js_status_exceeded_batch(&b, 5);
    expect(&b, CAPC_ST_MAX_BATCH);
    js_status_exceeded_expires(&b, 2500000000LL);
    expect(&b, CAPC_ST_MAX_EXPIRES);
    js_status_exceeded_max_bytes(&b, 1000);
    expect(&b, CAPC_ST_MAX_BYTES);
    js_status_bad_request(&b, "heartbeat value too large");
    expect(&b, CAPC_ST_HB_TOO_LARGE);
    js_status_idle_heartbeat(&b, 0, 0, NULL);
    expect(&b, CAPC_ST_HEARTBEAT);
    js_status_block(&b, JS_STATUS_REQUEST_TIMEOUT, 0, 0);
    expect(&b, CAPC_ST_TIMEOUT);
    js_status_block(&b, JS_STATUS_MAX_WAITING, 0, 0);
    expect(&b, CAPC_ST_MAX_WAITING);
    js_status_block(&b, JS_STATUS_CONSUMER_DELETED, 0, 0);
    expect(&b, CAPC_ST_DELETED);
    js_status_block(&b, JS_STATUS_MSG_SIZE_EXCEEDS, 2, 100);
    expect(&b, CAPC_ST_MSG_SIZE);
    js_status_block(&b, JS_STATUS_REQUEST_TIMEOUT, 1, 15);
    expect(&b, CAPC_ST_TIMEOUT_BYTES);
    js_status_block(&b, JS_STATUS_PUSH_BASED, 0, 0);
    expect(&b, CAPC_ST_PUSH_BASED);
    js_status_block(&b, JS_STATUS_FLOW_CONTROL, 0, 0);
    expect(&b, CAPC_ST_FLOW_CONTROL);
    js_status_idle_heartbeat(&b, 23, 23, CAPC_ST_FLOW_CONTROL_REPLY);
    expect(&b, CAPC_ST_HEARTBEAT_STALLED);
    /* from nats-server's templates, not triggerable on one server */
    js_status_block(&b, JS_STATUS_INTEREST_EXPIRED, 3, 0);
    expect(&b, "NATS/1.0 408 Interest Expired\r\nNats-Pending-Messages: 3\r\n"
               "Nats-Pending-Bytes: 0\r\n\r\n");
    js_status_block(&b, JS_STATUS_LEADERSHIP_CHANGE, 0, 0);
    expect(&b, "NATS/1.0 409 Leadership Change\r\n\r\n");
    js_status_block(&b, JS_STATUS_REQUESTS_PENDING, 0, 0);
    expect(&b, "NATS/1.0 408 Requests Pending\r\n\r\n");
    buf_deinit(&b);
}

static void test_consumer_pull_rows(void **state)
{
    struct buf st;
    buf_init(&st);
    for (size_t i = 0; i < N(CAPC_PULL_ROWS); i++) {
        struct js_pull_req r;
        int rc = js_pull_req_parse(S(CAPC_PULL_ROWS[i].body), &r, &st);
        buf_append_char(&st, '\0');
        if (strcmp(buf_head(&st), CAPC_PULL_ROWS[i].status) != 0 ||
            (rc < 0) != (CAPC_PULL_ROWS[i].status[0] != '\0'))
            fail_msg("row %zu %s: got %s want %s", i, CAPC_PULL_ROWS[i].body, buf_head(&st),
                     CAPC_PULL_ROWS[i].status);
        buf_clear(&st);
    }
    /* nesting deeper than encoding/json's 10000 levels */
    struct buf deep;
    struct js_pull_req r;
    buf_init(&deep);
    buf_append_str(&deep, "{\"a\":");
    for (int i = 0; i < 10001; i++)
        buf_append_char(&deep, '[');
    assert_int_equal(js_pull_req_parse(buf_head(&deep), buf_size(&deep), &r, &st), -1);
    expect(&st, "NATS/1.0 400 Bad Request - invalid character '[' exceeded max depth\r\n\r\n");
    /* a NUL inside a string, which the C string captures cannot hold */
    assert_int_equal(js_pull_req_parse("{\"a\":\"\x7f\0\"}", 9, &r, &st), -1);
    expect(&st, "NATS/1.0 400 Bad Request - invalid character '\\x00' in string literal\r\n\r\n");
    buf_deinit(&deep);
    buf_deinit(&st);
}

static void test_consumer_pull_values_and_limits(void **state)
{
    struct js_pull_req r;
    struct js_consumer_config cfg = {
        .max_batch = 5, .max_expires = 2500000000LL, .max_bytes = 1000};
    struct buf st;
    buf_init(&st);
    assert_int_equal(js_pull_req_parse(S(""), &r, &st), 0);
    assert_int_equal(r.batch, 1);
    assert_int_equal(js_pull_req_parse(S(" \t+7\r\n"), &r, &st), 0);
    assert_int_equal(r.batch, 7);
    assert_int_equal(js_pull_req_parse(S("seven"), &r, &st), 0);
    assert_int_equal(r.batch, 1);
    assert_int_equal(js_pull_req_parse(S("{\"batch\":3,\"expires\":2500000000,\"max_bytes\":1000,"
                                         "\"no_wait\":true,\"idle_heartbeat\":1250000000}"),
                                       &r, &st),
                     0);
    assert_true(r.batch == 3 && r.expires == 2500000000LL && r.max_bytes == 1000 && r.no_wait &&
                r.idle_heartbeat == 1250000000LL);
    assert_int_equal(js_pull_req_check(&r, &cfg, &st), 0);
    r.batch = 6;
    assert_int_equal(js_pull_req_check(&r, &cfg, &st), -1);
    expect(&st, CAPC_ST_MAX_BATCH);
    r.batch = 5, r.expires = 3000000000LL;
    assert_int_equal(js_pull_req_check(&r, &cfg, &st), -1);
    expect(&st, CAPC_ST_MAX_EXPIRES);
    r.expires = -1, r.max_bytes = 2000;
    assert_int_equal(js_pull_req_check(&r, &cfg, &st), -1);
    expect(&st, CAPC_ST_MAX_BYTES);
    /* 2*hb wraps in Go's int64 arithmetic and then passes */
    assert_int_equal(js_pull_req_parse(S("{\"idle_heartbeat\":4611686018427387904}"), &r, &st), 0);
    buf_deinit(&st);
}

static void test_consumer_ack_reply(void **state)
{
    static const char *const bad[] = {
        "$JS.ACK.S.p.1.2.3.4",
        "$JS.ACK.S.p.1.2.3.4.5.6",
        "$JS.ACK.S.p.1.2.x.4.5",
        "$JS.ACK.S.p.1.2..4.5",
        "$JS.ACK.S.p.-1.2.3.4.5",
        "$JS.NAK.S.p.1.2.3.4.5",
        "$JS.ACK.S.p.1.2.3.9223372036854775808.5",
        "",
    };
    struct js_ack_reply a;
    struct buf b;
    buf_init(&b);
    assert_int_equal(js_ack_reply_parse(S(CAPC_ACK_REPLY_1), &a), 0);
    assert_true(a.delivered == 1 && a.sseq == 1 && a.cseq == 1 && a.pending == 2 && a.ts > 0);
    char *stream = strndup(a.stream, a.stream_len), *cons = strndup(a.consumer, a.consumer_len);
    assert_string_equal(stream, "I");
    js_ack_reply_build(&b, stream, cons, a.delivered, a.sseq, a.cseq, a.ts, a.pending);
    expect(&b, CAPC_ACK_REPLY_1);
    assert_int_equal(js_ack_reply_parse(S(CAPC_ACK_REPLY_3), &a), 0);
    assert_true(a.sseq == 3 && a.cseq == 3 && a.pending == 0);
    js_ack_reply_build(&b, stream, cons, a.delivered, a.sseq, a.cseq, a.ts, a.pending);
    expect(&b, CAPC_ACK_REPLY_3);
    assert_int_equal(js_ack_reply_parse(S("$JS.ACK.S.p.1.2.3.9223372036854775807.5"), &a), 0);
    assert_int_equal(a.ts, INT64_MAX);
    for (size_t i = 0; i < N(bad); i++)
        if (js_ack_reply_parse(S(bad[i]), &a) == 0)
            fail_msg("%s parsed", bad[i]);
    free(stream);
    free(cons);
    buf_deinit(&b);
}

static void test_consumer_ack_bodies(void **state)
{
    static const struct {
        const char *body;
        enum js_ack_op op;
        bool has_delay;
        int64_t delay;
    } rows[] = {
        {"", JS_ACK_OP_ACK, false, 0},
        {"+ACK", JS_ACK_OP_ACK, false, 0},
        {"+OK", JS_ACK_OP_ACK, false, 0},
        {"+ACK ", JS_ACK_OP_IGNORE, false, 0},
        {"+WPI", JS_ACK_OP_PROGRESS, false, 0},
        {"+TERM", JS_ACK_OP_TERM, false, 0},
        {"+TERM reason", JS_ACK_OP_IGNORE, false, 0},
        {"+NXT", JS_ACK_OP_NEXT, false, 0},
        {"+NXT 5", JS_ACK_OP_NEXT, false, 0},
        {"-NAK", JS_ACK_OP_NAK, false, 0},
        {"-NAK 1s", JS_ACK_OP_NAK, true, 1000000000},
        {"-NAK \t1.5h\xc2\xa0", JS_ACK_OP_NAK, true, 5400000000000LL},
        {"-NAK -2m3.25s", JS_ACK_OP_NAK, true, -123250000000LL},
        {"-NAK 1\xc2\xb5s", JS_ACK_OP_NAK, true, 1000},
        {"-NAK 1\xce\xbcs2ns", JS_ACK_OP_NAK, true, 1002},
        {"-NAK .5s", JS_ACK_OP_NAK, true, 500000000},
        {"-NAK 0", JS_ACK_OP_NAK, true, 0},
        {"-NAK 1", JS_ACK_OP_NAK, false, 0},
        {"-NAK 1x", JS_ACK_OP_NAK, false, 0},
        {"-NAK .s", JS_ACK_OP_NAK, false, 0},
        {"-NAK 1 s", JS_ACK_OP_NAK, false, 0},
        {"-NAK 9223372036854775807ns", JS_ACK_OP_NAK, true, INT64_MAX},
        {"-NAK 9223372036854775808ns", JS_ACK_OP_NAK, false, 0},
        {"-NAK -9223372036854775808ns", JS_ACK_OP_NAK, true, INT64_MIN},
        {"-NAK 2562048h", JS_ACK_OP_NAK, false, 0},
        {"-NAK 1.000000000000000000001s", JS_ACK_OP_NAK, true, 1000000000},
        {"-NAKED", JS_ACK_OP_NAK, false, 0},
        {"-NAK {\"delay\":5}", JS_ACK_OP_NAK, true, 5},
        {"-NAK{\"DELAY\":5,\"x\":[1]}", JS_ACK_OP_NAK, true, 5},
        {"-NAK {}", JS_ACK_OP_NAK, true, 0},
        {"-NAK {\"delay\":null}", JS_ACK_OP_NAK, true, 0},
        {"-NAK {\"delay\":\"5s\"}", JS_ACK_OP_NAK, false, 0},
        {"-NAK {\"delay\":5} x", JS_ACK_OP_NAK, false, 0},
        {"-NAK {\"delay\":1.5}", JS_ACK_OP_NAK, false, 0},
        {"+nak", JS_ACK_OP_IGNORE, false, 0},
    };
    for (size_t i = 0; i < N(rows); i++) {
        struct js_ack_body a;
        js_ack_body_parse(S(rows[i].body), &a);
        if (a.op != rows[i].op || a.has_delay != rows[i].has_delay || a.delay != rows[i].delay)
            fail_msg("%s: op %d delay %d %lld", rows[i].body, a.op, a.has_delay,
                     (long long)a.delay);
    }
    struct js_ack_body a;
    struct js_pull_req r;
    struct buf st;
    buf_init(&st);
    js_ack_body_parse(S("+NXT {\"batch\":4}"), &a);
    assert_int_equal(js_pull_req_parse(a.next, a.next_len, &r, &st), 0);
    assert_int_equal(r.batch, 4);
    buf_deinit(&st);
}

/* ---- advisories ---- */

static void advisory_rows(bool domain)
{
    const struct {
        const char *cap;
        int kind; /* -1 action, -2 metric, else enum js_delivery_event */
        const char *action;
    } rows[] = {
        {domain ? CAPC_ADV_CREATED_DOMAIN : CAPC_ADV_CREATED, -1, "create"},
        {domain ? CAPC_ADV_DELETED_DOMAIN : CAPC_ADV_DELETED, -1, "delete"},
        {domain ? CAPC_ADV_NAKED_DOMAIN : CAPC_ADV_NAKED, JS_EVENT_NAK, NULL},
        {domain ? CAPC_ADV_TERMINATED_DOMAIN : CAPC_ADV_TERMINATED, JS_EVENT_TERMINATED, NULL},
        {domain ? CAPC_ADV_MAX_DELIVER_DOMAIN : CAPC_ADV_MAX_DELIVER, JS_EVENT_MAX_DELIVER, NULL},
        {domain ? CAPC_METRIC_ACK_DOMAIN : CAPC_METRIC_ACK, -2, NULL},
    };
    const char *dom = domain ? "HUB" : NULL;
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < N(rows); i++) {
        const char *cap = rows[i].cap;
        char *id = cap_str(cap, "id");
        int64_t ts = cap_time(cap, "timestamp");
        json_t *cs = cap_get(cap, "consumer_seq"), *ss = cap_get(cap, "stream_seq"),
               *dl = cap_get(cap, "deliveries"), *at = cap_get(cap, "ack_time");
        uint64_t c = (uint64_t)json_integer_value(cs), s = (uint64_t)json_integer_value(ss),
                 n = (uint64_t)json_integer_value(dl);
        if (rows[i].kind == -1)
            js_advisory_consumer_action(&b, id, ts, "S", "p", rows[i].action, dom);
        else if (rows[i].kind == -2)
            js_metric_consumer_ack(&b, id, ts, "S", "p", c, s, json_integer_value(at), n, dom);
        else
            js_advisory_consumer_delivery(&b, (enum js_delivery_event)rows[i].kind, id, ts, "S",
                                          "p", c, s, n, dom);
        expect(&b, cap);
        json_decref(cs);
        json_decref(ss);
        json_decref(dl);
        json_decref(at);
        free(id);
    }
    buf_deinit(&b);
}

static void test_consumer_advisories(void **state)
{
    advisory_rows(false);
    advisory_rows(true);
    assert_string_equal(CAPC_DOUBLE_ACK, ""); /* an ack with a reply gets an empty message */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_consumer_config_decoding_rules),
        cmocka_unit_test(test_consumer_config_null_and_values),
        cmocka_unit_test(test_consumer_config_2_10_members),
        cmocka_unit_test(test_consumer_config_copy_equal),
        cmocka_unit_test(test_consumer_info_captures),
        cmocka_unit_test(test_consumer_error_responses),
        cmocka_unit_test(test_consumer_names_request),
        cmocka_unit_test(test_consumer_status_blocks),
        cmocka_unit_test(test_consumer_pull_rows),
        cmocka_unit_test(test_consumer_pull_values_and_limits),
        cmocka_unit_test(test_consumer_ack_reply),
        cmocka_unit_test(test_consumer_ack_bodies),
        cmocka_unit_test(test_consumer_advisories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
