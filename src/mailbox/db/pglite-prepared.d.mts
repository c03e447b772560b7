import type { PGlite, Transaction } from "@electric-sql/pglite";

/** A query function over `pg` that names repeated statements (see pglite-prepared.mjs). */
export function preparedQueries(pg: PGlite): <R>(text: string, params?: unknown[], tx?: Transaction) => Promise<{ rows: R[] }>;
