/* JetStream API errors: the nats-server 2.9.10 table (api_errors.def) as an
 * enum, lookups, description formatting and the JSON error object
 * `"error":{"code":400,"err_code":10058,"description":"..."}`.
 *
 * Clients branch on err_code, so the numbers and texts are byte-exact copies
 * of what the 2.9.10 binary sends. Pure functions; any thread.
 */
#ifndef GN_JETSTREAM_JS_ERRORS_H
#define GN_JETSTREAM_JS_ERRORS_H

#include "util/buf.h"

#include <stdarg.h>
#include <stddef.h>

enum js_err {
    JS_ERR_NONE = 0, /* no error */
#define JS_ERR(name, http, code, desc) JS_ERR_##name,
#include "jetstream/api_errors.def"
#undef JS_ERR
    JS_ERR__COUNT /* number of values, not an error */
};

/* One row of the table. */
struct js_err_info {
    const char *name;        /* "STREAM_NAME_EXIST" */
    int http_code;           /* 400, 404, 500 or 503 */
    int err_code;            /* 10002..10133 */
    const char *description; /* may contain {placeholders} */
};

/* Returns the row for <e>, or NULL for JS_ERR_NONE and out-of-range values. */
const struct js_err_info *js_err_info(enum js_err e);

/* Returns the enum value whose err_code is <err_code>, or JS_ERR_NONE. */
enum js_err js_err_by_code(int err_code);

/* Number of {placeholders} in the description of <e> (0 for most rows). */
size_t js_err_nargs(enum js_err e);

/* Writes the description of <e> into <out> (always NUL-terminated when
 * <cap> > 0, truncated to fit) with each {placeholder} replaced, in order of
 * appearance, by the next `const char *` argument (NULL counts as ""). The
 * caller passes exactly js_err_nargs(e) strings. Returns the length the full
 * text needs (like snprintf). */
size_t js_err_format(char *out, size_t cap, enum js_err e, ...);
size_t js_err_vformat(char *out, size_t cap, enum js_err e, va_list ap);

/* Appends `"error":{"code":C,"err_code":N,"description":"..."}` to <b>, the
 * description formatted as js_err_format() does from the `const char *`
 * arguments and JSON-encoded the way Go does (e.g. '>' becomes \u003e).
 * <e> must not be JS_ERR_NONE. */
void js_err_json(struct buf *b, enum js_err e, ...);

/* Like js_err_json() but with a ready description <desc> (NULL: the row's
 * own text), e.g. the detail filled by a js_stream_config_check*() call. */
void js_err_json_desc(struct buf *b, enum js_err e, const char *desc);

/* Appends just the `{"code":..}` object (no key) for <e> and <desc> (NULL:
 * the row's text); for embedding errors elsewhere (stream source info). */
void js_err_object(struct buf *b, enum js_err e, const char *desc);

#endif
