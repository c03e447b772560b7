import { createReadStream } from "node:fs";
import { mkdir, readdir, rename, stat, unlink, writeFile, open as openFile } from "node:fs/promises";
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { Queryable } from "../db/db.ts";
import { type BlobInput, type BlobStore, BlobTooLarge, Chunker, insertBlobRows, STALE_UPLOAD_MS, type StagedBlob, uniqueByHash } from "./blob-store.ts";

const WRITE_BYTES = 1024 * 1024;

/**
 * Blobs as files under `<dir>/ab/cd/<hash>` (the embedded store's data dir). Files are written to a temporary
 * name and renamed, so a crash never leaves a partial file under a hash name; an orphan file (written, but its
 * transaction never committed) is harmless and is simply reused when the same bytes come again.
 */
export class FsBlobStore implements BlobStore {
  readonly kind = "fs" as const;
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
    try {
      const s = await stat(target);
      if (s.size === data.byteLength) return;
    } catch {
      /* not there yet */
    }
    await mkdir(join(target, ".."), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    const fh = await openFile(tmp, "w");
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  }

  async stage(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: { maxBytes?: number } = {}): Promise<StagedBlob> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `upload.${randomBytes(8).toString("hex")}.tmp`);
    const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
    const hasher = createHash("sha256");
    let size = 0;
    const file = await openFile(tmp, "w");
    // Pieces are gathered into 1 MB writes; one write is under way while the next megabyte is received.
    const chunker = new Chunker(WRITE_BYTES);
    let inFlight: Promise<unknown> = Promise.resolve();
    try {
      for await (const piece of source) {
        size += piece.byteLength;
        if (size > maxBytes) throw new BlobTooLarge(maxBytes);
        hasher.update(piece);
        for (const chunk of chunker.push(piece)) {
          await inFlight;
          inFlight = file.write(chunk);
        }
      }
      await inFlight;
      const last = chunker.flush();
      if (last) await file.write(last);
      // On disk before the item that names it can commit: a crash must not leave an item with an empty file.
      await file.sync();
    } catch (err) {
      await inFlight.catch(() => undefined);
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
        await mkdir(join(target, ".."), { recursive: true });
        await rename(tmp, target);
        await insertBlobRows(tx, [{ hash, size }]);
      },
      discard: () => unlink(tmp).catch(() => undefined),
    };
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
