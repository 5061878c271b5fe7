/* Message-id de-duplication (see dedup.h): an arrival-order entry array
 * that doubles as the expiry FIFO, an id arena in the same order, and a
 * linear-probing table of entry indexes keyed by XXH3, with backward-shift
 * deletion (no tombstones). A replaced id leaves a dead entry in the FIFO
 * that expiry skips. Both arrays are compacted when half of them is dead.
 * dedup.inf is binary: magic, last_seq, count, then per id seq, ts, len, id
 * (host byte order: the file never leaves the machine). */
#include "jetstream/dedup.h"

#include "util/err.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

struct dd_ent {
    uint64_t hash;
    uint64_t seq;
    int64_t ts;
    size_t off;   /* in ids */
    uint32_t len; /* id length */
    uint32_t live;
};

#define DD_MAGIC  "GNDEDUP2"
#define DD_MAX_ID 65536
enum { DD_HDR = 24, DD_REC = 20 }; /* magic+last_seq+count; seq+ts+len */

void js_dedup_init(struct js_dedup *d)
{
    memset(d, 0, sizeof(*d));
}

void js_dedup_clear(struct js_dedup *d)
{
    d->head = d->tail = 0;
    d->ids_head = d->ids_tail = 0;
    if (d->tab)
        memset(d->tab, 0, d->cap * sizeof(*d->tab));
    d->count = 0;
}

void js_dedup_deinit(struct js_dedup *d)
{
    free(d->ents);
    free(d->tab);
    free(d->ids);
    js_dedup_init(d);
}

/* The slot holding entry <idx>, or <id> when idx == SIZE_MAX; else the
 * empty slot where the probe ended. Needs d->cap > 0. */
static size_t probe(const struct js_dedup *d, uint64_t h, const char *id, size_t len, size_t idx)
{
    size_t mask = d->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t v = d->tab[i];
        if (!v)
            return i;
        const struct dd_ent *e = &d->ents[v - 1];
        if (idx != SIZE_MAX ? v - 1 == idx
                            : e->hash == h && e->len == len && !memcmp(d->ids + e->off, id, len))
            return i;
    }
}

/* Empties slot <i> and shifts the rest of its cluster back. */
static void slot_delete(struct js_dedup *d, size_t i)
{
    size_t mask = d->cap - 1;
    for (size_t j = (i + 1) & mask; d->tab[j]; j = (j + 1) & mask) {
        size_t k = d->ents[d->tab[j] - 1].hash & mask; /* home of the entry in j */
        bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (!stays) {
            d->tab[i] = d->tab[j];
            i = j;
        }
    }
    d->tab[i] = 0;
}

static void drop_live(struct js_dedup *d, size_t idx)
{
    struct dd_ent *e = &d->ents[idx];
    slot_delete(d, probe(d, e->hash, NULL, 0, idx));
    e->live = 0;
    d->count--;
}

void js_dedup_expire(struct js_dedup *d, int64_t now_ns, int64_t window_ns)
{
    int64_t cutoff = now_ns - window_ns;
    while (d->head < d->tail) {
        struct dd_ent *e = &d->ents[d->head];
        if (e->live && e->ts >= cutoff)
            break;
        if (e->live)
            drop_live(d, d->head);
        d->ids_head = e->off + e->len;
        d->head++;
    }
    if (d->head == d->tail) {
        d->head = d->tail = 0;
        d->ids_head = d->ids_tail = 0;
    }
}

bool js_dedup_find(struct js_dedup *d, const char *id, size_t len, uint64_t *seq)
{
    if (!d->count)
        return false;
    size_t i = probe(d, XXH3_64bits(id, len), id, len, SIZE_MAX);
    if (!d->tab[i])
        return false;
    *seq = d->ents[d->tab[i] - 1].seq;
    return true;
}

/* The empty slot where <h> would go. Needs a free slot. */
static size_t free_slot(const struct js_dedup *d, uint64_t h)
{
    size_t mask = d->cap - 1, i = h & mask;
    while (d->tab[i])
        i = (i + 1) & mask;
    return i;
}

static void tab_resize(struct js_dedup *d, size_t ncap)
{
    free(d->tab);
    d->tab = xcalloc(ncap, sizeof(*d->tab));
    d->cap = ncap;
    for (size_t x = d->head; x < d->tail; x++)
        if (d->ents[x].live)
            d->tab[free_slot(d, d->ents[x].hash)] = (uint32_t)(x + 1);
}

/* Room for one more entry and <len> id bytes: compacts the dead prefix of
 * an array when it is at least half of it, else grows it. */
static void make_room(struct js_dedup *d, size_t len)
{
    if (d->tail == d->ecap) {
        if (d->head && d->head * 2 >= d->tail) {
            size_t shift = d->head;
            memmove(d->ents, d->ents + shift, (d->tail - shift) * sizeof(*d->ents));
            d->head = 0;
            d->tail -= shift;
            for (size_t i = 0; i < d->cap; i++)
                if (d->tab[i])
                    d->tab[i] -= (uint32_t)shift;
        } else {
            d->ecap = d->ecap ? d->ecap * 2 : 64;
            d->ents = xrealloc(d->ents, d->ecap * sizeof(*d->ents));
        }
    }
    if (d->ids_tail + len > d->ids_cap) {
        if (d->ids_head && d->ids_head * 2 >= d->ids_tail &&
            d->ids_tail - d->ids_head + len <= d->ids_cap) {
            size_t shift = d->ids_head;
            memmove(d->ids, d->ids + shift, d->ids_tail - shift);
            d->ids_head = 0;
            d->ids_tail -= shift;
            for (size_t x = d->head; x < d->tail; x++)
                d->ents[x].off -= shift;
        } else {
            size_t n = d->ids_cap ? d->ids_cap * 2 : 1024;
            while (n < d->ids_tail + len)
                n *= 2;
            d->ids = xrealloc(d->ids, n);
            d->ids_cap = n;
        }
    }
    if ((d->count + 1) * 2 > d->cap)
        tab_resize(d, d->cap ? d->cap * 2 : 128);
}

void js_dedup_add(struct js_dedup *d, const char *id, size_t len, uint64_t seq, int64_t ts_ns)
{
    uint64_t h = XXH3_64bits(id, len);
    if (d->count) {
        size_t i = probe(d, h, id, len, SIZE_MAX);
        if (d->tab[i])
            drop_live(d, d->tab[i] - 1);
    }
    make_room(d, len);
    size_t x = d->tail++;
    d->ents[x] = (struct dd_ent){
        .hash = h, .seq = seq, .ts = ts_ns, .off = d->ids_tail, .len = (uint32_t)len, .live = 1};
    if (len)
        memcpy(d->ids + d->ids_tail, id, len);
    d->ids_tail += len;
    d->tab[free_slot(d, h)] = (uint32_t)(x + 1);
    d->count++;
}

const char *js_dedup_last(const struct js_dedup *d, uint64_t seq, size_t *len)
{
    if (d->head == d->tail)
        return NULL;
    const struct dd_ent *e = &d->ents[d->tail - 1];
    if (!e->live || e->seq != seq)
        return NULL;
    *len = e->len;
    return d->ids + e->off;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int js_dedup_save(const struct js_dedup *d, const char *path, uint64_t last_seq)
{
    size_t n = DD_HDR + d->count * DD_REC + (d->ids_tail - d->ids_head);
    char *b = xmalloc(n), *p = b;
    uint64_t count = d->count;
    memcpy(p, DD_MAGIC, 8);
    memcpy(p + 8, &last_seq, 8);
    memcpy(p + 16, &count, 8);
    p += DD_HDR;
    for (size_t x = d->head; x < d->tail; x++) {
        const struct dd_ent *e = &d->ents[x];
        if (!e->live)
            continue;
        memcpy(p, &e->seq, 8);
        memcpy(p + 8, &e->ts, 8);
        memcpy(p + 16, &e->len, 4);
        memcpy(p + DD_REC, d->ids + e->off, e->len);
        p += DD_REC + e->len;
    }
    char tmp[4200];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    int rc = 0, fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        rc = -errno;
    else {
        rc = write_all(fd, b, (size_t)(p - b));
        if (close(fd) != 0 && !rc)
            rc = -errno;
        if (!rc && rename(tmp, path) != 0)
            rc = -errno;
        if (rc)
            unlink(tmp);
    }
    free(b);
    return rc;
}

/* Parses the file image <b> of <n> bytes into <d>. */
static int parse(struct js_dedup *d, const char *b, size_t n, uint64_t last_seq)
{
    uint64_t stamp, count;
    if (n < DD_HDR || memcmp(b, DD_MAGIC, 8) != 0)
        return ERR_CORRUPT;
    memcpy(&stamp, b + 8, 8);
    memcpy(&count, b + 16, 8);
    if (stamp != last_seq || count > (n - DD_HDR) / DD_REC)
        return ERR_CORRUPT;
    size_t pos = DD_HDR, cap = 128;
    while (cap < count * 2)
        cap *= 2;
    tab_resize(d, cap);
    if (count > d->ecap) { /* one allocation each for the entries and ids */
        d->ecap = count;
        d->ents = xrealloc(d->ents, count * sizeof(*d->ents));
    }
    if (n > d->ids_cap) {
        d->ids_cap = n;
        d->ids = xrealloc(d->ids, n);
    }
    for (uint64_t i = 0; i < count; i++) {
        uint64_t seq;
        int64_t ts;
        uint32_t len;
        if (n - pos < DD_REC)
            return ERR_CORRUPT;
        memcpy(&seq, b + pos, 8);
        memcpy(&ts, b + pos + 8, 8);
        memcpy(&len, b + pos + 16, 4);
        pos += DD_REC;
        if (len > DD_MAX_ID || n - pos < len || (d->tail && ts < d->ents[d->tail - 1].ts))
            return ERR_CORRUPT;
        js_dedup_add(d, b + pos, len, seq, ts);
        pos += len;
    }
    return pos == n ? 0 : ERR_CORRUPT;
}

int js_dedup_load(struct js_dedup *d, const char *path, uint64_t last_seq)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ERR_NOTFOUND;
    struct stat st;
    int rc = ERR_CORRUPT;
    char *b = NULL;
    if (fstat(fd, &st) == 0 && st.st_size >= DD_HDR) {
        size_t n = (size_t)st.st_size, got = 0;
        b = xmalloc(n);
        while (got < n) {
            ssize_t r = read(fd, b + got, n - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        if (got == n)
            rc = parse(d, b, n, last_seq);
    }
    close(fd);
    free(b);
    if (rc)
        js_dedup_clear(d);
    return rc;
}
