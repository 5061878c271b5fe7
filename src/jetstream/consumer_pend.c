/* The two per-consumer sequences lists that change on every delivery and
 * ack: the pending acks (sorted by stream sequence) and the redelivery
 * queue (FIFO). Both are arrays with a movable front, so that the common
 * cases (in-order acks, popping the next redelivery, appending the newest
 * delivery) are O(1) instead of shifting the whole array; a pending entry
 * knows whether it is queued, so queueing never scans. st->lock held. */
#include "jetstream/consumer_int.h"
#include "util/xalloc.h"

#include <string.h>

/* Room for one more entry at the back of a front-movable array: slides the
 * entries back to the start when the front moved past half the capacity,
 * else doubles the capacity. */
static void *room_at_back(void *mem, void **view, size_t n, size_t *cap, size_t sz)
{
    size_t off = (size_t)((char *)*view - (char *)mem) / sz;
    if (mem && off + n < *cap)
        return mem;
    if (mem && off >= *cap / 2) {
        memmove(mem, *view, n * sz);
        *view = mem;
        return mem;
    }
    size_t ncap = *cap ? *cap * 2 : 32;
    void *nm = xmalloc(ncap * sz);
    if (n)
        memcpy(nm, *view, n * sz);
    free(mem);
    *cap = ncap;
    *view = nm;
    return nm;
}

struct pend *pend_find(struct consumer *c, uint64_t sseq)
{
    size_t lo = 0, hi = c->npend;
    if (hi > 0 && c->pend[hi - 1].sseq < sseq)
        return NULL;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->pend[mid].sseq < sseq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->npend && c->pend[lo].sseq == sseq ? &c->pend[lo] : NULL;
}

void pend_insert(struct consumer *c, const struct pend *e)
{
    void *view = c->pend;
    c->pend_mem = room_at_back(c->pend_mem, &view, c->npend, &c->cappend, sizeof(*c->pend));
    c->pend = view;
    size_t i = c->npend;
    while (i > 0 && c->pend[i - 1].sseq > e->sseq) {
        c->pend[i] = c->pend[i - 1];
        i--;
    }
    c->pend[i] = *e;
    c->npend++;
}

void pend_remove(struct consumer *c, uint64_t sseq)
{
    struct pend *p = pend_find(c, sseq);
    if (!p)
        return;
    size_t i = (size_t)(p - c->pend);
    if (i < c->npend / 2) { /* shift the front part back by one */
        memmove(&c->pend[1], &c->pend[0], i * sizeof(*c->pend));
        c->pend++;
    } else {
        memmove(&c->pend[i], &c->pend[i + 1], (c->npend - i - 1) * sizeof(*c->pend));
    }
    if (--c->npend == 0)
        c->pend = c->pend_mem;
}

void redeliver_add(struct consumer *c, uint64_t sseq)
{
    struct pend *p = pend_find(c, sseq);
    if (!p || p->queued)
        return;
    p->queued = true;
    void *view = c->red;
    c->red_mem = room_at_back(c->red_mem, &view, c->nred, &c->capred, sizeof(*c->red));
    c->red = view;
    c->red[c->nred++] = sseq;
}

uint64_t redeliver_pop(struct consumer *c)
{
    uint64_t sseq = c->red[0];
    c->red++;
    if (--c->nred == 0)
        c->red = c->red_mem;
    return sseq;
}

void redeliver_push_front(struct consumer *c, uint64_t sseq)
{
    struct pend *p = pend_find(c, sseq);
    if (!p || p->queued)
        return;
    p->queued = true;
    if (c->red_mem && c->red > c->red_mem) {
        c->red--;
        c->red[0] = sseq;
        c->nred++;
        return;
    }
    void *view = c->red;
    c->red_mem = room_at_back(c->red_mem, &view, c->nred, &c->capred, sizeof(*c->red));
    c->red = view;
    memmove(&c->red[1], &c->red[0], c->nred * sizeof(*c->red));
    c->red[0] = sseq;
    c->nred++;
}

void redeliver_drop_below(struct consumer *c, uint64_t first)
{
    size_t k = 0;
    for (size_t i = 0; i < c->nred; i++)
        if (c->red[i] >= first)
            c->red[k++] = c->red[i];
    c->nred = k;
}

void pend_free_all(struct consumer *c)
{
    free(c->pend_mem);
    free(c->red_mem);
    c->pend = c->pend_mem = NULL;
    c->red = c->red_mem = NULL;
    c->npend = c->cappend = c->nred = c->capred = 0;
}
