/**
 * The auditor in the product (issue 11, item 6), on a real HTTP server: a store submission is audited (static part)
 * with the code submitted with it, or the manifest alone; the verdict is archived with the version and comes back
 * from the store's listings and versions, the consent prompt the web client's dialog reads, and the admin center's
 * deployments. Bad code packages are refused naming the problem; the package's code can reach nothing on disk.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { openMailboxStore } from "../../src/mailbox/index.ts";
import { createServer } from "../../src/server/app.ts";
import { auditPackage, storedVerdict, type StoredVerdict } from "../../src/audit/package.ts";
import { lifecycleWorld } from "../lifecycle/helpers.ts";
import { FIXTURES } from "./helpers.ts";

const WR = `${FIXTURES}/work-requests`;
const OVER_XML = readFileSync(`${WR}/manifest.readwritemailbox.xml`, "utf8");
const WR_CODE = [
  { path: "src/taskpane.js", text: readFileSync(`${WR}/src/taskpane.js`, "utf8") },
  { path: "src/taskpane.html", text: readFileSync(`${WR}/src/taskpane.html`, "utf8") },
];
const WR_ID = /<Id>([^<]+)<\/Id>/.exec(OVER_XML)![1]!.toLowerCase();
const GRAPH_XML = readFileSync(`${FIXTURES}/graph/manifest.overprivileged.xml`, "utf8");
const GRAPH_ID = /<Id>([^<]+)<\/Id>/.exec(GRAPH_XML)![1]!.toLowerCase();

const store = await openMailboxStore({ memory: true });
await lifecycleWorld(store, { passwords: true });
const app = await createServer({ store, cookieSecret: randomBytes(32).toString("hex") });
await app.listen({ port: 0, host: "127.0.0.1" });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
after(async () => {
  await app.close();
  await store.close();
});

async function login(email: string, password: string): Promise<string> {
  const r = await fetch(`${base}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  assert.equal(r.status, 200, await r.text());
  return r.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}
async function call<T = any>(cookie: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await fetch(`${base}/api${path}`, { method, headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

const alice = await login("alice@contoso.example", "pw-alice");
const bob = await login("bob@contoso.example", "pw-bob");
// Alice's own publisher (she is also the store operator, so she can verify it).
const pub = await call(alice, "POST", "/store/publishers", { name: "Contoso Labs", privacyUrl: "https://contoso.example/privacy", supportUrl: "https://contoso.example/support", acceptAgreement: true });
assert.equal(pub.status, 201, JSON.stringify(pub.body));
assert.equal((await call(alice, "POST", `/store/publishers/${pub.body.id}/verify`)).status, 200);
const submit = (body: unknown) => call(alice, "POST", `/store/publishers/${pub.body.id}/submissions`, body);

test("an over-privileged add-in submitted with its code: the static verdict is archived with the version and shown by the store", async () => {
  const r = await submit({ manifest: OVER_XML, code: WR_CODE });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const v = r.body.audit as StoredVerdict;
  assert.equal(v.verdict, "over-privileged");
  assert.equal(v.levels, 2);
  assert.equal(v.basis, "static");
  assert.deepEqual([v.declared.tier, v.needed.tier], ["ReadWriteMailbox", "ReadItem"]);
  assert.equal(v.summary, "asks ReadWriteMailbox, the code needs ReadItem — over-privileged by 2 levels");
  assert.equal(v.code?.files, 2);
  assert.match(v.code!.sha256, /^[0-9a-f]{64}$/);
  assert.ok(v.evidence.length > 0 && v.evidence.every((e) => e.tier === "ReadItem" && /^src\/taskpane\.(js|html):\d+:\d+$/.test(e.where)), JSON.stringify(v.evidence));

  const listing = (await call(bob, "GET", `/store/listings/${WR_ID}`)).body;
  assert.equal(listing.audit.verdict, "over-privileged");
  assert.equal(listing.versions[0].audit.summary, v.summary);
  const all = (await call(bob, "GET", "/store/listings")).body.value as { id: string; audit: StoredVerdict | null }[];
  assert.equal(all.find((l) => l.id === WR_ID)?.audit?.levels, 2);
  // The store's own audit log records the verdict with the publication.
  const log = (await store.db.query<{ after: unknown }>("SELECT after FROM audit_log WHERE action = 'store.publish' AND target = $1", [`addin:${WR_ID}`])).rows;
  assert.deepEqual((typeof log[0]!.after === "string" ? JSON.parse(log[0]!.after) : log[0]!.after).audit, { verdict: "over-privileged", levels: 2, needed: "ReadItem", basis: "static", graph: "none" });
});

test("the consent prompt the web client's dialog reads carries the verdict of the store version; a file install has none", async () => {
  const p = await call(bob, "POST", "/addins/consent-prompt", { source: "store", addinId: WR_ID });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.tier, "ReadWriteMailbox");
  assert.equal(p.body.audit.verdict, "over-privileged");
  assert.equal(p.body.audit.needed.tier, "ReadItem");
  // Installed from the store: the user's add-in list carries the verdict too.
  const inst = await call(bob, "POST", "/addins", { source: "store", addinId: WR_ID, accept: { tier: p.body.tier, supplementary: p.body.supplementary, textVersion: p.body.textVersion } });
  assert.ok(inst.status === 201 || inst.status === 200, JSON.stringify(inst.body));
  const mine = (await call(bob, "GET", "/addins")).body.value as { id: string; source: string; audit: StoredVerdict | null }[];
  assert.equal(mine.find((a) => a.id === WR_ID && a.source === "store")?.audit?.verdict, "over-privileged");
  const file = await call(bob, "POST", "/addins/consent-prompt", { source: "file", manifest: OVER_XML });
  assert.equal(file.status, 200);
  assert.equal(file.body.audit, undefined);
});

test("the admin center's deployments show the verdict of a store add-in; one from a file shows none", async () => {
  const dep = await call(alice, "POST", "/admin/deployments", { source: "store", addinId: WR_ID, targets: [{ kind: "everyone" }] });
  assert.equal(dep.status, 201, JSON.stringify(dep.body));
  const rwi = readFileSync("examples/read-write-item/manifest.xml", "utf8");
  assert.equal((await call(alice, "POST", "/admin/deployments", { source: "file", manifest: rwi, targets: [{ kind: "everyone" }] })).status, 201);
  const list = (await call(alice, "GET", "/admin/deployments")).body.value as { id: string; source: string; audit: StoredVerdict | null }[];
  const fromStore = list.find((d) => d.id === WR_ID)!;
  assert.equal(fromStore.audit?.verdict, "over-privileged");
  assert.equal(fromStore.audit?.levels, 2);
  assert.ok(list.some((d) => d.source === "file" && d.audit === null));
  assert.equal((await call(bob, "GET", "/admin/deployments")).status, 403, "admins only");
});

test("without code the verdict rests on the manifest and says so; Graph scopes are listed, not judged", async () => {
  const r = await submit({ manifest: GRAPH_XML });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const v = r.body.audit as StoredVerdict;
  assert.equal(v.basis, "manifest");
  assert.equal(v.code, null);
  assert.match(v.note!, /manifest only: no code was submitted/);
  assert.equal(v.summary, "asks ReadItem, its activation rules need Restricted — over-privileged by 1 level");
  assert.equal(v.graph.verdict, "none");
  assert.deepEqual(v.graph.requested.length, 5);
  assert.equal((await call(bob, "GET", `/store/listings/${GRAPH_ID}`)).body.audit.basis, "manifest");
});

test("a new version with code: the Graph scopes are judged from the code (over-privileged: Mail.ReadWrite where Mail.Read is enough)", async () => {
  const code = ["taskpane.js", "sdk.js"].map((f) => ({ path: f, text: readFileSync(`${FIXTURES}/graph/${f}`, "utf8") }));
  const r = await submit({ manifest: GRAPH_XML.replace("<Version>1.0.0.0</Version>", "<Version>1.0.1.0</Version>"), code });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const v = r.body.audit as StoredVerdict;
  assert.deepEqual([v.basis, v.verdict], ["static", "exact"]);
  assert.equal(v.graph.verdict, "over-privileged");
  assert.match(v.graph.summary, /asks Mail\.ReadWrite.*needs Mail\.Read/);
  const detail = (await call(bob, "GET", `/store/listings/${GRAPH_ID}`)).body;
  assert.deepEqual(detail.versions.map((x: { version: string; audit: StoredVerdict }) => [x.version, x.audit.basis]), [["1.0.1.0", "static"], ["1.0.0.0", "manifest"]]);
});

test("bad code packages are refused with 400 naming the problem, and nothing is archived", async () => {
  const next = OVER_XML.replace("<Version>1.0.0.0</Version>", "<Version>2.0.0.0</Version>");
  for (const [code, message] of [
    [[{ path: "../../etc/passwd", text: "x" }], /leaves the package/],
    [[{ path: "/etc/passwd", text: "x" }], /relative path/],
    [[{ path: "a\\b.js", text: "x" }], /forward slashes/],
    [[{ path: "a.js", text: "x" }, { path: "./a.js", text: "y" }], /appears twice/],
    [[{ path: "a.js" }], /\{path, text\}/],
    ["bundle.js", /array of \{path, text\}/],
  ] as const) {
    const r = await submit({ manifest: next, code });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.error.message, message);
  }
  assert.equal((await call(bob, "GET", `/store/listings/${WR_ID}`)).body.version, "1.0.0.0");
});

test("the package's code reads nothing from disk: an import of a real file outside the package is not followed", () => {
  const outside = resolve(`${WR}/src/taskpane.js`);
  const v = storedVerdict(auditPackage({ text: OVER_XML, file: "manifest.xml" }, [{ path: "main.js", text: `import { run } from ${JSON.stringify(outside)};\nimport "../../../../${outside}";\nrun();\n` }]), undefined);
  assert.equal(v.needed.tier, "Restricted", "the work-requests code outside the package was not read");
  assert.equal(v.evidence.length, 0);
});
