/**
 * Two app servers, one PostgreSQL: bridge sessions and traces live in the database, so a session opened on one
 * server is usable on the other, and a message accepted by one is a replay on the other.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { openTwoServers } from "../helpers/two-servers.ts";
import { BridgeClient } from "../../src/runtime/bridge/client.ts";
import type { CallMessage, CallResult } from "../../src/runtime/bridge/protocol.ts";
import { RuntimeHost } from "../../src/runtime/host.ts";
import { seedDemoAddins } from "../../src/addins/index.ts";
import { listDemoAddins } from "../../src/server/plugins/demo-addins.ts";
import { MESSAGE_EML } from "./fixtures.ts";

const { storeA, appA, appB, close } = await openTwoServers("runtime");
const runtime = await RuntimeHost.create({ store: storeA });
const tenant = await storeA.directory.createTenant({ name: "contoso" });
// The demo add-ins reach users as the seeded tenant gets them: store listings deployed to everyone.
await seedDemoAddins(storeA, { tenantId: tenant.id });
const alice = await storeA.provisionUser({ tenantId: tenant.id, email: "alice@contoso.example", displayName: "Alice", password: "pw-alice" });
const item = await runtime.importEml(alice.mailbox, MESSAGE_EML);
const readItemId = (await listDemoAddins()).find((a) => a.tier === "ReadItem" && a.valid)!.id!;

after(close);

type App = typeof appA;
const call = async (app: App, m: CallMessage): Promise<CallResult> => (await app.inject({ method: "POST", url: "/bridge/call", payload: m })).json() as CallResult;

async function login(app: App): Promise<string> {
  const res = await app.inject({ method: "POST", url: "/api/session", payload: { email: "alice@contoso.example", password: "pw-alice" } });
  assert.equal(res.statusCode, 200);
  return String(res.headers["set-cookie"]).split(";")[0]!;
}

async function openOn(app: App, cookie: string): Promise<BridgeClient> {
  const res = await app.inject({ method: "POST", url: "/bridge/sessions", headers: { cookie }, payload: { addinId: readItemId, itemId: item.id, form: "read" } });
  assert.equal(res.statusCode, 200, res.body);
  const s = res.json() as { session: string; secret: string; itemId: string };
  return new BridgeClient({ id: s.session, secret: s.secret, itemId: s.itemId }, (m) => call(app, m));
}

test("a session opened on server A is used on server B; B's message replayed on A is refused", async () => {
  const cookie = await login(appA);
  const client = await openOn(appA, cookie);
  const onB = client.message("Office.context.mailbox.item.body.getAsync", ["text"]);
  const answered = await call(appB, onB);
  assert.equal(answered.outcome, "ok", answered.reason);
  assert.match(String(answered.value), /Hi Bob/);
  const replayed = await call(appA, onB);
  assert.equal(replayed.outcome, "denied");
  assert.equal(replayed.reason, "replay");
  // The trace is in the database: A reads the call B answered, once (B writes its trace entries within milliseconds
  // of answering; flushed here so the read does not race that write).
  await appB.bridgeSessions.flush();
  const trace = (await appA.inject({ method: "GET", url: `/bridge/sessions/${onB.session}/trace`, headers: { cookie } })).json() as { trace: { member: string; outcome: string }[] };
  assert.deepEqual(trace.trace.map((t) => [t.member, t.outcome]), [["item.body.getAsync", "ok"]]);
});

test("the same message sent to both servers at once is accepted by exactly one", async () => {
  const cookie = await login(appB);
  const client = await openOn(appB, cookie);
  for (let i = 0; i < 10; i++) {
    const m = client.message("Office.context.mailbox.item.getAllInternetHeadersAsync", []);
    const [a, b] = await Promise.all([call(appA, m), call(appB, m)]);
    assert.deepEqual([a.outcome, b.outcome].sort(), ["denied", "ok"], `round ${i}: ${a.reason} / ${b.reason}`);
    assert.equal((a.outcome === "denied" ? a : b).reason, "replay");
  }
});

test("per-session state (notification messages) follows the session from server to server", async () => {
  const cookie = await login(appA);
  const client = await openOn(appA, cookie);
  const send = (app: App, member: string, args: unknown[]) => call(app, client.message(member, args));
  const added = await send(appA, "Office.context.mailbox.item.notificationMessages.addAsync", ["k1", { type: "informationalMessage", message: "hi", icon: "i", persistent: false }]);
  assert.equal(added.outcome, "ok", added.reason);
  const listed = await send(appB, "Office.context.mailbox.item.notificationMessages.getAllAsync", []);
  assert.deepEqual((listed.value as { key: string }[]).map((n) => n.key), ["k1"]);
  const dup = await send(appB, "Office.context.mailbox.item.notificationMessages.addAsync", ["k1", { type: "informationalMessage", message: "again" }]);
  assert.equal(dup.error?.code, 9023);
});

test("a forged session id or another user's trace is refused on either server", async () => {
  const cookie = await login(appA);
  const client = await openOn(appA, cookie);
  const m = client.message("Office.context.mailbox.item.body.getAsync", ["text"]);
  const forged = await call(appB, { ...m, session: "B".repeat(32) });
  assert.equal(forged.reason, "unknownSession");
  const bob = await storeA.provisionUser({ tenantId: tenant.id, email: "bob@contoso.example", displayName: "Bob", password: "pw-bob" });
  void bob;
  const res = await appB.inject({ method: "POST", url: "/api/session", payload: { email: "bob@contoso.example", password: "pw-bob" } });
  const bobCookie = String(res.headers["set-cookie"]).split(";")[0]!;
  const peek = await appB.inject({ method: "GET", url: `/bridge/sessions/${m.session}/trace`, headers: { cookie: bobCookie } });
  assert.equal(peek.statusCode, 404);
});

test("makeEwsRequestAsync over HTTP: a ReadWriteMailbox demo add-in's GetItem on B runs through B's EWS endpoint", async () => {
  const rwm = (await listDemoAddins()).find((a) => a.tier === "ReadWriteMailbox" && a.valid)!.id!;
  const cookie = await login(appA);
  const res = await appA.inject({ method: "POST", url: "/bridge/sessions", headers: { cookie }, payload: { addinId: rwm, itemId: item.id, form: "read" } });
  const s = res.json() as { session: string; secret: string; itemId: string };
  const client = new BridgeClient({ id: s.session, secret: s.secret, itemId: s.itemId }, (m) => call(appB, m));
  const soap = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Body><m:GetItem><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape><m:ItemIds><t:ItemId Id="${item.id}"/></m:ItemIds></m:GetItem></soap:Body></soap:Envelope>`;
  const r = await client.call("Office.context.mailbox.makeEwsRequestAsync", [soap]);
  assert.equal(r.outcome, "ok", r.reason);
  assert.match(String(r.value), /Quarterly numbers/);
});

test("a write through the bridge on B invalidates A's cached item (the epoch is in the database)", async () => {
  const rwi = (await listDemoAddins()).find((a) => a.tier === "ReadWriteItem" && a.valid)!.id!;
  const drafts = await storeA.mailboxes.resolveFolder(alice.mailbox.id, "drafts");
  const draft = await storeA.items.create(alice.mailbox.id, drafts!.id, { subject: "before", bodyText: "x", isDraft: true });
  const cookie = await login(appA);
  const res = await appA.inject({ method: "POST", url: "/bridge/sessions", headers: { cookie }, payload: { addinId: rwi, itemId: draft.id, form: "compose" } });
  assert.equal(res.statusCode, 200, res.body);
  const s = res.json() as { session: string; secret: string; itemId: string };
  const client = new BridgeClient({ id: s.session, secret: s.secret, itemId: s.itemId }, (m) => call(appA, m));
  const on = (app: App, member: string, args: unknown[]) => call(app, client.message(member, args));
  assert.equal((await on(appA, "Office.context.mailbox.item.subject.getAsync", [])).value, "before");
  assert.equal((await on(appB, "Office.context.mailbox.item.subject.setAsync", ["after"])).outcome, "ok");
  assert.equal((await on(appA, "Office.context.mailbox.item.subject.getAsync", [])).value, "after");
});
