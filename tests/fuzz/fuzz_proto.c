/* libFuzzer target for proto_parse: the first byte picks the limits, the
 * rest is a stream of commands parsed to the end. Checks that results stay
 * inside the buffer, that a command parses the same alone or followed by
 * more bytes, that its prefixes only ask for more, that an error's prefixes
 * give 0 or the same error, and that PUBs round-trip through proto_msg_line.
 */
#include "proto/proto.h"

#include <stdint.h>
#include <string.h>

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            __builtin_trap();                                                                      \
    } while (0)
#define INSIDE(s, p, n) ((s).len == 0 || ((s).p >= (p) && (s).p + (s).len <= (p) + (n)))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const struct proto_cmd *c)
{
    static char out[16384];
    struct proto_limits cli = {0, 0, true};
    long hdr = c->op == PROTO_OP_HPUB ? (long)c->hdr_len : -1;
    if (c->payload.len + 2 >= sizeof(out))
        return;
    size_t n = proto_msg_line(out, sizeof(out) - c->payload.len - 2, c->subject, slice_cstr("7"),
                              c->reply, hdr, c->payload.len);
    if (n == 0)
        return;
    memcpy(out + n, c->payload.p, c->payload.len);
    memcpy(out + n + c->payload.len, "\r\n", 2);
    struct proto_cmd m;
    size_t need;
    enum proto_err e;
    CHECK(proto_parse(&cli, out, n + c->payload.len + 2, &m, &need, &e) ==
          (int)(n + c->payload.len + 2));
    CHECK(slice_eq(m.subject, c->subject) && slice_eq(m.reply, c->reply));
    CHECK(slice_eq(m.payload, c->payload) && m.hdr_len == c->hdr_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct proto_limits lim = {data[0] & 1 ? 24 : 4096, data[0] & 2 ? 16 : 1048576, data[0] & 4};
    const char *p = (const char *)data + 1;
    size_t left = size - 1, need, need2, k = data[0] >> 3;
    struct proto_cmd c, c2;
    enum proto_err e, e2;
    while (left) {
        int rc = proto_parse(&lim, p, left, &c, &need, &e);
        if (rc <= 0) {
            CHECK(rc == 0 ? (need == 0 || need > left) : (rc == ERR_PARSE && e != PROTO_ERR_NONE));
            for (size_t j = k % (left + 1); rc < 0 && j < left; j += 1 + j / 2) {
                int r2 = proto_parse(&lim, p, j, &c2, &need2, &e2);
                CHECK(r2 == 0 || (r2 == ERR_PARSE && e2 == e));
            }
            return 0;
        }
        CHECK((size_t)rc <= left && e == PROTO_ERR_NONE);
        CHECK(INSIDE(c.subject, p, rc) && INSIDE(c.reply, p, rc) && INSIDE(c.queue, p, rc));
        CHECK(INSIDE(c.sid, p, rc) && INSIDE(c.payload, p, rc) && INSIDE(c.json, p, rc));
        CHECK(c.hdr_len <= c.payload.len);
        CHECK(proto_parse(&lim, p, (size_t)rc, &c2, &need2, &e2) == rc && c2.op == c.op);
        for (size_t j = k % (size_t)rc; j < (size_t)rc; j += 1 + j / 2)
            CHECK(proto_parse(&lim, p, j, &c2, &need2, &e2) == 0 &&
                  (need2 == 0 || need2 == (size_t)rc));
        if (c.op == PROTO_OP_PUB || c.op == PROTO_OP_HPUB)
            roundtrip(&c);
        p += rc, left -= (size_t)rc;
    }
    return 0;
}
