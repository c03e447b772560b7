import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ACTIVATION_THRESHOLDS, closeSharedRegexPool, evaluateActivation, makeActivationItem, resolveThresholds, ThresholdRangeError } from "../../src/activation/index.ts";
import { applyBodyLimit } from "../../src/activation/body-limits.ts";
import type { ActivationItem, ClientId } from "../../src/activation/index.ts";
import type { AddinManifest } from "../../src/manifest/model.ts";
import { manifestWith, regex } from "./helpers/manifests.ts";

after(() => closeSharedRegexPool());

const bodyRule = manifestWith(regex("end", "END"));
const htmlRule = manifestWith(regex("end", "END", "BodyAsHTML"));
const bodyOf = (length: number) => "x".repeat(length - 3) + "END";

async function activated(manifest: AddinManifest, fields: Partial<ActivationItem>, client: ClientId) {
  return evaluateActivation(manifest, makeActivationItem(fields), { client });
}

describe("body size limits per client (just under / at / just over)", () => {
  it("web and new Outlook evaluate body regexes only under 500,000 characters", async () => {
    for (const client of ["web", "new-windows"] as const) {
      assert.equal((await activated(bodyRule, { bodyText: bodyOf(499_999) }, client)).activated, true);
      const at = await activated(bodyRule, { bodyText: bodyOf(500_000) }, client);
      assert.equal(at.activated, false);
      assert.deepEqual(at.limits.map((l) => [l.kind, l.actual, l.limit]), [["body-too-large", 500_000, 500_000]]);
      assert.equal((await activated(bodyRule, { bodyText: bodyOf(500_001) }, client)).activated, false);
      assert.equal((await activated(htmlRule, { bodyText: "", bodyHtml: bodyOf(499_999) }, client)).activated, true);
      assert.equal((await activated(htmlRule, { bodyText: "", bodyHtml: bodyOf(500_000) }, client)).activated, false);
    }
  });

  it("mobile evaluates plain bodies only under 16,000 characters, and the first 64,000 characters of HTML", async () => {
    for (const client of ["ios", "android"] as const) {
      assert.equal((await activated(bodyRule, { bodyText: bodyOf(15_999) }, client)).activated, true);
      assert.equal((await activated(bodyRule, { bodyText: bodyOf(16_000) }, client)).activated, false);
      assert.equal((await activated(bodyRule, { bodyText: bodyOf(16_001) }, client)).activated, false);
      assert.equal((await activated(htmlRule, { bodyText: "", bodyHtml: bodyOf(64_000) }, client)).activated, true);
      const over = await activated(htmlRule, { bodyText: "", bodyHtml: bodyOf(64_001) }, client);
      assert.equal(over.activated, false);
      assert.ok(over.limits.some((l) => l.kind === "body-truncated" && l.limit === 64_000));
    }
  });

  it("classic Windows and Mac evaluate the first 1 MB of plain text and 512 KB of HTML (UTF-8 bytes)", async () => {
    const MB = 1024 * 1024;
    for (const client of ["windows", "mac"] as const) {
      assert.equal((await activated(bodyRule, { bodyText: bodyOf(MB - 1) }, client)).activated, true);
      assert.equal((await activated(bodyRule, { bodyText: bodyOf(MB) }, client)).activated, true);
      const over = await activated(bodyRule, { bodyText: bodyOf(MB + 1) }, client);
      assert.equal(over.activated, false);
      assert.ok(over.limits.some((l) => l.kind === "body-truncated" && l.actual === MB + 1 && l.limit === MB));
      assert.equal((await activated(htmlRule, { bodyText: "", bodyHtml: bodyOf(512 * 1024) }, client)).activated, true);
      assert.equal((await activated(htmlRule, { bodyText: "", bodyHtml: bodyOf(512 * 1024 + 1) }, client)).activated, false);
    }
  });

  it("byte limits count UTF-8 bytes and never split a character", () => {
    // "é" is 2 bytes: 5 of them are 10 bytes; a 9-byte limit keeps 4 characters.
    const r = applyBodyLimit("ééééé", { kind: "truncate-bytes", bytes: 9 });
    assert.deepEqual([r.text, r.truncated, r.size], ["éééé", true, 10]);
    const emoji = applyBodyLimit("a😀", { kind: "truncate-bytes", bytes: 4 });
    assert.equal(emoji.text, "a");
    assert.equal(applyBodyLimit("ééééé", { kind: "truncate-bytes", bytes: 10 }).truncated, false);
  });
});

describe("match limits", () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");

  it("keeps at most 50 unique matches (49 / 50 / 51)", async () => {
    const m = manifestWith(regex("w", "w\\d+"));
    const r49 = await evaluateActivation(m, makeActivationItem({ bodyText: many(49) }));
    assert.equal(r49.regexMatches.w.length, 49);
    assert.ok(!r49.limits.some((l) => l.kind === "matches-capped"));
    const r50 = await evaluateActivation(m, makeActivationItem({ bodyText: many(50) }));
    assert.equal(r50.regexMatches.w.length, 50);
    assert.ok(!r50.limits.some((l) => l.kind === "matches-capped"));
    const r51 = await evaluateActivation(m, makeActivationItem({ bodyText: many(51) }));
    assert.equal(r51.regexMatches.w.length, 50);
    assert.ok(r51.limits.some((l) => l.kind === "matches-capped" && l.limit === 50));
  });

  it("drops matches over the client's length cap: classic 1,536 plain / 3,072 HTML, others 3,072", async () => {
    const m = manifestWith(regex("run", "a+"));
    const htmlM = manifestWith(regex("run", "a+", "BodyAsHTML"));
    const at = (n: number) => makeActivationItem({ bodyText: "a".repeat(n), bodyHtml: "a".repeat(n) });
    assert.equal((await evaluateActivation(m, at(1536), { client: "windows" })).activated, true);
    const over = await evaluateActivation(m, at(1537), { client: "windows" });
    assert.equal(over.activated, false);
    assert.ok(over.limits.some((l) => l.kind === "match-too-long" && l.actual === 1537 && l.limit === 1536));
    assert.equal((await evaluateActivation(htmlM, at(3072), { client: "mac" })).activated, true);
    assert.equal((await evaluateActivation(htmlM, at(3073), { client: "mac" })).activated, false);
    assert.equal((await evaluateActivation(m, at(3072), { client: "web" })).activated, true);
    assert.equal((await evaluateActivation(m, at(3073), { client: "web" })).activated, false);
    assert.equal((await evaluateActivation(m, at(3072), { client: "android" })).activated, true);
    assert.equal((await evaluateActivation(m, at(3073), { client: "ios" })).activated, false);
  });
});

describe("governance thresholds", () => {
  it("have Outlook's defaults", () => {
    assert.deepEqual(resolveThresholds(), { alertThresholdMs: 1000, retryLimit: 3 });
    assert.equal(ACTIVATION_THRESHOLDS.ActivationAlertThreshold.legacyName, "OutlookActivationAlertThreshold");
  });

  it("accept overrides inside their ranges and reject the rest (boundaries)", () => {
    assert.equal(resolveThresholds({ alertThresholdMs: 100 }).alertThresholdMs, 100);
    assert.equal(resolveThresholds({ alertThresholdMs: 10_000 }).alertThresholdMs, 10_000);
    assert.throws(() => resolveThresholds({ alertThresholdMs: 99 }), ThresholdRangeError);
    assert.throws(() => resolveThresholds({ alertThresholdMs: 10_001 }), ThresholdRangeError);
    assert.throws(() => resolveThresholds({ alertThresholdMs: 500.5 }), ThresholdRangeError);
    assert.equal(resolveThresholds({ retryLimit: 1 }).retryLimit, 1);
    assert.equal(resolveThresholds({ retryLimit: 5 }).retryLimit, 5);
    assert.throws(() => resolveThresholds({ retryLimit: 0 }), ThresholdRangeError);
    assert.throws(() => resolveThresholds({ retryLimit: 6 }), ThresholdRangeError);
  });

  it("evaluateActivation refuses an out-of-range override", async () => {
    await assert.rejects(evaluateActivation(manifestWith(regex("a", "a")), makeActivationItem({ bodyText: "a" }), { thresholds: { alertThresholdMs: 50 } }), ThresholdRangeError);
  });
});
