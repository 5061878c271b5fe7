/* The sublist: a token trie of subscription filters.
 *
 *   root ── "foo" ── "bar"        psubs/qgroups of "foo.bar"
 *     │       ├── pwc ("*")       ... of "foo.*"
 *     │       └── fwc (">")       ... of "foo.>"
 *     └── pwc ── "baz"            ... of "*.baz"
 *
 * Each node keeps its literal children in a small open-addressed table
 * (keyed by token hash), its '*' and '>' children in two pointers, and the
 * subscriptions whose filter ends there: plain ones in an array, queue ones
 * in one array per queue name. A side map sl_sub* -> (node, group, index)
 * makes removal O(1) and catches double inserts. A match walks the literal
 * branch and every '*' branch level by level, and collects each '>' child it
 * passes; every node is reached at most once per subject, so each
 * subscription appears at most once in a result.
 */
#include "subject/subject.h"
#include "subject/subject_int.h"
#include "util/err.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Subscriptions of one queue group on one node. */
struct sl_qgroup {
    struct sl_sub **subs; /* members, unordered */
    size_t n, cap;        /* used and allocated entries of <subs> */
    size_t name_len;      /* length of <name> */
    char name[];          /* own copy of the queue name (not NUL-terminated) */
};

/* One trie node = one token position of one or more filters. */
struct sl_node {
    struct sl_node *parent;     /* NULL for the root */
    struct sl_node **kids;      /* literal children, open-addressed, <kcap> slots */
    size_t nkids, kcap;         /* used slots, table size (0 or a power of two) */
    struct sl_node *pwc;        /* child for a "*" token, or NULL */
    struct sl_node *fwc;        /* child for a ">" token, or NULL */
    struct sl_sub **psubs;      /* plain subscriptions ending here */
    size_t npsubs, cap_p;       /* used and allocated entries of <psubs> */
    struct sl_qgroup **qgroups; /* queue groups ending here, unordered */
    size_t nqgroups, cap_g;     /* used and allocated entries of <qgroups> */
    uint64_t hash;              /* sl__hash of <token> (literal children only) */
    size_t token_len;           /* length of <token> */
    char token[];               /* the token this node stands for */
};

/* Where an inserted subscription lives; slot of sublist.ents. */
struct sl_ent {
    struct sl_sub *sub;    /* NULL for an empty slot */
    struct sl_node *node;  /* node holding it */
    struct sl_qgroup *grp; /* its queue group, or NULL for a plain sub */
    size_t idx;            /* index in node->psubs or grp->subs */
};

/* Scratch of one match: the queue groups met, merged by name at the end. */
struct match_ctx {
    const char *subj;        /* the subject */
    size_t len;              /* its length */
    struct sl_result *out;   /* result being filled */
    struct sl_qgroup **grps; /* queue groups met, in walk order */
    size_t ngrps, cap_grps;  /* used and allocated entries of <grps> */
};

#define MATCH_STACK_GROUPS 32

/* ---- growth helpers ---- */

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t nc = *cap ? *cap * 2 : 4;
    while (nc < need)
        nc *= 2;
    *cap = nc;
    return xrealloc(p, nc * elem);
}

/* ---- sl_result ---- */

void sl_result_init(struct sl_result *r)
{
    memset(r, 0, sizeof(*r));
}

void sl_result_deinit(struct sl_result *r)
{
    free(r->psubs);
    free(r->qsubs);
    free(r->qstart);
    sl_result_init(r);
}

void sl_result_clear(struct sl_result *r)
{
    r->npsubs = 0;
    r->nqsubs = 0;
    r->nqgroups = 0;
}

static void result_add_plain(struct sl_result *r, struct sl_sub *const *subs, size_t n)
{
    if (n == 0)
        return;
    r->psubs = grow(r->psubs, &r->cap_p, r->npsubs + n, sizeof(*r->psubs));
    memcpy(r->psubs + r->npsubs, subs, n * sizeof(*subs));
    r->npsubs += n;
}

/* Starts a new queue group in <r>; members follow with result_add_queue. */
static void result_open_group(struct sl_result *r)
{
    r->qstart = grow(r->qstart, &r->cap_g, r->nqgroups + 2, sizeof(*r->qstart));
    r->qstart[r->nqgroups] = r->nqsubs;
    r->nqgroups++;
    r->qstart[r->nqgroups] = r->nqsubs;
}

static void result_add_queue(struct sl_result *r, struct sl_sub *const *subs, size_t n)
{
    r->qsubs = grow(r->qsubs, &r->cap_q, r->nqsubs + n, sizeof(*r->qsubs));
    memcpy(r->qsubs + r->nqsubs, subs, n * sizeof(*subs));
    r->nqsubs += n;
    r->qstart[r->nqgroups] = r->nqsubs;
}

/* ---- literal children table ---- */

static struct sl_node *kid_find(const struct sl_node *n, const char *t, size_t tl, uint64_t h)
{
    size_t mask = n->kcap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct sl_node *k = n->kids[i];
        if (k == NULL)
            return NULL;
        if (k->hash == h && k->token_len == tl && memcmp(k->token, t, tl) == 0)
            return k;
    }
}

static void kid_place(struct sl_node **kids, size_t cap, struct sl_node *k)
{
    size_t mask = cap - 1, i = k->hash & mask;
    while (kids[i] != NULL)
        i = (i + 1) & mask;
    kids[i] = k;
}

/* Resizes <n>'s table to <cap> slots (0 frees it). */
static void kids_rehash(struct sl_node *n, size_t cap)
{
    struct sl_node **nk = cap ? xcalloc(cap, sizeof(*nk)) : NULL;
    for (size_t i = 0; i < n->kcap; i++) {
        if (n->kids[i] != NULL)
            kid_place(nk, cap, n->kids[i]);
    }
    free(n->kids);
    n->kids = nk;
    n->kcap = cap;
}

static void kid_add(struct sl_node *n, struct sl_node *k)
{
    if ((n->nkids + 1) * 2 > n->kcap)
        kids_rehash(n, n->kcap ? n->kcap * 2 : 4);
    kid_place(n->kids, n->kcap, k);
    n->nkids++;
}

/* Removes <k> by backward-shift deletion, so no tombstones are needed. */
static void kid_del(struct sl_node *n, struct sl_node *k)
{
    size_t mask = n->kcap - 1, i = k->hash & mask;
    while (n->kids[i] != k)
        i = (i + 1) & mask;
    for (size_t j = (i + 1) & mask; n->kids[j] != NULL; j = (j + 1) & mask) {
        size_t home = n->kids[j]->hash & mask;
        /* Leave kids[j] alone if its home lies cyclically in (i, j]. */
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            n->kids[i] = n->kids[j];
            i = j;
        }
    }
    n->kids[i] = NULL;
    n->nkids--;
    if (n->nkids == 0)
        kids_rehash(n, 0);
    else if (n->kcap > 16 && n->nkids * 8 < n->kcap)
        kids_rehash(n, n->kcap / 2);
}

/* ---- nodes ---- */

static struct sl_node *node_new(struct sublist *sl, struct sl_node *parent, const char *t,
                                size_t tl)
{
    struct sl_node *n = xcalloc(1, sizeof(*n) + tl);
    n->parent = parent;
    memcpy(n->token, t, tl);
    n->token_len = tl;
    n->hash = sl__hash(t, tl);
    sl->num_nodes++;
    return n;
}

static void node_free(struct sl_node *n)
{
    for (size_t i = 0; i < n->nqgroups; i++) {
        free(n->qgroups[i]->subs);
        free(n->qgroups[i]);
    }
    free(n->qgroups);
    free(n->psubs);
    free(n->kids);
    free(n);
}

static void node_free_tree(struct sl_node *n)
{
    for (size_t i = 0; i < n->kcap; i++) {
        if (n->kids[i] != NULL)
            node_free_tree(n->kids[i]);
    }
    if (n->pwc != NULL)
        node_free_tree(n->pwc);
    if (n->fwc != NULL)
        node_free_tree(n->fwc);
    node_free(n);
}

static bool node_is_empty(const struct sl_node *n)
{
    return n->nkids == 0 && n->pwc == NULL && n->fwc == NULL && n->npsubs == 0 && n->nqgroups == 0;
}

/* Returns <n>'s child for token <t>, creating it if needed. */
static struct sl_node *node_child(struct sublist *sl, struct sl_node *n, const char *t, size_t tl)
{
    if (tl == 1 && (t[0] == '*' || t[0] == '>')) {
        struct sl_node **slot = t[0] == '*' ? &n->pwc : &n->fwc;
        if (*slot == NULL)
            *slot = node_new(sl, n, t, tl);
        return *slot;
    }
    uint64_t h = sl__hash(t, tl);
    struct sl_node *k = n->nkids ? kid_find(n, t, tl, h) : NULL;
    if (k == NULL) {
        k = node_new(sl, n, t, tl);
        kid_add(n, k);
    }
    return k;
}

/* Frees empty nodes from <n> up towards the root. */
static void node_prune(struct sublist *sl, struct sl_node *n)
{
    while (n->parent != NULL && node_is_empty(n)) {
        struct sl_node *p = n->parent;
        if (p->pwc == n)
            p->pwc = NULL;
        else if (p->fwc == n)
            p->fwc = NULL;
        else
            kid_del(p, n);
        node_free(n);
        sl->num_nodes--;
        n = p;
    }
}

static struct sl_qgroup *node_group(struct sl_node *n, const char *q, size_t ql)
{
    for (size_t i = 0; i < n->nqgroups; i++) {
        struct sl_qgroup *g = n->qgroups[i];
        if (g->name_len == ql && memcmp(g->name, q, ql) == 0)
            return g;
    }
    struct sl_qgroup *g = xcalloc(1, sizeof(*g) + ql);
    memcpy(g->name, q, ql);
    g->name_len = ql;
    n->qgroups = grow(n->qgroups, &n->cap_g, n->nqgroups + 1, sizeof(*n->qgroups));
    n->qgroups[n->nqgroups++] = g;
    return g;
}

static void node_group_drop(struct sl_node *n, struct sl_qgroup *g)
{
    for (size_t i = 0; i < n->nqgroups; i++) {
        if (n->qgroups[i] == g) {
            n->qgroups[i] = n->qgroups[--n->nqgroups];
            break;
        }
    }
    free(g->subs);
    free(g);
}

/* ---- subscription map ---- */

static size_t ent_home(const struct sublist *sl, const struct sl_sub *sub)
{
    uint64_t x = (uint64_t)(uintptr_t)sub;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 32;
    return (size_t)x & (sl->ent_cap - 1);
}

static struct sl_ent *ent_find(struct sublist *sl, const struct sl_sub *sub)
{
    if (sl->ent_count == 0)
        return NULL;
    size_t mask = sl->ent_cap - 1;
    for (size_t i = ent_home(sl, sub);; i = (i + 1) & mask) {
        if (sl->ents[i].sub == sub)
            return &sl->ents[i];
        if (sl->ents[i].sub == NULL)
            return NULL;
    }
}

static void ent_place(struct sublist *sl, const struct sl_ent *e)
{
    size_t mask = sl->ent_cap - 1, i = ent_home(sl, e->sub);
    while (sl->ents[i].sub != NULL)
        i = (i + 1) & mask;
    sl->ents[i] = *e;
}

static void ent_add(struct sublist *sl, const struct sl_ent *e)
{
    if ((sl->ent_count + 1) * 2 > sl->ent_cap) {
        struct sl_ent *old = sl->ents;
        size_t ocap = sl->ent_cap;
        sl->ent_cap = ocap ? ocap * 2 : 64;
        sl->ents = xcalloc(sl->ent_cap, sizeof(*sl->ents));
        for (size_t i = 0; i < ocap; i++) {
            if (old[i].sub != NULL)
                ent_place(sl, &old[i]);
        }
        free(old);
    }
    ent_place(sl, e);
    sl->ent_count++;
}

static void ent_del(struct sublist *sl, struct sl_ent *e)
{
    size_t mask = sl->ent_cap - 1, i = (size_t)(e - sl->ents);
    for (size_t j = (i + 1) & mask; sl->ents[j].sub != NULL; j = (j + 1) & mask) {
        size_t home = ent_home(sl, sl->ents[j].sub);
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            sl->ents[i] = sl->ents[j];
            i = j;
        }
    }
    sl->ents[i].sub = NULL;
    sl->ent_count--;
}

/* ---- lifecycle ---- */

static _Atomic uint64_t gen_base;

struct sublist *sl_new(void)
{
    struct sublist *sl = aligned_alloc(SL__CACHE_LINE, sizeof(*sl));
    ASSERT(sl != NULL);
    memset(sl, 0, sizeof(*sl));
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
#ifdef __GLIBC__
    /* Publishers read constantly; without this a subscribe could starve. */
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    ASSERT(pthread_rwlock_init(&sl->lock, &attr) == 0);
    pthread_rwlockattr_destroy(&attr);
    sl->root = xcalloc(1, sizeof(*sl->root));
    /* Distinct generation ranges per sublist, so a cache entry of a freed
     * sublist can never look current for a new one at the same address. */
    uint64_t base = atomic_fetch_add_explicit(&gen_base, 1, memory_order_relaxed) + 1;
    atomic_init(&sl->gen, base << 32);
    atomic_init(&sl->matches, 0);
    atomic_init(&sl->total_fanout, 0);
    atomic_init(&sl->max_fanout, 0);
    return sl;
}

void sl_free(struct sublist *sl)
{
    if (sl == NULL)
        return;
    node_free_tree(sl->root);
    free(sl->ents);
    pthread_rwlock_destroy(&sl->lock);
    free(sl);
}

/* ---- insert / remove ---- */

int sl_insert(struct sublist *sl, struct sl_sub *sub)
{
    if (!subj_is_valid_filter(sub->subject, sub->subject_len))
        return ERR_INVAL;
    if (sub->queue != NULL && !subj_is_valid_queue(sub->queue, sub->queue_len))
        return ERR_INVAL;

    pthread_rwlock_wrlock(&sl->lock);
    if (ent_find(sl, sub) != NULL) {
        pthread_rwlock_unlock(&sl->lock);
        return ERR_EXISTS;
    }
    struct sl_node *n = sl->root;
    const char *s = sub->subject, *end = s + sub->subject_len;
    for (;;) {
        const char *dot = memchr(s, '.', (size_t)(end - s));
        const char *te = dot ? dot : end;
        n = node_child(sl, n, s, (size_t)(te - s));
        if (dot == NULL)
            break;
        s = dot + 1;
    }
    struct sl_ent e = {.sub = sub, .node = n};
    if (sub->queue != NULL) {
        e.grp = node_group(n, sub->queue, sub->queue_len);
        e.idx = e.grp->n;
        e.grp->subs = grow(e.grp->subs, &e.grp->cap, e.grp->n + 1, sizeof(*e.grp->subs));
        e.grp->subs[e.grp->n++] = sub;
    } else {
        e.idx = n->npsubs;
        n->psubs = grow(n->psubs, &n->cap_p, n->npsubs + 1, sizeof(*n->psubs));
        n->psubs[n->npsubs++] = sub;
    }
    ent_add(sl, &e);
    sl->inserts++;
    atomic_fetch_add_explicit(&sl->gen, 1, memory_order_release);
    pthread_rwlock_unlock(&sl->lock);
    return 0;
}

/* Swap-removes index <idx> of <arr> (length *<n>) and fixes the side map
 * entry of the subscription moved into its place. */
static void swap_remove(struct sublist *sl, struct sl_sub **arr, size_t *n, size_t idx)
{
    size_t last = --*n;
    if (idx != last) {
        arr[idx] = arr[last];
        struct sl_ent *moved = ent_find(sl, arr[idx]);
        ASSERT(moved != NULL);
        moved->idx = idx;
    }
}

int sl_remove(struct sublist *sl, struct sl_sub *sub)
{
    pthread_rwlock_wrlock(&sl->lock);
    struct sl_ent *e = ent_find(sl, sub);
    if (e == NULL) {
        pthread_rwlock_unlock(&sl->lock);
        return ERR_NOTFOUND;
    }
    struct sl_node *n = e->node;
    struct sl_qgroup *g = e->grp;
    if (g != NULL) {
        ASSERT(e->idx < g->n && g->subs[e->idx] == sub);
        swap_remove(sl, g->subs, &g->n, e->idx);
        if (g->n == 0)
            node_group_drop(n, g);
    } else {
        ASSERT(e->idx < n->npsubs && n->psubs[e->idx] == sub);
        swap_remove(sl, n->psubs, &n->npsubs, e->idx);
    }
    ent_del(sl, e);
    node_prune(sl, n);
    sl->removes++;
    atomic_fetch_add_explicit(&sl->gen, 1, memory_order_release);
    pthread_rwlock_unlock(&sl->lock);
    return 0;
}

/* ---- match ---- */

static void match_collect(struct match_ctx *m, const struct sl_node *n)
{
    result_add_plain(m->out, n->psubs, n->npsubs);
    if (n->nqgroups == 0)
        return;
    if (m->ngrps + n->nqgroups > m->cap_grps) {
        size_t nc = (m->ngrps + n->nqgroups) * 2;
        struct sl_qgroup **ng = xmalloc(nc * sizeof(*ng));
        memcpy(ng, m->grps, m->ngrps * sizeof(*ng));
        if (m->cap_grps > MATCH_STACK_GROUPS)
            free(m->grps);
        m->grps = ng;
        m->cap_grps = nc;
    }
    memcpy(m->grps + m->ngrps, n->qgroups, n->nqgroups * sizeof(*n->qgroups));
    m->ngrps += n->nqgroups;
}

/* Matches the tokens from <pos> on against the children of <n>. Recurses
 * only into '*' branches; the literal branch is followed iteratively. */
static void match_walk(struct match_ctx *m, const struct sl_node *n, size_t pos)
{
    for (;;) {
        const char *t = m->subj + pos;
        const char *dot = memchr(t, '.', m->len - pos);
        size_t tl = dot ? (size_t)(dot - t) : m->len - pos;
        if (n->fwc != NULL)
            match_collect(m, n->fwc);
        if (n->pwc != NULL) {
            if (dot == NULL)
                match_collect(m, n->pwc);
            else
                match_walk(m, n->pwc, pos + tl + 1);
        }
        if (n->nkids == 0)
            return;
        const struct sl_node *k = kid_find(n, t, tl, sl__hash(t, tl));
        if (k == NULL)
            return;
        if (dot == NULL) {
            match_collect(m, k);
            return;
        }
        n = k;
        pos += tl + 1;
    }
}

static int group_cmp(const void *a, const void *b)
{
    const struct sl_qgroup *ga = *(struct sl_qgroup *const *)a;
    const struct sl_qgroup *gb = *(struct sl_qgroup *const *)b;
    if (ga->name_len != gb->name_len)
        return ga->name_len < gb->name_len ? -1 : 1;
    int c = memcmp(ga->name, gb->name, ga->name_len);
    if (c != 0)
        return c;
    /* Distinct nodes: order by address so the result is deterministic. */
    uintptr_t pa = (uintptr_t)ga, pb = (uintptr_t)gb;
    return pa < pb ? -1 : pa > pb;
}

static bool group_same_name(const struct sl_qgroup *a, const struct sl_qgroup *b)
{
    return a->name_len == b->name_len && memcmp(a->name, b->name, a->name_len) == 0;
}

/* Emits the collected queue groups, merging those with the same name. */
static void match_emit_groups(struct match_ctx *m)
{
    struct sl_result *r = m->out;
    if (m->ngrps > 1)
        qsort(m->grps, m->ngrps, sizeof(*m->grps), group_cmp);
    for (size_t i = 0; i < m->ngrps; i++) {
        if (i == 0 || !group_same_name(m->grps[i - 1], m->grps[i]))
            result_open_group(r);
        result_add_queue(r, m->grps[i]->subs, m->grps[i]->n);
    }
}

void sl_match(struct sublist *sl, const char *subj, size_t len, struct sl_result *out)
{
    struct sl_qgroup *stack_grps[MATCH_STACK_GROUPS];
    struct match_ctx m = {
        .subj = subj, .len = len, .out = out, .grps = stack_grps, .cap_grps = MATCH_STACK_GROUPS};

    sl_result_clear(out);
    /* As nats-server: a subject with an empty token matches nothing. */
    if (len > 0 && subj[0] != '.' && subj[len - 1] != '.' && memmem(subj, len, "..", 2) == NULL) {
        pthread_rwlock_rdlock(&sl->lock);
        match_walk(&m, sl->root, 0);
        match_emit_groups(&m);
        pthread_rwlock_unlock(&sl->lock);
        if (m.cap_grps > MATCH_STACK_GROUPS)
            free(m.grps);
    }

    uint64_t fanout = out->npsubs + out->nqgroups;
    atomic_fetch_add_explicit(&sl->matches, 1, memory_order_relaxed);
    if (fanout == 0)
        return;
    atomic_fetch_add_explicit(&sl->total_fanout, fanout, memory_order_relaxed);
    uint64_t cur = atomic_load_explicit(&sl->max_fanout, memory_order_relaxed);
    while (fanout > cur &&
           !atomic_compare_exchange_weak_explicit(&sl->max_fanout, &cur, fanout,
                                                  memory_order_relaxed, memory_order_relaxed)) {
    }
}

/* ---- introspection ---- */

uint64_t sl_generation(const struct sublist *sl)
{
    return sl__gen(sl);
}

void sl_stats_get(struct sublist *sl, struct sl_stats *st)
{
    pthread_rwlock_rdlock(&sl->lock);
    st->num_subscriptions = sl->ent_count;
    st->num_inserts = sl->inserts;
    st->num_removes = sl->removes;
    pthread_rwlock_unlock(&sl->lock);
    st->cache_hits = 0; /* kept per cache: see sl_cache_hits() */
    st->num_matches = atomic_load_explicit(&sl->matches, memory_order_relaxed);
    st->max_fanout = atomic_load_explicit(&sl->max_fanout, memory_order_relaxed);
    st->total_fanout = atomic_load_explicit(&sl->total_fanout, memory_order_relaxed);
}

void sl_foreach(struct sublist *sl, void (*cb)(struct sl_sub *sub, void *arg), void *arg)
{
    pthread_rwlock_rdlock(&sl->lock);
    for (size_t i = 0; i < sl->ent_cap; i++) {
        if (sl->ents[i].sub != NULL)
            cb(sl->ents[i].sub, arg);
    }
    pthread_rwlock_unlock(&sl->lock);
}

size_t sl__node_count(struct sublist *sl)
{
    pthread_rwlock_rdlock(&sl->lock);
    size_t n = sl->num_nodes;
    pthread_rwlock_unlock(&sl->lock);
    return n;
}
