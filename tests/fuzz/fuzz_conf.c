/* libFuzzer target for the config parser and the options layer: any input
 * must parse or fail with a message, never crash, leak or hang. Inputs that
 * name /proc or /sys are skipped: `include` of some of those files blocks. */
#include "conf/conf.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool mentions(const uint8_t *data, size_t size, const char *word)
{
    size_t n = strlen(word);
    for (size_t k = 0; k + n <= size; k++) {
        if (memcmp(data + k, word, n) == 0)
            return true;
    }
    return false;
}

/* "<file>:<line>: ..." */
static bool has_file_line(const char *msg)
{
    for (const char *p = strchr(msg, ':'); p; p = strchr(p + 1, ':')) {
        size_t d = strspn(p + 1, "0123456789");
        if (d > 0 && p[1 + d] == ':')
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct conf_node *root = NULL;
    struct conf_opts o;
    struct errbuf eb;
    if (mentions(data, size, "proc") || mentions(data, size, "sys"))
        return 0;
    eb.msg[0] = '\0';
    if (conf_parse((const char *)data, size, "fuzz.conf", &root, &eb) != 0) {
        if (!has_file_line(eb.msg)) /* every failure names file:line */
            __builtin_trap();
        return 0;
    }
    conf_opts_init(&o);
    eb.msg[0] = '\0';
    if (conf_opts_apply(&o, root, &eb) != 0 && !has_file_line(eb.msg))
        __builtin_trap();
    conf_opts_deinit(&o);
    conf_node_free(root);
    return 0;
}
