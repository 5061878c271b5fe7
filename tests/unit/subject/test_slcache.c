/* Unit tests for slcache.c: hits, invalidation on insert/remove, bounded
 * size with eviction, several sublists through one cache, and a random
 * comparison of cached against uncached results.
 */
/* cmocka.h needs these first. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
// clang-format on

#include "subject/subject.h"
#include "util/err.h"

static void sub_set(struct sl_sub *s, const char *subject, const char *queue)
{
    s->subject = subject;
    s->subject_len = strlen(subject);
    s->queue = queue;
    s->queue_len = queue ? strlen(queue) : 0;
    s->owner = NULL;
}

static const struct sl_result *cmatch(struct sl_cache *c, struct sublist *sl, const char *subj)
{
    return sl_cache_match(c, sl, subj, strlen(subj));
}

static size_t total(const struct sl_result *r)
{
    return r->npsubs + r->nqsubs;
}

static void test_slcache_hit_and_stats(void **state)
{
    struct sublist *sl = sl_new();
    struct sl_cache *c = sl_cache_new(64);
    struct sl_sub a, b;
    sub_set(&a, "foo.bar", NULL);
    sub_set(&b, "foo.*", "q");
    assert_int_equal(sl_insert(sl, &a), 0);
    assert_int_equal(sl_insert(sl, &b), 0);
    assert_int_equal(sl_cache_count(c), 0);

    const struct sl_result *r1 = cmatch(c, sl, "foo.bar");
    assert_int_equal(r1->npsubs, 1);
    assert_int_equal(r1->nqgroups, 1);
    assert_int_equal(r1->nqsubs, 1);
    assert_int_equal(sl_cache_count(c), 1);
    const struct sl_result *r2 = cmatch(c, sl, "foo.bar");
    assert_ptr_equal(r1, r2);
    cmatch(c, sl, "foo.bar");
    assert_int_equal(total(cmatch(c, sl, "foo.baz")), 1);
    assert_int_equal(total(cmatch(c, sl, "nothing")), 0);
    assert_int_equal(sl_cache_count(c), 3);

    struct sl_stats st;
    sl_stats_get(sl, &st);
    assert_int_equal(st.num_matches, 3);
    assert_int_equal(sl_cache_hits(c), 2);

    /* Same bytes, different length: a different key. */
    assert_int_equal(total(sl_cache_match(c, sl, "foo.barx", 7)), 2);
    assert_int_equal(total(sl_cache_match(c, sl, "foo.barx", 8)), 1);
    sl_cache_free(c);
    sl_free(sl);
}

static void test_slcache_invalidation(void **state)
{
    struct sublist *sl = sl_new();
    struct sl_cache *c = sl_cache_new(16);
    struct sl_sub a, b, q;
    sub_set(&a, "foo.bar", NULL);
    sub_set(&b, "foo.>", NULL);
    sub_set(&q, "*.bar", "workers");
    assert_int_equal(total(cmatch(c, sl, "foo.bar")), 0);

    assert_int_equal(sl_insert(sl, &a), 0);
    assert_int_equal(total(cmatch(c, sl, "foo.bar")), 1);
    assert_int_equal(sl_insert(sl, &b), 0);
    assert_int_equal(total(cmatch(c, sl, "foo.bar")), 2);
    assert_int_equal(sl_insert(sl, &q), 0);
    const struct sl_result *r = cmatch(c, sl, "foo.bar");
    assert_int_equal(r->npsubs, 2);
    assert_int_equal(r->nqgroups, 1);
    assert_ptr_equal(r->qsubs[0], &q);

    assert_int_equal(sl_remove(sl, &a), 0);
    assert_int_equal(total(cmatch(c, sl, "foo.bar")), 2);
    assert_int_equal(sl_remove(sl, &q), 0);
    r = cmatch(c, sl, "foo.bar");
    assert_int_equal(r->npsubs, 1);
    assert_ptr_equal(r->psubs[0], &b);
    assert_int_equal(r->nqgroups, 0);
    assert_int_equal(sl_remove(sl, &b), 0);
    assert_int_equal(total(cmatch(c, sl, "foo.bar")), 0);
    /* A failed insert or remove leaves the entry current. */
    uint64_t before = sl_cache_hits(c);
    assert_int_equal(sl_remove(sl, &b), ERR_NOTFOUND);
    cmatch(c, sl, "foo.bar");
    assert_int_equal(sl_cache_hits(c), before + 1);
    assert_int_equal(sl_cache_count(c), 1);
    sl_cache_free(c);
    sl_free(sl);
}

static void test_slcache_bounded_eviction(void **state)
{
    struct sublist *sl = sl_new();
    struct sl_sub s[200];
    char names[200][16];
    for (int i = 0; i < 200; i++) {
        snprintf(names[i], sizeof(names[i]), "s.%d", i);
        sub_set(&s[i], names[i], NULL);
        assert_int_equal(sl_insert(sl, &s[i]), 0);
    }
    const size_t sizes[] = {0, 1, 3, 8, 10, 1000};
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        struct sl_cache *c = sl_cache_new(sizes[k]);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 200; i++) {
                const struct sl_result *r = cmatch(c, sl, names[(i * 31 + round) % 200]);
                assert_int_equal(r->npsubs, 1);
                assert_ptr_equal(r->psubs[0], &s[(i * 31 + round) % 200]);
                assert_true(sl_cache_count(c) <= sizes[k]);
            }
        }
        /* Set-associative: a few sets may overflow, most entries stay. */
        if (sizes[k] >= 200)
            assert_true(sl_cache_count(c) >= 190);
        sl_cache_free(c);
    }
    sl_free(sl);
}

static void test_slcache_several_sublists(void **state)
{
    struct sublist *a = sl_new(), *b = sl_new();
    struct sl_cache *c = sl_cache_new(32);
    struct sl_sub sa, sb;
    sub_set(&sa, "x", NULL);
    sub_set(&sb, "x", NULL);
    assert_int_equal(sl_insert(a, &sa), 0);
    assert_int_equal(sl_insert(b, &sb), 0);
    for (int i = 0; i < 3; i++) {
        assert_ptr_equal(cmatch(c, a, "x")->psubs[0], &sa);
        assert_ptr_equal(cmatch(c, b, "x")->psubs[0], &sb);
    }
    /* Free a sublist and make new ones (maybe at the same address): no
     * entry of the old one may be answered for them. */
    sl_free(a);
    for (int i = 0; i < 4; i++) {
        struct sublist *n = sl_new();
        assert_int_equal(total(cmatch(c, n, "x")), 0);
        sl_free(n);
    }
    assert_ptr_equal(cmatch(c, b, "x")->psubs[0], &sb);
    sl_cache_free(c);
    sl_free(b);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* True if <a> and <b> hold the same subscriptions in the same groups. */
static bool same_result(const struct sl_result *a, const struct sl_result *b)
{
    if (a->npsubs != b->npsubs || a->nqsubs != b->nqsubs || a->nqgroups != b->nqgroups)
        return false;
    if (a->npsubs && memcmp(a->psubs, b->psubs, a->npsubs * sizeof(*a->psubs)) != 0)
        return false;
    if (a->nqgroups && memcmp(a->qstart, b->qstart, (a->nqgroups + 1) * sizeof(size_t)) != 0)
        return false;
    return a->nqsubs == 0 || memcmp(a->qsubs, b->qsubs, a->nqsubs * sizeof(*a->qsubs)) == 0;
}

static void test_slcache_random_vs_uncached(void **state)
{
    enum { NSUBS = 100 };
    static const char *filters[] = {"a.b", "a.*", "*.b", "a.>", ">", "a.b.c", "*.*.c", "b"};
    static const char *subjects[] = {"a.b", "a.c", "c.b", "a.b.c", "x.y.c", "b", "a", "q.r.s.t"};
    struct sl_sub subs[NSUBS];
    bool in[NSUBS] = {false};
    struct sublist *sl = sl_new();
    struct sl_cache *c = sl_cache_new(4);
    struct sl_result direct;
    sl_result_init(&direct);
    for (int round = 0; round < 20000; round++) {
        int i = (int)(rng() % NSUBS);
        if (rng() % 4 == 0) {
            if (in[i]) {
                assert_int_equal(sl_remove(sl, &subs[i]), 0);
            } else {
                sub_set(&subs[i], filters[rng() % 8], rng() % 3 ? NULL : (rng() % 2 ? "g" : "h"));
                assert_int_equal(sl_insert(sl, &subs[i]), 0);
            }
            in[i] = !in[i];
        }
        const char *subj = subjects[rng() % 8];
        const struct sl_result *cached = cmatch(c, sl, subj);
        sl_match(sl, subj, strlen(subj), &direct);
        /* Same sublist state, same traversal: identical arrays. */
        if (!same_result(cached, &direct))
            fail_msg("round %d subject %s: cached result differs", round, subj);
    }
    for (int i = 0; i < NSUBS; i++) {
        if (in[i])
            assert_int_equal(sl_remove(sl, &subs[i]), 0);
    }
    sl_result_deinit(&direct);
    sl_cache_free(c);
    sl_free(sl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slcache_hit_and_stats),
        cmocka_unit_test(test_slcache_invalidation),
        cmocka_unit_test(test_slcache_bounded_eviction),
        cmocka_unit_test(test_slcache_several_sublists),
        cmocka_unit_test(test_slcache_random_vs_uncached),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
