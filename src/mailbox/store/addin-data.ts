import { MailboxError, notFound } from "../errors.ts";
import type { StoreContext } from "./context.ts";
import { tableLimitOf } from "../../permissions/table-limits.ts";

/** Outlook's limits, read from the permission table (the one place they are written). */
export const CUSTOM_PROPERTIES_MAX_CHARS = tableLimitOf("Office.CustomProperties.saveAsync", "custom properties as JSON, per item and add-in").max;
export const ROAMING_SETTINGS_MAX_CHARS = tableLimitOf("Office.context.roamingSettings.saveAsync", "settings as JSON").max;

type Json = Record<string, unknown>;

/** Per add-in custom properties of items, per add-in per user roaming settings, and master categories. */
export class AddinData {
  constructor(private readonly ctx: StoreContext) {}

  async getCustomProperties(itemId: string, addinId: string): Promise<Json> {
    const { rows } = await this.ctx.db.query<{ data: Json }>("SELECT data FROM custom_properties WHERE item_id = $1 AND addin_id = $2", [itemId, addinId]);
    return rows[0]?.data ?? {};
  }

  /** Replaces the add-in's custom properties of the item (saveAsync); at most 2,500 characters of JSON. */
  async setCustomProperties(itemId: string, addinId: string, data: Json): Promise<void> {
    const text = JSON.stringify(data);
    if (text.length > CUSTOM_PROPERTIES_MAX_CHARS) throw new MailboxError("LimitExceeded", `custom properties exceed ${CUSTOM_PROPERTIES_MAX_CHARS} characters`, "customProperties");
    const { rows } = await this.ctx.db.query("SELECT 1 FROM items WHERE id = $1", [itemId]);
    if (rows.length === 0) throw notFound("item");
    await this.ctx.db.query(
      "INSERT INTO custom_properties (item_id, addin_id, data) VALUES ($1, $2, $3::jsonb) ON CONFLICT (item_id, addin_id) DO UPDATE SET data = EXCLUDED.data",
      [itemId, addinId, text],
    );
  }

  async getRoamingSettings(userId: string, addinId: string): Promise<Json> {
    const { rows } = await this.ctx.db.query<{ data: Json }>("SELECT data FROM roaming_settings WHERE user_id = $1 AND addin_id = $2", [userId, addinId]);
    return rows[0]?.data ?? {};
  }

  /** Replaces the add-in's roaming settings for the user; at most 32 KB of JSON (Outlook fails with 9019 beyond). */
  async setRoamingSettings(userId: string, addinId: string, data: Json): Promise<void> {
    const text = JSON.stringify(data);
    if (text.length > ROAMING_SETTINGS_MAX_CHARS) throw new MailboxError("LimitExceeded", `roaming settings exceed ${ROAMING_SETTINGS_MAX_CHARS} characters`, "roamingSettings");
    await this.ctx.db.query(
      "INSERT INTO roaming_settings (user_id, addin_id, data) VALUES ($1, $2, $3::jsonb) ON CONFLICT (user_id, addin_id) DO UPDATE SET data = EXCLUDED.data",
      [userId, addinId, text],
    );
  }

  async listMasterCategories(mailboxId: string): Promise<Array<{ name: string; color: string }>> {
    const { rows } = await this.ctx.db.query<{ name: string; color: string }>("SELECT name, color FROM master_categories WHERE mailbox_id = $1 ORDER BY name", [mailboxId]);
    return rows;
  }

  /** Adds categories to the master list; a name already present fails the whole call (9045 DuplicateCategory). */
  async addMasterCategories(mailboxId: string, categories: Array<{ name: string; color?: string }>): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      const names = categories.map((c) => c.name);
      const { rows } = await tx.query<{ name: string }>("SELECT name FROM master_categories WHERE mailbox_id = $1 AND lower(name) = ANY($2::text[])", [
        mailboxId,
        names.map((n) => n.toLowerCase()),
      ]);
      if (rows.length > 0 || new Set(names.map((n) => n.toLowerCase())).size !== names.length) throw new MailboxError("DuplicateCategory", `category already exists: ${rows[0]?.name ?? names[0]}`);
      await tx.query("INSERT INTO master_categories (mailbox_id, name, color) SELECT $1, * FROM unnest($2::text[], $3::text[])", [
        mailboxId,
        names,
        categories.map((c) => c.color ?? "None"),
      ]);
    });
  }

  /** Removes categories from the master list; an unknown name fails the whole call (9044 InvalidCategory). */
  async removeMasterCategories(mailboxId: string, names: string[]): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ name: string }>("DELETE FROM master_categories WHERE mailbox_id = $1 AND name = ANY($2::text[]) RETURNING name", [mailboxId, names]);
      if (rows.length !== new Set(names).size) throw new MailboxError("InvalidCategory", "unknown category");
    });
  }
}
