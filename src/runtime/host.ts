/**
 * A runtime host: a mailbox store, the bridge's session registry and governance, with the conveniences the headless
 * runner, the test SDK and the server share: provision a user, put an item in the mailbox, open a session.
 */
import { createGovernance, type Governance } from "../governance/index.ts";
import { importMessages, openMailboxStore, type Item, type MailboxStore, type NewItem, type User, type Mailbox } from "../mailbox/index.ts";
import { EXCHANGE_ONLINE_POLICY, type ItemType, type Mode, type Supplementary, type TenantPolicy, type Tier } from "../permissions/index.ts";
import { BridgeClient } from "./bridge/client.ts";
import { dispatch, type BridgeHost } from "./bridge/dispatch.ts";
import { SessionRegistry, type Session } from "./session.ts";

export interface RuntimeHostOptions {
  /** An open store; by default an in-memory PGlite store owned (and closed) by the host. */
  store?: MailboxStore;
  governance?: Governance;
  baseUrl?: string;
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
  regexes?: Record<string, { source: string; ignoreCase: boolean }>;
}

export class RuntimeHost implements BridgeHost {
  readonly sessions = new SessionRegistry();
  private constructor(
    readonly store: MailboxStore,
    readonly governance: Governance,
    private readonly ownsStore: boolean,
    readonly baseUrl?: string,
  ) {}

  static async create(options: RuntimeHostOptions = {}): Promise<RuntimeHost> {
    const store = options.store ?? (await openMailboxStore({ memory: true }));
    const governance = options.governance ?? (await createGovernance());
    return new RuntimeHost(store, governance, options.store === undefined, options.baseUrl);
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

  openSession(input: OpenSessionInput): { session: Session; client: BridgeClient } {
    const itemType: ItemType = input.item?.itemType ?? "message";
    const session = this.sessions.open({
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
      ...(input.regexes ? { regexes: input.regexes } : {}),
    });
    const client = new BridgeClient({ id: session.id, secret: session.secret.toString("hex"), itemId: session.spec.itemId }, (m) => dispatch(this, m));
    return { session, client };
  }

  async close(): Promise<void> {
    if (this.ownsStore) await this.store.close();
  }
}
