import { newId } from "../ids.ts";
import { MailboxError, invalid, notFound } from "../errors.ts";
import type { Queryable } from "../db/db.ts";
import type { StoreContext } from "./context.ts";
import { isUniqueViolation } from "./directory.ts";
import { type Folder, type Mailbox, type MailboxGrant, type MailboxRights, type User, type WellKnownFolder, WELL_KNOWN_FOLDERS } from "./types.ts";

const FOLDER_NAMES: Record<WellKnownFolder, { name: string; folderClass: string }> = {
  msgfolderroot: { name: "Top of Information Store", folderClass: "IPF.Note" },
  inbox: { name: "Inbox", folderClass: "IPF.Note" },
  drafts: { name: "Drafts", folderClass: "IPF.Note" },
  sentitems: { name: "Sent Items", folderClass: "IPF.Note" },
  deleteditems: { name: "Deleted Items", folderClass: "IPF.Note" },
  junkemail: { name: "Junk Email", folderClass: "IPF.Note" },
  outbox: { name: "Outbox", folderClass: "IPF.Note" },
  archive: { name: "Archive", folderClass: "IPF.Note" },
  calendar: { name: "Calendar", folderClass: "IPF.Appointment" },
};

/** Mailboxes (own and shared), who may open them, and their folders. */
export class Mailboxes {
  constructor(private readonly ctx: StoreContext) {}

  /** The user's own mailbox with its well-known folders. */
  async createForUser(user: User): Promise<Mailbox> {
    return this.create({ tenantId: user.tenantId, ownerUserId: user.id, kind: "user", email: user.email, displayName: user.displayName });
  }

  async createShared(input: { tenantId: string; email: string; displayName: string }): Promise<Mailbox> {
    return this.create({ ...input, ownerUserId: null, kind: "shared" });
  }

  private async create(input: Omit<Mailbox, "id"> & { id?: string }): Promise<Mailbox> {
    const mailbox: Mailbox = { id: input.id ?? newId(), tenantId: input.tenantId, ownerUserId: input.ownerUserId, kind: input.kind, email: input.email, displayName: input.displayName };
    try {
      await this.ctx.db.transaction(async (tx) => {
        await tx.query("INSERT INTO mailboxes (id, tenant_id, owner_user_id, kind, email, display_name) VALUES ($1, $2, $3, $4, $5, $6)", [
          mailbox.id,
          mailbox.tenantId,
          mailbox.ownerUserId,
          mailbox.kind,
          mailbox.email,
          mailbox.displayName,
        ]);
        if (mailbox.ownerUserId) await tx.query("INSERT INTO mailbox_access (mailbox_id, user_id, rights) VALUES ($1, $2, 'owner')", [mailbox.id, mailbox.ownerUserId]);
        const rootId = newId();
        await tx.query("INSERT INTO folders (id, mailbox_id, parent_id, well_known, display_name, folder_class) VALUES ($1, $2, NULL, 'msgfolderroot', $3, 'IPF.Note')", [
          rootId,
          mailbox.id,
          FOLDER_NAMES.msgfolderroot.name,
        ]);
        const rest = WELL_KNOWN_FOLDERS.filter((w) => w !== "msgfolderroot");
        await tx.query(
          "INSERT INTO folders (id, mailbox_id, parent_id, well_known, display_name, folder_class) SELECT id, $1, $2, wk, name, cls FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, wk, name, cls)",
          [mailbox.id, rootId, rest.map(() => newId()), rest, rest.map((w) => FOLDER_NAMES[w].name), rest.map((w) => FOLDER_NAMES[w].folderClass)],
        );
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new MailboxError("Conflict", `a mailbox with address ${input.email} already exists`);
      throw err;
    }
    return mailbox;
  }

  async get(id: string): Promise<Mailbox | undefined> {
    const { rows } = await this.ctx.db.query<MailboxRow>("SELECT * FROM mailboxes WHERE id = $1", [id]);
    return rows[0] && toMailbox(rows[0]);
  }

  async getByEmail(email: string): Promise<Mailbox | undefined> {
    const { rows } = await this.ctx.db.query<MailboxRow>("SELECT * FROM mailboxes WHERE lower(email) = lower($1)", [email]);
    return rows[0] && toMailbox(rows[0]);
  }

  /** The user's own mailbox. */
  async ownMailbox(userId: string): Promise<Mailbox | undefined> {
    const { rows } = await this.ctx.db.query<MailboxRow>("SELECT * FROM mailboxes WHERE owner_user_id = $1 AND kind = 'user' ORDER BY created_at LIMIT 1", [userId]);
    return rows[0] && toMailbox(rows[0]);
  }

  /** The client signatures of the mailbox's account: the default for new messages and for replies/forwards (null: none). */
  async getSignatures(mailboxId: string): Promise<{ newMail: string | null; reply: string | null }> {
    const { rows } = await this.ctx.db.query<{ signature_new_mail: string | null; signature_reply: string | null }>("SELECT signature_new_mail, signature_reply FROM mailboxes WHERE id = $1", [mailboxId]);
    return { newMail: rows[0]?.signature_new_mail ?? null, reply: rows[0]?.signature_reply ?? null };
  }

  /** Sets the client signatures (a settings page, a test); a field left out is unchanged, null turns it off. */
  async setSignatures(mailboxId: string, s: { newMail?: string | null; reply?: string | null }): Promise<void> {
    await this.ctx.db.query(
      "UPDATE mailboxes SET signature_new_mail = CASE WHEN $2 THEN $3 ELSE signature_new_mail END, signature_reply = CASE WHEN $4 THEN $5 ELSE signature_reply END WHERE id = $1",
      [mailboxId, s.newMail !== undefined, s.newMail ?? null, s.reply !== undefined, s.reply ?? null],
    );
  }

  async grant(mailboxId: string, userId: string, rights: Exclude<MailboxRights, "owner">): Promise<void> {
    const { rows } = await this.ctx.db.query<{ t1: string; t2: string }>(
      "SELECT m.tenant_id AS t1, u.tenant_id AS t2 FROM mailboxes m, users u WHERE m.id = $1 AND u.id = $2",
      [mailboxId, userId],
    );
    if (!rows[0]) throw notFound("mailbox or user");
    if (rows[0].t1 !== rows[0].t2) throw invalid("delegation across tenants is not allowed");
    await this.ctx.db.query(
      "INSERT INTO mailbox_access (mailbox_id, user_id, rights) VALUES ($1, $2, $3) ON CONFLICT (mailbox_id, user_id) DO UPDATE SET rights = EXCLUDED.rights WHERE mailbox_access.rights <> 'owner'",
      [mailboxId, userId, rights],
    );
  }

  async revoke(mailboxId: string, userId: string): Promise<void> {
    await this.ctx.db.query("DELETE FROM mailbox_access WHERE mailbox_id = $1 AND user_id = $2 AND rights <> 'owner'", [mailboxId, userId]);
  }

  /** The user's rights on the mailbox, or undefined when the user may not open it. */
  async rightsOf(userId: string, mailboxId: string): Promise<MailboxRights | undefined> {
    const { rows } = await this.ctx.db.query<{ rights: MailboxRights }>("SELECT rights FROM mailbox_access WHERE mailbox_id = $1 AND user_id = $2", [mailboxId, userId]);
    return rows[0]?.rights;
  }

  async listForUser(userId: string): Promise<MailboxGrant[]> {
    const { rows } = await this.ctx.db.query<MailboxRow & { rights: MailboxRights }>(
      "SELECT m.*, a.rights FROM mailbox_access a JOIN mailboxes m ON m.id = a.mailbox_id WHERE a.user_id = $1 ORDER BY (a.rights = 'owner') DESC, m.email",
      [userId],
    );
    return rows.map((r) => ({ mailbox: toMailbox(r), rights: r.rights }));
  }

  // ---- folders ----

  async listFolders(mailboxId: string, options: { parentId?: string; deep?: boolean } = {}): Promise<Folder[]> {
    const { rows } = await this.ctx.db.query<FolderRow>(`${FOLDER_SELECT} WHERE f.mailbox_id = $1 ORDER BY f.created_at, f.display_name`, [mailboxId]);
    const all = rows.map(toFolder);
    if (options.parentId === undefined) return all;
    if (!options.deep) return all.filter((f) => f.parentId === options.parentId);
    const out: Folder[] = [];
    const walk = (parent: string) => {
      for (const f of all) if (f.parentId === parent) (out.push(f), walk(f.id));
    };
    walk(options.parentId);
    return out;
  }

  async getFolder(folderId: string): Promise<Folder | undefined> {
    const { rows } = await this.ctx.db.query<FolderRow>(`${FOLDER_SELECT} WHERE f.id = $1`, [folderId]);
    return rows[0] && toFolder(rows[0]);
  }

  /** Resolves a folder id or a well-known name ("inbox", "sentitems" …, case-insensitive) within one mailbox. */
  async resolveFolder(mailboxId: string, idOrWellKnown: string): Promise<Folder | undefined> {
    const wk = idOrWellKnown.toLowerCase();
    const { rows } = (WELL_KNOWN_FOLDERS as readonly string[]).includes(wk)
      ? await this.ctx.db.query<FolderRow>(`${FOLDER_SELECT} WHERE f.mailbox_id = $1 AND f.well_known = $2`, [mailboxId, wk])
      : await this.ctx.db.query<FolderRow>(`${FOLDER_SELECT} WHERE f.mailbox_id = $1 AND f.id = $2`, [mailboxId, idOrWellKnown]);
    return rows[0] && toFolder(rows[0]);
  }

  async wellKnownFolderId(tx: Queryable, mailboxId: string, wk: WellKnownFolder): Promise<string> {
    const { rows } = await tx.query<{ id: string }>("SELECT id FROM folders WHERE mailbox_id = $1 AND well_known = $2", [mailboxId, wk]);
    if (!rows[0]) throw notFound(`folder ${wk}`);
    return rows[0].id;
  }

  async createFolder(mailboxId: string, parentId: string, displayName: string): Promise<Folder> {
    const name = displayName.trim();
    if (name.length === 0 || name.length > 255) throw invalid("folder name must be 1–255 characters");
    const parent = await this.getFolder(parentId);
    if (!parent || parent.mailboxId !== mailboxId) throw notFound("parent folder");
    const { rows: clash } = await this.ctx.db.query("SELECT 1 FROM folders WHERE parent_id = $1 AND lower(display_name) = lower($2)", [parentId, name]);
    if (clash.length > 0) throw new MailboxError("Conflict", `a folder named "${name}" already exists there`);
    const id = newId();
    await this.ctx.db.query("INSERT INTO folders (id, mailbox_id, parent_id, display_name, folder_class) VALUES ($1, $2, $3, $4, $5)", [
      id,
      mailboxId,
      parentId,
      name,
      parent.folderClass,
    ]);
    return (await this.getFolder(id))!;
  }

  async renameFolder(folderId: string, displayName: string): Promise<Folder> {
    const folder = await this.getFolder(folderId);
    if (!folder) throw notFound("folder");
    if (folder.wellKnown) throw new MailboxError("AccessDenied", "well-known folders cannot be renamed");
    const name = displayName.trim();
    if (name.length === 0 || name.length > 255) throw invalid("folder name must be 1–255 characters");
    await this.ctx.db.query("UPDATE folders SET display_name = $2 WHERE id = $1", [folderId, name]);
    return (await this.getFolder(folderId))!;
  }
}

const FOLDER_SELECT = `SELECT f.*,
  (SELECT count(*) FROM items i WHERE i.folder_id = f.id) AS total_count,
  (SELECT count(*) FROM items i WHERE i.folder_id = f.id AND NOT i.is_read) AS unread_count,
  (SELECT count(*) FROM folders c WHERE c.parent_id = f.id) AS child_count
  FROM folders f`;

interface MailboxRow {
  id: string;
  tenant_id: string;
  owner_user_id: string | null;
  kind: "user" | "shared";
  email: string;
  display_name: string;
}
interface FolderRow {
  id: string;
  mailbox_id: string;
  parent_id: string | null;
  well_known: WellKnownFolder | null;
  display_name: string;
  folder_class: string;
  total_count: number;
  unread_count: number;
  child_count: number;
}
const toMailbox = (r: MailboxRow): Mailbox => ({ id: r.id, tenantId: r.tenant_id, ownerUserId: r.owner_user_id, kind: r.kind, email: r.email, displayName: r.display_name });
const toFolder = (r: FolderRow): Folder => ({
  id: r.id,
  mailboxId: r.mailbox_id,
  parentId: r.parent_id,
  wellKnown: r.well_known,
  displayName: r.display_name,
  folderClass: r.folder_class,
  totalCount: Number(r.total_count),
  unreadCount: Number(r.unread_count),
  childFolderCount: Number(r.child_count),
});
