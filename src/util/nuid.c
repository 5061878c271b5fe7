/* NUIDs and server ids from the OS random source plus a sequence, so that
 * generating one costs no syscall after the first. */
#include "util/nuid.h"

#include <errno.h>
#include <sys/random.h>

#define NUID_PRE_LEN 12
#define NUID_SEQ_LEN 10
#define NUID_BASE    62
#define NUID_MAX_SEQ 839299365868340224ULL /* 62^10 */

static const char digits62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
static const char digits32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int nuid_random_bytes(void *out, unsigned n)
{
    unsigned char *p = out;
    while (n > 0) {
        ssize_t r = getrandom(p, n, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += r;
        n -= (unsigned)r;
    }
    return 0;
}

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

static void renew_prefix(struct nuid *n)
{
    for (int i = 0; i < NUID_PRE_LEN; i++)
        n->pre[i] = digits62[xorshift(&n->rng) % NUID_BASE];
}

void nuid_init(struct nuid *n)
{
    uint64_t seed[3] = {0x9e3779b97f4a7c15ULL, 0x2545f4914f6cdd1dULL, 1};
    (void)nuid_random_bytes(seed, sizeof(seed));
    n->rng = seed[0] | 1;
    n->seq = seed[1] % NUID_MAX_SEQ;
    n->inc = 33 + seed[2] % 300;
    renew_prefix(n);
}

void nuid_next(struct nuid *n, char out[NUID_LEN + 1])
{
    n->seq += n->inc;
    if (n->seq >= NUID_MAX_SEQ) {
        renew_prefix(n);
        n->seq = xorshift(&n->rng) % NUID_MAX_SEQ;
    }
    for (int i = 0; i < NUID_PRE_LEN; i++)
        out[i] = n->pre[i];
    uint64_t s = n->seq;
    for (int i = NUID_LEN - 1; i >= NUID_PRE_LEN; i--) {
        out[i] = digits62[s % NUID_BASE];
        s /= NUID_BASE;
    }
    out[NUID_LEN] = '\0';
}

void nuid_server_id(char out[SERVER_ID_LEN + 1])
{
    unsigned char rnd[SERVER_ID_LEN];
    if (nuid_random_bytes(rnd, sizeof(rnd)) != 0) {
        for (unsigned i = 0; i < sizeof(rnd); i++)
            rnd[i] = (unsigned char)(i * 131 + 7);
    }
    out[0] = 'N';
    for (int i = 1; i < SERVER_ID_LEN; i++)
        out[i] = digits32[rnd[i] % 32];
    out[SERVER_ID_LEN] = '\0';
}
