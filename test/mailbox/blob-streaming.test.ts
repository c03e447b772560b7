/**
 * Attachment bytes built for size (issue 14): binary COPY reads on PostgreSQL, streaming uploads staged outside the
 * transaction, the 25 MB limit while streaming, deduplication across two app servers sharing one PostgreSQL, the
 * crash sweep, and migration 008's storage. The same upload/download cases run on PGlite (memory and data dir).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttachmentTooLargeError, base64Pieces, openMailboxStore, openPostgres, storeFromDb, type MailboxStore } from "../../src/mailbox/index.ts";
import { DbBlobStore } from "../../src/mailbox/blobs/db-blob-store.ts";
import { CopyBinaryFields } from "../../src/mailbox/db/copy-binary.ts";
import { PG_URL, bytes, collect } from "./helpers.ts";
import { dropSchema } from "../helpers/postgres.ts";

async function itemFor(store: MailboxStore, email: string) {
  const tenant = (await store.directory.getTenant("t")) ?? (await store.directory.createTenant({ id: "t", name: "T" }));
  const { mailbox } = await store.provisionUser({ tenantId: tenant.id, email, displayName: email });
  const inbox = (await store.mailboxes.resolveFolder(mailbox.id, "inbox"))!;
  return store.items.create(mailbox.id, inbox.id, { subject: "s", bodyText: "b" });
}

/** Yields `data` in pieces of odd sizes, as a network stream would. */
async function* pieces(data: Buffer, size = 100_003) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function count(db: { query: MailboxStore["db"]["query"] }, sql: string, params: unknown[] = []): Promise<number> {
  return Number(((await db.query<{ n: number }>(sql, params)).rows[0] as { n: number }).n);
}

function uploadCases(name: string, open: () => Promise<{ store: MailboxStore; close(): Promise<void> }>) {
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
    });

    test("an upload whose item never commits is swept once stale", async () => {
      const staged = await store.blobs.stage(pieces(bytes(300_000, 9)));
      assert.equal(await store.blobs.sweepStaleUploads(), 0, "a fresh upload is kept");
      if (store.blobs.kind === "db") await store.db.query("UPDATE blob_uploads SET started_at = now() - interval '2 days'");
      assert.equal(await store.blobs.sweepStaleUploads(store.blobs.kind === "db" ? undefined : -1), 1);
      if (store.blobs.kind === "db") assert.equal(await count(store.db, "SELECT count(*) AS n FROM blob_chunks WHERE hash LIKE 'tmp:%'"), 0);
      await staged.discard();
    });
  });
}

uploadCases("PGlite in memory", async () => {
  const store = await openMailboxStore({ memory: true });
  return { store, close: () => store.close() };
});

uploadCases("PGlite data dir (blobs as files)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "outpost-blobs-"));
  const store = await openMailboxStore({ dataDir: dir });
  return {
    store,
    async close() {
      await store.close();
      const left = (await readdir(join(dir, "blobs"))).filter((f) => f.endsWith(".tmp"));
      assert.deepEqual(left, [], "no temporary upload files left");
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe("PostgreSQL: two app servers, binary COPY, migration 008", () => {
  const schema = `outpost_test_blobs_${randomBytes(4).toString("hex")}`;
  let a: MailboxStore;
  let b: MailboxStore;
  before(async () => {
    a = await storeFromDb(await openPostgres({ connectionString: PG_URL, schema, max: 4 }));
    b = await storeFromDb(await openPostgres({ connectionString: PG_URL, schema, max: 4 }));
  });
  after(async () => {
    await a.close();
    await b.close();
    await dropSchema(schema);
  });

  uploadCases("PostgreSQL", async () => ({ store: a, close: async () => undefined }));

  test("the same bytes uploaded through two servers at once are stored once", async () => {
    const item = await itemFor(a, "two@t.example");
    const data = bytes(2 * 1024 * 1024 + 5, 11);
    const [x, y] = await Promise.all([a.items.addAttachmentStream(item.id, { name: "x" }, pieces(data)), b.items.addAttachmentStream(item.id, { name: "y" }, pieces(data, 7777))]);
    const hx = (await a.items.getAttachment(item.id, x.id))!;
    const hy = (await b.items.getAttachment(item.id, y.id))!;
    assert.equal(hx.blobHash, hy.blobHash);
    assert.equal(await count(a.db, "SELECT count(*) AS n FROM blob_chunks WHERE hash = $1", [hx.blobHash]), 9);
    assert.equal(await count(a.db, "SELECT count(*) AS n FROM blob_chunks WHERE hash LIKE 'tmp:%'"), 0);
    // Each server reads what the other wrote.
    assert.ok((await collect(b.items.openAttachment(hx))).data.equals(data));
    assert.ok((await collect(a.items.openAttachment(hy))).data.equals(data));
  });

  test("downloads come through binary COPY in batches; a blob of exactly one batch and an empty blob read back", async () => {
    assert.equal(typeof a.db.copyFields, "function");
    const item = await itemFor(a, "copy@t.example");
    for (const size of [0, 1, 2 * 1024 * 1024, 2 * 1024 * 1024 + 1, 5 * 1024 * 1024 - 3]) {
      const data = bytes(size, size + 1);
      const att = await a.items.addAttachment(item.id, { name: `s${size}`, data });
      const got = await collect(a.items.openAttachment((await a.items.getAttachment(item.id, att.id))!));
      assert.ok(got.data.equals(data), `size ${size}`);
    }
  });

  test("migration 008: chunks stored uncompressed out of line", async () => {
    const { rows } = await a.db.query<{ s: string }>(
      "SELECT attstorage AS s FROM pg_attribute WHERE attrelid = to_regclass('blob_chunks') AND attname = 'data'",
    );
    assert.equal(rows[0]!.s, "e");
    // A compressible chunk stays its full size on disk (no pglz).
    const item = await itemFor(a, "mig@t.example");
    const att = await a.items.addAttachment(item.id, { name: "zeros", data: Buffer.alloc(256 * 1024) });
    const hash = (await a.items.getAttachment(item.id, att.id))!.blobHash;
    const { rows: sz } = await a.db.query<{ n: number }>("SELECT pg_column_size(data) AS n FROM blob_chunks WHERE hash = $1", [hash]);
    assert.ok(Number(sz[0]!.n) >= 256 * 1024);
  });
});

test("binary COPY decoder: any split of the stream gives the same fields; a truncated stream is an error", () => {
  const header = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(4), Buffer.from([0, 0, 0, 3]), Buffer.from("ext")]);
  const rows = [bytes(1000, 1), bytes(0, 2), bytes(70_000, 3)];
  const tuple = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeInt32BE(b.length);
    return Buffer.concat([Buffer.from([0, 1]), len, b]);
  };
  const nullTuple = Buffer.from([0, 1, 0xff, 0xff, 0xff, 0xff]);
  const stream = Buffer.concat([header, ...rows.map(tuple), nullTuple, Buffer.from([0xff, 0xff])]);
  for (const step of [1, 2, 3, 5, 7, 4096, stream.length]) {
    const d = new CopyBinaryFields();
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += step) out.push(...d.push(stream.subarray(i, i + step)));
    d.end();
    assert.ok(Buffer.concat(out).equals(Buffer.concat(rows)), `step ${step}`);
    assert.equal(d.rows, 4);
  }
  const cut = new CopyBinaryFields();
  cut.push(stream.subarray(0, stream.length - 10));
  assert.throws(() => cut.end(), /ended early/);
  assert.throws(() => new CopyBinaryFields().push(Buffer.from("not a copy stream at all")), /not a binary COPY/);
});
