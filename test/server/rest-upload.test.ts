/**
 * REST attachment uploads read as a stream (issue 14), over a real HTTP server: the bytes are staged while the body
 * is still arriving; members in any order and escaped slashes are accepted; a refused upload (bad JSON, no Name, a
 * NUL, no token, over 25 MB) keeps no staged bytes behind.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { openMailboxStore, type MailboxStore } from "../../src/mailbox/index.ts";
import { createServer } from "../../src/server/app.ts";
import { collect } from "../mailbox/helpers.ts";

describe("REST attachment upload, streamed", () => {
  let store: MailboxStore;
  let app: FastifyInstance;
  let base: string;
  let draftId: string;
  let auth: string;
  before(async () => {
    store = await openMailboxStore({ memory: true });
    app = await createServer({ store });
    base = await app.listen({ port: 0, host: "127.0.0.1" });
    const tenant = await store.directory.createTenant({ id: "u", name: "U" });
    const { user, mailbox } = await store.provisionUser({ tenantId: tenant.id, email: "u@u.example", displayName: "U" });
    const draft = await store.items.create(mailbox.id, (await store.mailboxes.resolveFolder(mailbox.id, "drafts"))!.id, { subject: "d", bodyText: "x", isDraft: true });
    draftId = draft.id;
    auth = `Bearer ${(await store.tokens.issueCallbackToken({ userId: user.id, mailboxId: mailbox.id, addinId: "x", tier: "ReadWriteMailbox", mode: "compose", kind: "rest", itemId: draft.id })).token}`;
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  const url = () => `${base}/api/v2.0/me/messages/${draftId}/attachments`;
  const post = (body: string, headers: Record<string, string> = { authorization: auth }) =>
    fetch(url(), { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const leftovers = async () => Number((await store.db.query<{ n: number }>("SELECT count(*) AS n FROM blob_uploads")).rows[0]!.n);
  const bytesOf = async (attachmentId: string) => (await collect(store.items.openAttachment((await store.items.getAttachment(draftId, attachmentId))!))).data;

  test("ContentBytes before Name, slashes escaped, whitespace: 201 and the bytes read back", async () => {
    const data = randomBytes(200_000);
    const body = `{ "ContentBytes" : "${data.toString("base64").replaceAll("/", "\\/")}",\n "Name": "after.bin", "ContentType": "application/x-test" }`;
    const res = await post(body);
    assert.equal(res.status, 201);
    const a = (await res.json()) as { Id: string; Name: string; ContentType: string; Size: number };
    assert.equal(a.Name, "after.bin");
    assert.equal(a.ContentType, "application/x-test");
    assert.equal(a.Size, data.length);
    assert.ok((await bytesOf(a.Id)).equals(data));
  });

  test("the bytes are staged while the body is still arriving", async () => {
    // Past the 4 MB a database store holds in memory until the item commits, even with half the body sent.
    const data = randomBytes(10_000_000);
    const text = Buffer.from(`{"Name":"slow.bin","ContentBytes":"${data.toString("base64")}"}`);
    const req = httpRequest(url(), { method: "POST", headers: { "content-type": "application/json", authorization: auth, "content-length": text.length } });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on("response", (res) => {
        let b = "";
        res.on("data", (c: Buffer) => (b += c));
        res.on("end", () => resolve({ status: res.statusCode!, body: b }));
      });
      req.on("error", reject);
    });
    const half = Math.floor(text.length / 2);
    req.write(text.subarray(0, half));
    // Half the body sent: the upload is already staged (its row exists and chunks are stored) before the rest goes.
    for (let i = 0; i < 500 && Number((await store.db.query<{ n: number }>("SELECT count(*) AS n FROM blob_chunks WHERE hash LIKE 'tmp:%'")).rows[0]!.n) === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(Number((await store.db.query<{ n: number }>("SELECT count(*) AS n FROM blob_chunks WHERE hash LIKE 'tmp:%'")).rows[0]!.n) > 0, "chunks stored before the body ended");
    req.end(text.subarray(half));
    const res = await answer;
    assert.equal(res.status, 201);
    assert.ok((await bytesOf((JSON.parse(res.body) as { Id: string }).Id)).equals(data));
    assert.equal(await leftovers(), 0);
  });

  test("refused uploads keep nothing staged and say what is wrong", async () => {
    const content = randomBytes(400_000).toString("base64");
    const cases: Array<[string, number, RegExp]> = [
      [`{"ContentBytes":"${content}"}`, 400, /Name and ContentBytes are required/],
      [`{"Name":"a.bin"}`, 400, /Name and ContentBytes are required/],
      [`{"ContentBytes":"${content}","Name":"a.bin"`, 400, /ends before its JSON object is closed/],
      [`{"ContentBytes":"${content}","Name":"a\\u0000.bin"}`, 400, /body\.Name contains a NUL/],
      [`{"Name":"a.bin","ContentBytes":"${content}","ContentBytes":"QQ=="}`, 400, /appears more than once/],
      [`{"Name":"a.bin","ContentBytes":"${content}"} trailing`, 400, /more after its JSON object/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(body);
      assert.equal(res.status, status, body.slice(0, 60));
      assert.match(((await res.json()) as { error: { message: string } }).error.message, message);
      assert.equal(await leftovers(), 0, `staged bytes left by ${body.slice(0, 60)}`);
      assert.equal(Number((await store.db.query<{ n: number }>("SELECT count(*) AS n FROM blob_chunks WHERE hash LIKE 'tmp:%'")).rows[0]!.n), 0);
    }
  });

  test("no token: 401 before the body is read; over 25 MB: refused, nothing kept", async () => {
    const noToken = await post(`{"Name":"a","ContentBytes":"QUJD"}`, {});
    assert.equal(noToken.status, 401);
    const big = Buffer.alloc(25 * 1024 * 1024 + 3).toString("base64");
    const tooBig = await post(`{"Name":"big.bin","ContentBytes":"${big}"}`);
    assert.equal(tooBig.status, 413);
    assert.equal(await leftovers(), 0);
    const attachments = await store.items.listAttachments(draftId);
    assert.ok(!attachments.some((a) => a.name === "big.bin"));
  });
});
