/* Memory backend: each message's headers and payload live in one heap blob
 * referenced by its index entry (ent.loc); the subject is the per-subject
 * index's copy. Loads are zero-copy. Nothing survives a restart (by design,
 * as nats-server's memory storage).
 */
#include "store/store.h"
#include "store/store_int.h"
#include "util/xalloc.h"

#include <string.h>

struct ms_blob {
    uint32_t hdr_len;  /* header bytes at bytes[0] */
    uint32_t data_len; /* payload bytes after the headers */
    char bytes[];
};

static struct ms_blob *blob_of(const struct store__ent *e)
{
    return (struct ms_blob *)(uintptr_t)e->loc;
}

static int ms_write(struct store *s, uint64_t seq, int64_t ts, const char *subj, size_t subj_len,
                    const char *hdr, size_t hdr_len, const char *data, size_t data_len,
                    uint64_t *loc)
{
    struct ms_blob *b = xmalloc(sizeof(*b) + hdr_len + data_len);
    b->hdr_len = (uint32_t)hdr_len;
    b->data_len = (uint32_t)data_len;
    if (hdr_len)
        memcpy(b->bytes, hdr, hdr_len);
    if (data_len)
        memcpy(b->bytes + hdr_len, data, data_len);
    *loc = (uint64_t)(uintptr_t)b;
    atomic_store(&s->synced, seq);
    return 0;
}

static int ms_read(struct store *s, uint64_t seq, const struct store__ent *e, struct store_msg *out,
                   struct buf *scratch)
{
    const struct ms_blob *b = blob_of(e);
    const struct store__subj *sj = store__psi_get(&s->psi, e->subj);
    out->seq = seq;
    out->ts = e->ts;
    out->subj = sj->name;
    out->subj_len = sj->len;
    out->hdr = b->hdr_len ? b->bytes : NULL;
    out->hdr_len = b->hdr_len;
    out->data = b->bytes + b->hdr_len;
    out->data_len = b->data_len;
    return 0;
}

static int ms_erase(struct store *s, uint64_t seq, const struct store__ent *e)
{
    struct ms_blob *b = blob_of(e);
    memset(b->bytes, 0, (size_t)b->hdr_len + b->data_len);
    return 0;
}

static void ms_removed(struct store *s, uint64_t seq, const struct store__ent *e)
{
    free(blob_of(e));
}

static void free_all(struct store *s)
{
    uint64_t seq = 1;
    const struct store__ent *e;
    while ((e = store__seqidx_next(&s->idx, seq, &seq)) != NULL) {
        free(blob_of(e));
        seq++;
    }
}

static int ms_purge_all(struct store *s)
{
    free_all(s);
    return 0;
}

static int ms_op_end(struct store *s, bool deferred)
{
    return 0;
}

static int ms_sync(struct store *s)
{
    return 0;
}

static uint64_t ms_synced_seq(const struct store *s)
{
    return atomic_load(&s->synced);
}

static void ms_close(struct store *s, enum store__close how)
{
    free_all(s);
}

static const struct store__ops ms_ops = {
    .write = ms_write,
    .read = ms_read,
    .erase = ms_erase,
    .removed = ms_removed,
    .purge_all = ms_purge_all,
    .op_end = ms_op_end,
    .flush = ms_sync, /* nothing is ever buffered */
    .sync = ms_sync,
    .synced_seq = ms_synced_seq,
    .close = ms_close,
};

int store__mem_open(struct store *s, const struct store_config *cfg, struct errbuf *eb)
{
    s->ops = &ms_ops;
    atomic_store(&s->synced, s->last_seq);
    return 0;
}
