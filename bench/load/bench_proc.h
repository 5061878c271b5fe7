/* Server processes for the side-by-side benchmark: spawn, probe, measure, kill.
 *
 * A server is started as `<path> -a 127.0.0.1 -p <free port>` (nats-server's own flags, which
 * gannet-server accepts too; JetStream adds `-js -sd <dir>/store`) with its working directory,
 * log and store in a fresh temp dir. Every child
 * is registered so that bench_proc_kill_all() (called from the signal handler and atexit) can
 * kill it; children also get PR_SET_PDEATHSIG so they die with the benchmark no matter how.
 * Measurements come from the kernel: the server PID's CPU-time clock and /proc VmRSS/VmHWM.
 */
#ifndef GN_BENCH_PROC_H
#define GN_BENCH_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* One running server. Owned by the caller; stop it with bench_server_stop(). */
struct bench_server {
    pid_t pid;        /* child PID, 0 when not running */
    int port;         /* TCP port on 127.0.0.1 it listens on */
    bool js;          /* started with JetStream: -js -sd <dir>/store */
    int64_t spawn_ns; /* bench_now_ns() just before the latest fork */
    int64_t ready_ns; /* spawn → INFO received, in nanoseconds */
    char version[32]; /* "version" field of its INFO, "?" if absent */
    char dir[256];    /* temp dir (cwd of the server); removed on stop */
    char log[300];    /* <dir>/server.log: the server's stdout and stderr */
};

/* Spawns the server binary <path> on a free 127.0.0.1 port and waits (at most <timeout_ms>) until
 * it accepts a TCP connection and sends a line starting with "INFO ". Retries with another port
 * up to 3 times if the child exits early (port race). On success fills <srv> and returns 0; on
 * failure prints the tail of the server log to stderr, kills the child, removes the temp dir and
 * returns a negative errno. Main thread only. */
int bench_server_start(struct bench_server *srv, const char *path, int timeout_ms);

/* Like bench_server_start(), but with JetStream enabled: the server also gets `-js -sd
 * <dir>/store`, a store dir of its own that no other server start uses (except
 * bench_server_respawn() of this same <srv>). */
int bench_server_start_js(struct bench_server *srv, const char *path, int timeout_ms);

/* Sends <sig> to <srv> and waits up to <timeout_ms> for it to exit, keeping its temp dir (and
 * store) for bench_server_respawn(); *<exit_ns> gets signal → reaped, *<exit_code> the exit
 * status (0-255), or minus the number of the signal that ended it. Returns 0 when it exited
 * (with any status: nats-server exits 1 on SIGTERM) or died of <sig>; -ETIMEDOUT when it had
 * to be SIGKILLed; -EPROTO when another signal ended it, a crash (printed to stderr).
 * Afterwards srv->pid is 0. Main thread only. */
int bench_server_halt(struct bench_server *srv, int sig, int timeout_ms, int64_t *exit_ns,
                      int *exit_code);

/* Starts <path> again in the temp dir (and on the store) of the halted <srv>, on a new free port,
 * and waits like bench_server_start(). The log is appended to. Returns 0, or a negative errno
 * after printing the log tail; the dir is kept either way (bench_server_stop() removes it). */
int bench_server_respawn(struct bench_server *srv, const char *path, int timeout_ms);

/* Returns the disk usage of <srv>'s store dir in KiB (allocated blocks), or -1. */
int64_t bench_server_store_kib(const struct bench_server *srv);

/* Stops <srv>: SIGTERM, waits up to 3 s, then SIGKILL; reaps it and removes its temp dir.
 * Safe to call on a stopped server (pid 0). Main thread only. */
void bench_server_stop(struct bench_server *srv);

/* Kills (SIGKILL) every server this process started and has not reaped yet. Async-signal-safe:
 * called from the SIGINT/SIGTERM handler and from atexit. */
void bench_proc_kill_all(void);

/* Returns the CPU time (user + system, all threads) consumed so far by process <pid>, in
 * nanoseconds, or -1 on error. Reads the process's CPU-time clock (clock_getcpuclockid), which
 * has nanosecond resolution; falls back to utime + stime of /proc/<pid>/stat (clock ticks). */
int64_t bench_proc_cpu_ns(pid_t pid);

/* Returns the value in KiB of the line <key> ("VmRSS", "VmHWM") of /proc/<pid>/status, or -1 if
 * the file or the key cannot be read. */
int64_t bench_proc_status_kib(pid_t pid, const char *key);

/* Returns the current CLOCK_MONOTONIC time in nanoseconds. */
int64_t bench_now_ns(void);

/* Sleeps for <ms> milliseconds (restarts on EINTR). */
void bench_sleep_ms(int ms);

#endif
