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
};

/* A waiting pull request. */
struct waitreq {
    char *reply;        /* where the messages go (heap) */
    int64_t batch;      /* messages still wanted */
    int64_t expires_at; /* monotonic ns, 0 = never */
    int64_t hb;         /* idle_heartbeat of the request, ns (0 = none) */
    int64_t last_sent;  /* monotonic ns of the last message or heartbeat */
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
    struct pend *pend; /* sorted by sseq */
    size_t npend, cappend;
    uint64_t *red; /* sequences queued for redelivery */
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
};

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

struct pend *pend_find(struct consumer *c, uint64_t sseq);
void pend_remove(struct consumer *c, uint64_t sseq);
void redeliver_add(struct consumer *c, uint64_t sseq);
void wait_remove(struct consumer *c, size_t i);
uint64_t consumer_num_pending(struct consumer *c);
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
/* Subscribes $JS.ACK.> (consumer_ack.c). */
int js__consumer_ack_subscribe(struct jetstream *js, struct srv_isub **out);

#endif
