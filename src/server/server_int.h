/* Server internals shared by server.c, worker.c, client.c, deliver.c and
 * info.c. Not part of the public API.
 *
 * Memory reclamation: clients and subscriptions are read by other I/O
 * threads without locks (through sublist match results), so they are never
 * freed directly. srv__retire() queues them; each worker announces quiescent
 * points (top of its loop) in qsbr_epoch, and a retired object is freed once
 * every worker has passed a quiescent point after its retirement (QSBR).
 */
#ifndef GN_SERVER_INT_H
#define GN_SERVER_INT_H

#include "auth/auth.h"
#include "conf/conf.h"
#include "net/net.h"
#include "proto/proto.h"
#include "server/server.h"
#include "subject/subject.h"
#include "util/buf.h"
#include "util/list.h"
#include "util/nuid.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Single-writer counters read by other threads (monitoring): relaxed
 * atomics, incremented without a locked instruction. */
#define STAT_ADD(field, n)                                                                         \
    atomic_store_explicit(&(field), atomic_load_explicit(&(field), memory_order_relaxed) + (n),    \
                          memory_order_relaxed)
#define STAT_GET(field) atomic_load_explicit(&(field), memory_order_relaxed)

struct retired {
    struct list_node node; /* in worker->retired */
    uint64_t epoch;        /* global epoch after retirement */
    void (*free_fn)(void *);
    void *ptr;
};

/* A connection accepted by the listener, handed to a worker. */
struct newconn {
    struct list_node node;
    int fd;
    int port;
    char ip[64];
};

struct worker_stats {
    _Atomic uint64_t in_msgs, in_bytes;   /* received from this worker's clients */
    _Atomic uint64_t out_msgs, out_bytes; /* delivered by this worker */
    _Atomic uint64_t slow_consumers;
};

/* A call posted to a worker by srv_post_call. */
struct postcall {
    struct list_node node;
    srv_worker_cb cb;
    void *arg;
};

struct sleep_hook {
    srv_worker_cb cb;
    void *arg;
};

struct worker {
    struct server *srv;
    struct client *sys;     /* internal client publishing on this worker's behalf */
    struct list_node calls; /* struct postcall (inbox_lock) */
    int idx;
    pthread_t thread;
    bool started;
    struct ev_loop *loop;
    struct sl_cache *cache;      /* per-thread match cache */
    struct sl_result scratch;    /* for uncached matches */
    struct sl_result uscratch;   /* matches of one-off subjects (JetStream acks), not cached */
    _Atomic uint64_t qsbr_epoch; /* last quiescent epoch; 0 while sleeping */
    struct list_node flush_list; /* clients of this worker with output (loop thread only) */
    pthread_mutex_t inbox_lock;  /* guards inbox, newconns, ops */
    struct list_node inbox;      /* clients scheduled for flush by other workers */
    struct list_node newconns;   /* struct newconn handed over by the acceptor */
    unsigned ops;                /* WORKER_OP_* bits posted by other threads */
    struct list_node retired;    /* objects awaiting reclamation */
    struct list_node clients;    /* clients living on this worker */
    struct buf rbuf;             /* shared read buffer for clients with no partial input */
    uint64_t rng;                /* xorshift state for queue-member choice */
    unsigned declined;           /* internal callbacks of this publish that declined it */
    struct worker_stats stats;
    /* listener (worker 0 only) */
    struct ev_io lio;
};

#define WORKER_OP_SHUTDOWN       0x1u
#define WORKER_OP_LDM_INFO       0x2u
#define WORKER_OP_CLOSE_LISTENER 0x4u

enum client_state {
    CLIENT_WAIT_CONNECT = 0, /* INFO sent, CONNECT not yet received */
    CLIENT_CONNECTED,        /* CONNECT accepted */
    CLIENT_CLOSED,           /* closed; awaiting reclamation */
};

struct sub {
    struct sl_sub sl;      /* sublist entry; owner = this */
    struct client *client; /* owner connection */
    char *subject;         /* heap copy, NUL-terminated */
    char *queue;           /* heap copy or NULL */
    char *sid;             /* heap copy */
    size_t sid_len;
    uint64_t delivered; /* messages delivered (client's out_lock) */
    uint64_t max_msgs;  /* auto-unsubscribe limit, 0 = none (client's out_lock) */
    bool removed;       /* unlinked from the sublist (owner thread) */
    bool check_deliver; /* wildcard sub overlapping a deny: filter deliveries */
    srv_msg_cb icb;     /* internal subscriber's callback, or NULL */
    void *iarg;         /* its argument */
    struct sub *hnext;  /* next in the client's sid hash chain */
};

struct client {
    uint64_t cid;
    bool internal; /* no socket: server-side publisher or internal subscriber owner */
    struct server *srv;
    struct worker *w; /* owning worker; all fields below are its unless noted */
    struct ev_io io;
    enum client_state state;
    char ip[64];
    int port;
    int64_t start_real_ns; /* wall clock at accept */
    int64_t last_activity_real_ns;
    /* CONNECT options */
    bool verbose, pedantic, echo, headers, no_responders;
    bool pub_err_sent; /* the PUB waiting for its payload had its -ERR already */
    int protocol;
    char *name, *lang, *version, *user_name;
    const struct auth_user *user; /* matched user, or NULL */
    const struct perm *perm;      /* user's permissions, or NULL */
    struct perm_cache *pcache;    /* publish-permission cache, or NULL */
    struct perm_resp *resp;       /* allow_responses tracker, or NULL */
    /* input */
    struct buf rbuf; /* partial input carried between reads */
    /* output: 'out' is shared with other workers under out_lock */
    pthread_mutex_t out_lock;
    struct buf out;               /* pending output (out_lock) */
    bool flush_scheduled;         /* queued in flush_list or inbox (out_lock) */
    bool closing;                 /* no more output accepted (out_lock) */
    bool slow;                    /* exceeded max_pending (out_lock) */
    uint64_t out_msgs, out_bytes; /* delivered to this client (out_lock) */
    _Atomic size_t wpending;      /* bytes in wbuf not yet written */
    struct buf wbuf;              /* being written by the owner */
    bool want_write;              /* EV_WRITE wanted (output blocked) */
    bool stalled;                 /* reading paused: a receiver of ours is backed up */
    bool stall_req;               /* set while delivering: pause after this read batch */
    struct list_node flush_node;  /* in w->flush_list or w->inbox */
    /* inbound stats (owner thread; read by monitoring) */
    _Atomic uint64_t in_msgs, in_bytes;
    /* subscriptions, by sid */
    struct sub **subs_tab;
    size_t subs_cap, nsubs;
    bool prune_pending; /* some sub reached max_msgs: prune on the owner thread */
    /* liveness */
    struct ev_timer ping_timer;
    struct ev_timer auth_timer;
    struct ev_timer wd_timer;    /* write deadline while output is blocked */
    struct ev_timer stall_timer; /* ends a reading pause (back-pressure) */
    int pings_out;
    int64_t ping_sent_mono; /* when our unanswered PING went out, 0 = none */
    int64_t rtt_ns;         /* last PING/PONG round trip (monitoring), 0 = unknown */
    struct list_node node;  /* in w->clients */
    const char *close_reason;
};

struct server {
    const struct conf_opts *opts;
    struct auth *auth;
    struct sublist *sl;
    struct worker *workers;
    int nworkers;
    int lfd;
    int port;
    char server_id[SERVER_ID_LEN + 1];
    char *server_name;
    char *info_prefix; /* INFO JSON up to (not including) client_id */
    size_t info_prefix_len;
    struct proto_limits limits;
    _Atomic uint64_t next_cid;
    _Atomic uint64_t epoch;
    _Atomic int64_t nconns;
    _Atomic uint64_t total_conns;
    unsigned next_worker; /* round-robin for accepted connections (acceptor only) */
    int64_t start_real_ns;
    atomic_bool stopping;
    atomic_bool lame_duck;
    struct client *isubs_owner; /* owns internal subscriptions (no socket) */
    srv_sub_cb sub_hook;        /* after a client subscription is added, or NULL */
    void *sub_hook_arg;
    struct sleep_hook *hooks; /* run by every worker before sleeping */
    size_t nhooks;
    pthread_mutex_t stop_lock;
    pthread_cond_t stop_cond;
    int nstopped;              /* workers that finished (stop_lock) */
    struct stats_state *stats; /* monitoring snapshots (stats.c) */
};

/* ---- server.c ---- */
void srv__retire(struct worker *w, void *ptr, void (*free_fn)(void *));
void srv__quiescent(struct worker *w);
void srv__post(struct worker *w, unsigned op);

/* ---- worker.c ---- */
int srv__workers_start(struct server *s, struct errbuf *eb);
void srv__workers_join(struct server *s);

/* ---- client.c ---- */
void client__create(struct worker *w, int fd, const char *ip, int port);
void client__close(struct client *c, const char *reason, const char *err_text);
void client__on_io(struct ev_loop *loop, struct ev_io *io, uint32_t events);
void client__send_raw(struct client *c, const char *p, size_t n);
void client__send_err(struct client *c, const char *text);
void client__prune_subs(struct client *c);
/* Re-arms the watched events from want_write and stalled. */
void client__update_events(struct client *c);

/* ---- deliver.c ---- */

/* One message to route. */
struct pubmsg {
    struct client *from;    /* publishing connection */
    struct slice subj;      /* literal subject */
    struct slice reply;     /* reply subject, len 0 if none */
    struct slice payload;   /* headers + body */
    long hdr_len;           /* header bytes at the start of payload, -1 without headers */
    struct slice hdr_text;  /* header size digits as sent, or len 0 */
    struct slice size_text; /* total size digits as sent, or len 0 (then formatted) */
    bool empty_reply_field; /* frame "MSG s sid  n" when there is no reply */
    struct slice route;     /* subject to match subscriptions on, when not subj */
};

void deliver__publish(const struct pubmsg *m);
void deliver__schedule(struct worker *w, struct client *c);
/* Writes <c>'s pending output. <dequeued>: the caller just took c off a
 * flush queue (only then is flush_scheduled cleared). Owner thread only. */
void deliver__flush(struct client *c, bool dequeued);
void deliver__flush_all(struct worker *w);

/* ---- internal.c ---- */
struct client *srv__internal_client_new(struct server *s, struct worker *w);
void srv__internal_client_free(struct client *c);
void srv__run_calls(struct worker *w);
void srv__run_sleep_hooks(struct worker *w);

/* ---- stats.c ---- */
void srv__stats_init(struct server *s);
/* Marks the workers gone (before they are joined): snapshots stop reading them. */
void srv__stats_detach_workers(struct server *s);
void srv__stats_free(struct server *s);
/* Remembers closing client <c> in the closed-connection ring (owner thread). */
void srv__stats_closed_add(struct client *c);

/* ---- info.c ---- */
void info__build(struct server *s);
void info__send(struct client *c, bool ldm);

#endif
