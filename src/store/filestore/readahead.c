/* File store read path with a read-ahead window: a load that follows the
 * previous one forward in the same block reads an aligned window of the
 * block file (up to FS_RA_WINDOW bytes, never past the block's size) once, and
 * the loads after it copy their records out of it. Records are immutable
 * once written, so the window stays valid while the tail grows; erasing,
 * compacting or dropping its block forgets it (fs__ra_forget). Only the
 * owner's calls use it (under the stream lock); store_sync never does.
 * Records write-behind still holds (wbuf.c) are copied from its buffer.
 */
#include "store/filestore/fs_int.h"
#include "util/xalloc.h"

#include <errno.h>
#include <unistd.h>

#define FS_RA_ALIGN ((uint64_t)4096)
/* A load at most this far past the previous one counts as sequential. */
#define FS_RA_GAP (FS_RA_WINDOW / 4)

/* pread of exactly <len> bytes at <off>; 0, -errno, or ERR_CORRUPT at EOF. */
static int pread_all(int fd, char *p, size_t len, uint64_t off)
{
    for (size_t got = 0; got < len;) {
        ssize_t n = pread(fd, p + got, len - got, (off_t)(off + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : ERR_CORRUPT;
        got += (size_t)n;
    }
    return 0;
}

/* Fills the window with [align_down(off), +cap) of <b>, cut at its size.
 * The window starts at FS_RA_MIN bytes and doubles up to FS_RA_WINDOW each
 * time a load runs past a full one, so that short sequential reads (and
 * loads that follow the tail as it grows) keep it small. Returns 0 when
 * the window then holds [off, off + len). */
static int ra_fill(struct fs *fs, struct fs_blk *b, int fd, uint64_t off, uint32_t len)
{
    struct fs_ra *ra = &fs->ra;
    size_t cap = ra->cap;
    if (cap == 0)
        cap = FS_RA_MIN;
    else if (cap < FS_RA_WINDOW && ra->len == cap && ra->num == b->num && off > ra->off)
        cap *= 2;
    if (cap != ra->cap) {
        ra->data = xrealloc(ra->data, cap);
        ra->cap = cap;
    }
    uint64_t start = off & ~(FS_RA_ALIGN - 1);
    uint64_t size = fs__wb_disk_size(fs, b); /* what write-behind holds is not in the file */
    uint64_t end = start + cap < size ? start + cap : size;
    if (off + len > end)
        return ERR_NOTFOUND; /* larger than the window (or past the size) */
    ra->len = 0;             /* invalid while being read */
    int rc = pread_all(fd, ra->data, (size_t)(end - start), start);
    if (rc != 0)
        return rc;
    ra->num = b->num;
    ra->off = start;
    ra->len = (size_t)(end - start);
    ra->fills++;
    return 0;
}

int fs__rec_load(struct fs *fs, struct fs_blk *b, uint64_t off, uint32_t len, struct buf *out)
{
    struct fs_ra *ra = &fs->ra;
    buf_clear(out);
    buf_reserve(out, len);
    if (fs__wb_read(fs, b, off, len, out->data)) {
        out->len = len;
        return 0;
    }
    int fd = fs__blk_fd(fs, b);
    if (fd < 0)
        return fd;
    bool seq = ra->next_num == b->num && off >= ra->next_off && off - ra->next_off <= FS_RA_GAP;
    ra->next_num = b->num;
    ra->next_off = off + len;
    bool hit = ra->len && ra->num == b->num && off >= ra->off && off + len <= ra->off + ra->len;
    if (!hit && seq)
        hit = ra_fill(fs, b, fd, off, len) == 0;
    if (hit) {
        memcpy(out->data, ra->data + (off - ra->off), len);
    } else {
        int rc = pread_all(fd, out->data, len, off);
        if (rc != 0)
            return rc;
    }
    out->len = len;
    return 0;
}

void fs__ra_forget(struct fs *fs, uint32_t num)
{
    if (fs->ra.num == num)
        fs->ra.len = 0;
    if (fs->ra.next_num == num)
        fs->ra.next_num = 0;
}

void fs__ra_free(struct fs *fs)
{
    free(fs->ra.data);
    memset(&fs->ra, 0, sizeof(fs->ra));
}
