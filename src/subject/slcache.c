/* Per-thread match cache: literal subject -> sl_result.
 *
 * A set-associative table (up to 4 ways per set). Each slot keeps a 64-bit
 * tag (the subject hash, never 0) in a dense array so a lookup touches one
 * cache line of tags before any entry, plus an entry with its own copy of
 * the subject, the sublist it came from, the result and the generation the
 * result was computed at. An entry is current while sl_generation() is
 * unchanged; a hit allocates nothing and takes no lock. On a miss the slot
 * is refreshed in place (its buffers are reused), or a victim is chosen:
 * an empty way, else a stale one, else round-robin.
 */
#include "subject/subject.h"
#include "subject/subject_int.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define CACHE_WAYS 4

/* One cached subject. */
struct sl_centry {
    struct sublist *sl;   /* sublist the result came from */
    uint64_t gen;         /* sl's generation read before computing <res> */
    char *subj;           /* own copy of the subject */
    size_t len;           /* subject length */
    size_t subj_cap;      /* allocated bytes of <subj> */
    struct sl_result res; /* the match result */
};

struct sl_cache {
    uint64_t *tags;           /* per slot: hash | 1, or 0 when empty */
    struct sl_centry *ents;   /* per slot entry; slot = set * ways + way */
    size_t nsets;             /* number of sets */
    unsigned ways;            /* slots per set, 0 for a disabled cache */
    unsigned victim;          /* round-robin eviction cursor */
    size_t count;             /* occupied slots */
    uint64_t hits;            /* lookups answered from the cache */
    struct sl_result scratch; /* result storage when <ways> is 0 */
};

struct sl_cache *sl_cache_new(size_t max_entries)
{
    struct sl_cache *c = xcalloc(1, sizeof(*c));
    sl_result_init(&c->scratch);
    if (max_entries == 0)
        return c;
    c->ways = max_entries < CACHE_WAYS ? (unsigned)max_entries : CACHE_WAYS;
    size_t sets = max_entries / c->ways;
    if (sets > UINT32_MAX)
        sets = UINT32_MAX;
    c->nsets = sets;
    c->tags = xcalloc(sets * c->ways, sizeof(*c->tags));
    c->ents = xcalloc(sets * c->ways, sizeof(*c->ents));
    for (size_t i = 0; i < sets * c->ways; i++)
        sl_result_init(&c->ents[i].res);
    return c;
}

void sl_cache_free(struct sl_cache *c)
{
    if (c == NULL)
        return;
    size_t n = c->nsets * c->ways;
    for (size_t i = 0; i < n; i++) {
        free(c->ents[i].subj);
        sl_result_deinit(&c->ents[i].res);
    }
    free(c->tags);
    free(c->ents);
    sl_result_deinit(&c->scratch);
    free(c);
}

size_t sl_cache_count(const struct sl_cache *c)
{
    return c->count;
}

uint64_t sl_cache_hits(const struct sl_cache *c)
{
    return c->hits;
}

/* Recomputes slot <i> for <subj> (the slow path). */
static const struct sl_result *cache_fill(struct sl_cache *c, size_t i, uint64_t tag,
                                          struct sublist *sl, const char *subj, size_t len,
                                          uint64_t gen)
{
    struct sl_centry *e = &c->ents[i];
    if (c->tags[i] == 0)
        c->count++;
    if (e->subj_cap < len || e->subj == NULL) {
        free(e->subj);
        e->subj_cap = len < 32 ? 32 : len;
        e->subj = xmalloc(e->subj_cap);
    }
    memcpy(e->subj, subj, len);
    e->len = len;
    e->sl = sl;
    e->gen = gen;
    c->tags[i] = tag;
    sl_match(sl, subj, len, &e->res);
    return &e->res;
}

/* Picks the slot to overwrite in the set starting at <base>. */
static size_t cache_victim(struct sl_cache *c, size_t base, const struct sublist *sl, uint64_t gen)
{
    for (unsigned w = 0; w < c->ways; w++) {
        if (c->tags[base + w] == 0)
            return base + w;
    }
    for (unsigned w = 0; w < c->ways; w++) {
        const struct sl_centry *e = &c->ents[base + w];
        if (e->sl == sl && e->gen != gen)
            return base + w;
    }
    return base + (c->victim++ % c->ways);
}

const struct sl_result *sl_cache_match(struct sl_cache *c, struct sublist *sl, const char *subj,
                                       size_t len)
{
    /* Read the generation before matching: a change racing with the match
     * then only makes the entry look stale, never falsely current. */
    uint64_t gen = sl__gen(sl);
    if (c->ways == 0) {
        sl_match(sl, subj, len, &c->scratch);
        return &c->scratch;
    }
    uint64_t tag = sl__hash(subj, len) | 1;
    /* Multiply-shift maps the top 32 hash bits onto [0, nsets). */
    size_t base = (size_t)(((tag >> 32) * c->nsets) >> 32) * c->ways;
    for (unsigned w = 0; w < c->ways; w++) {
        if (c->tags[base + w] != tag)
            continue;
        struct sl_centry *e = &c->ents[base + w];
        if (e->len != len || e->sl != sl || memcmp(e->subj, subj, len) != 0)
            continue;
        if (e->gen != gen)
            return cache_fill(c, base + w, tag, sl, subj, len, gen);
        c->hits++; /* per thread: a shared counter would bounce between cores */
        return &e->res;
    }
    return cache_fill(c, cache_victim(c, base, sl, gen), tag, sl, subj, len, gen);
}
