/**
 * Item-level members added beyond the first set, through the real dispatch: each at its tier with the right shape,
 * their limits, and addFileAttachmentAsync's SSRF guards (a refused URL never causes a request).
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ON_PREMISES_POLICY, type Mode, type Supplementary, type Tier } from "../../src/permissions/index.ts";
import type { Item } from "../../src/mailbox/index.ts";
import type { ActivationSnapshot } from "../../src/runtime/members/activation.ts";
import { fetchAttachment, isPublicAddress, originAllowed } from "../../src/runtime/members/attachment-fetch.ts";
import { STATE_KEYS } from "../../src/runtime/members/item-extra.ts";
import { makeFixture } from "./fixtures.ts";

const fx = await makeFixture();
const I = "Office.context.mailbox.item";

// A local server standing in for anything an attacker would aim at (metadata service, admin port): it counts hits.
let hits = 0;
const target = http.createServer((req, res) => {
  hits += 1;
  if (req.url === "/redirect") return void res.writeHead(302, { location: "http://127.0.0.1/" }).end();
  if (req.url === "/hang") return; // never answers
  res.writeHead(200, { "content-type": "text/plain" }).end(req.url === "/big" ? "x".repeat(5000) : "hello file");
});
await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
const port = (target.address() as AddressInfo).port;
after(async () => {
  target.closeAllConnections();
  await new Promise((r) => target.close(r));
  await fx.host.close();
});

const activation: ActivationSnapshot = {
  id: "item-extra",
  name: "Item extra",
  format: "xml",
  appDomains: [`http://127.0.0.1:${port}`, "https://files.contoso.example", "http://localhost:" + port, `http://[::1]:${port}`],
  extensionPoints: [
    {
      type: "DetectedEntity",
      formFactor: "desktop",
      origin: "VersionOverridesV1_0",
      rule: {
        type: "RuleCollection",
        mode: "Or",
        rules: [
          { type: "ItemHasRegularExpressionMatch", regExName: "phone", regExValue: "\\+1 \\d{3} \\d{3} \\d{4}", propertyName: "BodyAsPlaintext" },
          { type: "ItemHasRegularExpressionMatch", regExName: "day", regExValue: "Friday", propertyName: "BodyAsPlaintext", highlight: "none" },
          { type: "ItemHasKnownEntity", entityType: "Url", filterName: "links", regExFilter: "contoso" },
        ],
      },
    },
  ],
};

async function open(item: Item, form: Mode, tier: Tier, supplementary: Supplementary[] = []) {
  const { client, session } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "item-extra", item, form, tier, supplementary, tenant: ON_PREMISES_POLICY, activation });
  return { call: (member: string, args: unknown[] = []) => client.call(member, args), session };
}

const draft = (fields: Record<string, unknown> = {}) =>
  fx.host.createItem(fx.mailbox, { subject: "Draft", bodyText: "Body text", isDraft: true, to: [{ name: "Bob", address: "bob@fabrikam.example" }], ...fields }, "drafts");
const appointment = () =>
  fx.host.createItem(fx.mailbox, { itemType: "appointment", subject: "Series", start: new Date("2026-03-03T09:00:00Z"), end: new Date("2026-03-03T10:00:00Z"), location: "Room 1; Online" }, "calendar");

test("getSharedPropertiesAsync: needs SharedFolder; answers the mailbox, REST URL and the rights as delegate bits", async () => {
  const without = await open(fx.message, "read", "ReadItem");
  const denied = await without.call(`${I}.getSharedPropertiesAsync`);
  assert.equal(denied.outcome, "denied");
  assert.equal(denied.error?.code, 9047);
  const s = await open(fx.message, "read", "ReadItem", ["SharedFolder"]);
  const r = await s.call(`${I}.getSharedPropertiesAsync`);
  assert.equal(r.outcome, "ok", r.reason);
  assert.deepEqual(Object.keys(r.value as object).sort(), ["delegatePermissions", "owner", "targetMailbox", "targetRestUrl"]);
  const v = r.value as { owner: string; targetMailbox: string; targetRestUrl: string; delegatePermissions: number };
  assert.equal(v.targetMailbox, fx.mailbox.email);
  assert.equal(v.owner, fx.user.email);
  assert.match(v.targetRestUrl, /\/api$/);
  assert.equal(v.delegatePermissions, 63);
  // A reviewer delegate on the same mailbox gets Read only.
  const { user: delegate } = await fx.host.provisionUser({ tenantId: fx.user.tenantId, displayName: "Delegate" });
  await fx.host.store.mailboxes.grant(fx.mailbox.id, delegate.id, "reviewer");
  const { client } = await fx.host.openSession({ user: delegate, mailbox: fx.mailbox, addinId: "x", item: fx.message, form: "read", tier: "ReadItem", supplementary: ["SharedFolder"], tenant: ON_PREMISES_POLICY });
  assert.equal(((await client.call(`${I}.getSharedPropertiesAsync`, [])).value as { delegatePermissions: number }).delegatePermissions, 1);
});

test("getInitializationContextAsync: empty string when the add-in was not started from an actionable message", async () => {
  const r = await (await open(fx.message, "read", "ReadItem")).call(`${I}.getInitializationContextAsync`);
  assert.equal(r.outcome, "ok");
  assert.equal(r.value, "");
});

test("highlighted matches: getSelectedRegExMatches, getFilteredEntitiesByName, getSelectedEntities", async () => {
  const s = await open(fx.message, "read", "ReadItem");
  const sel = await s.call(`${I}.getSelectedRegExMatches`);
  assert.equal(sel.outcome, "ok", sel.reason);
  assert.deepEqual((sel.value as Record<string, string[]>).phone, ["+1 425 555 0100"]);
  assert.equal((sel.value as Record<string, string[]>).day, undefined, "a rule with Highlight=none marks nothing");
  assert.deepEqual(((await s.call(`${I}.getRegExMatches`)).value as Record<string, string[]>).day, ["Friday"]);
  const filtered = await s.call(`${I}.getFilteredEntitiesByName`, ["links"]);
  assert.deepEqual(filtered.value, ["https://contoso.example/q1"]);
  assert.equal((await s.call(`${I}.getFilteredEntitiesByName`, ["nope"])).value, null);
  const ents = (await s.call(`${I}.getSelectedEntities`)).value as Record<string, unknown[]>;
  assert.deepEqual(Object.keys(ents).sort(), ["addresses", "contacts", "emailAddresses", "meetingSuggestions", "phoneNumbers", "taskSuggestions", "urls"]);
  assert.deepEqual(ents.urls, ["https://contoso.example/q1"]);
  assert.deepEqual(ents.phoneNumbers, [], "phone numbers are not highlighted by a known-entity rule");
});

test("displayReplyForm(Async) / displayReplyAllForm(Async): validated, recorded, succeed", async () => {
  const s = await open(fx.message, "read", "ReadItem");
  assert.equal((await s.call(`${I}.displayReplyForm`, ["<p>Thanks</p>"])).outcome, "ok");
  const r = await s.call(`${I}.displayReplyAllFormAsync`, [{ htmlBody: "<b>hi</b>", attachments: [{ type: "file", name: "a.txt", url: "https://files.contoso.example/a.txt" }] }]);
  assert.equal(r.outcome, "ok", r.reason);
  const forms = s.session.state.host.displayedForms.slice(-2);
  assert.deepEqual(forms.map((f) => [f.form, f.bodyChars]), [["reply", 13], ["replyAll", 9]]);
  const big = await s.call(`${I}.displayReplyFormAsync`, [{ htmlBody: "x".repeat(32_769) }]);
  assert.equal(big.outcome, "failed");
  assert.equal(big.error?.code, 9031);
  assert.equal((await s.call(`${I}.displayReplyForm`, [{ body: "x" }])).outcome, "failed", "unknown parameter");
  assert.equal((await s.call(`${I}.displayReplyForm`, [{ attachments: [{ type: "file", name: "a" }] }])).outcome, "failed", "file without url");
  // Compose has no reply form.
  const c = await open(await draft(), "compose", "ReadWriteItem");
  assert.equal((await c.call(`${I}.displayReplyForm`, ["x"])).error?.code, 5004);
});

test("display.subject / display.body: read mode at ReadWriteItem, kept on the session, the item unchanged", async () => {
  const low = await open(fx.message, "read", "ReadItem");
  assert.equal((await low.call(`${I}.display.subject.setAsync`, ["Shown"])).error?.code, 7000);
  const s = await open(fx.message, "read", "ReadWriteItem");
  assert.equal((await s.call(`${I}.display.subject.setAsync`, ["Shown subject"])).outcome, "ok");
  assert.equal((await s.call(`${I}.display.body.setAsync`, ["<p>Shown</p>", { coercionType: "html" }])).outcome, "ok");
  assert.equal(s.session.state.sessionData.get(STATE_KEYS.displaySubject), "Shown subject");
  assert.deepEqual(JSON.parse(s.session.state.sessionData.get(STATE_KEYS.displayBody)!), { data: "<p>Shown</p>", coercionType: "html" });
  assert.equal((await fx.host.store.items.get(fx.message.id))!.subject, "Quarterly numbers");
  assert.deepEqual((await s.call(`${I}.display.subject.setAsync`, ["x".repeat(256)])).error, { code: 2009, name: "DataExceedsMaximumSize", message: "The subject parameter is longer than 255 characters." });
  // Message read only (Office.Display): not on an appointment.
  assert.equal((await (await open(fx.appointment, "read", "ReadWriteItem")).call(`${I}.display.subject.setAsync`, ["x"])).error?.code, 5004);
});

test("getAsFileAsync: the message as Base64 RFC 822", async () => {
  const r = await (await open(fx.message, "read", "ReadItem")).call(`${I}.getAsFileAsync`);
  assert.equal(r.outcome, "ok", r.reason);
  const eml = Buffer.from(r.value as string, "base64").toString("utf8");
  assert.match(eml, /Subject: Quarterly numbers/);
  assert.match(eml, /Hi Bob/);
  assert.equal((await (await open(fx.message, "read", "Restricted")).call(`${I}.getAsFileAsync`)).error?.code, 7000);
});

test("enhancedLocation: get at ReadItem (read and compose), add/remove at ReadWriteItem; the plain location follows", async () => {
  const appt = await appointment();
  const read = await open(appt, "read", "ReadItem");
  const got = await read.call(`${I}.enhancedLocation.getAsync`);
  assert.deepEqual(got.value, [
    { locationIdentifier: { id: "Room 1", type: "custom" }, displayName: "Room 1", emailAddress: "" },
    { locationIdentifier: { id: "Online", type: "custom" }, displayName: "Online", emailAddress: "" },
  ]);
  assert.equal((await (await open(appt, "compose", "ReadItem")).call(`${I}.enhancedLocation.addAsync`, [[{ id: "x", type: "custom" }]])).error?.code, 7000);
  const s = await open(appt, "compose", "ReadWriteItem");
  assert.equal((await s.call(`${I}.enhancedLocation.addAsync`, [[{ id: "conf-a@contoso.example", type: "room" }, { id: "Room 1", type: "custom" }]])).outcome, "ok");
  assert.equal((await s.call(`${I}.enhancedLocation.removeAsync`, [[{ id: "Online", type: "custom" }]])).outcome, "ok");
  const after = (await s.call(`${I}.enhancedLocation.getAsync`)).value as Array<{ locationIdentifier: { id: string }; emailAddress: string }>;
  assert.deepEqual(after.map((l) => l.locationIdentifier.id), ["Room 1", "conf-a@contoso.example"]);
  assert.equal(after[1]!.emailAddress, "conf-a@contoso.example");
  assert.equal((await fx.host.store.items.get(appt.id))!.location, "Room 1; conf-a@contoso.example");
  assert.equal((await s.call(`${I}.enhancedLocation.addAsync`, [[{ id: "x", type: "bogus" }]])).error?.code, 9031);
  // Messages have no enhanced location.
  assert.equal((await (await open(fx.message, "read", "ReadItem")).call(`${I}.enhancedLocation.getAsync`)).error?.code, 5004);
});

test("recurrence.setAsync/getAsync and Office.SeriesTime: patterns validated as Outlook does (9034/9035/9036)", async () => {
  const appt = await appointment();
  const s = await open(appt, "compose", "ReadWriteItem");
  assert.equal((await s.call(`${I}.recurrence.getAsync`)).value, null);
  const pattern = {
    recurrenceType: "weekly",
    recurrenceProperties: { interval: 1, days: ["tue", "thu"], firstDayOfWeek: "sun" },
    recurrenceTimeZone: { name: "Pacific Standard Time" },
    seriesTime: { startDate: "2026-03-03", endDate: "2026-06-30", startTime: 540, duration: 60 },
  };
  const set = await s.call(`${I}.recurrence.setAsync`, [pattern]);
  assert.equal(set.outcome, "ok", JSON.stringify(set.error));
  assert.deepEqual((await s.call(`${I}.recurrence.getAsync`)).value, pattern);
  const daily3y = { recurrenceType: "daily", recurrenceProperties: { interval: 1 }, seriesTime: { startDate: "2026-01-01", endDate: "2028-12-31", startTime: 0, duration: 30 } };
  assert.equal((await s.call(`${I}.recurrence.setAsync`, [daily3y])).error?.code, 9036);
  assert.equal((await s.call(`${I}.recurrence.setAsync`, [{ ...daily3y, recurrenceType: "monthly" }])).error?.code, 9034, "monthly needs a day");
  assert.equal((await s.call(`${I}.recurrence.setAsync`, [{ ...daily3y, seriesTime: { ...daily3y.seriesTime, endDate: "2025-01-01" } }])).error?.code, 9035);
  assert.equal((await s.call(`${I}.recurrence.setAsync`, [{ recurrenceType: "hourly", seriesTime: {} }])).error?.code, 9034);
  const monthly = { recurrenceType: "monthly", recurrenceProperties: { interval: 1, dayOfWeek: "fri", weekNumber: "last" }, seriesTime: { startDate: "2026-01-01", endDate: "2026-12-31" } };
  assert.equal((await s.call(`${I}.recurrence.setAsync`, [monthly])).outcome, "ok");
  assert.equal((await s.call(`${I}.recurrence.setAsync`, [null])).outcome, "ok");
  assert.equal((await s.call(`${I}.recurrence.getAsync`)).value, null);
  // setAsync at ReadItem is refused; getAsync allowed.
  const low = await open(appt, "compose", "ReadItem");
  assert.equal((await low.call(`${I}.recurrence.setAsync`, [pattern])).error?.code, 7000);
  // SeriesTime: a pure value object; getters at ReadItem, setters need ReadWriteItem in compose.
  const st = pattern.seriesTime;
  assert.equal((await low.call("Office.SeriesTime.getStartDate", [st])).value, "2026-03-03");
  assert.equal((await low.call("Office.SeriesTime.getStartTime", [st])).value, "T09:00:00:000");
  assert.equal((await low.call("Office.SeriesTime.getEndTime", [st])).value, "T10:00:00:000");
  assert.equal((await low.call("Office.SeriesTime.getDuration", [st])).value, 60);
  assert.equal((await low.call("Office.SeriesTime.setDuration", [st, 30])).error?.code, 7000);
  assert.deepEqual((await s.call("Office.SeriesTime.setStartDate", [st, 2026, 11, 2])).value, { ...st, startDate: "2026-12-02" });
  assert.deepEqual((await s.call("Office.SeriesTime.setEndDate", [st, "2027-01-31"])).value, { ...st, endDate: "2027-01-31" });
  assert.deepEqual((await s.call("Office.SeriesTime.setStartTime", [st, 13, 30])).value, { ...st, startTime: 810 });
  assert.equal((await s.call("Office.SeriesTime.setStartDate", [st, 2026, 1, 30])).error?.code, 9031, "30 February");
});

test("isAllDayEvent, sensitivity: compose appointment, get at ReadItem, set at ReadWriteItem", async () => {
  const appt = await appointment();
  const s = await open(appt, "compose", "ReadWriteItem");
  assert.equal((await s.call(`${I}.isAllDayEvent.getAsync`)).value, false);
  assert.equal((await s.call(`${I}.isAllDayEvent.setAsync`, [true])).outcome, "ok");
  assert.equal((await s.call(`${I}.isAllDayEvent.getAsync`)).value, true);
  assert.equal((await s.call(`${I}.sensitivity.getAsync`)).value, "normal");
  assert.equal((await s.call(`${I}.sensitivity.setAsync`, ["private"])).outcome, "ok");
  assert.equal((await s.call(`${I}.sensitivity.getAsync`)).value, "private");
  assert.equal((await fx.host.store.items.get(appt.id))!.sensitivity, "Private");
  assert.equal((await s.call(`${I}.sensitivity.setAsync`, ["secret"])).error?.code, 9031);
  const low = await open(appt, "compose", "ReadItem");
  assert.equal((await low.call(`${I}.sensitivity.getAsync`)).value, "private");
  assert.equal((await low.call(`${I}.isAllDayEvent.setAsync`, [false])).error?.code, 7000);
});

test("sensitivityLabel and delayDeliveryTime on a draft", async () => {
  const d = await draft();
  const s = await open(d, "compose", "ReadWriteItem");
  assert.equal((await s.call(`${I}.sensitivityLabel.getAsync`)).value, "");
  const catalogue = (await s.call("Office.context.sensitivityLabelsCatalog.getAsync")).value as Array<{ id: string; name: string; children: Array<{ id: string }> | null }>;
  const general = catalogue.find((l) => l.name === "General")!;
  assert.equal((await s.call(`${I}.sensitivityLabel.setAsync`, [general])).outcome, "ok");
  assert.equal((await s.call(`${I}.sensitivityLabel.getAsync`)).value, general.id);
  const sub = catalogue.find((l) => l.children)!.children![0]!;
  assert.equal((await s.call(`${I}.sensitivityLabel.setAsync`, [sub.id.toUpperCase()])).outcome, "ok");
  assert.equal((await s.call(`${I}.sensitivityLabel.getAsync`)).value, sub.id);
  assert.equal((await s.call(`${I}.sensitivityLabel.setAsync`, ["0f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"])).error?.code, 9031, "not in the catalogue");
  assert.equal((await s.call(`${I}.sensitivityLabel.setAsync`, [catalogue.find((l) => l.children)!.id])).error?.code, 9031, "a parent label");
  assert.equal((await (await open(d, "compose", "ReadItem")).call(`${I}.sensitivityLabel.getAsync`)).error?.code, 7000, "the label needs ReadWriteItem even to read");
  assert.equal((await s.call(`${I}.delayDeliveryTime.getAsync`)).value, 0);
  assert.equal((await s.call(`${I}.delayDeliveryTime.setAsync`, ["2026-12-24T18:00:00.000Z"])).outcome, "ok");
  assert.equal((await s.call(`${I}.delayDeliveryTime.getAsync`)).value, "2026-12-24T18:00:00.000Z");
  assert.equal((await s.call(`${I}.delayDeliveryTime.setAsync`, ["tomorrow-ish"])).error?.code, 9031);
});

test("getSelectedDataAsync / setSelectedDataAsync: no UI selection, so empty data and insertion at the body start", async () => {
  const d = await draft();
  const s = await open(d, "compose", "ReadWriteItem");
  assert.deepEqual((await s.call(`${I}.getSelectedDataAsync`, ["text"])).value, { data: "", sourceProperty: "body" });
  assert.equal((await s.call(`${I}.getSelectedDataAsync`, ["matrix"])).error?.code, 9031);
  assert.equal((await s.call(`${I}.setSelectedDataAsync`, ["Hello. ", { coercionType: "text" }])).outcome, "ok");
  assert.equal((await fx.host.store.items.get(d.id))!.bodyText, "Hello. Body text");
  // The 2022 runtime's stricter tier: reading the selection needs ReadWriteItem.
  assert.equal((await (await open(d, "compose", "ReadItem")).call(`${I}.getSelectedDataAsync`, ["text"])).error?.code, 7000);
});

test("getConversationIndexAsync: 22-byte header, Base64", async () => {
  const r = await (await open(await draft(), "compose", "ReadItem")).call(`${I}.getConversationIndexAsync`);
  const bytes = Buffer.from(r.value as string, "base64");
  assert.equal(bytes.length, 22);
  assert.equal(bytes[0], 1);
});

test("closeAsync at ReadWriteItem in message compose", async () => {
  const s = await open(await draft(), "compose", "ReadWriteItem");
  assert.equal((await s.call(`${I}.closeAsync`, [{ discardItem: true }])).outcome, "ok");
  assert.equal(s.session.state.sessionData.get(STATE_KEYS.closed), "discard");
  assert.equal((await (await open(await draft(), "compose", "ReadItem")).call(`${I}.closeAsync`)).error?.code, 7000);
});

test("sendAsync: ReadWriteMailbox sends the draft through the store, with the queued on-send text", async () => {
  const d = await draft();
  assert.equal((await (await open(d, "compose", "ReadWriteItem")).call(`${I}.sendAsync`)).error?.code, 7000);
  const s = await open(d, "compose", "ReadWriteMailbox", ["AppendOnSend"]);
  assert.equal((await s.call(`${I}.body.appendOnSendAsync`, [" -- sent with Outpost", { coercionType: "text" }])).outcome, "ok");
  const r = await s.call(`${I}.sendAsync`);
  assert.equal(r.outcome, "ok", JSON.stringify(r.error));
  const sent = (await fx.host.store.items.get(d.id))!;
  assert.equal(sent.isDraft, false);
  assert.equal((await fx.host.store.mailboxes.getFolder(sent.folderId))!.wellKnown, "sentitems");
  assert.equal(sent.bodyText, "Body text -- sent with Outpost");
  assert.equal((await s.call(`${I}.sendAsync`)).error?.code, 9031, "already sent");
  const noRecipients = await draft({ to: [] });
  assert.equal((await (await open(noRecipients, "compose", "ReadWriteMailbox")).call(`${I}.sendAsync`)).error?.code, 9013);
});

test("item.move (undocumented): ReadWriteMailbox, read mode, within the session's mailbox; a reviewer delegate cannot", async () => {
  const item = await fx.host.createItem(fx.mailbox, { subject: "to archive", bodyText: "x" });
  assert.equal((await (await open(item, "read", "ReadWriteItem")).call(`${I}.move`, ["archive"])).error?.code, 7000);
  const s = await open(item, "read", "ReadWriteMailbox");
  assert.equal((await s.call(`${I}.move`, ["archive"])).outcome, "ok");
  assert.equal((await fx.host.store.mailboxes.getFolder((await fx.host.store.items.get(item.id))!.folderId))!.wellKnown, "archive");
  const { mailbox: other } = await fx.host.provisionUser({ displayName: "Other" });
  const foreignInbox = (await fx.host.store.mailboxes.resolveFolder(other.id, "inbox"))!;
  assert.equal((await s.call(`${I}.move`, [foreignInbox.id])).error?.code, 9031, "another mailbox's folder");
  const { user: reviewer } = await fx.host.provisionUser({ tenantId: fx.user.tenantId, displayName: "Reviewer" });
  await fx.host.store.mailboxes.grant(fx.mailbox.id, reviewer.id, "reviewer");
  const { client } = await fx.host.openSession({ user: reviewer, mailbox: fx.mailbox, addinId: "x", item, form: "read", tier: "ReadWriteMailbox", tenant: ON_PREMISES_POLICY });
  assert.equal((await client.call(`${I}.move`, ["inbox"])).error?.code, 9038);
});

test("addItemAttachmentAsync: another item of the same mailbox only; id ≤ 100", async () => {
  const d = await draft();
  const s = await open(d, "compose", "ReadWriteItem");
  const r = await s.call(`${I}.addItemAttachmentAsync`, [fx.message.id, "Quarterly numbers"]);
  assert.equal(r.outcome, "ok", JSON.stringify(r.error));
  const att = (await fx.host.store.items.get(d.id))!.attachments.find((a) => a.id === r.value)!;
  assert.equal(att.kind, "item");
  assert.equal(att.contentType, "message/rfc822");
  const { mailbox: other } = await fx.host.provisionUser({ displayName: "Stranger" });
  const foreign = await fx.host.createItem(other, { subject: "not yours", bodyText: "secret" });
  assert.equal((await s.call(`${I}.addItemAttachmentAsync`, [foreign.id, "x"])).error?.code, 9031);
  assert.equal((await s.call(`${I}.addItemAttachmentAsync`, ["a".repeat(101), "x"])).error?.code, 9031);
  assert.equal((await s.call(`${I}.addItemAttachmentAsync`, [fx.message.id, "n".repeat(256)])).error?.code, 9031);
});

test("addFileAttachmentAsync: data: URIs attach without any request; limits 2,048 / 255 / 9001", async () => {
  const d = await draft();
  const s = await open(d, "compose", "ReadWriteItem");
  const r = await s.call(`${I}.addFileAttachmentAsync`, ["data:text/plain;base64," + Buffer.from("hello").toString("base64"), "hello.txt", { isInline: false }]);
  assert.equal(r.outcome, "ok", JSON.stringify(r.error));
  const att = (await fx.host.store.items.getAttachment(d.id, r.value as string))!;
  assert.equal(att.name, "hello.txt");
  assert.equal(att.contentType, "text/plain");
  assert.equal(att.size, 5);
  assert.equal((await s.call(`${I}.addFileAttachmentAsync`, ["data:text/plain," + "a".repeat(2_049), "x.txt"])).error?.code, 9031);
  assert.equal((await s.call(`${I}.addFileAttachmentAsync`, ["data:text/plain,a", "n".repeat(256)])).error?.code, 9031);
  assert.equal((await (await open(d, "compose", "ReadItem")).call(`${I}.addFileAttachmentAsync`, ["data:text/plain,a", "a.txt"])).error?.code, 7000);
  const full = await draft({ attachments: Array.from({ length: 499 }, (_, i) => ({ name: `f${i}.txt`, data: new Uint8Array([i % 256]) })) });
  assert.equal((await (await open(full, "compose", "ReadWriteItem")).call(`${I}.addFileAttachmentAsync`, ["data:text/plain,a", "one-too-many.txt"])).error?.code, 9001);
});

test("addFileAttachmentAsync: SSRF attempts are refused (9004) without a single request reaching the target", async () => {
  const s = await open(await draft(), "compose", "ReadWriteItem");
  const before = hits;
  for (const uri of [
    `http://127.0.0.1:${port}/secret`, // listed in AppDomains, but loopback
    `http://localhost:${port}/secret`,
    `http://[::1]:${port}/secret`,
    `http://2130706433:${port}/secret`, // 127.0.0.1 written as a number
    `http://0x7f.0.0.1:${port}/secret`,
    "http://169.254.169.254/latest/meta-data/", // cloud metadata, not listed either
    "file:///etc/passwd",
    "ftp://files.contoso.example/a.txt",
    "https://evil.example/a.txt", // not among the AppDomains
    "https://files.contoso.example.evil.example/a.txt",
    "https://user:pass@files.contoso.example/a.txt",
    "not a url",
  ]) {
    const r = await s.call(`${I}.addFileAttachmentAsync`, [uri, "a.txt"]);
    assert.equal(r.outcome, "failed", uri);
    assert.equal(r.error?.code, 9004, `${uri}: ${JSON.stringify(r.error)}`);
  }
  assert.equal(hits, before, "no request reached the target");
});

test("the fetcher: origins, address classes, and its bounds (size, redirects, time) against a local server", async () => {
  assert.equal(originAllowed(new URL("https://a.contoso.example/x"), ["*.contoso.example"]), true);
  assert.equal(originAllowed(new URL("https://contoso.example.evil/x"), ["contoso.example"]), false);
  assert.equal(originAllowed(new URL("http://contoso.example/x"), ["contoso.example"]), false, "a bare domain means https");
  assert.equal(originAllowed(new URL("https://contoso.example:8443/x"), ["https://contoso.example"]), false, "other port");
  for (const a of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:7f00:1"])
    assert.equal(isPublicAddress(a), false, a);
  for (const a of ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]) assert.equal(isPublicAddress(a), true, a);
  // The bounds themselves, with the address check widened to reach the local server.
  const policy = { appDomains: [`http://127.0.0.1:${port}`], maxBytes: 1000, timeoutMs: 300, allowAddress: () => true };
  const ok = await fetchAttachment(`http://127.0.0.1:${port}/file`, policy);
  assert.equal(ok.data.toString(), "hello file");
  assert.equal(ok.contentType, "text/plain");
  await assert.rejects(fetchAttachment(`http://127.0.0.1:${port}/big`, policy), (e: { error?: { code: number } }) => e.error?.code === 9000);
  await assert.rejects(fetchAttachment(`http://127.0.0.1:${port}/redirect`, policy), (e: { error?: { code: number } }) => e.error?.code === 9007);
  await assert.rejects(fetchAttachment(`http://127.0.0.1:${port}/hang`, policy), (e: { error?: { code: number } }) => e.error?.code === 9007);
});

test("on the page: Office.SeriesTime is a synchronous value object, recurrence round-trips, delayDeliveryTime is a Date", async () => {
  const { createHost } = await import("../../src/testing/index.ts");
  const host = await createHost();
  try {
    const appt = await host.addItem({ fields: { itemType: "appointment", subject: "Weekly", isDraft: true, start: new Date("2026-03-03T09:00:00Z"), end: new Date("2026-03-03T10:00:00Z") }, folder: "calendar" });
    const addin = await host.loadAddin({ id: "series-page", tier: "ReadWriteItem" });
    const code = `Office.onReady(function () {
      var out = function (id, v) { document.getElementById(id).textContent = typeof v === "string" ? v : JSON.stringify(v); };
      var st = new Office.SeriesTime();
      st.setStartDate(2026, 2, 3); st.setEndDate("2026-06-30"); st.setStartTime(9, 30); st.setDuration(45);
      out("sync", [st.getStartDate(), st.getEndDate(), st.getStartTime(), st.getEndTime(), st.getDuration()]);
      try { st.setStartDate(2026, 1, 30); out("bad", "no throw"); } catch (e) { out("bad", "threw"); }
      var pattern = { recurrenceType: Office.MailboxEnums.RecurrenceType.Weekly, recurrenceProperties: { interval: 1, days: [Office.MailboxEnums.Days.Tue] }, seriesTime: st };
      Office.context.mailbox.item.recurrence.setAsync(pattern, function (r) {
        out("set", r.status);
        Office.context.mailbox.item.recurrence.getAsync(function (g) { out("get", g.value.seriesTime.getStartTime() + " " + g.value.recurrenceType); });
      });
    });`;
    const run = await addin.run({ code }, { item: appt, form: "compose" });
    assert.deepEqual(JSON.parse(run.page.sync!), ["2026-03-03", "2026-06-30", "T09:30:00:000", "T10:15:00:000", 45]);
    assert.equal(run.page.bad, "threw");
    assert.equal(run.page.set, "succeeded");
    assert.equal(run.page.get, "T09:30:00:000 weekly");
    assert.ok(run.trace.some((t) => t.member.includes("SeriesTime.setStartDate")), "SeriesTime calls are reported to the server");

    const d = await host.addItem({ fields: { subject: "Later", isDraft: true, to: [{ name: "", address: "x@fabrikam.example" }] } });
    const later = `Office.onReady(function () {
      Office.context.mailbox.item.delayDeliveryTime.setAsync(new Date("2026-12-24T18:00:00Z"), function () {
        Office.context.mailbox.item.delayDeliveryTime.getAsync(function (r) { document.getElementById("d").textContent = (r.value instanceof Date) + " " + r.value.toISOString(); });
      });
    });`;
    const run2 = await addin.run({ code: later }, { item: d, form: "compose" });
    assert.equal(run2.page.d, "true 2026-12-24T18:00:00.000Z");
  } finally {
    await host.close();
  }
});
