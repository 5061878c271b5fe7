/* Event loops, timers and TCP helpers.
 *
 * One struct ev_loop per I/O thread, built on epoll. A file descriptor is
 * watched through a caller-embedded struct ev_io; timers are caller-embedded
 * struct ev_timer kept in a per-loop binary heap (no thread per timer).
 * Everything here is owned by the loop's thread except ev_loop_wake() and
 * ev_loop_stop(), which any thread may call.
 */
#ifndef GN_NET_H
#define GN_NET_H

#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ev_loop;
struct ev_io;
struct ev_timer;

typedef void (*ev_io_cb)(struct ev_loop *loop, struct ev_io *io, uint32_t events);
typedef void (*ev_timer_cb)(struct ev_loop *loop, struct ev_timer *t);
/* Called by the loop: on wake-ups (ev_loop_wake) and once per iteration
 * before it may sleep. */
typedef void (*ev_hook_cb)(struct ev_loop *loop, void *arg);

#define EV_READ  0x001u /* EPOLLIN */
#define EV_WRITE 0x004u /* EPOLLOUT */
#define EV_ERROR 0x008u /* EPOLLERR */
#define EV_HUP   0x010u /* EPOLLHUP */

struct ev_io {
    int fd;          /* watched descriptor */
    uint32_t events; /* EV_READ | EV_WRITE currently requested */
    ev_io_cb cb;     /* called with the ready events */
    void *data;      /* caller's pointer */
};

struct ev_timer {
    int64_t when;   /* monotonic deadline in ns (internal) */
    size_t slot;    /* heap index + 1, 0 when not armed (internal) */
    ev_timer_cb cb; /* called on the loop's thread when due */
    void *data;     /* caller's pointer */
};

/* Returns a new loop, or NULL with -errno in *<err>. Free with ev_loop_free
 * after ev_loop_run returned. */
struct ev_loop *ev_loop_new(int *err);
void ev_loop_free(struct ev_loop *loop);
/* Hooks run on the loop thread with <arg>: <on_wake> after ev_loop_wake,
 * <before_sleep> every iteration before epoll_wait, <after_sleep> right
 * after epoll_wait returns. Any may be NULL. */
void ev_loop_set_hooks(struct ev_loop *loop, ev_hook_cb on_wake, ev_hook_cb before_sleep,
                       ev_hook_cb after_sleep, void *arg);
/* Runs until ev_loop_stop. Call on the thread that owns <loop>. */
void ev_loop_run(struct ev_loop *loop);
/* Any thread: makes ev_loop_run return after the current iteration. */
void ev_loop_stop(struct ev_loop *loop);
/* Any thread: wakes the loop and runs its on_wake hook. Coalesces: many
 * calls before the loop runs cost one eventfd write. */
void ev_loop_wake(struct ev_loop *loop);
/* Monotonic time cached at the start of the current iteration. */
int64_t ev_loop_now(const struct ev_loop *loop);
/* Refreshes the cached time. */
void ev_loop_update_now(struct ev_loop *loop);

/* Starts watching io->fd for <events>. Returns 0 or -errno. */
int ev_io_start(struct ev_loop *loop, struct ev_io *io, uint32_t events) WARN_UNUSED;
/* Changes the watched events. Returns 0 or -errno. */
int ev_io_modify(struct ev_loop *loop, struct ev_io *io, uint32_t events) WARN_UNUSED;
/* Stops watching (the fd stays open). */
void ev_io_stop(struct ev_loop *loop, struct ev_io *io);

/* Arms <t> to fire after <delay_ns> (re-arms if already armed). */
void ev_timer_start(struct ev_loop *loop, struct ev_timer *t, int64_t delay_ns);
/* Disarms <t>; a no-op when not armed. */
void ev_timer_stop(struct ev_loop *loop, struct ev_timer *t);
static inline bool ev_timer_is_armed(const struct ev_timer *t)
{
    return t->slot != 0;
}

/* ---- TCP ---- */

/* Creates a non-blocking listening socket on <host>:<port> (port 0 picks a
 * free port). Returns the fd or -errno; <eb> says what failed. */
int tcp_listen(const char *host, int port, int backlog, struct errbuf *eb);
/* Accepts one connection as non-blocking, close-on-exec, TCP_NODELAY.
 * Returns the fd, -EAGAIN when none is pending, or another -errno. */
int tcp_accept(int lfd, char *ip, size_t ipcap, int *port);
/* The local port of a bound socket, or -errno. */
int tcp_local_port(int fd);

#endif
