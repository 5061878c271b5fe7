/* Unit tests of src/auth/perm.c: publish/subscribe permission
 * semantics (cases checked against nats-server 2.9.10 on the wire), the
 * deliver filter, the -ERR texts and the per-connection publish cache. */
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

#define LIST(...) ((char *[]){__VA_ARGS__})

static struct perm *perm_of(const struct conf_perms *cp)
{
    struct errbuf eb = {{0}};
    struct perm *p = perm_new(cp, &eb);
    if (p == NULL)
        fail_msg("perm_new: %s", eb.msg);
    return p;
}

static bool pub(const struct perm *p, const char *s)
{
    return perm_can_publish(p, s, strlen(s));
}

static bool sub(const struct perm *p, const char *s, const char *q)
{
    return perm_can_subscribe(p, s, strlen(s), q, q ? strlen(q) : 0);
}

/* User "a" of the wire experiment. */
static struct perm *perm_user_a(void)
{
    struct conf_perms cp = {
        .publish = {.set = true,
                    .allow = LIST("foo.*", "bar.>"),
                    .nallow = 2,
                    .deny = LIST("foo.secret"),
                    .ndeny = 1},
        .subscribe = {.set = true,
                      .allow = LIST("foo.>", "q.* grp", "x.*"),
                      .nallow = 3,
                      .deny = LIST("foo.secret", "foo.deny.>", "x.q qd"),
                      .ndeny = 3},
    };
    return perm_of(&cp);
}

static void test_perm_null_allows_all(void **state)
{
    (void)state;
    assert_true(pub(NULL, "a"));
    assert_true(sub(NULL, ">", "q"));
    assert_true(perm_can_deliver(NULL, "a", 1));
    assert_false(perm_sub_needs_deliver_check(NULL, ">", 1));
    assert_false(perm_allows_responses(NULL));
}

static void test_perm_publish_allow_deny(void **state)
{
    (void)state;
    struct perm *p = perm_user_a();
    assert_true(pub(p, "foo.x"));
    assert_false(pub(p, "foo.secret"));
    assert_false(pub(p, "foo"));
    assert_false(pub(p, "foo.x.y"));
    assert_false(pub(p, "bar"));
    assert_true(pub(p, "bar.x"));
    assert_true(pub(p, "bar.x.y"));
    assert_false(pub(p, "baz"));
    perm_free(p);
}

static void test_perm_publish_deny_only(void **state)
{
    (void)state;
    struct conf_perms cp = {.publish = {.set = true, .deny = LIST("nope", "x.>"), .ndeny = 2}};
    struct perm *p = perm_of(&cp);
    assert_false(pub(p, "nope"));
    assert_false(pub(p, "x.y"));
    assert_true(pub(p, "x"));
    assert_true(pub(p, "nope.more"));
    perm_free(p);
}

static void test_perm_publish_queue_entry_never_matches(void **state)
{
    (void)state;
    /* nats-server accepts "a b" in a publish list; it can never match, and
     * the allow list still exists, so nothing may be published. */
    struct conf_perms cp = {.publish = {.set = true, .allow = LIST("a b"), .nallow = 1}};
    struct perm *p = perm_of(&cp);
    assert_false(pub(p, "a"));
    assert_false(pub(p, "b"));
    perm_free(p);
}

static void test_perm_allow_responses_turns_off_publish(void **state)
{
    (void)state;
    struct conf_perms cp = {.allow_responses = true};
    struct perm *p = perm_of(&cp);
    assert_true(perm_allows_responses(p));
    assert_false(pub(p, "x"));
    assert_true(sub(p, "x", NULL));
    perm_free(p);

    struct conf_perms cp2 = {.publish = {.set = true, .allow = LIST("ok.>"), .nallow = 1},
                             .allow_responses = true};
    p = perm_of(&cp2);
    assert_true(pub(p, "ok.1"));
    assert_false(pub(p, "x"));
    perm_free(p);
}

static void test_perm_subscribe_wire_user_a(void **state)
{
    (void)state;
    struct perm *p = perm_user_a();
    assert_true(sub(p, "foo.*", NULL));
    assert_true(sub(p, "foo.>", NULL));
    assert_false(sub(p, "foo.secret", NULL));
    assert_false(sub(p, "foo.deny.x", NULL));
    assert_false(sub(p, "foo.deny.*", NULL));
    assert_false(sub(p, "foo.deny.>", NULL));
    assert_false(sub(p, "foo", NULL));
    assert_false(sub(p, "q.x", NULL));
    assert_true(sub(p, "q.x", "grp"));
    assert_false(sub(p, "q.x", "other"));
    assert_true(sub(p, "x.*", NULL));
    assert_true(sub(p, "x.q", NULL));
    assert_false(sub(p, "x.q", "qd"));
    assert_true(sub(p, "x.q", "qe"));
    assert_false(sub(p, "*", NULL));
    assert_false(sub(p, ">", NULL));
    assert_true(sub(p, "foo.x", "anyq"));
    perm_free(p);
}

static void test_perm_subscribe_wire_user_b(void **state)
{
    (void)state;
    struct conf_perms cp = {
        .subscribe = {
            .set = true, .allow = LIST("*"), .nallow = 1, .deny = LIST("a.*"), .ndeny = 1}};
    struct perm *p = perm_of(&cp);
    assert_false(sub(p, "a.>", NULL)); /* nats-server: '*' of a deny entry takes '>' */
    assert_false(sub(p, "a.b", NULL));
    assert_false(sub(p, "a.*", NULL));
    assert_true(sub(p, "*", NULL));
    assert_true(sub(p, "b", NULL));
    assert_false(sub(p, "b.c", NULL));
    /* Deliberate difference: nats-server lets ">" through an allow "*". */
    assert_false(sub(p, ">", NULL));
    perm_free(p);
}

static void test_perm_subscribe_queue_entries(void **state)
{
    (void)state;
    /* User "d" of the wire experiment. */
    struct conf_perms cp = {.subscribe = {.set = true,
                                          .allow = LIST("z.>", "z.y qa", "w.* g.*", "v.>"),
                                          .nallow = 4,
                                          .deny = LIST("v.>", "v.y qq", "u.* qz"),
                                          .ndeny = 3}};
    struct perm *p = perm_of(&cp);
    assert_true(sub(p, "z.y", NULL));
    assert_true(sub(p, "z.y", "qa"));
    assert_false(sub(p, "z.y", "qb")); /* queue entries hit: the queue must be listed */
    assert_true(sub(p, "z.x", "qb"));
    assert_true(sub(p, "w.a", "g.1"));
    assert_false(sub(p, "w.a", "g"));
    assert_true(sub(p, "w.a", "g.*"));
    assert_false(sub(p, "w.a", NULL));
    /* Deliberate difference: nats-server admits "v.y qb" despite deny v.>. */
    assert_false(sub(p, "v.y", "qb"));
    perm_free(p);
}

static void test_perm_subscribe_queue_restriction(void **state)
{
    (void)state;
    /* Found by the differential test: a queue entry restricts queue SUBs
     * wherever nats-server's matching reaches ("* q" reaches ">"), but
     * grants only what it strictly covers. */
    struct conf_perms cp = {
        .subscribe = {.set = true, .allow = LIST("*.a.b", ">", "* q"), .nallow = 3}};
    struct perm *p = perm_of(&cp);
    assert_true(sub(p, ">", NULL));
    assert_false(sub(p, ">", "q.1"));
    assert_false(sub(p, ">", "q")); /* nats-server admits it; "* q" is no superset */
    assert_false(sub(p, "a", "q.1"));
    assert_true(sub(p, "a", "q"));
    assert_true(sub(p, "a", NULL));
    assert_true(sub(p, "a.b", "q.1"));
    perm_free(p);
}

static void test_perm_subscribe_deny_queue_entries(void **state)
{
    (void)state;
    /* User "e" of the wire experiment. */
    struct conf_perms cp = {
        .subscribe = {.set = true, .deny = LIST("v.>", "v.y qq", "u.* qz", "t.a"), .ndeny = 4}};
    struct perm *p = perm_of(&cp);
    assert_false(sub(p, "v.y", "qq"));
    assert_false(sub(p, "v.y", NULL));
    assert_false(sub(p, "u.a", "qz"));
    assert_false(sub(p, "u.*", "qz"));
    assert_false(sub(p, "u.>", "qz"));
    assert_true(sub(p, "u.a", NULL));
    assert_true(sub(p, "u.a", "other"));
    assert_true(sub(p, "t.*", NULL));
    assert_true(sub(p, ">", NULL));
    assert_false(sub(p, "t.a", "qx"));
    assert_false(sub(p, "t.a", NULL));
    perm_free(p);
}

static void test_perm_subscribe_subset_rules(void **state)
{
    (void)state;
    struct conf_perms cp = {
        .subscribe = {.set = true, .allow = LIST("foo.>", "bar.*", "baz.*.x"), .nallow = 3}};
    struct perm *p = perm_of(&cp);
    assert_true(sub(p, "foo.*", NULL));
    assert_true(sub(p, "foo.bar.>", NULL));
    assert_true(sub(p, "foo.>", NULL));
    assert_true(sub(p, "foo.*.*", NULL));
    assert_false(sub(p, "foo", NULL));
    assert_false(sub(p, ">", NULL));
    assert_false(sub(p, "*.x", NULL));
    assert_true(sub(p, "bar.*", NULL));
    assert_true(sub(p, "bar.x", NULL));
    assert_false(sub(p, "bar.>", NULL));
    assert_false(sub(p, "bar.x.y", NULL));
    assert_true(sub(p, "baz.*.x", NULL));
    assert_true(sub(p, "baz.q.x", NULL));
    assert_false(sub(p, "baz.*.*", NULL));
    assert_false(sub(p, "baz.q.x.y", NULL));
    perm_free(p);
}

static void test_perm_deliver_filter(void **state)
{
    (void)state;
    struct conf_perms cp = {
        .subscribe = {.set = true, .deny = LIST("t.a", "s.*.x", "u.* qz"), .ndeny = 3}};
    struct perm *p = perm_of(&cp);
    assert_true(perm_sub_needs_deliver_check(p, ">", 1));
    assert_true(perm_sub_needs_deliver_check(p, "t.*", 3));
    assert_true(perm_sub_needs_deliver_check(p, "*.y.>", 5)); /* overlaps s.*.x */
    assert_false(perm_sub_needs_deliver_check(p, "u.*", 3));  /* queue-only deny */
    assert_false(perm_sub_needs_deliver_check(p, "t.b", 3));  /* literal */
    assert_false(perm_sub_needs_deliver_check(p, "r.*", 3));
    assert_false(perm_can_deliver(p, "t.a", 3));
    assert_false(perm_can_deliver(p, "s.y.x", 5));
    assert_true(perm_can_deliver(p, "s.y.z", 5));
    assert_true(perm_can_deliver(p, "u.a", 3));
    assert_true(perm_can_deliver(p, "t.a.b", 5));
    perm_free(p);

    struct conf_perms none = {.subscribe = {.set = true, .allow = LIST(">"), .nallow = 1}};
    p = perm_of(&none);
    assert_false(perm_sub_needs_deliver_check(p, ">", 1));
    assert_true(perm_can_deliver(p, "anything", 8));
    perm_free(p);
}

static void test_perm_invalid_entries(void **state)
{
    (void)state;
    struct errbuf eb = {{0}};
    struct conf_perms bad1 = {.subscribe = {.set = true, .allow = LIST("a b c"), .nallow = 1}};
    assert_null(perm_new(&bad1, &eb));
    assert_string_equal(eb.msg, "subject \"a b c\" is not a valid subject");

    struct conf_perms bad2 = {.publish = {.set = true, .deny = LIST("ok", "a..b"), .ndeny = 2}};
    assert_null(perm_new(&bad2, &eb));
    assert_string_equal(eb.msg, "subject \"a..b\" is not a valid subject");

    struct conf_perms bad3 = {.subscribe = {.set = true, .deny = LIST("a.>.b"), .ndeny = 1}};
    assert_null(perm_new(&bad3, &eb));

    struct conf_perms bad4 = {.subscribe = {.set = true, .allow = LIST(""), .nallow = 1}};
    assert_null(perm_new(&bad4, &eb));

    /* Extra whitespace around "subject queue" is fine. */
    struct conf_perms ok = {.subscribe = {.set = true, .allow = LIST("  a.b \t q1 "), .nallow = 1}};
    struct perm *p = perm_of(&ok);
    assert_true(sub(p, "a.b", "q1"));
    assert_false(sub(p, "a.b", NULL));
    perm_free(p);
}

static void test_perm_unset_lists(void **state)
{
    (void)state;
    /* An absent list, or an empty allow array, restricts nothing. */
    struct conf_perms cp = {.publish = {.set = true}, .subscribe = {.set = false}};
    struct perm *p = perm_of(&cp);
    assert_true(pub(p, "a.b"));
    assert_true(sub(p, ">", "q"));
    assert_false(perm_allows_responses(p));
    perm_free(p);
}

static void test_perm_violation_texts(void **state)
{
    (void)state;
    char buf[128];
    size_t n = perm_pub_violation_text(buf, sizeof(buf), "foo.barXX", 7);
    assert_string_equal(buf, "Permissions Violation for Publish to \"foo.bar\"");
    assert_int_equal(n, strlen(buf));

    n = perm_sub_violation_text(buf, sizeof(buf), "q.x", 3, NULL, 0);
    assert_string_equal(buf, "Permissions Violation for Subscription to \"q.x\"");
    assert_int_equal(n, strlen(buf));

    n = perm_sub_violation_text(buf, sizeof(buf), "q.x", 3, "other", 5);
    assert_string_equal(buf,
                        "Permissions Violation for Subscription to \"q.x\" using queue \"other\"");
    assert_int_equal(n, strlen(buf));

    n = perm_reply_violation_text(buf, sizeof(buf), "_R_.x", 5);
    assert_string_equal(buf, "Permissions Violation for Publish with Reply of \"_R_.x\"");
    assert_int_equal(n, strlen(buf));

    char small[10];
    assert_int_equal(perm_pub_violation_text(small, sizeof(small), "foo", 3), 0);
    assert_string_equal(small, "");
    assert_int_equal(perm_pub_violation_text(buf, 0, "foo", 3), 0);
}

/* ---- cache ---- */

static void test_cache_matches_uncached(void **state)
{
    (void)state;
    struct perm *p = perm_user_a();
    struct perm_cache *pc = perm_cache_new();
    char s[64];

    /* Many more subjects than slots, twice, so that hits and evictions mix. */
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 1000; i++) {
            int n = snprintf(s, sizeof(s),
                             i % 3 == 0   ? "foo.%d"
                             : i % 3 == 1 ? "bar.%d.x"
                                          : "z%d",
                             i);
            assert_int_equal(perm_cache_can_publish(pc, p, s, (size_t)n),
                             perm_can_publish(p, s, (size_t)n));
            assert_true(perm_cache_count(pc) <= PERM_CACHE_ENTRIES);
        }
    }
    assert_true(perm_cache_count(pc) > PERM_CACHE_ENTRIES / 2);
    /* Repeated subjects are served from the cache and stay right. */
    for (int i = 0; i < 100; i++) {
        assert_true(perm_cache_can_publish(pc, p, "foo.x", 5));
        assert_false(perm_cache_can_publish(pc, p, "foo.secret", 10));
    }
    perm_cache_free(pc);
    perm_free(p);
}

static void test_cache_rebinds_and_clears(void **state)
{
    (void)state;
    struct conf_perms c1 = {.publish = {.set = true, .allow = LIST("a"), .nallow = 1}};
    struct conf_perms c2 = {.publish = {.set = true, .deny = LIST("a"), .ndeny = 1}};
    struct perm *p1 = perm_of(&c1), *p2 = perm_of(&c2);
    struct perm_cache *pc = perm_cache_new();

    assert_true(perm_cache_can_publish(pc, p1, "a", 1));
    assert_false(perm_cache_can_publish(pc, p1, "b", 1));
    assert_int_equal(perm_cache_count(pc), 2);
    assert_false(perm_cache_can_publish(pc, p2, "a", 1)); /* other perm: emptied first */
    assert_true(perm_cache_can_publish(pc, p2, "b", 1));
    assert_int_equal(perm_cache_count(pc), 2);
    perm_cache_clear(pc);
    assert_int_equal(perm_cache_count(pc), 0);
    assert_false(perm_cache_can_publish(pc, p2, "a", 1));
    assert_int_equal(perm_cache_count(pc), 1);
    perm_cache_free(pc);
    perm_free(p1);
    perm_free(p2);
}

static void test_cache_skips_unrestricted_and_long(void **state)
{
    (void)state;
    struct conf_perms open = {.subscribe = {.set = true, .deny = LIST("x"), .ndeny = 1}};
    struct conf_perms cp = {.publish = {.set = true, .allow = LIST("a.>"), .nallow = 1}};
    struct perm *po = perm_of(&open), *p = perm_of(&cp);
    struct perm_cache *pc = perm_cache_new();
    char longsubj[PERM_CACHE_MAX_SUBJECT + 10];

    assert_true(perm_cache_can_publish(pc, NULL, "x", 1));
    assert_true(perm_cache_can_publish(pc, po, "x", 1));
    assert_int_equal(perm_cache_count(pc), 0);

    memset(longsubj, 'b', sizeof(longsubj));
    longsubj[0] = 'a';
    longsubj[1] = '.';
    assert_true(perm_cache_can_publish(pc, p, longsubj, sizeof(longsubj)));
    longsubj[0] = 'c';
    assert_false(perm_cache_can_publish(pc, p, longsubj, sizeof(longsubj)));
    assert_int_equal(perm_cache_count(pc), 0);
    perm_cache_free(pc);
    perm_cache_free(NULL);
    perm_free(po);
    perm_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perm_null_allows_all),
        cmocka_unit_test(test_perm_publish_allow_deny),
        cmocka_unit_test(test_perm_publish_deny_only),
        cmocka_unit_test(test_perm_publish_queue_entry_never_matches),
        cmocka_unit_test(test_perm_allow_responses_turns_off_publish),
        cmocka_unit_test(test_perm_subscribe_wire_user_a),
        cmocka_unit_test(test_perm_subscribe_wire_user_b),
        cmocka_unit_test(test_perm_subscribe_queue_entries),
        cmocka_unit_test(test_perm_subscribe_queue_restriction),
        cmocka_unit_test(test_perm_subscribe_deny_queue_entries),
        cmocka_unit_test(test_perm_subscribe_subset_rules),
        cmocka_unit_test(test_perm_deliver_filter),
        cmocka_unit_test(test_perm_invalid_entries),
        cmocka_unit_test(test_perm_unset_lists),
        cmocka_unit_test(test_perm_violation_texts),
        cmocka_unit_test(test_cache_matches_uncached),
        cmocka_unit_test(test_cache_rebinds_and_clears),
        cmocka_unit_test(test_cache_skips_unrestricted_and_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
