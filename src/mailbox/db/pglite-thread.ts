/**
 * The `Db` of an embedded PGlite running on a worker thread (pglite-worker.mjs). PGlite executes statements on the
 * thread that owns it, one at a time; in-process that is the HTTP server's event loop, so every request waited for
 * every other request's SQL *and* the SQL waited for HTTP parsing. On its own thread the two overlap, and the
 * server's latency under concurrent clients no longer includes other requests' WASM time (docs/mailbox.md).
 * Rows and parameters cross by structured clone (Dates, Uint8Arrays and JSON values survive it).
 */
import { Worker } from "node:worker_threads";
import type { Db, Queryable, QueryResult } from "./db.ts";

const WORKER_URL = new URL("./pglite-worker.mjs", import.meta.url);

interface Pending {
  resolve: (rows: unknown) => void;
  reject: (err: Error) => void;
}

export async function openPgliteThread(dataDir?: string): Promise<Db> {
  const worker = new Worker(WORKER_URL, { execArgv: [] });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let nextTx = 1;
  let dead: Error | undefined;
  worker.on("message", (m: { id: number; rows?: unknown; error?: { message: string } & Record<string, unknown> }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.error) p.reject(Object.assign(new Error(m.error.message), m.error));
    else p.resolve(m.rows);
  });
  const fail = (err: Error) => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`PGlite worker exited (${code})`)));
  const call = <T>(msg: Record<string, unknown>): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    // Referenced only while a statement is in flight: a process that forgets to close the store still exits.
    if (pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (rows: unknown) => void, reject });
      worker.postMessage({ ...msg, id });
    });
  };
  const queryIn =
    (tx?: number) =>
    async <R>(text: string, params?: unknown[]): Promise<QueryResult<R>> => ({ rows: await call<R[]>({ op: "query", text, params, tx }) });

  try {
    await call({ op: "open", dataDir });
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  return {
    kind: "pglite",
    query: queryIn(),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const tx = nextTx++;
      await call({ op: "begin", tx });
      let result: T;
      try {
        result = await fn({ query: queryIn(tx) });
      } catch (err) {
        await call({ op: "rollback", tx }).catch(() => undefined);
        throw err;
      }
      await call({ op: "commit", tx });
      return result;
    },
    async exec(sql: string) {
      await call({ op: "exec", sql });
    },
    async close() {
      if (dead) return;
      await call({ op: "close" }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
