/**
 * The real MSAL.js (@azure/msal-browser, createNestablePublicClientApplication) in an add-in task pane in headless
 * Chromium: Outpost's host page (src/web/addin-host with its NAA broker) mounts the add-in in a cross-origin frame;
 * MSAL gets a token through the broker — first through the consent dialog the host shows, then, on a fresh page,
 * silently — calls Outpost's Graph for the open message's attachments, and is refused where it was not granted.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpServer } from "node:http";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { chromium, type Frame, type Page } from "playwright-core";
import { openMailboxStore } from "../../src/mailbox/index.ts";
import { createServer } from "../../src/server/app.ts";
import { Identity } from "../../src/identity/index.ts";
import { seedDemoAddins } from "../../src/addins/index.ts";
import { listDemoAddins } from "../../src/server/plugins/demo-addins.ts";
import { addinHostBundle } from "../../src/web/addin-host/build.ts";

const require = createRequire(import.meta.url);
const MSAL = readFileSync(join(dirname(require.resolve("@azure/msal-browser/package.json")), "lib/msal-browser.min.js"), "utf8");

const store = await openMailboxStore({ memory: true });
const tenant = await store.directory.createTenant({ id: "contoso", name: "Contoso" });
await seedDemoAddins(store, { tenantId: tenant.id });
const alice = await store.provisionUser({ tenantId: tenant.id, email: "alice@contoso.example", displayName: "Alice", password: "pw-alice" });
const inbox = (await store.mailboxes.resolveFolder(alice.mailbox.id, "inbox"))!;
const item = await store.items.create(alice.mailbox.id, inbox.id, {
  subject: "Order 1042",
  bodyText: "Files attached.",
  from: { name: "Lee", address: "lee@tailspin.example" },
  to: [{ name: "Alice", address: "alice@contoso.example" }],
  attachments: [
    { name: "order.pdf", data: Buffer.alloc(12_345, 1), contentType: "application/pdf" },
    { name: "terms.txt", data: Buffer.from("terms"), contentType: "text/plain" },
  ],
});
const addinId = (await listDemoAddins()).find((a) => a.tier === "ReadItem" && a.valid)!.id!;

// The add-in's own origin: its task pane and a copy of MSAL.js, as its web server would serve them.
let outpost = "";
const taskpane = () => `<!doctype html><html><head><meta charset="utf-8">
<script src="${outpost}/office.js"></script><script src="/msal-browser.min.js"></script></head><body>
<pre id="nested"></pre><pre id="first"></pre><pre id="attachments"></pre><pre id="write"></pre><pre id="rw"></pre><pre id="error"></pre><pre id="done"></pre>
<script>
const out = (k, v) => { document.getElementById(k).textContent = typeof v === "string" ? v : JSON.stringify(v); };
Office.onReady(async () => {
  try {
    out("nested", String(Office.context.requirements.isSetSupported("NestedAppAuth", "1.1")));
    const pca = await msal.createNestablePublicClientApplication({ auth: { clientId: "naa-mail-reader" } });
    let result;
    try { result = await pca.acquireTokenSilent({ scopes: ["Mail.Read"] }); out("first", "silent"); }
    catch (e) {
      if (!(e instanceof msal.InteractionRequiredAuthError)) throw e;
      result = await pca.acquireTokenPopup({ scopes: ["Mail.Read"] }); out("first", "popup:" + e.errorCode);
    }
    const id = Office.context.mailbox.item.itemId;
    const auth = { authorization: "Bearer " + result.accessToken };
    const list = await (await fetch("${outpost}/v1.0/me/messages/" + id + "/attachments", { headers: auth })).json();
    out("attachments", list.value.map((a) => a.name + ":" + a.size).join(","));
    const w = await fetch("${outpost}/v1.0/me/messages/" + id, { method: "PATCH", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ isRead: false }) });
    out("write", w.status + " " + (await w.json()).error.code);
    try { await pca.acquireTokenSilent({ scopes: ["Mail.ReadWrite"] }); out("rw", "granted"); } catch (e) { out("rw", e.constructor.name + " " + e.errorCode); }
  } catch (e) { out("error", String((e && (e.errorCode || e.message)) || e)); }
  out("done", "yes");
});
</script></body></html>`;
const addinServer = createHttpServer((req, res) => {
  if (req.url === "/taskpane.html") return void res.writeHead(200, { "content-type": "text/html" }).end(taskpane());
  if (req.url === "/msal-browser.min.js") return void res.writeHead(200, { "content-type": "application/javascript" }).end(MSAL);
  res.writeHead(404).end();
});
await new Promise<void>((r) => addinServer.listen(0, "127.0.0.1", r));
const addinOrigin = `http://127.0.0.1:${(addinServer.address() as AddressInfo).port}`;

// Outpost, with a host page like the web client's: it signs in, opens a bridge session and mounts the task pane.
const hostScript = (itemId: string) => `(async () => {
  await fetch("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "alice@contoso.example", password: "pw-alice" }) });
  const s = await (await fetch("/bridge/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ addinId: ${JSON.stringify(addinId)}, itemId: ${JSON.stringify(itemId)}, form: "read" }) })).json();
  window.outpostHost.mountTaskPane(document.getElementById("addin"), { session: s, url: ${JSON.stringify(`${addinOrigin}/taskpane.html`)} });
})();`;
const bundle = await addinHostBundle();
const app: FastifyInstance = await createServer({
  store,
  cookieSecret: "naa-test-secret-naa-test-secret-0000",
  plugins: [
    {
      plugin: async (a: FastifyInstance) => {
        a.get("/test/host.html", async (_req, reply) => reply.type("text/html").header("content-security-policy", "default-src 'self'; frame-src *; style-src 'self' 'unsafe-inline'").send(`<!doctype html><html><body><div id="addin" style="width:600px;height:500px"></div><script src="/test/addin-host.js"></script><script src="/test/host.js"></script></body></html>`));
        a.get("/test/addin-host.js", async (_req, reply) => reply.type("application/javascript").send(bundle));
        a.get("/test/host.js", async (_req, reply) => reply.type("application/javascript").send(hostScript(item.id)));
      },
    },
  ],
});
outpost = await app.listen({ port: 0, host: "127.0.0.1" });
const identity = Identity.of(store);
await identity.registrations.create({
  clientId: "naa-mail-reader",
  addinId,
  displayName: "Mail Reader",
  publisher: "Tailspin",
  tenantId: "contoso",
  redirectUris: [`brk-multihub://${new URL(addinOrigin).host}`],
  scopes: ["Mail.Read"],
});

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-background-networking", "--headless"] });
const context = await browser.newContext();
context.on("console", (m) => process.env.NAA_DEBUG && console.log("[page]", m.text()));
context.on("response", async (r) => { if (process.env.NAA_DEBUG && r.status() >= 300) console.log("[resp]", r.status(), r.request().method(), r.url(), JSON.stringify(await r.request().allHeaders()).slice(0, 600), (await r.text().catch(() => "")).slice(0, 300)); });
context.on("weberror", (e) => process.env.NAA_DEBUG && console.log("[page error]", e.error().message));
after(async () => {
  await browser.close();
  await app.close();
  await new Promise((r) => addinServer.close(r));
  await store.close();
});

async function addinFrame(page: Page): Promise<Frame> {
  const handle = await page.locator(`iframe[src^="${addinOrigin}"]`).elementHandle();
  return (await handle!.contentFrame())!;
}
const text = (f: Frame, id: string) => f.locator(`#${id}`).textContent();

test("MSAL.js nested app auth: consent dialog first, Graph attachments with Mail.Read, writes and unregistered scopes refused", async () => {
  const page = await context.newPage();
  await page.goto(`${outpost}/test/host.html`);
  const dialog = page.locator("dialog[data-outpost-consent] iframe");
  await dialog.waitFor();
  const consent = (await dialog.elementHandle())!.contentFrame();
  const frame = (await consent)!;
  await frame.locator("#accept").waitFor();
  assert.match((await frame.locator("body").textContent())!, /Mail Reader wants to:.*Mail\.Read: Read your mail/s);
  await frame.locator("#accept").click();
  const pane = await addinFrame(page);
  await pane.locator("#done").filter({ hasText: "yes" }).waitFor();
  assert.equal(await text(pane, "error"), "");
  assert.equal(await text(pane, "nested"), "true");
  assert.equal(await text(pane, "first"), "popup:consent_required");
  assert.equal(await text(pane, "attachments"), "order.pdf:12345,terms.txt:5");
  assert.equal(await text(pane, "write"), "403 ErrorAccessDenied");
  assert.match((await text(pane, "rw"))!, /invalid_scope/);
  assert.equal(await page.locator("dialog[data-outpost-consent]").count(), 0, "the dialog closed");
  await page.close();
});

test("on a fresh page the token comes silently (no dialog); after revocation MSAL is asked to interact again", async () => {
  const page = await context.newPage();
  await page.goto(`${outpost}/test/host.html`);
  const pane = await addinFrame(page);
  await pane.locator("#done").filter({ hasText: "yes" }).waitFor();
  assert.equal(await text(pane, "first"), "silent");
  assert.equal(await text(pane, "attachments"), "order.pdf:12345,terms.txt:5");
  assert.equal(await page.locator("dialog[data-outpost-consent]").count(), 0);
  await page.close();
  await identity.consents.revoke({ tenantId: "contoso", clientId: "naa-mail-reader", userId: alice.user.id });
  const again = await context.newPage();
  await again.goto(`${outpost}/test/host.html`);
  const dialog = again.locator("dialog[data-outpost-consent] iframe");
  await dialog.waitFor();
  const consent = (await (await dialog.elementHandle())!.contentFrame())!;
  await consent.locator("#cancel").click();
  const pane2 = await addinFrame(again);
  await pane2.locator("#done").filter({ hasText: "yes" }).waitFor();
  assert.equal(await text(pane2, "error"), "user_canceled", "MSAL maps the host's USER_CANCEL to its own error");
  await again.close();
});
