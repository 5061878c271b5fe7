/* Message-id de-duplication window of a stream (Nats-Msg-Id).
 *
 * Entries {hash, seq, ts, id} live in one array in arrival order (the
 * expiry FIFO), their ids in a byte arena in the same order, and an
 * open-addressing table keyed by XXH3 of the id indexes the live ones.
 * Expiry drops the oldest entries in O(1) each. Not thread-safe: the
 * stream's lock covers it. Internal to the jetstream module. */
#ifndef GN_JETSTREAM_DEDUP_H
#define GN_JETSTREAM_DEDUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct js_dedup {
    struct dd_ent *ents; /* entries [head, tail), oldest first (some replaced) */
    size_t head, tail, ecap;
    uint32_t *tab; /* slots: entry index + 1, 0 = empty (power of two) */
    size_t cap;    /* number of slots */
    size_t count;  /* ids held */
    char *ids;     /* id bytes [ids_head, ids_tail), in entry order */
    size_t ids_head, ids_tail, ids_cap;
};

void js_dedup_init(struct js_dedup *d);
void js_dedup_deinit(struct js_dedup *d);
/* Drops ids recorded before <now_ns> - <window_ns>. */
void js_dedup_expire(struct js_dedup *d, int64_t now_ns, int64_t window_ns);
/* True when <id> is held (after expiry); sets *<seq> to its sequence. */
bool js_dedup_find(struct js_dedup *d, const char *id, size_t len, uint64_t *seq);
/* Records <id> stored as <seq> at <ts_ns>. An id already held is replaced.
 * Timestamps must not decrease from one call to the next (expiry is FIFO). */
void js_dedup_add(struct js_dedup *d, const char *id, size_t len, uint64_t seq, int64_t ts_ns);
/* The id recorded last, or NULL when none is held or it was stored at a
 * sequence other than <seq>. Sets *<len>. Valid until the next change. */
const char *js_dedup_last(const struct js_dedup *d, uint64_t seq, size_t *len);
/* Writes the ids to <path> (binary: a header with <last_seq> as the validity
 * stamp, then length-prefixed ids with seq and ts, oldest first) through
 * <path>.tmp and a rename. Returns 0 or -errno. */
int js_dedup_save(const struct js_dedup *d, const char *path, uint64_t last_seq);
/* Loads ids saved by js_dedup_save into <d> (which should be empty) when the
 * file's stamp equals <last_seq>, with one read. Returns 0 when loaded,
 * ERR_NOTFOUND (no file), ERR_CORRUPT (bad, old-format or stale file: <d>
 * is left empty and the caller rebuilds). */
int js_dedup_load(struct js_dedup *d, const char *path, uint64_t last_seq);
/* Forgets everything (stream purge keeps ids in nats-server: not used there). */
void js_dedup_clear(struct js_dedup *d);

#endif
