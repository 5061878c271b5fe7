/* CLI cases: help, bad flags, unreachable servers, contexts and authentication, pub/sub,
 * request/reply, server check/info/ping and completion.
 */

#include "ct.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct ct_res r; /* large: one static result reused by every run */

void ct_case_help(void)
{
    ct_start(NULL);
    CT(&r, NULL, "--help");
    CT_EXIT(&r, 0, "gannet --help");
    static const char *const cmds[] = {"pub",    "sub",    "request",  "reply",
                                       "server", "stream", "consumer", "kv",
                                       "object", "bench",  "context",  "completion"};
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        CT_HAS(&r, cmds[i]);
    CT_HAS(&r, "--server=URL");
    CT(&r, NULL, "pub", "--help");
    CT_EXIT(&r, 0, "gannet pub --help");
    CT_HAS(&r, "--header=K:V");
    CT_HAS(&r, "--count=NUMBER");
    CT_HAS(&r, "{{Count}}");
    CT(&r, NULL, "help", "stream");
    CT_EXIT(&r, 0, "gannet help stream");
    CT_HAS(&r, "purge");
    CT(&r, NULL, "stream", "add", "-h");
    CT_EXIT(&r, 0, "gannet stream add -h");
    CT_HAS(&r, "--max-msgs-per-subject");
    CT(&r, NULL, "version");
    CT_EXIT(&r, 0, "gannet version");
    CT_HAS(&r, "gannet ");
}

void ct_case_bad_flags(void)
{
    ct_start(NULL);
    CT(&r, NULL, "pub", "--bogus", "x");
    CT_EXIT(&r, 1, "unknown long flag");
    CT_ERR_HAS(&r, "gannet: error: unknown long flag '--bogus'");
    IT_CHECK(strchr(r.err, '\n') == r.err + strlen(r.err) - 1, "one error line");
    CT(&r, NULL, "pub", "-Z", "x");
    CT_EXIT(&r, 1, "unknown short flag");
    CT(&r, NULL, "frobnicate");
    CT_EXIT(&r, 1, "unknown command");
    CT_ERR_HAS(&r, "unknown command \"frobnicate\"");
    CT(&r, NULL, "pub");
    CT_EXIT(&r, 1, "missing argument");
    CT_ERR_HAS(&r, "missing argument");
    CT(&r, NULL, "pub", "a", "b", "c");
    CT_EXIT(&r, 1, "extra argument");
    CT(&r, NULL, "pub", "x", "--count", "many");
    CT_EXIT(&r, 1, "non-numeric --count");
    CT_ERR_HAS(&r, "expected an integer");
    CT(&r, NULL, "pub", "x", "--count");
    CT_EXIT(&r, 1, "flag without value");
    CT(&r, NULL, "--timeout", "soon", "pub", "x", "y");
    CT_EXIT(&r, 1, "bad duration");
    CT(&r, NULL, "stream");
    CT_EXIT(&r, 1, "group without subcommand");
}

void ct_case_unreachable(void)
{
    ct_start(NULL);
    int port = it_port_pick();
    char url[64];
    snprintf(url, sizeof(url), "nats://127.0.0.1:%d", port);
    CT(&r, NULL, "-s", url, "pub", "x", "y");
    CT_EXIT(&r, 1, "pub to a closed port");
    CT_ERR_HAS(&r, "could not connect to");
    CT_ERR_HAS(&r, "no servers available");
    CT(&r, NULL, "--server", url, "stream", "ls");
    CT_EXIT(&r, 1, "stream ls on a closed port");
    CT(&r, NULL, "-s", url, "server", "check", "connection");
    CT_EXIT(&r, 2, "check connection is CRITICAL");
    CT_HAS(&r, "CRITICAL Connection Crit:connection failed");
    CT(&r, NULL, "-s", url, "server", "check", "jetstream");
    CT_EXIT(&r, 2, "check jetstream is CRITICAL");
    /* A comma-separated list falls over to the live server. */
    char list[160];
    snprintf(list, sizeof(list), "%s,%s", url, ct.url);
    CT(&r, NULL, "-s", list, "pub", "x", "y");
    CT_EXIT(&r, 0, "server list with one live server");
}

void ct_case_pub_sub(void)
{
    struct ct_bg sub;
    ct_start(NULL);
    CT_BG(&sub, "sub", "orders.*", "--count", "3");
    IT_CHECK(ct_bg_wait_for(&sub, "Subscribing on orders.*", true, 5000), "sub is ready");
    CT(&r, NULL, "pub", "orders.new", "order {{Count}}", "--count", "2", "-H", "X-Id:{{Count}}");
    CT_EXIT(&r, 0, "pub --count 2 with header");
    CT_ERR_HAS(&r, "Published 7 bytes to \"orders.new\"");
    CT(&r, "from stdin", "pub", "orders.stdin");
    CT_EXIT(&r, 0, "pub from stdin");
    CT(&r, NULL, "pub", "other.x", "ignored");
    ct_bg_finish(&sub, &r, false, 5000);
    CT_EXIT(&r, 0, "sub exits after --count 3");
    CT_HAS(&r, "[#1] Received on \"orders.new\"\nX-Id: 1\n\norder 1\n");
    CT_HAS(&r, "[#2] Received on \"orders.new\"\nX-Id: 2\n\norder 2\n");
    CT_HAS(&r, "[#3] Received on \"orders.stdin\"\nfrom stdin\n");
    CT_LACKS(&r, "ignored");

    /* --raw logs nothing, so publish until the subscriber has seen one. */
    CT_BG(&sub, "sub", "raw.>", "--raw", "--count", "1");
    for (int i = 0; i < 50; i++) {
        CT(&r, NULL, "pub", "raw.a.b", "raw body", "-q");
        if (ct_bg_wait_for(&sub, "raw body", false, 100))
            break;
    }
    ct_bg_finish(&sub, &r, false, 5000);
    CT_EXIT(&r, 0, "raw sub");
    IT_CHECK(strcmp(r.out, "raw body\n") == 0, "--raw prints only the body");

    CT_BG(&sub, "sub", "hdr", "--headers-only", "--count", "1");
    IT_CHECK(ct_bg_wait_for(&sub, "Subscribing on hdr", true, 5000), "headers-only sub ready");
    CT(&r, NULL, "pub", "hdr", "secret-body", "-H", "A:b");
    ct_bg_finish(&sub, &r, false, 5000);
    CT_HAS(&r, "A: b");
    CT_LACKS(&r, "secret-body");

    CT_BG(&sub, "sub", "js.>", "--json", "--count", "1");
    for (int i = 0; i < 50; i++) {
        CT(&r, NULL, "pub", "js.x", "{\"a\":1}", "-q");
        if (ct_bg_wait_for(&sub, "js.x", false, 100))
            break;
    }
    ct_bg_finish(&sub, &r, false, 5000);
    CT_HAS(&r, "\"subject\":\"js.x\"");
}

void ct_case_queue_group(void)
{
    struct ct_bg a, b;
    ct_start(NULL);
    CT_BG(&a, "sub", "work", "--queue", "q1");
    CT_BG(&b, "sub", "work", "--queue", "q1");
    IT_CHECK(ct_bg_wait_for(&a, "in group q1", true, 5000), "first member ready");
    IT_CHECK(ct_bg_wait_for(&b, "in group q1", true, 5000), "second member ready");
    CT(&r, NULL, "pub", "work", "m{{Count}}", "--count", "20", "-q");
    CT_EXIT(&r, 0, "pub 20 to the queue");
    struct ct_res rb;
    int na = 0, nb = 0;
    for (int i = 0; i < 500 && na + nb < 20; i++) {
        ct_bg_wait_for(&a, "m20", false, 10);
        ct_bg_peek(&a, &r);
        ct_bg_peek(&b, &rb);
        na = nb = 0;
        for (const char *p = r.out; (p = strstr(p, "Received on")); p++)
            na++;
        for (const char *p = rb.out; (p = strstr(p, "Received on")); p++)
            nb++;
    }
    ct_bg_finish(&a, &r, true, 5000);
    ct_bg_finish(&b, &rb, true, 5000);
    IT_CHECK(na + nb == 20, "each message went to exactly one member (%d + %d)", na, nb);
}

void ct_case_request_reply(void)
{
    struct ct_bg rep;
    ct_start(NULL);
    CT_BG(&rep, "reply", "svc.echo", "pong: {{Request}}", "--count", "1");
    IT_CHECK(ct_bg_wait_for(&rep, "Listening on \"svc.echo\"", true, 5000), "reply ready");
    CT(&r, NULL, "request", "svc.echo", "ping");
    CT_EXIT(&r, 0, "request");
    CT_HAS(&r, "pong: ping");
    CT_ERR_HAS(&r, "Received with rtt");
    ct_bg_finish(&rep, &r, false, 5000);
    CT_EXIT(&r, 0, "reply exits after --count 1");
    CT_HAS(&r, "ping");

    CT_BG(&rep, "reply", "svc.e", "--echo", "--count", "1");
    IT_CHECK(ct_bg_wait_for(&rep, "Listening", true, 5000), "echo reply ready");
    CT(&r, NULL, "req", "svc.e", "echo me", "-H", "K:v", "--raw");
    CT_EXIT(&r, 0, "request to echo");
    IT_CHECK(strcmp(r.out, "echo me\n") == 0, "echoed body");
    ct_bg_finish(&rep, &r, false, 5000);

    CT_BG(&rep, "reply", "svc.cmd", "--command", "tr a-z A-Z", "--count", "1");
    IT_CHECK(ct_bg_wait_for(&rep, "Listening", true, 5000), "command reply ready");
    CT(&r, NULL, "request", "svc.cmd", "shout", "--raw");
    CT_EXIT(&r, 0, "request to --command");
    CT_HAS(&r, "SHOUT");
    ct_bg_finish(&rep, &r, false, 5000);

    CT(&r, NULL, "request", "nobody.home", "x");
    CT_EXIT(&r, 1, "request without responders");
    CT_ERR_HAS(&r, "no responders");
    CT(&r, NULL, "reply", "svc.x");
    CT_EXIT(&r, 1, "reply without body/--echo/--command");
}

void ct_case_contexts(void)
{
    ct_start(NULL);
    char url[64];
    snprintf(url, sizeof(url), "%s", ct.url);
    CT(&r, NULL, "context", "ls");
    CT_EXIT(&r, 0, "context ls with none");
    CT_HAS(&r, "No known contexts");
    CT(&r, NULL, "context", "add", "local", "--server", url, "--description", "test server");
    CT_EXIT(&r, 0, "context add");
    CT_HAS(&r, "NATS Configuration Context \"local\"");
    CT_HAS(&r, url);
    CT(&r, NULL, "context", "add", "other", "--server", "nats://127.0.0.1:1");
    CT_EXIT(&r, 0, "second context add");
    CT(&r, NULL, "context", "ls");
    CT_HAS(&r, "local*");
    CT_HAS(&r, "test server");
    CT_HAS(&r, "other");
    ct.url[0] = '\0'; /* from here on only the context supplies the server */
    CT(&r, NULL, "pub", "ctx.test", "x");
    CT_EXIT(&r, 0, "pub through the selected context");
    CT(&r, NULL, "--context", "other", "pub", "ctx.test", "x");
    CT_EXIT(&r, 1, "pub through --context other (closed port)");
    CT(&r, NULL, "--context", "nosuch", "pub", "ctx.test", "x");
    CT_EXIT(&r, 1, "unknown --context");
    CT_ERR_HAS(&r, "unknown context \"nosuch\"");
    CT(&r, NULL, "context", "select", "other");
    CT_EXIT(&r, 0, "context select");
    CT(&r, NULL, "pub", "ctx.test", "x");
    CT_EXIT(&r, 1, "selected context now points at a closed port");
    CT(&r, NULL, "-s", url, "pub", "ctx.test", "x");
    CT_EXIT(&r, 0, "--server overrides the context");
    CT(&r, NULL, "context", "info", "local", "--json");
    CT_EXIT(&r, 0, "context info --json");
    CT_HAS(&r, "\"url\"");
    CT(&r, NULL, "context", "rm", "other", "--force");
    CT_EXIT(&r, 0, "context rm");
    CT(&r, NULL, "context", "ls", "--json");
    CT_LACKS(&r, "other");
    CT(&r, NULL, "context", "rm", "other", "--force");
    CT_EXIT(&r, 1, "context rm of a missing context");
    CT(&r, NULL, "context", "add", "bad/name");
    CT_EXIT(&r, 1, "invalid context name");
}

void ct_case_auth(void)
{
    const char *args[] = {"--user", "alice", "--pass", "s3cret", NULL};
    ct_start(args);
    CT(&r, NULL, "pub", "a", "b");
    CT_EXIT(&r, 1, "no credentials");
    CT_ERR_HAS(&r, "authorization violation");
    CT(&r, NULL, "--user", "alice", "--password", "wrong", "pub", "a", "b");
    CT_EXIT(&r, 1, "wrong password");
    CT_ERR_HAS(&r, "authorization violation");
    CT(&r, NULL, "--user", "alice", "--password", "s3cret", "pub", "a", "b");
    CT_EXIT(&r, 0, "flags");
    snprintf(ct.user, sizeof(ct.user), "alice");
    snprintf(ct.pass, sizeof(ct.pass), "s3cret");
    CT(&r, NULL, "pub", "a", "b");
    CT_EXIT(&r, 0, "NATS_USER / NATS_PASSWORD");
    CT(&r, NULL, "server", "check", "connection");
    CT_EXIT(&r, 0, "check connection with env credentials");
}

void ct_case_server_check(void)
{
    ct_start(NULL);
    CT(&r, NULL, "server", "check", "connection");
    CT_EXIT(&r, 0, "check connection OK");
    CT_HAS(&r, "OK Connection OK:connected to nats://127.0.0.1:");
    CT_HAS(&r, "OK:rtt time");
    CT_HAS(&r, "OK:round trip took");
    CT_HAS(&r, "| connect_time=");
    CT_HAS(&r, "rtt=");
    CT_HAS(&r, "request_time=");
    CT(&r, NULL, "server", "check", "conn", "--format", "json");
    CT_EXIT(&r, 0, "check connection json");
    CT_HAS(&r, "\"status\": \"OK\"");
    CT_HAS(&r, "\"check_suite\": \"connections\"");
    CT(&r, NULL, "server", "check", "connection", "--rtt-warn", "0s", "--rtt-critical", "1ns");
    CT_EXIT(&r, 2, "rtt above a 1ns critical threshold");
    CT_HAS(&r, "CRITICAL Connection Crit:rtt time exceeded");
    CT(&r, NULL, "server", "check", "connection", "--req-warn", "1ns");
    CT_EXIT(&r, 1, "round trip above a 1ns warning threshold");
    CT_HAS(&r, "WARNING Connection Warn:round trip request took");
    CT(&r, NULL, "server", "check", "connection", "--rtt-warn", "soon");
    CT_EXIT(&r, 3, "bad threshold is UNKNOWN");
    CT_HAS(&r, "UNKNOWN");
    CT(&r, NULL, "server", "check", "jetstream");
    CT_EXIT(&r, 0, "check jetstream OK");
    CT_HAS(&r, "OK JetStream |");
    CT_HAS(&r, "memory_pct=0%;75;90");
    CT_HAS(&r, "streams=0");
    CT(&r, NULL, "server", "check", "js", "--mem-warn", "90", "--mem-critical", "80");
    CT_EXIT(&r, 2, "inverted thresholds are CRITICAL");
    CT_HAS(&r, "memory: invalid thresholds");
    CT(&r, NULL, "server", "info");
    CT_EXIT(&r, 0, "server info");
    CT_HAS(&r, "Server information for");
    CT_HAS(&r, "JetStream: true");
    CT(&r, NULL, "server", "info", "--json");
    CT_EXIT(&r, 0, "server info --json");
    CT_HAS(&r, "\"server_id\"");
    CT_HAS(&r, "\"jetstream\"");
    CT(&r, NULL, "server", "ping", "--count", "3");
    CT_EXIT(&r, 0, "server ping");
    CT_HAS(&r, "---- ping statistics ----");
    CT_HAS(&r, "3 replies");
}

void ct_case_server_check_nojs(void)
{
    /* A server without JetStream: the jetstream check is CRITICAL. */
    const char *args[] = {NULL};
    it_tmpdir_make(ct.home, sizeof(ct.home));
    it_server_start(&ct.srv, NULL, args);
    snprintf(ct.url, sizeof(ct.url), "%s", ct.srv.url);
    CT(&r, NULL, "server", "check", "jetstream");
    CT_EXIT(&r, 2, "check jetstream without JetStream");
    CT_HAS(&r, "CRITICAL JetStream Crit:JetStream not available");
    CT(&r, NULL, "stream", "ls");
    CT_EXIT(&r, 1, "stream ls without JetStream");
    CT_ERR_HAS(&r, "JetStream not enabled");
}

void ct_case_completion(void)
{
    ct_start(NULL);
    CT(&r, NULL, "completion", "bash");
    CT_EXIT(&r, 0, "completion bash");
    CT_HAS(&r, "complete -o default -F _gannet_complete gannet");
    CT(&r, NULL, "--completion-bash");
    CT_HAS(&r, "stream\n");
    CT_HAS(&r, "kv\n");
    CT(&r, NULL, "stream", "--completion-bash");
    CT_HAS(&r, "add\n");
    CT_HAS(&r, "purge\n");
    CT(&r, NULL, "stream", "purge", "--completion-bash");
    CT_HAS(&r, "--keep\n");
    CT(&r, NULL, "completion", "zsh");
    CT_EXIT(&r, 1, "unsupported shell");
}

/* Walks the command tree through --completion-bash: every command's --help succeeds and
 * lists every flag the completion offers for it. */
static int help_walk(const char *const *path, int depth)
{
    static struct ct_res h, c;
    const char *args[16];
    int n = 0, checked = 1;
    for (int i = 0; i < depth; i++)
        args[n++] = path[i];
    args[n] = "--help";
    args[n + 1] = NULL;
    ct_run(&h, NULL, CT_RUN_MS, args);
    IT_ASSERT(h.status == 0, "%s --help exits 0", depth ? path[depth - 1] : "gannet");
    args[n] = "--completion-bash";
    ct_run(&c, NULL, CT_RUN_MS, args);
    char words[64][64];
    int nw = 0;
    for (char *line = strtok(c.out, "\n"); line && nw < 64; line = strtok(NULL, "\n"))
        snprintf(words[nw++], sizeof(words[0]), "%s", line);
    for (int i = 0; i < nw; i++) {
        if (words[i][0] == '-') {
            IT_ASSERT(strstr(h.out, words[i]), "help of %s lists %s",
                      depth ? path[depth - 1] : "gannet", words[i]);
        } else if (depth < 12) {
            const char *sub[16];
            for (int k = 0; k < depth; k++)
                sub[k] = path[k];
            sub[depth] = words[i];
            checked += help_walk(sub, depth + 1);
        }
    }
    return checked;
}

void ct_case_help_all(void)
{
    ct_start(NULL);
    int n = help_walk(NULL, 0);
    IT_CHECK(n > 60, "every command's help lists its flags (%d commands)", n);
}

void ct_case_stream_add_prompts(void)
{
    char cmd[2048], out[65536];
    ct_start(NULL);
    if (access("/usr/bin/script", X_OK) != 0) {
        it_ok("script(1) is not installed: interactive prompts not checked");
        return;
    }
    /* script(1) gives gannet a terminal, so stream add asks for every setting. */
    snprintf(cmd, sizeof(cmd),
             "printf 'PROMPTED\\nprompt.>\\nmemory\\nlimits\\nold\\n100\\n-1\\n1MB\\n1h\\n-1\\n"
             "2m\\nn\\nn\\n' | NATS_URL=%s XDG_CONFIG_HOME=%s timeout 20 script -qc '%s stream "
             "add' /dev/null 2>&1",
             ct.url, ct.home, ct_cli_bin());
    FILE *p = popen(cmd, "r");
    IT_ASSERT(p, "popen");
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    pclose(p);
    IT_CHECK(strstr(out, "Stream Name") && strstr(out, "Subjects"), "prompts were shown");
    IT_CHECK(strstr(out, "Stream PROMPTED was created"), "the stream was created");
    CT(&r, NULL, "stream", "info", "PROMPTED", "--json");
    CT_EXIT(&r, 0, "stream info of the prompted stream");
    CT_HAS(&r, "\"storage\": \"memory\"");
    CT_HAS(&r, "\"max_msgs\": 100");
    CT_HAS(&r, "\"max_bytes\": 1048576");
    CT_HAS(&r, "\"prompt.>\"");
}
