/**
 * The modern path's token (issue 17 item 6): Outpost's NAA broker issues a token for the add-in's own API
 * (`<resource>/access_as_user`: audience = that resource, the service's app registration), which the Work requests
 * service verifies against the identity provider's JWKS. A Graph token, a token for another audience, one from
 * another key set or an expired one are refused; a request mixing the API and Graph scopes is refused by the broker.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPair, SignJWT } from "jose";
import { openMailboxStore, type MailboxStore } from "../../src/mailbox/index.ts";
import { Identity } from "../../src/identity/index.ts";
import { startService } from "./world.ts";
import type { WorkService } from "../../examples/work-requests/service/app.ts";

const ADDIN = "7d0c5a52-3b9e-4f61-9a2d-1c4e8b6f0a10";
const RESOURCE = "api://work-requests.example/api";
const BASE = "https://outpost.test";
let store: MailboxStore;
let identity: Identity;
let service: WorkService;
let url: string;
let subject: { tenantId: string; userId: string; addinId: string; origin: string };

before(async () => {
  store = await openMailboxStore({ memory: true });
  const tenant = await store.directory.createTenant({ id: "contoso", name: "Contoso" });
  const alice = await store.provisionUser({ tenantId: tenant.id, email: "alice@contoso.example", displayName: "Alice", password: "pw" });
  identity = Identity.of(store);
  await identity.registrations.create({ clientId: "work-requests", addinId: ADDIN, displayName: "Work requests", tenantId: tenant.id, redirectUris: ["brk-multihub://addins.contoso.example"], scopes: ["Mail.Read"], ssoResource: RESOURCE });
  await identity.consents.grant({ tenantId: tenant.id, clientId: "work-requests", userId: alice.user.id, scopes: ["Mail.Read"], grantedBy: alice.user.id, registered: ["Mail.Read"] });
  subject = { tenantId: tenant.id, userId: alice.user.id, addinId: ADDIN, origin: "https://addins.contoso.example" };
  ({ service, url } = await startService({ idp: { jwks: () => identity.keys.jwks(), audience: RESOURCE, origin: BASE } }));
});
after(async () => {
  await service?.close();
  await store?.close();
});

const projects = (token: string) => fetch(`${url}/api/projects`, { headers: { authorization: `Bearer ${token}` } });
async function brokered(scope: string) {
  const r = await identity.broker.token(subject, { clientId: "work-requests", scope }, BASE);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.description}`);
  return r.token;
}

test("the broker issues a token for the add-in's own API (audience = the resource, scope access_as_user), no Graph consent needed", async () => {
  const t = await brokered(`${RESOURCE}/access_as_user openid profile offline_access`);
  const claims = JSON.parse(Buffer.from(t.access_token.split(".")[1]!, "base64url").toString());
  assert.equal(claims.aud, RESOURCE);
  assert.equal(claims.scp, "access_as_user");
  assert.equal(claims.iss, `${BASE}/identity/contoso/v2.0`);
  assert.match(t.scope, new RegExp(`${RESOURCE}/access_as_user`));
  const r = await projects(t.access_token);
  assert.equal(r.status, 200, await r.clone().text());
  // The submission belongs to the user the token names.
  const sub = await (await fetch(`${url}/api/submissions`, { method: "POST", headers: { authorization: `Bearer ${t.access_token}` } })).json();
  const [row] = await service.db.query<{ owner: string }>("SELECT owner FROM work_requests.submissions WHERE id = $1", [sub.id]);
  assert.equal(row!.owner, `contoso/${subject.userId}`);
});

test("the service refuses a Graph token (another audience), a foreign key's token and an expired one, each named", async () => {
  const graph = await brokered("Mail.Read");
  const r1 = await projects(graph.access_token);
  assert.equal(r1.status, 401);
  assert.equal((await r1.json()).error, "The token was issued for another audience than this service.");

  const { privateKey } = await generateKeyPair("RS256");
  const forged = await new SignJWT({ tid: "contoso", scp: "access_as_user" }).setProtectedHeader({ alg: "RS256", kid: "forged" }).setIssuer(`${BASE}/identity/contoso/v2.0`).setAudience(RESOURCE).setSubject(subject.userId).setIssuedAt().setExpirationTime("5m").sign(privateKey);
  const r2 = await projects(forged);
  assert.equal(r2.status, 401);
  assert.equal((await r2.json()).error, "The token was not accepted.");

  const key = await identity.keys.signingKey();
  const now = Math.floor(Date.now() / 1000);
  const expired = await new SignJWT({ tid: "contoso", scp: "access_as_user" }).setProtectedHeader({ alg: "RS256", kid: key.kid }).setIssuer(`${BASE}/identity/contoso/v2.0`).setAudience(RESOURCE).setSubject(subject.userId).setIssuedAt(now - 1200).setExpirationTime(now - 600).sign(key.privateKey);
  const r3 = await projects(expired);
  assert.equal(r3.status, 401);
  assert.equal((await r3.json()).error, "Your token expired; sign in again and resubmit.");

  const otherIssuer = await new SignJWT({ tid: "contoso", scp: "access_as_user" }).setProtectedHeader({ alg: "RS256", kid: key.kid }).setIssuer(`https://elsewhere.test/identity/contoso/v2.0`).setAudience(RESOURCE).setSubject(subject.userId).setIssuedAt().setExpirationTime("5m").sign(key.privateKey);
  const r4 = await projects(otherIssuer);
  assert.equal(r4.status, 401);
  assert.equal((await r4.json()).error, "The token's issuer is not the identity provider this service trusts.");
});

test("one token, one resource: the API scope with a Graph scope is refused by the broker (invalid_scope, AADSTS28000)", async () => {
  const r = await identity.broker.token(subject, { clientId: "work-requests", scope: `${RESOURCE}/access_as_user Mail.Read` }, BASE);
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.error.code === "invalid_scope" && /AADSTS28000/.test(r.error.description ?? ""), JSON.stringify(r));
});
