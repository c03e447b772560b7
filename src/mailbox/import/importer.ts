import { newId } from "../ids.ts";
import { parseMessage, type ParsedMessage } from "../mime/parse.ts";
import { conversationIdFor, normalizeSubject } from "../store/conversation.ts";
import { type AttachmentRow, type ItemRow, type RecipientRow, insertAttachmentRows, insertItemRows, insertRecipientRows } from "../store/item-rows.ts";
import type { MailboxStore } from "../store/store.ts";
import type { RawMessage } from "./sources.ts";
import { notFound } from "../errors.ts";

export interface ImportOptions {
  mailboxId: string;
  /** Folder id or well-known name; default inbox. */
  folder?: string;
  /** Messages per transaction. Each batch commits whole or not at all. */
  batchSize?: number;
  markRead?: boolean;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  seen: number;
  imported: number;
  skipped: number;
  failed: number;
}

export interface ImportResult extends ImportProgress {
  failures: Array<{ origin: string; error: string }>;
}

/**
 * Imports raw RFC 822 messages. Each batch is one transaction (no half-written item survives a crash), and an
 * item whose Message-ID (or, without one, raw-bytes hash) is already in the mailbox is skipped — so re-running
 * an interrupted import completes it without duplicates.
 */
export async function importMessages(store: MailboxStore, source: AsyncIterable<RawMessage>, options: ImportOptions): Promise<ImportResult> {
  const folder = await store.mailboxes.resolveFolder(options.mailboxId, options.folder ?? "inbox");
  if (!folder) throw notFound(`folder ${options.folder ?? "inbox"}`);
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const result: ImportResult = { seen: 0, imported: 0, skipped: 0, failed: 0, failures: [] };
  let batch: ParsedMessage[] = [];
  let raws: Uint8Array[] = [];
  let origins: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      const { inserted } = await writeBatch(store, options.mailboxId, folder.id, batch, raws, options.markRead ?? false);
      result.imported += inserted;
      result.skipped += batch.length - inserted;
    } catch {
      // One bad message must not sink its batch: retry one by one to find it.
      for (let i = 0; i < batch.length; i++) {
        try {
          const { inserted } = await writeBatch(store, options.mailboxId, folder.id, [batch[i]!], [raws[i]!], options.markRead ?? false);
          result.imported += inserted;
          result.skipped += 1 - inserted;
        } catch (err) {
          result.failed++;
          result.failures.push({ origin: origins[i]!, error: (err as Error).message });
        }
      }
    }
    batch = [];
    raws = [];
    origins = [];
    options.onProgress?.({ seen: result.seen, imported: result.imported, skipped: result.skipped, failed: result.failed });
  };
  for await (const m of source) {
    result.seen++;
    try {
      batch.push(await parseMessage(m.raw));
      raws.push(m.raw);
      origins.push(m.origin);
    } catch (err) {
      result.failed++;
      result.failures.push({ origin: m.origin, error: (err as Error).message });
    }
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return result;
}

async function writeBatch(store: MailboxStore, mailboxId: string, folderId: string, parsed: ParsedMessage[], raws: Uint8Array[], markRead: boolean): Promise<{ inserted: number }> {
  // Duplicates inside one batch: keep the first.
  const seen = new Set<string>();
  const keep: number[] = [];
  parsed.forEach((p, i) => {
    if (!seen.has(p.dedupeKey)) (seen.add(p.dedupeKey), keep.push(i));
  });
  const rows: ItemRow[] = [];
  const recipients: RecipientRow[] = [];
  const attachments: AttachmentRow[] = [];
  const blobs: Array<{ hash: string; data: Uint8Array }> = [];
  for (const i of keep) {
    const p = parsed[i]!;
    const id = newId();
    blobs.push({ hash: p.rawHash, data: raws[i]! });
    rows.push(itemRowOf(id, mailboxId, folderId, p, markRead));
    for (const [kind, list] of [["to", p.to], ["cc", p.cc], ["bcc", p.bcc], ["reply_to", p.replyTo]] as const)
      for (const address of list) recipients.push({ item_id: id, kind, address: { name: clean(address.name), address: clean(address.address) } });
    p.attachments.forEach((a, position) => {
      blobs.push({ hash: a.hash, data: a.data });
      attachments.push({
        id: newId(),
        item_id: id,
        position,
        kind: a.kind,
        name: clean(a.name).slice(0, 255),
        content_type: clean(a.contentType),
        size: a.data.byteLength,
        content_id: a.contentId === null ? null : clean(a.contentId),
        is_inline: a.isInline,
        blob_hash: a.hash,
        url: null,
      });
    });
  }
  return store.db.transaction(async (tx) => {
    await store.blobs.putMany(tx, blobs);
    const inserted = await insertItemRows(tx, rows);
    await insertRecipientRows(tx, recipients.filter((r) => inserted.has(r.item_id)));
    await insertAttachmentRows(tx, attachments.filter((a) => inserted.has(a.item_id)));
    return { inserted: inserted.size };
  });
}

function itemRowOf(id: string, mailboxId: string, folderId: string, p: ParsedMessage, markRead: boolean): ItemRow {
  return sanitizeRow({
    id,
    mailbox_id: mailboxId,
    folder_id: folderId,
    item_type: "message",
    item_class: p.itemClass,
    subject: p.subject,
    internet_message_id: p.messageId,
    conversation_id: conversationIdFor(p.subject, p.threadIndex),
    conversation_topic: normalizeSubject(p.subject),
    in_reply_to: p.inReplyTo,
    from_name: p.from?.name ?? null,
    from_address: p.from?.address ?? null,
    sender_name: p.sender?.name ?? null,
    sender_address: p.sender?.address ?? null,
    body_text: p.text,
    body_html: p.html,
    has_attachments: p.attachments.some((a) => !a.isInline),
    is_read: markRead,
    is_draft: false,
    is_irm_protected: p.isIrmProtected,
    is_signed: p.isSigned,
    importance: p.importance,
    sensitivity: p.sensitivity,
    sent_at: p.date,
    received_at: p.receivedAt,
    start_at: null,
    end_at: null,
    location: null,
    is_all_day: false,
    raw_hash: p.rawHash,
    raw_size: p.rawSize,
    internet_headers: p.headerBlock,
    dedupe_key: p.dedupeKey,
  });
}

/** PostgreSQL text cannot hold NUL; the raw bytes keep the original, the indexed copy gets U+FFFD. */
function sanitizeRow(row: ItemRow): ItemRow {
  const out = { ...row } as Record<string, unknown>;
  for (const [k, v] of Object.entries(out)) if (typeof v === "string" && v.includes("\u0000")) out[k] = v.replaceAll("\u0000", "\uFFFD");
  return out as unknown as ItemRow;
}

const clean = (s: string) => (s ?? "").replaceAll("\u0000", "\uFFFD");
