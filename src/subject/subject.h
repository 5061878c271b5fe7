/* Subjects: validation, matching, and the sublist.
 *
 * A subject is tokens separated by '.'; in a subscription a token may be '*'
 * (exactly one token) or, as the last token only, '>' (one or more tokens).
 * The sublist maps a published (literal) subject to every subscription whose
 * filter matches it: a token trie with wildcard branches, guarded by a
 * rwlock, plus a generation counter that per-thread caches (struct sl_cache)
 * check so that the publish path normally takes no lock at all.
 *
 * Lifetime rule: a struct sl_sub is owned by the caller and must stay valid
 * while inserted AND until every thread that may hold a match result taken
 * before its removal has moved on (the server defers frees to a quiescent
 * point, see server/). Results never outlive that.
 */
#ifndef GN_SUBJECT_H
#define GN_SUBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- validation (pure, any thread) ---- */

/* A literal subject: >=1 non-empty tokens, no '*' or '>' tokens, no
 * whitespace (space, tab, CR, LF) anywhere. */
bool subj_is_valid_literal(const char *s, size_t len);
/* A subscription filter: like a literal but tokens may be exactly "*", and
 * the last token may be exactly ">". Non-empty tokens, no whitespace. */
bool subj_is_valid_filter(const char *s, size_t len);
/* A queue group name: non-empty, no whitespace. */
bool subj_is_valid_queue(const char *s, size_t len);
/* True if <s> has no wildcard token (it may still be invalid). */
bool subj_is_literal(const char *s, size_t len);
/* True if the literal subject <subj> is matched by <filter>. */
bool subj_matches(const char *filter, size_t flen, const char *subj, size_t slen);
/* True if some literal subject is matched by both filters. */
bool subj_overlaps(const char *a, size_t alen, const char *b, size_t blen);
/* True if every subject matched by <sub> is also matched by <super>. */
bool subj_is_subset(const char *sub, size_t sublen, const char *super, size_t superlen);
/* Number of tokens in <s> (0 for an empty string). */
size_t subj_num_tokens(const char *s, size_t len);

/* ---- sublist ---- */

/* One subscription, embedded in the caller's struct. */
struct sl_sub {
    const char *subject; /* filter; caller-owned, unchanged while inserted */
    size_t subject_len;
    const char *queue; /* queue group name or NULL; caller-owned */
    size_t queue_len;
    void *owner; /* opaque for the caller (the server's subscription) */
};

/* A match result. Plain subscriptions are in psubs; queue subscriptions are
 * in qsubs, grouped by queue name: group i is qsubs[qstart[i] .. qstart[i+1])
 * with qstart[nqgroups] == nqsubs. Order within each array is unspecified
 * but stable for a given sublist state. */
struct sl_result {
    struct sl_sub **psubs;
    size_t npsubs;
    struct sl_sub **qsubs;
    size_t nqsubs;
    size_t *qstart; /* nqgroups + 1 entries once nqgroups > 0 */
    size_t nqgroups;
    size_t cap_p, cap_q, cap_g; /* allocated entries (internal) */
};

void sl_result_init(struct sl_result *r);
void sl_result_deinit(struct sl_result *r);
/* Empties <r>, keeping its storage. */
void sl_result_clear(struct sl_result *r);

struct sl_stats {
    uint64_t num_subscriptions; /* currently inserted */
    uint64_t num_inserts;
    uint64_t num_removes;
    uint64_t num_matches;  /* sl_match calls (cache misses); add sl_cache_hits() */
    uint64_t cache_hits;   /* always 0 here: hits are counted per cache */
    uint64_t max_fanout;   /* largest result seen by sl_match */
    uint64_t total_fanout; /* sum of result sizes over sl_match calls */
};

struct sublist;

/* Returns a new, empty sublist; free with sl_free(). */
struct sublist *sl_new(void);
/* Frees <sl>; the subscriptions still inserted are not touched. */
void sl_free(struct sublist *sl);
/* Inserts <sub>. Returns 0, or ERR_INVAL when sub->subject is not a valid
 * filter or sub->queue is not a valid queue name. Any thread. */
int sl_insert(struct sublist *sl, struct sl_sub *sub);
/* Removes <sub> (the same pointer that was inserted). Returns 0 or
 * ERR_NOTFOUND. Any thread. Empty trie nodes are pruned. */
int sl_remove(struct sublist *sl, struct sl_sub *sub);
/* Clears <out> and fills it with every subscription matching the literal
 * <subj>. Takes the read lock; any thread. */
void sl_match(struct sublist *sl, const char *subj, size_t len, struct sl_result *out);
/* Bumped by every insert and remove (acquire load). */
uint64_t sl_generation(const struct sublist *sl);
/* Copies counters into <st>. */
void sl_stats_get(struct sublist *sl, struct sl_stats *st);
/* Calls <cb> for every inserted subscription under the read lock; <cb>
 * must not modify the sublist. */
void sl_foreach(struct sublist *sl, void (*cb)(struct sl_sub *sub, void *arg), void *arg);

/* ---- per-thread match cache ---- */

struct sl_cache;

/* Returns a new cache holding up to <max_entries> subjects; free with
 * sl_cache_free(). One per thread: a cache is not thread-safe. */
struct sl_cache *sl_cache_new(size_t max_entries);
void sl_cache_free(struct sl_cache *c);
/* Returns the match result for the literal <subj> in <sl>, from <c> when its
 * entry is of the current generation, else via sl_match (and stored). The
 * result is owned by <c> and valid until the next call on <c>. */
const struct sl_result *sl_cache_match(struct sl_cache *c, struct sublist *sl, const char *subj,
                                       size_t len);
/* Number of entries currently held (for /subsz num_cache). */
size_t sl_cache_count(const struct sl_cache *c);
/* Lookups answered from <c> (kept per cache, not in struct sl_stats, so the
 * hit path touches no shared cache line). Read racily by monitoring. */
uint64_t sl_cache_hits(const struct sl_cache *c);

#endif
