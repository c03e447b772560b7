/**
 * `outpost store publish --code` audits the submission; `store list` and `admin deployments` show the verdict
 * (processes on the embedded store).
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openMailboxStore } from "../../src/mailbox/index.ts";
import { FIXTURES } from "./helpers.ts";

const WR = `${FIXTURES}/work-requests`;
const WR_ID = "7e3c9a10-0000-4000-8000-000000000011";

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { env: { ...process.env, DATABASE_URL: "" } }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === "number" ? code : 1, out: stdout, err: stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "outpost-audit-store-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("store publish --code: the verdict with its evidence; store list, admin deployments and addin list show it", async () => {
  const data = join(dir, "data");
  const s = await openMailboxStore({ dataDir: data });
  const t = await s.directory.createTenant({ id: "contoso", name: "Contoso" });
  await s.provisionUser({ tenantId: t.id, email: "alice@contoso.example", displayName: "Alice", isAdmin: true });
  await s.close();
  const d = ["--data", data];
  const pub = await cli(["store", "publisher", "Contoso Labs", "--privacy-url", "https://c.example/p", "--support-url", "https://c.example/s", "--accept-agreement", "--verified", ...d]);
  assert.equal(pub.code, 0, pub.err);

  const published = await cli(["store", "publish", `${WR}/manifest.readwritemailbox.xml`, "--publisher", "Contoso Labs", "--code", `${WR}/src`, ...d]);
  assert.equal(published.code, 0, published.err);
  assert.match(published.out, /audit: asks ReadWriteMailbox, the code needs ReadItem — over-privileged by 2 levels/);
  assert.match(published.out, /code: 2 files, [\d.]+ KB, sha256 [0-9a-f]{64}/);
  assert.match(published.out, /ReadItem {9}item\.\S+ {2}taskpane\.(js|html):\d+:\d+/);

  const list = await cli(["store", "list", ...d]);
  assert.equal(list.code, 0, list.err);
  assert.match(list.out, new RegExp(`${WR_ID} .*ReadWriteMailbox.*\\n {4}audit: asks ReadWriteMailbox, the code needs ReadItem — over-privileged by 2 levels`));
  const json = await cli(["store", "list", "--json", ...d]);
  assert.equal(JSON.parse(json.out).value[0].audit.verdict, "over-privileged");

  assert.equal((await cli(["addin", "install", WR_ID, "--user", "alice@contoso.example", "--accept-consent", ...d])).code, 0);
  const mine = await cli(["addin", "list", "--user", "alice@contoso.example", ...d]);
  assert.equal(mine.code, 0, mine.err);
  assert.match(mine.out, /audit: asks ReadWriteMailbox, the code needs ReadItem — over-privileged by 2 levels/);
  assert.equal((await cli(["admin", "deploy", WR_ID, "--to", "everyone", ...d])).code, 0);
  const deps = await cli(["admin", "deployments", ...d]);
  assert.equal(deps.code, 0, deps.err);
  assert.match(deps.out, /audit: asks ReadWriteMailbox, the code needs ReadItem — over-privileged by 2 levels/);

  const missing = await cli(["store", "publish", `${WR}/manifest.xml`, "--publisher", "Contoso Labs", "--code", join(dir, "nope"), ...d]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /nope: no such file or folder/);
});
