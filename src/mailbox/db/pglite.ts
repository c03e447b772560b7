import { PGlite } from "@electric-sql/pglite";
import type { Db, Queryable, QueryResult } from "./db.ts";
import { preparedQueries } from "./pglite-prepared.mjs";

/** Opens PGlite in `dataDir`, or in memory when `dataDir` is undefined. */
export async function openPglite(dataDir?: string): Promise<Db> {
  const pg = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  return wrapPglite(pg);
}

export function wrapPglite(pg: PGlite, onClose?: () => Promise<void>): Db {
  const prepared = preparedQueries(pg);
  const query = async <R>(text: string, params?: unknown[]): Promise<QueryResult<R>> => ({ rows: (await prepared<R>(text, params)).rows });
  return {
    kind: "pglite",
    query,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return pg.transaction(async (tx) =>
        fn({
          query: async <R>(text: string, params?: unknown[]) => ({ rows: (await prepared<R>(text, params, tx)).rows }),
        }),
      );
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
    async close() {
      if (onClose) await onClose();
      else if (!pg.closed) await pg.close();
    },
  };
}
