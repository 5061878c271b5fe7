/* Lock-free latency histograms for monitoring (Prometheus-style buckets).
 *
 * A struct hist counts observations in fixed exponential buckets (10 µs to
 * 10 s, then +Inf) with relaxed atomic adds: any thread records, any thread
 * takes a snapshot, nobody waits. Buckets are stored non-cumulative so a
 * record is one add plus one add to the sum; snapshots make them cumulative
 * and derive the count from the buckets, so the +Inf bucket always equals
 * the count (the sum may trail by the observations in flight).
 *
 * Their owner embeds them (no global state): JetStream keeps the publish,
 * sync and consumer-ack histograms, the store records into the one it is
 * given, the monitor reads them.
 */
#ifndef GN_UTIL_HIST_H
#define GN_UTIL_HIST_H

#include <stdatomic.h>
#include <stdint.h>

/* Number of buckets, the last one being +Inf. */
#define HIST_NBUCKETS 20

struct hist {
    _Atomic uint64_t buckets[HIST_NBUCKETS]; /* observations per bucket (not cumulative) */
    _Atomic uint64_t sum_ns;                 /* sum of all observations, ns */
};

/* A consistent-enough copy for exposition. */
struct hist_snapshot {
    uint64_t cumulative[HIST_NBUCKETS]; /* observations <= bound i; last = count */
    uint64_t count;                     /* == cumulative[HIST_NBUCKETS - 1] */
    uint64_t sum_ns;                    /* sum of observations, ns */
};

/* The histograms JetStream keeps (struct jetstream owns one of each; the
 * monitor reads them through js_stats_hist). */
enum hist_id {
    HIST_JS_PUBLISH_ACK = 0, /* JetStream publish received -> PubAck sent */
    HIST_STORE_SYNC,         /* one file-store sync (fdatasync of dirty blocks) */
    HIST_CONSUMER_ACK,       /* consumer delivery -> client ack */
    HIST__COUNT
};

/* Zeroes <h> (caller storage; a zeroed struct is also ready). */
void hist_init(struct hist *h);
/* Records one observation of <ns> nanoseconds (negative counts as 0). Any
 * thread, lock-free. */
void hist_record(struct hist *h, int64_t ns);
/* Copies <h> into <out>. Any thread, lock-free. */
void hist_snapshot_get(const struct hist *h, struct hist_snapshot *out);
/* Upper bound of bucket <i> in nanoseconds; INT64_MAX for the +Inf bucket
 * (i == HIST_NBUCKETS - 1). */
int64_t hist_bound_ns(unsigned i);

#endif
