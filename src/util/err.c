/* Error strings and struct errbuf formatting. */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *err_str(int err)
{
    switch (err) {
    case ERR_OK:
        return "success";
    case ERR_INVAL:
        return "invalid argument";
    case ERR_PARSE:
        return "parse error";
    case ERR_LIMIT:
        return "limit exceeded";
    case ERR_NOTFOUND:
        return "not found";
    case ERR_EXISTS:
        return "already exists";
    case ERR_AUTH:
        return "authentication failed";
    case ERR_PERM:
        return "permission denied";
    case ERR_CLOSED:
        return "closed";
    case ERR_IO:
        return "I/O error";
    case ERR_CORRUPT:
        return "corrupt data";
    default:
        break;
    }
    if (err < 0 && err > -4096)
        return strerror(-err);
    return "unknown error";
}

int errbuf_set(struct errbuf *eb, int code, const char *fmt, ...)
{
    if (eb) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(eb->msg, sizeof(eb->msg), fmt, ap);
        va_end(ap);
    }
    return code;
}
