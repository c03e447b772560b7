/** Every resourceSpecific entry counts, not only the first (Microsoft's tool reads only [0]). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateManifestText } from "../../src/manifest/validate.ts";
import { baseJson, mutateJson } from "./helpers.ts";

const withRsc = (names: string[]) => mutateJson(baseJson, (m) => { m.authorization.permissions.resourceSpecific = names.map((name) => ({ name, type: "Delegated" })); });

test("SharedFolder listed first does not hide the tier", () => {
  const r = validateManifestText(withRsc(["Mailbox.SharedFolder", "MailboxItem.ReadWrite.User"]), "m.json");
  assert.equal(r.valid, true, JSON.stringify(r.findings));
  assert.equal(r.manifest!.tier, "ReadWriteItem");
  assert.deepEqual(r.manifest!.supplementary, ["SharedFolder"]);
});

test("AppendOnSend and SharedFolder after the tier are both read", () => {
  const r = validateManifestText(withRsc(["MailboxItem.ReadWrite.User", "Mailbox.AppendOnSend.User", "Mailbox.SharedFolder"]), "m.json");
  assert.deepEqual(r.manifest!.supplementary.sort(), ["AppendOnSend", "SharedFolder"]);
});

test("no tier entry means Restricted, with a warning", () => {
  const r = validateManifestText(withRsc(["Mailbox.SharedFolder"]), "m.json");
  assert.equal(r.manifest!.tier, "Restricted");
  assert.ok(r.findings.some((f) => f.code === "multiple-tiers" && f.severity === "warning"));
});

test("two tiers: the highest is granted, with a warning", () => {
  const r = validateManifestText(withRsc(["MailboxItem.Read.User", "Mailbox.ReadWrite.User"]), "m.json");
  assert.equal(r.manifest!.tier, "ReadWriteMailbox");
  assert.deepEqual(r.manifest!.declaredTiers, ["ReadItem", "ReadWriteMailbox"]);
});

test("a finding in JSON carries a pointer and a line", () => {
  const r = validateManifestText(withRsc(["MailboxItem.Read.User", "Mailbox.Bogus.User"]), "m.json");
  const f = r.findings.find((x) => x.code === "unknown-permission");
  assert.equal(f?.pointer, "/authorization/permissions/resourceSpecific/1/name");
  assert.ok((f?.line ?? 0) > 1);
});
