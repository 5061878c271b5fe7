/* Go encoding/json compatibility on top of jansson: the loader (repairs
 * bad UTF-8 and lone surrogates to U+FFFD like Go instead of failing),
 * case-insensitive field matching, typed getters with Go's null rules, and
 * the string encoder with Go's HTML-safe escaping. Jansson does the syntax;
 * this file makes its answers match what nats-server's decoder would say.
 */
#include "jetstream/js_json_int.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

size_t jsj__utf8_len(const unsigned char *p, size_t n)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    size_t len;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Value of the \uXXXX escape at <p> (<n> bytes left), or -1. */
static long u_escape(const char *p, size_t n)
{
    if (n < 6 || p[0] != '\\' || p[1] != 'u')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Copies <s> into <out>, replacing what Go would decode as U+FFFD. Returns
 * true if anything changed. */
static bool repair(const char *s, size_t len, struct buf *out)
{
    bool in_str = false, changed = false;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t l = jsj__utf8_len((const unsigned char *)s + i, len - i);
            if (l == 0) {
                buf_append(out, "\xEF\xBF\xBD", 3);
                changed = true;
                l = 1;
            } else {
                buf_append(out, s + i, l);
            }
            i += l;
            continue;
        }
        if (in_str && c == '\\' && i + 1 < len) {
            long u = s[i + 1] == 'u' ? u_escape(s + i, len - i) : -1;
            size_t l = 2;
            if (u >= 0xD800 && u <= 0xDBFF) {
                long lo = u_escape(s + i + 6, len - i - 6);
                l = 6;
                if (lo >= 0xDC00 && lo <= 0xDFFF)
                    l = 12;
                else
                    u = -2;
            } else if (u >= 0xDC00 && u <= 0xDFFF) {
                l = 6;
                u = -2;
            } else if (u >= 0) {
                l = 6;
            }
            if (u == -2) {
                buf_append_str(out, "\\ufffd");
                changed = true;
            } else {
                buf_append(out, s + i, l);
            }
            i += l;
            continue;
        }
        if (c == '"')
            in_str = !in_str;
        buf_append_char(out, (char)c);
        i++;
    }
    return changed;
}

json_t *jsj__json_load(const char *text, size_t len)
{
    struct buf fixed;
    json_error_t jerr;
    json_t *root;
    buf_init(&fixed);
    if (text == NULL)
        text = "";
    if (repair(text, len, &fixed))
        root =
            json_loadb(buf_head(&fixed), buf_size(&fixed), JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    else
        root = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    buf_deinit(&fixed);
    return root;
}

static bool ascii_eq_fold(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return *a == *b;
}

int jsj__field_find(const char *key, const char *const *names, size_t n)
{
    int fold = -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(key, names[i]) == 0)
            return (int)i;
        if (fold < 0 && ascii_eq_fold(key, names[i]))
            fold = (int)i;
    }
    return fold;
}

int jsj__get_str(json_t *v, char **dst)
{
    if (json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return -1;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (strlen(s) != n)
        return -1; /* embedded NUL: we keep C strings (documented deviation) */
    free(*dst);
    *dst = n ? xstrndup(s, n) : NULL;
    return 0;
}

int jsj__get_i64(json_t *v, int64_t *dst)
{
    if (json_is_null(v))
        return 0;
    if (!json_is_integer(v))
        return -1;
    *dst = (int64_t)json_integer_value(v);
    return 0;
}

int jsj__get_i32(json_t *v, int32_t *dst)
{
    int64_t x = 0;
    if (json_is_null(v))
        return 0;
    if (jsj__get_i64(v, &x) < 0 || x < INT32_MIN || x > INT32_MAX)
        return -1;
    *dst = (int32_t)x;
    return 0;
}

int jsj__get_u64(json_t *v, uint64_t *dst)
{
    if (json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return -1;
    *dst = (uint64_t)json_integer_value(v);
    return 0;
}

int jsj__get_bool(json_t *v, bool *dst)
{
    if (json_is_null(v))
        return 0;
    if (!json_is_boolean(v))
        return -1;
    *dst = json_is_true(v);
    return 0;
}

void jsj__strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n && v; i++)
        free(v[i]);
    free(v);
}

char **jsj__strv_dup(char *const *v, size_t n)
{
    if (n == 0)
        return NULL;
    char **out = xcalloc(n, sizeof(*out));
    for (size_t i = 0; i < n; i++)
        out[i] = xstrdup(v[i]);
    return out;
}

int jsj__get_strv(json_t *v, char ***dst, size_t *n)
{
    if (json_is_null(v)) {
        jsj__strv_free(*dst, *n);
        *dst = NULL;
        *n = 0;
        return 0;
    }
    if (!json_is_array(v))
        return -1;
    size_t cnt = json_array_size(v);
    char **out = cnt ? xcalloc(cnt, sizeof(*out)) : NULL;
    for (size_t i = 0; i < cnt; i++) {
        if (jsj__get_str(json_array_get(v, i), &out[i]) < 0) {
            jsj__strv_free(out, cnt);
            return -1;
        }
    }
    jsj__strv_free(*dst, *n);
    *dst = out;
    *n = cnt;
    return 0;
}

int jsj__get_time(json_t *v, bool *has, int64_t *ns, int32_t *tz)
{
    if (json_is_null(v)) {
        *has = false;
        return 0;
    }
    if (!json_is_string(v))
        return -1;
    if (js_time_parse(json_string_value(v), json_string_length(v), ns, tz) < 0)
        return -1;
    *has = true;
    return 0;
}

bool jsj__str_eq(const char *a, const char *b)
{
    return strcmp(jsj__s(a), jsj__s(b)) == 0;
}

int jsj__decode_object(json_t *obj, const char *const *names, size_t n,
                       int (*set)(int idx, json_t *v, void *ctx), void *ctx)
{
    const char *key;
    json_t *val;
    if (json_is_null(obj))
        return 0;
    if (!json_is_object(obj))
        return -1;
    json_object_foreach(obj, key, val)
    {
        int idx = jsj__field_find(key, names, n);
        if (idx >= 0 && set(idx, val, ctx) < 0)
            return -1;
    }
    return 0;
}

/* ---- encoding ---- */

void js_json_str(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, start = 0;
    buf_reserve(b, len + 2);
    buf_append_char(b, '"');
    while (i < len) {
        unsigned char c = p[i];
        if (c >= 0x80) {
            size_t l = jsj__utf8_len(p + i, len - i);
            bool ls = l == 3 && c == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] & 0xFE) == 0xA8;
            if (l != 0 && !ls) {
                i += l;
                continue;
            }
            buf_append(b, s + start, i - start);
            buf_append_str(b, l == 0 ? "\\ufffd" : (p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"));
            i += l ? l : 1;
            start = i;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
            i++;
            continue;
        }
        buf_append(b, s + start, i - start);
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            buf_append(b, e, 2);
        } else if (c == '\n') {
            buf_append_str(b, "\\n");
        } else if (c == '\r') {
            buf_append_str(b, "\\r");
        } else if (c == '\t') {
            buf_append_str(b, "\\t");
        } else {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_append(b, e, 6);
        }
        start = ++i;
    }
    buf_append(b, s + start, len - start);
    buf_append_char(b, '"');
}

void js_json_cstr(struct buf *b, const char *s)
{
    s = jsj__s(s);
    js_json_str(b, s, strlen(s));
}

void js_json_time(struct buf *b, int64_t ns)
{
    char t[64];
    size_t n = js_time_fmt(ns == 0 ? JS_TIME_ZERO : ns, 0, t, sizeof(t));
    buf_append_char(b, '"');
    buf_append(b, t, n);
    buf_append_char(b, '"');
}

void jsj__key(struct buf *b, const char *key)
{
    size_t n = buf_size(b);
    if (n > 0) {
        char last = buf_head(b)[n - 1];
        if (last != '{' && last != '[')
            buf_append_char(b, ',');
    }
    buf_append_char(b, '"');
    buf_append_str(b, key);
    buf_append_str(b, "\":");
}

void jsj__key_json(struct buf *b, const char *key)
{
    size_t n = buf_size(b);
    if (n > 0 && buf_head(b)[n - 1] != '{' && buf_head(b)[n - 1] != '[')
        buf_append_char(b, ',');
    js_json_cstr(b, key);
    buf_append_char(b, ':');
}

void jsj__i64(struct buf *b, int64_t v)
{
    if (v < 0) {
        buf_append_char(b, '-');
        buf_append_u64(b, (unsigned long long)(-(v + 1)) + 1);
    } else {
        buf_append_u64(b, (unsigned long long)v);
    }
}

void jsj__kv_str(struct buf *b, const char *key, const char *val)
{
    jsj__key(b, key);
    js_json_cstr(b, val);
}

void jsj__kv_i64(struct buf *b, const char *key, int64_t v)
{
    jsj__key(b, key);
    jsj__i64(b, v);
}

void jsj__kv_u64(struct buf *b, const char *key, uint64_t v)
{
    jsj__key(b, key);
    buf_append_u64(b, v);
}

void jsj__kv_bool(struct buf *b, const char *key, bool v)
{
    jsj__key(b, key);
    buf_append_str(b, v ? "true" : "false");
}

void jsj__kv_time(struct buf *b, const char *key, int64_t ns)
{
    jsj__key(b, key);
    js_json_time(b, ns);
}

void jsj__strv_json(struct buf *b, const char *const *v, size_t n)
{
    buf_append_char(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_append_char(b, ',');
        js_json_cstr(b, v[i]);
    }
    buf_append_char(b, ']');
}

/* ---- errors and small predicates ---- */

int jsj__fail(enum js_err *err, char *detail, size_t cap, enum js_err e, const char *fmt, ...)
{
    if (err)
        *err = e;
    if (detail && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, cap, fmt, ap);
        va_end(ap);
    }
    return ERR_INVAL;
}

int jsj__fail_args(enum js_err *err, char *detail, size_t cap, enum js_err e, ...)
{
    if (err)
        *err = e;
    if (detail && cap) {
        va_list ap;
        va_start(ap, e);
        js_err_vformat(detail, cap, e, ap);
        va_end(ap);
    }
    return ERR_INVAL;
}

int jsj__fail_plain(enum js_err *err, char *detail, size_t cap, enum js_err e)
{
    const struct js_err_info *ei = js_err_info(e);
    return jsj__fail(err, detail, cap, e, "%s", ei ? ei->description : "");
}

bool js_api_is_empty_request(const char *body, size_t len)
{
    if (len == 0 || (len == 2 && memcmp(body, "{}", 2) == 0))
        return true;
    json_t *root = jsj__json_load(body, len);
    bool empty = root && json_is_object(root) && json_object_size(root) == 0;
    json_decref(root);
    return empty;
}

bool js_name_is_valid(const char *name)
{
    return jsj__has(name) && strpbrk(name, " \t\r\n\f.*>") == NULL;
}
