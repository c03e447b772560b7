import PostalMime, { type Address, type Email } from "postal-mime";
import { sha256Hex } from "../ids.ts";
import type { EmailAddress } from "../store/types.ts";
import { classifyMessage } from "./classify.ts";

/** Headers larger than this are cut when stored for getAllInternetHeadersAsync (Exchange Online keeps 256 KB). */
const MAX_STORED_HEADER_BYTES = 256 * 1024;

export interface ParsedAttachment {
  kind: "file" | "item";
  name: string;
  contentType: string;
  contentId: string | null;
  isInline: boolean;
  data: Uint8Array;
  hash: string;
}

export interface ParsedMessage {
  rawHash: string;
  rawSize: number;
  /** 'mid:<Message-ID>' or 'sha256:<raw hash>' when the message has none. */
  dedupeKey: string;
  messageId: string | null;
  inReplyTo: string | null;
  threadIndex: string | null;
  subject: string;
  from: EmailAddress | null;
  sender: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  replyTo: EmailAddress[];
  date: Date | null;
  receivedAt: Date | null;
  text: string | null;
  html: string | null;
  headerBlock: string;
  importance: string;
  sensitivity: string;
  itemClass: string;
  isSigned: boolean;
  isIrmProtected: boolean;
  attachments: ParsedAttachment[];
}

/** Parses raw RFC 822 bytes with postal-mime into what the store indexes. The raw bytes are kept separately. */
export async function parseMessage(raw: Uint8Array): Promise<ParsedMessage> {
  const email: Email = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer", rfc822Attachments: true });
  const header = (name: string) => email.headers.find((h) => h.key === name)?.value ?? null;
  const rawHash = sha256Hex(raw);
  const messageId = cleanId(email.messageId);
  const attachments: ParsedAttachment[] = email.attachments.map((a, i) => {
    const data = toBytes(a.content);
    const isItem = a.mimeType.toLowerCase() === "message/rfc822";
    return {
      kind: isItem ? "item" : "file",
      name: (a.filename ?? "").trim() || defaultName(a.mimeType, i),
      contentType: a.mimeType || "application/octet-stream",
      contentId: a.contentId ? a.contentId.replace(/^<|>$/g, "") : null,
      isInline: a.disposition === "inline" || (a.disposition === null && Boolean(a.related)),
      data,
      hash: sha256Hex(data),
    };
  });
  const classification = classifyMessage(email, header);
  return {
    rawHash,
    rawSize: raw.byteLength,
    dedupeKey: messageId ? `mid:${messageId}` : `sha256:${rawHash}`,
    messageId,
    inReplyTo: cleanId(email.inReplyTo),
    threadIndex: header("thread-index"),
    subject: (email.subject ?? "").slice(0, 10_000),
    from: first(email.from),
    sender: first(email.sender) ?? first(email.from),
    to: flatten(email.to),
    cc: flatten(email.cc),
    bcc: flatten(email.bcc),
    replyTo: flatten(email.replyTo),
    date: parseDate(email.date),
    receivedAt: receivedDate(email) ?? parseDate(email.date),
    text: email.text ?? null,
    html: email.html ?? null,
    headerBlock: headerBlockOf(raw),
    importance: importanceOf(header("importance"), header("x-priority")),
    sensitivity: sensitivityOf(header("sensitivity")),
    ...classification,
    attachments,
  };
}

function toBytes(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === "string") return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

function defaultName(mimeType: string, i: number): string {
  const ext: Record<string, string> = { "message/rfc822": "eml", "text/calendar": "ics", "text/plain": "txt", "text/html": "html", "image/png": "png", "image/jpeg": "jpg", "application/pdf": "pdf" };
  return `attachment-${i + 1}.${ext[mimeType.toLowerCase()] ?? "bin"}`;
}

function cleanId(id: string | undefined): string | null {
  const v = (id ?? "").trim();
  return v.length > 0 && v.length <= 998 ? v : null;
}

function first(a: Address | undefined): EmailAddress | null {
  if (!a) return null;
  if (a.group) return a.group[0] ? { name: a.group[0].name, address: a.group[0].address } : null;
  return { name: a.name ?? "", address: a.address ?? "" };
}

function flatten(list: Address[] | undefined): EmailAddress[] {
  const out: EmailAddress[] = [];
  for (const a of list ?? []) {
    if (a.group) for (const m of a.group) out.push({ name: m.name ?? "", address: m.address ?? "" });
    else out.push({ name: a.name ?? "", address: a.address ?? "" });
  }
  return out;
}

function parseDate(s: string | undefined | null): Date | null {
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Delivery time: the date of the topmost Received header (added last, by the final hop). */
function receivedDate(email: Email): Date | null {
  const received = email.headers.find((h) => h.key === "received");
  if (!received) return null;
  const at = received.value.lastIndexOf(";");
  return at >= 0 ? parseDate(received.value.slice(at + 1).trim()) : null;
}

/** The raw header section, decoded as UTF-8 (RFC 6532 allows it; 8-bit legacy bytes show as U+FFFD). */
export function headerBlockOf(raw: Uint8Array): string {
  const limit = Math.min(raw.byteLength, MAX_STORED_HEADER_BYTES + 4);
  let end = limit;
  for (let i = 0; i < limit - 1; i++) {
    if (raw[i] === 10 && (raw[i + 1] === 10 || (raw[i + 1] === 13 && raw[i + 2] === 10))) {
      end = i;
      break;
    }
  }
  return new TextDecoder("utf-8").decode(raw.subarray(0, Math.min(end, MAX_STORED_HEADER_BYTES))).replace(/\r$/, "");
}

function importanceOf(importance: string | null, xPriority: string | null): string {
  const v = (importance ?? "").toLowerCase();
  if (v === "high" || v === "low") return v === "high" ? "High" : "Low";
  const p = Number.parseInt(xPriority ?? "", 10);
  if (p === 1 || p === 2) return "High";
  if (p === 4 || p === 5) return "Low";
  return "Normal";
}

function sensitivityOf(v: string | null): string {
  const s = (v ?? "").toLowerCase();
  if (s === "personal") return "Personal";
  if (s === "private") return "Private";
  if (s === "company-confidential") return "Confidential";
  return "Normal";
}
