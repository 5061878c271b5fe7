/* File store internals: record format, block files, recovery, summaries.
 * The on-disk format is documented in docs/FILESTORE.md; this header is
 * shared by fs.c (backend ops), block.c (records, block files, compaction),
 * recover.c (state file, open-time recovery) and index.c (summaries).
 */
#ifndef GN_STORE_FS_INT_H
#define GN_STORE_FS_INT_H

#include "store/store_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/uio.h>

/* One record (all integers little-endian):
 *
 *   0      3    "GNR" magic
 *   3      1    type: 1 MSG, 2 DEL (tombstone), 3 ERASED, 4 FLOOR
 *   4      4    rec_len: the whole record, header to checksum inclusive
 *   8      8    seq (MSG/ERASED: the message; DEL: the removed one; FLOOR:
 *               every sequence below it is gone)
 *  16      8    ts, ns since the epoch (DEL: the removed message's; FLOOR:
 *               last_ts)
 *  24      2    subj_len
 *  26      2    reserved, 0
 *  28      4    hdr_len
 *  32      4    data_len
 *  36      ...  subject | headers | data   (zeros in an ERASED record;
 *               FLOOR: data is the u64 last sequence)
 *  len-8   8    XXH3-64 of bytes [0, rec_len - 8)
 */
#define FS_REC_HDR       36
#define FS_REC_SUM       8
#define FS_REC_MIN       (FS_REC_HDR + FS_REC_SUM)
#define FS_REC_FLOOR_LEN (FS_REC_MIN + 8)

enum fs_rec_type {
    FS_REC_MSG = 1,
    FS_REC_DEL = 2,
    FS_REC_ERASED = 3,
    FS_REC_FLOOR = 4,
};

struct fs_rec {
    enum fs_rec_type type;
    uint32_t len; /* whole record */
    uint64_t seq;
    int64_t ts;
    uint32_t subj_len, hdr_len, data_len;
    const char *subj, *hdr, *data; /* into the parsed buffer */
};

struct fs_pend; /* index.c: a block's entries still in its summary */

/* One block file <num>.blk. */
struct fs_blk {
    uint32_t num;                 /* file number, ascending with sequences */
    int fd;                       /* open descriptor or -1 (fd cache) */
    uint64_t size;                /* file size = next write offset of the tail */
    uint64_t live_msgs;           /* live messages stored here */
    uint64_t live_bytes;          /* record bytes of those */
    uint64_t tomb_bytes;          /* record bytes of DEL records */
    uint64_t tomb_min, tomb_max;  /* sequences named by DEL records (0 = none) */
    uint64_t msg_first, msg_last; /* MSG/ERASED records physically here (0 = none) */
    uint64_t *dead;               /* removed messages whose MSG record is still here */
    uint32_t ndead, deadcap;
    bool dead_sorted; /* dead[] ascending */
    uint64_t *tombs;  /* sequences named by the DEL records here */
    uint32_t ntombs, tombcap;
    uint64_t floor;       /* highest FLOOR record here (0 = none) */
    uint64_t rec_last;    /* highest sequence any record here names (MSG, DEL, FLOOR's last) */
    int64_t rec_last_ts;  /* and its timestamp */
    uint64_t lru;         /* fd cache clock of the last use */
    uint64_t resv;        /* write-behind: disk space reserved up to here (wbuf.c) */
    bool dirty;           /* written since the last sync; under fs.mu */
    uint64_t dgen;        /* first sync generation that covers the last write; under fs.mu */
    uint64_t wend;        /* end of the bytes in the file when last marked dirty; under fs.mu */
    uint64_t dropped;     /* page cache below this was dropped once synced; under fs.mu */
    bool gc;              /* queued for garbage collection */
    bool sum_disk;        /* <num>.idx on disk describes this file as it is */
    bool sum_exact;       /* ... and the index as it is (no removal since) */
    uint32_t sum_wnum;    /* the tail block when that summary was written */
    struct fs_pend *pend; /* entries not in the index yet (lazy run), or NULL */
};

/* The read-ahead window (readahead.c): bytes [off, off + len) of block
 * <num> (len 0 = empty), and where the last load ended, to spot sequential
 * loads. Owner's calls only (store_sync never touches it). */
#define FS_RA_MIN    ((size_t)16 << 10)
#define FS_RA_WINDOW ((size_t)128 << 10)
struct fs_ra {
    char *data; /* cap bytes, FS_RA_MIN to FS_RA_WINDOW, once used */
    size_t cap;
    uint32_t num;
    uint64_t off;
    size_t len;
    uint32_t next_num; /* block and offset just past the last record loaded */
    uint64_t next_off;
    uint64_t fills; /* windows read (for tests) */
};

struct fs {
    char *dir;              /* store directory */
    struct hist *sync_hist; /* store_config.sync_hist (borrowed) */
    int dirfd;              /* for fsync and *at() calls */
    int lockfd;             /* LOCK file, flock'ed */
    size_t block_size;      /* target block size */
    struct fs_blk **blks;   /* ascending num; the last is the tail; under mu */
    size_t nblks, blkcap;
    uint32_t next_num;     /* number of the next new block */
    struct buf pend;       /* DEL records not yet written */
    uint64_t pend_floor;   /* FLOOR to write (when > floor) */
    uint64_t floor;        /* highest floor written (record or state file) */
    uint64_t floor_synced; /* highest floor known durable */
    uint64_t last_synced;  /* last sequence durable with it */
    uint32_t floor_blk;    /* block holding both, 0 = state.dat */
    size_t ngc;            /* blocks with gc set */
    bool gc_rescan;        /* a block went or shrank: re-check empty ones */
    bool recovering;       /* open-time replay: removals write nothing */
    bool sum_need;         /* a block other than the tail may lack a summary */
    bool opening;          /* inside store_open: write no summaries yet */
    bool fresh_tail;       /* start a new block for the next record */
    uint64_t lru_clock;
    int nopen;                   /* descriptors open in the fd cache */
    pthread_mutex_t mu;          /* blks array, fds, dirty flags vs. store_sync */
    bool dir_dirty;              /* directory changed since the last sync; under mu */
    uint64_t written_seq;        /* highest sequence written; under mu */
    bool dirty_dels;             /* DEL/FLOOR records appended, not yet marked dirty */
    uint64_t del_gen;            /* sync generation that makes every DEL/FLOOR durable */
    int sync_err;                /* sticky fdatasync failure; under mu */
    uint64_t sync_gen;           /* store_sync calls started; under mu */
    _Atomic uint64_t synced_gen; /* generation of the last successful store_sync */
    _Atomic uint64_t synced_seq; /* highest sequence known durable */
    struct store_recovery_info ri;
    struct buf io; /* scratch for recovery, compaction and summaries */
    struct fs_ra ra;
    /* Write-behind (wbuf.c): records appended to the tail not yet written. */
    bool wb_on;            /* store_config.write_behind, until reserving fails */
    struct buf wb;         /* the bytes, to go at wb_blk->size - wb.len */
    struct fs_blk *wb_blk; /* the tail they belong to (when wb.len > 0) */
    uint64_t wb_seq;       /* highest message sequence among them */
    int wb_err;            /* the last flush's failure, 0 after one succeeds */
};

#define FS_MAX_FDS  32
#define FS_PEND_MAX (1u << 20) /* pending DEL bytes written without waiting */
#define FS_NAME_MAX 32         /* "4294967295.blk.tmp" fits */

static inline struct fs *fs_of(const struct store *s)
{
    return (struct fs *)s->be;
}

static inline void fs_put32(char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (char)(v >> (8 * i));
}
static inline void fs_put64(char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (char)(v >> (8 * i));
}
static inline uint32_t fs_get32(const char *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | (uint8_t)p[i];
    return v;
}
static inline uint64_t fs_get64(const char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | (uint8_t)p[i];
    return v;
}

static inline uint64_t fs_loc(uint32_t num, uint64_t off)
{
    return (uint64_t)num << 32 | off;
}
/* Record length of index entry <e>. */
static inline uint32_t fs_ent_reclen(const struct store__ent *e)
{
    return FS_REC_HDR + (e->len & STORE__ENT_LEN_MASK) + FS_REC_SUM;
}

/* ---- block.c ---- */
/* Fills the FS_REC_HDR-byte header <h>. */
void fs__rec_hdr(char *h, enum fs_rec_type type, uint32_t len, uint64_t seq, int64_t ts,
                 uint32_t subj_len, uint32_t hdr_len, uint32_t data_len);
/* Appends a DEL record for removed message <seq> (stored at <ts>) to <b>. */
void fs__rec_del(struct buf *b, uint64_t seq, int64_t ts);
/* Appends a FLOOR record (all below <floor> gone; last sequence so far). */
void fs__rec_floor(struct buf *b, uint64_t floor, uint64_t last_seq, int64_t last_ts);
/* Parses the record at <p> (<avail> bytes). Returns its length, 0 when it
 * runs past <avail> (torn), or ERR_CORRUPT. */
int64_t fs__rec_parse(const char *p, size_t avail, struct fs_rec *r);
/* True when <p> starts with a plausible header of length <= <avail>. */
bool fs__rec_plausible(const char *p, size_t avail, uint32_t *len);
void fs__path(const struct fs *fs, char *out, uint32_t num, const char *ext);
struct fs_blk *fs__blk_find(const struct fs *fs, uint32_t num);
/* Adds block <num> (opening it, created when <create>) at the end. */
int fs__blk_add(struct fs *fs, uint32_t num, bool create, struct fs_blk **out);
/* Returns an open descriptor for <b> (fd cache) or -errno. */
int fs__blk_fd(struct fs *fs, struct fs_blk *b);
/* Unlinks <b> and forgets it. */
void fs__blk_drop(struct fs *fs, struct fs_blk *b);
/* Writes <iov> (<total> bytes) at the end of <b>; on failure cuts the file
 * back and returns -errno. */
int fs__blk_append(struct store *s, struct fs_blk *b, const struct iovec *iov, int cnt,
                   size_t total);
/* Marks <b> written (for store_sync) with messages up to <seq>. */
void fs__blk_dirty(struct fs *fs, struct fs_blk *b, uint64_t seq);
/* The block whose message range holds <seq>, or NULL. */
struct fs_blk *fs__blk_holding(const struct fs *fs, uint64_t seq);
/* Notes a record in <b> naming sequence <seq> stored at <ts> (rec_last). */
void fs__blk_note(struct fs_blk *b, uint64_t seq, int64_t ts);
/* Notes a DEL record of <len> bytes in <b> naming <seq>. */
void fs__blk_tomb_add(struct fs_blk *b, uint64_t seq, uint32_t len);
/* <b> now holds a DEL record (<len> bytes, removed <seq> stored at <ts>):
 * its tombstone and rec_last. */
void fs__blk_note_del(struct fs_blk *b, uint64_t seq, uint32_t len, int64_t ts);
/* <b> now holds a FLOOR record (<floor>, last sequence <last> at <ts>):
 * its floor and rec_last, which its summary carries. */
void fs__blk_note_floor(struct fs_blk *b, uint64_t floor, uint64_t last, int64_t ts);
/* True when <b> still holds the record of a removed message in [<lo>, <hi>]. */
bool fs__blk_has_dead(struct fs_blk *b, uint64_t lo, uint64_t hi);
/* Notes that removed message <seq>'s record is still in <b>. */
void fs__blk_dead_add(struct fs_blk *b, uint64_t seq);
/* True when a DEL record in <b> naming a sequence in [<lo>, <hi>] may still
 * hide a removed message's record in another block. */
bool fs__blk_tombs_needed(const struct store *s, const struct fs_blk *b, uint64_t lo, uint64_t hi);
/* Reads <size> bytes of <fd> from offset 0 into <b> (cleared first). */
int fs__read_all(int fd, struct buf *b, uint64_t size);
/* Creates/truncates <name> in the store directory with <n> bytes of <p>
 * (fdatasynced when <sync>); removes it on failure. */
int fs__write_file(struct fs *fs, const char *name, const char *p, size_t n, bool sync);
/* Rewrites <b> with only its live messages and needed DEL records. */
int fs__blk_compact(struct store *s, struct fs_blk *b);

/* pwritev of all <total> bytes at <off>, resuming after short writes; 0
 * or -errno (ENOSPC, EFBIG, ... when a short write stopped). cnt <= 8. */
int fs__pwritev_all(int fd, const struct iovec *iov, int cnt, size_t total, off_t off);

/* ---- wbuf.c: write-behind ----
 * With store_config.write_behind, records appended to the tail collect in
 * fs.wb and reach the file in one write: at store_flush, at the end of any
 * mutating call other than store_append, when FS_WB_MAX bytes wait, before
 * the tail is sealed, erased in or synced by the owner, and at a clean
 * close. Disk space is reserved (fallocate) when a record is buffered, so
 * a full disk fails that append, never a later flush. Loads of buffered
 * records copy them from the buffer. store_sync covers only what a flush
 * wrote (written_seq moves at the flush). */
#define FS_WB_MAX  ((size_t)1 << 20)   /* buffered bytes that force a write */
#define FS_WB_BUSY ((size_t)16 << 10)  /* a flush this big keeps the buffer's capacity */
#define FS_WB_RESV ((uint64_t)1 << 20) /* disk space reserved at a time */
/* Synced bytes of a block's last FS_CACHE_KEEP stay in the page cache;
 * store_sync drops older ones (fs.c). */
#define FS_CACHE_KEEP ((uint64_t)16 << 20)
/* Buffers the record(s) in <iov> for the end of tail <b>. 0, -errno
 * (reserving or an earlier flush failed: nothing buffered), or 1 when
 * write-behind is off (the caller writes them itself). */
int fs__wb_append(struct store *s, struct fs_blk *b, const struct iovec *iov, int cnt,
                  size_t total);
/* Writes the buffer (then marks its block dirty). 0 or -errno: the bytes
 * stay buffered and the failure is kept in wb_err until a flush succeeds. */
int fs__wb_flush(struct store *s);
/* fs__wb_flush when <b> has buffered bytes; else 0. */
int fs__wb_flush_blk(struct store *s, struct fs_blk *b);
/* Copies [off, off + len) of <b> into <out> when it is buffered: true. */
bool fs__wb_read(const struct fs *fs, const struct fs_blk *b, uint64_t off, uint32_t len,
                 char *out);
/* The bytes of <b> that are in its file (its size less what is buffered). */
uint64_t fs__wb_disk_size(const struct fs *fs, const struct fs_blk *b);
/* <b> is sealed (no longer the tail): gives back its unused reservation. */
void fs__wb_seal(struct fs *fs, struct fs_blk *b);
/* <b> is going away: forgets its buffered bytes. */
void fs__wb_forget(struct fs *fs, struct fs_blk *b);

/* ---- readahead.c ---- */
/* Reads the <len> bytes of record at <off> of <b> into <out> (cleared
 * first), from the read-ahead window when it holds them; a load that
 * follows the previous one forward refills the window. The caller checks
 * the record. 0 or -errno / ERR_CORRUPT (short file). */
int fs__rec_load(struct fs *fs, struct fs_blk *b, uint64_t off, uint32_t len, struct buf *out);
/* Forgets any window bytes of block <num>: call before its records change
 * in place (erase), it is rewritten (compaction) or deleted. */
void fs__ra_forget(struct fs *fs, uint32_t num);
/* Frees the window. */
void fs__ra_free(struct fs *fs);

/* ---- recover.c ---- */
/* Parses "<n>.<ext>" exactly (n > 0, no leading zero); returns n or 0. */
uint32_t fs__name_num(const char *name, const char *ext);
/* Atomically replaces state.dat. */
int fs__state_write(struct fs *fs, uint64_t floor, uint64_t last_seq, int64_t last_ts);
int fs__fsync_dir(struct fs *fs);
/* Rebuilds <s> from the directory. */
int fs__recover(struct store *s, struct fs *fs, struct errbuf *eb);

/* ---- index.c ---- */
/* Reads <b>'s summary (<num>.idx) and checks it against the block file
 * (size, inode, last record's checksum) and <maxseq> (its messages must
 * come after). On success returns 0 with <b>'s bookkeeping loaded
 * (counts, tombstones, dead list, floor, last sequence) and its entries
 * kept for later in b->pend; else ERR_NOTFOUND/ERR_CORRUPT/-errno and
 * nothing changed. */
int fs__idx_read(struct fs *fs, struct fs_blk *b, uint64_t maxseq);
/* Recovery context for fs__idx_merge: where each subject's last message
 * is while blocks are merged in order. */
struct fs_merge {
    struct fs_blk **blk; /* psi id -> pending block that held its last message when merged */
    uint32_t *li;        /* psi id -> its local subject index there */
    uint32_t cap;        /* slots of both */
};
/* Adds pending block <b> (after fs__idx_read, blocks in ascending order)
 * to the store: subjects and counts, subject-chain links with the blocks
 * before it, and a lazy run loaded by fs__idx_load on first use. */
void fs__idx_merge(struct store *s, struct fs *fs, struct fs_blk *b, struct fs_merge *m);
/* True when <b> is pending and its summary already reflects the DEL
 * records of block <src> (all written before it). */
bool fs__pend_covers(const struct fs_blk *b, uint32_t src);
/* When the last message so far of subject <id> is in a pending block,
 * makes it link forward to <first> (the subject's next message, being
 * added) and returns true; false when it is in the index (or none). */
bool fs__idx_link(struct store *s, struct fs_merge *m, uint32_t id, uint64_t first);
/* Recovery done: drops link tables no load will need. */
void fs__idx_merge_done(struct fs *fs, struct fs_merge *m);
/* store__load_cb: materialises the entries of block <run> (a fs_blk). */
void fs__idx_load(void *store, void *run);
/* Frees pending entries <p> (NULL is a no-op). */
void fs__pend_free(struct fs_pend *p);
/* Writes <b>'s summary (its data must be durable). 0 or -errno. */
int fs__idx_write(struct store *s, struct fs *fs, struct fs_blk *b);
/* Forgets <b>'s summary: unlinks it (fsyncing the directory when
 * <durable>). 0 or -errno. */
int fs__idx_forget(struct fs *fs, struct fs_blk *b, bool durable);

#endif
