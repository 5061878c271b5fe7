// JetStream streams through the official JS client (@nats-io/jetstream jetstreamManager and
// jetstream), run with `node --test` against $GANNET_SERVER_BIN started with
// `-js -sd <fresh temp dir>` (see harness.mjs and run.sh). Error codes are the err_code values
// nats-server 2.9.10 sends; the C suite (tests/integration/it_js*.c) covers more edge cases.

import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { JetStreamApiError, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, headers } from "@nats-io/transport-node";

import { TestServer, delay } from "./harness.mjs";

const T = { timeout: 20000 };

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

/** Collects an async lister into an array. */
async function collect(lister) {
  const out = [];
  for await (const x of lister) {
    out.push(x);
  }
  return out;
}

describe("jetstream streams", () => {
  let srv;
  let nc;
  let jsm;
  let js;

  before(async () => {
    srv = await startJs();
    nc = await nats(srv);
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
  });
  after(async () => {
    await nc?.close();
    await srv?.cleanup();
  });

  test("add, info, update, delete", T, async () => {
    const si = await jsm.streams.add({ name: "ORDERS", subjects: ["orders.*"], max_msgs: 100 });
    assert.equal(si.config.name, "ORDERS");
    assert.deepEqual(si.config.subjects, ["orders.*"]);
    assert.equal(si.config.max_msgs, 100);
    assert.equal(si.config.storage, "file");
    assert.equal(si.config.retention, "limits");
    assert.equal(si.config.discard, "old");
    assert.equal(si.config.num_replicas, 1);
    assert.equal(si.config.max_bytes, -1);
    assert.equal(si.config.duplicate_window, 120_000_000_000);
    assert.equal(si.state.messages, 0);

    await js.publish("orders.new", "o1");
    const info = await jsm.streams.info("ORDERS");
    assert.equal(info.state.messages, 1);
    assert.equal(info.state.last_seq, 1);

    const up = await jsm.streams.update("ORDERS", { subjects: ["orders.*", "returns.*"], max_msgs: 5 });
    assert.deepEqual(up.config.subjects, ["orders.*", "returns.*"]);
    assert.equal(up.config.max_msgs, 5);
    assert.equal(up.state.messages, 1, "update keeps messages");

    assert.equal(await jsm.streams.delete("ORDERS"), true);
    await rejectsWith(jsm.streams.info("ORDERS"), 10059, "info after delete");
  });

  test("same config twice is fine, a different one is 10058", T, async () => {
    const cfg = { name: "TWICE", subjects: ["twice.>"], max_msgs: 10 };
    await jsm.streams.add(cfg);
    const again = await jsm.streams.add(cfg);
    assert.equal(again.config.name, "TWICE");
    await rejectsWith(jsm.streams.add({ ...cfg, max_msgs: 11 }), 10058, "different config");
  });

  test("subject overlap 10065, replicas 10074", T, async () => {
    await jsm.streams.add({ name: "OV1", subjects: ["ov.*"] });
    await rejectsWith(jsm.streams.add({ name: "OV2", subjects: ["ov.x"] }), 10065, "overlap");
    await rejectsWith(
      jsm.streams.add({ name: "R3", subjects: ["r3"], num_replicas: 3 }),
      10074,
      "num_replicas 3",
    );
  });

  test("publish acks and Nats-Msg-Id de-duplication", T, async () => {
    await jsm.streams.add({ name: "P", subjects: ["p.>"] });
    const pa = await js.publish("p.a", "one");
    assert.equal(pa.stream, "P");
    assert.equal(pa.seq, 1);
    assert.equal(pa.duplicate, false);
    const d1 = await js.publish("p.a", "two", { msgID: "id-1" });
    const d2 = await js.publish("p.a", "two again", { msgID: "id-1" });
    assert.equal(d1.seq, 2);
    assert.equal(d2.seq, 2);
    assert.equal(d2.duplicate, true);
    assert.equal((await jsm.streams.info("P")).state.messages, 2);
  });

  test("expected stream, last seq, last subject seq, last msg id", T, async () => {
    await jsm.streams.add({ name: "E", subjects: ["e.>"] });
    await js.publish("e.a", "1", { expect: { streamName: "E" } });
    await rejectsWith(js.publish("e.a", "x", { expect: { streamName: "NOT" } }), 10060, "stream");
    await js.publish("e.b", "2", { expect: { lastSequence: 1 } });
    await rejectsWith(js.publish("e.b", "x", { expect: { lastSequence: 1 } }), 10071, "last seq");
    await js.publish("e.a", "3", { expect: { lastSubjectSequence: 1 } });
    await rejectsWith(
      js.publish("e.a", "x", { expect: { lastSubjectSequence: 1 } }),
      10071,
      "last subject seq",
    );
    await js.publish("e.new", "4", { expect: { lastSubjectSequence: 0 } });
    await rejectsWith(
      js.publish("e.new", "x", { expect: { lastSubjectSequence: 0 } }),
      10071,
      "last subject seq 0 on a used subject",
    );
    await js.publish("e.c", "5", { msgID: "m5" });
    await js.publish("e.c", "6", { msgID: "m6", expect: { lastMsgID: "m5" } });
    await rejectsWith(
      js.publish("e.c", "x", { msgID: "m7", expect: { lastMsgID: "m5" } }),
      10070,
      "last msg id",
    );
    const si = await jsm.streams.info("E");
    assert.equal(si.state.messages, 6);
  });

  test("limits: max_msgs old and new, per subject, msg size, max_age", T, async () => {
    await jsm.streams.add({ name: "LO", subjects: ["lo"], max_msgs: 2 });
    for (let i = 0; i < 4; i++) {
      await js.publish("lo", `m${i}`);
    }
    let st = (await jsm.streams.info("LO")).state;
    assert.equal(st.messages, 2);
    assert.equal(st.first_seq, 3);

    await jsm.streams.add({ name: "LN", subjects: ["ln"], max_msgs: 2, discard: "new" });
    await js.publish("ln", "1");
    await js.publish("ln", "2");
    await rejectsWith(js.publish("ln", "3"), 10077, "discard new");

    await jsm.streams.add({ name: "LS", subjects: ["ls.*"], max_msgs_per_subject: 1 });
    await js.publish("ls.a", "1");
    await js.publish("ls.a", "2");
    await js.publish("ls.b", "3");
    st = (await jsm.streams.info("LS")).state;
    assert.equal(st.messages, 2);

    await jsm.streams.add({ name: "LZ", subjects: ["lz"], max_msg_size: 10 });
    await js.publish("lz", "0123456789");
    await rejectsWith(js.publish("lz", "0123456789a"), 10054, "max_msg_size");

    await jsm.streams.add({ name: "LA", subjects: ["la"], max_age: 1_000_000_000 });
    await js.publish("la", "old");
    await delay(1600);
    assert.equal((await jsm.streams.info("LA")).state.messages, 0, "expired after max_age");
  });

  test("purge, getMessage, deleteMessage", T, async () => {
    await jsm.streams.add({ name: "G", subjects: ["g.*"] });
    const h = headers();
    h.set("X-Test", "hv");
    await js.publish("g.a", "a1", { headers: h }); // 1
    await js.publish("g.b", "b1"); // 2
    await js.publish("g.a", "a2"); // 3
    await js.publish("g.b", "b2"); // 4
    await js.publish("g.c", "c1"); // 5

    const m1 = await jsm.streams.getMessage("G", { seq: 1 });
    assert.equal(m1.subject, "g.a");
    assert.equal(m1.string(), "a1");
    assert.equal(m1.header.get("X-Test"), "hv");
    const last = await jsm.streams.getMessage("G", { last_by_subj: "g.b" });
    assert.equal(last.seq, 4);
    assert.equal(await jsm.streams.getMessage("G", { seq: 99 }), null, "missing seq");

    assert.equal(await jsm.streams.deleteMessage("G", 2), true);
    assert.equal(await jsm.streams.deleteMessage("G", 3, false), true);
    assert.equal(await jsm.streams.getMessage("G", { seq: 2 }), null, "deleted");
    let st = (await jsm.streams.info("G")).state;
    assert.equal(st.messages, 3);
    assert.equal(st.num_deleted, 2);

    let pr = await jsm.streams.purge("G", { filter: "g.c" });
    assert.deepEqual([pr.success, pr.purged], [true, 1]);
    for (let i = 0; i < 3; i++) {
      await js.publish("g.a", `more${i}`); // 6, 7, 8
    }
    pr = await jsm.streams.purge("G", { filter: "g.a", keep: 1 });
    assert.equal(pr.purged, 3);
    pr = await jsm.streams.purge("G", { seq: 8 });
    assert.equal(pr.purged, 1, "purge up to seq 8 removes seq 4");
    pr = await jsm.streams.purge("G");
    assert.equal(pr.purged, 1);
    st = (await jsm.streams.info("G")).state;
    assert.deepEqual([st.messages, st.first_seq, st.last_seq], [0, 9, 8]);
  });

  test("names and list with a subject filter", T, async () => {
    for (const n of ["NA", "NB", "NC"]) {
      await jsm.streams.add({ name: n, subjects: [`${n.toLowerCase()}.>`] });
    }
    const names = await collect(jsm.streams.names());
    for (const n of ["NA", "NB", "NC"]) {
      assert.ok(names.includes(n), `${n} listed`);
    }
    assert.deepEqual(await collect(jsm.streams.names("nb.x.y")), ["NB"]);
    const infos = await collect(jsm.streams.list("nc.>"));
    assert.equal(infos.length, 1);
    assert.equal(infos[0].config.name, "NC");
    const ai = await jsm.getAccountInfo();
    assert.equal(ai.streams, names.length);
  });

  test("direct get", T, async () => {
    await jsm.streams.add({ name: "DG", subjects: ["dg.*"], allow_direct: true });
    await js.publish("dg.a", "a1");
    await js.publish("dg.a", "a2");
    const m = await jsm.direct.getMessage("DG", { last_by_subj: "dg.a" });
    assert.equal(m.string(), "a2");
    assert.equal(m.seq, 2);
    assert.equal(m.stream, "DG");
    assert.equal(m.subject, "dg.a");
    const r = await nc.request("$JS.API.DIRECT.GET.DG", JSON.stringify({ seq: 1 }));
    assert.equal(r.string(), "a1");
    assert.equal(r.headers.get("Nats-Sequence"), "1");
    assert.match(r.headers.get("Nats-Time-Stamp"), /^\d{4}-\d\d-\d\dT.*Z$/);
    const miss = await nc.request("$JS.API.DIRECT.GET.DG.dg.none", "");
    assert.equal(miss.headers.code, 404);
  });

  test("republish copies stored messages with a transformed subject and stream headers", T, async () => {
    await jsm.streams.add({
      name: "RP",
      subjects: ["rp.>"],
      republish: { src: "rp.*.>", dest: "out.$1.>" },
    });
    await jsm.streams.add({
      name: "RPH",
      subjects: ["rph.*"],
      republish: { src: "rph.*", dest: "outh.{{wildcard(1)}}", headers_only: true },
    });
    const sub = nc.subscribe("out.>", { max: 3 });
    const subh = nc.subscribe("outh.*", { max: 1 });
    await js.publish("rp.a.b.c", "hello");
    await js.publish("rp.x.y", "w");
    await js.publish("rp.a.b.c", "again");
    await js.publish("rph.k", "12345");
    const got = [];
    for await (const m of sub) {
      const h = m.headers;
      got.push([m.subject, m.string(), h.get("Nats-Stream"), h.get("Nats-Subject"),
        h.get("Nats-Sequence"), h.get("Nats-Last-Sequence")]);
    }
    assert.deepEqual(got, [
      ["out.a.b.c", "hello", "RP", "rp.a.b.c", "1", "0"],
      ["out.x.y", "w", "RP", "rp.x.y", "2", "0"],
      ["out.a.b.c", "again", "RP", "rp.a.b.c", "3", "1"],
    ]);
    for await (const m of subh) {
      assert.equal(m.subject, "outh.k");
      assert.equal(m.data.length, 0, "headers only: no payload");
      assert.equal(m.headers.get("Nats-Msg-Size"), "5");
    }
    await jsm.streams.delete("RP");
    await jsm.streams.delete("RPH");
  });

  test("bad JSON to STREAM.CREATE gets an error reply", T, async () => {
    const r = await nc.request("$JS.API.STREAM.CREATE.x", "{bad json");
    const body = r.json();
    assert.equal(body.error.err_code, 10025);
    assert.equal(body.type, "io.nats.jetstream.api.v1.stream_create_response");
    await jsm.getAccountInfo();
  });
});

describe("jetstream restart", () => {
  test("file streams come back after SIGTERM and a restart", T, async () => {
    const srv = await startJs();
    try {
      let nc = await nats(srv);
      let jsm = await jetstreamManager(nc);
      let js = jetstream(nc);
      await jsm.streams.add({ name: "REC", subjects: ["rec.>"], max_msgs: 1000, description: "d" });
      for (let i = 1; i <= 5; i++) {
        await js.publish("rec.a", `m${i}`, { msgID: `id-${i}` });
      }
      await jsm.streams.deleteMessage("REC", 2);
      const before = (await jsm.streams.info("REC")).state;
      await nc.close();

      await srv.restart();
      nc = await nats(srv);
      jsm = await jetstreamManager(nc);
      js = jetstream(nc);
      const si = await jsm.streams.info("REC");
      assert.equal(si.config.max_msgs, 1000);
      assert.equal(si.config.description, "d");
      assert.deepEqual(
        [si.state.messages, si.state.first_seq, si.state.last_seq, si.state.bytes],
        [before.messages, before.first_seq, before.last_seq, before.bytes],
      );
      assert.equal((await jsm.streams.getMessage("REC", { seq: 5 })).string(), "m5");
      const dup = await js.publish("rec.a", "again", { msgID: "id-5" });
      assert.equal(dup.duplicate, true, "dedup state recovered");
      assert.equal((await js.publish("rec.a", "m6")).seq, 6, "sequence continues");
      await nc.close();
    } finally {
      await srv.cleanup();
    }
  });
});
