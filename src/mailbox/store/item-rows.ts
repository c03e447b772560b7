import type { Queryable } from "../db/db.ts";
import type { EmailAddress, RecipientKind } from "./types.ts";

/** One row of `items` as written by create, copy and import. */
export interface ItemRow {
  id: string;
  mailbox_id: string;
  folder_id: string;
  item_type: "message" | "appointment";
  item_class: string;
  subject: string;
  internet_message_id: string | null;
  conversation_id: string | null;
  conversation_topic: string | null;
  in_reply_to: string | null;
  from_name: string | null;
  from_address: string | null;
  sender_name: string | null;
  sender_address: string | null;
  body_text: string | null;
  body_html: string | null;
  has_attachments: boolean;
  is_read: boolean;
  is_draft: boolean;
  is_irm_protected: boolean;
  is_signed: boolean;
  importance: string;
  sensitivity: string;
  sent_at: Date | null;
  received_at: Date | null;
  start_at: Date | null;
  end_at: Date | null;
  location: string | null;
  is_all_day: boolean;
  raw_hash: string | null;
  raw_size: number | null;
  internet_headers: string | null;
  dedupe_key: string | null;
}

const COLUMNS: Array<[keyof ItemRow, string]> = [
  ["id", "text"],
  ["mailbox_id", "text"],
  ["folder_id", "text"],
  ["item_type", "text"],
  ["item_class", "text"],
  ["subject", "text"],
  ["internet_message_id", "text"],
  ["conversation_id", "text"],
  ["conversation_topic", "text"],
  ["in_reply_to", "text"],
  ["from_name", "text"],
  ["from_address", "text"],
  ["sender_name", "text"],
  ["sender_address", "text"],
  ["body_text", "text"],
  ["body_html", "text"],
  ["has_attachments", "boolean"],
  ["is_read", "boolean"],
  ["is_draft", "boolean"],
  ["is_irm_protected", "boolean"],
  ["is_signed", "boolean"],
  ["importance", "text"],
  ["sensitivity", "text"],
  ["sent_at", "timestamptz"],
  ["received_at", "timestamptz"],
  ["start_at", "timestamptz"],
  ["end_at", "timestamptz"],
  ["location", "text"],
  ["is_all_day", "boolean"],
  ["raw_hash", "text"],
  ["raw_size", "bigint"],
  ["internet_headers", "text"],
  ["dedupe_key", "text"],
];

const INSERT_SQL = `INSERT INTO items (${COLUMNS.map(([c]) => c).join(", ")})
  SELECT * FROM unnest(${COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(", ")})
  ON CONFLICT (mailbox_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
  RETURNING id`;

/** Inserts many items in one statement; rows whose dedupe key already exists are skipped. Returns inserted ids. */
export async function insertItemRows(tx: Queryable, rows: ItemRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const params = COLUMNS.map(([c]) => rows.map((r) => r[c]));
  const { rows: inserted } = await tx.query<{ id: string }>(INSERT_SQL, params);
  return new Set(inserted.map((r) => r.id));
}

export interface RecipientRow {
  item_id: string;
  kind: RecipientKind;
  address: EmailAddress;
}

export async function insertRecipientRows(tx: Queryable, rows: RecipientRow[]): Promise<void> {
  if (rows.length === 0) return;
  const positions = new Map<string, number>();
  const pos = rows.map((r) => {
    const key = `${r.item_id}\u0000${r.kind}`;
    const n = positions.get(key) ?? 0;
    positions.set(key, n + 1);
    return n;
  });
  await tx.query(
    "INSERT INTO recipients (item_id, kind, position, name, address) SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[])",
    [rows.map((r) => r.item_id), rows.map((r) => r.kind), pos, rows.map((r) => r.address.name ?? ""), rows.map((r) => r.address.address ?? "")],
  );
}

export interface AttachmentRow {
  id: string;
  item_id: string;
  position: number;
  kind: "file" | "item" | "cloud";
  name: string;
  content_type: string;
  size: number;
  content_id: string | null;
  is_inline: boolean;
  blob_hash: string | null;
  url: string | null;
}

export async function insertAttachmentRows(tx: Queryable, rows: AttachmentRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO attachments (id, item_id, position, kind, name, content_type, size, content_id, is_inline, blob_hash, url)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::boolean[], $10::text[], $11::text[])`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.item_id),
      rows.map((r) => r.position),
      rows.map((r) => r.kind),
      rows.map((r) => r.name),
      rows.map((r) => r.content_type),
      rows.map((r) => r.size),
      rows.map((r) => r.content_id),
      rows.map((r) => r.is_inline),
      rows.map((r) => r.blob_hash),
      rows.map((r) => r.url),
    ],
  );
}

export async function insertCategoryRows(tx: Queryable, rows: Array<{ item_id: string; name: string }>): Promise<void> {
  if (rows.length === 0) return;
  await tx.query("INSERT INTO item_categories (item_id, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING", [
    rows.map((r) => r.item_id),
    rows.map((r) => r.name),
  ]);
}

export function emptyItemRow(partial: Pick<ItemRow, "id" | "mailbox_id" | "folder_id"> & Partial<ItemRow>): ItemRow {
  return {
    item_type: "message",
    item_class: "IPM.Note",
    subject: "",
    internet_message_id: null,
    conversation_id: null,
    conversation_topic: null,
    in_reply_to: null,
    from_name: null,
    from_address: null,
    sender_name: null,
    sender_address: null,
    body_text: null,
    body_html: null,
    has_attachments: false,
    is_read: false,
    is_draft: false,
    is_irm_protected: false,
    is_signed: false,
    importance: "Normal",
    sensitivity: "Normal",
    sent_at: null,
    received_at: null,
    start_at: null,
    end_at: null,
    location: null,
    is_all_day: false,
    raw_hash: null,
    raw_size: null,
    internet_headers: null,
    dedupe_key: null,
    ...partial,
  };
}
