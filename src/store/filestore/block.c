/* File store blocks: the record codec, block files with a small descriptor
 * cache, crash-safe appends (a failed write is cut back off the file), and
 * compaction (live records rewritten to <n>.blk.tmp, fsynced, renamed over
 * the block). Record layout: fs_int.h and docs/FILESTORE.md.
 */
#include "store/filestore/fs_int.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

/* ---- records ---- */

void fs__rec_hdr(char *h, enum fs_rec_type type, uint32_t len, uint64_t seq, int64_t ts,
                 uint32_t subj_len, uint32_t hdr_len, uint32_t data_len)
{
    h[0] = 'G';
    h[1] = 'N';
    h[2] = 'R';
    h[3] = (char)type;
    fs_put32(h + 4, len);
    fs_put64(h + 8, seq);
    fs_put64(h + 16, (uint64_t)ts);
    h[24] = (char)(subj_len & 0xff);
    h[25] = (char)(subj_len >> 8);
    h[26] = h[27] = 0;
    fs_put32(h + 28, hdr_len);
    fs_put32(h + 32, data_len);
}

void fs__rec_del(struct buf *b, uint64_t seq, int64_t ts)
{
    char r[FS_REC_MIN];
    fs__rec_hdr(r, FS_REC_DEL, FS_REC_MIN, seq, ts, 0, 0, 0);
    fs_put64(r + FS_REC_HDR, XXH3_64bits(r, FS_REC_HDR));
    buf_append(b, r, sizeof(r));
}

void fs__rec_floor(struct buf *b, uint64_t floor, uint64_t last_seq, int64_t last_ts)
{
    char r[FS_REC_FLOOR_LEN];
    fs__rec_hdr(r, FS_REC_FLOOR, FS_REC_FLOOR_LEN, floor, last_ts, 0, 0, 8);
    fs_put64(r + FS_REC_HDR, last_seq);
    fs_put64(r + FS_REC_HDR + 8, XXH3_64bits(r, FS_REC_HDR + 8));
    buf_append(b, r, sizeof(r));
}

bool fs__rec_plausible(const char *p, size_t avail, uint32_t *len)
{
    if (avail < FS_REC_MIN || p[0] != 'G' || p[1] != 'N' || p[2] != 'R')
        return false;
    *len = fs_get32(p + 4);
    return *len >= FS_REC_MIN && *len <= avail;
}

int64_t fs__rec_parse(const char *p, size_t avail, struct fs_rec *r)
{
    if (avail < FS_REC_HDR)
        return avail >= 3 && (p[0] != 'G' || p[1] != 'N' || p[2] != 'R') ? ERR_CORRUPT : 0;
    if (p[0] != 'G' || p[1] != 'N' || p[2] != 'R')
        return ERR_CORRUPT;
    r->type = (enum fs_rec_type)(uint8_t)p[3];
    r->len = fs_get32(p + 4);
    r->seq = fs_get64(p + 8);
    r->ts = (int64_t)fs_get64(p + 16);
    r->subj_len = (uint8_t)p[24] | (uint32_t)(uint8_t)p[25] << 8;
    r->hdr_len = fs_get32(p + 28);
    r->data_len = fs_get32(p + 32);
    uint64_t body = (uint64_t)r->subj_len + r->hdr_len + r->data_len;
    if (r->type < FS_REC_MSG || r->type > FS_REC_FLOOR || p[26] || p[27] || r->seq == 0 ||
        r->seq >= STORE__MAX_SEQ || body > STORE__MAX_LEN ||
        r->len != FS_REC_HDR + body + FS_REC_SUM)
        return ERR_CORRUPT;
    if ((r->type == FS_REC_DEL && body != 0) ||
        (r->type == FS_REC_FLOOR && (body != 8 || r->subj_len || r->hdr_len)))
        return ERR_CORRUPT;
    if ((r->type == FS_REC_MSG || r->type == FS_REC_ERASED) && r->subj_len == 0)
        return ERR_CORRUPT;
    if (r->len > avail)
        return 0;
    if (XXH3_64bits(p, r->len - FS_REC_SUM) != fs_get64(p + r->len - FS_REC_SUM))
        return ERR_CORRUPT;
    r->subj = p + FS_REC_HDR;
    r->hdr = r->subj + r->subj_len;
    r->data = r->hdr + r->hdr_len;
    if (r->type == FS_REC_FLOOR && fs_get64(r->data) >= STORE__MAX_SEQ)
        return ERR_CORRUPT;
    return r->len;
}

/* ---- block files ---- */

void fs__path(const struct fs *fs, char *out, uint32_t num, const char *ext)
{
    snprintf(out, FS_NAME_MAX, "%u.%s", num, ext);
}

struct fs_blk *fs__blk_find(const struct fs *fs, uint32_t num)
{
    size_t lo = 0, hi = fs->nblks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fs->blks[mid]->num < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < fs->nblks && fs->blks[lo]->num == num ? fs->blks[lo] : NULL;
}

/* Closes the least recently used clean, non-tail descriptor. Under mu. */
static void fd_evict(struct fs *fs)
{
    struct fs_blk *victim = NULL;
    for (size_t i = 0; i + 1 < fs->nblks; i++) {
        struct fs_blk *b = fs->blks[i];
        if (b->fd >= 0 && !b->dirty && (victim == NULL || b->lru < victim->lru))
            victim = b;
    }
    if (victim) {
        close(victim->fd);
        victim->fd = -1;
        fs->nopen--;
    }
}

static int fd_open(struct fs *fs, struct fs_blk *b, int flags)
{
    char name[FS_NAME_MAX];
    fs__path(fs, name, b->num, "blk");
    pthread_mutex_lock(&fs->mu);
    if (fs->nopen >= FS_MAX_FDS)
        fd_evict(fs);
    int fd = openat(fs->dirfd, name, O_RDWR | O_CLOEXEC | flags, 0644);
    if (fd >= 0) {
        b->fd = fd;
        fs->nopen++;
    }
    pthread_mutex_unlock(&fs->mu);
    return fd >= 0 ? 0 : -errno;
}

int fs__blk_fd(struct fs *fs, struct fs_blk *b)
{
    b->lru = ++fs->lru_clock;
    if (b->fd >= 0)
        return b->fd;
    int rc = fd_open(fs, b, 0);
    return rc < 0 ? rc : b->fd;
}

int fs__blk_add(struct fs *fs, uint32_t num, bool create, struct fs_blk **out)
{
    struct fs_blk *b = xcalloc(1, sizeof(*b));
    b->num = num;
    b->fd = -1;
    if (create) { /* a summary left over from an earlier block of this number */
        char name[FS_NAME_MAX];
        fs__path(fs, name, num, "idx");
        (void)unlinkat(fs->dirfd, name, 0);
    }
    int rc = fd_open(fs, b, create ? O_CREAT | O_EXCL : 0);
    if (rc != 0) {
        free(b);
        return rc;
    }
    b->lru = ++fs->lru_clock;
    pthread_mutex_lock(&fs->mu);
    if (fs->nblks == fs->blkcap) {
        fs->blkcap = fs->blkcap ? fs->blkcap * 2 : 16;
        fs->blks = xrealloc(fs->blks, fs->blkcap * sizeof(*fs->blks));
    }
    ASSERT(fs->nblks == 0 || fs->blks[fs->nblks - 1]->num < num);
    fs->blks[fs->nblks++] = b;
    if (create)
        fs->dir_dirty = true;
    pthread_mutex_unlock(&fs->mu);
    if (num >= fs->next_num)
        fs->next_num = num + 1;
    *out = b;
    return 0;
}

void fs__blk_drop(struct fs *fs, struct fs_blk *b)
{
    fs__ra_forget(fs, b->num);
    fs__wb_forget(fs, b);
    char name[FS_NAME_MAX];
    fs__path(fs, name, b->num, "blk");
    (void)unlinkat(fs->dirfd, name, 0);
    fs__path(fs, name, b->num, "idx");
    (void)unlinkat(fs->dirfd, name, 0);
    pthread_mutex_lock(&fs->mu);
    if (b->fd >= 0) {
        close(b->fd);
        fs->nopen--;
    }
    size_t i = 0;
    while (fs->blks[i] != b)
        i++;
    memmove(&fs->blks[i], &fs->blks[i + 1], (fs->nblks - i - 1) * sizeof(*fs->blks));
    fs->nblks--;
    fs->dir_dirty = true;
    pthread_mutex_unlock(&fs->mu);
    fs->gc_rescan = true;
    fs__pend_free(b->pend);
    free(b->dead);
    free(b->tombs);
    free(b);
}

struct fs_blk *fs__blk_holding(const struct fs *fs, uint64_t seq)
{
    /* Message ranges ascend with block numbers; blocks without messages
     * (msg_first 0) are skipped. */
    size_t lo = 0, hi = fs->nblks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, j = mid;
        while (j < hi && fs->blks[j]->msg_first == 0)
            j++;
        if (j == hi)
            hi = mid;
        else if (fs->blks[j]->msg_last < seq)
            lo = j + 1;
        else
            hi = mid;
    }
    while (lo < fs->nblks && fs->blks[lo]->msg_first == 0)
        lo++;
    if (lo == fs->nblks || fs->blks[lo]->msg_first > seq)
        return NULL;
    return fs->blks[lo];
}

void fs__blk_note(struct fs_blk *b, uint64_t seq, int64_t ts)
{
    if (seq >= b->rec_last) {
        b->rec_last = seq;
        b->rec_last_ts = ts;
    }
}

void fs__blk_tomb_add(struct fs_blk *b, uint64_t seq, uint32_t len)
{
    if (b->ntombs == b->tombcap) {
        b->tombcap = b->tombcap ? b->tombcap * 2 : 16;
        b->tombs = xrealloc(b->tombs, b->tombcap * sizeof(*b->tombs));
    }
    b->tombs[b->ntombs++] = seq;
    b->tomb_bytes += len;
    if (b->tomb_min == 0 || seq < b->tomb_min)
        b->tomb_min = seq;
    if (seq > b->tomb_max)
        b->tomb_max = seq;
}

void fs__blk_note_del(struct fs_blk *b, uint64_t seq, uint32_t len, int64_t ts)
{
    fs__blk_tomb_add(b, seq, len);
    fs__blk_note(b, seq, ts);
}

void fs__blk_note_floor(struct fs_blk *b, uint64_t floor, uint64_t last, int64_t ts)
{
    if (floor > b->floor)
        b->floor = floor;
    fs__blk_note(b, last, ts);
}

void fs__blk_dirty(struct fs *fs, struct fs_blk *b, uint64_t seq)
{
    if (fs->wb.len && fs->wb_blk == b) { /* not in the file yet: marked by the flush */
        if (seq > fs->wb_seq)
            fs->wb_seq = seq;
        return;
    }
    pthread_mutex_lock(&fs->mu);
    b->dirty = true;
    b->dgen = fs->sync_gen + 1; /* the next store_sync to start covers it */
    if (b->size > b->wend)
        b->wend = b->size;
    if (fs->dirty_dels) {
        fs->del_gen = b->dgen;
        fs->dirty_dels = false;
    }
    if (seq > fs->written_seq)
        fs->written_seq = seq;
    pthread_mutex_unlock(&fs->mu);
}

int fs__pwritev_all(int fd, const struct iovec *iov, int cnt, size_t total, off_t off)
{
    struct iovec v[8];
    ASSERT(cnt <= 8);
    memcpy(v, iov, (size_t)cnt * sizeof(*v));
    struct iovec *p = v;
    for (size_t done = 0; done < total;) {
        ssize_t n = pwritev(fd, p, cnt, off + (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -EIO;
        done += (size_t)n;
        while (cnt > 0 && (size_t)n >= p->iov_len) {
            n -= (ssize_t)p->iov_len;
            p++;
            cnt--;
        }
        if (cnt > 0) {
            p->iov_base = (char *)p->iov_base + n;
            p->iov_len -= (size_t)n;
        }
    }
    return 0;
}

int fs__blk_append(struct store *s, struct fs_blk *b, const struct iovec *iov, int cnt,
                   size_t total)
{
    struct fs *fs = fs_of(s);
    int rc = fs__wb_append(s, b, iov, cnt, total);
    if (rc <= 0)
        return rc; /* buffered, or failed */
    int fd = fs__blk_fd(fs, b);
    if (fd < 0)
        return fd;
    if (b->sum_disk)
        (void)fs__idx_forget(fs, b, false); /* no longer matches: the size check would say so too */
    rc = s->fault ? s->fault(s->fault_arg, STORE__FAULT_WRITE) : 0;
    if (rc < 0) {
        /* Simulate a disk filling up halfway through the write. */
        ssize_t partial = pwrite(fd, iov[0].iov_base, iov[0].iov_len / 2, (off_t)b->size);
        (void)partial;
    } else {
        rc = fs__pwritev_all(fd, iov, cnt, total, (off_t)b->size);
    }
    if (rc == 0) {
        b->size += total;
        return 0;
    }
    /* Never leave a partial record behind. If even the cut fails, later
     * appends overwrite the garbage from b->size on, and recovery cuts
     * whatever remains at the end; the write error is the one to report. */
    int cut = ftruncate(fd, (off_t)b->size);
    (void)cut;
    return rc;
}

/* ---- compaction ---- */

void fs__blk_dead_add(struct fs_blk *b, uint64_t seq)
{
    if (b->ndead == b->deadcap) {
        b->deadcap = b->deadcap ? b->deadcap * 2 : 16;
        b->dead = xrealloc(b->dead, b->deadcap * sizeof(*b->dead));
    }
    if (b->ndead == 0)
        b->dead_sorted = true;
    else if (seq < b->dead[b->ndead - 1])
        b->dead_sorted = false;
    b->dead[b->ndead++] = seq;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

bool fs__blk_has_dead(struct fs_blk *a, uint64_t lo, uint64_t hi)
{
    if (a->ndead == 0 || a->msg_first > hi || a->msg_last < lo)
        return false;
    if (!a->dead_sorted) {
        qsort(a->dead, a->ndead, sizeof(*a->dead), cmp_u64);
        a->dead_sorted = true;
    }
    size_t l = 0, h = a->ndead;
    while (l < h) {
        size_t m = l + (h - l) / 2;
        if (a->dead[m] < lo)
            l = m + 1;
        else
            h = m;
    }
    return l < a->ndead && a->dead[l] <= hi;
}

bool fs__blk_tombs_needed(const struct store *s, const struct fs_blk *b, uint64_t lo, uint64_t hi)
{
    const struct fs *fs = fs_of(s);
    /* Below first_seq a durable FLOOR covers everything (persist_floor). */
    if (lo < s->first_seq)
        lo = s->first_seq;
    if (hi == 0 || lo > hi)
        return false;
    for (size_t i = 0; i < fs->nblks; i++)
        if (fs->blks[i] != b && fs__blk_has_dead(fs->blks[i], lo, hi))
            return true;
    return false;
}

int fs__read_all(int fd, struct buf *b, uint64_t size)
{
    buf_clear(b);
    buf_reserve(b, size + 1);
    size_t got = 0;
    while (got < size) {
        ssize_t n = pread(fd, b->data + got, size - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : ERR_CORRUPT;
        got += (size_t)n;
    }
    b->len = size;
    return 0;
}

int fs__write_file(struct fs *fs, const char *name, const char *p, size_t n, bool sync)
{
    int fd = openat(fs->dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    int rc = 0;
    for (size_t off = 0; off < n && rc == 0;) {
        ssize_t w = write(fd, p + off, n - off);
        if (w < 0 && errno != EINTR)
            rc = -errno;
        else if (w > 0)
            off += (size_t)w;
    }
    if (rc == 0 && sync && fdatasync(fd) != 0)
        rc = -errno;
    close(fd);
    if (rc != 0)
        (void)unlinkat(fs->dirfd, name, 0);
    return rc;
}

/* Copies the records of <b> worth keeping from fs->io into <out>,
 * remembering (seq, new offset) pairs in <moves>. */
static void compact_filter(struct store *s, struct fs_blk *b, struct buf *out, struct buf *moves,
                           struct fs_blk *nb)
{
    struct fs *fs = fs_of(s);
    const char *p = fs->io.data;
    size_t size = fs->io.len;
    for (size_t off = 0; off < size;) {
        struct fs_rec r;
        int64_t n = fs__rec_parse(p + off, size - off, &r);
        uint32_t skip;
        if (n <= 0) {
            if (!fs__rec_plausible(p + off, size - off, &skip))
                break;
            off += skip;
            continue;
        }
        if (r.type == FS_REC_MSG) {
            const struct store__ent *e = store__seqidx_get(&s->idx, r.seq);
            if (e && e->loc == fs_loc(b->num, off)) {
                uint64_t mv[2] = {r.seq, out->len};
                buf_append(moves, mv, sizeof(mv));
                if (nb->msg_first == 0)
                    nb->msg_first = r.seq;
                nb->msg_last = r.seq;
                buf_append(out, p + off, r.len);
            }
        } else if (r.type == FS_REC_DEL && fs__blk_tombs_needed(s, b, r.seq, r.seq)) {
            fs__blk_tomb_add(nb, r.seq, r.len);
            buf_append(out, p + off, r.len);
        }
        off += (size_t)n;
    }
}

int fs__blk_compact(struct store *s, struct fs_blk *b)
{
    struct fs *fs = fs_of(s);
    fs__ra_forget(fs, b->num);       /* the block is rewritten: its offsets change */
    int rc = fs__wb_flush_blk(s, b); /* never the tail today; cheap to be sure */
    int fd = rc == 0 ? fs__blk_fd(fs, b) : rc;
    if (fd < 0)
        return fd;
    rc = fs__read_all(fd, &fs->io, b->size);
    if (rc != 0)
        return rc;
    struct buf out, moves;
    buf_init(&out);
    buf_init(&moves);
    struct fs_blk nb = {0};
    compact_filter(s, b, &out, &moves, &nb);
    if (rc == 0 && b->sum_disk)
        rc = fs__idx_forget(fs, b, false); /* the inode check rejects it anyway */
    if (rc != 0)
        goto out;
    if (moves.len / 16 != b->live_msgs) {
        rc = ERR_CORRUPT; /* a live record no longer parses: keep the block */
        goto out;
    }
    if (out.len == 0) {
        fs__blk_drop(fs, b);
        goto out;
    }
    char tmp[FS_NAME_MAX], name[FS_NAME_MAX];
    fs__path(fs, tmp, b->num, "blk.tmp");
    fs__path(fs, name, b->num, "blk");
    rc = fs__write_file(fs, tmp, out.data, out.len, true);
    if (rc == 0 && renameat(fs->dirfd, tmp, fs->dirfd, name) != 0)
        rc = -errno;
    if (rc == 0)
        rc = fs__fsync_dir(fs);
    if (rc != 0) {
        (void)unlinkat(fs->dirfd, tmp, 0);
        goto out;
    }
    pthread_mutex_lock(&fs->mu);
    if (b->fd >= 0) {
        close(b->fd);
        fs->nopen--;
        b->fd = -1;
    }
    b->dirty = false; /* the new file is already synced */
    b->dgen = 0;
    pthread_mutex_unlock(&fs->mu);
    const uint64_t *mv = (const uint64_t *)(const void *)moves.data;
    for (size_t i = 0; i < moves.len / 16; i++)
        store__seqidx_get(&s->idx, mv[2 * i])->loc = fs_loc(b->num, mv[2 * i + 1]);
    b->size = out.len;
    b->ndead = 0;         /* every removed message's record is gone now */
    fs->gc_rescan = true; /* tombstone-only blocks may have become useless */
    fs->sum_need = true;  /* summarise the new file once it settles */
    b->tomb_bytes = nb.tomb_bytes;
    b->tomb_min = nb.tomb_min;
    b->tomb_max = nb.tomb_max;
    free(b->tombs);
    b->tombs = nb.tombs;
    b->ntombs = nb.ntombs;
    b->tombcap = nb.tombcap;
    nb.tombs = NULL;
    b->floor = 0; /* FLOOR records are not copied: a durable one is elsewhere */
    b->msg_first = nb.msg_first;
    b->msg_last = nb.msg_last;
out:
    free(nb.tombs);
    buf_deinit(&out);
    buf_deinit(&moves);
    buf_clear(&fs->io);
    buf_shrink(&fs->io, 1 << 16);
    return rc;
}
