/* authorization { ... }: single user, token, users with permissions, and
 * the cross-key checks run after the file and the flags are applied.
 *
 * Permission lists follow nats-server: `publish`/`subscribe` may be one
 * subject, an array (an allow list) or a map {allow, deny} whose entries
 * are a subject or an array; `allow_responses` is true or {max, expires}.
 */
#include "conf/conf_int.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NS_PER_SEC          1000000000LL
#define RESP_DEFAULT_MAX    1
#define RESP_DEFAULT_EXP_NS (120 * NS_PER_SEC)

static bool key_is(const struct conf_node *n, const char *a, const char *b)
{
    return strcasecmp(n->key, a) == 0 || (b && strcasecmp(n->key, b) == 0);
}

static int unknown(const struct conf_node *n, const char *where, struct errbuf *eb)
{
    if (n->var_used)
        return 0;
    return conf__fail(eb, ERR_PARSE, n, "unknown field \"%s\" in %s", n->key, where);
}

static void strv_free(char **v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(v[k]);
    free(v);
}

/* One subject or an array of subjects, appended to *<v>. */
static int subjects_add(const struct conf_node *n, char ***v, size_t *nv, struct errbuf *eb)
{
    const struct conf_node *const *items = &n;
    size_t count = 1;
    if (n->type == CONF_ARRAY) {
        items = (const struct conf_node *const *)n->items;
        count = n->nitems;
    }
    for (size_t k = 0; k < count; k++) {
        const struct conf_node *s = items[k];
        if (s->type != CONF_STRING || s->str[0] == '\0')
            return conf__fail(eb, ERR_PARSE, s, "%s: expected a subject string, got %s",
                              n->key ? n->key : "permissions",
                              s->type == CONF_STRING ? "an empty string"
                                                     : conf__type_name(s->type));
        *v = xrealloc(*v, (*nv + 1) * sizeof(**v));
        (*v)[(*nv)++] = xstrdup(s->str);
    }
    return 0;
}

static int perm_list_parse(const struct conf_node *n, struct conf_perm_list *l, struct errbuf *eb)
{
    l->set = true;
    if (n->type == CONF_STRING || n->type == CONF_ARRAY)
        return subjects_add(n, &l->allow, &l->nallow, eb);
    if (n->type != CONF_MAP)
        return conf__fail(eb, ERR_PARSE, n, "%s: expected a subject, an array or a map, got %s",
                          n->key, conf__type_name(n->type));
    for (size_t k = 0; k < n->nitems; k++) {
        const struct conf_node *c = n->items[k];
        int rc;
        if (key_is(c, "allow", "allowed") || key_is(c, "allows", NULL))
            rc = subjects_add(c, &l->allow, &l->nallow, eb);
        else if (key_is(c, "deny", "denied") || key_is(c, "denies", NULL))
            rc = subjects_add(c, &l->deny, &l->ndeny, eb);
        else
            rc = unknown(c, n->key, eb);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int resp_parse(struct conf_opts *o, const struct conf_node *n, struct conf_perms *p,
                      struct errbuf *eb)
{
    p->resp_max = RESP_DEFAULT_MAX;
    p->resp_expires_ns = RESP_DEFAULT_EXP_NS;
    if (n->type == CONF_BOOL) {
        p->allow_responses = n->b;
        return 0;
    }
    if (n->type != CONF_MAP)
        return conf__fail(eb, ERR_PARSE, n, "%s: expected true or a map {max, expires}, got %s",
                          n->key, conf__type_name(n->type));
    p->allow_responses = true;
    for (size_t k = 0; k < n->nitems; k++) {
        const struct conf_node *c = n->items[k];
        int64_t v = 0;
        int rc;
        if (key_is(c, "max", "max_msgs") || key_is(c, "max_messages", "max_responses")) {
            if ((rc = conf__get_int(c, &v, eb)) == 0 && v > 0)
                p->resp_max = v;
        } else if (key_is(c, "expires", "expiration") || key_is(c, "ttl", NULL)) {
            if ((rc = conf__get_duration(o, c, &v, eb)) == 0 && v > 0)
                p->resp_expires_ns = v;
        } else {
            rc = unknown(c, "allow_responses", eb);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

void conf__perms_free(struct conf_perms *p)
{
    if (!p)
        return;
    strv_free(p->publish.allow, p->publish.nallow);
    strv_free(p->publish.deny, p->publish.ndeny);
    strv_free(p->subscribe.allow, p->subscribe.nallow);
    strv_free(p->subscribe.deny, p->subscribe.ndeny);
    free(p);
}

int conf__perms_parse(struct conf_opts *o, const struct conf_node *n, struct conf_perms **out,
                      struct errbuf *eb)
{
    if (n->type != CONF_MAP)
        return conf__fail(eb, ERR_PARSE, n, "%s: expected a map, got %s", n->key,
                          conf__type_name(n->type));
    struct conf_perms *p = xcalloc(1, sizeof(*p));
    p->resp_max = RESP_DEFAULT_MAX;
    int rc = 0;
    for (size_t k = 0; k < n->nitems && rc == 0; k++) {
        const struct conf_node *c = n->items[k];
        if (key_is(c, "publish", "pub"))
            rc = perm_list_parse(c, &p->publish, eb);
        else if (key_is(c, "subscribe", "sub"))
            rc = perm_list_parse(c, &p->subscribe, eb);
        else if (key_is(c, "allow_responses", "allow_response"))
            rc = resp_parse(o, c, p, eb);
        else
            rc = unknown(c, "permissions", eb);
    }
    if (rc < 0) {
        conf__perms_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

void conf__users_free(struct conf_opts *o)
{
    for (size_t k = 0; k < o->nusers; k++) {
        free(o->users[k].user);
        free(o->users[k].password);
        conf__perms_free(o->users[k].perms);
    }
    FREE_AND_NULL(o->users);
    o->nusers = 0;
}

static int user_item(struct conf_opts *o, const struct conf_node *c, struct conf_user *u,
                     struct errbuf *eb)
{
    const char *s = NULL;
    int rc;
    if (key_is(c, "user", "username")) {
        if ((rc = conf__get_str(c, &s, eb)) == 0)
            conf__set_str(&u->user, s);
    } else if (key_is(c, "password", "pass")) {
        if ((rc = conf__get_str(c, &s, eb)) == 0)
            conf__set_str(&u->password, s);
    } else if (key_is(c, "permissions", "permission")) {
        conf__perms_free(u->perms);
        u->perms = NULL;
        rc = conf__perms_parse(o, c, &u->perms, eb);
    } else if (key_is(c, "nkey", "allowed_connection_types") ||
               key_is(c, "connection_types", "account")) {
        rc = 0;
        conf__warn(o, "%s:%d: users.%s is not supported by Gannet yet; ignored", c->file, c->line,
                   c->key);
    } else {
        rc = unknown(c, "user", eb);
    }
    return rc;
}

static int users_parse(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    if (n->type != CONF_ARRAY)
        return conf__fail(eb, ERR_PARSE, n, "%s: expected an array, got %s", n->key,
                          conf__type_name(n->type));
    conf__users_free(o);
    o->users = xcalloc(n->nitems, sizeof(*o->users));
    for (size_t k = 0; k < n->nitems; k++) {
        const struct conf_node *e = n->items[k];
        struct conf_user *u = &o->users[o->nusers];
        int rc = 0;
        if (e->type != CONF_MAP)
            return conf__fail(eb, ERR_PARSE, e, "users: expected a map per user, got %s",
                              conf__type_name(e->type));
        o->nusers++; /* counted first, so a failure below still frees it */
        for (size_t j = 0; j < e->nitems && rc == 0; j++)
            rc = user_item(o, e->items[j], u, eb);
        if (rc < 0)
            return rc;
        if (!u->user) {
            if (conf_map_get(e, "nkey")) {
                /* An nkey-only user: nothing Gannet can check yet. */
                free(u->password);
                conf__perms_free(u->perms);
                memset(u, 0, sizeof(*u));
                o->nusers--;
                continue;
            }
            return conf__fail(eb, ERR_INVAL, e, "users: a user entry needs \"user\"");
        }
        for (size_t j = 0; j + 1 < o->nusers; j++) {
            if (strcmp(o->users[j].user, u->user) == 0)
                return conf__fail(eb, ERR_INVAL, e, "users: duplicate user \"%s\"", u->user);
        }
    }
    return 0;
}

static int auth_timeout(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    /* nats-server reads seconds (int or float); a duration string also works. */
    int64_t v = 0;
    if (n->type == CONF_INT && n->i >= 0 && n->i < INT64_MAX / NS_PER_SEC &&
        strspn(n->str, "0123456789") == strlen(n->str))
        v = n->i * NS_PER_SEC;
    else if (n->type == CONF_FLOAT && n->f >= 0 && n->f < 9e9)
        v = (int64_t)(n->f * (double)NS_PER_SEC);
    else if (n->type == CONF_STRING && conf__duration_parse(n->str, &v) == 0 && v >= 0)
        ;
    else
        return conf__fail(eb, ERR_INVAL, n, "%s: expected seconds (e.g. 2 or 0.5) or a duration",
                          n->key);
    o->auth_timeout_ns = v;
    return 0;
}

static int auth_item(struct conf_opts *o, const struct conf_node *c, struct errbuf *eb)
{
    const char *s = NULL;
    int rc;
    if (key_is(c, "user", "username")) {
        if ((rc = conf__get_str(c, &s, eb)) == 0)
            conf__set_str(&o->username, s);
    } else if (key_is(c, "password", "pass")) {
        if ((rc = conf__get_str(c, &s, eb)) == 0)
            conf__set_str(&o->password, s);
    } else if (key_is(c, "token", NULL)) {
        if ((rc = conf__get_str(c, &s, eb)) == 0)
            conf__set_str(&o->auth_token, s);
    } else if (key_is(c, "timeout", NULL)) {
        rc = auth_timeout(o, c, eb);
    } else if (key_is(c, "users", NULL)) {
        rc = users_parse(o, c, eb);
    } else if (key_is(c, "default_permissions", "default_permission") ||
               key_is(c, "permissions", NULL)) {
        conf__perms_free(o->default_perms);
        o->default_perms = NULL;
        rc = conf__perms_parse(o, c, &o->default_perms, eb);
    } else if (key_is(c, "auth_callout", "callout")) {
        rc = 0;
        conf__warn(o, "%s:%d: authorization.%s is not supported by Gannet yet; ignored", c->file,
                   c->line, c->key);
    } else {
        rc = unknown(c, "authorization", eb);
    }
    return rc;
}

int conf__apply_authorization(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb)
{
    if (n->type != CONF_MAP)
        return conf__fail(eb, ERR_PARSE, n, "%s: expected a map, got %s", n->key,
                          conf__type_name(n->type));
    for (size_t k = 0; k < n->nitems; k++) {
        int rc = auth_item(o, n->items[k], eb);
        if (rc < 0)
            return rc;
    }
    if (o->auth_token && o->nusers)
        return conf__fail(eb, ERR_INVAL, n, "authorization: cannot have a token and a users array");
    if (o->auth_token && o->username)
        return conf__fail(eb, ERR_INVAL, n, "authorization: cannot have a user and a token");
    if (o->username && o->nusers)
        return conf__fail(eb, ERR_INVAL, n,
                          "authorization: cannot have a single user and a users array");
    return 0;
}

static const struct conf_node *find_key(const struct conf_node *root, const char *a, const char *b)
{
    const struct conf_node *n = conf_map_get(root, a), *m = b ? conf_map_get(root, b) : NULL;
    if (n && m)
        return n->line >= m->line ? n : m;
    return n ? n : m;
}

int conf__opts_validate(const struct conf_opts *o, const struct conf_node *root, struct errbuf *eb)
{
    const struct conf_node *n;
    if (o->max_payload > o->max_pending) {
        n = find_key(root, "max_payload", NULL);
        if (!n)
            n = find_key(root, "max_pending", NULL);
        if (n)
            return conf__fail(eb, ERR_INVAL, n,
                              "max_payload (%lld) cannot be larger than max_pending (%lld)",
                              (long long)o->max_payload, (long long)o->max_pending);
        return errbuf_set(eb, ERR_INVAL,
                          "max_payload (%lld) cannot be larger than max_pending (%lld)",
                          (long long)o->max_payload, (long long)o->max_pending);
    }
    if (o->no_auth_user) {
        bool found = false;
        for (size_t k = 0; k < o->nusers && !found; k++)
            found = strcmp(o->users[k].user, o->no_auth_user) == 0;
        if (!found) {
            n = find_key(root, "no_auth_user", NULL);
            if (n)
                return conf__fail(eb, ERR_INVAL, n,
                                  "no_auth_user: \"%s\" is not a user of the authorization block",
                                  o->no_auth_user);
            return errbuf_set(eb, ERR_INVAL,
                              "no_auth_user: \"%s\" is not a user of the authorization block",
                              o->no_auth_user);
        }
    }
    return 0;
}
