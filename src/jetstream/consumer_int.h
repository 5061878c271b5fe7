/* Consumer internals shared by consumer.c (delivery), consumer_ack.c (acks,
 * timers) and consumer_api.c ($JS.API.CONSUMER.* handlers). All consumer
 * state is guarded by the owning stream's lock (st->lock). */
#ifndef GN_JETSTREAM_CONSUMER_INT_H
#define GN_JETSTREAM_CONSUMER_INT_H

#include "jetstream/js_int.h"

/* A delivered, unacknowledged message. */
struct pend {
    uint64_t sseq;    /* stream sequence */
    uint64_t cseq;    /* consumer sequence of the last delivery */
    uint64_t dc;      /* deliveries so far */
    int64_t deadline; /* monotonic ns: redeliver after this */
    int64_t sent;     /* monotonic ns of the last delivery (ack sampling) */
    bool queued;      /* on the redelivery queue */
};

/* A waiting pull request. */
struct waitreq {
    char *reply;        /* where the messages go (heap) */
    int64_t batch;      /* messages still wanted */
    bool batch_zero;    /* asked for batch <= 0 (served as 1) */
    int64_t expires_at; /* monotonic ns, 0 = never */
    int64_t hb;         /* idle_heartbeat of the request, ns (0 = none) */
    int64_t last_sent;  /* monotonic ns of the last message or heartbeat */
    int64_t max_bytes;  /* bytes the request may still take, 0 = no limit */
};

/* Push flow control (nats-server's window: starts at 1/16 of the limit,
 * a request goes out past half of it, delivery stalls past all of it, and
 * each answered request doubles it up to the limit). */
struct flowctl {
    int64_t pbytes; /* bytes delivered and not yet covered by an answer */
    int64_t maxpb;  /* current window */
    int64_t fcsz;   /* bytes the outstanding request covers */
    char fcid[64];  /* reply subject of the outstanding request, "" = none */
};

struct consumer {
    struct stream *st;
    char *name;
    struct js_consumer_config cfg;
    int64_t created; /* wall ns */
    bool push;       /* deliver_subject set */
    bool deleted;
    uint64_t next_sseq;   /* next stream sequence to look at */
    uint64_t dseq, dsseq; /* last delivery: consumer and stream sequence */
    uint64_t ack_floor_cseq, ack_floor_sseq;
    struct pend *pend; /* sorted by sseq; a view into pend_mem (consumer_pend.c) */
    struct pend *pend_mem;
    size_t npend, cappend;
    uint64_t *red; /* sequences queued for redelivery (FIFO), a view into red_mem */
    uint64_t *red_mem;
    size_t nred, capred;
    uint64_t *init; /* last-per-subject start list */
    size_t iinit, ninit;
    struct waitreq *wait; /* FIFO of pull requests */
    size_t nwait, capwait;
    int64_t num_redelivered;
    int64_t last_delivered_real, last_ack_real;
    int64_t last_active_mono; /* for inactive_threshold */
    int64_t last_send_mono;   /* last delivery or heartbeat (idle_heartbeat) */
    bool dirty;               /* state changed since it was last saved */
    int64_t next_due;         /* monotonic ns: the timer has work for it then */
    bool pump_more;           /* a pump stopped at its slice: the timer goes on at once */
    struct flowctl fc;        /* push consumers with flow_control */
    int64_t hold_until;       /* monotonic ns: rate limit / replay pause */
    int64_t replay_lts;       /* replay original: timestamp of the last delivery */
    uint64_t replay_lseq;     /* replay original: paced up to this sequence */
    int sample_pct;           /* sample_freq as a percentage, 0 = off */
    uint64_t rng;             /* xorshift state (ack sampling, flow control ids) */
    char *dsub;       /* deliver subject counted in js->npush and js->dsubs (heap), or NULL */
    double rl_tokens; /* rate limit: bytes that may go now (token bucket) */
    double rl_burst;  /* bucket size: the largest message the stream takes */
    int64_t rl_last;  /* monotonic ns of the last refill */
};

/* Where a loaded message came from, so that it can be put back. */
enum msg_src { SRC_REDELIVER, SRC_INIT, SRC_NEW };

/* Messages to publish once the stream lock is released. */
struct cmsg {
    struct buf b; /* route, subject, reply, headers, data back to back */
    size_t tlen, slen, rlen, hlen, dlen;
    bool dbl; /* empty reply field framing */
};
struct cq {
    struct cmsg *v;
    size_t n, cap;
};

void cq_push(struct cq *q, const char *subj, size_t slen, const char *reply, size_t rlen,
             const char *hdr, size_t hlen, const char *data, size_t dlen, bool dbl);
/* A stored message routed to <to> but shown under its stream subject. */
void cq_push_msg(struct cq *q, const char *to, size_t tolen, const char *subj, size_t slen,
                 const char *reply, size_t rlen, const char *hdr, size_t hlen, const char *data,
                 size_t dlen);
void cq_flush(struct cq *q, struct worker *w);
/* Drops what <q> holds unsent; <q> is left empty. */
void cq_discard(struct cq *q);
/* st->lock held: appends <q>'s messages (q is left empty) to the stream's
 * output queue, which goes out in order (cq_drain). */
void cq_queue(struct stream *st, struct cq *q);
/* st->lock NOT held: sends the stream's output queue unless another thread
 * is doing so (it then sends what was queued too). */
void cq_drain(struct stream *st, struct worker *w);
/* st->lock held, released on return: cq_queue, then cq_drain. */
void cq_deliver(struct stream *st, struct cq *q, struct worker *w);
/* Pumps, on <w>, every consumer for which <match>(c, arg) holds: js->lock
 * only to find their streams, then each stream's lock while it pumps and
 * queues, delivering in order (cq_deliver). */
void consumers_pump_where(struct jetstream *js, struct worker *w,
                          bool (*match)(const struct consumer *c, const void *arg),
                          const void *arg);

/* Pending acks and the redelivery queue (consumer_pend.c). */
struct pend *pend_find(struct consumer *c, uint64_t sseq);
/* Inserts <e> (its sseq not pending yet) in order; O(1) at the back. */
void pend_insert(struct consumer *c, const struct pend *e);
void pend_remove(struct consumer *c, uint64_t sseq);
/* Queues pending <sseq> for redelivery unless it is queued already. */
void redeliver_add(struct consumer *c, uint64_t sseq);
/* Takes the front of the queue (nred > 0). */
uint64_t redeliver_pop(struct consumer *c);
/* Puts pending <sseq> back at the front (a delivery that did not happen). */
void redeliver_push_front(struct consumer *c, uint64_t sseq);
/* Drops queued sequences below <first> (purge). */
void redeliver_drop_below(struct consumer *c, uint64_t first);
void pend_free_all(struct consumer *c);
void wait_remove(struct consumer *c, size_t i);
/* Ends pull request <i>: tells its requester (408 Request Timeout / 409
 * Message Size Exceeds MaxBytes, with what it still wanted) and drops it. */
void wait_end(struct consumer *c, struct cq *q, size_t i, enum js_status why);
/* Queues a pull request for <reply> (copied). */
void wait_add(struct consumer *c, const char *reply, size_t rlen, const struct js_pull_req *pr,
              int64_t now);
/* Lowers c->next_due to <t>, waking the consumer timer earlier if needed. */
static inline void consumer_due(struct consumer *c, int64_t t)
{
    if (t < c->next_due) {
        c->next_due = t;
        js__consumer_wake(c->st->js, t);
    }
}
uint64_t consumer_num_pending(struct consumer *c);
/* A push consumer has someone to deliver to: a subscription matching its
 * deliver subject, or with a deliver_group a queue subscription of that
 * group (nats-server: plain subscribers alone do not start delivery). */
bool consumer_push_active(const struct consumer *c);
void consumer_pump(struct consumer *c, struct cq *q);
void consumer_update_floor(struct consumer *c);
void consumer_retire_msg(struct consumer *c, uint64_t seq);
struct consumer *consumer_find(struct stream *st, const char *name, size_t len);
void consumer_free(struct consumer *c);
/* Fills <ci> (borrowing from <c>). st->lock held. */
void consumer_info(struct consumer *c, struct js_consumer_info *ci);
/* Deletes <c>: removed from its stream, waiting pulls told 409 (queued on
 * <q>). st->lock held. */
void consumer_delete(struct consumer *c, struct cq *q);
/* Persistence (consumer_store.c; durable consumers of file streams). */
int consumer_save_meta(struct consumer *c);
void consumer_save_state(struct consumer *c);
void consumer_remove_files(struct consumer *c);
/* Initial position from the deliver policy (consumer_api.c). st->lock held. */
void consumer_start_position(struct consumer *c);
/* Flow control, rate limit, replay pacing, ack sampling
 * (consumer_flow.c). st->lock held. */
void consumer_flow_init(struct consumer *c);
/* A consumer going away: out of js->npush and the deliver subjects. */
void consumer_flow_fini(struct consumer *c);
/* False while delivery must wait (flow control window full, rate limit or
 * replay pause). */
bool consumer_flow_open(struct consumer *c, int64_t now);
/* Accounts one delivery of <sz> bytes (subject, reply, headers, data);
 * may queue a flow control request on <q>. <ts> is the message's time.
 * Rate limiting (push, rate_limit_bps) is a token bucket as in nats-server:
 * a burst of one maximum-size message, then the configured rate, each
 * message counting its deliver subject too. */
void consumer_flow_sent(struct consumer *c, struct cq *q, int64_t sz, int64_t ts, int64_t now);
/* True when replay pacing holds a message of time <ts> back; sets
 * hold_until. */
bool consumer_replay_hold(struct consumer *c, uint64_t seq, int64_t ts, int64_t now);
/* A flow control answer on <subj>. */
void consumer_flow_answer(struct consumer *c, const char *subj, size_t len);
/* Queues a $JS.EVENT.METRIC.CONSUMER.ACK sample for an ack of <p>. */
void consumer_ack_sample(struct consumer *c, struct cq *q, const struct pend *p, int64_t now);
/* Starts push consumers when their deliver subject gets a subscriber. */
void js__consumer_sub_hook(struct jetstream *js);
/* Subscribes $JS.FC.> (consumer_flow.c). */
int js__consumer_fc_subscribe(struct jetstream *js, struct srv_isub **out);
/* Subscribes $JS.ACK.> (consumer_ack.c). */
int js__consumer_ack_subscribe(struct jetstream *js, struct srv_isub **out);

#endif
