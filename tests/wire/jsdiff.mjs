// jsdiff.mjs: JetStream API differential test. For every scenario in
// js-cases/*.txt, runs the same requests against gannet-server (A,
// $GANNET_SERVER_BIN) and nats-server (B, $NATS_SERVER_BIN), each with
// JetStream on a fresh store directory, and compares the replies byte for
// byte after normalising what is volatile (times, server ids).
//
// Scenario lines: `<subject> [H{"Header":"value",...}] [body]`; '#' starts
// a comment. Each line is published with reply _INBOX.r; whatever comes back
// within the wait is the transcript for that line. The subject `@ack` stands
// for the reply subject of the last message delivered with one ($JS.ACK...,
// each server its own), `@sleep <ms>` publishes nothing: its transcript
// is what arrives meanwhile (redeliveries, heartbeats), and `@sub <subject>`
// subscribes to exactly that subject, `@sub <subject> <queue>` in a queue
// group (sids 2, 3, ...): push consumers of nats-server 2.9.10 deliver only
// to a subscription of their deliver subject itself, not to the _INBOX.>
// the requests use. A line starting with `~` compares the messages that
// came back in any order: gannet sends a PubAck after the deliveries it
// causes (the ack waits for the disk), and concurrent consumers interleave.
// Usage: GANNET_SERVER_BIN=... node jsdiff.mjs [--verbose | --show] [files...]
// Ends with "N passed, M failed" (a scenario passes when every line matches).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const verbose = process.argv.includes('--verbose') || process.argv.includes('--show');
const show = process.argv.includes('--show'); /* also what both answered */
const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const binA = process.env.GANNET_SERVER_BIN;
const binB = process.env.NATS_SERVER_BIN ||
    ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((p) => fs.existsSync(p));
if (!binA || !binB) {
    console.error('jsdiff: set GANNET_SERVER_BIN (and NATS_SERVER_BIN if not in /usr/sbin)');
    process.exit(2);
}
const children = new Set();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

function freePort() {
    return new Promise((res, rej) => {
        const s = net.createServer();
        s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
        s.on('error', rej);
    });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startServer(bin) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsdiff-'));
    const port = await freePort();
    const child = spawn(bin, ['-js', '-sd', dir, '-a', '127.0.0.1', '-p', String(port)],
        { stdio: 'ignore' });
    children.add(child);
    for (let i = 0; i < 100; i++) {
        const ok = await new Promise((res) => {
            const s = net.connect(port, '127.0.0.1', () => { s.destroy(); res(true); });
            s.on('error', () => res(false));
        });
        if (ok) break;
        await sleep(50);
    }
    return { child, dir, port };
}

async function stopServer(s) {
    s.child.kill('SIGTERM');
    await new Promise((r) => { s.child.once('exit', r); setTimeout(r, 3000); });
    children.delete(s.child);
    fs.rmSync(s.dir, { recursive: true, force: true });
}

function parseScenario(text) {
    const out = [];
    for (const raw of text.split('\n')) {
        let line = raw.replace(/\r$/, '');
        if (!line.trim() || line.startsWith('#')) continue;
        const unordered = line.startsWith('~');
        if (unordered) line = line.slice(1);
        const sp = line.indexOf(' ');
        const subject = sp < 0 ? line : line.slice(0, sp);
        let rest = sp < 0 ? '' : line.slice(sp + 1);
        let headers = null;
        if (rest.startsWith('H{')) {
            const end = rest.indexOf('}') + 1;
            headers = JSON.parse(rest.slice(1, end));
            rest = rest.slice(end).trim();
        }
        out.push({ subject, headers, body: rest, unordered });
    }
    return out;
}

// Sends each request and collects what arrives until the connection has been
// quiet for <quiet> ms after the first byte (or <max> ms without any).
async function runScenario(bin, reqs) {
    const srv = await startServer(bin);
    const sock = net.connect(srv.port, '127.0.0.1');
    let buf = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => { buf += d; });
    await new Promise((r) => sock.once('connect', r));
    sock.write('CONNECT {"verbose":false,"headers":true,"no_responders":true}\r\n' +
        'SUB _INBOX.> 1\r\nPING\r\n');
    for (let i = 0; i < 100 && !buf.includes('PONG\r\n'); i++) await sleep(20);
    buf = '';
    const outs = [];
    let lastAck = 'none', sid = 2;
    for (const r of reqs) {
        if (r.subject === '@sleep' || r.subject === '@sub') {
            if (r.subject === '@sub') sock.write(`SUB ${r.body} ${sid++}\r\n`);
            await sleep(r.subject === '@sub' ? 150 : Number(r.body) || 0);
            outs.push(buf.replace(/PING\r\n/g, ''));
            buf = '';
            continue;
        }
        const subject = r.subject === '@ack' ? lastAck : r.subject;
        const body = Buffer.from(r.body, 'latin1');
        if (r.headers) {
            const h = 'NATS/1.0\r\n' + Object.entries(r.headers).map(([k, v]) => `${k}: ${v}\r\n`)
                .join('') + '\r\n';
            sock.write(`HPUB ${subject} _INBOX.r ${h.length} ${h.length + body.length}\r\n${h}`);
        } else {
            sock.write(`PUB ${subject} _INBOX.r ${body.length}\r\n`);
        }
        sock.write(Buffer.concat([body, Buffer.from('\r\n')]));
        let last = buf.length, quietFor = 0, waited = 0;
        while (waited < 2000) {
            await sleep(25);
            waited += 25;
            if (buf.length !== last) { last = buf.length; quietFor = 0; continue; }
            quietFor += 25;
            if ((buf.length > 0 && quietFor >= 100) || (buf.length === 0 && waited >= 400)) break;
        }
        for (const m of buf.matchAll(/^H?MSG \S+ \d+ (\$JS\.ACK\.\S+) /gm)) lastAck = m[1];
        outs.push(buf.replace(/PING\r\n/g, ''));
        buf = '';
    }
    sock.destroy();
    await stopServer(srv);
    return outs;
}

// The protocol messages of a transcript, each MSG/HMSG with its payload.
function splitMsgs(t) {
    const out = [];
    for (let i = 0; i < t.length;) {
        const eol = t.indexOf('\r\n', i);
        if (eol < 0) { out.push(t.slice(i)); break; }
        const line = t.slice(i, eol + 2);
        const m = /^H?MSG .* (\d+)\r\n$/.exec(line);
        const end = m ? eol + 2 + Number(m[1]) + 2 : eol + 2;
        out.push(t.slice(i, end));
        i = end;
    }
    return out;
}

function normalise(t) {
    return t
        .replace(/"\d{4}-\d\d-\d\dT[0-9:.]+Z"/g, '"<time>"')
        .replace(/(\$JS\.ACK\.[^.\s]+\.[^.\s]+\.\d+\.\d+\.\d+\.)\d+/g, '$1<ts>')
        .replace(/Nats-Time-Stamp: [^\r]+/g, 'Nats-Time-Stamp: <time>')
        // byte counts change with the length of the times above
        .replace(/^(H?MSG _INBOX\.r 1 {1,2})(\d+ )?\d+\r$/gm, '$1<n>\r')
        .replace(/"(storage|memory)":\d+/g, '"$1":<n>')
        .replace(/"api":\{"total":\d+,"errors":\d+\}/g, '"api":<n>');
}

const dir = path.join(here, 'js-cases');
const list = files.length ? files : fs.readdirSync(dir).filter((f) => f.endsWith('.txt'))
    .map((f) => path.join(dir, f));
let passed = 0, failed = 0;
for (const file of list) {
    const reqs = parseScenario(fs.readFileSync(file, 'utf8'));
    const [a, b] = await Promise.all([runScenario(binA, reqs), runScenario(binB, reqs)]);
    let diffs = 0;
    reqs.forEach((r, i) => {
        const norm = (t) => r.unordered ? splitMsgs(t).map(normalise).sort().join('') : normalise(t);
        const na = norm(a[i]), nb = norm(b[i]);
        if (na === nb) {
            if (verbose) console.log(`  same: ${r.subject}`);
            if (show) console.log(`    both  : ${JSON.stringify(nb).slice(0, 600)}`);
            return;
        }
        diffs++;
        console.log(`  DIFF ${path.basename(file)} line ${i + 1}: ${r.subject} ${r.body.slice(0, 60)}`);
        console.log(`    gannet: ${JSON.stringify(na).slice(0, 600)}`);
        console.log(`    nats  : ${JSON.stringify(nb).slice(0, 600)}`);
    });
    console.log(`${diffs ? 'FAIL' : 'ok  '} ${path.basename(file)} (${reqs.length} requests, ${diffs} differ)`);
    if (diffs) failed++; else passed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
