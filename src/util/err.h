/* Error codes shared by every module.
 *
 * Fallible functions return int: 0 on success, a negative ERR_* value or a
 * negative errno otherwise. Parsers return >0 bytes consumed, 0 need more,
 * <0 error. User-facing failures also fill a caller-supplied struct errbuf.
 */
#ifndef GN_UTIL_ERR_H
#define GN_UTIL_ERR_H

#include <stddef.h>

enum err_code {
    ERR_OK = 0,
    ERR_INVAL = -10001,    /* invalid argument or input */
    ERR_PARSE = -10002,    /* syntax error in parsed input */
    ERR_LIMIT = -10003,    /* a configured limit was exceeded */
    ERR_NOTFOUND = -10004, /* lookup found nothing */
    ERR_EXISTS = -10005,   /* already present */
    ERR_AUTH = -10006,     /* authentication failed */
    ERR_PERM = -10007,     /* permission denied */
    ERR_CLOSED = -10008,   /* the object was closed */
    ERR_IO = -10009,       /* I/O failure without an errno */
    ERR_CORRUPT = -10010,  /* data failed its checksum or format check */
};

/* A human-readable message for a user-facing failure (config, API). */
struct errbuf {
    char msg[512]; /* NUL-terminated; empty when no error was recorded */
};

/* Returns a static string describing <err> (ERR_* or -errno). Thread-safe. */
const char *err_str(int err);

/* Formats into <eb> (if non-NULL) and returns <code>, so callers can write
 * `return errbuf_set(eb, ERR_PARSE, "bad %s", x);`. */
int errbuf_set(struct errbuf *eb, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define WARN_UNUSED __attribute__((warn_unused_result))

#endif
