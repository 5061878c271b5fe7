/* Message-id de-duplication window of a stream (Nats-Msg-Id).
 *
 * A hash table of message ids with the sequence each was stored at, and a
 * FIFO in arrival order so that ids older than the window expire in O(1)
 * each. Not thread-safe: the stream's lock covers it. Internal to the
 * jetstream module. */
#ifndef GN_JETSTREAM_DEDUP_H
#define GN_JETSTREAM_DEDUP_H

#include "util/list.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct js_dedup {
    struct dd_ent **tab;   /* buckets (power of two) */
    size_t cap;            /* number of buckets */
    size_t count;          /* ids held */
    struct list_node fifo; /* entries, oldest first */
};

void js_dedup_init(struct js_dedup *d);
void js_dedup_deinit(struct js_dedup *d);
/* Drops ids recorded before <now_ns> - <window_ns>. */
void js_dedup_expire(struct js_dedup *d, int64_t now_ns, int64_t window_ns);
/* True when <id> is held (after expiry); sets *<seq> to its sequence. */
bool js_dedup_find(struct js_dedup *d, const char *id, size_t len, uint64_t *seq);
/* Records <id> stored as <seq> at <ts_ns>. An id already held is replaced. */
void js_dedup_add(struct js_dedup *d, const char *id, size_t len, uint64_t seq, int64_t ts_ns);
/* Writes the ids to <path> (text, one per line, oldest first) with
 * <last_seq> as the validity stamp. Returns 0 or -errno. */
int js_dedup_save(const struct js_dedup *d, const char *path, uint64_t last_seq);
/* Loads ids saved by js_dedup_save into <d> when the file's stamp equals
 * <last_seq>. Returns 0 when loaded, ERR_NOTFOUND (no file), ERR_CORRUPT
 * (bad or stale file: the caller rebuilds). */
int js_dedup_load(struct js_dedup *d, const char *path, uint64_t last_seq);
/* Forgets everything (stream purge keeps ids in nats-server: not used there). */
void js_dedup_clear(struct js_dedup *d);

#endif
