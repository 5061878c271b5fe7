/* I/O workers: one thread and one epoll loop each. Worker 0 also owns the
 * listener and hands accepted sockets to workers round-robin. Other
 * threads talk to a worker only through its inbox (under inbox_lock) and
 * ev_loop_wake(). */
#include "server/server_int.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WORKER_RBUF_SIZE (64 * 1024)

static void on_accept(struct ev_loop *loop, struct ev_io *io, uint32_t events)
{
    struct worker *w = io->data;
    struct server *s = w->srv;
    for (int i = 0; i < 64; i++) {
        char ip[64];
        int port = 0;
        int fd = tcp_accept(io->fd, ip, sizeof(ip), &port);
        if (fd < 0) {
            if (fd != -EAGAIN && fd != -EINTR && fd != -ECONNABORTED)
                log_error("Error accepting client connection: %s", strerror(-fd));
            return;
        }
        struct worker *t = &s->workers[s->next_worker++ % (unsigned)s->nworkers];
        if (t == w) {
            client__create(w, fd, ip, port);
            continue;
        }
        struct newconn *nc = xmalloc(sizeof(*nc));
        nc->fd = fd;
        nc->port = port;
        snprintf(nc->ip, sizeof(nc->ip), "%s", ip);
        pthread_mutex_lock(&t->inbox_lock);
        list_insert_tail(&t->newconns, &nc->node);
        pthread_mutex_unlock(&t->inbox_lock);
        ev_loop_wake(t->loop);
    }
}

static void close_listener(struct worker *w)
{
    if (w->lio.fd < 0)
        return;
    ev_io_stop(w->loop, &w->lio);
    close(w->lio.fd);
    w->lio.fd = -1;
    w->srv->lfd = -1;
}

/* Writes what <c> still has queued, waiting for the peer to read for at
 * most until <deadline> (monotonic ns): a graceful stop delivers what was
 * accepted for delivery, as nats-server does. */
static void drain_output(struct client *c, int64_t deadline)
{
    for (;;) {
        deliver__flush(c, false);
        if (!c->want_write || clock_mono_ns() >= deadline)
            return;
        struct pollfd pfd = {.fd = c->io.fd, .events = POLLOUT};
        int64_t left_ms = (deadline - clock_mono_ns()) / NS_PER_MS;
        if (poll(&pfd, 1, left_ms > 100 ? 100 : (int)(left_ms > 0 ? left_ms : 0)) < 0 &&
            errno != EINTR)
            return;
    }
}

static void shutdown_worker(struct worker *w)
{
    if (w->idx == 0)
        close_listener(w);
    int64_t wd = w->srv->opts->write_deadline_ns;
    int64_t deadline = clock_mono_ns() + (wd > 0 && wd < 10 * NS_PER_SEC ? wd : 10 * NS_PER_SEC);
    while (!list_is_empty(&w->clients)) {
        struct client *c = LIST_ENTRY(w->clients.next, struct client, node);
        drain_output(c, deadline);
        client__close(c, "Server Shutdown", NULL);
    }
    ev_loop_stop(w->loop);
}

/* Runs posted operations and adopts handed-over connections. */
static void on_wake(struct ev_loop *loop, void *arg)
{
    struct worker *w = arg;
    struct list_node conns;
    list_init(&conns);
    pthread_mutex_lock(&w->inbox_lock);
    unsigned ops = w->ops;
    w->ops = 0;
    if (!list_is_empty(&w->newconns)) {
        conns = w->newconns;
        conns.next->prev = &conns;
        conns.prev->next = &conns;
        list_init(&w->newconns);
    }
    pthread_mutex_unlock(&w->inbox_lock);
    while (!list_is_empty(&conns)) {
        struct newconn *nc = LIST_ENTRY(conns.next, struct newconn, node);
        list_remove(&nc->node);
        if (ops & WORKER_OP_SHUTDOWN)
            close(nc->fd);
        else
            client__create(w, nc->fd, nc->ip, nc->port);
        free(nc);
    }
    if (ops & WORKER_OP_CLOSE_LISTENER)
        close_listener(w);
    if (ops & WORKER_OP_LDM_INFO) {
        struct list_node *n;
        for (n = w->clients.next; n != &w->clients; n = n->next)
            info__send(LIST_ENTRY(n, struct client, node), true);
    }
    srv__run_calls(w);
    if (ops & WORKER_OP_SHUTDOWN)
        shutdown_worker(w);
}

static void before_sleep(struct ev_loop *loop, void *arg)
{
    struct worker *w = arg;
    srv__run_sleep_hooks(w);
    deliver__flush_all(w);
    srv__quiescent(w);
    atomic_store(&w->qsbr_epoch, 0); /* offline while blocked in epoll_wait */
}

static void after_sleep(struct ev_loop *loop, void *arg)
{
    struct worker *w = arg;
    atomic_store(&w->qsbr_epoch, atomic_load(&w->srv->epoch));
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    atomic_store(&w->qsbr_epoch, atomic_load(&w->srv->epoch));
    ev_loop_run(w->loop);
    atomic_store(&w->qsbr_epoch, 0);
    return NULL;
}

static int worker_init(struct server *s, struct worker *w, int idx, struct errbuf *eb)
{
    w->srv = s;
    w->idx = idx;
    int err = 0;
    w->loop = ev_loop_new(&err);
    if (!w->loop)
        return errbuf_set(eb, err, "cannot create event loop: %s", strerror(-err));
    ev_loop_set_hooks(w->loop, on_wake, before_sleep, after_sleep, w);
    w->cache = sl_cache_new(4096);
    sl_result_init(&w->scratch);
    sl_result_init(&w->uscratch);
    pthread_mutex_init(&w->inbox_lock, NULL);
    list_init(&w->flush_list);
    list_init(&w->inbox);
    list_init(&w->newconns);
    list_init(&w->retired);
    list_init(&w->clients);
    list_init(&w->calls);
    buf_init(&w->rbuf);
    w->sys = srv__internal_client_new(s, w);
    w->rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(idx + 1);
    w->lio.fd = -1;
    return 0;
}

int srv__workers_start(struct server *s, struct errbuf *eb)
{
    long n = s->opts->threads;
    if (n <= 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = cores > 0 ? cores : 1;
    }
    if (n > SRV_MAX_WORKERS)
        n = SRV_MAX_WORKERS;
    s->nworkers = (int)n;
    s->workers = xcalloc((size_t)n, sizeof(*s->workers));
    for (int i = 0; i < s->nworkers; i++) {
        int rc = worker_init(s, &s->workers[i], i, eb);
        if (rc)
            return rc;
    }
    struct worker *w0 = &s->workers[0];
    w0->lio.fd = s->lfd;
    w0->lio.cb = on_accept;
    w0->lio.data = w0;
    int rc = ev_io_start(w0->loop, &w0->lio, EV_READ);
    if (rc)
        return errbuf_set(eb, rc, "cannot watch listener: %s", strerror(-rc));
    s->lfd = -1; /* owned by worker 0 from now on */
    for (int i = 0; i < s->nworkers; i++) {
        struct worker *w = &s->workers[i];
        rc = pthread_create(&w->thread, NULL, worker_main, w);
        if (rc)
            return errbuf_set(eb, -rc, "cannot start I/O thread: %s", strerror(rc));
        w->started = true;
    }
    return 0;
}

static void free_retired(struct worker *w)
{
    while (!list_is_empty(&w->retired)) {
        struct retired *r = LIST_ENTRY(w->retired.next, struct retired, node);
        list_remove(&r->node);
        r->free_fn(r->ptr);
        free(r);
    }
}

void srv__workers_join(struct server *s)
{
    if (!s->workers)
        return;
    for (int i = 0; i < s->nworkers; i++) {
        if (s->workers[i].started)
            pthread_join(s->workers[i].thread, NULL);
        s->workers[i].started = false;
    }
    for (int i = 0; i < s->nworkers; i++) {
        struct worker *w = &s->workers[i];
        free_retired(w);
        while (!list_is_empty(&w->newconns)) {
            struct newconn *nc = LIST_ENTRY(w->newconns.next, struct newconn, node);
            list_remove(&nc->node);
            close(nc->fd);
            free(nc);
        }
        if (w->lio.fd >= 0)
            close(w->lio.fd);
        while (!list_is_empty(&w->calls)) {
            struct postcall *pc = LIST_ENTRY(w->calls.next, struct postcall, node);
            list_remove(&pc->node);
            free(pc);
        }
        srv__internal_client_free(w->sys);
        ev_loop_free(w->loop);
        sl_cache_free(w->cache);
        sl_result_deinit(&w->scratch);
        sl_result_deinit(&w->uscratch);
        buf_deinit(&w->rbuf);
        pthread_mutex_destroy(&w->inbox_lock);
    }
    free(s->workers);
    s->workers = NULL;
    s->nworkers = 0;
}
