/** `outpost audit` on the Work requests add-in: the ReadItem manifest is exact, the vendor's ReadWriteMailbox twin over-privileged. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
const DIR = "examples/work-requests/addin";

async function audit(manifest: string): Promise<string> {
  const r = await run(process.execPath, ["--import", "tsx", "src/cli/main.ts", "audit", `${DIR}/${manifest}`, "--code", DIR], { cwd: new URL("../../", import.meta.url).pathname }).catch((e: { stdout: string }) => e);
  return r.stdout;
}

test("the ReadWriteMailbox manifest is flagged: the same code needs ReadItem", async () => {
  const out = await audit("manifest.readwritemailbox.xml");
  assert.match(out, /asks ReadWriteMailbox, needs ReadItem — OVER-PRIVILEGED by 2 levels/);
  assert.match(out, /item\.getAttachmentContentAsync/);
});

test("the ReadItem manifest asks exactly what its code needs", async () => {
  const out = await audit("manifest.xml");
  assert.match(out, /asks ReadItem, needs ReadItem/);
  assert.doesNotMatch(out, /OVER-PRIVILEGED/);
});

test("the modern path's Graph call is recognized: Mail.Read asked in code, needed by GET …/attachments/{id}/$value", async () => {
  // The Graph base is a setting (graph.microsoft.com, or Outpost when testing): the analysis writes it `{?}`, which
  // was taken for the start of a query string and the call for "not a Graph URL" (Mail.Read then counted as excess).
  const out = await audit("manifest.xml");
  assert.match(out, /Graph scopes: asks Mail\.Read, needs Mail\.Read — exact/);
});
