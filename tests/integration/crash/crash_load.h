/* Load and verification helpers shared by the crash tests (crash_load.c). */
#ifndef GN_IT_CRASH_LOAD_H
#define GN_IT_CRASH_LOAD_H

#include "harness.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRASH_PAYLOAD_LEN   120        /* bytes per message: a numbered prefix, then a pattern */
#define CRASH_MAX_INFLIGHT  4096       /* async publishes without a PubAck yet */
#define CRASH_VERIFY_PREFIX "_CRASHV." /* reply subjects of the MSG.GET checks: prefix + index */

struct crash_ack_rec {
    uint64_t seq; /* stream sequence from the PubAck */
    uint64_t n;   /* message number, which determines the payload */
};

/* Acknowledged messages, appended by the ack callback (libnats thread) or the sync publisher. */
struct crash_acks {
    pthread_mutex_t lock;    /* guards everything below */
    struct crash_ack_rec *v; /* records in arrival order */
    size_t len, cap;         /* used and allocated records */
    size_t errors;           /* negative PubAcks (none expected before the kill) */
};

/* One publishing run between a (re)start and the kill. */
struct crash_pub {
    jsCtx *js;               /* context with the async ack handler */
    struct crash_acks *acks; /* where acknowledgements go */
    const char *subject;     /* the stream subject published to */
    bool sync;               /* js_Publish instead of js_PublishAsync */
    uint64_t next_n;         /* number of the next message */
    atomic_bool stop;        /* set by the main thread after the kill */
    natsStatus end;          /* status that ended the loop (NATS_OK when stopped) */
};

/* Sleeps <ms> milliseconds. */
void crash_sleep_ms(int ms);
/* Writes the payload of message <n> (CRASH_PAYLOAD_LEN bytes, not NUL-terminated) into <buf>. */
void crash_payload_make(uint64_t n, char *buf);
/* Records an ack (any thread). */
void crash_acks_add(struct crash_acks *a, uint64_t seq, uint64_t n);
/* The number of acks recorded so far. */
size_t crash_acks_len(struct crash_acks *a);
/* Waits until no ack has been added for 100 ms (at most 3 s); returns the count. */
size_t crash_acks_settle(struct crash_acks *a);
/* libnats async PubAck handler; <closure> is the struct crash_acks. */
void crash_on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure);
/* Publisher thread body (arg: struct crash_pub): publishes until p->stop or an error. */
void *crash_pub_run(void *arg);
/* Connects to <srv> without reconnects, with crash_on_ack recording into <a>. */
void crash_connect_js(struct it_server *srv, struct crash_acks *a, natsConnection **nc, jsCtx **js);
/* Closes <nc> and <js>; <published_async>: js_PublishAsync was used (its pending list is
 * released first, libnats 3.4 crashes otherwise). */
void crash_disconnect_js(natsConnection *nc, jsCtx *js, bool published_async);
/* Creates file stream <stream> on <subject> (1 replica, defaults) on <srv>. */
void crash_stream_create(struct it_server *srv, struct crash_acks *a, const char *stream,
                         const char *subject);
/* Base64 (RFC 4648, padded) of <len> bytes at <in> into <out>, NUL-terminated. */
void crash_b64_encode(const unsigned char *in, size_t len, char *out);
/* Sends the MSG.GET request on <stream> for record <r>, reply CRASH_VERIFY_PREFIX<idx>. */
void crash_verify_send(natsConnection *nc, const char *stream, const struct crash_ack_rec *r,
                       size_t idx);
/* Waits (bounded, 10 s) until the server answers STREAM.INFO for <stream>; <after> names what
 * happened, for the failure message ("the restart"). */
jsStreamInfo *crash_wait_stream(jsCtx *js, const char *stream, const char *after);

#endif
