/* Time helpers: monotonic and wall clocks in nanoseconds, RFC 3339 output. */
#ifndef GN_UTIL_CLOCK_H
#define GN_UTIL_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#define NS_PER_SEC 1000000000LL
#define NS_PER_MS  1000000LL

int64_t clock_mono_ns(void);
int64_t clock_real_ns(void);
/* Writes <ns> since the epoch as RFC 3339 with nanoseconds in UTC
 * ("2026-11-22T15:30:05.123456789Z") into <out> (>= 40 bytes). Returns the
 * length written. */
size_t clock_fmt_rfc3339(int64_t ns, char *out, size_t cap);
/* Formats a duration the way Go's time.Duration.String() does ("2m0s",
 * "1.5s", "250ms"). Returns the length written. */
size_t clock_fmt_duration(int64_t ns, char *out, size_t cap);

#endif
