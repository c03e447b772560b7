/** The corpus manifests evaluated against the corpus emails on every client, plus the documentation rule fragments. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { activationItemFromEml, activationItemFromText, CLIENT_IDS, evaluateActivations, makeActivationItem, RegexWorkerPool, type ActivationItem } from "../../src/activation/index.ts";
import { parseManifestFile } from "../../src/manifest/parse.ts";
import type { AddinManifest } from "../../src/manifest/model.ts";
import { evaluateActivation } from "../../src/activation/index.ts";
import { manifestWith, ruleFromFragment } from "./helpers/manifests.ts";

const CORPUS = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));
const MANIFESTS = CORPUS + "manifests/xml/";
const EML = CORPUS + "eml/";
const FRAGMENTS = CORPUS + "rule-fragments/";

let pool: RegexWorkerPool;
const manifests: { file: string; manifest: AddinManifest }[] = [];
const items: { file: string; item: ActivationItem }[] = [];

before(async () => {
  pool = new RegexWorkerPool({ size: 2 });
  for (const f of readdirSync(MANIFESTS).filter((f) => f.endsWith(".xml"))) {
    const parsed = await parseManifestFile(MANIFESTS + f);
    if (parsed.manifest && parsed.manifest.appType === "MailApp") manifests.push({ file: f, manifest: parsed.manifest });
  }
  for (const f of readdirSync(EML).filter((f) => /\.(eml|txt)$/.test(f))) {
    const bytes = readFileSync(EML + f);
    items.push({ file: f, item: f.endsWith(".txt") ? activationItemFromText(bytes.toString("utf8")) : await activationItemFromEml(bytes) });
  }
});
after(() => pool.close());

const byName = (list: { file: string }[], part: string) => list.find((x) => x.file.includes(part)) as { file: string; manifest: AddinManifest; item: ActivationItem };

describe("corpus manifests × corpus emails", () => {
  it("every mail manifest evaluates on every email, client and form without throwing, with a consistent report", async () => {
    assert.ok(manifests.length >= 30, `parsed ${manifests.length} mail manifests`);
    assert.ok(items.length >= 20);
    let evaluations = 0;
    for (const client of CLIENT_IDS)
      for (const form of ["read", "compose"] as const)
        for (const { item } of items) {
          const results = await evaluateActivations(manifests.map((m) => m.manifest), item, { client, form, pool });
          assert.equal(results.length, manifests.length);
          for (const r of results) {
            evaluations++;
            assert.equal(typeof r.activated, "boolean");
            assert.ok(r.verdict.startsWith(r.activated ? "activated" : "not activated") || r.verdict.startsWith("unified"), r.verdict);
            for (const rule of r.rules) assert.equal(typeof rule.value, "boolean");
            if (form === "compose") assert.deepEqual(r.regexMatches, {});
          }
        }
    assert.ok(evaluations > 10_000);
  });

  it("no add-in activates on the NDR reports", async () => {
    const ndr = byName(items, "delivery-status").item;
    assert.equal(ndr.itemClass, "REPORT.IPM.Note.NDR");
    const results = await evaluateActivations(manifests.map((m) => m.manifest), ndr, { pool });
    assert.ok(results.every((r) => !r.activated));
  });

  it("a compose-only add-in (ItemIs FormType=Edit) activates in compose form, not in read form", async () => {
    const hello = byName(manifests, "outlook-hello-world");
    const basic = byName(items, "basic_email").item;
    assert.equal((await evaluateActivation(hello.manifest, basic, { pool, form: "compose" })).activated, true);
    const read = await evaluateActivation(hello.manifest, basic, { pool, form: "read" });
    assert.equal(read.activated, false);
    assert.ok(read.rules.some((r) => r.reason === "form is read"));
  });

  it("Scan For Me (Url entity) follows the client's entity scope", async () => {
    const scan = byName(manifests, "officedev-scanforme");
    const newsletter = byName(items, "enron-discover-newsletter").item;
    const r = await evaluateActivation(scan.manifest, newsletter, { pool, client: "web" });
    assert.equal(r.activated, true);
    const url = r.rules.find((x) => x.summary.includes("EntityType=Url"))!;
    assert.equal(url.value, true);
    assert.ok(url.matched!.some((m) => m.startsWith("http://discover.qrs1.net/")));
  });

  it("the contextual order-number add-in activates only when an order number is in the body", async () => {
    const contoso = byName(manifests, "contextual-regex__contoso-order-number");
    const base = byName(items, "basic_email").item;
    const without = await evaluateActivation(contoso.manifest, base, { pool });
    assert.equal(without.activated, false);
    const withOrder = await evaluateActivation(contoso.manifest, { ...base, bodyText: base.bodyText + "\nYour order CO-123456789 shipped." }, { pool });
    assert.equal(withOrder.activated, true);
    assert.deepEqual(withOrder.contextual.map((c) => c.activated), [true]);
    assert.deepEqual(withOrder.highlightedRegexMatches.OrderNumber, ["CO-123456789"]);
  });
});

describe("documentation rule fragments", () => {
  const fragments = readdirSync(FRAGMENTS).filter((f) => f.endsWith(".xml"));
  const message = makeActivationItem({
    subject: "Fruit order",
    bodyText: "We need apple and banana. Video: http://www.youtube.com/watch?v=dQw4w9WgXcQ\nOffice: 1 Microsoft Way, Redmond, WA 98052. NASDAQ: MSFT. Call 425-555-0100. Let's meet tomorrow at 10am.",
    senderSmtp: "someone@Contoso.com",
    hasAttachment: true,
  });

  it("every fragment yields a rule that evaluates on every client", async () => {
    let count = 0;
    for (const f of fragments) {
      const rule = ruleFromFragment(readFileSync(FRAGMENTS + f, "utf8"));
      assert.ok(rule, `${f} has a Rule`);
      for (const client of CLIENT_IDS) {
        const r = await evaluateActivation(manifestWith(rule), message, { client, pool });
        assert.equal(typeof r.activated, "boolean");
        count++;
      }
    }
    assert.equal(count, fragments.length * CLIENT_IDS.length);
  });

  const expect: [string, boolean, string?][] = [
    ["activation-rules__block1", true],
    ["activation-rules__block2", true],
    ["activation-rules__block3", true],
    ["activation-rules__block5", true, "fruits"],
    ["activation-rules__block6", true],
    ["use-regular-expressions-to-show-an-outlook-add-in__block0", true, "addressMatches"],
    ["use-regular-expressions-to-show-an-outlook-add-in__block1", true, "addressMatches"],
    ["use-regular-expressions-to-show-an-outlook-add-in__block2", true, "TickerSymbols"],
    ["use-regular-expressions-to-show-an-outlook-add-in__block3", true, "youtube"],
    ["use-regular-expressions-to-show-an-outlook-add-in__block4", true, "videoURL"],
    ["privacy-and-security__block1", true],
  ];
  for (const [name, activated, regexName] of expect) {
    it(`${name} → ${activated ? "activates" : "does not activate"}`, async () => {
      const file = fragments.find((f) => f.includes(name))!;
      const rule = ruleFromFragment(readFileSync(FRAGMENTS + file, "utf8"))!;
      const r = await evaluateActivation(manifestWith(rule), message, { pool });
      assert.equal(r.activated, activated, JSON.stringify(r.rules));
      if (regexName) assert.ok(r.regexMatches[regexName]?.length, `matches for ${regexName}`);
    });
  }

  it("the RegularExpression attribute of block4 is not an Outlook attribute, so the Url rule is unfiltered", async () => {
    const file = fragments.find((f) => f.includes("activation-rules__block4"))!;
    const rule = ruleFromFragment(readFileSync(FRAGMENTS + file, "utf8"))!;
    assert.deepEqual({ ...rule, pos: undefined }, { type: "ItemHasKnownEntity", entityType: "Url", pos: undefined });
  });
});
