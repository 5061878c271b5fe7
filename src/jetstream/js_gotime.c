/* Go-compatible time and []byte forms for the JetStream JSON: RFC 3339
 * with nanoseconds (time.RFC3339Nano output, time.RFC3339 input as Go 1.19
 * parses it) and padded standard base64 (encoding/json's []byte).
 *
 * Times are int64 ns since the epoch; 0 is Go's zero time. Civil-date maths
 * is done on integers (days from 1970-03-01 eras), so no libc time zone or
 * time_t range is involved.
 */
#include "jetstream/js_json_int.h"

#include <stdio.h>
#include <string.h>

#define NS 1000000000LL

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dim[m - 1];
}

size_t js_time_fmt(int64_t ns, int32_t tz_off_sec, char *out, size_t cap)
{
    char t[80];
    int n;
    if (ns == JS_TIME_ZERO) {
        n = snprintf(t, sizeof(t), "0001-01-01T00:00:00Z");
    } else {
        /* Seconds and fraction apart, so no ns value can overflow. */
        int64_t secs = floor_div(ns, NS), frac = ns - secs * NS;
        secs += tz_off_sec;
        int64_t days = floor_div(secs, 86400), rem = secs - days * 86400, y;
        int m, d;
        civil_from_days(days, &y, &m, &d);
        n = snprintf(t, sizeof(t), "%04lld-%02d-%02dT%02d:%02d:%02d", (long long)y, m, d,
                     (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
        if (frac) {
            /* Go's RFC3339Nano drops trailing zeros of the fraction. */
            int w = 9;
            while (frac % 10 == 0) {
                frac /= 10;
                w--;
            }
            n += snprintf(t + n, sizeof(t) - (size_t)n, ".%0*lld", w, (long long)frac);
        }
        if (tz_off_sec == 0) {
            n += snprintf(t + n, sizeof(t) - (size_t)n, "Z");
        } else {
            int32_t a = tz_off_sec < 0 ? -tz_off_sec : tz_off_sec;
            n += snprintf(t + n, sizeof(t) - (size_t)n, "%c%02d:%02d", tz_off_sec < 0 ? '-' : '+',
                          (int)(a / 3600), (int)(a / 60 % 60));
        }
    }
    if (cap > 0) {
        size_t c = (size_t)n < cap ? (size_t)n : cap - 1;
        memcpy(out, t, c);
        out[c] = '\0';
    }
    return (size_t)n;
}

/* Reads exactly <w> digits at <*p>; -1 if not digits. */
static int64_t digits(const char **p, const char *end, int w)
{
    int64_t v = 0;
    for (int i = 0; i < w; i++) {
        if (*p >= end || **p < '0' || **p > '9')
            return -1;
        v = v * 10 + (*(*p)++ - '0');
    }
    return v;
}

static bool lit(const char **p, const char *end, char c)
{
    if (*p >= end || **p != c)
        return false;
    (*p)++;
    return true;
}

/* Parses "Z" or "+hh:mm"/"-hh:mm" into seconds east of UTC. */
static int parse_zone(const char **p, const char *end, int32_t *tz)
{
    if (lit(p, end, 'Z')) {
        *tz = 0;
        return 0;
    }
    if (*p >= end || (**p != '+' && **p != '-'))
        return -1;
    int sign = *(*p)++ == '-' ? -1 : 1;
    int64_t hh = digits(p, end, 2);
    if (hh < 0 || !lit(p, end, ':'))
        return -1;
    int64_t mm = digits(p, end, 2);
    if (mm < 0 || hh >= 24 || mm >= 60)
        return -1;
    *tz = (int32_t)(sign * (hh * 3600 + mm * 60));
    return 0;
}

int js_time_parse(const char *s, size_t len, int64_t *ns, int32_t *tz_off_sec)
{
    const char *p = s, *end = s + len;
    int64_t y = digits(&p, end, 4), mo, d, h, mi, se, frac = 0;
    if (y < 0 || !lit(&p, end, '-') || (mo = digits(&p, end, 2)) < 1 || mo > 12 ||
        !lit(&p, end, '-') || (d = digits(&p, end, 2)) < 1 || d > days_in_month(y, (int)mo) ||
        !lit(&p, end, 'T'))
        return ERR_PARSE;
    /* Go's "15" takes one or two digits. */
    if ((h = digits(&p, end, 1)) < 0)
        return ERR_PARSE;
    if (p < end && *p >= '0' && *p <= '9')
        h = h * 10 + (*p++ - '0');
    if (h >= 24 || !lit(&p, end, ':') || (mi = digits(&p, end, 2)) < 0 || mi >= 60 ||
        !lit(&p, end, ':') || (se = digits(&p, end, 2)) < 0 || se >= 60)
        return ERR_PARSE;
    if (end - p >= 2 && (*p == '.' || *p == ',') && p[1] >= '0' && p[1] <= '9') {
        int nd = 0;
        for (p++; p < end && *p >= '0' && *p <= '9'; p++, nd++)
            if (nd < 9)
                frac = frac * 10 + (*p - '0');
        for (; nd < 9; nd++)
            frac *= 10;
    }
    int32_t tz;
    if (parse_zone(&p, end, &tz) < 0 || p != end)
        return ERR_PARSE;
    int64_t days = days_from_civil(y, (int)mo, (int)d);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - tz;
    if (y == 1 && mo == 1 && d == 1 && secs == days * 86400 && frac == 0) {
        *ns = JS_TIME_ZERO;
        *tz_off_sec = 0;
        return 0;
    }
    /* int64 nanoseconds cover 1677-09-21 .. 2262-04-11. */
    if (secs <= -9223372036LL || secs >= 9223372036LL)
        return ERR_PARSE;
    *ns = secs * NS + frac;
    *tz_off_sec = tz;
    return 0;
}

/* ---- base64 ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void js_base64_encode(struct buf *b, const void *p, size_t n)
{
    const unsigned char *s = p;
    buf_reserve(b, (n + 2) / 3 * 4);
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        char q[4] = {b64[v >> 18], b64[(v >> 12) & 63], i + 1 < n ? b64[(v >> 6) & 63] : '=',
                     i + 2 < n ? b64[v & 63] : '='};
        buf_append(b, q, 4);
    }
}

static int b64val(char c)
{
    const char *x = c ? strchr(b64, c) : NULL;
    return x ? (int)(x - b64) : -1;
}

int js_base64_decode(const char *s, size_t len, struct buf *out)
{
    char q[4];
    int nq = 0;
    bool done = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r' || s[i] == '\n')
            continue;
        if (done)
            return ERR_PARSE;
        q[nq++] = s[i];
        if (nq < 4)
            continue;
        nq = 0;
        int v0 = b64val(q[0]), v1 = b64val(q[1]), v2 = b64val(q[2]), v3 = b64val(q[3]);
        if (v0 < 0 || v1 < 0)
            return ERR_PARSE;
        if (q[2] == '=' && q[3] == '=') {
            buf_append_char(out, (char)(v0 << 2 | v1 >> 4));
            done = true;
        } else if (v2 >= 0 && q[3] == '=') {
            char o[2] = {(char)(v0 << 2 | v1 >> 4), (char)((v1 & 15) << 4 | v2 >> 2)};
            buf_append(out, o, 2);
            done = true;
        } else if (v2 >= 0 && v3 >= 0) {
            char o[3] = {(char)(v0 << 2 | v1 >> 4), (char)((v1 & 15) << 4 | v2 >> 2),
                         (char)((v2 & 3) << 6 | v3)};
            buf_append(out, o, 3);
        } else {
            return ERR_PARSE;
        }
    }
    return nq == 0 ? 0 : ERR_PARSE;
}
