/** explain: cumulative tiers, supplementary permissions, where the add-in appears. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateManifestText } from "../../src/manifest/validate.ts";
import { explainManifest } from "../../src/manifest/explain.ts";
import { TIER_CONSENT } from "../../src/permissions/consent-text.ts";
import { TIERS } from "../../src/permissions/tiers.ts";
import { baseJson, baseXml, mutateJson, replaceOnce } from "./helpers.ts";

for (const tier of TIERS) {
  test(`explain at ${tier}: may do its tier and those below, may not do those above`, () => {
    const m = validateManifestText(replaceOnce(baseXml, "<Permissions>ReadItem</Permissions>", `<Permissions>${tier}</Permissions>`), "m.xml").manifest!;
    const e = explainManifest(m);
    const rank = TIERS.indexOf(tier);
    for (const [i, t] of TIERS.entries()) {
      for (const line of TIER_CONSENT[t].adds) assert.equal(e.can.includes(line), i <= rank, `${t}: ${line}`);
      for (const line of TIER_CONSENT[t].adds) assert.equal(e.cannot.includes(line), i > rank);
    }
  });
}

test("supplementary permissions are explained, and where the add-in appears", () => {
  const json = mutateJson(baseJson, (m) => { m.authorization.permissions.resourceSpecific.push({ name: "Mailbox.AppendOnSend.User", type: "Delegated" }); });
  const e = explainManifest(validateManifestText(json, "m.json").manifest!);
  assert.deepEqual(e.supplementary.map((s) => s.name), ["AppendOnSend"]);
  assert.ok(e.can.some((c) => /when you send it/.test(c)));
  assert.ok(e.appears.some((a) => /read a message/.test(a)));
  assert.deepEqual(e.loadsFrom, ["https://addin.example.com"]);
  const x = explainManifest(validateManifestText(baseXml, "m.xml").manifest!);
  assert.ok(x.appears.some((a) => /^When you are reading a message$/.test(a)), JSON.stringify(x.appears));
});
