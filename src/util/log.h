/* Logging in nats-server's format: `[pid] 2006/01/02 15:04:05.000000 [INF] msg`.
 * The sink is one of the two allowed mutable globals (with signal flags);
 * it is set once at start-up and reopened on SIGUSR1. Thread-safe. */
#ifndef GN_UTIL_LOG_H
#define GN_UTIL_LOG_H

#include <stdbool.h>

enum log_level {
    LOG_FATAL = 0,
    LOG_ERROR = 1,
    LOG_WARN = 2,
    LOG_NOTICE = 3, /* [INF] */
    LOG_DEBUG = 4,  /* [DBG], enabled with -D */
    LOG_TRACE = 5,  /* [TRC], enabled with -V */
};

/* Opens <path> for appending (NULL or "" = stderr), sets the level and
 * whether lines carry a timestamp. Returns 0 or -errno. */
int log_init(const char *path, enum log_level level, bool logtime);
/* Reopens the log file (after rotation). Returns 0 or -errno. */
int log_reopen(void);
void log_close(void);
bool log_enabled(enum log_level level);
void log_write(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_fatal(...)  log_write(LOG_FATAL, __VA_ARGS__)
#define log_error(...)  log_write(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)   log_write(LOG_WARN, __VA_ARGS__)
#define log_notice(...) log_write(LOG_NOTICE, __VA_ARGS__)
#define log_debug(...)                                                                             \
    do {                                                                                           \
        if (log_enabled(LOG_DEBUG))                                                                \
            log_write(LOG_DEBUG, __VA_ARGS__);                                                     \
    } while (0)
#define log_trace(...)                                                                             \
    do {                                                                                           \
        if (log_enabled(LOG_TRACE))                                                                \
            log_write(LOG_TRACE, __VA_ARGS__);                                                     \
    } while (0)

#endif
