/* NATS client protocol parser: one command per call, no state between calls.
 *
 * The hot path is PUB: one memchr for the end of the control line, a verb
 * dispatch on the first byte, a split of the arguments on runs of blanks and
 * a bounded digit loop for the size. Which input is an error, and of which
 * kind, follows nats-server 2.9.10 as measured on the wire (see
 * docs/PROTOCOL-NOTES.md): e.g. "PINGX" is a PING, "PUB\r\n" is an unknown
 * operation but "PUB \r\n" is a bad-arguments close.
 */
#include "proto/proto.h"

#include <limits.h>
#include <string.h>

#define ARGS_MAX    6    /* HMSG takes 5; one more detects "too many" */
#define SIZE_DIGITS 9    /* nats-server refuses longer sizes (max 999999999) */
#define LINE_SLACK  1024 /* verb + blanks allowed beyond max_control_line */

/* A verb: its lower-case spelling and what may follow it. */
struct verb {
    const char *name; /* lower case; every byte after the first is a letter */
    size_t len;       /* strlen(name) */
    bool sep;         /* must be followed by a space or a tab */
    bool args;        /* has arguments, so max_control_line applies */
    enum proto_op op; /* the command it starts */
};

enum {
    V_PUB = 0,
    V_PING,
    V_PONG,
    V_HPUB,
    V_HMSG,
    V_SUB,
    V_UNSUB,
    V_CONNECT,
    V_INFO,
    V_MSG,
    V_OK,
    V_ERR,
};

static const struct verb verbs[] = {
    [V_PUB] = {"pub", 3, true, true, PROTO_OP_PUB},
    [V_PING] = {"ping", 4, false, false, PROTO_OP_PING},
    [V_PONG] = {"pong", 4, false, false, PROTO_OP_PONG},
    [V_HPUB] = {"hpub", 4, true, true, PROTO_OP_HPUB},
    [V_HMSG] = {"hmsg", 4, true, true, PROTO_OP_HMSG},
    [V_SUB] = {"sub", 3, true, true, PROTO_OP_SUB},
    [V_UNSUB] = {"unsub", 5, true, true, PROTO_OP_UNSUB},
    [V_CONNECT] = {"connect", 7, false, true, PROTO_OP_CONNECT},
    [V_INFO] = {"info", 4, false, true, PROTO_OP_INFO},
    [V_MSG] = {"msg", 3, true, true, PROTO_OP_MSG},
    [V_OK] = {"+ok", 3, false, false, PROTO_OP_OK},
    [V_ERR] = {"-err", 4, true, true, PROTO_OP_ERR},
};

enum match { MATCH_NO = 0, MATCH_PARTIAL, MATCH_YES };

static inline bool is_blank(char c)
{
    /* One compare for the common case of a byte above the space. */
    return (unsigned char)c <= ' ' && (c == ' ' || c == '\t');
}

static int fail(enum proto_err *perr, enum proto_err e)
{
    *perr = e;
    return ERR_PARSE;
}

/* Picks the verb candidate from the first one or two bytes. Returns its
 * index, -1 for no verb, or -2 when a second byte is needed. */
static int verb_pick(const char *buf, size_t n)
{
    switch (buf[0]) {
    case 'P':
    case 'p':
        if (n < 2)
            return -2;
        switch (buf[1] | 0x20) {
        case 'u':
            return V_PUB;
        case 'i':
            return V_PING;
        case 'o':
            return V_PONG;
        }
        return -1;
    case 'H':
    case 'h':
        if (n < 2)
            return -2;
        switch (buf[1] | 0x20) {
        case 'p':
            return V_HPUB;
        case 'm':
            return V_HMSG;
        }
        return -1;
    case 'S':
    case 's':
        return V_SUB;
    case 'U':
    case 'u':
        return V_UNSUB;
    case 'C':
    case 'c':
        return V_CONNECT;
    case 'I':
    case 'i':
        return V_INFO;
    case 'M':
    case 'm':
        return V_MSG;
    case '+':
        return V_OK;
    case '-':
        return V_ERR;
    }
    return -1;
}

/* Matches the verb at the start of <buf>[0..<n>) (<n> >= 1). */
static enum match verb_match(const char *buf, size_t n, const struct verb **out)
{
    int i = verb_pick(buf, n);
    if (i == -2)
        return MATCH_PARTIAL;
    if (i < 0)
        return MATCH_NO;
    const struct verb *v = &verbs[i];
    size_t m = n < v->len ? n : v->len;
    /* Folding with | 0x20 is exact here: every byte compared is a letter. */
    for (size_t k = 1; k < m; k++) {
        if ((char)(buf[k] | 0x20) != v->name[k])
            return MATCH_NO;
    }
    if (n < v->len + v->sep)
        return MATCH_PARTIAL;
    if (v->sep && !is_blank(buf[v->len]))
        return MATCH_NO;
    *out = v;
    return MATCH_YES;
}

/* Splits <p>[0..<n>) on runs of blanks into <out>. Returns the number of
 * arguments, or ARGS_MAX + 1 when there are more than ARGS_MAX.
 * <p>[<n>] must be readable and <= ' ' (the '\r' or '\n' that ends the
 * line), so the token loop needs no bounds check for ordinary bytes. */
static int split_args(const char *p, size_t n, struct slice *out)
{
    int c = 0;
    size_t i = 0;
    for (;;) {
        while (i < n && is_blank(p[i]))
            i++;
        if (i == n)
            return c;
        size_t s = i;
        for (;;) {
            while ((unsigned char)p[i] > ' ')
                i++;
            if (i >= n || is_blank(p[i]))
                break;
            i++; /* a control byte inside a token */
        }
        if (c == ARGS_MAX)
            return ARGS_MAX + 1;
        out[c++] = slice_of(p + s, i - s);
    }
}

/* nats-server's size syntax: 1 to 9 decimal digits, nothing else.
 * Returns the value or -1. */
static int64_t parse_size(struct slice s)
{
    if (s.len == 0 || s.len > SIZE_DIGITS)
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned d = (unsigned char)s.p[i] - '0';
        if (d > 9)
            return -1;
        v = v * 10 + d;
    }
    return v;
}

/* Takes <size> payload bytes at <body> plus the CRLF trailer. */
static int take_payload(const char *buf, size_t len, size_t body, size_t size,
                        struct proto_cmd *cmd, size_t *need, enum proto_err *perr)
{
    size_t end = body + size, total = end + 2;
    if (total > INT_MAX)
        return fail(perr, PROTO_ERR_MAX_PAYLOAD);
    if (len < total) {
        /* nats-server rejects the first wrong trailer byte as it arrives. */
        if (len > end && buf[end] != '\r')
            return fail(perr, PROTO_ERR_BAD_TRAILER);
        *need = total;
        return 0;
    }
    if (buf[end] != '\r' || buf[end + 1] != '\n')
        return fail(perr, PROTO_ERR_BAD_TRAILER);
    cmd->payload = slice_of(buf + body, size);
    return (int)total;
}

static bool over_payload(const struct proto_limits *lim, int64_t size)
{
    return lim->max_payload && (uint64_t)size > lim->max_payload;
}

/* PUB <subj> [reply] <size> and HPUB <subj> [reply] <hdr> <total>. */
static int parse_pub(const struct proto_limits *lim, const struct slice *a, int n, bool hdr,
                     struct proto_cmd *cmd, enum proto_err *perr)
{
    int base = hdr ? 3 : 2; /* argument count without a reply */
    if (n != base && n != base + 1)
        return fail(perr, PROTO_ERR_BAD_ARGS);
    int64_t size = parse_size(a[n - 1]);
    if (hdr) {
        int64_t h = parse_size(a[n - 2]);
        if (h < 0 || size < 0)
            return fail(perr, PROTO_ERR_BAD_SIZE);
        if (h > size)
            return fail(perr, PROTO_ERR_BAD_HEADER_SIZE);
        cmd->hdr_len = (size_t)h;
        cmd->hdr_text = a[n - 2];
    } else if (size < 0) {
        return fail(perr, PROTO_ERR_BAD_SIZE);
    }
    if (over_payload(lim, size))
        return fail(perr, PROTO_ERR_MAX_PAYLOAD);
    cmd->subject = a[0];
    if (n == base + 1)
        cmd->reply = a[1];
    cmd->size_text = a[n - 1];
    cmd->payload.len = (size_t)size; /* the size, until the payload is taken */
    return 0;
}

/* MSG <subj> <sid> [reply] <size> and HMSG <subj> <sid> [reply] <hdr> <total>. */
static int parse_msg(const struct proto_limits *lim, const struct slice *a, int n, bool hdr,
                     struct proto_cmd *cmd, enum proto_err *perr)
{
    if (n < 2 || n > ARGS_MAX) /* n == ARGS_MAX + 1 means "too many" */
        return fail(perr, PROTO_ERR_BAD_ARGS);
    cmd->sid = a[1];
    /* Reuse the PUB rules on the arguments without the sid. */
    struct slice b[ARGS_MAX];
    b[0] = a[0];
    for (int i = 2; i < n; i++)
        b[i - 1] = a[i];
    return parse_pub(lim, b, n - 1, hdr, cmd, perr);
}

/* The argument rules of each verb with arguments, <a>[0..<n>) split from
 * the argument text <args>. Returns 0, or ERR_PARSE with *<perr> set. */
static int parse_args(const struct proto_limits *lim, struct slice args, struct proto_cmd *cmd,
                      enum proto_err *perr)
{
    struct slice a[ARGS_MAX];
    int n;
    switch (cmd->op) {
    case PROTO_OP_CONNECT:
    case PROTO_OP_INFO:
    case PROTO_OP_ERR:
        cmd->json = args;
        return 0;
    default:
        break;
    }
    n = split_args(args.p, args.len, a);
    switch (cmd->op) {
    case PROTO_OP_PUB:
        return parse_pub(lim, a, n, false, cmd, perr);
    case PROTO_OP_HPUB:
        return parse_pub(lim, a, n, true, cmd, perr);
    case PROTO_OP_MSG:
        return parse_msg(lim, a, n, false, cmd, perr);
    case PROTO_OP_HMSG:
        return parse_msg(lim, a, n, true, cmd, perr);
    case PROTO_OP_SUB:
        if (n != 2 && n != 3)
            return fail(perr, PROTO_ERR_BAD_ARGS);
        cmd->subject = a[0];
        if (n == 3)
            cmd->queue = a[1];
        cmd->sid = a[n - 1];
        return 0;
    case PROTO_OP_UNSUB:
        if (n != 1 && n != 2)
            return fail(perr, PROTO_ERR_BAD_ARGS);
        cmd->sid = a[0];
        cmd->max_msgs = n == 2 ? parse_size(a[1]) : -1;
        return 0;
    default:
        return 0;
    }
}

/* No newline yet: decides between "need more" and an error the bytes
 * present already prove. <a0> is where the arguments start. */
static int parse_partial(const struct proto_limits *lim, const struct verb *v, const char *buf,
                         size_t len, size_t a0, enum proto_err *perr)
{
    size_t mcl = lim->max_control_line;
    if (mcl == 0)
        return 0;
    if (len > mcl + LINE_SLACK)
        return fail(perr, PROTO_ERR_MAX_CONTROL_LINE);
    if (v->args) {
        /* Like nats-server, do not count a '\r' that may precede the '\n'. */
        size_t pending = len - a0 - (buf[len - 1] == '\r');
        if (pending > mcl)
            return fail(perr, PROTO_ERR_MAX_CONTROL_LINE);
    }
    return 0;
}

int proto_parse(const struct proto_limits *lim, const char *buf, size_t len, struct proto_cmd *cmd,
                size_t *need, enum proto_err *perr)
{
    *cmd = (struct proto_cmd){.op = PROTO_OP_NONE, .max_msgs = -1};
    *need = 0;
    *perr = PROTO_ERR_NONE;
    if (len == 0)
        return 0;

    /* nats-server's client port has no MSG/HMSG state: 'M' fails at once. */
    if (!lim->allow_msg && (buf[0] == 'M' || buf[0] == 'm'))
        return fail(perr, PROTO_ERR_UNKNOWN_OP);
    const char *nl = memchr(buf, '\n', len);
    size_t line = nl ? (size_t)(nl - buf) : len; /* bytes before the '\n' */
    const struct verb *v = NULL;
    enum match m = line ? verb_match(buf, line, &v) : MATCH_NO;
    if (m == MATCH_NO || (m == MATCH_PARTIAL && nl))
        return fail(perr, PROTO_ERR_UNKNOWN_OP);
    if (m == MATCH_PARTIAL)
        return 0;
    if (v->op == PROTO_OP_HMSG && !lim->allow_msg)
        return fail(perr, PROTO_ERR_UNKNOWN_OP);
    cmd->op = v->op;

    size_t a0 = v->len; /* start of the argument text */
    while (a0 < line && is_blank(buf[a0]))
        a0++;
    if (!nl)
        return parse_partial(lim, v, buf, len, a0, perr);

    size_t mcl = lim->max_control_line;
    size_t end = line; /* end of the argument text */
    if (end > a0 && buf[end - 1] == '\r')
        end--;
    if (mcl && (line > mcl + LINE_SLACK || (v->args && end - a0 > mcl)))
        return fail(perr, PROTO_ERR_MAX_CONTROL_LINE);
    if (line >= INT_MAX)
        return fail(perr, PROTO_ERR_MAX_CONTROL_LINE);
    if (!v->args)
        return (int)(line + 1);

    int rc = parse_args(lim, slice_of(buf + a0, end - a0), cmd, perr);
    if (rc < 0)
        return rc;
    switch (cmd->op) {
    case PROTO_OP_PUB:
    case PROTO_OP_HPUB:
    case PROTO_OP_MSG:
    case PROTO_OP_HMSG: {
        size_t size = cmd->payload.len;
        cmd->payload.len = 0;
        return take_payload(buf, len, line + 1, size, cmd, need, perr);
    }
    default:
        return (int)(line + 1);
    }
}
