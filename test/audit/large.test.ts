/**
 * Large files (bundles): library code around the add-in's must neither spend the work budget before the add-in's code
 * is reached nor be read as Office.js uses. Regressions of the 5 MB bench bundle: `this.get(…)` in library code used the
 * whole budget (the add-in's REST request at the end then came out as ReadWriteMailbox), and the field-name fallback
 * turned `ContentType.from(h)` and `message.from` into uses of `item.from` (the add-in stores `{ from: item.from }`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { audit } from "../../src/audit/index.ts";
import { LARGE_UNIT_CHARS } from "../../src/audit/static/analyze.ts";
import { FIXTURES } from "./helpers.ts";

const WR = `${FIXTURES}/work-requests`;
const ADDIN = readFileSync(`${WR}/src/taskpane.js`, "utf8");

/** Library-like code: classes with get/set, many call sites of common names, reads of `.from`, `.body`, `.value`. */
function library(i: number): string {
  return `
class Store${i} {
  constructor(map) { this.map = map; this.value = map.value; }
  get(k) { return this.map[k] ?? this.get(k + "${i}"); }
  set(k, v) { this.map[k] = v; return this.get(k); }
}
function from${i}(message, opts) {
  const ct = ContentType.from(opts.header);
  if (message.from && message.body) return new Store${i}({ value: message.from, body: message.body, ct }).get("from");
  return opts.value ? from${i}(opts.value, opts) : undefined;
}
const s${i} = new Store${i}({ value: ${i} });
s${i}.set("a", from${i}({ from: "x", body: s${i}.get("b") }, { header: "h", value: s${i}.value }));
`;
}

test("a bundle: the add-in's code at the end is audited as on its own; library reads of .from/.body are not Office uses", async () => {
  let lib = "";
  for (let i = 0; lib.length < LARGE_UNIT_CHARS * 1.2; i++) lib += library(i);
  const dir = mkdtempSync(join(tmpdir(), "outpost-audit-large-"));
  const bundle = join(dir, "bundle.js");
  writeFileSync(bundle, `(() => {\n${lib}\n${ADDIN}\n})();\n`);
  const libLines = lib.split("\n").length + 1;
  const alone = await audit({ manifests: [`${WR}/manifest.readwritemailbox.xml`], code: [`${WR}/src/taskpane.js`] });
  const inBundle = await audit({ manifests: [`${WR}/manifest.readwritemailbox.xml`], code: [bundle] });
  const key = (e: { member: string; tier: string; kind: string }) => `${e.tier} ${e.kind} ${e.member}`;
  assert.deepEqual(inBundle.evidence.filter((e) => e.location && e.location.line <= libLines).map(key), [], "nothing in the library part");
  assert.deepEqual(inBundle.evidence.map(key).sort(), alone.evidence.map(key).sort(), "the add-in's evidence, the same as alone");
  assert.deepEqual([inBundle.verdict, inBundle.levels, inBundle.needed.tier], ["over-privileged", 2, "ReadItem"]);
  assert.ok(inBundle.evidence.some((e) => e.kind === "rest" && e.tier === "ReadItem"), "the REST read of the current item stays ReadItem");
});
