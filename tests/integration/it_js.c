/* it_js: runs one JetStream stream case, named by argv[1], against $GANNET_SERVER_BIN.
 *
 * One executable, one CTest entry per case (see CMakeLists.txt and it_js_cases.def);
 * `it_js --list` prints the case names. The helpers shared by the case files (server with a
 * store dir, publishing, raw $JS.API requests parsed with jansson) are in it_js_util.c.
 */
#include "it_js.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct case_entry {
    const char *name; /* as given on the command line */
    void (*fn)(void); /* runs the case; returns only on success */
};

static const struct case_entry g_cases[] = {
#define IT_CASE(name)        {#name, it_case_##name},
#define IT_CASE_GANNET(name) {#name, it_case_##name},
#include "it_js_cases.def"
#undef IT_CASE
#undef IT_CASE_GANNET
};

int main(int argc, char **argv)
{
    size_t n = sizeof(g_cases) / sizeof(g_cases[0]);

    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < n; i++)
            printf("%s\n", g_cases[i].name);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: %s <case> | --list\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(argv[1], g_cases[i].name) != 0)
            continue;
        it_init();
        printf("case %s\n", g_cases[i].name);
        g_cases[i].fn();
        it_cleanup_all();
        nats_CloseAndWait(2000);
        printf("PASS %s\n", g_cases[i].name);
        return 0;
    }
    fprintf(stderr, "unknown case '%s' (try --list)\n", argv[1]);
    return 2;
}
