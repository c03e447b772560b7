/**
 * The auditor's outputs and command line: SARIF validated against the SARIF 2.1.0 JSON schema (shipped by
 * @microsoft/jest-sarif), JSON, text, -o, --fail-on exit codes, and bad input reported, never a stack trace.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { audit, toSarif, RULES, RULE_IDS } from "../../src/audit/index.ts";
import { FIXTURES } from "./helpers.ts";

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validateSarif = ajv.compile(schema);

function cli(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "audit", ...args], { encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test("SARIF output is valid SARIF 2.1.0, with stable rule ids, help text and located results", async () => {
  for (const name of ["work-requests", "rest", "regex-rule", "destructuring"]) {
    const report = await audit({ manifests: [`${FIXTURES}/${name}/manifest.xml`], code: [`${FIXTURES}/${name}`] });
    const sarif = toSarif(report) as { runs: { tool: { driver: { rules: { id: string; help: { text: string } }[] } }; results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    assert.ok(validateSarif(sarif), `${name}: ${JSON.stringify(validateSarif.errors?.slice(0, 3))}`);
    const run = sarif.runs[0];
    assert.deepEqual(run.tool.driver.rules.map((r) => r.id), RULE_IDS.map((id) => RULES[id].id));
    assert.ok(run.tool.driver.rules.every((r) => r.help.text.length > 20));
    assert.ok(run.results.length > 0 && run.results.every((r) => r.locations.length === 1 && r.locations[0].physicalLocation.region.startLine >= 1));
  }
});

test("the schema check is not vacuous: a result without a message is refused", async () => {
  const report = await audit({ manifests: [`${FIXTURES}/rest/manifest.xml`], code: [`${FIXTURES}/rest`] });
  const sarif = toSarif(report) as { runs: { results: { message?: unknown }[] }[] };
  delete sarif.runs[0].results[0].message;
  assert.equal(validateSarif(sarif), false);
});

test("rule ids are stable and unique", () => {
  const ids = RULE_IDS.map((id) => RULES[id].id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(RULES["over-privileged"].id, "OPA001");
  assert.equal(RULES["under-privileged"].id, "OPA002");
});

test("CLI: text verdict, --format json, --format sarif -o file, and --fail-on exit codes", () => {
  const m = `${FIXTURES}/work-requests/manifest.readwritemailbox.xml`;
  const code = `${FIXTURES}/work-requests`;
  const text = cli([m, "--code", code]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /asks ReadWriteMailbox, needs ReadItem — OVER-PRIVILEGED by 2 levels/);
  assert.match(text.stdout, /ReadItem\s+item\.getAttachmentContentAsync/);
  assert.equal(cli([m, "--code", code, "--fail-on", "over"]).status, 1);
  assert.equal(cli([m, "--code", code, "--fail-on", "under"]).status, 0);
  assert.equal(cli([m, "--code", code, "--fail-on", "any"]).status, 1);
  const json = JSON.parse(cli([m, "--code", code, "--format", "json"]).stdout);
  assert.equal(json.verdict, "over-privileged");
  assert.equal(json.levels, 2);
  const dir = mkdtempSync(join(tmpdir(), "outpost-audit-"));
  const out = join(dir, "audit.sarif");
  const r = cli([m, "--code", code, "--format", "sarif", "-o", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "");
  assert.ok(validateSarif(JSON.parse(readFileSync(out, "utf8"))));
  const exact = cli([`${FIXTURES}/work-requests/manifest.xml`, "--code", code, "--fail-on", "any"]);
  assert.equal(exact.status, 0, "exact, and warnings (legacy tokens) are not errors");
});

test("CLI: usage errors exit 2 with one line; an unreadable manifest exits 1 naming the file", () => {
  const bad = cli([`${FIXTURES}/rest/manifest.xml`, "--format", "yaml"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format must be one of text, json, sarif, not "yaml"/);
  const missing = cli(["no/such/manifest.xml"]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no\/such\/manifest\.xml/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
});

test("an unreadable or broken code file is a finding, never an abort", async () => {
  const dir = mkdtempSync(join(tmpdir(), "outpost-audit-bad-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "ok.js"), "Office.context.mailbox.item.body.getAsync('text', () => {});\n");
  writeFileSync(join(dir, "src", "binary.js"), Buffer.from([0x4d, 0x5a, 0, 1, 2, 3]));
  writeFileSync(join(dir, "src", "broken.js"), "const x = ;\nOffice.context.mailbox.item.to.setAsync([]);\n");
  const r = await audit({ manifests: [`${FIXTURES}/work-requests/manifest.xml`], code: [join(dir, "src"), join(dir, "missing.js")] });
  const unreadable = r.findings.filter((f) => f.rule === "unreadable-input").map((f) => f.message);
  assert.ok(unreadable.some((m) => m.includes("binary.js") && m.includes("NUL")), unreadable.join("\n"));
  assert.ok(unreadable.some((m) => m.includes("missing.js") && m.includes("no such file")), unreadable.join("\n"));
  assert.ok(unreadable.some((m) => m.startsWith("Syntax error")), unreadable.join("\n"));
  assert.ok(r.evidence.some((e) => e.member.endsWith("item.body.getAsync")));
  assert.ok(r.evidence.some((e) => e.member.endsWith("item.to.setAsync")), "the rest of a file with a syntax error is still audited");
  assert.equal(r.verdict, "under-privileged");
  assert.equal(r.failure?.member, "Office.context.mailbox.item.to.setAsync");
});
