/* it_jsc: JetStream consumer integration cases (libnats pull/push subscriptions, acks, raw
 * $JS.API.CONSUMER.* requests and raw pulls that show the 404/408/409 status messages).
 *
 * Each case is a function jsc_case_<name>() listed in it_jsc_cases.def. It starts its own
 * JetStream server through itj_start() (it_js.h), prints one "ok:" line per property it checked
 * and returns normally on success; a failed check ends the process through it_fail(). Expected
 * values are what nats-server 2.9.10 does; waits are bounded and sized for a loaded CI machine.
 */
#ifndef GN_IT_JSC_H
#define GN_IT_JSC_H

#include "it_js.h"

#define IT_CASE(name)        void jsc_case_##name(void);
#define IT_CASE_GANNET(name) void jsc_case_##name(void);
#include "it_jsc_cases.def"
#undef IT_CASE
#undef IT_CASE_GANNET

#define ITC_NS_PER_MS  1000000LL /* nanoseconds in a millisecond (JetStream durations are ns) */
#define ITC_STATE_WAIT 3000      /* ms to wait for consumer info to reach an expected state */
#define ITC_ANY        (-1)      /* itc_state.redelivered value that matches any count */

/* The counters of a consumer that the cases check exactly (ConsumerInfo). */
struct itc_state {
    uint64_t dcons;      /* delivered.consumer_seq */
    uint64_t dstream;    /* delivered.stream_seq */
    uint64_t acons;      /* ack_floor.consumer_seq */
    uint64_t astream;    /* ack_floor.stream_seq */
    int64_t ack_pending; /* num_ack_pending */
    uint64_t pending;    /* num_pending */
    int64_t redelivered; /* num_redelivered, or ITC_ANY to skip the comparison */
};

/* A core subscription on a fresh inbox, used to send raw pull requests and read what comes
 * back (messages and status messages) without libnats' JetStream layer. Caller storage. */
struct itc_inbox {
    char subject[64];      /* the inbox subject */
    natsSubscription *sub; /* synchronous subscription on it */
};

/* Initializes <cc> with jsConsumerConfig_Init() and sets <durable> (may be NULL for an
 * ephemeral), explicit acks and <ack_wait_ms> (0 keeps the server default of 30 s). */
void itc_config_init(jsConsumerConfig *cc, const char *durable, int64_t ack_wait_ms);

/* Adds a consumer on <stream> with js_AddConsumer; fails the test on error. Returns a new
 * jsConsumerInfo the caller destroys with jsConsumerInfo_Destroy(), or NULL when <keep> is
 * false (it is then destroyed here). */
jsConsumerInfo *itc_consumer_add(struct itj_env *env, const char *stream,
                                 const jsConsumerConfig *cc, bool keep);

/* Tries js_AddConsumer and returns the err_code of the failure (0 on success, -1 when the
 * call failed without an err_code). A consumer that got created is left in place. */
int itc_consumer_add_code(struct itj_env *env, const char *stream, const jsConsumerConfig *cc);

/* Returns js_GetConsumerInfo(<stream>, <name>); fails the test on error. The caller destroys
 * it with jsConsumerInfo_Destroy(). */
jsConsumerInfo *itc_consumer_info(struct itj_env *env, const char *stream, const char *name);

/* Polls the consumer info of <stream>/<name> until its counters equal <want> (checked once
 * with IT_CHECK and <what>) or ITC_STATE_WAIT ms pass (it_fail() with got and wanted). */
void itc_expect_state(struct itj_env *env, const char *stream, const char *name,
                      struct itc_state want, const char *what);

/* Publishes <n> messages "<prefix><i>" (i from 1) to <subj> and waits for each PubAck. */
void itc_pub_n(struct itj_env *env, const char *subj, const char *prefix, int n);

/* Binds a pull subscription (js_PullSubscribe) to the existing consumer <stream>/<name>. The
 * caller destroys it with natsSubscription_Destroy(). */
natsSubscription *itc_pull_bind(struct itj_env *env, const char *stream, const char *name);

/* Fetches up to <batch> messages into <list> waiting at most <timeout_ms>; returns how many
 * arrived (0 on timeout). Fails the test on any other error. The caller destroys <list>. */
int itc_fetch(natsSubscription *sub, natsMsgList *list, int batch, int64_t timeout_ms);

/* Returns the stream sequence of the JetStream message <m> (from its ack subject); fails the
 * test when <m> has no metadata. <*dc> (may be NULL) receives the delivery count. */
uint64_t itc_msg_seq(natsMsg *m, uint64_t *dc);

/* Subscribes <in> to a fresh inbox on <env>'s connection. */
void itc_inbox_open(struct itj_env *env, struct itc_inbox *in);

/* Unsubscribes and destroys <in>'s subscription. */
void itc_inbox_close(struct itc_inbox *in);

/* Publishes the raw pull request <body> (may be NULL or "") to
 * $JS.API.CONSUMER.MSG.NEXT.<stream>.<name> with <in>'s inbox as the reply subject. */
void itc_pull_raw(struct itj_env *env, struct itc_inbox *in, const char *stream, const char *name,
                  const char *body);

/* Returns the next message on <in> within <timeout_ms>, or NULL on timeout. The caller destroys
 * it with natsMsg_Destroy(). */
natsMsg *itc_inbox_next(struct itc_inbox *in, int64_t timeout_ms);

/* Returns the status code of a status message ("404", "100", ...) or "" when <m> is a regular
 * message. <*desc> (may be NULL) receives the description or "". Both borrowed from <m>. */
const char *itc_status(natsMsg *m, const char **desc);

/* Returns the value of header <name> in <m>, or "" when absent. Borrowed from <m>. */
const char *itc_header(natsMsg *m, const char *name);

/* Returns true when the names list of $JS.API.CONSUMER.NAMES.<stream> contains <name>. */
bool itc_names_has(struct itj_env *env, const char *stream, const char *name);

#endif
