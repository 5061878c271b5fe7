/* Server processes for the side-by-side benchmark: spawn, probe, measure, kill.
 *
 * The registry of live children is a fixed array of slots written only by the main thread and
 * read by the signal handler, so killing everything on Ctrl-C needs no locks or allocation.
 */
#include "bench_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLOT_MAX    32
#define START_TRIES 3

/* One started child, kept so a signal handler can kill it and remove its files. */
struct slot {
    volatile sig_atomic_t used; /* 1 while the child may be alive */
    pid_t pid;                  /* the child */
    char dir[256];              /* its temp dir */
    char log[300];              /* its log file inside dir */
};

static struct slot slots[SLOT_MAX];

int64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void bench_sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

void bench_proc_kill_all(void)
{
    for (int i = 0; i < SLOT_MAX; i++) {
        if (!slots[i].used)
            continue;
        kill(slots[i].pid, SIGKILL);
        unlink(slots[i].log); /* best effort: rmdir only succeeds on an empty dir */
        rmdir(slots[i].dir);
    }
}

static void slot_add(const struct bench_server *srv)
{
    for (int i = 0; i < SLOT_MAX; i++) {
        if (slots[i].used)
            continue;
        slots[i].pid = srv->pid;
        memcpy(slots[i].dir, srv->dir, sizeof(slots[i].dir));
        memcpy(slots[i].log, srv->log, sizeof(slots[i].log));
        slots[i].used = 1;
        return;
    }
}

static void slot_del(pid_t pid)
{
    for (int i = 0; i < SLOT_MAX; i++) {
        if (slots[i].used && slots[i].pid == pid)
            slots[i].used = 0;
    }
}

/* Returns a port on 127.0.0.1 that was free a moment ago, or a negative errno. */
static int port_pick(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int rc;

    if (fd < 0)
        return -errno;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
        rc = -errno;
    else
        rc = ntohs(sa.sin_port);
    close(fd);
    return rc;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    remove(path);
    return 0;
}

static void dir_remove(const char *dir)
{
    if (dir[0] != '\0')
        nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Prints the last lines of the server log, to explain a failed start. */
static void log_tail(const struct bench_server *srv)
{
    char buf[2048];
    FILE *f = fopen(srv->log, "r");
    long size;
    size_t n;

    if (f == NULL)
        return;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, size > (long)sizeof(buf) - 1 ? size - (long)sizeof(buf) + 1 : 0, SEEK_SET);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    fprintf(stderr, "gn_bench: --- tail of %s ---\n%s\n", srv->log, buf);
}

/* The child side of fork(): only async-signal-safe calls until execv. */
static void child_exec(const struct bench_server *srv, pid_t parent, char *const argv[])
{
    int fd;

    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (chdir(srv->dir) != 0)
        _exit(127);
    fd = open("/dev/null", O_RDONLY);
    if (fd >= 0)
        dup2(fd, 0);
    fd = open(srv->log, O_WRONLY | O_CREAT | O_APPEND, 0644); /* appended to on a respawn */
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
    }
    execv(argv[0], argv);
    _exit(127);
}

/* Copies the "version" string of an INFO line into <out>, or "?" when there is none. */
static void info_version(const char *info, char *out, size_t cap)
{
    const char *p = strstr(info, "\"version\":\"");
    size_t n = 0;

    if (p == NULL) {
        snprintf(out, cap, "?");
        return;
    }
    p += strlen("\"version\":\"");
    while (p[n] != '\0' && p[n] != '"' && n + 1 < cap)
        n++;
    memcpy(out, p, n);
    out[n] = '\0';
}

/* Connects once and reads the first line. Returns 1 when it is an INFO line, 0 when the port is
 * not accepting yet, a negative errno when something else went wrong. */
static int probe_info(struct bench_server *srv, int64_t deadline)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    char buf[4096];
    size_t len = 0;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int rc = -EPROTO;

    if (fd < 0)
        return -errno;
    sa.sin_port = htons((uint16_t)srv->port);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        rc = errno == ECONNREFUSED ? 0 : -errno;
        close(fd);
        return rc;
    }
    while (len < sizeof(buf) - 1 && bench_now_ns() < deadline) {
        int64_t left_us = (deadline - bench_now_ns()) / 1000 + 1;
        struct timeval tv = {.tv_sec = left_us / 1000000, .tv_usec = left_us % 1000000};
        ssize_t n;

        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
        if (n <= 0) {
            rc = n == 0 ? -ECONNRESET : -errno;
            break;
        }
        len += (size_t)n;
        buf[len] = '\0';
        if (strchr(buf, '\n') != NULL) {
            rc = strncmp(buf, "INFO ", 5) == 0 ? 1 : -EPROTO;
            if (rc == 1)
                info_version(buf, srv->version, sizeof(srv->version));
            break;
        }
    }
    close(fd);
    return rc;
}

/* Waits for the started child to answer with INFO. Returns 0, -ECHILD if it exited (the port
 * was probably taken), -ETIMEDOUT or another negative errno. */
static int wait_ready(struct bench_server *srv, int64_t t0, int timeout_ms)
{
    int64_t deadline = t0 + (int64_t)timeout_ms * 1000000;
    int status;

    while (bench_now_ns() < deadline) {
        int rc;

        if (waitpid(srv->pid, &status, WNOHANG) == srv->pid) {
            slot_del(srv->pid);
            srv->pid = 0;
            return -ECHILD;
        }
        rc = probe_info(srv, deadline);
        if (rc == 1) {
            srv->ready_ns = bench_now_ns() - t0;
            return 0;
        }
        if (rc < 0 && rc != -ECONNRESET)
            return rc;
        /* Poll the port finely: start-up times are a few milliseconds. */
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 200000};
        nanosleep(&ts, NULL);
    }
    return -ETIMEDOUT;
}

static int start_once(struct bench_server *srv, const char *path, int timeout_ms)
{
    char port[16];
    char store[sizeof(srv->dir) + 8];
    char *argv[] = {(char *)path, "-a", "127.0.0.1", "-p", port, NULL, NULL, NULL, NULL};
    pid_t parent = getpid();
    int rc = port_pick();

    if (rc < 0)
        return rc;
    srv->port = rc;
    snprintf(port, sizeof(port), "%d", srv->port);
    if (srv->js) {
        snprintf(store, sizeof(store), "%s/store", srv->dir);
        argv[5] = "-js";
        argv[6] = "-sd";
        argv[7] = store;
    }
    srv->spawn_ns = bench_now_ns();
    srv->pid = fork();
    if (srv->pid < 0) {
        srv->pid = 0;
        return -errno;
    }
    if (srv->pid == 0)
        child_exec(srv, parent, argv);
    slot_add(srv);
    return wait_ready(srv, srv->spawn_ns, timeout_ms);
}

/* Starts <path> in srv->dir, retrying on early exits (a port taken between pick and bind). */
static int start_tries(struct bench_server *srv, const char *path, int timeout_ms)
{
    int rc = -EINVAL;

    for (int i = 0; i < START_TRIES; i++) {
        rc = start_once(srv, path, timeout_ms);
        if (rc != -ECHILD)
            break;
    }
    if (rc != 0) {
        fprintf(stderr, "gn_bench: %s did not start: %s\n", path, strerror(-rc));
        log_tail(srv);
    }
    return rc;
}

static int start_in_new_dir(struct bench_server *srv, const char *path, bool js, int timeout_ms)
{
    const char *tmp = getenv("TMPDIR");
    int rc;

    memset(srv, 0, sizeof(*srv));
    snprintf(srv->version, sizeof(srv->version), "?");
    srv->js = js;
    if (access(path, X_OK) != 0) {
        fprintf(stderr, "gn_bench: %s: not an executable\n", path);
        return -ENOENT;
    }
    snprintf(srv->dir, sizeof(srv->dir), "%s/gn_bench.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(srv->dir) == NULL) {
        rc = -errno;
        fprintf(stderr, "gn_bench: mkdtemp %s: %s\n", srv->dir, strerror(-rc));
        srv->dir[0] = '\0';
        return rc;
    }
    snprintf(srv->log, sizeof(srv->log), "%s/server.log", srv->dir);
    rc = start_tries(srv, path, timeout_ms);
    if (rc != 0)
        bench_server_stop(srv);
    return rc;
}

int bench_server_start(struct bench_server *srv, const char *path, int timeout_ms)
{
    return start_in_new_dir(srv, path, false, timeout_ms);
}

int bench_server_start_js(struct bench_server *srv, const char *path, int timeout_ms)
{
    return start_in_new_dir(srv, path, true, timeout_ms);
}

int bench_server_respawn(struct bench_server *srv, const char *path, int timeout_ms)
{
    int rc;

    if (srv->pid > 0 || srv->dir[0] == '\0')
        return -EINVAL;
    rc = start_tries(srv, path, timeout_ms);
    if (rc != 0 && srv->pid > 0) {
        int64_t ignored_ns;
        int ignored_code;
        bench_server_halt(srv, SIGKILL, 3000, &ignored_ns, &ignored_code);
    }
    return rc;
}

/* Waits up to <deadline> for <pid> to exit; returns 1 and its status in *<status>, or 0. */
static int reap_until(pid_t pid, int64_t deadline, int *status)
{
    while (bench_now_ns() < deadline) {
        pid_t got = waitpid(pid, status, WNOHANG);
        if (got == pid)
            return 1;
        if (got < 0 && errno != EINTR)
            return 1; /* not our child any more: nothing left to wait for */
        bench_sleep_ms(1);
    }
    return 0;
}

int bench_server_halt(struct bench_server *srv, int sig, int timeout_ms, int64_t *exit_ns,
                      int *exit_code)
{
    int64_t t0 = bench_now_ns();
    int status = 0;
    int rc = 0;

    *exit_ns = 0;
    *exit_code = 0;
    if (srv->pid <= 0)
        return 0;
    kill(srv->pid, sig);
    if (!reap_until(srv->pid, t0 + (int64_t)timeout_ms * 1000000, &status)) {
        fprintf(stderr, "gn_bench: pid %d did not exit within %d ms of signal %d; SIGKILL\n",
                (int)srv->pid, timeout_ms, sig);
        kill(srv->pid, SIGKILL);
        while (waitpid(srv->pid, &status, 0) < 0 && errno == EINTR) {
        }
        rc = -ETIMEDOUT;
    }
    *exit_ns = bench_now_ns() - t0;
    if (WIFEXITED(status))
        *exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        *exit_code = -WTERMSIG(status);
    if (rc == 0 && WIFSIGNALED(status) && WTERMSIG(status) != sig) {
        fprintf(stderr, "gn_bench: pid %d died of signal %d (%s) after signal %d; see %s\n",
                (int)srv->pid, WTERMSIG(status), strsignal(WTERMSIG(status)), sig, srv->log);
        rc = -EPROTO;
    }
    slot_del(srv->pid);
    srv->pid = 0;
    return rc;
}

static int64_t du_bytes; /* bench_server_store_kib() accumulator: main thread only */

static int du_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    if (flag == FTW_F)
        du_bytes += (int64_t)st->st_blocks * 512;
    return 0;
}

int64_t bench_server_store_kib(const struct bench_server *srv)
{
    char store[sizeof(srv->dir) + 8];

    snprintf(store, sizeof(store), "%s/store", srv->dir);
    du_bytes = 0;
    if (nftw(store, du_entry, 16, FTW_PHYS) != 0)
        return -1;
    return du_bytes / 1024;
}

void bench_server_stop(struct bench_server *srv)
{
    int status;

    if (srv->pid > 0) {
        int64_t deadline = bench_now_ns() + 3000000000LL;
        pid_t got = 0;

        kill(srv->pid, SIGTERM);
        while (bench_now_ns() < deadline) {
            got = waitpid(srv->pid, &status, WNOHANG);
            if (got == srv->pid || (got < 0 && errno != EINTR))
                break;
            bench_sleep_ms(2);
        }
        if (got != srv->pid) {
            kill(srv->pid, SIGKILL);
            while (waitpid(srv->pid, &status, 0) < 0 && errno == EINTR) {
            }
        }
        slot_del(srv->pid);
        srv->pid = 0;
    }
    dir_remove(srv->dir);
    srv->dir[0] = '\0';
}

/* utime + stime from /proc/<pid>/stat: clock-tick resolution (usually 10 ms). */
static int64_t stat_cpu_ns(pid_t pid)
{
    char path[64];
    char buf[1024];
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    long tck = sysconf(_SC_CLK_TCK);
    FILE *f;
    size_t n;
    char *p;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* The command name may hold spaces and ')': the fields start after the last ')'.
     * Then: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime */
    p = strrchr(buf, ')');
    if (p == NULL || tck <= 0 ||
        sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) !=
            2)
        return -1;
    return (int64_t)((utime + stime) * (1000000000ULL / (unsigned long long)tck));
}

int64_t bench_proc_cpu_ns(pid_t pid)
{
    clockid_t clk;
    struct timespec ts;

    /* The process CPU clock of <pid> is the same utime + stime sum, but in nanoseconds. */
    if (clock_getcpuclockid(pid, &clk) == 0 && clock_gettime(clk, &ts) == 0)
        return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    return stat_cpu_ns(pid);
}

int64_t bench_proc_status_kib(pid_t pid, const char *key)
{
    char path[64];
    char line[256];
    size_t klen = strlen(key);
    long long kib = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            if (sscanf(line + klen + 1, "%lld", &kib) != 1)
                kib = -1;
            break;
        }
    }
    fclose(f);
    return kib;
}
