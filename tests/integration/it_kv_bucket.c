/* it_kv cases about buckets: the stream config js_CreateKeyValue makes, open / delete, an
 * update through STREAM.UPDATE, memory storage, TTL, max value size, max bytes, republish and a
 * restart with file storage.
 */
#include "it_kv.h"

#include <stdio.h>
#include <string.h>

/* Returns the stream info of KV_<bucket>; the caller destroys it. */
static jsStreamInfo *kv_stream(struct itj_env *env, const char *bucket)
{
    char name[64];

    snprintf(name, sizeof(name), "KV_%s", bucket);
    return itj_stream_info(env, name);
}

void kv_case_bucket_config(void)
{
    struct itj_env env;
    kvConfig cfg;
    kvStore *kv;
    kvStatus *sts = NULL;
    jsStreamInfo *si;
    jsStreamConfig *c;

    itj_start(&env);
    itk_config_init(&cfg, "CFG", 5);
    cfg.Description = "settings";
    cfg.TTL = 60000 * ITK_NS_PER_MS;
    cfg.MaxValueSize = 1024;
    cfg.MaxBytes = 1 << 20;
    cfg.StorageType = js_FileStorage;
    kv = itk_create(&env, &cfg);
    IT_CHECK(strcmp(kvStore_Bucket(kv), "CFG") == 0, "kvStore_Bucket is CFG");

    si = kv_stream(&env, "CFG");
    c = si->Config;
    IT_CHECK(c->SubjectsLen == 1 && strcmp(c->Subjects[0], "$KV.CFG.>") == 0,
             "stream KV_CFG on $KV.CFG.>");
    IT_CHECK(c->MaxMsgsPerSubject == 5, "max_msgs_per_subject = history 5 (%lld)",
             (long long)c->MaxMsgsPerSubject);
    IT_CHECK(c->MaxAge == 60000 * ITK_NS_PER_MS, "max_age = TTL 60 s (%lld ns)",
             (long long)c->MaxAge);
    IT_CHECK(c->Duplicates == 60000 * ITK_NS_PER_MS,
             "duplicate_window clamped to max_age (%lld ns)", (long long)c->Duplicates);
    IT_CHECK(c->MaxMsgSize == 1024, "max_msg_size = max value size 1024 (%d)", (int)c->MaxMsgSize);
    IT_CHECK(c->MaxBytes == 1 << 20, "max_bytes 1 MiB (%lld)", (long long)c->MaxBytes);
    IT_CHECK(c->Storage == js_FileStorage, "file storage");
    IT_CHECK(c->Discard == js_DiscardNew, "discard new");
    IT_CHECK(c->Retention == js_LimitsPolicy, "limits retention");
    IT_CHECK(c->AllowRollup && c->DenyDelete && c->AllowDirect,
             "allow_rollup_hdrs %d, deny_delete %d, allow_direct %d", c->AllowRollup, c->DenyDelete,
             c->AllowDirect);
    IT_CHECK(c->Description && strcmp(c->Description, "settings") == 0, "description kept");
    jsStreamInfo_Destroy(si);

    itk_put(kv, "a", "1");
    itk_put(kv, "b", "2");
    itk_put(kv, "a", "3");
    IT_NATS(kvStore_Status(&sts, kv));
    IT_CHECK(strcmp(kvStatus_Bucket(sts), "CFG") == 0, "status bucket CFG");
    IT_CHECK(kvStatus_Values(sts) == 3, "status values 3 (%llu)",
             (unsigned long long)kvStatus_Values(sts));
    IT_CHECK(kvStatus_History(sts) == 5, "status history 5 (%lld)",
             (long long)kvStatus_History(sts));
    IT_CHECK(kvStatus_TTL(sts) == 60000 * ITK_NS_PER_MS, "status ttl 60 s (%lld)",
             (long long)kvStatus_TTL(sts));
    IT_CHECK(kvStatus_Replicas(sts) == 1, "status replicas 1");
    kvStatus_Destroy(sts);
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_bucket_open_delete(void)
{
    struct itj_env env;
    kvConfig cfg;
    kvStore *kv;
    kvStore *again = NULL;
    natsStatus s;

    itj_start(&env);
    s = js_KeyValue(&again, env.js, "NOPE");
    IT_CHECK(s == NATS_NOT_FOUND, "js_KeyValue of a missing bucket: %s", natsStatus_GetText(s));

    itk_config_init(&cfg, "OD", 2);
    kv = itk_create(&env, &cfg);
    itk_put(kv, "k", "v");
    IT_NATS(js_KeyValue(&again, env.js, "OD"));
    itk_expect_get(again, "k", "v", 1, "a second handle from js_KeyValue");
    kvStore_Destroy(again);
    again = NULL;

    /* creating it again with the same config is idempotent */
    kvStore_Destroy(itk_create(&env, &cfg));
    it_ok("js_CreateKeyValue of an existing bucket with the same config succeeds");
    cfg.History = 7;
    s = js_CreateKeyValue(&again, env.js, &cfg);
    IT_CHECK(s != NATS_OK, "js_CreateKeyValue with a different history fails: %s (%s)",
             natsStatus_GetText(s), it_nats_last_error());
    kvStore_Destroy(again);
    again = NULL;

    IT_NATS(js_DeleteKeyValue(env.js, "OD"));
    s = js_KeyValue(&again, env.js, "OD");
    IT_CHECK(s == NATS_NOT_FOUND, "js_KeyValue after js_DeleteKeyValue: %s", natsStatus_GetText(s));
    s = js_DeleteKeyValue(env.js, "OD");
    IT_CHECK(s == NATS_NOT_FOUND, "deleting it again: %s", natsStatus_GetText(s));
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_bucket_update(void)
{
    struct itj_env env;
    kvConfig cfg;
    kvStore *kv;
    kvStatus *sts = NULL;
    jsStreamInfo *si;
    jsStreamInfo *upd = NULL;
    jsErrCode ec = 0;
    char got[ITK_DESC_CAP];
    natsStatus s;

    itj_start(&env);
    itk_config_init(&cfg, "UP", 1);
    kv = itk_create(&env, &cfg);
    si = kv_stream(&env, "UP");
    si->Config->MaxMsgsPerSubject = 3;
    si->Config->MaxAge = 300000 * ITK_NS_PER_MS;
    s = js_UpdateStream(&upd, env.js, si->Config, NULL, &ec);
    IT_CHECK(s == NATS_OK, "STREAM.UPDATE of KV_UP to history 3, ttl 5 min: %s err_code %d",
             natsStatus_GetText(s), (int)ec);
    jsStreamInfo_Destroy(upd);
    jsStreamInfo_Destroy(si);
    IT_NATS(kvStore_Status(&sts, kv));
    IT_CHECK(kvStatus_History(sts) == 3 && kvStatus_TTL(sts) == 300000 * ITK_NS_PER_MS,
             "status shows history %lld, ttl %lld ns", (long long)kvStatus_History(sts),
             (long long)kvStatus_TTL(sts));
    kvStatus_Destroy(sts);
    for (int i = 1; i <= 5; i++) {
        char v[8];

        snprintf(v, sizeof(v), "v%d", i);
        itk_put(kv, "k", v);
    }
    itk_history_desc(kv, "k", NULL, got);
    itk_expect_desc(got, "k=v3@3 k=v4@4 k=v5@5", "history after the update keeps 3");
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_bucket_memory(void)
{
    struct itj_env env;
    kvConfig cfg;
    kvStore *kv;
    jsStreamInfo *si;

    itj_start(&env);
    itk_config_init(&cfg, "MEM", 2);
    cfg.StorageType = js_MemoryStorage;
    kv = itk_create(&env, &cfg);
    si = kv_stream(&env, "MEM");
    IT_CHECK(si->Config->Storage == js_MemoryStorage, "KV_MEM uses memory storage");
    jsStreamInfo_Destroy(si);
    itk_put(kv, "a", "x");
    itk_put(kv, "a", "y");
    itk_put(kv, "a", "z");
    itk_expect_get(kv, "a", "z", 3, "latest value in a memory bucket");
    itj_expect_state(&env, "KV_MEM", 2, 2, 3, "history 2 keeps two revisions");
    kvStore_Destroy(kv);
    itj_stop(&env);
}

static bool key_gone(void *arg)
{
    kvEntry *e = NULL;
    natsStatus s = kvStore_Get(&e, (kvStore *)arg, "k");

    kvEntry_Destroy(e);
    return s == NATS_NOT_FOUND;
}

void kv_case_bucket_ttl(void)
{
    struct itj_env env;
    kvConfig cfg;
    kvStore *kv;
    jsStreamInfo *si;
    kvKeysList keys = {0};
    natsStatus s;

    itj_start(&env);
    itk_config_init(&cfg, "TTL", 1);
    cfg.TTL = 1000 * ITK_NS_PER_MS;
    kv = itk_create(&env, &cfg);
    si = kv_stream(&env, "TTL");
    IT_CHECK(si->Config->MaxAge == 1000 * ITK_NS_PER_MS &&
                 si->Config->Duplicates == 1000 * ITK_NS_PER_MS,
             "max_age 1 s and duplicate_window 1 s (%lld, %lld)", (long long)si->Config->MaxAge,
             (long long)si->Config->Duplicates);
    jsStreamInfo_Destroy(si);
    itk_put(kv, "k", "v");
    itk_expect_get(kv, "k", "v", 1, "value readable before it expires");
    IT_CHECK(it_wait_until(key_gone, kv, 6000), "the value expires (not found) within 6 s");
    itj_expect_state(&env, "KV_TTL", 0, 2, 1, "the stream is empty after expiry");
    s = kvStore_Keys(&keys, kv, NULL);
    IT_CHECK(keys.Count == 0, "no keys after expiry (%s, %d keys)", natsStatus_GetText(s),
             keys.Count);
    kvKeysList_Destroy(&keys);
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_bucket_max_value_size(void)
{
    struct itj_env env;
    kvConfig cfg;
    kvStore *kv;
    natsStatus s;

    itj_start(&env);
    itk_config_init(&cfg, "MVS", 1);
    cfg.MaxValueSize = 16;
    kv = itk_create(&env, &cfg);
    IT_CHECK(itk_put(kv, "ok", "0123456789abcdef") == 1, "a 16-byte value fits");
    s = kvStore_PutString(NULL, kv, "big", "0123456789abcdefX");
    IT_CHECK(s != NATS_OK && strstr(it_nats_last_error(), "message size exceeds maximum allowed"),
             "a 17-byte value is refused: %s (%s)", natsStatus_GetText(s), it_nats_last_error());
    itk_expect_not_found(kv, "big", "the refused value is not stored");
    itj_expect_state(&env, "KV_MVS", 1, 1, 1, "one message stored");
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_bucket_max_bytes(void)
{
    struct itj_env env;
    kvConfig cfg;
    kvStore *kv;
    jsStreamInfo *si;
    char val[201];
    int stored = 0;
    natsStatus s = NATS_OK;

    itj_start(&env);
    itk_config_init(&cfg, "MB", 10);
    cfg.MaxBytes = 2048;
    kv = itk_create(&env, &cfg);
    memset(val, 'x', 200);
    val[200] = '\0';
    for (int i = 0; i < 30 && s == NATS_OK; i++) {
        char key[16];

        snprintf(key, sizeof(key), "k%d", i);
        s = kvStore_PutString(NULL, kv, key, val);
        if (s == NATS_OK)
            stored++;
    }
    IT_CHECK(s != NATS_OK && strstr(it_nats_last_error(), "maximum bytes exceeded"),
             "a put past max_bytes 2048 is refused after %d values: %s (%s)", stored,
             natsStatus_GetText(s), it_nats_last_error());
    IT_CHECK(stored >= 5 && stored < 11, "between 5 and 10 values of 200 bytes fit (%d)", stored);
    si = kv_stream(&env, "MB");
    IT_CHECK(si->State.Msgs == (uint64_t)stored && si->State.Bytes <= 2048,
             "the stream keeps %llu msgs, %llu bytes", (unsigned long long)si->State.Msgs,
             (unsigned long long)si->State.Bytes);
    jsStreamInfo_Destroy(si);
    kvStore_Destroy(kv);
    itj_stop(&env);
}

/* Receives one republished message on <sub> and checks subject, body and stream headers. */
static void expect_republished(natsSubscription *sub, const char *subj, const char *body,
                               const char *seq, const char *last, const char *op)
{
    natsMsg *m = NULL;
    const char *v = NULL;
    natsStatus s = natsSubscription_NextMsg(&m, sub, ITK_WAIT);

    IT_ASSERT(s == NATS_OK, "no republished message for %s: %s", subj, natsStatus_GetText(s));
    IT_CHECK(strcmp(natsMsg_GetSubject(m), subj) == 0 &&
                 natsMsg_GetDataLength(m) == (int)strlen(body) &&
                 memcmp(natsMsg_GetData(m), body, strlen(body)) == 0,
             "republished on %s with body '%s'", subj, body);
    IT_CHECK(natsMsgHeader_Get(m, "Nats-Stream", &v) == NATS_OK && strcmp(v, "KV_RP") == 0,
             "  Nats-Stream: KV_RP");
    IT_CHECK(natsMsgHeader_Get(m, "Nats-Sequence", &v) == NATS_OK && strcmp(v, seq) == 0,
             "  Nats-Sequence: %s", seq);
    IT_CHECK(natsMsgHeader_Get(m, "Nats-Last-Sequence", &v) == NATS_OK && strcmp(v, last) == 0,
             "  Nats-Last-Sequence: %s", last);
    IT_CHECK(natsMsgHeader_Get(m, "Nats-Subject", &v) == NATS_OK && strcmp(v, "$KV.RP.user.1") == 0,
             "  Nats-Subject: $KV.RP.user.1");
    if (op)
        IT_CHECK(natsMsgHeader_Get(m, "KV-Operation", &v) == NATS_OK && strcmp(v, op) == 0,
                 "  KV-Operation: %s", op);
    natsMsg_Destroy(m);
}

void kv_case_bucket_republish(void)
{
    struct itj_env env;
    kvConfig cfg;
    jsRePublish rp = {.Source = "$KV.RP.>", .Destination = "rp.changes.>"};
    kvStore *kv;
    natsSubscription *sub = NULL;
    jsStreamInfo *si;

    itj_start(&env);
    itk_config_init(&cfg, "RP", 2);
    cfg.RePublish = &rp;
    kv = itk_create(&env, &cfg);
    si = kv_stream(&env, "RP");
    IT_CHECK(si->Config->RePublish && strcmp(si->Config->RePublish->Source, "$KV.RP.>") == 0 &&
                 strcmp(si->Config->RePublish->Destination, "rp.changes.>") == 0,
             "stream config keeps republish $KV.RP.> -> rp.changes.>");
    jsStreamInfo_Destroy(si);
    IT_NATS(natsConnection_SubscribeSync(&sub, env.nc, "rp.changes.>"));
    IT_NATS(natsConnection_Flush(env.nc));
    itk_put(kv, "user.1", "alice");
    itk_put(kv, "user.1", "bob");
    IT_NATS(kvStore_Delete(kv, "user.1"));
    expect_republished(sub, "rp.changes.user.1", "alice", "1", "0", NULL);
    expect_republished(sub, "rp.changes.user.1", "bob", "2", "1", NULL);
    expect_republished(sub, "rp.changes.user.1", "", "3", "2", "DEL");
    natsSubscription_Destroy(sub);
    kvStore_Destroy(kv);
    itj_stop(&env);
}

void kv_case_bucket_restart(void)
{
    struct itj_env env;
    kvConfig cfg;
    kvStore *kv;
    kvStatus *sts = NULL;
    uint64_t rev = 0;
    char got[ITK_DESC_CAP];
    natsStatus s;

    itj_start(&env);
    itk_config_init(&cfg, "KEEP", 3);
    kv = itk_create(&env, &cfg);
    itk_put(kv, "a", "a1");
    itk_put(kv, "a", "a2");
    itk_put(kv, "b", "b1");
    IT_NATS(kvStore_Delete(kv, "b"));
    itk_put(kv, "c", "c1");
    IT_NATS(kvStore_Purge(kv, "c", NULL));
    kvStore_Destroy(kv);
    itj_disconnect(&env);
    it_server_stop(&env.srv);
    it_server_restart(&env.srv);
    itj_reconnect(&env);

    IT_NATS(js_KeyValue(&kv, env.js, "KEEP"));
    IT_NATS(kvStore_Status(&sts, kv));
    IT_CHECK(kvStatus_History(sts) == 3 && kvStatus_Values(sts) == 5,
             "after restart: history %lld, values %llu (want 3, 5)",
             (long long)kvStatus_History(sts), (unsigned long long)kvStatus_Values(sts));
    kvStatus_Destroy(sts);
    itk_expect_get(kv, "a", "a2", 2, "after restart");
    itk_expect_not_found(kv, "b", "deleted key after restart");
    itk_expect_not_found(kv, "c", "purged key after restart");
    itk_history_desc(kv, "a", NULL, got);
    itk_expect_desc(got, "a=a1@1 a=a2@2", "history of a after restart");
    IT_NATS(kvStore_PutString(&rev, kv, "a", "a3"));
    IT_CHECK(rev == 7, "revisions continue at 7 (%llu)", (unsigned long long)rev);
    s = kvStore_CreateString(&rev, kv, "b", "b2");
    IT_CHECK(s == NATS_OK && rev == 8, "create over the delete marker after restart: %s rev %llu",
             natsStatus_GetText(s), (unsigned long long)rev);
    kvStore_Destroy(kv);
    itj_stop(&env);
}
