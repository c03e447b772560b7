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

/** Fields of a binary COPY as they arrive; `rows` settles when the COPY ends (rejects when it failed). */
export interface CopiedFields {
  readonly fields: AsyncIterable<Buffer>;
  readonly rows: Promise<number>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: runs `COPY (<select>) TO STDOUT (FORMAT binary)` and hands on every non-null field's bytes in
   * order as they arrive (slices of the received buffers, possibly several per field; no hex text to decode), and
   * the row count once the COPY is done. The COPY is read to its end whatever the consumer's pace, so the
   * connection goes back to the pool at once. `select` takes no parameters: callers inline only validated literals.
   */
  copyFields?(select: string): CopiedFields;
  /** Runs several statements separated by semicolons (migrations only; no parameters). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
