/* Monitoring snapshots (stats.h): counters summed from the workers'
 * single-writer atomics, connection lists copied by the workers themselves
 * (a job posted to each, answered through a condition variable), the ring
 * of recently closed connections, and subscription walks.
 *
 * The I/O workers never wait here. A requester that gives up on a job (a
 * worker busy past the deadline) leaves it on a zombie list; the last worker
 * to answer frees it, and whatever is left is freed with the server.
 * workers_rw keeps s->workers alive while a reader touches it: srv_wait and
 * srv_free mark the workers gone under the write lock before joining them.
 */
#include "server/stats.h"

#include "server/server_int.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#define SNAP_TIMEOUT_NS (2 * NS_PER_SEC)

struct stats_state {
    pthread_rwlock_t workers_rw; /* read: touching s->workers; write: detaching */
    bool workers_gone;           /* set before the workers are joined (workers_rw) */
    pthread_mutex_t lock;        /* guards the ring and the zombie list */
    struct srv_conn_info *ring;  /* closed connections; oldest at ring[head] */
    size_t cap, head, n;
    struct list_node zombies; /* abandoned snapshot jobs */
};

/* One snapshot request (connections, match-cache figures), answered by every
 * worker. */
struct snap_job {
    struct stats_state *st;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned pending;      /* workers yet to answer (mu) */
    bool abandoned;        /* the requester gave up (mu) */
    bool conns;            /* copy the connections */
    bool subs;             /* ... with their subscription lists */
    struct list_node node; /* in st->zombies once abandoned */
    struct srv_conns parts[SRV_MAX_WORKERS];
    uint64_t cache_n[SRV_MAX_WORKERS];    /* match-cache entries per worker */
    uint64_t cache_hits[SRV_MAX_WORKERS]; /* match-cache hits per worker */
};

/* ---- lifecycle (server_int.h) ---- */

void srv__stats_init(struct server *s)
{
    struct stats_state *st = xcalloc(1, sizeof(*st));
    pthread_rwlock_init(&st->workers_rw, NULL);
    pthread_mutex_init(&st->lock, NULL);
    list_init(&st->zombies);
    s->stats = st;
}

void srv__stats_detach_workers(struct server *s)
{
    struct stats_state *st = s->stats;
    pthread_rwlock_wrlock(&st->workers_rw);
    st->workers_gone = true;
    pthread_rwlock_unlock(&st->workers_rw);
}

static void job_free(struct snap_job *j)
{
    for (unsigned i = 0; i < SRV_MAX_WORKERS; i++)
        srv_conns_deinit(&j->parts[i]);
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->cv);
    free(j);
}

void srv__stats_free(struct server *s)
{
    struct stats_state *st = s->stats;
    if (!st)
        return;
    /* The workers are joined: no job can still be answered. */
    while (!list_is_empty(&st->zombies)) {
        struct snap_job *j = LIST_ENTRY(st->zombies.next, struct snap_job, node);
        list_remove(&j->node);
        job_free(j);
    }
    for (size_t i = 0; i < st->n; i++)
        srv_conn_info_deinit(&st->ring[(st->head + i) % st->cap]);
    free(st->ring);
    pthread_mutex_destroy(&st->lock);
    pthread_rwlock_destroy(&st->workers_rw);
    free(st);
    s->stats = NULL;
}

/* ---- counters ---- */

void srv_stats_varz(struct server *s, struct srv_varz *out)
{
    struct stats_state *st = s->stats;
    memset(out, 0, sizeof(*out));
    out->server_id = s->server_id;
    out->server_name = s->server_name;
    out->port = s->port;
    out->start_real_ns = s->start_real_ns;
    out->connections = atomic_load(&s->nconns);
    out->total_connections = atomic_load(&s->total_conns);
    out->auth_required = auth_is_required(s->auth);
    pthread_rwlock_rdlock(&st->workers_rw);
    if (!st->workers_gone) {
        out->workers = (unsigned)s->nworkers;
        for (int i = 0; i < s->nworkers; i++) {
            struct worker *w = &s->workers[i];
            /* The worker's own publisher (JetStream acks, advisories) is
             * not a client: nats-server counts only what clients sent. */
            out->in_msgs += STAT_GET(w->stats.in_msgs) - STAT_GET(w->sys->in_msgs);
            out->in_bytes += STAT_GET(w->stats.in_bytes) - STAT_GET(w->sys->in_bytes);
            out->out_msgs += STAT_GET(w->stats.out_msgs);
            out->out_bytes += STAT_GET(w->stats.out_bytes);
            out->slow_consumers += STAT_GET(w->stats.slow_consumers);
        }
    }
    pthread_rwlock_unlock(&st->workers_rw);
    out->ready = out->workers > 0 && !atomic_load(&s->stopping) && !atomic_load(&s->lame_duck);
    struct sl_stats sls;
    sl_stats_get(s->sl, &sls);
    out->subscriptions = sls.num_subscriptions;
}

/* ---- connection copies (on the owning worker) ---- */

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void sub_info_fill(struct srv_sub_info *si, const struct sub *sub)
{
    si->subject = xstrdup(sub->subject);
    si->queue = dup_or_null(sub->queue);
    si->sid = xstrndup(sub->sid, sub->sid_len);
    si->msgs = sub->delivered;
    si->max = sub->max_msgs;
    si->cid = sub->client->cid;
}

/* Copies <c>'s subscriptions (c->out_lock held: it guards the counters). */
static void copy_subs(struct client *c, struct srv_conn_info *ci)
{
    ci->subs = c->nsubs ? xcalloc(c->nsubs, sizeof(*ci->subs)) : NULL;
    for (size_t b = 0; b < c->subs_cap; b++)
        for (struct sub *sub = c->subs_tab[b]; sub; sub = sub->hnext)
            if (ci->nsubs < c->nsubs)
                sub_info_fill(&ci->subs[ci->nsubs++], sub);
}

/* Fills <ci> from <c>; runs on c's worker, the only reader of most fields. */
static void conn_fill(struct client *c, struct srv_conn_info *ci, bool subs)
{
    memset(ci, 0, sizeof(*ci));
    ci->cid = c->cid;
    memcpy(ci->ip, c->ip, sizeof(ci->ip));
    ci->port = c->port;
    ci->start_ns = c->start_real_ns;
    ci->last_ns = c->last_activity_real_ns;
    ci->rtt_ns = c->rtt_ns;
    ci->in_msgs = STAT_GET(c->in_msgs);
    ci->in_bytes = STAT_GET(c->in_bytes);
    ci->num_subs = (uint32_t)c->nsubs;
    ci->name = dup_or_null(c->name);
    ci->lang = dup_or_null(c->lang);
    ci->version = dup_or_null(c->version);
    ci->user = dup_or_null(c->user_name);
    pthread_mutex_lock(&c->out_lock);
    ci->pending = buf_size(&c->out) + atomic_load_explicit(&c->wpending, memory_order_relaxed);
    ci->out_msgs = c->out_msgs;
    ci->out_bytes = c->out_bytes;
    if (subs)
        copy_subs(c, ci);
    pthread_mutex_unlock(&c->out_lock);
}

static void snap_run(void *arg, struct worker *w)
{
    struct snap_job *j = arg;
    struct srv_conns *p = &j->parts[w->idx];
    size_t n = 0;
    /* The match cache is the worker's own: read it here, not racily. */
    j->cache_n[w->idx] = sl_cache_count(w->cache);
    j->cache_hits[w->idx] = sl_cache_hits(w->cache);
    for (struct list_node *it = w->clients.next; j->conns && it != &w->clients; it = it->next)
        n++;
    p->v = n ? xcalloc(n, sizeof(*p->v)) : NULL;
    for (struct list_node *it = w->clients.next; n && it != &w->clients; it = it->next)
        conn_fill(LIST_ENTRY(it, struct client, node), &p->v[p->n++], j->subs);
    pthread_mutex_lock(&j->mu);
    bool last = --j->pending == 0;
    bool gone = j->abandoned;
    if (gone && last) {
        pthread_mutex_lock(&j->st->lock);
        list_remove(&j->node);
        pthread_mutex_unlock(&j->st->lock);
    } else if (last) {
        pthread_cond_signal(&j->cv);
    }
    pthread_mutex_unlock(&j->mu);
    if (gone && last)
        job_free(j);
}

static struct snap_job *job_new(struct stats_state *st, unsigned n, bool conns, bool subs)
{
    struct snap_job *j = xcalloc(1, sizeof(*j));
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&j->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&j->mu, NULL);
    list_init(&j->node);
    j->st = st;
    j->pending = n;
    j->conns = conns;
    j->subs = subs;
    return j;
}

/* Waits for every worker's answer. Returns false (and hands the job to the
 * zombie list) on timeout. */
static bool job_wait(struct snap_job *j)
{
    struct timespec dl;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    int64_t t = (int64_t)dl.tv_sec * NS_PER_SEC + dl.tv_nsec + SNAP_TIMEOUT_NS;
    dl.tv_sec = (time_t)(t / NS_PER_SEC);
    dl.tv_nsec = (long)(t % NS_PER_SEC);
    pthread_mutex_lock(&j->mu);
    while (j->pending > 0)
        if (pthread_cond_timedwait(&j->cv, &j->mu, &dl) == ETIMEDOUT)
            break;
    bool done = j->pending == 0;
    if (!done) {
        j->abandoned = true;
        pthread_mutex_lock(&j->st->lock);
        list_insert_tail(&j->st->zombies, &j->node);
        pthread_mutex_unlock(&j->st->lock);
    }
    pthread_mutex_unlock(&j->mu);
    return done;
}

/* Posts a copy job to every worker; NULL when the server is not running. */
static struct snap_job *job_post(struct server *s, bool conns, bool subs)
{
    struct stats_state *st = s->stats;
    struct snap_job *j = NULL;
    pthread_rwlock_rdlock(&st->workers_rw);
    if (!st->workers_gone && s->nworkers > 0 && !atomic_load(&s->stopping)) {
        j = job_new(st, (unsigned)s->nworkers, conns, subs);
        for (int i = 0; i < s->nworkers; i++)
            srv_post_call(s, (unsigned)i, snap_run, j);
    }
    pthread_rwlock_unlock(&st->workers_rw);
    return j;
}

static void conns_push(struct srv_conns *out, size_t *cap, struct srv_conn_info *ci)
{
    if (out->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        out->v = xrealloc(out->v, *cap * sizeof(*out->v));
    }
    out->v[out->n++] = *ci;
}

static void sub_info_copy(struct srv_sub_info *d, const struct srv_sub_info *s)
{
    *d = *s;
    d->subject = xstrdup(s->subject);
    d->queue = dup_or_null(s->queue);
    d->sid = xstrdup(s->sid);
}

static void conn_info_copy(struct srv_conn_info *d, const struct srv_conn_info *s)
{
    *d = *s;
    d->name = dup_or_null(s->name);
    d->lang = dup_or_null(s->lang);
    d->version = dup_or_null(s->version);
    d->user = dup_or_null(s->user);
    d->subs = s->nsubs ? xcalloc(s->nsubs, sizeof(*d->subs)) : NULL;
    for (size_t i = 0; i < s->nsubs; i++)
        sub_info_copy(&d->subs[i], &s->subs[i]);
}

static void append_closed(struct stats_state *st, struct srv_conns *out, size_t *cap)
{
    pthread_mutex_lock(&st->lock);
    for (size_t i = 0; i < st->n; i++) {
        struct srv_conn_info ci;
        conn_info_copy(&ci, &st->ring[(st->head + i) % st->cap]);
        conns_push(out, cap, &ci);
    }
    pthread_mutex_unlock(&st->lock);
}

int srv_stats_conns(struct server *s, unsigned flags, struct srv_conns *out)
{
    size_t cap = 0;
    memset(out, 0, sizeof(*out));
    if (flags & SRV_CONNS_OPEN) {
        struct snap_job *j = job_post(s, true, (flags & SRV_CONNS_SUBS) != 0);
        if (!j)
            return ERR_CLOSED;
        if (!job_wait(j))
            return -ETIMEDOUT;
        for (unsigned i = 0; i < SRV_MAX_WORKERS; i++) {
            for (size_t k = 0; k < j->parts[i].n; k++)
                conns_push(out, &cap, &j->parts[i].v[k]);
            free(j->parts[i].v); /* entries moved to <out> */
            j->parts[i].v = NULL;
            j->parts[i].n = 0;
        }
        job_free(j);
    }
    if (flags & SRV_CONNS_CLOSED)
        append_closed(s->stats, out, &cap);
    return 0;
}

/* ---- the closed-connection ring ---- */

/* nats-server's names for the reasons Gannet words differently. */
static const char *reason_name(const char *r)
{
    if (!r)
        return "Unknown State";
    if (strcmp(r, "Slow Consumer (Pending)") == 0)
        return "Slow Consumer (Pending Bytes)";
    if (strcmp(r, "Maximum Payload Exceeded") == 0)
        return "Maximum Message Payload Exceeded";
    return r;
}

void srv__stats_closed_add(struct client *c)
{
    struct stats_state *st = c->srv->stats;
    struct srv_conn_info ci;
    conn_fill(c, &ci, true);
    ci.stop_ns = clock_real_ns();
    ci.reason = reason_name(c->close_reason);
    pthread_mutex_lock(&st->lock);
    if (st->n < SRV_CLOSED_MAX) {
        if (st->n == st->cap) { /* grows only before the ring first wraps */
            st->cap = st->cap ? st->cap * 2 : 64;
            if (st->cap > SRV_CLOSED_MAX)
                st->cap = SRV_CLOSED_MAX;
            st->ring = xrealloc(st->ring, st->cap * sizeof(*st->ring));
        }
        st->ring[st->n++] = ci;
    } else {
        srv_conn_info_deinit(&st->ring[st->head]);
        st->ring[st->head] = ci;
        st->head = (st->head + 1) % st->cap;
    }
    pthread_mutex_unlock(&st->lock);
}

/* ---- subscriptions ---- */

void srv_stats_subsz(struct server *s, struct srv_subsz *out)
{
    struct sl_stats sls;
    memset(out, 0, sizeof(*out));
    sl_stats_get(s->sl, &sls);
    out->num_subscriptions = sls.num_subscriptions;
    out->num_inserts = sls.num_inserts;
    out->num_removes = sls.num_removes;
    out->index_matches = sls.num_matches;
    out->max_fanout = sls.max_fanout;
    out->total_fanout = sls.total_fanout;
    struct snap_job *j = job_post(s, false, false);
    if (j && job_wait(j)) {
        for (unsigned i = 0; i < SRV_MAX_WORKERS; i++) {
            out->num_cache += j->cache_n[i];
            out->cache_hits += j->cache_hits[i];
        }
        job_free(j);
    }
    out->num_matches = out->index_matches + out->cache_hits;
}

struct subs_walk {
    struct srv_subs *out;
    size_t cap;
};

/* Under the sublist's read lock: an inserted subscription and its client
 * cannot be retired (removal needs the write lock first). */
static void subs_walk_cb(struct sl_sub *sl, void *arg)
{
    struct subs_walk *sw = arg;
    struct sub *sub = sl->owner;
    if (sw->out->n == sw->cap) {
        sw->cap = sw->cap ? sw->cap * 2 : 64;
        sw->out->v = xrealloc(sw->out->v, sw->cap * sizeof(*sw->out->v));
    }
    struct srv_sub_info *si = &sw->out->v[sw->out->n++];
    pthread_mutex_lock(&sub->client->out_lock);
    sub_info_fill(si, sub);
    pthread_mutex_unlock(&sub->client->out_lock);
}

void srv_stats_subs(struct server *s, struct srv_subs *out)
{
    struct subs_walk sw = {.out = out, .cap = 0};
    memset(out, 0, sizeof(*out));
    sl_foreach(s->sl, subs_walk_cb, &sw);
}

static void sub_info_deinit(struct srv_sub_info *si)
{
    free(si->subject);
    free(si->queue);
    free(si->sid);
}

void srv_subs_deinit(struct srv_subs *l)
{
    for (size_t i = 0; i < l->n; i++)
        sub_info_deinit(&l->v[i]);
    FREE_AND_NULL(l->v);
    l->n = 0;
}

void srv_conn_info_deinit(struct srv_conn_info *ci)
{
    free(ci->name);
    free(ci->lang);
    free(ci->version);
    free(ci->user);
    for (size_t i = 0; i < ci->nsubs; i++)
        sub_info_deinit(&ci->subs[i]);
    free(ci->subs);
    ci->name = ci->lang = ci->version = ci->user = NULL;
    ci->subs = NULL;
    ci->nsubs = 0;
}

void srv_conns_deinit(struct srv_conns *c)
{
    for (size_t i = 0; i < c->n; i++)
        srv_conn_info_deinit(&c->v[i]);
    FREE_AND_NULL(c->v);
    c->n = 0;
}
