/* Tree tests (src/conf/parse.c): every syntax form, JSON, variables (block
 * scopes, environment, bcrypt), includes in temporary directories, errors
 * with exact file:line, and the limits that stop hostile input.
 */
/* cmocka.h needs these first; keep clang-format from sorting them. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include "conf/conf.h"
#include "util/buf.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct errbuf eb;

static struct conf_node *parse_ok(const char *text)
{
    struct conf_node *root = NULL;
    int rc = conf_parse(text, strlen(text), "t.conf", &root, &eb);
    if (rc != 0)
        fail_msg("parse failed: %s", eb.msg);
    assert_non_null(root);
    assert_int_equal(root->type, CONF_MAP);
    return root;
}

static void parse_fail(const char *text, int code, const char *msg)
{
    struct conf_node *root = NULL;
    memset(&eb, 0, sizeof(eb));
    assert_int_equal(conf_parse(text, strlen(text), "t.conf", &root, &eb), code);
    assert_null(root);
    assert_string_equal(eb.msg, msg);
}

static const struct conf_node *get(const struct conf_node *m, const char *key)
{
    const struct conf_node *n = conf_map_get(m, key);
    if (!n)
        fail_msg("no key %s", key);
    return n;
}

static int64_t get_int(const struct conf_node *m, const char *key)
{
    const struct conf_node *n = get(m, key);
    assert_int_equal(n->type, CONF_INT);
    return n->i;
}

static const char *get_str(const struct conf_node *m, const char *key)
{
    const struct conf_node *n = get(m, key);
    assert_int_equal(n->type, CONF_STRING);
    return n->str;
}

static void test_parse_separators(void **state)
{
    (void)state;
    struct conf_node *r = parse_ok("a = 1\nb: 2\nc 3\nd=4;e:5, f 6\n\"g h\": 7\n'i' 8\nj\n 9\n");
    const char *keys[] = {"a", "b", "c", "d", "e", "f", "g h", "i", "j"};
    assert_int_equal(r->nitems, 9);
    for (size_t k = 0; k < 9; k++) {
        assert_string_equal(r->items[k]->key, keys[k]);
        assert_int_equal(r->items[k]->i, (int64_t)k + 1);
    }
    assert_int_equal(r->items[5]->line, 4);
    assert_int_equal(r->items[8]->line, 7);
    conf_node_free(r);
}

static void test_parse_scalars(void **state)
{
    (void)state;
    struct conf_node *r =
        parse_ok("s: hello\nq: \"a b\"\nf: 1.5\nb: yes\nn: -3\nu: 2MB\nip: 127.0.0.1:4222\n"
                 "d: 1h30m\ndate: 2016-05-04T18:53:41Z\n");
    assert_string_equal(get_str(r, "s"), "hello");
    assert_false(get(r, "s")->quoted);
    assert_string_equal(get_str(r, "q"), "a b");
    assert_true(get(r, "q")->quoted);
    assert_int_equal(get(r, "f")->type, CONF_FLOAT);
    assert_true(get(r, "f")->f == 1.5);
    assert_int_equal(get(r, "b")->type, CONF_BOOL);
    assert_true(get(r, "b")->b);
    assert_int_equal(get_int(r, "n"), -3);
    assert_int_equal(get_int(r, "u"), 2 * 1024 * 1024);
    assert_string_equal(get(r, "u")->str, "2MB");
    assert_string_equal(get_str(r, "ip"), "127.0.0.1:4222");
    assert_string_equal(get_str(r, "d"), "1h30m");
    assert_string_equal(get_str(r, "date"), "2016-05-04T18:53:41Z");
    conf_node_free(r);
}

static void test_parse_maps(void **state)
{
    (void)state;
    struct conf_node *r = parse_ok("jetstream {\n  store_dir: /tmp/js\n  max_mem = 1G\n}\n"
                                   "a: { b: { c: 1 } }\nempty {}\nx{y:2}\n"
                                   "semi { p: 1; q: 2; }\n");
    const struct conf_node *js = get(r, "jetstream");
    assert_int_equal(js->type, CONF_MAP);
    assert_int_equal(js->line, 1);
    assert_string_equal(get_str(js, "store_dir"), "/tmp/js");
    assert_int_equal(get(js, "store_dir")->line, 2);
    assert_int_equal(get_int(js, "max_mem"), 1000000000);
    assert_int_equal(get_int(get(get(r, "a"), "b"), "c"), 1);
    assert_int_equal(get(r, "empty")->nitems, 0);
    assert_int_equal(get_int(get(r, "x"), "y"), 2);
    assert_int_equal(get_int(get(r, "semi"), "q"), 2);
    conf_node_free(r);
}

static void test_parse_arrays(void **state)
{
    (void)state;
    struct conf_node *r = parse_ok("a: [1, 2, 3]\nb: [\n  x # c\n  y, // d\n  z,\n]\nc: []\n"
                                   "users = [\n {user: a, password: b}\n {user: c}\n]\n"
                                   "n: [[1], [2, [3]]]\n");
    const struct conf_node *a = get(r, "a"), *b = get(r, "b"), *u = get(r, "users");
    assert_int_equal(a->type, CONF_ARRAY);
    assert_int_equal(a->nitems, 3);
    assert_int_equal(a->items[2]->i, 3);
    assert_null(a->items[0]->key);
    assert_int_equal(b->nitems, 3);
    assert_string_equal(b->items[2]->str, "z");
    assert_int_equal(b->items[1]->line, 4);
    assert_int_equal(get(r, "c")->nitems, 0);
    assert_int_equal(u->nitems, 2);
    assert_string_equal(get_str(u->items[1], "user"), "c");
    assert_int_equal(get(r, "n")->items[1]->items[1]->items[0]->i, 3);
    conf_node_free(r);
}

static void test_parse_comments(void **state)
{
    (void)state;
    struct conf_node *r = parse_ok("# top\n// also\na: 1 # trailing\nb: 2 // trailing\n"
                                   "m {\n # inside\n c: 3 // x\n}\n");
    assert_int_equal(r->nitems, 3);
    assert_int_equal(get_int(get(r, "m"), "c"), 3);
    conf_node_free(r);
    r = parse_ok("a: 1;;\n;b: 2;\n"); /* empty statements, as nats-server allows */
    assert_int_equal(r->nitems, 2);
    conf_node_free(r);
    r = parse_ok("");
    assert_int_equal(r->nitems, 0);
    conf_node_free(r);
    r = parse_ok("\n  # nothing\n");
    assert_int_equal(r->nitems, 0);
    conf_node_free(r);
}

static void test_parse_json(void **state)
{
    (void)state;
    struct conf_node *r = parse_ok("{\n  \"port\": 4222,\n  \"debug\": true,\n"
                                   "  \"authorization\": {\"users\": [{\"user\": \"a\", "
                                   "\"password\": \"b\"}]},\n  \"tags\": [\"x\", \"y\"]\n}\n");
    assert_int_equal(get_int(r, "port"), 4222);
    assert_true(get(r, "debug")->b);
    const struct conf_node *u = get(get(r, "authorization"), "users");
    assert_string_equal(get_str(u->items[0], "password"), "b");
    assert_int_equal(get(r, "tags")->nitems, 2);
    conf_node_free(r);
}

static void test_parse_case_and_duplicates(void **state)
{
    (void)state;
    struct conf_node *r = parse_ok("Port: 1\nport: 2\nPORT: 3\nother: 4\n");
    assert_int_equal(get_int(r, "port"), 3);
    assert_int_equal(get_int(r, "PoRt"), 3);
    assert_null(conf_map_get(r, "missing"));
    assert_null(conf_map_get(NULL, "port"));
    assert_null(conf_map_get(get(r, "other"), "port"));
    conf_node_free(r);
}

static void test_parse_variables(void **state)
{
    (void)state;
    struct conf_node *r = parse_ok("P_VAR: 4333\nNAME = \"x\"\nport: $P_VAR\n"
                                   "auth {\n  NAME: inner\n  user: $NAME\n  list: [$P_VAR]\n}\n"
                                   "who: $NAME\n");
    assert_int_equal(get_int(r, "port"), 4333);
    assert_int_equal(get(r, "port")->line, 3);
    assert_true(get(r, "P_VAR")->var_used);
    assert_string_equal(get_str(get(r, "auth"), "user"), "inner");
    assert_true(get(get(r, "auth"), "NAME")->var_used);
    assert_int_equal(get(get(r, "auth"), "list")->items[0]->i, 4333);
    assert_string_equal(get_str(r, "who"), "x");
    assert_true(get(r, "NAME")->var_used);
    assert_false(get(r, "who")->var_used);
    conf_node_free(r);
}

static void test_parse_variable_copies_maps(void **state)
{
    (void)state;
    struct conf_node *r = parse_ok("PERMS = { publish: [\"a.>\"], subscribe: \"b\" }\n"
                                   "users: [ {user: u1, permissions: $PERMS}\n"
                                   "         {user: u2, permissions: $PERMS} ]\n");
    const struct conf_node *u = get(r, "users");
    const struct conf_node *p = get(u->items[1], "permissions");
    assert_int_equal(p->type, CONF_MAP);
    assert_string_equal(p->key, "permissions");
    assert_int_equal(p->line, 3);
    assert_string_equal(get(p, "publish")->items[0]->str, "a.>");
    assert_ptr_not_equal(p, get(u->items[0], "permissions"));
    conf_node_free(r);
}

static void test_parse_env_variables(void **state)
{
    (void)state;
    setenv("GN_TEST_PORT", "4555", 1);
    setenv("GN_TEST_LIST", "[1, 2]", 1);
    setenv("GN_TEST_TEXT", "two words", 1);
    setenv("GN_TEST_SIZE", "1KB", 1);
    struct conf_node *r = parse_ok("port: $GN_TEST_PORT\nl: $GN_TEST_LIST\nt: $GN_TEST_TEXT\n"
                                   "s: $GN_TEST_SIZE\nGN_TEST_PORT: 1\nlocal: $GN_TEST_PORT\n");
    assert_int_equal(get_int(r, "port"), 4555);
    assert_int_equal(get(r, "l")->nitems, 2);
    assert_string_equal(get_str(r, "t"), "two words");
    assert_int_equal(get_int(r, "s"), 1024);
    assert_int_equal(get_int(r, "local"), 1); /* a block key wins over the environment */
    conf_node_free(r);
    unsetenv("GN_TEST_PORT");
    unsetenv("GN_TEST_LIST");
    unsetenv("GN_TEST_TEXT");
    unsetenv("GN_TEST_SIZE");
}

static void test_parse_variable_errors(void **state)
{
    (void)state;
    unsetenv("GN_TEST_NOPE");
    parse_fail("a: 1\n\nb: $GN_TEST_NOPE\n", ERR_PARSE,
               "t.conf:3: variable \"$GN_TEST_NOPE\" is not defined");
    /* Block scope: an inner key is not visible outside its block. */
    parse_fail("m { GN_TEST_NOPE: 1 }\nx: $GN_TEST_NOPE\n", ERR_PARSE,
               "t.conf:2: variable \"$GN_TEST_NOPE\" is not defined");
    /* An environment variable that refers to itself is a cycle. */
    setenv("GN_TEST_LOOP", "$GN_TEST_LOOP", 1);
    parse_fail("x: $GN_TEST_LOOP\n", ERR_LIMIT,
               "t.conf:1: variables nest deeper than 64 levels (a cycle?)");
    unsetenv("GN_TEST_LOOP");
}

static void test_parse_bcrypt_is_not_a_variable(void **state)
{
    (void)state;
    struct conf_node *r = parse_ok(
        "authorization {\n  user: a\n  password: $2a$11$W2zko751KUvVy59mUTWmpOdWjpEm\n}\n");
    assert_string_equal(get_str(get(r, "authorization"), "password"),
                        "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm");
    conf_node_free(r);
}

static void test_parse_syntax_errors(void **state)
{
    (void)state;
    parse_fail("a {\n  b: 1\n", ERR_PARSE, "t.conf:3: unexpected end of file in map (missing '}')");
    parse_fail("a: 1\nb: [1, 2\n", ERR_PARSE,
               "t.conf:3: unexpected end of file in array (missing ']')");
    parse_fail("a: 1\n}\n", ERR_PARSE, "t.conf:2: unexpected '}'");
    parse_fail("a: 1\nb:\n", ERR_PARSE, "t.conf:2: expected a value for \"b\", found a new line");
    parse_fail("a: 1\nb =", ERR_PARSE, "t.conf:2: expected a value for \"b\", found end of file");
    parse_fail("port: 4222 port: 5\n", ERR_PARSE,
               "t.conf:1: expected a new line, ',' or ';' after the value of \"port\", found 'p'");
    parse_fail("a: [1 2]\n", ERR_PARSE, "t.conf:1: expected ',' or ']' in array, found '2'");
    parse_fail("a: [,]\n", ERR_PARSE, "t.conf:1: unexpected ',' in array");
    parse_fail("\n\nx: \"bad \\q\"\n", ERR_PARSE, "t.conf:3: invalid escape character '\\q'");
    parse_fail("a: 1\n,\n", ERR_PARSE, "t.conf:2: expected a key, found ','");
    parse_fail("m {\n a: 1\n {\n}\n", ERR_PARSE, "t.conf:3: expected a key, found '{'");
    parse_fail("a: ]\n", ERR_PARSE, "t.conf:1: expected a value for \"a\", found ']'");
    parse_fail("a: [1, }]\n", ERR_PARSE, "t.conf:1: expected a value for an array item, found '}'");
}

/* Found by fuzz_conf: a copied variable kept its key inside an array, and
 * an out-of-range integer leaked its token text. */
static void test_parse_fuzz_regressions(void **state)
{
    (void)state;
    struct conf_node *r = parse_ok("V: 5\nm { V: 6, l: [$V, {y: $V}] }\n");
    const struct conf_node *l = get(get(r, "m"), "l");
    assert_null(l->items[0]->key);
    assert_int_equal(l->items[0]->i, 6);
    assert_string_equal(l->items[1]->items[0]->key, "y");
    conf_node_free(r);
    parse_fail("m {\n  x: 92233720368547758071G\n}\n", ERR_PARSE,
               "t.conf:2: integer \"92233720368547758071G\" is out of range");
}

static void test_parse_depth_limit(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    for (int k = 0; k < 64; k++)
        buf_append_str(&b, "a {");
    for (int k = 0; k < 64; k++)
        buf_append_str(&b, "}");
    buf_append_char(&b, '\0');
    struct conf_node *r = parse_ok(b.data);
    conf_node_free(r);
    buf_clear(&b);
    buf_append_str(&b, "a: ");
    for (int k = 0; k < 65; k++)
        buf_append_char(&b, '[');
    buf_append_char(&b, '\0');
    parse_fail(b.data, ERR_LIMIT, "t.conf:1: maps and arrays nest deeper than 64 levels");
    buf_deinit(&b);
}

static void test_parse_variable_fanout_limit(void **state)
{
    (void)state;
    /* Each level copies the previous one 10 times: 10^9 nodes if unbounded. */
    struct buf b;
    buf_init(&b);
    buf_append_str(&b, "v0: [1,1,1,1,1,1,1,1,1,1]\n");
    for (int k = 1; k < 10; k++) {
        buf_appendf(&b, "v%d: [", k);
        for (int j = 0; j < 10; j++)
            buf_appendf(&b, "$v%d,", k - 1);
        buf_append_str(&b, "]\n");
    }
    buf_append_char(&b, '\0');
    struct conf_node *root = NULL;
    assert_int_equal(conf_parse(b.data, strlen(b.data), "t.conf", &root, &eb), ERR_LIMIT);
    assert_non_null(strstr(eb.msg, "configuration too large"));
    buf_deinit(&b);
}

/* ---- includes, in a temporary directory ---- */

static char tmpdir[64];

static void write_file(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup_tmp(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/gn_conf_XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    char sub[128];
    snprintf(sub, sizeof(sub), "%s/sub", tmpdir);
    return mkdir(sub, 0700);
}

static int teardown_tmp(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct conf_node *parse_file_ok(const char *rel)
{
    char path[256];
    struct conf_node *root = NULL;
    snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
    if (conf_parse_file(path, &root, &eb) != 0)
        fail_msg("parse failed: %s", eb.msg);
    return root;
}

static void test_parse_include(void **state)
{
    (void)state;
    write_file("main.conf", "port: 1\ninclude sub/inc.conf\nauthorization {\n"
                            "  include \"sub/auth.conf\"\n}\nafter: $FROM_INC\n");
    write_file("sub/inc.conf", "FROM_INC: 7\ninclude 'deeper.conf'\n");
    write_file("sub/deeper.conf", "\n\ndeep: true\n");
    write_file("sub/auth.conf", "user: a\npassword: b\n");
    struct conf_node *r = parse_file_ok("main.conf");
    assert_int_equal(get_int(r, "port"), 1);
    assert_int_equal(get_int(r, "after"), 7);
    const struct conf_node *deep = get(r, "deep");
    assert_int_equal(deep->line, 3);
    char want[256];
    snprintf(want, sizeof(want), "%s/sub/deeper.conf", tmpdir);
    assert_string_equal(deep->file, want);
    assert_string_equal(get_str(get(r, "authorization"), "password"), "b");
    conf_node_free(r);
}

static void test_parse_include_error_lines(void **state)
{
    (void)state;
    char want[512];
    struct conf_node *root = NULL;
    char path[256];
    write_file("missing.conf", "a: 1\n\ninclude nope.conf\n");
    snprintf(path, sizeof(path), "%s/missing.conf", tmpdir);
    assert_int_equal(conf_parse_file(path, &root, &eb), -ENOENT);
    snprintf(want, sizeof(want),
             "%s/missing.conf:3: cannot read include file \"%s/nope.conf\": "
             "No such file or directory",
             tmpdir, tmpdir);
    assert_string_equal(eb.msg, want);

    write_file("bad_inc.conf", "include sub/bad.conf\n");
    write_file("sub/bad.conf", "x: 1\ny: [\n");
    snprintf(path, sizeof(path), "%s/bad_inc.conf", tmpdir);
    assert_int_equal(conf_parse_file(path, &root, &eb), ERR_PARSE);
    snprintf(want, sizeof(want), "%s/sub/bad.conf:3: unexpected end of file in array (missing ']')",
             tmpdir);
    assert_string_equal(eb.msg, want);

    write_file("dir.conf", "include sub\n");
    snprintf(path, sizeof(path), "%s/dir.conf", tmpdir);
    assert_int_equal(conf_parse_file(path, &root, &eb), -EISDIR);
}

static void test_parse_include_cycle(void **state)
{
    (void)state;
    write_file("a.conf", "x: 1\ninclude b.conf\n");
    write_file("b.conf", "y: 2\ninclude a.conf\n");
    char path[256], want[512];
    struct conf_node *root = NULL;
    snprintf(path, sizeof(path), "%s/a.conf", tmpdir);
    assert_int_equal(conf_parse_file(path, &root, &eb), ERR_LIMIT);
    snprintf(want, sizeof(want), "%s/b.conf:2: include cycle: \"%s/a.conf\" is already being read",
             tmpdir, tmpdir);
    assert_string_equal(eb.msg, want);
    write_file("self.conf", "include self.conf\n");
    snprintf(path, sizeof(path), "%s/self.conf", tmpdir);
    assert_int_equal(conf_parse_file(path, &root, &eb), ERR_LIMIT);
    /* The same file included twice side by side is not a cycle. */
    write_file("twice.conf", "include sub/auth.conf\ninclude sub/auth.conf\n");
    write_file("sub/auth.conf", "user: a\n");
    root = parse_file_ok("twice.conf");
    assert_int_equal(root->nitems, 2);
    conf_node_free(root);
}

static void test_parse_missing_file(void **state)
{
    (void)state;
    struct conf_node *root = NULL;
    assert_int_equal(conf_parse_file("/nonexistent/gn.conf", &root, &eb), -ENOENT);
    assert_string_equal(eb.msg,
                        "/nonexistent/gn.conf: cannot read config file: No such file or directory");
}

static void test_parse_data_files(void **state)
{
    (void)state;
    const char *files[] = {"nats-server.conf", "json.conf"};
    for (size_t k = 0; k < 2; k++) {
        char path[512];
        struct conf_node *root = NULL;
        snprintf(path, sizeof(path), "%s/%s", CONF_TEST_DATA, files[k]);
        if (conf_parse_file(path, &root, &eb) != 0)
            fail_msg("%s: %s", files[k], eb.msg);
        assert_true(root->nitems > 3);
        conf_node_free(root);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_separators),
        cmocka_unit_test(test_parse_scalars),
        cmocka_unit_test(test_parse_maps),
        cmocka_unit_test(test_parse_arrays),
        cmocka_unit_test(test_parse_comments),
        cmocka_unit_test(test_parse_json),
        cmocka_unit_test(test_parse_case_and_duplicates),
        cmocka_unit_test(test_parse_variables),
        cmocka_unit_test(test_parse_variable_copies_maps),
        cmocka_unit_test(test_parse_env_variables),
        cmocka_unit_test(test_parse_variable_errors),
        cmocka_unit_test(test_parse_bcrypt_is_not_a_variable),
        cmocka_unit_test(test_parse_syntax_errors),
        cmocka_unit_test(test_parse_fuzz_regressions),
        cmocka_unit_test(test_parse_depth_limit),
        cmocka_unit_test(test_parse_variable_fanout_limit),
        cmocka_unit_test(test_parse_include),
        cmocka_unit_test(test_parse_include_error_lines),
        cmocka_unit_test(test_parse_include_cycle),
        cmocka_unit_test(test_parse_missing_file),
        cmocka_unit_test(test_parse_data_files),
    };
    return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
