/* JetStream lifecycle: the store directory, stream recovery at start-up,
 * the stream table, the worker hook that hands PubAcks to group commit
 * (commit.c), the max_age timer and the consumer timer. */
#include "jetstream/jetstream.h"

#include "jetstream/js_int.h"
#include "net/net.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/nuid.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define EXPIRE_TICK_NS (100 * NS_PER_MS)
/* The consumer timer fires when consumer work is due (redeliveries,
 * expiring pulls, heartbeats, rate limits), at least this often and at most
 * this often; each consumer is only scanned when it has work due. */
#define CONSUMER_TICK_MAX_NS (100 * NS_PER_MS)
#define CONSUMER_TICK_MIN_NS (NS_PER_MS / 2)
#define CONSUMER_SAVE_NS     (100 * NS_PER_MS)

/* fsyncs <root> and its parents up to the store directory
 * (<sd>/jetstream/$G/streams), so that directories mkdirs created survive
 * a power cut. Best effort: a failure shows up at the first stream sync. */
static void sync_root_dirs(const char *root)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s", root);
    for (int level = 0; level < 4; level++) {
        (void)js__fsync_dir(tmp);
        char *slash = strrchr(tmp, '/');
        if (!slash || slash == tmp)
            break;
        *slash = '\0';
    }
}

/* mkdir -p. Returns 0 or -errno. */
static int mkdirs(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n >= sizeof(tmp))
        return -ENAMETOOLONG;
    memcpy(tmp, path, n + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
        return -errno;
    return 0;
}

struct stream *js__stream_find(struct jetstream *js, const char *name)
{
    for (size_t i = 0; i < js->nstreams; i++)
        if (strcmp(js->streams[i]->cfg.name, name) == 0)
            return js->streams[i];
    return NULL;
}

struct stream *js__stream_acquire(struct jetstream *js, const char *name, size_t len)
{
    char sname[256];
    if (len >= sizeof(sname))
        return NULL;
    memcpy(sname, name, len);
    sname[len] = '\0';
    pthread_mutex_lock(&js->lock);
    struct stream *st = js__stream_find(js, sname);
    if (st)
        js__stream_ref(st);
    pthread_mutex_unlock(&js->lock);
    return st;
}

void js__event_id(char *out)
{
    struct nuid n;
    nuid_init(&n);
    nuid_next(&n, out);
}

int js__fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int rc = fsync(fd) != 0 ? -errno : 0;
    close(fd);
    return rc;
}

int js__write_file(const char *dir, const char *name, const void *p, size_t n, bool durable)
{
    char path[4096], tmp[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    snprintf(tmp, sizeof(tmp), "%s/%s.tmp", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return -errno;
    int rc = 0;
    for (size_t off = 0; rc == 0 && off < n;) {
        ssize_t w = write(fd, (const char *)p + off, n - off);
        if (w < 0 && errno != EINTR)
            rc = -errno;
        else if (w > 0)
            off += (size_t)w;
    }
    if (rc == 0 && durable && fdatasync(fd) != 0)
        rc = -errno;
    if (close(fd) != 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -errno;
    if (rc == 0 && durable)
        rc = js__fsync_dir(dir);
    if (rc)
        unlink(tmp);
    return rc;
}

void js__stream_add(struct jetstream *js, struct stream *st)
{
    if (js->nstreams == js->cap) {
        js->cap = js->cap ? js->cap * 2 : 16;
        js->streams = xrealloc(js->streams, js->cap * sizeof(*js->streams));
    }
    size_t i = js->nstreams;
    while (i > 0 && strcmp(js->streams[i - 1]->cfg.name, st->cfg.name) > 0) {
        js->streams[i] = js->streams[i - 1];
        i--;
    }
    js->streams[i] = st;
    js->nstreams++;
}

void js__stream_remove(struct jetstream *js, struct stream *st)
{
    for (size_t i = 0; i < js->nstreams; i++) {
        if (js->streams[i] != st)
            continue;
        memmove(&js->streams[i], &js->streams[i + 1],
                (js->nstreams - i - 1) * sizeof(*js->streams));
        js->nstreams--;
        return;
    }
}

void js__stream_ref(struct stream *st)
{
    atomic_fetch_add(&st->refs, 1);
}

void js__stream_unref(struct stream *st)
{
    if (atomic_fetch_sub(&st->refs, 1) == 1)
        js__stream_free(st);
}

void js__usage(struct jetstream *js, uint64_t *mem, uint64_t *store)
{
    *mem = *store = 0;
    for (size_t i = 0; i < js->nstreams; i++) {
        struct stream *st = js->streams[i];
        struct store_state ss;
        pthread_mutex_lock(&st->lock);
        store_state_get(st->store, &ss);
        bool memory = st->cfg.storage == JS_STORAGE_MEMORY;
        pthread_mutex_unlock(&st->lock);
        if (memory)
            *mem += ss.bytes;
        else
            *store += ss.bytes;
    }
}

void js__reply(struct worker *w, struct slice reply, const struct buf *b)
{
    if (!reply.len)
        return;
    srv_publish(w, reply, slice_of(NULL, 0), slice_of(NULL, 0), slice_of(buf_head(b), buf_size(b)));
}

void js__reply_ack(struct worker *w, struct slice reply, const struct buf *b)
{
    if (!reply.len)
        return;
    srv_publish_ex(w, reply, slice_of(NULL, 0), slice_of(NULL, 0),
                   slice_of(buf_head(b), buf_size(b)), true);
}

/* Before a worker sleeps: worker 0 starts the timers the first time; every
 * worker hands its queued PubAcks to the commit thread (commit.c). */
static void sleep_hook(void *arg, struct worker *w)
{
    struct jetstream *js = arg;
    struct js_wstate *ws = &js->ws[srv_worker_index(w)];
    if (srv_worker_index(w) == 0 && !ws->timer_armed) {
        ws->timer_armed = true;
        js->w0 = w;
        ev_timer_start(srv_worker_loop(w), &js->expire_timer, EXPIRE_TICK_NS);
        atomic_store(&js->cons_armed, clock_mono_ns() + CONSUMER_TICK_MAX_NS);
        ev_timer_start(srv_worker_loop(w), &js->cons_timer, CONSUMER_TICK_MAX_NS);
    }
    js__commit_submit(js, w);
}

/* With sync_interval set, acks go out at once and file streams are synced
 * on this period instead (nats-server's trade-off, chosen by the user). */
static void periodic_sync(struct jetstream *js, int64_t now_mono)
{
    int64_t iv = js->opts->sync_interval_ns;
    if (iv <= 0 || now_mono - js->last_sync < iv)
        return;
    js->last_sync = now_mono;
    for (size_t i = 0; i < js->nstreams; i++) {
        struct stream *st = js->streams[i];
        pthread_mutex_lock(&st->lock);
        int rc = st->deleted ? 0 : store_sync(st->store);
        pthread_mutex_unlock(&st->lock);
        if (rc)
            log_error("JetStream stream '%s': sync failed: %s", st->cfg.name, err_str(rc));
    }
}

/* Sets the "storage/memory full" flags publishes check (js->lock held). */
static void usage_flags(struct jetstream *js)
{
    uint64_t mem, sto;
    js__usage(js, &mem, &sto);
    atomic_store(&js->memory_full, (int64_t)mem >= js->max_memory);
    atomic_store(&js->storage_full, (int64_t)sto >= js->max_storage);
}

void js__usage_refresh(struct jetstream *js)
{
    pthread_mutex_lock(&js->lock);
    usage_flags(js);
    pthread_mutex_unlock(&js->lock);
}

/* max_age expiry and periodic sync; runs on worker 0 every tick. */
static void on_expire_timer(struct ev_loop *loop, struct ev_timer *t)
{
    struct jetstream *js = t->data;
    int64_t now = clock_real_ns();
    pthread_mutex_lock(&js->lock);
    int64_t mono = clock_mono_ns();
    for (size_t i = 0; i < js->nstreams; i++) {
        if (js->streams[i]->cfg.max_age > 0)
            (void)js__stream_expire(js->streams[i], now);
    }
    periodic_sync(js, mono);
    usage_flags(js);
    pthread_mutex_unlock(&js->lock);
    ev_timer_start(loop, t, EXPIRE_TICK_NS);
}

/* Consumer timer: runs when the earliest consumer work is due (at least
 * every CONSUMER_TICK_MAX_NS); durable state is saved every 100 ms. */
static void on_cons_timer(struct ev_loop *loop, struct ev_timer *t)
{
    struct jetstream *js = t->data;
    atomic_store(&js->cons_armed, INT64_MIN); /* no wake-ups posted while we run */
    pthread_mutex_lock(&js->lock);
    int64_t mono = clock_mono_ns();
    bool save = mono - js->cons_saved >= CONSUMER_SAVE_NS;
    if (save)
        js->cons_saved = mono;
    int64_t next = mono + CONSUMER_TICK_MAX_NS;
    for (size_t i = 0; i < js->nstreams; i++) {
        if (!js->streams[i]->nconsumers)
            continue;
        js__consumers_tick(js->streams[i], js->w0, mono, save);
        int64_t due = js__consumers_next_due(js->streams[i]);
        if (due < next)
            next = due;
    }
    pthread_mutex_unlock(&js->lock);
    int64_t now = clock_mono_ns();
    if (next < now + CONSUMER_TICK_MIN_NS)
        next = now + CONSUMER_TICK_MIN_NS;
    atomic_store(&js->cons_armed, next);
    ev_timer_start(loop, t, next - now);
}

/* Worker 0: a wake-up posted by js__consumer_wake. */
static void cons_rearm(void *arg, struct worker *w)
{
    struct jetstream *js = arg;
    int64_t req = atomic_exchange(&js->cons_req, INT64_MAX);
    int64_t armed = atomic_load(&js->cons_armed);
    if (armed == INT64_MIN || req >= armed || !ev_timer_is_armed(&js->cons_timer))
        return;
    int64_t now = clock_mono_ns();
    ev_timer_stop(srv_worker_loop(w), &js->cons_timer);
    atomic_store(&js->cons_armed, req);
    ev_timer_start(srv_worker_loop(w), &js->cons_timer, req > now ? req - now : 0);
}

void js__consumer_wake(struct jetstream *js, int64_t t)
{
    int64_t armed = atomic_load(&js->cons_armed);
    if (armed == INT64_MIN || t >= armed - CONSUMER_TICK_MIN_NS)
        return; /* the timer runs in time (or is running now) */
    int64_t req = atomic_load(&js->cons_req);
    while (t < req) {
        if (atomic_compare_exchange_weak(&js->cons_req, &req, t)) {
            srv_post_call(js->srv, 0, cons_rearm, js);
            return;
        }
    }
}

static int64_t default_max_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
    return pages > 0 && psz > 0 ? (int64_t)pages * psz / 4 * 3 : (int64_t)1 << 30;
}

static int64_t default_max_storage(const char *dir)
{
    struct statvfs sv;
    if (statvfs(dir, &sv) == 0)
        return (int64_t)(sv.f_bavail * sv.f_frsize) / 4 * 3;
    return (int64_t)1 << 40;
}

/* Recovers every stream directory under js->root. */
static int recover_streams(struct jetstream *js, struct errbuf *eb)
{
    DIR *d = opendir(js->root);
    if (!d)
        return errbuf_set(eb, -errno, "cannot open %s: %s", js->root, strerror(errno));
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) && rc == 0) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s/meta.inf", js->root, de->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        struct buf b;
        buf_init(&b);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
            buf_append(&b, chunk, n);
        fclose(f);
        rc = js__stream_recover_meta(js, de->d_name, buf_head(&b), buf_size(&b), eb);
        buf_deinit(&b);
    }
    closedir(d);
    return rc;
}

struct jetstream *js_new(struct server *s, const struct conf_opts *o, struct errbuf *eb)
{
    struct jetstream *js = xcalloc(1, sizeof(*js));
    js->srv = s;
    js->opts = o;
    pthread_mutex_init(&js->lock, NULL);
    pthread_mutex_init(&js->dsub_mu, NULL);
    const char *base = o->store_dir && *o->store_dir ? o->store_dir : "/tmp/nats";
    size_t n = strlen(base) + 64;
    js->root = xmalloc(n);
    snprintf(js->root, n, "%s/jetstream/$G/streams", base);
    int rc = mkdirs(js->root);
    if (rc) {
        errbuf_set(eb, rc, "cannot create JetStream store directory %s: %s", js->root,
                   strerror(-rc));
        goto fail;
    }
    sync_root_dirs(js->root);
    js->max_memory = o->max_memory_store > 0 ? o->max_memory_store : default_max_memory();
    js->max_storage = o->max_file_store > 0 ? o->max_file_store : default_max_storage(js->root);
    js->expire_timer.cb = on_expire_timer;
    js->expire_timer.data = js;
    js->cons_timer.cb = on_cons_timer;
    js->cons_timer.data = js;
    atomic_init(&js->cons_armed, INT64_MIN);
    atomic_init(&js->cons_req, INT64_MAX);
    if (recover_streams(js, eb) != 0 || js__api_subscribe(js, eb) != 0 ||
        js__consumer_api_subscribe(js, eb) != 0)
        goto fail;
    if (js__commit_start(js) != 0) {
        errbuf_set(eb, ERR_INVAL, "cannot start the JetStream commit thread");
        goto fail;
    }
    srv_add_sleep_hook(s, sleep_hook, js);
    log_notice("Starting JetStream");
    log_notice("  Store directory: \"%s\"", base);
    log_notice("  Max memory: %lld bytes, max storage: %lld bytes", (long long)js->max_memory,
               (long long)js->max_storage);
    log_notice("  Streams recovered: %zu", js->nstreams);
    return js;
fail:
    js_free(js);
    return NULL;
}

void js_free(struct jetstream *js)
{
    if (!js)
        return;
    for (size_t i = 0; i < js->napi; i++)
        srv_isub_remove(js->srv, NULL, js->api_subs[i]);
    free(js->api_subs);
    free(js->api_args);
    for (size_t i = 0; i < js->ncapi; i++)
        srv_isub_remove(js->srv, NULL, js->capi_subs[i]);
    free(js->capi_subs);
    free(js->capi_args);
    js__commit_stop(js);
    for (unsigned i = 0; i < SRV_MAX_WORKERS; i++) {
        for (size_t k = 0; k < js->ws[i].nacks; k++) {
            free(js->ws[i].acks[k].reply);
            js__stream_unref(js->ws[i].acks[k].st);
        }
        free(js->ws[i].acks);
        for (size_t k = 0; k < js->ws[i].nflush; k++) /* the stores write them at close */
            js__stream_unref(js->ws[i].flush[k]);
        free(js->ws[i].flush);
    }
    for (size_t i = 0; i < js->nstreams; i++) {
        struct stream *st = js->streams[i];
        for (size_t k = 0; k < st->nsubs; k++)
            srv_isub_remove(js->srv, NULL, st->subs[k]);
        st->nsubs = 0;
        for (int k = 0; k < 2; k++) {
            srv_isub_remove(js->srv, NULL, st->direct[k]);
            st->direct[k] = NULL;
        }
        js__stream_unref(st);
    }
    free(js->streams);
    pthread_mutex_destroy(&js->lock);
    for (size_t i = 0; i < js->ndsubs; i++) /* none left once the consumers are gone */
        free(js->dsubs[i].subj);
    free(js->dsubs);
    pthread_mutex_destroy(&js->dsub_mu);
    free(js->root);
    free(js);
}
