/* powercut_shim: LD_PRELOAD library that logs what a power cut would keep of the server's files.
 *
 * Interposes the libc calls that create, replace, remove, truncate, overwrite and sync files and
 * appends one text line per event to $GANNET_POWERCUT_LOG with a single write(2) on an O_APPEND
 * descriptor, so that a SIGKILL leaves every completed record in the file. Events name inodes,
 * not descriptors (fstat), so no descriptor table and no close() hook are needed. Paths are only
 * logged under $GANNET_POWERCUT_DIR; a file about to be unlinked or renamed over is first
 * hard-linked into $GANNET_POWERCUT_KEEP so that the test can roll the operation back. The line
 * format and the model that replays it are described in powercut.h. Built without sanitizers:
 * it is preloaded into ASan and non-ASan servers alike, and calls only the real functions.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define PC_PATH 4096 /* longest path handled; longer ones are not logged */
#define PC_LINE (2 * PC_PATH + 160)

/* Symbols this library exports: the interposed libc functions. Declared here because some are
 * glibc-internal (__open_2) or only declared under _LARGEFILE64_SOURCE. */
#define PC_EXPORT __attribute__((visibility("default")))

static int g_log = -1;             /* O_APPEND log descriptor, -1 when the shim is off */
static char g_scope[PC_PATH];      /* only paths under this prefix are logged */
static size_t g_scope_len;         /* strlen(g_scope) */
static char g_keep[PC_PATH];       /* directory for hard links to replaced or removed files */
static atomic_ulong g_seq = 1;     /* event order: taken when a record is written */
static atomic_ulong g_keep_id = 1; /* names of the hard links in g_keep */
static __thread int g_busy;        /* inside a wrapper: calls made by the shim pass through */

/* Real functions, resolved lazily with RTLD_NEXT (constructors of other libraries, or ASan's
 * interceptors, may call in before ours runs). */
#define REAL(name) real_##name
#define RESOLVE(name)                                                                              \
    do {                                                                                           \
        if (!REAL(name))                                                                           \
            REAL(name) = (__typeof__(REAL(name)))dlsym(RTLD_NEXT, #name);                          \
    } while (0)

static int (*REAL(open))(const char *, int, ...);
static int (*REAL(open64))(const char *, int, ...);
static int (*REAL(__open_2))(const char *, int);
static int (*REAL(__open64_2))(const char *, int);
static int (*REAL(openat))(int, const char *, int, ...);
static int (*REAL(openat64))(int, const char *, int, ...);
static int (*REAL(__openat_2))(int, const char *, int);
static int (*REAL(__openat64_2))(int, const char *, int);
static int (*REAL(creat))(const char *, mode_t);
static int (*REAL(creat64))(const char *, mode_t);
static FILE *(*REAL(fopen))(const char *, const char *);
static FILE *(*REAL(fopen64))(const char *, const char *);
static ssize_t (*REAL(write))(int, const void *, size_t);
static ssize_t (*REAL(writev))(int, const struct iovec *, int);
static ssize_t (*REAL(pwrite))(int, const void *, size_t, off_t);
static ssize_t (*REAL(pwrite64))(int, const void *, size_t, off_t);
static ssize_t (*REAL(pwritev))(int, const struct iovec *, int, off_t);
static ssize_t (*REAL(pwritev64))(int, const struct iovec *, int, off_t);
static ssize_t (*REAL(pwritev2))(int, const struct iovec *, int, off_t, int);
static int (*REAL(rename))(const char *, const char *);
static int (*REAL(renameat))(int, const char *, int, const char *);
static int (*REAL(renameat2))(int, const char *, int, const char *, unsigned);
static int (*REAL(unlink))(const char *);
static int (*REAL(unlinkat))(int, const char *, int);
static int (*REAL(mkdir))(const char *, mode_t);
static int (*REAL(mkdirat))(int, const char *, mode_t);
static int (*REAL(ftruncate))(int, off_t);
static int (*REAL(ftruncate64))(int, off_t);
static int (*REAL(truncate))(const char *, off_t);
static int (*REAL(fsync))(int);
static int (*REAL(fdatasync))(int);
static int (*REAL(syncfs))(int);
static void (*REAL(sync))(void);

/* ---- records ---------------------------------------------------------------------------- */

/* Appends the decimal <v> at <p>; returns the end. */
static char *put_u64(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_str(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

/* Writes "<seq> <type> <a> <b> <c> <d>\t<p1>\t<p2>\n" with one write(2). The sequence number is
 * taken here, after the operation completed, so that a record is ordered after everything that
 * happened before it in the program. */
static void rec_write(char type, uint64_t a, uint64_t b, uint64_t c, uint64_t d, const char *p1,
                      const char *p2)
{
    char line[PC_LINE];
    char *p = line;

    if (g_log < 0)
        return;
    p = put_u64(p, atomic_fetch_add(&g_seq, 1));
    *p++ = ' ';
    *p++ = type;
    *p++ = ' ';
    p = put_u64(p, a);
    *p++ = ' ';
    p = put_u64(p, b);
    *p++ = ' ';
    p = put_u64(p, c);
    *p++ = ' ';
    p = put_u64(p, d);
    *p++ = '\t';
    p = put_str(p, p1 ? p1 : "");
    *p++ = '\t';
    p = put_str(p, p2 ? p2 : "");
    *p++ = '\n';
    RESOLVE(write);
    (void)!REAL(write)(g_log, line, (size_t)(p - line));
}

/* ---- paths ------------------------------------------------------------------------------ */

/* Builds the absolute path of <name> relative to <dirfd> into <out>; false when it cannot be
 * known or does not fit (the event is then not logged). No "." or ".." folding: the server
 * builds its paths from an absolute store dir. */
static bool path_abs(int dirfd, const char *name, char *out)
{
    size_t dl, nl;

    if (!name)
        return false;
    nl = strlen(name);
    if (name[0] == '/') {
        if (nl >= PC_PATH)
            return false;
        memcpy(out, name, nl + 1);
        return true;
    }
    if (dirfd == AT_FDCWD) {
        if (!getcwd(out, PC_PATH))
            return false;
        dl = strlen(out);
    } else {
        char link[64], *p = put_str(link, "/proc/self/fd/");
        ssize_t n;

        *put_u64(p, (uint64_t)dirfd) = '\0';
        n = readlink(link, out, PC_PATH - 1);
        if (n <= 0)
            return false;
        dl = (size_t)n;
    }
    if (dl + 1 + nl >= PC_PATH)
        return false;
    out[dl] = '/';
    memcpy(out + dl + 1, name, nl + 1);
    return true;
}

static bool in_scope(const char *path)
{
    return g_log >= 0 && strncmp(path, g_scope, g_scope_len) == 0 &&
           (path[g_scope_len] == '/' || path[g_scope_len] == '\0');
}

/* Inode of the directory holding <path> (0 when unknown). */
static uint64_t parent_ino(const char *path)
{
    char dir[PC_PATH];
    const char *slash = strrchr(path, '/');
    struct stat st;
    size_t n = slash ? (size_t)(slash - path) : 0;

    if (n == 0)
        n = 1; /* "/name": the root */
    memcpy(dir, path, n);
    dir[n] = '\0';
    return stat(dir, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* Hard-links the regular file at <path> into the keep directory; returns the link's id, or 0
 * when <path> is not a regular file or the link failed (the operation then cannot be undone). */
static uint64_t keep_link(const char *path)
{
    char dst[PC_PATH + 32], *p;
    struct stat st;
    uint64_t id;

    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || !g_keep[0])
        return 0;
    id = atomic_fetch_add(&g_keep_id, 1);
    p = put_str(dst, g_keep);
    *p++ = '/';
    *put_u64(p, id) = '\0';
    return link(path, dst) == 0 ? id : 0;
}

static void keep_drop(uint64_t id)
{
    char dst[PC_PATH + 32], *p;

    if (!id)
        return;
    p = put_str(dst, g_keep);
    *p++ = '/';
    *put_u64(p, id) = '\0';
    RESOLVE(unlink);
    (void)REAL(unlink)(dst);
}

/* ---- events ------------------------------------------------------------------------------ */

/* Each wrapper calls <x>_before, then returns <x>_done(<ctx>, <the real call>): <x>_done reads
 * errno first, writes its record and restores errno, so the caller sees the real call's. */

/* State captured before an open that may create or truncate a file. */
struct open_ctx {
    char path[PC_PATH]; /* absolute path, valid when <on> */
    bool on;            /* in scope and may create or truncate */
    bool existed;       /* a file was at <path> before the call */
    uint64_t old_ino;   /* its inode: another thread may replace it before the open */
    bool trunc;         /* O_TRUNC (or fopen "w") */
};

static void open_before(struct open_ctx *c, int dirfd, const char *name, int flags)
{
    struct stat st;

    c->on = false;
    if (g_log < 0 || g_busy || !(flags & (O_CREAT | O_TRUNC)) || !path_abs(dirfd, name, c->path) ||
        !in_scope(c->path))
        return;
    c->on = true;
    c->existed = lstat(c->path, &st) == 0;
    c->old_ino = c->existed ? (uint64_t)st.st_ino : 0;
    c->trunc = (flags & O_TRUNC) != 0;
    if ((flags & O_CREAT) && !c->existed) /* a kill before "C" still shows who made it */
        rec_write('c', 0, parent_ino(c->path), 0, 0, c->path, NULL);
}

/* "C ino dir_ino" for a new file, "T ino 0" for a truncated one. */
static int open_done(const struct open_ctx *c, int fd)
{
    int e = errno;
    struct stat st;

    if (c->on && fd >= 0 && fstat(fd, &st) == 0) {
        if (!c->existed || (uint64_t)st.st_ino != c->old_ino)
            rec_write('C', (uint64_t)st.st_ino, parent_ino(c->path), 0, 0, c->path, NULL);
        else if (c->trunc)
            rec_write('T', (uint64_t)st.st_ino, 0, 0, 0, NULL, NULL);
    }
    errno = e;
    return fd;
}

/* State captured before a write: whether it may land below the end of a regular file. */
struct write_ctx {
    struct stat st; /* the file before the write */
    off_t at;       /* where the write goes */
    bool on;        /* an overwrite: log it */
};

/* <off> is -1 for the descriptor's position. */
static void write_before(struct write_ctx *w, int fd, off_t off)
{
    w->on = false;
    if (g_log < 0 || g_busy || fstat(fd, &w->st) != 0 || !S_ISREG(w->st.st_mode))
        return;
    if (off < 0) {
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || (fl & O_APPEND) || (off = lseek(fd, 0, SEEK_CUR)) < 0)
            return;
    }
    w->at = off;
    w->on = off < w->st.st_size;
}

/* "W ino off len" for the part of a successful write below the old end of the file. */
static ssize_t write_done(const struct write_ctx *w, ssize_t n)
{
    int e = errno;

    if (w->on && n > 0) {
        uint64_t len = (uint64_t)n;
        if ((uint64_t)w->at + len > (uint64_t)w->st.st_size)
            len = (uint64_t)w->st.st_size - (uint64_t)w->at;
        rec_write('W', (uint64_t)w->st.st_ino, (uint64_t)w->at, len, 0, NULL, NULL);
    }
    errno = e;
    return n;
}

/* State captured before a rename. */
struct rename_ctx {
    char sp[PC_PATH], dp[PC_PATH]; /* absolute source and destination */
    uint64_t ino;                  /* inode moved */
    uint64_t keep;                 /* hard link to the file replaced, 0 if none */
    bool on;                       /* in scope */
};

static void rename_before(struct rename_ctx *r, int sfd, const char *src, int dfd, const char *dst)
{
    struct stat st;

    r->on = false;
    if (g_log < 0 || g_busy || !path_abs(sfd, src, r->sp) || !path_abs(dfd, dst, r->dp) ||
        !(in_scope(r->sp) || in_scope(r->dp)) || lstat(r->sp, &st) != 0)
        return;
    r->on = true;
    r->ino = (uint64_t)st.st_ino;
    r->keep = keep_link(r->dp);
    rec_write('r', r->ino, parent_ino(r->sp), parent_ino(r->dp), r->keep, r->sp, r->dp);
}

/* "R ino src_dir dst_dir keep"; a failed rename drops the hard link. */
static int rename_done(const struct rename_ctx *r, int rc)
{
    int e = errno;

    if (r->on && rc != 0)
        keep_drop(r->keep);
    else if (r->on)
        rec_write('R', r->ino, parent_ino(r->sp), parent_ino(r->dp), r->keep, r->sp, r->dp);
    errno = e;
    return rc;
}

/* State captured before an fsync/fdatasync: the file and the tick (records written after it are
 * not covered by this sync). */
struct sync_ctx {
    struct stat st; /* inode and size before the call */
    uint64_t tick;  /* the next record's seq then */
    bool on;        /* fstat worked */
};

static void sync_before(struct sync_ctx *s, int fd)
{
    s->on = g_log >= 0 && fstat(fd, &s->st) == 0;
    s->tick = atomic_load(&g_seq);
}

/* "S ino size tick" for a file, "Y ino 0 tick" for a directory, after a successful sync. */
static int sync_done(const struct sync_ctx *s, int rc)
{
    int e = errno;

    if (rc == 0 && s->on && S_ISDIR(s->st.st_mode))
        rec_write('Y', (uint64_t)s->st.st_ino, 0, s->tick, 0, NULL, NULL);
    else if (rc == 0 && s->on && S_ISREG(s->st.st_mode))
        rec_write('S', (uint64_t)s->st.st_ino, (uint64_t)s->st.st_size, s->tick, 0, NULL, NULL);
    errno = e;
    return rc;
}

/* ---- set-up ------------------------------------------------------------------------------ */

__attribute__((constructor)) static void shim_init(void)
{
    const char *log = getenv("GANNET_POWERCUT_LOG");
    const char *scope = getenv("GANNET_POWERCUT_DIR");
    const char *keep = getenv("GANNET_POWERCUT_KEEP");

    if (!log || !*log || !scope || !*scope || strlen(scope) >= PC_PATH)
        return;
    if (keep && strlen(keep) < PC_PATH)
        memcpy(g_keep, keep, strlen(keep) + 1);
    memcpy(g_scope, scope, strlen(scope) + 1);
    g_scope_len = strlen(g_scope);
    while (g_scope_len > 1 && g_scope[g_scope_len - 1] == '/')
        g_scope[--g_scope_len] = '\0';
    RESOLVE(open);
    g_log = REAL(open)(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

/* ---- interposed functions ----------------------------------------------------------------- */

static mode_t mode_arg(int flags, va_list ap)
{
    bool needs = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE; /* as glibc decides */
    return needs ? (mode_t)va_arg(ap, int) : 0;
}

PC_EXPORT int open(const char *path, int flags, ...);
PC_EXPORT int open(const char *path, int flags, ...)
{
    struct open_ctx c;
    va_list ap;
    mode_t m;

    va_start(ap, flags);
    m = mode_arg(flags, ap);
    va_end(ap);
    RESOLVE(open);
    open_before(&c, AT_FDCWD, path, flags);
    return open_done(&c, REAL(open)(path, flags, m));
}

PC_EXPORT int open64(const char *path, int flags, ...);
PC_EXPORT int open64(const char *path, int flags, ...)
{
    struct open_ctx c;
    va_list ap;
    mode_t m;

    va_start(ap, flags);
    m = mode_arg(flags, ap);
    va_end(ap);
    RESOLVE(open64);
    open_before(&c, AT_FDCWD, path, flags);
    return open_done(&c, REAL(open64)(path, flags, m));
}

PC_EXPORT int __open_2(const char *path, int flags);
PC_EXPORT int __open_2(const char *path, int flags)
{
    struct open_ctx c;

    RESOLVE(__open_2);
    open_before(&c, AT_FDCWD, path, flags);
    return open_done(&c, REAL(__open_2)(path, flags));
}

PC_EXPORT int __open64_2(const char *path, int flags);
PC_EXPORT int __open64_2(const char *path, int flags)
{
    struct open_ctx c;

    RESOLVE(__open64_2);
    open_before(&c, AT_FDCWD, path, flags);
    return open_done(&c, REAL(__open64_2)(path, flags));
}

PC_EXPORT int openat(int dirfd, const char *path, int flags, ...);
PC_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
    struct open_ctx c;
    va_list ap;
    mode_t m;

    va_start(ap, flags);
    m = mode_arg(flags, ap);
    va_end(ap);
    RESOLVE(openat);
    open_before(&c, dirfd, path, flags);
    return open_done(&c, REAL(openat)(dirfd, path, flags, m));
}

PC_EXPORT int openat64(int dirfd, const char *path, int flags, ...);
PC_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
    struct open_ctx c;
    va_list ap;
    mode_t m;

    va_start(ap, flags);
    m = mode_arg(flags, ap);
    va_end(ap);
    RESOLVE(openat64);
    open_before(&c, dirfd, path, flags);
    return open_done(&c, REAL(openat64)(dirfd, path, flags, m));
}

PC_EXPORT int __openat_2(int dirfd, const char *path, int flags);
PC_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
    struct open_ctx c;

    RESOLVE(__openat_2);
    open_before(&c, dirfd, path, flags);
    return open_done(&c, REAL(__openat_2)(dirfd, path, flags));
}

PC_EXPORT int __openat64_2(int dirfd, const char *path, int flags);
PC_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
    struct open_ctx c;

    RESOLVE(__openat64_2);
    open_before(&c, dirfd, path, flags);
    return open_done(&c, REAL(__openat64_2)(dirfd, path, flags));
}

PC_EXPORT int creat(const char *path, mode_t mode);
PC_EXPORT int creat(const char *path, mode_t mode)
{
    struct open_ctx c;

    RESOLVE(creat);
    open_before(&c, AT_FDCWD, path, O_CREAT | O_TRUNC);
    return open_done(&c, REAL(creat)(path, mode));
}

PC_EXPORT int creat64(const char *path, mode_t mode);
PC_EXPORT int creat64(const char *path, mode_t mode)
{
    struct open_ctx c;

    RESOLVE(creat64);
    open_before(&c, AT_FDCWD, path, O_CREAT | O_TRUNC);
    return open_done(&c, REAL(creat64)(path, mode));
}

/* fopen: glibc opens through an internal call the shim cannot see, so wrap it whole. */
static FILE *fopen_common(FILE *(*fn)(const char *, const char *), const char *path,
                          const char *mode)
{
    struct open_ctx c;
    int flags = !mode ? 0 : mode[0] == 'w' ? O_CREAT | O_TRUNC : mode[0] == 'a' ? O_CREAT : 0;
    FILE *f;
    int e;

    open_before(&c, AT_FDCWD, path, flags);
    g_busy++;
    f = fn(path, mode);
    g_busy--;
    e = errno;
    if (f)
        (void)open_done(&c, fileno(f));
    errno = e;
    return f;
}

PC_EXPORT FILE *fopen(const char *path, const char *mode)
{
    RESOLVE(fopen);
    return fopen_common(REAL(fopen), path, mode);
}

PC_EXPORT FILE *fopen64(const char *path, const char *mode);
PC_EXPORT FILE *fopen64(const char *path, const char *mode)
{
    RESOLVE(fopen64);
    return fopen_common(REAL(fopen64), path, mode);
}

PC_EXPORT ssize_t write(int fd, const void *buf, size_t len)
{
    struct write_ctx w;

    RESOLVE(write);
    write_before(&w, fd, -1);
    return write_done(&w, REAL(write)(fd, buf, len));
}

PC_EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    struct write_ctx w;

    RESOLVE(writev);
    write_before(&w, fd, -1);
    return write_done(&w, REAL(writev)(fd, iov, cnt));
}

PC_EXPORT ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
    struct write_ctx w;

    RESOLVE(pwrite);
    write_before(&w, fd, off);
    return write_done(&w, REAL(pwrite)(fd, buf, len, off));
}

PC_EXPORT ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off);
PC_EXPORT ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off)
{
    struct write_ctx w;

    RESOLVE(pwrite64);
    write_before(&w, fd, off);
    return write_done(&w, REAL(pwrite64)(fd, buf, len, off));
}

PC_EXPORT ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
    struct write_ctx w;

    RESOLVE(pwritev);
    write_before(&w, fd, off);
    return write_done(&w, REAL(pwritev)(fd, iov, cnt, off));
}

PC_EXPORT ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off);
PC_EXPORT ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
    struct write_ctx w;

    RESOLVE(pwritev64);
    write_before(&w, fd, off);
    return write_done(&w, REAL(pwritev64)(fd, iov, cnt, off));
}

PC_EXPORT ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
    struct write_ctx w;

    RESOLVE(pwritev2);
    write_before(&w, fd, off);
    return write_done(&w, REAL(pwritev2)(fd, iov, cnt, off, flags));
}

PC_EXPORT int rename(const char *src, const char *dst)
{
    struct rename_ctx r;

    RESOLVE(rename);
    rename_before(&r, AT_FDCWD, src, AT_FDCWD, dst);
    return rename_done(&r, REAL(rename)(src, dst));
}

PC_EXPORT int renameat(int sfd, const char *src, int dfd, const char *dst)
{
    struct rename_ctx r;

    RESOLVE(renameat);
    rename_before(&r, sfd, src, dfd, dst);
    return rename_done(&r, REAL(renameat)(sfd, src, dfd, dst));
}

PC_EXPORT int renameat2(int sfd, const char *src, int dfd, const char *dst, unsigned flags)
{
    struct rename_ctx r;

    RESOLVE(renameat2);
    rename_before(&r, sfd, src, dfd, dst);
    return rename_done(&r, REAL(renameat2)(sfd, src, dfd, dst, flags));
}

/* unlink/unlinkat of a regular file: "U ino dir_ino keep". Directories (AT_REMOVEDIR) are not
 * modelled: the store never removes one. */
static int unlink_common(int dirfd, const char *name, int flags)
{
    char path[PC_PATH];
    struct stat st;
    uint64_t keep = 0, ino = 0;
    bool on = false;
    int rc, e;

    if (g_log >= 0 && !g_busy && !(flags & AT_REMOVEDIR) && path_abs(dirfd, name, path) &&
        in_scope(path) && lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        on = true;
        ino = (uint64_t)st.st_ino;
        keep = keep_link(path);
        rec_write('u', ino, parent_ino(path), keep, 0, path, NULL);
    }
    if (dirfd == AT_FDCWD && flags == 0) {
        RESOLVE(unlink);
        rc = REAL(unlink)(name);
    } else {
        RESOLVE(unlinkat);
        rc = REAL(unlinkat)(dirfd, name, flags);
    }
    e = errno;
    if (on && rc != 0)
        keep_drop(keep);
    else if (on)
        rec_write('U', ino, parent_ino(path), keep, 0, path, NULL);
    errno = e;
    return rc;
}

PC_EXPORT int unlink(const char *path)
{
    return unlink_common(AT_FDCWD, path, 0);
}

PC_EXPORT int unlinkat(int dirfd, const char *path, int flags)
{
    return unlink_common(dirfd, path, flags);
}

static int mkdir_common(int dirfd, const char *name, mode_t mode)
{
    char path[PC_PATH];
    struct stat st;
    bool on = g_log >= 0 && !g_busy && path_abs(dirfd, name, path) && in_scope(path) &&
              lstat(path, &st) != 0;
    int rc, e;

    if (on)
        rec_write('m', 0, parent_ino(path), 0, 0, path, NULL);
    if (dirfd == AT_FDCWD) {
        RESOLVE(mkdir);
        rc = REAL(mkdir)(name, mode);
    } else {
        RESOLVE(mkdirat);
        rc = REAL(mkdirat)(dirfd, name, mode);
    }
    e = errno;
    if (rc == 0 && on && lstat(path, &st) == 0)
        rec_write('M', (uint64_t)st.st_ino, parent_ino(path), 0, 0, path, NULL);
    errno = e;
    return rc;
}

PC_EXPORT int mkdir(const char *path, mode_t mode)
{
    return mkdir_common(AT_FDCWD, path, mode);
}

PC_EXPORT int mkdirat(int dirfd, const char *path, mode_t mode)
{
    return mkdir_common(dirfd, path, mode);
}

static void trunc_done(int rc, int fd, const char *path, off_t len)
{
    struct stat st;
    int e = errno;

    if (rc == 0 && g_log >= 0 && !g_busy && (path ? stat(path, &st) : fstat(fd, &st)) == 0 &&
        S_ISREG(st.st_mode))
        rec_write('T', (uint64_t)st.st_ino, (uint64_t)len, 0, 0, NULL, NULL);
    errno = e;
}

PC_EXPORT int ftruncate(int fd, off_t len)
{
    int rc;

    RESOLVE(ftruncate);
    rc = REAL(ftruncate)(fd, len);
    trunc_done(rc, fd, NULL, len);
    return rc;
}

PC_EXPORT int ftruncate64(int fd, off_t len);
PC_EXPORT int ftruncate64(int fd, off_t len)
{
    int rc;

    RESOLVE(ftruncate64);
    rc = REAL(ftruncate64)(fd, len);
    trunc_done(rc, fd, NULL, len);
    return rc;
}

PC_EXPORT int truncate(const char *path, off_t len)
{
    int rc;

    RESOLVE(truncate);
    rc = REAL(truncate)(path, len);
    trunc_done(rc, -1, path, len);
    return rc;
}

PC_EXPORT int fsync(int fd)
{
    struct sync_ctx s;

    RESOLVE(fsync);
    sync_before(&s, fd);
    return sync_done(&s, REAL(fsync)(fd));
}

PC_EXPORT int fdatasync(int fd)
{
    struct sync_ctx s;

    RESOLVE(fdatasync);
    sync_before(&s, fd);
    return sync_done(&s, REAL(fdatasync)(fd));
}

/* sync/syncfs: "A 0 0 tick". The model treats it as a barrier for directory entries only (the
 * server does not call either; see powercut.h). */
PC_EXPORT int syncfs(int fd)
{
    uint64_t tick = atomic_load(&g_seq);
    int rc, e;

    RESOLVE(syncfs);
    rc = REAL(syncfs)(fd);
    e = errno;
    if (rc == 0)
        rec_write('A', 0, 0, tick, 0, NULL, NULL);
    errno = e;
    return rc;
}

PC_EXPORT void sync(void)
{
    uint64_t tick = atomic_load(&g_seq);

    RESOLVE(sync);
    REAL(sync)();
    rec_write('A', 0, 0, tick, 0, NULL, NULL);
}
