/** One-line, human descriptions of activation rules (used by conversion notes and `explain`). */
import type { Rule } from "../model.ts";

export function describeRule(r: Rule): string {
  switch (r.type) {
    case "ItemIs": {
      const form = r.formType === "Edit" ? "composing" : r.formType === "ReadOrEdit" ? "reading or composing" : "reading";
      const what = r.itemType === "Appointment" ? "an appointment" : "a message";
      return `${form} ${what}${r.itemClass ? ` of class ${r.itemClass}${r.includeSubClasses ? " (or a subclass)" : ""}` : ""}`;
    }
    case "ItemHasAttachment":
      return "the item has an attachment";
    case "ItemHasKnownEntity":
      return `the item mentions ${entityWords(r.entityType)}${r.regExFilter ? ` matching /${r.regExFilter}/` : ""}`;
    case "ItemHasRegularExpressionMatch":
      return `the ${propertyWords(r.propertyName)} matches /${r.regExValue}/${r.ignoreCase ? "i" : ""} ("${r.regExName}")`;
    case "RuleCollection":
      return r.rules.length === 1 ? describeRule(r.rules[0]) : `(${r.rules.map(describeRule).join(r.mode === "And" ? " and " : " or ")})`;
    case "Unknown":
      return `an unknown rule "${r.xsiType}"`;
  }
}

function entityWords(t: string): string {
  const words: Record<string, string> = {
    Address: "a postal address", Url: "a web address", PhoneNumber: "a phone number", EmailAddress: "an email address",
    Contact: "a contact", MeetingSuggestion: "a meeting suggestion", TaskSuggestion: "a task suggestion",
  };
  return words[t] ?? t;
}

function propertyWords(p: string): string {
  const words: Record<string, string> = { Subject: "subject", BodyAsPlaintext: "body text", BodyAsHTML: "HTML body", SenderSMTPAddress: "sender's address" };
  return words[p] ?? p;
}
