/* JetStream API helpers: JSON requests on $JS.API.*, stored-message gets, publishes with
 * PubAcks, and reading a stream through an ephemeral push consumer.
 *
 * The CLI speaks the management API directly (as the nats CLI's jsm.go does) rather than
 * through libnats' JetStream layer: the replies are the JSON that --json prints, the error
 * texts and err_codes come straight from the server, and every API the server has is
 * reachable even where libnats 3.4 has no call for it.
 */
#include "cli.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void jserr_set(struct cli_jserr *e, int code, int err_code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void jserr_set(struct cli_jserr *e, int code, int err_code, const char *fmt, ...)
{
    va_list ap;
    e->code = code;
    e->err_code = err_code;
    va_start(ap, fmt);
    vsnprintf(e->desc, sizeof(e->desc), fmt, ap);
    va_end(ap);
}

/* Fills <e> from {"error":{...}} in <j>; returns true when there was one. */
static bool api_error(const json_t *j, struct cli_jserr *e)
{
    const json_t *err = json_object_get(j, "error");
    if (!err)
        return false;
    const char *d = json_string_value(json_object_get(err, "description"));
    jserr_set(e, (int)json_integer_value(json_object_get(err, "code")),
              (int)json_integer_value(json_object_get(err, "err_code")), "%s",
              d ? d : "unknown JetStream API error");
    return true;
}

int cli_js_call(struct cli_run *r, const char *subject, const json_t *req, json_t **resp,
                struct cli_jserr *e)
{
    char *body = req ? json_dumps(req, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    natsMsg *reply = NULL;
    json_error_t jerr;
    *resp = NULL;
    natsStatus s = natsConnection_Request(&reply, r->nc, subject, body ? body : "",
                                          body ? (int)strlen(body) : 0, r->timeout_ms);
    free(body);
    if (s == NATS_NO_RESPONDERS) {
        jserr_set(e, 503, 0, "JetStream not enabled (no responders for %s)", subject);
        return -1;
    }
    if (s == NATS_TIMEOUT) {
        jserr_set(e, 0, 0, "timeout waiting for a JetStream API response on %s", subject);
        return -1;
    }
    if (s != NATS_OK) {
        jserr_set(e, 0, 0, "JetStream API request failed: %s", cli_nats_err(s));
        return -1;
    }
    json_t *j = json_loadb(natsMsg_GetData(reply), (size_t)natsMsg_GetDataLength(reply), 0, &jerr);
    natsMsg_Destroy(reply);
    if (!j) {
        jserr_set(e, 0, 0, "invalid JSON in the JetStream API response: %s", jerr.text);
        return -1;
    }
    if (api_error(j, e)) {
        json_decref(j);
        return -1;
    }
    *resp = j;
    return 0;
}

int cli_js_callf(struct cli_run *r, json_t **resp, struct cli_jserr *e, const json_t *req,
                 const char *fmt, ...)
{
    char subject[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(subject, sizeof(subject), fmt, ap);
    va_end(ap);
    return cli_js_call(r, subject, req, resp, e);
}

int cli_js_fail(const struct cli_jserr *e, const char *what)
{
    if (what)
        return cli_fail("%s: %s", what, e->desc);
    return cli_fail("%s", e->desc);
}

int cli_jsmeta_parse(const char *reply, struct cli_jsmeta *m)
{
    char *copy, *save = NULL, *tok[16];
    int n = 0;
    if (!reply || strncmp(reply, "$JS.ACK.", 8) != 0)
        return -1;
    copy = xstrdup(reply);
    for (char *t = strtok_r(copy, ".", &save); t && n < 16; t = strtok_r(NULL, ".", &save))
        tok[n++] = t;
    int base;
    if (n == 9)
        base = 2;
    else if (n >= 11)
        base = 4; /* $JS.ACK.<domain>.<account hash>.<stream>... */
    else {
        free(copy);
        return -1;
    }
    snprintf(m->stream, sizeof(m->stream), "%s", tok[base]);
    snprintf(m->consumer, sizeof(m->consumer), "%s", tok[base + 1]);
    m->delivered = strtoull(tok[base + 2], NULL, 10);
    m->sseq = strtoull(tok[base + 3], NULL, 10);
    m->cseq = strtoull(tok[base + 4], NULL, 10);
    m->ts = strtoll(tok[base + 5], NULL, 10);
    m->pending = strtoull(tok[base + 6], NULL, 10);
    free(copy);
    return 0;
}

/* ---- reading a stream ---- */

static json_t *iter_config(const struct cli_iter *it, const char *inbox)
{
    json_t *cfg = json_object();
    json_object_set_new(cfg, "deliver_subject", json_string(inbox));
    json_object_set_new(cfg, "deliver_policy", json_string(it->deliver ? it->deliver : "all"));
    if (it->deliver && !strcmp(it->deliver, "by_start_sequence"))
        json_object_set_new(cfg, "opt_start_seq", json_integer((json_int_t)it->start_seq));
    if (it->deliver && !strcmp(it->deliver, "by_start_time"))
        json_object_set_new(cfg, "opt_start_time", json_string(it->start_time));
    json_object_set_new(cfg, "ack_policy", json_string("none"));
    json_object_set_new(cfg, "replay_policy", json_string("instant"));
    if (it->filter && *it->filter && strcmp(it->filter, ">") != 0)
        json_object_set_new(cfg, "filter_subject", json_string(it->filter));
    if (it->headers_only)
        json_object_set_new(cfg, "headers_only", json_true());
    json_t *req = json_object();
    json_object_set_new(req, "stream_name", json_string(it->stream));
    json_object_set_new(req, "config", cfg);
    return req;
}

/* Returns whether <m> is a status message (heartbeat, flow control) rather than data. */
static bool is_status(natsMsg *m)
{
    const char *st = NULL;
    if (natsMsg_GetDataLength(m) != 0)
        return false;
    return natsMsgHeader_Get(m, "Status", &st) == NATS_OK && st != NULL;
}

static int iter_loop(struct cli_run *r, const struct cli_iter *it, natsSubscription *sub,
                     cli_iter_cb cb, void *arg)
{
    for (;;) {
        natsMsg *m = NULL;
        natsStatus s = natsSubscription_NextMsg(&m, sub, it->follow ? 60000 : r->timeout_ms);
        if (s == NATS_TIMEOUT && it->follow)
            continue;
        if (s != NATS_OK)
            return cli_fail("reading stream %s failed: %s", it->stream, cli_nats_err(s));
        if (is_status(m)) {
            const char *fc = natsMsg_GetReply(m);
            if (fc && *fc) /* flow control asks for an empty reply */
                natsConnection_Publish(r->nc, fc, NULL, 0);
            natsMsg_Destroy(m);
            continue;
        }
        struct cli_jsmeta meta;
        if (cli_jsmeta_parse(natsMsg_GetReply(m), &meta) != 0) {
            natsMsg_Destroy(m);
            continue;
        }
        int stop = cb(arg, m, &meta);
        natsMsg_Destroy(m);
        if (stop || (!it->follow && meta.pending == 0))
            return 0;
    }
}

int cli_js_iterate(struct cli_run *r, const struct cli_iter *it, cli_iter_cb cb, void *arg)
{
    natsInbox *inbox = NULL;
    natsSubscription *sub = NULL;
    json_t *resp = NULL;
    struct cli_jserr e;
    int rc = CLI_EXIT_FAIL;

    if (natsInbox_Create(&inbox) != NATS_OK ||
        natsConnection_SubscribeSync(&sub, r->nc, inbox) != NATS_OK) {
        rc = cli_fail("could not subscribe to read stream %s", it->stream);
        goto out;
    }
    natsSubscription_SetPendingLimits(sub, -1, -1);
    json_t *req = iter_config(it, inbox);
    int c = cli_js_callf(r, &resp, &e, req, "$JS.API.CONSUMER.CREATE.%s", it->stream);
    json_decref(req);
    if (c != 0) {
        rc = cli_js_fail(&e, NULL);
        goto out;
    }
    const char *name = json_string_value(json_object_get(resp, "name"));
    uint64_t pending = (uint64_t)json_integer_value(json_object_get(resp, "num_pending"));
    rc = (pending == 0 && !it->follow) ? 0 : iter_loop(r, it, sub, cb, arg);
    if (name) {
        json_t *del = NULL;
        if (cli_js_callf(r, &del, &e, NULL, "$JS.API.CONSUMER.DELETE.%s.%s", it->stream, name) == 0)
            json_decref(del);
    }
out:
    json_decref(resp);
    natsSubscription_Destroy(sub);
    natsInbox_Destroy(inbox);
    return rc;
}

/* ---- stored messages ---- */

int cli_js_msg_get(struct cli_run *r, const char *stream, uint64_t seq, const char *last_subj,
                   struct cli_smsg *m, struct cli_jserr *e)
{
    json_t *req = json_object(), *resp = NULL;
    memset(m, 0, sizeof(*m));
    if (last_subj)
        json_object_set_new(req, "last_by_subj", json_string(last_subj));
    else
        json_object_set_new(req, "seq", json_integer((json_int_t)seq));
    int c = cli_js_callf(r, &resp, e, req, "$JS.API.STREAM.MSG.GET.%s", stream);
    json_decref(req);
    if (c != 0)
        return -1;
    const json_t *msg = json_object_get(resp, "message");
    const char *hdrs = json_string_value(json_object_get(msg, "hdrs"));
    const char *data = json_string_value(json_object_get(msg, "data"));
    m->subject = xstrdup(json_string_value(json_object_get(msg, "subject")));
    m->seq = (uint64_t)json_integer_value(json_object_get(msg, "seq"));
    m->ts = cli_parse_time(json_string_value(json_object_get(msg, "time")));
    buf_init(&m->hdrs);
    buf_init(&m->data);
    if ((hdrs && cli_b64_decode(&m->hdrs, hdrs, strlen(hdrs)) != 0) ||
        (data && cli_b64_decode(&m->data, data, strlen(data)) != 0)) {
        json_decref(resp);
        cli_smsg_free(m);
        jserr_set(e, 0, 0, "invalid base64 in the stored message");
        return -1;
    }
    json_decref(resp);
    return 0;
}

void cli_smsg_free(struct cli_smsg *m)
{
    FREE_AND_NULL(m->subject);
    buf_deinit(&m->hdrs);
    buf_deinit(&m->data);
}

char *cli_hdr_get(const char *hdrs, size_t n, const char *name)
{
    size_t nl = strlen(name);
    const char *p = hdrs, *end = hdrs + n;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        return NULL;
    for (p = eol + 1; p < end; p = eol + 1) {
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const char *colon = memchr(p, ':', (size_t)(eol - p));
        if (colon && (size_t)(colon - p) == nl && strncasecmp(p, name, nl) == 0) {
            const char *v = colon + 1, *ve = eol;
            while (v < ve && *v == ' ')
                v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
                ve--;
            return xstrndup(v, (size_t)(ve - v));
        }
        if (eol == end)
            break;
    }
    return NULL;
}

int cli_js_publish(struct cli_run *r, natsMsg *msg, uint64_t *seq, json_t **ack,
                   struct cli_jserr *e)
{
    natsMsg *reply = NULL;
    json_error_t jerr;
    if (ack)
        *ack = NULL;
    natsStatus s = natsConnection_RequestMsg(&reply, r->nc, msg, r->timeout_ms);
    if (s == NATS_NO_RESPONDERS) {
        jserr_set(e, 503, 0, "no stream matches subject \"%s\"", natsMsg_GetSubject(msg));
        return -1;
    }
    if (s != NATS_OK) {
        jserr_set(e, 0, 0, "publish to %s failed: %s", natsMsg_GetSubject(msg), cli_nats_err(s));
        return -1;
    }
    json_t *j = json_loadb(natsMsg_GetData(reply), (size_t)natsMsg_GetDataLength(reply), 0, &jerr);
    natsMsg_Destroy(reply);
    if (!j) {
        jserr_set(e, 0, 0, "invalid PubAck from the server: %s", jerr.text);
        return -1;
    }
    if (api_error(j, e)) {
        json_decref(j);
        return -1;
    }
    *seq = (uint64_t)json_integer_value(json_object_get(j, "seq"));
    if (ack)
        *ack = j;
    else
        json_decref(j);
    return 0;
}

json_t *cli_js_list_all(struct cli_run *r, const char *api, const char *field, const char *subject,
                        struct cli_jserr *e)
{
    json_t *all = json_array();
    for (int64_t offset = 0;;) {
        json_t *req = json_pack("{s:I}", "offset", (json_int_t)offset), *resp = NULL;
        if (subject)
            json_object_set_new(req, "subject", json_string(subject));
        int rc = cli_js_call(r, api, req, &resp, e);
        json_decref(req);
        if (rc != 0) {
            json_decref(all);
            return NULL;
        }
        json_t *page = json_object_get(resp, field);
        size_t n = json_array_size(page);
        json_array_extend(all, page);
        offset += (int64_t)n;
        json_t *tot = json_object_get(resp, "total");
        int64_t total = json_is_integer(tot) ? (int64_t)json_integer_value(tot) : 0;
        json_decref(resp);
        if (n == 0 || offset >= total)
            break;
    }
    return all;
}
