/* The store contract: one suite run against the memory and the file
 * backend, with and without write-behind (as nats-server's store_test.go
 * does). Expected values for limits and purges were measured against
 * nats-server 2.9.10 (file storage; its memory storage has stale-subject
 * bugs we do not copy).
 */
#include "store_test_util.h"

struct fx {
    enum store_kind kind;
    char dir[64];
    struct store_config cfg;
    struct store *s;
    struct buf scratch;
    uint64_t removed[64]; /* remove callback log */
    size_t nremoved;
};

static void on_remove(void *arg, uint64_t seq)
{
    struct fx *f = arg;
    if (f->nremoved < 64)
        f->removed[f->nremoved] = seq;
    f->nremoved++;
}

static void fx_open(struct fx *f)
{
    f->s = tu_open_cfg(&f->cfg);
    store_set_remove_cb(f->s, on_remove, f);
}

static int setup(void **state, enum store_kind kind, bool write_behind)
{
    struct fx *f = calloc(1, sizeof(*f));
    f->kind = kind;
    tu_mkdtemp(f->dir);
    f->cfg.kind = kind;
    f->cfg.dir = f->dir;
    f->cfg.limits = tu_nolimits();
    f->cfg.block_size = 1024; /* many blocks, so gc and compaction run */
    f->cfg.write_behind = write_behind;
    buf_init(&f->scratch);
    fx_open(f);
    *state = f;
    return 0;
}

static int setup_mem(void **state)
{
    return setup(state, STORE_MEMORY, false);
}

static int setup_file(void **state)
{
    return setup(state, STORE_FILE, false);
}

/* The file backend with write-behind, as JetStream opens it by default. */
static int setup_file_wb(void **state)
{
    return setup(state, STORE_FILE, true);
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->s);
    buf_deinit(&f->scratch);
    tu_rmrf(f->dir);
    free(f);
    return 0;
}

/* Reopens a file store (checking persistence); a no-op for memory. */
static void fx_reopen(struct fx *f)
{
    if (f->kind != STORE_FILE)
        return;
    store_close(f->s);
    fx_open(f);
}

static void fx_limits(struct fx *f, const struct store_limits *l)
{
    f->cfg.limits = *l;
    store_set_limits(f->s, l);
}

static uint64_t msz(struct fx *f, const char *subj, size_t hdr, size_t data)
{
    return store_msg_size(f->kind, strlen(subj), hdr, data);
}

/* Ten messages, odd sequences on x.a, even on x.b. */
static void fill10(struct fx *f)
{
    for (int i = 1; i <= 10; i++) {
        char d[8];
        snprintf(d, sizeof(d), "d%d", i);
        tu_put(f->s, i % 2 ? "x.a" : "x.b", d, i * 1000);
    }
}

static void test_store_msg_size_matches_nats(void **state)
{
    /* Measured with nats-server 2.9.10: STREAM.INFO state.bytes deltas. */
    assert_int_equal(store_msg_size(STORE_FILE, 7, 0, 0), 37);
    assert_int_equal(store_msg_size(STORE_FILE, 12, 0, 100), 142);
    assert_int_equal(store_msg_size(STORE_FILE, 7, 18, 3), 62);
    assert_int_equal(store_msg_size(STORE_MEMORY, 9, 0, 0), 25);
    assert_int_equal(store_msg_size(STORE_MEMORY, 9, 18, 3), 46);
}

static void test_store_append_load(void **state)
{
    struct fx *f = *state;
    const char *hdr = "NATS/1.0\r\nA: b\r\n\r\n";
    uint64_t seq;
    assert_int_equal(store_append(f->s, "a.b", 3, hdr, strlen(hdr), "xyz", 3, 42, &seq), 0);
    assert_int_equal(seq, 1);
    assert_int_equal(tu_put(f->s, "a.c", "", 43), 2);
    fx_reopen(f);
    struct store_msg m;
    assert_int_equal(store_load(f->s, 1, &m, &f->scratch), 0);
    assert_int_equal(m.ts, 42);
    assert_int_equal(m.hdr_len, strlen(hdr));
    assert_memory_equal(m.hdr, hdr, m.hdr_len);
    assert_int_equal(m.data_len, 3);
    assert_memory_equal(m.data, "xyz", 3);
    assert_int_equal(store_load(f->s, 2, &m, &f->scratch), 0);
    assert_null(m.hdr);
    assert_int_equal(m.data_len, 0);
    struct store_state st = tu_state(f->s);
    assert_int_equal(st.msgs, 2);
    assert_int_equal(st.bytes, msz(f, "a.b", strlen(hdr), 3) + msz(f, "a.c", 0, 0));
    assert_int_equal(st.first_seq, 1);
    assert_int_equal(st.last_seq, 2);
    assert_int_equal(st.first_ts, 42);
    assert_int_equal(st.last_ts, 43);
    assert_int_equal(st.num_subjects, 2);
    assert_int_equal(store_load(f->s, 0, &m, &f->scratch), ERR_NOTFOUND);
    assert_int_equal(store_load(f->s, 3, &m, &f->scratch), ERR_NOTFOUND);
    assert_int_equal(store_append(f->s, "", 0, NULL, 0, "x", 1, 1, NULL), ERR_INVAL);
}

static void test_store_load_next_last(void **state)
{
    struct fx *f = *state;
    fill10(f);
    tu_put(f->s, "y.c", "d11", 11000);
    assert_int_equal(store_remove(f->s, 5, false), 0);
    fx_reopen(f);
    struct store_msg m;
    struct {
        uint64_t start;
        const char *filter;
        uint64_t want; /* 0 = not found */
    } rows[] = {
        {0, NULL, 1},  {5, NULL, 6},    {5, ">", 6},     {12, NULL, 0},  {1, "x.a", 1},
        {2, "x.a", 3}, {4, "x.a", 7},   {8, "x.a", 9},   {10, "x.a", 0}, {1, "x.b", 2},
        {3, "x.b", 4}, {1, "x.*", 1},   {5, "x.*", 6},   {1, "y.>", 11}, {1, "*.c", 11},
        {1, "z", 0},   {1, "x.a.b", 0}, {11, "y.c", 11}, {12, "y.c", 0}, {4, "x.>", 4},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const char *fl = rows[i].filter;
        int rc = store_load_next(f->s, rows[i].start, fl, fl ? strlen(fl) : 0, &m, &f->scratch);
        if (rows[i].want == 0) {
            assert_int_equal(rc, ERR_NOTFOUND);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(m.seq, rows[i].want);
        }
    }
    struct {
        const char *filter;
        uint64_t want;
    } last[] = {{NULL, 11}, {"x.a", 9}, {"x.b", 10}, {"x.*", 10}, {"*.c", 11}, {"q", 0}, {">", 11}};
    for (size_t i = 0; i < sizeof(last) / sizeof(last[0]); i++) {
        const char *fl = last[i].filter;
        int rc = store_load_last(f->s, fl, fl ? strlen(fl) : 0, &m, &f->scratch);
        if (last[i].want == 0) {
            assert_int_equal(rc, ERR_NOTFOUND);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(m.seq, last[i].want);
        }
    }
}

static bool collect_deleted(void *arg, uint64_t seq)
{
    struct buf *b = arg;
    buf_append(b, &seq, sizeof(seq));
    return true;
}

/* Checks the deleted list against <want> (<n> sequences). */
static void expect_deleted(struct fx *f, const uint64_t *want, size_t n)
{
    struct buf b;
    buf_init(&b);
    store_deleted(f->s, collect_deleted, &b);
    assert_int_equal(b.len / sizeof(uint64_t), n);
    if (n)
        assert_memory_equal(b.data, want, n * sizeof(uint64_t));
    assert_int_equal(tu_state(f->s).num_deleted, n);
    buf_deinit(&b);
}

static void test_store_remove(void **state)
{
    struct fx *f = *state;
    fill10(f);
    assert_int_equal(store_remove(f->s, 3, false), 0);
    assert_int_equal(store_remove(f->s, 3, false), ERR_NOTFOUND);
    assert_int_equal(store_remove(f->s, 11, false), ERR_NOTFOUND);
    assert_int_equal(store_remove(f->s, 1, true), 0);
    assert_int_equal(store_remove(f->s, 10, false), 0);
    assert_int_equal(f->nremoved, 0); /* the callback is for limits and purges */
    fx_reopen(f);
    struct store_state st = tu_state(f->s);
    assert_int_equal(st.msgs, 7);
    assert_int_equal(st.first_seq, 2);
    assert_int_equal(st.first_ts, 2000);
    assert_int_equal(st.last_seq, 10);
    uint64_t want[] = {3, 10};
    expect_deleted(f, want, 2);
    struct store_msg m;
    assert_int_equal(store_load(f->s, 1, &m, &f->scratch), ERR_NOTFOUND);
    assert_int_equal(tu_put(f->s, "x.c", "n", 1), 11);
    /* Removing everything one by one leaves an empty store at last+1. */
    for (uint64_t s = 2; s <= 11; s++)
        if (s != 3 && s != 10)
            assert_int_equal(store_remove(f->s, s, s % 2), 0);
    fx_reopen(f);
    st = tu_state(f->s);
    assert_int_equal(st.msgs, 0);
    assert_int_equal(st.first_seq, 12);
    assert_int_equal(st.last_seq, 11);
    assert_int_equal(st.num_subjects, 0);
    assert_int_equal(st.bytes, 0);
}

struct purge_row {
    const char *filter;
    uint64_t seq, keep;
    int rc;
    uint64_t purged, msgs, first, last;
    uint64_t deleted[6];
    size_t ndeleted;
};

static void check_purge(struct fx *f, const struct purge_row *r)
{
    uint64_t purged = 99;
    const char *fl = r->filter;
    assert_int_equal(store_purge(f->s, fl, fl ? strlen(fl) : 0, r->seq, r->keep, &purged), r->rc);
    fx_reopen(f);
    struct store_state st = tu_state(f->s);
    if (r->rc == 0)
        assert_int_equal(purged, r->purged);
    assert_int_equal(st.msgs, r->msgs);
    assert_int_equal(st.first_seq, r->first);
    assert_int_equal(st.last_seq, r->last);
    expect_deleted(f, r->deleted, r->ndeleted);
    /* The sequence continues after the purge. */
    assert_int_equal(tu_put(f->s, "x.a", "new", 1), r->last + 1);
}

static void test_store_purge_variants(void **state)
{
    struct fx *f = *state;
    static const struct purge_row rows[] = {
        {NULL, 0, 0, 0, 10, 0, 11, 10, {0}, 0},
        {"x.a", 0, 0, 0, 5, 5, 2, 10, {3, 5, 7, 9}, 4},
        {"x.a", 0, 2, 0, 3, 7, 2, 10, {3, 5}, 2},
        {"x.a", 6, 0, 0, 3, 7, 2, 10, {3, 5}, 2},
        {NULL, 6, 0, 0, 5, 5, 6, 10, {0}, 0},
        {NULL, 0, 3, 0, 7, 3, 8, 10, {0}, 0},
        {NULL, 20, 0, 0, 10, 0, 20, 19, {0}, 0},
        {NULL, 6, 1, ERR_INVAL, 0, 10, 1, 10, {0}, 0},
        {"x.*", 0, 1, 0, 9, 1, 10, 10, {0}, 0},
        {">", 4, 0, 0, 3, 7, 4, 10, {0}, 0},
        {"x.a", 6, 1, ERR_INVAL, 0, 10, 1, 10, {0}, 0},
        {NULL, 0, 20, 0, 0, 10, 1, 10, {0}, 0},
        {"x.a", 1, 0, 0, 5, 5, 2, 10, {3, 5, 7, 9}, 4},
        {"x.>", 0, 0, 0, 10, 0, 11, 10, {0}, 0},
        {NULL, 1, 0, 0, 10, 0, 11, 10, {0}, 0},
        {"x.a", 0, 1, 0, 4, 6, 2, 10, {3, 5, 7}, 3},
        {NULL, 11, 0, 0, 10, 0, 11, 10, {0}, 0},
        {NULL, 10, 0, 0, 9, 1, 10, 10, {0}, 0},
        {"x.b", 20, 0, 0, 5, 5, 1, 10, {2, 4, 6, 8, 10}, 5},
        {"x.a", 1, 2, ERR_INVAL, 0, 10, 1, 10, {0}, 0},
        {"x.*", 6, 0, 0, 5, 5, 6, 10, {0}, 0},
        {"x.zz", 0, 0, 0, 0, 10, 1, 10, {0}, 0},
        {NULL, 0, 10, 0, 0, 10, 1, 10, {0}, 0},
        {NULL, 0, 9, 0, 1, 9, 2, 10, {0}, 0},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        /* Start every row from a fresh store at sequence 1. */
        store_destroy(f->s);
        fx_open(f);
        fill10(f);
        check_purge(f, &rows[i]);
    }
}

static void test_store_purge_with_gaps(void **state)
{
    struct fx *f = *state;
    static const struct {
        uint64_t del[2];
        struct purge_row r;
    } rows[] = {
        {{9, 7}, {"x.a", 0, 2, 0, 1, 7, 2, 10, {7, 9}, 2}},
        {{5, 0}, {NULL, 6, 0, 0, 4, 5, 6, 10, {0}, 0}},
        {{6, 0}, {NULL, 6, 0, 0, 5, 4, 7, 10, {0}, 0}},
        {{2, 0}, {"x.a", 4, 0, 0, 2, 7, 4, 10, {0}, 0}},
        /* Deviation: nats-server's file store keeps the last <keep>
         * sequences (here only 10); we keep the newest <keep> messages. */
        {{9, 8}, {NULL, 0, 3, 0, 5, 3, 6, 10, {8, 9}, 2}},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        store_destroy(f->s);
        fx_open(f);
        fill10(f);
        for (int k = 0; k < 2; k++)
            if (rows[i].del[k])
                assert_int_equal(store_remove(f->s, rows[i].del[k], false), 0);
        check_purge(f, &rows[i].r);
    }
    /* An empty store purged beyond its end moves both ends. */
    store_destroy(f->s);
    fx_open(f);
    uint64_t n;
    assert_int_equal(store_purge(f->s, NULL, 0, 20, 0, &n), 0);
    fx_reopen(f);
    assert_int_equal(tu_state(f->s).first_seq, 20);
    assert_int_equal(tu_state(f->s).last_seq, 19);
    assert_int_equal(tu_put(f->s, "a", "b", 1), 20);
    /* A purge below first_seq does nothing. */
    assert_int_equal(store_purge(f->s, NULL, 0, 5, 0, &n), 0);
    assert_int_equal(n, 0);
}

static void test_store_purge_callback(void **state)
{
    struct fx *f = *state;
    fill10(f);
    assert_int_equal(store_purge(f->s, "x.b", 3, 0, 0, NULL), 0);
    assert_int_equal(f->nremoved, 5);
    assert_int_equal(f->removed[0], 2);
    assert_int_equal(f->removed[4], 10);
    assert_int_equal(store_purge(f->s, NULL, 0, 0, 0, NULL), 0);
    assert_int_equal(f->nremoved, 10);
}

static void test_store_first_seq_config(void **state)
{
    struct fx *f = *state;
    store_destroy(f->s);
    f->cfg.first_seq = 100;
    fx_open(f);
    fx_reopen(f);
    struct store_state st = tu_state(f->s);
    assert_int_equal(st.first_seq, 100);
    assert_int_equal(st.last_seq, 99);
    assert_int_equal(tu_put(f->s, "a", "b", 1), 100);
}

static void test_store_sync(void **state)
{
    struct fx *f = *state;
    fill10(f);
    assert_int_equal(store_sync(f->s), 0);
    /* Write-behind: a sync covers only what a flush wrote. */
    if (f->cfg.write_behind)
        assert_true(store_synced_seq(f->s) < 10);
    else
        assert_int_equal(store_synced_seq(f->s), 10);
    assert_int_equal(store_flush(f->s), 0);
    assert_int_equal(store_sync(f->s), 0);
    assert_int_equal(store_synced_seq(f->s), 10);
}

/* Appends <n> messages of <dlen> bytes on <subj>, recording each result. */
static void put_n(struct fx *f, const char *subj, size_t dlen, int n, int *rcs)
{
    char data[256];
    memset(data, 'x', sizeof(data));
    for (int i = 0; i < n; i++)
        rcs[i] = store_append(f->s, subj, strlen(subj), NULL, 0, data, dlen, i + 1, NULL);
}

static void test_store_discard_new_bytes(void **state)
{
    struct fx *f = *state;
    /* nats-server refuses when bytes + hdr + data >= max_bytes, and still
     * trims the oldest when a stored message overshoots. Subject "L1.a",
     * 10-byte payloads: 44 bytes each in a file, 30 in memory. */
    static const struct {
        enum store_kind kind;
        int64_t max_bytes;
        int ok[4];
        uint64_t bytes;
    } rows[] = {
        {STORE_FILE, 60, {1, 1, 1, 1}, 44},    {STORE_FILE, 96, {1, 1, 0, 0}, 88},
        {STORE_FILE, 100, {1, 1, 1, 1}, 88},   {STORE_FILE, 140, {1, 1, 1, 0}, 132},
        {STORE_MEMORY, 60, {1, 1, 0, 0}, 60},  {STORE_MEMORY, 80, {1, 1, 1, 1}, 60},
        {STORE_MEMORY, 100, {1, 1, 1, 0}, 90}, {STORE_MEMORY, 120, {1, 1, 1, 1}, 120},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (rows[i].kind != f->kind)
            continue;
        store_destroy(f->s);
        fx_open(f);
        struct store_limits l = tu_nolimits();
        l.discard = STORE_DISCARD_NEW;
        l.max_bytes = rows[i].max_bytes;
        fx_limits(f, &l);
        int rcs[4];
        put_n(f, "L1.a", 10, 4, rcs);
        for (int k = 0; k < 4; k++)
            assert_int_equal(rcs[k], rows[i].ok[k] ? 0 : ERR_LIMIT);
        assert_int_equal(tu_state(f->s).bytes, rows[i].bytes);
    }
}

/* Appends one message per character of <subjects> ("a" -> "L.a"). */
static void put_subjects(struct fx *f, const char *subjects, int *rcs)
{
    for (size_t i = 0; subjects[i]; i++) {
        char subj[8] = {'L', '.', subjects[i], 0};
        rcs[i] = store_append(f->s, subj, 3, NULL, 0, "x", 1, (int64_t)i + 1, NULL);
    }
}

static void test_store_discard_new_counts(void **state)
{
    struct fx *f = *state;
    static const struct {
        int64_t max_msgs, per_subject;
        bool dnps;
        const char *subjects;
        int ok[6];
        uint64_t msgs, first;
    } rows[] = {
        {3, -1, false, "aaaa", {1, 1, 1, 0}, 3, 1},
        /* At the subject limit the oldest of the subject goes: count stays. */
        {3, 2, false, "aaba", {1, 1, 1, 1}, 3, 2},
        {3, 2, false, "abab", {1, 1, 1, 0}, 3, 1},
        {-1, 2, true, "aaab", {1, 1, 0, 1}, 3, 1},
        {-1, 2, false, "aaab", {1, 1, 1, 1}, 3, 2},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        store_destroy(f->s);
        fx_open(f);
        struct store_limits l = tu_nolimits();
        l.discard = STORE_DISCARD_NEW;
        l.max_msgs = rows[i].max_msgs;
        l.max_msgs_per_subject = rows[i].per_subject;
        l.discard_new_per_subject = rows[i].dnps;
        fx_limits(f, &l);
        int rcs[6];
        put_subjects(f, rows[i].subjects, rcs);
        for (size_t k = 0; k < strlen(rows[i].subjects); k++)
            assert_int_equal(rcs[k], rows[i].ok[k] ? 0 : ERR_LIMIT);
        fx_reopen(f);
        assert_int_equal(tu_state(f->s).msgs, rows[i].msgs);
        assert_int_equal(tu_state(f->s).first_seq, rows[i].first);
    }
}

static void test_store_discard_old(void **state)
{
    struct fx *f = *state;
    struct store_limits l = tu_nolimits();
    int rcs[6];
    /* A message larger than max_bytes is stored, then trimmed away. */
    l.max_bytes = 50;
    fx_limits(f, &l);
    put_n(f, "L15.a", 100, 1, rcs);
    assert_int_equal(rcs[0], 0);
    fx_reopen(f);
    struct store_state st = tu_state(f->s);
    assert_int_equal(st.msgs, 0);
    assert_int_equal(st.first_seq, 2);
    assert_int_equal(st.last_seq, 1);
    assert_int_equal(f->nremoved, 1);

    store_destroy(f->s);
    fx_open(f);
    l.max_bytes = 100;
    fx_limits(f, &l);
    put_n(f, "L16.a", 10, 5, rcs);
    st = tu_state(f->s);
    assert_int_equal(st.msgs, f->kind == STORE_FILE ? 2 : 3);
    assert_int_equal(st.bytes, f->kind == STORE_FILE ? 90 : 93);
    assert_int_equal(st.first_seq, f->kind == STORE_FILE ? 4 : 3);

    store_destroy(f->s);
    fx_open(f);
    l = tu_nolimits();
    l.max_msgs = 3;
    fx_limits(f, &l);
    put_n(f, "L17.a", 10, 5, rcs);
    fx_reopen(f);
    assert_int_equal(tu_state(f->s).msgs, 3);
    assert_int_equal(tu_state(f->s).first_seq, 3);

    store_destroy(f->s);
    fx_open(f);
    l = tu_nolimits();
    l.max_msgs_per_subject = 2;
    fx_limits(f, &l);
    f->nremoved = 0;
    put_subjects(f, "aabaab", rcs);
    fx_reopen(f);
    st = tu_state(f->s);
    assert_int_equal(st.msgs, 4);
    assert_int_equal(st.first_seq, 3);
    expect_deleted(f, NULL, 0);
    assert_int_equal(f->nremoved, 2);
}

static void test_store_max_msg_size(void **state)
{
    struct fx *f = *state;
    struct store_limits l = tu_nolimits();
    l.max_msg_size = 10;
    fx_limits(f, &l);
    const char *h12 = "NATS/1.0\r\n\r\n";
    assert_int_equal(store_append(f->s, "a", 1, NULL, 0, "0123456789", 10, 1, NULL), 0);
    assert_int_equal(store_append(f->s, "a", 1, NULL, 0, "0123456789x", 11, 1, NULL), ERR_INVAL);
    assert_int_equal(store_append(f->s, "a", 1, h12, 12, "xy", 2, 1, NULL), ERR_INVAL);
    assert_int_equal(tu_state(f->s).msgs, 1);
}

static void test_store_set_limits_trims(void **state)
{
    struct fx *f = *state;
    fill10(f);
    struct store_limits l = tu_nolimits();
    l.max_msgs_per_subject = 2;
    fx_limits(f, &l);
    assert_int_equal(tu_state(f->s).msgs, 4);
    assert_int_equal(f->nremoved, 6);
    l.max_msgs = 1;
    fx_limits(f, &l);
    fx_reopen(f);
    struct store_state st = tu_state(f->s);
    assert_int_equal(st.msgs, 1);
    assert_int_equal(st.first_seq, 10);
    assert_int_equal(st.num_subjects, 1);
}

static void test_store_expire(void **state)
{
    struct fx *f = *state;
    const int64_t s1 = 1000000000;
    struct store_limits l = tu_nolimits();
    assert_int_equal(store_expire(f->s, 5 * s1), 0); /* no max_age */
    l.max_age_ns = s1;
    fx_limits(f, &l);
    assert_int_equal(store_expire(f->s, 5 * s1), 0); /* empty */
    tu_put(f->s, "a", "1", 1 * s1);
    tu_put(f->s, "b", "2", 2 * s1);
    tu_put(f->s, "a", "3", 3 * s1);
    assert_int_equal(store_expire(f->s, 2 * s1 + s1 / 2), 3 * s1);
    assert_int_equal(tu_state(f->s).first_seq, 2);
    assert_int_equal(store_expire(f->s, 3 * s1), 4 * s1); /* age == max_age expires */
    fx_reopen(f);
    assert_int_equal(tu_state(f->s).msgs, 1);
    assert_int_equal(store_expire(f->s, 10 * s1), 0);
    struct store_state st = tu_state(f->s);
    assert_int_equal(st.msgs, 0);
    assert_int_equal(st.first_seq, 4);
    assert_int_equal(st.last_seq, 3);
    assert_int_equal(st.last_ts, 3 * s1);
    assert_int_equal(f->nremoved, 3);
}

static bool collect_subject(void *arg, const struct store_subject_info *si)
{
    struct buf *b = arg;
    buf_appendf(b, "%.*s=%llu:%llu-%llu;", (int)si->subj_len, si->subj,
                (unsigned long long)si->msgs, (unsigned long long)si->first_seq,
                (unsigned long long)si->last_seq);
    return true;
}

static void expect_subjects(struct fx *f, const char *filter, const char *want)
{
    struct buf b;
    buf_init(&b);
    store_subjects(f->s, filter, filter ? strlen(filter) : 0, collect_subject, &b);
    buf_append_char(&b, '\0');
    /* Order is unspecified: compare as sets of ';'-terminated items. */
    size_t n = 0;
    for (const char *p = want; *p; p++)
        n += *p == ';';
    for (const char *p = b.data; *p; p++)
        n -= *p == ';';
    assert_int_equal(n, 0);
    for (const char *p = want; *p;) {
        const char *e = strchr(p, ';');
        char item[64];
        snprintf(item, sizeof(item), "%.*s", (int)(e - p + 1), p);
        assert_non_null(strstr(b.data, item));
        p = e + 1;
    }
    buf_deinit(&b);
}

static void test_store_subjects_and_counts(void **state)
{
    struct fx *f = *state;
    fill10(f);
    tu_put(f->s, "y.c", "11", 1);
    assert_int_equal(store_remove(f->s, 9, false), 0);
    fx_reopen(f);
    expect_subjects(f, NULL, "x.a=4:1-7;x.b=5:2-10;y.c=1:11-11;");
    expect_subjects(f, "x.*", "x.a=4:1-7;x.b=5:2-10;");
    expect_subjects(f, "y.c", "y.c=1:11-11;");
    expect_subjects(f, "z.>", "");
    static const struct {
        uint64_t start;
        const char *filter;
        uint64_t want;
    } rows[] = {
        {0, NULL, 10}, {1, NULL, 10}, {5, NULL, 6},  {9, NULL, 2},   {12, NULL, 0},
        {1, "x.a", 4}, {2, "x.a", 3}, {6, "x.a", 1}, {8, "x.a", 0},  {1, "x.*", 9},
        {3, "x.*", 7}, {1, "*.c", 1}, {1, ">", 10},  {11, "y.c", 1}, {1, "nope", 0},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const char *fl = rows[i].filter;
        assert_int_equal(store_count_from(f->s, rows[i].start, fl, fl ? strlen(fl) : 0),
                         rows[i].want);
    }
}

static bool stop_after_two(void *arg, uint64_t seq)
{
    int *n = arg;
    return ++*n < 2;
}

static void test_store_deleted_and_state(void **state)
{
    struct fx *f = *state;
    fill10(f);
    for (uint64_t s = 3; s <= 8; s += 1)
        if (s != 5)
            assert_int_equal(store_remove(f->s, s, false), 0);
    int n = 0;
    store_deleted(f->s, stop_after_two, &n);
    assert_int_equal(n, 2);
    uint64_t want[] = {3, 4, 6, 7, 8};
    expect_deleted(f, want, 5);
    struct store_state st = tu_state(f->s);
    assert_int_equal(st.msgs, 5);
    assert_int_equal(st.bytes, 3 * msz(f, "x.a", 0, 2) + msz(f, "x.b", 0, 2) + msz(f, "x.b", 0, 3));
    struct store_recovery_info ri;
    store_recovery_info_get(f->s, &ri);
    assert_true(f->kind == STORE_FILE || ri.blocks == 0);
}

#define BOTH(fn)                                                                                   \
    cmocka_unit_test_setup_teardown(fn, setup_mem, teardown),                                      \
        cmocka_unit_test_setup_teardown(fn, setup_file, teardown),                                 \
        cmocka_unit_test_setup_teardown(fn, setup_file_wb, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_msg_size_matches_nats),
        BOTH(test_store_append_load),
        BOTH(test_store_load_next_last),
        BOTH(test_store_remove),
        BOTH(test_store_purge_variants),
        BOTH(test_store_purge_with_gaps),
        BOTH(test_store_purge_callback),
        BOTH(test_store_first_seq_config),
        BOTH(test_store_sync),
        BOTH(test_store_discard_new_bytes),
        BOTH(test_store_discard_new_counts),
        BOTH(test_store_discard_old),
        BOTH(test_store_max_msg_size),
        BOTH(test_store_set_limits_trims),
        BOTH(test_store_expire),
        BOTH(test_store_subjects_and_counts),
        BOTH(test_store_deleted_and_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
