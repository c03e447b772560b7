// PGlite (PostgreSQL in WASM) on its own thread: every statement's CPU time runs here instead of on the HTTP
// server's event loop. Plain JavaScript so the worker needs no TypeScript loader. Protocol: see pglite-thread.ts.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { preparedQueries } from "./pglite-prepared.mjs";

let pg;
let query;
const txs = new Map(); // tx id → { tx, commit(), rollback(), finished }

function errorFields(err) {
  const out = { message: String(err?.message ?? err) };
  for (const k of ["code", "detail", "hint", "constraint", "table", "column", "schema", "severity", "position"]) if (err && err[k] !== undefined) out[k] = err[k];
  return out;
}

async function begin(id) {
  let started;
  const ready = new Promise((resolve) => (started = resolve));
  const entry = {};
  // PGlite's transaction() holds its mutex until the callback settles: other statements wait, as in-process.
  entry.finished = pg.transaction(async (tx) => {
    entry.tx = tx;
    const outcome = new Promise((commit, rollback) => Object.assign(entry, { commit, rollback }));
    started();
    await outcome;
  });
  txs.set(id, entry);
  await Promise.race([ready, entry.finished]);
}

async function handle(m) {
  switch (m.op) {
    case "open":
      pg = m.dataDir ? await PGlite.create(m.dataDir) : await PGlite.create();
      query = preparedQueries(pg);
      return null;
    case "query": {
      const tx = m.tx ? txs.get(m.tx)?.tx : undefined;
      if (m.tx && !tx) throw new Error("transaction is not open");
      return (await query(m.text, m.params, tx)).rows;
    }
    case "begin":
      await begin(m.tx);
      return null;
    case "commit":
    case "rollback": {
      const entry = txs.get(m.tx);
      txs.delete(m.tx);
      if (!entry) return null;
      if (m.op === "commit") entry.commit();
      else entry.rollback(new Error("rolled back"));
      try {
        await entry.finished;
      } catch (err) {
        if (m.op === "commit") throw err;
      }
      return null;
    }
    case "exec":
      await pg.exec(m.sql);
      return null;
    case "close":
      if (pg && !pg.closed) await pg.close();
      return null;
    default:
      throw new Error(`unknown op ${m.op}`);
  }
}

parentPort.on("message", (m) => {
  handle(m).then(
    (rows) => parentPort.postMessage({ id: m.id, rows }),
    (err) => parentPort.postMessage({ id: m.id, error: errorFields(err) }),
  );
});
void workerData;
