/* CLI test driver: runs gannet processes with files for stdin/stdout/stderr (no pipe
 * deadlocks), bounded by timeouts, and the shared main of the `ct` executable.
 *
 * Children get PR_SET_PDEATHSIG(SIGKILL), so a failing check (which exits the test) also
 * ends every gannet still running in the background.
 */

#include "ct.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct ct_env ct;
static const char *g_cli; /* $GANNET_CLI_BIN */
static char g_files[256]; /* temp dir for run files */
static int g_seq;         /* run file counter */

void ct_start(const char *const *extra)
{
    const char *args[16] = {"-js", "-sd", NULL};
    int n = 3;
    it_tmpdir_make(ct.store, sizeof(ct.store));
    it_tmpdir_make(ct.home, sizeof(ct.home));
    args[2] = ct.store;
    for (int i = 0; extra && extra[i] && n < 15; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    it_server_start(&ct.srv, NULL, args);
    snprintf(ct.url, sizeof(ct.url), "%s", ct.srv.url);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void files_init(void)
{
    if (!g_files[0])
        it_tmpdir_make(g_files, sizeof(g_files));
}

/* Forks gannet with <args>; stdin from <in_path> (or /dev/null), output to the paths. */
static pid_t spawn(const char *const *args, const char *in_path, const char *out_path,
                   const char *err_path)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = g_cli;
    for (int i = 0; args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    pid_t pid = fork();
    IT_ASSERT(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0)
            _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        if (ct.url[0])
            setenv("NATS_URL", ct.url, 1);
        else
            unsetenv("NATS_URL");
        setenv("XDG_CONFIG_HOME", ct.home, 1);
        if (ct.user[0])
            setenv("NATS_USER", ct.user, 1);
        else
            unsetenv("NATS_USER");
        if (ct.pass[0])
            setenv("NATS_PASSWORD", ct.pass, 1);
        else
            unsetenv("NATS_PASSWORD");
        unsetenv("NATS_TOKEN");
        unsetenv("NATS_CREDS");
        execv(g_cli, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* Waits up to <timeout_ms> for <pid>; returns its status or -1 (still running). */
static int wait_pid(pid_t pid, int timeout_ms)
{
    int64_t deadline = it_now_ms() + timeout_ms;
    for (;;) {
        int st;
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (it_now_ms() >= deadline)
            return -1;
        sleep_ms(2);
    }
}

static size_t file_load(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n = 0;
    if (f) {
        n = fread(buf, 1, cap - 1, f);
        fclose(f);
    }
    buf[n] = '\0';
    return n;
}

int ct_run(struct ct_res *res, const char *in, int timeout_ms, const char *const *args)
{
    char in_path[300], out_path[300], err_path[300];
    files_init();
    int id = g_seq++;
    snprintf(in_path, sizeof(in_path), "%s/run%d.in", g_files, id);
    snprintf(out_path, sizeof(out_path), "%s/run%d.out", g_files, id);
    snprintf(err_path, sizeof(err_path), "%s/run%d.err", g_files, id);
    if (in) {
        FILE *f = fopen(in_path, "wb");
        IT_ASSERT(f, "cannot write %s", in_path);
        fwrite(in, 1, strlen(in), f);
        fclose(f);
    }
    pid_t pid = spawn(args, in ? in_path : NULL, out_path, err_path);
    res->status = wait_pid(pid, timeout_ms);
    if (res->status < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    res->out_len = file_load(out_path, res->out, sizeof(res->out));
    file_load(err_path, res->err, sizeof(res->err));
    return res->status;
}

static void dump(const struct ct_res *res)
{
    fprintf(stdout, "--- exit %d\n--- stdout:\n%s\n--- stderr:\n%s\n---\n", res->status, res->out,
            res->err);
}

void ct_expect_exit(const struct ct_res *res, int code, const char *what, const char *file,
                    int line)
{
    if (res->status == code) {
        it_ok("%s (exit %d)", what, code);
        return;
    }
    dump(res);
    it_fail(file, line, "%s: exit %d, expected %d", what, res->status, code);
}

void ct_expect_has(const struct ct_res *res, const char *needle, bool on_err, const char *file,
                   int line)
{
    if (strstr(on_err ? res->err : res->out, needle)) {
        it_ok("%s has \"%s\"", on_err ? "stderr" : "stdout", needle);
        return;
    }
    dump(res);
    it_fail(file, line, "%s lacks \"%s\"", on_err ? "stderr" : "stdout", needle);
}

void ct_expect_lacks(const struct ct_res *res, const char *needle, const char *file, int line)
{
    if (!strstr(res->out, needle)) {
        it_ok("stdout lacks \"%s\"", needle);
        return;
    }
    dump(res);
    it_fail(file, line, "stdout unexpectedly has \"%s\"", needle);
}

void ct_bg_start(struct ct_bg *bg, const char *const *args)
{
    files_init();
    int id = g_seq++;
    snprintf(bg->out_path, sizeof(bg->out_path), "%s/bg%d.out", g_files, id);
    snprintf(bg->err_path, sizeof(bg->err_path), "%s/bg%d.err", g_files, id);
    bg->pid = spawn(args, NULL, bg->out_path, bg->err_path);
}

bool ct_bg_wait_for(struct ct_bg *bg, const char *needle, bool on_err, int timeout_ms)
{
    static char buf[CT_OUT_MAX];
    int64_t deadline = it_now_ms() + timeout_ms;
    do {
        file_load(on_err ? bg->err_path : bg->out_path, buf, sizeof(buf));
        if (strstr(buf, needle))
            return true;
        sleep_ms(5);
    } while (it_now_ms() < deadline);
    return false;
}

void ct_bg_finish(struct ct_bg *bg, struct ct_res *res, bool kill_first, int timeout_ms)
{
    if (bg->pid) {
        if (kill_first)
            kill(bg->pid, SIGTERM);
        res->status = wait_pid(bg->pid, timeout_ms);
        if (res->status < 0) {
            kill(bg->pid, SIGKILL);
            waitpid(bg->pid, NULL, 0);
        }
        bg->pid = 0;
    }
    res->out_len = file_load(bg->out_path, res->out, sizeof(res->out));
    file_load(bg->err_path, res->err, sizeof(res->err));
}

const char *ct_cli_bin(void)
{
    return g_cli;
}

void ct_bg_peek(struct ct_bg *bg, struct ct_res *res)
{
    res->status = 0;
    res->out_len = file_load(bg->out_path, res->out, sizeof(res->out));
    file_load(bg->err_path, res->err, sizeof(res->err));
}

const char *ct_line_with(const char *s, const char *needle)
{
    static char line[4096];
    const char *p = strstr(s, needle);
    if (!p)
        return NULL;
    const char *b = p;
    while (b > s && b[-1] != '\n')
        b--;
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - b) : strlen(b);
    if (n >= sizeof(line))
        n = sizeof(line) - 1;
    memcpy(line, b, n);
    line[n] = '\0';
    return line;
}

const char *ct_file_write(const char *name, const void *data, size_t len)
{
    static char paths[8][300];
    static int slot;
    files_init();
    char *p = paths[slot++ % 8];
    snprintf(p, 300, "%s/%s", g_files, name);
    FILE *f = fopen(p, "wb");
    IT_ASSERT(f, "cannot write %s", p);
    fwrite(data, 1, len, f);
    fclose(f);
    return p;
}

static const struct it_case g_cases[] = {
#define CT_CASE(name)        {#name, ct_case_##name},
#define CT_CASE_GANNET(name) {#name, ct_case_##name},
#include "ct_cases.def"
#undef CT_CASE
#undef CT_CASE_GANNET
};

int main(int argc, char **argv)
{
    g_cli = getenv("GANNET_CLI_BIN");
    if (argc > 1 && strcmp(argv[1], "--list") != 0 && (!g_cli || access(g_cli, X_OK) != 0)) {
        fprintf(stderr, "SKIP: GANNET_CLI_BIN is not set or not executable\n");
        return IT_EXIT_SKIP;
    }
    return it_main(argc, argv, g_cases, sizeof(g_cases) / sizeof(g_cases[0]));
}
