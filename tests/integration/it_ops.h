/* it_ops: operational behaviour of the server under test (limits, signals, config, files).
 *
 * Each case is a function it_case_<name>() listed in it_ops_cases.def; it starts its own server
 * through the harness, talks to it mostly over raw sockets, and returns normally on success
 * (a failed check ends the process through it_fail()). Helpers shared by the case files are
 * declared here and defined in it_ops.c.
 */
#ifndef GN_IT_OPS_H
#define GN_IT_OPS_H

#include "harness.h"

#define IT_CASE(name)        void it_case_##name(void);
#define IT_CASE_GANNET(name) void it_case_##name(void);
#include "it_ops_cases.def"
#undef IT_CASE
#undef IT_CASE_GANNET

#define ITO_CONNECT "CONNECT {\"verbose\":false,\"protocol\":1}\r\n" /* quiet client CONNECT */

/* Opens a raw connection to 127.0.0.1:<port>, reads the server's INFO line (fails the test if
 * none comes within 3 s) and sends <connect_text> unless it is NULL. Returns the fd. */
int ito_open(int port, const char *connect_text);

/* Like ito_open() but sets the socket's receive buffer to <rcvbuf> bytes before connecting
 * (0 keeps the default), so that a client that does not read makes the server queue output. */
int ito_open_rcvbuf(int port, const char *connect_text, int rcvbuf);

/* Reads from <fd> until <needle> arrives; fails the test (naming <what> and showing what was
 * read) when it does not within <timeout_ms>. */
void ito_expect(int fd, const char *needle, int timeout_ms, const char *what);

/* Reads and discards everything from <fd> until the peer closes. Returns 0 on EOF, 1 on a
 * reset, -1 when <timeout_ms> passes first. <*bytes> receives the number of bytes read. */
int ito_drain_to_close(int fd, int timeout_ms, size_t *bytes);

/* Sends <len> bytes of <data> on <fd>, retrying while the socket is full, for at most
 * <timeout_ms>; fails the test on an error or when the time runs out. */
void ito_send_all(int fd, const void *data, size_t len, int timeout_ms);

/* Tries one TCP connect to 127.0.0.1:<port>. Returns the fd, or -errno on failure. */
int ito_try_connect(int port);

/* Reads up to <cap> - 1 bytes of the file at <path> into <buf> (NUL-terminated). Returns the
 * number of bytes read, or -1 when the file cannot be opened. */
long ito_file_read(const char *path, char *buf, size_t cap);

/* Returns true when the file at <path> exists and contains <needle> in its first 256 KiB. */
bool ito_file_contains(const char *path, const char *needle);

/* Waits up to <timeout_ms> until the file at <path> contains <needle>; fails the test if not. */
void ito_wait_file_contains(const char *path, const char *needle, int timeout_ms);

/* Looks for a file named *.ports in <dir>. Returns true and writes its path to <path>
 * (capacity <cap>) when there is one. */
bool ito_ports_file_find(const char *dir, char *path, size_t cap);

#endif
