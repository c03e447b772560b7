/**
 * Task panes in the web client, in real Chromium: a pinned pane stays open across selection changes and gets
 * ItemChanged with the new item; displayDialogAsync opens the add-in's dialog and messageParent reaches the pane;
 * a pane whose URL never answers shows an error in the pane while the client stays usable; calls go over the
 * bridge's WebSocket (and over HTTP when it cannot open).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import type { Page } from "playwright-core";
import { FIXTURES, startWeb, type WebWorld } from "./helpers.ts";

let w: WebWorld;
let lab: { id: string };

before(async () => {
  w = await startWeb({ messages: 6 });
  lab = await w.install("alice@contoso.example", readFileSync(`${FIXTURES}pane-addin/manifest.xml`, "utf8"));
});
after(async () => w?.close());

const options = (page: Page) => page.getByRole("listbox", { name: "Messages" }).getByRole("option");

async function open(page: Page, i: number) {
  const option = options(page).nth(i);
  const id = await option.getAttribute("data-item");
  await option.click();
  // The bar of the item just opened (the previous item's bar is still on screen for a moment after the click).
  await page.locator(`.addin-bar[data-ready="true"][data-item="${id}"]`).first().waitFor();
  return (await page.locator(".reading h1").textContent())!;
}

async function labButton(page: Page, name: string) {
  await page.getByRole("toolbar", { name: "Add-ins" }).locator(`[data-addin="${lab.id}"]`).getByRole("button", { name, exact: true }).click();
}

test("a pinned pane follows the selection with ItemChanged; an unpinned one closes", async () => {
  const { page } = await w.newPage();
  await w.signIn(page);
  const first = await open(page, 0);
  await labButton(page, "Pinnable pane");
  const pane = page.getByRole("complementary", { name: "Pane Lab task pane" });
  await pane.getByText("Ready").waitFor();
  const frame = page.frameLocator(".taskpane iframe");
  await frame.locator("#subject").filter({ hasText: `subject: ${first}` }).waitFor();
  await pane.getByRole("button", { name: "Pin" }).click();
  await pane.getByRole("button", { name: "Unpin" }).waitFor();
  const second = await open(page, 1);
  assert.notEqual(second, first);
  await frame.locator("#changes").filter({ hasText: "item changes: 1" }).waitFor();
  await frame.locator("#subject").filter({ hasText: `subject: ${second}` }).waitFor();
  // Unpinned: the next selection closes it, as in Outlook.
  await pane.getByRole("button", { name: "Unpin" }).click();
  await open(page, 2);
  await pane.waitFor({ state: "detached" });
});

test("displayDialogAsync opens the add-in's dialog; messageParent reaches the pane; close removes it", async () => {
  const { page } = await w.newPage();
  await w.signIn(page);
  await open(page, 0);
  await labButton(page, "Pinnable pane");
  await page.getByRole("complementary", { name: "Pane Lab task pane" }).getByText("Ready").waitFor();
  const frame = page.frameLocator(".taskpane iframe");
  await frame.getByRole("button", { name: "Open dialog" }).click();
  await frame.locator("#dialog-status").filter({ hasText: "dialog open" }).waitFor();
  const dialog = page.locator("[data-outpost-dialog]");
  await dialog.waitFor();
  const src = (await dialog.locator("iframe").getAttribute("src"))!;
  assert.ok(src.startsWith(`${w.addinOrigin}/fixtures/pane-addin/dialog.html`), src);
  await page.frameLocator("[data-outpost-dialog] iframe").getByRole("button", { name: "Send to the pane" }).click();
  await frame.locator("#dialog-status").filter({ hasText: "from dialog: hello from the dialog" }).waitFor();
  await dialog.waitFor({ state: "detached" });
});

test("a task pane whose URL never answers shows an error in the pane; the client stays usable", async () => {
  const { page } = await w.newPage();
  await w.signIn(page);
  await open(page, 0);
  await labButton(page, "Broken pane");
  const pane = page.getByRole("complementary", { name: "Pane Lab task pane" });
  await pane.getByRole("alert").filter({ hasText: "The add-in's page at https://127.0.0.1:9/never-answers.html did not answer." }).waitFor({ timeout: 60_000 });
  await pane.getByText("Not available").waitFor();
  // The rest of the client works.
  const other = await open(page, 1);
  assert.ok(other.length > 0);
});

test("the client's calls go over the bridge WebSocket, and over HTTP when it is turned off", async () => {
  const { page } = await w.newPage();
  const sockets: string[] = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));
  const calls: string[] = [];
  page.on("request", (r) => r.url().endsWith("/bridge/call") && calls.push(r.url()));
  await w.signIn(page);
  await open(page, 0);
  await labButton(page, "Pinnable pane");
  const frame = page.frameLocator(".taskpane iframe");
  await frame.locator("#subject").filter({ hasText: /^subject: / }).waitFor();
  assert.deepEqual(sockets.map((u) => new URL(u).pathname), ["/bridge/ws"]);
  assert.equal(calls.length, 0, "no HTTP call while the socket is open");
  await page.getByRole("button", { name: "Close task pane" }).click();
  await page.evaluate(() => localStorage.setItem("outpost:bridge-transport", "http"));
  await labButton(page, "Pinnable pane");
  await page.frameLocator(".taskpane iframe").locator("#subject").filter({ hasText: /^subject: / }).waitFor();
  assert.ok(calls.length > 0, "HTTP when the socket is off");
  // Over the socket every message goes through the same checks as POST /bridge/call: a wrong MAC and a replayed
  // sequence number are refused, a good call answers.
  const itemId = await page.locator('[role="option"][aria-selected="true"]').getAttribute("data-item");
  // A string, not a function: the TypeScript loader would wrap the named helpers with one the page lacks.
  const answers = await page.evaluate<string[]>(`(async () => {
    const s = await (await fetch("/bridge/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ addinId: ${JSON.stringify(lab.id)}, itemId: ${JSON.stringify(itemId)}, form: "read", client: "web" }) })).json();
    const bytes = new Uint8Array(s.secret.match(/../g).map((h) => parseInt(h, 16)));
    const key = await crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const sign = async (seq, member, args) => {
      const m = { v: 1, session: s.session, seq, item: s.itemId, member, args };
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(JSON.stringify([m.v, m.session, m.seq, m.item, m.member, m.args]))));
      return { ...m, mac: Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("") };
    };
    const ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/bridge/ws");
    await new Promise((r) => (ws.onopen = r));
    let n = 0;
    const ask = (call) => new Promise((resolve) => {
      const id = ++n;
      const on = (e) => {
        const d = JSON.parse(String(e.data));
        if (d.id === id) { ws.removeEventListener("message", on); resolve(d.result); }
      };
      ws.addEventListener("message", on);
      ws.send(JSON.stringify({ id, call }));
    });
    const good = await sign(1, "Office.context.mailbox.item.body.getAsync", ["text"]);
    const forged = { ...(await sign(2, "Office.context.mailbox.item.body.getAsync", ["text"])), mac: "00".repeat(32) };
    const out = [await ask(forged), await ask(good), await ask(good)];
    ws.close();
    return out.map((r) => r.outcome + (r.reason ? " " + r.reason : ""));
  })()`);
  assert.deepEqual(answers, ["denied badMac", "ok", "denied replay"]);

  // Another site cannot open the socket (no upgrade: 403), the client's own origin can (101).
  const upgrade = (origin: string) =>
    new Promise<number>((resolve) => {
      const req = httpsRequest(`${w.base}/bridge/ws`, {
        rejectUnauthorized: false,
        headers: { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", origin },
      });
      req.on("upgrade", (res, socket) => (socket.destroy(), resolve(res.statusCode ?? 0)));
      req.on("response", (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      req.on("error", () => resolve(0)); // the connection closed without an upgrade
      req.end();
    });
  assert.equal(await upgrade("https://evil.example"), 403);
  assert.notEqual(await upgrade(w.addinOrigin), 101, "not even the add-in origin");
  assert.equal(await upgrade(w.base), 101);
});

test("the business bar: no add-ins on an IRM-protected item without the OBJMODEL right; legacy tokens turned off", async () => {
  const { lifecycleOf } = await import("../../src/server/routes/lifecycle-http.ts");
  const alice = (await w.store.directory.getUserByEmail("alice@contoso.example"))!;
  const mailbox = (await w.store.mailboxes.ownMailbox(alice.id))!;
  const inbox = (await w.store.mailboxes.resolveFolder(mailbox.id, "inbox"))!;
  const protectedItem = await w.store.items.create(mailbox.id, inbox.id, { subject: "Protected plans", bodyText: "Rights-managed.", from: { name: "Bob", address: "bob@contoso.example" }, receivedAt: new Date(Date.now() + 60_000) });
  await w.store.db.query("UPDATE items SET is_irm_protected = true WHERE id = $1", [protectedItem.id]);
  const policies = lifecycleOf(w.app).policies;
  const before = await policies.get(alice.tenantId);
  await policies.update(alice.tenantId, before.version, { irmActivation: false, legacyTokensEnabled: false }, alice.email);
  try {
    const { page } = await w.newPage();
    await w.signIn(page);
    await options(page).filter({ hasText: "Protected plans" }).click();
    await page.locator('.addin-bar[data-ready="true"]').first().waitFor();
    const business = page.getByRole("status", { name: "Business bar" });
    await business.filter({ hasText: /protected by Information Rights Management: your organisation does not let add-ins activate/ }).waitFor();
    await page.getByRole("toolbar", { name: "Add-ins" }).getByText("none for this item").waitFor();
    // The server refuses a session on it whatever the page does.
    const refused = await page.request.post(`${w.base}/bridge/sessions`, { data: { addinId: lab.id, itemId: protectedItem.id, form: "read", client: "web" }, headers: { origin: w.base } });
    assert.equal(refused.status(), 403);
    // Any other item: the legacy-token notice.
    await options(page).nth(1).click();
    await page.locator(".reading h1").filter({ hasNotText: "Protected plans" }).waitFor();
    await page.locator('.addin-bar[data-ready="true"]').first().waitFor();
    await business.filter({ hasText: "Legacy Exchange tokens are turned off for your organization" }).waitFor();
  } finally {
    const now = await policies.get(alice.tenantId);
    await policies.update(alice.tenantId, now.version, { irmActivation: before.irmActivation, legacyTokensEnabled: before.legacyTokensEnabled }, alice.email);
  }
});
