/* The exporter's JetStream collector (-jsz=all with -prefix=nats): server,
 * account, stream and consumer series with its label sets, from the same
 * snapshot /jsz?consumers=true&config=true renders. On a single server the
 * meta-group labels are empty and every asset is its own leader, as the
 * exporter reports for a standalone nats-server. */
#include "jetstream/js_stats.h"
#include "monitor/mon_int.h"
#include "util/clock.h"

#include <stdio.h>
#include <string.h>

#define NSERVER_LABELS 6
#define NSTREAM_LABELS (NSERVER_LABELS + 7)
#define NCONS_LABELS   (NSTREAM_LABELS + 4)

struct js_labels {
    struct prom_label l[NCONS_LABELS];
};

static void server_labels(struct monitor *m, const struct js_stats *st, struct js_labels *jl)
{
    jl->l[0] = (struct prom_label){"server_id", srv_server_id(m->srv)};
    jl->l[1] = (struct prom_label){"server_name", srv_server_name(m->srv)};
    jl->l[2] = (struct prom_label){"cluster", ""};
    jl->l[3] = (struct prom_label){"domain", st && st->domain ? st->domain : ""};
    jl->l[4] = (struct prom_label){"meta_leader", ""};
    jl->l[5] = (struct prom_label){"is_meta_leader", "true"};
    jl->l[6] = (struct prom_label){"account", "$G"};
    jl->l[7] = (struct prom_label){"account_name", "$G"};
    jl->l[8] = (struct prom_label){"account_id", "$G"};
}

static void js_server(struct prom *p, const struct js_labels *jl, const struct js_stats *st)
{
    const struct prom_label *l = jl->l;
    prom_add_i64(p, "nats_server_jetstream_disabled", "JetStream disabled or not", "gauge", l,
                 NSERVER_LABELS, st ? 0 : 1);
    prom_add_i64(p, "nats_server_max_memory", "JetStream Max Memory", "gauge", l, NSERVER_LABELS,
                 st ? st->max_memory : 0);
    prom_add_i64(p, "nats_server_max_storage", "JetStream Max Storage", "gauge", l, NSERVER_LABELS,
                 st ? st->max_storage : 0);
    prom_add_u64(p, "nats_server_total_streams", "Total number of streams in JetStream", "gauge", l,
                 NSERVER_LABELS, st ? st->nstreams : 0);
    prom_add_u64(p, "nats_server_total_consumers", "Total number of consumers in JetStream",
                 "gauge", l, NSERVER_LABELS, st ? st->nconsumers : 0);
    prom_add_u64(p, "nats_server_total_messages", "Total number of stored messages in JetStream",
                 "gauge", l, NSERVER_LABELS, st ? st->messages : 0);
    prom_add_u64(p, "nats_server_total_message_bytes", "Total number of bytes stored in JetStream",
                 "gauge", l, NSERVER_LABELS, st ? st->bytes : 0);
}

static void js_account(struct prom *p, const struct js_labels *jl, const struct js_stats *st)
{
    const struct prom_label *l = jl->l;
    size_t n = NSERVER_LABELS + 3;
    prom_add_u64(p, "nats_account_max_storage", "JetStream Account Max Storage in bytes", "gauge",
                 l, n, UINT64_MAX);
    prom_add_u64(p, "nats_account_max_memory", "JetStream Account Max Memory in bytes", "gauge", l,
                 n, UINT64_MAX);
    prom_add_u64(p, "nats_account_storage_used", "Total number of bytes used by JetStream storage",
                 "gauge", l, n, st->storage);
    prom_add_u64(p, "nats_account_memory_used", "Total number of bytes used by JetStream memory",
                 "gauge", l, n, st->memory);
}

static void js_stream(struct prom *p, struct js_labels *jl, const struct js_stats_stream *s,
                      const char *leader)
{
    jl->l[9] = (struct prom_label){"stream_name", s->name};
    jl->l[10] = (struct prom_label){"stream_leader", leader};
    jl->l[11] = (struct prom_label){"is_stream_leader", "true"};
    jl->l[12] = (struct prom_label){"stream_raft_group", ""};
    const struct prom_label *l = jl->l;
    size_t n = NSTREAM_LABELS;
    prom_add_u64(p, "nats_stream_total_messages", "Total number of messages from a stream", "gauge",
                 l, n, s->messages);
    prom_add_u64(p, "nats_stream_total_bytes", "Total stored bytes from a stream", "gauge", l, n,
                 s->bytes);
    prom_add_u64(p, "nats_stream_first_seq", "First sequence from a stream", "gauge", l, n,
                 s->first_seq);
    prom_add_u64(p, "nats_stream_last_seq", "Last sequence from a stream", "gauge", l, n,
                 s->last_seq);
    prom_add_i64(p, "nats_stream_consumer_count", "Total number of consumers from a stream",
                 "gauge", l, n, s->consumer_count);
    prom_add_i64(p, "nats_stream_subject_count", "Total number of subjects in a stream", "gauge", l,
                 n, s->num_subjects);
    prom_add_i64(p, "nats_stream_limit_bytes",
                 "The maximum configured storage limit (in bytes) for a JetStream stream. A value "
                 "of -1 indicates no limit.",
                 "gauge", l, n, s->max_bytes);
    prom_add_i64(p, "nats_stream_limit_messages",
                 "The maximum number of messages allowed in a JetStream stream as per its "
                 "configuration. A value of -1 indicates no limit.",
                 "gauge", l, n, s->max_msgs);
}

static void js_consumer_ages(struct prom *p, const struct prom_label *l,
                             const struct js_stats_consumer *c, int64_t now)
{
    if (c->delivered_last)
        prom_add_f64(p, "nats_consumer_last_delivery_seconds",
                     "Seconds since last message delivery to consumer", "gauge", l, NCONS_LABELS,
                     (double)(now - c->delivered_last) / 1e9);
    if (c->ack_floor_last)
        prom_add_f64(p, "nats_consumer_last_ack_seconds", "Seconds since last ack from consumer",
                     "gauge", l, NCONS_LABELS, (double)(now - c->ack_floor_last) / 1e9);
}

static void js_consumer(struct prom *p, struct js_labels *jl, const struct js_stats_consumer *c,
                        int64_t now)
{
    jl->l[13] = (struct prom_label){"consumer_name", c->name};
    jl->l[14] = (struct prom_label){"consumer_leader", ""};
    jl->l[15] = (struct prom_label){"is_consumer_leader", "true"};
    jl->l[16] = (struct prom_label){"consumer_desc", c->description ? c->description : ""};
    const struct prom_label *l = jl->l;
    size_t n = NCONS_LABELS;
    js_consumer_ages(p, l, c, now);
    prom_add_u64(p, "nats_consumer_delivered_consumer_seq",
                 "Latest sequence number of a stream consumer", "gauge", l, n,
                 c->delivered_consumer_seq);
    prom_add_u64(p, "nats_consumer_delivered_stream_seq", "Latest sequence number of a stream",
                 "gauge", l, n, c->delivered_stream_seq);
    prom_add_i64(p, "nats_consumer_num_ack_pending", "Number of pending acks from a consumer",
                 "gauge", l, n, c->num_ack_pending);
    prom_add_i64(p, "nats_consumer_num_redelivered",
                 "Number of redelivered messages from a consumer", "gauge", l, n,
                 c->num_redelivered);
    prom_add_i64(p, "nats_consumer_num_waiting",
                 "Number of inflight fetch requests from a pull consumer", "gauge", l, n,
                 c->num_waiting);
    prom_add_u64(p, "nats_consumer_num_pending", "Number of pending messages from a consumer",
                 "gauge", l, n, c->num_pending);
    prom_add_u64(p, "nats_consumer_ack_floor_stream_seq",
                 "Number of ack floor stream seq from a consumer", "gauge", l, n,
                 c->ack_floor_stream_seq);
    prom_add_u64(p, "nats_consumer_ack_floor_consumer_seq",
                 "Number of ack floor consumer seq from a consumer", "gauge", l, n,
                 c->ack_floor_consumer_seq);
}

void mon_metrics_js(struct monitor *m, struct prom *p)
{
    struct js_labels jl;
    if (!m->js) {
        server_labels(m, NULL, &jl);
        js_server(p, &jl, NULL);
        return;
    }
    struct js_stats st;
    js_stats_get(m->js, JS_STATS_CONSUMERS, &st);
    server_labels(m, &st, &jl);
    js_server(p, &jl, &st);
    js_account(p, &jl, &st);
    int64_t now = clock_real_ns();
    for (size_t i = 0; i < st.n; i++) {
        js_stream(p, &jl, &st.streams[i], srv_server_name(m->srv));
        for (size_t k = 0; k < st.streams[i].nconsumers; k++)
            js_consumer(p, &jl, &st.streams[i].consumers[k], now);
    }
    js_stats_deinit(&st);
}
