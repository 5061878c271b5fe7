#!/usr/bin/env node
// kv_bench: Key-Value and Object Store load, side by side on nats-server ("nats", the reference)
// and gannet-server ("gannet"), with the official JS clients (@nats-io/kv, @nats-io/obj, taken
// from tests/js/node_modules: run `npm ci` in tests/js first). Each server gets a fresh
// `-js -sd <temp dir>` on a free 127.0.0.1 port, the same workloads run against each in turn,
// and a markdown table with the ratio gannet/nats goes to stdout (progress to stderr).
//
// Usage: node bench/kv_bench.mjs [--quick] [--nats PATH] [--gannet PATH] [--only nats|gannet]
//                                [--keys N] [--json FILE]
// The servers: --nats, else $NATS_SERVER, else /usr/sbin/nats-server; --gannet, else
// $GANNET_SERVER, else build/bench-release/src/gannet-server or build/kvt/src/gannet-server.
// The client is one node process (all 16 "concurrent clients" are connections in it), so on a
// small machine the client side can be the limit; both servers face the same client.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const JS_DIR = path.join(ROOT, "tests", "js");
if (!existsSync(path.join(JS_DIR, "node_modules", "@nats-io", "kv"))) {
  console.error(`kv_bench: ${JS_DIR}/node_modules is missing: run 'npm ci' in ${JS_DIR}`);
  process.exit(1);
}
const require = createRequire(path.join(JS_DIR, "package.json"));
const { connect } = require("@nats-io/transport-node");
const { Kvm } = require("@nats-io/kv");
const { Objm } = require("@nats-io/obj");

// ---- options ----

function parseArgs(argv) {
  const o = { quick: false, nats: null, gannet: null, only: null, keys: null, json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) {
        throw new Error(`${a} needs a value`);
      }
      return argv[++i];
    };
    if (a === "--quick") o.quick = true;
    else if (a === "--nats") o.nats = val();
    else if (a === "--gannet") o.gannet = val();
    else if (a === "--only") o.only = val();
    else if (a === "--keys") o.keys = Number(val());
    else if (a === "--json") o.json = val();
    else throw new Error(`unknown option ${a} (see the header of bench/kv_bench.mjs)`);
  }
  return o;
}

function findServers(o) {
  const nats = o.nats ?? process.env.NATS_SERVER ?? "/usr/sbin/nats-server";
  const candidates = [
    path.join(ROOT, "build", "bench-release", "src", "gannet-server"),
    path.join(ROOT, "build", "kvt", "src", "gannet-server"),
  ];
  const gannet = o.gannet ?? process.env.GANNET_SERVER ?? candidates.find((p) => existsSync(p));
  const servers = [];
  if (o.only !== "gannet") servers.push({ name: "nats", bin: nats });
  if (o.only !== "nats") {
    if (!gannet) throw new Error("no gannet-server found: pass --gannet PATH or --only nats");
    servers.push({ name: "gannet", bin: gannet });
  }
  for (const s of servers) {
    if (!existsSync(s.bin)) throw new Error(`${s.name}: ${s.bin} does not exist`);
  }
  return servers;
}

// ---- server processes ----

const live = new Set();
process.on("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => process.exit(2));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function accepts(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => (s.destroy(), resolve(false)));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `bin` with JetStream on a fresh temp dir; resolves { port, stop() }. */
async function startServer(bin) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gannet-kvbench-"));
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const args = ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", path.join(dir, "js")];
    const proc = spawn(bin, args, { stdio: "ignore" });
    live.add(proc);
    let exited = false;
    const done = new Promise((r) => proc.once("exit", () => ((exited = true), r())));
    const deadline = Date.now() + 5000;
    while (!exited && Date.now() < deadline && !(await accepts(port))) await sleep(10);
    if (!exited && Date.now() < deadline) {
      return {
        port,
        async stop() {
          proc.kill("SIGTERM");
          const t = setTimeout(() => proc.kill("SIGKILL"), 5000);
          await done;
          clearTimeout(t);
          live.delete(proc);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    proc.kill("SIGKILL");
    await done;
    live.delete(proc);
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`${bin} did not start`);
}

// ---- workloads ----

const VALUE = randomBytes(128);
const now = () => performance.now();

/** Runs `fn(i)` sequentially up to `n` times or `ms` milliseconds; returns ops/s. */
async function seqRate(n, ms, fn) {
  const t0 = now();
  let i = 0;
  while (i < n && now() - t0 < ms) {
    await fn(i++);
  }
  return i / ((now() - t0) / 1000);
}

/** `clients` loops of seqRate in parallel, loop c calling `fn(c, i)`; returns total ops/s. */
async function parRate(clients, n, ms, fn) {
  const t0 = now();
  const counts = await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      let i = 0;
      while (i < n && now() - t0 < ms) {
        await fn(c, i++);
      }
      return i;
    }),
  );
  return counts.reduce((a, b) => a + b, 0) / ((now() - t0) / 1000);
}

/** A ReadableStream over `buf` in 1 MiB slices. */
function streamOf(buf) {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= buf.length) return c.close();
      c.enqueue(buf.subarray(off, off + (1 << 20)));
      off += 1 << 20;
    },
  });
}

async function readAll(res) {
  let n = 0;
  for await (const p of res.data) n += p.length;
  const err = await res.error;
  if (err) throw err;
  return n;
}

/** Fills the bucket with keys k.0..k.<n-1>: one pipeline of `depth` puts per handle in `kvs`. */
async function fill(kvs, n, depth = 64) {
  let next = 0;
  await Promise.all(
    kvs.map(async (kv) => {
      for (;;) {
        const batch = [];
        while (batch.length < depth && next < n) batch.push(kv.put(`k.${next++}`, VALUE));
        if (batch.length === 0) return;
        await Promise.all(batch);
      }
    }),
  );
}

/**
 * The workloads, in order: [label, async (ctx) => { metric: value }]. A failing step is
 * reported in the table as an error and the next steps still run.
 */
function workloads(p) {
  const objStep = (label, size, reps) => [
    `object put/get ${label} x${reps}`,
    async ({ store }) => {
      const data = randomBytes(size);
      const r = {};
      let t0 = now();
      for (let i = 0; i < reps; i++) {
        await store.put({ name: `o${size}` }, streamOf(data), { timeout: 30000 });
      }
      r[`Object put MB/s, ${label}`] = (reps * size) / (1 << 20) / ((now() - t0) / 1000);
      t0 = now();
      for (let i = 0; i < reps; i++) {
        const got = await readAll(await store.get(`o${size}`));
        if (got !== size) throw new Error(`object get: ${got} bytes, want ${size}`);
      }
      r[`Object get MB/s, ${label}`] = (reps * size) / (1 << 20) / ((now() - t0) / 1000);
      await store.delete(`o${size}`);
      return r;
    },
  ];
  return [
    ["kv put, 1 client", async ({ kv }) => ({
      "KV put ops/s, 1 client": await seqRate(p.seq, p.ms, (i) =>
        kv.put(`k.${i % p.space}`, VALUE),
      ),
    })],
    ["kv get, 1 client", async ({ kv, all }) => {
      await fill(all.slice(0, 1), p.space);
      return {
        "KV get ops/s, 1 client": await seqRate(p.seq, p.ms, (i) =>
          kv.get(`k.${(i * 7919) % p.space}`),
        ),
      };
    }],
    ["kv put, 16 clients", async ({ all }) => ({
      "KV put ops/s, 16 clients": await parRate(16, p.par, p.ms, (c, i) =>
        all[c].put(`k.${(c * 100003 + i) % p.space}`, VALUE),
      ),
    })],
    ["kv get, 16 clients", async ({ all }) => ({
      "KV get ops/s, 16 clients": await parRate(16, p.par, p.ms, (c, i) =>
        all[c].get(`k.${(c * 100003 + i * 7919) % p.space}`),
      ),
    })],
    objStep("1 MB", 1 << 20, p.obj1),
    objStep("50 MB", 50 << 20, p.obj50),
    [`keys: fill and list ${p.keys} keys`, async ({ ncs }) => {
      const r = {};
      const big = await new Kvm(ncs[0]).create("K", { history: 1 });
      const bigs = await Promise.all(ncs.map((nc) => new Kvm(nc).open("K")));
      let t0 = now();
      await fill(bigs, p.keys);
      r[`KV put ops/s, 16 clients x 64 in flight (fill ${p.keys} keys)`] =
        p.keys / ((now() - t0) / 1000);
      t0 = now();
      let count = 0;
      for await (const _k of await big.keys()) count++;
      const secs = (now() - t0) / 1000;
      if (count !== p.keys) throw new Error(`keys listed ${count}, want ${p.keys}`);
      r[`Keys listing seconds, ${p.keys} keys (lower is better)`] = secs;
      return r;
    }],
  ];
}

/** Runs every workload against the server at `port`; returns { metric: value, errors: [] }. */
async function runAll(port, p, log) {
  const r = { errors: [] };
  const ncs = await Promise.all(
    Array.from({ length: 16 }, () =>
      connect({ servers: `127.0.0.1:${port}`, reconnect: false, timeout: 20000 }),
    ),
  );
  try {
    await new Kvm(ncs[0]).create("B", { history: 1 });
    const all = await Promise.all(ncs.map((nc) => new Kvm(nc).open("B")));
    const store = await new Objm(ncs[0]).create("O");
    const ctx = { ncs, all, kv: all[0], store };
    for (const [label, fn] of workloads(p)) {
      log(label);
      try {
        Object.assign(r, await fn(ctx));
      } catch (err) {
        const msg = `${label}: ${err?.message ?? err}`;
        r.errors.push(msg);
        log(`FAILED ${msg}`);
      }
    }
  } finally {
    await Promise.all(ncs.map((nc) => nc.close().catch(() => {})));
  }
  return r;
}

// ---- report ----

function fmt(v) {
  if (v === undefined) return "-";
  if (v >= 1000) return Math.round(v).toLocaleString("en-US");
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(3);
}

function report(servers, results, p) {
  const metrics = [
    ...new Set(servers.flatMap((s) => Object.keys(results[s.name] ?? {}))),
  ].filter((m) => m !== "errors");
  const lines = [];
  const mode = p.quick ? "quick" : "full";
  lines.push(
    `KV / Object Store benchmark (${mode}; node ${process.version}, ${os.cpus().length} CPUs; ` +
      "ratio > 1 means gannet is better)",
  );
  lines.push("");
  lines.push(`| metric | ${servers.map((s) => s.name).join(" | ")} | gannet/nats |`);
  lines.push(`| --- | ${servers.map(() => "---:").join(" | ")} | ---: |`);
  for (const m of metrics) {
    const n = results.nats?.[m];
    const g = results.gannet?.[m];
    let ratio = "-";
    if (n !== undefined && g !== undefined && n > 0 && g > 0) {
      ratio = (m.includes("lower is better") ? n / g : g / n).toFixed(2) + "x";
    }
    const cells = servers.map((s) => fmt(results[s.name]?.[m])).join(" | ");
    lines.push(`| ${m} | ${cells} | ${ratio} |`);
  }
  for (const s of servers) {
    for (const e of results[s.name]?.errors ?? []) lines.push(`\n${s.name} FAILED ${e}`);
    if (results[`${s.name}:error`]) lines.push(`\n${s.name} failed: ${results[`${s.name}:error`]}`);
  }
  return lines.join("\n");
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const servers = findServers(o);
  const p = o.quick
    ? { quick: true, seq: 1000, par: 100, ms: 2000, space: 1000, obj1: 3, obj50: 1, keys: 1e4 }
    : { quick: false, seq: 2e4, par: 2000, ms: 5000, space: 1e4, obj1: 20, obj50: 3, keys: 1e5 };
  if (o.keys) p.keys = o.keys;
  const results = {};
  for (const s of servers) {
    const log = (what) => console.error(`[${s.name}] ${what}`);
    log(`starting ${s.bin}`);
    const srv = await startServer(s.bin);
    try {
      results[s.name] = await runAll(srv.port, p, log);
    } catch (err) {
      results[`${s.name}:error`] = err?.message ?? String(err);
      log(`FAILED: ${results[`${s.name}:error`]}`);
    } finally {
      await srv.stop();
    }
  }
  console.log(report(servers, results, p));
  if (o.json) writeFileSync(o.json, JSON.stringify(results, null, 2));
  const failed = servers.some(
    (s) => results[`${s.name}:error`] || (results[s.name]?.errors ?? []).length > 0,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(`kv_bench: ${err?.message ?? err}`);
  process.exit(2);
});
