/** Every corpus manifest parses; the verdicts and tiers in EXPECTED.tsv hold; conversions of valid ones validate. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateManifestFile } from "../../src/manifest/validate.ts";
import { convertValidated } from "../../src/manifest/convert-validated.ts";
import { CORPUS } from "./helpers.ts";

/**
 * Where Outpost disagrees with EXPECTED.tsv, having decided the validator is right (docs/manifest.md says why).
 * Both are unfilled template placeholders that Microsoft's own schema rejects.
 */
const DISAGREEMENTS: Record<string, string> = {
  "json/officedev-taskpane-sso__manifest.json": "webApplicationInfo.id is the placeholder \"{application GUID here}\"",
  "json/officedev-teamsfx__teams-tab-and-outlook-addin.json": "id and URLs are Teams Toolkit ${{…}} placeholders",
};

const rows = readFileSync(join(CORPUS, "EXPECTED.tsv"), "utf8").trim().split("\n").slice(1).map((l) => l.split("\t"));

for (const [file, expected, tier] of rows) {
  test(`corpus ${file}: ${expected}`, async () => {
    const r = await validateManifestFile(join(CORPUS, file));
    const wantValid = expected === "valid" && !DISAGREEMENTS[file];
    assert.equal(r.valid, wantValid, JSON.stringify(r.findings.filter((f) => f.severity === "error")));
    if (!wantValid) assert.ok(r.findings.some((f) => f.severity === "error" && (f.line !== undefined || f.pointer !== undefined)), "an error with a location");
    if (r.manifest) {
      const reported = r.manifest.declaredTiers.length || !r.manifest.permissionNames.length ? r.manifest.tier : r.manifest.permissionNames[0];
      assert.equal(reported, tier);
    } else {
      assert.match(expected, /not-well-formed|json-syntax/);
    }
    if (r.valid) {
      const c = convertValidated(r.manifest!, r.manifest!.format === "xml" ? "json" : "xml");
      assert.equal(c.valid, true, `conversion: ${JSON.stringify(c.findings.filter((f) => f.severity === "error"))}`);
      if (r.manifest!.rules) assert.ok(c.notes.some((n) => n.field === "Rule" && n.kind === "dropped"), "activation rules are reported as not carried");
    }
  });
}

test("twins that disagree: the spam-reporting XML asks ReadItem, its JSON twin ReadWriteItem", async () => {
  const xml = await validateManifestFile(join(CORPUS, "xml/officedev-samples__outlook-spam-reporting.xml"));
  const json = await validateManifestFile(join(CORPUS, "json/officedev-samples__outlook-spam-reporting.json"));
  assert.equal(xml.manifest?.tier, "ReadItem");
  assert.equal(json.manifest?.tier, "ReadWriteItem");
});
