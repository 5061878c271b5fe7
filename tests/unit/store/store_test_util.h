/* Helpers shared by the store unit tests: temporary directories, opening
 * stores with given limits, and one-line appends. Header-only (static
 * inline) so each test stays one executable built from one source.
 */
#ifndef GN_STORE_TEST_UTIL_H
#define GN_STORE_TEST_UTIL_H

// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include "store/store.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline int tu_rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Removes <dir> and everything below it. */
static inline void tu_rmrf(const char *dir)
{
    (void)nftw(dir, tu_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* Creates a fresh directory under /tmp (or $GANNET_TEST_TMPDIR, e.g. a
 * tmpfs where fsync is free) into <out> (64 bytes). */
static inline void tu_mkdtemp(char *out)
{
    const char *base = getenv("GANNET_TEST_TMPDIR");
    snprintf(out, 64, "%s/gn_store_XXXXXX", base && strlen(base) < 40 ? base : "/tmp");
    assert_non_null(mkdtemp(out));
}

static inline struct store_limits tu_nolimits(void)
{
    struct store_limits l = {
        .max_msgs = -1,
        .max_bytes = -1,
        .max_age_ns = 0,
        .max_msgs_per_subject = -1,
        .max_msg_size = -1,
        .discard = STORE_DISCARD_OLD,
    };
    return l;
}

static inline struct store *tu_open_cfg(const struct store_config *cfg)
{
    struct store *s = NULL;
    struct errbuf eb = {{0}};
    int rc = store_open(cfg, &s, &eb);
    if (rc != 0)
        fprintf(stderr, "store_open: %d %s\n", rc, eb.msg);
    assert_int_equal(rc, 0);
    return s;
}

/* Appends <data> (NUL-terminated) on <subj>; returns the sequence. */
static inline uint64_t tu_put(struct store *s, const char *subj, const char *data, int64_t ts)
{
    uint64_t seq = 0;
    int rc = store_append(s, subj, strlen(subj), NULL, 0, data, strlen(data), ts, &seq);
    assert_int_equal(rc, 0);
    return seq;
}

/* Loads <seq> and checks subject and payload. */
static inline void tu_expect(struct store *s, uint64_t seq, const char *subj, const char *data)
{
    struct store_msg m;
    struct buf b;
    buf_init(&b);
    assert_int_equal(store_load(s, seq, &m, &b), 0);
    assert_int_equal(m.seq, seq);
    assert_int_equal(m.subj_len, strlen(subj));
    assert_memory_equal(m.subj, subj, m.subj_len);
    assert_int_equal(m.data_len, strlen(data));
    if (m.data_len)
        assert_memory_equal(m.data, data, m.data_len);
    buf_deinit(&b);
}

static inline struct store_state tu_state(const struct store *s)
{
    struct store_state st;
    store_state_get(s, &st);
    return st;
}

#endif
