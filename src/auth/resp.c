/* allow_responses: the reply subjects a connection may publish to once.
 *
 * A chained hash table of reply subjects plus an age list in insertion
 * order (a renewed reply moves to the tail), so expired entries are pruned
 * from the head and, past PERM_RESP_MAX_ENTRIES, the oldest is evicted.
 * Additions come from whichever thread delivers to the connection and
 * takes from the connection's own thread, hence the mutex; it is taken only
 * for connections whose permissions have allow_responses.
 */
#include "auth/auth.h"
#include "auth/auth_int.h"
#include "util/list.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <string.h>

#define MIN_BUCKETS 64

struct resp_entry {
    struct resp_entry *hnext; /* next entry in the same bucket */
    struct list_node age;     /* position in perm_resp.ages */
    uint64_t hash;            /* auth__hash(subj) */
    int64_t added_ns;         /* when the reply was (last) delivered */
    int64_t used;             /* responses published so far */
    size_t len;               /* subject length */
    char subj[];              /* the reply subject (not NUL-terminated) */
};

struct perm_resp {
    pthread_mutex_t mu;          /* guards everything below */
    int64_t max;                 /* responses per reply; <= 0 = unlimited */
    int64_t ttl_ns;              /* lifetime of a reply; <= 0 = forever */
    struct resp_entry **buckets; /* nbuckets chains, allocated on first add */
    size_t nbuckets;             /* a power of two */
    size_t count;                /* entries in the table */
    struct list_node ages;       /* oldest first */
};

struct perm_resp *perm_resp_new(const struct perm *p)
{
    if (!perm_allows_responses(p))
        return NULL;
    struct perm_resp *r = xcalloc(1, sizeof(*r));
    pthread_mutex_init(&r->mu, NULL);
    r->max = p->resp_max;
    r->ttl_ns = p->resp_expires_ns;
    list_init(&r->ages);
    return r;
}

void perm_resp_free(struct perm_resp *r)
{
    if (r == NULL)
        return;
    while (!list_is_empty(&r->ages)) {
        struct resp_entry *e = LIST_ENTRY(r->ages.next, struct resp_entry, age);
        list_remove(&e->age);
        free(e);
    }
    free(r->buckets);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

size_t perm_resp_count(struct perm_resp *r)
{
    if (r == NULL)
        return 0;
    pthread_mutex_lock(&r->mu);
    size_t n = r->count;
    pthread_mutex_unlock(&r->mu);
    return n;
}

/* Returns the address of the link that points at the entry for <subj> (or
 * at the NULL ending its chain). Lock held. */
static struct resp_entry **find_link(struct perm_resp *r, uint64_t h, const char *subj, size_t len)
{
    struct resp_entry **link = &r->buckets[h & (r->nbuckets - 1)];
    while (*link != NULL) {
        struct resp_entry *e = *link;
        if (e->hash == h && e->len == len && memcmp(e->subj, subj, len) == 0)
            break;
        link = &e->hnext;
    }
    return link;
}

/* Unlinks and frees <e>. Lock held. */
static void entry_drop(struct perm_resp *r, struct resp_entry *e)
{
    struct resp_entry **link = find_link(r, e->hash, e->subj, e->len);
    *link = e->hnext;
    list_remove(&e->age);
    free(e);
    r->count--;
}

static bool entry_expired(const struct perm_resp *r, const struct resp_entry *e, int64_t now_ns)
{
    return r->ttl_ns > 0 && now_ns - e->added_ns > r->ttl_ns;
}

/* Doubles the table while it is more than twice as full as it is wide
 * (bounded by PERM_RESP_MAX_ENTRIES). Lock held. */
static void maybe_grow(struct perm_resp *r)
{
    if (r->count <= 2 * r->nbuckets || r->nbuckets >= PERM_RESP_MAX_ENTRIES / 2)
        return;
    size_t n = r->nbuckets * 2;
    struct resp_entry **b = xcalloc(n, sizeof(*b));
    for (size_t i = 0; i < r->nbuckets; i++) {
        struct resp_entry *e = r->buckets[i];
        while (e != NULL) {
            struct resp_entry *next = e->hnext;
            e->hnext = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(r->buckets);
    r->buckets = b;
    r->nbuckets = n;
}

/* Drops expired entries from the old end, then the oldest ones while the
 * table is over its bound. Lock held. */
static void prune(struct perm_resp *r, int64_t now_ns)
{
    while (!list_is_empty(&r->ages)) {
        struct resp_entry *e = LIST_ENTRY(r->ages.next, struct resp_entry, age);
        if (r->count <= PERM_RESP_MAX_ENTRIES && !entry_expired(r, e, now_ns))
            break;
        entry_drop(r, e);
    }
}

void perm_resp_add(struct perm_resp *r, const char *reply, size_t len, int64_t now_ns)
{
    if (r == NULL || len == 0)
        return;
    uint64_t h = auth__hash(reply, len);

    pthread_mutex_lock(&r->mu);
    if (r->buckets == NULL) {
        r->nbuckets = MIN_BUCKETS;
        r->buckets = xcalloc(r->nbuckets, sizeof(*r->buckets));
    }
    struct resp_entry **link = find_link(r, h, reply, len);
    struct resp_entry *e = *link;
    if (e != NULL) {
        /* Delivered again (a retried request): a fresh allowance, as in
         * nats-server, which replaces the entry. */
        list_remove(&e->age);
    } else {
        e = xmalloc(sizeof(*e) + len);
        e->hnext = NULL;
        e->hash = h;
        e->len = len;
        memcpy(e->subj, reply, len);
        *link = e;
        r->count++;
    }
    e->added_ns = now_ns;
    e->used = 0;
    list_insert_tail(&r->ages, &e->age);
    prune(r, now_ns);
    maybe_grow(r);
    pthread_mutex_unlock(&r->mu);
}

bool perm_resp_take(struct perm_resp *r, const char *subj, size_t len, int64_t now_ns)
{
    struct resp_entry *e;
    bool ok = false;

    if (r == NULL || len == 0)
        return false;
    uint64_t h = auth__hash(subj, len);

    pthread_mutex_lock(&r->mu);
    if (r->buckets == NULL)
        goto out;
    e = *find_link(r, h, subj, len);
    if (e == NULL)
        goto out;
    if (entry_expired(r, e, now_ns)) {
        entry_drop(r, e);
        goto out;
    }
    ok = true;
    e->used++;
    if (r->max > 0 && e->used >= r->max)
        entry_drop(r, e); /* that was the last allowed response */
out:
    pthread_mutex_unlock(&r->mu);
    return ok;
}
