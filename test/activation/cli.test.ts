import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CORPUS = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));
const CONTOSO = CORPUS + "manifests/xml/officedev-contextual-regex__contoso-order-number.xml";

function outpost(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), "outpost-activation-"));
const orderMail = join(dir, "order.eml");
writeFileSync(orderMail, "From: shop@contoso.com\r\nTo: me@contoso.com\r\nSubject: Your order\r\n\r\nOrder CO-123456789 has shipped.\r\n");

describe("outpost activation explain", () => {
  it("prints every rule with its value, the matched text and the verdict", () => {
    const r = outpost("activation", "explain", "--manifest", CONTOSO, "--item", orderMail, "--client", "windows");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /on windows, read form/);
    assert.match(r.out, /\[true \] ItemIs ItemType=Message FormType=Read/);
    assert.match(r.out, /\[true \] ItemHasRegularExpressionMatch RegExName=OrderNumber/);
    assert.match(r.out, /matched: "CO-123456789"/);
    assert.match(r.out, /verdict: activated/);
  });

  it("--json prints activated, rules and limits", () => {
    const r = outpost("activation", "explain", "--manifest", CONTOSO, "--item", orderMail, "--form", "compose", "--json");
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j).slice(0, 3), ["activated", "rules", "limits"]);
    assert.equal(j.activated, false);
    assert.ok(j.limits.some((l: { kind: string }) => l.kind === "read-form-only"));
    assert.ok(j.rules.every((x: { value: unknown }) => typeof x.value === "boolean"));
  });

  it("shows the limit that was hit", () => {
    const big = join(dir, "big.eml");
    writeFileSync(big, "From: a@contoso.com\r\nSubject: big\r\n\r\n" + "x".repeat(20_000) + " CO-123456789\r\n");
    const r = outpost("activation", "explain", "--manifest", CONTOSO, "--item", big, "--client", "android", "--json");
    const j = JSON.parse(r.out);
    assert.equal(j.activated, false);
    assert.ok(j.limits.some((l: { kind: string; limit: number }) => l.kind === "body-too-large" && l.limit === 16000));
  });

  it("bad input: one-line errors, exit 1 for files, 2 for usage", () => {
    const missing = outpost("activation", "explain", "--manifest", CONTOSO, "--item", join(dir, "nope.eml"));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.eml: does not exist/);
    assert.equal(missing.err.trim().split("\n").length, 1);
    const badManifest = join(dir, "bad.xml");
    writeFileSync(badManifest, "<OfficeApp><Id>");
    const bad = outpost("activation", "explain", "--manifest", badManifest, "--item", orderMail);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /bad\.xml/);
    assert.doesNotMatch(bad.err, /at .*\.ts:\d+/);
    const client = outpost("activation", "explain", "--manifest", CONTOSO, "--item", orderMail, "--client", "blackberry");
    assert.equal(client.code, 2);
    assert.match(client.err, /--client must be one of/);
    const threshold = outpost("activation", "explain", "--manifest", CONTOSO, "--item", orderMail, "--threshold", "50");
    assert.equal(threshold.code, 2);
    assert.match(threshold.err, /ActivationAlertThreshold must be an integer from 100 to 10000/);
    const noItem = outpost("activation", "explain", "--manifest", CONTOSO);
    assert.equal(noItem.code, 2);
  });
});
