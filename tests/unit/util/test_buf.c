/* Unit tests for util/buf: growth, consumption, compaction, formatting. */
/* cmocka.h needs these first; keep clang-format from sorting them. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "util/buf.h"

#include <string.h>

static void test_buf_append_and_consume(void **state)
{
    struct buf b;
    buf_init(&b);
    buf_append_str(&b, "hello ");
    buf_append(&b, "world", 5);
    assert_int_equal(buf_size(&b), 11);
    assert_memory_equal(buf_head(&b), "hello world", 11);
    buf_consume(&b, 6);
    assert_int_equal(buf_size(&b), 5);
    assert_memory_equal(buf_head(&b), "world", 5);
    buf_consume(&b, 5);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.off, 0);
    buf_deinit(&b);
}

static void test_buf_growth_keeps_content(void **state)
{
    struct buf b;
    buf_init(&b);
    for (int i = 0; i < 100000; i++)
        buf_append_char(&b, (char)('a' + i % 26));
    assert_int_equal(buf_size(&b), 100000);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(buf_head(&b)[i], 'a' + i % 26);
    buf_deinit(&b);
}

static void test_buf_compact_and_shrink(void **state)
{
    struct buf b;
    buf_init(&b);
    buf_append_str(&b, "0123456789");
    buf_consume(&b, 4);
    buf_compact(&b);
    assert_int_equal(b.off, 0);
    assert_memory_equal(b.data, "456789", 6);
    buf_clear(&b);
    buf_shrink(&b, 0);
    assert_null(b.data);
    assert_int_equal(b.cap, 0);
    buf_deinit(&b);
}

static void test_buf_numbers_and_format(void **state)
{
    struct buf b;
    buf_init(&b);
    buf_append_u64(&b, 0);
    buf_append_char(&b, ' ');
    buf_append_u64(&b, 18446744073709551615ULL);
    buf_appendf(&b, " %s-%d", "x", 42);
    buf_append_char(&b, '\0');
    assert_string_equal(buf_head(&b), "0 18446744073709551615 x-42");
    buf_deinit(&b);
}

/* Found by fuzz_consumer_json: buf_head of a never-written buffer was
 * NULL + 0, undefined behaviour when passed on with a zero length. */
static void test_buf_head_of_empty_buffer_is_valid(void **state)
{
    struct buf b;
    buf_init(&b);
    assert_non_null(buf_head(&b));
    assert_int_equal(buf_size(&b), 0);
    buf_deinit(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_append_and_consume),
        cmocka_unit_test(test_buf_growth_keeps_content),
        cmocka_unit_test(test_buf_compact_and_shrink),
        cmocka_unit_test(test_buf_numbers_and_format),
        cmocka_unit_test(test_buf_head_of_empty_buffer_is_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
