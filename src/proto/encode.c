/* Encoders for what the server (and the client side of the CLI and tests)
 * writes: MSG/HMSG and PUB/HPUB control lines, -ERR and INFO lines, and the
 * -ERR texts of parse errors.
 *
 * Control lines are built with memcpy and a two-digits-at-a-time decimal
 * conversion: the MSG line is written once per delivered message, so no
 * printf on this path.
 */
#include "proto/proto.h"

#include <string.h>

/* "00" "01" ... "99": two decimal digits per lookup. */
static const char digits2[201] = "00010203040506070809"
                                 "10111213141516171819"
                                 "20212223242526272829"
                                 "30313233343536373839"
                                 "40414243444546474849"
                                 "50515253545556575859"
                                 "60616263646566676869"
                                 "70717273747576777879"
                                 "80818283848586878889"
                                 "90919293949596979899";

static size_t dec_len(uint64_t v)
{
    size_t n = 1;
    for (;;) {
        if (v < 10)
            return n;
        if (v < 100)
            return n + 1;
        if (v < 1000)
            return n + 2;
        if (v < 10000)
            return n + 3;
        v /= 10000;
        n += 4;
    }
}

/* Writes the <n> = dec_len(<v>) digits of <v> at <out>. */
static void put_dec(char *out, uint64_t v, size_t n)
{
    size_t i = n;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100) * 2;
        v /= 100;
        out[--i] = digits2[r + 1];
        out[--i] = digits2[r];
    }
    if (v >= 10) {
        out[--i] = digits2[v * 2 + 1];
        out[--i] = digits2[v * 2];
    } else {
        out[--i] = (char)('0' + v);
    }
}

size_t proto_u64_dec(char *out, uint64_t v)
{
    size_t n = dec_len(v);
    put_dec(out, v, n);
    return n;
}

const char *proto_err_text(enum proto_err e)
{
    switch (e) {
    case PROTO_ERR_UNKNOWN_OP:
    case PROTO_ERR_BAD_TRAILER:
        return "Unknown Protocol Operation";
    case PROTO_ERR_MAX_CONTROL_LINE:
        return "maximum control line exceeded";
    case PROTO_ERR_MAX_PAYLOAD:
        return "Maximum Payload Violation";
    case PROTO_ERR_NONE:
    case PROTO_ERR_BAD_ARGS:
    case PROTO_ERR_BAD_SIZE:
    case PROTO_ERR_BAD_HEADER_SIZE:
        break;
    }
    return NULL;
}

const char *proto_err_reason(enum proto_err e)
{
    switch (e) {
    case PROTO_ERR_NONE:
        return "No Error";
    case PROTO_ERR_UNKNOWN_OP:
        return "Unknown Protocol Operation";
    case PROTO_ERR_MAX_CONTROL_LINE:
        return "Maximum Control Line Exceeded";
    case PROTO_ERR_MAX_PAYLOAD:
        return "Maximum Message Payload Exceeded";
    case PROTO_ERR_BAD_ARGS:
        return "Parse Error";
    case PROTO_ERR_BAD_SIZE:
        return "Bad or Missing Size";
    case PROTO_ERR_BAD_HEADER_SIZE:
        return "Header Size larger then TotalSize";
    case PROTO_ERR_BAD_TRAILER:
        return "Bad Payload Trailer";
    }
    return "Unknown Error";
}

static char *put(char *p, const void *s, size_t n)
{
    if (n)
        memcpy(p, s, n);
    return p + n;
}

/* Writes "<verb><a> [<b> ][<reply> ][<hdr> ]<total>\r\n" where <b> is
 * optional (the sid of MSG). Returns the length, or 0 if over <cap>. */
static size_t ctl_line(char *out, size_t cap, const char *verb, size_t vlen, struct slice a,
                       struct slice b, struct slice reply, long hdr_len, size_t total)
{
    size_t hn = hdr_len >= 0 ? dec_len((uint64_t)hdr_len) : 0, tn = dec_len(total);
    size_t n = vlen + a.len + 1 + (b.p ? b.len + 1 : 0) + (reply.len ? reply.len + 1 : 0) +
               (hdr_len >= 0 ? hn + 1 : 0) + tn + 2;
    if (n > cap)
        return 0;
    char *p = put(out, verb, vlen);
    p = put(p, a.p, a.len);
    *p++ = ' ';
    if (b.p) {
        p = put(p, b.p, b.len);
        *p++ = ' ';
    }
    if (reply.len) {
        p = put(p, reply.p, reply.len);
        *p++ = ' ';
    }
    if (hdr_len >= 0) {
        put_dec(p, (uint64_t)hdr_len, hn);
        p += hn;
        *p++ = ' ';
    }
    put_dec(p, total, tn);
    p += tn;
    *p++ = '\r';
    *p = '\n';
    return n;
}

size_t proto_msg_line(char *out, size_t cap, struct slice subj, struct slice sid,
                      struct slice reply, long hdr_len, size_t total)
{
    /* The sid is always written, even empty; mark it present. */
    if (sid.p == NULL)
        sid.p = "";
    if (hdr_len >= 0)
        return ctl_line(out, cap, "HMSG ", 5, subj, sid, reply, hdr_len, total);
    return ctl_line(out, cap, "MSG ", 4, subj, sid, reply, hdr_len, total);
}

size_t proto_msg_line_raw(char *out, size_t cap, struct slice subj, struct slice sid,
                          struct slice reply, struct slice hdr_text, struct slice size_text)
{
    bool h = hdr_text.len > 0;
    size_t vlen = h ? 5 : 4;
    size_t n = vlen + subj.len + 1 + sid.len + 1 + (reply.len ? reply.len + 1 : 0) +
               (h ? hdr_text.len + 1 : 0) + size_text.len + 2;
    if (n > cap)
        return 0;
    char *p = put(out, h ? "HMSG " : "MSG ", vlen);
    p = put(p, subj.p, subj.len);
    *p++ = ' ';
    p = put(p, sid.p, sid.len);
    *p++ = ' ';
    if (reply.len) {
        p = put(p, reply.p, reply.len);
        *p++ = ' ';
    }
    if (h) {
        p = put(p, hdr_text.p, hdr_text.len);
        *p++ = ' ';
    }
    p = put(p, size_text.p, size_text.len);
    *p++ = '\r';
    *p = '\n';
    return n;
}

size_t proto_pub_line(char *out, size_t cap, struct slice subj, struct slice reply, long hdr_len,
                      size_t total)
{
    struct slice none = {NULL, 0};
    if (hdr_len >= 0)
        return ctl_line(out, cap, "HPUB ", 5, subj, none, reply, hdr_len, total);
    return ctl_line(out, cap, "PUB ", 4, subj, none, reply, hdr_len, total);
}

void proto_append_err(struct buf *b, const char *text)
{
    size_t n = strlen(text);
    buf_reserve(b, n + 9);
    buf_append(b, "-ERR '", 6);
    buf_append(b, text, n);
    buf_append(b, "'\r\n", 3);
}

void proto_append_info(struct buf *b, struct slice json)
{
    buf_reserve(b, json.len + 7);
    buf_append(b, "INFO ", 5);
    buf_append(b, json.p, json.len);
    buf_append(b, "\r\n", 2);
}
