/* Config tree builder: tokens from lex.c become struct conf_node trees.
 *
 * A recursive-descent parser over the lexer's modes. Maps are filled in
 * file order, so a $VARIABLE sees the keys defined before it in every
 * enclosing map (the scope stack), then the environment; the referenced
 * value is deep-copied. `include` parses another file straight into the
 * current map. Every recursion (maps, arrays, includes, environment
 * values) counts against one depth limit, and all allocation against one
 * byte budget, so hostile input (include cycles, "billion laughs" variable
 * fan-out) ends in an error instead of a crash.
 */
#include "conf/conf_int.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONF_MAX_DEPTH    64
#define CONF_MAX_INCLUDES 16
#define CONF_MAX_BYTES    ((size_t)64 << 20)
#define CONF_MAX_FILE     ((size_t)64 << 20)

/* root->priv: every file name the tree's nodes point at. */
struct conf_files {
    char **names;
    size_t n;
};

struct pctx {
    struct conf__lexer *lx;
    const char *file; /* current file (owned by files) */
    struct conf_files *files;
    struct conf_node *scopes[CONF_MAX_DEPTH + 2]; /* maps being filled, outermost first */
    size_t nscopes;
    int depth;                          /* nesting of maps, arrays, includes and env values */
    size_t bytes;                       /* allocation budget used */
    char *chain[CONF_MAX_INCLUDES + 1]; /* real paths of the files being parsed */
    size_t nchain;
    struct errbuf *eb;
};

static int parse_body(struct pctx *c, struct conf_node *map, bool to_eof);
static int parse_value(struct pctx *c, struct conf__token *tok, const char *what,
                       struct conf_node **out);

static int perr(struct pctx *c, int line, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int perr(struct pctx *c, int line, int code, const char *fmt, ...)
{
    if (c->eb) {
        int n = snprintf(c->eb->msg, sizeof(c->eb->msg), "%s:%d: ", c->file, line);
        if (n > 0 && (size_t)n < sizeof(c->eb->msg)) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(c->eb->msg + n, sizeof(c->eb->msg) - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return code;
}

static int charge(struct pctx *c, size_t n, int line)
{
    if (n > CONF_MAX_BYTES - c->bytes)
        return perr(c, line, ERR_LIMIT, "configuration too large (over %zu MiB)",
                    CONF_MAX_BYTES >> 20);
    c->bytes += n;
    return 0;
}

static struct conf_node *node_new(struct pctx *c, enum conf_type type, int line)
{
    struct conf_node *n = xcalloc(1, sizeof(*n));
    n->type = type;
    n->line = line;
    n->file = c->file;
    return n;
}

static void node_push(struct conf_node *parent, struct conf_node *child)
{
    size_t k = parent->nitems;
    /* Capacity is 4, then doubles: reallocate when k is 0 or a power of 2 >= 4. */
    if (k == 0)
        parent->items = xmalloc(4 * sizeof(*parent->items));
    else if (k >= 4 && (k & (k - 1)) == 0)
        parent->items = xrealloc(parent->items, 2 * k * sizeof(*parent->items));
    parent->items[parent->nitems++] = child;
}

void conf_node_free(struct conf_node *n)
{
    if (!n)
        return;
    for (size_t k = 0; k < n->nitems; k++)
        conf_node_free(n->items[k]);
    free(n->items);
    free(n->key);
    free(n->str);
    struct conf_files *f = n->priv;
    if (f) {
        for (size_t k = 0; k < f->n; k++)
            free(f->names[k]);
        free(f->names);
        free(f);
    }
    free(n);
}

const struct conf_node *conf_map_get(const struct conf_node *m, const char *key)
{
    if (!m || m->type != CONF_MAP)
        return NULL;
    for (size_t k = m->nitems; k-- > 0;) {
        if (m->items[k]->key && strcasecmp(m->items[k]->key, key) == 0)
            return m->items[k];
    }
    return NULL;
}

static const char *files_add(struct pctx *c, char *name)
{
    struct conf_files *f = c->files;
    f->names = xrealloc(f->names, (f->n + 1) * sizeof(*f->names));
    f->names[f->n++] = name;
    return name;
}

/* ---- variables ---- */

static struct conf_node *var_lookup(struct pctx *c, const char *name)
{
    for (size_t s = c->nscopes; s-- > 0;) {
        struct conf_node *m = c->scopes[s];
        for (size_t k = m->nitems; k-- > 0;) {
            if (m->items[k]->key && strcmp(m->items[k]->key, name) == 0)
                return m->items[k];
        }
    }
    return NULL;
}

/* Deep copy of <src> placed <level> below the current nesting. */
static int node_copy(struct pctx *c, const struct conf_node *src, int level, int line,
                     struct conf_node **out)
{
    if (c->depth + level > CONF_MAX_DEPTH)
        return perr(c, line, ERR_LIMIT, "variable expansion nests deeper than %d levels",
                    CONF_MAX_DEPTH);
    size_t sz = sizeof(*src) + (src->str ? strlen(src->str) : 0) +
                (src->key ? strlen(src->key) : 0) + src->nitems * sizeof(void *);
    int rc = charge(c, sz, line);
    if (rc < 0)
        return rc;
    struct conf_node *n = xcalloc(1, sizeof(*n));
    *n = *src;
    n->key = xstrdup(src->key);
    n->str = xstrdup(src->str);
    n->items = NULL;
    n->nitems = 0;
    n->priv = NULL;
    n->var_used = false;
    for (size_t k = 0; k < src->nitems; k++) {
        struct conf_node *item = NULL;
        if ((rc = node_copy(c, src->items[k], level + 1, line, &item)) < 0) {
            conf_node_free(n);
            return rc;
        }
        node_push(n, item);
    }
    *out = n;
    return 0;
}

/* Parses the environment value <v> as a config value, with no enclosing
 * scopes (as nats-server does). A value that does not parse stays a plain
 * string; only limit errors (a self-referencing variable) propagate. */
static int var_from_env(struct pctx *c, const char *v, int line, struct conf_node **out)
{
    if (c->depth >= CONF_MAX_DEPTH)
        return perr(c, line, ERR_LIMIT, "variables nest deeper than %d levels (a cycle?)",
                    CONF_MAX_DEPTH);
    struct conf__lexer lx, *saved_lx = c->lx;
    struct conf__token tok;
    struct conf_node *n = NULL;
    size_t saved_scopes = c->nscopes;
    conf__lex_init(&lx, v, strlen(v), c->file, c->eb);
    lx.line = line;
    c->lx = &lx;
    c->nscopes = 0;
    c->depth++;
    int rc = conf__lex_next(&lx, CONF__LEX_VALUE, &tok);
    if (rc == 0)
        rc = parse_value(c, &tok, NULL, &n);
    if (rc == 0) {
        rc = conf__lex_next(&lx, CONF__LEX_END, &tok);
        if (rc == 0 && tok.type != CONF__TOK_EOF)
            rc = ERR_PARSE;
    }
    c->depth--;
    c->nscopes = saved_scopes;
    c->lx = saved_lx;
    if (rc == ERR_LIMIT)
        return rc;
    if (rc < 0) {
        conf_node_free(n);
        if ((rc = charge(c, sizeof(*n) + strlen(v), line)) < 0)
            return rc;
        n = node_new(c, CONF_STRING, line);
        n->str = xstrdup(v);
    }
    n->line = line;
    *out = n;
    return 0;
}

static int resolve_var(struct pctx *c, struct conf__token *tok, struct conf_node **out)
{
    struct conf_node *def = var_lookup(c, tok->text);
    int rc;
    if (def) {
        def->var_used = true;
        rc = node_copy(c, def, 0, tok->line, out);
        if (rc == 0) {
            FREE_AND_NULL((*out)->key); /* the caller names the copy */
            (*out)->line = tok->line;
            (*out)->file = c->file;
        }
        return rc;
    }
    const char *env = getenv(tok->text);
    if (env)
        return var_from_env(c, env, tok->line, out);
    return perr(c, tok->line, ERR_PARSE, "variable \"$%s\" is not defined", tok->text);
}

/* ---- values ---- */

static int parse_array(struct pctx *c, struct conf_node *arr)
{
    struct conf__token tok;
    int rc;
    for (;;) {
        if ((rc = conf__lex_next(c->lx, CONF__LEX_ITEM, &tok)) < 0)
            return rc;
        if (tok.type == CONF__TOK_RBRACKET)
            return 0;
        if (tok.type == CONF__TOK_COMMA)
            return perr(c, tok.line, ERR_PARSE, "unexpected ',' in array");
        if (tok.type == CONF__TOK_EOF)
            break;
        struct conf_node *item = NULL;
        if ((rc = parse_value(c, &tok, "an array item", &item)) < 0)
            return rc;
        node_push(arr, item);
        if ((rc = conf__lex_next(c->lx, CONF__LEX_END, &tok)) < 0)
            return rc;
        if (tok.type == CONF__TOK_RBRACKET)
            return 0;
        if (tok.type == CONF__TOK_EOF)
            break;
        if (tok.type == CONF__TOK_NONE)
            return perr(c, tok.line, ERR_PARSE, "expected ',' or ']' in array, found '%c'",
                        (char)tok.i);
        if (tok.type != CONF__TOK_COMMA && tok.type != CONF__TOK_NL)
            return perr(c, tok.line, ERR_PARSE, "expected ',' or ']' in array, found %s",
                        conf__tok_name(tok.type));
    }
    return perr(c, tok.line, ERR_PARSE, "unexpected end of file in array (missing ']')");
}

static int parse_container(struct pctx *c, struct conf__token *tok, struct conf_node **out)
{
    bool is_map = tok->type == CONF__TOK_LBRACE;
    if (c->depth >= CONF_MAX_DEPTH)
        return perr(c, tok->line, ERR_LIMIT, "maps and arrays nest deeper than %d levels",
                    CONF_MAX_DEPTH);
    int rc = charge(c, sizeof(struct conf_node), tok->line);
    if (rc < 0)
        return rc;
    struct conf_node *n = node_new(c, is_map ? CONF_MAP : CONF_ARRAY, tok->line);
    c->depth++;
    if (is_map) {
        c->scopes[c->nscopes++] = n;
        rc = parse_body(c, n, false);
        c->nscopes--;
    } else {
        rc = parse_array(c, n);
    }
    c->depth--;
    if (rc < 0) {
        conf_node_free(n);
        return rc;
    }
    *out = n;
    return 0;
}

/* Builds the value that starts with <tok> (taking its text). <what> names
 * the key for messages. */
static int parse_value(struct pctx *c, struct conf__token *tok, const char *what,
                       struct conf_node **out)
{
    static const enum conf_type types[] = {
        [CONF__TOK_STRING] = CONF_STRING, [CONF__TOK_QSTRING] = CONF_STRING,
        [CONF__TOK_INT] = CONF_INT,       [CONF__TOK_FLOAT] = CONF_FLOAT,
        [CONF__TOK_BOOL] = CONF_BOOL,
    };
    int rc;
    switch (tok->type) {
    case CONF__TOK_LBRACE:
    case CONF__TOK_LBRACKET:
        return parse_container(c, tok, out);
    case CONF__TOK_VAR:
        rc = resolve_var(c, tok, out);
        conf__token_clear(tok);
        return rc;
    case CONF__TOK_STRING:
    case CONF__TOK_QSTRING:
    case CONF__TOK_INT:
    case CONF__TOK_FLOAT:
    case CONF__TOK_BOOL:
        if ((rc = charge(c, sizeof(struct conf_node) + tok->len, tok->line)) < 0) {
            conf__token_clear(tok);
            return rc;
        }
        *out = node_new(c, types[tok->type], tok->line);
        (*out)->str = tok->text;
        (*out)->i = tok->i;
        (*out)->f = tok->f;
        (*out)->b = tok->b;
        (*out)->quoted = tok->type == CONF__TOK_QSTRING;
        tok->text = NULL;
        return 0;
    default:
        conf__token_clear(tok);
        if (what)
            return perr(c, tok->line, ERR_PARSE, "expected a value for %s, found %s", what,
                        conf__tok_name(tok->type));
        return perr(c, tok->line, ERR_PARSE, "expected a value, found %s",
                    conf__tok_name(tok->type));
    }
}

/* key [=|:] value */
static int parse_entry(struct pctx *c, struct conf_node *map, struct conf__token *key)
{
    struct conf__token tok;
    struct conf_node *n = NULL;
    char what[96];
    int rc = charge(c, key->len + 1, key->line);
    if (rc == 0)
        rc = conf__lex_next(c->lx, CONF__LEX_SEP, &tok);
    if (rc == 0)
        rc = conf__lex_next(c->lx, CONF__LEX_VALUE, &tok);
    if (rc == 0) {
        snprintf(what, sizeof(what), "\"%.80s\"", key->text);
        rc = parse_value(c, &tok, what, &n);
    }
    if (rc < 0) {
        conf__token_clear(key);
        return rc;
    }
    n->key = key->text;
    key->text = NULL;
    n->line = key->line;
    node_push(map, n);
    return 0;
}

/* ---- includes ---- */

/* Reads a regular file of at most CONF_MAX_FILE bytes. Returns 0, -errno,
 * ERR_INVAL (not a regular file) or ERR_LIMIT (too large). */
static int read_file(const char *path, char **out, size_t *len)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
    if (fd < 0)
        return -errno;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        rc = S_ISDIR(st.st_mode) ? -EISDIR : ERR_INVAL;
        close(fd);
        return rc;
    }
    size_t cap = 4096, n = 0;
    char *b = xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap >= CONF_MAX_FILE) {
                rc = ERR_LIMIT;
                break;
            }
            cap *= 2;
            b = xrealloc(b, cap + 1);
        }
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            rc = -errno;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (rc < 0) {
        free(b);
        return rc;
    }
    b[n] = '\0';
    *out = b;
    *len = n;
    return 0;
}

static const char *read_reason(int rc)
{
    if (rc == ERR_INVAL)
        return "not a regular file";
    if (rc == ERR_LIMIT)
        return "file too large";
    return strerror(-rc);
}

/* <path> relative to the directory of <from>. Returns a new string. */
static char *include_path(const char *from, const char *path)
{
    const char *slash = strrchr(from, '/');
    if (path[0] == '/' || !slash)
        return xstrdup(path);
    size_t dl = (size_t)(slash - from) + 1, pl = strlen(path);
    char *p = xmalloc(dl + pl + 1);
    memcpy(p, from, dl);
    memcpy(p + dl, path, pl + 1);
    return p;
}

static int parse_text(struct pctx *c, struct conf_node *map, const char *text, size_t len)
{
    struct conf__lexer lx, *saved = c->lx;
    conf__lex_init(&lx, text, len, c->file, c->eb);
    c->lx = &lx;
    int rc = parse_body(c, map, true);
    c->lx = saved;
    return rc;
}

static int do_include(struct pctx *c, struct conf_node *map, struct conf__token *tok)
{
    char *path = include_path(c->file, tok->text), *text = NULL, *real = NULL;
    const char *saved_file = c->file;
    size_t len;
    int rc;
    if (c->nchain >= CONF_MAX_INCLUDES || c->depth >= CONF_MAX_DEPTH) {
        rc =
            perr(c, tok->line, ERR_LIMIT, "includes nest deeper than %d levels", CONF_MAX_INCLUDES);
        goto out;
    }
    if ((rc = read_file(path, &text, &len)) < 0) {
        rc = perr(c, tok->line, rc, "cannot read include file \"%s\": %s", path, read_reason(rc));
        goto out;
    }
    real = realpath(path, NULL);
    for (size_t k = 0; real && k < c->nchain; k++) {
        if (strcmp(c->chain[k], real) == 0) {
            rc = perr(c, tok->line, ERR_LIMIT, "include cycle: \"%s\" is already being read", path);
            goto out;
        }
    }
    c->file = files_add(c, path);
    path = NULL;
    c->chain[c->nchain++] = real;
    c->depth++;
    rc = parse_text(c, map, text, len);
    c->depth--;
    c->nchain--;
    c->file = saved_file;
out:
    free(real);
    free(text);
    free(path);
    conf__token_clear(tok);
    return rc;
}

/* ---- maps ---- */

/* What may follow a value in a map: a new line, ',' or ';' (then more
 * keys), or the end of the map. Returns 1 when the map ended. */
static int after_value(struct pctx *c, bool to_eof, const char *key)
{
    struct conf__token tok;
    int rc = conf__lex_next(c->lx, CONF__LEX_END, &tok);
    if (rc < 0)
        return rc;
    switch (tok.type) {
    case CONF__TOK_NL:
    case CONF__TOK_COMMA:
    case CONF__TOK_SEMI:
        return 0;
    case CONF__TOK_EOF:
        if (to_eof)
            return 1;
        return perr(c, tok.line, ERR_PARSE, "unexpected end of file in map (missing '}')");
    case CONF__TOK_RBRACE:
        if (!to_eof)
            return 1;
        return perr(c, tok.line, ERR_PARSE, "unexpected '}'");
    case CONF__TOK_NONE:
        return perr(c, tok.line, ERR_PARSE,
                    "expected a new line, ',' or ';' after the value of \"%.80s\", found '%c'", key,
                    (char)tok.i);
    default:
        return perr(c, tok.line, ERR_PARSE,
                    "expected a new line, ',' or ';' after the value of \"%.80s\", found %s", key,
                    conf__tok_name(tok.type));
    }
}

/* Fills <map> with key/value pairs until '}' or, when <to_eof>, the end of
 * the text. A file may wrap its keys in one { ... } (JSON). */
static int parse_body(struct pctx *c, struct conf_node *map, bool to_eof)
{
    struct conf__token tok;
    char key[96];
    for (bool first = true;; first = false) {
        int rc = conf__lex_next(c->lx, CONF__LEX_KEY, &tok);
        if (rc < 0)
            return rc;
        switch (tok.type) {
        case CONF__TOK_SEMI:
            continue; /* an empty statement ("a: 1;;"), as nats-server allows */
        case CONF__TOK_EOF:
            if (to_eof)
                return 0;
            return perr(c, tok.line, ERR_PARSE, "unexpected end of file in map (missing '}')");
        case CONF__TOK_RBRACE:
            if (!to_eof)
                return 0;
            return perr(c, tok.line, ERR_PARSE, "unexpected '}'");
        case CONF__TOK_LBRACE:
            if (!(to_eof && first))
                return perr(c, tok.line, ERR_PARSE, "expected a key, found '{'");
            snprintf(key, sizeof(key), "{");
            rc = parse_body(c, map, false);
            break;
        case CONF__TOK_INCLUDE:
            snprintf(key, sizeof(key), "include");
            rc = do_include(c, map, &tok);
            break;
        case CONF__TOK_KEY:
            snprintf(key, sizeof(key), "%s", tok.text);
            rc = parse_entry(c, map, &tok);
            break;
        default:
            return perr(c, tok.line, ERR_PARSE, "expected a key, found %s",
                        conf__tok_name(tok.type));
        }
        if (rc < 0)
            return rc;
        if ((rc = after_value(c, to_eof, key)) != 0)
            return rc < 0 ? rc : 0;
    }
}

static int parse_root(const char *text, size_t len, const char *filename, char *real,
                      struct conf_node **root, struct errbuf *eb)
{
    struct pctx c;
    memset(&c, 0, sizeof(c));
    c.eb = eb;
    c.files = xcalloc(1, sizeof(*c.files));
    c.file = files_add(&c, xstrdup(filename ? filename : "config"));
    struct conf_node *r = node_new(&c, CONF_MAP, 1);
    r->priv = c.files;
    c.scopes[c.nscopes++] = r;
    if (real)
        c.chain[c.nchain++] = real;
    int rc = parse_text(&c, r, text, len);
    if (rc < 0) {
        conf_node_free(r);
        return rc;
    }
    *root = r;
    return 0;
}

int conf_parse(const char *text, size_t len, const char *filename, struct conf_node **root,
               struct errbuf *eb)
{
    return parse_root(text, len, filename, NULL, root, eb);
}

int conf_parse_file(const char *path, struct conf_node **root, struct errbuf *eb)
{
    char *text, *real;
    size_t len;
    int rc = read_file(path, &text, &len);
    if (rc < 0)
        return errbuf_set(eb, rc, "%s: cannot read config file: %s", path, read_reason(rc));
    real = realpath(path, NULL);
    rc = parse_root(text, len, path, real, root, eb);
    free(real);
    free(text);
    return rc;
}
