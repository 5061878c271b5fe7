/* $JS.API.CONSUMER.* handlers: create (all subject forms), info, delete,
 * names, list and MSG.NEXT (pull requests). Each API subject is its own
 * internal subscription; answers go to the request's reply subject. */
#include "jetstream/consumer_int.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/nuid.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAMES_LIMIT 1024
#define LIST_LIMIT  256

struct consumer *consumer_find(struct stream *st, const char *name, size_t len)
{
    for (size_t i = 0; i < st->nconsumers; i++) {
        struct consumer *c = st->consumers[i];
        if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
            return c;
    }
    return NULL;
}

void consumer_free(struct consumer *c)
{
    if (!c)
        return;
    consumer_flow_fini(c);
    for (size_t i = 0; i < c->nwait; i++)
        free(c->wait[i].reply);
    free(c->wait);
    pend_free_all(c);
    free(c->init);
    js_consumer_config_deinit(&c->cfg);
    free(c->name);
    free(c);
}

void consumer_info(struct consumer *c, struct js_consumer_info *ci)
{
    memset(ci, 0, sizeof(*ci));
    ci->stream_name = c->st->cfg.name;
    ci->name = c->name;
    ci->created = c->created;
    ci->config = &c->cfg;
    ci->delivered.consumer_seq = c->dseq;
    /* nats-server reports the stream position it has looked at, which
     * passes messages a filter skipped. */
    ci->delivered.stream_seq =
        c->nred == 0 && c->ninit == 0 && c->next_sseq > c->dsseq ? c->next_sseq - 1 : c->dsseq;
    ci->delivered.last_active = c->last_delivered_real;
    ci->ack_floor.consumer_seq = c->ack_floor_cseq;
    ci->ack_floor.stream_seq = c->ack_floor_sseq;
    ci->ack_floor.last_active = c->last_ack_real;
    ci->num_ack_pending = (int64_t)c->npend;
    for (size_t i = 0; i < c->npend; i++) /* pending messages delivered more than once */
        ci->num_redelivered += c->pend[i].dc > 1;
    ci->num_waiting = (int64_t)c->nwait;
    ci->num_pending = consumer_num_pending(c);
    ci->push_bound = c->push && consumer_push_active(c);
}

static void advisory(struct cq *q, struct stream *st, const char *cname, const char *action,
                     const char *prefix)
{
    char id[NUID_LEN + 1];
    js__event_id(id);
    struct buf b;
    buf_init(&b);
    js_advisory_consumer_action(&b, id, clock_real_ns(), st->cfg.name, cname, action,
                                st->js->opts->js_domain);
    char subj[512];
    int sl = snprintf(subj, sizeof(subj), "%s.%s.%s", prefix, st->cfg.name, cname);
    cq_push(q, subj, (size_t)sl, "", 0, NULL, 0, buf_head(&b), buf_size(&b), false);
    buf_deinit(&b);
}

void consumer_delete(struct consumer *c, struct cq *q)
{
    struct stream *st = c->st;
    for (size_t i = 0; i < c->nwait; i++) {
        struct buf b;
        buf_init(&b);
        js_status_block(&b, JS_STATUS_CONSUMER_DELETED, 0, 0);
        cq_push(q, c->wait[i].reply, strlen(c->wait[i].reply), "", 0, buf_head(&b), buf_size(&b),
                NULL, 0, true);
        buf_deinit(&b);
    }
    for (size_t i = 0; i < st->nconsumers; i++) {
        if (st->consumers[i] != c)
            continue;
        memmove(&st->consumers[i], &st->consumers[i + 1],
                (st->nconsumers - i - 1) * sizeof(*st->consumers));
        st->nconsumers--;
        break;
    }
    advisory(q, st, c->name, "delete", JS_ADVISORY_CONSUMER_DELETED_PRE);
    consumer_remove_files(c);
    consumer_free(c);
}

void js__consumers_drop(struct stream *st, bool save, struct cq *out)
{
    struct cq q = {0};
    while (st->nconsumers > 0) {
        struct consumer *c = st->consumers[0];
        if (save) {
            consumer_save_state(c);
            st->consumers[0] = st->consumers[--st->nconsumers];
            consumer_free(c);
            continue;
        }
        consumer_delete(c, out ? out : &q);
    }
    free(st->consumers);
    st->consumers = NULL;
    cq_discard(&q);
    /* Unsent output goes too (a drainer may still hold the struct). */
    if (st->outq)
        cq_discard(st->outq);
}

/* ---- request plumbing ---- */

struct capi {
    struct jetstream *js;
    struct worker *w;
    const struct srv_msg *m;
    struct buf out;
    struct cq q;
    struct stream *dst; /* q went to this stream's output queue (ref held) */
    bool error;
};

/* st->lock held: what the handler queued goes out in order with the
 * stream's other consumer output, after the API response. */
static void queue_to(struct capi *a, struct stream *st)
{
    cq_queue(st, &a->q);
    if (!a->dst) {
        js__stream_ref(st);
        a->dst = st;
    }
}

static void cerr(struct capi *a, enum js_resp_type t, enum js_err e, const char *desc)
{
    buf_clear(&a->out);
    js_resp_consumer_error(&a->out, t, e, desc && *desc ? desc : NULL);
    a->error = true;
}

/* The <i>-th token (0-based) of the subject, copied into <out>. */
static bool token(const struct srv_msg *m, int i, char *out, size_t cap)
{
    const char *p = m->subject.p, *end = p + m->subject.len;
    for (int k = 0; k < i; k++) {
        const char *d = memchr(p, '.', (size_t)(end - p));
        if (!d)
            return false;
        p = d + 1;
    }
    const char *d = memchr(p, '.', (size_t)(end - p));
    size_t n = (size_t)((d ? d : end) - p);
    if (n == 0 || n >= cap)
        return false;
    memcpy(out, p, n);
    out[n] = '\0';
    return true;
}

static struct stream *find_stream(struct jetstream *js, const char *name)
{
    pthread_mutex_lock(&js->lock);
    struct stream *st = js__stream_find(js, name);
    if (st)
        js__stream_ref(st);
    pthread_mutex_unlock(&js->lock);
    return st;
}

static const struct js_stream_config *lookup_cfg(void *arg, const char *name)
{
    struct stream *st = js__stream_find(arg, name);
    return st ? &st->cfg : NULL;
}

/* Initial position from the deliver policy. st->lock held. */
struct lastlist {
    struct consumer *c;
    size_t cap;
};

static bool add_last_of_subject(void *arg, const struct store_subject_info *si)
{
    struct lastlist *l = arg;
    struct consumer *c = l->c;
    if (c->ninit == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        c->init = xrealloc(c->init, l->cap * sizeof(*c->init));
    }
    c->init[c->ninit++] = si->last_seq;
    return true;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void consumer_start_position(struct consumer *c)
{
    struct store *s = c->st->store;
    struct store_state ss;
    store_state_get(s, &ss);
    const struct js_consumer_config *cfg = &c->cfg;
    const char *f = cfg->filter_subject && *cfg->filter_subject ? cfg->filter_subject : NULL;
    size_t flen = f ? strlen(f) : 0;
    struct store_msg sm;
    struct buf scratch;
    buf_init(&scratch);
    c->next_sseq = ss.first_seq ? ss.first_seq : 1;
    switch (cfg->deliver_policy) {
    case JS_DELIVER_LAST:
        c->next_sseq = ss.last_seq ? ss.last_seq : 1;
        if (f && store_load_last(s, f, flen, &sm, &scratch) == 0)
            c->next_sseq = sm.seq;
        break;
    case JS_DELIVER_NEW:
        c->next_sseq = ss.last_seq + 1;
        break;
    case JS_DELIVER_BY_START_SEQUENCE:
        c->next_sseq = cfg->opt_start_seq;
        break;
    case JS_DELIVER_BY_START_TIME:
        for (uint64_t seq = c->next_sseq; store_load_next(s, seq, NULL, 0, &sm, &scratch) == 0;
             seq = sm.seq + 1)
            if (sm.ts >= cfg->opt_start_time) {
                c->next_sseq = sm.seq;
                goto out;
            }
        c->next_sseq = ss.last_seq + 1;
        break;
    case JS_DELIVER_LAST_PER_SUBJECT: {
        /* The last message of every matching subject first (from the
         * per-subject index, no scan of the messages), then new ones. */
        struct lastlist l = {c, c->ninit};
        store_subjects(s, f, flen, add_last_of_subject, &l);
        if (c->ninit > 1)
            qsort(c->init, c->ninit, sizeof(*c->init), cmp_u64);
        c->next_sseq = ss.last_seq + 1;
        break;
    }
    default:
        break;
    }
out:
    buf_deinit(&scratch);
    if (c->next_sseq == 0)
        c->next_sseq = 1;
    /* As nats-server shows a new consumer: delivered is just before where
     * it starts, the ack floor 0 until the first ack. */
    c->dsseq = (c->ninit ? c->init[c->iinit] : c->next_sseq) - 1;
    c->ack_floor_sseq = 0;
}

/* ---- create ---- */

static void create_in_stream(struct capi *a, struct stream *st, struct js_consumer_create_req *r,
                             const char *name)
{
    const enum js_resp_type T = JS_RESP_CONSUMER_CREATE;
    enum js_err e = JS_ERR_NONE;
    char desc[512] = "";
    pthread_mutex_lock(&a->js->lock);
    pthread_mutex_lock(&st->lock);
    const char **filters = xcalloc(st->nconsumers + 1, sizeof(*filters));
    for (size_t i = 0; i < st->nconsumers; i++)
        filters[i] = st->consumers[i]->cfg.filter_subject;
    struct js_consumer_env env = {
        .stream = &st->cfg,
        .lookup = lookup_cfg,
        .lookup_arg = a->js,
        .other_filters = filters,
        .nother = st->nconsumers,
        .num_public_consumers = (int64_t)st->nconsumers,
        .max_consumers = st->cfg.max_consumers,
    };
    struct consumer *c = NULL;
    if (js_consumer_config_check(&r->config, &env, &e, desc, sizeof(desc))) {
        cerr(a, T, e, desc);
        goto out;
    }
    c = consumer_find(st, name, strlen(name));
    if (c) {
        bool bound = c->push && consumer_push_active(c);
        if (js_consumer_config_check_update(&c->cfg, &r->config, bound, &e, desc, sizeof(desc))) {
            cerr(a, T, e, desc);
            goto out;
        }
        js_consumer_config_deinit(&c->cfg);
        js_consumer_config_copy(&c->cfg, &r->config);
        c->push = c->cfg.deliver_subject && *c->cfg.deliver_subject;
        consumer_flow_init(c);
        if (consumer_save_meta(c) != 0)
            log_error("JetStream: cannot save consumer %s", c->name);
    } else {
        if (js_consumer_config_check_new(&r->config, name, &env, &e, desc, sizeof(desc))) {
            cerr(a, T, e, desc);
            goto out;
        }
        c = xcalloc(1, sizeof(*c));
        c->st = st;
        c->name = xstrdup(name);
        js_consumer_config_copy(&c->cfg, &r->config);
        c->created = clock_real_ns();
        c->push = c->cfg.deliver_subject && *c->cfg.deliver_subject;
        c->last_active_mono = c->last_send_mono = clock_mono_ns();
        consumer_start_position(c);
        consumer_flow_init(c);
        st->consumers = xrealloc(st->consumers, (st->nconsumers + 1) * sizeof(*st->consumers));
        st->consumers[st->nconsumers++] = c;
        c->dirty = true;
        if (consumer_save_meta(c) != 0)
            log_error("JetStream: cannot save consumer %s", c->name);
        advisory(&a->q, st, c->name, "create", JS_ADVISORY_CONSUMER_CREATED_PRE);
    }
    struct js_consumer_info ci;
    consumer_info(c, &ci);
    js_resp_consumer_create(&a->out, &ci);
    consumer_pump(c, &a->q);
out:
    free(filters);
    queue_to(a, st);
    pthread_mutex_unlock(&st->lock);
    pthread_mutex_unlock(&a->js->lock);
}

static void api_create(struct capi *a)
{
    const enum js_resp_type T = JS_RESP_CONSUMER_CREATE;
    struct js_consumer_create_subject cs;
    struct js_consumer_create_req r;
    enum js_err e = JS_ERR_NONE;
    char desc[512] = "";
    memset(&r, 0, sizeof(r));
    char *subj =
        xstrndup(a->m->subject.p + strlen("$JS.API."), a->m->subject.len - strlen("$JS.API."));
    if (js_consumer_create_subject_parse(subj, &cs) != 0)
        goto out; /* nats-server does not answer these */
    if (js_consumer_create_req_parse(a->m->data.p, a->m->data.len, &r, &e, desc, sizeof(desc))) {
        cerr(a, T, e, desc);
        goto out;
    }
    if (js_consumer_create_req_check(&cs, &r, false, &e, desc, sizeof(desc))) {
        cerr(a, T, e, desc);
        goto out;
    }
    char sname[256];
    snprintf(sname, sizeof(sname), "%.*s", (int)cs.stream_len, cs.stream);
    struct stream *st = find_stream(a->js, sname);
    if (!st) {
        cerr(a, T, JS_ERR_STREAM_NOT_FOUND, NULL);
        goto out;
    }
    char name[256];
    if (r.config.durable_name && *r.config.durable_name)
        snprintf(name, sizeof(name), "%s", r.config.durable_name);
    else if (r.config.name && *r.config.name)
        snprintf(name, sizeof(name), "%s", r.config.name);
    else {
        char id[NUID_LEN + 1];
        js__event_id(id);
        snprintf(name, sizeof(name), "%s", id + NUID_LEN - 8);
    }
    create_in_stream(a, st, &r, name);
    js__stream_unref(st);
out:
    js_consumer_create_req_deinit(&r);
    free(subj);
}

/* ---- info, delete, names, list ---- */

/* The stream (token <at>) and consumer (token <at>+1) named by the subject. */
static struct stream *stream_and_consumer(struct capi *a, enum js_resp_type t, int at, char *cname,
                                          size_t cap)
{
    char sname[256];
    if (!token(a->m, at, sname, sizeof(sname)) || !token(a->m, at + 1, cname, cap))
        return NULL;
    struct stream *st = find_stream(a->js, sname);
    if (!st)
        cerr(a, t, JS_ERR_STREAM_NOT_FOUND, NULL);
    return st;
}

static void api_info(struct capi *a)
{
    const enum js_resp_type T = JS_RESP_CONSUMER_INFO;
    char cname[256];
    struct stream *st = stream_and_consumer(a, T, 4, cname, sizeof(cname));
    if (!st)
        return;
    pthread_mutex_lock(&st->lock);
    struct consumer *c = consumer_find(st, cname, strlen(cname));
    if (!c) {
        cerr(a, T, JS_ERR_CONSUMER_NOT_FOUND, NULL);
    } else {
        struct js_consumer_info ci;
        consumer_info(c, &ci);
        js_resp_consumer_info(&a->out, &ci);
    }
    pthread_mutex_unlock(&st->lock);
    js__stream_unref(st);
}

static void api_delete(struct capi *a)
{
    const enum js_resp_type T = JS_RESP_CONSUMER_DELETE;
    char cname[256];
    struct stream *st = stream_and_consumer(a, T, 4, cname, sizeof(cname));
    if (!st)
        return;
    pthread_mutex_lock(&st->lock);
    struct consumer *c = consumer_find(st, cname, strlen(cname));
    if (!c) {
        cerr(a, T, JS_ERR_CONSUMER_NOT_FOUND, NULL);
    } else {
        /* nats-server tells the waiting pull requests (409 Consumer
         * Deleted) before it answers: the answer joins the same queue. */
        consumer_delete(c, &a->q);
        struct buf ok;
        buf_init(&ok);
        js_resp_success(&ok, T);
        cq_push(&a->q, a->m->reply.p, a->m->reply.len, "", 0, NULL, 0, buf_head(&ok), buf_size(&ok),
                false);
        buf_deinit(&ok);
    }
    queue_to(a, st);
    pthread_mutex_unlock(&st->lock);
    js__stream_unref(st);
}

static void api_names_or_list(struct capi *a, bool list)
{
    const enum js_resp_type T = list ? JS_RESP_CONSUMER_LIST : JS_RESP_CONSUMER_NAMES;
    char sname[256];
    int64_t offset = 0;
    enum js_err e = JS_ERR_NONE;
    char desc[256] = "";
    if (js_consumer_names_req_parse(a->m->data.p, a->m->data.len, &offset, &e, desc,
                                    sizeof(desc))) {
        cerr(a, T, e, desc);
        return;
    }
    if (!token(a->m, 4, sname, sizeof(sname)))
        return;
    struct stream *st = find_stream(a->js, sname);
    if (!st) {
        cerr(a, T, JS_ERR_STREAM_NOT_FOUND, NULL);
        return;
    }
    pthread_mutex_lock(&st->lock);
    size_t n = st->nconsumers;
    struct consumer **sorted = xcalloc(n + 1, sizeof(*sorted));
    if (n) /* st->consumers is NULL without consumers */
        memcpy(sorted, st->consumers, n * sizeof(*sorted));
    for (size_t i = 1; i < n; i++) /* by name, as nats-server lists them */
        for (size_t k = i; k > 0 && strcmp(sorted[k - 1]->name, sorted[k]->name) > 0; k--) {
            struct consumer *t = sorted[k];
            sorted[k] = sorted[k - 1];
            sorted[k - 1] = t;
        }
    int64_t limit = list ? LIST_LIMIT : NAMES_LIMIT;
    size_t off = offset > 0 ? (size_t)offset : 0;
    if (off > n)
        off = n;
    size_t cnt = n - off < (size_t)limit ? n - off : (size_t)limit;
    if (list) {
        struct js_consumer_info *infos = xcalloc(cnt + 1, sizeof(*infos));
        for (size_t i = 0; i < cnt; i++)
            consumer_info(sorted[off + i], &infos[i]);
        js_resp_consumer_list(&a->out, (int64_t)n, (int64_t)off, limit, infos, cnt, NULL, 0);
        free(infos);
    } else {
        const char **names = xcalloc(cnt + 1, sizeof(*names));
        for (size_t i = 0; i < cnt; i++)
            names[i] = sorted[off + i]->name;
        js_resp_consumer_names(&a->out, (int64_t)n, (int64_t)off, limit, names, cnt);
        free(names);
    }
    pthread_mutex_unlock(&st->lock);
    free(sorted);
    js__stream_unref(st);
}

static void api_names(struct capi *a)
{
    api_names_or_list(a, false);
}

static void api_list(struct capi *a)
{
    api_names_or_list(a, true);
}

/* ---- MSG.NEXT ---- */

static void status_to(struct capi *a, enum js_status s, int64_t msgs)
{
    struct buf b;
    buf_init(&b);
    js_status_block(&b, s, msgs, 0);
    cq_push(&a->q, a->m->reply.p, a->m->reply.len, "", 0, buf_head(&b), buf_size(&b), NULL, 0,
            true);
    buf_deinit(&b);
}

static void api_next(struct capi *a)
{
    if (!a->m->reply.len)
        return;
    char cname[256];
    struct stream *st = stream_and_consumer(a, JS_RESP_CONSUMER_INFO, 5, cname, sizeof(cname));
    buf_clear(&a->out); /* MSG.NEXT answers with messages or statuses, never JSON */
    if (!st)
        return;
    struct js_pull_req pr;
    struct buf status;
    buf_init(&status);
    memset(&pr, 0, sizeof(pr));
    pthread_mutex_lock(&st->lock);
    struct consumer *c = consumer_find(st, cname, strlen(cname));
    if (!c)
        goto out;
    if (c->push) {
        status_to(a, JS_STATUS_PUSH_BASED, 0);
        goto out;
    }
    if (js_pull_req_parse(a->m->data.p, a->m->data.len, &pr, &status) != 0 ||
        js_pull_req_check(&pr, &c->cfg, &status) != 0) {
        cq_push(&a->q, a->m->reply.p, a->m->reply.len, "", 0, buf_head(&status), buf_size(&status),
                NULL, 0, true);
        goto out;
    }
    c->last_active_mono = clock_mono_ns();
    if (!pr.no_wait && c->cfg.max_waiting > 0 && (int64_t)c->nwait >= c->cfg.max_waiting) {
        status_to(a, JS_STATUS_MAX_WAITING, 0);
        goto out;
    }
    wait_add(c, a->m->reply.p, a->m->reply.len, &pr, clock_mono_ns());
    size_t before = a->q.n;
    consumer_pump(c, &a->q);
    if (pr.no_wait && pr.expires <= 0) {
        /* Take back what could not be served at once. With an expiry,
         * nats-server 2.9.10 lets no_wait requests wait like any other. */
        for (size_t i = 0; i < c->nwait; i++) {
            if (strlen(c->wait[i].reply) != a->m->reply.len ||
                memcmp(c->wait[i].reply, a->m->reply.p, a->m->reply.len) != 0)
                continue;
            int64_t left = c->wait[i].batch_zero ? 0 : c->wait[i].batch;
            wait_remove(c, i);
            /* nats-server: 404 when nothing was there, 408 when part of the
             * batch was served. */
            if (a->q.n == before)
                status_to(a, JS_STATUS_NO_MESSAGES, 0);
            else
                status_to(a, JS_STATUS_REQUEST_TIMEOUT, left);
            break;
        }
    }
out:
    queue_to(a, st);
    pthread_mutex_unlock(&st->lock);
    buf_deinit(&status);
    js__stream_unref(st);
}

/* ---- dispatch ---- */

struct croute {
    const char *subject;
    void (*fn)(struct capi *a);
    bool counts; /* an API request in the account statistics */
};

static const struct croute croutes[] = {
    {"$JS.API.CONSUMER.CREATE.>", api_create, true},
    {"$JS.API.CONSUMER.DURABLE.CREATE.*.*", api_create, true},
    {"$JS.API.CONSUMER.INFO.*.*", api_info, true},
    {"$JS.API.CONSUMER.DELETE.*.*", api_delete, true},
    {"$JS.API.CONSUMER.NAMES.*", api_names, true},
    {"$JS.API.CONSUMER.LIST.*", api_list, true},
    {"$JS.API.CONSUMER.MSG.NEXT.*.*", api_next, false},
};

struct croute_arg {
    struct jetstream *js;
    const struct croute *r;
};

static void on_consumer_api(void *arg, struct worker *w, const struct srv_msg *m)
{
    struct croute_arg *ra = arg;
    struct capi a = {.js = ra->js, .w = w, .m = m};
    buf_init(&a.out);
    if (ra->r->counts)
        atomic_fetch_add(&ra->js->api_total, 1);
    ra->r->fn(&a);
    if (a.error)
        atomic_fetch_add(&ra->js->api_errors, 1);
    if (buf_size(&a.out))
        js__reply(w, m->reply, &a.out);
    buf_deinit(&a.out);
    cq_flush(&a.q, w);
    if (a.dst) {
        cq_drain(a.dst, w);
        js__stream_unref(a.dst);
    }
}

int js__consumer_api_subscribe(struct jetstream *js, struct errbuf *eb)
{
    size_t n = sizeof(croutes) / sizeof(croutes[0]);
    struct croute_arg *args = xcalloc(n, sizeof(*args));
    js->capi_args = args;
    js->capi_subs = xcalloc(n + 2, sizeof(*js->capi_subs));
    for (size_t i = 0; i < n; i++) {
        args[i].js = js;
        args[i].r = &croutes[i];
        int rc = srv_isub_add(js->srv, croutes[i].subject, NULL, on_consumer_api, &args[i],
                              &js->capi_subs[i]);
        if (rc)
            return errbuf_set(eb, rc, "cannot subscribe %s", croutes[i].subject);
        js->ncapi++;
    }
    if (js__consumer_ack_subscribe(js, &js->capi_subs[n]) != 0)
        return errbuf_set(eb, ERR_INVAL, "cannot subscribe $JS.ACK.>");
    js->ncapi++;
    if (js__consumer_fc_subscribe(js, &js->capi_subs[n + 1]) != 0)
        return errbuf_set(eb, ERR_INVAL, "cannot subscribe $JS.FC.>");
    js->ncapi++;
    js__consumer_sub_hook(js);
    return 0;
}
