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
    uint64_t lru;     /* fd cache clock of the last use */
    bool dirty;       /* written since the last sync; under fs.mu */
    bool gc;          /* queued for garbage collection */
};

struct fs {
    char *dir;            /* store directory */
    struct hist *sync_hist; /* store_config.sync_hist (borrowed) */
    int dirfd;            /* for fsync and *at() calls */
    int lockfd;           /* LOCK file, flock'ed */
    size_t block_size;    /* target block size */
    struct fs_blk **blks; /* ascending num; the last is the tail; under mu */
    size_t nblks, blkcap;
    uint32_t next_num;             /* number of the next new block */
    struct buf pend;               /* DEL records not yet written */
    uint64_t pend_tmin, pend_tmax; /* sequences named in pend */
    uint64_t pend_tbytes;          /* bytes of DEL records in pend */
    uint64_t pend_floor;           /* FLOOR to write (when > floor) */
    uint64_t floor;                /* highest floor written (record or state file) */
    uint64_t floor_synced;         /* highest floor known durable */
    uint64_t last_synced;          /* last sequence durable with it */
    uint32_t floor_blk;            /* block holding both, 0 = state.dat */
    size_t ngc;                    /* blocks with gc set */
    bool gc_rescan;                /* a block went or shrank: re-check empty ones */
    bool recovering;               /* open-time replay: removals write nothing */
    uint64_t lru_clock;
    int nopen;                   /* descriptors open in the fd cache */
    pthread_mutex_t mu;          /* blks array, fds, dirty flags vs. store_sync */
    bool dir_dirty;              /* directory changed since the last sync; under mu */
    uint64_t written_seq;        /* highest sequence written; under mu */
    int sync_err;                /* sticky fdatasync failure; under mu */
    _Atomic uint64_t synced_seq; /* highest sequence known durable */
    struct store_recovery_info ri;
    struct buf io; /* scratch for recovery, compaction and summaries */
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

/* ---- recover.c ---- */
/* Parses "<n>.<ext>" exactly (n > 0, no leading zero); returns n or 0. */
uint32_t fs__name_num(const char *name, const char *ext);
/* Atomically replaces state.dat. */
int fs__state_write(struct fs *fs, uint64_t floor, uint64_t last_seq, int64_t last_ts);
int fs__fsync_dir(struct fs *fs);
/* Rebuilds <s> from the directory. */
int fs__recover(struct store *s, struct fs *fs, struct errbuf *eb);

/* ---- index.c ---- */
/* Writes <num>.idx summaries of every block (clean close). */
int fs__idx_write_all(struct store *s, struct fs *fs);
/* Reads and checks every block's summary into *<bufs> (one per block);
 * returns 0 when all are valid (then fs__idx_apply loads and frees them),
 * else ERR_NOTFOUND/ERR_CORRUPT/-errno with nothing kept. */
int fs__idx_read_all(struct store *s, struct fs *fs, struct buf **bufs);
/* Loads the summaries checked by fs__idx_read_all and frees <bufs>. */
void fs__idx_apply(struct store *s, struct fs *fs, struct buf *bufs);

#endif
