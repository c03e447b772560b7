/**
 * The identity provider over real HTTP: discovery and JWKS (tokens verified by jose against the published keys, as a
 * third-party resource server would), authorization code + PKCE with sign-in and consent, and every refusal the issue
 * names — unregistered redirect URI, PKCE missing or wrong, a code replayed, a scope never registered — each answered
 * with the OAuth error and stored as a security event.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { openMailboxStore } from "../../src/mailbox/index.ts";
import { Identity } from "../../src/identity/index.ts";
import { server, serverWorld } from "../server/fixtures.ts";

const store = await openMailboxStore({ memory: true });
const w = await serverWorld(store);
const app = await server(store);
const base = await app.listen({ port: 0, host: "127.0.0.1" });
after(async () => {
  await app.close();
  await store.close();
});
const identity = Identity.of(store);
const REDIRECT = "http://localhost:5173/auth/callback";
const reg = await identity.registrations.create({ clientId: "mail-reader", addinId: "addin-mail-reader", displayName: "Mail Reader", publisher: "Tailspin", tenantId: "contoso", redirectUris: [REDIRECT], scopes: ["User.Read", "Mail.Read"] });

async function signIn(email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  assert.equal(res.status, 200);
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}
const pkce = () => {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
};
const authorizeUrl = (p: Record<string, string>) => `${base}/identity/contoso/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: reg.clientId, redirect_uri: REDIRECT, response_type: "code", scope: "openid profile Mail.Read", state: "s1", ...p })}`;
const form = (o: Record<string, string>) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(o).toString(), redirect: "manual" as const });
const events = async (reason: RegExp) => (await store.security.list({ limit: 200 })).filter((e) => reason.test(e.reason));

test("discovery document and JWKS describe the provider; keys verify its tokens", async () => {
  const conf = (await (await fetch(`${base}/identity/contoso/v2.0/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  assert.equal(conf.issuer, `${base}/identity/contoso/v2.0`);
  assert.deepEqual(conf.code_challenge_methods_supported, ["S256"]);
  assert.ok((conf.scopes_supported as string[]).includes("Mail.Read"));
  const unknown = await fetch(`${base}/identity/nowhere/v2.0/.well-known/openid-configuration`);
  assert.equal(unknown.status, 400);
  const jwks = createRemoteJWKSet(new URL(conf.jwks_uri as string));
  const user = (await store.directory.getUser(w.alice.user.id))!;
  const t = await identity.tokens.issueAccessToken({ issuerBase: base, user, clientId: reg.clientId, scopes: ["Mail.Read"] });
  const { payload } = await jwtVerify(t.token, jwks, { issuer: conf.issuer as string, audience: "https://graph.microsoft.com" });
  assert.equal(payload.scp, "Mail.Read");
  assert.equal(payload.tid, "contoso");
  assert.ok((payload.exp as number) - (payload.iat as number) <= 600, "short-lived");
});

test("authorization code + PKCE: sign-in, consent page in plain words, code, tokens; the code works once", async () => {
  const cookie = await signIn("bob@contoso.example", "pw-bob");
  const { verifier, challenge } = pkce();
  const params = { code_challenge: challenge, code_challenge_method: "S256", nonce: "n-1" };
  const page = await fetch(authorizeUrl(params), { headers: { cookie }, redirect: "manual" });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Mail Reader wants to/);
  assert.match(html, /Read your mail, including its text and attachments/);
  assert.match(page.headers.get("content-security-policy") ?? "", /frame-ancestors 'self'/);
  const accepted = await fetch(`${base}/identity/contoso/oauth2/v2.0/authorize`, {
    ...form({ client_id: reg.clientId, redirect_uri: REDIRECT, response_type: "code", scope: "openid profile Mail.Read", state: "s1", ...params, decision: "accept" }),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
  });
  assert.equal(accepted.status, 302);
  const loc = new URL(accepted.headers.get("location")!);
  assert.equal(`${loc.origin}${loc.pathname}`, REDIRECT);
  assert.equal(loc.searchParams.get("state"), "s1");
  const code = loc.searchParams.get("code")!;
  assert.ok(code);
  const wrong = await fetch(`${base}/identity/contoso/oauth2/v2.0/token`, form({ grant_type: "authorization_code", client_id: reg.clientId, code, redirect_uri: REDIRECT, code_verifier: pkce().verifier }));
  assert.equal(wrong.status, 400);
  assert.equal(((await wrong.json()) as { error: string }).error, "invalid_grant");
  // A failed redemption still burns the code (single use): a fresh authorization is needed.
  const again = await fetch(authorizeUrl(params), { headers: { cookie }, redirect: "manual" });
  assert.equal(again.status, 302, "consent given: straight back with a code");
  const code2 = new URL(again.headers.get("location")!).searchParams.get("code")!;
  const ok = await fetch(`${base}/identity/contoso/oauth2/v2.0/token`, form({ grant_type: "authorization_code", client_id: reg.clientId, code: code2, redirect_uri: REDIRECT, code_verifier: verifier }));
  assert.equal(ok.status, 200);
  const tokens = (await ok.json()) as { access_token: string; id_token: string; scope: string; expires_in: number };
  assert.equal(tokens.scope, "openid profile Mail.Read");
  assert.ok(tokens.expires_in <= 600);
  const idClaims = JSON.parse(Buffer.from(tokens.id_token.split(".")[1]!, "base64url").toString());
  assert.equal(idClaims.nonce, "n-1");
  assert.equal(idClaims.aud, reg.clientId);
  const me = await fetch(`${base}/v1.0/me/messages?$top=1`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(me.status, 200);
  const replay = await fetch(`${base}/identity/contoso/oauth2/v2.0/token`, form({ grant_type: "authorization_code", client_id: reg.clientId, code: code2, redirect_uri: REDIRECT, code_verifier: verifier }));
  assert.equal(replay.status, 400);
  assert.match(((await replay.json()) as { error_description: string }).error_description, /already redeemed/);
  assert.ok((await events(/oauth-invalid_grant/)).length >= 2);
});

test("refusals: unregistered redirect URI is shown, not followed; PKCE missing; unregistered scope; cancelled consent", async () => {
  const cookie = await signIn("alice@contoso.example", "pw-alice");
  const evil = await fetch(authorizeUrl({ redirect_uri: "https://evil.example/cb", code_challenge: pkce().challenge, code_challenge_method: "S256" }), { headers: { cookie }, redirect: "manual" });
  assert.equal(evil.status, 400);
  assert.equal(evil.headers.get("location"), null);
  assert.match(await evil.text(), /not a redirect URI/);
  const noPkce = await fetch(authorizeUrl({}), { headers: { cookie }, redirect: "manual" });
  assert.equal(noPkce.status, 302);
  assert.equal(new URL(noPkce.headers.get("location")!).searchParams.get("error"), "invalid_request");
  const plain = await fetch(authorizeUrl({ code_challenge: pkce().challenge, code_challenge_method: "plain" }), { headers: { cookie }, redirect: "manual" });
  assert.match(new URL(plain.headers.get("location")!).searchParams.get("error_description")!, /S256/);
  const scope = await fetch(authorizeUrl({ scope: "openid Mail.ReadWrite", code_challenge: pkce().challenge, code_challenge_method: "S256" }), { headers: { cookie }, redirect: "manual" });
  assert.equal(new URL(scope.headers.get("location")!).searchParams.get("error"), "invalid_scope");
  const bogus = await fetch(authorizeUrl({ scope: "openid Mail.Everything", code_challenge: pkce().challenge, code_challenge_method: "S256" }), { headers: { cookie }, redirect: "manual" });
  assert.equal(new URL(bogus.headers.get("location")!).searchParams.get("error"), "invalid_scope");
  const cancel = await fetch(`${base}/identity/contoso/oauth2/v2.0/authorize`, {
    ...form({ client_id: reg.clientId, redirect_uri: REDIRECT, response_type: "code", scope: "openid Mail.Read", code_challenge: pkce().challenge, code_challenge_method: "S256", decision: "cancel" }),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
  });
  assert.equal(new URL(cancel.headers.get("location")!).searchParams.get("error"), "access_denied");
  assert.deepEqual(await identity.consents.missing("contoso", reg.clientId, w.alice.user.id, ["Mail.Read"]), ["Mail.Read"], "nothing granted");
  const otherTenant = await fetch(authorizeUrl({ code_challenge: pkce().challenge, code_challenge_method: "S256" }).replace("/contoso/", "/fabrikam/"), { headers: { cookie }, redirect: "manual" });
  assert.equal(new URL(otherTenant.headers.get("location")!).searchParams.get("error"), "access_denied");
  assert.ok((await events(/oauth-invalid-authorize-request|oauth-invalid_request|oauth-invalid_scope|oauth-other-tenant/)).length >= 4);
});

test("sign-in through the authorize endpoint when no session; wrong password refused", async () => {
  const { challenge } = pkce();
  const page = await fetch(authorizeUrl({ code_challenge: challenge, code_challenge_method: "S256" }), { redirect: "manual" });
  assert.match(await page.text(), /Sign in to Outpost/);
  const fields = { client_id: reg.clientId, redirect_uri: REDIRECT, response_type: "code", scope: "openid profile Mail.Read", code_challenge: challenge, code_challenge_method: "S256" };
  const bad = await fetch(`${base}/identity/contoso/login`, form({ ...fields, email: "bob@contoso.example", password: "nope" }));
  assert.equal(bad.status, 401);
  const good = await fetch(`${base}/identity/contoso/login`, form({ ...fields, email: "bob@contoso.example", password: "pw-bob" }));
  assert.equal(good.status, 302, "bob consented in an earlier test: straight to the code");
  assert.ok(new URL(good.headers.get("location")!).searchParams.get("code"));
});

test("registrations: validated with the field named; admin consent by API; users see and revoke their grants", async () => {
  const cookie = await signIn("alice@contoso.example", "pw-alice");
  const post = (body: unknown) => fetch(`${base}/identity/registrations`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify(body) });
  const badUri = await post({ displayName: "X", redirectUris: ["http://example.com/cb"] });
  assert.equal(badUri.status, 400);
  assert.match(((await badUri.json()) as { message: string }).message, /redirectUris\[0\].*https/);
  const badScope = await post({ displayName: "X", scopes: ["Mail.Read", "Files.ReadWrite.All"] });
  assert.match(((await badScope.json()) as { message: string }).message, /scopes\[1\].*Files\.ReadWrite\.All/);
  const created = await post({ displayName: "Reporter", addinId: "addin-reporter", redirectUris: ["brk-multihub://addins.example"], scopes: ["Mail.ReadBasic", "User.Read.All"] });
  assert.equal(created.status, 201);
  const { clientId } = (await created.json()) as { clientId: string };
  const bobCookie = await signIn("bob@contoso.example", "pw-bob");
  const notAdmin = await fetch(`${base}/identity/admin-consent`, { method: "POST", headers: { "content-type": "application/json", cookie: bobCookie }, body: JSON.stringify({ clientId }) });
  assert.equal(notAdmin.status, 403);
  const admin = await fetch(`${base}/identity/admin-consent`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ clientId }) });
  assert.deepEqual(((await admin.json()) as { granted: string[] }).granted.sort(), ["Mail.ReadBasic", "User.Read.All"]);
  const bobGrants = (await (await fetch(`${base}/identity/grants`, { headers: { cookie: bobCookie } })).json()) as { value: Array<{ clientId: string; userId: string | null }> };
  assert.ok(bobGrants.value.some((g) => g.clientId === clientId && g.userId === null), "bob sees the organisation's consent");
  assert.ok(bobGrants.value.some((g) => g.clientId === reg.clientId && g.userId === w.bob.user.id));
  const del = await fetch(`${base}/identity/grants/${reg.clientId}`, { method: "DELETE", headers: { cookie: bobCookie } });
  assert.equal(((await del.json()) as { removed: number }).removed, 1);
  // A user cannot consent alone to a scope that needs an admin.
  await assert.rejects(identity.consents.grant({ tenantId: "contoso", clientId, userId: w.bob.user.id, scopes: ["User.Read.All"], grantedBy: w.bob.user.id, registered: ["User.Read.All"] }), /administrator/);
});
