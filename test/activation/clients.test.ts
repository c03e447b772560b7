import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { CLIENT_IDS, CLIENT_PROFILES, clientProfile, closeSharedRegexPool, compareBuilds, dialectIssues, evaluateActivation, makeActivationItem } from "../../src/activation/index.ts";
import { entity, itemIs, manifestWith, regex } from "./helpers/manifests.ts";

after(() => closeSharedRegexPool());

const readMessage = manifestWith(itemIs("Message", "Read"));
const plain = makeActivationItem({ bodyText: "Price: USD 100" });

describe("client profiles are data", () => {
  it("define every client with the reference's numbers", () => {
    assert.deepEqual(Object.keys(CLIENT_PROFILES).sort(), [...CLIENT_IDS].sort());
    for (const p of Object.values(CLIENT_PROFILES)) {
      assert.equal(p.maxMatches, 50);
      assert.equal(p.entityExtractionChars, 2000);
    }
    assert.equal(CLIENT_PROFILES.windows.regexDialect, "ecmascript5-stl");
    assert.equal(CLIENT_PROFILES.web.regexDialect, "javascript");
  });

  it("compares builds numerically", () => {
    assert.equal(compareBuilds("13229.10000", "13229.9999"), 1);
    assert.equal(compareBuilds("16.77", "16.9"), 1);
    assert.equal(compareBuilds("16.77", "16.77.0"), 0);
  });
});

describe("regex dialects", () => {
  const cases: [string, string][] = [
    ["(?<=USD )\\d+", "lookbehind"],
    ["(?<!EUR )\\d+", "lookbehind"],
    ["(?<amount>\\d+)", "named-group"],
    ["(?<a>x)\\k<a>", "named-backreference"],
    ["\\p{Lu}\\d+", "unicode-property-escape"],
  ];

  for (const [pattern, feature] of cases) {
    it(`${feature}: evaluated on web, reported and false on classic Windows and Mac`, async () => {
      const m = manifestWith(regex("r", pattern));
      const item = makeActivationItem({ bodyText: "USD 100 xx A1" });
      const web = await evaluateActivation(m, item, { client: "web" });
      assert.ok(!web.limits.some((l) => l.kind === "regex-unsupported"));
      for (const client of ["windows", "mac"] as const) {
        const classic = await evaluateActivation(m, item, { client });
        assert.equal(classic.activated, false);
        const lim = classic.limits.find((l) => l.kind === "regex-unsupported");
        assert.ok(lim, `${client} should report ${feature}`);
        assert.match(lim.message, /ECMAScript 5/);
      }
      assert.ok(dialectIssues(pattern, "ecmascript5-stl").some((i) => i.feature === feature && i.severity === "error"));
    });
  }

  it("lookbehind matches on web", async () => {
    const r = await evaluateActivation(manifestWith(regex("r", "(?<=USD )\\d+")), plain, { client: "web" });
    assert.deepEqual(r.regexMatches.r, ["100"]);
  });

  it("reports /pattern/flags written as a literal, and u/s/y flags on classic", () => {
    assert.ok(dialectIssues("/abc/i", "javascript").some((i) => i.feature === "literal-syntax" && i.severity === "warning"));
    assert.ok(dialectIssues("/a.c/su", "ecmascript5-stl").some((i) => i.feature === "flag" && i.severity === "error"));
    assert.ok(!dialectIssues("[(?<=x)]", "ecmascript5-stl").some((i) => i.feature === "lookbehind"), "inside a set (?<= is literal");
    assert.ok(dialectIssues("[\\s\\S]{0,100}", "ecmascript5-stl").some((i) => i.feature === "class-escape-in-set" && i.severity === "warning"));
    assert.deepEqual(dialectIssues("[\\s\\S]{0,100}", "javascript"), []);
  });

  it("web warns that \\p{…} without the u flag is literal text", async () => {
    const r = await evaluateActivation(manifestWith(regex("r", "\\p{Lu}")), makeActivationItem({ bodyText: "p{Lu}" }), { client: "web" });
    assert.equal(r.activated, true);
    assert.ok(r.warnings.some((w) => /literal/.test(w)));
  });
});

describe("IRM-protected, encrypted and signed items", () => {
  const irm = makeActivationItem({ irmProtected: true });
  it("web and new Outlook activate on IRM items; mobile never does", async () => {
    for (const client of ["web", "new-windows"] as const) assert.equal((await evaluateActivation(readMessage, irm, { client })).activated, true);
    for (const client of ["ios", "android"] as const) {
      const r = await evaluateActivation(readMessage, irm, { client });
      assert.equal(r.activated, false);
      assert.equal(r.limits[0].kind, "protected-item");
    }
  });

  it("classic Windows activates on IRM items from build 13229.10000 (just under / at / over)", async () => {
    assert.equal((await evaluateActivation(readMessage, irm, { client: clientProfile("windows", { build: "13229.9999" }) })).activated, false);
    assert.equal((await evaluateActivation(readMessage, irm, { client: clientProfile("windows", { build: "13229.10000" }) })).activated, true);
    assert.equal((await evaluateActivation(readMessage, irm, { client: clientProfile("windows", { build: "13229.10001" }) })).activated, true);
  });

  it("Mac activates on IRM items from 16.77", async () => {
    assert.equal((await evaluateActivation(readMessage, irm, { client: clientProfile("mac", { build: "16.76" }) })).activated, false);
    assert.equal((await evaluateActivation(readMessage, irm, { client: clientProfile("mac", { build: "16.77" }) })).activated, true);
    assert.equal((await evaluateActivation(readMessage, irm, { client: clientProfile("mac", { build: "16.78" }) })).activated, true);
  });

  it("without the OBJMODEL usage right no client activates", async () => {
    for (const client of CLIENT_IDS) {
      const r = await evaluateActivation(readMessage, { ...irm, objectModelAllowed: false }, { client });
      assert.equal(r.activated, false, client);
      assert.match(r.verdict, /OBJMODEL/);
    }
  });

  it("signed messages: classic Windows from build 8711.1000, never on mobile", async () => {
    const signed = makeActivationItem({ itemClass: "IPM.Note.SMIME.MultipartSigned", signed: true });
    assert.equal((await evaluateActivation(readMessage, signed, { client: clientProfile("windows", { build: "8711.999" }) })).activated, false);
    assert.equal((await evaluateActivation(readMessage, signed, { client: clientProfile("windows", { build: "8711.1000" }) })).activated, true);
    assert.equal((await evaluateActivation(readMessage, signed, { client: "web" })).activated, true);
    assert.equal((await evaluateActivation(readMessage, signed, { client: "ios" })).activated, false);
    const encrypted = makeActivationItem({ itemClass: "IPM.Note.SMIME", encrypted: true });
    assert.equal((await evaluateActivation(readMessage, encrypted, { client: "android" })).activated, false);
    assert.equal((await evaluateActivation(readMessage, encrypted, { client: "web" })).activated, true);
  });

  it("report items (NDRs, receipts) never activate", async () => {
    const r = await evaluateActivation(readMessage, makeActivationItem({ itemClass: "REPORT.IPM.Note.NDR" }));
    assert.equal(r.activated, false);
    assert.equal(r.limits[0].kind, "report-item");
  });
});

describe("entity rule scope differs per client", () => {
  it("classic clients apply ItemHasKnownEntity to the first 1 MB; server-stamped clients see the first 2,000 characters", async () => {
    const item = makeActivationItem({ bodyText: "x".repeat(2_100) + " see https://contoso.com/late" });
    const m = manifestWith(entity("Url"));
    assert.equal((await evaluateActivation(m, item, { client: "web" })).activated, false);
    assert.equal((await evaluateActivation(m, item, { client: "ios" })).activated, false);
    assert.equal((await evaluateActivation(m, item, { client: "windows" })).activated, true);
    assert.equal((await evaluateActivation(m, item, { client: "mac" })).activated, true);
    // getEntities is Exchange's stamping: 2,000 characters everywhere.
    assert.deepEqual((await evaluateActivation(m, item, { client: "windows" })).entities.urls, []);
  });
});
