/* Unit tests for parser.c. Table-driven: one row per valid and per
 * malformed input (the malformed rows mirror docs/PROTOCOL-NOTES.md). Every
 * valid row is also fed as each of its prefixes (must ask for more, with
 * *need = the full length once the control line is complete), and every
 * malformed row's prefixes must return 0 or the same error.
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

enum lims { L_SRV, L_CLI, L_SMALL };

static const struct proto_limits limits[] = {
    [L_SRV] = {4096, 1048576, false},
    [L_CLI] = {4096, 1048576, true},
    [L_SMALL] = {16, 8, false},
};

struct row {
    const char *in;      /* input; ends exactly after the command for valid rows */
    enum proto_op op;    /* expected command (or verb on error) */
    enum proto_err err;  /* PROTO_ERR_NONE for a valid row */
    const char *subject; /* expected fields; NULL means empty */
    const char *reply;
    const char *queue;
    const char *sid;
    const char *payload;
    const char *json;
    long hdr;      /* expected hdr_len */
    long max;      /* expected max_msgs (UNSUB), else -1 */
    enum lims lim; /* which limits */
    size_t len;    /* input length when it holds NUL bytes, else 0 */
    size_t plen;   /* payload length when it holds NUL bytes, else 0 */
};

#define OK(in, op)                                                                                 \
    {                                                                                              \
        in, op, PROTO_ERR_NONE, .max = -1                                                          \
    }
#define BAD(in, op, e)                                                                             \
    {                                                                                              \
        in, op, e, .max = -1                                                                       \
    }

static const struct row rows[] = {
    /* PING / PONG / +OK: anything up to the newline is ignored. */
    OK("PING\r\n", PROTO_OP_PING),
    OK("ping\r\n", PROTO_OP_PING),
    OK("PiNg\r\n", PROTO_OP_PING),
    OK("PING\n", PROTO_OP_PING),
    OK("PING foo bar\r\n", PROTO_OP_PING),
    OK("PINGX\r\n", PROTO_OP_PING),
    OK("PING \r\n", PROTO_OP_PING),
    OK("PING\r\r\n", PROTO_OP_PING),
    OK("PONG\r\n", PROTO_OP_PONG),
    OK("pong extra\r\n", PROTO_OP_PONG),
    OK("+OK\r\n", PROTO_OP_OK),
    OK("+ok\r\n", PROTO_OP_OK),
    OK("+OKjunk\r\n", PROTO_OP_OK),
    /* -ERR, CONNECT, INFO: the rest of the line after blanks. */
    {"-ERR 'x'\r\n", PROTO_OP_ERR, .json = "'x'", .max = -1},
    {"-err\t 'Unknown'\r\n", PROTO_OP_ERR, .json = "'Unknown'", .max = -1},
    {"-ERR \r\n", PROTO_OP_ERR, .max = -1},
    {"CONNECT {}\r\n", PROTO_OP_CONNECT, .json = "{}", .max = -1},
    {"connect {\"verbose\":false}\r\n", PROTO_OP_CONNECT, .json = "{\"verbose\":false}", .max = -1},
    {"CONNECT{}\r\n", PROTO_OP_CONNECT, .json = "{}", .max = -1},
    {"CONNECTX{}\r\n", PROTO_OP_CONNECT, .json = "X{}", .max = -1},
    {"CONNECT\r\n", PROTO_OP_CONNECT, .max = -1},
    {"CONNECT \r\n", PROTO_OP_CONNECT, .max = -1},
    {"CONNECT\t{} \r\n", PROTO_OP_CONNECT, .json = "{} ", .max = -1},
    {"CONNECT {}\n", PROTO_OP_CONNECT, .json = "{}", .max = -1},
    {"CONNECT {}\rX\r\n", PROTO_OP_CONNECT, .json = "{}\rX", .max = -1},
    {"INFO {\"a\":1}\r\n", PROTO_OP_INFO, .json = "{\"a\":1}", .max = -1},
    {"info\r\n", PROTO_OP_INFO, .max = -1},
    /* PUB */
    {"PUB a 1\r\nx\r\n", PROTO_OP_PUB, .subject = "a", .payload = "x", .max = -1},
    {"pub a 1\r\nx\r\n", PROTO_OP_PUB, .subject = "a", .payload = "x", .max = -1},
    {"PUB a r 5\r\nhello\r\n", PROTO_OP_PUB, .subject = "a", .reply = "r", .payload = "hello",
     .max = -1},
    {"PUB\ta\t1\r\nx\r\n", PROTO_OP_PUB, .subject = "a", .payload = "x", .max = -1},
    {"PUB   a    r   1\r\nx\r\n", PROTO_OP_PUB, .subject = "a", .reply = "r", .payload = "x",
     .max = -1},
    {"PUB a 1 \r\nx\r\n", PROTO_OP_PUB, .subject = "a", .payload = "x", .max = -1},
    {"PUB a 0\r\n\r\n", PROTO_OP_PUB, .subject = "a", .max = -1},
    {"PUB a 01\r\nx\r\n", PROTO_OP_PUB, .subject = "a", .payload = "x", .max = -1},
    {"PUB a 000000001\r\nx\r\n", PROTO_OP_PUB, .subject = "a", .payload = "x", .max = -1},
    {"PUB a 1\nx\r\n", PROTO_OP_PUB, .subject = "a", .payload = "x", .max = -1},
    {"PUB a\r 1\r\nx\r\n", PROTO_OP_PUB, .subject = "a\r", .payload = "x", .max = -1},
    {"PUB foo..bar 4\r\n\r\n\r\n\r\n", PROTO_OP_PUB, .subject = "foo..bar", .payload = "\r\n\r\n",
     .max = -1},
    {"PUB a 3\r\n\0\n\0\r\n", PROTO_OP_PUB, .subject = "a", .payload = "\0\n\0", .max = -1,
     .len = 14, .plen = 3},
    {"PUB a 8\r\n12345678\r\n", PROTO_OP_PUB, .subject = "a", .payload = "12345678", .max = -1,
     .lim = L_SMALL},
    {"PUB aaaaaaaaaaaaaa 1\r\nx\r\n", PROTO_OP_PUB, .subject = "aaaaaaaaaaaaaa", .payload = "x",
     .max = -1, .lim = L_SMALL},
    /* HPUB */
    {"HPUB a 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", PROTO_OP_HPUB, .subject = "a",
     .payload = "NATS/1.0\r\n\r\nhi", .hdr = 12, .max = -1},
    {"hpub a r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", PROTO_OP_HPUB, .subject = "a", .reply = "r",
     .payload = "NATS/1.0\r\n\r\nhi", .hdr = 12, .max = -1},
    {"HPUB a 0 2\r\nhi\r\n", PROTO_OP_HPUB, .subject = "a", .payload = "hi", .max = -1},
    {"HPUB a 12 12\r\nNATS/1.0\r\n\r\n\r\n", PROTO_OP_HPUB, .subject = "a",
     .payload = "NATS/1.0\r\n\r\n", .hdr = 12, .max = -1},
    /* SUB / UNSUB */
    {"SUB a 1\r\n", PROTO_OP_SUB, .subject = "a", .sid = "1", .max = -1},
    {"SUB a q 1\r\n", PROTO_OP_SUB, .subject = "a", .queue = "q", .sid = "1", .max = -1},
    {"sub\ta\t\tq 22\r\n", PROTO_OP_SUB, .subject = "a", .queue = "q", .sid = "22", .max = -1},
    {"SUB foo..bar 1\n", PROTO_OP_SUB, .subject = "foo..bar", .sid = "1", .max = -1},
    {"UNSUB 1\r\n", PROTO_OP_UNSUB, .sid = "1", .max = -1},
    {"UNSUB 1 5\r\n", PROTO_OP_UNSUB, .sid = "1", .max = 5},
    {"unsub 1 x\r\n", PROTO_OP_UNSUB, .sid = "1", .max = -1},
    {"UNSUB 1 -1\r\n", PROTO_OP_UNSUB, .sid = "1", .max = -1},
    {"UNSUB 1 0\r\n", PROTO_OP_UNSUB, .sid = "1", .max = 0},
    {"UNSUB 1 1234567890\r\n", PROTO_OP_UNSUB, .sid = "1", .max = -1},
    {"UNSUB 1 999999999\r\n", PROTO_OP_UNSUB, .sid = "1", .max = 999999999},
    /* MSG / HMSG, client side */
    {"MSG a 1 5\r\nhello\r\n", PROTO_OP_MSG, .subject = "a", .sid = "1", .payload = "hello",
     .max = -1, .lim = L_CLI},
    {"MSG a 1 r 5\r\nhello\r\n", PROTO_OP_MSG, .subject = "a", .sid = "1", .reply = "r",
     .payload = "hello", .max = -1, .lim = L_CLI},
    {"MSG _R 1  2\r\n{}\r\n", PROTO_OP_MSG, .subject = "_R", .sid = "1", .payload = "{}", .max = -1,
     .lim = L_CLI},
    {"HMSG a 1 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", PROTO_OP_HMSG, .subject = "a", .sid = "1",
     .payload = "NATS/1.0\r\n\r\nhi", .hdr = 12, .max = -1, .lim = L_CLI},
    {"hmsg a 1 r 16 16\r\nNATS/1.0 503\r\n\r\n\r\n", PROTO_OP_HMSG, .subject = "a", .sid = "1",
     .reply = "r", .payload = "NATS/1.0 503\r\n\r\n", .hdr = 16, .max = -1, .lim = L_CLI},

    /* Unknown operation: -ERR 'Unknown Protocol Operation' and close. */
    BAD("FOO\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("foo bar\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("X", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("PUBX a 1\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("PUBa 1\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("SUBX a 1\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("PUB\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("PUB\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("SUB\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("UNSUB\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("HPUB\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("PIN\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("PX\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("HX\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("CONNEX\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("+O\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("-ERR\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD(" PING\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("\tPING\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("\r\nPING\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("\nPING\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("MSG a 1 1\r\nx\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("msg", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    BAD("HMSG a 1 12 12\r\nNATS/1.0\r\n\r\n\r\n", PROTO_OP_NONE, PROTO_ERR_UNKNOWN_OP),
    /* Wrong argument count: close without -ERR. */
    BAD("PUB \r\n", PROTO_OP_PUB, PROTO_ERR_BAD_ARGS),
    BAD("PUB a\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_ARGS),
    BAD("PUB a b c 1\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_ARGS),
    BAD("PUB a b c d e f g 1\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_ARGS),
    BAD("PUB a\r1\r\nx\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_ARGS),
    BAD("HPUB \r\n", PROTO_OP_HPUB, PROTO_ERR_BAD_ARGS),
    BAD("HPUB a\r\n", PROTO_OP_HPUB, PROTO_ERR_BAD_ARGS),
    BAD("HPUB a 5\r\n", PROTO_OP_HPUB, PROTO_ERR_BAD_ARGS),
    BAD("HPUB a b c 1 2\r\n", PROTO_OP_HPUB, PROTO_ERR_BAD_ARGS),
    BAD("SUB \r\n", PROTO_OP_SUB, PROTO_ERR_BAD_ARGS),
    BAD("SUB a\r\n", PROTO_OP_SUB, PROTO_ERR_BAD_ARGS),
    BAD("SUB a q 1 x\r\n", PROTO_OP_SUB, PROTO_ERR_BAD_ARGS),
    BAD("UNSUB \r\n", PROTO_OP_UNSUB, PROTO_ERR_BAD_ARGS),
    BAD("UNSUB 1 2 3\r\n", PROTO_OP_UNSUB, PROTO_ERR_BAD_ARGS),
    {"MSG a 1\r\n", PROTO_OP_MSG, PROTO_ERR_BAD_ARGS, .max = -1, .lim = L_CLI},
    {"MSG a\r\n", PROTO_OP_MSG, PROTO_ERR_BAD_ARGS, .max = -1, .lim = L_CLI},
    {"HMSG a 1 2\r\n", PROTO_OP_HMSG, PROTO_ERR_BAD_ARGS, .max = -1, .lim = L_CLI},
    /* fuzz_proto crash: 7 arguments overran the argument array. */
    {"HMSG foo 1 r PONG16 1oo 12TS/1.0 503\r\n\r\n\r\n", PROTO_OP_HMSG, PROTO_ERR_BAD_ARGS,
     .max = -1, .lim = L_CLI},
    {"MSG a b c d e f g h\r\n", PROTO_OP_MSG, PROTO_ERR_BAD_ARGS, .max = -1, .lim = L_CLI},
    /* Bad size: close without -ERR. */
    BAD("PUB a x\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_SIZE),
    BAD("PUB a 1x\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_SIZE),
    BAD("PUB a -1\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_SIZE),
    BAD("PUB a +1\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_SIZE),
    BAD("PUB a 99999999999999999999\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_SIZE),
    BAD("PUB a 1234567890\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_SIZE),
    BAD("PUB a 0000000001\r\nx\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_SIZE),
    BAD("PUB a 1\r\r\nx\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_SIZE),
    BAD("HPUB a x 5\r\n", PROTO_OP_HPUB, PROTO_ERR_BAD_SIZE),
    BAD("HPUB a 5 x\r\n", PROTO_OP_HPUB, PROTO_ERR_BAD_SIZE),
    {"MSG a 1 z\r\n", PROTO_OP_MSG, PROTO_ERR_BAD_SIZE, .max = -1, .lim = L_CLI},
    /* Header length above total: close without -ERR. */
    BAD("HPUB a 10 5\r\n", PROTO_OP_HPUB, PROTO_ERR_BAD_HEADER_SIZE),
    BAD("HPUB a 2000000 1000000\r\n", PROTO_OP_HPUB, PROTO_ERR_BAD_HEADER_SIZE),
    /* Over max_payload, known from the control line alone. */
    BAD("PUB a 1048577\r\n", PROTO_OP_PUB, PROTO_ERR_MAX_PAYLOAD),
    BAD("PUB a 999999999\r\n", PROTO_OP_PUB, PROTO_ERR_MAX_PAYLOAD),
    BAD("HPUB a 12 1048577\r\n", PROTO_OP_HPUB, PROTO_ERR_MAX_PAYLOAD),
    BAD("HPUB a 2000000 3000000\r\n", PROTO_OP_HPUB, PROTO_ERR_MAX_PAYLOAD),
    {"PUB a 9\r\n", PROTO_OP_PUB, PROTO_ERR_MAX_PAYLOAD, .max = -1, .lim = L_SMALL},
    /* Payload not followed by exactly CRLF. */
    BAD("PUB a 3\r\nabcd\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_TRAILER),
    BAD("PUB a 3\r\nab\r\n", PROTO_OP_PUB, PROTO_ERR_BAD_TRAILER),
    BAD("PUB a 3\r\nabc\n", PROTO_OP_PUB, PROTO_ERR_BAD_TRAILER),
    BAD("PUB a 3\r\nabcXY", PROTO_OP_PUB, PROTO_ERR_BAD_TRAILER),
    BAD("PUB a 3\r\nabc\rX", PROTO_OP_PUB, PROTO_ERR_BAD_TRAILER),
    BAD("PUB a 1\nx\n", PROTO_OP_PUB, PROTO_ERR_BAD_TRAILER),
    BAD("PUB a 0\r\n\n", PROTO_OP_PUB, PROTO_ERR_BAD_TRAILER),
    BAD("HPUB a 2 2\r\nhiXX", PROTO_OP_HPUB, PROTO_ERR_BAD_TRAILER),
    /* Argument text longer than max_control_line (16 here). */
    {"PUB aaaaaaaaaaaaaaa 1\r\nx\r\n", PROTO_OP_PUB, PROTO_ERR_MAX_CONTROL_LINE, .max = -1,
     .lim = L_SMALL},
    {"SUB aaaaaaaaaaaaaaa 1\r\n", PROTO_OP_SUB, PROTO_ERR_MAX_CONTROL_LINE, .max = -1,
     .lim = L_SMALL},
    {"CONNECT {\"name\":\"abcdefghi\"}\r\n", PROTO_OP_CONNECT, PROTO_ERR_MAX_CONTROL_LINE,
     .max = -1, .lim = L_SMALL},
    {"UNSUB 12345678901234567", PROTO_OP_UNSUB, PROTO_ERR_MAX_CONTROL_LINE, .max = -1,
     .lim = L_SMALL},
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static size_t row_len(const struct row *r)
{
    return r->len ? r->len : strlen(r->in);
}

static void check_slice(struct slice got, const char *want, size_t wlen, const char *what,
                        size_t row)
{
    size_t n = want ? (wlen ? wlen : strlen(want)) : 0;
    if (got.len != n || (n && memcmp(got.p, want, n) != 0)) {
        print_error("row %zu (%s): %s is '%.*s' (%zu), want '%s'\n", row, rows[row].in, what,
                    (int)got.len, got.p ? got.p : "", got.len, want ? want : "");
        fail();
    }
}

/* Parses <n> bytes of a heap copy of <in>, so ASan sees any over-read. */
static int parse_copy(const struct proto_limits *lim, const char *in, size_t n,
                      struct proto_cmd *cmd, size_t *need, enum proto_err *perr, char **keep)
{
    char *b = malloc(n ? n : 1);
    memcpy(b, in, n);
    int rc = proto_parse(lim, b, n, cmd, need, perr);
    *keep = b;
    return rc;
}

static void check_valid(size_t i)
{
    const struct row *r = &rows[i];
    size_t n = row_len(r), need;
    enum proto_err e;
    struct proto_cmd c;
    char *b;
    int rc = parse_copy(&limits[r->lim], r->in, n, &c, &need, &e, &b);
    if (rc != (int)n || e != PROTO_ERR_NONE || c.op != r->op) {
        print_error("row %zu (%s): rc %d err %d op %d\n", i, r->in, rc, e, c.op);
        fail();
    }
    /* Slices must point into the buffer: compare through them. */
    check_slice(c.subject, r->subject, 0, "subject", i);
    check_slice(c.reply, r->reply, 0, "reply", i);
    check_slice(c.queue, r->queue, 0, "queue", i);
    check_slice(c.sid, r->sid, 0, "sid", i);
    check_slice(c.payload, r->payload, r->plen, "payload", i);
    check_slice(c.json, r->json, 0, "json", i);
    assert_int_equal(c.hdr_len, r->hdr);
    assert_int_equal(c.max_msgs, r->max);
    free(b);

    /* Every prefix asks for more; *need is exact once the line is known. */
    const char *nl = memchr(r->in, '\n', n);
    size_t ctl = (size_t)(nl - r->in) + 1;
    bool has_payload = c.op == PROTO_OP_PUB || c.op == PROTO_OP_HPUB || c.op == PROTO_OP_MSG ||
                       c.op == PROTO_OP_HMSG;
    for (size_t k = 0; k < n; k++) {
        rc = parse_copy(&limits[r->lim], r->in, k, &c, &need, &e, &b);
        free(b);
        size_t want_need = (has_payload && k >= ctl) ? n : 0;
        if (rc != 0 || need != want_need) {
            print_error("row %zu (%s) prefix %zu: rc %d need %zu err %d\n", i, r->in, k, rc, need,
                        e);
            fail();
        }
    }

    /* Followed by another command: same result, the rest untouched. */
    char *two = malloc(n + 6);
    memcpy(two, r->in, n);
    memcpy(two + n, "PING\r\n", 6);
    rc = proto_parse(&limits[r->lim], two, n + 6, &c, &need, &e);
    assert_int_equal(rc, (int)n);
    rc = proto_parse(&limits[r->lim], two + n, 6, &c, &need, &e);
    assert_int_equal(rc, 6);
    assert_int_equal(c.op, PROTO_OP_PING);
    free(two);
}

static void check_invalid(size_t i)
{
    const struct row *r = &rows[i];
    size_t n = row_len(r), need;
    enum proto_err e;
    struct proto_cmd c;
    char *b;
    int rc = parse_copy(&limits[r->lim], r->in, n, &c, &need, &e, &b);
    free(b);
    if (rc != ERR_PARSE || e != r->err || c.op != r->op) {
        print_error("row %zu (%s): rc %d err %d op %d, want err %d op %d\n", i, r->in, rc, e, c.op,
                    r->err, r->op);
        fail();
    }
    for (size_t k = 0; k < n; k++) {
        rc = parse_copy(&limits[r->lim], r->in, k, &c, &need, &e, &b);
        free(b);
        if (!(rc == 0 || (rc == ERR_PARSE && e == r->err))) {
            print_error("row %zu (%s) prefix %zu: rc %d err %d\n", i, r->in, k, rc, e);
            fail();
        }
    }
}

static void test_parser_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < NROWS; i++) {
        if (rows[i].err == PROTO_ERR_NONE)
            check_valid(i);
        else
            check_invalid(i);
    }
}

/* All valid rows of the server limits back to back parse in sequence. */
static void test_parser_pipelined(void **state)
{
    (void)state;
    struct buf all;
    buf_init(&all);
    for (size_t i = 0; i < NROWS; i++) {
        if (rows[i].err == PROTO_ERR_NONE && rows[i].lim == L_SRV)
            buf_append(&all, rows[i].in, row_len(&rows[i]));
    }
    size_t off = 0, need;
    enum proto_err e;
    struct proto_cmd c;
    for (size_t i = 0; i < NROWS; i++) {
        if (rows[i].err != PROTO_ERR_NONE || rows[i].lim != L_SRV)
            continue;
        int rc = proto_parse(&limits[L_SRV], all.data + off, all.len - off, &c, &need, &e);
        assert_int_equal(rc, (int)row_len(&rows[i]));
        assert_int_equal(c.op, rows[i].op);
        off += (size_t)rc;
    }
    assert_int_equal(off, all.len);
    buf_deinit(&all);
}

static int parse_str(const struct proto_limits *lim, const char *s, size_t n, enum proto_err *e)
{
    struct proto_cmd c;
    size_t need;
    char *b;
    int rc = parse_copy(lim, s, n, &c, &need, e, &b);
    free(b);
    return rc;
}

/* Argument text of exactly 4096 bytes passes, 4097 fails, complete or not. */
static void test_parser_max_control_line(void **state)
{
    (void)state;
    const struct proto_limits *lim = &limits[L_SRV];
    char *s = malloc(8192);
    enum proto_err e;
    for (int extra = 0; extra <= 1; extra++) {
        size_t args = 4096 + (size_t)extra;
        /* "PUB " + subject + " 1\r\nx\r\n" */
        memcpy(s, "PUB ", 4);
        memset(s + 4, 'a', args - 2);
        memcpy(s + 4 + args - 2, " 1\r\nx\r\n", 7);
        size_t n = 4 + args + 5;
        int rc = parse_str(lim, s, n, &e);
        if (extra) {
            assert_int_equal(rc, ERR_PARSE);
            assert_int_equal(e, PROTO_ERR_MAX_CONTROL_LINE);
        } else {
            assert_int_equal(rc, (int)n);
        }
        /* Without its newline: the pending text (less a final '\r') counts. */
        rc = parse_str(lim, s, 4 + args, &e);
        assert_int_equal(rc, extra ? ERR_PARSE : 0);
        rc = parse_str(lim, s, 4 + args + 1, &e); /* + '\r' */
        assert_int_equal(rc, extra ? ERR_PARSE : 0);
        /* CONNECT is limited the same way. */
        memcpy(s, "CONNECT ", 8);
        memset(s + 8, ' ', args);
        s[8] = '{', s[8 + args - 1] = '}';
        memcpy(s + 8 + args, "\r\n", 2);
        rc = parse_str(lim, s, 8 + args + 2, &e);
        assert_int_equal(rc, extra ? ERR_PARSE : (int)(8 + args + 2));
    }
    /* PING ignores what follows it, up to the memory bound of 4096+1024
     * bytes before the newline. */
    memcpy(s, "PING", 4);
    memset(s + 4, ' ', 8000);
    assert_int_equal(parse_str(lim, s, 5120, &e), 0);
    assert_int_equal(parse_str(lim, s, 5121, &e), ERR_PARSE);
    assert_int_equal(e, PROTO_ERR_MAX_CONTROL_LINE);
    struct proto_limits nolim = {0, 0, false}; /* no limit at all */
    assert_int_equal(parse_str(&nolim, s, 8004, &e), 0);
    memcpy(s + 5119, "\r\n", 2);
    assert_int_equal(parse_str(lim, s, 5121, &e), 5121);
    memcpy(s + 5119, " \r\n", 3);
    assert_int_equal(parse_str(lim, s, 5122, &e), ERR_PARSE);
    free(s);
}

static void test_parser_need(void **state)
{
    (void)state;
    struct proto_cmd c;
    size_t need = 99;
    enum proto_err e;
    const char *in = "PUB a 5\r\nhel";
    assert_int_equal(proto_parse(&limits[L_SRV], in, strlen(in), &c, &need, &e), 0);
    assert_int_equal(need, 16);
    assert_int_equal(c.op, PROTO_OP_PUB); /* the control line is already decoded */
    assert_true(slice_eq_cstr(c.subject, "a"));
    assert_int_equal(c.payload.len, 0);
    assert_int_equal(proto_parse(&limits[L_SRV], in, 0, &c, &need, &e), 0);
    assert_int_equal(need, 0);
    /* A huge declared size with no limit still needs exact bytes. */
    struct proto_limits nolim = {0, 0, true};
    in = "MSG a 1 999999999\r\n";
    assert_int_equal(proto_parse(&nolim, in, strlen(in), &c, &need, &e), 0);
    assert_int_equal(need, strlen(in) + 999999999 + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parser_table),
        cmocka_unit_test(test_parser_pipelined),
        cmocka_unit_test(test_parser_max_control_line),
        cmocka_unit_test(test_parser_need),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
