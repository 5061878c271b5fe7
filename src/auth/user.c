/* The user table and CONNECT authentication (token, single user, users[]).
 *
 * Users are kept in an array sorted by name and looked up with bsearch.
 * Plain secrets are compared through keyed SipHash-2-4 digests, so the time
 * taken does not depend on where the strings differ. bcrypt hashes are
 * verified with libcrypt's crypt_rn(); because that costs tens of
 * milliseconds, successful verifications are remembered as (user, keyed
 * digest of the password) in a small locked cache; failures never are.
 */
#include "auth/auth.h"
#include "auth/auth_int.h"
#include "util/xalloc.h"

#include <crypt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define DEFAULT_AUTH_TIMEOUT_NS 2000000000LL /* nats-server AUTH_TIMEOUT */
#define VCACHE_SLOTS            64           /* remembered bcrypt successes */

enum auth_mode {
    AUTH_MODE_NONE = 0,
    AUTH_MODE_TOKEN,  /* authorization.token / --auth */
    AUTH_MODE_SINGLE, /* authorization.user + password / --user --pass */
    AUTH_MODE_USERS,  /* authorization.users[] */
};

struct auth_user {
    char *name;        /* user name; "" for the token pseudo-user */
    char *secret;      /* password or token, plain or a bcrypt hash */
    bool bcrypt;       /* secret is a bcrypt hash */
    struct perm *perm; /* NULL = unrestricted */
};

/* One remembered successful bcrypt verification. */
struct vc_slot {
    const struct auth_user *user; /* NULL = empty slot */
    uint64_t digest[2];           /* keyed digest of the accepted password */
};

struct vcache {
    pthread_mutex_t mu; /* guards slot[] */
    struct vc_slot slot[VCACHE_SLOTS];
};

struct auth {
    enum auth_mode mode;
    struct auth_user *users; /* AUTH_MODE_USERS: sorted by name */
    size_t nusers;
    struct auth_user single;         /* AUTH_MODE_TOKEN / AUTH_MODE_SINGLE */
    const struct auth_user *no_auth; /* no_auth_user, or NULL */
    int64_t timeout_ns;              /* auth_timeout */
    bool plaintext;                  /* a password is stored in clear */
    uint64_t key[4];                 /* SipHash keys (two for 128 bits) */
    struct vcache *vc;               /* mutable even through a const auth */
};

/* ---- keyed hashing ---- */

#define ROTL64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3)                                                                   \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = ROTL64(v1, 13);                                                                       \
        v1 ^= v0;                                                                                  \
        v0 = ROTL64(v0, 32);                                                                       \
        v2 += v3;                                                                                  \
        v3 = ROTL64(v3, 16);                                                                       \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = ROTL64(v3, 21);                                                                       \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = ROTL64(v1, 17);                                                                       \
        v1 ^= v2;                                                                                  \
        v2 = ROTL64(v2, 32);                                                                       \
    } while (0)

/* SipHash-2-4 of data[0..len) with the 128-bit key k0:k1. */
static uint64_t siphash24(uint64_t k0, uint64_t k1, const unsigned char *data, size_t len)
{
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
    size_t full = len & ~(size_t)7;
    uint64_t m;

    for (size_t i = 0; i < full; i += 8) {
        m = 0;
        for (int b = 7; b >= 0; b--)
            m = (m << 8) | data[i + (size_t)b];
        v3 ^= m;
        SIPROUND(v0, v1, v2, v3);
        SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    m = (uint64_t)(len & 0xff) << 56;
    for (size_t b = 0; b < (len & 7); b++)
        m |= (uint64_t)data[full + b] << (8 * b);
    v3 ^= m;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    v0 ^= m;
    v2 ^= 0xff;
    for (int r = 0; r < 4; r++)
        SIPROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

static void digest128(const struct auth *a, const char *s, uint64_t out[2])
{
    size_t len = s ? strlen(s) : 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    out[0] = siphash24(a->key[0], a->key[1], p, len);
    out[1] = siphash24(a->key[2], a->key[3], p, len);
}

static bool digest_eq(const uint64_t x[2], const uint64_t y[2])
{
    return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

static void keys_init(struct auth *a)
{
    if (getrandom(a->key, sizeof(a->key), 0) == (ssize_t)sizeof(a->key))
        return;
    /* No entropy source: the digests stay correct, only less secret. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ (uintptr_t)a;
    for (int i = 0; i < 4; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        a->key[i] = seed ^ (seed >> 29);
    }
}

/* ---- secrets ---- */

/* nats-server's isBcrypt: ^\$2[abxy]\$\d{2}\$ */
static bool is_bcrypt(const char *s)
{
    return s != NULL && s[0] == '$' && s[1] == '2' && s[2] != '\0' && strchr("abxy", s[2]) &&
           s[3] == '$' && s[4] >= '0' && s[4] <= '9' && s[5] >= '0' && s[5] <= '9' && s[6] == '$';
}

static bool bcrypt_matches(const char *hash, const char *given)
{
    struct crypt_data *cd = xcalloc(1, sizeof(*cd));
    const char *out = crypt_rn(given ? given : "", hash, cd, (int)sizeof(*cd));
    bool ok = false;

    if (out != NULL && out[0] != '*') {
        size_t n = strlen(hash);
        unsigned char diff = strlen(out) != n;
        for (size_t i = 0; i < n && out[i] != '\0'; i++)
            diff |= (unsigned char)(out[i] ^ hash[i]);
        ok = diff == 0;
    }
    explicit_bzero(cd, sizeof(*cd));
    free(cd);
    return ok;
}

static size_t vc_index(const struct auth_user *u, const uint64_t d[2])
{
    return (size_t)((d[0] ^ (uint64_t)(uintptr_t)u) % VCACHE_SLOTS);
}

static bool vc_has(const struct auth *a, const struct auth_user *u, const uint64_t d[2])
{
    struct vc_slot *s = &a->vc->slot[vc_index(u, d)];
    pthread_mutex_lock(&a->vc->mu);
    bool hit = s->user == u && digest_eq(s->digest, d);
    pthread_mutex_unlock(&a->vc->mu);
    return hit;
}

static void vc_put(const struct auth *a, const struct auth_user *u, const uint64_t d[2])
{
    struct vc_slot *s = &a->vc->slot[vc_index(u, d)];
    pthread_mutex_lock(&a->vc->mu);
    s->user = u;
    s->digest[0] = d[0];
    s->digest[1] = d[1];
    pthread_mutex_unlock(&a->vc->mu);
}

/* True when <given> (NULL = "") is <u>'s secret. */
static bool secret_matches(const struct auth *a, const struct auth_user *u, const char *given)
{
    uint64_t dg[2];

    digest128(a, given, dg);
    if (!u->bcrypt) {
        uint64_t ds[2];
        digest128(a, u->secret, ds);
        return digest_eq(ds, dg);
    }
    if (vc_has(a, u, dg))
        return true;
    if (!bcrypt_matches(u->secret, given))
        return false;
    vc_put(a, u, dg);
    return true;
}

/* ---- construction ---- */

static int user_cmp(const void *x, const void *y)
{
    const struct auth_user *a = x, *b = y;
    return strcmp(a->name, b->name);
}

static const struct auth_user *user_find(const struct auth *a, const char *name)
{
    struct auth_user key = {.name = (char *)name};
    if (a->nusers == 0 || name == NULL)
        return NULL;
    return bsearch(&key, a->users, a->nusers, sizeof(key), user_cmp);
}

static bool empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

/* Copies users[] with compiled permissions, sorted by name. */
static int users_build(struct auth *a, const struct conf_opts *o, struct errbuf *eb)
{
    a->users = xcalloc(o->nusers, sizeof(*a->users));
    for (size_t i = 0; i < o->nusers; i++) {
        const struct conf_user *cu = &o->users[i];
        struct auth_user *u = &a->users[a->nusers];
        if (empty(cu->user))
            return errbuf_set(eb, ERR_INVAL, "User entry requires a user");
        u->name = xstrdup(cu->user);
        u->secret = xstrdup(cu->password ? cu->password : "");
        u->bcrypt = is_bcrypt(u->secret);
        a->nusers++;
        a->plaintext |= !u->bcrypt;
        const struct conf_perms *cp = cu->perms ? cu->perms : o->default_perms;
        if (cp != NULL && (u->perm = perm_new(cp, eb)) == NULL)
            return ERR_INVAL;
    }
    qsort(a->users, a->nusers, sizeof(*a->users), user_cmp);
    for (size_t i = 1; i < a->nusers; i++) {
        if (strcmp(a->users[i - 1].name, a->users[i].name) == 0)
            return errbuf_set(eb, ERR_INVAL, "Duplicate user \"%s\" detected", a->users[i].name);
    }
    return 0;
}

static int modes_check(const struct conf_opts *o, struct errbuf *eb)
{
    if (o->nusers > 0 && !empty(o->auth_token))
        return errbuf_set(eb, ERR_INVAL, "Can not have a token and a users array");
    if (o->nusers > 0 && !empty(o->username))
        return errbuf_set(eb, ERR_INVAL, "Can not have a single user/pass and a users array");
    if (!empty(o->no_auth_user) && o->nusers == 0)
        return errbuf_set(eb, ERR_INVAL, "no_auth_user: \"%s\" present, but users are not defined",
                          o->no_auth_user);
    return 0;
}

struct auth *auth_new(const struct conf_opts *o, struct errbuf *eb)
{
    struct auth *a = xcalloc(1, sizeof(*a));

    a->vc = xcalloc(1, sizeof(*a->vc));
    pthread_mutex_init(&a->vc->mu, NULL);
    keys_init(a);
    a->timeout_ns = o->auth_timeout_ns > 0 ? o->auth_timeout_ns : DEFAULT_AUTH_TIMEOUT_NS;
    if (modes_check(o, eb) < 0)
        goto fail;

    if (o->nusers > 0) {
        a->mode = AUTH_MODE_USERS;
        if (users_build(a, o, eb) < 0)
            goto fail;
        if (!empty(o->no_auth_user) && (a->no_auth = user_find(a, o->no_auth_user)) == NULL) {
            errbuf_set(eb, ERR_INVAL,
                       "no_auth_user: \"%s\" not present as user in authorization block or "
                       "account configuration",
                       o->no_auth_user);
            goto fail;
        }
    } else if (!empty(o->auth_token)) {
        /* A token wins over a single user, as in nats-server's check. */
        a->mode = AUTH_MODE_TOKEN;
        a->single.name = xstrdup("");
        a->single.secret = xstrdup(o->auth_token);
    } else if (!empty(o->username)) {
        a->mode = AUTH_MODE_SINGLE;
        a->single.name = xstrdup(o->username);
        a->single.secret = xstrdup(o->password ? o->password : "");
        a->plaintext = !empty(o->password) && !is_bcrypt(o->password);
    }
    a->single.bcrypt = is_bcrypt(a->single.secret);
    return a;
fail:
    auth_free(a);
    return NULL;
}

static void user_deinit(struct auth_user *u)
{
    if (u->secret != NULL)
        explicit_bzero(u->secret, strlen(u->secret));
    free(u->secret);
    free(u->name);
    perm_free(u->perm);
}

void auth_free(struct auth *a)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < a->nusers; i++)
        user_deinit(&a->users[i]);
    free(a->users);
    user_deinit(&a->single);
    pthread_mutex_destroy(&a->vc->mu);
    free(a->vc);
    free(a);
}

/* ---- queries ---- */

bool auth_is_required(const struct auth *a)
{
    return a->mode != AUTH_MODE_NONE;
}

int64_t auth_timeout_ns(const struct auth *a)
{
    return auth_is_required(a) ? a->timeout_ns : 0;
}

bool auth_has_plaintext_passwords(const struct auth *a)
{
    return a->plaintext;
}

const char *auth_user_name(const struct auth_user *u)
{
    return u->name;
}

const struct perm *auth_user_perm(const struct auth_user *u)
{
    return u ? u->perm : NULL;
}

/* The user whose secret <c> must match, or NULL when <c> cannot succeed.
 * *<anon> is set when no_auth_user applies (no secret to check). */
static const struct auth_user *candidate(const struct auth *a, const struct proto_connect *c,
                                         bool *anon)
{
    *anon = false;
    switch (a->mode) {
    case AUTH_MODE_TOKEN:
        return &a->single;
    case AUTH_MODE_SINGLE:
        return c->user != NULL && strcmp(c->user, a->single.name) == 0 ? &a->single : NULL;
    case AUTH_MODE_USERS:
        if (a->no_auth != NULL && empty(c->user) && empty(c->pass) && empty(c->auth_token)) {
            /* nats-server then re-checks the user's own password against
             * itself, which fails for bcrypt; Gannet just admits it. */
            *anon = true;
            return a->no_auth;
        }
        return empty(c->user) ? NULL : user_find(a, c->user);
    case AUTH_MODE_NONE:
        break;
    }
    return NULL;
}

int auth_check(const struct auth *a, const struct proto_connect *c, const struct auth_user **out)
{
    bool anon;

    *out = NULL;
    if (a->mode == AUTH_MODE_NONE)
        return 0;
    const struct auth_user *u = candidate(a, c, &anon);
    if (u == NULL)
        return ERR_AUTH;
    if (!anon) {
        const char *given = a->mode == AUTH_MODE_TOKEN ? c->auth_token : c->pass;
        if (!secret_matches(a, u, given))
            return ERR_AUTH;
    }
    *out = u;
    return 0;
}

bool auth_check_may_block(const struct auth *a, const struct proto_connect *c)
{
    bool anon;
    uint64_t dg[2];

    if (a->mode == AUTH_MODE_NONE)
        return false;
    const struct auth_user *u = candidate(a, c, &anon);
    if (u == NULL || anon || !u->bcrypt)
        return false;
    digest128(a, a->mode == AUTH_MODE_TOKEN ? c->auth_token : c->pass, dg);
    return !vc_has(a, u, dg);
}
