/* Client connections: creation, reading and parsing input, the protocol
 * commands (CONNECT, PUB/HPUB, SUB, UNSUB, PING, PONG), liveness timers and
 * closing. Everything here runs on the client's own worker thread. */
#include "server/server_int.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CLIENT_READ_SIZE       (64 * 1024)
#define CLIENT_READS_PER_EVENT 4

/* ---- sid table (chained hash, owner thread only) ---- */

static size_t sid_hash(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return (size_t)h;
}

static struct sub **sid_slot(struct client *c, const char *sid, size_t n)
{
    if (!c->subs_cap)
        return NULL;
    struct sub **pp = &c->subs_tab[sid_hash(sid, n) & (c->subs_cap - 1)];
    while (*pp && !((*pp)->sid_len == n && memcmp((*pp)->sid, sid, n) == 0))
        pp = &(*pp)->hnext;
    return pp;
}

static void sid_grow(struct client *c)
{
    size_t ncap = c->subs_cap ? c->subs_cap * 2 : 8;
    struct sub **tab = xcalloc(ncap, sizeof(*tab));
    for (size_t i = 0; i < c->subs_cap; i++) {
        struct sub *s = c->subs_tab[i];
        while (s) {
            struct sub *next = s->hnext;
            size_t b = sid_hash(s->sid, s->sid_len) & (ncap - 1);
            s->hnext = tab[b];
            tab[b] = s;
            s = next;
        }
    }
    free(c->subs_tab);
    c->subs_tab = tab;
    c->subs_cap = ncap;
}

static void sub_free(void *p)
{
    struct sub *s = p;
    free(s->subject);
    free(s->queue);
    free(s->sid);
    free(s);
}

/* Unlinks <sub> from the sublist and the sid table, and retires it. */
static void sub_remove(struct client *c, struct sub *sub)
{
    struct sub **pp = sid_slot(c, sub->sid, sub->sid_len);
    if (pp && *pp == sub)
        *pp = sub->hnext;
    c->nsubs--;
    (void)sl_remove(c->srv->sl, &sub->sl);
    sub->removed = true;
    srv__retire(c->w, sub, sub_free);
}

void client__prune_subs(struct client *c)
{
    for (size_t i = 0; i < c->subs_cap; i++) {
        struct sub *s = c->subs_tab[i];
        while (s) {
            struct sub *next = s->hnext;
            pthread_mutex_lock(&c->out_lock);
            bool done = s->max_msgs && s->delivered >= s->max_msgs;
            pthread_mutex_unlock(&c->out_lock);
            if (done)
                sub_remove(c, s);
            s = next;
        }
    }
}

/* ---- output helpers ---- */

void client__send_raw(struct client *c, const char *p, size_t n)
{
    pthread_mutex_lock(&c->out_lock);
    if (c->closing) {
        pthread_mutex_unlock(&c->out_lock);
        return;
    }
    buf_append(&c->out, p, n);
    bool sched = !c->flush_scheduled;
    c->flush_scheduled = true;
    pthread_mutex_unlock(&c->out_lock);
    if (sched)
        deliver__schedule(c->w, c);
}

void client__send_err(struct client *c, const char *text)
{
    char line[1024];
    int n = snprintf(line, sizeof(line), "-ERR '%s'\r\n", text);
    if (n > (int)sizeof(line) - 1)
        n = (int)sizeof(line) - 1;
    client__send_raw(c, line, (size_t)n);
}

static void send_ok(struct client *c)
{
    if (c->verbose)
        client__send_raw(c, "+OK\r\n", 5);
}

/* ---- timers ---- */

static void on_ping_timer(struct ev_loop *loop, struct ev_timer *t)
{
    struct client *c = t->data;
    if (c->pings_out + 1 > c->srv->opts->ping_max) {
        client__close(c, "Stale Connection", "Stale Connection");
        return;
    }
    c->pings_out++;
    c->ping_sent_mono = clock_mono_ns();
    client__send_raw(c, "PING\r\n", 6);
    ev_timer_start(loop, t, c->srv->opts->ping_interval_ns);
}

static void on_auth_timer(struct ev_loop *loop, struct ev_timer *t)
{
    struct client *c = t->data;
    if (c->state == CLIENT_WAIT_CONNECT)
        client__close(c, "Authentication Timeout", "Authentication Timeout");
}

#define STALL_NS (1 * NS_PER_MS)

void client__update_events(struct client *c)
{
    uint32_t ev = (c->stalled ? 0 : EV_READ) | (c->want_write ? EV_WRITE : 0);
    int rc = ev_io_modify(c->w->loop, &c->io, ev);
    if (rc)
        log_error("cid:%llu - cannot change watched events: %s", (unsigned long long)c->cid,
                  err_str(rc));
}

static void on_stall_timer(struct ev_loop *loop, struct ev_timer *t)
{
    struct client *c = t->data;
    c->stalled = false;
    client__update_events(c);
}

/* Pauses reading from a publisher whose receivers are backed up. */
static void stall(struct client *c)
{
    c->stall_req = false;
    c->stalled = true;
    client__update_events(c);
    ev_timer_start(c->w->loop, &c->stall_timer, STALL_NS);
}

static void on_wd_timer(struct ev_loop *loop, struct ev_timer *t)
{
    struct client *c = t->data;
    STAT_ADD(c->w->stats.slow_consumers, 1);
    char d[32];
    clock_fmt_duration(c->srv->opts->write_deadline_ns, d, sizeof(d));
    pthread_mutex_lock(&c->out_lock);
    size_t pending = buf_size(&c->out) + buf_size(&c->wbuf);
    pthread_mutex_unlock(&c->out_lock);
    log_notice("%s:%d - cid:%llu - Slow Consumer Detected: WriteDeadline of %s exceeded with "
               "%zu total bytes pending",
               c->ip, c->port, (unsigned long long)c->cid, d, pending);
    client__close(c, "Slow Consumer (Write Deadline)", NULL);
}

/* ---- lifecycle ---- */

static void client_free(void *p)
{
    struct client *c = p;
    for (size_t i = 0; i < c->subs_cap; i++) {
        struct sub *s = c->subs_tab[i];
        while (s) {
            struct sub *next = s->hnext;
            sub_free(s);
            s = next;
        }
    }
    free(c->subs_tab);
    buf_deinit(&c->rbuf);
    buf_deinit(&c->out);
    buf_deinit(&c->wbuf);
    pthread_mutex_destroy(&c->out_lock);
    free(c->name);
    free(c->lang);
    free(c->version);
    free(c->user_name);
    perm_cache_free(c->pcache);
    perm_resp_free(c->resp);
    free(c);
}

/* Refuses a connection over max_connections the way nats-server does: INFO,
 * then the error, then close. Written directly: the socket is fresh. */
static void refuse_max_conns(struct server *s, int fd, const char *ip)
{
    struct buf b;
    buf_init(&b);
    buf_append(&b, s->info_prefix, s->info_prefix_len);
    buf_appendf(&b, ",\"client_id\":%llu,\"client_ip\":\"%s\"",
                (unsigned long long)atomic_fetch_add(&s->next_cid, 1), ip);
    buf_append_str(&b, "} \r\n-ERR 'maximum connections exceeded'\r\n");
    ssize_t r = write(fd, buf_head(&b), buf_size(&b));
    (void)r;
    buf_deinit(&b);
    close(fd);
}

void client__create(struct worker *w, int fd, const char *ip, int port)
{
    struct server *s = w->srv;
    if (atomic_load(&s->stopping) || atomic_load(&s->lame_duck)) {
        close(fd);
        return;
    }
    if (atomic_fetch_add(&s->nconns, 1) >= s->opts->max_connections) {
        atomic_fetch_sub(&s->nconns, 1);
        log_error("%s:%d - Maximum connections exceeded", ip, port);
        refuse_max_conns(s, fd, ip);
        return;
    }
    atomic_fetch_add(&s->total_conns, 1);
    struct client *c = xcalloc(1, sizeof(*c));
    c->cid = atomic_fetch_add(&s->next_cid, 1);
    c->srv = s;
    c->w = w;
    c->state = CLIENT_WAIT_CONNECT;
    snprintf(c->ip, sizeof(c->ip), "%s", ip);
    c->port = port;
    c->start_real_ns = c->last_activity_real_ns = clock_real_ns();
    /* Before CONNECT a client has nats-server's CONNECT defaults. */
    c->verbose = c->pedantic = c->echo = true;
    buf_init(&c->rbuf);
    buf_init(&c->out);
    buf_init(&c->wbuf);
    pthread_mutex_init(&c->out_lock, NULL);
    list_init(&c->flush_node);
    c->io.fd = fd;
    c->io.cb = client__on_io;
    c->io.data = c;
    c->ping_timer.cb = on_ping_timer;
    c->ping_timer.data = c;
    c->auth_timer.cb = on_auth_timer;
    c->auth_timer.data = c;
    c->wd_timer.cb = on_wd_timer;
    c->wd_timer.data = c;
    c->stall_timer.cb = on_stall_timer;
    c->stall_timer.data = c;
    list_insert_tail(&w->clients, &c->node);
    if (ev_io_start(w->loop, &c->io, EV_READ) != 0) {
        client__close(c, "Read Error", NULL);
        return;
    }
    log_debug("%s:%d - cid:%llu - Client connection created", ip, port, (unsigned long long)c->cid);
    info__send(c, false);
    if (s->opts->ping_interval_ns > 0) {
        /* Like nats-server, the first PING goes out early (at most 2 s plus
         * up to 20% jitter) to measure the round trip; then every
         * ping_interval. */
        int64_t first = s->opts->ping_interval_ns;
        if (first > 2 * NS_PER_SEC)
            first = 2 * NS_PER_SEC;
        uint64_t r = (uint64_t)c->cid * 0x9e3779b97f4a7c15ULL;
        first += (int64_t)((r >> 11) % (uint64_t)(first / 5 + 1));
        ev_timer_start(w->loop, &c->ping_timer, first);
    }
    if (auth_timeout_ns(s->auth) > 0)
        ev_timer_start(w->loop, &c->auth_timer, auth_timeout_ns(s->auth));
}

void client__close(struct client *c, const char *reason, const char *err_text)
{
    if (c->state == CLIENT_CLOSED)
        return;
    struct worker *w = c->w;
    if (err_text)
        client__send_err(c, err_text);
    pthread_mutex_lock(&c->out_lock);
    c->closing = true;
    pthread_mutex_unlock(&c->out_lock);
    deliver__flush(c, false); /* best effort: the -ERR and pending output */
    c->state = CLIENT_CLOSED;
    c->close_reason = reason;
    pthread_mutex_lock(&w->inbox_lock);
    list_remove(&c->flush_node);
    pthread_mutex_unlock(&w->inbox_lock);
    ev_timer_stop(w->loop, &c->ping_timer);
    ev_timer_stop(w->loop, &c->auth_timer);
    ev_timer_stop(w->loop, &c->wd_timer);
    ev_timer_stop(w->loop, &c->stall_timer);
    ev_io_stop(w->loop, &c->io);
    close(c->io.fd);
    for (size_t i = 0; i < c->subs_cap; i++)
        for (struct sub *s = c->subs_tab[i]; s; s = s->hnext)
            if (!s->removed) {
                (void)sl_remove(c->srv->sl, &s->sl);
                s->removed = true;
            }
    list_remove(&c->node);
    atomic_fetch_sub(&c->srv->nconns, 1);
    srv__stats_closed_add(c);
    log_debug("%s:%d - cid:%llu - Client connection closed: %s", c->ip, c->port,
              (unsigned long long)c->cid, reason);
    srv__retire(w, c, client_free);
}

/* ---- commands ---- */

/* True when <t> is a JSON object (an INFO a client sent us). */
static bool json_is_object_text(struct slice t)
{
    json_t *j = json_loadb(t.p, t.len, 0, NULL);
    bool ok = j && json_is_object(j);
    json_decref(j);
    return ok;
}

static int handle_connect(struct client *c, const struct proto_cmd *cmd)
{
    struct proto_connect pc;
    struct errbuf eb = {{0}};
    if (proto_connect_parse(cmd->json, &pc, &eb) != 0) {
        /* nats-server closes without an -ERR here; say why in the log. */
        log_error("%s:%d - cid:%llu - malformed CONNECT: %s", c->ip, c->port,
                  (unsigned long long)c->cid, eb.msg);
        proto_connect_deinit(&pc);
        client__close(c, "Protocol Error", NULL);
        return -1;
    }
    if (pc.protocol < 0 || pc.protocol > 1) {
        proto_connect_deinit(&pc);
        client__close(c, "Protocol Error", "invalid client protocol");
        return -1;
    }
    const struct auth_user *user = NULL;
    if (auth_check(c->srv->auth, &pc, &user) != 0) {
        log_error("%s:%d - cid:%llu - authentication error", c->ip, c->port,
                  (unsigned long long)c->cid);
        proto_connect_deinit(&pc);
        client__close(c, "Authentication Failure", "Authorization Violation");
        return -1;
    }
    if (pc.no_responders && !pc.headers) {
        proto_connect_deinit(&pc);
        client__close(c, "Protocol Error", "no responders requires headers support");
        return -1;
    }
    c->verbose = pc.verbose;
    c->pedantic = pc.pedantic;
    c->echo = pc.echo;
    c->headers = pc.headers && !c->srv->opts->no_header_support;
    c->no_responders = pc.no_responders;
    c->protocol = pc.protocol;
    FREE_AND_NULL(c->name);
    FREE_AND_NULL(c->lang);
    FREE_AND_NULL(c->version);
    c->name = pc.name;
    c->lang = pc.lang;
    c->version = pc.version;
    pc.name = pc.lang = pc.version = NULL;
    if (user && !c->user) {
        c->user = user;
        c->user_name = xstrdup(auth_user_name(user));
        c->perm = auth_user_perm(user);
        if (c->perm) {
            c->pcache = perm_cache_new();
            if (perm_allows_responses(c->perm))
                c->resp = perm_resp_new(c->perm);
        }
    }
    proto_connect_deinit(&pc);
    c->state = CLIENT_CONNECTED;
    ev_timer_stop(c->w->loop, &c->auth_timer);
    send_ok(c);
    return 0;
}

static bool can_publish(struct client *c, struct slice subj)
{
    if (!c->perm)
        return true;
    if (perm_cache_can_publish(c->pcache, c->perm, subj.p, subj.len))
        return true;
    return c->resp && perm_resp_take(c->resp, subj.p, subj.len, clock_mono_ns());
}

static int handle_pub(struct client *c, const struct proto_cmd *cmd)
{
    if (cmd->op == PROTO_OP_HPUB && !c->headers) {
        /* nats-server drops a connection that sends HPUB without having
         * negotiated headers, without an -ERR. */
        client__close(c, "Protocol Error", NULL);
        return -1;
    }
    /* nats-server answers an invalid subject in pedantic mode with an -ERR
     * but still routes the message (a literal match on its tokens). */
    if (c->pedantic && !c->pub_err_sent && !subj_is_valid_literal(cmd->subject.p, cmd->subject.len))
        client__send_err(c, "Invalid Publish Subject");
    c->pub_err_sent = false;
    if (!can_publish(c, cmd->subject)) {
        char text[600];
        perm_pub_violation_text(text, sizeof(text), cmd->subject.p, cmd->subject.len);
        log_notice("%s:%d - cid:%llu - \"%s\" - %s", c->ip, c->port, (unsigned long long)c->cid,
                   c->user_name ? c->user_name : "", text);
        client__send_err(c, text);
        return 0;
    }
    send_ok(c);
    /* An HPUB with an empty header block is delivered as a plain MSG. */
    bool hdrs = cmd->op == PROTO_OP_HPUB && cmd->hdr_len > 0;
    struct pubmsg m = {
        .from = c,
        .subj = cmd->subject,
        .reply = cmd->reply,
        .payload = cmd->payload,
        .hdr_len = hdrs ? (long)cmd->hdr_len : -1,
        .hdr_text = hdrs ? cmd->hdr_text : slice_of(NULL, 0),
        .size_text = cmd->size_text,
    };
    deliver__publish(&m);
    return 0;
}

static int handle_sub(struct client *c, const struct proto_cmd *cmd)
{
    if (!subj_is_valid_filter(cmd->subject.p, cmd->subject.len) ||
        (cmd->queue.len && !subj_is_valid_queue(cmd->queue.p, cmd->queue.len))) {
        client__send_err(c, "Invalid Subject");
        return 0;
    }
    if (c->perm && !perm_can_subscribe(c->perm, cmd->subject.p, cmd->subject.len,
                                       cmd->queue.len ? cmd->queue.p : NULL, cmd->queue.len)) {
        char text[600];
        perm_sub_violation_text(text, sizeof(text), cmd->subject.p, cmd->subject.len,
                                cmd->queue.len ? cmd->queue.p : NULL, cmd->queue.len);
        log_notice("%s:%d - cid:%llu - \"%s\" - %s", c->ip, c->port, (unsigned long long)c->cid,
                   c->user_name ? c->user_name : "", text);
        client__send_err(c, text);
        return 0;
    }
    struct sub **pp = sid_slot(c, cmd->sid.p, cmd->sid.len);
    if (pp && *pp) { /* duplicate sid: nats-server keeps the first */
        send_ok(c);
        return 0;
    }
    int64_t maxsubs = c->srv->opts->max_subscriptions;
    if (maxsubs > 0 && (int64_t)c->nsubs >= maxsubs) {
        client__send_err(c, "maximum subscriptions exceeded");
        return 0;
    }
    if (c->nsubs + 1 > c->subs_cap)
        sid_grow(c);
    struct sub *s = xcalloc(1, sizeof(*s));
    s->client = c;
    s->subject = xstrndup(cmd->subject.p, cmd->subject.len);
    s->queue = cmd->queue.len ? xstrndup(cmd->queue.p, cmd->queue.len) : NULL;
    s->sid = xstrndup(cmd->sid.p, cmd->sid.len);
    s->sid_len = cmd->sid.len;
    s->sl.subject = s->subject;
    s->sl.subject_len = cmd->subject.len;
    s->sl.queue = s->queue;
    s->sl.queue_len = cmd->queue.len;
    s->sl.owner = s;
    s->check_deliver =
        c->perm && perm_sub_needs_deliver_check(c->perm, s->subject, cmd->subject.len);
    if (sl_insert(c->srv->sl, &s->sl) != 0) {
        sub_free(s);
        client__send_err(c, "Invalid Subject");
        return 0;
    }
    pp = sid_slot(c, s->sid, s->sid_len);
    *pp = s;
    c->nsubs++;
    send_ok(c);
    if (c->srv->sub_hook)
        c->srv->sub_hook(c->srv->sub_hook_arg, c->w, slice_of(s->subject, cmd->subject.len));
    return 0;
}

static int handle_unsub(struct client *c, const struct proto_cmd *cmd)
{
    struct sub **pp = sid_slot(c, cmd->sid.p, cmd->sid.len);
    struct sub *s = pp ? *pp : NULL;
    if (s) {
        pthread_mutex_lock(&c->out_lock); /* guards s->delivered */
        bool keep = cmd->max_msgs > 0 && s->delivered < (uint64_t)cmd->max_msgs;
        if (keep)
            s->max_msgs = (uint64_t)cmd->max_msgs;
        pthread_mutex_unlock(&c->out_lock);
        if (!keep)
            sub_remove(c, s);
    }
    send_ok(c);
    return 0;
}

static bool is_connect_op(enum proto_op op)
{
    return op == PROTO_OP_CONNECT;
}

/* Returns 0 to continue, -1 when the client was closed. */
static int handle_cmd(struct client *c, const struct proto_cmd *cmd)
{
    if (c->state == CLIENT_WAIT_CONNECT && !is_connect_op(cmd->op) &&
        auth_is_required(c->srv->auth)) {
        client__close(c, "Authentication Failure", "Authorization Violation");
        return -1;
    }
    switch (cmd->op) {
    case PROTO_OP_CONNECT:
        return handle_connect(c, cmd);
    case PROTO_OP_PUB:
    case PROTO_OP_HPUB:
        return handle_pub(c, cmd);
    case PROTO_OP_SUB:
        return handle_sub(c, cmd);
    case PROTO_OP_UNSUB:
        return handle_unsub(c, cmd);
    case PROTO_OP_PING:
        client__send_raw(c, "PONG\r\n", 6);
        return 0;
    case PROTO_OP_PONG:
        c->pings_out = 0;
        if (c->ping_sent_mono) {
            c->rtt_ns = clock_mono_ns() - c->ping_sent_mono;
            c->ping_sent_mono = 0;
        }
        return 0;
    case PROTO_OP_INFO:
        if (!json_is_object_text(cmd->json)) {
            client__close(c, "Protocol Error", NULL);
            return -1;
        }
        return 0;
    case PROTO_OP_OK:
        return 0;
    case PROTO_OP_ERR:
        client__close(c, "Client Closed", NULL);
        return -1;
    default:
        client__close(c, "Protocol Error", "Unknown Protocol Operation");
        return -1;
    }
}

static void handle_parse_error(struct client *c, enum proto_err e)
{
    const char *text = proto_err_text(e);
    log_error("%s:%d - cid:%llu - Client parser ERROR, state=%d: %s", c->ip, c->port,
              (unsigned long long)c->cid, (int)c->state, text);
    if (e == PROTO_ERR_MAX_PAYLOAD)
        client__close(c, "Maximum Payload Exceeded", text);
    else if (e == PROTO_ERR_MAX_CONTROL_LINE)
        client__close(c, "Maximum Control Line Exceeded", text);
    else
        client__close(c, "Protocol Error", text);
}

/* A PUB whose control line is complete waits for its payload. nats-server
 * checks the subject as the control line is parsed, and parses it a second
 * time when a read ends before the payload (to keep it past the read
 * buffer): a pedantic client gets -ERR 'Invalid Publish Subject' twice
 * then, before the payload. The message is still routed once complete,
 * without another -ERR. */
static void pub_waits(struct client *c, const struct proto_cmd *cmd)
{
    if (c->pub_err_sent || !c->pedantic || (cmd->op != PROTO_OP_PUB && cmd->op != PROTO_OP_HPUB) ||
        subj_is_valid_literal(cmd->subject.p, cmd->subject.len))
        return;
    client__send_err(c, "Invalid Publish Subject");
    client__send_err(c, "Invalid Publish Subject");
    c->pub_err_sent = true;
}

/* Parses and runs every whole command in <p>[0..<n>). Returns the bytes
 * consumed, or -1 when the client was closed. Sets *<need> for a partial
 * command whose full size is known. */
static ssize_t process(struct client *c, const char *p, size_t n, size_t *need)
{
    size_t off = 0;
    *need = 0;
    while (off < n) {
        struct proto_cmd cmd;
        enum proto_err perr = PROTO_ERR_NONE;
        size_t want = 0;
        int rc = proto_parse(&c->srv->limits, p + off, n - off, &cmd, &want, &perr);
        if (rc == 0) {
            *need = want;
            if (want)
                pub_waits(c, &cmd);
            break;
        }
        if (rc < 0) {
            handle_parse_error(c, perr);
            return -1;
        }
        off += (size_t)rc;
        if (handle_cmd(c, &cmd) < 0 || c->state == CLIENT_CLOSED)
            return -1;
    }
    return (ssize_t)off;
}

/* Reads once and runs what arrived. Returns true when the read filled the
 * space offered (more is probably waiting) and the client may go on. */
static bool read_input(struct client *c)
{
    struct worker *w = c->w;
    bool shared = buf_size(&c->rbuf) == 0;
    struct buf *b = shared ? &w->rbuf : &c->rbuf;
    if (shared)
        buf_clear(b);
    else
        buf_compact(b);
    size_t want = CLIENT_READ_SIZE;
    if (!shared && c->rbuf.cap > c->rbuf.len + want)
        want = c->rbuf.cap - c->rbuf.len;
    buf_reserve(b, want);
    size_t room = b->cap - b->len;
    ssize_t r = read(c->io.fd, b->data + b->len, room);
    if (r == 0) {
        client__close(c, "Client Closed", NULL);
        return false;
    }
    if (r < 0) {
        if (errno != EAGAIN && errno != EINTR)
            client__close(c, "Read Error", NULL);
        return false;
    }
    b->len += (size_t)r;
    c->last_activity_real_ns = clock_real_ns();
    size_t need = 0;
    ssize_t used = process(c, buf_head(b), buf_size(b), &need);
    if (used < 0)
        return false;
    if (shared) {
        if ((size_t)used < buf_size(b))
            buf_append(&c->rbuf, buf_head(b) + used, buf_size(b) - (size_t)used);
        buf_clear(b);
    } else {
        buf_consume(b, (size_t)used);
    }
    if (need > buf_size(&c->rbuf))
        buf_reserve(&c->rbuf, need - buf_size(&c->rbuf));
    if (buf_size(&c->rbuf) == 0)
        buf_shrink(&c->rbuf, 0);
    if (c->stall_req) {
        stall(c);
        return false;
    }
    return (size_t)r == room;
}

void client__on_io(struct ev_loop *loop, struct ev_io *io, uint32_t events)
{
    struct client *c = io->data;
    if (events & EV_WRITE)
        deliver__flush(c, false);
    if (c->state == CLIENT_CLOSED || !(events & (EV_READ | EV_ERROR | EV_HUP)))
        return;
    /* A busy publisher gets a few reads per loop iteration: bigger batches
     * per flush and per JetStream group commit, still fair to others. */
    for (int i = 0; i < CLIENT_READS_PER_EVENT && read_input(c); i++)
        ;
}
