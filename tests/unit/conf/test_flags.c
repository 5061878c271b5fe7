/* Flag tests (src/conf/flags.c): Go flag syntax, every nats-server flag,
 * Go's error texts, flags winning over the -c file, GANNET_THREADS, and the
 * actions (-h, -v, -t, -sl).
 */
/* cmocka.h needs these first; keep clang-format from sorting them. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include "conf/conf.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEC 1000000000LL

static struct errbuf eb;
static char conf_path[64];

/* Runs conf_opts_load on the NULL-terminated argument list (argv[0] is
 * added); returns its result. */
static int load(struct conf_opts *o, const char *first, ...)
{
    char *argv[64] = {"gannet-server"};
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < 63; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    conf_opts_init(o);
    memset(&eb, 0, sizeof(eb));
    return conf_opts_load(o, argc, argv, &eb);
}

#define LOAD_OK(o, ...)                                                                            \
    do {                                                                                           \
        if (load(o, __VA_ARGS__, NULL) != 0)                                                       \
            fail_msg("load failed: %s", eb.msg);                                                   \
    } while (0)

#define LOAD_FAIL(want, ...)                                                                       \
    do {                                                                                           \
        struct conf_opts fo;                                                                       \
        assert_int_equal(load(&fo, __VA_ARGS__, NULL), ERR_INVAL);                                 \
        assert_string_equal(eb.msg, want);                                                         \
        conf_opts_deinit(&fo);                                                                     \
    } while (0)

static int setup(void **state)
{
    (void)state;
    snprintf(conf_path, sizeof(conf_path), "/tmp/gn_flags_XXXXXX");
    int fd = mkstemp(conf_path);
    if (fd < 0)
        return -1;
    const char *text = "port: 5000\nserver_name: from_file\ndebug: true\nmax_payload: 2MB\n"
                       "jetstream { store_dir: /tmp/file_sd }\nthreads: 3\n"
                       "http: \"127.0.0.1:8000\"\n";
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    unsetenv("GANNET_THREADS");
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return unlink(conf_path);
}

static void test_flags_syntax_forms(void **state)
{
    (void)state;
    const char *forms[][3] = {
        {"-p", "4300", NULL},
        {"-p=4300", NULL, NULL},
        {"--port", "4300", NULL},
        {"--port=4300", NULL, NULL},
    };
    for (size_t k = 0; k < 4; k++) {
        struct conf_opts o;
        assert_int_equal(load(&o, forms[k][0], forms[k][1], forms[k][2]), 0);
        assert_int_equal(o.port, 4300);
        conf_opts_deinit(&o);
    }
}

static void test_flags_server_options(void **state)
{
    (void)state;
    struct conf_opts o;
    LOAD_OK(&o, "-a", "127.0.0.1", "-n", "srv", "-P", "/tmp/p.pid", "-m", "8222", "-ms", "8443",
            "--client_advertise", "adv:4222", "--ports_file_dir", "/tmp", "-l", "/tmp/l.log", "-r",
            "udp://x:514", "--log_size_limit", "1000", "--max_traced_msg_len", "64", "-sd",
            "/tmp/sd", "--user", "u", "--pass", "pw", "--auth", "tok", "--max_payload", "512KB",
            "--threads", "6");
    assert_string_equal(o.host, "127.0.0.1");
    assert_string_equal(o.server_name, "srv");
    assert_string_equal(o.pid_file, "/tmp/p.pid");
    assert_int_equal(o.http_port, 8222);
    assert_int_equal(o.https_port, 8443);
    assert_string_equal(o.client_advertise, "adv:4222");
    assert_string_equal(o.ports_file_dir, "/tmp");
    assert_string_equal(o.log_file, "/tmp/l.log");
    assert_string_equal(o.remote_syslog, "udp://x:514");
    assert_int_equal(o.log_size_limit, 1000);
    assert_int_equal(o.max_traced_msg_len, 64);
    assert_string_equal(o.store_dir, "/tmp/sd");
    assert_string_equal(o.username, "u");
    assert_string_equal(o.password, "pw");
    assert_string_equal(o.auth_token, "tok");
    assert_int_equal(o.max_payload, 512 * 1024);
    assert_int_equal(o.threads, 6);
    assert_int_equal(o.nwarnings, 0);
    conf_opts_deinit(&o);
    LOAD_OK(&o, "--addr=::", "--name", "a", "--server_name", "b", "--pid", "x", "--http_port", "-1",
            "--https_port", "1", "--log", "f", "--remote_syslog", "r", "--store_dir", "d", "--net",
            "0.0.0.0", "-p", "-1");
    assert_string_equal(o.host, "0.0.0.0");
    assert_string_equal(o.server_name, "b");
    assert_int_equal(o.http_port, -1);
    assert_int_equal(o.port, -1);
    conf_opts_deinit(&o);
}

static void test_flags_booleans(void **state)
{
    (void)state;
    struct conf_opts o;
    LOAD_OK(&o, "-D", "-V", "-s", "-js");
    assert_true(o.debug && o.trace && o.syslog && o.jetstream);
    assert_true(o.logtime);
    conf_opts_deinit(&o);
    LOAD_OK(&o, "-D=true", "--trace=1", "-T=false", "--jetstream=T", "--syslog=False");
    assert_true(o.debug && o.trace && o.jetstream);
    assert_false(o.logtime);
    assert_false(o.syslog);
    conf_opts_deinit(&o);
    LOAD_OK(&o, "-VV");
    assert_true(o.trace && o.trace_verbose);
    assert_false(o.debug);
    conf_opts_deinit(&o);
    LOAD_OK(&o, "-DV");
    assert_true(o.debug && o.trace);
    assert_false(o.trace_verbose);
    conf_opts_deinit(&o);
    LOAD_OK(&o, "-DVV", "--logtime");
    assert_true(o.debug && o.trace && o.trace_verbose && o.logtime);
    conf_opts_deinit(&o);
}

static void test_flags_errors(void **state)
{
    (void)state;
    LOAD_FAIL("flag provided but not defined: -x", "-x");
    LOAD_FAIL("flag provided but not defined: -bogus", "--bogus=1");
    LOAD_FAIL("flag needs an argument: -p", "-p");
    LOAD_FAIL("invalid value \"abc\" for flag -p: parse error", "-p", "abc");
    LOAD_FAIL("invalid value \"99999999999999999999\" for flag -port: value out of range",
              "--port=99999999999999999999");
    LOAD_FAIL("invalid value \"70000\" for flag -p: not a port", "-p", "70000");
    LOAD_FAIL("invalid boolean value \"maybe\" for -T: parse error", "-T=maybe");
    LOAD_FAIL("bad flag syntax: ---", "---");
    LOAD_FAIL("bad flag syntax: -=x", "-=x");
    LOAD_FAIL("unrecognized command: \"foo\"", "-D", "foo");
    LOAD_FAIL("unrecognized command: \"-p\"", "--", "-p", "1");
    LOAD_FAIL("invalid value \"100MB\" for flag -max_payload: out of range (1 to 64MB)",
              "--max_payload", "100MB");
    LOAD_FAIL("invalid value \"-3\" for flag -threads: must not be negative", "--threads=-3");
    LOAD_FAIL("-t needs a configuration file: add -c <file>", "-t");
    LOAD_FAIL("unknown signal \"kill\" (use ldm, stop, quit, term, reopen or reload)", "-sl",
              "kill");
}

static void test_flags_actions(void **state)
{
    (void)state;
    struct conf_opts o;
    LOAD_OK(&o, "-h");
    assert_true(o.show_help);
    conf_opts_deinit(&o);
    LOAD_OK(&o, "--version");
    assert_true(o.show_version);
    conf_opts_deinit(&o);
    LOAD_OK(&o, "version");
    assert_true(o.show_version);
    conf_opts_deinit(&o);
    LOAD_OK(&o, "help");
    assert_true(o.show_help);
    conf_opts_deinit(&o);
    LOAD_OK(&o, "--help_tls");
    assert_true(o.show_tls_help);
    conf_opts_deinit(&o);
    /* -sl is an action: the (missing) config file is not read. */
    LOAD_OK(&o, "-sl", "reload=/tmp/x.pid", "-c", "/nonexistent.conf");
    assert_string_equal(o.signal_cmd, "reload=/tmp/x.pid");
    conf_opts_deinit(&o);
    LOAD_OK(&o, "--signal", "ldm");
    assert_string_equal(o.signal_cmd, "ldm");
    conf_opts_deinit(&o);
    LOAD_OK(&o, "-t", "-c", conf_path);
    assert_true(o.check_config);
    assert_string_equal(o.config_file, conf_path);
    conf_opts_deinit(&o);
    assert_non_null(strstr(conf_usage(), "--http_port <port>"));
    assert_non_null(strstr(conf_usage(), "-DVV"));
    assert_non_null(strstr(conf_tls_usage(), "cert_file"));
}

static void test_flags_override_file(void **state)
{
    (void)state;
    struct conf_opts o;
    LOAD_OK(&o, "-c", conf_path);
    assert_int_equal(o.port, 5000);
    assert_string_equal(o.server_name, "from_file");
    assert_true(o.debug);
    assert_int_equal(o.max_payload, 2 << 20);
    assert_true(o.jetstream);
    assert_string_equal(o.store_dir, "/tmp/file_sd");
    assert_int_equal(o.threads, 3);
    assert_string_equal(o.http_host, "127.0.0.1");
    conf_opts_deinit(&o);
    /* Flags before or after -c win over the file; the rest of the file stays. */
    LOAD_OK(&o, "-p", "6000", "--config", conf_path, "-D=false", "-sd", "/tmp/flag_sd", "-m", "-1",
            "--max_payload=1KB", "--name=flagged");
    assert_int_equal(o.port, 6000);
    assert_false(o.debug);
    assert_string_equal(o.store_dir, "/tmp/flag_sd");
    assert_int_equal(o.http_port, -1);
    assert_int_equal(o.max_payload, 1024);
    assert_string_equal(o.server_name, "flagged");
    assert_true(o.jetstream);
    assert_int_equal(o.threads, 3);
    conf_opts_deinit(&o);
}

static void test_flags_config_errors(void **state)
{
    (void)state;
    struct conf_opts o;
    assert_int_equal(load(&o, "-c", "/nonexistent/x.conf", NULL), -ENOENT);
    assert_string_equal(eb.msg,
                        "/nonexistent/x.conf: cannot read config file: No such file or directory");
    conf_opts_deinit(&o);
    char path[64];
    snprintf(path, sizeof(path), "/tmp/gn_flags_bad_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "port: 1\n\nnope: 2\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(load(&o, "-t", "-c", path, NULL), ERR_PARSE);
    char want[128];
    snprintf(want, sizeof(want), "%s:3: unknown field \"nope\"", path);
    assert_string_equal(eb.msg, want);
    conf_opts_deinit(&o);
    unlink(path);
}

static void test_flags_threads_env(void **state)
{
    (void)state;
    struct conf_opts o;
    setenv("GANNET_THREADS", "8", 1);
    LOAD_OK(&o, "-D");
    assert_int_equal(o.threads, 8);
    conf_opts_deinit(&o);
    LOAD_OK(&o, "-c", conf_path); /* the file's threads: 3 wins over the environment */
    assert_int_equal(o.threads, 3);
    conf_opts_deinit(&o);
    LOAD_OK(&o, "--threads", "2");
    assert_int_equal(o.threads, 2);
    conf_opts_deinit(&o);
    setenv("GANNET_THREADS", "lots", 1);
    LOAD_FAIL("GANNET_THREADS: \"lots\" is not a thread count (0-4096)", "-D");
    unsetenv("GANNET_THREADS");
}

static void test_flags_unsupported_warn(void **state)
{
    (void)state;
    struct conf_opts o;
    LOAD_OK(&o, "--tls", "--tlscert", "c.pem", "--tlskey=k.pem", "--tlsverify", "--tlscacert", "ca",
            "--routes", "nats://a:6222", "--cluster", "nats://0.0.0.0:6222", "--cluster_name", "c",
            "--no_advertise", "--cluster_advertise", "x", "--connect_retries", "3",
            "--cluster_listen", "y", "--profile", "6060");
    assert_int_equal(o.nwarnings, 13);
    assert_string_equal(o.warnings[0], "flag -tls is not supported by Gannet yet; ignored");
    assert_string_equal(o.warnings[12], "flag -profile is not supported by Gannet yet; ignored");
    conf_opts_deinit(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flags_syntax_forms),     cmocka_unit_test(test_flags_server_options),
        cmocka_unit_test(test_flags_booleans),         cmocka_unit_test(test_flags_errors),
        cmocka_unit_test(test_flags_actions),          cmocka_unit_test(test_flags_override_file),
        cmocka_unit_test(test_flags_config_errors),    cmocka_unit_test(test_flags_threads_env),
        cmocka_unit_test(test_flags_unsupported_warn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
