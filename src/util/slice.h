/* struct slice: a borrowed (pointer, length) view. A slice into a read
 * buffer is valid until the next read; copy it before keeping it. */
#ifndef GN_UTIL_SLICE_H
#define GN_UTIL_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct slice {
    const char *p; /* first byte; may be NULL when len is 0 */
    size_t len;    /* number of bytes */
};

static inline struct slice slice_of(const char *p, size_t len)
{
    struct slice s = {p, len};
    return s;
}

static inline struct slice slice_cstr(const char *s)
{
    return slice_of(s, s ? strlen(s) : 0);
}

static inline bool slice_eq(struct slice a, struct slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static inline bool slice_eq_cstr(struct slice a, const char *s)
{
    return slice_eq(a, slice_cstr(s));
}

#endif
