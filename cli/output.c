/* Output: the error line, progress notes, JSON, human formats and tables.
 *
 * Data goes to stdout, notes and errors to stderr (as the nats CLI), so scripts can pipe
 * results. Tables get rounded borders on a terminal and plain aligned columns otherwise,
 * which keeps them readable in a pipe and easy to cut.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("gannet: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_EXIT_FAIL;
}

void cli_log(const char *fmt, ...)
{
    va_list ap;
    char ts[16];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
    fflush(stdout);
    fprintf(stderr, "%s ", ts);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

bool cli_is_tty(void)
{
    return isatty(STDOUT_FILENO) == 1;
}

void cli_json_print(const json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (s) {
        fputs(s, stdout);
        fputc('\n', stdout);
        free(s);
    }
}

int64_t cli_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * CLI_NS_PER_SEC + ts.tv_nsec;
}

int64_t cli_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * CLI_NS_PER_SEC + ts.tv_nsec;
}

const char *cli_fmt_int(char *out, size_t cap, int64_t n)
{
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%lld", (long long)(n < 0 ? -n : n));
    size_t o = 0;
    if (n < 0 && o + 1 < cap)
        out[o++] = '-';
    for (int i = 0; i < len && o + 1 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0 && o + 2 < cap)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

const char *cli_fmt_bytes(char *out, size_t cap, double bytes)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (fabs(bytes) >= 1024 && u < 5) {
        bytes /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(out, cap, "%.0f %s", bytes, units[u]);
    else
        snprintf(out, cap, "%.1f %s", bytes, units[u]);
    return out;
}

const char *cli_fmt_dur(char *out, size_t cap, int64_t ns)
{
    if (ns == 0) {
        snprintf(out, cap, "0s");
    } else if (ns < CLI_NS_PER_MS * 1000 && ns > -CLI_NS_PER_MS * 1000) {
        if (ns % CLI_NS_PER_MS == 0)
            snprintf(out, cap, "%lldms", (long long)(ns / CLI_NS_PER_MS));
        else if (ns < 1000)
            snprintf(out, cap, "%lldns", (long long)ns);
        else if (ns < CLI_NS_PER_MS)
            snprintf(out, cap, "%.3gµs", (double)ns / 1000.0);
        else
            snprintf(out, cap, "%.6gms", (double)ns / 1e6);
    } else {
        int64_t s = ns / CLI_NS_PER_SEC;
        int64_t frac = ns % CLI_NS_PER_SEC;
        int64_t h = s / 3600, m = (s / 60) % 60;
        char secs[32];
        if (frac)
            snprintf(secs, sizeof(secs), "%.9g", (double)(s % 60) + (double)frac / 1e9);
        else
            snprintf(secs, sizeof(secs), "%lld", (long long)(s % 60));
        if (h)
            snprintf(out, cap, "%lldh%lldm%ss", (long long)h, (long long)m, secs);
        else if (m)
            snprintf(out, cap, "%lldm%ss", (long long)m, secs);
        else
            snprintf(out, cap, "%ss", secs);
    }
    return out;
}

const char *cli_fmt_ago(char *out, size_t cap, int64_t ns)
{
    int64_t s = ns / CLI_NS_PER_SEC;
    if (ns < 0)
        ns = 0;
    if (ns < CLI_NS_PER_SEC)
        snprintf(out, cap, "%.2fms", (double)ns / 1e6);
    else if (s < 60)
        snprintf(out, cap, "%.2fs", (double)ns / 1e9);
    else if (s < 3600)
        snprintf(out, cap, "%lldm%llds", (long long)(s / 60), (long long)(s % 60));
    else if (s < 86400)
        snprintf(out, cap, "%lldh%lldm%llds", (long long)(s / 3600), (long long)(s / 60 % 60),
                 (long long)(s % 60));
    else
        snprintf(out, cap, "%lldd%lldh%lldm", (long long)(s / 86400), (long long)(s / 3600 % 24),
                 (long long)(s / 60 % 60));
    return out;
}

const char *cli_fmt_time(char *out, size_t cap, int64_t ns)
{
    time_t t = (time_t)(ns / CLI_NS_PER_SEC);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
}

int64_t cli_parse_time(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (!s)
        return 0;
    const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!p)
        return 0;
    int64_t frac = 0;
    if (*p == '.') {
        int64_t scale = CLI_NS_PER_SEC;
        for (p++; *p >= '0' && *p <= '9'; p++) {
            scale /= 10;
            frac += (*p - '0') * scale;
        }
    }
    int64_t off = 0;
    if (*p == '+' || *p == '-') {
        int hh = 0, mm = 0;
        if (sscanf(p + 1, "%d:%d", &hh, &mm) == 2)
            off = (hh * 3600 + mm * 60) * (*p == '+' ? 1 : -1);
    }
    int64_t secs = (int64_t)timegm(&tm) - off;
    if (secs <= 0) /* Go's zero time (year 1) means "never" */
        return 0;
    return secs * CLI_NS_PER_SEC + frac;
}

/* ---- tables ---- */

static int text_width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

void cli_table_init(struct cli_table *t, const char *title, int ncols, ...)
{
    va_list ap;
    memset(t, 0, sizeof(*t));
    t->title = title;
    t->ncols = ncols;
    t->cap = 16;
    t->cells = xcalloc((size_t)(t->cap * ncols), sizeof(char *));
    va_start(ap, ncols);
    for (int c = 0; c < ncols; c++)
        t->cells[c] = xstrdup(va_arg(ap, const char *));
    va_end(ap);
    t->nrows = 1;
}

void cli_table_row(struct cli_table *t, ...)
{
    va_list ap;
    if (t->nrows == t->cap) {
        t->cap *= 2;
        t->cells = xrealloc(t->cells, sizeof(char *) * (size_t)(t->cap * t->ncols));
    }
    va_start(ap, t);
    for (int c = 0; c < t->ncols; c++) {
        const char *s = va_arg(ap, const char *);
        t->cells[t->nrows * t->ncols + c] = xstrdup(s ? s : "");
    }
    va_end(ap);
    t->nrows++;
}

static void rule(const int *w, int ncols, const char *l, const char *m, const char *r)
{
    fputs(l, stdout);
    for (int c = 0; c < ncols; c++) {
        for (int i = 0; i < w[c] + 2; i++)
            fputs("─", stdout);
        fputs(c + 1 < ncols ? m : r, stdout);
    }
    fputc('\n', stdout);
}

static void table_print_tty(struct cli_table *t, int *w)
{
    if (t->title) {
        /* The title box spans the whole table; widen the last column when the title is
         * wider than the columns. */
        int total = -3;
        for (int c = 0; c < t->ncols; c++)
            total += w[c] + 3;
        int tw = text_width(t->title);
        if (tw > total) {
            w[t->ncols - 1] += tw - total;
            total = tw;
        }
        int pad = total - tw;
        rule(&total, 1, "╭", "─", "╮");
        printf("│ %*s%s%*s │\n", pad / 2, "", t->title, pad - pad / 2, "");
    }
    rule(w, t->ncols, t->title ? "├" : "╭", "┬", t->title ? "┤" : "╮");
    for (int r = 0; r < t->nrows; r++) {
        fputs("│", stdout);
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            printf(" %s%*s │", s, w[c] - text_width(s), "");
        }
        fputc('\n', stdout);
        if (r == 0)
            rule(w, t->ncols, "├", "┼", "┤");
    }
    rule(w, t->ncols, "╰", "┴", "╯");
}

static void table_print_plain(const struct cli_table *t, const int *w)
{
    if (t->title)
        printf("%s\n\n", t->title);
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            if (c + 1 < t->ncols)
                printf("%s%*s  ", s, w[c] - text_width(s), "");
            else
                printf("%s", s);
        }
        fputc('\n', stdout);
    }
}

void cli_table_print(struct cli_table *t)
{
    int *w = xcalloc((size_t)t->ncols, sizeof(int));
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            int n = text_width(t->cells[r * t->ncols + c]);
            if (n > w[c])
                w[c] = n;
        }
    if (cli_is_tty())
        table_print_tty(t, w);
    else
        table_print_plain(t, w);
    free(w);
    cli_table_free(t);
}

void cli_table_free(struct cli_table *t)
{
    for (int i = 0; t->cells && i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    FREE_AND_NULL(t->cells);
}

void cli_kv_line(int width, const char *label, const char *fmt, ...)
{
    va_list ap;
    printf("%*s: ", width, label);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
}
