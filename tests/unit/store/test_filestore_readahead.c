/* File store read-ahead window (filestore/readahead.c): sequential loads are
 * served from a few window reads, and nothing stale is served after the
 * window's block is erased into, compacted or deleted; records straddling
 * a window's end and records larger than a window load correctly.
 */
#include "store/filestore/fs_int.h"
#include "store_test_util.h"

#include <sys/stat.h>

struct fx {
    char dir[64];
    struct store_config cfg;
    struct store *s;
    struct buf b;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    tu_mkdtemp(f->dir);
    f->cfg.kind = STORE_FILE;
    f->cfg.dir = f->dir;
    f->cfg.limits = tu_nolimits();
    f->cfg.block_size = (size_t)1 << 20;
    buf_init(&f->b);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    if (f->s)
        store_destroy(f->s);
    tu_rmrf(f->dir);
    buf_deinit(&f->b);
    free(f);
    return 0;
}

static void fill(char *p, uint64_t i, size_t n)
{
    for (size_t k = 0; k < n; k++)
        p[k] = (char)('a' + (i + k) % 26);
}

/* Appends message <i> with an <n>-byte payload; it must get sequence <i>. */
static void put(struct store *s, uint64_t i, size_t n)
{
    char subj[32];
    snprintf(subj, sizeof(subj), "ra.%llu", (unsigned long long)(i % 7));
    char *data = malloc(n + 1);
    fill(data, i, n);
    uint64_t q = 0;
    assert_int_equal(store_append(s, subj, strlen(subj), NULL, 0, data, n, (int64_t)i, &q), 0);
    assert_int_equal(q, i);
    free(data);
}

/* Loads message <i> and checks it against what put() wrote. */
static void check(struct fx *f, uint64_t i, size_t n)
{
    struct store_msg m;
    assert_int_equal(store_load(f->s, i, &m, &f->b), 0);
    assert_int_equal(m.seq, i);
    char subj[32];
    snprintf(subj, sizeof(subj), "ra.%llu", (unsigned long long)(i % 7));
    assert_int_equal(m.subj_len, strlen(subj));
    assert_memory_equal(m.subj, subj, m.subj_len);
    assert_int_equal(m.ts, (int64_t)i);
    assert_int_equal(m.data_len, n);
    char *want = malloc(n + 1);
    fill(want, i, n);
    assert_memory_equal(m.data, want, n);
    free(want);
}

static size_t size_of(uint64_t i)
{
    return 150 + (size_t)(i * 37 % 120);
}

static uint32_t blk_of(struct store *s, uint64_t seq)
{
    return (uint32_t)(store__seqidx_get(&s->idx, seq)->loc >> 32);
}

static bool file_exists(struct fx *f, const char *name)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", f->dir, name);
    struct stat st;
    return stat(path, &st) == 0;
}

static void test_ra_sequential_windows(void **state)
{
    struct fx *f = *state;
    f->s = tu_open_cfg(&f->cfg);
    struct fs *fs = fs_of(f->s);
    /* Following the tail as it grows keeps the window at its smallest. */
    for (uint64_t i = 1; i <= 200; i++) {
        put(f->s, i, size_of(i));
        check(f, i, size_of(i));
    }
    assert_int_equal(fs->ra.cap, FS_RA_MIN);
    const uint64_t n = 4000; /* ~1 MB: several windows, two blocks */
    for (uint64_t i = 201; i <= n; i++)
        put(f->s, i, size_of(i));
    for (uint64_t i = 1; i <= n; i++)
        check(f, i, size_of(i));
    uint64_t fills = fs->ra.fills;
    assert_true(fills >= 6 && fills <= 215); /* 199 while following the tail */
    assert_int_equal(fs->ra.cap, FS_RA_WINDOW);
    fills = 0;
    for (uint64_t i = 1; i <= n; i++) { /* a second pass: not one read per message */
        uint64_t before = fs->ra.fills;
        check(f, i, size_of(i));
        fills += fs->ra.fills - before;
    }
    assert_true(fills >= 6 && fills <= 12);
    fills = fs->ra.fills;
    for (uint64_t i = n; i >= 1; i--) /* backwards: served, no window reads */
        check(f, i, size_of(i));
    assert_int_equal(fs->ra.fills, fills);
    /* The tail grows under a window that ends at its old size. */
    for (uint64_t i = n + 1; i <= n + 50; i++) {
        put(f->s, i, size_of(i));
        check(f, i, size_of(i));
    }
    for (uint64_t i = n - 10; i <= n + 50; i++)
        check(f, i, size_of(i));
}

static void test_ra_erase(void **state)
{
    struct fx *f = *state;
    f->s = tu_open_cfg(&f->cfg);
    for (uint64_t i = 1; i <= 100; i++)
        put(f->s, i, size_of(i));
    for (uint64_t i = 1; i <= 50; i++) /* the window now holds the whole block */
        check(f, i, size_of(i));
    struct fs *fs = fs_of(f->s);
    assert_true(fs->ra.len > 0);
    const struct store__ent *e = store__seqidx_get(&f->s->idx, 5);
    uint64_t loc = e->loc;
    uint32_t len = fs_ent_reclen(e);
    check(f, 4, size_of(4));
    assert_int_equal(store_remove(f->s, 5, true), 0);
    /* The record as loaded now (after 4: a sequential load) is the ERASED one. */
    struct fs_blk *b = fs__blk_find(fs, (uint32_t)(loc >> 32));
    assert_int_equal(fs__rec_load(fs, b, (uint32_t)loc, len, &f->b), 0);
    struct fs_rec r;
    assert_int_equal(fs__rec_parse(f->b.data, len, &r), (int64_t)len);
    assert_int_equal(r.type, FS_REC_ERASED);
    assert_int_equal(r.seq, 5);
    for (size_t k = 0; k < r.subj_len + r.data_len; k++)
        assert_int_equal(r.subj[k], 0);
    struct store_msg m;
    assert_int_equal(store_load(f->s, 5, &m, &f->b), ERR_NOTFOUND);
    for (uint64_t i = 1; i <= 100; i++)
        if (i != 5)
            check(f, i, size_of(i));
}

/* 100 messages in 4 KiB blocks, block 1 read in order (the window holds
 * it); returns the last sequence in block 1. */
static uint64_t fill_read_block1(struct fx *f)
{
    f->cfg.block_size = 4096;
    f->s = tu_open_cfg(&f->cfg);
    for (uint64_t i = 1; i <= 100; i++)
        put(f->s, i, size_of(i));
    uint64_t last1 = 1;
    while (blk_of(f->s, last1 + 1) == 1)
        last1++;
    for (uint64_t i = 1; i <= last1; i++)
        check(f, i, size_of(i));
    return last1;
}

static void test_ra_compaction(void **state)
{
    struct fx *f = *state;
    uint64_t last1 = fill_read_block1(f);
    assert_true(last1 >= 8);
    struct stat st0, st1;
    char path[128];
    snprintf(path, sizeof(path), "%s/1.blk", f->dir);
    assert_int_equal(stat(path, &st0), 0);
    /* Keep the first and last two messages of block 1: it is compacted. */
    for (uint64_t i = 2; i <= last1 - 2; i++)
        assert_int_equal(store_remove(f->s, i, false), 0);
    assert_int_equal(stat(path, &st1), 0);
    assert_true(st1.st_size < st0.st_size / 2);
    assert_true(store__seqidx_get(&f->s->idx, last1 - 1)->loc < fs_loc(1, 1024));
    check(f, 1, size_of(1));
    check(f, last1 - 1, size_of(last1 - 1));
    check(f, last1, size_of(last1));
    for (uint64_t i = last1 + 1; i <= 100; i++)
        check(f, i, size_of(i));
}

static void test_ra_block_deletion(void **state)
{
    struct fx *f = *state;
    uint64_t last1 = fill_read_block1(f);
    struct fs *fs = fs_of(f->s);
    assert_true(fs->ra.len > 0 && fs->ra.num == 1);
    for (uint64_t i = 1; i <= last1; i++)
        assert_int_equal(store_remove(f->s, i, false), 0);
    assert_false(file_exists(f, "1.blk"));
    assert_true(fs->ra.len == 0 || fs->ra.num != 1);
    for (uint64_t i = last1 + 1; i <= 100; i++)
        check(f, i, size_of(i));
    /* Purge drops every block; new blocks get new numbers and contents. */
    uint64_t purged = 0;
    assert_int_equal(store_purge(f->s, NULL, 0, 0, 0, &purged), 0);
    assert_int_equal(purged, 100 - last1);
    for (uint64_t i = 101; i <= 200; i++)
        put(f->s, i, size_of(i));
    for (uint64_t i = 101; i <= 200; i++)
        check(f, i, size_of(i));
}

static size_t straddle_size(uint64_t i)
{
    return i == 150 ? (size_t)200 << 10 : 1000 + (size_t)(i * 997 % 2500);
}

static void test_ra_straddle(void **state)
{
    struct fx *f = *state;
    f->s = tu_open_cfg(&f->cfg);
    const uint64_t n = 400;
    for (uint64_t i = 1; i <= n; i++)
        put(f->s, i, straddle_size(i));
    /* Some record crosses a window boundary (the blocks are 1 MiB). */
    int crossing = 0;
    for (uint64_t i = 1; i <= n; i++) {
        const struct store__ent *e = store__seqidx_get(&f->s->idx, i);
        uint64_t off = (uint32_t)e->loc, end = off + fs_ent_reclen(e);
        if (off / FS_RA_WINDOW != (end - 1) / FS_RA_WINDOW)
            crossing++;
    }
    assert_true(crossing >= 3);
    for (uint64_t i = 1; i <= n; i++)
        check(f, i, straddle_size(i));
    assert_true(fs_of(f->s)->ra.fills >= 4);
    store_close(f->s); /* and again from a reopened store */
    f->s = tu_open_cfg(&f->cfg);
    for (uint64_t i = 1; i <= n; i++)
        check(f, i, straddle_size(i));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ra_sequential_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ra_erase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ra_compaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ra_block_deletion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ra_straddle, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
