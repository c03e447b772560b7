import { Readable, Transform, pipeline } from "node:stream";
import type { Queryable } from "../db/db.ts";
import type { BlobInput, BlobStore, StagedBlob } from "./blob-store.ts";

/** Default memory for recently read blobs: a handful of large attachments or many small ones. */
export const DEFAULT_BLOB_CACHE_BYTES = 128 * 1024 * 1024;
/** Largest blob kept: an attachment at Outlook's 25 MB limit fits, a raw message above it does not. */
const MAX_ENTRY_BYTES = 32 * 1024 * 1024;
/** Cached bytes go out in pieces of this size (what a socket takes per write without waiting). */
const SEND_PIECE = 1024 * 1024;

/**
 * Recently read blobs in memory, in front of the store that keeps them. Blobs are content-addressed, so a hash
 * always names the same bytes: a cached copy can never be stale, and several app servers each caching their own
 * copies need no coordination. Who may read an attachment is decided by the metadata lookup before `open`, never by
 * the cache. A blob enters on its first complete read (one reader per hash copies it; a download cut short caches
 * nothing) and leaves least recently used first.
 */
export class CachedBlobStore implements BlobStore {
  private readonly entries = new Map<string, Buffer>();
  private readonly filling = new Set<string>();
  private bytes = 0;

  constructor(
    private readonly inner: BlobStore,
    private readonly maxBytes = DEFAULT_BLOB_CACHE_BYTES,
  ) {}

  get kind(): BlobStore["kind"] {
    return this.inner.kind;
  }

  putMany(tx: Queryable, blobs: BlobInput[]): Promise<void> {
    return this.inner.putMany(tx, blobs);
  }

  stage(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options?: { maxBytes?: number }): Promise<StagedBlob> {
    return this.inner.stage(source, options);
  }

  sweepStaleUploads(olderThanMs?: number): Promise<number> {
    return this.inner.sweepStaleUploads(olderThanMs);
  }

  /** Bytes held now (for figures and tests). */
  get cachedBytes(): number {
    return this.bytes;
  }

  cached(hash: string): Buffer | undefined {
    const hit = this.entries.get(hash);
    if (hit) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(hash);
      this.entries.set(hash, hit);
    }
    return hit;
  }

  open(hash: string): Readable {
    const hit = this.cached(hash);
    if (hit) return piecesOf(hit);
    const source = this.inner.open(hash);
    if (this.maxBytes <= 0 || this.filling.has(hash)) return source;
    return this.fillFrom(hash, source);
  }

  /** Passes a read on unchanged (backpressure and errors included) and keeps the bytes once it has ended whole. */
  private fillFrom(hash: string, source: Readable): Readable {
    const limit = Math.min(MAX_ENTRY_BYTES, this.maxBytes);
    let parts: Buffer[] | null = [];
    let size = 0;
    this.filling.add(hash);
    const tap = new Transform({
      // Above one chunk (256 KB–2 MB): the default 16 KB would pause the source after every chunk.
      highWaterMark: 2 * 1024 * 1024,
      transform(chunk: Buffer, _encoding, done) {
        if (parts) {
          size += chunk.byteLength;
          if (size > limit) parts = null;
          else parts.push(chunk);
        }
        done(null, chunk);
      },
      flush: (done) => {
        if (parts) this.put(hash, Buffer.concat(parts, size));
        parts = null;
        done();
      },
    });
    // A failed or abandoned read caches nothing, and its error reaches the reader through the tap.
    pipeline(source, tap, () => {
      parts = null;
      this.filling.delete(hash);
    });
    return tap;
  }

  private put(hash: string, data: Buffer): void {
    if (this.entries.has(hash)) return;
    this.entries.set(hash, data);
    this.bytes += data.byteLength;
    for (const [oldest, d] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= d.byteLength;
    }
  }
}

/** A stream of a cached blob: views of the one buffer, no copies. */
function piecesOf(data: Buffer): Readable {
  let offset = 0;
  return new Readable({
    highWaterMark: SEND_PIECE,
    read() {
      if (offset >= data.byteLength) return void this.push(null);
      const end = Math.min(offset + SEND_PIECE, data.byteLength);
      this.push(data.subarray(offset, end));
      offset = end;
      if (offset >= data.byteLength) this.push(null);
    },
  });
}
