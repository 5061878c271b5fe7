/* Connection options and named contexts (`gannet context add/ls/select/rm/info`).
 *
 * Precedence per setting: command-line flag, then environment (NATS_URL, NATS_USER,
 * NATS_PASSWORD, NATS_TOKEN, NATS_CREDS), then the context (--context NAME, else the selected
 * one), then the default nats://127.0.0.1:4222. Contexts are JSON files with the nats CLI's
 * field names under $XDG_CONFIG_HOME/gannet/context/<name>.json (~/.config when unset); the
 * selected name is in $XDG_CONFIG_HOME/gannet/context.txt.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_URL  "nats://127.0.0.1:4222"
#define PATH_MAX_CLI 1024 /* config paths */

/* A loaded context (or none): the settings it supplies. */
struct ctx {
    char name[128]; /* context name, "" when none is in use */
    json_t *j;      /* parsed file, NULL when none */
};

static void config_dir(char *out, size_t cap, const char *leaf)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(out, cap, "%s/gannet%s%s", xdg, leaf ? "/" : "", leaf ? leaf : "");
    else
        snprintf(out, cap, "%s/.config/gannet%s%s", home ? home : ".", leaf ? "/" : "",
                 leaf ? leaf : "");
}

static bool name_valid(const char *name)
{
    if (!name || !*name || strlen(name) > 100 || name[0] == '.')
        return false;
    return strpbrk(name, "/\\ \t") == NULL;
}

static void ctx_path(char *out, size_t cap, const char *name)
{
    char dir[PATH_MAX_CLI];
    config_dir(dir, sizeof(dir), "context");
    if (snprintf(out, cap, "%s/%s.json", dir, name) >= (int)cap)
        out[0] = '\0'; /* too long: no such file */
}

/* Reads the selected context name into <out>; "" when none. */
static void selected_get(char *out, size_t cap)
{
    char path[PATH_MAX_CLI];
    config_dir(path, sizeof(path), "context.txt");
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (fgets(out, (int)cap, f))
        out[strcspn(out, "\r\n")] = '\0';
    fclose(f);
}

static int mkdirs(const char *path)
{
    char tmp[PATH_MAX_CLI];
    snprintf(tmp, sizeof(tmp), "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
        return -errno;
    return 0;
}

/* Loads context <name>; returns 0, or -1 when the file is missing or malformed. */
static int ctx_load(struct ctx *c, const char *name)
{
    char path[PATH_MAX_CLI];
    json_error_t jerr;
    ctx_path(path, sizeof(path), name);
    c->j = json_load_file(path, 0, &jerr);
    if (!c->j || !json_is_object(c->j)) {
        json_decref(c->j);
        c->j = NULL;
        return -1;
    }
    snprintf(c->name, sizeof(c->name), "%s", name);
    return 0;
}

static const char *ctx_field(const struct ctx *c, const char *key)
{
    const char *s = c->j ? json_string_value(json_object_get(c->j, key)) : NULL;
    return s && *s ? s : NULL;
}

/* Picks flag, environment, then context value for one setting. */
static const char *setting(const struct cli_run *r, const struct ctx *c, const char *flag,
                           const char *env, const char *key)
{
    const char *v = cli_str(r, flag, NULL);
    if (v)
        return v;
    v = env ? getenv(env) : NULL;
    if (v && *v)
        return v;
    return ctx_field(c, key);
}

/* Loads the context in use: --context NAME (must exist) or the selected one (if any). */
static int ctx_current(const struct cli_run *r, struct ctx *c)
{
    char sel[128];
    const char *name = cli_str(r, "context", NULL);
    memset(c, 0, sizeof(*c));
    if (name) {
        if (!name_valid(name) || ctx_load(c, name) != 0)
            return cli_fail("unknown context \"%s\"", name);
        return 0;
    }
    selected_get(sel, sizeof(sel));
    if (sel[0] && name_valid(sel))
        (void)ctx_load(c, sel);
    return 0;
}

const char *cli_server_url(const struct cli_run *r)
{
    static char url[1024];
    struct ctx c = {0};
    memset(&c, 0, sizeof(c));
    if (!cli_str(r, "context", NULL)) {
        char sel[128];
        selected_get(sel, sizeof(sel));
        if (sel[0] && name_valid(sel))
            (void)ctx_load(&c, sel);
    } else if (name_valid(cli_str(r, "context", NULL))) {
        (void)ctx_load(&c, cli_str(r, "context", NULL));
    }
    const char *v = setting(r, &c, "server", "NATS_URL", "url");
    snprintf(url, sizeof(url), "%s", v ? v : DEFAULT_URL);
    json_decref(c.j);
    return url;
}

const char *cli_nats_err(natsStatus s)
{
    static char msg[512];
    natsStatus last = NATS_OK;
    const char *text = nats_GetLastError(&last);
    if (s == NATS_NO_SERVER)
        return "no servers available for connection";
    if (s == NATS_CONNECTION_AUTH_FAILED || (text && strstr(text, "Authorization Violation")))
        return "authorization violation";
    if (s == NATS_NO_RESPONDERS)
        return "no responders available for request";
    if (s == NATS_TIMEOUT)
        return "timeout";
    if (text && *text && last == s)
        snprintf(msg, sizeof(msg), "%s", text);
    else
        snprintf(msg, sizeof(msg), "%s", natsStatus_GetText(s));
    return msg;
}

static int split_servers(const char *urls, char ***out)
{
    int n = 0;
    char *copy = xstrdup(urls), *save = NULL;
    *out = NULL;
    for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        *out = xrealloc(*out, sizeof(char *) * (size_t)(n + 1));
        if (strstr(tok, "://"))
            (*out)[n++] = xstrdup(tok);
        else {
            size_t len = strlen(tok) + 8;
            (*out)[n] = xmalloc(len);
            snprintf((*out)[n++], len, "nats://%s", tok);
        }
    }
    free(copy);
    return n;
}

static int opts_apply(struct cli_run *r, const struct ctx *c, natsOptions *o, const char *url,
                      char *err, size_t cap)
{
    char **servers;
    int n = split_servers(url, &servers);
    natsStatus s = n > 0 ? natsOptions_SetServers(o, (const char **)servers, n) : NATS_INVALID_ARG;
    for (int i = 0; i < n; i++)
        free(servers[i]);
    free(servers);
    if (s != NATS_OK) {
        snprintf(err, cap, "invalid server URL \"%s\"", url);
        return -1;
    }
    const char *user = setting(r, c, "user", "NATS_USER", "user");
    const char *pass = setting(r, c, "password", "NATS_PASSWORD", "password");
    const char *token = setting(r, c, "token", "NATS_TOKEN", "token");
    const char *creds = setting(r, c, "creds", "NATS_CREDS", "creds");
    if (user && pass)
        s = natsOptions_SetUserInfo(o, user, pass);
    else if (user) /* like the nats CLI: a user without a password is a token */
        s = natsOptions_SetToken(o, user);
    if (s == NATS_OK && token)
        s = natsOptions_SetToken(o, token);
    if (s == NATS_OK && creds)
        s = natsOptions_SetUserCredentialsFromFiles(o, creds, NULL);
    if (s == NATS_OK)
        s = natsOptions_SetTimeout(o, r->timeout_ms);
    if (s == NATS_OK)
        s = natsOptions_SetName(o, cli_str(r, "connection-name", "NATS CLI Version gannet"));
    if (s == NATS_OK)
        s = natsOptions_SetMaxReconnect(o, -1);
    if (s != NATS_OK) {
        snprintf(err, cap, "invalid connection options: %s", cli_nats_err(s));
        return -1;
    }
    return 0;
}

int cli_connect_new(struct cli_run *r, natsConnection **nc, char *err, size_t cap)
{
    struct ctx c;
    natsOptions *o = NULL;
    int rc = 0;
    err[0] = '\0';
    *nc = NULL;
    if (ctx_current(r, &c) != 0) {
        snprintf(err, cap, "unknown context \"%s\"", cli_str(r, "context", ""));
        return -1;
    }
    const char *u = setting(r, &c, "server", "NATS_URL", "url");
    char url[1024];
    snprintf(url, sizeof(url), "%s", u ? u : DEFAULT_URL);
    if (natsOptions_Create(&o) != NATS_OK) {
        json_decref(c.j);
        snprintf(err, cap, "could not create connection options");
        return -1;
    }
    if (opts_apply(r, &c, o, url, err, cap) != 0) {
        rc = -1;
    } else {
        natsStatus s = natsConnection_Connect(nc, o);
        if (s != NATS_OK) {
            *nc = NULL;
            snprintf(err, cap, "could not connect to %s: %s", url, cli_nats_err(s));
            rc = -1;
        }
    }
    natsOptions_Destroy(o);
    json_decref(c.j);
    return rc;
}

int cli_connect_err(struct cli_run *r, char *err, size_t cap)
{
    if (r->nc) {
        err[0] = '\0';
        return 0;
    }
    return cli_connect_new(r, &r->nc, err, cap);
}

int cli_connect(struct cli_run *r)
{
    char err[1200];
    if (cli_connect_err(r, err, sizeof(err)) != 0)
        return cli_fail("%s", err);
    return 0;
}

/* ---- context commands ---- */

static void ctx_show(const char *name, const json_t *j)
{
    char path[PATH_MAX_CLI];
    static const char *const fields[][2] = {
        {"description", "Description"}, {"url", "Server URLs"}, {"user", "Username"},
        {"password", "Password"},       {"token", "Token"},     {"creds", "Credentials"},
    };
    ctx_path(path, sizeof(path), name);
    printf("NATS Configuration Context \"%s\"\n\n", name);
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        const char *v = json_string_value(json_object_get(j, fields[i][0]));
        if (!v || !*v)
            continue;
        bool secret = !strcmp(fields[i][0], "password") || !strcmp(fields[i][0], "token");
        cli_kv_line(13, fields[i][1], "%s", secret ? "*********" : v);
    }
    cli_kv_line(13, "Path", "%s", path);
    printf("\n");
}

static int ctx_select_write(const char *name)
{
    char dir[PATH_MAX_CLI], path[PATH_MAX_CLI];
    config_dir(dir, sizeof(dir), NULL);
    if (mkdirs(dir) != 0)
        return cli_fail("could not create %s", dir);
    config_dir(path, sizeof(path), "context.txt");
    FILE *f = fopen(path, "w");
    if (!f)
        return cli_fail("could not write %s: %s", path, strerror(errno));
    fprintf(f, "%s\n", name);
    fclose(f);
    return 0;
}

static int ctx_add_run(struct cli_run *r)
{
    const char *name = cli_arg(r, 0);
    char dir[PATH_MAX_CLI], path[PATH_MAX_CLI];
    if (!name_valid(name))
        return cli_fail("invalid context name \"%s\"", name);
    struct ctx old = {0};
    json_t *j = ctx_load(&old, name) == 0 ? old.j : json_object();
    static const char *const keys[][2] = {
        {"server", "url"},  {"user", "user"},   {"password", "password"},
        {"token", "token"}, {"creds", "creds"},
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (cli_str(r, keys[i][0], NULL) || !json_object_get(j, keys[i][1]))
            json_object_set_new(j, keys[i][1], json_string(cli_str(r, keys[i][0], "")));
    if (cli_str(r, "description", NULL) || !json_object_get(j, "description"))
        json_object_set_new(j, "description", json_string(cli_str(r, "description", "")));
    config_dir(dir, sizeof(dir), "context");
    if (mkdirs(dir) != 0) {
        json_decref(j);
        return cli_fail("could not create %s", dir);
    }
    ctx_path(path, sizeof(path), name);
    if (json_dump_file(j, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
        json_decref(j);
        return cli_fail("could not write %s", path);
    }
    chmod(path, 0600);
    int rc = 0;
    char sel[128];
    selected_get(sel, sizeof(sel));
    if (cli_bool(r, "select", false) || !sel[0])
        rc = ctx_select_write(name);
    if (rc == 0)
        ctx_show(name, j);
    json_decref(j);
    return rc;
}

static int ctx_ls_run(struct cli_run *r)
{
    char dir[PATH_MAX_CLI], sel[128];
    struct cli_table t;
    config_dir(dir, sizeof(dir), "context");
    selected_get(sel, sizeof(sel));
    DIR *d = opendir(dir);
    struct dirent **names = NULL;
    int n = d ? scandir(dir, &names, NULL, alphasort) : 0;
    if (d)
        closedir(d);
    json_t *out = json_array();
    cli_table_init(&t, "Known Contexts", 2, "Name", "Description");
    for (int i = 0; i < n; i++) {
        char *nm = names[i]->d_name;
        size_t len = strlen(nm);
        if (len > 5 && !strcmp(nm + len - 5, ".json")) {
            nm[len - 5] = '\0';
            struct ctx c = {0};
            if (ctx_load(&c, nm) == 0) {
                char label[300];
                snprintf(label, sizeof(label), "%s%s", nm, strcmp(nm, sel) ? "" : "*");
                const char *desc = ctx_field(&c, "description");
                cli_table_row(&t, label, desc ? desc : "");
                json_array_append_new(out, json_string(nm));
                json_decref(c.j);
            }
        }
        free(names[i]);
    }
    free(names);
    if (cli_bool(r, "json", false)) {
        cli_json_print(out);
        cli_table_free(&t);
    } else if (json_array_size(out) == 0) {
        printf("No known contexts\n");
        cli_table_free(&t);
    } else {
        cli_table_print(&t);
    }
    json_decref(out);
    return 0;
}

static int ctx_select_run(struct cli_run *r)
{
    const char *name = cli_arg(r, 0);
    struct ctx c = {0};
    if (!name) {
        char sel[128];
        selected_get(sel, sizeof(sel));
        if (!sel[0])
            return cli_fail("no context is selected, use: gannet context select <name>");
        printf("%s\n", sel);
        return 0;
    }
    if (!name_valid(name) || ctx_load(&c, name) != 0)
        return cli_fail("unknown context \"%s\"", name);
    int rc = ctx_select_write(name);
    if (rc == 0)
        ctx_show(name, c.j);
    json_decref(c.j);
    return rc;
}

static int ctx_rm_run(struct cli_run *r)
{
    const char *name = cli_arg(r, 0);
    char path[PATH_MAX_CLI], sel[128];
    struct ctx c = {0};
    if (!name_valid(name) || ctx_load(&c, name) != 0)
        return cli_fail("unknown context \"%s\"", name);
    json_decref(c.j);
    if (!cli_bool(r, "force", false) && cli_stdin_is_tty()) {
        char q[256];
        snprintf(q, sizeof(q), "Really delete context \"%s\"", name);
        if (!cli_confirm(q, false))
            return 0;
    }
    ctx_path(path, sizeof(path), name);
    if (unlink(path) != 0)
        return cli_fail("could not remove %s: %s", path, strerror(errno));
    selected_get(sel, sizeof(sel));
    if (!strcmp(sel, name)) {
        config_dir(path, sizeof(path), "context.txt");
        unlink(path);
    }
    return 0;
}

static int ctx_info_run(struct cli_run *r)
{
    char sel[128];
    const char *name = cli_arg(r, 0);
    struct ctx c = {0};
    if (!name) {
        selected_get(sel, sizeof(sel));
        name = sel;
    }
    if (!name_valid(name) || ctx_load(&c, name) != 0)
        return cli_fail("unknown context \"%s\"", name);
    if (cli_bool(r, "json", false))
        cli_json_print(c.j);
    else
        ctx_show(name, c.j);
    json_decref(c.j);
    return 0;
}

static const struct cli_flag add_flags[] = {
    {"description", 0, CLI_STR, "DESCRIPTION", "Human friendly description of the context"},
    {"select", 0, CLI_BOOL, NULL, "Select the saved context as the default one"},
    {0},
};
static const struct cli_flag json_flags[] = {
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};
static const struct cli_flag rm_flags[] = {
    {"force", 'f', CLI_BOOL, NULL, "Remove the context without prompting"},
    {0},
};

static const struct cli_cmd ctx_add = {
    .name = "add",
    .aliases = "create save",
    .help = "Saves a context from the connection flags",
    .args = "<name>",
    .min_args = 1,
    .max_args = 1,
    .flags = add_flags,
    .run = ctx_add_run,
    .long_help = "Example: gannet context add local --server nats://127.0.0.1:4222 --select",
};
static const struct cli_cmd ctx_ls = {
    .name = "ls",
    .aliases = "list",
    .help = "Lists known contexts (* marks the selected one)",
    .flags = json_flags,
    .run = ctx_ls_run,
};
static const struct cli_cmd ctx_select = {
    .name = "select",
    .aliases = "use",
    .help = "Selects the default context",
    .args = "[<name>]",
    .max_args = 1,
    .run = ctx_select_run,
};
static const struct cli_cmd ctx_rm = {
    .name = "rm",
    .aliases = "delete del",
    .help = "Removes a context",
    .args = "<name>",
    .min_args = 1,
    .max_args = 1,
    .flags = rm_flags,
    .run = ctx_rm_run,
};
static const struct cli_cmd ctx_info = {
    .name = "info",
    .aliases = "show",
    .help = "Shows a context (default: the selected one)",
    .args = "[<name>]",
    .max_args = 1,
    .flags = json_flags,
    .run = ctx_info_run,
};
static const struct cli_cmd *const ctx_subs[] = {&ctx_add, &ctx_info,   &ctx_ls,
                                                 &ctx_rm,  &ctx_select, NULL};

const struct cli_cmd cli_context_cmd = {
    .name = "context",
    .aliases = "ctx",
    .help = "Manage named connection contexts",
    .subs = ctx_subs,
};
