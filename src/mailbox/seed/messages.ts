import { int, pick, prng } from "./prng.ts";

/** People who write to the demo mailbox. */
const SENDERS = [
  { name: "Adele Vance", address: "adele.vance@northwind.example" },
  { name: "Megan Bowen", address: "megan.bowen@northwind.example" },
  { name: "Lee Gu", address: "lee.gu@tailspin.example" },
  { name: "Nestor Wilke", address: "nestor.wilke@tailspin.example" },
  { name: "Isaiah Langer", address: "isaiah@woodgrove.example" },
  { name: "Éloïse Durand", address: "eloise.durand@fourthcoffee.example" },
  { name: "Johanna Lorenz", address: "johanna.lorenz@litware.example" },
  { name: "Diego Siciliani", address: "diego@adatum.example" },
] as const;

const TOPICS = ["Quarterly report", "Order 4471 shipped", "Contract renewal", "Site visit", "Invoice INV-2291", "Team offsite", "Customer escalation", "Budget review", "Design review", "Travel plans", "Support ticket 88123", "Product launch"];
const PHONES = ["(425) 555-0100", "425-555-0199", "+1 206 555 0142", "(312) 555-0173", "+44 20 7946 0958"];
const URLS = ["https://www.contoso.com/orders/4471", "http://intranet.contoso.com/wiki/Runbook", "https://northwind.example/track?id=1Z999AA10123456784", "www.fabrikam.com/support", "https://learn.microsoft.com/office/dev/add-ins/"];
const ADDRESSES = ["One Microsoft Way, Redmond, WA 98052", "1600 Pennsylvania Ave NW, Washington, DC 20500", "350 Fifth Avenue, New York, NY 10118", "400 Broad St, Seattle, WA 98109"];
const MEETINGS = ["Can we meet next Tuesday at 3pm to go over this?", "Let's meet tomorrow at 10:30am in the lobby.", "Are you free Friday afternoon for a quick call?", "How about lunch on Monday at noon?"];
const TASKS = ["Please send me the signed copy by Friday.", "Could you review the attached draft before the meeting?", "Remember to update the forecast sheet."];

export interface SeedUsers {
  to: { name: string; address: string };
  cc?: { name: string; address: string };
}

/** A tiny valid PNG (1×1). */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAFgwJ/lqG6mQAAAABJRU5ErkJggg==", "base64");

/**
 * Deterministic raw RFC 822 messages for the demo mailbox: entities in the bodies (phones, URLs, postal
 * addresses, meeting phrases, e-mail addresses), attachments, meeting requests and reply threads.
 */
export function* generateSeedMessages(count: number, recipients: SeedUsers, options: { seed?: number; idPrefix?: string } = {}): Generator<{ raw: Uint8Array; origin: string }> {
  const rand = prng(options.seed ?? 4242);
  const base = Date.UTC(2026, 0, 5, 9, 0, 0);
  const prefix = options.idPrefix ?? "seed";
  const subjects: string[] = [];
  for (let i = 0; i < count; i++) {
    const from = pick(rand, SENDERS);
    const date = new Date(base + i * 37 * 60_000 + int(rand, 0, 59) * 1000);
    const isReply = i > 0 && i % 7 === 0;
    const replyTo = isReply ? int(rand, Math.max(0, i - 20), i - 1) : -1;
    const subject = isReply ? `RE: ${subjects[replyTo]}` : `${pick(rand, TOPICS)} #${i + 1}`;
    subjects.push(isReply ? subjects[replyTo]! : subject);
    const phone = pick(rand, PHONES);
    const url = pick(rand, URLS);
    const address = pick(rand, ADDRESSES);
    const meeting = pick(rand, MEETINGS);
    const task = pick(rand, TASKS);
    const text = [
      `Hi ${recipients.to.name.split(" ")[0]},`,
      "",
      `${meeting} ${task}`,
      `Details are at ${url} and you can reach me on ${phone}.`,
      `The venue is ${address}.`,
      `Copy ${from.address} on any reply.`,
      "",
      `Thanks,`,
      from.name,
    ].join("\r\n");
    const html = `<html><body><p>Hi ${esc(recipients.to.name.split(" ")[0]!)},</p><p>${esc(meeting)} ${esc(task)}</p><p>Details are at <a href="${esc(url.startsWith("http") ? url : "https://" + url)}">${esc(url)}</a> and you can reach me on ${esc(phone)}.</p><p>The venue is ${esc(address)}.</p><p>Thanks,<br>${esc(from.name)}</p></body></html>`;
    const messageId = `<${prefix}-${i + 1}@outpost.demo>`;
    const headers = [
      `Received: from mx.outpost.demo by outpost.demo; ${date.toUTCString().replace("GMT", "+0000")}`,
      `From: ${encodeName(from.name)} <${from.address}>`,
      `To: ${encodeName(recipients.to.name)} <${recipients.to.address}>`,
      ...(recipients.cc && i % 3 === 0 ? [`Cc: ${encodeName(recipients.cc.name)} <${recipients.cc.address}>`] : []),
      `Subject: ${encodeName(subject)}`,
      `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
      `Message-ID: ${messageId}`,
      ...(isReply ? [`In-Reply-To: <${prefix}-${replyTo + 1}@outpost.demo>`, `References: <${prefix}-${replyTo + 1}@outpost.demo>`] : []),
      ...(i % 11 === 0 ? ["Importance: high"] : []),
      "MIME-Version: 1.0",
    ];
    const parts: string[] = [];
    const alt = `alt-${prefix}-${i}`;
    const alternative = `Content-Type: multipart/alternative; boundary="${alt}"\r\n\r\n--${alt}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${text}\r\n--${alt}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${html}\r\n--${alt}--\r\n`;
    if (i % 12 === 5) parts.push(calendarPart(date, subject, from, recipients.to, address, i));
    if (i % 5 === 0) parts.push(attachmentPart(rand, i));
    if (i % 17 === 0) parts.push(`Content-Type: image/png; name="logo.png"\r\nContent-Disposition: attachment; filename="logo.png"\r\nContent-Transfer-Encoding: base64\r\n\r\n${PNG.toString("base64")}\r\n`);
    let raw: string;
    if (parts.length === 0) raw = `${headers.join("\r\n")}\r\n${alternative}`;
    else {
      const mixed = `mixed-${prefix}-${i}`;
      raw = `${headers.join("\r\n")}\r\nContent-Type: multipart/mixed; boundary="${mixed}"\r\n\r\n--${mixed}\r\n${alternative}` + parts.map((p) => `\r\n--${mixed}\r\n${p}`).join("") + `\r\n--${mixed}--\r\n`;
    }
    yield { raw: new Uint8Array(Buffer.from(raw, "utf8")), origin: `seed#${i + 1}` };
  }
}

function attachmentPart(rand: () => number, i: number): string {
  const kind = i % 3;
  if (kind === 0) {
    const size = int(rand, 2_000, 40_000);
    const body = Buffer.alloc(size);
    for (let k = 0; k < size; k++) body[k] = Math.floor(rand() * 256);
    const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n% demo\n"), body, Buffer.from("\n%%EOF\n")]);
    return `Content-Type: application/pdf; name="report-${i + 1}.pdf"\r\nContent-Disposition: attachment; filename="report-${i + 1}.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${wrap(pdf.toString("base64"))}`;
  }
  if (kind === 1) {
    return `Content-Type: text/plain; charset=utf-8; name="notes.txt"\r\nContent-Disposition: attachment; filename="notes.txt"\r\n\r\nAgenda:\r\n1. Review numbers\r\n2. Call (425) 555-0100\r\n`;
  }
  return `Content-Type: text/csv; name="figures-${i % 10}.csv"\r\nContent-Disposition: attachment; filename="figures-${i % 10}.csv"\r\n\r\nmonth,amount\r\njan,${(i * 7) % 1000}\r\nfeb,${(i * 13) % 1000}\r\n`;
}

function calendarPart(date: Date, subject: string, from: { name: string; address: string }, to: { name: string; address: string }, location: string, i: number): string {
  const start = new Date(date.getTime() + 3 * 86_400_000);
  const end = new Date(start.getTime() + 3_600_000);
  const fmt = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const ics = [
    "BEGIN:VCALENDAR",
    "PRODID:-//Outpost//Seed//EN",
    "VERSION:2.0",
    "METHOD:REQUEST",
    "BEGIN:VEVENT",
    `UID:seed-meeting-${i}@outpost.demo`,
    `DTSTAMP:${fmt(date)}`,
    `DTSTART:${fmt(start)}`,
    `DTEND:${fmt(end)}`,
    `SUMMARY:${subject}`,
    `LOCATION:${location.replace(/,/g, "\\,")}`,
    `ORGANIZER;CN=${from.name}:mailto:${from.address}`,
    `ATTENDEE;CN=${to.name};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:${to.address}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ].join("\r\n");
  return `Content-Type: text/calendar; charset=utf-8; method=REQUEST; name="invite.ics"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${ics}\r\n`;
}

function wrap(b64: string): string {
  let out = "";
  for (let i = 0; i < b64.length; i += 76) out += b64.slice(i, i + 76) + "\r\n";
  return out;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function encodeName(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, "utf8").toString("base64")}?=`;
}
