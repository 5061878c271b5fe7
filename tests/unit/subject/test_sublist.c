/* Unit tests for sublist.c: insert/remove/match, queue grouping, pruning,
 * stats, a randomized model test against subj_matches, and a two-thread
 * concurrency smoke test.
 */
/* cmocka.h needs these first. */
// clang-format off
#include <pthread.h>
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
#include "subject/subject_int.h"
#include "util/err.h"

static void sub_set(struct sl_sub *s, const char *subject, const char *queue)
{
    s->subject = subject;
    s->subject_len = strlen(subject);
    s->queue = queue;
    s->queue_len = queue ? strlen(queue) : 0;
    s->owner = NULL;
}

static bool result_has(const struct sl_result *r, const struct sl_sub *s)
{
    for (size_t i = 0; i < r->npsubs; i++) {
        if (r->psubs[i] == s)
            return true;
    }
    for (size_t i = 0; i < r->nqsubs; i++) {
        if (r->qsubs[i] == s)
            return true;
    }
    return false;
}

static size_t match_count(struct sublist *sl, const char *subj)
{
    struct sl_result r;
    sl_result_init(&r);
    sl_match(sl, subj, strlen(subj), &r);
    size_t n = r.npsubs + r.nqsubs;
    sl_result_deinit(&r);
    return n;
}

static void test_sublist_basic_match(void **state)
{
    struct sublist *sl = sl_new();
    struct sl_sub s[6];
    const char *filters[] = {"foo.bar", "foo.*", "foo.>", "*.bar", ">", "foo.bar.baz"};
    for (int i = 0; i < 6; i++) {
        sub_set(&s[i], filters[i], NULL);
        assert_int_equal(sl_insert(sl, &s[i]), 0);
    }
    struct sl_result r;
    sl_result_init(&r);
    sl_match(sl, "foo.bar", 7, &r);
    assert_int_equal(r.npsubs, 5);
    assert_int_equal(r.nqsubs, 0);
    assert_int_equal(r.nqgroups, 0);
    for (int i = 0; i < 5; i++)
        assert_true(result_has(&r, &s[i]));
    sl_match(sl, "foo.bar.baz", 11, &r);
    assert_int_equal(r.npsubs, 3);
    assert_true(result_has(&r, &s[2]) && result_has(&r, &s[4]) && result_has(&r, &s[5]));
    sl_match(sl, "foo", 3, &r);
    assert_int_equal(r.npsubs, 1);
    assert_true(result_has(&r, &s[4]));
    sl_match(sl, "baz", 3, &r);
    assert_int_equal(r.npsubs, 1);
    /* Empty tokens match nothing, even with ">" present (as nats-server). */
    const char *bad[] = {"", ".", "foo..bar", ".foo", "foo.", "foo.bar."};
    for (int i = 0; i < 6; i++) {
        sl_match(sl, bad[i], strlen(bad[i]), &r);
        assert_int_equal(r.npsubs + r.nqsubs + r.nqgroups, 0);
    }
    /* Wildcards in a published subject are plain tokens. */
    sl_match(sl, "foo.*", 5, &r);
    assert_int_equal(r.npsubs, 3); /* foo.*, foo.>, > */
    sl_result_deinit(&r);
    sl_free(sl);
}

static void test_sublist_errors(void **state)
{
    struct sublist *sl = sl_new();
    struct sl_sub s;
    const char *bad[] = {"", "foo..bar", "foo.>.bar", "foo bar", ".x", "x."};
    for (int i = 0; i < 6; i++) {
        sub_set(&s, bad[i], NULL);
        assert_int_equal(sl_insert(sl, &s), ERR_INVAL);
    }
    sub_set(&s, "foo", "");
    assert_int_equal(sl_insert(sl, &s), ERR_INVAL);
    sub_set(&s, "foo", "a b");
    assert_int_equal(sl_insert(sl, &s), ERR_INVAL);
    sub_set(&s, "foo", NULL);
    assert_int_equal(sl_remove(sl, &s), ERR_NOTFOUND);
    assert_int_equal(sl_insert(sl, &s), 0);
    assert_int_equal(sl_insert(sl, &s), ERR_EXISTS);
    assert_int_equal(sl_remove(sl, &s), 0);
    assert_int_equal(sl_remove(sl, &s), ERR_NOTFOUND);
    assert_int_equal(sl__node_count(sl), 0);
    struct sl_stats st;
    sl_stats_get(sl, &st);
    assert_int_equal(st.num_inserts, 1);
    assert_int_equal(st.num_removes, 1);
    assert_int_equal(st.num_subscriptions, 0);
    sl_free(sl);
}

/* Returns the index of the group of <r> holding <s>, or -1. */
static int group_of(const struct sl_result *r, const struct sl_sub *s)
{
    for (size_t g = 0; g < r->nqgroups; g++) {
        for (size_t i = r->qstart[g]; i < r->qstart[g + 1]; i++) {
            if (r->qsubs[i] == s)
                return (int)g;
        }
    }
    return -1;
}

static void test_sublist_queue_groups(void **state)
{
    struct sublist *sl = sl_new();
    struct sl_sub q[7], p;
    sub_set(&q[0], "foo.bar", "q1");
    sub_set(&q[1], "foo.bar", "q1");
    sub_set(&q[2], "foo.*", "q1");
    sub_set(&q[3], "*.bar", "q1");
    sub_set(&q[4], "foo.>", "q2");
    sub_set(&q[5], "foo.bar", "q2");
    sub_set(&q[6], "foo.baz", "q1");
    sub_set(&p, "foo.bar", NULL);
    for (int i = 0; i < 7; i++)
        assert_int_equal(sl_insert(sl, &q[i]), 0);
    assert_int_equal(sl_insert(sl, &p), 0);

    struct sl_result r;
    sl_result_init(&r);
    sl_match(sl, "foo.bar", 7, &r);
    assert_int_equal(r.npsubs, 1);
    assert_ptr_equal(r.psubs[0], &p);
    assert_int_equal(r.nqgroups, 2);
    assert_int_equal(r.nqsubs, 6);
    assert_int_equal(r.qstart[0], 0);
    assert_int_equal(r.qstart[2], 6);
    int g1 = group_of(&r, &q[0]), g2 = group_of(&r, &q[4]);
    assert_true(g1 >= 0 && g2 >= 0 && g1 != g2);
    assert_int_equal(r.qstart[g1 + 1] - r.qstart[g1], 4);
    assert_int_equal(r.qstart[g2 + 1] - r.qstart[g2], 2);
    for (int i = 1; i < 4; i++)
        assert_int_equal(group_of(&r, &q[i]), g1);
    assert_int_equal(group_of(&r, &q[5]), g2);
    assert_int_equal(group_of(&r, &q[6]), -1);

    /* Removing the last member of a group drops the group. */
    assert_int_equal(sl_remove(sl, &q[4]), 0);
    assert_int_equal(sl_remove(sl, &q[5]), 0);
    sl_match(sl, "foo.bar", 7, &r);
    assert_int_equal(r.nqgroups, 1);
    assert_int_equal(r.nqsubs, 4);
    for (int i = 0; i < 7; i++) {
        if (i != 4 && i != 5)
            assert_int_equal(sl_remove(sl, &q[i]), 0);
    }
    assert_int_equal(sl_remove(sl, &p), 0);
    assert_int_equal(sl__node_count(sl), 0);
    sl_result_deinit(&r);
    sl_free(sl);
}

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Random subject of 1..5 tokens over a small alphabet; with <wild>, '*'
 * anywhere and '>' last. */
static void random_subject(char *out, bool wild)
{
    static const char *toks[] = {"a", "b", "c", "dd", "eee"};
    int n = 1 + (int)(rng() % 5);
    size_t l = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0)
            out[l++] = '.';
        const char *t = toks[rng() % 5];
        if (wild && rng() % 4 == 0)
            t = "*";
        if (wild && i == n - 1 && rng() % 5 == 0)
            t = ">";
        memcpy(out + l, t, strlen(t));
        l += strlen(t);
    }
    out[l] = '\0';
}

#define MODEL_SUBS 600

struct model_sub {
    struct sl_sub sub;
    char subject[32];
    bool in;
};

static const char *qnames[] = {NULL, NULL, NULL, "q1", "q2", "q3"};

/* Checks sl_match(subj) against brute force over <m>. */
static void model_check(struct sublist *sl, struct model_sub *m, const char *subj,
                        struct sl_result *r)
{
    sl_match(sl, subj, strlen(subj), r);
    size_t expect = 0;
    for (int i = 0; i < MODEL_SUBS; i++) {
        bool want = m[i].in && subj_matches(m[i].subject, strlen(m[i].subject), subj, strlen(subj));
        expect += want;
        if (result_has(r, &m[i].sub) != want)
            fail_msg("subject %s filter %s: expected %d", subj, m[i].subject, want);
    }
    assert_int_equal(r->npsubs + r->nqsubs, expect);
    /* Groups: contiguous, non-empty, one per queue name. */
    for (size_t g = 0; g < r->nqgroups; g++) {
        assert_true(r->qstart[g] < r->qstart[g + 1]);
        const struct sl_sub *first = r->qsubs[r->qstart[g]];
        for (size_t i = r->qstart[g]; i < r->qstart[g + 1]; i++)
            assert_string_equal(r->qsubs[i]->queue, first->queue);
        for (size_t h = g + 1; h < r->nqgroups; h++)
            assert_string_not_equal(r->qsubs[r->qstart[h]]->queue, first->queue);
    }
    if (r->nqgroups > 0)
        assert_int_equal(r->qstart[r->nqgroups], r->nqsubs);
    for (size_t i = 0; i < r->npsubs; i++)
        assert_null(r->psubs[i]->queue);
}

static void test_sublist_model_random(void **state)
{
    struct model_sub *m = calloc(MODEL_SUBS, sizeof(*m));
    struct sublist *sl = sl_new();
    struct sl_result r;
    sl_result_init(&r);
    size_t in = 0;
    for (int round = 0; round < 20000; round++) {
        int i = (int)(rng() % MODEL_SUBS);
        if (!m[i].in) {
            random_subject(m[i].subject, true);
            sub_set(&m[i].sub, m[i].subject, qnames[rng() % 6]);
            assert_int_equal(sl_insert(sl, &m[i].sub), 0);
            m[i].in = true;
            in++;
        } else if (rng() % 3 == 0) {
            assert_int_equal(sl_remove(sl, &m[i].sub), 0);
            m[i].in = false;
            in--;
        }
        if (round % 8 == 0) {
            char subj[32];
            random_subject(subj, false);
            model_check(sl, m, subj, &r);
        }
    }
    struct sl_stats st;
    sl_stats_get(sl, &st);
    assert_int_equal(st.num_subscriptions, in);
    assert_int_equal(st.num_inserts - st.num_removes, in);
    /* Remove everything in random order: the trie must be pruned away. */
    for (int k = 0; k < MODEL_SUBS; k++) {
        int i = (int)((k * 7919 + 13) % MODEL_SUBS);
        if (m[i].in)
            assert_int_equal(sl_remove(sl, &m[i].sub), 0);
        m[i].in = false;
    }
    assert_int_equal(sl__node_count(sl), 0);
    sl_stats_get(sl, &st);
    assert_int_equal(st.num_subscriptions, 0);
    sl_result_deinit(&r);
    sl_free(sl);
    free(m);
}

static void test_sublist_many_children_and_fanout(void **state)
{
    enum { N = 5000 };
    struct sl_sub *s = calloc(2 * N, sizeof(*s));
    char(*names)[16] = calloc(N, sizeof(*names));
    struct sublist *sl = sl_new();
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "k%d.x", i);
        sub_set(&s[i], names[i], NULL);
        assert_int_equal(sl_insert(sl, &s[i]), 0);
        sub_set(&s[N + i], "same.subject", i % 2 ? "grp" : NULL);
        assert_int_equal(sl_insert(sl, &s[N + i]), 0);
    }
    assert_int_equal(sl__node_count(sl), 2 * N + 2);
    for (int i = 0; i < N; i += 97)
        assert_int_equal(match_count(sl, names[i]), 1);
    assert_int_equal(match_count(sl, "k5000.x"), 0);
    assert_int_equal(match_count(sl, "same.subject"), N);
    /* Remove in an order that moves elements around inside the arrays. */
    for (int i = 0; i < N; i++) {
        assert_int_equal(sl_remove(sl, &s[(i * 37) % N]), 0);
        assert_int_equal(sl_remove(sl, &s[N + (i * 53) % N]), 0);
        if (i == N / 2)
            assert_int_equal(match_count(sl, "same.subject"), N - N / 2 - 1);
    }
    assert_int_equal(sl__node_count(sl), 0);
    sl_free(sl);
    free(names);
    free(s);
}

static void count_cb(struct sl_sub *sub, void *arg)
{
    (*(size_t *)arg)++;
}

static void test_sublist_stats_generation_foreach(void **state)
{
    struct sublist *sl = sl_new();
    struct sl_sub s[3];
    sub_set(&s[0], "a.b", NULL);
    sub_set(&s[1], "a.*", NULL);
    sub_set(&s[2], "a.>", "q");
    uint64_t g0 = sl_generation(sl);
    for (int i = 0; i < 3; i++)
        assert_int_equal(sl_insert(sl, &s[i]), 0);
    assert_int_equal(sl_generation(sl), g0 + 3);
    struct sl_sub bad;
    sub_set(&bad, "bad..x", NULL); /* rejected inserts leave it alone */
    assert_int_equal(sl_insert(sl, &bad), ERR_INVAL);
    assert_int_equal(sl_generation(sl), g0 + 3);

    assert_int_equal(match_count(sl, "a.b"), 3);
    assert_int_equal(match_count(sl, "a.c.d"), 1);
    assert_int_equal(match_count(sl, "zzz"), 0);
    struct sl_stats st;
    sl_stats_get(sl, &st);
    assert_int_equal(st.num_subscriptions, 3);
    assert_int_equal(st.num_inserts, 3);
    assert_int_equal(st.num_matches, 3);
    assert_int_equal(st.cache_hits, 0);
    assert_int_equal(st.max_fanout, 3); /* 2 plain + 1 queue group */
    assert_int_equal(st.total_fanout, 4);

    size_t n = 0;
    sl_foreach(sl, count_cb, &n);
    assert_int_equal(n, 3);
    assert_int_equal(sl_remove(sl, &s[1]), 0);
    assert_int_equal(sl_generation(sl), g0 + 4);
    n = 0;
    sl_foreach(sl, count_cb, &n);
    assert_int_equal(n, 2);
    sl_free(sl);

    /* Two sublists never share generation values. */
    struct sublist *a = sl_new(), *b = sl_new();
    assert_true(sl_generation(a) != sl_generation(b));
    sl_free(a);
    sl_free(b);
}

/* ---- concurrency smoke test ---- */

struct conc {
    struct sublist *sl;
    struct sl_sub fixed;     /* always inserted: every match must see it */
    _Atomic int done;        /* writer finished */
    _Atomic uint64_t misses; /* failed writer calls + bad reader results */
};

static void *conc_writer(void *arg)
{
    struct conc *c = arg;
    static struct sl_sub subs[64];
    static const char *filters[] = {"foo.bar", "foo.*", "*.bar", "foo.>", ">", "x.y.z"};
    for (int round = 0; round < 2000; round++) {
        for (int i = 0; i < 64; i++) {
            sub_set(&subs[i], filters[i % 6], i % 3 ? NULL : "q");
            if (sl_insert(c->sl, &subs[i]) != 0)
                atomic_fetch_add(&c->misses, 1);
        }
        for (int i = 0; i < 64; i++) {
            if (sl_remove(c->sl, &subs[i]) != 0)
                atomic_fetch_add(&c->misses, 1);
        }
    }
    atomic_store(&c->done, 1);
    return NULL;
}

static void *conc_reader(void *arg)
{
    struct conc *c = arg;
    struct sl_result own;
    struct sl_cache *cache = sl_cache_new(16);
    sl_result_init(&own);
    for (uint64_t n = 0; !atomic_load(&c->done); n++) {
        /* Alternate direct matches and the per-thread cache. */
        const struct sl_result *r = &own;
        if (n % 2)
            r = sl_cache_match(cache, c->sl, "foo.bar", 7);
        else
            sl_match(c->sl, "foo.bar", 7, &own);
        if (!result_has(r, &c->fixed))
            atomic_fetch_add(&c->misses, 1);
        /* Every queue group holds at least one member. */
        for (size_t g = 0; g < r->nqgroups; g++) {
            if (r->qstart[g] >= r->qstart[g + 1])
                atomic_fetch_add(&c->misses, 1);
        }
    }
    sl_cache_free(cache);
    sl_result_deinit(&own);
    return NULL;
}

static void test_sublist_concurrent_smoke(void **state)
{
    struct conc c = {.sl = sl_new()};
    atomic_init(&c.done, 0);
    atomic_init(&c.misses, 0);
    sub_set(&c.fixed, "foo.bar", NULL);
    assert_int_equal(sl_insert(c.sl, &c.fixed), 0);
    pthread_t w, r;
    assert_int_equal(pthread_create(&r, NULL, conc_reader, &c), 0);
    assert_int_equal(pthread_create(&w, NULL, conc_writer, &c), 0);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    assert_int_equal(atomic_load(&c.misses), 0);
    assert_int_equal(sl_remove(c.sl, &c.fixed), 0);
    assert_int_equal(sl__node_count(c.sl), 0);
    sl_free(c.sl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sublist_basic_match),
        cmocka_unit_test(test_sublist_errors),
        cmocka_unit_test(test_sublist_queue_groups),
        cmocka_unit_test(test_sublist_model_random),
        cmocka_unit_test(test_sublist_many_children_and_fanout),
        cmocka_unit_test(test_sublist_stats_generation_foreach),
        cmocka_unit_test(test_sublist_concurrent_smoke),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
