/* it_mon cases for the remaining endpoints, JSONP and content types, and the config-file forms
 * of the monitoring port (http: host:port, http_port, monitor_port, http_base_path). */
#include "it_mon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void it_case_misc_endpoints(void)
{
    struct mon_env env = {0};
    mon_start(&env, false, NULL);
    int p = env.mport;
    json_t *j = http_json(p, "/routez");
    IT_CHECK(jget_int(j, "num_routes") == 0 && json_array_size(json_object_get(j, "routes")) == 0 &&
                 json_is_array(json_object_get(j, "routes")) && json_object_get(j, "server_id"),
             "/routez: num_routes 0, routes []");
    json_decref(j);
    j = http_json(p, "/gatewayz");
    IT_CHECK(json_is_object(json_object_get(j, "outbound_gateways")) &&
                 json_object_size(json_object_get(j, "inbound_gateways")) == 0,
             "/gatewayz: empty outbound/inbound maps");
    json_decref(j);
    j = http_json(p, "/leafz?subs=1");
    IT_CHECK(jget_int(j, "leafnodes") == 0 && json_is_null(json_object_get(j, "leafs")),
             "/leafz: leafnodes 0, leafs null");
    json_decref(j);
    j = http_json(p, "/accountz");
    json_t *accs = json_object_get(j, "accounts");
    bool has_g = false;
    for (size_t i = 0; i < json_array_size(accs); i++)
        has_g |= strcmp(json_string_value(json_array_get(accs, i)), "$G") == 0;
    IT_CHECK(has_g, "/accountz lists $G");
    json_decref(j);
    j = http_json(p, "/accountz?acc=$G");
    IT_CHECK(
        strcmp(jget_str(j, "account_detail.account_name"), "$G") == 0 &&
            jget_int(j, "account_detail.client_connections") == 1 &&
            json_is_object(json_object_get(json_object_get(j, "account_detail"), "sublist_stats")),
        "/accountz?acc=$G: account_detail with client_connections 1, sublist_stats");
    json_decref(j);
    http_expect_text(p, "/accountz?acc=nope", 400, "Account nope does not exist");
    mon_publish(env.nc, "nowhere", 3, 10);
    mon_wait_int(p, "/varz", "in_msgs", 3);
    j = http_json(p, "/accstatz");
    json_t *g = jfind(json_object_get(j, "account_statz"), "acc", "$G");
    IT_CHECK(g && jget_int(g, "conns") == 1 && jget_int(g, "total_conns") == 1 &&
                 jget_int(g, "received.msgs") == 3 && jget_int(g, "received.bytes") == 30 &&
                 jget_int(g, "sent.msgs") == 0 && jget_int(g, "slow_consumers") == 0,
             "/accstatz: $G conns 1, received 3/30, sent 0");
    json_decref(j);
    http_expect_text(p, "/accstatz?unused=x", 400,
                     "Error decoding boolean for 'unused': strconv.ParseBool: parsing \"x\": "
                     "invalid syntax");
    http_expect_text(p, "/nope", 404, "404 page not found\n");
    http_expect_text(p, "/varz/", 404, "404 page not found\n");
    struct http_resp r;
    http_get(p, "/", &r);
    IT_CHECK(r.status == 200 && strcmp(r.ctype, "text/html; charset=utf-8") == 0 &&
                 strstr(r.body, "varz") && strstr(r.body, "connz") && strstr(r.body, "jsz") &&
                 strstr(r.body, "healthz"),
             "root page: text/html linking the endpoints");
    http_resp_free(&r);
    j = http_json(p, "/varz");
    IT_CHECK(jget_int(j, "http_req_stats./") >= 1 && jget_int(j, "http_req_stats./varz") >= 2 &&
                 jget_int(j, "http_req_stats./routez") == 1,
             "varz http_req_stats counts the requests per path");
    json_decref(j);
    mon_stop(&env);
}

void it_case_jsonp_and_types(void)
{
    struct mon_env env = {0};
    mon_start(&env, false, NULL);
    static const char *const paths[] = {"/varz",     "/connz",  "/subsz",    "/jsz",  "/accountz",
                                        "/accstatz", "/routez", "/gatewayz", "/leafz"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        char path[64];
        struct http_resp r;
        json_decref(http_json(env.mport, paths[i]));
        snprintf(path, sizeof(path), "%s?callback=myFn", paths[i]);
        http_get(env.mport, path, &r);
        bool wrapped = r.len > 8 && strncmp(r.body, "myFn({", 6) == 0 && r.body[r.len - 1] == ')';
        json_t *inner =
            wrapped ? json_loadb(r.body + 5, r.len - 6, JSON_DECODE_INT_AS_REAL, NULL) : NULL;
        IT_CHECK(r.status == 200 && strcmp(r.ctype, "application/javascript") == 0 && inner,
                 "%s: application/json; with callback=myFn: application/javascript myFn({...})",
                 paths[i]);
        json_decref(inner);
        http_resp_free(&r);
    }
    struct http_resp r;
    http_get(env.mport, "/varz", &r);
    IT_CHECK(strncmp(r.body, "{\n  \"server_id\": \"", 18) == 0 && r.body[r.len - 1] == '}',
             "JSON is indented like Go's MarshalIndent (two spaces, \": \")");
    http_resp_free(&r);
    mon_stop(&env);
}

/* Starts a server configured only by <conf> and checks that /varz answers on <port>. */
static void conf_case(const char *conf, int port, const char *what)
{
    struct it_server srv = {0};
    it_server_start(&srv, conf, NULL);
    json_t *j = http_json(port, "/varz");
    IT_CHECK(jget_int(j, "http_port") == port, "%s: monitoring on %d", what, port);
    json_decref(j);
    it_server_cleanup(&srv);
}

void it_case_config_http_forms(void)
{
    char conf[256];
    int port = it_port_pick();
    snprintf(conf, sizeof(conf), "http: \"127.0.0.1:%d\"\n", port);
    conf_case(conf, port, "http: \"127.0.0.1:<port>\"");
    port = it_port_pick();
    snprintf(conf, sizeof(conf), "http: %d\n", port);
    conf_case(conf, port, "http: <port>");
    port = it_port_pick();
    snprintf(conf, sizeof(conf), "http_port: %d\n", port);
    conf_case(conf, port, "http_port: <port>");
    port = it_port_pick();
    snprintf(conf, sizeof(conf), "monitor_port = %d\n", port);
    conf_case(conf, port, "monitor_port = <port>");
}

void it_case_config_base_path(void)
{
    char conf[256];
    struct it_server srv = {0};
    int port = it_port_pick();
    snprintf(conf, sizeof(conf), "http_port: %d\nhttp_base_path: /nats\n", port);
    it_server_start(&srv, conf, NULL);
    json_t *j = http_json(port, "/nats/varz");
    IT_CHECK(strcmp(jget_str(j, "http_base_path"), "/nats") == 0,
             "http_base_path /nats: /nats/varz answers, reporting the base path");
    json_decref(j);
    json_decref(http_json(port, "/nats/connz"));
    json_decref(http_json(port, "/nats/jsz"));
    it_ok("/nats/connz and /nats/jsz answer");
    http_expect_text(port, "/varz", 404, "404 page not found\n");
    it_server_cleanup(&srv);
}
