/** `outpost addin|admin|store` end to end as processes, on the embedded store (--data) and on PostgreSQL (DATABASE_URL). */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { dropSchema, PG_URL } from "../helpers/postgres.ts";
import { openMailboxStore, type MailboxStore } from "../../src/mailbox/index.ts";

const CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const RWI = fileURLToPath(new URL("../../examples/read-write-item/manifest.xml", import.meta.url));
const RWM = fileURLToPath(new URL("../../examples/read-write-mailbox/manifest.xml", import.meta.url));
const RWI_ID = "0a6b3c1e-5d2f-4e8a-9b1c-7f3e2d1a0003";
const RWM_ID = "0a6b3c1e-5d2f-4e8a-9b1c-7f3e2d1a0004";

interface Run {
  code: number;
  out: string;
  err: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", CLI, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === "number" ? code : 1, out: stdout, err: stderr, json: () => JSON.parse(stdout.trim().split("\n").pop()!) });
    });
  });
}

async function world(store: MailboxStore) {
  const t = await store.directory.createTenant({ id: "contoso", name: "Contoso" });
  await store.provisionUser({ tenantId: t.id, email: "alice@contoso.example", displayName: "Alice", isAdmin: true });
  await store.provisionUser({ tenantId: t.id, email: "bob@contoso.example", displayName: "Bob" });
}

const dir = mkdtempSync(join(tmpdir(), "outpost-lifecycle-cli-"));
const schema = `outpost_test_lccli_${randomBytes(4).toString("hex")}`;
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropSchema(schema);
});

test("embedded store (--data): consent refused without --accept-consent, install, list, policy with a stale version, log", async () => {
  const data = join(dir, "data");
  const s = await openMailboxStore({ dataDir: data });
  await world(s);
  await s.close();
  const env = { DATABASE_URL: "" };
  const d = ["--data", data];
  const refused = await cli(["addin", "install", RWI, "--user", "bob@contoso.example", ...d], env);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /It may:[\s\S]*re-run with --accept-consent/);
  const ok = await cli(["addin", "install", RWI, "--user", "bob@contoso.example", "--accept-consent", "--json", ...d], env);
  assert.equal(ok.code, 0, ok.err);
  assert.deepEqual([ok.json().changed, ok.json().addin.tier, ok.json().addin.consent.tier], [true, "ReadWriteItem", "ReadWriteItem"]);
  const stale = await cli(["admin", "policy", "set", "blockUserInstalls=on", "--expect-version", "7", "--json", ...d], env);
  assert.equal(stale.code, 1);
  assert.equal(stale.json().error.code, "version-conflict");
  const log = await cli(["admin", "log", "--json", ...d], env);
  assert.equal(log.code, 0, log.err);
  assert.deepEqual(log.json().value.map((e: { action: string }) => e.action), ["addin.install", "addin.consent"]);
});

test("PostgreSQL (DATABASE_URL): publish, store install, deploy to a group and a user, policy, remove, log", async () => {
  const s = await openMailboxStore({ databaseUrl: PG_URL, schema });
  await world(s);
  await s.close();
  const env = { DATABASE_URL: PG_URL, PGOPTIONS: `-c search_path=${schema}` };
  const run = (...args: string[]) => cli([...args, "--json"], env);
  assert.equal((await run("store", "publisher", "Fabrikam", "--privacy-url", "https://f.example/p", "--support-url", "https://f.example/s", "--accept-agreement", "--verified")).code, 0);
  const pub = await run("store", "publish", RWI, "--publisher", "Fabrikam");
  assert.equal(pub.code, 0, pub.err);
  assert.equal(pub.json().addinId, RWI_ID);
  const http = await run("addin", "install", "http://example.com/manifest.xml", "--user", "bob@contoso.example", "--accept-consent");
  assert.equal(http.code, 1);
  assert.equal(http.json().error.code, "not-https");
  const inst = await run("addin", "install", RWI_ID, "--user", "bob@contoso.example", "--accept-consent");
  assert.equal(inst.code, 0, inst.err);
  assert.equal(inst.json().addin.source, "store");
  assert.equal((await run("admin", "group", "sales", "alice@contoso.example")).code, 0);
  const dep = await run("admin", "deploy", RWM, "--to", "group:sales", "--to", "user:bob@contoso.example", "--mandatory");
  assert.equal(dep.code, 0, dep.err);
  assert.deepEqual(dep.json().targets, [{ kind: "group", name: "sales" }, { kind: "user", address: "bob@contoso.example" }]);
  const list = await run("addin", "list", "--user", "bob@contoso.example");
  assert.deepEqual(list.json().value.map((a: { id: string; source: string; enabled: boolean }) => [a.id, a.source, a.enabled]), [[RWM_ID, "admin", true], [RWI_ID, "store", true]]);
  const pol = await run("admin", "policy", "set", "userInstallMaxTier=ReadItem", "oce.windows=off", "threshold.MemoryAlertThreshold=700");
  assert.equal(pol.code, 0, pol.err);
  assert.deepEqual([pol.json().userInstallMaxTier, pol.json().optionalConnectedExperiences.windows, pol.json().thresholds.MemoryAlertThreshold], ["ReadItem", false, 700]);
  assert.equal((await run("addin", "remove", RWI_ID, "--user", "bob@contoso.example")).code, 0);
  assert.equal((await run("addin", "remove", RWM_ID, "--user", "bob@contoso.example")).json().error.code, "admin-deployed");
  const log = await run("admin", "log", "--limit", "3");
  assert.deepEqual(log.json().value.map((e: { action: string }) => e.action), ["addin.remove", "policy.update", "deployment.create"]);
});
