/**
 * One source of truth: no code outside src/permissions pairs an API member's name with a tier literal.
 * Enforcement, the Office.js surface and the auditor must read the tier from the table.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { API_TABLE } from "../../src/permissions/index.ts";

test("no tier is hard-coded next to an API member outside src/permissions", () => {
  const members = [...new Set(API_TABLE.map((r) => r.path.split(".").pop()!).filter((n) => n.length > 6))];
  const memberRe = new RegExp(`\\b(${members.join("|")})\\b`);
  const tierRe = /["'](Restricted|ReadItem|ReadWriteItem|ReadWriteMailbox)["']/;
  const files = execFileSync("git", ["ls-files", "src", "examples"], { encoding: "utf8" }).trim().split("\n")
    .filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.startsWith("src/permissions/"));
  const offenders: string[] = [];
  for (const f of files) {
    readFileSync(f, "utf8").split("\n").forEach((line, i) => {
      if (tierRe.test(line) && memberRe.test(line)) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
