/* Unit tests for util/nuid: lengths, alphabets, uniqueness. */
/* cmocka.h needs these first; keep clang-format from sorting them. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "util/nuid.h"

#include <string.h>

static void test_nuid_format_and_uniqueness(void **state)
{
    struct nuid n;
    nuid_init(&n);
    char prev[NUID_LEN + 1] = "";
    for (int i = 0; i < 10000; i++) {
        char id[NUID_LEN + 1];
        nuid_next(&n, id);
        assert_int_equal(strlen(id), NUID_LEN);
        for (int k = 0; k < NUID_LEN; k++)
            assert_non_null(
                strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", id[k]));
        assert_string_not_equal(id, prev);
        memcpy(prev, id, sizeof(id));
    }
}

static void test_nuid_server_id(void **state)
{
    char a[SERVER_ID_LEN + 1], b[SERVER_ID_LEN + 1];
    nuid_server_id(a);
    nuid_server_id(b);
    assert_int_equal(strlen(a), SERVER_ID_LEN);
    assert_int_equal(a[0], 'N');
    assert_string_not_equal(a, b);
    for (int k = 0; k < SERVER_ID_LEN; k++)
        assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", a[k]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nuid_format_and_uniqueness),
        cmocka_unit_test(test_nuid_server_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
