/* it_kv cases that read many entries through an ordered push consumer: keys (all, filtered
 * with a meta-only watch, many), history kept to the configured depth, and watchers (all keys,
 * with history, ignoring deletes, on a filter, meta only, on an empty bucket) that must see the
 * initial values, the end-of-initial-data marker and then every change in order.
 */
#include "it_kv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A fresh server with bucket <name> of <history>; returns the kvStore. */
static kvStore *setup(struct itj_env *env, const char *name, uint8_t history)
{
    kvConfig cfg;

    itj_start(env);
    itk_config_init(&cfg, name, history);
    return itk_create(env, &cfg);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the keys with kvStore_Keys into <out> (sorted, space separated, capacity
 * ITK_DESC_CAP); an empty bucket gives "". Returns the status of kvStore_Keys. */
static natsStatus keys_desc(kvStore *kv, char *out)
{
    kvKeysList l = {0};
    kvWatchOptions o;
    natsStatus s;
    size_t len = 0;

    IT_NATS(kvWatchOptions_Init(&o));
    o.Timeout = ITK_WAIT;
    s = kvStore_Keys(&l, kv, &o);
    out[0] = '\0';
    if (l.Count > 0)
        qsort(l.Keys, (size_t)l.Count, sizeof(l.Keys[0]), cmp_str);
    for (int i = 0; i < l.Count && len < ITK_DESC_CAP - 1; i++)
        len += (size_t)snprintf(out + len, ITK_DESC_CAP - len, "%s%s", i ? " " : "", l.Keys[i]);
    kvKeysList_Destroy(&l);
    return s;
}

/* Starts a watcher on <keys> (NULL for all) with the given options. */
static kvWatcher *watch(kvStore *kv, const char *keys, bool history, bool ignore_del,
                        bool meta_only)
{
    kvWatcher *w = NULL;
    kvWatchOptions o;

    IT_NATS(kvWatchOptions_Init(&o));
    o.IncludeHistory = history;
    o.IgnoreDeletes = ignore_del;
    o.MetaOnly = meta_only;
    if (keys)
        IT_NATS(kvStore_Watch(&w, kv, keys, &o));
    else
        IT_NATS(kvStore_WatchAll(&w, kv, &o));
    return w;
}

void kv_case_keys(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "KEYS", 3);
    const char *names[] = {"users.ann", "users.bob", "users.cid.x", "groups.a", "top"};
    kvWatcher *w;
    char got[ITK_DESC_CAP];
    natsStatus s;

    s = keys_desc(kv, got);
    IT_CHECK(s == NATS_OK && got[0] == '\0', "an empty bucket has no keys (%s)",
             natsStatus_GetText(s));
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        itk_put(kv, names[i], "v");
    itk_put(kv, "users.ann", "again");
    itk_put(kv, "gone", "1");
    IT_NATS(kvStore_Delete(kv, "gone"));
    itk_put(kv, "purged", "1");
    IT_NATS(kvStore_Purge(kv, "purged", NULL));
    IT_NATS(keys_desc(kv, got));
    itk_expect_desc(got, "groups.a top users.ann users.bob users.cid.x",
                    "keys: each live key once, no deleted or purged key");

    /* libnats 3.4.1 has no key filter on kvStore_Keys: a meta-only watch on users.* is the
     * filtered listing (the same consumer: last_per_subject, headers_only, filter) */
    w = watch(kv, "users.*", false, false, true);
    itk_watch_take(w, 3, got);
    itk_expect_desc(got, "users.bob=@2 users.ann=@6 |", "filtered key listing users.*");
    kvWatcher_Destroy(w);
    w = watch(kv, "nothing.>", false, false, true);
    itk_watch_take(w, 1, got);
    itk_expect_desc(got, "|", "a filter matching nothing ends at once");
    kvWatcher_Destroy(w);
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_keys_many(void)
{
    enum { N = 5000 };
    struct itj_env env;
    kvStore *kv = setup(&env, "MANY", 1);
    kvKeysList l = {0};
    kvWatchOptions o;
    char key[32];
    char *seen;
    int dups = 0;

    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof(key), "k.%d", i);
        IT_ASSERT(kvStore_PutString(NULL, kv, key, key + 2) == NATS_OK, "put %s: %s", key,
                  it_nats_last_error());
    }
    itk_put(kv, "k.7", "again");
    /* no kvWatchOptions.Timeout: libnats 3.4.1 adds up the time since the start after every
     * key, so thousands of keys "time out" within milliseconds; the watchdog bounds the call */
    IT_NATS(kvWatchOptions_Init(&o));
    IT_NATS(kvStore_Keys(&l, kv, &o));
    seen = calloc(N, 1);
    IT_ASSERT(seen, "calloc");
    for (int i = 0; i < l.Count; i++) {
        int k = atoi(l.Keys[i] + 2);

        if (k >= 0 && k < N && seen[k]++)
            dups++;
    }
    IT_CHECK(l.Count == N && dups == 0, "%d keys listed, %d duplicates (want %d, 0)", l.Count, dups,
             N);
    free(seen);
    kvKeysList_Destroy(&l);
    itk_expect_get(kv, "k.4999", "4999", N, "the last key");
    itk_expect_get(kv, "k.7", "again", N + 1, "the rewritten key");
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_history(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "HIST", 3);
    kvWatchOptions o;
    kvEntryList l = {0};
    char got[ITK_DESC_CAP];
    natsStatus s;

    for (int i = 1; i <= 5; i++) {
        char v[8];

        snprintf(v, sizeof(v), "v%d", i);
        itk_put(kv, "k", v);
    }
    itk_put(kv, "j", "j1");
    IT_NATS(kvStore_Delete(kv, "j"));
    itj_expect_state(&env, "KV_HIST", 5, 3, 7, "history 3 keeps 3 revisions of k");
    itk_history_desc(kv, "k", NULL, got);
    itk_expect_desc(got, "k=v3@3 k=v4@4 k=v5@5", "history of k: the last 3 revisions");
    itk_history_desc(kv, "j", NULL, got);
    itk_expect_desc(got, "j=j1@6 j:DEL@7", "history of j includes the delete marker");
    IT_NATS(kvWatchOptions_Init(&o));
    o.IgnoreDeletes = true;
    itk_history_desc(kv, "j", &o, got);
    itk_expect_desc(got, "j=j1@6", "history of j ignoring deletes");
    s = kvStore_History(&l, kv, "none", NULL);
    IT_CHECK(s == NATS_NOT_FOUND && l.Count == 0, "history of a missing key: %s",
             natsStatus_GetText(s));
    kvEntryList_Destroy(&l);
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_watch_all(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "WA", 5);
    kvWatcher *w;
    char got[ITK_DESC_CAP];

    itk_put(kv, "a", "a1");
    itk_put(kv, "b", "b1");
    itk_put(kv, "a", "a2");
    IT_NATS(kvStore_Delete(kv, "b"));
    w = watch(kv, NULL, false, false, false);
    itk_watch_take(w, 3, got);
    itk_expect_desc(got, "a=a2@3 b:DEL@4 |", "initial values: last per key, then the marker");
    itk_put(kv, "c", "c1");
    IT_NATS(kvStore_Delete(kv, "a"));
    itk_put(kv, "b", "b2");
    IT_NATS(kvStore_Purge(kv, "c", NULL));
    itk_watch_take(w, 4, got);
    itk_expect_desc(got, "c=c1@5 a:DEL@6 b=b2@7 c:PURGE@8", "updates in order");
    itk_watch_quiet(w, 300, "after the updates");
    kvWatcher_Destroy(w);
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_watch_history(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "WH", 2);
    kvWatcher *w;
    char got[ITK_DESC_CAP];

    itk_put(kv, "a", "a1");
    itk_put(kv, "a", "a2");
    itk_put(kv, "a", "a3");
    itk_put(kv, "b", "b1");
    w = watch(kv, NULL, true, false, false);
    itk_watch_take(w, 4, got);
    itk_expect_desc(got, "a=a2@2 a=a3@3 b=b1@4 |", "initial: every kept revision");
    itk_put(kv, "a", "a4");
    itk_watch_take(w, 1, got);
    itk_expect_desc(got, "a=a4@5", "then the update");
    kvWatcher_Destroy(w);
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_watch_ignore_deletes(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "WI", 1);
    kvWatcher *w;
    char got[ITK_DESC_CAP];

    itk_put(kv, "a", "1");
    itk_put(kv, "b", "1");
    IT_NATS(kvStore_Delete(kv, "a"));
    w = watch(kv, NULL, false, true, false);
    itk_watch_take(w, 2, got);
    itk_expect_desc(got, "b=1@2 |", "initial values without the delete marker");
    IT_NATS(kvStore_Delete(kv, "b"));
    itk_put(kv, "c", "1");
    IT_NATS(kvStore_Purge(kv, "c", NULL));
    itk_put(kv, "d", "1");
    itk_watch_take(w, 2, got);
    itk_expect_desc(got, "c=1@5 d=1@7", "updates without DEL or PURGE markers");
    itk_watch_quiet(w, 300, "no markers later either");
    kvWatcher_Destroy(w);
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_watch_filter(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "WF", 1);
    kvWatcher *w;
    char got[ITK_DESC_CAP];

    itk_put(kv, "dev.a", "1");
    itk_put(kv, "prod.a", "1");
    w = watch(kv, "dev.*", false, false, false);
    itk_watch_take(w, 2, got);
    itk_expect_desc(got, "dev.a=1@1 |", "initial values under dev.*");
    itk_put(kv, "prod.b", "2");
    itk_put(kv, "dev.b", "2");
    itk_put(kv, "dev.x.y", "3");
    itk_put(kv, "dev.a", "3");
    itk_watch_take(w, 2, got);
    itk_expect_desc(got, "dev.b=2@4 dev.a=3@6", "only changes matching dev.*");
    itk_watch_quiet(w, 300, "nothing from other keys");
    kvWatcher_Destroy(w);
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_watch_meta_only(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "WM", 1);
    kvWatcher *w;
    kvEntry *e = NULL;
    char got[ITK_DESC_CAP];

    itk_put(kv, "a", "hello");
    w = watch(kv, NULL, false, false, true);
    IT_NATS(kvWatcher_Next(&e, w, ITK_WAIT));
    IT_CHECK(e && kvEntry_ValueLen(e) == 0 && kvEntry_Revision(e) == 1 &&
                 strcmp(kvEntry_Key(e), "a") == 0,
             "meta-only entry: key a, revision 1, no value");
    kvEntry_Destroy(e);
    itk_watch_take(w, 1, got);
    itk_expect_desc(got, "|", "end of initial data");
    itk_put(kv, "b", "world");
    itk_watch_take(w, 1, got);
    itk_expect_desc(got, "b=@2", "a meta-only update");
    kvWatcher_Destroy(w);
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_watch_empty(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "WE", 1);
    kvWatcher *w;
    char got[ITK_DESC_CAP];
    int64_t t0 = it_now_ms();

    w = watch(kv, NULL, false, false, false);
    itk_watch_take(w, 1, got);
    itk_expect_desc(got, "|", "an empty bucket: the end marker comes first");
    IT_CHECK(it_now_ms() - t0 < 2000, "and at once (%lld ms)", (long long)(it_now_ms() - t0));
    itk_put(kv, "a", "1");
    itk_watch_take(w, 1, got);
    itk_expect_desc(got, "a=1@1", "then the first put");
    IT_NATS(kvWatcher_Stop(w));
    kvWatcher_Destroy(w);
    kvStore_Destroy(kv);
    itj_stop(&env);
}
