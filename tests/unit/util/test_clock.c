/* Unit tests for util/clock: RFC 3339 and Go duration formatting. */
/* cmocka.h needs these first; keep clang-format from sorting them. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "util/clock.h"

static void test_clock_rfc3339(void **state)
{
    char out[64];
    clock_fmt_rfc3339(0, out, sizeof(out));
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    clock_fmt_rfc3339(1795356584193146633LL, out, sizeof(out));
    assert_string_equal(out, "2026-11-22T14:09:44.193146633Z");
    clock_fmt_rfc3339(1500000000LL, out, sizeof(out));
    assert_string_equal(out, "1970-01-01T00:00:01.5Z");
}

static void test_clock_duration_like_go(void **state)
{
    static const struct {
        int64_t ns;
        const char *want;
    } rows[] = {
        {0, "0s"},
        {999, "999ns"},
        {1500, "1.5µs"},
        {250 * NS_PER_MS, "250ms"},
        {NS_PER_SEC, "1s"},
        {1500 * NS_PER_MS, "1.5s"},
        {120 * NS_PER_SEC, "2m0s"},
        {3600 * NS_PER_SEC + 90 * NS_PER_SEC, "1h1m30s"},
        {-NS_PER_SEC, "-1s"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char out[64];
        clock_fmt_duration(rows[i].ns, out, sizeof(out));
        assert_string_equal(out, rows[i].want);
    }
}

static void test_clock_monotonic_advances(void **state)
{
    int64_t a = clock_mono_ns(), b = clock_mono_ns();
    assert_true(b >= a);
    assert_true(clock_real_ns() > 1600000000LL * NS_PER_SEC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock_rfc3339),
        cmocka_unit_test(test_clock_duration_like_go),
        cmocka_unit_test(test_clock_monotonic_advances),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
