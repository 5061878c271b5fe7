/* Helpers shared by the js_consumer_*.c files (module-private): Go's
 * strconv.Atoi with its error texts, bytes.TrimSpace and a small
 * encoding/json (syntax check and struct decoding with Go's messages), all
 * needed where nats-server 2.9.10 puts Go library behaviour on the wire
 * (sample_freq errors, pull request bodies, NAK delays). Prefix jsc__.
 */
#ifndef GN_JETSTREAM_JS_CONSUMER_INT_H
#define GN_JETSTREAM_JS_CONSUMER_INT_H

#include "jetstream/js_consumer_json.h"

/* strconv.Atoi(<s>[0..<n>)) on a 64-bit Go: optional sign and decimal
 * digits, int64 range. Returns 0 and sets <out>, or -1 and, when <err> is
 * not NULL, appends Go's error text (`strconv.Atoi: parsing "x": invalid
 * syntax` or `...: value out of range`). */
int jsc__go_atoi(const char *s, size_t n, int64_t *out, struct buf *err);

/* One member of a Go struct decoded by jsc__go_decode(). */
struct jsc__go_field {
    const char *json;    /* the member name */
    const char *go_type; /* "int", "time.Duration" or "bool" */
};

/* encoding/json's checkValid on <p>[0..<n>): 0, or -1 with Go's
 * SyntaxError text ("invalid character 'x' after object key",
 * "unexpected end of JSON input") appended to <err>. */
int jsc__go_json_valid(const char *p, size_t n, struct buf *err);

/* Decodes the members of the valid JSON object <p>[0..<n>) (checked by
 * jsc__go_json_valid) into <vals>, indexed like the <nf> fields <f>, with
 * Go's key folding; bools are 0/1, null leaves a value alone, unknown keys
 * are skipped. Decoding goes on after a type mismatch, as in Go, and the
 * first one is reported: returns 0, or -1 with "json: cannot unmarshal
 * <what> into Go struct field <gostruct>.<member> of type <type>" appended
 * to <err>. */
int jsc__go_decode(const char *p, size_t n, const struct jsc__go_field *f, size_t nf, int64_t *vals,
                   const char *gostruct, struct buf *err);

/* bytes.TrimSpace: moves <*s>/<*n> past leading and trailing Unicode white
 * space (ASCII \t \n \v \f \r and space, U+0085, U+00A0, U+1680,
 * U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000). */
void jsc__trim_space(const char **s, size_t *n);

#endif
