/* Monotonic/wall clocks and Go-compatible time formatting. */
#include "util/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

int64_t clock_real_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

size_t clock_fmt_rfc3339(int64_t ns, char *out, size_t cap)
{
    time_t secs = (time_t)(ns / NS_PER_SEC);
    long frac = (long)(ns % NS_PER_SEC);
    if (frac < 0) {
        frac += NS_PER_SEC;
        secs -= 1;
    }
    struct tm tm;
    gmtime_r(&secs, &tm);
    char base[32];
    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
    int n;
    if (frac == 0) {
        n = snprintf(out, cap, "%sZ", base);
    } else {
        /* Go's RFC3339Nano trims trailing zeros of the fraction. */
        char f[16];
        snprintf(f, sizeof(f), "%09ld", frac);
        size_t fl = strlen(f);
        while (fl > 0 && f[fl - 1] == '0')
            f[--fl] = '\0';
        n = snprintf(out, cap, "%s.%sZ", base, f);
    }
    return n < 0 ? 0 : ((size_t)n >= cap ? cap - 1 : (size_t)n);
}

/* Appends <v> with a trailing-zero-trimmed fraction of <digits> digits. */
static int fmt_frac(char *out, size_t cap, int64_t whole, int64_t frac, int digits,
                    const char *unit)
{
    if (frac == 0)
        return snprintf(out, cap, "%lld%s", (long long)whole, unit);
    char f[16];
    snprintf(f, sizeof(f), "%0*lld", digits, (long long)frac);
    size_t fl = strlen(f);
    while (fl > 0 && f[fl - 1] == '0')
        f[--fl] = '\0';
    return snprintf(out, cap, "%lld.%s%s", (long long)whole, f, unit);
}

size_t clock_fmt_duration(int64_t ns, char *out, size_t cap)
{
    char tmp[64];
    int n;
    const char *sign = ns < 0 ? "-" : "";
    uint64_t u = ns < 0 ? (uint64_t)(-(ns + 1)) + 1 : (uint64_t)ns;
    if (u == 0) {
        n = snprintf(tmp, sizeof(tmp), "0s");
    } else if (u < 1000) {
        n = snprintf(tmp, sizeof(tmp), "%s%lluns", sign, (unsigned long long)u);
    } else if (u < 1000000) {
        char v[32];
        fmt_frac(v, sizeof(v), (int64_t)(u / 1000), (int64_t)(u % 1000), 3, "µs");
        n = snprintf(tmp, sizeof(tmp), "%s%s", sign, v);
    } else if (u < (uint64_t)NS_PER_SEC) {
        char v[32];
        fmt_frac(v, sizeof(v), (int64_t)(u / 1000000), (int64_t)(u % 1000000), 6, "ms");
        n = snprintf(tmp, sizeof(tmp), "%s%s", sign, v);
    } else {
        uint64_t secs = u / NS_PER_SEC, frac = u % NS_PER_SEC;
        uint64_t h = secs / 3600, m = (secs % 3600) / 60, s = secs % 60;
        char sv[32];
        fmt_frac(sv, sizeof(sv), (int64_t)s, (int64_t)frac, 9, "s");
        if (h)
            n = snprintf(tmp, sizeof(tmp), "%s%lluh%llum%s", sign, (unsigned long long)h,
                         (unsigned long long)m, sv);
        else if (m)
            n = snprintf(tmp, sizeof(tmp), "%s%llum%s", sign, (unsigned long long)m, sv);
        else
            n = snprintf(tmp, sizeof(tmp), "%s%s", sign, sv);
    }
    if (n < 0)
        n = 0;
    return (size_t)snprintf(out, cap, "%s", tmp);
}
