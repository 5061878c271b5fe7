/* Stream messages: `stream get` (by sequence or --last-for subject), `stream rmm`,
 * `stream view` (paged reading through an ephemeral consumer) and `stream subjects`.
 *
 * --json prints one result object per message, {status, stream, subject, seq, time, headers,
 * data} with the body as text (or data_base64 when it is binary), ready for jq.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JI(o, k) ((int64_t)json_integer_value(json_object_get((o), (k))))

/* Adds "headers" (from a raw NATS/1.0 block) and "data" or "data_base64" to <j>. */
void cli_json_add_body(json_t *j, const char *hdrs, size_t hlen, const char *data, size_t n)
{
    if (hlen > 0) {
        json_t *h = json_object();
        const char *p = memchr(hdrs, '\n', hlen), *end = hdrs + hlen;
        for (p = p ? p + 1 : end; p < end;) {
            const char *eol = memchr(p, '\n', (size_t)(end - p));
            if (!eol)
                eol = end;
            const char *colon = memchr(p, ':', (size_t)(eol - p));
            if (colon) {
                char *k = xstrndup(p, (size_t)(colon - p));
                const char *v = colon + 1, *ve = eol;
                while (v < ve && *v == ' ')
                    v++;
                while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
                    ve--;
                json_t *arr = json_object_get(h, k);
                if (!arr) {
                    arr = json_array();
                    json_object_set_new(h, k, arr);
                }
                json_array_append_new(arr, json_stringn(v, (size_t)(ve - v)));
                free(k);
            }
            p = eol + 1;
        }
        if (json_object_size(h))
            json_object_set(j, "headers", h);
        json_decref(h);
    }
    if (cli_is_printable(data, n)) {
        json_object_set_new(j, "data", json_stringn(data, n));
    } else {
        struct buf b;
        buf_init(&b);
        cli_b64_encode(&b, data, n, false);
        json_object_set_new(j, "data_base64", json_stringn(buf_head(&b), buf_size(&b)));
        buf_deinit(&b);
    }
}

/* Prints the header lines of a raw block, indented by <indent>. */
static void hdrs_print(const char *hdrs, size_t n, const char *indent)
{
    const char *p = memchr(hdrs, '\n', n);
    if (!p)
        return;
    for (p++; p < hdrs + n;) {
        const char *eol = memchr(p, '\n', (size_t)(hdrs + n - p));
        if (!eol)
            eol = hdrs + n;
        size_t len = (size_t)(eol - p);
        if (len && p[len - 1] == '\r')
            len--;
        if (len)
            printf("%s%.*s\n", indent, (int)len, p);
        p = eol + 1;
    }
}

static int get_run(struct cli_run *r)
{
    const char *stream = cli_arg(r, 0), *last = cli_str(r, "last-for", NULL);
    struct cli_smsg m;
    struct cli_jserr e;
    int64_t seq = 0;
    char ts[40];
    if (!last && (!cli_arg(r, 1) || cli_parse_int(cli_arg(r, 1), &seq) != 0 || seq < 1))
        return cli_fail("a message sequence (a positive number) or --last-for is required");
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    if (cli_js_msg_get(r, stream, (uint64_t)seq, last, &m, &e) != 0)
        return cli_js_fail(&e, NULL);
    if (cli_bool(r, "json", false)) {
        json_t *j = json_pack("{s:s,s:s,s:s,s:I,s:s}", "status", "ok", "stream", stream, "subject",
                              m.subject, "seq", (json_int_t)m.seq, "time",
                              cli_fmt_time(ts, sizeof(ts), m.ts));
        cli_json_add_body(j, buf_head(&m.hdrs), buf_size(&m.hdrs), buf_head(&m.data),
                          buf_size(&m.data));
        cli_json_print(j);
        json_decref(j);
    } else if (cli_bool(r, "raw", false)) {
        fwrite(buf_head(&m.data), 1, buf_size(&m.data), stdout);
    } else {
        printf("Item: %s#%llu received %s on Subject %s\n\n", stream, (unsigned long long)m.seq,
               cli_fmt_time(ts, sizeof(ts), m.ts), m.subject);
        if (buf_size(&m.hdrs)) {
            printf("Headers:\n");
            hdrs_print(buf_head(&m.hdrs), buf_size(&m.hdrs), "  ");
            printf("\n");
        }
        cli_body_print(buf_head(&m.data), buf_size(&m.data));
        printf("\n");
    }
    cli_smsg_free(&m);
    return 0;
}

static int rmm_run(struct cli_run *r)
{
    const char *stream = cli_arg(r, 0);
    int64_t seq;
    char q[300];
    json_t *resp = NULL;
    struct cli_jserr e;
    if (cli_parse_int(cli_arg(r, 1), &seq) != 0 || seq < 1)
        return cli_fail("invalid message sequence \"%s\"", cli_arg(r, 1));
    snprintf(q, sizeof(q), "Really remove message %lld from Stream %s", (long long)seq, stream);
    int rc = cli_confirm_or_force(r, q);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *req = json_pack("{s:I}", "seq", (json_int_t)seq);
    rc = cli_js_callf(r, &resp, &e, req, "$JS.API.STREAM.MSG.DELETE.%s", stream);
    json_decref(req);
    if (rc != 0)
        return cli_js_fail(&e, "could not remove message");
    json_decref(resp);
    if (cli_bool(r, "json", false)) {
        json_t *j =
            json_pack("{s:s,s:s,s:I}", "status", "ok", "stream", stream, "seq", (json_int_t)seq);
        cli_json_print(j);
        json_decref(j);
    }
    return 0;
}

/* ---- view ---- */

struct view_state {
    int64_t page; /* messages per page */
    int64_t shown;
    bool raw, json;
    bool stop; /* the user declined the next page */
};

static int view_cb(void *arg, natsMsg *m, const struct cli_jsmeta *meta)
{
    struct view_state *vs = arg;
    const char *data = natsMsg_GetData(m);
    size_t n = (size_t)natsMsg_GetDataLength(m);
    char ts[40];
    if (vs->json) {
        json_t *j = cli_msg_json(m);
        json_object_del(j, "reply");
        json_object_set_new(j, "stream", json_string(meta->stream));
        json_object_set_new(j, "seq", json_integer((json_int_t)meta->sseq));
        json_object_set_new(j, "time", json_string(cli_fmt_time(ts, sizeof(ts), meta->ts)));
        char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        printf("%s\n", s);
        free(s);
        json_decref(j);
    } else if (vs->raw) {
        fwrite(data, 1, n, stdout);
        fputc('\n', stdout);
    } else {
        printf("[%llu] Subject: %s Received: %s\n", (unsigned long long)meta->sseq,
               natsMsg_GetSubject(m), cli_fmt_time(ts, sizeof(ts), meta->ts));
        const char **keys = NULL;
        int nk = 0;
        if (natsMsgHeader_Keys(m, &keys, &nk) == NATS_OK) {
            for (int i = 0; i < nk; i++) {
                const char *v = NULL;
                if (natsMsgHeader_Get(m, keys[i], &v) == NATS_OK)
                    printf("  %s: %s\n", keys[i], v);
            }
            free((void *)keys);
        }
        printf("\n");
        cli_body_print(data, n);
        printf("\n");
    }
    vs->shown++;
    fflush(stdout);
    if (meta->pending > 0 && vs->shown % vs->page == 0 && cli_stdin_is_tty() && cli_is_tty()) {
        if (!cli_confirm("Next Page?", false)) {
            vs->stop = true;
            return 1;
        }
    }
    return 0;
}

static int view_run(struct cli_run *r)
{
    struct view_state vs = {0};
    struct cli_iter it = {.stream = cli_arg(r, 0), .filter = cli_str(r, "subject", NULL)};
    int64_t id, since;
    char when[40];
    vs.page = 10;
    if ((cli_arg(r, 1) && cli_parse_int(cli_arg(r, 1), &vs.page) != 0) || vs.page < 1)
        return cli_fail("invalid page size \"%s\"", cli_arg(r, 1));
    if (cli_int(r, "id", 0, &id) || cli_dur(r, "since", 0, &since))
        return CLI_EXIT_FAIL;
    vs.raw = cli_bool(r, "raw", false);
    vs.json = cli_bool(r, "json", false);
    if (id > 0) {
        it.deliver = "by_start_sequence";
        it.start_seq = (uint64_t)id;
    } else if (since > 0) {
        it.deliver = "by_start_time";
        it.start_time = cli_fmt_time(when, sizeof(when), cli_now_ns() - since);
    }
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    int rc = cli_js_iterate(r, &it, view_cb, &vs);
    if (rc == 0 && vs.shown == 0 && !vs.json && !vs.raw)
        printf("No messages in stream %s\n", it.stream);
    return rc;
}

/* ---- subjects ---- */

struct subj_count {
    const char *name;
    int64_t n;
};

static int by_count(const void *a, const void *b)
{
    const struct subj_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct subj_count *)a)->name, ((const struct subj_count *)b)->name);
}

static int subjects_run(struct cli_run *r)
{
    const char *stream = cli_arg(r, 0), *filter = cli_arg(r, 1) ? cli_arg(r, 1) : ">";
    struct cli_jserr e;
    char c[32];
    if (cli_connect(r) != 0)
        return CLI_EXIT_FAIL;
    json_t *req = json_pack("{s:s}", "subjects_filter", filter);
    json_t *info = cli_stream_info_get(r, stream, req, &e);
    json_decref(req);
    if (!info)
        return cli_js_fail(&e, NULL);
    json_t *subs = json_object_get(json_object_get(info, "state"), "subjects");
    if (cli_bool(r, "json", false)) {
        json_t *out = subs ? json_incref(subs) : json_object();
        cli_json_print(out);
        json_decref(out);
        json_decref(info);
        return 0;
    }
    size_t n = json_object_size(subs), i = 0;
    if (n == 0) {
        printf("No subjects found matching %s\n", filter);
        json_decref(info);
        return 0;
    }
    struct subj_count *arr = xcalloc(n, sizeof(*arr));
    const char *k;
    json_t *v;
    json_object_foreach(subs, k, v)
    {
        arr[i].name = k;
        arr[i++].n = (int64_t)json_integer_value(v);
    }
    bool name_sort = !strcmp(cli_str(r, "sort", "messages"), "name") ||
                     !strcmp(cli_str(r, "sort", "messages"), "subjects");
    qsort(arr, n, sizeof(*arr), name_sort ? by_name : by_count);
    if (cli_bool(r, "names", false)) {
        for (i = 0; i < n; i++)
            printf("%s\n", arr[cli_bool(r, "reverse", false) ? n - 1 - i : i].name);
    } else {
        struct cli_table t;
        char title[300];
        snprintf(title, sizeof(title), "%zu Subjects in stream %s", n, stream);
        cli_table_init(&t, title, 2, "Subject", "Count");
        for (i = 0; i < n; i++) {
            const struct subj_count *s = &arr[cli_bool(r, "reverse", false) ? n - 1 - i : i];
            cli_table_row(&t, s->name, cli_fmt_int(c, sizeof(c), s->n));
        }
        cli_table_print(&t);
    }
    free(arr);
    json_decref(info);
    return 0;
}

static const struct cli_flag get_flags[] = {
    {"last-for", 'S', CLI_STR, "SUBJECT", "Retrieves the last message for a specific subject"},
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {"raw", 0, CLI_BOOL, NULL, "Print only the message body"},
    {0},
};
static const struct cli_flag rmm_flags[] = {
    {"force", 'f', CLI_BOOL, NULL, "Force removal without prompting"},
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {0},
};
static const struct cli_flag view_flags[] = {
    {"id", 0, CLI_STR, "SEQUENCE", "Start at a specific message sequence"},
    {"since", 0, CLI_STR, "DURATION", "Delivers messages received since a duration ago"},
    {"raw", 0, CLI_BOOL, NULL, "Show the raw data received"},
    {"subject", 0, CLI_STR, "SUBJECT", "Filter the stream using a subject"},
    {"json", 'j', CLI_BOOL, NULL, "One JSON object per message"},
    {0},
};
static const struct cli_flag subjects_flags[] = {
    {"json", 'j', CLI_BOOL, NULL, "Produce JSON output"},
    {"sort", 0, CLI_STR, "name|messages", "Adjusts the sorting order (default messages)"},
    {"reverse", 'R', CLI_BOOL, NULL, "Reverse the sort order"},
    {"names", 0, CLI_BOOL, NULL, "List only subject names"},
    {0},
};

const struct cli_cmd cli_stream_get_cmd = {
    .name = "get",
    .help = "Retrieves a specific message from a stream",
    .args = "<stream> [<sequence>]",
    .min_args = 1,
    .max_args = 2,
    .flags = get_flags,
    .run = get_run,
};
const struct cli_cmd cli_stream_rmm_cmd = {
    .name = "rmm",
    .help = "Securely removes an individual message from a stream",
    .args = "<stream> <sequence>",
    .min_args = 2,
    .max_args = 2,
    .flags = rmm_flags,
    .run = rmm_run,
};
const struct cli_cmd cli_stream_view_cmd = {
    .name = "view",
    .help = "View messages in a stream",
    .args = "<stream> [<page size>]",
    .min_args = 1,
    .max_args = 2,
    .flags = view_flags,
    .run = view_run,
};
const struct cli_cmd cli_stream_subjects_cmd = {
    .name = "subjects",
    .aliases = "subj",
    .help = "Query subjects held in a stream",
    .args = "<stream> [<filter>]",
    .min_args = 1,
    .max_args = 2,
    .flags = subjects_flags,
    .run = subjects_run,
};
