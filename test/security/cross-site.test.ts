/**
 * The cross-site check belongs to requests that carry ambient credentials (the session cookie, or a password
 * sign-in that would set it), and only to them. Each decision is tested both ways: the refused cross-site cookie
 * request, and the cross-origin request a browser legitimately sends from an add-in's page with a bearer token, a
 * form-encoded token request or an upload URL. Plus the page headers that go with it: Referrer-Policy and the
 * web client's frame-src.
 */
import { test, after, describe } from "node:test";
import assert from "node:assert/strict";
import { Identity } from "../../src/identity/index.ts";
import { harness } from "./world.ts";
import { clientCsp } from "../../src/server/plugins/web-client.ts";
import { DEFAULT_CSP_DIRECTIVES } from "../../src/server/security/plugin.ts";

const ADDIN = "https://addin.example";
const h = await harness({ addinOrigin: "https://127.0.0.1:3001" });
after(() => h.close());
const { w, store } = h;
const crossSite = { origin: ADDIN, "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors" };
const refusedCrossSite = (res: { statusCode: number; body: string }) => res.statusCode === 403 && res.body.includes("CrossSiteRequest");

describe("refused: state changes riding on the session cookie from another site", () => {
  test("a cross-site PATCH, DELETE and POST with the cookie (Sec-Fetch-Site) are refused before any handler", async () => {
    const alice = await h.login("alice@contoso.example", "pw-alice", "127.0.0.70");
    for (const [method, url, payload] of [
      ["PATCH", `/api/items/${w.i2.id}`, { isRead: true }],
      ["DELETE", `/api/items/${w.i2.id}`, undefined],
      ["POST", "/api/addins/consent-prompt", {}],
      ["POST", "/bridge/sessions", { addinId: "x", itemId: w.i1.id, form: "read" }],
    ] as const) {
      const res = await h.inject({ method, url, headers: { cookie: alice, ...crossSite }, ...(payload ? { payload } : {}) });
      assert.ok(refusedCrossSite(res), `${method} ${url}: ${res.statusCode} ${res.body}`);
    }
    assert.ok(await store.items.get(w.i2.id), "nothing deleted");
  });

  test("same-site (a sibling origin, e.g. an add-in origin on another port) with the cookie is refused too", async () => {
    const alice = await h.login("alice@contoso.example", "pw-alice", "127.0.0.71");
    const res = await h.inject({ method: "PATCH", url: `/api/items/${w.i2.id}`, headers: { cookie: alice, origin: "https://localhost:3001", "sec-fetch-site": "same-site" }, payload: { isRead: true } });
    assert.ok(refusedCrossSite(res));
  });

  test("an older browser (no Sec-Fetch-Site) with a foreign or null Origin and the cookie is refused", async () => {
    const alice = await h.login("alice@contoso.example", "pw-alice", "127.0.0.72");
    for (const origin of ["https://evil.example", "null"]) {
      const res = await h.inject({ method: "PATCH", url: `/api/items/${w.i2.id}`, headers: { cookie: alice, origin }, payload: { isRead: true } });
      assert.ok(refusedCrossSite(res), origin);
    }
  });

  test("a cross-site sign-in (login CSRF) is refused although it carries no cookie yet", async () => {
    const res = await h.inject({ method: "POST", url: "/api/session", headers: crossSite, payload: { email: "alice@contoso.example", password: "pw-alice" }, remoteAddress: "127.0.0.73" });
    assert.ok(refusedCrossSite(res));
    assert.equal(res.headers["set-cookie"], undefined);
  });
});

describe("allowed: what browsers legitimately send cross-origin from an add-in's page", () => {
  test("REST with a callback token (Authorization: Bearer) from the add-in's origin", async () => {
    const rest = await h.token({ kind: "rest", tier: "ReadWriteMailbox", itemId: null });
    const res = await h.inject({ method: "PATCH", url: `/api/v2.0/me/messages/${w.i2.id}`, headers: { authorization: `Bearer ${rest}`, ...crossSite }, payload: { IsRead: true } });
    assert.equal(res.statusCode, 200, res.body);
  });

  test("the identity provider's token and revoke endpoints (form body, no cookie, no Authorization)", async () => {
    const form = { ...crossSite, "content-type": "application/x-www-form-urlencoded" };
    const token = await h.inject({ method: "POST", url: "/identity/common/oauth2/v2.0/token", headers: form, payload: "grant_type=authorization_code&client_id=nobody&code=nothing" });
    assert.ok(!refusedCrossSite(token), token.body);
    assert.equal(token.json().error, "invalid_client", "reached the token endpoint's own checks");
    const revoke = await h.inject({ method: "POST", url: "/identity/common/oauth2/v2.0/revoke", headers: form, payload: "token=abc" });
    assert.equal(revoke.statusCode, 200, revoke.body);
  });

  test("a Graph upload session: the upload URL is the credential, PUT from the add-in's origin without Authorization", async () => {
    const identity = Identity.of(store);
    const scopes = ["Mail.ReadWrite"];
    const reg = await identity.registrations.create({ clientId: "cross-site-upload", addinId: "addin-upload", displayName: "Upload", tenantId: "contoso", scopes });
    const alice = (await store.directory.getUser(w.alice.user.id))!;
    await identity.consents.grant({ tenantId: "contoso", clientId: reg.clientId, userId: alice.id, scopes, grantedBy: alice.id, registered: scopes });
    const bearer = (await identity.tokens.issueAccessToken({ issuerBase: "http://localhost", user: alice, clientId: reg.clientId, scopes })).token;
    const drafts = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "drafts"))!;
    const draft = await store.items.create(w.alice.mailbox.id, drafts.id, { subject: "upload", isDraft: true });
    const created = await h.inject({ method: "POST", url: `/v1.0/me/messages/${draft.id}/attachments/createUploadSession`, headers: { authorization: `Bearer ${bearer}`, ...crossSite }, payload: { AttachmentItem: { attachmentType: "file", name: "a.bin", size: 4 } } });
    assert.equal(created.statusCode, 201, created.body);
    const uploadUrl = new URL(created.json().uploadUrl as string);
    // The session cookie a browser might still attach does not turn the upload into a cookie request either way.
    const put = await h.inject({ method: "PUT", url: uploadUrl.pathname, headers: { ...crossSite, "content-type": "application/octet-stream", "content-range": "bytes 0-3/4" }, payload: Buffer.from("data") });
    assert.equal(put.statusCode, 201, put.body);
    assert.equal((await store.items.listAttachments(draft.id)).length, 1);
  });

  test("a same-origin form post whose Origin is null under Referrer-Policy no-referrer (Sec-Fetch-Site: same-origin)", async () => {
    const alice = await h.login("alice@contoso.example", "pw-alice", "127.0.0.74");
    const res = await h.inject({ method: "PATCH", url: `/api/items/${w.i2.id}`, headers: { cookie: alice, origin: "null", "sec-fetch-site": "same-origin" }, payload: { isRead: true } });
    assert.ok(!refusedCrossSite(res), res.body);
    assert.equal(res.statusCode, 200, res.body);
  });

  test("a configured trusted origin (a proxy's public origin) with the cookie", async () => {
    const proxied = await harness({ trustedOrigins: ["https://mail.contoso.example"] });
    try {
      const alice = await proxied.login("alice@contoso.example", "pw-alice", "127.0.0.75");
      const res = await proxied.inject({ method: "PATCH", url: `/api/items/${proxied.w.i2.id}`, headers: { cookie: alice, origin: "https://mail.contoso.example", "sec-fetch-site": "same-site" }, payload: { isRead: true } });
      assert.equal(res.statusCode, 200, res.body);
    } finally {
      await proxied.close();
    }
  });
});

describe("page headers", () => {
  test("Referrer-Policy no-referrer on API answers; pages that post forms keep their Origin (same-origin)", async () => {
    const api = await h.inject({ method: "GET", url: "/healthz" });
    assert.equal(api.headers["referrer-policy"], "no-referrer");
    const consent = await h.inject({ method: "GET", url: "/identity/consent?ticket=none" });
    assert.equal(consent.headers["referrer-policy"], "same-origin", "the consent and sign-in forms post with an Origin");
    const client = await h.inject({ method: "GET", url: "/app/" });
    assert.equal(client.headers["referrer-policy"], "same-origin");
  });

  test("the web client may frame the configured add-in origin and https add-in pages, nothing else; nobody frames it", async () => {
    const res = await h.inject({ method: "GET", url: "/app/" });
    const csp = String(res.headers["content-security-policy"]);
    const frameSrc = /frame-src ([^;]+)/.exec(csp)![1]!.trim().split(/\s+/);
    assert.ok(frameSrc.includes("https://127.0.0.1:3001"), csp);
    for (const loose of ["*", "http:", "data:", "blob:", "javascript:"]) assert.ok(!frameSrc.includes(loose), `${loose} in ${csp}`);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    assert.doesNotMatch(/script-src ([^;]+)/.exec(csp)![1]!, /unsafe-inline|unsafe-eval|\*/);
    // An add-in origin served over plain HTTP (development) is named exactly, never as a scheme.
    const dev = clientCsp("http://127.0.0.1:3001");
    assert.ok(/frame-src [^;]*http:\/\/127\.0\.0\.1:3001/.test(dev) && !/frame-src [^;]*\bhttp: /.test(dev));
  });

  test("every other page keeps the default: frames only from itself, framed by nobody", async () => {
    assert.deepEqual(DEFAULT_CSP_DIRECTIVES.frameSrc, ["'self'"]);
    const res = await h.inject({ method: "GET", url: "/" });
    const csp = String(res.headers["content-security-policy"]);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /frame-src 'self'/);
    assert.equal(res.headers["x-content-type-options"], "nosniff");
  });
});
