/* Per-subject index shared by both backends: subject -> {msgs, first, last}.
 *
 * Subjects get small integer ids (so that each message entry stores 4 bytes,
 * not a pointer or a copy of its subject); ids live in an open-addressing
 * table hashed with XXH3. Linear probing with backward-shift deletion keeps
 * lookups short without tombstones, and a subject is freed as soon as its
 * last message goes, so memory follows the live subjects.
 */
#include "store/store_int.h"

#include <string.h>
#include <xxhash.h>

#include "util/xalloc.h"

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
