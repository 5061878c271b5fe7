/* Subject validation and matching on raw (pointer, length) byte strings.
 *
 * Everything here is pure and allocation-free: a subject is walked token by
 * token with a small iterator, so no function tokenizes into an array. The
 * rules follow nats-server: tokens are split on '.', are never empty, a
 * wildcard is a whole token ("*" or, last only, ">"), and whitespace
 * (space, tab, CR, LF, FF) anywhere makes a subject invalid.
 */
#include "subject/subject.h"

#include <string.h>

/* Walks the '.'-separated tokens of one subject. */
struct tok_iter {
    const char *s; /* the subject */
    size_t len;    /* its length */
    size_t pos;    /* start of the next token; len + 1 once exhausted */
};

/* One token: a borrowed view into the subject. */
struct tok {
    const char *p; /* first byte */
    size_t len;    /* 0 for an empty token ("a..b") */
};

static void tok_iter_init(struct tok_iter *it, const char *s, size_t len)
{
    it->s = s;
    it->len = len;
    /* The empty string has no tokens at all (not one empty token). */
    it->pos = len == 0 ? 1 : 0;
}

/* Stores the next token in <t> and returns true, or returns false at the end. */
static bool tok_next(struct tok_iter *it, struct tok *t)
{
    if (it->pos > it->len)
        return false;
    const char *start = it->s + it->pos;
    const char *dot = memchr(start, '.', it->len - it->pos);
    size_t tl = dot ? (size_t)(dot - start) : it->len - it->pos;
    t->p = start;
    t->len = tl;
    it->pos += tl + 1;
    return true;
}

static inline bool tok_is_pwc(const struct tok *t)
{
    return t->len == 1 && t->p[0] == '*';
}

static inline bool tok_is_fwc(const struct tok *t)
{
    return t->len == 1 && t->p[0] == '>';
}

static inline bool tok_eq(const struct tok *a, const struct tok *b)
{
    return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

static inline bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* Shared validator: <wild> allows "*" tokens and a final ">" token. */
static bool subject_check(const char *s, size_t len, bool wild)
{
    if (len == 0)
        return false;
    size_t tok_start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '.') {
            if (is_space(s[i]))
                return false;
            continue;
        }
        size_t tl = i - tok_start;
        if (tl == 0)
            return false;
        if (tl == 1 && (s[tok_start] == '*' || s[tok_start] == '>')) {
            if (!wild)
                return false;
            /* '>' must be the last token. */
            if (s[tok_start] == '>' && i != len)
                return false;
        }
        tok_start = i + 1;
    }
    return true;
}

bool subj_is_valid_literal(const char *s, size_t len)
{
    return subject_check(s, len, false);
}

bool subj_is_valid_filter(const char *s, size_t len)
{
    return subject_check(s, len, true);
}

bool subj_is_valid_queue(const char *s, size_t len)
{
    if (s == NULL || len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (is_space(s[i]))
            return false;
    }
    return true;
}

bool subj_is_literal(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if ((c == '*' || c == '>') && (i == 0 || s[i - 1] == '.') &&
            (i + 1 == len || s[i + 1] == '.'))
            return false;
    }
    return true;
}

bool subj_matches(const char *filter, size_t flen, const char *subj, size_t slen)
{
    struct tok_iter fi, si;
    struct tok ft = {0}, st = {0};

    if (flen == 0)
        return false;
    tok_iter_init(&fi, filter, flen);
    tok_iter_init(&si, subj, slen);
    while (tok_next(&fi, &ft)) {
        if (!tok_next(&si, &st) || st.len == 0 || ft.len == 0)
            return false;
        if (tok_is_fwc(&ft))
            return true; /* the subject has at least this one token left */
        if (!tok_is_pwc(&ft) && !tok_eq(&ft, &st))
            return false;
    }
    return !tok_next(&si, &st);
}

bool subj_overlaps(const char *a, size_t alen, const char *b, size_t blen)
{
    struct tok_iter ai, bi;
    struct tok at = {0}, bt = {0};

    tok_iter_init(&ai, a, alen);
    tok_iter_init(&bi, b, blen);
    for (;;) {
        bool ha = tok_next(&ai, &at);
        bool hb = tok_next(&bi, &bt);
        if (!ha || !hb)
            return ha == hb && alen > 0;
        if (at.len == 0 || bt.len == 0)
            return false;
        /* '>' absorbs the (non-empty) rest of the other side. */
        if (tok_is_fwc(&at) || tok_is_fwc(&bt))
            return true;
        if (tok_is_pwc(&at) || tok_is_pwc(&bt))
            continue;
        if (!tok_eq(&at, &bt))
            return false;
    }
}

bool subj_is_subset(const char *sub, size_t sublen, const char *super, size_t superlen)
{
    struct tok_iter bi, pi;
    struct tok bt = {0}, pt = {0};

    tok_iter_init(&bi, sub, sublen);
    tok_iter_init(&pi, super, superlen);
    for (;;) {
        bool hb = tok_next(&bi, &bt);
        bool hp = tok_next(&pi, &pt);
        if (!hb || !hp)
            return hb == hp && sublen > 0;
        if (bt.len == 0 || pt.len == 0)
            return false;
        if (tok_is_fwc(&pt))
            return true;
        /* Only a '>' in <super> covers a '>' in <sub>. */
        if (tok_is_fwc(&bt))
            return false;
        if (tok_is_pwc(&pt))
            continue;
        /* <super> has a literal here: <sub> must have the same literal. */
        if (tok_is_pwc(&bt) || !tok_eq(&bt, &pt))
            return false;
    }
}

size_t subj_num_tokens(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    size_t n = 1;
    const char *p = s, *end = s + len;
    while ((p = memchr(p, '.', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}
