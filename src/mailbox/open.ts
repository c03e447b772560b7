import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Db } from "./db/db.ts";
import { openPglite } from "./db/pglite.ts";
import { openPgliteThread } from "./db/pglite-thread.ts";
import { openPostgres } from "./db/postgres.ts";
import { migrate } from "./db/migrate.ts";
import type { BlobStore } from "./blobs/blob-store.ts";
import { FsBlobStore } from "./blobs/fs-blob-store.ts";
import { DbBlobStore } from "./blobs/db-blob-store.ts";
import { BlobStorageMismatch, checkBlobStorage } from "./blobs/blob-storage-choice.ts";
import { CachedBlobStore, DEFAULT_BLOB_CACHE_BYTES } from "./blobs/cached-blob-store.ts";
import { MailboxStore } from "./store/store.ts";
import { lockDataDir } from "./lock.ts";

export interface OpenStoreOptions {
  /** PostgreSQL connection string. Defaults to $DATABASE_URL when `useEnv` is true. */
  databaseUrl?: string;
  /** PostgreSQL schema (tests, or several installations in one database). */
  schema?: string;
  /** Embedded store folder (PGlite in `<dataDir>/pg`, blobs in `<dataDir>/blobs`). Default ./data. */
  dataDir?: string;
  /** Embedded store in memory (tests, demos): nothing written to disk. */
  memory?: boolean;
  /** Read DATABASE_URL from the environment (the CLI and server do; library callers choose). */
  useEnv?: boolean;
  /**
   * PostgreSQL only: attachment bytes as content-addressed files in this directory, the database holding only their
   * metadata. Every app server of the installation must mount the same directory. Defaults to $OUTPOST_BLOB_DIR
   * when `useEnv` is true; without it the bytes live in the database. The choice is recorded on first use.
   */
  blobDir?: string;
  /** Memory for recently read blobs (attachments, raw messages); 0 turns the cache off. Default 128 MB. */
  blobCacheBytes?: number;
}

/** Opens the store: PostgreSQL when a URL is given (or in $DATABASE_URL), else PGlite in the data dir; migrates. */
export async function openMailboxStore(options: OpenStoreOptions = {}): Promise<MailboxStore> {
  const url = options.databaseUrl ?? (options.useEnv ? process.env.DATABASE_URL : undefined);
  const blobDir = options.blobDir ?? (options.useEnv ? process.env.OUTPOST_BLOB_DIR || undefined : undefined);
  if (url) {
    const db = await openPostgres({ connectionString: url, schema: options.schema });
    const dir = blobDir && resolve(blobDir);
    const blobs = dir ? new FsBlobStore(dir) : new DbBlobStore(db);
    return withMigrations(db, cached(blobs, options), undefined, () => checkBlobStorage(db, dir ? "directory" : "database", dir));
  }
  if (blobDir) throw new BlobStorageMismatch(`a blob directory (--blob-dir, OUTPOST_BLOB_DIR) is for PostgreSQL installations; the embedded store keeps its attachments in ${options.memory ? "memory" : "<data dir>/blobs"}`);
  if (options.memory) {
    const db = await openPglite();
    return withMigrations(db, cached(new DbBlobStore(db), options));
  }
  const dataDir = resolve(options.dataDir ?? "./data");
  await mkdir(dataDir, { recursive: true });
  const unlock = await lockDataDir(dataDir);
  try {
    // On its own thread: the server's event loop does not run the SQL (docs/mailbox.md, "Latency under load").
    const db = await openPgliteThread(join(dataDir, "pg"));
    return await withMigrations(db, cached(new FsBlobStore(join(dataDir, "blobs")), options), unlock);
  } catch (err) {
    await unlock();
    throw err;
  }
}

/** Wraps an already open database (tests share one PGlite instance this way). */
export async function storeFromDb(db: Db, blobs?: BlobStore, onClose?: () => Promise<void>): Promise<MailboxStore> {
  return withMigrations(db, blobs ?? cached(new DbBlobStore(db), {}), onClose);
}

function cached(blobs: BlobStore, options: OpenStoreOptions): BlobStore {
  const bytes = options.blobCacheBytes ?? DEFAULT_BLOB_CACHE_BYTES;
  return bytes > 0 ? new CachedBlobStore(blobs, bytes) : blobs;
}

async function withMigrations(db: Db, blobs: BlobStore, onClose?: () => Promise<void>, check?: () => Promise<void>): Promise<MailboxStore> {
  try {
    await migrate(db);
    await check?.();
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  // Uploads a crash cut short (their chunks or temporary files) are removed once they are a day old.
  await blobs.sweepStaleUploads().catch(() => undefined);
  return new MailboxStore(db, blobs, onClose);
}

/** Empties every table (tests reuse one database between cases; PGlite takes seconds to start). */
export async function truncateAll(db: Db): Promise<void> {
  await db.exec(
    "TRUNCATE security_events, blob_storage, sessions, roaming_settings, custom_properties, master_categories, item_categories, attachments, recipients, items, blob_chunks, blob_uploads, blobs, folders, mailbox_access, mailboxes, users, tenants CASCADE",
  );
}
