import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { XmlDocument } from "libxml2-wasm";
import { checkXmlSafety, decodeSafeXml, MAX_PARSE_BYTES } from "../../src/manifest/xml/safe-xml.ts";
import { SAFE_PARSE_OPTIONS, validateXmlSchema } from "../../src/manifest/xml/xsd-validate.ts";
import { VALID } from "./fixtures.ts";

const PASSWD_MARKER = fs.existsSync("/etc/passwd") ? fs.readFileSync("/etc/passwd", "utf8").split("\n")[0] : "root:x:0:0";

const XXE = `<?xml version="1.0"?>
<!DOCTYPE OfficeApp [<!ENTITY leak SYSTEM "file:///etc/passwd">]>
<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1"><Id>&leak;</Id></OfficeApp>`;

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<OfficeApp>&lol9;</OfficeApp>`;

function noLeak(findings: { message: string }[]): void {
  for (const f of findings) {
    assert.ok(!f.message.includes(PASSWD_MARKER), `leaked /etc/passwd: ${f.message}`);
    assert.ok(!/root:x:0:0/.test(f.message), `leaked /etc/passwd: ${f.message}`);
  }
}

test("XXE pointing at file:///etc/passwd is refused before parsing and leaks nothing", () => {
  const f = validateXmlSchema(XXE);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, "xml-doctype-forbidden");
  assert.equal(f[0].line, 2);
  assert.match(f[0].message, /XXE/);
  noLeak(f);
});

test("even without the guard, libxml2 with our parse options never loads the external entity", () => {
  const doc = XmlDocument.fromString(XXE, { option: SAFE_PARSE_OPTIONS });
  try {
    assert.ok(!doc.root.content.includes(PASSWD_MARKER));
    assert.ok(!/root:x:0:0/.test(doc.root.content));
  } finally {
    doc.dispose();
  }
});

test("an XXE through a parameter entity / external DTD is refused", () => {
  const f = validateXmlSchema(`<?xml version="1.0"?>\n<!DOCTYPE OfficeApp SYSTEM "file:///etc/passwd">\n<OfficeApp/>`);
  assert.equal(f[0].code, "xml-doctype-forbidden");
  assert.match(f[0].message, /external DTD/);
  noLeak(f);
  const g = validateXmlSchema(`<!-- c --><!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]><x/>`);
  assert.equal(g[0].code, "xml-doctype-forbidden");
});

test("billion laughs is refused with a clear finding", () => {
  const f = validateXmlSchema(BILLION_LAUGHS);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, "xml-doctype-forbidden");
  assert.match(f[0].message, /billion laughs/);
});

test("a plain DOCTYPE without entities is refused too (manifests never need one)", () => {
  const f = checkXmlSafety(`<?xml version="1.0"?>\n<!doctype OfficeApp>\n<OfficeApp/>`);
  assert.equal(f[0].code, "xml-doctype-forbidden");
  assert.equal(f[0].line, 2);
});

test("the word DOCTYPE inside a comment after the root is not a DOCTYPE", () => {
  assert.deepEqual(checkXmlSafety(VALID.replace("</OfficeApp>", "<!-- <!DOCTYPE x> --></OfficeApp>")), []);
});

test("a 50 MB file is refused from its size alone (string and buffer)", () => {
  const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
  const f = checkXmlSafety(big);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, "manifest-too-large");
  assert.match(f[0].message, /50\.0 MB/);
  const s = validateXmlSchema("<a>" + "x".repeat(50 * 1024 * 1024) + "</a>");
  assert.equal(s[0].code, "manifest-too-large");
});

test("the size cap is exact", () => {
  assert.equal(checkXmlSafety(Buffer.alloc(MAX_PARSE_BYTES, 0x20)).length, 0);
  assert.equal(checkXmlSafety(Buffer.alloc(MAX_PARSE_BYTES + 1, 0x20))[0].code, "manifest-too-large");
});

test("binary garbage and NUL bytes are not text", () => {
  const garbage = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
  const f = checkXmlSafety(garbage);
  assert.equal(f.length, 1);
  assert.ok(["not-text", "invalid-utf8"].includes(f[0].code));
  const nul = checkXmlSafety(Buffer.from("<OfficeApp>\n  <Id>a\u0000b</Id>"));
  assert.equal(nul[0].code, "not-text");
  assert.equal(nul[0].line, 2);
  assert.equal(nul[0].column, 8);
  const ctrl = validateXmlSchema("<OfficeApp>\u0007</OfficeApp>");
  assert.equal(ctrl[0].code, "not-text");
});

test("invalid UTF-8 is reported with byte offset, line and column", () => {
  const bytes = Buffer.concat([Buffer.from("<OfficeApp>\n  <Id>ab"), Buffer.from([0xc3, 0x28]), Buffer.from("</Id></OfficeApp>")]);
  const f = checkXmlSafety(bytes);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, "invalid-utf8");
  assert.equal(f[0].line, 2);
  assert.equal(f[0].column, 9);
  assert.match(f[0].message, /byte offset 20/);
  // overlong encoding and a lone surrogate are invalid too
  assert.equal(checkXmlSafety(Buffer.from([0x3c, 0xc0, 0xaf]))[0].code, "invalid-utf8");
  assert.equal(checkXmlSafety(Buffer.from([0x3c, 0xed, 0xa0, 0x80]))[0].code, "invalid-utf8");
  assert.equal(checkXmlSafety(Buffer.from([0x3c, 0xe2, 0x82]))[0].code, "invalid-utf8");
});

test("valid UTF-8 (multi-byte) and UTF-16 with a BOM decode to the same text", () => {
  const text = VALID.replace("Outpost tests", "Outpost — tëst 😀");
  assert.deepEqual(checkXmlSafety(Buffer.from(text, "utf8")), []);
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
  const d = decodeSafeXml(utf16);
  assert.deepEqual(d.findings, []);
  assert.equal(d.text, text);
  assert.deepEqual(validateXmlSchema(d.text!), []);
});

test("random byte soup never throws", () => {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff);
  for (let i = 0; i < 200; i++) {
    const buf = Buffer.from(Array.from({ length: 1 + (i % 97) }, rnd));
    const safe = decodeSafeXml(buf);
    if (safe.text !== undefined) validateXmlSchema(safe.text);
  }
});
