/* Module-private declarations of src/auth: the compiled permission layout
 * shared by perm.c and resp.c, and a small string hash. */
#ifndef GN_AUTH_INT_H
#define GN_AUTH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One allow or deny entry: a subject filter and, for subscribe entries
 * written "subject queue", the queue group (possibly with wildcards). */
struct perm_entry {
    char *subj;  /* NUL-terminated filter */
    size_t slen; /* strlen(subj) */
    char *queue; /* NUL-terminated queue pattern, NULL for a plain entry */
    size_t qlen; /* strlen(queue), 0 for a plain entry */
    bool wild;   /* subj has a '*' or '>' token */
};

/* The allow and deny lists of one direction (publish or subscribe). */
struct perm_list {
    bool has_allow;           /* an allow list applies (possibly empty: deny all) */
    struct perm_entry *allow; /* nallow entries */
    size_t nallow;
    struct perm_entry *deny; /* ndeny entries */
    size_t ndeny;
    size_t ndeny_plain; /* deny entries without a queue */
};

struct perm {
    struct perm_list pub;    /* publish rules */
    struct perm_list sub;    /* subscribe rules */
    bool resp;               /* allow_responses */
    int64_t resp_max;        /* responses per reply; <= 0 = unlimited */
    int64_t resp_expires_ns; /* reply lifetime; <= 0 = forever */
};

/* True when publishing is restricted at all (else every check passes). */
static inline bool auth__perm_has_pub_rules(const struct perm *p)
{
    return p != NULL && (p->pub.has_allow || p->pub.ndeny > 0);
}

/* FNV-1a, 64 bits: cheap and good enough for short subject keys in the
 * per-connection tables (not for secrets). */
static inline uint64_t auth__hash(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

#endif
