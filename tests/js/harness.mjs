// Harness for the JS integration tests: runs the server under test ($GANNET_SERVER_BIN) the way
// tests/integration/harness.c does: `-a 127.0.0.1 -p <free port> [-c <conf>] [extra args]`, a
// config file in a fresh temp dir, a bounded wait until the port accepts, and SIGTERM then
// SIGKILL to stop. Servers run under `setpriv --pdeathsig KILL` when available, and every live
// server is killed when this process exits or the watchdog fires, so none is left behind.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const START_TIMEOUT_MS = 5000;
const STOP_TIMEOUT_MS = 5000;
const WATCHDOG_MS = 55000;
const SETPRIV = "/usr/bin/setpriv";

const live = new Set(); // servers started and not yet stopped

/** Last resort (exit, signal, watchdog, orphaned): SIGKILL every live server, drop its dir. */
function killAll() {
  for (const srv of live) {
    try {
      srv.proc?.kill("SIGKILL");
    } catch {
      // already gone
    }
    rmSync(srv.dir, { recursive: true, force: true });
  }
  live.clear();
}

/** Ends this process after killAll(), with a message on stderr. */
function bailOut(why, code) {
  console.error(`FAIL: ${why}; killing servers`);
  killAll();
  process.exit(code);
}

process.on("exit", killAll);
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.on(sig, () => bailOut(sig, 2));
}
// `node --test` runs each file in a child process; if the runner is killed (CTest timeout), the
// child is orphaned: notice it and take the servers down with it.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) {
    bailOut("the test runner went away", 2);
  }
}, 200).unref();
let watchdog = null;

/**
 * (Re)arms the per-file watchdog: after `ms` milliseconds every live server is killed and this
 * process exits with code 3. Armed at WATCHDOG_MS on import; suites that legitimately run longer
 * (KV, Object Store) call it once at top level, and their CTest TIMEOUT must exceed `ms`.
 */
export function setWatchdog(ms) {
  if (watchdog) {
    clearTimeout(watchdog);
  }
  watchdog = setTimeout(() => bailOut(`watchdog: over ${ms} ms`, 3), ms);
  watchdog.unref();
}
setWatchdog(WATCHDOG_MS);

/** Path of the server under test; throws when GANNET_SERVER_BIN is unset. */
export function serverBin() {
  const bin = process.env.GANNET_SERVER_BIN;
  if (!bin) {
    throw new Error("GANNET_SERVER_BIN is not set (path of the server under test)");
  }
  return bin;
}

/** Resolves after `ms` milliseconds. */
export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `pred` every 5 ms until it returns true; rejects with `what` after `timeoutMs`. */
export async function waitUntil(pred, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await delay(5);
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function portAccepts(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** One server process under test; create with startServer(). */
export class TestServer {
  constructor(conf, args) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), "gannet-itjs-"));
    this.conf = null;
    if (conf) {
      this.conf = path.join(this.dir, "server.conf");
      writeFileSync(this.conf, conf);
    }
    this.args = args ?? [];
    this.log = path.join(this.dir, "server.log");
    this.port = 0;
    this.proc = null;
    this.exited = null;
  }

  /** "nats://127.0.0.1:<port>" */
  get url() {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** "127.0.0.1:<port>", the form nats.js takes in `servers`. */
  get hostport() {
    return `127.0.0.1:${this.port}`;
  }

  spawn() {
    const argv = ["-a", "127.0.0.1", "-p", String(this.port)];
    if (this.conf) {
      argv.push("-c", this.conf);
    }
    argv.push(...this.args);
    const out = { stdio: ["ignore", "pipe", "pipe"] };
    const proc = existsSync(SETPRIV)
      ? spawn(SETPRIV, ["--pdeathsig", "KILL", "--", serverBin(), ...argv], out)
      : spawn(serverBin(), argv, out);
    const chunks = [];
    proc.stdout.on("data", (d) => chunks.push(d));
    proc.stderr.on("data", (d) => chunks.push(d));
    this.exited = new Promise((resolve) => {
      proc.once("close", (code, signal) => {
        writeFileSync(this.log, Buffer.concat(chunks), { flag: "a" });
        resolve({ code, signal });
      });
    });
    proc.once("error", () => {}); // reported through the exit code and the readiness wait
    this.proc = proc;
    live.add(this);
  }

  /** Waits until the port accepts; returns "ok", "exited" or "timeout". */
  async waitReady() {
    let gone = false;
    this.exited.then(() => {
      gone = true;
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (gone) {
        return "exited";
      }
      if (await portAccepts(this.port)) {
        return "ok";
      }
      await delay(5);
    }
    return "timeout";
  }

  /** Starts on a free port, retrying on another one if the process exits at once. */
  async start() {
    let state = "exited";
    for (let attempt = 0; attempt < 3 && state === "exited"; attempt++) {
      this.port = await freePort();
      this.spawn();
      state = await this.waitReady();
    }
    if (state !== "ok") {
      await this.cleanup();
      throw new Error(`server did not start (${state}); log:\n${this.logTail()}`);
    }
  }

  /** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves once the process is reaped. */
  async stop() {
    if (!this.proc) {
      return;
    }
    const proc = this.proc;
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
    live.delete(this);
    this.proc = null;
  }

  /** Stops and starts again on the same port, retrying while the port is still held. */
  async restart() {
    await this.stop();
    const deadline = Date.now() + START_TIMEOUT_MS;
    let state = "exited";
    while (state === "exited" && Date.now() < deadline) {
      this.spawn();
      state = await this.waitReady();
      if (state === "exited") {
        await delay(20);
      }
    }
    if (state !== "ok") {
      throw new Error(`server did not restart on port ${this.port}; log:\n${this.logTail()}`);
    }
  }

  /** The last 3000 bytes of the server's output (of processes that have exited). */
  logTail() {
    try {
      return readFileSync(this.log, "utf8").slice(-3000);
    } catch {
      return "(no log)";
    }
  }

  /** Stops the server and removes its temp dir. */
  async cleanup() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Starts a server with an optional config text and extra command-line arguments. */
export async function startServer({ conf = null, args = [] } = {}) {
  const srv = new TestServer(conf, args);
  await srv.start();
  return srv;
}

/**
 * Opens a raw TCP connection, sends `text` after the INFO line, and collects everything the
 * server sends until it closes the connection or `timeoutMs` passes.
 * Resolves { data, closed }.
 */
export function rawExchange(port, text, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: "127.0.0.1", port });
    let data = "";
    let sent = false;
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ data, closed: false });
    }, timeoutMs);
    s.on("data", (d) => {
      data += d.toString("latin1");
      if (!sent && data.includes("\r\n")) {
        sent = true;
        s.write(text);
      }
    });
    s.once("close", () => {
      clearTimeout(timer);
      resolve({ data, closed: true });
    });
    s.once("error", (err) => {
      if (err.code !== "ECONNRESET") {
        clearTimeout(timer);
        reject(err);
      }
    });
  });
}
