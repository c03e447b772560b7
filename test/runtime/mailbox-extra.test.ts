/**
 * Mailbox- and context-level members through the real dispatch (and, where the page answers synchronously, through
 * the shim): each at its tier with Office.js's shapes, Outlook's limits, host records instead of UI, and
 * loadItemByIdAsync / display*Form confined to the session's mailbox.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { ON_PREMISES_POLICY, EXCHANGE_ONLINE_POLICY, type Tier, type Mode } from "../../src/permissions/index.ts";
import { RuntimeHost } from "../../src/runtime/host.ts";
import type { Session, HostRecords } from "../../src/runtime/session.ts";
import { installOffice } from "../../src/runtime/shim/office.ts";
import { findSensitivityLabel } from "../../src/runtime/members/sensitivity-labels.ts";
import { toLocalClientTime } from "../../src/runtime/members/client-time.ts";
import type { Item } from "../../src/mailbox/index.ts";
import { createHost } from "../../src/testing/index.ts";
import { makeFixture } from "./fixtures.ts";

const fx = await makeFixture();
after(() => fx.host.close());
const M = "Office.context.mailbox";
const ZONE = "America/Los_Angeles";
await fx.host.store.db.query("UPDATE users SET time_zone = $1 WHERE id = $2", [ZONE, fx.user.id]);
const second = await fx.host.createItem(fx.mailbox, { subject: "Second message", bodyText: "two", internetMessageId: "<two@contoso.example>", conversationId: "conv-2" } as never);
const draft = await fx.host.createItem(fx.mailbox, { subject: "A draft", bodyText: "draft", isDraft: true } as never, "drafts");

/** Another tenant's user, and a colleague in the same tenant: neither mailbox is the session's. */
const stranger = await fx.host.provisionUser({ displayName: "Mallory" });
const strangerItem = await fx.host.createItem(stranger.mailbox, { subject: "not yours", bodyText: "secret" });
const colleague = await fx.host.store.provisionUser({ tenantId: fx.user.tenantId, email: `colleague-${Date.now()}@outpost.test`, displayName: "Colleague" });
const colleagueItem = await fx.host.createItem(colleague.mailbox, { subject: "colleague's", bodyText: "private" });
await fx.host.store.mailboxes.grant(colleague.mailbox.id, fx.user.id, "reviewer");

async function open(tier: Tier, form: Mode = "read", item: Item | null = fx.message, tenant = ON_PREMISES_POLICY, host: RuntimeHost = fx.host) {
  return host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: `extra-${tier}-${form}`, item, form, tier, tenant });
}

async function records(session: Session, host: RuntimeHost = fx.host): Promise<HostRecords> {
  const s = await host.sessions.get(session.id);
  assert.ok(s && s !== "expired");
  return s.state.host;
}

async function page(tier: Tier, form: Mode = "read", item: Item | null = fx.message) {
  const { client, session } = await open(tier, form, item);
  const boot = (await client.call("Outpost.bootstrap", [])).value;
  const g: { Office?: any } = {};
  const notified: Array<Promise<unknown>> = [];
  const shim = installOffice(g, { transport: (m, a) => client.call(m, a), notify: (m, a) => void notified.push(client.call(m, a)), onError: (e) => assert.fail(e) }, boot);
  shim.start();
  shim.ready();
  return { Office: g.Office, session, settle: () => Promise.all(notified) };
}

const callback = <T>(fn: (cb: (r: T) => void) => void) => new Promise<T>((resolve) => fn(resolve));

test("convertToLocalClientTime: LocalClientTime in the user's zone, winter and summer offsets; ReadItem needed", async () => {
  const { client } = await open("ReadItem");
  const winter = await client.call(`${M}.convertToLocalClientTime`, ["2026-03-02T10:00:00.250Z"]);
  assert.equal(winter.outcome, "ok");
  assert.deepEqual(winter.value, { month: 2, date: 2, year: 2026, hours: 2, minutes: 0, seconds: 0, milliseconds: 250, timezoneOffset: -480 });
  const summer = await client.call(`${M}.convertToLocalClientTime`, ["2026-07-01T12:00:00Z"]);
  assert.deepEqual(summer.value, { month: 6, date: 1, year: 2026, hours: 5, minutes: 0, seconds: 0, milliseconds: 0, timezoneOffset: -420 });
  assert.equal((await client.call(`${M}.convertToLocalClientTime`, ["not a date"])).error?.code, 9031);
  const restricted = await (await open("Restricted")).client.call(`${M}.convertToLocalClientTime`, ["2026-03-02T10:00:00Z"]);
  assert.equal(restricted.outcome, "denied");
  assert.equal(restricted.error?.code, 7000);
});

test("convertToUtcClientTime: honours the dictionary's offset, else the zone's (across daylight saving)", async () => {
  const { client } = await open("ReadItem", "compose");
  const round = await client.call(`${M}.convertToUtcClientTime`, [{ month: 6, date: 1, year: 2026, hours: 5, minutes: 0, seconds: 0, milliseconds: 0, timezoneOffset: -420 }]);
  assert.equal(round.value, "2026-07-01T12:00:00.000Z");
  const noOffset = await client.call(`${M}.convertToUtcClientTime`, [{ month: 0, date: 15, year: 2026, hours: 9, minutes: 30, seconds: 0, milliseconds: 0 }]);
  assert.equal(noOffset.value, "2026-01-15T17:30:00.000Z");
  assert.equal((await client.call(`${M}.convertToUtcClientTime`, [{ month: 13, date: 1, year: 2026 }])).error?.code, 9031);
});

test("on the page the synchronous conversions answer in the user's zone, as the server does (and are traced)", async () => {
  const { Office, session, settle } = await page("ReadItem");
  const d = new Date("2026-11-01T09:30:00Z"); // the morning US daylight saving ends
  const local = Office.context.mailbox.convertToLocalClientTime(d);
  assert.deepEqual(local, toLocalClientTime(d.getTime(), ZONE));
  assert.equal(local.timezoneOffset, -480);
  const back = Office.context.mailbox.convertToUtcClientTime(local);
  assert.ok(back instanceof Date);
  assert.equal(back.toISOString(), d.toISOString());
  await settle();
  const trace = await fx.host.sessions.trace(session.id);
  assert.deepEqual(trace.filter((t) => t.member.startsWith("convert")).map((t) => [t.member, t.outcome]), [
    ["convertToLocalClientTime", "ok"],
    ["convertToUtcClientTime", "ok"],
  ]);
});

test("displayMessageForm(Async) and displayAppointmentForm(Async): recorded; an id Outpost cannot open shows nothing, with no error", async () => {
  const { client, session } = await open("ReadItem");
  assert.equal((await client.call(`${M}.displayMessageFormAsync`, [second.id])).outcome, "ok");
  assert.equal((await client.call(`${M}.displayMessageForm`, [fx.message.id])).outcome, "ok");
  assert.equal((await client.call(`${M}.displayAppointmentFormAsync`, [fx.appointment.id])).outcome, "ok");
  // Unknown, another tenant's, a colleague's (even with delegate rights: not this mailbox), and an appointment id.
  for (const id of ["AAAAAAAAAAAAAAAAAAAAAA", strangerItem.id, colleagueItem.id, fx.appointment.id, "../../etc"]) {
    const r = await client.call(`${M}.displayMessageFormAsync`, [id]);
    assert.equal(r.outcome, "ok", id);
  }
  const forms = (await records(session)).displayedForms;
  assert.deepEqual(
    forms.map((f) => [f.form, f.itemId, f.displayed]),
    [
      ["message", second.id, true],
      ["message", fx.message.id, true],
      ["appointment", fx.appointment.id, true],
      ["message", null, false],
      ["message", null, false],
      ["message", null, false],
      ["message", null, false],
      ["message", null, false],
    ],
  );
  assert.ok(forms.every((f) => typeof f.at === "string"));
  const events = await fx.host.store.security.list({ tenantId: fx.user.tenantId });
  assert.ok(events.some((e) => e.reason.includes("display message form") && e.detail?.sameTenant === false), "the foreign id was recorded as a security event");
  assert.equal((await (await open("Restricted")).client.call(`${M}.displayMessageFormAsync`, [second.id])).error?.code, 7000);
});

test("displayNewMessageForm(Async): recorded with addresses, subject and body size; Outlook's limits and unknown names refused", async () => {
  const { client, session } = await open("ReadItem");
  const ok = await client.call(`${M}.displayNewMessageFormAsync`, [
    {
      toRecipients: ["bob@fabrikam.example", { emailAddress: "carol@fabrikam.example", displayName: "Carol" }],
      ccRecipients: [],
      subject: "Follow-up",
      htmlBody: "<p>Hello</p>",
      attachments: [
        { type: "file", name: "plan.pdf", url: "https://contoso.example/plan.pdf" },
        { type: "item", name: "earlier", itemId: second.id },
      ],
    },
  ]);
  assert.equal(ok.outcome, "ok", ok.reason);
  const rec = (await records(session)).displayedForms.at(-1)!;
  assert.equal(rec.form, "newMessage");
  assert.deepEqual(rec.toRecipients, ["bob@fabrikam.example", "carol@fabrikam.example"]);
  assert.equal(rec.subject, "Follow-up");
  assert.equal(rec.bodyChars, 12);
  assert.equal((rec.attachments as unknown[]).length, 2);

  const cases: Array<[unknown, string]> = [
    [{ subject: "x".repeat(256) }, "The value of the parameter 'subject' is out of range."],
    [{ htmlBody: "x".repeat(32_769) }, "The value of the parameter 'htmlBody' is out of range."],
    [{ toRecipients: Array.from({ length: 101 }, (_, i) => `r${i}@x.example`) }, "The value of the parameter 'toRecipients' is out of range."],
    [{ subjekt: "typo" }, "Unknown parameter 'subjekt'."],
    [{ attachments: [{ type: "base64", name: "x" }] }, "The value of the parameter 'attachments.type' is out of range."],
  ];
  for (const [form, message] of cases) {
    const r = await client.call(`${M}.displayNewMessageFormAsync`, [form]);
    assert.equal(r.outcome, "failed");
    assert.equal(r.error?.code, 9031);
    assert.equal(r.thrown, message);
  }
  assert.equal((await client.call(`${M}.displayNewMessageFormAsync`, [{ subject: "x".repeat(255), htmlBody: "y".repeat(32_768) }])).outcome, "ok", "the limits themselves are allowed");
  // Attaching an item of another mailbox is refused; nothing is recorded for it.
  const before = (await records(session)).displayedForms.length;
  const foreign = await client.call(`${M}.displayNewMessageFormAsync`, [{ attachments: [{ type: "item", name: "theirs", itemId: strangerItem.id }] }]);
  assert.equal(foreign.error?.code, 9031);
  assert.equal((await records(session)).displayedForms.length, before);
  // Read mode only (the table's row).
  const compose = await (await open("ReadWriteItem", "compose")).client.call(`${M}.displayNewMessageFormAsync`, [{ subject: "x" }]);
  assert.equal(compose.error?.code, 5004);
});

test("displayNewAppointmentForm(Async): dates, attendees and location recorded; limits enforced", async () => {
  const { client, session } = await open("ReadItem", "read", fx.appointment);
  const r = await client.call(`${M}.displayNewAppointmentFormAsync`, [
    { requiredAttendees: ["bob@fabrikam.example"], start: "2026-04-01T09:00:00.000Z", end: Date.UTC(2026, 3, 1, 10), location: "Room 2", subject: "Review", body: "Agenda" },
  ]);
  assert.equal(r.outcome, "ok", r.reason);
  const rec = (await records(session)).displayedForms.at(-1)!;
  assert.deepEqual([rec.form, rec.start, rec.end, rec.location, rec.bodyChars], ["newAppointment", "2026-04-01T09:00:00.000Z", "2026-04-01T10:00:00.000Z", "Room 2", 6]);
  assert.equal((await client.call(`${M}.displayNewAppointmentFormAsync`, [{ location: "x".repeat(256) }])).error?.code, 9031);
  assert.equal((await client.call(`${M}.displayNewAppointmentFormAsync`, [{ start: "tomorrow-ish" }])).error?.code, 9031);
  assert.equal((await client.call(`${M}.displayNewAppointmentForm`, [{ htmlBody: "wrong form" }])).thrown, "Unknown parameter 'htmlBody'.");
});

test("on the page, displayNewMessageForm over a limit throws synchronously and never reaches the server", async () => {
  const { Office, session, settle } = await page("ReadItem");
  assert.throws(() => Office.context.mailbox.displayNewMessageForm({ subject: "x".repeat(300) }), /parameter 'subject' is out of range/);
  assert.throws(() => Office.context.mailbox.displayNewMessageFormAsync({ cc: ["a@b.example"] }, () => undefined), /Unknown parameter 'cc'/);
  Office.context.mailbox.displayNewMessageForm({ subject: "fine" });
  const r = await callback<any>((cb) => Office.context.mailbox.displayNewAppointmentFormAsync({ subject: "Sync" }, cb));
  assert.equal(r.status, "succeeded");
  await settle();
  const trace = await fx.host.sessions.trace(session.id);
  assert.deepEqual(trace.filter((t) => t.member.startsWith("display")).map((t) => t.member), ["displayNewMessageForm", "displayNewAppointmentFormAsync"]);
  assert.deepEqual((await records(session)).displayedForms.map((f) => f.subject), ["fine", "Sync"]);
});

test("getSelectedItemsAsync: the open message as the only selection (SelectedItemDetails); ReadWriteMailbox only", async () => {
  const { client } = await open("ReadWriteMailbox");
  const r = await client.call(`${M}.getSelectedItemsAsync`, []);
  assert.equal(r.outcome, "ok");
  assert.deepEqual(r.value, [
    { itemId: fx.message.id, itemMode: "Read", itemType: "Message", subject: "Quarterly numbers", hasAttachment: false, conversationId: fx.message.conversationId ?? "", internetMessageId: "<q1@contoso.example>" },
  ]);
  assert.equal(((await (await open("ReadWriteMailbox", "compose")).client.call(`${M}.getSelectedItemsAsync`, [])).value as any[])[0].itemMode, "Compose");
  assert.deepEqual((await (await open("ReadWriteMailbox", "read", fx.appointment)).client.call(`${M}.getSelectedItemsAsync`, [])).value, [], "messages only");
  assert.deepEqual((await (await open("ReadWriteMailbox", "read", null)).client.call(`${M}.getSelectedItemsAsync`, [])).value, [], "no item, no selection");
  assert.equal((await (await open("ReadWriteItem")).client.call(`${M}.getSelectedItemsAsync`, [])).error?.code, 7000);
});

test("loadItemByIdAsync: another message of the mailbox (LoadedMessageRead properties); one at a time; unloadAsync releases it", async () => {
  const { client, session } = await open("ReadWriteMailbox");
  const r = await client.call(`${M}.loadItemByIdAsync`, [second.id]);
  assert.equal(r.outcome, "ok", r.reason);
  const v = r.value as Record<string, unknown>;
  assert.equal(v.itemId, second.id);
  assert.equal(v.subject, "Second message");
  assert.equal(v.itemType, "message");
  assert.ok(typeof v.dateTimeCreated === "string" && Array.isArray(v.to) && Array.isArray(v.attachments));
  assert.equal((await records(session)).loadedItemId, second.id);
  assert.equal((await client.call(`${M}.loadItemByIdAsync`, [fx.message.id])).error?.code, 5004, "unload first");
  assert.equal((await client.call("Office.LoadedMessageRead.unloadAsync", [])).outcome, "ok");
  assert.equal((await records(session)).loadedItemId, null);
  const d = await client.call(`${M}.loadItemByIdAsync`, [draft.id]);
  assert.deepEqual(d.value, { itemType: "message", conversationId: draft.conversationId, inReplyTo: null, seriesId: null }, "a draft loads as LoadedMessageCompose");
  assert.equal((await client.call("Office.LoadedMessageCompose.unloadAsync", [])).error?.code, 5004, "the compose unload belongs to compose sessions");
  assert.equal((await client.call("Office.LoadedMessageRead.unloadAsync", [])).outcome, "ok");
});

test("loadItemByIdAsync refuses items of another mailbox or tenant, an appointment and garbage, all alike", async () => {
  const { client, session } = await open("ReadWriteMailbox");
  for (const id of [strangerItem.id, colleagueItem.id, fx.appointment.id, "AAAAAAAAAAAAAAAAAAAAAA", "x'; DROP TABLE items; --", "é".repeat(50)]) {
    const r = await client.call(`${M}.loadItemByIdAsync`, [id]);
    assert.equal(r.outcome, "failed", id);
    assert.equal(r.error?.code, 9031, id);
    assert.equal(JSON.stringify(r).includes("secret") || JSON.stringify(r).includes("private"), false);
  }
  assert.equal((await records(session)).loadedItemId, null);
  assert.equal((await (await open("ReadWriteItem")).client.call(`${M}.loadItemByIdAsync`, [second.id])).error?.code, 7000);
});

test("on the page, the loaded message has Date properties and an unloadAsync", async () => {
  const { Office, session } = await page("ReadWriteMailbox");
  const r = await callback<any>((cb) => Office.context.mailbox.loadItemByIdAsync(second.id, { asyncContext: 7 }, cb));
  assert.equal(r.status, "succeeded");
  assert.equal(r.asyncContext, 7);
  assert.ok(r.value.dateTimeCreated instanceof Date);
  const u = await callback<any>((cb) => r.value.unloadAsync(cb));
  assert.equal(u.status, "succeeded");
  assert.equal((await records(session)).loadedItemId, null);
});

test("diagnostics.ews.getTokenStatusAsync: Enabled (1) with legacy tokens on, Disabled (0) under the Exchange Online policy", async () => {
  const on = await (await open("ReadItem", "read", fx.message, ON_PREMISES_POLICY)).client.call(`${M}.diagnostics.ews.getTokenStatusAsync`, []);
  assert.deepEqual([on.outcome, on.value], ["ok", 1]);
  const off = await (await open("ReadItem", "compose", fx.message, EXCHANGE_ONLINE_POLICY)).client.call(`${M}.diagnostics.ews.getTokenStatusAsync`, [{ isRest: true }]);
  assert.deepEqual([off.outcome, off.value], ["ok", 0]);
  assert.equal((await (await open("Restricted")).client.call(`${M}.diagnostics.ews.getTokenStatusAsync`, [])).error?.code, 7000);
});

test("getIsIdentityManaged / getIsOpenFromLocationAllowed / getIsSaveToLocationAllowed: no MAM policy; bad locations refused", async () => {
  const { client } = await open("ReadItem");
  assert.equal((await client.call(`${M}.getIsIdentityManaged`, [])).value, false);
  assert.equal((await client.call(`${M}.getIsOpenFromLocationAllowed`, [2])).value, true);
  assert.equal((await client.call(`${M}.getIsSaveToLocationAllowed`, [8])).value, true);
  const bad = await client.call(`${M}.getIsOpenFromLocationAllowed`, [7]);
  assert.deepEqual([bad.error?.code, bad.thrown], [9031, "InvalidOpenLocationInput"]);
  assert.equal((await client.call(`${M}.getIsSaveToLocationAllowed`, ["Local"])).thrown, "InvalidSaveLocationInput");
  const { Office } = await page("ReadItem");
  assert.equal(Office.context.mailbox.getIsIdentityManaged(), false);
  assert.equal(Office.context.mailbox.getIsOpenFromLocationAllowed(Office.MailboxEnums.OpenLocation.SharePoint), true);
  assert.equal(Office.context.mailbox.getIsSaveToLocationAllowed(Office.MailboxEnums.SaveLocation.Dropbox), true);
  assert.throws(() => Office.context.mailbox.getIsSaveToLocationAllowed(42), /InvalidSaveLocationInput/);
  assert.equal(Office.MailboxEnums.TokenStatus.Enabled, 1);
});

test("sensitivityLabelsCatalog: enabled, the documented catalogue in SensitivityLabelDetails shape; compose and ReadWriteItem only", async () => {
  const { client } = await open("ReadWriteItem", "compose");
  assert.equal((await client.call("Office.context.sensitivityLabelsCatalog.getIsEnabledAsync", [])).value, true);
  const r = await client.call("Office.context.sensitivityLabelsCatalog.getAsync", []);
  const labels = r.value as Array<{ id: string; name: string; tooltip: string; color: string; children: unknown[] | null }>;
  assert.deepEqual(labels.map((l) => l.name), ["Public", "General", "Confidential", "Highly Confidential"]);
  for (const l of labels) {
    assert.deepEqual(Object.keys(l).sort(), ["children", "color", "id", "name", "tooltip"]);
    assert.match(l.id, /^[0-9a-f-]{36}$/);
  }
  assert.equal(labels[0]!.children, null);
  assert.equal(labels[2]!.children!.length, 2);
  assert.equal(findSensitivityLabel(labels[2]!.id)?.name, "Confidential");
  assert.equal(findSensitivityLabel((labels[2]!.children![1] as { id: string }).id.toUpperCase())?.name, "Recipients only");
  assert.equal((await (await open("ReadItem", "compose")).client.call("Office.context.sensitivityLabelsCatalog.getAsync", [])).error?.code, 7000);
  assert.equal((await (await open("ReadWriteItem", "read")).client.call("Office.context.sensitivityLabelsCatalog.getAsync", [])).error?.code, 5004);
});

test("MailboxEvent.completed and AddinCommands.Event.completed: recorded with their options; the first completion counts", async () => {
  const { client, session } = await open("Restricted", "compose");
  const r = await client.call("Office.MailboxEvent.completed", [{ allowEvent: false, errorMessage: "Add a subject first.", cancelLabel: "Fix it", sendModeOverride: "promptUser", contextData: { reason: "subject" } }]);
  assert.equal(r.outcome, "ok", r.reason);
  assert.equal((await client.call("Office.MailboxEvent.completed", [{ allowEvent: true }])).outcome, "ok");
  assert.equal((await client.call("Office.AddinCommands.Event.completed", [])).outcome, "ok");
  const c = (await records(session)).completions;
  assert.deepEqual(c[0]!.options, { allowEvent: false, errorMessage: "Add a subject first.", cancelLabel: "Fix it", sendModeOverride: "promptUser", contextData: { reason: "subject" } });
  assert.deepEqual([c[0]!.event, c[0]!.ignored], ["MailboxEvent", undefined]);
  assert.deepEqual([c[1]!.event, c[1]!.ignored], ["MailboxEvent", true]);
  assert.deepEqual([c[2]!.event, c[2]!.options], ["AddinCommands.Event", {}]);
  for (const bad of [{ errorMessage: "x".repeat(501) }, { cancelLabel: "x".repeat(21) }, { sendModeOverride: "ignore" }, { allowEvent: "no" }]) {
    assert.equal((await client.call("Office.MailboxEvent.completed", [bad])).error?.code, 9031, JSON.stringify(bad).slice(0, 40));
  }
  const trace = await fx.host.sessions.trace(session.id);
  assert.equal(trace.filter((t) => t.member === "Office.MailboxEvent.completed").length, 6);
});

test("host records survive database sessions (another server reads them) and stay bounded", async () => {
  const db = await RuntimeHost.create({ store: fx.host.store, sessions: "database" });
  const { client, session } = await open("ReadItem", "read", fx.message, ON_PREMISES_POLICY, db);
  for (let i = 0; i < 105; i++) assert.equal((await client.call(`${M}.displayNewMessageFormAsync`, [{ subject: `n${i}` }])).outcome, "ok");
  const other = await RuntimeHost.create({ store: fx.host.store, sessions: "database" });
  const forms = (await records(session, other)).displayedForms;
  assert.equal(forms.length, 100);
  assert.equal(forms[0]!.subject, "n5");
  assert.equal(forms.at(-1)!.subject, "n104");
});

test("in the sandboxed page (isolated-vm), convertToLocalClientTime uses the user's zone too", async () => {
  const host = await createHost();
  try {
    await host.store.db.query("UPDATE users SET time_zone = 'Europe/Paris' WHERE id = $1", [host.user.id]);
    const item = await host.addItem({ fields: { subject: "x", bodyText: "y" } as never });
    const addin = await host.loadAddin({ id: "tz", tier: "ReadItem" });
    const code = `Office.onReady(function () {
      var t = Office.context.mailbox.convertToLocalClientTime(new Date("2026-07-01T12:00:00Z"));
      document.getElementById("out").textContent = t.hours + "/" + t.timezoneOffset;
    });`;
    const run = await addin.run({ code }, { item });
    assert.equal(run.page.out, "14/120");
    assert.deepEqual(run.trace.map((t) => [t.member, t.outcome]), [["convertToLocalClientTime", "ok"]]);
  } finally {
    await host.close();
  }
});
