/* NATS header blocks (ADR-4): look-ups the server needs to interpret
 * JetStream headers (Nats-Msg-Id, Nats-Expected-*, Nats-Rollup, ...). */
#include "proto/proto.h"

#include <string.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

bool proto_hdr_get(struct slice hdr, const char *name, struct slice *val)
{
    size_t nlen = strlen(name);
    const char *p = hdr.p, *end = hdr.p + hdr.len;
    /* Skip the status line. */
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
        return false;
    p = nl + 1;
    while (p < end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *lend = le > p && le[-1] == '\r' ? le - 1 : le;
        if (lend == p)
            break; /* the empty line ends the block */
        if ((size_t)(lend - p) > nlen && memcmp(p, name, nlen) == 0 && p[nlen] == ':') {
            const char *v = p + nlen + 1, *ve = lend;
            while (v < ve && is_blank(*v))
                v++;
            while (ve > v && is_blank(ve[-1]))
                ve--;
            *val = slice_of(v, (size_t)(ve - v));
            return true;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return false;
}

int proto_hdr_status(struct slice hdr)
{
    static const char pre[] = "NATS/1.0 ";
    size_t n = sizeof(pre) - 1;
    if (hdr.len < n + 3 || memcmp(hdr.p, pre, n) != 0)
        return 0;
    int code = 0;
    for (size_t i = n; i < n + 3; i++) {
        if (hdr.p[i] < '0' || hdr.p[i] > '9')
            return 0;
        code = code * 10 + (hdr.p[i] - '0');
    }
    return code;
}
