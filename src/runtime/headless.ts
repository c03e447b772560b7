/**
 * The headless runner: one add-in, one item, one sandbox, the same shim and the same dispatch as the server.
 * Governance decides on what the sandbox measured; a crashing add-in is restarted as Outlook's restart manager
 * does, until the retry limit disables it.
 */
import type { AddinManifest, Rule } from "../manifest/model.ts";
import type { Item, Mailbox, User } from "../mailbox/index.ts";
import type { Mode, Supplementary, TenantPolicy, Tier } from "../permissions/index.ts";
import { BOOTSTRAP_MEMBER } from "./bridge/bootstrap.ts";
import type { RuntimeHost } from "./host.ts";
import { runInSandbox, type SandboxLimits, type SandboxRun, type SandboxScript } from "./sandbox/sandbox.ts";
import type { Session } from "./session.ts";
import type { TraceEntry } from "./trace.ts";

export interface HeadlessInput {
  host: RuntimeHost;
  user: User;
  mailbox: Mailbox;
  item: Item | null;
  scripts: SandboxScript[];
  addinId: string;
  addinName?: string;
  tier: Tier;
  supplementary?: readonly Supplementary[];
  form?: Mode;
  client?: string;
  tenant?: TenantPolicy;
  manifest?: AddinManifest;
  limits?: Partial<SandboxLimits>;
  /** Crash restarts before giving up; default: the tenant's RestartManagerRetryLimit. */
  restarts?: number;
  onReady?: (fire: (eventType: string, args?: unknown) => Promise<void>) => Promise<void> | void;
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
}

export function manifestRegexes(rule: Rule | undefined, out: Record<string, { source: string; ignoreCase: boolean }> = {}): Record<string, { source: string; ignoreCase: boolean }> {
  if (!rule) return out;
  if (rule.type === "ItemHasRegularExpressionMatch") out[rule.regExName] = { source: rule.regExValue, ignoreCase: rule.ignoreCase ?? false };
  if (rule.type === "RuleCollection") for (const r of rule.rules) manifestRegexes(r, out);
  return out;
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
  const notes: GovernanceNote[] = [];
  const runs: SandboxRun[] = [];
  const { session, client } = host.openSession({
    user: input.user,
    mailbox: input.mailbox,
    addinId: input.addinId,
    ...(input.addinName ? { addinName: input.addinName } : {}),
    item: input.item,
    form: input.form ?? "read",
    client: input.client ?? "web",
    tier: input.tier,
    supplementary: input.supplementary ?? input.manifest?.supplementary ?? [],
    ...(input.tenant ? { tenant: input.tenant } : {}),
    regexes: manifestRegexes(input.manifest?.rules),
  });
  let disabled = await gov.isDisabled(input.user.id, input.addinId);
  if (disabled) notes.push({ event: "disabled", detail: "The add-in is disabled for this user; it was not started." });
  let page: Record<string, string> = {};
  const consoleLines: string[] = [];
  for (let attempt = 0; !disabled && attempt <= restarts; attempt++) {
    const boot = await client.call(BOOTSTRAP_MEMBER, []);
    if (boot.outcome !== "ok") throw new Error(`bootstrap refused: ${boot.reason ?? boot.error?.message}`);
    const run = await runInSandbox({
      boot: boot.value,
      scripts: input.scripts,
      call: (member, args) => client.call(member, args),
      limits,
      ...(input.onReady ? { onReady: input.onReady } : {}),
    });
    runs.push(run);
    consoleLines.push(...run.console);
    page = { ...page, ...run.page };
    for (const e of run.events) {
      const recorded = await gov.recordEvent({
        tenant,
        user: input.user.id,
        addinId: input.addinId,
        addinName: input.addinName ?? input.addinId,
        session: session.id,
        client: input.client ?? "web",
        kind: e.kind,
        detail: e.detail,
        ...(e.measured !== undefined ? { measured: Math.round(e.measured * 1000) / 1000 } : {}),
        crossed: true,
      });
      notes.push({ event: e.kind, detail: e.detail, disabled: recorded.disabledNow, ...(recorded.event?.text ? { text: recorded.event.text } : {}) });
      disabled = recorded.disabled;
    }
    if (!run.events.some((e) => e.kind === "crash")) break;
  }
  return { trace: session.trace.filter((t) => t.path !== BOOTSTRAP_MEMBER), governance: notes, console: consoleLines, page, runs, session, disabled };
}
