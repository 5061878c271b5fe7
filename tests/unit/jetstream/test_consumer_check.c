/* Unit tests for the consumer create checks (js_consumer_check.c): every
 * create request captured from nats-server 2.9.10 (captures_consumer.h) is
 * replayed through subject parse, body parse, handler checks, config checks
 * and the new/update steps against a model of the server's streams and
 * consumers, and the response built from the outcome must equal the
 * captured bytes. Plus table tests of the pieces on their own.
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

#include "captures_consumer.h"
#include "jetstream/js_consumer_json.h"

#include <jansson.h>
#include <stdlib.h>

#define S(x)        (x), strlen(x)
#define MAX_STREAMS 16
#define MAX_CONS    32

/* ---- a model of the server the captures came from ---- */

struct cons {
    char *stream, *name;
    int64_t created;
    struct js_consumer_config cfg;
};

struct world {
    struct js_stream_config streams[MAX_STREAMS];
    size_t nstreams;
    struct cons cons[MAX_CONS];
    size_t ncons;
    const char *bound; /* the deliver subject a client subscribed to */
    int64_t srv_max_ack_pending, srv_max_request_batch;
};

static const struct js_stream_config *lookup(void *arg, const char *name)
{
    struct world *w = arg;
    for (size_t i = 0; i < w->nstreams; i++)
        if (strcmp(w->streams[i].name, name) == 0)
            return &w->streams[i];
    return NULL;
}

static void add_stream(struct world *w, const char *json)
{
    struct js_stream_env env = {.lookup = lookup, .lookup_arg = w};
    struct js_stream_config *c = &w->streams[w->nstreams];
    enum js_err e;
    char d[256];
    assert_true(w->nstreams < MAX_STREAMS);
    assert_int_equal(js_stream_config_parse(S(json), c, &e, d, sizeof(d)), 0);
    assert_int_equal(js_stream_config_check(c, &env, &e, d, sizeof(d)), 0);
    w->nstreams++;
}

static void world_init(struct world *w)
{
    memset(w, 0, sizeof(*w));
    add_stream(w, "{\"name\":\"S\",\"subjects\":[\"s.>\"]}");
    add_stream(w, "{\"name\":\"W\",\"subjects\":[\"w.>\"],\"retention\":\"workqueue\"}");
    add_stream(w, "{\"name\":\"WQ\",\"subjects\":[\"wq.>\"],\"retention\":\"workqueue\"}");
    add_stream(w, "{\"name\":\"M\",\"subjects\":[\"m.>\"],\"max_consumers\":1}");
    add_stream(w, "{\"name\":\"O\",\"subjects\":[\"o.>\"]}");
    add_stream(w, "{\"name\":\"MI\",\"mirror\":{\"name\":\"O\"}}");
    add_stream(w, "{\"name\":\"MI2\",\"mirror\":{\"name\":\"MI\"}}");
    add_stream(w, "{\"name\":\"SO\",\"subjects\":[\"so.>\"],\"sources\":[{\"name\":\"MI\","
                  "\"filter_subject\":\"o.y\"},{\"name\":\"nonexist\"}]}");
    add_stream(w, "{\"name\":\"SX\",\"subjects\":[\"sx.>\"],\"sources\":[{\"name\":\"O\","
                  "\"external\":{\"api\":\"$JS.x.API\",\"deliver\":\"dx\"}}]}");
}

static void world_deinit(struct world *w)
{
    for (size_t i = 0; i < w->nstreams; i++)
        js_stream_config_deinit(&w->streams[i]);
    for (size_t i = 0; i < w->ncons; i++) {
        free(w->cons[i].stream);
        free(w->cons[i].name);
        js_consumer_config_deinit(&w->cons[i].cfg);
    }
}

static struct cons *find_cons(struct world *w, const char *stream, const char *name)
{
    for (size_t i = 0; i < w->ncons; i++)
        if (strcmp(w->cons[i].stream, stream) == 0 && strcmp(w->cons[i].name, name) == 0)
            return &w->cons[i];
    return NULL;
}

/* The env of a stream: its other consumers' filters and counts. */
static void make_env(struct world *w, const struct js_stream_config *st,
                     struct js_consumer_env *env, const char **filters)
{
    memset(env, 0, sizeof(*env));
    env->stream = st;
    env->lookup = lookup;
    env->lookup_arg = w;
    env->other_filters = filters;
    env->max_consumers = st->max_consumers;
    env->srv_max_ack_pending = w->srv_max_ack_pending;
    env->srv_max_request_batch = w->srv_max_request_batch;
    for (size_t i = 0; i < w->ncons; i++) {
        if (strcmp(w->cons[i].stream, st->name) != 0)
            continue;
        filters[env->nother++] = w->cons[i].cfg.filter_subject;
        env->num_public_consumers += !w->cons[i].cfg.direct;
    }
}

/* A string member of the captured response (NULL when absent). */
static char *resp_str(const char *resp, const char *key)
{
    json_t *j = json_loads(resp, 0, NULL), *v = j ? json_object_get(j, key) : NULL;
    char *s = json_is_string(v) ? strdup(json_string_value(v)) : NULL;
    json_decref(j);
    return s;
}

static int64_t resp_time(const char *resp)
{
    char *t = resp_str(resp, "created");
    int64_t ns = 0;
    int32_t tz;
    assert_non_null(t);
    assert_int_equal(js_time_parse(t, strlen(t), &ns, &tz), 0);
    free(t);
    return ns;
}

static void error_resp(struct buf *b, enum js_err e, const char *d)
{
    js_resp_consumer_error(b, JS_RESP_CONSUMER_CREATE, e, d);
}

/* The create/update step after the config checks; fills <b> with the
 * response. <keep> records a new consumer in the model. */
static void create_step(struct world *w, const struct js_consumer_create_subject *sj,
                        struct js_consumer_create_req *req, const struct js_stream_config *st,
                        const struct js_consumer_env *env, const char *cap, bool keep,
                        struct buf *b)
{
    struct js_consumer_config *c = &req->config;
    enum js_err e;
    char d[256], *gen = NULL, *sname = strndup(sj->stream, sj->stream_len);
    const char *name = c->durable_name ? c->durable_name : c->name;
    /* A legacy ephemeral gets a generated name; the capture tells which
     * (a failed create has none, but any 8-letter name passes the checks). */
    if (name == NULL && (name = gen = resp_str(cap, "name")) == NULL)
        name = "Generatd";
    struct cons *old = find_cons(w, sname, name);
    int64_t created = old ? old->created : 0;
    if (old) {
        bool bound =
            w->bound && old->cfg.deliver_subject && strcmp(w->bound, old->cfg.deliver_subject) == 0;
        if (js_consumer_config_check_update(&old->cfg, c, bound, &e, d, sizeof(d)) < 0) {
            error_resp(b, e, d);
            goto out;
        }
        js_consumer_config_deinit(&old->cfg);
        js_consumer_config_copy(&old->cfg, c);
    } else {
        if (js_consumer_config_check_new(c, name, env, &e, d, sizeof(d)) < 0) {
            error_resp(b, e, d);
            goto out;
        }
        created = resp_time(cap);
        if (keep) {
            struct cons *n = &w->cons[w->ncons++];
            n->stream = strdup(sname);
            n->name = strdup(name);
            n->created = created;
            js_consumer_config_copy(&n->cfg, c);
        }
    }
    struct js_consumer_info ci = {
        .stream_name = st->name,
        .name = name,
        .created = created,
        .config = c,
        .push_bound = w->bound && c->deliver_subject && !strcmp(w->bound, c->deliver_subject),
    };
    js_resp_consumer_create(b, &ci);
out:
    free(gen);
    free(sname);
}

/* Replays one captured create request; returns the rebuilt response. */
static void replay(struct world *w, const struct capc_row *r, bool keep, struct buf *b)
{
    struct js_consumer_create_subject sj;
    struct js_consumer_create_req req;
    struct js_consumer_env env;
    const char *filters[MAX_CONS];
    enum js_err e;
    char d[256];
    char subject[600];
    buf_clear(b);
    snprintf(subject, sizeof(subject), "CONSUMER.%s", r->subject);
    if (js_consumer_create_subject_parse(subject, &sj) < 0)
        return; /* 2.9.10 does not answer */
    if (js_consumer_create_req_parse(S(r->body), &req, &e, d, sizeof(d)) < 0 ||
        js_consumer_create_req_check(&sj, &req, false, &e, d, sizeof(d)) < 0) {
        error_resp(b, e, d);
        goto out;
    }
    const struct js_stream_config *st = lookup(w, req.stream_name);
    if (st == NULL) {
        error_resp(b, JS_ERR_STREAM_NOT_FOUND, NULL);
        goto out;
    }
    make_env(w, st, &env, filters);
    if (js_consumer_config_check(&req.config, &env, &e, d, sizeof(d)) < 0) {
        error_resp(b, e, d);
        goto out;
    }
    create_step(w, &sj, &req, st, &env, r->resp, keep, b);
out:
    js_consumer_create_req_deinit(&req);
}

static void replay_rows(struct world *w, const struct capc_row *rows, size_t n, bool keep)
{
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        replay(w, &rows[i], keep, &b);
        buf_append_char(&b, '\0');
        if (strcmp(buf_head(&b), rows[i].resp) != 0)
            fail_msg("row %zu %s %.200s\n want %s\n got  %s", i, rows[i].subject, rows[i].body,
                     rows[i].resp, buf_head(&b));
    }
    buf_deinit(&b);
}

static void test_consumer_check_create_rows(void **state)
{
    struct world w;
    world_init(&w);
    replay_rows(&w, CAPC_CREATE_ROWS, sizeof(CAPC_CREATE_ROWS) / sizeof(CAPC_CREATE_ROWS[0]),
                false);
    world_deinit(&w);
}

static void test_consumer_check_sequence_rows(void **state)
{
    struct world w;
    world_init(&w);
    w.bound = "bound";
    replay_rows(&w, CAPC_SEQ_ROWS, sizeof(CAPC_SEQ_ROWS) / sizeof(CAPC_SEQ_ROWS[0]), true);
    world_deinit(&w);
}

static void test_consumer_check_server_limits(void **state)
{
    struct world w;
    world_init(&w);
    w.srv_max_ack_pending = 100;
    w.srv_max_request_batch = 50;
    replay_rows(&w, CAPC_LIMIT_ROWS, sizeof(CAPC_LIMIT_ROWS) / sizeof(CAPC_LIMIT_ROWS[0]), false);
    world_deinit(&w);
}

/* ---- the pieces ---- */

static void test_consumer_check_subject_forms(void **state)
{
    static const struct {
        const char *subject;
        int rc;
        enum js_consumer_create_kind kind;
        const char *stream, *name, *filter;
    } rows[] = {
        {"CONSUMER.CREATE.S", 0, JS_CCREATE_EPHEMERAL, "S", NULL, NULL},
        {"CONSUMER.CREATE.S.n", 0, JS_CCREATE_NAMED, "S", "n", NULL},
        {"CONSUMER.CREATE.S.n.a.*.>", 0, JS_CCREATE_NAMED, "S", "n", "a.*.>"},
        {"CONSUMER.DURABLE.CREATE.S.d", 0, JS_CCREATE_DURABLE, "S", "d", NULL},
        {"CONSUMER.DURABLE.CREATE.S", -1, 0, NULL, NULL, NULL},
        {"CONSUMER.DURABLE.CREATE.S.d.x", -1, 0, NULL, NULL, NULL},
        {"CONSUMER.DURABLE.INFO.S.d", -1, 0, NULL, NULL, NULL},
        {"CONSUMER.CREATE", -1, 0, NULL, NULL, NULL},
        {"CONSUMER.CREATE.", -1, 0, NULL, NULL, NULL},
        {"CONSUMER.CREATE.S..x", -1, 0, NULL, NULL, NULL},
        {"CONSUMER.CREATE.S.n.", -1, 0, NULL, NULL, NULL},
        {"CONSUMER.INFO.S.n", -1, 0, NULL, NULL, NULL},
        {"STREAM.CREATE.S", -1, 0, NULL, NULL, NULL},
        {"", -1, 0, NULL, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct js_consumer_create_subject sj;
        int rc = js_consumer_create_subject_parse(rows[i].subject, &sj);
        if ((rc < 0 ? -1 : 0) != rows[i].rc)
            fail_msg("%s: %d", rows[i].subject, rc);
        if (rc < 0)
            continue;
        assert_int_equal(sj.kind, rows[i].kind);
        assert_int_equal(sj.stream_len, strlen(rows[i].stream));
        assert_memory_equal(sj.stream, rows[i].stream, sj.stream_len);
        if (rows[i].name) {
            assert_int_equal(sj.name_len, strlen(rows[i].name));
            assert_memory_equal(sj.name, rows[i].name, sj.name_len);
        } else {
            assert_null(sj.name);
        }
        if (rows[i].filter) {
            assert_int_equal(sj.filter_len, strlen(rows[i].filter));
            assert_memory_equal(sj.filter, rows[i].filter, sj.filter_len);
        } else {
            assert_null(sj.filter);
        }
    }
}

/* Parses and checks <body> for a pull consumer on stream S. */
static int check_body(const char *body, struct js_consumer_config *out, enum js_err *e, char *d,
                      size_t cap)
{
    struct js_stream_config st;
    struct js_consumer_env env = {.stream = &st};
    char sd[128];
    assert_int_equal(js_stream_config_parse(S("{\"name\":\"S\",\"subjects\":[\"s.>\"]}"), &st, e,
                                            sd, sizeof(sd)),
                     0);
    assert_int_equal(js_stream_config_check(&st, NULL, e, sd, sizeof(sd)), 0);
    assert_int_equal(js_consumer_config_parse(S(body), out, e, d, cap), 0);
    int rc = js_consumer_config_check(out, &env, e, d, cap);
    js_stream_config_deinit(&st);
    return rc;
}

static void test_consumer_check_defaults(void **state)
{
    struct js_consumer_config c;
    enum js_err e;
    char d[256];
    assert_int_equal(check_body("{\"ack_policy\":\"all\"}", &c, &e, d, sizeof(d)), 0);
    assert_int_equal(c.ack_wait, 30000000000LL);
    assert_int_equal(c.max_deliver, -1);
    assert_int_equal(c.max_waiting, 512);
    assert_int_equal(c.max_ack_pending, 1000);
    assert_int_equal(c.inactive_threshold, 0); /* applied by _check_new() */
    js_consumer_config_deinit(&c);
    /* ack none: neither ack_wait nor max_ack_pending; push: no max_waiting */
    assert_int_equal(check_body("{\"deliver_subject\":\"d\"}", &c, &e, d, sizeof(d)), 0);
    assert_int_equal(c.ack_wait, 0);
    assert_int_equal(c.max_ack_pending, 0);
    assert_int_equal(c.max_waiting, 0);
    js_consumer_config_deinit(&c);
    /* backoff overrides ack_wait whatever the ack policy */
    assert_int_equal(
        check_body("{\"backoff\":[7,8,9],\"max_deliver\":4,\"ack_wait\":3}", &c, &e, d, sizeof(d)),
        0);
    assert_int_equal(c.ack_wait, 7);
    js_consumer_config_deinit(&c);
    /* the error text carries Go's %q quoting of the sample */
    assert_int_equal(check_body("{\"sample_freq\":\"\\t%\"}", &c, &e, d, sizeof(d)), ERR_INVAL);
    assert_int_equal(e, JS_ERR_CONSUMER_INVALID_SAMPLING);
    assert_string_equal(d, "failed to parse consumer sampling configuration: strconv.Atoi: "
                           "parsing \"\\t\": invalid syntax");
    js_consumer_config_deinit(&c);
}

static void test_consumer_check_new_and_update(void **state)
{
    struct js_stream_config st;
    struct js_consumer_config old, c;
    enum js_err e;
    char d[256];
    const char *filters[] = {"s.a", NULL};
    struct js_consumer_env env = {.stream = &st, .other_filters = filters, .nother = 1};
    assert_int_equal(js_stream_config_parse(S("{\"name\":\"S\",\"subjects\":[\"s.>\"],"
                                              "\"retention\":\"workqueue\"}"),
                                            &st, &e, d, sizeof(d)),
                     0);
    assert_int_equal(js_stream_config_check(&st, NULL, &e, d, sizeof(d)), 0);
    /* a workqueue filter overlapping without subset relation is accepted */
    assert_int_equal(js_consumer_config_parse(S("{\"ack_policy\":\"explicit\",\"filter_subject\":"
                                                "\"s.b\"}"),
                                              &c, &e, d, sizeof(d)),
                     0);
    assert_int_equal(js_consumer_config_check(&c, &env, &e, d, sizeof(d)), 0);
    assert_int_equal(js_consumer_config_check_new(&c, "n", &env, &e, d, sizeof(d)), 0);
    assert_int_equal(c.inactive_threshold, 5000000000LL);
    /* an unfiltered other consumer makes any filter non-unique */
    env.nother = 2;
    assert_int_equal(js_consumer_config_check_new(&c, "n", &env, &e, d, sizeof(d)), ERR_INVAL);
    assert_int_equal(e, JS_ERR_CONSUMER_WQ_CONSUMER_NOT_UNIQUE);
    /* updates: a deliver subject change is fine unless bound */
    js_consumer_config_deinit(&c);
    assert_int_equal(
        js_consumer_config_parse(S("{\"deliver_subject\":\"a\"}"), &old, &e, d, sizeof(d)), 0);
    assert_int_equal(
        js_consumer_config_parse(S("{\"deliver_subject\":\"b\"}"), &c, &e, d, sizeof(d)), 0);
    assert_int_equal(js_consumer_config_check_update(&old, &c, false, &e, d, sizeof(d)), 0);
    assert_int_equal(c.inactive_threshold, 5000000000LL); /* old was not durable */
    assert_int_equal(js_consumer_config_check_update(&old, &c, true, &e, d, sizeof(d)), ERR_INVAL);
    assert_int_equal(e, JS_ERR_CONSUMER_NAME_EXIST);
    js_consumer_config_deinit(&c);
    assert_int_equal(js_consumer_config_parse(S("{}"), &c, &e, d, sizeof(d)), 0);
    assert_int_equal(js_consumer_config_check_update(&old, &c, false, &e, d, sizeof(d)), ERR_INVAL);
    assert_int_equal(e, JS_ERR_CONSUMER_CREATE);
    assert_string_equal(d, "can not update push consumer to pull based");
    assert_int_equal(js_consumer_config_check_update(&c, &old, false, &e, d, sizeof(d)), ERR_INVAL);
    assert_string_equal(d, "can not update pull consumer to push based");
    js_consumer_config_deinit(&c);
    js_consumer_config_deinit(&old);
    js_stream_config_deinit(&st);
}

static void test_consumer_check_go_atoi(void **state)
{
    static const struct {
        const char *in;
        int rc;
        int64_t v;
        const char *err;
    } rows[] = {
        {"0", 0, 0, ""},
        {"+5", 0, 5, ""},
        {"-5", 0, -5, ""},
        {"007", 0, 7, ""},
        {"9223372036854775807", 0, INT64_MAX, ""},
        {"-9223372036854775808", 0, INT64_MIN, ""},
        {"9223372036854775808", -1, 0,
         "strconv.Atoi: parsing \"9223372036854775808\": value out "
         "of range"},
        {"18446744073709551616x", -1, 0,
         "strconv.Atoi: parsing \"18446744073709551616x\": value "
         "out of range"},
        {"18446744073709551615x", -1, 0,
         "strconv.Atoi: parsing \"18446744073709551615x\": "
         "invalid syntax"},
        {"%", -1, 0, "strconv.Atoi: parsing \"\": invalid syntax"},
        {"-", -1, 0, "strconv.Atoi: parsing \"-\": invalid syntax"},
        {"1_000", -1, 0, "strconv.Atoi: parsing \"1_000\": invalid syntax"},
        {"0x10", -1, 0, "strconv.Atoi: parsing \"0x10\": invalid syntax"},
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct js_consumer_config c;
        enum js_err e;
        char d[256], body[128];
        snprintf(body, sizeof(body), "{\"sample_freq\":\"%s\"}", rows[i].in);
        int rc = check_body(body, &c, &e, d, sizeof(d));
        js_consumer_config_deinit(&c);
        if (rows[i].rc == 0 && rows[i].v >= 0) {
            if (rc != 0)
                fail_msg("%s: %s", rows[i].in, d);
            continue;
        }
        if (rc != ERR_INVAL)
            fail_msg("%s accepted", rows[i].in);
        buf_clear(&b);
        buf_appendf(&b, "failed to parse consumer sampling configuration: %s%c",
                    rows[i].rc ? rows[i].err : "<nil>", '\0');
        assert_string_equal(d, buf_head(&b));
    }
    buf_deinit(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_consumer_check_create_rows),
        cmocka_unit_test(test_consumer_check_sequence_rows),
        cmocka_unit_test(test_consumer_check_server_limits),
        cmocka_unit_test(test_consumer_check_subject_forms),
        cmocka_unit_test(test_consumer_check_defaults),
        cmocka_unit_test(test_consumer_check_new_and_update),
        cmocka_unit_test(test_consumer_check_go_atoi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
