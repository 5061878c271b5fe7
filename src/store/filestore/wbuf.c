/* Write-behind for the file store's tail (contract in fs_int.h).
 *
 * One pwritev per message made the kernel's buffered-write path (page
 * lookup, block reservation, timestamps) most of a publish's cost at 1 KB.
 * With write-behind the records a worker appends during one loop iteration
 * reach the file in one write, issued by the owner (JetStream flushes
 * before it hands the iteration's PubAcks to the commit thread, so an ack
 * still follows write + fdatasync).
 *
 * Errors stay synchronous: before a record is buffered, disk space for it
 * is reserved with fallocate(FALLOC_FL_KEEP_SIZE), so ENOSPC fails that
 * append (nothing stored) instead of a later flush whose messages the
 * store has already indexed. Space is reserved FS_WB_RESV at a time; what
 * a sealed tail did not use is given back (ftruncate to its size frees
 * blocks past EOF). A file system without fallocate turns write-behind
 * off for the store. A flush that fails anyway (EIO) keeps its bytes
 * buffered: loads still see them, synced_seq stays below them, and the
 * next append retries the flush first and fails while it fails.
 */
#include "store/filestore/fs_int.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* Disk space for <b> up to offset <end>: 0, -errno, or 1 when the file
 * system cannot reserve. */
static int reserve(struct fs *fs, struct fs_blk *b, uint64_t end)
{
    uint64_t disk = fs__wb_disk_size(fs, b); /* [disk, resv) is reserved */
    uint64_t from = b->resv > disk ? b->resv : disk;
    if (end <= from)
        return 0;
    int fd = fs__blk_fd(fs, b);
    if (fd < 0)
        return fd;
    uint64_t want = end - from < FS_WB_RESV ? FS_WB_RESV : end - from;
    uint64_t cap = end > fs->block_size ? end : fs->block_size; /* no further than the block goes */
    if (from + want > cap)
        want = cap - from;
    for (;;) {
        if (fallocate(fd, FALLOC_FL_KEEP_SIZE, (off_t)from, (off_t)want) == 0) {
            b->resv = from + want;
            return 0;
        }
        if (errno == EINTR)
            continue;
        if (errno == EOPNOTSUPP || errno == ENOSYS)
            return 1;
        if (errno == ENOSPC && want > end - from) {
            want = end - from; /* the last bytes of a disk: just this record */
            continue;
        }
        return -errno;
    }
}

int fs__wb_append(struct store *s, struct fs_blk *b, const struct iovec *iov, int cnt, size_t total)
{
    struct fs *fs = fs_of(s);
    if (!fs->wb_on)
        return 1;
    if (fs->wb.len && (b != fs->wb_blk || fs->wb_err || fs->wb.len + total > FS_WB_MAX)) {
        int rc = fs__wb_flush(s);
        if (rc != 0)
            return rc;
    }
    int rc = reserve(fs, b, b->size + total);
    if (rc == 1) {
        int frc = fs__wb_flush(s);
        fs->wb_on = false;
        return frc ? frc : 1;
    }
    if (rc == 0 && s->fault) /* a disk filling up, as reserving would see it */
        rc = s->fault(s->fault_arg, STORE__FAULT_WRITE);
    if (rc != 0)
        return rc;
    if (b->sum_disk)
        (void)fs__idx_forget(fs, b, false); /* no longer matches the file */
    fs->wb_blk = b;
    for (int i = 0; i < cnt; i++)
        buf_append(&fs->wb, iov[i].iov_base, iov[i].iov_len);
    b->size += total;
    return 0;
}

int fs__wb_flush(struct store *s)
{
    struct fs *fs = fs_of(s);
    if (fs->wb.len == 0)
        return 0;
    struct fs_blk *b = fs->wb_blk;
    uint64_t off = b->size - fs->wb.len;
    int rc = s->fault ? s->fault(s->fault_arg, STORE__FAULT_FLUSH) : 0;
    if (rc == 0 && fs->wb_err) { /* the cut below may have freed the reservation */
        int r = reserve(fs, b, b->size);
        rc = r < 0 ? r : 0;
    }
    int fd = rc == 0 ? fs__blk_fd(fs, b) : -1;
    if (rc == 0 && fd < 0)
        rc = fd;
    if (rc == 0) {
        struct iovec iov = {fs->wb.data, fs->wb.len};
        rc = fs__pwritev_all(fd, &iov, 1, fs->wb.len, (off_t)off);
        if (rc != 0) {
            int cut = ftruncate(fd, (off_t)off); /* no partial record left */
            (void)cut;
            b->resv = 0; /* and maybe no reservation either */
        }
    }
    if (rc != 0) {
        fs->wb_err = rc;
        return rc;
    }
    fs->wb_err = 0;
    /* A busy stream keeps its buffer for the next iteration (growing it
     * again each time cost fresh pages); a quiet one (a KV bucket taking a
     * put now and then) keeps none. */
    size_t keep = fs->wb.len >= FS_WB_BUSY ? fs->wb.cap : 0;
    buf_clear(&fs->wb);
    buf_shrink(&fs->wb, keep);
    uint64_t seq = fs->wb_seq;
    fs->wb_seq = 0;
    fs__blk_dirty(fs, b, seq); /* wb.len is 0: marks it for store_sync now */
    return 0;
}

int fs__wb_flush_blk(struct store *s, struct fs_blk *b)
{
    struct fs *fs = fs_of(s);
    return fs->wb.len && fs->wb_blk == b ? fs__wb_flush(s) : 0;
}

bool fs__wb_read(const struct fs *fs, const struct fs_blk *b, uint64_t off, uint32_t len, char *out)
{
    if (fs->wb.len == 0 || fs->wb_blk != b)
        return false;
    uint64_t start = b->size - fs->wb.len;
    if (off < start || off + len > b->size)
        return false;
    memcpy(out, fs->wb.data + (off - start), len);
    return true;
}

uint64_t fs__wb_disk_size(const struct fs *fs, const struct fs_blk *b)
{
    return fs->wb.len && fs->wb_blk == b ? b->size - fs->wb.len : b->size;
}

void fs__wb_seal(struct fs *fs, struct fs_blk *b)
{
    /* Also when nothing is counted: a crash leaves what it reserved. */
    if (!fs->wb_on && b->resv == 0)
        return;
    b->resv = 0;
    int fd = fs__blk_fd(fs, b);
    if (fd >= 0) {
        int cut = ftruncate(fd, (off_t)b->size); /* frees the blocks past EOF */
        (void)cut;
    }
}

void fs__wb_forget(struct fs *fs, struct fs_blk *b)
{
    if (fs->wb_blk != b)
        return;
    buf_clear(&fs->wb);
    fs->wb_blk = NULL;
    fs->wb_seq = 0;
    fs->wb_err = 0;
}
