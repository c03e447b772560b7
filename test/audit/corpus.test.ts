/**
 * The real manifests of the shared corpus: each one Outpost can read is audited without an error (manifest only),
 * and each XML/unified JSON pair of one sample is compared — where the corpus records different tiers for the two,
 * the auditor reports it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { audit, ManifestError } from "../../src/audit/index.ts";
import { isTier } from "../../src/permissions/index.ts";

const CORPUS = join(import.meta.dirname, "../../../shared/corpus/manifests");
const has = existsSync(CORPUS);
const expected = new Map<string, string>(
  has
    ? readFileSync(join(CORPUS, "EXPECTED.tsv"), "utf8")
        .split("\n")
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split("\t"))
        .map((cols) => [cols[0], cols[2]] as [string, string])
    : [],
);

test("every corpus manifest is audited, or refused with a message naming the file", { skip: !has && "no corpus" }, async () => {
  let audited = 0;
  for (const sub of ["xml", "json"]) {
    for (const f of readdirSync(join(CORPUS, sub))) {
      const file = join(CORPUS, sub, f);
      try {
        const r = await audit({ manifests: [file] });
        assert.deepEqual(r.basis, ["manifest"]);
        const declared = expected.get(`${sub}/${f}`) ?? "";
        if (isTier(declared)) assert.equal(r.declared.tier, declared, f);
        audited++;
      } catch (e) {
        assert.ok(e instanceof ManifestError, `${f}: ${(e as Error).stack}`);
        assert.ok(e.message.includes(f), e.message);
      }
    }
  }
  assert.ok(audited > 50);
});

test("corpus XML/JSON pairs: compared, and a tier the two disagree on is a finding", { skip: !has && "no corpus" }, async () => {
  const xml = new Set(readdirSync(join(CORPUS, "xml")));
  let pairs = 0;
  for (const f of readdirSync(join(CORPUS, "json"))) {
    const twin = f.replace(/\.json$/, ".xml");
    if (!xml.has(twin)) continue;
    pairs++;
    const r = await audit({ manifests: [join(CORPUS, "xml", twin), join(CORPUS, "json", f)] });
    const tierDiff = r.findings.some((x) => x.rule === "manifest-mismatch" && x.message.startsWith("The tier differs"));
    assert.equal(tierDiff, expected.get(`xml/${twin}`) !== expected.get(`json/${f}`), f);
    for (const x of r.findings.filter((y) => y.rule === "manifest-mismatch")) assert.ok(x.message.includes(twin) && x.message.includes(f), x.message);
  }
  assert.ok(pairs >= 5);
});
