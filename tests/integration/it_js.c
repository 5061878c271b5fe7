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

static const struct it_case g_cases[] = {
#define IT_CASE(name)        {#name, it_case_##name},
#define IT_CASE_GANNET(name) {#name, it_case_##name},
#include "it_js_cases.def"
#undef IT_CASE
#undef IT_CASE_GANNET
};

int main(int argc, char **argv)
{
    return it_main(argc, argv, g_cases, sizeof(g_cases) / sizeof(g_cases[0]));
}
