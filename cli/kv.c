/* `kv`: the JetStream Key-Value store (add, put, get, create, update, del, purge, keys,
 * history, watch, ls, info, rm), spoken directly over streams as the KV protocol defines:
 * bucket B is stream KV_B on subjects $KV.B.>, a key's value is its last message, deletes
 * and purges are markers with a KV-Operation header, and revisions are stream sequences.
 *
 * Every write prints the value (as the nats CLI) or, with --json, one result object
 * {status, bucket, key, value, revision, operation}.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JI(o, k)           ((int64_t)json_integer_value(json_object_get((o), (k))))
#define JS(o, k)           (json_string_value(json_object_get((o), (k))))
#define ERR_WRONG_LAST_SEQ 10071 /* nats-server: wrong last sequence */

static bool valid_key(const char *k, bool wildcards)
{
    size_t n = k ? strlen(k) : 0;
    if (n == 0 || k[0] == '.' || k[n - 1] == '.')
        return false;
    for (const char *p = k; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("-/_=.", *p) || (wildcards && (*p == '*' || *p == '>'))))
            return false;
    return true;
}

/* Checks the bucket (and key) arguments; returns 0 or prints and returns CLI_EXIT_FAIL. */
static int check_args(struct cli_run *r, bool key, bool wildcards)
{
    if (!cli_bucket_valid(cli_arg(r, 0)))
        return cli_fail("invalid bucket name \"%s\"", cli_arg(r, 0));
    if (key && !valid_key(cli_arg(r, 1), wildcards))
        return cli_fail("invalid key \"%s\"", cli_arg(r, 1) ? cli_arg(r, 1) : "");
    return cli_connect(r);
}

/* Confirms the bucket exists; returns its stream info or NULL after an error line. */
static json_t *bucket_info(struct cli_run *r, const char *bucket)
{
    char stream[300];
    struct cli_jserr e;
    snprintf(stream, sizeof(stream), "KV_%s", bucket);
    json_t *info = cli_stream_info_get(r, stream, NULL, &e);
    if (!info) {
        if (e.err_code == 10059)
            cli_fail("bucket %s not found", bucket);
        else
            cli_js_fail(&e, NULL);
    }
    return info;
}

static void result_print(const char *status, const char *bucket, const char *key, const char *val,
                         size_t n, uint64_t rev, const char *op)
{
    json_t *j = json_pack("{s:s,s:s,s:s}", "status", status, "bucket", bucket, "key", key);
    if (val) {
        if (cli_is_printable(val, n)) {
            json_object_set_new(j, "value", json_stringn(val, n));
        } else {
            struct buf b;
            buf_init(&b);
            cli_b64_encode(&b, val, n, false);
            json_object_set_new(j, "value_base64", json_stringn(buf_head(&b), buf_size(&b)));
            buf_deinit(&b);
        }
    }
    json_object_set_new(j, "revision", json_integer((json_int_t)rev));
    json_object_set_new(j, "operation", json_string(op));
    cli_json_print(j);
    json_decref(j);
}

/* Reads the value argument <i>, or stdin when absent and not a terminal. */
static int value_read(struct cli_run *r, int i, struct buf *v)
{
    if (cli_arg(r, i)) {
        buf_append_str(v, cli_arg(r, i));
        return 0;
    }
    if (cli_stdin_is_tty())
        return 0;
    if (cli_read_all(STDIN_FILENO, v) != 0)
        return cli_fail("could not read the value from stdin");
    return 0;
}

/* Publishes to $KV.<bucket>.<key>; <expect> >= 0 sets Nats-Expected-Last-Subject-Sequence,
 * <op> (may be NULL) the KV-Operation header. Returns 0 with <*rev>, or -1 with <e>. */
static int kv_write(struct cli_run *r, const char *bucket, const char *key, const struct buf *v,
                    int64_t expect, const char *op, uint64_t *rev, struct cli_jserr *e)
{
    char subj[600], num[32];
    natsMsg *m = NULL;
    snprintf(subj, sizeof(subj), "$KV.%s.%s", bucket, key);
    if (natsMsg_Create(&m, subj, NULL, buf_head(v), (int)buf_size(v)) != NATS_OK) {
        snprintf(e->desc, sizeof(e->desc), "invalid key \"%s\"", key);
        return -1;
    }
    if (expect >= 0) {
        snprintf(num, sizeof(num), "%lld", (long long)expect);
        natsMsgHeader_Set(m, "Nats-Expected-Last-Subject-Sequence", num);
    }
    if (op) {
        natsMsgHeader_Set(m, "KV-Operation", op);
        if (!strcmp(op, "PURGE"))
            natsMsgHeader_Set(m, "Nats-Rollup", "sub");
    }
    int rc = cli_js_publish(r, m, rev, NULL, e);
    natsMsg_Destroy(m);
    return rc;
}

#define KV_NONE 2 /* kv_entry(): the key has no entry (distinct from CLI_EXIT_FAIL) */

/* Gets the entry of <key> (at <rev> when > 0). Returns 0 with <m> and <*op> ("PUT", "DEL",
 * "PURGE"), KV_NONE when the key has no entry, or CLI_EXIT_FAIL after an error line. */
static int kv_entry(struct cli_run *r, const char *bucket, const char *key, uint64_t rev,
                    struct cli_smsg *m, char *op, size_t opcap)
{
    char stream[300], subj[600];
    struct cli_jserr e;
    snprintf(stream, sizeof(stream), "KV_%s", bucket);
    snprintf(subj, sizeof(subj), "$KV.%s.%s", bucket, key);
    if (cli_js_msg_get(r, stream, rev, rev ? NULL : subj, m, &e) != 0) {
        if (e.err_code == 10037) /* no message found */
            return KV_NONE;
        if (e.err_code == 10059)
            return cli_fail("bucket %s not found", bucket);
        return cli_js_fail(&e, NULL);
    }
    if (strcmp(m->subject, subj) != 0) {
        cli_smsg_free(m);
        return KV_NONE;
    }
    char *o = cli_hdr_get(buf_head(&m->hdrs), buf_size(&m->hdrs), "KV-Operation");
    snprintf(op, opcap, "%s", o ? o : "PUT");
    free(o);
    return 0;
}

static int put_like(struct cli_run *r, const char *what)
{
    const char *bucket = cli_arg(r, 0), *key = cli_arg(r, 1);
    struct buf v;
    struct cli_jserr e;
    uint64_t rev = 0;
    int64_t expect = -1;
    int rc = check_args(r, true, false);
    if (rc != 0)
        return rc;
    buf_init(&v);
    if (!strcmp(what, "update")) {
        if (cli_parse_int(cli_arg(r, 3), &expect) != 0 || expect < 0) {
            buf_deinit(&v);
            return cli_fail("invalid revision \"%s\"", cli_arg(r, 3));
        }
    } else if (!strcmp(what, "create")) {
        expect = 0;
    }
    if ((rc = value_read(r, 2, &v)) != 0)
        goto out;
    json_t *info = bucket_info(r, bucket);
    if (!info) {
        rc = CLI_EXIT_FAIL;
        goto out;
    }
    json_decref(info);
    rc = kv_write(r, bucket, key, &v, expect, NULL, &rev, &e);
    if (rc != 0 && !strcmp(what, "create") && e.err_code == ERR_WRONG_LAST_SEQ) {
        /* create may replace a deleted or purged key: retry against its marker. */
        struct cli_smsg m;
        char op[16];
        if (kv_entry(r, bucket, key, 0, &m, op, sizeof(op)) == 0) {
            if (strcmp(op, "PUT") != 0)
                rc = kv_write(r, bucket, key, &v, (int64_t)m.seq, NULL, &rev, &e);
            cli_smsg_free(&m);
        }
        if (rc != 0) {
            rc = cli_fail("key %s already exists in bucket %s", key, bucket);
            goto out;
        }
    }
    if (rc != 0) {
        rc = cli_js_fail(&e, NULL);
        goto out;
    }
    if (cli_bool(r, "json", false))
        result_print("ok", bucket, key, buf_head(&v), buf_size(&v), rev, "PUT");
    else
        printf("%.*s\n", (int)buf_size(&v), buf_head(&v));
out:
    buf_deinit(&v);
    return rc;
}

static int put_run(struct cli_run *r)
{
    return put_like(r, "put");
}

static int create_run(struct cli_run *r)
{
    return put_like(r, "create");
}

static int update_run(struct cli_run *r)
{
    return put_like(r, "update");
}

static int get_run(struct cli_run *r)
{
    const char *bucket = cli_arg(r, 0), *key = cli_arg(r, 1);
    struct cli_smsg m;
    char op[16], ts[40];
    int64_t rev;
    int rc = check_args(r, true, false);
    if (rc != 0 || cli_int(r, "revision", 0, &rev) != 0)
        return CLI_EXIT_FAIL;
    rc = kv_entry(r, bucket, key, (uint64_t)rev, &m, op, sizeof(op));
    if (rc == KV_NONE || (rc == 0 && strcmp(op, "PUT") != 0)) {
        if (rc == 0)
            cli_smsg_free(&m);
        return cli_fail("key %s not found in bucket %s", key, bucket);
    }
    if (rc != 0)
        return rc;
    if (cli_bool(r, "json", false)) {
        result_print("ok", bucket, key, buf_head(&m.data), buf_size(&m.data), m.seq, op);
    } else if (cli_bool(r, "raw", false)) {
        fwrite(buf_head(&m.data), 1, buf_size(&m.data), stdout);
    } else {
        printf("%s > %s revision: %llu created @ %s\n\n", bucket, key, (unsigned long long)m.seq,
               cli_fmt_time(ts, sizeof(ts), m.ts));
        if (buf_size(&m.data) > 120)
            printf("Showing first 120 bytes of %zu, use --raw for full data\n\n",
                   buf_size(&m.data));
        printf("%.*s\n\n", (int)(buf_size(&m.data) > 120 ? 120 : buf_size(&m.data)),
               buf_head(&m.data));
    }
    cli_smsg_free(&m);
    return 0;
}

static int rm_bucket(struct cli_run *r, const char *bucket)
{
    char q[300];
    json_t *resp = NULL;
    struct cli_jserr e;
    snprintf(q, sizeof(q), "Delete bucket %s?", bucket);
    int rc = cli_confirm_or_force(r, q);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (cli_js_callf(r, &resp, &e, NULL, "$JS.API.STREAM.DELETE.KV_%s", bucket) != 0) {
        if (e.err_code == 10059)
            return cli_fail("bucket %s not found", bucket);
        return cli_js_fail(&e, NULL);
    }
    json_decref(resp);
    return 0;
}

static int marker_run(struct cli_run *r, const char *op)
{
    const char *bucket = cli_arg(r, 0), *key = cli_arg(r, 1);
    char q[600];
    struct buf empty;
    struct cli_jserr e;
    uint64_t rev;
    int rc = check_args(r, key != NULL, false);
    if (rc != 0)
        return rc;
    if (!key)
        return rm_bucket(r, bucket);
    snprintf(q, sizeof(q), "%s key %s > %s?", strcmp(op, "DEL") ? "Purge" : "Delete", bucket, key);
    if ((rc = cli_confirm_or_force(r, q)) != 0)
        return rc < 0 ? 0 : rc;
    json_t *info = bucket_info(r, bucket);
    if (!info)
        return CLI_EXIT_FAIL;
    json_decref(info);
    buf_init(&empty);
    rc = kv_write(r, bucket, key, &empty, -1, op, &rev, &e);
    buf_deinit(&empty);
    if (rc != 0)
        return cli_js_fail(&e, NULL);
    if (cli_bool(r, "json", false))
        result_print("ok", bucket, key, NULL, 0, rev, strcmp(op, "DEL") ? "PURGE" : "DEL");
    return 0;
}

static int del_run(struct cli_run *r)
{
    return marker_run(r, "DEL");
}

static int purge_run(struct cli_run *r)
{
    return marker_run(r, "PURGE");
}

/* ---- reading the bucket through a consumer ---- */

struct kv_iter {
    struct cli_run *r;
    const char *bucket;
    size_t prefix;       /* strlen("$KV.<bucket>.") */
    json_t *out;         /* collected entries (keys, history) */
    int64_t limit, seen; /* watch --count */
    bool keys_only;      /* keys: skip deleted keys */
};

static const char *msg_op(natsMsg *m)
{
    const char *op = NULL;
    if (natsMsgHeader_Get(m, "KV-Operation", &op) != NATS_OK || !op)
        return "PUT";
    return strcmp(op, "DEL") == 0 ? "DEL" : op;
}

static int collect_cb(void *arg, natsMsg *m, const struct cli_jsmeta *meta)
{
    struct kv_iter *ki = arg;
    const char *key = natsMsg_GetSubject(m) + ki->prefix;
    const char *op = msg_op(m);
    char ts[40];
    if (ki->keys_only) {
        if (!strcmp(op, "PUT"))
            json_array_append_new(ki->out, json_string(key));
        return 0;
    }
    json_t *j =
        json_pack("{s:s,s:s,s:I,s:s,s:s,s:i}", "bucket", ki->bucket, "key", key, "revision",
                  (json_int_t)meta->sseq, "operation", op, "created",
                  cli_fmt_time(ts, sizeof(ts), meta->ts), "length", natsMsg_GetDataLength(m));
    const char *d = natsMsg_GetData(m);
    size_t n = (size_t)natsMsg_GetDataLength(m);
    if (cli_is_printable(d ? d : "", n))
        json_object_set_new(j, "value", json_stringn(d ? d : "", n));
    json_array_append_new(ki->out, j);
    return 0;
}

static int iterate(struct cli_run *r, struct kv_iter *ki, const char *key, const char *deliver,
                   bool headers_only, bool follow, cli_iter_cb cb)
{
    char stream[300], filter[600];
    snprintf(stream, sizeof(stream), "KV_%s", ki->bucket);
    snprintf(filter, sizeof(filter), "$KV.%s.%s", ki->bucket, key ? key : ">");
    ki->prefix = strlen("$KV.") + strlen(ki->bucket) + 1;
    json_t *info = bucket_info(r, ki->bucket);
    if (!info)
        return CLI_EXIT_FAIL;
    json_decref(info);
    struct cli_iter it = {.stream = stream,
                          .filter = filter,
                          .deliver = deliver,
                          .headers_only = headers_only,
                          .follow = follow};
    return cli_js_iterate(r, &it, cb, ki);
}

static int keys_run(struct cli_run *r)
{
    struct kv_iter ki = {.r = r, .bucket = cli_arg(r, 0), .keys_only = true};
    size_t i;
    json_t *v;
    if (check_args(r, false, false) != 0)
        return CLI_EXIT_FAIL;
    ki.out = json_array();
    int rc = iterate(r, &ki, NULL, "last_per_subject", true, false, collect_cb);
    if (rc == 0) {
        if (cli_bool(r, "json", false))
            cli_json_print(ki.out);
        else if (json_array_size(ki.out) == 0)
            printf("No keys found in bucket\n");
        else
            json_array_foreach(ki.out, i, v) printf("%s\n", json_string_value(v));
    }
    json_decref(ki.out);
    return rc;
}

static int history_run(struct cli_run *r)
{
    struct kv_iter ki = {.r = r, .bucket = cli_arg(r, 0)};
    size_t i;
    json_t *v;
    char title[600], rev[32], len[32];
    if (check_args(r, true, false) != 0)
        return CLI_EXIT_FAIL;
    ki.out = json_array();
    int rc = iterate(r, &ki, cli_arg(r, 1), "all", false, false, collect_cb);
    if (rc == 0 && json_array_size(ki.out) == 0)
        rc = cli_fail("key %s not found in bucket %s", cli_arg(r, 1), ki.bucket);
    if (rc == 0 && cli_bool(r, "json", false)) {
        cli_json_print(ki.out);
    } else if (rc == 0) {
        struct cli_table t;
        snprintf(title, sizeof(title), "History for %s > %s", ki.bucket, cli_arg(r, 1));
        cli_table_init(&t, title, 6, "Key", "Revision", "Op", "Created", "Length", "Value");
        json_array_foreach(ki.out, i, v)
        {
            snprintf(rev, sizeof(rev), "%lld", (long long)JI(v, "revision"));
            snprintf(len, sizeof(len), "%lld", (long long)JI(v, "length"));
            const char *val = JS(v, "value") ? JS(v, "value") : "(binary)";
            char shown[64];
            if (strlen(val) > 40)
                snprintf(shown, sizeof(shown), "%.15s...%s", val, val + strlen(val) - 15);
            else
                snprintf(shown, sizeof(shown), "%s", val);
            cli_table_row(&t, JS(v, "key"), rev, JS(v, "operation"), JS(v, "created"), len, shown);
        }
        cli_table_print(&t);
    }
    json_decref(ki.out);
    return rc;
}

static int watch_cb(void *arg, natsMsg *m, const struct cli_jsmeta *meta)
{
    struct kv_iter *ki = arg;
    const char *key = natsMsg_GetSubject(m) + ki->prefix, *op = msg_op(m);
    char ts[40];
    if (cli_bool(ki->r, "json", false)) {
        json_t *j = json_pack("{s:s,s:s,s:I,s:s,s:s}", "bucket", ki->bucket, "key", key, "revision",
                              (json_int_t)meta->sseq, "operation", op, "created",
                              cli_fmt_time(ts, sizeof(ts), meta->ts));
        if (!strcmp(op, "PUT"))
            json_object_set_new(j, "value",
                                json_stringn(natsMsg_GetData(m) ? natsMsg_GetData(m) : "",
                                             (size_t)natsMsg_GetDataLength(m)));
        char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        printf("%s\n", s);
        free(s);
        json_decref(j);
    } else if (!strcmp(op, "PUT")) {
        printf("[%s] PUT %s > %s: %.*s\n", cli_fmt_time(ts, sizeof(ts), meta->ts), ki->bucket, key,
               natsMsg_GetDataLength(m), natsMsg_GetData(m) ? natsMsg_GetData(m) : "");
    } else {
        printf("[%s] %s %s > %s\n", cli_fmt_time(ts, sizeof(ts), meta->ts),
               strcmp(op, "DEL") ? "PURGE" : "DEL", ki->bucket, key);
    }
    fflush(stdout);
    ki->seen++;
    return ki->limit > 0 && ki->seen >= ki->limit;
}

static int watch_run(struct cli_run *r)
{
    struct kv_iter ki = {.r = r, .bucket = cli_arg(r, 0)};
    const char *key = cli_arg(r, 1);
    if (check_args(r, key != NULL, true) != 0 || cli_int(r, "count", 0, &ki.limit) != 0)
        return CLI_EXIT_FAIL;
    cli_log("Watching bucket %s for %s", ki.bucket, key ? key : ">");
    return iterate(r, &ki, key, "last_per_subject", false, true, watch_cb);
}

/* ---- buckets ---- */

static json_t *cfg_build(struct cli_run *r, const char *bucket)
{
    int64_t history, ttl, maxv, maxb, replicas;
    const char *storage = cli_str(r, "storage", "file");
    if (cli_int(r, "history", 1, &history) || cli_dur(r, "ttl", 0, &ttl) ||
        cli_size(r, "max-value-size", -1, &maxv) || cli_size(r, "max-bucket-size", -1, &maxb) ||
        cli_int(r, "replicas", 1, &replicas))
        return NULL;
    if (history < 1 || history > 64) {
        cli_fail("history must be between 1 and 64");
        return NULL;
    }
    if (!strcmp(storage, "m") || !strcmp(storage, "memory"))
        storage = "memory";
    else if (!strcmp(storage, "f") || !strcmp(storage, "file"))
        storage = "file";
    else {
        cli_fail("invalid storage \"%s\" (file, memory)", storage);
        return NULL;
    }
    char name[300], subj[300];
    snprintf(name, sizeof(name), "KV_%s", bucket);
    snprintf(subj, sizeof(subj), "$KV.%s.>", bucket);
    int64_t dupe = 120 * CLI_NS_PER_SEC;
    if (ttl > 0 && ttl < dupe)
        dupe = ttl;
    json_t *cfg = json_pack(
        "{s:s,s:[s],s:s,s:I,s:i,s:i,s:I,s:I,s:I,s:s,s:s,s:I,s:I,s:b,s:b,"
        "s:b}",
        "name", name, "subjects", subj, "retention", "limits", "max_msgs_per_subject",
        (json_int_t)history, "max_msgs", -1, "max_consumers", -1, "max_bytes", (json_int_t)maxb,
        "max_age", (json_int_t)ttl, "max_msg_size", (json_int_t)maxv, "discard", "new", "storage",
        storage, "num_replicas", (json_int_t)replicas, "duplicate_window", (json_int_t)dupe,
        "allow_rollup_hdrs", 1, "deny_delete", 1, "allow_direct", 1);
    if (cli_has(r, "description"))
        json_object_set_new(cfg, "description", json_string(cli_str(r, "description", "")));
    return cfg;
}

static void status_print(const json_t *info, const char *bucket)
{
    const json_t *cfg = json_object_get(info, "config"), *st = json_object_get(info, "state");
    char b[64];
    printf("Information for Key-Value Store Bucket %s created %s\n\n", bucket,
           JS(info, "created") ? JS(info, "created") : "");
    printf("Configuration:\n\n");
    cli_kv_line(20, "Bucket Name", "%s", bucket);
    cli_kv_line(20, "History Kept", "%lld", (long long)JI(cfg, "max_msgs_per_subject"));
    cli_kv_line(20, "Values Stored", "%lld", (long long)JI(st, "messages"));
    cli_kv_line(20, "Backing Store Kind", "JetStream");
    if (JS(cfg, "description") && *JS(cfg, "description"))
        cli_kv_line(20, "Description", "%s", JS(cfg, "description"));
    cli_kv_line(20, "Bucket Size", "%s", cli_fmt_bytes(b, sizeof(b), (double)JI(st, "bytes")));
    cli_kv_line(20, "Maximum Bucket Size", "%s",
                JI(cfg, "max_bytes") <= 0
                    ? "unlimited"
                    : cli_fmt_bytes(b, sizeof(b), (double)JI(cfg, "max_bytes")));
    cli_kv_line(20, "Maximum Value Size", "%s",
                JI(cfg, "max_msg_size") <= 0
                    ? "unlimited"
                    : cli_fmt_bytes(b, sizeof(b), (double)JI(cfg, "max_msg_size")));
    cli_kv_line(20, "Maximum Age", "%s",
                JI(cfg, "max_age") <= 0 ? "unlimited"
                                        : cli_fmt_dur(b, sizeof(b), JI(cfg, "max_age")));
    cli_kv_line(20, "JetStream Stream", "%s", JS(cfg, "name"));
    cli_kv_line(20, "Storage", "%s", strcmp(JS(cfg, "storage"), "memory") ? "File" : "Memory");
}

static int show_status(struct cli_run *r, json_t *info, const char *bucket)
{
    if (cli_bool(r, "json", false)) {
        const json_t *cfg = json_object_get(info, "config"), *st = json_object_get(info, "state");
        json_t *j = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:s,s:O}", "status", "ok", "bucket", bucket,
                              "history", (json_int_t)JI(cfg, "max_msgs_per_subject"), "values",
                              (json_int_t)JI(st, "messages"), "bytes", (json_int_t)JI(st, "bytes"),
                              "ttl", (json_int_t)JI(cfg, "max_age"), "storage", JS(cfg, "storage"),
                              "stream_info", info);
        cli_json_print(j);
        json_decref(j);
    } else {
        status_print(info, bucket);
    }
    return 0;
}

static int add_run(struct cli_run *r)
{
    const char *bucket = cli_arg(r, 0);
    json_t *resp = NULL;
    struct cli_jserr e;
    if (!cli_bucket_valid(bucket))
        return cli_fail("invalid bucket name \"%s\"", bucket);
    json_t *cfg = cfg_build(r, bucket);
    if (!cfg || cli_connect(r) != 0) {
        json_decref(cfg);
        return CLI_EXIT_FAIL;
    }
    int rc = cli_js_callf(r, &resp, &e, cfg, "$JS.API.STREAM.CREATE.KV_%s", bucket);
    json_decref(cfg);
    if (rc != 0)
        return cli_js_fail(&e, "could not create bucket");
    json_object_del(resp, "type");
    show_status(r, resp, bucket);
    json_decref(resp);
    return 0;
}

static int info_run(struct cli_run *r)
{
    if (check_args(r, false, false) != 0)
        return CLI_EXIT_FAIL;
    json_t *info = bucket_info(r, cli_arg(r, 0));
    if (!info)
        return CLI_EXIT_FAIL;
    show_status(r, info, cli_arg(r, 0));
    json_decref(info);
    return 0;
}

static int ls_run(struct cli_run *r)
{
    struct cli_jserr e;
    size_t i;
    json_t *v;
    if (cli_arg(r, 0))
        return keys_run(r);
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *all = cli_stream_list(r, NULL, &e);
    if (!all)
        return cli_js_fail(&e, NULL);
    json_t *names = json_array();
    struct cli_table t;
    cli_table_init(&t, "Key-Value Buckets", 5, "Bucket", "Description", "Created", "Size",
                   "Values");
    json_array_foreach(all, i, v)
    {
        const json_t *cfg = json_object_get(v, "config"), *st = json_object_get(v, "state");
        const char *name = JS(cfg, "name");
        if (!name || strncmp(name, "KV_", 3) != 0)
            continue;
        char c[32], s[32], n[32];
        snprintf(c, sizeof(c), "%.19s", JS(v, "created") ? JS(v, "created") : "");
        json_array_append_new(names, json_string(name + 3));
        cli_table_row(&t, name + 3, JS(cfg, "description"), c,
                      cli_fmt_bytes(s, sizeof(s), (double)JI(st, "bytes")),
                      cli_fmt_int(n, sizeof(n), JI(st, "messages")));
    }
    if (cli_bool(r, "json", false)) {
        cli_json_print(names);
        cli_table_free(&t);
    } else if (cli_bool(r, "names", false)) {
        json_array_foreach(names, i, v) printf("%s\n", json_string_value(v));
        cli_table_free(&t);
    } else if (json_array_size(names) == 0) {
        printf("No Key-Value buckets found\n");
        cli_table_free(&t);
    } else {
        cli_table_print(&t);
    }
    json_decref(names);
    json_decref(all);
    return 0;
}

static const struct cli_flag add_flags[] = {
    {"history", 0, CLI_STR, "NUMBER", "How many historic values to keep per key (default 1)"},
    {"ttl", 0, CLI_STR, "DURATION", "How long to keep values for"},
    {"replicas", 0, CLI_STR, "NUMBER", "How many replicas of the data to store"},
    {"max-value-size", 0, CLI_STR, "BYTES", "Maximum size for any single value"},
    {"max-bucket-size", 0, CLI_STR, "BYTES", "Maximum size for the bucket"},
    {"description", 0, CLI_STR, "TEXT", "A description for the bucket"},
    {"storage", 0, CLI_STR, "file|memory", "Storage backend to use (default file)"},
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};
static const struct cli_flag json_flags[] = {
    {"json", 'j', CLI_BOOL, NULL, "Print a JSON result"},
    {0},
};
static const struct cli_flag get_flags[] = {
    {"revision", 0, CLI_STR, "NUMBER", "Gets a specific revision"},
    {"raw", 0, CLI_BOOL, NULL, "Show only the value"},
    {"json", 'j', CLI_BOOL, NULL, "Print a JSON result"},
    {0},
};
static const struct cli_flag del_flags[] = {
    {"force", 'f', CLI_BOOL, NULL, "Act without confirmation"},
    {"json", 'j', CLI_BOOL, NULL, "Print a JSON result"},
    {0},
};
static const struct cli_flag watch_flags[] = {
    {"count", 0, CLI_STR, "NUMBER", "Stop after this many updates"},
    {"json", 'j', CLI_BOOL, NULL, "One JSON object per update"},
    {0},
};
static const struct cli_flag ls_flags[] = {
    {"names", 'n', CLI_BOOL, NULL, "Show just the bucket names"},
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};

static const struct cli_cmd add_cmd = {
    .name = "add",
    .aliases = "new",
    .help = "Adds a new KV Store Bucket",
    .args = "<bucket>",
    .min_args = 1,
    .max_args = 1,
    .flags = add_flags,
    .run = add_run,
};
static const struct cli_cmd put_cmd = {
    .name = "put",
    .help = "Puts a value into a key",
    .args = "<bucket> <key> [<value>]",
    .min_args = 2,
    .max_args = 3,
    .flags = json_flags,
    .run = put_run,
    .long_help = "Without a value argument the value is read from stdin.",
};
static const struct cli_cmd get_cmd = {
    .name = "get",
    .help = "Gets a value for a key",
    .args = "<bucket> <key>",
    .min_args = 2,
    .max_args = 2,
    .flags = get_flags,
    .run = get_run,
};
static const struct cli_cmd create_cmd = {
    .name = "create",
    .help = "Puts a value into a key only if the key is new or deleted",
    .args = "<bucket> <key> [<value>]",
    .min_args = 2,
    .max_args = 3,
    .flags = json_flags,
    .run = create_run,
};
static const struct cli_cmd update_cmd = {
    .name = "update",
    .help = "Updates a key if its last revision matches",
    .args = "<bucket> <key> <value> <revision>",
    .min_args = 4,
    .max_args = 4,
    .flags = json_flags,
    .run = update_run,
};
static const struct cli_cmd del_cmd = {
    .name = "del",
    .aliases = "rm",
    .help = "Deletes a key or the entire bucket",
    .args = "<bucket> [<key>]",
    .min_args = 1,
    .max_args = 2,
    .flags = del_flags,
    .run = del_run,
};
static const struct cli_cmd purge_cmd = {
    .name = "purge",
    .help = "Deletes a key, clearing its history",
    .args = "<bucket> <key>",
    .min_args = 2,
    .max_args = 2,
    .flags = del_flags,
    .run = purge_run,
};
static const struct cli_cmd keys_cmd = {
    .name = "keys",
    .help = "Lists the keys in a bucket",
    .args = "<bucket>",
    .min_args = 1,
    .max_args = 1,
    .flags = json_flags,
    .run = keys_run,
};
static const struct cli_cmd history_cmd = {
    .name = "history",
    .help = "Shows the full history for a key",
    .args = "<bucket> <key>",
    .min_args = 2,
    .max_args = 2,
    .flags = json_flags,
    .run = history_run,
};
static const struct cli_cmd watch_cmd = {
    .name = "watch",
    .help = "Watch the bucket or a specific key for updates",
    .args = "<bucket> [<key>]",
    .min_args = 1,
    .max_args = 2,
    .flags = watch_flags,
    .run = watch_run,
};
static const struct cli_cmd ls_cmd = {
    .name = "ls",
    .aliases = "list",
    .help = "List buckets, or the keys in a bucket",
    .args = "[<bucket>]",
    .max_args = 1,
    .flags = ls_flags,
    .run = ls_run,
};
static const struct cli_cmd info_cmd = {
    .name = "info",
    .aliases = "status view",
    .help = "View the status of a KV store",
    .args = "<bucket>",
    .min_args = 1,
    .max_args = 1,
    .flags = json_flags,
    .run = info_run,
};
static const struct cli_cmd *const kv_subs[] = {
    &add_cmd, &create_cmd, &del_cmd, &get_cmd,    &history_cmd, &info_cmd, &keys_cmd,
    &ls_cmd,  &purge_cmd,  &put_cmd, &update_cmd, &watch_cmd,   NULL,
};

const struct cli_cmd cli_kv_cmd = {
    .name = "kv",
    .help = "Interacts with a JetStream based Key-Value store",
    .subs = kv_subs,
    .long_help = "`kv rm <bucket>` (alias of del) removes the whole bucket.",
};
