/**
 * Valid sample arguments for every table member the bridge runs, as an add-in would pass them (callbacks and
 * asyncContext stripped, as the page does). Data for the table-generated runtime test: arguments only — tiers,
 * modes and errors come from the permission table, never from here. A member missing here is called with none.
 */
import type { Item } from "../../src/mailbox/index.ts";

const I = "Office.context.mailbox.item";
const M = "Office.context.mailbox";

/** What a sample may refer to: the session's item and another item of the same mailbox. */
export interface SampleContext {
  item: Item;
  otherItemId: string;
}

const SOAP_GET_ITEM = (id: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Header><t:RequestServerVersion Version="Exchange2013"/></soap:Header><soap:Body><m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ItemIds><t:ItemId Id="${id}"/></m:ItemIds></m:GetItem></soap:Body></soap:Envelope>`;

/** A series time as the page hands it over (Office.SeriesTime's data). */
const SERIES = { startDate: "2026-03-03", endDate: "2026-03-10", startTime: 540, duration: 60 };
const recipients = () => [["pat@fabrikam.example", { displayName: "Kim", emailAddress: "kim@fabrikam.example" }]];
const text = (s: string) => [s, { coercionType: "text" }];
const attachmentId = (c: SampleContext) => c.item.attachments[0]?.id ?? "none";

export const SAMPLE_ARGS: Readonly<Record<string, (c: SampleContext) => unknown[]>> = {
  "Office.context.roamingSettings.get": () => ["theme"],
  "Office.context.roamingSettings.set": () => ["theme", "dark"],
  "Office.context.roamingSettings.remove": () => ["theme"],
  "Office.context.roamingSettings.saveAsync": () => [{ theme: "dark" }],
  "Office.MailboxEvent.completed": () => [{ allowEvent: true }],
  "Office.AddinCommands.Event.completed": () => [],
  [`${M}.convertToEwsId`]: (c) => [c.item.id, "v2.0"],
  [`${M}.convertToRestId`]: (c) => [c.item.id, "v2.0"],
  [`${M}.convertToLocalClientTime`]: () => ["2026-03-02T10:00:00.000Z"],
  [`${M}.convertToUtcClientTime`]: () => [{ year: 2026, month: 2, date: 2, hours: 10, minutes: 0, seconds: 0, milliseconds: 0, timezoneOffset: 0 }],
  [`${M}.displayMessageForm`]: (c) => [c.otherItemId],
  [`${M}.displayMessageFormAsync`]: (c) => [c.otherItemId],
  [`${M}.displayAppointmentForm`]: (c) => [c.otherItemId],
  [`${M}.displayAppointmentFormAsync`]: (c) => [c.otherItemId],
  [`${M}.displayNewMessageForm`]: () => [{ toRecipients: ["pat@fabrikam.example"], subject: "Hello", htmlBody: "<p>Hi</p>" }],
  [`${M}.displayNewMessageFormAsync`]: () => [{ toRecipients: ["pat@fabrikam.example"], subject: "Hello", htmlBody: "<p>Hi</p>" }],
  [`${M}.displayNewAppointmentForm`]: () => [{ requiredAttendees: ["pat@fabrikam.example"], start: "2026-03-04T09:00:00Z", end: "2026-03-04T10:00:00Z", subject: "Meet", location: "Room 2", body: "Agenda" }],
  [`${M}.displayNewAppointmentFormAsync`]: () => [{ requiredAttendees: ["pat@fabrikam.example"], start: "2026-03-04T09:00:00Z", end: "2026-03-04T10:00:00Z", subject: "Meet", location: "Room 2", body: "Agenda" }],
  [`${M}.getCallbackTokenAsync`]: () => [{ isRest: true }],
  [`${M}.makeEwsRequestAsync`]: (c) => [SOAP_GET_ITEM(c.item.id)],
  [`${M}.loadItemByIdAsync`]: (c) => [c.otherItemId],
  [`${M}.masterCategories.addAsync`]: (c) => [[{ displayName: `Added ${c.item.id}`, color: "Preset3" }]],
  [`${M}.masterCategories.removeAsync`]: (c) => [[`Removed ${c.item.id}`]],
  [`${M}.addHandlerAsync`]: () => ["ItemChanged"],
  [`${M}.removeHandlerAsync`]: () => ["ItemChanged"],
  [`${M}.getIsOpenFromLocationAllowed`]: () => [0],
  [`${M}.getIsSaveToLocationAllowed`]: () => [0],
  [`${I}.move`]: () => ["archive"],
  [`${I}.notificationMessages.addAsync`]: () => ["sample", { type: "informationalMessage", message: "Checked", icon: "icon1", persistent: false }],
  [`${I}.notificationMessages.replaceAsync`]: () => ["sample", { type: "informationalMessage", message: "Checked again", icon: "icon1", persistent: false }],
  [`${I}.notificationMessages.removeAsync`]: () => ["sample"],
  [`${I}.categories.addAsync`]: () => [["Red category"]],
  [`${I}.categories.removeAsync`]: () => [["Red category"]],
  "Office.CustomProperties.get": () => ["k"],
  "Office.CustomProperties.set": () => ["k", "v"],
  "Office.CustomProperties.remove": () => ["k"],
  "Office.CustomProperties.saveAsync": () => [{ k: "v" }],
  [`${I}.getAttachmentContentAsync`]: (c) => [attachmentId(c)],
  [`${I}.addHandlerAsync`]: () => ["RecipientsChanged"],
  [`${I}.removeHandlerAsync`]: () => ["RecipientsChanged"],
  [`${I}.body.getAsync`]: () => ["text"],
  [`${I}.body.setAsync`]: () => text("New body"),
  [`${I}.body.prependAsync`]: () => text("Top: "),
  [`${I}.body.setSelectedDataAsync`]: () => text("selected"),
  [`${I}.body.setSignatureAsync`]: () => text("Regards"),
  [`${I}.body.appendOnSendAsync`]: () => text("Footer"),
  [`${I}.body.prependOnSendAsync`]: () => text("Header"),
  [`${I}.display.body.setAsync`]: () => text("Shown instead"),
  [`${I}.display.subject.setAsync`]: () => ["Shown subject"],
  [`${I}.enhancedLocation.addAsync`]: () => [[{ id: "Room 3", type: "room" }]],
  [`${I}.enhancedLocation.removeAsync`]: () => [[{ id: "Room 1", type: "custom" }]],
  [`${I}.recurrence.setAsync`]: () => [{ recurrenceType: "daily", recurrenceProperties: { interval: 1 }, seriesTime: SERIES }],
  ...Object.fromEntries(["getStartDate", "getStartTime", "getEndDate", "getEndTime", "getDuration"].map((g) => [`Office.SeriesTime.${g}`, () => [SERIES]])),
  "Office.SeriesTime.setStartDate": () => [SERIES, "2026-03-04"],
  "Office.SeriesTime.setStartTime": () => [SERIES, 10, 30],
  "Office.SeriesTime.setEndDate": () => [SERIES, "2026-03-11"],
  "Office.SeriesTime.setDuration": () => [SERIES, 45],
  [`${I}.getRegExMatchesByName`]: () => ["sample"],
  [`${I}.getFilteredEntitiesByName`]: () => ["sample"],
  [`${I}.getEntitiesByType`]: () => ["Url"],
  [`${I}.displayReplyForm`]: () => ["Thanks"],
  [`${I}.displayReplyFormAsync`]: () => ["Thanks"],
  [`${I}.displayReplyAllForm`]: () => ["Thanks all"],
  [`${I}.displayReplyAllFormAsync`]: () => ["Thanks all"],
  [`${I}.subject.setAsync`]: () => ["New subject"],
  ...Object.fromEntries(
    ["to", "cc", "bcc", "requiredAttendees", "optionalAttendees"].flatMap((f) => [
      [`${I}.${f}.setAsync`, recipients],
      [`${I}.${f}.addAsync`, recipients],
    ]),
  ),
  [`${I}.location.setAsync`]: () => ["Room 9"],
  [`${I}.start.setAsync`]: () => ["2026-03-03T08:00:00.000Z"],
  [`${I}.end.setAsync`]: () => ["2026-03-03T11:00:00.000Z"],
  [`${I}.isAllDayEvent.setAsync`]: () => [true],
  [`${I}.sensitivity.setAsync`]: () => ["Private"],
  [`${I}.sensitivityLabel.setAsync`]: () => ["5a1c1e0e-0002-4b7e-9a61-6f75e7a10002"],
  [`${I}.delayDeliveryTime.setAsync`]: () => ["2026-03-05T09:00:00.000Z"],
  [`${I}.internetHeaders.getAsync`]: () => [["X-Sample"]],
  [`${I}.internetHeaders.setAsync`]: () => [{ "X-Sample": "1" }],
  [`${I}.internetHeaders.removeAsync`]: () => [["X-Sample"]],
  [`${I}.sessionData.getAsync`]: () => ["k"],
  [`${I}.sessionData.setAsync`]: () => ["k", "v"],
  [`${I}.sessionData.removeAsync`]: () => ["k"],
  [`${I}.addFileAttachmentAsync`]: () => ["data:text/plain,hello", "hello.txt"],
  [`${I}.addFileAttachmentFromBase64Async`]: () => ["aGVsbG8=", "hello.txt"],
  [`${I}.addItemAttachmentAsync`]: (c) => [c.otherItemId, "other.eml"],
  [`${I}.removeAttachmentAsync`]: (c) => [attachmentId(c)],
  [`${I}.getSelectedDataAsync`]: () => ["text"],
  [`${I}.setSelectedDataAsync`]: () => text("inserted"),
  [`${I}.closeAsync`]: () => [{ discardItem: true }],
};

/** Calls a member needs made first in the same session (a key to replace or remove), as [member, args]. */
export const SAMPLE_SETUP: Readonly<Record<string, (c: SampleContext) => ReadonlyArray<readonly [string, unknown[]]>>> = {
  [`${I}.notificationMessages.replaceAsync`]: () => [[`${I}.notificationMessages.addAsync`, ["sample", { type: "informationalMessage", message: "Checked", icon: "icon1", persistent: false }]]],
  [`${I}.notificationMessages.removeAsync`]: () => [[`${I}.notificationMessages.addAsync`, ["sample", { type: "informationalMessage", message: "Checked", icon: "icon1", persistent: false }]]],
  [`${M}.masterCategories.removeAsync`]: (c) => [[`${M}.masterCategories.addAsync`, [[{ displayName: `Removed ${c.item.id}`, color: "Preset4" }]]]],
};
