/* Module-private parts of subject/: the sublist's shared counters (so the
 * per-thread cache can read the generation and count hits inline), the
 * byte-string hash used by the trie and the cache, and a test hook.
 *
 * Not for other modules: include "subject/subject.h" instead.
 */
#ifndef GN_SUBJECT_INT_H
#define GN_SUBJECT_INT_H

#include "subject/subject.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

struct sl_node;
struct sl_ent;

#define SL__CACHE_LINE 64

/* The sublist. Written fields sit on separate cache lines: every cache hit
 * in every thread reads <gen>; writers are rare. */
struct sublist {
    pthread_rwlock_t lock; /* guards everything below up to <gen> */
    struct sl_node *root;  /* trie root (no token) */
    struct sl_ent *ents;   /* open-addressed map sl_sub* -> position */
    size_t ent_cap;        /* slots in <ents>, a power of two */
    size_t ent_count;      /* inserted subscriptions */
    size_t num_nodes;      /* trie nodes excluding the root */
    uint64_t inserts;      /* successful sl_insert calls */
    uint64_t removes;      /* successful sl_remove calls */
    /* Bumped (release) after every modification, under the write lock. */
    _Alignas(SL__CACHE_LINE) _Atomic uint64_t gen;
    /* Counters updated by readers without the lock (relaxed). */
    _Atomic uint64_t matches;      /* sl_match computations */
    _Atomic uint64_t total_fanout; /* sum of npsubs + nqgroups */
    _Atomic uint64_t max_fanout;   /* largest npsubs + nqgroups */
};

static inline uint64_t sl__gen(const struct sublist *sl)
{
    return atomic_load_explicit(&((struct sublist *)sl)->gen, memory_order_acquire);
}

static inline uint64_t sl__rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t sl__load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint64_t sl__load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* A fast 64-bit hash of <len> bytes at <p>: 8-byte rounds (MurmurHash3
 * style multiply-rotate), a branch-light tail, and a final avalanche. Only
 * used for in-memory tables, so the byte order does not matter. */
static inline uint64_t sl__hash(const char *p, size_t len)
{
    const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)len * c2);
    size_t n = len;
    while (n >= 8) {
        uint64_t k = sl__load64(p) * c1;
        h ^= sl__rotl(k, 31) * c2;
        h = sl__rotl(h, 27) * 5 + 0x52dce729;
        p += 8;
        n -= 8;
    }
    uint64_t k = 0;
    if (n >= 4)
        k = sl__load32(p) | (sl__load32(p + n - 4) << 32);
    else if (n > 0)
        k = (uint64_t)(unsigned char)p[0] | ((uint64_t)(unsigned char)p[n >> 1] << 8) |
            ((uint64_t)(unsigned char)p[n - 1] << 16);
    h ^= sl__rotl(k * c1, 31) * c2;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Number of trie nodes (excluding the root), under the read lock. For
 * tests: it returns to 0 once every subscription is removed. */
size_t sl__node_count(struct sublist *sl);

#endif
