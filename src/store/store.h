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
 * calls with its own lock. The one exception is store_sync() (and
 * store_synced_seq()), which one designated syncing thread may call without
 * the owner's lock while appends continue: it only takes the store's
 * internal sync mutex (group commit).
 */
#ifndef GN_STORE_H
#define GN_STORE_H

#include "util/buf.h"
#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum store_kind {
    STORE_FILE = 0,
    STORE_MEMORY = 1,
};

enum store_discard {
    STORE_DISCARD_OLD = 0, /* drop oldest messages to make room */
    STORE_DISCARD_NEW = 1, /* refuse new messages (ERR_LIMIT) */
};

/* Limits; a value <= 0 means unlimited (JetStream's -1, and 0 for max_age). */
struct store_limits {
    int64_t max_msgs;
    int64_t max_bytes; /* counted as store_msg_size() of each message */
    int64_t max_age_ns;
    int64_t max_msgs_per_subject;
    int64_t max_msg_size;         /* payload + headers */
    enum store_discard discard;   /* what happens when max_msgs/max_bytes is reached */
    bool discard_new_per_subject; /* with DISCARD_NEW: per-subject limit refuses too */
};

struct hist; /* util/hist.h */

struct store_config {
    enum store_kind kind;
    const char *dir; /* STORE_FILE: directory (created if missing); borrowed */
    struct store_limits limits;
    uint64_t first_seq;     /* sequence of the first message of a new store (0 = 1) */
    size_t block_size;      /* STORE_FILE: target block file size (0 = 8 MiB, max 1 GiB) */
    struct hist *sync_hist; /* STORE_FILE: records how long each sync takes; NULL = none */
    /* STORE_FILE: appends collect in memory and reach the block file in one
     * write at store_flush (or when ~1 MiB waits, or any other mutating call
     * ends); disk space is reserved at append time so a full disk still
     * fails the append. Without it every append is written at once. */
    bool write_behind;
};

/* A message as returned by loads. The pointers stay valid until the next
 * call that uses the same struct buf <scratch> (file backend) or until the
 * next mutation of the store (memory backend, zero-copy): copy what you keep. */
struct store_msg {
    uint64_t seq;
    int64_t ts;       /* ns since the Unix epoch */
    const char *subj; /* not NUL-terminated */
    size_t subj_len;
    const char *hdr; /* NATS header block ("NATS/1.0\r\n...\r\n\r\n") or NULL */
    size_t hdr_len;
    const char *data; /* may be NULL when data_len is 0 */
    size_t data_len;
};

struct store_state {
    uint64_t msgs;
    uint64_t bytes;     /* sum of store_msg_size() */
    uint64_t first_seq; /* first live message, or last_seq + 1 when empty */
    int64_t first_ts;   /* 0 when empty */
    uint64_t last_seq;  /* highest sequence ever assigned (survives purges) */
    int64_t last_ts;    /* timestamp of message last_seq when it was stored */
    uint64_t num_subjects;
    uint64_t num_deleted; /* gaps between first_seq and last_seq (0 when empty) */
};

/* Per-subject state for subject listings. */
struct store_subject_info {
    const char *subj; /* valid during the callback only; not NUL-terminated */
    size_t subj_len;
    uint64_t msgs;
    uint64_t first_seq;
    uint64_t last_seq;
};

/* What removal events a store reports (limits, expiry, purge) so that the
 * stream can update consumers: called synchronously from the mutating
 * call, with the store lock held by the caller. It must not call back into
 * the store. */
typedef void (*store_remove_cb)(void *arg, uint64_t seq);

struct store;

/* Opens (recovering from disk for STORE_FILE) or creates a store. Returns 0
 * and a new store in *<out> (free with store_close), or ERR_INVAL (bad
 * config), ERR_EXISTS (the directory is open by another store), -errno
 * with <eb> filled. A torn or corrupt tail is truncated (and reported in
 * store_recovery_info), never trusted; limits are enforced after recovery
 * (without callbacks). cfg->first_seq only applies to a new, empty store. */
int store_open(const struct store_config *cfg, struct store **out, struct errbuf *eb) WARN_UNUSED;
/* Flushes, syncs, writes recovery summaries and frees <s>. NULL is a no-op. */
void store_close(struct store *s);
/* Frees <s> and deletes its files and directory (stream deletion). NULL is
 * a no-op. */
void store_destroy(struct store *s);
/* Sets the callback told about every message removed by limits, expiry or
 * purge (not by store_remove). <cb> may be NULL. */
void store_set_remove_cb(struct store *s, store_remove_cb cb, void *arg);
/* Applies new limits (stream update); enforces max_msgs, max_bytes and
 * max_msgs_per_subject at once (max_age at the next store_expire). */
void store_set_limits(struct store *s, const struct store_limits *lim);

/* Size that counts against max_bytes and in state bytes, exactly as
 * nats-server 2.9.10 reports it (measured): file storage subj + hdr + data
 * + 30, plus 4 when hdr_len > 0; memory storage subj + hdr + data + 16. */
uint64_t store_msg_size(enum store_kind kind, size_t subj_len, size_t hdr_len, size_t data_len);

/* Appends a message with timestamp <ts> and sequence last_seq + 1. On
 * success returns 0 and sets *<seq> (may be NULL). Returns ERR_LIMIT when a
 * DISCARD_NEW limit refuses it (max_msgs, max_bytes as nats-server checks
 * it: bytes + hdr_len + data_len >= max_bytes, or per subject with
 * discard_new_per_subject), ERR_INVAL when hdr+data exceed max_msg_size or
 * the subject is empty or longer than 65535 bytes, -ENOSPC/-EIO/... when
 * the disk fails (the store stays readable and consistent: the partial
 * record is cut off and not counted), ERR_LIMIT too when sequences would
 * reach 2^62. After storing, discard-old limits are
 * enforced (and max_bytes even with DISCARD_NEW, like nats-server). Not yet
 * durable: see store_sync. <subj> must be a valid literal subject (not
 * checked beyond length). */
int store_append(struct store *s, const char *subj, size_t subj_len, const char *hdr,
                 size_t hdr_len, const char *data, size_t data_len, int64_t ts,
                 uint64_t *seq) WARN_UNUSED;
/* Makes every append made before the call durable (fdatasync of the block
 * files written since the last sync, and of the directory when blocks were
 * created or deleted; a no-op for memory). Returns 0 or -errno (after an
 * fdatasync error the store should be considered failed: the kernel may
 * have dropped the dirty pages). May run on a syncing thread without the
 * owner's lock, concurrently with any call except store_close/destroy and
 * another store_sync. */
int store_sync(struct store *s) WARN_UNUSED;
/* Owner only: writes the appends write-behind still holds (a no-op
 * otherwise), so that the next store_sync covers them. 0 or -errno (the
 * bytes stay buffered, loads still see them; store_synced_seq stays
 * below them until a later flush and sync succeed). */
int store_flush(struct store *s) WARN_UNUSED;
/* The highest sequence known durable (all of them for memory). Any thread. */
uint64_t store_synced_seq(const struct store *s);

/* Loads message <seq>. Returns 0, ERR_NOTFOUND (never stored, deleted or
 * purged), or for the file backend ERR_CORRUPT (checksum mismatch on
 * disk) / -errno. <scratch> holds the bytes (file store). */
int store_load(struct store *s, uint64_t seq, struct store_msg *out,
               struct buf *scratch) WARN_UNUSED;
/* Loads the first message with sequence >= <start> whose subject matches
 * <filter> (NULL, "" or ">" = any; wildcards allowed). Returns 0,
 * ERR_NOTFOUND, or a store_load error. For a literal <filter> the
 * per-subject state bounds the search (and follows the subject chain when
 * the message before <start> is on the same subject). */
int store_load_next(struct store *s, uint64_t start, const char *filter, size_t filter_len,
                    struct store_msg *out, struct buf *scratch) WARN_UNUSED;
/* Loads the last message whose subject matches <filter>. Returns 0,
 * ERR_NOTFOUND or a store_load error. O(1) for a literal subject. */
int store_load_last(struct store *s, const char *filter, size_t filter_len, struct store_msg *out,
                    struct buf *scratch) WARN_UNUSED;

/* Removes message <seq>; with <erase> its bytes are overwritten on disk.
 * Returns 0, ERR_NOTFOUND, or -errno: when the erase write fails nothing is
 * removed; when only the tombstone write fails the message is removed in
 * memory and the record is retried with the next write. Does not call the
 * remove callback. */
int store_remove(struct store *s, uint64_t seq, bool erase) WARN_UNUSED;
/* Purges messages as nats-server's STREAM.PURGE does: those matching
 * <filter> (NULL, "" or ">" = all), with sequence below <upto_seq> when
 * <upto_seq> > 1 ("up to, not including"; 0 and 1 mean no bound), keeping
 * the newest <keep> messages matching the filter when <keep> > 0. Sets
 * *<purged> (may be NULL). Returns 0, ERR_INVAL when both <upto_seq> and
 * <keep> are non-zero (nats-server answers 10003 bad request) or <upto_seq>
 * is 2^62 or more, or -errno (the purge took effect in memory; its record
 * is retried with the next write).
 * Without a filter: purging everything sets first_seq to last_seq + 1; an
 * <upto_seq> beyond last_seq + 1 moves both: first_seq = upto_seq,
 * last_seq = upto_seq - 1. With a filter, first_seq becomes the first
 * remaining message (or last_seq + 1). */
int store_purge(struct store *s, const char *filter, size_t filter_len, uint64_t upto_seq,
                uint64_t keep, uint64_t *purged) WARN_UNUSED;
/* Removes messages from the front whose age is >= max_age at <now_ns>
 * (wall clock). Returns the wall-clock time of the next expiry, or 0 when
 * no message is stored or max_age is unlimited. */
int64_t store_expire(struct store *s, int64_t now_ns);

/* Fills <st>. O(1). */
void store_state_get(const struct store *s, struct store_state *st);
/* Number of messages with sequence >= <start> matching <filter> (NULL =
 * all). For consumer num_pending; uses per-subject state for literals. */
uint64_t store_count_from(struct store *s, uint64_t start, const char *filter, size_t filter_len);
/* Calls <cb> for each subject matching <filter> (NULL = all) with messages,
 * in no particular order. Stops early when <cb> returns false. <cb> must not
 * mutate the store. */
void store_subjects(struct store *s, const char *filter, size_t filter_len,
                    bool (*cb)(void *arg, const struct store_subject_info *si), void *arg);
/* Calls <cb> for every deleted sequence between first_seq and last_seq,
 * ascending. Stops early when <cb> returns false. */
void store_deleted(struct store *s, bool (*cb)(void *arg, uint64_t seq), void *arg);

/* File store only (zeros for memory): what recovery found at open. */
struct store_recovery_info {
    uint64_t blocks;          /* block files read */
    uint64_t records;         /* message records recovered (live or not) */
    uint64_t truncated_bytes; /* torn/corrupt bytes dropped */
    uint64_t blocks_scanned;  /* blocks without a valid summary, whose records were read */
    bool used_summaries;      /* every block came from its summary: no data read */
    int64_t elapsed_ns;
};
void store_recovery_info_get(const struct store *s, struct store_recovery_info *ri);

#endif
