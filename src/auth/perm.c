/* Compiled publish/subscribe permissions and their checks.
 *
 * A perm is two small arrays of entries per direction, scanned linearly:
 * permission lists are short, publish decisions are cached per connection
 * (struct perm_cache, at the end), and subscribe checks happen once per SUB. Matching a
 * subscription filter against an entry follows nats-server's sublist rules
 * (a filter's own '*'/'>' tokens only match wildcard entries), with the
 * two deliberate differences documented in auth.h.
 */
#include "auth/auth.h"
#include "auth/auth_int.h"
#include "subject/subject.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

#define NS_PER_MIN              (60LL * 1000000000LL)
#define RESP_DEFAULT_MAX        1                /* nats-server DEFAULT_ALLOW_RESPONSE_MAX_MSGS */
#define RESP_DEFAULT_EXPIRES_NS (2 * NS_PER_MIN) /* DEFAULT_ALLOW_RESPONSE_EXPIRATION */

/* ---- token matching ---- */

/* Cuts the next '.'-separated token of s[0..len) starting at *pos. */
static bool tok_next(const char *s, size_t len, size_t *pos, const char **tok, size_t *tlen)
{
    if (*pos > len)
        return false;
    const char *start = s + *pos;
    const char *dot = memchr(start, '.', len - *pos);
    size_t n = dot ? (size_t)(dot - start) : len - *pos;
    *tok = start;
    *tlen = n;
    *pos += n + 1; /* past the dot; > len after the last token */
    return true;
}

static bool tok_is(const char *t, size_t n, char c)
{
    return n == 1 && t[0] == c;
}

/* True when the entry filter <f> covers <s>, a literal subject or a
 * subscription filter, the way nats-server's sublist matches: '>' in <f>
 * takes one or more remaining tokens, '*' in <f> takes exactly one token and
 * a literal token must be equal. Wildcard tokens of <s> are only taken by
 * wildcards of <f>; whether '*' takes a '>' of <s> is <star_takes_fwc>
 * (true in nats-server, false for a strict subset test). */
static bool filter_covers(const char *f, size_t flen, const char *s, size_t slen,
                          bool star_takes_fwc)
{
    size_t fp = 0, sp = 0;
    const char *ft, *st;
    size_t fn, sn;

    if (flen == 0 || slen == 0)
        return false;
    while (tok_next(f, flen, &fp, &ft, &fn)) {
        if (!tok_next(s, slen, &sp, &st, &sn))
            return false; /* <s> is shorter than <f> */
        if (tok_is(ft, fn, '>'))
            return true;
        if (tok_is(ft, fn, '*')) {
            if (tok_is(st, sn, '>') && !star_takes_fwc)
                return false;
            continue;
        }
        if (fn != sn || memcmp(ft, st, fn) != 0)
            return false;
    }
    return sp > slen; /* both exhausted */
}

/* nats-server's queueMatches for one entry: the same name, or a wildcard
 * pattern of which the queue name is a subset ("q.*" takes "q.1"). */
static bool queue_covers(const struct perm_entry *e, const char *q, size_t qlen)
{
    if (e->qlen == qlen && memcmp(e->queue, q, qlen) == 0)
        return true;
    if (subj_is_literal(e->queue, e->qlen))
        return false;
    return filter_covers(e->queue, e->qlen, q, qlen, false);
}

/* ---- compilation ---- */

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Splits <text> into at most <max> whitespace-separated fields. Returns the
 * number of fields found (max + 1 when there are more). */
static size_t split_fields(const char *text, const char **f, size_t *flen, size_t max)
{
    size_t n = 0;
    const char *p = text;

    for (;;) {
        while (*p && is_ws(*p))
            p++;
        if (*p == '\0')
            return n;
        const char *start = p;
        while (*p && !is_ws(*p))
            p++;
        if (n == max)
            return max + 1;
        f[n] = start;
        flen[n] = (size_t)(p - start);
        n++;
    }
}

/* Parses one configured entry into <e>. A publish entry with a queue part
 * is accepted but can never match (nats-server inserts it verbatim); it is
 * reported through *<dead> and not kept. */
static int entry_parse(const char *text, bool is_sub, struct perm_entry *e, bool *dead,
                       struct errbuf *eb)
{
    const char *f[2];
    size_t flen[2];
    size_t n = split_fields(text ? text : "", f, flen, 2);

    memset(e, 0, sizeof(*e));
    *dead = false;
    if (n == 0 || n > 2 || !subj_is_valid_filter(f[0], flen[0]) ||
        (n == 2 && !subj_is_valid_queue(f[1], flen[1])))
        return errbuf_set(eb, ERR_INVAL, "subject \"%s\" is not a valid subject", text ? text : "");
    if (n == 2 && !is_sub) {
        *dead = true;
        return 0;
    }
    e->subj = xstrndup(f[0], flen[0]);
    e->slen = flen[0];
    e->wild = !subj_is_literal(f[0], flen[0]);
    if (n == 2) {
        e->queue = xstrndup(f[1], flen[1]);
        e->qlen = flen[1];
    }
    return 0;
}

static void entries_free(struct perm_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].subj);
        free(v[i].queue);
    }
    free(v);
}

/* Compiles <n> texts into a new array at *<out>, *<nout> live entries. */
static int entries_compile(char *const *texts, size_t n, bool is_sub, struct perm_entry **out,
                           size_t *nout, struct errbuf *eb)
{
    struct perm_entry *v = n ? xcalloc(n, sizeof(*v)) : NULL;
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        bool dead;
        int rc = entry_parse(texts[i], is_sub, &v[k], &dead, eb);
        if (rc < 0) {
            entries_free(v, k);
            return rc;
        }
        if (!dead)
            k++;
    }
    *out = v;
    *nout = k;
    return 0;
}

static int list_compile(const struct conf_perm_list *cl, bool is_sub, struct perm_list *pl,
                        struct errbuf *eb)
{
    int rc;

    if (!cl->set)
        return 0;
    /* nats-server: an empty allow array is the same as none. */
    pl->has_allow = cl->nallow > 0;
    rc = entries_compile(cl->allow, cl->nallow, is_sub, &pl->allow, &pl->nallow, eb);
    if (rc < 0)
        return rc;
    rc = entries_compile(cl->deny, cl->ndeny, is_sub, &pl->deny, &pl->ndeny, eb);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < pl->ndeny; i++)
        pl->ndeny_plain += pl->deny[i].queue == NULL;
    return 0;
}

struct perm *perm_new(const struct conf_perms *cp, struct errbuf *eb)
{
    struct perm *p = xcalloc(1, sizeof(*p));

    if (list_compile(&cp->publish, false, &p->pub, eb) < 0 ||
        list_compile(&cp->subscribe, true, &p->sub, eb) < 0) {
        perm_free(p);
        return NULL;
    }
    if (cp->allow_responses) {
        p->resp = true;
        /* nats-server turns off the blanket publish allow: only replies
         * (and an explicit allow list) may be published to. */
        p->pub.has_allow = true;
        p->resp_max = cp->resp_max == 0 ? RESP_DEFAULT_MAX : cp->resp_max;
        p->resp_expires_ns =
            cp->resp_expires_ns == 0 ? RESP_DEFAULT_EXPIRES_NS : cp->resp_expires_ns;
    }
    return p;
}

void perm_free(struct perm *p)
{
    if (p == NULL)
        return;
    entries_free(p->pub.allow, p->pub.nallow);
    entries_free(p->pub.deny, p->pub.ndeny);
    entries_free(p->sub.allow, p->sub.nallow);
    entries_free(p->sub.deny, p->sub.ndeny);
    free(p);
}

/* ---- checks ---- */

static bool any_covers(const struct perm_entry *v, size_t n, const char *s, size_t len,
                       bool plain_only)
{
    for (size_t i = 0; i < n; i++) {
        if (plain_only && v[i].queue != NULL)
            continue;
        if (filter_covers(v[i].subj, v[i].slen, s, len, true))
            return true;
    }
    return false;
}

bool perm_can_publish(const struct perm *p, const char *subj, size_t len)
{
    if (p == NULL)
        return true;
    if (p->pub.has_allow && !any_covers(p->pub.allow, p->pub.nallow, subj, len, false))
        return false;
    return !any_covers(p->pub.deny, p->pub.ndeny, subj, len, false);
}

/* The allow half of a subscribe check (nats-server canSubscribe): a plain
 * entry covering the filter, unless the SUB has a queue and queue entries
 * cover the filter: then one of those must name the queue. Entries grant
 * only as strict supersets, but queue entries restrict wherever nats-server
 * would consider them (its looser matching), so this never admits a SUB
 * that nats-server refuses. */
static bool sub_allowed(const struct perm_list *l, const char *s, size_t len, const char *q,
                        size_t qlen)
{
    bool plain_hit = false, queue_hit = false, queue_ok = false;

    for (size_t i = 0; i < l->nallow; i++) {
        const struct perm_entry *e = &l->allow[i];
        if (!filter_covers(e->subj, e->slen, s, len, true))
            continue;
        bool subset = filter_covers(e->subj, e->slen, s, len, false);
        if (e->queue == NULL) {
            plain_hit |= subset;
        } else {
            queue_hit = true;
            if (subset && qlen > 0 && queue_covers(e, q, qlen))
                queue_ok = true;
        }
    }
    if (qlen > 0 && queue_hit)
        return queue_ok;
    return plain_hit;
}

static bool sub_denied(const struct perm_list *l, const char *s, size_t len, const char *q,
                       size_t qlen)
{
    for (size_t i = 0; i < l->ndeny; i++) {
        const struct perm_entry *e = &l->deny[i];
        if (!filter_covers(e->subj, e->slen, s, len, true))
            continue;
        if (e->queue == NULL || (qlen > 0 && queue_covers(e, q, qlen)))
            return true;
    }
    return false;
}

bool perm_can_subscribe(const struct perm *p, const char *subj, size_t len, const char *queue,
                        size_t qlen)
{
    if (p == NULL)
        return true;
    if (queue == NULL)
        qlen = 0;
    if (p->sub.has_allow && !sub_allowed(&p->sub, subj, len, queue, qlen))
        return false;
    return !sub_denied(&p->sub, subj, len, queue, qlen);
}

bool perm_can_deliver(const struct perm *p, const char *subj, size_t len)
{
    if (p == NULL || p->sub.ndeny_plain == 0)
        return true;
    return !any_covers(p->sub.deny, p->sub.ndeny, subj, len, true);
}

bool perm_sub_needs_deliver_check(const struct perm *p, const char *subj, size_t len)
{
    if (p == NULL || p->sub.ndeny_plain == 0 || subj_is_literal(subj, len))
        return false;
    for (size_t i = 0; i < p->sub.ndeny; i++) {
        const struct perm_entry *e = &p->sub.deny[i];
        if (e->queue == NULL && subj_overlaps(e->subj, e->slen, subj, len))
            return true;
    }
    return false;
}

bool perm_allows_responses(const struct perm *p)
{
    return p != NULL && p->resp;
}

/* ---- -ERR texts ---- */

/* snprintf into <buf>; returns the length or 0 when it did not fit. */
static size_t text_fit(char *buf, size_t cap, int n)
{
    if (n < 0 || (size_t)n >= cap) {
        if (cap > 0)
            buf[0] = '\0';
        return 0;
    }
    return (size_t)n;
}

/* Lengths are clamped so that "%.*s" never sees a negative int. */
static int clamp_len(size_t len)
{
    return len > 0x7fffffff ? 0x7fffffff : (int)len;
}

size_t perm_pub_violation_text(char *buf, size_t cap, const char *subj, size_t len)
{
    int n =
        snprintf(buf, cap, "Permissions Violation for Publish to \"%.*s\"", clamp_len(len), subj);
    return text_fit(buf, cap, n);
}

size_t perm_sub_violation_text(char *buf, size_t cap, const char *subj, size_t len,
                               const char *queue, size_t qlen)
{
    int n;

    if (queue != NULL && qlen > 0)
        n = snprintf(buf, cap,
                     "Permissions Violation for Subscription to \"%.*s\" using queue \"%.*s\"",
                     clamp_len(len), subj, clamp_len(qlen), queue);
    else
        n = snprintf(buf, cap, "Permissions Violation for Subscription to \"%.*s\"", clamp_len(len),
                     subj);
    return text_fit(buf, cap, n);
}

size_t perm_reply_violation_text(char *buf, size_t cap, const char *reply, size_t len)
{
    int n = snprintf(buf, cap, "Permissions Violation for Publish with Reply of \"%.*s\"",
                     clamp_len(len), reply);
    return text_fit(buf, cap, n);
}

/* ---- per-connection publish cache ----
 *
 * Publishing is checked on every message, so each connection remembers the
 * decision for its last subjects: a 2-way set-associative table of
 * PERM_CACHE_ENTRIES slots keyed by an FNV-1a hash, each slot holding a
 * copy of the subject (so a hash collision can never flip a decision). On a
 * conflict the less recently used slot of the set is replaced, so memory is
 * bounded by PERM_CACHE_ENTRIES * PERM_CACHE_MAX_SUBJECT bytes.
 */

#define WAYS 2
#define SETS (PERM_CACHE_ENTRIES / WAYS)

struct pc_slot {
    uint64_t hash; /* auth__hash of the subject */
    char *subj;    /* copy of the subject (not NUL-terminated); kept when cleared */
    size_t len;    /* subject length */
    size_t cap;    /* bytes allocated at subj */
    bool used;     /* the slot holds a decision */
    bool allowed;  /* the cached decision */
};

struct pc_set {
    struct pc_slot way[WAYS];
    unsigned mru; /* index of the most recently used way */
};

struct perm_cache {
    const struct perm *perm; /* the perm the decisions belong to */
    struct pc_set *sets;     /* SETS sets, allocated on first use */
    size_t count;            /* occupied slots */
};

struct perm_cache *perm_cache_new(void)
{
    return xcalloc(1, sizeof(struct perm_cache));
}

void perm_cache_clear(struct perm_cache *pc)
{
    if (pc->sets == NULL)
        return;
    for (size_t i = 0; i < SETS; i++) {
        for (size_t w = 0; w < WAYS; w++)
            pc->sets[i].way[w].used = false;
    }
    pc->count = 0;
}

void perm_cache_free(struct perm_cache *pc)
{
    if (pc == NULL)
        return;
    if (pc->sets != NULL) {
        for (size_t i = 0; i < SETS; i++)
            for (size_t w = 0; w < WAYS; w++)
                free(pc->sets[i].way[w].subj);
        free(pc->sets);
    }
    free(pc);
}

size_t perm_cache_count(const struct perm_cache *pc)
{
    return pc->count;
}

static bool slot_is(const struct pc_slot *s, uint64_t h, const char *subj, size_t len)
{
    return s->used && s->hash == h && s->len == len && memcmp(s->subj, subj, len) == 0;
}

static void slot_store(struct perm_cache *pc, struct pc_slot *s, uint64_t h, const char *subj,
                       size_t len, bool allowed)
{
    if (!s->used)
        pc->count++;
    if (s->cap < len) {
        size_t cap = len < 32 ? 32 : len;
        s->subj = xrealloc(s->subj, cap);
        s->cap = cap;
    }
    memcpy(s->subj, subj, len);
    s->len = len;
    s->hash = h;
    s->used = true;
    s->allowed = allowed;
}

bool perm_cache_can_publish(struct perm_cache *pc, const struct perm *p, const char *subj,
                            size_t len)
{
    if (!auth__perm_has_pub_rules(p))
        return true;
    if (len == 0 || len > PERM_CACHE_MAX_SUBJECT)
        return perm_can_publish(p, subj, len);
    if (pc->perm != p) {
        perm_cache_clear(pc);
        pc->perm = p;
    }
    if (pc->sets == NULL)
        pc->sets = xcalloc(SETS, sizeof(struct pc_set));

    uint64_t h = auth__hash(subj, len);
    struct pc_set *set = &pc->sets[h % SETS];
    for (unsigned w = 0; w < WAYS; w++) {
        if (slot_is(&set->way[w], h, subj, len)) {
            set->mru = w;
            return set->way[w].allowed;
        }
    }

    bool allowed = perm_can_publish(p, subj, len);
    unsigned victim = (set->mru + 1) % WAYS;
    for (unsigned w = 0; w < WAYS; w++) {
        if (!set->way[w].used) {
            victim = w;
            break;
        }
    }
    slot_store(pc, &set->way[victim], h, subj, len, allowed);
    set->mru = victim;
    return allowed;
}
