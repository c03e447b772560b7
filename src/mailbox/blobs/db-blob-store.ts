import { Readable } from "node:stream";
import { createHash, randomBytes } from "node:crypto";
import type { Db, Queryable } from "../db/db.ts";
import { type BlobInput, type BlobStore, CHUNK_SIZE, insertBlobRows, uniqueByHash } from "./blob-store.ts";

const CHUNKS_PER_READ = 4;

/**
 * Blobs as 256 KB rows of `blob_chunks`, inside the database: app servers against PostgreSQL keep nothing on
 * local disk, and a blob commits or rolls back together with the item that refers to it.
 */
export class DbBlobStore implements BlobStore {
  readonly kind = "db" as const;
  constructor(private readonly db: Db) {}

  async putMany(tx: Queryable, blobs: BlobInput[]): Promise<void> {
    const unique = uniqueByHash(blobs);
    if (unique.length === 0) return;
    const existing = new Set(
      (await tx.query<{ hash: string }>("SELECT hash FROM blobs WHERE hash = ANY($1::text[])", [unique.map((b) => b.hash)])).rows.map((r) => r.hash),
    );
    const fresh = unique.filter((b) => !existing.has(b.hash));
    let hashes: string[] = [];
    let seqs: number[] = [];
    let datas: Uint8Array[] = [];
    let pending = 0;
    const flush = async () => {
      if (hashes.length === 0) return;
      await tx.query(
        "INSERT INTO blob_chunks (hash, seq, data) SELECT * FROM unnest($1::text[], $2::int[], $3::bytea[]) ON CONFLICT DO NOTHING",
        [hashes, seqs, datas],
      );
      hashes = [];
      seqs = [];
      datas = [];
      pending = 0;
    };
    for (const b of fresh) {
      const count = Math.max(1, Math.ceil(b.data.byteLength / CHUNK_SIZE));
      for (let seq = 0; seq < count; seq++) {
        const part = b.data.subarray(seq * CHUNK_SIZE, (seq + 1) * CHUNK_SIZE);
        hashes.push(b.hash);
        seqs.push(seq);
        datas.push(part);
        pending += part.byteLength;
        if (pending >= 4 * CHUNK_SIZE) await flush();
      }
    }
    await flush();
    await insertBlobRows(tx, fresh.map((b) => ({ hash: b.hash, size: b.data.byteLength })));
  }

  async putStream(tx: Queryable, source: AsyncIterable<Uint8Array>): Promise<{ hash: string; size: number }> {
    // Chunks go in under a temporary key (the hash is known only at the end), then take their real name.
    const tmpKey = `tmp:${randomBytes(12).toString("hex")}`;
    const hasher = createHash("sha256");
    let size = 0;
    let seq = 0;
    let buffer: Buffer[] = [];
    let buffered = 0;
    const writeChunk = async (data: Buffer) => {
      await tx.query("INSERT INTO blob_chunks (hash, seq, data) VALUES ($1, $2, $3)", [tmpKey, seq++, data]);
    };
    for await (const chunk of source) {
      hasher.update(chunk);
      size += chunk.byteLength;
      buffer.push(Buffer.from(chunk));
      buffered += chunk.byteLength;
      while (buffered >= CHUNK_SIZE) {
        const all = Buffer.concat(buffer);
        await writeChunk(all.subarray(0, CHUNK_SIZE));
        buffer = [all.subarray(CHUNK_SIZE)];
        buffered = all.byteLength - CHUNK_SIZE;
      }
    }
    if (buffered > 0 || seq === 0) await writeChunk(Buffer.concat(buffer));
    const hash = hasher.digest("hex");
    const exists = (await tx.query("SELECT 1 FROM blobs WHERE hash = $1", [hash])).rows.length > 0;
    if (exists) await tx.query("DELETE FROM blob_chunks WHERE hash = $1", [tmpKey]);
    else {
      await tx.query("UPDATE blob_chunks SET hash = $1 WHERE hash = $2", [hash, tmpKey]);
      await insertBlobRows(tx, [{ hash, size }]);
    }
    return { hash, size };
  }

  open(hash: string): Readable {
    const db = this.db;
    const fetchFrom = (seq: number) =>
      db.query<{ seq: number; data: Uint8Array }>("SELECT seq, data FROM blob_chunks WHERE hash = $1 AND seq >= $2 AND seq < $3 ORDER BY seq", [hash, seq, seq + CHUNKS_PER_READ]);
    async function* chunks() {
      // Chunks are numbered 0…n-1, so the next batch can be asked for while this one is being sent.
      let next = 0;
      let pending = fetchFrom(next);
      try {
        for (;;) {
          const { rows } = await pending;
          next += CHUNKS_PER_READ;
          const full = rows.length === CHUNKS_PER_READ;
          if (full) pending = fetchFrom(next);
          for (const r of rows) yield Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength);
          if (!full) return;
        }
      } finally {
        pending.catch(() => undefined); // a download abandoned midway leaves no unhandled rejection
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }
}
