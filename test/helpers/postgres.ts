/** The PostgreSQL the tests use (127.0.0.1:5432 `test`, or OUTPOST_TEST_DATABASE_URL), and dropping a test's schema. */
import pg from "pg";

export const PG_URL = process.env.OUTPOST_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Drops a test's schema with everything in it, over a connection of its own (the stores may be closed already). */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
