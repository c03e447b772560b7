/** Microsoft Graph v1.0 shapes (camelCase, microsoft.graph types) for the mailbox store's objects. */
import type { AttachmentInfo, EmailAddress, Folder, Item, ItemSummary, Mailbox, User } from "../mailbox/index.ts";

const recipient = (a: EmailAddress) => ({ emailAddress: { name: a.name, address: a.address } });
const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : null);

/** Properties Mail.ReadBasic withholds (Graph: "except for body, bodyPreview, uniqueBody, attachments …"). */
export const BASIC_WITHHELD = ["body", "bodyPreview", "uniqueBody"] as const;

export function messageSummaryJson(i: ItemSummary): Record<string, unknown> {
  return {
    "@odata.etag": `W/"${i.changeKey}"`,
    id: i.id,
    createdDateTime: iso(i.createdAt),
    lastModifiedDateTime: iso(i.modifiedAt),
    changeKey: String(i.changeKey),
    receivedDateTime: iso(i.receivedAt),
    sentDateTime: iso(i.sentAt),
    hasAttachments: i.hasAttachments,
    internetMessageId: i.internetMessageId,
    subject: i.subject,
    bodyPreview: i.bodyPreview,
    importance: i.importance.toLowerCase(),
    parentFolderId: i.folderId,
    conversationId: i.conversationId,
    isRead: i.isRead,
    isDraft: i.isDraft,
    from: i.from ? recipient(i.from) : null,
  };
}

export function messageJson(i: Item): Record<string, unknown> {
  return {
    ...messageSummaryJson(i),
    categories: i.categories,
    body: i.bodyHtml !== null ? { contentType: "html", content: i.bodyHtml } : { contentType: "text", content: i.bodyText ?? "" },
    sender: i.sender ? recipient(i.sender) : null,
    toRecipients: i.recipients.to.map(recipient),
    ccRecipients: i.recipients.cc.map(recipient),
    bccRecipients: i.recipients.bcc.map(recipient),
    replyTo: i.recipients.reply_to.map(recipient),
    flag: { flagStatus: "notFlagged" },
  };
}

export function withoutBody(m: Record<string, unknown>): Record<string, unknown> {
  const out = { ...m };
  for (const k of BASIC_WITHHELD) delete out[k];
  return out;
}

export function attachmentJson(a: AttachmentInfo, contentBytes?: string): Record<string, unknown> {
  const type = a.kind === "item" ? "#microsoft.graph.itemAttachment" : a.kind === "cloud" ? "#microsoft.graph.referenceAttachment" : "#microsoft.graph.fileAttachment";
  return {
    "@odata.type": type,
    id: a.id,
    lastModifiedDateTime: iso(a.modifiedAt),
    name: a.name,
    contentType: a.contentType,
    size: a.size,
    isInline: a.isInline,
    ...(a.kind === "file" ? { contentId: a.contentId, contentLocation: null, ...(contentBytes !== undefined ? { contentBytes } : {}) } : {}),
  };
}

export function folderJson(f: Folder): Record<string, unknown> {
  return {
    id: f.id,
    displayName: f.displayName,
    parentFolderId: f.parentId,
    childFolderCount: f.childFolderCount,
    unreadItemCount: f.unreadCount,
    totalItemCount: f.totalCount,
    isHidden: false,
  };
}

export function userJson(u: User | Mailbox, basic: boolean): Record<string, unknown> {
  const [given, ...rest] = u.displayName.split(" ");
  const base = { id: u.id, displayName: u.displayName, mail: u.email, userPrincipalName: u.email };
  if (basic) return base;
  return { businessPhones: [], givenName: given ?? null, jobTitle: null, mobilePhone: null, officeLocation: null, preferredLanguage: "en-US", surname: rest.join(" ") || null, ...base };
}

/** Parses Graph recipients ([{emailAddress:{name,address}}]); undefined when absent, throws naming the field. */
export function parseRecipients(value: unknown, field: string): EmailAddress[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new Error(`${field} must be an array`);
  if (value.length > 500) throw new Error(`${field}: at most 500 recipients`);
  return value.map((r, i) => {
    const e = (r as { emailAddress?: { name?: unknown; address?: unknown } })?.emailAddress;
    if (typeof e?.address !== "string" || e.address.length > 571) throw new Error(`${field}[${i}].emailAddress.address must be a string`);
    return { name: typeof e.name === "string" ? e.name.slice(0, 255) : "", address: e.address };
  });
}
