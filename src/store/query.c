/* Store queries: loads by sequence / next / last, pending counts, subject
 * listings and deleted sequences. A literal filter goes through the
 * per-subject state (first/last/count plus the per-subject chain in each
 * entry); wildcard filters scan entries in sequence order with a small
 * cache of per-subject match results.
 */
#include "store/store.h"
#include "store/store_int.h"
#include "subject/subject.h"

#include <string.h>

bool store__subj_matches(const char *filter, size_t flen, const struct store__subj *sj)
{
    return subj_matches(filter, flen, sj->name, sj->len);
}

/* Direct-mapped cache of "does subject id match the filter". */
#define MEMO_SIZE 64
struct memo {
    const struct store *s;
    const char *filter;
    size_t flen;
    uint32_t id[MEMO_SIZE];
    bool hit[MEMO_SIZE];
};

static void memo_init(struct memo *m, const struct store *s, const char *filter, size_t flen)
{
    memset(m, 0, sizeof(*m));
    m->s = s;
    m->filter = filter;
    m->flen = flen;
}

static bool memo_match(struct memo *m, uint32_t id)
{
    uint32_t k = id % MEMO_SIZE;
    if (m->id[k] != id) {
        m->id[k] = id;
        m->hit[k] = store__subj_matches(m->filter, m->flen, store__psi_get(&m->s->psi, id));
    }
    return m->hit[k];
}

int store_load(struct store *s, uint64_t seq, struct store_msg *out, struct buf *scratch)
{
    const struct store__ent *e = store__seqidx_get(&s->idx, seq);
    if (e == NULL)
        return ERR_NOTFOUND;
    return s->ops->read(s, seq, e, out, scratch);
}

/* First live sequence >= <start> on literal subject <id>, or 0. */
static uint64_t next_on_subject(struct store *s, uint32_t id, uint64_t start)
{
    const struct store__subj *sj = store__psi_get(&s->psi, id);
    if (start <= sj->first)
        return sj->first;
    if (start > sj->last)
        return 0;
    /* A consumer usually asks for the one after what it just delivered. */
    const struct store__ent *p = store__seqidx_get(&s->idx, start - 1);
    if (p != NULL && p->subj == id)
        return p->snext;
    uint64_t seq = start;
    const struct store__ent *e;
    while ((e = store__seqidx_next_in(&s->idx, seq, sj->last, &seq)) != NULL) {
        if (e->subj == id)
            return seq;
        seq++;
    }
    return 0;
}

int store_load_next(struct store *s, uint64_t start, const char *filter, size_t filter_len,
                    struct store_msg *out, struct buf *scratch)
{
    if (start < s->first_seq)
        start = s->first_seq;
    if (s->msgs == 0 || start > s->last_seq)
        return ERR_NOTFOUND;
    uint64_t seq = start;
    const struct store__ent *e;
    if (store__filter_is_all(filter, filter_len)) {
        e = store__seqidx_next(&s->idx, start, &seq);
        return e ? s->ops->read(s, seq, e, out, scratch) : ERR_NOTFOUND;
    }
    if (subj_is_literal(filter, filter_len)) {
        uint32_t id = store__psi_find(&s->psi, filter, filter_len);
        seq = id ? next_on_subject(s, id, start) : 0;
        return seq ? store_load(s, seq, out, scratch) : ERR_NOTFOUND;
    }
    struct memo m;
    memo_init(&m, s, filter, filter_len);
    while ((e = store__seqidx_next(&s->idx, seq, &seq)) != NULL) {
        if (memo_match(&m, e->subj))
            return s->ops->read(s, seq, e, out, scratch);
        seq++;
    }
    return ERR_NOTFOUND;
}

/* Last live sequence matching the wildcard <filter>, or 0. */
static uint64_t last_matching(struct store *s, const char *filter, size_t flen)
{
    struct memo m;
    memo_init(&m, s, filter, flen);
    /* The newest messages usually match; fall back to the subject table. */
    uint64_t seq = s->last_seq;
    const struct store__ent *e;
    for (int i = 0; i < 256 && (e = store__seqidx_prev(&s->idx, seq, &seq)) != NULL; i++) {
        if (memo_match(&m, e->subj))
            return seq;
        if (seq-- <= 1)
            return 0;
    }
    uint64_t best = 0;
    for (uint32_t id = 1; id < s->psi.nid; id++) {
        const struct store__subj *sj = store__psi_get(&s->psi, id);
        if (sj && sj->last > best && store__subj_matches(filter, flen, sj))
            best = sj->last;
    }
    return best;
}

int store_load_last(struct store *s, const char *filter, size_t filter_len, struct store_msg *out,
                    struct buf *scratch)
{
    if (s->msgs == 0)
        return ERR_NOTFOUND;
    uint64_t seq = 0;
    if (store__filter_is_all(filter, filter_len)) {
        if (!store__seqidx_prev(&s->idx, s->last_seq, &seq))
            return ERR_NOTFOUND;
    } else if (subj_is_literal(filter, filter_len)) {
        uint32_t id = store__psi_find(&s->psi, filter, filter_len);
        seq = id ? store__psi_get(&s->psi, id)->last : 0;
    } else {
        seq = last_matching(s, filter, filter_len);
    }
    return seq ? store_load(s, seq, out, scratch) : ERR_NOTFOUND;
}

uint64_t store_count_from(struct store *s, uint64_t start, const char *filter, size_t filter_len)
{
    if (s->msgs == 0 || start > s->last_seq)
        return 0;
    if (start < s->first_seq)
        start = s->first_seq;
    if (store__filter_is_all(filter, filter_len)) {
        if (start == s->first_seq)
            return s->msgs;
        if (s->msgs == s->last_seq - s->first_seq + 1) /* no interior deletes: O(1) */
            return s->last_seq - start + 1;
        return store__seqidx_count_from(&s->idx, start);
    }
    if (subj_is_literal(filter, filter_len)) {
        uint32_t id = store__psi_find(&s->psi, filter, filter_len);
        if (id == 0)
            return 0;
        const struct store__subj *sj = store__psi_get(&s->psi, id);
        if (start <= sj->first)
            return sj->msgs;
        if (start > sj->last)
            return 0;
        /* Every message is on this subject: the sequence index counts
         * chunk by chunk (and lazy runs as a whole). */
        if (sj->msgs == s->msgs)
            return store__seqidx_count_from(&s->idx, start);
        /* Walk the subject's chain from the nearer end. */
        uint64_t n = 0;
        if (start - sj->first < sj->last - start) {
            for (uint64_t seq = sj->first; seq < start && seq != 0;
                 seq = store__seqidx_get(&s->idx, seq)->snext)
                n++;
            return sj->msgs - n;
        }
        for (uint64_t seq = sj->last; seq >= start && seq != 0;
             seq = store__seqidx_get(&s->idx, seq)->sprev)
            n++;
        return n;
    }
    /* Per subject (at most one pass over the subjects, never more than
     * the messages): the total from first_seq, or every subject matching
     * (then the sequence index counts without a scan). */
    uint64_t n = 0;
    bool all = true;
    for (uint32_t id = 1; id < s->psi.nid && (all || start == s->first_seq); id++) {
        const struct store__subj *sj = store__psi_get(&s->psi, id);
        if (sj && store__subj_matches(filter, filter_len, sj))
            n += sj->msgs;
        else if (sj)
            all = false;
    }
    if (start == s->first_seq)
        return n;
    if (all)
        return store__seqidx_count_from(&s->idx, start);
    n = 0;
    struct memo m;
    memo_init(&m, s, filter, filter_len);
    uint64_t seq = start;
    const struct store__ent *e;
    while ((e = store__seqidx_next(&s->idx, seq, &seq)) != NULL) {
        n += memo_match(&m, e->subj);
        seq++;
    }
    return n;
}

void store_subjects(struct store *s, const char *filter, size_t filter_len,
                    bool (*cb)(void *arg, const struct store_subject_info *si), void *arg)
{
    bool all = store__filter_is_all(filter, filter_len);
    for (uint32_t id = 1; id < s->psi.nid; id++) {
        const struct store__subj *sj = store__psi_get(&s->psi, id);
        if (sj == NULL || (!all && !store__subj_matches(filter, filter_len, sj)))
            continue;
        struct store_subject_info si = {
            .subj = sj->name,
            .subj_len = sj->len,
            .msgs = sj->msgs,
            .first_seq = sj->first,
            .last_seq = sj->last,
        };
        if (!cb(arg, &si))
            return;
    }
}

void store_deleted(struct store *s, bool (*cb)(void *arg, uint64_t seq), void *arg)
{
    if (s->msgs == 0)
        return;
    store__seqidx_gaps(&s->idx, s->first_seq, s->last_seq, cb, arg);
}
