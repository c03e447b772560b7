/**
 * Modern auth on PostgreSQL: (1) token issuance through the NAA broker (consent check, RS256 access + ID token) at
 * 50 concurrent requests, against a legacy callback token (Ed25519, no consent) issued the same way in the same run;
 * (2) a Graph message read (GET /v1.0/me/messages/{id}: RS256 verification, consent and revocation check, scope
 * decision) at 50 concurrent clients in another process, against the Outlook REST read of the same message with a
 * callback token on the same server. p50/p99 and the ratio to each baseline.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openMailboxStore, type MailboxStore } from "../src/mailbox/index.ts";
import { Identity } from "../src/identity/index.ts";
import { createServer } from "../src/server/app.ts";
import { percentile } from "./stats.ts";

const PG_URL = process.env.OUTPOST_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const CONCURRENCY = 50;

async function concurrent(total: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number; rps: number }> {
  for (let i = 0; i < 50; i++) await fn();
  const lat: number[] = [];
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (issued < total) {
        issued++;
        const t = performance.now();
        await fn();
        lat.push(performance.now() - t);
      }
    }),
  );
  const s = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), rps: total / s };
}

async function load(url: string, auth: string, total = 4000): Promise<{ p50: number; p99: number; rps: number }> {
  const client = fileURLToPath(new URL("./load-client.ts", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", client, url, String(CONCURRENCY), String(total), auth], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").pop()!) as { p50: number; p99: number; rps: number };
}

const fmt = (r: { p50: number; p99: number; rps: number }) => `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${Math.round(r.rps)}/s`;

export async function run(): Promise<void> {
  const schema = `outpost_bench_identity_${randomBytes(4).toString("hex")}`;
  let store: MailboxStore;
  try {
    store = await openMailboxStore({ databaseUrl: PG_URL, schema });
  } catch (e) {
    console.log(`PostgreSQL not reachable at ${PG_URL} (${(e as Error).message}): identity benchmark skipped`);
    return;
  }
  try {
    const tenant = await store.directory.createTenant({ id: "contoso", name: "Contoso" });
    const { user, mailbox } = await store.provisionUser({ tenantId: tenant.id, email: "alice@contoso.example", displayName: "Alice" });
    const inbox = (await store.mailboxes.resolveFolder(mailbox.id, "inbox"))!;
    const item = await store.items.create(mailbox.id, inbox.id, { subject: "Bench", bodyText: "x".repeat(2000), from: { name: "Lee", address: "lee@tailspin.example" }, to: [{ name: "Alice", address: user.email }] });
    const identity = Identity.of(store);
    const reg = await identity.registrations.create({ clientId: "bench-client", addinId: "bench-addin", displayName: "Bench", tenantId: tenant.id, scopes: ["Mail.Read"] });
    await identity.consents.grant({ tenantId: tenant.id, clientId: reg.clientId, userId: user.id, scopes: ["Mail.Read"], grantedBy: user.id, registered: reg.scopes });
    const subject = { tenantId: tenant.id, userId: user.id, addinId: "bench-addin" };
    const base = "http://127.0.0.1";

    const naa = await concurrent(2000, async () => {
      const r = await identity.broker.token(subject, { clientId: reg.clientId, scope: "Mail.Read" }, base);
      if (!r.ok) throw new Error(JSON.stringify(r.error));
    });
    const legacy = await concurrent(2000, () =>
      store.tokens.issueCallbackToken({ userId: user.id, mailboxId: mailbox.id, addinId: "bench-addin", tier: "ReadItem", mode: "read", kind: "rest", itemId: item.id }),
    );
    console.log(`token issuance, ${CONCURRENCY} concurrent (PostgreSQL): NAA broker (access + ID token, consent checked) ${fmt(naa)}`);
    console.log(`  baseline legacy callback token: ${fmt(legacy)}; NAA/legacy p50 ${(naa.p50 / legacy.p50).toFixed(2)}×`);

    const app = await createServer({ store });
    const origin = await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const graphToken = (await identity.tokens.issueAccessToken({ issuerBase: origin, user: (await store.directory.getUser(user.id))!, clientId: reg.clientId, scopes: ["Mail.Read"], lifetimeSeconds: 3600 })).token;
      const restToken = (await store.tokens.issueCallbackToken({ userId: user.id, mailboxId: mailbox.id, addinId: "bench-addin", tier: "ReadItem", mode: "read", kind: "rest", itemId: item.id })).token;
      const graph = await load(`${origin}/v1.0/me/messages/${item.id}`, `Bearer ${graphToken}`);
      const rest = await load(`${origin}/api/v2.0/me/messages/${item.id}`, `Bearer ${restToken}`);
      console.log(`Graph GET message, ${CONCURRENCY} concurrent clients in another process (PostgreSQL): ${fmt(graph)}`);
      console.log(`  baseline Outlook REST GET message (callback token): ${fmt(rest)}; Graph/REST p50 ${(graph.p50 / rest.p50).toFixed(2)}×`);
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect().then(() => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).catch(() => undefined);
    await c.end().catch(() => undefined);
  }
}
