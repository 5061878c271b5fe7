/* Durable consumer persistence: <stream dir>/obs/<name>/meta.inf holds the
 * config (written at create/update), state.inf the delivery state (written
 * by the tick when it changed and at a clean stop, via a temp file and
 * rename, so a kill -9 loses at most one tick of acks: those messages are
 * redelivered, never lost). Recovery recreates the consumers of a stream. */
#include "jetstream/consumer_int.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void obs_dir(const struct consumer *c, char *out, size_t cap)
{
    snprintf(out, cap, "%s/obs/%s", c->st->dir, c->name);
}

int consumer_save_meta(struct consumer *c)
{
    if (!js_consumer_config_is_durable(&c->cfg) || c->st->cfg.storage != JS_STORAGE_FILE)
        return 0;
    char obs[4096], dir[4096];
    snprintf(obs, sizeof(obs), "%s/obs", c->st->dir);
    bool fresh = mkdir(obs, 0750) == 0;
    obs_dir(c, dir, sizeof(dir));
    if (mkdir(dir, 0750) != 0 && errno != EEXIST)
        return -errno;
    /* The consumer's directory entries are durable before its create is
     * answered (its meta.inf below too). */
    int rc = fresh ? js__fsync_dir(c->st->dir) : 0;
    if (rc == 0)
        rc = js__fsync_dir(obs);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b);
    buf_appendf(&b, "{\"created_ns\":%lld,\"config\":", (long long)c->created);
    js_consumer_config_json(&b, &c->cfg);
    buf_append_str(&b, "}\n");
    rc = js__write_file(dir, "meta.inf", buf_head(&b), buf_size(&b), true);
    buf_deinit(&b);
    return rc;
}

void consumer_save_state(struct consumer *c)
{
    if (!c->dirty || !js_consumer_config_is_durable(&c->cfg) ||
        c->st->cfg.storage != JS_STORAGE_FILE)
        return;
    char dir[4096];
    obs_dir(c, dir, sizeof(dir));
    struct buf b;
    buf_init(&b);
    buf_appendf(&b, "gannet-consumer 1 %llu %llu %llu %llu %llu %zu\n",
                (unsigned long long)c->next_sseq, (unsigned long long)c->dseq,
                (unsigned long long)c->dsseq, (unsigned long long)c->ack_floor_cseq,
                (unsigned long long)c->ack_floor_sseq, c->npend);
    for (size_t i = 0; i < c->npend; i++)
        buf_appendf(&b, "%llu %llu %llu\n", (unsigned long long)c->pend[i].sseq,
                    (unsigned long long)c->pend[i].cseq, (unsigned long long)c->pend[i].dc);
    /* Not synced: after a power cut a consumer may redeliver what was
     * acked in its last moments (at least once), never skip a message. */
    if (js__write_file(dir, "state.inf", buf_head(&b), buf_size(&b), false) == 0)
        c->dirty = false;
    buf_deinit(&b);
}

void consumer_remove_files(struct consumer *c)
{
    char dir[4096], path[4200];
    obs_dir(c, dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/meta.inf", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/state.inf", dir);
    unlink(path);
    rmdir(dir);
}

/* Reads state.inf into <c>; pending messages are redelivered after
 * ack_wait from now. */
static void load_state(struct consumer *c, const char *dir, int64_t now)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/state.inf", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    unsigned long long v[5];
    size_t n = 0;
    if (fscanf(f, "gannet-consumer 1 %llu %llu %llu %llu %llu %zu\n", &v[0], &v[1], &v[2], &v[3],
               &v[4], &n) == 6) {
        c->next_sseq = v[0];
        c->dseq = v[1];
        c->dsseq = v[2];
        c->ack_floor_cseq = v[3];
        c->ack_floor_sseq = v[4];
        for (size_t i = 0; i < n && i < 10000000; i++) {
            unsigned long long s, cs, dc;
            if (fscanf(f, "%llu %llu %llu\n", &s, &cs, &dc) != 3)
                break;
            if (!pend_find(c, s))
                pend_insert(c, &(struct pend){s, cs, dc, now + c->cfg.ack_wait, now, false});
        }
    }
    fclose(f);
}

static void recover_one(struct stream *st, const char *name, int64_t now)
{
    char dir[4096], path[4200];
    snprintf(dir, sizeof(dir), "%s/obs/%s", st->dir, name);
    snprintf(path, sizeof(path), "%s/meta.inf", dir);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    json_t *jc = root ? json_object_get(root, "config") : NULL;
    char *text = jc ? json_dumps(jc, JSON_COMPACT) : NULL;
    int64_t created = root ? json_integer_value(json_object_get(root, "created_ns")) : 0;
    json_decref(root);
    if (!text) {
        log_error("JetStream: consumer %s of '%s': bad meta.inf, skipped", name, st->cfg.name);
        return;
    }
    struct js_consumer_config cfg;
    enum js_err e = JS_ERR_NONE;
    char desc[256] = "";
    struct js_consumer_env env = {.stream = &st->cfg, .recovering = true};
    int rc = js_consumer_config_parse(text, strlen(text), &cfg, &e, desc, sizeof(desc));
    free(text);
    if (rc == 0)
        rc = js_consumer_config_check(&cfg, &env, &e, desc, sizeof(desc));
    if (rc) {
        js_consumer_config_deinit(&cfg);
        log_error("JetStream: consumer %s of '%s': invalid config (%s), skipped", name,
                  st->cfg.name, desc);
        return;
    }
    struct consumer *c = xcalloc(1, sizeof(*c));
    c->st = st;
    c->name = xstrdup(name);
    c->cfg = cfg;
    c->created = created;
    c->push = c->cfg.deliver_subject && *c->cfg.deliver_subject;
    c->last_active_mono = c->last_send_mono = now;
    consumer_start_position(c);
    consumer_flow_init(c);
    load_state(c, dir, now);
    st->consumers = xrealloc(st->consumers, (st->nconsumers + 1) * sizeof(*st->consumers));
    st->consumers[st->nconsumers++] = c;
}

void js__consumers_recover(struct stream *st, int64_t now)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/obs", st->dir);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.')
            recover_one(st, de->d_name, now);
    closedir(d);
}
