/* powercut_selftest: checks powercut_shim.so and the power-cut model on scripted file operations.
 *
 * The parent prepares a directory (files that count as durable), then re-runs itself with the
 * shim preloaded as the "child", which creates, writes, renames, unlinks and syncs files in the
 * patterns a store uses (append + fdatasync, tmp + fdatasync + rename, with and without an fsync
 * of the directory) and kills itself with SIGKILL. The parent applies the power cut and checks,
 * for each pattern, what survived. Usage: powercut_selftest <powercut_shim.so> [seed].
 */
#include "harness.h"
#include "powercut.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 20 /* power cuts, each with its own random tails */

static char g_dir[300]; /* the scope: files under test */

static void path_of(const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", g_dir, name);
}

/* Creates <name> holding <text> directly (no shim in the parent). */
static void file_put(const char *name, const char *text)
{
    char p[512];
    FILE *f;

    path_of(name, p, sizeof(p));
    f = fopen(p, "w");
    IT_ASSERT(f && fputs(text, f) >= 0 && fclose(f) == 0, "write %s: %s", p, strerror(errno));
}

/* Returns the contents of <name> (at most <cap> - 1 bytes, NUL-terminated; the length into
 * <*len> when not NULL) or NULL if absent. */
static const char *file_get(const char *name, char *buf, size_t cap, size_t *len)
{
    char p[512];
    ssize_t n;
    int fd;

    path_of(name, p, sizeof(p));
    fd = open(p, O_RDONLY);
    if (fd < 0)
        return NULL;
    n = read(fd, buf, cap - 1);
    close(fd);
    IT_ASSERT(n >= 0, "read %s", p);
    buf[n] = '\0';
    if (len)
        *len = (size_t)n;
    return buf;
}

static bool is_dir(const char *name)
{
    char p[512];
    struct stat sb;

    path_of(name, p, sizeof(p));
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int xopen(const char *name, int flags)
{
    char p[512];
    int fd;

    path_of(name, p, sizeof(p));
    fd = open(p, flags | O_CLOEXEC, 0644);
    if (fd < 0)
        _exit(10);
    return fd;
}

static void xwrite(int fd, const char *s)
{
    if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
        _exit(11);
}

/* The scripted operations, run with the shim preloaded; ends with SIGKILL. */
static void child_run(void)
{
    int dfd = open(g_dir, O_RDONLY | O_DIRECTORY), fd;
    char a[512], b[512];
    FILE *f;

    /* append.dat: 100 bytes synced, then 50 more that are not. */
    fd = xopen("append.dat", O_WRONLY | O_CREAT | O_EXCL);
    xwrite(fd, "0123456789012345678901234567890123456789012345678901234567890123456789"
               "012345678901234567890123456789");
    fdatasync(fd);
    xwrite(fd, "ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJ");
    close(fd);
    /* Everything up to the directory fsync below is durable: state.dat replaced by tmp +
     * fdatasync + rename, gone.dat unlinked, sub/ created. */
    fd = xopen("state.tmp", O_WRONLY | O_CREAT | O_TRUNC);
    xwrite(fd, "state-new");
    fdatasync(fd);
    close(fd);
    path_of("state.tmp", a, sizeof(a));
    path_of("state.dat", b, sizeof(b));
    rename(a, b);
    /* gone.dat: unlinked before the directory fsync (durable). */
    path_of("gone.dat", a, sizeof(a));
    unlink(a);
    path_of("sub", a, sizeof(a));
    mkdir(a, 0755);
    fsync(dfd);
    /* Nothing after it is: meta.dat replaced the same way, back.dat unlinked, sub2/ created
     * (with a synced file inside), stdio.dat created and synced through stdio. */
    fd = xopen("meta.tmp", O_WRONLY | O_CREAT | O_TRUNC);
    xwrite(fd, "meta-new");
    fdatasync(fd);
    close(fd);
    path_of("meta.tmp", a, sizeof(a));
    path_of("meta.dat", b, sizeof(b));
    rename(a, b);
    path_of("back.dat", a, sizeof(a));
    unlinkat(AT_FDCWD, a, 0);
    path_of("sub2", a, sizeof(a));
    mkdir(a, 0755);
    fd = xopen("sub2/x.dat", O_WRONLY | O_CREAT);
    xwrite(fd, "x");
    fsync(fd);
    close(fd);
    path_of("stdio.dat", a, sizeof(a));
    f = fopen(a, "w");
    if (!f || fputs("stdio", f) < 0 || fflush(f) != 0 || fdatasync(fileno(f)) != 0)
        _exit(12);
    fclose(f);
    /* keep.dat: shrunk by ftruncate, never synced: the model counts the cut at once. */
    fd = xopen("keep.dat", O_RDWR);
    if (ftruncate(fd, 4) != 0)
        _exit(13);
    close(fd);
    close(dfd);
    raise(SIGKILL);
}

/* Checks one round's outcome. */
static void round_check(const struct pc_stats *st)
{
    char buf[256];
    const char *s;
    size_t n = 0;

    s = file_get("append.dat", buf, sizeof(buf), &n);
    IT_ASSERT(s && n >= 100 && n <= 150 &&
                  strncmp(s, "0123456789012345678901234567890123456789", 40) == 0,
              "append.dat: the synced 100 bytes must survive, at most 150 bytes (%zu)", n);
    IT_ASSERT((s = file_get("state.dat", buf, sizeof(buf), NULL)) && strcmp(s, "state-new") == 0,
              "state.dat: a durable rename must keep the new content, got '%s'", s ? s : "(none)");
    IT_ASSERT(!file_get("state.tmp", buf, sizeof(buf), NULL), "state.tmp must be gone");
    IT_ASSERT((s = file_get("meta.dat", buf, sizeof(buf), NULL)) && strcmp(s, "meta-old") == 0,
              "meta.dat: a rename without a directory fsync must roll back, got '%s'",
              s ? s : "(none)");
    IT_ASSERT(!file_get("meta.tmp", buf, sizeof(buf), NULL),
              "meta.tmp: its create was not durable");
    IT_ASSERT(!file_get("gone.dat", buf, sizeof(buf), NULL), "gone.dat: a durable unlink");
    IT_ASSERT((s = file_get("back.dat", buf, sizeof(buf), NULL)) && strcmp(s, "back") == 0,
              "back.dat: an unlink without a directory fsync must be undone");
    IT_ASSERT(is_dir("sub"), "sub: its mkdir was durable");
    IT_ASSERT(!is_dir("sub2"), "sub2: its mkdir was not durable");
    IT_ASSERT(!file_get("stdio.dat", buf, sizeof(buf), NULL),
              "stdio.dat: its name was not durable");
    IT_ASSERT((s = file_get("keep.dat", buf, sizeof(buf), NULL)) && strcmp(s, "keep") == 0,
              "keep.dat: shrunk to 4 bytes, got '%s'", s ? s : "(none)");
    IT_ASSERT(st->undone[0] == 3 && st->undone[1] == 1 && st->undone[2] == 1 && st->undone[3] == 1,
              "undone: %zu creates %zu mkdirs %zu renames %zu unlinks (expected 3 1 1 1)",
              st->undone[0], st->undone[1], st->undone[2], st->undone[3]);
    IT_ASSERT(st->files_cut == 1 && st->bytes_cut == 50 && st->unknown == 0,
              "cut %zu files by %llu bytes, %zu unknown (expected 1, 50, 0)", st->files_cut,
              (unsigned long long)st->bytes_cut, st->unknown);
}

static void one_round(const char *self, const char *shim, uint64_t *rng, const char *log,
                      const char *keep)
{
    struct pc_baseline base = {0};
    struct pc_stats st;
    pid_t pid;
    int status;

    pc_tree_remove(g_dir);
    IT_ASSERT(mkdir(g_dir, 0755) == 0, "mkdir %s: %s", g_dir, strerror(errno));
    file_put("meta.dat", "meta-old");
    file_put("gone.dat", "gone");
    file_put("back.dat", "back");
    file_put("keep.dat", "keep-longer");
    pc_reset(g_dir, log, keep, &base);
    pid = fork();
    IT_ASSERT(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        const char *pre = getenv("GANNET_POWERCUT_PRELOAD");
        char preload[1024];

        snprintf(preload, sizeof(preload), "%s%s%s", pre && *pre ? pre : "", pre && *pre ? ":" : "",
                 shim);
        setenv("LD_PRELOAD", preload, 1);
        execl(self, self, "--child", g_dir, (char *)NULL);
        _exit(127);
    }
    IT_ASSERT(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
              "child did not end by SIGKILL (status 0x%x)", status);
    pc_apply(g_dir, log, keep, &base, rng, getenv("GANNET_POWERCUT_VERBOSE") != NULL, &st);
    round_check(&st);
    pc_baseline_free(&base);
}

int main(int argc, char **argv)
{
    char base_dir[256], log[300], keep[300];
    unsigned seed;
    uint64_t rng;

    if (argc == 3 && strcmp(argv[1], "--child") == 0) {
        snprintf(g_dir, sizeof(g_dir), "%s", argv[2]);
        child_run();
        return 1;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: %s <powercut_shim.so> [seed]\n", argv[0]);
        return 2;
    }
    seed = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : (unsigned)time(NULL);
    rng = 0x9e3779b97f4a7c15ULL ^ seed;
    alarm(50);
    it_tmpdir_make(base_dir, sizeof(base_dir));
    snprintf(g_dir, sizeof(g_dir), "%s/scope", base_dir);
    snprintf(log, sizeof(log), "%s/powercut.log", base_dir);
    snprintf(keep, sizeof(keep), "%s/keep", base_dir);
    IT_ASSERT(mkdir(keep, 0755) == 0, "mkdir %s: %s", keep, strerror(errno));
    setenv("GANNET_POWERCUT_LOG", log, 1);
    setenv("GANNET_POWERCUT_DIR", g_dir, 1);
    setenv("GANNET_POWERCUT_KEEP", keep, 1);
    for (int i = 0; i < ROUNDS; i++)
        one_round(argv[0], argv[1], &rng, log, keep);
    it_ok("%d power cuts of the scripted operations: durable ones kept, the others undone (seed "
          "%u)",
          ROUNDS, seed);
    it_cleanup_all();
    printf("PASS powercut_selftest\n");
    return 0;
}
