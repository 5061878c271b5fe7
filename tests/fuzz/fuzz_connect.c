/* libFuzzer target for proto_connect_parse: any bytes as the CONNECT JSON.
 * Checks the result is either success or ERR_PARSE with a message and the
 * defaults, and (through ASan/LSan) that nothing leaks or over-reads.
 */
#include "proto/proto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            __builtin_trap();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size heap copy, so reading past the end is caught. */
    char *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    struct proto_connect c;
    struct errbuf eb = {{0}};
    int rc = proto_connect_parse(slice_of(copy, size), &c, &eb);
    if (rc == 0) {
        CHECK(eb.msg[0] == '\0');
        CHECK(c.protocol >= -1);
    } else {
        CHECK(rc == ERR_PARSE && eb.msg[0] != '\0');
        CHECK(c.verbose && c.pedantic && c.echo && !c.headers && c.protocol == 0);
        CHECK(!c.name && !c.user && !c.pass && !c.jwt && !c.account);
    }
    proto_connect_deinit(&c);
    free(copy);
    return 0;
}
