/**
 * The JSON the web client's routes (routes/web-mail.ts, plus the /api routes of web-api.ts) answer with. The
 * front-end under src/web/client imports these types only (`import type`), so both ends agree at compile time.
 */
import type { AttachmentInfo, EmailAddress, Folder, Item, ItemSummary, MailboxGrant, User } from "../../mailbox/index.ts";
import type { Supplementary, Tier } from "../../permissions/tiers.ts";

/** Dates as they travel in JSON. */
export type Json<T> = T extends Date ? string : T extends Array<infer U> ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

export type FormKind = "read" | "compose";
export type SortKey = "receivedAt" | "subject" | "importance" | "sentAt";

export interface SessionInfo {
  user: Json<User>;
  mailboxes: Json<MailboxGrant>[];
}
export interface FolderList {
  value: Json<Folder>[];
}
export interface ItemPage {
  items: Json<ItemSummary>[];
  total: number;
  offset: number;
  limit: number;
}
export interface ItemView {
  item: Json<Item>;
  rights: string;
  canWrite: boolean;
  inSentItems: boolean;
  /** Body shown as sanitized HTML (false: plain text). */
  html: boolean;
  remoteImages: number;
  droppedImages: number;
}
export interface CalendarPage {
  items: Json<ItemSummary>[];
  calendarFolderId: string;
}
export type { AttachmentInfo, EmailAddress };

export type AddinAction =
  | { kind: "taskpane"; url: string; pinnable: boolean }
  | { kind: "function"; functionName: string; functionFile: string }
  | { kind: "menu" };

export interface AddinButton {
  addinId: string;
  controlId: string;
  label: string;
  tooltip?: string;
  icon?: string;
  action: AddinAction;
  items?: AddinButton[];
}

export interface Highlight {
  kind: "regex" | "entity";
  /** RegExName or FilterName / entity type. */
  name: string;
  text: string;
}

export interface LaunchEventEntry {
  type: string;
  functionName: string;
  sendMode?: string;
}

export interface AddinBarEntry {
  addinId: string;
  name: string;
  tier: Tier;
  supplementary: Supplementary[];
  buttons: AddinButton[];
  /** Legacy (no add-in commands) add-in that activated: its read or edit form page. */
  legacyUrl?: string;
  events: LaunchEventEntry[];
  /** The event-based runtime page (LaunchEvent handlers, function commands on the web). */
  runtimeUrl?: string;
  highlights: Highlight[];
  /** Page opened from a highlight. */
  detectedEntityUrl?: string;
}

export interface BusinessNotice {
  kind: "governance" | "irm" | "legacy-tokens";
  addinId?: string;
  text: string;
}

export interface AddinBar {
  itemId: string;
  form: FormKind;
  surface: string;
  entries: AddinBarEntry[];
  business: BusinessNotice[];
}

export interface ApiError {
  error: { code: string; message: string };
}
