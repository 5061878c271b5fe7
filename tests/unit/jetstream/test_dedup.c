/* Unit tests for dedup.c: find/add/replace, FIFO expiry across array and
 * arena compaction, table growth with many ids, the binary dedup.inf
 * round trip, and rejection of stale, old-format and truncated files.
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

#include "jetstream/dedup.h"
#include "util/err.h"

#include <stdlib.h>
#include <unistd.h>

static int idf(char *b, size_t cap, int i)
{
    return snprintf(b, cap, "id-%d", i);
}

static void test_dedup_add_find_replace(void **state)
{
    (void)state;
    struct js_dedup d;
    js_dedup_init(&d);
    uint64_t seq = 0;
    assert_false(js_dedup_find(&d, "a", 1, &seq));
    js_dedup_add(&d, "a", 1, 1, 100);
    js_dedup_add(&d, "bb", 2, 2, 100);
    assert_true(js_dedup_find(&d, "a", 1, &seq));
    assert_int_equal(seq, 1);
    assert_false(js_dedup_find(&d, "b", 1, &seq));
    js_dedup_add(&d, "a", 1, 3, 200); /* replaced: lives as long as seq 3 */
    assert_int_equal(d.count, 2);
    size_t len = 0;
    assert_non_null(js_dedup_last(&d, 3, &len));
    assert_null(js_dedup_last(&d, 2, &len));
    js_dedup_expire(&d, 250, 100); /* cutoff 150: drops bb only */
    assert_false(js_dedup_find(&d, "bb", 2, &seq));
    assert_true(js_dedup_find(&d, "a", 1, &seq));
    assert_int_equal(seq, 3);
    js_dedup_expire(&d, 1000, 100);
    assert_int_equal(d.count, 0);
    assert_false(js_dedup_find(&d, "a", 1, &seq));
    js_dedup_deinit(&d);
}

/* A sliding window over many ids: compaction and growth keep every live id
 * findable and every expired one gone. */
static void test_dedup_sliding_window(void **state)
{
    (void)state;
    struct js_dedup d;
    js_dedup_init(&d);
    char b[32];
    const int n = 200000, win = 5000;
    for (int i = 0; i < n; i++) {
        js_dedup_add(&d, b, (size_t)idf(b, sizeof(b), i), (uint64_t)i + 1, i);
        if (i % 7 == 0) /* a retried id replaces its earlier entry */
            js_dedup_add(&d, b, (size_t)idf(b, sizeof(b), i), (uint64_t)i + 1, i);
        js_dedup_expire(&d, i, win);
        if (i % 997 == 0) {
            uint64_t seq;
            for (int k = i - win - 3; k <= i; k++) {
                if (k < 0)
                    continue;
                bool want = k >= i - win;
                assert_int_equal(js_dedup_find(&d, b, (size_t)idf(b, sizeof(b), k), &seq), want);
                if (want)
                    assert_int_equal(seq, (uint64_t)k + 1);
            }
        }
    }
    assert_int_equal(d.count, (size_t)win + 1);
    js_dedup_deinit(&d);
}

static void test_dedup_save_load(void **state)
{
    (void)state;
    char path[] = "/tmp/gn_dedup_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct js_dedup d, e;
    js_dedup_init(&d);
    js_dedup_init(&e);
    char b[32];
    for (int i = 0; i < 50000; i++)
        js_dedup_add(&d, b, (size_t)idf(b, sizeof(b), i), (uint64_t)i + 1, 1000 + i);
    js_dedup_add(&d, "", 0, 50001, 60000); /* empty id round-trips too */
    js_dedup_expire(&d, 1000 + 20000, 10000);
    assert_int_equal(js_dedup_save(&d, path, 50001), 0);
    assert_int_equal(js_dedup_load(&e, path, 50002), ERR_CORRUPT); /* stale stamp */
    assert_int_equal(e.count, 0);
    assert_int_equal(js_dedup_load(&e, path, 50001), 0);
    assert_int_equal(e.count, d.count);
    uint64_t seq;
    for (int i = 0; i < 50000; i++) {
        bool want = i >= 10000;
        assert_int_equal(js_dedup_find(&e, b, (size_t)idf(b, sizeof(b), i), &seq), want);
        if (want)
            assert_int_equal(seq, (uint64_t)i + 1);
    }
    size_t len = 1;
    assert_non_null(js_dedup_last(&e, 50001, &len));
    assert_int_equal(len, 0);
    js_dedup_expire(&e, 1000 + 30000, 10000); /* FIFO order survived the file */
    assert_false(js_dedup_find(&e, "id-19999", 8, &seq));
    assert_true(js_dedup_find(&e, "id-20000", 8, &seq));
    js_dedup_deinit(&e);

    /* Truncated file, old text format, missing file. */
    assert_int_equal(truncate(path, 1000), 0);
    js_dedup_init(&e);
    assert_int_equal(js_dedup_load(&e, path, 50001), ERR_CORRUPT);
    assert_int_equal(e.count, 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "gannet-dedup 1 50001\n1 1000 4:id-0\n");
    fclose(f);
    assert_int_equal(js_dedup_load(&e, path, 50001), ERR_CORRUPT);
    unlink(path);
    assert_int_equal(js_dedup_load(&e, path, 50001), ERR_NOTFOUND);
    js_dedup_deinit(&e);
    js_dedup_deinit(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dedup_add_find_replace),
        cmocka_unit_test(test_dedup_sliding_window),
        cmocka_unit_test(test_dedup_save_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
