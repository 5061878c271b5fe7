/* JetStream internals shared by jetstream.c (lifecycle, recovery, group
 * commit), stream.c (a stream: store, publish path, direct get) and api.c
 * ($JS.API handlers). Not part of the public API.
 *
 * Locking: js->lock guards the stream table and account usage; st->lock
 * guards one stream (config, store, dedup). Order: js->lock before
 * st->lock. Callbacks run on any worker. A stream is refcounted: the table
 * holds one reference (dropped through srv_retire after deletion, since
 * other workers may still call its callbacks), each pending PubAck another.
 */
#ifndef GN_JETSTREAM_INT_H
#define GN_JETSTREAM_INT_H

#include "jetstream/dedup.h"
#include "jetstream/jetstream.h"
#include "jetstream/js_consumer_json.h"
#include "jetstream/js_json.h"
#include "net/net.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/hist.h"

#include <pthread.h>
#include <stdatomic.h>

struct stream;

/* A PubAck waiting for its message to be synced (group commit). */
struct js_pending_ack {
    struct stream *st; /* holds a reference */
    char *reply;       /* reply subject (heap) */
    size_t reply_len;
    uint64_t seq; /* stored sequence */
    int64_t t0;   /* monotonic ns the publish reached the stream (latency histogram) */
};

/* Per worker state, touched only by that worker. */
struct js_wstate {
    struct js_pending_ack *acks;
    size_t nacks, cap;
    struct stream **flush; /* streams with write-behind bytes (refs held) */
    size_t nflush, flushcap;
    bool timer_armed; /* worker 0: expiry timer started */
};

struct consumer;

struct stream {
    struct jetstream *js;
    struct consumer **consumers; /* st->lock */
    size_t nconsumers;
    _Atomic int refs;
    pthread_mutex_t lock;
    struct js_stream_config cfg; /* current config (defaults applied) */
    char *dir;                   /* <root>/<name> */
    int64_t created;             /* ns */
    struct store *store;
    struct srv_isub **subs; /* one per config subject */
    size_t nsubs;
    struct srv_isub *direct[2]; /* DIRECT.GET.<name> and .<name>.> when allow_direct */
    struct js_dedup dedup;
    bool dedup_pending; /* the window still needs its recovery scan (dedup_ensure) */
    char *last_msg_id;  /* Nats-Msg-Id of the last stored message, or NULL */
    bool msg_ids_used;  /* some message carried a Nats-Msg-Id (marker file exists) */
    bool deleted;
    /* Consumer output waiting to go out in the order it was made (cq_deliver):
     * one thread at a time sends it, so deliveries pumped on two workers
     * cannot overtake each other. st->lock. */
    struct cq *outq;
    bool draining;
    bool pump_more; /* a push consumer stopped at its slice: continue on this worker */
};

struct jetstream {
    struct server *srv;
    const struct conf_opts *opts;
    char *root; /* <store_dir>/jetstream/$G/streams */
    pthread_mutex_t lock;
    struct stream **streams; /* sorted by name */
    size_t nstreams, cap;
    struct srv_isub **api_subs;
    size_t napi;
    void *api_args;              /* one struct api_sub_arg per API subscription (api.c) */
    struct srv_isub **capi_subs; /* consumer API and $JS.ACK.> (consumer_api.c) */
    size_t ncapi;
    void *capi_args;
    struct js_wstate ws[SRV_MAX_WORKERS];
    int64_t max_memory; /* server limits, bytes */
    int64_t max_storage;
    _Atomic uint64_t api_total, api_errors;
    struct js_commit *commit;       /* group commit thread (commit.c) */
    struct hist hists[HIST__COUNT]; /* latency histograms (monitoring) */
    _Atomic int npush;              /* push consumers (the subscription hook skips when 0) */
    pthread_mutex_t dsub_mu;        /* guards dsubs */
    struct js_dsub {                /* push consumers' deliver subjects, sorted, with counts */
        char *subj;
        size_t n;
    } * dsubs;
    size_t ndsubs, capdsubs;
    struct ev_timer expire_timer; /* on worker 0 */
    struct ev_timer cons_timer;   /* consumer timer, worker 0: at the next due time */
    int64_t cons_saved;           /* monotonic ns of the last state save (worker 0) */
    _Atomic int64_t cons_armed;   /* when cons_timer fires; INT64_MIN while running */
    _Atomic int64_t cons_req;     /* earliest wake asked for from other threads */
    int64_t last_sync;            /* monotonic ns of the last periodic sync (worker 0) */
    atomic_bool storage_full;     /* file usage reached max_storage (checked each tick) */
    atomic_bool memory_full;      /* memory usage reached max_memory */
    struct worker *w0;
};

/* ---- jetstream.c ---- */
struct stream *js__stream_find(struct jetstream *js, const char *name); /* js->lock held */
/* fsyncs directory <path> (its entries: created, renamed, removed files).
 * Returns 0 or -errno. */
int js__fsync_dir(const char *path);
/* Replaces <dir>/<name> with <n> bytes at <p> through <name>.tmp and a
 * rename; with <durable> the data is fdatasynced before the rename and
 * the directory after it, so the new content survives a power cut.
 * Returns 0 or -errno. */
int js__write_file(const char *dir, const char *name, const void *p, size_t n, bool durable);
/* Finds stream <name> (<len> bytes, not terminated) and takes a reference
 * (js__stream_unref it); NULL when there is none. Takes js->lock. */
struct stream *js__stream_acquire(struct jetstream *js, const char *name, size_t len);
/* Fills <out> (NUID_LEN + 1 bytes) with a fresh id for an event. */
void js__event_id(char *out);
void js__stream_ref(struct stream *st);
void js__stream_unref(struct stream *st);
/* Inserts <st> into the table (js->lock held; takes the table's ref). */
void js__stream_add(struct jetstream *js, struct stream *st);
/* Removes <st> from the table (js->lock held; the table's ref is the
 * caller's to drop). */
void js__stream_remove(struct jetstream *js, struct stream *st);
/* Recovers stream directory <dirname> from its meta.inf text. */
int js__stream_recover_meta(struct jetstream *js, const char *dirname, const char *json, size_t len,
                            struct errbuf *eb);
/* ---- commit.c: group commit on its own thread ---- */
/* Starts the commit thread. Returns 0 or -errno. */
int js__commit_start(struct jetstream *js);
/* Stops it (workers already stopped) and frees what was never sent. */
void js__commit_stop(struct jetstream *js);
/* Worker <w>, before it sleeps: writes what its appends left in the
 * stores' write-behind buffers, then hands its queued PubAcks to the
 * thread. */
void js__commit_submit(struct jetstream *js, struct worker *w);
/* <st>'s store holds appends of <w>'s to write before the worker sleeps. */
void js__flush_later(struct jetstream *js, struct worker *w, struct stream *st);
/* Queues a PubAck for after the next group commit on <w>. */
void js__ack_later(struct jetstream *js, struct worker *w, struct stream *st, struct slice reply,
                   uint64_t seq, int64_t t0);
/* Publishes the JSON in <b> to <reply> (no-op when reply is empty). */
void js__reply(struct worker *w, struct slice reply, const struct buf *b);
/* The same framed as nats-server frames PubAcks (empty reply field). */
void js__reply_ack(struct worker *w, struct slice reply, const struct buf *b);
/* Re-measures usage for the full-storage flags at once (after a purge,
 * delete or stream deletion frees space; js->lock not held). */
void js__usage_refresh(struct jetstream *js);
/* Bytes reserved/used by file and memory streams (js->lock held). */
void js__usage(struct jetstream *js, uint64_t *mem, uint64_t *store);

/* ---- stream.c ---- */
/* Creates a stream from a checked config <cfg> (moved into the stream), or
 * opens it from disk when <recover>. Returns 0 or an error with <e>/<desc>. */
int js__stream_open(struct jetstream *js, struct js_stream_config *cfg, int64_t created,
                    bool recover, struct stream **out, enum js_err *e, char *desc, size_t cap);
/* Subscribes the stream's subjects (and direct get). */
int js__stream_subscribe(struct stream *st);
/* Unsubscribes, destroys the store files, marks deleted. Call on worker <w>. */
void js__stream_delete(struct stream *st, struct worker *w);
/* Applies an updated, checked config (subjects, limits, direct). */
int js__stream_update(struct stream *st, struct worker *w, struct js_stream_config *cfg,
                      enum js_err *e, char *desc, size_t cap);
/* Writes meta.inf (config + created) atomically. Returns 0 or -errno. */
int js__stream_save_meta(struct stream *st);
/* Fills <si>/<state> from the stream (st->lock held). */
void js__stream_info(struct stream *st, struct js_stream_info *si, struct js_stream_state *state);
/* Loads the message a MSG.GET/DIRECT.GET request names (st->lock held). */
int js__stream_get(struct stream *st, const struct js_msg_get_req *r, struct store_msg *sm,
                   struct buf *scratch);
/* Runs max_age expiry; returns the next expiry time (wall ns) or 0. */
int64_t js__stream_expire(struct stream *st, int64_t now);
/* Closes the store and frees the stream (refs reached 0). */
void js__stream_free(struct stream *st);

/* ---- consumer.c ---- */
/* $JS.API.CONSUMER.* routes (subscribed by api.c's table). */
struct api_ctx;
/* Called after a message was stored (st->lock NOT held) on worker <w>. */
void js__consumers_notify(struct stream *st, struct worker *w);
/* Timer work: redeliveries after ack_wait, expired pulls, inactive
 * ephemerals. Worker 0, js->lock held. */
void js__consumers_tick(struct stream *st, struct worker *w, int64_t now_mono, bool save);
/* The earliest consumer work due in <st> (monotonic ns), INT64_MAX for
 * none. js->lock held. */
int64_t js__consumers_next_due(struct stream *st);
/* Any thread: consumer work is due at <t>; re-arms the consumer timer when
 * it would fire later than that. */
void js__consumer_wake(struct jetstream *js, int64_t t);
/* After a purge (st->lock held): consumers move past what was purged;
 * their ack floors follow, as nats-server's do. Like nats-server 2.9.10, a
 * partial purge (<partial>: a subject, sequence or keep was given) leaves
 * alone the consumers whose filter does not match the purge's <filter>
 * (NULL: none matches). */
void js__consumers_purged(struct stream *st, const char *filter, bool partial);
/* Frees every consumer of a stream (st->lock held or stream unshared):
 * with <save> their state is written first (clean stop), else their
 * files go (stream deletion) and, when <out> is not NULL, what deletion
 * announces (409 Consumer Deleted to waiting pull requests, advisories)
 * is added to <out> for the caller to send once it releases the lock.
 * Output not yet sent is dropped. */
struct cq;
void js__consumers_drop(struct stream *st, bool save, struct cq *out);
/* Recreates the durable consumers saved under the stream's directory. */
void js__consumers_recover(struct stream *st, int64_t now_mono);
/* True when some consumer still needs <seq> (interest retention); st->lock. */
bool js__consumers_interested(struct stream *st, uint64_t seq);
int js__consumer_api_subscribe(struct jetstream *js, struct errbuf *eb);

/* ---- api.c ---- */
int js__api_subscribe(struct jetstream *js, struct errbuf *eb);

#endif
