/**
 * Builds an ActivationItem from RFC 5322 bytes with postal-mime. The message class is derived the
 * way Exchange would store the item: reports, meeting requests/responses, S/MIME and IRM.
 */
import PostalMime, { type Address, type Email, type Header } from "postal-mime";
import { htmlToText } from "./html-text.ts";
import { itemTypeForClass, type ActivationItem } from "./item.ts";

function header(headers: Header[], key: string): string | undefined {
  return headers.find((h) => h.key === key)?.value;
}

function firstMailbox(addr: Address | undefined): { name?: string; address: string } | undefined {
  if (!addr) return undefined;
  if (addr.address) return { name: addr.name || undefined, address: addr.address };
  const m = addr.group?.[0];
  return m ? { name: m.name || undefined, address: m.address } : undefined;
}

function mailboxes(list: Address[] | undefined): { name?: string; address: string }[] {
  const out: { name?: string; address: string }[] = [];
  for (const a of list ?? []) {
    if (a.address) out.push({ name: a.name || undefined, address: a.address });
    else for (const m of a.group ?? []) out.push({ name: m.name || undefined, address: m.address });
  }
  return out;
}

function param(contentType: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*"?([^";]+)"?`, "i").exec(contentType);
  return m?.[1]?.trim().toLowerCase();
}

function calendarClass(email: Email): string | undefined {
  const cal = email.attachments.find((a) => a.mimeType === "text/calendar");
  if (!cal) return undefined;
  const method = (cal.method ?? "").toUpperCase();
  const text = typeof cal.content === "string" ? cal.content : new TextDecoder().decode(cal.content as ArrayBuffer);
  if (method === "REQUEST" || /^METHOD:REQUEST/im.test(text)) return "IPM.Schedule.Meeting.Request";
  if (method === "CANCEL" || /^METHOD:CANCEL/im.test(text)) return "IPM.Schedule.Meeting.Canceled";
  if (method === "REPLY" || /^METHOD:REPLY/im.test(text)) {
    if (/PARTSTAT=DECLINED/i.test(text)) return "IPM.Schedule.Meeting.Resp.Neg";
    if (/PARTSTAT=TENTATIVE/i.test(text)) return "IPM.Schedule.Meeting.Resp.Tent";
    return "IPM.Schedule.Meeting.Resp.Pos";
  }
  return undefined;
}

interface Protection {
  itemClass?: string;
  signed: boolean;
  encrypted: boolean;
  irm: boolean;
}

function protection(email: Email): Protection {
  const ct = (header(email.headers, "content-type") ?? "").toLowerCase();
  const contentClass = (header(email.headers, "content-class") ?? "").toLowerCase();
  const irm =
    contentClass.includes("rpmsg.message") ||
    email.attachments.some((a) => a.mimeType === "application/x-microsoft-rpmsg-message" || /\.rpmsg$/i.test(a.filename ?? ""));
  if (ct.startsWith("multipart/signed")) return { itemClass: "IPM.Note.SMIME.MultipartSigned", signed: true, encrypted: false, irm };
  if (ct.startsWith("application/pkcs7-mime") || ct.startsWith("application/x-pkcs7-mime")) {
    const smime = param(ct, "smime-type");
    if (smime === "signed-data") return { itemClass: "IPM.Note.SMIME", signed: true, encrypted: false, irm };
    return { itemClass: "IPM.Note.SMIME", signed: false, encrypted: true, irm };
  }
  return { signed: false, encrypted: false, irm };
}

function reportClass(email: Email): string | undefined {
  const ct = (header(email.headers, "content-type") ?? "").toLowerCase();
  if (!ct.startsWith("multipart/report")) return undefined;
  const type = param(ct, "report-type");
  if (type === "delivery-status") return "REPORT.IPM.Note.NDR";
  if (type === "disposition-notification") return "REPORT.IPM.Note.IPNRN";
  return undefined;
}

const HIDDEN_PARTS = new Set([
  "text/calendar",
  "application/pkcs7-signature",
  "application/x-pkcs7-signature",
  "application/x-microsoft-rpmsg-message",
]);

export async function activationItemFromEml(bytes: Uint8Array | ArrayBuffer | string): Promise<ActivationItem> {
  const email = await PostalMime.parse(bytes);
  const prot = protection(email);
  const itemClass = reportClass(email) ?? calendarClass(email) ?? prot.itemClass ?? "IPM.Note";
  const sender = firstMailbox(email.sender) ?? firstMailbox(email.from);
  const html = email.html && email.html.trim() ? email.html : undefined;
  const bodyText = email.text ?? (html ? htmlToText(html) : "");
  const date = email.date ? new Date(email.date) : undefined;
  const hasAttachment = email.attachments.some(
    (a) => !HIDDEN_PARTS.has(a.mimeType) && !(a.disposition === "inline" && a.contentId) && !a.related,
  );
  return {
    itemType: itemTypeForClass(itemClass),
    itemClass,
    subject: email.subject ?? "",
    bodyText,
    bodyHtml: html,
    senderSmtp: sender?.address,
    senderName: sender?.name,
    to: mailboxes(email.to),
    cc: mailboxes(email.cc),
    hasAttachment,
    irmProtected: prot.irm || undefined,
    signed: prot.signed || undefined,
    encrypted: prot.encrypted || undefined,
    date: date && !Number.isNaN(date.getTime()) ? date : undefined,
  };
}

/** A body-only text file (no headers), as some corpus samples are. */
export function activationItemFromText(text: string, fields: Partial<ActivationItem> = {}): ActivationItem {
  return { itemType: "Message", itemClass: "IPM.Note", subject: "", bodyText: text, hasAttachment: false, ...fields };
}
