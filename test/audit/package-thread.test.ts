/**
 * The store's audit runs on a thread of its own: the same verdict as the auditor on the calling thread, the event
 * loop free while a package is audited (a multi-MB bundle took seconds on it), and a thread that dies fails only
 * what it was doing.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { auditPackage, storedVerdict } from "../../src/audit/package.ts";
import { auditPackageOffThread, stopAuditThread } from "../../src/audit/package-thread.ts";
import { FIXTURES } from "./helpers.ts";

const WR = `${FIXTURES}/work-requests`;
const MANIFEST = { text: readFileSync(`${WR}/manifest.readwritemailbox.xml`, "utf8"), file: "manifest.xml" };
const CODE = [
  { path: "src/taskpane.js", text: readFileSync(`${WR}/src/taskpane.js`, "utf8") },
  { path: "src/taskpane.html", text: readFileSync(`${WR}/src/taskpane.html`, "utf8") },
];
/** The add-in's code behind ~600 KB of library-like code: an audit that takes a while. */
const BIG = [...CODE, { path: "src/lib.js", text: Array.from({ length: 6000 }, (_, i) => `export function f${i}(a, b) { const o = { k${i}: a }; return o.k${i} + b * ${i}; }\n`).join("") }];

after(() => stopAuditThread());

const withoutTime = (v: { at: string; ms?: number }) => ({ ...v, at: "", ms: 0 });

test("the thread gives the verdict the auditor gives in the caller's thread", async () => {
  const here = storedVerdict(auditPackage(MANIFEST, CODE), CODE);
  const there = await auditPackageOffThread(MANIFEST, CODE);
  assert.deepEqual(withoutTime(there), withoutTime(here));
  assert.equal(there.verdict, "over-privileged");
  assert.deepEqual(withoutTime(await auditPackageOffThread(MANIFEST)), withoutTime(storedVerdict(auditPackage(MANIFEST), undefined)));
});

test("the event loop keeps turning while a large package is audited", async () => {
  let turns = 0;
  let auditing = true;
  const spin = () => {
    if (!auditing) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  const verdict = await auditPackageOffThread(MANIFEST, BIG);
  auditing = false;
  assert.equal(verdict.code?.files, 3);
  // On the calling thread the audit would run in one piece: no turn of the loop until it returns.
  assert.ok(turns > 20, `the event loop turned ${turns} times during the audit`);
});

test("a thread stopped mid-audit fails that audit; the next one starts a new thread", async () => {
  const running = auditPackageOffThread(MANIFEST, BIG);
  // One turn of the loop: the package is posted to the thread (already started), far from audited.
  await new Promise((r) => setImmediate(r));
  await stopAuditThread();
  await assert.rejects(running, /exited/);
  assert.equal((await auditPackageOffThread(MANIFEST, CODE)).verdict, "over-privileged");
});
