/**
 * The host-page module's pieces that run without a browser: signing equals the server's, dialog URL rules, the
 * add-in origin server (its root, symbolic links, office.js), and --map resolution.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canonical as serverCanonical } from "../../src/runtime/bridge/protocol.ts";
import { macFor } from "../../src/runtime/bridge/sign.ts";
import { canonical, importSecret, signCall } from "../../src/web/addin-host/sign.ts";
import { checkDialogUrl } from "../../src/web/addin-host/dialog-rules.ts";
import { startOriginServer, type OriginServer } from "../../src/runtime/browser/origin-server.ts";
import { parseMap, resolveMapped } from "../../src/runtime/browser/url-map.ts";

const dir = mkdtempSync(join(tmpdir(), "outpost-origin-"));
const root = join(dir, "addin");
mkdirSync(join(root, "Pages"), { recursive: true });
mkdirSync(join(root, "Scripts"), { recursive: true });
writeFileSync(join(root, "Pages", "Home.html"), "<p>home</p>");
writeFileSync(join(root, "Scripts", "app.js"), "var x = 1;");
writeFileSync(join(dir, "secret.txt"), "outside");
symlinkSync(join(dir, "secret.txt"), join(root, "Scripts", "link.js"));
let server: OriginServer;
before(async () => {
  server = await startOriginServer({ root, officeJs: "/* outpost office.js */" });
});
after(() => server.close());

test("the browser signs exactly as the server verifies", async () => {
  const m = { v: 1 as const, session: "abcdefghijklmnopqrstuvwx", seq: 7, item: "item-1", member: "Office.context.mailbox.item.body.getAsync", args: ["text", { a: [1, "é"] }] };
  assert.equal(canonical(m), serverCanonical(m));
  const secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  const signed = await signCall(await importSecret(secret), m);
  assert.equal(signed.mac, macFor(Buffer.from(secret, "hex"), m));
});

test("dialog URLs: the add-in's origin or its AppDomains; HTTPS where the add-in is HTTPS", () => {
  assert.deepEqual(checkDialogUrl("/dialog.html", "https://addin.example", []), { url: "https://addin.example/dialog.html" });
  assert.deepEqual(checkDialogUrl("https://evil.example/x", "https://addin.example", []), { code: 12004 });
  assert.deepEqual(checkDialogUrl("http://addin.example/x", "https://addin.example", []), { code: 12005 });
  assert.deepEqual(checkDialogUrl("https://login.contoso.example/sso", "https://addin.example", ["https://login.contoso.example"]), { url: "https://login.contoso.example/sso" });
  assert.deepEqual(checkDialogUrl("javascript:alert(1)", "https://addin.example", []), { code: 12002 });
});

test("the add-in origin serves the root, resolves ../, refuses what lies outside (symbolic links too), serves office.js", async () => {
  const get = (path: string) => fetch(`${server.origin}${path}`);
  assert.equal(await (await get("/Pages/Home.html")).text(), "<p>home</p>");
  assert.equal(await (await get("/Pages/../Scripts/app.js")).text(), "var x = 1;");
  assert.equal((await get("/Scripts/link.js")).status, 403);
  for (const escape of ["/%2e%2e/secret.txt", "/..%2fsecret.txt", "/Pages/..%2f..%2fsecret.txt", "/../secret.txt"]) {
    const r = await get(escape);
    assert.ok(r.status === 403 || r.status === 404, `${escape}: ${r.status}`);
    assert.notEqual(await r.text(), "outside", escape);
  }
  assert.equal((await get("/missing.js")).status, 404);
  assert.equal(await (await get("/Scripts/Office/1/office.js")).text(), "/* outpost office.js */");
  assert.equal((await fetch(`${server.origin}/Pages/Home.html`, { method: "POST" })).status, 405);
});

test("--map: a file for one URL, a folder for a prefix; nothing outside the folder", async () => {
  const file = await parseMap(`https://code.jquery.com/jquery-3.7.1.min.js=${join(root, "Scripts", "app.js")}`);
  const folder = await parseMap(`https://api.contoso.example/v1/=${join(root, "Pages")}`);
  assert.equal(await resolveMapped([file, folder], "https://code.jquery.com/jquery-3.7.1.min.js?v=2"), join(root, "Scripts", "app.js"));
  assert.equal(await resolveMapped([file, folder], "https://api.contoso.example/v1/Home.html"), join(root, "Pages", "Home.html"));
  assert.equal(await resolveMapped([file, folder], "https://other.example/x"), null);
  await assert.rejects(resolveMapped([folder], "https://api.contoso.example/v1/..%2f..%2fsecret.txt"), /outside/);
  await assert.rejects(parseMap("https://x.example/=/no/such/path"), /does not exist/);
  await assert.rejects(parseMap("nothing-here"), /expected <url-prefix>=<file\|dir>/);
});
