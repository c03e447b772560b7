import { Readable } from "node:stream";
import { createHash, randomBytes } from "node:crypto";
import type { CopiedFields, Db, Queryable } from "../db/db.ts";
import { type BlobInput, type BlobStore, BlobTooLarge, CHUNK_SIZE, Chunker, insertBlobRows, STALE_UPLOAD_MS, type StagedBlob, uniqueByHash } from "./blob-store.ts";

const CHUNKS_PER_READ = 4;
/** Chunks at least this large are inserted one per statement (binary parameter), smaller ones batched. */
const SINGLE_ROW_BYTES = 32 * 1024;
/** Uploads up to this size are held in memory and stored by the item's transaction. */
const SMALL_UPLOAD_BYTES = 4 * 1024 * 1024;
/** 8 chunks = 2 MB per COPY. */
const COPY_BATCH_CHUNKS = 8;

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
        if (part.byteLength >= SINGLE_ROW_BYTES) {
          // A bytea[] parameter travels as text with every byte hex-escaped (twice the size, built in memory);
          // a lone bytea parameter travels binary, straight from the attachment's own memory.
          await tx.query("INSERT INTO blob_chunks (hash, seq, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [b.hash, seq, part]);
          continue;
        }
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

  async stage(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: { maxBytes?: number } = {}): Promise<StagedBlob> {
    const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
    const it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
    // Most attachments are small: held in memory until they pass SMALL_UPLOAD_BYTES, they are stored by the item's
    // own transaction (one commit) instead of chunk by chunk under a temporary key (a commit per chunk, then a
    // rename and a cleanup). Past it, what was held is staged first and the rest follows as it arrives.
    const held: Buffer[] = [];
    let size = 0;
    try {
      for (;;) {
        const next = await it.next();
        if (next.done) break;
        size += next.value.byteLength;
        if (size > maxBytes) throw new BlobTooLarge(maxBytes);
        held.push(Buffer.from(next.value)); // copied: the source may reuse a piece's memory
        if (size > SMALL_UPLOAD_BYTES) return await this.stageInTable((async function* () {
          yield* held.splice(0);
          for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
        })(), maxBytes);
      }
    } finally {
      await it.return?.();
    }
    const data = Buffer.concat(held, size);
    const hash = createHash("sha256").update(data).digest("hex");
    return { hash, size, commit: (tx) => this.putMany(tx, [{ hash, data }]), discard: async () => undefined };
  }

  private async stageInTable(source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StagedBlob> {
    const db = this.db;
    const key = `tmp:${randomBytes(12).toString("hex")}`;
    await db.query("INSERT INTO blob_uploads (key) VALUES ($1)", [key]);
    const discard = async () => {
      await db.query("DELETE FROM blob_chunks WHERE hash = $1", [key]);
      await db.query("DELETE FROM blob_uploads WHERE key = $1", [key]);
    };
    const hasher = createHash("sha256");
    let size = 0;
    let seq = 0;
    // One chunk is written while the next one is being received.
    let inFlight: Promise<unknown> = Promise.resolve();
    const write = async (data: Buffer) => {
      await inFlight;
      inFlight = db.query("INSERT INTO blob_chunks (hash, seq, data) VALUES ($1, $2, $3)", [key, seq++, data]);
    };
    try {
      const chunker = new Chunker(CHUNK_SIZE);
      for await (const piece of source) {
        size += piece.byteLength;
        if (size > maxBytes) throw new BlobTooLarge(maxBytes);
        hasher.update(piece);
        for (const chunk of chunker.push(piece)) await write(chunk);
      }
      const last = chunker.flush();
      if (last || seq === 0) await write(last ?? Buffer.alloc(0));
      await inFlight;
    } catch (err) {
      await inFlight.catch(() => undefined);
      await discard().catch(() => undefined);
      throw err;
    }
    const hash = hasher.digest("hex");
    return {
      hash,
      size,
      async commit(tx: Queryable) {
        // The unique key on blobs.hash serializes two servers storing the same bytes at once: the second waits
        // for the first to commit, finds the row and drops its own copy.
        const { rows } = await tx.query("INSERT INTO blobs (hash, size) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING RETURNING hash", [hash, size]);
        if (rows.length > 0) await tx.query("UPDATE blob_chunks SET hash = $1 WHERE hash = $2", [hash, key]);
        else await tx.query("DELETE FROM blob_chunks WHERE hash = $1", [key]);
        await tx.query("DELETE FROM blob_uploads WHERE key = $1", [key]);
      },
      discard,
    };
  }

  /** Removes the chunks of uploads staged longer ago than `olderThanMs` and never committed. */
  async sweepStaleUploads(olderThanMs = STALE_UPLOAD_MS): Promise<number> {
    const { rows } = await this.db.query<{ key: string }>("DELETE FROM blob_uploads WHERE started_at < now() - make_interval(secs => $1) RETURNING key", [olderThanMs / 1000]);
    if (rows.length > 0) await this.db.query("DELETE FROM blob_chunks WHERE hash = ANY($1::text[])", [rows.map((r) => r.key)]);
    return rows.length;
  }

  open(hash: string): Readable {
    if (this.db.copyFields) return this.openByCopy(hash, this.db.copyFields.bind(this.db));
    const db = this.db;
    // Base64 text, decoded natively: PGlite hands a bytea column over as hex text parsed byte by byte in JavaScript
    // (10 MB: ~3 s on a loaded machine; through encode(…, 'base64') and Buffer.from: ~0.15 s).
    const fetchFrom = (seq: number) =>
      db.query<{ seq: number; data: string }>("SELECT seq, encode(data, 'base64') AS data FROM blob_chunks WHERE hash = $1 AND seq >= $2 AND seq < $3 ORDER BY seq", [hash, seq, seq + CHUNKS_PER_READ]);
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
          for (const r of rows) yield Buffer.from(r.data, "base64");
          if (!full) return;
        }
      } finally {
        pending.catch(() => undefined); // a download abandoned midway leaves no unhandled rejection
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  /**
   * PostgreSQL: batches of chunks through binary COPY, the raw bytes as they came off the socket (a plain SELECT
   * returns bytea as hex text, decoded on the event loop: ~10x slower). Bytes are sent on as they arrive; the next
   * batch is asked for as soon as this one is in. Each batch is read to its end at the database's pace and its
   * connection released, so at most two batches (4 MB) per download are in memory and a slow client never holds a
   * database connection.
   */
  private openByCopy(hash: string, copyFields: (select: string) => CopiedFields): Readable {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error("invalid blob hash"); // inlined below: COPY takes no parameters
    const fetchFrom = (seq: number) =>
      copyFields(`SELECT data FROM blob_chunks WHERE hash = '${hash}' AND seq >= ${seq} AND seq < ${seq + COPY_BATCH_CHUNKS} ORDER BY seq`);
    async function* chunks() {
      let next = 0;
      let batch = fetchFrom(next);
      let following: CopiedFields | undefined;
      try {
        for (;;) {
          const current = batch;
          next += COPY_BATCH_CHUNKS;
          const start = next;
          // Prefetch: once this batch is whole and full, the next one is under way while this one is still sent.
          const nextBatch = current.rows.then((rows) => (rows === COPY_BATCH_CHUNKS ? (following = fetchFrom(start)) : undefined));
          nextBatch.catch(() => undefined); // its failure is the batch's own, thrown by the loop below
          for await (const b of current.fields) yield b as Buffer;
          const upcoming = await nextBatch;
          if (!upcoming) return;
          batch = upcoming;
          following = undefined;
        }
      } finally {
        // A download abandoned midway leaves no unhandled rejection.
        batch.rows.catch(() => undefined);
        following?.rows.catch(() => undefined);
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }
}
