/* Helpers shared by the js_consumer_*.c files (module-private): Go's
 * strconv.Atoi with its error texts and bytes.TrimSpace, both needed where
 * nats-server 2.9.10 puts Go library behaviour on the wire (sample_freq
 * errors, pull request bodies, NAK delays). Prefix jsc__.
 */
#ifndef GN_JETSTREAM_JS_CONSUMER_INT_H
#define GN_JETSTREAM_JS_CONSUMER_INT_H

#include "jetstream/js_consumer_json.h"

/* strconv.Atoi(<s>[0..<n>)) on a 64-bit Go: optional sign and decimal
 * digits, int64 range. Returns 0 and sets <out>, or -1 and, when <err> is
 * not NULL, appends Go's error text (`strconv.Atoi: parsing "x": invalid
 * syntax` or `...: value out of range`). */
int jsc__go_atoi(const char *s, size_t n, int64_t *out, struct buf *err);

/* bytes.TrimSpace: moves <*s>/<*n> past leading and trailing Unicode white
 * space (ASCII \t \n \v \f \r and space, U+0085, U+00A0, U+1680,
 * U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000). */
void jsc__trim_space(const char **s, size_t *n);

#endif
