/* Unique identifiers: NUIDs (22 base62 chars, as the NATS clients make) and
 * server ids (56 chars of base32, starting with 'N', like an nkey). */
#ifndef GN_UTIL_NUID_H
#define GN_UTIL_NUID_H

#include <stdint.h>

#define NUID_LEN      22
#define SERVER_ID_LEN 56

struct nuid {
    char pre[12]; /* random prefix, renewed when seq wraps */
    uint64_t seq; /* sequential part */
    uint64_t inc; /* random increment */
    uint64_t rng; /* xorshift state for prefix renewals */
};

/* Seeds from the OS random source. Not thread-safe per instance: keep one
 * per thread. */
void nuid_init(struct nuid *n);
/* Writes NUID_LEN chars and a NUL into <out>. */
void nuid_next(struct nuid *n, char out[NUID_LEN + 1]);
/* Fills <out> with SERVER_ID_LEN random base32 chars, 'N' first, and a NUL. */
void nuid_server_id(char out[SERVER_ID_LEN + 1]);
/* Fills <out> with <n> random bytes from the OS. Returns 0 or -errno. */
int nuid_random_bytes(void *out, unsigned n);

#endif
