/* CLI cases: the Key-Value store (kv add/put/get/create/update/del/purge/keys/history/watch/
 * ls/info/rm) and the Object Store (object add/put/get/ls/info/del/watch, a multi-chunk binary
 * file round-tripped byte for byte), with their JSON results.
 */
#include "ct.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ct_res r;

void ct_case_kv_basic(void)
{
    ct_start(NULL);
    CT(&r, NULL, "kv", "add", "CFG", "--history", "5", "--description", "app config");
    CT_EXIT(&r, 0, "kv add");
    CT_HAS(&r, "Information for Key-Value Store Bucket CFG");
    CT_HAS(&r, "History Kept: 5");
    CT(&r, NULL, "kv", "add", "bad.name");
    CT_EXIT(&r, 1, "kv add with an invalid bucket name");
    CT(&r, NULL, "kv", "add", "X", "--history", "100");
    CT_EXIT(&r, 1, "kv add with history above 64");

    CT(&r, NULL, "kv", "put", "CFG", "db.host", "localhost");
    CT_EXIT(&r, 0, "kv put");
    IT_CHECK(strcmp(r.out, "localhost\n") == 0, "put prints the value (%s)", r.out);
    CT(&r, NULL, "kv", "put", "CFG", "db.host", "remote", "--json");
    CT_EXIT(&r, 0, "kv put --json");
    CT_HAS(&r, "\"status\": \"ok\"");
    CT_HAS(&r, "\"bucket\": \"CFG\"");
    CT_HAS(&r, "\"key\": \"db.host\"");
    CT_HAS(&r, "\"value\": \"remote\"");
    CT_HAS(&r, "\"revision\": 2");
    CT(&r, "from stdin", "kv", "put", "CFG", "motd");
    CT_EXIT(&r, 0, "kv put from stdin");

    CT(&r, NULL, "kv", "get", "CFG", "db.host");
    CT_EXIT(&r, 0, "kv get");
    CT_HAS(&r, "CFG > db.host revision: 2 created @");
    CT_HAS(&r, "remote");
    CT(&r, NULL, "kv", "get", "CFG", "db.host", "--raw");
    IT_CHECK(strcmp(r.out, "remote") == 0, "kv get --raw (%s)", r.out);
    CT(&r, NULL, "kv", "get", "CFG", "db.host", "--revision", "1", "--json");
    CT_EXIT(&r, 0, "kv get --revision --json");
    CT_HAS(&r, "\"value\": \"localhost\"");
    CT_HAS(&r, "\"revision\": 1");
    CT(&r, NULL, "kv", "get", "CFG", "motd", "--raw");
    IT_CHECK(strcmp(r.out, "from stdin") == 0, "stdin value stored (%s)", r.out);
    CT(&r, NULL, "kv", "get", "CFG", "missing");
    CT_EXIT(&r, 1, "kv get of a missing key");
    CT_ERR_HAS(&r, "key missing not found in bucket CFG");
    CT(&r, NULL, "kv", "get", "NOPE", "x");
    CT_EXIT(&r, 1, "kv get in a missing bucket");
    CT_ERR_HAS(&r, "bucket NOPE not found");
    IT_CHECK(strchr(r.err, '\n') == r.err + strlen(r.err) - 1, "one error line");
    CT(&r, NULL, "kv", "get", "CFG", ".bad");
    CT_EXIT(&r, 1, "kv get with an invalid key");

    CT(&r, NULL, "kv", "create", "CFG", "db.host", "again");
    CT_EXIT(&r, 1, "kv create of an existing key");
    CT_ERR_HAS(&r, "already exists");
    CT(&r, NULL, "kv", "create", "CFG", "db.port", "5432", "--json");
    CT_EXIT(&r, 0, "kv create of a new key");
    CT_HAS(&r, "\"revision\": 4");
    CT(&r, NULL, "kv", "update", "CFG", "db.port", "5433", "1");
    CT_EXIT(&r, 1, "kv update with a stale revision");
    CT_ERR_HAS(&r, "wrong last sequence");
    CT(&r, NULL, "kv", "update", "CFG", "db.port", "5433", "4", "--json");
    CT_EXIT(&r, 0, "kv update with the current revision");
    CT_HAS(&r, "\"revision\": 5");

    CT(&r, NULL, "kv", "del", "CFG", "db.port");
    CT_EXIT(&r, 1, "kv del without --force off a terminal");
    CT(&r, NULL, "kv", "del", "CFG", "db.port", "-f", "--json");
    CT_EXIT(&r, 0, "kv del");
    CT_HAS(&r, "\"operation\": \"DEL\"");
    CT(&r, NULL, "kv", "get", "CFG", "db.port");
    CT_EXIT(&r, 1, "deleted key is not found");
    CT(&r, NULL, "kv", "create", "CFG", "db.port", "reborn");
    CT_EXIT(&r, 0, "kv create over a deleted key");
    CT(&r, NULL, "kv", "purge", "CFG", "db.host", "-f");
    CT_EXIT(&r, 0, "kv purge");
    CT(&r, NULL, "kv", "history", "CFG", "db.host", "--json");
    CT_EXIT(&r, 0, "history after purge");
    CT_HAS(&r, "\"operation\": \"PURGE\"");
    CT_LACKS(&r, "localhost");

    CT(&r, NULL, "kv", "keys", "CFG");
    CT_EXIT(&r, 0, "kv keys");
    IT_CHECK(strstr(r.out, "db.port\n") && strstr(r.out, "motd\n") && !strstr(r.out, "db.host"),
             "keys skip purged keys (%s)", r.out);
    CT(&r, NULL, "kv", "ls", "CFG", "--json");
    CT_HAS(&r, "\"motd\"");
    CT(&r, NULL, "kv", "ls");
    CT_EXIT(&r, 0, "kv ls");
    CT_HAS(&r, "app config");
    CT(&r, NULL, "kv", "ls", "--names");
    IT_CHECK(strcmp(r.out, "CFG\n") == 0, "kv ls --names (%s)", r.out);
    CT(&r, NULL, "kv", "info", "CFG");
    CT_EXIT(&r, 0, "kv info");
    CT_HAS(&r, "JetStream Stream: KV_CFG");
    CT(&r, NULL, "kv", "info", "CFG", "--json");
    CT_HAS(&r, "\"bucket\": \"CFG\"");
    CT_HAS(&r, "\"history\": 5");

    CT(&r, NULL, "kv", "rm", "CFG", "-f");
    CT_EXIT(&r, 0, "kv rm <bucket>");
    CT(&r, NULL, "kv", "ls");
    CT_HAS(&r, "No Key-Value buckets found");
    CT(&r, NULL, "kv", "info", "CFG");
    CT_EXIT(&r, 1, "info of a removed bucket");
}

void ct_case_kv_history_watch(void)
{
    struct ct_bg w;
    ct_start(NULL);
    CT(&r, NULL, "kv", "add", "H", "--history", "3");
    CT_EXIT(&r, 0, "kv add --history 3");
    for (int i = 1; i <= 4; i++) {
        char v[16];
        snprintf(v, sizeof(v), "v%d", i);
        CT(&r, NULL, "kv", "put", "H", "k", v);
        CT_EXIT(&r, 0, "kv put");
    }
    CT(&r, NULL, "kv", "history", "H", "k");
    CT_EXIT(&r, 0, "kv history");
    CT_HAS(&r, "History for H > k");
    CT_LACKS(&r, "v1");
    CT_HAS(&r, "v2");
    CT_HAS(&r, "v4");
    CT(&r, NULL, "kv", "history", "H", "nokey");
    CT_EXIT(&r, 1, "history of a missing key");

    CT_BG(&w, "kv", "watch", "H", "--count", "3");
    IT_CHECK(ct_bg_wait_for(&w, "PUT H > k: v4", false, 5000), "watch shows the current value");
    CT(&r, NULL, "kv", "put", "H", "other", "o1");
    CT(&r, NULL, "kv", "del", "H", "k", "-f");
    ct_bg_finish(&w, &r, false, 5000);
    CT_EXIT(&r, 0, "watch ends after --count 3");
    CT_HAS(&r, "PUT H > other: o1");
    CT_HAS(&r, "DEL H > k");
    CT(&r, NULL, "kv", "watch", "H", "other", "--count", "1", "--json");
    CT_EXIT(&r, 0, "kv watch with a key filter --json");
    CT_HAS(&r, "\"key\":\"other\"");
    CT_HAS(&r, "\"value\":\"o1\"");
}

void ct_case_obj_basic(void)
{
    static char big[300000];
    ct_start(NULL);
    srandom(7);
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)(random() & 0xFF);
    const char *big_path = ct_file_write("big.bin", big, sizeof(big));
    const char *small_path = ct_file_write("small.txt", "hello object\n", 13);

    CT(&r, NULL, "object", "add", "FILES", "--description", "test files");
    CT_EXIT(&r, 0, "object add");
    CT_HAS(&r, "Information for Object Store Bucket FILES");
    CT(&r, NULL, "obj", "put", "FILES", big_path);
    CT_EXIT(&r, 0, "obj put of a 3-chunk file");
    CT_HAS(&r, "Object information for FILES > big.bin");
    CT_HAS(&r, "Chunks: 3");
    CT_HAS(&r, "Digest: SHA-256=");
    CT(&r, NULL, "obj", "put", "FILES", small_path, "--json");
    CT_EXIT(&r, 0, "obj put --json");
    CT_HAS(&r, "\"status\": \"ok\"");
    CT_HAS(&r, "\"name\": \"small.txt\"");
    CT_HAS(&r, "\"size\": 13");
    CT(&r, "piped data", "obj", "put", "FILES", "--name", "piped.txt");
    CT_EXIT(&r, 0, "obj put from stdin");
    CT(&r, "x", "obj", "put", "FILES");
    CT_EXIT(&r, 1, "obj put from stdin without --name");
    CT(&r, NULL, "obj", "put", "FILES", "/nonexistent/file");
    CT_EXIT(&r, 1, "obj put of a missing file");
    CT(&r, NULL, "obj", "put", "NOPE", small_path);
    CT_EXIT(&r, 1, "obj put into a missing bucket");
    CT_ERR_HAS(&r, "bucket NOPE not found");

    CT(&r, NULL, "obj", "ls", "FILES");
    CT_EXIT(&r, 0, "obj ls");
    CT_HAS(&r, "big.bin");
    CT_HAS(&r, "piped.txt");
    CT(&r, NULL, "obj", "ls", "FILES", "--json");
    CT_HAS(&r, "\"name\": \"small.txt\"");
    CT(&r, NULL, "obj", "info", "FILES", "big.bin", "--json");
    CT_EXIT(&r, 0, "obj info of an object");
    CT_HAS(&r, "\"size\": 300000");
    CT_HAS(&r, "\"chunks\": 3");
    CT(&r, NULL, "obj", "info", "FILES");
    CT_EXIT(&r, 0, "obj info of the bucket");
    CT_HAS(&r, "JetStream Stream: OBJ_FILES");

    char out_path[512];
    snprintf(out_path, sizeof(out_path), "%s.copy", big_path);
    CT(&r, NULL, "obj", "get", "FILES", "big.bin", "--output", out_path);
    CT_EXIT(&r, 0, "obj get to a file");
    CT_HAS(&r, "Wrote: 293.0 KiB to");
    FILE *f = fopen(out_path, "rb");
    static char back[sizeof(big) + 16];
    size_t n = f ? fread(back, 1, sizeof(back), f) : 0;
    if (f)
        fclose(f);
    IT_CHECK(n == sizeof(big) && memcmp(back, big, n) == 0, "the file round-trips (%zu bytes)", n);
    CT(&r, NULL, "obj", "get", "FILES", "big.bin", "--output", out_path);
    CT_EXIT(&r, 1, "obj get refuses to overwrite without --force");
    CT(&r, NULL, "obj", "get", "FILES", "piped.txt", "-O", "-");
    CT_EXIT(&r, 0, "obj get to stdout");
    IT_CHECK(strcmp(r.out, "piped data") == 0, "stdout has the object (%s)", r.out);
    CT(&r, NULL, "obj", "get", "FILES", "nothing");
    CT_EXIT(&r, 1, "obj get of a missing object");
    CT_ERR_HAS(&r, "object nothing not found in bucket FILES");

    CT(&r, NULL, "obj", "put", "FILES", small_path);
    CT_EXIT(&r, 1, "replacing needs --force off a terminal");
    CT(&r, NULL, "obj", "put", "FILES", small_path, "--force");
    CT_EXIT(&r, 0, "replace with --force");
    CT(&r, NULL, "stream", "subjects", "OBJ_FILES", "$O.FILES.C.>", "--json");
    IT_CHECK(strstr(r.out, ": 3") && strstr(r.out, ": 1"), "old chunks purged (%s)", r.out);
    CT(&r, NULL, "obj", "del", "FILES", "small.txt", "-f");
    CT_EXIT(&r, 0, "obj del");
    CT(&r, NULL, "obj", "ls", "FILES", "--names");
    CT_LACKS(&r, "small.txt");
    CT(&r, NULL, "obj", "info", "FILES", "small.txt");
    CT_EXIT(&r, 1, "info of a deleted object");

    CT(&r, NULL, "obj", "watch", "FILES", "--count", "3");
    CT_EXIT(&r, 0, "obj watch --count");
    CT_HAS(&r, "DEL FILES > small.txt");
    CT_HAS(&r, "PUT FILES > big.bin: 293.0 KiB");

    CT(&r, NULL, "obj", "ls");
    CT_HAS(&r, "test files");
    CT(&r, NULL, "obj", "rm", "FILES", "-f");
    CT_EXIT(&r, 0, "obj rm <bucket>");
    CT(&r, NULL, "obj", "ls");
    CT_HAS(&r, "No Object Store buckets found");
}
