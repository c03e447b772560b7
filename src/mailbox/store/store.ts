import type { Db } from "../db/db.ts";
import type { BlobStore } from "../blobs/blob-store.ts";
import { AddinData } from "./addin-data.ts";
import { Directory } from "./directory.ts";
import { Items } from "./items.ts";
import { Mailboxes } from "./mailboxes.ts";
import { SecurityEvents } from "./security-events.ts";
import { Tokens } from "../tokens/tokens.ts";
import type { Mailbox, User } from "./types.ts";

/** The mailbox store: every area over one database and one blob store. Holds no per-request state. */
export class MailboxStore {
  readonly directory: Directory;
  readonly mailboxes: Mailboxes;
  readonly items: Items;
  readonly addinData: AddinData;
  readonly security: SecurityEvents;
  readonly tokens: Tokens;

  constructor(
    readonly db: Db,
    readonly blobs: BlobStore,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {
    const ctx = { db, blobs };
    this.directory = new Directory(ctx);
    this.mailboxes = new Mailboxes(ctx);
    this.items = new Items(ctx, this.mailboxes);
    this.addinData = new AddinData(ctx);
    this.security = new SecurityEvents(ctx);
    this.tokens = new Tokens(ctx, this.directory, this.mailboxes, this.items);
  }

  /** A user and their own mailbox, in one call. */
  async provisionUser(input: { tenantId: string; email: string; displayName: string; password?: string; isAdmin?: boolean; timeZone?: string }): Promise<{ user: User; mailbox: Mailbox }> {
    const user = await this.directory.createUser(input);
    const mailbox = await this.mailboxes.createForUser(user);
    return { user, mailbox };
  }

  /** True when the store holds no tenant yet (`outpost serve --seed` seeds only then). */
  async isEmpty(): Promise<boolean> {
    const { rows } = await this.db.query("SELECT 1 FROM tenants LIMIT 1");
    return rows.length === 0;
  }

  async close(): Promise<void> {
    await this.db.close();
    await this.onClose();
  }
}
