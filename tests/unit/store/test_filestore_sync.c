/* File store disk-failure and durability paths: a write failing halfway
 * (injected, a real full tmpfs when mounting works, RLIMIT_FSIZE) leaves
 * no partial record and a consistent store; fdatasync errors are reported
 * and sticky; store_sync runs on its own thread while appends continue.
 */
#include "store/store_int.h"
#include "store_test_util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>

struct fault {
    int write_err; /* returned for the next writes, 0 = none */
    int sync_err;
    int writes_left; /* writes to let through first */
};

static int fault_cb(void *arg, enum store__fault_op op)
{
    struct fault *f = arg;
    if (op == STORE__FAULT_SYNC)
        return f->sync_err;
    if (f->writes_left > 0) {
        f->writes_left--;
        return 0;
    }
    return f->write_err;
}

static struct store *open_dir(const char *dir, size_t block_size)
{
    struct store_config cfg = {
        .kind = STORE_FILE, .dir = dir, .limits = tu_nolimits(), .block_size = block_size};
    return tu_open_cfg(&cfg);
}

static uint64_t blocks_size(const char *dir)
{
    uint64_t total = 0;
    char path[128];
    for (int i = 1; i < 1000; i++) {
        struct stat st;
        snprintf(path, sizeof(path), "%s/%d.blk", dir, i);
        if (stat(path, &st) == 0)
            total += (uint64_t)st.st_size;
    }
    return total;
}

/* Every message 1..n (except <gone>) loads with payload "m<seq>". */
static void expect_all(struct store *s, uint64_t first, uint64_t n)
{
    struct buf b;
    buf_init(&b);
    for (uint64_t q = first; q <= n; q++) {
        struct store_msg m;
        char want[32];
        assert_int_equal(store_load(s, q, &m, &b), 0);
        int wl = snprintf(want, sizeof(want), "m%llu", (unsigned long long)q);
        assert_int_equal(m.data_len, (size_t)wl);
        assert_memory_equal(m.data, want, m.data_len);
    }
    buf_deinit(&b);
}

static uint64_t put_m(struct store *s, int *rc)
{
    struct store_state st = tu_state(s);
    char d[32];
    int n = snprintf(d, sizeof(d), "m%llu", (unsigned long long)st.last_seq + 1);
    uint64_t seq = 0;
    *rc = store_append(s, "t.x", 3, NULL, 0, d, (size_t)n, 1, &seq);
    return seq;
}

static void test_filestore_write_fault(void **state)
{
    char dir[64];
    tu_mkdtemp(dir);
    struct store *s = open_dir(dir, 512);
    int rc;
    for (int i = 0; i < 30; i++) {
        put_m(s, &rc);
        assert_int_equal(rc, 0);
    }
    struct fault f = {.write_err = -ENOSPC};
    store__fault_set(s, fault_cb, &f);
    uint64_t size = blocks_size(dir);
    struct store_state before = tu_state(s);
    put_m(s, &rc);
    assert_int_equal(rc, -ENOSPC);
    assert_int_equal(blocks_size(dir), size); /* the half record was cut off */
    struct store_state after = tu_state(s);
    assert_int_equal(after.msgs, before.msgs);
    assert_int_equal(after.last_seq, before.last_seq);
    /* A removal is applied in memory; its record waits for the disk. */
    assert_int_equal(store_remove(s, 5, false), -ENOSPC);
    assert_int_equal(tu_state(s).msgs, 29);
    f.write_err = 0;
    assert_int_equal(put_m(s, &rc), 31);
    assert_int_equal(rc, 0);
    /* The erase write failing removes nothing. */
    f.write_err = -EIO;
    assert_int_equal(store_remove(s, 6, true), -EIO);
    f.write_err = 0;
    assert_int_equal(tu_state(s).msgs, 30);
    store__abandon(s);
    s = open_dir(dir, 512);
    struct store_recovery_info ri;
    store_recovery_info_get(s, &ri);
    assert_int_equal(ri.truncated_bytes, 0);
    assert_int_equal(tu_state(s).msgs, 30);
    struct store_msg m;
    struct buf b;
    buf_init(&b);
    assert_int_equal(store_load(s, 5, &m, &b), ERR_NOTFOUND);
    buf_deinit(&b);
    expect_all(s, 6, 31);
    store_destroy(s);
}

static void test_filestore_sync_error_sticky(void **state)
{
    char dir[64];
    tu_mkdtemp(dir);
    struct store *s = open_dir(dir, 0);
    int rc;
    put_m(s, &rc);
    assert_int_equal(store_sync(s), 0);
    assert_int_equal(store_synced_seq(s), 1);
    put_m(s, &rc);
    struct fault f = {.sync_err = -EIO};
    store__fault_set(s, fault_cb, &f);
    assert_int_equal(store_sync(s), -EIO);
    assert_int_equal(store_synced_seq(s), 1);
    f.sync_err = 0;
    assert_int_equal(store_sync(s), -EIO); /* pages may be lost: stay failed */
    store_close(s);
    s = open_dir(dir, 0);
    struct store_recovery_info ri;
    store_recovery_info_get(s, &ri);
    assert_false(ri.used_summaries); /* no summaries after a failed close */
    expect_all(s, 1, 2);
    store_destroy(s);
}

/* Appends until the disk refuses; checks the store stays whole. */
static void fill_until_error(const char *dir, int want_err)
{
    struct store *s = open_dir(dir, 64 * 1024);
    char big[2000];
    memset(big, 'z', sizeof(big));
    int rc = 0;
    uint64_t n = 0;
    while (rc == 0 && n < 100000) {
        char d[32];
        int l = snprintf(d, sizeof(d), "m%llu", (unsigned long long)n + 1);
        memcpy(big, d, (size_t)l);
        rc = store_append(s, "t.x", 3, NULL, 0, big, sizeof(big), 1, NULL);
        n += rc == 0;
    }
    assert_int_equal(rc, want_err);
    assert_int_equal(tu_state(s).msgs, n);
    assert_int_equal(tu_state(s).last_seq, n);
    store__abandon(s);
    s = open_dir(dir, 64 * 1024);
    struct store_recovery_info ri;
    store_recovery_info_get(s, &ri);
    assert_int_equal(ri.truncated_bytes, 0);
    assert_int_equal(tu_state(s).msgs, n);
    /* Purging frees the space (even if state.dat cannot be rewritten at
     * first), and appends work again. */
    uint64_t purged;
    int prc = store_purge(s, NULL, 0, 0, 0, &purged);
    (void)prc;
    assert_int_equal(purged, n);
    rc = store_append(s, "t.x", 3, NULL, 0, "again", 5, 1, NULL);
    assert_int_equal(rc, 0);
    store_close(s);
    s = open_dir(dir, 64 * 1024);
    assert_int_equal(tu_state(s).msgs, 1);
    assert_int_equal(tu_state(s).last_seq, n + 1);
    store_destroy(s);
}

static void test_filestore_tmpfs_full(void **state)
{
    char dir[64];
    tu_mkdtemp(dir);
    if (mount("tmpfs", dir, "tmpfs", 0, "size=256k") != 0) {
        tu_rmrf(dir);
        skip(); /* not root, or no mount namespace: the fault tests cover it */
    }
    char sub[80];
    snprintf(sub, sizeof(sub), "%s/s", dir);
    fill_until_error(sub, -ENOSPC);
    assert_int_equal(umount(dir), 0);
    tu_rmrf(dir);
}

static void test_filestore_rlimit_fsize(void **state)
{
    char dir[64];
    tu_mkdtemp(dir);
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = old;
    lim.rlim_cur = 50 * 1000;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    fill_until_error(dir, -EFBIG);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, prev);
    tu_rmrf(dir);
}

struct shared {
    struct store *s;
    pthread_mutex_t mu; /* the owner's lock (a stream's) */
    _Atomic bool done;
    int sync_errors;
    uint64_t syncs;
};

static void *syncer(void *arg)
{
    struct shared *sh = arg;
    while (!atomic_load(&sh->done)) {
        if (store_sync(sh->s) != 0) /* without the owner's lock */
            sh->sync_errors++;
        sh->syncs++;
    }
    return NULL;
}

static void test_filestore_sync_thread(void **state)
{
    char dir[64];
    tu_mkdtemp(dir);
    struct shared sh = {.s = open_dir(dir, 16 * 1024)};
    pthread_mutex_init(&sh.mu, NULL);
    struct store_limits l = tu_nolimits();
    l.max_msgs = 1000; /* so that blocks are also deleted and compacted */
    store_set_limits(sh.s, &l);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, syncer, &sh), 0);
    uint64_t last = 0;
    for (int i = 0; i < 6000; i++) {
        pthread_mutex_lock(&sh.mu);
        int rc;
        last = put_m(sh.s, &rc);
        assert_int_equal(rc, 0);
        if (i % 97 == 1)
            assert_int_equal(store_remove(sh.s, last - 1, i % 2), 0);
        pthread_mutex_unlock(&sh.mu);
        assert_true(store_synced_seq(sh.s) <= last);
    }
    atomic_store(&sh.done, true);
    pthread_join(t, NULL);
    assert_int_equal(sh.sync_errors, 0);
    assert_true(sh.syncs > 0);
    assert_int_equal(store_sync(sh.s), 0);
    assert_int_equal(store_synced_seq(sh.s), last);
    store__abandon(sh.s);
    sh.s = open_dir(dir, 16 * 1024);
    assert_int_equal(tu_state(sh.s).last_seq, last);
    store_destroy(sh.s);
    pthread_mutex_destroy(&sh.mu);
}

/* Share of block file <num>'s pages in the page cache. */
static double resident(const char *dir, int num)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%d.blk", dir, num);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    size_t len = (size_t)st.st_size, pages = (len + 4095) / 4096, in = 0;
    void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
    assert_true(p != MAP_FAILED);
    unsigned char *vec = malloc(pages);
    assert_int_equal(mincore(p, len, vec), 0);
    for (size_t i = 0; i < pages; i++)
        in += vec[i] & 1;
    free(vec);
    munmap(p, len);
    close(fd);
    return (double)in / (double)pages;
}

/* A sync lets the page cache of the synced blocks more than 16 MiB behind
 * the end go (fs.c, drop_range); the last ones stay cached, and the
 * dropped messages still load (from the file). */
static void test_filestore_cache_drop(void **state)
{
    char dir[64];
    tu_mkdtemp(dir);
    struct statfs sf;
    assert_int_equal(statfs(dir, &sf), 0);
    if (sf.f_type == TMPFS_MAGIC) { /* tmpfs pages cannot be dropped: use /tmp */
        rmdir(dir);
        snprintf(dir, sizeof(dir), "/tmp/gn_store_XXXXXX");
        assert_non_null(mkdtemp(dir));
        assert_int_equal(statfs(dir, &sf), 0);
        if (sf.f_type == TMPFS_MAGIC) {
            rmdir(dir);
            skip();
        }
    }
    for (int wb = 0; wb < 2; wb++) {
        struct store_config cfg = {.kind = STORE_FILE,
                                   .dir = dir,
                                   .limits = tu_nolimits(),
                                   .block_size = 8 << 20,
                                   .write_behind = wb};
        struct store *s = tu_open_cfg(&cfg);
        static char payload[64 << 10];
        uint64_t seq = 0;
        for (int i = 0; i < 640; i++) { /* 40 MiB: blocks 1 to 5 */
            memset(payload, 'a' + i % 26, sizeof(payload));
            assert_int_equal(store_append(s, "t.x", 3, NULL, 0, payload, sizeof(payload), 1, &seq),
                             0);
            if (wb)
                assert_int_equal(store_flush(s), 0);
        }
        assert_int_equal(store_sync(s), 0);
        assert_true(resident(dir, 1) < 0.1);
        assert_true(resident(dir, 2) < 0.1);
        assert_true(resident(dir, 5) > 0.9);
        struct buf b;
        buf_init(&b);
        struct store_msg m;
        assert_int_equal(store_load(s, 2, &m, &b), 0);
        assert_int_equal(m.data_len, sizeof(payload));
        assert_int_equal(m.data[0], 'b');
        buf_deinit(&b);
        store_destroy(s); /* removes the files: the next round starts afresh */
    }
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filestore_write_fault),
        cmocka_unit_test(test_filestore_sync_error_sticky),
        cmocka_unit_test(test_filestore_tmpfs_full),
        cmocka_unit_test(test_filestore_rlimit_fsize),
        cmocka_unit_test(test_filestore_sync_thread),
        cmocka_unit_test(test_filestore_cache_drop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
