/* libFuzzer target for subject/: input is "<filter>\n<subject>". Checks the
 * validators agree with each other, that sl_match and the cache agree with
 * subj_matches, that matching implies overlap and subset, and that the trie
 * is pruned back to nothing after each removal.
 */
#include "subject/subject.h"
#include "subject/subject_int.h"

#include <stdint.h>
#include <string.h>

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            __builtin_trap();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_one(const char *s, size_t n)
{
    bool lit = subj_is_valid_literal(s, n), filt = subj_is_valid_filter(s, n);
    CHECK(!lit || filt);
    CHECK(lit == (filt && subj_is_literal(s, n)));
    size_t dots = 0;
    for (size_t i = 0; i < n; i++)
        dots += s[i] == '.';
    CHECK(subj_num_tokens(s, n) == (n ? dots + 1 : 0));
    if (filt)
        CHECK(subj_is_subset(s, n, s, n) && subj_overlaps(s, n, s, n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sublist *sl;
    static struct sl_cache *cache;
    if (sl == NULL) {
        sl = sl_new();
        cache = sl_cache_new(8);
    }
    const char *a = (const char *)data, *nl = memchr(data, '\n', size);
    size_t alen = nl ? (size_t)(nl - a) : size;
    const char *b = nl ? nl + 1 : a + size;
    size_t blen = size - alen - (nl != NULL);
    check_one(a, alen);
    check_one(b, blen);
    CHECK(subj_overlaps(a, alen, b, blen) == subj_overlaps(b, blen, a, alen));
    if (subj_is_subset(a, alen, b, blen) && subj_is_valid_filter(a, alen))
        CHECK(subj_overlaps(a, alen, b, blen));

    struct sl_sub p = {.subject = a, .subject_len = alen};
    struct sl_sub q = {.subject = a, .subject_len = alen, .queue = "q", .queue_len = 1};
    int rc = sl_insert(sl, &p);
    CHECK((rc == 0) == subj_is_valid_filter(a, alen));
    if (rc == 0) {
        CHECK(sl_insert(sl, &q) == 0);
        const struct sl_result *r = sl_cache_match(cache, sl, b, blen);
        bool want = subj_matches(a, alen, b, blen) && subj_is_valid_literal(b, blen);
        if (subj_is_valid_literal(b, blen)) {
            CHECK(r->npsubs == want && r->nqsubs == want && r->nqgroups == want);
            CHECK(!want || (subj_overlaps(a, alen, b, blen) && subj_is_subset(b, blen, a, alen)));
        }
        CHECK(sl_remove(sl, &p) == 0 && sl_remove(sl, &q) == 0);
    }
    CHECK(sl__node_count(sl) == 0);
    return 0;
}
