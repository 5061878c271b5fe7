/* Options tests (src/conf/opts.c, opts_auth.c): defaults, every key, the
 * shapes of listen/http/jetstream/authorization/permissions, durations,
 * warnings for keys Gannet does not implement, and the exact file:line
 * errors for unknown keys, wrong types and bad values.
 */
/* cmocka.h needs these first; keep clang-format from sorting them. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include "conf/conf.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SEC 1000000000LL

static struct errbuf eb;

static int apply_text(struct conf_opts *o, const char *text)
{
    struct conf_node *root = NULL;
    memset(&eb, 0, sizeof(eb));
    int rc = conf_parse(text, strlen(text), "t.conf", &root, &eb);
    if (rc == 0)
        rc = conf_opts_apply(o, root, &eb);
    conf_node_free(root);
    return rc;
}

static void apply_ok(struct conf_opts *o, const char *text)
{
    conf_opts_init(o);
    if (apply_text(o, text) != 0)
        fail_msg("apply failed: %s", eb.msg);
}

static void apply_fail(const char *text, int code, const char *msg)
{
    struct conf_opts o;
    conf_opts_init(&o);
    assert_int_equal(apply_text(&o, text), code);
    assert_string_equal(eb.msg, msg);
    conf_opts_deinit(&o);
}

static void test_opts_defaults(void **state)
{
    (void)state;
    struct conf_opts o;
    conf_opts_init(&o);
    assert_string_equal(o.host, "0.0.0.0");
    assert_int_equal(o.port, 4222);
    assert_int_equal(o.http_port, 0);
    assert_null(o.http_host);
    assert_true(o.logtime);
    assert_false(o.debug);
    assert_int_equal(o.max_payload, 1048576);
    assert_int_equal(o.max_control_line, 4096);
    assert_int_equal(o.max_pending, 64 * 1048576);
    assert_int_equal(o.max_connections, 65536);
    assert_int_equal(o.max_subscriptions, 0);
    assert_true(o.ping_interval_ns == 120 * SEC);
    assert_int_equal(o.ping_max, 2);
    assert_true(o.write_deadline_ns == 10 * SEC);
    assert_true(o.auth_timeout_ns == 2 * SEC);
    assert_true(o.lame_duck_duration_ns == 120 * SEC);
    assert_true(o.lame_duck_grace_period_ns == 10 * SEC);
    assert_false(o.jetstream);
    assert_int_equal(o.max_memory_store, -1);
    assert_int_equal(o.max_file_store, -1);
    assert_int_equal(o.sync_interval_ns, 0);
    assert_int_equal(o.threads, 0);
    assert_int_equal(o.nwarnings, 0);
    conf_opts_deinit(&o);
    conf_opts_deinit(&o); /* deinit twice is harmless */
}

static void test_opts_data_file(void **state)
{
    (void)state;
    struct conf_opts o;
    struct conf_node *root = NULL;
    conf_opts_init(&o);
    assert_int_equal(conf_parse_file(CONF_TEST_DATA "/nats-server.conf", &root, &eb), 0);
    if (conf_opts_apply(&o, root, &eb) != 0)
        fail_msg("%s", eb.msg);
    conf_node_free(root);
    assert_string_equal(o.host, "127.0.0.1");
    assert_int_equal(o.port, 4333);
    assert_string_equal(o.server_name, "gannet_1");
    assert_string_equal(o.http_host, "127.0.0.1");
    assert_int_equal(o.http_port, 8333);
    assert_true(o.debug);
    assert_false(o.trace);
    assert_false(o.logtime);
    assert_string_equal(o.log_file, "/tmp/gannet-test.log");
    assert_int_equal(o.log_size_limit, 10 << 20);
    assert_int_equal(o.max_traced_msg_len, 256);
    assert_int_equal(o.max_payload, 2 << 20);
    assert_int_equal(o.max_pending, 32 << 20);
    assert_int_equal(o.max_control_line, 8192);
    assert_int_equal(o.max_connections, 1000);
    assert_int_equal(o.max_subscriptions, 500);
    assert_true(o.ping_interval_ns == 30 * SEC);
    assert_int_equal(o.ping_max, 3);
    assert_true(o.write_deadline_ns == 5 * SEC);
    assert_true(o.lame_duck_duration_ns == 45 * SEC);
    assert_true(o.lame_duck_grace_period_ns == 5 * SEC);
    assert_true(o.jetstream);
    assert_string_equal(o.store_dir, "/tmp/gannet-js");
    assert_true(o.max_memory_store == 1LL << 30);
    assert_true(o.max_file_store == 10LL << 30);
    assert_string_equal(o.js_domain, "hub");
    assert_true(o.auth_timeout_ns == 3 * SEC / 2);
    assert_int_equal(o.nusers, 3);
    assert_string_equal(o.users[0].user, "admin");
    assert_memory_equal(o.users[0].password, "$2a$11$", 7);
    assert_string_equal(o.users[0].perms->publish.allow[0], ">");
    const struct conf_perms *p = o.users[1].perms;
    assert_int_equal(p->publish.nallow, 2);
    assert_string_equal(p->publish.allow[1], "$JS.API.>");
    assert_int_equal(p->publish.ndeny, 1);
    assert_string_equal(p->publish.deny[0], "svc.secret");
    assert_true(p->subscribe.set);
    assert_int_equal(p->subscribe.nallow, 0);
    assert_string_equal(p->subscribe.deny[0], "admin.>");
    assert_true(p->allow_responses);
    assert_int_equal(p->resp_max, 5);
    assert_true(p->resp_expires_ns == 60 * SEC);
    assert_null(o.users[2].perms);
    assert_string_equal(o.default_perms->subscribe.allow[1], "_INBOX.>");
    assert_string_equal(o.no_auth_user, "guest");
    assert_int_equal(o.nwarnings, 0);
    conf_opts_deinit(&o);
}

static void test_opts_json_file(void **state)
{
    (void)state;
    struct conf_opts o;
    struct conf_node *root = NULL;
    conf_opts_init(&o);
    assert_int_equal(conf_parse_file(CONF_TEST_DATA "/json.conf", &root, &eb), 0);
    assert_int_equal(conf_opts_apply(&o, root, &eb), 0);
    conf_node_free(root);
    assert_int_equal(o.port, 4444);
    assert_int_equal(o.http_port, 8444);
    assert_int_equal(o.max_payload, 65536);
    assert_true(o.jetstream);
    assert_string_equal(o.auth_token, "s3cret");
    assert_true(o.auth_timeout_ns == 3 * SEC);
    conf_opts_deinit(&o);
}

static void test_opts_listen_forms(void **state)
{
    (void)state;
    struct conf_opts o;
    apply_ok(&o, "listen: 4555");
    assert_int_equal(o.port, 4555);
    assert_string_equal(o.host, "0.0.0.0");
    conf_opts_deinit(&o);
    apply_ok(&o, "listen: \"10.0.0.1:4556\"");
    assert_string_equal(o.host, "10.0.0.1");
    assert_int_equal(o.port, 4556);
    conf_opts_deinit(&o);
    apply_ok(&o, "listen: \"[::1]:4557\"\nhttp: localhost:8222\nhttps: 8443");
    assert_string_equal(o.host, "::1");
    assert_int_equal(o.port, 4557);
    assert_string_equal(o.http_host, "localhost");
    assert_int_equal(o.http_port, 8222);
    assert_int_equal(o.https_port, 8443);
    conf_opts_deinit(&o);
    apply_ok(&o, "listen: :4558\nnet: 127.0.0.2\nmonitor_port: -1\nhttps_port: 9443");
    assert_string_equal(o.host, "127.0.0.2");
    assert_int_equal(o.port, 4558);
    assert_int_equal(o.http_port, -1);
    assert_int_equal(o.https_port, 9443);
    conf_opts_deinit(&o);
    apply_ok(&o, "port: -1\nhttp_port: 8223\nhost: ::");
    assert_int_equal(o.port, -1);
    assert_int_equal(o.http_port, 8223);
    assert_string_equal(o.host, "::");
    conf_opts_deinit(&o);
}

static void test_opts_misc_keys(void **state)
{
    (void)state;
    struct conf_opts o;
    apply_ok(&o, "client_advertise: \"nats.example.com:4222\"\nhttp_base_path: /nats\n"
                 "pidfile: /tmp/a.pid\nports_file_dir: /tmp\nlog_file: /tmp/l.log\n"
                 "syslog: true\nremote_syslog: \"udp://h:514\"\ntrace_verbose: true\n"
                 "no_header_support: true\nmax_conn: 7\nmax_subs: 8\nthreads: 4\n"
                 "store_dir: /tmp/sd\nLogTime: off\nDEBUG: on\n");
    assert_string_equal(o.client_advertise, "nats.example.com:4222");
    assert_string_equal(o.http_base_path, "/nats");
    assert_string_equal(o.pid_file, "/tmp/a.pid");
    assert_string_equal(o.ports_file_dir, "/tmp");
    assert_string_equal(o.log_file, "/tmp/l.log");
    assert_true(o.syslog);
    assert_string_equal(o.remote_syslog, "udp://h:514");
    assert_true(o.trace_verbose);
    assert_true(o.trace);
    assert_true(o.no_header_support);
    assert_int_equal(o.max_connections, 7);
    assert_int_equal(o.max_subscriptions, 8);
    assert_int_equal(o.threads, 4);
    assert_string_equal(o.store_dir, "/tmp/sd");
    assert_false(o.logtime);
    assert_true(o.debug);
    assert_false(o.jetstream);
    conf_opts_deinit(&o);
    apply_ok(&o, "pid_file: a\nlogfile: b\nserver_name: \"n1\"");
    assert_string_equal(o.pid_file, "a");
    assert_string_equal(o.log_file, "b");
    assert_string_equal(o.server_name, "n1");
    conf_opts_deinit(&o);
}

static void test_opts_durations(void **state)
{
    (void)state;
    struct conf_opts o;
    apply_ok(&o, "ping_interval: \"1h30m\"\nwrite_deadline: \"500ms\"\n"
                 "lame_duck_duration: 2m\nlame_duck_grace_period: \"0\"");
    assert_true(o.ping_interval_ns == 5400 * SEC);
    assert_true(o.write_deadline_ns == SEC / 2);
    assert_true(o.lame_duck_duration_ns == 120 * SEC); /* unquoted 2m: minutes, not 2 million */
    assert_true(o.lame_duck_grace_period_ns == 0);
    assert_int_equal(o.nwarnings, 0);
    conf_opts_deinit(&o);
    apply_ok(&o, "ping_interval: 60\n\nwrite_deadline: 2.5");
    assert_true(o.ping_interval_ns == 60 * SEC);
    assert_true(o.write_deadline_ns == 5 * SEC / 2);
    assert_int_equal(o.nwarnings, 2);
    assert_string_equal(o.warnings[0], "t.conf:1: ping_interval should be a duration string such "
                                       "as \"60s\"; read as seconds");
    assert_non_null(strstr(o.warnings[1], "t.conf:3: write_deadline"));
    conf_opts_deinit(&o);
    apply_fail("\nping_interval: \"2 minutes\"", ERR_INVAL,
               "t.conf:2: ping_interval: invalid duration \"2 minutes\"");
    apply_fail("ping_interval: \"-1s\"", ERR_INVAL,
               "t.conf:1: ping_interval: must not be negative");
    apply_fail("write_deadline: 2k", ERR_INVAL,
               "t.conf:1: write_deadline: invalid duration \"2k\"");
    apply_fail("write_deadline: [1]", ERR_PARSE,
               "t.conf:1: write_deadline: expected a duration, got an array");
    apply_fail("lame_duck_duration: \"10s\"", ERR_INVAL,
               "t.conf:1: lame_duck_duration: must be at least 30s");
}

static void test_opts_jetstream_forms(void **state)
{
    (void)state;
    struct conf_opts o;
    const char *on[] = {"jetstream: true", "jetstream: enabled", "jetstream: Enable",
                        "jetstream {}", "jetstream: {max_mem: 1G}"};
    for (size_t k = 0; k < 5; k++) {
        apply_ok(&o, on[k]);
        assert_true(o.jetstream);
        conf_opts_deinit(&o);
    }
    const char *off[] = {"jetstream: false", "jetstream: disabled", "jetstream {enabled: false}"};
    for (size_t k = 0; k < 3; k++) {
        apply_ok(&o, off[k]);
        assert_false(o.jetstream);
        conf_opts_deinit(&o);
    }
    apply_ok(&o, "jetstream {\n store: /a\n max_mem_store: 1KB\n max_file: \"2MB\"\n"
                 " sync_interval: always\n cipher: aes\n}");
    assert_string_equal(o.store_dir, "/a");
    assert_int_equal(o.max_memory_store, 1024);
    assert_int_equal(o.max_file_store, 2 << 20);
    assert_int_equal(o.sync_interval_ns, -1);
    assert_int_equal(o.nwarnings, 1);
    assert_string_equal(o.warnings[0],
                        "t.conf:6: jetstream.cipher is not supported by Gannet yet; ignored");
    conf_opts_deinit(&o);
    apply_ok(&o, "jetstream {sync: \"2m\"}");
    assert_true(o.sync_interval_ns == 120 * SEC);
    conf_opts_deinit(&o);
    apply_fail("jetstream: maybe", ERR_INVAL,
               "t.conf:1: jetstream: expected \"enabled\" or \"disabled\", got \"maybe\"");
    apply_fail("jetstream: 1", ERR_PARSE,
               "t.conf:1: jetstream: expected a boolean, \"enabled\", \"disabled\" or a map, "
               "got an integer");
    apply_fail("jetstream {\n  foo: 1\n}", ERR_PARSE,
               "t.conf:2: unknown field \"foo\" in jetstream");
    apply_fail("jetstream {\n  max_mem: [1]\n}", ERR_PARSE,
               "t.conf:2: max_mem: expected a number, got an array");
}

static void test_opts_auth_single(void **state)
{
    (void)state;
    struct conf_opts o;
    apply_ok(&o, "authorization {\n user: alice\n password: 1234\n timeout: 5\n}");
    assert_string_equal(o.username, "alice");
    assert_string_equal(o.password, "1234");
    assert_true(o.auth_timeout_ns == 5 * SEC);
    conf_opts_deinit(&o);
    apply_ok(&o, "authorization {\n token: $2a$11$abc\n timeout: \"500ms\"\n}");
    assert_string_equal(o.auth_token, "$2a$11$abc");
    assert_true(o.auth_timeout_ns == SEC / 2);
    conf_opts_deinit(&o);
    apply_fail("authorization {\n token: t\n users: [{user: a}]\n}", ERR_INVAL,
               "t.conf:1: authorization: cannot have a token and a users array");
    apply_fail("authorization {\n token: t\n user: a\n}", ERR_INVAL,
               "t.conf:1: authorization: cannot have a user and a token");
    apply_fail("authorization {\n timeout: -1\n}", ERR_INVAL,
               "t.conf:2: timeout: expected seconds (e.g. 2 or 0.5) or a duration");
    apply_fail("authorization {\n\n bogus: 1\n}", ERR_PARSE,
               "t.conf:3: unknown field \"bogus\" in authorization");
    apply_fail("authorization: yes", ERR_PARSE,
               "t.conf:1: authorization: expected a map, got a boolean");
}

static void test_opts_permission_forms(void **state)
{
    (void)state;
    struct conf_opts o;
    apply_ok(&o, "authorization { users: [\n"
                 " {user: a, permissions: {publish: \"x.*\", subscribe: [\"y\", \"q grp\"]}}\n"
                 " {user: b, permissions: {pub: {allow: \"p\", deny: [\"d1\", \"d2\"]},\n"
                 "                         sub: {allow: [\"s\"]}, allow_responses: true}}\n"
                 " {user: c, permissions: {allow_responses: {max: 0, expires: 0}}}\n"
                 " {user: d, permissions: {allow_responses: false}}\n"
                 "]}");
    const struct conf_perms *a = o.users[0].perms, *b = o.users[1].perms;
    assert_true(a->publish.set);
    assert_int_equal(a->publish.nallow, 1);
    assert_string_equal(a->publish.allow[0], "x.*");
    assert_string_equal(a->subscribe.allow[1], "q grp");
    assert_false(a->allow_responses);
    assert_string_equal(b->publish.allow[0], "p");
    assert_string_equal(b->publish.deny[1], "d2");
    assert_string_equal(b->subscribe.allow[0], "s");
    assert_true(b->allow_responses);
    assert_int_equal(b->resp_max, 1);
    assert_true(b->resp_expires_ns == 120 * SEC);
    assert_false(o.users[2].perms->publish.set);
    assert_true(o.users[2].perms->allow_responses);
    assert_int_equal(o.users[2].perms->resp_max, 1);
    assert_false(o.users[3].perms->allow_responses);
    conf_opts_deinit(&o);
}

static void test_opts_permission_errors(void **state)
{
    (void)state;
    apply_fail("authorization { users: [\n {user: a, permissions: {publish: 1}}\n]}", ERR_PARSE,
               "t.conf:2: publish: expected a subject, an array or a map, got an integer");
    apply_fail("authorization { users: [\n {user: a, permissions: {publish: [\"a\", 2]}}\n]}",
               ERR_PARSE, "t.conf:2: publish: expected a subject string, got an integer");
    apply_fail("authorization { users: [\n {user: a, permissions: {publish: {allo: x}}}\n]}",
               ERR_PARSE, "t.conf:2: unknown field \"allo\" in publish");
    apply_fail("authorization { users: [\n {user: a, permissions: {publsh: x}}\n]}", ERR_PARSE,
               "t.conf:2: unknown field \"publsh\" in permissions");
    apply_fail("authorization { users: [\n {user: a, permissions: {allow_responses: 3}}\n]}",
               ERR_PARSE,
               "t.conf:2: allow_responses: expected true or a map {max, expires}, got an integer");
    apply_fail("authorization { users: [\n {password: a}\n]}", ERR_INVAL,
               "t.conf:2: users: a user entry needs \"user\"");
    apply_fail("authorization { users: [\n {user: a}\n {user: a}\n]}", ERR_INVAL,
               "t.conf:3: users: duplicate user \"a\"");
    apply_fail("authorization { users: [\n 1\n]}", ERR_PARSE,
               "t.conf:2: users: expected a map per user, got an integer");
    apply_fail("authorization {\n users: {user: a}\n}", ERR_PARSE,
               "t.conf:2: users: expected an array, got a map");
    apply_fail("authorization { default_permissions: [] }", ERR_PARSE,
               "t.conf:1: default_permissions: expected a map, got an array");
}

static void test_opts_unknown_and_variables(void **state)
{
    (void)state;
    apply_fail("port: 4222\n\nfoo: bar\n", ERR_PARSE, "t.conf:3: unknown field \"foo\"");
    /* A key only used as a variable is fine; an unused one is unknown. */
    struct conf_opts o;
    apply_ok(&o, "MYPORT: 4777\nport: $MYPORT\n");
    assert_int_equal(o.port, 4777);
    conf_opts_deinit(&o);
    apply_fail("MYPORT: 4777\nport: 1\n", ERR_PARSE, "t.conf:1: unknown field \"MYPORT\"");
    apply_ok(&o, "authorization {\n U: bob\n user: $U\n}");
    assert_string_equal(o.username, "bob");
    conf_opts_deinit(&o);
}

static void test_opts_unimplemented_keys_warn(void **state)
{
    (void)state;
    struct conf_opts o;
    apply_ok(&o, "cluster {\n name: c1\n listen: 0.0.0.0:6222\n}\ngateway {}\nleafnodes {}\n"
                 "websocket {}\nmqtt {}\ntls {}\naccounts {}\noperator: /x.jwt\n"
                 "resolver: MEMORY\nsystem_account: SYS\nserver_tags: [a, b]\n"
                 "disable_sublist_cache: true\nprof_port: 6060\n");
    assert_int_equal(o.nwarnings, 13);
    assert_string_equal(o.warnings[0], "t.conf:1: \"cluster\" is not supported by Gannet yet; "
                                       "ignored");
    assert_string_equal(o.warnings[12], "t.conf:16: \"prof_port\" is not supported by Gannet "
                                        "yet; ignored");
    conf_opts_deinit(&o);
    apply_fail("\ncluster: 1", ERR_PARSE, "t.conf:2: cluster: expected a map, got an integer");
    apply_fail("operator: {}", ERR_PARSE,
               "t.conf:1: operator: expected an array or a string, got a map");
    apply_fail("ocsp: 1", ERR_PARSE, "t.conf:1: ocsp: expected a map or a boolean, got an integer");
}

static void test_opts_wrong_types(void **state)
{
    (void)state;
    apply_fail("debug: true\nmax_payload: \"lots\"", ERR_PARSE,
               "t.conf:2: max_payload: expected a number, got a string");
    apply_fail("port: \"4222\"", ERR_PARSE, "t.conf:1: port: expected a number, got a string");
    apply_fail("debug: 1", ERR_PARSE, "t.conf:1: debug: expected a boolean, got an integer");
    apply_fail("server_name: {}", ERR_PARSE, "t.conf:1: server_name: expected a string, got a map");
    apply_fail("listen: [1]", ERR_PARSE,
               "t.conf:1: listen: expected a port or \"host:port\", got an array");
    apply_fail("max_connections: 1.5", ERR_PARSE,
               "t.conf:1: max_connections: expected a number, got a float");
}

static void test_opts_bad_values(void **state)
{
    (void)state;
    apply_fail("port: -2", ERR_INVAL,
               "t.conf:1: port: invalid port -2 (use 0-65535, or -1 for random)");
    apply_fail("http_port: 70000", ERR_INVAL,
               "t.conf:1: http_port: invalid port 70000 (use 0-65535, or -1 for random)");
    apply_fail("listen: \"host\"", ERR_INVAL,
               "t.conf:1: listen: could not parse address \"host\" (want host:port)");
    apply_fail("listen: \"h:x\"", ERR_INVAL, "t.conf:1: listen: invalid port in \"h:x\"");
    apply_fail("max_payload: 70MB", ERR_INVAL,
               "t.conf:1: max_payload: 73400320 is out of range (1 to 64MB)");
    apply_fail("max_payload: 0", ERR_INVAL, "t.conf:1: max_payload: 0 is out of range (1 to 64MB)");
    apply_fail("max_pending: 1MB\nmax_payload: 2MB", ERR_INVAL,
               "t.conf:2: max_payload (2097152) cannot be larger than max_pending (1048576)");
    apply_fail("max_pending: 512KB", ERR_INVAL,
               "t.conf:1: max_payload (1048576) cannot be larger than max_pending (524288)");
    apply_fail("max_connections: -5", ERR_INVAL, "t.conf:1: max_connections: must not be negative");
    apply_fail("max_control_line: 0", ERR_INVAL,
               "t.conf:1: max_control_line: 0 is out of range (1 to 2147483647)");
    apply_fail("server_name: \"a b\"", ERR_INVAL,
               "t.conf:1: server_name: server name cannot contain spaces");
    apply_fail("no_auth_user: nobody", ERR_INVAL,
               "t.conf:1: no_auth_user: \"nobody\" is not a user of the authorization block");
}

static void test_opts_repeated_blocks(void **state)
{
    (void)state;
    struct conf_opts o;
    apply_ok(&o, "authorization { users: [{user: a}, {user: b}] }\n"
                 "authorization { users: [{user: c, permissions: {publish: x}}],"
                 " default_permissions: {subscribe: y} }\n"
                 "authorization { default_permissions: {subscribe: z} }\n");
    assert_int_equal(o.nusers, 1);
    assert_string_equal(o.users[0].user, "c");
    assert_string_equal(o.default_perms->subscribe.allow[0], "z");
    conf_opts_deinit(&o);
    /* "permissions" in the authorization block means default_permissions. */
    apply_ok(&o, "authorization { user: a, password: b, permissions: {publish: p} }");
    assert_string_equal(o.default_perms->publish.allow[0], "p");
    conf_opts_deinit(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opts_defaults),
        cmocka_unit_test(test_opts_data_file),
        cmocka_unit_test(test_opts_json_file),
        cmocka_unit_test(test_opts_listen_forms),
        cmocka_unit_test(test_opts_misc_keys),
        cmocka_unit_test(test_opts_durations),
        cmocka_unit_test(test_opts_jetstream_forms),
        cmocka_unit_test(test_opts_auth_single),
        cmocka_unit_test(test_opts_permission_forms),
        cmocka_unit_test(test_opts_permission_errors),
        cmocka_unit_test(test_opts_unknown_and_variables),
        cmocka_unit_test(test_opts_unimplemented_keys_warn),
        cmocka_unit_test(test_opts_wrong_types),
        cmocka_unit_test(test_opts_bad_values),
        cmocka_unit_test(test_opts_repeated_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
