/**
 * The fixture add-ins under test/audit/fixtures, one per pattern the auditor must follow: each comes out with the
 * expected verdict, and every `// expect:` line of its code is evidence with that tier and member.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { audit, type AuditReport } from "../../src/audit/index.ts";
import { evidenceFor, FIXTURES, markers } from "./helpers.ts";

const CASES: { name: string; manifest?: string; tier: string; verdict: AuditReport["verdict"]; levels?: number }[] = [
  { name: "aliases", tier: "ReadWriteItem", verdict: "exact" },
  { name: "destructuring", tier: "ReadWriteItem", verdict: "exact" },
  { name: "promises", tier: "ReadWriteItem", verdict: "exact" },
  { name: "rest", tier: "ReadWriteMailbox", verdict: "exact" },
  { name: "ews", tier: "ReadWriteMailbox", verdict: "exact" },
  { name: "supplementary", tier: "ReadWriteItem", verdict: "exact" },
  { name: "regex-rule", tier: "ReadItem", verdict: "under-privileged", levels: -1 },
  { name: "bundle-webpack", tier: "ReadWriteItem", verdict: "exact" },
  { name: "bundle-minified", tier: "ReadItem", verdict: "exact" },
  { name: "inline-html", tier: "ReadWriteMailbox", verdict: "exact" },
  { name: "work-requests", tier: "ReadItem", verdict: "exact" },
  { name: "work-requests", manifest: "manifest.readwritemailbox.xml", tier: "ReadItem", verdict: "over-privileged", levels: 2 },
];

const reports = new Map<string, AuditReport>();
async function run(name: string, manifest = "manifest.xml"): Promise<AuditReport> {
  const key = `${name}/${manifest}`;
  if (!reports.has(key)) reports.set(key, await audit({ manifests: [`${FIXTURES}/${name}/${manifest}`], code: [`${FIXTURES}/${name}`] }));
  return reports.get(key)!;
}

for (const c of CASES) {
  test(`${c.name}${c.manifest ? ` (${c.manifest})` : ""}: needs ${c.tier}, ${c.verdict}, with the evidence lines`, async () => {
    const r = await run(c.name, c.manifest);
    assert.equal(r.needed.tier, c.tier);
    assert.equal(r.verdict, c.verdict);
    if (c.levels !== undefined) assert.equal(r.levels, c.levels);
    const { expects, unresolved } = markers(`${FIXTURES}/${c.name}`);
    assert.ok(expects.length > 0 || c.name === "bundle-minified");
    for (const m of expects) assert.ok(evidenceFor(r, m), `no ${m.tier} ${m.what} at ${m.file}:${m.line}; got ${JSON.stringify(r.evidence.filter((e) => e.location?.file === m.file && e.location.line === m.line).map((e) => [e.tier, e.member]))}`);
    for (const u of unresolved) assert.ok(r.findings.some((f) => f.rule === "unresolved-member" && f.location?.file === u.file && f.location.line === u.line), `no unresolved-member at ${u.file}:${u.line}`);
    // No unknown members: what the fixtures use is all in the table.
    assert.deepEqual(r.findings.filter((f) => f.rule === "unknown-member").map((f) => f.message), []);
  });
}

test("every static evidence line carries file:line:column and the source line", async () => {
  const r = await run("aliases");
  for (const e of r.evidence) {
    assert.ok(e.location && e.location.line > 0 && e.location.column > 0 && e.location.text, JSON.stringify(e));
  }
  const subject = r.evidence.find((e) => e.member.endsWith("item.subject"))!;
  assert.equal(subject.location!.text, "return this.item.subject; // expect: ReadItem item.subject");
  assert.equal(subject.location!.column, 12);
});

test("minified bundle: the members used through one-letter aliases and a promise wrapper, at their columns", async () => {
  const r = await run("bundle-minified");
  const got = r.evidence.map((e) => [e.member.replace("Office.context.mailbox.", ""), e.location!.line, e.location!.column]);
  assert.deepEqual(got, [
    ["item.body.getAsync", 1, 84],
    ["item.notificationMessages.replaceAsync", 1, 198],
    ["userProfile.emailAddress", 1, 338],
    ["userProfile.emailAddress", 1, 427],
  ]);
});

test("inline <script>s are located in their HTML page", async () => {
  const r = await run("inline-html");
  const e = r.evidence.find((x) => x.member.endsWith("getSelectedItemsAsync"))!;
  assert.equal(e.location!.file, `${FIXTURES}/inline-html/taskpane.html`);
  assert.deepEqual([e.location!.line, e.location!.column], [14, 9]);
  const send = r.evidence.find((x) => x.member.endsWith("item.sendAsync"))!;
  assert.equal(send.location!.line, 21);
  assert.equal(send.location!.column, 48, "first-line column is offset by the <script> tag");
});

test("REST: a read of the current item needs ReadItem; a write and another folder need ReadWriteMailbox", async () => {
  const r = await run("rest");
  const rest = r.evidence.filter((e) => e.kind === "rest").map((e) => [e.touched, e.tier]);
  assert.deepEqual(rest, [
    ["GET {restUrl}/v2.0/me/messages/{itemId}/attachments", "ReadItem"],
    ["PATCH {restUrl}/v2.0/me/messages/{itemId}", "ReadWriteMailbox"],
    ["GET {restUrl}/v2.0/me/mailfolders/inbox/messages?$top=10", "ReadWriteMailbox"],
  ]);
  assert.ok(r.findings.some((f) => f.rule === "rest-call" && f.message.includes("with the callback token")));
});

test("EWS: operations read from SOAP bodies in template and string literals; a body built elsewhere is reported", async () => {
  const r = await run("ews");
  const ops = r.findings.filter((f) => f.rule === "ews-operation").map((f) => f.message.match(/EWS (\w+)/)![1]).sort();
  assert.deepEqual(ops, ["GetItem", "SendItem"]);
  assert.ok(r.findings.some((f) => f.rule === "unresolved-member" && f.message.includes("SOAP body is built at run time")));
});

test("legacy tokens: each use is flagged with the error it gets where they are off, and the modern alternative", async () => {
  const r = await run("work-requests");
  const legacy = r.findings.filter((f) => f.rule === "legacy-token");
  assert.ok(legacy.some((f) => f.message.startsWith("getUserIdentityTokenAsync") && f.message.includes("9042") && f.message.includes("nested app authentication")));
  assert.ok(legacy.some((f) => f.message.startsWith("getCallbackTokenAsync") && f.message.includes("getAttachmentContentAsync")));
});

test("supplementary permissions: used but not declared (9047), declared but unused", async () => {
  const missing = await run("supplementary");
  const f = missing.findings.find((x) => x.rule === "supplementary-missing")!;
  assert.match(f.message, /AppendOnSend.*9047/);
  assert.equal(f.location?.line, 4);
  const declared = await run("supplementary", "manifest.declared.xml");
  assert.equal(declared.findings.filter((x) => x.rule === "supplementary-missing").length, 0);
  assert.deepEqual(declared.findings.filter((x) => x.rule === "supplementary-unused").map((x) => x.message.match(/the (\w+) supplementary/)![1]), ["SharedFolder"]);
});

test("a regular-expression activation rule needs ReadItem: Restricted is under-privileged, with Outlook's error", async () => {
  const r = await run("regex-rule");
  const rule = r.evidence.find((e) => e.source === "manifest")!;
  assert.equal(rule.tier, "ReadItem");
  assert.equal(rule.member, "Office.context.mailbox.item.getRegExMatches");
  assert.equal(r.failure?.code, 7000);
  assert.match(r.findings[0].message, /under-privileged by 1 level/);
});

test("the work-requests integration: ReadWriteMailbox asked, ReadItem needed — over-privileged by two levels, with evidence", async () => {
  const r = await run("work-requests", "manifest.readwritemailbox.xml");
  const head = r.findings[0];
  assert.equal(head.rule, "over-privileged");
  assert.match(head.message, /asks ReadWriteMailbox; the code needs ReadItem .*taskpane\.js:\d+:\d+.*over-privileged by 2 levels/);
  assert.ok(!r.evidence.some((e) => e.tier === "ReadWriteMailbox" || e.tier === "ReadWriteItem"));
});

test("caught uses do not raise the tier but are reported as degrading", async () => {
  const r = await audit({ manifests: ["examples/read-item/manifest.xml"], code: ["examples/read-item"] });
  assert.equal(r.verdict, "exact");
  const caught = r.evidence.find((e) => e.member.endsWith("item.body.setAsync"))!;
  assert.equal(caught.guard, "caught");
  assert.ok(r.findings.some((f) => f.rule === "degrades" && f.member === caught.member));
});

test("a refused read of a row in a trace is the refusal the code catches when every use under that row is caught", async () => {
  // The page records reading `item.body` (refused at Restricted) before `item.body.getAsync`, which the code calls
  // inside try/catch: the same refusal, not a need, and not code the static analysis missed.
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const trace = join(mkdtempSync(join(tmpdir(), "outpost-audit-trace-")), "run.json");
  writeFileSync(trace, JSON.stringify({ trace: [{ member: "item.body", outcome: "denied", where: "page" }] }));
  const r = await audit({ manifests: ["examples/restricted/manifest.xml"], code: ["examples/restricted"], traces: [trace] });
  assert.equal(r.verdict, "exact");
  assert.deepEqual(r.findings.filter((f) => f.rule === "trace-not-in-code"), []);
  assert.equal(r.evidence.find((e) => e.source === "dynamic")?.guard, "caught");
});
