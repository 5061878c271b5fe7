/* Unit tests for subject.c: validation, matching, overlap, subset and
 * token counting. Table-driven, plus an exhaustive cross-check of
 * subj_overlaps/subj_is_subset against brute force over a small alphabet.
 */
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

#include "subject/subject.h"

#define S(x) (x), strlen(x)

/* ---- validation ---- */

struct valid_row {
    const char *s;
    bool literal; /* expected subj_is_valid_literal */
    bool filter;  /* expected subj_is_valid_filter */
};

static const struct valid_row valid_rows[] = {
    {"foo", true, true},
    {"foo.bar", true, true},
    {"foo.bar.baz", true, true},
    {"a", true, true},
    {"$JS.API.INFO", true, true},
    {"_INBOX.abc123.x", true, true},
    {"foo-bar_baz:1/2", true, true},
    {"foo*", true, true},
    {"foo>", true, true},
    {"*foo", true, true},
    {"f*o.b>r", true, true},
    {">>", true, true},
    {"**", true, true},
    {"*", false, true},
    {">", false, true},
    {"foo.*", false, true},
    {"foo.>", false, true},
    {"*.bar", false, true},
    {"*.*.*", false, true},
    {"foo.*.>", false, true},
    {"*.>", false, true},
    {"foo.>.bar", false, false},
    {">.foo", false, false},
    {">.>", false, false},
    {"", false, false},
    {".", false, false},
    {"..", false, false},
    {".foo", false, false},
    {"foo.", false, false},
    {"foo..bar", false, false},
    {"foo.*.", false, false},
    {"foo bar", false, false},
    {" foo", false, false},
    {"foo ", false, false},
    {"foo\tbar", false, false},
    {"foo\rbar", false, false},
    {"foo\nbar", false, false},
    {"foo\fbar", false, false},
    {"foo. .bar", false, false},
    {"foo.\t", false, false},
    {"foo.* ", false, false},
};

static void test_subject_validation_table(void **state)
{
    for (size_t i = 0; i < sizeof(valid_rows) / sizeof(valid_rows[0]); i++) {
        const struct valid_row *r = &valid_rows[i];
        if (subj_is_valid_literal(S(r->s)) != r->literal ||
            subj_is_valid_filter(S(r->s)) != r->filter)
            fail_msg("row %zu \"%s\": literal %d filter %d", i, r->s,
                     subj_is_valid_literal(S(r->s)), subj_is_valid_filter(S(r->s)));
    }
}

static void test_subject_validation_uses_length(void **state)
{
    /* Only <len> bytes count: "foo.bar" cut before the dot is valid... */
    assert_true(subj_is_valid_literal("foo.bar", 3));
    /* ...and cut right after it ends with an empty token. */
    assert_false(subj_is_valid_literal("foo.bar", 4));
    assert_false(subj_is_valid_filter("foo.>.x", 4));
    assert_true(subj_is_valid_filter("foo.>.x", 5));
    /* NUL bytes are ordinary bytes. */
    assert_true(subj_is_valid_literal("a\0b", 3));
}

static void test_subject_queue_validation(void **state)
{
    assert_true(subj_is_valid_queue(S("workers")));
    assert_true(subj_is_valid_queue(S("q.1")));
    assert_true(subj_is_valid_queue(S("*")));
    assert_true(subj_is_valid_queue(S(">")));
    assert_true(subj_is_valid_queue(S("a..b")));
    assert_false(subj_is_valid_queue(S("")));
    assert_false(subj_is_valid_queue(NULL, 0));
    assert_false(subj_is_valid_queue(S("a b")));
    assert_false(subj_is_valid_queue(S("a\t")));
    assert_false(subj_is_valid_queue(S("\n")));
    assert_false(subj_is_valid_queue(S("x\r")));
}

static void test_subject_is_literal(void **state)
{
    assert_true(subj_is_literal(S("foo.bar")));
    assert_true(subj_is_literal(S("foo*.bar")));
    assert_true(subj_is_literal(S("foo.b>")));
    assert_true(subj_is_literal(S("")));
    assert_true(subj_is_literal(S("foo..bar")));
    assert_false(subj_is_literal(S("*")));
    assert_false(subj_is_literal(S(">")));
    assert_false(subj_is_literal(S("foo.*")));
    assert_false(subj_is_literal(S("foo.>")));
    assert_false(subj_is_literal(S("*.foo")));
    assert_false(subj_is_literal(S("a.*.b")));
    assert_false(subj_is_literal(S(">.a")));
}

static void test_subject_num_tokens(void **state)
{
    assert_int_equal(subj_num_tokens(S("")), 0);
    assert_int_equal(subj_num_tokens(S("a")), 1);
    assert_int_equal(subj_num_tokens(S("a.b")), 2);
    assert_int_equal(subj_num_tokens(S("a.b.c.d.e")), 5);
    assert_int_equal(subj_num_tokens(S("a.")), 2);
    assert_int_equal(subj_num_tokens(S(".")), 2);
    assert_int_equal(subj_num_tokens(S("foo.*.>")), 3);
}

/* ---- matching ---- */

struct match_row {
    const char *filter;
    const char *subj;
    bool match;
};

static const struct match_row match_rows[] = {
    {"foo", "foo", true},
    {"foo", "bar", false},
    {"foo", "foo.bar", false},
    {"foo.bar", "foo", false},
    {"foo.bar", "foo.bar", true},
    {"foo.bar", "foo.baz", false},
    {"foo.*", "foo.bar", true},
    {"foo.*", "foo", false},
    {"foo.*", "foo.bar.baz", false},
    {"*.bar", "foo.bar", true},
    {"*.bar", "foo.baz", false},
    {"*", "foo", true},
    {"*", "foo.bar", false},
    {"*.*", "foo.bar", true},
    {"foo.>", "foo.bar", true},
    {"foo.>", "foo.bar.baz", true},
    {"foo.>", "foo", false},
    {"foo.>", "bar.baz", false},
    {">", "foo", true},
    {">", "foo.bar.baz", true},
    {"*.>", "foo", false},
    {"*.>", "foo.bar", true},
    {"foo.*.>", "foo.bar", false},
    {"foo.*.>", "foo.bar.baz", true},
    {"foo.*.baz", "foo.bar.baz", true},
    {"foo.*.baz", "foo.bar.bax", false},
    {"foo*", "foo*", true},
    {"foo*", "foox", false},
    {"fo>", "fo.x", false},
    {"foo.bar", "foo.bar.", false},
    {"foo.*", "foo.", false},
    {"*", "", false},
    {">", "", false},
    {"", "", false},
    {"", "foo", false},
};

static void test_subject_matches_table(void **state)
{
    for (size_t i = 0; i < sizeof(match_rows) / sizeof(match_rows[0]); i++) {
        const struct match_row *r = &match_rows[i];
        if (subj_matches(S(r->filter), S(r->subj)) != r->match)
            fail_msg("row %zu: \"%s\" vs \"%s\" expected %d", i, r->filter, r->subj, r->match);
    }
}

/* ---- overlap and subset ---- */

struct pair_row {
    const char *a;
    const char *b;
    bool overlap; /* subj_overlaps(a, b), symmetric */
    bool a_sub_b; /* subj_is_subset(a, b) */
};

static const struct pair_row pair_rows[] = {
    {"foo", "foo", true, true},
    {"foo", "bar", false, false},
    {"foo", "*", true, true},
    {"*", "foo", true, false},
    {"foo", ">", true, true},
    {"foo.bar", ">", true, true},
    {">", "foo.bar", true, false},
    {"foo", "foo.>", false, false},
    {"foo.>", "foo", false, false},
    {"foo.*", "foo.>", true, true},
    {"foo.>", "foo.*", true, false},
    {"foo.*.baz", "foo.bar.*", true, false},
    {"foo.bar.baz", "foo.bar.*", true, true},
    {"*.*", "foo.>", true, false},
    {"*.*", ">", true, true},
    {">", ">", true, true},
    {"*", ">", true, true},
    {">", "*", true, false},
    {"*.>", ">", true, true},
    {">", "*.>", true, false},
    {"a.*.c", "a.b.>", true, false},
    {"a.b.c", "a.*.>", true, true},
    {"a.*", "b.*", false, false},
    {"a.*", "*.b", true, false},
    {"a.b", "*.b", true, true},
    {"*.*", "*", false, false},
    {"*.*.*", "*.>", true, true},
    {"a.>", "*.b.c", true, false},
    {"*", "*", true, true},
    {"", "", false, false},
    {"", ">", false, false},
};

static void test_subject_overlap_subset_table(void **state)
{
    for (size_t i = 0; i < sizeof(pair_rows) / sizeof(pair_rows[0]); i++) {
        const struct pair_row *r = &pair_rows[i];
        if (subj_overlaps(S(r->a), S(r->b)) != r->overlap ||
            subj_overlaps(S(r->b), S(r->a)) != r->overlap)
            fail_msg("row %zu: overlap(\"%s\", \"%s\") expected %d", i, r->a, r->b, r->overlap);
        if (subj_is_subset(S(r->a), S(r->b)) != r->a_sub_b)
            fail_msg("row %zu: subset(\"%s\", \"%s\") expected %d", i, r->a, r->b, r->a_sub_b);
    }
}

/* Every literal subject of 1..5 tokens over {a, b, c}. Filters below use
 * only a, b, '*' and '>' in at most 4 tokens, so these witnesses decide
 * overlap and subset exactly. */
#define MAX_WITNESS 400
static char witness[MAX_WITNESS][16];
static size_t nwitness;

static void gen_witness(char *buf, size_t len, int depth)
{
    static const char *toks = "abc";
    for (int i = 0; i < 3; i++) {
        size_t l = len;
        if (l > 0)
            buf[l++] = '.';
        buf[l++] = toks[i];
        buf[l] = '\0';
        assert_true(nwitness < MAX_WITNESS);
        memcpy(witness[nwitness++], buf, l + 1);
        if (depth < 5)
            gen_witness(buf, l, depth + 1);
    }
}

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void random_filter(char *out)
{
    static const char *toks[] = {"a", "b", "*", ">"};
    int n = 1 + (int)(rng() % 4);
    size_t l = 0;
    for (int i = 0; i < n; i++) {
        int t = (int)(rng() % (i == n - 1 ? 4 : 3));
        if (i > 0)
            out[l++] = '.';
        out[l++] = toks[t][0];
    }
    out[l] = '\0';
}

static void test_subject_overlap_subset_bruteforce(void **state)
{
    char buf[32];
    nwitness = 0;
    gen_witness(buf, 0, 1);
    assert_int_equal(nwitness, 3 + 9 + 27 + 81 + 243);

    for (int iter = 0; iter < 20000; iter++) {
        char a[16], b[16];
        random_filter(a);
        random_filter(b);
        assert_true(subj_is_valid_filter(S(a)));
        bool any_both = false, a_in_b = true;
        for (size_t i = 0; i < nwitness; i++) {
            bool ma = subj_matches(S(a), S(witness[i]));
            bool mb = subj_matches(S(b), S(witness[i]));
            any_both |= ma && mb;
            if (ma && !mb)
                a_in_b = false;
        }
        if (subj_overlaps(S(a), S(b)) != any_both)
            fail_msg("overlap(\"%s\", \"%s\") expected %d", a, b, any_both);
        if (subj_is_subset(S(a), S(b)) != a_in_b)
            fail_msg("subset(\"%s\", \"%s\") expected %d", a, b, a_in_b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subject_validation_table),
        cmocka_unit_test(test_subject_validation_uses_length),
        cmocka_unit_test(test_subject_queue_validation),
        cmocka_unit_test(test_subject_is_literal),
        cmocka_unit_test(test_subject_num_tokens),
        cmocka_unit_test(test_subject_matches_table),
        cmocka_unit_test(test_subject_overlap_subset_table),
        cmocka_unit_test(test_subject_overlap_subset_bruteforce),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
