/* it_core cases about authentication and permissions: --user/--pass, --auth, configured users
 * with plain and bcrypt passwords, and publish/subscribe deny rules.
 *
 * The bcrypt hash is made at run time with libcrypt, so no fixed hash is kept in the tree.
 */
#include "it_core.h"

#include <crypt.h>
#include <stdio.h>
#include <string.h>

/* Credentials of one connection attempt; NULL fields are not sent. */
struct creds {
    const char *user;  /* CONNECT user */
    const char *pass;  /* CONNECT pass */
    const char *token; /* CONNECT auth_token */
};

/* Connects to <srv> with <c>; returns the status and stores the connection (or NULL) in <out>.
 * The last error text goes to <err> (capacity 256). */
static natsStatus try_connect(const struct it_server *srv, const struct creds *c,
                              natsConnection **out, char *err)
{
    natsOptions *opts;
    natsStatus s;

    *out = NULL;
    IT_NATS(natsOptions_Create(&opts));
    IT_NATS(natsOptions_SetURL(opts, srv->url));
    IT_NATS(natsOptions_SetMaxReconnect(opts, 0));
    IT_NATS(natsOptions_SetTimeout(opts, IT_CONNECT_TIMEOUT)); /* bcrypt on a loaded machine */
    if (c->user)
        IT_NATS(natsOptions_SetUserInfo(opts, c->user, c->pass));
    if (c->token)
        IT_NATS(natsOptions_SetToken(opts, c->token));
    s = natsConnection_Connect(out, opts);
    snprintf(err, 256, "%s", s == NATS_OK ? "" : it_nats_last_error());
    natsOptions_Destroy(opts);
    return s;
}

/* Checks that <c> is accepted and the connection can do a pub/sub round trip. */
static void expect_accepted(const struct it_server *srv, const struct creds *c, const char *what)
{
    natsConnection *nc;
    natsSubscription *sub;
    char err[256];
    natsStatus s = try_connect(srv, c, &nc, err);

    IT_ASSERT(s == NATS_OK, "%s: connect -> %s (%s)", what, natsStatus_GetText(s), err);
    IT_NATS(natsConnection_SubscribeSync(&sub, nc, "it.auth"));
    IT_NATS(natsConnection_PublishString(nc, "it.auth", "in"));
    itc_expect(sub, "it.auth", "in");
    IT_CHECK(true, "%s: accepted, pub/sub works", what);
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(nc);
}

/* Checks that <c> is refused with an Authorization Violation. */
static void expect_refused(const struct it_server *srv, const struct creds *c, const char *what)
{
    natsConnection *nc;
    char err[256];
    natsStatus s = try_connect(srv, c, &nc, err);

    natsConnection_Destroy(nc);
    /* libnats maps -ERR 'Authorization Violation' to NATS_CONNECTION_AUTH_FAILED. */
    IT_CHECK(s == NATS_CONNECTION_AUTH_FAILED && strstr(err, "Authorization Violation") != NULL,
             "%s: refused -> %s (%s)", what, natsStatus_GetText(s), err);
}

void it_case_auth_user_pass(void)
{
    static const char *const args[] = {"--user", "alice", "--pass", "s3cret", NULL};
    struct it_server srv;
    natsConnection *nc;
    char url[128];

    it_server_start(&srv, NULL, args);
    expect_accepted(&srv, &(struct creds){"alice", "s3cret", NULL}, "right user/pass");
    expect_refused(&srv, &(struct creds){"alice", "wrong", NULL}, "wrong password");
    expect_refused(&srv, &(struct creds){"bob", "s3cret", NULL}, "unknown user");
    expect_refused(&srv, &(struct creds){NULL, NULL, NULL}, "no credentials");
    expect_refused(&srv, &(struct creds){NULL, NULL, "s3cret"}, "password given as token");

    snprintf(url, sizeof(url), "nats://alice:s3cret@127.0.0.1:%d", srv.port);
    IT_NATS(natsConnection_ConnectTo(&nc, url));
    IT_CHECK(natsConnection_Status(nc) == NATS_CONN_STATUS_CONNECTED,
             "credentials in the URL accepted");
    natsConnection_Destroy(nc);
    it_server_cleanup(&srv);
}

void it_case_auth_token(void)
{
    static const char *const args[] = {"--auth", "T0k3n-xyz", NULL};
    struct it_server srv;

    it_server_start(&srv, NULL, args);
    expect_accepted(&srv, &(struct creds){NULL, NULL, "T0k3n-xyz"}, "right token");
    expect_refused(&srv, &(struct creds){NULL, NULL, "T0k3n-xy"}, "wrong token");
    expect_refused(&srv, &(struct creds){NULL, NULL, NULL}, "no token");
    expect_refused(&srv, &(struct creds){"T0k3n-xyz", "x", NULL}, "token given as user");
    it_server_cleanup(&srv);
}

/* Returns a bcrypt hash ($2a$, cost 10) of <pw> in <out>, made with libcrypt. */
static void bcrypt_hash(const char *pw, char *out, size_t cap)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    struct crypt_data cd;

    IT_ASSERT(crypt_gensalt_rn("$2a$", 10, NULL, 0, salt, sizeof(salt)) != NULL,
              "crypt_gensalt_rn failed");
    memset(&cd, 0, sizeof(cd));
    IT_ASSERT(crypt_rn(pw, salt, &cd, sizeof(cd)) != NULL && cd.output[0] == '$',
              "crypt_rn failed");
    snprintf(out, cap, "%s", cd.output);
}

void it_case_auth_users_bcrypt(void)
{
    struct it_server srv;
    char hash[CRYPT_OUTPUT_SIZE], conf[1024];

    bcrypt_hash("hunter2-bc", hash, sizeof(hash));
    IT_CHECK(strncmp(hash, "$2a$10$", 7) == 0 && strlen(hash) == 60,
             "libcrypt made a bcrypt hash %.7s...", hash);
    snprintf(conf, sizeof(conf),
             "authorization {\n"
             "  users = [\n"
             "    { user: plain, password: \"pl4in-pw\" }\n"
             "    { user: hashed, password: \"%s\" }\n"
             "  ]\n"
             "}\n",
             hash);
    it_server_start(&srv, conf, NULL);
    expect_accepted(&srv, &(struct creds){"plain", "pl4in-pw", NULL}, "config user, plain pw");
    expect_accepted(&srv, &(struct creds){"hashed", "hunter2-bc", NULL}, "config user, bcrypt pw");
    expect_refused(&srv, &(struct creds){"hashed", hash, NULL}, "bcrypt hash sent as password");
    expect_refused(&srv, &(struct creds){"hashed", "hunter2", NULL}, "wrong bcrypt password");
    expect_refused(&srv, &(struct creds){"plain", "hunter2-bc", NULL}, "other user's password");
    expect_refused(&srv, &(struct creds){NULL, NULL, NULL}, "no credentials");
    it_server_cleanup(&srv);
}

static const char perm_conf[] = "authorization {\n"
                                "  users = [\n"
                                "    { user: limited, password: pw,\n"
                                "      permissions: {\n"
                                "        publish: { deny: [\"secret.>\"] }\n"
                                "        subscribe: { deny: [\"private.>\"] }\n"
                                "      } }\n"
                                "    { user: admin, password: pw }\n"
                                "  ]\n"
                                "}\n";

/* Connects as <user> with an async-error recorder; reconnects disabled. */
static natsConnection *connect_user(const struct it_server *srv, const char *user,
                                    struct itc_errors *errs)
{
    natsOptions *opts;
    natsConnection *nc;

    IT_NATS(natsOptions_Create(&opts));
    IT_NATS(natsOptions_SetUserInfo(opts, user, "pw"));
    IT_NATS(natsOptions_SetMaxReconnect(opts, 0));
    itc_errors_watch(errs, opts);
    nc = it_connect(srv, opts);
    natsOptions_Destroy(opts);
    return nc;
}

void it_case_perm_publish_deny(void)
{
    struct it_server srv;
    struct itc_errors errs, admin_errs;
    natsConnection *nc, *admin;
    natsSubscription *secret, *open;
    char text[512];

    it_server_start(&srv, perm_conf, NULL);
    nc = connect_user(&srv, "limited", &errs);
    admin = connect_user(&srv, "admin", &admin_errs);
    IT_NATS(natsConnection_SubscribeSync(&secret, admin, "secret.>"));
    IT_NATS(natsConnection_SubscribeSync(&open, admin, "public.>"));
    IT_NATS(natsConnection_Flush(admin));

    IT_NATS(natsConnection_PublishString(nc, "secret.plans", "leak"));
    itc_errors_wait(&errs, 0, text, sizeof(text), 5000);
    IT_CHECK(strstr(text, "Permissions Violation for Publish to \"secret.plans\"") != NULL,
             "denied publish -> async error '%s'", text);
    IT_CHECK(natsConnection_Status(nc) == NATS_CONN_STATUS_CONNECTED,
             "the connection stays open after the violation");

    IT_NATS(natsConnection_PublishString(nc, "public.news", "fine"));
    IT_NATS(natsConnection_Flush(nc));
    itc_expect(open, "public.news", "fine");
    IT_CHECK(true, "an allowed publish on the same connection is delivered");
    itc_expect_none(admin, secret);
    IT_CHECK(true, "the denied message was not delivered");

    natsSubscription_Destroy(secret);
    natsSubscription_Destroy(open);
    natsConnection_Destroy(admin);
    natsConnection_Destroy(nc);
    it_server_cleanup(&srv);
}

void it_case_perm_subscribe_deny(void)
{
    struct it_server srv;
    struct itc_errors errs, admin_errs;
    natsConnection *nc, *admin;
    natsSubscription *denied, *allowed;
    char text[512];

    it_server_start(&srv, perm_conf, NULL);
    nc = connect_user(&srv, "limited", &errs);
    admin = connect_user(&srv, "admin", &admin_errs);

    IT_NATS(natsConnection_SubscribeSync(&denied, nc, "private.inbox"));
    itc_errors_wait(&errs, 0, text, sizeof(text), 5000);
    IT_CHECK(strstr(text, "Permissions Violation for Subscription to \"private.inbox\"") != NULL,
             "denied subscribe -> async error '%s'", text);
    IT_CHECK(natsConnection_Status(nc) == NATS_CONN_STATUS_CONNECTED,
             "the connection stays open after the violation");

    IT_NATS(natsConnection_SubscribeSync(&allowed, nc, "public.inbox"));
    IT_NATS(natsConnection_Flush(nc));
    IT_NATS(natsConnection_PublishString(admin, "private.inbox", "hidden"));
    IT_NATS(natsConnection_PublishString(admin, "public.inbox", "visible"));
    IT_NATS(natsConnection_Flush(admin));
    itc_expect(allowed, "public.inbox", "visible");
    IT_CHECK(true, "an allowed subscription on the same connection receives");
    itc_expect_none(nc, denied);
    IT_CHECK(true, "the denied subscription received nothing");

    natsSubscription_Destroy(denied);
    natsSubscription_Destroy(allowed);
    natsConnection_Destroy(admin);
    natsConnection_Destroy(nc);
    it_server_cleanup(&srv);
}
