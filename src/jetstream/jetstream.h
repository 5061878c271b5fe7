/* JetStream: streams (and later consumers) inside the server, on the
 * nats-server JetStream API ($JS.API.*).
 *
 * JetStream lives above the server module: it subscribes internally to the
 * API subjects and to each stream's subjects, and answers by publishing on
 * the worker that received the request. Streams persist under
 * <store_dir>/jetstream/$G/streams/<name>/ (config in meta.inf, messages in
 * the store's own files). Acknowledged means durable: a PubAck for a file
 * stream goes out only after the store synced the message (group commit per
 * worker loop iteration), unless sync_interval says otherwise.
 */
#ifndef GN_JETSTREAM_H
#define GN_JETSTREAM_H

#include "conf/conf.h"
#include "server/server.h"
#include "util/err.h"

struct jetstream;

/* Creates JetStream for server <s> with options <o> (both borrowed, they
 * must outlive it): recovers the streams found under the store directory
 * and subscribes the API. Call after srv_new and before srv_start. Returns
 * NULL with <eb> filled on failure (unusable store directory, corrupt
 * stream metadata). */
struct jetstream *js_new(struct server *s, const struct conf_opts *o, struct errbuf *eb);
/* Closes every stream (syncing stores). Call after the server stopped. */
void js_free(struct jetstream *js);

#endif
