/* Driver of the JetStream workloads of the side-by-side benchmark.
 *
 * js-sync and js-async run against one pair of servers started with `-js -sd <fresh dir>`,
 * alternating servers per repetition as the core workloads do. js-restart starts a fresh server
 * for every measurement, fills a file stream, stops it with SIGTERM or SIGKILL and times the
 * restart on the same store dir.
 */
#ifndef GN_BENCH_JSRUN_H
#define GN_BENCH_JSRUN_H

#include "bench_js_report.h"

/* Largest number of js-sync/js-async rows bench_jsrun_all() may fill. */
#define BENCH_JS_ROWS_MAX (2 * BENCH_JS_STORAGE_COUNT * 8)

/* Runs the JetStream workloads selected in <st> on both servers and fills <rep> (zeroed by the
 * caller, with rep->setup = <st>) and <rows> (room for BENCH_JS_ROWS_MAX; st->nsizes <= 8).
 * A failed run is marked, counted in rep->failed_runs, and its server restarted. Returns 0, or
 * -1 when a server could not be (re)started for js-sync/js-async. Main thread only; libnats
 * must be open (bench_load_init()). */
int bench_jsrun_all(const struct bench_js_setup *st, struct bench_js_report *rep,
                    struct bench_js_row *rows);

#endif
