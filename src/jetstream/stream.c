/* A stream: its store, subscriptions, the publish path (headers, dedup,
 * expectations, rollups, limits, PubAck) and direct get. Callbacks run on
 * any worker under the stream lock; see js_int.h for the locking rules. */
#include "jetstream/consumer_int.h"
#include "jetstream/js_int.h"
#include "proto/proto.h"
#include "subject/subject.h"
#include "util/clock.h"
#include "util/hist.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_HDR_SIZE (64 * 1024)
/* check_publish verdict beyond the error table: drop silently. */
#define JS_ERR__DROP ((enum js_err) - 1)

static void store_limits_of(const struct js_stream_config *c, struct store_limits *l)
{
    l->max_msgs = c->max_msgs;
    l->max_bytes = c->max_bytes;
    l->max_age_ns = c->max_age;
    l->max_msgs_per_subject = c->max_msgs_per_subject;
    l->max_msg_size = c->max_msg_size;
    l->discard = c->discard == JS_DISCARD_NEW ? STORE_DISCARD_NEW : STORE_DISCARD_OLD;
    l->discard_new_per_subject = c->discard_new_per_subject;
}

int js__stream_save_meta(struct stream *st)
{
    struct buf b;
    buf_init(&b);
    buf_appendf(&b, "{\"created_ns\":%lld,\"config\":", (long long)st->created);
    js_stream_config_json(&b, &st->cfg);
    buf_append_str(&b, "}\n");
    int rc = js__write_file(st->dir, "meta.inf", buf_head(&b), buf_size(&b), true);
    buf_deinit(&b);
    return rc;
}

int js__stream_open(struct jetstream *js, struct js_stream_config *cfg, int64_t created,
                    bool recover, struct stream **out, enum js_err *e, char *desc, size_t cap)
{
    struct stream *st = xcalloc(1, sizeof(*st));
    st->js = js;
    atomic_init(&st->refs, 1);
    pthread_mutex_init(&st->lock, NULL);
    st->cfg = *cfg; /* moved */
    js_stream_config_init(cfg);
    st->created = created;
    js_dedup_init(&st->dedup);
    size_t n = strlen(js->root) + strlen(st->cfg.name) + 8;
    st->dir = xmalloc(n);
    snprintf(st->dir, n, "%s/%s", js->root, st->cfg.name);
    if (mkdir(st->dir, 0750) != 0 && errno != EEXIST) {
        snprintf(desc, cap, "failed to create stream directory: %s", strerror(errno));
        *e = JS_ERR_STREAM_CREATE;
        goto fail;
    }
    char msgs[4096];
    snprintf(msgs, sizeof(msgs), "%s/msgs", st->dir);
    struct store_config sc = {0};
    sc.kind = st->cfg.storage == JS_STORAGE_MEMORY ? STORE_MEMORY : STORE_FILE;
    sc.dir = msgs;
    sc.first_seq = st->cfg.first_seq ? st->cfg.first_seq : 1;
    sc.sync_hist = &st->js->hists[HIST_STORE_SYNC];
    /* Acks wait for the commit thread's sync anyway: the worker writes a
     * loop iteration's appends at once before it hands them over. */
    sc.write_behind = st->js->opts->sync_interval_ns <= 0;
    store_limits_of(&st->cfg, &sc.limits);
    struct errbuf eb = {{0}};
    if (store_open(&sc, &st->store, &eb) != 0) {
        snprintf(desc, cap, "%s", eb.msg);
        *e = JS_ERR_STREAM_CREATE;
        goto fail;
    }
    if (!recover && js__stream_save_meta(st) != 0) {
        snprintf(desc, cap, "failed to write stream metadata: %s", strerror(errno));
        *e = JS_ERR_STREAM_CREATE;
        goto fail;
    }
    /* A new stream's directory entries (msgs/ in its directory, the
     * directory in the streams root) are durable before the create is
     * answered, like its messages are before their acks. */
    if (!recover && st->cfg.storage == JS_STORAGE_FILE &&
        (js__fsync_dir(st->dir) != 0 || js__fsync_dir(js->root) != 0)) {
        snprintf(desc, cap, "failed to sync stream directory: %s", strerror(errno));
        *e = JS_ERR_STREAM_CREATE;
        goto fail;
    }
    *out = st;
    return 0;
fail:
    js__stream_free(st);
    return ERR_IO;
}

void js__stream_free(struct stream *st)
{
    if (!st)
        return;
    js__consumers_drop(st, !st->deleted, NULL); /* also the (maybe empty) array and outq */
    free(st->outq);
    /* A window never rebuilt (no publish needed it) is not saved: the next
     * start scans for it again. */
    if (st->store && st->cfg.storage == JS_STORAGE_FILE && !st->deleted && !st->dedup_pending) {
        struct store_state ss;
        store_state_get(st->store, &ss);
        char path[4096];
        snprintf(path, sizeof(path), "%s/dedup.inf", st->dir);
        js_dedup_expire(&st->dedup, clock_real_ns(), st->cfg.duplicate_window);
        if (js_dedup_save(&st->dedup, path, ss.last_seq) != 0)
            unlink(path);
    }
    if (st->store)
        store_close(st->store);
    js_dedup_deinit(&st->dedup);
    js_stream_config_deinit(&st->cfg);
    free(st->subs);
    free(st->dir);
    free(st->last_msg_id);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

/* ---- publish ---- */

static void pub_error(struct stream *st, struct worker *w, struct slice reply, enum js_err e,
                      const char *desc)
{
    if (!reply.len)
        return;
    struct buf b;
    buf_init(&b);
    js_pub_ack_error_json(&b, st->cfg.name, e, desc);
    js__reply_ack(w, reply, &b);
    buf_deinit(&b);
}

/* Reads a numeric header. Returns false when absent; a value that is not a
 * number reads as UINT64_MAX, which matches no sequence (nats-server then
 * answers "wrong last sequence" too). */
static bool hdr_u64(struct slice hdr, const char *name, uint64_t *v)
{
    struct slice s;
    if (!hdr.len || !proto_hdr_get(hdr, name, &s))
        return false;
    uint64_t x = 0;
    bool ok = s.len > 0 && s.len <= 19;
    for (size_t i = 0; ok && i < s.len; i++) {
        ok = s.p[i] >= '0' && s.p[i] <= '9';
        x = x * 10 + (uint64_t)(s.p[i] - '0');
    }
    *v = ok ? x : UINT64_MAX;
    return true;
}

static void dedup_ensure(struct stream *st);

/* The header checks of check_publish (below): expected stream, dedup, expected
 * last subject sequence, last sequence and last msg id, rollup. */
static enum js_err check_headers(struct stream *st, const struct srv_msg *m, bool *dup,
                                 uint64_t *dupseq, char *desc, size_t cap)
{
    const struct js_stream_config *c = &st->cfg;
    struct slice h = m->hdr, v;
    if (proto_hdr_get(h, "Nats-Expected-Stream", &v) && !slice_eq_cstr(v, c->name))
        return JS_ERR_STREAM_NOT_MATCH;
    if (st->dedup_pending &&
        (proto_hdr_get(h, "Nats-Msg-Id", &v) || proto_hdr_get(h, "Nats-Expected-Last-Msg-Id", &v)))
        dedup_ensure(st);
    if (proto_hdr_get(h, "Nats-Msg-Id", &v) && v.len) {
        js_dedup_expire(&st->dedup, clock_real_ns(), c->duplicate_window);
        if (js_dedup_find(&st->dedup, v.p, v.len, dupseq)) {
            *dup = true;
            return JS_ERR_NONE;
        }
    }
    uint64_t want;
    if (hdr_u64(h, "Nats-Expected-Last-Subject-Sequence", &want)) {
        struct store_msg sm;
        struct buf scratch;
        buf_init(&scratch);
        uint64_t last = 0;
        if (store_load_last(st->store, m->subject.p, m->subject.len, &sm, &scratch) == 0)
            last = sm.seq;
        buf_deinit(&scratch);
        if (want != last) {
            char n[24];
            snprintf(n, sizeof(n), "%llu", (unsigned long long)last);
            js_err_format(desc, cap, JS_ERR_STREAM_WRONG_LAST_SEQUENCE, n);
            return JS_ERR_STREAM_WRONG_LAST_SEQUENCE;
        }
    }
    struct store_state ss;
    store_state_get(st->store, &ss);
    if (hdr_u64(h, "Nats-Expected-Last-Sequence", &want) && want != ss.last_seq) {
        char n[24];
        snprintf(n, sizeof(n), "%llu", (unsigned long long)ss.last_seq);
        js_err_format(desc, cap, JS_ERR_STREAM_WRONG_LAST_SEQUENCE, n);
        return JS_ERR_STREAM_WRONG_LAST_SEQUENCE;
    }
    if (proto_hdr_get(h, "Nats-Expected-Last-Msg-Id", &v)) {
        const char *last = st->last_msg_id ? st->last_msg_id : "";
        if (!slice_eq_cstr(v, last)) {
            js_err_format(desc, cap, JS_ERR_STREAM_WRONG_LAST_MSG_ID, last);
            return JS_ERR_STREAM_WRONG_LAST_MSG_ID;
        }
    }
    if (proto_hdr_get(h, "Nats-Rollup", &v)) {
        if (!c->allow_rollup_hdrs) {
            snprintf(desc, cap, "rollup not permitted");
            return JS_ERR_STREAM_ROLLUP_FAILED;
        }
        if (!slice_eq_cstr(v, "sub") && !slice_eq_cstr(v, "all"))
            return JS_ERR__DROP; /* nats-server drops it without a PubAck */
    }
    return JS_ERR_NONE;
}

/* The checks of the Nats-Expected-* headers, the dedup and the sizes, in
 * nats-server's order: the header checks (a duplicate answers before the
 * size is looked at), then the message size, then the storage limits.
 * Returns JS_ERR_NONE to store, or an error with <desc> filled. Sets
 * *<dup> when the message is a duplicate of *<dupseq>. st->lock held. */
static enum js_err check_publish(struct stream *st, const struct srv_msg *m, bool *dup,
                                 uint64_t *dupseq, char *desc, size_t cap)
{
    const struct js_stream_config *c = &st->cfg;
    desc[0] = '\0';
    if (c->sealed)
        return JS_ERR_STREAM_SEALED;
    if (m->hdr.len > MAX_HDR_SIZE)
        return JS_ERR_STREAM_HEADER_EXCEEDS_MAXIMUM;
    enum js_err e = m->hdr.len ? check_headers(st, m, dup, dupseq, desc, cap) : JS_ERR_NONE;
    if (e != JS_ERR_NONE || *dup)
        return e;
    if (c->max_msg_size > 0 && (int64_t)(m->hdr.len + m->data.len) > c->max_msg_size)
        return JS_ERR_STREAM_MESSAGE_EXCEEDS_MAXIMUM;
    /* The server's storage limits (max_file_store / max_memory_store,
     * or 75% of the disk / memory), checked against usage measured every
     * timer tick, as nats-server answers "insufficient resources". */
    if (atomic_load(c->storage == JS_STORAGE_MEMORY ? &st->js->memory_full : &st->js->storage_full))
        return JS_ERR_INSUFFICIENT_RESOURCES;
    return JS_ERR_NONE;
}

/* Why a DISCARD_NEW limit refused a message, in nats-server's words. */
static const char *limit_reason(struct stream *st, size_t size)
{
    struct store_state ss;
    store_state_get(st->store, &ss);
    const struct js_stream_config *c = &st->cfg;
    if (c->max_msgs > 0 && (int64_t)ss.msgs >= c->max_msgs)
        return "maximum messages exceeded";
    if (c->max_bytes > 0 && (int64_t)(ss.bytes + size) > c->max_bytes)
        return "maximum bytes exceeded";
    return "maximum messages per subject exceeded";
}

/* Rollup after storing <seq>: keep only it on its subject, or in the
 * stream. st->lock held. */
static void apply_rollup(struct stream *st, const struct srv_msg *m, uint64_t seq)
{
    struct slice v;
    uint64_t purged = 0;
    if (!proto_hdr_get(m->hdr, "Nats-Rollup", &v))
        return;
    int rc = slice_eq_cstr(v, "all")
                 ? store_purge(st->store, NULL, 0, seq, 0, &purged)
                 : store_purge(st->store, m->subject.p, m->subject.len, 0, 1, &purged);
    if (rc)
        log_error("JetStream stream '%s': rollup failed: %s", st->cfg.name, err_str(rc));
}

/* Remembers the stored message's Nats-Msg-Id: in the dedup window, and as
 * the stream's last id (NULL when the last message had none). */
static void record_msg_id(struct stream *st, const struct srv_msg *m, uint64_t seq, int64_t ts)
{
    struct slice v;
    FREE_AND_NULL(st->last_msg_id);
    if (!m->hdr.len || !proto_hdr_get(m->hdr, "Nats-Msg-Id", &v) || !v.len)
        return;
    if (!st->msg_ids_used && st->cfg.storage == JS_STORAGE_FILE) {
        /* Marks the stream as using message ids, so that crash recovery
         * knows whether rebuilding the window needs a scan at all. */
        char path[4096];
        snprintf(path, sizeof(path), "%s/msgids.used", st->dir);
        FILE *f = fopen(path, "w");
        if (f)
            fclose(f);
    }
    st->msg_ids_used = true;
    dedup_ensure(st); /* (check_publish did already; a cheap test) */
    js_dedup_add(&st->dedup, v.p, v.len, seq, ts);
    st->last_msg_id = xstrndup(v.p, v.len);
}

/* The RePublish copy of a stored message: the transformed subject into
 * <subj>, the original headers plus Nats-Stream, Nats-Subject,
 * Nats-Sequence and Nats-Last-Sequence (and Nats-Msg-Size when only
 * headers go out) into <hdr>. Returns false when <m> is not republished. */
static bool republish_build(struct stream *st, const struct srv_msg *m, uint64_t seq, uint64_t last,
                            struct buf *subj, struct buf *hdr)
{
    const struct js_republish *rp = st->cfg.republish;
    if (!rp || !subj_matches(rp->src, strlen(rp->src), m->subject.p, m->subject.len) ||
        js_subject_transform(rp->src, rp->dest, m->subject.p, m->subject.len, subj) != 0)
        return false;
    if (m->hdr.len >= 4)
        buf_append(hdr, m->hdr.p, m->hdr.len - 2);
    else
        buf_append_str(hdr, "NATS/1.0\r\n");
    buf_appendf(hdr, "Nats-Stream: %s\r\nNats-Subject: %.*s\r\nNats-Sequence: %llu\r\n",
                st->cfg.name, (int)m->subject.len, m->subject.p, (unsigned long long)seq);
    buf_appendf(hdr, "Nats-Last-Sequence: %llu\r\n", (unsigned long long)last);
    if (rp->headers_only)
        buf_appendf(hdr, "Nats-Msg-Size: %zu\r\n", m->data.len);
    buf_append_str(hdr, "\r\n");
    return true;
}

static void on_publish(void *arg, struct worker *w, const struct srv_msg *m)
{
    struct stream *st = arg;
    struct jetstream *js = st->js;
    char desc[256];
    bool dup = false;
    uint64_t seq = 0;
    int64_t t0 = clock_mono_ns();
    pthread_mutex_lock(&st->lock);
    if (st->deleted) {
        pthread_mutex_unlock(&st->lock);
        return;
    }
    enum js_err e = check_publish(st, m, &dup, &seq, desc, sizeof(desc));
    struct buf rp_subj, rp_hdr;
    bool rp = false;
    buf_init(&rp_subj);
    buf_init(&rp_hdr);
    if (e == JS_ERR_NONE && !dup) {
        uint64_t last = 0; /* Nats-Last-Sequence: the subject's previous message */
        if (st->cfg.republish) {
            struct store_msg sm;
            struct buf scratch;
            buf_init(&scratch);
            if (store_load_last(st->store, m->subject.p, m->subject.len, &sm, &scratch) == 0)
                last = sm.seq;
            buf_deinit(&scratch);
        }
        int64_t ts = clock_real_ns();
        const char *hp = m->hdr.len ? m->hdr.p : NULL;
        int rc = store_append(st->store, m->subject.p, m->subject.len, hp, m->hdr.len, m->data.p,
                              m->data.len, ts, &seq);
        if (rc == ERR_LIMIT) {
            e = JS_ERR_STREAM_STORE_FAILED;
            snprintf(desc, sizeof(desc), "%s", limit_reason(st, m->hdr.len + m->data.len));
        } else if (rc == ERR_INVAL) {
            e = JS_ERR_STREAM_MESSAGE_EXCEEDS_MAXIMUM;
        } else if (rc) {
            e = JS_ERR_STREAM_STORE_FAILED;
            snprintf(desc, sizeof(desc), "failed to store message: %s", err_str(rc));
            log_error("JetStream stream '%s': store failed: %s", st->cfg.name, err_str(rc));
        } else {
            record_msg_id(st, m, seq, ts);
            rp = republish_build(st, m, seq, last, &rp_subj, &rp_hdr);
            if (m->hdr.len && st->cfg.allow_rollup_hdrs)
                apply_rollup(st, m, seq);
            /* Interest retention keeps a message only while a consumer is
             * interested in it; with no consumer (all there is until
             * consumers exist) it is acked and dropped, as nats-server does. */
            if (st->cfg.retention == JS_RETENTION_INTEREST && !js__consumers_interested(st, seq) &&
                store_remove(st->store, seq, false))
                log_error("JetStream stream '%s': cannot drop uninteresting message %llu",
                          st->cfg.name, (unsigned long long)seq);
        }
    }
    bool file = st->cfg.storage == JS_STORAGE_FILE;
    bool durable_ack = file && js->opts->sync_interval_ns <= 0;
    bool no_ack = st->cfg.no_ack;
    bool notify = e == JS_ERR_NONE && !dup && st->nconsumers > 0;
    bool rp_hdr_only = rp && st->cfg.republish->headers_only;
    pthread_mutex_unlock(&st->lock);
    if (rp)
        srv_publish(w, slice_of(buf_head(&rp_subj), buf_size(&rp_subj)), slice_of("", 0),
                    slice_of(buf_head(&rp_hdr), buf_size(&rp_hdr)),
                    rp_hdr_only ? slice_of("", 0) : m->data);
    buf_deinit(&rp_subj);
    buf_deinit(&rp_hdr);
    if (durable_ack && e == JS_ERR_NONE && !dup)
        js__flush_later(js, w, st);
    if (notify)
        js__consumers_notify(st, w);
    if (no_ack || !m->reply.len)
        return;
    if (e == JS_ERR__DROP)
        return;
    if (e != JS_ERR_NONE) {
        pub_error(st, w, m->reply, e, desc[0] ? desc : NULL);
        return;
    }
    if (!dup && durable_ack) {
        js__ack_later(js, w, st, m->reply, seq, t0);
        return;
    }
    struct buf b;
    buf_init(&b);
    js_pub_ack_json(&b, st->cfg.name, js->opts->js_domain, seq, dup);
    js__reply_ack(w, m->reply, &b);
    buf_deinit(&b);
    hist_record(&js->hists[HIST_JS_PUBLISH_ACK], clock_mono_ns() - t0);
}

/* ---- direct get ---- */

/* Loads the message a get request asks for. st->lock held. */
int js__stream_get(struct stream *st, const struct js_msg_get_req *r, struct store_msg *sm,
                   struct buf *scratch)
{
    if (r->last_by_subj)
        return store_load_last(st->store, r->last_by_subj, strlen(r->last_by_subj), sm, scratch);
    if (r->next_by_subj)
        return store_load_next(st->store, r->seq ? r->seq : 1, r->next_by_subj,
                               strlen(r->next_by_subj), sm, scratch);
    return store_load(st->store, r->seq, sm, scratch);
}

static void direct_status(struct worker *w, struct slice reply, const char *status)
{
    char hdr[128];
    int n = snprintf(hdr, sizeof(hdr), "NATS/1.0 %s\r\n\r\n", status);
    srv_publish_ex(w, reply, slice_of(NULL, 0), slice_of(hdr, (size_t)n), slice_of(NULL, 0), true);
}

/* Appends the stored headers (without their blank line) plus the direct
 * get headers to <b>. */
static void direct_headers(struct buf *b, const char *stream, const struct store_msg *sm)
{
    if (sm->hdr_len >= 4 && memcmp(sm->hdr + sm->hdr_len - 4, "\r\n\r\n", 4) == 0) {
        buf_append(b, sm->hdr, sm->hdr_len - 2);
    } else {
        buf_append_str(b, "NATS/1.0\r\n");
    }
    char ts[64];
    js_time_fmt(sm->ts, 0, ts, sizeof(ts));
    buf_appendf(b,
                "Nats-Stream: %s\r\nNats-Subject: %.*s\r\nNats-Sequence: %llu\r\n"
                "Nats-Time-Stamp: %s\r\n\r\n",
                stream, (int)sm->subj_len, sm->subj, (unsigned long long)sm->seq, ts);
}

static void on_direct_get(void *arg, struct worker *w, const struct srv_msg *m)
{
    struct stream *st = arg;
    if (!m->reply.len)
        return;
    struct js_msg_get_req req;
    memset(&req, 0, sizeof(req));
    /* $JS.API.DIRECT.GET.<stream>.<subject...>: last message on that subject. */
    size_t plen = strlen("$JS.API.DIRECT.GET.") + strlen(st->cfg.name);
    bool by_subject = m->subject.len > plen + 1;
    if (by_subject) {
        if (m->data.len) {
            direct_status(w, m->reply, "408 Bad Request");
            return;
        }
        req.last_by_subj = xstrndup(m->subject.p + plen + 1, m->subject.len - plen - 1);
    } else {
        const char *status = NULL;
        if (js_direct_get_req_parse(m->data.p, m->data.len, &req, &status) != 0) {
            js_msg_get_req_deinit(&req);
            srv_publish_ex(w, m->reply, slice_of(NULL, 0), slice_cstr(status), slice_of(NULL, 0),
                           true);
            return;
        }
    }
    struct store_msg sm;
    struct buf scratch, hdr;
    buf_init(&scratch);
    buf_init(&hdr);
    pthread_mutex_lock(&st->lock);
    int rc = st->deleted ? ERR_NOTFOUND : js__stream_get(st, &req, &sm, &scratch);
    if (rc == 0) {
        direct_headers(&hdr, st->cfg.name, &sm);
        struct buf data;
        buf_init(&data);
        buf_append(&data, sm.data, sm.data_len);
        pthread_mutex_unlock(&st->lock);
        srv_publish_ex(w, m->reply, slice_of(NULL, 0), slice_of(buf_head(&hdr), buf_size(&hdr)),
                       slice_of(buf_head(&data), buf_size(&data)), true);
        buf_deinit(&data);
    } else {
        pthread_mutex_unlock(&st->lock);
        direct_status(w, m->reply, "404 Message Not Found");
    }
    buf_deinit(&hdr);
    buf_deinit(&scratch);
    js_msg_get_req_deinit(&req);
}

/* ---- subscriptions ---- */

static void unsubscribe(struct stream *st, struct worker *w)
{
    for (size_t i = 0; i < st->nsubs; i++)
        srv_isub_remove(st->js->srv, w, st->subs[i]);
    st->nsubs = 0;
    for (int i = 0; i < 2; i++) {
        srv_isub_remove(st->js->srv, w, st->direct[i]);
        st->direct[i] = NULL;
    }
}

int js__stream_subscribe(struct stream *st)
{
    struct server *s = st->js->srv;
    st->subs = xrealloc(st->subs, (st->cfg.nsubjects + 1) * sizeof(*st->subs));
    for (size_t i = 0; i < st->cfg.nsubjects; i++) {
        int rc = srv_isub_add(s, st->cfg.subjects[i], NULL, on_publish, st, &st->subs[i]);
        if (rc)
            return rc;
        st->nsubs++;
    }
    if (st->cfg.allow_direct) {
        char subj[512];
        snprintf(subj, sizeof(subj), "$JS.API.DIRECT.GET.%s", st->cfg.name);
        int rc = srv_isub_add(s, subj, "_sys_", on_direct_get, st, &st->direct[0]);
        if (rc)
            return rc;
        snprintf(subj, sizeof(subj), "$JS.API.DIRECT.GET.%s.>", st->cfg.name);
        rc = srv_isub_add(s, subj, "_sys_", on_direct_get, st, &st->direct[1]);
        if (rc)
            return rc;
    }
    return 0;
}

static void rmtree(const char *path)
{
    char cmd[4200];
    struct stat sb;
    if (stat(path, &sb) != 0)
        return;
    /* Stream directories hold only our files: meta.inf and the store's. */
    DIR *d = opendir(path);
    if (!d) {
        unlink(path);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(cmd, sizeof(cmd), "%s/%s", path, de->d_name);
        rmtree(cmd);
    }
    closedir(d);
    rmdir(path);
}

void js__stream_delete(struct stream *st, struct worker *w)
{
    unsubscribe(st, w);
    struct cq q = {0};
    pthread_mutex_lock(&st->lock);
    js__consumers_drop(st, false, &q);
    st->deleted = true;
    store_destroy(st->store);
    st->store = NULL;
    pthread_mutex_unlock(&st->lock);
    cq_flush(&q, w); /* before the caller's answer, as nats-server does */
    rmtree(st->dir);
}

int js__stream_update(struct stream *st, struct worker *w, struct js_stream_config *cfg,
                      enum js_err *e, char *desc, size_t cap)
{
    unsubscribe(st, w);
    pthread_mutex_lock(&st->lock);
    js_stream_config_deinit(&st->cfg);
    st->cfg = *cfg;
    js_stream_config_init(cfg);
    struct store_limits lim;
    store_limits_of(&st->cfg, &lim);
    store_set_limits(st->store, &lim);
    int rc = js__stream_save_meta(st);
    pthread_mutex_unlock(&st->lock);
    if (rc) {
        *e = JS_ERR_STREAM_UPDATE;
        snprintf(desc, cap, "failed to write stream metadata: %s", strerror(-rc));
    }
    if (js__stream_subscribe(st) != 0 && !rc) {
        *e = JS_ERR_STREAM_UPDATE;
        snprintf(desc, cap, "failed to subscribe stream subjects");
        rc = ERR_INVAL;
    }
    return rc;
}

int64_t js__stream_expire(struct stream *st, int64_t now)
{
    pthread_mutex_lock(&st->lock);
    int64_t next = st->deleted ? 0 : store_expire(st->store, now);
    pthread_mutex_unlock(&st->lock);
    return next;
}

void js__stream_info(struct stream *st, struct js_stream_info *si, struct js_stream_state *state)
{
    struct store_state ss;
    store_state_get(st->store, &ss);
    memset(state, 0, sizeof(*state));
    state->messages = ss.msgs;
    state->bytes = ss.bytes;
    state->first_seq = ss.first_seq;
    state->first_ts = ss.first_ts;
    state->last_seq = ss.last_seq;
    state->last_ts = ss.last_ts;
    state->num_subjects = (int64_t)ss.num_subjects;
    state->num_deleted = (int64_t)ss.num_deleted;
    state->consumer_count = (int64_t)st->nconsumers;
    if (ss.msgs == 0) {
        /* nats-server's empty stream: first_seq 0 until something was
         * stored; afterwards first_ts repeats the last message's time. */
        if (ss.last_seq == 0)
            state->first_seq = 0;
        else
            state->first_ts = ss.last_ts;
    }
    memset(si, 0, sizeof(*si));
    si->config = &st->cfg;
    si->created = st->created;
    si->state = state;
    si->domain = st->js->opts->js_domain;
}

/* ---- recovery ---- */

/* Scans the stored messages younger than duplicate_window into the dedup
 * window (first such message found by binary search on the monotonic
 * timestamps, probing with store_load_next so that deleted sequences are
 * stepped over, then walking forward) and restores the stream's last
 * message id. st->lock held or not yet shared. */
static void dedup_scan(struct stream *st)
{
    struct store_state ss;
    store_state_get(st->store, &ss);
    int64_t cutoff = clock_real_ns() - st->cfg.duplicate_window;
    struct store_msg sm;
    struct buf scratch;
    buf_init(&scratch);
    uint64_t lo = ss.first_seq, hi = ss.last_seq + 1;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (store_load_next(st->store, mid, NULL, 0, &sm, &scratch) != 0 || sm.ts >= cutoff)
            hi = mid;
        else
            lo = sm.seq + 1;
    }
    for (uint64_t seq = lo; store_load_next(st->store, seq, NULL, 0, &sm, &scratch) == 0;
         seq = sm.seq + 1) {
        struct slice v;
        if (sm.hdr_len && proto_hdr_get(slice_of(sm.hdr, sm.hdr_len), "Nats-Msg-Id", &v) && v.len)
            js_dedup_add(&st->dedup, v.p, v.len, sm.seq, sm.ts);
    }
    size_t idlen;
    const char *last = js_dedup_last(&st->dedup, ss.last_seq, &idlen);
    if (last) {
        free(st->last_msg_id);
        st->last_msg_id = xstrndup(last, idlen);
    }
    buf_deinit(&scratch);
}

/* Before the window is used (a publish with Nats-Msg-Id or
 * Nats-Expected-Last-Msg-Id): the scan recovery deferred. st->lock held. */
static void dedup_ensure(struct stream *st)
{
    if (!st->dedup_pending)
        return;
    st->dedup_pending = false;
    dedup_scan(st);
}

/* Restores the de-duplication window at recovery, so a retried publish
 * after a restart is still caught: from dedup.inf when a clean stop saved
 * it (no scan; the file is removed so that a later crash cannot reuse it),
 * else by scanning the messages inside the window — deferred to the first
 * publish that needs it (dedup_ensure), so that start-up does not wait for
 * it, as nats-server's does not. Streams that never saw a message id
 * (no msgids.used marker) need neither. */
static void rebuild_dedup(struct stream *st)
{
    struct store_state ss;
    store_state_get(st->store, &ss);
    char path[4096];
    snprintf(path, sizeof(path), "%s/dedup.inf", st->dir);
    int rc = js_dedup_load(&st->dedup, path, ss.last_seq);
    unlink(path);
    snprintf(path, sizeof(path), "%s/msgids.used", st->dir);
    st->msg_ids_used = access(path, F_OK) == 0;
    size_t idlen;
    const char *last;
    if (rc == 0 && (last = js_dedup_last(&st->dedup, ss.last_seq, &idlen)) != NULL) {
        free(st->last_msg_id);
        st->last_msg_id = xstrndup(last, idlen);
    }
    st->dedup_pending = rc != 0 && st->msg_ids_used && ss.msgs && st->cfg.duplicate_window > 0;
}

int js__stream_recover_meta(struct jetstream *js, const char *dirname, const char *json, size_t len,
                            struct errbuf *eb)
{
    json_error_t jerr;
    json_t *root = json_loadb(json, len, 0, &jerr);
    json_t *jc = root ? json_object_get(root, "config") : NULL;
    if (!jc) {
        json_decref(root);
        log_error("JetStream: skipping stream directory %s: bad meta.inf (%s)", dirname, jerr.text);
        return 0;
    }
    char *cfgtext = json_dumps(jc, JSON_COMPACT);
    int64_t created = json_integer_value(json_object_get(root, "created_ns"));
    json_decref(root);
    struct js_stream_config cfg;
    enum js_err e = JS_ERR_NONE;
    char desc[256] = "";
    struct js_stream_env env = {.recovering = true};
    int rc = js_stream_config_parse(cfgtext, strlen(cfgtext), &cfg, &e, desc, sizeof(desc));
    free(cfgtext);
    if (rc == 0)
        rc = js_stream_config_check(&cfg, &env, &e, desc, sizeof(desc));
    if (rc) {
        js_stream_config_deinit(&cfg);
        log_error("JetStream: skipping stream directory %s: invalid config: %s", dirname, desc);
        return 0;
    }
    struct stream *st = NULL;
    rc = js__stream_open(js, &cfg, created, true, &st, &e, desc, sizeof(desc));
    js_stream_config_deinit(&cfg);
    if (rc)
        return errbuf_set(eb, rc, "JetStream: cannot recover stream %s: %s", dirname, desc);
    rebuild_dedup(st);
    js__consumers_recover(st, clock_mono_ns());
    pthread_mutex_lock(&js->lock);
    js__stream_add(js, st);
    pthread_mutex_unlock(&js->lock);
    if (js__stream_subscribe(st) != 0)
        return errbuf_set(eb, ERR_INVAL, "JetStream: cannot subscribe stream %s", dirname);
    struct store_state ss;
    store_state_get(st->store, &ss);
    log_notice("  Restored %llu messages for stream '$G > %s'", (unsigned long long)ss.msgs,
               st->cfg.name);
    return 0;
}
