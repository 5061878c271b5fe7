/* Internals shared by the store core (store.c, query.c), its two in-memory
 * indexes (msgindex.c: sequence -> entry, subject -> state) and the
 * backends (memstore.c, filestore/). The core owns all stream semantics
 * (limits, purge, queries); a backend only stores and fetches bytes behind
 * struct store__ops.
 */
#ifndef GN_STORE_INT_H
#define GN_STORE_INT_H

#include "store/store.h"

#include <stdatomic.h>

/* ---- sequence index: seq -> entry, memory proportional to live messages ----
 *
 *   dir[head + i] ---> chunk for seqs [(base+i)*256, (base+i)*256 + 255]
 *                      bits[4]: which of the 256 seqs are live
 *                      pre[4]:  live bits in the words before each word
 *                      ents[n]: live entries in seq order (rank = popcount)
 *
 * A chunk with no live entry is freed (its dir slot is NULL), so a sparse
 * stream (KV with many keys) costs 8 bytes per 256 sequences of span plus
 * one entry per live message.
 *
 * Lazy runs: a backend may register runs of live entries that are not
 * materialised yet (the file store's blocks whose entries are still in
 * their summaries, see docs/FILESTORE.md). They count as live; the first
 * access that needs one (get/next/prev of a sequence in it, a count or
 * gap listing through it) calls the loader, which inserts the run's
 * entries with store__seqidx_put_run. Runs never overlap each other or a
 * materialised entry. */
#define STORE__CHUNK_BITS 8
#define STORE__CHUNK_SPAN (1u << STORE__CHUNK_BITS)

#define STORE__ENT_HDR      0x80000000u  /* ent.len flag: the message has headers */
#define STORE__ENT_LEN_MASK 0x7fffffffu  /* ent.len: subject + headers + data bytes */
#define STORE__MAX_LEN      (1u << 30)   /* largest subject + headers + data */
#define STORE__MAX_SEQ      (1ull << 62) /* sequences stay below, so seq + 1 never wraps */

struct store__ent {
    uint64_t loc;   /* backend location: blob pointer, or block << 32 | offset */
    int64_t ts;     /* ns since the epoch */
    uint64_t sprev; /* previous live message on the same subject, 0 = none */
    uint64_t snext; /* next live message on the same subject, 0 = none */
    uint32_t subj;  /* subject id in the psi */
    uint32_t len;   /* subject + headers + data bytes, | STORE__ENT_HDR */
};

struct store__chunk {
    uint64_t bits[STORE__CHUNK_SPAN / 64]; /* live seqs of this chunk */
    uint8_t pre[STORE__CHUNK_SPAN / 64];   /* popcount of bits[0 .. w) (rank in one popcount) */
    uint32_t n;                            /* live entries */
    uint32_t cap;                          /* allocated entries */
    struct store__ent ents[];              /* n entries, ascending seq */
};

/* A run of live entries not materialised yet. */
struct store__lazy {
    uint64_t lo, hi; /* its first and last sequence (both live) */
    uint64_t n;      /* live entries in [lo, hi] */
    int64_t lo_ts;   /* timestamp of <lo> */
    void *arg;       /* the loader's handle for the run */
};

/* Materialises the run registered with handle <run>: must insert exactly
 * its entries (store__seqidx_put_run) and nothing else. */
typedef void (*store__load_cb)(void *arg, void *run);

struct store__seqidx {
    struct store__chunk **dir; /* window dir[head .. head + n) */
    size_t head;               /* first used slot */
    size_t n;                  /* used slots */
    size_t cap;                /* allocated slots */
    uint64_t base;             /* chunk number of dir[head] */
    uint64_t count;            /* materialised live entries */
    struct store__lazy *lazy;  /* runs not materialised, ascending */
    size_t nlazy, lazycap;
    store__load_cb load; /* materialises a run */
    void *load_arg;
};

void store__seqidx_init(struct store__seqidx *x);
void store__seqidx_deinit(struct store__seqidx *x);
/* Returns the entry of <seq> or NULL (materialising its run if lazy). The
 * pointer is valid until the next call on the index other than
 * store__seqidx_ts (any access may materialise a run and move entries). */
struct store__ent *store__seqidx_get(const struct store__seqidx *x, uint64_t seq);
/* Timestamp of live <seq> (which must exist), without materialising a
 * run when <seq> is the first of one. */
int64_t store__seqidx_ts(const struct store__seqidx *x, uint64_t seq);
/* Adds <seq> (must be absent, > 0, outside lazy runs) and returns its
 * zeroed entry. */
struct store__ent *store__seqidx_add(struct store__seqidx *x, uint64_t seq);
/* Removes <seq> (must be present and materialised: get it first). */
void store__seqidx_del(struct store__seqidx *x, uint64_t seq);
/* First live entry with sequence >= <seq> (sets *<found>), or NULL. */
struct store__ent *store__seqidx_next(const struct store__seqidx *x, uint64_t seq, uint64_t *found);
/* The same within [<seq>, <hi>]: lazy runs beyond <hi> stay as they are. */
struct store__ent *store__seqidx_next_in(const struct store__seqidx *x, uint64_t seq, uint64_t hi,
                                         uint64_t *found);
/* Last live entry with sequence <= <seq> (sets *<found>), or NULL. */
struct store__ent *store__seqidx_prev(const struct store__seqidx *x, uint64_t seq, uint64_t *found);
/* Number of live entries with sequence >= <seq>. */
uint64_t store__seqidx_count_from(const struct store__seqidx *x, uint64_t seq);
/* Calls <cb> for each absent sequence in [<from>, <to>] ascending until it
 * returns false. */
void store__seqidx_gaps(const struct store__seqidx *x, uint64_t from, uint64_t to,
                        bool (*cb)(void *arg, uint64_t seq), void *arg);
/* Removes every entry and forgets every lazy run (without loading them). */
void store__seqidx_clear(struct store__seqidx *x);
/* Sets the loader of lazy runs. */
void store__seqidx_set_loader(struct store__seqidx *x, store__load_cb cb, void *arg);
/* Registers a lazy run [<lo>, <hi>] of <n> live entries (<lo_ts> the
 * timestamp of <lo>), above every run and entry so far; <arg> is handed
 * to the loader. */
void store__seqidx_lazy_add(struct store__seqidx *x, uint64_t lo, uint64_t hi, uint64_t n,
                            int64_t lo_ts, void *arg);
/* Inserts <n> entries <ents> at ascending sequences <seqs> (all absent;
 * no present entry lies between two of them). For loaders. */
void store__seqidx_put_run(struct store__seqidx *x, const uint64_t *seqs,
                           const struct store__ent *ents, size_t n);

/* ---- per-subject index (psi): subject -> {msgs, first, last} ----
 * Open addressing (linear probing, backward-shift deletion) over 32-bit
 * subject ids; id 0 means "none". */
struct store__subj {
    uint64_t hash;  /* XXH3 of the name */
    uint64_t msgs;  /* live messages */
    uint64_t first; /* first live sequence */
    uint64_t last;  /* last live sequence */
    uint32_t len;   /* name length */
    char name[];    /* name, NUL-terminated */
};

/* A hash table slot: the id and the high half of its subject's hash, so
 * that probing compares tags, not subjects (no pointer chasing), and the
 * home slot (tag & tabmask) is known without the subject. */
struct store__psi_slot {
    uint32_t id;
    uint32_t tag;
};

struct store__psi {
    struct store__subj **byid; /* byid[id], NULL for free ids; byid[0] unused */
    uint32_t nid;              /* ids handed out so far (+1 for id 0) */
    uint32_t idcap;            /* allocated byid slots */
    uint32_t *freeids;         /* stack of released ids */
    uint32_t nfree, freecap;
    struct store__psi_slot *tab; /* hash table of ids, id 0 = empty slot */
    uint32_t tabmask;            /* table size - 1 (power of two) */
    uint64_t count;              /* subjects present */
};

void store__psi_init(struct store__psi *p);
void store__psi_deinit(struct store__psi *p);
/* Returns the id of subject <name> or 0. */
uint32_t store__psi_find(const struct store__psi *p, const char *name, size_t len);
/* Returns the id of <name>, adding it (msgs 0) when absent. */
uint32_t store__psi_add(struct store__psi *p, const char *name, size_t len);
/* Removes subject <id>; the id may be reused. */
void store__psi_del(struct store__psi *p, uint32_t id);
void store__psi_clear(struct store__psi *p);
static inline struct store__subj *store__psi_get(const struct store__psi *p, uint32_t id)
{
    return p->byid[id];
}

/* ---- backends ---- */

/* Fault injection for tests: called before each disk write / sync; a
 * negative return makes that step fail with it (writes first write half
 * of their bytes, like a disk filling up). */
enum store__fault_op {
    STORE__FAULT_WRITE = 1,
    STORE__FAULT_SYNC = 2,
    STORE__FAULT_FLUSH = 3, /* write-behind: writing the buffer (nothing written) */
};
typedef int (*store__fault_cb)(void *arg, enum store__fault_op op);

enum store__close {
    STORE__CLOSE_CLEAN = 0,
    STORE__CLOSE_DESTROY = 1,
    STORE__CLOSE_CRASH = 2,
};

struct store__ops {
    /* Stores a new message; sets *<loc>. 0 or -errno, nothing stored. */
    int (*write)(struct store *s, uint64_t seq, int64_t ts, const char *subj, size_t subj_len,
                 const char *hdr, size_t hdr_len, const char *data, size_t data_len, uint64_t *loc);
    /* Fills <out> for live entry <e> of <seq>. */
    int (*read)(struct store *s, uint64_t seq, const struct store__ent *e, struct store_msg *out,
                struct buf *scratch);
    /* Overwrites the bytes of live entry <e> before its removal. */
    int (*erase)(struct store *s, uint64_t seq, const struct store__ent *e);
    /* Entry <e> of <seq> was just removed from the index (state updated). */
    void (*removed)(struct store *s, uint64_t seq, const struct store__ent *e);
    /* Every message is about to be dropped (index still intact); the core
     * then clears the index and sets first_seq/last_seq. */
    int (*purge_all)(struct store *s);
    /* End of a mutating call: persist removal records (unless <deferred>:
     * they then ride with the next write) and collect garbage. */
    int (*op_end)(struct store *s, bool deferred);
    /* Writes what write-behind buffered (file); 0 or -errno. */
    int (*flush)(struct store *s);
    int (*sync)(struct store *s);
    uint64_t (*synced_seq)(const struct store *s);
    /* Frees the backend: flushing and writing summaries (CLEAN), deleting
     * its files (DESTROY), or writing nothing at all (CRASH, tests). */
    void (*close)(struct store *s, enum store__close how);
};

struct store {
    const struct store__ops *ops;
    enum store_kind kind;
    struct store_limits lim;
    uint64_t msgs;            /* live messages */
    uint64_t bytes;           /* sum of store_msg_size */
    uint64_t first_seq;       /* first live, or last_seq + 1 */
    uint64_t last_seq;        /* highest assigned */
    int64_t last_ts;          /* ts of last_seq */
    struct store__seqidx idx; /* live messages */
    struct store__psi psi;    /* subjects of live messages */
    store_remove_cb rm_cb;    /* limit/purge/expiry removal callback */
    void *rm_arg;
    void *be;              /* backend state */
    store__fault_cb fault; /* test fault injection, NULL normally */
    void *fault_arg;
    _Atomic uint64_t synced; /* memory backend: last appended seq */
};

/* Sets the fault injection hook of <s> (tests only). */
void store__fault_set(struct store *s, store__fault_cb cb, void *arg);
/* Frees <s> without writing anything, as kill -9 would leave it (tests). */
void store__abandon(struct store *s);

/* store.c: adds a recovered or appended message on subject <id> (from
 * store__psi_add) to the indexes (seq must exceed every live seq) and
 * updates state; returns its entry. With <prev_linked> the subject's
 * previous message already points to <seq> (it is in a lazy run whose
 * link the caller set) and is not touched. */
struct store__ent *store__index_add(struct store *s, uint64_t seq, int64_t ts, uint32_t id,
                                    uint32_t len, uint64_t loc, bool prev_linked);
/* store.c: removes live <seq>: indexes, state, backend removed(), and the
 * remove callback when <notify>. */
void store__remove_seq(struct store *s, uint64_t seq, bool notify);
/* store.c: enforces max_msgs_per_subject on subject <id>, then max_msgs and
 * max_bytes, dropping the oldest (with callbacks). */
void store__enforce(struct store *s, uint32_t id);
/* The store_msg_size of entry <e>. */
uint64_t store__ent_size(const struct store *s, const struct store__ent *e);
/* True when <filter> means "every subject". */
bool store__filter_is_all(const char *filter, size_t len);
/* query.c: true when subject <sj> matches <filter> (wildcards allowed). */
bool store__subj_matches(const char *filter, size_t flen, const struct store__subj *sj);

/* memstore.c / filestore/fs.c: attach a backend to the new core <s>. */
int store__mem_open(struct store *s, const struct store_config *cfg, struct errbuf *eb);
int store__file_open(struct store *s, const struct store_config *cfg, struct errbuf *eb);
void store__file_recovery_info(const struct store *s, struct store_recovery_info *ri);

#endif
