/* `consumer` management: add, edit, info, ls, rm, next (pull and acknowledge), report.
 *
 * Consumers are created as durables through $JS.API.CONSUMER.DURABLE.CREATE (understood by
 * every 2.x server); edit sends the changed config to the same subject. `next` issues one
 * pull request per message and acknowledges with +ACK as a request, so an ack the server did
 * not take is reported instead of silently lost.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JI(o, k) ((int64_t)json_integer_value(json_object_get((o), (k))))
#define JS(o, k) (json_string_value(json_object_get((o), (k))))

static bool may_prompt(struct cli_run *r)
{
    return cli_stdin_is_tty() && !cli_bool(r, "defaults", false) && !cli_has(r, "config");
}

/* Returns the flag value, a prompt answer or <def> (new string, or NULL). */
static char *setting(struct cli_run *r, bool prompt, const char *flag, const char *q,
                     const char *def)
{
    const char *v = cli_str(r, flag, NULL);
    if (v)
        return xstrdup(v);
    if (prompt)
        return cli_prompt(q, def);
    return def ? xstrdup(def) : NULL;
}

/* --deliver: all, new, last, subject (last per subject), a sequence number or a duration. */
static int set_deliver(json_t *cfg, const char *v)
{
    int64_t n;
    char when[40];
    if (!strcmp(v, "all") || !strcmp(v, "new") || !strcmp(v, "last")) {
        json_object_set_new(cfg, "deliver_policy", json_string(v));
    } else if (!strcmp(v, "subject") || !strcmp(v, "last_per_subject")) {
        json_object_set_new(cfg, "deliver_policy", json_string("last_per_subject"));
    } else if (cli_parse_int(v, &n) == 0 && n > 0) {
        json_object_set_new(cfg, "deliver_policy", json_string("by_start_sequence"));
        json_object_set_new(cfg, "opt_start_seq", json_integer(n));
    } else if (cli_parse_dur(v, &n) == 0 && n > 0) {
        json_object_set_new(cfg, "deliver_policy", json_string("by_start_time"));
        json_object_set_new(cfg, "opt_start_time",
                            json_string(cli_fmt_time(when, sizeof(when), cli_now_ns() - n)));
    } else {
        return cli_fail("invalid --deliver \"%s\" (all, new, last, subject, a sequence or a "
                        "duration)",
                        v);
    }
    return 0;
}

static int set_enum(json_t *cfg, const char *key, const char *v, const char *const *ok,
                    const char *flag)
{
    for (int i = 0; ok[i]; i++)
        if (!strcmp(ok[i], v)) {
            json_object_set_new(cfg, key, json_string(v));
            return 0;
        }
    return cli_fail("invalid value \"%s\" for --%s", v, flag);
}

/* Integer-like flags: {flag, key, kind} with kind 'i' integer, 'd' duration, 's' size. */
static const struct {
    const char *flag, *key;
    char kind;
} num_flags[] = {
    {"max-deliver", "max_deliver", 'i'},  {"max-pending", "max_ack_pending", 'i'},
    {"max-waiting", "max_waiting", 'i'},  {"wait", "ack_wait", 'd'},
    {"heartbeat", "idle_heartbeat", 'd'}, {"inactive-threshold", "inactive_threshold", 'd'},
    {"max-pull-batch", "max_batch", 'i'}, {"max-pull-expire", "max_expires", 'd'},
    {"max-pull-bytes", "max_bytes", 's'}, {"rate-limit", "rate_limit_bps", 'i'},
    {"replicas", "num_replicas", 'i'},
};

static int set_numbers(struct cli_run *r, json_t *cfg)
{
    for (size_t i = 0; i < sizeof(num_flags) / sizeof(num_flags[0]); i++) {
        int64_t v;
        int rc = num_flags[i].kind == 'i'   ? cli_int(r, num_flags[i].flag, 0, &v)
                 : num_flags[i].kind == 'd' ? cli_dur(r, num_flags[i].flag, 0, &v)
                                            : cli_size(r, num_flags[i].flag, 0, &v);
        if (rc != 0)
            return rc;
        if (cli_has(r, num_flags[i].flag))
            json_object_set_new(cfg, num_flags[i].key, json_integer(v));
    }
    if (cli_has(r, "sample"))
        json_object_set_new(cfg, "sample_freq", json_string(cli_str(r, "sample", "")));
    if (cli_has(r, "description"))
        json_object_set_new(cfg, "description", json_string(cli_str(r, "description", "")));
    if (cli_has(r, "headers-only"))
        json_object_set_new(cfg, "headers_only", json_boolean(cli_bool(r, "headers-only", 0)));
    if (cli_has(r, "flow-control"))
        json_object_set_new(cfg, "flow_control", json_boolean(cli_bool(r, "flow-control", 0)));
    if (cli_has(r, "memory"))
        json_object_set_new(cfg, "mem_storage", json_boolean(cli_bool(r, "memory", false)));
    const char **list;
    int n = cli_list(r, "backoff", &list);
    if (n) {
        json_t *b = json_array();
        for (int i = 0; i < n; i++) {
            int64_t d;
            if (cli_parse_dur(list[i], &d) != 0) {
                json_decref(b);
                return cli_fail("invalid --backoff duration \"%s\"", list[i]);
            }
            json_array_append_new(b, json_integer(d));
        }
        json_object_set_new(cfg, "backoff", b);
    }
    return 0;
}

/* Builds the consumer config for add (<base> NULL) or edit (<base> the current config). */
static json_t *cfg_build(struct cli_run *r, const char *name, const json_t *base)
{
    static const char *const acks[] = {"none", "all", "explicit", NULL};
    static const char *const replays[] = {"instant", "original", NULL};
    bool prompt = !base && may_prompt(r);
    json_t *cfg = base ? json_deep_copy(base)
                       : json_pack("{s:s,s:s,s:s,s:s}", "durable_name", name, "deliver_policy",
                                   "all", "ack_policy", "explicit", "replay_policy", "instant");
    char *v = NULL;
    int rc = 0;
    if (!base) {
        v = setting(r, prompt && !cli_bool(r, "pull", false), "target",
                    "Delivery target (empty for Pull Consumers)", "");
        if (v && *v && !cli_bool(r, "pull", false))
            json_object_set_new(cfg, "deliver_subject", json_string(v));
        free(v);
        if (cli_has(r, "deliver-group"))
            json_object_set_new(cfg, "deliver_group", json_string(cli_str(r, "deliver-group", "")));
        v = setting(r, prompt, "deliver",
                    "Start policy (all, new, last, subject, 1h, msg "
                    "sequence)",
                    "all");
        rc = set_deliver(cfg, v);
        free(v);
        v = rc ? NULL
               : setting(r, prompt, "ack", "Acknowledgment policy (none, all, explicit)",
                         "explicit");
        rc = rc ? rc : set_enum(cfg, "ack_policy", v, acks, "ack");
        free(v);
        v = rc ? NULL
               : setting(r, prompt, "replay", "Replay policy (instant, original)", "instant");
        rc = rc ? rc : set_enum(cfg, "replay_policy", v, replays, "replay");
        free(v);
        v = rc ? NULL
               : setting(r, prompt, "filter", "Filter Stream by subject (blank for all)", "");
        if (v && *v)
            json_object_set_new(cfg, "filter_subject", json_string(v));
        free(v);
        if (rc == 0 && prompt && !cli_has(r, "max-deliver")) {
            v = cli_prompt("Maximum Allowed Deliveries", "-1");
            int64_t n;
            if (cli_parse_int(v, &n) == 0)
                json_object_set_new(cfg, "max_deliver", json_integer(n));
            free(v);
        }
    } else if (cli_has(r, "filter")) {
        json_object_set_new(cfg, "filter_subject", json_string(cli_str(r, "filter", "")));
    }
    if (rc == 0)
        rc = set_numbers(r, cfg);
    if (rc != 0) {
        json_decref(cfg);
        return NULL;
    }
    return cfg;
}

static int print_info(struct cli_run *r, json_t *info)
{
    json_object_del(info, "type");
    if (cli_bool(r, "json", false))
        cli_json_print(info);
    else
        cli_consumer_info_print(info);
    return 0;
}

static int put(struct cli_run *r, const char *stream, json_t *cfg, bool update)
{
    json_t *req = json_pack("{s:s,s:O}", "stream_name", stream, "config", cfg), *resp = NULL;
    struct cli_jserr e;
    const char *name = JS(cfg, "durable_name") ? JS(cfg, "durable_name") : JS(cfg, "name");
    int rc = cli_js_callf(r, &resp, &e, req, "$JS.API.CONSUMER.DURABLE.CREATE.%s.%s", stream, name);
    json_decref(req);
    if (rc != 0)
        return cli_js_fail(&e, update ? "could not edit consumer" : "could not create consumer");
    rc = print_info(r, resp);
    json_decref(resp);
    return rc;
}

static int add_run(struct cli_run *r)
{
    const char *stream = cli_arg(r, 0);
    char *name = cli_arg(r, 1) ? xstrdup(cli_arg(r, 1)) : NULL;
    json_t *cfg = NULL;
    int rc = CLI_EXIT_FAIL;
    if (cli_has(r, "config")) {
        json_error_t jerr;
        cfg = json_load_file(cli_str(r, "config", ""), 0, &jerr);
        if (!cfg) {
            free(name);
            return cli_fail("could not read %s: %s", cli_str(r, "config", ""), jerr.text);
        }
        if (json_object_get(cfg, "config")) { /* a saved `consumer info --json` */
            json_t *inner = json_incref(json_object_get(cfg, "config"));
            json_decref(cfg);
            cfg = inner;
        }
        if (name)
            json_object_set_new(cfg, "durable_name", json_string(name));
    } else {
        if (!name && may_prompt(r))
            name = cli_prompt("Consumer name", NULL);
        if (!name || !*name) {
            free(name);
            return cli_fail("consumer name is required");
        }
        cfg = cfg_build(r, name, NULL);
    }
    if (cfg && !JS(cfg, "durable_name") && !JS(cfg, "name"))
        rc = cli_fail("the consumer configuration has no name");
    else if (cfg && cli_connect(r) == 0)
        rc = put(r, stream, cfg, false);
    json_decref(cfg);
    free(name);
    return rc;
}

static json_t *info_get(struct cli_run *r, const char *stream, const char *name,
                        struct cli_jserr *e)
{
    json_t *resp = NULL;
    if (cli_js_callf(r, &resp, e, NULL, "$JS.API.CONSUMER.INFO.%s.%s", stream, name) != 0)
        return NULL;
    return resp;
}

static int edit_run(struct cli_run *r)
{
    struct cli_jserr e;
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *info = info_get(r, cli_arg(r, 0), cli_arg(r, 1), &e);
    if (!info)
        return cli_js_fail(&e, NULL);
    json_t *cfg = cfg_build(r, cli_arg(r, 1), json_object_get(info, "config"));
    int rc = CLI_EXIT_FAIL;
    if (cfg) {
        if (!JS(cfg, "durable_name"))
            json_object_set_new(cfg, "durable_name", json_string(cli_arg(r, 1)));
        rc = put(r, cli_arg(r, 0), cfg, true);
    }
    json_decref(cfg);
    json_decref(info);
    return rc;
}

static int info_run(struct cli_run *r)
{
    struct cli_jserr e;
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *info = info_get(r, cli_arg(r, 0), cli_arg(r, 1), &e);
    if (!info)
        return cli_js_fail(&e, NULL);
    print_info(r, info);
    json_decref(info);
    return 0;
}

static json_t *list_all(struct cli_run *r, const char *stream, struct cli_jserr *e)
{
    char api[300];
    snprintf(api, sizeof(api), "$JS.API.CONSUMER.LIST.%s", stream);
    return cli_js_list_all(r, api, "consumers", NULL, e);
}

static int ls_run(struct cli_run *r)
{
    struct cli_jserr e;
    size_t i;
    json_t *v;
    char a[32], u[32], title[300];
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *all = list_all(r, cli_arg(r, 0), &e);
    if (!all)
        return cli_js_fail(&e, NULL);
    if (cli_bool(r, "json", false) || cli_bool(r, "names", false)) {
        json_t *names = json_array();
        json_array_foreach(all, i, v) json_array_append_new(names, json_string(JS(v, "name")));
        if (cli_bool(r, "json", false))
            cli_json_print(names);
        else
            json_array_foreach(names, i, v) printf("%s\n", json_string_value(v));
        json_decref(names);
    } else if (json_array_size(all) == 0) {
        printf("No Consumers defined\n");
    } else {
        struct cli_table t;
        snprintf(title, sizeof(title), "Consumers for Stream %s", cli_arg(r, 0));
        cli_table_init(&t, title, 5, "Name", "Description", "Created", "Ack Pending",
                       "Unprocessed");
        json_array_foreach(all, i, v)
        {
            char c[32];
            snprintf(c, sizeof(c), "%.19s", JS(v, "created") ? JS(v, "created") : "");
            for (char *p = c; *p; p++)
                if (*p == 'T')
                    *p = ' ';
            cli_table_row(&t, JS(v, "name"), JS(json_object_get(v, "config"), "description"), c,
                          cli_fmt_int(a, sizeof(a), JI(v, "num_ack_pending")),
                          cli_fmt_int(u, sizeof(u), JI(v, "num_pending")));
        }
        cli_table_print(&t);
    }
    json_decref(all);
    return 0;
}

static int rm_run(struct cli_run *r)
{
    char q[300];
    json_t *resp = NULL;
    struct cli_jserr e;
    snprintf(q, sizeof(q), "Really delete Consumer %s > %s", cli_arg(r, 0), cli_arg(r, 1));
    int rc = cli_confirm_or_force(r, q);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    if (cli_js_callf(r, &resp, &e, NULL, "$JS.API.CONSUMER.DELETE.%s.%s", cli_arg(r, 0),
                     cli_arg(r, 1)) != 0)
        return cli_js_fail(&e, "could not remove consumer");
    json_decref(resp);
    return 0;
}

static int report_run(struct cli_run *r)
{
    struct cli_jserr e;
    size_t i;
    json_t *v;
    char title[300];
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *all = list_all(r, cli_arg(r, 0), &e);
    if (!all)
        return cli_js_fail(&e, NULL);
    if (cli_bool(r, "json", false)) {
        cli_json_print(all);
        json_decref(all);
        return 0;
    }
    struct cli_table t;
    snprintf(title, sizeof(title), "Consumer report for %s with %zu consumers", cli_arg(r, 0),
             json_array_size(all));
    cli_table_init(&t, title, 7, "Consumer", "Mode", "Ack Policy", "Ack Wait", "Ack Pending",
                   "Redelivered", "Unprocessed");
    json_array_foreach(all, i, v)
    {
        const json_t *cfg = json_object_get(v, "config");
        char w[32], a[32], d[32], u[32];
        cli_table_row(&t, JS(v, "name"), JS(cfg, "deliver_subject") ? "Push" : "Pull",
                      JS(cfg, "ack_policy"), cli_fmt_dur(w, sizeof(w), JI(cfg, "ack_wait")),
                      cli_fmt_int(a, sizeof(a), JI(v, "num_ack_pending")),
                      cli_fmt_int(d, sizeof(d), JI(v, "num_redelivered")),
                      cli_fmt_int(u, sizeof(u), JI(v, "num_pending")));
    }
    cli_table_print(&t);
    json_decref(all);
    return 0;
}

/* ---- next ---- */

static int next_show(struct cli_run *r, natsMsg *m, const struct cli_jsmeta *meta, bool acked)
{
    const char *data = natsMsg_GetData(m);
    size_t n = (size_t)natsMsg_GetDataLength(m);
    char ts[40];
    if (cli_bool(r, "json", false)) {
        json_t *j = cli_msg_json(m);
        json_object_del(j, "reply");
        json_object_set_new(j, "status", json_string("ok"));
        json_object_set_new(j, "stream", json_string(meta->stream));
        json_object_set_new(j, "consumer", json_string(meta->consumer));
        json_object_set_new(j, "seq", json_integer((json_int_t)meta->sseq));
        json_object_set_new(j, "consumer_seq", json_integer((json_int_t)meta->cseq));
        json_object_set_new(j, "delivered", json_integer((json_int_t)meta->delivered));
        json_object_set_new(j, "pending", json_integer((json_int_t)meta->pending));
        json_object_set_new(j, "time", json_string(cli_fmt_time(ts, sizeof(ts), meta->ts)));
        json_object_set_new(j, "acked", json_boolean(acked));
        char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        printf("%s\n", s);
        free(s);
        json_decref(j);
    } else if (cli_bool(r, "raw", false)) {
        fwrite(data, 1, n, stdout);
        fputc('\n', stdout);
    } else {
        printf("[%s] subj: %s / tries: %llu / cons seq: %llu / str seq: %llu / pending: %llu\n\n",
               cli_fmt_time(ts, sizeof(ts), meta->ts), natsMsg_GetSubject(m),
               (unsigned long long)meta->delivered, (unsigned long long)meta->cseq,
               (unsigned long long)meta->sseq, (unsigned long long)meta->pending);
        cli_msg_headers_print(m, stdout);
        cli_body_print(data, n);
        printf("\n");
        if (acked)
            printf("Acknowledged message\n\n");
    }
    fflush(stdout);
    return 0;
}

#define NEXT_NONE 2 /* next_one(): no message available (distinct from CLI_EXIT_FAIL) */

/* Pulls one message; returns 0 (shown), NEXT_NONE or CLI_EXIT_FAIL. Sets <*left>
 * to the consumer's pending count after the message. */
static int next_one(struct cli_run *r, natsSubscription *sub, const char *inbox, bool ack,
                    uint64_t *left)
{
    char subj[512];
    int64_t expires = (r->timeout_ms > 200 ? r->timeout_ms - 100 : r->timeout_ms) * CLI_NS_PER_MS;
    snprintf(subj, sizeof(subj), "$JS.API.CONSUMER.MSG.NEXT.%s.%s", cli_arg(r, 0), cli_arg(r, 1));
    char body[96];
    snprintf(body, sizeof(body), "{\"batch\":1,\"expires\":%lld}", (long long)expires);
    natsStatus s = natsConnection_PublishRequestString(r->nc, subj, inbox, body);
    for (;;) {
        natsMsg *m = NULL;
        if (s == NATS_OK)
            s = natsSubscription_NextMsg(&m, sub, r->timeout_ms + 500);
        if (s == NATS_TIMEOUT || s == NATS_NO_RESPONDERS)
            return s == NATS_TIMEOUT ? NEXT_NONE
                                     : cli_fail("JetStream not enabled or consumer missing");
        if (s != NATS_OK)
            return cli_fail("pull request failed: %s", cli_nats_err(s));
        const char *status = NULL;
        if (natsMsgHeader_Get(m, "Status", &status) == NATS_OK && status) {
            bool done = !strcmp(status, "404") || !strcmp(status, "408") || !strcmp(status, "409");
            const char *desc = NULL;
            natsMsgHeader_Get(m, "Description", &desc);
            int rc =
                !strcmp(status, "409") ? cli_fail("%s", desc ? desc : "pull failed") : NEXT_NONE;
            natsMsg_Destroy(m);
            if (done)
                return rc;
            continue; /* 100: heartbeat */
        }
        struct cli_jsmeta meta;
        bool acked = false;
        if (cli_jsmeta_parse(natsMsg_GetReply(m), &meta) != 0)
            memset(&meta, 0, sizeof(meta));
        if (ack && natsMsg_GetReply(m)) {
            natsMsg *reply = NULL;
            s = natsConnection_RequestString(&reply, r->nc, natsMsg_GetReply(m), "+ACK",
                                             r->timeout_ms);
            acked = s == NATS_OK;
            natsMsg_Destroy(reply);
            if (!acked)
                cli_log("Acknowledging the message failed: %s", cli_nats_err(s));
        }
        next_show(r, m, &meta, acked);
        natsMsg_Destroy(m);
        *left = meta.pending;
        return 0;
    }
}

static int next_run(struct cli_run *r)
{
    int64_t count;
    natsInbox *inbox = NULL;
    natsSubscription *sub = NULL;
    int rc = 0;
    if (cli_int(r, "count", 1, &count) != 0)
        return CLI_EXIT_FAIL;
    bool ack = cli_bool(r, "ack", true) && !cli_bool(r, "no-ack", false);
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    if (natsInbox_Create(&inbox) != NATS_OK ||
        natsConnection_SubscribeSync(&sub, r->nc, inbox) != NATS_OK) {
        natsInbox_Destroy(inbox);
        return cli_fail("could not subscribe to a reply inbox");
    }
    int64_t got = 0;
    for (int64_t i = 0; i < (count < 1 ? 1 : count); i++) {
        uint64_t left = 1;
        rc = next_one(r, sub, inbox, ack, &left);
        if (rc != 0)
            break;
        got++;
        if (left == 0 && i + 1 < count) {
            rc = NEXT_NONE; /* nothing pending: do not wait a full timeout for more */
            break;
        }
    }
    if (rc == NEXT_NONE) {
        if (got == 0)
            rc = cli_fail("no message available from consumer %s > %s", cli_arg(r, 0),
                          cli_arg(r, 1));
        else {
            cli_log("No more messages after %lld", (long long)got);
            rc = 0;
        }
    }
    natsSubscription_Destroy(sub);
    natsInbox_Destroy(inbox);
    return rc;
}

#define CONSUMER_CFG_FLAGS                                                                         \
    {"description", 0, CLI_STR, "TEXT", "Sets a contextual description for the consumer"},         \
        {"max-deliver", 0, CLI_STR, "NUMBER", "Maximum amount of times a message is delivered"},   \
        {"max-pending", 0, CLI_STR, "NUMBER", "Maximum pending acknowledgements"},                 \
        {"max-waiting", 0, CLI_STR, "NUMBER", "Maximum waiting pull requests"},                    \
        {"wait", 0, CLI_STR, "DURATION", "Acknowledgement waiting time (ack wait)"},               \
        {"heartbeat", 0, CLI_STR, "DURATION", "Idle heartbeat interval for push consumers"},       \
        {"flow-control", 0, CLI_BOOL, NULL, "Enable push consumer flow control"},                  \
        {"headers-only", 0, CLI_BOOL, NULL, "Deliver only headers, no bodies"},                    \
        {"backoff", 0, CLI_LIST, "DURATION", "Redelivery backoff steps (repeat the flag)"},        \
        {"inactive-threshold", 0, CLI_STR, "DURATION", "Remove the consumer after inactivity"},    \
        {"max-pull-batch", 0, CLI_STR, "NUMBER", "Maximum batch size of a pull request"},          \
        {"max-pull-expire", 0, CLI_STR, "DURATION", "Maximum expire time of a pull request"},      \
        {"max-pull-bytes", 0, CLI_STR, "BYTES", "Maximum bytes of a pull request"},                \
        {"sample", 0, CLI_STR, "PERCENT", "Percentage of acknowledgements to sample"},             \
        {"rate-limit", 0, CLI_STR, "BPS", "Rate limit of push delivery, bits per second"},         \
        {"replicas", 0, CLI_STR, "NUMBER", "Number of consumer replicas"},                         \
        {"memory", 0, CLI_BOOL, NULL, "Keep the consumer state in memory"},                        \
        {"filter", 0, CLI_STR, "SUBJECT", "Filter the stream by subject"},                         \
    {                                                                                              \
        "json", 'j', CLI_BOOL, NULL, "Produce JSON output"                                         \
    }

static const struct cli_flag add_flags[] = {
    CONSUMER_CFG_FLAGS,
    {"target", 0, CLI_STR, "SUBJECT", "Push delivery subject (omit for a pull consumer)"},
    {"pull", 0, CLI_BOOL, NULL, "Create a pull consumer"},
    {"deliver-group", 0, CLI_STR, "GROUP", "Queue group for push delivery"},
    {"deliver", 0, CLI_STR, "POLICY", "Start policy: all, new, last, subject, 1h, sequence"},
    {"ack", 0, CLI_STR, "POLICY", "Acknowledgement policy: none, all, explicit"},
    {"replay", 0, CLI_STR, "POLICY", "Replay policy: instant, original"},
    {"config", 0, CLI_STR, "FILE", "JSON file to read the configuration from"},
    {"defaults", 0, CLI_BOOL, NULL, "Accept default values for all prompts"},
    {0},
};
static const struct cli_flag edit_flags[] = {CONSUMER_CFG_FLAGS, {0}};
static const struct cli_flag json_flags[] = {
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};
static const struct cli_flag ls_flags[] = {
    {"names", 'n', CLI_BOOL, NULL, "Show just the consumer names"},
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};
static const struct cli_flag rm_flags[] = {
    {"force", 'f', CLI_BOOL, NULL, "Force removal without prompting"},
    {0},
};
static const struct cli_flag next_flags[] = {
    {"ack", 0, CLI_BOOL, NULL, "Acknowledge received messages (default true)"},
    {"no-ack", 0, CLI_BOOL, NULL, "Do not acknowledge received messages"},
    {"count", 0, CLI_STR, "NUMBER", "Number of messages to receive (default 1)"},
    {"raw", 'r', CLI_BOOL, NULL, "Show only the message bodies"},
    {"json", 'j', CLI_BOOL, NULL, "One JSON result per message"},
    {0},
};

static const struct cli_cmd add_cmd = {
    .name = "add",
    .aliases = "create new",
    .help = "Creates a new consumer",
    .args = "<stream> [<consumer>]",
    .min_args = 1,
    .max_args = 2,
    .flags = add_flags,
    .run = add_run,
};
static const struct cli_cmd edit_cmd = {
    .name = "edit",
    .aliases = "update",
    .help = "Edits the configuration of a consumer",
    .args = "<stream> <consumer>",
    .min_args = 2,
    .max_args = 2,
    .flags = edit_flags,
    .run = edit_run,
};
static const struct cli_cmd info_cmd = {
    .name = "info",
    .aliases = "nfo i",
    .help = "Consumer information",
    .args = "<stream> <consumer>",
    .min_args = 2,
    .max_args = 2,
    .flags = json_flags,
    .run = info_run,
};
static const struct cli_cmd ls_cmd = {
    .name = "ls",
    .aliases = "list l",
    .help = "List known consumers of a stream",
    .args = "<stream>",
    .min_args = 1,
    .max_args = 1,
    .flags = ls_flags,
    .run = ls_run,
};
static const struct cli_cmd rm_cmd = {
    .name = "rm",
    .aliases = "delete del",
    .help = "Removes a consumer",
    .args = "<stream> <consumer>",
    .min_args = 2,
    .max_args = 2,
    .flags = rm_flags,
    .run = rm_run,
};
static const struct cli_cmd next_cmd = {
    .name = "next",
    .help = "Retrieves messages from a pull consumer",
    .args = "<stream> <consumer>",
    .min_args = 2,
    .max_args = 2,
    .flags = next_flags,
    .run = next_run,
};
static const struct cli_cmd report_cmd = {
    .name = "report",
    .help = "Reports on the consumers of a stream",
    .args = "<stream>",
    .min_args = 1,
    .max_args = 1,
    .flags = json_flags,
    .run = report_run,
};
static const struct cli_cmd *const consumer_subs[] = {&add_cmd,  &edit_cmd,   &info_cmd, &ls_cmd,
                                                      &next_cmd, &report_cmd, &rm_cmd,   NULL};

const struct cli_cmd cli_consumer_cmd = {
    .name = "consumer",
    .aliases = "con obs c",
    .help = "JetStream consumer management",
    .subs = consumer_subs,
};
