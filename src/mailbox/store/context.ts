import type { Db } from "../db/db.ts";
import type { BlobStore } from "../blobs/blob-store.ts";

export interface StoreContext {
  db: Db;
  blobs: BlobStore;
}
