/**
 * The service's own tables, in its own schema (work_requests), on the same engine as Outpost: PGlite by default
 * (in memory or a data directory), PostgreSQL when a connection string is given (DATABASE_URL).
 */
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn in one transaction: everything it wrote is kept, or nothing. */
  transaction<T>(fn: (q: Db["query"]) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const SCHEMA = `
CREATE SCHEMA IF NOT EXISTS work_requests;
CREATE TABLE IF NOT EXISTS work_requests.projects (id serial PRIMARY KEY, name text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS work_requests.users (email text PRIMARY KEY, password_sha256 text NOT NULL, display_name text NOT NULL);
-- A submission stages its uploads and only a committed submission is visible, so a failed one leaves nothing behind.
CREATE TABLE IF NOT EXISTS work_requests.submissions (id uuid PRIMARY KEY, owner text NOT NULL, committed boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS work_requests.requests (id serial PRIMARY KEY, title text NOT NULL, description text NOT NULL, owner text NOT NULL, project_id int REFERENCES work_requests.projects(id), submission_id uuid, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS work_requests.tasks (id serial PRIMARY KEY, project_id int NOT NULL REFERENCES work_requests.projects(id), title text NOT NULL, description text NOT NULL, owner text NOT NULL, submission_id uuid, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS work_requests.updates (id serial PRIMARY KEY, target_kind text NOT NULL CHECK (target_kind IN ('request','task')), target_id int NOT NULL, body text NOT NULL, owner text NOT NULL, submission_id uuid, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS work_requests.documents (id serial PRIMARY KEY, submission_id uuid NOT NULL REFERENCES work_requests.submissions(id) ON DELETE CASCADE, name text NOT NULL, size bigint NOT NULL, sha256 text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
`;

export async function openDb(options: { databaseUrl?: string; dataDir?: string } = {}): Promise<Db> {
  const db = options.databaseUrl ? pgDb(options.databaseUrl) : await pgliteDb(options.dataDir);
  await db.transaction(async (q) => {
    // One migrator at a time when several services share a PostgreSQL database.
    await q("SELECT pg_advisory_xact_lock(774110)");
    for (const stmt of SCHEMA.split(";").map((s) => s.trim()).filter(Boolean)) await q(stmt);
  });
  return db;
}

async function pgliteDb(dataDir?: string): Promise<Db> {
  // PGlite makes only the last folder of the path: a data dir whose parent is missing would fail to open.
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const lite = dataDir ? new PGlite(dataDir) : new PGlite();
  await lite.waitReady;
  // PGlite runs one statement at a time; a chain keeps transactions from interleaving.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
  const query: Db["query"] = (sql, params) => serial(async () => (await lite.query(sql, params as unknown[])).rows as never);
  return {
    query,
    transaction: (fn) => serial(() => lite.transaction(async (tx) => fn(async (sql, params) => (await tx.query(sql, params as unknown[])).rows as never))),
    close: () => lite.close(),
  };
}

function pgDb(connectionString: string): Db {
  const pool = new pg.Pool({ connectionString, max: 5 });
  return {
    query: async (sql, params) => (await pool.query(sql, params as unknown[])).rows,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const out = await fn(async (sql, params) => (await client.query(sql, params as unknown[])).rows);
        await client.query("COMMIT");
        return out;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
