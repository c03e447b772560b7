/** Forged bridge messages: each refused by dispatch, whatever the page claims. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { dispatch } from "../../src/runtime/bridge/dispatch.ts";
import { sign } from "../../src/runtime/bridge/sign.ts";
import { MemorySessionStore } from "../../src/runtime/session.ts";
import { makeFixture } from "./fixtures.ts";

const fx = await makeFixture();
after(() => fx.host.close());
const BODY = "Office.context.mailbox.item.body.getAsync";

async function open(tier: "ReadItem" | "ReadWriteItem" = "ReadItem", form: "read" | "compose" = "read") {
  return fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "victim", item: fx.message, form, tier });
}

test("a genuine message is answered (control)", async () => {
  const { client } = await open();
  const r = await client.call(BODY, ["text"]);
  assert.equal(r.outcome, "ok");
  assert.match(String(r.value), /Hi Bob/);
});

test("another session's id: a message signed with my secret for your session is refused", async () => {
  const mine = await open();
  const theirs = await open();
  const m = mine.client.message(BODY, ["text"]);
  const forged = sign(mine.session.secret, { v: 1, session: theirs.session.id, seq: 1, item: m.item, member: BODY, args: ["text"] });
  const r = await dispatch(fx.host, forged);
  assert.equal(r.outcome, "denied");
  assert.equal(r.reason, "badMac");
  assert.equal((await fx.host.sessions.trace(theirs.session.id)).length, 0, "nothing written into the victim's trace");
});

test("an unknown session id is refused", async () => {
  const { client } = await open();
  const m = client.message(BODY, ["text"]);
  const r = await dispatch(fx.host, { ...m, session: "A".repeat(32) });
  assert.equal(r.reason, "unknownSession");
  assert.equal(r.error?.code, 7000);
});

test("another item: a message naming a different item is refused, even correctly signed", async () => {
  const { session } = await open();
  const other = await fx.host.createItem(fx.mailbox, { subject: "secret", bodyText: "not yours" });
  const forged = sign(session.secret, { v: 1, session: session.id, seq: 1, item: other.id, member: BODY, args: ["text"] });
  const r = await dispatch(fx.host, forged);
  assert.equal(r.outcome, "denied");
  assert.equal(r.reason, "wrongItem");
});

test("another item's attachment cannot be read through the session's item", async () => {
  const other = await fx.host.createItem(fx.mailbox, { subject: "with file", attachments: [{ name: "x.txt", data: new TextEncoder().encode("secret") }] });
  const { client } = await open();
  const r = await client.call("Office.context.mailbox.item.getAttachmentContentAsync", [other.attachments[0]!.id]);
  assert.equal(r.outcome, "failed");
  assert.equal(r.error?.code, 9003);
});

test("a raised tier: a tier field in the message is malformed, and the session's own tier decides", async () => {
  const { session, client } = await open("ReadItem", "compose");
  const m = client.message("Office.context.mailbox.item.body.setAsync", ["pwned"]);
  const withTier = await dispatch(fx.host, { ...m, tier: "ReadWriteMailbox" });
  assert.equal(withTier.reason, "malformed");
  const plain = await dispatch(fx.host, sign(session.secret, { v: 1, session: session.id, seq: 10, item: session.spec.itemId, member: "Office.context.mailbox.item.body.setAsync", args: ["pwned"] }));
  assert.equal(plain.outcome, "denied");
  assert.equal(plain.error?.code, 7000);
  assert.equal((await fx.host.store.items.get(fx.message.id))?.bodyText?.includes("pwned"), false);
});

test("an unknown member is refused with 5000", async () => {
  const { client } = await open();
  const r = await client.call("Office.context.mailbox.item.exfiltrateAsync", []);
  assert.equal(r.outcome, "denied");
  assert.equal(r.error?.code, 5000);
});

test("malformed payloads are refused", async () => {
  const { client } = await open();
  const good = client.message(BODY, ["text"]);
  const bad: unknown[] = [
    null,
    "a string",
    [],
    { ...good, v: 2 },
    { ...good, seq: -1 },
    { ...good, seq: 1.5 },
    { ...good, mac: "zz" },
    { ...good, args: "text" },
    { ...good, args: new Array(17).fill(0) },
    { ...good, member: "x".repeat(201) },
    { ...good, session: "../../etc" },
    { ...good, __proto__: { admin: true }, extra: 1 },
  ];
  for (const b of bad) {
    const r = await dispatch(fx.host, b);
    assert.equal(r.outcome, "denied", JSON.stringify(b)?.slice(0, 80));
    assert.equal(r.reason, "malformed");
  }
});

test("tampered arguments break the MAC", async () => {
  const { client } = await open();
  const m = client.message(BODY, ["text"]);
  const r = await dispatch(fx.host, { ...m, args: ["html"] });
  assert.equal(r.reason, "badMac");
});

test("a replayed (or reordered) message is refused", async () => {
  const { client } = await open();
  const first = client.message(BODY, ["text"]);
  const second = client.message(BODY, ["text"]);
  assert.equal((await dispatch(fx.host, second)).outcome, "ok");
  assert.equal((await dispatch(fx.host, second)).reason, "replay");
  assert.equal((await dispatch(fx.host, first)).reason, "replay");
});

test("invalid arguments fail with 9031 after the permission check", async () => {
  const { client } = await open();
  const r = await client.call(BODY, [{ not: "a coercion" }]);
  assert.equal(r.outcome, "failed");
  assert.equal(r.error?.code, 9031);
});

test("an expired session is refused", async () => {
  let now = 1_000;
  const sessions = new MemorySessionStore(() => now);
  const host = { sessions, store: fx.host.store };
  const s = await sessions.open({ ...(await open()).session.spec, ttlMs: 10 });
  now += 11;
  const r = await dispatch(host, sign(s.secret, { v: 1, session: s.id, seq: 1, item: s.spec.itemId, member: BODY, args: ["text"] }));
  assert.equal(r.reason, "expiredSession");
});

test("every authenticated call is traced with member, outcome, code and duration", async () => {
  const { session, client } = await open();
  await client.call(BODY, ["text"]);
  await client.call("Office.context.mailbox.makeEwsRequestAsync", ["<x/>"]);
  const trace = await fx.host.sessions.trace(session.id);
  assert.deepEqual(
    trace.map((t) => [t.member, t.outcome, t.code]),
    [
      ["item.body.getAsync", "ok", 0],
      ["makeEwsRequestAsync", "denied", 7000],
    ],
  );
  assert.ok(trace.every((t) => typeof t.ms === "number" && t.ms >= 0));
});
