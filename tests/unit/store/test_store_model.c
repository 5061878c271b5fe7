/* Model-based random test: thousands of random operations applied both to
 * a store and to a plain array of messages, comparing every answer and the
 * state after each step (as Redis' stream.tcl does). The file store runs
 * with tiny blocks, is synced now and then (which lets it summarise sealed
 * blocks), and is reopened, either cleanly or as after kill -9 (nothing
 * flushed), which must not change what it holds, per subject included.
 */
#include "store/store_int.h"
#include "store_test_util.h"
#include "subject/subject.h"

#define MAX_SEQ 40000

static const char *subjects[] = {"m.0", "m.1",   "m.2",   "m.3", "m.4",
                                 "m.5", "n.a.b", "n.a.c", "o",   "p.q"};
#define NSUBJ (sizeof(subjects) / sizeof(subjects[0]))
static const char *filters[] = {NULL, ">", "m.*", "n.>", "n.*.c", "*", "m.3", "o", "zz", "n.a.b"};
#define NFILT (sizeof(filters) / sizeof(filters[0]))

struct mmsg {
    bool live;
    uint8_t subj;
    uint8_t hdr;   /* has headers */
    uint16_t dlen; /* payload length */
    int64_t ts;
};

struct model {
    struct mmsg m[MAX_SEQ + 64];
    uint64_t first, last;
    struct store_limits lim;
    enum store_kind kind;
};

static uint64_t rng_state;
static int cur_op; /* for failure messages */
static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return n ? rng_state % n : 0;
}

static void make_payload(uint64_t seq, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (char)('a' + (seq * 7 + i) % 26);
}

static void make_hdr(uint64_t seq, char *out, size_t *n)
{
    *n = (size_t)snprintf(out, 64, "NATS/1.0\r\nK: %llu\r\n\r\n", (unsigned long long)seq);
}

static bool m_match(const char *f, const struct mmsg *x)
{
    const char *s = subjects[x->subj];
    return store__filter_is_all(f, f ? strlen(f) : 0) || subj_matches(f, strlen(f), s, strlen(s));
}

static uint64_t m_size(const struct model *md, const struct mmsg *x, uint64_t seq)
{
    char h[64];
    size_t hl = 0;
    if (x->hdr)
        make_hdr(seq, h, &hl);
    return store_msg_size(md->kind, strlen(subjects[x->subj]), hl, x->dlen);
}

static void m_fix_first(struct model *md)
{
    while (md->first <= md->last && !md->m[md->first].live)
        md->first++;
}

static void m_state(const struct model *md, struct store_state *st)
{
    memset(st, 0, sizeof(*st));
    st->first_seq = md->first;
    st->last_seq = md->last;
    bool seen[NSUBJ] = {0};
    for (uint64_t s = md->first; s <= md->last; s++) {
        if (!md->m[s].live)
            continue;
        st->msgs++;
        st->bytes += m_size(md, &md->m[s], s);
        if (!seen[md->m[s].subj])
            st->num_subjects++;
        seen[md->m[s].subj] = true;
    }
    st->num_deleted = st->msgs ? md->last - md->first + 1 - st->msgs : 0;
}

static uint64_t m_count(const struct model *md, uint64_t start, const char *f, uint64_t *first)
{
    uint64_t n = 0;
    *first = 0;
    for (uint64_t s = start < md->first ? md->first : start; s <= md->last; s++) {
        if (md->m[s].live && m_match(f, &md->m[s])) {
            if (n++ == 0)
                *first = s;
        }
    }
    return n;
}

static void m_remove(struct model *md, uint64_t s)
{
    md->m[s].live = false;
    m_fix_first(md);
}

static void m_enforce(struct model *md, uint8_t subj)
{
    if (md->lim.max_msgs_per_subject > 0) {
        int64_t n = 0;
        for (uint64_t s = md->first; s <= md->last; s++)
            n += md->m[s].live && md->m[s].subj == subj;
        for (uint64_t s = md->first; n > md->lim.max_msgs_per_subject; s++)
            if (md->m[s].live && md->m[s].subj == subj) {
                m_remove(md, s);
                n--;
            }
    }
    struct store_state st;
    m_state(md, &st);
    while (md->lim.max_msgs > 0 && st.msgs > (uint64_t)md->lim.max_msgs) {
        m_remove(md, md->first);
        st.msgs--;
    }
    m_state(md, &st);
    while (md->lim.max_bytes > 0 && st.bytes > (uint64_t)md->lim.max_bytes) {
        st.bytes -= m_size(md, &md->m[md->first], md->first);
        m_remove(md, md->first);
    }
}

static uint64_t m_purge(struct model *md, const char *f, uint64_t upto, uint64_t keep)
{
    uint64_t n = 0, first;
    if (upto == 1)
        upto = 0;
    bool all = store__filter_is_all(f, f ? strlen(f) : 0);
    if (all && keep == 0 && (upto == 0 || upto > md->last)) {
        n = m_count(md, 0, NULL, &first);
        for (uint64_t s = md->first; s <= md->last; s++)
            md->m[s].live = false;
        if (upto > md->last + 1)
            md->last = upto - 1;
        md->first = md->last + 1;
        return n;
    }
    uint64_t total = m_count(md, 0, f, &first);
    uint64_t max = keep ? (keep >= total ? 0 : total - keep) : UINT64_MAX;
    if (keep && max == 0)
        return 0;
    for (uint64_t s = md->first; s <= md->last && n < max; s++) {
        if (upto && s >= upto)
            break;
        if (md->m[s].live && m_match(f, &md->m[s])) {
            md->m[s].live = false;
            n++;
        }
    }
    m_fix_first(md);
    if (md->first > md->last)
        md->first = md->last + 1;
    return n;
}

struct run {
    struct model *md;
    struct store *s;
    struct store_config cfg;
    char dir[64];
    struct buf scratch;
};

static void check_msg(struct run *r, uint64_t seq, const struct store_msg *m)
{
    const struct mmsg *x = &r->md->m[seq];
    assert_true(x->live);
    assert_int_equal(m->seq, seq);
    assert_int_equal(m->ts, x->ts);
    assert_int_equal(m->subj_len, strlen(subjects[x->subj]));
    assert_memory_equal(m->subj, subjects[x->subj], m->subj_len);
    char buf[512];
    size_t hl = 0;
    if (x->hdr) {
        make_hdr(seq, buf, &hl);
        assert_int_equal(m->hdr_len, hl);
        assert_memory_equal(m->hdr, buf, hl);
    } else {
        assert_null(m->hdr);
    }
    assert_int_equal(m->data_len, x->dlen);
    make_payload(seq, x->dlen, buf);
    if (x->dlen)
        assert_memory_equal(m->data, buf, x->dlen);
}

struct subj_want {
    uint64_t msgs[NSUBJ], first[NSUBJ], last[NSUBJ];
    uint64_t seen;
};

static bool subj_check(void *arg, const struct store_subject_info *si)
{
    struct subj_want *w = arg;
    size_t k = 0;
    while (k < NSUBJ && (strlen(subjects[k]) != si->subj_len ||
                         memcmp(subjects[k], si->subj, si->subj_len) != 0))
        k++;
    assert_true(k < NSUBJ);
    assert_int_equal(si->msgs, w->msgs[k]);
    assert_int_equal(si->first_seq, w->first[k]);
    assert_int_equal(si->last_seq, w->last[k]);
    w->seen++;
    return true;
}

/* Per-subject state (KV queries rely on it) against the model. */
static void check_subjects(struct run *r)
{
    struct subj_want w;
    memset(&w, 0, sizeof(w));
    uint64_t nsubj = 0;
    for (uint64_t s = r->md->first; s <= r->md->last; s++) {
        const struct mmsg *x = &r->md->m[s];
        if (!x->live)
            continue;
        if (w.msgs[x->subj]++ == 0) {
            w.first[x->subj] = s;
            nsubj++;
        }
        w.last[x->subj] = s;
    }
    store_subjects(r->s, NULL, 0, subj_check, &w);
    assert_int_equal(w.seen, nsubj);
}

static void check_state(struct run *r)
{
    struct store_state want, got;
    m_state(r->md, &want);
    store_state_get(r->s, &got);
    if ((got.msgs != want.msgs || got.bytes != want.bytes || got.first_seq != want.first_seq ||
         got.last_seq != want.last_seq) &&
        getenv("MODEL_DEBUG"))
        fprintf(stderr, "op %d kind %d: msgs %llu/%llu first %llu/%llu last %llu/%llu\n", cur_op,
                r->md->kind, (unsigned long long)got.msgs, (unsigned long long)want.msgs,
                (unsigned long long)got.first_seq, (unsigned long long)want.first_seq,
                (unsigned long long)got.last_seq, (unsigned long long)want.last_seq);
    assert_int_equal(got.msgs, want.msgs);
    assert_int_equal(got.bytes, want.bytes);
    assert_int_equal(got.first_seq, want.first_seq);
    assert_int_equal(got.last_seq, want.last_seq);
    assert_int_equal(got.num_subjects, want.num_subjects);
    assert_int_equal(got.num_deleted, want.num_deleted);
}

static void op_append(struct run *r, int64_t now)
{
    struct model *md = r->md;
    uint64_t seq = md->last + 1;
    struct mmsg x = {.live = true, .subj = (uint8_t)rnd(NSUBJ), .hdr = rnd(4) == 0};
    x.dlen = (uint16_t)(rnd(8) == 0 ? rnd(400) : rnd(40));
    x.ts = now;
    char h[64], d[512];
    size_t hl = 0;
    if (x.hdr)
        make_hdr(seq, h, &hl);
    make_payload(seq, x.dlen, d);
    const char *subj = subjects[x.subj];
    uint64_t got;
    assert_int_equal(store_append(r->s, subj, strlen(subj), h, hl, d, x.dlen, x.ts, &got), 0);
    assert_int_equal(got, seq);
    md->m[seq] = x;
    md->last = seq;
    if (md->first > md->last || !md->m[md->first].live)
        m_fix_first(md);
    m_enforce(md, x.subj);
}

static void op_query(struct run *r)
{
    struct model *md = r->md;
    const char *f = filters[rnd(NFILT)];
    size_t fl = f ? strlen(f) : 0;
    uint64_t start = md->first + rnd(md->last - md->first + 3);
    start = start > 2 ? start - 2 : start;
    uint64_t first, n = m_count(md, start, f, &first);
    struct store_msg m;
    int rc = store_load_next(r->s, start, f, fl, &m, &r->scratch);
    assert_int_equal(rc, n ? 0 : ERR_NOTFOUND);
    if (n)
        check_msg(r, first, &m);
    assert_int_equal(store_count_from(r->s, start, f, fl), n);
    uint64_t last = 0;
    for (uint64_t s = md->first; s <= md->last; s++)
        if (md->m[s].live && m_match(f, &md->m[s]))
            last = s;
    rc = store_load_last(r->s, f, fl, &m, &r->scratch);
    assert_int_equal(rc, last ? 0 : ERR_NOTFOUND);
    if (last)
        check_msg(r, last, &m);
    uint64_t seq = md->first + rnd(md->last - md->first + 2);
    rc = store_load(r->s, seq, &m, &r->scratch);
    assert_int_equal(rc, md->m[seq].live && seq <= md->last ? 0 : ERR_NOTFOUND);
    if (rc == 0)
        check_msg(r, seq, &m);
}

static void op_remove(struct run *r)
{
    struct model *md = r->md;
    uint64_t seq = md->first + rnd(md->last - md->first + 2);
    bool live = seq <= md->last && md->m[seq].live;
    assert_int_equal(store_remove(r->s, seq, rnd(2)), live ? 0 : ERR_NOTFOUND);
    if (live)
        m_remove(md, seq);
    if (md->first > md->last)
        md->first = md->last + 1;
}

static void op_purge(struct run *r)
{
    struct model *md = r->md;
    const char *f = filters[rnd(NFILT)];
    uint64_t upto = 0, keep = 0;
    switch (rnd(4)) {
    case 0:
        upto = md->first + rnd(md->last - md->first + 4);
        break;
    case 1:
        keep = rnd(30);
        break;
    default:
        break;
    }
    if (f == NULL && upto == 0 && keep == 0 && rnd(4) != 0)
        keep = 1 + rnd(50); /* purge-all is rare */
    uint64_t got;
    assert_int_equal(store_purge(r->s, f, f ? strlen(f) : 0, upto, keep, &got), 0);
    assert_int_equal(got, m_purge(md, f, upto, keep));
}

static void reopen(struct run *r, bool crash)
{
    if (getenv("MODEL_DEBUG"))
        fprintf(stderr, "reopen crash=%d\n", crash);
    if (getenv("MODEL_SNAP") && cur_op == atoi(getenv("MODEL_SNAP"))) {
        char cmd[200];
        snprintf(cmd, sizeof(cmd), "rm -rf /tmp/snap; cp -r %s /tmp/snap", r->dir);
        assert_int_equal(system(cmd), 0);
    }
    /* Write-behind: a crash keeps what was flushed (the owner flushes
     * before it acks); the unflushed tail is covered by test_filestore_wb. */
    if (crash && r->cfg.write_behind)
        assert_int_equal(store_flush(r->s), 0);
    if (crash)
        store__abandon(r->s);
    else
        store_close(r->s);
    r->s = tu_open_cfg(&r->cfg);
    if (getenv("MODEL_DEBUG")) {
        for (uint64_t q = 1; q <= r->md->last; q++) {
            struct store_msg m;
            bool in = store_load(r->s, q, &m, &r->scratch) == 0;
            if (in != r->md->m[q].live)
                fprintf(stderr, "  seq %llu store %d model %d subj %d\n", (unsigned long long)q, in,
                        r->md->m[q].live, r->md->m[q].subj);
        }
    }
}

static void run_model_ex(enum store_kind kind, struct store_limits lim, uint64_t seed, int ops,
                         size_t block_size, bool write_behind)
{
    struct run r = {0};
    r.md = calloc(1, sizeof(*r.md));
    r.md->first = 1;
    r.md->lim = lim;
    r.md->kind = kind;
    /* GANNET_STORE_MODEL_SEED=N varies every run's seed. */
    const char *extra = getenv("GANNET_STORE_MODEL_SEED");
    rng_state = seed ^ (extra ? strtoull(extra, NULL, 0) * 0x9e3779b97f4a7c15ull : 0);
    if (rng_state == 0)
        rng_state = 1;
    tu_mkdtemp(r.dir);
    r.cfg.kind = kind;
    r.cfg.dir = r.dir;
    r.cfg.limits = lim;
    r.cfg.block_size = block_size;
    r.cfg.write_behind = write_behind;
    buf_init(&r.scratch);
    r.s = tu_open_cfg(&r.cfg);
    /* GANNET_STORE_MODEL_SCALE=N runs N times more operations (deep runs). */
    const char *scale = getenv("GANNET_STORE_MODEL_SCALE");
    if (scale && atoi(scale) > 1)
        ops *= atoi(scale);
    for (int i = 0; i < ops && r.md->last < MAX_SEQ; i++) {
        uint64_t p = rnd(100);
        if (kind == STORE_FILE && p >= 77 && p < 80) {
            if (write_behind)
                assert_int_equal(store_flush(r.s), 0);
            assert_int_equal(store_sync(r.s), 0);
            p = 0; /* and an append, which may write a summary */
        }
        cur_op = i;
        if (getenv("MODEL_TRACE") && i >= atoi(getenv("MODEL_TRACE")))
            fprintf(stderr, "op %d p %llu first %llu last %llu\n", i, (unsigned long long)p,
                    (unsigned long long)r.md->first, (unsigned long long)r.md->last);
        if (p < 55)
            op_append(&r, i);
        else if (p < 80)
            op_query(&r);
        else if (p < 93)
            op_remove(&r);
        else if (p < 96)
            op_purge(&r);
        else if (kind == STORE_FILE) {
            reopen(&r, rnd(2));
            check_subjects(&r);
        }
        check_state(&r);
    }
    check_subjects(&r);
    if (kind == STORE_FILE) {
        reopen(&r, false);
        check_state(&r);
        struct store_recovery_info ri;
        store_recovery_info_get(r.s, &ri);
        assert_true(ri.used_summaries);
        reopen(&r, true);
        check_state(&r);
    }
    for (uint64_t s = r.md->first; s <= r.md->last; s++) {
        struct store_msg m;
        if (r.md->m[s].live) {
            assert_int_equal(store_load(r.s, s, &m, &r.scratch), 0);
            check_msg(&r, s, &m);
        }
    }
    store_destroy(r.s);
    if (kind == STORE_MEMORY)
        tu_rmrf(r.dir);
    assert_int_equal(access(r.dir, F_OK), -1);
    buf_deinit(&r.scratch);
    free(r.md);
}

static void run_model(enum store_kind kind, struct store_limits lim, uint64_t seed, int ops,
                      size_t block_size)
{
    run_model_ex(kind, lim, seed, ops, block_size, false);
}

static void test_store_model_mem(void **state)
{
    run_model(STORE_MEMORY, tu_nolimits(), 0x9e3779b97f4a7c15ull, 6000, 0);
}

static void test_store_model_file(void **state)
{
    run_model(STORE_FILE, tu_nolimits(), 0x1234567887654321ull, 3000, 8192);
}

/* The file store as JetStream opens it: appends buffered until a flush. */
static void test_store_model_file_wb(void **state)
{
    run_model_ex(STORE_FILE, tu_nolimits(), 0x0badc0ffee123457ull, 3000, 8192, true);
    struct store_limits l = tu_nolimits();
    l.max_msgs_per_subject = 5;
    l.max_bytes = 4000;
    run_model_ex(STORE_FILE, l, 99, 2000, 2048, true);
}

static void test_store_model_limits(void **state)
{
    struct store_limits l = tu_nolimits();
    l.max_msgs_per_subject = 7;
    l.max_msgs = 50;
    l.max_bytes = 3000;
    for (int k = 0; k < 2; k++)
        run_model(k ? STORE_FILE : STORE_MEMORY, l, 42 + (uint64_t)k, 3000, 4096);
    l = tu_nolimits();
    l.max_msgs_per_subject = 1;
    run_model(STORE_FILE, l, 7, 2000, 2048);
    /* Per-subject and byte limits with crashes: found summaries that kept
     * removals whose DEL records a crash lost, and a FLOOR they left out. */
    l = tu_nolimits();
    l.max_msgs_per_subject = 5;
    l.max_bytes = 4000;
    run_model(STORE_FILE, l, 0xfeed12, 3000, 2048);
}

static void test_store_model_seeds(void **state)
{
    for (uint64_t seed = 1; seed <= 6; seed++)
        run_model(seed % 2 ? STORE_FILE : STORE_MEMORY, tu_nolimits(), seed * 1000003, 800, 1024);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_model_mem),     cmocka_unit_test(test_store_model_file),
        cmocka_unit_test(test_store_model_file_wb), cmocka_unit_test(test_store_model_limits),
        cmocka_unit_test(test_store_model_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
