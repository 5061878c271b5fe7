/* libFuzzer target for the consumer JSON layer: the input is a consumer
 * config (its encoding must re-parse to the same encoding, and the checks
 * must hold together), a create request and subject, a pull request, an ack
 * body and an ack subject. Never crash, leak or disagree with itself. */
#include "jetstream/js_consumer_json.h"
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

static void config_checks(const struct js_consumer_config *c, const struct js_consumer_env *env)
{
    struct buf a, b;
    struct js_consumer_config again, chk;
    char d[256];
    enum js_err e = JS_ERR_NONE;
    buf_init(&a);
    buf_init(&b);
    js_consumer_config_json(&a, c);
    CHECK(js_consumer_config_parse(buf_head(&a), buf_size(&a), &again, NULL, NULL, 0) == 0);
    js_consumer_config_json(&b, &again);
    CHECK(buf_size(&a) == buf_size(&b) && !memcmp(buf_head(&a), buf_head(&b), buf_size(&a)));
    CHECK(js_consumer_config_equal(c, &again));
    js_consumer_config_copy(&chk, c);
    if (js_consumer_config_check(&chk, env, &e, d, sizeof(d)) == 0) {
        CHECK(chk.max_deliver != 0 && (chk.deliver_subject || chk.max_waiting > 0));
        if (js_consumer_config_check_new(&chk, "n", env, &e, d, sizeof(d)) == 0)
            (void)js_consumer_config_check_update(&chk, &again, false, &e, d, sizeof(d));
    }
    CHECK(e == JS_ERR_NONE || js_err_info(e) != NULL);
    js_consumer_config_deinit(&chk);
    js_consumer_config_deinit(&again);
    buf_deinit(&a);
    buf_deinit(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct js_stream_config st;
    const char *s = (const char *)data;
    char *z = xstrndup(s, size), d[256];
    enum js_err e;
    if (st.name == NULL) {
        CHECK(js_stream_config_parse("{\"name\":\"S\",\"subjects\":[\"s.>\"]}", 31, &st, NULL, NULL,
                                     0) == 0);
        CHECK(js_stream_config_check(&st, NULL, NULL, NULL, 0) == 0);
    }
    struct js_consumer_env env = {.stream = &st, .srv_max_request_batch = 10};
    struct js_consumer_config c;
    if (js_consumer_config_parse(s, size, &c, &e, d, sizeof(d)) == 0)
        config_checks(&c, &env);
    js_consumer_config_deinit(&c);
    struct js_consumer_create_req req;
    struct js_consumer_create_subject sj;
    int rc = js_consumer_create_req_parse(s, size, &req, &e, d, sizeof(d));
    if (rc == 0 && js_consumer_create_subject_parse(z, &sj) == 0)
        (void)js_consumer_create_req_check(&sj, &req, false, &e, d, sizeof(d));
    js_consumer_create_req_deinit(&req);
    int64_t off;
    if (js_consumer_names_req_parse(s, size, &off, &e, NULL, 0) == 0)
        CHECK(off >= 0);
    struct buf st_buf;
    struct js_pull_req pr;
    struct js_ack_body ab;
    buf_init(&st_buf);
    CHECK((js_pull_req_parse(s, size, &pr, &st_buf) < 0) == (buf_size(&st_buf) > 0));
    js_ack_body_parse(s, size, &ab);
    if (ab.op == JS_ACK_OP_NEXT)
        (void)js_pull_req_parse(ab.next, ab.next_len, &pr, &st_buf);
    struct js_ack_reply ar, ar2;
    buf_clear(&st_buf);
    if (js_ack_reply_parse(s, size, &ar) == 0) {
        char *sn = xstrndup(ar.stream, ar.stream_len), *cn = xstrndup(ar.consumer, ar.consumer_len);
        js_ack_reply_build(&st_buf, sn, cn, ar.delivered, ar.sseq, ar.cseq, ar.ts, ar.pending);
        CHECK(js_ack_reply_parse(buf_head(&st_buf), buf_size(&st_buf), &ar2) == 0);
        CHECK(ar2.sseq == ar.sseq && ar2.cseq == ar.cseq && ar2.ts == ar.ts);
        free(sn);
        free(cn);
    }
    buf_deinit(&st_buf);
    free(z);
    return 0;
}
