/* File backend: store__ops over a directory of block files.
 *
 * Appends go to the tail block, one pwritev per message or, with
 * write-behind (wbuf.c), collected and written at store_flush (page cache,
 * no fsync); store_sync fdatasyncs the blocks written since the last sync
 * and may run on its own thread (group commit). Removals become DEL records, or
 * a FLOOR record when they advance the first sequence; both are batched and
 * written at the end of the call (or with the next append when limits
 * caused them). Blocks with no live messages are deleted, mostly dead ones
 * compacted, once a durable FLOOR record makes older markers unnecessary.
 * A sealed block gets its summary (index.c) once a sync made it durable.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include "store/filestore/fs_int.h"
#include "util/clock.h"
#include "util/hist.h"
#include "util/xalloc.h"

#include <xxhash.h>

#define FS_DEFAULT_BLOCK ((size_t)8 << 20)

static struct fs_blk *tail_of(const struct fs *fs)
{
    return fs->nblks ? fs->blks[fs->nblks - 1] : NULL;
}

static void gc_queue(struct fs *fs, struct fs_blk *b)
{
    if (!b->gc)
        fs->ngc++;
    b->gc = true;
}

/* The block that takes the next <need> bytes, starting a new one when the
 * tail is full (an oversized record gets a block of its own). */
static int tail_for(struct store *s, size_t need, struct fs_blk **out)
{
    struct fs *fs = fs_of(s);
    struct fs_blk *t = tail_of(fs);
    if (t && !fs->fresh_tail && (t->size == 0 || t->size + need <= fs->block_size)) {
        *out = t;
        return 0;
    }
    int rc = t ? fs__wb_flush_blk(s, t) : 0; /* a sealed block is all in its file */
    if (rc == 0)
        rc = fs__blk_add(fs, fs->next_num ? fs->next_num : 1, true, out);
    if (rc == 0)
        fs->fresh_tail = false;
    if (rc == 0 && t) {
        fs__wb_seal(fs, t);
        gc_queue(fs, t);     /* no longer the tail: may be collectable now */
        fs->sum_need = true; /* and gets a summary once synced */
    }
    return rc;
}

/* Adds the pending FLOOR record to pend; returns pend's length before. */
static size_t pend_seal(struct store *s)
{
    struct fs *fs = fs_of(s);
    size_t before = fs->pend.len;
    if (fs->pend_floor > fs->floor)
        fs__rec_floor(&fs->pend, fs->pend_floor, s->last_seq, s->last_ts);
    return before;
}

/* pend was written into <t>: note its DEL and FLOOR records there. */
static void pend_commit(struct fs *fs, struct fs_blk *t)
{
    const char *p = fs->pend.data;
    if (fs->pend.len)
        fs->dirty_dels = true; /* the dirty marking that follows dates them */
    for (size_t off = 0; off < fs->pend.len;) {
        const char *r = p + off;
        uint32_t len = fs_get32(r + 4);
        uint64_t seq = fs_get64(r + 8);
        int64_t ts = (int64_t)fs_get64(r + 16);
        if (r[3] == FS_REC_DEL)
            fs__blk_note_del(t, seq, len, ts);
        else /* FLOOR */
            fs__blk_note_floor(t, seq, fs_get64(r + FS_REC_HDR), ts);
        off += len;
    }
    if (fs->pend_floor > fs->floor)
        fs->floor = fs->pend_floor;
    buf_clear(&fs->pend);
}

static int flush_pending(struct store *s)
{
    struct fs *fs = fs_of(s);
    if (fs->pend.len == 0 && fs->pend_floor <= fs->floor)
        return 0;
    size_t before = pend_seal(s);
    struct fs_blk *t;
    int rc = tail_for(s, fs->pend.len, &t);
    if (rc == 0) {
        struct iovec iov = {fs->pend.data, fs->pend.len};
        rc = fs__blk_append(s, t, &iov, 1, fs->pend.len);
    }
    if (rc != 0) {
        fs->pend.len = before;
        return rc;
    }
    pend_commit(fs, t);
    fs__blk_dirty(fs, t, 0);
    return 0;
}

static int fs_write(struct store *s, uint64_t seq, int64_t ts, const char *subj, size_t subj_len,
                    const char *hdr, size_t hdr_len, const char *data, size_t data_len,
                    uint64_t *loc)
{
    struct fs *fs = fs_of(s);
    uint32_t body = (uint32_t)(subj_len + hdr_len + data_len);
    uint32_t len = FS_REC_HDR + body + FS_REC_SUM;
    size_t before = pend_seal(s);
    struct fs_blk *t;
    int rc = tail_for(s, fs->pend.len + len, &t);
    if (rc != 0) {
        fs->pend.len = before;
        return rc;
    }
    char h[FS_REC_HDR], sum[FS_REC_SUM];
    fs__rec_hdr(h, FS_REC_MSG, len, seq, ts, (uint32_t)subj_len, (uint32_t)hdr_len,
                (uint32_t)data_len);
    XXH3_state_t st;
    XXH3_64bits_reset(&st);
    XXH3_64bits_update(&st, h, sizeof(h));
    XXH3_64bits_update(&st, subj, subj_len);
    XXH3_64bits_update(&st, hdr, hdr_len);
    XXH3_64bits_update(&st, data, data_len);
    fs_put64(sum, XXH3_64bits_digest(&st));
    struct iovec iov[6];
    int cnt = 0;
    if (fs->pend.len)
        iov[cnt++] = (struct iovec){fs->pend.data, fs->pend.len};
    iov[cnt++] = (struct iovec){h, sizeof(h)};
    iov[cnt++] = (struct iovec){(void *)subj, subj_len};
    if (hdr_len)
        iov[cnt++] = (struct iovec){(void *)hdr, hdr_len};
    if (data_len)
        iov[cnt++] = (struct iovec){(void *)data, data_len};
    iov[cnt++] = (struct iovec){sum, sizeof(sum)};
    rc = fs__blk_append(s, t, iov, cnt, fs->pend.len + len);
    if (rc != 0) {
        fs->pend.len = before;
        return rc;
    }
    pend_commit(fs, t);
    *loc = fs_loc(t->num, t->size - len);
    fs__blk_note(t, seq, ts);
    t->live_msgs++;
    t->live_bytes += len;
    if (t->msg_first == 0)
        t->msg_first = seq;
    t->msg_last = seq;
    fs__blk_dirty(fs, t, seq);
    return 0;
}

/* Reads and checks the record of live entry <e> into <scratch>. */
static int read_rec(struct store *s, const struct store__ent *e, struct buf *scratch,
                    struct fs_rec *r)
{
    struct fs *fs = fs_of(s);
    struct fs_blk *b = fs__blk_find(fs, (uint32_t)(e->loc >> 32));
    ASSERT(b != NULL);
    uint32_t len = fs_ent_reclen(e);
    int rc = fs__rec_load(fs, b, (uint32_t)e->loc, len, scratch);
    if (rc != 0)
        return rc;
    return fs__rec_parse(scratch->data, len, r) == (int64_t)len ? 0 : ERR_CORRUPT;
}

static int fs_read(struct store *s, uint64_t seq, const struct store__ent *e, struct store_msg *out,
                   struct buf *scratch)
{
    struct fs_rec r;
    int rc = read_rec(s, e, scratch, &r);
    if (rc != 0)
        return rc;
    if (r.type != FS_REC_MSG || r.seq != seq)
        return ERR_CORRUPT;
    out->seq = seq;
    out->ts = r.ts;
    out->subj = r.subj;
    out->subj_len = r.subj_len;
    out->hdr = r.hdr_len ? r.hdr : NULL;
    out->hdr_len = r.hdr_len;
    out->data = r.data;
    out->data_len = r.data_len;
    return 0;
}

/* Rewrites the record in place as an ERASED one of the same length (zeroed
 * body, fresh checksum): a torn rewrite only damages this one record,
 * which recovery skips. */
static int fs_erase(struct store *s, uint64_t seq, const struct store__ent *e)
{
    struct fs *fs = fs_of(s);
    struct fs_blk *b = fs__blk_find(fs, (uint32_t)(e->loc >> 32));
    int fd = fs__blk_fd(fs, b);
    if (fd < 0)
        return fd;
    /* The summary lists the message as live: it must be gone for good
     * before the record can turn into an ERASED one on disk. A buffered
     * record is written first (the flush would bring it back otherwise). */
    int rc = fs__wb_flush_blk(s, b);
    if (rc == 0 && b->sum_disk)
        rc = fs__idx_forget(fs, b, true);
    if (rc != 0)
        return rc;
    struct buf tmp;
    buf_init(&tmp);
    struct fs_rec r;
    rc = read_rec(s, e, &tmp, &r);
    if (rc == 0) {
        uint32_t len = r.len;
        fs__rec_hdr(tmp.data, FS_REC_ERASED, len, seq, r.ts, r.subj_len, r.hdr_len, r.data_len);
        memset(tmp.data + FS_REC_HDR, 0, len - FS_REC_MIN);
        fs__ra_forget(fs, b->num); /* the window may hold the old record */
        fs_put64(tmp.data + len - FS_REC_SUM, XXH3_64bits(tmp.data, len - FS_REC_SUM));
        int fault = s->fault ? s->fault(s->fault_arg, STORE__FAULT_WRITE) : 0;
        ssize_t n = fault < 0 ? fault : pwrite(fd, tmp.data, len, (off_t)(uint32_t)e->loc);
        if (n != (ssize_t)len)
            rc = fault < 0 ? fault : n < 0 ? -errno : -EIO;
    }
    buf_deinit(&tmp);
    if (rc == 0)
        fs__blk_dirty(fs, b, 0);
    return rc;
}

static void fs_removed(struct store *s, uint64_t seq, const struct store__ent *e)
{
    struct fs *fs = fs_of(s);
    struct fs_blk *b = fs__blk_find(fs, (uint32_t)(e->loc >> 32));
    ASSERT(b != NULL);
    b->live_msgs--;
    b->live_bytes -= fs_ent_reclen(e);
    b->sum_exact = false;
    fs__blk_dead_add(b, seq);
    gc_queue(fs, b);
    if (fs->recovering)
        return;
    if (seq < s->first_seq) {
        /* The front moved: one FLOOR record covers any number of these. */
        if (s->first_seq > fs->pend_floor)
            fs->pend_floor = s->first_seq;
        return;
    }
    fs__rec_del(&fs->pend, seq, e->ts);
    /* A huge purge: write as we go (a failure is retried later) so that
     * pending records stay small and block offsets stay 32-bit. */
    if (fs->pend.len >= FS_PEND_MAX)
        (void)flush_pending(s);
}

static int fs_purge_all(struct store *s)
{
    struct fs *fs = fs_of(s);
    /* The state file carries the new floor and last sequence, so every
     * block can go. On a full disk it may only fit once the blocks are
     * gone (nothing is left to resurrect then); failing that, the next
     * record written carries a FLOOR with the last sequence. */
    int rc = fs__state_write(fs, s->first_seq, s->last_seq, s->last_ts);
    while (fs->nblks > 0)
        fs__blk_drop(fs, fs->blks[fs->nblks - 1]);
    buf_clear(&fs->pend);
    fs->ngc = 0;
    if (rc != 0)
        rc = fs__state_write(fs, s->first_seq, s->last_seq, s->last_ts);
    if (rc != 0) {
        fs->pend_floor = s->first_seq;
        fs->floor = fs->floor_synced = 0;
    }
    int drc = fs__fsync_dir(fs);
    return rc ? rc : drc;
}

/* Before a block is deleted or compacted, a durable FLOOR at first_seq
 * with the last sequence must exist outside the blocks collected (in
 * state.dat or the tail), so that no older FLOOR record, tombstone below
 * it, or the record of the last sequence is needed any more: append one to
 * the tail and fdatasync it. */
static int persist_floor(struct store *s)
{
    struct fs *fs = fs_of(s);
    struct fs_blk *tail = tail_of(fs);
    if (fs->floor_synced >= s->first_seq && fs->last_synced >= s->last_seq &&
        (fs->floor_blk == 0 || (tail && tail->num == fs->floor_blk)))
        return 0;
    int rc = flush_pending(s);
    struct fs_blk *t = NULL;
    if (rc == 0)
        rc = tail_for(s, FS_REC_FLOOR_LEN, &t);
    if (rc != 0)
        return rc;
    struct buf b;
    buf_init(&b);
    fs__rec_floor(&b, s->first_seq, s->last_seq, s->last_ts);
    struct iovec iov = {b.data, b.len};
    rc = fs__blk_append(s, t, &iov, 1, b.len);
    buf_deinit(&b);
    if (rc == 0)
        rc = fs__wb_flush(s);
    int fd = rc == 0 ? fs__blk_fd(fs, t) : -1;
    if (rc == 0 && (fd < 0 || fdatasync(fd) != 0))
        rc = fd < 0 ? fd : -errno;
    if (rc != 0)
        return rc;
    /* The block's summary must carry it: after a crash the summary is all
     * recovery reads of this block. */
    fs__blk_note_floor(t, s->first_seq, s->last_seq, s->last_ts);
    if (s->first_seq > fs->floor)
        fs->floor = s->first_seq;
    fs->floor_synced = s->first_seq;
    fs->last_synced = s->last_seq;
    fs->floor_blk = t->num;
    return 0;
}

/* Picks the blocks to delete or compact now. */
static size_t gc_pick(struct store *s, struct fs_blk **del, size_t *ndel, struct fs_blk **cmp)
{
    struct fs *fs = fs_of(s);
    struct fs_blk *tail = tail_of(fs);
    size_t ncmp = 0;
    *ndel = 0;
    for (size_t i = 0; i < fs->nblks; i++) {
        struct fs_blk *b = fs->blks[i];
        bool cand = b->gc || (fs->gc_rescan && b->live_msgs == 0);
        b->gc = false;
        if (!cand || b == tail)
            continue;
        uint64_t dead = b->size - b->live_bytes - b->tomb_bytes;
        if (b->live_msgs == 0 && !fs__blk_tombs_needed(s, b, b->tomb_min, b->tomb_max))
            del[(*ndel)++] = b;
        else if (dead > b->size / 2)
            cmp[ncmp++] = b;
    }
    fs->ngc = 0;
    fs->gc_rescan = false;
    return ncmp;
}

static int gc_run(struct store *s)
{
    struct fs *fs = fs_of(s);
    int rc = 0;
    while (rc == 0 && (fs->ngc > 0 || fs->gc_rescan)) {
        struct fs_blk **del = xmalloc(2 * fs->nblks * sizeof(*del) + 1);
        struct fs_blk **cmp = del + fs->nblks;
        size_t ndel, ncmp = gc_pick(s, del, &ndel, cmp);
        if (ndel + ncmp > 0) {
            rc = persist_floor(s);
            for (size_t i = 0; rc == 0 && i < ndel; i++)
                fs__blk_drop(fs, del[i]);
            if (rc == 0 && ndel > 0)
                rc = fs__fsync_dir(fs);
            for (size_t i = 0; rc == 0 && i < ncmp; i++)
                rc = fs__blk_compact(s, cmp[i]);
        }
        free(del);
    }
    return rc;
}

/* Writes the summary of one sealed block that lacks one, once its data is
 * durable, so that a restart after kill -9 scans only the tail. */
static void summarise_one(struct store *s)
{
    struct fs *fs = fs_of(s);
    uint64_t synced = atomic_load(&fs->synced_gen);
    /* A summary leaves out the block's removed messages (its dead list):
     * only once the records of every removal are durable, or a crash
     * would keep a removal whose DEL record it lost, and a later scan of
     * the block (its summary gone) would bring the message back. */
    bool dels_durable = fs->pend.len == 0 && fs->pend_floor <= fs->floor && !fs->dirty_dels &&
                        fs->del_gen <= synced;
    bool waiting = false;
    for (size_t i = 0; i + 1 < fs->nblks; i++) {
        struct fs_blk *b = fs->blks[i];
        if (b->sum_disk)
            continue;
        /* dgen is only written by this thread (under mu for store_sync). */
        if (b->dgen > synced || (b->ndead > 0 && !dels_durable)) {
            waiting = true;
            continue;
        }
        /* One per call; a failure (disk full) waits for the next change. */
        if (fs__idx_write(s, fs, b) == 0)
            return;
        break;
    }
    fs->sum_need = waiting;
}

static int fs_op_end(struct store *s, bool deferred)
{
    struct fs *fs = fs_of(s);
    int rc = deferred ? 0 : flush_pending(s);
    if (!deferred && rc == 0) /* only store_append leaves records buffered */
        rc = fs__wb_flush(s);
    /* A failed collection is not the caller's failure: the blocks stay as
     * they are (still correct) and are looked at again after the next
     * removal in them. */
    if (fs->ngc > 0 || fs->gc_rescan)
        (void)gc_run(s);
    if (fs->opening) /* the open's own call: be ready first */
        fs->opening = false;
    else if (fs->sum_need)
        summarise_one(s);
    return rc;
}

/* What a sync does to one block: fdatasync it, and drop [from, to) from
 * the page cache once that is synced. */
struct sync_item {
    int fd; /* a private descriptor: survives the owner closing or
             * compacting the block while we sync without its lock */
    bool sync;
    uint64_t from, to;
};

/* The page cache a sync lets go: the synced bytes written more than
 * FS_CACHE_KEEP before the end of the store's last block. The kernel would
 * keep every page written until memory runs short; recycling them keeps
 * the page cache of a busy stream small, and writing into recycled pages
 * costs a fraction of fresh ones (on these VMs by far most of a 1 KB
 * publish). Loads of older records read the file, a read-ahead window at
 * a time. <behind> is what the blocks after <b> hold. Under fs.mu. */
static bool drop_range(struct fs_blk *b, uint64_t behind, struct sync_item *it)
{
    uint64_t keep = behind >= FS_CACHE_KEEP ? 0 : FS_CACHE_KEEP - behind;
    uint64_t to = b->wend > keep ? (b->wend - keep) & ~(uint64_t)4095 : 0;
    if (behind < FS_CACHE_KEEP && to < b->dropped + FS_CACHE_KEEP / 8)
        return false; /* a little at a time would cost a call per sync */
    if (to <= b->dropped)
        return false;
    it->from = b->dropped;
    it->to = to;
    b->dropped = to;
    return true;
}

static int fs_sync(struct store *s)
{
    struct fs *fs = fs_of(s);
    pthread_mutex_lock(&fs->mu);
    int rc = fs->sync_err;
    uint64_t gen = ++fs->sync_gen;
    struct sync_item *items = xmalloc((fs->nblks + 1) * sizeof(*items));
    size_t n = 0, nsync = 0;
    uint64_t behind = 0;
    for (size_t i = fs->nblks; rc == 0 && i-- > 0;) {
        struct fs_blk *b = fs->blks[i];
        struct sync_item *it = &items[n];
        *it = (struct sync_item){.sync = b->dirty};
        bool drop = drop_range(b, behind, it);
        behind += b->wend;
        if (b->fd < 0 || (!it->sync && !drop))
            continue;
        if ((it->fd = fcntl(b->fd, F_DUPFD_CLOEXEC, 0)) < 0) {
            rc = -errno;
            break;
        }
        n++;
        nsync += it->sync;
        b->dirty = false;
    }
    bool dir = fs->dir_dirty;
    fs->dir_dirty = false;
    uint64_t target = fs->written_seq;
    pthread_mutex_unlock(&fs->mu);
    if (rc == 0 && s->fault)
        rc = s->fault(s->fault_arg, STORE__FAULT_SYNC);
    int64_t t0 = clock_mono_ns();
    for (size_t i = 0; i < n; i++)
        if (rc == 0 && items[i].sync && fdatasync(items[i].fd) != 0)
            rc = -errno;
    if (rc == 0 && dir)
        rc = fs__fsync_dir(fs);
    if ((nsync || dir) && fs->sync_hist) /* the latency monitoring exports (/metrics) */
        hist_record(fs->sync_hist, clock_mono_ns() - t0);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && items[i].to > items[i].from) /* only a hint: failing is harmless */
            (void)posix_fadvise(items[i].fd, (off_t)items[i].from,
                                (off_t)(items[i].to - items[i].from), POSIX_FADV_DONTNEED);
        close(items[i].fd);
    }
    free(items);
    pthread_mutex_lock(&fs->mu);
    if (rc != 0 && fs->sync_err == 0)
        fs->sync_err = rc; /* fsyncgate: dirty pages may be gone; stay failed */
    pthread_mutex_unlock(&fs->mu);
    if (rc == 0 && target > atomic_load(&fs->synced_seq))
        atomic_store(&fs->synced_seq, target);
    if (rc == 0) /* syncs do not overlap: generations complete in order */
        atomic_store(&fs->synced_gen, gen);
    return rc;
}

static uint64_t fs_synced_seq(const struct store *s)
{
    return atomic_load(&fs_of(s)->synced_seq);
}

/* Removes the store's own files (and the directory if that empties it). */
static void remove_files(struct fs *fs)
{
    int fd = dup(fs->dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (d == NULL) {
        if (fd >= 0)
            close(fd);
        return;
    }
    rewinddir(d); /* the dup shares dirfd's offset */
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        bool ours = strcmp(n, "LOCK") == 0 || strcmp(n, "state.dat") == 0 ||
                    strcmp(n, "state.dat.tmp") == 0 || fs__name_num(n, "blk") ||
                    fs__name_num(n, "idx") || fs__name_num(n, "blk.tmp");
        if (ours)
            (void)unlinkat(fs->dirfd, de->d_name, 0);
    }
    closedir(d);
    (void)rmdir(fs->dir);
}

static void fs_free(struct fs *fs)
{
    for (size_t i = 0; i < fs->nblks; i++) {
        if (fs->blks[i]->fd >= 0)
            close(fs->blks[i]->fd);
        fs__pend_free(fs->blks[i]->pend);
        free(fs->blks[i]->dead);
        free(fs->blks[i]->tombs);
        free(fs->blks[i]);
    }
    free(fs->blks);
    buf_deinit(&fs->pend);
    buf_deinit(&fs->io);
    buf_deinit(&fs->wb);
    fs__ra_free(fs);
    if (fs->lockfd >= 0)
        close(fs->lockfd); /* releases the flock */
    if (fs->dirfd >= 0)
        close(fs->dirfd);
    pthread_mutex_destroy(&fs->mu);
    free(fs->dir);
    free(fs);
}

/* A clean close's writes: everything out of memory and durable, and the
 * tail's unused reservation given back. */
static int close_sync(struct store *s)
{
    struct fs *fs = fs_of(s);
    int rc = flush_pending(s);
    if (rc == 0)
        rc = fs__wb_flush(s);
    if (rc == 0 && tail_of(fs))
        fs__wb_seal(fs, tail_of(fs));
    return rc == 0 ? fs_sync(s) : rc;
}

static void fs_close(struct store *s, enum store__close how)
{
    struct fs *fs = fs_of(s);
    if (how == STORE__CLOSE_DESTROY) {
        remove_files(fs);
    } else if (how == STORE__CLOSE_CLEAN && close_sync(s) == 0 &&
               fs__state_write(fs, s->first_seq, s->last_seq, s->last_ts) == 0) {
        /* Everything is durable: summarise every block whose summary is
         * missing or older than its last removal (untouched ones keep
         * theirs), so that the next open reads no data. */
        for (size_t i = 0; i < fs->nblks; i++)
            if (!fs->blks[i]->sum_exact)
                (void)fs__idx_write(s, fs, fs->blks[i]);
    }
    fs_free(fs);
    s->be = NULL;
}

static const struct store__ops fs_ops = {
    .write = fs_write,
    .read = fs_read,
    .erase = fs_erase,
    .removed = fs_removed,
    .purge_all = fs_purge_all,
    .op_end = fs_op_end,
    .flush = fs__wb_flush,
    .sync = fs_sync,
    .synced_seq = fs_synced_seq,
    .close = fs_close,
};

/* mkdir -p <dir>. */
static int make_dirs(const char *dir)
{
    char *p = xstrdup(dir);
    int rc = 0;
    for (char *c = p + 1; rc == 0; c++) {
        if (*c != '/' && *c != '\0')
            continue;
        char saved = *c;
        *c = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            rc = -errno;
        *c = saved;
        if (saved == '\0')
            break;
    }
    free(p);
    return rc;
}

int store__file_open(struct store *s, const struct store_config *cfg, struct errbuf *eb)
{
    struct fs *fs = xcalloc(1, sizeof(*fs));
    fs->dir = xstrdup(cfg->dir);
    fs->sync_hist = cfg->sync_hist;
    fs->block_size = cfg->block_size ? cfg->block_size : FS_DEFAULT_BLOCK;
    fs->dirfd = fs->lockfd = -1;
    fs->next_num = 1;
    buf_init(&fs->pend);
    buf_init(&fs->io);
    buf_init(&fs->wb);
    pthread_mutex_init(&fs->mu, NULL);
    int rc = make_dirs(cfg->dir);
    if (rc == 0 && (fs->dirfd = open(cfg->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        rc = -errno;
    if (rc != 0) {
        errbuf_set(eb, rc, "store: %s: %s", cfg->dir, err_str(rc));
        goto fail;
    }
    fs->lockfd = openat(fs->dirfd, "LOCK", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fs->lockfd < 0 || flock(fs->lockfd, LOCK_EX | LOCK_NB) != 0) {
        rc = errno == EWOULDBLOCK ? ERR_EXISTS : -errno;
        errbuf_set(eb, rc, "store: %s is in use: %s", cfg->dir, err_str(rc));
        goto fail;
    }
    s->be = fs;
    s->ops = &fs_ops;
    store__seqidx_set_loader(&s->idx, fs__idx_load, s);
    fs->opening = true;
    rc = fs__recover(s, fs, eb);
    if (rc != 0)
        goto fail;
    fs->written_seq = s->last_seq;
    atomic_store(&fs->synced_seq, s->last_seq);
    fs->wb_on = cfg->write_behind; /* after recovery: its writes go straight to disk */
    return 0;
fail:
    s->be = NULL;
    fs_free(fs);
    return rc;
}

void store__file_recovery_info(const struct store *s, struct store_recovery_info *ri)
{
    *ri = fs_of(s)->ri;
}
