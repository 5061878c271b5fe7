/* Unit tests for js_errors.c: the 2.9.10 table (132 contiguous codes,
 * spot-checked texts), code lookup, placeholder formatting and the JSON
 * error object with Go's escaping and omitempty description.
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

#include "jetstream/js_errors.h"

static void test_errors_table_is_contiguous(void **state)
{
    assert_int_equal(JS_ERR__COUNT - 1, 132);
    assert_null(js_err_info(JS_ERR_NONE));
    assert_null(js_err_info(JS_ERR__COUNT));
    for (int i = 1; i < JS_ERR__COUNT; i++) {
        const struct js_err_info *ei = js_err_info((enum js_err)i);
        assert_non_null(ei);
        assert_int_equal(ei->err_code, 10001 + i);
        assert_true(ei->http_code == 400 || ei->http_code == 404 || ei->http_code == 500 ||
                    ei->http_code == 503);
        assert_true(ei->description[0] != '\0');
        assert_int_equal(js_err_by_code(ei->err_code), i);
    }
    assert_int_equal(js_err_by_code(10001), JS_ERR_NONE);
    assert_int_equal(js_err_by_code(10134), JS_ERR_NONE);
    assert_int_equal(js_err_by_code(0), JS_ERR_NONE);
}

/* Rows clients branch on, with the exact 2.9.10 text and HTTP code. */
static void test_errors_known_rows(void **state)
{
    static const struct {
        enum js_err e;
        int http, code;
        const char *name, *desc;
    } rows[] = {
        {JS_ERR_BAD_REQUEST, 400, 10003, "BAD_REQUEST", "bad request"},
        {JS_ERR_CLUSTER_NOT_AVAIL, 503, 10008, "CLUSTER_NOT_AVAIL",
         "JetStream system temporarily unavailable"},
        {JS_ERR_CONSUMER_NOT_FOUND, 404, 10014, "CONSUMER_NOT_FOUND", "consumer not found"},
        {JS_ERR_INVALID_JSON, 400, 10025, "INVALID_JSON", "invalid JSON"},
        {JS_ERR_NO_MESSAGE_FOUND, 404, 10037, "NO_MESSAGE_FOUND", "no message found"},
        {JS_ERR_STREAM_INVALID_CONFIG, 500, 10052, "STREAM_INVALID_CONFIG", "{err}"},
        {JS_ERR_STREAM_NAME_EXIST, 400, 10058, "STREAM_NAME_EXIST",
         "stream name already in use with a different configuration"},
        {JS_ERR_STREAM_NOT_FOUND, 404, 10059, "STREAM_NOT_FOUND", "stream not found"},
        {JS_ERR_STREAM_WRONG_LAST_SEQUENCE, 400, 10071, "STREAM_WRONG_LAST_SEQUENCE",
         "wrong last sequence: {seq}"},
        {JS_ERR_STREAM_REPLICAS_NOT_SUPPORTED, 500, 10074, "STREAM_REPLICAS_NOT_SUPPORTED",
         "replicas > 1 not supported in non-clustered mode"},
        {JS_ERR_NOT_ENABLED, 503, 10076, "NOT_ENABLED", "JetStream not enabled"},
        {JS_ERR_CONSUMER_PULL_REQUIRES_ACK, 400, 10084, "CONSUMER_PULL_REQUIRES_ACK",
         "consumer in pull mode requires ack policy"},
        {JS_ERR_CONSUMER_EXISTING_ACTIVE, 400, 10105, "CONSUMER_EXISTING_ACTIVE",
         "consumer already exists and is still active"},
        {JS_ERR_STREAM_MOVE_IN_PROGRESS, 400, 10124, "STREAM_MOVE_IN_PROGRESS",
         "stream move already in progress: {msg}"},
        {JS_ERR_STREAM_NAME_CONTAINS_PATH_SEPARATORS, 400, 10128,
         "STREAM_NAME_CONTAINS_PATH_SEPARATORS", "Stream name can not contain path separators"},
        {JS_ERR_REPLICAS_COUNT_CANNOT_BE_NEGATIVE, 400, 10133, "REPLICAS_COUNT_CANNOT_BE_NEGATIVE",
         "replicas count cannot be negative"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct js_err_info *ei = js_err_info(rows[i].e);
        assert_int_equal(ei->http_code, rows[i].http);
        assert_int_equal(ei->err_code, rows[i].code);
        assert_string_equal(ei->name, rows[i].name);
        assert_string_equal(ei->description, rows[i].desc);
    }
}

static void test_errors_nargs_and_format(void **state)
{
    char out[128];
    assert_int_equal(js_err_nargs(JS_ERR_BAD_REQUEST), 0);
    assert_int_equal(js_err_nargs(JS_ERR_STREAM_WRONG_LAST_SEQUENCE), 1);
    assert_int_equal(js_err_nargs(JS_ERR_STREAM_EXTERNAL_DEL_PREFIX_OVERLAPS), 2);
    assert_int_equal(js_err_nargs(JS_ERR_RESTORE_SUBSCRIBE_FAILED), 2);
    assert_int_equal(js_err_nargs(JS_ERR_NONE), 0);

    assert_int_equal(js_err_format(out, sizeof(out), JS_ERR_STREAM_WRONG_LAST_SEQUENCE, "6"), 22);
    assert_string_equal(out, "wrong last sequence: 6");
    js_err_format(out, sizeof(out), JS_ERR_STREAM_EXTERNAL_DEL_PREFIX_OVERLAPS, "a", "a.>");
    assert_string_equal(out, "stream external delivery prefix a overlaps with stream subject a.>");
    js_err_format(out, sizeof(out), JS_ERR_RESTORE_SUBSCRIBE_FAILED, "x.y", NULL);
    assert_string_equal(out, "JetStream unable to subscribe to restore snapshot x.y: ");
    js_err_format(out, sizeof(out), JS_ERR_BAD_REQUEST);
    assert_string_equal(out, "bad request");

    /* Truncation keeps a NUL and reports the full length, like snprintf. */
    assert_int_equal(js_err_format(out, 5, JS_ERR_STREAM_WRONG_LAST_SEQUENCE, "12345"), 26);
    assert_string_equal(out, "wron");
    assert_int_equal(js_err_format(out, 1, JS_ERR_BAD_REQUEST), 11);
    assert_string_equal(out, "");
}

static void expect(struct buf *b, const char *want)
{
    buf_append_char(b, '\0');
    assert_string_equal(buf_head(b), want);
    buf_clear(b);
}

static void test_errors_json(void **state)
{
    struct buf b;
    buf_init(&b);
    js_err_json(&b, JS_ERR_STREAM_WRONG_LAST_SEQUENCE, "6");
    expect(&b, "\"error\":{\"code\":400,\"err_code\":10071,\"description\":\"wrong last sequence: "
               "6\"}");
    /* Go's encoder escapes '>' even in error texts. */
    js_err_json(&b, JS_ERR_STREAM_REPLICAS_NOT_SUPPORTED);
    expect(&b, "\"error\":{\"code\":500,\"err_code\":10074,\"description\":\"replicas \\u003e 1 "
               "not supported in non-clustered mode\"}");
    js_err_json_desc(&b, JS_ERR_STREAM_INVALID_CONFIG, "max age needs to be >= 100ms");
    expect(&b, "\"error\":{\"code\":500,\"err_code\":10052,\"description\":\"max age needs to be "
               "\\u003e= 100ms\"}");
    /* An empty {err} leaves description out (omitempty). */
    js_err_json(&b, JS_ERR_STREAM_CREATE, "");
    expect(&b, "\"error\":{\"code\":500,\"err_code\":10049}");
    /* After other members a comma is added. */
    buf_append_str(&b, "{\"type\":\"t\"");
    js_err_json_desc(&b, JS_ERR_BAD_REQUEST, NULL);
    expect(&b, "{\"type\":\"t\",\"error\":{\"code\":400,\"err_code\":10003,\"description\":\"bad "
               "request\"}");
    js_err_object(&b, JS_ERR_NO_MESSAGE_FOUND, NULL);
    expect(&b, "{\"code\":404,\"err_code\":10037,\"description\":\"no message found\"}");
    /* A long formatted text goes through the heap path. */
    char big[700];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    js_err_json(&b, JS_ERR_STREAM_GENERAL, big);
    buf_append_char(&b, '\0');
    assert_non_null(strstr(buf_head(&b), big));
    buf_deinit(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors_table_is_contiguous),
        cmocka_unit_test(test_errors_known_rows),
        cmocka_unit_test(test_errors_nargs_and_format),
        cmocka_unit_test(test_errors_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
