/** Each semantic rule: one manifest that trips it, and the base manifest that passes it (RuleTester style). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateManifestText } from "../../src/manifest/validate.ts";
import { MANIFEST_RULES } from "../../src/manifest/rules/index.ts";
import { baseJson, baseXml, mutateJson, replaceOnce } from "./helpers.ts";

const rx = (name: string, value: string, extra = "") => `<Rule xsi:type="ItemHasRegularExpressionMatch" RegExName="${name}" RegExValue="${value}" PropertyName="BodyAsPlaintext"${extra}/>`;
const withRules = (inner: string, tier = "ReadItem") =>
  replaceOnce(replaceOnce(baseXml, `<Rule xsi:type="ItemIs" ItemType="Message" FormType="Read"/>`, inner), "<Permissions>ReadItem</Permissions>", `<Permissions>${tier}</Permissions>`);

interface Case { name: string; format: "xml" | "json"; text: string; code: string; line?: boolean; severity?: "error" | "warning" }

const tripping: Case[] = [
  { name: "a manifest over 256 KB", format: "xml", code: "manifest-too-large", text: replaceOnce(baseXml, "</OfficeApp>", `<!--${"x".repeat(270 * 1024)}-->\n</OfficeApp>`) },
  { name: "16 activation rules", format: "xml", code: "too-many-rules", line: true, text: withRules(Array.from({ length: 16 }, () => `<Rule xsi:type="ItemIs" ItemType="Message" FormType="Read"/>`).join("\n")) },
  { name: "6 regular expressions", format: "xml", code: "too-many-regexes", line: true, text: withRules(Array.from({ length: 6 }, (_, i) => rx(`r${i}`, `a${i}`)).join("\n")) },
  { name: "a regex rule at Restricted", format: "xml", code: "regex-needs-read-item", line: true, text: withRules(rx("order", "ORD-[0-9]+"), "Restricted") },
  { name: "a regex entity filter at Restricted", format: "xml", code: "regex-needs-read-item", line: true, text: withRules(`<Rule xsi:type="ItemHasKnownEntity" EntityType="Url" RegExFilter="contoso" FilterName="c"/>`, "Restricted") },
  { name: "an attachment rule at Restricted", format: "xml", code: "rule-needs-read-item", severity: "warning", line: true, text: withRules(`<Rule xsi:type="ItemHasAttachment"/>`, "Restricted") },
  { name: "a regex that does not compile", format: "xml", code: "invalid-regex", line: true, text: withRules(rx("bad", "(unclosed")) },
  { name: "an unknown rule type", format: "xml", code: "invalid-rule", line: true, text: withRules(`<Rule xsi:type="ItemHasKeyword" Keyword="x"/>`) },
  { name: "activation rules in a unified manifest", format: "json", code: "activation-rules-in-unified", text: mutateJson(baseJson, (m) => { m.extensions[0].rules = [{ type: "ItemIs" }]; }) },
  { name: "two <Permissions> declarations", format: "xml", code: "duplicate-permissions", line: true, text: replaceOnce(baseXml, "<Permissions>ReadItem</Permissions>", "<Permissions>ReadItem</Permissions>\n  <Permissions>ReadWriteMailbox</Permissions>") },
  { name: "an unknown XML permission", format: "xml", code: "unknown-permission", line: true, text: replaceOnce(baseXml, "<Permissions>ReadItem</Permissions>", "<Permissions>ReadAll</Permissions>") },
  { name: "an unknown unified permission", format: "json", code: "unknown-permission", line: true, text: mutateJson(baseJson, (m) => { m.authorization.permissions.resourceSpecific[0].name = "MailboxItem.ReadAll.User"; }) },
  { name: "ReadWriteItem in a 1.0 schema manifest", format: "xml", code: "unknown-permission", line: true, text: replaceOnce(replaceOnce(baseXml, "appforoffice/1.1", "appforoffice/1.0"), "<Permissions>ReadItem</Permissions>", "<Permissions>ReadWriteItem</Permissions>") },
  { name: "an http SourceLocation", format: "xml", code: "https-required", line: true, text: replaceOnce(baseXml, "https://addin.example.com/read.html", "http://addin.example.com/read.html") },
  { name: "an http runtime page", format: "json", code: "https-required", line: true, text: mutateJson(baseJson, (m) => { m.extensions[0].runtimes[0].code.page = "http://addin.example.com/taskpane.html"; }) },
  { name: "an id that is not a GUID", format: "xml", code: "id-not-guid", line: true, text: replaceOnce(baseXml, "6c2f7d1e-4b1a-4d7e-9a55-0b7c1e2f3a40", "my-addin") },
  { name: "a five-part version", format: "xml", code: "version-format", line: true, text: replaceOnce(baseXml, "<Version>1.0.0.0</Version>", "<Version>1.0.0.0.1</Version>") },
  { name: "an icon of a size Outlook does not use", format: "xml", code: "icon-size", line: true, text: replaceOnce(baseXml, `<bt:Image size="80" resid="Icon.80x80"/>`, `<bt:Image size="81" resid="Icon.80x80"/>`) },
  { name: "a resid that is not defined", format: "xml", code: "undefined-resid", line: true, text: replaceOnce(baseXml, `<SourceLocation resid="Taskpane.Url"/>`, `<SourceLocation resid="Missing.Url"/>`) },
  { name: "a resource id defined twice", format: "xml", code: "duplicate-resource-id", line: true, text: replaceOnce(baseXml, `<bt:Url id="Taskpane.Url"`, `<bt:Url id="Commands.Url" DefaultValue="https://addin.example.com/x.html"/>\n        <bt:Url id="Taskpane.Url"`) },
  { name: "an ActiveX control", format: "xml", code: "activex-refused", line: true, text: replaceOnce(baseXml, "https://addin.example.com/read.html", "clsid:D27CDB6E-AE6D-11cf-96B8-444553540000") },
  { name: "a TaskPaneApp", format: "xml", code: "xml-not-mail-app", text: replaceOnce(baseXml, `xsi:type="MailApp"`, `xsi:type="TaskPaneApp"`) },
  { name: "no Mailbox host", format: "json", code: "no-mailbox-host", text: mutateJson(baseJson, (m) => { m.extensions[0].requirements.scopes = ["document"]; }) },
  { name: "a template placeholder", format: "xml", code: "template-placeholder", line: true, text: replaceOnce(baseXml, "https://addin.example.com/read.html", "https://{{host}}/read.html") },
  { name: "an unknown extended permission", format: "xml", code: "extended-permission", line: true, text: replaceOnce(baseXml, "    </Resources>\n  </VersionOverrides>", "    </Resources>\n    <ExtendedPermissions><ExtendedPermission>SendAs</ExtendedPermission></ExtendedPermissions>\n  </VersionOverrides>") },
  { name: "two tiers in a unified manifest", format: "json", code: "multiple-tiers", severity: "warning", line: true, text: mutateJson(baseJson, (m) => { m.authorization.permissions.resourceSpecific.push({ name: "Mailbox.ReadWrite.User", type: "Delegated" }); }) },
  { name: "the converter's spelling of SharedFolder", format: "json", code: "permission-alias", severity: "warning", line: true, text: mutateJson(baseJson, (m) => { m.authorization.permissions.resourceSpecific.push({ name: "Mailbox.AccessSharedFolders.User", type: "Delegated" }); }) },
  { name: "AppendOnSend below ReadWriteItem", format: "json", code: "append-on-send-needs-read-write-item", severity: "warning", text: mutateJson(baseJson, (m) => { m.authorization.permissions.resourceSpecific.push({ name: "Mailbox.AppendOnSend.User", type: "Delegated" }); }) },
];

test("the base manifests are valid and trip no rule", () => {
  for (const [text, name] of [[baseXml, "base.xml"], [baseJson, "base.json"]]) {
    const r = validateManifestText(text, name);
    assert.deepEqual(r.findings, [], `${name}: ${JSON.stringify(r.findings)}`);
    assert.equal(r.valid, true);
  }
});

for (const c of tripping) {
  test(`rule ${c.code} trips on ${c.name}`, () => {
    const r = validateManifestText(c.text, `case.${c.format}`);
    const hit = r.findings.find((f) => f.code === c.code);
    assert.ok(hit, `expected ${c.code}, got ${JSON.stringify(r.findings)}`);
    assert.equal(hit.severity, c.severity ?? "error");
    if (c.severity !== "warning") assert.equal(r.valid, false);
    if (c.line) assert.ok(typeof hit.line === "number" && hit.line > 1, `finding has a line: ${JSON.stringify(hit)}`);
    assert.ok(hit.message.length > 20 && !/\bat .*\.ts:\d+/.test(hit.message), "a sentence, not a stack trace");
  });
}

test("every registered rule has a tripping case", () => {
  const covered = new Set(tripping.map((c) => c.code));
  assert.ok(covered.has("xml-not-mail-app"), "the schema's MailApp check is covered too");
  for (const rule of MANIFEST_RULES) assert.ok(covered.has(rule.meta.code), `no test trips ${rule.meta.code}`);
});

test("regex rules at ReadItem, and exactly 15 rules / 5 regexes, pass", () => {
  const fifteen = withRules(Array.from({ length: 15 }, () => `<Rule xsi:type="ItemIs" ItemType="Message" FormType="Read"/>`).join("\n"));
  const five = withRules(Array.from({ length: 5 }, (_, i) => rx(`r${i}`, `a${i}`)).join("\n"));
  for (const text of [fifteen, five]) {
    const r = validateManifestText(text, "x.xml");
    assert.deepEqual(r.findings.filter((f) => f.severity === "error"), []);
  }
});
