/**
 * The in-memory cache of recently read blobs (issue 14): a complete read fills it, a cut-short or failed read does
 * not, the least recently used blob leaves first, backpressure and errors pass through unchanged, and a REST download
 * served from the cache is byte for byte the stored attachment, still authorized per request.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createHash, randomBytes } from "node:crypto";
import type { BlobInput, BlobStore, StagedBlob } from "../../src/mailbox/blobs/blob-store.ts";
import { CachedBlobStore } from "../../src/mailbox/blobs/cached-blob-store.ts";
import type { Queryable } from "../../src/mailbox/db/db.ts";
import { openMailboxStore } from "../../src/mailbox/index.ts";
import { createServer } from "../../src/server/app.ts";
import { collect } from "./helpers.ts";

/** A store of blobs in a Map that counts reads and can be told to fail midway. */
class CountingStore implements BlobStore {
  readonly kind = "db" as const;
  readonly blobs = new Map<string, Buffer>();
  reads = 0;
  produced = 0;
  failAfter: number | undefined;
  add(data: Buffer): string {
    const hash = createHash("sha256").update(data).digest("hex");
    this.blobs.set(hash, data);
    return hash;
  }
  async putMany(_tx: Queryable, blobs: BlobInput[]): Promise<void> {
    for (const b of blobs) this.blobs.set(b.hash, Buffer.from(b.data));
  }
  stage(): Promise<StagedBlob> {
    throw new Error("not used");
  }
  async sweepStaleUploads(): Promise<number> {
    return 0;
  }
  open(hash: string): Readable {
    this.reads++;
    const data = this.blobs.get(hash)!;
    const failAfter = this.failAfter;
    const self = this;
    return Readable.from(
      (async function* () {
        for (let i = 0; i < data.length; i += 65_536) {
          if (failAfter !== undefined && i >= failAfter) throw new Error("storage failed");
          self.produced += Math.min(65_536, data.length - i);
          yield data.subarray(i, i + 65_536);
        }
      })(),
      { objectMode: false },
    );
  }
}

describe("blob cache", () => {
  test("the first complete read fills it; later reads come from memory with the same bytes", async () => {
    const inner = new CountingStore();
    const data = randomBytes(300_001);
    const hash = inner.add(data);
    const cache = new CachedBlobStore(inner, 10 * 1024 * 1024);
    assert.equal(cache.cached(hash), undefined);
    assert.ok((await collect(cache.open(hash))).data.equals(data));
    assert.equal(cache.cachedBytes, data.length);
    // A response can send the cached bytes in one piece.
    assert.ok(cache.cached(hash)?.equals(data));
    for (let i = 0; i < 3; i++) assert.ok((await collect(cache.open(hash))).data.equals(data));
    assert.equal(inner.reads, 1);
  });

  test("a read cut short or failing caches nothing, and the reader sees the error", async () => {
    const inner = new CountingStore();
    const hash = inner.add(randomBytes(400_000));
    const cache = new CachedBlobStore(inner, 10 * 1024 * 1024);
    // Abandoned after the first chunk.
    const stream = cache.open(hash);
    await new Promise<void>((resolve) => stream.once("data", () => (stream.destroy(), resolve())));
    await new Promise((r) => setImmediate(r));
    assert.equal(cache.cachedBytes, 0);
    inner.failAfter = 200_000;
    await assert.rejects(collect(cache.open(hash)), /storage failed/);
    assert.equal(cache.cachedBytes, 0);
    inner.failAfter = undefined;
    await collect(cache.open(hash));
    assert.equal(cache.cachedBytes, 400_000);
  });

  test("the least recently used blob leaves first; a blob larger than the cache is never kept", async () => {
    const inner = new CountingStore();
    const [a, b, c] = [1, 2, 3].map(() => inner.add(randomBytes(400_000)));
    const cache = new CachedBlobStore(inner, 1_000_000);
    await collect(cache.open(a!));
    await collect(cache.open(b!));
    await collect(cache.open(a!)); // a is now the most recently used
    await collect(cache.open(c!)); // 1.2 MB > 1 MB: b leaves
    assert.equal(cache.cachedBytes, 800_000);
    const before = inner.reads;
    await collect(cache.open(a!));
    await collect(cache.open(c!));
    assert.equal(inner.reads, before);
    await collect(cache.open(b!));
    assert.equal(inner.reads, before + 1);
    const big = inner.add(randomBytes(1_500_000));
    await collect(cache.open(big));
    assert.ok(cache.cachedBytes <= 1_000_000);
  });

  test("a slow reader holds the source back (backpressure passes through the cache)", async () => {
    const inner = new CountingStore();
    const size = 16 * 1024 * 1024;
    const hash = inner.add(randomBytes(size));
    const cache = new CachedBlobStore(inner, 64 * 1024 * 1024);
    let received = 0;
    let maxAhead = 0;
    await pipeline(
      cache.open(hash),
      new Writable({
        highWaterMark: 1,
        write(chunk: Buffer, _e, done) {
          received += chunk.length;
          // What the storage has produced beyond what the reader has taken stays bounded by the buffers in between.
          maxAhead = Math.max(maxAhead, inner.produced - received);
          setImmediate(done);
        },
      }),
    );
    assert.equal(received, size);
    assert.ok(maxAhead <= 5 * 1024 * 1024, `read ${maxAhead} bytes ahead of the reader`);
    assert.equal(cache.cachedBytes, size);
  });

  test("REST $value twice: the same bytes, and a token for another item is still refused", async () => {
    const store = await openMailboxStore({ memory: true });
    const app = await createServer({ store });
    try {
      const tenant = await store.directory.createTenant({ id: "c", name: "C" });
      const { user, mailbox } = await store.provisionUser({ tenantId: tenant.id, email: "c@c.example", displayName: "C" });
      const inbox = (await store.mailboxes.resolveFolder(mailbox.id, "inbox"))!;
      const data = randomBytes(700_000);
      const item = await store.items.create(mailbox.id, inbox.id, { subject: "s", bodyText: "b", attachments: [{ name: "a.bin", data }] });
      const other = await store.items.create(mailbox.id, inbox.id, { subject: "t", bodyText: "b" });
      const token = async (itemId: string) =>
        (await store.tokens.issueCallbackToken({ userId: user.id, mailboxId: mailbox.id, addinId: "x", tier: "ReadItem", mode: "read", kind: "rest", itemId })).token;
      const url = `/api/v2.0/me/messages/${item.id}/attachments/${item.attachments[0]!.id}/$value`;
      const auth = { authorization: `Bearer ${await token(item.id)}` };
      for (let i = 0; i < 2; i++) {
        const res = await app.inject({ method: "GET", url, headers: auth });
        assert.equal(res.statusCode, 200);
        assert.ok(res.rawPayload.equals(data));
        assert.equal(res.headers["content-length"], String(data.length));
      }
      assert.equal((store.blobs as CachedBlobStore).cachedBytes, data.length);
      // Cached bytes are never a way around the token: a token scoped to another item gets "not found", no bytes.
      const refused = await app.inject({ method: "GET", url, headers: { authorization: `Bearer ${await token(other.id)}` } });
      assert.equal(refused.statusCode, 404);
      assert.ok(refused.rawPayload.length < 1000);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
