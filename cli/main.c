/* gannet: the command-line tool. argv -> command tree -> struct cli_run -> the command.
 * Help text is generated from the same tree.
 *
 * Parsing follows the nats CLI (fisk/kingpin): commands and subcommands by name or alias,
 * long flags as --name VALUE or --name=VALUE, booleans negated with --no-name, one-letter
 * aliases, global connection flags anywhere, `--help` or `help <command>` for help, and the
 * hidden `--completion-bash` used by completion.bash to list what may follow.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GANNET_VERSION "0.1.0"

const struct cli_flag cli_global_flags[] = {
    {"server", 's', CLI_STR, "URL", "NATS server urls, comma separated (env NATS_URL)"},
    {"user", 0, CLI_STR, "USER", "Username or token (env NATS_USER)"},
    {"password", 0, CLI_STR, "PASSWORD", "Password (env NATS_PASSWORD)"},
    {"token", 0, CLI_STR, "TOKEN", "Authentication token (env NATS_TOKEN)"},
    {"creds", 0, CLI_STR, "FILE", "User credentials file (JWT and NKey seed, env NATS_CREDS)"},
    {"timeout", 0, CLI_STR, "DURATION", "Time to wait on responses from NATS (default 5s)"},
    {"context", 0, CLI_STR, "NAME", "Configuration context to use"},
    {"connection-name", 0, CLI_STR, "NAME", "Connection name shown by the server"},
    {"help", 'h', CLI_BOOL, NULL, "Show help for the command"},
    {0},
};

static const struct cli_cmd version_cmd;
static const struct cli_cmd help_cmd;

static const struct cli_cmd *const root_subs[] = {
    &cli_bench_cmd,  &cli_completion_cmd, &cli_consumer_cmd, &cli_context_cmd, &help_cmd,
    &cli_kv_cmd,     &cli_obj_cmd,        &cli_pub_cmd,      &cli_reply_cmd,   &cli_request_cmd,
    &cli_server_cmd, &cli_stream_cmd,     &cli_sub_cmd,      &version_cmd,     NULL,
};

const struct cli_cmd cli_root_cmd = {
    .name = "gannet",
    .help = "NATS and JetStream utility for Gannet and any NATS server",
    .subs = root_subs,
    .long_help = "Connection: --server (or NATS_URL), --user/--password (NATS_USER, "
                 "NATS_PASSWORD),\n--token (NATS_TOKEN) or a context (`gannet context add`).",
};

/* ---- flag lookup ---- */

static int flag_index(const struct cli_flag *flags, const char *name)
{
    for (int i = 0; flags && flags[i].name; i++)
        if (strcmp(flags[i].name, name) == 0)
            return i;
    return -1;
}

static const struct cli_val *val_of(const struct cli_run *r, const char *name)
{
    int i = flag_index(r->cmd->flags, name);
    if (i >= 0)
        return &r->vals[i];
    i = flag_index(cli_global_flags, name);
    if (i >= 0)
        return &r->gvals[i];
    fprintf(stderr, "gannet: internal error: command %s has no flag --%s\n", r->path, name);
    abort();
}

bool cli_declares(const struct cli_run *r, const char *name)
{
    return flag_index(r->cmd->flags, name) >= 0 || flag_index(cli_global_flags, name) >= 0;
}

bool cli_has(const struct cli_run *r, const char *name)
{
    return val_of(r, name)->set;
}

const char *cli_str(const struct cli_run *r, const char *name, const char *def)
{
    const struct cli_val *v = val_of(r, name);
    return v->set && v->s ? v->s : def;
}

bool cli_bool(const struct cli_run *r, const char *name, bool def)
{
    const struct cli_val *v = val_of(r, name);
    return v->set ? v->b : def;
}

int cli_list(const struct cli_run *r, const char *name, const char ***out)
{
    const struct cli_val *v = val_of(r, name);
    *out = v->list;
    return v->n;
}

const char *cli_arg(const struct cli_run *r, int i)
{
    return i >= 0 && i < r->argc ? r->argv[i] : NULL;
}

int cli_int(const struct cli_run *r, const char *name, int64_t def, int64_t *out)
{
    const char *s = cli_str(r, name, NULL);
    *out = def;
    if (!s)
        return 0;
    if (cli_parse_int(s, out) != 0)
        return cli_fail("invalid value %s for --%s: expected an integer", s, name);
    return 0;
}

int cli_size(const struct cli_run *r, const char *name, int64_t def, int64_t *out)
{
    const char *s = cli_str(r, name, NULL);
    *out = def;
    if (!s)
        return 0;
    if (cli_parse_size(s, out) != 0)
        return cli_fail("invalid size %s for --%s (use e.g. 512, 1KB, 10MiB, -1)", s, name);
    return 0;
}

int cli_dur(const struct cli_run *r, const char *name, int64_t def, int64_t *out)
{
    const char *s = cli_str(r, name, NULL);
    *out = def;
    if (!s)
        return 0;
    if (cli_parse_dur(s, out) != 0)
        return cli_fail("invalid duration %s for --%s (use e.g. 500ms, 30s, 1h, 2d)", s, name);
    return 0;
}

/* ---- command lookup ---- */

static bool name_matches(const struct cli_cmd *c, const char *word)
{
    if (strcmp(c->name, word) == 0)
        return true;
    if (!c->aliases)
        return false;
    size_t n = strlen(word);
    for (const char *p = c->aliases; *p;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0)
            return true;
        p += len;
        while (*p == ' ')
            p++;
    }
    return false;
}

static const struct cli_cmd *sub_find(const struct cli_cmd *group, const char *word)
{
    for (int i = 0; group->subs && group->subs[i]; i++)
        if (name_matches(group->subs[i], word))
            return group->subs[i];
    return NULL;
}

/* ---- parsing ---- */

struct parse {
    struct cli_run *r;
    const struct cli_cmd *cmd; /* current command (group or leaf) */
    char **pos;                /* positional arguments collected */
    int npos;
    bool help;     /* --help seen */
    bool complete; /* --completion-bash seen */
    bool no_more;  /* "--" seen */
};

static void val_store(struct cli_val *v, const struct cli_flag *f, const char *value, bool b)
{
    v->set = true;
    if (f->kind == CLI_BOOL) {
        v->b = b;
    } else if (f->kind == CLI_STR) {
        v->s = value;
    } else {
        v->list = xrealloc(v->list, sizeof(*v->list) * (size_t)(v->n + 1));
        v->list[v->n++] = value;
    }
}

static bool parse_bool_text(const char *s, bool *out)
{
    if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "yes")) {
        *out = true;
        return true;
    }
    if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "no")) {
        *out = false;
        return true;
    }
    return false;
}

/* Finds the flag for "--name" or "-x" in the current command, then the globals. */
static const struct cli_flag *flag_find(struct parse *p, const char *name, char short_name,
                                        struct cli_val **val)
{
    const struct cli_flag *tables[2] = {p->cmd->run ? p->cmd->flags : NULL, cli_global_flags};
    struct cli_val *vals[2] = {p->r->vals, p->r->gvals};
    for (int t = 0; t < 2; t++) {
        for (int i = 0; tables[t] && tables[t][i].name; i++) {
            const struct cli_flag *f = &tables[t][i];
            if ((name && strcmp(f->name, name) == 0) || (!name && f->short_name == short_name)) {
                *val = &vals[t][i];
                return f;
            }
        }
    }
    return NULL;
}

/* Handles the flag at argv[*i]; returns 0 or CLI_EXIT_FAIL after an error line. */
static int parse_flag(struct parse *p, int argc, char **argv, int *i)
{
    char *tok = argv[*i];
    char name[128];
    const char *value = NULL;
    bool negated = false;
    struct cli_val *v = NULL;
    const struct cli_flag *f;

    if (tok[1] == '-') {
        const char *eq = strchr(tok + 2, '=');
        size_t len = eq ? (size_t)(eq - tok - 2) : strlen(tok + 2);
        if (len >= sizeof(name))
            return cli_fail("unknown flag %s, try --help", tok);
        memcpy(name, tok + 2, len);
        name[len] = '\0';
        value = eq ? eq + 1 : NULL;
        if (!strcmp(name, "completion-bash")) {
            p->complete = true;
            return 0;
        }
        f = flag_find(p, name, 0, &v);
        if (!f && strncmp(name, "no-", 3) == 0) {
            f = flag_find(p, name + 3, 0, &v);
            if (f && f->kind != CLI_BOOL)
                f = NULL;
            negated = f != NULL;
        }
        if (!f)
            return cli_fail("unknown long flag '--%s', try --help", name);
    } else {
        if (tok[2] == '=')
            value = tok + 3;
        else if (tok[2] != '\0')
            value = tok + 2;
        f = flag_find(p, NULL, tok[1], &v);
        if (!f)
            return cli_fail("unknown short flag '-%c', try --help", tok[1]);
    }
    if (f->kind == CLI_BOOL) {
        bool b = !negated;
        if (value && !parse_bool_text(value, &b))
            return cli_fail("invalid boolean value '%s' for --%s", value, f->name);
        val_store(v, f, NULL, b);
        if (!strcmp(f->name, "help") && b)
            p->help = true;
        return 0;
    }
    if (!value) {
        if (*i + 1 >= argc)
            return cli_fail("expected a value for --%s, try --help", f->name);
        value = argv[++*i];
    }
    val_store(v, f, value, true);
    return 0;
}

static int parse_args(struct parse *p, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char *tok = argv[i];
        if (!p->no_more && strcmp(tok, "--") == 0) {
            p->no_more = true;
            continue;
        }
        if (!p->no_more && tok[0] == '-' && tok[1] != '\0') {
            if (parse_flag(p, argc, argv, &i) != 0)
                return CLI_EXIT_FAIL;
            continue;
        }
        if (!p->cmd->run && p->npos == 0) {
            const struct cli_cmd *sub = sub_find(p->cmd, tok);
            if (!sub) {
                if (p->complete)
                    return 0;
                return cli_fail("unknown command \"%s\" for \"%s\", try --help", tok, p->r->path);
            }
            p->cmd = sub;
            size_t len = strlen(p->r->path);
            snprintf(p->r->path + len, sizeof(p->r->path) - len, " %s", sub->name);
            continue;
        }
        p->pos = xrealloc(p->pos, sizeof(*p->pos) * (size_t)(p->npos + 1));
        p->pos[p->npos++] = tok;
    }
    return 0;
}

/* ---- completion word lists ---- */

static void complete_print(const struct cli_cmd *cmd)
{
    for (int i = 0; cmd->subs && cmd->subs[i]; i++)
        printf("%s\n", cmd->subs[i]->name);
    for (int i = 0; cmd->run && cmd->flags && cmd->flags[i].name; i++)
        printf("--%s\n", cmd->flags[i].name);
    for (int i = 0; cli_global_flags[i].name; i++)
        printf("--%s\n", cli_global_flags[i].name);
}

/* ---- help and completion ---- */

/* Provided by the generated completion_data.c (completion.bash as a C string). */
extern const char cli_completion_script[];

static void flag_label(const struct cli_flag *f, char *out, size_t cap)
{
    char lng[96];
    if (f->kind == CLI_BOOL)
        snprintf(lng, sizeof(lng), "--%s", f->name);
    else
        snprintf(lng, sizeof(lng), "--%s=%s%s", f->name, f->placeholder ? f->placeholder : "VALUE",
                 f->kind == CLI_LIST ? " ..." : "");
    if (f->short_name)
        snprintf(out, cap, "-%c, %s", f->short_name, lng);
    else
        snprintf(out, cap, "    %s", lng);
}

static int flags_width(const struct cli_flag *flags)
{
    int w = 0;
    char label[160];
    for (int i = 0; flags && flags[i].name; i++) {
        flag_label(&flags[i], label, sizeof(label));
        int n = (int)strlen(label);
        if (n > w)
            w = n;
    }
    return w;
}

static void flags_print(FILE *out, const char *title, const struct cli_flag *flags, int width)
{
    char label[160];
    if (!flags || !flags[0].name)
        return;
    fprintf(out, "%s:\n", title);
    for (int i = 0; flags[i].name; i++) {
        flag_label(&flags[i], label, sizeof(label));
        fprintf(out, "  %-*s  %s\n", width, label, flags[i].help);
    }
    fprintf(out, "\n");
}

static void subs_print(FILE *out, const struct cli_cmd *cmd)
{
    char label[160];
    int width = 0;
    for (int i = 0; cmd->subs[i]; i++) {
        int n = (int)strlen(cmd->subs[i]->name);
        if (n > width)
            width = n;
    }
    width += 2;
    fprintf(out, "Commands:\n");
    for (int i = 0; cmd->subs[i]; i++) {
        const struct cli_cmd *s = cmd->subs[i];
        snprintf(label, sizeof(label), "%s", s->name);
        fprintf(out, "  %-*s  %s", width, label, s->help);
        if (s->aliases)
            fprintf(out, " (aliases: %s)", s->aliases);
        fprintf(out, "\n");
    }
    fprintf(out, "\n");
}

void cli_help_print(const struct cli_cmd *cmd, const char *path, bool to_stderr)
{
    FILE *out = to_stderr ? stderr : stdout;
    if (cmd->run)
        fprintf(out, "usage: %s [<flags>]%s%s\n\n", path, cmd->args ? " " : "",
                cmd->args ? cmd->args : "");
    else
        fprintf(out, "usage: %s <command> [<flags>] [<args> ...]\n\n", path);
    fprintf(out, "%s\n\n", cmd->help);
    if (cmd->long_help)
        fprintf(out, "%s\n\n", cmd->long_help);
    if (cmd->subs)
        subs_print(out, cmd);
    int w = flags_width(cli_global_flags);
    if (cmd->run) {
        int wc = flags_width(cmd->flags);
        if (wc > w)
            w = wc;
        flags_print(out, "Flags", cmd->flags, w);
    }
    flags_print(out, "Global Flags", cli_global_flags, w);
    if (cmd->subs)
        fprintf(out, "Run \"%s <command> --help\" for a command's flags.\n", path);
}

static int completion_run(struct cli_run *r)
{
    const char *shell = cli_arg(r, 0);
    if (shell && strcmp(shell, "bash") != 0)
        return cli_fail("completion for shell \"%s\" is not available, only bash", shell);
    fputs(cli_completion_script, stdout);
    return 0;
}

const struct cli_cmd cli_completion_cmd = {
    .name = "completion",
    .help = "Prints the shell completion script (bash)",
    .args = "[bash]",
    .max_args = 1,
    .run = completion_run,
    .long_help = "Enable with: source <(gannet completion bash)",
};

/* ---- built-in commands ---- */

static int version_run(struct cli_run *r)
{
    printf("gannet %s (libnats %s)\n", GANNET_VERSION, nats_GetVersion());
    return 0;
}

static const struct cli_cmd version_cmd = {
    .name = "version",
    .help = "Shows the version of gannet",
    .run = version_run,
};

static int help_run(struct cli_run *r)
{
    const struct cli_cmd *c = &cli_root_cmd;
    char path[128] = "gannet";
    for (int i = 0; i < r->argc; i++) {
        const struct cli_cmd *sub = sub_find(c, r->argv[i]);
        if (!sub)
            return cli_fail("unknown command \"%s\" for \"%s\"", r->argv[i], path);
        c = sub;
        size_t len = strlen(path);
        snprintf(path + len, sizeof(path) - len, " %s", c->name);
    }
    cli_help_print(c, path, false);
    return 0;
}

static const struct cli_cmd help_cmd = {
    .name = "help",
    .help = "Shows help for a command",
    .args = "[<command>...]",
    .max_args = -1,
    .run = help_run,
};

static void run_free(struct cli_run *r, struct parse *p)
{
    for (int i = 0; i < CLI_MAX_FLAGS; i++)
        free(r->vals[i].list);
    for (size_t i = 0; i < sizeof(r->gvals) / sizeof(r->gvals[0]); i++)
        free(r->gvals[i].list);
    free(p->pos);
    if (r->nc) {
        natsConnection_FlushTimeout(r->nc, r->timeout_ms > 0 ? r->timeout_ms : 1000);
        natsConnection_Destroy(r->nc);
    }
}

static int run_leaf(struct cli_run *r, struct parse *p)
{
    const struct cli_cmd *c = p->cmd;
    if (p->npos < c->min_args)
        return cli_fail("%s: missing argument, usage: %s %s", r->path, r->path,
                        c->args ? c->args : "");
    if (c->max_args >= 0 && p->npos > c->max_args)
        return cli_fail("%s: unexpected argument \"%s\", try --help", r->path, p->pos[c->max_args]);
    int64_t t;
    if (cli_dur(r, "timeout", 5 * CLI_NS_PER_SEC, &t) != 0)
        return CLI_EXIT_FAIL;
    r->timeout_ms = t / CLI_NS_PER_MS > 0 ? t / CLI_NS_PER_MS : 1;
    return c->run(r);
}

int main(int argc, char **argv)
{
    static struct cli_run run; /* large: keep it off the stack */
    struct parse p = {.r = &run, .cmd = &cli_root_cmd};
    int rc;

    signal(SIGPIPE, SIG_IGN);
    snprintf(run.path, sizeof(run.path), "gannet");
    rc = parse_args(&p, argc, argv);
    if (p.complete) {
        complete_print(p.cmd);
        rc = 0;
        goto out;
    }
    if (rc != 0)
        goto out;
    run.cmd = p.cmd;
    run.argc = p.npos;
    run.argv = p.pos;
    if (p.help) {
        cli_help_print(p.cmd, run.path, false);
        goto out;
    }
    if (!p.cmd->run) {
        cli_help_print(p.cmd, run.path, true);
        rc = p.cmd == &cli_root_cmd ? CLI_EXIT_FAIL
                                    : cli_fail("%s: expected a subcommand", run.path);
        goto out;
    }
    rc = run_leaf(&run, &p);
out:
    fflush(stdout);
    run_free(&run, &p);
    nats_Close();
    return rc;
}
