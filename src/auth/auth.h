/* Authentication and permissions for client connections, as nats-server
 * 2.9.10 does them (config-file users, no nkeys/JWT yet).
 *
 * struct auth is built once from struct conf_opts and is immutable after
 * that (except for an internal, locked cache of bcrypt verifications), so
 * every I/O thread may call auth_check() on it. Each user carries a compiled,
 * immutable struct perm. The per-connection helpers (struct perm_cache for
 * publish decisions, struct perm_resp for allow_responses) belong to one
 * connection each. The -ERR texts of permission violations are built here so
 * that they match nats-server byte for byte.
 */
#ifndef GN_AUTH_H
#define GN_AUTH_H

#include "conf/conf.h"
#include "proto/proto.h"
#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct auth;
struct auth_user;
struct perm;
struct perm_cache;
struct perm_resp;

/* ---- users and authentication ---- */

/* Builds the user table from the auth fields of <o> (username, password,
 * auth_token, users[], default_perms, no_auth_user, auth_timeout_ns). Modes:
 *   - none: no token, no user, no users[]: everybody is accepted;
 *   - token: auth_token (plain or bcrypt) compared with CONNECT auth_token;
 *     when username is also set the token wins, as in nats-server;
 *   - single user: username/password compared with CONNECT user/pass;
 *   - users: users[] with plain or bcrypt ($2a$/$2b$/$2x$/$2y$) passwords;
 *     a user without permissions gets default_perms (never merged).
 * Returns a new struct auth (free with auth_free()), or NULL with <eb>
 * filled with nats-server's wording when the combination is invalid:
 * "Can not have a token and a users array", "Can not have a single
 * user/pass and a users array", "Duplicate user \"x\" detected", a
 * no_auth_user that names no user, or an invalid permission subject.
 * Does not keep pointers into <o>. Any thread. */
struct auth *auth_new(const struct conf_opts *o, struct errbuf *eb);
/* Frees <a> and every user and perm it holds; NULL is a no-op. No other
 * thread may use <a> (or a user/perm obtained from it) any more. */
void auth_free(struct auth *a);

/* True when clients must authenticate (INFO auth_required). */
bool auth_is_required(const struct auth *a);
/* The time a client has to send CONNECT: the configured auth_timeout (2 s
 * by default) when auth is required, else 0 (no timer, as nats-server). */
int64_t auth_timeout_ns(const struct auth *a);
/* True when a stored password is not a bcrypt hash (the server then logs
 * nats-server's "Plaintext passwords detected, use nkeys or bcrypt"). */
bool auth_has_plaintext_passwords(const struct auth *a);

/* Authenticates the CONNECT fields <c>. On success returns 0 and sets *<out>
 * to the matched user, which lives as long as <a>: NULL when no auth is
 * configured (credentials are then ignored), a nameless pseudo-user in
 * token mode, the configured user otherwise. A CONNECT without user, pass
 * and auth_token is mapped to no_auth_user when one is configured. Returns
 * ERR_AUTH (and leaves *<out> NULL) on any mismatch; the server then sends
 * -ERR 'Authorization Violation' and closes.
 * Plain secrets are compared in constant time. A bcrypt hash costs ~50-100
 * ms of CPU per check (cost 10-11): successful (user, password) pairs are
 * remembered in a small keyed-hash cache so reconnect storms stay cheap,
 * but failed attempts always pay the full price; see auth_check_may_block().
 * Thread-safe. */
int auth_check(const struct auth *a, const struct proto_connect *c,
               const struct auth_user **out) WARN_UNUSED;
/* True when auth_check(<a>, <c>) would run bcrypt (a bcrypt-protected
 * secret not in the verification cache), so a server that cannot afford to
 * block its I/O loop can hand the check to a worker. Thread-safe. */
bool auth_check_may_block(const struct auth *a, const struct proto_connect *c);

/* The user's name ("" for the token pseudo-user). */
const char *auth_user_name(const struct auth_user *u);
/* The user's compiled permissions, or NULL when the user is unrestricted.
 * <u> may be NULL (no auth: returns NULL). */
const struct perm *auth_user_perm(const struct auth_user *u);

/* ---- permissions (immutable; any thread) ----
 *
 * Semantics (nats-server): an allow list, when present, must match; then no
 * deny entry may match. Publish entries match literal subjects with the
 * usual wildcards. Subscribe checks compare a filter with the entries:
 *   - allow: the filter must be a subset of an allow entry ("foo.>" permits
 *     "foo.*" and "foo.bar.>"). Entries "subject queue" apply to queue
 *     subscriptions only: when the subject hits queue entries and the SUB
 *     has a queue, the queue must match one of them (queue entries may use
 *     wildcards: "q.*" permits queue "q.1"); a SUB without queue needs a
 *     plain entry.
 *   - deny: refused when the filter is covered by a plain deny entry the
 *     way nats-server's sublist matches filters ("foo.*" covers "foo.bar",
 *     "foo.*" and, as in nats-server, "foo.>"), or when it has a queue that
 *     a covering "subject queue" deny entry names.
 *   - a wildcard SUB that merely overlaps a plain deny entry is accepted,
 *     and its deliveries are filtered with perm_can_deliver().
 * Deliberate differences from nats-server 2.9.10, all stricter (they are
 * holes there): an allow "foo.*" does not permit SUB "foo.>" (nats-server
 * lets it through); a plain deny entry is not lifted by a queue name that
 * a queue deny entry does not list; deliveries are filtered for wildcard
 * SUBs that overlap a deny entry, not only for those containing one.
 * Otherwise the decisions equal nats-server's (checked by a randomized
 * differential test against the 2.9.10 binary): Gannet never admits a SUB
 * or PUB that nats-server refuses. */

/* Compiles <cp> (not NULL). "subject queue" entries are split on
 * whitespace. When allow_responses is set and no publish allow list is
 * given, publishing is denied except to tracked replies (nats-server). A
 * response max of 0 means 1, a negative one no limit; an expiry of 0 means
 * 2 minutes, a negative one none. Returns a new perm (free with
 * perm_free()) or NULL with <eb> filled ("subject \"x\" is not a valid
 * subject"). */
struct perm *perm_new(const struct conf_perms *cp, struct errbuf *eb);
void perm_free(struct perm *p);

/* True when <p> lets a client publish to the literal <subj>. NULL <p>
 * allows everything. Does not look at allow_responses; see perm_resp. */
bool perm_can_publish(const struct perm *p, const char *subj, size_t len);
/* True when <p> lets a client subscribe to the filter <subj> with the queue
 * group <queue> (<qlen> 0 for none). NULL <p> allows everything. */
bool perm_can_subscribe(const struct perm *p, const char *subj, size_t len, const char *queue,
                        size_t qlen);
/* True when a message on the literal <subj> may be delivered: no plain
 * subscribe deny entry matches it. Needed only for subscriptions for which
 * perm_sub_needs_deliver_check() said so. */
bool perm_can_deliver(const struct perm *p, const char *subj, size_t len);
/* True when the accepted subscription filter <subj> has wildcards that
 * overlap a plain subscribe deny entry, so that each delivered message must
 * pass perm_can_deliver(). */
bool perm_sub_needs_deliver_check(const struct perm *p, const char *subj, size_t len);
/* True when <p> has allow_responses (create a struct perm_resp for the
 * connection). */
bool perm_allows_responses(const struct perm *p);

/* ---- per-connection publish cache (one connection; not thread-safe) ---- */

#define PERM_CACHE_ENTRIES     128 /* subjects remembered per connection */
#define PERM_CACHE_MAX_SUBJECT 256 /* longer subjects are not cached */

/* Returns a new, empty cache; free with perm_cache_free(). Small until
 * used: the table is allocated on the first cached decision. */
struct perm_cache *perm_cache_new(void);
void perm_cache_free(struct perm_cache *pc);
/* perm_can_publish(<p>, <subj>, <len>) answered from <pc> when possible.
 * A cache remembers the perm it was last used with and empties itself when
 * called with another one; call perm_cache_clear() when a perm is replaced
 * at the same address (config reload). */
bool perm_cache_can_publish(struct perm_cache *pc, const struct perm *p, const char *subj,
                            size_t len);
void perm_cache_clear(struct perm_cache *pc);
/* Number of subjects currently cached. */
size_t perm_cache_count(const struct perm_cache *pc);

/* ---- allow_responses tracking (one per connection; thread-safe) ----
 *
 * The server calls perm_resp_add() whenever it delivers a message that has
 * a reply subject to a connection whose perm allows responses (that may
 * happen on the publisher's thread), and perm_resp_take() when a publish of
 * that connection was denied by the normal check. Entries expire after the
 * perm's expiry and die after max uses; at most PERM_RESP_MAX_ENTRIES are
 * kept (oldest evicted first). */

#define PERM_RESP_MAX_ENTRIES 4096

/* Returns a new tracker for a connection authenticated with <p>, or NULL
 * when <p> is NULL or has no allow_responses. Free with perm_resp_free(). */
struct perm_resp *perm_resp_new(const struct perm *p);
void perm_resp_free(struct perm_resp *r);
/* Records (or renews, resetting its use count) the reply subject <reply>
 * delivered at monotonic time <now_ns>. <r> NULL is a no-op. */
void perm_resp_add(struct perm_resp *r, const char *reply, size_t len, int64_t now_ns);
/* True when <subj> is an outstanding, unexpired reply; consumes one of its
 * allowed responses (the entry is dropped after the last one). <r> NULL
 * returns false. */
bool perm_resp_take(struct perm_resp *r, const char *subj, size_t len, int64_t now_ns);
/* Number of tracked replies (expired ones may still be counted). */
size_t perm_resp_count(struct perm_resp *r);

/* ---- -ERR texts (without the quotes that proto_append_err adds) ---- */

/* Each writes the NUL-terminated text into <buf> and returns its length, or
 * returns 0 when it does not fit in <cap>:
 *   Permissions Violation for Publish to "<subj>"
 *   Permissions Violation for Subscription to "<subj>"[ using queue "<q>"]
 *   Permissions Violation for Publish with Reply of "<reply>" */
size_t perm_pub_violation_text(char *buf, size_t cap, const char *subj, size_t len);
size_t perm_sub_violation_text(char *buf, size_t cap, const char *subj, size_t len,
                               const char *queue, size_t qlen);
size_t perm_reply_violation_text(char *buf, size_t cap, const char *reply, size_t len);

#endif
