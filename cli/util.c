/* Small pure helpers: size/duration/integer parsing, base64, SHA-256, stdin and prompts.
 *
 * SHA-256 is written from FIPS 180-4 so that object-store digests need no crypto library;
 * it is only used for integrity checks of objects, never for security decisions here.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int cli_parse_int(const char *s, int64_t *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int cli_parse_size(const char *s, int64_t *out)
{
    static const char prefixes[] = "kmgtp";
    char *end;
    if (!s || !*s)
        return -1;
    if (!strcasecmp(s, "unlimited") || !strcmp(s, "-1")) {
        *out = -1;
        return 0;
    }
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0)
        return -1;
    while (*end == ' ')
        end++;
    double mult = 1;
    if (*end && tolower((unsigned char)*end) != 'b') {
        const char *p = strchr(prefixes, tolower((unsigned char)*end));
        if (!p)
            return -1;
        for (long i = 0; i <= p - prefixes; i++)
            mult *= 1024.0;
        end++;
        if (tolower((unsigned char)*end) == 'i')
            end++;
    }
    if (tolower((unsigned char)*end) == 'b')
        end++;
    if (*end)
        return -1;
    *out = (int64_t)(v * mult);
    return 0;
}

int cli_parse_dur(const char *s, int64_t *out)
{
    static const struct {
        const char *unit;
        double ns;
    } units[] = {
        {"ns", 1},       {"us", 1e3},       {"µs", 1e3},      {"ms", 1e6},
        {"s", 1e9},      {"m", 60e9},       {"h", 3600e9},    {"d", 86400e9},
        {"w", 604800e9}, {"y", 31536000e9}, {"M", 2592000e9},
    };
    const char *p = s;
    double total = 0;
    if (!s || !*s)
        return -1;
    if (!strcmp(s, "unlimited") || !strcmp(s, "-1")) {
        *out = -1;
        return 0;
    }
    while (*p) {
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (errno || end == p || v < 0)
            return -1;
        p = end;
        if (!*p) {
            /* A bare number: seconds (only as the whole value). */
            if (p - s != (long)strlen(s) || total != 0)
                return -1;
            total = v * 1e9;
            break;
        }
        size_t best = 0;
        double mult = 0;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
            size_t n = strlen(units[i].unit);
            if (n > best && strncmp(p, units[i].unit, n) == 0) {
                best = n;
                mult = units[i].ns;
            }
        }
        if (!best)
            return -1;
        total += v * mult;
        p += best;
    }
    *out = (int64_t)total;
    return 0;
}

/* ---- base64 ---- */

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void cli_b64_encode(struct buf *b, const void *p, size_t n, bool url)
{
    const unsigned char *s = p;
    const char *tab = url ? b64_url : b64_std;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        buf_append_char(b, tab[(v >> 18) & 63]);
        buf_append_char(b, tab[(v >> 12) & 63]);
        buf_append_char(b, i + 1 < n ? tab[(v >> 6) & 63] : '=');
        buf_append_char(b, i + 2 < n ? tab[v & 63] : '=');
    }
}

static int b64_val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

int cli_b64_decode(struct buf *b, const char *s, size_t n)
{
    unsigned v = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=' || s[i] == '\n' || s[i] == '\r')
            continue;
        int d = b64_val(s[i]);
        if (d < 0)
            return -1;
        v = (v << 6) | (unsigned)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf_append_char(b, (char)((v >> bits) & 0xFF));
        }
    }
    return 0;
}

/* ---- SHA-256 (FIPS 180-4) ---- */

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha_block(struct cli_sha256 *s, const uint8_t *p)
{
    uint32_t w[64], a[8];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(a, s->h, sizeof(a));
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = a[7] + (ror(a[4], 6) ^ ror(a[4], 11) ^ ror(a[4], 25)) +
                      ((a[4] & a[5]) ^ (~a[4] & a[6])) + sha_k[i] + w[i];
        uint32_t t2 = (ror(a[0], 2) ^ ror(a[0], 13) ^ ror(a[0], 22)) +
                      ((a[0] & a[1]) ^ (a[0] & a[2]) ^ (a[1] & a[2]));
        memmove(&a[1], &a[0], 7 * sizeof(uint32_t));
        a[4] += t1;
        a[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        s->h[i] += a[i];
}

void cli_sha256_init(struct cli_sha256 *s)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, h0, sizeof(h0));
    s->len = 0;
    s->nblk = 0;
}

void cli_sha256_update(struct cli_sha256 *s, const void *p, size_t n)
{
    const uint8_t *d = p;
    s->len += n;
    while (n > 0) {
        size_t take = 64 - s->nblk < n ? 64 - s->nblk : n;
        memcpy(s->blk + s->nblk, d, take);
        s->nblk += take;
        d += take;
        n -= take;
        if (s->nblk == 64) {
            sha_block(s, s->blk);
            s->nblk = 0;
        }
    }
}

void cli_sha256_final(struct cli_sha256 *s, uint8_t out[32])
{
    uint64_t bits = s->len * 8;
    uint8_t pad = 0x80, zero = 0, lenb[8];
    cli_sha256_update(s, &pad, 1);
    while (s->nblk != 56)
        cli_sha256_update(s, &zero, 1);
    for (int i = 0; i < 8; i++)
        lenb[i] = (uint8_t)(bits >> (56 - 8 * i));
    cli_sha256_update(s, lenb, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)s->h[i];
    }
}

/* ---- stdin, prompts ---- */

int cli_read_all(int fd, struct buf *b)
{
    for (;;) {
        buf_reserve(b, 65536);
        ssize_t n = read(fd, b->data + b->len, b->cap - b->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return 0;
        b->len += (size_t)n;
    }
}

bool cli_is_printable(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return false;
        if (c == 0x7f)
            return false;
    }
    return true;
}

bool cli_stdin_is_tty(void)
{
    return isatty(STDIN_FILENO) == 1;
}

bool cli_confirm(const char *question, bool def)
{
    char line[64];
    if (!cli_stdin_is_tty())
        return def;
    fprintf(stderr, "? %s [y/N] ", question);
    fflush(stderr);
    if (!fgets(line, sizeof(line), stdin))
        return false;
    return line[0] == 'y' || line[0] == 'Y';
}

char *cli_prompt(const char *question, const char *def)
{
    char line[1024];
    fprintf(stderr, "? %s%s%s%s: ", question, def && *def ? " (" : "", def && *def ? def : "",
            def && *def ? ")" : "");
    fflush(stderr);
    if (!fgets(line, sizeof(line), stdin))
        return xstrdup(def ? def : "");
    line[strcspn(line, "\r\n")] = '\0';
    if (!line[0])
        return xstrdup(def ? def : "");
    return xstrdup(line);
}

bool cli_subject_match(const char *filter, const char *subject)
{
    const char *f = filter, *s = subject;
    while (*f && *s) {
        const char *fe = strchr(f, '.'), *se = strchr(s, '.');
        size_t fl = fe ? (size_t)(fe - f) : strlen(f);
        size_t sl = se ? (size_t)(se - s) : strlen(s);
        if (fl == 1 && *f == '>')
            return true;
        if (!(fl == 1 && *f == '*') && (fl != sl || strncmp(f, s, fl) != 0))
            return false;
        f += fl;
        s += sl;
        if (*f == '.' && *s == '.') {
            f++;
            s++;
        } else {
            break;
        }
    }
    return !*f && !*s;
}

bool cli_bucket_valid(const char *b)
{
    if (!b || !*b)
        return false;
    for (const char *p = b; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return false;
    return true;
}
