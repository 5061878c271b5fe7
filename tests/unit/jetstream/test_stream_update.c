/* Unit tests for the STREAM.UPDATE rules (js_stream_config_check_update)
 * and the config copy/equality helpers. Each row: the config nats-server
 * 2.9.10 stored for a create, an update request, and what 2.9.10 answered
 * (the stored config, or err_code and description).
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

#include "jetstream/js_json.h"

#define S(x) (x), strlen(x)

/* Parses <body> and applies the create checks (the stored config). */
static void stored(struct js_stream_config *c, const char *body)
{
    enum js_err e;
    char d[256];
    assert_int_equal(js_stream_config_parse(S(body), c, &e, d, sizeof(d)), 0);
    assert_int_equal(js_stream_config_check_create("U", c, NULL, &e, d, sizeof(d)), 0);
}

static const struct {
    const char *subject, *create, *update;
    int code;         /* 0 = accepted */
    const char *want; /* stored config, or the error description */
} rows[] = {
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}", 0,
     "{\"name\":\"U\",\"subjects\":[\"u.\\u003e\"],\"retention\":\"limits\",\"max_consumers\":"
     "-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_"
     "size\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window"
     "\":120000000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_d"
     "elete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"V", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}", "{\"name\":\"V\",\"subjects\":[\"u.>\"]}",
     10059, "stream not found"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}", "{\"name\":\"V\",\"subjects\":[\"u.>\"]}",
     10056, "stream name in subject does not match request"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"max_consumers\":3}", 10052,
     "stream configuration update can not change MaxConsumers"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"max_consumers\":3}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"]}", 10052,
     "stream configuration update can not change MaxConsumers"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"storage\":\"memory\"}", 10052,
     "stream configuration update can not change storage type"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"retention\":\"workqueue\"}", 10052,
     "stream configuration update can not change retention policy"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"template_owner\":\"T\"}", 10052,
     "stream configuration update can not be owned by a template"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"deny_delete\":true}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"]}", 10052,
     "stream configuration update can not cancel deny message deletes"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"deny_purge\":true}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"]}", 10052,
     "stream configuration update can not cancel deny purge"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"deny_purge\":true,\"deny_delete\":true}", 0,
     "{\"name\":\"U\",\"subjects\":[\"u.\\u003e\"],\"retention\":\"limits\",\"max_consumers\":"
     "-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_"
     "size\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window"
     "\":120000000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_d"
     "elete\":true,\"deny_purge\":true,\"allow_rollup_hdrs\":false}"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"sealed\":true}", 0,
     "{\"name\":\"U\",\"subjects\":[\"u.\\u003e\"],\"retention\":\"limits\",\"max_consumers\":"
     "-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_"
     "size\":-1,\"discard\":\"new\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window"
     "\":120000000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":true,\"deny_de"
     "lete\":true,\"deny_purge\":true,\"allow_rollup_hdrs\":false}"},
    {"U",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"allow_rollup_hdrs\":true,\"max_age\":5000000000"
     "}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"sealed\":true,\"allow_rollup_hdrs\":true,\"max_"
     "age\":5000000000}",
     0,
     "{\"name\":\"U\",\"subjects\":[\"u.\\u003e\"],\"retention\":\"limits\",\"max_consumers\":"
     "-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_"
     "size\":-1,\"discard\":\"new\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window"
     "\":5000000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":true,\"deny_dele"
     "te\":true,\"deny_purge\":true,\"allow_rollup_hdrs\":false}"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"republish\":{\"dest\":\"r.>\"}}", 10052,
     "stream configuration update can not change RePublish"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"republish\":{\"dest\":\"r.>\"}}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"]}", 10052,
     "stream configuration update can not change RePublish"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"republish\":{\"dest\":\"r.>\"}}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"republish\":{\"src\":\">\",\"dest\":\"r.>\"}}", 0,
     "{\"name\":\"U\",\"subjects\":[\"u.\\u003e\"],\"retention\":\"limits\",\"max_consumers\":"
     "-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_"
     "size\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window"
     "\":120000000000,\"republish\":{\"src\":\"\\u003e\",\"dest\":\"r.\\u003e\"},\"allow_direc"
     "t\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":false,\"deny_purge\":"
     "false,\"allow_rollup_hdrs\":false}"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"republish\":{\"dest\":\"r.>\"}}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"republish\":{\"dest\":\"r.>\",\"headers_only\":"
     "true}}",
     10052, "stream configuration update can not change RePublish"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}", "{\"name\":\"U\",\"mirror\":{\"name\":\"Z\"}}",
     10055, "stream mirror configuration can not be updated"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"num_replicas\":3}", 0,
     "{\"name\":\"U\",\"subjects\":[\"u.\\u003e\"],\"retention\":\"limits\",\"max_consumers\":"
     "-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_"
     "size\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":3,\"duplicate_window"
     "\":120000000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_d"
     "elete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"num_replicas\":7}", 10052, "maximum replicas is 5"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\",\"v\"],\"max_msgs\":5,\"description\":\"d\",\"max_"
     "age\":10000000000,\"duplicate_window\":0}",
     0,
     "{\"name\":\"U\",\"description\":\"d\",\"subjects\":[\"u.\\u003e\",\"v\"],\"retention\":"
     "\"limits\",\"max_consumers\":-1,\"max_msgs\":5,\"max_bytes\":-1,\"max_age\":10000000000,"
     "\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,\"discard\":\"old\",\"storage\":\"file"
     "\",\"num_replicas\":1,\"duplicate_window\":10000000000,\"allow_direct\":false,\"mirror_d"
     "irect\":false,\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false,\"allow_rollup"
     "_hdrs\":false}"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"discard_new_per_subject\":true}", 10052,
     "discard new per subject requires discard new policy to be set"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"discard\":\"new\",\"max_msgs_per_subject\":2,"
     "\"discard_new_per_subject\":true}",
     0,
     "{\"name\":\"U\",\"subjects\":[\"u.\\u003e\"],\"retention\":\"limits\",\"max_consumers\":"
     "-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":2,\"max_msg_s"
     "ize\":-1,\"discard\":\"new\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window"
     "\":120000000000,\"allow_direct\":false,\"mirror_direct\":false,\"discard_new_per_subject"
     "\":true,\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false,\"allow_rollup_hdrs"
     "\":false}"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}", "x", 10025, "invalid JSON"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}", "", 10025, "invalid JSON"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}", "{}", 10052,
     "stream name is required and can not contain '.', '*', '>'"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"$JS.API.>\"]}", 10052, "subjects overlap with jetstream api"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"sources\":[{\"name\":\"U\"}]}", 10052,
     "detected cycle"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"placement\":{\"cluster\":\"c\"}}", 0,
     "{\"name\":\"U\",\"subjects\":[\"u.\\u003e\"],\"retention\":\"limits\",\"max_consumers\":"
     "-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_"
     "size\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window"
     "\":120000000000,\"placement\":{\"cluster\":\"c\"},\"allow_direct\":false,\"mirror_direct"
     "\":false,\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false,\"allow_rollup_hdrs"
     "\":false}"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"]}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"allow_direct\":true,\"mirror_direct\":true}", 0,
     "{\"name\":\"U\",\"subjects\":[\"u.\\u003e\"],\"retention\":\"limits\",\"max_consumers\":"
     "-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_"
     "size\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window"
     "\":120000000000,\"allow_direct\":true,\"mirror_direct\":true,\"sealed\":false,\"deny_del"
     "ete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"U", "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"sealed\":false}",
     "{\"name\":\"U\",\"subjects\":[\"u.>\"],\"sealed\":true,\"deny_purge\":false}", 0,
     "{\"name\":\"U\",\"subjects\":[\"u.\\u003e\"],\"retention\":\"limits\",\"max_consumers\":"
     "-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_"
     "size\":-1,\"discard\":\"new\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window"
     "\":120000000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":true,\"deny_de"
     "lete\":true,\"deny_purge\":true,\"allow_rollup_hdrs\":false}"},
};

static void test_update_rules(void **state)
{
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct js_stream_config old, c;
        enum js_err e = JS_ERR_NONE;
        char d[512];
        stored(&old, rows[i].create);
        /* The request names a stream that exists only when it is U. */
        const struct js_stream_config *o = strcmp(rows[i].subject, "U") == 0 ? &old : NULL;
        int rc = js_stream_config_parse(S(rows[i].update), &c, &e, d, sizeof(d));
        if (rc == 0)
            rc = js_stream_config_check_update(rows[i].subject, o, &c, NULL, &e, d, sizeof(d));
        if (rows[i].code == 0) {
            if (rc != 0)
                fail_msg("row %zu refused: %s", i, d);
            js_stream_config_json(&b, &c);
            buf_append_char(&b, '\0');
            if (strcmp(buf_head(&b), rows[i].want) != 0)
                fail_msg("row %zu:\n got  %s\n want %s", i, buf_head(&b), rows[i].want);
            buf_clear(&b);
        } else if (rc != ERR_INVAL || js_err_info(e)->err_code != rows[i].code ||
                   strcmp(d, rows[i].want) != 0) {
            fail_msg("row %zu: got %d %s", i, rc ? js_err_info(e)->err_code : 0, d);
        }
        js_stream_config_deinit(&c);
        js_stream_config_deinit(&old);
    }
    buf_deinit(&b);
}

static void test_update_copy_and_equal(void **state)
{
    static const char *const bodies[] = {
        "{\"name\":\"U\"}",
        "{\"name\":\"U\",\"description\":\"d\",\"subjects\":[\"a\",\"b.*\"],\"placement\":{"
        "\"cluster\":\"c\",\"tags\":[\"t1\",\"t2\"]},\"republish\":{\"dest\":\"r.>\"},"
        "\"metadata\":{\"k\":\"v\"},\"first_seq\":9,\"max_age\":1000000000}",
        "{\"name\":\"U\",\"sources\":[{\"name\":\"A\",\"opt_start_seq\":2,\"filter_subject\":\"f\","
        "\"external\":{\"api\":\"x\",\"deliver\":\"y\"}},{\"name\":\"B\",\"opt_start_time\":"
        "\"2026-01-01T00:00:00+01:00\"}]}",
        "{\"name\":\"U\",\"mirror\":{\"name\":\"A\",\"opt_start_time\":\"2026-01-01T00:00:00Z\"}}",
    };
    struct js_stream_config c[4], copy;
    for (size_t i = 0; i < 4; i++)
        stored(&c[i], bodies[i]);
    for (size_t i = 0; i < 4; i++) {
        js_stream_config_copy(&copy, &c[i]);
        for (size_t k = 0; k < 4; k++)
            assert_int_equal(js_stream_config_equal(&copy, &c[k]), i == k);
        /* One changed member anywhere breaks equality. */
        copy.no_ack = !copy.no_ack;
        assert_false(js_stream_config_equal(&copy, &c[i]));
        js_stream_config_deinit(&copy);
    }
    js_stream_config_copy(&copy, &c[2]);
    copy.sources[1].opt_start_time_tz = 0;
    assert_false(js_stream_config_equal(&copy, &c[2]));
    js_stream_config_deinit(&copy);
    js_stream_config_copy(&copy, &c[1]);
    free(copy.metadata[0].value);
    copy.metadata[0].value = NULL;
    assert_false(js_stream_config_equal(&copy, &c[1]));
    js_stream_config_deinit(&copy);
    for (size_t i = 0; i < 4; i++)
        js_stream_config_deinit(&c[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_update_rules),
        cmocka_unit_test(test_update_copy_and_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
