/** Named statements on PostgreSQL survive a table whose columns change under them (a migration by another server). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { openPostgres } from "../../src/mailbox/index.ts";
import { PG_URL } from "./helpers.ts";

test("a named statement whose table changed shape is parsed afresh, not failed", async () => {
  const schema = `outpost_test_named_${randomBytes(4).toString("hex")}`;
  const db = await openPostgres({ connectionString: PG_URL, schema, max: 1 });
  try {
    await db.exec("CREATE TABLE shape (id text PRIMARY KEY, a int); INSERT INTO shape VALUES ('x', 1)");
    const text = "SELECT * FROM shape WHERE id = $1";
    for (let i = 0; i < 4; i++) assert.deepEqual((await db.query(text, ["x"])).rows, [{ id: "x", a: 1 }]);
    await db.exec("ALTER TABLE shape ADD COLUMN b text DEFAULT 'new'");
    for (let i = 0; i < 5; i++) assert.deepEqual((await db.query(text, ["x"])).rows, [{ id: "x", a: 1, b: "new" }], `call ${i + 1} after the change`);
  } finally {
    await db.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await db.close();
  }
});
