/* Core NATS publishing: `pub` (also JetStream publish with -J) and `request`, plus the
 * message helpers shared with core_sub.c: body templates, -H headers, message printing.
 *
 * Templates follow the nats CLI's names: {{Count}}, {{TimeStamp}} (RFC 3339), {{Unix}},
 * {{UnixNano}}, {{Time}}, {{ID}}, {{Random min max}} and, for replies, {{Request}}; spaces
 * inside the braces are allowed. Unknown names are left as they are.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- templates ---- */

static void tmpl_random(struct buf *out, const char *args)
{
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    long lo = 0, hi = 0;
    if (sscanf(args, "%ld %ld", &lo, &hi) < 1)
        return;
    if (hi < lo)
        hi = lo;
    long n = lo + (hi > lo ? random() % (hi - lo + 1) : 0);
    for (long i = 0; i < n; i++)
        buf_append_char(out, alpha[random() % (long)(sizeof(alpha) - 1)]);
}

/* Expands one {{...}} body <expr> (trimmed); returns false for unknown names. */
static bool tmpl_expand(struct buf *out, const char *expr, int64_t count, const char *request)
{
    char tmp[64];
    int64_t now = cli_now_ns();
    if (!strcmp(expr, "Count")) {
        buf_appendf(out, "%lld", (long long)count);
    } else if (!strcmp(expr, "TimeStamp")) {
        buf_append_str(out, cli_fmt_time(tmp, sizeof(tmp), now));
    } else if (!strcmp(expr, "Unix")) {
        buf_appendf(out, "%lld", (long long)(now / CLI_NS_PER_SEC));
    } else if (!strcmp(expr, "UnixNano")) {
        buf_appendf(out, "%lld", (long long)now);
    } else if (!strcmp(expr, "Time")) {
        time_t t = (time_t)(now / CLI_NS_PER_SEC);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(tmp, sizeof(tmp), "%H:%M:%S", &tm);
        buf_append_str(out, tmp);
    } else if (!strcmp(expr, "ID")) {
        natsInbox *ib = NULL;
        if (natsInbox_Create(&ib) == NATS_OK)
            buf_append_str(out, strrchr(ib, '.') ? strrchr(ib, '.') + 1 : ib);
        natsInbox_Destroy(ib);
    } else if (!strncmp(expr, "Random", 6) && (expr[6] == ' ' || expr[6] == '(')) {
        char args[64];
        snprintf(args, sizeof(args), "%s", expr + 7);
        for (char *p = args; *p; p++)
            if (*p == ',' || *p == ')')
                *p = ' ';
        tmpl_random(out, args);
    } else if (!strcmp(expr, "Request") && request) {
        buf_append_str(out, request);
    } else {
        return false;
    }
    return true;
}

char *cli_tmpl_render(const char *in, int64_t count, const char *request)
{
    struct buf out;
    buf_init(&out);
    for (const char *p = in; *p;) {
        const char *open = strstr(p, "{{");
        const char *close = open ? strstr(open + 2, "}}") : NULL;
        if (!open || !close) {
            buf_append_str(&out, p);
            break;
        }
        buf_append(&out, p, (size_t)(open - p));
        const char *s = open + 2, *e = close;
        while (s < e && *s == ' ')
            s++;
        while (e > s && e[-1] == ' ')
            e--;
        char *expr = xstrndup(s, (size_t)(e - s));
        if (!tmpl_expand(&out, expr, count, request))
            buf_append(&out, open, (size_t)(close + 2 - open));
        free(expr);
        p = close + 2;
    }
    buf_append_char(&out, '\0');
    return out.data;
}

/* ---- messages ---- */

int cli_msg_build(struct cli_run *r, natsMsg **out, const char *subject, const char *reply,
                  const char *body, size_t len, int64_t count)
{
    const char **hdrs;
    int nh = cli_list(r, "header", &hdrs);
    *out = NULL;
    if (natsMsg_Create(out, subject, reply, body, (int)len) != NATS_OK)
        return cli_fail("invalid subject \"%s\"", subject);
    for (int i = 0; i < nh; i++) {
        const char *colon = strchr(hdrs[i], ':');
        if (!colon || colon == hdrs[i]) {
            natsMsg_Destroy(*out);
            *out = NULL;
            return cli_fail("invalid header \"%s\", use Key:Value", hdrs[i]);
        }
        char *key = xstrndup(hdrs[i], (size_t)(colon - hdrs[i]));
        const char *v = colon + 1;
        while (*v == ' ')
            v++;
        char *val = cli_tmpl_render(v, count, NULL);
        natsStatus s = natsMsgHeader_Add(*out, key, val);
        free(key);
        free(val);
        if (s != NATS_OK) {
            natsMsg_Destroy(*out);
            *out = NULL;
            return cli_fail("could not add header \"%s\": %s", hdrs[i], cli_nats_err(s));
        }
    }
    return 0;
}

void cli_msg_headers_print(natsMsg *m, FILE *out)
{
    const char **keys = NULL;
    int nk = 0;
    if (natsMsgHeader_Keys(m, &keys, &nk) != NATS_OK || nk == 0)
        return;
    for (int i = 0; i < nk; i++) {
        const char **vals = NULL;
        int nv = 0;
        if (natsMsgHeader_Values(m, keys[i], &vals, &nv) != NATS_OK)
            continue;
        for (int k = 0; k < nv; k++)
            fprintf(out, "%s: %s\n", keys[i], vals[k]);
        free((void *)vals);
    }
    free((void *)keys);
    fprintf(out, "\n");
}

json_t *cli_msg_json(natsMsg *m)
{
    json_t *j = json_object(), *h = json_object();
    const char **keys = NULL;
    int nk = 0;
    json_object_set_new(j, "subject", json_string(natsMsg_GetSubject(m)));
    if (natsMsg_GetReply(m))
        json_object_set_new(j, "reply", json_string(natsMsg_GetReply(m)));
    if (natsMsgHeader_Keys(m, &keys, &nk) == NATS_OK) {
        for (int i = 0; i < nk; i++) {
            const char **vals = NULL;
            int nv = 0;
            if (natsMsgHeader_Values(m, keys[i], &vals, &nv) != NATS_OK)
                continue;
            json_t *arr = json_array();
            for (int k = 0; k < nv; k++)
                json_array_append_new(arr, json_string(vals[k]));
            json_object_set_new(h, keys[i], arr);
            free((void *)vals);
        }
        free((void *)keys);
    }
    if (json_object_size(h))
        json_object_set(j, "headers", h);
    json_decref(h);
    const char *d = natsMsg_GetData(m);
    int n = natsMsg_GetDataLength(m);
    if (cli_is_printable(d ? d : "", (size_t)n)) {
        json_object_set_new(j, "data", json_stringn(d ? d : "", (size_t)n));
    } else {
        struct buf b;
        buf_init(&b);
        cli_b64_encode(&b, d, (size_t)n, false);
        json_object_set_new(j, "data_base64", json_stringn(buf_head(&b), buf_size(&b)));
        buf_deinit(&b);
    }
    return j;
}

void cli_body_print(const char *data, size_t n)
{
    if (n == 0) {
        printf("nil body\n");
        return;
    }
    fwrite(data, 1, n, stdout);
    fputc('\n', stdout);
}

/* ---- pub ---- */

struct pub_state {
    const char *body; /* body template (argument or stdin) */
    size_t body_len;  /* its length (stdin bodies may hold NUL bytes) */
    bool templates;   /* expand templates in subject and body */
    bool js;          /* JetStream publish: wait for the PubAck */
    bool quiet, json; /* output control */
    bool progress;    /* show a progress bar instead of a line per message */
    int64_t count, sleep_ns;
};

static void progress_draw(int64_t done, int64_t total)
{
    int width = 40, filled = (int)(total ? done * width / total : width);
    fprintf(stderr, "\r%6.1f%% [", total ? 100.0 * (double)done / (double)total : 100.0);
    for (int i = 0; i < width; i++)
        fputs(i < filled ? "=" : " ", stderr);
    fprintf(stderr, "] %lld/%lld", (long long)done, (long long)total);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int pub_one(struct cli_run *r, struct pub_state *ps, int64_t i)
{
    const char *subj_t = cli_arg(r, 0);
    char *subject = ps->templates ? cli_tmpl_render(subj_t, i, NULL) : xstrdup(subj_t);
    char *body = NULL;
    size_t len = ps->body_len;
    if (ps->templates && strlen(ps->body) == ps->body_len) {
        body = cli_tmpl_render(ps->body, i, NULL);
        len = strlen(body);
    }
    natsMsg *m = NULL;
    int rc =
        cli_msg_build(r, &m, subject, cli_str(r, "reply", NULL), body ? body : ps->body, len, i);
    if (rc != 0)
        goto out;
    if (ps->js) {
        struct cli_jserr e;
        uint64_t seq;
        json_t *ack = NULL;
        if (cli_js_publish(r, m, &seq, &ack, &e) != 0) {
            rc = cli_js_fail(&e, NULL);
            goto out;
        }
        if (ps->json)
            cli_json_print(ack);
        else if (!ps->quiet && !ps->progress)
            cli_log("Stored in Stream: %s Sequence: %llu%s",
                    json_string_value(json_object_get(ack, "stream")), (unsigned long long)seq,
                    json_is_true(json_object_get(ack, "duplicate")) ? " Duplicate: true" : "");
        json_decref(ack);
    } else {
        natsStatus s = natsConnection_PublishMsg(r->nc, m);
        if (s != NATS_OK) {
            rc = cli_fail("publish to \"%s\" failed: %s", subject, cli_nats_err(s));
            goto out;
        }
    }
    if (!ps->quiet && !ps->progress && !ps->json && !ps->js)
        cli_log("Published %zu bytes to \"%s\"", len, subject);
out:
    natsMsg_Destroy(m);
    free(subject);
    free(body);
    return rc;
}

static int pub_run(struct cli_run *r)
{
    struct pub_state ps = {0};
    struct buf in;
    int rc;
    buf_init(&in);
    if (cli_int(r, "count", 1, &ps.count) || cli_dur(r, "sleep", 0, &ps.sleep_ns))
        return CLI_EXIT_FAIL;
    if (ps.count < 1)
        ps.count = 1;
    ps.templates = cli_bool(r, "templates", true);
    ps.js = cli_bool(r, "jetstream", false);
    ps.quiet = cli_bool(r, "quiet", false);
    ps.json = cli_bool(r, "json", false);
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    if (cli_arg(r, 1)) {
        ps.body = cli_arg(r, 1);
        ps.body_len = strlen(ps.body);
    } else if (!cli_stdin_is_tty() || cli_is_tty() || cli_bool(r, "force-stdin", false)) {
        if (cli_stdin_is_tty() && !ps.quiet)
            cli_log("Reading payload from STDIN");
        if (cli_read_all(STDIN_FILENO, &in) != 0)
            return cli_fail("could not read the body from stdin");
        ps.body = buf_head(&in);
        ps.body_len = buf_size(&in);
        buf_append_char(&in, '\0');
    } else {
        ps.body = "";
    }
    ps.progress = ps.count > 20 && !ps.quiet && !ps.json;
    int64_t done = 0;
    for (int64_t i = 1; i <= ps.count; i++) {
        rc = pub_one(r, &ps, i);
        if (rc != 0)
            goto out;
        done = i;
        if (ps.progress && cli_is_tty() && (i % 100 == 0 || i == ps.count))
            progress_draw(i, ps.count);
        if (ps.sleep_ns > 0 && i < ps.count) {
            natsConnection_FlushTimeout(r->nc, r->timeout_ms);
            struct timespec ts = {ps.sleep_ns / CLI_NS_PER_SEC, ps.sleep_ns % CLI_NS_PER_SEC};
            nanosleep(&ts, NULL);
        }
    }
    natsStatus s = natsConnection_FlushTimeout(r->nc, r->timeout_ms);
    if (s != NATS_OK) {
        rc = cli_fail("publish failed: %s", cli_nats_err(s));
        goto out;
    }
    if (ps.progress && !cli_is_tty())
        cli_log("Published %lld messages to \"%s\"", (long long)done, cli_arg(r, 0));
    rc = 0;
out:
    buf_deinit(&in);
    return rc;
}

/* ---- request ---- */

static int request_wait(struct cli_run *r, natsSubscription *sub, int64_t replies,
                        int64_t reply_timeout_ns, bool raw, bool json)
{
    int64_t start = cli_mono_ns(), got = 0, rtt_sum = 0;
    int64_t timeout_ms = r->timeout_ms;
    for (;;) {
        natsMsg *m = NULL;
        natsStatus s = natsSubscription_NextMsg(&m, sub, timeout_ms > 0 ? timeout_ms : 1);
        if (s == NATS_NO_RESPONDERS)
            return cli_fail("no responders available for request");
        if (s == NATS_TIMEOUT) {
            if (got == 0)
                return cli_fail("timeout waiting for a reply");
            return 0;
        }
        if (s != NATS_OK)
            return cli_fail("request failed: %s", cli_nats_err(s));
        int64_t rtt = cli_mono_ns() - start;
        char d[32];
        if (json) {
            json_t *j = cli_msg_json(m);
            cli_json_print(j);
            json_decref(j);
        } else if (raw) {
            fwrite(natsMsg_GetData(m), 1, (size_t)natsMsg_GetDataLength(m), stdout);
            fputc('\n', stdout);
        } else {
            cli_log("Received with rtt %s", cli_fmt_dur(d, sizeof(d), rtt));
            fflush(stdout);
            cli_msg_headers_print(m, stderr);
            cli_body_print(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m));
        }
        fflush(stdout);
        natsMsg_Destroy(m);
        got++;
        rtt_sum += rtt;
        if (replies > 0 && got >= replies)
            return 0;
        if (replies == 0)
            timeout_ms = r->timeout_ms - (cli_mono_ns() - start) / CLI_NS_PER_MS;
        else
            timeout_ms = (rtt_sum / got + reply_timeout_ns) / CLI_NS_PER_MS;
    }
}

static int request_one(struct cli_run *r, const char *body_t, int64_t i, int64_t replies,
                       int64_t reply_timeout_ns)
{
    bool templates = cli_bool(r, "templates", true), raw = cli_bool(r, "raw", false);
    bool json = cli_bool(r, "json", false);
    char *subject = templates ? cli_tmpl_render(cli_arg(r, 0), i, NULL) : xstrdup(cli_arg(r, 0));
    char *body = templates ? cli_tmpl_render(body_t, i, NULL) : xstrdup(body_t);
    natsInbox *inbox = NULL;
    natsSubscription *sub = NULL;
    natsMsg *m = NULL;
    int rc = CLI_EXIT_FAIL;
    if (natsInbox_Create(&inbox) != NATS_OK ||
        natsConnection_SubscribeSync(&sub, r->nc, inbox) != NATS_OK) {
        rc = cli_fail("could not subscribe to a reply inbox");
        goto out;
    }
    if (cli_msg_build(r, &m, subject, inbox, body, strlen(body), i) != 0)
        goto out;
    if (!raw && !json)
        cli_log("Sending request on \"%s\"", subject);
    natsStatus s = natsConnection_PublishMsg(r->nc, m);
    if (s != NATS_OK) {
        rc = cli_fail("request on \"%s\" failed: %s", subject, cli_nats_err(s));
        goto out;
    }
    rc = request_wait(r, sub, replies, reply_timeout_ns, raw, json);
out:
    natsMsg_Destroy(m);
    natsSubscription_Destroy(sub);
    natsInbox_Destroy(inbox);
    free(subject);
    free(body);
    return rc;
}

static int request_run(struct cli_run *r)
{
    int64_t count, replies, reply_timeout;
    struct buf in;
    int rc = 0;
    if (cli_int(r, "count", 1, &count) || cli_int(r, "replies", 1, &replies) ||
        cli_dur(r, "reply-timeout", 300 * CLI_NS_PER_MS, &reply_timeout))
        return CLI_EXIT_FAIL;
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    buf_init(&in);
    const char *body = cli_arg(r, 1);
    if (!body && !cli_stdin_is_tty()) {
        if (cli_read_all(STDIN_FILENO, &in) != 0)
            return cli_fail("could not read the body from stdin");
        buf_append_char(&in, '\0');
        body = buf_head(&in);
    }
    for (int64_t i = 1; i <= (count < 1 ? 1 : count) && rc == 0; i++)
        rc = request_one(r, body ? body : "", i, replies, reply_timeout);
    buf_deinit(&in);
    return rc;
}

#define TEMPLATE_HELP                                                                              \
    "Body, subject and header values may use templates:\n"                                         \
    "  {{Count}} message number, {{TimeStamp}} RFC 3339 time, {{Unix}}, {{UnixNano}},\n"           \
    "  {{Time}} current time, {{ID}} unique id, {{Random min max}} random string.\n"               \
    "  gannet pub test --count 10 \"Message {{Count}} @ {{TimeStamp}}\""

static const struct cli_flag pub_flags[] = {
    {"reply", 0, CLI_STR, "SUBJECT", "Sets a custom reply to subject"},
    {"header", 'H', CLI_LIST, "K:V", "Adds headers to the message using K:V format"},
    {"count", 0, CLI_STR, "NUMBER", "Publish multiple messages (default 1)"},
    {"sleep", 0, CLI_STR, "DURATION", "When publishing multiple messages, sleep between them"},
    {"force-stdin", 0, CLI_BOOL, NULL, "Force reading the body from stdin"},
    {"jetstream", 'J', CLI_BOOL, NULL, "Publish to JetStream and wait for the acknowledgement"},
    {"quiet", 'q', CLI_BOOL, NULL, "Show no output"},
    {"templates", 0, CLI_BOOL, NULL, "Expand templates in body and subject (default true)"},
    {"json", 'j', CLI_BOOL, NULL, "With --jetstream, print each acknowledgement as JSON"},
    {0},
};

static const struct cli_flag req_flags[] = {
    {"raw", 'r', CLI_BOOL, NULL, "Show just the output received"},
    {"header", 'H', CLI_LIST, "K:V", "Adds headers to the message using K:V format"},
    {"count", 0, CLI_STR, "NUMBER", "Send multiple requests (default 1)"},
    {"replies", 0, CLI_STR, "NUMBER", "Wait for this many replies; 0 waits until the timeout"},
    {"reply-timeout", 0, CLI_STR, "DURATION", "Time to wait between replies (default 300ms)"},
    {"templates", 0, CLI_BOOL, NULL, "Expand templates in body and subject (default true)"},
    {"json", 'j', CLI_BOOL, NULL, "Print each reply as a JSON object"},
    {0},
};

const struct cli_cmd cli_pub_cmd = {
    .name = "pub",
    .aliases = "publish",
    .help = "Generic data publish utility",
    .args = "<subject> [<body>]",
    .min_args = 1,
    .max_args = 2,
    .flags = pub_flags,
    .run = pub_run,
    .long_help = TEMPLATE_HELP "\nWithout a body argument the body is read from "
                               "stdin.",
};

const struct cli_cmd cli_request_cmd = {
    .name = "request",
    .aliases = "req",
    .help = "Generic request-reply request utility",
    .args = "<subject> [<body>]",
    .min_args = 1,
    .max_args = 2,
    .flags = req_flags,
    .run = request_run,
    .long_help = TEMPLATE_HELP,
};
