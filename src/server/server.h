/* The server: lifecycle, client connections and message delivery.
 *
 * srv_new() builds a server from options, srv_start() binds the listener and
 * starts the I/O threads (one epoll loop each), srv_wait() blocks the calling
 * thread handling signals (TERM/INT stop, USR1 reopens the log, USR2 enters
 * lame-duck mode) until the server stopped, srv_free() releases it.
 */
#ifndef GN_SERVER_H
#define GN_SERVER_H

#include <stdint.h>

#include "conf/conf.h"
#include "util/err.h"

struct server;

/* Gannet's own version, and the nats-server version whose client-visible
 * features Gannet implements (reported as INFO "version"). */
#define GANNET_OWN_VERSION "0.1.0"
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

#endif
