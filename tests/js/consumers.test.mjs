// JetStream consumers through the official JS client (@nats-io/jetstream 3.4: consumers.get()
// with fetch(), next() and consume(), ordered consumers, push consumers), run with `node --test`
// against $GANNET_SERVER_BIN started with `-js -sd <fresh temp dir>` (see harness.mjs, run.sh).
// Expected values are what nats-server 2.9.10 does; the C suite (tests/integration/it_jsc*.c)
// covers status messages, ack subjects and edge cases in more detail.

import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, nanos } from "@nats-io/transport-node";

import { TestServer, waitUntil } from "./harness.mjs";

const T = { timeout: 20000 };

/** Starts the server under test with JetStream on a store dir inside its temp dir. */
async function startJs() {
  const srv = new TestServer(null, []);
  srv.args.push("-js", "-sd", path.join(srv.dir, "jetstream"));
  await srv.start();
  return srv;
}

/** Collects the messages of a ConsumerMessages iterator (fetch) into an array. */
async function drain(iter) {
  const out = [];
  for await (const m of iter) {
    out.push(m);
  }
  return out;
}

/**
 * Closes the ConsumerMessages iterator `iter` after `ms` unless `done()` was called first, so
 * that a `for await` loop over a consumer that stalls ends (and its test fails) in bounded time.
 */
function closeAfter(iter, ms) {
  const timer = setTimeout(() => iter.close(), ms);
  return { done: () => clearTimeout(timer) };
}

/** The counters the tests compare exactly, picked out of a ConsumerInfo. */
function counters(ci) {
  return {
    delivered: [ci.delivered.consumer_seq, ci.delivered.stream_seq],
    ack_floor: [ci.ack_floor.consumer_seq, ci.ack_floor.stream_seq],
    num_ack_pending: ci.num_ack_pending,
    num_pending: ci.num_pending,
    num_redelivered: ci.num_redelivered,
  };
}

describe("jetstream consumers", () => {
  let srv;
  let nc;
  let jsm;
  let js;

  before(async () => {
    srv = await startJs();
    nc = await connect({ servers: srv.hostport, reconnect: false });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
  });
  after(async () => {
    await nc?.close();
    await srv?.cleanup();
  });

  /** Adds stream `name` on `<prefix>.>` and publishes `n` messages "m<i>" to `<prefix>.a`. */
  async function streamWith(name, prefix, n) {
    await jsm.streams.add({ name, subjects: [`${prefix}.>`] });
    for (let i = 1; i <= n; i++) {
      await js.publish(`${prefix}.a`, `m${i}`);
    }
  }

  /** Polls consumer info until its counters equal `want` (3 s), then asserts them. */
  async function expectCounters(stream, name, want, what) {
    let got;
    try {
      await waitUntil(
        async () => {
          got = counters(await jsm.consumers.info(stream, name));
          return JSON.stringify(got) === JSON.stringify(want);
        },
        3000,
        what,
      );
    } catch {
      // fall through to the assertion, which shows the difference
    }
    assert.deepEqual(got, want, what);
  }

  test("fetch(): a batch of 10 out of 25, then the rest, with exact counters", T, async () => {
    await streamWith("FE", "fe", 25);
    await jsm.consumers.add("FE", { durable_name: "D", ack_policy: AckPolicy.Explicit });
    const c = await js.consumers.get("FE", "D");

    const first = await drain(await c.fetch({ max_messages: 10, expires: 2000 }));
    assert.deepEqual(
      first.map((m) => m.seq),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(first[0].string(), "m1");
    assert.equal(first[0].info.pending, 24);
    assert.equal(first[0].info.deliveryCount, 1);
    assert.equal(first[0].info.stream, "FE");
    assert.equal(first[0].info.consumer, "D");
    await expectCounters(
      "FE",
      "D",
      { delivered: [10, 10], ack_floor: [0, 0], num_ack_pending: 10, num_pending: 15, num_redelivered: 0 },
      "after fetching 10",
    );
    for (const m of first) {
      m.ack();
    }
    await expectCounters(
      "FE",
      "D",
      { delivered: [10, 10], ack_floor: [10, 10], num_ack_pending: 0, num_pending: 15, num_redelivered: 0 },
      "after acking 10",
    );

    const rest = await drain(await c.fetch({ max_messages: 25, expires: 1500 }));
    assert.equal(rest.length, 15);
    assert.equal(rest[0].seq, 11);
    assert.equal(rest[14].seq, 25);
    for (const m of rest) {
      assert.equal(await m.ackAck(), true);
    }
    await expectCounters(
      "FE",
      "D",
      { delivered: [25, 25], ack_floor: [25, 25], num_ack_pending: 0, num_pending: 0, num_redelivered: 0 },
      "after acking all",
    );
    const none = await drain(await c.fetch({ max_messages: 5, expires: 1000 }));
    assert.equal(none.length, 0);
  });

  test("next(): nak redelivers, term stops, an empty consumer gives null", T, async () => {
    // One message at a time: a nak is applied asynchronously, so with a second message stored
    // the next pull could legitimately get that one first.
    await streamWith("NX", "nx", 1);
    await jsm.consumers.add("NX", { durable_name: "D", ack_policy: AckPolicy.Explicit });
    const c = await js.consumers.get("NX", "D");

    const m1 = await c.next({ expires: 2000 });
    assert.equal(m1.seq, 1);
    assert.equal(m1.redelivered, false);
    m1.nak();
    const again = await c.next({ expires: 2000 });
    assert.equal(again.seq, 1);
    assert.equal(again.info.deliveryCount, 2);
    assert.equal(again.redelivered, true);
    again.term();
    await js.publish("nx.b", "m2");
    const m2 = await c.next({ expires: 2000 });
    assert.equal(m2.seq, 2);
    assert.equal(await m2.ackAck(), true);
    assert.equal(await c.next({ expires: 1000 }), null);
    await expectCounters(
      "NX",
      "D",
      { delivered: [3, 2], ack_floor: [3, 2], num_ack_pending: 0, num_pending: 0, num_redelivered: 0 },
      "term and ack leave nothing pending",
    );
  });

  test("next(): an unacked message comes back after ack_wait 1s with delivery count 2", T, async () => {
    await streamWith("AW", "aw", 1);
    await jsm.consumers.add("AW", {
      durable_name: "D",
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(1000),
    });
    const c = await js.consumers.get("AW", "D");
    const m = await c.next({ expires: 2000 });
    assert.equal(m.info.deliveryCount, 1);
    const t0 = Date.now();
    const r = await c.next({ expires: 4000 });
    assert.ok(r, "redelivered within 4 s");
    assert.ok(Date.now() - t0 >= 700, `redelivered after ack_wait (${Date.now() - t0} ms)`);
    assert.equal(r.seq, 1);
    assert.equal(r.info.deliveryCount, 2);
    assert.equal(r.redelivered, true);
    r.working();
    assert.equal(await r.ackAck(), true);
    await expectCounters(
      "AW",
      "D",
      { delivered: [2, 1], ack_floor: [2, 1], num_ack_pending: 0, num_pending: 0, num_redelivered: 0 },
      "redelivery acked",
    );
  });

  test("consume(): 60 messages in order, acked, while more are published", T, async () => {
    await streamWith("CO", "co", 30);
    await jsm.consumers.add("CO", { durable_name: "D", ack_policy: AckPolicy.Explicit });
    const c = await js.consumers.get("CO", "D");
    const iter = await c.consume({ max_messages: 7 });
    const guard = closeAfter(iter, 8000);
    const seqs = [];
    const done = (async () => {
      for await (const m of iter) {
        seqs.push(m.seq);
        m.ack();
        if (seqs.length === 60) {
          break;
        }
      }
    })();
    for (let i = 31; i <= 60; i++) {
      await js.publish("co.b", `m${i}`);
    }
    await done;
    guard.done();
    await iter.close();
    assert.deepEqual(
      seqs,
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    const ci = await jsm.consumers.info("CO", "D");
    assert.equal(ci.delivered.stream_seq, 60);
    await waitUntil(
      async () => (await jsm.consumers.info("CO", "D")).ack_floor.stream_seq === 60,
      3000,
      "ack floor 60",
    );
  });

  test("ordered consumer (no name) delivers 100 messages in order", T, async () => {
    await jsm.streams.add({ name: "OR", subjects: ["or.>"] });
    for (let i = 1; i <= 100; i++) {
      await js.publish(i % 2 ? "or.odd" : "or.even", `m${i}`);
    }
    const oc = await js.consumers.get("OR");
    const iter = await oc.consume();
    const guard = closeAfter(iter, 8000);
    const seqs = [];
    for await (const m of iter) {
      seqs.push(m.seq);
      assert.equal(m.string(), `m${m.seq}`);
      if (seqs.length === 100) {
        break;
      }
    }
    guard.done();
    await iter.close();
    assert.deepEqual(
      seqs,
      Array.from({ length: 100 }, (_, i) => i + 1),
    );

    const filtered = await js.consumers.get("OR", { filter_subjects: "or.even" });
    const evens = await drain(await filtered.fetch({ max_messages: 50, expires: 2000 }));
    assert.equal(evens.length, 50);
    assert.ok(evens.every((m, i) => m.seq === 2 * (i + 1) && m.subject === "or.even"));
    assert.equal(evens[49].info.pending, 0);
  });

  test("deliver policy last and by_start_sequence through consumers.get()", T, async () => {
    await streamWith("DP", "dp", 5);
    await jsm.consumers.add("DP", {
      durable_name: "LAST",
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.Last,
    });
    await jsm.consumers.add("DP", {
      durable_name: "SEQ",
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: 4,
    });
    const last = await (await js.consumers.get("DP", "LAST")).next({ expires: 2000 });
    assert.equal(last.seq, 5);
    const seq = await drain(
      await (await js.consumers.get("DP", "SEQ")).fetch({ max_messages: 5, expires: 1000 }),
    );
    assert.deepEqual(
      seq.map((m) => m.seq),
      [4, 5],
    );
  });

  test("push consumer with a deliver subject receives and acks", T, async () => {
    await streamWith("PU", "pu", 5);
    await jsm.consumers.add("PU", {
      durable_name: "PD",
      ack_policy: AckPolicy.Explicit,
      deliver_subject: "dlv.pu",
    });
    const pc = await js.consumers.getPushConsumer("PU", "PD");
    const iter = await pc.consume();
    const guard = closeAfter(iter, 8000);
    const seqs = [];
    for await (const m of iter) {
      seqs.push(m.seq);
      m.ack();
      if (seqs.length === 5) {
        break;
      }
    }
    guard.done();
    await iter.close();
    assert.deepEqual(seqs, [1, 2, 3, 4, 5]);
    await expectCounters(
      "PU",
      "PD",
      { delivered: [5, 5], ack_floor: [5, 5], num_ack_pending: 0, num_pending: 0, num_redelivered: 0 },
      "push consumer acked",
    );
  });

  test("push delivery stays in stream order while four connections publish at once", T, async () => {
    // Publishers on different connections land on different server workers; each one's publish
    // pumps the consumer, and the deliveries must still reach the subscriber in stream order.
    await jsm.streams.add({ name: "PO", subjects: ["po.>"], storage: "memory" });
    await jsm.consumers.add("PO", {
      durable_name: "POD",
      ack_policy: AckPolicy.None,
      deliver_subject: "dlv.po",
    });
    const per = 15000;
    const total = 4 * per;
    const sub = nc.subscribe("dlv.po");
    await nc.flush();
    let got = 0;
    let lastS = 0;
    let lastD = 0;
    let disorder = 0;
    const received = (async () => {
      for await (const m of sub) {
        // $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<ts>.<pending>
        const f = m.reply.split(".");
        const sseq = Number(f[5]);
        const dseq = Number(f[6]);
        if (sseq <= lastS || dseq !== lastD + 1) {
          disorder++;
        }
        lastS = sseq;
        lastD = dseq;
        if (++got === total) {
          break;
        }
      }
    })();
    const pubs = [];
    for (let i = 0; i < 4; i++) {
      pubs.push(await connect({ servers: srv.hostport, reconnect: false }));
    }
    await Promise.all(
      pubs.map(async (p, i) => {
        for (let k = 0; k < per; k++) {
          p.publish(`po.${i}`, "x");
          if (k % 500 === 0) {
            await p.flush();
          }
        }
        await p.flush();
      }),
    );
    const timer = setTimeout(() => sub.unsubscribe(), 15000);
    await received;
    clearTimeout(timer);
    for (const p of pubs) {
      await p.close();
    }
    assert.equal(got, total, "every message delivered");
    assert.equal(disorder, 0, "deliveries out of stream order");
  });

  test("consumer admin: list, names, info, delete", T, async () => {
    await streamWith("AD", "ad", 1);
    await jsm.consumers.add("AD", { durable_name: "A", ack_policy: AckPolicy.Explicit });
    await jsm.consumers.add("AD", { durable_name: "B", ack_policy: AckPolicy.Explicit });
    const names = [];
    for await (const ci of jsm.consumers.list("AD")) {
      names.push(ci.name);
    }
    assert.deepEqual(names.sort(), ["A", "B"]);
    const again = await jsm.consumers.add("AD", { durable_name: "A", ack_policy: AckPolicy.Explicit });
    assert.equal(again.name, "A");
    assert.equal(await jsm.consumers.delete("AD", "A"), true);
    await assert.rejects(jsm.consumers.info("AD", "A"), (err) => {
      assert.equal(err.code, 10014, `${err.message}`);
      return true;
    });
    const r = await nc.request("$JS.API.CONSUMER.NAMES.AD", "");
    assert.deepEqual(r.json().consumers, ["B"]);
  });
});
