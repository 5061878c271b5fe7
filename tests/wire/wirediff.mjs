#!/usr/bin/env node
// wirediff.mjs: raw-wire differential test of Gannet (server A) against nats-server (server B).
//
// Every case in cases/*.json starts a fresh A and a fresh B on free 127.0.0.1 ports with the
// case's flags and config text, runs the same script of raw socket steps against both, records
// what each connection received (and when it was closed), normalises the volatile INFO fields,
// and compares the two transcripts byte for byte. Only node built-in modules are used.
//
// Usage: GANNET_SERVER_BIN=... node wirediff.mjs [--filter s] [--verbose] [--jobs n] [--quiet ms]
//        [--keep] [--list] [cases.json ...]. NATS_SERVER_BIN defaults to nats-server found in
//        /usr/bin, /usr/sbin or PATH.
// Exit status: 0 all cases passed, 1 some case failed, 2 usage or setup error.

import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';

// INFO keys whose values legitimately differ between two servers (or two runs of one). Two are
// checked more closely: server_name becomes "<server_id>" only when it equals server_id (the
// default), so a name set by -n or server_name is still compared; port becomes <port> only when
// it is the port the server was started on.
const VOLATILE_INFO_KEYS = ['server_id', 'server_name', 'version', 'go', 'git_commit', 'port',
    'client_id', 'client_ip', 'nonce', 'host'];
// INFO keys server A may carry that nats-server does not; they are removed before comparing.
// Values of these keys must be scalars (string, number, bool, null).
const ALLOWED_EXTRA_INFO_KEYS = ['gannet_version', 'gannet_git'];

const HERE = path.dirname(new URL(import.meta.url).pathname);
const DEFAULT_QUIET_MS = 150;      // a read ends after this long without new bytes
const DEFAULT_READ_MAX_MS = 3000;  // hard cap on any single read
const DEFAULT_CASE_MAX_MS = 20000; // hard cap on a whole case
const SERVER_READY_MS = 8000;      // how long a server may take to listen
const LOG_CAP = 64 * 1024;         // bytes of server output kept for failure reports
const TIMING_RETRIES = 2;          // re-runs of a case that differs in timing only

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function usage_exit(msg) {
    if (msg) process.stderr.write(`wirediff: ${msg}\n`);
    process.stderr.write('usage: GANNET_SERVER_BIN=<bin> node wirediff.mjs [--filter <substr>] ' +
        '[--verbose] [--jobs <n>] [--quiet <ms>] [--keep] [--list] [case files...]\n');
    process.exit(2);
}

function parse_args(argv) {
    const opts = { filters: [], verbose: false, jobs: 8, quiet: DEFAULT_QUIET_MS, keep: false,
        list: false, files: [] };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const need = () => (i + 1 < argv.length ? argv[++i] : usage_exit(`${a} needs a value`));
        if (a === '--filter' || a === '-f') opts.filters.push(need());
        else if (a === '--verbose' || a === '-v') opts.verbose = true;
        else if (a === '--jobs' || a === '-j') opts.jobs = Math.max(1, parseInt(need(), 10) || 1);
        else if (a === '--quiet') opts.quiet = Math.max(10, parseInt(need(), 10) || 10);
        else if (a === '--keep') opts.keep = true;
        else if (a === '--list') opts.list = true;
        else if (a === '--help' || a === '-h') usage_exit();
        else if (a.startsWith('-')) usage_exit(`unknown option ${a}`);
        else opts.files.push(a);
    }
    return opts;
}

// Loads every case file; a file holds an array of cases or {"cases": [...]}.
function load_cases(files) {
    if (files.length === 0) {
        const dir = path.join(HERE, 'cases');
        files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
            .map((f) => path.join(dir, f));
    }
    const cases = [];
    const seen = new Set();
    for (const file of files) {
        let doc;
        try {
            doc = JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch (e) {
            usage_exit(`${file}: ${e.message}`);
        }
        const list = Array.isArray(doc) ? doc : doc.cases;
        if (!Array.isArray(list)) usage_exit(`${file}: expected an array of cases`);
        for (const c of list) {
            if (typeof c.name !== 'string' || !Array.isArray(c.steps))
                usage_exit(`${file}: every case needs "name" and "steps"`);
            if (seen.has(c.name)) usage_exit(`${file}: duplicate case name ${c.name}`);
            seen.add(c.name);
            cases.push({ ...c, file: path.basename(file) });
        }
    }
    return cases;
}

// ---------------------------------------------------------------------------------------------
// Byte helpers
// ---------------------------------------------------------------------------------------------

// A "send" value is a string (each char is one byte, so "\u00ff" is 0xff) or an array of
// strings, {"hex": "00ff"} and {"repeat": "a", "n": 5000} parts; in a repeat, "{i}" stands for
// the repetition's index (0 .. n-1).
function to_bytes(v) {
    if (typeof v === 'string') return Buffer.from(v, 'latin1');
    if (Array.isArray(v)) return Buffer.concat(v.map(to_bytes));
    if (v && typeof v.hex === 'string') return Buffer.from(v.hex.replace(/\s+/g, ''), 'hex');
    if (v && typeof v.repeat === 'string' && Number.isInteger(v.n)) {
        if (!v.repeat.includes('{i}')) return Buffer.from(v.repeat.repeat(v.n), 'latin1');
        const parts = [];
        for (let i = 0; i < v.n; i++) parts.push(v.repeat.replaceAll('{i}', String(i)));
        return Buffer.from(parts.join(''), 'latin1');
    }
    throw new Error(`bad send value ${JSON.stringify(v)}`);
}

// Printable form of received bytes: CR, LF, TAB and backslash escaped, other non-printables
// as \xNN. Long runs of one byte are compressed so huge echoes stay readable.
function escape_bytes(buf) {
    let out = '';
    for (const b of buf) {
        if (b === 0x5c) out += '\\\\';
        else if (b === 0x0d) out += '\\r';
        else if (b === 0x0a) out += '\\n';
        else if (b === 0x09) out += '\\t';
        else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
        else out += '\\x' + b.toString(16).padStart(2, '0');
    }
    return out.replace(/(.)\1{63,}/g, (m, ch) => `${ch}{x${m.length}}`);
}

// Splits a buffer after each LF, keeping the terminators.
function split_lines(buf) {
    const lines = [];
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
        if (buf[i] === 0x0a) {
            lines.push(buf.subarray(start, i + 1));
            start = i + 1;
        }
    }
    if (start < buf.length) lines.push(buf.subarray(start));
    return lines;
}

// ---------------------------------------------------------------------------------------------
// INFO normalisation
// ---------------------------------------------------------------------------------------------

const JSON_SCALAR =
    String.raw`("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)`;

// Returns {text, keys, error}: the INFO line with volatile values replaced by placeholders (a
// string stays quoted, so a type change still shows) and allowed extra keys removed. <port> is
// the port the server listens on.
function normalize_info(line, port) {
    const m = /^INFO[ \t]+(.*?)(\r?\n)?$/s.exec(line);
    let text = line;
    let keys = null;
    let error = null;
    if (!m) return { text, keys, error: 'unparsable INFO line' };
    let obj = {};
    try {
        obj = JSON.parse(m[1]);
        keys = Object.keys(obj);
    } catch (e) {
        error = `INFO JSON does not parse: ${e.message}`;
    }
    for (const k of ALLOWED_EXTRA_INFO_KEYS) {
        text = text.replace(new RegExp(`"${k}":${JSON_SCALAR},`), '')
            .replace(new RegExp(`,?"${k}":${JSON_SCALAR}`), '');
    }
    const keep = (k) => (k === 'server_name' && obj.server_name !== obj.server_id) ||
        (k === 'port' && obj.port !== port);
    for (const k of VOLATILE_INFO_KEYS) {
        if (keep(k)) continue;
        const ph = k === 'server_name' ? 'server_id' : k;
        text = text.replace(new RegExp(`"${k}":${JSON_SCALAR}`, 'g'), (all, v) =>
            `"${k}":${v.startsWith('"') ? `"<${ph}>"` : `<${ph}>`}`);
    }
    return { text, keys, error };
}

// Turns one read's bytes into transcript texts, normalising INFO lines; collects INFO keys.
function render_chunk(buf, infos, port) {
    const out = [];
    for (const raw of split_lines(buf)) {
        let line = raw;
        const s = raw.toString('latin1');
        if (s.startsWith('INFO ') && s.endsWith('\n')) {
            const n = normalize_info(s, port);
            infos.push(n);
            line = Buffer.from(n.text, 'latin1');
        }
        out.push(`< ${escape_bytes(line)}`);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------

const live_children = new Set();

// Each server runs in its own process group (spawned detached), so a wrapper script's
// children die with it. Only groups this runner created are ever signalled.
function kill_group(child, sig) {
    try {
        process.kill(-child.pid, sig);
    } catch (e) {
        try {
            child.kill(sig);
        } catch (e2) {
            // already gone
        }
    }
}

function kill_all_children() {
    for (const ch of live_children) kill_group(ch, 'SIGKILL');
}
process.on('exit', kill_all_children);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
        kill_all_children();
        process.exit(130);
    });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function free_port() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

// Socket inodes held open by process <pid>.
function socket_inodes(pid) {
    const out = new Set();
    let fds = [];
    try {
        fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch (e) {
        return out;
    }
    for (const fd of fds) {
        try {
            const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
            if (m) out.add(m[1]);
        } catch (e) {
            // fd closed meanwhile
        }
    }
    return out;
}

// True when process <pid> holds a socket that LISTENs on <port>. Checking /proc avoids a probe
// connection, which would disturb max_connections cases; /proc/net/tcp is costly to read, so
// it is read only once the process holds a socket at all.
function is_listening(pid, port) {
    const mine = socket_inodes(pid);
    if (mine.size === 0) return false;
    const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
    for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
        let text = '';
        try {
            text = fs.readFileSync(f, 'utf8');
        } catch (e) {
            continue;
        }
        for (const row of text.split('\n').slice(1)) {
            const cols = row.trim().split(/\s+/);
            if (cols.length > 9 && cols[1].endsWith(hex) && cols[3] === '0A' && mine.has(cols[9]))
                return true;
        }
    }
    return false;
}

// Starts <bin> with the case's flags on a free port. Resolves to a server handle or throws.
async function server_start(bin, kase, dir, label) {
    let cfg_args = [];
    if (typeof kase.config === 'string') {
        const file = path.join(dir, `${label}.conf`);
        fs.writeFileSync(file, kase.config);
        cfg_args = ['-c', file];
    }
    let last_err = '';
    for (let attempt = 0; attempt < 4; attempt++) {
        const port = await free_port();
        const args = [...cfg_args, '-a', '127.0.0.1', '-p', String(port), ...(kase.args || [])];
        const srv = { bin, args, port, log: '', exited: null, child: null };
        const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
            detached: true });
        srv.child = child;
        live_children.add(child);
        const keep_log = (d) => {
            if (srv.log.length < LOG_CAP) srv.log += d.toString('latin1');
        };
        child.stdout.on('data', keep_log);
        child.stderr.on('data', keep_log);
        srv.exit_promise = new Promise((resolve) => {
            child.on('exit', (code, signal) => {
                srv.exited = { code, signal };
                live_children.delete(child);
                resolve();
            });
            child.on('error', (e) => {
                srv.exited = { code: null, signal: null, error: e.message };
                live_children.delete(child);
                resolve();
            });
        });
        // nats-server logs "Listening for client connections on <host>:<port>" right after
        // listen(); a server that logs it the same way is ready at once, others are polled.
        const said_ready = new RegExp(`Listening for client connections on \\S*:${port}\\b`);
        const deadline = Date.now() + SERVER_READY_MS;
        for (let n = 0; !srv.exited && Date.now() < deadline; n++) {
            if (said_ready.test(srv.log)) return srv;
            if (n % 4 === 3 && child.pid && is_listening(child.pid, port)) return srv;
            await sleep(5);
        }
        if (!srv.exited) {
            await server_stop(srv);
            throw new Error(`${label} (${bin}) did not listen on ${port} within ` +
                `${SERVER_READY_MS} ms\n${srv.log}`);
        }
        // 'exit' can come before the last output: wait for stdio to close (bounded) so that the
        // log below is complete.
        await Promise.race([new Promise((r) => child.once('close', r)), sleep(500)]);
        last_err = `${label} (${bin} ${args.join(' ')}) exited ` +
            `${JSON.stringify(srv.exited)} before listening\n${srv.log}`;
        // A port stolen between free_port() and bind() shows as an early exit: try again (also
        // when the server said nothing, which is how a lost bind race can look).
        if (srv.log.trim() !== '' && !/address already in use/i.test(srv.log)) break;
    }
    throw new Error(last_err);
}

// Stops the server's whole process group: SIGTERM, then SIGKILL after 2 s. Also kills what is
// left of the group when the server itself already exited (a crashed wrapper's children).
async function server_stop(srv) {
    if (!srv) return;
    if (!srv.exited) {
        kill_group(srv.child, 'SIGTERM');
        const t = setTimeout(() => kill_group(srv.child, 'SIGKILL'), 2000);
        await srv.exit_promise;
        clearTimeout(t);
    }
    kill_group(srv.child, 'SIGKILL');
    srv.child.stdout.destroy();
    srv.child.stderr.destroy();
}

// ---------------------------------------------------------------------------------------------
// Client connections and the step interpreter
// ---------------------------------------------------------------------------------------------

// Opens a raw client connection; resolves once connected (or failed).
function conn_open(port) {
    return new Promise((resolve) => {
        const c = { sock: null, pending: [], closed: false, reset: false, error: null,
            failed: null, close_reported: false, last_data: Date.now(), waiters: new Set() };
        const wake = () => {
            for (const w of c.waiters) w();
        };
        const sock = net.connect({ host: '127.0.0.1', port });
        c.sock = sock;
        sock.setNoDelay(true);
        sock.on('data', (d) => {
            c.pending.push(d);
            c.last_data = Date.now();
            wake();
        });
        let connected = false;
        sock.on('error', (e) => {
            c.error = e.code || e.message;
            if (e.code === 'ECONNRESET') c.reset = true;
            if (!connected) c.failed = c.error;
        });
        sock.on('close', () => {
            c.closed = true;
            wake();
            resolve(c);
        });
        sock.on('connect', () => {
            connected = true;
            resolve(c);
        });
    });
}

function conn_write(c, buf) {
    if (c.closed || c.sock.destroyed || c.sock.writableEnded) return Promise.resolve();
    return new Promise((resolve) => {
        try {
            c.sock.write(buf, () => resolve());
        } catch (e) {
            resolve();
        }
    });
}

// Waits until <c> has been quiet for <quiet> ms, is closed, holds <until>, or <max> ms passed.
// With <count>, <until> must appear that many times.
async function conn_read(c, { quiet, until, count, closed, max }) {
    const start = Date.now();
    const needle = until === undefined ? null : Buffer.from(until, 'latin1');
    const has_until = () => {
        if (!needle) return false;
        const hay = Buffer.concat(c.pending);
        let seen = 0;
        for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length))
            if (++seen >= (count || 1)) return true;
        return false;
    };
    for (;;) {
        const now = Date.now();
        if (c.closed) break;
        if (now - start >= max) break;
        if (has_until()) break;
        if (!closed && until === undefined && now - Math.max(start, c.last_data) >= quiet) break;
        const wait_ms = Math.max(1, Math.min(max - (now - start),
            until === undefined && !closed ? quiet - (now - Math.max(start, c.last_data)) : max));
        await new Promise((resolve) => {
            const t = setTimeout(done, wait_ms);
            function done() {
                clearTimeout(t);
                c.waiters.delete(done);
                resolve();
            }
            c.waiters.add(done);
        });
    }
    const buf = Buffer.concat(c.pending);
    c.pending = [];
    return buf;
}

function conn_tag(i) {
    return `c${i}`;
}

// Runs <kase> against one server; returns the transcript lines and INFO records.
// A transcript entry is {step, conn, text}; text is '< bytes' or an event such as 'closed'.
async function run_script(kase, srv, opts) {
    const conns = [];
    const entries = [];
    const infos = [];
    const add = (step, conn, text) => entries.push({ step, conn, text });
    const case_deadline = Date.now() + (kase.max_ms || DEFAULT_CASE_MAX_MS);

    const get_conn = async (i, step_no) => {
        if (!conns[i]) {
            conns[i] = await conn_open(srv.port);
            if (conns[i].failed) add(step_no, i, `connect failed`);
        }
        return conns[i];
    };
    // Reads the given connections concurrently, then records them in index order.
    const read_conns = async (idx, step, step_no) => {
        const left = Math.max(0, case_deadline - Date.now());
        const max = Math.min(step.max || DEFAULT_READ_MAX_MS, left);
        const cs = await Promise.all(idx.map((i) => get_conn(i, step_no)));
        const bufs = await Promise.all(cs.map((c) => conn_read(c, { quiet: step.quiet || opts.quiet,
            until: step.until, count: step.count, closed: !!step.closed, max })));
        idx.forEach((i, k) => {
            for (const t of render_chunk(bufs[k], infos, srv.port)) add(step_no, i, t);
            if (cs[k].closed && !cs[k].close_reported) {
                cs[k].close_reported = true;
                add(step_no, i, 'closed by server');
            }
        });
    };

    const steps = [...kase.steps, { read: 'all', final: true }];
    for (let n = 0; n < steps.length; n++) {
        const st = steps[n];
        const ci = Number.isInteger(st.c) ? st.c : 0;
        const step_no = st.final ? 'end' : n;
        if (Date.now() > case_deadline) {
            add(step_no, ci, 'case time limit reached');
            break;
        }
        if (st.open !== undefined) {
            await get_conn(Number.isInteger(st.open) ? st.open : ci, step_no);
        } else if (st.send !== undefined) {
            await conn_write(await get_conn(ci, step_no), to_bytes(st.send));
        } else if (st.split !== undefined) {
            const c = await get_conn(ci, step_no);
            const buf = to_bytes(st.split);
            const chunk = st.chunk || 1;
            for (let k = 0; k < buf.length; k += chunk) {
                await conn_write(c, buf.subarray(k, k + chunk));
                await sleep(st.delay === undefined ? 2 : st.delay);
            }
        } else if (st.wait !== undefined) {
            await sleep(st.wait);
        } else if (st.read !== undefined) {
            let idx = [Number.isInteger(st.read) ? st.read : ci];
            if (st.read === 'all') idx = conns.map((c, i) => (c ? i : -1)).filter((i) => i >= 0);
            else if (Array.isArray(st.read)) idx = st.read;
            await read_conns(idx, st, step_no);
        } else if (st.close !== undefined) {
            const c = await get_conn(Number.isInteger(st.close) ? st.close : ci, step_no);
            c.sock.end();
        } else {
            throw new Error(`${kase.name}: unknown step ${JSON.stringify(st)}`);
        }
    }
    for (const c of conns) if (c) c.sock.destroy();
    const resets = conns.map((c, i) => (c && c.reset ? conn_tag(i) : null)).filter(Boolean);
    return { entries, infos, resets };
}

function entry_text(e) {
    return `${conn_tag(e.conn)}${e.text.startsWith('<') ? '' : ' '}${e.text}`;
}

// Full view: every entry tagged with the step that read it (checks "when").
function view_timed(r) {
    return r.entries.map((e) => `#${e.step} ${entry_text(e)}`);
}

// Stream view: per connection, what arrived and whether it was closed, whatever the step.
function view_stream(r) {
    const by = [];
    for (const e of r.entries) (by[e.conn] = by[e.conn] || []).push(entry_text(e));
    return by.flat();
}

function same_lines(a, b) {
    return a.length === b.length && a.every((l, i) => l === b[i]);
}

// ---------------------------------------------------------------------------------------------
// Comparison and reporting
// ---------------------------------------------------------------------------------------------

// Line diff (LCS); transcripts are small. '-' = only in B (expected), '+' = only in A.
function diff_lines(b, a) {
    const n = b.length;
    const m = a.length;
    const dp = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
        for (let j = m - 1; j >= 0; j--)
            dp[i][j] = b[i] === a[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    const out = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && b[i] === a[j]) {
            out.push(`   ${b[i]}`);
            i++;
            j++;
        } else if (i < n && (j === m || dp[i + 1][j] >= dp[i][j + 1])) {
            out.push(` - ${b[i++]}`);
        } else {
            out.push(` + ${a[j++]}`);
        }
    }
    return out;
}

// Problems with A's INFO key sets compared with B's, INFO by INFO in order of arrival.
function info_problems(ra, rb) {
    const probs = [];
    const count = Math.min(ra.infos.length, rb.infos.length);
    for (let i = 0; i < count; i++) {
        const ka = ra.infos[i].keys;
        const kb = rb.infos[i].keys;
        if (ra.infos[i].error) probs.push(`A INFO #${i}: ${ra.infos[i].error}`);
        if (!ka || !kb) continue;
        const missing = kb.filter((k) => !ka.includes(k));
        const extra = ka.filter((k) => !kb.includes(k) && !ALLOWED_EXTRA_INFO_KEYS.includes(k));
        if (missing.length) probs.push(`A INFO #${i} lacks keys: ${missing.join(', ')}`);
        if (extra.length) probs.push(`A INFO #${i} has unexpected keys: ${extra.join(', ')}`);
    }
    return probs;
}

function describe_exit(e) {
    if (!e) return 'running';
    if (e.error) return `failed to run: ${e.error}`;
    return e.signal ? `killed by ${e.signal}` : `exited with code ${e.code}`;
}

function log_tail(log, n = 15) {
    return log.trimEnd().split('\n').slice(-n).map((l) => `      ${l}`).join('\n');
}

// Runs <kase> once on fresh servers; returns {ok, timing_only, report}.
async function run_attempt(kase, env, opts, dir) {
    const out = { ok: false, timing_only: false, report: [] };
    let sa = null;
    let sb = null;
    try {
        [sa, sb] = await Promise.all([server_start(env.bin_a, kase, dir, 'A'),
            server_start(env.bin_b, kase, dir, 'B')]);
        const [ra, rb] = await Promise.all([run_script(kase, sa, opts),
            run_script(kase, sb, opts)]);
        const probs = info_problems(ra, rb);
        const ta = view_timed(ra);
        const tb = view_timed(rb);
        const same_stream = same_lines(view_stream(ra), view_stream(rb));
        const same_timed = same_lines(ta, tb);
        if (!same_stream)
            probs.push('transcripts differ (- B nats-server expected, + A under test)');
        else if (!same_timed) probs.push('same bytes, but read at different steps (timing)');
        const ea = describe_exit(sa.exited);
        const eb = describe_exit(sb.exited);
        if (ea !== eb) probs.push(`server A ${ea} but server B ${eb} during the case`);
        out.ok = probs.length === 0;
        out.timing_only = same_stream && !same_timed && probs.length === 1;
        out.report.push(...probs.map((p) => `  ${p}`));
        if (!same_timed) out.report.push(...diff_lines(tb, ta).map((l) => `  ${l}`));
        if (ea !== eb) out.report.push('    server A output (tail):', log_tail(sa.log));
        if (opts.verbose) {
            out.report.push(`  args: ${sa.args.join(' ')}`);
            if (ra.resets.length || rb.resets.length)
                out.report.push(`  reset by peer: A [${ra.resets}] B [${rb.resets}]`);
            out.report.push('  transcript B:', ...tb.map((l) => `    ${l}`));
            if (!same_timed) out.report.push('  transcript A:', ...ta.map((l) => `    ${l}`));
        }
    } catch (e) {
        out.report.push(`  error: ${String(e.message || e).trimEnd().split('\n').join('\n    ')}`);
    } finally {
        await Promise.all([server_stop(sa), server_stop(sb)]);
    }
    return out;
}

// A case whose only difference is timing (the same bytes read at different steps, as a loaded
// machine can cause) is run again, up to TIMING_RETRIES more times, before it counts as failed.
async function run_case(kase, env, opts) {
    const t0 = Date.now();
    const dir = fs.mkdtempSync(path.join(env.tmp, 'case-'));
    let out;
    let tries = 0;
    try {
        do {
            out = await run_attempt(kase, env, opts, dir);
            tries++;
        } while (!out.ok && out.timing_only && tries <= TIMING_RETRIES);
    } finally {
        if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
    }
    return { name: kase.name, ok: out.ok, report: out.report, ms: Date.now() - t0, tries };
}

// Debian installs nats-server as /usr/sbin/nats-server; upstream tarballs use /usr/bin.
function default_reference_bin() {
    const dirs = ['/usr/bin', '/usr/sbin', '/usr/local/bin',
        ...(process.env.PATH || '').split(':').filter(Boolean)];
    for (const d of dirs) {
        const p = path.join(d, 'nats-server');
        if (fs.existsSync(p)) return p;
    }
    return '/usr/bin/nats-server';
}

function check_bin(label, bin) {
    try {
        fs.accessSync(bin, fs.constants.X_OK);
    } catch (e) {
        usage_exit(`${label} binary ${bin} is not executable`);
    }
}

function load_known(file) {
    const m = new Map();
    if (!fs.existsSync(file)) return m;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const t = line.trim();
        if (!t || t.startsWith('#')) continue;
        const sp = t.indexOf(' ');
        m.set(sp < 0 ? t : t.slice(0, sp), sp < 0 ? '' : t.slice(sp + 1));
    }
    return m;
}

async function main() {
    const opts = parse_args(process.argv.slice(2));
    let cases = load_cases(opts.files);
    if (opts.filters.length)
        cases = cases.filter((c) => opts.filters.some((f) => c.name.includes(f)));
    if (opts.list) {
        for (const c of cases) process.stdout.write(`${c.name}\n`);
        return 0;
    }
    const env = { bin_a: process.env.GANNET_SERVER_BIN,
        bin_b: process.env.NATS_SERVER_BIN || default_reference_bin() };
    if (!env.bin_a) usage_exit('set GANNET_SERVER_BIN to the server under test');
    check_bin('A (GANNET_SERVER_BIN)', env.bin_a);
    check_bin('B (NATS_SERVER_BIN)', env.bin_b);
    env.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wirediff-'));
    process.stdout.write(`wirediff: ${cases.length} cases, A=${env.bin_a} B=${env.bin_b}, ` +
        `${opts.jobs} at a time\n`);

    const t0 = Date.now();
    const results = new Array(cases.length);
    let next = 0;
    const worker = async () => {
        while (next < cases.length) {
            const i = next++;
            const r = await run_case(cases[i], env, opts);
            results[i] = r;
            const again = r.tries > 1 ? `, ${r.tries} attempts: earlier ones differed in timing`
                : '';
            const head = `${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.ms} ms${again})`;
            if (!r.ok || opts.verbose) process.stdout.write(`${head}\n${r.report.join('\n')}\n`);
            else process.stdout.write(`${head}\n`);
        }
    };
    await Promise.all(Array.from({ length: Math.min(opts.jobs, cases.length) }, worker));
    if (!opts.keep) fs.rmSync(env.tmp, { recursive: true, force: true });
    // Known differences (known-diffs.txt: "<case> <reason>" per line) are
    // reported but do not fail the run; one that passes is flagged so the
    // list gets pruned.
    const known = load_known(path.join(path.dirname(new URL(import.meta.url).pathname),
        'known-diffs.txt'));
    const failed = results.filter((r) => !r.ok && !known.has(r.name));
    const kfail = results.filter((r) => !r.ok && known.has(r.name));
    const kfixed = results.filter((r) => r.ok && known.has(r.name));
    for (const r of kfail) process.stdout.write(`known difference: ${r.name}: ${known.get(r.name)}\n`);
    for (const r of kfixed) process.stdout.write(`known difference now passes, remove it: ${r.name}\n`);
    if (failed.length) {
        process.stdout.write(`failed cases: ${failed.map((r) => r.name).join(' ')}\n`);
    }
    process.stdout.write(`wirediff: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    process.stdout.write(`${results.length - failed.length - kfail.length} passed, ` +
        `${failed.length} failed, ${kfail.length} skipped\n`);
    return failed.length ? 1 : 0;
}

// process.exit, not exitCode: a stray grandchild holding a pipe must not keep the runner alive.
main().then((code) => {
    kill_all_children();
    process.stdout.write('', () => process.exit(code));
}, (e) => {
    process.stderr.write(`wirediff: ${e.stack || e}\n`);
    kill_all_children();
    process.exit(2);
});
