/** Conversion in both directions: output validates, and what cannot be carried is reported. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateManifestText } from "../../src/manifest/validate.ts";
import { convertValidated } from "../../src/manifest/convert-validated.ts";
import { baseJson, baseXml, mutateJson, replaceOnce } from "./helpers.ts";

test("XML → JSON keeps id, tier, surfaces; reports the activation rule as not carried", () => {
  const m = validateManifestText(baseXml, "b.xml").manifest!;
  const c = convertValidated(m, "json");
  assert.equal(c.valid, true, JSON.stringify(c.findings));
  const out = JSON.parse(c.output);
  assert.equal(out.id, m.id);
  assert.equal(out.authorization.permissions.resourceSpecific[0].name, "MailboxItem.Read.User");
  assert.deepEqual(out.extensions[0].ribbons[0].contexts, ["mailRead"]);
  assert.ok(c.notes.some((n) => n.kind === "dropped" && n.field === "Rule"));
});

test("JSON → XML keeps id, tier and supplementary permissions", () => {
  const json = mutateJson(baseJson, (m) => {
    m.authorization.permissions.resourceSpecific = [
      { name: "Mailbox.SharedFolder", type: "Delegated" },
      { name: "MailboxItem.ReadWrite.User", type: "Delegated" },
      { name: "Mailbox.AppendOnSend.User", type: "Delegated" },
    ];
  });
  const m = validateManifestText(json, "b.json").manifest!;
  const c = convertValidated(m, "xml");
  assert.equal(c.valid, true, JSON.stringify(c.findings));
  const back = validateManifestText(c.output, "back.xml").manifest!;
  assert.equal(back.id, m.id);
  assert.equal(back.tier, "ReadWriteItem");
  assert.deepEqual([...back.supplementary].sort(), ["AppendOnSend", "SharedFolder"]);
});

test("round trip XML → JSON → XML keeps tier and controls", () => {
  const xml = replaceOnce(baseXml, "<Permissions>ReadItem</Permissions>", "<Permissions>ReadWriteMailbox</Permissions>");
  const m1 = validateManifestText(xml, "a.xml").manifest!;
  const json = convertValidated(m1, "json");
  const m2 = validateManifestText(json.output, "a.json").manifest!;
  const xml2 = convertValidated(m2, "xml");
  assert.equal(xml2.valid, true, JSON.stringify(xml2.findings));
  const m3 = validateManifestText(xml2.output, "a2.xml").manifest!;
  assert.equal(m3.tier, "ReadWriteMailbox");
  assert.deepEqual(m3.extensionPoints.map((e) => e.type), ["MessageReadCommandSurface"]);
  assert.equal(m3.extensionPoints[0].groups[0].controls[0].action?.sourceLocation, "https://addin.example.com/taskpane.html");
});
