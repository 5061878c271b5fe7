/* epoll event loop with an eventfd for cross-thread wake-ups and a binary
 * heap of timers. The loop caches "now" once per iteration so that timers
 * and connection bookkeeping do not call clock_gettime per event. */
#include "net/net.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define EV_MAX_EVENTS 256

struct ev_loop {
    int epfd;                 /* epoll instance */
    int wakefd;               /* eventfd for ev_loop_wake */
    atomic_bool wake_pending; /* an eventfd write is outstanding */
    atomic_bool stop;         /* ev_loop_stop was called */
    int64_t now;              /* cached monotonic time (ns) */
    struct ev_timer **heap;   /* min-heap on when */
    size_t nheap, capheap;
    ev_hook_cb on_wake;
    ev_hook_cb before_sleep;
    ev_hook_cb after_sleep;
    void *hook_arg;
};

struct ev_loop *ev_loop_new(int *err)
{
    struct ev_loop *l = xcalloc(1, sizeof(*l));
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    l->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (l->epfd < 0 || l->wakefd < 0) {
        *err = -errno;
        goto fail;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->wakefd, &ev) < 0) {
        *err = -errno;
        goto fail;
    }
    l->now = clock_mono_ns();
    return l;
fail:
    if (l->epfd >= 0)
        close(l->epfd);
    if (l->wakefd >= 0)
        close(l->wakefd);
    free(l);
    return NULL;
}

void ev_loop_free(struct ev_loop *l)
{
    if (!l)
        return;
    close(l->epfd);
    close(l->wakefd);
    free(l->heap);
    free(l);
}

void ev_loop_set_hooks(struct ev_loop *l, ev_hook_cb on_wake, ev_hook_cb before_sleep,
                       ev_hook_cb after_sleep, void *arg)
{
    l->on_wake = on_wake;
    l->before_sleep = before_sleep;
    l->after_sleep = after_sleep;
    l->hook_arg = arg;
}

int64_t ev_loop_now(const struct ev_loop *l)
{
    return l->now;
}

void ev_loop_update_now(struct ev_loop *l)
{
    l->now = clock_mono_ns();
}

void ev_loop_stop(struct ev_loop *l)
{
    atomic_store(&l->stop, true);
    ev_loop_wake(l);
}

void ev_loop_wake(struct ev_loop *l)
{
    if (atomic_exchange(&l->wake_pending, true))
        return;
    uint64_t one = 1;
    ssize_t r = write(l->wakefd, &one, sizeof(one));
    (void)r; /* EAGAIN means the counter is already non-zero: still woken */
}

int ev_io_start(struct ev_loop *l, struct ev_io *io, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = io};
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, io->fd, &ev) < 0)
        return -errno;
    io->events = events;
    return 0;
}

int ev_io_modify(struct ev_loop *l, struct ev_io *io, uint32_t events)
{
    if (io->events == events)
        return 0;
    struct epoll_event ev = {.events = events, .data.ptr = io};
    if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, io->fd, &ev) < 0)
        return -errno;
    io->events = events;
    return 0;
}

void ev_io_stop(struct ev_loop *l, struct ev_io *io)
{
    epoll_ctl(l->epfd, EPOLL_CTL_DEL, io->fd, NULL);
    io->events = 0;
}

/* ---- timer heap ---- */

static void heap_set(struct ev_loop *l, size_t i, struct ev_timer *t)
{
    l->heap[i] = t;
    t->slot = i + 1;
}

static void heap_up(struct ev_loop *l, size_t i)
{
    struct ev_timer *t = l->heap[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (l->heap[p]->when <= t->when)
            break;
        heap_set(l, i, l->heap[p]);
        i = p;
    }
    heap_set(l, i, t);
}

static void heap_down(struct ev_loop *l, size_t i)
{
    struct ev_timer *t = l->heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= l->nheap)
            break;
        if (c + 1 < l->nheap && l->heap[c + 1]->when < l->heap[c]->when)
            c++;
        if (t->when <= l->heap[c]->when)
            break;
        heap_set(l, i, l->heap[c]);
        i = c;
    }
    heap_set(l, i, t);
}

void ev_timer_stop(struct ev_loop *l, struct ev_timer *t)
{
    if (!t->slot)
        return;
    size_t i = t->slot - 1;
    t->slot = 0;
    struct ev_timer *last = l->heap[--l->nheap];
    if (i == l->nheap)
        return;
    heap_set(l, i, last);
    heap_down(l, i);
    heap_up(l, last->slot - 1);
}

void ev_timer_start(struct ev_loop *l, struct ev_timer *t, int64_t delay_ns)
{
    ev_timer_stop(l, t);
    if (l->nheap == l->capheap) {
        l->capheap = l->capheap ? l->capheap * 2 : 64;
        l->heap = xrealloc(l->heap, l->capheap * sizeof(*l->heap));
    }
    t->when = l->now + (delay_ns > 0 ? delay_ns : 0);
    heap_set(l, l->nheap++, t);
    heap_up(l, l->nheap - 1);
}

static void run_timers(struct ev_loop *l)
{
    while (l->nheap > 0 && l->heap[0]->when <= l->now) {
        struct ev_timer *t = l->heap[0];
        ev_timer_stop(l, t);
        t->cb(l, t);
    }
}

static int next_timeout_ms(const struct ev_loop *l)
{
    if (l->nheap == 0)
        return -1;
    int64_t d = l->heap[0]->when - l->now;
    if (d <= 0)
        return 0;
    int64_t ms = (d + NS_PER_MS - 1) / NS_PER_MS;
    return ms > 60000 ? 60000 : (int)ms;
}

void ev_loop_run(struct ev_loop *l)
{
    struct epoll_event evs[EV_MAX_EVENTS];
    while (!atomic_load(&l->stop)) {
        if (l->before_sleep)
            l->before_sleep(l, l->hook_arg);
        int n = epoll_wait(l->epfd, evs, EV_MAX_EVENTS, next_timeout_ms(l));
        l->now = clock_mono_ns();
        if (l->after_sleep)
            l->after_sleep(l, l->hook_arg);
        if (n < 0 && errno != EINTR)
            break;
        for (int i = 0; i < n; i++) {
            struct ev_io *io = evs[i].data.ptr;
            if (!io) {
                uint64_t v;
                ssize_t r = read(l->wakefd, &v, sizeof(v));
                (void)r;
                atomic_store(&l->wake_pending, false);
                if (l->on_wake)
                    l->on_wake(l, l->hook_arg);
                continue;
            }
            io->cb(l, io, evs[i].events);
        }
        run_timers(l);
    }
}
