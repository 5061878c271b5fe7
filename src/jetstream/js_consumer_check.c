/* Consumer create checks of nats-server 2.9.10, in its order, because the
 * first failing check decides the error a client sees: the create subject
 * forms and the handler's name/filter rules, setConsumerConfigDefaults +
 * checkConsumerCfg, the steps for a new name (limits, workqueue rules, name
 * validity) and checkNewConsumerConfig for an existing one. Every text and
 * code here was checked against the 2.9.10 binary.
 */
#include "jetstream/js_consumer_int.h"
#include "jetstream/js_json_int.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACK_WAIT_DEFAULT     (30 * NS_PER_SEC)
#define INACTIVE_DEFAULT     (5 * NS_PER_SEC)
#define MAX_WAITING_DEFAULT  512
#define MAX_ACK_PENDING_DFLT 1000
#define MAX_DESC_LEN         4096
#define MAX_NAME_LEN         255
#define MIN_HEARTBEAT        (100 * NS_PER_MS)
#define MAX_SOURCE_VISITS    64

#define FAIL(e)        jsj__fail_plain(err, detail, cap, (e))
#define POLICY(...)    jsj__fail(err, detail, cap, JS_ERR_CONSUMER_INVALID_POLICY, __VA_ARGS__)
#define UPDATE_FAIL(t) jsj__fail(err, detail, cap, JS_ERR_CONSUMER_CREATE, "%s", (t))

static int ok(enum js_err *err, char *detail, size_t cap)
{
    if (err)
        *err = JS_ERR_NONE;
    if (detail && cap)
        detail[0] = '\0';
    return 0;
}

/* ---- create subjects ---- */

/* Splits <s> into at most <max> tokens; returns the count (max + 1 when
 * there are more) or 0 when a token is empty. */
static size_t split(const char *s, const char **t, size_t *l, size_t max)
{
    size_t n = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p != '.' && *p != '\0')
            continue;
        if (p == start)
            return 0;
        if (n == max)
            return max + 1;
        t[n] = start;
        l[n++] = (size_t)(p - start);
        if (*p == '\0')
            return n;
        start = p + 1;
    }
}

static bool tok_eq(const char *t, size_t l, const char *lit)
{
    return strlen(lit) == l && memcmp(t, lit, l) == 0;
}

int js_consumer_create_subject_parse(const char *subject, struct js_consumer_create_subject *out)
{
    const char *t[4];
    size_t l[4];
    memset(out, 0, sizeof(*out));
    subject = jsj__s(subject);
    /* No empty token anywhere: such subjects reach no API handler. */
    if (subject[0] == '.' || strstr(subject, "..") ||
        (subject[0] && subject[strlen(subject) - 1] == '.'))
        return ERR_INVAL;
    size_t n = split(subject, t, l, 3);
    if (n < 3 || !tok_eq(t[0], l[0], "CONSUMER"))
        return ERR_INVAL;
    if (tok_eq(t[1], l[1], "DURABLE")) {
        /* $JS.API.CONSUMER.DURABLE.CREATE.*.*: exactly two more tokens. */
        const char *d[6];
        size_t dl[6];
        if (split(subject, d, dl, 5) != 5 || !tok_eq(d[2], dl[2], "CREATE"))
            return ERR_INVAL;
        out->kind = JS_CCREATE_DURABLE;
        out->stream = d[3], out->stream_len = dl[3];
        out->name = d[4], out->name_len = dl[4];
        return 0;
    }
    if (!tok_eq(t[1], l[1], "CREATE"))
        return ERR_INVAL;
    out->stream = t[2], out->stream_len = l[2];
    if (n == 3) {
        out->kind = JS_CCREATE_EPHEMERAL;
        return 0;
    }
    /* CONSUMER.CREATE.<stream>.<name>[.<filter...>] */
    const char *rest = t[2] + l[2] + 1, *dot = strchr(rest, '.');
    out->kind = JS_CCREATE_NAMED;
    out->name = rest;
    out->name_len = dot ? (size_t)(dot - rest) : strlen(rest);
    if (dot) {
        out->filter = dot + 1;
        out->filter_len = strlen(dot + 1);
    }
    return 0;
}

static bool span_eq(const char *s, const char *p, size_t n)
{
    s = jsj__s(s);
    return strlen(s) == n && memcmp(s, p, n) == 0;
}

int js_consumer_create_req_check(const struct js_consumer_create_subject *subj,
                                 struct js_consumer_create_req *req, bool clustered,
                                 enum js_err *err, char *detail, size_t cap)
{
    struct js_consumer_config *c = &req->config;
    if (!span_eq(req->stream_name, subj->stream, subj->stream_len))
        return FAIL(JS_ERR_STREAM_MISMATCH);
    if (subj->name &&
        (memchr(subj->name, '/', subj->name_len) || memchr(subj->name, '\\', subj->name_len)))
        return FAIL(JS_ERR_CONSUMER_NAME_CONTAINS_PATH_SEPARATORS);
    switch (subj->kind) {
    case JS_CCREATE_DURABLE:
        if (!jsj__has(c->durable_name))
            return FAIL(JS_ERR_CONSUMER_DURABLE_NAME_NOT_SET);
        if (!span_eq(c->durable_name, subj->name, subj->name_len))
            return FAIL(JS_ERR_CONSUMER_DURABLE_NAME_NOT_MATCH_SUBJECT);
        break;
    case JS_CCREATE_NAMED:
        if (jsj__has(c->durable_name) && !span_eq(c->durable_name, subj->name, subj->name_len))
            return FAIL(JS_ERR_CONSUMER_DURABLE_NAME_NOT_MATCH_SUBJECT);
        /* The subject's name wins over the body's. */
        free(c->name);
        c->name = xstrndup(subj->name, subj->name_len);
        break;
    case JS_CCREATE_EPHEMERAL:
        if (jsj__has(c->durable_name))
            return FAIL(JS_ERR_CONSUMER_EPHEMERAL_WITH_DURABLE_NAME);
        break;
    }
    if (subj->filter && !span_eq(c->filter_subject, subj->filter, subj->filter_len))
        return FAIL(JS_ERR_CONSUMER_CREATE_FILTER_SUBJECT_MISMATCH);
    if (!clustered && c->num_replicas > 1)
        return FAIL(JS_ERR_STREAM_REPLICAS_NOT_SUPPORTED);
    return ok(err, detail, cap);
}

/* ---- defaults and checkConsumerCfg ---- */

static bool acks(const struct js_consumer_config *c)
{
    return c->ack_policy == JS_ACK_EXPLICIT || c->ack_policy == JS_ACK_ALL;
}

static void set_defaults(struct js_consumer_config *c, const struct js_consumer_env *env)
{
    bool pull = !jsj__has(c->deliver_subject);
    if (pull && c->max_waiting == 0)
        c->max_waiting = MAX_WAITING_DEFAULT;
    if (c->ack_wait == 0 && acks(c))
        c->ack_wait = ACK_WAIT_DEFAULT;
    if (c->max_deliver == 0)
        c->max_deliver = -1;
    if (c->nbackoff > 0)
        c->ack_wait = c->backoff[0];
    if (acks(c) && c->max_ack_pending == 0) {
        int64_t p = MAX_ACK_PENDING_DFLT;
        if (env->srv_max_ack_pending > 0 && env->srv_max_ack_pending < p)
            p = env->srv_max_ack_pending;
        if (env->acc_max_ack_pending > 0 && env->acc_max_ack_pending < p)
            p = env->acc_max_ack_pending;
        c->max_ack_pending = p;
    }
    if (pull && c->max_batch == 0 && env->srv_max_request_batch > 0)
        c->max_batch = env->srv_max_request_batch;
}

static int check_push(const struct js_consumer_config *c, const struct js_stream_config *st,
                      enum js_err *err, char *detail, size_t cap)
{
    const char *ds = c->deliver_subject;
    if (!jsj__subject_is_literal(ds))
        return FAIL(JS_ERR_CONSUMER_DELIVER_TO_WILDCARDS);
    if (!jsj__subject_is_valid(ds))
        return FAIL(JS_ERR_CONSUMER_INVALID_DELIVER_SUBJECT);
    for (size_t i = 0; i < st->nsubjects; i++)
        if (jsj__subject_is_subset(ds, jsj__s(st->subjects[i])))
            return FAIL(JS_ERR_CONSUMER_DELIVER_CYCLE);
    if (c->max_waiting != 0)
        return FAIL(JS_ERR_CONSUMER_PUSH_MAX_WAITING);
    if (c->max_ack_pending > 0 && c->ack_policy == JS_ACK_NONE)
        return FAIL(JS_ERR_CONSUMER_MAX_PENDING_ACK_POLICY_REQUIRED);
    if (c->idle_heartbeat > 0 && c->idle_heartbeat < MIN_HEARTBEAT)
        return FAIL(JS_ERR_CONSUMER_SMALL_HEARTBEAT);
    return 0;
}

static int check_pull(const struct js_consumer_config *c, const struct js_consumer_env *env,
                      enum js_err *err, char *detail, size_t cap)
{
    if (c->ack_policy == JS_ACK_NONE && env->stream->retention == JS_RETENTION_WORKQUEUE)
        return FAIL(JS_ERR_CONSUMER_PULL_REQUIRES_ACK);
    if (c->rate_limit_bps > 0)
        return FAIL(JS_ERR_CONSUMER_PULL_WITH_RATE_LIMIT);
    if (c->max_waiting < 0)
        return FAIL(JS_ERR_CONSUMER_MAX_WAITING_NEGATIVE);
    if (c->idle_heartbeat > 0)
        return FAIL(JS_ERR_CONSUMER_HB_REQUIRES_PUSH);
    if (c->flow_control)
        return FAIL(JS_ERR_CONSUMER_FC_REQUIRES_PUSH);
    if (c->max_batch < 0)
        return FAIL(JS_ERR_CONSUMER_MAX_REQUEST_BATCH_NEGATIVE);
    if (c->max_expires != 0 && c->max_expires < NS_PER_MS)
        return FAIL(JS_ERR_CONSUMER_MAX_REQUEST_EXPIRES_TOO_SMALL);
    if (env->srv_max_request_batch > 0 && c->max_batch > env->srv_max_request_batch) {
        char lim[24];
        snprintf(lim, sizeof(lim), "%lld", (long long)env->srv_max_request_batch);
        return jsj__fail_args(err, detail, cap, JS_ERR_CONSUMER_MAX_REQUEST_BATCH_EXCEEDED, lim);
    }
    return 0;
}

static int ack_pending_excess(int64_t limit, enum js_err *err, char *detail, size_t cap)
{
    char lim[24];
    snprintf(lim, sizeof(lim), "%lld", (long long)limit);
    return jsj__fail_args(err, detail, cap, JS_ERR_CONSUMER_MAX_PENDING_ACK_EXCESS, lim);
}

/* A growing list of borrowed strings. */
struct strlist {
    const char **v;
    size_t n, cap;
};

static void sl_push(struct strlist *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n++] = s;
}

/* gatherSourceMirrorSubjects: the subjects of the streams <cfg> mirrors or
 * sources, recursively. Returns true if an external origin makes the
 * subject set unknowable (the filter check is then skipped). */
static bool gather(const struct js_consumer_env *env, const struct js_stream_config *cfg,
                   struct strlist *subs, struct strlist *seen)
{
    bool ext = false;
    size_t n = cfg->mirror ? 1 : cfg->nsources;
    for (size_t i = 0; i < n; i++) {
        const struct js_stream_source *s = cfg->mirror ? cfg->mirror : &cfg->sources[i];
        if (s->external) {
            ext = true;
            continue;
        }
        bool visited = false;
        for (size_t k = 0; k < seen->n && !visited; k++)
            visited = jsj__str_eq(seen->v[k], s->name);
        const struct js_stream_config *o =
            env->lookup && !visited ? env->lookup(env->lookup_arg, jsj__s(s->name)) : NULL;
        if (o == NULL || seen->n >= MAX_SOURCE_VISITS)
            continue;
        sl_push(seen, jsj__s(s->name));
        for (size_t k = 0; k < o->nsubjects; k++)
            sl_push(subs, jsj__s(o->subjects[k]));
        ext |= gather(env, o, subs, seen);
    }
    return ext;
}

/* validFilteredSubject: inside one of the subjects, or a wildcard filter
 * wider than one of them. */
static bool filter_valid(const char *f, const struct strlist *subs)
{
    if (!jsj__subject_is_valid(f))
        return false;
    bool wc = !jsj__subject_is_literal(f);
    for (size_t i = 0; i < subs->n; i++)
        if (jsj__subject_is_subset(f, subs->v[i]) || (wc && jsj__subject_is_subset(subs->v[i], f)))
            return true;
    return false;
}

static int check_filters(const struct js_consumer_config *c, const struct js_consumer_env *env,
                         enum js_err *err, char *detail, size_t cap)
{
    struct strlist subs = {0}, seen = {0};
    int rc = 0;
    if (env->recovering || (!jsj__has(c->filter_subject) && c->nfilter_subjects == 0))
        return 0;
    for (size_t i = 0; i < env->stream->nsubjects; i++)
        sl_push(&subs, jsj__s(env->stream->subjects[i]));
    bool ext = gather(env, env->stream, &subs, &seen);
    if (!ext && jsj__has(c->filter_subject) && !filter_valid(c->filter_subject, &subs))
        rc = FAIL(JS_ERR_CONSUMER_FILTER_NOT_SUBSET);
    /* 2.10's filter_subjects: each must pass the same test. */
    for (size_t i = 0; !ext && rc == 0 && i < c->nfilter_subjects; i++)
        if (!filter_valid(jsj__s(c->filter_subjects[i]), &subs))
            rc = FAIL(JS_ERR_CONSUMER_FILTER_NOT_SUBSET);
    free(subs.v);
    free(seen.v);
    return rc;
}

/* The deliver policy against the optional start sequence/time/filter. */
#define BAD   "consumer delivery policy is deliver %s, but optional %s is also set"
#define UNSET "consumer delivery policy is deliver %s, but optional %s is not set"
static int check_start(const struct js_consumer_config *c, enum js_err *err, char *detail,
                       size_t cap)
{
    static const char *const dp[] = {
        "all", "last", "new", "by start sequence", "by start time", "last per subject"};
    const char *p = dp[(unsigned)c->deliver_policy % 6];
    bool seq = c->opt_start_seq > 0, tm = c->has_opt_start_time;
    switch (c->deliver_policy) {
    case JS_DELIVER_ALL:
    case JS_DELIVER_LAST:
    case JS_DELIVER_NEW:
    case JS_DELIVER_LAST_PER_SUBJECT:
        if (seq)
            return POLICY(BAD, p, "start sequence");
        if (tm)
            return POLICY(BAD, p, "start time");
        if (c->deliver_policy == JS_DELIVER_LAST_PER_SUBJECT && !jsj__has(c->filter_subject) &&
            c->nfilter_subjects == 0)
            return POLICY(UNSET, p, "filter subject");
        return 0;
    case JS_DELIVER_BY_START_SEQUENCE:
        if (!seq)
            return POLICY(UNSET, p, "start sequence");
        return tm ? POLICY(BAD, p, "start time") : 0;
    case JS_DELIVER_BY_START_TIME:
        if (!tm)
            return POLICY(UNSET, p, "start time");
        /* sic: 2.9.10 says "start start sequence" here. */
        return seq ? POLICY(BAD, p, "start start sequence") : 0;
    }
    return 0;
}

static int check_sampling(const char *freq, enum js_err *err, char *detail, size_t cap)
{
    struct buf e;
    int64_t v = 0;
    size_t n = strlen(jsj__s(freq));
    if (n == 0)
        return 0;
    if (freq[n - 1] == '%')
        n--;
    buf_init(&e);
    int rc = jsc__go_atoi(freq, n, &v, &e);
    if (rc == 0 && v >= 0) {
        buf_deinit(&e);
        return 0;
    }
    buf_append_char(&e, '\0');
    /* A negative number is no Atoi error: Go formats the nil error. */
    jsj__fail_args(err, detail, cap, JS_ERR_CONSUMER_INVALID_SAMPLING,
                   rc < 0 ? buf_head(&e) : "<nil>");
    buf_deinit(&e);
    return ERR_INVAL;
}

static int check_cfg(const struct js_consumer_config *c, const struct js_consumer_env *env,
                     enum js_err *err, char *detail, size_t cap)
{
    int rc;
    if (c->num_replicas > 0 && c->num_replicas > env->stream->num_replicas)
        return FAIL(JS_ERR_CONSUMER_REPLICAS_EXCEEDS_STREAM);
    if (c->num_replicas < 0)
        return FAIL(JS_ERR_REPLICAS_COUNT_CANNOT_BE_NEGATIVE);
    if (c->nbackoff > 0 && c->max_deliver <= (int64_t)c->nbackoff)
        return FAIL(JS_ERR_CONSUMER_MAX_DELIVER_BACKOFF);
    if (strlen(jsj__s(c->description)) > MAX_DESC_LEN)
        return jsj__fail_args(err, detail, cap, JS_ERR_CONSUMER_DESCRIPTION_TOO_LONG, "4096");
    rc = jsj__has(c->deliver_subject) ? check_push(c, env->stream, err, detail, cap)
                                      : check_pull(c, env, err, detail, cap);
    if (rc < 0)
        return rc;
    if (env->srv_max_ack_pending > 0 && c->max_ack_pending > env->srv_max_ack_pending)
        return ack_pending_excess(env->srv_max_ack_pending, err, detail, cap);
    if (env->acc_max_ack_pending > 0 && c->max_ack_pending > env->acc_max_ack_pending)
        return ack_pending_excess(env->acc_max_ack_pending, err, detail, cap);
    if (c->direct && !jsj__has(c->deliver_subject))
        return FAIL(JS_ERR_CONSUMER_DIRECT_REQUIRES_PUSH);
    if (c->direct && js_consumer_config_is_durable(c))
        return FAIL(JS_ERR_CONSUMER_DIRECT_REQUIRES_EPHEMERAL);
    if ((rc = check_filters(c, env, err, detail, cap)) < 0 ||
        (rc = check_start(c, err, detail, cap)) < 0 ||
        (rc = check_sampling(c->sample_freq, err, detail, cap)) < 0)
        return rc;
    if (c->flow_control && c->idle_heartbeat == 0)
        return FAIL(JS_ERR_CONSUMER_WITH_FLOW_CONTROL_NEEDS_HEARTBEATS);
    if (jsj__has(c->durable_name) && jsj__has(c->name) && strcmp(c->durable_name, c->name) != 0)
        return FAIL(JS_ERR_CONSUMER_CREATE_DURABLE_AND_NAME_MISMATCH);
    return 0;
}

int js_consumer_config_check(struct js_consumer_config *cfg, const struct js_consumer_env *env,
                             enum js_err *err, char *detail, size_t cap)
{
    ASSERT(env != NULL && env->stream != NULL);
    set_defaults(cfg, env);
    int rc = check_cfg(cfg, env, err, detail, cap);
    return rc < 0 ? rc : ok(err, detail, cap);
}

/* ---- a new name ---- */

/* partitionUnique: no other consumer is unfiltered, and no other filter is
 * a subset or a superset of <f> (2.9.10 does not test mere overlap). */
static bool partition_unique(const char *f, const struct js_consumer_env *env)
{
    for (size_t i = 0; i < env->nother; i++) {
        const char *o = env->other_filters ? env->other_filters[i] : NULL;
        if (!jsj__has(o) || jsj__subject_is_subset(f, o) || jsj__subject_is_subset(o, f))
            return false;
    }
    return true;
}

int js_consumer_config_check_new(struct js_consumer_config *cfg, const char *name,
                                 const struct js_consumer_env *env, enum js_err *err, char *detail,
                                 size_t cap)
{
    ASSERT(env != NULL && env->stream != NULL);
    if (env->max_consumers > 0 && env->num_public_consumers >= env->max_consumers)
        return FAIL(JS_ERR_MAXIMUM_CONSUMERS_LIMIT);
    if (env->stream->retention == JS_RETENTION_WORKQUEUE && !cfg->direct) {
        if (cfg->ack_policy != JS_ACK_EXPLICIT)
            return FAIL(JS_ERR_CONSUMER_WQ_REQUIRES_EXPLICIT_ACK);
        if (env->nother > 0 && !jsj__has(cfg->filter_subject))
            return FAIL(JS_ERR_CONSUMER_WQ_MULTIPLE_UNFILTERED);
        if (env->nother > 0 && !partition_unique(cfg->filter_subject, env))
            return FAIL(JS_ERR_CONSUMER_WQ_CONSUMER_NOT_UNIQUE);
        if (cfg->deliver_policy != JS_DELIVER_ALL)
            return FAIL(JS_ERR_CONSUMER_WQ_CONSUMER_NOT_DELIVER_ALL);
    }
    bool durable = js_consumer_config_is_durable(cfg);
    if (durable && strlen(cfg->durable_name) > MAX_NAME_LEN)
        return jsj__fail_args(err, detail, cap, JS_ERR_CONSUMER_NAME_TOO_LONG, "255");
    if (!js_name_is_valid(name))
        return FAIL(JS_ERR_CONSUMER_BAD_DURABLE_NAME);
    if (!durable && cfg->inactive_threshold <= 0)
        cfg->inactive_threshold = INACTIVE_DEFAULT;
    return ok(err, detail, cap);
}

/* ---- an existing name ---- */

static const char *update_refusal(const struct js_consumer_config *old,
                                  const struct js_consumer_config *c)
{
    if (old->deliver_policy != c->deliver_policy)
        return "deliver policy can not be updated";
    if (old->opt_start_seq != c->opt_start_seq)
        return "start sequence can not be updated";
    /* 2.9.10 compares the *time.Time pointers, so any start time differs. */
    if (old->has_opt_start_time || c->has_opt_start_time)
        return "start time can not be updated";
    if (old->ack_policy != c->ack_policy)
        return "ack policy can not be updated";
    if (old->replay_policy != c->replay_policy)
        return "replay policy can not be updated";
    if (old->idle_heartbeat != c->idle_heartbeat)
        return "heart beats can not be updated";
    if (old->flow_control != c->flow_control)
        return "flow control can not be updated";
    if (old->max_waiting != c->max_waiting)
        return "max waiting can not be updated";
    if (!jsj__str_eq(old->deliver_subject, c->deliver_subject)) {
        if (!jsj__has(old->deliver_subject))
            return "can not update pull consumer to push based";
        if (!jsj__has(c->deliver_subject))
            return "can not update push consumer to pull based";
    }
    return NULL;
}

int js_consumer_config_check_update(const struct js_consumer_config *old,
                                    struct js_consumer_config *cfg, bool deliver_bound,
                                    enum js_err *err, char *detail, size_t cap)
{
    if (js_consumer_config_equal(old, cfg))
        return ok(err, detail, cap);
    const char *why = update_refusal(old, cfg);
    if (why)
        return UPDATE_FAIL(why);
    if (!jsj__str_eq(old->deliver_subject, cfg->deliver_subject) && deliver_bound)
        return FAIL(JS_ERR_CONSUMER_NAME_EXIST);
    if (cfg->nbackoff > 0 && cfg->max_deliver <= (int64_t)cfg->nbackoff)
        return FAIL(JS_ERR_CONSUMER_MAX_DELIVER_BACKOFF);
    if (!js_consumer_config_is_durable(old) && cfg->inactive_threshold <= 0)
        cfg->inactive_threshold = INACTIVE_DEFAULT;
    return ok(err, detail, cap);
}
