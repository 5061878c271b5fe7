/* Consumer API output as nats-server 2.9.10 writes it: ConsumerInfo and the
 * CONSUMER.* responses (json.Marshal member order, omitempty), the consumer
 * advisories and ack metric, the status header blocks of push and pull
 * delivery (fmt templates of consumer.go, so the spacing and wording are
 * exact); and the acks: the $JS.ACK reply subject in both directions and the
 * ack bodies, whose NAK delays go through Go's time.ParseDuration rules.
 */
#include "jetstream/js_consumer_int.h"
#include "jetstream/js_json_int.h"
#include "util/clock.h"

#include <stdio.h>
#include <string.h>

#define TYPE_PFX "io.nats.jetstream.api.v1."
#define ADV_PFX  "io.nats.jetstream.advisory.v1."

/* ---- ConsumerInfo ---- */

static void seq_info_json(struct buf *b, const char *key, const struct js_sequence_info *s)
{
    jsj__key(b, key);
    buf_append_char(b, '{');
    jsj__kv_u64(b, "consumer_seq", s->consumer_seq);
    jsj__kv_u64(b, "stream_seq", s->stream_seq);
    if (s->last_active)
        jsj__kv_time(b, "last_active", s->last_active);
    buf_append_char(b, '}');
}

void js_consumer_info_fields(struct buf *b, const struct js_consumer_info *ci)
{
    jsj__kv_str(b, "stream_name", ci->stream_name);
    jsj__kv_str(b, "name", ci->name);
    jsj__kv_time(b, "created", ci->created);
    if (ci->config) {
        jsj__key(b, "config");
        js_consumer_config_json(b, ci->config);
    }
    seq_info_json(b, "delivered", &ci->delivered);
    seq_info_json(b, "ack_floor", &ci->ack_floor);
    jsj__kv_i64(b, "num_ack_pending", ci->num_ack_pending);
    jsj__kv_i64(b, "num_redelivered", ci->num_redelivered);
    jsj__kv_i64(b, "num_waiting", ci->num_waiting);
    jsj__kv_u64(b, "num_pending", ci->num_pending);
    if (ci->push_bound)
        jsj__kv_bool(b, "push_bound", true);
}

void js_consumer_info_json(struct buf *b, const struct js_consumer_info *ci)
{
    buf_append_char(b, '{');
    js_consumer_info_fields(b, ci);
    buf_append_char(b, '}');
}

/* ---- responses ---- */

static void begin(struct buf *b, enum js_resp_type t)
{
    buf_append_str(b, "{\"type\":\"");
    buf_append_str(b, js_resp_type_str(t));
    buf_append_char(b, '"');
}

static void paged(struct buf *b, int64_t total, int64_t offset, int64_t limit)
{
    jsj__kv_i64(b, "total", total);
    jsj__kv_i64(b, "offset", offset);
    jsj__kv_i64(b, "limit", limit);
}

void js_resp_consumer_create(struct buf *b, const struct js_consumer_info *ci)
{
    begin(b, JS_RESP_CONSUMER_CREATE);
    js_consumer_info_fields(b, ci);
    buf_append_char(b, '}');
}

void js_resp_consumer_info(struct buf *b, const struct js_consumer_info *ci)
{
    begin(b, JS_RESP_CONSUMER_INFO);
    js_consumer_info_fields(b, ci);
    buf_append_char(b, '}');
}

void js_resp_consumer_names(struct buf *b, int64_t total, int64_t offset, int64_t limit,
                            const char *const *names, size_t n)
{
    begin(b, JS_RESP_CONSUMER_NAMES);
    paged(b, total, offset, limit);
    jsj__key(b, "consumers");
    jsj__strv_json(b, names, n);
    buf_append_char(b, '}');
}

void js_resp_consumer_list(struct buf *b, int64_t total, int64_t offset, int64_t limit,
                           const struct js_consumer_info *infos, size_t n,
                           const char *const *missing, size_t nmissing)
{
    begin(b, JS_RESP_CONSUMER_LIST);
    paged(b, total, offset, limit);
    jsj__key(b, "consumers");
    buf_append_char(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_append_char(b, ',');
        js_consumer_info_json(b, &infos[i]);
    }
    buf_append_char(b, ']');
    if (nmissing) {
        jsj__key(b, "missing");
        jsj__strv_json(b, missing, nmissing);
    }
    buf_append_char(b, '}');
}

void js_resp_consumer_error(struct buf *b, enum js_resp_type t, enum js_err e, const char *desc)
{
    if (t != JS_RESP_CONSUMER_NAMES && t != JS_RESP_CONSUMER_LIST) {
        js_resp_error(b, t, e, desc);
        return;
    }
    /* 2.9.10 starts both responses with an empty, non-nil slice. */
    begin(b, t);
    js_err_json_desc(b, e, desc);
    paged(b, 0, 0, 0);
    buf_append_str(b, ",\"consumers\":[]}");
}

/* ---- advisories ---- */

static void event_head(struct buf *b, const char *type, const char *id, int64_t ts,
                       const char *stream, const char *consumer)
{
    buf_append_str(b, "{\"type\":\"");
    buf_append_str(b, type);
    buf_append_char(b, '"');
    jsj__kv_str(b, "id", id);
    jsj__kv_time(b, "timestamp", ts);
    jsj__kv_str(b, "stream", stream);
    jsj__kv_str(b, "consumer", consumer);
}

static void event_tail(struct buf *b, const char *domain)
{
    if (jsj__has(domain))
        jsj__kv_str(b, "domain", domain);
    buf_append_char(b, '}');
}

void js_advisory_consumer_action(struct buf *b, const char *id, int64_t ts, const char *stream,
                                 const char *consumer, const char *action, const char *domain)
{
    event_head(b, ADV_PFX "consumer_action", id, ts, stream, consumer);
    jsj__kv_str(b, "action", action);
    event_tail(b, domain);
}

void js_advisory_consumer_delivery(struct buf *b, enum js_delivery_event ev, const char *id,
                                   int64_t ts, const char *stream, const char *consumer,
                                   uint64_t cseq, uint64_t sseq, uint64_t deliveries,
                                   const char *domain)
{
    static const char *const types[] = {ADV_PFX "nak", ADV_PFX "terminated", ADV_PFX "max_deliver"};
    event_head(b, types[(unsigned)ev % 3], id, ts, stream, consumer);
    if (ev != JS_EVENT_MAX_DELIVER)
        jsj__kv_u64(b, "consumer_seq", cseq);
    jsj__kv_u64(b, "stream_seq", sseq);
    jsj__kv_u64(b, "deliveries", deliveries);
    event_tail(b, domain);
}

void js_metric_consumer_ack(struct buf *b, const char *id, int64_t ts, const char *stream,
                            const char *consumer, uint64_t cseq, uint64_t sseq, int64_t ack_time,
                            uint64_t deliveries, const char *domain)
{
    event_head(b, "io.nats.jetstream.metric.v1.consumer_ack", id, ts, stream, consumer);
    jsj__kv_u64(b, "consumer_seq", cseq);
    jsj__kv_u64(b, "stream_seq", sseq);
    jsj__kv_i64(b, "ack_time", ack_time);
    jsj__kv_u64(b, "deliveries", deliveries);
    event_tail(b, domain);
}

/* ---- status header blocks ---- */

static const char *const status_line[JS_STATUS__COUNT] = {
    [JS_STATUS_FLOW_CONTROL] = "100 FlowControl Request",
    [JS_STATUS_NO_MESSAGES] = "404 No Messages",
    [JS_STATUS_REQUESTS_PENDING] = "408 Requests Pending",
    [JS_STATUS_CONSUMER_DELETED] = "409 Consumer Deleted",
    [JS_STATUS_LEADERSHIP_CHANGE] = "409 Leadership Change",
    [JS_STATUS_PUSH_BASED] = "409 Consumer is push based",
    [JS_STATUS_MAX_WAITING] = "409 Exceeded MaxWaiting",
    [JS_STATUS_REQUEST_TIMEOUT] = "408 Request Timeout",
    [JS_STATUS_INTEREST_EXPIRED] = "408 Interest Expired",
    [JS_STATUS_MSG_SIZE_EXCEEDS] = "409 Message Size Exceeds MaxBytes",
};

void js_status_block(struct buf *b, enum js_status s, int64_t msgs, int64_t bytes)
{
    if ((unsigned)s >= JS_STATUS__COUNT)
        s = JS_STATUS_REQUEST_TIMEOUT;
    buf_append_str(b, "NATS/1.0 ");
    buf_append_str(b, status_line[s]);
    buf_append_str(b, "\r\n");
    if (s >= JS_STATUS_REQUEST_TIMEOUT)
        buf_appendf(b, "Nats-Pending-Messages: %lld\r\nNats-Pending-Bytes: %lld\r\n",
                    (long long)msgs, (long long)bytes);
    buf_append_str(b, "\r\n");
}

void js_status_idle_heartbeat(struct buf *b, uint64_t last_cseq, uint64_t last_sseq,
                              const char *stalled)
{
    buf_appendf(b,
                "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: %llu\r\n"
                "Nats-Last-Stream: %llu\r\n",
                (unsigned long long)last_cseq, (unsigned long long)last_sseq);
    if (jsj__has(stalled)) {
        buf_append_str(b, "Nats-Consumer-Stalled: ");
        buf_append_str(b, stalled);
        buf_append_str(b, "\r\n");
    }
    buf_append_str(b, "\r\n");
}

void js_status_exceeded_batch(struct buf *b, int64_t n)
{
    buf_appendf(b, "NATS/1.0 409 Exceeded MaxRequestBatch of %lld\r\n\r\n", (long long)n);
}

void js_status_exceeded_expires(struct buf *b, int64_t ns)
{
    char d[64];
    clock_fmt_duration(ns, d, sizeof(d));
    buf_appendf(b, "NATS/1.0 409 Exceeded MaxRequestExpires of %s\r\n\r\n", d);
}

void js_status_exceeded_max_bytes(struct buf *b, int64_t n)
{
    buf_appendf(b, "NATS/1.0 409 Exceeded MaxRequestMaxBytes of %lld\r\n\r\n", (long long)n);
}

void js_status_bad_request(struct buf *b, const char *err)
{
    buf_append_str(b, "NATS/1.0 400 Bad Request - ");
    buf_append_str(b, jsj__s(err));
    buf_append_str(b, "\r\n\r\n");
}

/* ---- ack reply subjects ---- */

void js_ack_reply_build(struct buf *b, const char *stream, const char *consumer, uint64_t delivered,
                        uint64_t sseq, uint64_t cseq, int64_t ts, uint64_t pending)
{
    buf_append_str(b, "$JS.ACK.");
    buf_append_str(b, jsj__s(stream));
    buf_append_char(b, '.');
    buf_append_str(b, jsj__s(consumer));
    /* Hot path (every delivery): digits by hand instead of printf. */
    char tmp[5 * 21], *e = tmp + sizeof(tmp), *p = e;
    uint64_t v[5] = {pending, ts < 0 ? 0 : (uint64_t)ts, cseq, sseq, delivered};
    for (int i = 0; i < 5; i++) {
        do {
            *--p = (char)('0' + v[i] % 10);
            v[i] /= 10;
        } while (v[i]);
        *--p = '.';
    }
    buf_append(b, p, (size_t)(e - p));
}

/* parseAckReplyNum, but refusing what would not fit an int64. */
static int ack_num(const char *p, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        uint64_t d = (uint64_t)(p[i] - '0');
        if (v > ((uint64_t)INT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int js_ack_reply_parse(const char *subject, size_t len, struct js_ack_reply *out)
{
    const char *t[9];
    size_t l[9], n = 0, start = 0;
    uint64_t ts = 0;
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i <= len; i++) {
        if (i < len && subject[i] != '.')
            continue;
        if (n == 9)
            return ERR_PARSE;
        t[n] = subject + start;
        l[n++] = i - start;
        start = i + 1;
    }
    if (n != 9 || l[0] != 3 || memcmp(t[0], "$JS", 3) != 0 || l[1] != 3 ||
        memcmp(t[1], "ACK", 3) != 0)
        return ERR_PARSE;
    out->stream = t[2], out->stream_len = l[2];
    out->consumer = t[3], out->consumer_len = l[3];
    if (ack_num(t[4], l[4], &out->delivered) < 0 || ack_num(t[5], l[5], &out->sseq) < 0 ||
        ack_num(t[6], l[6], &out->cseq) < 0 || ack_num(t[7], l[7], &ts) < 0 ||
        ack_num(t[8], l[8], &out->pending) < 0)
        return ERR_INVAL;
    out->ts = (int64_t)ts;
    return 0;
}

/* ---- ack bodies ---- */

/* time.ParseDuration: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+ or "0". */
static int go_parse_duration(const char *s, size_t n, int64_t *out)
{
    static const struct {
        const char *u;
        uint64_t ns;
    } units[] = {
        {"ns", 1},       {"us", 1000},      {"\xc2\xb5s", 1000},   {"\xce\xbcs", 1000},
        {"ms", 1000000}, {"s", 1000000000}, {"m", 60000000000ULL}, {"h", 3600000000000ULL}};
    const uint64_t max = (uint64_t)1 << 63;
    size_t i = 0;
    uint64_t d = 0;
    bool neg = n > 0 && s[0] == '-';
    if (n > 0 && (s[0] == '-' || s[0] == '+'))
        i++;
    if (n - i == 1 && s[i] == '0')
        return *out = 0, 0;
    if (i == n)
        return -1;
    while (i < n) {
        uint64_t v = 0, f = 0;
        double scale = 1;
        size_t st = i, unit_len = 0, k;
        if (!(s[i] == '.' || (s[i] >= '0' && s[i] <= '9')))
            return -1;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            if (v > max / 10)
                return -1;
            v = v * 10 + (uint64_t)(s[i] - '0');
            if (v > max)
                return -1;
        }
        bool pre = i != st, post = false, over = false;
        if (i < n && s[i] == '.') {
            for (st = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
                if (over || f > (max - 1) / 10 || f * 10 + (uint64_t)(s[i] - '0') > max) {
                    over = true;
                    continue;
                }
                f = f * 10 + (uint64_t)(s[i] - '0');
                scale *= 10;
            }
            post = i != st;
        }
        if (!pre && !post)
            return -1;
        while (i + unit_len < n && s[i + unit_len] != '.' &&
               !(s[i + unit_len] >= '0' && s[i + unit_len] <= '9'))
            unit_len++;
        for (k = 0; k < sizeof(units) / sizeof(units[0]); k++)
            if (strlen(units[k].u) == unit_len && memcmp(units[k].u, s + i, unit_len) == 0)
                break;
        if (unit_len == 0 || k == sizeof(units) / sizeof(units[0]) || v > max / units[k].ns)
            return -1;
        i += unit_len;
        v *= units[k].ns;
        if (f > 0 && (v += (uint64_t)((double)f * ((double)units[k].ns / scale))) > max)
            return -1;
        if ((d += v) > max)
            return -1;
    }
    if (!neg && d > max - 1)
        return -1;
    *out = neg ? (int64_t)(0 - d) : (int64_t)d;
    return 0;
}

static bool body_is(const char *b, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(b, lit, n) == 0;
}

static bool body_has_prefix(const char *b, size_t n, const char *lit)
{
    return n >= strlen(lit) && memcmp(b, lit, strlen(lit)) == 0;
}

/* The delay of "-NAK <arg>": {"delay":ns} or a Go duration. */
static void nak_delay(const char *p, size_t n, struct js_ack_body *out)
{
    static const struct jsc__go_field delay_field[] = {{"delay", "time.Duration"}};
    int64_t v = 0;
    jsc__trim_space(&p, &n);
    if (n == 0)
        return;
    if (p[0] == '{') {
        struct buf e;
        buf_init(&e);
        int rc = jsc__go_json_valid(p, n, &e) < 0
                     ? -1
                     : jsc__go_decode(p, n, delay_field, 1, &v, "ConsumerNakOptions", &e);
        buf_deinit(&e);
        if (rc < 0)
            return;
    } else if (go_parse_duration(p, n, &v) < 0) {
        return;
    }
    out->has_delay = true;
    out->delay = v;
}

void js_ack_body_parse(const char *body, size_t len, struct js_ack_body *out)
{
    memset(out, 0, sizeof(*out));
    if (body == NULL)
        len = 0;
    if (len == 0 || body_is(body, len, "+ACK") || body_is(body, len, "+OK")) {
        out->op = JS_ACK_OP_ACK;
    } else if (body_has_prefix(body, len, "+NXT")) {
        out->op = JS_ACK_OP_NEXT;
        out->next = body + 4;
        out->next_len = len - 4;
    } else if (body_has_prefix(body, len, "-NAK")) {
        out->op = JS_ACK_OP_NAK;
        nak_delay(body + 4, len - 4, out);
    } else if (body_is(body, len, "+WPI")) {
        out->op = JS_ACK_OP_PROGRESS;
    } else if (body_is(body, len, "+TERM")) {
        out->op = JS_ACK_OP_TERM;
    } else {
        out->op = JS_ACK_OP_IGNORE;
    }
}
