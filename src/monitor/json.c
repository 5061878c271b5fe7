/* JSON output for the monitor: a compact writer with automatic commas, the
 * re-indenter that makes it read like Go's json.MarshalIndent, and Go's
 * number, uptime and duration formats. */
#include "jetstream/js_json.h"
#include "monitor/mon_int.h"
#include "util/clock.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writer ---- */

void jw_init(struct jw *w, struct buf *b)
{
    memset(w, 0, sizeof(*w));
    w->b = b;
}

/* Comma and member name before a value. */
static void member(struct jw *w, const char *key)
{
    if (w->more[w->depth])
        buf_append_char(w->b, ',');
    w->more[w->depth] = true;
    if (key) {
        js_json_cstr(w->b, key);
        buf_append_char(w->b, ':');
    }
}

static void open_container(struct jw *w, const char *key, char c)
{
    member(w, key);
    buf_append_char(w->b, c);
    if (w->depth + 1 < JW_MAX_DEPTH)
        w->depth++;
    w->more[w->depth] = false;
}

static void close_container(struct jw *w, char c)
{
    buf_append_char(w->b, c);
    if (w->depth > 0)
        w->depth--;
}

void jw_obj_open(struct jw *w, const char *key)
{
    open_container(w, key, '{');
}

void jw_obj_close(struct jw *w)
{
    close_container(w, '}');
}

void jw_arr_open(struct jw *w, const char *key)
{
    open_container(w, key, '[');
}

void jw_arr_close(struct jw *w)
{
    close_container(w, ']');
}

void jw_str(struct jw *w, const char *key, const char *v)
{
    member(w, key);
    js_json_cstr(w->b, v);
}

void jw_int(struct jw *w, const char *key, int64_t v)
{
    member(w, key);
    buf_appendf(w->b, "%" PRId64, v);
}

void jw_uint(struct jw *w, const char *key, uint64_t v)
{
    member(w, key);
    buf_append_u64(w->b, (unsigned long long)v);
}

void jw_bool(struct jw *w, const char *key, bool v)
{
    member(w, key);
    buf_append_str(w->b, v ? "true" : "false");
}

void jw_null(struct jw *w, const char *key)
{
    member(w, key);
    buf_append_str(w->b, "null");
}

void jw_time(struct jw *w, const char *key, int64_t ns)
{
    member(w, key);
    js_json_time(w->b, ns);
}

void jw_raw(struct jw *w, const char *key, const char *json)
{
    member(w, key);
    buf_append_str(w->b, json && *json ? json : "null");
}

/* ---- numbers ---- */

/* Shortest "%.*e" form of <v> that reads back exactly: returns the number of
 * significant digits and the decimal exponent. */
static int shortest_digits(double v, int *exp10)
{
    char tmp[64];
    int p = 1;
    for (; p < 17; p++) {
        snprintf(tmp, sizeof(tmp), "%.*e", p - 1, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    snprintf(tmp, sizeof(tmp), "%.*e", p - 1, v);
    const char *e = strchr(tmp, 'e');
    *exp10 = e ? atoi(e + 1) : 0;
    return p;
}

/* Go's encoding/json float64: 'f' shortest, 'e' below 1e-6 or from 1e21. */
static size_t fmt_json_float(double v, char *out, size_t cap)
{
    if (!isfinite(v))
        return (size_t)snprintf(out, cap, "0");
    if (v == 0)
        return (size_t)snprintf(out, cap, "0");
    int e;
    int p = shortest_digits(v, &e);
    double a = fabs(v);
    if (a < 1e-6 || a >= 1e21) {
        int n = snprintf(out, cap, "%.*e", p - 1, v);
        /* Go trims "e-07" to "e-7". */
        char *x = strchr(out, 'e');
        if (x && x[1] == '-' && x[2] == '0' && x[3]) {
            memmove(x + 2, x + 3, strlen(x + 3) + 1);
            n--;
        }
        return (size_t)n;
    }
    int dec = p - 1 - e;
    return (size_t)snprintf(out, cap, "%.*f", dec > 0 ? dec : 0, v);
}

void jw_double(struct jw *w, const char *key, double v)
{
    char tmp[64];
    member(w, key);
    size_t n = fmt_json_float(v, tmp, sizeof(tmp));
    buf_append(w->b, tmp, n < sizeof(tmp) ? n : sizeof(tmp) - 1);
}

size_t mon_fmt_double(double v, char *out, size_t cap)
{
    if (isnan(v))
        return (size_t)snprintf(out, cap, "NaN");
    if (isinf(v))
        return (size_t)snprintf(out, cap, v > 0 ? "+Inf" : "-Inf");
    if (v == 0)
        return (size_t)snprintf(out, cap, "0");
    int e;
    int p = shortest_digits(v, &e);
    if (e < -4 || e >= 6) /* Go's 'g' with the shortest precision */
        return (size_t)snprintf(out, cap, "%.*e", p - 1, v);
    int dec = p - 1 - e;
    return (size_t)snprintf(out, cap, "%.*f", dec > 0 ? dec : 0, v);
}

size_t mon_fmt_uptime(int64_t ns, char *out, size_t cap)
{
    int64_t s = ns > 0 ? ns / NS_PER_SEC : 0;
    int64_t m = s / 60, h = m / 60, d = h / 24, y = d / 365;
    if (y > 0)
        return (size_t)snprintf(out, cap,
                                "%" PRId64 "y%" PRId64 "d%" PRId64 "h%" PRId64 "m%" PRId64 "s", y,
                                d % 365, h % 24, m % 60, s % 60);
    if (d > 0)
        return (size_t)snprintf(out, cap, "%" PRId64 "d%" PRId64 "h%" PRId64 "m%" PRId64 "s", d,
                                h % 24, m % 60, s % 60);
    if (h > 0)
        return (size_t)snprintf(out, cap, "%" PRId64 "h%" PRId64 "m%" PRId64 "s", h, m % 60,
                                s % 60);
    if (m > 0)
        return (size_t)snprintf(out, cap, "%" PRId64 "m%" PRId64 "s", m, s % 60);
    return (size_t)snprintf(out, cap, "%" PRId64 "s", s);
}

size_t mon_fmt_rtt(int64_t ns, char *out, size_t cap)
{
    if (ns > 1000 && ns < NS_PER_MS)
        ns -= ns % 1000;
    return clock_fmt_duration(ns, out, cap);
}

/* ---- indentation ---- */

static void newline(struct buf *out, int depth)
{
    buf_append_char(out, '\n');
    for (int i = 0; i < depth; i++)
        buf_append(out, "  ", 2);
}

/* Copies the string starting at json[i] (a '"'); returns the index after it. */
static size_t copy_string(const char *json, size_t len, size_t i, struct buf *out)
{
    size_t start = i++;
    while (i < len && json[i] != '"')
        i += json[i] == '\\' ? 2 : 1;
    if (i < len)
        i++;
    buf_append(out, json + start, (i > len ? len : i) - start);
    return i > len ? len : i;
}

void mon_json_indent(const char *json, size_t len, struct buf *out)
{
    int depth = 0;
    size_t i = 0;
    buf_reserve(out, len + len / 2);
    while (i < len) {
        char c = json[i];
        switch (c) {
        case '"':
            i = copy_string(json, len, i, out);
            continue;
        case '{':
        case '[':
            if (i + 1 < len && json[i + 1] == (c == '{' ? '}' : ']')) {
                buf_append_char(out, c);
                buf_append_char(out, json[i + 1]);
                i += 2;
                continue;
            }
            buf_append_char(out, c);
            newline(out, ++depth);
            break;
        case '}':
        case ']':
            newline(out, --depth);
            buf_append_char(out, c);
            break;
        case ',':
            buf_append_char(out, ',');
            newline(out, depth);
            break;
        case ':':
            buf_append(out, ": ", 2);
            break;
        case ' ':
        case '\n':
        case '\t':
        case '\r':
            break;
        default:
            buf_append_char(out, c);
        }
        i++;
    }
}
