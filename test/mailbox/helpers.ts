import { randomBytes } from "node:crypto";
import { openPglite, openPostgres, storeFromDb, truncateAll, type MailboxStore } from "../../src/mailbox/index.ts";
import { DbBlobStore } from "../../src/mailbox/blobs/db-blob-store.ts";

import { dropSchema, PG_URL } from "../helpers/postgres.ts";

export { PG_URL };

export interface Backend {
  name: "pglite" | "postgres";
  /** A clean store (tables truncated) on the backend's one shared database. */
  fresh(): Promise<MailboxStore>;
  close(): Promise<void>;
}

/** One PGlite instance per test file (starting PGlite takes seconds); each test truncates. */
export async function pgliteBackend(): Promise<Backend> {
  const db = await openPglite();
  const store = await storeFromDb(db, new DbBlobStore(db));
  return {
    name: "pglite",
    async fresh() {
      await truncateAll(db);
      return store;
    },
    close: () => store.close(),
  };
}

/** PostgreSQL at PG_URL in a schema of our own (random per run), dropped at the end. */
export async function postgresBackend(): Promise<Backend> {
  const schema = `outpost_test_mailbox_${randomBytes(4).toString("hex")}`;
  const db = await openPostgres({ connectionString: PG_URL, schema, max: 4 });
  const store = await storeFromDb(db, new DbBlobStore(db));
  return {
    name: "postgres",
    async fresh() {
      await truncateAll(db);
      return store;
    },
    async close() {
      await store.close();
      await dropSchema(schema);
    },
  };
}

/** A small world: tenant contoso (alice, bob, shared support), tenant fabrikam (eve). */
export async function smallWorld(store: MailboxStore) {
  const contoso = await store.directory.createTenant({ id: "contoso", name: "Contoso" });
  const fabrikam = await store.directory.createTenant({ id: "fabrikam", name: "Fabrikam" });
  const alice = await store.provisionUser({ tenantId: contoso.id, email: "alice@contoso.example", displayName: "Alice", password: "pw-alice", isAdmin: true });
  const bob = await store.provisionUser({ tenantId: contoso.id, email: "bob@contoso.example", displayName: "Bob", password: "pw-bob" });
  const eve = await store.provisionUser({ tenantId: fabrikam.id, email: "eve@fabrikam.example", displayName: "Eve", password: "pw-eve", isAdmin: true });
  const support = await store.mailboxes.createShared({ tenantId: contoso.id, email: "support@contoso.example", displayName: "Support" });
  return { contoso, fabrikam, alice, bob, eve, support };
}

export function bytes(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x >>> 16;
  }
  return b;
}

export async function collect(stream: AsyncIterable<Uint8Array | Buffer>): Promise<{ data: Buffer; chunks: number; maxChunk: number }> {
  const parts: Buffer[] = [];
  let maxChunk = 0;
  for await (const c of stream) {
    parts.push(Buffer.from(c));
    maxChunk = Math.max(maxChunk, c.byteLength);
  }
  return { data: Buffer.concat(parts), chunks: parts.length, maxChunk };
}
