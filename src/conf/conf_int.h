/* Internals shared by the conf module's files: the tokenizer (lex.c), the
 * tree helpers (parse.c) and the value parsers used by both the options
 * layer (opts.c, opts_auth.c) and the flags (flags.c). Not for other
 * modules.
 */
#ifndef GN_CONF_INT_H
#define GN_CONF_INT_H

#include "conf/conf.h"
#include "util/err.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- tokenizer ---- */

enum conf__tok {
    CONF__TOK_NONE = 0, /* CONF__LEX_SEP found no separator */
    CONF__TOK_EOF,
    CONF__TOK_NL,       /* end of line ("\n", "\r\n" or "\r") */
    CONF__TOK_LBRACE,   /* { */
    CONF__TOK_RBRACE,   /* } */
    CONF__TOK_LBRACKET, /* [ */
    CONF__TOK_RBRACKET, /* ] */
    CONF__TOK_COMMA,    /* , */
    CONF__TOK_SEMI,     /* ; */
    CONF__TOK_SEP,      /* = or : after a key */
    CONF__TOK_KEY,      /* text: the key, quotes removed */
    CONF__TOK_INCLUDE,  /* text: the path after `include` */
    CONF__TOK_STRING,   /* text: an unquoted string (also IPs, "1h30m", dates) */
    CONF__TOK_QSTRING,  /* text: a quoted or ( ... ) block string, unescaped */
    CONF__TOK_INT,      /* i: value after units; text: source */
    CONF__TOK_FLOAT,    /* f: value; text: source */
    CONF__TOK_BOOL,     /* b: value; text: source */
    CONF__TOK_VAR,      /* text: the variable name without '$' */
};

/* What the parser expects next; each mode skips different blank space. */
enum conf__lex_mode {
    CONF__LEX_KEY = 1, /* skip blanks, newlines, comments; a key, include, { } [ ] , ; EOF */
    CONF__LEX_SEP,     /* skip blanks and newlines; SEP if = or : follows, else NONE */
    CONF__LEX_VALUE,   /* skip blanks; a value or a punctuation token (NL, EOF, ...) */
    CONF__LEX_ITEM,    /* skip blanks, newlines, comments; as CONF__LEX_VALUE */
    CONF__LEX_END,     /* skip blanks, comments; NL , ; } ] EOF, else an error */
};

struct conf__token {
    enum conf__tok type;
    int line;   /* line where the token starts */
    char *text; /* heap copy (see enum conf__tok) or NULL; the taker frees it */
    size_t len; /* bytes in text (text may hold "\x00" escapes) */
    int64_t i;
    double f;
    bool b;
};

struct conf__lexer {
    const char *p;    /* next unread byte */
    const char *end;  /* one past the last byte */
    int line;         /* current 1-based line */
    const char *file; /* for error messages */
    struct errbuf *eb;
};

/* Starts lexing <len> bytes at <text>; <file> names it in errors. Skips a
 * UTF-8 byte order mark. */
void conf__lex_init(struct conf__lexer *lx, const char *text, size_t len, const char *file,
                    struct errbuf *eb);
/* Reads the next token in <mode> into <tok> (whose old text is not freed).
 * Returns 0, or ERR_PARSE with "<file>:<line>: <reason>" in the lexer's
 * errbuf (unterminated string, bad escape, integer out of range, ...). */
int conf__lex_next(struct conf__lexer *lx, enum conf__lex_mode mode,
                   struct conf__token *tok) WARN_UNUSED;
/* Frees <tok>'s text. */
void conf__token_clear(struct conf__token *tok);
/* A short printable name for <type> ("'}'", "end of file", "a string"). */
const char *conf__tok_name(enum conf__tok type);

/* ---- numbers, sizes, durations ---- */

/* Parses "<digits><unit>" with the units of the config format (k, kb, ki,
 * kib, m, mb, ..., e, eb; case-insensitive). Returns 0 and sets *<out>, or
 * ERR_INVAL (not a number, unknown unit) or ERR_LIMIT (overflow). <s> is
 * <len> bytes; a leading '-' is allowed. */
int conf__size_parse(const char *s, size_t len, int64_t *out) WARN_UNUSED;
/* Parses a Go duration ("300ms", "1h30m", "-1.5h", "0") into nanoseconds.
 * Returns 0 or ERR_INVAL / ERR_LIMIT. */
int conf__duration_parse(const char *s, int64_t *ns) WARN_UNUSED;

/* ---- options helpers ---- */

/* Appends a formatted warning to <o>->warnings. */
void conf__warn(struct conf_opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fills <eb> with "<file>:<line>: " + the message and returns <code>. */
int conf__fail(struct errbuf *eb, int code, const struct conf_node *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Replaces the string at <dst> with a copy of <s>. */
void conf__set_str(char **dst, const char *s);
/* Typed getters: return 0 and set *<out>, or ERR_PARSE "<key>: expected a
 * ..." with <n>'s file:line. conf__get_str also takes numbers (their
 * source text); conf__get_size also takes a string with a unit ("1MB");
 * conf__get_duration takes a Go duration string, or a number of seconds
 * with a warning added to <o>. */
int conf__get_str(const struct conf_node *n, const char **out, struct errbuf *eb);
int conf__get_int(const struct conf_node *n, int64_t *out, struct errbuf *eb);
int conf__get_bool(const struct conf_node *n, bool *out, struct errbuf *eb);
int conf__get_size(const struct conf_node *n, int64_t *out, struct errbuf *eb);
int conf__get_duration(struct conf_opts *o, const struct conf_node *n, int64_t *out,
                       struct errbuf *eb);
/* Returns a printable name for a node type ("a map"). */
const char *conf__type_name(enum conf_type t);

/* authorization { ... } (opts_auth.c). */
int conf__apply_authorization(struct conf_opts *o, const struct conf_node *n, struct errbuf *eb);
/* Parses a permissions map into a new struct conf_perms (free with
 * conf__perms_free). */
int conf__perms_parse(struct conf_opts *o, const struct conf_node *n, struct conf_perms **out,
                      struct errbuf *eb);
void conf__perms_free(struct conf_perms *p);
/* Frees the users array of <o>. */
void conf__users_free(struct conf_opts *o);
/* Checks cross-key rules after the file and the flags are applied
 * (max_payload <= max_pending, no_auth_user names a user). <root> (may be
 * NULL) locates the keys for file:line. */
int conf__opts_validate(const struct conf_opts *o, const struct conf_node *root, struct errbuf *eb);

#endif
