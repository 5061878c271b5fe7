/* The server: lifecycle, client connections and message delivery.
 *
 * srv_new() builds a server from options, srv_start() binds the listener and
 * starts the I/O threads (one epoll loop each), srv_wait() blocks the calling
 * thread handling signals (TERM/INT stop, USR1 reopens the log, USR2 enters
 * lame-duck mode) until the server stopped, srv_free() releases it.
 */
#ifndef GN_SERVER_H
#define GN_SERVER_H

#include "conf/conf.h"
#include "util/err.h"
#include "util/slice.h"

#include <stdint.h>

struct server;

/* Gannet's own version, and the nats-server version whose client-visible
 * features Gannet implements (reported as INFO "version"). */
#define GANNET_OWN_VERSION         "0.1.0"
#define GANNET_NATS_COMPAT_VERSION "2.9.10"

/* Returns a new server for <opts> (borrowed; must outlive the server), or
 * NULL with <eb> filled (bad auth configuration and the like). */
struct server *srv_new(const struct conf_opts *opts, struct errbuf *eb);
/* Binds the client port and starts the I/O threads. Returns 0, or -errno /
 * ERR_* with <eb> filled. Call once. */
int srv_start(struct server *s, struct errbuf *eb) WARN_UNUSED;
/* Blocks the calling thread (which must have all signals blocked, see
 * srv_block_signals) until the server stops; handles signals meanwhile.
 * Returns the process exit code. */
int srv_wait(struct server *s);
/* Any thread: asks the server to stop (graceful: flush, close). */
void srv_stop(struct server *s);
/* Stops (if running), joins threads and frees <s>. */
void srv_free(struct server *s);
/* Blocks the signals srv_wait handles in the calling thread; call before
 * srv_start so that I/O threads inherit the mask. */
void srv_block_signals(void);
/* The bound client port (useful with -p -1). */
int srv_port(const struct server *s);

/* ---- internal subscriptions and publishing (for JetStream and friends) ----
 *
 * Upper modules subscribe inside the server with a callback instead of a
 * socket. A callback runs synchronously on the I/O thread (struct worker)
 * that received the message, after the message went to every socket
 * subscriber; several threads may run callbacks at once, so callbacks lock
 * their own state. Inside a callback (or a worker hook) the code may
 * publish with srv_publish() on the same worker. */

struct worker;
struct srv_isub;

/* A message handed to an internal subscriber; slices valid during the call. */
struct srv_msg {
    struct slice subject;
    struct slice reply; /* len 0 if none */
    struct slice hdr;   /* NATS header block, len 0 if none */
    struct slice data;  /* payload after the headers */
};

typedef void (*srv_msg_cb)(void *arg, struct worker *w, const struct srv_msg *m);
typedef void (*srv_worker_cb)(void *arg, struct worker *w);

/* Subscribes <cb>(<arg>, ...) to the filter <subject> (queue group <queue>
 * or NULL). Returns 0 and the subscription in *<out>, or ERR_INVAL for a bad
 * subject. Any thread. */
int srv_isub_add(struct server *s, const char *subject, const char *queue, srv_msg_cb cb, void *arg,
                 struct srv_isub **out) WARN_UNUSED;
/* Removes <sub>; no callback starts after this returns, one in progress on
 * another thread may finish. Call on a worker thread <w>, or with <w> NULL
 * when the server is not running. */
void srv_isub_remove(struct server *s, struct worker *w, struct srv_isub *sub);
/* Inside an internal subscription's callback on <w>: the message was not
 * for it (a wildcard subscription standing in for many, as $JS.ACK.> does
 * for every consumer's ack subject). When every subscriber of a request
 * declines, the requester gets the 503 no-responders status, as if nobody
 * had matched. */
void srv_isub_decline(struct worker *w);
/* Publishes a message from the server itself on worker <w> (inside a
 * callback or hook): delivered to sockets and internal subscribers. */
void srv_publish(struct worker *w, struct slice subject, struct slice reply, struct slice hdr,
                 struct slice data);
/* As srv_publish; with <empty_reply_field> a message without reply is
 * framed "MSG <subj> <sid>  <size>" (an empty reply field: a double space),
 * which is how nats-server frames JetStream PubAcks and direct gets. */
void srv_publish_ex(struct worker *w, struct slice subject, struct slice reply, struct slice hdr,
                    struct slice data, bool empty_reply_field);
/* Delivers a message to the subscribers of <route> while presenting it
 * under <subject> (how JetStream hands a stored message to a pull request's
 * inbox or a push deliver subject: "MSG <stream subject> <sid> <ack>").
 * Otherwise as srv_publish_ex. */
void srv_deliver_as(struct worker *w, struct slice route, struct slice subject, struct slice reply,
                    struct slice hdr, struct slice data, bool empty_reply_field);
/* Registers <cb>(<arg>, w) to run on every worker before it sleeps (after
 * its output was flushed): the place for group commit. Before srv_start. */
void srv_add_sleep_hook(struct server *s, srv_worker_cb cb, void *arg);
/* Registers <cb>(<arg>, w, subject) to run on the subscriber's worker
 * after each client subscription is added (how JetStream starts a push
 * consumer the moment its deliver subject gets a subscriber). One hook;
 * before srv_start. */
typedef void (*srv_sub_cb)(void *arg, struct worker *w, struct slice subject);
void srv_set_sub_hook(struct server *s, srv_sub_cb cb, void *arg);
/* Any thread: runs <cb>(<arg>, w) soon on worker number <idx> (mod the
 * worker count). The call is queued; <arg> must stay valid until it runs. */
void srv_post_call(struct server *s, unsigned idx, srv_worker_cb cb, void *arg);
/* True when some subscription (socket or internal) matches the literal
 * <subject>. Any thread; takes the sublist's read lock. */
bool srv_has_interest(struct server *s, const char *subject, size_t len);
/* Whether a queue subscription of group <queue> matches <subject>. */
bool srv_has_queue_interest(struct server *s, const char *subject, size_t len, const char *queue,
                            size_t qlen);
/* Frees <ptr> with <free_fn> once no worker can still be using it (after
 * every worker passed a quiescent point). For objects reachable from
 * internal-subscription callbacks. Call on worker <w>. */
void srv_retire(struct worker *w, void *ptr, void (*free_fn)(void *));
/* Number of I/O workers (valid after srv_start; 64 at most). */
unsigned srv_worker_count(const struct server *s);
#define SRV_MAX_WORKERS 64
/* The server's identity, for advisories and INFO-like replies. */
const char *srv_server_id(const struct server *s);
const char *srv_server_name(const struct server *s);

/* Rewrites the ports file (when --ports_file_dir is set) with the
 * monitoring URL on <http_port> added, as nats-server lists it. Returns 0
 * or -errno. */
int srv_ports_file_add_monitor(struct server *s, int http_port, struct errbuf *eb);
/* The worker's event loop, for timers owned by that worker. */
struct ev_loop *srv_worker_loop(struct worker *w);
unsigned srv_worker_index(const struct worker *w);
struct server *srv_worker_server(struct worker *w);

#endif
