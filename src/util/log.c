/* Logging sink in nats-server's line format. The sink (file, level, flags)
 * is one of the two mutable globals STYLE.md allows; a mutex serialises
 * writers and reopen. */
#include "util/log.h"

#include "util/xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static struct {
    pthread_mutex_t lock; /* guards fp and path */
    FILE *fp;             /* NULL = stderr */
    char *path;           /* log file path or NULL */
    volatile int level;   /* enum log_level; read without the lock */
    bool logtime;
    long pid;
} sink = {PTHREAD_MUTEX_INITIALIZER, NULL, NULL, LOG_NOTICE, true, 0};

static const char *const level_tags[] = {"[FTL]", "[ERR]", "[WRN]", "[INF]", "[DBG]", "[TRC]"};

int log_init(const char *path, enum log_level level, bool logtime)
{
    pthread_mutex_lock(&sink.lock);
    sink.level = level;
    sink.logtime = logtime;
    sink.pid = (long)getpid();
    FREE_AND_NULL(sink.path);
    if (sink.fp)
        fclose(sink.fp);
    sink.fp = NULL;
    int rc = 0;
    if (path && *path) {
        sink.path = xstrdup(path);
        sink.fp = fopen(path, "a");
        if (!sink.fp)
            rc = -errno;
    }
    pthread_mutex_unlock(&sink.lock);
    return rc;
}

int log_reopen(void)
{
    int rc = 0;
    pthread_mutex_lock(&sink.lock);
    if (sink.path) {
        FILE *fp = fopen(sink.path, "a");
        if (fp) {
            if (sink.fp)
                fclose(sink.fp);
            sink.fp = fp;
        } else {
            rc = -errno;
        }
    }
    pthread_mutex_unlock(&sink.lock);
    return rc;
}

void log_close(void)
{
    pthread_mutex_lock(&sink.lock);
    if (sink.fp)
        fclose(sink.fp);
    sink.fp = NULL;
    FREE_AND_NULL(sink.path);
    pthread_mutex_unlock(&sink.lock);
}

bool log_enabled(enum log_level level)
{
    return (int)level <= sink.level;
}

void log_write(enum log_level level, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    char line[2048];
    size_t n = 0;
    int w = snprintf(line, sizeof(line), "[%ld] ", sink.pid ? sink.pid : (long)getpid());
    n = w > 0 ? (size_t)w : 0;
    if (sink.logtime) {
        struct timeval tv;
        gettimeofday(&tv, NULL);
        struct tm tm;
        localtime_r(&tv.tv_sec, &tm);
        n += strftime(line + n, sizeof(line) - n, "%Y/%m/%d %H:%M:%S", &tm);
        w = snprintf(line + n, sizeof(line) - n, ".%06ld ", (long)tv.tv_usec);
        n += w > 0 ? (size_t)w : 0;
    }
    w = snprintf(line + n, sizeof(line) - n, "%s ", level_tags[level]);
    n += w > 0 ? (size_t)w : 0;
    va_list ap;
    va_start(ap, fmt);
    w = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    va_end(ap);
    n += w > 0 ? (size_t)w : 0;
    if (n >= sizeof(line) - 1)
        n = sizeof(line) - 2;
    line[n++] = '\n';
    pthread_mutex_lock(&sink.lock);
    FILE *fp = sink.fp ? sink.fp : stderr;
    fwrite(line, 1, n, fp);
    fflush(fp);
    pthread_mutex_unlock(&sink.lock);
}
