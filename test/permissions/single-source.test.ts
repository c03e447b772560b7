/**
 * One source of truth: no code outside src/permissions pairs an API member's name with a tier literal.
 * Enforcement, the Office.js surface and the auditor must read the tier from the table.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { API_TABLE, OFFICE_ERRORS } from "../../src/permissions/index.ts";

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

/** A number the table holds as a limit, in any spelling (32_768, 32768, 32 * 1024). */
function spellings(n: number): RegExp[] {
  const grouped = n.toLocaleString("en-US").replace(/,/g, "_");
  const out = [new RegExp(`(?<![\\w.])(${n}|${grouped})(?![\\w.])`)];
  if (n % 1024 === 0 && n >= 2048) out.push(new RegExp(`\\b${n / 1024}\\s*\\*\\s*1024\\b(?!\\s*\\*)`));
  return out;
}

test("no limit of the table is written again in the runtime (members, bridge, shim): they read the table", () => {
  // Distinctive limits only (100, 255 and 500 are too common to tell apart from unrelated numbers); a limit equal
  // to an Office error code (5,000) is looked for in its grouped spelling only.
  const maxima = [...new Set(API_TABLE.flatMap((r) => (r.limits ?? []).map((l) => l.max)))].filter((n) => n > 500 && n !== 999);
  const patterns = maxima.flatMap((n) => (OFFICE_ERRORS.has(n) ? [new RegExp(`(?<![\\w.])${n.toLocaleString("en-US").replace(/,/g, "_")}(?![\\w.])`)] : spellings(n)).map((re) => ({ n, re })));
  const files = execFileSync("git", ["ls-files", "src/runtime/members", "src/runtime/bridge", "src/runtime/shim"], { encoding: "utf8" }).trim().split("\n").filter((f) => /\.(ts|js)$/.test(f));
  // The same number meaning something else, with why.
  const unrelated = [/series-time\.ts:.*duration|series-time\.ts:.*n > 1_000_000/]; // a SeriesTime duration bound in minutes
  const offenders: string[] = [];
  for (const f of files) {
    readFileSync(f, "utf8").split("\n").forEach((line, i) => {
      if (/^\s*(\*|\/\/)/.test(line)) return; // comments may cite a number
      for (const { n, re } of patterns) if (re.test(line) && !unrelated.some((u) => u.test(`${f}:${line}`))) offenders.push(`${f}:${i + 1}: ${n}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});

test("no limit of the table is written again in the mailbox store: it reads them with tableLimitOf", () => {
  const maxima = [...new Set(API_TABLE.flatMap((r) => (r.limits ?? []).map((l) => l.max)))].filter((n) => n > 500 && n !== 999);
  const patterns = maxima.flatMap((n) => (OFFICE_ERRORS.has(n) ? [new RegExp(`(?<![\\w.])${n.toLocaleString("en-US").replace(/,/g, "_")}(?![\\w.])`)] : spellings(n)).map((re) => ({ n, re })));
  const files = execFileSync("git", ["ls-files", "src/mailbox"], { encoding: "utf8" }).trim().split("\n").filter((f) => /\.(ts|js)$/.test(f));
  // The same number meaning something else, with why.
  const unrelated = [
    /blob-store\.ts:.*CHUNK_SIZE/, // the size of a stored blob chunk
    /db-blob-store\.ts:.*SINGLE_ROW_BYTES/, // blobs small enough for one row
    /mime\/parse\.ts:.*MAX_STORED_HEADER_BYTES/, // how much of an imported message's header block is kept
  ];
  const offenders: string[] = [];
  for (const f of files) {
    readFileSync(f, "utf8").split("\n").forEach((line, i) => {
      if (/^\s*(\*|\/\/)/.test(line)) return;
      for (const { n, re } of patterns) if (re.test(line) && !unrelated.some((u) => u.test(`${f}:${line}`))) offenders.push(`${f}:${i + 1}: ${n}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});

test("entity tiers come from the table's getEntitiesByType row, not a second map", () => {
  let found = "";
  try {
    found = execFileSync("git", ["grep", "-n", "-E", "(EmailAddress|MeetingSuggestion|TaskSuggestion|Contact)\\s*:\\s*\"(Restricted|ReadItem)\"", "--", "src"], { encoding: "utf8" });
  } catch (e) {
    if ((e as { status?: number }).status !== 1) throw e; // 1: no match
  }
  const offenders = found.trim().split("\n").filter((l) => l && !l.startsWith("src/permissions/"));
  assert.deepEqual(offenders, []);
});
