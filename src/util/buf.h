/* struct buf: a growable byte buffer with a consumed prefix, used for
 * protocol output, JSON building and read buffers. */
#ifndef GN_UTIL_BUF_H
#define GN_UTIL_BUF_H

#include <stddef.h>

struct buf {
    char *data; /* heap storage; NULL until the first append */
    size_t off; /* bytes at the front already consumed */
    size_t len; /* bytes in use, counting from data (off <= len) */
    size_t cap; /* allocated bytes */
};

/* Caller-storage lifetime: init leaves an empty buffer, deinit frees it. */
void buf_init(struct buf *b);
void buf_deinit(struct buf *b);
/* Ensures room for <n> more bytes after len; may move data. */
void buf_reserve(struct buf *b, size_t n);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_append_str(struct buf *b, const char *s);
void buf_append_char(struct buf *b, char c);
/* Appends the decimal form of <v>. */
void buf_append_u64(struct buf *b, unsigned long long v);
void buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Marks <n> bytes at the front consumed; resets to empty when all are. */
void buf_consume(struct buf *b, size_t n);
/* Moves the unconsumed bytes to the front of the storage. */
void buf_compact(struct buf *b);
/* Empties the buffer, keeping its storage. */
void buf_clear(struct buf *b);
/* Frees storage above <keep> bytes when the buffer is empty (idle memory). */
void buf_shrink(struct buf *b, size_t keep);

/* The unconsumed bytes; "" (never NULL) for a buffer never written, so
 * that callers may pass it on with a zero length without UB. */
static inline const char *buf_head(const struct buf *b)
{
    return b->data ? b->data + b->off : "";
}
static inline size_t buf_size(const struct buf *b)
{
    return b->len - b->off;
}

#endif
