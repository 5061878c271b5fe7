// Object Store buckets through the official JS client (@nats-io/obj 3.4 over @nats-io/jetstream),
// run with `node --test` against $GANNET_SERVER_BIN started with `-js -sd <fresh temp dir>` (see
// harness.mjs and run.sh). A bucket `b` is stream OBJ_b on `$O.b.C.>` (chunks, one subject per
// object nuid) and `$O.b.M.>` (meta, one subject per name) (NATS-REFERENCE.md §3); expected values
// are what nats-server 2.9.10 does.

import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { JetStreamApiError, StorageType, jetstreamManager } from "@nats-io/jetstream";
import { Objm } from "@nats-io/obj";
import { connect, headers } from "@nats-io/transport-node";

import { TestServer, delay, setWatchdog } from "./harness.mjs";

const T = { timeout: 15000 };
const T_BIG = { timeout: 60000 };
const CHUNK = 128 * 1024; // the client's default max_chunk_size
const NS = 1_000_000; // nanoseconds per millisecond
setWatchdog(170_000);

/** Starts the server under test with JetStream on a store dir inside its temp dir. */
async function startJs() {
  const srv = new TestServer(null, []);
  srv.args.push("-js", "-sd", path.join(srv.dir, "jetstream"));
  await srv.start();
  return srv;
}

/** Connects with quiet defaults; object puts of 50 MB need a generous JS timeout. */
function nats(srv) {
  return connect({ servers: srv.hostport, reconnect: false });
}

/** "SHA-256=<base64url with padding>", the digest form the clients write into ObjectInfo. */
function digestOf(buf) {
  return `SHA-256=${b64urlPadded(createHash("sha256").update(buf).digest())}`;
}

/** Base64url with `=` padding, the encoding of digests and meta subject tokens. */
function b64urlPadded(buf) {
  return Buffer.from(buf).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

/** A ReadableStream that yields `buf` in slices of `piece` bytes. */
function streamOf(buf, piece = 1 << 20) {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= buf.length) {
        c.close();
        return;
      }
      c.enqueue(buf.subarray(off, off + piece));
      off += piece;
    },
  });
}

/** Reads an ObjectResult's data to one Buffer and checks that its error promise has no error. */
async function readAll(res) {
  const parts = [];
  for await (const p of res.data) {
    parts.push(p);
  }
  assert.ok(!(await res.error), "ObjectResult.error");
  return Buffer.concat(parts);
}

/** Collects up to `max` items of a QueuedIterator, stopping it after `ms` at the latest. */
async function take(iter, max = Infinity, ms = 5000) {
  const out = [];
  const timer = setTimeout(() => iter.stop(), ms);
  try {
    for await (const x of iter) {
      out.push(x);
      if (out.length >= max) {
        break;
      }
    }
  } finally {
    clearTimeout(timer);
    iter.stop();
  }
  return out;
}

/** Per-subject message counts of stream `name` under `filter`. */
async function subjectCounts(jsm, name, filter) {
  const si = await jsm.streams.info(name, { subjects_filter: filter });
  return si.state.subjects ?? {};
}

describe("object store buckets", () => {
  let srv;
  let nc;
  let jsm;
  let objm;

  before(async () => {
    srv = await startJs();
    nc = await nats(srv);
    jsm = await jetstreamManager(nc);
    objm = new Objm(nc);
  });
  after(async () => {
    await nc?.close();
    await srv?.cleanup();
  });

  test("create: stream OBJ_<b> follows the conventions; status", T, async () => {
    const os = await objm.create("cfg", {
      description: "files",
      ttl: 3_600_000 * NS,
      max_bytes: 64 << 20,
      storage: StorageType.File,
    });
    const c = (await jsm.streams.info("OBJ_cfg")).config;
    assert.equal(c.name, "OBJ_cfg");
    assert.deepEqual(c.subjects, ["$O.cfg.C.>", "$O.cfg.M.>"]);
    assert.equal(c.discard, "new");
    assert.equal(c.allow_rollup_hdrs, true);
    assert.equal(c.allow_direct, true);
    assert.equal(c.max_age, 3_600_000 * NS);
    assert.equal(c.max_bytes, 64 << 20);
    assert.equal(c.storage, "file");
    assert.equal(c.description, "files");
    const st = await os.status();
    assert.equal(st.bucket, "cfg");
    assert.equal(st.description, "files");
    assert.equal(st.ttl, 3_600_000 * NS);
    assert.equal(st.storage, "file");
    assert.equal(st.replicas, 1);
    assert.equal(st.sealed, false);
    assert.equal(st.size, 0);
    assert.equal(st.backingStore, "JetStream");

    const mem = await objm.create("cfgmem", { storage: StorageType.Memory });
    assert.equal((await mem.status()).storage, "memory");
    await mem.putBlob({ name: "m" }, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...(await mem.getBlob("m"))], [1, 2, 3]);

    const names = [];
    for await (const s of objm.list()) {
      names.push(s.bucket);
    }
    assert.deepEqual(names.sort(), ["cfg", "cfgmem"]);
  });

  test("put/get of a small object: info fields, digest, chunk and meta messages", T, async () => {
    const os = await objm.create("small");
    const data = Buffer.from("hello object store");
    const info = await os.putBlob({ name: "greeting.txt", description: "hi" }, data);
    assert.equal(info.name, "greeting.txt");
    assert.equal(info.bucket, "small");
    assert.equal(info.size, data.length);
    assert.equal(info.chunks, 1);
    assert.equal(info.digest, digestOf(data));
    assert.equal(info.deleted, false);
    assert.equal(info.revision, 2, "chunk is seq 1, meta is seq 2");
    const got = await os.info("greeting.txt");
    assert.equal(got.nuid, info.nuid);
    assert.equal(got.description, "hi");
    assert.equal(got.revision, 2);
    assert.equal(got.digest, digestOf(data));
    assert.ok(!Number.isNaN(Date.parse(got.mtime)), got.mtime);
    assert.deepEqual(Buffer.from(await os.getBlob("greeting.txt")), data);

    const sm = await jsm.streams.getMessage("OBJ_small", { seq: 2 });
    assert.equal(sm.subject, `$O.small.M.${b64urlPadded("greeting.txt")}`);
    assert.equal(sm.header.get("Nats-Rollup"), "sub");
    const chunk = await jsm.streams.getMessage("OBJ_small", { seq: 1 });
    assert.equal(chunk.subject, `$O.small.C.${info.nuid}`);

    await os.putBlob({ name: "ab" }, Buffer.from("x"));
    const padded = await jsm.streams.getMessage("OBJ_small", { last_by_subj: "$O.small.M.YWI=" });
    assert.equal(padded.json().name, "ab");

    assert.equal(await os.info("missing"), null);
    assert.equal(await os.get("missing"), null);

    const empty = await os.putBlob({ name: "empty" }, new Uint8Array(0));
    assert.deepEqual([empty.size, empty.chunks], [0, 0]);
    assert.equal((await os.getBlob("empty")).length, 0);
  });

  test("put of an object spanning many chunks (default and custom chunk size)", T, async () => {
    const os = await objm.create("chunks");
    const data = randomBytes(8 * CHUNK + 7);
    const info = await os.put({ name: "blob" }, streamOf(data, 100_000));
    assert.equal(info.size, data.length);
    assert.equal(info.chunks, 9);
    assert.equal(info.options.max_chunk_size, CHUNK);
    assert.equal(info.digest, digestOf(data));
    const counts = await subjectCounts(jsm, "OBJ_chunks", "$O.chunks.C.>");
    assert.deepEqual(counts, { [`$O.chunks.C.${info.nuid}`]: 9 });
    const res = await os.get("blob");
    assert.equal(res.info.size, data.length);
    assert.ok((await readAll(res)).equals(data));

    const small = randomBytes(10_000);
    const ci = await os.putBlob({ name: "tiny-chunks", options: { max_chunk_size: 1000 } }, small);
    assert.equal(ci.chunks, 10);
    assert.ok(Buffer.from(await os.getBlob("tiny-chunks")).equals(small));
    const si = await jsm.streams.info("OBJ_chunks");
    assert.equal(si.state.messages, 9 + 1 + 10 + 1);
  });

  test("a 50 MB object round-trips byte-identical with its digest", T_BIG, async () => {
    const os = await objm.create("big");
    const data = randomBytes(50 << 20);
    const info = await os.put({ name: "fifty.bin" }, streamOf(data), { timeout: 20000 });
    assert.equal(info.size, 50 << 20);
    assert.equal(info.chunks, 400);
    assert.equal(info.digest, digestOf(data));
    const si = await jsm.streams.info("OBJ_big");
    assert.equal(si.state.messages, 401);
    assert.ok(si.state.bytes > 50 << 20, `bytes ${si.state.bytes}`);
    const res = await os.get("fifty.bin");
    const back = await readAll(res);
    assert.equal(back.length, data.length);
    assert.ok(back.equals(data), "bytes differ");
    assert.equal(digestOf(back), info.digest);
  });

  test("delete: meta marked deleted, chunks purged, stream shrinks", T, async () => {
    const os = await objm.create("del");
    const data = randomBytes(5 * CHUNK);
    const info = await os.putBlob({ name: "doomed" }, data);
    await os.putBlob({ name: "kept" }, Buffer.from("k"));
    let si = await jsm.streams.info("OBJ_del");
    assert.equal(si.state.messages, 5 + 1 + 1 + 1);
    const before = si.state.bytes;
    assert.ok(before > 5 * CHUNK);

    const pr = await os.delete("doomed");
    assert.equal(pr.success, true);
    assert.equal(pr.purged, 5);
    si = await jsm.streams.info("OBJ_del");
    assert.equal(si.state.messages, 3, "two metas and one chunk remain");
    assert.ok(si.state.bytes < 4096, `bytes after delete ${si.state.bytes} (before ${before})`);
    assert.deepEqual(await subjectCounts(jsm, "OBJ_del", `$O.del.C.${info.nuid}`), {});

    const di = await os.info("doomed");
    assert.equal(di.deleted, true);
    assert.deepEqual([di.size, di.chunks, di.digest], [0, 0, ""]);
    assert.equal(await os.get("doomed"), null);
    assert.equal(Buffer.from(await os.getBlob("kept")).toString(), "k");
    const missing = await os.delete("never-there");
    assert.deepEqual([missing.success, missing.purged], [false, 0]);

    // put again under the deleted name
    await os.putBlob({ name: "doomed" }, Buffer.from("again"));
    assert.equal(Buffer.from(await os.getBlob("doomed")).toString(), "again");
  });

  test("overwrite: the old chunks are purged, only the new object remains", T, async () => {
    const os = await objm.create("over");
    const first = await os.putBlob({ name: "o" }, randomBytes(3 * CHUNK));
    const data = randomBytes(2 * CHUNK + 1);
    const second = await os.putBlob({ name: "o" }, data);
    assert.notEqual(second.nuid, first.nuid);
    const counts = await subjectCounts(jsm, "OBJ_over", "$O.over.C.>");
    assert.deepEqual(counts, { [`$O.over.C.${second.nuid}`]: 3 });
    assert.equal((await jsm.streams.info("OBJ_over")).state.messages, 4);
    assert.ok(Buffer.from(await os.getBlob("o")).equals(data));
  });

  test("list: live objects only", T, async () => {
    const os = await objm.create("lst");
    assert.deepEqual(await os.list(), []);
    for (const n of ["a", "b/c.txt", "d e"]) {
      await os.putBlob({ name: n }, Buffer.from(n));
    }
    await os.putBlob({ name: "x" }, Buffer.from("x"));
    await os.delete("x");
    await os.putBlob({ name: "a" }, Buffer.from("a2"));
    const l = await os.list();
    assert.deepEqual(l.map((i) => i.name).sort(), ["a", "b/c.txt", "d e"]);
    assert.equal(l.find((i) => i.name === "a").size, 2);
  });

  test("links: to an object, across buckets, to a bucket; bad links refused", T, async () => {
    const os = await objm.create("lnk");
    const other = await objm.create("lnk2");
    const data = randomBytes(CHUNK + 5);
    const src = await os.putBlob({ name: "src" }, data);
    const ln = await os.link("ln", src);
    assert.equal(ln.name, "ln");
    assert.deepEqual(ln.options.link, { bucket: "lnk", name: "src" });
    assert.ok(Buffer.from(await os.getBlob("ln")).equals(data));

    const far = await other.link("far", src);
    assert.deepEqual(far.options.link, { bucket: "lnk", name: "src" });
    assert.ok(Buffer.from(await other.getBlob("far")).equals(data));

    await assert.rejects(os.link("ln2", await os.info("ln")), /link/);
    await assert.rejects(os.link("src", src), /already exists/);
    const bl = await other.linkStore("whole", os);
    assert.deepEqual(bl.options.link, { bucket: "lnk" });
    await assert.rejects(other.get("whole"), /link is a bucket/);

    await os.delete("src");
    await assert.rejects(os.link("ln3", await os.info("src")), /deleted/);
    assert.equal(await os.get("ln"), null, "link to a deleted object");
  });

  test("metadata update: description, headers, rename", T, async () => {
    const os = await objm.create("meta");
    const data = Buffer.from("payload");
    const orig = await os.putBlob({ name: "doc", description: "v1" }, data);
    const h = headers();
    h.set("Content-Type", "text/plain");
    await os.update("doc", { description: "v2", headers: h });
    let i = await os.info("doc");
    assert.equal(i.description, "v2");
    assert.equal(i.headers.get("Content-Type"), "text/plain");
    assert.equal(i.digest, digestOf(data));
    assert.equal(Buffer.from(await os.getBlob("doc")).toString(), "payload");

    await os.update("doc", { name: "renamed" });
    assert.equal(await os.info("doc"), null);
    i = await os.info("renamed");
    assert.equal(i.name, "renamed");
    assert.equal(i.nuid, orig.nuid, "same chunks under the new name");
    assert.equal(Buffer.from(await os.getBlob("renamed")).toString(), "payload");

    await os.putBlob({ name: "taken" }, Buffer.from("t"));
    await assert.rejects(os.update("renamed", { name: "taken" }), /already exists/);
    await assert.rejects(os.update("nothing", { description: "x" }), /not found/);
  });

  test("watch: new puts and deletes in order; with history; ignoring deletes", T, async () => {
    const os = await objm.create("wt");
    await os.putBlob({ name: "old" }, Buffer.from("1"));
    const w = await os.watch();
    const got = take(w, 3);
    await delay(50);
    await os.putBlob({ name: "n1" }, Buffer.from("n1"));
    await os.putBlob({ name: "n2" }, Buffer.from("n2"));
    await os.delete("n1");
    const es = await got;
    assert.deepEqual(
      es.map((e) => [e.name, e.deleted, e.isUpdate]),
      [
        ["n1", false, true],
        ["n2", false, true],
        ["n1", true, true],
      ],
    );

    const wh = await os.watch({ includeHistory: true });
    const gh = take(wh, 4);
    await delay(50);
    await os.putBlob({ name: "n3" }, Buffer.from("n3"));
    assert.deepEqual(
      (await gh).map((e) => [e.name, e.deleted]),
      [
        ["old", false],
        ["n2", false],
        ["n1", true],
        ["n3", false],
      ],
    );

    const wi = await os.watch({ includeHistory: true, ignoreDeletes: true });
    const gi = take(wi, 4);
    await delay(50);
    await os.delete("n2");
    await os.putBlob({ name: "n4" }, Buffer.from("n4"));
    assert.deepEqual(
      (await gi).map((e) => e.name),
      ["old", "n2", "n3", "n4"],
    );
  });

  test("max_bytes: an object too large is refused and its chunks cleaned up", T, async () => {
    const os = await objm.create("cap", { max_bytes: 3 * CHUNK });
    await assert.rejects(os.putBlob({ name: "huge" }, randomBytes(5 * CHUNK)), (err) => {
      assert.ok(err instanceof JetStreamApiError, `${err?.name}: ${err?.message}`);
      return true;
    });
    const si = await jsm.streams.info("OBJ_cap");
    assert.equal(si.state.messages, 0, "partial chunks purged by the client");
    assert.equal(await os.info("huge"), null);
    const ok = await os.putBlob({ name: "fits" }, randomBytes(CHUNK));
    assert.equal(ok.chunks, 1);
  });

  test("seal: a sealed bucket refuses puts", T, async () => {
    const os = await objm.create("seal");
    await os.putBlob({ name: "a" }, Buffer.from("a"));
    const st = await os.seal();
    assert.equal(st.sealed, true);
    await assert.rejects(os.putBlob({ name: "b" }, Buffer.from("b")));
    assert.equal(Buffer.from(await os.getBlob("a")).toString(), "a");
  });

  test("destroy: stream gone, status fails, not listed", T, async () => {
    const os = await objm.create("gone");
    await os.putBlob({ name: "a" }, randomBytes(2 * CHUNK));
    assert.equal(await os.destroy(), true);
    await assert.rejects(jsm.streams.info("OBJ_gone"), /stream not found/);
    await assert.rejects(os.status(), /not found/);
    await assert.rejects(objm.open("gone"), /not found/);
    const names = [];
    for await (const s of objm.list()) {
      names.push(s.bucket);
    }
    assert.ok(!names.includes("gone"), `${names}`);
  });
});

describe("object store across a restart (file storage)", () => {
  let srv;

  after(async () => {
    await srv?.cleanup();
  });

  test("buckets, objects, metadata and deletions survive a restart", T_BIG, async () => {
    srv = await startJs();
    let nc = await nats(srv);
    let objm = new Objm(nc);
    const os = await objm.create("keep", { description: "kept" });
    const data = randomBytes(6 * CHUNK + 99);
    const info = await os.putBlob({ name: "big", description: "d" }, data);
    await os.putBlob({ name: "small" }, Buffer.from("s"));
    await os.putBlob({ name: "gone" }, randomBytes(CHUNK));
    await os.delete("gone");
    await nc.close();

    await srv.restart();
    nc = await nats(srv);
    objm = new Objm(nc);
    const again = await objm.open("keep");
    assert.equal((await again.status()).description, "kept");
    const bi = await again.info("big");
    assert.deepEqual(
      [bi.nuid, bi.size, bi.chunks, bi.digest, bi.description],
      [info.nuid, data.length, 7, digestOf(data), "d"],
    );
    assert.ok(Buffer.from(await again.getBlob("big")).equals(data));
    assert.equal(Buffer.from(await again.getBlob("small")).toString(), "s");
    assert.equal((await again.info("gone")).deleted, true);
    assert.deepEqual((await again.list()).map((i) => i.name).sort(), ["big", "small"]);
    const jsm = await jetstreamManager(nc);
    assert.equal((await jsm.streams.info("OBJ_keep")).state.messages, 7 + 1 + 1 + 1 + 1);
    await nc.close();
  });
});
