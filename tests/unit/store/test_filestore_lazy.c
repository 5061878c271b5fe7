/* File store summaries and lazy loading: a store reopened from summaries
 * materialises no entry until one is needed, a crash after syncs scans only
 * the tail, and removals made after a summary was written (deletes,
 * purges, limits, erases) survive a crash. Each check compares the file
 * store with a memory store given the same operations (the twin).
 */
#include "store/store_int.h"
#include "store_test_util.h"

#include <sys/stat.h>

struct fx {
    char dir[64];
    struct store_config cfg, mcfg;
    struct store *s, *m; /* file store and its memory twin */
    struct buf b1, b2;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    tu_mkdtemp(f->dir);
    f->cfg.kind = STORE_FILE;
    f->cfg.dir = f->dir;
    f->cfg.limits = tu_nolimits();
    f->cfg.block_size = 4096;
    f->mcfg = f->cfg;
    f->mcfg.kind = STORE_MEMORY;
    f->s = tu_open_cfg(&f->cfg);
    f->m = tu_open_cfg(&f->mcfg);
    buf_init(&f->b1);
    buf_init(&f->b2);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_destroy(f->s);
    store_destroy(f->m);
    tu_rmrf(f->dir);
    buf_deinit(&f->b1);
    buf_deinit(&f->b2);
    free(f);
    return 0;
}

/* Appends message <i> (subject of <nsubj>) to both stores. */
static void put2(struct fx *f, uint64_t i, int nsubj)
{
    char subj[32], data[200];
    snprintf(subj, sizeof(subj), "z.%llu", (unsigned long long)(i % (uint64_t)nsubj));
    size_t n = (size_t)(i * 13 % 150);
    memset(data, (int)('a' + i % 26), n);
    uint64_t q1, q2;
    assert_int_equal(store_append(f->s, subj, strlen(subj), NULL, 0, data, n, (int64_t)i, &q1), 0);
    assert_int_equal(store_append(f->m, subj, strlen(subj), NULL, 0, data, n, (int64_t)i, &q2), 0);
    assert_int_equal(q1, q2);
}

static void rm2(struct fx *f, uint64_t seq, bool erase)
{
    int r1 = store_remove(f->s, seq, erase), r2 = store_remove(f->m, seq, false);
    assert_int_equal(r1, r2);
}

static bool collect(void *arg, const struct store_subject_info *si)
{
    struct buf *b = arg;
    char line[128];
    int n = snprintf(line, sizeof(line), "%.*s %llu %llu %llu;", (int)si->subj_len, si->subj,
                     (unsigned long long)si->msgs, (unsigned long long)si->first_seq,
                     (unsigned long long)si->last_seq);
    buf_append(b, line, (size_t)n);
    return true;
}

/* Sorted "subject msgs first last;" list of <s>. */
static char *subjects_of(struct store *s)
{
    struct buf b;
    buf_init(&b);
    store_subjects(s, NULL, 0, collect, &b);
    buf_append(&b, "", 1);
    char *out = strdup(b.data);
    buf_deinit(&b);
    /* Order is unspecified: sort the entries (bubble sort; few subjects). */
    size_t n = 0;
    static char *parts[2048];
    for (char *p = strtok(out, ";"); p && n < 2048; p = strtok(NULL, ";"))
        parts[n++] = p;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(parts[j], parts[i]) < 0) {
                char *t = parts[i];
                parts[i] = parts[j];
                parts[j] = t;
            }
    struct buf s2;
    buf_init(&s2);
    for (size_t i = 0; i < n; i++) {
        buf_append(&s2, parts[i], strlen(parts[i]));
        buf_append(&s2, ";", 1);
    }
    buf_append(&s2, "", 1);
    free(out);
    out = strdup(s2.data);
    buf_deinit(&s2);
    return out;
}

/* The file store serves exactly what its twin does. */
static void same(struct fx *f)
{
    struct store_state a = tu_state(f->s), b = tu_state(f->m);
    assert_int_equal(a.msgs, b.msgs);
    assert_int_equal(a.first_seq, b.first_seq);
    assert_int_equal(a.last_seq, b.last_seq);
    assert_int_equal(a.first_ts, b.first_ts);
    assert_int_equal(a.num_subjects, b.num_subjects);
    assert_int_equal(a.num_deleted, b.num_deleted);
    char *x = subjects_of(f->s), *y = subjects_of(f->m);
    assert_string_equal(x, y);
    free(x);
    free(y);
    for (uint64_t q = 1; q <= b.last_seq + 1; q++) {
        struct store_msg m1, m2;
        int r1 = store_load(f->s, q, &m1, &f->b1), r2 = store_load(f->m, q, &m2, &f->b2);
        assert_int_equal(r1, r2);
        if (r1 == 0) {
            assert_int_equal(m1.ts, m2.ts);
            assert_int_equal(m1.data_len, m2.data_len);
            assert_memory_equal(m1.subj, m2.subj, m1.subj_len);
        }
    }
    /* Subject chains: last, next and counts per subject. */
    for (int k = 0; k < 8; k++) {
        char subj[16];
        snprintf(subj, sizeof(subj), "z.%d", k);
        struct store_msg m1, m2;
        int r1 = store_load_last(f->s, subj, strlen(subj), &m1, &f->b1);
        int r2 = store_load_last(f->m, subj, strlen(subj), &m2, &f->b2);
        assert_int_equal(r1, r2);
        if (r1 == 0)
            assert_int_equal(m1.seq, m2.seq);
        for (uint64_t q = 1; q <= b.last_seq + 1; q += 7)
            assert_int_equal(store_count_from(f->s, q, subj, strlen(subj)),
                             store_count_from(f->m, q, subj, strlen(subj)));
        uint64_t q = 0;
        while ((r1 = store_load_next(f->s, q, subj, strlen(subj), &m1, &f->b1)) == 0) {
            assert_int_equal(store_load_next(f->m, q, subj, strlen(subj), &m2, &f->b2), 0);
            assert_int_equal(m1.seq, m2.seq);
            q = m1.seq + 1;
        }
        assert_int_equal(store_load_next(f->m, q, subj, strlen(subj), &m2, &f->b2), r1);
    }
}

static void reopen(struct fx *f, bool crash)
{
    crash ? store__abandon(f->s) : store_close(f->s);
    f->s = tu_open_cfg(&f->cfg);
}

static struct store_recovery_info ri_of(struct fx *f)
{
    struct store_recovery_info ri;
    store_recovery_info_get(f->s, &ri);
    return ri;
}

static void test_lazy_open_loads_nothing(void **state)
{
    struct fx *f = *state;
    for (uint64_t i = 1; i <= 400; i++)
        put2(f, i, 5);
    reopen(f, false);
    struct store_recovery_info ri = ri_of(f);
    assert_true(ri.used_summaries);
    assert_int_equal(ri.blocks_scanned, 0);
    size_t runs = f->s->idx.nlazy;
    assert_true(runs >= 10);
    assert_int_equal(f->s->idx.count, 0); /* no entry materialised */
    struct store_state st = tu_state(f->s);
    assert_int_equal(st.msgs, 400);
    assert_int_equal(st.first_ts, 1);
    assert_int_equal(st.num_subjects, 5);
    assert_int_equal(f->s->idx.count, 0); /* state needs no entry either */
    struct store_msg m;
    assert_int_equal(store_load(f->s, 200, &m, &f->b1), 0);
    assert_int_equal(f->s->idx.nlazy, runs - 1); /* only that block */
    same(f);
    assert_int_equal(f->s->idx.nlazy, 0);
    /* A copied store keeps its summaries. */
    store_close(f->s);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "cp -r %s %s.cp && rm -rf %s && mv %s.cp %s", f->dir, f->dir, f->dir,
             f->dir, f->dir);
    assert_int_equal(system(cmd), 0);
    f->s = tu_open_cfg(&f->cfg);
    assert_true(ri_of(f).used_summaries);
    same(f);
}

static void test_lazy_crash_scans_tail_only(void **state)
{
    struct fx *f = *state;
    for (uint64_t i = 1; i <= 400; i++) {
        put2(f, i, 3);
        if (i % 16 == 0)
            assert_int_equal(store_sync(f->s), 0); /* sealed blocks get summaries */
    }
    /* A summary is written by the first call after the sync that made its
     * block durable. */
    put2(f, 401, 3);
    reopen(f, true);
    struct store_recovery_info ri = ri_of(f);
    assert_false(ri.used_summaries);
    assert_int_equal(ri.blocks_scanned, 1);
    assert_true(ri.blocks > 10);
    same(f);
    /* Appending after the crash and crashing again. */
    for (uint64_t i = 402; i <= 500; i++)
        put2(f, i, 3);
    reopen(f, true);
    same(f);
    reopen(f, false);
    assert_true(ri_of(f).used_summaries);
    same(f);
}

/* Removals of every kind after the summaries were written, then kill -9. */
static void test_lazy_removals_survive_crash(void **state)
{
    struct fx *f = *state;
    for (uint64_t i = 1; i <= 500; i++)
        put2(f, i, 7);
    for (int round = 0; round < 2; round++) {
        reopen(f, false);
        assert_true(ri_of(f).used_summaries);
        uint64_t base = round ? 100 : 0;
        rm2(f, base + 77, false);
        rm2(f, base + 211, false);
        rm2(f, base + 330, round == 1);
        uint64_t n1, n2;
        assert_int_equal(store_purge(f->s, "z.3", 3, 0, 2, &n1), 0);
        assert_int_equal(store_purge(f->m, "z.3", 3, 0, 2, &n2), 0);
        assert_int_equal(n1, n2);
        assert_int_equal(store_purge(f->s, NULL, 0, base + 40, 0, &n1), 0);
        assert_int_equal(store_purge(f->m, NULL, 0, base + 40, 0, &n2), 0);
        assert_int_equal(n1, n2);
        struct store_limits l = tu_nolimits();
        l.max_msgs_per_subject = 40 - round * 10;
        store_set_limits(f->s, &l);
        store_set_limits(f->m, &l);
        f->cfg.limits = l;
        reopen(f, true);
        same(f);
        reopen(f, true); /* a second crash with nothing in between */
        same(f);
    }
}

static void test_lazy_erase_forgets_summary(void **state)
{
    struct fx *f = *state;
    for (uint64_t i = 1; i <= 300; i++)
        put2(f, i, 4);
    reopen(f, false);
    struct stat st;
    char path[128];
    snprintf(path, sizeof(path), "%s/2.idx", f->dir);
    assert_int_equal(stat(path, &st), 0);
    uint64_t seq = 0;
    for (uint64_t q = 1; q <= 300 && seq == 0; q++)
        if ((store__seqidx_get(&f->s->idx, q)->loc >> 32) == 2)
            seq = q;
    assert_true(seq > 0);
    rm2(f, seq, true);
    assert_int_not_equal(stat(path, &st), 0); /* gone before the record changed */
    reopen(f, true);
    same(f);
}

/* The tail a summary saw is lost (its creation never reached the disk):
 * the block before it must not take records that summary would count as
 * older than itself. */
static void test_lazy_lost_tail(void **state)
{
    struct fx *f = *state;
    char path[400];
    for (uint64_t i = 1; i <= 300; i++) {
        put2(f, i, 3);
        if (i % 10 == 0)
            assert_int_equal(store_sync(f->s), 0);
    }
    /* A message that does not fit starts a new block, leaving room for a
     * few records in the one before. */
    uint64_t room = 0, seq;
    for (uint64_t i = 1000; room < 100; i++) {
        uint32_t n;
        for (n = 1;; n++) {
            snprintf(path, sizeof(path), "%s/%u.blk", f->dir, n + 1);
            if (access(path, F_OK) != 0)
                break;
        }
        snprintf(path, sizeof(path), "%s/%u.blk", f->dir, n);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        room = 4096 - (uint64_t)st.st_size;
        if (room < 100)
            put2(f, i, 3);
    }
    static char big[4096];
    assert_int_equal(store_append(f->s, "big", 3, NULL, 0, big, room, 1, &seq), 0);
    assert_int_equal(store_append(f->m, "big", 3, NULL, 0, big, room, 1, &seq), 0);
    /* Block 2 is summarised again while that new block is the tail. */
    uint64_t x = 0, y = 0;
    for (uint64_t q = 1; q <= 300 && y == 0; q++)
        if ((store__seqidx_get(&f->s->idx, q)->loc >> 32) == 2)
            *(x ? &y : &x) = q;
    assert_int_equal(store_remove(f->s, x, true), 0);
    assert_int_equal(store_sync(f->s), 0);
    put2(f, 2000, 3);
    snprintf(path, sizeof(path), "%s/2.idx", f->dir);
    assert_int_equal(access(path, F_OK), 0);
    uint32_t last;
    for (last = 1;; last++) {
        snprintf(path, sizeof(path), "%s/%u.blk", f->dir, last + 1);
        if (access(path, F_OK) != 0)
            break;
    }
    store__abandon(f->s);
    snprintf(path, sizeof(path), "rm -f %s/%u.blk %s/%u.idx", f->dir, last, f->dir, last);
    assert_int_equal(system(path), 0);
    f->s = tu_open_cfg(&f->cfg);
    uint64_t msgs = tu_state(f->s).msgs;

    assert_int_equal(store_remove(f->s, y, false), 0);
    reopen(f, true);
    struct store_msg m;
    assert_int_equal(store_load(f->s, y, &m, &f->b1), ERR_NOTFOUND);
    assert_int_equal(tu_state(f->s).msgs, msgs - 1);
}

/* Many subjects, one message each kept (KV): updates delete the previous
 * one everywhere in the store. */
static void test_lazy_kv_history(void **state)
{
    struct fx *f = *state;
    struct store_limits l = tu_nolimits();
    l.max_msgs_per_subject = 1;
    f->cfg.limits = f->mcfg.limits = l;
    store_destroy(f->s);
    store_destroy(f->m);
    f->s = tu_open_cfg(&f->cfg);
    f->m = tu_open_cfg(&f->mcfg);
    uint64_t x = 88172645463325252ull;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 300; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            put2(f, x % 1000, 300);
            if (i % 50 == 0)
                assert_int_equal(store_sync(f->s), 0);
        }
        reopen(f, round % 2);
        same(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lazy_open_loads_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lazy_crash_scans_tail_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lazy_removals_survive_crash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lazy_erase_forgets_summary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lazy_lost_tail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lazy_kv_history, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
