/* Message store for JetStream streams: one interface, two backends.
 *
 * A store holds one stream's messages, numbered by a 64-bit sequence that
 * starts at 1 (or config first_seq) and only grows. Each message has a
 * subject, optional NATS headers, a payload and a wall-clock timestamp. The
 * store enforces the stream limits (max_msgs, max_bytes, max_age,
 * max_msgs_per_subject, max_msg_size, discard old/new) and keeps per-subject
 * state (count, first and last sequence) in memory so that "last message on
 * subject", purge by subject and per-subject limits never scan the data.
 *
 * Backends: memory (lost on restart by design) and file (a directory of
 * block files with checksummed records, see docs/FILESTORE.md). The file
 * store's durability contract: after store_sync() returns 0, every message
 * appended before the call survives kill -9 and power loss.
 *
 * Threading: a store is not thread-safe; the owner (a stream) serialises
 * calls with its own lock. store_sync() may be called with the lock
 * released by one designated syncing thread while appends continue,
 * see store_sync's contract.
 */
#ifndef GN_STORE_H
#define GN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

enum store_kind {
    STORE_FILE = 0,
    STORE_MEMORY = 1,
};

enum store_discard {
    STORE_DISCARD_OLD = 0, /* drop oldest messages to make room */
    STORE_DISCARD_NEW = 1, /* refuse new messages (ERR_LIMIT) */
};

/* Limits; -1 (or 0 for max_age) means unlimited. */
struct store_limits {
    int64_t max_msgs;
    int64_t max_bytes; /* counted as store_msg_size() of each message */
    int64_t max_age_ns;
    int64_t max_msgs_per_subject;
    int64_t max_msg_size; /* payload + headers */
    enum store_discard discard;
    bool discard_new_per_subject; /* with DISCARD_NEW: per-subject limit refuses too */
};

struct store_config {
    enum store_kind kind;
    const char *dir;       /* STORE_FILE: directory (created if missing); borrowed */
    struct store_limits limits;
    uint64_t first_seq;    /* sequence of the first message of a new store (default 1) */
    size_t block_size;     /* STORE_FILE: target block file size (0 = default 8 MiB) */
};

/* A message as returned by loads. The pointers stay valid until the next
 * call that uses the same struct buf <scratch> (or any mutation of the
 * store for the memory backend's zero-copy loads): copy what you keep. */
struct store_msg {
    uint64_t seq;
    int64_t ts; /* ns since the Unix epoch */
    const char *subj;
    size_t subj_len;
    const char *hdr; /* NATS header block ("NATS/1.0\r\n...\r\n\r\n") or NULL */
    size_t hdr_len;
    const char *data;
    size_t data_len;
};

struct store_state {
    uint64_t msgs;
    uint64_t bytes;
    uint64_t first_seq; /* first live message, or last_seq + 1 when empty */
    int64_t first_ts;   /* 0 when empty */
    uint64_t last_seq;  /* highest sequence ever assigned (survives purges) */
    int64_t last_ts;
    uint64_t num_subjects;
    uint64_t num_deleted; /* interior gaps between first_seq and last_seq */
};

/* Per-subject state for subject listings. */
struct store_subject_info {
    const char *subj; /* valid during the callback only */
    size_t subj_len;
    uint64_t msgs;
    uint64_t first_seq;
    uint64_t last_seq;
};

/* What removal events a store reports (limits, expiry, purge) so that the
 * stream can update consumers: called synchronously from the mutating
 * call, with the store lock held by the caller. May be NULL. */
typedef void (*store_remove_cb)(void *arg, uint64_t seq);

struct store;

/* Opens (recovering from disk for STORE_FILE) or creates a store. Returns 0
 * and a new store in *<out> (free with store_close), or -errno / ERR_CORRUPT
 * with <eb> filled. A torn or corrupt tail is truncated (and reported in
 * store_recovery_info), never trusted. */
int store_open(const struct store_config *cfg, struct store **out, struct errbuf *eb) WARN_UNUSED;
/* Flushes, syncs, writes recovery summaries and frees <s>. NULL is a no-op. */
void store_close(struct store *s);
/* Closes <s> and deletes its files (stream deletion). */
void store_destroy(struct store *s);
/* Sets the callback told about every message removed by limits, expiry or
 * purge (not by store_remove). */
void store_set_remove_cb(struct store *s, store_remove_cb cb, void *arg);
/* Applies new limits (stream update); enforces them at once. */
void store_set_limits(struct store *s, const struct store_limits *lim);

/* Size that counts against max_bytes (nats-server: subject + headers +
 * payload + 16 bytes of overhead... see store_msg.c). */
uint64_t store_msg_size(size_t subj_len, size_t hdr_len, size_t data_len);

/* Appends a message with timestamp <ts>. On success returns 0 and sets
 * *<seq>. Returns ERR_LIMIT when a DISCARD_NEW limit refuses it (max_msgs,
 * max_bytes, or per subject with discard_new_per_subject), ERR_INVAL when
 * it exceeds max_msg_size, -ENOSPC/-EIO when the disk fails (the store stays
 * readable and consistent: the record is not counted). Not yet durable:
 * see store_sync. */
int store_append(struct store *s, const char *subj, size_t subj_len, const char *hdr,
                 size_t hdr_len, const char *data, size_t data_len, int64_t ts,
                 uint64_t *seq) WARN_UNUSED;
/* Makes every append made before the call durable (fdatasync of the dirty
 * block files; a no-op for memory). Returns 0 or -errno. Group commit: the
 * caller batches many appends per sync. */
int store_sync(struct store *s) WARN_UNUSED;
/* The highest sequence known durable (all of them for memory). */
uint64_t store_synced_seq(const struct store *s);

/* Loads message <seq>. Returns 0, or ERR_NOTFOUND (never stored, deleted or
 * purged). <scratch> holds the bytes (file store). */
int store_load(struct store *s, uint64_t seq, struct store_msg *out, struct buf *scratch) WARN_UNUSED;
/* Loads the first message with sequence >= <start> whose subject matches
 * <filter> (NULL or ">" = any; wildcards allowed). Returns 0 or
 * ERR_NOTFOUND. Uses per-subject state to skip, not a scan, when <filter>
 * is literal. */
int store_load_next(struct store *s, uint64_t start, const char *filter, size_t filter_len,
                    struct store_msg *out, struct buf *scratch) WARN_UNUSED;
/* Loads the last message whose subject matches <filter>. Returns 0 or
 * ERR_NOTFOUND. O(1) for a literal subject. */
int store_load_last(struct store *s, const char *filter, size_t filter_len, struct store_msg *out,
                    struct buf *scratch) WARN_UNUSED;

/* Removes message <seq>; with <erase> its bytes are overwritten on disk.
 * Returns 0 or ERR_NOTFOUND. */
int store_remove(struct store *s, uint64_t seq, bool erase) WARN_UNUSED;
/* Purges messages: those matching <filter> (NULL = all), with sequence
 * below <upto_seq> when non-zero, keeping the newest <keep> per the filter
 * when non-zero (nats-server's semantics). Sets *<purged>. Returns 0. When
 * everything is purged, first_seq becomes last_seq + 1 (or <upto_seq>). */
int store_purge(struct store *s, const char *filter, size_t filter_len, uint64_t upto_seq,
                uint64_t keep, uint64_t *purged) WARN_UNUSED;
/* Removes messages older than max_age relative to <now_ns> (wall clock).
 * Returns the wall-clock time of the next expiry, or 0 when none is due. */
int64_t store_expire(struct store *s, int64_t now_ns);

/* Fills <st>. O(1). */
void store_state_get(const struct store *s, struct store_state *st);
/* Number of messages with sequence >= <start> matching <filter> (NULL =
 * all). For consumer num_pending; uses per-subject state for literals. */
uint64_t store_count_from(struct store *s, uint64_t start, const char *filter, size_t filter_len);
/* Calls <cb> for each subject matching <filter> (NULL = all) with messages.
 * Stops early when <cb> returns false. */
void store_subjects(struct store *s, const char *filter, size_t filter_len,
                    bool (*cb)(void *arg, const struct store_subject_info *si), void *arg);
/* Calls <cb> for every deleted (interior gap) sequence, ascending. */
void store_deleted(struct store *s, bool (*cb)(void *arg, uint64_t seq), void *arg);

/* File store only: what recovery found at open. */
struct store_recovery_info {
    uint64_t blocks;         /* block files read */
    uint64_t records;        /* records recovered */
    uint64_t truncated_bytes; /* torn/corrupt tail bytes dropped */
    bool used_summaries;     /* recovered from clean-shutdown summaries without a data scan */
    int64_t elapsed_ns;
};
void store_recovery_info_get(const struct store *s, struct store_recovery_info *ri);

#endif
