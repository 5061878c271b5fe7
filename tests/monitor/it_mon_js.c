/* it_mon JetStream cases: /jsz read exactly as KEDA's nats-jetstream scaler reads it, /jsz
 * options, JetStream off, and /healthz with its variants and failure modes. */
#include "it_mon.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NMSGS 100 /* stream messages */

/* Stream ORDERS on orders.> with a durable pull consumer "worker" (explicit acks), NMSGS
 * messages published with JetStream acks. Returns the bound pull subscription. */
static natsSubscription *orders_setup(struct mon_env *env)
{
    jsStreamConfig sc;
    jsConsumerConfig cc;
    jsErrCode ec = 0;
    const char *subjects[] = {"orders.>"};
    IT_NATS(jsStreamConfig_Init(&sc));
    sc.Name = "ORDERS";
    sc.Subjects = subjects;
    sc.SubjectsLen = 1;
    IT_NATS(js_AddStream(NULL, env->js, &sc, NULL, &ec));
    IT_NATS(jsConsumerConfig_Init(&cc));
    cc.Durable = "worker";
    cc.AckPolicy = js_AckExplicit;
    IT_NATS(js_AddConsumer(NULL, env->js, "ORDERS", &cc, NULL, &ec));
    for (int i = 0; i < NMSGS; i++) {
        char subj[32];
        snprintf(subj, sizeof(subj), "orders.n%d", i % 7);
        IT_NATS(js_Publish(NULL, env->js, subj, "payload", 7, NULL, &ec));
    }
    natsSubscription *sub = NULL;
    jsSubOptions so;
    IT_NATS(jsSubOptions_Init(&so));
    so.Stream = "ORDERS";
    so.Consumer = "worker";
    IT_NATS(js_PullSubscribe(&sub, env->js, NULL, NULL, NULL, &so, &ec));
    return sub;
}

/* Fetches <n> messages and acks the first <ack> of them synchronously. */
static void fetch_ack(natsSubscription *sub, int n, int ack)
{
    natsMsgList list = {0};
    jsErrCode ec = 0;
    int got = 0;
    while (got < n) {
        IT_NATS(natsSubscription_Fetch(&list, sub, n - got, 5000, &ec));
        for (int i = 0; i < list.Count; i++, got++)
            if (got < ack)
                IT_NATS(natsMsg_AckSync(list.Msgs[i], NULL, &ec));
        natsMsgList_Destroy(&list);
    }
}

/* KEDA's getMaxMsgLag over its decoded /jsz reply: the account matching by name or id, the
 * stream by name, then num_pending + num_ack_pending of the consumer, or the stream's last_seq
 * when the consumer is missing. -1 when the stream is not found. */
static int64_t keda_lag(json_t *jsz, const char *acc, const char *stream, const char *consumer)
{
    size_t i, k, c;
    json_t *a, *s, *cd;
    json_array_foreach(json_object_get(jsz, "account_details"), i, a)
    {
        if (strcmp(jget_str(a, "name"), acc) != 0 && strcmp(jget_str(a, "id"), acc) != 0)
            continue;
        json_array_foreach(json_object_get(a, "stream_detail"), k, s)
        {
            if (strcmp(jget_str(s, "name"), stream) != 0)
                continue;
            json_array_foreach(json_object_get(s, "consumer_detail"), c,
                               cd) if (strcmp(jget_str(cd, "name"), consumer) ==
                                       0) return jget_int(cd, "num_pending") +
                jget_int(cd, "num_ack_pending");
            return jget_int(s, "state.last_seq");
        }
    }
    return -1;
}

/* KEDA's request: url.Values{acc, consumers, config}.Encode() sorts the keys and escapes '$'. */
#define KEDA_PATH "/jsz?acc=%24G&config=true&consumers=true"

static void keda_expect(int port, const char *consumer, int64_t want, const char *what)
{
    int64_t got = -2, deadline = it_now_ms() + 5000;
    do {
        json_t *j = http_json(port, KEDA_PATH);
        got = keda_lag(j, "$G", "ORDERS", consumer);
        json_decref(j);
    } while (got != want && it_now_ms() < deadline && usleep(20000) == 0);
    IT_CHECK(got == want, "KEDA lag %s == %lld (got %lld)", what, (long long)want, (long long)got);
}

void it_case_jsz_keda_lag(void)
{
    struct mon_env env = {0};
    mon_start(&env, true, NULL);
    natsSubscription *sub = orders_setup(&env);
    keda_expect(env.mport, "worker", NMSGS, "before any delivery (num_pending 100)");
    fetch_ack(sub, 30, 20);
    keda_expect(env.mport, "worker", 80, "after 30 delivered, 20 acked (70 pending + 10 unacked)");
    json_t *j = http_json(env.mport, KEDA_PATH);
    json_t *acc = json_array_get(json_object_get(j, "account_details"), 0);
    json_t *st = json_array_get(json_object_get(acc, "stream_detail"), 0);
    json_t *cd = json_array_get(json_object_get(st, "consumer_detail"), 0);
    IT_CHECK(strcmp(jget_str(acc, "name"), "$G") == 0 && strcmp(jget_str(acc, "id"), "$G") == 0,
             "account_details[0] name and id $G");
    IT_CHECK(strcmp(json_string_value(json_array_get(
                        json_object_get(json_object_get(st, "config"), "subjects"), 0)),
                    "orders.>") == 0 &&
                 jget_int(st, "state.messages") == NMSGS && jget_int(st, "state.last_seq") == NMSGS,
             "stream_detail: config.subjects, state.messages, state.last_seq");
    IT_CHECK(strcmp(jget_str(cd, "stream_name"), "ORDERS") == 0 &&
                 strcmp(jget_str(cd, "config.durable_name"), "worker") == 0 &&
                 jget_int(cd, "num_ack_pending") == 10 && jget_int(cd, "num_pending") == 70 &&
                 jget_int(cd, "num_redelivered") == 0 && jget_int(cd, "num_waiting") >= 0,
             "consumer_detail: stream_name, config.durable_name, num_* as KEDA decodes them");
    IT_CHECK(!json_object_get(j, "meta_cluster") || jget_int(j, "meta_cluster.cluster_size") <= 1,
             "no meta cluster: KEDA stays on this server");
    json_decref(j);
    keda_expect(env.mport, "nobody", NMSGS, "for a missing consumer (falls back to last_seq)");
    fetch_ack(sub, 70, 70);
    keda_expect(env.mport, "worker", 10, "after the rest was delivered and acked");
    natsSubscription_Destroy(sub);
    mon_stop(&env);
}

void it_case_jsz_params(void)
{
    struct mon_env env = {0};
    mon_start(&env, true, NULL);
    natsSubscription *sub = orders_setup(&env);
    fetch_ack(sub, 5, 5);
    json_t *j = http_json(env.mport, "/jsz");
    char sd[300];
    snprintf(sd, sizeof(sd), "%s/jetstream", env.store);
    IT_CHECK(jget_int(j, "streams") == 1 && jget_int(j, "consumers") == 1 &&
                 jget_int(j, "messages") == NMSGS && jget_int(j, "bytes") > 0 &&
                 jget_int(j, "accounts") == 1 && jget_int(j, "api.total") >= 2 &&
                 strcmp(jget_str(j, "config.store_dir"), sd) == 0 &&
                 !json_object_get(j, "account_details") && !json_object_get(j, "disabled"),
             "/jsz totals, config.store_dir <sd>/jetstream, no details");
    json_decref(j);
    j = http_json(env.mport, "/jsz?accounts=true");
    json_t *a = json_array_get(json_object_get(j, "account_details"), 0);
    IT_CHECK(a && !json_object_get(a, "stream_detail") && jget_int(a, "storage") > 0,
             "accounts=true: the account without streams");
    json_decref(j);
    struct http_resp r;
    http_get(env.mport, "/jsz?accounts=true", &r);
    IT_CHECK(strstr(r.body, "\"reserved_memory\": 18446744073709551615"),
             "account reserved_memory is uint64 -1 (no account limits)");
    http_resp_free(&r);
    json_t *v = http_json(env.mport, "/varz");
    char sname[128];
    snprintf(sname, sizeof(sname), "%s", jget_str(v, "server_name"));
    json_decref(v);
    j = http_json(env.mport, "/jsz?streams=1");
    json_t *s = json_array_get(
        json_object_get(json_array_get(json_object_get(j, "account_details"), 0), "stream_detail"),
        0);
    IT_CHECK(s && !json_object_get(s, "config") && !json_object_get(s, "consumer_detail") &&
                 strcmp(jget_str(s, "cluster.leader"), sname) == 0,
             "streams=1: no config, no consumers, cluster.leader is the server name");
    json_decref(j);
    j = http_json(env.mport, "/jsz?consumers=1");
    s = json_array_get(
        json_object_get(json_array_get(json_object_get(j, "account_details"), 0), "stream_detail"),
        0);
    json_t *c = json_array_get(json_object_get(s, "consumer_detail"), 0);
    IT_CHECK(c && !json_object_get(c, "config") && !json_object_get(s, "config") &&
                 jget_int(c, "delivered.stream_seq") == 5 &&
                 jget_int(c, "ack_floor.stream_seq") == 5,
             "consumers=1 implies streams and accounts; no config without config=1");
    json_decref(j);
    j = http_json(env.mport, "/jsz?acc=$G");
    IT_CHECK(json_array_size(json_object_get(j, "account_details")) == 1, "acc=$G shows it");
    json_decref(j);
    j = http_json(env.mport, "/jsz?acc=NOPE");
    IT_CHECK(!json_object_get(j, "account_details"), "acc=<unknown> shows none");
    json_decref(j);
    j = http_json(env.mport, "/jsz?accounts=1&offset=1");
    IT_CHECK(!json_object_get(j, "account_details"), "offset past the only account: none");
    json_decref(j);
    http_expect_text(env.mport, "/jsz?limit=x", 400,
                     "Error decoding int for 'limit': strconv.Atoi: parsing \"x\": invalid syntax");
    http_expect_text(env.mport, "/jsz?consumers=maybe", 400,
                     "Error decoding boolean for 'consumers': strconv.ParseBool: parsing "
                     "\"maybe\": invalid syntax");
    j = http_json(env.mport, "/varz");
    IT_CHECK(jget_int(j, "jetstream.stats.accounts") == 1 &&
                 jget_int(j, "jetstream.config.max_storage") > 0 &&
                 jget_int(j, "jetstream.stats.storage") > 0,
             "varz jetstream config and stats");
    json_decref(j);
    natsSubscription_Destroy(sub);
    mon_stop(&env);
}

void it_case_jsz_disabled(void)
{
    struct mon_env env = {0};
    mon_start(&env, false, NULL);
    json_t *j = http_json(env.mport, "/jsz?accounts=1");
    IT_CHECK(json_is_true(json_object_get(j, "disabled")) &&
                 jget_int(j, "config.max_memory") == 0 && jget_int(j, "streams") == 0 &&
                 !json_object_get(j, "account_details"),
             "JetStream off: disabled true, zero config, no accounts");
    json_decref(j);
    j = http_json(env.mport, "/varz");
    IT_CHECK(json_object_size(json_object_get(j, "jetstream")) == 0, "varz jetstream {}");
    json_decref(j);
    http_expect_text(env.mport, "/healthz?js-enabled-only=true", 200, "{\"status\":\"ok\"}");
    mon_stop(&env);
}

void it_case_healthz_variants(void)
{
    struct mon_env env = {0};
    mon_start(&env, true, NULL);
    static const char *const ok[] = {"/healthz", "/healthz?js-enabled-only=true",
                                     "/healthz?js-server-only=1", "/healthz?js-enabled=true"};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct http_resp r;
        http_get(env.mport, ok[i], &r);
        IT_CHECK(r.status == 200 && strcmp(r.body, "{\"status\":\"ok\"}") == 0 &&
                     strcmp(r.ctype, "application/json") == 0,
                 "%s -> 200 {\"status\":\"ok\"}", ok[i]);
        http_resp_free(&r);
    }
    http_expect_text(env.mport, "/healthz?js-server-only=x", 400,
                     "Error decoding boolean for 'js-server-only': strconv.ParseBool: parsing "
                     "\"x\": invalid syntax");
    http_expect_text(env.mport, "/healthz?callback=cb", 200, "cb({\"status\":\"ok\"})");
    mon_stop(&env);
}

/* Gannet only: nats-server 2.9.10 answers ok here; later versions check that every stream
 * directory was recovered, and Gannet also that the store directory is usable. */
void it_case_healthz_store_unavailable(void)
{
    struct mon_env env = {0};
    mon_start(&env, true, NULL);
    natsSubscription *sub = orders_setup(&env);
    char ghost[512], moved[512];
    snprintf(ghost, sizeof(ghost), "%s/jetstream/$G/streams/GHOST", env.store);
    IT_ASSERT(mkdir(ghost, 0755) == 0, "mkdir %s", ghost);
    http_expect_text(env.mport, "/healthz", 503,
                     "{\"status\":\"unavailable\",\"error\":\"JetStream stream '$G \\u003e GHOST' "
                     "could not be recovered\"}");
    http_expect_text(env.mport, "/healthz?js-enabled-only=1", 200, "{\"status\":\"ok\"}");
    struct http_resp r;
    http_get(env.mport, "/metrics", &r);
    IT_CHECK(strstr(r.body, "\nnats_healthz_status{") &&
                 strstr(r.body, "nats_healthz_status_value{server_id=\"") &&
                 strstr(r.body, "value=\"unavailable\"} 0"),
             "/metrics reports the failed health");
    http_resp_free(&r);
    IT_ASSERT(rmdir(ghost) == 0, "rmdir");
    http_expect_text(env.mport, "/healthz", 200, "{\"status\":\"ok\"}");
    snprintf(moved, sizeof(moved), "%s.gone", env.store);
    IT_ASSERT(rename(env.store, moved) == 0, "rename store dir");
    http_get(env.mport, "/healthz", &r);
    IT_CHECK(r.status == 503 && strstr(r.body, "\"status\":\"unavailable\"") &&
                 strstr(r.body, "is not accessible"),
             "store directory gone -> 503 unavailable (%s)", r.body);
    http_resp_free(&r);
    IT_ASSERT(rename(moved, env.store) == 0, "rename back");
    http_expect_text(env.mport, "/healthz", 200, "{\"status\":\"ok\"}");
    kill(env.srv.pid, SIGUSR2); /* lame duck: no longer ready for connections */
    int64_t deadline = it_now_ms() + 5000;
    do
        http_get(env.mport, "/healthz", &r);
    while (r.status == 200 && it_now_ms() < deadline && (http_resp_free(&r), usleep(20000)) == 0);
    IT_CHECK(r.status == 503 && strstr(r.body, "\"status\":\"error\""),
             "lame duck -> 503 error (%s)", r.body);
    http_resp_free(&r);
    natsSubscription_Destroy(sub);
    mon_stop(&env);
}
