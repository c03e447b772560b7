import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Queryable } from "../db/db.ts";
import { writeFileAtomic } from "./fs-blob-store.ts";

export type BlobStorageKind = "database" | "directory";

export const BLOB_DIR_MARKER = "outpost-blobs.json";

/** The installation was set up with the other attachment storage, or the directory is not its own. */
export class BlobStorageMismatch extends Error {}

/**
 * Records on first use where this installation keeps attachment bytes, and refuses a server started with another
 * choice (or with a directory that is not the installation's shared one) before it answers a single request.
 * A database that already holds blobs and has no record kept them in the database (the only storage before 014).
 */
export async function checkBlobStorage(db: Queryable, kind: BlobStorageKind, dir?: string): Promise<void> {
  const hadBlobs = (await db.query("SELECT 1 FROM blobs LIMIT 1")).rows.length > 0;
  const proposed = hadBlobs ? "database" : kind;
  // Several servers starting at once: the first insert wins, every server then reads the same row.
  await db.query("INSERT INTO blob_storage (kind, dir_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [proposed, proposed === "directory" ? randomUUID() : null]);
  const row = (await db.query<{ kind: BlobStorageKind; dir_id: string | null }>("SELECT kind, dir_id FROM blob_storage")).rows[0]!;
  if (row.kind !== kind) {
    throw new BlobStorageMismatch(
      row.kind === "database"
        ? `this database keeps attachment bytes in the database; start the server without --blob-dir (OUTPOST_BLOB_DIR)`
        : `this database keeps attachment bytes in a shared directory; start the server with --blob-dir (OUTPOST_BLOB_DIR) naming it`,
    );
  }
  if (kind === "directory") await checkMarker(dir!, row.dir_id!, hadBlobs);
}

async function checkMarker(dir: string, id: string, hadBlobs: boolean): Promise<void> {
  const path = join(dir, BLOB_DIR_MARKER);
  const text = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw new BlobStorageMismatch(`cannot read ${path}: ${err.message}`);
  });
  if (text === undefined) {
    // A directory without the marker becomes the installation's own only while neither holds a blob: otherwise it
    // is most likely a local folder where the shared volume should be mounted.
    if (hadBlobs) {
      throw new BlobStorageMismatch(`${dir} has no ${BLOB_DIR_MARKER}, but this installation already stores attachments there: is the shared volume mounted?`);
    }
    await mkdir(dir, { recursive: true });
    const files = (await readdir(dir)).filter((f) => f !== BLOB_DIR_MARKER && !f.endsWith(".tmp"));
    if (files.length > 0) throw new BlobStorageMismatch(`${dir} holds files but no ${BLOB_DIR_MARKER}: it is not this installation's attachment directory`);
    // Servers starting together all write the same id: it comes from the one row they share.
    return writeFileAtomic(path, JSON.stringify({ store: id }) + "\n");
  }
  let found: unknown;
  try {
    found = (JSON.parse(text) as { store?: unknown }).store;
  } catch {
    throw new BlobStorageMismatch(`${path} is not valid JSON`);
  }
  if (found !== id) {
    throw new BlobStorageMismatch(`${dir} belongs to another installation (${BLOB_DIR_MARKER} names store ${String(found)}, this database ${id}): is the shared volume mounted here?`);
  }
}
