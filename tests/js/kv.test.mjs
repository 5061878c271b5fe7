// Key-Value buckets through the official JS client (@nats-io/kv 3.4 over @nats-io/jetstream),
// run with `node --test` against $GANNET_SERVER_BIN started with `-js -sd <fresh temp dir>` (see
// harness.mjs and run.sh). A bucket `b` is stream KV_b on `$KV.b.>` (NATS-REFERENCE.md §3); the
// expected values, error codes and stream configs are what nats-server 2.9.10 does. The C suite
// (tests/integration/it_kv*.c) drives the same conventions through libnats' kvStore_* API.

import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { JetStreamApiError, StorageType, jetstreamManager } from "@nats-io/jetstream";
import { KvWatchInclude, Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";

import { TestServer, delay, setWatchdog, waitUntil } from "./harness.mjs";

const T = { timeout: 15000 };
const NS = 1_000_000; // nanoseconds per millisecond
setWatchdog(170_000);

/** Starts the server under test with JetStream on a store dir inside its temp dir. */
async function startJs() {
  const srv = new TestServer(null, []);
  srv.args.push("-js", "-sd", path.join(srv.dir, "jetstream"));
  await srv.start();
  return srv;
}

/** Connects with quiet defaults. */
function nats(srv) {
  return connect({ servers: srv.hostport, reconnect: false });
}

/** Awaits `p`, expecting a JetStreamApiError with err_code `code`. */
async function rejectsWith(p, code, what) {
  await assert.rejects(p, (err) => {
    assert.ok(err instanceof JetStreamApiError, `${what}: ${err?.name} ${err?.message}`);
    assert.equal(err.code, code, `${what}: err_code ${err.code} (${err.message})`);
    return true;
  });
}

/**
 * Collects up to `max` items of a QueuedIterator (keys, history, watch), stopping it after `ms`
 * at the latest so that a server that never ends the iteration fails the test in bounded time.
 */
async function take(iter, max = Infinity, ms = 5000) {
  const out = [];
  const timer = setTimeout(() => iter.stop(), ms);
  try {
    if (max > 0) {
      for await (const x of iter) {
        out.push(x);
        if (out.length >= max) {
          break;
        }
      }
    }
  } finally {
    clearTimeout(timer);
    iter.stop();
  }
  return out;
}

/** The fields of a KvEntry that the tests compare: [key, operation, value, revision]. */
function brief(e) {
  return [e.key, e.operation, e.string(), e.revision];
}

describe("kv buckets", () => {
  let srv;
  let nc;
  let jsm;
  let kvm;

  before(async () => {
    srv = await startJs();
    nc = await nats(srv);
    jsm = await jetstreamManager(nc);
    kvm = new Kvm(nc);
  });
  after(async () => {
    await nc?.close();
    await srv?.cleanup();
  });

  test("create: stream KV_<b> follows the KV conventions, status reports it", T, async () => {
    const kv = await kvm.create("cfg", {
      history: 5,
      ttl: 60_000,
      maxValueSize: 1024,
      max_bytes: 1 << 20,
      storage: StorageType.File,
      description: "settings",
    });
    const si = await jsm.streams.info("KV_cfg");
    const c = si.config;
    assert.equal(c.name, "KV_cfg");
    assert.deepEqual(c.subjects, ["$KV.cfg.>"]);
    assert.equal(c.max_msgs_per_subject, 5);
    assert.equal(c.max_age, 60_000 * NS);
    assert.equal(c.duplicate_window, 60_000 * NS, "duplicate_window clamped to max_age");
    assert.equal(c.max_msg_size, 1024);
    assert.equal(c.max_bytes, 1 << 20);
    assert.equal(c.storage, "file");
    assert.equal(c.discard, "new");
    assert.equal(c.retention, "limits");
    assert.equal(c.allow_rollup_hdrs, true);
    assert.equal(c.allow_direct, true);
    assert.equal(c.description, "settings");
    assert.equal(si.state.messages, 0);

    const st = await kv.status();
    assert.equal(st.bucket, "cfg");
    assert.equal(st.history, 5);
    assert.equal(st.ttl, 60_000);
    assert.equal(st.maxValueSize, 1024);
    assert.equal(st.max_bytes, 1 << 20);
    assert.equal(st.storage, "file");
    assert.equal(st.values, 0);
    assert.equal(st.size, 0);

    await kv.put("a", "1");
    await kv.put("b", "22");
    const st2 = await kv.status();
    assert.equal(st2.values, 2);
    assert.ok(st2.size > 0, `size ${st2.size}`);
    assert.equal(st2.streamInfo.state.last_seq, 2);
  });

  test("update the bucket (history, ttl) through STREAM.UPDATE; open; list", T, async () => {
    const kv = await kvm.create("upd");
    assert.equal((await kv.status()).history, 1);
    const si = await jsm.streams.info("KV_upd");
    const cfg = { ...si.config, max_msgs_per_subject: 4, max_age: 300_000 * NS };
    await jsm.streams.update("KV_upd", cfg);
    const st = await kv.status();
    assert.equal(st.history, 4);
    assert.equal(st.ttl, 300_000);
    for (let i = 1; i <= 6; i++) {
      await kv.put("k", `v${i}`);
    }
    const h = await take(await kv.history({ key: "k" }));
    assert.deepEqual(h.map((e) => e.string()), ["v3", "v4", "v5", "v6"]);

    // create() of an existing bucket binds to it and keeps its config
    const again = await kvm.create("upd", { history: 2 });
    assert.equal((await again.status()).history, 4);
    const opened = await kvm.open("upd");
    assert.equal((await opened.get("k")).string(), "v6");

    const names = [];
    for await (const s of kvm.list()) {
      names.push(s.bucket);
    }
    assert.ok(names.includes("upd") && names.includes("cfg"), `list: ${names}`);
  });

  test("delete (destroy) the bucket: stream gone, not listed", T, async () => {
    const kv = await kvm.create("gone");
    await kv.put("x", "1");
    assert.equal(await kv.destroy(), true);
    await rejectsWith(jsm.streams.info("KV_gone"), 10059, "info after destroy");
    await rejectsWith(kv.status(), 10059, "status after destroy");
    const names = [];
    for await (const s of kvm.list()) {
      names.push(s.bucket);
    }
    assert.ok(!names.includes("gone"), `list: ${names}`);
  });

  test("memory storage bucket", T, async () => {
    const kv = await kvm.create("mem", { storage: StorageType.Memory, history: 2 });
    assert.equal((await jsm.streams.info("KV_mem")).config.storage, "memory");
    assert.equal((await kv.status()).storage, "memory");
    assert.equal(await kv.put("a", "x"), 1);
    assert.equal(await kv.put("a", "y"), 2);
    assert.equal(await kv.put("a", "z"), 3);
    assert.deepEqual(brief(await kv.get("a")), ["a", "PUT", "z", 3]);
    assert.equal((await kv.status()).values, 2);
  });

  test("put: revisions increase across keys; get returns the latest value", T, async () => {
    const kv = await kvm.create("rev", { history: 3 });
    assert.equal(await kv.put("a", "1"), 1);
    assert.equal(await kv.put("b", "2"), 2);
    assert.equal(await kv.put("a", "3"), 3);
    assert.equal(await kv.put("c.d.e", new Uint8Array([0, 1, 2, 255])), 4);
    const a = await kv.get("a");
    assert.deepEqual(brief(a), ["a", "PUT", "3", 3]);
    assert.equal(a.bucket, "rev");
    assert.equal(a.length, 1);
    assert.ok(a.created instanceof Date && Math.abs(a.created.getTime() - Date.now()) < 60_000);
    assert.deepEqual([...(await kv.get("c.d.e")).value], [0, 1, 2, 255]);
    assert.equal(await kv.put("empty", ""), 5);
    const e = await kv.get("empty");
    assert.equal(e.length, 0);
    assert.equal(e.operation, "PUT");
    assert.equal((await kv.put("a", "4")), 6);
  });

  test("missing key: get answers null (direct and non-direct)", T, async () => {
    const kv = await kvm.create("miss");
    assert.equal(await kv.get("nope"), null);
    await kv.put("there", "1");
    assert.equal(await kv.get("nope"), null);
    assert.equal(await kv.get("there.x"), null);
    const nd = await kvm.create("missnd", { allow_direct: false });
    assert.equal(await nd.get("nope"), null);
    await nd.put("there", "1");
    assert.equal(await nd.get("nope"), null);
  });

  test("create: only when absent, deleted or purged (expected last subject seq 0)", T, async () => {
    const kv = await kvm.create("crt", { history: 5 });
    assert.equal(await kv.create("k", "first"), 1);
    await rejectsWith(kv.create("k", "second"), 10071, "create over a live key");
    await kv.put("other", "o");
    await kv.delete("k");
    assert.equal(await kv.create("k", "after-del"), 4);
    assert.equal((await kv.get("k")).string(), "after-del");
    await kv.purge("k");
    assert.equal(await kv.create("k", "after-purge"), 6);
    assert.deepEqual(brief(await kv.get("k")), ["k", "PUT", "after-purge", 6]);
  });

  test("update: succeeds at the current revision, 10071 on a stale one", T, async () => {
    const kv = await kvm.create("upt", { history: 5 });
    const r1 = await kv.put("k", "a");
    await kv.put("z", "other key moves the stream sequence");
    const r2 = await kv.update("k", "b", r1);
    assert.equal(r2, 3);
    await rejectsWith(kv.update("k", "c", r1), 10071, "update at a stale revision");
    await rejectsWith(kv.update("nokey", "c", 2), 10071, "update of a missing key");
    const r3 = await kv.update("k", "c", r2);
    assert.equal(r3, 4);
    assert.equal((await kv.get("k")).string(), "c");
    // put with previousSeq is the same check
    await rejectsWith(kv.put("k", "d", { previousSeq: r2 }), 10071, "put previousSeq stale");
    assert.equal(await kv.put("k", "d", { previousSeq: r3 }), 5);
  });

  for (const direct of [true, false]) {
    test(`get at revision (allow_direct ${direct})`, T, async () => {
      const name = direct ? "atrev" : "atrevnd";
      const kv = await kvm.create(name, { history: 5, allow_direct: direct });
      assert.equal((await jsm.streams.info(`KV_${name}`)).config.allow_direct, direct);
      await kv.put("k", "v1");
      await kv.put("j", "j1");
      await kv.put("k", "v2");
      await kv.delete("k");
      assert.deepEqual(brief(await kv.get("k", { revision: 1 })), ["k", "PUT", "v1", 1]);
      assert.deepEqual(brief(await kv.get("k", { revision: 3 })), ["k", "PUT", "v2", 3]);
      const d = await kv.get("k", { revision: 4 });
      assert.deepEqual([d.key, d.operation, d.revision], ["k", "DEL", 4]);
      assert.equal(await kv.get("k", { revision: 2 }), null, "revision of another key");
      assert.equal(await kv.get("k", { revision: 99 }), null, "revision past the end");
      const last = await kv.get("k");
      assert.deepEqual([last.operation, last.revision, last.length], ["DEL", 4, 0]);
    });
  }

  test("delete and purge markers: KV-Operation DEL / PURGE with rollup", T, async () => {
    const kv = await kvm.create("mark", { history: 10 });
    await kv.put("k", "1");
    await kv.put("k", "2");
    await kv.put("o", "x");
    await kv.delete("k");
    const d = await kv.get("k");
    assert.deepEqual([d.operation, d.revision, d.length, d.value.length], ["DEL", 4, 0, 0]);
    let h = await take(await kv.history({ key: "k" }));
    assert.deepEqual(h.map(brief), [
      ["k", "PUT", "1", 1],
      ["k", "PUT", "2", 2],
      ["k", "DEL", "", 4],
    ]);
    // the raw stored marker carries the KV-Operation header and no body
    const sm = await jsm.streams.getMessage("KV_mark", { last_by_subj: "$KV.mark.k" });
    assert.equal(sm.header.get("KV-Operation"), "DEL");
    assert.equal(sm.data.length, 0);

    await kv.put("k", "3");
    await kv.purge("k");
    const p = await kv.get("k");
    assert.deepEqual([p.operation, p.revision], ["PURGE", 6]);
    h = await take(await kv.history({ key: "k" }));
    assert.deepEqual(h.map(brief), [["k", "PURGE", "", 6]], "purge rolls up the key's history");
    const psm = await jsm.streams.getMessage("KV_mark", { last_by_subj: "$KV.mark.k" });
    assert.equal(psm.header.get("KV-Operation"), "PURGE");
    assert.equal(psm.header.get("Nats-Rollup"), "sub");
    const si = await jsm.streams.info("KV_mark");
    assert.equal(si.state.messages, 2, "o and the purge marker remain");
    assert.equal((await kv.get("o")).string(), "x");

    // delete with an expected revision
    await kv.put("q", "1");
    await rejectsWith(kv.delete("q", { previousSeq: 1 }), 10071, "delete at a stale revision");
    await kv.delete("q", { previousSeq: 7 });
    assert.equal((await kv.get("q")).operation, "DEL");
  });

  test("purgeDeletes: STREAM.PURGE per marker, keep 1 (recent) or 0 (old)", T, async () => {
    const kv = await kvm.create("pdl", { history: 5 });
    await kv.put("a", "1");
    await kv.put("b", "1");
    await kv.put("b", "2");
    await kv.delete("b");
    await kv.put("c", "1");
    await kv.purge("c");
    assert.equal((await jsm.streams.info("KV_pdl")).state.messages, 5);
    let r = await kv.purgeDeletes();
    assert.equal(r.purged, 2, "b's two values go, markers younger than 30 min stay");
    assert.equal((await jsm.streams.info("KV_pdl")).state.messages, 3);
    const hb = await take(await kv.history({ key: "b" }));
    assert.deepEqual(hb.map(brief), [["b", "DEL", "", 4]]);
    r = await kv.purgeDeletes(-1000);
    assert.equal(r.purged, 2, "both markers go");
    const si = await jsm.streams.info("KV_pdl");
    assert.deepEqual([si.state.messages, si.state.first_seq, si.state.last_seq], [1, 1, 6]);
    assert.equal(await kv.get("b"), null);
    assert.equal((await kv.get("a")).string(), "1");
  });

  test("keys: all, filtered, without deleted or purged keys", T, async () => {
    const kv = await kvm.create("keys", { history: 3 });
    assert.deepEqual(await take(await kv.keys()), [], "empty bucket");
    for (const k of ["users.ann", "users.bob", "users.cid.x", "groups.a", "top"]) {
      await kv.put(k, "v");
    }
    await kv.put("users.ann", "again");
    await kv.put("gone", "1");
    await kv.delete("gone");
    await kv.put("purged", "1");
    await kv.purge("purged");
    const all = await take(await kv.keys());
    assert.deepEqual(all.sort(), ["groups.a", "top", "users.ann", "users.bob", "users.cid.x"]);
    assert.deepEqual((await take(await kv.keys("users.*"))).sort(), ["users.ann", "users.bob"]);
    assert.deepEqual((await take(await kv.keys("users.>"))).sort(), [
      "users.ann",
      "users.bob",
      "users.cid.x",
    ]);
    assert.deepEqual(await take(await kv.keys("top")), ["top"]);
    assert.deepEqual(await take(await kv.keys("nothing.>")), []);
    assert.deepEqual(await take(await kv.keys("gone")), []);
  });

  test("keys: 3000 keys listed once each", T, async () => {
    const kv = await kvm.create("many");
    const n = 3000;
    for (let i = 0; i < n; i += 100) {
      const batch = [];
      for (let j = i; j < i + 100; j++) {
        batch.push(kv.put(`k.${j}`, `${j}`));
      }
      await Promise.all(batch);
    }
    await kv.put("k.7", "again");
    const keys = await take(await kv.keys(), Infinity, 10000);
    assert.equal(keys.length, n);
    assert.equal(new Set(keys).size, n);
    assert.equal((await kv.get("k.2999")).string(), "2999");
    assert.equal((await kv.status()).values, n);
  });

  test("history: depth kept to the configured history, all keys in order", T, async () => {
    const kv = await kvm.create("hist", { history: 3 });
    for (let i = 1; i <= 5; i++) {
      await kv.put("k", `v${i}`);
    }
    await kv.put("j", "j1");
    await kv.delete("j");
    assert.equal((await jsm.streams.info("KV_hist")).state.messages, 5);
    const hk = await take(await kv.history({ key: "k" }));
    assert.deepEqual(hk.map(brief), [
      ["k", "PUT", "v3", 3],
      ["k", "PUT", "v4", 4],
      ["k", "PUT", "v5", 5],
    ]);
    const ha = await take(await kv.history());
    assert.deepEqual(ha.map((e) => e.revision), [3, 4, 5, 6, 7]);
    assert.deepEqual(ha.map((e) => e.operation), ["PUT", "PUT", "PUT", "PUT", "DEL"]);
    assert.deepEqual(await take(await kv.history({ key: "none" })), []);

    // history 1 (the default) keeps only the last value per key
    const one = await kvm.create("hist1");
    await one.put("k", "a");
    await one.put("k", "b");
    assert.equal((await jsm.streams.info("KV_hist1")).state.messages, 1);
    const h1 = await take(await one.history({ key: "k" }));
    assert.deepEqual(h1.map(brief), [["k", "PUT", "b", 2]]);
  });

  test("watch (last values): initial state then puts/deletes/purges in order", T, async () => {
    const kv = await kvm.create("w1", { history: 5 });
    await kv.put("a", "a1");
    await kv.put("b", "b1");
    await kv.put("a", "a2");
    await kv.delete("b");
    const w = await kv.watch();
    const got = take(w, 6);
    await delay(50);
    await kv.put("c", "c1");
    await kv.delete("a");
    await kv.put("b", "b2");
    await kv.purge("c");
    const es = await got;
    assert.deepEqual(es.map(brief), [
      ["a", "PUT", "a2", 3],
      ["b", "DEL", "", 4],
      ["c", "PUT", "c1", 5],
      ["a", "DEL", "", 6],
      ["b", "PUT", "b2", 7],
      ["c", "PURGE", "", 8],
    ]);
    assert.equal(es[0].isUpdate, false);
    assert.deepEqual(es.slice(2).map((e) => e.isUpdate), [true, true, true, true]);
  });

  test("watch with a key filter", T, async () => {
    const kv = await kvm.create("w2");
    await kv.put("dev.a", "1");
    await kv.put("prod.a", "1");
    const w = await kv.watch({ key: "dev.*" });
    const got = take(w, 3);
    await delay(50);
    await kv.put("prod.b", "2");
    await kv.put("dev.b", "2");
    await kv.put("dev.x.y", "3");
    await kv.put("dev.a", "3");
    const es = await got;
    assert.deepEqual(es.map(brief), [
      ["dev.a", "PUT", "1", 1],
      ["dev.b", "PUT", "2", 4],
      ["dev.a", "PUT", "3", 6],
    ]);
  });

  test("watch include history: every kept revision first", T, async () => {
    const kv = await kvm.create("w3", { history: 2 });
    await kv.put("a", "a1");
    await kv.put("a", "a2");
    await kv.put("a", "a3");
    await kv.put("b", "b1");
    const w = await kv.watch({ include: KvWatchInclude.AllHistory });
    const got = take(w, 4);
    await delay(50);
    await kv.put("a", "a4");
    const es = await got;
    assert.deepEqual(es.map(brief), [
      ["a", "PUT", "a2", 2],
      ["a", "PUT", "a3", 3],
      ["b", "PUT", "b1", 4],
      ["a", "PUT", "a4", 5],
    ]);
    assert.equal(es[3].isUpdate, true);
  });

  test("watch ignoring deletes", T, async () => {
    const kv = await kvm.create("w4");
    await kv.put("a", "1");
    await kv.put("b", "1");
    await kv.delete("a");
    const w = await kv.watch({ ignoreDeletes: true });
    const got = take(w, 4);
    await delay(50);
    await kv.delete("b");
    await kv.put("c", "1");
    await kv.purge("c");
    await kv.put("d", "1");
    const es = await got;
    // DEL markers are skipped (initial and live); PURGE markers are not
    assert.deepEqual(es.map(brief), [
      ["b", "PUT", "1", 2],
      ["c", "PUT", "1", 5],
      ["c", "PURGE", "", 6],
      ["d", "PUT", "1", 7],
    ]);
  });

  test("watch updates only: nothing from before, then every change", T, async () => {
    const kv = await kvm.create("w5", { history: 5 });
    await kv.put("a", "old");
    await kv.put("b", "old");
    const w = await kv.watch({ include: KvWatchInclude.UpdatesOnly });
    const got = take(w, 3);
    await delay(50);
    await kv.put("a", "new");
    await kv.delete("b");
    await kv.put("c", "new");
    const es = await got;
    assert.deepEqual(es.map(brief), [
      ["a", "PUT", "new", 3],
      ["b", "DEL", "", 4],
      ["c", "PUT", "new", 5],
    ]);
    assert.ok(es.every((e) => e.isUpdate));
  });

  test("watch on an empty bucket, then a watch with headers_only", T, async () => {
    const kv = await kvm.create("w6");
    const w = await kv.watch();
    const got = take(w, 1);
    await delay(50);
    await kv.put("a", "hello");
    const [e] = await got;
    assert.deepEqual(brief(e), ["a", "PUT", "hello", 1]);
    assert.equal(e.isUpdate, true);

    const ho = await kv.watch({ headers_only: true });
    const [h] = await take(ho, 1);
    assert.deepEqual([h.key, h.revision, h.value.length, h.length], ["a", 1, 0, 5]);
  });

  test("ttl: values expire after max_age", T, async () => {
    const kv = await kvm.create("ttl", { ttl: 1000 });
    const c = (await jsm.streams.info("KV_ttl")).config;
    assert.equal(c.max_age, 1000 * NS);
    assert.equal(c.duplicate_window, 1000 * NS);
    assert.equal((await kv.status()).ttl, 1000);
    await kv.put("k", "v");
    assert.equal((await kv.get("k")).string(), "v");
    await waitUntil(async () => (await kv.get("k")) === null, 6000, "the value to expire");
    assert.equal((await kv.status()).values, 0);
    assert.deepEqual(await take(await kv.keys()), []);
  });

  test("max_value_size: larger values are rejected (10054)", T, async () => {
    const kv = await kvm.create("mvs", { maxValueSize: 16 });
    assert.equal(await kv.put("ok", "x".repeat(16)), 1);
    await rejectsWith(kv.put("big", "x".repeat(17)), 10054, "17-byte value");
    assert.equal(await kv.get("big"), null);
    assert.equal((await kv.status()).values, 1);
  });

  test("max_bytes: discard new rejects puts once the bucket is full (10077)", T, async () => {
    const kv = await kvm.create("mb", { max_bytes: 2048, history: 10 });
    const v = "x".repeat(200);
    let stored = 0;
    let err = null;
    for (let i = 0; i < 30 && !err; i++) {
      try {
        await kv.put(`k${i}`, v);
        stored++;
      } catch (e) {
        err = e;
      }
    }
    assert.ok(err instanceof JetStreamApiError, `expected a rejection, stored ${stored}`);
    // nats-server 2.9 answers err_code 10077 (JSStreamStoreFailedF) with this description
    assert.equal(err.code, 10077, err.message);
    assert.equal(err.message, "maximum bytes exceeded");
    assert.ok(stored >= 5 && stored < 11, `stored ${stored}`);
    const st = await kv.status();
    assert.equal(st.values, stored);
    assert.ok(st.size <= 2048, `size ${st.size}`);
  });

  test("republish: every change is republished with the stream headers", T, async () => {
    const kv = await kvm.create("rp", {
      history: 2,
      republish: { src: "$KV.rp.>", dest: "rp.changes.>" },
    });
    const c = (await jsm.streams.info("KV_rp")).config;
    assert.deepEqual(c.republish, { src: "$KV.rp.>", dest: "rp.changes.>" });
    assert.deepEqual((await kv.status()).republish, { src: "$KV.rp.>", dest: "rp.changes.>" });

    const sub = nc.subscribe("rp.changes.>", { max: 3, timeout: 5000 });
    const hos = nc.subscribe("rph.>", { max: 1, timeout: 5000 });
    await nc.flush();
    await kv.put("user.1", "alice");
    await kv.put("user.1", "bob");
    await kv.delete("user.1");
    const ms = [];
    for await (const m of sub) {
      ms.push(m);
    }
    assert.deepEqual(
      ms.map((m) => m.subject),
      ["rp.changes.user.1", "rp.changes.user.1", "rp.changes.user.1"],
    );
    assert.deepEqual(ms.map((m) => m.string()), ["alice", "bob", ""]);
    assert.equal(ms[0].headers.get("Nats-Stream"), "KV_rp");
    assert.equal(ms[0].headers.get("Nats-Subject"), "$KV.rp.user.1");
    assert.equal(ms[0].headers.get("Nats-Sequence"), "1");
    assert.equal(ms[0].headers.get("Nats-Last-Sequence"), "0");
    assert.equal(ms[1].headers.get("Nats-Sequence"), "2");
    assert.equal(ms[1].headers.get("Nats-Last-Sequence"), "1");
    assert.equal(ms[2].headers.get("KV-Operation"), "DEL");

    // headers_only republish: empty body and Nats-Msg-Size
    const kh = await kvm.create("rph", {
      republish: { src: "$KV.rph.>", dest: "rph.>", headers_only: true },
    });
    await kh.put("k", "12345");
    for await (const m of hos) {
      assert.equal(m.subject, "rph.k");
      assert.equal(m.data.length, 0);
      assert.equal(m.headers.get("Nats-Msg-Size"), "5");
      assert.equal(m.headers.get("Nats-Stream"), "KV_rph");
    }
    assert.equal(hos.getProcessed(), 1);
  });

  test("invalid bucket and key names are refused by the client", T, async () => {
    await assert.rejects(kvm.create("bad.name"));
    const kv = await kvm.create("names");
    await assert.rejects(kv.put(".lead", "x"));
    await assert.rejects(kv.put("trail.", "x"));
    await assert.rejects(kv.put("sp ace", "x"));
    assert.equal(await kv.put("ok-_/=.Key9", "x"), 1);
    assert.equal((await kv.get("ok-_/=.Key9")).string(), "x");
  });
});

describe("kv across a restart (file storage)", () => {
  let srv;

  after(async () => {
    await srv?.cleanup();
  });

  test("buckets, values, history and revisions survive a restart", T, async () => {
    srv = await startJs();
    let nc = await nats(srv);
    let kvm = new Kvm(nc);
    const kv = await kvm.create("keep", { history: 3, max_bytes: 1 << 20 });
    await kv.put("a", "a1");
    await kv.put("a", "a2");
    await kv.put("b", "b1");
    await kv.delete("b");
    await kv.put("c", "c1");
    await kv.purge("c");
    await kvm.create("keep2");
    await nc.close();

    await srv.restart();
    nc = await nats(srv);
    kvm = new Kvm(nc);
    const jsm = await jetstreamManager(nc);
    const again = await kvm.open("keep");
    const st = await again.status();
    assert.equal(st.history, 3);
    assert.equal(st.max_bytes, 1 << 20);
    assert.equal(st.values, 5);
    assert.deepEqual(brief(await again.get("a")), ["a", "PUT", "a2", 2]);
    assert.deepEqual(brief(await again.get("a", { revision: 1 })), ["a", "PUT", "a1", 1]);
    assert.equal((await again.get("b")).operation, "DEL");
    assert.equal((await again.get("c")).operation, "PURGE");
    assert.deepEqual(await take(await again.keys()), ["a"]);
    assert.equal(await again.put("a", "a3"), 7, "revisions continue");
    await rejectsWith(again.create("a", "x"), 10071, "create over a live key after restart");
    assert.equal(await again.create("b", "b2"), 8);
    const names = (await jsm.streams.names().next()).sort();
    assert.deepEqual(names, ["KV_keep", "KV_keep2"]);
    await nc.close();
  });
});
