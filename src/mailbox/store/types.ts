export interface Tenant {
  id: string;
  name: string;
  legacyTokensEnabled: boolean;
}

export interface User {
  id: string;
  tenantId: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  timeZone: string;
}

export type MailboxKind = "user" | "shared";
/** Exchange-style rights on a mailbox: owner; full access (shared mailboxes); delegate permission levels. */
export type MailboxRights = "owner" | "full_access" | "editor" | "author" | "reviewer";

export interface Mailbox {
  id: string;
  tenantId: string;
  ownerUserId: string | null;
  kind: MailboxKind;
  email: string;
  displayName: string;
}

export interface MailboxGrant {
  mailbox: Mailbox;
  rights: MailboxRights;
}

export function rightsCanRead(r: MailboxRights | undefined): boolean {
  return r !== undefined;
}
/** May change or delete existing items. */
export function rightsCanWrite(r: MailboxRights | undefined): boolean {
  return r === "owner" || r === "full_access" || r === "editor";
}
/** May create new items (Author creates, but may not change others' items). */
export function rightsCanCreate(r: MailboxRights | undefined): boolean {
  return rightsCanWrite(r) || r === "author";
}

export const WELL_KNOWN_FOLDERS = [
  "msgfolderroot",
  "inbox",
  "drafts",
  "sentitems",
  "deleteditems",
  "junkemail",
  "outbox",
  "archive",
  "calendar",
] as const;
export type WellKnownFolder = (typeof WELL_KNOWN_FOLDERS)[number];

export interface Folder {
  id: string;
  mailboxId: string;
  parentId: string | null;
  wellKnown: WellKnownFolder | null;
  displayName: string;
  folderClass: string;
  totalCount: number;
  unreadCount: number;
  childFolderCount: number;
}

export interface EmailAddress {
  name: string;
  address: string;
}

export type ItemType = "message" | "appointment";
export type RecipientKind = "to" | "cc" | "bcc" | "reply_to" | "required" | "optional" | "resource";

export interface AttachmentInfo {
  id: string;
  itemId: string;
  kind: "file" | "item" | "cloud";
  name: string;
  contentType: string;
  size: number;
  contentId: string | null;
  isInline: boolean;
  url: string | null;
  modifiedAt: Date;
}

export interface ItemSummary {
  id: string;
  mailboxId: string;
  folderId: string;
  itemType: ItemType;
  itemClass: string;
  changeKey: number;
  subject: string;
  internetMessageId: string | null;
  conversationId: string | null;
  from: EmailAddress | null;
  hasAttachments: boolean;
  isRead: boolean;
  isDraft: boolean;
  importance: string;
  sentAt: Date | null;
  receivedAt: Date | null;
  createdAt: Date;
  modifiedAt: Date;
  start: Date | null;
  end: Date | null;
  bodyPreview: string;
}

export interface Item extends ItemSummary {
  conversationTopic: string | null;
  inReplyTo: string | null;
  sender: EmailAddress | null;
  recipients: Record<RecipientKind, EmailAddress[]>;
  bodyText: string | null;
  bodyHtml: string | null;
  isIrmProtected: boolean;
  isSigned: boolean;
  sensitivity: string;
  location: string | null;
  isAllDay: boolean;
  categories: string[];
  attachments: AttachmentInfo[];
  rawSize: number | null;
  hasRawMime: boolean;
}

export interface SecurityEvent {
  surface: string;
  reason: string;
  tenantId?: string | null;
  userId?: string | null;
  mailboxId?: string | null;
  addinId?: string | null;
  detail?: Record<string, unknown>;
}
