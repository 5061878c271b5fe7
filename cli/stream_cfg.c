/* Stream configuration from flags (and prompts), and the human rendering of stream info.
 *
 * A flag that was given always wins; for `stream add` a missing setting is asked for only
 * when stdin is a terminal and --defaults is absent, otherwise the nats CLI's default is used
 * (subjects default to the stream name). `stream edit` and `stream copy` start from an
 * existing config and change only what the flags name.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns whether settings may be asked for interactively. */
static bool may_prompt(struct cli_run *r, bool edit)
{
    return !edit && cli_stdin_is_tty() && !cli_bool(r, "defaults", false) && !cli_has(r, "config");
}

/* Reads a string setting: the flag, a prompt, or <def>. Returns a new string. */
static char *ask_str(struct cli_run *r, bool prompt, const char *flag, const char *question,
                     const char *def)
{
    const char *v = cli_str(r, flag, NULL);
    if (v)
        return xstrdup(v);
    if (prompt)
        return cli_prompt(question, def);
    return def ? xstrdup(def) : NULL;
}

static int enum_map(const char *v, const char *const *names, const char *const *values,
                    const char **out)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(v, names[i])) {
            *out = values[i];
            return 0;
        }
    return -1;
}

/* Applies one enum setting (flag or prompt) to <cfg>[<key>]. */
static int set_enum(struct cli_run *r, json_t *cfg, bool prompt, const char *flag, const char *key,
                    const char *question, const char *def, const char *const *names,
                    const char *const *values)
{
    if (!cli_has(r, flag) && !prompt)
        return 0;
    char *v = ask_str(r, prompt, flag, question, def);
    const char *mapped = NULL;
    int rc = enum_map(v, names, values, &mapped);
    if (rc != 0)
        rc = cli_fail("invalid value \"%s\" for --%s", v, flag);
    else
        json_object_set_new(cfg, key, json_string(mapped));
    free(v);
    return rc;
}

/* Applies a numeric setting parsed by <parse> (size, duration or int). */
static int set_num(struct cli_run *r, json_t *cfg, bool prompt, const char *flag, const char *key,
                   const char *question, const char *def, int (*parse)(const char *, int64_t *),
                   bool minus_one_unlimited)
{
    if (!cli_has(r, flag) && !prompt)
        return 0;
    char *v = ask_str(r, prompt, flag, question, def);
    int64_t n;
    int rc = 0;
    if (parse(v, &n) != 0)
        rc = cli_fail("invalid value \"%s\" for --%s", v, flag);
    else
        json_object_set_new(cfg, key, json_integer(n < 0 && minus_one_unlimited ? -1 : n));
    free(v);
    return rc;
}

static int set_bool(struct cli_run *r, json_t *cfg, bool prompt, const char *flag, const char *key,
                    const char *question, bool def)
{
    if (cli_has(r, flag)) {
        json_object_set_new(cfg, key, json_boolean(cli_bool(r, flag, def)));
    } else if (prompt) {
        char *v = cli_prompt(question, def ? "y" : "n");
        json_object_set_new(cfg, key, json_boolean(v[0] == 'y' || v[0] == 'Y'));
        free(v);
    }
    return 0;
}

static json_t *cfg_defaults(const char *name)
{
    return json_pack(
        "{s:s,s:[s],s:s,s:i,s:i,s:i,s:I,s:i,s:i,s:s,s:s,s:i,s:I,s:b,s:b,s:b,s:b,"
        "s:b,s:b}",
        "name", name, "subjects", name, "retention", "limits", "max_consumers", -1, "max_msgs", -1,
        "max_bytes", -1, "max_age", (json_int_t)0, "max_msgs_per_subject", -1, "max_msg_size", -1,
        "discard", "old", "storage", "file", "num_replicas", 1, "duplicate_window",
        (json_int_t)(120 * CLI_NS_PER_SEC), "sealed", 0, "deny_delete", 0, "deny_purge", 0,
        "allow_rollup_hdrs", 0, "allow_direct", 1, "mirror_direct", 0);
}

static int set_subjects(struct cli_run *r, json_t *cfg, bool prompt, const char *name)
{
    const char **subs;
    int n = cli_list(r, "subjects", &subs);
    json_t *arr = json_array();
    if (n == 0 && prompt) {
        char *v = cli_prompt("Subjects (comma separated)", name);
        char *save = NULL;
        for (char *t = strtok_r(v, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
            json_array_append_new(arr, json_string(t));
        free(v);
    }
    for (int i = 0; i < n; i++) {
        char *copy = xstrdup(subs[i]), *save = NULL;
        for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
            json_array_append_new(arr, json_string(t));
        free(copy);
    }
    if (json_array_size(arr))
        json_object_set(cfg, "subjects", arr);
    json_decref(arr);
    return 0;
}

/* The options that need no prompt: placement, sources, republish, metadata, ... */
static int set_extras(struct cli_run *r, json_t *cfg, bool edit)
{
    const char **list;
    int n;
    if (cli_has(r, "description"))
        json_object_set_new(cfg, "description", json_string(cli_str(r, "description", "")));
    if (!edit && cli_has(r, "first-sequence")) {
        int64_t v;
        if (cli_int(r, "first-sequence", 0, &v) != 0)
            return CLI_EXIT_FAIL;
        json_object_set_new(cfg, "first_seq", json_integer(v));
    }
    if (cli_has(r, "max-consumers")) {
        int64_t v;
        if (cli_int(r, "max-consumers", -1, &v) != 0)
            return CLI_EXIT_FAIL;
        json_object_set_new(cfg, "max_consumers", json_integer(v));
    }
    if (cli_has(r, "replicas")) {
        int64_t v;
        if (cli_int(r, "replicas", 1, &v) != 0)
            return CLI_EXIT_FAIL;
        json_object_set_new(cfg, "num_replicas", json_integer(v));
    }
    if (cli_has(r, "cluster") || cli_has(r, "tag")) {
        json_t *pl = json_object();
        if (cli_has(r, "cluster"))
            json_object_set_new(pl, "cluster", json_string(cli_str(r, "cluster", "")));
        n = cli_list(r, "tag", &list);
        if (n) {
            json_t *tags = json_array();
            for (int i = 0; i < n; i++)
                json_array_append_new(tags, json_string(list[i]));
            json_object_set_new(pl, "tags", tags);
        }
        json_object_set_new(cfg, "placement", pl);
    }
    if (cli_has(r, "mirror"))
        json_object_set_new(cfg, "mirror", json_pack("{s:s}", "name", cli_str(r, "mirror", "")));
    n = cli_list(r, "source", &list);
    if (n) {
        json_t *src = json_array();
        for (int i = 0; i < n; i++)
            json_array_append_new(src, json_pack("{s:s}", "name", list[i]));
        json_object_set_new(cfg, "sources", src);
    }
    if (cli_has(r, "republish-destination")) {
        json_object_set_new(cfg, "republish",
                            json_pack("{s:s,s:s,s:b}", "src", cli_str(r, "republish-source", ">"),
                                      "dest", cli_str(r, "republish-destination", ""),
                                      "headers_only", cli_bool(r, "republish-headers", false)));
    }
    if (edit && cli_bool(r, "no-republish", false))
        json_object_del(cfg, "republish");
    n = cli_list(r, "metadata", &list);
    if (n) {
        json_t *md = json_object();
        for (int i = 0; i < n; i++) {
            const char *eq = strchr(list[i], '=');
            if (!eq)
                return cli_fail("invalid metadata \"%s\", use key=value", list[i]);
            char *k = xstrndup(list[i], (size_t)(eq - list[i]));
            json_object_set_new(md, k, json_string(eq + 1));
            free(k);
        }
        json_object_set_new(cfg, "metadata", md);
    }
    if (cli_has(r, "compression"))
        json_object_set_new(cfg, "compression", json_string(cli_str(r, "compression", "none")));
    return 0;
}

json_t *cli_stream_cfg_from_flags(struct cli_run *r, const char *name, const json_t *base,
                                  bool edit)
{
    static const char *const stor_n[] = {"file", "f", "memory", "m", NULL};
    static const char *const stor_v[] = {"file", "file", "memory", "memory"};
    static const char *const ret_n[] = {"limits", "interest", "work", "workq", "workqueue", NULL};
    static const char *const ret_v[] = {"limits", "interest", "workqueue", "workqueue",
                                        "workqueue"};
    static const char *const disc_n[] = {"old", "new", NULL};
    static const char *const disc_v[] = {"old", "new"};
    bool prompt = may_prompt(r, edit);
    json_t *cfg = base ? json_deep_copy(base) : cfg_defaults(name);
    json_object_set_new(cfg, "name", json_string(name));
    if (set_subjects(r, cfg, prompt, name) ||
        (!edit && set_enum(r, cfg, prompt, "storage", "storage", "Storage (file, memory)", "file",
                           stor_n, stor_v)) ||
        set_enum(r, cfg, prompt, "retention", "retention",
                 "Retention Policy (limits, interest, "
                 "work)",
                 "limits", ret_n, ret_v) ||
        set_enum(r, cfg, prompt, "discard", "discard", "Discard Policy (old, new)", "old", disc_n,
                 disc_v) ||
        set_num(r, cfg, prompt, "max-msgs", "max_msgs", "Stream Messages Limit", "-1",
                cli_parse_int, true) ||
        set_num(r, cfg, prompt, "max-msgs-per-subject", "max_msgs_per_subject",
                "Per Subject Messages Limit", "-1", cli_parse_int, true) ||
        set_num(r, cfg, prompt, "max-bytes", "max_bytes", "Total Stream Size", "-1", cli_parse_size,
                true) ||
        set_num(r, cfg, prompt, "max-age", "max_age", "Message TTL", "0", cli_parse_dur, false) ||
        set_num(r, cfg, prompt, "max-msg-size", "max_msg_size", "Max Message Size", "-1",
                cli_parse_size, true) ||
        set_num(r, cfg, prompt, "dupe-window", "duplicate_window",
                "Duplicate tracking time "
                "window",
                "2m", cli_parse_dur, false) ||
        set_bool(r, cfg, prompt, "allow-rollup", "allow_rollup_hdrs", "Allow message Roll-ups",
                 false) ||
        set_bool(r, cfg, prompt, "deny-delete", "deny_delete",
                 "Allow message deletion? (n = "
                 "deny)",
                 false) ||
        set_bool(r, cfg, false, "deny-purge", "deny_purge", "", false) ||
        set_bool(r, cfg, false, "allow-direct", "allow_direct", "", true) ||
        set_bool(r, cfg, false, "allow-mirror-direct", "mirror_direct", "", false) ||
        set_bool(r, cfg, false, "discard-per-subject", "discard_new_per_subject", "", false) ||
        set_extras(r, cfg, edit)) {
        json_decref(cfg);
        return NULL;
    }
    if (cli_has(r, "ack") && !cli_bool(r, "ack", true))
        json_object_set_new(cfg, "no_ack", json_true());
    if (cli_bool(r, "discard-per-subject", false))
        json_object_set_new(cfg, "discard", json_string("new"));
    if (prompt && json_is_integer(json_object_get(cfg, "max_age")) &&
        json_integer_value(json_object_get(cfg, "max_age")) < 0)
        json_object_set_new(cfg, "max_age", json_integer(0));
    return cfg;
}

/* ---- rendering ---- */

#define JI(o, k) ((int64_t)json_integer_value(json_object_get((o), (k))))
#define JS(o, k) (json_string_value(json_object_get((o), (k))))
#define JB(o, k) (json_is_true(json_object_get((o), (k))) ? "true" : "false")

static const char *limit_str(char *buf, size_t cap, int64_t v, bool bytes)
{
    if (v <= 0)
        return "unlimited";
    if (bytes)
        return cli_fmt_bytes(buf, cap, (double)v);
    return cli_fmt_int(buf, cap, v);
}

static const char *cap_word(const char *s, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", s ? s : "");
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
    return buf;
}

static void subjects_line(const json_t *cfg)
{
    const json_t *subs = json_object_get(cfg, "subjects");
    size_t i;
    json_t *v;
    printf("%22s: ", "Subjects");
    json_array_foreach(subs, i, v) printf("%s%s", i ? ", " : "", json_string_value(v));
    printf("\n");
}

static void stream_limits_print(const json_t *cfg)
{
    char b[64];
    printf("\nLimits:\n\n");
    cli_kv_line(22, "Maximum Messages", "%s", limit_str(b, sizeof(b), JI(cfg, "max_msgs"), 0));
    cli_kv_line(22, "Maximum Per Subject", "%s",
                limit_str(b, sizeof(b), JI(cfg, "max_msgs_per_subject"), 0));
    cli_kv_line(22, "Maximum Bytes", "%s", limit_str(b, sizeof(b), JI(cfg, "max_bytes"), 1));
    cli_kv_line(22, "Maximum Age", "%s",
                JI(cfg, "max_age") > 0 ? cli_fmt_dur(b, sizeof(b), JI(cfg, "max_age"))
                                       : "unlimited");
    cli_kv_line(22, "Maximum Message Size", "%s",
                limit_str(b, sizeof(b), JI(cfg, "max_msg_size"), 1));
    cli_kv_line(22, "Maximum Consumers", "%s",
                limit_str(b, sizeof(b), JI(cfg, "max_consumers"), 0));
}

void cli_stream_info_print(const json_t *info)
{
    const json_t *cfg = json_object_get(info, "config");
    const json_t *st = json_object_get(info, "state");
    char b[64], w[32];
    printf("Information for Stream %s created %s\n\n", JS(cfg, "name"),
           JS(info, "created") ? JS(info, "created") : "");
    if (JS(cfg, "description") && *JS(cfg, "description"))
        cli_kv_line(22, "Description", "%s", JS(cfg, "description"));
    subjects_line(cfg);
    cli_kv_line(22, "Replicas", "%lld", (long long)JI(cfg, "num_replicas"));
    cli_kv_line(22, "Storage", "%s", cap_word(JS(cfg, "storage"), w, sizeof(w)));
    printf("\nOptions:\n\n");
    cli_kv_line(22, "Retention", "%s", cap_word(JS(cfg, "retention"), w, sizeof(w)));
    cli_kv_line(22, "Acknowledgments", "%s",
                json_is_true(json_object_get(cfg, "no_ack")) ? "false" : "true");
    cli_kv_line(22, "Discard Policy", "%s", cap_word(JS(cfg, "discard"), w, sizeof(w)));
    cli_kv_line(22, "Duplicate Window", "%s",
                cli_fmt_dur(b, sizeof(b), JI(cfg, "duplicate_window")));
    cli_kv_line(22, "Direct Get", "%s", JB(cfg, "allow_direct"));
    cli_kv_line(22, "Allows Msg Delete", "%s",
                json_is_true(json_object_get(cfg, "deny_delete")) ? "false" : "true");
    cli_kv_line(22, "Allows Purge", "%s",
                json_is_true(json_object_get(cfg, "deny_purge")) ? "false" : "true");
    cli_kv_line(22, "Allows Rollups", "%s", JB(cfg, "allow_rollup_hdrs"));
    if (json_is_true(json_object_get(cfg, "sealed")))
        cli_kv_line(22, "Sealed", "true");
    stream_limits_print(cfg);
    printf("\nState:\n\n");
    cli_kv_line(22, "Messages", "%s", cli_fmt_int(b, sizeof(b), JI(st, "messages")));
    cli_kv_line(22, "Bytes", "%s", cli_fmt_bytes(b, sizeof(b), (double)JI(st, "bytes")));
    cli_kv_line(22, "First Sequence", "%s", cli_fmt_int(b, sizeof(b), JI(st, "first_seq")));
    cli_kv_line(22, "Last Sequence", "%s", cli_fmt_int(b, sizeof(b), JI(st, "last_seq")));
    if (JI(st, "num_deleted"))
        cli_kv_line(22, "Deleted Messages", "%s", cli_fmt_int(b, sizeof(b), JI(st, "num_deleted")));
    cli_kv_line(22, "Active Consumers", "%lld", (long long)JI(st, "consumer_count"));
    if (json_object_get(st, "num_subjects"))
        cli_kv_line(22, "Number of Subjects", "%lld", (long long)JI(st, "num_subjects"));
}

void cli_consumer_info_print(const json_t *info)
{
    const json_t *cfg = json_object_get(info, "config");
    char b[64], w[32];
    const char *durable = JS(cfg, "durable_name");
    printf("Information for Consumer %s > %s created %s\n\n", JS(info, "stream_name"),
           JS(info, "name"), JS(info, "created") ? JS(info, "created") : "");
    printf("Configuration:\n\n");
    if (durable)
        cli_kv_line(22, "Durable Name", "%s", durable);
    else
        cli_kv_line(22, "Name", "%s", JS(info, "name"));
    if (JS(cfg, "description"))
        cli_kv_line(22, "Description", "%s", JS(cfg, "description"));
    if (JS(cfg, "deliver_subject"))
        cli_kv_line(22, "Delivery Subject", "%s", JS(cfg, "deliver_subject"));
    else
        cli_kv_line(22, "Pull Mode", "true");
    if (JS(cfg, "filter_subject"))
        cli_kv_line(22, "Filter Subject", "%s", JS(cfg, "filter_subject"));
    cli_kv_line(22, "Deliver Policy", "%s", cap_word(JS(cfg, "deliver_policy"), w, sizeof(w)));
    if (JS(cfg, "deliver_group"))
        cli_kv_line(22, "Deliver Queue Group", "%s", JS(cfg, "deliver_group"));
    cli_kv_line(22, "Ack Policy", "%s", cap_word(JS(cfg, "ack_policy"), w, sizeof(w)));
    cli_kv_line(22, "Ack Wait", "%s", cli_fmt_dur(b, sizeof(b), JI(cfg, "ack_wait")));
    cli_kv_line(22, "Replay Policy", "%s", cap_word(JS(cfg, "replay_policy"), w, sizeof(w)));
    if (JI(cfg, "max_deliver") > 0)
        cli_kv_line(22, "Maximum Deliveries", "%lld", (long long)JI(cfg, "max_deliver"));
    if (JI(cfg, "max_ack_pending") > 0)
        cli_kv_line(22, "Max Ack Pending", "%s",
                    cli_fmt_int(b, sizeof(b), JI(cfg, "max_ack_pending")));
    if (JI(cfg, "max_waiting") > 0)
        cli_kv_line(22, "Max Waiting Pulls", "%lld", (long long)JI(cfg, "max_waiting"));
    if (json_is_true(json_object_get(cfg, "headers_only")))
        cli_kv_line(22, "Headers Only", "true");
    const json_t *d = json_object_get(info, "delivered");
    const json_t *a = json_object_get(info, "ack_floor");
    printf("\nState:\n\n");
    cli_kv_line(22, "Last Delivered Message", "Consumer sequence: %lld Stream sequence: %lld",
                (long long)JI(d, "consumer_seq"), (long long)JI(d, "stream_seq"));
    cli_kv_line(22, "Acknowledgment Floor", "Consumer sequence: %lld Stream sequence: %lld",
                (long long)JI(a, "consumer_seq"), (long long)JI(a, "stream_seq"));
    cli_kv_line(22, "Outstanding Acks", "%lld", (long long)JI(info, "num_ack_pending"));
    cli_kv_line(22, "Redelivered Messages", "%lld", (long long)JI(info, "num_redelivered"));
    cli_kv_line(22, "Unprocessed Messages", "%lld", (long long)JI(info, "num_pending"));
    cli_kv_line(22, "Waiting Pulls", "%lld", (long long)JI(info, "num_waiting"));
}
