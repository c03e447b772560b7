/** Hostile input gets a clear finding quickly: never a stack trace, never a file or network read. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, openSync, ftruncateSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateManifestBytes, validateManifestFile } from "../../src/manifest/validate.ts";
import { baseXml } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "outpost-hostile-"));
const errorsOf = (r: { findings: { severity: string; code: string; message: string; line?: number }[] }) => r.findings.filter((f) => f.severity === "error");

function assertRefused(r: ReturnType<typeof validateManifestBytes>, code: RegExp) {
  assert.equal(r.valid, false);
  const errs = errorsOf(r);
  assert.ok(errs.some((f) => code.test(f.code)), JSON.stringify(errs));
  for (const f of errs) assert.doesNotMatch(f.message, /\n\s+at |node_modules/, "no stack trace in a finding");
}

test("XXE: an external entity pointing at /etc/passwd is refused and nothing leaks", () => {
  const xxe = baseXml.replace("<OfficeApp", `<!DOCTYPE OfficeApp [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<OfficeApp`).replace("Outpost tests", "&xxe;");
  const r = validateManifestBytes(Buffer.from(xxe), "xxe.xml");
  assertRefused(r, /doctype|entity|xxe/i);
  assert.doesNotMatch(JSON.stringify(r), /root:x:0:0/);
});

test("XXE over the network is refused without a request", () => {
  const xxe = `<?xml version="1.0"?><!DOCTYPE OfficeApp SYSTEM "http://127.0.0.1:9/evil.dtd"><OfficeApp/>`;
  assertRefused(validateManifestBytes(Buffer.from(xxe), "net.xml"), /doctype|entity|xxe/i);
});

test("billion laughs is refused", () => {
  const lol = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`).join("\n")}\n]>\n<OfficeApp>&lol9;</OfficeApp>`;
  assertRefused(validateManifestBytes(Buffer.from(lol), "lol.xml"), /doctype|entity/i);
});

test("a 50 MB file is answered from its size, without parsing", async () => {
  const file = join(dir, "huge.xml");
  const fd = openSync(file, "w");
  ftruncateSync(fd, 50 * 1024 * 1024);
  closeSync(fd);
  const r = await validateManifestFile(file);
  assertRefused(r, /too-large/);
  assert.match(errorsOf(r)[0].message, /50\.0 MB/);
});

test("binary garbage is refused as not text", () => {
  const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
  assertRefused(validateManifestBytes(bytes, "garbage.xml"), /not-text|invalid-utf8|not-well-formed/);
});

test("invalid UTF-8 is refused with its position", () => {
  const bytes = Buffer.concat([Buffer.from(baseXml.slice(0, 200)), Buffer.from([0xc3, 0x28]), Buffer.from(baseXml.slice(200))]);
  const r = validateManifestBytes(bytes, "bad.xml");
  assertRefused(r, /invalid-utf8/);
  assert.ok(errorsOf(r)[0].line !== undefined);
});

test("invalid UTF-8 in a JSON manifest is refused too", () => {
  assertRefused(validateManifestBytes(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), "bad.json"), /invalid-utf8/);
});

test("a missing file and a directory are findings, not exceptions", async () => {
  assertRefused(await validateManifestFile(join(dir, "nope.xml")), /file-not-found/);
  assertRefused(await validateManifestFile(dir), /not-a-file/);
});

test("neither XML nor JSON", () => {
  assertRefused(validateManifestBytes(Buffer.from("hello world"), "x.txt"), /unknown-format/);
});

test("deeply nested JSON does not crash the parser", () => {
  const deep = "[".repeat(100000) + "]".repeat(100000);
  const r = validateManifestBytes(Buffer.from(deep), "deep.json");
  assert.equal(r.valid, false);
});

writeFileSync(join(dir, ".keep"), "");
