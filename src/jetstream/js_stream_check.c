/* Stream config defaults and validation: nats-server 2.9.10's
 * checkStreamCfg, the extra checks of the CREATE handler and the update
 * rules of configUpdateCheck, in the same order and with the same texts,
 * because the first failing check decides which error a client sees.
 * Knowledge of other streams comes from struct js_stream_env.
 */
#include "jetstream/js_json_int.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define MS100              (100 * NS_PER_MS)
#define DEFAULT_DUP_WINDOW (120 * NS_PER_SEC)
#define MAX_NAME_LEN       255
#define MAX_DESC_LEN       4096
#define MAX_REPLICAS       5
#define MAX_VISITS         4096

/* Shorthand for 10052 with a formatted text. */
#define INVALID(...) jsj__fail(err, detail, cap, JS_ERR_STREAM_INVALID_CONFIG, __VA_ARGS__)

/* A growing list of borrowed strings (origin subjects, prefixes, names). */
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

static bool sl_has(const struct strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (jsj__str_eq(l->v[i], s))
            return true;
    return false;
}

static const struct js_stream_config *lookup(const struct js_stream_env *env, const char *name)
{
    return env->lookup ? env->lookup(env->lookup_arg, jsj__s(name)) : NULL;
}

/* hasFilterSubjectOverlap(filter, subs). */
static bool filter_overlaps(const char *filter, const struct strlist *subs)
{
    if (!jsj__has(filter) || subs->n == 0)
        return true;
    for (size_t i = 0; i < subs->n; i++)
        if (jsj__subjects_collide(subs->v[i], filter))
            return true;
    return false;
}

static void add_prefixes(const struct js_external *e, struct strlist *dlv, struct strlist *api)
{
    if (e && jsj__has(e->deliver))
        sl_push(dlv, e->deliver);
    if (e && jsj__has(e->api))
        sl_push(api, e->api);
}

static int check_origins(struct js_stream_config *cfg, const struct js_stream_env *env,
                         struct strlist *subs, struct strlist *dlv, struct strlist *api,
                         enum js_err *err, char *detail, size_t cap)
{
    if (cfg->mirror) {
        if (cfg->nsubjects)
            return jsj__fail_plain(err, detail, cap, JS_ERR_MIRROR_WITH_SUBJECTS);
        if (cfg->nsources)
            return jsj__fail_plain(err, detail, cap, JS_ERR_MIRROR_WITH_SOURCES);
        const struct js_stream_config *o = lookup(env, cfg->mirror->name);
        for (size_t i = 0; o && i < o->nsubjects; i++)
            sl_push(subs, o->subjects[i]);
        if (o && cfg->max_msg_size > 0 && o->max_msg_size > 0 &&
            cfg->max_msg_size < o->max_msg_size)
            return jsj__fail_plain(err, detail, cap, JS_ERR_MIRROR_MAX_MESSAGE_SIZE_TOO_BIG);
        if (o && !env->recovering && !filter_overlaps(cfg->mirror->filter_subject, subs))
            return INVALID("mirror '%s' filter subject '%s' does not overlap with any origin "
                           "stream subject",
                           jsj__s(cfg->mirror->name), jsj__s(cfg->mirror->filter_subject));
        add_prefixes(cfg->mirror->external, dlv, api);
        if (o)
            cfg->mirror_direct = o->allow_direct; /* direct gets are inherited */
    }
    for (size_t k = 0; k < cfg->nsources; k++) {
        const struct js_stream_source *src = &cfg->sources[k];
        const struct js_stream_config *o = lookup(env, src->name);
        for (size_t i = 0; o && i < o->nsubjects; i++)
            sl_push(subs, o->subjects[i]);
        if (o && cfg->max_msg_size > 0 && o->max_msg_size > 0 &&
            cfg->max_msg_size < o->max_msg_size)
            return jsj__fail_plain(err, detail, cap, JS_ERR_SOURCE_MAX_MESSAGE_SIZE_TOO_BIG);
        if (o && !env->recovering && !filter_overlaps(src->filter_subject, subs))
            return INVALID("source '%s' filter subject '%s' does not overlap with any origin "
                           "stream subject",
                           jsj__s(src->name), jsj__s(src->filter_subject));
        add_prefixes(src->external, dlv, api);
    }
    return 0;
}

static int check_prefixes(const struct strlist *subs, const struct strlist *dlv,
                          const struct strlist *api, enum js_err *err, char *detail, size_t cap)
{
    for (size_t i = 0; i < dlv->n; i++) {
        const char *pfx = dlv->v[i];
        if (!jsj__subject_is_valid_publish(pfx))
            return jsj__fail_args(err, detail, cap, JS_ERR_STREAM_INVALID_EXTERNAL_DELIVERY_SUBJ,
                                  pfx);
        for (size_t k = 0; k < subs->n; k++) {
            struct buf joined;
            buf_init(&joined);
            buf_appendf(&joined, "%s.%s%c", pfx, subs->v[k], '\0');
            bool hit = jsj__subjects_collide(subs->v[k], buf_head(&joined));
            buf_deinit(&joined);
            if (hit)
                return jsj__fail_args(err, detail, cap, JS_ERR_STREAM_EXTERNAL_DEL_PREFIX_OVERLAPS,
                                      pfx, subs->v[k]);
        }
    }
    for (size_t i = 0; i < api->n; i++) {
        if (!jsj__subject_is_valid_publish(api->v[i])) {
            struct buf q;
            buf_init(&q);
            jsj__go_quote(&q, api->v[i]);
            buf_append_char(&q, '\0');
            INVALID("stream external api prefix %s must be a valid subject without wildcards",
                    buf_head(&q));
            buf_deinit(&q);
            return ERR_INVAL;
        }
        if (jsj__subjects_collide(api->v[i], "$JS.API"))
            return jsj__fail_args(err, detail, cap, JS_ERR_STREAM_EXTERNAL_API_OVERLAP, api->v[i],
                                  "$JS.API");
    }
    return 0;
}

/* Breadth-first walk over sources and mirrors looking for a path back.
 * 2.9.10 reports any source that leads back to a visited stream, whatever
 * its filter (later versions look at the filter). */
static int check_cycles(const struct js_stream_config *cfg, const struct js_stream_env *env,
                        enum js_err *err, char *detail, size_t cap)
{
    struct strlist visited = {0};
    const struct js_stream_config **todo = xmalloc(MAX_VISITS * sizeof(*todo));
    size_t head = 0, tail = 0;
    int rc = 0;
    todo[tail++] = cfg;
    while (head < tail && rc == 0) {
        const struct js_stream_config *c = todo[head++];
        sl_push(&visited, jsj__s(c->name));
        for (size_t i = 0; i < c->nsources && rc == 0; i++) {
            const struct js_stream_source *s = &c->sources[i];
            const struct js_stream_config *o;
            if (s->external)
                continue;
            if (sl_has(&visited, s->name))
                rc = INVALID("detected cycle");
            else if ((o = lookup(env, s->name)) && tail < MAX_VISITS) {
                todo[tail++] = o;
            }
        }
        const struct js_stream_source *m = c->mirror;
        const struct js_stream_config *o;
        if (rc == 0 && m && !m->external) {
            if (sl_has(&visited, m->name))
                rc = INVALID("detected cycle");
            else if ((o = lookup(env, m->name)) && tail < MAX_VISITS)
                todo[tail++] = o;
        }
    }
    free(todo);
    free(visited.v);
    return rc;
}

static int check_subjects(struct js_stream_config *cfg, enum js_err *err, char *detail, size_t cap)
{
    if (cfg->nsubjects == 0) {
        if (!cfg->mirror && cfg->nsources == 0) {
            cfg->subjects = xcalloc(1, sizeof(*cfg->subjects));
            cfg->subjects[0] = xstrdup(cfg->name);
            cfg->nsubjects = 1;
        }
        return 0;
    }
    if (cfg->mirror)
        return jsj__fail_plain(err, detail, cap, JS_ERR_MIRROR_WITH_SUBJECTS);
    for (size_t i = 0; i < cfg->nsubjects; i++) {
        const char *s = jsj__s(cfg->subjects[i]);
        for (size_t k = 0; k < i; k++)
            if (jsj__str_eq(cfg->subjects[k], s))
                return INVALID("duplicate subjects detected");
        if (jsj__subject_is_subset(s, "$JS.API.>"))
            return INVALID("subjects overlap with jetstream api");
        if (!jsj__subject_is_valid(s))
            return INVALID("invalid subject");
    }
    return 0;
}

static int check_self_overlap(const struct js_stream_config *cfg, enum js_err *err, char *detail,
                              size_t cap)
{
    for (size_t i = 0; cfg->nsubjects > 1 && i < cfg->nsubjects; i++) {
        for (size_t k = 0; k < cfg->nsubjects; k++) {
            const char *a = jsj__s(cfg->subjects[i]), *b = jsj__s(cfg->subjects[k]);
            if (strcmp(a, b) != 0 && jsj__subjects_collide(b, a)) {
                struct buf q;
                buf_init(&q);
                buf_append_str(&q, "subject ");
                jsj__go_quote(&q, a);
                buf_append_str(&q, " overlaps with ");
                jsj__go_quote(&q, b);
                buf_append_char(&q, '\0');
                INVALID("%s", buf_head(&q));
                buf_deinit(&q);
                return ERR_INVAL;
            }
        }
    }
    return 0;
}

static int check_republish(struct js_stream_config *cfg, enum js_err *err, char *detail, size_t cap)
{
    struct js_republish *rp = cfg->republish;
    bool src_ok = false, cycle = false;
    if (!rp)
        return 0;
    if (!jsj__has(rp->src)) {
        free(rp->src);
        rp->src = xstrdup(">");
    }
    for (size_t i = 0; i < cfg->nsubjects; i++) {
        src_ok |= jsj__subjects_collide(rp->src, jsj__s(cfg->subjects[i]));
        cycle |= jsj__subjects_collide(jsj__s(rp->dest), jsj__s(cfg->subjects[i]));
    }
    if (!src_ok)
        return INVALID("stream configuration for republish source is not valid subset of "
                       "subjects");
    if (cycle)
        return INVALID("stream configuration for republish destination forms a cycle");
    if (js_subject_transform_check(rp->src, jsj__s(rp->dest)) < 0)
        return INVALID("stream configuration for republish not valid");
    return 0;
}

/* Defaults for the limits and the duplicate window, then their checks. */
static int check_limits(struct js_stream_config *cfg, const struct js_stream_env *env,
                        enum js_err *err, char *detail, size_t cap)
{
    if (cfg->num_replicas == 0)
        cfg->num_replicas = 1;
    if (cfg->num_replicas > MAX_REPLICAS)
        return INVALID("maximum replicas is %d", MAX_REPLICAS);
    if (cfg->num_replicas < 0)
        return jsj__fail_plain(err, detail, cap, JS_ERR_REPLICAS_COUNT_CANNOT_BE_NEGATIVE);
    cfg->max_msgs = cfg->max_msgs ? cfg->max_msgs : -1;
    cfg->max_msgs_per_subject = cfg->max_msgs_per_subject ? cfg->max_msgs_per_subject : -1;
    cfg->max_bytes = cfg->max_bytes ? cfg->max_bytes : -1;
    cfg->max_msg_size = cfg->max_msg_size ? cfg->max_msg_size : -1;
    cfg->max_consumers = cfg->max_consumers ? cfg->max_consumers : -1;
    int64_t lim = env->max_dup_window;
    if (cfg->duplicate_window == 0 && !cfg->mirror) {
        int64_t win = lim > 0 && lim < DEFAULT_DUP_WINDOW ? lim : DEFAULT_DUP_WINDOW;
        cfg->duplicate_window = cfg->max_age != 0 && cfg->max_age < win ? cfg->max_age : win;
    }
    if (cfg->max_age > 0 && cfg->max_age < MS100)
        return INVALID("max age needs to be >= 100ms");
    if (cfg->duplicate_window < 0)
        return INVALID("duplicates window can not be negative");
    if (cfg->max_age != 0 && cfg->duplicate_window > cfg->max_age)
        return INVALID("duplicates window can not be larger then max age");
    if (lim > 0 && cfg->duplicate_window > lim) {
        char d[64];
        clock_fmt_duration(lim, d, sizeof(d));
        return INVALID("duplicates window can not be larger then server limit of %s", d);
    }
    if (cfg->duplicate_window > 0 && cfg->duplicate_window < MS100)
        return INVALID("duplicates window needs to be >= 100ms");
    if (cfg->deny_purge && cfg->allow_rollup_hdrs)
        return INVALID("roll-ups require the purge permission");
    if (cfg->discard_new_per_subject) {
        if (cfg->discard != JS_DISCARD_NEW)
            return INVALID("discard new per subject requires discard new policy to be set");
        if (cfg->max_msgs_per_subject <= 0)
            return INVALID("discard new per subject requires max msgs per subject > 0");
    }
    return 0;
}

int js_stream_config_check(struct js_stream_config *cfg, const struct js_stream_env *env,
                           enum js_err *err, char *detail, size_t cap)
{
    static const struct js_stream_env none;
    struct strlist subs = {0}, dlv = {0}, api = {0};
    int rc;
    env = env ? env : &none;
    if (!js_name_is_valid(cfg->name))
        return INVALID("stream name is required and can not contain '.', '*', '>'");
    if (strlen(cfg->name) > MAX_NAME_LEN)
        return INVALID("stream name is too long, maximum allowed is %d", MAX_NAME_LEN);
    if (strlen(jsj__s(cfg->description)) > MAX_DESC_LEN)
        return INVALID("stream description is too long, maximum allowed is %d", MAX_DESC_LEN);
    if ((rc = check_limits(cfg, env, err, detail, cap)) < 0)
        return rc;
    rc = check_origins(cfg, env, &subs, &dlv, &api, err, detail, cap);
    if (rc == 0)
        rc = check_prefixes(&subs, &dlv, &api, err, detail, cap);
    free(subs.v);
    free(dlv.v);
    free(api.v);
    if (rc < 0 || (rc = check_cycles(cfg, env, err, detail, cap)) < 0 ||
        (rc = check_subjects(cfg, err, detail, cap)) < 0)
        return rc;
    int64_t limit =
        cfg->storage == JS_STORAGE_MEMORY ? env->mem_max_stream_bytes : env->store_max_stream_bytes;
    if (env->max_bytes_required && cfg->max_bytes <= 0)
        return jsj__fail_plain(err, detail, cap, JS_ERR_STREAM_MAX_BYTES_REQUIRED);
    if (limit > 0 && cfg->max_bytes > limit)
        return jsj__fail_plain(err, detail, cap, JS_ERR_STREAM_MAX_STREAM_BYTES_EXCEEDED);
    if ((rc = check_self_overlap(cfg, err, detail, cap)) < 0 ||
        (rc = check_republish(cfg, err, detail, cap)) < 0)
        return rc;
    if (err)
        *err = JS_ERR_NONE;
    if (detail && cap)
        detail[0] = '\0';
    return 0;
}

int js_stream_config_check_create(const char *subject_name, struct js_stream_config *cfg,
                                  const struct js_stream_env *env, enum js_err *err, char *detail,
                                  size_t cap)
{
    if (!jsj__str_eq(subject_name, cfg->name))
        return jsj__fail_plain(err, detail, cap, JS_ERR_STREAM_MISMATCH);
    if (strpbrk(jsj__s(subject_name), "\\/"))
        return jsj__fail_plain(err, detail, cap, JS_ERR_STREAM_NAME_CONTAINS_PATH_SEPARATORS);
    if (cfg->sealed)
        return INVALID("stream configuration for create can not be sealed");
    if (cfg->mirror_direct && !cfg->mirror)
        return INVALID("stream has no mirror but does have mirror direct");
    int rc = js_stream_config_check(cfg, env, err, detail, cap);
    if (rc < 0)
        return rc;
    if ((env == NULL || !env->clustered) && cfg->num_replicas > 1)
        return jsj__fail_plain(err, detail, cap, JS_ERR_STREAM_REPLICAS_NOT_SUPPORTED);
    /* Stream templates are not supported, so no stream can be owned by one.
     * (nats-server checks this after 10058 and the account limits.) */
    if (jsj__has(cfg->template_owner))
        return jsj__fail_args(err, detail, cap, JS_ERR_STREAM_CREATE,
                              "stream not owned by template");
    return 0;
}

/* configUpdateCheck: what an update may not change. */
static int update_rules(const struct js_stream_config *old, const struct js_stream_config *cfg,
                        enum js_err *err, char *detail, size_t cap)
{
    if (!jsj__str_eq(cfg->name, old->name))
        return INVALID("stream configuration name must match original");
    if (cfg->max_consumers != old->max_consumers)
        return INVALID("stream configuration update can not change MaxConsumers");
    if (cfg->storage != old->storage)
        return INVALID("stream configuration update can not change storage type");
    if (cfg->retention != old->retention)
        return INVALID("stream configuration update can not change retention policy");
    if (jsj__has(old->template_owner))
        return INVALID("stream configuration update not allowed on template owned stream");
    if (jsj__has(cfg->template_owner))
        return INVALID("stream configuration update can not be owned by a template");
    if (!cfg->sealed && old->sealed)
        return INVALID("stream configuration update can not unseal a sealed stream");
    if (!cfg->deny_delete && old->deny_delete)
        return INVALID("stream configuration update can not cancel deny message deletes");
    if (!cfg->deny_purge && old->deny_purge)
        return INVALID("stream configuration update can not cancel deny purge");
    if (!jsj__source_equal(cfg->mirror, old->mirror))
        return jsj__fail_plain(err, detail, cap, JS_ERR_STREAM_MIRROR_NOT_UPDATABLE);
    if (!jsj__republish_equal(cfg->republish, old->republish))
        return INVALID("stream configuration update can not change RePublish");
    if (cfg->discard_new_per_subject) {
        if (cfg->discard != JS_DISCARD_NEW)
            return INVALID("discard new per subject requires discard new policy to be set");
        if (cfg->max_msgs_per_subject <= 0)
            return INVALID("discard new per subject requires max msgs per subject > 0");
    }
    return 0;
}

int js_stream_config_check_update(const char *subject_name, const struct js_stream_config *old,
                                  struct js_stream_config *cfg, const struct js_stream_env *env,
                                  enum js_err *err, char *detail, size_t cap)
{
    int rc = js_stream_config_check(cfg, env, err, detail, cap);
    if (rc < 0)
        return rc;
    if (!jsj__str_eq(subject_name, cfg->name))
        return jsj__fail_plain(err, detail, cap, JS_ERR_STREAM_MISMATCH);
    if (old == NULL)
        return jsj__fail_plain(err, detail, cap, JS_ERR_STREAM_NOT_FOUND);
    if ((rc = update_rules(old, cfg, err, detail, cap)) < 0)
        return rc;
    if (cfg->sealed) {
        cfg->max_age = 0;
        cfg->discard = JS_DISCARD_NEW;
        cfg->deny_delete = cfg->deny_purge = true;
        cfg->allow_rollup_hdrs = false;
    }
    return 0;
}
