/* CLI tests: run the `gannet` binary as a user would, against a server under test.
 *
 * The server comes from the integration harness ($GANNET_SERVER_BIN, started with -js on a
 * free port and a temp store); the CLI binary from $GANNET_CLI_BIN. Every gannet process gets
 * NATS_URL pointing at the server and XDG_CONFIG_HOME in a temp dir, so contexts never touch
 * the user's files. Each run is bounded by a timeout and killed when it overruns.
 */
#ifndef GN_CT_H
#define GN_CT_H

#include "harness.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CT_OUT_MAX (256 * 1024) /* stdout bytes kept per run */
#define CT_ERR_MAX (64 * 1024)  /* stderr bytes kept per run */
#define CT_RUN_MS  20000        /* default bound on one gannet run */

/* The result of one gannet run. */
struct ct_res {
    int status;           /* exit status, 128+signal, or -1 on timeout */
    char out[CT_OUT_MAX]; /* stdout, NUL-terminated (truncated when longer) */
    char err[CT_ERR_MAX]; /* stderr, NUL-terminated */
    size_t out_len;       /* bytes in out */
};

/* The environment of a case: the server and the paths every run uses. */
struct ct_env {
    struct it_server srv; /* server under test */
    char store[256];      /* its JetStream store dir */
    char home[256];       /* XDG_CONFIG_HOME of the gannet runs */
    char url[64];         /* NATS_URL given to gannet ("" = leave unset) */
    char user[64];        /* NATS_USER given to gannet ("" = unset) */
    char pass[64];        /* NATS_PASSWORD given to gannet ("" = unset) */
};

extern struct ct_env ct; /* the one environment of the running case */

/* Starts the server with JetStream (and the extra <args>, NULL-terminated or NULL) and sets up
 * ct. Main thread; fails the test on error. */
void ct_start(const char *const *args);

/* Runs gannet with the NULL-terminated <args> (argv[1...]), <in> on stdin (NULL: /dev/null),
 * and waits up to <timeout_ms>. Fills <res> and returns its status. Fails the test if gannet
 * cannot be started. */
int ct_run(struct ct_res *res, const char *in, int timeout_ms, const char *const *args);

/* ct_run() with the default timeout and the arguments inline: CT(res, stdin, "pub", "x"). */
#define CT(res, in, ...) ct_run((res), (in), CT_RUN_MS, (const char *const[]){__VA_ARGS__, NULL})

/* Checks that the run exited with <code>; on failure prints its output and fails the test. */
#define CT_EXIT(res, code, what) ct_expect_exit((res), (code), (what), __FILE__, __LINE__)
/* Checks that stdout (or stderr when <on_err>) contains <needle>. */
#define CT_HAS(res, needle)     ct_expect_has((res), (needle), false, __FILE__, __LINE__)
#define CT_ERR_HAS(res, needle) ct_expect_has((res), (needle), true, __FILE__, __LINE__)
/* Checks that stdout does not contain <needle>. */
#define CT_LACKS(res, needle) ct_expect_lacks((res), (needle), __FILE__, __LINE__)

void ct_expect_exit(const struct ct_res *res, int code, const char *what, const char *file,
                    int line);
void ct_expect_has(const struct ct_res *res, const char *needle, bool on_err, const char *file,
                   int line);
void ct_expect_lacks(const struct ct_res *res, const char *needle, const char *file, int line);

/* A gannet process left running (sub, reply, watch) with its output going to temp files. */
struct ct_bg {
    pid_t pid;          /* 0 once reaped */
    char out_path[300]; /* stdout file */
    char err_path[300]; /* stderr file */
};

/* Starts gannet with <args> in the background (stdin /dev/null); registered so a failing test
 * kills it. */
void ct_bg_start(struct ct_bg *bg, const char *const *args);
#define CT_BG(bg, ...) ct_bg_start((bg), (const char *const[]){__VA_ARGS__, NULL})
/* Waits until the background stdout or stderr (<on_err>) contains <needle> or <timeout_ms>
 * passes; returns whether it appeared. */
bool ct_bg_wait_for(struct ct_bg *bg, const char *needle, bool on_err, int timeout_ms);
/* Waits up to <timeout_ms> for the process to exit (SIGTERM, then SIGKILL when it does not)
 * and loads its output into <res>. With <kill_first> it is sent SIGTERM at once. */
void ct_bg_finish(struct ct_bg *bg, struct ct_res *res, bool kill_first, int timeout_ms);

/* Loads the output so far of the running <bg> into <res> (status 0). */
void ct_bg_peek(struct ct_bg *bg, struct ct_res *res);

/* Returns the path of the gannet binary under test ($GANNET_CLI_BIN). */
const char *ct_cli_bin(void);

/* Returns a pointer to a static copy of the first line of <s> containing <needle>, or NULL. */
const char *ct_line_with(const char *s, const char *needle);

/* Writes <len> bytes of <data> to a new file in a temp dir and returns its path (static
 * storage per call slot: up to 8 live paths). */
const char *ct_file_write(const char *name, const void *data, size_t len);

/* Case functions, one per line of ct_cases.def. */
#define CT_CASE(name)        void ct_case_##name(void);
#define CT_CASE_GANNET(name) void ct_case_##name(void);
#include "ct_cases.def"
#undef CT_CASE
#undef CT_CASE_GANNET

#endif
