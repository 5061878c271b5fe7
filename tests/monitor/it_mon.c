/* it_mon: runs one monitoring case, named by argv[1], against $GANNET_SERVER_BIN, plus the
 * helpers the case files share: a server with -m, a minimal HTTP/1.0 client, JSON accessors
 * and a runner for external tools (promtool). `it_mon --list` prints the case names. */
#include "it_mon.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct it_case g_cases[] = {
#define IT_CASE(name)        {#name, it_case_##name},
#define IT_CASE_GANNET(name) {#name, it_case_##name},
#include "it_mon_cases.def"
#undef IT_CASE
#undef IT_CASE_GANNET
};

int main(int argc, char **argv)
{
    return it_main(argc, argv, g_cases, sizeof(g_cases) / sizeof(g_cases[0]));
}

/* ---- server ---- */

void mon_start(struct mon_env *env, bool js, const char *conf_text)
{
    char mp[16];
    const char *args[8];
    int n = 0;
    env->mport = it_port_pick();
    snprintf(mp, sizeof(mp), "%d", env->mport);
    args[n++] = "-m";
    args[n++] = mp;
    if (js) {
        it_tmpdir_make(env->store, sizeof(env->store));
        args[n++] = "-js";
        args[n++] = "-sd";
        args[n++] = env->store;
    }
    args[n] = NULL;
    it_server_start(&env->srv, conf_text, args);
    struct http_resp r;
    http_get(env->mport, "/healthz", &r); /* waits for the monitoring port */
    http_resp_free(&r);
    env->nc = mon_connect(env, "mon-main");
    if (js)
        IT_NATS(natsConnection_JetStream(&env->js, env->nc, NULL));
}

void mon_stop(struct mon_env *env)
{
    jsCtx_Destroy(env->js);
    env->js = NULL;
    natsConnection_Destroy(env->nc);
    env->nc = NULL;
    it_server_cleanup(&env->srv);
}

natsConnection *mon_connect(struct mon_env *env, const char *name)
{
    natsOptions *o = NULL;
    IT_NATS(natsOptions_Create(&o));
    IT_NATS(natsOptions_SetName(o, name));
    natsConnection *nc = it_connect(&env->srv, o);
    natsOptions_Destroy(o);
    return nc;
}

void mon_publish(natsConnection *nc, const char *subj, int n, int size)
{
    char *data = malloc((size_t)size + 1);
    IT_ASSERT(data, "malloc");
    memset(data, 'x', (size_t)size);
    for (int i = 0; i < n; i++)
        IT_NATS(natsConnection_Publish(nc, subj, data, size));
    IT_NATS(natsConnection_FlushTimeout(nc, 10000));
    free(data);
}

/* ---- HTTP ---- */

static int connect_retry(int port)
{
    int64_t deadline = it_now_ms() + 5000;
    for (;;) {
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        IT_ASSERT(fd >= 0, "socket: %s", strerror(errno));
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
            struct timeval tv = {.tv_sec = 15};
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
            return fd;
        }
        int e = errno;
        close(fd);
        IT_ASSERT(it_now_ms() < deadline, "connect to monitoring port %d: %s", port, strerror(e));
        usleep(20000);
    }
}

/* Splits the raw response <raw>[<n>] into <r>. */
static void parse_response(char *raw, size_t n, struct http_resp *r)
{
    char *eoh = strstr(raw, "\r\n\r\n");
    IT_ASSERT(eoh && sscanf(raw, "HTTP/1.%*d %d", &r->status) == 1, "bad HTTP response: %.80s",
              raw);
    *eoh = '\0';
    r->ctype[0] = '\0';
    for (char *line = strstr(raw, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, "Content-Type:", 13) == 0) {
            const char *v = line + 15;
            while (*v == ' ')
                v++;
            size_t l = strcspn(v, "\r");
            snprintf(r->ctype, sizeof(r->ctype), "%.*s", (int)l, v);
        }
    }
    r->len = n - (size_t)(eoh + 4 - raw);
    r->body = malloc(r->len + 1);
    IT_ASSERT(r->body, "malloc");
    memcpy(r->body, eoh + 4, r->len);
    r->body[r->len] = '\0';
}

void http_get(int port, const char *path, struct http_resp *r)
{
    int fd = connect_retry(port);
    char req[2048];
    int qn =
        snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%d\r\n\r\n", path, port);
    IT_ASSERT(write(fd, req, (size_t)qn) == qn, "send request: %s", strerror(errno));
    size_t cap = 65536, n = 0;
    char *raw = malloc(cap);
    IT_ASSERT(raw, "malloc");
    for (;;) {
        if (cap - n < 4096) {
            cap *= 2;
            raw = realloc(raw, cap);
            IT_ASSERT(raw, "realloc");
        }
        ssize_t k = read(fd, raw + n, cap - n - 1);
        IT_ASSERT(k >= 0, "read %s: %s", path, strerror(errno));
        if (k == 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    raw[n] = '\0';
    memset(r, 0, sizeof(*r));
    parse_response(raw, n, r);
    free(raw);
}

void http_resp_free(struct http_resp *r)
{
    free(r->body);
    r->body = NULL;
}

json_t *http_json(int port, const char *path)
{
    struct http_resp r;
    json_error_t err;
    http_get(port, path, &r);
    IT_ASSERT(r.status == 200, "GET %s: status %d: %s", path, r.status, r.body);
    IT_ASSERT(strcmp(r.ctype, "application/json") == 0, "GET %s: Content-Type %s", path, r.ctype);
    /* reals: /jsz prints 18446744073709551615, beyond json_int_t */
    json_t *j = json_loadb(r.body, r.len, JSON_DECODE_INT_AS_REAL, &err);
    IT_ASSERT(j, "GET %s: bad JSON (%s): %.200s", path, err.text, r.body);
    http_resp_free(&r);
    return j;
}

void http_expect_text(int port, const char *path, int status, const char *text)
{
    struct http_resp r;
    http_get(port, path, &r);
    IT_CHECK(r.status == status && strcmp(r.body, text) == 0, "GET %s -> %d \"%s\"", path, status,
             text);
    http_resp_free(&r);
}

/* ---- JSON ---- */

static json_t *jpath(json_t *o, const char *path)
{
    char key[128];
    const char *p = path;
    while (o && *p) {
        size_t l = strcspn(p, ".");
        snprintf(key, sizeof(key), "%.*s", (int)l, p);
        o = json_object_get(o, key);
        p += l + (p[l] == '.');
    }
    return o;
}

int64_t jget_int(json_t *o, const char *path)
{
    json_t *v = jpath(o, path);
    IT_ASSERT(v && json_is_number(v), "JSON member %s missing or not a number", path);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : (int64_t)json_real_value(v);
}

const char *jget_str(json_t *o, const char *path)
{
    json_t *v = jpath(o, path);
    IT_ASSERT(v && json_is_string(v), "JSON member %s missing or not a string", path);
    return json_string_value(v);
}

json_t *jfind(json_t *arr, const char *key, const char *val)
{
    size_t i;
    json_t *e;
    char num[32];
    json_array_foreach(arr, i, e)
    {
        json_t *v = json_object_get(e, key);
        if (json_is_string(v) && strcmp(json_string_value(v), val) == 0)
            return e;
        if (json_is_number(v)) {
            snprintf(num, sizeof(num), "%lld", (long long)json_number_value(v));
            if (strcmp(num, val) == 0)
                return e;
        }
    }
    return NULL;
}

void mon_wait_int(int port, const char *path, const char *field, int64_t want)
{
    int64_t deadline = it_now_ms() + 5000, got = 0;
    for (;;) {
        json_t *j = http_json(port, path);
        got = jget_int(j, field);
        json_decref(j);
        if (got == want || it_now_ms() > deadline)
            break;
        usleep(20000);
    }
    IT_CHECK(got == want, "%s %s == %lld (got %lld)", path, field, (long long)want, (long long)got);
}

/* ---- external tools ---- */

const char *mon_which(const char *name)
{
    static char path[4096];
    const char *env = getenv("PATH");
    char dirs[4096];
    snprintf(dirs, sizeof(dirs), "%s:/usr/bin:/usr/sbin", env ? env : "");
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        snprintf(path, sizeof(path), "%s/%s", d, name);
        if (access(path, X_OK) == 0)
            return path;
    }
    return NULL;
}

int mon_run(const char *const *argv, const char *input, size_t input_len, char *out, size_t cap)
{
    char dir[256], in_path[300], out_path[300];
    it_tmpdir_make(dir, sizeof(dir));
    snprintf(in_path, sizeof(in_path), "%s/stdin", dir);
    snprintf(out_path, sizeof(out_path), "%s/stdout", dir);
    FILE *f = fopen(in_path, "w");
    IT_ASSERT(f, "fopen %s", in_path);
    if (input_len)
        IT_ASSERT(fwrite(input, 1, input_len, f) == input_len, "write %s", in_path);
    fclose(f);
    fflush(NULL);
    pid_t pid = fork();
    IT_ASSERT(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        int in = open(in_path, O_RDONLY), o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || o < 0)
            _exit(126);
        dup2(in, 0);
        dup2(o, 1);
        dup2(o, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    f = fopen(out_path, "r");
    size_t n = f ? fread(out, 1, cap - 1, f) : 0;
    out[n] = '\0';
    if (f)
        fclose(f);
    return WIFEXITED(st) ? (WEXITSTATUS(st) == 127 ? -1 : WEXITSTATUS(st)) : -1;
}
