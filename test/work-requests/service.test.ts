/**
 * The Work requests service over real HTTP on PGlite: bad input per issue 10 (a document over the cap, a title of
 * 10,000 characters, an expired or foreign token, a missing document) leaves nothing half-submitted; Outpost's
 * identity tokens are verified against its keys and must name this add-in.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openMailboxStore, type MailboxStore } from "../../src/mailbox/index.ts";
import { SERVICE_USER, sha256, startService } from "./world.ts";
import type { WorkService } from "../../examples/work-requests/service/app.ts";

const ADDIN = "7d0c5a52-3b9e-4f61-9a2d-1c4e8b6f0a10";
let service: WorkService;
let url: string;
let store: MailboxStore;
let token: string;

before(async () => {
  store = await openMailboxStore({ memory: true });
  // The installation key is made on first use; the service is given the published set afterwards.
  await store.tokens.sign({ kind: "identity", tenantId: "t1", userId: "u1", mailboxId: "m1", addinId: ADDIN, itemId: null, tier: "ReadItem", mode: "read" });
  ({ service, url } = await startService({ uploadMaxBytes: 1024 * 1024, jwks: await store.tokens.jwks(), addinId: ADDIN }));
  token = (await (await post("/api/signin", SERVICE_USER, "")).json()).token;
});
after(async () => {
  await service?.close();
  await store?.close();
});

function post(path: string, body: unknown, auth = token) {
  return fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}) }, body: JSON.stringify(body) });
}
function put(path: string, data: Uint8Array, auth = token) {
  return fetch(`${url}${path}`, { method: "PUT", headers: { "content-type": "application/octet-stream", authorization: `Bearer ${auth}` }, body: Buffer.from(data) });
}
async function counts() {
  const [r] = await service.db.query<{ requests: string; documents: string; pending: string }>(
    "SELECT (SELECT count(*) FROM work_requests.requests) AS requests, (SELECT count(*) FROM work_requests.documents d JOIN work_requests.submissions s ON s.id = d.submission_id WHERE s.committed) AS documents, (SELECT count(*) FROM work_requests.submissions WHERE NOT committed) AS pending",
  );
  return { requests: Number(r!.requests), documents: Number(r!.documents), pending: Number(r!.pending) };
}

test("a submission: documents streamed and hashed, committed with the request in one transaction", async () => {
  const sub = await (await post("/api/submissions", {})).json();
  const data = randomBytes(300_000);
  const doc = await (await put(`/api/submissions/${sub.id}/documents?name=plan.pdf`, data)).json();
  assert.deepEqual([doc.size, doc.sha256], [data.length, sha256(data)]);
  const res = await (await post(`/api/submissions/${sub.id}/commit`, { kind: "request", title: "New plan", description: "d", documents: 1 })).json();
  assert.equal(res.kind, "request");
  assert.deepEqual(res.documents.map((d: { sha256: string }) => d.sha256), [sha256(data)]);
  const back = await fetch(`${url}/api/documents/${doc.id}/content`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(sha256(new Uint8Array(await back.arrayBuffer())), sha256(data));
  assert.match(await (await fetch(`${url}/`)).text(), /New plan<\/a> — 1 document/);
});

test("a document over the cap is refused with 413 naming it; the request is never created", async () => {
  const before = await counts();
  const sub = await (await post("/api/submissions", {})).json();
  const r = await put(`/api/submissions/${sub.id}/documents?name=huge.iso`, randomBytes(1024 * 1024 + 1));
  assert.equal(r.status, 413);
  assert.match((await r.json()).error, /huge\.iso is 1\.0 MB; the service accepts documents up to 1\.0 MB/);
  // The add-in withdraws the submission; the commit with the expected count would refuse anyway.
  const c = await post(`/api/submissions/${sub.id}/commit`, { kind: "request", title: "x", documents: 1 });
  assert.equal(c.status, 409);
  assert.match((await c.json()).error, /1 documents were expected but 0 arrived; nothing was submitted/);
  await fetch(`${url}/api/submissions/${sub.id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
  const after = await counts();
  assert.deepEqual([after.requests, after.documents, after.pending], [before.requests, before.documents, 0]);
});

test("a title of 10,000 characters is refused with its length; nothing is created", async () => {
  const before = await counts();
  const sub = await (await post("/api/submissions", {})).json();
  const r = await post(`/api/submissions/${sub.id}/commit`, { kind: "request", title: "x".repeat(10_000), documents: 0 });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error, "The title is 10000 characters; at most 500 are allowed.");
  assert.equal((await counts()).requests, before.requests);
});

test("Outpost identity tokens: verified against its keys, for this add-in only; an expired one is named", async () => {
  const claims = { kind: "identity" as const, tenantId: "t1", userId: "u1", mailboxId: "m1", itemId: null, tier: "ReadItem" as const, mode: "read" as const };
  const good = await store.tokens.sign({ ...claims, addinId: ADDIN });
  assert.equal((await fetch(`${url}/api/projects`, { headers: { authorization: `Bearer ${good.token}` } })).status, 200);
  const other = await store.tokens.sign({ ...claims, addinId: "someone-else" });
  const r1 = await fetch(`${url}/api/projects`, { headers: { authorization: `Bearer ${other.token}` } });
  assert.equal(r1.status, 401);
  assert.match((await r1.json()).error, /issued to another add-in/);
  const expired = await store.tokens.sign({ ...claims, addinId: ADDIN }, undefined, -10);
  const r2 = await post("/api/submissions", {}, expired.token);
  assert.equal(r2.status, 401);
  assert.equal((await r2.json()).error, "Your token expired; sign in again and resubmit.");
  // A callback token (REST) is not an identity token: the service refuses it.
  const callback = await store.tokens.sign({ ...claims, kind: "rest", addinId: ADDIN, itemId: "x" }, undefined);
  assert.equal((await fetch(`${url}/api/projects`, { headers: { authorization: `Bearer ${callback.token}` } })).status, 401);
});

test("the service's own sign-in: a wrong password is refused", async () => {
  const r = await post("/api/signin", { email: SERVICE_USER.email, password: "nope" }, "");
  assert.equal(r.status, 401);
  assert.equal((await r.json()).error, "Wrong email or password.");
});

test("a data dir whose parent folders do not exist yet is made (outpost serve --data <new dir> starts the service beside it)", async () => {
  const root = await mkdtemp(join(tmpdir(), "work-requests-data-"));
  try {
    const { service: s, url: u } = await startService({ dataDir: join(root, "new", "data", "work-requests") });
    assert.equal((await fetch(`${u}/`)).status < 500, true);
    await s.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
