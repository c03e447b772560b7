/**
 * Every finding of issue 12, reproduced as an attacker did it, with the refusal expected now. Each of these failed
 * on the main branch before the hardening.
 */
import { test, after, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Writable } from "node:stream";
import { connect, type Socket } from "node:net";
import { harness, ewsGetItem, SOAP, PASSWORDS } from "./world.ts";
import { ewsOperationOf, MAKE_EWS_OPERATIONS } from "../../src/runtime/members/ews.ts";
import { runInSandbox } from "../../src/runtime/sandbox/sandbox.ts";
import { readEntry, EntryError } from "../../src/runtime/entry.ts";
import { MAX_EWS_IDS_PER_REQUEST } from "../../src/server/ews/limits.ts";

const B = "Office.context.mailbox.item";
const h = await harness();
after(() => h.close());
const { w } = h;

describe("a revoked or reviewer delegate", () => {
  test("a revoked delegate's open bridge session stops reading and writing at once", async () => {
    await h.store.mailboxes.grant(w.alice.mailbox.id, w.bob.user.id, "editor");
    const bob = await h.login("bob@contoso.example", PASSWORDS["bob@contoso.example"]!);
    const { client } = await h.openBridge(bob, "ReadWriteItem", w.i1.id);
    assert.equal((await client!.call(`${B}.body.getAsync`, ["text"])).outcome, "ok");
    await h.store.mailboxes.revoke(w.alice.mailbox.id, w.bob.user.id);
    const read = await client!.call(`${B}.body.getAsync`, ["text"]);
    assert.notEqual(read.outcome, "ok");
    const file = await client!.call(`${B}.getAsFileAsync`, []);
    assert.notEqual(file.outcome, "ok");
    const write = await client!.call("Office.CustomProperties.saveAsync", [{ k: "v" }]);
    assert.notEqual(write.outcome, "ok");
    assert.equal(await h.store.addinData.getCustomProperties(w.i1.id, "security-test").then((p) => JSON.stringify(p)), JSON.stringify(await h.store.addinData.getCustomProperties(w.i1.id, "security-test")));
    await h.store.mailboxes.grant(w.alice.mailbox.id, w.bob.user.id, "reviewer");
  });

  test("a reviewer delegate cannot write custom properties (a ReadItem member) onto the owner's item", async () => {
    const bob = await h.login("bob@contoso.example", PASSWORDS["bob@contoso.example"]!);
    const { client } = await h.openBridge(bob, "ReadItem", w.i2.id);
    assert.equal((await client!.call(`${B}.body.getAsync`, ["text"])).outcome, "ok", "reading is fine");
    const save = await client!.call("Office.CustomProperties.saveAsync", [{ owned: "by bob" }]);
    assert.equal(save.outcome, "failed");
    assert.equal(save.error?.code, 9038);
  });
});

describe("bridge sessions end with the sign-in session and are capped", () => {
  test("sign-out ends the bridge session and it can no longer mint tokens", async () => {
    const alice = await h.login("alice@contoso.example", "pw-alice");
    const { client } = await h.openBridge(alice, "ReadItem", w.i1.id);
    assert.equal((await client!.call(`${B}.body.getAsync`, ["text"])).outcome, "ok");
    assert.equal((await h.inject({ method: "DELETE", url: "/api/session", headers: { cookie: alice } })).statusCode, 204);
    const after = await client!.call(`${B}.body.getAsync`, ["text"]);
    assert.equal(after.outcome, "denied");
    assert.equal(after.reason, "expiredSession");
    const token = await client!.call("Office.context.mailbox.getCallbackTokenAsync", [{ isRest: true }]);
    assert.equal(token.outcome, "denied");
  });

  test("a password change ends the other sign-in sessions and their bridge sessions", async () => {
    const first = await h.login("bob@contoso.example", "pw-bob");
    const { client } = await h.openBridge(first, "ReadItem", w.i2.id);
    assert.equal((await client!.call(`${B}.body.getAsync`, ["text"])).outcome, "ok");
    const second = await h.login("bob@contoso.example", "pw-bob", "127.0.0.9");
    const change = await h.inject({ method: "POST", url: "/api/session/password", headers: { cookie: second }, payload: { currentPassword: "pw-bob", newPassword: "pw-bob-2-longer" }, remoteAddress: "127.0.0.9" });
    assert.equal(change.statusCode, 204);
    assert.equal((await client!.call(`${B}.body.getAsync`, ["text"])).reason, "expiredSession");
    assert.equal((await h.inject({ method: "GET", url: "/api/session", headers: { cookie: first } })).statusCode, 401);
    await h.store.directory.setPassword(w.bob.user.id, "pw-bob");
  });

  test("one user cannot open 300 sessions: the cap answers 429; the owner can close one, nobody else can", async () => {
    const eve = await h.login("eve@fabrikam.example", "pw-eve");
    const evesItem = w.ie.id;
    const statuses: number[] = [];
    const sessions: string[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await h.openBridge(eve, "ReadItem", evesItem);
      statuses.push(r.status);
      if (r.session) sessions.push(r.session);
    }
    assert.equal(statuses.filter((s) => s === 200).length, h.app.outpost.maxBridgeSessionsPerUser);
    assert.ok(statuses.slice(h.app.outpost.maxBridgeSessionsPerUser).every((s) => s === 429));
    const alice = await h.login("alice@contoso.example", "pw-alice");
    assert.equal((await h.inject({ method: "DELETE", url: `/bridge/sessions/${sessions[0]}`, headers: { cookie: alice } })).statusCode, 404, "not the owner");
    assert.equal((await h.inject({ method: "DELETE", url: `/bridge/sessions/${sessions[0]}`, headers: { cookie: eve } })).statusCode, 204);
    assert.equal((await h.openBridge(eve, "ReadItem", evesItem)).status, 200, "a closed session frees its place");
  });
});

describe("EWS", () => {
  test("a GetItem listing one id 3,000 times (or 20,000 ids) is refused with a clear fault; 500 repeats are answered", async () => {
    const token = await h.token({ kind: "ews", tier: "ReadItem" });
    const post = (soap: string) => h.inject({ method: "POST", url: "/EWS/Exchange.asmx", headers: { authorization: `Bearer ${token}`, "content-type": "text/xml" }, payload: soap });
    for (const n of [3000, 20_000]) {
      const res = await post(ewsGetItem(Array(n).fill(w.i1.id)));
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /ErrorInvalidRequest/);
      assert.match(res.body, new RegExp(`at most ${MAX_EWS_IDS_PER_REQUEST}`));
    }
    const ok = await post(ewsGetItem(Array(MAX_EWS_IDS_PER_REQUEST).fill(w.i1.id)));
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.body.match(/GetItemResponseMessage ResponseClass="Success"/g)?.length, MAX_EWS_IDS_PER_REQUEST);
  });

  test("a decoy operation in soap:Header cannot fool makeEwsRequestAsync's whitelist", () => {
    const decoy =
      `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">` +
      `<soap:Header><t:Body><m:GetItem/></t:Body></soap:Header><soap:Body><m:GetAttachment><m:AttachmentIds><t:AttachmentId Id="x"/></m:AttachmentIds></m:GetAttachment></soap:Body></soap:Envelope>`;
    const op = ewsOperationOf(decoy);
    assert.equal(op, "GetAttachment");
    assert.ok(!MAKE_EWS_OPERATIONS.includes(op!), "GetAttachment is outside the whitelist");
  });

  test("another tenant's address answers exactly as an unknown one", async () => {
    const token = await h.token({ kind: "ews", tier: "ReadWriteMailbox" });
    const find = (email: string) =>
      h.inject({
        method: "POST",
        url: "/EWS/Exchange.asmx",
        headers: { authorization: `Bearer ${token}`, "content-type": "text/xml" },
        payload: SOAP(`<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id="inbox"><t:Mailbox><t:EmailAddress>${email}</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId></m:ParentFolderIds></m:FindItem>`),
      });
    const foreign = await find("eve@fabrikam.example");
    const unknown = await find("nobody@nowhere.example");
    assert.equal(foreign.statusCode, unknown.statusCode);
    assert.equal(foreign.body, unknown.body);
  });
});

describe("sandbox", () => {
  test("WebAssembly is off in the isolate: a growing WebAssembly.Memory is stopped and reported", async () => {
    const run = await runInSandbox({
      boot: {},
      scripts: [{ name: "wasm.js", code: "var m = new WebAssembly.Memory({ initial: 1, maximum: 65536 }); for (var i = 0; i < 48000; i++) m.grow(1);" }],
      call: async () => ({ v: 1, seq: 0, outcome: "failed" }),
      limits: { memoryMb: 64 },
    });
    assert.equal(run.status, "stopped");
    assert.equal(run.events[0]?.kind, "crash");
    assert.match(run.events[0]!.detail, /WebAssembly/);
  });

  test("a <script src> through a symlink out of the page folder is refused", async () => {
    const root = await mkdtemp(join(tmpdir(), "outpost-sec-"));
    await mkdir(join(root, "page"));
    await writeFile(join(root, "secret.js"), "globalThis.stolen = true;");
    await symlink(join(root, "secret.js"), join(root, "page", "lib.js"));
    await writeFile(join(root, "page", "index.html"), `<html><script src="lib.js"></script></html>`);
    await assert.rejects(readEntry(join(root, "page", "index.html")), (e: unknown) => e instanceof EntryError && /outside the page's folder/.test((e as Error).message));
  });
});

describe("clear 400s instead of 500s", () => {
  test("NUL in an EWS body, a REST body, a login address", async () => {
    const ews = await h.token({ kind: "ews", tier: "ReadWriteMailbox", itemId: null });
    const e = await h.inject({ method: "POST", url: "/EWS/Exchange.asmx", headers: { authorization: `Bearer ${ews}`, "content-type": "text/xml" }, payload: SOAP(`<m:CreateItem MessageDisposition="SaveOnly"><m:Items><t:Message><t:Subject>a\u0000b</t:Subject></t:Message></m:Items></m:CreateItem>`) });
    assert.equal(e.statusCode, 400);
    assert.match(e.body, /NUL character/);
    const rest = await h.token({ kind: "rest", tier: "ReadWriteMailbox", itemId: null });
    const r = await h.inject({ method: "POST", url: "/api/v2.0/me/messages", headers: { authorization: `Bearer ${rest}` }, payload: { Subject: "a\u0000b" } });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error.message, /body\.Subject contains a NUL/);
    const l = await h.inject({ method: "POST", url: "/api/session", payload: { email: "alice\u0000@contoso.example", password: "x" }, remoteAddress: "127.0.0.50" });
    assert.equal(l.statusCode, 400);
    assert.match(l.json().error.message, /body\.email/);
  });

  test("repeated and malformed query values", async () => {
    const rest = await h.token({ kind: "rest", tier: "ReadWriteMailbox", itemId: null });
    const alice = await h.login("alice@contoso.example", "pw-alice");
    for (const q of ["$top=1&$top=2", "$skip=1&$skip=1", "$top=1.5", "$top=-1", "$top=1e3"]) {
      const res = await h.inject({ method: "GET", url: `/api/v2.0/me/messages?${q}`, headers: { authorization: `Bearer ${rest}` } });
      assert.equal(res.statusCode, 400, q);
    }
    for (const q of ["limit=-5", "offset=1e400", "limit=2.5", "offset=0.5", "limit=1&limit=2", "limit=", "offset=%20"]) {
      const res = await h.inject({ method: "GET", url: `/api/folders/${w.folders.inbox}/items?${q}`, headers: { cookie: alice } });
      assert.equal(res.statusCode, 400, q);
      assert.match(res.json().error.message, /limit|offset/);
    }
  });

  test("manifest validate on 10,000 nested elements gives a finding and the batch goes on", async () => {
    const dir = await mkdtemp(join(tmpdir(), "outpost-deep-"));
    const n = 10_000;
    await writeFile(join(dir, "deep.xml"), `<?xml version="1.0"?><OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1">${"<a>".repeat(n)}${"</a>".repeat(n)}</OfficeApp>`);
    await writeFile(join(dir, "deep.json"), `${'{"a":'.repeat(n)}1${"}".repeat(n)}`);
    const out = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli/main.ts", "manifest", "validate", "--json", join(dir, "deep.xml"), join(dir, "deep.json"), "examples/read-item/manifest.xml"]).catch((e: { stdout: string }) => e);
    const lines = out.stdout.trim().split("\n").map((l) => JSON.parse(l) as { valid: boolean; findings: Array<{ code: string }> });
    assert.equal(lines.length, 3);
    assert.equal(lines[0]!.findings[0]!.code, "manifest-too-deep");
    assert.equal(lines[1]!.findings[0]!.code, "manifest-too-deep");
    assert.equal(lines[2]!.valid, true);
  });
});

describe("missing defences", () => {
  test("60 wrong passwords then the right one: the right one is refused (429 with Retry-After)", async () => {
    const ip = "127.0.0.60";
    const codes: number[] = [];
    for (let i = 0; i < 60; i++) codes.push((await h.inject({ method: "POST", url: "/api/session", payload: { email: "alice@contoso.example", password: `guess-${i}` }, remoteAddress: ip })).statusCode);
    assert.equal(codes.filter((c) => c === 401).length, 5, "five tries, then refused");
    const right = await h.inject({ method: "POST", url: "/api/session", payload: { email: "alice@contoso.example", password: "pw-alice" }, remoteAddress: ip });
    assert.equal(right.statusCode, 429);
    assert.ok(Number(right.headers["retry-after"]) >= 1);
  });

  test("400 queued bad sign-ins from one address hash at most a few passwords; a real sign-in from another address passes", async () => {
    const codes = await Promise.all(Array.from({ length: 400 }, (_, i) => h.inject({ method: "POST", url: "/api/session", payload: { email: `user${i % 3}@contoso.example`, password: "nope" }, remoteAddress: "127.0.0.61" }).then((r) => r.statusCode)));
    assert.ok(codes.filter((c) => c === 401).length <= 30, "at most the per-address budget reached the password check");
    assert.equal(codes.filter((c) => c === 429).length + codes.filter((c) => c === 401).length, 400);
    const real = await h.inject({ method: "POST", url: "/api/session", payload: { email: "alice@contoso.example", password: "pw-alice" }, remoteAddress: "127.0.0.62" });
    assert.equal(real.statusCode, 200);
  });

  test("failed sign-ins are stored under the account's tenant and visible to its admin; policy changes are events", async () => {
    await h.inject({ method: "POST", url: "/api/session", payload: { email: "bob@contoso.example", password: "wrong" }, remoteAddress: "127.0.0.63" });
    const alice = await h.login("alice@contoso.example", "pw-alice", "127.0.0.64");
    assert.equal((await h.inject({ method: "PATCH", url: "/api/admin/tenant", headers: { cookie: alice }, payload: { legacyTokensEnabled: false }, remoteAddress: "127.0.0.64" })).statusCode, 200);
    const events = (await h.inject({ method: "GET", url: "/api/admin/security-events?limit=1000", headers: { cookie: alice } })).json().value as Array<{ reason: string; surface: string; detail: Record<string, unknown> }>;
    assert.ok(events.some((e) => e.surface === "sign-in" && e.reason === "bad-credentials" && e.detail.email === "bob@contoso.example"));
    assert.ok(events.some((e) => e.reason === "policy-changed" && e.detail.to === false && e.detail.from === true));
    await h.inject({ method: "PATCH", url: "/api/admin/tenant", headers: { cookie: alice }, payload: { legacyTokensEnabled: true } });
  });

  test("pages carry CSP with frame-ancestors and nosniff; cookies are Secure when configured for HTTPS", async () => {
    for (const url of ["/", "/api/session", "/office.js"]) {
      const res = await h.inject({ method: "GET", url });
      assert.match(String(res.headers["content-security-policy"]), /frame-ancestors 'none'/, url);
      assert.equal(res.headers["x-content-type-options"], "nosniff", url);
    }
    const tls = await harness({ secureCookies: true });
    const res = await tls.inject({ method: "POST", url: "/api/session", payload: { email: "alice@contoso.example", password: "pw-alice" } });
    assert.match(String(res.headers["set-cookie"]), /;\s*Secure/i);
    await tls.close();
  });

  test("text/plain is refused on JSON routes; cross-site state changes are refused; bearer clients still work", async () => {
    const plain = await h.inject({ method: "POST", url: "/api/session", headers: { "content-type": "text/plain" }, payload: JSON.stringify({ email: "alice@contoso.example", password: "pw-alice" }) });
    assert.equal(plain.statusCode, 415);
    const alice = await h.login("alice@contoso.example", "pw-alice", "127.0.0.65");
    const evil = await h.inject({ method: "PATCH", url: `/api/items/${w.i2.id}`, headers: { cookie: alice, origin: "https://evil.example" }, payload: { isRead: true } });
    assert.equal(evil.statusCode, 403);
    const site = await h.inject({ method: "DELETE", url: `/api/items/${w.i2.id}`, headers: { cookie: alice, "sec-fetch-site": "cross-site" } });
    assert.equal(site.statusCode, 403);
    const rest = await h.token({ kind: "rest", tier: "ReadWriteMailbox", itemId: null });
    const ok = await h.inject({ method: "PATCH", url: `/api/v2.0/me/messages/${w.i2.id}`, headers: { authorization: `Bearer ${rest}`, origin: "https://addin.example", "sec-fetch-site": "cross-site" }, payload: { IsRead: true } });
    assert.equal(ok.statusCode, 200);
  });

  test("a token in ?access_token= or a header is never written to the log", async () => {
    const lines: string[] = [];
    const stream = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
    const logged = await harness({}, { level: "info", stream });
    const token = await logged.token({ kind: "rest", tier: "ReadItem" });
    await logged.inject({ method: "GET", url: `/api/v2.0/me/messages?access_token=${token}` });
    await logged.inject({ method: "GET", url: `/api/v2.0/me/messages?$top=1`, headers: { authorization: `Bearer ${token}` } });
    await logged.inject({ method: "GET", url: `/api/v2.0/me/messages?access_token=${token.slice(0, 20)}broken` });
    await logged.close();
    const log = lines.join("");
    assert.ok(log.length > 0);
    assert.ok(!log.includes(token.slice(0, 20)), "no part of the token in the log");
    assert.match(log, /access_token=\[redacted\]/);
  });

  test("the bridge body limit follows the member: a 2 MB attachment passes, 2 MB of custom properties is refused", async () => {
    const alice = await h.login("alice@contoso.example", "pw-alice", "127.0.0.66");
    const draft = await h.store.items.create(w.alice.mailbox.id, w.folders.drafts, { subject: "d", isDraft: true });
    const { client } = await h.openBridge(alice, "ReadWriteItem", draft.id, "compose");
    const big = Buffer.alloc(2 * 1024 * 1024, 7).toString("base64");
    const att = await client!.call(`${B}.addFileAttachmentFromBase64Async`, [big, "big.bin"]);
    assert.equal(att.outcome, "ok", JSON.stringify(att).slice(0, 200));
    const props = await client!.call("Office.CustomProperties.saveAsync", [{ k: "x".repeat(2 * 1024 * 1024) }]);
    assert.equal(props.outcome, "denied");
    assert.equal(props.reason, "tooLarge");
  });

  test("idle sockets from one client past the cap are closed; other clients are served", async () => {
    const capped = await harness({ maxConnectionsPerAddress: 40 });
    const base = await capped.app.listen({ port: 0, host: "127.0.0.1" });
    const port = Number(new URL(base).port);
    const sockets: Socket[] = [];
    let closedByServer = 0;
    await Promise.all(
      Array.from({ length: 70 }, () =>
        new Promise<void>((resolve) => {
          const s = connect({ port, host: "127.0.0.1" }, () => resolve());
          s.on("close", () => closedByServer++);
          s.on("error", () => resolve());
          sockets.push(s);
        }),
      ),
    );
    for (let i = 0; i < 50 && closedByServer < 30; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(closedByServer, 30, "the 30 sockets past the cap of 40 were closed");
    const other = await new Promise<string>((resolve, reject) => {
      const s = connect({ port, host: "127.0.0.1", localAddress: "127.0.0.2" }, () => s.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
      let data = "";
      s.on("data", (d) => (data += d));
      s.on("end", () => resolve(data));
      s.on("error", reject);
    });
    assert.match(other, /^HTTP\/1\.1 200/);
    for (const s of sockets) s.destroy();
    await capped.close();
  });
});
