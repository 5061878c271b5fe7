/* Block summaries (<n>.idx), written at clean close so that a restart loads
 * the index without reading message data. A summary lists the block's live
 * messages (sequence, offset, length, timestamp, subject) and its
 * bookkeeping; it is trusted only if its checksum holds, it names the same
 * block and the block still has the size it recorded, and only when every
 * block has one (recovery removes them all at open, before any change).
 *
 *   0   "GNIDX001"          8   u32 block number     12  u32 nsubj
 *   16  u64 block size      24  u64 nent             32  u64 tomb_bytes
 *   40  u64 tomb_min        48  u64 tomb_max         56  u64 msg_first
 *   64  u64 msg_last        72  u64 ndead            80  nsubj x (u16 len, bytes)
 *   then nent x (u64 seq, u32 offset, u32 len|hdr flag, i64 ts, u32 subject index)
 *   then ndead x u64: removed messages whose records are still in the block
 *   then u64 XXH3 of everything before it
 */
#include "store/filestore/fs_int.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define IDX_HDR 80
#define IDX_ENT 28

/* Appends the summary of <b> to <out>; <map> (psi.nid slots of
 * UINT32_MAX) maps subject ids to local indexes and is restored after. */
static void idx_build(struct store *s, struct fs_blk *b, struct buf *out, uint32_t *map)
{
    struct buf subjs, ents, touched;
    buf_init(&subjs);
    buf_init(&ents);
    buf_init(&touched);
    uint32_t nsubj = 0;
    uint64_t nent = 0;
    uint64_t seq = b->msg_first;
    const struct store__ent *e;
    while (b->msg_first && (e = store__seqidx_next(&s->idx, seq, &seq)) != NULL &&
           seq <= b->msg_last) {
        if (e->loc >> 32 == b->num) {
            if (map[e->subj] == UINT32_MAX) {
                const struct store__subj *sj = store__psi_get(&s->psi, e->subj);
                char l[2] = {(char)(sj->len & 0xff), (char)(sj->len >> 8)};
                buf_append(&subjs, l, 2);
                buf_append(&subjs, sj->name, sj->len);
                buf_append(&touched, &e->subj, sizeof(e->subj));
                map[e->subj] = nsubj++;
            }
            char r[IDX_ENT];
            fs_put64(r, seq);
            fs_put32(r + 8, (uint32_t)e->loc);
            fs_put32(r + 12, e->len);
            fs_put64(r + 16, (uint64_t)e->ts);
            fs_put32(r + 24, map[e->subj]);
            buf_append(&ents, r, sizeof(r));
            nent++;
        }
        seq++;
    }
    char h[IDX_HDR];
    memcpy(h, "GNIDX001", 8);
    fs_put32(h + 8, b->num);
    fs_put32(h + 12, nsubj);
    fs_put64(h + 16, b->size);
    fs_put64(h + 24, nent);
    fs_put64(h + 32, b->tomb_bytes);
    fs_put64(h + 40, b->tomb_min);
    fs_put64(h + 48, b->tomb_max);
    fs_put64(h + 56, b->msg_first);
    fs_put64(h + 64, b->msg_last);
    fs_put64(h + 72, b->ndead);
    buf_append(out, h, sizeof(h));
    buf_append(out, subjs.data, subjs.len);
    buf_append(out, ents.data, ents.len);
    for (uint32_t i = 0; i < b->ndead; i++) {
        char d[8];
        fs_put64(d, b->dead[i]);
        buf_append(out, d, 8);
    }
    char sum[8];
    fs_put64(sum, XXH3_64bits(out->data, out->len));
    buf_append(out, sum, 8);
    for (size_t i = 0; i < touched.len; i += sizeof(uint32_t)) {
        uint32_t id;
        memcpy(&id, touched.data + i, sizeof(id));
        map[id] = UINT32_MAX;
    }
    buf_deinit(&subjs);
    buf_deinit(&ents);
    buf_deinit(&touched);
}

int fs__idx_write_all(struct store *s, struct fs *fs)
{
    uint32_t *map = xmalloc((size_t)s->psi.nid * sizeof(*map));
    memset(map, 0xff, (size_t)s->psi.nid * sizeof(*map));
    struct buf out;
    buf_init(&out);
    int rc = 0;
    for (size_t i = 0; i < fs->nblks && rc == 0; i++) {
        char name[FS_NAME_MAX];
        buf_clear(&out);
        idx_build(s, fs->blks[i], &out, map);
        fs__path(fs, name, fs->blks[i]->num, "idx");
        /* No fsync: a summary that did not reach the disk whole fails its
         * checksum or size check and recovery scans instead. */
        rc = fs__write_file(fs, name, out.data, out.len, false);
    }
    buf_deinit(&out);
    free(map);
    return rc;
}

/* Checks summary <p>/<n> of block <b> (whose file has <size> bytes); on
 * success sets *<maxseq> to its last sequence. */
static int idx_check(const struct fs_blk *b, const char *p, size_t n, uint64_t size,
                     uint64_t *maxseq)
{
    if (n < IDX_HDR + 8 || memcmp(p, "GNIDX001", 8) != 0 ||
        XXH3_64bits(p, n - 8) != fs_get64(p + n - 8))
        return ERR_CORRUPT;
    uint32_t nsubj = fs_get32(p + 12);
    uint64_t nent = fs_get64(p + 24), ndead = fs_get64(p + 72);
    if (fs_get32(p + 8) != b->num || fs_get64(p + 16) != size || ndead > n / 8)
        return ERR_CORRUPT;
    size_t off = IDX_HDR;
    for (uint32_t i = 0; i < nsubj; i++) {
        if (off + 2 > n - 8)
            return ERR_CORRUPT;
        size_t l = (uint8_t)p[off] | (size_t)(uint8_t)p[off + 1] << 8;
        if (l == 0 || off + 2 + l > n - 8)
            return ERR_CORRUPT;
        off += 2 + l;
    }
    if (nent > (n - 8 - off) / IDX_ENT || off + nent * IDX_ENT + ndead * 8 != n - 8)
        return ERR_CORRUPT;
    for (uint64_t i = 0; i < nent; i++, off += IDX_ENT) {
        uint64_t seq = fs_get64(p + off);
        uint64_t eoff = fs_get32(p + off + 8);
        uint32_t len = fs_get32(p + off + 12) & STORE__ENT_LEN_MASK;
        if (seq <= *maxseq || len > STORE__MAX_LEN || fs_get32(p + off + 24) >= nsubj ||
            eoff + FS_REC_HDR + len + FS_REC_SUM > size)
            return ERR_CORRUPT;
        *maxseq = seq;
    }
    return 0;
}

int fs__idx_read_all(struct store *s, struct fs *fs, struct buf **bufs)
{
    struct buf *v = xcalloc(fs->nblks, sizeof(*v));
    uint64_t maxseq = 0;
    int rc = 0;
    for (size_t i = 0; i < fs->nblks && rc == 0; i++) {
        struct fs_blk *b = fs->blks[i];
        char name[FS_NAME_MAX];
        struct stat st;
        int bfd = fs__blk_fd(fs, b);
        if (bfd < 0 || fstat(bfd, &st) != 0) {
            rc = bfd < 0 ? bfd : -errno;
            break;
        }
        b->size = (uint64_t)st.st_size;
        fs__path(fs, name, b->num, "idx");
        int fd = openat(fs->dirfd, name, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) != 0) {
            rc = ERR_NOTFOUND;
        } else {
            rc = fs__read_all(fd, &v[i], (uint64_t)st.st_size);
            if (rc == 0)
                rc = idx_check(b, v[i].data, v[i].len, b->size, &maxseq);
        }
        if (fd >= 0)
            close(fd);
    }
    if (rc != 0) {
        for (size_t i = 0; i < fs->nblks; i++)
            buf_deinit(&v[i]);
        free(v);
        v = NULL;
    }
    *bufs = v;
    return rc;
}

static void idx_load(struct store *s, struct fs_blk *b, const char *p, uint32_t **ids,
                     size_t *idcap)
{
    uint32_t nsubj = fs_get32(p + 12);
    uint64_t nent = fs_get64(p + 24);
    b->tomb_bytes = fs_get64(p + 32);
    b->tomb_min = fs_get64(p + 40);
    b->tomb_max = fs_get64(p + 48);
    b->msg_first = fs_get64(p + 56);
    b->msg_last = fs_get64(p + 64);
    if (nsubj > *idcap) {
        *idcap = nsubj;
        *ids = xrealloc(*ids, nsubj * sizeof(**ids));
    }
    size_t off = IDX_HDR;
    for (uint32_t i = 0; i < nsubj; i++) {
        size_t l = (uint8_t)p[off] | (size_t)(uint8_t)p[off + 1] << 8;
        (*ids)[i] = store__psi_add(&s->psi, p + off + 2, l);
        off += 2 + l;
    }
    for (uint64_t i = 0; i < nent; i++, off += IDX_ENT) {
        uint64_t seq = fs_get64(p + off);
        uint32_t eoff = fs_get32(p + off + 8);
        uint32_t len = fs_get32(p + off + 12);
        int64_t ts = (int64_t)fs_get64(p + off + 16);
        uint32_t si = fs_get32(p + off + 24);
        struct store__ent *e = store__index_add(s, seq, ts, (*ids)[si], len, fs_loc(b->num, eoff));
        b->live_msgs++;
        b->live_bytes += fs_ent_reclen(e);
    }
    for (uint64_t i = 0, ndead = fs_get64(p + 72); i < ndead; i++, off += 8)
        fs__blk_dead_add(b, fs_get64(p + off));
    fs_of(s)->ri.records += nent;
}

void fs__idx_apply(struct store *s, struct fs *fs, struct buf *bufs)
{
    uint32_t *ids = NULL;
    size_t idcap = 0;
    for (size_t i = 0; i < fs->nblks; i++) {
        idx_load(s, fs->blks[i], bufs[i].data, &ids, &idcap);
        buf_deinit(&bufs[i]);
    }
    /* A summary could list a subject that has no entry (never written so,
     * but cheap to guard): drop empty subjects. */
    for (uint32_t id = 1; id < s->psi.nid; id++) {
        const struct store__subj *sj = store__psi_get(&s->psi, id);
        if (sj != NULL && sj->msgs == 0)
            store__psi_del(&s->psi, id);
    }
    free(ids);
    free(bufs);
}
