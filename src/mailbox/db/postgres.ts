import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { CopyBinaryFields } from "./copy-binary.ts";
import { PassThrough } from "node:stream";
import type { CopiedFields, Db, Queryable, QueryResult } from "./db.ts";

// int8 (bigint, count(*)) as JS numbers: sizes and counts here stay far below 2^53, and PGlite returns numbers too.
pg.types.setTypeParser(20, (v: string) => Number(v));

const NAMED_MAX = 200;

export interface PostgresOptions {
  connectionString: string;
  /** Schema to use (created if missing); isolates tests and lets several installations share one database. */
  schema?: string;
  max?: number;
}

export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    // search_path set at connection start: no extra round trip per query.
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on("error", () => {
    /* an idle client lost its connection; the pool replaces it */
  });
  if (schema) {
    // IF NOT EXISTS is not safe against a second server creating the schema at the same moment: that one's
    // "already exists" (or the catalog's unique violation) means the schema is there, which is all we need.
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((err: { code?: string }) => {
      if (err.code !== "23505" && err.code !== "42P06") throw err;
    });
  }
  // Statements that come back (the per-request lookups) are named, so each connection parses and plans them
  // once instead of on every request. Bounded: past NAMED_MAX distinct texts the rest stay unnamed.
  const seen = new Map<string, number>();
  const names = new Map<string, string>();
  let named = 0;
  const query = async <R>(text: string, params?: unknown[]): Promise<QueryResult<R>> => {
    let name = names.get(text);
    if (name === undefined && named < NAMED_MAX) {
      const n = (seen.get(text) ?? 0) + 1;
      if (n >= 3) (names.set(text, (name = `outpost_${++named}`)), seen.delete(text));
      else if (seen.size < 4 * NAMED_MAX) seen.set(text, n);
    }
    try {
      const res = await pool.query(name ? { name, text, values: params } : { text, values: params });
      return { rows: res.rows as R[] };
    } catch (err) {
      // A table whose columns changed since the statement was named (a migration by another server): PostgreSQL
      // refuses the kept plan (0A000). The text runs unnamed now and is named afresh (a new statement) if it recurs.
      if (!name || (err as { code?: string }).code !== "0A000") throw err;
      names.delete(text);
      const res = await pool.query({ text, values: params });
      return { rows: res.rows as R[] };
    }
  };
  return {
    kind: "postgres",
    query,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({
          query: async <R>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params)).rows as R[] }),
        });
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    copyFields(select: string): CopiedFields {
      // Unbounded on purpose (the select bounds it: one batch of chunks); object mode keeps the slices as they are.
      const queue = new PassThrough({ objectMode: true });
      const rows = (async () => {
        // The connection goes back to the pool as soon as the rows are in: a slow HTTP client never holds one.
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          const decoder = new CopyBinaryFields();
          for await (const chunk of client.query(copyTo(`COPY (${select}) TO STDOUT (FORMAT binary)`))) for (const f of decoder.push(chunk as Buffer)) queue.write(f);
          decoder.end();
          return decoder.rows;
        } catch (err) {
          broken = err as Error; // a COPY cut midway leaves the connection in an unknown state: drop it
          throw err;
        } finally {
          client.release(broken);
        }
      })();
      rows.then(
        () => queue.end(),
        (err: Error) => queue.destroy(err),
      );
      return { fields: queue, rows };
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}
