/* it_mon Gannet-only cases: /metrics (the exporter's series and labels, exact values, the
 * latency histograms), validated by `promtool check metrics` and scraped by a real Prometheus
 * server; and a flood of monitoring requests that must not starve message traffic. */
#include "it_mon.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define NJS 20 /* JetStream publishes */

/* The value of the first sample of <name> whose label set contains <label> (e.g.
 * "consumer_name=\"w\"", or NULL for any); NAN when absent. */
static double sample(const char *text, const char *name, const char *label)
{
    size_t nl = strlen(name);
    for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
        if (strncmp(line, name, nl) != 0 || (line[nl] != '{' && line[nl] != ' '))
            continue;
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[4096];
        snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
        if (label && !strstr(buf, label))
            continue;
        const char *sp = strrchr(buf, ' ');
        return sp ? strtod(sp + 1, NULL) : NAN;
    }
    return NAN;
}

/* Server with load: 50 core messages, stream ORDERS with NJS messages, consumer "worker" with
 * 5 delivered and 3 acked. */
static void load_env(struct mon_env *env)
{
    jsStreamConfig sc;
    jsConsumerConfig cc;
    jsErrCode ec = 0;
    const char *subjects[] = {"orders.>"};
    mon_start(env, true, NULL);
    mon_publish(env->nc, "core.x", 50, 10);
    IT_NATS(jsStreamConfig_Init(&sc));
    sc.Name = "ORDERS";
    sc.Subjects = subjects;
    sc.SubjectsLen = 1;
    IT_NATS(js_AddStream(NULL, env->js, &sc, NULL, &ec));
    IT_NATS(jsConsumerConfig_Init(&cc));
    cc.Durable = "worker";
    cc.Description = "order worker";
    cc.AckPolicy = js_AckExplicit;
    IT_NATS(js_AddConsumer(NULL, env->js, "ORDERS", &cc, NULL, &ec));
    for (int i = 0; i < NJS; i++)
        IT_NATS(js_Publish(NULL, env->js, "orders.new", "o", 1, NULL, &ec));
    natsSubscription *sub = NULL;
    jsSubOptions so;
    natsMsgList list = {0};
    IT_NATS(jsSubOptions_Init(&so));
    so.Stream = "ORDERS";
    so.Consumer = "worker";
    IT_NATS(js_PullSubscribe(&sub, env->js, NULL, NULL, NULL, &so, &ec));
    IT_NATS(natsSubscription_Fetch(&list, sub, 5, 5000, &ec));
    IT_ASSERT(list.Count == 5, "fetched 5");
    for (int i = 0; i < 3; i++)
        IT_NATS(natsMsg_AckSync(list.Msgs[i], NULL, &ec));
    natsMsgList_Destroy(&list);
    natsSubscription_Destroy(sub);
}

static char *get_metrics(int port)
{
    struct http_resp r;
    http_get(port, "/metrics", &r);
    IT_ASSERT(r.status == 200, "/metrics status %d", r.status);
    IT_CHECK(strcmp(r.ctype, "text/plain; version=0.0.4; charset=utf-8") == 0,
             "/metrics Content-Type is the Prometheus text format 0.0.4");
    return r.body;
}

static void check_js_series(const char *m)
{
    const char *c = "consumer_name=\"worker\"";
    IT_CHECK(sample(m, "nats_server_total_streams", NULL) == 1 &&
                 sample(m, "nats_server_total_consumers", NULL) == 1 &&
                 sample(m, "nats_server_total_messages", NULL) == NJS &&
                 sample(m, "nats_server_jetstream_disabled", NULL) == 0,
             "nats_server_*: 1 stream, 1 consumer, %d messages", NJS);
    IT_CHECK(sample(m, "nats_stream_total_messages", "stream_name=\"ORDERS\"") == NJS &&
                 sample(m, "nats_stream_last_seq", "stream_name=\"ORDERS\"") == NJS &&
                 sample(m, "nats_stream_first_seq", "stream_name=\"ORDERS\"") == 1 &&
                 sample(m, "nats_stream_consumer_count", "stream_name=\"ORDERS\"") == 1 &&
                 sample(m, "nats_stream_limit_messages", "stream_name=\"ORDERS\"") == -1,
             "nats_stream_*{stream_name=\"ORDERS\"} exact");
    IT_CHECK(sample(m, "nats_consumer_num_pending", c) == NJS - 5 &&
                 sample(m, "nats_consumer_num_ack_pending", c) == 2 &&
                 sample(m, "nats_consumer_delivered_stream_seq", c) == 5 &&
                 sample(m, "nats_consumer_ack_floor_stream_seq", c) == 3 &&
                 sample(m, "nats_consumer_num_redelivered", c) == 0 &&
                 sample(m, "nats_consumer_last_ack_seconds", c) >= 0,
             "nats_consumer_*{consumer_name=\"worker\"}: pending 15, ack pending 2, floor 3");
    IT_CHECK(sample(m, "nats_consumer_num_pending",
                    "account=\"$G\",account_id=\"$G\",account_name=\"$G\",cluster=\"\","
                    "consumer_desc=\"order worker\",consumer_leader=\"\",consumer_name=\"worker\","
                    "domain=\"\",is_consumer_leader=\"true\",is_meta_leader=\"true\","
                    "is_stream_leader=\"true\",meta_leader=\"\",server_id=\"") == NJS - 5,
             "consumer series carry the exporter's labels, sorted by name");
    IT_CHECK(sample(m, "nats_account_storage_used", "account=\"$G\"") > 0,
             "nats_account_storage_used{account=\"$G\"}");
}

static void check_histograms(const char *m)
{
    IT_CHECK(sample(m, "gannet_jetstream_publish_ack_seconds_count", NULL) == NJS &&
                 sample(m, "gannet_jetstream_publish_ack_seconds_bucket", "le=\"+Inf\"") == NJS &&
                 sample(m, "gannet_jetstream_publish_ack_seconds_sum", NULL) > 0,
             "publish-to-ack histogram counted the %d JetStream publishes", NJS);
    IT_CHECK(sample(m, "gannet_store_sync_seconds_count", NULL) >= 1 &&
                 sample(m, "gannet_store_sync_seconds_bucket", "le=\"10\"") ==
                     sample(m, "gannet_store_sync_seconds_count", NULL),
             "store sync histogram has observations, buckets cumulative");
    IT_CHECK(strstr(m, "# TYPE gannet_consumer_ack_seconds histogram\n"),
             "consumer delivery-to-ack histogram exported");
}

void it_case_metrics_series(void)
{
    struct mon_env env = {0};
    load_env(&env);
    json_t *v = http_json(env.mport, "/varz");
    char *m = get_metrics(env.mport);
    char sid[160];
    snprintf(sid, sizeof(sid), "server_id=\"%s\"", jget_str(v, "server_id"));
    IT_CHECK(sample(m, "nats_varz_in_msgs", sid) == (double)jget_int(v, "in_msgs") &&
                 sample(m, "nats_varz_out_msgs", sid) == (double)jget_int(v, "out_msgs") &&
                 sample(m, "nats_varz_connections", sid) == 1 &&
                 sample(m, "nats_varz_jetstream_stats_api_total", sid) ==
                     (double)jget_int(v, "jetstream.stats.api.total"),
             "nats_varz_* equal /varz (in_msgs %lld), labelled with the server id",
             (long long)jget_int(v, "in_msgs"));
    IT_CHECK(sample(m, "nats_varz_version", "value=\"2.9.10\"") == 1 &&
                 sample(m, "nats_varz_start", sid) > 1.6e12,
             "label gauge nats_varz_version{value} and nats_varz_start in epoch ms");
    IT_CHECK(sample(m, "nats_connz_num_connections", sid) == 1 &&
                 sample(m, "nats_connz_in_msgs", sid) == (double)jget_int(v, "in_msgs") &&
                 sample(m, "nats_connz_limit", sid) == 1024,
             "nats_connz_*: the exporter's sums over the first page");
    IT_CHECK(sample(m, "nats_subsz_num_subscriptions", sid) >= 1 &&
                 sample(m, "nats_routez_num_routes", sid) == 0 &&
                 sample(m, "nats_healthz_status", sid) == 0 &&
                 sample(m, "nats_healthz_status_value", "value=\"ok\"") == 1,
             "nats_subsz_*, nats_routez_num_routes, nats_healthz_status 0");
    check_js_series(m);
    check_histograms(m);
    IT_CHECK(strstr(m, "# HELP nats_varz_in_msgs in_msgs\n# TYPE nats_varz_in_msgs gauge\n") &&
                 strstr(m, "# TYPE nats_connz_in_msgs counter\n"),
             "HELP/TYPE as the exporter writes them");
    free(m);
    json_decref(v);
    mon_stop(&env);
}

void it_case_metrics_promtool(void)
{
    const char *promtool = mon_which("promtool");
    if (!promtool) {
        printf("SKIP: promtool not installed (Debian package prometheus)\n");
        exit(IT_EXIT_SKIP);
    }
    char tool[4096];
    snprintf(tool, sizeof(tool), "%s", promtool);
    struct mon_env env = {0};
    load_env(&env);
    char *m = get_metrics(env.mport);
    static char out[65536];
    const char *argv[] = {tool, "check", "metrics", NULL};
    int rc = mon_run(argv, m, strlen(m), out, sizeof(out));
    /* 0: clean; 3: naming-lint findings only (1 would be a parse error). */
    IT_CHECK(rc == 0 || rc == 3, "promtool check metrics parses /metrics (exit %d)", rc);
    int findings = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        IT_ASSERT(strncmp(line, "nats_", 5) == 0, "promtool finding on a Gannet-named series: %s",
                  line);
        findings++;
    }
    it_ok("%d naming-lint findings, all on the exporter's own names (kept for dashboards)",
          findings);
    free(m);
    mon_stop(&env);
}

/* ---- a real Prometheus ---- */

static pid_t prometheus_start(const char *bin, const char *dir, int mport, int pport)
{
    char cfg[512], arg_cfg[600], arg_db[600], arg_web[64], logp[600];
    snprintf(cfg, sizeof(cfg), "%s/prometheus.yml", dir);
    FILE *f = fopen(cfg, "w");
    IT_ASSERT(f, "write %s", cfg);
    fprintf(f,
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
            "  - job_name: gannet\n    static_configs:\n      - targets: ['127.0.0.1:%d']\n",
            mport);
    fclose(f);
    snprintf(arg_cfg, sizeof(arg_cfg), "--config.file=%s", cfg);
    snprintf(arg_db, sizeof(arg_db), "--storage.tsdb.path=%s/data", dir);
    snprintf(arg_web, sizeof(arg_web), "--web.listen-address=127.0.0.1:%d", pport);
    snprintf(logp, sizeof(logp), "%s/prometheus.log", dir);
    fflush(NULL);
    pid_t pid = fork();
    IT_ASSERT(pid >= 0, "fork");
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test */
        FILE *lf = freopen(logp, "w", stdout);
        (void)lf;
        dup2(1, 2);
        execl(bin, bin, arg_cfg, arg_db, arg_web, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Instant query through the HTTP API; the first result's value, NAN when none. */
static double prom_query(int pport, const char *q)
{
    char path[1024], *w = path;
    w += snprintf(path, sizeof(path), "/api/v1/query?query=");
    for (const unsigned char *p = (const unsigned char *)q; *p && w < path + sizeof(path) - 4; p++)
        w += (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                     *p == '_'
                 ? sprintf(w, "%c", *p)
                 : sprintf(w, "%%%02X", *p);
    struct http_resp r;
    http_get(pport, path, &r);
    json_t *j = json_loads(r.body, 0, NULL);
    http_resp_free(&r);
    json_t *res = json_array_get(json_object_get(json_object_get(j, "data"), "result"), 0);
    json_t *val = json_array_get(json_object_get(res, "value"), 1);
    double v = json_is_string(val) ? strtod(json_string_value(val), NULL) : NAN;
    json_decref(j);
    return v;
}

static void prom_expect(int pport, const char *q, double want)
{
    int64_t deadline = it_now_ms() + 20000;
    double got = NAN;
    while (it_now_ms() < deadline && (got = prom_query(pport, q)) != want)
        usleep(200000);
    IT_CHECK(got == want, "Prometheus: %s == %g (got %g)", q, want, got);
}

void it_case_metrics_prometheus_scrape(void)
{
    const char *found = mon_which("prometheus");
    if (!found) {
        printf("SKIP: prometheus not installed (Debian package prometheus)\n");
        exit(IT_EXIT_SKIP);
    }
    char bin[4096], dir[256];
    snprintf(bin, sizeof(bin), "%s", found);
    struct mon_env env = {0};
    load_env(&env);
    it_tmpdir_make(dir, sizeof(dir));
    int pport = it_port_pick();
    pid_t pid = prometheus_start(bin, dir, env.mport, pport);
    json_t *v = http_json(env.mport, "/varz");
    double in_msgs = (double)jget_int(v, "in_msgs");
    json_decref(v);
    prom_expect(pport, "up{job=\"gannet\"}", 1);
    prom_expect(pport, "nats_varz_in_msgs", in_msgs);
    prom_expect(pport, "nats_consumer_num_pending{consumer_name=\"worker\"}", NJS - 5);
    prom_expect(pport, "nats_stream_total_messages{stream_name=\"ORDERS\"}", NJS);
    prom_expect(pport, "gannet_jetstream_publish_ack_seconds_count", NJS);
    double q = prom_query(pport, "histogram_quantile(0.99, gannet_jetstream_publish_ack_seconds_"
                                 "bucket)");
    IT_CHECK(q > 0 && q <= 10, "histogram_quantile(0.99) of publish-to-ack is %g s", q);
    kill(pid, SIGTERM);
    int st;
    int64_t deadline = it_now_ms() + 5000;
    while (waitpid(pid, &st, WNOHANG) == 0 && it_now_ms() < deadline)
        usleep(20000);
    if (waitpid(pid, &st, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    }
    mon_stop(&env);
}

/* ---- monitoring flood ---- */

struct flood {
    int port;
    _Atomic bool stop;
    _Atomic int requests;
};

static void *flood_thread(void *arg)
{
    static const char *const paths[] = {"/connz?subs=1", "/varz", "/metrics", "/subsz?subs=1",
                                        "/jsz?consumers=1"};
    struct flood *f = arg;
    for (int i = 0; !atomic_load(&f->stop); i++) {
        struct http_resp r;
        http_get(f->port, paths[i % 5], &r);
        http_resp_free(&r);
        atomic_fetch_add(&f->requests, 1);
    }
    return NULL;
}

static void on_request(natsConnection *nc, natsSubscription *sub, natsMsg *m, void *arg)
{
    natsConnection_Publish(nc, natsMsg_GetReply(m), "pong", 4);
    natsMsg_Destroy(m);
}

void it_case_monitor_flood(void)
{
    struct mon_env env = {0};
    load_env(&env);
    natsConnection *responder = mon_connect(&env, "responder");
    natsSubscription *sub;
    IT_NATS(natsConnection_Subscribe(&sub, responder, "svc", on_request, NULL));
    IT_NATS(natsConnection_FlushTimeout(responder, 5000));
    struct flood f = {.port = env.mport};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        IT_ASSERT(pthread_create(&th[i], NULL, flood_thread, &f) == 0, "pthread_create");
    int64_t worst = 0, start = it_now_ms();
    int n = 0;
    while (it_now_ms() - start < 2000) {
        natsMsg *reply = NULL;
        int64_t t0 = it_now_ms();
        IT_NATS(natsConnection_Request(&reply, env.nc, "svc", "ping", 4, 5000));
        natsMsg_Destroy(reply);
        if (it_now_ms() - t0 > worst)
            worst = it_now_ms() - t0;
        n++;
    }
    atomic_store(&f.stop, true);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    IT_CHECK(worst < 500, "%d request/replies during %d monitoring requests; worst %lld ms", n,
             atomic_load(&f.requests), (long long)worst);
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(responder);
    mon_stop(&env);
}
