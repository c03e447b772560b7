/**
 * getRegExMatches / getRegExMatchesByName / getEntities*: answered by the activation module (the manifest's
 * regexes in the ReDoS-guarded worker pool, Outlook's per-client body limits; entities from the span Exchange
 * scans), for direct bridge calls and for the page's synchronous answers alike.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { parseManifestText } from "../../src/manifest/parse.ts";
import type { AddinManifest } from "../../src/manifest/model.ts";
import { officeError } from "../../src/permissions/index.ts";
import { createHost } from "../../src/testing/index.ts";

const base = await readFile("examples/read-item/manifest.xml", "utf8");
async function manifestWith(id: string, rules: string): Promise<AddinManifest> {
  const xml = base
    .replace(/<Id>[^<]*<\/Id>/, `<Id>${id}</Id>`)
    .replace(/<Rule xsi:type="RuleCollection" Mode="Or">[\s\S]*?<\/Rule>\s*<DisableEntityHighlighting>/, `<Rule xsi:type="RuleCollection" Mode="Or">${rules}</Rule>\n<DisableEntityHighlighting>`);
  const { manifest, findings } = parseManifestText(xml, "manifest.xml");
  assert.ok(manifest, JSON.stringify(findings.filter((f) => f.severity === "error")));
  return manifest;
}

const host = await createHost();
after(() => host.close());
const item = await host.addItem({ fields: { subject: "Order 12345", bodyText: `Ticket INC-4711 and INC-4712; call +1 425 555 0100. ${"a".repeat(40)}!` } });

test("getRegExMatches and getRegExMatchesByName come from the activation engine", async () => {
  const m = await manifestWith(
    "4f1f4ad4-2c57-4c3e-9b0a-0000000000a1",
    `<Rule xsi:type="ItemHasRegularExpressionMatch" RegExName="ticket" RegExValue="INC-\\d+" PropertyName="BodyAsPlaintext"/>
     <Rule xsi:type="ItemHasRegularExpressionMatch" RegExName="order" RegExValue="Order \\d+" PropertyName="Subject"/>`,
  );
  const s = await (await host.loadAddin({ manifest: m })).open(item);
  const all = await s.call("Office.context.mailbox.item.getRegExMatches", []);
  assert.equal(all.outcome, "ok", all.reason);
  assert.deepEqual(all.value, { ticket: ["INC-4711", "INC-4712"], order: ["Order 12345"] });
  const one = await s.call("Office.context.mailbox.item.getRegExMatchesByName", ["ticket"]);
  assert.deepEqual(one.value, ["INC-4711", "INC-4712"]);
  const none = await s.call("Office.context.mailbox.item.getRegExMatchesByName", ["nope"]);
  assert.equal(none.value, null);
  // The page gets the same answer synchronously.
  const run = await (await host.loadAddin({ manifest: m })).run({ code: `Office.onReady(function () { document.getElementById("o").textContent = JSON.stringify(Office.context.mailbox.item.getRegExMatches()); });` }, { item });
  assert.deepEqual(JSON.parse(run.page.o!), { ticket: ["INC-4711", "INC-4712"], order: ["Order 12345"] });
});

test("a catastrophic pattern fails cleanly within the activation budget instead of hanging the host", async () => {
  const m = await manifestWith("4f1f4ad4-2c57-4c3e-9b0a-0000000000a2", `<Rule xsi:type="ItemHasRegularExpressionMatch" RegExName="evil" RegExValue="(a+)+$" PropertyName="BodyAsPlaintext"/>`);
  const addin = await host.loadAddin({ manifest: m });
  const s = await addin.open(item);
  const r = await s.call("Office.context.mailbox.item.getRegExMatches", []);
  assert.equal(r.outcome, "failed");
  assert.equal(r.error?.code, 5001);
  const byName = await s.call("Office.context.mailbox.item.getRegExMatchesByName", ["evil"]);
  assert.equal(byName.outcome, "failed");
  // On the page the synchronous call throws; the add-in catches it and carries on, nobody is stuck.
  const run = await addin.run(
    { code: `Office.onReady(function () { try { Office.context.mailbox.item.getRegExMatches(); document.getElementById("o").textContent = "answered"; } catch (e) { document.getElementById("o").textContent = "threw: " + e.message; } });` },
    { item },
  );
  assert.equal(run.page.o, `threw: ${officeError(5001).message}`);
  assert.deepEqual(run.governance, []);
});

test("getEntities / getEntitiesByType: the activation module's entities at the session's tier", async () => {
  const m = await manifestWith("4f1f4ad4-2c57-4c3e-9b0a-0000000000a3", `<Rule xsi:type="ItemIs" ItemType="Message" FormType="Read"/>`);
  const s = await (await host.loadAddin({ manifest: m })).open(item);
  const all = await s.call("Office.context.mailbox.item.getEntities", []);
  assert.equal(all.outcome, "ok", all.reason);
  const phones = (all.value as { phoneNumbers: { originalPhoneString: string }[] }).phoneNumbers;
  assert.ok(phones.some((p) => p.originalPhoneString.includes("425 555 0100")), JSON.stringify(all.value));
  const byType = await s.call("Office.context.mailbox.item.getEntitiesByType", ["phoneNumber"]);
  assert.deepEqual(byType.value, phones);
  // Compose forms have no known entities (Exchange stamps them on delivered mail only).
  const draft = await host.addItem({ fields: { subject: "draft", bodyText: "call +1 425 555 0100", isDraft: true } });
  const c = await (await host.loadAddin({ manifest: m, tier: "ReadWriteItem" })).open(draft, { form: "compose" });
  const composed = await c.call("Office.context.mailbox.item.getEntities", []);
  assert.notEqual(composed.outcome, "ok", "getEntities does not exist in compose");
});
