/* Integration-test harness: server processes, checks, raw sockets (see harness.h).
 *
 * Servers are children of the main thread, started with PR_SET_PDEATHSIG so that a test killed
 * by CTest's timeout cannot leave one behind. Every wait is a bounded poll, never a fixed sleep.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SERVERS 8    /* servers registered at once */
#define LOG_TAIL    3000 /* bytes of each server log shown on failure */

static const char *g_bin;                        /* $GANNET_SERVER_BIN */
static struct it_server *g_servers[MAX_SERVERS]; /* registered servers, NULL slots free */
static pthread_mutex_t g_fail_lock = PTHREAD_MUTEX_INITIALIZER; /* first it_fail() wins */
static char g_tmpdirs[MAX_SERVERS][256]; /* it_tmpdir_make() dirs, "" slots free */
static pthread_mutex_t g_out_lock = PTHREAD_MUTEX_INITIALIZER; /* serializes it_ok() lines */

int64_t it_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

bool it_wait_until(bool (*pred)(void *arg), void *arg, int timeout_ms)
{
    int64_t deadline = it_now_ms() + timeout_ms;
    for (;;) {
        if (pred(arg))
            return true;
        if (it_now_ms() >= deadline)
            return false;
        sleep_ms(2);
    }
}

void it_ok(const char *fmt, ...)
{
    va_list ap;
    pthread_mutex_lock(&g_out_lock);
    fputs("  ok: ", stdout);
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    pthread_mutex_unlock(&g_out_lock);
}

const char *it_nats_last_error(void)
{
    natsStatus s = NATS_OK;
    const char *txt = nats_GetLastError(&s);
    return txt ? txt : "";
}

/* Async-signal-safe: kill every registered child and leave. Temp dirs may stay behind. */
static void on_fatal_signal(int sig)
{
    static const char msg[] = "FAIL: watchdog or signal; killing servers\n";
    for (int i = 0; i < MAX_SERVERS; i++) {
        if (g_servers[i] && g_servers[i]->pid > 0)
            kill(g_servers[i]->pid, SIGKILL);
    }
    (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
    _exit(sig == SIGALRM ? 3 : 2);
}

void it_init(void)
{
    struct sigaction sa;

    g_bin = getenv("GANNET_SERVER_BIN");
    if (!g_bin || !*g_bin) {
        fprintf(stderr, "SKIP: GANNET_SERVER_BIN is not set (path of the server under test)\n");
        exit(IT_EXIT_SKIP);
    }
    if (access(g_bin, X_OK) != 0) {
        fprintf(stderr, "FAIL: GANNET_SERVER_BIN=%s is not executable: %s\n", g_bin,
                strerror(errno));
        exit(1);
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    alarm(IT_WATCHDOG_S);
    printf("server under test: %s\n", g_bin);
}

static void print_log_tail(const struct it_server *srv)
{
    char buf[LOG_TAIL + 1];
    struct stat st;
    ssize_t n;
    int fd = open(srv->log, O_RDONLY);

    if (fd < 0)
        return;
    if (fstat(fd, &st) == 0 && st.st_size > LOG_TAIL)
        (void)lseek(fd, st.st_size - LOG_TAIL, SEEK_SET);
    n = read(fd, buf, LOG_TAIL);
    close(fd);
    if (n <= 0)
        return;
    buf[n] = '\0';
    fprintf(stderr, "---- server log tail (port %d, %s) ----\n%s\n---- end of log ----\n",
            srv->port, srv->log, buf);
}

void it_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    pthread_mutex_lock(&g_fail_lock); /* never unlocked: the first failure ends the process */
    fflush(stdout);
    fprintf(stderr, "FAIL %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    for (int i = 0; i < MAX_SERVERS; i++) {
        if (g_servers[i])
            print_log_tail(g_servers[i]);
    }
    it_cleanup_all();
    fflush(stderr);
    _exit(1); /* not exit(): libnats threads may hold locks that atexit work would need */
}

int it_port_pick(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int port;

    IT_ASSERT(fd >= 0, "socket: %s", strerror(errno));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    IT_ASSERT(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "bind: %s", strerror(errno));
    IT_ASSERT(getsockname(fd, (struct sockaddr *)&sa, &len) == 0, "getsockname: %s",
              strerror(errno));
    port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

static void register_server(struct it_server *srv)
{
    for (int i = 0; i < MAX_SERVERS; i++) {
        if (g_servers[i] == srv)
            return;
    }
    for (int i = 0; i < MAX_SERVERS; i++) {
        if (!g_servers[i]) {
            g_servers[i] = srv;
            return;
        }
    }
    it_fail(__FILE__, __LINE__, "more than %d servers at once", MAX_SERVERS);
}

/* Forks and execs the server on srv->port. Only async-signal-safe calls after fork(). */
static void spawn(struct it_server *srv)
{
    char port[16];
    const char *argv[8 + IT_MAX_ARGS];
    int argc = 0, logfd;
    pid_t parent = getpid(), pid;

    snprintf(port, sizeof(port), "%d", srv->port);
    argv[argc++] = g_bin;
    argv[argc++] = "-a";
    argv[argc++] = "127.0.0.1";
    if (srv->port != 0) { /* 0: it_server_spawn(), the extra arguments choose the port */
        argv[argc++] = "-p";
        argv[argc++] = port;
    }
    if (srv->conf[0]) {
        argv[argc++] = "-c";
        argv[argc++] = srv->conf;
    }
    for (int i = 0; srv->args[i]; i++)
        argv[argc++] = srv->args[i];
    argv[argc] = NULL;

    logfd = open(srv->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    IT_ASSERT(logfd >= 0, "open %s: %s", srv->log, strerror(errno));
    fflush(NULL);
    pid = fork();
    IT_ASSERT(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        int nullfd = open("/dev/null", O_RDONLY);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127); /* the parent died before prctl() took effect */
        if (nullfd >= 0)
            dup2(nullfd, STDIN_FILENO);
        dup2(logfd, STDOUT_FILENO);
        dup2(logfd, STDERR_FILENO);
        execv(g_bin, (char *const *)argv);
        _exit(127);
    }
    close(logfd);
    srv->pid = pid;
}

static bool port_accepts(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool ok;

    if (fd < 0)
        return false;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    close(fd);
    return ok;
}

/* Waits until srv's port accepts. Returns 0 when it does, -1 if the process exited first
 * (reaped, pid cleared), -2 on timeout. */
static int wait_ready(struct it_server *srv)
{
    int64_t deadline = it_now_ms() + IT_START_TIMEOUT;
    int status;

    for (;;) {
        if (waitpid(srv->pid, &status, WNOHANG) == srv->pid) {
            srv->pid = 0;
            return -1;
        }
        if (port_accepts(srv->port))
            return 0;
        if (it_now_ms() >= deadline)
            return -2;
        sleep_ms(5);
    }
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    IT_ASSERT(f != NULL, "fopen %s: %s", path, strerror(errno));
    IT_ASSERT(fputs(text, f) >= 0 && fclose(f) == 0, "write %s failed", path);
}

void it_server_start(struct it_server *srv, const char *conf_text, const char *const *extra_args)
{
    const char *tmp = getenv("TMPDIR");
    int rc = -1;

    memset(srv, 0, sizeof(*srv));
    snprintf(srv->dir, sizeof(srv->dir), "%s/gannet-it-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    IT_ASSERT(mkdtemp(srv->dir) != NULL, "mkdtemp %s: %s", srv->dir, strerror(errno));
    register_server(srv);
    snprintf(srv->log, sizeof(srv->log), "%s/server.log", srv->dir);
    if (conf_text) {
        snprintf(srv->conf, sizeof(srv->conf), "%s/server.conf", srv->dir);
        write_file(srv->conf, conf_text);
    }
    for (int i = 0; extra_args && extra_args[i]; i++) {
        IT_ASSERT(i < IT_MAX_ARGS, "too many extra arguments");
        srv->args[i] = strdup(extra_args[i]);
    }
    /* A port picked free may be taken before the server binds it: retry on a new one. */
    for (int attempt = 0; attempt < 3 && rc == -1; attempt++) {
        srv->port = it_port_pick();
        spawn(srv);
        rc = wait_ready(srv);
    }
    IT_ASSERT(rc == 0, "server did not accept on port %d (%s)", srv->port,
              rc == -1 ? "it exited" : "timeout");
    snprintf(srv->url, sizeof(srv->url), "nats://127.0.0.1:%d", srv->port);
}

void it_server_spawn(struct it_server *srv, const char *conf_text, const char *const *extra_args)
{
    const char *tmp = getenv("TMPDIR");

    memset(srv, 0, sizeof(*srv));
    snprintf(srv->dir, sizeof(srv->dir), "%s/gannet-it-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    IT_ASSERT(mkdtemp(srv->dir) != NULL, "mkdtemp %s: %s", srv->dir, strerror(errno));
    register_server(srv);
    snprintf(srv->log, sizeof(srv->log), "%s/server.log", srv->dir);
    if (conf_text) {
        snprintf(srv->conf, sizeof(srv->conf), "%s/server.conf", srv->dir);
        write_file(srv->conf, conf_text);
    }
    for (int i = 0; extra_args && extra_args[i]; i++) {
        IT_ASSERT(i < IT_MAX_ARGS, "too many extra arguments");
        srv->args[i] = strdup(extra_args[i]);
    }
    spawn(srv);
}

/* Maps a waitpid() status to the exit code, or 128 + signal. */
static int decode_status(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

int it_server_wait_exit(struct it_server *srv, int timeout_ms)
{
    int64_t deadline = it_now_ms() + timeout_ms;
    int status;

    if (srv->pid <= 0)
        return -1;
    while (waitpid(srv->pid, &status, WNOHANG) != srv->pid) {
        if (it_now_ms() >= deadline)
            return -1;
        sleep_ms(2);
    }
    srv->pid = 0;
    return decode_status(status);
}

const char *it_server_bin(void)
{
    return g_bin;
}

/* Child side of it_exec(): stdout and stderr to <outfd>, stdin from /dev/null. */
static void exec_child(pid_t parent, int outfd, const char *const *argv)
{
    int nullfd = open("/dev/null", O_RDONLY);

    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    if (nullfd >= 0)
        dup2(nullfd, STDIN_FILENO);
    dup2(outfd, STDOUT_FILENO);
    dup2(outfd, STDERR_FILENO);
    execv(g_bin, (char *const *)argv);
    _exit(127);
}

int it_exec(const char *const *args, char *out, size_t cap, int timeout_ms)
{
    const char *argv[2 + IT_MAX_ARGS];
    int64_t deadline = it_now_ms() + timeout_ms;
    size_t have = 0;
    int argc = 0, pfd[2], status = 0;
    pid_t parent = getpid(), pid;

    argv[argc++] = g_bin;
    for (int i = 0; args && args[i]; i++) {
        IT_ASSERT(i < IT_MAX_ARGS, "too many arguments");
        argv[argc++] = args[i];
    }
    argv[argc] = NULL;
    IT_ASSERT(pipe2(pfd, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
    fflush(NULL);
    pid = fork();
    IT_ASSERT(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0)
        exec_child(parent, pfd[1], argv);
    close(pfd[1]);
    out[0] = '\0';
    for (;;) { /* read until EOF (the child and its copies closed the pipe) or the deadline */
        struct pollfd p = {.fd = pfd[0], .events = POLLIN};
        int64_t left = deadline - it_now_ms();
        char scratch[512];
        ssize_t n;

        if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
            if (it_now_ms() < deadline)
                continue; /* EINTR */
            break;
        }
        n = have + 1 < cap ? read(pfd[0], out + have, cap - 1 - have)
                           : read(pfd[0], scratch, sizeof(scratch));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (have + 1 < cap) {
            have += (size_t)n;
            out[have] = '\0';
        }
    }
    close(pfd[0]);
    while (waitpid(pid, &status, WNOHANG) != pid) {
        if (it_now_ms() >= deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        sleep_ms(2);
    }
    return decode_status(status);
}

void it_server_stop(struct it_server *srv)
{
    int64_t deadline;
    int status;

    if (srv->pid <= 0)
        return;
    kill(srv->pid, SIGTERM);
    deadline = it_now_ms() + IT_STOP_TIMEOUT;
    while (waitpid(srv->pid, &status, WNOHANG) != srv->pid) {
        if (it_now_ms() >= deadline) {
            fprintf(stderr, "warning: server %d ignored SIGTERM; sending SIGKILL\n", srv->pid);
            kill(srv->pid, SIGKILL);
            waitpid(srv->pid, &status, 0);
            break;
        }
        sleep_ms(2);
    }
    srv->pid = 0;
}

void it_server_restart(struct it_server *srv)
{
    int64_t deadline = it_now_ms() + IT_START_TIMEOUT;
    int rc = -1;

    it_server_stop(srv);
    /* The old socket may linger briefly; an early exit (bind failure) is retried in bounds. */
    while (rc == -1 && it_now_ms() < deadline) {
        spawn(srv);
        rc = wait_ready(srv);
        if (rc == -1)
            sleep_ms(20);
    }
    IT_ASSERT(rc == 0, "server did not restart on port %d", srv->port);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void it_server_cleanup(struct it_server *srv)
{
    it_server_stop(srv);
    if (srv->dir[0])
        nftw(srv->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    srv->dir[0] = '\0';
    for (int i = 0; i < IT_MAX_ARGS; i++) {
        free(srv->args[i]);
        srv->args[i] = NULL;
    }
    for (int i = 0; i < MAX_SERVERS; i++) {
        if (g_servers[i] == srv)
            g_servers[i] = NULL;
    }
}

void it_cleanup_all(void)
{
    for (int i = 0; i < MAX_SERVERS; i++) {
        if (g_servers[i])
            it_server_cleanup(g_servers[i]);
    }
    for (int i = 0; i < MAX_SERVERS; i++) {
        if (g_tmpdirs[i][0])
            nftw(g_tmpdirs[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        g_tmpdirs[i][0] = '\0';
    }
}

void it_tmpdir_make(char *dir, size_t cap)
{
    const char *tmp = getenv("TMPDIR");
    int slot = -1;

    for (int i = 0; i < MAX_SERVERS && slot < 0; i++) {
        if (!g_tmpdirs[i][0])
            slot = i;
    }
    IT_ASSERT(slot >= 0, "more than %d temp dirs at once", MAX_SERVERS);
    snprintf(g_tmpdirs[slot], sizeof(g_tmpdirs[slot]), "%s/gannet-it-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    IT_ASSERT(mkdtemp(g_tmpdirs[slot]) != NULL, "mkdtemp %s: %s", g_tmpdirs[slot], strerror(errno));
    snprintf(dir, cap, "%s", g_tmpdirs[slot]);
}

int it_raw_connect(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct timeval tv = {.tv_sec = 5};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    IT_ASSERT(fd >= 0, "socket: %s", strerror(errno));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    IT_ASSERT(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "connect to %d: %s", port,
              strerror(errno));
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    return fd;
}

void it_raw_send(int fd, const char *text)
{
    size_t len = strlen(text), off = 0;

    while (off < len) {
        ssize_t n = send(fd, text + off, len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        IT_ASSERT(n > 0, "send: %s", strerror(errno));
        off += (size_t)n;
    }
}

int it_raw_read_until(int fd, char *buf, size_t cap, size_t *len, const char *needle,
                      int timeout_ms)
{
    int64_t deadline = it_now_ms() + timeout_ms;
    size_t have = 0;
    int rc = -1;

    buf[0] = '\0';
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int64_t left = deadline - it_now_ms();
        ssize_t n;

        if (needle && strstr(buf, needle)) {
            rc = 1;
            break;
        }
        if (left <= 0 || have + 1 >= cap)
            break;
        if (poll(&pfd, 1, (int)left) <= 0)
            continue; /* timeout or EINTR: the deadline check above decides */
        n = recv(fd, buf + have, cap - 1 - have, 0);
        if (n == 0) {
            rc = needle && strstr(buf, needle) ? 1 : 0;
            break;
        }
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            break;
        }
        have += (size_t)n;
        buf[have] = '\0';
    }
    *len = have;
    return rc;
}

natsConnection *it_connect(const struct it_server *srv, natsOptions *opts)
{
    natsOptions *own = NULL;
    natsConnection *nc = NULL;

    if (!opts) {
        IT_NATS(natsOptions_Create(&own));
        opts = own;
        IT_NATS(natsOptions_SetReconnectWait(opts, 100));
    }
    IT_NATS(natsOptions_SetURL(opts, srv->url));
    IT_NATS(natsOptions_SetTimeout(opts, IT_CONNECT_TIMEOUT));
    IT_NATS(natsConnection_Connect(&nc, opts));
    natsOptions_Destroy(own);
    return nc;
}

int it_main(int argc, char **argv, const struct it_case *cases, size_t n)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < n; i++)
            printf("%s\n", cases[i].name);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: %s <case> | --list\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(argv[1], cases[i].name) != 0)
            continue;
        it_init();
        printf("case %s\n", cases[i].name);
        cases[i].fn();
        it_cleanup_all();
        nats_CloseAndWait(2000);
        printf("PASS %s\n", cases[i].name);
        return 0;
    }
    fprintf(stderr, "unknown case '%s' (try --list)\n", argv[1]);
    return 2;
}
