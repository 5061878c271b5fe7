/* it_core: libnats integration cases against the server under test.
 *
 * Each case is a function it_case_<name>() listed in it_core_cases.def; it starts its own
 * server(s) through the harness, prints one "ok:" line per property it checked and returns
 * normally on success (any failed check ends the process through it_fail()).
 */
#ifndef GN_IT_CORE_H
#define GN_IT_CORE_H

#include "harness.h"

#include <pthread.h>

#define IT_CASE(name) void it_case_##name(void);
#include "it_core_cases.def"
#undef IT_CASE

/* Waits up to <timeout_ms> for the next message of the synchronous <sub>; fails the test when
 * none comes. Returns the message, which the caller destroys. */
natsMsg *itc_next(natsSubscription *sub, int timeout_ms);

/* Waits for the next message of <sub> and checks its subject and string payload; destroys it. */
void itc_expect(natsSubscription *sub, const char *subject, const char *data);

/* Flushes <nc> (a PING/PONG round trip, so every message the server sent before it is queued)
 * and checks that <sub> has no queued message. */
void itc_expect_none(natsConnection *nc, natsSubscription *sub);

/* Records asynchronous errors of a connection (natsOptions_SetErrorHandler closure). */
struct itc_errors {
    pthread_mutex_t lock; /* guards the fields below */
    int count;            /* errors seen */
    natsStatus last;      /* status of the last error */
    char text[512];       /* last error text from natsConnection_GetLastError() */
};

/* Initializes <errs> and installs the recording handler on <opts>. */
void itc_errors_watch(struct itc_errors *errs, natsOptions *opts);

/* Waits up to <timeout_ms> until <errs> holds more than <count> errors; returns the text of the
 * last one in <out> (capacity <cap>). Fails the test on timeout. */
void itc_errors_wait(struct itc_errors *errs, int count, char *out, size_t cap, int timeout_ms);

#endif
