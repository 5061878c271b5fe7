/* File store recovery: torn tails cut at random offsets, random bit flips,
 * missing/corrupt/stale summaries, crashes (nothing flushed at close)
 * after removals, erases, purges and compaction. The store must open, keep
 * every record before the damage, never return damaged bytes, and count
 * exactly what it serves.
 */
#include "store/store_int.h"
#include "store_test_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <xxhash.h>

#define N_MSGS 300

struct fx {
    char dir[64];  /* the store */
    char copy[80]; /* pristine copy of the store after a clean close */
    struct store_config cfg;
    struct buf scratch;
};

static void msg_of(uint64_t seq, char *subj, char *data, size_t *dlen)
{
    snprintf(subj, 16, "r.%llu", (unsigned long long)(seq % 7));
    *dlen = (size_t)(seq * 37 % 300);
    for (size_t i = 0; i < *dlen; i++)
        data[i] = (char)('A' + (seq + i) % 23);
}

static void put(struct store *s, uint64_t want_seq)
{
    char subj[16], data[512];
    size_t dlen;
    msg_of(want_seq, subj, data, &dlen);
    uint64_t seq;
    assert_int_equal(
        store_append(s, subj, strlen(subj), NULL, 0, data, dlen, 1000 + (int64_t)want_seq, &seq),
        0);
    assert_int_equal(seq, want_seq);
}

/* 0 when <seq> is served intact, 1 when absent; fails on wrong bytes. */
static int served(struct fx *f, struct store *s, uint64_t seq)
{
    struct store_msg m;
    int rc = store_load(s, seq, &m, &f->scratch);
    if (rc == ERR_NOTFOUND)
        return 1;
    assert_int_equal(rc, 0);
    char subj[16], data[512];
    size_t dlen;
    msg_of(seq, subj, data, &dlen);
    assert_int_equal(m.subj_len, strlen(subj));
    assert_memory_equal(m.subj, subj, m.subj_len);
    assert_int_equal(m.data_len, dlen);
    if (dlen)
        assert_memory_equal(m.data, data, dlen);
    assert_int_equal(m.ts, 1000 + (int64_t)seq);
    return 0;
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
    char cmd[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    tu_mkdtemp(f->dir);
    snprintf(f->copy, sizeof(f->copy), "%s.copy", f->dir);
    f->cfg.kind = STORE_FILE;
    f->cfg.dir = f->dir;
    f->cfg.limits = tu_nolimits();
    f->cfg.block_size = 4096;
    buf_init(&f->scratch);
    struct store *s = tu_open_cfg(&f->cfg);
    for (uint64_t i = 1; i <= N_MSGS; i++)
        put(s, i);
    store_close(s);
    sh("cp -r %s %s", f->dir, f->copy);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tu_rmrf(f->dir);
    tu_rmrf(f->copy);
    buf_deinit(&f->scratch);
    free(f);
    return 0;
}

static void restore(struct fx *f)
{
    tu_rmrf(f->dir);
    sh("cp -r %s %s", f->copy, f->dir);
}

/* Record layout of block <num> in the pristine copy: offsets and seqs. */
static size_t records_of(struct fx *f, uint32_t num, uint64_t *offs, uint64_t *seqs, size_t max,
                         uint64_t *size)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%u.blk", f->copy, num);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char buf[1 << 16];
    *size = fread(buf, 1, sizeof(buf), fp);
    fclose(fp);
    size_t n = 0;
    for (uint64_t off = 0; off + 36 <= *size && n < max; n++) {
        uint32_t len;
        uint64_t seq;
        memcpy(&len, buf + off + 4, 4); /* little-endian host assumed by the test */
        memcpy(&seq, buf + off + 8, 8);
        offs[n] = off;
        seqs[n] = seq;
        off += len;
    }
    return n;
}

static uint32_t last_block(struct fx *f)
{
    uint32_t num = 1;
    char path[128];
    for (;; num++) {
        snprintf(path, sizeof(path), "%s/%u.blk", f->copy, num + 1);
        if (access(path, F_OK) != 0)
            return num;
    }
}

static void drop_summaries(struct fx *f)
{
    sh("rm -f %s/*.idx", f->dir);
}

static uint64_t count_served(struct fx *f, struct store *s, uint64_t upto)
{
    uint64_t n = 0;
    for (uint64_t q = 1; q <= upto; q++)
        n += served(f, s, q) == 0;
    return n;
}

static void test_filestore_truncated_tail(void **state)
{
    struct fx *f = *state;
    uint32_t lb = last_block(f);
    assert_true(lb >= 5);
    uint64_t offs[256], seqs[256], size;
    size_t nrec = records_of(f, lb, offs, seqs, 256, &size);
    srand(1);
    for (int it = 0; it < 30; it++) {
        restore(f);
        uint64_t cut = (uint64_t)rand() % size;
        bool keep_state = it % 2;
        char path[128];
        snprintf(path, sizeof(path), "%s/%u.blk", f->dir, lb);
        assert_int_equal(truncate(path, (off_t)cut), 0);
        if (!keep_state)
            sh("rm -f %s/state.dat", f->dir);
        if (it % 3 == 0)
            drop_summaries(f); /* else the summary's size check must reject it */
        size_t kept = 0;       /* records wholly before the cut */
        while (kept < nrec && (kept + 1 < nrec ? offs[kept + 1] : size) <= cut)
            kept++;
        uint64_t last_kept = kept ? seqs[kept - 1] : seqs[0] - 1;
        struct store *s = tu_open_cfg(&f->cfg);
        struct store_recovery_info ri;
        store_recovery_info_get(s, &ri);
        assert_false(ri.used_summaries);
        assert_int_equal(ri.truncated_bytes, cut - offs[kept]);
        for (uint64_t q = 1; q <= N_MSGS; q++)
            assert_int_equal(served(f, s, q), q > last_kept);
        struct store_state st = tu_state(s);
        assert_int_equal(st.msgs, last_kept);
        assert_int_equal(st.last_seq, keep_state ? N_MSGS : last_kept);
        put(s, st.last_seq + 1);
        store_close(s);
        s = tu_open_cfg(&f->cfg);
        store_recovery_info_get(s, &ri);
        assert_true(ri.used_summaries);
        assert_int_equal(tu_state(s).msgs, last_kept + 1);
        store_close(s);
    }
}

static void test_filestore_bit_flips(void **state)
{
    struct fx *f = *state;
    uint32_t lb = last_block(f);
    srand(2);
    for (int it = 0; it < 40; it++) {
        restore(f);
        uint32_t num = 1 + (uint32_t)rand() % lb;
        uint64_t offs[256], seqs[256], size;
        size_t nrec = records_of(f, num, offs, seqs, 256, &size);
        uint64_t pos = (uint64_t)rand() % size;
        size_t hit = 0;
        while (hit + 1 < nrec && offs[hit + 1] <= pos)
            hit++;
        char path[128];
        snprintf(path, sizeof(path), "%s/%u.blk", f->dir, num);
        int fd = open(path, O_RDWR);
        unsigned char c;
        assert_int_equal(pread(fd, &c, 1, (off_t)pos), 1);
        c ^= (unsigned char)(1u << (rand() % 8));
        assert_int_equal(pwrite(fd, &c, 1, (off_t)pos), 1);
        close(fd);
        drop_summaries(f);
        struct store *s = tu_open_cfg(&f->cfg);
        uint64_t damaged = seqs[hit];
        uint64_t next_block_first = num < lb ? seqs[nrec - 1] + 1 : N_MSGS + 1;
        for (uint64_t q = 1; q <= N_MSGS; q++) {
            int absent = served(f, s, q);
            if (q < damaged || q >= next_block_first)
                assert_int_equal(absent, 0); /* before the damage, or another file */
            if (q == damaged)
                assert_int_equal(absent, 1);
        }
        struct store_state st = tu_state(s);
        assert_int_equal(st.msgs, count_served(f, s, N_MSGS));
        assert_int_equal(st.last_seq, N_MSGS);
        store_close(s);
    }
}

static void test_filestore_summaries(void **state)
{
    struct fx *f = *state;
    struct store_recovery_info ri;
    struct store *s = tu_open_cfg(&f->cfg);
    store_recovery_info_get(s, &ri);
    assert_true(ri.used_summaries);
    assert_int_equal(ri.records, N_MSGS);
    assert_int_equal(ri.blocks, last_block(f));
    assert_int_equal(count_served(f, s, N_MSGS), N_MSGS);
    assert_int_equal(ri.blocks_scanned, 0);
    /* Summaries stay while the store is open: removals made since are
     * replayed from their DEL/FLOOR records after a crash. */
    char path[128];
    snprintf(path, sizeof(path), "%s/1.idx", f->dir);
    assert_int_equal(access(path, F_OK), 0);
    store_close(s);

    /* One missing summary: only that block is scanned. */
    restore(f);
    snprintf(path, sizeof(path), "%s/2.idx", f->dir);
    assert_int_equal(unlink(path), 0);
    s = tu_open_cfg(&f->cfg);
    store_recovery_info_get(s, &ri);
    assert_false(ri.used_summaries);
    assert_int_equal(ri.blocks_scanned, 1);
    assert_int_equal(count_served(f, s, N_MSGS), N_MSGS);
    store_close(s);

    /* A corrupt summary, and a stale one (its block grew since). */
    for (int k = 0; k < 2; k++) {
        restore(f);
        snprintf(path, sizeof(path), "%s/%s", f->dir, k ? "1.blk" : "3.idx");
        int fd = open(path, O_RDWR);
        char junk[7] = "garbage";
        if (k)
            assert_int_equal(pwrite(fd, junk, sizeof(junk), lseek(fd, 0, SEEK_END)), 7);
        else
            assert_int_equal(pwrite(fd, junk, 1, 100), 1);
        close(fd);
        s = tu_open_cfg(&f->cfg);
        store_recovery_info_get(s, &ri);
        assert_false(ri.used_summaries);
        assert_int_equal(ri.truncated_bytes, k ? 7 : 0);
        assert_int_equal(count_served(f, s, N_MSGS), N_MSGS);
        assert_int_equal(tu_state(s).msgs, N_MSGS);
        store_close(s);
    }
}

/* True if <needle> occurs in any block file of <dir>. */
static bool in_blocks(const char *dir, const char *needle)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "cat %s/*.blk | grep -q -a '%s'", dir, needle);
    return system(cmd) == 0;
}

static void test_filestore_crash_keeps_removals(void **state)
{
    struct fx *f = *state;
    struct store *s = tu_open_cfg(&f->cfg);
    const char *secret = "TOPSECRETPAYLOAD";
    uint64_t sseq;
    assert_int_equal(store_append(s, "sec", 3, NULL, 0, secret, strlen(secret), 5, &sseq), 0);
    put(s, sseq + 1);
    assert_true(in_blocks(f->dir, secret));
    assert_int_equal(store_remove(s, sseq, true), 0);
    assert_false(in_blocks(f->dir, secret));
    assert_int_equal(store_remove(s, 10, false), 0);
    assert_int_equal(store_remove(s, 11, true), 0);
    uint64_t n;
    assert_int_equal(store_purge(s, "r.3", 3, 0, 0, &n), 0);
    assert_int_equal(store_purge(s, NULL, 0, 40, 0, &n), 0);
    struct store_state before = tu_state(s);
    store__abandon(s); /* kill -9: nothing flushed or summarised */
    s = tu_open_cfg(&f->cfg);
    struct store_state after = tu_state(s);
    assert_int_equal(after.msgs, before.msgs);
    assert_int_equal(after.first_seq, before.first_seq);
    assert_int_equal(after.last_seq, before.last_seq);
    assert_int_equal(after.num_deleted, before.num_deleted);
    assert_int_equal(after.bytes, before.bytes);
    for (uint64_t q = 1; q <= N_MSGS; q++)
        assert_int_equal(served(f, s, q), q < 40 || q == 10 || q == 11 || q % 7 == 3);
    assert_int_equal(store_count_from(s, 0, "r.3", 3), 0);
    store_close(s);
}

static void test_filestore_purged_state_survives(void **state)
{
    struct fx *f = *state;
    for (int crash = 0; crash < 2; crash++) {
        restore(f);
        struct store *s = tu_open_cfg(&f->cfg);
        uint64_t n;
        assert_int_equal(store_purge(s, NULL, 0, 0, 0, &n), 0);
        assert_int_equal(n, N_MSGS);
        crash ? store__abandon(s) : store_close(s);
        s = tu_open_cfg(&f->cfg);
        struct store_state st = tu_state(s);
        assert_int_equal(st.msgs, 0);
        assert_int_equal(st.first_seq, N_MSGS + 1);
        assert_int_equal(st.last_seq, N_MSGS);
        assert_int_equal(st.last_ts, 1000 + N_MSGS);
        assert_int_equal(store_purge(s, NULL, 0, 1000, 0, &n), 0);
        crash ? store__abandon(s) : store_close(s);
        s = tu_open_cfg(&f->cfg);
        st = tu_state(s);
        assert_int_equal(st.first_seq, 1000);
        assert_int_equal(st.last_seq, 999);
        put(s, 1000);
        store_close(s);
    }
}

/* A purge that wrote state.dat but crashed before unlinking its blocks. */
static void test_filestore_floor_from_state(void **state)
{
    struct fx *f = *state;
    char st[40], path[128];
    memcpy(st, "GNSTATE1", 8);
    uint64_t v[3] = {N_MSGS + 1, N_MSGS, 77}; /* floor, last_seq, last_ts (LE host) */
    memcpy(st + 8, v, sizeof(v));
    uint64_t sum = XXH3_64bits(st, 32);
    memcpy(st + 32, &sum, 8);
    snprintf(path, sizeof(path), "%s/state.dat", f->dir);
    FILE *fp = fopen(path, "wb");
    assert_int_equal(fwrite(st, 1, sizeof(st), fp), sizeof(st));
    fclose(fp);
    drop_summaries(f);
    struct store *s = tu_open_cfg(&f->cfg);
    struct store_state ss = tu_state(s);
    assert_int_equal(ss.msgs, 0);
    assert_int_equal(ss.first_seq, N_MSGS + 1);
    assert_int_equal(ss.last_ts, 1000 + N_MSGS); /* the record wins a tie */
    assert_int_equal(count_served(f, s, N_MSGS), 0);
    /* Every block but the tail is gone already. */
    snprintf(path, sizeof(path), "%s/1.blk", f->dir);
    assert_int_not_equal(access(path, F_OK), 0);
    store__abandon(s);
    s = tu_open_cfg(&f->cfg);
    assert_int_equal(tu_state(s).first_seq, N_MSGS + 1);
    assert_int_equal(tu_state(s).last_seq, N_MSGS);
    store_close(s);
}

static uint64_t dir_bytes(const char *dir)
{
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "cat %s/*.blk 2>/dev/null | wc -c", dir);
    FILE *p = popen(cmd, "r");
    unsigned long long n = 0;
    assert_int_equal(fscanf(p, "%llu", &n), 1);
    pclose(p);
    return n;
}

static void test_filestore_compaction(void **state)
{
    struct fx *f = *state;
    struct store *s = tu_open_cfg(&f->cfg);
    uint64_t full = dir_bytes(f->dir);
    for (uint64_t q = 1; q <= N_MSGS; q++)
        if (q % 10 != 0)
            assert_int_equal(store_remove(s, q, false), 0);
    uint64_t after = dir_bytes(f->dir);
    assert_true(after < full / 3);
    for (int crash = 0; crash < 2; crash++) {
        crash ? store__abandon(s) : store_close(s);
        s = tu_open_cfg(&f->cfg);
        for (uint64_t q = 1; q <= N_MSGS; q++)
            assert_int_equal(served(f, s, q), q % 10 != 0);
        assert_int_equal(tu_state(s).msgs, N_MSGS / 10);
        assert_int_equal(tu_state(s).first_seq, 10);
    }
    store_close(s);
}

static void test_filestore_dir_handling(void **state)
{
    struct fx *f = *state;
    struct store *s = tu_open_cfg(&f->cfg);
    struct store *s2 = NULL;
    struct errbuf eb = {{0}};
    assert_int_equal(store_open(&f->cfg, &s2, &eb), ERR_EXISTS);
    assert_null(s2);
    store_close(s);
    /* Leftovers of an interrupted compaction go; unknown files stay. */
    sh("touch %s/7.blk.tmp %s/notes.txt", f->dir, f->dir);
    sh("mv %s/notes.txt %s/0.blk", f->dir, f->dir);
    s = tu_open_cfg(&f->cfg);
    char path[128];
    snprintf(path, sizeof(path), "%s/7.blk.tmp", f->dir);
    assert_int_not_equal(access(path, F_OK), 0);
    assert_int_equal(count_served(f, s, N_MSGS), N_MSGS);
    store_destroy(s);
    assert_int_equal(access(f->dir, F_OK), 0); /* 0.blk is not ours: kept */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_filestore_truncated_tail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filestore_bit_flips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filestore_summaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filestore_crash_keeps_removals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filestore_purged_state_survives, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filestore_compaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filestore_floor_from_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filestore_dir_handling, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
