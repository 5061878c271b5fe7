/* it_mon: the HTTP monitoring port, checked from outside like operators, KEDA and Prometheus
 * see it.
 *
 * Each case is a function it_case_<name>() listed in it_mon_cases.def; it starts its own server
 * with `-m <free port>` (and JetStream on a temp store when it needs it), drives load through
 * libnats, reads the endpoints over plain HTTP/1.0 and compares them with what it sent. The
 * same cases run against the reference nats-server 2.9.10 unless marked IT_CASE_GANNET, so the
 * expected figures are nats-server's own.
 */
#ifndef GN_IT_MON_H
#define GN_IT_MON_H

#include "harness.h"

#include <jansson.h>

#define IT_CASE(name)        void it_case_##name(void);
#define IT_CASE_GANNET(name) void it_case_##name(void);
#include "it_mon_cases.def"
#undef IT_CASE
#undef IT_CASE_GANNET

/* A server with its monitoring port and one client. Caller storage, zeroed. */
struct mon_env {
    struct it_server srv; /* the server under test */
    int mport;            /* its HTTP monitoring port */
    char store[256];      /* JetStream store dir ("" without JetStream) */
    natsConnection *nc;   /* a client connection (named "mon-main") */
    jsCtx *js;            /* JetStream context of nc, NULL without JetStream */
};

/* Starts a server with `-m <port>` (plus `-js -sd <temp dir>` when <js>) and the config
 * <conf_text> (may be NULL), waits for the monitoring port, connects env->nc. */
void mon_start(struct mon_env *env, bool js, const char *conf_text);
/* Disconnects and stops the server. */
void mon_stop(struct mon_env *env);

/* One HTTP response. */
struct http_resp {
    int status;      /* 200, 400, 404, 503, ... */
    char ctype[128]; /* Content-Type header value, "" when absent */
    char *body;      /* NUL-terminated body (heap) */
    size_t len;
};

/* GET http://127.0.0.1:<port><path> over HTTP/1.0; retries the connect for up to 5 s; fails the
 * test on any other error. Free with http_resp_free(). */
void http_get(int port, const char *path, struct http_resp *r);
void http_resp_free(struct http_resp *r);
/* GET that must answer 200 with Content-Type application/json; returns the parsed body (caller
 * decrefs). */
json_t *http_json(int port, const char *path);
/* GET that must answer <status> with a plain-text body equal to <text>. */
void http_expect_text(int port, const char *path, int status, const char *text);

/* Integer member at the dotted <path> ("jetstream.stats.api.total") of <o>; fails the test
 * when missing or not a number. */
int64_t jget_int(json_t *o, const char *path);
/* String member at <path>, or fails. */
const char *jget_str(json_t *o, const char *path);
/* The element of array <arr> whose member <key> equals the string or integer <val>, or NULL. */
json_t *jfind(json_t *arr, const char *key, const char *val);

/* Opens an extra named client connection to env's server (caller destroys it). */
natsConnection *mon_connect(struct mon_env *env, const char *name);
/* Publishes <n> messages of <size> bytes on <subj> from <nc> and flushes. */
void mon_publish(natsConnection *nc, const char *subj, int n, int size);
/* Polls <path> until integer member <field> equals <want> (5 s); fails otherwise. */
void mon_wait_int(int port, const char *path, const char *field, int64_t want);

/* Runs <argv> with stdin from <input> (may be NULL), collecting stdout+stderr into <out>
 * (capacity <cap>). Returns the exit status, or -1 when <argv>[0] cannot be run. */
int mon_run(const char *const *argv, const char *input, size_t input_len, char *out, size_t cap);
/* Full path of program <name> found in $PATH or /usr/bin, or NULL. */
const char *mon_which(const char *name);

#endif
