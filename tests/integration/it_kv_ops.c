/* it_kv cases about single keys: put and get with increasing revisions, missing keys, create
 * and update with the expected-last-subject-sequence check, get at a revision, delete and purge
 * markers (and the raw messages behind them), purge of old markers, and a bucket without
 * allow_direct, read through STREAM.MSG.GET.
 */
#include "it_kv.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* A fresh server with bucket <name> of <history>; returns the kvStore. */
static kvStore *setup(struct itj_env *env, const char *name, uint8_t history)
{
    kvConfig cfg;

    itj_start(env);
    itk_config_init(&cfg, name, history);
    return itk_create(env, &cfg);
}

/* Returns the header <h> of the last message on <subj> in <stream>, "" when absent, copied
 * into <out> (capacity <cap>). <*len> (may be NULL) receives the body length. */
static const char *raw_header(struct itj_env *env, const char *stream, const char *subj,
                              const char *h, char *out, size_t cap, int *len)
{
    natsMsg *m = NULL;
    const char *v = NULL;
    jsErrCode ec = 0;
    natsStatus s = js_GetLastMsg(&m, env->js, stream, subj, NULL, &ec);

    IT_ASSERT(s == NATS_OK, "js_GetLastMsg(%s, %s): %s err_code %d", stream, subj,
              natsStatus_GetText(s), (int)ec);
    snprintf(out, cap, "%s", natsMsgHeader_Get(m, h, &v) == NATS_OK ? v : "");
    if (len)
        *len = natsMsg_GetDataLength(m);
    natsMsg_Destroy(m);
    return out;
}

void kv_case_put_get(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "PG", 3);
    const unsigned char bin[4] = {0, 1, 2, 255};
    uint64_t rev = 0;
    kvEntry *e = NULL;
    int64_t now = (int64_t)time(NULL) * 1000000000LL;

    IT_CHECK(itk_put(kv, "a", "1") == 1, "first put is revision 1");
    IT_CHECK(itk_put(kv, "b", "2") == 2, "put of another key is revision 2");
    IT_CHECK(itk_put(kv, "a", "3") == 3, "second put of a is revision 3");
    IT_NATS(kvStore_Put(&rev, kv, "c.d.e", bin, 4));
    IT_CHECK(rev == 4, "binary put to a dotted key is revision 4");
    itk_expect_get(kv, "a", "3", 3, "latest a");
    itk_expect_get(kv, "b", "2", 2, "latest b");
    IT_NATS(kvStore_Get(&e, kv, "c.d.e"));
    IT_CHECK(kvEntry_ValueLen(e) == 4 && memcmp(kvEntry_Value(e), bin, 4) == 0,
             "binary value round-trips");
    IT_CHECK(strcmp(kvEntry_Bucket(e), "PG") == 0 && strcmp(kvEntry_Key(e), "c.d.e") == 0,
             "entry bucket PG, key c.d.e");
    IT_CHECK(kvEntry_Operation(e) == kvOp_Put, "operation PUT");
    IT_CHECK(kvEntry_Created(e) > now - 60 * 1000000000LL &&
                 kvEntry_Created(e) < now + 60 * 1000000000LL,
             "created is the store time (%lld ns)", (long long)kvEntry_Created(e));
    kvEntry_Destroy(e);
    e = NULL;
    IT_NATS(kvStore_Put(&rev, kv, "empty", "", 0));
    IT_NATS(kvStore_Get(&e, kv, "empty"));
    IT_CHECK(kvEntry_ValueLen(e) == 0 && kvEntry_Operation(e) == kvOp_Put && rev == 5,
             "an empty value is a PUT of length 0 at revision 5");
    kvEntry_Destroy(e);
    IT_CHECK(kvStore_PutString(NULL, kv, "bad key", "x") == NATS_INVALID_ARG,
             "a key with a space is refused by the client");
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_missing_key(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "MK", 1);
    kvEntry *e = NULL;
    natsStatus s;

    itk_expect_not_found(kv, "nope", "empty bucket");
    itk_put(kv, "there", "1");
    itk_expect_not_found(kv, "nope", "bucket with another key");
    itk_expect_not_found(kv, "there.x", "a longer key");
    s = kvStore_GetRevision(&e, kv, "nope", 1);
    IT_CHECK(s == NATS_NOT_FOUND, "revision 1 of another key: %s", natsStatus_GetText(s));
    s = kvStore_GetRevision(&e, kv, "there", 99);
    IT_CHECK(s == NATS_NOT_FOUND, "a revision past the end: %s", natsStatus_GetText(s));
    kvEntry_Destroy(e);
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_create(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "CR", 5);
    uint64_t rev = 0;
    natsStatus s;

    IT_NATS(kvStore_CreateString(&rev, kv, "k", "first"));
    IT_CHECK(rev == 1, "create of a new key: revision 1");
    s = kvStore_CreateString(&rev, kv, "k", "second");
    IT_CHECK(s != NATS_OK && strstr(it_nats_last_error(), "wrong last sequence"),
             "create over a live key fails: %s (%s)", natsStatus_GetText(s), it_nats_last_error());
    itk_put(kv, "other", "o");
    IT_NATS(kvStore_Delete(kv, "k"));
    IT_NATS(kvStore_CreateString(&rev, kv, "k", "after-del"));
    IT_CHECK(rev == 4, "create over a delete marker: revision 4 (%llu)", (unsigned long long)rev);
    itk_expect_get(kv, "k", "after-del", 4, "value created after the delete");
    IT_NATS(kvStore_Purge(kv, "k", NULL));
    IT_NATS(kvStore_CreateString(&rev, kv, "k", "after-purge"));
    IT_CHECK(rev == 6, "create over a purge marker: revision 6 (%llu)", (unsigned long long)rev);
    itk_expect_get(kv, "k", "after-purge", 6, "value created after the purge");
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_update(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "UPD", 5);
    uint64_t r1 = itk_put(kv, "k", "a");
    uint64_t r2 = 0;
    uint64_t r3 = 0;
    natsStatus s;

    itk_put(kv, "z", "moves the stream sequence");
    IT_NATS(kvStore_UpdateString(&r2, kv, "k", "b", r1));
    IT_CHECK(r2 == 3, "update at the current revision 1: new revision 3");
    s = kvStore_UpdateString(NULL, kv, "k", "c", r1);
    IT_CHECK(s != NATS_OK && strstr(it_nats_last_error(), "wrong last sequence: 3"),
             "update at the stale revision 1 fails: %s (%s)", natsStatus_GetText(s),
             it_nats_last_error());
    s = kvStore_UpdateString(NULL, kv, "nokey", "c", 2);
    IT_CHECK(s != NATS_OK && strstr(it_nats_last_error(), "wrong last sequence: 0"),
             "update of a missing key fails: %s (%s)", natsStatus_GetText(s), it_nats_last_error());
    s = kvStore_UpdateString(NULL, kv, "k", "c", 2);
    IT_CHECK(s != NATS_OK, "update at another key's revision fails: %s (%s)", natsStatus_GetText(s),
             it_nats_last_error());
    IT_NATS(kvStore_UpdateString(&r3, kv, "k", "c", r2));
    IT_CHECK(r3 == 4, "update at revision 3: new revision 4");
    itk_expect_get(kv, "k", "c", 4, "value after two updates");
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_get_revision(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "GR", 5);
    kvEntry *e = NULL;
    char got[256];
    natsStatus s;

    itk_put(kv, "k", "v1");
    itk_put(kv, "j", "j1");
    itk_put(kv, "k", "v2");
    IT_NATS(kvStore_Delete(kv, "k"));
    IT_NATS(kvStore_GetRevision(&e, kv, "k", 1));
    itk_entry_desc(e, got, sizeof(got));
    itk_expect_desc(got, "k=v1@1", "revision 1");
    kvEntry_Destroy(e);
    e = NULL;
    IT_NATS(kvStore_GetRevision(&e, kv, "k", 3));
    itk_entry_desc(e, got, sizeof(got));
    itk_expect_desc(got, "k=v2@3", "revision 3");
    kvEntry_Destroy(e);
    e = NULL;
    s = kvStore_GetRevision(&e, kv, "k", 4);
    IT_CHECK(s == NATS_NOT_FOUND, "revision 4 is the delete marker: not found (%s)",
             natsStatus_GetText(s));
    s = kvStore_GetRevision(&e, kv, "k", 2);
    IT_CHECK(s == NATS_NOT_FOUND, "revision 2 belongs to j: not found (%s)", natsStatus_GetText(s));
    itk_expect_not_found(kv, "k", "latest is the delete marker");
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_delete_purge(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "DP", 10);
    char got[ITK_DESC_CAP];
    char h[64];
    int len = -1;

    itk_put(kv, "k", "1");
    itk_put(kv, "k", "2");
    itk_put(kv, "o", "x");
    IT_NATS(kvStore_Delete(kv, "k"));
    itk_expect_not_found(kv, "k", "deleted key");
    itk_history_desc(kv, "k", NULL, got);
    itk_expect_desc(got, "k=1@1 k=2@2 k:DEL@4", "history keeps the values and the DEL marker");
    raw_header(&env, "KV_DP", "$KV.DP.k", "KV-Operation", h, sizeof(h), &len);
    IT_CHECK(strcmp(h, "DEL") == 0 && len == 0, "stored marker: KV-Operation: %s, %d bytes", h,
             len);

    itk_put(kv, "k", "3");
    IT_NATS(kvStore_Purge(kv, "k", NULL));
    itk_expect_not_found(kv, "k", "purged key");
    itk_history_desc(kv, "k", NULL, got);
    itk_expect_desc(got, "k:PURGE@6", "purge rolls the key up to its marker");
    raw_header(&env, "KV_DP", "$KV.DP.k", "KV-Operation", h, sizeof(h), &len);
    IT_CHECK(strcmp(h, "PURGE") == 0 && len == 0, "stored marker: KV-Operation: %s", h);
    raw_header(&env, "KV_DP", "$KV.DP.k", "Nats-Rollup", h, sizeof(h), NULL);
    IT_CHECK(strcmp(h, "sub") == 0, "stored marker: Nats-Rollup: %s", h);
    itj_expect_state(&env, "KV_DP", 2, 3, 6, "o and the purge marker remain");
    itk_expect_get(kv, "o", "x", 3, "the other key is untouched");
    kvStore_Destroy(kv);
    itj_stop(&env);
}

/* Purges <subj> from KV_PDL keeping <keep> messages, as kvStore_PurgeDeletes does per marker
 * (that call itself leaks a watcher in libnats 3.4.1, which ASan builds would report). */
static void purge_subject(struct itj_env *env, const char *subj, uint64_t keep)
{
    jsOptions o;
    jsErrCode ec = 0;
    natsStatus s;

    IT_NATS(jsOptions_Init(&o));
    o.Stream.Purge.Subject = subj;
    o.Stream.Purge.Keep = keep;
    s = js_PurgeStream(env->js, "KV_PDL", &o, &ec);
    IT_ASSERT(s == NATS_OK, "purge KV_PDL %s keep %llu: %s err_code %d", subj,
              (unsigned long long)keep, natsStatus_GetText(s), (int)ec);
}

void kv_case_purge_deletes(void)
{
    struct itj_env env;
    kvStore *kv = setup(&env, "PDL", 5);
    char got[ITK_DESC_CAP];

    itk_put(kv, "a", "1");
    itk_put(kv, "b", "1");
    itk_put(kv, "b", "2");
    IT_NATS(kvStore_Delete(kv, "b"));
    itk_put(kv, "c", "1");
    IT_NATS(kvStore_Purge(kv, "c", NULL));
    itj_expect_state(&env, "KV_PDL", 5, 1, 6, "before: a, b x2, b DEL, c PURGE");
    purge_subject(&env, "$KV.PDL.b", 1);
    purge_subject(&env, "$KV.PDL.c", 1);
    itj_expect_state(&env, "KV_PDL", 3, 1, 6, "recent markers kept (purge with keep 1)");
    itk_history_desc(kv, "b", NULL, got);
    itk_expect_desc(got, "b:DEL@4", "b keeps only its marker");
    purge_subject(&env, "$KV.PDL.b", 0);
    purge_subject(&env, "$KV.PDL.c", 0);
    itj_expect_state(&env, "KV_PDL", 1, 1, 6, "all markers purged (keep 0)");
    itk_expect_get(kv, "a", "1", 1, "live key kept");
    itk_expect_not_found(kv, "b", "b after the purge");
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_non_direct(void)
{
    struct itj_env env;
    struct itj_stream st;
    kvStore *kv = NULL;
    kvEntry *e = NULL;
    char got[ITK_DESC_CAP];
    natsStatus s;

    /* a bucket made by an old client: no allow_direct, so gets use STREAM.MSG.GET */
    itj_start(&env);
    itj_stream_init(&st, "KV_ND", "$KV.ND.>", NULL);
    st.cfg.MaxMsgsPerSubject = 3;
    st.cfg.AllowRollup = true;
    st.cfg.DenyDelete = true;
    st.cfg.Discard = js_DiscardNew;
    itj_stream_add(&env, &st);
    IT_NATS(js_KeyValue(&kv, env.js, "ND"));
    itk_expect_not_found(kv, "k", "missing key without direct get");
    itk_put(kv, "k", "v1");
    itk_put(kv, "j", "j1");
    itk_put(kv, "k", "v2");
    itk_expect_get(kv, "k", "v2", 3, "last by subject through STREAM.MSG.GET");
    IT_NATS(kvStore_GetRevision(&e, kv, "k", 1));
    itk_entry_desc(e, got, sizeof(got));
    itk_expect_desc(got, "k=v1@1", "revision 1 through STREAM.MSG.GET");
    kvEntry_Destroy(e);
    e = NULL;
    s = kvStore_GetRevision(&e, kv, "k", 2);
    IT_CHECK(s == NATS_NOT_FOUND, "revision of another key: %s", natsStatus_GetText(s));
    IT_NATS(kvStore_Delete(kv, "k"));
    itk_expect_not_found(kv, "k", "deleted key without direct get");
    kvStore_Destroy(kv);
    itj_stop(&env);
}
