/* Internal subscriptions and server-originated publishing: the hooks the
 * JetStream layer builds on. Internal subscribers are struct sub entries
 * owned by a socket-less client; deliver.c hands them messages by callback
 * after the socket deliveries. Each worker has its own socket-less client
 * (w->sys) to publish from, so that internal publishes use that worker's
 * caches and statistics like any client's. */
#include "server/server_int.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

struct client *srv__internal_client_new(struct server *s, struct worker *w)
{
    struct client *c = xcalloc(1, sizeof(*c));
    c->internal = true;
    c->cid = atomic_fetch_add(&s->next_cid, 1);
    c->srv = s;
    c->w = w;
    c->state = CLIENT_CONNECTED;
    c->headers = true;
    c->echo = true;
    c->io.fd = -1;
    snprintf(c->ip, sizeof(c->ip), "internal");
    buf_init(&c->rbuf);
    buf_init(&c->out);
    buf_init(&c->wbuf);
    pthread_mutex_init(&c->out_lock, NULL);
    list_init(&c->flush_node);
    list_init(&c->node);
    return c;
}

void srv__internal_client_free(struct client *c)
{
    if (!c)
        return;
    buf_deinit(&c->rbuf);
    buf_deinit(&c->out);
    buf_deinit(&c->wbuf);
    pthread_mutex_destroy(&c->out_lock);
    free(c);
}

static void isub_free(void *p)
{
    struct sub *s = p;
    free(s->subject);
    free(s->queue);
    free(s->sid);
    free(s);
}

int srv_isub_add(struct server *s, const char *subject, const char *queue, srv_msg_cb cb, void *arg,
                 struct srv_isub **out)
{
    struct sub *sub = xcalloc(1, sizeof(*sub));
    sub->client = s->isubs_owner;
    sub->subject = xstrdup(subject);
    sub->queue = queue ? xstrdup(queue) : NULL;
    sub->sid = xstrdup("0");
    sub->sid_len = 1;
    sub->icb = cb;
    sub->iarg = arg;
    sub->sl.subject = sub->subject;
    sub->sl.subject_len = strlen(subject);
    sub->sl.queue = sub->queue;
    sub->sl.queue_len = queue ? strlen(queue) : 0;
    sub->sl.owner = sub;
    int rc = sl_insert(s->sl, &sub->sl);
    if (rc) {
        isub_free(sub);
        return rc;
    }
    *out = (struct srv_isub *)sub;
    return 0;
}

void srv_isub_remove(struct server *s, struct worker *w, struct srv_isub *isub)
{
    struct sub *sub = (struct sub *)isub;
    if (!sub)
        return;
    (void)sl_remove(s->sl, &sub->sl);
    sub->removed = true;
    if (w)
        srv__retire(w, sub, isub_free);
    else
        isub_free(sub);
}

void srv_isub_decline(struct worker *w)
{
    w->declined++;
}

void srv_publish(struct worker *w, struct slice subject, struct slice reply, struct slice hdr,
                 struct slice data)
{
    srv_publish_ex(w, subject, reply, hdr, data, false);
}

void srv_publish_ex(struct worker *w, struct slice subject, struct slice reply, struct slice hdr,
                    struct slice data, bool empty_reply_field)
{
    srv_deliver_as(w, slice_of(NULL, 0), subject, reply, hdr, data, empty_reply_field);
}

void srv_deliver_as(struct worker *w, struct slice route, struct slice subject, struct slice reply,
                    struct slice hdr, struct slice data, bool empty_reply_field)
{
    struct slice payload = data;
    struct buf tmp;
    buf_init(&tmp);
    if (hdr.len) {
        if (hdr.p + hdr.len == data.p || data.len == 0) {
            payload = slice_of(hdr.p, hdr.len + data.len);
        } else {
            buf_append(&tmp, hdr.p, hdr.len);
            buf_append(&tmp, data.p, data.len);
            payload = slice_of(buf_head(&tmp), buf_size(&tmp));
        }
    }
    struct pubmsg m = {
        .from = w->sys,
        .subj = subject,
        .reply = reply,
        .payload = payload,
        .hdr_len = hdr.len ? (long)hdr.len : -1,
        .empty_reply_field = empty_reply_field,
        .route = route,
    };
    deliver__publish(&m);
    buf_deinit(&tmp);
}

void srv_add_sleep_hook(struct server *s, srv_worker_cb cb, void *arg)
{
    s->hooks = xrealloc(s->hooks, (s->nhooks + 1) * sizeof(*s->hooks));
    s->hooks[s->nhooks].cb = cb;
    s->hooks[s->nhooks].arg = arg;
    s->nhooks++;
}

void srv_set_sub_hook(struct server *s, srv_sub_cb cb, void *arg)
{
    s->sub_hook = cb;
    s->sub_hook_arg = arg;
}

void srv__run_sleep_hooks(struct worker *w)
{
    struct server *s = w->srv;
    for (size_t i = 0; i < s->nhooks; i++)
        s->hooks[i].cb(s->hooks[i].arg, w);
}

void srv_post_call(struct server *s, unsigned idx, srv_worker_cb cb, void *arg)
{
    struct worker *w = &s->workers[idx % (unsigned)s->nworkers];
    struct postcall *pc = xmalloc(sizeof(*pc));
    pc->cb = cb;
    pc->arg = arg;
    pthread_mutex_lock(&w->inbox_lock);
    list_insert_tail(&w->calls, &pc->node);
    pthread_mutex_unlock(&w->inbox_lock);
    ev_loop_wake(w->loop);
}

void srv__run_calls(struct worker *w)
{
    for (;;) {
        pthread_mutex_lock(&w->inbox_lock);
        if (list_is_empty(&w->calls)) {
            pthread_mutex_unlock(&w->inbox_lock);
            return;
        }
        struct postcall *pc = LIST_ENTRY(w->calls.next, struct postcall, node);
        list_remove(&pc->node);
        pthread_mutex_unlock(&w->inbox_lock);
        pc->cb(pc->arg, w);
        free(pc);
    }
}

struct ev_loop *srv_worker_loop(struct worker *w)
{
    return w->loop;
}

unsigned srv_worker_index(const struct worker *w)
{
    return (unsigned)w->idx;
}

struct server *srv_worker_server(struct worker *w)
{
    return w->srv;
}

void srv_retire(struct worker *w, void *ptr, void (*free_fn)(void *))
{
    srv__retire(w, ptr, free_fn);
}

unsigned srv_worker_count(const struct server *s)
{
    return (unsigned)s->nworkers;
}

const char *srv_server_id(const struct server *s)
{
    return s->server_id;
}

const char *srv_server_name(const struct server *s)
{
    return s->server_name;
}

/* Whether a subscription matches <subject>: any, or with <queue> only a
 * queue subscription of that group. */
static bool interest(struct server *s, const char *subject, size_t len, const char *queue,
                     size_t qlen)
{
    struct sl_result r;
    sl_result_init(&r);
    sl_match(s->sl, subject, len, &r);
    bool any = !queue && r.npsubs + r.nqsubs > 0;
    for (size_t g = 0; queue && g < r.nqgroups && !any; g++) { /* members share the name */
        const struct sl_sub *q = r.qsubs[r.qstart[g]];
        any = q->queue_len == qlen && memcmp(q->queue, queue, qlen) == 0;
    }
    sl_result_deinit(&r);
    return any;
}

bool srv_has_queue_interest(struct server *s, const char *subject, size_t len, const char *queue,
                            size_t qlen)
{
    return interest(s, subject, len, queue, qlen);
}

bool srv_has_interest(struct server *s, const char *subject, size_t len)
{
    return interest(s, subject, len, NULL, 0);
}
