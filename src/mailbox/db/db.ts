/**
 * The one database interface the mailbox code talks to. PGlite (embedded, Postgres in WASM) and `pg`
 * (PostgreSQL server) both implement it, so every query is written once, in PostgreSQL SQL with $n placeholders.
 */
export interface QueryResult<R> {
  rows: R[];
}

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: runs `COPY (<select>) TO STDOUT (FORMAT binary)` and returns every non-null field's bytes in
   * order (as received, possibly several slices per field; no hex text to decode) and the row count. `select`
   * takes no parameters: callers inline only validated literals.
   */
  copyFields?(select: string): Promise<{ bytes: Buffer[]; rows: number }>;
  /** Runs several statements separated by semicolons (migrations only; no parameters). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
