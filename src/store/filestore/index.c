/* Block summaries (<n>.idx): what a scan of a block would find, so that
 * opening a store reads no message data and builds no per-message index.
 *
 * A summary lists the block's live messages (compact, delta-encoded), its
 * subjects with per-subject counts, the targets of its DEL records, its
 * removed-but-present messages, its FLOOR and highest sequence. It is
 * written for a block whose data is durable (a sealed block once synced,
 * every block at clean close), not fsynced, and trusted only while its
 * checksum holds and the block file has the size and last record checksum
 * it recorded. Removals after it was written are replayed from DEL/FLOOR
 * records at open (see recover.c). At open a summarised block costs its
 * header and subjects; its entries stay encoded in memory (2-3 bytes a
 * message) until the first access that needs them.
 */
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include "store/filestore/fs_int.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

/* Header, all integers little-endian:
 *
 *   0  "GNIDX002"          8  u32 block number    12  u32 wnum (tail block when written)
 *  16  u64 block size     24  u64 0 (reserved)    32  u64 lchk (block's last 8 bytes)
 *  40  u64 nent           48  u64 lo (first live) 56  u64 hi (last live)
 *  64  i64 lo_ts          72  u64 live record bytes            80  u64 store_msg_size sum
 *  88  u32 nsubj          92  u32 subject section bytes
 *  96  u32 ntomb         100  u32 ndead           104 u64 tomb_bytes
 * 112  u64 msg_first     120  u64 msg_last        128 u64 floor
 * 136  u64 rec_last      144  i64 rec_last_ts     152 u64 entry section bytes
 * 160  subjects: nsubj x (uv len, name, uv count, uv first - lo, uv last - first)
 *      tombs:    ntomb x u64      dead: ndead x u64
 *      entries:  nent x (u8 flags, then only the fields that differ from the usual
 *                        [ENT_SEQ] uv seq - previous (usually 1; lo first)
 *                        [ENT_OFF] uv offset - end of the previous record (usually 0)
 *                        [ENT_LEN] uv len << 1 | has headers (usually as the previous)
 *                        [ENT_SUBJ] uv subject index (usually as the previous)
 *                        uv zigzag(ts - previous, lo_ts first))
 *      u64 XXH3 of everything before
 *
 * A stream of same-sized messages on one subject costs 2-3 bytes a message.
 */
#define IDX_HDR   160
#define ENT_SEQ   1u
#define ENT_OFF   2u
#define ENT_LEN   4u
#define ENT_SUBJ  8u
#define IDX_MAGIC "GNIDX002"
#define NONE      UINT32_MAX

struct fs_pend {
    uint32_t wnum;      /* tail block when written: DELs in blocks >= wnum may postdate it */
    uint64_t nent;      /* entries */
    uint64_t lo, hi;    /* first and last entry */
    int64_t lo_ts;      /* timestamp of lo */
    uint64_t msg_bytes; /* store_msg_size of the entries */
    char *subjs;        /* subject section until fs__idx_merge */
    uint32_t subj_len;  /* its bytes */
    uint32_t nsubj;
    uint32_t *ids;  /* local subject index -> psi id (after merge) */
    uint64_t *prev; /* per subject: its last message before this block (NULL = none at all) */
    uint64_t *next; /* per subject: its first message after this block (NULL = none) */
    char *ents;     /* entry section */
    size_t ent_len;
};

/* ---- varints ---- */

static void uv_put(struct buf *b, uint64_t v)
{
    char t[10];
    size_t n = 0;
    while (v >= 0x80) {
        t[n++] = (char)(v | 0x80);
        v >>= 7;
    }
    t[n++] = (char)v;
    buf_append(b, t, n);
}

/* Reads a varint at *<p> (before <end>); false when malformed. */
static bool uv_get(const char **p, const char *end, uint64_t *v)
{
    uint64_t r = 0;
    for (unsigned sh = 0; *p < end && sh < 64; sh += 7) {
        uint8_t c = (uint8_t) * (*p)++;
        r |= (uint64_t)(c & 0x7f) << sh;
        if (c < 0x80) {
            *v = r;
            return true;
        }
    }
    return false;
}

static uint64_t zz(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzz(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static void put64(struct buf *b, uint64_t v)
{
    char t[8];
    fs_put64(t, v);
    buf_append(b, t, 8);
}

void fs__pend_free(struct fs_pend *p)
{
    if (p == NULL)
        return;
    free(p->subjs);
    free(p->ids);
    free(p->prev);
    free(p->next);
    free(p->ents);
    free(p);
}

int fs__idx_forget(struct fs *fs, struct fs_blk *b, bool durable)
{
    char name[FS_NAME_MAX];
    fs__path(fs, name, b->num, "idx");
    bool gone = unlinkat(fs->dirfd, name, 0) == 0;
    int rc = gone || errno == ENOENT ? 0 : -errno;
    if (rc == 0 && gone && durable)
        rc = fs__fsync_dir(fs);
    if (rc == 0) {
        b->sum_disk = b->sum_exact = false;
        fs->sum_need = true;
    }
    return rc;
}

/* ---- writing ---- */

/* The block's identity as a summary records it: its size (b->size, or
 * with <adopt> the file's) and last 8 bytes, the checksum of its last
 * record. A block only grows at its end and compaction keeps the order of
 * what it keeps, so a file of the same size ending with the same record
 * holds the very bytes the summary describes (no inode check: a copied
 * store keeps its summaries). */
static int blk_ident(struct fs *fs, struct fs_blk *b, bool adopt, uint64_t *lchk)
{
    int fd = fs__blk_fd(fs, b);
    struct stat st;
    if (fd < 0)
        return fd;
    if (fstat(fd, &st) != 0)
        return -errno;
    if (adopt)
        b->size = (uint64_t)st.st_size;
    if ((uint64_t)st.st_size != b->size)
        return ERR_CORRUPT;
    *lchk = 0;
    char t[8];
    if (b->size >= 8) {
        if (pread(fd, t, 8, (off_t)(b->size - 8)) != 8)
            return ERR_CORRUPT;
        *lchk = fs_get64(t);
    }
    return 0;
}

/* Per-subject tallies while a summary is built. */
struct tally {
    uint32_t *li; /* psi id -> local index, NONE outside (restored after) */
    uint32_t *ids;
    uint64_t *cnt, *first, *last;
    uint32_t n, cap;
};

static uint32_t tally_of(struct tally *t, uint32_t id, uint64_t seq)
{
    if (t->li[id] == NONE) {
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 16;
            t->ids = xrealloc(t->ids, t->cap * sizeof(*t->ids));
            t->cnt = xrealloc(t->cnt, t->cap * sizeof(*t->cnt));
            t->first = xrealloc(t->first, t->cap * sizeof(*t->first));
            t->last = xrealloc(t->last, t->cap * sizeof(*t->last));
        }
        t->ids[t->n] = id;
        t->cnt[t->n] = 0;
        t->first[t->n] = seq;
        t->li[id] = t->n++;
    }
    uint32_t li = t->li[id];
    t->cnt[li]++;
    t->last[li] = seq;
    return li;
}

/* Encodes <b>'s live entries into <ents>; fills the header counters. */
static void encode_entries(struct store *s, struct fs_blk *b, struct tally *t, struct buf *ents,
                           char *h)
{
    uint64_t nent = 0, live = 0, msgb = 0, lo = 0, prev = 0, end = 0, plen = 0;
    uint32_t pli = 0;
    int64_t pts = 0;
    uint64_t seq = b->msg_first;
    const struct store__ent *e;
    while (b->msg_first && (e = store__seqidx_next_in(&s->idx, seq, b->msg_last, &seq)) != NULL) {
        if (e->loc >> 32 == b->num) {
            uint64_t off = (uint32_t)e->loc;
            if (nent == 0) {
                lo = prev = seq;
                pts = e->ts;
                fs_put64(h + 64, (uint64_t)e->ts);
            }
            ASSERT(off >= end);
            uint64_t elen = (uint64_t)(e->len & STORE__ENT_LEN_MASK) << 1 | (e->len >> 31);
            uint32_t li = tally_of(t, e->subj, seq);
            char fl = (char)((seq - prev != 1 ? ENT_SEQ : 0) | (off != end ? ENT_OFF : 0) |
                             (nent == 0 || elen != plen ? ENT_LEN : 0) |
                             (nent == 0 || li != pli ? ENT_SUBJ : 0));
            buf_append(ents, &fl, 1);
            if (fl & ENT_SEQ)
                uv_put(ents, seq - prev);
            if (fl & ENT_OFF)
                uv_put(ents, off - end);
            if (fl & ENT_LEN)
                uv_put(ents, elen);
            if (fl & ENT_SUBJ)
                uv_put(ents, li);
            uv_put(ents, zz(e->ts - pts));
            plen = elen;
            pli = li;
            nent++;
            live += fs_ent_reclen(e);
            msgb += store__ent_size(s, e);
            prev = seq;
            pts = e->ts;
            end = off + fs_ent_reclen(e);
        }
        seq++;
    }
    fs_put64(h + 40, nent);
    fs_put64(h + 48, lo);
    fs_put64(h + 56, prev);
    fs_put64(h + 72, live);
    fs_put64(h + 80, msgb);
}

static void build(struct store *s, struct fs *fs, struct fs_blk *b, struct tally *t,
                  struct buf *out)
{
    struct buf ents, subjs;
    buf_init(&ents);
    buf_init(&subjs);
    char h[IDX_HDR];
    memset(h, 0, sizeof(h));
    memcpy(h, IDX_MAGIC, 8);
    encode_entries(s, b, t, &ents, h);
    uint64_t lo = fs_get64(h + 48);
    for (uint32_t li = 0; li < t->n; li++) {
        const struct store__subj *sj = store__psi_get(&s->psi, t->ids[li]);
        uv_put(&subjs, sj->len);
        buf_append(&subjs, sj->name, sj->len);
        uv_put(&subjs, t->cnt[li]);
        uv_put(&subjs, t->first[li] - lo);
        uv_put(&subjs, t->last[li] - t->first[li]);
        t->li[t->ids[li]] = NONE;
    }
    fs_put32(h + 8, b->num);
    fs_put32(h + 12, fs->blks[fs->nblks - 1]->num);
    fs_put64(h + 16, b->size);
    fs_put32(h + 88, t->n);
    fs_put32(h + 92, (uint32_t)subjs.len);
    fs_put32(h + 96, b->ntombs);
    fs_put32(h + 100, b->ndead);
    fs_put64(h + 104, b->tomb_bytes);
    fs_put64(h + 112, b->msg_first);
    fs_put64(h + 120, b->msg_last);
    fs_put64(h + 128, b->floor);
    fs_put64(h + 136, b->rec_last);
    fs_put64(h + 144, (uint64_t)b->rec_last_ts);
    fs_put64(h + 152, ents.len);
    buf_append(out, h, sizeof(h));
    buf_append(out, subjs.data, subjs.len);
    for (uint32_t i = 0; i < b->ntombs; i++)
        put64(out, b->tombs[i]);
    for (uint32_t i = 0; i < b->ndead; i++)
        put64(out, b->dead[i]);
    buf_append(out, ents.data, ents.len);
    buf_deinit(&ents);
    buf_deinit(&subjs);
}

int fs__idx_write(struct store *s, struct fs *fs, struct fs_blk *b)
{
    uint64_t lchk;
    int rc = blk_ident(fs, b, false, &lchk);
    if (rc != 0)
        return rc;
    struct tally t = {0};
    t.li = xmalloc((size_t)s->psi.nid * sizeof(*t.li));
    memset(t.li, 0xff, (size_t)s->psi.nid * sizeof(*t.li));
    struct buf out;
    buf_init(&out);
    build(s, fs, b, &t, &out);
    fs_put64(out.data + 32, lchk);
    put64(&out, XXH3_64bits(out.data, out.len));
    if (fs_get64(out.data + 40) == b->live_msgs) {
        char name[FS_NAME_MAX];
        fs__path(fs, name, b->num, "idx");
        /* No fsync: a summary that did not reach the disk whole fails its
         * checksum and the block is scanned instead. */
        rc = fs__write_file(fs, name, out.data, out.len, false);
    } else {
        rc = ERR_CORRUPT; /* the index disagrees with the block's count */
    }
    if (rc == 0) {
        b->sum_disk = b->sum_exact = true;
        b->sum_wnum = fs_get32(out.data + 12);
    }
    buf_deinit(&out);
    free(t.li);
    free(t.ids);
    free(t.cnt);
    free(t.first);
    free(t.last);
    return rc;
}

/* ---- reading ---- */

static int read_at(int fd, char *p, size_t n, uint64_t off)
{
    for (size_t got = 0; got < n;) {
        ssize_t r = pread(fd, p + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r < 0 ? -errno : ERR_CORRUPT;
        got += (size_t)r;
    }
    return 0;
}

/* Checks the subject section of <p> against header <h>. */
static bool subjs_ok(const struct fs_pend *p)
{
    const char *q = p->subjs, *end = q + p->subj_len;
    uint64_t total = 0, span = p->hi - p->lo;
    for (uint32_t i = 0; i < p->nsubj; i++) {
        uint64_t len, cnt, first, last;
        if (!uv_get(&q, end, &len) || len == 0 || len > UINT16_MAX || len > (size_t)(end - q))
            return false;
        q += len;
        if (!uv_get(&q, end, &cnt) || !uv_get(&q, end, &first) || !uv_get(&q, end, &last) ||
            cnt == 0 || first > span || last > span - first || cnt > last + 1)
            return false;
        total += cnt;
    }
    return q == end && total == p->nent;
}

/* Validates header <h> of a summary of <b> (file <n> bytes) and sets up <p>. */
static int hdr_check(const struct fs_blk *b, const char *h, uint64_t n, uint64_t maxseq,
                     struct fs_pend *p)
{
    uint64_t ntomb = fs_get32(h + 96), ndead = fs_get32(h + 100);
    uint64_t mfirst = fs_get64(h + 112), mlast = fs_get64(h + 120);
    p->wnum = fs_get32(h + 12);
    p->nent = fs_get64(h + 40);
    p->lo = fs_get64(h + 48);
    p->hi = fs_get64(h + 56);
    p->lo_ts = (int64_t)fs_get64(h + 64);
    p->msg_bytes = fs_get64(h + 80);
    p->nsubj = fs_get32(h + 88);
    p->subj_len = fs_get32(h + 92);
    p->ent_len = fs_get64(h + 152);
    if (memcmp(h, IDX_MAGIC, 8) != 0 || fs_get32(h + 8) != b->num || p->ent_len > n ||
        (uint64_t)IDX_HDR + p->subj_len + 8 * (ntomb + ndead) + p->ent_len + 8 != n)
        return ERR_CORRUPT;
    if (mfirst > mlast || mlast >= STORE__MAX_SEQ || (mfirst && mfirst <= maxseq) ||
        fs_get64(h + 136) >= STORE__MAX_SEQ || fs_get64(h + 128) >= STORE__MAX_SEQ)
        return ERR_CORRUPT;
    if (p->nent == 0 ? (p->nsubj || p->ent_len)
                     : (p->lo < mfirst || p->lo > p->hi || p->hi > mlast || mfirst == 0 ||
                        p->nent > p->hi - p->lo + 1 || p->nsubj == 0 || p->ent_len < p->nent * 2))
        return ERR_CORRUPT;
    return 0;
}

/* Loads <b>'s bookkeeping from the checked summary header <h> and lists <l>. */
static void blk_from(struct fs_blk *b, const char *h, const char *l)
{
    b->ntombs = b->tombcap = fs_get32(h + 96);
    b->ndead = b->deadcap = fs_get32(h + 100);
    b->tombs = xmalloc(((size_t)b->ntombs + 1) * sizeof(*b->tombs));
    b->dead = xmalloc(((size_t)b->ndead + 1) * sizeof(*b->dead));
    b->tomb_min = b->tomb_max = 0;
    for (uint32_t i = 0; i < b->ntombs; i++, l += 8) {
        b->tombs[i] = fs_get64(l);
        if (b->tomb_min == 0 || b->tombs[i] < b->tomb_min)
            b->tomb_min = b->tombs[i];
        if (b->tombs[i] > b->tomb_max)
            b->tomb_max = b->tombs[i];
    }
    b->dead_sorted = true;
    for (uint32_t i = 0; i < b->ndead; i++, l += 8) {
        b->dead[i] = fs_get64(l);
        if (i > 0 && b->dead[i] < b->dead[i - 1])
            b->dead_sorted = false;
    }
    b->live_msgs = fs_get64(h + 40);
    b->live_bytes = fs_get64(h + 72);
    b->tomb_bytes = fs_get64(h + 104);
    b->msg_first = fs_get64(h + 112);
    b->msg_last = fs_get64(h + 120);
    b->floor = fs_get64(h + 128);
    b->rec_last = fs_get64(h + 136);
    b->rec_last_ts = (int64_t)fs_get64(h + 144);
}

int fs__idx_read(struct fs *fs, struct fs_blk *b, uint64_t maxseq)
{
    char name[FS_NAME_MAX], h[IDX_HDR];
    uint64_t lchk;
    struct stat st;
    struct fs_pend *p = xcalloc(1, sizeof(*p));
    char *lists = NULL;
    int rc = blk_ident(fs, b, true, &lchk);
    fs__path(fs, name, b->num, "idx");
    int fd = rc == 0 ? openat(fs->dirfd, name, O_RDONLY | O_CLOEXEC) : -1;
    if (rc == 0 && (fd < 0 || fstat(fd, &st) != 0))
        rc = ERR_NOTFOUND;
    if (rc == 0 && ((uint64_t)st.st_size < IDX_HDR + 8 || read_at(fd, h, IDX_HDR, 0) != 0))
        rc = ERR_CORRUPT;
    if (rc == 0 && (fs_get64(h + 16) != b->size || fs_get64(h + 32) != lchk))
        rc = ERR_CORRUPT;
    if (rc == 0)
        rc = hdr_check(b, h, (uint64_t)st.st_size, maxseq, p);
    size_t nl = 8 * ((size_t)fs_get32(h + 96) + fs_get32(h + 100));
    if (rc == 0) {
        p->subjs = xmalloc(p->subj_len + 1);
        lists = xmalloc(nl + 1);
        p->ents = xmalloc(p->ent_len + 8);
        if (read_at(fd, p->subjs, p->subj_len, IDX_HDR) != 0 ||
            read_at(fd, lists, nl, IDX_HDR + p->subj_len) != 0 ||
            read_at(fd, p->ents, p->ent_len + 8, IDX_HDR + p->subj_len + nl) != 0)
            rc = ERR_CORRUPT;
    }
    if (rc == 0) {
        XXH3_state_t xs;
        XXH3_64bits_reset(&xs);
        XXH3_64bits_update(&xs, h, IDX_HDR);
        XXH3_64bits_update(&xs, p->subjs, p->subj_len);
        XXH3_64bits_update(&xs, lists, nl);
        XXH3_64bits_update(&xs, p->ents, p->ent_len);
        if (XXH3_64bits_digest(&xs) != fs_get64(p->ents + p->ent_len) || !subjs_ok(p))
            rc = ERR_CORRUPT;
    }
    if (fd >= 0)
        close(fd);
    if (rc != 0) {
        free(lists);
        fs__pend_free(p);
        return rc;
    }
    free(b->dead);
    free(b->tombs);
    blk_from(b, h, lists);
    free(lists);
    b->sum_disk = b->sum_exact = true;
    b->sum_wnum = p->wnum;
    if (p->nent > 0)
        b->pend = p;
    else
        fs__pend_free(p);
    return 0;
}

/* True when <b>'s pending summary already reflects the DEL records of
 * block <src> (written before it). */
bool fs__pend_covers(const struct fs_blk *b, uint32_t src)
{
    return b->pend != NULL && src < b->pend->wnum;
}

/* ---- merging at open ---- */

static void link_set(uint64_t **arr, uint32_t n, uint32_t li, uint64_t v)
{
    if (*arr == NULL)
        *arr = xcalloc(n, sizeof(**arr));
    (*arr)[li] = v;
}

bool fs__idx_link(struct store *s, struct fs_merge *m, uint32_t id, uint64_t first)
{
    const struct store__subj *sj = store__psi_get(&s->psi, id);
    struct fs_blk *pb = id < m->cap ? m->blk[id] : NULL;
    uint64_t pv = sj->last;
    if (sj->msgs == 0 || pb == NULL || pb->pend == NULL || pv < pb->pend->lo || pv > pb->pend->hi)
        return false;
    ASSERT(pb->pend->ids[m->li[id]] == id);
    link_set(&pb->pend->next, pb->pend->nsubj, m->li[id], first);
    return true;
}

/* Makes subject <id>'s last message so far point forward to <first>, its
 * first message in the block being merged. */
static void link_forward(struct store *s, struct fs_merge *m, uint32_t id, uint64_t first)
{
    if (fs__idx_link(s, m, id, first))
        return;
    uint64_t pv = store__psi_get(&s->psi, id)->last;
    struct store__ent *e = store__seqidx_get(&s->idx, pv);
    ASSERT(e != NULL && e->snext == 0);
    e->snext = first;
}

void fs__idx_merge(struct store *s, struct fs *fs, struct fs_blk *b, struct fs_merge *m)
{
    struct fs_pend *p = b->pend;
    if (p == NULL)
        return;
    const char *q = p->subjs, *end = q + p->subj_len;
    p->ids = xmalloc((size_t)p->nsubj * sizeof(*p->ids));
    for (uint32_t li = 0; li < p->nsubj; li++) {
        uint64_t len, cnt, first, last;
        bool ok = uv_get(&q, end, &len);
        const char *nm = q;
        q += len;
        ok = ok && uv_get(&q, end, &cnt) && uv_get(&q, end, &first) && uv_get(&q, end, &last);
        ASSERT(ok); /* subjs_ok() */
        first += p->lo;
        last += first;
        uint32_t id = store__psi_add(&s->psi, nm, (size_t)len);
        p->ids[li] = id;
        if (id >= m->cap) {
            uint32_t ncap = m->cap ? m->cap : 64;
            while (ncap <= id)
                ncap *= 2;
            m->blk = xrealloc(m->blk, ncap * sizeof(*m->blk));
            m->li = xrealloc(m->li, ncap * sizeof(*m->li));
            memset(m->blk + m->cap, 0, (ncap - m->cap) * sizeof(*m->blk));
            m->cap = ncap;
        }
        struct store__subj *sj = store__psi_get(&s->psi, id);
        if (sj->msgs > 0) {
            ASSERT(sj->last < first);
            link_set(&p->prev, p->nsubj, li, sj->last);
            link_forward(s, m, id, first);
        } else {
            sj->first = first;
        }
        sj->last = last;
        sj->msgs += cnt;
        m->blk[id] = b;
        m->li[id] = li;
    }
    FREE_AND_NULL(p->subjs);
    if (s->msgs == 0 || p->lo < s->first_seq)
        s->first_seq = p->lo;
    s->msgs += p->nent;
    s->bytes += p->msg_bytes;
    fs->ri.records += p->nent;
    store__seqidx_lazy_add(&s->idx, p->lo, p->hi, p->nent, p->lo_ts, b);
}

void fs__idx_merge_done(struct fs *fs, struct fs_merge *m)
{
    /* Links are only needed where a subject continues in another block. */
    for (size_t i = 0; i < fs->nblks; i++) {
        struct fs_pend *p = fs->blks[i]->pend;
        for (int k = 0; p != NULL && k < 2; k++) {
            uint64_t **arr = k ? &p->next : &p->prev;
            uint32_t li = 0;
            while (*arr != NULL && li < p->nsubj && (*arr)[li] == 0)
                li++;
            if (li == p->nsubj)
                FREE_AND_NULL(*arr);
        }
    }
    free(m->blk);
    free(m->li);
    memset(m, 0, sizeof(*m));
}

/* ---- loading ---- */

/* Decodes <p>'s entries of block <num> into <seqs>/<ents>, chaining each
 * subject's messages (within the block, and to its neighbours outside). */
static void decode(const struct fs_pend *p, uint32_t num, uint64_t *seqs, struct store__ent *ents)
{
    uint32_t *last = xmalloc((size_t)p->nsubj * sizeof(*last));
    memset(last, 0xff, (size_t)p->nsubj * sizeof(*last));
    const char *q = p->ents, *end = q + p->ent_len;
    uint64_t seq = p->lo, off = 0, len = 0, li = 0;
    int64_t ts = p->lo_ts;
    for (uint64_t k = 0; k < p->nent; k++) {
        uint64_t dseq = 1, doff = 0, dts;
        uint8_t fl = q < end ? (uint8_t)*q++ : 0xff;
        bool ok = fl < 16 && (k > 0 || (fl & (ENT_SEQ | ENT_LEN | ENT_SUBJ)) ==
                                           (ENT_SEQ | ENT_LEN | ENT_SUBJ));
        ok = ok && (!(fl & ENT_SEQ) || uv_get(&q, end, &dseq)) &&
             (!(fl & ENT_OFF) || uv_get(&q, end, &doff)) &&
             (!(fl & ENT_LEN) || uv_get(&q, end, &len)) &&
             (!(fl & ENT_SUBJ) || uv_get(&q, end, &li)) && uv_get(&q, end, &dts);
        /* The checksum held at open: anything else is a bug of the writer. */
        ASSERT(ok && li < p->nsubj && (k == 0 ? dseq == 0 : dseq > 0));
        seq += dseq;
        off += doff;
        ts += unzz(dts);
        uint32_t elen = (uint32_t)(len >> 1) | (len & 1 ? STORE__ENT_HDR : 0);
        ASSERT(seq <= p->hi && off <= UINT32_MAX && (len >> 1) <= STORE__MAX_LEN);
        seqs[k] = seq;
        struct store__ent *e = &ents[k];
        *e =
            (struct store__ent){.loc = fs_loc(num, off), .ts = ts, .subj = p->ids[li], .len = elen};
        if (last[li] != NONE) {
            e->sprev = seqs[last[li]];
            ents[last[li]].snext = seq;
        } else {
            e->sprev = p->prev ? p->prev[li] : 0;
        }
        last[li] = (uint32_t)k;
        off += fs_ent_reclen(e);
    }
    ASSERT(q == end && seq == p->hi);
    for (uint32_t i = 0; i < p->nsubj; i++)
        if (last[i] != NONE)
            ents[last[i]].snext = p->next ? p->next[i] : 0;
    free(last);
}

void fs__idx_load(void *store, void *run)
{
    struct store *s = store;
    struct fs_blk *b = run;
    struct fs_pend *p = b->pend;
    ASSERT(p != NULL);
    uint64_t *seqs = xmalloc(p->nent * sizeof(*seqs));
    struct store__ent *ents = xmalloc(p->nent * sizeof(*ents));
    decode(p, b->num, seqs, ents);
    store__seqidx_put_run(&s->idx, seqs, ents, p->nent);
    free(seqs);
    free(ents);
    b->pend = NULL;
    fs__pend_free(p);
}
