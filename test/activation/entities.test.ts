/// <reference types="office-js" />
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  entitiesForItem,
  entitiesForTier,
  entitiesOfType,
  extractEntitiesFromText,
  makeActivationItem,
  type Contact,
  type EmailUser,
  type Entities,
  type MeetingSuggestion,
  type PhoneNumber,
  type TaskSuggestion,
} from "../../src/activation/index.ts";
import { formatScores, KINDS, scoreEntities } from "./helpers/entity-scoring.ts";

// Compile-time: our shapes and @types/office-js's are assignable both ways (tsc runs over tests).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const shapes: [
  Same<Entities, Office.Entities>,
  Same<Contact, Office.Contact>,
  Same<MeetingSuggestion, Office.MeetingSuggestion>,
  Same<PhoneNumber, Office.PhoneNumber>,
  Same<TaskSuggestion, Office.TaskSuggestion>,
  Same<EmailUser, Office.EmailUser>,
] = [true, true, true, true, true, true];

// Relative dates are read in local time: pin the zone so "next Tuesday at 3pm" means the same everywhere.
process.env.TZ = "UTC";
const reference = new Date("2026-11-02T09:00:00Z"); // a Monday

describe("entity shapes", () => {
  it("match @types/office-js exactly", () => {
    assert.deepEqual(shapes, [true, true, true, true, true, true]);
    const e = extractEntitiesFromText("call 425-555-0100");
    assert.deepEqual(Object.keys(e).filter((k) => k !== "taskSuggestionDetails").sort(), ["addresses", "contacts", "emailAddresses", "meetingSuggestions", "phoneNumbers", "taskSuggestions", "urls"]);
    assert.deepEqual(Object.keys(e.phoneNumbers[0]).sort(), ["originalPhoneString", "phoneString", "type"]);
  });
});

describe("extraction", () => {
  it("phone numbers: North-American forms and international +CC numbers, typed by their label", () => {
    const e = extractEntitiesFromText("Office: (425) 555-0100, cell 425.555.0199, fax +1 425 555 0111, London +44 20 7946 0958. Ticket 4255550100 and IP 10.1.2.3.");
    assert.deepEqual(e.phoneNumbers, [
      { phoneString: "4255550100", originalPhoneString: "(425) 555-0100", type: "Work" },
      { phoneString: "4255550199", originalPhoneString: "425.555.0199", type: "Mobile" },
      { phoneString: "4255550111", originalPhoneString: "+1 425 555 0111", type: "Fax" },
      { phoneString: "+442079460958", originalPhoneString: "+44 20 7946 0958", type: "Unspecified" },
    ]);
  });

  it("URLs need a scheme or www.; email addresses are not URLs", () => {
    const e = extractEntitiesFromText("See https://contoso.com/a?b=1, www.fabrikam.com and mail.example.org; write to a.b@contoso.com.");
    assert.deepEqual(e.urls, ["https://contoso.com/a?b=1", "www.fabrikam.com"]);
    assert.deepEqual(e.emailAddresses, ["a.b@contoso.com"]);
  });

  it("US and UK postal addresses", () => {
    const e = extractEntitiesFromText(
      "HQ: One Microsoft Way\nRedmond, WA 98052\nUK: 10 Downing Street, London SW1A 2AA. Lab: 221B Baker Street\nLondon\nNW1 6XE. We sold 300 units in Seattle, WA 98101.",
    );
    assert.deepEqual(e.addresses, ["One Microsoft Way, Redmond, WA 98052", "10 Downing Street, London SW1A 2AA", "221B Baker Street, London, NW1 6XE"]);
  });

  it("meeting suggestions with date, attendees and location", () => {
    const item = makeActivationItem({
      bodyText: "Hi Sam, let's meet next Tuesday at 3pm in Building 4 to review the plan.",
      senderSmtp: "ana@contoso.com",
      senderName: "Ana",
      to: [{ name: "Sam", address: "sam@contoso.com" }],
      date: reference,
    });
    const [m] = entitiesForItem(item).meetingSuggestions;
    assert.equal(m.meetingString, "Hi Sam, let's meet next Tuesday at 3pm in Building 4 to review the plan.");
    assert.equal(m.location, "Building 4");
    assert.equal(m.subject, "meet");
    assert.equal(new Date(m.start).getDate(), 10);
    assert.equal(new Date(m.start).getHours(), 15);
    assert.equal(new Date(m.end).getTime() - new Date(m.start).getTime(), 30 * 60_000);
    assert.deepEqual(m.attendees, [
      { displayName: "Ana", emailAddress: "ana@contoso.com" },
      { displayName: "Sam", emailAddress: "sam@contoso.com" },
    ]);
  });

  it("task suggestions addressed to the reader, not boilerplate", () => {
    const item = makeActivationItem({
      bodyText: "Please find attached the report. Could you review section 2 by Friday? Please do not reply to this message. Don't forget to submit your timesheet.",
      to: [{ name: "Sam", address: "sam@contoso.com" }],
    });
    const e = entitiesForItem(item);
    assert.deepEqual(e.taskSuggestions, ["Could you review section 2 by Friday?", "Don't forget to submit your timesheet."]);
    assert.deepEqual(entitiesOfType(e, "TaskSuggestion")[0], { assignees: [{ displayName: "Sam", emailAddress: "sam@contoso.com" }], taskString: "Could you review section 2 by Friday?" });
  });

  it("contacts from signature blocks", () => {
    const e = extractEntitiesFromText("See you soon.\n\nBest regards,\nMaria Gonzalez\nAccount Manager, Fabrikam Inc.\nTel: (512) 555-0148\nmaria@fabrikam.com\nhttps://www.fabrikam.com\n");
    assert.equal(e.contacts.length, 1);
    const c = e.contacts[0];
    assert.equal(c.personName, "Maria Gonzalez");
    assert.equal(c.businessName, "Account Manager, Fabrikam Inc.");
    assert.deepEqual(c.emailAddresses, ["maria@fabrikam.com"]);
    assert.deepEqual(c.urls, ["https://www.fabrikam.com"]);
    assert.deepEqual(c.phoneNumbers.map((p) => p.phoneString), ["5125550148"]);
  });

  it("reads only the first 2,000 characters, and nothing in compose or Sent Items", () => {
    const item = makeActivationItem({ bodyText: "x".repeat(1990) + " https://a.example.com/late https://b.example.com/" });
    assert.deepEqual(entitiesForItem(item).urls, []);
    const early = makeActivationItem({ bodyText: "https://contoso.com/" });
    assert.deepEqual(entitiesForItem(early).urls, ["https://contoso.com/"]);
    assert.deepEqual(entitiesForItem(early, { form: "compose" }).urls, []);
    assert.deepEqual(entitiesForItem({ ...early, inSentItems: true }).urls, []);
  });

  it("Restricted add-ins see addresses, URLs and phone numbers only", () => {
    const e = extractEntitiesFromText("Mail a@contoso.com or call 425-555-0100; https://contoso.com. Could you reply today?");
    const r = entitiesForTier(e, "Restricted");
    assert.equal(r.phoneNumbers.length, 1);
    assert.equal(r.urls.length, 1);
    assert.deepEqual([r.emailAddresses, r.taskSuggestions, r.contacts, r.meetingSuggestions], [[], [], [], []]);
    assert.equal(entitiesForTier(e, "ReadItem").emailAddresses.length, 1);
  });

  it("is linear on hostile input (no catastrophic patterns in the extractors)", () => {
    const hostile = ("1 a ".repeat(40) + "Seattle, WA 98101 " + "+1".repeat(50) + " www." + "a.".repeat(200)).repeat(50);
    const e = extractEntitiesFromText(hostile);
    assert.ok(Array.isArray(e.addresses));
  });
});

describe("precision and recall on the labelled set", () => {
  it("stay above floors (figures are printed by the benchmark and in docs/activation.md)", async () => {
    const reports = await scoreEntities();
    const all = reports.find((r) => r.set === "all")!;
    for (const k of KINDS) {
      assert.ok(all.byKind[k].precision >= 0.7, `${k} precision ${all.byKind[k].precision}\n${formatScores(reports)}`);
      assert.ok(all.byKind[k].recall >= 0.7, `${k} recall ${all.byKind[k].recall}\n${formatScores(reports)}`);
    }
  });
});
