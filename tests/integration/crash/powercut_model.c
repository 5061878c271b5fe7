/* Power-cut model: replays powercut_shim's log against a directory tree (see powercut.h).
 *
 * Two passes after the log is read and sorted: directory operations that no later directory
 * fsync covered are undone newest first, then every file left in the tree is cut to the size it
 * had at its last fsync and its tail torn at random. Inodes are the keys throughout, so a file
 * renamed after its fsync keeps its durable size under the new name.
 */
#include "harness.h"
#include "powercut.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PC_MAX_PATH 4096
#define SECTOR      512

/* One baseline entry. */
struct pc_file {
    uint64_t ino;  /* inode number */
    uint64_t size; /* size then (0 for directories) */
};

/* One log record (see powercut.h for the fields of each type). */
struct ev {
    uint64_t seq;        /* order of the record */
    char type;           /* C M R U T W S Y A, intents c m r u */
    uint64_t a, b, c, d; /* numeric fields */
    char *p1, *p2;       /* paths (into the log buffer), "" when absent */
};

/* Durable data state of one inode while the log is replayed. */
struct ino_state {
    uint64_t ino;       /* inode number */
    uint64_t len;       /* bytes that survive */
    uint64_t sync_tick; /* tick of the last successful fsync of the file, 0 if none */
    uint64_t dir_tick;  /* highest tick of an fsync of it as a directory, 0 if none */
    bool created;       /* a C or M record names it */
};

/* Everything read from the log. */
struct replay {
    struct ev *ev;         /* records sorted by seq */
    size_t nev;            /* number of records */
    struct ino_state *ino; /* one per inode seen or in the baseline */
    size_t nino, cap;      /* used and allocated states */
    uint64_t all_tick;     /* highest tick of a sync()/syncfs(), 0 if none */
    char *buf;             /* the log text the paths point into */
};

uint64_t pc_rand(uint64_t *rng)
{
    uint64_t x = *rng;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *rng = x;
    return x;
}

/* ---- tree walks -------------------------------------------------------------------------- */

typedef void (*walk_cb)(const char *path, const struct stat *st, void *arg);

/* Calls <fn> for every entry under <dir> (not <dir> itself), parents before children. */
static void tree_walk(const char *dir, walk_cb fn, void *arg)
{
    DIR *d = opendir(dir);
    struct dirent *de;

    IT_ASSERT(d != NULL, "opendir %s: %s", dir, strerror(errno));
    while ((de = readdir(d)) != NULL) {
        char path[PC_MAX_PATH];
        struct stat st;

        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        IT_ASSERT(lstat(path, &st) == 0, "lstat %s: %s", path, strerror(errno));
        fn(path, &st, arg);
        if (S_ISDIR(st.st_mode))
            tree_walk(path, fn, arg);
    }
    closedir(d);
}

void pc_tree_remove(const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;

        IT_ASSERT(d != NULL, "opendir %s: %s", path, strerror(errno));
        while ((de = readdir(d)) != NULL) {
            char sub[PC_MAX_PATH];
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
            pc_tree_remove(sub);
        }
        closedir(d);
        IT_ASSERT(rmdir(path) == 0, "rmdir %s: %s", path, strerror(errno));
    } else {
        IT_ASSERT(unlink(path) == 0, "unlink %s: %s", path, strerror(errno));
    }
}

static void baseline_add(const char *path, const struct stat *st, void *arg)
{
    struct pc_baseline *b = arg;

    (void)path;
    if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
        return;
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->v = realloc(b->v, b->cap * sizeof(*b->v));
        IT_ASSERT(b->v != NULL, "out of memory");
    }
    b->v[b->len].ino = (uint64_t)st->st_ino;
    b->v[b->len].size = S_ISREG(st->st_mode) ? (uint64_t)st->st_size : 0;
    b->len++;
}

void pc_baseline_take(struct pc_baseline *b, const char *root)
{
    struct stat st;

    IT_ASSERT(lstat(root, &st) == 0, "lstat %s: %s", root, strerror(errno));
    baseline_add(root, &st, b);
    tree_walk(root, baseline_add, b);
}

void pc_baseline_free(struct pc_baseline *b)
{
    free(b->v);
    memset(b, 0, sizeof(*b));
}

void pc_reset(const char *root, const char *log_path, const char *keep_dir,
              struct pc_baseline *base)
{
    int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    IT_ASSERT(fd >= 0, "truncate %s: %s", log_path, strerror(errno));
    close(fd);
    pc_tree_remove(keep_dir);
    IT_ASSERT(mkdir(keep_dir, 0755) == 0, "mkdir %s: %s", keep_dir, strerror(errno));
    pc_baseline_free(base);
    pc_baseline_take(base, root);
}

/* ---- log --------------------------------------------------------------------------------- */

static int ev_cmp(const void *x, const void *y)
{
    const struct ev *a = x, *b = y;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Parses one line (NUL-terminated, no newline) into <e>; false when malformed. */
static bool ev_parse(char *line, struct ev *e)
{
    char *tab1 = strchr(line, '\t'), *tab2;
    int n = 0;

    if (!tab1 || !(tab2 = strchr(tab1 + 1, '\t')))
        return false;
    *tab1 = *tab2 = '\0';
    e->p1 = tab1 + 1;
    e->p2 = tab2 + 1;
    if (sscanf(line, "%llu %c %llu %llu %llu %llu%n", (unsigned long long *)&e->seq, &e->type,
               (unsigned long long *)&e->a, (unsigned long long *)&e->b,
               (unsigned long long *)&e->c, (unsigned long long *)&e->d, &n) != 6 ||
        line[n] != '\0')
        return false;
    return strchr("CMRUTWSYAcmru", e->type) != NULL;
}

static void log_read(struct replay *r, const char *path)
{
    FILE *f = fopen(path, "r");
    long size;
    size_t cap = 0;
    char *p, *end;

    IT_ASSERT(f != NULL, "open %s: %s", path, strerror(errno));
    IT_ASSERT(fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0,
              "seek %s", path);
    r->buf = malloc((size_t)size + 1);
    IT_ASSERT(r->buf != NULL, "out of memory");
    IT_ASSERT(fread(r->buf, 1, (size_t)size, f) == (size_t)size, "read %s", path);
    fclose(f);
    r->buf[size] = '\0';
    end = r->buf + size;
    for (p = r->buf; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break; /* a record is one write(2): a partial line cannot happen, but be safe */
        *nl = '\0';
        if (r->nev == cap) {
            cap = cap ? cap * 2 : 1024;
            r->ev = realloc(r->ev, cap * sizeof(*r->ev));
            IT_ASSERT(r->ev != NULL, "out of memory");
        }
        IT_ASSERT(ev_parse(p, &r->ev[r->nev]), "bad power-cut log line: %s", p);
        r->nev++;
        p = nl + 1;
    }
    qsort(r->ev, r->nev, sizeof(*r->ev), ev_cmp);
    /* Every record takes the next seq (the first may be above 1 when the log was reset under a
     * running server): a gap means some of the shim's writes went missing. */
    for (size_t i = 1; i < r->nev; i++)
        IT_ASSERT(r->ev[i].seq == r->ev[0].seq + i, "power-cut log %s: seq %llu follows %llu", path,
                  (unsigned long long)r->ev[i].seq, (unsigned long long)r->ev[i - 1].seq);
}

static struct ino_state *ino_find(struct replay *r, uint64_t ino)
{
    for (size_t i = 0; i < r->nino; i++) {
        if (r->ino[i].ino == ino)
            return &r->ino[i];
    }
    return NULL;
}

static struct ino_state *ino_get(struct replay *r, uint64_t ino)
{
    struct ino_state *s = ino_find(r, ino);

    if (s)
        return s;
    if (r->nino == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->ino = realloc(r->ino, r->cap * sizeof(*r->ino));
        IT_ASSERT(r->ino != NULL, "out of memory");
    }
    s = &r->ino[r->nino++];
    memset(s, 0, sizeof(*s));
    s->ino = ino;
    return s;
}

/* Replays the data records in order: the durable size of every inode. */
static void replay_data(struct replay *r, const struct pc_baseline *base)
{
    for (size_t i = 0; i < base->len; i++)
        ino_get(r, base->v[i].ino)->len = base->v[i].size;
    for (size_t i = 0; i < r->nev; i++) {
        const struct ev *e = &r->ev[i];
        struct ino_state *s;

        switch (e->type) {
        case 'C':
        case 'M':
            s = ino_get(r, e->a); /* a new file: whatever an old inode number held is gone */
            s->len = 0;
            s->sync_tick = 0;
            s->created = true;
            break;
        case 'Y':
            s = ino_get(r, e->a);
            if (e->c > s->dir_tick)
                s->dir_tick = e->c;
            break;
        case 'S':
            s = ino_get(r, e->a);
            s->len = e->b;
            if (e->c > s->sync_tick)
                s->sync_tick = e->c;
            break;
        case 'T':
            s = ino_get(r, e->a);
            if (e->b < s->len)
                s->len = e->b;
            break;
        case 'A':
            if (e->c > r->all_tick)
                r->all_tick = e->c;
            break;
        default:
            break;
        }
    }
}

/* Highest tick of a directory fsync of <dir_ino> (or of a sync()). */
static uint64_t dir_tick(struct replay *r, uint64_t dir_ino)
{
    const struct ino_state *s = ino_find(r, dir_ino);

    return s && s->dir_tick > r->all_tick ? s->dir_tick : r->all_tick;
}

static bool ev_durable(struct replay *r, const struct ev *e)
{
    if (e->type == 'R')
        return dir_tick(r, e->b) > e->seq && dir_tick(r, e->c) > e->seq;
    return dir_tick(r, e->b) > e->seq;
}

/* ---- undoing directory operations --------------------------------------------------------- */

static bool path_is(const char *path, uint64_t ino)
{
    struct stat st;
    return lstat(path, &st) == 0 && (uint64_t)st.st_ino == ino;
}

static void keep_path(const char *keep_dir, uint64_t id, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%llu", keep_dir, (unsigned long long)id);
}

static void say(bool verbose, const char *what, const char *p1, const char *p2)
{
    if (verbose)
        printf("    power cut: %s %s%s%s\n", what, p1, p2[0] ? " -> " : "", p2);
}

/* Undoes one operation that did not reach the disk. Returns its index in pc_stats.undone, or
 * -1 when there was nothing left to undo. */
static int undo_one(const struct ev *e, const char *keep_dir, bool verbose)
{
    char kp[PC_MAX_PATH];

    switch (e->type) {
    case 'C':
        if (!path_is(e->p1, e->a))
            return -1;
        say(verbose, "create not durable, removed", e->p1, "");
        IT_ASSERT(unlink(e->p1) == 0, "unlink %s: %s", e->p1, strerror(errno));
        return 0;
    case 'M':
        if (!path_is(e->p1, e->a))
            return -1;
        say(verbose, "mkdir not durable, removed with its contents", e->p1, "");
        pc_tree_remove(e->p1);
        return 1;
    case 'R':
        if (!path_is(e->p2, e->a))
            return -1;
        say(verbose, "rename not durable, moved back", e->p2, e->p1);
        IT_ASSERT(rename(e->p2, e->p1) == 0, "rename %s %s: %s", e->p2, e->p1, strerror(errno));
        if (e->d) {
            keep_path(keep_dir, e->d, kp, sizeof(kp));
            IT_ASSERT(rename(kp, e->p2) == 0, "restore %s: %s", e->p2, strerror(errno));
        }
        return 2;
    case 'U':
        if (!e->c || access(e->p1, F_OK) == 0)
            return -1;
        say(verbose, "unlink not durable, restored", e->p1, "");
        keep_path(keep_dir, e->c, kp, sizeof(kp));
        IT_ASSERT(rename(kp, e->p1) == 0, "restore %s: %s", e->p1, strerror(errno));
        return 3;
    default:
        return -1;
    }
}

static bool in_baseline(const struct pc_baseline *b, uint64_t ino)
{
    for (size_t i = 0; i < b->len; i++) {
        if (b->v[i].ino == ino)
            return true;
    }
    return false;
}

/* True when the intent at index <i> has no record after it: the kill came inside the call. */
static bool intent_open(const struct replay *r, size_t i)
{
    const struct ev *in = &r->ev[i];
    char done = (char)(in->type - 'a' + 'A');

    for (size_t j = i + 1; j < r->nev; j++) {
        const struct ev *e = &r->ev[j];
        if (e->type == done && strcmp(e->p1, in->p1) == 0 && strcmp(e->p2, in->p2) == 0)
            return false;
    }
    return true;
}

/* Whether the file or directory at <path> was created by this run without a record. */
static bool path_unrecorded(struct replay *r, const struct pc_baseline *base, const char *path)
{
    struct stat st;
    const struct ino_state *s;

    if (lstat(path, &st) != 0 || in_baseline(base, (uint64_t)st.st_ino))
        return false;
    s = ino_find(r, (uint64_t)st.st_ino);
    return !(s && s->created);
}

/* Undoes an operation the kill interrupted, when the files show it took effect: it cannot have
 * been durable (no directory fsync can have started after it completed). Returns its index in
 * pc_stats.undone, or -1. */
static int undo_interrupted(struct replay *r, const struct pc_baseline *base, const struct ev *in,
                            const char *keep_dir, bool verbose)
{
    struct ev e = *in;

    e.type = (char)(in->type - 'a' + 'A');
    switch (in->type) {
    case 'c':
    case 'm':
        if (!path_unrecorded(r, base, in->p1))
            return -1;
        say(verbose, "interrupted create, removed", in->p1, "");
        pc_tree_remove(in->p1);
        return in->type == 'c' ? 0 : 1;
    case 'r':
        if (access(in->p1, F_OK) == 0)
            return -1; /* the source is still there: the rename did not happen */
        return undo_one(&e, keep_dir, verbose);
    case 'u':
        return undo_one(&e, keep_dir, verbose);
    default:
        return -1;
    }
}

static void undo_dir_ops(struct replay *r, const struct pc_baseline *base, const char *keep_dir,
                         bool verbose, struct pc_stats *st)
{
    for (size_t i = r->nev; i-- > 0;) {
        const struct ev *e = &r->ev[i];
        int k;

        if (strchr("cmru", e->type) && intent_open(r, i)) {
            k = undo_interrupted(r, base, e, keep_dir, verbose);
            if (k >= 0) {
                st->undone[k]++;
                st->interrupted++;
            }
            continue;
        }
        if (!strchr("CMRU", e->type))
            continue;
        if (ev_durable(r, e)) {
            st->durable_ops++;
            continue;
        }
        k = undo_one(e, keep_dir, verbose);
        if (k >= 0)
            st->undone[k]++;
    }
}

/* ---- data -------------------------------------------------------------------------------- */

/* Context of the data pass over the tree. */
struct data_ctx {
    struct replay *r;               /* replayed log */
    const struct pc_baseline *base; /* tree when the log started */
    uint64_t *rng;                  /* random state */
    struct pc_stats *st;            /* counters */
    bool verbose;                   /* print what is torn */
};

static void fill_garbage(unsigned char *p, size_t n, uint64_t *rng)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)pc_rand(rng);
}

static void pwrite_all(int fd, const void *p, size_t n, uint64_t off, const char *path)
{
    IT_ASSERT(pwrite(fd, p, n, (off_t)off) == (ssize_t)n, "pwrite %s: %s", path, strerror(errno));
}

/* Cuts <path> (size <size>) to <len> and tears the tail: see powercut.h. */
static void tear_tail(struct data_ctx *c, const char *path, uint64_t size, uint64_t len)
{
    uint64_t lost = size - len;
    int mode = (int)(pc_rand(c->rng) % 4);
    unsigned char *tail = malloc(lost);
    int fd = open(path, O_RDWR | O_CLOEXEC);

    IT_ASSERT(fd >= 0 && tail, "open %s: %s", path, strerror(errno));
    IT_ASSERT(pread(fd, tail, lost, (off_t)len) == (ssize_t)lost, "pread %s", path);
    IT_ASSERT(ftruncate(fd, (off_t)len) == 0, "ftruncate %s: %s", path, strerror(errno));
    if (mode == 1 && lost == 1)
        mode = 0;
    if (mode == 1) { /* a prefix of the lost bytes made it */
        pwrite_all(fd, tail, 1 + pc_rand(c->rng) % (lost - 1), len, path);
    } else if (mode == 2) { /* a torn sector: garbage where the new bytes were going */
        uint64_t n = 1 + pc_rand(c->rng) % (lost < 4096 ? lost : 4096);
        fill_garbage(tail, n, c->rng);
        pwrite_all(fd, tail, n, len, path);
    } else if (mode == 3) { /* every page but one sector */
        uint64_t at = (pc_rand(c->rng) % lost) & ~(uint64_t)(SECTOR - 1);
        uint64_t n = lost - at < SECTOR ? lost - at : SECTOR;
        memset(tail + at, 0, n);
        pwrite_all(fd, tail, lost, len, path);
    }
    close(fd);
    free(tail);
    c->st->tails[mode]++;
    c->st->files_cut++;
    c->st->bytes_cut += lost;
    if (c->verbose)
        printf("    power cut: %s cut from %llu to %llu bytes (%s)\n", path,
               (unsigned long long)size, (unsigned long long)len,
               (const char *[]){"clean", "partial", "garbage", "zeroed sector"}[mode]);
}

/* Replaces unsynced overwrites of inode <ino> (file <path>, <size> bytes) by garbage, each with
 * probability 1/2. */
static void tear_overwrites(struct data_ctx *c, const char *path, uint64_t ino, uint64_t size,
                            uint64_t sync_tick)
{
    for (size_t i = 0; i < c->r->nev; i++) {
        const struct ev *e = &c->r->ev[i];
        uint64_t end;
        unsigned char *g;
        int fd;

        if (e->type != 'W' || e->a != ino || sync_tick > e->seq || e->b >= size ||
            pc_rand(c->rng) % 2)
            continue;
        end = e->b + e->c < size ? e->b + e->c : size;
        g = malloc(end - e->b);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        IT_ASSERT(fd >= 0 && g, "open %s: %s", path, strerror(errno));
        fill_garbage(g, end - e->b, c->rng);
        pwrite_all(fd, g, end - e->b, e->b, path);
        close(fd);
        free(g);
        c->st->overwrites_torn++;
    }
}

static void data_one(const char *path, const struct stat *st, void *arg)
{
    struct data_ctx *c = arg;
    uint64_t ino = (uint64_t)st->st_ino, size = (uint64_t)st->st_size;
    struct ino_state *s = ino_find(c->r, ino);

    if (!in_baseline(c->base, ino) && !(s && s->created)) {
        c->st->unknown++;
        printf("    power cut: %s (inode %llu) was created without the shim seeing it (left "
               "alone); its records:\n",
               path, (unsigned long long)ino);
        for (size_t i = 0; i < c->r->nev; i++) {
            const struct ev *e = &c->r->ev[i];
            if (e->a == ino || strcmp(e->p1, path) == 0 || strcmp(e->p2, path) == 0)
                printf("      %llu %c %llu %llu %llu %llu %s %s\n", (unsigned long long)e->seq,
                       e->type, (unsigned long long)e->a, (unsigned long long)e->b,
                       (unsigned long long)e->c, (unsigned long long)e->d, e->p1, e->p2);
        }
        return;
    }
    if (!S_ISREG(st->st_mode))
        return;
    IT_ASSERT(s != NULL, "no state for %s", path);
    if (size > s->len)
        tear_tail(c, path, size, s->len);
    tear_overwrites(c, path, ino, size < s->len ? size : s->len, s->sync_tick);
}

void pc_apply(const char *root, const char *log_path, const char *keep_dir,
              const struct pc_baseline *base, uint64_t *rng, bool verbose, struct pc_stats *st)
{
    struct replay r = {0};
    struct data_ctx c = {.r = &r, .base = base, .rng = rng, .st = st, .verbose = verbose};

    memset(st, 0, sizeof(*st));
    log_read(&r, log_path);
    st->events = r.nev;
    replay_data(&r, base);
    st->saw_sync = r.all_tick != 0;
    undo_dir_ops(&r, base, keep_dir, verbose, st);
    tree_walk(root, data_one, &c);
    free(r.ev);
    free(r.ino);
    free(r.buf);
}
