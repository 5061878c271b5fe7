/* Monitoring snapshot of JetStream for /jsz, /varz and /metrics: server
 * limits and usage, every stream's state and config, every consumer's
 * ConsumerInfo, plus the /healthz recovery check.
 *
 * A snapshot is a plain copy owned by the caller. It takes the JetStream
 * table lock only to reference the streams, then each stream's lock for as
 * long as one StreamInfo/ConsumerInfo takes to build (what a $JS.API INFO
 * request costs), so the I/O workers are never held up for long. The
 * embedded JSON texts are the $JS.API renderings (compact, Go escaping).
 */
#ifndef GN_JETSTREAM_JS_STATS_H
#define GN_JETSTREAM_JS_STATS_H

#include "jetstream/jetstream.h"
#include "util/hist.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One consumer. */
struct js_stats_consumer {
    char *name;                      /* heap */
    char *description;               /* heap, NULL when none */
    char *info_json;                 /* ConsumerInfo JSON (config only with JS_STATS_CONFIG) */
    int64_t created;                 /* wall ns */
    uint64_t delivered_consumer_seq; /* delivered.consumer_seq */
    uint64_t delivered_stream_seq;   /* delivered.stream_seq */
    int64_t delivered_last;          /* delivered.last_active, wall ns, 0 = never */
    uint64_t ack_floor_consumer_seq; /* ack_floor.consumer_seq */
    uint64_t ack_floor_stream_seq;   /* ack_floor.stream_seq */
    int64_t ack_floor_last;          /* ack_floor.last_active, wall ns, 0 = never */
    int64_t num_ack_pending;
    int64_t num_redelivered;
    int64_t num_waiting;
    uint64_t num_pending;
};

/* One stream. */
struct js_stats_stream {
    char *name;        /* heap */
    int64_t created;   /* wall ns */
    char *config_json; /* StreamConfig JSON with JS_STATS_CONFIG, else NULL */
    char *state_json;  /* StreamState JSON */
    uint64_t messages, bytes, first_seq, last_seq;
    int64_t num_subjects;
    int64_t consumer_count;
    int64_t max_msgs; /* config limits (-1 = none) */
    int64_t max_bytes;
    bool memory;                         /* memory storage */
    struct js_stats_consumer *consumers; /* with JS_STATS_CONSUMERS */
    size_t nconsumers;
};

struct js_stats {
    char *store_dir;    /* heap: <store_dir>/jetstream, as nats-server reports it */
    const char *domain; /* borrowed from the options, NULL when none */
    int64_t max_memory; /* server limits */
    int64_t max_storage;
    uint64_t memory;     /* bytes stored by memory streams */
    uint64_t storage;    /* bytes stored by file streams */
    uint64_t api_total;  /* $JS.API requests */
    uint64_t api_errors; /* ... answered with an error */
    uint64_t nstreams;   /* totals over every stream */
    uint64_t nconsumers;
    uint64_t messages;
    uint64_t bytes;
    struct js_stats_stream *streams; /* with JS_STATS_STREAMS, sorted by name */
    size_t n;
};

#define JS_STATS_STREAMS   0x1u /* fill streams[] */
#define JS_STATS_CONSUMERS 0x2u /* fill each stream's consumers[] (implies streams) */
#define JS_STATS_CONFIG    0x4u /* include the config JSON of streams and consumers */

/* Fills <out> with the snapshot selected by <flags>. Any thread that is not
 * holding a JetStream lock; free with js_stats_deinit(). */
void js_stats_get(struct jetstream *js, unsigned flags, struct js_stats *out);
/* Frees what js_stats_get() allocated; <st> becomes empty. */
void js_stats_deinit(struct js_stats *st);

/* nats-server's single-server health check: every entry of the JetStream
 * store directory must be a known account ("$G") and every stream directory
 * of it a loaded stream. Returns true when healthy; otherwise false with
 * nats-server's error text in <err> (capacity <cap>). Any thread. */
bool js_stats_healthy(struct jetstream *js, char *err, size_t cap);
/* JetStream's histogram <id> (util/hist.h), NULL when <js> is NULL. Read it
 * with hist_snapshot_get from any thread. */
struct hist *js_stats_hist(struct jetstream *js, enum hist_id id);

#endif
