import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { closeSharedRegexPool, evaluateActivation, makeActivationItem } from "../../src/activation/index.ts";
import { and, attachment, entity, itemIs, manifestWith, or, regex } from "./helpers/manifests.ts";

after(() => closeSharedRegexPool());

const message = makeActivationItem({
  subject: "Order CO-123456789 shipped",
  bodyText: "Hello, your order CO-123456789 is on its way. Track at https://contoso.com/track. Call (425) 555-0100.",
  bodyHtml: "<p>Hello, your order <b>CO-123456789</b> is on its way.</p>",
  senderSmtp: "orders@contoso.com",
  hasAttachment: true,
});
const appointment = makeActivationItem({ itemType: "Appointment", itemClass: "IPM.Appointment", subject: "Sync", bodyText: "Agenda" });

describe("ItemIs", () => {
  it("matches item type and form type", async () => {
    assert.equal((await evaluateActivation(manifestWith(itemIs("Message", "Read")), message)).activated, true);
    assert.equal((await evaluateActivation(manifestWith(itemIs("Appointment", "Read")), message)).activated, false);
    assert.equal((await evaluateActivation(manifestWith(itemIs("Appointment", "Read")), appointment)).activated, true);
    assert.equal((await evaluateActivation(manifestWith(itemIs("Message", "Edit")), message, { form: "read" })).activated, false);
    assert.equal((await evaluateActivation(manifestWith(itemIs("Message", "Edit")), message, { form: "compose" })).activated, true);
    assert.equal((await evaluateActivation(manifestWith(itemIs("Message", "ReadOrEdit")), message, { form: "compose" })).activated, true);
    assert.equal((await evaluateActivation(manifestWith(itemIs("Message", "ReadOrEdit")), message, { form: "read" })).activated, true);
    assert.equal((await evaluateActivation(manifestWith(itemIs("Message", "Read")), message, { form: "compose" })).activated, false);
  });

  it("meeting requests are messages", async () => {
    const request = makeActivationItem({ itemClass: "IPM.Schedule.Meeting.Request" });
    assert.equal(request.itemType, "Message");
    assert.equal((await evaluateActivation(manifestWith(itemIs("Message", "Read")), request)).activated, true);
  });

  it("ItemClass matches exactly, or with IncludeSubClasses its subclasses too (case-insensitive)", async () => {
    const custom = makeActivationItem({ itemClass: "IPM.Note.Contoso.Order" });
    const exact = manifestWith(itemIs("Message", "Read", { itemClass: "IPM.Note.Contoso" }));
    const sub = manifestWith(itemIs("Message", "Read", { itemClass: "ipm.note.contoso", includeSubClasses: true }));
    assert.equal((await evaluateActivation(exact, custom)).activated, false);
    assert.equal((await evaluateActivation(sub, custom)).activated, true);
    assert.equal((await evaluateActivation(sub, makeActivationItem({ itemClass: "IPM.Note.Contoso" }))).activated, true);
    assert.equal((await evaluateActivation(sub, makeActivationItem({ itemClass: "IPM.Note.ContosoX" }))).activated, false);
  });
});

describe("ItemHasAttachment", () => {
  it("is true only with attachments, in read form", async () => {
    const m = manifestWith(attachment);
    assert.equal((await evaluateActivation(m, message)).activated, true);
    assert.equal((await evaluateActivation(m, { ...message, hasAttachment: false })).activated, false);
    const compose = await evaluateActivation(m, message, { form: "compose" });
    assert.equal(compose.activated, false);
    assert.ok(compose.limits.some((l) => l.kind === "read-form-only"));
  });
});

describe("ItemHasRegularExpressionMatch", () => {
  it("evaluates each property and returns matches by RegExName", async () => {
    const r = await evaluateActivation(
      manifestWith(
        or(
          regex("bodyOrder", "CO-\\d{9}"),
          regex("subjectOrder", "co-\\d+", "Subject", { ignoreCase: true }),
          regex("html", "<b>[^<]+</b>", "BodyAsHTML"),
          regex("sender", "@contoso\\.com$", "SenderSMTPAddress"),
          regex("caseSensitive", "co-\\d+", "Subject"),
        ),
      ),
      message,
    );
    assert.equal(r.activated, true);
    assert.deepEqual(r.regexMatches, {
      bodyOrder: ["CO-123456789"],
      subjectOrder: ["CO-123456789"],
      html: ["<b>CO-123456789</b>"],
      sender: ["@contoso.com"],
      caseSensitive: [],
    });
    const byName = Object.fromEntries(r.rules.filter((x) => x.type === "ItemHasRegularExpressionMatch").map((x) => [x.summary.split(" ")[1], x.value]));
    assert.deepEqual(byName, { "RegExName=bodyOrder": true, "RegExName=subjectOrder": true, "RegExName=html": true, "RegExName=sender": true, "RegExName=caseSensitive": false });
  });

  it("keeps unique matches only", async () => {
    const r = await evaluateActivation(manifestWith(regex("w", "apple|pear")), makeActivationItem({ bodyText: "apple pear apple apple pear" }));
    assert.deepEqual(r.regexMatches.w.sort(), ["apple", "pear"]);
  });

  it("BodyAsHTML matches nothing when the body is not HTML (appointments are RTF)", async () => {
    const r = await evaluateActivation(manifestWith(regex("h", "Agenda", "BodyAsHTML")), appointment);
    assert.equal(r.activated, false);
    assert.ok(r.limits.some((l) => l.kind === "not-html"));
  });

  it("is false in compose form and for a Restricted add-in", async () => {
    const compose = await evaluateActivation(manifestWith(regex("x", "CO")), message, { form: "compose" });
    assert.equal(compose.activated, false);
    assert.ok(compose.limits.some((l) => l.kind === "read-form-only"));
    const restricted = await evaluateActivation(manifestWith(regex("x", "CO"), { tier: "Restricted" }), message);
    assert.equal(restricted.activated, false);
    assert.ok(restricted.limits.some((l) => l.kind === "permission"));
    assert.deepEqual(restricted.regexMatches, {});
  });

  it("reports an invalid pattern instead of throwing", async () => {
    const r = await evaluateActivation(manifestWith(regex("bad", "(unclosed")), message);
    assert.equal(r.activated, false);
    assert.ok(r.limits.some((l) => l.kind === "regex-error" && /RegExName "bad"/.test(l.message)));
  });
});

describe("ItemHasKnownEntity", () => {
  it("finds entity types and applies RegExFilter / FilterName", async () => {
    assert.equal((await evaluateActivation(manifestWith(entity("Url")), message)).activated, true);
    assert.equal((await evaluateActivation(manifestWith(entity("PhoneNumber")), message)).activated, true);
    assert.equal((await evaluateActivation(manifestWith(entity("Address")), message)).activated, false);
    const filtered = await evaluateActivation(manifestWith(entity("Url", { filterName: "contosoLinks", regExFilter: "CONTOSO", ignoreCase: true })), message);
    assert.equal(filtered.activated, true);
    assert.deepEqual(filtered.filteredEntities.contosoLinks, ["https://contoso.com/track"]);
    assert.deepEqual(filtered.regexMatches.contosoLinks, ["https://contoso.com/track"]);
    const caseSensitive = await evaluateActivation(manifestWith(entity("Url", { filterName: "f", regExFilter: "CONTOSO" })), message);
    assert.equal(caseSensitive.activated, false);
  });

  it("Restricted add-ins may use Address, Url and PhoneNumber only, and no RegExFilter", async () => {
    assert.equal((await evaluateActivation(manifestWith(entity("Url"), { tier: "Restricted" }), message)).activated, true);
    const email = await evaluateActivation(manifestWith(entity("EmailAddress"), { tier: "Restricted" }), makeActivationItem({ bodyText: "mail me: a@contoso.com" }));
    assert.equal(email.activated, false);
    assert.ok(email.limits.some((l) => l.kind === "permission"));
    const filter = await evaluateActivation(manifestWith(entity("Url", { filterName: "f", regExFilter: "contoso" }), { tier: "Restricted" }), message);
    assert.equal(filter.activated, false);
    assert.ok(filter.limits.some((l) => l.kind === "permission"));
  });

  it("finds nothing in Sent Items or in compose", async () => {
    const sent = await evaluateActivation(manifestWith(entity("Url")), { ...message, inSentItems: true });
    assert.equal(sent.activated, false);
    assert.ok(sent.limits.some((l) => l.kind === "sent-items"));
    assert.equal((await evaluateActivation(manifestWith(entity("Url")), message, { form: "compose" })).activated, false);
  });
});

describe("RuleCollection", () => {
  it("And / Or nest to any depth", async () => {
    const deep = and(itemIs("Message", "Read"), or(regex("nope", "zzz"), and(attachment, or(entity("Url"), regex("n2", "qqq")))));
    assert.equal((await evaluateActivation(manifestWith(deep), message)).activated, true);
    assert.equal((await evaluateActivation(manifestWith(deep), { ...message, hasAttachment: false })).activated, false);
    let nested = itemIs("Message", "Read");
    for (let i = 0; i < 40; i++) nested = i % 2 ? and(nested) : or(nested, regex(`n${i}`, "zzz"));
    const r = await evaluateActivation(manifestWith(nested), message);
    assert.equal(r.activated, true);
    assert.equal(Math.max(...r.rules.map((x) => x.depth)), 40);
  });

  it("an empty And is true, an empty Or is false", async () => {
    assert.equal((await evaluateActivation(manifestWith(and()), message)).activated, true);
    assert.equal((await evaluateActivation(manifestWith(or()), message)).activated, false);
  });

  it("an unknown rule type is false and reported", async () => {
    const r = await evaluateActivation(manifestWith(or({ type: "Unknown", xsiType: "ItemHasKeyword" })), message);
    assert.equal(r.activated, false);
    assert.ok(r.limits.some((l) => l.kind === "unknown-rule"));
  });

  it("reports every rule in tree order with paths", async () => {
    const r = await evaluateActivation(manifestWith(and(itemIs("Message", "Read"), or(attachment, regex("a", "x")))), message);
    assert.deepEqual(r.rules.map((x) => x.path), ["OfficeApp/1", "OfficeApp/1.1", "OfficeApp/1.2", "OfficeApp/1.2.1", "OfficeApp/1.2.2"]);
  });
});

describe("manifests without rules", () => {
  it("unified-manifest add-ins show on their extension points only", async () => {
    const ep = (type: string) => ({ type, formFactor: "desktop" as const, groups: [], origin: "extensions[0]" });
    const m = manifestWith(undefined, { format: "json", extensionPoints: [ep("MessageReadCommandSurface")] });
    assert.equal((await evaluateActivation(m, message)).activated, true);
    assert.equal((await evaluateActivation(m, message, { form: "compose" })).activated, false);
    assert.equal((await evaluateActivation(m, appointment)).activated, false);
  });

  it("an XML add-in with no rule does not activate", async () => {
    const r = await evaluateActivation(manifestWith(undefined), message);
    assert.equal(r.activated, false);
    assert.ok(r.limits.some((l) => l.kind === "no-rule"));
  });

  it("DetectedEntity rules activate contextually and highlight their matches", async () => {
    const m = manifestWith(itemIs("Message", "Read"), {
      extensionPoints: [{ type: "DetectedEntity", formFactor: "desktop", groups: [], origin: "VersionOverrides", rule: and(itemIs("Message"), regex("Order", "CO-\\d{9}")) }],
    });
    const r = await evaluateActivation(m, message);
    assert.equal(r.activated, true);
    assert.deepEqual(r.contextual.map((c) => c.activated), [true]);
    assert.deepEqual(r.highlightedRegexMatches, { Order: ["CO-123456789"] });
  });
});
