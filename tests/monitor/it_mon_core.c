/* it_mon core cases: /varz counters under concurrent load, /connz fields, sorting, paging,
 * filters, the closed-connection ring and its error texts, /subsz. */
#include "it_mon.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NPUB    3    /* publisher connections */
#define PER_PUB 2000 /* messages each */
#define MSG_LEN 100  /* payload bytes */

static void on_msg(natsConnection *nc, natsSubscription *sub, natsMsg *m, void *arg)
{
    atomic_fetch_add((_Atomic int64_t *)arg, 1);
    natsMsg_Destroy(m);
}

struct pub_job {
    struct mon_env *env;
    int idx;
    natsConnection *nc;
};

static void *pub_thread(void *arg)
{
    struct pub_job *j = arg;
    char subj[32];
    snprintf(subj, sizeof(subj), "load.%d", j->idx);
    mon_publish(j->nc, subj, PER_PUB, MSG_LEN);
    return NULL;
}

/* Runs NPUB publishers in threads towards one subscriber on load.>, waits until every message
 * arrived. The connections stay open (caller frees them with end_load). */
static natsSubscription *run_load(struct mon_env *env, natsConnection **pubs,
                                  natsConnection **sub_nc)
{
    static _Atomic int64_t got;
    natsSubscription *sub = NULL;
    atomic_store(&got, 0);
    *sub_nc = mon_connect(env, "mon-sub");
    IT_NATS(natsConnection_Subscribe(&sub, *sub_nc, "load.>", on_msg, (void *)&got));
    IT_NATS(natsConnection_FlushTimeout(*sub_nc, 5000));
    pthread_t th[NPUB];
    struct pub_job jobs[NPUB];
    for (int i = 0; i < NPUB; i++) {
        char name[32];
        snprintf(name, sizeof(name), "mon-pub-%d", i);
        pubs[i] = mon_connect(env, name);
        jobs[i] = (struct pub_job){.env = env, .idx = i, .nc = pubs[i]};
    }
    for (int i = 0; i < NPUB; i++)
        IT_ASSERT(pthread_create(&th[i], NULL, pub_thread, &jobs[i]) == 0, "pthread_create");
    for (int i = 0; i < NPUB; i++)
        pthread_join(th[i], NULL);
    int64_t deadline = it_now_ms() + 10000;
    while (atomic_load(&got) < NPUB * PER_PUB && it_now_ms() < deadline)
        usleep(5000);
    IT_CHECK(atomic_load(&got) == NPUB * PER_PUB, "subscriber received %d messages",
             NPUB * PER_PUB);
    return sub;
}

static void end_load(natsConnection **pubs, natsConnection *sub_nc, natsSubscription *sub)
{
    for (int i = 0; i < NPUB; i++)
        natsConnection_Destroy(pubs[i]);
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(sub_nc);
}

void it_case_varz_exact_counts(void)
{
    struct mon_env env = {0};
    natsConnection *pubs[NPUB], *sub_nc;
    mon_start(&env, false, NULL);
    json_t *v = http_json(env.mport, "/varz");
    int64_t conns0 = jget_int(v, "total_connections"); /* the harness's port probe counts too */
    json_decref(v);
    natsSubscription *sub = run_load(&env, pubs, &sub_nc);
    int64_t total = NPUB * PER_PUB;
    mon_wait_int(env.mport, "/varz", "in_msgs", total);
    mon_wait_int(env.mport, "/varz", "out_msgs", total);
    v = http_json(env.mport, "/varz");
    IT_CHECK(jget_int(v, "in_bytes") == total * MSG_LEN, "varz in_bytes == %lld",
             (long long)(total * MSG_LEN));
    IT_CHECK(jget_int(v, "out_bytes") == total * MSG_LEN, "varz out_bytes exact");
    IT_CHECK(jget_int(v, "connections") == NPUB + 2, "varz connections == %d", NPUB + 2);
    IT_CHECK(jget_int(v, "total_connections") == conns0 + NPUB + 1,
             "varz total_connections grew by %d", NPUB + 1);
    IT_CHECK(jget_int(v, "slow_consumers") == 0, "varz slow_consumers == 0");
    IT_CHECK(jget_int(v, "subscriptions") >= 1, "varz subscriptions counted");
    IT_CHECK(strcmp(jget_str(v, "version"), "2.9.10") == 0, "varz version 2.9.10");
    IT_CHECK(jget_int(v, "http_port") == env.mport, "varz http_port is the monitoring port");
    IT_CHECK(jget_int(v, "port") == env.srv.port, "varz port is the client port");
    json_decref(v);
    json_t *c = http_json(env.mport, "/connz");
    json_t *conns = json_object_get(c, "connections");
    IT_CHECK(jget_int(c, "num_connections") == NPUB + 2, "connz num_connections");
    for (int i = 0; i < NPUB; i++) {
        char name[32];
        snprintf(name, sizeof(name), "mon-pub-%d", i);
        json_t *e = jfind(conns, "name", name);
        IT_ASSERT(e, "connz lists %s", name);
        IT_ASSERT(jget_int(e, "in_msgs") == PER_PUB && jget_int(e, "in_bytes") == PER_PUB * MSG_LEN,
                  "%s in_msgs/in_bytes", name);
    }
    it_ok("connz: every publisher in_msgs == %d, in_bytes == %d", PER_PUB, PER_PUB * MSG_LEN);
    json_t *s = jfind(conns, "name", "mon-sub");
    IT_CHECK(s && jget_int(s, "out_msgs") == total && jget_int(s, "out_bytes") == total * MSG_LEN &&
                 jget_int(s, "subscriptions") == 1,
             "connz: subscriber out_msgs == %lld, out_bytes exact, 1 subscription",
             (long long)total);
    json_decref(c);
    end_load(pubs, sub_nc, sub);
    mon_stop(&env);
}

/* ---- concurrent polling ---- */

struct poller {
    int port;
    _Atomic bool stop;
    int polls;
    bool monotonic;
};

static void *poll_thread(void *arg)
{
    struct poller *p = arg;
    int64_t last_in = 0, last_out = 0;
    p->monotonic = true;
    while (!atomic_load(&p->stop)) {
        json_t *v = http_json(p->port, "/varz");
        int64_t in = jget_int(v, "in_msgs"), out = jget_int(v, "out_msgs");
        json_decref(v);
        if (in < last_in || out < last_out)
            p->monotonic = false;
        last_in = in;
        last_out = out;
        json_decref(http_json(p->port, p->polls % 2 ? "/connz?subs=1" : "/subsz"));
        p->polls++;
    }
    return NULL;
}

void it_case_varz_concurrent_polling(void)
{
    struct mon_env env = {0};
    natsConnection *pubs[NPUB], *sub_nc;
    mon_start(&env, false, NULL);
    struct poller p = {.port = env.mport};
    pthread_t th;
    IT_ASSERT(pthread_create(&th, NULL, poll_thread, &p) == 0, "pthread_create");
    natsSubscription *sub = run_load(&env, pubs, &sub_nc);
    atomic_store(&p.stop, true);
    pthread_join(th, NULL);
    IT_CHECK(p.polls > 0 && p.monotonic, "in_msgs/out_msgs never went backwards over %d polls",
             p.polls);
    mon_wait_int(env.mport, "/varz", "in_msgs", NPUB * PER_PUB);
    mon_wait_int(env.mport, "/varz", "out_msgs", NPUB * PER_PUB);
    end_load(pubs, sub_nc, sub);
    mon_stop(&env);
}

/* ---- /connz ---- */

/* Three named clients: c-a (1 sub, publishes 10), c-b (3 subs incl. a queue sub, publishes 5),
 * c-c (2 subs). */
static void three_clients(struct mon_env *env, natsConnection *nc[3], natsSubscription *subs[6])
{
    static const char *const names[] = {"c-a", "c-b", "c-c"};
    for (int i = 0; i < 3; i++)
        nc[i] = mon_connect(env, names[i]);
    IT_NATS(natsConnection_SubscribeSync(&subs[0], nc[0], "a.one"));
    IT_NATS(natsConnection_SubscribeSync(&subs[1], nc[1], "b.one"));
    IT_NATS(natsConnection_SubscribeSync(&subs[2], nc[1], "b.two"));
    IT_NATS(natsConnection_QueueSubscribeSync(&subs[3], nc[1], "b.q", "grp"));
    IT_NATS(natsConnection_SubscribeSync(&subs[4], nc[2], "c.>"));
    IT_NATS(natsConnection_SubscribeSync(&subs[5], nc[2], "c.x"));
    mon_publish(nc[0], "nobody.here", 10, 8);
    mon_publish(nc[1], "b.one", 5, 4);
    IT_NATS(natsConnection_FlushTimeout(nc[2], 5000));
    mon_wait_int(env->mport, "/varz", "in_msgs", 15);
    mon_wait_int(env->mport, "/varz", "out_msgs", 5);
}

static void free_clients(natsConnection *nc[3], natsSubscription *subs[6])
{
    for (int i = 0; i < 6; i++)
        natsSubscription_Destroy(subs[i]);
    for (int i = 0; i < 3; i++)
        natsConnection_Destroy(nc[i]);
}

/* Names of the connections of <path> in order, joined by ','. */
static void order_of(int port, const char *path, char *out, size_t cap)
{
    json_t *j = http_json(port, path), *e;
    size_t i;
    out[0] = '\0';
    json_array_foreach(json_object_get(j, "connections"), i, e)
    {
        json_t *n = json_object_get(e, "name");
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s%s", l ? "," : "", n ? json_string_value(n) : "?");
    }
    json_decref(j);
}

static void check_order(int port, const char *path, const char *want)
{
    char got[256];
    order_of(port, path, got, sizeof(got));
    IT_CHECK(strcmp(got, want) == 0, "%s orders %s (got %s)", path, want, got);
}

static void check_conn_fields(json_t *e)
{
    static const char *const keys[] = {"cid",      "kind",     "type",          "ip",
                                       "port",     "start",    "last_activity", "rtt",
                                       "uptime",   "idle",     "pending_bytes", "in_msgs",
                                       "out_msgs", "in_bytes", "out_bytes",     "subscriptions",
                                       "name",     "lang",     "version"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        IT_ASSERT(json_object_get(e, keys[i]), "connection has %s", keys[i]);
    IT_CHECK(
        strcmp(jget_str(e, "kind"), "Client") == 0 && strcmp(jget_str(e, "type"), "nats") == 0 &&
            strcmp(jget_str(e, "ip"), "127.0.0.1") == 0 && strcmp(jget_str(e, "lang"), "C") == 0,
        "connection fields present; kind Client, type nats, ip 127.0.0.1, lang C");
    IT_CHECK(!json_object_get(e, "stop") && !json_object_get(e, "reason") &&
                 !json_object_get(e, "subscriptions_list"),
             "an open connection has no stop/reason, no list unless asked");
}

void it_case_connz_fields_and_sort(void)
{
    struct mon_env env = {0};
    natsConnection *nc[3];
    natsSubscription *subs[6];
    mon_start(&env, false, NULL);
    three_clients(&env, nc, subs);
    json_t *j = http_json(env.mport, "/connz");
    json_t *b = jfind(json_object_get(j, "connections"), "name", "c-b");
    IT_ASSERT(b, "c-b listed");
    check_conn_fields(b);
    IT_CHECK(jget_int(b, "subscriptions") == 3 && jget_int(b, "in_msgs") == 5 &&
                 jget_int(b, "in_bytes") == 20 && jget_int(b, "out_msgs") == 5 &&
                 jget_int(b, "out_bytes") == 20,
             "c-b: 3 subscriptions, in 5/20, out 5/20 (its own echo)");
    json_decref(j);
    check_order(env.mport, "/connz", "mon-main,c-a,c-b,c-c");
    check_order(env.mport, "/connz?sort=cid", "mon-main,c-a,c-b,c-c");
    check_order(env.mport, "/connz?sort=subs", "c-b,c-c,c-a,mon-main");
    check_order(env.mport, "/connz?sort=msgs_from&limit=2", "c-a,c-b");
    check_order(env.mport, "/connz?sort=bytes_from&limit=2", "c-a,c-b");
    check_order(env.mport, "/connz?sort=msgs_to&limit=1", "c-b");
    check_order(env.mport, "/connz?sort=start", "mon-main,c-a,c-b,c-c");
    check_order(env.mport, "/connz?sort=uptime", "c-c,c-b,c-a,mon-main");
    j = http_json(env.mport, "/connz?subs=1");
    b = jfind(json_object_get(j, "connections"), "name", "c-b");
    json_t *l = json_object_get(b, "subscriptions_list");
    IT_CHECK(json_array_size(l) == 3, "subs=1: c-b lists its 3 subjects");
    json_decref(j);
    j = http_json(env.mport, "/connz?subs=detail");
    b = jfind(json_object_get(j, "connections"), "name", "c-b");
    l = json_object_get(b, "subscriptions_list_detail");
    json_t *q = jfind(l, "subject", "b.q"), *one = jfind(l, "subject", "b.one");
    IT_CHECK(q && strcmp(jget_str(q, "qgroup"), "grp") == 0 && one && jget_int(one, "msgs") == 5 &&
                 jget_int(one, "cid") == jget_int(b, "cid") && json_object_get(one, "sid") &&
                 !json_object_get(one, "account"),
             "subs=detail: qgroup, sid, msgs == 5, cid, no account member");
    json_decref(j);
    free_clients(nc, subs);
    mon_stop(&env);
}

void it_case_connz_paging_and_filters(void)
{
    struct mon_env env = {0};
    natsConnection *nc[3];
    natsSubscription *subs[6];
    mon_start(&env, false, NULL);
    three_clients(&env, nc, subs);
    json_t *j = http_json(env.mport, "/connz?limit=2");
    IT_CHECK(jget_int(j, "num_connections") == 2 && jget_int(j, "total") == 4 &&
                 jget_int(j, "limit") == 2 && jget_int(j, "offset") == 0,
             "limit=2: 2 of total 4");
    json_decref(j);
    check_order(env.mport, "/connz?offset=1&limit=2", "c-a,c-b");
    j = http_json(env.mport, "/connz?offset=10");
    IT_CHECK(jget_int(j, "num_connections") == 0 &&
                 json_array_size(json_object_get(j, "connections")) == 0 &&
                 json_is_array(json_object_get(j, "connections")),
             "offset past the end: connections []");
    json_decref(j);
    j = http_json(env.mport, "/connz?limit=-5&offset=-3");
    IT_CHECK(jget_int(j, "limit") == 1024 && jget_int(j, "offset") == 0,
             "bad limit/offset default");
    json_decref(j);
    char path[128], got[256];
    j = http_json(env.mport, "/connz?sort=cid");
    int64_t cid_b = jget_int(jfind(json_object_get(j, "connections"), "name", "c-b"), "cid");
    json_decref(j);
    snprintf(path, sizeof(path), "/connz?cid=%lld", (long long)cid_b);
    order_of(env.mport, path, got, sizeof(got));
    j = http_json(env.mport, path);
    IT_CHECK(strcmp(got, "c-b") == 0 && jget_int(j, "limit") == 1, "cid=%lld selects c-b, limit 1",
             (long long)cid_b);
    json_decref(j);
    check_order(env.mport, "/connz?cid=999999", "");
    check_order(env.mport, "/connz?acc=$G", "mon-main,c-a,c-b,c-c");
    j = http_json(env.mport, "/connz?acc=NOPE");
    IT_CHECK(strcmp(jget_str(j, "server_id"), "") == 0 &&
                 json_is_null(json_object_get(j, "connections")) && jget_int(j, "total") == 0,
             "acc=<unknown>: empty server_id, connections null (nats-server's shape)");
    json_decref(j);
    free_clients(nc, subs);
    mon_stop(&env);
}

void it_case_connz_closed_ring(void)
{
    struct mon_env env = {0};
    mon_start(&env, false, NULL);
    natsConnection *c = mon_connect(&env, "c-closing");
    natsSubscription *s1, *s2;
    IT_NATS(natsConnection_SubscribeSync(&s1, c, "z.one"));
    IT_NATS(natsConnection_SubscribeSync(&s2, c, "z.two"));
    mon_publish(c, "z.one", 3, 7);
    mon_wait_int(env.mport, "/varz", "out_msgs", 3);
    json_t *j = http_json(env.mport, "/connz");
    int64_t cid = jget_int(jfind(json_object_get(j, "connections"), "name", "c-closing"), "cid");
    json_decref(j);
    natsConnection_Destroy(c); /* closed while still subscribed */
    natsSubscription_Destroy(s1);
    natsSubscription_Destroy(s2);
    char path[128], got[256];
    snprintf(path, sizeof(path), "/connz?state=closed&subs=1&cid=%lld", (long long)cid);
    mon_wait_int(env.mport, path, "num_connections", 1);
    j = http_json(env.mport, path);
    json_t *e = json_array_get(json_object_get(j, "connections"), 0);
    IT_CHECK(e && jget_int(e, "cid") == cid &&
                 strcmp(jget_str(e, "reason"), "Client Closed") == 0 &&
                 json_object_get(e, "stop") && jget_int(e, "in_msgs") == 3 &&
                 jget_int(e, "out_msgs") == 3 && strcmp(jget_str(e, "name"), "c-closing") == 0,
             "state=closed: cid %lld, reason Client Closed, stop set, in/out 3", (long long)cid);
    IT_CHECK(json_array_size(json_object_get(e, "subscriptions_list")) == 2,
             "a closed connection keeps its subscription list");
    json_decref(j);
    j = http_json(env.mport, "/connz?state=closed");
    int64_t nclosed = jget_int(j, "total");
    json_decref(j);
    j = http_json(env.mport, "/connz?state=all");
    IT_CHECK(jget_int(j, "total") == nclosed + 1 && jget_int(j, "num_connections") == nclosed + 1,
             "state=all: 1 open + %lld closed", (long long)nclosed);
    json_decref(j);
    json_decref(http_json(env.mport, "/connz?state=closed&sort=stop"));
    json_decref(http_json(env.mport, "/connz?state=closed&sort=reason"));
    it_ok("sort=stop and sort=reason accepted with state=closed");
    snprintf(path, sizeof(path), "/connz?state=all&cid=%lld", (long long)cid);
    order_of(env.mport, path, got, sizeof(got));
    IT_CHECK(strcmp(got, "c-closing") == 0, "cid lookup with state=all finds the closed one");
    snprintf(path, sizeof(path), "/connz?cid=%lld", (long long)cid);
    order_of(env.mport, path, got, sizeof(got));
    IT_CHECK(strcmp(got, "") == 0, "cid lookup with state=open does not");
    mon_stop(&env);
}

void it_case_connz_bad_params(void)
{
    struct mon_env env = {0};
    mon_start(&env, false, NULL);
    int p = env.mport;
    http_expect_text(p, "/connz?sort=bogus", 400, "invalid sorting option: bogus");
    http_expect_text(p, "/connz?sort=rtt", 400, "invalid sorting option: rtt");
    http_expect_text(p, "/connz?sort=stop", 400, "sort by stop only valid on closed connections");
    http_expect_text(p, "/connz?sort=reason&state=all", 400,
                     "sort by reason only valid on closed connections");
    http_expect_text(p, "/connz?limit=x", 400,
                     "Error decoding int for 'limit': strconv.Atoi: parsing \"x\": invalid syntax");
    http_expect_text(p, "/connz?offset=1.5", 400,
                     "Error decoding int for 'offset': strconv.Atoi: parsing \"1.5\": invalid "
                     "syntax");
    http_expect_text(p, "/connz?cid=-1", 400,
                     "Error decoding uint64 for 'cid': strconv.ParseUint: parsing \"-1\": invalid "
                     "syntax");
    http_expect_text(p, "/connz?auth=maybe", 400,
                     "Error decoding boolean for 'auth': strconv.ParseBool: parsing \"maybe\": "
                     "invalid syntax");
    http_expect_text(p, "/connz?subs=yes", 400,
                     "Error decoding boolean for 'subs': strconv.ParseBool: parsing \"yes\": "
                     "invalid syntax");
    http_expect_text(p, "/connz?state=foo", 400, "Error decoding state for foo");
    struct http_resp r;
    http_get(p, "/connz?state=foo", &r);
    IT_CHECK(strcmp(r.ctype, "text/plain; charset=utf-8") == 0, "errors are text/plain");
    http_resp_free(&r);
    json_decref(http_json(p, "/connz?auth=TRUE&subs=DETAIL&state=ANY&sort=idle"));
    it_ok("ParseBool spellings, subs=DETAIL, state=ANY accepted");
    mon_stop(&env);
}

void it_case_connz_auth_user(void)
{
    struct mon_env env = {0};
    char mp[16];
    env.mport = it_port_pick();
    snprintf(mp, sizeof(mp), "%d", env.mport);
    const char *args[] = {"-m", mp, NULL};
    it_server_start(&env.srv,
                    "authorization {\n  users = [\n    {user: alice, password: pw1}\n"
                    "    {user: bob, password: pw2}\n  ]\n}\n",
                    args);
    natsOptions *o;
    natsConnection *a, *b;
    IT_NATS(natsOptions_Create(&o));
    IT_NATS(natsOptions_SetUserInfo(o, "alice", "pw1"));
    a = it_connect(&env.srv, o);
    IT_NATS(natsOptions_SetUserInfo(o, "bob", "pw2"));
    b = it_connect(&env.srv, o);
    natsOptions_Destroy(o);
    json_t *j = http_json(env.mport, "/connz?auth=true");
    json_t *conns = json_object_get(j, "connections");
    IT_CHECK(jfind(conns, "authorized_user", "alice") && jfind(conns, "authorized_user", "bob") &&
                 !jfind(conns, "account", "$G"),
             "auth=true: authorized_user alice and bob, no account member for $G");
    json_decref(j);
    j = http_json(env.mport, "/connz");
    IT_CHECK(!jfind(json_object_get(j, "connections"), "authorized_user", "alice"),
             "without auth=true no authorized_user");
    json_decref(j);
    j = http_json(env.mport, "/connz?auth=1&user=bob");
    conns = json_object_get(j, "connections");
    IT_CHECK(json_array_size(conns) == 1 && jfind(conns, "authorized_user", "bob") &&
                 jget_int(j, "total") == 2,
             "user=bob: one connection, total still counts 2 (nats-server)");
    json_decref(j);
    j = http_json(env.mport, "/varz");
    IT_CHECK(json_is_true(json_object_get(j, "auth_required")), "varz auth_required true");
    json_decref(j);
    natsConnection_Destroy(a);
    natsConnection_Destroy(b);
    it_server_cleanup(&env.srv);
}

/* ---- /subsz ---- */

void it_case_subsz_list_and_test(void)
{
    struct mon_env env = {0};
    natsSubscription *s[5];
    mon_start(&env, false, NULL);
    natsConnection *c = mon_connect(&env, "c-subs");
    IT_NATS(natsConnection_SubscribeSync(&s[0], c, "mon.a"));
    IT_NATS(natsConnection_SubscribeSync(&s[1], c, "mon.*"));
    IT_NATS(natsConnection_SubscribeSync(&s[2], c, "mon.>"));
    IT_NATS(natsConnection_QueueSubscribeSync(&s[3], c, "mon.q", "g1"));
    IT_NATS(natsConnection_SubscribeSync(&s[4], c, "other.x"));
    mon_publish(c, "mon.a", 4, 3);
    mon_wait_int(env.mport, "/varz", "out_msgs", 12);
    json_t *j = http_json(env.mport, "/subsz");
    IT_CHECK(jget_int(j, "num_subscriptions") >= 5 && !json_object_get(j, "server_id") &&
                 !json_object_get(j, "subscriptions_list") &&
                 json_object_get(j, "cache_hit_rate") && json_object_get(j, "avg_fanout") &&
                 json_object_get(j, "num_cache"),
             "/subsz: the bare sublist statistics");
    json_decref(j);
    j = http_json(env.mport, "/subsz?subs=1&test=mon.a");
    json_t *l = json_object_get(j, "subscriptions_list");
    json_t *a = jfind(l, "subject", "mon.a");
    IT_CHECK(json_array_size(l) == 3 && jget_int(j, "total") == 3 && a &&
                 jfind(l, "subject", "mon.*") && jfind(l, "subject", "mon.>") &&
                 strcmp(jget_str(a, "account"), "$G") == 0 && jget_int(a, "msgs") == 4 &&
                 json_object_get(j, "server_id"),
             "test=mon.a: mon.a, mon.*, mon.> (account $G, msgs 4)");
    json_decref(j);
    j = http_json(env.mport, "/subsz?subs=1&test=mon.q");
    json_t *q = jfind(json_object_get(j, "subscriptions_list"), "subject", "mon.q");
    IT_CHECK(q && strcmp(jget_str(q, "qgroup"), "g1") == 0, "test=mon.q: queue sub with qgroup");
    json_decref(j);
    j = http_json(env.mport, "/subsz?subs=1&test=mon.a&limit=2");
    IT_CHECK(json_array_size(json_object_get(j, "subscriptions_list")) == 2 &&
                 jget_int(j, "total") == 2 && jget_int(j, "limit") == 2,
             "limit=2: two listed, total == page size (nats-server)");
    json_decref(j);
    j = http_json(env.mport, "/subsz?subs=1&test=mon.a&offset=3");
    IT_CHECK(!json_object_get(j, "subscriptions_list") && !json_object_get(j, "server_id"),
             "an empty page answers the bare statistics");
    json_decref(j);
    http_expect_text(env.mport, "/subsz?test=mon.*", 400,
                     "invalid test subject, must be valid publish subject: mon.*");
    http_expect_text(env.mport, "/subsz?subs=x", 400,
                     "Error decoding boolean for 'subs': strconv.ParseBool: parsing \"x\": invalid "
                     "syntax");
    j = http_json(env.mport, "/subscriptionsz?subs=1&test=other.x");
    IT_CHECK(json_array_size(json_object_get(j, "subscriptions_list")) == 1,
             "/subscriptionsz is /subsz");
    json_decref(j);
    for (int i = 0; i < 5; i++)
        natsSubscription_Destroy(s[i]);
    natsConnection_Destroy(c);
    mon_stop(&env);
}
