/* Pull requests (CONSUMER.MSG.NEXT bodies, +NXT) decoded the way
 * nats-server 2.9.10's Go code does. A malformed pull request is
 * answered with "400 Bad Request - <the Go error text>", so this file
 * carries a small copy of Go's encoding/json machinery instead of jansson:
 * the checkValid scanner with its exact messages (a state machine over
 * bytes, like scanner.go), then a walk over the top-level members that
 * reports the first type mismatch as UnmarshalTypeError does (shared with
 * the NAK delay decoding). Also Go's strconv.Atoi and bytes.TrimSpace.
 */
#include "jetstream/js_consumer_int.h"
#include "jetstream/js_json_int.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 10000 /* encoding/json maxNestingDepth */
#define GO_STRUCT "JSApiConsumerGetNextRequest"

/* ---- Go library pieces ---- */

static bool is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static void append_u_hex(struct buf *b, const char *pfx, unsigned v, int width)
{
    static const char hex[] = "0123456789abcdef";
    buf_append_str(b, pfx);
    for (int i = width - 1; i >= 0; i--)
        buf_append_char(b, hex[(v >> (4 * i)) & 15]);
}

/* quoteChar of scanner.go: the byte as a rune, strconv.Quote'd, in single
 * quotes. */
static void go_quote_char(struct buf *b, unsigned char c)
{
    static const char esc[] = "abtnvfr";
    buf_append_char(b, '\'');
    if (c == '\'')
        buf_append_str(b, "\\'");
    else if (c == '\\')
        buf_append_str(b, "\\\\");
    else if (c >= 7 && c <= 13) {
        char e[2] = {'\\', esc[c - 7]};
        buf_append(b, e, 2);
    } else if (c < 0x20 || c == 0x7f)
        append_u_hex(b, "\\x", c, 2);
    else if (c < 0x7f)
        buf_append_char(b, (char)c);
    else if (c < 0xa1 || c == 0xad) /* not unicode.IsPrint */
        append_u_hex(b, "\\u", c, 4);
    else {
        char u[2] = {(char)(0xc0 | (c >> 6)), (char)(0x80 | (c & 0x3f))};
        buf_append(b, u, 2);
    }
    buf_append_char(b, '\'');
}

int jsc__go_atoi(const char *s, size_t n, int64_t *out, struct buf *err)
{
    size_t i = 0;
    bool neg = false;
    uint64_t v = 0;
    const char *why = NULL;
    *out = 0;
    if (n > 0 && (s[0] == '-' || s[0] == '+'))
        neg = s[i++] == '-';
    if (i == n)
        why = "invalid syntax";
    /* ParseUint's loop: a bad digit or a uint64 overflow stops it, then
     * ParseInt applies the int64 range. */
    for (; !why && i < n; i++) {
        uint64_t d = (uint64_t)(s[i] - '0');
        if (s[i] < '0' || s[i] > '9')
            why = "invalid syntax";
        else if (v > (UINT64_MAX - d) / 10)
            why = "value out of range";
        else
            v = v * 10 + d;
    }
    if (!why && v > (uint64_t)INT64_MAX + neg)
        why = "value out of range";
    if (why) {
        if (err) {
            char *z = xstrndup(s, n);
            buf_append_str(err, "strconv.Atoi: parsing ");
            jsj__go_quote(err, z);
            buf_appendf(err, ": %s", why);
            free(z);
        }
        return -1;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

/* unicode.IsSpace of the rune at <p> (<n> bytes left); its UTF-8 length in
 * <len>, 0 when not a space. */
static size_t space_len(const unsigned char *p, size_t n)
{
    if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        return 1;
    if (n >= 2 && p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
        return 2;
    if (n < 3)
        return 0;
    unsigned r = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
    if ((p[0] & 0xf0) != 0xe0 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
        return 0;
    bool sp = r == 0x1680 || (r >= 0x2000 && r <= 0x200a) || r == 0x2028 || r == 0x2029 ||
              r == 0x202f || r == 0x205f || r == 0x3000;
    return sp ? 3 : 0;
}

/* Length of the white space rune ending at <p>[n-1], 0 if none. */
static size_t space_len_back(const unsigned char *p, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++)
        if ((k == 1 || (p[n - k] & 0xc0) != 0x80) && space_len(p + n - k, k) == k)
            return k;
    return 0;
}

void jsc__trim_space(const char **s, size_t *n)
{
    const unsigned char *p = (const unsigned char *)*s;
    size_t len = *n, l;
    while (len > 0 && (l = space_len(p, len)) > 0)
        p += l, len -= l;
    while (len > 0 && (l = space_len_back(p, len)) > 0)
        len -= l;
    *s = (const char *)p;
    *n = len;
}

/* ---- encoding/json checkValid ---- */

enum scan {
    SC_VALUE,
    SC_VALUE_OR_EMPTY,
    SC_KEY_OR_EMPTY,
    SC_KEY,
    SC_END_VALUE,
    SC_END_TOP,
    SC_STR,
    SC_ESC,
    SC_U0,
    SC_U1,
    SC_U2,
    SC_U3,
    SC_NEG,
    SC_INT,
    SC_ZERO,
    SC_DOT,
    SC_FRAC,
    SC_E,
    SC_ESIGN,
    SC_EXP,
    SC_LIT,
    SC_ERR
};

struct scanner {
    enum scan st;
    const char *lit; /* remaining letters of true/false/null */
    const char *lit_name;
    size_t depth;
    unsigned char stack[MAX_DEPTH / 8 + 2]; /* bit set = object, clear = array */
    bool key;                               /* top object expects a key next */
    struct buf *err;
};

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool top_is_object(const struct scanner *s)
{
    return (s->stack[(s->depth - 1) / 8] >> ((s->depth - 1) % 8)) & 1;
}

static void sc_error(struct scanner *s, unsigned char c, const char *ctx)
{
    buf_append_str(s->err, "invalid character ");
    go_quote_char(s->err, c);
    buf_append_char(s->err, ' ');
    buf_append_str(s->err, ctx);
    s->st = SC_ERR;
}

static void sc_push(struct scanner *s, unsigned char c, bool object)
{
    if (s->depth >= MAX_DEPTH) {
        sc_error(s, c, "exceeded max depth");
        return;
    }
    unsigned char bit = (unsigned char)(1u << (s->depth % 8));
    s->stack[s->depth / 8] =
        object ? (s->stack[s->depth / 8] | bit) : (s->stack[s->depth / 8] & (unsigned char)~bit);
    s->depth++;
    s->key = object;
    s->st = object ? SC_KEY_OR_EMPTY : SC_VALUE_OR_EMPTY;
}

static void sc_pop(struct scanner *s)
{
    s->depth--;
    s->key = false; /* an enclosing object is always past its key */
    s->st = s->depth == 0 ? SC_END_TOP : SC_END_VALUE;
}

static void sc_end_value(struct scanner *s, unsigned char c)
{
    if (s->depth == 0) {
        s->st = SC_END_TOP;
        if (!is_ws(c))
            sc_error(s, c, "after top-level value");
        return;
    }
    s->st = SC_END_VALUE;
    if (is_ws(c))
        return;
    if (top_is_object(s) && s->key) {
        if (c == ':') {
            s->key = false;
            s->st = SC_VALUE;
        } else {
            sc_error(s, c, "after object key");
        }
    } else if (top_is_object(s)) {
        if (c == ',')
            s->key = true, s->st = SC_KEY;
        else if (c == '}')
            sc_pop(s);
        else
            sc_error(s, c, "after object key:value pair");
    } else if (c == ',') {
        s->st = SC_VALUE;
    } else if (c == ']') {
        sc_pop(s);
    } else {
        sc_error(s, c, "after array element");
    }
}

static void sc_begin_value(struct scanner *s, unsigned char c)
{
    static const char *const lits[] = {"true", "false", "null"};
    if (is_ws(c))
        return;
    if (c == '{' || c == '[')
        sc_push(s, c, c == '{');
    else if (c == '"')
        s->st = SC_STR;
    else if (c == '-')
        s->st = SC_NEG;
    else if (c == '0')
        s->st = SC_ZERO;
    else if (c >= '1' && c <= '9')
        s->st = SC_INT;
    else if (c == 't' || c == 'f' || c == 'n') {
        s->lit_name = lits[c == 't' ? 0 : c == 'f' ? 1 : 2];
        s->lit = s->lit_name + 1;
        s->st = SC_LIT;
    } else
        sc_error(s, c, "looking for beginning of value");
}

static void sc_number(struct scanner *s, unsigned char c)
{
    bool digit = c >= '0' && c <= '9';
    switch (s->st) {
    case SC_NEG:
        if (c == '0' || digit)
            s->st = c == '0' ? SC_ZERO : SC_INT;
        else
            sc_error(s, c, "in numeric literal");
        return;
    case SC_DOT:
        if (digit)
            s->st = SC_FRAC;
        else
            sc_error(s, c, "after decimal point in numeric literal");
        return;
    case SC_E:
        if (c == '+' || c == '-') {
            s->st = SC_ESIGN;
            return;
        }
        /* fall through: no sign */
        s->st = SC_ESIGN;
        sc_number(s, c);
        return;
    case SC_ESIGN:
        if (digit)
            s->st = SC_EXP;
        else
            sc_error(s, c, "in exponent of numeric literal");
        return;
    default:
        break;
    }
    if (digit && s->st != SC_ZERO)
        return; /* SC_INT, SC_FRAC, SC_EXP keep going */
    if (c == '.' && (s->st == SC_INT || s->st == SC_ZERO))
        s->st = SC_DOT;
    else if ((c == 'e' || c == 'E') && s->st != SC_EXP)
        s->st = SC_E;
    else
        sc_end_value(s, c);
}

static void sc_string(struct scanner *s, unsigned char c)
{
    if (s->st == SC_STR) {
        if (c == '"')
            s->st = SC_END_VALUE;
        else if (c == '\\')
            s->st = SC_ESC;
        else if (c < 0x20)
            sc_error(s, c, "in string literal");
    } else if (s->st == SC_ESC) {
        if (c == 'u')
            s->st = SC_U0;
        else if (strchr("bfnrt\\/\"", c) && c)
            s->st = SC_STR;
        else
            sc_error(s, c, "in string escape code");
    } else if (!is_hex(c)) {
        sc_error(s, c, "in \\u hexadecimal character escape");
    } else {
        s->st = s->st == SC_U3 ? SC_STR : (enum scan)(s->st + 1);
    }
}

static void sc_key(struct scanner *s, unsigned char c)
{
    if (c == '"')
        s->st = SC_STR;
    else if (!is_ws(c))
        sc_error(s, c, "looking for beginning of object key string");
}

static void sc_literal(struct scanner *s, unsigned char c)
{
    char ctx[48];
    if (c == (unsigned char)*s->lit) {
        if (*++s->lit == '\0')
            s->st = SC_END_VALUE;
        return;
    }
    snprintf(ctx, sizeof(ctx), "in literal %s (expecting '%c')", s->lit_name, *s->lit);
    sc_error(s, c, ctx);
}

static void sc_step(struct scanner *s, unsigned char c)
{
    switch (s->st) {
    case SC_VALUE_OR_EMPTY:
        if (c == ']') {
            sc_end_value(s, c);
        } else if (!is_ws(c)) {
            s->st = SC_VALUE;
            sc_begin_value(s, c);
        }
        break;
    case SC_VALUE:
        sc_begin_value(s, c);
        break;
    case SC_KEY_OR_EMPTY:
        if (c == '}') {
            s->key = false;
            sc_end_value(s, c);
        } else {
            sc_key(s, c);
        }
        break;
    case SC_KEY:
        sc_key(s, c);
        break;
    case SC_END_VALUE:
    case SC_END_TOP:
        sc_end_value(s, c);
        break;
    case SC_LIT:
        sc_literal(s, c);
        break;
    case SC_STR:
    case SC_ESC:
    case SC_U0:
    case SC_U1:
    case SC_U2:
    case SC_U3:
        sc_string(s, c);
        break;
    case SC_ERR:
        break;
    default:
        sc_number(s, c);
        break;
    }
}

int jsc__go_json_valid(const char *p, size_t n, struct buf *err)
{
    struct scanner s;
    memset(&s, 0, sizeof(s));
    s.st = SC_VALUE;
    s.err = err;
    for (size_t i = 0; i < n && s.st != SC_ERR; i++)
        sc_step(&s, (unsigned char)p[i]);
    if (s.st == SC_ERR)
        return -1;
    if (s.st != SC_END_TOP)
        sc_step(&s, ' '); /* eof(): a pending number ends here */
    if (s.st == SC_END_TOP)
        return 0;
    if (s.st != SC_ERR)
        buf_append_str(err, "unexpected end of JSON input");
    return -1;
}

/* ---- decoding the members of a valid object ---- */

static void skip_ws(const char **p, const char *end)
{
    while (*p < end && is_ws((unsigned char)**p))
        (*p)++;
}

/* Skips the valid JSON value at *p. */
static void skip_value(const char **p, const char *end)
{
    size_t depth = 0;
    skip_ws(p, end);
    do {
        char c = **p;
        if (c == '"') {
            for ((*p)++; **p != '"'; (*p)++)
                if (**p == '\\')
                    (*p)++;
            (*p)++;
        } else if (c == '{' || c == '[') {
            depth++, (*p)++;
        } else if (c == '}' || c == ']') {
            depth--, (*p)++;
        } else if (c == ',' || c == ':' || is_ws((unsigned char)c)) {
            (*p)++;
        } else {
            while (*p < end && !strchr(",}] \t\r\n", **p))
                (*p)++;
        }
    } while (depth > 0 && *p < end);
}

/* Appends the raw bytes of the string at *p with its simple escapes
 * resolved; \u escapes become '?' unless ASCII (only ASCII, U+017F and
 * U+212A can match a field name, and those two are never escaped here). */
static void read_key(const char **p, struct buf *out)
{
    for ((*p)++; **p != '"'; (*p)++) {
        if (**p != '\\') {
            buf_append_char(out, **p);
            continue;
        }
        char e = *++(*p);
        if (e == 'u') {
            unsigned v = 0;
            for (int i = 0; i < 4; i++) {
                char h = *++(*p);
                v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
            }
            buf_append_char(out, v < 0x80 ? (char)v : '?');
        } else {
            const char *m = strchr("b\bf\fn\nr\rt\t", e);
            buf_append_char(out, m && e ? m[1] : e);
        }
    }
    (*p)++;
}

/* Go's field matching for names like ours (equalFoldRight): ASCII letters
 * in either case, 's' also as U+017F and 'k' as U+212A. */
static bool go_fold_eq(const char *name, const char *key, size_t klen)
{
    size_t j = 0;
    for (; *name; name++) {
        unsigned char sb = (unsigned char)*name, up = sb & (unsigned char)~0x20;
        if (j >= klen)
            return false;
        unsigned char tb = (unsigned char)key[j];
        if (tb < 0x80) {
            if (sb != tb && !(up >= 'A' && up <= 'Z' && up == (tb & (unsigned char)~0x20)))
                return false;
            j++;
        } else if (up == 'S' && klen - j >= 2 && !memcmp(key + j, "\xc5\xbf", 2)) {
            j += 2;
        } else if (up == 'K' && klen - j >= 3 && !memcmp(key + j, "\xe2\x84\xaa", 3)) {
            j += 3;
        } else {
            return false;
        }
    }
    return j == klen;
}

/* strconv.ParseInt(lit, 10, 64) on a JSON number literal. */
static bool number_to_i64(const char *p, size_t n, int64_t *out)
{
    int64_t v;
    if (n == 0 || p[0] == '+' || jsc__go_atoi(p, n, &v, NULL) < 0)
        return false;
    *out = v;
    return true;
}

/* Appends UnmarshalTypeError's text to <err> (NULL: an error is already
 * recorded, and Go keeps only the first). */
static void type_error(struct buf *err, const char *what, size_t what_len, const char *gostruct,
                       const struct jsc__go_field *f)
{
    if (err == NULL)
        return;
    buf_append_str(err, "json: cannot unmarshal ");
    buf_append(err, what, what_len);
    buf_appendf(err, " into Go struct field %s.%s of type %s", gostruct, f->json, f->go_type);
}

/* Stores the value at <p> into <val> as Go would for field <f>; returns
 * false on a type mismatch, with the error text appended to <err>. */
static bool store_value(const char *p, const char *end, const struct jsc__go_field *f, int64_t *val,
                        const char *gostruct, struct buf *err)
{
    const char *q = p;
    bool is_bool = strcmp(f->go_type, "bool") == 0;
    char c = *p;
    if (c == 'n')
        return true; /* null leaves a scalar alone */
    if (c == 't' || c == 'f') {
        if (is_bool)
            *val = c == 't';
        else
            type_error(err, "bool", 4, gostruct, f);
        return is_bool;
    }
    if (c == '"' || c == '[' || c == '{') {
        const char *what = c == '"' ? "string" : c == '[' ? "array" : "object";
        type_error(err, what, strlen(what), gostruct, f);
        return false;
    }
    skip_value(&q, end);
    if (is_bool) {
        type_error(err, "number", 6, gostruct, f);
        return false;
    }
    if (number_to_i64(p, (size_t)(q - p), val))
        return true;
    struct buf w;
    buf_init(&w);
    buf_append_str(&w, "number ");
    buf_append(&w, p, (size_t)(q - p));
    type_error(err, buf_head(&w), buf_size(&w), gostruct, f);
    buf_deinit(&w);
    return false;
}

int jsc__go_decode(const char *p, size_t n, const struct jsc__go_field *f, size_t nf, int64_t *vals,
                   const char *gostruct, struct buf *err)
{
    const char *end = p + n;
    bool failed = false;
    struct buf key;
    buf_init(&key);
    p++; /* '{' */
    skip_ws(&p, end);
    while (*p != '}') {
        buf_clear(&key);
        read_key(&p, &key);
        skip_ws(&p, end);
        p++; /* ':' */
        skip_ws(&p, end);
        for (size_t i = 0; i < nf; i++) {
            if (!go_fold_eq(f[i].json, buf_head(&key), buf_size(&key)))
                continue;
            int64_t v = vals[i];
            if (store_value(p, end, &f[i], &v, gostruct, failed ? NULL : err))
                vals[i] = v;
            else
                failed = true;
            break;
        }
        skip_value(&p, end);
        skip_ws(&p, end);
        if (*p == ',')
            p++;
        skip_ws(&p, end);
    }
    buf_deinit(&key);
    return failed ? -1 : 0;
}

/* ---- pull requests ---- */

static const struct jsc__go_field pull_fields[] = {
    {"expires", "time.Duration"},
    {"batch", "int"},
    {"max_bytes", "int"},
    {"no_wait", "bool"},
    {"idle_heartbeat", "time.Duration"},
};

int js_pull_req_parse(const char *body, size_t len, struct js_pull_req *out, struct buf *status)
{
    const char *p = body ? body : "";
    size_t n = body ? len : 0;
    int64_t v[5] = {0};
    memset(out, 0, sizeof(*out));
    jsc__trim_space(&p, &n);
    if (n == 0 || p[0] != '{') {
        out->batch = n > 0 && jsc__go_atoi(p, n, &v[1], NULL) == 0 ? v[1] : 1;
        return 0;
    }
    struct buf e;
    buf_init(&e);
    if (jsc__go_json_valid(p, n, &e) < 0 ||
        jsc__go_decode(p, n, pull_fields, 5, v, GO_STRUCT, &e) < 0) {
        buf_append_char(&e, '\0');
        js_status_bad_request(status, buf_head(&e));
        buf_deinit(&e);
        out->batch = -1;
        return -1;
    }
    buf_deinit(&e);
    out->expires = v[0];
    out->batch = v[1];
    out->max_bytes = v[2];
    out->no_wait = v[3] != 0;
    out->idle_heartbeat = v[4];
    /* Go's int64 arithmetic wraps, so a huge heartbeat can pass. */
    if (out->idle_heartbeat > 0 && (int64_t)((uint64_t)out->idle_heartbeat * 2) > out->expires) {
        js_status_bad_request(status, "heartbeat value too large");
        return -1;
    }
    return 0;
}

int js_pull_req_check(const struct js_pull_req *r, const struct js_consumer_config *cfg,
                      struct buf *status)
{
    if (cfg->max_batch > 0 && r->batch > cfg->max_batch) {
        js_status_exceeded_batch(status, cfg->max_batch);
        return -1;
    }
    if (r->expires != 0 && cfg->max_expires > 0 && r->expires > cfg->max_expires) {
        js_status_exceeded_expires(status, cfg->max_expires);
        return -1;
    }
    if (r->max_bytes > 0 && cfg->max_bytes > 0 && r->max_bytes > cfg->max_bytes) {
        js_status_exceeded_max_bytes(status, cfg->max_bytes);
        return -1;
    }
    return 0;
}
