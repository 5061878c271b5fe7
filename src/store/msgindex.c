/* The two in-memory indexes shared by both backends.
 *
 * Sequence index: sequence -> struct store__ent, a deque of 256-sequence
 * chunks, each with a 256-bit live map and a dense array of the live
 * entries, so lookups are a shift, a bounds check and a popcount, appends
 * are amortised O(1), and memory follows the live messages rather than the
 * sequence span (see the picture in store_int.h).
 *
 * Per-subject index: subject -> {msgs, first, last}. Subjects get small
 * integer ids (each entry stores 4 bytes, not a pointer or a copy of its
 * subject) kept in an open-addressing table hashed with XXH3; linear
 * probing with backward-shift deletion keeps lookups short without
 * tombstones, and a subject is freed with its last message.
 */
#include "store/store_int.h"
#include "util/xalloc.h"

#include <string.h>
#include <xxhash.h>

/* ---- sequence index ---- */
#include "store/store_int.h"
#include "util/xalloc.h"

#include <string.h>

#define WORDS (STORE__CHUNK_SPAN / 64)

void store__seqidx_init(struct store__seqidx *x)
{
    memset(x, 0, sizeof(*x));
}

void store__seqidx_clear(struct store__seqidx *x)
{
    for (size_t i = 0; i < x->n; i++)
        free(x->dir[x->head + i]);
    x->head = x->n = 0;
    x->base = 0;
    x->count = 0;
}

void store__seqidx_deinit(struct store__seqidx *x)
{
    store__seqidx_clear(x);
    free(x->dir);
    memset(x, 0, sizeof(*x));
}

static struct store__chunk *chunk_at(const struct store__seqidx *x, uint64_t cn)
{
    if (x->n == 0 || cn < x->base || cn - x->base >= x->n)
        return NULL;
    return x->dir[x->head + (cn - x->base)];
}

/* Number of live bits strictly below bit <i>. */
static uint32_t rank(const struct store__chunk *c, uint32_t i)
{
    uint32_t r = 0;
    for (uint32_t w = 0; w < i / 64; w++)
        r += (uint32_t)__builtin_popcountll(c->bits[w]);
    if (i % 64)
        r += (uint32_t)__builtin_popcountll(c->bits[i / 64] & ((1ull << (i % 64)) - 1));
    return r;
}

static bool bit_is_set(const struct store__chunk *c, uint32_t i)
{
    return (c->bits[i / 64] >> (i % 64)) & 1;
}

/* Lowest set bit >= <i>, or -1. */
static int bit_next(const struct store__chunk *c, uint32_t i)
{
    for (uint32_t w = i / 64; w < WORDS; w++) {
        uint64_t v = c->bits[w];
        if (w == i / 64)
            v &= ~0ull << (i % 64);
        if (v)
            return (int)(w * 64 + (uint32_t)__builtin_ctzll(v));
    }
    return -1;
}

/* Highest set bit <= <i>, or -1. */
static int bit_prev(const struct store__chunk *c, uint32_t i)
{
    for (int w = (int)(i / 64); w >= 0; w--) {
        uint64_t v = c->bits[w];
        if ((uint32_t)w == i / 64 && i % 64 != 63)
            v &= (1ull << (i % 64 + 1)) - 1;
        if (v)
            return w * 64 + 63 - __builtin_clzll(v);
    }
    return -1;
}

struct store__ent *store__seqidx_get(const struct store__seqidx *x, uint64_t seq)
{
    struct store__chunk *c = chunk_at(x, seq >> STORE__CHUNK_BITS);
    uint32_t i = (uint32_t)(seq & (STORE__CHUNK_SPAN - 1));
    if (c == NULL || !bit_is_set(c, i))
        return NULL;
    return &c->ents[rank(c, i)];
}

/* Makes room for chunk number <cn> in the window and returns its slot. */
static struct store__chunk **slot_make(struct store__seqidx *x, uint64_t cn)
{
    if (x->n == 0) {
        if (x->cap == 0) {
            x->cap = 16;
            x->dir = xcalloc(x->cap, sizeof(*x->dir));
        }
        x->head = 0;
        x->n = 1;
        x->base = cn;
        x->dir[0] = NULL;
        return &x->dir[0];
    }
    if (cn < x->base) {
        /* Rare (only out-of-order adds): rebuild with room at the front. */
        size_t extra = (size_t)(x->base - cn);
        size_t ncap = x->n + extra + 16;
        struct store__chunk **nd = xcalloc(ncap, sizeof(*nd));
        memcpy(nd + extra, x->dir + x->head, x->n * sizeof(*nd));
        free(x->dir);
        x->dir = nd;
        x->cap = ncap;
        x->head = 0;
        x->n += extra;
        x->base = cn;
        return &x->dir[0];
    }
    uint64_t off = cn - x->base;
    if (off >= x->n) {
        size_t need = (size_t)off + 1;
        if (x->head + need > x->cap) {
            if (x->head > 0) {
                memmove(x->dir, x->dir + x->head, x->n * sizeof(*x->dir));
                x->head = 0;
            }
            if (need > x->cap) {
                size_t ncap = x->cap * 2;
                while (ncap < need)
                    ncap *= 2;
                x->dir = xrealloc(x->dir, ncap * sizeof(*x->dir));
                x->cap = ncap;
            }
        }
        for (size_t i = x->n; i < need; i++)
            x->dir[x->head + i] = NULL;
        x->n = need;
    }
    return &x->dir[x->head + off];
}

struct store__ent *store__seqidx_add(struct store__seqidx *x, uint64_t seq)
{
    ASSERT(seq > 0);
    struct store__chunk **sp = slot_make(x, seq >> STORE__CHUNK_BITS);
    struct store__chunk *c = *sp;
    uint32_t i = (uint32_t)(seq & (STORE__CHUNK_SPAN - 1));
    if (c == NULL) {
        c = xcalloc(1, sizeof(*c) + 4 * sizeof(c->ents[0]));
        c->cap = 4;
        *sp = c;
    }
    ASSERT(!bit_is_set(c, i));
    if (c->n == c->cap) {
        c->cap *= 2;
        c = xrealloc(c, sizeof(*c) + c->cap * sizeof(c->ents[0]));
        *sp = c;
    }
    uint32_t pos = rank(c, i);
    memmove(&c->ents[pos + 1], &c->ents[pos], (c->n - pos) * sizeof(c->ents[0]));
    memset(&c->ents[pos], 0, sizeof(c->ents[0]));
    c->bits[i / 64] |= 1ull << (i % 64);
    c->n++;
    x->count++;
    return &c->ents[pos];
}

/* Drops NULL slots at both ends of the window. */
static void trim(struct store__seqidx *x)
{
    while (x->n > 0 && x->dir[x->head] == NULL) {
        x->head++;
        x->n--;
        x->base++;
    }
    while (x->n > 0 && x->dir[x->head + x->n - 1] == NULL)
        x->n--;
    if (x->n == 0)
        x->head = 0;
}

void store__seqidx_del(struct store__seqidx *x, uint64_t seq)
{
    uint64_t cn = seq >> STORE__CHUNK_BITS;
    struct store__chunk *c = chunk_at(x, cn);
    uint32_t i = (uint32_t)(seq & (STORE__CHUNK_SPAN - 1));
    ASSERT(c != NULL && bit_is_set(c, i));
    uint32_t pos = rank(c, i);
    memmove(&c->ents[pos], &c->ents[pos + 1], (c->n - pos - 1) * sizeof(c->ents[0]));
    c->bits[i / 64] &= ~(1ull << (i % 64));
    c->n--;
    x->count--;
    struct store__chunk **sp = &x->dir[x->head + (cn - x->base)];
    if (c->n == 0) {
        free(c);
        *sp = NULL;
        trim(x);
    } else if (c->cap > 8 && c->n <= c->cap / 4) {
        c->cap /= 2;
        *sp = xrealloc(c, sizeof(*c) + c->cap * sizeof(c->ents[0]));
    }
}

struct store__ent *store__seqidx_next(const struct store__seqidx *x, uint64_t seq, uint64_t *found)
{
    if (x->n == 0)
        return NULL;
    uint64_t cn = seq >> STORE__CHUNK_BITS;
    uint32_t i = (uint32_t)(seq & (STORE__CHUNK_SPAN - 1));
    if (cn < x->base) {
        cn = x->base;
        i = 0;
    }
    for (; cn - x->base < x->n; cn++, i = 0) {
        struct store__chunk *c = x->dir[x->head + (cn - x->base)];
        if (c == NULL)
            continue;
        int b = bit_next(c, i);
        if (b >= 0) {
            *found = (cn << STORE__CHUNK_BITS) | (uint64_t)b;
            return &c->ents[rank(c, (uint32_t)b)];
        }
    }
    return NULL;
}

struct store__ent *store__seqidx_prev(const struct store__seqidx *x, uint64_t seq, uint64_t *found)
{
    if (x->n == 0)
        return NULL;
    uint64_t cn = seq >> STORE__CHUNK_BITS;
    uint32_t i = (uint32_t)(seq & (STORE__CHUNK_SPAN - 1));
    if (cn < x->base)
        return NULL;
    if (cn - x->base >= x->n) {
        cn = x->base + x->n - 1;
        i = STORE__CHUNK_SPAN - 1;
    }
    for (;; i = STORE__CHUNK_SPAN - 1) {
        struct store__chunk *c = x->dir[x->head + (cn - x->base)];
        int b = c ? bit_prev(c, i) : -1;
        if (b >= 0) {
            *found = (cn << STORE__CHUNK_BITS) | (uint64_t)b;
            return &c->ents[rank(c, (uint32_t)b)];
        }
        if (cn == x->base)
            return NULL;
        cn--;
    }
}

uint64_t store__seqidx_count_from(const struct store__seqidx *x, uint64_t seq)
{
    if (x->n == 0)
        return 0;
    uint64_t cn = seq >> STORE__CHUNK_BITS;
    if (cn < x->base)
        return x->count;
    if (cn - x->base >= x->n)
        return 0;
    uint64_t total = 0;
    struct store__chunk *c = x->dir[x->head + (cn - x->base)];
    if (c)
        total += c->n - rank(c, (uint32_t)(seq & (STORE__CHUNK_SPAN - 1)));
    /* Walk whichever side of the window is shorter. */
    size_t at = (size_t)(cn - x->base);
    if (at < x->n / 2) {
        uint64_t below = 0;
        for (size_t k = 0; k < at; k++)
            below += x->dir[x->head + k] ? x->dir[x->head + k]->n : 0;
        return x->count - below - (c ? c->n : 0) + total;
    }
    for (size_t k = at + 1; k < x->n; k++)
        total += x->dir[x->head + k] ? x->dir[x->head + k]->n : 0;
    return total;
}

void store__seqidx_gaps(const struct store__seqidx *x, uint64_t from, uint64_t to,
                        bool (*cb)(void *arg, uint64_t seq), void *arg)
{
    for (uint64_t seq = from; seq <= to && seq != 0;) {
        struct store__chunk *c = chunk_at(x, seq >> STORE__CHUNK_BITS);
        uint32_t i = (uint32_t)(seq & (STORE__CHUNK_SPAN - 1));
        if (c == NULL || !bit_is_set(c, i)) {
            if (!cb(arg, seq))
                return;
        }
        seq++;
    }
}

/* ---- per-subject index ---- */
#include "store/store_int.h"
#include "util/xalloc.h"

#include <string.h>
#include <xxhash.h>

void store__psi_init(struct store__psi *p)
{
    memset(p, 0, sizeof(*p));
    p->nid = 1; /* id 0 is "none" */
    p->tabmask = 63;
    p->tab = xcalloc(p->tabmask + 1, sizeof(*p->tab));
}

void store__psi_clear(struct store__psi *p)
{
    for (uint32_t id = 1; id < p->nid; id++)
        free(p->byid[id]);
    memset(p->tab, 0, (size_t)(p->tabmask + 1) * sizeof(*p->tab));
    p->nid = 1;
    p->nfree = 0;
    p->count = 0;
    if (p->byid)
        memset(p->byid, 0, (size_t)p->idcap * sizeof(*p->byid));
}

void store__psi_deinit(struct store__psi *p)
{
    store__psi_clear(p);
    free(p->byid);
    free(p->freeids);
    free(p->tab);
    memset(p, 0, sizeof(*p));
}

static uint64_t hash_of(const char *name, size_t len)
{
    return XXH3_64bits(name, len);
}

uint32_t store__psi_find(const struct store__psi *p, const char *name, size_t len)
{
    uint64_t h = hash_of(name, len);
    for (uint32_t i = (uint32_t)h & p->tabmask;; i = (i + 1) & p->tabmask) {
        uint32_t id = p->tab[i];
        if (id == 0)
            return 0;
        const struct store__subj *e = p->byid[id];
        if (e->hash == h && e->len == len && memcmp(e->name, name, len) == 0)
            return id;
    }
}

static void tab_put(uint32_t *tab, uint32_t mask, uint64_t h, uint32_t id)
{
    uint32_t i = (uint32_t)h & mask;
    while (tab[i] != 0)
        i = (i + 1) & mask;
    tab[i] = id;
}

static void tab_grow(struct store__psi *p)
{
    uint32_t nmask = p->tabmask * 2 + 1;
    uint32_t *nt = xcalloc((size_t)nmask + 1, sizeof(*nt));
    for (uint32_t i = 0; i <= p->tabmask; i++)
        if (p->tab[i])
            tab_put(nt, nmask, p->byid[p->tab[i]]->hash, p->tab[i]);
    free(p->tab);
    p->tab = nt;
    p->tabmask = nmask;
}

static uint32_t id_alloc(struct store__psi *p)
{
    if (p->nfree > 0)
        return p->freeids[--p->nfree];
    if (p->nid >= p->idcap) {
        uint32_t ncap = p->idcap ? p->idcap * 2 : 64;
        p->byid = xrealloc(p->byid, (size_t)ncap * sizeof(*p->byid));
        memset(p->byid + p->idcap, 0, (size_t)(ncap - p->idcap) * sizeof(*p->byid));
        p->idcap = ncap;
    }
    ASSERT(p->nid < UINT32_MAX);
    return p->nid++;
}

uint32_t store__psi_add(struct store__psi *p, const char *name, size_t len)
{
    uint32_t id = store__psi_find(p, name, len);
    if (id != 0)
        return id;
    /* Keep the load factor under 3/4. */
    if ((p->count + 1) * 4 > ((uint64_t)p->tabmask + 1) * 3)
        tab_grow(p);
    struct store__subj *e = xmalloc(sizeof(*e) + len + 1);
    e->hash = hash_of(name, len);
    e->msgs = e->first = e->last = 0;
    e->len = (uint32_t)len;
    memcpy(e->name, name, len);
    e->name[len] = '\0';
    id = id_alloc(p);
    p->byid[id] = e;
    tab_put(p->tab, p->tabmask, e->hash, id);
    p->count++;
    return id;
}

void store__psi_del(struct store__psi *p, uint32_t id)
{
    struct store__subj *e = p->byid[id];
    ASSERT(e != NULL);
    uint32_t i = (uint32_t)e->hash & p->tabmask;
    while (p->tab[i] != id)
        i = (i + 1) & p->tabmask;
    /* Backward-shift: pull later members of the probe run into the hole. */
    uint32_t hole = i;
    for (uint32_t j = (i + 1) & p->tabmask; p->tab[j] != 0; j = (j + 1) & p->tabmask) {
        uint32_t home = (uint32_t)p->byid[p->tab[j]]->hash & p->tabmask;
        /* Move j into hole unless its home lies cyclically in (hole, j]. */
        bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!stays) {
            p->tab[hole] = p->tab[j];
            hole = j;
        }
    }
    p->tab[hole] = 0;
    free(e);
    p->byid[id] = NULL;
    if (p->nfree == p->freecap) {
        p->freecap = p->freecap ? p->freecap * 2 : 64;
        p->freeids = xrealloc(p->freeids, (size_t)p->freecap * sizeof(*p->freeids));
    }
    p->freeids[p->nfree++] = id;
    p->count--;
}
