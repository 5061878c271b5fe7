/* Core NATS receiving: `sub` (plain, queue group, or replaying a JetStream stream) and `reply`
 * (a responder answering with a fixed body, the request echoed, or a command's output).
 *
 * Both run until --count messages were handled or the process is interrupted, flushing stdout
 * after every message so that a pipe sees each one as it arrives.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REPLY_QUEUE "NATS-RPLY-22" /* the nats CLI's default queue group for `reply` */

struct sub_state {
    bool raw, json, headers_only; /* output mode */
    int64_t limit;                /* stop after this many messages, 0 = never */
    int64_t n;                    /* messages shown */
    bool js;                      /* reading a stream */
};

static void sub_print(struct sub_state *st, natsMsg *m, const struct cli_jsmeta *meta)
{
    const char *data = natsMsg_GetData(m);
    size_t len = (size_t)natsMsg_GetDataLength(m);
    st->n++;
    if (st->json) {
        json_t *j = cli_msg_json(m);
        if (meta) {
            json_object_set_new(j, "stream", json_string(meta->stream));
            json_object_set_new(j, "seq", json_integer((json_int_t)meta->sseq));
        }
        char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        printf("%s\n", s);
        free(s);
        json_decref(j);
    } else if (st->raw) {
        fwrite(data, 1, len, stdout);
        fputc('\n', stdout);
    } else {
        const char *reply = natsMsg_GetReply(m);
        if (meta) {
            char ts[40];
            printf("[#%lld] Received JetStream message: stream: %s seq %llu / subject: %s / "
                   "time: %s\n",
                   (long long)st->n, meta->stream, (unsigned long long)meta->sseq,
                   natsMsg_GetSubject(m), cli_fmt_time(ts, sizeof(ts), meta->ts));
        } else if (reply && *reply) {
            printf("[#%lld] Received on \"%s\" with reply \"%s\"\n", (long long)st->n,
                   natsMsg_GetSubject(m), reply);
        } else {
            printf("[#%lld] Received on \"%s\"\n", (long long)st->n, natsMsg_GetSubject(m));
        }
        cli_msg_headers_print(m, stdout);
        if (!st->headers_only) {
            fwrite(data, 1, len, stdout);
            fputc('\n', stdout);
            if (len == 0 || data[len - 1] != '\n')
                fputc('\n', stdout);
        }
    }
    fflush(stdout);
}

static int sub_js_cb(void *arg, natsMsg *m, const struct cli_jsmeta *meta)
{
    struct sub_state *st = arg;
    sub_print(st, m, meta);
    return st->limit > 0 && st->n >= st->limit;
}

/* Finds the stream holding <subject>; returns a new name or NULL after an error line. */
static char *stream_for_subject(struct cli_run *r, const char *subject)
{
    json_t *req = json_pack("{s:s}", "subject", subject), *resp = NULL;
    struct cli_jserr e;
    char *name = NULL;
    if (cli_js_call(r, "$JS.API.STREAM.NAMES", req, &resp, &e) != 0) {
        cli_js_fail(&e, NULL);
    } else {
        const char *s = json_string_value(json_array_get(json_object_get(resp, "streams"), 0));
        if (s)
            name = xstrdup(s);
        else
            cli_fail("no stream holds subject \"%s\"", subject);
    }
    json_decref(req);
    json_decref(resp);
    return name;
}

static int sub_js(struct cli_run *r, struct sub_state *st, const char *subject)
{
    struct cli_iter it = {.filter = subject, .follow = true, .headers_only = st->headers_only};
    int64_t seq = 0, since = 0;
    char when[40];
    if (cli_int(r, "start-sequence", 0, &seq) || cli_dur(r, "since", 0, &since))
        return CLI_EXIT_FAIL;
    char *stream = cli_str(r, "stream", NULL) ? xstrdup(cli_str(r, "stream", NULL))
                                              : stream_for_subject(r, subject);
    if (!stream)
        return CLI_EXIT_FAIL;
    it.stream = stream;
    it.deliver = "all";
    if (seq > 0) {
        it.deliver = "by_start_sequence";
        it.start_seq = (uint64_t)seq;
    } else if (cli_bool(r, "last", false)) {
        it.deliver = "last";
    } else if (cli_bool(r, "new", false)) {
        it.deliver = "new";
    } else if (cli_bool(r, "last-per-subject", false)) {
        it.deliver = "last_per_subject";
    } else if (since > 0) {
        it.deliver = "by_start_time";
        it.start_time = cli_fmt_time(when, sizeof(when), cli_now_ns() - since);
    }
    if (!st->raw && !st->json)
        cli_log("Subscribing to JetStream Stream %s holding messages with subject %s", stream,
                subject ? subject : ">");
    st->js = true;
    int rc = cli_js_iterate(r, &it, sub_js_cb, st);
    free(stream);
    return rc;
}

static int sub_run(struct cli_run *r)
{
    struct sub_state st = {0};
    natsSubscription *sub = NULL;
    natsInbox *inbox = NULL;
    const char *subject = cli_arg(r, 0);
    st.raw = cli_bool(r, "raw", false);
    st.json = cli_bool(r, "json", false);
    st.headers_only = cli_bool(r, "headers-only", false);
    if (cli_int(r, "count", 0, &st.limit) != 0)
        return CLI_EXIT_FAIL;
    bool js = cli_has(r, "stream") || cli_bool(r, "all", false) || cli_bool(r, "new", false) ||
              cli_bool(r, "last", false) || cli_bool(r, "last-per-subject", false) ||
              cli_has(r, "start-sequence") || cli_has(r, "since");
    if (!subject && !cli_bool(r, "inbox", false) && !cli_has(r, "stream"))
        return cli_fail("subject is required");
    if (js && cli_has(r, "queue"))
        return cli_fail("queue group subscriptions are not supported with JetStream");
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    if (js)
        return sub_js(r, &st, subject);
    if (!subject) {
        natsInbox_Create(&inbox);
        subject = inbox;
    }
    const char *queue = cli_str(r, "queue", NULL);
    natsStatus s = queue ? natsConnection_QueueSubscribeSync(&sub, r->nc, subject, queue)
                         : natsConnection_SubscribeSync(&sub, r->nc, subject);
    if (s == NATS_OK)
        s = natsSubscription_SetPendingLimits(sub, -1, -1);
    if (s == NATS_OK)
        s = natsConnection_FlushTimeout(r->nc, r->timeout_ms);
    if (s != NATS_OK) {
        natsSubscription_Destroy(sub);
        natsInbox_Destroy(inbox);
        return cli_fail("could not subscribe to \"%s\": %s", subject, cli_nats_err(s));
    }
    if (!st.raw && !st.json)
        cli_log("Subscribing on %s%s%s", subject, queue ? " in group " : "", queue ? queue : "");
    int rc = 0;
    while (st.limit == 0 || st.n < st.limit) {
        natsMsg *m = NULL;
        s = natsSubscription_NextMsg(&m, sub, 60000);
        if (s == NATS_TIMEOUT)
            continue;
        if (s != NATS_OK) {
            rc = cli_fail("subscription ended: %s", cli_nats_err(s));
            break;
        }
        sub_print(&st, m, NULL);
        natsMsg_Destroy(m);
    }
    natsSubscription_Destroy(sub);
    natsInbox_Destroy(inbox);
    return rc;
}

/* ---- reply ---- */

/* Runs `sh -c <cmd>` with the request body on stdin and its subject and body in the
 * environment; appends its stdout to <out>. Returns 0 or -1 when it could not run. */
static int run_command(const char *cmd, natsMsg *req, struct buf *out)
{
    char tmpl[] = "/tmp/gannet-reply-XXXXXX";
    int in = mkstemp(tmpl), pfd[2];
    if (in < 0)
        return -1;
    unlink(tmpl);
    const char *data = natsMsg_GetData(req);
    size_t len = (size_t)natsMsg_GetDataLength(req);
    if ((len && write(in, data, len) != (ssize_t)len) || lseek(in, 0, SEEK_SET) != 0 ||
        pipe(pfd) != 0) {
        close(in);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        char *body = xstrndup(data ? data : "", len);
        setenv("NATS_REQUEST_SUBJECT", natsMsg_GetSubject(req), 1);
        setenv("NATS_REQUEST_BODY", body, 1);
        dup2(in, STDIN_FILENO);
        dup2(pfd[1], STDOUT_FILENO);
        close(pfd[0]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(in);
    close(pfd[1]);
    if (pid < 0) {
        close(pfd[0]);
        return -1;
    }
    cli_read_all(pfd[0], out);
    close(pfd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return 0;
}

static int reply_respond(struct cli_run *r, natsMsg *req, int64_t n, const char *body_t)
{
    const char *to = natsMsg_GetReply(req);
    struct buf body;
    natsMsg *resp = NULL;
    int rc = 0;
    buf_init(&body);
    if (cli_bool(r, "echo", false)) {
        buf_append(&body, natsMsg_GetData(req), (size_t)natsMsg_GetDataLength(req));
    } else if (cli_str(r, "command", NULL)) {
        if (run_command(cli_str(r, "command", NULL), req, &body) != 0)
            cli_log("Could not run the command: %s", strerror(errno));
    } else {
        char *reqs = xstrndup(natsMsg_GetData(req) ? natsMsg_GetData(req) : "",
                              (size_t)natsMsg_GetDataLength(req));
        char *s =
            cli_bool(r, "templates", true) ? cli_tmpl_render(body_t, n, reqs) : xstrdup(body_t);
        buf_append_str(&body, s);
        free(s);
        free(reqs);
    }
    if (!to || !*to)
        goto out;
    rc = cli_msg_build(r, &resp, to, NULL, buf_head(&body), buf_size(&body), n);
    if (rc == 0 && cli_bool(r, "echo", false)) {
        const char **keys = NULL;
        int nk = 0;
        if (natsMsgHeader_Keys(req, &keys, &nk) == NATS_OK) {
            for (int i = 0; i < nk; i++) {
                const char *v = NULL;
                if (natsMsgHeader_Get(req, keys[i], &v) == NATS_OK)
                    natsMsgHeader_Add(resp, keys[i], v);
            }
            free((void *)keys);
        }
    }
    if (rc == 0 && natsConnection_PublishMsg(r->nc, resp) != NATS_OK)
        cli_log("Could not send the reply to %s", to);
out:
    natsMsg_Destroy(resp);
    buf_deinit(&body);
    return rc;
}

static int reply_run(struct cli_run *r)
{
    natsSubscription *sub = NULL;
    const char *subject = cli_arg(r, 0);
    const char *body = cli_arg(r, 1) ? cli_arg(r, 1) : "";
    const char *queue = cli_str(r, "queue", REPLY_QUEUE);
    int64_t limit, sleep_ns, n = 0;
    if (cli_int(r, "count", 0, &limit) || cli_dur(r, "sleep", 0, &sleep_ns))
        return CLI_EXIT_FAIL;
    if (!cli_arg(r, 1) && !cli_bool(r, "echo", false) && !cli_str(r, "command", NULL))
        return cli_fail("a body, --echo or --command is required");
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    natsStatus s = natsConnection_QueueSubscribeSync(&sub, r->nc, subject, queue);
    if (s == NATS_OK)
        s = natsConnection_FlushTimeout(r->nc, r->timeout_ms);
    if (s != NATS_OK) {
        natsSubscription_Destroy(sub);
        return cli_fail("could not subscribe to \"%s\": %s", subject, cli_nats_err(s));
    }
    cli_log("Listening on \"%s\" in group \"%s\"", subject, queue);
    int rc = 0;
    while (rc == 0 && (limit == 0 || n < limit)) {
        natsMsg *m = NULL;
        s = natsSubscription_NextMsg(&m, sub, 60000);
        if (s == NATS_TIMEOUT)
            continue;
        if (s != NATS_OK) {
            rc = cli_fail("subscription ended: %s", cli_nats_err(s));
            break;
        }
        n++;
        cli_log("[#%lld] Received on subject \"%s\":", (long long)n, natsMsg_GetSubject(m));
        cli_msg_headers_print(m, stdout);
        cli_body_print(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m));
        fflush(stdout);
        if (sleep_ns > 0) {
            struct timespec ts = {sleep_ns / CLI_NS_PER_SEC, sleep_ns % CLI_NS_PER_SEC};
            nanosleep(&ts, NULL);
        }
        rc = reply_respond(r, m, n, body);
        natsMsg_Destroy(m);
    }
    natsConnection_FlushTimeout(r->nc, r->timeout_ms);
    natsSubscription_Destroy(sub);
    return rc;
}

static const struct cli_flag sub_flags[] = {
    {"queue", 0, CLI_STR, "GROUP", "Subscribe to a named queue group"},
    {"raw", 'r', CLI_BOOL, NULL, "Show the raw data received"},
    {"json", 'j', CLI_BOOL, NULL, "Print every message as one JSON line"},
    {"headers-only", 0, CLI_BOOL, NULL, "Do not render any data, shows only headers"},
    {"count", 0, CLI_STR, "NUMBER", "Quit after receiving this many messages"},
    {"inbox", 'i', CLI_BOOL, NULL, "Subscribes to a generated inbox"},
    {"stream", 0, CLI_STR, "STREAM", "Read messages from a specific stream (JetStream)"},
    {"all", 0, CLI_BOOL, NULL, "Deliver all messages found in the stream (JetStream)"},
    {"new", 0, CLI_BOOL, NULL, "Deliver only future messages (JetStream)"},
    {"last", 0, CLI_BOOL, NULL, "Deliver the most recent and all future messages (JetStream)"},
    {"last-per-subject", 0, CLI_BOOL, NULL, "Deliver the last message of each subject"},
    {"start-sequence", 0, CLI_STR, "SEQUENCE", "Start at a specific stream sequence"},
    {"since", 0, CLI_STR, "DURATION", "Deliver messages received since a duration ago"},
    {0},
};

static const struct cli_flag reply_flags[] = {
    {"echo", 0, CLI_BOOL, NULL, "Echo back what is received"},
    {"command", 0, CLI_STR, "COMMAND", "Reply with the output of a shell command"},
    {"queue", 0, CLI_STR, "GROUP", "Queue group name (default NATS-RPLY-22)"},
    {"sleep", 0, CLI_STR, "DURATION", "Sleep before replying"},
    {"header", 'H', CLI_LIST, "K:V", "Adds headers to the reply using K:V format"},
    {"count", 0, CLI_STR, "NUMBER", "Quit after answering this many requests"},
    {"templates", 0, CLI_BOOL, NULL, "Expand templates in the body (default true)"},
    {0},
};

const struct cli_cmd cli_sub_cmd = {
    .name = "sub",
    .aliases = "subscribe",
    .help = "Generic subscription client",
    .args = "[<subject>]",
    .max_args = 1,
    .flags = sub_flags,
    .run = sub_run,
    .long_help = "Wildcards: gannet sub 'orders.*' / gannet sub 'orders.>'. Any of --stream,\n"
                 "--all, --new, --last, --last-per-subject, --start-sequence or --since reads a\n"
                 "JetStream stream through an ephemeral consumer instead.",
};

const struct cli_cmd cli_reply_cmd = {
    .name = "reply",
    .help = "Generic service reply utility",
    .args = "<subject> [<body>]",
    .min_args = 1,
    .max_args = 2,
    .flags = reply_flags,
    .run = reply_run,
    .long_help = "The body may use {{Count}}, {{Request}} (the request body) and the pub\n"
                 "templates. --command runs `sh -c COMMAND` with the request on stdin and\n"
                 "NATS_REQUEST_SUBJECT / NATS_REQUEST_BODY in the environment.",
};
