// Named prepared statements for PGlite. PGlite's query() parses, describes and plans every statement on every call
// (six protocol messages, each a trip into the WASM backend); the statements a server repeats per request — the
// bridge's admission, item and session lookups — then spend most of their time there. A text seen REPEAT_BEFORE_NAMED
// times is parsed once under a name; each later call is one Bind/Describe/Execute/Sync exchange (about 5× faster,
// docs/mailbox.md). Plain JavaScript: the PGlite worker thread imports it without a TypeScript loader.
import { parse, protocol } from "@electric-sql/pglite";

const REPEAT_BEFORE_NAMED = 3;
const NAMED_MAX = 500;
const { serialize } = protocol;
// Statement names live in the backend, which several wrappers of one PGlite share: numbered across all of them.
let next = 0;

function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

/**
 * A query function over `pg` that names repeated statements. `query(text, params, tx)`: with `tx`, the statement
 * runs inside that open transaction (PGlite's transaction holds its mutex; only the query mutex is taken here).
 */
export function preparedQueries(pg) {
  const seen = new Map();
  const named = new Map(); // text → Promise<{ name, types }>

  const exclusive = (inTx, fn) => (inTx ? pg._runExclusiveQuery(fn) : pg._runExclusiveTransaction(() => pg._runExclusiveQuery(fn)));

  function prepare(text, inTx) {
    const name = `outpost_${++next}`;
    const ready = exclusive(inTx, async () => {
      const r = await pg.execProtocol(concat([serialize.parse({ name, text }), serialize.describe({ type: "S", name }), serialize.sync()]), { syncToFs: false });
      return { name, types: parse.parseDescribeStatementResults(r.messages) };
    });
    named.set(text, ready);
    // A statement that does not parse is not remembered: the caller gets the error from the plain path.
    ready.catch(() => named.delete(text));
    return ready;
  }

  return async function query(text, params = [], tx) {
    let statement = named.get(text);
    if (!statement) {
      const n = (seen.get(text) ?? 0) + 1;
      if (n < REPEAT_BEFORE_NAMED || named.size >= NAMED_MAX) {
        if (n < REPEAT_BEFORE_NAMED && seen.size < 4 * NAMED_MAX) seen.set(text, n);
        return (tx ?? pg).query(text, params);
      }
      seen.delete(text);
      statement = prepare(text, Boolean(tx));
    }
    let prepared;
    try {
      prepared = await statement;
    } catch {
      return (tx ?? pg).query(text, params);
    }
    // The same serialization as PGlite's own query(): by the parameter's type, else its string form.
    const values = params.map((p, i) => {
      if (p === null || p === undefined) return null;
      const s = pg.serializers[prepared.types[i]];
      return s ? s(p) : p.toString();
    });
    const message = concat([serialize.bind({ statement: prepared.name, values }), serialize.describe({ type: "P" }), serialize.execute({}), serialize.sync()]);
    try {
      return await exclusive(Boolean(tx), async () => {
        const r = await pg.execProtocol(message, { syncToFs: !tx });
        return parse.parseResults(r.messages, pg.parsers)[0];
      });
    } catch (err) {
      // A table whose columns changed since the statement was named: PostgreSQL refuses the kept plan (0A000,
      // "cached plan must not change result type"). Forget the name; the statement is parsed afresh.
      if (err?.code !== "0A000" || tx) throw err;
      named.delete(text);
      return pg.query(text, params);
    }
  };
}
