/**
 * Two Outpost app servers sharing one PostgreSQL schema (127.0.0.1:5432 `test`, or OUTPOST_TEST_DATABASE_URL), with
 * one cookie secret, as several app servers run in production. `close()` stops both and drops the schema.
 */
import { randomBytes } from "node:crypto";
import { openMailboxStore } from "../../src/mailbox/index.ts";
import { createServer } from "../../src/server/app.ts";

import { dropSchema, PG_URL } from "./postgres.ts";

export { PG_URL };

type ServerOptions = Omit<Parameters<typeof createServer>[0], "store" | "cookieSecret">;

export async function openTwoServers(name: string, options: ServerOptions = {}) {
  const schema = `outpost_test_${name}_${randomBytes(4).toString("hex")}`;
  const storeA = await openMailboxStore({ databaseUrl: PG_URL, schema });
  const storeB = await openMailboxStore({ databaseUrl: PG_URL, schema });
  const cookieSecret = randomBytes(32).toString("hex");
  const appA = await createServer({ ...options, store: storeA, cookieSecret });
  const appB = await createServer({ ...options, store: storeB, cookieSecret });
  const close = async () => {
    await appA.close();
    await appB.close();
    await storeA.close();
    await storeB.close();
    await dropSchema(schema);
  };
  return { schema, storeA, storeB, appA, appB, close };
}
