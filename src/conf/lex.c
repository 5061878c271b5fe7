/* Tokenizer for the nats-server configuration format.
 *
 * The format is context-sensitive (an unquoted value may hold ':' and '='
 * while a key may not), so the parser names a mode for every token instead
 * of the lexer tracking state: a key, the separator after it, a value, an
 * array item, or the end of a value. Unquoted words are classified after
 * they are cut: booleans, $variables, integers with size units, floats;
 * anything else that starts with a digit ("127.0.0.1:4222", "1h30m") stays
 * a string, as in nats-server.
 */
#include "conf/conf_int.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int lex_err(struct conf__lexer *lx, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int lex_err(struct conf__lexer *lx, int line, const char *fmt, ...)
{
    if (lx->eb) {
        int n = snprintf(lx->eb->msg, sizeof(lx->eb->msg), "%s:%d: ", lx->file, line);
        if (n > 0 && (size_t)n < sizeof(lx->eb->msg)) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(lx->eb->msg + n, sizeof(lx->eb->msg) - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return ERR_PARSE;
}

void conf__lex_init(struct conf__lexer *lx, const char *text, size_t len, const char *file,
                    struct errbuf *eb)
{
    lx->p = text;
    lx->end = text + len;
    lx->line = 1;
    lx->file = file;
    lx->eb = eb;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        lx->p += 3;
}

void conf__token_clear(struct conf__token *tok)
{
    FREE_AND_NULL(tok->text);
    tok->len = 0;
}

const char *conf__tok_name(enum conf__tok type)
{
    switch (type) {
    case CONF__TOK_EOF:
        return "end of file";
    case CONF__TOK_NL:
        return "a new line";
    case CONF__TOK_LBRACE:
        return "'{'";
    case CONF__TOK_RBRACE:
        return "'}'";
    case CONF__TOK_LBRACKET:
        return "'['";
    case CONF__TOK_RBRACKET:
        return "']'";
    case CONF__TOK_COMMA:
        return "','";
    case CONF__TOK_SEMI:
        return "';'";
    case CONF__TOK_SEP:
        return "a key separator";
    case CONF__TOK_KEY:
        return "a key";
    case CONF__TOK_INCLUDE:
        return "include";
    case CONF__TOK_STRING:
    case CONF__TOK_QSTRING:
        return "a string";
    case CONF__TOK_INT:
    case CONF__TOK_FLOAT:
        return "a number";
    case CONF__TOK_BOOL:
        return "a boolean";
    case CONF__TOK_VAR:
        return "a variable";
    case CONF__TOK_NONE:
        break;
    }
    return "nothing";
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static bool is_nl(char c)
{
    return c == '\n' || c == '\r';
}

/* Ends an unquoted value. '#' does not: "a#b" is one string in nats-server. */
static bool is_value_term(char c)
{
    return is_blank(c) || is_nl(c) || c == ',' || c == ';' || c == '}' || c == ']';
}

static bool is_key_term(char c)
{
    return is_blank(c) || is_nl(c) || c == '=' || c == ':' || c == '{';
}

static void skip(struct conf__lexer *lx, bool newlines, bool comments)
{
    while (lx->p < lx->end) {
        char c = *lx->p;
        if (is_blank(c)) {
            lx->p++;
        } else if (newlines && is_nl(c)) {
            if (c == '\n')
                lx->line++;
            lx->p++;
        } else if (comments && (c == '#' || (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '/'))) {
            while (lx->p < lx->end && !is_nl(*lx->p))
                lx->p++;
        } else {
            break;
        }
    }
}

static void set_text(struct conf__token *tok, const char *s, size_t n)
{
    tok->text = xstrndup(s, n);
    tok->len = n;
}

/* Consumes one line ending ("\r\n" counts once). */
static void eat_newline(struct conf__lexer *lx)
{
    if (*lx->p == '\r' && lx->p + 1 < lx->end && lx->p[1] == '\n')
        lx->p++;
    if (*lx->p == '\n')
        lx->line++;
    lx->p++;
}

/* Punctuation shared by all modes; returns false when <c> is none. */
static bool punct(char c, struct conf__token *tok)
{
    switch (c) {
    case '{':
        tok->type = CONF__TOK_LBRACE;
        return true;
    case '}':
        tok->type = CONF__TOK_RBRACE;
        return true;
    case '[':
        tok->type = CONF__TOK_LBRACKET;
        return true;
    case ']':
        tok->type = CONF__TOK_RBRACKET;
        return true;
    case ',':
        tok->type = CONF__TOK_COMMA;
        return true;
    case ';':
        tok->type = CONF__TOK_SEMI;
        return true;
    default:
        return false;
    }
}

/* Text up to the closing <q>, no escapes (single-quoted strings, keys,
 * include paths). The opening quote is already consumed. */
static int lex_raw_quoted(struct conf__lexer *lx, char q, struct conf__token *tok)
{
    const char *s = lx->p;
    while (lx->p < lx->end && *lx->p != q) {
        if (*lx->p == '\n')
            lx->line++;
        lx->p++;
    }
    if (lx->p >= lx->end)
        return lex_err(lx, tok->line, "unterminated quoted string (missing %c)", q);
    set_text(tok, s, (size_t)(lx->p - s));
    lx->p++;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int read_hex(struct conf__lexer *lx, int ndigits, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < ndigits; k++) {
        int h = lx->p < lx->end ? hexval(*lx->p) : -1;
        if (h < 0)
            return lex_err(lx, lx->line, "expected %d hexadecimal digits in escape", ndigits);
        v = v * 16 + (unsigned)h;
        lx->p++;
    }
    *out = v;
    return 0;
}

static void put_utf8(struct buf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_append(b, u, n);
}

/* \uXXXX, combining a UTF-16 surrogate pair when one follows (JSON). */
static int lex_unicode(struct conf__lexer *lx, struct buf *b)
{
    unsigned cp = 0, lo = 0;
    int rc = read_hex(lx, 4, &cp);
    if (rc < 0)
        return rc;
    if (cp >= 0xD800 && cp < 0xDC00 && lx->end - lx->p >= 6 && lx->p[0] == '\\' &&
        lx->p[1] == 'u') {
        lx->p += 2;
        if ((rc = read_hex(lx, 4, &lo)) < 0)
            return rc;
        if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else {
            put_utf8(b, cp);
            cp = lo;
        }
    }
    put_utf8(b, cp);
    return 0;
}

/* One escape after '\' in a double-quoted string: nats-server's \t \n \r
 * \" \\ \xHH plus JSON's \/ \b \f \uXXXX. */
static int lex_escape(struct conf__lexer *lx, struct buf *b)
{
    static const char from[] = "tnr\"\\/bf";
    static const char to[] = "\t\n\r\"\\/\b\f";
    unsigned v = 0;
    int rc;
    if (lx->p >= lx->end)
        return lex_err(lx, lx->line, "unterminated quoted string (missing \")");
    char c = *lx->p++;
    const char *hit = c ? strchr(from, c) : NULL;
    if (hit) {
        buf_append_char(b, to[hit - from]);
        return 0;
    }
    if (c == 'x') {
        if ((rc = read_hex(lx, 2, &v)) < 0)
            return rc;
        buf_append_char(b, (char)v);
        return 0;
    }
    if (c == 'u')
        return lex_unicode(lx, b);
    if (isprint((unsigned char)c))
        return lex_err(lx, lx->line, "invalid escape character '\\%c'", c);
    return lex_err(lx, lx->line, "invalid escape character (byte 0x%02x)", (unsigned char)c);
}

static int lex_dq_string(struct conf__lexer *lx, struct conf__token *tok)
{
    struct buf b;
    int rc = 0;
    buf_init(&b);
    for (;;) {
        if (lx->p >= lx->end) {
            rc = lex_err(lx, tok->line, "unterminated quoted string (missing \")");
            break;
        }
        char c = *lx->p++;
        if (c == '"')
            break;
        if (c == '\\') {
            if ((rc = lex_escape(lx, &b)) < 0)
                break;
            continue;
        }
        if (c == '\n')
            lx->line++;
        buf_append_char(&b, c);
    }
    if (rc == 0) {
        tok->len = b.len;
        buf_append_char(&b, '\0');
        tok->text = b.data;
        tok->type = CONF__TOK_QSTRING;
    } else {
        buf_deinit(&b);
    }
    return rc;
}

/* "( ... )": raw text up to a ')' alone at the start of a line. */
static int lex_block(struct conf__lexer *lx, struct conf__token *tok)
{
    const char *s = lx->p;
    for (const char *q = lx->p; q < lx->end; q++) {
        if (*q != '\n')
            continue;
        lx->line++;
        if (q + 1 < lx->end && q[1] == ')' && (q + 2 == lx->end || is_nl(q[2]))) {
            const char *e = q > s && q[-1] == '\r' ? q - 1 : q;
            set_text(tok, s, (size_t)(e - s));
            tok->type = CONF__TOK_QSTRING;
            lx->p = q + 2;
            return 0;
        }
    }
    return lex_err(lx, tok->line, "unterminated block: expected ')' alone on a line");
}

/* YYYY-MM-DDTHH:MM:SSZ, which nats-server reads as a date; kept as text. */
static bool is_datetime(const char *w, size_t n)
{
    static const char pat[] = "0000-00-00T00:00:00Z";
    if (n != sizeof(pat) - 1)
        return false;
    for (size_t k = 0; k < n; k++) {
        if (pat[k] == '0' ? !isdigit((unsigned char)w[k]) : w[k] != pat[k])
            return false;
    }
    return true;
}

static bool is_bool_word(const char *w, size_t n, bool *v)
{
    static const char *const yes[] = {"true", "yes", "on"};
    static const char *const no[] = {"false", "no", "off"};
    for (size_t k = 0; k < 3; k++) {
        if (strlen(yes[k]) == n && strncasecmp(w, yes[k], n) == 0) {
            *v = true;
            return true;
        }
        if (strlen(no[k]) == n && strncasecmp(w, no[k], n) == 0) {
            *v = false;
            return true;
        }
    }
    return false;
}

/* -?D+.D+([eE][+-]?D+)? */
static bool is_float_word(const char *w, size_t n)
{
    size_t k = w[0] == '-' ? 1 : 0, d;
    for (d = k; d < n && isdigit((unsigned char)w[d]); d++)
        ;
    if (d == k || d >= n || w[d] != '.')
        return false;
    for (k = ++d; d < n && isdigit((unsigned char)w[d]); d++)
        ;
    if (d == k)
        return false;
    if (d < n && (w[d] == 'e' || w[d] == 'E')) {
        d++;
        if (d < n && (w[d] == '+' || w[d] == '-'))
            d++;
        for (k = d; d < n && isdigit((unsigned char)w[d]); d++)
            ;
        if (d == k)
            return false;
    }
    return d == n;
}

/* A word that starts with a digit or "-<digit>". */
static int classify_number(struct conf__lexer *lx, struct conf__token *tok)
{
    const char *w = tok->text;
    size_t n = tok->len;
    if (is_datetime(w, n)) {
        tok->type = CONF__TOK_STRING;
        return 0;
    }
    if (is_float_word(w, n)) {
        tok->f = strtod(w, NULL);
        tok->type = CONF__TOK_FLOAT;
        return 0;
    }
    int rc = conf__size_parse(w, n, &tok->i);
    if (rc == ERR_LIMIT)
        return lex_err(lx, tok->line, "integer \"%s\" is out of range", w);
    tok->type = rc == 0 ? CONF__TOK_INT : CONF__TOK_STRING;
    return 0;
}

static int lex_word(struct conf__lexer *lx, struct conf__token *tok)
{
    const char *s = lx->p;
    while (lx->p < lx->end && !is_value_term(*lx->p))
        lx->p++;
    size_t n = (size_t)(lx->p - s);
    set_text(tok, s, n);
    tok->type = CONF__TOK_STRING;
    if (is_bool_word(s, n, &tok->b)) {
        tok->type = CONF__TOK_BOOL;
    } else if (s[0] == '$') {
        /* Raw bcrypt hashes ($2a$11$...) are values, not variables. */
        if (n >= 4 && s[1] == '2' && s[2] && strchr("abxy", s[2]) && s[3] == '$')
            return 0;
        if (n == 1)
            return lex_err(lx, tok->line, "expected a variable name after '$'");
        memmove(tok->text, tok->text + 1, n);
        tok->len = n - 1;
        tok->type = CONF__TOK_VAR;
    } else if (isdigit((unsigned char)s[0]) ||
               (s[0] == '-' && n > 1 && isdigit((unsigned char)s[1]))) {
        return classify_number(lx, tok);
    }
    return 0;
}

static int lex_value(struct conf__lexer *lx, struct conf__token *tok)
{
    if (lx->p >= lx->end) {
        tok->type = CONF__TOK_EOF;
        return 0;
    }
    char c = *lx->p;
    if (is_nl(c)) {
        eat_newline(lx);
        tok->type = CONF__TOK_NL;
        return 0;
    }
    if (punct(c, tok)) {
        lx->p++;
        return 0;
    }
    if (c == '"') {
        lx->p++;
        return lex_dq_string(lx, tok);
    }
    if (c == '\'') {
        lx->p++;
        tok->type = CONF__TOK_QSTRING;
        return lex_raw_quoted(lx, '\'', tok);
    }
    if (c == '(') {
        lx->p++;
        return lex_block(lx, tok);
    }
    return lex_word(lx, tok);
}

/* The path after `include`: quoted, or up to a blank, ';' or '}'. */
static int lex_include(struct conf__lexer *lx, struct conf__token *tok)
{
    skip(lx, false, false);
    tok->type = CONF__TOK_INCLUDE;
    if (lx->p < lx->end && (*lx->p == '"' || *lx->p == '\'')) {
        char q = *lx->p++;
        return lex_raw_quoted(lx, q, tok);
    }
    const char *s = lx->p;
    while (lx->p < lx->end && !is_blank(*lx->p) && !is_nl(*lx->p) && *lx->p != ';' && *lx->p != '}')
        lx->p++;
    if (lx->p == s)
        return lex_err(lx, tok->line, "expected a file name after include");
    set_text(tok, s, (size_t)(lx->p - s));
    return 0;
}

static int lex_key(struct conf__lexer *lx, struct conf__token *tok)
{
    char c = *lx->p;
    tok->type = CONF__TOK_KEY;
    if (c == '"' || c == '\'') {
        lx->p++;
        return lex_raw_quoted(lx, c, tok);
    }
    if (c == '=' || c == ':') {
        lx->p++;
        tok->type = CONF__TOK_SEP;
        return 0;
    }
    const char *s = lx->p;
    while (lx->p < lx->end && !is_key_term(*lx->p))
        lx->p++;
    size_t n = (size_t)(lx->p - s);
    if (n == 7 && strncasecmp(s, "include", 7) == 0 && lx->p < lx->end && is_blank(*lx->p))
        return lex_include(lx, tok);
    set_text(tok, s, n);
    return 0;
}

/* ---- numbers with units, Go durations ---- */

struct unit {
    const char *name;
    int64_t mult;
};

#define KI ((int64_t)1024)
static const struct unit size_units[] = {
    {"", 1},
    {"k", 1000},
    {"kb", KI},
    {"ki", KI},
    {"kib", KI},
    {"m", 1000 * 1000},
    {"mb", KI *KI},
    {"mi", KI *KI},
    {"mib", KI *KI},
    {"g", 1000 * 1000 * 1000},
    {"gb", KI *KI *KI},
    {"gi", KI *KI *KI},
    {"gib", KI *KI *KI},
    {"t", 1000LL * 1000 * 1000 * 1000},
    {"tb", KI *KI *KI *KI},
    {"ti", KI *KI *KI *KI},
    {"tib", KI *KI *KI *KI},
    {"p", 1000LL * 1000 * 1000 * 1000 * 1000},
    {"pb", KI *KI *KI *KI *KI},
    {"pi", KI *KI *KI *KI *KI},
    {"pib", KI *KI *KI *KI *KI},
    {"e", 1000LL * 1000 * 1000 * 1000 * 1000 * 1000},
    {"eb", KI *KI *KI *KI *KI *KI},
    {"ei", KI *KI *KI *KI *KI *KI},
    {"eib", KI *KI *KI *KI *KI *KI},
};

int conf__size_parse(const char *s, size_t len, int64_t *out)
{
    size_t k = 0, d0;
    bool neg = false;
    if (k < len && s[k] == '-') {
        neg = true;
        k++;
    }
    for (d0 = k; k < len && isdigit((unsigned char)s[k]); k++)
        ;
    if (k == d0)
        return ERR_INVAL;
    const struct unit *u = NULL;
    for (size_t j = 0; j < sizeof(size_units) / sizeof(size_units[0]); j++) {
        size_t ul = strlen(size_units[j].name);
        if (ul == len - k && strncasecmp(s + k, size_units[j].name, ul) == 0) {
            u = &size_units[j];
            break;
        }
    }
    if (!u)
        return ERR_INVAL;
    /* Magnitude limit: 2^63 for negatives, 2^63-1 otherwise. */
    uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, v = 0;
    for (size_t j = d0; j < k; j++) {
        unsigned dg = (unsigned)(s[j] - '0');
        if (v > (lim - dg) / 10)
            return ERR_LIMIT;
        v = v * 10 + dg;
    }
    if (v > lim / (uint64_t)u->mult)
        return ERR_LIMIT;
    v *= (uint64_t)u->mult;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

static const struct unit dur_units[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xC2\xB5s", 1000}, /* U+00B5 micro sign */
    {"\xCE\xBCs", 1000}, /* U+03BC Greek mu */
    {"ms", 1000 * 1000},
    {"s", 1000LL * 1000 * 1000},
    {"m", 60LL * 1000 * 1000 * 1000},
    {"h", 3600LL * 1000 * 1000 * 1000},
};

static const struct unit *dur_unit(const char *s, size_t n)
{
    for (size_t j = 0; j < sizeof(dur_units) / sizeof(dur_units[0]); j++) {
        if (strlen(dur_units[j].name) == n && memcmp(s, dur_units[j].name, n) == 0)
            return &dur_units[j];
    }
    return NULL;
}

/* One "<number><unit>" element of a duration; adds it to *<total>. */
static int dur_element(const char **pp, uint64_t lim, uint64_t *total)
{
    const char *p = *pp;
    uint64_t v = 0, frac = 0, scale = 1;
    bool digits = false;
    for (; isdigit((unsigned char)*p); p++, digits = true) {
        if (v > (UINT64_MAX - 9) / 10)
            return ERR_LIMIT;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p); p++, digits = true) {
            if (scale < 1000000000000000000ULL) {
                frac = frac * 10 + (uint64_t)(*p - '0');
                scale *= 10;
            }
        }
    }
    if (!digits)
        return ERR_INVAL;
    const char *us = p;
    while (*p && *p != '.' && !isdigit((unsigned char)*p))
        p++;
    const struct unit *u = dur_unit(us, (size_t)(p - us));
    if (!u)
        return ERR_INVAL;
    uint64_t m = (uint64_t)u->mult;
    if (v > lim / m)
        return ERR_LIMIT;
    uint64_t add = v * m + (uint64_t)((long double)frac * (long double)m / (long double)scale);
    if (add > lim - *total)
        return ERR_LIMIT;
    *total += add;
    *pp = p;
    return 0;
}

int conf__duration_parse(const char *s, int64_t *ns)
{
    const char *p = s;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (strcmp(p, "0") == 0) {
        *ns = 0;
        return 0;
    }
    if (*p == '\0')
        return ERR_INVAL;
    uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, total = 0;
    while (*p) {
        int rc = dur_element(&p, lim, &total);
        if (rc < 0)
            return rc;
    }
    *ns = neg ? (int64_t)(0 - total) : (int64_t)total;
    return 0;
}

/* ---- the mode switch ---- */

int conf__lex_next(struct conf__lexer *lx, enum conf__lex_mode mode, struct conf__token *tok)
{
    tok->type = CONF__TOK_NONE;
    tok->text = NULL;
    tok->len = 0;
    tok->i = 0;
    tok->f = 0;
    tok->b = false;
    skip(lx, mode == CONF__LEX_KEY || mode == CONF__LEX_SEP || mode == CONF__LEX_ITEM,
         mode == CONF__LEX_KEY || mode == CONF__LEX_ITEM || mode == CONF__LEX_END);
    tok->line = lx->line;
    if (mode == CONF__LEX_SEP) {
        if (lx->p < lx->end && (*lx->p == '=' || *lx->p == ':')) {
            lx->p++;
            tok->type = CONF__TOK_SEP;
        }
        return 0;
    }
    if (lx->p >= lx->end) {
        tok->type = CONF__TOK_EOF;
        return 0;
    }
    int rc = 0;
    switch (mode) {
    case CONF__LEX_KEY:
        if (punct(*lx->p, tok))
            lx->p++;
        else
            rc = lex_key(lx, tok);
        break;
    case CONF__LEX_END:
        if (is_nl(*lx->p)) {
            eat_newline(lx);
            tok->type = CONF__TOK_NL;
        } else if (punct(*lx->p, tok) && tok->type != CONF__TOK_LBRACE &&
                   tok->type != CONF__TOK_LBRACKET) {
            lx->p++;
        } else {
            /* The parser names the offending byte in its message. */
            tok->type = CONF__TOK_NONE;
            tok->i = (unsigned char)*lx->p;
        }
        break;
    default:
        rc = lex_value(lx, tok);
        break;
    }
    if (rc < 0)
        conf__token_clear(tok); /* an error leaves no text to free */
    return rc;
}
