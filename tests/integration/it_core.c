/* it_core: runs one libnats integration case, named by argv[1], against $GANNET_SERVER_BIN.
 *
 * One executable, one CTest entry per case (see CMakeLists.txt); `it_core --list` prints the
 * case names. Shared helpers for the case files live here too.
 */
#include "it_core.h"

#include <stdio.h>
#include <string.h>

static const struct it_case g_cases[] = {
#define IT_CASE(name) {#name, it_case_##name},
#include "it_core_cases.def"
#undef IT_CASE
};

natsMsg *itc_next(natsSubscription *sub, int timeout_ms)
{
    natsMsg *msg = NULL;
    natsStatus s = natsSubscription_NextMsg(&msg, sub, timeout_ms);

    IT_ASSERT(s == NATS_OK, "no message within %d ms: %s (%s)", timeout_ms, natsStatus_GetText(s),
              it_nats_last_error());
    return msg;
}

void itc_expect(natsSubscription *sub, const char *subject, const char *data)
{
    natsMsg *msg = itc_next(sub, 2000);
    int len = natsMsg_GetDataLength(msg);

    IT_ASSERT(strcmp(natsMsg_GetSubject(msg), subject) == 0, "expected subject %s, got %s", subject,
              natsMsg_GetSubject(msg));
    IT_ASSERT(len == (int)strlen(data) && memcmp(natsMsg_GetData(msg), data, (size_t)len) == 0,
              "on %s expected payload '%s', got '%.*s'", subject, data, len, natsMsg_GetData(msg));
    natsMsg_Destroy(msg);
}

void itc_expect_none(natsConnection *nc, natsSubscription *sub)
{
    uint64_t queued = 1;

    IT_NATS(natsConnection_FlushTimeout(nc, 2000));
    IT_NATS(natsSubscription_QueuedMsgs(sub, &queued));
    IT_ASSERT(queued == 0, "%llu unexpected message(s) queued", (unsigned long long)queued);
}

static void on_async_error(natsConnection *nc, natsSubscription *sub, natsStatus err, void *arg)
{
    struct itc_errors *errs = arg;
    const char *txt = NULL;

    (void)sub;
    natsConnection_GetLastError(nc, &txt);
    pthread_mutex_lock(&errs->lock);
    errs->count++;
    errs->last = err;
    snprintf(errs->text, sizeof(errs->text), "%s", txt ? txt : "");
    pthread_mutex_unlock(&errs->lock);
}

void itc_errors_watch(struct itc_errors *errs, natsOptions *opts)
{
    memset(errs, 0, sizeof(*errs));
    pthread_mutex_init(&errs->lock, NULL);
    IT_NATS(natsOptions_SetErrorHandler(opts, on_async_error, errs));
}

struct errors_wait {
    struct itc_errors *errs; /* watched record */
    int count;               /* wait for more than this many */
};

static bool errors_more(void *arg)
{
    struct errors_wait *w = arg;
    bool more;

    pthread_mutex_lock(&w->errs->lock);
    more = w->errs->count > w->count;
    pthread_mutex_unlock(&w->errs->lock);
    return more;
}

void itc_errors_wait(struct itc_errors *errs, int count, char *out, size_t cap, int timeout_ms)
{
    struct errors_wait w = {.errs = errs, .count = count};

    IT_ASSERT(it_wait_until(errors_more, &w, timeout_ms), "no async error within %d ms",
              timeout_ms);
    pthread_mutex_lock(&errs->lock);
    snprintf(out, cap, "%s", errs->text);
    pthread_mutex_unlock(&errs->lock);
}

int main(int argc, char **argv)
{
    return it_main(argc, argv, g_cases, sizeof(g_cases) / sizeof(g_cases[0]));
}
