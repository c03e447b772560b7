import type { AttachmentInfo, EmailAddress, Folder, Item, ItemSummary } from "../../mailbox/index.ts";

/** Outlook REST v2.0 shapes (PascalCase, Microsoft.OutlookServices types). */
const recipient = (a: EmailAddress) => ({ EmailAddress: { Name: a.name, Address: a.address } });
const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : null);

export function messageSummaryJson(i: ItemSummary) {
  return {
    "@odata.id": `messages('${i.id}')`,
    Id: i.id,
    CreatedDateTime: iso(i.createdAt),
    LastModifiedDateTime: iso(i.modifiedAt),
    ChangeKey: String(i.changeKey),
    ReceivedDateTime: iso(i.receivedAt),
    SentDateTime: iso(i.sentAt),
    HasAttachments: i.hasAttachments,
    InternetMessageId: i.internetMessageId,
    Subject: i.subject,
    BodyPreview: i.bodyPreview,
    Importance: i.importance,
    ParentFolderId: i.folderId,
    ConversationId: i.conversationId,
    IsRead: i.isRead,
    IsDraft: i.isDraft,
    From: i.from ? recipient(i.from) : null,
  };
}

export function messageJson(i: Item) {
  return {
    ...messageSummaryJson(i),
    "@odata.type": i.itemType === "appointment" ? "#Microsoft.OutlookServices.Event" : "#Microsoft.OutlookServices.Message",
    Categories: i.categories,
    Body: i.bodyHtml !== null ? { ContentType: "HTML", Content: i.bodyHtml } : { ContentType: "Text", Content: i.bodyText ?? "" },
    Sender: i.sender ? recipient(i.sender) : null,
    ToRecipients: i.recipients.to.map(recipient),
    CcRecipients: i.recipients.cc.map(recipient),
    BccRecipients: i.recipients.bcc.map(recipient),
    ReplyTo: i.recipients.reply_to.map(recipient),
    ItemClass: i.itemClass,
    ...(i.itemType === "appointment"
      ? { Start: { DateTime: iso(i.start), TimeZone: "UTC" }, End: { DateTime: iso(i.end), TimeZone: "UTC" }, Location: { DisplayName: i.location ?? "" }, IsAllDay: i.isAllDay }
      : {}),
  };
}

export function attachmentJson(a: AttachmentInfo, contentBytes?: string) {
  const type = a.kind === "item" ? "#Microsoft.OutlookServices.ItemAttachment" : a.kind === "cloud" ? "#Microsoft.OutlookServices.ReferenceAttachment" : "#Microsoft.OutlookServices.FileAttachment";
  return {
    "@odata.type": type,
    Id: a.id,
    LastModifiedDateTime: iso(a.modifiedAt),
    Name: a.name,
    ContentType: a.contentType,
    Size: a.size,
    IsInline: a.isInline,
    ...(a.kind === "file" ? { ContentId: a.contentId, ContentLocation: null, ...(contentBytes !== undefined ? { ContentBytes: contentBytes } : {}) } : {}),
  };
}

export function folderJson(f: Folder) {
  return {
    Id: f.id,
    DisplayName: f.displayName,
    ParentFolderId: f.parentId,
    ChildFolderCount: f.childFolderCount,
    UnreadItemCount: f.unreadCount,
    TotalItemCount: f.totalCount,
    WellKnownName: f.wellKnown,
  };
}

/** Parses REST recipients ([{EmailAddress:{Name,Address}}]); undefined when absent, throws on a bad shape. */
export function parseRecipients(value: unknown, field: string): EmailAddress[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new Error(`${field} must be an array`);
  return value.map((r, i) => {
    const e = (r as { EmailAddress?: { Name?: unknown; Address?: unknown } })?.EmailAddress;
    if (typeof e?.Address !== "string") throw new Error(`${field}[${i}].EmailAddress.Address must be a string`);
    return { name: typeof e.Name === "string" ? e.Name : "", address: e.Address };
  });
}
