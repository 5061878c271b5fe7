/* `stream` management: add, edit, info, ls, rm, purge, report, copy (messages: stream_msg.c).
 *
 * Every operation is one $JS.API.STREAM.* request; --json prints the server's reply (less its
 * "type" field), so scripts see exactly what the server said. Destructive commands ask for
 * confirmation on a terminal and require --force otherwise.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JI(o, k) ((int64_t)json_integer_value(json_object_get((o), (k))))
#define JS(o, k) (json_string_value(json_object_get((o), (k))))

/* Asks before a destructive action; non-interactive runs need --force. Returns 0 to go on,
 * -1 when declined (after a note), CLI_EXIT_FAIL without --force in a script. */
int cli_confirm_or_force(struct cli_run *r, const char *question)
{
    if (cli_bool(r, "force", false))
        return 0;
    if (!cli_stdin_is_tty())
        return cli_fail("%s: not on a terminal, use --force to proceed without a prompt",
                        r->path + strlen("gannet "));
    if (!cli_confirm(question, false)) {
        printf("Skipping\n");
        return -1;
    }
    return 0;
}

json_t *cli_stream_info_get(struct cli_run *r, const char *name, const json_t *req,
                            struct cli_jserr *e)
{
    json_t *resp = NULL;
    if (cli_js_callf(r, &resp, e, req, "$JS.API.STREAM.INFO.%s", name) != 0)
        return NULL;
    json_object_del(resp, "type");
    json_object_del(resp, "total"); /* paging fields of the subjects list, not stream info */
    json_object_del(resp, "offset");
    json_object_del(resp, "limit");
    return resp;
}

static int print_info(struct cli_run *r, json_t *info)
{
    if (cli_bool(r, "json", false))
        cli_json_print(info);
    else
        cli_stream_info_print(info);
    return 0;
}

/* Creates (or, with <update>, updates) the stream from <cfg>; prints the result. */
static int stream_put(struct cli_run *r, json_t *cfg, bool update)
{
    json_t *resp = NULL;
    struct cli_jserr e;
    const char *name = JS(cfg, "name");
    int rc =
        cli_js_callf(r, &resp, &e, cfg, "$JS.API.STREAM.%s.%s", update ? "UPDATE" : "CREATE", name);
    if (rc != 0)
        return cli_js_fail(&e, update ? "could not update stream" : "could not create stream");
    json_object_del(resp, "type");
    if (!cli_bool(r, "json", false))
        printf("Stream %s was %s\n\n", name, update ? "updated" : "created");
    print_info(r, resp);
    json_decref(resp);
    return 0;
}

static json_t *cfg_from_file(const char *path, const char *name)
{
    json_error_t jerr;
    json_t *cfg = json_load_file(path, 0, &jerr);
    if (!cfg || !json_is_object(cfg)) {
        cli_fail("could not read the configuration %s: %s (line %d)", path,
                 cfg ? "not a JSON object" : jerr.text, jerr.line);
        json_decref(cfg);
        return NULL;
    }
    if (json_object_get(cfg, "config") && json_object_get(cfg, "state")) {
        /* A saved `stream info --json`: use its config. */
        json_t *inner = json_incref(json_object_get(cfg, "config"));
        json_decref(cfg);
        cfg = inner;
    }
    if (name)
        json_object_set_new(cfg, "name", json_string(name));
    if (!JS(cfg, "name")) {
        cli_fail("the configuration in %s has no stream name", path);
        json_decref(cfg);
        return NULL;
    }
    return cfg;
}

static int add_run(struct cli_run *r)
{
    char *name = cli_arg(r, 0) ? xstrdup(cli_arg(r, 0)) : NULL;
    json_t *cfg = NULL;
    int rc = CLI_EXIT_FAIL;
    if (cli_has(r, "config")) {
        cfg = cfg_from_file(cli_str(r, "config", ""), name);
    } else {
        if (!name && cli_stdin_is_tty() && !cli_bool(r, "defaults", false))
            name = cli_prompt("Stream Name", NULL);
        if (!name || !*name) {
            free(name);
            return cli_fail("stream name is required");
        }
        cfg = cli_stream_cfg_from_flags(r, name, NULL, false);
    }
    if (!cfg)
        goto out;
    if (cli_has(r, "output")) {
        if (json_dump_file(cfg, cli_str(r, "output", ""), JSON_INDENT(2)) != 0)
            rc = cli_fail("could not write %s", cli_str(r, "output", ""));
        else
            rc = 0;
        goto out;
    }
    if (cli_connect(r) != 0)
        goto out;
    rc = stream_put(r, cfg, false);
out:
    json_decref(cfg);
    free(name);
    return rc;
}

static void diff_print(const json_t *a, const json_t *b)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)b, k, v)
    {
        json_t *old = json_object_get(a, k);
        if (old && json_equal(old, v))
            continue;
        char *os = old ? json_dumps(old, JSON_ENCODE_ANY | JSON_COMPACT) : xstrdup("(unset)");
        char *ns = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        printf("  %s: %s -> %s\n", k, os, ns);
        free(os);
        free(ns);
    }
}

static int edit_run(struct cli_run *r)
{
    const char *name = cli_arg(r, 0);
    struct cli_jserr e;
    json_t *cfg = NULL;
    int rc;
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *info = cli_stream_info_get(r, name, NULL, &e);
    if (!info)
        return cli_js_fail(&e, NULL);
    const json_t *cur = json_object_get(info, "config");
    cfg = cli_has(r, "config") ? cfg_from_file(cli_str(r, "config", ""), name)
                               : cli_stream_cfg_from_flags(r, name, cur, true);
    if (!cfg) {
        json_decref(info);
        return CLI_EXIT_FAIL;
    }
    if (json_equal(cur, cfg)) {
        printf("No difference in configuration\n");
        rc = 0;
    } else if (cli_bool(r, "dry-run", false)) {
        printf("Differences (-old +new):\n");
        diff_print(cur, cfg);
        rc = 0;
    } else {
        if (cli_stdin_is_tty() && !cli_bool(r, "force", false)) {
            printf("Differences (-old +new):\n");
            diff_print(cur, cfg);
        }
        char q[300];
        snprintf(q, sizeof(q), "Really edit Stream %s", name);
        rc = cli_stdin_is_tty() ? cli_confirm_or_force(r, q) : 0;
        if (rc == 0)
            rc = stream_put(r, cfg, true);
        else if (rc < 0)
            rc = 0;
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
    json_t *info = cli_stream_info_get(r, cli_arg(r, 0), NULL, &e);
    if (!info)
        return cli_js_fail(&e, NULL);
    if (cli_bool(r, "state", false) && !cli_bool(r, "json", false)) {
        json_t *st = json_object_get(info, "state");
        cli_json_print(st);
    } else {
        print_info(r, info);
    }
    json_decref(info);
    return 0;
}

json_t *cli_stream_list(struct cli_run *r, const char *subject, struct cli_jserr *e)
{
    return cli_js_list_all(r, "$JS.API.STREAM.LIST", "streams", subject, e);
}

static int ls_run(struct cli_run *r)
{
    struct cli_jserr e;
    struct cli_table t;
    char c[32], m[32], s[32], l[32];
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *all = cli_stream_list(r, cli_str(r, "subject", NULL), &e);
    if (!all)
        return cli_js_fail(&e, NULL);
    size_t i;
    json_t *v;
    if (cli_bool(r, "json", false) || cli_bool(r, "names", false)) {
        json_t *names = json_array();
        json_array_foreach(all, i, v)
            json_array_append_new(names, json_string(JS(json_object_get(v, "config"), "name")));
        if (cli_bool(r, "json", false))
            cli_json_print(names);
        else
            json_array_foreach(names, i, v) printf("%s\n", json_string_value(v));
        json_decref(names);
        json_decref(all);
        return 0;
    }
    if (json_array_size(all) == 0) {
        printf("No Streams defined\n");
        json_decref(all);
        return 0;
    }
    cli_table_init(&t, "Streams", 6, "Name", "Description", "Created", "Messages", "Size",
                   "Last Message");
    json_array_foreach(all, i, v)
    {
        const json_t *cfg = json_object_get(v, "config"), *st = json_object_get(v, "state");
        const char *created = JS(v, "created");
        int64_t last = cli_parse_time(JS(st, "last_ts"));
        snprintf(c, sizeof(c), "%.19s", created ? created : "");
        for (char *p = c; *p; p++)
            if (*p == 'T')
                *p = ' ';
        cli_table_row(&t, JS(cfg, "name"), JS(cfg, "description"), c,
                      cli_fmt_int(m, sizeof(m), JI(st, "messages")),
                      cli_fmt_bytes(s, sizeof(s), (double)JI(st, "bytes")),
                      JI(st, "messages") > 0 && last > 0
                          ? cli_fmt_ago(l, sizeof(l), cli_now_ns() - last)
                          : "never");
    }
    cli_table_print(&t);
    json_decref(all);
    return 0;
}

static int rm_run(struct cli_run *r)
{
    const char *name = cli_arg(r, 0);
    char q[300];
    json_t *resp = NULL;
    struct cli_jserr e;
    snprintf(q, sizeof(q), "Really delete Stream %s", name);
    int rc = cli_confirm_or_force(r, q);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    if (cli_js_callf(r, &resp, &e, NULL, "$JS.API.STREAM.DELETE.%s", name) != 0)
        return cli_js_fail(&e, "could not remove stream");
    json_decref(resp);
    return 0;
}

static int purge_run(struct cli_run *r)
{
    const char *name = cli_arg(r, 0);
    char q[300];
    json_t *req = json_object(), *resp = NULL;
    struct cli_jserr e;
    int64_t keep, seq;
    if (cli_int(r, "keep", 0, &keep) || cli_int(r, "seq", 0, &seq))
        goto fail;
    if (keep > 0 && seq > 0) {
        cli_fail("--keep and --seq cannot be combined");
        goto fail;
    }
    if (cli_has(r, "subject"))
        json_object_set_new(req, "filter", json_string(cli_str(r, "subject", "")));
    if (keep > 0)
        json_object_set_new(req, "keep", json_integer(keep));
    if (seq > 0)
        json_object_set_new(req, "seq", json_integer(seq));
    snprintf(q, sizeof(q), "Really purge Stream %s", name);
    int rc = cli_confirm_or_force(r, q);
    if (rc != 0) {
        json_decref(req);
        return rc < 0 ? 0 : rc;
    }
    if (cli_connect(r) != 0)
        goto fail;
    rc = cli_js_callf(r, &resp, &e, json_object_size(req) ? req : NULL, "$JS.API.STREAM.PURGE.%s",
                      name);
    json_decref(req);
    if (rc != 0)
        return cli_js_fail(&e, "could not purge stream");
    if (cli_bool(r, "json", false)) {
        json_t *out = json_pack("{s:s,s:s,s:I}", "status", "ok", "stream", name, "purged",
                                (json_int_t)JI(resp, "purged"));
        cli_json_print(out);
        json_decref(out);
    } else {
        printf("Purged %lld messages from stream %s\n", (long long)JI(resp, "purged"), name);
    }
    json_decref(resp);
    return 0;
fail:
    json_decref(req);
    return CLI_EXIT_FAIL;
}

static int report_run(struct cli_run *r)
{
    struct cli_jserr e;
    struct cli_table t;
    char m[32], b[32], d[32], c[32];
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *all = cli_stream_list(r, cli_str(r, "subject", NULL), &e);
    if (!all)
        return cli_js_fail(&e, NULL);
    if (cli_bool(r, "json", false)) {
        cli_json_print(all);
        json_decref(all);
        return 0;
    }
    if (json_array_size(all) == 0) {
        printf("No Streams defined\n");
        json_decref(all);
        return 0;
    }
    cli_table_init(&t, "Stream Report", 7, "Stream", "Storage", "Consumers", "Messages", "Bytes",
                   "Deleted", "Replicas");
    size_t i;
    json_t *v;
    json_array_foreach(all, i, v)
    {
        const json_t *cfg = json_object_get(v, "config"), *st = json_object_get(v, "state");
        snprintf(c, sizeof(c), "%lld", (long long)JI(st, "consumer_count"));
        char rep[16], stor[16];
        snprintf(rep, sizeof(rep), "%lld", (long long)JI(cfg, "num_replicas"));
        snprintf(stor, sizeof(stor), "%s",
                 strcmp(JS(cfg, "storage"), "memory") ? "File" : "Memory");
        bool raw = cli_bool(r, "raw", false);
        if (raw) {
            snprintf(m, sizeof(m), "%lld", (long long)JI(st, "messages"));
            snprintf(b, sizeof(b), "%lld", (long long)JI(st, "bytes"));
        }
        cli_table_row(&t, JS(cfg, "name"), stor, c,
                      raw ? m : cli_fmt_int(m, sizeof(m), JI(st, "messages")),
                      raw ? b : cli_fmt_bytes(b, sizeof(b), (double)JI(st, "bytes")),
                      cli_fmt_int(d, sizeof(d), JI(st, "num_deleted")), rep);
    }
    cli_table_print(&t);
    json_decref(all);
    return 0;
}

static int copy_run(struct cli_run *r)
{
    struct cli_jserr e;
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *info = cli_stream_info_get(r, cli_arg(r, 0), NULL, &e);
    if (!info)
        return cli_js_fail(&e, NULL);
    json_t *cfg =
        cli_stream_cfg_from_flags(r, cli_arg(r, 1), json_object_get(info, "config"), true);
    json_decref(info);
    if (!cfg)
        return CLI_EXIT_FAIL;
    int rc = stream_put(r, cfg, false);
    json_decref(cfg);
    return rc;
}

/* The config flags shared by add, edit and copy. */
#define STREAM_CFG_FLAGS                                                                           \
    {"subjects", 0, CLI_LIST, "SUBJECTS", "Subjects that are consumed by the stream"},             \
        {"description", 0, CLI_STR, "TEXT", "Sets a contextual description for the stream"},       \
        {"storage", 0, CLI_STR, "file|memory", "Storage backend to use (file, memory)"},           \
        {"compression", 0, CLI_STR, "none|s2", "Compression algorithm (file storage only)"},       \
        {"replicas", 0, CLI_STR, "NUMBER", "When clustered, how many replicas of the data"},       \
        {"tag", 0, CLI_LIST, "TAG", "Place the stream on servers that have specific tags"},        \
        {"cluster", 0, CLI_STR, "CLUSTER", "Place the stream on a specific cluster"},              \
        {"ack", 0, CLI_BOOL, NULL, "Acknowledge publishes (default true)"},                        \
        {"retention", 0, CLI_STR, "limits|interest|work", "Defines a retention policy"},           \
        {"discard", 0, CLI_STR, "old|new", "Defines the discard policy"},                          \
        {"discard-per-subject", 0, CLI_BOOL, NULL, "Apply the 'new' discard policy per subject"},  \
        {"first-sequence", 0, CLI_STR, "SEQUENCE", "Sets the starting sequence"},                  \
        {"max-age", 0, CLI_STR, "DURATION", "Maximum age of messages to keep"},                    \
        {"max-bytes", 0, CLI_STR, "BYTES", "Maximum bytes to keep"},                               \
        {"max-consumers", 0, CLI_STR, "NUMBER", "Maximum number of consumers to allow"},           \
        {"max-msg-size", 0, CLI_STR, "BYTES", "Maximum size any 1 message may be"},                \
        {"max-msgs", 0, CLI_STR, "NUMBER", "Maximum amount of messages to keep"},                  \
        {"max-msgs-per-subject", 0, CLI_STR, "NUMBER", "Maximum messages to keep per subject"},    \
        {"dupe-window", 0, CLI_STR, "DURATION", "Duration of the duplicate tracking window"},      \
        {"mirror", 0, CLI_STR, "STREAM", "Completely mirror another stream"},                      \
        {"source", 0, CLI_LIST, "STREAM", "Source data from other streams"},                       \
        {"allow-rollup", 0, CLI_BOOL, NULL, "Allow roll-ups with the Nats-Rollup header"},         \
        {"deny-delete", 0, CLI_BOOL, NULL, "Deny messages from being deleted via the API"},        \
        {"deny-purge", 0, CLI_BOOL, NULL, "Deny entire stream or subject purges via the API"},     \
        {"allow-direct", 0, CLI_BOOL, NULL, "Allow direct get access (default true)"},             \
        {"allow-mirror-direct", 0, CLI_BOOL, NULL, "Allow direct get access on mirrors"},          \
        {"metadata", 0, CLI_LIST, "KEY=VALUE", "Adds metadata to the stream"},                     \
        {"republish-source", 0, CLI_STR, "SOURCE", "Republish messages matching this subject"},    \
        {"republish-destination", 0, CLI_STR, "DEST", "Republish destination"},                    \
        {"republish-headers", 0, CLI_BOOL, NULL, "Republish only message headers"},                \
    {                                                                                              \
        "json", 'j', CLI_BOOL, NULL, "Produce JSON output"                                         \
    }

static const struct cli_flag add_flags[] = {
    STREAM_CFG_FLAGS,
    {"config", 0, CLI_STR, "FILE", "JSON file to read the configuration from"},
    {"output", 0, CLI_STR, "FILE", "Save the configuration instead of creating"},
    {"defaults", 0, CLI_BOOL, NULL, "Accept default values for all prompts"},
    {0},
};
static const struct cli_flag edit_flags[] = {
    STREAM_CFG_FLAGS,
    {"config", 0, CLI_STR, "FILE", "JSON file to read the configuration from"},
    {"force", 'f', CLI_BOOL, NULL, "Force edit without prompting"},
    {"dry-run", 0, CLI_BOOL, NULL, "Only show differences, do not edit the stream"},
    {"no-republish", 0, CLI_BOOL, NULL, "Removes the republish configuration"},
    {"defaults", 0, CLI_BOOL, NULL, "Accept default values for all prompts"},
    {0},
};
static const struct cli_flag copy_flags[] = {
    STREAM_CFG_FLAGS,
    {"defaults", 0, CLI_BOOL, NULL, "Accept default values for all prompts"},
    {"no-republish", 0, CLI_BOOL, NULL, "Removes the republish configuration"},
    {0},
};
static const struct cli_flag info_flags[] = {
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {"state", 0, CLI_BOOL, NULL, "Shows only the stream state"},
    {0},
};
static const struct cli_flag ls_flags[] = {
    {"subject", 0, CLI_STR, "SUBJECT", "Limit the list to streams with matching subjects"},
    {"names", 'n', CLI_BOOL, NULL, "Show just the stream names"},
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};
static const struct cli_flag rm_flags[] = {
    {"force", 'f', CLI_BOOL, NULL, "Force removal without prompting"},
    {0},
};
static const struct cli_flag purge_flags[] = {
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {"force", 'f', CLI_BOOL, NULL, "Force removal without prompting"},
    {"subject", 0, CLI_STR, "SUBJECT", "Limits the purge to a specific subject"},
    {"seq", 0, CLI_STR, "SEQUENCE", "Purge up to but not including a specific sequence"},
    {"keep", 0, CLI_STR, "MESSAGES", "Keeps a certain number of messages after the purge"},
    {0},
};
static const struct cli_flag report_flags[] = {
    {"subject", 0, CLI_STR, "SUBJECT", "Limit the report to streams with matching subjects"},
    {"raw", 'r', CLI_BOOL, NULL, "Show un-formatted numbers"},
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};

static const struct cli_cmd add_cmd = {
    .name = "add",
    .aliases = "create new",
    .help = "Create a new stream",
    .args = "[<stream>]",
    .max_args = 1,
    .flags = add_flags,
    .run = add_run,
    .long_help = "Without --defaults, settings not given as flags are asked for when stdin is\n"
                 "a terminal; otherwise defaults apply (subjects default to the stream name).",
};
static const struct cli_cmd edit_cmd = {
    .name = "edit",
    .aliases = "update",
    .help = "Edits an existing stream",
    .args = "<stream>",
    .min_args = 1,
    .max_args = 1,
    .flags = edit_flags,
    .run = edit_run,
};
static const struct cli_cmd info_cmd = {
    .name = "info",
    .aliases = "nfo i",
    .help = "Stream information",
    .args = "<stream>",
    .min_args = 1,
    .max_args = 1,
    .flags = info_flags,
    .run = info_run,
};
static const struct cli_cmd ls_cmd = {
    .name = "ls",
    .aliases = "list l",
    .help = "List all known streams",
    .flags = ls_flags,
    .run = ls_run,
};
static const struct cli_cmd rm_cmd = {
    .name = "rm",
    .aliases = "delete del",
    .help = "Removes a stream",
    .args = "<stream>",
    .min_args = 1,
    .max_args = 1,
    .flags = rm_flags,
    .run = rm_run,
};
static const struct cli_cmd purge_cmd = {
    .name = "purge",
    .help = "Bulk removes messages from a stream",
    .args = "<stream>",
    .min_args = 1,
    .max_args = 1,
    .flags = purge_flags,
    .run = purge_run,
};
static const struct cli_cmd report_cmd = {
    .name = "report",
    .help = "Reports on stream statistics",
    .flags = report_flags,
    .run = report_run,
};
static const struct cli_cmd copy_cmd = {
    .name = "copy",
    .aliases = "cp",
    .help = "Creates a new stream based on the configuration of another, does not copy data",
    .args = "<source> <destination>",
    .min_args = 2,
    .max_args = 2,
    .flags = copy_flags,
    .run = copy_run,
};

static const struct cli_cmd *const stream_subs[] = {
    &add_cmd,
    &copy_cmd,
    &edit_cmd,
    &cli_stream_get_cmd,
    &info_cmd,
    &ls_cmd,
    &purge_cmd,
    &report_cmd,
    &rm_cmd,
    &cli_stream_rmm_cmd,
    &cli_stream_subjects_cmd,
    &cli_stream_view_cmd,
    NULL,
};

const struct cli_cmd cli_stream_cmd = {
    .name = "stream",
    .aliases = "str st s",
    .help = "JetStream stream management",
    .subs = stream_subs,
};
