/** Answers that follow the draft: saved state (9046, 9029 until saved) and the compose type from how it was created. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { ON_PREMISES_POLICY } from "../../src/permissions/index.ts";
import type { Item } from "../../src/mailbox/index.ts";
import { makeFixture } from "./fixtures.ts";

const fx = await makeFixture();
after(() => fx.host.close());
const I = "Office.context.mailbox.item";

async function compose(item: Item) {
  const { client } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "compose-state", item, form: "compose", tier: "ReadWriteItem", supplementary: [], tenant: ON_PREMISES_POLICY });
  return (member: string, args: unknown[] = []) => client.call(member, args);
}

test("a new draft has no id and no callback token until it is saved (9046, 9029), then both", async () => {
  const draft = await fx.host.createItem(fx.mailbox, { subject: "New", bodyText: "", isDraft: true }, "drafts");
  const call = await compose(draft);
  assert.deepEqual((await call(`${I}.getItemIdAsync`)).error, { code: 9046, name: "ItemNotSaved", message: "The ID can't be retrieved until the item is saved." });
  assert.equal((await call("Office.context.mailbox.getCallbackTokenAsync", [{ isRest: true }])).error?.code, 9029);
  assert.equal((await call(`${I}.saveAsync`)).value, draft.id);
  assert.equal((await call(`${I}.getItemIdAsync`)).value, draft.id);
  assert.equal((await call("Office.context.mailbox.getCallbackTokenAsync", [{ isRest: true }])).outcome, "ok");
});

test("getComposeTypeAsync: newMail for a new draft, reply / forward for a draft answering a message", async () => {
  const fresh = await fx.host.createItem(fx.mailbox, { subject: "Hello", bodyText: "x", isDraft: true }, "drafts");
  assert.deepEqual((await (await compose(fresh))(`${I}.getComposeTypeAsync`)).value, { composeType: "newMail", coercionType: "text" });
  const reply = await fx.host.importEml(fx.mailbox, "From: bob@fabrikam.example\r\nTo: alice@contoso.example\r\nSubject: RE: Quarterly numbers\r\nIn-Reply-To: <q1@contoso.example>\r\nContent-Type: text/html\r\n\r\n<p>Thanks</p>\r\n", "drafts");
  assert.deepEqual((await (await compose(reply))(`${I}.getComposeTypeAsync`)).value, { composeType: "reply", coercionType: "html" });
  const forward = await fx.host.importEml(fx.mailbox, "From: bob@fabrikam.example\r\nTo: carol@fabrikam.example\r\nSubject: FW: Quarterly numbers\r\nIn-Reply-To: <q1@contoso.example>\r\n\r\nSee below\r\n", "drafts");
  assert.equal(((await (await compose(forward))(`${I}.getComposeTypeAsync`)).value as { composeType: string }).composeType, "forward");
});

test("isClientSignatureEnabledAsync answers from the sending account's signature settings; disableClientSignatureAsync turns them off", async () => {
  const draft = await fx.host.createItem(fx.mailbox, { subject: "Sig", bodyText: "", isDraft: true }, "drafts");
  const call = await compose(draft);
  await fx.host.store.mailboxes.setSignatures(fx.mailbox.id, { newMail: null, reply: null });
  assert.equal((await call(`${I}.isClientSignatureEnabledAsync`)).value, false, "no default signature: false");
  await fx.host.store.mailboxes.setSignatures(fx.mailbox.id, { reply: "<p>Regards, Bob</p>" });
  assert.equal((await call(`${I}.isClientSignatureEnabledAsync`)).value, true, "a signature for replies and forwards: true");
  await fx.host.store.mailboxes.setSignatures(fx.mailbox.id, { newMail: "<p>Bob</p>", reply: null });
  assert.equal((await call(`${I}.isClientSignatureEnabledAsync`)).value, true, "a signature for new messages: true");
  assert.equal((await call(`${I}.disableClientSignatureAsync`)).outcome, "ok");
  assert.deepEqual(await fx.host.store.mailboxes.getSignatures(fx.mailbox.id), { newMail: null, reply: null }, "both set to (none)");
  assert.equal((await call(`${I}.isClientSignatureEnabledAsync`)).value, false);
});

test("saveAsync marks the draft saved for the session; an edited draft counts as saved (autosave), an untouched one does not", async () => {
  const untouched = await fx.host.createItem(fx.mailbox, { subject: "Untouched", bodyText: "", isDraft: true }, "drafts");
  const call = await compose(untouched);
  assert.equal((await call(`${I}.getItemIdAsync`)).error?.code, 9046);
  assert.equal((await call(`${I}.subject.setAsync`, ["Edited"])).outcome, "ok");
  assert.equal((await call(`${I}.getItemIdAsync`)).value, untouched.id, "stored again after an edit");
});

test("sendAsync on a meeting: it stays in the organizer's calendar, sent, and reaches each attendee's calendar", async () => {
  const { user: attendee, mailbox: theirs } = await fx.host.provisionUser({ displayName: "Attendee Tester" });
  const meeting = await fx.host.createItem(fx.mailbox, { itemType: "appointment", itemClass: "IPM.Appointment", subject: "Review", start: new Date("2026-03-05T09:00:00Z"), end: new Date("2026-03-05T10:00:00Z"), isDraft: true, requiredAttendees: [{ name: attendee.displayName, address: attendee.email }] }, "calendar");
  const { client } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "meeting-send", item: meeting, form: "compose", tier: "ReadWriteMailbox", supplementary: [], tenant: ON_PREMISES_POLICY });
  assert.equal((await client.call(`${I}.sendAsync`)).outcome, "ok");
  const sent = (await fx.host.store.items.get(meeting.id))!;
  assert.equal(sent.isDraft, false);
  assert.equal(sent.folderId, meeting.folderId, "still in the organizer's calendar");
  const calendar = (await fx.host.store.mailboxes.resolveFolder(theirs.id, "calendar"))!;
  const { items } = await fx.host.store.items.list(calendar.id, { limit: 10, offset: 0 });
  assert.ok(items.some((i) => i.subject === "Review"), "in the attendee's calendar");
  const noOne = await fx.host.createItem(fx.mailbox, { itemType: "appointment", itemClass: "IPM.Appointment", subject: "Alone", start: new Date("2026-03-06T09:00:00Z"), end: new Date("2026-03-06T10:00:00Z"), isDraft: true }, "calendar");
  const { client: c2 } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "meeting-send", item: noOne, form: "compose", tier: "ReadWriteMailbox", supplementary: [], tenant: ON_PREMISES_POLICY });
  assert.equal((await c2.call(`${I}.sendAsync`)).error?.code, 9013, "no attendees: NoValidRecipientsProvided");
});
