/**
 * Mailbox benchmarks, on PGlite (blobs on disk), PostgreSQL with blobs in the database and PostgreSQL with blobs in
 * a shared directory (`--blob-dir`):
 *  1. attachment download over loopback (1 MB, 25 MB) from Outpost's REST $value vs a bare node:http server
 *     streaming the same bytes from memory, in the same run (target ≥ 0.8 of its throughput): once a blob has been
 *     read (the in-memory blob cache) and cold (a second store with the cache off: every byte from storage);
 *  2. import rate of 10,000 seeded messages on PGlite (data dir) and on PostgreSQL;
 *  3. REST GET message latency p50/p99 under 50 concurrent clients: the clients in this process (the old method, kept
 *     for comparison) and in a separate process (bench/load-client.ts), so the server's event loop does only
 *     the server's work;
 *  4. attachment upload (REST POST attachments, JSON with base64 ContentBytes, 1 MB and 25 MB, different bytes
 *     every time) against a bare node:http server receiving the same bytes, the client in this process and in
 *     another one (bench/upload-client.ts);
 *  5. the server's peak memory (a fresh server in a process of its own) while it receives 25 MB uploads and while 10
 *     clients download one of them at once.
 */
import { execFile, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { createServer as createHttpServer } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { generateSeedMessages, importMessages, openMailboxStore, type MailboxStore } from "../src/mailbox/index.ts";
import { createServer } from "../src/server/app.ts";
import { uploadBodies } from "./upload-body.ts";

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

/**
 * Throughput of `url` against the bare server, interleaved download by download (bare, ours, ours, bare, …), so both
 * see the same machine: a garbage collection or a busy moment lands on either side alike. Each of `trials` trials
 * is `rounds` downloads of each; the ratio reported is the median of the per-trial ratios of total time.
 */
async function compareThroughput(bareUrl: string, url: string, headers: Record<string, string>, size: number, rounds: number, trials = 9) {
  const timedOne = async (u: string, h: Record<string, string>) => {
    const t = performance.now();
    if ((await download(u, h)) !== size) throw new Error(`short download from ${u}`);
    return performance.now() - t;
  };
  // Warm-up as long as half a trial: the first figure of the run would otherwise include compiling the request path.
  for (let i = 0; i < Math.max(3, rounds >> 1); i++) (await download(bareUrl, {}), await download(url, headers));
  const pairs: Array<{ bare: number; ours: number; ratio: number }> = [];
  for (let t = 0; t < trials; t++) {
    let bareMs = 0;
    let oursMs = 0;
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) (bareMs += await timedOne(bareUrl, {}), (oursMs += await timedOne(url, headers)));
      else (oursMs += await timedOne(url, headers), (bareMs += await timedOne(bareUrl, {})));
    }
    const mbps = (ms: number) => (size * rounds) / 1024 / 1024 / (ms / 1000);
    pairs.push({ bare: mbps(bareMs), ours: mbps(oursMs), ratio: bareMs / oursMs });
  }
  const median = (f: (p: (typeof pairs)[number]) => number) => pairs.map(f).sort((a, b) => a - b)[pairs.length >> 1]!;
  return { bare: median((p) => p.bare), ours: median((p) => p.ours), ratio: median((p) => p.ratio), min: Math.min(...pairs.map((p) => p.ratio)), max: Math.max(...pairs.map((p) => p.ratio)) };
}

/** REST GET message under `clients` concurrent clients: p50/p99 latency and throughput. */
async function getMessageLatency(label: string, url: string, auth: Record<string, string>, clients = 50, total = 3000): Promise<void> {
  for (let i = 0; i < 50; i++) await (await fetch(url, { headers: auth })).arrayBuffer();
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
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
  console.log(`REST GET message, ${clients} concurrent clients (${label}): p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, ${Math.round(total / elapsed)} req/s`);
}

/**
 * The same measurement with the clients in another process, beside the same clients against a bare node:http server
 * answering the same JSON from memory: the machine's own floor for the figure, in the same run.
 */
async function getMessageLatencyOutOfProcess(label: string, url: string, bareUrl: string, auth: Record<string, string>, clients = 50, total = 5000): Promise<void> {
  const client = fileURLToPath(new URL("./load-client.ts", import.meta.url));
  const load = async (u: string) => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", client, u, String(clients), String(total), auth.authorization!], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split("\n").pop()!) as { p50: number; p99: number; max: number; rps: number };
  };
  const r = await load(url);
  const bare = await load(bareUrl);
  console.log(
    `REST GET message, ${clients} concurrent clients in another process (${label}): p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (target ≤ ${label.startsWith("PostgreSQL") ? 50 : 100} ms), max ${r.max.toFixed(0)} ms, ${Math.round(r.rps)} req/s; bare node:http answering the same JSON: p50 ${bare.p50.toFixed(1)} ms, p99 ${bare.p99.toFixed(1)} ms, ${Math.round(bare.rps)} req/s`,
  );
}

/** Upload throughput (MB of attachment per second) against a bare server that receives the same request bodies; interleaved trials. */
async function compareUpload(bareUrl: string, url: string, headers: Record<string, string>, size: number, rounds: number, trials = 5) {
  const nextBody = uploadBodies(size);
  const send = async (u: string, h: Record<string, string>) => {
    const res = await fetch(u, { method: "POST", headers: { ...h, "content-type": "application/json" }, body: nextBody() });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`upload to ${u}: ${res.status}`);
  };
  const timed = async (u: string, h: Record<string, string>) => {
    const t = performance.now();
    for (let i = 0; i < rounds; i++) await send(u, h);
    return (size * rounds) / 1024 / 1024 / ((performance.now() - t) / 1000);
  };
  for (let i = 0; i < 2; i++) (await send(bareUrl, {}), await send(url, headers));
  const pairs: Array<{ bare: number; ours: number; ratio: number }> = [];
  for (let t = 0; t < trials; t++) {
    const bare = await timed(bareUrl, {});
    const ours = await timed(url, headers);
    pairs.push({ bare, ours, ratio: ours / bare });
  }
  const median = (f: (p: (typeof pairs)[number]) => number) => pairs.map(f).sort((a, b) => a - b)[pairs.length >> 1]!;
  return { bare: median((p) => p.bare), ours: median((p) => p.ours), ratio: median((p) => p.ratio), min: Math.min(...pairs.map((p) => p.ratio)), max: Math.max(...pairs.map((p) => p.ratio)) };
}

/** The same comparison with the uploads sent from another process (bench/upload-client.ts). */
async function compareUploadOutOfProcess(bareUrl: string, url: string, headers: Record<string, string>, size: number, rounds: number, trials = 5) {
  const client = fileURLToPath(new URL("./upload-client.ts", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", client, bareUrl, url, headers.authorization!, String(size), String(rounds), String(trials)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").pop()!) as { bare: number; ours: number; ratio: number; min: number; max: number };
}

/**
 * The server's memory while it receives 25 MB uploads, then while 10 clients download one of them at once: a fresh
 * Outpost in a process of its own (bench/upload-server.ts), the clients in this one. The body arrives as 33 MB of JSON; a server that kept it
 * whole would grow by that much at least (three times over when it also holds the text and the parsed string).
 */
async function serverMemory(label: string, at: { where: string; schema?: string; blobDir?: string }, size: number, count = 3): Promise<void> {
  const script = fileURLToPath(new URL("./upload-server.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, at.where, at.schema ?? "", at.blobDir ?? ""], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(((await lines.next()).value as string | undefined) ?? "null") as Record<string, unknown> | null;
  try {
    const server = (await next()) as { url: string; auth: string };
    const body = JSON.stringify({ "@odata.type": "#Microsoft.OutlookServices.FileAttachment", Name: "mem.bin", ContentBytes: randomBytes(size).toString("base64") });
    const t = performance.now();
    let attachmentId = "";
    for (let i = 0; i < count; i++) {
      const res = await fetch(server.url, { method: "POST", headers: { authorization: server.auth, "content-type": "application/json" }, body });
      attachmentId = ((await res.json()) as { Id: string }).Id;
      if (res.status !== 201) throw new Error(`upload: ${res.status}`);
    }
    const ms = (performance.now() - t) / count;
    child.stdin!.write("peak\n");
    const r = (await next()) as { peakMb: number; baseMb: number };
    console.log(
      `${count} × ${size / 1024 / 1024} MB uploads to a fresh server process (${label}): its peak RSS ${r.peakMb.toFixed(0)} MB above the ${r.baseMb.toFixed(0)} MB it started with (each body ${((Math.ceil(size / 3) * 4) / 1048576).toFixed(0)} MB of JSON), ${ms.toFixed(0)} ms per upload`,
    );
    // The same server, 10 clients downloading the attachment just stored at once (none of it in the blob cache yet).
    const valueUrl = `${server.url}/${attachmentId}/$value`;
    const started = performance.now();
    const got = await Promise.all(Array.from({ length: 10 }, () => download(valueUrl, { authorization: server.auth })));
    const s = (performance.now() - started) / 1000;
    if (got.some((n) => n !== size)) throw new Error("short parallel download");
    child.stdin!.write("peak\n");
    const d = (await next()) as { peakMb: number; baseMb: number };
    console.log(
      `10 parallel ${size / 1024 / 1024} MB downloads from that server (${label}, first read: from storage): its peak RSS ${d.peakMb.toFixed(0)} MB above the ${d.baseMb.toFixed(0)} MB before (${((10 * size) / 1048576).toFixed(0)} MB moved, ${((10 * size) / 1048576 / s).toFixed(0)} MB/s in all)`,
    );
  } finally {
    child.stdin!.end();
    await new Promise((r) => child.once("exit", r));
  }
}

/** A mailbox with one message carrying the given attachments, served by a fresh Outpost server; a ReadItem REST token for it. */
async function serveFixture(store: MailboxStore, blobs: Buffer[]) {
  const { user, mailbox } = await provision(store, "download@bench.example");
  const inbox = (await store.mailboxes.resolveFolder(mailbox.id, "inbox"))!;
  const item = await store.items.create(mailbox.id, inbox.id, {
    subject: "bench",
    bodyText: "x",
    to: [{ name: "Bench", address: "download@bench.example" }],
    attachments: blobs.map((data, i) => ({ name: `a${i}.bin`, data })),
  });
  const app = await createServer({ store });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  const { token } = await store.tokens.issueCallbackToken({ userId: user.id, mailboxId: mailbox.id, addinId: "bench", tier: "ReadItem", mode: "read", kind: "rest", itemId: item.id });
  const draft = await store.items.create(mailbox.id, (await store.mailboxes.resolveFolder(mailbox.id, "drafts"))!.id, { subject: "upload", bodyText: "x", isDraft: true });
  const { token: writeToken } = await store.tokens.issueCallbackToken({ userId: user.id, mailboxId: mailbox.id, addinId: "bench", tier: "ReadWriteMailbox", mode: "compose", kind: "rest", itemId: draft.id });
  // Callback tokens live 5 minutes: each measurement takes a fresh one (a slow, loaded machine outlives one).
  const freshAuth = async (tier: "ReadItem" | "ReadWriteMailbox" = "ReadItem") => {
    const t = await store.tokens.issueCallbackToken({ userId: user.id, mailboxId: mailbox.id, addinId: "bench", tier, mode: tier === "ReadItem" ? "read" : "compose", kind: "rest", itemId: tier === "ReadItem" ? item.id : draft.id });
    return { authorization: `Bearer ${t.token}` };
  };
  return { app, freshAuth, auth: { authorization: `Bearer ${token}` }, writeAuth: { authorization: `Bearer ${writeToken}` }, uploadUrl: `${base}/api/v2.0/me/messages/${draft.id}/attachments`, messageUrl: `${base}/api/v2.0/me/messages/${item.id}`, valueUrl: (i: number) => `${base}/api/v2.0/me/messages/${item.id}/attachments/${item.attachments[i]!.id}/$value` };
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
  // The same storage without the in-memory cache of recently read blobs: every download reads the database or the file.
  const coldStore = await openMailboxStore({ dataDir: join(dir, "data-cold"), blobCacheBytes: 0 });
  const sizes = [1024 * 1024, 25 * 1024 * 1024];
  const blobs = sizes.map((n) => randomBytes(n));
  let messageJson = Buffer.alloc(0);
  const bare = createHttpServer((req, res) => {
    if (req.method === "POST") {
      // Receives the request body and drops it: the floor for an upload.
      req.on("data", () => undefined);
      req.on("end", () => res.writeHead(201, { "content-type": "application/json" }).end("{}"));
      return;
    }
    if (req.url === "/message") return void res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(messageJson);
    const data = blobs[Number(req.url!.slice(1))]!;
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": data.byteLength });
    // Streamed in 256 KB writes from memory.
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
  const schema = `outpost_bench_mailbox_${randomBytes(4).toString("hex")}`;
  let pgStore: MailboxStore | undefined;
  let pgColdStore: MailboxStore | undefined;
  let pgDirStore: MailboxStore | undefined;
  let pgDirColdStore: MailboxStore | undefined;
  const apps: Array<{ close(): Promise<unknown> }> = [];
  try {
    await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
    const bareUrl = (i: number | "message") => `http://127.0.0.1:${(bare.address() as AddressInfo).port}/${i}`;
    try {
      pgStore = await openMailboxStore({ databaseUrl: PG_URL, schema });
      pgColdStore = await openMailboxStore({ databaseUrl: PG_URL, schema: `${schema}_cold`, blobCacheBytes: 0 });
      pgDirStore = await openMailboxStore({ databaseUrl: PG_URL, schema: `${schema}_dir`, blobDir: join(dir, "shared-blobs") });
      pgDirColdStore = await openMailboxStore({ databaseUrl: PG_URL, schema: `${schema}_dircold`, blobDir: join(dir, "shared-blobs-cold"), blobCacheBytes: 0 });
    } catch (err) {
      console.log(`PostgreSQL: skipped (${(err as Error).message})`);
    }
    type Backend = [label: string, store: MailboxStore, cold: MailboxStore, memory: { where: string; schema?: string; blobDir?: string }];
    const backends: Backend[] = [
      ["PGlite, blobs on disk", store, coldStore, { where: join(dir, "data-upload") }],
      ...(pgStore && pgColdStore ? [["PostgreSQL, blobs in the database", pgStore, pgColdStore, { where: PG_URL, schema: `${schema}_upload` }] as Backend] : []),
      ...(pgDirStore && pgDirColdStore ? [["PostgreSQL, blobs in a shared directory", pgDirStore, pgDirColdStore, { where: PG_URL, schema: `${schema}_dirupload`, blobDir: join(dir, "shared-blobs-upload") }] as Backend] : []),
    ];

    for (const [label, s, cold, memory] of backends) {
      const f = await serveFixture(s, blobs);
      apps.push(f.app);
      const c = await serveFixture(cold, blobs);
      apps.push(c.app);
      // ---- 1. attachment download (median of 9 interleaved trials), from the blob cache and from storage ----
      for (const [i, size] of sizes.entries()) {
        for (const [fixture, how] of [[f, "recently read: blob cache"], [c, "cold: no blob cache"]] as const) {
          const r = await compareThroughput(bareUrl(i), fixture.valueUrl(i), await fixture.freshAuth(), size, size > 10 * 1024 * 1024 ? 10 : 100);
          console.log(
            `download ${size / 1024 / 1024} MB (${label}, ${how}): outpost ${r.ours.toFixed(0)} MB/s, bare node:http ${r.bare.toFixed(0)} MB/s, ratio ${r.ratio.toFixed(2)} (trials ${r.min.toFixed(2)}–${r.max.toFixed(2)}; target ≥ 0.80)`,
          );
        }
      }
      // ---- 4. upload (REST JSON + base64) ----
      for (const [i, size] of sizes.entries()) {
        const rounds = size > 10 * 1024 * 1024 ? 1 : 10;
        const r = await compareUpload(bareUrl(i), f.uploadUrl, await f.freshAuth("ReadWriteMailbox"), size, rounds);
        console.log(
          `upload ${size / 1024 / 1024} MB, REST JSON/base64 (${label}): outpost ${r.ours.toFixed(0)} MB/s, bare node:http receiving the same bytes ${r.bare.toFixed(0)} MB/s, ratio ${r.ratio.toFixed(2)} (trials ${r.min.toFixed(2)}–${r.max.toFixed(2)}; target ≥ 0.80)`,
        );
        const o = await compareUploadOutOfProcess(bareUrl(i), f.uploadUrl, await f.freshAuth("ReadWriteMailbox"), size, rounds);
        console.log(
          `upload ${size / 1024 / 1024} MB, REST JSON/base64, client in another process (${label}): outpost ${o.ours.toFixed(0)} MB/s, bare ${o.bare.toFixed(0)} MB/s, ratio ${o.ratio.toFixed(2)} (trials ${o.min.toFixed(2)}–${o.max.toFixed(2)})`,
        );
      }
      // ---- 4 and 5. a fresh server: memory during uploads and during 10 parallel downloads ----
      await serverMemory(label, memory, sizes[1]!);
      // ---- 3. REST GET message latency, 50 concurrent clients ----
      await getMessageLatency(label, f.messageUrl, await f.freshAuth());
      const auth = await f.freshAuth();
      messageJson = Buffer.from(await (await fetch(f.messageUrl, { headers: auth })).arrayBuffer());
      await getMessageLatencyOutOfProcess(label, f.messageUrl, bareUrl("message"), auth);
    }

    // ---- 2. import rate ----
    if (process.env.OUTPOST_BENCH_SKIP_IMPORT) return;
    const messages = [...generateSeedMessages(IMPORT_COUNT, { to: { name: "Bench", address: "bench@bench.example" } }, { idPrefix: `bench-${randomBytes(3).toString("hex")}` })];
    await importRate(store, "PGlite (data dir)", messages);
    if (pgStore) await importRate(pgStore, "PostgreSQL", messages);
  } finally {
    for (const app of apps) await app.close();
    bare.close();
    await pgStore?.close();
    await pgColdStore?.close();
    await pgDirStore?.close();
    await pgDirColdStore?.close();
    if (pgStore) {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect().then(() => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_cold CASCADE; DROP SCHEMA IF EXISTS ${schema}_upload CASCADE; DROP SCHEMA IF EXISTS ${schema}_dir CASCADE; DROP SCHEMA IF EXISTS ${schema}_dircold CASCADE; DROP SCHEMA IF EXISTS ${schema}_dirupload CASCADE`)).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
    await store.close();
    await coldStore.close();
    await rm(dir, { recursive: true, force: true });
  }
}
