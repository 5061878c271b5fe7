/* libFuzzer target for the JetStream JSON layer: every request parser gets
 * the input; a stream config that parses is checked (create and update) and
 * its encoding must re-parse to the same encoding; times and subject
 * transforms get the text too. Never crash, leak or disagree with itself. */
#include "jetstream/js_json.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            __builtin_trap();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* encode(parse(encode(c))) == encode(c). */
static void roundtrip(const struct js_stream_config *c)
{
    struct buf a, b;
    struct js_stream_config again;
    buf_init(&a);
    buf_init(&b);
    js_stream_config_json(&a, c);
    CHECK(js_stream_config_parse(buf_head(&a), buf_size(&a), &again, NULL, NULL, 0) == 0);
    js_stream_config_json(&b, &again);
    CHECK(buf_size(&a) == buf_size(&b) && !memcmp(buf_head(&a), buf_head(&b), buf_size(&a)));
    js_stream_config_deinit(&again);
    buf_deinit(&a);
    buf_deinit(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *st;
    char *z = xstrndup(s, size), d[256];
    struct js_stream_config c, old;
    enum js_err e = JS_ERR_NONE;
    union {
        struct js_stream_names_req n;
        struct js_stream_info_req i;
        struct js_purge_req p;
        struct js_msg_get_req g;
        struct js_msg_delete_req m;
    } r;
    if (js_stream_config_parse(s, size, &c, &e, d, sizeof(d)) == 0) {
        roundtrip(&c);
        js_stream_config_copy(&old, &c);
        CHECK(js_stream_config_equal(&old, &c));
        if (js_stream_config_check_create(c.name ? c.name : "x", &c, NULL, &e, d, sizeof(d)) == 0)
            roundtrip(&c);
        if (js_stream_config_check_update(old.name, &c, &old, NULL, &e, d, sizeof(d)) == 0)
            roundtrip(&old);
        js_stream_config_deinit(&old);
    }
    CHECK(e == JS_ERR_NONE || js_err_info(e) != NULL);
    js_stream_config_deinit(&c);
    if (js_stream_names_req_parse(s, size, &r.n, &e, NULL, 0) == 0)
        CHECK(r.n.offset >= 0);
    js_stream_names_req_deinit(&r.n);
    (void)js_stream_info_req_parse(s, size, &r.i, &e, NULL, 0);
    js_stream_info_req_deinit(&r.i);
    if (js_purge_req_parse(s, size, &r.p, &e, NULL, 0) == 0)
        CHECK(r.p.seq == 0 || r.p.keep == 0);
    js_purge_req_deinit(&r.p);
    (void)js_msg_get_req_parse(s, size, &r.g, &e, NULL, 0);
    js_msg_get_req_deinit(&r.g);
    CHECK(js_direct_get_req_parse(s, size, &r.g, &st) == (st ? 408 : 0));
    js_msg_get_req_deinit(&r.g);
    (void)js_msg_delete_req_parse(s, size, &r.m, &e, NULL, 0);
    (void)js_subject_transform_check(z, "x.>");
    (void)js_subject_transform_check("a.*.>", z);
    int64_t ns, ns2;
    int32_t tz, tz2;
    if (js_time_parse(s, size, &ns, &tz) == 0 && ns != JS_TIME_ZERO) {
        size_t n = js_time_fmt(ns, tz, d, sizeof(d));
        CHECK(js_time_parse(d, n, &ns2, &tz2) == 0 && ns2 == ns && tz2 == tz);
    }
    struct buf b;
    buf_init(&b);
    if (js_base64_decode(s, size, &b) == 0)
        CHECK(buf_size(&b) <= size);
    buf_deinit(&b);
    free(z);
    return 0;
}
