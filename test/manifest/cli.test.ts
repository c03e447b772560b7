/** The `outpost manifest` commands as a user runs them: exit codes, --json shapes, no stack traces. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CORPUS, FIXTURES } from "./helpers.ts";

const BIN = join(import.meta.dirname, "..", "..", "bin", "outpost.js");
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
const valid = join(FIXTURES, "base.xml");
const invalid = join(CORPUS, "xml/officedev-forwardemail.xml");

test("validate: 0 when all valid, 1 when any invalid, 2 on usage errors", () => {
  assert.equal(run("manifest", "validate", valid, join(FIXTURES, "base.json")).status, 0);
  const bad = run("manifest", "validate", valid, invalid);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /officedev-forwardemail\.xml:\d+:\d+: error undefined-resid/);
  assert.equal(run("manifest", "validate").status, 2);
  assert.equal(run("manifest", "nonsense").status, 2);
  assert.equal(run("manifest", "convert", valid, "--to", "yaml").status, 2);
});

test("validate --json prints one object per file, one per line", () => {
  const r = run("manifest", "validate", "--json", valid, invalid);
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.deepEqual(Object.keys(lines[0]).sort(), ["file", "findings", "tier", "valid"]);
  assert.equal(lines[0].valid, true);
  assert.equal(lines[0].tier, "ReadItem");
  assert.equal(lines[1].valid, false);
  const f = lines[1].findings.find((x: { code: string }) => x.code === "undefined-resid");
  assert.deepEqual(Object.keys(f).sort(), ["code", "column", "line", "message", "severity"]);
});

test("a missing file is a one-line error, not a stack trace", () => {
  const r = run("manifest", "info", "/nonexistent/manifest.xml");
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.match(r.stderr, /does not exist/);
});

test("info, explain and convert work and take --json", () => {
  assert.match(run("manifest", "info", valid).stdout, /Permission: ReadItem/);
  assert.equal(JSON.parse(run("manifest", "info", "--json", valid).stdout).manifest.tier, "ReadItem");
  assert.match(run("manifest", "explain", valid).stdout, /It may not:/);
  const e = JSON.parse(run("manifest", "explain", "--json", valid).stdout);
  assert.equal(e.tier, "ReadItem");
  assert.ok(e.cannot.length > 0);
  const out = join(mkdtempSync(join(tmpdir(), "outpost-cli-")), "out.json");
  const c = run("manifest", "convert", valid, "--to", "json", "-o", out);
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stderr, /not carried: Rule/);
  const v = run("manifest", "validate", "--json", out);
  assert.equal(JSON.parse(v.stdout).valid, true);
  const cj = JSON.parse(run("manifest", "convert", valid, "--to", "json", "--json").stdout);
  assert.ok(cj.notes.length > 0 && cj.valid === true && typeof cj.output === "string");
  writeFileSync(out, readFileSync(out));
});
