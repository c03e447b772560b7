/** The upload cases every blob storage must pass (blob-streaming.test.ts, blob-dir.test.ts), and their helpers. */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { AttachmentTooLargeError, base64Pieces, type MailboxStore } from "../../src/mailbox/index.ts";
import { bytes, collect } from "./helpers.ts";

export async function itemFor(store: MailboxStore, email: string) {
  const tenant = (await store.directory.getTenant("t")) ?? (await store.directory.createTenant({ id: "t", name: "T" }));
  const { mailbox } = await store.provisionUser({ tenantId: tenant.id, email, displayName: email });
  const inbox = (await store.mailboxes.resolveFolder(mailbox.id, "inbox"))!;
  return store.items.create(mailbox.id, inbox.id, { subject: "s", bodyText: "b" });
}

/** Yields `data` in pieces of odd sizes, as a network stream would. */
export async function* pieces(data: Buffer, size = 100_003) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

export async function count(db: { query: MailboxStore["db"]["query"] }, sql: string, params: unknown[] = []): Promise<number> {
  return Number(((await db.query<{ n: number }>(sql, params)).rows[0] as { n: number }).n);
}

export function uploadCases(name: string, open: () => Promise<{ store: MailboxStore; close(): Promise<void> }>) {
  describe(name, () => {
    let store: MailboxStore;
    let close: () => Promise<void>;
    before(async () => ({ store, close } = await open()));
    after(() => close());

    test("a streamed upload reads back byte for byte and is stored once however often it comes", async () => {
      const item = await itemFor(store, `u-${randomBytes(3).toString("hex")}@t.example`);
      const data = bytes(3 * 1024 * 1024 + 17, 7);
      const a = await store.items.addAttachmentStream(item.id, { name: "a.bin" }, pieces(data));
      const b = await store.items.addAttachmentStream(item.id, { name: "b.bin", contentType: "text/plain" }, pieces(data, 65_536));
      assert.equal(a.size, data.length);
      assert.equal(b.contentType, "text/plain");
      const ra = await store.items.getAttachment(item.id, a.id);
      const rb = await store.items.getAttachment(item.id, b.id);
      assert.equal(ra!.blobHash, rb!.blobHash);
      assert.ok((await collect(store.items.openAttachment(ra!))).data.equals(data));
      assert.equal(await count(store.db, "SELECT count(*) AS n FROM blobs WHERE hash = $1", [ra!.blobHash]), 1);
      assert.equal(await count(store.db, "SELECT count(*) AS n FROM blob_uploads"), 0);
      if (store.blobs.kind === "db") assert.equal(await count(store.db, "SELECT count(*) AS n FROM blob_chunks WHERE hash = $1", [ra!.blobHash]), 13);
    });

    test("base64 decoded piece by piece gives the same bytes as a whole decode", async () => {
      const item = await itemFor(store, `b-${randomBytes(3).toString("hex")}@t.example`);
      const data = bytes(1_500_001, 3);
      const text = data.toString("base64").replace(/(.{76})/g, "$1\r\n");
      const a = await store.items.addAttachmentStream(item.id, { name: "c.bin" }, base64Pieces(text, 4096));
      assert.ok((await collect(store.items.openAttachment((await store.items.getAttachment(item.id, a.id))!))).data.equals(Buffer.from(text, "base64")));
    });

    test("over 25 MB is refused while streaming and leaves nothing behind; the item is unchanged", async () => {
      const item = await itemFor(store, `l-${randomBytes(3).toString("hex")}@t.example`);
      const blobsBefore = await count(store.db, "SELECT count(*) AS n FROM blobs");
      const big = Buffer.alloc(25 * 1024 * 1024 + 1, 1);
      await assert.rejects(store.items.addAttachmentStream(item.id, { name: "big.bin" }, pieces(big, 1024 * 1024)), AttachmentTooLargeError);
      assert.equal(await count(store.db, "SELECT count(*) AS n FROM blobs"), blobsBefore);
      assert.equal(await count(store.db, "SELECT count(*) AS n FROM blob_uploads"), 0);
      if (store.blobs.kind === "db") assert.equal(await count(store.db, "SELECT count(*) AS n FROM blob_chunks WHERE hash LIKE 'tmp:%'"), 0);
      assert.equal((await store.items.get(item.id))!.attachments.length, 0);
      // Exactly 25 MB is allowed.
      const max = await store.items.addAttachmentStream(item.id, { name: "max.bin" }, pieces(big.subarray(1), 1024 * 1024));
      assert.equal(max.size, 25 * 1024 * 1024);
      assert.ok((await collect(store.items.openAttachment((await store.items.getAttachment(item.id, max.id))!))).data.equals(big.subarray(1)));
    });

    test("a small upload is held until its item commits and stored by that transaction; a large one is staged", async () => {
      const item = await itemFor(store, `s-${randomBytes(3).toString("hex")}@t.example`);
      const small = bytes(1024 * 1024 + 3, 21);
      const staged = await store.items.stageAttachment(pieces(small));
      if (store.blobs.kind === "db") {
        assert.equal(await count(store.db, "SELECT count(*) AS n FROM blob_uploads"), 0, "nothing written before the item commits");
        assert.equal(await count(store.db, "SELECT count(*) AS n FROM blob_chunks WHERE hash = $1", [staged.hash]), 0);
      }
      const a = await store.items.addStagedAttachment(item.id, { name: "small.bin", contentType: "application/octet-stream", isInline: false, contentId: null }, staged);
      assert.ok((await collect(store.items.openAttachment((await store.items.getAttachment(item.id, a.id))!))).data.equals(small));
      // Refused by the item (no name): nothing of it is kept.
      const refused = await store.items.stageAttachment(pieces(bytes(2048, 22)));
      await assert.rejects(store.items.addStagedAttachment(item.id, { name: "", contentType: "x/y", isInline: false, contentId: null }, refused));
      assert.equal(await count(store.db, "SELECT count(*) AS n FROM blobs WHERE hash = $1", [refused.hash]), 0);
      const large = bytes(4 * 1024 * 1024 + 1, 23);
      const big = await store.items.stageAttachment(pieces(large, 65_536));
      if (store.blobs.kind === "db") assert.equal(await count(store.db, "SELECT count(*) AS n FROM blob_uploads"), 1, "staged under a temporary key");
      const b = await store.items.addStagedAttachment(item.id, { name: "large.bin", contentType: "application/octet-stream", isInline: false, contentId: null }, big);
      assert.equal(await count(store.db, "SELECT count(*) AS n FROM blob_uploads"), 0);
      assert.ok((await collect(store.items.openAttachment((await store.items.getAttachment(item.id, b.id))!))).data.equals(large));
    });

    test("an upload whose item never commits is swept once stale", async () => {
      // Past the size a database store holds in memory until the item commits (4 MB), so it is staged.
      const staged = await store.blobs.stage(pieces(bytes(5 * 1024 * 1024, 9)));
      assert.equal(await store.blobs.sweepStaleUploads(), 0, "a fresh upload is kept");
      if (store.blobs.kind === "db") await store.db.query("UPDATE blob_uploads SET started_at = now() - interval '2 days'");
      assert.equal(await store.blobs.sweepStaleUploads(store.blobs.kind === "db" ? undefined : -1), 1);
      if (store.blobs.kind === "db") assert.equal(await count(store.db, "SELECT count(*) AS n FROM blob_chunks WHERE hash LIKE 'tmp:%'"), 0);
      await staged.discard();
    });
  });
}

