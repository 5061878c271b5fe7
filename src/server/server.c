/* Server lifecycle: construction from options, start-up (listener, pid and
 * ports files, I/O threads), the signal-handling wait loop with graceful
 * stop and lame-duck mode, and QSBR memory reclamation (see server_int.h). */
#include "server/server.h"

#include "server/server_int.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct server *srv_new(const struct conf_opts *opts, struct errbuf *eb)
{
    struct auth *a = auth_new(opts, eb);
    if (!a)
        return NULL;
    struct server *s = xcalloc(1, sizeof(*s));
    s->opts = opts;
    s->auth = a;
    s->sl = sl_new();
    s->lfd = -1;
    s->isubs_owner = srv__internal_client_new(s, NULL);
    nuid_server_id(s->server_id);
    s->server_name =
        xstrdup(opts->server_name && *opts->server_name ? opts->server_name : s->server_id);
    s->limits.max_control_line = (size_t)opts->max_control_line;
    s->limits.max_payload = (size_t)opts->max_payload;
    atomic_init(&s->next_cid, 1);
    atomic_init(&s->epoch, 1);
    pthread_mutex_init(&s->stop_lock, NULL);
    pthread_cond_init(&s->stop_cond, NULL);
    s->start_real_ns = clock_real_ns();
    srv__stats_init(s);
    return s;
}

int srv_port(const struct server *s)
{
    return s->port;
}

static int write_pid_file(const char *path, struct errbuf *eb)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return errbuf_set(eb, -errno, "cannot write pid file %s: %s", path, strerror(errno));
    fprintf(f, "%ld", (long)getpid());
    fclose(f);
    return 0;
}

/* nats-server's ports file: <dir>/<exe>_<pid>.ports with the client URL
 * and, once the monitoring port listens, its URL. */
static int write_ports_file(struct server *s, int http_port, struct errbuf *eb)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/gannet-server_%ld.ports", s->opts->ports_file_dir,
             (long)getpid());
    FILE *f = fopen(path, "w");
    if (!f)
        return errbuf_set(eb, -errno, "cannot write ports file %s: %s", path, strerror(errno));
    const char *h = s->opts->host && strcmp(s->opts->host, "0.0.0.0") ? s->opts->host : "127.0.0.1";
    fprintf(f, "{\"nats\":[\"nats://%s:%d\"]", h, s->port);
    if (http_port > 0)
        fprintf(f, ",\"monitoring\":[\"http://%s:%d\"]", h, http_port);
    fputs("}\n", f);
    fclose(f);
    return 0;
}

int srv_ports_file_add_monitor(struct server *s, int http_port, struct errbuf *eb)
{
    return s->opts->ports_file_dir ? write_ports_file(s, http_port, eb) : 0;
}

int srv_start(struct server *s, struct errbuf *eb)
{
    int port = s->opts->port < 0 ? 0 : s->opts->port;
    int fd = tcp_listen(s->opts->host, port, 1024, eb);
    if (fd < 0)
        return fd;
    s->lfd = fd;
    s->port = tcp_local_port(fd);
    info__build(s);
    int rc = srv__workers_start(s, eb);
    if (rc)
        return rc;
    log_notice("Starting nats-server compatible gannet-server");
    log_notice("  Version:  %s (nats-server %s compatible)", GANNET_OWN_VERSION,
               GANNET_NATS_COMPAT_VERSION);
    log_notice("  ID:       %s", s->server_id);
    log_notice("  Name:     %s", s->server_name);
    log_notice("Listening for client connections on %s:%d",
               s->opts->host ? s->opts->host : "0.0.0.0", s->port);
    if (s->opts->pid_file && (rc = write_pid_file(s->opts->pid_file, eb)))
        return rc;
    if (s->opts->ports_file_dir && (rc = write_ports_file(s, 0, eb)))
        return rc;
    log_notice("Server is ready");
    return 0;
}

void srv_block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

void srv_stop(struct server *s)
{
    if (atomic_exchange(&s->stopping, true))
        return;
    for (int i = 0; i < s->nworkers; i++)
        srv__post(&s->workers[i], WORKER_OP_SHUTDOWN);
}

/* Lame duck: stop accepting, tell clients (INFO ldm), wait the grace
 * period, then close the clients one by one spread over the rest of the
 * duration (at most a second apart), as nats-server does; then stop. */
struct ldm {
    bool on;
    int64_t close_from; /* monotonic time the closing starts */
    int64_t next;       /* next close */
    int64_t interval;   /* between closes */
    unsigned rr;        /* worker to ask next */
};

static void enter_lame_duck(struct server *s, struct ldm *l)
{
    if (atomic_exchange(&s->lame_duck, true))
        return;
    log_notice("Entering lame duck mode, stop accepting new clients");
    srv__post(&s->workers[0], WORKER_OP_CLOSE_LISTENER);
    for (int i = 0; i < s->nworkers; i++)
        srv__post(&s->workers[i], WORKER_OP_LDM_INFO);
    int64_t grace = s->opts->lame_duck_grace_period_ns > 0 ? s->opts->lame_duck_grace_period_ns : 0;
    int64_t dur = s->opts->lame_duck_duration_ns - grace;
    int64_t n = atomic_load(&s->nconns);
    l->on = true;
    l->close_from = l->next = clock_mono_ns() + grace;
    l->interval = n > 0 && dur > 0 ? dur / n : 0;
    if (l->interval > NS_PER_SEC)
        l->interval = NS_PER_SEC;
}

/* Closes one client of worker <w>, if it has any (a posted call). */
static void ldm_close_one(void *arg, struct worker *w)
{
    if (!list_is_empty(&w->clients))
        client__close(LIST_ENTRY(w->clients.next, struct client, node), "Server Shutdown", NULL);
}

/* One step of the lame-duck schedule; true when it is time to stop. */
static bool ldm_step(struct server *s, struct ldm *l)
{
    int64_t now = clock_mono_ns();
    if (now < l->next)
        return false;
    if (atomic_load(&s->nconns) <= 0)
        return true;
    do {
        srv_post_call(s, l->rr++, ldm_close_one, NULL);
        l->next += l->interval;
    } while (l->interval < NS_PER_MS && l->next <= now + 50 * NS_PER_MS && l->rr % 64 != 0);
    return false;
}

static const char *sig_name(int sig)
{
    switch (sig) {
    case SIGINT:
        return "interrupt";
    case SIGTERM:
        return "terminated";
    case SIGQUIT:
        return "quit";
    default:
        return "signal";
    }
}

int srv_wait(struct server *s)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGQUIT);
    struct ldm l = {0};
    while (!atomic_load(&s->stopping)) {
        struct timespec ts = {0, (l.on ? 10 : 200) * 1000 * 1000};
        int sig = sigtimedwait(&set, NULL, &ts);
        if (l.on && ldm_step(s, &l)) {
            log_notice("Lame duck mode over, shutting down");
            srv_stop(s);
            break;
        }
        if (sig < 0)
            continue;
        switch (sig) {
        case SIGINT:
        case SIGTERM:
        case SIGQUIT:
            log_notice("Trapped \"%s\" signal", sig_name(sig));
            srv_stop(s);
            break;
        case SIGUSR1:
            log_notice("Trapped \"user defined signal 1\": reopening log file");
            if (log_reopen() == 0)
                log_notice("File log re-opened");
            break;
        case SIGUSR2:
            enter_lame_duck(s, &l);
            break;
        case SIGHUP:
            log_warn("Config reload is not supported yet; ignoring SIGHUP");
            break;
        default:
            break;
        }
    }
    srv__stats_detach_workers(s);
    srv__workers_join(s);
    log_notice("Server Exiting..");
    return 0;
}

void srv_free(struct server *s)
{
    if (!s)
        return;
    srv_stop(s);
    srv__stats_detach_workers(s);
    srv__workers_join(s);
    srv__stats_free(s);
    if (s->lfd >= 0)
        close(s->lfd);
    if (s->opts->pid_file)
        unlink(s->opts->pid_file);
    if (s->opts->ports_file_dir) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/gannet-server_%ld.ports", s->opts->ports_file_dir,
                 (long)getpid());
        unlink(path);
    }
    sl_free(s->sl);
    srv__internal_client_free(s->isubs_owner);
    free(s->hooks);
    auth_free(s->auth);
    free(s->info_prefix);
    free(s->server_name);
    pthread_mutex_destroy(&s->stop_lock);
    pthread_cond_destroy(&s->stop_cond);
    free(s);
}

/* ---- QSBR ---- */

void srv__retire(struct worker *w, void *ptr, void (*free_fn)(void *))
{
    struct retired *r = xmalloc(sizeof(*r));
    r->ptr = ptr;
    r->free_fn = free_fn;
    r->epoch = atomic_fetch_add(&w->srv->epoch, 1) + 1;
    list_insert_tail(&w->retired, &r->node);
}

/* Oldest epoch some other worker may still be using (UINT64_MAX if none). */
static uint64_t min_foreign_epoch(struct worker *w)
{
    uint64_t min = UINT64_MAX;
    struct server *s = w->srv;
    for (int i = 0; i < s->nworkers; i++) {
        if (&s->workers[i] == w)
            continue;
        uint64_t e = atomic_load(&s->workers[i].qsbr_epoch);
        if (e != 0 && e < min)
            min = e;
    }
    return min;
}

/* Called at the top of the loop, where this worker holds no references to
 * shared objects. Frees what every other worker has stopped seeing. Flush
 * queues are drained between the epoch snapshot and the frees, so that a
 * client pushed into our inbox by a worker that then went quiescent is
 * taken out before it is freed (see deliver__flush_all). */
void srv__quiescent(struct worker *w)
{
    atomic_store(&w->qsbr_epoch, atomic_load(&w->srv->epoch));
    if (list_is_empty(&w->retired))
        return;
    uint64_t min = min_foreign_epoch(w);
    deliver__flush_all(w);
    while (!list_is_empty(&w->retired)) {
        struct retired *r = LIST_ENTRY(w->retired.next, struct retired, node);
        if (r->epoch > min)
            break;
        list_remove(&r->node);
        r->free_fn(r->ptr);
        free(r);
    }
}

void srv__post(struct worker *w, unsigned op)
{
    pthread_mutex_lock(&w->inbox_lock);
    w->ops |= op;
    pthread_mutex_unlock(&w->inbox_lock);
    ev_loop_wake(w->loop);
}
