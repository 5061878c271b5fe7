/* File store recovery and the state file.
 *
 * At open the store is rebuilt from its directory, block by block: from
 * the block's summary when it has a valid one (no data read, entries left
 * encoded until first use), else by scanning the block, checking each
 * record's checksum, skipping a single damaged record when the one after
 * it is intact, and cutting a torn or corrupt tail off the file (never
 * trusting it). Floors and tombstones, from scanned records and from the
 * summaries' lists, are applied last; state.dat keeps the floor and last
 * sequence so that an empty, purged store restarts where it was.
 */
#include "store/filestore/fs_int.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

/* state.dat: "GNSTATE1" | u64 floor | u64 last_seq | i64 last_ts | u64 XXH3 of the 32 before. */
#define STATE_NAME "state.dat"
#define STATE_TMP  "state.dat.tmp"
#define STATE_LEN  40

int fs__fsync_dir(struct fs *fs)
{
    return fsync(fs->dirfd) == 0 ? 0 : -errno;
}

int fs__state_write(struct fs *fs, uint64_t floor, uint64_t last_seq, int64_t last_ts)
{
    char st[STATE_LEN];
    memcpy(st, "GNSTATE1", 8);
    fs_put64(st + 8, floor);
    fs_put64(st + 16, last_seq);
    fs_put64(st + 24, (uint64_t)last_ts);
    fs_put64(st + 32, XXH3_64bits(st, 32));
    int rc = fs__write_file(fs, STATE_TMP, st, sizeof(st), true);
    if (rc == 0 && renameat(fs->dirfd, STATE_TMP, fs->dirfd, STATE_NAME) != 0)
        rc = -errno;
    if (rc == 0)
        rc = fs__fsync_dir(fs);
    if (rc == 0 && floor > fs->floor)
        fs->floor = floor;
    if (rc == 0 && floor >= fs->floor_synced && last_seq >= fs->last_synced) {
        fs->floor_synced = floor;
        fs->last_synced = last_seq;
        fs->floor_blk = 0;
    }
    return rc;
}

static int state_read(struct fs *fs, uint64_t *floor, uint64_t *last_seq, int64_t *last_ts)
{
    int fd = openat(fs->dirfd, STATE_NAME, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? ERR_NOTFOUND : -errno;
    char st[STATE_LEN + 1];
    ssize_t n = read(fd, st, sizeof(st));
    close(fd);
    if (n != STATE_LEN || memcmp(st, "GNSTATE1", 8) != 0 ||
        XXH3_64bits(st, 32) != fs_get64(st + 32))
        return ERR_CORRUPT;
    *floor = fs_get64(st + 8);
    *last_seq = fs_get64(st + 16);
    *last_ts = (int64_t)fs_get64(st + 24);
    if (*floor >= STORE__MAX_SEQ || *last_seq >= STORE__MAX_SEQ)
        return ERR_CORRUPT;
    return 0;
}

uint32_t fs__name_num(const char *name, const char *ext)
{
    char *end;
    if (name[0] < '1' || name[0] > '9')
        return 0;
    unsigned long v = strtoul(name, &end, 10);
    if (*end != '.' || strcmp(end + 1, ext) != 0 || v > UINT32_MAX)
        return 0;
    return (uint32_t)v;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Lists block numbers (sorted) and removes leftovers of interrupted writes. */
static int list_blocks(struct fs *fs, uint32_t **nums, size_t *n)
{
    int fd = dup(fs->dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (d == NULL) {
        int rc = -errno;
        if (fd >= 0)
            close(fd);
        return rc;
    }
    rewinddir(d); /* the dup shares dirfd's offset */
    size_t cap = 0;
    *nums = NULL;
    *n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        uint32_t num = fs__name_num(de->d_name, "blk");
        if (num != 0) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                *nums = xrealloc(*nums, cap * sizeof(**nums));
            }
            (*nums)[(*n)++] = num;
        } else if (fs__name_num(de->d_name, "blk.tmp") != 0 || strcmp(de->d_name, STATE_TMP) == 0) {
            (void)unlinkat(fs->dirfd, de->d_name, 0);
        }
    }
    closedir(d);
    if (*n > 1)
        qsort(*nums, *n, sizeof(**nums), cmp_u32);
    return 0;
}

/* A DEL record's target and the block holding the record. */
struct tomb {
    uint64_t seq;
    uint32_t src;
};

struct replay {
    uint64_t floor;    /* every sequence below is gone */
    uint64_t maxseq;   /* highest MSG/ERASED sequence seen */
    uint64_t last_seq; /* highest sequence named by any record */
    int64_t last_ts;
    struct tomb *tombs; /* DEL targets */
    size_t ntombs, cap;
    struct fs_merge *m; /* summarised blocks merged so far */
};

static void note_last(struct replay *rp, uint64_t seq, int64_t ts)
{
    if (seq >= rp->last_seq) {
        rp->last_seq = seq;
        rp->last_ts = ts;
    }
}

static void tomb_push(struct replay *rp, uint64_t seq, uint32_t src)
{
    if (rp->ntombs == rp->cap) {
        rp->cap = rp->cap ? rp->cap * 2 : 256;
        rp->tombs = xrealloc(rp->tombs, rp->cap * sizeof(*rp->tombs));
    }
    rp->tombs[rp->ntombs++] = (struct tomb){seq, src};
}

/* Applies one intact record found at <off> of <b>; false when it cannot
 * belong there (sequence out of order), which makes it damage. */
static bool replay_rec(struct store *s, struct fs_blk *b, struct replay *rp, const struct fs_rec *r,
                       uint64_t off)
{
    if (r->type == FS_REC_MSG || r->type == FS_REC_ERASED) {
        if (r->seq <= rp->maxseq || off > UINT32_MAX)
            return false;
        rp->maxseq = r->seq;
        if (b->msg_first == 0)
            b->msg_first = r->seq;
        b->msg_last = r->seq;
        note_last(rp, r->seq, r->ts);
        fs__blk_note(b, r->seq, r->ts);
        if (r->type == FS_REC_MSG) {
            fs_of(s)->ri.records++;
            if (r->seq >= rp->floor) {
                uint32_t id = store__psi_add(&s->psi, r->subj, r->subj_len);
                uint32_t len =
                    (r->subj_len + r->hdr_len + r->data_len) | (r->hdr_len ? STORE__ENT_HDR : 0);
                /* A previous message in a summarised block just gets a
                 * link: no need to load that block. */
                bool linked = fs__idx_link(s, rp->m, id, r->seq);
                store__index_add(s, r->seq, r->ts, id, len, fs_loc(b->num, off), linked);
                b->live_msgs++;
                b->live_bytes += r->len;
            }
        }
    } else if (r->type == FS_REC_DEL) {
        tomb_push(rp, r->seq, b->num);
        fs__blk_note_del(b, r->seq, r->len, r->ts);
        note_last(rp, r->seq, r->ts);
    } else { /* FLOOR */
        if (r->seq > rp->floor)
            rp->floor = r->seq;
        fs__blk_note_floor(b, r->seq, fs_get64(r->data), r->ts);
        note_last(rp, fs_get64(r->data), r->ts);
    }
    return true;
}

/* Reads every record of <b>; cuts the file at the first damage that is not
 * a single bad record followed by an intact one. */
static int scan_block(struct store *s, struct fs *fs, struct fs_blk *b, struct replay *rp)
{
    int fd = fs__blk_fd(fs, b);
    struct stat st;
    if (fd < 0)
        return fd;
    if (fstat(fd, &st) != 0)
        return -errno;
    uint64_t size = (uint64_t)st.st_size;
    int rc = fs__read_all(fd, &fs->io, size);
    if (rc != 0)
        return rc;
    const char *p = fs->io.data;
    uint64_t off = 0;
    while (off < size) {
        struct fs_rec r;
        int64_t n = fs__rec_parse(p + off, size - off, &r);
        if (n > 0 && replay_rec(s, b, rp, &r, off)) {
            off += (uint64_t)n;
            continue;
        }
        uint32_t skip;
        struct fs_rec r2;
        if (n != 0 && fs__rec_plausible(p + off, size - off, &skip) && off + skip < size &&
            fs__rec_parse(p + off + skip, size - off - skip, &r2) > 0) {
            fs->ri.truncated_bytes += skip;
            off += skip;
            continue;
        }
        break;
    }
    b->size = off;
    if (off < size) {
        fs->ri.truncated_bytes += size - off;
        fs__ra_forget(fs, b->num);
        if (ftruncate(fd, (off_t)off) != 0)
            return -errno;
    }
    /* After a crash the pages may not be on disk yet: what is recovered
     * counts as synced (store_synced_seq), so make it so. */
    if (fdatasync(fd) != 0)
        return -errno;
    buf_clear(&fs->io);
    fs->sum_need = true; /* summarise it (unless it is the tail) */
    return 0;
}

/* Takes what summarised block <b> tells about the whole store. */
static void replay_summary(struct replay *rp, const struct fs_blk *b)
{
    if (b->msg_last > rp->maxseq)
        rp->maxseq = b->msg_last;
    if (b->floor > rp->floor)
        rp->floor = b->floor;
    if (b->rec_last)
        note_last(rp, b->rec_last, b->rec_last_ts);
    for (uint32_t i = 0; i < b->ntombs; i++)
        tomb_push(rp, b->tombs[i], b->num);
}

/* Applies floors and tombstones collected by the scan and the summaries.
 * A summary already reflects every DEL record written before it and keeps
 * the removed messages still in its block (dead): only a tombstone that
 * may be newer and names a message it lists makes its block load. */
static void replay_finish(struct store *s, struct fs *fs, struct replay *rp)
{
    while (s->msgs > 0 && s->first_seq < rp->floor)
        store__remove_seq(s, s->first_seq, false);
    for (size_t i = 0; i < rp->ntombs; i++) {
        uint64_t seq = rp->tombs[i].seq;
        struct fs_blk *b = fs__blk_holding(fs, seq);
        if (b == NULL || (b->pend != NULL &&
                          (fs__pend_covers(b, rp->tombs[i].src) || fs__blk_has_dead(b, seq, seq))))
            continue;
        if (store__seqidx_get(&s->idx, seq) != NULL)
            store__remove_seq(s, seq, false);
    }
    if (rp->floor > 0 && rp->floor - 1 > rp->last_seq)
        rp->last_seq = rp->floor - 1;
    if (rp->last_seq > s->last_seq) {
        s->last_seq = rp->last_seq;
        s->last_ts = rp->last_ts;
    }
    if (s->msgs == 0)
        s->first_seq = s->last_seq + 1;
}

/* Each block from its summary when it has a valid one (no data read),
 * else by a scan of its records. */
static int load_blocks(struct store *s, struct fs *fs, const uint32_t *nums, size_t n,
                       struct replay *rp)
{
    for (size_t i = 0; i < n; i++) {
        struct fs_blk *b;
        int rc = fs__blk_add(fs, nums[i], false, &b);
        if (rc != 0)
            return rc;
    }
    struct fs_merge m = {0};
    bool all = true;
    int rc = 0;
    rp->m = &m;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct fs_blk *b = fs->blks[i];
        if (fs__idx_read(fs, b, rp->maxseq) == 0) {
            replay_summary(rp, b);
            fs__idx_merge(s, fs, b, &m);
        } else {
            all = false;
            fs->ri.blocks_scanned++;
            rc = scan_block(s, fs, b, rp);
        }
    }
    fs__idx_merge_done(fs, &m);
    rp->m = NULL;
    /* A summary takes the DEL records of blocks before the tail it saw as
     * older than itself. If that tail is gone (its creation was not
     * durable), the last block must not take records again. */
    for (size_t i = 0; i < n; i++)
        if (fs->blks[i]->sum_disk && fs->blks[i]->sum_wnum > fs->blks[n - 1]->num)
            fs->fresh_tail = true;
    fs->ri.used_summaries = all;
    return rc;
}

int fs__recover(struct store *s, struct fs *fs, struct errbuf *eb)
{
    int64_t t0 = clock_mono_ns();
    struct replay rp = {0};
    uint64_t st_floor = 0, st_last = 0;
    int64_t st_ts = 0;
    int st = state_read(fs, &st_floor, &st_last, &st_ts);
    uint32_t *nums = NULL;
    size_t n = 0;
    int rc = list_blocks(fs, &nums, &n);
    if (rc != 0)
        return errbuf_set(eb, rc, "store: listing %s: %s", fs->dir, err_str(rc));
    if (n == 0 && st != 0) {
        /* A new store: remember where its sequence starts. */
        free(nums);
        rc = fs__state_write(fs, s->first_seq, s->last_seq, 0);
        return rc ? errbuf_set(eb, rc, "store: %s: %s", fs->dir, err_str(rc)) : 0;
    }
    s->first_seq = 1;
    s->last_seq = 0;
    if (st == 0) {
        rp.floor = st_floor;
        rp.last_seq = st_last;
        rp.last_ts = st_ts;
    }
    fs->recovering = true;
    rc = load_blocks(s, fs, nums, n, &rp);
    free(nums);
    if (rc == 0) {
        replay_finish(s, fs, &rp);
        fs->floor = rp.floor;
        /* Wherever it came from, the next collection writes a fresh one. */
        fs->floor_synced = 0;
        /* Blocks wholly below the floor (a purge interrupted before its
         * unlinks) or otherwise empty go at the first collection. */
        fs->gc_rescan = true;
    }
    fs->recovering = false;
    free(rp.tombs);
    buf_deinit(&fs->io);
    if (rc != 0)
        return errbuf_set(eb, rc, "store: recovering %s: %s", fs->dir, err_str(rc));
    fs->ri.blocks = n;
    fs->ri.elapsed_ns = clock_mono_ns() - t0;
    return 0;
}
