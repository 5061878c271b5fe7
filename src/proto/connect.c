/* CONNECT JSON decoding with jansson, following what nats-server's Go
 * encoding/json accepts: keys match field names case-insensitively, null
 * keeps the default, unknown keys are skipped, a whole-text "null" is all
 * defaults, and bad UTF-8 or lone surrogate escapes in strings turn into
 * U+FFFD instead of failing (jansson would refuse them, so the text is
 * repaired first). A known key with the wrong JSON type is an error.
 */
#include "proto/proto.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum ftype {
    F_BOOL, /* true/false/null */
    F_STR,  /* string/null */
    F_INT,  /* integer without fraction or exponent, or null */
    F_PERM, /* null, or an object whose allow/deny are null or string arrays */
};

#define NO_FIELD ((size_t)-1) /* type-checked but not stored */

struct field {
    const char *name; /* lower-case JSON key */
    enum ftype type;  /* accepted JSON type */
    size_t off;       /* offset in struct proto_connect, or NO_FIELD */
};

#define FLD(n, t, m)                                                                               \
    {                                                                                              \
        n, t, offsetof(struct proto_connect, m)                                                    \
    }

/* nats-server 2.9.10's ClientOpts. */
static const struct field fields[] = {
    FLD("verbose", F_BOOL, verbose),
    FLD("pedantic", F_BOOL, pedantic),
    FLD("echo", F_BOOL, echo),
    FLD("headers", F_BOOL, headers),
    FLD("no_responders", F_BOOL, no_responders),
    FLD("tls_required", F_BOOL, tls_required),
    FLD("protocol", F_INT, protocol),
    FLD("name", F_STR, name),
    FLD("lang", F_STR, lang),
    FLD("version", F_STR, version),
    FLD("user", F_STR, user),
    FLD("pass", F_STR, pass),
    FLD("auth_token", F_STR, auth_token),
    FLD("nkey", F_STR, nkey),
    FLD("sig", F_STR, sig),
    FLD("jwt", F_STR, jwt),
    FLD("account", F_STR, account),
    {"new_account", F_BOOL, NO_FIELD},
    {"import", F_PERM, NO_FIELD},
    {"export", F_PERM, NO_FIELD},
};

static const char *const type_names[] = {
    [F_BOOL] = "a boolean",
    [F_STR] = "a string",
    [F_INT] = "an integer",
    [F_PERM] = "a permission object",
};

static void set_defaults(struct proto_connect *c)
{
    *c = (struct proto_connect){.verbose = true, .pedantic = true, .echo = true};
}

/* Length of the valid UTF-8 sequence at <p>[0..<n>), or 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
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
        hi = 0x9F; /* no UTF-16 surrogates */
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F; /* nothing above U+10FFFF */
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++) {
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    }
    return len;
}

/* Value of the 4 hex digits of "\uXXXX" at <p> (6 bytes), or -1. */
static long u_escape(const char *p, size_t n)
{
    if (n < 6 || p[0] != '\\' || p[1] != 'u')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int c = (unsigned char)p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Copies <p>[0..<n>) to <out> (room for 3 * <n> bytes, or NULL to only
 * count), replacing invalid UTF-8 bytes with U+FFFD and lone surrogate
 * escapes inside strings with "\uFFFD". Returns the number of repairs and
 * sets *<outlen>. */
static size_t repair(const char *p, size_t n, char *out, size_t *outlen)
{
    size_t fixes = 0, o = 0;
    bool in_str = false;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len((const unsigned char *)p + i, n - i);
        if (k == 0) {
            if (out)
                memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3, i++, fixes++;
            continue;
        }
        if (in_str && p[i] == '\\' && i + 1 < n) {
            long u = u_escape(p + i, n - i);
            long w = (u >= 0 && n - i >= 12) ? u_escape(p + i + 6, n - i - 6) : -1;
            bool high = u >= 0xD800 && u <= 0xDBFF, low = u >= 0xDC00 && u <= 0xDFFF;
            bool pair = high && w >= 0xDC00 && w <= 0xDFFF;
            size_t take = pair ? 12 : u >= 0 ? 6 : 2;
            if ((high || low) && !pair) {
                if (out)
                    memcpy(out + o, "\\uFFFD", 6);
                fixes++;
            } else if (out) {
                memcpy(out + o, p + i, take);
            }
            o += take, i += take;
            continue;
        }
        if (p[i] == '"')
            in_str = !in_str;
        if (out)
            memcpy(out + o, p + i, k);
        o += k, i += k;
    }
    *outlen = o;
    return fixes;
}

/* Checks a permission object: null, or {allow,deny: null or [strings]}. */
static bool perm_ok(json_t *v)
{
    const char *key;
    size_t klen;
    json_t *x;
    if (json_is_null(v))
        return true;
    if (!json_is_object(v))
        return false;
    json_object_keylen_foreach(v, key, klen, x)
    {
        bool known = (klen == 5 && strncasecmp(key, "allow", 5) == 0) ||
                     (klen == 4 && strncasecmp(key, "deny", 4) == 0);
        if (!known || json_is_null(x))
            continue;
        if (!json_is_array(x))
            return false;
        for (size_t i = 0; i < json_array_size(x); i++) {
            json_t *e = json_array_get(x, i);
            if (!json_is_string(e) && !json_is_null(e))
                return false;
        }
    }
    return true;
}

/* Stores <v> into field <f> of <out>. Returns false on a type mismatch. */
static bool field_set(const struct field *f, json_t *v, struct proto_connect *out)
{
    char *base = (char *)out;
    if (json_is_null(v))
        return true;
    switch (f->type) {
    case F_BOOL:
        if (!json_is_boolean(v))
            return false;
        if (f->off != NO_FIELD)
            *(bool *)(base + f->off) = json_is_true(v);
        return true;
    case F_STR:
        if (!json_is_string(v))
            return false;
        if (f->off != NO_FIELD) {
            char **s = (char **)(base + f->off);
            free(*s);
            *s = xstrndup(json_string_value(v), json_string_length(v));
        }
        return true;
    case F_INT: {
        if (!json_is_integer(v))
            return false;
        json_int_t i = json_integer_value(v);
        *(int *)(base + f->off) = (i < -1 || i > 0x7fffffff) ? -1 : (int)i;
        return true;
    }
    case F_PERM:
        return perm_ok(v);
    }
    return false;
}

static const struct field *field_find(const char *key, size_t klen)
{
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (strlen(fields[i].name) == klen && strncasecmp(fields[i].name, key, klen) == 0)
            return &fields[i];
    }
    return NULL;
}

static json_t *load(struct slice json, struct errbuf *eb)
{
    char *fixed = NULL;
    size_t n = 0;
    json_error_t jerr;
    if (repair(json.p, json.len, NULL, &n) > 0) {
        fixed = xmalloc(n + 1);
        repair(json.p, json.len, fixed, &n);
        json = slice_of(fixed, n);
    }
    json_t *root =
        json_loadb(json.len ? json.p : "", json.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    free(fixed);
    if (root == NULL)
        errbuf_set(eb, ERR_PARSE, "invalid CONNECT JSON: %s (column %d)", jerr.text, jerr.column);
    return root;
}

int proto_connect_parse(struct slice json, struct proto_connect *out, struct errbuf *eb)
{
    int rc = 0;
    set_defaults(out);
    json_t *root = load(json, eb), *v;
    if (root == NULL)
        return ERR_PARSE;
    if (json_is_null(root))
        goto out;
    if (!json_is_object(root)) {
        rc = errbuf_set(eb, ERR_PARSE, "invalid CONNECT JSON: not an object");
        goto out;
    }
    const char *key;
    size_t klen;
    json_object_keylen_foreach(root, key, klen, v)
    {
        const struct field *f = field_find(key, klen);
        if (f && !field_set(f, v, out)) {
            rc = errbuf_set(eb, ERR_PARSE, "invalid CONNECT JSON: '%s' must be %s", f->name,
                            type_names[f->type]);
            proto_connect_deinit(out);
            set_defaults(out);
            goto out;
        }
    }
out:
    json_decref(root);
    return rc;
}

void proto_connect_deinit(struct proto_connect *c)
{
    FREE_AND_NULL(c->name);
    FREE_AND_NULL(c->lang);
    FREE_AND_NULL(c->version);
    FREE_AND_NULL(c->user);
    FREE_AND_NULL(c->pass);
    FREE_AND_NULL(c->auth_token);
    FREE_AND_NULL(c->nkey);
    FREE_AND_NULL(c->sig);
    FREE_AND_NULL(c->jwt);
    FREE_AND_NULL(c->account);
}
