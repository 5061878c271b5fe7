/* Helpers shared by the js_*json*.c files (module-private): Go-compatible
 * decoding on top of jansson and small encoder helpers.
 *
 * Decoding getters return 0 on success (including JSON null, which keeps a
 * scalar unchanged and clears a list, as Go does) and -1 when the JSON type
 * does not fit the Go field, which the callers turn into 10025.
 * Prefix jsj__ keeps these apart from the runtime's js__ names (js_int.h).
 */
#ifndef GN_JETSTREAM_JS_JSON_INT_H
#define GN_JETSTREAM_JS_JSON_INT_H

#include "jetstream/js_json.h"

#include <jansson.h>

/* Parses <text> as Go's encoding/json would accept it: invalid UTF-8 and
 * lone surrogate escapes become U+FFFD first, any top-level value is
 * allowed. Returns a new reference (json_decref it) or NULL on a syntax
 * error. */
json_t *jsj__json_load(const char *text, size_t len);

/* Index of <key> in <names>: an exact match first, else the first ASCII
 * case-insensitive one (Go's field matching). -1 when unknown. */
int jsj__field_find(const char *key, const char *const *names, size_t n);

int jsj__get_str(json_t *v, char **dst);
int jsj__get_i64(json_t *v, int64_t *dst);
int jsj__get_i32(json_t *v, int32_t *dst);
int jsj__get_u64(json_t *v, uint64_t *dst);
int jsj__get_bool(json_t *v, bool *dst);
/* []string: null clears, null elements become "" (NULL). */
int jsj__get_strv(json_t *v, char ***dst, size_t *n);
/* *time.Time: null clears <has>; a string must parse as RFC 3339. */
int jsj__get_time(json_t *v, bool *has, int64_t *ns, int32_t *tz);

/* Length of the valid UTF-8 sequence at <p> (<n> bytes left), 0 if invalid,
 * with Go's rules (no overlongs, no surrogates, nothing above U+10FFFF). */
size_t jsj__utf8_len(const unsigned char *p, size_t n);

/* Go-exact subject predicates (js_subjects.c), see that file. */
bool jsj__subject_is_valid(const char *s);
bool jsj__subject_is_literal(const char *s);
bool jsj__subject_is_valid_publish(const char *s);
/* subjectIsSubsetMatch(subject, test). */
bool jsj__subject_is_subset(const char *subject, const char *test);
/* SubjectsCollide(a, b). */
bool jsj__subjects_collide(const char *a, const char *b);
/* Appends <s> quoted like Go's %q verb. */
void jsj__go_quote(struct buf *b, const char *s);

/* Frees an owned string vector. */
void jsj__strv_free(char **v, size_t n);
/* Returns a new deep copy of <v>[0..<n>) (NULL when n is 0). */
char **jsj__strv_dup(char *const *v, size_t n);
/* Equal strings, NULL and "" being the same. */
bool jsj__str_eq(const char *a, const char *b);
/* Non-empty string (not NULL, not ""). */
static inline bool jsj__has(const char *s)
{
    return s != NULL && s[0] != '\0';
}
/* <s>, or "" for NULL. */
static inline const char *jsj__s(const char *s)
{
    return s ? s : "";
}

/* Appends `"<key>":` preceded by a comma unless the buffer ends with '{' or
 * '[' (so members can be emitted without tracking "first"). */
void jsj__key(struct buf *b, const char *key);
/* jsj__key() for an arbitrary key, JSON-escaped (map keys). */
void jsj__key_json(struct buf *b, const char *key);
void jsj__kv_str(struct buf *b, const char *key, const char *val);
void jsj__kv_i64(struct buf *b, const char *key, int64_t v);
void jsj__kv_u64(struct buf *b, const char *key, uint64_t v);
void jsj__kv_bool(struct buf *b, const char *key, bool v);
void jsj__kv_time(struct buf *b, const char *key, int64_t ns);
void jsj__i64(struct buf *b, int64_t v);
/* Appends `["a","b"]` (an empty or NULL list as []). */
void jsj__strv_json(struct buf *b, const char *const *v, size_t n);

/* Deep equality of a mirror/source and of a republish (NULL == NULL). */
bool jsj__source_equal(const struct js_stream_source *a, const struct js_stream_source *b);
bool jsj__republish_equal(const struct js_republish *a, const struct js_republish *b);

/* Fills <err>/<detail> and returns ERR_INVAL. <detail> may be NULL. */
int jsj__fail(enum js_err *err, char *detail, size_t cap, enum js_err e, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Fills <err> and <detail> with the row's text, its {placeholders}
 * replaced by the `const char *` arguments; returns ERR_INVAL. */
int jsj__fail_args(enum js_err *err, char *detail, size_t cap, enum js_err e, ...);
/* jsj__fail() with the row's own text (no placeholders). */
int jsj__fail_plain(enum js_err *err, char *detail, size_t cap, enum js_err e);

/* Decodes the object <obj> field by field: for each key found in <names>,
 * calls <set>(index, value, ctx); unknown keys are skipped. A top-level
 * JSON null is accepted as "no fields". Returns 0 or -1 (not an object, or
 * <set> returned -1). */
int jsj__decode_object(json_t *obj, const char *const *names, size_t n,
                       int (*set)(int idx, json_t *v, void *ctx), void *ctx);

#endif
