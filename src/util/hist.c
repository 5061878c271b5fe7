/* Lock-free latency histograms: fixed exponential buckets with relaxed
 * atomic counters (see hist.h). */
#include "util/hist.h"

#include <string.h>

/* Bucket upper bounds in ns: 10 µs .. 10 s in 1-2.5-5 steps, then +Inf. */
static const int64_t bounds_ns[HIST_NBUCKETS - 1] = {
    10000LL,     25000LL,      50000LL,      100000LL,     250000LL,      500000LL,    1000000LL,
    2500000LL,   5000000LL,    10000000LL,   25000000LL,   50000000LL,    100000000LL, 250000000LL,
    500000000LL, 1000000000LL, 2500000000LL, 5000000000LL, 10000000000LL,
};

/* Process-wide histograms; zero-initialised storage is a valid hist. */

void hist_init(struct hist *h)
{
    for (unsigned i = 0; i < HIST_NBUCKETS; i++)
        atomic_init(&h->buckets[i], 0);
    atomic_init(&h->sum_ns, 0);
}

/* Index of the first bucket whose bound is >= <ns> (binary search). */
static unsigned bucket_of(int64_t ns)
{
    unsigned lo = 0, hi = HIST_NBUCKETS - 1;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (ns <= bounds_ns[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void hist_record(struct hist *h, int64_t ns)
{
    if (ns < 0)
        ns = 0;
    atomic_fetch_add_explicit(&h->buckets[bucket_of(ns)], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum_ns, (uint64_t)ns, memory_order_relaxed);
}

void hist_snapshot_get(const struct hist *h, struct hist_snapshot *out)
{
    uint64_t acc = 0;
    memset(out, 0, sizeof(*out));
    for (unsigned i = 0; i < HIST_NBUCKETS; i++) {
        acc += atomic_load_explicit(&h->buckets[i], memory_order_relaxed);
        out->cumulative[i] = acc;
    }
    out->count = acc;
    out->sum_ns = atomic_load_explicit(&h->sum_ns, memory_order_relaxed);
}

int64_t hist_bound_ns(unsigned i)
{
    return i < HIST_NBUCKETS - 1 ? bounds_ns[i] : INT64_MAX;
}
