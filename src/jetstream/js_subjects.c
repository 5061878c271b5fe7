/* Subject rules exactly as nats-server 2.9.10's stream checks apply them:
 * IsValidSubject, IsValidPublishSubject, SubjectsCollide, subset matching,
 * the republish transform check, and Go's %q quoting for error texts.
 *
 * These are local on purpose: subject/ answers for well-formed subjects,
 * while the error a client gets for a malformed filter (a "*x" token, an
 * empty token) depends on the quirks of Go's token-by-token comparisons,
 * which this file reproduces.
 */
#include "jetstream/js_json_int.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 256

/* Splits <s> on '.' into <t> (pointers and lengths). Returns the count, or
 * MAX_TOKENS + 1 when there are more. */
static size_t tokenize(const char *s, const char **t, size_t *l)
{
    size_t n = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == '.' || *p == '\0') {
            if (n == MAX_TOKENS)
                return MAX_TOKENS + 1;
            t[n] = start;
            l[n++] = (size_t)(p - start);
            if (*p == '\0')
                return n;
            start = p + 1;
        }
    }
}

static bool tok_is(const char *t, size_t l, char c)
{
    return l == 1 && t[0] == c;
}

bool jsj__subject_is_valid(const char *s)
{
    const char *t[MAX_TOKENS];
    size_t l[MAX_TOKENS];
    if (!jsj__has(s))
        return false;
    size_t n = tokenize(s, t, l);
    if (n > MAX_TOKENS)
        return false;
    bool fwc = false;
    for (size_t i = 0; i < n; i++) {
        if (l[i] == 0 || fwc)
            return false;
        for (size_t k = 0; k < l[i]; k++)
            if (strchr(" \t\n\r\f", t[i][k]))
                return false;
        if (tok_is(t[i], l[i], '>'))
            fwc = true;
    }
    return true;
}

bool jsj__subject_is_literal(const char *s)
{
    for (size_t i = 0; s[i]; i++) {
        if ((s[i] == '*' || s[i] == '>') && (i == 0 || s[i - 1] == '.') &&
            (s[i + 1] == '\0' || s[i + 1] == '.'))
            return false;
    }
    return true;
}

bool jsj__subject_is_valid_publish(const char *s)
{
    return jsj__subject_is_valid(s) && jsj__subject_is_literal(s);
}

/* Go's isSubsetMatchTokenized(tokens, test). */
static bool subset_tok(const char **t1, const size_t *l1, size_t n1, const char **t2,
                       const size_t *l2, size_t n2)
{
    for (size_t i = 0; i < n2; i++) {
        if (i >= n1 || l2[i] == 0)
            return false;
        if (tok_is(t2[i], l2[i], '>'))
            return true;
        if (l1[i] == 0 || tok_is(t1[i], l1[i], '>'))
            return false;
        if (tok_is(t1[i], l1[i], '*')) {
            if (!tok_is(t2[i], l2[i], '*'))
                return false;
            continue;
        }
        if (t2[i][0] != '*' && (l1[i] != l2[i] || memcmp(t1[i], t2[i], l1[i]) != 0))
            return false;
    }
    return n1 == n2;
}

bool jsj__subject_is_subset(const char *subject, const char *test)
{
    const char *t1[MAX_TOKENS], *t2[MAX_TOKENS];
    size_t l1[MAX_TOKENS], l2[MAX_TOKENS];
    size_t n1 = tokenize(subject, t1, l1), n2 = tokenize(test, t2, l2);
    if (n1 > MAX_TOKENS || n2 > MAX_TOKENS)
        return false;
    return subset_tok(t1, l1, n1, t2, l2, n2);
}

static void analyze(const char **t, const size_t *l, size_t n, bool *pwc, bool *fwc)
{
    *pwc = *fwc = false;
    for (size_t i = 0; i < n; i++) {
        if (l[i] != 1)
            continue;
        *pwc |= t[i][0] == '*';
        *fwc |= t[i][0] == '>';
    }
}

bool jsj__subjects_collide(const char *a, const char *b)
{
    const char *t1[MAX_TOKENS], *t2[MAX_TOKENS];
    size_t l1[MAX_TOKENS], l2[MAX_TOKENS];
    bool p1, f1, p2, f2;
    if (strcmp(a, b) == 0)
        return true;
    size_t n1 = tokenize(a, t1, l1), n2 = tokenize(b, t2, l2);
    if (n1 > MAX_TOKENS || n2 > MAX_TOKENS)
        return false;
    analyze(t1, l1, n1, &p1, &f1);
    analyze(t2, l2, n2, &p2, &f2);
    bool lit1 = !(p1 || f1), lit2 = !(p2 || f2);
    if (lit1 && lit2)
        return false; /* already compared */
    if (lit1)
        return subset_tok(t1, l1, n1, t2, l2, n2);
    if (lit2)
        return subset_tok(t2, l2, n2, t1, l1, n1);
    if (!f1 && !f2 && n1 != n2)
        return false;
    if ((n1 < n2 && !f1) || (n2 < n1 && !f2))
        return false;
    size_t stop = n1 < n2 ? n1 : n2;
    for (size_t i = 0; i < stop; i++) {
        /* Go's tokensCanMatch looks at the first byte only. */
        if (l1[i] == 0 || l2[i] == 0)
            return false;
        char c1 = t1[i][0], c2 = t2[i][0];
        if (c1 == '*' || c2 == '*' || c1 == '>' || c2 == '>')
            continue;
        if (l1[i] != l2[i] || memcmp(t1[i], t2[i], l1[i]) != 0)
            return false;
    }
    return true;
}

/* ---- republish transforms (2.9.10 newTransform) ---- */

/* Go's strconv.Atoi on <s>[0..<n>) after trimming spaces; false on error. */
static bool atoi_go(const char *s, size_t n, long long *out)
{
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    size_t i = 0;
    bool neg = false;
    if (n && (s[0] == '+' || s[0] == '-'))
        neg = s[i++] == '-';
    if (i == n)
        return false;
    unsigned long long v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || v > 922337203685477580ULL)
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v > (neg ? 9223372036854775808ULL : 9223372036854775807ULL))
        return false;
    *out = neg ? (long long)(0 - v) : (long long)v;
    return true;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Matches Go's `{{\s*NAME\s*\((.*)\)\s*}}` somewhere in <t>[0..<n>), where
 * an upper-case letter in <name> accepts either case. On a match stores the
 * argument text and returns true. */
static bool match_fn(const char *t, size_t n, const char *name, const char **arg, size_t *alen)
{
    size_t nl = strlen(name);
    for (size_t p = 0; p + 2 <= n; p++) {
        if (t[p] != '{' || t[p + 1] != '{')
            continue;
        size_t i = p + 2, k;
        while (i < n && is_ws(t[i]))
            i++;
        for (k = 0; k < nl && i + k < n; k++) {
            char c = t[i + k], w = name[k];
            bool ok = (w >= 'A' && w <= 'Z') ? (c == w || c == w - 'A' + 'a') : c == w;
            if (!ok)
                break;
        }
        if (k < nl)
            continue;
        i += nl;
        while (i < n && is_ws(t[i]))
            i++;
        if (i >= n || t[i] != '(')
            continue;
        /* Greedy (.*): the last ')' that is followed by \s* and "}}". */
        for (size_t q = n; q-- > i + 1;) {
            if (t[q] != ')')
                continue;
            size_t r = q + 1;
            while (r < n && is_ws(t[r]))
                r++;
            if (r + 2 <= n && t[r] == '}' && t[r + 1] == '}') {
                *arg = t + i + 1;
                *alen = q - i - 1;
                return true;
            }
        }
    }
    return false;
}

/* Splits <a> on Go's `,\s*` into at most 16 arguments. Returns the count. */
static size_t split_args(const char *a, size_t n, const char **av, size_t *al)
{
    size_t c = 0, start = 0;
    for (size_t i = 0; i <= n && c < 16; i++) {
        if (i == n || a[i] == ',') {
            av[c] = a + start;
            al[c++] = i - start;
            start = i + 1;
            while (i + 1 < n && is_ws(a[i + 1]))
                start = ++i + 1;
        }
    }
    return c;
}

/* Classifies one destination token: returns -1 (bad), 0 (literal) or the
 * number of wildcard indexes it uses, stored in <idx>. */
static int placeholder(const char *t, size_t n, long long *idx)
{
    static const char *const two_arg[] = {"SplitFromLeft", "SplitFromRight", "SliceFromLeft",
                                          "SliceFromRight"};
    const char *a, *av[16];
    size_t alen, al[16], c;
    long long x;
    if (n > 1 && t[0] == '$')
        return atoi_go(t + 1, n - 1, &idx[0]) ? 1 : 0;
    if (n <= 4 || t[0] != '{' || t[1] != '{' || t[n - 2] != '}' || t[n - 1] != '}')
        return 0;
    if (match_fn(t, n, "Wildcard", &a, &alen)) {
        c = split_args(a, alen, av, al);
        return c == 1 && atoi_go(av[0], al[0], &idx[0]) ? 1 : -1;
    }
    if (match_fn(t, n, "Partition", &a, &alen)) {
        c = split_args(a, alen, av, al);
        if (c < 2 || !atoi_go(av[0], al[0], &x))
            return -1;
        for (size_t i = 1; i < c; i++)
            if (!atoi_go(av[i], al[i], &idx[i - 1]))
                return -1;
        return (int)c - 1;
    }
    for (size_t f = 0; f < 4; f++) {
        if (match_fn(t, n, two_arg[f], &a, &alen)) {
            c = split_args(a, alen, av, al);
            return c == 2 && atoi_go(av[0], al[0], &idx[0]) && atoi_go(av[1], al[1], &x) ? 1 : -1;
        }
    }
    if (match_fn(t, n, "Split", &a, &alen)) {
        c = split_args(a, alen, av, al);
        return c == 2 && atoi_go(av[0], al[0], &idx[0]) ? 1 : -1;
    }
    return -1;
}

/* Go's subjectInfo validity: non-empty tokens, '>' only last. Unlike
 * IsValidSubject it allows whitespace ("{{ wildcard(1) }}" is fine). */
static bool info_valid(const char **t, const size_t *l, size_t n)
{
    if (n == 0 || n > MAX_TOKENS)
        return false;
    for (size_t i = 0; i < n; i++)
        if (l[i] == 0 || (i + 1 < n && tok_is(t[i], l[i], '>')))
            return false;
    return true;
}

int js_subject_transform_check(const char *src, const char *dest)
{
    const char *st[MAX_TOKENS], *dt[MAX_TOKENS];
    size_t sl[MAX_TOKENS], dl[MAX_TOKENS];
    size_t sn = tokenize(jsj__s(src), st, sl), dn = tokenize(jsj__s(dest), dt, dl);
    if (!jsj__has(src) || !jsj__has(dest) || !info_valid(st, sl, sn) || !info_valid(dt, dl, dn))
        return ERR_INVAL;
    bool sp, sf, dp, df;
    analyze(st, sl, sn, &sp, &sf);
    analyze(dt, dl, dn, &dp, &df);
    if (dp || sf != df)
        return ERR_INVAL;
    if (!sp && !sf)
        return 0; /* 2.9.10 does not look at the destination then */
    long long npwcs = 0, nphs = 0;
    for (size_t i = 0; i < sn; i++)
        npwcs += tok_is(st[i], sl[i], '*');
    for (size_t i = 0; i < dn; i++) {
        long long idx[16];
        int k = placeholder(dt[i], dl[i], idx);
        if (k < 0)
            return ERR_INVAL;
        for (int j = 0; j < k; j++)
            if (idx[j] > npwcs)
                return ERR_INVAL;
        nphs += k;
    }
    return nphs < npwcs ? ERR_INVAL : 0;
}

/* Appends the wildcard token <k> (1-based) of the subject, or nothing. */
static void put_wildcard(struct buf *out, const char **wt, const size_t *wl, size_t nw, long long k)
{
    if (k >= 1 && (size_t)k <= nw)
        buf_append(out, wt[k - 1], wl[k - 1]);
}

int js_subject_transform(const char *src, const char *dest, const char *subj, size_t slen,
                         struct buf *out)
{
    const char *st[MAX_TOKENS], *dt[MAX_TOKENS], *mt[MAX_TOKENS], *wt[MAX_TOKENS];
    size_t sl[MAX_TOKENS], dl[MAX_TOKENS], ml[MAX_TOKENS], wl[MAX_TOKENS];
    char *s = xstrndup(subj, slen);
    size_t sn = tokenize(jsj__s(src), st, sl), dn = tokenize(jsj__s(dest), dt, dl);
    size_t mn = tokenize(s, mt, ml), nw = 0, tail = 0;
    bool fwc = false;
    int rc = ERR_INVAL;
    if (sn > MAX_TOKENS || dn > MAX_TOKENS || mn > MAX_TOKENS || !jsj__has(dest))
        goto out;
    /* The subject's tokens under the source's wildcards, and where '>'
     * starts. */
    for (size_t i = 0; i < sn; i++) {
        if (tok_is(st[i], sl[i], '>')) {
            fwc = true;
            tail = i;
            break;
        }
        if (i >= mn)
            goto out;
        if (tok_is(st[i], sl[i], '*'))
            wt[nw] = mt[i], wl[nw++] = ml[i];
        else if (sl[i] != ml[i] || memcmp(st[i], mt[i], ml[i]) != 0)
            goto out;
    }
    if (!fwc && mn != sn)
        goto out;
    size_t star = 0;
    for (size_t i = 0; i < dn; i++) {
        if (i)
            buf_append_char(out, '.');
        long long idx[16];
        int k = placeholder(dt[i], dl[i], idx);
        if (tok_is(dt[i], dl[i], '>') && fwc) {
            for (size_t j = tail; j < mn; j++) {
                if (j > tail)
                    buf_append_char(out, '.');
                buf_append(out, mt[j], ml[j]);
            }
        } else if (tok_is(dt[i], dl[i], '*')) {
            put_wildcard(out, wt, wl, nw, (long long)++star);
        } else if (k == 1) {
            put_wildcard(out, wt, wl, nw, idx[0]);
        } else {
            buf_append(out, dt[i], dl[i]); /* literal (or a function not supported) */
        }
    }
    rc = 0;
out:
    free(s);
    return rc;
}

/* ---- Go's %q ---- */

void jsj__go_quote(struct buf *b, const char *s)
{
    static const char esc[] = "\a\b\f\n\r\t\v", let[] = "abfnrtv";
    const unsigned char *p = (const unsigned char *)jsj__s(s);
    size_t n = strlen((const char *)p);
    char tmp[16];
    buf_append_char(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        const char *e = c ? strchr(esc, c) : NULL;
        if (c >= 0x80) {
            size_t l = jsj__utf8_len(p + i, n - i);
            unsigned r = l == 2 ? (unsigned)(c & 0x1F) << 6 | (p[i + 1] & 0x3F) : 0xA0;
            /* Go keeps printable runes; C1 controls get \u, bad bytes \x. */
            if (l == 0)
                snprintf(tmp, sizeof(tmp), "\\x%02x", c);
            else if (r < 0xA0)
                snprintf(tmp, sizeof(tmp), "\\u%04x", r);
            else
                snprintf(tmp, sizeof(tmp), "%.*s", (int)l, (const char *)p + i);
            buf_append_str(b, tmp);
            i += l ? l : 1;
            continue;
        }
        if (c == '"' || c == '\\') {
            buf_append_char(b, '\\');
            buf_append_char(b, (char)c);
        } else if (e) {
            buf_append_char(b, '\\');
            buf_append_char(b, let[e - esc]);
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(tmp, sizeof(tmp), "\\x%02x", c);
            buf_append_str(b, tmp);
        } else {
            buf_append_char(b, (char)c);
        }
        i++;
    }
    buf_append_char(b, '"');
}
