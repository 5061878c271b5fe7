/* Unit tests for connect.c: defaults, every field, Go encoding/json quirks
 * that nats-server 2.9.10 shows on the wire (case-insensitive keys, null,
 * bad UTF-8, lone surrogates) and one row per rejected CONNECT body.
 */
/* cmocka.h needs these first. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
// clang-format on

#include "proto/proto.h"

static int parse(const char *json, struct proto_connect *c, struct errbuf *eb)
{
    eb->msg[0] = '\0';
    return proto_connect_parse(slice_cstr(json), c, eb);
}

static void test_connect_defaults(void **state)
{
    (void)state;
    static const char *const empty[] = {"{}", "null", " {} ", "{\"x\":{\"y\":[1,{\"z\":null}]}}"};
    for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
        struct proto_connect c;
        struct errbuf eb;
        assert_int_equal(parse(empty[i], &c, &eb), 0);
        assert_true(c.verbose && c.pedantic && c.echo);
        assert_false(c.headers || c.no_responders || c.tls_required);
        assert_int_equal(c.protocol, 0);
        assert_null(c.name);
        assert_null(c.user);
        proto_connect_deinit(&c);
    }
}

static void test_connect_fields(void **state)
{
    (void)state;
    const char *json =
        "{\"verbose\":false,\"pedantic\":false,\"echo\":false,\"headers\":true,"
        "\"no_responders\":true,\"tls_required\":true,\"protocol\":1,\"name\":\"n\","
        "\"lang\":\"C\",\"version\":\"3.4.1\",\"user\":\"u\",\"pass\":\"p\",\"auth_token\":\"t\","
        "\"nkey\":\"UA\",\"sig\":\"s\",\"jwt\":\"j\",\"account\":\"A\",\"new_account\":true,"
        "\"import\":{\"allow\":[\"x\"],\"deny\":null},\"export\":null}";
    struct proto_connect c;
    struct errbuf eb;
    assert_int_equal(parse(json, &c, &eb), 0);
    assert_false(c.verbose || c.pedantic || c.echo);
    assert_true(c.headers && c.no_responders && c.tls_required);
    assert_int_equal(c.protocol, 1);
    assert_string_equal(c.name, "n");
    assert_string_equal(c.lang, "C");
    assert_string_equal(c.version, "3.4.1");
    assert_string_equal(c.user, "u");
    assert_string_equal(c.pass, "p");
    assert_string_equal(c.auth_token, "t");
    assert_string_equal(c.nkey, "UA");
    assert_string_equal(c.sig, "s");
    assert_string_equal(c.jwt, "j");
    assert_string_equal(c.account, "A");
    proto_connect_deinit(&c);
    assert_null(c.name);
    proto_connect_deinit(&c); /* twice is harmless */
}

/* Go's encoding/json: keys fold case, later keys win, null is a no-op. */
static void test_connect_go_rules(void **state)
{
    (void)state;
    struct proto_connect c;
    struct errbuf eb;
    assert_int_equal(parse("{\"VERBOSE\":false,\"Echo\":false,\"NaMe\":\"x\"}", &c, &eb), 0);
    assert_false(c.verbose);
    assert_false(c.echo);
    assert_string_equal(c.name, "x");
    proto_connect_deinit(&c);

    assert_int_equal(
        parse("{\"user\":\"a\",\"USER\":\"b\",\"verbose\":null,\"name\":null}", &c, &eb), 0);
    assert_string_equal(c.user, "b");
    assert_true(c.verbose);
    assert_null(c.name);
    proto_connect_deinit(&c);

    assert_int_equal(parse("{\"n\\u0061me\":\"esc\",\"protocol\":-0}", &c, &eb), 0);
    assert_string_equal(c.name, "esc");
    assert_int_equal(c.protocol, 0);
    proto_connect_deinit(&c);

    /* Out-of-range protocols become -1: nats-server says 'invalid client protocol'. */
    assert_int_equal(parse("{\"protocol\":2147483648}", &c, &eb), 0);
    assert_int_equal(c.protocol, -1);
    assert_int_equal(parse("{\"protocol\":-7}", &c, &eb), 0);
    assert_int_equal(c.protocol, -1);
    assert_int_equal(parse("{\"protocol\":2}", &c, &eb), 0);
    assert_int_equal(c.protocol, 2);
}

/* Bytes jansson refuses but Go replaces with U+FFFD. */
static void test_connect_repair(void **state)
{
    (void)state;
    struct proto_connect c;
    struct errbuf eb;
    assert_int_equal(parse("{\"name\":\"a\xff\xfe"
                           "b\"}",
                           &c, &eb),
                     0);
    assert_string_equal(c.name, "a\xEF\xBF\xBD\xEF\xBF\xBD"
                                "b");
    proto_connect_deinit(&c);
    assert_int_equal(parse("{\"name\":\"\\ud800x\"}", &c, &eb), 0);
    assert_string_equal(c.name, "\xEF\xBF\xBDx");
    proto_connect_deinit(&c);
    assert_int_equal(parse("{\"name\":\"\\udc00\\ud800\"}", &c, &eb), 0);
    assert_string_equal(c.name, "\xEF\xBF\xBD\xEF\xBF\xBD");
    proto_connect_deinit(&c);
    /* A real pair stays; an escaped backslash is not an escape. */
    assert_int_equal(parse("{\"name\":\"\\ud83d\\ude00\",\"lang\":\"\\\\ud800\"}", &c, &eb), 0);
    assert_string_equal(c.name, "\xF0\x9F\x98\x80");
    assert_string_equal(c.lang, "\\ud800");
    proto_connect_deinit(&c);
    /* Valid multi-byte UTF-8 passes unchanged; \u0000 is allowed. */
    assert_int_equal(
        parse("{\"name\":\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\",\"lang\":\"a\\u0000b\"}", &c,
              &eb),
        0);
    assert_string_equal(c.name, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    assert_memory_equal(c.lang, "a\0b", 4);
    proto_connect_deinit(&c);
    /* Overlong and surrogate encodings are invalid UTF-8 too. */
    assert_int_equal(parse("{\"name\":\"\xC0\xAF\xED\xA0\x80\"}", &c, &eb), 0);
    assert_int_equal(strlen(c.name), 15);
    proto_connect_deinit(&c);
}

/* Bodies nats-server 2.9.10 closes the connection for. */
static const char *const bad[] = {
    "",
    " ",
    "{",
    "foo",
    "[]",
    "\"x\"",
    "5",
    "{} x",
    "{\"verbose\":false}junk",
    "{\"verbose\":false,}",
    "{'verbose':false}",
    "{\"verbose\":\"yes\"}",
    "{\"verbose\":1}",
    "{\"echo\":\"false\"}",
    "{\"tls_required\":0}",
    "{\"new_account\":\"x\"}",
    "{\"name\":5}",
    "{\"NAME\":5}",
    "{\"n\\u0061me\":5}",
    "{\"auth_token\":5}",
    "{\"sig\":1}",
    "{\"jwt\":true}",
    "{\"nkey\":[]}",
    "{\"lang\":{}}",
    "{\"account\":5}",
    "{\"protocol\":1.0}",
    "{\"protocol\":1e0}",
    "{\"protocol\":\"1\"}",
    "{\"protocol\":true}",
    "{\"protocol\":99999999999999999999}",
    "{\"import\":5}",
    "{\"import\":{\"allow\":\"x\"}}",
    "{\"import\":{\"deny\":[1]}}",
    "{\"export\":[]}",
    "{\"name\":\"x\tb\"}",
    "{\"user\":\"a\",\"pass\":5}",
};

static void test_connect_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct proto_connect c;
        struct errbuf eb;
        if (parse(bad[i], &c, &eb) != ERR_PARSE) {
            print_error("accepted bad CONNECT body '%s'\n", bad[i]);
            fail();
        }
        assert_true(eb.msg[0] != '\0');
        /* Defaults and nothing to free (the user string was dropped). */
        assert_true(c.verbose && c.pedantic && c.echo);
        assert_null(c.user);
        proto_connect_deinit(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connect_defaults), cmocka_unit_test(test_connect_fields),
        cmocka_unit_test(test_connect_go_rules), cmocka_unit_test(test_connect_repair),
        cmocka_unit_test(test_connect_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
