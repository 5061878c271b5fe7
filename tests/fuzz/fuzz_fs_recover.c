/* libFuzzer target for file store recovery: the input becomes block file
 * 1.blk of an empty store directory. Opening must not crash or leak, must
 * serve exactly the messages it counts, must keep working (append, remove,
 * purge), a clean reopen must load the same state from its summaries, and a
 * removal made then must survive a crash (replayed over the summaries).
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            __builtin_trap();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void clean(void)
{
    static const char *files[] = {"1.blk", "2.blk",     "3.blk", "1.idx", "2.idx",
                                  "3.idx", "state.dat", "LOCK",  NULL};
    char path[96];
    for (int i = 0; files[i]; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path);
    }
}

static void clean_all(void)
{
    clean();
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[96];
    if (dir[0] == '\0') { /* GANNET_TEST_TMPDIR on a tmpfs makes fsync free */
        const char *base = getenv("GANNET_TEST_TMPDIR");
        snprintf(dir, sizeof(dir), "%.40s/gn_fuzz_fs_XXXXXX", base ? base : "/tmp");
        CHECK(mkdtemp(dir) != NULL && atexit(clean_all) == 0);
    }
    snprintf(path, sizeof(path), "%s/1.blk", dir);
    FILE *fp = fopen(path, "wb");
    CHECK(fp && fwrite(data, 1, size, fp) == size && fclose(fp) == 0);
    struct store_config cfg = {.kind = STORE_FILE,
                               .dir = dir,
                               .block_size = 4096,
                               .limits = {-1, -1, 0, -1, -1, STORE_DISCARD_OLD, false}};
    struct store *s;
    struct errbuf eb;
    struct store_state st, st2;
    struct store_msg m;
    struct buf b;
    buf_init(&b);
    if (store_open(&cfg, &s, &eb) == 0) {
        store_state_get(s, &st);
        uint64_t n = 0, q = 0, seq;
        for (; store_load_next(s, q, NULL, 0, &m, &b) == 0 && n <= st.msgs; n++, q = m.seq + 1)
            CHECK(m.seq >= st.first_seq && m.seq <= st.last_seq && m.seq >= q);
        CHECK(n == st.msgs);
        if (store_append(s, "f.z", 3, NULL, 0, "x", 1, 1, &seq) == 0)
            CHECK(seq == st.last_seq + 1);
        int rc = store_remove(s, st.first_seq, n % 2);
        CHECK((rc == 0 || rc == ERR_NOTFOUND) && store_purge(s, "f.*", 3, 0, 1, &n) == 0);
        store_state_get(s, &st);
        store_close(s);
        CHECK(store_open(&cfg, &s, &eb) == 0);
        store_state_get(s, &st2);
        CHECK(st.msgs == st2.msgs && st.last_seq == st2.last_seq && st.bytes == st2.bytes);
        rc = store_remove(s, st2.last_seq - (st2.msgs > 1), false);
        CHECK(rc == 0 || rc == ERR_NOTFOUND);
        store__abandon(s);
        CHECK(store_open(&cfg, &s, &eb) == 0);
        store_state_get(s, &st);
        CHECK(st.msgs + (rc == 0) == st2.msgs && st.last_seq == st2.last_seq);
        for (n = 0, q = 0; store_load_next(s, q, NULL, 0, &m, &b) == 0 && n <= st.msgs;
             q = m.seq + 1)
            n++;
        CHECK(n == st.msgs);
        store_close(s);
    }
    buf_deinit(&b);
    clean();
    return 0;
}
