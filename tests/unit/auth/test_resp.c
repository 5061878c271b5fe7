/* Unit tests of src/auth/resp.c: allow_responses tracking (max uses,
 * expiry, renewal, the entry bound) and concurrent add/take. */
/* cmocka.h needs these first. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
// clang-format on

#include "auth/auth.h"

#include <pthread.h>

#define SEC 1000000000LL

static struct perm *perm_resp_perm(int64_t max, int64_t expires_ns)
{
    struct conf_perms cp = {
        .allow_responses = true, .resp_max = max, .resp_expires_ns = expires_ns};
    struct errbuf eb = {{0}};
    struct perm *p = perm_new(&cp, &eb);
    assert_non_null(p);
    return p;
}

static bool take(struct perm_resp *r, const char *s, int64_t now)
{
    return perm_resp_take(r, s, strlen(s), now);
}

static void add(struct perm_resp *r, const char *s, int64_t now)
{
    perm_resp_add(r, s, strlen(s), now);
}

static void test_resp_needs_allow_responses(void **state)
{
    (void)state;
    struct conf_perms cp = {.publish = {.set = true, .deny = (char *[]){"x"}, .ndeny = 1}};
    struct errbuf eb = {{0}};
    struct perm *p = perm_new(&cp, &eb);
    assert_null(perm_resp_new(p));
    assert_null(perm_resp_new(NULL));
    /* A NULL tracker is inert. */
    perm_resp_add(NULL, "a", 1, 0);
    assert_false(perm_resp_take(NULL, "a", 1, 0));
    assert_int_equal(perm_resp_count(NULL), 0);
    perm_resp_free(NULL);
    perm_free(p);
}

static void test_resp_default_is_one_response(void **state)
{
    (void)state;
    struct perm *p = perm_resp_perm(0, 0);
    struct perm_resp *r = perm_resp_new(p);
    assert_non_null(r);

    assert_false(take(r, "_INBOX.1", 0)); /* nothing delivered yet */
    add(r, "_INBOX.1", 0);
    assert_int_equal(perm_resp_count(r), 1);
    assert_false(take(r, "_INBOX.2", 1));
    assert_true(take(r, "_INBOX.1", 1));
    assert_false(take(r, "_INBOX.1", 2)); /* max 1 */
    assert_int_equal(perm_resp_count(r), 0);
    perm_resp_free(r);
    perm_free(p);
}

static void test_resp_max_three(void **state)
{
    (void)state;
    struct perm *p = perm_resp_perm(3, 60 * SEC);
    struct perm_resp *r = perm_resp_new(p);

    add(r, "rep", 0);
    for (int i = 0; i < 3; i++)
        assert_true(take(r, "rep", i));
    assert_false(take(r, "rep", 4));
    /* Delivering the same reply again grants a fresh allowance. */
    add(r, "rep", 5);
    assert_true(take(r, "rep", 5));
    add(r, "rep", 6);
    for (int i = 0; i < 3; i++)
        assert_true(take(r, "rep", 7));
    assert_false(take(r, "rep", 8));
    perm_resp_free(r);
    perm_free(p);
}

static void test_resp_unlimited(void **state)
{
    (void)state;
    struct perm *p = perm_resp_perm(-1, -1);
    struct perm_resp *r = perm_resp_new(p);

    add(r, "rep", 0);
    for (int i = 0; i < 1000; i++)
        assert_true(take(r, "rep", (int64_t)i * 3600 * SEC)); /* no expiry either */
    assert_int_equal(perm_resp_count(r), 1);
    perm_resp_free(r);
    perm_free(p);
}

static void test_resp_expiry(void **state)
{
    (void)state;
    struct perm *p = perm_resp_perm(5, 1 * SEC);
    struct perm_resp *r = perm_resp_new(p);

    add(r, "a", 100);
    add(r, "b", 100 + SEC / 2);
    assert_true(take(r, "a", 100 + SEC));      /* exactly at the limit: still valid */
    assert_false(take(r, "a", 100 + SEC + 1)); /* past it */
    assert_int_equal(perm_resp_count(r), 1);
    /* Renewal restarts the clock. */
    add(r, "b", 100 + SEC + SEC / 4);
    assert_true(take(r, "b", 100 + 2 * SEC));
    /* Adding prunes expired entries from the old end. */
    add(r, "c", 100 + 10 * SEC);
    assert_int_equal(perm_resp_count(r), 1);
    assert_true(take(r, "c", 100 + 10 * SEC));
    perm_resp_free(r);
    perm_free(p);
}

static void test_resp_default_expiry_two_minutes(void **state)
{
    (void)state;
    struct perm *p = perm_resp_perm(-1, 0);
    struct perm_resp *r = perm_resp_new(p);

    add(r, "a", 0);
    assert_true(take(r, "a", 119 * SEC));
    assert_false(take(r, "a", 121 * SEC));
    perm_resp_free(r);
    perm_free(p);
}

static void test_resp_bounded(void **state)
{
    (void)state;
    struct perm *p = perm_resp_perm(1, 0);
    struct perm_resp *r = perm_resp_new(p);
    char s[32];
    const int total = PERM_RESP_MAX_ENTRIES + 1000;

    for (int i = 0; i < total; i++) {
        int n = snprintf(s, sizeof(s), "_INBOX.%d", i);
        perm_resp_add(r, s, (size_t)n, i);
        assert_true(perm_resp_count(r) <= PERM_RESP_MAX_ENTRIES);
    }
    assert_int_equal(perm_resp_count(r), PERM_RESP_MAX_ENTRIES);
    assert_false(take(r, "_INBOX.0", total));   /* evicted: the oldest */
    assert_false(take(r, "_INBOX.999", total)); /* evicted */
    assert_true(take(r, "_INBOX.1000", total)); /* the oldest kept */
    snprintf(s, sizeof(s), "_INBOX.%d", total - 1);
    assert_true(take(r, s, total));
    assert_int_equal(perm_resp_count(r), PERM_RESP_MAX_ENTRIES - 2);
    perm_resp_free(r); /* frees the remaining entries (ASan checks) */
    perm_free(p);
}

struct adder {
    struct perm_resp *r;
    int id;
};

static void *adder_main(void *arg)
{
    struct adder *ad = arg;
    char s[32];
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(s, sizeof(s), "_INBOX.%d.%d", ad->id, i % 300);
        perm_resp_add(ad->r, s, (size_t)n, i);
    }
    return NULL;
}

static void test_resp_concurrent_add_take(void **state)
{
    (void)state;
    struct perm *p = perm_resp_perm(-1, 0);
    struct perm_resp *r = perm_resp_new(p);
    struct adder ads[2] = {{r, 0}, {r, 1}};
    pthread_t th[2];
    char s[32];

    for (int t = 0; t < 2; t++)
        assert_int_equal(pthread_create(&th[t], NULL, adder_main, &ads[t]), 0);
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(s, sizeof(s), "_INBOX.%d.%d", i % 2, i % 300);
        (void)perm_resp_take(r, s, (size_t)n, i);
    }
    for (int t = 0; t < 2; t++)
        pthread_join(th[t], NULL);
    assert_int_equal(perm_resp_count(r), 600);
    assert_true(take(r, "_INBOX.1.299", 20000));
    perm_resp_free(r);
    perm_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resp_needs_allow_responses),
        cmocka_unit_test(test_resp_default_is_one_response),
        cmocka_unit_test(test_resp_max_three),
        cmocka_unit_test(test_resp_unlimited),
        cmocka_unit_test(test_resp_expiry),
        cmocka_unit_test(test_resp_default_expiry_two_minutes),
        cmocka_unit_test(test_resp_bounded),
        cmocka_unit_test(test_resp_concurrent_add_take),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
