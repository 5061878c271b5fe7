// Core NATS behaviour seen through the official JS client (@nats-io/transport-node), run with
// `node --test` against $GANNET_SERVER_BIN (see harness.mjs and run.sh).
//
// "Nothing else arrived" is checked without sleeping: nats.js runs subscription callbacks as it
// parses, so once `await nc.flush()` returns, every message sent before the PONG was handled.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { connect, errors, headers } from "@nats-io/transport-node";

import { rawExchange, startServer, waitUntil } from "./harness.mjs";

const MB = 1048576;
const T = { timeout: 20000 };

/** Connects to `srv` with quiet defaults and the given options. */
function nats(srv, opts = {}) {
  return connect({ servers: srv.hostport, reconnect: false, ...opts });
}

/** Returns [collected strings, callback] for a callback subscription. */
function collector() {
  const got = [];
  return [got, (err, m) => got.push(err ? `error:${err.message}` : `${m.subject}=${m.string()}`)];
}

/** Compares dotted versions: true if `v` >= `min` (pre-release suffixes ignored). */
function versionAtLeast(v, min) {
  const a = v.split("-")[0].split(".").map(Number);
  const b = min.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== b[i]) {
      return (a[i] ?? 0) > b[i];
    }
  }
  return true;
}

describe("core with a shared server", () => {
  let srv;
  let nc;

  before(async () => {
    srv = await startServer();
    nc = await nats(srv);
  });
  after(async () => {
    await nc?.close();
    await srv?.cleanup();
  });

  test("connect and INFO fields", T, () => {
    const info = nc.info;
    assert.equal(typeof info.server_id, "string");
    assert.ok(info.server_id.length > 0, "server_id is set");
    assert.ok(versionAtLeast(info.version, "2.9.0"), `version ${info.version} >= 2.9.0`);
    assert.equal(info.headers, true);
    assert.equal(info.max_payload, MB);
    assert.equal(info.proto, 1);
    assert.equal(info.port, srv.port);
    assert.equal(typeof info.client_id, "number");
  });

  test("pub/sub delivers in order", T, async () => {
    const sub = nc.subscribe("js.ps", { max: 10 });
    const pub = await nats(srv);
    for (let i = 0; i < 10; i++) {
      pub.publish("js.ps", `m${i}`);
    }
    await pub.flush();
    const got = [];
    for await (const m of sub) {
      got.push(m.string());
    }
    assert.deepEqual(got, Array.from({ length: 10 }, (_, i) => `m${i}`));
    await pub.close();
  });

  test("wildcards * and >", T, async () => {
    const patterns = ["w.*", "w.>", "w.*.c", "*.a", ">"];
    const handles = [];
    const subs = patterns.map((p) => {
      const [got, callback] = collector();
      handles.push(nc.subscribe(p, { callback }));
      return got;
    });
    await nc.flush();
    for (const s of ["w.a", "w.a.b", "w.b.c", "w.x.y.z", "x.a"]) {
      nc.publish(s, "v");
    }
    await nc.flush();
    const want = [
      ["w.a=v"],
      ["w.a=v", "w.a.b=v", "w.b.c=v", "w.x.y.z=v"],
      ["w.b.c=v"],
      ["w.a=v", "x.a=v"],
      ["w.a=v", "w.a.b=v", "w.b.c=v", "w.x.y.z=v", "x.a=v"],
    ];
    patterns.forEach((p, i) => assert.deepEqual(subs[i], want[i], `pattern ${p}`));
    handles.forEach((h) => h.unsubscribe()); // ">" would otherwise answer later tests
    await nc.flush();
  });

  test("queue group: each message to exactly one member", T, async () => {
    const members = [];
    const seen = new Map();
    for (let i = 0; i < 4; i++) {
      const c = await nats(srv);
      const member = { nc: c, count: 0 };
      c.subscribe("js.q", {
        queue: "workers",
        callback: (_, m) => {
          member.count++;
          seen.set(m.string(), (seen.get(m.string()) ?? 0) + 1);
        },
      });
      await c.flush();
      members.push(member);
    }
    for (let i = 0; i < 1000; i++) {
      nc.publish("js.q", String(i));
    }
    await nc.flush();
    await waitUntil(() => seen.size === 1000, 5000, "1000 distinct queue deliveries");
    for (const m of members) {
      await m.nc.flush();
    }
    assert.equal(members.reduce((a, m) => a + m.count, 0), 1000, "1000 deliveries in total");
    assert.ok([...seen.values()].every((n) => n === 1), "no message delivered twice");
    members.forEach((m, i) => assert.ok(m.count > 0, `member ${i} got ${m.count}`));
    await Promise.all(members.map((m) => m.nc.close()));
  });

  test("request/reply", T, async () => {
    const rsp = await nats(srv);
    rsp.subscribe("js.svc", { callback: (_, m) => m.respond(`echo:${m.string()}`) });
    await rsp.flush();
    for (let i = 0; i < 10; i++) {
      const r = await nc.request("js.svc", `q${i}`, { timeout: 2000 });
      assert.equal(r.string(), `echo:q${i}`);
    }
    await rsp.close();
  });

  test("no responders: request fails fast, status 503", T, async () => {
    const t0 = Date.now();
    await assert.rejects(nc.request("js.nobody", "x", { timeout: 10000 }), (err) => {
      assert.ok(err instanceof errors.RequestError, `RequestError, got ${err}`);
      assert.ok(err.cause instanceof errors.NoRespondersError, `cause ${err.cause}`);
      return true;
    });
    assert.ok(Date.now() - t0 < 3000, "no-responders answer came before the timeout");

    const inbox = `_INBOX.js503.${srv.port}`;
    const sub = nc.subscribe(inbox, { max: 1 });
    nc.publish("js.nobody", "x", { reply: inbox });
    for await (const m of sub) {
      assert.equal(m.headers?.code, 503, "status message has code 503");
      assert.equal(m.data.length, 0, "status message has no payload");
    }
  });

  test("headers round trip with case and multiple values", T, async () => {
    const sub = nc.subscribe("js.hdr", { max: 1 });
    const h = headers();
    h.set("X-MiXeD-CaSe", "Value With Spaces");
    h.append("Multi", "one");
    h.append("Multi", "two");
    h.append("Multi", "three");
    nc.publish("js.hdr", "body", { headers: h });
    for await (const m of sub) {
      assert.equal(m.string(), "body");
      assert.deepEqual(m.headers.keys().sort(), ["Multi", "X-MiXeD-CaSe"]);
      assert.equal(m.headers.get("X-MiXeD-CaSe"), "Value With Spaces");
      assert.deepEqual(m.headers.values("Multi"), ["one", "two", "three"]);
    }
  });

  test("1 MB payload round trip", T, async () => {
    const data = new Uint8Array(MB);
    for (let i = 0; i < MB; i++) {
      data[i] = (i * 7 + Math.floor(i / 251)) & 0xff;
    }
    const sub = nc.subscribe("js.big", { max: 2 });
    const pub = await nats(srv);
    pub.publish("js.big", data);
    pub.publish("js.big", data);
    await pub.flush();
    for await (const m of sub) {
      assert.equal(m.data.length, MB);
      assert.ok(Buffer.from(m.data).equals(Buffer.from(data)), "payload bytes intact");
    }
    await pub.close();
  });

  test("payload over max_payload is refused, connection stays usable", T, async () => {
    assert.throws(() => nc.publish("js.big", new Uint8Array(MB + 1)), /max_payload/);
    const sub = nc.subscribe("js.after", { max: 1 });
    nc.publish("js.after", "ok");
    for await (const m of sub) {
      assert.equal(m.string(), "ok");
    }
    assert.equal(nc.isClosed(), false);
  });

  test("drain delivers queued messages, then closes", T, async () => {
    const c = await nats(srv);
    const [got, callback] = collector();
    c.subscribe("js.drain", { callback });
    await c.flush();
    for (let i = 0; i < 100; i++) {
      nc.publish("js.drain", String(i));
    }
    await nc.flush();
    await c.drain();
    assert.equal(c.isClosed(), true);
    assert.equal(await c.closed(), undefined, "closed() resolves without error");
    assert.equal(got.length, 100, "all 100 messages handled before the close");
    assert.throws(() => c.publish("js.drain", "late"), errors.ClosedConnectionError);
  });

  test("close resolves closed()", T, async () => {
    const c = await nats(srv);
    const done = c.closed();
    await c.close();
    assert.equal(await done, undefined);
    assert.equal(c.isClosed(), true);
  });
});

describe("server limits", () => {
  test("configured max_payload is announced and enforced", T, async () => {
    const srv = await startServer({ conf: "max_payload: 1024\n" });
    try {
      const nc = await nats(srv);
      assert.equal(nc.info.max_payload, 1024);
      assert.throws(() => nc.publish("x", new Uint8Array(1025)), /max_payload/);
      await nc.close();
      const raw = await rawExchange(srv.port, 'CONNECT {"verbose":false}\r\nPUB x 1025\r\n');
      assert.match(raw.data, /-ERR 'Maximum Payload Violation'\r\n/);
      assert.equal(raw.closed, true, "server closed the connection");
    } finally {
      await srv.cleanup();
    }
  });
});

describe("authentication", () => {
  test("user/password", T, async () => {
    const srv = await startServer({ args: ["--user", "alice", "--pass", "s3cret"] });
    try {
      const nc = await nats(srv, { user: "alice", pass: "s3cret" });
      await nc.flush();
      await nc.close();
      for (const bad of [{ user: "alice", pass: "nope" }, { user: "bob", pass: "s3cret" }, {}]) {
        await assert.rejects(nats(srv, bad), errors.AuthorizationError, JSON.stringify(bad));
      }
    } finally {
      await srv.cleanup();
    }
  });

  test("token", T, async () => {
    const srv = await startServer({ args: ["--auth", "T0k3n-xyz"] });
    try {
      const nc = await nats(srv, { token: "T0k3n-xyz" });
      await nc.flush();
      await nc.close();
      await assert.rejects(nats(srv, { token: "wrong" }), errors.AuthorizationError);
      await assert.rejects(nats(srv), errors.AuthorizationError);
    } finally {
      await srv.cleanup();
    }
  });
});

describe("permissions", () => {
  const conf = `authorization {
  users = [
    { user: limited, password: pw,
      permissions: { publish: { deny: ["secret.>"] }, subscribe: { deny: ["private.>"] } } }
  ]
}
`;
  let srv;
  before(async () => {
    srv = await startServer({ conf });
  });
  after(async () => {
    await srv?.cleanup();
  });

  /** Connects as `limited` and records every error status. */
  async function limited() {
    const nc = await nats(srv, { user: "limited", pass: "pw" });
    const errs = [];
    (async () => {
      for await (const s of nc.status()) {
        if (s.type === "error") {
          errs.push(s.error);
        }
      }
    })();
    return { nc, errs };
  }

  test("publish violation is an async error; connection stays usable", T, async () => {
    const { nc, errs } = await limited();
    nc.publish("secret.plans", "leak");
    await waitUntil(() => errs.length > 0, 5000, "a permissions error");
    const err = errs[0];
    assert.ok(err instanceof errors.PermissionViolationError, `got ${err}`);
    assert.equal(err.operation, "publish");
    assert.equal(err.subject, "secret.plans");
    assert.match(err.message, /Permissions Violation for Publish to "secret.plans"/);
    assert.equal(nc.isClosed(), false);
    const sub = nc.subscribe("public.x", { max: 1 });
    nc.publish("public.x", "still-ok");
    for await (const m of sub) {
      assert.equal(m.string(), "still-ok");
    }
    await nc.close();
  });

  test("subscribe violation closes the subscription with an error", T, async () => {
    const { nc, errs } = await limited();
    const sub = nc.subscribe("private.inbox");
    const err = await sub.closed;
    assert.ok(err instanceof errors.PermissionViolationError, `got ${err}`);
    assert.equal(err.operation, "subscription");
    assert.equal(err.subject, "private.inbox");
    await waitUntil(() => errs.length > 0, 5000, "the error as a connection status");
    assert.equal(nc.isClosed(), false);
    const r = nc.subscribe("public.y", { max: 1 });
    nc.publish("public.y", "fine");
    for await (const m of r) {
      assert.equal(m.string(), "fine");
    }
    await nc.close();
  });
});

describe("reconnect", () => {
  test("client reconnects after a restart on the same port and resubscribes", T, async () => {
    const srv = await startServer();
    try {
      const nc = await connect({
        servers: srv.hostport,
        reconnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 25,
        reconnectJitter: 0,
      });
      const events = [];
      (async () => {
        for await (const s of nc.status()) {
          events.push(s.type);
        }
      })();
      const [got, callback] = collector();
      nc.subscribe("js.rc", { callback });
      nc.publish("js.rc", "before");
      await nc.flush();
      assert.deepEqual(got, ["js.rc=before"]);

      await srv.restart();
      await waitUntil(() => events.includes("reconnect"), 10000, "reconnect status");
      assert.ok(events.includes("disconnect"), `events: ${events}`);
      await nc.flush();
      const other = await nats(srv);
      other.publish("js.rc", "after");
      await other.flush();
      await other.close();
      await waitUntil(() => got.length === 2, 5000, "message after reconnect");
      assert.deepEqual(got, ["js.rc=before", "js.rc=after"]);
      await nc.close();
    } finally {
      await srv.cleanup();
    }
  });
});
