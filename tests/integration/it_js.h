/* it_js: JetStream stream integration cases (libnats jsCtx plus raw $JS.API requests).
 *
 * Each case is a function it_case_<name>() listed in it_js_cases.def. It starts its own server
 * with JetStream on a fresh store dir (`-js -sd <temp dir>`) through itj_start(), prints one
 * "ok:" line per property it checked and returns normally on success; a failed check ends the
 * process through it_fail(). Error codes are the err_code values of nats-server 2.9.10.
 */
#ifndef GN_IT_JS_H
#define GN_IT_JS_H

#include "harness.h"

#include <jansson.h>

#define IT_CASE(name)        void it_case_##name(void);
#define IT_CASE_GANNET(name) void it_case_##name(void);
#include "it_js_cases.def"
#undef IT_CASE
#undef IT_CASE_GANNET

#define ITJ_API_TIMEOUT 5000 /* ms for one $JS.API request */

/* A JetStream-enabled server and one client connected to it. Caller storage. */
struct itj_env {
    struct it_server srv; /* the server under test */
    char store[256];      /* -sd directory, removed by it_cleanup_all() */
    natsConnection *nc;   /* client connection, NULL while disconnected */
    jsCtx *js;            /* JetStream context of nc */
};

/* A stream configuration with room for its subject list. Caller storage. */
struct itj_stream {
    jsStreamConfig cfg;      /* libnats config; cfg.Subjects points into subjects[] */
    const char *subjects[4]; /* borrowed subject strings */
};

/* Makes a fresh store dir, starts the server with `-js -sd <dir>` and connects a client with a
 * JetStream context (API wait ITJ_API_TIMEOUT). Fails the test on any error. */
void itj_start(struct itj_env *env);

/* Destroys the JetStream context and the connection (no-op when not connected). */
void itj_disconnect(struct itj_env *env);

/* Connects a new client and JetStream context to the running env->srv. */
void itj_reconnect(struct itj_env *env);

/* Disconnects and stops the server, removing its temp dirs. */
void itj_stop(struct itj_env *env);

/* Fills <st> with defaults (jsStreamConfig_Init), <name> and up to two subjects (<subj2> may be
 * NULL; a NULL <subj1> leaves the subject list empty). The strings stay borrowed. */
void itj_stream_init(struct itj_stream *st, const char *name, const char *subj1, const char *subj2);

/* Adds the stream with js_AddStream; fails the test on error. */
void itj_stream_add(struct itj_env *env, struct itj_stream *st);

/* Returns js_GetStreamInfo(<name>); fails the test on error. The caller destroys it with
 * jsStreamInfo_Destroy(). */
jsStreamInfo *itj_stream_info(struct itj_env *env, const char *name);

/* Checks that stream <name> holds <msgs> messages from <first> to <last> (sequences). */
void itj_expect_state(struct itj_env *env, const char *name, uint64_t msgs, uint64_t first,
                      uint64_t last, const char *what);

/* Publishes <data> to <subj> with js_Publish and <opts> (may be NULL); fails the test on
 * error. Returns the PubAck sequence; <*dup> (may be NULL) receives PubAck.duplicate. */
uint64_t itj_pub(struct itj_env *env, const char *subj, const char *data, jsPubOptions *opts,
                 bool *dup);

/* Publishes <data> to <subj> with one header <hname>: <hval> (both may be NULL for none) and
 * expects a PubAck error; returns its err_code (0 when libnats gave none). Fails the test when
 * the publish succeeds. <opts> may be NULL. */
int itj_pub_fail(struct itj_env *env, const char *subj, const char *data, const char *hname,
                 const char *hval, jsPubOptions *opts);

/* Publishes <data> to <subj> with one header <hname>: <hval> and expects a PubAck; returns its
 * sequence. */
uint64_t itj_pub_hdr(struct itj_env *env, const char *subj, const char *data, const char *hname,
                     const char *hval);

/* Sends <body> (may be NULL or "") as a request to <subject> and returns the JSON reply; fails
 * the test on timeout or when the reply is not a JSON object. The caller json_decref()s it. */
json_t *itj_api(struct itj_env *env, const char *subject, const char *body);

/* Returns the reply's error.err_code, or 0 when it has no "error" object. */
int itj_err_code(const json_t *reply);

/* Returns the reply's error.description, or "" when there is none. Borrowed from <reply>. */
const char *itj_err_desc(const json_t *reply);

/* Sends <body> to <subject>, checks that the reply is an error with <err_code> and prints the
 * description with <what>. */
void itj_api_expect_err(struct itj_env *env, const char *subject, const char *body, int err_code,
                        const char *what);

/* Returns integer member <key> of <obj> (a JSON object), failing the test when it is missing or
 * not an integer. */
json_int_t itj_json_int(const json_t *obj, const char *key);

/* Returns string member <key> of <obj>, or "" when it is missing or not a string. Borrowed. */
const char *itj_json_str(const json_t *obj, const char *key);

#endif
