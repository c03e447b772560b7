/**
 * The headless runner: one add-in, one item, one sandbox, the same shim and the same dispatch as the server.
 * Governance decides on what the sandbox measured; a crashing add-in is restarted as Outlook's restart manager
 * does, until the retry limit disables it.
 */
import type { AddinManifest } from "../manifest/model.ts";
import type { Item, Mailbox, User } from "../mailbox/index.ts";
import type { Mode, Supplementary, TenantPolicy, Tier } from "../permissions/index.ts";
import { BOOTSTRAP_MEMBER } from "./bridge/bootstrap.ts";
import type { RuntimeHost } from "./host.ts";
import { activationSnapshot } from "./members/activation.ts";
import { runInSandbox, type SandboxControl, type SandboxEvent, type SandboxLimits, type SandboxRun, type SandboxScript } from "./sandbox/sandbox.ts";
import type { CallResult } from "./bridge/protocol.ts";
import { PROTOCOL_VERSION } from "./bridge/protocol.ts";
import type { ShimInvoke } from "./shim/office.ts";
import type { Session } from "./session.ts";
import { shortMember, type TraceEntry } from "./trace.ts";

/** Who runs which add-in on what: what both runtimes need to open the add-in's bridge session. */
export interface AddinSessionSpec {
  host: RuntimeHost;
  user: User;
  mailbox: Mailbox;
  item: Item | null;
  addinId: string;
  addinName?: string;
  tier: Tier;
  supplementary?: readonly Supplementary[];
  form?: Mode;
  client?: string;
  tenant?: TenantPolicy;
  manifest?: AddinManifest;
  limits?: Partial<SandboxLimits>;
}

/** Opens the add-in's session on `item` (default: the spec's) with its tier, activation rules and tenant. */
export function openAddinSession(spec: AddinSessionSpec, item: Item | null = spec.item, form: Mode = spec.form ?? "read") {
  return spec.host.openSession({
    user: spec.user,
    mailbox: spec.mailbox,
    addinId: spec.addinId,
    ...(spec.addinName ? { addinName: spec.addinName } : {}),
    item,
    form,
    client: spec.client ?? "web",
    tier: spec.tier,
    supplementary: spec.supplementary ?? spec.manifest?.supplementary ?? [],
    ...(spec.tenant ? { tenant: spec.tenant } : {}),
    ...(spec.manifest ? { activation: activationSnapshot(spec.manifest)! } : {}),
  });
}

/** What a runtime saw (a stop in the sandbox, a frame that stopped answering): counted by governance. */
export interface RuntimeEvent {
  kind: SandboxEvent["kind"];
  detail: string;
  measured?: number;
}

/**
 * Records each event with governance, as Outlook counts them for the add-in and user; says whether the add-in is
 * now disabled, with the text Outlook shows. Both runtimes report through this.
 */
export async function recordGovernance(spec: AddinSessionSpec, session: Session, events: readonly RuntimeEvent[]): Promise<{ notes: GovernanceNote[]; disabled: boolean }> {
  const notes: GovernanceNote[] = [];
  let disabled = false;
  for (const e of events) {
    const recorded = await spec.host.governance.recordEvent({
      tenant: spec.user.tenantId,
      user: spec.user.id,
      addinId: spec.addinId,
      addinName: spec.addinName ?? spec.addinId,
      session: session.id,
      client: spec.client ?? "web",
      kind: e.kind,
      detail: e.detail,
      ...(e.measured !== undefined ? { measured: Math.round(e.measured * 1000) / 1000 } : {}),
      crossed: true,
    });
    notes.push({ event: e.kind, detail: e.detail, disabled: recorded.disabledNow, ...(recorded.event?.text ? { text: recorded.event.text } : {}) });
    disabled = recorded.disabled;
  }
  return { notes, disabled };
}

export interface HeadlessInput extends AddinSessionSpec {
  scripts: SandboxScript[];
  /** Crash restarts before giving up; default: the tenant's RestartManagerRetryLimit. */
  restarts?: number;
  /** Activation retries after a failed or slow initialization; default: the tenant's InitializationRetryLimit. */
  initRetries?: number;
  onReady?: (fire: (eventType: string, args?: unknown) => Promise<void>, control: SandboxControl) => Promise<void> | void;
  /** Run a function command or event handler once the code is loaded (the JavaScript-only runtime's job). */
  invoke?: ShimInvoke;
}

/** A call the page refused before it reached the server, in the trace's shape (where: "page"). */
export interface PageRefusal {
  where: "page";
  member: string;
  path: string;
  outcome: "denied";
  message: string;
}

export interface Completion {
  event: "AddinCommands.Event" | "MailboxEvent";
  completed: boolean;
  options: Record<string, unknown>;
  outcome?: string;
  error?: string;
}

export interface GovernanceNote {
  event: string;
  detail: string;
  disabled?: boolean;
  text?: string;
}

export interface HeadlessResult {
  trace: TraceEntry[];
  governance: GovernanceNote[];
  console: string[];
  page: Record<string, string>;
  runs: SandboxRun[];
  session: Session;
  disabled: boolean;
  refusals: PageRefusal[];
  /** The add-in's own exception (message and stack) when it crashed. */
  crash?: { message: string; stack?: string };
  /** For an invoked function command or event handler: its event.completed(), or completed: false. */
  completion?: Completion;
}

const COMPLETED = new Set(["Office.MailboxEvent.completed", "Office.AddinCommands.Event.completed"]);

/** Office.context.ui has no UI to show in the JavaScript-only runtime (as in classic Outlook's event runtime). */
function uiUnavailable(): CallResult {
  return { v: PROTOCOL_VERSION, seq: 0, outcome: "failed", error: { code: 5000, name: "API Not Supported", message: "Office.context.ui is not available in the JavaScript-only runtime." } };
}

export async function runHeadless(input: HeadlessInput): Promise<HeadlessResult> {
  const { host } = input;
  const gov = host.governance;
  const tenant = input.user.tenantId;
  const thresholds = await gov.thresholdsFor(tenant);
  const limits: Partial<SandboxLimits> = {
    initTimeoutMs: thresholds.InitializationTimeout,
    busyLimitMs: thresholds.UnresponsiveSeconds * 1000,
    ...input.limits,
  };
  const restarts = input.restarts ?? thresholds.RestartManagerRetryLimit;
  const initRetries = input.initRetries ?? thresholds.InitializationRetryLimit;
  const notes: GovernanceNote[] = [];
  const runs: SandboxRun[] = [];
  const { session, client } = await openAddinSession(input);
  let disabled = await gov.isDisabled(input.user.id, input.addinId);
  if (disabled) notes.push({ event: "disabled", detail: "The add-in is disabled for this user; it was not started." });
  let page: Record<string, string> = {};
  const consoleLines: string[] = [];
  // Outlook's restart manager restarts a crashed add-in, and activation is retried after a failed or slow
  // initialization; each attempt is counted by governance, which disables the add-in at the tenant's limit.
  let crashes = 0;
  let initFailures = 0;
  let completion: Completion | undefined;
  const call = async (member: string, args: unknown[]): Promise<CallResult> => {
    if (member.startsWith("Outpost.ui.")) return uiUnavailable();
    const r = await client.call(member, args);
    if (COMPLETED.has(member) && !completion) {
      completion = {
        event: member === "Office.MailboxEvent.completed" ? "MailboxEvent" : "AddinCommands.Event",
        completed: r.outcome === "ok",
        options: (args[0] && typeof args[0] === "object" ? args[0] : {}) as Record<string, unknown>,
        outcome: r.outcome,
        ...(r.outcome !== "ok" ? { error: r.error?.message ?? r.outcome } : {}),
      };
    }
    return r;
  };
  const invoke = input.invoke;
  const onReady =
    input.onReady || invoke
      ? async (fire: (eventType: string, args?: unknown) => Promise<void>, control: SandboxControl) => {
          if (invoke) await control.invoke(invoke);
          if (input.onReady) await input.onReady(fire, control);
        }
      : undefined;
  while (!disabled) {
    const boot = await client.call(BOOTSTRAP_MEMBER, []);
    if (boot.outcome !== "ok") throw new Error(`bootstrap refused: ${boot.reason ?? boot.error?.message}`);
    const run = await runInSandbox({
      boot: boot.value,
      scripts: input.scripts,
      call,
      limits,
      ...(onReady ? { onReady } : {}),
    });
    runs.push(run);
    consoleLines.push(...run.console);
    page = { ...page, ...run.page };
    const recorded = await recordGovernance(input, session, run.events);
    notes.push(...recorded.notes);
    disabled ||= recorded.disabled;
    if (run.events.some((e) => e.kind === "crash")) crashes += 1;
    else if (run.events.some((e) => e.kind === "initialization-failure")) initFailures += 1;
    else break;
    if (crashes > restarts || initFailures > initRetries) break;
  }
  const trace = (await host.sessions.trace(session.id)).filter((t) => t.path !== BOOTSTRAP_MEMBER);
  const refusals: PageRefusal[] = runs.flatMap((r) => r.refusals).map((r) => ({ where: "page" as const, member: shortMember(r.member), path: r.member, outcome: "denied" as const, message: r.message }));
  const crashed = runs.flatMap((r) => r.events).find((e) => e.kind === "crash");
  const crash = crashed ? { message: crashed.detail.replace(/^The add-in threw: /, ""), ...(crashed.stack ? { stack: crashed.stack } : {}) } : undefined;
  if (invoke && !completion) completion = { event: invoke.kind === "function" ? "AddinCommands.Event" : "MailboxEvent", completed: false, options: {}, error: "The handler finished without calling event.completed()." };
  return { trace, governance: notes, console: consoleLines, page, runs, session, disabled, refusals, ...(crash ? { crash } : {}), ...(completion ? { completion } : {}) };
}
