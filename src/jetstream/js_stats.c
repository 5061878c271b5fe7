/* JetStream monitoring snapshot (js_stats.h): streams are referenced under
 * the table lock, then copied one at a time under their own lock with the
 * same renderings the $JS.API INFO replies use. */
#include "jetstream/js_stats.h"

#include "jetstream/consumer_int.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

static char *buf_to_str(struct buf *b)
{
    char *s = xstrndup(buf_head(b), buf_size(b));
    buf_clear(b);
    return s;
}

/* Copies consumer <c> (st->lock held). */
static void consumer_copy(struct consumer *c, bool config, struct js_stats_consumer *out,
                          struct buf *b)
{
    struct js_consumer_info ci;
    consumer_info(c, &ci);
    if (!config)
        ci.config = NULL;
    js_consumer_info_json(b, &ci);
    out->info_json = buf_to_str(b);
    out->name = xstrdup(c->name);
    out->description =
        c->cfg.description && *c->cfg.description ? xstrdup(c->cfg.description) : NULL;
    out->created = ci.created;
    out->delivered_consumer_seq = ci.delivered.consumer_seq;
    out->delivered_stream_seq = ci.delivered.stream_seq;
    out->delivered_last = ci.delivered.last_active;
    out->ack_floor_consumer_seq = ci.ack_floor.consumer_seq;
    out->ack_floor_stream_seq = ci.ack_floor.stream_seq;
    out->ack_floor_last = ci.ack_floor.last_active;
    out->num_ack_pending = ci.num_ack_pending;
    out->num_redelivered = ci.num_redelivered;
    out->num_waiting = ci.num_waiting;
    out->num_pending = ci.num_pending;
}

/* Copies stream <st> (st->lock held). */
static void stream_copy(struct stream *st, unsigned flags, struct js_stats_stream *out,
                        struct buf *b)
{
    struct js_stream_info si;
    struct js_stream_state state;
    js__stream_info(st, &si, &state);
    out->name = xstrdup(st->cfg.name);
    out->created = st->created;
    out->messages = state.messages;
    out->bytes = state.bytes;
    out->first_seq = state.first_seq;
    out->last_seq = state.last_seq;
    out->num_subjects = state.num_subjects;
    out->consumer_count = state.consumer_count;
    out->max_msgs = st->cfg.max_msgs;
    out->max_bytes = st->cfg.max_bytes;
    out->memory = st->cfg.storage == JS_STORAGE_MEMORY;
    js_stream_state_json(b, &state);
    out->state_json = buf_to_str(b);
    if (flags & JS_STATS_CONFIG) {
        js_stream_config_json(b, &st->cfg);
        out->config_json = buf_to_str(b);
    }
    if (!(flags & JS_STATS_CONSUMERS) || st->nconsumers == 0)
        return;
    out->consumers = xcalloc(st->nconsumers, sizeof(*out->consumers));
    for (size_t i = 0; i < st->nconsumers; i++) {
        struct consumer *c = st->consumers[i];
        if (!c->deleted)
            consumer_copy(c, (flags & JS_STATS_CONFIG) != 0, &out->consumers[out->nconsumers++], b);
    }
}

/* References every stream (sorted by name) under the table lock. */
static struct stream **streams_ref(struct jetstream *js, size_t *n, struct js_stats *out)
{
    pthread_mutex_lock(&js->lock);
    *n = js->nstreams;
    struct stream **v = *n ? xcalloc(*n, sizeof(*v)) : NULL;
    for (size_t i = 0; i < *n; i++) {
        v[i] = js->streams[i];
        js__stream_ref(v[i]);
    }
    out->api_total = atomic_load(&js->api_total);
    out->api_errors = atomic_load(&js->api_errors);
    pthread_mutex_unlock(&js->lock);
    return v;
}

/* <store_dir>/jetstream (heap), the directory nats-server reports. */
static char *store_dir_of(const struct jetstream *js)
{
    const char *base =
        js->opts->store_dir && *js->opts->store_dir ? js->opts->store_dir : "/tmp/nats";
    size_t len = strlen(base) + sizeof("/jetstream");
    char *dir = xmalloc(len);
    snprintf(dir, len, "%s/jetstream", base);
    return dir;
}

void js_stats_get(struct jetstream *js, unsigned flags, struct js_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (flags & JS_STATS_CONSUMERS)
        flags |= JS_STATS_STREAMS;
    out->store_dir = store_dir_of(js);
    out->domain = js->opts->js_domain && *js->opts->js_domain ? js->opts->js_domain : NULL;
    out->max_memory = js->max_memory;
    out->max_storage = js->max_storage;
    size_t n = 0;
    struct stream **v = streams_ref(js, &n, out);
    if (flags & JS_STATS_STREAMS)
        out->streams = n ? xcalloc(n, sizeof(*out->streams)) : NULL;
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        struct stream *st = v[i];
        struct js_stats_stream tmp = {0};
        struct js_stats_stream *ss = (flags & JS_STATS_STREAMS) ? &out->streams[out->n] : &tmp;
        pthread_mutex_lock(&st->lock);
        bool live = !st->deleted;
        if (live)
            stream_copy(st, flags, ss, &b);
        pthread_mutex_unlock(&st->lock);
        js__stream_unref(st);
        if (!live)
            continue;
        out->nstreams++;
        out->nconsumers += (uint64_t)ss->consumer_count;
        out->messages += ss->messages;
        out->bytes += ss->bytes;
        if (ss->memory)
            out->memory += ss->bytes;
        else
            out->storage += ss->bytes;
        if (ss == &tmp) {
            free(tmp.name);
            free(tmp.state_json);
        } else {
            out->n++;
        }
    }
    buf_deinit(&b);
    free(v);
}

static void consumer_deinit(struct js_stats_consumer *c)
{
    free(c->name);
    free(c->description);
    free(c->info_json);
}

void js_stats_deinit(struct js_stats *st)
{
    for (size_t i = 0; i < st->n; i++) {
        struct js_stats_stream *s = &st->streams[i];
        for (size_t k = 0; k < s->nconsumers; k++)
            consumer_deinit(&s->consumers[k]);
        free(s->consumers);
        free(s->name);
        free(s->config_json);
        free(s->state_json);
    }
    FREE_AND_NULL(st->streams);
    FREE_AND_NULL(st->store_dir);
    st->n = 0;
}

static bool stream_loaded(struct jetstream *js, const char *name)
{
    pthread_mutex_lock(&js->lock);
    struct stream *st = js__stream_find(js, name);
    bool ok = st && !st->deleted;
    pthread_mutex_unlock(&js->lock);
    return ok;
}

/* Checks the stream directories of account "$G" under <dir>. */
static bool streams_healthy(struct jetstream *js, const char *dir, char *err, size_t cap)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/$G/streams", dir);
    DIR *d = opendir(path);
    if (!d)
        return true; /* nats-server ignores an unreadable directory here */
    bool ok = true;
    struct dirent *de;
    while (ok && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (!stream_loaded(js, de->d_name)) {
            snprintf(err, cap, "JetStream stream '$G > %s' could not be recovered", de->d_name);
            ok = false;
        }
    }
    closedir(d);
    return ok;
}

bool js_stats_healthy(struct jetstream *js, char *err, size_t cap)
{
    char *dir = store_dir_of(js);
    DIR *d = opendir(dir);
    bool ok = true;
    struct dirent *de;
    while (d && ok && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (strcmp(de->d_name, "$G") != 0) {
            snprintf(err, cap, "JetStream account '%s' could not be resolved", de->d_name);
            ok = false;
        }
    }
    if (d)
        closedir(d);
    if (ok)
        ok = streams_healthy(js, dir, err, cap);
    free(dir);
    return ok;
}

struct hist *js_stats_hist(struct jetstream *js, enum hist_id id)
{
    return js && (unsigned)id < HIST__COUNT ? &js->hists[id] : NULL;
}
