/**
 * Parameters of displayNewMessageForm / displayNewAppointmentForm: Outlook throws when a parameter exceeds its
 * limit or has an unknown name (the shim checks the same rules on the page so the throw is synchronous; the server
 * re-checks). A valid form becomes a bounded record of what would have been shown: addresses, subject, body size.
 */
import { OfficeCallError } from "./context.ts";
import { tableLimit } from "./limits.ts";

const form = (what: string) => tableLimit("Office.context.mailbox.displayNewMessageForm", what).max;
export const FORM_SUBJECT_MAX = form("subject of the form");
export const FORM_BODY_MAX = form("body of the form");
export const FORM_LOCATION_MAX = form("location of the form");
export const FORM_RECIPIENTS_MAX = form("recipients per field of the form");
const ADDRESS_MAX = form("address of a form recipient");
const DISPLAY_NAME_MAX = form("display name of a form recipient");
const ATTACHMENT_NAME_MAX = form("name of a form attachment");
const ATTACHMENT_URL_MAX = form("URL of a form attachment");
const ATTACHMENTS_MAX = form("attachments of the form");

export const MESSAGE_FORM_KEYS = ["toRecipients", "ccRecipients", "bccRecipients", "subject", "htmlBody", "attachments"] as const;
export const APPOINTMENT_FORM_KEYS = ["requiredAttendees", "optionalAttendees", "resources", "start", "end", "location", "subject", "body"] as const;

export const unknownParameterMessage = (name: string) => `Unknown parameter '${name}'.`;
export const outOfRangeMessage = (name: string) => `The value of the parameter '${name}' is out of range.`;

const throwing = (message: string) => new OfficeCallError(9031, [], message);

type Raw = Record<string, unknown>;

function recipients(name: string, v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw throwing(outOfRangeMessage(name));
  if (v.length > FORM_RECIPIENTS_MAX) throw throwing(outOfRangeMessage(name));
  return v.map((r) => {
    const address = typeof r === "string" ? r : r && typeof r === "object" ? (r as Raw).emailAddress : undefined;
    const display = r && typeof r === "object" ? (r as Raw).displayName : undefined;
    if (typeof address !== "string" || address.length === 0 || address.length > ADDRESS_MAX) throw throwing(outOfRangeMessage(name));
    if (display !== undefined && (typeof display !== "string" || display.length > DISPLAY_NAME_MAX)) throw throwing(outOfRangeMessage(name));
    return address;
  });
}

function text(name: string, v: unknown, max: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || v.length > max) throw throwing(outOfRangeMessage(name));
  return v;
}

function time(name: string, v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const d = typeof v === "number" || typeof v === "string" ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw throwing(outOfRangeMessage(name));
  return d.toISOString();
}

function object(v: unknown, keys: readonly string[]): Raw {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw throwing(outOfRangeMessage("parameters"));
  for (const k of Object.keys(v)) if (!keys.includes(k)) throw throwing(unknownParameterMessage(k));
  return v as Raw;
}

export interface FormAttachment {
  type: "file" | "item";
  name: string;
  url?: string;
  itemId?: string;
  isInline?: boolean;
}

function attachments(v: unknown): FormAttachment[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > ATTACHMENTS_MAX) throw throwing(outOfRangeMessage("attachments"));
  return v.map((a) => {
    const r = object(a, ["type", "name", "url", "itemId", "isInline"]);
    const name = text("attachments.name", r.name, ATTACHMENT_NAME_MAX);
    if (!name) throw throwing(outOfRangeMessage("attachments.name"));
    if (r.type === "file") {
      const url = text("attachments.url", r.url, ATTACHMENT_URL_MAX);
      if (!url || !/^https?:\/\//i.test(url)) throw throwing(outOfRangeMessage("attachments.url"));
      return { type: "file", name, url, ...(r.isInline === true ? { isInline: true } : {}) };
    }
    if (r.type === "item") {
      const itemId = text("attachments.itemId", r.itemId, 200);
      if (!itemId) throw throwing(outOfRangeMessage("attachments.itemId"));
      return { type: "item", name, itemId };
    }
    // Base64 and cloud attachments are not supported by these forms.
    throw throwing(outOfRangeMessage("attachments.type"));
  });
}

export interface NewMessageFormRecord {
  form: "newMessage";
  toRecipients: string[];
  ccRecipients: string[];
  bccRecipients: string[];
  subject: string;
  bodyChars: number;
  attachments: FormAttachment[];
}

export function checkMessageForm(raw: unknown): NewMessageFormRecord {
  const p = object(raw, MESSAGE_FORM_KEYS);
  return {
    form: "newMessage",
    toRecipients: recipients("toRecipients", p.toRecipients),
    ccRecipients: recipients("ccRecipients", p.ccRecipients),
    bccRecipients: recipients("bccRecipients", p.bccRecipients),
    subject: text("subject", p.subject, FORM_SUBJECT_MAX) ?? "",
    bodyChars: (text("htmlBody", p.htmlBody, FORM_BODY_MAX) ?? "").length,
    attachments: attachments(p.attachments),
  };
}

export interface NewAppointmentFormRecord {
  form: "newAppointment";
  requiredAttendees: string[];
  optionalAttendees: string[];
  resources: string[];
  start?: string;
  end?: string;
  location: string;
  subject: string;
  bodyChars: number;
}

export function checkAppointmentForm(raw: unknown): NewAppointmentFormRecord {
  const p = object(raw, APPOINTMENT_FORM_KEYS);
  const start = time("start", p.start);
  const end = time("end", p.end);
  return {
    form: "newAppointment",
    requiredAttendees: recipients("requiredAttendees", p.requiredAttendees),
    optionalAttendees: recipients("optionalAttendees", p.optionalAttendees),
    resources: recipients("resources", p.resources),
    ...(start ? { start } : {}),
    ...(end ? { end } : {}),
    location: text("location", p.location, FORM_LOCATION_MAX) ?? "",
    subject: text("subject", p.subject, FORM_SUBJECT_MAX) ?? "",
    bodyChars: (text("body", p.body, FORM_BODY_MAX) ?? "").length,
  };
}
