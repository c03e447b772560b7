import type { AttachmentInfo, EmailAddress, Folder, Item, ItemSummary } from "../../mailbox/index.ts";
import { NS, esc } from "./xml.ts";

const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : "");
export const changeKeyOf = (n: number) => Buffer.from(`CK${n}`).toString("base64");

export function responseXml(op: string, messages: string[]): string {
  return `<m:${op}Response xmlns:m="${NS.m}" xmlns:t="${NS.t}"><m:ResponseMessages>${messages.join("")}</m:ResponseMessages></m:${op}Response>`;
}

export function okMessage(op: string, inner = ""): string {
  return `<m:${op}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>${inner}</m:${op}ResponseMessage>`;
}

export function errorMessage(op: string, code: string, text: string): string {
  return `<m:${op}ResponseMessage ResponseClass="Error"><m:MessageText>${esc(text)}</m:MessageText><m:ResponseCode>${esc(code)}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:${op}ResponseMessage>`;
}

const mailbox = (a: EmailAddress) => `<t:Mailbox><t:Name>${esc(a.name)}</t:Name><t:EmailAddress>${esc(a.address)}</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType><t:MailboxType>OneOff</t:MailboxType></t:Mailbox>`;
const list = (tag: string, xs: EmailAddress[]) => (xs.length ? `<t:${tag}>${xs.map(mailbox).join("")}</t:${tag}>` : "");
const attendees = (tag: string, xs: EmailAddress[]) => (xs.length ? `<t:${tag}>${xs.map((a) => `<t:Attendee>${mailbox(a)}<t:ResponseType>Unknown</t:ResponseType></t:Attendee>`).join("")}</t:${tag}>` : "");

export const itemIdXml = (i: { id: string; changeKey: number }) => `<t:ItemId Id="${esc(i.id)}" ChangeKey="${changeKeyOf(i.changeKey)}"/>`;

export function attachmentInfoXml(a: AttachmentInfo): string {
  const tag = a.kind === "item" ? "ItemAttachment" : a.kind === "cloud" ? "ReferenceAttachment" : "FileAttachment";
  return (
    `<t:${tag}><t:AttachmentId Id="${esc(a.id)}"/><t:Name>${esc(a.name)}</t:Name><t:ContentType>${esc(a.contentType)}</t:ContentType>` +
    (a.contentId ? `<t:ContentId>${esc(a.contentId)}</t:ContentId>` : "") +
    `<t:Size>${a.size}</t:Size><t:LastModifiedTime>${iso(a.modifiedAt)}</t:LastModifiedTime><t:IsInline>${a.isInline}</t:IsInline></t:${tag}>`
  );
}

/** A full item (GetItem, Default/AllProperties shape). */
export function itemXml(i: Item, options: { mimeBase64?: string; headers?: Array<{ name: string; value: string }>; bodyType?: "Text" | "HTML" | "Best" } = {}): string {
  const tag = i.itemType === "appointment" ? "CalendarItem" : "Message";
  const wantText = options.bodyType === "Text" || (options.bodyType !== "HTML" && i.bodyHtml === null);
  const body = wantText ? `<t:Body BodyType="Text">${esc(i.bodyText ?? "")}</t:Body>` : `<t:Body BodyType="HTML">${esc(i.bodyHtml ?? esc(i.bodyText ?? ""))}</t:Body>`;
  let x = `<t:${tag}>`;
  if (options.mimeBase64 !== undefined) x += `<t:MimeContent CharacterSet="UTF-8">${options.mimeBase64}</t:MimeContent>`;
  x += itemIdXml(i) + `<t:ParentFolderId Id="${esc(i.folderId)}"/><t:ItemClass>${esc(i.itemClass)}</t:ItemClass><t:Subject>${esc(i.subject)}</t:Subject>`;
  x += `<t:Sensitivity>${esc(i.sensitivity)}</t:Sensitivity>${body}`;
  if (i.attachments.length) x += `<t:Attachments>${i.attachments.map(attachmentInfoXml).join("")}</t:Attachments>`;
  x += `<t:DateTimeReceived>${iso(i.receivedAt ?? i.createdAt)}</t:DateTimeReceived><t:Size>${i.rawSize ?? 0}</t:Size>`;
  if (i.categories.length) x += `<t:Categories>${i.categories.map((c) => `<t:String>${esc(c)}</t:String>`).join("")}</t:Categories>`;
  x += `<t:Importance>${esc(i.importance)}</t:Importance>`;
  if (i.inReplyTo) x += `<t:InReplyTo>${esc(i.inReplyTo)}</t:InReplyTo>`;
  if (i.sentAt) x += `<t:DateTimeSent>${iso(i.sentAt)}</t:DateTimeSent>`;
  x += `<t:DateTimeCreated>${iso(i.createdAt)}</t:DateTimeCreated><t:HasAttachments>${i.hasAttachments}</t:HasAttachments>`;
  if (options.headers) x += `<t:InternetMessageHeaders>${options.headers.map((h) => `<t:InternetMessageHeader HeaderName="${esc(h.name)}">${esc(h.value)}</t:InternetMessageHeader>`).join("")}</t:InternetMessageHeaders>`;
  x += `<t:LastModifiedTime>${iso(i.modifiedAt)}</t:LastModifiedTime>`;
  if (i.conversationId) x += `<t:ConversationId Id="${esc(i.conversationId)}"/>`;
  if (tag === "Message") {
    if (i.sender) x += `<t:Sender>${mailbox(i.sender)}</t:Sender>`;
    x += list("ToRecipients", i.recipients.to) + list("CcRecipients", i.recipients.cc) + list("BccRecipients", i.recipients.bcc);
    x += `<t:IsRead>${i.isRead}</t:IsRead><t:IsDraft>${i.isDraft}</t:IsDraft>`;
    if (i.from) x += `<t:From>${mailbox(i.from)}</t:From>`;
    if (i.internetMessageId) x += `<t:InternetMessageId>${esc(i.internetMessageId)}</t:InternetMessageId>`;
    if (i.recipients.reply_to.length) x += list("ReplyTo", i.recipients.reply_to);
  } else {
    x += `<t:Start>${iso(i.start)}</t:Start><t:End>${iso(i.end)}</t:End><t:IsAllDayEvent>${i.isAllDay}</t:IsAllDayEvent><t:Location>${esc(i.location ?? "")}</t:Location>`;
    if (i.from) x += `<t:Organizer>${mailbox(i.from)}</t:Organizer>`;
    x += attendees("RequiredAttendees", i.recipients.required) + attendees("OptionalAttendees", i.recipients.optional);
  }
  return x + `</t:${tag}>`;
}

/** A list entry (FindItem): no bodies, recipients or attachments. */
export function summaryXml(i: ItemSummary, idOnly = false): string {
  const tag = i.itemType === "appointment" ? "CalendarItem" : "Message";
  if (idOnly) return `<t:${tag}>${itemIdXml(i)}</t:${tag}>`;
  let x = `<t:${tag}>${itemIdXml(i)}<t:ParentFolderId Id="${esc(i.folderId)}"/><t:ItemClass>${esc(i.itemClass)}</t:ItemClass><t:Subject>${esc(i.subject)}</t:Subject>`;
  x += `<t:DateTimeReceived>${iso(i.receivedAt ?? i.createdAt)}</t:DateTimeReceived><t:Importance>${esc(i.importance)}</t:Importance><t:HasAttachments>${i.hasAttachments}</t:HasAttachments>`;
  if (i.conversationId) x += `<t:ConversationId Id="${esc(i.conversationId)}"/>`;
  if (tag === "Message") {
    x += `<t:IsRead>${i.isRead}</t:IsRead><t:IsDraft>${i.isDraft}</t:IsDraft>`;
    if (i.from) x += `<t:From>${mailbox(i.from)}</t:From>`;
    if (i.internetMessageId) x += `<t:InternetMessageId>${esc(i.internetMessageId)}</t:InternetMessageId>`;
  } else x += `<t:Start>${iso(i.start)}</t:Start><t:End>${iso(i.end)}</t:End>`;
  return x + `</t:${tag}>`;
}

export function folderXml(f: Folder): string {
  const tag = f.folderClass === "IPF.Appointment" ? "CalendarFolder" : "Folder";
  return (
    `<t:${tag}><t:FolderId Id="${esc(f.id)}" ChangeKey="${changeKeyOf(1)}"/>` +
    (f.parentId ? `<t:ParentFolderId Id="${esc(f.parentId)}"/>` : "") +
    `<t:FolderClass>${esc(f.folderClass)}</t:FolderClass><t:DisplayName>${esc(f.displayName)}</t:DisplayName><t:TotalCount>${f.totalCount}</t:TotalCount>` +
    `<t:ChildFolderCount>${f.childFolderCount}</t:ChildFolderCount>` +
    (tag === "Folder" ? `<t:UnreadCount>${f.unreadCount}</t:UnreadCount>` : "") +
    `</t:${tag}>`
  );
}
