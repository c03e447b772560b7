/**
 * Known-entity extraction over the first part of the body, the way Exchange stamps entities on an
 * item (reference §3: English text, first 2,000 characters, none in compose or Sent Items).
 */
import type { ActivationItem } from "../item.ts";
import { findAddresses } from "./addresses.ts";
import { findContacts } from "./contacts.ts";
import { findLinks } from "./links.ts";
import { findMeetingSuggestions } from "./meetings.ts";
import { findPhoneNumbers } from "./phones.ts";
import { sentences } from "./segments.ts";
import { findTaskSuggestions } from "./tasks.ts";
import type { EmailUser, ExtractedEntities, Located } from "./types.ts";

export interface ExtractOptions {
  /** Characters of the body read (Exchange: 2,000). */
  maxChars?: number;
  /** Reference time for relative dates; defaults to the item's date, then now. */
  reference?: Date;
}

function unique<T>(items: Located<T>[], key: (v: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const i of items) {
    const k = key(i.value);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(i.value);
    }
  }
  return out;
}

function users(list: { name?: string; address: string }[] | undefined): EmailUser[] {
  return (list ?? []).map((r) => ({ displayName: r.name ?? r.address, emailAddress: r.address }));
}

/** Extracts entities from `text` alone (no item context). */
export function extractEntitiesFromText(text: string, context: { reference?: Date; attendees?: EmailUser[]; assignees?: EmailUser[] } = {}): ExtractedEntities {
  const phones = findPhoneNumbers(text);
  const { urls, emails } = findLinks(text);
  const addresses = findAddresses(text);
  const segs = sentences(text);
  const addressValues = addresses.map((a) => a.value);
  const meetings = findMeetingSuggestions(segs, context.reference ?? new Date(), context.attendees ?? [], addressValues);
  const tasks = findTaskSuggestions(segs, context.assignees ?? []);
  const contacts = findContacts(text, { phones, emails, urls, addresses });
  const taskDetails = unique(tasks, (t) => t.taskString);
  return {
    addresses: unique(addresses, (a) => a),
    contacts: unique(contacts, (c) => c.personName),
    emailAddresses: unique(emails, (e) => e.toLowerCase()),
    meetingSuggestions: unique(meetings, (m) => m.meetingString),
    phoneNumbers: unique(phones, (p) => p.phoneString),
    taskSuggestions: taskDetails.map((t) => t.taskString),
    urls: unique(urls, (u) => u),
    taskSuggestionDetails: taskDetails,
  };
}

export function extractEntities(item: ActivationItem, options: ExtractOptions = {}): ExtractedEntities {
  const maxChars = options.maxChars ?? 2_000;
  let text = item.bodyText;
  if (text.length > maxChars) {
    // An entity cut by the limit is ignored, as Exchange ignores entities beyond it: end at a word break.
    text = text.slice(0, maxChars);
    if (!/\s/.test(item.bodyText[maxChars])) text = text.replace(/\S+$/, "");
  }
  const sender = item.senderSmtp ? [{ displayName: item.senderName ?? item.senderSmtp, emailAddress: item.senderSmtp }] : [];
  const recipients = [...users(item.to), ...users(item.cc)];
  return extractEntitiesFromText(text, {
    reference: options.reference ?? item.date,
    attendees: [...sender, ...recipients.filter((r) => r.emailAddress !== item.senderSmtp)],
    assignees: users(item.to),
  });
}
