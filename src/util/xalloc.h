/* Allocation wrappers that abort on out-of-memory (like Redis zmalloc), so
 * callers need no ENOMEM plumbing. Check limits before allocating. */
#ifndef GN_UTIL_XALLOC_H
#define GN_UTIL_XALLOC_H

#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Returns a new NUL-terminated copy of <s> (NULL gives NULL); free with free(). */
char *xstrdup(const char *s);
/* Returns a new NUL-terminated copy of the first <n> bytes of <s>. */
char *xstrndup(const char *s, size_t n);

#define FREE_AND_NULL(p)                                                                           \
    do {                                                                                           \
        free(p);                                                                                   \
        (p) = NULL;                                                                                \
    } while (0)

/* Always-on invariant check: aborts with file:line on failure. Never use it
 * for peer input. */
#define ASSERT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond))                                                                               \
            assert_fail(#cond, __FILE__, __LINE__);                                                \
    } while (0)
void assert_fail(const char *expr, const char *file, int line) __attribute__((noreturn));

#endif
