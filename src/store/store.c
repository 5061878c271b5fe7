/* Store core: the stream semantics shared by both backends.
 *
 * Everything nats-server defines about a stream's message set (sequence
 * numbering, limits and discard policies, purge variants, expiry, state) is
 * implemented once here on top of the two in-memory indexes; the memory and
 * file backends only keep bytes (struct store__ops). Limit and purge rules
 * were checked against nats-server 2.9.10's file store (docs/FILESTORE.md).
 */
#include "store/store.h"

#include "store/store_int.h"
#include "subject/subject.h"
#include "util/xalloc.h"

#include <string.h>

uint64_t store_msg_size(enum store_kind kind, size_t subj_len, size_t hdr_len, size_t data_len)
{
    uint64_t n = (uint64_t)subj_len + hdr_len + data_len;
    if (kind == STORE_MEMORY)
        return n + 16;
    return n + 30 + (hdr_len > 0 ? 4 : 0);
}

uint64_t store__ent_size(const struct store *s, const struct store__ent *e)
{
    uint32_t len = e->len & STORE__ENT_LEN_MASK;
    if (s->kind == STORE_MEMORY)
        return (uint64_t)len + 16;
    return (uint64_t)len + 30 + ((e->len & STORE__ENT_HDR) ? 4 : 0);
}

bool store__filter_is_all(const char *filter, size_t len)
{
    return filter == NULL || len == 0 || (len == 1 && filter[0] == '>');
}

void store__fault_set(struct store *s, store__fault_cb cb, void *arg)
{
    s->fault = cb;
    s->fault_arg = arg;
}

/* ---- index maintenance ---- */

struct store__ent *store__index_add(struct store *s, uint64_t seq, int64_t ts, uint32_t id,
                                    uint32_t len, uint64_t loc, bool prev_linked)
{
    struct store__subj *sj = store__psi_get(&s->psi, id);
    struct store__ent *e = store__seqidx_add(&s->idx, seq);
    e->loc = loc;
    e->ts = ts;
    e->subj = id;
    e->len = len;
    if (sj->msgs > 0) {
        ASSERT(sj->last < seq);
        e->sprev = sj->last;
        if (!prev_linked) {
            struct store__ent *p = store__seqidx_get(&s->idx, sj->last);
            p->snext = seq;
            e = store__seqidx_get(&s->idx, seq);
        }
    } else {
        sj->first = seq;
    }
    sj->last = seq;
    sj->msgs++;
    if (s->msgs == 0 || seq < s->first_seq)
        s->first_seq = seq;
    s->msgs++;
    s->bytes += store__ent_size(s, e);
    if (seq > s->last_seq) {
        s->last_seq = seq;
        s->last_ts = ts;
    }
    return e;
}

void store__remove_seq(struct store *s, uint64_t seq, bool notify)
{
    struct store__ent *e = store__seqidx_get(&s->idx, seq);
    ASSERT(e != NULL);
    struct store__ent old = *e;
    struct store__subj *sj = store__psi_get(&s->psi, old.subj);
    if (old.sprev)
        store__seqidx_get(&s->idx, old.sprev)->snext = old.snext;
    else
        sj->first = old.snext;
    if (old.snext)
        store__seqidx_get(&s->idx, old.snext)->sprev = old.sprev;
    else
        sj->last = old.sprev;
    if (--sj->msgs == 0)
        store__psi_del(&s->psi, old.subj);
    store__seqidx_del(&s->idx, seq);
    s->msgs--;
    s->bytes -= store__ent_size(s, &old);
    if (seq == s->first_seq) {
        uint64_t next;
        if (s->msgs > 0 && store__seqidx_next(&s->idx, seq + 1, &next))
            s->first_seq = next;
        else
            s->first_seq = s->last_seq + 1;
    }
    s->ops->removed(s, seq, &old);
    if (notify && s->rm_cb)
        s->rm_cb(s->rm_arg, seq);
}

static void enforce_subject(struct store *s, uint32_t id)
{
    struct store__subj *sj;
    while ((sj = store__psi_get(&s->psi, id)) != NULL &&
           sj->msgs > (uint64_t)s->lim.max_msgs_per_subject)
        store__remove_seq(s, sj->first, true);
}

void store__enforce(struct store *s, uint32_t id)
{
    const struct store_limits *l = &s->lim;
    if (l->max_msgs_per_subject > 0 && id != 0)
        enforce_subject(s, id);
    /* nats-server enforces these two after every store whatever the
     * discard policy (with DISCARD_NEW the pre-check keeps max_msgs, but
     * max_bytes can still be overshot by one message and is trimmed). */
    if (l->max_msgs > 0)
        while (s->msgs > (uint64_t)l->max_msgs)
            store__remove_seq(s, s->first_seq, true);
    if (l->max_bytes > 0)
        while (s->msgs > 0 && s->bytes > (uint64_t)l->max_bytes)
            store__remove_seq(s, s->first_seq, true);
}

/* Every subject's limit first, then the global ones: the order appends
 * follow, so that re-enforcing after a crash reaches the same state. */
static void enforce_all(struct store *s)
{
    if (s->lim.max_msgs_per_subject > 0) {
        /* Removing a subject's oldest never frees the subject here (it
         * keeps max_msgs_per_subject >= 1 messages), so ids stay stable. */
        for (uint32_t id = 1; id < s->psi.nid; id++)
            if (store__psi_get(&s->psi, id) != NULL)
                enforce_subject(s, id);
    }
    store__enforce(s, 0);
}

/* ---- lifecycle ---- */

int store_open(const struct store_config *cfg, struct store **out, struct errbuf *eb)
{
    *out = NULL;
    if (cfg->kind != STORE_FILE && cfg->kind != STORE_MEMORY)
        return errbuf_set(eb, ERR_INVAL, "store: unknown storage kind %d", (int)cfg->kind);
    if (cfg->kind == STORE_FILE && (cfg->dir == NULL || cfg->dir[0] == '\0'))
        return errbuf_set(eb, ERR_INVAL, "store: file storage needs a directory");
    if (cfg->block_size > ((size_t)1 << 30))
        return errbuf_set(eb, ERR_INVAL, "store: block_size above 1 GiB");
    if (cfg->first_seq >= STORE__MAX_SEQ)
        return errbuf_set(eb, ERR_INVAL, "store: first_seq too large");
    struct store *s = xcalloc(1, sizeof(*s));
    s->kind = cfg->kind;
    s->lim = cfg->limits;
    s->first_seq = cfg->first_seq ? cfg->first_seq : 1;
    s->last_seq = s->first_seq - 1;
    store__seqidx_init(&s->idx);
    store__psi_init(&s->psi);
    int rc = cfg->kind == STORE_MEMORY ? store__mem_open(s, cfg, eb) : store__file_open(s, cfg, eb);
    if (rc != 0) {
        store__seqidx_deinit(&s->idx);
        store__psi_deinit(&s->psi);
        free(s);
        return rc;
    }
    enforce_all(s);
    rc = s->ops->op_end(s, false);
    if (rc != 0) {
        store_close(s);
        return errbuf_set(eb, rc, "store: %s", err_str(rc));
    }
    *out = s;
    return 0;
}

static void close_common(struct store *s, enum store__close how)
{
    if (s == NULL)
        return;
    s->ops->close(s, how);
    store__seqidx_deinit(&s->idx);
    store__psi_deinit(&s->psi);
    free(s);
}

void store_close(struct store *s)
{
    close_common(s, STORE__CLOSE_CLEAN);
}

void store_destroy(struct store *s)
{
    close_common(s, STORE__CLOSE_DESTROY);
}

void store__abandon(struct store *s)
{
    close_common(s, STORE__CLOSE_CRASH);
}

void store_set_remove_cb(struct store *s, store_remove_cb cb, void *arg)
{
    s->rm_cb = cb;
    s->rm_arg = arg;
}

void store_set_limits(struct store *s, const struct store_limits *lim)
{
    s->lim = *lim;
    enforce_all(s);
    (void)s->ops->op_end(s, false);
}

/* ---- writes ---- */

int store_append(struct store *s, const char *subj, size_t subj_len, const char *hdr,
                 size_t hdr_len, const char *data, size_t data_len, int64_t ts, uint64_t *seq)
{
    const struct store_limits *l = &s->lim;
    if (subj_len == 0 || subj_len > UINT16_MAX)
        return ERR_INVAL;
    if ((uint64_t)subj_len + hdr_len + data_len > STORE__MAX_LEN)
        return ERR_INVAL;
    if (l->max_msg_size > 0 && (uint64_t)hdr_len + data_len > (uint64_t)l->max_msg_size)
        return ERR_INVAL;
    uint32_t id = store__psi_find(&s->psi, subj, subj_len);
    if (l->discard == STORE_DISCARD_NEW) {
        /* nats-server: a message that will push out its subject's oldest
         * does not grow the count, so max_msgs does not refuse it. */
        bool at_subj_limit = l->max_msgs_per_subject > 0 && id != 0 &&
                             store__psi_get(&s->psi, id)->msgs >= (uint64_t)l->max_msgs_per_subject;
        if (at_subj_limit && l->discard_new_per_subject)
            return ERR_LIMIT;
        if (l->max_msgs > 0 && s->msgs >= (uint64_t)l->max_msgs && !at_subj_limit)
            return ERR_LIMIT;
        if (l->max_bytes > 0 && s->bytes + hdr_len + data_len >= (uint64_t)l->max_bytes)
            return ERR_LIMIT;
    }
    uint64_t nseq = s->last_seq + 1;
    uint64_t loc = 0;
    if (nseq >= STORE__MAX_SEQ)
        return ERR_LIMIT;
    if (hdr_len == 0)
        hdr = NULL;
    int rc = s->ops->write(s, nseq, ts, subj, subj_len, hdr, hdr_len, data, data_len, &loc);
    if (rc != 0)
        return rc;
    uint32_t len = (uint32_t)(subj_len + hdr_len + data_len) | (hdr_len ? STORE__ENT_HDR : 0);
    if (id == 0)
        id = store__psi_add(&s->psi, subj, subj_len);
    store__index_add(s, nseq, ts, id, len, loc, false);
    store__enforce(s, id);
    if (seq)
        *seq = nseq;
    /* Removals caused by limits are re-derived from the limits after a
     * crash, so their records may ride along with the next write. */
    (void)s->ops->op_end(s, true);
    return 0;
}

int store_flush(struct store *s)
{
    return s->ops->flush(s);
}

int store_sync(struct store *s)
{
    return s->ops->sync(s);
}

uint64_t store_synced_seq(const struct store *s)
{
    return s->ops->synced_seq(s);
}

int store_remove(struct store *s, uint64_t seq, bool erase)
{
    struct store__ent *e = store__seqidx_get(&s->idx, seq);
    if (e == NULL)
        return ERR_NOTFOUND;
    if (erase) {
        int rc = s->ops->erase(s, seq, e);
        if (rc != 0)
            return rc;
    }
    store__remove_seq(s, seq, false);
    return s->ops->op_end(s, false);
}

int64_t store_expire(struct store *s, int64_t now_ns)
{
    int64_t age = s->lim.max_age_ns;
    if (age <= 0)
        return 0;
    bool removed = false;
    while (s->msgs > 0) {
        if (store__seqidx_ts(&s->idx, s->first_seq) > now_ns - age)
            break;
        store__remove_seq(s, s->first_seq, true);
        removed = true;
    }
    if (removed)
        (void)s->ops->op_end(s, false);
    if (s->msgs == 0)
        return 0;
    return store__seqidx_ts(&s->idx, s->first_seq) + age;
}

/* ---- purge ---- */

/* Drops every message; the sequence continues from <new_first>. */
static uint64_t purge_everything(struct store *s, uint64_t new_first)
{
    uint64_t n = s->msgs;
    if (s->rm_cb) {
        uint64_t seq = s->first_seq;
        while (store__seqidx_next(&s->idx, seq, &seq)) {
            s->rm_cb(s->rm_arg, seq);
            seq++;
        }
    }
    if (new_first > s->last_seq + 1)
        s->last_seq = new_first - 1;
    s->first_seq = new_first > s->last_seq + 1 ? new_first : s->last_seq + 1;
    (void)s->ops->purge_all(s);
    store__seqidx_clear(&s->idx);
    store__psi_clear(&s->psi);
    s->msgs = 0;
    s->bytes = 0;
    return n;
}

/* Removes the oldest <max> (0 = no limit) messages on literal subject <id>
 * below <upto> (0 = no bound). */
static uint64_t purge_subject(struct store *s, uint32_t id, uint64_t upto, uint64_t max)
{
    uint64_t n = 0;
    struct store__subj *sj = store__psi_get(&s->psi, id);
    uint64_t seq = sj->first;
    while (seq != 0 && (upto == 0 || seq < upto) && (max == 0 || n < max)) {
        uint64_t next = store__seqidx_get(&s->idx, seq)->snext;
        store__remove_seq(s, seq, true);
        n++;
        seq = next;
    }
    return n;
}

static uint64_t purge_filtered(struct store *s, const char *filter, size_t flen, uint64_t upto,
                               uint64_t keep)
{
    uint64_t max = 0;
    if (keep > 0) {
        uint64_t total = store_count_from(s, 0, filter, flen);
        if (keep >= total)
            return 0;
        max = total - keep;
    }
    if (subj_is_literal(filter, flen)) {
        uint32_t id = store__psi_find(&s->psi, filter, flen);
        return id ? purge_subject(s, id, upto, max) : 0;
    }
    uint64_t n = 0, seq = s->first_seq, hi = upto ? upto - 1 : UINT64_MAX;
    const struct store__ent *e;
    while ((max == 0 || n < max) && (e = store__seqidx_next_in(&s->idx, seq, hi, &seq)) != NULL) {
        const struct store__subj *sj = store__psi_get(&s->psi, e->subj);
        if (store__subj_matches(filter, flen, sj)) {
            store__remove_seq(s, seq, true);
            n++;
        }
        seq++;
    }
    return n;
}

int store_purge(struct store *s, const char *filter, size_t filter_len, uint64_t upto_seq,
                uint64_t keep, uint64_t *purged)
{
    if ((upto_seq > 0 && keep > 0) || upto_seq >= STORE__MAX_SEQ)
        return ERR_INVAL;
    if (upto_seq == 1)
        upto_seq = 0;
    uint64_t n = 0;
    if (!store__filter_is_all(filter, filter_len)) {
        n = purge_filtered(s, filter, filter_len, upto_seq, keep);
    } else if (keep > 0) {
        while (s->msgs > keep) {
            store__remove_seq(s, s->first_seq, true);
            n++;
        }
    } else if (upto_seq == 0 || upto_seq > s->last_seq) {
        /* Everything, possibly moving the sequence forward (nats-server's
         * Compact beyond the last sequence). */
        n = purge_everything(s, upto_seq ? upto_seq : s->last_seq + 1);
    } else {
        while (s->msgs > 0 && s->first_seq < upto_seq) {
            store__remove_seq(s, s->first_seq, true);
            n++;
        }
    }
    if (purged)
        *purged = n;
    return s->ops->op_end(s, false);
}

/* ---- state ---- */

void store_state_get(const struct store *s, struct store_state *st)
{
    memset(st, 0, sizeof(*st));
    st->msgs = s->msgs;
    st->bytes = s->bytes;
    st->first_seq = s->first_seq;
    st->last_seq = s->last_seq;
    st->last_ts = s->last_ts;
    st->num_subjects = s->psi.count;
    if (s->msgs > 0) {
        st->first_ts = store__seqidx_ts(&s->idx, s->first_seq);
        st->num_deleted = s->last_seq - s->first_seq + 1 - s->msgs;
    }
}

void store_recovery_info_get(const struct store *s, struct store_recovery_info *ri)
{
    memset(ri, 0, sizeof(*ri));
    if (s->kind == STORE_FILE)
        store__file_recovery_info(s, ri);
}
