/* The HTTP monitoring port: nats-server's endpoints (/varz /connz /subsz
 * /jsz /healthz /accountz /accstatz /routez /gatewayz /leafz) with its JSON
 * shapes and query parameters, plus /metrics in the Prometheus text format
 * (the series prometheus-nats-exporter derives from those endpoints, and
 * latency histograms).
 *
 * libmicrohttpd serves it on one thread of its own, off the message path:
 * figures come from the server's and JetStream's snapshot APIs
 * (server/stats.h, jetstream/js_stats.h), which never make an I/O worker
 * wait, so a flood of monitoring requests slows only the monitor.
 */
#ifndef GN_MONITOR_H
#define GN_MONITOR_H

#include "conf/conf.h"
#include "jetstream/jetstream.h"
#include "server/server.h"
#include "util/err.h"

struct monitor;

/* Starts monitoring on <opts>->http_host (or host) : <opts>->http_port (-1
 * picks a free port) for server <s> and JetStream <js> (NULL when JetStream
 * is off). Call after srv_start. All three must outlive the monitor.
 * Returns the monitor, or NULL with <eb> filled (port in use, bad host). */
struct monitor *mon_start(struct server *s, struct jetstream *js, const struct conf_opts *opts,
                          struct errbuf *eb);
/* The bound HTTP port (useful with -m -1). */
int mon_port(const struct monitor *m);
/* Stops serving (waits for requests in progress) and frees <m>. Call before
 * js_free and srv_free. NULL is a no-op. */
void mon_stop(struct monitor *m);

#endif
