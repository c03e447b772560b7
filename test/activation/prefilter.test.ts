/**
 * Literal prefilters and shared regex runs (issue 14): a prefilter may only skip a regex that cannot match, so for
 * thousands of generated patterns and texts, "the regex matches" must imply "a required literal occurs". And an
 * add-in's matches are the same whether it is evaluated alone or beside add-ins sharing its regexes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { requiredLiterals } from "../../src/activation/regex-literals.mjs";
import { evaluateActivations, makeActivationItem, RegexWorkerPool } from "../../src/activation/index.ts";
import type { AddinManifest, Rule } from "../../src/manifest/model.ts";

function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

const ATOMS = ["a", "b", "c", "A", "B", "\\.", "-", "\\d", "\\w", "\\s", ".", "[ab]", "[^a]", "\\b", "^", "$", "é", "K", "k", "s", "ſ", "\\u0061", "\\x62", "\\n"];
const QUANTS = ["", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,}", "+?", "??"];

function pattern(r: () => number, depth = 0): string {
  const n = 1 + Math.floor(r() * 5);
  let out = "";
  for (let i = 0; i < n; i++) {
    const x = r();
    let atom: string;
    if (x < 0.15 && depth < 2) atom = `(${r() < 0.5 ? "?:" : ""}${pattern(r, depth + 1)}${r() < 0.4 ? "|" + pattern(r, depth + 1) : ""})`;
    else if (x < 0.2 && depth < 2) atom = `(?${r() < 0.5 ? "=" : "!"}${pattern(r, depth + 1)})`;
    else atom = ATOMS[Math.floor(r() * ATOMS.length)]!;
    const q = QUANTS[Math.floor(r() * QUANTS.length)]!;
    out += atom === "^" || atom === "$" || atom === "\\b" ? atom : atom + q;
  }
  return r() < 0.1 ? `${out}|${pattern(r, depth + 1)}` : out;
}

const TEXT_CHARS = "aabbcc ABC.-1é\nKkſsİ";
function text(r: () => number): string {
  let t = "";
  const n = Math.floor(r() * 30);
  for (let i = 0; i < n; i++) t += TEXT_CHARS[Math.floor(r() * TEXT_CHARS.length)];
  return t;
}

test("a prefilter never rules out a text the regex matches (generated patterns × texts, g and gi, u)", () => {
  const r = rng(7);
  let filtered = 0;
  let checked = 0;
  for (let i = 0; i < 4000; i++) {
    const source = pattern(r);
    for (const flags of ["g", "gi", "gu", "giu"]) {
      let re: RegExp;
      try {
        re = new RegExp(source, flags);
      } catch {
        continue;
      }
      const pf = requiredLiterals(source, flags);
      if (!pf) continue;
      filtered++;
      for (let k = 0; k < 15; k++) {
        const t = text(r);
        re.lastIndex = 0;
        if (!re.test(t)) continue;
        checked++;
        const hay = pf.lower ? t.toLowerCase() : t;
        assert.ok(pf.literals.some((l) => hay.includes(l)), `/${source}/${flags} matches ${JSON.stringify(t)} but prefilter ${JSON.stringify(pf)} says it cannot`);
      }
    }
  }
  assert.ok(filtered > 1000 && checked > 1000, `exercised ${filtered} prefilters on ${checked} matching texts`);
});

test("prefilters: what they find, and where they give up", () => {
  assert.deepEqual(requiredLiterals("\\bCO-3\\d{8}\\b", "g"), { literals: ["CO-3"], lower: false });
  assert.deepEqual(requiredLiterals("\\b(?:NYSE|NASDAQ|AMEX):\\s*[A-Z]{1,5}", "g"), { literals: ["NYSE", "NASDAQ", "AMEX"], lower: false });
  assert.deepEqual(requiredLiterals("@Contoso\\.com$", "gi"), { literals: ["@contoso.com"], lower: true });
  assert.equal(requiredLiterals("k", "giu"), null, "u+i folds the Kelvin sign onto k");
  assert.equal(requiredLiterals("\\d+|x", "g"), null, "a branch with no literal");
  assert.equal(requiredLiterals("a?", "g"), null);
  assert.equal(requiredLiterals("(?i:abc)", "g"), null, "unknown syntax");
});

const rx = (name: string, value: string, property = "BodyAsPlaintext", ignoreCase = false): Rule => ({ type: "ItemHasRegularExpressionMatch", regExName: name, regExValue: value, propertyName: property, ignoreCase });
function manifest(id: string, rules: Rule[]): AddinManifest {
  return {
    format: "xml", schemaVersion: "1.1", appType: "MailApp", id, version: "1.0", name: { value: id }, description: { value: "" }, provider: { name: "t" },
    hosts: ["Mailbox"], tier: "ReadItem", declaredTiers: ["ReadItem"], permissionNames: ["ReadItem"], supplementary: [], requirements: { sets: [] }, sourceLocations: {},
    rules: { type: "RuleCollection", mode: "Or", rules }, extensionPoints: [], runtimes: [], versionOverrides: [], appDomains: [], icons: [], resources: [], resourceReferences: [], urls: [], extras: [],
  } as AddinManifest;
}

test("shared regexes: the same matches alone or beside other add-ins; skipped regexes report no match", async () => {
  const pool = new RegexWorkerPool({ size: 1 });
  try {
    const item = makeActivationItem({ subject: "Order CO-123456789", bodyText: "See CO-123456789 and co-987654321, NASDAQ: MSFT. Also https://contoso.com/doc/42", senderSmtp: "x@fabrikam.com" });
    const a = manifest("a", [rx("order", "\\bCO-\\d{9}\\b", "BodyAsPlaintext", true), rx("ticker", "NYSE:\\s*\\w+"), rx("doc", "/doc/\\d+")]);
    const b = manifest("b", [rx("order2", "\\bCO-\\d{9}\\b", "BodyAsPlaintext", true), rx("subj", "\\bCO-\\d{9}\\b", "Subject", true), rx("nasdaq", "NASDAQ:\\s*\\w+")]);
    const [alone] = await evaluateActivations([a], item, { client: "web", pool });
    const [withB, bRes] = await evaluateActivations([a, b], item, { client: "web", pool });
    assert.deepEqual(withB!.regexMatches, alone!.regexMatches);
    assert.deepEqual(alone!.regexMatches, { order: ["CO-123456789", "co-987654321"], ticker: [], doc: ["/doc/42"] });
    assert.deepEqual(bRes!.regexMatches, { order2: ["CO-123456789", "co-987654321"], subj: ["CO-123456789"], nasdaq: ["NASDAQ: MSFT"] });
    const ticker = alone!.rules.find((r) => r.summary.includes("RegExName=ticker"))!;
    assert.equal(ticker.value, false);
    assert.equal(ticker.reason, "no match");
    // A second item on the same (warm) worker: ids are reused, results are per item.
    const [again] = await evaluateActivations([a], makeActivationItem({ bodyText: "NYSE: ABC" }), { client: "web", pool });
    assert.deepEqual(again!.regexMatches, { order: [], ticker: ["NYSE: ABC"], doc: [] });
  } finally {
    await pool.close();
  }
});
