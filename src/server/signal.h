/* `gannet-server --signal <cmd>[=<pid|pidfile>]`: sends a signal to a
 * running server as nats-server's -sl does. Part of the server module's
 * public API (a second header because main needs only this). */
#ifndef GN_SERVER_SIGNAL_H
#define GN_SERVER_SIGNAL_H

#include "util/err.h"

/* Parses <cmd> ("ldm", "stop", "quit", "term", "reopen", "reload", each
 * optionally followed by "=<pid>" or "=<pid file>") and signals the target:
 * that pid, else the pid in <pid_file> (may be NULL), else every other
 * process named gannet-server. Returns 0 or an error with <eb> filled. */
int srv_send_signal(const char *cmd, const char *pid_file, struct errbuf *eb);

#endif
