/**
 * PGlite's named prepared statements (src/mailbox/db/pglite-prepared.mjs): a repeated statement answers exactly as
 * PGlite's own query() does — types, nulls, errors, transactions — from its first call to its hundredth.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { PGlite } from "@electric-sql/pglite";
import { preparedQueries } from "../../src/mailbox/db/pglite-prepared.mjs";
import { wrapPglite } from "../../src/mailbox/db/pglite.ts";

describe("PGlite prepared statements", () => {
  let pg: PGlite;
  before(async () => {
    pg = await PGlite.create();
    await pg.exec(`CREATE TABLE t (id text PRIMARY KEY, n bigint, j jsonb, b bytea, at timestamptz, ok boolean, note text);
      INSERT INTO t VALUES ('a', 9007199254740993, '{"x":[1,"y"]}', '\\x00ff10', '2026-11-30T06:00:00Z', true, NULL)`);
  });
  after(async () => pg?.close());

  it("answers as query() does on every call, for every type and for null parameters", async () => {
    const query = preparedQueries(pg);
    const text = "SELECT id, n, j, b, at, ok, note, $2::text AS echo, $3::jsonb AS param_json, $4::bytea AS param_bytes FROM t WHERE id = $1";
    const params = ["a", null, JSON.stringify({ k: [true, null] }), new Uint8Array([1, 2, 255])];
    const expected = (await pg.query(text, params)).rows;
    for (let i = 0; i < 6; i++) assert.deepEqual((await query(text, params)).rows, expected, `call ${i + 1}`);
    assert.equal((expected[0] as { echo: unknown }).echo, null);
  });

  it("returns a database error with its code, and a statement that does not parse keeps failing the same way", async () => {
    const query = preparedQueries(pg);
    for (let i = 0; i < 5; i++) {
      await assert.rejects(query("INSERT INTO t (id) VALUES ($1)", ["a"]), (e: { code?: string }) => e.code === "23505");
      await assert.rejects(query("SELECT nope FROM t WHERE id = $1", ["a"]), (e: { code?: string }) => e.code === "42703");
    }
    // The backend is ready again after an error.
    assert.deepEqual((await query("SELECT id FROM t WHERE id = $1", ["a"])).rows, [{ id: "a" }]);
  });

  it("a table whose columns change after a statement was named: the statement is parsed afresh", async () => {
    const query = preparedQueries(pg);
    await pg.exec("CREATE TABLE shape (id text PRIMARY KEY, a int); INSERT INTO shape VALUES ('x', 1)");
    const text = "SELECT * FROM shape WHERE id = $1";
    for (let i = 0; i < 4; i++) assert.deepEqual((await query(text, ["x"])).rows, [{ id: "x", a: 1 }]);
    await pg.exec("ALTER TABLE shape ADD COLUMN b text DEFAULT 'new'");
    assert.deepEqual((await query(text, ["x"])).rows, [{ id: "x", a: 1, b: "new" }]);
    assert.deepEqual((await query(text, ["x"])).rows, [{ id: "x", a: 1, b: "new" }]);
  });

  it("runs inside a transaction, which commits or rolls back as a whole", async () => {
    const db = wrapPglite(pg, async () => undefined);
    const insert = "INSERT INTO t (id, n) VALUES ($1, $2)";
    for (let i = 0; i < 4; i++) await db.query(insert, [`warm${i}`, i]); // named by now
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query(insert, ["rolled-1", 1]);
        await tx.query(insert, ["rolled-2", 2]);
        throw new Error("abort");
      }),
      /abort/,
    );
    await db.transaction(async (tx) => {
      await tx.query(insert, ["kept-1", 1]);
      await tx.query(insert, ["kept-2", 2]);
    });
    const { rows } = await db.query<{ id: string }>("SELECT id FROM t WHERE id LIKE 'rolled%' OR id LIKE 'kept%' ORDER BY id");
    assert.deepEqual(rows.map((r) => r.id), ["kept-1", "kept-2"]);
  });

  it("statements from concurrent callers do not interleave with a transaction", async () => {
    const db = wrapPglite(pg, async () => undefined);
    const read = "SELECT count(*)::int AS n FROM t WHERE id LIKE $1";
    for (let i = 0; i < 4; i++) await db.query(read, ["tx-%"]);
    let inside = 0;
    const tx = db.transaction(async (q) => {
      await q.query("INSERT INTO t (id) VALUES ($1)", ["tx-1"]);
      await new Promise((r) => setTimeout(r, 30));
      inside = ((await q.query<{ n: number }>(read, ["tx-%"])).rows[0]!.n);
      throw new Error("rollback");
    });
    // Issued while the transaction is open: runs after it, and never sees its uncommitted row.
    const outside = db.query<{ n: number }>(read, ["tx-%"]);
    await assert.rejects(tx, /rollback/);
    assert.equal(inside, 1);
    assert.equal((await outside).rows[0]!.n, 0);
  });
});
