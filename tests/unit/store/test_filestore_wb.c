/* File store write-behind (filestore/wbuf.c): appends wait in memory until
 * store_flush, a mutating call, a sealed tail or a clean close; loads see
 * buffered messages, store_sync covers only flushed ones, kill -9
 * (store__abandon) loses only what was never flushed. Disk space is
 * reserved at append time and given back when a block is sealed; injected
 * write and flush faults and a real full tmpfs leave a consistent store.
 */
#include "store/store_int.h"
#include "store_test_util.h"

#include <errno.h>
#include <sys/mount.h>
#include <sys/stat.h>

struct fault {
    int write_err; /* returned for STORE__FAULT_WRITE, 0 = none */
    int flush_err; /* returned for STORE__FAULT_FLUSH */
};

static int fault_cb(void *arg, enum store__fault_op op)
{
    struct fault *f = arg;
    if (op == STORE__FAULT_WRITE)
        return f->write_err;
    if (op == STORE__FAULT_FLUSH)
        return f->flush_err;
    return 0;
}

static struct store *open_wb(const char *dir, size_t block_size)
{
    struct store_config cfg = {.kind = STORE_FILE,
                               .dir = dir,
                               .limits = tu_nolimits(),
                               .block_size = block_size,
                               .write_behind = true};
    return tu_open_cfg(&cfg);
}

/* Creates a temporary <dir> (64 bytes) with a write-behind store in it. */
static struct store *start(char *dir, size_t block_size)
{
    tu_mkdtemp(dir);
    return open_wb(dir, block_size);
}

/* kill -9 and reopen: recovery must find no torn bytes. */
static struct store *crash_reopen(struct store *s, const char *dir, size_t block_size)
{
    store__abandon(s);
    s = open_wb(dir, block_size);
    struct store_recovery_info ri;
    store_recovery_info_get(s, &ri);
    assert_int_equal(ri.truncated_bytes, 0);
    return s;
}

/* Deletes the store's files, then anything left in <dir>. */
static void finish(struct store *s, const char *dir)
{
    store_destroy(s);
    tu_rmrf(dir);
}

static void expect_state(struct store *s, uint64_t last_seq, uint64_t msgs)
{
    assert_int_equal(tu_state(s).last_seq, last_seq);
    assert_int_equal(tu_state(s).msgs, msgs);
}

/* Payload of message <i>: "m<i>:" then letters, <n> bytes in all. */
static void payload(char *p, uint64_t i, size_t n)
{
    int l = snprintf(p, n, "m%llu:", (unsigned long long)i);
    for (size_t k = (size_t)l; k < n; k++)
        p[k] = (char)('a' + (i + k) % 26);
}

/* Appends message <i> (<n>-byte payload); returns store_append's result. */
static int put_rc(struct store *s, uint64_t i, size_t n)
{
    char subj[16], data[2048];
    snprintf(subj, sizeof(subj), "wb.%llu", (unsigned long long)(i % 5));
    payload(data, i, n);
    uint64_t q = 0;
    int rc = store_append(s, subj, strlen(subj), NULL, 0, data, n, (int64_t)i, &q);
    if (rc == 0)
        assert_int_equal(q, i);
    return rc;
}

static void put(struct store *s, uint64_t i, size_t n)
{
    assert_int_equal(put_rc(s, i, n), 0);
}

/* Loads message <i> and checks it against put() (<n> 0: it must be gone). */
static void check(struct store *s, uint64_t i, size_t n, struct buf *b)
{
    struct store_msg m;
    char subj[16], want[2048];
    assert_int_equal(store_load(s, i, &m, b), n ? 0 : ERR_NOTFOUND);
    if (n == 0)
        return;
    assert_int_equal(m.seq, i);
    assert_int_equal(m.ts, (int64_t)i);
    snprintf(subj, sizeof(subj), "wb.%llu", (unsigned long long)(i % 5));
    assert_int_equal(m.subj_len, strlen(subj));
    assert_memory_equal(m.subj, subj, m.subj_len);
    assert_int_equal(m.data_len, n);
    payload(want, i, n);
    assert_memory_equal(m.data, want, n);
}

static void check_range(struct store *s, uint64_t lo, uint64_t hi, size_t n)
{
    struct buf b;
    buf_init(&b);
    for (uint64_t i = lo; i <= hi; i++)
        check(s, i, n, &b);
    buf_deinit(&b);
}

/* stat of <dir>/<num>.blk: 0 or -1 when it does not exist. */
static int blk_stat(const char *dir, int num, struct stat *st)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%d.blk", dir, num);
    return stat(path, st);
}

static uint64_t blk_size(const char *dir, int num)
{
    struct stat st;
    return blk_stat(dir, num, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* No disk space held past the end of the file (beyond a page). */
static void expect_no_resv(const struct stat *st)
{
    uint64_t rounded = ((uint64_t)st->st_size + 4095) / 4096 * 4096;
    assert_true((uint64_t)st->st_blocks * 512 <= rounded);
}

static void test_wb_buffered_loads(void **state)
{
    char dir[64];
    struct store *s = start(dir, 0);
    for (uint64_t i = 1; i <= 10; i++)
        put(s, i, 100);
    uint64_t before = blk_size(dir, 1);
    check_range(s, 1, 10, 100); /* served from the buffer */
    struct store_msg m;
    struct buf b;
    buf_init(&b);
    assert_int_equal(store_load_next(s, 4, "wb.2", 4, &m, &b), 0);
    assert_int_equal(m.seq, 7);
    assert_int_equal(store_load_last(s, "wb.*", 4, &m, &b), 0);
    assert_int_equal(m.seq, 10);
    assert_int_equal(store_flush(s), 0);
    uint64_t after = blk_size(dir, 1);
    assert_true(before < after);
    assert_true(after >= 10 * 100);
    check_range(s, 1, 10, 100);
    assert_int_equal(store_load_last(s, "wb.0", 4, &m, &b), 0);
    assert_int_equal(m.seq, 10);
    buf_deinit(&b);
    finish(s, dir);
}

static void test_wb_sync_covers_flushed(void **state)
{
    char dir[64];
    struct store *s = start(dir, 0);
    for (uint64_t i = 1; i <= 5; i++)
        put(s, i, 50);
    assert_int_equal(store_sync(s), 0);
    assert_int_equal(store_synced_seq(s), 0); /* nothing flushed yet */
    assert_int_equal(store_flush(s), 0);
    assert_int_equal(store_sync(s), 0);
    assert_int_equal(store_synced_seq(s), 5);
    for (uint64_t i = 6; i <= 10; i++)
        put(s, i, 50);
    assert_int_equal(store_sync(s), 0);
    assert_int_equal(store_synced_seq(s), 5);
    assert_int_equal(store_flush(s), 0);
    assert_int_equal(store_synced_seq(s), 5); /* written, not yet synced */
    assert_int_equal(store_sync(s), 0);
    assert_int_equal(store_synced_seq(s), 10);
    finish(s, dir);
}

static void test_wb_crash_loses_unflushed(void **state)
{
    char dir[64];
    struct store *s = start(dir, 0);
    for (uint64_t i = 1; i <= 20; i++)
        put(s, i, 120);
    assert_int_equal(store_flush(s), 0);
    for (uint64_t i = 21; i <= 30; i++)
        put(s, i, 120);
    assert_int_equal(tu_state(s).last_seq, 30);
    s = crash_reopen(s, dir, 0);
    expect_state(s, 20, 20);
    check_range(s, 1, 20, 120);
    check_range(s, 21, 21, 0);
    /* What the crash left reserved goes at the next clean close. */
    store_close(s);
    struct stat st;
    assert_int_equal(blk_stat(dir, 1, &st), 0);
    expect_no_resv(&st);
    s = open_wb(dir, 0);
    put(s, 21, 300); /* the sequence is given out again, with new bytes */
    check_range(s, 21, 21, 300);
    store_close(s);
    s = open_wb(dir, 0);
    check_range(s, 1, 20, 120);
    check_range(s, 21, 21, 300);
    finish(s, dir);
}

static void test_wb_clean_close_keeps_all(void **state)
{
    char dir[64];
    struct store *s = start(dir, 0);
    for (uint64_t i = 1; i <= 30; i++)
        put(s, i, 200);
    store_close(s); /* never flushed */
    struct stat st;
    assert_int_equal(blk_stat(dir, 1, &st), 0);
    assert_true((uint64_t)st.st_size >= 30 * 200);
    expect_no_resv(&st); /* a clean close gives the tail's reservation back */
    s = open_wb(dir, 0);
    expect_state(s, 30, 30);
    check_range(s, 1, 30, 200);
    finish(s, dir);
}

static void test_wb_sealed_blocks_complete(void **state)
{
    char dir[64];
    struct store *s = start(dir, 1024);
    const uint32_t rec = 36 + 4 + 100 + 8; /* header, "wb.N", payload, checksum */
    for (uint64_t i = 1; i <= 60; i++)
        put(s, i, 100); /* 6 records a block: 10 blocks, never flushed */
    int tail = 1;
    struct stat st;
    while (blk_stat(dir, tail + 1, &st) == 0)
        tail++;
    assert_true(tail >= 9);
    for (int n = 1; n < tail; n++) {
        assert_int_equal(blk_stat(dir, n, &st), 0);
        assert_true(st.st_size > 1024 - rec && st.st_size <= 1024); /* all of it */
        expect_no_resv(&st);
    }
    assert_int_equal(blk_stat(dir, tail, &st), 0);
    /* The tail is reserved up to the block size (not 1 MiB past it). */
    assert_true((uint64_t)st.st_blocks * 512 >= 1024);
    assert_true((uint64_t)st.st_blocks * 512 < ((uint64_t)64 << 10));
    s = crash_reopen(s, dir, 1024);
    uint64_t last = tu_state(s).last_seq;
    assert_true(last >= 60 - 1024 / rec && last < 60); /* only the tail's buffer lost */
    expect_state(s, last, last);
    check_range(s, 1, last, 100);
    finish(s, dir);
}

static size_t seq_size(uint64_t i)
{
    return 60 + (size_t)(i * 37 % 200);
}

static void test_wb_sequential_across_flush(void **state)
{
    char dir[64];
    struct store *s = start(dir, 0);
    struct buf b;
    buf_init(&b);
    for (uint64_t i = 1; i <= 300; i++) {
        put(s, i, seq_size(i));
        if (i == 150)
            assert_int_equal(store_flush(s), 0);
    }
    for (int pass = 0; pass < 2; pass++) {
        /* In order over the flushed/buffered boundary, then again after
         * the rest is flushed under a window that ended at the old EOF. */
        for (uint64_t i = 1; i <= 300; i++)
            check(s, i, seq_size(i), &b);
        assert_int_equal(store_flush(s), 0);
    }
    for (uint64_t i = 301; i <= 340; i++) { /* following a buffered tail */
        put(s, i, seq_size(i));
        check(s, i - 1, seq_size(i - 1), &b);
        check(s, i, seq_size(i), &b);
    }
    struct store_msg m;
    for (uint64_t i = 1; i <= 340; i++) {
        assert_int_equal(store_load_next(s, i, NULL, 0, &m, &b), 0);
        assert_int_equal(m.seq, i);
        assert_int_equal(m.data_len, seq_size(i));
    }
    buf_deinit(&b);
    finish(s, dir);
}

static void test_wb_write_fault(void **state)
{
    char dir[64];
    struct store *s = start(dir, 0);
    for (uint64_t i = 1; i <= 5; i++)
        put(s, i, 80);
    struct fault f = {.write_err = -ENOSPC};
    store__fault_set(s, fault_cb, &f);
    assert_int_equal(put_rc(s, 6, 80), -ENOSPC);
    expect_state(s, 5, 5);
    check_range(s, 6, 6, 0);
    f.write_err = 0;
    put(s, 6, 90);
    check_range(s, 1, 5, 80);
    check_range(s, 6, 6, 90);
    assert_int_equal(store_flush(s), 0);
    s = crash_reopen(s, dir, 0);
    expect_state(s, 6, 6);
    check_range(s, 1, 5, 80);
    check_range(s, 6, 6, 90);
    finish(s, dir);
}

static void test_wb_flush_fault(void **state)
{
    char dir[64];
    struct store *s = start(dir, 0);
    for (uint64_t i = 1; i <= 10; i++) {
        put(s, i, 70);
        if (i == 5)
            assert_int_equal(store_flush(s), 0);
    }
    struct fault f = {.flush_err = -EIO};
    store__fault_set(s, fault_cb, &f);
    assert_int_equal(store_flush(s), -EIO);
    check_range(s, 1, 10, 70); /* still buffered */
    assert_int_equal(store_sync(s), 0);
    assert_int_equal(store_synced_seq(s), 5);
    for (int k = 0; k < 2; k++) { /* each append retries the flush first */
        assert_int_equal(put_rc(s, 11, 70), -EIO);
        expect_state(s, 10, 10);
    }
    assert_int_equal(store_flush(s), -EIO);
    assert_int_equal(store_sync(s), 0);
    assert_int_equal(store_synced_seq(s), 5);
    f.flush_err = 0;
    put(s, 11, 70);
    assert_int_equal(store_flush(s), 0);
    assert_int_equal(store_sync(s), 0);
    assert_int_equal(store_synced_seq(s), 11);
    s = crash_reopen(s, dir, 0);
    expect_state(s, 11, 11);
    check_range(s, 1, 11, 70);
    finish(s, dir);
}

/* True when <dir>/1.blk contains <needle>. */
static bool blk_contains(const char *dir, const char *needle)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/1.blk", dir);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char data[1 << 16];
    size_t n = fread(data, 1, sizeof(data), fp), nl = strlen(needle);
    fclose(fp);
    for (size_t i = 0; i + nl <= n; i++)
        if (memcmp(data + i, needle, nl) == 0)
            return true;
    return false;
}

static void test_wb_erase_buffered(void **state)
{
    char dir[64];
    struct store *s = start(dir, 0);
    for (uint64_t i = 1; i <= 15; i++) {
        if (i == 13)
            assert_int_equal(store_append(s, "wb.3", 4, NULL, 0, "SECRET-SECRET", 13, 13, NULL), 0);
        else
            put(s, i, 100);
        if (i == 10)
            assert_int_equal(store_flush(s), 0);
    }
    assert_false(blk_contains(dir, "SECRET-SECRET")); /* 11..15 are buffered */
    assert_int_equal(store_remove(s, 13, true), 0);
    check_range(s, 13, 13, 0);
    check_range(s, 12, 12, 100);
    check_range(s, 14, 15, 100);
    assert_false(blk_contains(dir, "SECRET-SECRET")); /* written, then erased */
    assert_true(blk_size(dir, 1) >= 14 * 100);
    s = crash_reopen(s, dir, 0);
    check_range(s, 13, 13, 0);
    expect_state(s, 15, 14);
    check_range(s, 1, 12, 100);
    check_range(s, 14, 15, 100);
    finish(s, dir);
}

static void test_wb_remove_flushed_crash(void **state)
{
    char dir[64];
    struct store *s = start(dir, 0);
    for (uint64_t i = 1; i <= 10; i++)
        put(s, i, 100);
    assert_int_equal(store_flush(s), 0);
    assert_int_equal(store_remove(s, 4, false), 0);
    put(s, 11, 100); /* buffered: lost, the removal's record is not */
    s = crash_reopen(s, dir, 0);
    expect_state(s, 10, 9);
    check_range(s, 4, 4, 0);
    check_range(s, 1, 3, 100);
    check_range(s, 5, 10, 100);
    finish(s, dir);
}

static void test_wb_tmpfs_full(void **state)
{
    char dir[64], sub[80];
    tu_mkdtemp(dir);
    if (mount("tmpfs", dir, "tmpfs", 0, "size=256k") != 0) {
        tu_rmrf(dir);
        skip(); /* not root, or no mount namespace: the fault tests cover it */
    }
    snprintf(sub, sizeof(sub), "%s/s", dir);
    struct store *s = open_wb(sub, 64 * 1024);
    int rc = 0;
    uint64_t n = 0;
    while (rc == 0 && n < 10000) {
        rc = put_rc(s, n + 1, 1000);
        n += rc == 0;
    }
    assert_int_equal(rc, -ENOSPC);
    assert_true(n > 50);
    assert_int_equal(tu_state(s).last_seq, n);
    assert_int_equal(store_flush(s), 0); /* the space was reserved */
    assert_int_equal(store_sync(s), 0);
    assert_int_equal(store_synced_seq(s), n);
    s = crash_reopen(s, sub, 64 * 1024);
    expect_state(s, n, n);
    check_range(s, 1, n, 1000);
    store_close(s);
    assert_int_equal(umount(dir), 0);
    tu_rmrf(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wb_buffered_loads),
        cmocka_unit_test(test_wb_sync_covers_flushed),
        cmocka_unit_test(test_wb_crash_loses_unflushed),
        cmocka_unit_test(test_wb_clean_close_keeps_all),
        cmocka_unit_test(test_wb_sealed_blocks_complete),
        cmocka_unit_test(test_wb_sequential_across_flush),
        cmocka_unit_test(test_wb_write_fault),
        cmocka_unit_test(test_wb_flush_fault),
        cmocka_unit_test(test_wb_erase_buffered),
        cmocka_unit_test(test_wb_remove_flushed_crash),
        cmocka_unit_test(test_wb_tmpfs_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
