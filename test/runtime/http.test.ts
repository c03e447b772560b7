/** The bridge over real HTTP (a real port on 127.0.0.1): office.js, session creation, signed calls, traces. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { openMailboxStore } from "../../src/mailbox/index.ts";
import { createServer } from "../../src/server/app.ts";
import { BridgeClient } from "../../src/runtime/bridge/client.ts";
import type { CallMessage, CallResult } from "../../src/runtime/bridge/protocol.ts";
import { listDemoAddins } from "../../src/server/plugins/demo-addins.ts";
import { MESSAGE_EML } from "./fixtures.ts";
import { RuntimeHost } from "../../src/runtime/host.ts";
import { seedDemoAddins } from "../../src/addins/index.ts";

const store = await openMailboxStore({ memory: true });
const runtime = await RuntimeHost.create({ store });
const tenant = await store.directory.createTenant({ name: "contoso" });
// The demo add-ins reach users as the seeded tenant gets them: store listings deployed to everyone.
await seedDemoAddins(store, { tenantId: tenant.id });
const alice = await store.provisionUser({ tenantId: tenant.id, email: "alice@contoso.example", displayName: "Alice", password: "pw-alice" });
const mallory = await store.provisionUser({ tenantId: tenant.id, email: "mallory@contoso.example", displayName: "Mallory", password: "pw-mallory" });
const item = await runtime.importEml(alice.mailbox, MESSAGE_EML);
const app = await createServer({ store });
const base = await app.listen({ port: 0, host: "127.0.0.1" });
after(async () => {
  await app.close();
  await store.close();
});

async function login(email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  assert.equal(res.status, 200);
  return String(res.headers.get("set-cookie")).split(";")[0]!;
}

const send = async (m: CallMessage): Promise<CallResult> => (await fetch(`${base}/bridge/call`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(m) })).json() as Promise<CallResult>;
const readItemId = (await listDemoAddins()).find((a) => a.tier === "ReadItem" && a.valid)!.id!;

test("GET /office.js serves Outpost's own shim", async () => {
  const res = await fetch(`${base}/office.js`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /javascript/);
  const text = await res.text();
  assert.match(text, /__outpostInstallOffice/);
  assert.match(text, /postMessage/);
  new Function(text); // parses as a classic script
});

test("a signed-in user opens a session with the tier of the add-in's manifest, and calls go through dispatch over HTTP", async () => {
  const cookie = await login("alice@contoso.example", "pw-alice");
  const res = await fetch(`${base}/bridge/sessions`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ addinId: readItemId, itemId: item.id, form: "read" }) });
  assert.equal(res.status, 200);
  const s = (await res.json()) as { session: string; secret: string; itemId: string };
  const client = new BridgeClient({ id: s.session, secret: s.secret, itemId: s.itemId }, send);
  const ok = await client.call("Office.context.mailbox.item.body.getAsync", ["text"]);
  assert.equal(ok.outcome, "ok");
  const denied = await client.call("Office.context.mailbox.makeEwsRequestAsync", ["<x/>"]);
  assert.equal(denied.outcome, "denied");
  assert.equal(denied.error?.code, 7000);
  const replay = await send(client.message("Office.context.mailbox.item.body.getAsync", ["text"]));
  assert.equal(replay.outcome, "ok");
  const trace = await (await fetch(`${base}/bridge/sessions/${s.session}/trace`, { headers: { cookie } })).json();
  assert.deepEqual(
    trace.trace.map((t: { member: string; outcome: string }) => [t.member, t.outcome]),
    [
      ["item.body.getAsync", "ok"],
      ["makeEwsRequestAsync", "denied"],
      ["item.body.getAsync", "ok"],
    ],
  );
  const mcookie = await login("mallory@contoso.example", "pw-mallory");
  const peek = await fetch(`${base}/bridge/sessions/${s.session}/trace`, { headers: { cookie: mcookie } });
  assert.equal(peek.status, 404, "another user cannot read the trace");
});

test("sessions: no cookie → 401; a tier in the request is rejected; someone else's item → 404", async () => {
  const none = await fetch(`${base}/bridge/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ addinId: readItemId, itemId: item.id, form: "read" }) });
  assert.equal(none.status, 401);
  const cookie = await login("mallory@contoso.example", "pw-mallory");
  const raised = await fetch(`${base}/bridge/sessions`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ addinId: readItemId, itemId: null, form: "read", tier: "ReadWriteMailbox" }) });
  assert.equal(raised.status, 400);
  const foreign = await fetch(`${base}/bridge/sessions`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ addinId: readItemId, itemId: item.id, form: "read" }) });
  assert.equal(foreign.status, 404);
});

test("POST /bridge/call with garbage is refused, not crashed", async () => {
  for (const body of ["{}", "[]", '{"v":1}', "null"]) {
    const res = await fetch(`${base}/bridge/call`, { method: "POST", headers: { "content-type": "application/json" }, body });
    assert.equal(res.status, 200);
    const r = (await res.json()) as CallResult;
    assert.equal(r.outcome, "denied");
  }
});
