/* Prometheus text exposition format 0.0.4: metric families collected in any
 * order, written sorted by name with their HELP and TYPE lines, labels of
 * each sample sorted by name, values escaped — the layout client_golang's
 * registry produces, so the output diffs cleanly against the exporter's. */
#include "monitor/mon_int.h"
#include "util/hist.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROM_MAX_LABELS 24

struct prom_fam {
    char *name;
    char *help;
    const char *type;   /* "gauge", "counter", "histogram" (static) */
    struct buf samples; /* sample lines */
};

void prom_init(struct prom *p)
{
    memset(p, 0, sizeof(*p));
}

bool prom_has(const struct prom *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].name, name) == 0)
            return true;
    return false;
}

static struct prom_fam *fam_get(struct prom *p, const char *name, const char *help,
                                const char *type)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].name, name) == 0)
            return &p->v[i];
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
    }
    struct prom_fam *f = &p->v[p->n++];
    f->name = xstrdup(name);
    f->help = xstrdup(help);
    f->type = type;
    buf_init(&f->samples);
    return f;
}

/* Label values escape backslash, double quote and newline; HELP text
 * escapes backslash and newline. */
static void escape(struct buf *b, const char *s, bool quote)
{
    for (; *s; s++) {
        if (*s == '\\')
            buf_append(b, "\\\\", 2);
        else if (*s == '\n')
            buf_append(b, "\\n", 2);
        else if (*s == '"' && quote)
            buf_append(b, "\\\"", 2);
        else
            buf_append_char(b, *s);
    }
}

static int label_cmp(const void *a, const void *b)
{
    return strcmp(((const struct prom_label *)a)->name, ((const struct prom_label *)b)->name);
}

/* One sample line: <name>{sorted labels} <value>. */
static void sample_line(struct buf *b, const char *name, const struct prom_label *l, size_t nl,
                        const char *value)
{
    struct prom_label sorted[PROM_MAX_LABELS];
    if (nl > PROM_MAX_LABELS)
        nl = PROM_MAX_LABELS;
    if (nl) {
        memcpy(sorted, l, nl * sizeof(*l));
        qsort(sorted, nl, sizeof(*sorted), label_cmp);
    }
    buf_append_str(b, name);
    if (nl) {
        buf_append_char(b, '{');
        for (size_t i = 0; i < nl; i++) {
            buf_appendf(b, "%s%s=\"", i ? "," : "", sorted[i].name);
            escape(b, sorted[i].value ? sorted[i].value : "", true);
            buf_append_char(b, '"');
        }
        buf_append_char(b, '}');
    }
    buf_appendf(b, " %s\n", value);
}

void prom_add(struct prom *p, const char *name, const char *help, const char *type,
              const struct prom_label *l, size_t nl, const char *value)
{
    struct prom_fam *f = fam_get(p, name, help, type);
    sample_line(&f->samples, name, l, nl, value);
}

void prom_add_u64(struct prom *p, const char *name, const char *help, const char *type,
                  const struct prom_label *l, size_t nl, uint64_t v)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%" PRIu64, v);
    prom_add(p, name, help, type, l, nl, tmp);
}

void prom_add_i64(struct prom *p, const char *name, const char *help, const char *type,
                  const struct prom_label *l, size_t nl, int64_t v)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%" PRId64, v);
    prom_add(p, name, help, type, l, nl, tmp);
}

void prom_add_f64(struct prom *p, const char *name, const char *help, const char *type,
                  const struct prom_label *l, size_t nl, double v)
{
    char tmp[64];
    mon_fmt_double(v, tmp, sizeof(tmp));
    prom_add(p, name, help, type, l, nl, tmp);
}

void prom_add_hist(struct prom *p, const char *name, const char *help, const struct hist *h)
{
    struct hist_snapshot hs;
    char sname[256], le[32], val[64];
    static const struct hist none; /* read-only zeros when there is no histogram */
    hist_snapshot_get(h ? h : &none, &hs);
    struct prom_fam *f = fam_get(p, name, help, "histogram");
    snprintf(sname, sizeof(sname), "%s_bucket", name);
    for (unsigned i = 0; i < HIST_NBUCKETS; i++) {
        if (i == HIST_NBUCKETS - 1)
            snprintf(le, sizeof(le), "+Inf");
        else
            mon_fmt_double((double)hist_bound_ns(i) / 1e9, le, sizeof(le));
        struct prom_label l = {"le", le};
        snprintf(val, sizeof(val), "%" PRIu64, hs.cumulative[i]);
        sample_line(&f->samples, sname, &l, 1, val);
    }
    snprintf(sname, sizeof(sname), "%s_sum", name);
    mon_fmt_double((double)hs.sum_ns / 1e9, val, sizeof(val));
    sample_line(&f->samples, sname, NULL, 0, val);
    snprintf(sname, sizeof(sname), "%s_count", name);
    snprintf(val, sizeof(val), "%" PRIu64, hs.count);
    sample_line(&f->samples, sname, NULL, 0, val);
}

static int fam_cmp(const void *a, const void *b)
{
    return strcmp(((const struct prom_fam *)a)->name, ((const struct prom_fam *)b)->name);
}

void prom_write(struct prom *p, struct buf *out)
{
    if (p->n > 1)
        qsort(p->v, p->n, sizeof(*p->v), fam_cmp);
    for (size_t i = 0; i < p->n; i++) {
        struct prom_fam *f = &p->v[i];
        buf_appendf(out, "# HELP %s ", f->name);
        escape(out, f->help, false);
        buf_appendf(out, "\n# TYPE %s %s\n", f->name, f->type);
        buf_append(out, buf_head(&f->samples), buf_size(&f->samples));
        buf_deinit(&f->samples);
        free(f->name);
        free(f->help);
    }
    FREE_AND_NULL(p->v);
    p->n = p->cap = 0;
}
