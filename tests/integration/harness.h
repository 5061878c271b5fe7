/* Integration-test harness: runs the server under test and checks what clients see.
 *
 * The server binary comes from $GANNET_SERVER_BIN and is started with nats-server's flags
 * (`-a 127.0.0.1 -p <free port> [-c <conf>] [extra]`), so the same tests run against
 * gannet-server and the reference nats-server. Every started server is registered; a failed
 * check, the watchdog alarm or a fatal signal kills them all, and PR_SET_PDEATHSIG kills them
 * if the test process itself is killed. Checks run on the main thread unless noted.
 */
#ifndef GN_IT_HARNESS_H
#define GN_IT_HARNESS_H

#include <nats/nats.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define IT_MAX_ARGS        16    /* extra command-line arguments kept per server */
#define IT_START_TIMEOUT   5000  /* ms to wait for the port to accept */
#define IT_STOP_TIMEOUT    5000  /* ms between SIGTERM and SIGKILL */
#define IT_CONNECT_TIMEOUT 10000 /* ms for a libnats connect (INFO to PONG), generous for load */
#define IT_WATCHDOG_S      55    /* whole-case bound, below the CTest TIMEOUT of 60 s */
#define IT_EXIT_SKIP       77    /* exit code CTest treats as "skipped" (SKIP_RETURN_CODE) */

/* One server process under test. Caller storage; zero it (or use it_server_start) first. */
struct it_server {
    pid_t pid;                   /* child pid, 0 while not running */
    int port;                    /* TCP port on 127.0.0.1 */
    char dir[256];               /* mkdtemp directory: config file and server log */
    char conf[300];              /* config file path, empty when started without one */
    char log[300];               /* file receiving the server's stdout and stderr */
    char url[64];                /* "nats://127.0.0.1:<port>" for clients */
    char *args[IT_MAX_ARGS + 1]; /* copies of the extra arguments, NULL-terminated */
};

/* Prints "FAIL <file>:<line>: <message>", the tail of every running server's log, stops all
 * servers, removes their temp dirs and exits with status 1. Any thread may call it; the first
 * caller wins and later callers block until the process exits. */
void it_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/* Check <cond>; on success print "  ok: <message>", on failure it_fail() with it. */
#define IT_CHECK(cond, ...)                                                                        \
    do {                                                                                           \
        if (cond)                                                                                  \
            it_ok(__VA_ARGS__);                                                                    \
        else                                                                                       \
            it_fail(__FILE__, __LINE__, "check failed: " __VA_ARGS__);                             \
    } while (0)

/* Check <cond> silently (for loops); on failure it_fail() with the message. */
#define IT_ASSERT(cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond))                                                                               \
            it_fail(__FILE__, __LINE__, "assertion failed: " __VA_ARGS__);                         \
    } while (0)

/* Evaluate a libnats call that must return NATS_OK; otherwise it_fail() with the status text
 * and libnats' last error. */
#define IT_NATS(expr)                                                                              \
    do {                                                                                           \
        natsStatus it_s_ = (expr);                                                                 \
        if (it_s_ != NATS_OK)                                                                      \
            it_fail(__FILE__, __LINE__, "%s -> %s (%s)", #expr, natsStatus_GetText(it_s_),         \
                    it_nats_last_error());                                                         \
    } while (0)

/* Prints "  ok: <fmt...>" on stdout and flushes it. Thread-safe. */
void it_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Returns libnats' last error text for the calling thread, or "" when there is none. */
const char *it_nats_last_error(void);

/* Prepares the process: reads $GANNET_SERVER_BIN (exits with IT_EXIT_SKIP and a message when it
 * is unset, with 1 when it is not executable), installs the signal handlers and arms the
 * watchdog. Call once from main() before anything else. */
void it_init(void);

/* Stops every registered server and removes its temp dir. Called by it_fail() and at the end of
 * main(); safe to call twice. Main thread. */
void it_cleanup_all(void);

/* One test case of an integration executable. */
struct it_case {
    const char *name; /* as given on the command line */
    void (*fn)(void); /* runs the case; returns only on success */
};

/* The shared main of the case executables: `<exe> <case>` runs that case
 * (it_init, the case, cleanup, "PASS <case>"), `--list` prints the names.
 * Returns the process exit code (2 for usage errors and unknown cases). */
int it_main(int argc, char **argv, const struct it_case *cases, size_t n);

/* Returns monotonic time in milliseconds. */
int64_t it_now_ms(void);

/* Polls <pred>(<arg>) every 2 ms until it returns true (returns true) or <timeout_ms> passes
 * (returns false). <pred> runs on the calling thread. */
bool it_wait_until(bool (*pred)(void *arg), void *arg, int timeout_ms);

/* Returns a TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then closed).
 * Fails the test when no socket can be made. */
int it_port_pick(void);

/* Starts the server on a free port. <conf_text> (may be NULL) is written to a config file in a
 * fresh temp dir and passed with -c; <extra_args> (NULL or a NULL-terminated array, copied) are
 * appended to the command line. Returns once the port accepts connections; retries on another
 * port if the process exits at once (port taken); fails the test after IT_START_TIMEOUT.
 * <srv> must not be running; it is registered until it_server_cleanup(). */
void it_server_start(struct it_server *srv, const char *conf_text, const char *const *extra_args);

/* Stops the server: SIGTERM, then SIGKILL after IT_STOP_TIMEOUT; reaps it. The temp dir and
 * the port stay so that it_server_restart() can reuse them. No-op when not running. */
void it_server_stop(struct it_server *srv);

/* Starts the stopped <srv> again with the same port, config and arguments; fails the test if
 * the port does not accept within IT_START_TIMEOUT. */
void it_server_restart(struct it_server *srv);

/* Stops the server if it runs, removes its temp dir, frees the argument copies and unregisters
 * it. No-op on a zeroed struct. */
void it_server_cleanup(struct it_server *srv);

/* Returns the path of the server binary under test ($GANNET_SERVER_BIN); valid after it_init(). */
const char *it_server_bin(void);

/* Like it_server_start() but does not pick a port or wait: the server is started with
 * `-a 127.0.0.1 [-c <conf>] [extra]` and no -p, so <extra_args> choose the port (e.g. "-p",
 * "-1"). <srv>->port stays 0 and <srv>->url empty until the caller fills them in. Fails the
 * test if the process cannot be started. <srv> is registered until it_server_cleanup(). */
void it_server_spawn(struct it_server *srv, const char *conf_text, const char *const *extra_args);

/* Waits up to <timeout_ms> for <srv>'s process to exit by itself and reaps it (pid becomes 0).
 * Returns its exit status (0-255), 128 + the signal number if a signal killed it, or -1 on
 * timeout (the process keeps running). Main thread. */
int it_server_wait_exit(struct it_server *srv, int timeout_ms);

/* Runs the server binary with the NULL-terminated <args> (argv[1...]) and no stdin, collecting
 * its stdout and stderr into <out> (capacity <cap>, always NUL-terminated, truncated when
 * longer). Returns the exit status as it_server_wait_exit() does, or -1 when it did not exit
 * within <timeout_ms> (it is then killed and reaped). Fails the test if it cannot start. */
int it_exec(const char *const *args, char *out, size_t cap, int timeout_ms);

/* Creates a fresh temp directory and writes its path to <dir> (capacity <cap>). The directory
 * and its contents are removed by it_cleanup_all() (so also when a check fails). Main thread. */
void it_tmpdir_make(char *dir, size_t cap);

/* Opens a blocking TCP connection to 127.0.0.1:<port> with 5 s send/receive timeouts. Returns
 * the fd (caller closes it); fails the test on error. */
int it_raw_connect(int port);

/* Writes all of the NUL-terminated <text> to <fd>; fails the test on error. */
void it_raw_send(int fd, const char *text);

/* Reads from <fd> into <buf> (capacity <cap>, always NUL-terminated) until <needle> appears
 * (returns 1), the peer closes (returns 0), or <timeout_ms> passes or an error occurs
 * (returns -1). <*len> receives the number of bytes held. A NULL <needle> reads until close. */
int it_raw_read_until(int fd, char *buf, size_t cap, size_t *len, const char *needle,
                      int timeout_ms);

/* Connects a libnats client to <srv> with a connect timeout of IT_CONNECT_TIMEOUT. <opts> may be
 * NULL (defaults, 100 ms reconnect wait), else it is used as given, its URL and timeout are
 * overwritten, and it stays owned by the caller. Returns a connection the caller destroys;
 * fails the test on error. */
natsConnection *it_connect(const struct it_server *srv, natsOptions *opts);

#endif
