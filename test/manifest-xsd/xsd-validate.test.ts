import { test } from "node:test";
import assert from "node:assert/strict";
import { validateXmlSchema } from "../../src/manifest/xml/xsd-validate.ts";
import { corpusXml, lineOf, VALID } from "./fixtures.ts";

const corpus = corpusXml();

test("the valid fixture passes the schema", () => {
  assert.deepEqual(validateXmlSchema(VALID), []);
});

for (const m of corpus.filter((c) => c.expected === "valid")) {
  test(`corpus ${m.file} (valid) passes the schema`, () => {
    assert.deepEqual(validateXmlSchema(m.text), []);
  });
}

// Files whose only listed defect is semantic (undefined resid) are schema-valid, except the Office-Addin-Scripts
// test file that nests a second VersionOverrides in the 1.0 namespace and uses LaunchEvent there (1.1-only).
const NOT_SCHEMA_VALID = new Set(["xml/officedev-addin-scripts__project-test-manifest.xml"]);
for (const m of corpus.filter((c) => /^invalid: undefined-resid:[^;]*$/.test(c.expected) && !NOT_SCHEMA_VALID.has(c.file))) {
  test(`corpus ${m.file} (semantic defect only) passes the schema`, () => {
    assert.deepEqual(validateXmlSchema(m.text), []);
  });
}

test("project-test-manifest: LaunchEvent in the 1.0 namespace and a mis-namespaced nested VersionOverrides are reported", () => {
  const m = corpus.find((c) => c.file === "xml/officedev-addin-scripts__project-test-manifest.xml")!;
  const f = validateXmlSchema(m.text);
  assert.ok(f.some((x) => x.code === "xml-schema" && /LaunchEvent/.test(x.message) && x.line === 124));
  assert.ok(f.some((x) => x.code === "xml-schema" && /mailappversionoverrides\/1\.1/.test(x.message) && x.line === 163));
});

for (const m of corpus.filter((c) => c.expected.startsWith("invalid: xml-not-well-formed"))) {
  test(`corpus ${m.file} is reported not well-formed with a line`, () => {
    const f = validateXmlSchema(m.text);
    assert.equal(f.length, 1);
    assert.equal(f[0].code, "xml-not-well-formed");
    const line = Number(/line (\d+)/.exec(m.expected)![1]);
    assert.equal(f[0].line, line);
    assert.ok((f[0].column ?? 0) >= 1);
  });
}

test("corpus NotId: missing Id / unexpected NotId is reported at line 3", () => {
  const m = corpus.find((c) => c.file.includes("project-invalid-NotId"))!;
  const f = validateXmlSchema(m.text).filter((x) => x.line === 3);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, "xml-schema");
  assert.match(f[0].message, /<NotId> is not allowed here: expected <Id>/);
  assert.equal(f[0].column, 4);
});

test("corpus TaskPaneApp: not a MailApp, missing Description, DefaultSettings, bad Permissions", () => {
  const m = corpus.find((c) => c.file.includes("invalid-no-description"))!;
  const f = validateXmlSchema(m.text);
  const notMail = f.find((x) => x.code === "xml-not-mail-app");
  assert.ok(notMail && notMail.line === lineOf(m.text, "xsi:type=\"TaskPaneApp\""));
  assert.ok(f.some((x) => x.code === "xml-schema" && /expected <Description>/.test(x.message) && x.line === lineOf(m.text, "<Hosts>")));
  assert.ok(f.some((x) => /<DefaultSettings> is not an element of a mail add-in manifest/.test(x.message) && x.line === lineOf(m.text, "<DefaultSettings>")));
  assert.ok(f.some((x) => /'ReadWriteDocument'/.test(x.message) && x.line === lineOf(m.text, "<Permissions>")));
  for (const x of f) assert.equal(x.severity, "error");
});

test("a bad Permissions value fails with line, column and the allowed values", () => {
  const text = VALID.replace("<Permissions>ReadWriteItem</Permissions>", "<Permissions>ReadWriteDocument</Permissions>");
  const f = validateXmlSchema(text);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, "xml-schema");
  assert.equal(f[0].line, lineOf(text, "<Permissions>"));
  assert.equal(f[0].column, 3);
  assert.match(f[0].message, /<Permissions> has the value 'ReadWriteDocument'.*Restricted, ReadItem, ReadWriteItem, ReadWriteMailbox/);
});

test("schema 1.0 rejects ReadWriteItem (added in 1.1)", () => {
  const m = corpus.find((c) => c.file.includes("mailcrm-schema10"))!;
  const f = validateXmlSchema(m.text.replace("<Permissions>ReadItem</Permissions>", "<Permissions>ReadWriteItem</Permissions>"));
  assert.equal(f.length, 1);
  assert.match(f[0].message, /ReadWriteItem/);
});

test("wrong element order fails at the out-of-place element", () => {
  const text = VALID.replace(
    "<Version>1.0.0.0</Version>\n  <ProviderName>Outpost tests</ProviderName>",
    "<ProviderName>Outpost tests</ProviderName>\n  <Version>1.0.0.0</Version>",
  );
  const f = validateXmlSchema(text);
  assert.equal(f[0].code, "xml-schema");
  assert.equal(f[0].line, lineOf(text, "<ProviderName>"));
  assert.equal(f[0].column, 3);
  assert.match(f[0].message, /<ProviderName> is not allowed here: expected .*<Version>/);
});

test("a missing required element fails with line and column", () => {
  const start = VALID.indexOf("  <FormSettings>");
  const end = VALID.indexOf("</FormSettings>") + "</FormSettings>\n".length;
  const text = VALID.slice(0, start) + VALID.slice(end);
  const f = validateXmlSchema(text);
  assert.equal(f[0].code, "xml-schema");
  assert.equal(f[0].line, lineOf(text, "<Permissions>"));
  assert.ok((f[0].column ?? 0) > 1);
  assert.match(f[0].message, /expected <FormSettings>/);
});

test("a missing required child (empty FormSettings) is reported as incomplete", () => {
  const text = VALID.replace(/<FormSettings>[\s\S]*<\/FormSettings>/, "<FormSettings></FormSettings>");
  const f = validateXmlSchema(text);
  assert.match(f[0].message, /<FormSettings> is incomplete.*<Form>/);
  assert.equal(f[0].line, lineOf(text, "<FormSettings>"));
});

test("a 1.1-only element inside VersionOverrides 1.0 is rejected; order inside 1.1 matters", () => {
  const inner = VALID.replace("<Resources>", "<ExtendedPermissions><ExtendedPermission>AppendOnSend</ExtendedPermission></ExtendedPermissions>\n      <Resources>");
  const f = validateXmlSchema(inner);
  assert.equal(f.length, 1);
  assert.match(f[0].message, /<Resources> is not allowed here/);
  const ok = VALID.replace("</Resources>", "</Resources>\n      <ExtendedPermissions><ExtendedPermission>AppendOnSend</ExtendedPermission></ExtendedPermissions>");
  assert.deepEqual(validateXmlSchema(ok), []);
});

test("an unknown xsi:type on an extension point names the type", () => {
  const text = VALID.replace('xsi:type="LaunchEvent"', 'xsi:type="LaunchEvents"');
  const f = validateXmlSchema(text);
  assert.equal(f.length, 1);
  assert.match(f[0].message, /xsi:type="LaunchEvents"/);
});

test("a missing required attribute and a bad boolean are explained", () => {
  const f1 = validateXmlSchema(VALID.replace('<Rule xsi:type="ItemIs" ItemType="Message" FormType="Read"/>', '<Rule xsi:type="ItemIs" FormType="Read"/>'));
  assert.match(f1[0].message, /<Rule> is missing the required attribute ItemType/);
  const f2 = validateXmlSchema(VALID.replace("</Rule>\n", "</Rule>\n  <DisableEntityHighlighting>yes</DisableEntityHighlighting>\n"));
  assert.match(f2[0].message, /<DisableEntityHighlighting> has the value 'yes'/);
});

test("a root that is not OfficeApp is reported, not thrown", () => {
  const f = validateXmlSchema(`<?xml version="1.0"?><html><body/></html>`);
  assert.equal(f[0].code, "xml-not-office-app");
  const g = validateXmlSchema(VALID.replace('appforoffice/1.1"', 'appforoffice/9.9"'));
  assert.equal(g[0].code, "xml-not-office-app");
});

test("garbage never throws", () => {
  for (const input of ["", " ", "<", "<a>", "not xml at all", "<?xml version='1.0'?>", "\uFEFF", "<OfficeApp xmlns='http://schemas.microsoft.com/office/appforoffice/1.1'/>"]) {
    const f = validateXmlSchema(input);
    assert.ok(f.length > 0, `expected findings for ${JSON.stringify(input)}`);
    for (const x of f) assert.equal(x.severity, "error");
  }
});

test("a UTF-8 BOM is accepted", () => {
  assert.deepEqual(validateXmlSchema("\uFEFF" + VALID), []);
});
