/**
 * Mailbox benchmarks:
 *  1. attachment download over loopback (1 MB, 25 MB) from Outpost's REST $value vs a bare node:http server
 *     streaming the same bytes from memory, in the same run (target ≥ 0.8 of its throughput);
 *  2. import rate of 10,000 seeded messages on PGlite (data dir) and on PostgreSQL;
 *  3. REST GET message latency p50/p99 under 50 concurrent clients.
 */
import { createServer as createHttpServer } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { generateSeedMessages, importMessages, openMailboxStore, type MailboxStore } from "../src/mailbox/index.ts";
import { createServer } from "../src/server/app.ts";

const PG_URL = process.env.OUTPOST_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const IMPORT_COUNT = 10_000;

async function download(url: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, { headers });
  const reader = res.body!.getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.byteLength;
  }
}

async function throughput(url: string, headers: Record<string, string>, size: number, rounds: number): Promise<number> {
  await download(url, headers); // warm-up
  const t = performance.now();
  for (let i = 0; i < rounds; i++) if ((await download(url, headers)) !== size) throw new Error("short download");
  return (size * rounds) / 1024 / 1024 / ((performance.now() - t) / 1000);
}

async function provision(store: MailboxStore, email: string) {
  const tenant = (await store.directory.getTenant("bench")) ?? (await store.directory.createTenant({ id: "bench", name: "Bench" }));
  return store.provisionUser({ tenantId: tenant.id, email, displayName: "Bench" });
}

async function importRate(store: MailboxStore, label: string, messages: Array<{ raw: Uint8Array; origin: string }>): Promise<void> {
  const { mailbox } = await provision(store, `import-${randomBytes(3).toString("hex")}@bench.example`);
  const t = performance.now();
  const r = await importMessages(store, (async function* () { yield* messages; })(), { mailboxId: mailbox.id, batchSize: 250 });
  const s = (performance.now() - t) / 1000;
  if (r.imported !== messages.length) throw new Error(`${label}: imported ${r.imported}/${messages.length}`);
  console.log(`import ${label}: ${messages.length} messages in ${s.toFixed(1)} s = ${Math.round(messages.length / s)} messages/s`);
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "outpost-bench-"));
  const store = await openMailboxStore({ dataDir: join(dir, "data") });
  const bare = createHttpServer();
  let app: Awaited<ReturnType<typeof createServer>> | undefined;
  try {
    // ---- 1. attachment download ----
    const { user, mailbox } = await provision(store, "download@bench.example");
    const inbox = (await store.mailboxes.resolveFolder(mailbox.id, "inbox"))!;
    const sizes = [1024 * 1024, 25 * 1024 * 1024];
    const blobs = sizes.map((n) => randomBytes(n));
    const item = await store.items.create(mailbox.id, inbox.id, { subject: "bench", bodyText: "x", attachments: blobs.map((data, i) => ({ name: `a${i}.bin`, data })) });
    app = await createServer({ store });
    const outpost = await app.listen({ port: 0, host: "127.0.0.1" });
    bare.on("request", (req, res) => {
      const data = blobs[Number(req.url!.slice(1))]!;
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": data.byteLength });
      // Streamed in 256 KB writes, as Outpost streams its blobs.
      let off = 0;
      const pump = () => {
        while (off < data.byteLength) {
          const ok = res.write(data.subarray(off, off + 256 * 1024));
          off += 256 * 1024;
          if (!ok) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
    const barePort = (bare.address() as AddressInfo).port;
    const { token } = await store.tokens.issueCallbackToken({ userId: user.id, mailboxId: mailbox.id, addinId: "bench", tier: "ReadItem", mode: "read", kind: "rest", itemId: item.id });
    const auth = { authorization: `Bearer ${token}` };
    for (const [i, size] of sizes.entries()) {
      const rounds = size > 10 * 1024 * 1024 ? 6 : 60;
      const base = await throughput(`http://127.0.0.1:${barePort}/${i}`, {}, size, rounds);
      const ours = await throughput(`${outpost}/api/v2.0/me/messages/${item.id}/attachments/${item.attachments[i]!.id}/$value`, auth, size, rounds);
      console.log(`download ${size / 1024 / 1024} MB: outpost ${ours.toFixed(0)} MB/s, bare node:http ${base.toFixed(0)} MB/s, ratio ${(ours / base).toFixed(2)} (target ≥ 0.80)`);
    }

    // ---- 3. REST GET message latency, 50 concurrent clients ----
    const latencies: number[] = [];
    const url = `${outpost}/api/v2.0/me/messages/${item.id}`;
    for (let i = 0; i < 50; i++) await (await fetch(url, { headers: auth })).arrayBuffer();
    const total = 3000;
    let issued = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (issued < total) {
          issued++;
          const t = performance.now();
          const res = await fetch(url, { headers: auth });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`GET message: ${res.status}`);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
    console.log(`REST GET message, 50 concurrent clients (PGlite): p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, ${Math.round(total / elapsed)} req/s`);

    // ---- 2. import rate ----
    const messages = [...generateSeedMessages(IMPORT_COUNT, { to: { name: "Bench", address: "bench@bench.example" } }, { idPrefix: `bench-${randomBytes(3).toString("hex")}` })];
    await importRate(store, "PGlite (data dir)", messages);
    const schema = `outpost_bench_mailbox_${randomBytes(4).toString("hex")}`;
    let pgStore: MailboxStore | undefined;
    try {
      pgStore = await openMailboxStore({ databaseUrl: PG_URL, schema });
      await importRate(pgStore, "PostgreSQL", messages);
    } catch (err) {
      console.log(`import PostgreSQL: skipped (${(err as Error).message})`);
    } finally {
      await pgStore?.close();
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect().then(() => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  } finally {
    await app?.close();
    bare.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
