/* Message-id de-duplication: chained hash table plus an arrival-order FIFO
 * (see dedup.h). Ids are stored inline after the entry. */
#include "jetstream/dedup.h"

#include "util/err.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct dd_ent {
    struct list_node fifo; /* in js_dedup.fifo, oldest first */
    struct dd_ent *hnext;  /* next in the bucket chain */
    uint64_t hash;
    uint64_t seq;
    int64_t ts;
    size_t len;
    char id[]; /* <len> bytes, not NUL-terminated */
};

static uint64_t hash_id(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

void js_dedup_init(struct js_dedup *d)
{
    d->tab = NULL;
    d->cap = 0;
    d->count = 0;
    list_init(&d->fifo);
}

void js_dedup_clear(struct js_dedup *d)
{
    while (!list_is_empty(&d->fifo)) {
        struct dd_ent *e = LIST_ENTRY(d->fifo.next, struct dd_ent, fifo);
        list_remove(&e->fifo);
        free(e);
    }
    if (d->tab)
        memset(d->tab, 0, d->cap * sizeof(*d->tab));
    d->count = 0;
}

void js_dedup_deinit(struct js_dedup *d)
{
    js_dedup_clear(d);
    FREE_AND_NULL(d->tab);
    d->cap = 0;
}

static void unlink_ent(struct js_dedup *d, struct dd_ent *e)
{
    struct dd_ent **pp = &d->tab[e->hash & (d->cap - 1)];
    while (*pp && *pp != e)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = e->hnext;
    list_remove(&e->fifo);
    d->count--;
    free(e);
}

void js_dedup_expire(struct js_dedup *d, int64_t now_ns, int64_t window_ns)
{
    while (!list_is_empty(&d->fifo)) {
        struct dd_ent *e = LIST_ENTRY(d->fifo.next, struct dd_ent, fifo);
        if (e->ts >= now_ns - window_ns)
            break;
        unlink_ent(d, e);
    }
}

static struct dd_ent *find(struct js_dedup *d, const char *id, size_t len, uint64_t h)
{
    if (!d->cap)
        return NULL;
    for (struct dd_ent *e = d->tab[h & (d->cap - 1)]; e; e = e->hnext)
        if (e->hash == h && e->len == len && memcmp(e->id, id, len) == 0)
            return e;
    return NULL;
}

bool js_dedup_find(struct js_dedup *d, const char *id, size_t len, uint64_t *seq)
{
    struct dd_ent *e = find(d, id, len, hash_id(id, len));
    if (e)
        *seq = e->seq;
    return e != NULL;
}

static void grow(struct js_dedup *d)
{
    size_t ncap = d->cap ? d->cap * 2 : 64;
    struct dd_ent **tab = xcalloc(ncap, sizeof(*tab));
    for (size_t i = 0; i < d->cap; i++) {
        struct dd_ent *e = d->tab[i];
        while (e) {
            struct dd_ent *next = e->hnext;
            e->hnext = tab[e->hash & (ncap - 1)];
            tab[e->hash & (ncap - 1)] = e;
            e = next;
        }
    }
    free(d->tab);
    d->tab = tab;
    d->cap = ncap;
}

void js_dedup_add(struct js_dedup *d, const char *id, size_t len, uint64_t seq, int64_t ts_ns)
{
    uint64_t h = hash_id(id, len);
    struct dd_ent *old = find(d, id, len, h);
    if (old)
        unlink_ent(d, old);
    if (d->count + 1 > d->cap)
        grow(d);
    struct dd_ent *e = xmalloc(sizeof(*e) + len);
    e->hash = h;
    e->seq = seq;
    e->ts = ts_ns;
    e->len = len;
    memcpy(e->id, id, len);
    e->hnext = d->tab[h & (d->cap - 1)];
    d->tab[h & (d->cap - 1)] = e;
    list_insert_tail(&d->fifo, &e->fifo);
    d->count++;
}

int js_dedup_save(const struct js_dedup *d, const char *path, uint64_t last_seq)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -errno;
    fprintf(f, "gannet-dedup 1 %llu\n", (unsigned long long)last_seq);
    for (const struct list_node *n = d->fifo.next; n != &d->fifo; n = n->next) {
        const struct dd_ent *e = LIST_ENTRY(n, struct dd_ent, fifo);
        fprintf(f, "%llu %lld %zu:", (unsigned long long)e->seq, (long long)e->ts, e->len);
        fwrite(e->id, 1, e->len, f);
        fputc('\n', f);
    }
    int rc = 0;
    if (fflush(f) != 0)
        rc = -errno;
    if (fclose(f) != 0 && !rc)
        rc = -errno;
    return rc;
}

int js_dedup_load(struct js_dedup *d, const char *path, uint64_t last_seq)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return ERR_NOTFOUND;
    unsigned long long stamp = 0;
    int rc = 0;
    if (fscanf(f, "gannet-dedup 1 %llu\n", &stamp) != 1 || stamp != last_seq) {
        rc = ERR_CORRUPT;
        goto out;
    }
    for (;;) {
        unsigned long long seq;
        long long ts;
        size_t len;
        int n = fscanf(f, "%llu %lld %zu:", &seq, &ts, &len);
        if (n == EOF)
            break;
        if (n != 3 || len > 65536) {
            rc = ERR_CORRUPT;
            break;
        }
        char *id = malloc(len + 1);
        if (!id || fread(id, 1, len, f) != len || fgetc(f) != '\n') {
            free(id);
            rc = ERR_CORRUPT;
            break;
        }
        js_dedup_add(d, id, len, seq, ts);
        free(id);
    }
out:
    fclose(f);
    if (rc)
        js_dedup_clear(d);
    return rc;
}
