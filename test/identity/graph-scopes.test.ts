/**
 * Graph mail surface: every route × scope, allowed and refused, driven from the operations table; the .Shared rules
 * for delegate and shared mailboxes; and tokens that must not work — another audience, another tenant, expired,
 * forged, revoked, consent withdrawn — each answered with Graph's error shape and stored as a security event.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { openMailboxStore } from "../../src/mailbox/index.ts";
import { Identity } from "../../src/identity/index.ts";
import { GRAPH_OPERATIONS, decideGraph, type GraphOperationId } from "../../src/graph/operations.ts";
import { server, serverWorld } from "../server/fixtures.ts";

const store = await openMailboxStore({ memory: true });
const w = await serverWorld(store);
const app = await server(store);
after(async () => {
  await app.close();
  await store.close();
});
const identity = Identity.of(store);
const ALL = ["User.Read", "User.ReadBasic.All", "Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite", "Mail.Send", "Mail.ReadBasic.Shared", "Mail.Read.Shared", "Mail.ReadWrite.Shared", "Mail.Send.Shared"];
const reg = await identity.registrations.create({ clientId: "matrix", addinId: "addin-matrix", displayName: "Matrix", tenantId: "contoso", scopes: ALL });
const BASE = "http://localhost";
const alice = (await store.directory.getUser(w.alice.user.id))!;

async function tokenFor(scopes: string[], user = alice) {
  await identity.consents.grant({ tenantId: user.tenantId, clientId: reg.clientId, userId: user.id, scopes, grantedBy: user.id, registered: ALL });
  return (await identity.tokens.issueAccessToken({ issuerBase: BASE, user, clientId: reg.clientId, scopes })).token;
}

/** A request for each operation against alice's own mailbox (fresh objects for writes). */
async function requestFor(op: GraphOperationId, prefix = "/v1.0/me"): Promise<{ method: string; url: string; payload?: unknown; headers?: Record<string, string> }> {
  const spec = GRAPH_OPERATIONS[op];
  const drafts = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "drafts"))!;
  const draft = await store.items.create(w.alice.mailbox.id, drafts.id, { subject: "d", bodyText: "x", to: [{ name: "B", address: "bob@contoso.example" }], isDraft: true, attachments: [{ name: "a.txt", data: Buffer.from("hi"), contentType: "text/plain" }] });
  const url = prefix + spec.path.replace("{id}", draft.id).replace("{aid}", draft.attachments[0]!.id).replace("{fid}", "inbox");
  const bodies: Partial<Record<GraphOperationId, unknown>> = {
    "messages.create": { subject: "new" },
    "folders.createMessage": { subject: "new" },
    "messages.update": { subject: "changed" },
    "messages.move": { destinationId: "archive" },
    "messages.copy": { destinationId: "archive" },
    sendMail: { message: { subject: "hi", toRecipients: [{ emailAddress: { address: "bob@contoso.example" } }] } },
    "attachments.create": { "@odata.type": "#microsoft.graph.fileAttachment", name: "n.txt", contentBytes: Buffer.from("x").toString("base64") },
    "attachments.uploadSession": { AttachmentItem: { attachmentType: "file", name: "big.bin", size: 10 } },
    "folders.create": { displayName: `F${Math.random()}` },
  };
  return { method: spec.method, url, ...(bodies[op] !== undefined ? { payload: bodies[op] } : {}) };
}

const OPS = Object.keys(GRAPH_OPERATIONS) as GraphOperationId[];

test("every route × every scope: allowed exactly when the operations table says so, refused with ErrorAccessDenied", async () => {
  const tokens = new Map<string, string>();
  for (const s of ALL) tokens.set(s, await tokenFor([s]));
  let allowed = 0;
  let refused = 0;
  for (const op of OPS) {
    for (const scope of ALL) {
      const expected = decideGraph(op, [scope], { own: true, rights: "owner" }).allowed;
      const r = await requestFor(op);
      const res = await app.inject({ method: r.method as "GET", url: r.url, headers: { authorization: `Bearer ${tokens.get(scope)}` }, ...(r.payload !== undefined ? { payload: r.payload as object } : {}) });
      if (expected) {
        assert.ok(res.statusCode >= 200 && res.statusCode < 300, `${op} with ${scope}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        allowed++;
      } else {
        assert.equal(res.statusCode, 403, `${op} with ${scope} must be refused: ${res.body.slice(0, 200)}`);
        assert.equal(res.json().error.code, "ErrorAccessDenied");
        refused++;
      }
    }
  }
  assert.ok(allowed > 40 && refused > 100, `${allowed} allowed, ${refused} refused`);
  assert.ok((await store.security.list({ limit: 500 })).some((e) => e.surface === "graph" && /scope-missing/.test(e.reason)));
});

test("Mail.ReadBasic sees messages without body or preview; Mail.Read sees them; $value needs Mail.Read", async () => {
  const basic = await tokenFor(["Mail.ReadBasic"]);
  const read = await tokenFor(["Mail.Read"]);
  const get = (t: string, url: string) => app.inject({ method: "GET", url, headers: { authorization: `Bearer ${t}` } });
  const b = (await get(basic, `/v1.0/me/messages/${w.i1.id}`)).json();
  assert.equal(b.subject, "Invoice");
  assert.equal(b.body, undefined);
  assert.equal(b.bodyPreview, undefined);
  const r = (await get(read, `/v1.0/me/messages/${w.i1.id}`)).json();
  assert.equal(r.body.content, "see attached");
  assert.equal((await get(basic, `/v1.0/me/messages/${w.i1.id}/$value`)).statusCode, 403);
  const mime = await get(read, `/v1.0/me/messages/${w.i1.id}/$value`);
  assert.equal(mime.statusCode, 200);
  assert.match(mime.body, /Subject: Invoice/);
  const att = await get(read, `/v1.0/me/messages/${w.i1.id}/attachments/${w.attachmentId}/$value`);
  assert.equal(att.statusCode, 200);
  assert.deepEqual(att.rawPayload, w.attData);
  const list = (await get(basic, "/v1.0/me/messages?$select=subject,hasAttachments&$top=50")).json();
  assert.ok(list.value.every((m: Record<string, unknown>) => Object.keys(m).every((k) => ["@odata.etag", "id", "subject", "hasAttachments"].includes(k))));
});

test("$filter, $orderby, $top/$skip and nextLink on message lists; bad queries are 400 with the problem named", async () => {
  const t = await tokenFor(["Mail.Read"]);
  const get = (url: string) => app.inject({ method: "GET", url, headers: { authorization: `Bearer ${t}` } });
  const withAtt = (await get("/v1.0/me/mailFolders/inbox/messages?$filter=hasAttachments eq true")).json();
  assert.ok(withAtt.value.length >= 1 && withAtt.value.every((m: { hasAttachments: boolean }) => m.hasAttachments));
  const byFrom = (await get(`/v1.0/me/messages?$filter=${encodeURIComponent("from/emailAddress/address eq 'lee@tailspin.example' and startswith(subject,'inv')")}`)).json();
  assert.deepEqual(byFrom.value.map((m: { id: string }) => m.id), [w.i1.id]);
  const page1 = (await get("/v1.0/me/mailFolders/inbox/messages?$top=1&$orderby=subject asc")).json();
  assert.equal(page1.value.length, 1);
  assert.match(page1["@odata.nextLink"], /\$skip=1/);
  const bad = await get("/v1.0/me/messages?$filter=subject eq");
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().error.message, /\$filter/);
  const badProp = await get("/v1.0/me/messages?$filter=body eq 'x'");
  assert.equal(badProp.json().error.code, "ErrorInvalidProperty");
  assert.equal((await get("/v1.0/me/messages?$top=abc")).statusCode, 400);
});

test("shared and delegate mailboxes need a .Shared scope and the user's rights; another tenant's user is unknown", async () => {
  const own = await tokenFor(["Mail.Read", "Mail.ReadWrite"]);
  const shared = await tokenFor(["Mail.Read.Shared", "Mail.ReadWrite.Shared", "Mail.Send.Shared"]);
  const get = (t: string, url: string) => app.inject({ method: "GET", url, headers: { authorization: `Bearer ${t}` } });
  // support@ is a shared mailbox alice has full access to.
  assert.equal((await get(own, "/v1.0/users/support@contoso.example/messages")).statusCode, 403);
  assert.equal((await get(shared, "/v1.0/users/support@contoso.example/messages")).statusCode, 200);
  // bob's mailbox: alice has no rights there, whatever her scopes.
  const bobs = await get(shared, `/v1.0/users/${w.bob.user.id}/messages`);
  assert.equal(bobs.statusCode, 403);
  // Bob is a reviewer of alice's mailbox: read with .Shared, not write.
  const bob = (await store.directory.getUser(w.bob.user.id))!;
  const bobShared = await tokenFor(["Mail.Read.Shared", "Mail.ReadWrite.Shared"], bob);
  assert.equal((await get(bobShared, "/v1.0/users/alice@contoso.example/messages")).statusCode, 200);
  const write = await app.inject({ method: "PATCH", url: `/v1.0/users/alice@contoso.example/messages/${w.i2.id}`, headers: { authorization: `Bearer ${bobShared}` }, payload: { isRead: true } });
  assert.equal(write.statusCode, 403);
  // An item of another mailbox named through /me is not found, not leaked.
  assert.equal((await get(own, `/v1.0/me/messages/${w.ib.id}`)).statusCode, 404);
  assert.equal((await get(shared, "/v1.0/users/eve@fabrikam.example/messages")).statusCode, 404);
  // /me needs User.Read; other users' profiles need User.ReadBasic.All.
  assert.equal((await get(own, "/v1.0/me")).statusCode, 403);
  const profile = await tokenFor(["User.Read"]);
  assert.equal((await get(profile, "/v1.0/me")).json().mail, "alice@contoso.example");
  assert.equal((await get(profile, "/v1.0/users/bob@contoso.example")).statusCode, 403);
  const basicAll = await tokenFor(["User.ReadBasic.All"]);
  assert.equal((await get(basicAll, "/v1.0/users/bob@contoso.example")).json().displayName, "Bob");
});

test("bad tokens: another audience, another tenant, expired, forged, revoked, consent withdrawn — 401 InvalidAuthenticationToken", async () => {
  const get = (t: string | undefined) => app.inject({ method: "GET", url: "/v1.0/me/messages", headers: t ? { authorization: `Bearer ${t}` } : {} });
  const expectRefused = async (t: string | undefined, message: RegExp) => {
    const res = await get(t);
    assert.equal(res.statusCode, 401, res.body);
    assert.equal(res.json().error.code, "InvalidAuthenticationToken");
    assert.match(res.json().error.message, message);
    assert.match(String(res.headers["www-authenticate"]), /invalid_token/);
  };
  await expectRefused(undefined, /empty/);
  const good = await tokenFor(["Mail.Read"]);
  assert.equal((await get(good)).statusCode, 200);
  const sso = (await identity.tokens.issueAccessToken({ issuerBase: BASE, user: alice, clientId: reg.clientId, scopes: ["Mail.Read"], audience: "api://addins.example/matrix" })).token;
  await expectRefused(sso, /audience/);
  const expired = (await identity.tokens.issueAccessToken({ issuerBase: BASE, user: alice, clientId: reg.clientId, scopes: ["Mail.Read"], lifetimeSeconds: -10 })).token;
  await expectRefused(expired, /expired/);
  const eve = (await store.directory.getUser(w.eve.user.id))!;
  const key = await identity.keys.signingKey();
  const now = Math.floor(Date.now() / 1000);
  const crossTenant = await new SignJWT({ ver: "2.0", tid: "contoso", oid: eve.id, azp: reg.clientId, scp: "Mail.Read" })
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .setIssuer(`${BASE}/identity/contoso/v2.0`).setAudience("https://graph.microsoft.com").setSubject(eve.id).setJti("x1").setIssuedAt(now).setNotBefore(now).setExpirationTime(now + 60)
    .sign(key.privateKey);
  await expectRefused(crossTenant, /tenant/);
  const parts = good.split(".");
  const forged = `${parts[0]}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(parts[1]!, "base64url").toString()), scp: "Mail.ReadWrite" })).toString("base64url")}.${parts[2]}`;
  await expectRefused(forged, /signature/);
  const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${parts[1]}.`;
  await expectRefused(none, /JWT|Algorithm/);
  await identity.tokens.revoke(good);
  await expectRefused(good, /revoked/);
  const fresh = await tokenFor(["Mail.Read"]);
  await identity.consents.revoke({ tenantId: "contoso", clientId: reg.clientId, userId: alice.id, scopes: ["Mail.Read"] });
  await expectRefused(fresh, /withdrawn/);
  // Consent given again: the old token stays dead (it predates the new grant only if issued before it).
  await new Promise((r) => setTimeout(r, 1100));
  await identity.consents.grant({ tenantId: "contoso", clientId: reg.clientId, userId: alice.id, scopes: ["Mail.Read"], grantedBy: alice.id, registered: ALL });
  await expectRefused(fresh, /withdrawn/);
  const events = (await store.security.list({ limit: 500 })).filter((e) => e.surface === "graph").map((e) => e.reason);
  for (const r of ["token-wrong-audience", "token-expired", "token-other-tenant", "token-bad-signature", "token-revoked", "token-consent-withdrawn"]) assert.ok(events.includes(r), r);
});

test("sendMail, drafts, move, upload sessions for large attachments", async () => {
  const t = await tokenFor(["Mail.ReadWrite", "Mail.Send"]);
  const h = { authorization: `Bearer ${t}` };
  const sent = await app.inject({ method: "POST", url: "/v1.0/me/sendMail", headers: h, payload: { message: { subject: "Hello", body: { contentType: "text", content: "hi" }, toRecipients: [{ emailAddress: { address: "bob@contoso.example" } }] } } });
  assert.equal(sent.statusCode, 202);
  const inSent = (await app.inject({ method: "GET", url: "/v1.0/me/mailFolders/sentitems/messages?$filter=subject eq 'Hello'", headers: h })).json();
  assert.equal(inSent.value.length, 1);
  const noTo = await app.inject({ method: "POST", url: "/v1.0/me/sendMail", headers: h, payload: { message: { subject: "x" } } });
  assert.equal(noTo.statusCode, 400);
  const draft = (await app.inject({ method: "POST", url: "/v1.0/me/messages", headers: h, payload: { subject: "Draft", toRecipients: [{ emailAddress: { address: "bob@contoso.example" } }] } })).json();
  const size = 700_000;
  const data = Buffer.alloc(size, 7);
  const session = (await app.inject({ method: "POST", url: `/v1.0/me/messages/${draft.id}/attachments/createUploadSession`, headers: h, payload: { AttachmentItem: { attachmentType: "file", name: "big.bin", size } } })).json();
  const path = new URL(session.uploadUrl).pathname;
  const put = (start: number, end: number) => app.inject({ method: "PUT", url: path, headers: { "content-type": "application/octet-stream", "content-range": `bytes ${start}-${end}/${size}` }, payload: data.subarray(start, end + 1) });
  const first = await put(0, 327_679);
  assert.equal(first.statusCode, 202);
  assert.deepEqual(first.json().nextExpectedRanges, ["327680-"]);
  assert.equal((await put(0, 327_679)).statusCode, 416, "a chunk out of order is refused");
  const last = await put(327_680, size - 1);
  assert.equal(last.statusCode, 201);
  const att = await app.inject({ method: "GET", url: `/v1.0/me/messages/${draft.id}/attachments/${last.json().id}/$value`, headers: h });
  assert.deepEqual(att.rawPayload, data);
  assert.equal((await put(0, 10)).statusCode, 404, "a finished session is gone");
  const tooBig = await app.inject({ method: "POST", url: `/v1.0/me/messages/${draft.id}/attachments`, headers: h, payload: { name: "x", contentBytes: Buffer.alloc(3_200_000).toString("base64") } });
  assert.equal(tooBig.statusCode, 413);
  assert.equal((await app.inject({ method: "POST", url: `/v1.0/me/messages/${draft.id}/send`, headers: h })).statusCode, 202);
});

test("throttling: over the per-app, per-mailbox window a request gets 429 with Retry-After", async () => {
  process.env.OUTPOST_GRAPH_THROTTLE = "3/60";
  const throttled = await server(store);
  delete process.env.OUTPOST_GRAPH_THROTTLE;
  try {
    const t = await tokenFor(["Mail.Read"]);
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await throttled.inject({ method: "GET", url: "/v1.0/me/messages?$top=1", headers: { authorization: `Bearer ${t}` } })).statusCode);
    assert.deepEqual(codes, [200, 200, 200, 429]);
    const res = await throttled.inject({ method: "GET", url: "/v1.0/me/messages?$top=1", headers: { authorization: `Bearer ${t}` } });
    assert.equal(res.json().error.code, "ApplicationThrottled");
    assert.ok(Number(res.headers["retry-after"]) >= 1);
  } finally {
    await throttled.close();
  }
});

test("CORS: preflight answered for add-in origins; unknown Graph paths are 400 BadRequest", async () => {
  const pre = await app.inject({ method: "OPTIONS", url: "/v1.0/me/messages", headers: { origin: "https://addins.example", "access-control-request-method": "GET", "access-control-request-headers": "authorization" } });
  assert.equal(pre.statusCode, 204);
  assert.equal(pre.headers["access-control-allow-origin"], "*");
  assert.match(String(pre.headers["access-control-allow-headers"]), /Authorization/);
  const t = await tokenFor(["Mail.Read"]);
  const unknown = await app.inject({ method: "GET", url: "/v1.0/me/calendars", headers: { authorization: `Bearer ${t}` } });
  assert.equal(unknown.statusCode, 400);
});
