/**
 * The item activation looks at. It is deliberately smaller than a stored mailbox item: only what
 * Outlook's rules, limits and entity extraction read. The runtime maps stored items onto it.
 */
import type { ItemType } from "../manifest/model.ts";

export type FormKind = "read" | "compose";

export interface ActivationItem {
  itemType: ItemType;
  /** PidTagMessageClass, e.g. `IPM.Note`, `IPM.Schedule.Meeting.Request`, `IPM.Appointment`. */
  itemClass: string;
  subject: string;
  /** Body as plain text (for an HTML-only message: the HTML rendered as text, as Outlook does). */
  bodyText: string;
  /** Body as HTML; absent when the body is not HTML (plain text, or an appointment's RTF body). */
  bodyHtml?: string;
  /** PidTagSenderSmtpAddress, falling back to PidTagSentRepresentingSmtpAddress. */
  senderSmtp?: string;
  senderName?: string;
  /** Recipients, used for meeting attendees and task assignees. */
  to?: { name?: string; address: string }[];
  cc?: { name?: string; address: string }[];
  hasAttachment: boolean;
  /** The item lives in Sent Items: Exchange stamps no known entities there. */
  inSentItems?: boolean;
  /** Rights-managed (IRM) protected. */
  irmProtected?: boolean;
  /** S/MIME or other encryption (not IRM): mobile clients never activate on it. */
  encrypted?: boolean;
  /** Digitally signed (S/MIME). */
  signed?: boolean;
  /**
   * Whether the item's sensitivity label / RMS template grants the OBJMODEL usage right
   * ("Allow programmatic access"). Only meaningful for protected items; absent means granted.
   */
  objectModelAllowed?: boolean;
  /** Date the item was sent, as the reference for relative dates in meeting suggestions. */
  date?: Date;
}

const APPOINTMENT_CLASS = /^IPM\.Appointment(\.|$)/i;

/** Outlook's item type for a message class: appointments are `IPM.Appointment*`, everything else a message. */
export function itemTypeForClass(itemClass: string): ItemType {
  return APPOINTMENT_CLASS.test(itemClass) ? "Appointment" : "Message";
}

/** Message classes Outlook's `ItemType="Message"` covers (the reference, §3). */
export const MESSAGE_CLASSES = [
  "IPM.Note",
  "IPM.Schedule.Meeting.Request",
  "IPM.Schedule.Meeting.Resp.Neg",
  "IPM.Schedule.Meeting.Resp.Pos",
  "IPM.Schedule.Meeting.Resp.Tent",
  "IPM.Schedule.Meeting.Canceled",
] as const;

export const APPOINTMENT_CLASSES = ["IPM.Appointment"] as const;

/** Report items (NDR, DSN, read receipts): no add-in activates on them. */
export function isReportClass(itemClass: string): boolean {
  return /^REPORT\.|^IPM\.Report(\.|$)/i.test(itemClass);
}

/** A minimal item with defaults, for callers that only care about a few fields. */
export function makeActivationItem(fields: Partial<ActivationItem> = {}): ActivationItem {
  const itemClass = fields.itemClass ?? (fields.itemType === "Appointment" ? "IPM.Appointment" : "IPM.Note");
  return {
    itemType: fields.itemType ?? itemTypeForClass(itemClass),
    itemClass,
    subject: "",
    bodyText: "",
    hasAttachment: false,
    ...fields,
  };
}
