/// <reference types="office-js" />
/**
 * The shim's surface against `@types/office-js`: member names are typed as keys of the real interfaces (the file
 * does not compile if one drifts), enum values are typed as the real enums' values, and at run time the objects the
 * shim builds must carry each of them.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { installOffice } from "../../src/runtime/shim/office.ts";
import { makeFixture } from "./fixtures.ts";

const fx = await makeFixture();
after(() => fx.host.close());

const READ_MESSAGE = ["subject", "from", "to", "cc", "sender", "itemId", "itemType", "itemClass", "internetMessageId", "conversationId", "dateTimeCreated", "attachments", "body", "notificationMessages", "categories", "loadCustomPropertiesAsync", "getRegExMatches", "getEntities", "getAllInternetHeadersAsync", "getAttachmentContentAsync", "addHandlerAsync", "displayReplyForm"] as const satisfies readonly (keyof Office.MessageRead)[];
const COMPOSE_MESSAGE = ["subject", "to", "cc", "bcc", "from", "body", "internetHeaders", "sessionData", "categories", "notificationMessages", "addFileAttachmentFromBase64Async", "removeAttachmentAsync", "saveAsync", "getItemIdAsync", "loadCustomPropertiesAsync", "getAttachmentsAsync"] as const satisfies readonly (keyof Office.MessageCompose)[];
const READ_APPOINTMENT = ["subject", "start", "end", "location", "organizer", "requiredAttendees", "optionalAttendees", "body"] as const satisfies readonly (keyof Office.AppointmentRead)[];
const MAILBOX = ["item", "userProfile", "diagnostics", "ewsUrl", "restUrl", "convertToEwsId", "getCallbackTokenAsync", "addHandlerAsync", "masterCategories", "makeEwsRequestAsync"] as const satisfies readonly (keyof Office.Mailbox)[];
const CONTEXT = ["mailbox", "roamingSettings", "displayLanguage", "requirements", "diagnostics", "platform"] as const satisfies readonly (keyof Office.Context)[];
const BODY = ["getAsync"] as const satisfies readonly (keyof Office.Body)[];

const succeeded: `${Office.AsyncResultStatus.Succeeded}` = "succeeded";
const failed: `${Office.AsyncResultStatus.Failed}` = "failed";
const text: `${Office.CoercionType.Text}` = "text";
const html: `${Office.CoercionType.Html}` = "html";
const itemChanged: `${Office.EventType.ItemChanged}` = "olkItemSelectedChanged";
const message: `${Office.MailboxEnums.ItemType.Message}` = "message";
const appointment: `${Office.MailboxEnums.ItemType.Appointment}` = "appointment";
const info: `${Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage}` = "informationalMessage";
const base64: `${Office.MailboxEnums.AttachmentContentFormat.Base64}` = "base64";
const fileAtt: `${Office.MailboxEnums.AttachmentType.File}` = "file";

async function build(item: typeof fx.message | null, form: "read" | "compose") {
  const { client } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "surface", item, form, tier: "ReadWriteMailbox" });
  const boot = (await client.call("Outpost.bootstrap", [])).value;
  const g: { Office?: any } = {};
  const shim = installOffice(g, { transport: (m, a) => client.call(m, a), notify: () => undefined, onError: (e) => assert.fail(e) }, boot);
  shim.start();
  shim.ready();
  return { Office: g.Office, client };
}

function has(obj: any, keys: readonly string[], where: string): void {
  for (const k of keys) assert.ok(obj && k in obj, `${where}.${k} missing from the shim`);
}

test("read message, compose message and read appointment carry the typed members", async () => {
  const read = await build(fx.message, "read");
  has(read.Office.context, CONTEXT, "Office.context");
  has(read.Office.context.mailbox, MAILBOX, "mailbox");
  has(read.Office.context.mailbox.item, READ_MESSAGE, "MessageRead");
  has(read.Office.context.mailbox.item.body, BODY, "Body");
  assert.equal(read.Office.context.mailbox.item.subject, "Quarterly numbers");
  assert.ok(read.Office.context.mailbox.item.dateTimeCreated instanceof Date);
  const compose = await build(fx.message, "compose");
  has(compose.Office.context.mailbox.item, COMPOSE_MESSAGE, "MessageCompose");
  const appt = await build(fx.appointment, "read");
  has(appt.Office.context.mailbox.item, READ_APPOINTMENT, "AppointmentRead");
  assert.ok(appt.Office.context.mailbox.item.start instanceof Date);
});

test("enum values equal the real Office.js enums", async () => {
  const { Office } = await build(fx.message, "read");
  assert.equal(Office.AsyncResultStatus.Succeeded, succeeded);
  assert.equal(Office.AsyncResultStatus.Failed, failed);
  assert.equal(Office.CoercionType.Text, text);
  assert.equal(Office.CoercionType.Html, html);
  assert.equal(Office.EventType.ItemChanged, itemChanged);
  assert.equal(Office.MailboxEnums.ItemType.Message, message);
  assert.equal(Office.MailboxEnums.ItemType.Appointment, appointment);
  assert.equal(Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage, info);
  assert.equal(Office.MailboxEnums.AttachmentContentFormat.Base64, base64);
  assert.equal(Office.MailboxEnums.AttachmentType.File, fileAtt);
});

test("callback form delivers an AsyncResult with status, value and asyncContext; onReady returns a promise", async () => {
  const { Office } = await build(fx.message, "read");
  const r = await new Promise<any>((resolve) => Office.context.mailbox.item.body.getAsync("text", { asyncContext: 42 }, resolve));
  assert.equal(r.status, "succeeded");
  assert.equal(r.asyncContext, 42);
  assert.match(r.value, /Hi Bob/);
  const readyInfo = await Office.onReady();
  assert.equal(readyInfo.host, "Outlook");
  assert.equal(Office.context.requirements.isSetSupported("Mailbox", "1.8"), true);
  assert.equal(Office.context.requirements.isSetSupported("Mailbox", "9.9"), false);
});
