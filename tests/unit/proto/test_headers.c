/* Tests for proto/headers.c: header look-up and status codes. */
/* cmocka.h needs these first; keep clang-format from sorting them. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "proto/proto.h"

#include <string.h>

#define SL(s) slice_of((s), strlen(s))

static void test_headers_get_finds_values(void **state)
{
    struct slice hdr = SL("NATS/1.0\r\nNats-Msg-Id: abc\r\nX:  spaced value \t\r\n"
                          "Nats-Msg-Id: second\r\n\r\n");
    struct slice v;
    assert_true(proto_hdr_get(hdr, "Nats-Msg-Id", &v));
    assert_int_equal(v.len, 3);
    assert_memory_equal(v.p, "abc", 3);
    assert_true(proto_hdr_get(hdr, "X", &v));
    assert_int_equal(v.len, 12);
    assert_memory_equal(v.p, "spaced value", 12);
}

static void test_headers_get_is_exact(void **state)
{
    struct slice hdr = SL("NATS/1.0\r\nNats-Msg-Id-Other: a\r\nnats-msg-id: b\r\n\r\n");
    struct slice v;
    assert_false(proto_hdr_get(hdr, "Nats-Msg-Id", &v));
    assert_false(proto_hdr_get(SL("NATS/1.0\r\n\r\n"), "A", &v));
    assert_false(proto_hdr_get(SL(""), "A", &v));
    assert_false(proto_hdr_get(SL("garbage without newline"), "A", &v));
    /* Lines after the blank line are not headers. */
    assert_false(proto_hdr_get(SL("NATS/1.0\r\n\r\nA: 1\r\n"), "A", &v));
    assert_true(proto_hdr_get(SL("NATS/1.0\r\nA:\r\n\r\n"), "A", &v));
    assert_int_equal(v.len, 0);
}

static void test_headers_status(void **state)
{
    assert_int_equal(proto_hdr_status(SL("NATS/1.0 503\r\n\r\n")), 503);
    assert_int_equal(proto_hdr_status(SL("NATS/1.0 100 Idle Heartbeat\r\n\r\n")), 100);
    assert_int_equal(proto_hdr_status(SL("NATS/1.0\r\n\r\n")), 0);
    assert_int_equal(proto_hdr_status(SL("NATS/1.0 5x3\r\n")), 0);
    assert_int_equal(proto_hdr_status(SL("")), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers_get_finds_values),
        cmocka_unit_test(test_headers_get_is_exact),
        cmocka_unit_test(test_headers_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
