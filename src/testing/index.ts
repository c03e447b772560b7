/**
 * `import { createHost } from "outpost/testing"`: test an Outlook add-in in CI under Outlook's rules.
 *
 *   const host = await createHost();
 *   const item = await host.addItem({ eml: await readFile("hello.eml") });
 *   const addin = await host.loadAddin({ manifest: "manifest.xml" });          // or { id, tier }
 *   const run = await addin.run("taskpane.html", { item });                     // its code in the sandbox
 *   assert.deepEqual(run.trace.map((t) => t.member), ["item.body.getAsync"]);
 *   const r = await (await addin.open(item)).call("Office.context.mailbox.item.body.getAsync", ["text"]);
 *   const send = await addin.fire("OnMessageSend", { entry: "launchevent.js", item: draft });   // send.smartAlert
 *   const cmd = await addin.invoke("markAsRead", { entry: "commands.html", item });            // cmd.completion
 *   await host.close();
 *
 * Pages (.html) run in the browser runtime (real Chromium, the host page and sandboxed frame of the web client),
 * scripts and inline code in the JavaScript-only runtime (isolated-vm), unless `runtime` says otherwise. One
 * Chromium is shared by every run of a host and closed with it.
 */
import type { Item, Mailbox, NewItem, User } from "../mailbox/index.ts";
import type { MailboxStore } from "../mailbox/index.ts";
import type { AddinManifest } from "../manifest/model.ts";
import { loadManifest } from "../manifest/parse.ts";
import type { Mode, Supplementary, TenantPolicy, Tier } from "../permissions/index.ts";
import type { CallResult } from "../runtime/bridge/protocol.ts";
import type { HeadlessResult } from "../runtime/headless.ts";
import { BrowserRuntime } from "../runtime/browser/runtime.ts";
import { parseMap, type UrlMapEntry } from "../runtime/browser/url-map.ts";
import { resolveInvocation } from "../runtime/events.ts";
import { runAddin, type AddinControl, type AddinRunResult, type RuntimeKind } from "../runtime/run-addin.ts";
import { EXCHANGE_ONLINE_POLICY, ON_PREMISES_POLICY } from "../permissions/index.ts";
import { activationSnapshot } from "../runtime/members/activation.ts";
import { RuntimeHost } from "../runtime/host.ts";
import type { SandboxLimits } from "../runtime/sandbox/sandbox.ts";
import type { TraceEntry } from "../runtime/trace.ts";
import { inProcessEws, type InProcessEws } from "./ews.ts";

export type { CallResult, HeadlessResult, TraceEntry, SandboxLimits, AddinRunResult, AddinControl, RuntimeKind };

export interface AddinSpec {
  /** Path to the manifest (XML or unified JSON); gives id, tier, supplementary permissions and regexes. */
  manifest?: string | AddinManifest;
  id?: string;
  name?: string;
  /** Overrides the manifest's tier (try the add-in at another level). */
  tier?: Tier;
  supplementary?: Supplementary[];
  tenant?: TenantPolicy;
  /** "online" (default: legacy tokens off, as Exchange Online) or "on-premises" (legacy tokens on). */
  exchange?: "online" | "on-premises";
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
  /** Default: "browser" for an .html page, "js" for a script or inline code. */
  runtime?: RuntimeKind;
  /** Browser runtime: the folder served as the add-in's origin (default: the manifest's folder, else the page's). */
  root?: string;
  /** Local copies of remote URLs: { "https://code.jquery.com/jquery-3.7.1.min.js": "node_modules/jquery/dist/jquery.min.js" }. */
  map?: Record<string, string>;
  /** Fetch unmapped remote URLs (default false: refused with an error naming the URL). */
  network?: boolean;
  runMs?: number;
  /** Drive the add-in once it is ready: fire Office events such as ItemChanged, or move it to another item. */
  onReady?: (control: AddinControl) => Promise<void> | void;
}

export interface InvokeOptions extends RunOptions {
  /** The function file / event runtime: its page (.html, browser runtime) or script (.js, JavaScript-only runtime). */
  entry: string;
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
    readonly manifestPath?: string,
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

  /** Runs the add-in's page (.html: browser runtime) or script (.js) or inline code (JavaScript-only runtime). */
  async run(entry: string | { code: string }, options: RunOptions = {}): Promise<AddinRunResult> {
    return this.execute(entry, options);
  }

  /** Runs a function command (a manifest FunctionName) or an event handler by name, and returns its completion. */
  async invoke(name: string, options: InvokeOptions): Promise<AddinRunResult> {
    return this.execute(options.entry, options, name);
  }

  /** Fires a launch event (OnNewMessageCompose, OnMessageSend, …) at the handler the manifest names. */
  async fire(eventType: string, options: InvokeOptions): Promise<AddinRunResult> {
    return this.execute(options.entry, options, eventType);
  }

  private async execute(entry: string | { code: string }, options: RunOptions, invoke?: string): Promise<AddinRunResult> {
    const runtime = options.runtime ?? (typeof entry === "string" && /\.html?$/i.test(entry) ? "browser" : "js");
    const maps: UrlMapEntry[] = [];
    for (const [prefix, path] of Object.entries(options.map ?? {})) maps.push(await parseMap(`${prefix}=${path}`));
    return runAddin({
      host: this.host.runtime,
      user: this.host.user,
      mailbox: this.host.mailbox,
      item: options.item === undefined ? (this.host.lastItem ?? null) : options.item,
      entry,
      addinId: this.id,
      addinName: this.name,
      tier: this.tier,
      supplementary: this.supplementary,
      ...(options.form ? { form: options.form } : {}),
      client: options.client ?? "web",
      ...(this.tenant ? { tenant: this.tenant } : {}),
      ...(this.manifest ? { manifest: this.manifest } : {}),
      ...(this.manifestPath ? { manifestPath: this.manifestPath } : {}),
      runtime,
      ...(invoke ? { invoke: resolveInvocation(this.manifest, invoke) } : {}),
      ...(options.root ? { root: options.root } : {}),
      maps,
      ...(options.network !== undefined ? { network: options.network } : {}),
      ...(runtime === "browser" ? { browser: await this.host.browser() } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      // A loaded CI machine can take seconds per page; the cap is only for pages that never go quiet.
      runMs: options.runMs ?? (runtime === "browser" ? 60_000 : 15_000),
      ...(options.onReady ? { onReady: options.onReady } : {}),
    });
  }
}

export class TestHost {
  lastItem: Item | undefined;
  private chromium: Promise<BrowserRuntime> | undefined;
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
    const tenant = spec.tenant ?? (spec.exchange === "on-premises" ? ON_PREMISES_POLICY : spec.exchange === "online" ? EXCHANGE_ONLINE_POLICY : undefined);
    return new TestAddin(this, id, spec.name ?? manifest?.name.value ?? id, tier, spec.supplementary ?? manifest?.supplementary ?? [], manifest, tenant, typeof spec.manifest === "string" ? spec.manifest : undefined);
  }

  /** The host's Chromium (launched on first use, shared by every browser-runtime run, closed with the host). */
  browser(): Promise<BrowserRuntime> {
    this.chromium ??= BrowserRuntime.launch();
    return this.chromium;
  }

  /** Governance events stored for this user (e.g. after a run that was stopped). */
  async governanceEvents() {
    return this.runtime.governance.listEvents({ user: this.user.id });
  }

  async close(): Promise<void> {
    if (this.chromium) await (await this.chromium).close();
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
