/* Power-cut model for the crash tests: what of a directory tree survives losing power.
 *
 * powercut_shim.so, preloaded into the server, appends one line per file-system event to a log:
 *
 *   <seq> <type> <a> <b> <c> <d>\t<path1>\t<path2>\n
 *
 *   C ino dir_ino          file created at path1 (open/openat/creat/fopen with O_CREAT)
 *   M ino dir_ino          directory created at path1
 *   R ino sdir ddir keep   path1 renamed to path2 (ino moved; keep: id of a hard link to the
 *                          file path2 held before, 0 when none)
 *   U ino dir_ino keep     path1 unlinked (keep: id of a hard link to it, 0 when none)
 *   T ino len              truncated to len (ftruncate, or O_TRUNC: len 0)
 *   W ino off len          write below the end of the file (an overwrite, not an append)
 *   S ino size tick        fsync/fdatasync of a file succeeded; size was read before the call
 *   Y ino 0 tick           fsync/fdatasync of a directory succeeded
 *   A 0 0 tick             sync()/syncfs() succeeded
 *   c m r u                written before the call: the intent of a C, M, R or U, with the
 *                          fields known then (c and m: 0 dir_ino). An intent without its record
 *                          means the kill came inside the call, which may have taken effect.
 *
 * <seq> orders the records: it is taken when a record is written, after its operation
 * completed; <tick> is the next <seq> at the moment a sync started, so a sync covers exactly the
 * records with seq < tick. Everything is keyed by inode, so renames and reused names are
 * followed. The model, applied after SIGKILL to the files the page cache holds:
 *
 *   - Directory entries: a create, mkdir, rename or unlink is durable once its directory was
 *     fsynced after it (both directories for a rename), or after sync(). The others are undone
 *     newest first: created files and directories are removed (a directory with its contents),
 *     a rename moves the file back and restores the replaced file from its hard link, an unlink
 *     restores the file from its hard link. An interrupted operation (an intent without its
 *     record) is undone too when the files show it took effect. A file's own fsync does not
 *     make its name durable (POSIX; stricter than ext4, whose journal commit usually carries
 *     it).
 *   - Data: a file keeps what it held at its last fsync/fdatasync (its size then); a file that
 *     existed before the run starts from its size then; a created one from 0. A truncation to
 *     below that size counts at once. Anything beyond is cut, then the tail is torn at random:
 *     clean cut, a prefix of the lost bytes kept, random garbage in place of them, or all of
 *     them kept with one 512-byte sector zeroed. An overwrite not followed by a sync is replaced
 *     by garbage with probability 1/2 (the old bytes are not known).
 *   - Not modelled: the data of sync()/syncfs() (the server calls neither; only its directory
 *     barrier is), O_SYNC/O_DSYNC, mmap, fallocate, link/symlink, rmdir, writes through stdio
 *     (fwrite goes through glibc-internal calls: only the fopen and the fsync are seen, which is
 *     all the size-based model needs), and pages of a file lost out of order beyond the
 *     zeroed-sector case. Files the shim never saw created are counted as unknown and left
 *     alone (the test fails on them: a call the shim does not interpose).
 *
 * Test code: failures go through IT_ASSERT (harness.h). Main thread only.
 */
#ifndef GN_POWERCUT_H
#define GN_POWERCUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Inodes and sizes of a tree at a point where all of it counts as durable. */
struct pc_baseline {
    struct pc_file *v; /* regular files and directories */
    size_t len, cap;   /* used and allocated entries */
};

/* What one power cut did. */
struct pc_stats {
    size_t events;          /* log records read */
    size_t files_cut;       /* files longer than their durable size */
    uint64_t bytes_cut;     /* bytes beyond the durable sizes */
    size_t tails[4];        /* torn tails: clean, partial, garbage, zeroed sector */
    size_t overwrites_torn; /* unsynced overwrites replaced by garbage */
    size_t undone[4];       /* directory operations undone: create, mkdir, rename, unlink */
    size_t durable_ops;     /* directory operations kept (durable) */
    size_t interrupted;     /* of the undone: operations the kill came in the middle of */
    size_t unknown;         /* files or directories the shim never saw created */
    bool saw_sync;          /* sync()/syncfs() records were seen (data not modelled) */
};

/* Records <root> and every file and directory under it with its inode and size into <b>,
 * which must be zeroed or freed before. */
void pc_baseline_take(struct pc_baseline *b, const char *root);

/* Frees the entries of <b> and zeroes it. */
void pc_baseline_free(struct pc_baseline *b);

/* Applies a power cut to <root>: reads the shim's log at <log_path>, undoes the directory
 * operations that were not durable (restoring files from the hard links in <keep_dir>), cuts
 * each file to its durable size and tears the tails with the generator state <*rng> (xorshift64,
 * nonzero). <base> is the tree as it was when the log started. Fills <st> and prints one line
 * per undone operation when <verbose>. Fails the test on I/O errors or a log it cannot parse.
 * The server must not be running. The log and the hard links are left for the caller to reset
 * (pc_reset). */
void pc_apply(const char *root, const char *log_path, const char *keep_dir,
              const struct pc_baseline *base, uint64_t *rng, bool verbose, struct pc_stats *st);

/* Starts a new run: truncates the log at <log_path>, empties <keep_dir> and takes a new
 * baseline of <root> into <base> (freed first). */
void pc_reset(const char *root, const char *log_path, const char *keep_dir,
              struct pc_baseline *base);

/* rm -rf <path>; no-op when it does not exist. Fails the test on errors. */
void pc_tree_remove(const char *path);

/* Returns the next value of the xorshift64 generator <*rng> (nonzero state). */
uint64_t pc_rand(uint64_t *rng);

#endif
