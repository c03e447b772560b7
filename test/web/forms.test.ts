/**
 * Forms, appointments and contextual add-ins in the web client, in real Chromium: a task pane's displayNewMessageForm,
 * displayReplyForm, displayReplyAllForm and displayNewAppointmentForm open the client's compose and appointment forms
 * prefilled with what the add-in passed (only for calls the bridge accepted); the calendar list with its read and
 * new-appointment forms and an add-in on the attendee and organizer surfaces; a contextual add-in's regex matches
 * highlighted in the body and the add-in opened from the highlight.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { FIXTURES, startWeb, type WebWorld } from "./helpers.ts";

let w: WebWorld;
let formsAddin: { id: string; name: string };
const MANIFEST = readFileSync(`${FIXTURES}forms-addin/manifest.xml`, "utf8");

let original: { id: string };

before(async () => {
  w = await startWeb({ messages: 6 });
  formsAddin = await w.install("alice@contoso.example", MANIFEST);
  const { mailbox, inbox } = await alice();
  original = await w.store.items.create(mailbox.id, inbox.id, {
    subject: "Order CO-555000111 confirmation",
    bodyText: "Your order shipped.",
    from: { name: "Bob Example", address: "bob@contoso.example" },
    to: [{ name: "Alice", address: "alice@contoso.example" }],
    cc: [{ name: "Eve", address: "eve@contoso.example" }],
    receivedAt: new Date(),
  });
});
after(async () => w?.close());

async function alice() {
  const user = (await w.store.directory.getUserByEmail("alice@contoso.example"))!;
  const mailbox = (await w.store.mailboxes.ownMailbox(user.id))!;
  const inbox = (await w.store.mailboxes.resolveFolder(mailbox.id, "inbox"))!;
  const calendar = (await w.store.mailboxes.resolveFolder(mailbox.id, "calendar"))!;
  return { user, mailbox, inbox, calendar };
}

async function openMessage(page: Page, subject: string) {
  await page.getByRole("listbox", { name: "Messages" }).getByRole("option").filter({ hasText: subject }).click();
  await page.locator(".reading h1").filter({ hasText: subject }).waitFor();
  await page.locator('.addin-bar[data-ready="true"]').first().waitFor();
}

async function openFormsPane(page: Page, button = "Open forms") {
  await page.getByRole("toolbar", { name: "Add-ins" }).locator(`[data-addin="${formsAddin.id}"]`).getByRole("button", { name: button, exact: true }).click();
  await page.getByRole("complementary", { name: "Forms Helper task pane" }).getByText("Ready").waitFor();
  return page.frameLocator(".taskpane iframe");
}

test("displayNewMessageForm, displayReplyForm and displayReplyAllForm open the compose form prefilled", async () => {
  const { mailbox } = await alice();
  const { page } = await w.newPage();
  await w.signIn(page);
  await openMessage(page, "Order CO-555000111 confirmation");
  let pane = await openFormsPane(page);
  await pane.locator("#item").filter({ hasText: "message read: Order CO-555000111 confirmation" }).waitFor();

  // New message: recipients, subject, the HTML body as text, the item attachment; the file from an unreachable
  // AppDomain is reported, not silently dropped.
  await pane.getByRole("button", { name: "New message form" }).click();
  const compose = page.getByRole("region", { name: "Compose" });
  await compose.waitFor();
  await page.waitForFunction(() => (document.getElementById("c-subject") as HTMLInputElement | null)?.value === "Follow-up from Forms Helper");
  assert.equal(await page.getByLabel("To", { exact: true }).inputValue(), "bob@contoso.example; Adele Vance <adele.vance@northwind.example>");
  assert.equal(await page.getByLabel("Cc", { exact: true }).inputValue(), "eve@contoso.example");
  assert.match(await page.getByLabel("Message body").inputValue(), /Hello Bob, see the order\./);
  await compose.getByRole("region", { name: "Attachments" }).or(compose.locator(".attachments")).getByText("Original message.eml").waitFor();
  await compose.getByRole("status").filter({ hasText: "Couldn't attach: order.pdf" }).waitFor();
  const drafts = (await w.store.mailboxes.resolveFolder(mailbox.id, "drafts"))!;
  const draft = (await w.store.items.list(drafts.id, { limit: 50 })).items.find((i) => i.subject === "Follow-up from Forms Helper");
  assert.ok(draft, "the form is a draft in Alice's mailbox");
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByText("Select a message to read it.").waitFor();

  // Reply: the reply form of the open message, the add-in's body above the quoted original.
  await openMessage(page, "Order CO-555000111 confirmation");
  pane = await openFormsPane(page);
  await pane.getByRole("button", { name: "Reply form", exact: true }).click();
  await page.waitForFunction(() => (document.getElementById("c-subject") as HTMLInputElement | null)?.value === "RE: Order CO-555000111 confirmation");
  assert.equal(await page.getByLabel("To", { exact: true }).inputValue(), "Bob Example <bob@contoso.example>");
  assert.equal(await page.getByLabel("Cc", { exact: true }).inputValue(), "");
  const replyBody = await page.getByLabel("Message body").inputValue();
  assert.match(replyBody, /^Thanks, noted\./);
  assert.match(replyBody, /-----Original message-----[\s\S]*> Your order shipped\./);
  await page.getByRole("button", { name: "Discard" }).click();

  // Reply all: sender and the other recipients.
  await openMessage(page, "Order CO-555000111 confirmation");
  pane = await openFormsPane(page);
  await pane.getByRole("button", { name: "Reply all form" }).click();
  await page.waitForFunction(() => (document.getElementById("c-body") as HTMLTextAreaElement | null)?.value.startsWith("Replying to everyone."));
  assert.equal(await page.getByLabel("Cc", { exact: true }).inputValue(), "Eve <eve@contoso.example>");
  await page.getByRole("button", { name: "Discard" }).click();
  assert.ok(await w.store.items.get(original.id), "the original is untouched");
});

test("displayNewAppointmentForm opens the calendar's new appointment form prefilled; saving creates it", async () => {
  const { page } = await w.newPage();
  await w.signIn(page);
  await openMessage(page, "Order CO-555000111 confirmation");
  const pane = await openFormsPane(page);
  await pane.getByRole("button", { name: "New appointment form" }).click();
  const form = page.getByRole("region", { name: "New appointment" });
  await form.waitFor();
  assert.equal(await page.getByLabel("Title").inputValue(), "Order review");
  assert.equal(await page.getByLabel("Location").inputValue(), "Room 12");
  assert.equal(await page.getByLabel("Attendees").inputValue(), "bob@contoso.example");
  assert.equal(await page.getByLabel("Notes").inputValue(), "Let's review the order.");
  const start = await page.getByLabel("Start").inputValue();
  assert.equal(new Date(start).toISOString(), "2027-03-04T15:00:00.000Z", `start ${start} is the add-in's instant in local time`);
  await form.getByRole("button", { name: "Save" }).click();
  await page.getByRole("region", { name: "Appointment", exact: true }).getByRole("heading", { name: "Order review" }).waitFor();
  const { calendar } = await alice();
  const saved = (await w.store.items.list(calendar.id, { limit: 500 })).items.find((i) => i.subject === "Order review");
  assert.equal((await w.store.items.get(saved!.id))?.location, "Room 12");
});

test("a form opens only for a call the bridge accepted: Restricted is refused, a forged request gets 409", async () => {
  const restricted = await w.install(
    "alice@contoso.example",
    MANIFEST.replace("7d41a0c2-3b9e-4f1a-9c55-2e6b8f0d1a77", "7d41a0c2-3b9e-4f1a-9c55-2e6b8f0d1a78")
      .replace('DisplayName DefaultValue="Forms Helper"', 'DisplayName DefaultValue="Forms Helper Restricted"')
      .replace('DefaultValue="Open forms"', 'DefaultValue="Open forms (Restricted)"')
      .replace("<Permissions>ReadItem</Permissions>", "<Permissions>Restricted</Permissions>")
      .replace(/<ExtensionPoint xsi:type="DetectedEntity">[\s\S]*?<\/ExtensionPoint>/, ""),
  );
  const { page } = await w.newPage();
  await w.signIn(page);
  await openMessage(page, "Order CO-555000111 confirmation");
  await page.getByRole("toolbar", { name: "Add-ins" }).getByRole("button", { name: "Open forms (Restricted)", exact: true }).click();
  await page.getByRole("complementary", { name: /Forms Helper Restricted task pane/ }).getByText("Ready").waitFor();
  const pane = page.frameLocator(".taskpane iframe");
  await pane.locator("#item").filter({ hasText: "item details refused" }).waitFor();
  await pane.getByRole("button", { name: "New message form" }).click();
  await pane.locator("#status").filter({ hasText: /^threw: / }).waitFor();
  assert.match((await pane.locator("#status").textContent())!, /Elevated permission is required to call the method: 'mailbox\.displayNewMessageForm'/);
  assert.equal(await page.getByRole("region", { name: "Compose" }).count(), 0, "no compose form opened");

  // Straight at the API: a session of the ReadItem add-in, but no such accepted call in it.
  const itemId = (await page.locator('[role="option"][aria-selected="true"]').getAttribute("data-item"))!;
  const opened = await page.request.post(`${w.base}/bridge/sessions`, { data: { addinId: formsAddin.id, itemId, form: "read", client: "web" }, headers: { origin: w.base } });
  const session = ((await opened.json()) as { session: string }).session;
  const forged = await page.request.post(`${w.base}/api/web/addin-forms`, { data: { session, member: "Office.context.mailbox.displayNewMessageForm", args: [{ subject: "forged" }] }, headers: { origin: w.base } });
  assert.equal(forged.status(), 409);
  const notAForm = await page.request.post(`${w.base}/api/web/addin-forms`, { data: { session, member: "Office.context.mailbox.item.body.setAsync", args: ["x"] }, headers: { origin: w.base } });
  assert.equal(notAForm.status(), 400);
  assert.match(((await notAForm.json()) as { error: { message: string } }).error.message, /member/);
  const badForm = await page.request.post(`${w.base}/api/web/addin-forms`, { data: { session, member: "Office.context.mailbox.displayNewMessageForm", args: [{ colour: "red" }] }, headers: { origin: w.base } });
  assert.equal(badForm.status(), 400);
  assert.match(((await badForm.json()) as { error: { message: string } }).error.message, /Unknown parameter 'colour'/);
  // Someone else's session answers as an unknown one.
  const { page: bob } = await w.newPage();
  await w.signIn(bob, "bob@contoso.example");
  const other = await bob.request.post(`${w.base}/api/web/addin-forms`, { data: { session, member: "Office.context.mailbox.displayNewMessageForm", args: [{}] }, headers: { origin: w.base } });
  assert.equal(other.status(), 404);
  void restricted;
});

test("calendar: list by day, the read form with an add-in on the attendee and organizer surfaces", async () => {
  const { mailbox, calendar } = await alice();
  const start = new Date(Date.UTC(2027, 0, 12, 10, 0));
  await w.store.items.create(mailbox.id, calendar.id, {
    itemType: "appointment",
    itemClass: "IPM.Appointment",
    subject: "Bob's planning meeting",
    bodyText: "Planning.",
    from: { name: "Bob Example", address: "bob@contoso.example" },
    requiredAttendees: [{ name: "Alice", address: "alice@contoso.example" }],
    start,
    end: new Date(start.getTime() + 3_600_000),
    location: "Room 7",
    isRead: true,
  });
  const { page } = await w.newPage();
  await w.signIn(page);
  await page.getByRole("link", { name: "Calendar" }).click();
  const list = page.getByRole("region", { name: "Appointments" });
  await list.getByRole("heading", { name: start.toDateString() }).waitFor();

  // Bob organizes: Alice is an attendee, the attendee surface shows; the pane sees a read-mode appointment.
  await list.getByRole("button", { name: /Bob's planning meeting/ }).click();
  const read = page.getByRole("region", { name: "Appointment", exact: true });
  await read.getByRole("heading", { name: "Bob's planning meeting" }).waitFor();
  await read.getByText("Room 7").waitFor();
  await read.locator('.addin-bar[data-ready="true"]').waitFor();
  assert.equal(await read.getByRole("button", { name: "Organizer notes" }).count(), 0);
  let pane = await openFormsPane(page, "Meeting notes");
  await pane.locator("#item").filter({ hasText: "appointment read: Bob's planning meeting" }).waitFor();

  // A new appointment Alice organizes: the organizer surface, and add-ins see Outlook's organizer (compose) form.
  await page.getByRole("button", { name: "New appointment" }).click();
  const form = page.getByRole("region", { name: "New appointment" });
  await page.getByLabel("Title").fill("Alice's retro");
  await page.getByLabel("Location").fill("Room 9");
  await form.getByRole("button", { name: "Save" }).click();
  await read.getByRole("heading", { name: "Alice's retro" }).waitFor();
  await read.locator('.addin-bar[data-ready="true"]').waitFor();
  assert.equal(await read.getAttribute("data-form"), "compose");
  assert.equal(await read.getByRole("button", { name: "Meeting notes" }).count(), 0);
  pane = await openFormsPane(page, "Organizer notes");
  await pane.locator("#item").filter({ hasText: "appointment compose" }).waitFor();
});

test("a contextual add-in highlights its regex matches in the body and opens from the highlight", async () => {
  const { mailbox, inbox } = await alice();
  await w.store.items.create(mailbox.id, inbox.id, {
    subject: "Shipping notice",
    bodyHtml: "<p>Your order <b>CO-123456789</b> has shipped; CO-987654321 follows.</p>",
    bodyText: null,
    from: { name: "Northwind", address: "orders@northwind.example" },
    to: [{ name: "Alice", address: "alice@contoso.example" }],
    receivedAt: new Date(Date.now() + 60_000),
  });
  const { page } = await w.newPage();
  await w.signIn(page);
  await openMessage(page, "Shipping notice");
  const found = page.getByRole("group", { name: "Highlighted by add-ins" }).or(page.locator(".highlights"));
  await found.getByRole("button", { name: "CO-123456789" }).waitFor();
  // Marked in the body's own sandboxed frame (no script there: the list above it is what opens the add-in).
  const marks = page.frameLocator("iframe.mail-frame").locator("mark.outpost-hl");
  await marks.first().waitFor();
  assert.deepEqual(await marks.allTextContents(), ["CO-123456789", "CO-987654321"]);
  await found.getByRole("button", { name: "CO-123456789" }).click();
  const pane = page.getByRole("complementary", { name: /Forms Helper task pane/ });
  const src = (await pane.locator("iframe").getAttribute("src"))!;
  assert.ok(src.startsWith(`${w.addinOrigin}/fixtures/forms-addin/contextual.html`), src);
  await page.frameLocator(".taskpane iframe").locator("#matches").filter({ hasText: "orders: CO-123456789, CO-987654321" }).waitFor();

  // A plain-text body is marked the same way.
  await w.store.items.create(mailbox.id, inbox.id, {
    subject: "Plain order",
    bodyText: "Order CO-111222333 <b>not bold</b>",
    from: { name: "Northwind", address: "orders@northwind.example" },
    receivedAt: new Date(Date.now() + 120_000),
  });
  await page.reload();
  await page.getByRole("navigation", { name: "Folders" }).waitFor();
  await openMessage(page, "Plain order");
  await page.frameLocator("iframe.mail-frame").locator("mark.outpost-hl").filter({ hasText: "CO-111222333" }).waitFor();
  assert.equal(await page.frameLocator("iframe.mail-frame").locator("b").count(), 0, "the text is escaped, not markup");
});
