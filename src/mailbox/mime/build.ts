import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { EmailAddress, Item } from "../store/types.ts";

/** Writes one MIME part's bytes; attachments arrive as streams so they are never held whole. */
export type MimeSink = (chunk: string | Uint8Array) => Promise<void>;

/**
 * Writes an RFC 822 message for an item that has no imported MIME (created here, or changed since import):
 * multipart/mixed → multipart/alternative (text, html) + attachments in base64, streamed from the blob store.
 */
export async function writeItemAsMime(item: Item, openAttachment: (id: string) => Promise<Readable>, sink: MimeSink): Promise<void> {
  const headers: string[] = [];
  const date = item.sentAt ?? item.receivedAt ?? item.createdAt;
  headers.push(`Date: ${date.toUTCString().replace("GMT", "+0000")}`);
  if (item.from) headers.push(`From: ${formatAddress(item.from)}`);
  for (const [kind, name] of [["to", "To"], ["cc", "Cc"], ["bcc", "Bcc"]] as const) {
    if (item.recipients[kind].length) headers.push(`${name}: ${item.recipients[kind].map(formatAddress).join(", ")}`);
  }
  headers.push(`Subject: ${encodeWord(item.subject)}`);
  if (item.internetMessageId) headers.push(`Message-ID: ${item.internetMessageId}`);
  if (item.importance !== "Normal") headers.push(`Importance: ${item.importance}`);
  if (item.categories.length) headers.push(`Keywords: ${item.categories.map(encodeWord).join(", ")}`);
  headers.push(`X-Outpost-Item-Class: ${item.itemClass}`);
  if (item.itemType === "appointment") {
    if (item.start) headers.push(`X-Outpost-Start: ${item.start.toISOString()}`);
    if (item.end) headers.push(`X-Outpost-End: ${item.end.toISOString()}`);
    if (item.location) headers.push(`X-Outpost-Location: ${encodeWord(item.location)}`);
  }
  headers.push("MIME-Version: 1.0");

  const mixed = boundary();
  const alt = boundary();
  const hasAttachments = item.attachments.length > 0;
  if (hasAttachments) headers.push(`Content-Type: multipart/mixed; boundary="${mixed}"`);
  await sink(headers.join("\r\n") + "\r\n");
  if (hasAttachments) await sink(`\r\n--${mixed}\r\n`);
  await writeBodies(item, alt, sink);
  for (const a of item.attachments) {
    await sink(`\r\n--${mixed}\r\n`);
    const disp = a.isInline ? "inline" : "attachment";
    await sink(
      `Content-Type: ${a.contentType}; name="${quoteParam(a.name)}"\r\nContent-Disposition: ${disp}; filename="${quoteParam(a.name)}"\r\nContent-Transfer-Encoding: base64\r\n` +
        (a.contentId ? `Content-ID: <${a.contentId}>\r\n` : "") +
        "\r\n",
    );
    await writeBase64Lines(await openAttachment(a.id), sink);
  }
  if (hasAttachments) await sink(`\r\n--${mixed}--\r\n`);
}

async function writeBodies(item: Item, alt: string, sink: MimeSink) {
  const text = item.bodyText;
  const html = item.bodyHtml;
  const part = (type: string, body: string) => `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${wrap(Buffer.from(body, "utf8").toString("base64"))}`;
  if (text !== null && html !== null) {
    await sink(`Content-Type: multipart/alternative; boundary="${alt}"\r\n\r\n--${alt}\r\n${part("text/plain", text)}\r\n--${alt}\r\n${part("text/html", html)}\r\n--${alt}--\r\n`);
  } else if (html !== null) await sink(part("text/html", html));
  else await sink(part("text/plain", text ?? ""));
}

async function writeBase64Lines(source: Readable, sink: MimeSink) {
  let rest = Buffer.alloc(0);
  for await (const chunk of source) {
    const buf = rest.byteLength ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    const usable = buf.byteLength - (buf.byteLength % 57);
    if (usable > 0) await sink(wrap(buf.subarray(0, usable).toString("base64")));
    rest = Buffer.from(buf.subarray(usable));
  }
  if (rest.byteLength) await sink(wrap(rest.toString("base64")));
}

function wrap(b64: string): string {
  let out = "";
  for (let i = 0; i < b64.length; i += 76) out += b64.slice(i, i + 76) + "\r\n";
  return out;
}

const boundary = () => `----=_Outpost_${randomBytes(12).toString("hex")}`;

function encodeWord(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, "utf8").toString("base64")}?=`;
}

function quoteParam(s: string): string {
  return encodeWord(s).replace(/["\\\r\n]/g, "_");
}

function formatAddress(a: EmailAddress): string {
  if (!a.name) return `<${a.address}>`;
  const name = /^[\w .'-]*$/.test(a.name) ? `"${a.name}"` : encodeWord(a.name);
  return `${name} <${a.address}>`;
}
