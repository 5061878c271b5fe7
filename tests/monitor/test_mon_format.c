/* Unit tests of the monitor's output formats: the JSON writer and Go-style indentation, Go's
 * float, uptime and duration forms, the Prometheus exposition helpers and the lock-free
 * histogram. Byte strings in, byte strings out. */
/* cmocka.h needs these first. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
// clang-format on

#include "monitor/mon_int.h"
#include "util/hist.h"

static void expect_double(double v, const char *want)
{
    struct buf b;
    struct jw w;
    buf_init(&b);
    jw_init(&w, &b);
    jw_double(&w, NULL, v);
    buf_append_char(&b, '\0');
    assert_string_equal(buf_head(&b), want);
    buf_deinit(&b);
}

static void test_json_float_like_go(void **state)
{
    expect_double(0, "0");
    expect_double(1, "1");
    expect_double(0.5, "0.5");
    expect_double(2, "2");
    expect_double(0.1, "0.1");
    expect_double(0.16129032258064516, "0.16129032258064516");
    expect_double(0.8, "0.8");
    expect_double(123456789, "123456789");
    expect_double(1e-7, "1e-7");
    expect_double(1e21, "1e+21");
    expect_double(-2.5, "-2.5");
}

static void expect_prom(double v, const char *want)
{
    char out[64];
    mon_fmt_double(v, out, sizeof(out));
    assert_string_equal(out, want);
}

static void test_prom_float_like_go_g(void **state)
{
    expect_prom(1e-05, "1e-05");
    expect_prom(2.5e-05, "2.5e-05");
    expect_prom(0.0001, "0.0001");
    expect_prom(0.25, "0.25");
    expect_prom(10, "10");
    expect_prom(123456, "123456");
    expect_prom(1e6, "1e+06");
    expect_prom(1.8446744073709552e19, "1.8446744073709552e+19");
    expect_prom(0, "0");
}

static void expect_uptime(int64_t s, const char *want)
{
    char out[64];
    mon_fmt_uptime(s * 1000000000LL + 999, out, sizeof(out));
    assert_string_equal(out, want);
}

static void test_uptime_like_nats_server(void **state)
{
    expect_uptime(0, "0s");
    expect_uptime(59, "59s");
    expect_uptime(61, "1m1s");
    expect_uptime(3600, "1h0m0s");
    expect_uptime(3661, "1h1m1s");
    expect_uptime(90061, "1d1h1m1s");
    expect_uptime(400 * 86400LL, "1y35d0h0m0s");
}

static void test_rtt_truncated_to_microseconds(void **state)
{
    char out[64];
    mon_fmt_rtt(493123, out, sizeof(out));
    assert_string_equal(out, "493µs");
    mon_fmt_rtt(1500000, out, sizeof(out));
    assert_string_equal(out, "1.5ms");
    mon_fmt_rtt(900, out, sizeof(out));
    assert_string_equal(out, "900ns");
    mon_fmt_rtt(0, out, sizeof(out));
    assert_string_equal(out, "0s");
}

static void test_writer_and_indent(void **state)
{
    struct buf b, pretty;
    struct jw w;
    buf_init(&b);
    buf_init(&pretty);
    jw_init(&w, &b);
    jw_obj_open(&w, NULL);
    jw_int(&w, "a", -1);
    jw_arr_open(&w, "b");
    jw_arr_close(&w);
    jw_obj_open(&w, "c");
    jw_obj_close(&w);
    jw_arr_open(&w, "d");
    jw_uint(&w, NULL, UINT64_MAX);
    jw_str(&w, NULL, "x,y:{<>&}");
    jw_arr_close(&w);
    jw_raw(&w, "e", "{\"k\":[true,null]}");
    jw_bool(&w, "f", false);
    jw_obj_close(&w);
    buf_append_char(&b, '\0');
    assert_string_equal(buf_head(&b), "{\"a\":-1,\"b\":[],\"c\":{},\"d\":[18446744073709551615,"
                                      "\"x,y:{\\u003c\\u003e\\u0026}\"],\"e\":{\"k\":[true,null]},"
                                      "\"f\":false}");
    mon_json_indent(buf_head(&b), buf_size(&b) - 1, &pretty);
    buf_append_char(&pretty, '\0');
    assert_string_equal(buf_head(&pretty),
                        "{\n  \"a\": -1,\n  \"b\": [],\n  \"c\": {},\n  \"d\": [\n"
                        "    18446744073709551615,\n    \"x,y:{\\u003c\\u003e\\u0026}\"\n  ],\n"
                        "  \"e\": {\n    \"k\": [\n      true,\n      null\n    ]\n  },\n"
                        "  \"f\": false\n}");
    buf_deinit(&b);
    buf_deinit(&pretty);
}

static void test_prom_sorted_and_escaped(void **state)
{
    struct prom p;
    struct buf out;
    prom_init(&p);
    buf_init(&out);
    struct prom_label l[2] = {{"zeta", "a\"b\\c\nd"}, {"alpha", "1"}};
    prom_add_u64(&p, "z_metric", "last", "gauge", l, 2, 7);
    prom_add_i64(&p, "a_metric", "first\nline", "counter", NULL, 0, -3);
    prom_add_u64(&p, "z_metric", "last", "gauge", l, 1, 8);
    assert_true(prom_has(&p, "a_metric"));
    prom_write(&p, &out);
    buf_append_char(&out, '\0');
    assert_string_equal(buf_head(&out), "# HELP a_metric first\\nline\n# TYPE a_metric counter\n"
                                        "a_metric -3\n"
                                        "# HELP z_metric last\n# TYPE z_metric gauge\n"
                                        "z_metric{alpha=\"1\",zeta=\"a\\\"b\\\\c\\nd\"} 7\n"
                                        "z_metric{zeta=\"a\\\"b\\\\c\\nd\"} 8\n");
    buf_deinit(&out);
}

static void test_histogram_buckets(void **state)
{
    struct hist h;
    struct hist_snapshot s;
    hist_init(&h);
    hist_record(&h, 5000);        /* <= 10 µs */
    hist_record(&h, 10000);       /* == the first bound */
    hist_record(&h, 30000);       /* <= 50 µs */
    hist_record(&h, -1);          /* counts as 0 */
    hist_record(&h, 20000000000); /* > 10 s: +Inf */
    hist_snapshot_get(&h, &s);
    assert_int_equal(s.count, 5);
    assert_int_equal(s.cumulative[0], 3);
    assert_int_equal(s.cumulative[1], 3);
    assert_int_equal(s.cumulative[2], 4);
    assert_int_equal(s.cumulative[HIST_NBUCKETS - 2], 4);
    assert_int_equal(s.cumulative[HIST_NBUCKETS - 1], 5);
    assert_int_equal(s.sum_ns, 5000 + 10000 + 30000 + 20000000000ULL);
    assert_int_equal(hist_bound_ns(0), 10000);
    assert_int_equal(hist_bound_ns(HIST_NBUCKETS - 2), 10000000000LL);
    assert_int_equal(hist_bound_ns(HIST_NBUCKETS - 1), INT64_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_float_like_go),
        cmocka_unit_test(test_prom_float_like_go_g),
        cmocka_unit_test(test_uptime_like_nats_server),
        cmocka_unit_test(test_rtt_truncated_to_microseconds),
        cmocka_unit_test(test_writer_and_indent),
        cmocka_unit_test(test_prom_sorted_and_escaped),
        cmocka_unit_test(test_histogram_buckets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
