/* it_ops cases about the server process: lame duck mode (SIGUSR2 and --signal ldm=<pid>),
 * SIGTERM shutdown with the pid and ports files, log reopening on SIGUSR1, config file errors,
 * `-t`, and a random port (-p -1) found through the ports file.
 *
 * nats-server refuses a lame_duck_duration under 30 s; it closes clients right after the grace
 * period (at most 1 s apart) and then exits, so the bounds below are grace-based, not 30 s.
 */
#include "it_ops.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LDM_CONF        "lame_duck_duration: \"30s\"\nlame_duck_grace_period: \"1s\"\n"
#define LDM_CLOSE_MS    5000 /* signal to client close: 1 s grace + 1 client + slack */
#define LDM_EXIT_MS     8000 /* signal to process exit */
#define SIGTERM_MSGS    8000 /* messages pending for the subscriber at SIGTERM (8 MB) */
#define SIGTERM_PAYLOAD 1000 /* bytes per message */
#define CONF_EXIT_MS    3000 /* a bad config must end the process within this */

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static bool path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Sends lame-duck to <srv> either with kill(SIGUSR2) or by running `<bin> --signal ldm=<pid>`,
 * then checks INFO ldm, refused connections, the client's close and the process exit. */
static void lame_duck_run(bool via_cli)
{
    struct it_server srv;
    char out[1024], arg[64];
    size_t drained = 0;
    int64_t t0;
    int fd, rc, nfd = 0;

    it_server_start(&srv, LDM_CONF, NULL);
    fd = ito_open(srv.port, ITO_CONNECT "PING\r\n");
    ito_expect(fd, "PONG\r\n", 3000, "PONG before lame duck");
    t0 = it_now_ms();
    if (via_cli) {
        const char *args[] = {"--signal", arg, NULL};
        snprintf(arg, sizeof(arg), "ldm=%d", (int)srv.pid);
        rc = it_exec(args, out, sizeof(out), 5000);
        IT_CHECK(rc == 0, "`--signal ldm=<pid>` exited 0 (status %d, output '%s')", rc, out);
    } else {
        IT_ASSERT(kill(srv.pid, SIGUSR2) == 0, "kill: %s", strerror(errno));
    }
    ito_expect(fd, "\"ldm\":true", 3000, "INFO with ldm");
    IT_CHECK(true, "connected client received an INFO with \"ldm\":true");
    for (int64_t end = it_now_ms() + 2000; it_now_ms() < end; sleep_ms(10)) {
        nfd = ito_try_connect(srv.port);
        if (nfd < 0)
            break;
        close(nfd);
    }
    IT_CHECK(nfd == -ECONNREFUSED, "new connections are refused (%s)",
             nfd < 0 ? strerror(-nfd) : "still accepted");
    rc = ito_drain_to_close(fd, LDM_CLOSE_MS - (int)(it_now_ms() - t0), &drained);
    IT_CHECK(rc >= 0, "client closed %lld ms after the signal (bound %d ms: grace + 1 client)",
             (long long)(it_now_ms() - t0), LDM_CLOSE_MS);
    rc = it_server_wait_exit(&srv, LDM_EXIT_MS - (int)(it_now_ms() - t0));
    IT_CHECK(rc == 0, "process exited by itself with status 0 after %lld ms (status %d)",
             (long long)(it_now_ms() - t0), rc);
    close(fd);
    it_server_cleanup(&srv);
}

void it_case_lame_duck_signal(void)
{
    lame_duck_run(false);
}

void it_case_lame_duck_cli(void)
{
    lame_duck_run(true);
}

/* Starts a server with `-P <dir>/server.pid --ports_file_dir <dir>` and checks both files. */
static void start_with_files(struct it_server *srv, const char *dir, char *pid_path, size_t cap)
{
    char ports[300], buf[512], want[64];
    const char *args[] = {"-P", pid_path, "--ports_file_dir", dir, "-m", "-1", NULL};

    snprintf(pid_path, cap, "%s/server.pid", dir);
    it_server_start(srv, NULL, args);
    for (int64_t end = it_now_ms() + 3000; !ito_ports_file_find(dir, ports, sizeof(ports));
         sleep_ms(5))
        IT_ASSERT(it_now_ms() < end, "no *.ports file in %s", dir);
    snprintf(want, sizeof(want), "nats://127.0.0.1:%d", srv->port);
    ito_wait_file_contains(ports, want, 3000);
    IT_CHECK(true, "ports file %s holds %s", strrchr(ports, '/') + 1, want);
    /* -m -1: the monitoring port is random too, and listed as such. */
    ito_wait_file_contains(ports, "\"monitoring\":[\"http://127.0.0.1:", 3000);
    IT_CHECK(true, "ports file lists the monitoring URL");
    snprintf(want, sizeof(want), "%d", (int)srv->pid);
    ito_wait_file_contains(pid_path, want, 3000);
    IT_ASSERT(ito_file_read(pid_path, buf, sizeof(buf)) > 0 && atoi(buf) == (int)srv->pid,
              "pid file holds '%s', not %d", buf, (int)srv->pid);
    IT_CHECK(true, "pid file holds the server pid %d", (int)srv->pid);
}

/* Builds SIGTERM_MSGS numbered PUBs on "term" (payload "%05d" + 'x' padding). */
static char *term_pubs_make(size_t *len)
{
    size_t one = strlen("PUB term 1000\r\n") + SIGTERM_PAYLOAD + 2;
    char *buf = malloc(one * SIGTERM_MSGS + 1), *p = buf;

    IT_ASSERT(buf != NULL, "out of memory");
    for (int i = 0; i < SIGTERM_MSGS; i++, p += one) {
        int n = snprintf(p, one + 1, "PUB term %d\r\n%05d", SIGTERM_PAYLOAD, i);
        memset(p + n, 'x', one - (size_t)n - 2);
        memcpy(p + one - 2, "\r\n", 2);
    }
    *p = '\0';
    *len = one * SIGTERM_MSGS;
    return buf;
}

/* Counts the "MSG term 1 1000" deliveries in <buf> and checks they are in order. */
static int term_msgs_count(const char *buf, size_t len)
{
    static const char head[] = "MSG term 1 1000\r\n";
    size_t one = strlen(head) + SIGTERM_PAYLOAD + 2;
    int n = 0;

    for (size_t off = 0; off + one <= len; off += one, n++) {
        if (memcmp(buf + off, head, strlen(head)) != 0 || atoi(buf + off + strlen(head)) != n)
            break;
    }
    return n;
}

void it_case_sigterm_flush(void)
{
    struct it_server srv;
    char dir[256], pid_path[300], ports[300];
    size_t pubs_len, len = 0, cap = 10u * 1024 * 1024;
    char *pubs, *buf;
    int sub, pub, rc, got;

    it_tmpdir_make(dir, sizeof(dir));
    start_with_files(&srv, dir, pid_path, sizeof(pid_path));
    /* A small receive buffer that is not read: most of the 8 MB stays queued in the server. */
    sub = ito_open_rcvbuf(srv.port, ITO_CONNECT "SUB term 1\r\nPING\r\n", 4096);
    ito_expect(sub, "PONG\r\n", 3000, "subscriber PONG");
    pub = ito_open(srv.port, ITO_CONNECT);
    pubs = term_pubs_make(&pubs_len);
    ito_send_all(pub, pubs, pubs_len, 10000);
    free(pubs);
    it_raw_send(pub, "PING\r\n");
    ito_expect(pub, "PONG\r\n", 5000, "publisher PONG");
    IT_ASSERT(kill(srv.pid, SIGTERM) == 0, "kill: %s", strerror(errno));
    buf = malloc(cap);
    IT_ASSERT(buf != NULL, "out of memory");
    rc = it_raw_read_until(sub, buf, cap, &len, NULL, 10000);
    IT_CHECK(rc == 0, "subscriber got EOF after SIGTERM (rc %d, %zu bytes)", rc, len);
    got = term_msgs_count(buf, len);
    IT_CHECK(got == SIGTERM_MSGS,
             "all %d pending messages were delivered, in order, before EOF "
             "(got %d, %zu bytes)",
             SIGTERM_MSGS, got, len);
    free(buf);
    rc = it_server_wait_exit(&srv, 5000);
    IT_CHECK(rc >= 0 && rc < 128, "process exited by itself, not by a signal (status %d)", rc);
    IT_CHECK(!ito_ports_file_find(dir, ports, sizeof(ports)), "ports file removed at exit");
    close(sub);
    close(pub);
    it_server_cleanup(&srv);
}

/* gannet-only: nats-server 2.9.10 exits with status 1 on SIGTERM and leaves the pid file. */
void it_case_sigterm_exit(void)
{
    struct it_server srv;
    char dir[256], pid_path[300];
    int rc;

    it_tmpdir_make(dir, sizeof(dir));
    start_with_files(&srv, dir, pid_path, sizeof(pid_path));
    IT_ASSERT(kill(srv.pid, SIGTERM) == 0, "kill: %s", strerror(errno));
    rc = it_server_wait_exit(&srv, 5000);
    IT_CHECK(rc == 0, "exit status 0 after SIGTERM (status %d)", rc);
    IT_CHECK(!path_exists(pid_path), "pid file removed at exit");
    it_server_cleanup(&srv);
}

void it_case_log_reopen(void)
{
    struct it_server srv;
    char dir[256], logp[300], oldp[300];
    const char *args[] = {"-l", logp, NULL};
    int rc;

    it_tmpdir_make(dir, sizeof(dir));
    snprintf(logp, sizeof(logp), "%s/server.log", dir);
    snprintf(oldp, sizeof(oldp), "%s/server.log.1", dir);
    it_server_start(&srv, NULL, args);
    ito_wait_file_contains(logp, "Server is ready", 3000);
    IT_CHECK(true, "-l file gets the start-up lines");
    IT_ASSERT(rename(logp, oldp) == 0, "rename: %s", strerror(errno));
    IT_ASSERT(kill(srv.pid, SIGUSR1) == 0, "kill: %s", strerror(errno));
    for (int64_t end = it_now_ms() + 3000; !path_exists(logp); sleep_ms(5))
        IT_ASSERT(it_now_ms() < end, "%s not re-created within 3 s of SIGUSR1", logp);
    IT_CHECK(true, "SIGUSR1 re-created the log file at its original path");
    IT_ASSERT(kill(srv.pid, SIGTERM) == 0, "kill: %s", strerror(errno));
    rc = it_server_wait_exit(&srv, 5000);
    IT_ASSERT(rc >= 0, "server did not exit after SIGTERM");
    IT_CHECK(ito_file_contains(logp, "Server Exiting"), "later lines go to the new file");
    IT_CHECK(!ito_file_contains(oldp, "Server Exiting"), "and not to the renamed one");
    it_server_cleanup(&srv);
}

/* Writes <text> to <dir>/<name>, returning the path in <path>. */
static void conf_write(const char *dir, const char *name, const char *text, char *path, size_t cap)
{
    FILE *f;

    snprintf(path, cap, "%s/%s", dir, name);
    f = fopen(path, "w");
    IT_ASSERT(f != NULL, "fopen %s: %s", path, strerror(errno));
    IT_ASSERT(fputs(text, f) >= 0 && fclose(f) == 0, "write %s failed", path);
}

/* Runs the server on the config at <path>; checks a quick non-zero exit. When <line> > 0, the
 * output must also name "<path>:<line>:". */
static void conf_expect_error(const char *path, int line, const char *what)
{
    char out[2048], port[16], where[320];
    const char *args[] = {"-a", "127.0.0.1", "-p", port, "-c", path, NULL};
    int64_t t0 = it_now_ms();
    int rc;

    snprintf(port, sizeof(port), "%d", it_port_pick());
    rc = it_exec(args, out, sizeof(out), CONF_EXIT_MS);
    IT_CHECK(rc > 0 && rc < 128, "%s: exits non-zero within %d ms (status %d after %lld ms)", what,
             CONF_EXIT_MS, rc, (long long)(it_now_ms() - t0));
    if (line > 0) {
        snprintf(where, sizeof(where), "%s:%d:", path, line);
        IT_CHECK(strstr(out, where) != NULL, "%s: message names %s (got '%s')", what,
                 strrchr(where, '/') + 1, out);
    }
}

void it_case_config_errors(void)
{
    char dir[256], path[300];

    it_tmpdir_make(dir, sizeof(dir));
    conf_write(dir, "syntax.conf", "port: 4222\nmax_payload: 1000\nabc def ghi\nping_max: 3\n",
               path, sizeof(path));
    conf_expect_error(path, 0, "syntax error on line 3");
    conf_write(dir, "unknown.conf", "port: 4222\nno_such_key: 1\n", path, sizeof(path));
    conf_expect_error(path, 2, "unknown top-level key on line 2");
    conf_write(dir, "type.conf", "# wrong type\nping_max: 2\nmax_payload: \"abc\"\n", path,
               sizeof(path));
    conf_expect_error(path, 3, "max_payload: \"abc\" on line 3");
}

/* gannet-only: nats-server's parse errors say "line 3" but not the file name. */
void it_case_config_syntax_line(void)
{
    char dir[256], path[300];

    it_tmpdir_make(dir, sizeof(dir));
    conf_write(dir, "syntax.conf", "port: 4222\nmax_payload: 1000\nabc def ghi\nping_max: 3\n",
               path, sizeof(path));
    conf_expect_error(path, 3, "syntax error on line 3");
}

void it_case_config_check(void)
{
    char dir[256], path[300], out[2048];
    const char *args[] = {"-t", "-c", path, NULL};
    int rc;

    it_tmpdir_make(dir, sizeof(dir));
    conf_write(dir, "good.conf", "port: 4222\nmax_payload: 1000\nping_interval: \"1s\"\n", path,
               sizeof(path));
    rc = it_exec(args, out, sizeof(out), CONF_EXIT_MS);
    IT_CHECK(rc == 0, "`-t -c good.conf` exits 0 (status %d, output '%s')", rc, out);
    conf_write(dir, "bad.conf", "port: 4222\nno_such_key: 1\n", path, sizeof(path));
    rc = it_exec(args, out, sizeof(out), CONF_EXIT_MS);
    IT_CHECK(rc > 0 && rc < 128, "`-t -c bad.conf` exits non-zero (status %d)", rc);
}

void it_case_random_port(void)
{
    struct it_server srv;
    char dir[256], ports[300], buf[512], want[64];
    const char *args[] = {"-p", "-1", "--ports_file_dir", dir, NULL};
    const char *p;
    int port = 0, fd;

    it_tmpdir_make(dir, sizeof(dir));
    it_server_spawn(&srv, NULL, args);
    for (int64_t end = it_now_ms() + 5000; port <= 0; sleep_ms(5)) {
        IT_ASSERT(it_now_ms() < end, "no usable *.ports file in %s within 5 s", dir);
        if (!ito_ports_file_find(dir, ports, sizeof(ports)) ||
            ito_file_read(ports, buf, sizeof(buf)) <= 0 || !strchr(buf, ']'))
            continue; /* not written yet, or only partly */
        p = strstr(buf, "nats://127.0.0.1:");
        IT_ASSERT(p != NULL, "ports file without a client URL: '%s'", buf);
        port = atoi(p + strlen("nats://127.0.0.1:"));
    }
    IT_CHECK(port > 0 && port < 65536, "ports file tells port %d", port);
    srv.port = port;
    snprintf(srv.url, sizeof(srv.url), "nats://127.0.0.1:%d", port);
    fd = it_raw_connect(port);
    snprintf(want, sizeof(want), "\"port\":%d", port);
    ito_expect(fd, want, 3000, "INFO with the port");
    it_raw_send(fd, ITO_CONNECT "PING\r\n");
    ito_expect(fd, "PONG\r\n", 3000, "PONG");
    IT_CHECK(true, "a client connects to that port (INFO %s, PING/PONG)", want);
    close(fd);
    it_server_cleanup(&srv);
}
