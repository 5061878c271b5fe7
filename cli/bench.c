/* `bench`: throughput and latency benchmarks against any NATS server, reported as the nats
 * CLI's `nats bench` does ("<kind> stats: N msgs/sec ~ X MiB/sec ~ ..." with per-client rows
 * and, where each operation has a round trip, min/avg/max and P50/P90/P99/P99.9 latencies).
 *
 * Each client is a thread with its own connection. Core pub/sub, service request/serve,
 * JetStream publish (batches of asynchronous publishes, acks matched by reply subject) and
 * JetStream consume (a durable pull consumer, acks per message).
 */
#include "cli.h"
#include "util/xalloc.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One client's measurements. */
struct client {
    struct cli_run *r;
    int id;             /* 1-based */
    int64_t msgs;       /* messages this client handles */
    int64_t done;       /* messages handled */
    int64_t start, end; /* monotonic ns of the first and last operation */
    int64_t *lat;       /* per-operation latency in ns, NULL when not measured */
    int64_t nlat;
    char err[512]; /* failure text, "" when fine */
};

/* The benchmark as a whole. */
struct bench {
    struct cli_run *r;
    const char *subject;
    int64_t msgs, size, clients, sleep_ns, batch;
    bool multi; /* multi-subject mode */
    int64_t multi_max;
    char *payload;
    struct client *c;
    const char *stream, *consumer;
    pthread_barrier_t ready; /* subscribers wait for each other before counting */
};

static void sleep_ns(int64_t ns)
{
    struct timespec ts = {ns / CLI_NS_PER_SEC, ns % CLI_NS_PER_SEC};
    if (ns > 0)
        nanosleep(&ts, NULL);
}

static void subject_for(const struct bench *b, int64_t seq, char *out, size_t cap)
{
    if (b->multi)
        snprintf(out, cap, "%s.%lld", b->subject,
                 (long long)(b->multi_max > 0 ? seq % b->multi_max : seq));
    else
        snprintf(out, cap, "%s", b->subject);
}

/* ---- reporting ---- */

static double rate(int64_t n, int64_t ns)
{
    return ns > 0 ? (double)n * 1e9 / (double)ns : 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static const char *fmt_us(char *out, size_t cap, int64_t ns)
{
    char whole[32];
    cli_fmt_int(whole, sizeof(whole), ns / 1000);
    snprintf(out, cap, "%s.%02lldus", whole, (long long)(ns % 1000 / 10));
    return out;
}

static void latency_print(int64_t *lat, int64_t n)
{
    char a[6][40], avg[40];
    if (n <= 0)
        return;
    qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
    double sum = 0;
    for (int64_t i = 0; i < n; i++)
        sum += (double)lat[i];
    static const double pct[] = {50, 90, 99, 99.9};
    printf(" ~ min: %s ~ avg: %s ~ max: %s", fmt_us(a[0], sizeof(a[0]), lat[0]),
           fmt_us(avg, sizeof(avg), (int64_t)(sum / (double)n)),
           fmt_us(a[1], sizeof(a[1]), lat[n - 1]));
    static const char *names[] = {"P50", "P90", "P99", "P99.9"};
    for (int i = 0; i < 4; i++) {
        int64_t idx = (int64_t)ceil(pct[i] / 100.0 * (double)n) - 1;
        idx = idx < 0 ? 0 : (idx >= n ? n - 1 : idx);
        printf(" ~ %s: %s", names[i], fmt_us(a[2 + i], sizeof(a[2]), lat[idx]));
    }
}

static void report(struct bench *b, const char *kind)
{
    int64_t total = 0, start = INT64_MAX, end = 0, nlat = 0;
    char r1[32], r2[32];
    for (int i = 0; i < b->clients; i++) {
        total += b->c[i].done;
        nlat += b->c[i].nlat;
        if (b->c[i].done && b->c[i].start < start)
            start = b->c[i].start;
        if (b->c[i].end > end)
            end = b->c[i].end;
    }
    int64_t span = end > start ? end - start : 1;
    double mps = rate(total, span);
    printf("NATS %s %sstats: %s msgs/sec ~ %s/sec", kind, b->clients > 1 ? "aggregated " : "",
           cli_fmt_int(r1, sizeof(r1), (int64_t)mps),
           cli_fmt_bytes(r2, sizeof(r2), mps * (double)b->size));
    if (nlat > 0) {
        int64_t *all = xmalloc(sizeof(int64_t) * (size_t)nlat), k = 0;
        for (int i = 0; i < b->clients; i++)
            for (int64_t j = 0; j < b->c[i].nlat; j++)
                all[k++] = b->c[i].lat[j];
        latency_print(all, nlat);
        free(all);
    } else if (b->clients == 1 && total > 0) {
        char us[40];
        printf(" ~ %s", fmt_us(us, sizeof(us), span / total));
    }
    printf("\n");
    if (b->clients <= 1)
        return;
    double min = INFINITY, max = 0, sum = 0, sq = 0;
    for (int i = 0; i < b->clients; i++) {
        struct client *c = &b->c[i];
        double cr = rate(c->done, c->end - c->start);
        char n[32];
        printf("  [%d] %s msgs/sec ~ %s/sec (%s msgs)\n", c->id,
               cli_fmt_int(r1, sizeof(r1), (int64_t)cr),
               cli_fmt_bytes(r2, sizeof(r2), cr * (double)b->size),
               cli_fmt_int(n, sizeof(n), c->done));
        min = cr < min ? cr : min;
        max = cr > max ? cr : max;
        sum += cr;
        sq += cr * cr;
    }
    double avg = sum / (double)b->clients;
    double sd = sqrt(fmax(0, sq / (double)b->clients - avg * avg));
    char s1[32], s2[32], s3[32], s4[32];
    printf("  min %s | avg %s | max %s | stddev %s msgs\n",
           cli_fmt_int(s1, sizeof(s1), (int64_t)min), cli_fmt_int(s2, sizeof(s2), (int64_t)avg),
           cli_fmt_int(s3, sizeof(s3), (int64_t)max), cli_fmt_int(s4, sizeof(s4), (int64_t)sd));
}

/* ---- clients ---- */

static natsConnection *client_connect(struct bench *b, struct client *c)
{
    natsConnection *nc = NULL;
    if (cli_connect_new(b->r, &nc, c->err, sizeof(c->err)) != 0)
        return NULL;
    return nc;
}

struct job {
    struct bench *b;
    struct client *c;
    void (*fn)(struct bench *b, struct client *c, natsConnection *nc);
};

static void *job_main(void *arg)
{
    struct job *j = arg;
    natsConnection *nc = client_connect(j->b, j->c);
    if (nc) {
        j->fn(j->b, j->c, nc);
        natsConnection_FlushTimeout(nc, j->b->r->timeout_ms);
        natsConnection_Destroy(nc);
    }
    return NULL;
}

/* Runs <fn> on b->clients threads and waits for all; returns 0 or prints the first error. */
static int run_clients(struct bench *b,
                       void (*fn)(struct bench *, struct client *, natsConnection *))
{
    pthread_t *th = xcalloc((size_t)b->clients, sizeof(*th));
    struct job *jobs = xcalloc((size_t)b->clients, sizeof(*jobs));
    b->c = xcalloc((size_t)b->clients, sizeof(*b->c));
    pthread_barrier_init(&b->ready, NULL, (unsigned)b->clients);
    for (int i = 0; i < b->clients; i++) {
        b->c[i].r = b->r;
        b->c[i].id = i + 1;
        b->c[i].msgs = b->msgs / b->clients + (i < b->msgs % b->clients ? 1 : 0);
        jobs[i] = (struct job){b, &b->c[i], fn};
        pthread_create(&th[i], NULL, job_main, &jobs[i]);
    }
    int rc = 0;
    for (int i = 0; i < b->clients; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < b->clients && rc == 0; i++)
        if (b->c[i].err[0])
            rc = cli_fail("client %d: %s", i + 1, b->c[i].err);
    pthread_barrier_destroy(&b->ready);
    free(th);
    free(jobs);
    return rc;
}

static void client_free(struct bench *b)
{
    for (int i = 0; b->c && i < b->clients; i++)
        free(b->c[i].lat);
    FREE_AND_NULL(b->c);
    FREE_AND_NULL(b->payload);
}

static void core_pub(struct bench *b, struct client *c, natsConnection *nc)
{
    char subj[512];
    c->start = cli_mono_ns();
    for (int64_t i = 0; i < c->msgs; i++) {
        subject_for(b, i, subj, sizeof(subj));
        natsStatus s = natsConnection_Publish(nc, subj, b->payload, (int)b->size);
        if (s != NATS_OK) {
            snprintf(c->err, sizeof(c->err), "publish failed: %s", natsStatus_GetText(s));
            return;
        }
        c->done++;
        sleep_ns(b->sleep_ns);
    }
    natsConnection_FlushTimeout(nc, b->r->timeout_ms * 10);
    c->end = cli_mono_ns();
}

static void core_sub(struct bench *b, struct client *c, natsConnection *nc)
{
    natsSubscription *sub = NULL;
    char subj[512];
    snprintf(subj, sizeof(subj), "%s%s", b->subject, b->multi ? ".>" : "");
    natsStatus s = natsConnection_SubscribeSync(&sub, nc, subj);
    if (s == NATS_OK)
        s = natsSubscription_SetPendingLimits(sub, -1, -1);
    if (s == NATS_OK)
        s = natsConnection_FlushTimeout(nc, b->r->timeout_ms);
    pthread_barrier_wait(&b->ready);
    if (s != NATS_OK) {
        snprintf(c->err, sizeof(c->err), "subscribe failed: %s", natsStatus_GetText(s));
        natsSubscription_Destroy(sub);
        return;
    }
    if (c->id == 1)
        cli_log("Waiting for %lld messages on %s", (long long)b->msgs, subj);
    /* Every subscriber sees every message: each counts all of them. */
    c->msgs = b->msgs;
    while (c->done < c->msgs) {
        natsMsg *m = NULL;
        s = natsSubscription_NextMsg(&m, sub, c->done ? b->r->timeout_ms : 60000);
        if (s != NATS_OK) {
            snprintf(c->err, sizeof(c->err), "received %lld of %lld messages: %s",
                     (long long)c->done, (long long)c->msgs, natsStatus_GetText(s));
            break;
        }
        if (c->done == 0)
            c->start = cli_mono_ns();
        c->done++;
        natsMsg_Destroy(m);
    }
    c->end = cli_mono_ns();
    natsSubscription_Destroy(sub);
}

static void svc_request(struct bench *b, struct client *c, natsConnection *nc)
{
    c->lat = xcalloc((size_t)(c->msgs ? c->msgs : 1), sizeof(int64_t));
    c->start = cli_mono_ns();
    for (int64_t i = 0; i < c->msgs; i++) {
        natsMsg *reply = NULL;
        int64_t t0 = cli_mono_ns();
        natsStatus s = natsConnection_Request(&reply, nc, b->subject, b->payload, (int)b->size,
                                              b->r->timeout_ms);
        if (s != NATS_OK) {
            snprintf(c->err, sizeof(c->err), "request %lld failed: %s", (long long)i + 1,
                     natsStatus_GetText(s));
            break;
        }
        c->lat[c->nlat++] = cli_mono_ns() - t0;
        natsMsg_Destroy(reply);
        c->done++;
        sleep_ns(b->sleep_ns);
    }
    c->end = cli_mono_ns();
}

static void svc_serve(struct bench *b, struct client *c, natsConnection *nc)
{
    natsSubscription *sub = NULL;
    natsStatus s = natsConnection_QueueSubscribeSync(&sub, nc, b->subject, "bench-service");
    if (s == NATS_OK)
        s = natsConnection_FlushTimeout(nc, b->r->timeout_ms);
    if (s != NATS_OK) {
        snprintf(c->err, sizeof(c->err), "subscribe failed: %s", natsStatus_GetText(s));
        return;
    }
    if (c->id == 1)
        cli_log("Serving requests on %s", b->subject);
    while (c->done < c->msgs) {
        natsMsg *m = NULL;
        s = natsSubscription_NextMsg(&m, sub, 60000);
        if (s == NATS_TIMEOUT)
            continue;
        if (s != NATS_OK)
            break;
        if (c->done == 0)
            c->start = cli_mono_ns();
        sleep_ns(b->sleep_ns);
        if (natsMsg_GetReply(m))
            natsConnection_Publish(nc, natsMsg_GetReply(m), natsMsg_GetData(m),
                                   natsMsg_GetDataLength(m));
        natsMsg_Destroy(m);
        c->done++;
    }
    c->end = cli_mono_ns();
    natsSubscription_Destroy(sub);
}

/* JetStream publish: batches of publishes with replies on <inbox>.<i>, then every ack. */
static void js_pub(struct bench *b, struct client *c, natsConnection *nc)
{
    natsInbox *inbox = NULL;
    natsSubscription *sub = NULL;
    char subj[512], reply[256], wild[256];
    int64_t *sent = xcalloc((size_t)(c->msgs ? c->msgs : 1), sizeof(int64_t));
    natsInbox_Create(&inbox);
    snprintf(wild, sizeof(wild), "%s.*", inbox);
    c->lat = xcalloc((size_t)(c->msgs ? c->msgs : 1), sizeof(int64_t));
    natsStatus s = natsConnection_SubscribeSync(&sub, nc, wild);
    if (s == NATS_OK)
        s = natsSubscription_SetPendingLimits(sub, -1, -1);
    c->start = cli_mono_ns();
    for (int64_t i = 0; s == NATS_OK && i < c->msgs;) {
        int64_t n = b->batch < c->msgs - i ? b->batch : c->msgs - i;
        for (int64_t k = 0; k < n && s == NATS_OK; k++) {
            subject_for(b, i + k, subj, sizeof(subj));
            snprintf(reply, sizeof(reply), "%s.%lld", inbox, (long long)(i + k));
            sent[i + k] = cli_mono_ns();
            s = natsConnection_PublishRequest(nc, subj, reply, b->payload, (int)b->size);
        }
        for (int64_t k = 0; k < n && s == NATS_OK; k++) {
            natsMsg *m = NULL;
            s = natsSubscription_NextMsg(&m, sub, b->r->timeout_ms);
            if (s != NATS_OK)
                break;
            const char *d = natsMsg_GetData(m);
            if (d && strstr(d, "\"error\"")) {
                snprintf(c->err, sizeof(c->err), "publish rejected: %.*s", natsMsg_GetDataLength(m),
                         d);
                natsMsg_Destroy(m);
                goto out;
            }
            long long idx = atoll(strrchr(natsMsg_GetSubject(m), '.') + 1);
            if (idx >= 0 && idx < c->msgs)
                c->lat[c->nlat++] = cli_mono_ns() - sent[idx];
            natsMsg_Destroy(m);
            c->done++;
        }
        i += n;
        sleep_ns(b->sleep_ns);
    }
    if (s != NATS_OK)
        snprintf(c->err, sizeof(c->err), "published %lld: %s%s", (long long)c->done,
                 natsStatus_GetText(s),
                 s == NATS_NO_RESPONDERS ? " (no stream; use --create)" : "");
out:
    c->end = cli_mono_ns();
    free(sent);
    natsSubscription_Destroy(sub);
    natsInbox_Destroy(inbox);
}

/* JetStream consume: pull batches from the durable consumer and acknowledge each message. */
static void js_consume(struct bench *b, struct client *c, natsConnection *nc)
{
    natsInbox *inbox = NULL;
    natsSubscription *sub = NULL;
    char next[512], req[128];
    bool ack = strcmp(cli_str(b->r, "acks", "explicit"), "none") != 0;
    natsInbox_Create(&inbox);
    natsStatus s = natsConnection_SubscribeSync(&sub, nc, inbox);
    if (s == NATS_OK)
        s = natsSubscription_SetPendingLimits(sub, -1, -1);
    snprintf(next, sizeof(next), "$JS.API.CONSUMER.MSG.NEXT.%s.%s", b->stream, b->consumer);
    while (s == NATS_OK && c->done < c->msgs) {
        int64_t want = b->batch < c->msgs - c->done ? b->batch : c->msgs - c->done;
        snprintf(req, sizeof(req), "{\"batch\":%lld,\"expires\":%lld}", (long long)want,
                 (long long)(b->r->timeout_ms * CLI_NS_PER_MS));
        s = natsConnection_PublishRequest(nc, next, inbox, req, (int)strlen(req));
        for (int64_t k = 0; s == NATS_OK && k < want;) {
            natsMsg *m = NULL;
            s = natsSubscription_NextMsg(&m, sub, b->r->timeout_ms + 1000);
            if (s != NATS_OK)
                break;
            const char *status = NULL;
            if (natsMsgHeader_Get(m, "Status", &status) == NATS_OK && status) {
                bool end = strcmp(status, "100") != 0;
                natsMsg_Destroy(m);
                if (end)
                    break; /* 404/408: the pull ended early; ask again */
                continue;
            }
            if (c->done == 0)
                c->start = cli_mono_ns();
            if (ack && natsMsg_GetReply(m))
                natsConnection_PublishString(nc, natsMsg_GetReply(m), "+ACK");
            natsMsg_Destroy(m);
            c->done++;
            k++;
        }
    }
    if (s != NATS_OK)
        snprintf(c->err, sizeof(c->err), "consumed %lld of %lld: %s", (long long)c->done,
                 (long long)c->msgs, natsStatus_GetText(s));
    c->end = cli_mono_ns();
    natsSubscription_Destroy(sub);
    natsInbox_Destroy(inbox);
}

/* ---- commands ---- */

/* cli_int()/cli_size()/cli_dur() for flags only some bench commands declare. */
static int opt_num(struct cli_run *r, const char *name, int64_t def, int64_t *out,
                   int (*get)(const struct cli_run *, const char *, int64_t, int64_t *))
{
    *out = def;
    return cli_declares(r, name) ? get(r, name, def, out) : 0;
}

static const char *opt_str(struct cli_run *r, const char *name, const char *def)
{
    return cli_declares(r, name) ? cli_str(r, name, def) : def;
}

static int bench_init(struct cli_run *r, struct bench *b)
{
    memset(b, 0, sizeof(*b));
    b->r = r;
    b->subject = cli_arg(r, 0);
    if (cli_int(r, "msgs", 100000, &b->msgs) || cli_size(r, "size", 128, &b->size) ||
        cli_int(r, "clients", 1, &b->clients) || cli_dur(r, "sleep", 0, &b->sleep_ns) ||
        opt_num(r, "multisubjectmax", 100000, &b->multi_max, cli_int) ||
        opt_num(r, "batch", 500, &b->batch, cli_int))
        return CLI_EXIT_FAIL;
    if (b->msgs <= 0)
        return cli_fail("number of messages should be greater than 0");
    if (b->clients <= 0 || b->clients > 1024)
        return cli_fail("--clients must be between 1 and 1024");
    if (b->size < 0 || b->size > 64 * 1024 * 1024)
        return cli_fail("invalid message size");
    if (b->batch <= 0)
        b->batch = 1;
    b->multi = cli_declares(r, "multisubject") && cli_bool(r, "multisubject", false);
    b->payload = xcalloc(1, (size_t)b->size + 1);
    memset(b->payload, 'x', (size_t)b->size);
    b->stream = opt_str(r, "stream", "benchstream");
    b->consumer = opt_str(r, "consumer", "nats-bench");
    if (cli_connect(r) != 0) /* fail early and clearly when the server is unreachable */
        return CLI_EXIT_FAIL;
    return 0;
}

static int banner_and_run(struct cli_run *r, const char *title, const char *kind,
                          void (*fn)(struct bench *, struct client *, natsConnection *),
                          struct bench *b)
{
    char n[32], s[32];
    cli_log("Starting %s benchmark [subject=%s, msgs=%s, msg-size=%s, clients=%lld]", title,
            b->subject ? b->subject : "", cli_fmt_int(n, sizeof(n), b->msgs),
            cli_fmt_bytes(s, sizeof(s), (double)b->size), (long long)b->clients);
    int rc = run_clients(b, fn);
    if (rc == 0) {
        printf("\n");
        report(b, kind);
    }
    client_free(b);
    return rc;
}

static int pub_run(struct cli_run *r)
{
    struct bench b;
    if (bench_init(r, &b) != 0)
        return CLI_EXIT_FAIL;
    return banner_and_run(r, "Core NATS publisher", "Core NATS publisher", core_pub, &b);
}

static int sub_run(struct cli_run *r)
{
    struct bench b;
    if (bench_init(r, &b) != 0)
        return CLI_EXIT_FAIL;
    return banner_and_run(r, "Core NATS subscriber", "Core NATS subscriber", core_sub, &b);
}

static int request_run(struct cli_run *r)
{
    struct bench b;
    if (bench_init(r, &b) != 0)
        return CLI_EXIT_FAIL;
    return banner_and_run(r, "Core NATS service requester", "Core NATS service requester",
                          svc_request, &b);
}

static int serve_run(struct cli_run *r)
{
    struct bench b;
    if (bench_init(r, &b) != 0)
        return CLI_EXIT_FAIL;
    return banner_and_run(r, "Core NATS service server", "Core NATS service server", svc_serve, &b);
}

/* Creates (--create) or purges (--purge) the benchmark stream. */
static int js_prepare(struct cli_run *r, struct bench *b)
{
    json_t *resp = NULL;
    struct cli_jserr e;
    if (cli_bool(r, "create", false)) {
        int64_t maxb;
        char subj[512];
        if (cli_size(r, "maxbytes", 1024LL * 1024 * 1024, &maxb) != 0)
            return CLI_EXIT_FAIL;
        snprintf(subj, sizeof(subj), "%s%s", b->subject, b->multi ? ".>" : "");
        const char *storage = cli_str(r, "storage", "file");
        json_t *cfg = json_pack("{s:s,s:[s],s:s,s:I,s:i,s:i,s:i,s:s,s:s,s:i}", "name", b->stream,
                                "subjects", subj, "storage", storage, "max_bytes", (json_int_t)maxb,
                                "max_msgs", -1, "max_consumers", -1, "max_msg_size", -1,
                                "retention", "limits", "discard", "old", "num_replicas", 1);
        int rc = cli_js_callf(r, &resp, &e, cfg, "$JS.API.STREAM.CREATE.%s", b->stream);
        json_decref(cfg);
        if (rc != 0 && e.err_code != 10058) /* 10058: exists with a different config */
            return cli_js_fail(&e, "could not create the benchmark stream");
        json_decref(resp);
        resp = NULL;
    }
    if (cli_bool(r, "purge", false)) {
        if (cli_js_callf(r, &resp, &e, NULL, "$JS.API.STREAM.PURGE.%s", b->stream) != 0)
            return cli_js_fail(&e, "could not purge the benchmark stream");
        json_decref(resp);
    }
    return 0;
}

static int js_pub_run(struct cli_run *r)
{
    struct bench b;
    if (bench_init(r, &b) != 0 || js_prepare(r, &b) != 0) {
        client_free(&b);
        return CLI_EXIT_FAIL;
    }
    return banner_and_run(r, "JetStream publisher", "JetStream publisher", js_pub, &b);
}

static int js_consume_run(struct cli_run *r)
{
    struct bench b;
    json_t *resp = NULL;
    struct cli_jserr e;
    if (bench_init(r, &b) != 0) {
        client_free(&b);
        return CLI_EXIT_FAIL;
    }
    const char *acks = cli_str(r, "acks", "explicit");
    json_t *req = json_pack("{s:s,s:{s:s,s:s,s:s,s:I}}", "stream_name", b.stream, "config",
                            "durable_name", b.consumer, "ack_policy", acks, "deliver_policy", "all",
                            "max_ack_pending", (json_int_t)(b.batch * b.clients * 2));
    int rc = cli_js_callf(r, &resp, &e, req, "$JS.API.CONSUMER.DURABLE.CREATE.%s.%s", b.stream,
                          b.consumer);
    json_decref(req);
    json_decref(resp);
    if (rc != 0 && e.err_code != 10148 && e.err_code != 10013) {
        client_free(&b);
        return cli_js_fail(&e, "could not create the benchmark consumer");
    }
    return banner_and_run(r, "JetStream durable consumer (fetch)", "JetStream consumer", js_consume,
                          &b);
}

#define COMMON_FLAGS                                                                               \
    {"clients", 0, CLI_STR, "NUMBER", "Number of concurrent clients (default 1)"},                 \
        {"msgs", 0, CLI_STR, "NUMBER", "Number of messages to publish or receive (100000)"},       \
        {"size", 0, CLI_STR, "BYTES", "Size of the test messages (default 128)"},                  \
        {"progress", 0, CLI_BOOL, NULL, "Accepted for compatibility (no progress bar)"},           \
    {                                                                                              \
        "sleep", 0, CLI_STR, "DURATION", "Sleep between operations"                                \
    }
#define PUB_FLAGS                                                                                  \
    {"multisubject", 0, CLI_BOOL, NULL, "Publish each message on <subject>.<sequence>"},           \
    {                                                                                              \
        "multisubjectmax", 0, CLI_STR, "NUMBER", "Maximum subjects in multi-subject mode"          \
    }

static const struct cli_flag pub_flags[] = {COMMON_FLAGS, PUB_FLAGS, {0}};
static const struct cli_flag sub_flags[] = {
    COMMON_FLAGS,
    {"multisubject", 0, CLI_BOOL, NULL, "Subscribe to <subject>.>"},
    {0},
};
static const struct cli_flag svc_flags[] = {COMMON_FLAGS, {0}};
static const struct cli_flag js_pub_flags[] = {
    COMMON_FLAGS,
    PUB_FLAGS,
    {"stream", 0, CLI_STR, "NAME", "The stream to use (default benchstream)"},
    {"create", 0, CLI_BOOL, NULL, "Create or update the stream first"},
    {"storage", 0, CLI_STR, "file|memory", "Storage for a created stream (default file)"},
    {"maxbytes", 0, CLI_STR, "BYTES", "Maximum size of a created stream (default 1GB)"},
    {"purge", 0, CLI_BOOL, NULL, "Purge the stream before running"},
    {"batch", 0, CLI_STR, "NUMBER", "Publishes in flight before waiting for acks (500)"},
    {0},
};
static const struct cli_flag js_consume_flags[] = {
    COMMON_FLAGS,
    {"stream", 0, CLI_STR, "NAME", "The stream to consume (default benchstream)"},
    {"consumer", 0, CLI_STR, "NAME", "Durable consumer name (default nats-bench)"},
    {"batch", 0, CLI_STR, "NUMBER", "Messages per pull request (default 500)"},
    {"acks", 0, CLI_STR, "explicit|none|all", "Acknowledgement mode (default explicit)"},
    {0},
};

static const struct cli_cmd pub_cmd = {
    .name = "pub",
    .help = "Publish Core NATS messages",
    .args = "<subject>",
    .min_args = 1,
    .max_args = 1,
    .flags = pub_flags,
    .run = pub_run,
};
static const struct cli_cmd sub_cmd = {
    .name = "sub",
    .help = "Subscribe to Core NATS messages",
    .args = "<subject>",
    .min_args = 1,
    .max_args = 1,
    .flags = sub_flags,
    .run = sub_run,
};
static const struct cli_cmd request_cmd = {
    .name = "request",
    .help = "Send requests and wait for replies (latency percentiles)",
    .args = "<subject>",
    .min_args = 1,
    .max_args = 1,
    .flags = svc_flags,
    .run = request_run,
};
static const struct cli_cmd serve_cmd = {
    .name = "serve",
    .aliases = "reply",
    .help = "Serve requests (--msgs in total)",
    .args = "<subject>",
    .min_args = 1,
    .max_args = 1,
    .flags = svc_flags,
    .run = serve_run,
};
static const struct cli_cmd *const svc_subs[] = {&request_cmd, &serve_cmd, NULL};
static const struct cli_cmd svc_cmd = {
    .name = "service",
    .help = "Request-reply (micro-service) benchmarks",
    .subs = svc_subs,
};
static const struct cli_cmd js_pub_cmd = {
    .name = "pub",
    .help = "Publish JetStream messages",
    .args = "<subject>",
    .min_args = 1,
    .max_args = 1,
    .flags = js_pub_flags,
    .run = js_pub_run,
};
static const struct cli_cmd js_consume_cmd = {
    .name = "consume",
    .aliases = "fetch",
    .help = "Consume JetStream messages (durable pull)",
    .flags = js_consume_flags,
    .run = js_consume_run,
};
static const struct cli_cmd *const js_subs[] = {&js_consume_cmd, &js_pub_cmd, NULL};
static const struct cli_cmd js_cmd = {
    .name = "js",
    .help = "JetStream benchmarks",
    .subs = js_subs,
};
static const struct cli_cmd *const bench_subs[] = {&js_cmd, &pub_cmd, &svc_cmd, &sub_cmd, NULL};

const struct cli_cmd cli_bench_cmd = {
    .name = "bench",
    .help = "Benchmark utility",
    .subs = bench_subs,
    .long_help = "Examples:\n"
                 "  gannet bench sub test --msgs 100000 &  gannet bench pub test --msgs 100000\n"
                 "  gannet bench service serve svc &  gannet bench service request svc\n"
                 "  gannet bench js pub js.bench --create --purge\n"
                 "  gannet bench js consume --msgs 100000",
};
