/**
 * A runtime host: a mailbox store, the bridge's session registry and governance, with the conveniences the headless
 * runner, the test SDK and the server share: provision a user, put an item in the mailbox, open a session.
 */
import { createGovernance, type Governance } from "../governance/index.ts";
import { importMessages, openMailboxStore, type Item, type MailboxStore, type NewItem, type User, type Mailbox } from "../mailbox/index.ts";
import { EXCHANGE_ONLINE_POLICY, type ItemType, type Mode, type Supplementary, type TenantPolicy, type Tier } from "../permissions/index.ts";
import { BridgeClient } from "./bridge/client.ts";
import { dispatch, type BridgeHost } from "./bridge/dispatch.ts";
import { ItemCache } from "./bridge/item-cache.ts";
import type { ActivationSnapshot } from "./members/activation.ts";
import type { EwsExecutor } from "./members/ews.ts";
import { MemorySessionStore, type Session, type SessionStore } from "./session.ts";
import { SqlSessionStore } from "./sessions/sql-store.ts";

export interface RuntimeHostOptions {
  /** An open store; by default an in-memory PGlite store owned (and closed) by the host. */
  store?: MailboxStore;
  governance?: Governance;
  baseUrl?: string;
  /** Where sessions live: "memory" (default; one process) or "database" (the store's tables, as the server). */
  sessions?: "memory" | "database";
  /** makeEwsRequestAsync's way to the EWS operations (see src/testing/ews.ts); absent: it answers 5000. */
  ews?: EwsExecutor;
  /** Cache the session's item between calls (default true). */
  itemCache?: boolean;
}

export interface OpenSessionInput {
  user: User;
  mailbox: Mailbox;
  addinId: string;
  addinName?: string;
  item: Item | null;
  form?: Mode;
  client?: string;
  tier: Tier;
  supplementary?: readonly Supplementary[];
  tenant?: TenantPolicy;
  activation?: ActivationSnapshot;
}

export class RuntimeHost implements BridgeHost {
  readonly sessions: SessionStore;
  readonly items?: ItemCache;
  readonly baseUrl?: string;
  ews?: EwsExecutor;
  private constructor(
    readonly store: MailboxStore,
    readonly governance: Governance,
    private readonly ownsStore: boolean,
    options: RuntimeHostOptions,
  ) {
    this.sessions = options.sessions === "database" ? new SqlSessionStore(store.db) : new MemorySessionStore();
    if (options.itemCache !== false) this.items = new ItemCache();
    if (options.ews) this.ews = options.ews;
    if (options.baseUrl) this.baseUrl = options.baseUrl;
  }

  static async create(options: RuntimeHostOptions = {}): Promise<RuntimeHost> {
    const store = options.store ?? (await openMailboxStore({ memory: true }));
    const governance = options.governance ?? (await createGovernance());
    return new RuntimeHost(store, governance, options.store === undefined, options);
  }

  private userCounter = 0;

  async provisionUser(input: { email?: string; displayName?: string; tenantId?: string } = {}): Promise<{ user: User; mailbox: Mailbox }> {
    this.userCounter += 1;
    const tenantId = input.tenantId ?? (await this.store.directory.createTenant({ name: `tenant-${this.userCounter}` })).id;
    return this.store.provisionUser({ tenantId, email: input.email ?? `user${this.userCounter}-${Date.now()}@outpost.test`, displayName: input.displayName ?? `Test User ${this.userCounter}` });
  }

  /** Imports RFC 822 bytes into a folder and returns the stored item. */
  async importEml(mailbox: Mailbox, eml: Uint8Array | string, folder = "inbox"): Promise<Item> {
    const raw = typeof eml === "string" ? new TextEncoder().encode(eml) : eml;
    const before = new Set(await this.store.items.listIds(mailbox.id, null, 100_000));
    async function* one() {
      yield { raw, origin: "item.eml" };
    }
    const result = await importMessages(this.store, one(), { mailboxId: mailbox.id, folder });
    if (result.failed > 0) throw new Error(`The message could not be imported: ${result.failures[0]?.error ?? "unknown error"}`);
    const after = await this.store.items.listIds(mailbox.id, null, 100_000);
    const id = after.find((i) => !before.has(i));
    if (!id) throw new Error("The message was not imported (already in the mailbox?)");
    return (await this.store.items.get(id))!;
  }

  async createItem(mailbox: Mailbox, fields: NewItem, folder = "inbox"): Promise<Item> {
    const f = await this.store.mailboxes.resolveFolder(mailbox.id, folder);
    if (!f) throw new Error(`No folder ${folder}`);
    return this.store.items.create(mailbox.id, f.id, fields);
  }

  async openSession(input: OpenSessionInput): Promise<{ session: Session; client: BridgeClient }> {
    const itemType: ItemType = input.item?.itemType ?? "message";
    const session = await this.sessions.open({
      tenantId: input.user.tenantId,
      userId: input.user.id,
      mailboxId: input.mailbox.id,
      addinId: input.addinId,
      ...(input.addinName ? { addinName: input.addinName } : {}),
      itemId: input.item?.id ?? null,
      form: input.form ?? "read",
      itemType,
      client: input.client ?? "web",
      tier: input.tier,
      supplementary: input.supplementary ?? [],
      tenant: input.tenant ?? EXCHANGE_ONLINE_POLICY,
      ...(input.activation ? { activation: input.activation } : {}),
    });
    const client = new BridgeClient({ id: session.id, secret: session.secret.toString("hex"), itemId: session.spec.itemId }, (m) => dispatch(this, m));
    return { session, client };
  }

  async close(): Promise<void> {
    // Trace entries still waiting are written before the database may close.
    if (this.sessions instanceof SqlSessionStore) await this.sessions.flush().catch(() => undefined);
    if (this.ownsStore) await this.store.close();
  }
}
