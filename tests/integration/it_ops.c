/* it_ops: runs one operational case, named by argv[1], against $GANNET_SERVER_BIN.
 *
 * One executable, one CTest entry per case (see CMakeLists.txt and it_ops_cases.def);
 * `it_ops --list` prints the case names. The raw-socket and file helpers shared by the case
 * files (it_ops_limits.c, it_ops_proc.c) live here too.
 */
#include "it_ops.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const struct it_case g_cases[] = {
#define IT_CASE(name)        {#name, it_case_##name},
#define IT_CASE_GANNET(name) {#name, it_case_##name},
#include "it_ops_cases.def"
#undef IT_CASE
#undef IT_CASE_GANNET
};

int ito_open_rcvbuf(int port, const char *connect_text, int rcvbuf)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct timeval tv = {.tv_sec = 5};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    IT_ASSERT(fd >= 0, "socket: %s", strerror(errno));
    if (rcvbuf > 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    IT_ASSERT(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "connect to %d: %s", port,
              strerror(errno));
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    ito_expect(fd, "\r\n", 3000, "INFO line");
    if (connect_text)
        it_raw_send(fd, connect_text);
    return fd;
}

int ito_open(int port, const char *connect_text)
{
    return ito_open_rcvbuf(port, connect_text, 0);
}

void ito_expect(int fd, const char *needle, int timeout_ms, const char *what)
{
    char buf[4096];
    size_t len = 0;
    int rc = it_raw_read_until(fd, buf, sizeof(buf), &len, needle, timeout_ms);

    IT_ASSERT(rc == 1, "%s: no '%s' within %d ms (%s); got %zu bytes: '%.300s'", what, needle,
              timeout_ms, rc == 0 ? "peer closed" : "timeout", len, buf);
}

int ito_drain_to_close(int fd, int timeout_ms, size_t *bytes)
{
    int64_t deadline = it_now_ms() + timeout_ms;
    static char buf[1 << 16];

    *bytes = 0;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int64_t left = deadline - it_now_ms();
        ssize_t n;

        if (left <= 0)
            return -1;
        if (poll(&p, 1, (int)left) <= 0)
            continue;
        n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return errno == ECONNRESET ? 1 : -1;
        }
        *bytes += (size_t)n;
    }
}

void ito_send_all(int fd, const void *data, size_t len, int timeout_ms)
{
    int64_t deadline = it_now_ms() + timeout_ms;
    const char *p = data;
    size_t off = 0;

    while (off < len) {
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        int64_t left = deadline - it_now_ms();
        ssize_t n;

        IT_ASSERT(left > 0, "send of %zu bytes not done within %d ms (%zu sent)", len, timeout_ms,
                  off);
        if (poll(&pfd, 1, (int)left) <= 0)
            continue;
        n = send(fd, p + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        IT_ASSERT(n > 0, "send: %s", strerror(errno));
        off += (size_t)n;
    }
}

int ito_try_connect(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int err;

    IT_ASSERT(fd >= 0, "socket: %s", strerror(errno));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
        return fd;
    err = errno;
    close(fd);
    return -err;
}

long ito_file_read(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t have = 0;

    buf[0] = '\0';
    if (fd < 0)
        return -1;
    while (have + 1 < cap) {
        ssize_t n = read(fd, buf + have, cap - 1 - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    buf[have] = '\0';
    close(fd);
    return (long)have;
}

bool ito_file_contains(const char *path, const char *needle)
{
    static char buf[256 * 1024];

    if (ito_file_read(path, buf, sizeof(buf)) < 0)
        return false;
    return strstr(buf, needle) != NULL;
}

void ito_wait_file_contains(const char *path, const char *needle, int timeout_ms)
{
    int64_t deadline = it_now_ms() + timeout_ms;

    while (!ito_file_contains(path, needle)) {
        struct timespec ts = {.tv_nsec = 5 * 1000 * 1000};

        IT_ASSERT(it_now_ms() < deadline, "%s: no '%s' within %d ms", path, needle, timeout_ms);
        nanosleep(&ts, NULL);
    }
}

bool ito_ports_file_find(const char *dir, char *path, size_t cap)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    bool found = false;

    if (!d)
        return false;
    while (!found && (de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n > 6 && strcmp(de->d_name + n - 6, ".ports") == 0) {
            snprintf(path, cap, "%s/%s", dir, de->d_name);
            found = true;
        }
    }
    closedir(d);
    return found;
}

int main(int argc, char **argv)
{
    return it_main(argc, argv, g_cases, sizeof(g_cases) / sizeof(g_cases[0]));
}
