/* --signal: map nats-server's command names to signals and find the
 * target process (explicit pid, pid file, or a /proc scan by name). */
#include "server/signal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int sig_of(const char *name, size_t n)
{
    static const struct {
        const char *name;
        int sig;
    } tab[] = {{"ldm", SIGUSR2},  {"stop", SIGKILL},   {"quit", SIGINT},
               {"term", SIGTERM}, {"reopen", SIGUSR1}, {"reload", SIGHUP}};
    for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
        if (strlen(tab[i].name) == n && strncmp(tab[i].name, name, n) == 0)
            return tab[i].sig;
    return 0;
}

static long read_pid_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long pid = -1;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = -1;
    fclose(f);
    return pid;
}

static bool is_number(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* Signals every process whose comm is gannet-server, except ourselves. */
static int signal_by_name(int sig, struct errbuf *eb)
{
    DIR *d = opendir("/proc");
    if (!d)
        return errbuf_set(eb, -errno, "cannot scan /proc: %s", strerror(errno));
    int found = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!is_number(de->d_name) || atol(de->d_name) == (long)getpid())
            continue;
        char path[300], comm[64] = "";
        snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        if (fgets(comm, sizeof(comm), f))
            comm[strcspn(comm, "\n")] = '\0';
        fclose(f);
        if (strcmp(comm, "gannet-server") == 0 && kill((pid_t)atol(de->d_name), sig) == 0)
            found++;
    }
    closedir(d);
    if (!found)
        return errbuf_set(eb, ERR_NOTFOUND, "no gannet-server process found");
    return 0;
}

int srv_send_signal(const char *cmd, const char *pid_file, struct errbuf *eb)
{
    const char *eq = strchr(cmd, '=');
    size_t n = eq ? (size_t)(eq - cmd) : strlen(cmd);
    int sig = sig_of(cmd, n);
    if (!sig)
        return errbuf_set(eb, ERR_INVAL, "unknown signal \"%.*s\"", (int)n, cmd);
    long pid = -1;
    if (eq) {
        pid = is_number(eq + 1) ? atol(eq + 1) : read_pid_file(eq + 1);
        if (pid <= 0)
            return errbuf_set(eb, ERR_INVAL, "cannot resolve pid from \"%s\"", eq + 1);
    } else if (pid_file) {
        pid = read_pid_file(pid_file);
    }
    if (pid <= 0)
        return signal_by_name(sig, eb);
    if (kill((pid_t)pid, sig) != 0)
        return errbuf_set(eb, -errno, "cannot signal pid %ld: %s", pid, strerror(errno));
    return 0;
}
