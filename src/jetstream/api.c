/* $JS.API request handlers for the account info and streams. Each API
 * subject is its own internal subscription (as in nats-server), so a
 * request to an API nobody serves gets the usual no-responders status.
 * Handlers run on the worker that received the request and answer with
 * srv_publish on the request's reply subject. */
#include "jetstream/js_int.h"
#include "subject/subject.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/nuid.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

#define NAMES_LIMIT    1024
#define LIST_LIMIT     256
#define SUBJECTS_LIMIT 100000

struct api_ctx {
    struct jetstream *js;
    struct worker *w;
    const struct srv_msg *m;
    const char *name; /* stream name token, or NULL */
    struct buf out;
    bool error;
};

typedef void (*api_fn)(struct api_ctx *c);

static void respond_error(struct api_ctx *c, enum js_resp_type t, enum js_err e, const char *desc)
{
    buf_clear(&c->out);
    js_resp_error(&c->out, t, e, desc && *desc ? desc : NULL);
    c->error = true;
}

static const char *const no_desc = NULL;

static void advisory(struct api_ctx *c, const char *action, const char *stream)
{
    char id[NUID_LEN + 1];
    js__event_id(id);
    struct buf b;
    buf_init(&b);
    js_advisory_stream_action(&b, id, clock_real_ns(), stream, action, NULL,
                              c->js->opts->js_domain);
    char subj[512];
    snprintf(subj, sizeof(subj), "$JS.EVENT.ADVISORY.STREAM.%s.%s", action, stream);
    for (char *p = subj + strlen("$JS.EVENT.ADVISORY.STREAM."); *p && *p != '.'; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    srv_publish(c->w, slice_cstr(subj), slice_of(NULL, 0), slice_of(NULL, 0),
                slice_of(buf_head(&b), buf_size(&b)));
    buf_deinit(&b);
}

/* ---- account info ---- */

static void api_info(struct api_ctx *c)
{
    struct jetstream *js = c->js;
    struct js_account_info ai;
    memset(&ai, 0, sizeof(ai));
    pthread_mutex_lock(&js->lock);
    uint64_t mem, sto;
    js__usage(js, &mem, &sto);
    ai.memory = mem;
    ai.storage = sto;
    ai.streams = (int64_t)js->nstreams;
    for (size_t i = 0; i < js->nstreams; i++)
        ai.consumers += (int64_t)js->streams[i]->nconsumers;
    pthread_mutex_unlock(&js->lock);
    ai.limits.max_memory = -1;
    ai.limits.max_storage = -1;
    ai.limits.max_streams = -1;
    ai.limits.max_consumers = -1;
    ai.limits.max_ack_pending = -1;
    ai.limits.memory_max_stream_bytes = -1;
    ai.limits.storage_max_stream_bytes = -1;
    ai.domain = js->opts->js_domain;
    ai.api_total = atomic_load(&js->api_total);
    ai.api_errors = atomic_load(&js->api_errors);
    js_resp_account_info(&c->out, &ai);
}

/* ---- stream create / update ---- */

static const struct js_stream_config *lookup_cfg(void *arg, const char *name)
{
    struct stream *st = js__stream_find(arg, name);
    return st ? &st->cfg : NULL;
}

/* True when a subject of <cfg> overlaps one of another stream (js->lock). */
static bool overlaps_other(struct jetstream *js, const struct js_stream_config *cfg)
{
    for (size_t i = 0; i < js->nstreams; i++) {
        const struct js_stream_config *o = &js->streams[i]->cfg;
        if (strcmp(o->name, cfg->name) == 0)
            continue;
        for (size_t a = 0; a < cfg->nsubjects; a++)
            for (size_t b = 0; b < o->nsubjects; b++)
                if (subj_overlaps(cfg->subjects[a], strlen(cfg->subjects[a]), o->subjects[b],
                                  strlen(o->subjects[b])))
                    return true;
    }
    return false;
}

/* Reserved bytes of streams that set max_bytes, by storage (js->lock). */
static int64_t reserved(struct jetstream *js, enum js_storage kind, const char *skip)
{
    int64_t r = 0;
    for (size_t i = 0; i < js->nstreams; i++) {
        const struct js_stream_config *o = &js->streams[i]->cfg;
        if (o->storage == kind && o->max_bytes > 0 && (!skip || strcmp(o->name, skip) != 0))
            r += o->max_bytes;
    }
    return r;
}

static enum js_err check_resources(struct jetstream *js, const struct js_stream_config *cfg)
{
    if (cfg->max_bytes <= 0)
        return JS_ERR_NONE;
    if (cfg->storage == JS_STORAGE_MEMORY) {
        if (reserved(js, JS_STORAGE_MEMORY, cfg->name) + cfg->max_bytes > js->max_memory)
            return JS_ERR_MEMORY_RESOURCES_EXCEEDED;
    } else if (reserved(js, JS_STORAGE_FILE, cfg->name) + cfg->max_bytes > js->max_storage) {
        return JS_ERR_STORAGE_RESOURCES_EXCEEDED;
    }
    return JS_ERR_NONE;
}

static void respond_info(struct api_ctx *c, struct stream *st, enum js_resp_type t)
{
    struct js_stream_info si;
    struct js_stream_state state;
    pthread_mutex_lock(&st->lock);
    js__stream_info(st, &si, &state);
    if (t == JS_RESP_STREAM_CREATE)
        js_resp_stream_create(&c->out, &si);
    else
        js_resp_stream_update(&c->out, &si);
    pthread_mutex_unlock(&st->lock);
}

static void api_stream_create(struct api_ctx *c)
{
    struct jetstream *js = c->js;
    const enum js_resp_type T = JS_RESP_STREAM_CREATE;
    struct js_stream_config cfg;
    enum js_err e = JS_ERR_NONE;
    char desc[512] = "";
    if (js_stream_config_parse(c->m->data.p, c->m->data.len, &cfg, &e, desc, sizeof(desc))) {
        respond_error(c, T, e, desc);
        goto out;
    }
    pthread_mutex_lock(&js->lock);
    struct js_stream_env env = {.lookup = lookup_cfg, .lookup_arg = js};
    if (js_stream_config_check_create(c->name, &cfg, &env, &e, desc, sizeof(desc))) {
        pthread_mutex_unlock(&js->lock);
        respond_error(c, T, e, desc);
        goto out;
    }
    struct stream *st = js__stream_find(js, cfg.name);
    if (st) {
        bool same = js_stream_config_equal(&st->cfg, &cfg);
        pthread_mutex_unlock(&js->lock);
        if (same)
            respond_info(c, st, T);
        else
            respond_error(c, T, JS_ERR_STREAM_NAME_EXIST, no_desc);
        goto out;
    }
    if (overlaps_other(js, &cfg)) {
        pthread_mutex_unlock(&js->lock);
        respond_error(c, T, JS_ERR_STREAM_SUBJECT_OVERLAP, no_desc);
        goto out;
    }
    if ((e = check_resources(js, &cfg)) != JS_ERR_NONE) {
        pthread_mutex_unlock(&js->lock);
        respond_error(c, T, e, no_desc);
        goto out;
    }
    if (js__stream_open(js, &cfg, clock_real_ns(), false, &st, &e, desc, sizeof(desc))) {
        pthread_mutex_unlock(&js->lock);
        respond_error(c, T, e, desc);
        goto out;
    }
    js__stream_add(js, st);
    pthread_mutex_unlock(&js->lock);
    if (js__stream_subscribe(st) != 0)
        log_error("JetStream stream '%s': cannot subscribe its subjects", st->cfg.name);
    respond_info(c, st, T);
    advisory(c, "CREATED", st->cfg.name);
out:
    js_stream_config_deinit(&cfg);
}

static void api_stream_update(struct api_ctx *c)
{
    struct jetstream *js = c->js;
    const enum js_resp_type T = JS_RESP_STREAM_UPDATE;
    struct js_stream_config cfg;
    enum js_err e = JS_ERR_NONE;
    char desc[512] = "";
    if (js_stream_config_parse(c->m->data.p, c->m->data.len, &cfg, &e, desc, sizeof(desc))) {
        respond_error(c, T, e, desc);
        goto out;
    }
    pthread_mutex_lock(&js->lock);
    struct stream *st = js__stream_find(js, c->name);
    struct js_stream_env env = {.lookup = lookup_cfg, .lookup_arg = js};
    if (js_stream_config_check_update(c->name, st ? &st->cfg : NULL, &cfg, &env, &e, desc,
                                      sizeof(desc))) {
        pthread_mutex_unlock(&js->lock);
        respond_error(c, T, e, desc);
        goto out;
    }
    if (overlaps_other(js, &cfg)) {
        pthread_mutex_unlock(&js->lock);
        respond_error(c, T, JS_ERR_STREAM_SUBJECT_OVERLAP, no_desc);
        goto out;
    }
    if ((e = check_resources(js, &cfg)) != JS_ERR_NONE) {
        pthread_mutex_unlock(&js->lock);
        respond_error(c, T, e, no_desc);
        goto out;
    }
    js__stream_ref(st);
    pthread_mutex_unlock(&js->lock);
    if (js__stream_update(st, c->w, &cfg, &e, desc, sizeof(desc)))
        respond_error(c, T, e, desc);
    else {
        respond_info(c, st, T);
        advisory(c, "UPDATED", st->cfg.name);
    }
    js__stream_unref(st);
out:
    js_stream_config_deinit(&cfg);
}

/* Finds the stream named by the subject, with a reference; answers 10059. */
static struct stream *get_stream(struct api_ctx *c, enum js_resp_type t)
{
    pthread_mutex_lock(&c->js->lock);
    struct stream *st = js__stream_find(c->js, c->name);
    if (st)
        js__stream_ref(st);
    pthread_mutex_unlock(&c->js->lock);
    if (!st)
        respond_error(c, t, JS_ERR_STREAM_NOT_FOUND, no_desc);
    return st;
}

static void stream_unref_cb(void *p)
{
    js__stream_unref(p);
}

static void api_stream_delete(struct api_ctx *c)
{
    struct jetstream *js = c->js;
    pthread_mutex_lock(&js->lock);
    struct stream *st = js__stream_find(js, c->name);
    if (st)
        js__stream_remove(js, st);
    pthread_mutex_unlock(&js->lock);
    if (!st) {
        respond_error(c, JS_RESP_STREAM_DELETE, JS_ERR_STREAM_NOT_FOUND, no_desc);
        return;
    }
    char *name = xstrdup(st->cfg.name);
    js__stream_delete(st, c->w);
    srv_retire(c->w, st, stream_unref_cb); /* the table's reference */
    js__usage_refresh(js);
    js_resp_success(&c->out, JS_RESP_STREAM_DELETE);
    advisory(c, "DELETED", name);
    free(name);
}

/* ---- stream info, names, list ---- */

struct subj_collect {
    struct js_subject_count *v;
    size_t n, cap;
};

static bool collect_subject(void *arg, const struct store_subject_info *si)
{
    struct subj_collect *sc = arg;
    if (sc->n == sc->cap) {
        sc->cap = sc->cap ? sc->cap * 2 : 64;
        sc->v = xrealloc(sc->v, sc->cap * sizeof(*sc->v));
    }
    sc->v[sc->n].subject = xstrndup(si->subj, si->subj_len);
    sc->v[sc->n].count = si->msgs;
    sc->n++;
    return sc->n <= SUBJECTS_LIMIT;
}

struct seq_collect {
    uint64_t *v;
    size_t n, cap;
};

static bool collect_deleted(void *arg, uint64_t seq)
{
    struct seq_collect *sc = arg;
    if (sc->n == sc->cap) {
        sc->cap = sc->cap ? sc->cap * 2 : 64;
        sc->v = xrealloc(sc->v, sc->cap * sizeof(*sc->v));
    }
    sc->v[sc->n++] = seq;
    return true;
}

static void api_stream_info(struct api_ctx *c)
{
    const enum js_resp_type T = JS_RESP_STREAM_INFO;
    struct js_stream_info_req req;
    enum js_err e = JS_ERR_NONE;
    char desc[256] = "";
    memset(&req, 0, sizeof(req));
    if (c->m->data.len &&
        js_stream_info_req_parse(c->m->data.p, c->m->data.len, &req, &e, desc, sizeof(desc))) {
        respond_error(c, T, e, desc);
        js_stream_info_req_deinit(&req);
        return;
    }
    struct stream *st = get_stream(c, T);
    if (!st) {
        js_stream_info_req_deinit(&req);
        return;
    }
    struct subj_collect subs = {0};
    struct seq_collect dels = {0};
    struct js_stream_info si;
    struct js_stream_state state;
    pthread_mutex_lock(&st->lock);
    js__stream_info(st, &si, &state);
    if (req.subjects_filter) {
        store_subjects(st->store, req.subjects_filter, strlen(req.subjects_filter), collect_subject,
                       &subs);
        state.subjects = subs.v;
        state.nsubjects = subs.n;
    }
    if (req.deleted_details) {
        store_deleted(st->store, collect_deleted, &dels);
        state.deleted = dels.v;
        state.ndeleted = dels.n;
    }
    if (subs.n > SUBJECTS_LIMIT)
        respond_error(c, T, JS_ERR_STREAM_INFO_MAX_SUBJECTS, no_desc);
    else if (req.subjects_filter)
        js_resp_stream_info(&c->out, (int64_t)subs.n, 0, SUBJECTS_LIMIT, &si);
    else
        js_resp_stream_info(&c->out, 0, 0, 0, &si);
    pthread_mutex_unlock(&st->lock);
    for (size_t i = 0; i < subs.n; i++)
        free((char *)subs.v[i].subject);
    free(subs.v);
    free(dels.v);
    js_stream_info_req_deinit(&req);
    js__stream_unref(st);
}

/* True when stream <cfg> has a subject overlapping <filter>. */
static bool stream_matches(const struct js_stream_config *cfg, const char *filter)
{
    if (!filter || !*filter)
        return true;
    for (size_t i = 0; i < cfg->nsubjects; i++)
        if (subj_overlaps(filter, strlen(filter), cfg->subjects[i], strlen(cfg->subjects[i])))
            return true;
    return false;
}

static void api_stream_names_or_list(struct api_ctx *c, bool list)
{
    struct jetstream *js = c->js;
    const enum js_resp_type T = list ? JS_RESP_STREAM_LIST : JS_RESP_STREAM_NAMES;
    struct js_stream_names_req req;
    enum js_err e = JS_ERR_NONE;
    char desc[256] = "";
    memset(&req, 0, sizeof(req));
    if (c->m->data.len &&
        js_stream_names_req_parse(c->m->data.p, c->m->data.len, &req, &e, desc, sizeof(desc))) {
        respond_error(c, T, e, desc);
        js_stream_names_req_deinit(&req);
        return;
    }
    int64_t limit = list ? LIST_LIMIT : NAMES_LIMIT;
    pthread_mutex_lock(&js->lock);
    struct stream **match = xcalloc(js->nstreams + 1, sizeof(*match));
    size_t n = 0;
    for (size_t i = 0; i < js->nstreams; i++)
        if (stream_matches(&js->streams[i]->cfg, req.subject))
            match[n++] = js->streams[i];
    size_t off = req.offset > 0 ? (size_t)req.offset : 0;
    if (off > n)
        off = n;
    size_t cnt = n - off < (size_t)limit ? n - off : (size_t)limit;
    if (!list) {
        const char **names = xcalloc(cnt + 1, sizeof(*names));
        for (size_t i = 0; i < cnt; i++)
            names[i] = match[off + i]->cfg.name;
        js_resp_stream_names(&c->out, (int64_t)n, (int64_t)off, limit, names, cnt);
        free(names);
    } else {
        struct js_stream_info *infos = xcalloc(cnt + 1, sizeof(*infos));
        struct js_stream_state *states = xcalloc(cnt + 1, sizeof(*states));
        for (size_t i = 0; i < cnt; i++)
            pthread_mutex_lock(&match[off + i]->lock);
        for (size_t i = 0; i < cnt; i++)
            js__stream_info(match[off + i], &infos[i], &states[i]);
        js_resp_stream_list(&c->out, (int64_t)n, (int64_t)off, limit, infos, cnt, NULL, 0);
        for (size_t i = 0; i < cnt; i++)
            pthread_mutex_unlock(&match[off + i]->lock);
        free(infos);
        free(states);
    }
    pthread_mutex_unlock(&js->lock);
    free(match);
    js_stream_names_req_deinit(&req);
}

static void api_stream_names(struct api_ctx *c)
{
    api_stream_names_or_list(c, false);
}

static void api_stream_list(struct api_ctx *c)
{
    api_stream_names_or_list(c, true);
}

/* ---- purge, get, delete message ---- */

static void api_stream_purge(struct api_ctx *c)
{
    const enum js_resp_type T = JS_RESP_STREAM_PURGE;
    struct js_purge_req req;
    enum js_err e = JS_ERR_NONE;
    char desc[256] = "";
    memset(&req, 0, sizeof(req));
    struct stream *st = NULL;
    if (js_purge_req_parse(c->m->data.p, c->m->data.len, &req, &e, desc, sizeof(desc))) {
        respond_error(c, T, e, desc);
        goto out;
    }
    if (!(st = get_stream(c, T)))
        goto out;
    pthread_mutex_lock(&st->lock);
    uint64_t purged = 0;
    if (st->cfg.sealed) {
        respond_error(c, T, JS_ERR_STREAM_SEALED, no_desc);
    } else if (st->cfg.deny_purge) {
        respond_error(c, T, JS_ERR_STREAM_PURGE_FAILED, "stream purge not permitted");
    } else {
        const char *f = req.filter && *req.filter ? req.filter : NULL;
        int rc = store_purge(st->store, f, f ? strlen(f) : 0, req.seq, req.keep, &purged);
        if (rc) {
            respond_error(c, T, JS_ERR_STREAM_PURGE_FAILED, err_str(rc));
        } else {
            js__consumers_purged(st, f, req.seq || req.keep || f);
            js_resp_stream_purge(&c->out, purged);
        }
    }
    pthread_mutex_unlock(&st->lock);
    js__stream_unref(st);
    js__usage_refresh(c->js); /* a full server takes publishes again at once */
out:
    js_purge_req_deinit(&req);
}

static void api_msg_get(struct api_ctx *c)
{
    const enum js_resp_type T = JS_RESP_STREAM_MSG_GET;
    struct js_msg_get_req req;
    enum js_err e = JS_ERR_NONE;
    char desc[256] = "";
    memset(&req, 0, sizeof(req));
    struct stream *st = NULL;
    if (js_msg_get_req_parse(c->m->data.p, c->m->data.len, &req, &e, desc, sizeof(desc))) {
        respond_error(c, T, e, desc);
        goto out;
    }
    if (!(st = get_stream(c, T)))
        goto out;
    struct store_msg sm;
    struct buf scratch;
    buf_init(&scratch);
    pthread_mutex_lock(&st->lock);
    if (js__stream_get(st, &req, &sm, &scratch) == 0) {
        struct js_stored_msg jm = {
            .subject = NULL,
            .seq = sm.seq,
            .hdr = sm.hdr,
            .hdr_len = sm.hdr_len,
            .data = sm.data,
            .data_len = sm.data_len,
            .time = sm.ts,
        };
        char *subj = xstrndup(sm.subj, sm.subj_len);
        jm.subject = subj;
        js_resp_msg_get(&c->out, &jm);
        free(subj);
    } else {
        respond_error(c, T, JS_ERR_NO_MESSAGE_FOUND, no_desc);
    }
    pthread_mutex_unlock(&st->lock);
    buf_deinit(&scratch);
    js__stream_unref(st);
out:
    js_msg_get_req_deinit(&req);
}

static void api_msg_delete(struct api_ctx *c)
{
    const enum js_resp_type T = JS_RESP_STREAM_MSG_DELETE;
    struct js_msg_delete_req req;
    enum js_err e = JS_ERR_NONE;
    char desc[256] = "";
    memset(&req, 0, sizeof(req));
    if (js_msg_delete_req_parse(c->m->data.p, c->m->data.len, &req, &e, desc, sizeof(desc))) {
        respond_error(c, T, e, desc);
        return;
    }
    struct stream *st = get_stream(c, T);
    if (!st)
        return;
    pthread_mutex_lock(&st->lock);
    struct store_state ss;
    store_state_get(st->store, &ss);
    if (st->cfg.sealed)
        respond_error(c, T, JS_ERR_STREAM_SEALED, no_desc);
    else if (st->cfg.deny_delete)
        respond_error(c, T, JS_ERR_STREAM_MSG_DELETE_FAILED, "message delete not permitted");
    else if (store_remove(st->store, req.seq, !req.no_erase) != 0) {
        /* A hole inside the stream is "sequence N not found"; past either
         * end it is "no message found", as nats-server answers. */
        if (req.seq > ss.last_seq) {
            respond_error(c, T, JS_ERR_STREAM_MSG_DELETE_FAILED, "stream store EOF");
        } else if (req.seq >= ss.first_seq) {
            char n[24];
            snprintf(n, sizeof(n), "%llu", (unsigned long long)req.seq);
            js_err_format(desc, sizeof(desc), JS_ERR_SEQUENCE_NOT_FOUND, n);
            respond_error(c, T, JS_ERR_SEQUENCE_NOT_FOUND, desc);
        } else {
            respond_error(c, T, JS_ERR_STREAM_MSG_DELETE_FAILED, "no message found");
        }
    } else
        js_resp_success(&c->out, T);
    pthread_mutex_unlock(&st->lock);
    js__stream_unref(st);
    js__usage_refresh(c->js);
}

/* ---- dispatch ---- */

/* The $JS.EVENT.ADVISORY.API audit event for a handled request. */
static void audit(struct api_ctx *c)
{
    char id[NUID_LEN + 1];
    js__event_id(id);
    char *subj = xstrndup(c->m->subject.p, c->m->subject.len);
    struct js_api_audit a = {
        .id = id,
        .ts = clock_real_ns(),
        .server = srv_server_name(c->js->srv),
        .subject = subj,
        .request = c->m->data.p,
        .request_len = c->m->data.len,
        .response = buf_head(&c->out),
        .response_len = buf_size(&c->out),
        .domain = c->js->opts->js_domain,
    };
    struct buf b;
    buf_init(&b);
    js_advisory_api_audit(&b, &a);
    srv_publish(c->w, slice_cstr("$JS.EVENT.ADVISORY.API"), slice_of(NULL, 0), slice_of(NULL, 0),
                slice_of(buf_head(&b), buf_size(&b)));
    buf_deinit(&b);
    free(subj);
}

struct api_route {
    const char *subject; /* subscription filter */
    api_fn fn;
    bool named; /* last token is a stream name */
};

static void api_ignore(struct api_ctx *c)
{
    (void)c;
}

/* ---- what a single server answers without doing it ---- */

/* Leader step-downs and peer removal need a cluster: nats-server without
 * one answers 10010. */
static void api_stream_stepdown(struct api_ctx *c)
{
    respond_error(c, JS_RESP_STREAM_LEADER_STEPDOWN, JS_ERR_CLUSTER_REQUIRED, no_desc);
}

static void api_stream_peer_remove(struct api_ctx *c)
{
    respond_error(c, JS_RESP_STREAM_REMOVE_PEER, JS_ERR_CLUSTER_REQUIRED, no_desc);
}

static void api_consumer_stepdown(struct api_ctx *c)
{
    respond_error(c, JS_RESP_CONSUMER_LEADER_STEPDOWN, JS_ERR_CLUSTER_REQUIRED, no_desc);
}

/* Snapshots and restores are not implemented: a clear error instead of
 * the silence a client would wait out (docs/COMPATIBILITY.md). */
static void api_stream_snapshot(struct api_ctx *c)
{
    pthread_mutex_lock(&c->js->lock);
    bool exists = js__stream_find(c->js, c->name) != NULL;
    pthread_mutex_unlock(&c->js->lock);
    if (!exists)
        respond_error(c, JS_RESP_STREAM_SNAPSHOT, JS_ERR_STREAM_NOT_FOUND, no_desc);
    else
        respond_error(c, JS_RESP_STREAM_SNAPSHOT, JS_ERR_STREAM_SNAPSHOT,
                      "snapshot failed: stream snapshots are not supported by gannet-server");
}

static void api_stream_restore(struct api_ctx *c)
{
    respond_error(c, JS_RESP_STREAM_RESTORE, JS_ERR_STREAM_RESTORE,
                  "restore failed: stream restores are not supported by gannet-server");
}

/* The catch-all comes first and answers nothing: like nats-server, an
 * unknown API subject gets no reply (not a no-responders status). */
static const struct api_route routes[] = {
    {"$JS.API.>", api_ignore, false},
    {"$JS.API.INFO", api_info, false},
    {"$JS.API.STREAM.CREATE.*", api_stream_create, true},
    {"$JS.API.STREAM.UPDATE.*", api_stream_update, true},
    {"$JS.API.STREAM.INFO.*", api_stream_info, true},
    {"$JS.API.STREAM.DELETE.*", api_stream_delete, true},
    {"$JS.API.STREAM.PURGE.*", api_stream_purge, true},
    {"$JS.API.STREAM.NAMES", api_stream_names, false},
    {"$JS.API.STREAM.LIST", api_stream_list, false},
    {"$JS.API.STREAM.MSG.GET.*", api_msg_get, true},
    {"$JS.API.STREAM.MSG.DELETE.*", api_msg_delete, true},
    {"$JS.API.STREAM.LEADER.STEPDOWN.*", api_stream_stepdown, true},
    {"$JS.API.STREAM.PEER.REMOVE.*", api_stream_peer_remove, true},
    {"$JS.API.CONSUMER.LEADER.STEPDOWN.*.*", api_consumer_stepdown, false},
    {"$JS.API.STREAM.SNAPSHOT.*", api_stream_snapshot, true},
    {"$JS.API.STREAM.RESTORE.*", api_stream_restore, true},
};

struct api_sub_arg {
    struct jetstream *js;
    const struct api_route *route;
};

static void on_api(void *arg, struct worker *w, const struct srv_msg *m)
{
    struct api_sub_arg *a = arg;
    struct api_ctx c = {.js = a->js, .w = w, .m = m};
    buf_init(&c.out);
    char *name = NULL;
    if (a->route->named) {
        const char *dot = memrchr(m->subject.p, '.', m->subject.len);
        size_t off = dot ? (size_t)(dot - m->subject.p) + 1 : 0;
        name = xstrndup(m->subject.p + off, m->subject.len - off);
        c.name = name;
    }
    if (a->route->fn == api_ignore) {
        free(name);
        return;
    }
    atomic_fetch_add(&a->js->api_total, 1);
    a->route->fn(&c);
    if (c.error)
        atomic_fetch_add(&a->js->api_errors, 1);
    if (buf_size(&c.out)) {
        js__reply(w, m->reply, &c.out);
        audit(&c);
    }
    buf_deinit(&c.out);
    free(name);
}

int js__api_subscribe(struct jetstream *js, struct errbuf *eb)
{
    size_t n = sizeof(routes) / sizeof(routes[0]);
    js->api_subs = xcalloc(n, sizeof(*js->api_subs));
    struct api_sub_arg *args = xcalloc(n, sizeof(*args));
    js->api_args = args;
    for (size_t i = 0; i < n; i++) {
        args[i].js = js;
        args[i].route = &routes[i];
        int rc = srv_isub_add(js->srv, routes[i].subject, NULL, on_api, &args[i], &js->api_subs[i]);
        if (rc)
            return errbuf_set(eb, rc, "cannot subscribe %s", routes[i].subject);
        js->napi++;
    }
    return 0;
}
