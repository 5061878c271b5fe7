/* Unit tests for stream config decoding, defaults and validation
 * (js_stream_parse.c, js_stream_check.c, js_stream_json.c): every row's
 * expected output or error was produced by nats-server 2.9.10 for the same
 * $JS.API.STREAM.CREATE.<subject> request. Plus the checks that need other
 * streams (struct js_stream_env).
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

#include "jetstream/js_json.h"

#define S(x) (x), strlen(x)

/* Runs the create path on <body> for $JS.API.STREAM.CREATE.<subject>;
 * returns the config JSON or the error object in <out>. */
static int create(const char *subject, const char *body, const struct js_stream_env *env,
                  struct buf *out)
{
    struct js_stream_config c;
    enum js_err e = JS_ERR_NONE;
    char d[512];
    int rc = js_stream_config_parse(S(body), &c, &e, d, sizeof(d));
    if (rc == 0)
        rc = js_stream_config_check_create(subject, &c, env, &e, d, sizeof(d));
    if (rc == 0)
        js_stream_config_json(out, &c);
    else
        js_err_object(out, e, d);
    buf_append_char(out, '\0');
    js_stream_config_deinit(&c);
    return rc;
}

/* Accepted configs: request body -> the config nats-server stored. */
static const struct {
    const char *subject, *body, *want;
} ok_rows[] = {
    {"X", "{\"name\":\"X\"}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_consumers\":-1,\"max"
     "_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-"
     "1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":12000"
     "0000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":"
     "false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"NAME\":\"X\",\"Max_Msgs\":5}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_consumers\":-1,\"max"
     "_msgs\":5,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1"
     ",\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":120000"
     "000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":f"
     "alse,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X",
     "{\"name\":\"X\",\"max_msgs\":-7,\"max_bytes\":-9,\"max_consumers\":-3,\"max_msg_size\":-"
     "2,\"max_msgs_per_subject\":-4}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_consumers\":-3,\"max"
     "_msgs\":-7,\"max_bytes\":-9,\"max_age\":0,\"max_msgs_per_subject\":-4,\"max_msg_size\":-"
     "2,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":12000"
     "0000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":"
     "false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"retention\":\"workqueue\"}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"workqueue\",\"max_consumers\":-1,"
     "\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_siz"
     "e\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":"
     "120000000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_dele"
     "te\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"max_age\":100000000}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_consumers\":-1,\"max"
     "_msgs\":-1,\"max_bytes\":-1,\"max_age\":100000000,\"max_msgs_per_subject\":-1,\"max_msg_"
     "size\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window"
     "\":100000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_dele"
     "te\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X",
     "{\"name\":\"X\",\"discard_new_per_subject\":true,\"max_msgs_per_subject\":1,\"discard\":"
     "\"new\"}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_consumers\":-1,\"max"
     "_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":1,\"max_msg_size\":-1"
     ",\"discard\":\"new\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":120000"
     "000000,\"allow_direct\":false,\"mirror_direct\":false,\"discard_new_per_subject\":true,"
     "\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a.>\",\"b.>\",\"c.*.d\"]}",
     "{\"name\":\"X\",\"subjects\":[\"a.\\u003e\",\"b.\\u003e\",\"c.*.d\"],\"retention\":\"lim"
     "its\",\"max_consumers\":-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per"
     "_subject\":-1,\"max_msg_size\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replica"
     "s\":1,\"duplicate_window\":120000000000,\"allow_direct\":false,\"mirror_direct\":false,"
     "\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a.*x\",\"a.b\"]}",
     "{\"name\":\"X\",\"subjects\":[\"a.*x\",\"a.b\"],\"retention\":\"limits\",\"max_consumers"
     "\":-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_m"
     "sg_size\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_win"
     "dow\":120000000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"den"
     "y_delete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"description\":\"<b>&amp;</b> \\u2028 \\u00e9 \\ud800 tab\\tnl\\n\"}",
     "{\"name\":\"X\",\"description\":\"\\u003cb\\u003e\\u0026amp;\\u003c/b\\u003e \\u2028 "
     "\303\251 \357\277\275 tab\\tnl\\n\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_"
     "consumers\":-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-"
     "1,\"max_msg_size\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"dupl"
     "icate_window\":120000000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":fa"
     "lse,\"deny_delete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a.>\"],\"republish\":{\"dest\":\"b.>\"}}",
     "{\"name\":\"X\",\"subjects\":[\"a.\\u003e\"],\"retention\":\"limits\",\"max_consumers\":"
     "-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_"
     "size\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window"
     "\":120000000000,\"republish\":{\"src\":\"\\u003e\",\"dest\":\"b.\\u003e\"},\"allow_direc"
     "t\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":false,\"deny_purge\":"
     "false,\"allow_rollup_hdrs\":false}"},
    {"X",
     "{\"name\":\"X\",\"subjects\":[\"a.*\"],\"republish\":{\"src\":\"a.*\",\"dest\":\"b.{{par"
     "tition(3,1)}}\"}}",
     "{\"name\":\"X\",\"subjects\":[\"a.*\"],\"retention\":\"limits\",\"max_consumers\":-1,\"m"
     "ax_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size"
     "\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":1"
     "20000000000,\"republish\":{\"src\":\"a.*\",\"dest\":\"b.{{partition(3,1)}}\"},\"allow_di"
     "rect\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":false,\"deny_purge"
     "\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"discard\":\"NEW\"}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_consumers\":-1,\"max"
     "_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-"
     "1,\"discard\":\"new\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":12000"
     "0000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":"
     "false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"placement\":{\"cluster\":\"c\",\"tags\":null}}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_consumers\":-1,\"max"
     "_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-"
     "1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":12000"
     "0000000,\"placement\":{\"cluster\":\"c\"},\"allow_direct\":false,\"mirror_direct\":false"
     ",\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false"
     "}"},
    {"X", "{\"name\":\"X\",\"placement\":{\"tags\":[\"a\"]}}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_consumers\":-1,\"max"
     "_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-"
     "1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":12000"
     "0000000,\"placement\":{\"tags\":[\"a\"]},\"allow_direct\":false,\"mirror_direct\":false,"
     "\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"placement\":{}}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_consumers\":-1,\"max"
     "_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-"
     "1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":12000"
     "0000000,\"placement\":{},\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false"
     ",\"deny_delete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X",
     "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"opt_start_time\":\"2026-01-01T00:00:00.5+"
     "02:00\"}]}",
     "{\"name\":\"X\",\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1,\"max_byte"
     "s\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,\"discard\":\"old"
     "\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":120000000000,\"sources"
     "\":[{\"name\":\"Q\",\"opt_start_time\":\"2026-01-01T00:00:00.5+02:00\"}],\"allow_direct"
     "\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":false,\"deny_purge\":f"
     "alse,\"allow_rollup_hdrs\":false}"},
    {"X",
     "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"opt_start_time\":\"2024-02-29T23:59:59-05"
     ":30\"}]}",
     "{\"name\":\"X\",\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1,\"max_byte"
     "s\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,\"discard\":\"old"
     "\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":120000000000,\"sources"
     "\":[{\"name\":\"Q\",\"opt_start_time\":\"2024-02-29T23:59:59-05:30\"}],\"allow_direct\":"
     "false,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":false,\"deny_purge\":fals"
     "e,\"allow_rollup_hdrs\":false}"},
    {"X",
     "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"opt_start_time\":\"0001-01-01T00:00:00Z"
     "\"}]}",
     "{\"name\":\"X\",\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1,\"max_byte"
     "s\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,\"discard\":\"old"
     "\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":120000000000,\"sources"
     "\":[{\"name\":\"Q\",\"opt_start_time\":\"0001-01-01T00:00:00Z\"}],\"allow_direct\":false"
     ",\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false,\"a"
     "llow_rollup_hdrs\":false}"},
    {"X",
     "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"opt_start_time\":\"1970-01-01T00:00:00Z"
     "\"}]}",
     "{\"name\":\"X\",\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1,\"max_byte"
     "s\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,\"discard\":\"old"
     "\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":120000000000,\"sources"
     "\":[{\"name\":\"Q\",\"opt_start_time\":\"1970-01-01T00:00:00Z\"}],\"allow_direct\":false"
     ",\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false,\"a"
     "llow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"external\":{\"api\":\"$JS.API.x\"}}]}",
     "{\"name\":\"X\",\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1,\"max_byte"
     "s\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,\"discard\":\"old"
     "\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":120000000000,\"sources"
     "\":[{\"name\":\"Q\",\"external\":{\"api\":\"$JS.API.x\",\"deliver\":\"\"}}],\"allow_dire"
     "ct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":false,\"deny_purge"
     "\":false,\"allow_rollup_hdrs\":false}"},
    {"X",
     "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"external\":{\"api\":\"\",\"deliver\":"
     "\"\"}}]}",
     "{\"name\":\"X\",\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1,\"max_byte"
     "s\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,\"discard\":\"old"
     "\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":120000000000,\"sources"
     "\":[{\"name\":\"Q\",\"external\":{\"api\":\"\",\"deliver\":\"\"}}],\"allow_direct\":fals"
     "e,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false,"
     "\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"external\":null}]}",
     "{\"name\":\"X\",\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1,\"max_byte"
     "s\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,\"discard\":\"old"
     "\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":120000000000,\"sources"
     "\":[{\"name\":\"Q\"}],\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,"
     "\"deny_delete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"mirror\":{\"name\":\"\"}}",
     "{\"name\":\"X\",\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1,\"max_byte"
     "s\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,\"discard\":\"old"
     "\",\"storage\":\"file\",\"num_replicas\":1,\"mirror\":{\"name\":\"\"},\"allow_direct\":f"
     "alse,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false"
     ",\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"mirror\":{\"name\":\"Q\"},\"duplicate_window\":5000000000}",
     "{\"name\":\"X\",\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1,\"max_byte"
     "s\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,\"discard\":\"old"
     "\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":5000000000,\"mirror\":{"
     "\"name\":\"Q\"},\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_d"
     "elete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"mirror\":{\"name\":\"Q\"},\"mirror_direct\":true}",
     "{\"name\":\"X\",\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1,\"max_byte"
     "s\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,\"discard\":\"old"
     "\",\"storage\":\"file\",\"num_replicas\":1,\"mirror\":{\"name\":\"Q\"},\"allow_direct\":"
     "false,\"mirror_direct\":true,\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false"
     ",\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a.<&>\"]}",
     "{\"name\":\"X\",\"subjects\":[\"a.\\u003c\\u0026\\u003e\"],\"retention\":\"limits\",\"ma"
     "x_consumers\":-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject"
     "\":-1,\"max_msg_size\":-1,\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,"
     "\"duplicate_window\":120000000000,\"allow_direct\":false,\"mirror_direct\":false,\"seale"
     "d\":false,\"deny_delete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"foo\":{\"bar\":[1,2,{\"x\":null}]},\"max_msgs\":3}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_consumers\":-1,\"max"
     "_msgs\":3,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1"
     ",\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":120000"
     "000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":f"
     "alse,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X", "{\"name\":\"X\",\"max_msgs\":3,\"max_msgs\":4}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_consumers\":-1,\"max"
     "_msgs\":4,\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1"
     ",\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"duplicate_window\":120000"
     "000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":f"
     "alse,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    {"X",
     "{\"name\":\"X\",\"max_consumers\":10,\"max_msgs\":100,\"max_bytes\":1000000,\"max_age\":"
     "3600000000000,\"max_msgs_per_subject\":5,\"max_msg_size\":1024,\"storage\":\"memory\","
     "\"discard\":\"new\",\"duplicate_window\":60000000000}",
     "{\"name\":\"X\",\"subjects\":[\"X\"],\"retention\":\"limits\",\"max_consumers\":10,\"max"
     "_msgs\":100,\"max_bytes\":1000000,\"max_age\":3600000000000,\"max_msgs_per_subject\":5,"
     "\"max_msg_size\":1024,\"discard\":\"new\",\"storage\":\"memory\",\"num_replicas\":1,\"du"
     "plicate_window\":60000000000,\"allow_direct\":false,\"mirror_direct\":false,\"sealed\":f"
     "alse,\"deny_delete\":false,\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
};

static void test_config_accepted(void **state)
{
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof(ok_rows) / sizeof(ok_rows[0]); i++) {
        if (create(ok_rows[i].subject, ok_rows[i].body, NULL, &b) != 0)
            fail_msg("row %zu refused: %s", i, buf_head(&b));
        if (strcmp(buf_head(&b), ok_rows[i].want) != 0)
            fail_msg("row %zu:\n got  %s\n want %s", i, buf_head(&b), ok_rows[i].want);
        buf_clear(&b);
    }
    buf_deinit(&b);
}

/* Refused configs: request body -> err_code and description. */
static const struct {
    const char *subject, *body;
    int code;
    const char *desc;
} err_rows[] = {
    {"X", "null", 10056, "stream name in subject does not match request"},
    {"X", "5", 10025, "invalid JSON"},
    {"X", "[]", 10025, "invalid JSON"},
    {"X", "\"x\"", 10025, "invalid JSON"},
    {"X", "{}", 10056, "stream name in subject does not match request"},
    {"X", "{\"name\":\"X\"} x", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"max_msgs\":1.5}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"max_msgs\":1e3}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"max_msg_size\":2147483648}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"storage\":\"disk\"}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"retention\":\"lim\"}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"discard\":\"x\"}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"storage\":\"Memory\"}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"storage\":null}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"storage\":1}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"max_age\":-1}", 10052, "duplicates window can not be negative"},
    {"X", "{\"name\":\"X\",\"max_age\":99999999}", 10052, "max age needs to be >= 100ms"},
    {"X", "{\"name\":\"X\",\"duplicate_window\":-1}", 10052,
     "duplicates window can not be negative"},
    {"X", "{\"name\":\"X\",\"duplicate_window\":99999999}", 10052,
     "duplicates window needs to be >= 100ms"},
    {"X", "{\"name\":\"X\",\"duplicate_window\":200000000000,\"max_age\":100000000000}", 10052,
     "duplicates window can not be larger then max age"},
    {"X", "{\"name\":\"X\",\"num_replicas\":2}", 10074,
     "replicas > 1 not supported in non-clustered mode"},
    {"X", "{\"name\":\"X\",\"num_replicas\":6}", 10052, "maximum replicas is 5"},
    {"X", "{\"name\":\"X\",\"num_replicas\":-1}", 10133, "replicas count cannot be negative"},
    {"X", "{\"name\":\"X\",\"num_replicas\":5}", 10074,
     "replicas > 1 not supported in non-clustered mode"},
    {"X", "{\"name\":\"X\",\"deny_purge\":true,\"allow_rollup_hdrs\":true}", 10052,
     "roll-ups require the purge permission"},
    {"X", "{\"name\":\"X\",\"discard_new_per_subject\":true}", 10052,
     "discard new per subject requires discard new policy to be set"},
    {"X", "{\"name\":\"X\",\"discard_new_per_subject\":true,\"discard\":\"new\"}", 10052,
     "discard new per subject requires max msgs per subject > 0"},
    {"X", "{\"name\":\"X\",\"discard_new_per_subject\":true,\"max_msgs_per_subject\":1}", 10052,
     "discard new per subject requires discard new policy to be set"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a\",\"a\"]}", 10052, "duplicate subjects detected"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"$JS.API.>\"]}", 10052,
     "subjects overlap with jetstream api"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"$JS.API.X\"]}", 10052,
     "subjects overlap with jetstream api"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"$JS.API.*.*\"]}", 10052,
     "subjects overlap with jetstream api"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a..b\"]}", 10052, "invalid subject"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"\"]}", 10052, "invalid subject"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a b\"]}", 10052, "invalid subject"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a.*\",\"a.b\"]}", 10052,
     "subject \"a.*\" overlaps with \"a.b\""},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a.b\",\"a.*\"]}", 10052,
     "subject \"a.b\" overlaps with \"a.*\""},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a.>\",\"a.b\"]}", 10052,
     "subject \"a.>\" overlaps with \"a.b\""},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a.>.b\"]}", 10052, "invalid subject"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a.\\u003e.b\"]}", 10052, "invalid subject"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a\",null]}", 10052, "invalid subject"},
    {"X", "{\"name\":\"X\",\"subjects\":\"a\"}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"sealed\":true}", 10052,
     "stream configuration for create can not be sealed"},
    {"X", "{\"name\":\"X\",\"template_owner\":\"T\"}", 10049, "stream not owned by template"},
    {"X*", "{\"name\":\"X*\"}", 10052, "stream name is required and can not contain '.', '*', '>'"},
    {"X", "{\"name\":\"\"}", 10056, "stream name in subject does not match request"},
    {"X\\B", "{\"name\":\"X\\\\B\"}", 10128, "Stream name can not contain path separators"},
    {"X/B", "{\"name\":\"X/B\"}", 10128, "Stream name can not contain path separators"},
    {"X", "{\"name\":\"X\",\"republish\":{\"src\":\">\",\"dest\":\"X\"}}", 10052,
     "stream configuration for republish destination forms a cycle"},
    {"X", "{\"name\":\"X\",\"republish\":{\"dest\":\"\"}}", 10052,
     "stream configuration for republish not valid"},
    {"X", "{\"name\":\"X\",\"republish\":{\"src\":\"x\",\"dest\":\"y\"}}", 10052,
     "stream configuration for republish source is not valid subset of subjects"},
    {"X",
     "{\"name\":\"X\",\"subjects\":[\"a.>\"],\"republish\":{\"src\":\"a.>\",\"dest\":\"a.b\"}}",
     10052, "stream configuration for republish destination forms a cycle"},
    {"X",
     "{\"name\":\"X\",\"subjects\":[\"a.>\"],\"republish\":{\"src\":\"a.*\",\"dest\":\"b.*\"}}",
     10052, "stream configuration for republish not valid"},
    {"X",
     "{\"name\":\"X\",\"subjects\":[\"a.>\"],\"republish\":{\"src\":\"a.*\",\"dest\":\"b.>\"}}",
     10052, "stream configuration for republish not valid"},
    {"X", "{\"name\":\"X\",\"num_replicas\":1.0}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"sealed\":0}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"no_ack\":\"true\"}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"placement\":[]}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"placement\":{\"tags\":[1]}}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"opt_start_time\":\"bad\"}]}", 10025,
     "invalid JSON"},
    {"X",
     "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"opt_start_time\":\"2026-02-29T00:00:00Z"
     "\"}]}",
     10025, "invalid JSON"},
    {"X",
     "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"opt_start_time\":\"2026-01-01T24:00:00Z"
     "\"}]}",
     10025, "invalid JSON"},
    {"X",
     "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"opt_start_time\":\"2026-01-01 00:00:00Z"
     "\"}]}",
     10025, "invalid JSON"},
    {"X",
     "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"opt_start_time\":\"2026-01-01T00:00:00z"
     "\"}]}",
     10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"opt_start_time\":5}]}", 10025,
     "invalid JSON"},
    {"X", "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"opt_start_seq\":-1}]}", 10025,
     "invalid JSON"},
    {"X", "{\"name\":\"X\",\"mirror\":\"x\"}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"external\":{\"deliver\":\"a.*\"}}]}",
     10024, "stream external delivery prefix a.* must not contain wildcards"},
    {"X", "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"external\":{\"api\":\"a.*\"}}]}", 10052,
     "stream external api prefix \"a.*\" must be a valid subject without wildcards"},
    {"X", "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"external\":{\"api\":\"$JS.API\"}}]}",
     10021, "stream external api prefix $JS.API must not overlap with $JS.API"},
    {"X", "{\"name\":\"X\",\"sources\":[{\"name\":\"Q\",\"external\":{\"api\":\"$JS.*\"}}]}", 10052,
     "stream external api prefix \"$JS.*\" must be a valid subject without wildcards"},
    {"X", "{\"name\":\"X\",\"sources\":[{\"name\":\"X\"}]}", 10052, "detected cycle"},
    {"X", "{\"name\":\"X\",\"mirror\":{\"name\":\"X\"}}", 10052, "detected cycle"},
    {"X",
     "{\"name\":\"X\",\"sources\":[{\"name\":\"X\",\"filter_subject\":\"zz\"}],\"subjects\":["
     "\"a\"]}",
     10052, "detected cycle"},
    {"X", "{\"name\":\"X\",\"mirror_direct\":true}", 10052,
     "stream has no mirror but does have mirror direct"},
    {"X", "{\"name\":\"X\",\"mirror\":{\"name\":\"Q\"},\"subjects\":[\"a\"]}", 10034,
     "stream mirrors can not contain subjects"},
    {"X", "{\"name\":\"X\",\"mirror\":{\"name\":\"Q\"},\"sources\":[{\"name\":\"R\"}]}", 10031,
     "stream mirrors can not also contain other sources"},
    {"X", "{\"name\":\"X\",\"max_msgs\":9223372036854775808}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"max_age\":1e9}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"max_msgs\":01}", 10025, "invalid JSON"},
    {"X", "{\"name\":\"X\",\"subjects\":[\"a\\fb\"]}", 10052, "invalid subject"},
};

static void test_config_refused(void **state)
{
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof(err_rows) / sizeof(err_rows[0]); i++) {
        struct js_stream_config c;
        enum js_err e = JS_ERR_NONE;
        char d[512];
        int rc = js_stream_config_parse(S(err_rows[i].body), &c, &e, d, sizeof(d));
        if (rc == 0)
            rc = js_stream_config_check_create(err_rows[i].subject, &c, NULL, &e, d, sizeof(d));
        if (rc != ERR_INVAL || js_err_info(e)->err_code != err_rows[i].code ||
            strcmp(d, err_rows[i].desc) != 0)
            fail_msg("row %zu (%s): got %d %s", i, err_rows[i].body,
                     e ? js_err_info(e)->err_code : 0, d);
        js_stream_config_deinit(&c);
    }
    buf_deinit(&b);
}

/* A tiny account: other streams the checks may look up. */
struct account {
    struct js_stream_config cfg[4];
    size_t n;
};

static const struct js_stream_config *lookup(void *arg, const char *name)
{
    struct account *a = arg;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->cfg[i].name, name) == 0)
            return &a->cfg[i];
    return NULL;
}

static void add_stream(struct account *a, const char *body)
{
    enum js_err e;
    char d[256];
    struct js_stream_config *c = &a->cfg[a->n++];
    assert_int_equal(js_stream_config_parse(S(body), c, &e, d, sizeof(d)), 0);
    assert_int_equal(js_stream_config_check(c, NULL, &e, d, sizeof(d)), 0);
}

/* Each row was replayed against nats-server 2.9.10 holding the same
 * streams A (a.>, max_msg_size 100, allow_direct) and B (b.>, sourcing A). */
static void test_config_with_other_streams(void **state)
{
    static const struct {
        const char *subject, *body, *want;
    } rows[] = {
        {"M", "{\"name\":\"M\",\"mirror\":{\"name\":\"A\",\"filter_subject\":\"q.>\"}}",
         "{\"code\":500,\"err_code\":10052,\"description\":\"mirror 'A' filter subject "
         "'q.\\u003e' does not overlap with any origin stream subject\"}"},
        {"M", "{\"name\":\"M\",\"mirror\":{\"name\":\"A\"},\"max_msg_size\":5}",
         "{\"code\":400,\"err_code\":10030,\"description\":\"stream mirror must have max "
         "message size \\u003e= source\"}"},
        {"C", "{\"name\":\"C\",\"sources\":[{\"name\":\"A\"}],\"max_msg_size\":5}",
         "{\"code\":400,\"err_code\":10046,\"description\":\"stream source must have max "
         "message size \\u003e= target\"}"},
        {"C", "{\"name\":\"C\",\"sources\":[{\"name\":\"A\",\"filter_subject\":\"q.>\"}]}",
         "{\"code\":500,\"err_code\":10052,\"description\":\"source 'A' filter subject "
         "'q.\\u003e' does not overlap with any origin stream subject\"}"},
        {"E", "{\"name\":\"E\",\"sources\":[{\"name\":\"A\",\"external\":{\"deliver\":\"a\"}}]}",
         "{\"code\":400,\"err_code\":10022,\"description\":\"stream external delivery prefix a "
         "overlaps with stream subject a.\\u003e\"}"},
        {"A",
         "{\"name\":\"A\",\"subjects\":[\"a.>\"],\"sources\":[{\"name\":\"B\","
         "\"filter_subject\":\"b.x\"}]}",
         "{\"code\":500,\"err_code\":10052,\"description\":\"detected cycle\"}"},
        {"M", "{\"name\":\"M\",\"mirror\":{\"name\":\"A\"}}",
         "{\"name\":\"M\",\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1,"
         "\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,"
         "\"discard\":\"old\",\"storage\":\"file\",\"num_replicas\":1,\"mirror\":{\"name\":\"A\"},"
         "\"allow_direct\":false,\"mirror_direct\":true,\"sealed\":false,\"deny_delete\":false,"
         "\"deny_purge\":false,\"allow_rollup_hdrs\":false}"},
    };
    struct account a = {0};
    struct js_stream_env env = {.lookup = lookup, .lookup_arg = &a};
    struct buf b;
    buf_init(&b);
    add_stream(&a, "{\"name\":\"A\",\"subjects\":[\"a.>\"],\"max_msg_size\":100,"
                   "\"allow_direct\":true}");
    add_stream(&a, "{\"name\":\"B\",\"subjects\":[\"b.>\"],\"sources\":[{\"name\":\"A\"}]}");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        create(rows[i].subject, rows[i].body, &env, &b);
        if (strcmp(buf_head(&b), rows[i].want) != 0)
            fail_msg("row %zu:\n got  %s\n want %s", i, buf_head(&b), rows[i].want);
        buf_clear(&b);
    }
    /* While recovering, filters are not checked against origins. */
    env.recovering = true;
    assert_int_equal(create("C", rows[3].body, &env, &b), 0);
    buf_clear(&b);
    for (size_t i = 0; i < a.n; i++)
        js_stream_config_deinit(&a.cfg[i]);
    buf_deinit(&b);
}

static void test_config_server_limits(void **state)
{
    struct js_stream_env env = {.max_dup_window = 60 * 1000000000LL};
    struct buf b;
    buf_init(&b);
    assert_int_equal(create("X", "{\"name\":\"X\",\"duplicate_window\":120000000000}", &env, &b),
                     ERR_INVAL);
    assert_string_equal(buf_head(&b), "{\"code\":500,\"err_code\":10052,\"description\":"
                                      "\"duplicates window can not be larger then server limit "
                                      "of 1m0s\"}");
    buf_clear(&b);
    assert_int_equal(create("X", "{\"name\":\"X\"}", &env, &b), 0);
    assert_non_null(strstr(buf_head(&b), "\"duplicate_window\":60000000000,"));
    buf_clear(&b);

    env = (struct js_stream_env){.max_bytes_required = true};
    create("X", "{\"name\":\"X\"}", &env, &b);
    assert_non_null(strstr(buf_head(&b), "\"err_code\":10113"));
    buf_clear(&b);
    env = (struct js_stream_env){.store_max_stream_bytes = 1000, .mem_max_stream_bytes = 10};
    create("X", "{\"name\":\"X\",\"max_bytes\":2000}", &env, &b);
    assert_non_null(strstr(buf_head(&b), "\"err_code\":10122"));
    buf_clear(&b);
    assert_int_equal(create("X", "{\"name\":\"X\",\"max_bytes\":1000}", &env, &b), 0);
    buf_clear(&b);
    create("X", "{\"name\":\"X\",\"max_bytes\":11,\"storage\":\"memory\"}", &env, &b);
    assert_non_null(strstr(buf_head(&b), "\"err_code\":10122"));
    buf_clear(&b);

    /* Replicas > 1 are for clusters only. */
    env = (struct js_stream_env){.clustered = true};
    assert_int_equal(create("X", "{\"name\":\"X\",\"num_replicas\":3}", &env, &b), 0);
    assert_non_null(strstr(buf_head(&b), "\"num_replicas\":3,"));
    buf_deinit(&b);
}

/* Decoding details that do not depend on validation. */
static void test_config_decoding(void **state)
{
    struct js_stream_config c;
    enum js_err e;
    char d[64];
    /* Case-insensitive keys, unknown keys skipped, null keeps defaults. */
    assert_int_equal(js_stream_config_parse(S("{\"Name\":\"A\",\"SUBJECTS\":[\"x\"],\"zz\":1,"
                                              "\"max_bytes\":null,\"Deny_Delete\":true}"),
                                            &c, &e, d, sizeof(d)),
                     0);
    assert_string_equal(c.name, "A");
    assert_int_equal(c.nsubjects, 1);
    assert_int_equal(c.max_bytes, 0);
    assert_true(c.deny_delete);
    assert_int_equal(e, JS_ERR_NONE);
    js_stream_config_deinit(&c);
    /* 2.10 members are kept: first_seq and sorted metadata. */
    assert_int_equal(js_stream_config_parse(S("{\"name\":\"A\",\"first_seq\":7,\"metadata\":{"
                                              "\"z\":\"1\",\"a\":\"<2>\",\"m\":null}}"),
                                            &c, &e, d, sizeof(d)),
                     0);
    assert_int_equal(js_stream_config_check(&c, NULL, &e, d, sizeof(d)), 0);
    struct buf b;
    buf_init(&b);
    js_stream_config_json(&b, &c);
    buf_append_char(&b, '\0');
    assert_non_null(strstr(buf_head(&b), "\"duplicate_window\":120000000000,\"first_seq\":7,"
                                         "\"allow_direct\""));
    assert_non_null(strstr(buf_head(&b), "\"allow_rollup_hdrs\":false,\"metadata\":{\"a\":"
                                         "\"\\u003c2\\u003e\",\"m\":\"\",\"z\":\"1\"}}"));
    buf_deinit(&b);
    js_stream_config_deinit(&c);
    /* Wrong types anywhere are "invalid JSON". */
    static const char *const bad[] = {"{\"name\":\"A\",\"metadata\":{\"a\":1}}",
                                      "{\"name\":\"A\",\"first_seq\":-1}",
                                      "{\"name\":\"A\",\"sources\":[null]}",
                                      "{\"name\":\"A\",\"republish\":[]}",
                                      "{\"name\":\"A\",\"mirror\":{\"external\":5}}",
                                      "{\"name\":1}",
                                      "{\"name\":\"A\"",
                                      "\xff",
                                      ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(js_stream_config_parse(S(bad[i]), &c, &e, d, sizeof(d)), ERR_INVAL);
        assert_int_equal(e, JS_ERR_INVALID_JSON);
        assert_string_equal(d, "invalid JSON");
        js_stream_config_deinit(&c);
    }
    /* A NULL detail buffer is allowed. */
    assert_int_equal(js_stream_config_parse(S("x"), &c, &e, NULL, 0), ERR_INVAL);
    js_stream_config_deinit(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_accepted),
        cmocka_unit_test(test_config_refused),
        cmocka_unit_test(test_config_with_other_streams),
        cmocka_unit_test(test_config_server_limits),
        cmocka_unit_test(test_config_decoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
