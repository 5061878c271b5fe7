/* The JetStream API error table (api_errors.def) and its JSON form. The
 * enum and this table come from the same X-macro rows, so they cannot
 * drift; err_code lookup is a direct index because the 2.9.10 codes are
 * contiguous (10002..10133).
 */
#include "jetstream/js_errors.h"

#include "jetstream/js_json_int.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

static const struct js_err_info table[JS_ERR__COUNT] = {
#define JS_ERR(name, http, code, desc) [JS_ERR_##name] = {#name, http, code, desc},
#include "jetstream/api_errors.def"
#undef JS_ERR
};

#define FIRST_CODE 10002

const struct js_err_info *js_err_info(enum js_err e)
{
    if (e <= JS_ERR_NONE || e >= JS_ERR__COUNT)
        return NULL;
    return &table[e];
}

enum js_err js_err_by_code(int err_code)
{
    /* Rows are sorted and gap-free, so the code maps straight to a row;
     * the scan is a fallback should that ever stop being true. */
    int i = err_code - FIRST_CODE + 1;
    if (i > JS_ERR_NONE && i < JS_ERR__COUNT && table[i].err_code == err_code)
        return (enum js_err)i;
    for (int k = 1; k < JS_ERR__COUNT; k++)
        if (table[k].err_code == err_code)
            return (enum js_err)k;
    return JS_ERR_NONE;
}

/* Length of the {placeholder} starting at <p> ('{' .. '}'), or 0. */
static size_t placeholder_len(const char *p)
{
    if (*p != '{')
        return 0;
    size_t n = 1;
    while ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '_')
        n++;
    return (p[n] == '}' && n > 1) ? n + 1 : 0;
}

size_t js_err_nargs(enum js_err e)
{
    const struct js_err_info *ei = js_err_info(e);
    size_t n = 0;
    for (const char *p = ei ? ei->description : ""; *p; p++)
        n += placeholder_len(p) > 0;
    return n;
}

/* Appends <n> bytes to out[*pos..cap) keeping it NUL-terminated. */
static void put(char *out, size_t cap, size_t *pos, const char *s, size_t n)
{
    if (*pos + 1 < cap) {
        size_t room = cap - 1 - *pos;
        memcpy(out + *pos, s, n < room ? n : room);
        out[*pos + (n < room ? n : room)] = '\0';
    }
    *pos += n;
}

size_t js_err_vformat(char *out, size_t cap, enum js_err e, va_list ap)
{
    const struct js_err_info *ei = js_err_info(e);
    const char *d = ei ? ei->description : "";
    size_t pos = 0;
    if (cap > 0)
        out[0] = '\0';
    while (*d) {
        size_t pl = placeholder_len(d);
        if (pl) {
            const char *arg = va_arg(ap, const char *);
            arg = arg ? arg : "";
            put(out, cap, &pos, arg, strlen(arg));
            d += pl;
        } else {
            const char *next = d + 1;
            while (*next && *next != '{')
                next++;
            put(out, cap, &pos, d, (size_t)(next - d));
            d = next;
        }
    }
    return pos;
}

size_t js_err_format(char *out, size_t cap, enum js_err e, ...)
{
    va_list ap;
    va_start(ap, e);
    size_t n = js_err_vformat(out, cap, e, ap);
    va_end(ap);
    return n;
}

void js_err_object(struct buf *b, enum js_err e, const char *desc)
{
    const struct js_err_info *ei = js_err_info(e);
    buf_append_str(b, "{\"code\":");
    jsj__i64(b, ei ? ei->http_code : 500);
    if (ei) {
        buf_append_str(b, ",\"err_code\":");
        jsj__i64(b, ei->err_code);
    }
    if (desc == NULL)
        desc = ei ? ei->description : "";
    /* ApiError.Description is omitempty: an empty {err} drops the key. */
    if (desc[0]) {
        buf_append_str(b, ",\"description\":");
        js_json_cstr(b, desc);
    }
    buf_append_char(b, '}');
}

void js_err_json_desc(struct buf *b, enum js_err e, const char *desc)
{
    jsj__key(b, "error");
    js_err_object(b, e, desc);
}

void js_err_json(struct buf *b, enum js_err e, ...)
{
    char small[512];
    va_list ap, ap2;
    va_start(ap, e);
    va_copy(ap2, ap);
    size_t n = js_err_vformat(small, sizeof(small), e, ap);
    va_end(ap);
    if (n < sizeof(small)) {
        js_err_json_desc(b, e, small);
    } else {
        char *big = xmalloc(n + 1);
        js_err_vformat(big, n + 1, e, ap2);
        js_err_json_desc(b, e, big);
        free(big);
    }
    va_end(ap2);
}
