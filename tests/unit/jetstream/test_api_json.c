/* Unit tests for the API encoders and request parsers (js_api_resp.c,
 * js_api_req.c, js_info_json.c): every response is rebuilt from structs and
 * compared byte for byte with what nats-server 2.9.10 sent (captures.h);
 * requests are table-driven, one row per body.
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

#include "captures.h"
#include "jetstream/js_json.h"

#define S(x) (x), strlen(x)

/* The time value of the first `"<key>":"..."` member of <cap>. */
static int64_t cap_time(const char *cap, const char *key)
{
    char pat[64];
    int64_t ns = 0;
    int32_t tz = 0;
    snprintf(pat, sizeof(pat), "\"%s\":\"", key);
    const char *p = strstr(cap, pat);
    assert_non_null(p);
    p += strlen(pat);
    const char *q = strchr(p, '"');
    assert_int_equal(js_time_parse(p, (size_t)(q - p), &ns, &tz), 0);
    return ns == JS_TIME_ZERO ? 0 : ns;
}

static void expect(struct buf *b, const char *want)
{
    buf_append_char(b, '\0');
    assert_string_equal(buf_head(b), want);
    buf_clear(b);
}

/* Parses and checks a create request the way the CREATE handler does. */
static void make_config(struct js_stream_config *c, const char *name, const char *body)
{
    enum js_err e;
    char d[256];
    assert_int_equal(js_stream_config_parse(S(body), c, &e, d, sizeof(d)), 0);
    assert_int_equal(js_stream_config_check_create(name, c, NULL, &e, d, sizeof(d)), 0);
}

static void test_api_account_info(void **state)
{
    struct buf b;
    struct js_account_info ai = {
        .limits = {-1, -1, -1, -1, -1, -1, -1, false},
    };
    buf_init(&b);
    js_resp_account_info(&b, &ai);
    expect(&b, CAP_ACCOUNT_INFO);
    ai.domain = "HUB";
    js_resp_account_info(&b, &ai);
    expect(&b, CAP_ACCOUNT_INFO_DOMAIN);
    buf_deinit(&b);
}

static void test_api_stream_create_responses(void **state)
{
    static const struct {
        const char *name, *body, *cap;
    } rows[] = {
        {"S", "{\"name\":\"S\",\"subjects\":[\"s.>\"],\"allow_direct\":true}", CAP_CREATE_S},
        {"F",
         "{\"name\":\"F\",\"description\":\"d <&>\",\"subjects\":[\"f.*\",\"g\"],"
         "\"max_consumers\":5,\"max_msgs\":10,\"max_bytes\":1000,\"max_age\":2000000000,"
         "\"max_msgs_per_subject\":3,\"max_msg_size\":100,\"discard\":\"new\",\"storage\":"
         "\"memory\",\"no_ack\":true,\"duplicate_window\":1000000000,\"placement\":{\"cluster\":"
         "\"c\",\"tags\":[\"a\",\"b\"]},\"deny_delete\":true,\"allow_rollup_hdrs\":true,"
         "\"republish\":{\"src\":\">\",\"dest\":\"rp.>\",\"headers_only\":true},"
         "\"allow_direct\":true,\"discard_new_per_subject\":true}",
         CAP_CREATE_F},
        {"SRC",
         "{\"name\":\"SRC\",\"sources\":[{\"name\":\"F\",\"opt_start_seq\":3,\"filter_subject\":"
         "\"f.1\",\"external\":{\"api\":\"$JS.x.API\",\"deliver\":\"dx\"}},{\"name\":\"G\","
         "\"opt_start_time\":\"2026-01-01T00:00:00.5+02:00\"}]}",
         CAP_CREATE_SRC},
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct js_stream_config c;
        struct js_stream_state st = {0};
        make_config(&c, rows[i].name, rows[i].body);
        struct js_stream_info si = {
            .config = &c, .created = cap_time(rows[i].cap, "created"), .state = &st};
        js_resp_stream_create(&b, &si);
        expect(&b, rows[i].cap);
        js_stream_config_deinit(&c);
    }
    buf_deinit(&b);
}

static void test_api_stream_info(void **state)
{
    struct js_stream_config c;
    struct buf b;
    buf_init(&b);
    make_config(&c, "S", "{\"name\":\"S\",\"subjects\":[\"s.>\"],\"allow_direct\":true}");
    struct js_stream_state st = {
        .messages = 8,
        .bytes = 367,
        .first_seq = 1,
        .first_ts = cap_time(CAP_INFO_PLAIN, "first_ts"),
        .last_seq = 8,
        .last_ts = cap_time(CAP_INFO_PLAIN, "last_ts"),
        .num_subjects = 6,
    };
    struct js_stream_info si = {
        .config = &c, .created = cap_time(CAP_INFO_PLAIN, "created"), .state = &st};
    js_resp_stream_info(&b, 0, 0, 0, &si);
    expect(&b, CAP_INFO_PLAIN);

    /* Subjects are given unsorted: Go prints map keys in order. */
    static const struct js_subject_count subs[] = {
        {"s.x", 1}, {"s.1", 1}, {"s.h", 1}, {"s.0", 2}, {"s.e", 1}};
    static const uint64_t deleted[] = {2, 3};
    st.messages = 6;
    st.bytes = 289;
    st.num_subjects = 5;
    st.subjects = subs;
    st.nsubjects = 5;
    st.num_deleted = 2;
    st.deleted = deleted;
    st.ndeleted = 2;
    js_resp_stream_info(&b, 5, 0, 100000, &si);
    expect(&b, CAP_INFO_DETAILS);
    js_stream_config_deinit(&c);

    /* A mirror that never heard from its origin. */
    make_config(&c, "M", "{\"name\":\"M\",\"mirror\":{\"name\":\"F\"},\"mirror_direct\":true}");
    struct js_stream_state empty = {0};
    struct js_source_info mi = {.name = "F", .active = -1};
    struct js_stream_info mis = {
        .config = &c, .created = cap_time(CAP_INFO_M, "created"), .state = &empty, .mirror = &mi};
    js_resp_stream_info(&b, 0, 0, 0, &mis);
    expect(&b, CAP_INFO_M);
    js_stream_config_deinit(&c);
    buf_deinit(&b);
}

static void test_api_domain_info_and_list(void **state)
{
    struct js_stream_config c;
    struct buf b;
    buf_init(&b);
    make_config(&c, "D", "{\"name\":\"D\"}");
    int64_t ts = cap_time(CAP_INFO_DOMAIN, "first_ts");
    struct js_stream_state st = {.messages = 1,
                                 .bytes = 32,
                                 .first_seq = 1,
                                 .first_ts = ts,
                                 .last_seq = 1,
                                 .last_ts = ts,
                                 .num_subjects = 1};
    struct js_stream_info si = {.config = &c,
                                .created = cap_time(CAP_INFO_DOMAIN, "created"),
                                .state = &st,
                                .domain = "HUB"};
    js_resp_stream_info(&b, 0, 0, 0, &si);
    expect(&b, CAP_INFO_DOMAIN);
    js_resp_stream_list(&b, 1, 0, 256, &si, 1, NULL, 0);
    expect(&b, CAP_LIST_DOMAIN);
    js_stream_config_deinit(&c);
    buf_deinit(&b);
}

static void test_api_names_list_purge_delete(void **state)
{
    static const char *const one[] = {"S"}, *const two[] = {"S", "SRC"};
    struct buf b;
    buf_init(&b);
    js_resp_stream_names(&b, 1, 0, 1024, one, 1);
    expect(&b, CAP_NAMES);
    js_resp_stream_names(&b, 3, 1, 1024, two, 2);
    expect(&b, CAP_NAMES_2);
    js_resp_stream_names(&b, 0, 0, 1024, NULL, 0);
    expect(&b, CAP_NAMES_NONE);
    js_resp_stream_list(&b, 0, 0, 256, NULL, 0, NULL, 0);
    expect(&b, CAP_LIST_NONE);
    js_resp_stream_purge(&b, 1);
    expect(&b, CAP_PURGE_OK);
    js_resp_success(&b, JS_RESP_STREAM_MSG_DELETE);
    expect(&b, CAP_MSG_DEL_OK);
    js_resp_success(&b, JS_RESP_STREAM_DELETE);
    expect(&b, CAP_DELETE_OK);
    buf_deinit(&b);
}

static void test_api_error_responses(void **state)
{
    static const struct {
        enum js_resp_type t;
        enum js_err e;
        const char *desc, *cap;
    } rows[] = {
        {JS_RESP_STREAM_INFO, JS_ERR_INVALID_JSON, NULL, CAP_INFO_BAD_JSON},
        {JS_RESP_STREAM_INFO, JS_ERR_STREAM_NOT_FOUND, NULL, CAP_INFO_404},
        {JS_RESP_STREAM_NAMES, JS_ERR_INVALID_JSON, NULL, CAP_NAMES_BAD},
        {JS_RESP_STREAM_LIST, JS_ERR_INVALID_JSON, NULL, CAP_LIST_BAD},
        {JS_RESP_STREAM_PURGE, JS_ERR_BAD_REQUEST, NULL, CAP_PURGE_BAD},
        {JS_RESP_STREAM_DELETE, JS_ERR_NOT_EMPTY_REQUEST, NULL, CAP_DELETE_NOTEMPTY},
        {JS_RESP_STREAM_MSG_GET, JS_ERR_NO_MESSAGE_FOUND, NULL, CAP_MSG_GET_404},
        {JS_RESP_STREAM_MSG_GET, JS_ERR_BAD_REQUEST, NULL, CAP_MSG_GET_BAD},
        {JS_RESP_STREAM_MSG_DELETE, JS_ERR_SEQUENCE_NOT_FOUND, "sequence 2 not found",
         CAP_MSG_DEL_10043},
        {JS_RESP_STREAM_UPDATE, JS_ERR_STREAM_MIRROR_NOT_UPDATABLE, NULL, CAP_UPDATE_ERR},
        {JS_RESP_STREAM_CREATE, JS_ERR_STREAM_NAME_EXIST, NULL, CAP_CREATE_ERR_10058},
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        js_resp_error(&b, rows[i].t, rows[i].e, rows[i].desc);
        expect(&b, rows[i].cap);
    }
    buf_deinit(&b);
}

static void test_api_msg_get(void **state)
{
    static const char hdr[] = "NATS/1.0\r\nFoo: bar\r\nFoo: baz\r\n\r\n";
    struct buf b;
    buf_init(&b);
    struct js_stored_msg m = {"s.0", 1, NULL, 0, "hello0", 6, cap_time(CAP_MSG_GET_1, "time")};
    js_resp_msg_get(&b, &m);
    expect(&b, CAP_MSG_GET_1);
    struct js_stored_msg h = {
        "s.h", 7, hdr, strlen(hdr), "x", 1, cap_time(CAP_MSG_GET_HDR, "time")};
    js_resp_msg_get(&b, &h);
    expect(&b, CAP_MSG_GET_HDR);
    struct js_stored_msg e = {"s.e", 8, NULL, 0, NULL, 0, cap_time(CAP_MSG_GET_EMPTY, "time")};
    js_resp_msg_get(&b, &e);
    expect(&b, CAP_MSG_GET_EMPTY);
    buf_deinit(&b);
}

static void test_api_pub_ack(void **state)
{
    struct buf b;
    buf_init(&b);
    js_pub_ack_json(&b, "S", NULL, 6, false);
    expect(&b, CAP_PUBACK_DUP_FIRST);
    js_pub_ack_json(&b, "S", "", 6, true);
    expect(&b, CAP_PUBACK_DUP);
    js_pub_ack_json(&b, "D", "HUB", 1, false);
    expect(&b, CAP_PUBACK_DOMAIN);
    js_pub_ack_error_json(&b, "S", JS_ERR_STREAM_NOT_MATCH, NULL);
    expect(&b, CAP_PUBACK_ERR_STREAM);
    js_pub_ack_error_json(&b, "S", JS_ERR_STREAM_WRONG_LAST_SEQUENCE, "wrong last sequence: 6");
    expect(&b, CAP_PUBACK_ERR_LASTSEQ);
    /* %q quoting of an odd stream name. */
    js_pub_ack_json(&b, "a\"b\\c", NULL, 2, false);
    expect(&b, "{\"stream\":\"a\\\"b\\\\c\", \"seq\":2}");
    buf_deinit(&b);
}

static void test_api_advisories(void **state)
{
    struct buf b;
    buf_init(&b);
    js_advisory_stream_action(&b, "iPm5XJs6Llq5G5q8XTvgE2", cap_time(CAP_ADV_CREATED, "timestamp"),
                              "S", "create", NULL, NULL);
    expect(&b, CAP_ADV_CREATED);
    js_advisory_stream_action(&b, "iPm5XJs6Llq5G5q8XTvipJ", cap_time(CAP_ADV_DELETED, "timestamp"),
                              "M", "delete", "", "");
    expect(&b, CAP_ADV_DELETED);
    js_advisory_stream_action(&b, "RU4DGbbihm85xO7H1tKXnX",
                              cap_time(CAP_ADV_UPDATED_DOMAIN, "timestamp"), "D", "modify", NULL,
                              "HUB");
    expect(&b, CAP_ADV_UPDATED_DOMAIN);

    static const char srv[] = "NCA6GF2LSNV7KSCXG4Q2CN5PV7SPQKG3YWV5SF7GQ2CM7REZBY6J3DZH";
    struct js_client_info ci = {.acc = "$G", .rtt = 359980, .server = srv};
    struct js_api_audit a = {
        .id = "iPm5XJs6Llq5G5q8XTvg99",
        .ts = cap_time(CAP_ADV_AUDIT_INFO, "timestamp"),
        .server = srv,
        .client = &ci,
        .subject = "$JS.API.INFO",
        .response = CAP_ADV_AUDIT_INFO_RESPONSE,
        .response_len = strlen(CAP_ADV_AUDIT_INFO_RESPONSE),
    };
    js_advisory_api_audit(&b, &a);
    expect(&b, CAP_ADV_AUDIT_INFO);
    a.id = "iPm5XJs6Llq5G5q8XTvhUE";
    a.ts = cap_time(CAP_ADV_AUDIT_PURGE, "timestamp");
    a.subject = "$JS.API.STREAM.PURGE.S";
    a.request = CAP_ADV_AUDIT_PURGE_REQUEST;
    a.request_len = strlen(CAP_ADV_AUDIT_PURGE_REQUEST);
    a.response = CAP_ADV_AUDIT_PURGE_RESPONSE;
    a.response_len = strlen(CAP_ADV_AUDIT_PURGE_RESPONSE);
    js_advisory_api_audit(&b, &a);
    expect(&b, CAP_ADV_AUDIT_PURGE);
    buf_deinit(&b);
}

/* ---- request bodies ---- */

struct req_row {
    const char *body;
    int err_code; /* 0 = accepted */
    uint64_t seq;
    const char *str; /* filter / subject / last_by_subj as applicable */
};

static void test_api_msg_get_requests(void **state)
{
    static const struct req_row rows[] = {
        {"", 10003, 0, NULL},
        {"{}", 10003, 0, NULL},
        {" { } ", 10003, 0, NULL},
        {"null", 10003, 0, NULL},
        {"x", 10025, 0, NULL},
        {"{\"seq\":-1}", 10025, 0, NULL},
        {"{\"seq\":0}", 10003, 0, NULL},
        {"{\"seq\":1}", 0, 1, NULL},
        {"{\"last_by_subj\":\"s.1\"}", 0, 0, "s.1"},
        {"{\"seq\":1,\"last_by_subj\":\"s.1\"}", 10003, 0, NULL},
        {"{\"next_by_subj\":\"s.1\",\"seq\":2}", 0, 2, NULL},
        {"{\"next_by_subj\":\"s.1\"}", 0, 0, NULL},
        {"{\"next_by_subj\":\"a\",\"last_by_subj\":\"b\"}", 10003, 0, NULL},
        {"{\"SEQ\":5,\"junk\":[1]}", 0, 5, NULL},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct js_msg_get_req r;
        enum js_err e;
        char d[128];
        int rc = js_msg_get_req_parse(S(rows[i].body), &r, &e, d, sizeof(d));
        if (rows[i].err_code) {
            assert_int_equal(rc, ERR_INVAL);
            assert_int_equal(js_err_info(e)->err_code, rows[i].err_code);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(r.seq, rows[i].seq);
            if (rows[i].str)
                assert_string_equal(r.last_by_subj, rows[i].str);
        }
        js_msg_get_req_deinit(&r);
    }
}

static void test_api_direct_get_requests(void **state)
{
    static const struct {
        const char *body, *status;
    } rows[] = {
        {"", "NATS/1.0 408 Empty Request\r\n\r\n"},
        {"x", "NATS/1.0 408 Malformed Request\r\n\r\n"},
        {"{}", "NATS/1.0 408 Empty Request\r\n\r\n"},
        {"{\"seq\":0}", "NATS/1.0 408 Empty Request\r\n\r\n"},
        {"{\"seq\":-1}", "NATS/1.0 408 Malformed Request\r\n\r\n"},
        {"{\"seq\":1,\"last_by_subj\":\"S\"}", "NATS/1.0 408 Bad Request\r\n\r\n"},
        {"{\"seq\":1}", NULL},
        {"{\"last_by_subj\":\"S\"}", NULL},
        {"{\"next_by_subj\":\"S\"}", NULL},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct js_msg_get_req r;
        const char *status;
        int rc = js_direct_get_req_parse(S(rows[i].body), &r, &status);
        assert_int_equal(rc, rows[i].status ? 408 : 0);
        if (rows[i].status)
            assert_string_equal(status, rows[i].status);
        js_msg_get_req_deinit(&r);
    }
}

static void test_api_other_requests(void **state)
{
    struct js_purge_req p;
    struct js_msg_delete_req d;
    struct js_stream_names_req n;
    struct js_stream_info_req in;
    enum js_err e;
    char det[128];

    assert_int_equal(js_purge_req_parse(S(""), &p, &e, det, sizeof(det)), 0);
    assert_false(p.present);
    assert_int_equal(js_purge_req_parse(S("{\"seq\":2,\"keep\":1}"), &p, &e, det, sizeof(det)),
                     ERR_INVAL);
    assert_int_equal(e, JS_ERR_BAD_REQUEST);
    assert_string_equal(det, "bad request");
    js_purge_req_deinit(&p);
    assert_int_equal(js_purge_req_parse(S("{\"filter\":\"s.0\",\"keep\":1}"), &p, &e, det, 128), 0);
    assert_true(p.present);
    assert_string_equal(p.filter, "s.0");
    assert_int_equal(p.keep, 1);
    js_purge_req_deinit(&p);
    assert_int_equal(js_purge_req_parse(S("x"), &p, &e, det, sizeof(det)), ERR_INVAL);
    assert_int_equal(e, JS_ERR_INVALID_JSON);
    js_purge_req_deinit(&p);

    assert_int_equal(js_msg_delete_req_parse(S(""), &d, &e, det, sizeof(det)), ERR_INVAL);
    assert_int_equal(e, JS_ERR_BAD_REQUEST);
    assert_int_equal(js_msg_delete_req_parse(S("{\"seq\":3,\"no_erase\":true}"), &d, &e, det, 128),
                     0);
    assert_true(d.seq == 3 && d.no_erase);

    assert_int_equal(js_stream_names_req_parse(S("null"), &n, &e, det, sizeof(det)), 0);
    assert_null(n.subject);
    assert_int_equal(js_stream_names_req_parse(S("{\"offset\":5,\"subject\":\"s.1\"}"), &n, &e, det,
                                               sizeof(det)),
                     0);
    assert_int_equal(n.offset, 5);
    assert_string_equal(n.subject, "s.1");
    js_stream_names_req_deinit(&n);
    assert_int_equal(js_stream_names_req_parse(S("{\"offset\":\"a\"}"), &n, &e, det, 128),
                     ERR_INVAL);
    js_stream_names_req_deinit(&n);

    assert_int_equal(js_stream_info_req_parse(S("{\"deleted_details\":true,\"subjects_filter\":"
                                                "\">\",\"offset\":-1}"),
                                              &in, &e, det, sizeof(det)),
                     0);
    assert_true(in.deleted_details);
    assert_string_equal(in.subjects_filter, ">");
    assert_int_equal(in.offset, 0);
    js_stream_info_req_deinit(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_account_info),
        cmocka_unit_test(test_api_stream_create_responses),
        cmocka_unit_test(test_api_stream_info),
        cmocka_unit_test(test_api_domain_info_and_list),
        cmocka_unit_test(test_api_names_list_purge_delete),
        cmocka_unit_test(test_api_error_responses),
        cmocka_unit_test(test_api_msg_get),
        cmocka_unit_test(test_api_pub_ack),
        cmocka_unit_test(test_api_advisories),
        cmocka_unit_test(test_api_msg_get_requests),
        cmocka_unit_test(test_api_direct_get_requests),
        cmocka_unit_test(test_api_other_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
