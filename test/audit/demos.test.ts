/**
 * The demo add-ins under examples/: audited with their own manifests each comes out exact; run headless with the
 * real runtime, what ran is a subset of what the static analysis found; every trace format the project writes is read.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { audit, readTrace } from "../../src/audit/index.ts";
import { createHost } from "../../src/testing/index.ts";
import { MESSAGE_EML } from "../runtime/fixtures.ts";

const DEMOS: { name: string; form: "read" | "compose"; manifests?: string[] }[] = [
  { name: "restricted", form: "read" },
  { name: "read-item", form: "read" },
  { name: "read-write-item", form: "compose" },
  { name: "read-write-mailbox", form: "read" },
  { name: "append-on-send", form: "compose" },
  { name: "shared-folder", form: "read" },
];

const host = await createHost();
after(() => host.close());
const message = await host.addItem({ eml: MESSAGE_EML });
const dir = mkdtempSync(join(tmpdir(), "outpost-audit-traces-"));

for (const demo of DEMOS) {
  test(`${demo.name}: exact with its manifest, and what ran (${demo.form}) is in what the code contains`, async () => {
    const item = demo.form === "compose" ? await host.addItem({ fields: { subject: "Draft", bodyText: "hello", isDraft: true, to: [{ name: "", address: "x@y.example" }] } }) : message;
    const addin = await host.loadAddin({ manifest: `examples/${demo.name}/manifest.xml` });
    const run = await addin.run(`examples/${demo.name}/index.html`, { item, form: demo.form, runtime: "js" });
    // The shape `outpost run --json` prints.
    const tracePath = join(dir, `${demo.name}.json`);
    writeFileSync(tracePath, JSON.stringify({ trace: run.trace.map((t) => ({ member: t.member, outcome: t.outcome, ...("code" in t ? { code: t.code, ms: t.ms } : { where: t.where }) })), governance: [] }));
    const report = await audit({ manifests: [`examples/${demo.name}/manifest.xml`], code: [`examples/${demo.name}`], traces: [tracePath] });
    assert.equal(report.verdict, "exact", report.findings[0].message);
    assert.deepEqual(report.findings.filter((f) => f.rule === "trace-not-in-code").map((f) => f.message), []);
    const dynamic = report.evidence.filter((e) => e.source === "dynamic");
    assert.equal(dynamic.length, run.trace.length);
    // What ran is in the code: the row itself, or a member under it (office.js on the page records reading
    // `item.body`, refused at Restricted, before `item.body.getAsync` could be called).
    const staticRows = [...new Set(report.evidence.filter((e) => e.source === "static").map((e) => e.member))];
    for (const d of dynamic) assert.ok(staticRows.some((m) => m === d.member || m.startsWith(`${d.member}.`)), `${d.member} ran but is not in the static evidence`);
  });
}

test("the read-item demo's XML and unified JSON manifests are compared: every difference is a finding", async () => {
  const r = await audit({ manifests: ["examples/read-item/manifest.xml", "examples/read-item/manifest.json"], code: ["examples/read-item"] });
  const diffs = r.findings.filter((f) => f.rule === "manifest-mismatch").map((f) => f.message);
  assert.equal(r.verdict, "exact");
  assert.ok(!diffs.some((d) => d.startsWith("The tier")), "both ask ReadItem");
  assert.ok(diffs.some((d) => d.includes("Extension point MessageReadCommandSurface")), diffs.join("\n"));
});

test("a tier, supplementary, extension-point and event difference between two manifests are all findings", async () => {
  const r = await audit({ manifests: ["examples/append-on-send/manifest.xml", "examples/shared-folder/manifest.xml"] });
  const diffs = r.findings.filter((f) => f.rule === "manifest-mismatch").map((f) => f.message);
  assert.ok(diffs.some((d) => d.startsWith("Supplementary permissions differ")), diffs.join("\n"));
  assert.ok(diffs.some((d) => d.includes("Extension point MessageComposeCommandSurface")), diffs.join("\n"));
  const t = await audit({ manifests: ["test/audit/fixtures/work-requests/manifest.xml", "test/audit/fixtures/work-requests/manifest.readwritemailbox.xml"] });
  assert.ok(t.findings.some((f) => f.rule === "manifest-mismatch" && f.message.startsWith("The tier differs") && f.message.includes("ReadWriteMailbox")));
});

test("trace formats: a server session's trace, outpost/testing's array, one entry per line; a broken line is a finding", async () => {
  const addin = await host.loadAddin({ manifest: "examples/read-item/manifest.xml" });
  const run = await addin.run("examples/read-item/index.html", { item: message, runtime: "js" });
  const session = join(dir, "session.json");
  writeFileSync(session, JSON.stringify({ session: "s1", addinId: "x", tier: "ReadItem", trace: run.trace }));
  const array = join(dir, "array.json");
  writeFileSync(array, JSON.stringify(run.trace));
  const lines = join(dir, "lines.ndjson");
  writeFileSync(lines, run.trace.map((t) => JSON.stringify(t)).join("\n") + "\n{not json\n");
  const findings: never[] = [];
  const a = await readTrace(session, findings);
  const b = await readTrace(array, findings);
  assert.deepEqual(a.map((c) => c.path), b.map((c) => c.path));
  assert.ok(a.some((c) => c.path === "Office.context.mailbox.item.body.getAsync"));
  assert.ok(a.some((c) => c.path === "Office.CustomProperties.saveAsync"));
  const f: { rule: string; message: string }[] = [];
  const c = await readTrace(lines, f as never[]);
  assert.equal(c.length, run.trace.length);
  assert.ok(f.some((x) => x.rule === "unreadable-input" && x.message.includes(`:${run.trace.length + 1}: not JSON`)));
});

test("a denied call in a trace is evidence: the code needs it, and the verdict says what Outlook answers", async () => {
  const trace = join(dir, "denied.json");
  writeFileSync(trace, JSON.stringify({ trace: [{ member: "item.body.getAsync", outcome: "denied", code: 7000, ms: 0.1 }], governance: [] }));
  const r = await audit({ manifests: ["examples/restricted/manifest.xml"], traces: [trace] });
  assert.equal(r.verdict, "under-privileged");
  assert.equal(r.failure?.code, 7000);
  assert.equal(r.evidence[0].trace?.outcome, "denied");
});
