import { createReadStream } from "node:fs";
import { mkdir, readdir, rename, stat, unlink, writeFile, open as openFile } from "node:fs/promises";
import { createHash, randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import type { Queryable } from "../db/db.ts";
import { type BlobInput, type BlobStore, BlobTooLarge, Chunker, insertBlobRows, STALE_UPLOAD_MS, type StagedBlob, uniqueByHash } from "./blob-store.ts";

const WRITE_BYTES = 1024 * 1024;
const SYNC_BYTES = 4 * 1024 * 1024;

/** Whether the blob file is there whole (a file under a hash name is only ever complete: it is renamed into place). */
async function hasFile(path: string, size: number): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.size === size;
}

/** Makes a rename in `dir` durable: without it a crash could lose the new name after the database has committed. */
async function syncDir(dir: string): Promise<void> {
  const handle = await openFile(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Blobs as files under `<dir>/ab/cd/<hash>` (the embedded store's data dir). Files are written to a temporary
 * name and renamed, so a crash never leaves a partial file under a hash name; an orphan file (written, but its
 * transaction never committed) is harmless and is simply reused when the same bytes come again.
 */
export class FsBlobStore implements BlobStore {
  readonly kind = "fs" as const;
  private readonly madeDirs = new Set<string>();
  constructor(private readonly dir: string) {}

  private pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error("invalid blob hash");
    return join(this.dir, hash.slice(0, 2), hash.slice(2, 4), hash);
  }

  async putMany(tx: Queryable, blobs: BlobInput[]): Promise<void> {
    const unique = uniqueByHash(blobs);
    for (const b of unique) await this.writeFileOnce(b.hash, b.data);
    await insertBlobRows(tx, unique.map((b) => ({ hash: b.hash, size: b.data.byteLength })));
  }

  private async writeFileOnce(hash: string, data: Uint8Array): Promise<void> {
    const target = this.pathOf(hash);
    if (await hasFile(target, data.byteLength)) return;
    await this.ensureDir(dirname(target));
    const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    const fh = await openFile(tmp, "w");
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
    await syncDir(dirname(target));
  }

  async stage(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: { maxBytes?: number } = {}): Promise<StagedBlob> {
    await this.ensureDir(this.dir);
    const tmp = join(this.dir, `upload.${randomBytes(8).toString("hex")}.tmp`);
    const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
    const hasher = createHash("sha256");
    let size = 0;
    const file = await openFile(tmp, "w");
    // Pieces are gathered into 1 MB writes; one write is under way while the next megabyte is received.
    const chunker = new Chunker(WRITE_BYTES);
    let inFlight: Promise<unknown> = Promise.resolve();
    // Written bytes are flushed to disk while the rest is still arriving (one flush at a time, every SYNC_BYTES),
    // so the flush that must precede the commit finds little left to do.
    let flushing: Promise<unknown> = Promise.resolve();
    let unflushed = 0;
    const flushInBackground = () => {
      flushing = flushing.then(() => file.datasync());
      flushing.catch(() => undefined); // a failed flush is thrown where it is awaited, below
    };
    try {
      for await (const piece of source) {
        size += piece.byteLength;
        if (size > maxBytes) throw new BlobTooLarge(maxBytes);
        hasher.update(piece);
        for (const chunk of chunker.push(piece)) {
          await inFlight;
          if (unflushed >= SYNC_BYTES) (flushInBackground(), (unflushed = 0));
          inFlight = file.write(chunk);
          unflushed += chunk.byteLength;
        }
      }
      await inFlight;
      const last = chunker.flush();
      if (last) await file.write(last);
      await flushing;
      // On disk before the item that names it can commit: a crash must not leave an item with an empty file.
      await file.sync();
    } catch (err) {
      await inFlight.catch(() => undefined);
      await flushing.catch(() => undefined);
      await file.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    await file.close();
    const hash = hasher.digest("hex");
    const target = this.pathOf(hash);
    return {
      hash,
      size,
      commit: async (tx: Queryable) => {
        if (await hasFile(target, size)) {
          // The same bytes are stored already (content-addressed: same hash, same bytes). Renaming over them would
          // free the old file's blocks before the answer; the copy just received is removed afterwards instead.
          void unlink(tmp).catch(() => undefined);
        } else {
          await this.ensureDir(dirname(target));
          await rename(tmp, target);
          await syncDir(dirname(target));
        }
        await insertBlobRows(tx, [{ hash, size }]);
      },
      discard: () => unlink(tmp).catch(() => undefined),
    };
  }

  /** mkdir -p, once per directory for the life of the store (the store never removes one). */
  private async ensureDir(dir: string): Promise<void> {
    if (this.madeDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    if (this.madeDirs.size >= 70_000) this.madeDirs.clear(); // 65,536 hash directories and the root: never in practice
    this.madeDirs.add(dir);
  }

  async sweepStaleUploads(olderThanMs = STALE_UPLOAD_MS): Promise<number> {
    let removed = 0;
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!/^upload\.[0-9a-f]+\.tmp$/.test(name)) continue;
      const path = join(this.dir, name);
      const s = await stat(path).catch(() => undefined);
      if (s && Date.now() - s.mtimeMs > olderThanMs) (await unlink(path).catch(() => undefined), removed++);
    }
    return removed;
  }

  open(hash: string): Readable {
    return createReadStream(this.pathOf(hash), { highWaterMark: 1024 * 1024 });
  }
}

export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
