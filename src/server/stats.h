/* Monitoring snapshots of the server: global counters, connections (open
 * and recently closed), subscriptions and subject-index statistics.
 *
 * Everything here is for the monitoring thread and never blocks the I/O
 * workers: counters are single-writer relaxed atomics summed on read; a
 * connection list is taken by posting a short copy job to every worker
 * (each copies its own clients, which only it may read) and waiting for the
 * answers; subscriptions are walked under the sublist's read lock. Results
 * are plain copies owned by the caller.
 */
#ifndef GN_SERVER_STATS_H
#define GN_SERVER_STATS_H

#include "server/server.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Server-wide figures for /varz. */
struct srv_varz {
    const char *server_id;      /* borrowed from the server (lives as long) */
    const char *server_name;    /* borrowed */
    int port;                   /* bound client port */
    int64_t start_real_ns;      /* wall clock at srv_new */
    int64_t connections;        /* open client connections */
    uint64_t total_connections; /* accepted since start */
    uint64_t in_msgs;           /* messages received from clients */
    uint64_t in_bytes;          /* their payload bytes (headers included) */
    uint64_t out_msgs;          /* messages delivered to clients */
    uint64_t out_bytes;         /* their payload bytes */
    uint64_t slow_consumers;    /* slow-consumer events */
    uint64_t subscriptions;     /* in the subject index, internal ones included */
    unsigned workers;           /* I/O threads */
    bool auth_required;         /* clients must authenticate */
    bool ready;                 /* started, not stopping, not in lame-duck mode */
};

/* Fills <out>. Any thread, lock-free. */
void srv_stats_varz(struct server *s, struct srv_varz *out);

/* One subscription. */
struct srv_sub_info {
    char *subject; /* heap */
    char *queue;   /* heap, NULL when not a queue subscription */
    char *sid;     /* heap */
    uint64_t msgs; /* messages delivered to it */
    uint64_t max;  /* auto-unsubscribe limit, 0 = none */
    uint64_t cid;  /* owning connection (internal subscribers have their own) */
};

/* One connection, open (stop_ns == 0) or closed. */
struct srv_conn_info {
    uint64_t cid;
    char ip[64];
    int port;
    int64_t start_ns;   /* wall clock at accept */
    int64_t last_ns;    /* wall clock of the last read */
    int64_t stop_ns;    /* wall clock at close, 0 while open */
    const char *reason; /* close reason (static string), NULL while open */
    int64_t rtt_ns;     /* last PING/PONG round trip, 0 = unknown */
    uint64_t pending;   /* output bytes not yet written */
    uint64_t in_msgs, in_bytes;
    uint64_t out_msgs, out_bytes;
    uint32_t num_subs;           /* subscriptions it holds */
    char *name, *lang, *version; /* from CONNECT (heap or NULL) */
    char *user;                  /* authenticated user name (heap or NULL) */
    struct srv_sub_info *subs;   /* with SRV_CONNS_SUBS (always for closed ones) */
    size_t nsubs;
};

struct srv_conns {
    struct srv_conn_info *v; /* heap array */
    size_t n;
};

#define SRV_CONNS_OPEN   0x1u /* include open connections */
#define SRV_CONNS_CLOSED 0x2u /* include the closed-connection ring */
#define SRV_CONNS_SUBS   0x4u /* fill the subscription lists of open ones */

/* Number of closed connections remembered (oldest forgotten first). */
#define SRV_CLOSED_MAX 10000

/* Collects the connections selected by <flags> into <out> (open ones first
 * in no particular order, then closed ones oldest first). Waits up to about
 * two seconds for the workers' answers. Returns 0, ERR_CLOSED when the
 * server is stopping (out is then empty), or -ETIMEDOUT. Any thread but an
 * I/O worker; free with srv_conns_deinit(). */
int srv_stats_conns(struct server *s, unsigned flags, struct srv_conns *out) WARN_UNUSED;
/* Frees what srv_stats_conns() allocated; <c> becomes empty. */
void srv_conns_deinit(struct srv_conns *c);

/* Subject-index statistics for /subsz. */
struct srv_subsz {
    uint64_t num_subscriptions;
    uint64_t num_cache; /* entries in the workers' match caches */
    uint64_t num_inserts;
    uint64_t num_removes;
    uint64_t num_matches; /* lookups: cache hits plus index matches */
    uint64_t cache_hits;
    uint64_t max_fanout;
    uint64_t total_fanout;  /* over index matches, for the average */
    uint64_t index_matches; /* lookups that went to the index */
};

/* Fills <out>; the match-cache figures are read by the workers themselves
 * (zero when the server is stopping). Any thread but an I/O worker. */
void srv_stats_subsz(struct server *s, struct srv_subsz *out);

struct srv_subs {
    struct srv_sub_info *v; /* heap array */
    size_t n;
};

/* Copies every subscription of the subject index (internal subscribers
 * included) into <out>. Takes the sublist's read lock. Any thread; free with
 * srv_subs_deinit(). */
void srv_stats_subs(struct server *s, struct srv_subs *out);
void srv_subs_deinit(struct srv_subs *l);

/* Frees the strings and subscription list of <ci> (not <ci> itself). */
void srv_conn_info_deinit(struct srv_conn_info *ci);

#endif
