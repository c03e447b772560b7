/**
 * Add-ins in the web client, in real Chromium: task panes from the add-in origin calling the real bridge, the same
 * page at Restricted refused with Outlook's error, a function command, OnNewMessageCompose and an OnMessageSend
 * Smart Alert, a spinning add-in disabled by governance with the business bar saying so, and a hostile add-in's
 * escape attempts stopped and recorded.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { FIXTURES, startWeb, type WebWorld } from "./helpers.ts";

let w: WebWorld;
const SHOTS = new URL("../../docs/screenshots/", import.meta.url).pathname;
const READ_ITEM = new URL("../../examples/read-item/manifest.xml", import.meta.url).pathname;

before(async () => {
  w = await startWeb();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => w?.close());

async function openFirstMessage(page: import("playwright-core").Page) {
  await page.getByRole("listbox", { name: "Messages" }).getByRole("option").first().click();
  await page.locator('.addin-bar[data-ready="true"]').first().waitFor();
}

test("a task pane from its own origin calls body.getAsync through the real bridge", async () => {
  const { page } = await w.newPage();
  await w.signIn(page);
  await openFirstMessage(page);
  await page.getByRole("toolbar", { name: "Add-ins" }).getByRole("button", { name: "Outpost Read Item Demo" }).click();
  const pane = page.getByRole("complementary", { name: /Outpost Read Item Demo task pane/ });
  await pane.waitFor();
  const iframe = pane.locator("iframe");
  const src = (await iframe.getAttribute("src"))!;
  assert.ok(src.startsWith(`${w.addinOrigin}/examples/read-item/`), `pane loads from the add-in origin: ${src}`);
  assert.notEqual(new URL(src).origin, new URL(w.base).origin);
  assert.equal(await iframe.getAttribute("sandbox"), "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox");
  const frame = page.frameLocator(".taskpane iframe");
  await frame.locator("#body").filter({ hasText: /body\.getAsync \d+ chars/ }).waitFor();
  await frame.locator("#write").filter({ hasText: /refused|failed/ }).waitFor();
  // The notification the add-in added shows in the info bar.
  await page.getByRole("status", { name: "Add-in notification" }).filter({ hasText: "Read by the Outpost demo." }).waitFor();
  await pane.getByText("Ready").waitFor();
  await page.screenshot({ path: `${SHOTS}taskpane.png` });
});

test("the same add-in granted Restricted gets Outlook's error instead of the body", async () => {
  const manifest = readFileSync(`${FIXTURES}body-reader/manifest.xml`, "utf8");
  await w.install("alice@contoso.example", manifest);
  await w.install(
    "alice@contoso.example",
    manifest
      .replace("5b2c7d9e-1f3a-4b5c-8d6e-7f8091a2b3c4", "5b2c7d9e-1f3a-4b5c-8d6e-7f8091a2b3c5")
      .replace('DisplayName DefaultValue="Body Reader"', 'DisplayName DefaultValue="Body Reader (Restricted)"')
      .replace("<Permissions>ReadItem</Permissions>", "<Permissions>Restricted</Permissions>"),
  );
  const { page } = await w.newPage();
  await w.signIn(page);
  await openFirstMessage(page);
  const bar = page.getByRole("toolbar", { name: "Add-ins" });
  const body = page.frameLocator(".taskpane iframe").locator("#body");
  await bar.getByRole("button", { name: "Body Reader", exact: true }).click();
  await body.filter({ hasText: /^body: / }).waitFor();
  await bar.getByRole("button", { name: "Body Reader (Restricted)", exact: true }).click();
  await body.filter({ hasText: /^error/ }).waitFor();
  const text = (await body.textContent())!;
  assert.doesNotMatch(text, /^body: /);
  assert.match(text, /permission/i, `Outlook's error: ${text}`);
});

test("function command, OnNewMessageCompose and an OnMessageSend Smart Alert", async () => {
  await w.install("alice@contoso.example", readFileSync(`${FIXTURES}commands-addin/manifest.xml`, "utf8"));
  const { page } = await w.newPage();
  await w.signIn(page);
  await openFirstMessage(page);
  await page.getByRole("toolbar", { name: "Add-ins" }).getByRole("button", { name: "Mark seen" }).click();
  await page.getByTestId("function-status").filter({ hasText: "Mark seen: done" }).waitFor();
  await page.getByRole("status", { name: "Add-in notification" }).filter({ hasText: "Marked as seen by the commands test." }).waitFor();

  await page.getByRole("button", { name: "New message" }).click();
  const subject = page.getByLabel("Subject", { exact: true });
  await page.waitForFunction(() => (document.getElementById("c-subject") as HTMLInputElement | null)?.value === "Hello from OnNewMessageCompose");
  await page.getByLabel("To", { exact: true }).fill("bob@contoso.example");
  await subject.fill("Top secret plans");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const alert = page.getByTestId("smart-alert");
  await alert.getByText("This message looks secret. Check the recipients before sending.").waitFor();
  await page.screenshot({ path: `${SHOTS}smart-alert.png` });
  await alert.getByRole("button", { name: "Don't send" }).click();
  await subject.waitFor();
  assert.equal(await subject.inputValue(), "Top secret plans", "still composing");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await alert.getByRole("button", { name: "Send anyway" }).click();
  await page.getByText("Select a message to read it.").waitFor();
  const bob = (await w.store.directory.getUserByEmail("bob@contoso.example"))!;
  const inbox = (await w.store.mailboxes.resolveFolder((await w.store.mailboxes.ownMailbox(bob.id))!.id, "inbox"))!;
  assert.ok((await w.store.items.list(inbox.id, { limit: 200 })).items.some((i) => i.subject === "Top secret plans"));
});

test("a spinning add-in is disabled by governance and the business bar says so", async () => {
  const { page } = await w.newPage();
  await w.signIn(page);
  await openFirstMessage(page);
  const bar = page.getByRole("toolbar", { name: "Add-ins" });
  await bar.getByRole("button", { name: "Outpost Misbehaving: Infinite Loop" }).click();
  const business = page.getByRole("status", { name: "Business bar" });
  await business.filter({ hasText: /Outpost disabled 'Outpost Misbehaving: Infinite Loop' because it stopped responding/ }).waitFor({ timeout: 60_000 });
  await page.locator('.addin-bar[data-ready="true"]').waitFor();
  assert.equal(await bar.getByRole("button", { name: "Outpost Misbehaving: Infinite Loop" }).count(), 0, "its button is gone");
  // The client page itself stayed responsive while the add-in spun (another process: another site).
  assert.equal(await page.evaluate(() => 1 + 1), 2);
});

test("a hostile add-in's escape attempts are stopped and recorded", async () => {
  await w.install("alice@contoso.example", readFileSync(`${FIXTURES}escape-addin/manifest.xml`, "utf8"));
  const { page } = await w.newPage();
  await w.signIn(page);
  const url = page.url();
  const title = await page.title();
  await openFirstMessage(page);
  // The client signals each stop ("outpost:stopped") and, once the server stored it, "outpost:reported".
  await page.evaluate(() => {
    const w = window as unknown as { __stopped: string[]; __reported: string[] };
    w.__stopped = [];
    w.__reported = [];
    addEventListener("outpost:stopped", (e) => w.__stopped.push((e as CustomEvent).detail.kind));
    addEventListener("outpost:reported", (e) => w.__reported.push((e as CustomEvent).detail.kind));
  });
  await page.getByRole("toolbar", { name: "Add-ins" }).getByRole("button", { name: "Outpost Escape Test" }).click();
  await page.frameLocator(".taskpane iframe").locator("#status").filter({ hasText: /done|parent/ }).waitFor();
  await page.waitForFunction(() => ["forged-message", "top-navigation", "parent-access"].every((k) => (window as unknown as { __reported: string[] }).__reported.includes(k)), undefined, { timeout: 30_000 });
  const stopped = await page.evaluate(() => (window as unknown as { __stopped: string[] }).__stopped);
  const events: Array<{ reason: string }> = (await (await page.request.get(`${w.base}/api/web/security-events`)).json()).value;
  assert.equal(page.url(), url, "the client page was not navigated away");
  assert.equal(await page.title(), title);
  const status = await page.frameLocator(".taskpane iframe").locator("#status").textContent();
  assert.doesNotMatch(status ?? "", /parent title|parent storage/, "the add-in read nothing of the host page");
  const reasons = new Set(events.map((e) => e.reason));
  for (const r of ["addin-forged-message", "addin-top-navigation", "addin-parent-access"]) assert.ok(reasons.has(r), `recorded ${r}: ${[...reasons].join(", ")}`);
  assert.ok(stopped.includes("forged-message"));
});
