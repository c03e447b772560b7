/**
 * PostgreSQL with attachment bytes as files in a directory every app server mounts (`--blob-dir`, issue 14): the
 * upload cases, two servers sharing the directory, and the recorded storage choice that refuses a server started
 * with the other storage, with a folder that is not the shared one, or an embedded store given a blob directory.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { BlobStorageMismatch, openMailboxStore, type MailboxStore } from "../../src/mailbox/index.ts";
import { PG_URL, bytes, collect } from "./helpers.ts";
import { count, itemFor, pieces, uploadCases } from "./upload-cases.ts";
import { dropSchema } from "../helpers/postgres.ts";

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1));
}

describe("PostgreSQL, blobs in a shared directory: two app servers", () => {
  const schema = `outpost_test_blobdir_${randomBytes(4).toString("hex")}`;
  let dir: string;
  let a: MailboxStore;
  let b: MailboxStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "outpost-shared-blobs-"));
    // Both servers start at once on a fresh installation: one records the choice, both agree on it.
    [a, b] = await Promise.all([openMailboxStore({ databaseUrl: PG_URL, schema, blobDir: dir }), openMailboxStore({ databaseUrl: PG_URL, schema, blobDir: dir })]);
  });
  after(async () => {
    await a.close();
    await b.close();
    await dropSchema(schema);
    await rm(dir, { recursive: true, force: true });
  });

  uploadCases("uploads", async () => ({ store: a, close: async () => undefined }));

  test("the same bytes uploaded through both servers at once are one file; each server reads what the other wrote", async () => {
    const item = await itemFor(a, "two@t.example");
    const data = bytes(6 * 1024 * 1024 + 5, 13);
    const [x, y] = await Promise.all([a.items.addAttachmentStream(item.id, { name: "x" }, pieces(data)), b.items.addAttachmentStream(item.id, { name: "y" }, pieces(data, 7777))]);
    const hx = (await a.items.getAttachment(item.id, x.id))!;
    const hy = (await b.items.getAttachment(item.id, y.id))!;
    assert.equal(hx.blobHash, hy.blobHash);
    assert.equal(await count(a.db, "SELECT count(*) AS n FROM blobs WHERE hash = $1", [hx.blobHash]), 1);
    assert.equal(await count(a.db, "SELECT count(*) AS n FROM blob_chunks"), 0, "no bytes in the database");
    assert.equal((await filesUnder(dir)).filter((f) => f.endsWith(hx.blobHash!)).length, 1);
    assert.ok((await collect(b.items.openAttachment(hx))).data.equals(data));
    assert.ok((await collect(a.items.openAttachment(hy))).data.equals(data));
    // The copy the second upload received is removed once its item commits.
    for (let i = 0; i < 50 && (await filesUnder(dir)).some((f) => f.endsWith(".tmp")); i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual((await filesUnder(dir)).filter((f) => f.endsWith(".tmp")), []);
  });

  test("a server started without the directory, or with a folder that is not the shared one, is refused", async () => {
    await assert.rejects(openMailboxStore({ databaseUrl: PG_URL, schema }), (err: Error) => err instanceof BlobStorageMismatch && /--blob-dir/.test(err.message));
    const local = await mkdtemp(join(tmpdir(), "outpost-not-shared-"));
    try {
      await assert.rejects(openMailboxStore({ databaseUrl: PG_URL, schema, blobDir: local }), (err: Error) => err instanceof BlobStorageMismatch && /mounted/.test(err.message) && err.message.includes(local));
      assert.deepEqual(await readdir(local), [], "nothing written to the wrong folder");
    } finally {
      await rm(local, { recursive: true, force: true });
    }
  });

  test("the CLI says what to set, without a stack trace", async () => {
    const env = { DATABASE_URL: PG_URL, PGOPTIONS: `-c search_path=${schema}`, OUTPOST_BLOB_DIR: "" };
    const without = await cli(["serve", "--port", "0"], env);
    assert.equal(without.code, 1);
    assert.match(without.err, /keeps attachment bytes in a shared directory.*--blob-dir/);
    assert.doesNotMatch(without.err, /\n\s+at /);
    const embedded = await cli(["serve", "--port", "0", "--data", join(tmpdir(), `outpost-unused-${randomBytes(4).toString("hex")}`), "--blob-dir", dir], { DATABASE_URL: "" });
    assert.equal(embedded.code, 1);
    assert.match(embedded.err, /for PostgreSQL installations/);
  });
});

const CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", CLI, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, err: stderr });
    });
  });
}

describe("the recorded storage choice", () => {
  const schemas: string[] = [];
  const dirs: string[] = [];
  const fresh = () => {
    const s = `outpost_test_blobchoice_${randomBytes(4).toString("hex")}`;
    schemas.push(s);
    return s;
  };
  const folder = async () => {
    const d = await mkdtemp(join(tmpdir(), "outpost-blob-choice-"));
    dirs.push(d);
    return d;
  };
  after(async () => {
    for (const s of schemas) await dropSchema(s);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  test("an installation that keeps bytes in the database refuses a blob directory, and keeps working without one", async () => {
    const schema = fresh();
    const store = await openMailboxStore({ databaseUrl: PG_URL, schema });
    const item = await itemFor(store, "db@t.example");
    await store.items.addAttachment(item.id, { name: "a", data: bytes(1000, 1) });
    await store.close();
    const dir = await folder();
    await assert.rejects(openMailboxStore({ databaseUrl: PG_URL, schema, blobDir: dir }), (err: Error) => err instanceof BlobStorageMismatch && /without --blob-dir/.test(err.message));
    const again = await openMailboxStore({ databaseUrl: PG_URL, schema });
    await again.close();
  });

  test("a directory holding another installation's attachments is refused", async () => {
    const dir = await folder();
    const first = await openMailboxStore({ databaseUrl: PG_URL, schema: fresh(), blobDir: dir });
    await first.close();
    await assert.rejects(openMailboxStore({ databaseUrl: PG_URL, schema: fresh(), blobDir: dir }), (err: Error) => err instanceof BlobStorageMismatch && /another installation/.test(err.message));
    const unmarked = await folder();
    await writeFile(join(unmarked, "something-else.txt"), "x");
    await assert.rejects(openMailboxStore({ databaseUrl: PG_URL, schema: fresh(), blobDir: unmarked }), (err: Error) => err instanceof BlobStorageMismatch && /not this installation's/.test(err.message));
  });

  test("an embedded store given a blob directory is refused with the reason", async () => {
    await assert.rejects(openMailboxStore({ memory: true, blobDir: await folder() }), (err: Error) => err instanceof BlobStorageMismatch && /PostgreSQL/.test(err.message));
  });
});
