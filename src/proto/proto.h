/* NATS client protocol: a pure, incremental parser (bytes in, one command
 * struct out; it never reads sockets or sends replies) and the encoders for
 * what the server writes (MSG/HMSG headers, INFO, -ERR), plus CONNECT JSON
 * decoding.
 *
 * Parser contract: proto_parse() looks at the bytes a connection has
 * buffered and either returns one whole command (slices point into the
 * buffer), asks for more bytes, or reports an error that the server turns
 * into the matching -ERR. Verbs are case-insensitive; arguments are split on
 * runs of spaces and tabs, as nats-server does. docs/PROTOCOL-NOTES.md lists
 * what nats-server 2.9.10 does on the wire for every malformed input.
 */
#ifndef GN_PROTO_H
#define GN_PROTO_H

#include "util/buf.h"
#include "util/err.h"
#include "util/slice.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fixed server lines. */
#define PROTO_PING    "PING\r\n"
#define PROTO_PONG    "PONG\r\n"
#define PROTO_OK      "+OK\r\n"
#define PROTO_CRLF    "\r\n"
#define PROTO_PING_SZ 6
#define PROTO_PONG_SZ 6
#define PROTO_OK_SZ   5

enum proto_op {
    PROTO_OP_NONE = 0,
    PROTO_OP_CONNECT, /* json = the text after "CONNECT" and blanks (may be empty) */
    PROTO_OP_PUB,     /* subject, reply (len 0 if none), payload */
    PROTO_OP_HPUB,    /* subject, reply, payload (headers then body), hdr_len */
    PROTO_OP_SUB,     /* subject, queue (len 0 if none), sid */
    PROTO_OP_UNSUB,   /* sid, max_msgs (-1 if absent or not a valid size) */
    PROTO_OP_PING,    /* anything after "PING" up to the newline is ignored */
    PROTO_OP_PONG,    /* likewise */
    PROTO_OP_INFO,    /* json (sent by servers; nats-server accepts it from clients) */
    PROTO_OP_MSG,     /* subject, sid, reply, payload (only with allow_msg) */
    PROTO_OP_HMSG,    /* subject, sid, reply, payload, hdr_len (only with allow_msg) */
    PROTO_OP_OK,      /* +OK (anything after it up to the newline is ignored) */
    PROTO_OP_ERR,     /* -ERR; json holds the text after "-ERR " */
};

/* Why a parse failed. Every parse error closes the connection in
 * nats-server; proto_err_text() says whether an -ERR goes out first. */
enum proto_err {
    PROTO_ERR_NONE = 0,
    PROTO_ERR_UNKNOWN_OP, /* bad verb or byte at line start: -ERR 'Unknown Protocol Operation' */
    PROTO_ERR_MAX_CONTROL_LINE, /* arguments > max_control_line: -ERR 'maximum control line
                                   exceeded' */
    PROTO_ERR_MAX_PAYLOAD,      /* PUB/HPUB size > max_payload: -ERR 'Maximum Payload Violation' */
    PROTO_ERR_BAD_ARGS,         /* wrong argument count: no -ERR, just close */
    PROTO_ERR_BAD_SIZE,         /* size not 1-9 decimal digits: no -ERR, just close */
    PROTO_ERR_BAD_HEADER_SIZE,  /* HPUB header length > total length: no -ERR, just close */
    PROTO_ERR_BAD_TRAILER, /* payload not followed by CRLF: -ERR 'Unknown Protocol Operation' */
};

struct proto_cmd {
    enum proto_op op;       /* the command; on error, the verb if it was recognised */
    struct slice subject;   /* PUB/HPUB/SUB/MSG/HMSG */
    struct slice reply;     /* PUB/HPUB/MSG/HMSG reply subject, len 0 if none */
    struct slice queue;     /* SUB queue group, len 0 if none */
    struct slice sid;       /* SUB/UNSUB/MSG/HMSG subscription id */
    struct slice payload;   /* PUB/HPUB/MSG/HMSG: headers+body, without trailing CRLF */
    struct slice json;      /* CONNECT/INFO/-ERR argument text */
    size_t hdr_len;         /* HPUB/HMSG: header bytes at the start of payload */
    struct slice hdr_text;  /* HPUB/HMSG: the header size digits as sent ("018") */
    struct slice size_text; /* PUB/HPUB/MSG/HMSG: the total size digits as sent */
    int64_t max_msgs;       /* UNSUB: auto-unsubscribe count; -1 when absent or invalid
                               (nats-server then unsubscribes at once, as it does for 0) */
};

struct proto_limits {
    size_t max_control_line; /* longest argument text accepted (4096 default); 0 = no limit */
    size_t max_payload;      /* largest PUB/HPUB/MSG/HMSG total accepted (1 MiB default);
                                0 = no limit beyond the 9-digit size syntax */
    bool allow_msg;          /* accept MSG/HMSG (client side); when false (a server) they
                                are PROTO_ERR_UNKNOWN_OP, as on nats-server's client port */
};

/* Parses one command from <buf>[0..<len>) under the limits <lim>.
 * Returns:
 *   >0  bytes consumed; <cmd> holds the command (slices into <buf>);
 *    0  incomplete: *<need> is the total byte count needed from <buf> when
 *       known (a PUB whose control line is complete; <cmd> then already
 *       holds its op and arguments, payload empty), else 0;
 *   <0  ERR_PARSE; *<perr> says which and <cmd>->op names the verb when it
 *       was recognised. The bytes are not consumed.
 * A control line ends at "\n"; one "\r" before it is dropped, so a bare
 * "\n" works as in nats-server, but a payload must end in exactly "\r\n".
 * Leading blanks or empty lines are NOT tolerated (nats-server answers
 * 'Unknown Protocol Operation'). Errors are reported as soon as the bytes
 * present prove them (a bad verb, a too-long argument text, a bad byte
 * after the payload), so a prefix of a bad command returns 0 or the same
 * error. Any line longer than max_control_line + 1024 bytes before its
 * newline (or with none yet) is PROTO_ERR_MAX_CONTROL_LINE whatever its verb:
 * a memory bound, where nats-server lets "PING<junk>" run on.
 * Pure; any thread. */
int proto_parse(const struct proto_limits *lim, const char *buf, size_t len, struct proto_cmd *cmd,
                size_t *need, enum proto_err *perr) WARN_UNUSED;

/* nats-server's -ERR text (without quotes) for <e>, or NULL when
 * nats-server closes the connection without sending an -ERR. */
const char *proto_err_text(enum proto_err e);
/* A short description of <e> for the server log ("Bad or Missing Size"). */
const char *proto_err_reason(enum proto_err e);

/* ---- encoders ---- */

/* Longest decimal form of a uint64_t. */
#define PROTO_U64_DIGITS 20

/* Writes the decimal form of <v> (no NUL) into <out>, which must have room
 * for PROTO_U64_DIGITS bytes. Returns the number of digits. */
size_t proto_u64_dec(char *out, uint64_t v);

/* Writes the control line of a MSG (<hdr_len> < 0) or HMSG (<hdr_len> >= 0)
 * into <out>: "MSG <subj> <sid> [<reply> ]<total>\r\n" or
 * "HMSG <subj> <sid> [<reply> ]<hdr_len> <total>\r\n". An empty <reply> adds
 * nothing: that is what nats-server 2.9.10 sends for client publishes (its
 * JetStream PubAck path sends "MSG <subj> <sid>  <total>" with two spaces;
 * clients accept both). Returns the length, or 0 when it does not fit in
 * <cap>. Pure; any thread. */
size_t proto_msg_line(char *out, size_t cap, struct slice subj, struct slice sid,
                      struct slice reply, long hdr_len, size_t total);
/* Client side: writes "PUB <subj> [<reply> ]<total>\r\n" (<hdr_len> < 0) or
 * "HPUB <subj> [<reply> ]<hdr_len> <total>\r\n" into <out>. Returns the
 * length, or 0 when it does not fit in <cap>. */
/* As proto_msg_line, but writes the size fields verbatim from <hdr_text>
 * (HMSG when non-empty) and <size_text>, the digits the publisher sent:
 * nats-server forwards them unchanged ("PUB foo 005" -> "MSG foo 1 005"). */
size_t proto_msg_line_raw(char *out, size_t cap, struct slice subj, struct slice sid,
                          struct slice reply, struct slice hdr_text, struct slice size_text);
size_t proto_pub_line(char *out, size_t cap, struct slice subj, struct slice reply, long hdr_len,
                      size_t total);
/* Appends "-ERR '<text>'\r\n" to <b>. */
void proto_append_err(struct buf *b, const char *text);
/* Appends "INFO <json>\r\n" to <b>. */
void proto_append_info(struct buf *b, struct slice json);

/* ---- headers (ADR-4) ---- */

/* Finds header <name> (case-sensitive, as nats-server matches the headers
 * it interprets) in the header block <hdr> ("NATS/1.0...\r\n" lines ending
 * with an empty line). On success sets *<val> to the value with surrounding
 * blanks trimmed (the first occurrence) and returns true. */
bool proto_hdr_get(struct slice hdr, const char *name, struct slice *val);
/* The status code of the first line ("NATS/1.0 503" -> 503), or 0. */
int proto_hdr_status(struct slice hdr);

/* ---- CONNECT ---- */

struct proto_connect {
    bool verbose;       /* default true: +OK after each CONNECT/PUB/HPUB/SUB/UNSUB */
    bool pedantic;      /* default true: -ERR 'Invalid Publish Subject' on bad PUB subjects */
    bool echo;          /* default true */
    bool headers;       /* default false */
    bool no_responders; /* default false */
    bool tls_required;  /* default false */
    int protocol;       /* default 0; -1 when the JSON integer does not fit an int
                           (nats-server: anything but 0 or 1 is 'invalid client protocol') */
    char *name;         /* heap strings or NULL; freed by proto_connect_deinit */
    char *lang;
    char *version;
    char *user;
    char *pass;
    char *auth_token;
    char *nkey;
    char *sig;
    char *jwt;
    char *account; /* unused by nats-server 2.9 clients, type-checked only */
};

/* Decodes the CONNECT JSON <json> into <out> (defaults applied first) with
 * nats-server's (Go encoding/json) rules: keys match case-insensitively, a
 * later duplicate wins, null leaves the default, unknown keys are ignored,
 * "null" as the whole text means all defaults, invalid UTF-8 and lone
 * surrogate escapes in strings become U+FFFD.
 * Returns 0, or ERR_PARSE with <eb> filled (and <out> holding defaults,
 * nothing to free) when the JSON is malformed, is not an object, or a known
 * field has the wrong type; nats-server then closes the connection without
 * an -ERR. The caller frees <out> with proto_connect_deinit(). Any thread. */
int proto_connect_parse(struct slice json, struct proto_connect *out, struct errbuf *eb);
/* Frees the strings of <c> and resets them to NULL. */
void proto_connect_deinit(struct proto_connect *c);

#endif
