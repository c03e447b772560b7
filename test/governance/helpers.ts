import { randomBytes } from "node:crypto";
import { openPglite, openPostgres, type Db } from "../../src/mailbox/index.ts";
import { createGovernance, type Governance } from "../../src/governance/index.ts";

import { dropSchema, PG_URL } from "../helpers/postgres.ts";

export { PG_URL };

export interface GovBackend {
  name: string;
  governance: Governance;
  db?: Db;
  close(): Promise<void>;
}

export type BackendFactory = () => Promise<GovBackend>;

export const memoryBackend: BackendFactory = async () => ({ name: "memory", governance: await createGovernance(), close: async () => undefined });

export const pgliteBackend: BackendFactory = async () => {
  const db = await openPglite();
  return { name: "pglite", db, governance: await createGovernance(db), close: () => db.close() };
};

/** PostgreSQL in a schema of our own, dropped at the end. */
export const postgresBackend: BackendFactory = async () => {
  const schema = `outpost_test_governance_${randomBytes(4).toString("hex")}`;
  const db = await openPostgres({ connectionString: PG_URL, schema, max: 4 });
  return {
    name: "postgres",
    db,
    governance: await createGovernance(db),
    async close() {
      await db.close();
      await dropSchema(schema);
    },
  };
};

let n = 0;
/** Fresh ids per test: tests share one database per file. */
export function ids(): { tenant: string; user: string; addin: string; session: string } {
  const tag = `${process.pid}-${++n}-${randomBytes(3).toString("hex")}`;
  return { tenant: `tenant-${tag}`, user: `user-${tag}@example.test`, addin: `addin-${tag}`, session: `session-${tag}` };
}
