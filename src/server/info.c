/* The INFO line: built once at start-up up to the per-client fields, then
 * completed with client_id and client_ip for each connection. */
#include "server/server_int.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

/* Appends <s> as a JSON string literal. */
static void json_str(struct buf *b, const char *s)
{
    buf_append_char(b, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            buf_append_char(b, '\\');
            buf_append_char(b, (char)ch);
        } else if (ch < 0x20) {
            buf_appendf(b, "\\u%04x", ch);
        } else {
            buf_append_char(b, (char)ch);
        }
    }
    buf_append_char(b, '"');
}

void info__build(struct server *s)
{
    const struct conf_opts *o = s->opts;
    struct buf b;
    buf_init(&b);
    buf_append_str(&b, "INFO {\"server_id\":");
    json_str(&b, s->server_id);
    buf_append_str(&b, ",\"server_name\":");
    json_str(&b, s->server_name);
    buf_append_str(&b, ",\"version\":\"" GANNET_NATS_COMPAT_VERSION "\",\"proto\":1");
    buf_append_str(&b, ",\"go\":\"gannet " GANNET_OWN_VERSION "\",\"host\":");
    json_str(&b, o->host ? o->host : "0.0.0.0");
    buf_appendf(&b, ",\"port\":%d,\"headers\":%s", s->port,
                o->no_header_support ? "false" : "true");
    if (auth_is_required(s->auth))
        buf_append_str(&b, ",\"auth_required\":true");
    buf_appendf(&b, ",\"max_payload\":%lld", (long long)o->max_payload);
    if (o->jetstream)
        buf_append_str(&b, ",\"jetstream\":true");
    if (o->js_domain && *o->js_domain) {
        buf_append_str(&b, ",\"domain\":");
        json_str(&b, o->js_domain);
    }
    s->info_prefix = xstrndup(buf_head(&b), buf_size(&b));
    s->info_prefix_len = buf_size(&b);
    buf_deinit(&b);
}

void info__send(struct client *c, bool ldm)
{
    struct buf b;
    buf_init(&b);
    buf_append(&b, c->srv->info_prefix, c->srv->info_prefix_len);
    buf_appendf(&b, ",\"client_id\":%llu,\"client_ip\":", (unsigned long long)c->cid);
    json_str(&b, c->ip);
    if (ldm)
        buf_append_str(&b, ",\"ldm\":true");
    buf_append_str(&b, "} \r\n"); /* nats-server ends INFO with a space */
    client__send_raw(c, buf_head(&b), buf_size(&b));
    buf_deinit(&b);
}
