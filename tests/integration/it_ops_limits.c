/* it_ops cases about per-connection limits: slow consumers (max_pending, write_deadline),
 * max_control_line, PING/stale detection, auth timeout, max_connections, max_subscriptions,
 * and a fan-out to many concurrent connections.
 *
 * Slow-consumer cases use raw sockets so that the subscriber truly never reads; the server log
 * (its stderr, in srv.log) tells which limit closed it, in the same words on both servers.
 */
#include "it_ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SLOW_PAYLOAD     60000               /* bytes per message, under max_payload 65536 */
#define SLOW_TOTAL       (50L * 1024 * 1024) /* bytes the publisher pushes */
#define WD_PAYLOAD       16384               /* write_deadline case: bytes per message */
#define WD_MAX_TOTAL     (40L * 1024 * 1024) /* stays under the default 64 MiB max_pending */
#define MANY_CONNS       500                 /* concurrent raw connections in many_connections */
#define STALE_LIBNATS_MS 4500                /* how long the libnats client must stay connected */

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Builds <count> PUB commands of <size>-byte payloads on <subject>; returns a malloc'd buffer
 * and its length in <*len>. */
static char *pubs_make(const char *subject, size_t size, int count, size_t *len)
{
    char head[128];
    int hl = snprintf(head, sizeof(head), "PUB %s %zu\r\n", subject, size);
    size_t one = (size_t)hl + size + 2;
    char *buf = malloc(one * (size_t)count);

    IT_ASSERT(buf != NULL, "out of memory");
    for (int i = 0; i < count; i++) {
        char *p = buf + one * (size_t)i;
        memcpy(p, head, (size_t)hl);
        memset(p + hl, 'x', size);
        memcpy(p + hl + size, "\r\n", 2);
    }
    *len = one * (size_t)count;
    return buf;
}

/* Opens the never-reading subscriber on "slow" and waits for its PONG. */
static int slow_sub_open(int port)
{
    int fd = ito_open(port, ITO_CONNECT "SUB slow 1\r\nPING\r\n");

    ito_expect(fd, "PONG\r\n", 3000, "subscriber PONG");
    return fd;
}

void it_case_slow_consumer_pending(void)
{
    struct it_server srv;
    size_t chunk_len, drained = 0;
    long sent = 0;
    int sub, pub, rc;
    char *chunk;

    it_server_start(&srv, "max_pending: 65536\nmax_payload: 65536\n", NULL);
    sub = slow_sub_open(srv.port);
    pub = ito_open(srv.port, ITO_CONNECT);
    chunk = pubs_make("slow", SLOW_PAYLOAD, 4, &chunk_len);
    while (sent < SLOW_TOTAL) {
        ito_send_all(pub, chunk, chunk_len, 10000);
        sent += (long)chunk_len;
    }
    free(chunk);
    IT_CHECK(true, "publisher pushed %ld bytes to a subscriber that never reads", sent);
    ito_wait_file_contains(srv.log, "Slow Consumer Detected: MaxPending of 65536 Exceeded", 5000);
    IT_CHECK(true, "server logged 'Slow Consumer Detected: MaxPending of 65536 Exceeded'");
    it_raw_send(pub, "PING\r\n");
    ito_expect(pub, "PONG\r\n", 5000, "publisher PONG");
    IT_CHECK(true, "publisher still connected (PING/PONG)");
    rc = ito_drain_to_close(sub, 10000, &drained);
    IT_CHECK(rc >= 0, "subscriber connection closed (%s after %zu bytes)", rc ? "reset" : "EOF",
             drained);
    IT_CHECK((long)drained < sent, "subscriber got less than was published (%zu < %ld)", drained,
             sent);
    close(sub);
    close(pub);
    it_server_cleanup(&srv);
}

void it_case_write_deadline(void)
{
    static const char logged[] = "Slow Consumer Detected: WriteDeadline of ";
    struct it_server srv;
    size_t chunk_len, drained = 0;
    int64_t start, deadline;
    long sent = 0;
    int sub, pub, rc, i = 0;
    bool seen = false;
    char *chunk;

    it_server_start(&srv, "write_deadline: \"1s\"\n", NULL);
    sub = slow_sub_open(srv.port);
    pub = ito_open(srv.port, ITO_CONNECT);
    chunk = pubs_make("slow", WD_PAYLOAD, 4, &chunk_len);
    /* About 12 MB/s: the socket buffers fill within a second, pending stays far below the
     * default max_pending, so only the write deadline can close the subscriber. */
    start = it_now_ms();
    deadline = start + 10000;
    while (!seen && sent < WD_MAX_TOTAL && it_now_ms() < deadline) {
        ito_send_all(pub, chunk, chunk_len, 5000);
        sent += (long)chunk_len;
        sleep_ms(5);
        if (++i % 10 == 0)
            seen = ito_file_contains(srv.log, logged);
    }
    free(chunk);
    seen = seen || ito_file_contains(srv.log, logged);
    IT_CHECK(seen, "server logged '%s...' after %lld ms (%ld bytes published)", logged,
             (long long)(it_now_ms() - start), sent);
    it_raw_send(pub, "PING\r\n");
    ito_expect(pub, "PONG\r\n", 5000, "publisher PONG");
    IT_CHECK(true, "publisher still connected (PING/PONG)");
    rc = ito_drain_to_close(sub, 5000, &drained);
    IT_CHECK(rc >= 0, "subscriber connection closed (%s after %zu bytes)", rc ? "reset" : "EOF",
             drained);
    IT_CHECK(it_now_ms() - start < 12000, "whole case within 12 s");
    close(sub);
    close(pub);
    it_server_cleanup(&srv);
}

void it_case_max_control_line(void)
{
    static const char want[] = "-ERR 'maximum control line exceeded'\r\n";
    struct it_server srv;
    char line[400], buf[1024];
    size_t len = 0;
    int fd, rc;

    it_server_start(&srv, "max_control_line: 256\n", NULL);
    fd = ito_open(srv.port, ITO_CONNECT "PING\r\n");
    ito_expect(fd, "PONG\r\n", 3000, "PONG after CONNECT");
    memcpy(line, "PUB ", 4);
    memset(line + 4, 'a', 300);
    snprintf(line + 304, sizeof(line) - 304, " 2\r\nhi\r\n");
    it_raw_send(fd, line);
    rc = it_raw_read_until(fd, buf, sizeof(buf), &len, NULL, 3000);
    IT_CHECK(rc == 0, "connection closed after a 300-byte subject (rc %d)", rc);
    IT_CHECK(strcmp(buf, want) == 0, "got exactly %.*s (got '%s')", (int)strlen(want) - 2, want,
             buf);
    close(fd);
    it_server_cleanup(&srv);
}

static void on_disconnected(natsConnection *nc, void *arg)
{
    (void)nc;
    __atomic_add_fetch((int *)arg, 1, __ATOMIC_SEQ_CST);
}

/* Checks what a raw client that never answers PINGs receives: PINGs, then the stale error. */
static void stale_raw_check(int port)
{
    static const char err[] = "-ERR 'Stale Connection'\r\n";
    char buf[1024];
    size_t len = 0, elen = strlen(err), pings = 0;
    int64_t t0 = it_now_ms(), took;
    int fd = ito_open(port, ITO_CONNECT);
    int rc = it_raw_read_until(fd, buf, sizeof(buf), &len, NULL, 8000);
    const char *p = buf;

    took = it_now_ms() - t0;
    IT_CHECK(rc == 0, "raw client closed by the server after %lld ms (rc %d)", (long long)took, rc);
    IT_CHECK(took >= 1500 && took <= 6000, "closed between 1.5 s and 6 s (%lld ms)",
             (long long)took);
    while (strncmp(p, "PING\r\n", 6) == 0) {
        pings++;
        p += 6;
    }
    IT_CHECK(pings >= 1, "received %zu PING(s) before the error", pings);
    IT_CHECK(strlen(p) == elen && strcmp(p, err) == 0,
             "then exactly -ERR 'Stale Connection' "
             "(got '%s')",
             buf);
    close(fd);
}

void it_case_stale_connection(void)
{
    static int disconnects;
    struct it_server srv;
    natsOptions *opts;
    natsConnection *nc;
    int64_t t0;

    it_server_start(&srv, "ping_interval: \"1s\"\nping_max: 2\n", NULL);
    IT_NATS(natsOptions_Create(&opts));
    IT_NATS(natsOptions_SetDisconnectedCB(opts, on_disconnected, &disconnects));
    nc = it_connect(&srv, opts);
    natsOptions_Destroy(opts);
    t0 = it_now_ms();

    stale_raw_check(srv.port);

    while (it_now_ms() - t0 < STALE_LIBNATS_MS)
        sleep_ms(50);
    IT_CHECK(natsConnection_Status(nc) == NATS_CONN_STATUS_CONNECTED &&
                 __atomic_load_n(&disconnects, __ATOMIC_SEQ_CST) == 0,
             "libnats client answering PINGs stayed connected for %d ms", STALE_LIBNATS_MS);
    IT_NATS(natsConnection_FlushTimeout(nc, 2000));
    natsConnection_Destroy(nc);
    it_server_cleanup(&srv);
}

void it_case_auth_timeout(void)
{
    static const char err[] = "-ERR 'Authentication Timeout'\r\n";
    struct it_server srv;
    char buf[2048];
    size_t len = 0, elen = strlen(err);
    int64_t t0, took;
    int fd, rc;

    it_server_start(&srv, "authorization { user: a, password: b, timeout: 1 }\n", NULL);
    t0 = it_now_ms();
    fd = it_raw_connect(srv.port);
    rc = it_raw_read_until(fd, buf, sizeof(buf), &len, NULL, 5000);
    took = it_now_ms() - t0;
    IT_CHECK(rc == 0, "silent client closed by the server after %lld ms (rc %d)", (long long)took,
             rc);
    IT_CHECK(took >= 700 && took <= 2500, "closed between 0.7 s and 2.5 s (%lld ms)",
             (long long)took);
    IT_CHECK(strncmp(buf, "INFO {", 6) == 0 && strstr(buf, "\"auth_required\":true"),
             "INFO with auth_required first");
    IT_CHECK(len > elen && strcmp(buf + len - elen, err) == 0,
             "last line is -ERR 'Authentication Timeout' (got '%s')", buf);
    close(fd);
    it_server_cleanup(&srv);
}

void it_case_max_connections(void)
{
    static const char err[] = "-ERR 'maximum connections exceeded'\r\n";
    struct it_server srv;
    int64_t deadline;
    char buf[2048];
    size_t len = 0;
    int a, b, c, rc;

    it_server_start(&srv, "max_connections: 2\n", NULL);
    a = ito_open(srv.port, ITO_CONNECT "PING\r\n");
    ito_expect(a, "PONG\r\n", 3000, "first client PONG");
    b = ito_open(srv.port, ITO_CONNECT "PING\r\n");
    ito_expect(b, "PONG\r\n", 3000, "second client PONG");
    c = it_raw_connect(srv.port);
    rc = it_raw_read_until(c, buf, sizeof(buf), &len, NULL, 3000);
    IT_CHECK(rc == 0, "third connection closed by the server (rc %d)", rc);
    IT_CHECK(strstr(buf, err) != NULL, "third connection got %.*s (got '%s')", (int)strlen(err) - 2,
             err, buf);
    close(c);
    close(a);
    /* The server notices the close asynchronously: retry, bounded, until a slot is free. */
    deadline = it_now_ms() + 3000;
    for (;;) {
        c = it_raw_connect(srv.port);
        it_raw_send(c, ITO_CONNECT "PING\r\n");
        rc = it_raw_read_until(c, buf, sizeof(buf), &len, "PONG\r\n", 2000);
        if (rc == 1)
            break;
        close(c);
        IT_ASSERT(it_now_ms() < deadline, "no new connection accepted after one closed: '%s'", buf);
        sleep_ms(20);
    }
    IT_CHECK(true, "after one client closed, a new one is accepted");
    close(b);
    close(c);
    it_server_cleanup(&srv);
}

void it_case_max_subscriptions(void)
{
    static const char want[] = "+OK\r\n+OK\r\n+OK\r\n+OK\r\n"
                               "-ERR 'maximum subscriptions exceeded'\r\nPONG\r\n";
    struct it_server srv;
    char buf[2048];
    size_t len = 0;
    int fd, rc;

    it_server_start(&srv, "max_subscriptions: 3\n", NULL);
    fd = ito_open(srv.port, "CONNECT {\"verbose\":true}\r\n"
                            "SUB a 1\r\nSUB b 2\r\nSUB c 3\r\nSUB d 4\r\nPING\r\n");
    rc = it_raw_read_until(fd, buf, sizeof(buf), &len, "PONG\r\n", 3000);
    IT_CHECK(rc == 1 && strcmp(buf, want) == 0,
             "3 SUBs +OK, the fourth -ERR 'maximum subscriptions exceeded' (got '%s')", buf);
    it_raw_send(fd, "PUB a 1\r\nx\r\nPING\r\n");
    rc = it_raw_read_until(fd, buf, sizeof(buf), &len, "PONG\r\n", 3000);
    IT_CHECK(rc == 1 && strcmp(buf, "+OK\r\nMSG a 1 1\r\nx\r\nPONG\r\n") == 0,
             "connection stays open and the first subscriptions still work (got '%s')", buf);
    close(fd);
    it_server_cleanup(&srv);
}

void it_case_many_connections(void)
{
    static int fds[MANY_CONNS];
    struct it_server srv;
    char cmd[128], want[64];
    int pub;

    it_server_start(&srv, NULL, NULL);
    for (int i = 0; i < MANY_CONNS; i++) {
        fds[i] = ito_open(srv.port, NULL);
        snprintf(cmd, sizeof(cmd), ITO_CONNECT "SUB fan.out %d\r\nPING\r\n", i + 1);
        it_raw_send(fds[i], cmd);
    }
    for (int i = 0; i < MANY_CONNS; i++)
        ito_expect(fds[i], "PONG\r\n", 5000, "PONG after SUB");
    IT_CHECK(true, "%d raw connections subscribed (PING/PONG each)", MANY_CONNS);
    pub = ito_open(srv.port, ITO_CONNECT "PUB fan.out 5\r\nhello\r\nPING\r\n");
    ito_expect(pub, "PONG\r\n", 5000, "publisher PONG");
    for (int i = 0; i < MANY_CONNS; i++) {
        snprintf(want, sizeof(want), "MSG fan.out %d 5\r\nhello\r\n", i + 1);
        ito_expect(fds[i], want, 5000, "fan-out message");
    }
    IT_CHECK(true, "one publish delivered to all %d subscribers", MANY_CONNS);
    for (int i = 0; i < MANY_CONNS; i++)
        close(fds[i]);
    it_raw_send(pub, "PING\r\n");
    ito_expect(pub, "PONG\r\n", 5000, "publisher PONG after the mass close");
    IT_CHECK(true, "server still answers after %d connections closed", MANY_CONNS);
    close(pub);
    it_server_cleanup(&srv);
}
