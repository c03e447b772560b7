/**
 * Item values the store's items table has no column for (recurrence, enhanced locations, sensitivity label,
 * delayed delivery), kept in `item_extras` (migration 005) as one jsonb document per item, and the sensitivity
 * column, which ItemPatch does not cover. Every write also bumps the item's change key, as any item change does.
 */
import type { MailboxStore } from "../../mailbox/index.ts";
import type { RecurrenceData } from "./series-time.ts";

export interface LocationDetailsValue {
  locationIdentifier: { id: string; type: "custom" | "room" };
  displayName: string;
  emailAddress: string;
}

export interface ItemExtras {
  recurrence?: RecurrenceData | null;
  locations?: LocationDetailsValue[];
  sensitivityLabel?: string;
  /** ISO 8601. */
  delayDeliveryTime?: string | null;
}

export async function readExtras(store: MailboxStore, itemId: string): Promise<ItemExtras> {
  const { rows } = await store.db.query<{ data: unknown }>("SELECT data FROM item_extras WHERE item_id = $1", [itemId]);
  const data = rows[0]?.data;
  return ((typeof data === "string" ? JSON.parse(data) : data) ?? {}) as ItemExtras;
}

/** Merges `patch` into the item's document (keys set to undefined are left alone). */
export async function writeExtras(store: MailboxStore, itemId: string, patch: ItemExtras): Promise<void> {
  const json = JSON.stringify(patch);
  await store.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO item_extras (item_id, data) VALUES ($1, $2::jsonb)
       ON CONFLICT (item_id) DO UPDATE SET data = item_extras.data || EXCLUDED.data, updated_at = now()`,
      [itemId, json],
    );
    await tx.query("UPDATE items SET change_key = change_key + 1, modified_at = now() WHERE id = $1", [itemId]);
  });
}

/** Sensitivity as the items table stores it ("Normal", "Personal", "Private", "Confidential"). */
export async function writeSensitivity(store: MailboxStore, itemId: string, value: string): Promise<void> {
  await store.db.query("UPDATE items SET sensitivity = $2, change_key = change_key + 1, modified_at = now() WHERE id = $1", [itemId, value]);
}
