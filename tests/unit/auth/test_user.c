/* Unit tests of src/auth/user.c: every auth mode, bcrypt (hashes made here
 * with libcrypt at cost 4), wrong credentials, no_auth_user, default
 * permissions, configuration errors and the bcrypt verification cache. */
/* cmocka.h needs these first. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
// clang-format on

#include "auth/auth.h"

#include <crypt.h>
#include <pthread.h>
#include <stdlib.h>

/* Returns a static bcrypt hash of <pw> with the given prefix ("$2b$"). */
static const char *bcrypt_of(const char *pw, const char *prefix, char *out, size_t cap)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    struct crypt_data *cd = calloc(1, sizeof(*cd));
    assert_non_null(cd);
    assert_non_null(crypt_gensalt_rn("$2b$", 4, NULL, 0, salt, (int)sizeof(salt)));
    const char *h = crypt_rn(pw, salt, cd, (int)sizeof(*cd));
    assert_non_null(h);
    assert_true(strlen(h) < cap);
    strcpy(out, h);
    memcpy(out, prefix, 4); /* $2a$/$2b$/$2y$ hash ASCII passwords alike */
    free(cd);
    return out;
}

static struct proto_connect conn_of(const char *user, const char *pass, const char *token)
{
    struct proto_connect c = {.verbose = true, .pedantic = true, .echo = true};
    c.user = (char *)user;
    c.pass = (char *)pass;
    c.auth_token = (char *)token;
    return c;
}

static int check(const struct auth *a, const char *user, const char *pass, const char *token,
                 const struct auth_user **out)
{
    struct proto_connect c = conn_of(user, pass, token);
    const struct auth_user *u = (const struct auth_user *)&c; /* must be overwritten */
    int rc = auth_check(a, &c, &u);
    if (out != NULL)
        *out = u;
    if (rc != 0)
        assert_null(u);
    return rc;
}

static struct auth *auth_ok(const struct conf_opts *o)
{
    struct errbuf eb = {{0}};
    struct auth *a = auth_new(o, &eb);
    if (a == NULL)
        fail_msg("auth_new: %s", eb.msg);
    return a;
}

static void expect_error(const struct conf_opts *o, const char *msg)
{
    struct errbuf eb = {{0}};
    assert_null(auth_new(o, &eb));
    assert_string_equal(eb.msg, msg);
}

static void test_user_no_auth(void **state)
{
    (void)state;
    struct conf_opts o = {.auth_timeout_ns = 5000000000LL};
    struct auth *a = auth_ok(&o);
    const struct auth_user *u;

    assert_false(auth_is_required(a));
    assert_int_equal(auth_timeout_ns(a), 0);
    assert_false(auth_has_plaintext_passwords(a));
    assert_int_equal(check(a, NULL, NULL, NULL, &u), 0);
    assert_null(u);
    assert_int_equal(check(a, "x", "y", "z", &u), 0); /* credentials are ignored */
    assert_null(u);
    assert_null(auth_user_perm(u));
    assert_false(auth_check_may_block(a, &(struct proto_connect){0}));
    auth_free(a);
    auth_free(NULL);
}

static void test_user_token_plain(void **state)
{
    (void)state;
    struct conf_opts o = {.auth_token = "s3cr3t"};
    struct auth *a = auth_ok(&o);
    const struct auth_user *u;

    assert_true(auth_is_required(a));
    assert_int_equal(auth_timeout_ns(a), 2000000000LL);
    assert_false(auth_has_plaintext_passwords(a)); /* tokens are not "passwords" */
    assert_int_equal(check(a, NULL, NULL, "s3cr3t", &u), 0);
    assert_non_null(u);
    assert_string_equal(auth_user_name(u), "");
    assert_null(auth_user_perm(u));
    assert_int_equal(check(a, "who", "ever", "s3cr3t", NULL), 0);
    assert_int_equal(check(a, NULL, NULL, "s3cr3", NULL), ERR_AUTH);
    assert_int_equal(check(a, NULL, NULL, "s3cr3t!", NULL), ERR_AUTH);
    assert_int_equal(check(a, NULL, NULL, "", NULL), ERR_AUTH);
    assert_int_equal(check(a, NULL, NULL, NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, "s3cr3t", "s3cr3t", NULL, NULL), ERR_AUTH);
    auth_free(a);
}

static void test_user_token_bcrypt(void **state)
{
    (void)state;
    char h[128];
    struct conf_opts o = {.auth_token = (char *)bcrypt_of("tok", "$2a$", h, sizeof(h))};
    struct auth *a = auth_ok(&o);
    struct proto_connect c = conn_of(NULL, NULL, "tok");

    assert_true(auth_check_may_block(a, &c));
    assert_int_equal(check(a, NULL, NULL, "tok", NULL), 0);
    assert_false(auth_check_may_block(a, &c)); /* cached */
    assert_int_equal(check(a, NULL, NULL, "tok", NULL), 0);
    assert_int_equal(check(a, NULL, NULL, "tik", NULL), ERR_AUTH);
    assert_int_equal(check(a, NULL, NULL, h, NULL), ERR_AUTH); /* the hash is not the token */
    auth_free(a);
}

static void test_user_single(void **state)
{
    (void)state;
    struct conf_opts o = {.username = "derek", .password = "pw", .auth_timeout_ns = 3};
    struct auth *a = auth_ok(&o);
    const struct auth_user *u;

    assert_true(auth_is_required(a));
    assert_int_equal(auth_timeout_ns(a), 3);
    assert_true(auth_has_plaintext_passwords(a));
    assert_int_equal(check(a, "derek", "pw", NULL, &u), 0);
    assert_string_equal(auth_user_name(u), "derek");
    assert_null(auth_user_perm(u));
    assert_int_equal(check(a, "derek", "px", NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, "derek", NULL, NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, "Derek", "pw", NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, NULL, "pw", NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, NULL, NULL, "pw", NULL), ERR_AUTH);
    auth_free(a);
}

static void test_user_single_bcrypt_and_token_wins(void **state)
{
    (void)state;
    char h[128];
    struct conf_opts o = {.username = "u",
                          .password = (char *)bcrypt_of("pw", "$2y$", h, sizeof(h))};
    struct auth *a = auth_ok(&o);
    assert_false(auth_has_plaintext_passwords(a));
    assert_int_equal(check(a, "u", "pw", NULL, NULL), 0);
    assert_int_equal(check(a, "u", "pW", NULL, NULL), ERR_AUTH);
    auth_free(a);

    /* --user with --auth: nats-server checks only the token. */
    struct conf_opts both = {.username = "u", .password = "p", .auth_token = "t"};
    a = auth_ok(&both);
    assert_int_equal(check(a, "u", "p", NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, NULL, NULL, "t", NULL), 0);
    auth_free(a);
}

static struct conf_user users3[3];

static void users_fill(char *bob_hash)
{
    static char *pub_allow[] = {"bob.>"};
    static struct conf_perms bob_perms = {
        .publish = {.set = true, .allow = pub_allow, .nallow = 1}};
    users3[0] = (struct conf_user){.user = "alice", .password = "a-pw"};
    users3[1] = (struct conf_user){.user = "bob", .password = bob_hash, .perms = &bob_perms};
    users3[2] = (struct conf_user){.user = "carol", .password = NULL};
}

static void test_user_list(void **state)
{
    (void)state;
    char h[128];
    static char *deny[] = {">"};
    struct conf_perms defaults = {.subscribe = {.set = true, .deny = deny, .ndeny = 1}};
    users_fill((char *)bcrypt_of("b-pw", "$2b$", h, sizeof(h)));
    struct conf_opts o = {.users = users3, .nusers = 3, .default_perms = &defaults};
    struct auth *a = auth_ok(&o);
    const struct auth_user *u;

    assert_true(auth_is_required(a));
    assert_true(auth_has_plaintext_passwords(a));
    assert_int_equal(check(a, "alice", "a-pw", NULL, &u), 0);
    assert_string_equal(auth_user_name(u), "alice");
    /* No permissions of her own: the defaults, not merged with anything. */
    assert_non_null(auth_user_perm(u));
    assert_false(perm_can_subscribe(auth_user_perm(u), "x", 1, NULL, 0));
    assert_true(perm_can_publish(auth_user_perm(u), "x", 1));

    assert_int_equal(check(a, "bob", "b-pw", NULL, &u), 0);
    assert_string_equal(auth_user_name(u), "bob");
    assert_false(perm_can_publish(auth_user_perm(u), "x", 1));
    assert_true(perm_can_publish(auth_user_perm(u), "bob.1", 5));
    assert_true(perm_can_subscribe(auth_user_perm(u), "x", 1, NULL, 0));

    assert_int_equal(check(a, "carol", NULL, NULL, &u), 0); /* empty password */
    assert_int_equal(check(a, "carol", "", NULL, &u), 0);
    assert_int_equal(check(a, "carol", "x", NULL, NULL), ERR_AUTH);

    assert_int_equal(check(a, "alice", "b-pw", NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, "bob", "a-pw", NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, "bob", h, NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, "dave", "a-pw", NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, NULL, "a-pw", NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, NULL, NULL, "a-pw", NULL), ERR_AUTH);
    assert_int_equal(check(a, NULL, NULL, NULL, NULL), ERR_AUTH); /* no no_auth_user */
    auth_free(a);
}

static void test_user_no_auth_user(void **state)
{
    (void)state;
    char h[128];
    users_fill((char *)bcrypt_of("b-pw", "$2b$", h, sizeof(h)));
    struct conf_opts o = {.users = users3, .nusers = 3, .no_auth_user = "alice"};
    struct auth *a = auth_ok(&o);
    const struct auth_user *u;

    assert_int_equal(check(a, NULL, NULL, NULL, &u), 0);
    assert_string_equal(auth_user_name(u), "alice");
    assert_int_equal(check(a, "", "", "", &u), 0);
    assert_string_equal(auth_user_name(u), "alice");
    /* Any credential disables the mapping. */
    assert_int_equal(check(a, NULL, "a-pw", NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, NULL, NULL, "tok", NULL), ERR_AUTH);
    assert_int_equal(check(a, "alice", "bad", NULL, NULL), ERR_AUTH);
    assert_int_equal(check(a, "bob", "b-pw", NULL, &u), 0);
    assert_string_equal(auth_user_name(u), "bob");
    auth_free(a);

    /* A bcrypt no_auth_user is admitted (nats-server 2.9.10 rejects it). */
    struct conf_opts ob = {.users = users3, .nusers = 3, .no_auth_user = "bob"};
    a = auth_ok(&ob);
    assert_false(auth_check_may_block(a, &(struct proto_connect){0}));
    assert_int_equal(check(a, NULL, NULL, NULL, &u), 0);
    assert_string_equal(auth_user_name(u), "bob");
    auth_free(a);
}

static void test_user_config_errors(void **state)
{
    (void)state;
    users_fill("x");
    struct conf_opts o1 = {.users = users3, .nusers = 3, .auth_token = "t"};
    expect_error(&o1, "Can not have a token and a users array");
    struct conf_opts o2 = {.users = users3, .nusers = 3, .username = "u", .password = "p"};
    expect_error(&o2, "Can not have a single user/pass and a users array");
    struct conf_opts o3 = {.users = users3, .nusers = 3, .no_auth_user = "zz"};
    expect_error(&o3, "no_auth_user: \"zz\" not present as user in authorization block or "
                      "account configuration");
    struct conf_opts o4 = {.no_auth_user = "zz"};
    expect_error(&o4, "no_auth_user: \"zz\" present, but users are not defined");
    struct conf_opts o5 = {.username = "a", .password = "b", .no_auth_user = "a"};
    expect_error(&o5, "no_auth_user: \"a\" present, but users are not defined");

    struct conf_user dup[3] = {{.user = "a", .password = "1"},
                               {.user = "b", .password = "2"},
                               {.user = "a", .password = "3"}};
    struct conf_opts o6 = {.users = dup, .nusers = 3};
    expect_error(&o6, "Duplicate user \"a\" detected");

    struct conf_user noname[1] = {{.user = NULL, .password = "1"}};
    struct conf_opts o7 = {.users = noname, .nusers = 1};
    expect_error(&o7, "User entry requires a user");

    static char *bad[] = {"a b c"};
    struct conf_perms badp = {.subscribe = {.set = true, .allow = bad, .nallow = 1}};
    struct conf_user withbad[2] = {{.user = "a", .password = "1"},
                                   {.user = "b", .password = "2", .perms = &badp}};
    struct conf_opts o8 = {.users = withbad, .nusers = 2};
    expect_error(&o8, "subject \"a b c\" is not a valid subject");
    struct conf_opts o9 = {.users = withbad, .nusers = 1, .default_perms = &badp};
    expect_error(&o9, "subject \"a b c\" is not a valid subject");
}

static void test_user_bcrypt_cache(void **state)
{
    (void)state;
    char h[128];
    users_fill((char *)bcrypt_of("b-pw", "$2b$", h, sizeof(h)));
    struct conf_opts o = {.users = users3, .nusers = 3};
    struct auth *a = auth_ok(&o);
    struct proto_connect good = conn_of("bob", "b-pw", NULL);
    struct proto_connect bad = conn_of("bob", "nope", NULL);
    struct proto_connect plain = conn_of("alice", "a-pw", NULL);
    struct proto_connect unknown = conn_of("zed", "a-pw", NULL);

    assert_false(auth_check_may_block(a, &plain));
    assert_false(auth_check_may_block(a, &unknown));
    assert_true(auth_check_may_block(a, &good));
    assert_true(auth_check_may_block(a, &bad));
    assert_int_equal(check(a, "bob", "nope", NULL, NULL), ERR_AUTH);
    assert_true(auth_check_may_block(a, &bad)); /* failures are never remembered */
    assert_true(auth_check_may_block(a, &good));
    assert_int_equal(check(a, "bob", "b-pw", NULL, NULL), 0);
    assert_false(auth_check_may_block(a, &good));
    assert_true(auth_check_may_block(a, &bad));
    for (int i = 0; i < 100; i++)
        assert_int_equal(check(a, "bob", "b-pw", NULL, NULL), 0);
    assert_int_equal(check(a, "bob", "b-pw ", NULL, NULL), ERR_AUTH);
    auth_free(a);
}

static void *checker_main(void *arg)
{
    const struct auth *a = arg;
    for (int i = 0; i < 50; i++) {
        if (check(a, "bob", "b-pw", NULL, NULL) != 0 ||
            check(a, "alice", "a-pw", NULL, NULL) != 0 ||
            check(a, "bob", i % 10 == 0 ? "bad" : "b-pw", NULL, NULL) !=
                (i % 10 == 0 ? ERR_AUTH : 0))
            return (void *)1;
    }
    return NULL;
}

static void test_user_concurrent_checks(void **state)
{
    (void)state;
    char h[128];
    users_fill((char *)bcrypt_of("b-pw", "$2b$", h, sizeof(h)));
    struct conf_opts o = {.users = users3, .nusers = 3};
    struct auth *a = auth_ok(&o);
    pthread_t th[4];

    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, checker_main, a), 0);
    for (int i = 0; i < 4; i++) {
        void *ret;
        pthread_join(th[i], &ret);
        assert_null(ret);
    }
    auth_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_user_no_auth),
        cmocka_unit_test(test_user_token_plain),
        cmocka_unit_test(test_user_token_bcrypt),
        cmocka_unit_test(test_user_single),
        cmocka_unit_test(test_user_single_bcrypt_and_token_wins),
        cmocka_unit_test(test_user_list),
        cmocka_unit_test(test_user_no_auth_user),
        cmocka_unit_test(test_user_config_errors),
        cmocka_unit_test(test_user_bcrypt_cache),
        cmocka_unit_test(test_user_concurrent_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
