/* Unit tests for the Go-compatibility primitives (js_gojson.c,
 * js_gotime.c, js_subjects.c): string escaping, RFC 3339 times, base64,
 * empty-request detection, names, and the republish transform rules, whose
 * rows were checked against nats-server 2.9.10.
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

#include "jetstream/js_json.h"

#define S(x) (x), strlen(x)

static void expect(struct buf *b, const char *want)
{
    buf_append_char(b, '\0');
    assert_string_equal(buf_head(b), want);
    buf_clear(b);
}

static void test_gojson_string_escaping(void **state)
{
    static const struct {
        const char *in, *out;
    } rows[] = {
        {"plain", "\"plain\""},
        {"q\"b\\s", "\"q\\\"b\\\\s\""},
        {"<a&b>", "\"\\u003ca\\u0026b\\u003e\""},
        {"\n\r\t", "\"\\n\\r\\t\""},
        {"\x01\x08\x0c\x1f", "\"\\u0001\\u0008\\u000c\\u001f\""},
        {"\x7f", "\"\x7f\""},
        {"\xc3\xa9", "\"\xc3\xa9\""},                       /* é kept */
        {"\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\""}, /* line separators */
        {"a\xff"
         "b",
         "\"a\\ufffdb\""},                             /* invalid byte */
        {"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""}, /* UTF-8 surrogate */
        {"\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""},  /* emoji kept */
        {"\xe2\x82", "\"\\ufffd\\ufffd\""},            /* truncated */
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        js_json_str(&b, S(rows[i].in));
        expect(&b, rows[i].out);
    }
    js_json_str(&b, "a\0b", 3);
    expect(&b, "\"a\\u0000b\"");
    js_json_cstr(&b, NULL);
    expect(&b, "\"\"");
    buf_deinit(&b);
}

static void test_gojson_time_format(void **state)
{
    char t[64];
    static const struct {
        int64_t ns;
        int32_t tz;
        const char *out;
    } rows[] = {
        {JS_TIME_ZERO, 0, "0001-01-01T00:00:00Z"},
        {0, 0, "1970-01-01T00:00:00Z"},
        {1795363784193146633LL, 0, "2026-11-22T16:09:44.193146633Z"},
        {1795363784193146000LL, 0, "2026-11-22T16:09:44.193146Z"},
        {1795363784100000000LL, 0, "2026-11-22T16:09:44.1Z"},
        {1767218400500000000LL, 7200, "2026-01-01T00:00:00.5+02:00"},
        {1709270999000000000LL, -19800, "2024-02-29T23:59:59-05:30"},
        {-1, 0, "1969-12-31T23:59:59.999999999Z"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        size_t n = js_time_fmt(rows[i].ns, rows[i].tz, t, sizeof(t));
        assert_string_equal(t, rows[i].out);
        assert_int_equal(n, strlen(rows[i].out));
    }
    struct buf b;
    buf_init(&b);
    js_json_time(&b, 0);
    expect(&b, "\"0001-01-01T00:00:00Z\"");
    buf_deinit(&b);
    assert_int_equal(js_time_fmt(1795363784193146633LL, 0, t, 5), 30);
    assert_string_equal(t, "2026");
}

static void test_gojson_time_parse(void **state)
{
    static const struct {
        const char *in;
        int ok;
        int64_t ns;
        int32_t tz;
    } rows[] = {
        {"2026-11-22T16:09:44.193146633Z", 1, 1795363784193146633LL, 0},
        {"2026-11-22T16:09:44Z", 1, 1795363784000000000LL, 0},
        {"2026-01-01T00:00:00.5+02:00", 1, 1767218400500000000LL, 7200},
        {"2026-01-01T00:00:00,25Z", 1, 1767225600250000000LL, 0},
        {"2026-01-01T00:00:00.123456789123Z", 1, 1767225600123456789LL, 0},
        {"2026-01-01T1:00:00Z", 1, 1767229200000000000LL, 0},
        {"2024-02-29T23:59:59-05:30", 1, 1709270999000000000LL, -19800},
        {"1970-01-01T00:00:00Z", 1, 0, 0},
        {"0001-01-01T00:00:00Z", 1, JS_TIME_ZERO, 0},
        {"2026-02-29T00:00:00Z", 0, 0, 0},
        {"2026-01-01T24:00:00Z", 0, 0, 0},
        {"2026-01-01T00:60:00Z", 0, 0, 0},
        {"2026-13-01T00:00:00Z", 0, 0, 0},
        {"2026-01-01 00:00:00Z", 0, 0, 0},
        {"2026-01-01t00:00:00Z", 0, 0, 0},
        {"2026-01-01T00:00:00z", 0, 0, 0},
        {"2026-01-01T00:00:00", 0, 0, 0},
        {"2026-01-01T00:00:00Zx", 0, 0, 0},
        {"2026-01-01T00:00:00.Z", 0, 0, 0},
        {"2026-01-01T00:00:00+0200", 0, 0, 0},
        {"3000-01-01T00:00:00Z", 0, 0, 0},
        {"", 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int64_t ns = 42;
        int32_t tz = 42;
        int rc = js_time_parse(S(rows[i].in), &ns, &tz);
        if (!rows[i].ok) {
            assert_int_equal(rc, ERR_PARSE);
            continue;
        }
        assert_int_equal(rc, 0);
        assert_true(ns == rows[i].ns);
        assert_int_equal(tz, rows[i].tz);
    }
}

static void test_gojson_base64(void **state)
{
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const enc[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                                      "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    struct buf b, d;
    buf_init(&b);
    buf_init(&d);
    for (size_t i = 0; i < 7; i++) {
        js_base64_encode(&b, S(plain[i]));
        expect(&b, enc[i]);
        assert_int_equal(js_base64_decode(S(enc[i]), &d), 0);
        buf_append_char(&d, '\0');
        assert_string_equal(buf_head(&d), plain[i]);
        buf_clear(&d);
    }
    assert_int_equal(js_base64_decode(S("Zm9v\r\nYmFy\n"), &d), 0);
    buf_append_char(&d, '\0');
    assert_string_equal(buf_head(&d), "foobar");
    buf_clear(&d);
    static const char *const bad[] = {"Zm9", "Zg", "Zg=", "Z===", "Zg==Zg==", "Zm9v!", "=Zg="};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        buf_clear(&d);
        assert_int_equal(js_base64_decode(S(bad[i]), &d), ERR_PARSE);
    }
    /* Every byte value survives a round trip. */
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    buf_clear(&d);
    js_base64_encode(&b, all, sizeof(all));
    assert_int_equal(js_base64_decode(buf_head(&b), buf_size(&b), &d), 0);
    assert_int_equal(buf_size(&d), 256);
    assert_memory_equal(buf_head(&d), all, 256);
    buf_deinit(&b);
    buf_deinit(&d);
}

static void test_gojson_empty_request_and_names(void **state)
{
    assert_true(js_api_is_empty_request(S("")));
    assert_true(js_api_is_empty_request(S("{}")));
    assert_true(js_api_is_empty_request(S(" {\n} ")));
    assert_false(js_api_is_empty_request(S("null")));
    assert_false(js_api_is_empty_request(S("[]")));
    assert_false(js_api_is_empty_request(S("{\"a\":1}")));
    assert_false(js_api_is_empty_request(S("{")));

    assert_true(js_name_is_valid("ORDERS"));
    assert_true(js_name_is_valid("a-b_c$d/e"));
    static const char *const bad[] = {NULL, "", "a.b", "a*", ">", "a b", "a\tb", "a\fb", "a\nb"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(js_name_is_valid(bad[i]));
}

/* Republish src/dest pairs, each verified against nats-server 2.9.10. */
static void test_gojson_transforms(void **state)
{
    static const struct {
        const char *src, *dest;
        int ok;
    } rows[] = {
        {">", "r.>", 1},
        {"a.*", "r.x", 0},
        {"a.*", "r.$1", 1},
        {"a.*", "r.{{wildcard(1)}}", 1},
        {"a.*", "r.{{ wildcard( 1 ) }}", 1},
        {"a.*", "r.{{wildcard(2)}}", 0},
        {"a.*", "r.{{Wildcard(1)}}", 1},
        {"a.*", "r.$2", 0},
        {"a.*", "r.$0", 1},
        {"a.*.*", "r.$2.$1", 1},
        {"a.*.*", "r.$2", 0},
        {"a.*", "r.{{partition(3,1)}}", 1},
        {"a.*", "r.{{partition(3)}}", 0},
        {"a.*", "r.{{partition(3,1)}}.$1", 1},
        {"a.*", "r.{{split(1,-)}}", 1},
        {"a.*", "r.{{splitfromleft(1,2)}}", 1},
        {"a.*", "r.{{SplitFromLeft(1,2)}}", 1},
        {"a.*", "r.{{slicefromright(1,2)}}", 1},
        {"a.*", "r.{{foo(1)}}", 0},
        {"a.*", "r.{{wildcard(1)}}x", 0},
        {"a.*", "r.x{{wildcard(1)}}", 0},
        {"a.*", "r.{{wildcard(1)", 0},
        {"a.b", "r.{{wildcard(1)}}", 1},
        {"a.b", "r.{{partition(3)}}", 1},
        {"a.*", "r.*", 0},
        {"a.>", "r.*.>", 0},
        {"a.*.>", "r.$1.>", 1},
        {"a.*", "r.$1.$1", 1},
        {"a.*", "r.{{wildcard(1,2)}}", 0},
        {"a.*", "r.{{wildcard()}}", 0},
        {"a.*", "r.{{wildcard(a)}}", 0},
        {"a.*", "r.{{partition(0,1)}}", 1},
        {"a.*", "r.{{partition(3,2)}}", 0},
        {"a.*", "r..x", 0},
        {"a.*", "", 0},
        {"a.*", "r.{{split(1,--)}}", 1},
        {"a.*", "r.{{splitfromleft(1)}}", 0},
        {"a.*", "r.{{splitfromleft(1,-1)}}", 1},
        {"a.*", "r.$1x", 0},
        {"a.*", "r.{{split(2,-)}}", 0},
        {"a.*", "r.{{partition(3,1,1)}}", 1},
        {"a.*", "r.{{wildcard(01)}}", 1},
        {"a.*", "r.{{ partition ( 3 , 1 ) }}", 1},
        {"a.*", "r.{{}}", 0},
        {"a.*", "r.$1.$a", 1},
        {"a.*", "r.{{left(1,2)}}", 0},
        {"a.*", "r.{{split(1, )}}", 1},
        {"a.*", "r.$-1", 1},
        {"a.*", "r.{{wildcard(+1)}}", 1},
        {">", "r.{{wildcard(1)}}.>", 0},
        {"a.*", "r.{{wildcard( 1 , )}}", 0},
        {"a.*", "r.$1.$", 1},
        {"a.*", "r.{{wildcard(\t1)}}", 0},
        {"a.*", "r.$9999999999999999999", 0},
        {"a.*", "r.{{wildcard(1),}}", 0},
        {"a.*", "r.{{wildcard(1)}}.{{split(1,a,b)}}", 0},
        {"a.*", "r.{{wildcard(1)}}.{{slicefromleft(1,2,3)}}", 0},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int rc = js_subject_transform_check(rows[i].src, rows[i].dest);
        if ((rc == 0) != rows[i].ok)
            fail_msg("row %zu: %s -> %s gave %d", i, rows[i].src, rows[i].dest, rc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gojson_string_escaping),
        cmocka_unit_test(test_gojson_time_format),
        cmocka_unit_test(test_gojson_time_parse),
        cmocka_unit_test(test_gojson_base64),
        cmocka_unit_test(test_gojson_empty_request_and_names),
        cmocka_unit_test(test_gojson_transforms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
