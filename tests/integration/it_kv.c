/* it_kv: runs one Key-Value case, named by argv[1], against $GANNET_SERVER_BIN.
 *
 * One executable, one CTest entry per case (see CMakeLists.txt and it_kv_cases.def);
 * `it_kv --list` prints the case names. This file also holds the KV helpers shared by the case
 * files (bucket creation, gets with expectations, watcher entries described as short strings
 * so that a failure prints the whole sequence it saw); the contracts are in it_kv.h.
 */
#include "it_kv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct it_case g_cases[] = {
#define IT_CASE(name) {#name, kv_case_##name},
#include "it_kv_cases.def"
#undef IT_CASE
};

void itk_config_init(kvConfig *cfg, const char *bucket, uint8_t history)
{
    IT_NATS(kvConfig_Init(cfg));
    cfg->Bucket = bucket;
    cfg->History = history;
}

kvStore *itk_create(struct itj_env *env, kvConfig *cfg)
{
    kvStore *kv = NULL;
    natsStatus s = js_CreateKeyValue(&kv, env->js, cfg);

    IT_ASSERT(s == NATS_OK, "js_CreateKeyValue(%s): %s (%s)", cfg->Bucket, natsStatus_GetText(s),
              it_nats_last_error());
    return kv;
}

uint64_t itk_put(kvStore *kv, const char *key, const char *val)
{
    uint64_t rev = 0;
    natsStatus s = kvStore_PutString(&rev, kv, key, val);

    IT_ASSERT(s == NATS_OK, "kvStore_PutString(%s): %s (%s)", key, natsStatus_GetText(s),
              it_nats_last_error());
    return rev;
}

void itk_entry_desc(kvEntry *e, char *out, size_t cap)
{
    unsigned long long rev;

    if (!e) {
        snprintf(out, cap, "|");
        return;
    }
    rev = (unsigned long long)kvEntry_Revision(e);
    switch (kvEntry_Operation(e)) {
    case kvOp_Put:
        snprintf(out, cap, "%s=%.*s@%llu", kvEntry_Key(e), kvEntry_ValueLen(e),
                 (const char *)kvEntry_Value(e), rev);
        break;
    case kvOp_Delete:
        snprintf(out, cap, "%s:DEL@%llu", kvEntry_Key(e), rev);
        break;
    case kvOp_Purge:
        snprintf(out, cap, "%s:PURGE@%llu", kvEntry_Key(e), rev);
        break;
    default:
        snprintf(out, cap, "%s:?@%llu", kvEntry_Key(e), rev);
        break;
    }
}

void itk_expect_get(kvStore *kv, const char *key, const char *val, uint64_t rev, const char *what)
{
    kvEntry *e = NULL;
    natsStatus s = kvStore_Get(&e, kv, key);
    char got[256];
    char want[256];

    IT_ASSERT(s == NATS_OK, "%s: kvStore_Get(%s): %s (%s)", what, key, natsStatus_GetText(s),
              it_nats_last_error());
    itk_entry_desc(e, got, sizeof(got));
    snprintf(want, sizeof(want), "%s=%s@%llu", key, val, (unsigned long long)rev);
    IT_CHECK(strcmp(got, want) == 0, "%s: get %s -> %s (want %s)", what, key, got, want);
    kvEntry_Destroy(e);
}

void itk_expect_not_found(kvStore *kv, const char *key, const char *what)
{
    kvEntry *e = NULL;
    natsStatus s = kvStore_Get(&e, kv, key);
    char got[256];

    itk_entry_desc(e, got, sizeof(got));
    IT_CHECK(s == NATS_NOT_FOUND && e == NULL, "%s: get %s -> %s (%s)", what, key,
             natsStatus_GetText(s), s == NATS_OK ? got : it_nats_last_error());
    kvEntry_Destroy(e);
}

int itk_watch_take(kvWatcher *w, int n, char *out)
{
    size_t len = 0;
    int got = 0;

    out[0] = '\0';
    for (; got < n; got++) {
        kvEntry *e = NULL;
        char one[256];

        if (kvWatcher_Next(&e, w, ITK_WAIT) != NATS_OK)
            break;
        itk_entry_desc(e, one, sizeof(one));
        kvEntry_Destroy(e);
        len += (size_t)snprintf(out + len, ITK_DESC_CAP - len, "%s%s", got ? " " : "", one);
        if (len >= ITK_DESC_CAP)
            len = ITK_DESC_CAP - 1;
    }
    return got;
}

void itk_watch_quiet(kvWatcher *w, int ms, const char *what)
{
    kvEntry *e = NULL;
    natsStatus s = kvWatcher_Next(&e, w, ms);
    char got[256];

    itk_entry_desc(e, got, sizeof(got));
    IT_CHECK(s == NATS_TIMEOUT, "%s: nothing more within %d ms (%s%s%s)", what, ms,
             natsStatus_GetText(s), s == NATS_OK ? ": " : "", s == NATS_OK ? got : "");
    kvEntry_Destroy(e);
}

void itk_expect_desc(const char *got, const char *want, const char *what)
{
    IT_CHECK(strcmp(got, want) == 0, "%s: '%s'%s%s%s", what, got,
             strcmp(got, want) ? " (want '" : "", strcmp(got, want) ? want : "",
             strcmp(got, want) ? "')" : "");
}

void itk_history_desc(kvStore *kv, const char *key, kvWatchOptions *opts, char *out)
{
    kvEntryList l = {0};
    natsStatus s = kvStore_History(&l, kv, key, opts);
    size_t len = 0;

    IT_ASSERT(s == NATS_OK, "kvStore_History(%s): %s (%s)", key, natsStatus_GetText(s),
              it_nats_last_error());
    out[0] = '\0';
    for (int i = 0; i < l.Count; i++) {
        char one[256];

        itk_entry_desc(l.Entries[i], one, sizeof(one));
        len += (size_t)snprintf(out + len, ITK_DESC_CAP - len, "%s%s", i ? " " : "", one);
        if (len >= ITK_DESC_CAP)
            len = ITK_DESC_CAP - 1;
    }
    kvEntryList_Destroy(&l);
}

int main(int argc, char **argv)
{
    return it_main(argc, argv, g_cases, sizeof(g_cases) / sizeof(g_cases[0]));
}
