/**
 * `import { createHost } from "outpost/testing"`: test an Outlook add-in in CI under Outlook's rules.
 *
 *   const host = await createHost();
 *   const item = await host.addItem({ eml: await readFile("hello.eml") });
 *   const addin = await host.loadAddin({ manifest: "manifest.xml" });          // or { id, tier }
 *   const run = await addin.run("taskpane.html", { item });                     // its code in the sandbox
 *   assert.deepEqual(run.trace.map((t) => t.member), ["item.body.getAsync"]);
 *   const r = await (await addin.open(item)).call("Office.context.mailbox.item.body.getAsync", ["text"]);
 *   await host.close();
 */
import type { Item, Mailbox, NewItem, User } from "../mailbox/index.ts";
import type { MailboxStore } from "../mailbox/index.ts";
import type { AddinManifest } from "../manifest/model.ts";
import { loadManifest } from "../manifest/parse.ts";
import type { Mode, Supplementary, TenantPolicy, Tier } from "../permissions/index.ts";
import type { CallResult } from "../runtime/bridge/protocol.ts";
import { readEntry } from "../runtime/entry.ts";
import { runHeadless, type HeadlessResult } from "../runtime/headless.ts";
import { activationSnapshot } from "../runtime/members/activation.ts";
import { RuntimeHost } from "../runtime/host.ts";
import type { SandboxLimits, SandboxScript } from "../runtime/sandbox/sandbox.ts";
import type { TraceEntry } from "../runtime/trace.ts";
import { inProcessEws, type InProcessEws } from "./ews.ts";

export type { CallResult, HeadlessResult, TraceEntry, SandboxLimits };

export interface AddinSpec {
  /** Path to the manifest (XML or unified JSON); gives id, tier, supplementary permissions and regexes. */
  manifest?: string | AddinManifest;
  id?: string;
  name?: string;
  /** Overrides the manifest's tier (try the add-in at another level). */
  tier?: Tier;
  supplementary?: Supplementary[];
  tenant?: TenantPolicy;
}

export interface OpenOptions {
  form?: Mode;
  client?: string;
}

export interface OpenedAddin {
  /** Calls one member through the real bridge and dispatch, as the shim would (args without callbacks). */
  call(member: string, args?: unknown[]): Promise<CallResult>;
  /** Every call of this session so far, as the auditor reads it. */
  trace(): Promise<TraceEntry[]>;
  readonly sessionId: string;
}

export interface RunOptions extends OpenOptions {
  item?: Item | null;
  limits?: Partial<SandboxLimits>;
  /** Drive the add-in once it is ready: fire Office events such as ItemChanged. */
  onReady?: (fire: (eventType: string, args?: unknown) => Promise<void>) => Promise<void> | void;
}

export class TestAddin {
  constructor(
    private readonly host: TestHost,
    readonly id: string,
    readonly name: string,
    readonly tier: Tier,
    readonly supplementary: Supplementary[],
    readonly manifest?: AddinManifest,
    readonly tenant?: TenantPolicy,
  ) {}

  async open(item: Item | null, options: OpenOptions = {}): Promise<OpenedAddin> {
    const runtime = this.host.runtime;
    const { session, client } = await runtime.openSession({
      user: this.host.user,
      mailbox: this.host.mailbox,
      addinId: this.id,
      addinName: this.name,
      item,
      form: options.form ?? "read",
      client: options.client ?? "web",
      tier: this.tier,
      supplementary: this.supplementary,
      ...(this.tenant ? { tenant: this.tenant } : {}),
      ...(this.manifest ? { activation: activationSnapshot(this.manifest)! } : {}),
    });
    return { call: (member, args = []) => client.call(member, args), trace: () => runtime.sessions.trace(session.id), sessionId: session.id };
  }

  /** Runs the add-in's page (.html) or script (.js), or inline code, in the sandbox against the item. */
  async run(entry: string | { code: string }, options: RunOptions = {}): Promise<HeadlessResult> {
    const scripts: SandboxScript[] = typeof entry === "string" ? await readEntry(entry) : [{ name: "inline.js", code: entry.code }];
    return runHeadless({
      host: this.host.runtime,
      user: this.host.user,
      mailbox: this.host.mailbox,
      item: options.item === undefined ? (this.host.lastItem ?? null) : options.item,
      scripts,
      addinId: this.id,
      addinName: this.name,
      tier: this.tier,
      supplementary: this.supplementary,
      form: options.form ?? "read",
      client: options.client ?? "web",
      ...(this.tenant ? { tenant: this.tenant } : {}),
      ...(this.manifest ? { manifest: this.manifest } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.onReady ? { onReady: options.onReady } : {}),
    });
  }
}

export class TestHost {
  lastItem: Item | undefined;
  constructor(
    readonly runtime: RuntimeHost,
    readonly user: User,
    readonly mailbox: Mailbox,
    private readonly ewsServer?: InProcessEws,
  ) {}

  get store(): MailboxStore {
    return this.runtime.store;
  }

  /** Puts an item in the mailbox: RFC 822 bytes, or fields. Compose items go to Drafts. */
  async addItem(input: { eml?: string | Uint8Array; fields?: NewItem; folder?: string }): Promise<Item> {
    const folder = input.folder ?? (input.fields?.isDraft ? "drafts" : "inbox");
    const item = input.eml !== undefined ? await this.runtime.importEml(this.mailbox, input.eml, folder) : await this.runtime.createItem(this.mailbox, input.fields ?? {}, folder);
    this.lastItem = item;
    return item;
  }

  async getItem(id: string): Promise<Item | undefined> {
    return this.store.items.get(id);
  }

  async loadAddin(spec: AddinSpec): Promise<TestAddin> {
    const manifest = typeof spec.manifest === "string" ? await loadManifest(spec.manifest) : spec.manifest;
    const id = spec.id ?? manifest?.id ?? "test-addin";
    const tier = spec.tier ?? manifest?.tier ?? "ReadItem";
    return new TestAddin(this, id, spec.name ?? manifest?.name.value ?? id, tier, spec.supplementary ?? manifest?.supplementary ?? [], manifest, spec.tenant);
  }

  /** Governance events stored for this user (e.g. after a run that was stopped). */
  async governanceEvents() {
    return this.runtime.governance.listEvents({ user: this.user.id });
  }

  async close(): Promise<void> {
    await this.ewsServer?.close();
    await this.runtime.close();
  }
}

export async function createHost(options: { store?: MailboxStore; email?: string; displayName?: string } = {}): Promise<TestHost> {
  const runtime = await RuntimeHost.create(options.store ? { store: options.store } : {});
  // makeEwsRequestAsync reaches the real EWS operations over the same store.
  const ews = inProcessEws(runtime.store);
  runtime.ews = ews.ews;
  const { user, mailbox } = await runtime.provisionUser({ ...(options.email ? { email: options.email } : {}), ...(options.displayName ? { displayName: options.displayName } : {}) });
  return new TestHost(runtime, user, mailbox, ews);
}
