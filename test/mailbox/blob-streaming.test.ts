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
import { openMailboxStore, openPostgres, storeFromDb, type MailboxStore } from "../../src/mailbox/index.ts";
import { DbBlobStore } from "../../src/mailbox/blobs/db-blob-store.ts";
import { CopyBinaryFields } from "../../src/mailbox/db/copy-binary.ts";
import { PG_URL, bytes, collect } from "./helpers.ts";
import { count, itemFor, pieces, uploadCases } from "./upload-cases.ts";
import { dropSchema } from "../helpers/postgres.ts";

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
