/* Shared by the kill -9 test (it_js_crash) and the power-cut test (it_js_powercut): numbered
 * messages whose payload follows from their number, the record of every PubAck, the publisher
 * thread, connecting with an async ack handler, and the pipelined STREAM.MSG.GET requests that
 * check acknowledged messages after a restart.
 */
#include "crash_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void crash_sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Writes the payload of message <n> (CRASH_PAYLOAD_LEN bytes, not NUL-terminated) into <buf>. */
void crash_payload_make(uint64_t n, char *buf)
{
    int k = snprintf(buf, CRASH_PAYLOAD_LEN, "crash-%016llx-", (unsigned long long)n);

    for (int i = k; i < CRASH_PAYLOAD_LEN; i++)
        buf[i] = (char)('a' + (n * 31 + (uint64_t)i) % 26);
}

void crash_acks_add(struct crash_acks *a, uint64_t seq, uint64_t n)
{
    pthread_mutex_lock(&a->lock);
    if (a->len == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 65536;
        a->v = realloc(a->v, a->cap * sizeof(*a->v));
        if (!a->v)
            abort();
    }
    a->v[a->len].seq = seq;
    a->v[a->len].n = n;
    a->len++;
    pthread_mutex_unlock(&a->lock);
}

size_t crash_acks_len(struct crash_acks *a)
{
    size_t n;

    pthread_mutex_lock(&a->lock);
    n = a->len;
    pthread_mutex_unlock(&a->lock);
    return n;
}

/* Waits until no ack has been added for 100 ms (at most 3 s): an ack callback that was running
 * when the connection closed still counts, and must land before the acks are checked. */
size_t crash_acks_settle(struct crash_acks *a)
{
    int64_t deadline = it_now_ms() + 3000;
    size_t n = crash_acks_len(a);

    for (;;) {
        size_t m;
        crash_sleep_ms(100);
        m = crash_acks_len(a);
        if (m == n || it_now_ms() >= deadline)
            return m;
        n = m;
    }
}

/* Async PubAck callback: records the ack, keyed by the number parsed from the payload. */
void crash_on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
    struct crash_acks *a = closure;
    unsigned long long n = 0;

    (void)js;
    if (pa && sscanf(natsMsg_GetData(msg), "crash-%16llx-", &n) == 1) {
        crash_acks_add(a, pa->Sequence, n);
    } else if (pae) {
        pthread_mutex_lock(&a->lock);
        a->errors++;
        pthread_mutex_unlock(&a->lock);
    }
    natsMsg_Destroy(msg);
}

void *crash_pub_run(void *arg)
{
    struct crash_pub *p = arg;
    char data[CRASH_PAYLOAD_LEN];
    natsStatus s = NATS_OK;

    while (!atomic_load(&p->stop)) {
        crash_payload_make(p->next_n, data);
        if (p->sync) {
            jsPubAck *pa = NULL;
            s = js_Publish(&pa, p->js, p->subject, data, CRASH_PAYLOAD_LEN, NULL, NULL);
            if (s == NATS_OK)
                crash_acks_add(p->acks, pa->Sequence, p->next_n);
            jsPubAck_Destroy(pa);
        } else {
            s = js_PublishAsync(p->js, p->subject, data, CRASH_PAYLOAD_LEN, NULL);
        }
        if (s != NATS_OK)
            break;
        p->next_n++;
    }
    p->end = s;
    return NULL;
}

/* Connects with reconnects off (the kill must end the connection) and a JetStream context. */
void crash_connect_js(struct it_server *srv, struct crash_acks *a, natsConnection **nc, jsCtx **js)
{
    natsOptions *opts = NULL;
    jsOptions jo;

    IT_NATS(natsOptions_Create(&opts));
    IT_NATS(natsOptions_SetAllowReconnect(opts, false));
    *nc = it_connect(srv, opts);
    natsOptions_Destroy(opts);
    IT_NATS(jsOptions_Init(&jo));
    jo.Wait = 5000;
    jo.PublishAsync.MaxPending = CRASH_MAX_INFLIGHT;
    jo.PublishAsync.AckHandler = crash_on_ack;
    jo.PublishAsync.AckHandlerClosure = a;
    jo.PublishAsync.StallWait = 3000;
    IT_NATS(natsConnection_JetStream(js, *nc, &jo));
}

/* Closes <nc> and <js>; <published_async> says whether js_PublishAsync was used, whose
 * unacknowledged messages are then released (libnats 3.4 crashes on that call otherwise). */
void crash_disconnect_js(natsConnection *nc, jsCtx *js, bool published_async)
{
    natsMsgList pending = {0};

    if (published_async && js_PublishAsyncGetPendingList(&pending, js) == NATS_OK)
        natsMsgList_Destroy(&pending);
    jsCtx_Destroy(js);
    natsConnection_Close(nc);
    natsConnection_Destroy(nc);
}

/* Base64 (RFC 4648, padded) of <len> bytes at <in> into <out>, NUL-terminated. */
void crash_b64_encode(const unsigned char *in, size_t len, char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i, o = 0;

    for (i = 0; i + 2 < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = tab[v >> 18];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = tab[(v >> 6) & 63];
        out[o++] = tab[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < len ? (uint32_t)in[i + 1] << 8 : 0);
        out[o++] = tab[v >> 18];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < len ? tab[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    out[o] = '\0';
}

/* Sends the MSG.GET request for record <idx>; the reply subject carries the index. */
void crash_verify_send(natsConnection *nc, const char *stream, const struct crash_ack_rec *r,
                       size_t idx)
{
    char reply[64], body[64], subj[256];

    snprintf(reply, sizeof(reply), CRASH_VERIFY_PREFIX "%zu", idx);
    snprintf(body, sizeof(body), "{\"seq\":%llu}", (unsigned long long)r->seq);
    snprintf(subj, sizeof(subj), "$JS.API.STREAM.MSG.GET.%s", stream);
    IT_NATS(natsConnection_PublishRequest(nc, subj, reply, body, (int)strlen(body)));
}

jsStreamInfo *crash_wait_stream(jsCtx *js, const char *stream, const char *after)
{
    int64_t deadline = it_now_ms() + 10000;

    for (;;) {
        jsStreamInfo *si = NULL;
        natsStatus s = js_GetStreamInfo(&si, js, stream, NULL, NULL);
        if (s == NATS_OK)
            return si;
        IT_ASSERT(it_now_ms() < deadline, "stream %s not back after %s: %s", stream, after,
                  natsStatus_GetText(s));
        crash_sleep_ms(50);
    }
}

void crash_stream_create(struct it_server *srv, struct crash_acks *a, const char *stream,
                         const char *subject)
{
    natsConnection *nc = NULL;
    jsCtx *js = NULL;
    jsStreamConfig cfg;
    const char *subjects[] = {subject};

    crash_connect_js(srv, a, &nc, &js);
    IT_NATS(jsStreamConfig_Init(&cfg));
    cfg.Name = stream;
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 1;
    cfg.Storage = js_FileStorage;
    IT_NATS(js_AddStream(NULL, js, &cfg, NULL, NULL));
    crash_disconnect_js(nc, js, false);
}
