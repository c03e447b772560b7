import { newId } from "../ids.ts";
import { tableLimitOf } from "../../permissions/table-limits.ts";
import { AttachmentTooLargeError, MailboxError, invalid, notFound } from "../errors.ts";
import type { Queryable } from "../db/db.ts";
import type { StoreContext } from "./context.ts";
import { conversationIdFor, normalizeSubject } from "./conversation.ts";
import {
  type AttachmentRow,
  type ItemRow,
  type RecipientRow,
  emptyItemRow,
  insertAttachmentRows,
  insertCategoryRows,
  insertItemRows,
  insertRecipientRows,
} from "./item-rows.ts";
import type { Mailboxes } from "./mailboxes.ts";
import { type AttachmentInfo, type EmailAddress, type Item, type ItemSummary, type ItemType, type MailboxRights, type RecipientKind } from "./types.ts";
import { sha256Hex } from "../ids.ts";
import { BlobTooLarge, blobBody, type StagedBlob } from "../blobs/blob-store.ts";

const I = "Office.context.mailbox.item";
/** Outlook's item limits, read from the permission table (the one place they are written). */
export const LIMITS = {
  subject: tableLimitOf(`${I}.subject.setAsync`, "subject length").max,
  location: tableLimitOf(`${I}.location.setAsync`, "location length").max,
  body: tableLimitOf(`${I}.body.setAsync`, "data").max,
  recipientsPerField: tableLimitOf(`${I}.to.addAsync`, "recipients per field").max,
  address: tableLimitOf(`${I}.to.addAsync`, "SMTP address length").max,
  attachmentBytes: tableLimitOf(`${I}.addFileAttachmentAsync`, "attachment size").max,
  attachmentsPerItem: tableLimitOf(`${I}.addFileAttachmentAsync`, "attachments per item").max,
  attachmentName: tableLimitOf(`${I}.addFileAttachmentAsync`, "attachment name").max,
  internetHeadersBytes: tableLimitOf(`${I}.internetHeaders.setAsync`, "headers per message (Exchange Online)").max,
} as const;

export interface NewAttachment {
  name: string;
  contentType?: string;
  data: Uint8Array;
  isInline?: boolean;
  contentId?: string | null;
  kind?: "file" | "item";
}

export interface NewItem {
  itemType?: ItemType;
  itemClass?: string;
  subject?: string;
  bodyText?: string | null;
  bodyHtml?: string | null;
  from?: EmailAddress | null;
  to?: EmailAddress[];
  cc?: EmailAddress[];
  bcc?: EmailAddress[];
  requiredAttendees?: EmailAddress[];
  optionalAttendees?: EmailAddress[];
  isDraft?: boolean;
  isRead?: boolean;
  importance?: string;
  categories?: string[];
  start?: Date | null;
  end?: Date | null;
  location?: string | null;
  isAllDay?: boolean;
  attachments?: NewAttachment[];
  internetMessageId?: string | null;
  receivedAt?: Date | null;
  sentAt?: Date | null;
}

export interface ItemPatch {
  subject?: string;
  bodyText?: string | null;
  bodyHtml?: string | null;
  to?: EmailAddress[];
  cc?: EmailAddress[];
  bcc?: EmailAddress[];
  requiredAttendees?: EmailAddress[];
  optionalAttendees?: EmailAddress[];
  isRead?: boolean;
  importance?: string;
  categories?: string[];
  location?: string | null;
  start?: Date | null;
  end?: Date | null;
  isAllDay?: boolean;
}

const RECIPIENT_FIELDS: Array<[keyof NewItem & keyof ItemPatch, RecipientKind]> = [
  ["to", "to"],
  ["cc", "cc"],
  ["bcc", "bcc"],
  ["requiredAttendees", "required"],
  ["optionalAttendees", "optional"],
];

/** Messages and appointments: read, list, create, update, move, copy, delete, send. */
export class Items {
  constructor(
    private readonly ctx: StoreContext,
    private readonly mailboxes: Mailboxes,
  ) {}

  async get(id: string): Promise<Item | undefined> {
    return (await this.getForUser(id, null))?.item;
  }

  /**
   * An item, plus its mailbox's tenant and `userId`'s rights on that mailbox, in one round trip (the REST GET
   * message path: PGlite runs queries one at a time, so fewer statements is most of the latency). The caller
   * authorizes before using the item.
   */
  async getForUser(id: string, userId: string | null): Promise<{ item: Item; tenantId: string; rights: MailboxRights | undefined } | undefined> {
    const { rows } = await this.ctx.db.query<ItemDbRow & { recips: unknown; atts: unknown; cats: unknown; owner_tenant_id: string; user_rights: MailboxRights | null }>(
      `SELECT ${SUMMARY_COLUMNS}, ${DETAIL_COLUMNS}, m.tenant_id AS owner_tenant_id, acc.rights AS user_rights,
         coalesce((SELECT json_agg(json_build_object('kind', r.kind, 'name', r.name, 'address', r.address) ORDER BY r.kind, r.position) FROM recipients r WHERE r.item_id = i.id), '[]') AS recips,
         coalesce((SELECT json_agg(a.* ORDER BY a.position) FROM attachments a WHERE a.item_id = i.id), '[]') AS atts,
         coalesce((SELECT json_agg(c.name ORDER BY c.name) FROM item_categories c WHERE c.item_id = i.id), '[]') AS cats
       FROM items i JOIN mailboxes m ON m.id = i.mailbox_id
       LEFT JOIN mailbox_access acc ON acc.mailbox_id = i.mailbox_id AND acc.user_id = $2
       WHERE i.id = $1`,
      [id, userId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const recipients: Item["recipients"] = { to: [], cc: [], bcc: [], reply_to: [], required: [], optional: [], resource: [] };
    for (const r of json<Array<{ kind: RecipientKind; name: string; address: string }>>(row.recips)) recipients[r.kind].push({ name: r.name, address: r.address });
    const item: Item = {
      ...toSummary(row),
      conversationTopic: row.conversation_topic,
      inReplyTo: row.in_reply_to,
      sender: addr(row.sender_name, row.sender_address),
      recipients,
      bodyText: row.body_text,
      bodyHtml: row.body_html,
      isIrmProtected: row.is_irm_protected,
      isSigned: row.is_signed,
      sensitivity: row.sensitivity,
      location: row.location,
      isAllDay: row.is_all_day,
      categories: json<string[]>(row.cats),
      attachments: json<AttachmentDbRow[]>(row.atts).map(toAttachment),
      rawSize: row.raw_size === null ? null : Number(row.raw_size),
      hasRawMime: row.raw_hash !== null,
    };
    return { item, tenantId: row.owner_tenant_id, rights: row.user_rights ?? undefined };
  }

  /** Where an item lives and the user's rights there, in one query (the per-request authorization path). */
  async locateForUser(id: string, userId: string): Promise<{ mailboxId: string; tenantId: string; rights: MailboxRights | undefined } | undefined> {
    const { rows } = await this.ctx.db.query<{ mailbox_id: string; tenant_id: string; rights: MailboxRights | null }>(
      "SELECT i.mailbox_id, m.tenant_id, a.rights FROM items i JOIN mailboxes m ON m.id = i.mailbox_id LEFT JOIN mailbox_access a ON a.mailbox_id = i.mailbox_id AND a.user_id = $2 WHERE i.id = $1",
      [id, userId],
    );
    return rows[0] && { mailboxId: rows[0].mailbox_id, tenantId: rows[0].tenant_id, rights: rows[0].rights ?? undefined };
  }

  /**
   * The download path in one query: where the item lives, the user's rights there, and the attachment's metadata
   * (undefined when the item has no such attachment). Undefined when the item does not exist. The caller
   * authorizes before using the attachment.
   */
  async locateAttachmentForUser(
    itemId: string,
    attachmentId: string,
    userId: string,
  ): Promise<{ mailboxId: string; tenantId: string; rights: MailboxRights | undefined; attachment: (AttachmentInfo & { blobHash: string | null }) | undefined } | undefined> {
    const { rows } = await this.ctx.db.query<{ mailbox_id: string; tenant_id: string; rights: MailboxRights | null } & Partial<Record<`a_${keyof AttachmentDbRow}`, unknown>>>(
      `SELECT i.mailbox_id, m.tenant_id, acc.rights, a.id AS a_id, a.item_id AS a_item_id, a.kind AS a_kind, a.name AS a_name,
         a.content_type AS a_content_type, a.size AS a_size, a.content_id AS a_content_id, a.is_inline AS a_is_inline,
         a.blob_hash AS a_blob_hash, a.url AS a_url, a.modified_at AS a_modified_at
       FROM items i JOIN mailboxes m ON m.id = i.mailbox_id
       LEFT JOIN mailbox_access acc ON acc.mailbox_id = i.mailbox_id AND acc.user_id = $2
       LEFT JOIN attachments a ON a.id = $3 AND a.item_id = i.id
       WHERE i.id = $1`,
      [itemId, userId, attachmentId],
    );
    const r = rows[0];
    if (!r) return undefined;
    let attachment: (AttachmentInfo & { blobHash: string | null }) | undefined;
    if (r.a_id) {
      const a = Object.fromEntries(ATTACHMENT_COLUMNS.map((c) => [c, r[`a_${c}`]])) as unknown as AttachmentDbRow;
      attachment = { ...toAttachment(a), blobHash: a.blob_hash };
    }
    return { mailboxId: r.mailbox_id, tenantId: r.tenant_id, rights: r.rights ?? undefined, attachment };
  }

  /** Just the owning mailbox of an item (for access checks before loading it). */
  async locate(id: string): Promise<{ mailboxId: string; tenantId: string; folderId: string } | undefined> {
    const { rows } = await this.ctx.db.query<{ mailbox_id: string; tenant_id: string; folder_id: string }>(
      "SELECT i.mailbox_id, m.tenant_id, i.folder_id FROM items i JOIN mailboxes m ON m.id = i.mailbox_id WHERE i.id = $1",
      [id],
    );
    return rows[0] && { mailboxId: rows[0].mailbox_id, tenantId: rows[0].tenant_id, folderId: rows[0].folder_id };
  }

  async list(folderId: string, options: { offset?: number; limit?: number; orderBy?: ItemOrder; descending?: boolean } = {}): Promise<{ items: ItemSummary[]; total: number }> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 1000);
    const offset = Math.max(options.offset ?? 0, 0);
    const dir = options.descending === false ? "ASC" : "DESC";
    const order = options.orderBy ? `${ITEM_ORDER_COLUMNS[options.orderBy]} ${dir} NULLS LAST, i.id ${dir}` : "i.received_at DESC NULLS LAST, i.created_at DESC, i.id";
    const [{ rows }, { rows: count }] = await Promise.all([
      this.ctx.db.query<ItemDbRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM items i WHERE i.folder_id = $1 ORDER BY ${order} LIMIT $2 OFFSET $3`,
        [folderId, limit, offset],
      ),
      this.ctx.db.query<{ n: number }>("SELECT count(*) AS n FROM items WHERE folder_id = $1", [folderId]),
    ]);
    return { items: rows.map(toSummary), total: Number(count[0]!.n) };
  }

  /**
   * Messages of every mail folder (folder class IPF.Note) of a mailbox, one page of them, and whether more remain.
   * Ordered by one of the summary dates, ties broken by id so paging is stable.
   */
  async listMailboxMessages(mailboxId: string, options: { offset?: number; limit?: number; orderBy?: ItemOrder; descending?: boolean } = {}): Promise<{ items: ItemSummary[]; more: boolean }> {
    const limit = Math.min(Math.max(options.limit ?? 10, 1), 1000);
    const offset = Math.max(options.offset ?? 0, 0);
    const column = ITEM_ORDER_COLUMNS[options.orderBy ?? "receivedAt"];
    const dir = options.descending === false ? "ASC" : "DESC";
    const { rows } = await this.ctx.db.query<ItemDbRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM items i JOIN folders f ON f.id = i.folder_id
       WHERE i.mailbox_id = $1 AND i.item_type = 'message' AND f.folder_class = 'IPF.Note'
       ORDER BY ${column} ${dir} NULLS LAST, i.id ${dir} LIMIT $2 OFFSET $3`,
      [mailboxId, limit + 1, offset],
    );
    return { items: rows.slice(0, limit).map(toSummary), more: rows.length > limit };
  }

  /** Every item id of a mailbox, in a stable order (export walks these in pages). */
  async listIds(mailboxId: string, afterId: string | null, limit: number): Promise<string[]> {
    const { rows } = await this.ctx.db.query<{ id: string }>(
      "SELECT id FROM items WHERE mailbox_id = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3",
      [mailboxId, afterId, limit],
    );
    return rows.map((r) => r.id);
  }

  async count(mailboxId: string): Promise<number> {
    const { rows } = await this.ctx.db.query<{ n: number }>("SELECT count(*) AS n FROM items WHERE mailbox_id = $1", [mailboxId]);
    return Number(rows[0]!.n);
  }

  async listConversation(mailboxId: string, conversationId: string): Promise<ItemSummary[]> {
    const { rows } = await this.ctx.db.query<ItemDbRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM items i WHERE i.mailbox_id = $1 AND i.conversation_id = $2 ORDER BY i.received_at NULLS LAST, i.created_at, i.id`,
      [mailboxId, conversationId],
    );
    return rows.map(toSummary);
  }

  async listConversations(folderId: string, limit = 100): Promise<Array<{ conversationId: string; topic: string; messageCount: number; itemIds: string[]; lastDeliveryTime: Date | null; hasAttachments: boolean; unreadCount: number }>> {
    const { rows } = await this.ctx.db.query<{ conversation_id: string; topic: string; n: number; ids: string[]; last: Date | null; att: boolean; unread: number }>(
      `SELECT conversation_id, max(coalesce(conversation_topic, subject)) AS topic, count(*) AS n, array_agg(id ORDER BY received_at, id) AS ids,
              max(received_at) AS last, bool_or(has_attachments) AS att, sum(CASE WHEN is_read THEN 0 ELSE 1 END) AS unread
       FROM items WHERE folder_id = $1 AND conversation_id IS NOT NULL GROUP BY conversation_id ORDER BY max(received_at) DESC NULLS LAST LIMIT $2`,
      [folderId, limit],
    );
    return rows.map((r) => ({ conversationId: r.conversation_id, topic: r.topic, messageCount: Number(r.n), itemIds: r.ids, lastDeliveryTime: r.last, hasAttachments: r.att, unreadCount: Number(r.unread) }));
  }

  async create(mailboxId: string, folderId: string, input: NewItem): Promise<Item> {
    validateNewItem(input);
    const folder = await this.mailboxes.getFolder(folderId);
    if (!folder || folder.mailboxId !== mailboxId) throw notFound("folder");
    const id = newId();
    const itemType = input.itemType ?? "message";
    const subject = input.subject ?? "";
    const attachments = input.attachments ?? [];
    const blobs = attachments.map((a) => ({ hash: sha256Hex(a.data), data: a.data }));
    const now = new Date();
    await this.ctx.db.transaction(async (tx) => {
      await this.ctx.blobs.putMany(tx, blobs);
      await insertItemRows(tx, [
        emptyItemRow({
          id,
          mailbox_id: mailboxId,
          folder_id: folderId,
          item_type: itemType,
          item_class: input.itemClass ?? (itemType === "appointment" ? "IPM.Appointment" : "IPM.Note"),
          subject,
          internet_message_id: input.internetMessageId ?? null,
          conversation_id: conversationIdFor(subject),
          conversation_topic: normalizeSubject(subject),
          from_name: input.from?.name ?? null,
          from_address: input.from?.address ?? null,
          sender_name: input.from?.name ?? null,
          sender_address: input.from?.address ?? null,
          body_text: input.bodyText ?? null,
          body_html: input.bodyHtml ?? null,
          has_attachments: attachments.some((a) => !a.isInline),
          is_read: input.isRead ?? true,
          is_draft: input.isDraft ?? false,
          importance: input.importance ?? "Normal",
          received_at: input.receivedAt ?? (input.isDraft ? null : now),
          sent_at: input.sentAt ?? null,
          start_at: input.start ?? null,
          end_at: input.end ?? null,
          location: input.location ?? null,
          is_all_day: input.isAllDay ?? false,
        }),
      ]);
      await insertRecipientRows(tx, recipientRows(id, input));
      await insertAttachmentRows(
        tx,
        attachments.map((a, i) => attachmentRow(id, i, a, a.data.byteLength, blobs[i]!.hash)),
      );
      await insertCategoryRows(tx, (input.categories ?? []).map((name) => ({ item_id: id, name })));
    });
    return (await this.get(id))!;
  }

  async update(id: string, patch: ItemPatch): Promise<Item> {
    validatePatch(patch);
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    // Changing content means the stored MIME no longer describes the item; export then writes it afresh.
    let contentChanged = false;
    if (patch.subject !== undefined) (set("subject", patch.subject), set("conversation_topic", normalizeSubject(patch.subject)), (contentChanged = true));
    if (patch.bodyText !== undefined) (set("body_text", patch.bodyText), (contentChanged = true));
    if (patch.bodyHtml !== undefined) (set("body_html", patch.bodyHtml), (contentChanged = true));
    if (patch.isRead !== undefined) set("is_read", patch.isRead);
    if (patch.importance !== undefined) set("importance", patch.importance);
    if (patch.location !== undefined) (set("location", patch.location), (contentChanged = true));
    if (patch.start !== undefined) (set("start_at", patch.start), (contentChanged = true));
    if (patch.end !== undefined) (set("end_at", patch.end), (contentChanged = true));
    if (patch.isAllDay !== undefined) set("is_all_day", patch.isAllDay);
    const recipientChanges = RECIPIENT_FIELDS.filter(([field]) => patch[field] !== undefined);
    if (recipientChanges.length > 0) contentChanged = true;
    if (contentChanged) sets.push("raw_hash = NULL", "raw_size = NULL");
    await this.ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query(
        `UPDATE items SET ${[...sets, "change_key = change_key + 1", "modified_at = now()"].join(", ")} WHERE id = $1 RETURNING id`,
        params,
      );
      if (rows.length === 0) throw notFound("item");
      for (const [field, kind] of recipientChanges) {
        await tx.query("DELETE FROM recipients WHERE item_id = $1 AND kind = $2", [id, kind]);
        await insertRecipientRows(tx, (patch[field] as EmailAddress[]).map((address) => ({ item_id: id, kind, address })));
      }
      if (patch.categories !== undefined) {
        await tx.query("DELETE FROM item_categories WHERE item_id = $1", [id]);
        await insertCategoryRows(tx, patch.categories.map((name) => ({ item_id: id, name })));
      }
    });
    return (await this.get(id))!;
  }

  async addCategories(id: string, names: string[]): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      await insertCategoryRows(tx, names.map((name) => ({ item_id: id, name })));
      await bump(tx, id);
    });
  }

  async removeCategories(id: string, names: string[]): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      await tx.query("DELETE FROM item_categories WHERE item_id = $1 AND name = ANY($2::text[])", [id, names]);
      await bump(tx, id);
    });
  }

  /** Moves within the item's mailbox. The id stays the same (see docs/mailbox.md). */
  async move(id: string, folderId: string): Promise<Item> {
    const where = await this.locate(id);
    if (!where) throw notFound("item");
    const folder = await this.mailboxes.getFolder(folderId);
    if (!folder || folder.mailboxId !== where.mailboxId) throw notFound("destination folder");
    await this.ctx.db.transaction((tx) => tx.query("UPDATE items SET folder_id = $2, change_key = change_key + 1, modified_at = now() WHERE id = $1", [id, folderId]));
    return (await this.get(id))!;
  }

  /** Copies an item (bodies, recipients, attachments by reference to the same blobs, categories, custom properties). */
  async copy(id: string, folderId: string, overrides: { isDraft?: boolean; isRead?: boolean; receivedAt?: Date } = {}): Promise<Item> {
    const folder = await this.mailboxes.getFolder(folderId);
    if (!folder) throw notFound("destination folder");
    const newItemId = newId();
    await this.ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query(
        `INSERT INTO items (id, mailbox_id, folder_id, item_type, item_class, subject, internet_message_id, conversation_id, conversation_topic, in_reply_to,
           from_name, from_address, sender_name, sender_address, body_text, body_html, has_attachments, is_read, is_draft, is_irm_protected, is_signed,
           importance, sensitivity, sent_at, received_at, start_at, end_at, location, is_all_day, raw_hash, raw_size, internet_headers, dedupe_key)
         SELECT $2::text, $3::text, $4::text, item_type, item_class, subject, internet_message_id, conversation_id, conversation_topic, in_reply_to,
           from_name, from_address, sender_name, sender_address, body_text, body_html, has_attachments, coalesce($6::boolean, is_read), coalesce($5::boolean, is_draft), is_irm_protected, is_signed,
           importance, sensitivity, sent_at, coalesce($7::timestamptz, received_at), start_at, end_at, location, is_all_day, raw_hash, raw_size, internet_headers, NULL
         FROM items WHERE id = $1 RETURNING id`,
        [id, newItemId, folder.mailboxId, folderId, overrides.isDraft ?? null, overrides.isRead ?? null, overrides.receivedAt ?? null],
      );
      if (rows.length === 0) throw notFound("item");
      await tx.query("INSERT INTO recipients (item_id, kind, position, name, address) SELECT $2::text, kind, position, name, address FROM recipients WHERE item_id = $1", [id, newItemId]);
      const { rows: atts } = await tx.query<{ id: string }>("SELECT id FROM attachments WHERE item_id = $1 ORDER BY position", [id]);
      await tx.query(
        `INSERT INTO attachments (id, item_id, position, kind, name, content_type, size, content_id, is_inline, blob_hash, url)
         SELECT m.new_id, $1::text, a.position, a.kind, a.name, a.content_type, a.size, a.content_id, a.is_inline, a.blob_hash, a.url
         FROM attachments a JOIN unnest($2::text[], $3::text[]) AS m(old_id, new_id) ON m.old_id = a.id`,
        [newItemId, atts.map((a) => a.id), atts.map(() => newId())],
      );
      await tx.query("INSERT INTO item_categories (item_id, name) SELECT $2::text, name FROM item_categories WHERE item_id = $1", [id, newItemId]);
      await tx.query("INSERT INTO custom_properties (item_id, addin_id, data) SELECT $2::text, addin_id, data FROM custom_properties WHERE item_id = $1", [id, newItemId]);
    });
    return (await this.get(newItemId))!;
  }

  async delete(id: string): Promise<void> {
    const { rows } = await this.ctx.db.query("DELETE FROM items WHERE id = $1 RETURNING id", [id]);
    if (rows.length === 0) throw notFound("item");
  }

  /**
   * Sends a draft: it becomes a sent message in Sent Items, and a copy is delivered to the Inbox of every
   * recipient whose mailbox lives in this installation. A meeting (an appointment draft) stays in the organizer's
   * calendar, no longer a draft, and a copy goes to the calendar of every attendee whose mailbox lives here.
   */
  async send(id: string, options: { saveCopy?: boolean } = {}): Promise<Item> {
    const item = await this.get(id);
    if (!item) throw notFound("item");
    if (!item.isDraft) throw invalid("only a draft can be sent");
    const meeting = item.itemType === "appointment";
    const r = item.recipients;
    const all = meeting ? [...r.required, ...r.optional, ...r.resource] : [...r.to, ...r.cc, ...r.bcc];
    if (all.length === 0) throw invalid(meeting ? "the meeting has no attendees" : "the message has no recipients");
    const owner = await this.mailboxes.get(item.mailboxId);
    const sentAt = new Date();
    await this.ctx.db.transaction(async (tx) => {
      const sentFolder = meeting ? item.folderId : await this.mailboxes.wellKnownFolderId(tx, item.mailboxId, "sentitems");
      await tx.query(
        `UPDATE items SET is_draft = false, is_read = true, sent_at = $2, received_at = $2, folder_id = $3,
           from_name = coalesce(from_name, $4), from_address = coalesce(from_address, $5),
           internet_message_id = coalesce(internet_message_id, $6), change_key = change_key + 1, modified_at = now() WHERE id = $1`,
        [id, sentAt, sentFolder, owner?.displayName ?? null, owner?.email ?? null, `<${newId()}@outpost.local>`],
      );
    });
    const addresses = [...new Set(all.map((r) => r.address.toLowerCase()))];
    for (const address of addresses) {
      const target = await this.mailboxes.getByEmail(address);
      if (!target || target.id === item.mailboxId) continue;
      const inbox = await this.mailboxes.resolveFolder(target.id, meeting ? "calendar" : "inbox");
      if (inbox) await this.copy(id, inbox.id, { isDraft: false, isRead: false, receivedAt: sentAt });
    }
    if (options.saveCopy === false && !meeting) {
      await this.delete(id);
      return { ...item, isDraft: false };
    }
    return (await this.get(id))!;
  }

  // ---- attachments ----

  async listAttachments(itemId: string): Promise<AttachmentInfo[]> {
    const { rows } = await this.ctx.db.query<AttachmentDbRow>("SELECT * FROM attachments WHERE item_id = $1 ORDER BY position", [itemId]);
    return rows.map(toAttachment);
  }

  async getAttachment(itemId: string, attachmentId: string): Promise<(AttachmentInfo & { blobHash: string | null }) | undefined> {
    const { rows } = await this.ctx.db.query<AttachmentDbRow>("SELECT * FROM attachments WHERE id = $1 AND item_id = $2", [attachmentId, itemId]);
    return rows[0] && { ...toAttachment(rows[0]), blobHash: rows[0].blob_hash };
  }

  /** Finds an attachment by id alone (EWS GetAttachment names only the attachment). */
  async findAttachment(attachmentId: string): Promise<(AttachmentInfo & { blobHash: string | null }) | undefined> {
    const { rows } = await this.ctx.db.query<AttachmentDbRow>("SELECT * FROM attachments WHERE id = $1", [attachmentId]);
    return rows[0] && { ...toAttachment(rows[0]), blobHash: rows[0].blob_hash };
  }

  async addAttachment(itemId: string, input: NewAttachment): Promise<AttachmentInfo> {
    validateAttachment(input);
    const hash = sha256Hex(input.data);
    return this.insertAttachment(itemId, input, input.data.byteLength, hash, (tx) => this.ctx.blobs.putMany(tx, [{ hash, data: input.data }]));
  }

  /**
   * Adds a file attachment whose bytes arrive as a stream (uploads, base64 decoded piece by piece): they are
   * staged outside the transaction with at most one chunk buffered, so a 25 MB attachment is never whole in
   * memory here, and refused (nothing kept) as soon as it passes 25 MB.
   */
  async addAttachmentStream(itemId: string, input: Omit<NewAttachment, "data">, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<AttachmentInfo> {
    validateAttachment({ ...input, data: new Uint8Array(0) });
    return this.addStagedAttachment(itemId, input, await this.stageAttachment(source));
  }

  /**
   * Stores an attachment's bytes before its name and type are known (a request body that carries them after the
   * bytes); `addStagedAttachment` then attaches them, or `discard()` drops them. Over 25 MB: AttachmentTooLargeError.
   */
  async stageAttachment(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<StagedBlob> {
    try {
      return await this.ctx.blobs.stage(source, { maxBytes: LIMITS.attachmentBytes });
    } catch (err) {
      if (err instanceof BlobTooLarge) throw new AttachmentTooLargeError();
      throw err;
    }
  }

  /** Attaches staged bytes to an item; on any refusal (invalid name, item full or gone) the bytes are discarded. */
  async addStagedAttachment(itemId: string, input: Omit<NewAttachment, "data">, staged: StagedBlob): Promise<AttachmentInfo> {
    try {
      validateAttachment({ ...input, data: new Uint8Array(0) });
      return await this.insertAttachment(itemId, input, staged.size, staged.hash, (tx) => staged.commit(tx));
    } catch (err) {
      await staged.discard().catch(() => undefined);
      throw err;
    }
  }

  private async insertAttachment(itemId: string, input: Omit<NewAttachment, "data">, size: number, hash: string, storeBytes: (tx: Queryable) => Promise<void>): Promise<AttachmentInfo> {
    const id = newId();
    await this.ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ n: number; maxpos: number | null }>("SELECT count(*) AS n, max(position) AS maxpos FROM attachments WHERE item_id = $1", [itemId]);
      if (Number(rows[0]!.n) >= LIMITS.attachmentsPerItem) throw new MailboxError("LimitExceeded", `an item holds at most ${LIMITS.attachmentsPerItem} attachments`, "attachmentsPerItem");
      await storeBytes(tx);
      await insertAttachmentRows(tx, [{ ...attachmentRow(itemId, (rows[0]!.maxpos ?? -1) + 1, input, size, hash), id }]);
      await tx.query("UPDATE items SET has_attachments = has_attachments OR $2, raw_hash = NULL, raw_size = NULL, change_key = change_key + 1, modified_at = now() WHERE id = $1", [
        itemId,
        !input.isInline,
      ]);
    });
    return (await this.getAttachment(itemId, id))!;
  }

  async removeAttachment(itemId: string, attachmentId: string): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query("DELETE FROM attachments WHERE id = $1 AND item_id = $2 RETURNING id", [attachmentId, itemId]);
      if (rows.length === 0) throw notFound("attachment");
      await tx.query(
        "UPDATE items SET has_attachments = EXISTS (SELECT 1 FROM attachments WHERE item_id = $1 AND NOT is_inline), raw_hash = NULL, raw_size = NULL, change_key = change_key + 1, modified_at = now() WHERE id = $1",
        [itemId],
      );
    });
  }

  /** Streams an attachment's bytes. */
  openAttachment(attachment: { blobHash: string | null }) {
    if (!attachment.blobHash) throw notFound("attachment content");
    return this.ctx.blobs.open(attachment.blobHash);
  }

  /** An attachment's bytes as a response body: in one piece when recently read (cached), else streamed. */
  attachmentBody(attachment: { blobHash: string | null }) {
    if (!attachment.blobHash) throw notFound("attachment content");
    return blobBody(this.ctx.blobs, attachment.blobHash);
  }

  /** The imported RFC 822 bytes, when the item still matches them. */
  async rawMime(itemId: string): Promise<{ hash: string; size: number } | undefined> {
    const { rows } = await this.ctx.db.query<{ raw_hash: string | null; raw_size: number | null }>("SELECT raw_hash, raw_size FROM items WHERE id = $1", [itemId]);
    const r = rows[0];
    return r?.raw_hash ? { hash: r.raw_hash, size: Number(r.raw_size) } : undefined;
  }

  // ---- internet headers ----

  /** The message's header block as received (getAllInternetHeadersAsync), or the headers set on a draft. */
  async internetHeaders(itemId: string): Promise<string | null> {
    const { rows } = await this.ctx.db.query<{ internet_headers: string | null }>("SELECT internet_headers FROM items WHERE id = $1", [itemId]);
    if (!rows[0]) throw notFound("item");
    return rows[0].internet_headers;
  }

  /** Sets custom internet headers on a draft (internetHeaders.setAsync); 256 KB in all. */
  async setInternetHeaders(itemId: string, headers: Record<string, string>): Promise<void> {
    const current = parseHeaderBlock((await this.internetHeaders(itemId)) ?? "");
    const byName = new Map(current.map((h) => [h.name.toLowerCase(), h]));
    for (const [name, value] of Object.entries(headers)) {
      if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) throw invalid(`invalid header name: ${name}`);
      if (/[\r\n]/.test(value)) throw invalid(`header ${name} contains a line break`);
      byName.set(name.toLowerCase(), { name, value });
    }
    const block = [...byName.values()].map((h) => `${h.name}: ${h.value}`).join("\r\n");
    if (Buffer.byteLength(block) > LIMITS.internetHeadersBytes) throw new MailboxError("LimitExceeded", "internet headers exceed 256 KB", "internetHeadersBytes");
    await this.ctx.db.query("UPDATE items SET internet_headers = $2, change_key = change_key + 1, modified_at = now() WHERE id = $1", [itemId, block]);
  }

  async removeInternetHeaders(itemId: string, names: string[]): Promise<void> {
    const drop = new Set(names.map((n) => n.toLowerCase()));
    const kept = parseHeaderBlock((await this.internetHeaders(itemId)) ?? "").filter((h) => !drop.has(h.name.toLowerCase()));
    await this.ctx.db.query("UPDATE items SET internet_headers = $2, change_key = change_key + 1, modified_at = now() WHERE id = $1", [
      itemId,
      kept.map((h) => `${h.name}: ${h.value}`).join("\r\n"),
    ]);
  }
}

/** Unfolds a header block into name/value pairs, in order. */
export function parseHeaderBlock(block: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length > 0) out[out.length - 1]!.value += " " + line.trim();
    else {
      const colon = line.indexOf(":");
      if (colon > 0) out.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
    }
  }
  return out;
}

async function bump(tx: Queryable, id: string) {
  const { rows } = await tx.query("UPDATE items SET change_key = change_key + 1, modified_at = now() WHERE id = $1 RETURNING id", [id]);
  if (rows.length === 0) throw notFound("item");
}

function recipientRows(itemId: string, input: NewItem): RecipientRow[] {
  const out: RecipientRow[] = [];
  for (const [field, kind] of RECIPIENT_FIELDS) for (const address of (input[field] as EmailAddress[] | undefined) ?? []) out.push({ item_id: itemId, kind, address });
  return out;
}

function attachmentRow(itemId: string, position: number, a: Omit<NewAttachment, "data">, size: number, hash: string): AttachmentRow {
  return {
    id: newId(),
    item_id: itemId,
    position,
    kind: a.kind ?? "file",
    name: a.name,
    content_type: a.contentType ?? "application/octet-stream",
    size,
    content_id: a.contentId ?? null,
    is_inline: a.isInline ?? false,
    blob_hash: hash,
    url: null,
  };
}

function validateAttachment(a: NewAttachment) {
  if (!a.name || a.name.length > LIMITS.attachmentName) throw invalid(`attachment name must be 1–${LIMITS.attachmentName} characters`);
  if (a.data.byteLength > LIMITS.attachmentBytes) throw new AttachmentTooLargeError();
}

function validateRecipients(list: EmailAddress[] | undefined, field: string) {
  if (!list) return;
  if (list.length > LIMITS.recipientsPerField) throw new MailboxError("LimitExceeded", `${field} holds at most ${LIMITS.recipientsPerField} recipients`, "recipientsPerField");
  for (const r of list) {
    if (typeof r?.address !== "string" || r.address.length > LIMITS.address) throw invalid(`${field}: invalid address`);
    if (typeof r.name !== "string" || r.name.length > 255) throw invalid(`${field}: display name must be at most 255 characters`);
  }
}

function validatePatch(p: ItemPatch) {
  if (p.subject !== undefined && (typeof p.subject !== "string" || p.subject.length > LIMITS.subject)) throw invalid(`subject must be at most ${LIMITS.subject} characters`);
  if (p.location != null && p.location.length > LIMITS.location) throw invalid(`location must be at most ${LIMITS.location} characters`);
  for (const b of [p.bodyText, p.bodyHtml]) if (b != null && b.length > LIMITS.body) throw new MailboxError("LimitExceeded", "body exceeds 1,000,000 characters", "body");
  for (const [field] of RECIPIENT_FIELDS) validateRecipients(p[field] as EmailAddress[] | undefined, field);
  if (p.start && p.end && p.end < p.start) throw invalid("end time is before start time");
  if (p.categories) for (const c of p.categories) if (typeof c !== "string" || c.length === 0 || c.length > 255) throw invalid("invalid category name");
}

function validateNewItem(n: NewItem) {
  validatePatch(n as ItemPatch);
  for (const a of n.attachments ?? []) validateAttachment(a);
  if ((n.attachments?.length ?? 0) > LIMITS.attachmentsPerItem) throw new MailboxError("LimitExceeded", `an item holds at most ${LIMITS.attachmentsPerItem} attachments`, "attachmentsPerItem");
}

const SUMMARY_COLUMNS = `i.id, i.mailbox_id, i.folder_id, i.item_type, i.item_class, i.change_key, i.subject, i.internet_message_id, i.conversation_id,
  i.from_name, i.from_address, i.has_attachments, i.is_read, i.is_draft, i.importance, i.sent_at, i.received_at, i.created_at, i.modified_at,
  i.start_at, i.end_at, left(coalesce(i.body_text, regexp_replace(left(coalesce(i.body_html, ''), 4000), '<[^>]*>', ' ', 'g')), 255) AS body_preview`;

/** What a whole item adds to its summary (not `i.*`: that repeated the summary and carried the stored headers). */
const DETAIL_COLUMNS = `i.conversation_topic, i.in_reply_to, i.sender_name, i.sender_address, i.body_text, i.body_html, i.is_irm_protected,
  i.is_signed, i.sensitivity, i.location, i.is_all_day, i.raw_hash, i.raw_size`;

/** A row as read back: what create/copy/import write, less the import-only columns, plus what the database keeps. */
interface ItemDbRow extends Omit<ItemRow, "internet_headers" | "dedupe_key"> {
  change_key: number;
  created_at: Date;
  modified_at: Date;
  body_preview: string;
}

/** Orders a message list may take (the REST surface maps $orderby onto these). Column names are fixed here, never from input. */
export type ItemOrder = "receivedAt" | "sentAt" | "createdAt" | "modifiedAt" | "subject" | "importance";
const ITEM_ORDER_COLUMNS: Record<ItemOrder, string> = {
  receivedAt: "i.received_at",
  sentAt: "i.sent_at",
  createdAt: "i.created_at",
  modifiedAt: "i.modified_at",
  subject: "i.subject",
  importance: "i.importance",
};

const ATTACHMENT_COLUMNS = ["id", "item_id", "kind", "name", "content_type", "size", "content_id", "is_inline", "blob_hash", "url", "modified_at"] as const satisfies ReadonlyArray<keyof AttachmentDbRow>;

interface AttachmentDbRow {
  id: string;
  item_id: string;
  kind: "file" | "item" | "cloud";
  name: string;
  content_type: string;
  size: number;
  content_id: string | null;
  is_inline: boolean;
  blob_hash: string | null;
  url: string | null;
  modified_at: Date;
}

const addr = (name: string | null, address: string | null): EmailAddress | null => (address === null && name === null ? null : { name: name ?? "", address: address ?? "" });

function toSummary(r: ItemDbRow): ItemSummary {
  return {
    id: r.id,
    mailboxId: r.mailbox_id,
    folderId: r.folder_id,
    itemType: r.item_type,
    itemClass: r.item_class,
    changeKey: r.change_key,
    subject: r.subject,
    internetMessageId: r.internet_message_id,
    conversationId: r.conversation_id,
    from: addr(r.from_name, r.from_address),
    hasAttachments: r.has_attachments,
    isRead: r.is_read,
    isDraft: r.is_draft,
    importance: r.importance,
    sentAt: r.sent_at,
    receivedAt: r.received_at,
    createdAt: r.created_at,
    modifiedAt: r.modified_at,
    start: r.start_at,
    end: r.end_at,
    bodyPreview: (r.body_preview ?? "").replace(/\s+/g, " ").trim(),
  };
}

/** json columns: parsed by `pg`, and by PGlite; a string only if a driver leaves it raw. */
function json<T>(v: unknown): T {
  return (typeof v === "string" ? JSON.parse(v) : v) as T;
}

function toAttachment(r: AttachmentDbRow): AttachmentInfo {
  return {
    id: r.id,
    itemId: r.item_id,
    kind: r.kind,
    name: r.name,
    contentType: r.content_type,
    size: Number(r.size),
    contentId: r.content_id,
    isInline: r.is_inline,
    url: r.url,
    modifiedAt: r.modified_at instanceof Date ? r.modified_at : new Date(r.modified_at),
  };
}
