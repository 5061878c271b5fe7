/* Allocation wrappers that abort on out-of-memory. */
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "gannet: out of memory allocating %zu bytes\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "gannet: assertion failed: %s (%s:%d)\n", expr, file, line);
    abort();
}
