import type { Readable } from "node:stream";
import type { Queryable } from "../db/db.ts";

export interface BlobInput {
  hash: string;
  data: Uint8Array;
}

/**
 * Content-addressed bytes (sha256). Each blob is stored once, however many items or attachments refer to it,
 * and is always read back as a stream of chunks so a 25 MB attachment never sits whole in memory.
 */
export interface BlobStore {
  readonly kind: "fs" | "db";
  /** Stores blobs not already present; the `blobs` rows go into `tx`, so they commit with the items that use them. */
  putMany(tx: Queryable, blobs: BlobInput[]): Promise<void>;
  /** Stores a stream of unknown length; returns its hash and size. */
  putStream(tx: Queryable, source: AsyncIterable<Uint8Array>): Promise<{ hash: string; size: number }>;
  /** Streams the bytes of `hash`, in chunks. */
  open(hash: string): Readable;
}

export const CHUNK_SIZE = 256 * 1024;

/** Records blob rows, ignoring those already present. */
export async function insertBlobRows(tx: Queryable, blobs: Array<{ hash: string; size: number }>): Promise<void> {
  if (blobs.length === 0) return;
  await tx.query(
    "INSERT INTO blobs (hash, size) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (hash) DO NOTHING",
    [blobs.map((b) => b.hash), blobs.map((b) => b.size)],
  );
}

export function uniqueByHash(blobs: BlobInput[]): BlobInput[] {
  const seen = new Map<string, BlobInput>();
  for (const b of blobs) if (!seen.has(b.hash)) seen.set(b.hash, b);
  return [...seen.values()];
}
