/* it_kv: Key-Value bucket integration cases through libnats' KV API (js_CreateKeyValue,
 * kvStore_*, kvWatcher_*), checked against the stream KV_<bucket> underneath.
 *
 * Each case is a function kv_case_<name>() listed in it_kv_cases.def. It starts its own
 * JetStream server through itj_start() (it_js.h), prints one "ok:" line per property it checked
 * and returns normally on success; a failed check ends the process through it_fail(). Expected
 * values are what nats-server 2.9.10 does with libnats 3.4.1 (NATS-REFERENCE.md §3). libnats
 * 3.4.1 has no Object Store API, so Object Store is covered by tests/js/obj.test.mjs only.
 */
#ifndef GN_IT_KV_H
#define GN_IT_KV_H

#include "it_js.h"

#define IT_CASE(name) void kv_case_##name(void);
#include "it_kv_cases.def"
#undef IT_CASE

#define ITK_NS_PER_MS 1000000LL /* nanoseconds in a millisecond (JetStream durations are ns) */
#define ITK_WAIT      5000      /* ms to wait for one watcher entry or a key list */
#define ITK_DESC_CAP  1024      /* capacity of the entry-list descriptions the cases compare */

/* Initializes <cfg> with kvConfig_Init(), bucket <bucket> and <history> (0 keeps 1). */
void itk_config_init(kvConfig *cfg, const char *bucket, uint8_t history);

/* Creates the bucket with js_CreateKeyValue(<cfg>) on <env>; fails the test on error. Returns
 * the kvStore the caller destroys with kvStore_Destroy(). */
kvStore *itk_create(struct itj_env *env, kvConfig *cfg);

/* Puts the string <val> under <key> with kvStore_PutString; fails the test on error. Returns
 * the revision. */
uint64_t itk_put(kvStore *kv, const char *key, const char *val);

/* Writes a one-line description of <e> into <out> (capacity <cap>): "<key>=<value>@<rev>" for
 * a put, "<key>:DEL@<rev>" / "<key>:PURGE@<rev>" for markers, "|" for a NULL entry (the
 * watcher's end of initial data). */
void itk_entry_desc(kvEntry *e, char *out, size_t cap);

/* Gets <key> and checks that kvStore_Get answers a put of <val> at revision <rev>, printing
 * "ok: <what>". */
void itk_expect_get(kvStore *kv, const char *key, const char *val, uint64_t rev, const char *what);

/* Checks that kvStore_Get(<key>) answers NATS_NOT_FOUND (a missing, deleted or purged key). */
void itk_expect_not_found(kvStore *kv, const char *key, const char *what);

/* Reads <n> items (entries or the NULL end-of-initial-data marker) from <w>, waiting up to
 * ITK_WAIT ms for each, and writes their descriptions separated by spaces into <out>
 * (capacity ITK_DESC_CAP). Stops early (leaving what it got) on a timeout; returns the number
 * of items read. */
int itk_watch_take(kvWatcher *w, int n, char *out);

/* Checks that nothing arrives on <w> within <ms> milliseconds. */
void itk_watch_quiet(kvWatcher *w, int ms, const char *what);

/* Compares <got> with <want> (both descriptions) with IT_CHECK and <what>. */
void itk_expect_desc(const char *got, const char *want, const char *what);

/* Describes the entries of kvStore_History(<key>, <opts>) into <out> (capacity ITK_DESC_CAP);
 * fails the test unless the call returns NATS_OK. */
void itk_history_desc(kvStore *kv, const char *key, kvWatchOptions *opts, char *out);

#endif
