/* Tokenizer tests (src/conf/lex.c): every token kind in every mode, value
 * classification (units, floats, IPs, durations, dates, variables, bcrypt),
 * escapes, line numbers, and the size and duration parsers.
 */
/* cmocka.h needs these first; keep clang-format from sorting them. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include "conf/conf_int.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static struct errbuf eb;

/* Lexes one token of <text> in <mode>; asserts success. */
static struct conf__token lex1(const char *text, enum conf__lex_mode mode)
{
    struct conf__lexer lx;
    struct conf__token tok;
    conf__lex_init(&lx, text, strlen(text), "t.conf", &eb);
    assert_int_equal(conf__lex_next(&lx, mode, &tok), 0);
    return tok;
}

static void assert_value(const char *text, enum conf__tok type, const char *out)
{
    struct conf__token tok = lex1(text, CONF__LEX_VALUE);
    assert_int_equal(tok.type, type);
    assert_string_equal(tok.text, out);
    conf__token_clear(&tok);
}

static void assert_int_value(const char *text, int64_t v)
{
    struct conf__token tok = lex1(text, CONF__LEX_VALUE);
    assert_int_equal(tok.type, CONF__TOK_INT);
    assert_true(tok.i == v);
    conf__token_clear(&tok);
}

/* Lexing <text> as a value fails with <msg> in the errbuf. */
static void assert_value_error(const char *text, const char *msg)
{
    struct conf__lexer lx;
    struct conf__token tok;
    conf__lex_init(&lx, text, strlen(text), "t.conf", &eb);
    assert_int_equal(conf__lex_next(&lx, CONF__LEX_VALUE, &tok), ERR_PARSE);
    assert_string_equal(eb.msg, msg);
}

static void test_lex_keys(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"port: 1", "port"},         {"port=1", "port"},        {"port 1", "port"},
        {"  \n\n port", "port"},     {"\"a b\": 1", "a b"},     {"'x=y' = 1", "x=y"},
        {"jetstream{", "jetstream"}, {"# c\n// d\nkey", "key"}, {"a.b-c_d 1", "a.b-c_d"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        struct conf__token tok = lex1(cases[k][0], CONF__LEX_KEY);
        assert_int_equal(tok.type, CONF__TOK_KEY);
        assert_string_equal(tok.text, cases[k][1]);
        conf__token_clear(&tok);
    }
}

static void test_lex_key_punctuation(void **state)
{
    (void)state;
    const struct {
        const char *text;
        enum conf__tok type;
    } cases[] = {
        {"", CONF__TOK_EOF},       {"  # only a comment", CONF__TOK_EOF},
        {"}", CONF__TOK_RBRACE},   {"{", CONF__TOK_LBRACE},
        {"]", CONF__TOK_RBRACKET}, {",", CONF__TOK_COMMA},
        {";", CONF__TOK_SEMI},     {"= 1", CONF__TOK_SEP},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        struct conf__token tok = lex1(cases[k].text, CONF__LEX_KEY);
        assert_int_equal(tok.type, cases[k].type);
    }
}

static void test_lex_include(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"include ./a.conf", "./a.conf"}, {"include \"b c.conf\"", "b c.conf"},
        {"include 'd.conf'", "d.conf"},   {"INCLUDE\te.conf;", "e.conf"},
        {"include f.conf}", "f.conf"},    {"include g.conf # c", "g.conf"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        struct conf__token tok = lex1(cases[k][0], CONF__LEX_KEY);
        assert_int_equal(tok.type, CONF__TOK_INCLUDE);
        assert_string_equal(tok.text, cases[k][1]);
        conf__token_clear(&tok);
    }
    /* "include" followed by a separator is an ordinary key. */
    struct conf__token tok = lex1("include: 1", CONF__LEX_KEY);
    assert_int_equal(tok.type, CONF__TOK_KEY);
    conf__token_clear(&tok);
}

static void test_lex_sep(void **state)
{
    (void)state;
    assert_int_equal(lex1(" = 1", CONF__LEX_SEP).type, CONF__TOK_SEP);
    assert_int_equal(lex1(":1", CONF__LEX_SEP).type, CONF__TOK_SEP);
    assert_int_equal(lex1("\n  : 1", CONF__LEX_SEP).type, CONF__TOK_SEP);
    assert_int_equal(lex1(" 1", CONF__LEX_SEP).type, CONF__TOK_NONE);
    assert_int_equal(lex1(" {", CONF__LEX_SEP).type, CONF__TOK_NONE);
}

static void test_lex_integers_and_units(void **state)
{
    (void)state;
    const struct {
        const char *text;
        int64_t v;
    } cases[] = {
        {"0", 0},
        {"4222", 4222},
        {"-1", -1},
        {"1k", 1000},
        {"1K", 1000},
        {"1kb", 1024},
        {"1KB", 1024},
        {"1ki", 1024},
        {"1Kib", 1024},
        {"2m", 2000000},
        {"1mb", 1048576},
        {"1MiB", 1048576},
        {"1Mi", 1048576},
        {"1g", 1000000000},
        {"1GB", 1073741824LL},
        {"1gi", 1073741824LL},
        {"1t", 1000000000000LL},
        {"1TB", 1099511627776LL},
        {"1p", 1000000000000000LL},
        {"1e", 1000000000000000000LL},
        {"-2kb", -2048},
        {"9223372036854775807", INT64_MAX},
        {"-9223372036854775808", INT64_MIN},
        {"64MB,", 64LL << 20},
        {"8k}", 8000},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        assert_int_value(cases[k].text, cases[k].v);
    /* The source text stays, so "2m" can still be read as a duration. */
    assert_value("2m", CONF__TOK_INT, "2m");
}

static void test_lex_floats(void **state)
{
    (void)state;
    struct conf__token tok = lex1("1.5", CONF__LEX_VALUE);
    assert_int_equal(tok.type, CONF__TOK_FLOAT);
    assert_true(tok.f == 1.5);
    conf__token_clear(&tok);
    tok = lex1("-0.25e2", CONF__LEX_VALUE);
    assert_int_equal(tok.type, CONF__TOK_FLOAT);
    assert_true(tok.f == -25.0);
    conf__token_clear(&tok);
}

static void test_lex_number_like_strings(void **state)
{
    (void)state;
    const char *cases[] = {"127.0.0.1",
                           "0.0.0.0:4222",
                           "1h30m",
                           "500ms",
                           "10s",
                           "0x10",
                           "1.2.3",
                           "4222x",
                           "2kbb",
                           "-",
                           "-foo",
                           "1.",
                           "2016-05-04T18:53:41Z"};
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        assert_value(cases[k], CONF__TOK_STRING, cases[k]);
}

static void test_lex_integer_overflow(void **state)
{
    (void)state;
    assert_value_error("9223372036854775808",
                       "t.conf:1: integer \"9223372036854775808\" is out of range");
    assert_value_error("10EB", "t.conf:1: integer \"10EB\" is out of range");
}

static void test_lex_bools(void **state)
{
    (void)state;
    const char *t[] = {"true", "TRUE", "yes", "Yes", "on", "ON"};
    const char *f[] = {"false", "False", "no", "NO", "off", "Off"};
    for (size_t k = 0; k < 6; k++) {
        struct conf__token tok = lex1(t[k], CONF__LEX_VALUE);
        assert_int_equal(tok.type, CONF__TOK_BOOL);
        assert_true(tok.b);
        conf__token_clear(&tok);
        tok = lex1(f[k], CONF__LEX_VALUE);
        assert_int_equal(tok.type, CONF__TOK_BOOL);
        assert_false(tok.b);
        conf__token_clear(&tok);
    }
    assert_value("truely", CONF__TOK_STRING, "truely");
    assert_value("\"true\"", CONF__TOK_QSTRING, "true");
}

static void test_lex_variables_and_bcrypt(void **state)
{
    (void)state;
    assert_value("$PORT", CONF__TOK_VAR, "PORT");
    assert_value("$a_b;", CONF__TOK_VAR, "a_b");
    const char *hashes[] = {"$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG",
                            "$2b$10$abc", "$2y$10$abc", "$2x$10$abc"};
    for (size_t k = 0; k < 4; k++)
        assert_value(hashes[k], CONF__TOK_STRING, hashes[k]);
    assert_value("\"$NOTVAR\"", CONF__TOK_QSTRING, "$NOTVAR");
    assert_value_error("$ x", "t.conf:1: expected a variable name after '$'");
}

static void test_lex_strings(void **state)
{
    (void)state;
    assert_value("hello world", CONF__TOK_STRING, "hello");
    assert_value("nats://h:4222,", CONF__TOK_STRING, "nats://h:4222");
    assert_value("a#b", CONF__TOK_STRING, "a#b");
    assert_value("\"a b\\t\\n\\r\\\"\\\\\\/\"", CONF__TOK_QSTRING, "a b\t\n\r\"\\/");
    assert_value("\"\\x41\\u00e9\\u20AC\"", CONF__TOK_QSTRING, "A\xc3\xa9\xe2\x82\xac");
    assert_value("\"\\ud83d\\ude00\"", CONF__TOK_QSTRING, "\xf0\x9f\x98\x80");
    assert_value("'raw \\t $x'", CONF__TOK_QSTRING, "raw \\t $x");
    assert_value("\"multi\nline\"", CONF__TOK_QSTRING, "multi\nline");
    assert_value("(\nline one\n  line two\n)\n", CONF__TOK_QSTRING, "\nline one\n  line two");
    assert_value("(a)\nb\n)", CONF__TOK_QSTRING, "a)\nb");
}

static void test_lex_string_errors(void **state)
{
    (void)state;
    assert_value_error("\"abc", "t.conf:1: unterminated quoted string (missing \")");
    assert_value_error("'abc\n\n", "t.conf:1: unterminated quoted string (missing ')");
    assert_value_error("\"a\nb\\q\"", "t.conf:2: invalid escape character '\\q'");
    assert_value_error("\"\\xZ1\"", "t.conf:1: expected 2 hexadecimal digits in escape");
    assert_value_error("\"\\u12\"", "t.conf:1: expected 4 hexadecimal digits in escape");
    assert_value_error("(\nabc\n", "t.conf:1: unterminated block: expected ')' alone on a line");
}

static void test_lex_value_punctuation(void **state)
{
    (void)state;
    const struct {
        const char *text;
        enum conf__tok type;
    } cases[] = {
        {"", CONF__TOK_EOF},       {"\n", CONF__TOK_NL},     {"\r\n", CONF__TOK_NL},
        {"[", CONF__TOK_LBRACKET}, {" {", CONF__TOK_LBRACE}, {"}", CONF__TOK_RBRACE},
        {"]", CONF__TOK_RBRACKET}, {",", CONF__TOK_COMMA},   {";", CONF__TOK_SEMI},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        assert_int_equal(lex1(cases[k].text, CONF__LEX_VALUE).type, cases[k].type);
    /* Array items skip new lines and comments first. */
    struct conf__token tok = lex1("\n # c\n // d\n  42", CONF__LEX_ITEM);
    assert_int_equal(tok.type, CONF__TOK_INT);
    assert_int_equal(tok.line, 4);
    conf__token_clear(&tok);
}

static void test_lex_end(void **state)
{
    (void)state;
    assert_int_equal(lex1("  # comment\nx", CONF__LEX_END).type, CONF__TOK_NL);
    assert_int_equal(lex1(" // comment", CONF__LEX_END).type, CONF__TOK_EOF);
    assert_int_equal(lex1(" ,", CONF__LEX_END).type, CONF__TOK_COMMA);
    assert_int_equal(lex1(";", CONF__LEX_END).type, CONF__TOK_SEMI);
    assert_int_equal(lex1("}", CONF__LEX_END).type, CONF__TOK_RBRACE);
    assert_int_equal(lex1("]", CONF__LEX_END).type, CONF__TOK_RBRACKET);
    struct conf__token tok = lex1("  x", CONF__LEX_END);
    assert_int_equal(tok.type, CONF__TOK_NONE);
    assert_int_equal(tok.i, 'x');
}

static void test_lex_line_numbers(void **state)
{
    (void)state;
    const char *text = "a: 1\r\nb: \"x\ny\"\n\n# c\n  c: (\nq\n)\nd: 2";
    const int lines[] = {1, 2, 6, 9};
    struct conf__lexer lx;
    struct conf__token tok;
    conf__lex_init(&lx, text, strlen(text), "t.conf", &eb);
    for (size_t k = 0; k < 4; k++) {
        assert_int_equal(conf__lex_next(&lx, CONF__LEX_KEY, &tok), 0);
        assert_int_equal(tok.type, CONF__TOK_KEY);
        assert_int_equal(tok.line, lines[k]);
        conf__token_clear(&tok);
        assert_int_equal(conf__lex_next(&lx, CONF__LEX_SEP, &tok), 0);
        assert_int_equal(conf__lex_next(&lx, CONF__LEX_VALUE, &tok), 0);
        conf__token_clear(&tok);
        assert_int_equal(conf__lex_next(&lx, CONF__LEX_END, &tok), 0);
    }
    assert_int_equal(conf__lex_next(&lx, CONF__LEX_KEY, &tok), 0);
    assert_int_equal(tok.type, CONF__TOK_EOF);
}

static void test_lex_bom(void **state)
{
    (void)state;
    struct conf__token tok = lex1("\xEF\xBB\xBFport", CONF__LEX_KEY);
    assert_string_equal(tok.text, "port");
    conf__token_clear(&tok);
}

static void test_lex_size_parse(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(conf__size_parse("10MB", 4, &v), 0);
    assert_true(v == 10LL << 20);
    assert_int_equal(conf__size_parse("10", 2, &v), 0);
    assert_true(v == 10);
    assert_int_equal(conf__size_parse("MB", 2, &v), ERR_INVAL);
    assert_int_equal(conf__size_parse("1XB", 3, &v), ERR_INVAL);
    assert_int_equal(conf__size_parse("", 0, &v), ERR_INVAL);
    assert_int_equal(conf__size_parse("9000PB", 6, &v), ERR_LIMIT);
}

static void test_lex_duration_parse(void **state)
{
    (void)state;
    const struct {
        const char *s;
        int64_t ns;
    } ok[] = {
        {"0", 0},
        {"2m", 120000000000LL},
        {"1h30m", 5400000000000LL},
        {"500ms", 500000000LL},
        {"1.5s", 1500000000LL},
        {"-1.5h", -5400000000000LL},
        {"+10us", 10000},
        {"3\xC2\xB5s", 3000},
        {"7ns", 7},
        {".5s", 500000000LL},
        {"1h1m1s1ms1us1ns", 3661001001001LL},
    };
    for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
        int64_t ns = -42;
        assert_int_equal(conf__duration_parse(ok[k].s, &ns), 0);
        assert_true(ns == ok[k].ns);
    }
    const char *bad[] = {"", "60", "1x", "s", "1.s.", "-", "1h 2m", "."};
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        int64_t ns;
        assert_int_equal(conf__duration_parse(bad[k], &ns), ERR_INVAL);
    }
    int64_t ns;
    assert_int_equal(conf__duration_parse("3000000h", &ns), ERR_LIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lex_keys),
        cmocka_unit_test(test_lex_key_punctuation),
        cmocka_unit_test(test_lex_include),
        cmocka_unit_test(test_lex_sep),
        cmocka_unit_test(test_lex_integers_and_units),
        cmocka_unit_test(test_lex_floats),
        cmocka_unit_test(test_lex_number_like_strings),
        cmocka_unit_test(test_lex_integer_overflow),
        cmocka_unit_test(test_lex_bools),
        cmocka_unit_test(test_lex_variables_and_bcrypt),
        cmocka_unit_test(test_lex_strings),
        cmocka_unit_test(test_lex_string_errors),
        cmocka_unit_test(test_lex_value_punctuation),
        cmocka_unit_test(test_lex_end),
        cmocka_unit_test(test_lex_line_numbers),
        cmocka_unit_test(test_lex_bom),
        cmocka_unit_test(test_lex_size_parse),
        cmocka_unit_test(test_lex_duration_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
