/* The two in-memory indexes shared by both backends.
 *
 * Sequence index: sequence -> struct store__ent, a deque of 256-sequence
 * chunks, each with a 256-bit live map and a dense array of the live
 * entries, so lookups are a shift, a bounds check and a popcount, appends
 * are amortised O(1), and memory follows the live messages rather than the
 * sequence span (see the picture in store_int.h). Runs of entries a backend
 * has not decoded yet (lazy runs) count as live and are materialised by the
 * first access that needs them, so opening a large file store costs no
 * per-message work.
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

/* Without -mpopcnt, __builtin_popcountll is a libgcc call with a table
 * per byte: on the hot path of every lookup, so do it inline. */
static inline uint32_t pop64(uint64_t v)
{
#ifdef __POPCNT__
    return (uint32_t)__builtin_popcountll(v);
#else
    v = v - ((v >> 1) & 0x5555555555555555ull);
    v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
    v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (uint32_t)((v * 0x0101010101010101ull) >> 56);
#endif
}

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
    x->nlazy = 0;
}

void store__seqidx_deinit(struct store__seqidx *x)
{
    store__seqidx_clear(x);
    free(x->dir);
    free(x->lazy);
    memset(x, 0, sizeof(*x));
}

void store__seqidx_set_loader(struct store__seqidx *x, store__load_cb cb, void *arg)
{
    x->load = cb;
    x->load_arg = arg;
}

void store__seqidx_lazy_add(struct store__seqidx *x, uint64_t lo, uint64_t hi, uint64_t n,
                            int64_t lo_ts, void *arg)
{
    ASSERT(lo > 0 && lo <= hi && n > 0 && n <= hi - lo + 1);
    ASSERT(x->nlazy == 0 || x->lazy[x->nlazy - 1].hi < lo);
    if (x->nlazy == x->lazycap) {
        x->lazycap = x->lazycap ? x->lazycap * 2 : 16;
        x->lazy = xrealloc(x->lazy, x->lazycap * sizeof(*x->lazy));
    }
    x->lazy[x->nlazy++] = (struct store__lazy){lo, hi, n, lo_ts, arg};
}

/* Index of the first lazy run with hi >= <seq> (nlazy if none). */
static size_t lazy_find(const struct store__seqidx *x, uint64_t seq)
{
    size_t lo = 0, hi = x->nlazy;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->lazy[mid].hi < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Materialises lazy run <i>. The index is logically const: a run is just
 * entries not decoded yet, so const accessors may load it. */
static void lazy_load(const struct store__seqidx *cx, size_t i)
{
    struct store__seqidx *x = (struct store__seqidx *)cx;
    void *arg = x->lazy[i].arg;
    memmove(&x->lazy[i], &x->lazy[i + 1], (x->nlazy - i - 1) * sizeof(*x->lazy));
    x->nlazy--;
    ASSERT(x->load != NULL);
    x->load(x->load_arg, arg);
}

/* Loads the run holding <seq>, if any. */
static void lazy_touch(const struct store__seqidx *x, uint64_t seq)
{
    if (x->nlazy == 0)
        return;
    size_t i = lazy_find(x, seq);
    if (i < x->nlazy && x->lazy[i].lo <= seq)
        lazy_load(x, i);
}

static struct store__chunk *chunk_at(const struct store__seqidx *x, uint64_t cn)
{
    if (x->n == 0 || cn < x->base || cn - x->base >= x->n)
        return NULL;
    return x->dir[x->head + (cn - x->base)];
}

/* Number of live bits strictly below bit <i>. */
static inline uint32_t rank(const struct store__chunk *c, uint32_t i)
{
    uint32_t r = c->pre[i / 64];
    if (i % 64)
        r += pop64(c->bits[i / 64] & ((1ull << (i % 64)) - 1));
    return r;
}

static void pre_update(struct store__chunk *c)
{
    uint32_t r = 0;
    for (uint32_t w = 0; w < WORDS; w++) {
        c->pre[w] = (uint8_t)r;
        r += pop64(c->bits[w]);
    }
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

static struct store__ent *loaded_get(const struct store__seqidx *x, uint64_t seq)
{
    struct store__chunk *c = chunk_at(x, seq >> STORE__CHUNK_BITS);
    uint32_t i = (uint32_t)(seq & (STORE__CHUNK_SPAN - 1));
    if (c == NULL || !bit_is_set(c, i))
        return NULL;
    return &c->ents[rank(c, i)];
}

struct store__ent *store__seqidx_get(const struct store__seqidx *x, uint64_t seq)
{
    lazy_touch(x, seq);
    return loaded_get(x, seq);
}

int64_t store__seqidx_ts(const struct store__seqidx *x, uint64_t seq)
{
    if (x->nlazy > 0) {
        size_t i = lazy_find(x, seq);
        if (i < x->nlazy && x->lazy[i].lo == seq)
            return x->lazy[i].lo_ts;
    }
    const struct store__ent *e = store__seqidx_get(x, seq);
    ASSERT(e != NULL);
    return e->ts;
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
        /* Only out-of-order adds (lazy runs loaded late): rebuild with
         * room at the front. */
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

/* Chunk in slot <sp> with room for <more> entries (allocated when empty). */
static struct store__chunk *chunk_room(struct store__chunk **sp, uint32_t more, uint32_t mincap)
{
    struct store__chunk *c = *sp;
    if (c == NULL) {
        uint32_t cap = more > mincap ? more : mincap;
        c = xmalloc(sizeof(*c) + cap * sizeof(c->ents[0]));
        memset(c, 0, sizeof(*c));
        c->cap = cap;
        *sp = c;
    } else if (c->n + more > c->cap) {
        uint32_t cap = c->cap * 2;
        while (cap < c->n + more)
            cap *= 2;
        c = xrealloc(c, sizeof(*c) + cap * sizeof(c->ents[0]));
        c->cap = cap;
        *sp = c;
    }
    return c;
}

struct store__ent *store__seqidx_add(struct store__seqidx *x, uint64_t seq)
{
    ASSERT(seq > 0);
    struct store__chunk *c = chunk_room(slot_make(x, seq >> STORE__CHUNK_BITS), 1, 4);
    uint32_t i = (uint32_t)(seq & (STORE__CHUNK_SPAN - 1));
    ASSERT(!bit_is_set(c, i));
    uint32_t pos = rank(c, i);
    memmove(&c->ents[pos + 1], &c->ents[pos], (c->n - pos) * sizeof(c->ents[0]));
    memset(&c->ents[pos], 0, sizeof(c->ents[0]));
    c->bits[i / 64] |= 1ull << (i % 64);
    for (uint32_t w = i / 64 + 1; w < WORDS; w++)
        c->pre[w]++;
    c->n++;
    x->count++;
    return &c->ents[pos];
}

void store__seqidx_put_run(struct store__seqidx *x, const uint64_t *seqs,
                           const struct store__ent *ents, size_t n)
{
    for (size_t i = 0, j; i < n; i = j) {
        uint64_t cn = seqs[i] >> STORE__CHUNK_BITS;
        for (j = i + 1; j < n && seqs[j] >> STORE__CHUNK_BITS == cn; j++)
            ;
        uint32_t k = (uint32_t)(j - i);
        struct store__chunk *c = chunk_room(slot_make(x, cn), k, k);
        uint32_t pos = rank(c, (uint32_t)(seqs[i] & (STORE__CHUNK_SPAN - 1)));
        memmove(&c->ents[pos + k], &c->ents[pos], (c->n - pos) * sizeof(c->ents[0]));
        memcpy(&c->ents[pos], &ents[i], k * sizeof(c->ents[0]));
        for (size_t q = i; q < j; q++) {
            uint32_t b = (uint32_t)(seqs[q] & (STORE__CHUNK_SPAN - 1));
            ASSERT(!bit_is_set(c, b));
            c->bits[b / 64] |= 1ull << (b % 64);
        }
        pre_update(c);
        c->n += k;
        x->count += k;
    }
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
    for (uint32_t w = i / 64 + 1; w < WORDS; w++)
        c->pre[w]--;
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

static struct store__ent *loaded_next(const struct store__seqidx *x, uint64_t seq, uint64_t *found)
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

struct store__ent *store__seqidx_next_in(const struct store__seqidx *x, uint64_t seq, uint64_t hi,
                                         uint64_t *found)
{
    for (;;) {
        struct store__ent *e = loaded_next(x, seq, found);
        size_t i = x->nlazy ? lazy_find(x, seq) : 0;
        if (i >= x->nlazy || x->lazy[i].lo > hi)
            return e != NULL && *found <= hi ? e : NULL;
        /* The run's first entry is the answer unless a materialised one
         * comes before it. */
        if (seq <= x->lazy[i].lo && e != NULL && *found < x->lazy[i].lo)
            return e;
        lazy_load(x, i);
    }
}

struct store__ent *store__seqidx_next(const struct store__seqidx *x, uint64_t seq, uint64_t *found)
{
    return store__seqidx_next_in(x, seq, UINT64_MAX, found);
}

static struct store__ent *loaded_prev(const struct store__seqidx *x, uint64_t seq, uint64_t *found)
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

struct store__ent *store__seqidx_prev(const struct store__seqidx *x, uint64_t seq, uint64_t *found)
{
    for (;;) {
        struct store__ent *e = loaded_prev(x, seq, found);
        /* The last run starting at or below seq. */
        size_t i = x->nlazy ? lazy_find(x, seq) : 0;
        if (i < x->nlazy && x->lazy[i].lo <= seq) {
            lazy_load(x, i); /* seq inside the run */
            continue;
        }
        if (i == 0)
            return e;
        i--; /* lazy[i].hi < seq */
        if (e != NULL && *found > x->lazy[i].hi)
            return e;
        lazy_load(x, i);
    }
}

uint64_t store__seqidx_count_from(const struct store__seqidx *x, uint64_t seq)
{
    uint64_t lazy = 0;
    size_t i = x->nlazy ? lazy_find(x, seq) : 0;
    if (i < x->nlazy && x->lazy[i].lo < seq)
        lazy_load(x, i); /* straddles <seq> */
    for (; i < x->nlazy; i++)
        lazy += x->lazy[i].n;
    if (x->n == 0)
        return lazy;
    uint64_t cn = seq >> STORE__CHUNK_BITS;
    if (cn < x->base)
        return x->count + lazy;
    if (cn - x->base >= x->n)
        return lazy;
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
        return x->count - below - (c ? c->n : 0) + total + lazy;
    }
    for (size_t k = at + 1; k < x->n; k++)
        total += x->dir[x->head + k] ? x->dir[x->head + k]->n : 0;
    return total + lazy;
}

void store__seqidx_gaps(const struct store__seqidx *x, uint64_t from, uint64_t to,
                        bool (*cb)(void *arg, uint64_t seq), void *arg)
{
    size_t r;
    while (x->nlazy > 0 && (r = lazy_find(x, from)) < x->nlazy && x->lazy[r].lo <= to)
        lazy_load(x, r);
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

static uint32_t tag_of(uint64_t h)
{
    return (uint32_t)(h >> 32);
}

static uint32_t find_hashed(const struct store__psi *p, const char *name, size_t len, uint64_t h)
{
    uint32_t tag = tag_of(h);
    for (uint32_t i = tag & p->tabmask;; i = (i + 1) & p->tabmask) {
        const struct store__psi_slot *sl = &p->tab[i];
        if (sl->id == 0)
            return 0;
        if (sl->tag != tag)
            continue;
        const struct store__subj *e = p->byid[sl->id];
        if (e->hash == h && e->len == len && memcmp(e->name, name, len) == 0)
            return sl->id;
    }
}

uint32_t store__psi_find(const struct store__psi *p, const char *name, size_t len)
{
    return find_hashed(p, name, len, hash_of(name, len));
}

static void tab_put(struct store__psi_slot *tab, uint32_t mask, uint32_t tag, uint32_t id)
{
    uint32_t i = tag & mask;
    while (tab[i].id != 0)
        i = (i + 1) & mask;
    tab[i] = (struct store__psi_slot){id, tag};
}

static void tab_grow(struct store__psi *p)
{
    uint32_t nmask = p->tabmask * 2 + 1;
    struct store__psi_slot *nt = xcalloc((size_t)nmask + 1, sizeof(*nt));
    for (uint32_t i = 0; i <= p->tabmask; i++)
        if (p->tab[i].id)
            tab_put(nt, nmask, p->tab[i].tag, p->tab[i].id);
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
    uint64_t h = hash_of(name, len);
    uint32_t id = find_hashed(p, name, len, h);
    if (id != 0)
        return id;
    /* Keep the load factor under 3/4. */
    if ((p->count + 1) * 4 > ((uint64_t)p->tabmask + 1) * 3)
        tab_grow(p);
    struct store__subj *e = xmalloc(sizeof(*e) + len + 1);
    e->hash = h;
    e->msgs = e->first = e->last = 0;
    e->len = (uint32_t)len;
    memcpy(e->name, name, len);
    e->name[len] = '\0';
    id = id_alloc(p);
    p->byid[id] = e;
    tab_put(p->tab, p->tabmask, tag_of(h), id);
    p->count++;
    return id;
}

void store__psi_del(struct store__psi *p, uint32_t id)
{
    struct store__subj *e = p->byid[id];
    ASSERT(e != NULL);
    uint32_t i = tag_of(e->hash) & p->tabmask;
    while (p->tab[i].id != id)
        i = (i + 1) & p->tabmask;
    /* Backward-shift: pull later members of the probe run into the hole. */
    uint32_t hole = i;
    for (uint32_t j = (i + 1) & p->tabmask; p->tab[j].id != 0; j = (j + 1) & p->tabmask) {
        uint32_t home = p->tab[j].tag & p->tabmask;
        /* Move j into hole unless its home lies cyclically in (hole, j]. */
        bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!stays) {
            p->tab[hole] = p->tab[j];
            hole = j;
        }
    }
    p->tab[hole] = (struct store__psi_slot){0, 0};
    free(e);
    p->byid[id] = NULL;
    if (p->nfree == p->freecap) {
        p->freecap = p->freecap ? p->freecap * 2 : 64;
        p->freeids = xrealloc(p->freeids, (size_t)p->freecap * sizeof(*p->freeids));
    }
    p->freeids[p->nfree++] = id;
    p->count--;
}
