/* `object`: the JetStream Object Store (add, put, get, ls, info, del, watch) spoken over
 * streams as the object-store protocol defines: bucket B is stream OBJ_B; an object's data is
 * a run of chunks (128 KiB) on $O.B.C.<nuid> and its description is a JSON meta message on
 * $O.B.M.<base64url(name)> (rolled up per subject) carrying size, chunk count and a SHA-256
 * digest. Deleting writes a meta with "deleted": true and purges the chunks.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JI(o, k)    ((int64_t)json_integer_value(json_object_get((o), (k))))
#define JS(o, k)    (json_string_value(json_object_get((o), (k))))
#define CHUNK_SIZE  (128 * 1024) /* the object-store default chunk size */
#define ERR_NO_MSG  10037        /* nats-server: no message found */
#define ERR_NO_STRM 10059        /* nats-server: stream not found */

static void meta_subject(char *out, size_t cap, const char *bucket, const char *name)
{
    struct buf enc;
    buf_init(&enc);
    cli_b64_encode(&enc, name, strlen(name), true);
    snprintf(out, cap, "$O.%s.M.%.*s", bucket, (int)buf_size(&enc), buf_head(&enc));
    buf_deinit(&enc);
}

static json_t *bucket_info(struct cli_run *r, const char *bucket)
{
    char stream[300];
    struct cli_jserr e;
    snprintf(stream, sizeof(stream), "OBJ_%s", bucket);
    json_t *info = cli_stream_info_get(r, stream, NULL, &e);
    if (!info) {
        if (e.err_code == ERR_NO_STRM)
            cli_fail("object store bucket %s not found", bucket);
        else
            cli_js_fail(&e, NULL);
    }
    return info;
}

/* Loads the meta of <name>: returns a new object (with "mtime" from the stored message and
 * "revision"), NULL with <*missing> set when there is none (or it is deleted), or NULL after
 * an error line. */
static json_t *meta_get(struct cli_run *r, const char *bucket, const char *name, bool *missing)
{
    char stream[300], subj[1200];
    struct cli_smsg m;
    struct cli_jserr e;
    *missing = false;
    snprintf(stream, sizeof(stream), "OBJ_%s", bucket);
    meta_subject(subj, sizeof(subj), bucket, name);
    if (cli_js_msg_get(r, stream, 0, subj, &m, &e) != 0) {
        if (e.err_code == ERR_NO_MSG) {
            *missing = true;
            return NULL;
        }
        if (e.err_code == ERR_NO_STRM)
            cli_fail("object store bucket %s not found", bucket);
        else
            cli_js_fail(&e, NULL);
        return NULL;
    }
    json_t *meta = json_loadb(buf_head(&m.data), buf_size(&m.data), 0, NULL);
    char ts[40];
    if (meta) {
        json_object_set_new(meta, "mtime", json_string(cli_fmt_time(ts, sizeof(ts), m.ts)));
        json_object_set_new(meta, "revision", json_integer((json_int_t)m.seq));
    }
    cli_smsg_free(&m);
    if (!meta) {
        cli_fail("invalid object metadata for %s in bucket %s", name, bucket);
        return NULL;
    }
    if (json_is_true(json_object_get(meta, "deleted"))) {
        json_decref(meta);
        *missing = true;
        return NULL;
    }
    return meta;
}

static int meta_put(struct cli_run *r, const char *bucket, json_t *meta, uint64_t *seq)
{
    char subj[1200];
    natsMsg *m = NULL;
    struct cli_jserr e;
    meta_subject(subj, sizeof(subj), bucket, JS(meta, "name"));
    char *body = json_dumps(meta, JSON_COMPACT | JSON_PRESERVE_ORDER);
    natsMsg_Create(&m, subj, NULL, body, (int)strlen(body));
    natsMsgHeader_Set(m, "Nats-Rollup", "sub");
    int rc = cli_js_publish(r, m, seq, NULL, &e);
    natsMsg_Destroy(m);
    free(body);
    return rc == 0 ? 0 : cli_js_fail(&e, "could not store the object metadata");
}

static void chunks_purge(struct cli_run *r, const char *bucket, const char *nuid)
{
    char filter[400];
    json_t *resp = NULL;
    struct cli_jserr e;
    snprintf(filter, sizeof(filter), "$O.%s.C.%s", bucket, nuid);
    json_t *req = json_pack("{s:s}", "filter", filter);
    if (cli_js_callf(r, &resp, &e, req, "$JS.API.STREAM.PURGE.OBJ_%s", bucket) == 0)
        json_decref(resp);
    json_decref(req);
}

static void info_print(const json_t *meta)
{
    char b[64];
    printf("Object information for %s > %s\n\n", JS(meta, "bucket"), JS(meta, "name"));
    if (JS(meta, "description"))
        cli_kv_line(17, "Description", "%s", JS(meta, "description"));
    cli_kv_line(17, "Size", "%s", cli_fmt_bytes(b, sizeof(b), (double)JI(meta, "size")));
    cli_kv_line(17, "Modification Time", "%s", JS(meta, "mtime") ? JS(meta, "mtime") : "");
    cli_kv_line(17, "Chunks", "%lld", (long long)JI(meta, "chunks"));
    cli_kv_line(17, "Digest", "%s", JS(meta, "digest") ? JS(meta, "digest") : "");
}

/* ---- put ---- */

static void progress(const char *what, int64_t done, int64_t total)
{
    char a[32], b[32];
    if (!isatty(STDERR_FILENO))
        return;
    fprintf(stderr, "\r%s %s / %s", what, cli_fmt_bytes(a, sizeof(a), (double)done),
            total > 0 ? cli_fmt_bytes(b, sizeof(b), (double)total) : "?");
    fflush(stderr);
}

/* Streams <fd> into chunks on $O.<bucket>.C.<nuid>; fills size, chunks and digest. */
static int chunks_put(struct cli_run *r, const char *bucket, const char *nuid, int fd,
                      int64_t total, json_t *meta)
{
    char subj[400];
    struct cli_sha256 sha;
    uint8_t sum[32];
    char *chunk = xmalloc(CHUNK_SIZE);
    int64_t size = 0, chunks = 0;
    int rc = 0;
    bool bar = cli_bool(r, "progress", true) && isatty(STDERR_FILENO);
    snprintf(subj, sizeof(subj), "$O.%s.C.%s", bucket, nuid);
    cli_sha256_init(&sha);
    for (;;) {
        size_t n = 0;
        while (n < CHUNK_SIZE) {
            ssize_t k = read(fd, chunk + n, CHUNK_SIZE - n);
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0) {
                rc = cli_fail("read failed: %s", strerror(errno));
                goto out;
            }
            if (k == 0)
                break;
            n += (size_t)k;
        }
        if (n == 0)
            break;
        natsMsg *m = NULL;
        struct cli_jserr e;
        uint64_t seq;
        natsMsg_Create(&m, subj, NULL, chunk, (int)n);
        int c = cli_js_publish(r, m, &seq, NULL, &e);
        natsMsg_Destroy(m);
        if (c != 0) {
            rc = cli_js_fail(&e, "could not store a chunk");
            goto out;
        }
        cli_sha256_update(&sha, chunk, n);
        size += (int64_t)n;
        chunks++;
        if (bar)
            progress("Uploading", size, total);
        if (n < CHUNK_SIZE)
            break;
    }
    if (bar)
        fputc('\n', stderr);
    cli_sha256_final(&sha, sum);
    struct buf d;
    buf_init(&d);
    buf_append_str(&d, "SHA-256=");
    cli_b64_encode(&d, sum, sizeof(sum), true);
    json_object_set_new(meta, "size", json_integer(size));
    json_object_set_new(meta, "chunks", json_integer(chunks));
    json_object_set_new(meta, "digest", json_stringn(buf_head(&d), buf_size(&d)));
    buf_deinit(&d);
out:
    free(chunk);
    if (rc != 0)
        chunks_purge(r, bucket, nuid);
    return rc;
}

static int put_run(struct cli_run *r)
{
    const char *bucket = cli_arg(r, 0), *file = cli_arg(r, 1);
    bool use_stdin = !file || !strcmp(file, "-");
    int fd = STDIN_FILENO, rc = CLI_EXIT_FAIL;
    int64_t total = -1;
    char *name = NULL;
    json_t *old = NULL, *meta = NULL;
    if (!cli_bucket_valid(bucket))
        return cli_fail("invalid bucket name \"%s\"", bucket);
    if (use_stdin && !cli_has(r, "name"))
        return cli_fail("--name is required when reading the object from stdin");
    if (!use_stdin) {
        struct stat st;
        fd = open(file, O_RDONLY);
        if (fd < 0 || fstat(fd, &st) != 0)
            return cli_fail("could not open %s: %s", file, strerror(errno));
        total = (int64_t)st.st_size;
        char *copy = xstrdup(file);
        name = xstrdup(cli_str(r, "name", basename(copy)));
        free(copy);
    } else {
        name = xstrdup(cli_str(r, "name", ""));
    }
    if (cli_connect(r) != 0)
        goto out;
    json_t *binfo = bucket_info(r, bucket);
    if (!binfo)
        goto out;
    json_decref(binfo);
    bool missing;
    old = meta_get(r, bucket, name, &missing);
    if (!old && !missing)
        goto out;
    if (old) {
        char q[600];
        snprintf(q, sizeof(q), "Replace existing file %s > %s", bucket, name);
        int c = cli_confirm_or_force(r, q);
        if (c != 0) {
            rc = c < 0 ? 0 : c;
            goto out;
        }
    }
    natsInbox *ib = NULL;
    natsInbox_Create(&ib);
    const char *nuid = strrchr(ib, '.') ? strrchr(ib, '.') + 1 : ib;
    meta = json_pack("{s:s,s:s,s:s,s:{s:i}}", "name", name, "bucket", bucket, "nuid", nuid,
                     "options", "max_chunk_size", CHUNK_SIZE);
    if (cli_has(r, "description"))
        json_object_set_new(meta, "description", json_string(cli_str(r, "description", "")));
    rc = chunks_put(r, bucket, nuid, fd, total, meta);
    natsInbox_Destroy(ib);
    uint64_t seq = 0;
    if (rc == 0) {
        char ts[40];
        json_object_set_new(meta, "mtime", json_string(cli_fmt_time(ts, sizeof(ts), cli_now_ns())));
        rc = meta_put(r, bucket, meta, &seq);
    }
    if (rc == 0 && old)
        chunks_purge(r, bucket, JS(old, "nuid"));
    if (rc == 0) {
        json_object_set_new(meta, "revision", json_integer((json_int_t)seq));
        if (cli_bool(r, "json", false)) {
            json_object_set_new(meta, "status", json_string("ok"));
            cli_json_print(meta);
        } else {
            info_print(meta);
        }
    }
out:
    if (!use_stdin && fd >= 0)
        close(fd);
    json_decref(old);
    json_decref(meta);
    free(name);
    return rc;
}

/* ---- get ---- */

struct get_state {
    int fd;                /* output */
    struct cli_sha256 sha; /* running digest */
    int64_t size, total;   /* bytes written, expected */
    bool bar;
    int err; /* errno of a failed write */
};

static int get_cb(void *arg, natsMsg *m, const struct cli_jsmeta *meta)
{
    struct get_state *gs = arg;
    const char *p = natsMsg_GetData(m);
    size_t n = (size_t)natsMsg_GetDataLength(m);
    cli_sha256_update(&gs->sha, p, n);
    while (n > 0) {
        ssize_t k = write(gs->fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            gs->err = errno;
            return 1;
        }
        p += k;
        n -= (size_t)k;
    }
    gs->size += natsMsg_GetDataLength(m);
    if (gs->bar)
        progress("Downloading", gs->size, gs->total);
    return 0;
}

static int get_run(struct cli_run *r)
{
    const char *bucket = cli_arg(r, 0), *name = cli_arg(r, 1);
    bool missing;
    struct get_state gs = {.fd = -1};
    char stream[300], filter[400], *path = NULL;
    int rc = CLI_EXIT_FAIL;
    if (!cli_bucket_valid(bucket))
        return cli_fail("invalid bucket name \"%s\"", bucket);
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *meta = meta_get(r, bucket, name, &missing);
    if (!meta)
        return missing ? cli_fail("object %s not found in bucket %s", name, bucket) : CLI_EXIT_FAIL;
    const char *out = cli_str(r, "output", NULL);
    bool to_stdout = out && !strcmp(out, "-");
    if (!out) {
        char *copy = xstrdup(name);
        path = xstrdup(basename(copy));
        free(copy);
    } else {
        path = xstrdup(out);
    }
    if (to_stdout) {
        gs.fd = STDOUT_FILENO;
    } else {
        if (access(path, F_OK) == 0 && !cli_bool(r, "force", false)) {
            rc = cli_fail("%s already exists, use --force to overwrite", path);
            goto out;
        }
        gs.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (gs.fd < 0) {
            rc = cli_fail("could not create %s: %s", path, strerror(errno));
            goto out;
        }
    }
    int64_t start = cli_mono_ns();
    cli_sha256_init(&gs.sha);
    gs.total = JI(meta, "size");
    gs.bar = !to_stdout && isatty(STDERR_FILENO);
    snprintf(stream, sizeof(stream), "OBJ_%s", bucket);
    snprintf(filter, sizeof(filter), "$O.%s.C.%s", bucket, JS(meta, "nuid"));
    struct cli_iter it = {.stream = stream, .filter = filter, .deliver = "all"};
    rc = gs.total > 0 ? cli_js_iterate(r, &it, get_cb, &gs) : 0;
    if (gs.bar && gs.total > 0)
        fputc('\n', stderr);
    if (rc == 0 && gs.err)
        rc = cli_fail("write to %s failed: %s", path, strerror(gs.err));
    uint8_t sum[32];
    struct buf d;
    buf_init(&d);
    cli_sha256_final(&gs.sha, sum);
    buf_append_str(&d, "SHA-256=");
    cli_b64_encode(&d, sum, sizeof(sum), true);
    buf_append_char(&d, '\0');
    if (rc == 0 && (gs.size != gs.total ||
                    (JS(meta, "digest") && strcmp(JS(meta, "digest"), buf_head(&d)) != 0)))
        rc = cli_fail("object %s is corrupt: size or digest mismatch", name);
    buf_deinit(&d);
    if (rc != 0 && !to_stdout)
        unlink(path);
    if (rc == 0 && !to_stdout) {
        char sz[32], rate[32], el[32];
        int64_t ns = cli_mono_ns() - start;
        double secs = ns > 0 ? (double)ns / 1e9 : 1e-9;
        if (cli_bool(r, "json", false)) {
            json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:I,s:O}", "status", "ok", "bucket", bucket,
                                  "name", name, "file", path, "size", (json_int_t)gs.size, "digest",
                                  json_object_get(meta, "digest"));
            cli_json_print(j);
            json_decref(j);
        } else {
            printf("Wrote: %s to %s in %s average %s/s\n",
                   cli_fmt_bytes(sz, sizeof(sz), (double)gs.size), path,
                   cli_fmt_dur(el, sizeof(el), ns / 1000 * 1000),
                   cli_fmt_bytes(rate, sizeof(rate), (double)gs.size / secs));
        }
    }
out:
    if (gs.fd >= 0 && !to_stdout)
        close(gs.fd);
    free(path);
    json_decref(meta);
    return rc;
}

/* ---- ls, info, del, watch, add ---- */

struct ls_state {
    json_t *out;   /* collected metas */
    int64_t limit; /* watch --count */
    int64_t seen;
    bool watch, json;
    const char *bucket;
};

static int meta_cb(void *arg, natsMsg *m, const struct cli_jsmeta *meta)
{
    struct ls_state *ls = arg;
    char ts[40];
    json_t *j = json_loadb(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m), 0, NULL);
    if (!j)
        return 0;
    json_object_set_new(j, "mtime", json_string(cli_fmt_time(ts, sizeof(ts), meta->ts)));
    bool deleted = json_is_true(json_object_get(j, "deleted"));
    if (ls->watch) {
        char sz[32];
        if (ls->json) {
            char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
            printf("%s\n", s);
            free(s);
        } else if (deleted) {
            printf("[%s] DEL %s > %s\n", ts, ls->bucket, JS(j, "name"));
        } else {
            printf("[%s] PUT %s > %s: %s\n", ts, ls->bucket, JS(j, "name"),
                   cli_fmt_bytes(sz, sizeof(sz), (double)JI(j, "size")));
        }
        fflush(stdout);
        json_decref(j);
        ls->seen++;
        return ls->limit > 0 && ls->seen >= ls->limit;
    }
    if (!deleted)
        json_array_append(ls->out, j);
    json_decref(j);
    return 0;
}

static int read_metas(struct cli_run *r, const char *bucket, struct ls_state *ls)
{
    char stream[300], filter[300];
    snprintf(stream, sizeof(stream), "OBJ_%s", bucket);
    snprintf(filter, sizeof(filter), "$O.%s.M.>", bucket);
    json_t *info = bucket_info(r, bucket);
    if (!info)
        return CLI_EXIT_FAIL;
    json_decref(info);
    struct cli_iter it = {
        .stream = stream, .filter = filter, .deliver = "last_per_subject", .follow = ls->watch};
    return cli_js_iterate(r, &it, meta_cb, ls);
}

static int buckets_ls(struct cli_run *r)
{
    struct cli_jserr e;
    size_t i;
    json_t *v;
    json_t *all = cli_stream_list(r, NULL, &e);
    if (!all)
        return cli_js_fail(&e, NULL);
    json_t *names = json_array();
    struct cli_table t;
    cli_table_init(&t, "Object Store Buckets", 4, "Bucket", "Description", "Created", "Size");
    json_array_foreach(all, i, v)
    {
        const json_t *cfg = json_object_get(v, "config"), *st = json_object_get(v, "state");
        const char *nm = JS(cfg, "name");
        char c[32], s[32];
        if (!nm || strncmp(nm, "OBJ_", 4) != 0)
            continue;
        snprintf(c, sizeof(c), "%.19s", JS(v, "created") ? JS(v, "created") : "");
        json_array_append_new(names, json_string(nm + 4));
        cli_table_row(&t, nm + 4, JS(cfg, "description"), c,
                      cli_fmt_bytes(s, sizeof(s), (double)JI(st, "bytes")));
    }
    if (cli_bool(r, "json", false) || cli_bool(r, "names", false)) {
        if (cli_bool(r, "json", false))
            cli_json_print(names);
        else
            json_array_foreach(names, i, v) printf("%s\n", json_string_value(v));
        cli_table_free(&t);
    } else if (json_array_size(names) == 0) {
        printf("No Object Store buckets found\n");
        cli_table_free(&t);
    } else {
        cli_table_print(&t);
    }
    json_decref(names);
    json_decref(all);
    return 0;
}

static int ls_run(struct cli_run *r)
{
    const char *bucket = cli_arg(r, 0);
    struct ls_state ls = {.bucket = bucket};
    size_t i;
    json_t *v;
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    if (!bucket)
        return buckets_ls(r);
    if (!cli_bucket_valid(bucket))
        return cli_fail("invalid bucket name \"%s\"", bucket);
    ls.out = json_array();
    int rc = read_metas(r, bucket, &ls);
    if (rc == 0 && cli_bool(r, "json", false)) {
        cli_json_print(ls.out);
    } else if (rc == 0 && cli_bool(r, "names", false)) {
        json_array_foreach(ls.out, i, v) printf("%s\n", JS(v, "name"));
    } else if (rc == 0 && json_array_size(ls.out) == 0) {
        printf("No entries found\n");
    } else if (rc == 0) {
        struct cli_table t;
        cli_table_init(&t, "Bucket Contents", 3, "Name", "Size", "Time");
        json_array_foreach(ls.out, i, v)
        {
            char s[32];
            cli_table_row(&t, JS(v, "name"), cli_fmt_bytes(s, sizeof(s), (double)JI(v, "size")),
                          JS(v, "mtime"));
        }
        cli_table_print(&t);
    }
    json_decref(ls.out);
    return rc;
}

static int info_run(struct cli_run *r)
{
    const char *bucket = cli_arg(r, 0), *name = cli_arg(r, 1);
    bool missing;
    if (!cli_bucket_valid(bucket))
        return cli_fail("invalid bucket name \"%s\"", bucket);
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *j = name ? meta_get(r, bucket, name, &missing) : bucket_info(r, bucket);
    if (!j)
        return name && missing ? cli_fail("object %s not found in bucket %s", name, bucket)
                               : CLI_EXIT_FAIL;
    if (cli_bool(r, "json", false)) {
        cli_json_print(j);
    } else if (name) {
        info_print(j);
    } else {
        const json_t *cfg = json_object_get(j, "config"), *st = json_object_get(j, "state");
        char b[64];
        printf("Information for Object Store Bucket %s created %s\n\n", bucket,
               JS(j, "created") ? JS(j, "created") : "");
        cli_kv_line(18, "Bucket Name", "%s", bucket);
        if (JS(cfg, "description") && *JS(cfg, "description"))
            cli_kv_line(18, "Description", "%s", JS(cfg, "description"));
        cli_kv_line(18, "Size", "%s", cli_fmt_bytes(b, sizeof(b), (double)JI(st, "bytes")));
        cli_kv_line(18, "TTL", "%s",
                    JI(cfg, "max_age") > 0 ? cli_fmt_dur(b, sizeof(b), JI(cfg, "max_age"))
                                           : "unlimited");
        cli_kv_line(18, "Sealed", "%s",
                    json_is_true(json_object_get(cfg, "sealed")) ? "true" : "false");
        cli_kv_line(18, "Backing Store Kind", "JetStream");
        cli_kv_line(18, "JetStream Stream", "%s", JS(cfg, "name"));
        cli_kv_line(18, "Storage", "%s", strcmp(JS(cfg, "storage"), "memory") ? "File" : "Memory");
    }
    json_decref(j);
    return 0;
}

static int del_run(struct cli_run *r)
{
    const char *bucket = cli_arg(r, 0), *name = cli_arg(r, 1);
    char q[600];
    bool missing;
    if (!cli_bucket_valid(bucket))
        return cli_fail("invalid bucket name \"%s\"", bucket);
    if (name)
        snprintf(q, sizeof(q), "Delete object %s > %s?", bucket, name);
    else
        snprintf(q, sizeof(q), "Delete bucket %s?", bucket);
    int rc = cli_confirm_or_force(r, q);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    if (!name) {
        json_t *resp = NULL;
        struct cli_jserr e;
        if (cli_js_callf(r, &resp, &e, NULL, "$JS.API.STREAM.DELETE.OBJ_%s", bucket) != 0)
            return e.err_code == ERR_NO_STRM ? cli_fail("object store bucket %s not found", bucket)
                                             : cli_js_fail(&e, NULL);
        json_decref(resp);
        return 0;
    }
    json_t *meta = meta_get(r, bucket, name, &missing);
    if (!meta)
        return missing ? cli_fail("object %s not found in bucket %s", name, bucket) : CLI_EXIT_FAIL;
    char *nuid = xstrdup(JS(meta, "nuid") ? JS(meta, "nuid") : "");
    json_object_set_new(meta, "deleted", json_true());
    json_object_set_new(meta, "size", json_integer(0));
    json_object_set_new(meta, "chunks", json_integer(0));
    json_object_del(meta, "digest");
    json_object_del(meta, "revision");
    uint64_t seq;
    rc = meta_put(r, bucket, meta, &seq);
    if (rc == 0 && *nuid)
        chunks_purge(r, bucket, nuid);
    free(nuid);
    json_decref(meta);
    return rc;
}

static int watch_run(struct cli_run *r)
{
    const char *bucket = cli_arg(r, 0);
    struct ls_state ls = {.bucket = bucket, .watch = true, .json = cli_bool(r, "json", false)};
    if (!cli_bucket_valid(bucket))
        return cli_fail("invalid bucket name \"%s\"", bucket);
    if (cli_int(r, "count", 0, &ls.limit) != 0 || cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    cli_log("Watching bucket %s", bucket);
    return read_metas(r, bucket, &ls);
}

static int add_run(struct cli_run *r)
{
    const char *bucket = cli_arg(r, 0);
    int64_t ttl, maxb, replicas;
    char chunks[300], metas[300];
    json_t *resp = NULL;
    struct cli_jserr e;
    const char *storage = cli_str(r, "storage", "file");
    if (!cli_bucket_valid(bucket))
        return cli_fail("invalid bucket name \"%s\"", bucket);
    if (cli_dur(r, "ttl", 0, &ttl) || cli_size(r, "max-bucket-size", -1, &maxb) ||
        cli_int(r, "replicas", 1, &replicas))
        return CLI_EXIT_FAIL;
    storage = (!strcmp(storage, "m") || !strcmp(storage, "memory")) ? "memory" : storage;
    storage = !strcmp(storage, "f") ? "file" : storage;
    if (strcmp(storage, "file") && strcmp(storage, "memory"))
        return cli_fail("invalid storage \"%s\" (file, memory)", storage);
    snprintf(chunks, sizeof(chunks), "$O.%s.C.>", bucket);
    snprintf(metas, sizeof(metas), "$O.%s.M.>", bucket);
    json_t *cfg = json_pack(
        "{s:s+,s:[s,s],s:I,s:I,s:s,s:I,s:s,s:b,s:b,s:s,s:i,s:i,s:i,s:i}", "name", "OBJ_", bucket,
        "subjects", chunks, metas, "max_age", (json_int_t)ttl, "max_bytes", (json_int_t)maxb,
        "storage", storage, "num_replicas", (json_int_t)replicas, "discard", "new",
        "allow_rollup_hdrs", 1, "allow_direct", 1, "retention", "limits", "max_msgs", -1,
        "max_consumers", -1, "max_msgs_per_subject", -1, "max_msg_size", -1);
    if (cli_has(r, "description"))
        json_object_set_new(cfg, "description", json_string(cli_str(r, "description", "")));
    if (cli_connect(r) != 0) {
        json_decref(cfg);
        return CLI_EXIT_FAIL;
    }
    int rc = cli_js_callf(r, &resp, &e, cfg, "$JS.API.STREAM.CREATE.OBJ_%s", bucket);
    json_decref(cfg);
    if (rc != 0)
        return cli_js_fail(&e, "could not create bucket");
    json_decref(resp);
    return info_run(r);
}

static const struct cli_flag add_flags[] = {
    {"ttl", 0, CLI_STR, "DURATION", "How long to keep objects for"},
    {"replicas", 0, CLI_STR, "NUMBER", "How many replicas of the data to store"},
    {"max-bucket-size", 0, CLI_STR, "BYTES", "Maximum size for the bucket"},
    {"description", 0, CLI_STR, "TEXT", "A description for the bucket"},
    {"storage", 0, CLI_STR, "file|memory", "Storage backend to use (default file)"},
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};
static const struct cli_flag put_flags[] = {
    {"name", 0, CLI_STR, "NAME", "Name of the object (default: the file name)"},
    {"description", 0, CLI_STR, "TEXT", "Sets a description for the object"},
    {"force", 'f', CLI_BOOL, NULL, "Replace an existing object without prompting"},
    {"progress", 0, CLI_BOOL, NULL, "Show a progress bar on a terminal (default true)"},
    {"json", 'j', CLI_BOOL, NULL, "Print a JSON result"},
    {0},
};
static const struct cli_flag get_flags[] = {
    {"output", 'O', CLI_STR, "FILE", "Where to write the object (- for stdout)"},
    {"force", 'f', CLI_BOOL, NULL, "Overwrite an existing file"},
    {"json", 'j', CLI_BOOL, NULL, "Print a JSON result"},
    {0},
};
static const struct cli_flag ls_flags[] = {
    {"names", 'n', CLI_BOOL, NULL, "Show just the names"},
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};
static const struct cli_flag json_flags[] = {
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};
static const struct cli_flag del_flags[] = {
    {"force", 'f', CLI_BOOL, NULL, "Act without confirmation"},
    {0},
};
static const struct cli_flag watch_flags[] = {
    {"count", 0, CLI_STR, "NUMBER", "Stop after this many updates"},
    {"json", 'j', CLI_BOOL, NULL, "One JSON object per update"},
    {0},
};

static const struct cli_cmd add_cmd = {
    .name = "add",
    .aliases = "new",
    .help = "Adds a new Object Store Bucket",
    .args = "<bucket>",
    .min_args = 1,
    .max_args = 1,
    .flags = add_flags,
    .run = add_run,
};
static const struct cli_cmd put_cmd = {
    .name = "put",
    .help = "Puts a file (or stdin with --name) into the store",
    .args = "<bucket> [<file>]",
    .min_args = 1,
    .max_args = 2,
    .flags = put_flags,
    .run = put_run,
};
static const struct cli_cmd get_cmd = {
    .name = "get",
    .help = "Retrieves a file from the store",
    .args = "<bucket> <name>",
    .min_args = 2,
    .max_args = 2,
    .flags = get_flags,
    .run = get_run,
};
static const struct cli_cmd ls_cmd = {
    .name = "ls",
    .aliases = "list",
    .help = "List buckets or the contents of a bucket",
    .args = "[<bucket>]",
    .max_args = 1,
    .flags = ls_flags,
    .run = ls_run,
};
static const struct cli_cmd info_cmd = {
    .name = "info",
    .help = "Get information about a bucket or an object",
    .args = "<bucket> [<name>]",
    .min_args = 1,
    .max_args = 2,
    .flags = json_flags,
    .run = info_run,
};
static const struct cli_cmd del_cmd = {
    .name = "del",
    .aliases = "rm",
    .help = "Deletes an object or the entire bucket",
    .args = "<bucket> [<name>]",
    .min_args = 1,
    .max_args = 2,
    .flags = del_flags,
    .run = del_run,
};
static const struct cli_cmd watch_cmd = {
    .name = "watch",
    .help = "Watch a bucket for changes",
    .args = "<bucket>",
    .min_args = 1,
    .max_args = 1,
    .flags = watch_flags,
    .run = watch_run,
};
static const struct cli_cmd *const obj_subs[] = {&add_cmd, &del_cmd, &get_cmd,   &info_cmd,
                                                 &ls_cmd,  &put_cmd, &watch_cmd, NULL};

const struct cli_cmd cli_obj_cmd = {
    .name = "object",
    .aliases = "obj",
    .help = "Interacts with a JetStream based Object store",
    .subs = obj_subs,
};
