/* Unit tests for encode.c: decimal conversion, MSG/HMSG and PUB/HPUB
 * control lines (exact bytes, capacity edges, and a round trip through the
 * parser), -ERR/INFO lines and the -ERR texts of parse errors.
 */
/* cmocka.h needs these first. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
// clang-format on

#include "proto/proto.h"

#define SL(s) slice_cstr(s)

static void test_encode_u64_dec(void **state)
{
    (void)state;
    static const uint64_t vals[] = {0,
                                    1,
                                    9,
                                    10,
                                    11,
                                    99,
                                    100,
                                    101,
                                    999,
                                    1000,
                                    12345,
                                    65535,
                                    1048576,
                                    999999999,
                                    1000000000,
                                    4294967295ULL,
                                    10000000000000000000ULL,
                                    UINT64_MAX};
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        char got[PROTO_U64_DIGITS + 1], want[32];
        size_t n = proto_u64_dec(got, vals[i]);
        got[n] = '\0';
        snprintf(want, sizeof(want), "%llu", (unsigned long long)vals[i]);
        assert_string_equal(got, want);
    }
    /* Every power of ten and its neighbours. */
    for (uint64_t p = 1; p <= 1000000000000000000ULL; p *= 10) {
        for (uint64_t v = p - 1; v <= p + 1; v++) {
            char got[PROTO_U64_DIGITS + 1], want[32];
            got[proto_u64_dec(got, v)] = '\0';
            snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
            assert_string_equal(got, want);
        }
    }
}

struct line_row {
    const char *subj, *sid, *reply;
    long hdr;
    size_t total;
    const char *want;
};

static const struct line_row msg_rows[] = {
    {"foo", "1", "", -1, 5, "MSG foo 1 5\r\n"},
    {"foo", "1", "bar", -1, 5, "MSG foo 1 bar 5\r\n"},
    {"foo", "22", "", -1, 0, "MSG foo 22 0\r\n"},
    {"foo", "1", "", 12, 17, "HMSG foo 1 12 17\r\n"},
    {"foo", "1", "rep", 12, 17, "HMSG foo 1 rep 12 17\r\n"},
    {"inbox.1", "9", "", 16, 16, "HMSG inbox.1 9 16 16\r\n"},
    {"a.b.c", "abcdef", "_INBOX.x.y", 0, 1048576, "HMSG a.b.c abcdef _INBOX.x.y 0 1048576\r\n"},
};

static void test_encode_msg_line(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(msg_rows) / sizeof(msg_rows[0]); i++) {
        const struct line_row *r = &msg_rows[i];
        char out[128];
        size_t want = strlen(r->want);
        size_t n = proto_msg_line(out, sizeof(out), SL(r->subj), SL(r->sid), SL(r->reply), r->hdr,
                                  r->total);
        assert_int_equal(n, want);
        assert_memory_equal(out, r->want, want);
        /* Exactly enough room works; one byte less writes nothing. */
        char *exact = malloc(want);
        assert_int_equal(
            proto_msg_line(exact, want, SL(r->subj), SL(r->sid), SL(r->reply), r->hdr, r->total),
            want);
        assert_memory_equal(exact, r->want, want);
        assert_int_equal(proto_msg_line(exact, want - 1, SL(r->subj), SL(r->sid), SL(r->reply),
                                        r->hdr, r->total),
                         0);
        free(exact);
    }
    /* A NULL reply slice is the same as an empty one. */
    char out[64];
    struct slice none = {NULL, 0};
    size_t n = proto_msg_line(out, sizeof(out), SL("x"), SL("1"), none, -1, 3);
    assert_int_equal(n, 11);
    assert_memory_equal(out, "MSG x 1 3\r\n", 11);
}

/* What the encoder writes, the client-side parser reads back. */
static void test_encode_msg_roundtrip(void **state)
{
    (void)state;
    struct proto_limits lim = {4096, 1048576, true};
    for (size_t i = 0; i < sizeof(msg_rows) / sizeof(msg_rows[0]); i++) {
        const struct line_row *r = &msg_rows[i];
        if (r->total > 100)
            continue;
        char out[256];
        size_t n = proto_msg_line(out, sizeof(out), SL(r->subj), SL(r->sid), SL(r->reply), r->hdr,
                                  r->total);
        memset(out + n, 'p', r->total);
        memcpy(out + n + r->total, "\r\n", 2);
        struct proto_cmd c;
        size_t need;
        enum proto_err e;
        int rc = proto_parse(&lim, out, n + r->total + 2, &c, &need, &e);
        assert_int_equal(rc, (int)(n + r->total + 2));
        assert_int_equal(c.op, r->hdr >= 0 ? PROTO_OP_HMSG : PROTO_OP_MSG);
        assert_true(slice_eq_cstr(c.subject, r->subj));
        assert_true(slice_eq_cstr(c.sid, r->sid));
        assert_true(slice_eq_cstr(c.reply, r->reply));
        assert_int_equal(c.payload.len, r->total);
        if (r->hdr >= 0)
            assert_int_equal(c.hdr_len, (size_t)r->hdr);
    }
}

static void test_encode_pub_line(void **state)
{
    (void)state;
    char out[64];
    size_t n = proto_pub_line(out, sizeof(out), SL("foo"), SL(""), -1, 5);
    assert_int_equal(n, 11);
    assert_memory_equal(out, "PUB foo 5\r\n", n);
    n = proto_pub_line(out, sizeof(out), SL("foo"), SL("r"), -1, 0);
    assert_memory_equal(out, "PUB foo r 0\r\n", n);
    n = proto_pub_line(out, sizeof(out), SL("foo"), SL(""), 12, 14);
    assert_memory_equal(out, "HPUB foo 12 14\r\n", n);
    n = proto_pub_line(out, sizeof(out), SL("foo"), SL("r"), 12, 14);
    assert_int_equal(n, 18);
    assert_memory_equal(out, "HPUB foo r 12 14\r\n", n);
    assert_int_equal(proto_pub_line(out, 17, SL("foo"), SL("r"), 12, 14), 0);
    /* And it parses on the server side. */
    memcpy(out + n, "NATS/1.0\r\n\r\nhi\r\n", 16);
    struct proto_limits lim = {4096, 1048576, false};
    struct proto_cmd c;
    size_t need;
    enum proto_err e;
    assert_int_equal(proto_parse(&lim, out, n + 16, &c, &need, &e), (int)(n + 16));
    assert_int_equal(c.op, PROTO_OP_HPUB);
    assert_int_equal(c.hdr_len, 12);
}

static void test_encode_err_info(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    proto_append_err(&b, "Unknown Protocol Operation");
    proto_append_info(&b, SL("{\"a\":1}"));
    const char *want = "-ERR 'Unknown Protocol Operation'\r\nINFO {\"a\":1}\r\n";
    assert_int_equal(buf_size(&b), strlen(want));
    assert_memory_equal(buf_head(&b), want, strlen(want));
    buf_deinit(&b);
}

/* The texts nats-server 2.9.10 sends (docs/PROTOCOL-NOTES.md). */
static void test_encode_err_text(void **state)
{
    (void)state;
    assert_string_equal(proto_err_text(PROTO_ERR_UNKNOWN_OP), "Unknown Protocol Operation");
    assert_string_equal(proto_err_text(PROTO_ERR_BAD_TRAILER), "Unknown Protocol Operation");
    assert_string_equal(proto_err_text(PROTO_ERR_MAX_CONTROL_LINE),
                        "maximum control line exceeded");
    assert_string_equal(proto_err_text(PROTO_ERR_MAX_PAYLOAD), "Maximum Payload Violation");
    assert_null(proto_err_text(PROTO_ERR_NONE));
    assert_null(proto_err_text(PROTO_ERR_BAD_ARGS));
    assert_null(proto_err_text(PROTO_ERR_BAD_SIZE));
    assert_null(proto_err_text(PROTO_ERR_BAD_HEADER_SIZE));
    for (int e = PROTO_ERR_NONE; e <= PROTO_ERR_BAD_TRAILER; e++)
        assert_non_null(proto_err_reason((enum proto_err)e));
    assert_int_equal(strlen(PROTO_PING), PROTO_PING_SZ);
    assert_int_equal(strlen(PROTO_PONG), PROTO_PONG_SZ);
    assert_int_equal(strlen(PROTO_OK), PROTO_OK_SZ);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_u64_dec),       cmocka_unit_test(test_encode_msg_line),
        cmocka_unit_test(test_encode_msg_roundtrip), cmocka_unit_test(test_encode_pub_line),
        cmocka_unit_test(test_encode_err_info),      cmocka_unit_test(test_encode_err_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
