/* it_js cases about resources: a full disk (a 2 MB tmpfs as the store dir), the max_file_store
 * and max_memory_store reservations, sync_interval, the $JS.API.INFO counters, and a request
 * on an API subject nobody serves.
 *
 * The disk cases need root (mount): they run in a private mount namespace when they can, and a
 * guard process unmounts and removes the tmpfs however the checking child ends. Without the
 * right to mount they exit with IT_EXIT_SKIP. disk_full_enospc and sync_interval are
 * gannet-only (IT_CASE_GANNET); their comments say why.
 */
#include "it_js.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#define DISK_OPTS     "size=2m"   /* tmpfs size */
#define DISK_MSG_SIZE (64 * 1024) /* payload of one message */
#define DISK_MAX_PUBS 200         /* 12.5 MB: far more than the tmpfs holds */
#define DISK_GUARD_MS ((IT_WATCHDOG_S - 2) * 1000)
#define KIB           1024LL

/* ---- full disk ---- */

/* Fills <buf> with a pattern that differs per sequence. */
static void disk_payload(char *buf, uint64_t seq)
{
    memset(buf, 'a' + (int)(seq % 26), DISK_MSG_SIZE);
    snprintf(buf, 24, "seq-%llu;", (unsigned long long)seq);
}

/* Publishes <buf> to <subj> as a request and returns the parsed PubAck (caller decrefs).
 * <what> names the publish in the failure message when no PubAck comes. */
static json_t *disk_publish(struct itj_env *env, const char *subj, const char *buf,
                            const char *what)
{
    natsMsg *reply = NULL;
    json_error_t jerr;
    json_t *r;
    natsStatus s =
        natsConnection_Request(&reply, env->nc, subj, buf, DISK_MSG_SIZE, ITJ_API_TIMEOUT);

    IT_ASSERT(s == NATS_OK, "%s: no PubAck within %d ms: %s (%s)", what, ITJ_API_TIMEOUT,
              natsStatus_GetText(s), it_nats_last_error());
    r = json_loadb(natsMsg_GetData(reply), (size_t)natsMsg_GetDataLength(reply), 0, &jerr);
    IT_ASSERT(json_is_object(r), "%s: PubAck is not a JSON object: '%.*s'", what,
              natsMsg_GetDataLength(reply), natsMsg_GetData(reply));
    natsMsg_Destroy(reply);
    return r;
}

/* Publishes until the first error PubAck; returns the number of acked messages (1..n). */
static uint64_t disk_fill(struct itj_env *env, char *buf, int *code)
{
    uint64_t acked = 0;
    char what[64];
    json_t *r;

    *code = 0;
    for (int i = 0; i < DISK_MAX_PUBS && *code == 0; i++) {
        snprintf(what, sizeof(what), "publish %d (after %llu acked)", i + 1,
                 (unsigned long long)acked);
        disk_payload(buf, acked + 1);
        r = disk_publish(env, "disk.data", buf, what);
        *code = itj_err_code(r);
        if (*code != 0) {
            printf(
                "  note: publish %d: error PubAck err_code %d \"%s\" after %llu acked (%llu KB)\n",
                i + 1, *code, itj_err_desc(r), (unsigned long long)acked,
                (unsigned long long)acked * DISK_MSG_SIZE / 1024);
        } else {
            IT_ASSERT(itj_json_int(r, "seq") == (json_int_t)acked + 1, "PubAck seq %lld, want %llu",
                      (long long)itj_json_int(r, "seq"), (unsigned long long)acked + 1);
            acked++;
        }
        json_decref(r);
    }
    IT_CHECK(*code != 0, "an error PubAck came after %llu acked 64 KB messages on a 2 MB disk",
             (unsigned long long)acked);
    return acked;
}

/* Reads back messages 1..<acked> and compares their payloads. */
static void disk_read_back(struct itj_env *env, char *buf, uint64_t acked)
{
    natsMsg *m = NULL;
    jsErrCode ec = 0;
    natsStatus s;

    for (uint64_t seq = 1; seq <= acked; seq++) {
        disk_payload(buf, seq);
        s = js_GetMsg(&m, env->js, "DISK", seq, NULL, &ec);
        IT_ASSERT(s == NATS_OK, "js_GetMsg(DISK, %llu): %s, err_code %d (%s)",
                  (unsigned long long)seq, natsStatus_GetText(s), (int)ec, it_nats_last_error());
        IT_ASSERT(natsMsg_GetDataLength(m) == DISK_MSG_SIZE &&
                      memcmp(natsMsg_GetData(m), buf, DISK_MSG_SIZE) == 0,
                  "message %llu read back differs (%d bytes)", (unsigned long long)seq,
                  natsMsg_GetDataLength(m));
        natsMsg_Destroy(m);
        m = NULL;
    }
    it_ok("all %llu acked messages read back intact", (unsigned long long)acked);
}

/* Tries one publish after freeing space; prints the outcome, returns true when acked. */
static bool disk_try_publish(struct itj_env *env, char *buf, const char *after)
{
    json_t *r;
    int code;

    disk_payload(buf, 0);
    r = disk_publish(env, "disk.data", buf, after);
    code = itj_err_code(r);
    if (code == 0)
        printf("  note: after %s a publish is acked again (seq %lld)\n", after,
               (long long)itj_json_int(r, "seq"));
    else
        printf("  note: after %s a publish still fails: err_code %d \"%s\"\n", after, code,
               itj_err_desc(r));
    json_decref(r);
    return code == 0;
}

/* How a disk case starts the server and which PubAck errors it accepts. */
struct disk_mode {
    const char *max_file_store; /* NULL: `-js -sd <dir>`; else a config with this limit */
    bool strict_code;           /* only 10077 or 10047 (gannet), else any of the three */
};

/* Starts the server on store dir <dir> as <mode> says and connects. */
static void disk_start(struct itj_env *env, const char *dir, const struct disk_mode *mode)
{
    const char *args[] = {"-js", "-sd", dir, NULL};
    char conf[600];

    memset(env, 0, sizeof(*env));
    if (mode->max_file_store) {
        snprintf(conf, sizeof(conf), "jetstream {\n  store_dir: \"%s\"\n  max_file_store: %s\n}\n",
                 dir, mode->max_file_store);
        it_server_start(&env->srv, conf, NULL);
    } else {
        it_server_start(&env->srv, NULL, args);
    }
    itj_reconnect(env);
}

/* Checks the err_code of the failed publish. */
static void disk_check_code(int code, const struct disk_mode *mode)
{
    IT_CHECK(code >= 10000 && code <= 10200, "the error is a JetStream API error (%d)", code);
    if (mode->strict_code)
        IT_CHECK(code == 10077 || code == 10047,
                 "err_code %d is 10077 (stream store failed) or 10047 (insufficient storage)",
                 code);
    else
        IT_CHECK(code == 10077 || code == 10047 || code == 10023,
                 "err_code %d is 10077 (store failed), 10047 (insufficient storage) or 10023 "
                 "(insufficient resources: server-wide max storage reached)",
                 code);
}

/* The checking part of a disk case; runs in the guard's child with <dir> mounted. */
static void disk_full_body(const char *dir, const struct disk_mode *mode)
{
    struct itj_env env;
    struct itj_stream st;
    jsStreamInfo *si;
    uint64_t acked;
    int code;
    char *buf = malloc(DISK_MSG_SIZE);

    IT_ASSERT(buf, "out of memory");
    disk_start(&env, dir, mode);
    itj_stream_init(&st, "DISK", "disk.>", NULL);
    itj_stream_add(&env, &st);
    acked = disk_fill(&env, buf, &code);
    IT_CHECK(it_server_wait_exit(&env.srv, 0) == -1 &&
                 natsConnection_FlushTimeout(env.nc, 2000) == NATS_OK,
             "server still running and answering PING");
    disk_check_code(code, mode);
    si = itj_stream_info(&env, "DISK");
    IT_CHECK(si->State.Msgs == acked && si->State.LastSeq == acked,
             "stream info answers: %llu msgs, last_seq %llu, %llu bytes",
             (unsigned long long)si->State.Msgs, (unsigned long long)si->State.LastSeq,
             (unsigned long long)si->State.Bytes);
    jsStreamInfo_Destroy(si);
    disk_read_back(&env, buf, acked);

    for (uint64_t seq = 1; seq <= 4 && seq < acked; seq++)
        IT_NATS(js_DeleteMsg(env.js, "DISK", seq, NULL, NULL));
    if (!disk_try_publish(&env, buf, "deleting messages 1..4")) {
        IT_NATS(js_PurgeStream(env.js, "DISK", NULL, NULL));
        disk_try_publish(&env, buf, "a purge");
    }
    IT_CHECK(natsConnection_FlushTimeout(env.nc, 2000) == NATS_OK, "server still answers");
    itj_stop(&env);
    free(buf);
}

/* Best effort: a private mount namespace, so that the tmpfs disappears with the last process
 * using it even if this one is killed. */
static void disk_private_namespace(void)
{
    if (unshare(CLONE_NEWNS) != 0)
        printf("  note: unshare(CLONE_NEWNS): %s; mounting in the current namespace\n",
               strerror(errno));
    else if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        printf("  note: making / private: %s\n", strerror(errno));
}

/* Unmounts <dir> (retrying while the killed server lets go of it) and removes it. */
static void disk_unmount(const char *dir)
{
    int err = 0;

    for (int i = 0; i < 100; i++) {
        if (umount2(dir, 0) == 0) {
            err = 0;
            break;
        }
        err = errno;
        if (err != EBUSY)
            break;
        usleep(20 * 1000);
    }
    if (err == EBUSY && umount2(dir, MNT_DETACH) == 0)
        err = 0;
    if (err != 0)
        fprintf(stderr, "umount %s: %s\n", dir, strerror(err));
    if (rmdir(dir) != 0)
        fprintf(stderr, "rmdir %s: %s\n", dir, strerror(errno));
}

/* Waits for the child up to DISK_GUARD_MS (then kills it); returns its exit code. */
static int disk_wait_child(pid_t pid)
{
    int64_t deadline = it_now_ms() + DISK_GUARD_MS;
    int status = 0;
    pid_t got;

    while ((got = waitpid(pid, &status, WNOHANG)) == 0 && it_now_ms() < deadline)
        usleep(10 * 1000);
    if (got == 0) {
        fprintf(stderr, "FAIL: the disk checks still run after %d ms; killing them\n",
                DISK_GUARD_MS);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return 3;
    }
    if (got < 0)
        return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Mounts the tmpfs, runs disk_full_body() in a child and unmounts whatever the child did. */
static void disk_case(const struct disk_mode *mode)
{
    const char *tmp = getenv("TMPDIR");
    char dir[256];
    pid_t pid;
    int rc;

    snprintf(dir, sizeof(dir), "%s/gannet-disk-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    IT_ASSERT(mkdtemp(dir) != NULL, "mkdtemp %s: %s", dir, strerror(errno));
    disk_private_namespace();
    if (mount("tmpfs", dir, "tmpfs", 0, DISK_OPTS) != 0) {
        printf("SKIP: mount -t tmpfs -o %s tmpfs %s: %s (needs root / CAP_SYS_ADMIN)\n", DISK_OPTS,
               dir, strerror(errno));
        rmdir(dir);
        exit(IT_EXIT_SKIP);
    }
    it_ok("tmpfs (%s) mounted on %s", DISK_OPTS, dir);
    fflush(NULL);
    pid = fork();
    IT_ASSERT(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        alarm(IT_WATCHDOG_S - 5); /* the watchdog is not inherited */
        disk_full_body(dir, mode);
        it_cleanup_all();
        nats_CloseAndWait(2000);
        fflush(NULL);
        _exit(0);
    }
    alarm(0); /* the guard must outlive the child to unmount; disk_wait_child bounds it */
    rc = disk_wait_child(pid);
    disk_unmount(dir);
    if (rc != 0) {
        fprintf(stderr, "FAIL: the disk checks exited with %d (tmpfs unmounted)\n", rc);
        exit(rc);
    }
    alarm(IT_WATCHDOG_S);
}

/* Default limits: nats-server refuses at 75% of the free disk (10023), gannet at ENOSPC. */
void it_case_disk_full(void)
{
    static const struct disk_mode mode = {NULL, false};
    disk_case(&mode);
}

/* Gannet only: nats-server 2.9.10 never answers the publish that meets ENOSPC and then hangs
 * (no PubAck, no PONG, ignores SIGTERM). */
void it_case_disk_full_enospc(void)
{
    static const struct disk_mode mode = {"1GB", true};
    disk_case(&mode);
}

/* ---- max_file_store / max_memory_store ---- */

/* Starts a server with a jetstream block of <limit_key>: 1MB. */
static void start_with_limit(struct itj_env *env, const char *limit_key)
{
    char conf[600];

    memset(env, 0, sizeof(*env));
    it_tmpdir_make(env->store, sizeof(env->store));
    snprintf(conf, sizeof(conf), "jetstream {\n  store_dir: \"%s\"\n  %s: 1MB\n}\n", env->store,
             limit_key);
    it_server_start(&env->srv, conf, NULL);
    itj_reconnect(env);
}

/* Creates stream <name> with <storage> and max_bytes <max>; expects <err> (0 = success) and,
 * for an error, the description <desc>. */
static void create_limited(struct itj_env *env, const char *name, const char *storage,
                           long long max, int err, const char *desc)
{
    char subj[64], body[256];
    json_t *r;
    int got;

    snprintf(subj, sizeof(subj), "$JS.API.STREAM.CREATE.%s", name);
    snprintf(body, sizeof(body),
             "{\"name\":\"%s\",\"subjects\":[\"%s.>\"],\"storage\":\"%s\",\"max_bytes\":%lld}",
             name, name, storage, max);
    r = itj_api(env, subj, body);
    got = itj_err_code(r);
    if (err == 0)
        IT_CHECK(got == 0, "%s stream %s with max_bytes %lld KB created (%d \"%s\")", storage, name,
                 max / KIB, got, itj_err_desc(r));
    else
        IT_CHECK(got == err && strcmp(itj_err_desc(r), desc) == 0,
                 "%s stream %s with max_bytes %lld KB refused: %d \"%s\" (want %d \"%s\")", storage,
                 name, max / KIB, got, itj_err_desc(r), err, desc);
    json_decref(r);
}

/* One reservation scenario: 2 MB refused, 512 KB accepted, then 768 KB more refused. */
static void reservation_case(const char *limit_key, const char *storage, int err, const char *desc)
{
    struct itj_env env;
    json_t *r;

    start_with_limit(&env, limit_key);
    create_limited(&env, "BIG", storage, 2048 * KIB, err, desc);
    create_limited(&env, "HALF", storage, 512 * KIB, 0, NULL);
    create_limited(&env, "MORE", storage, 768 * KIB, err, desc);
    r = itj_api(&env, "$JS.API.STREAM.NAMES", NULL);
    IT_CHECK(itj_json_int(r, "total") == 1, "only HALF exists (total %lld)",
             (long long)itj_json_int(r, "total"));
    json_decref(r);
    itj_stop(&env);
}

void it_case_limit_max_file_store(void)
{
    reservation_case("max_file_store", "file", 10047, "insufficient storage resources available");
}

void it_case_limit_max_memory_store(void)
{
    reservation_case("max_memory_store", "memory", 10028,
                     "insufficient memory resources available");
}

/* ---- sync_interval (gannet only: nats-server 2.9.10 does not know the option) ---- */

void it_case_sync_interval(void)
{
    struct itj_env env;
    struct itj_stream st;
    char conf[600], data[32];
    natsMsg *m = NULL;
    int64_t t0, took;

    memset(&env, 0, sizeof(env));
    it_tmpdir_make(env.store, sizeof(env.store));
    snprintf(conf, sizeof(conf), "jetstream {\n  store_dir: \"%s\"\n  sync_interval: \"10s\"\n}\n",
             env.store);
    it_server_start(&env.srv, conf, NULL);
    itj_reconnect(&env);
    itj_stream_init(&st, "SYNC", "sync.*", NULL);
    itj_stream_add(&env, &st);
    t0 = it_now_ms();
    for (int i = 1; i <= 50; i++) {
        snprintf(data, sizeof(data), "msg-%d", i);
        IT_ASSERT(itj_pub(&env, "sync.a", data, NULL, NULL) == (uint64_t)i, "seq %d", i);
    }
    took = it_now_ms() - t0;
    IT_CHECK(took < 5000, "50 publishes acked in %lld ms (no wait for the 10 s sync)",
             (long long)took);
    itj_expect_state(&env, "SYNC", 50, 1, 50, "stream info counts the 50 messages");

    itj_disconnect(&env);
    it_server_restart(&env.srv); /* SIGTERM: a clean stop flushes */
    itj_reconnect(&env);
    itj_expect_state(&env, "SYNC", 50, 1, 50, "after a clean restart");
    IT_NATS(js_GetMsg(&m, env.js, "SYNC", 50, NULL, NULL));
    IT_CHECK(natsMsg_GetDataLength(m) == 6 && memcmp(natsMsg_GetData(m), "msg-50", 6) == 0,
             "last message back after the restart");
    natsMsg_Destroy(m);
    IT_CHECK(itj_pub(&env, "sync.a", "after", NULL, NULL) == 51, "sequence continues at 51");
    itj_stop(&env);
}

/* ---- $JS.API.INFO counters ---- */

/* Requests $JS.API.INFO and returns api.total; <*errors> receives api.errors. */
static json_int_t info_total(struct itj_env *env, json_int_t *errors, json_t **keep)
{
    json_t *r = itj_api(env, "$JS.API.INFO", "");
    json_t *api = json_object_get(r, "api");
    json_int_t total = itj_json_int(api, "total");

    *errors = itj_json_int(api, "errors");
    if (keep)
        *keep = r;
    else
        json_decref(r);
    return total;
}

void it_case_api_info_counts(void)
{
    struct itj_env env;
    struct itj_stream f, m;
    json_int_t t1, t2, t3, e1, e2, e3;
    json_t *r = NULL, *resp;

    itj_start(&env);
    itj_stream_init(&f, "FILE", "file.>", NULL);
    itj_stream_add(&env, &f);
    itj_stream_init(&m, "MEM", "mem.>", NULL);
    m.cfg.Storage = js_MemoryStorage;
    itj_stream_add(&env, &m);
    for (int i = 0; i < 3; i++) {
        itj_pub(&env, "file.x", "file-data", NULL, NULL);
        itj_pub(&env, "mem.x", "mem-data", NULL, NULL);
    }
    t1 = info_total(&env, &e1, &r);
    IT_CHECK(itj_json_int(r, "streams") == 2 && itj_json_int(r, "consumers") == 0,
             "streams 2, consumers 0");
    IT_CHECK(itj_json_int(r, "storage") > 0 && itj_json_int(r, "memory") > 0,
             "storage %lld > 0 and memory %lld > 0", (long long)itj_json_int(r, "storage"),
             (long long)itj_json_int(r, "memory"));
    json_decref(r);
    t2 = info_total(&env, &e2, NULL);
    IT_CHECK(t2 == t1 + 1 && e2 == e1, "one INFO request adds 1 to api.total (%lld -> %lld)",
             (long long)t1, (long long)t2);
    resp = itj_api(&env, "$JS.API.STREAM.INFO.FILE", NULL);
    json_decref(resp);
    itj_api_expect_err(&env, "$JS.API.STREAM.INFO.NOPE", NULL, 10059, "unknown stream");
    t3 = info_total(&env, &e3, NULL);
    IT_CHECK(t3 == t2 + 3 && e3 == e2 + 1,
             "STREAM.INFO ok, STREAM.INFO error, INFO: api.total +3 (%lld), api.errors +1 (%lld)",
             (long long)(t3 - t2), (long long)(e3 - e2));
    itj_stop(&env);
}

/* ---- requests nobody serves ----
 * nats-server 2.9.10 imports all of $JS.API.> into the account, so a request on an unserved API
 * subject counts as delivered: no reply at all, not the no-responders status (the client times
 * out). Just outside $JS.API the usual 503 comes at once. */

#define UNSERVED_WAIT_MS 1000 /* how long "no reply" is waited for */

/* libnats client (headers and no_responders on): a timeout on the API, 503 outside it. */
static void unserved_libnats(struct itj_env *env)
{
    natsMsg *reply = NULL;
    int64_t t0 = it_now_ms(), took;
    natsStatus s =
        natsConnection_Request(&reply, env->nc, "$JS.API.FOO.BAR", "{}", 2, UNSERVED_WAIT_MS);

    took = it_now_ms() - t0;
    natsMsg_Destroy(reply);
    reply = NULL;
    IT_CHECK(s == NATS_TIMEOUT, "request on $JS.API.FOO.BAR: %s after %lld ms (want a timeout)",
             natsStatus_GetText(s), (long long)took);
    t0 = it_now_ms();
    s = natsConnection_Request(&reply, env->nc, "$JS.FOO.BAR", "{}", 2, ITJ_API_TIMEOUT);
    took = it_now_ms() - t0;
    natsMsg_Destroy(reply);
    IT_CHECK(s == NATS_NO_RESPONDERS && took < 1000,
             "request on $JS.FOO.BAR: %s after %lld ms (want no responders at once)",
             natsStatus_GetText(s), (long long)took);
}

void it_case_api_unserved(void)
{
    struct itj_env env;
    char buf[2048];
    size_t len = 0;
    int fd, rc;

    itj_start(&env);
    unserved_libnats(&env);

    fd = it_raw_connect(env.srv.port);
    IT_ASSERT(it_raw_read_until(fd, buf, sizeof(buf), &len, "\r\n", 5000) == 1, "no INFO");
    it_raw_send(fd, "CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\n"
                    "SUB _INBOX.api 1\r\nSUB _INBOX.other 2\r\n"
                    "PUB $JS.API.FOO.BAR _INBOX.api 0\r\n\r\n"
                    "PUB $JS.FOO.BAR _INBOX.other 0\r\n\r\nPING\r\n");
    rc = it_raw_read_until(fd, buf, sizeof(buf), &len, "_INBOX.api", UNSERVED_WAIT_MS);
    IT_CHECK(rc == -1 && strstr(buf, "PONG\r\n"),
             "raw client: nothing on _INBOX.api within %d ms, PONG came", UNSERVED_WAIT_MS);
    IT_CHECK(strstr(buf, "HMSG _INBOX.other 2 16 16\r\nNATS/1.0 503\r\n\r\n") != NULL,
             "raw client: HMSG _INBOX.other with NATS/1.0 503 for $JS.FOO.BAR: '%s'", buf);
    close(fd);
    itj_stop(&env);
}
