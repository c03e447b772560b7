/**
 * Governance of misbehaving add-ins: measurers (headless sandbox, browser heartbeat, activation
 * engine) report; this decides against the tenant's thresholds, stores the event with its business
 * bar text, and disables the add-in for the user on every client until re-enabled.
 */
import type { Db } from "../mailbox/db/db.ts";
import { migrate } from "../mailbox/db/migrate.ts";
import { MemoryGovernanceStorage } from "./memory-storage.ts";
import { evaluate, type Evaluation } from "./rules.ts";
import { SqlGovernanceStorage } from "./sql-storage.ts";
import type { GovernanceStorage } from "./storage.ts";
import { eventText } from "./texts.ts";
import { checkOverride, effectiveThresholds, type ThresholdName, type ThresholdValues } from "./thresholds.ts";
import type { DisabledAddin, EventFilter, GovernanceEvent, GovernanceReport } from "./types.ts";
import { GOVERNANCE_KINDS } from "./types.ts";

export const DEFAULT_SESSION = "default";

export interface RecordResult {
  /** The stored event; absent when the measurement stayed within its limit (nothing is stored then). */
  event?: GovernanceEvent;
  evaluation: Evaluation;
  /** The add-in is disabled for the user now (by this event or before). */
  disabled: boolean;
  /** This report is what disabled it. */
  disabledNow: boolean;
}

export class GovernanceInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GovernanceInputError";
  }
}

const ID_MAX = 256;

function requireId(field: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > ID_MAX) throw new GovernanceInputError(`${field} must be a non-empty string of at most ${ID_MAX} characters`);
  return value;
}

function optionalText(field: string, value: unknown, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new GovernanceInputError(`${field} must be a string`);
  return value.slice(0, max);
}

function optionalNumber(field: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new GovernanceInputError(`${field} must be a finite number ≥ 0`);
  return value;
}

export class Governance {
  constructor(readonly storage: GovernanceStorage) {}

  /** Defaults with the tenant's overrides applied. */
  async thresholdsFor(tenant: string): Promise<ThresholdValues> {
    return effectiveThresholds((await this.storage.overrides(requireId("tenant", tenant))) as Partial<ThresholdValues>);
  }

  /** The ActivationOptions.thresholds to pass to evaluateActivation for this tenant. */
  async activationThresholdsFor(tenant: string): Promise<{ alertThresholdMs: number; retryLimit: number }> {
    const t = await this.thresholdsFor(tenant);
    return { alertThresholdMs: t.ActivationAlertThreshold, retryLimit: t.ActivationRetryLimit };
  }

  /** Sets a tenant admin override; throws ThresholdOverrideError (unknown name, fixed, out of range). */
  async setOverride(tenant: string, name: string, value: unknown): Promise<void> {
    const checked = checkOverride(name, value);
    await this.storage.setOverride(requireId("tenant", tenant), name, checked);
  }

  async clearOverride(tenant: string, name: ThresholdName): Promise<boolean> {
    return this.storage.clearOverride(requireId("tenant", tenant), name);
  }

  async overrides(tenant: string): Promise<Partial<ThresholdValues>> {
    return (await this.storage.overrides(requireId("tenant", tenant))) as Partial<ThresholdValues>;
  }

  /** Evaluates one measurement for the tenant without storing anything. */
  async evaluate(report: Pick<GovernanceReport, "tenant" | "kind" | "measured"> & { crossed?: boolean }): Promise<Evaluation> {
    return evaluate(report.kind, report.measured, await this.thresholdsFor(report.tenant), report.crossed);
  }

  /**
   * Records a measurement. Within its limit: nothing stored. Over it: an event is stored; counted
   * kinds add one to the user+add-in+session counter and disable at the limit, immediate kinds disable at once.
   * `crossed: true` says the measurer already decided (e.g. the activation engine stopped a regex).
   */
  async recordEvent(input: GovernanceReport & { crossed?: boolean }): Promise<RecordResult> {
    const report = this.checkReport(input);
    const evaluation = await this.evaluate({ tenant: report.tenant, kind: report.kind, measured: report.measured, crossed: input.crossed });
    if (report.kind === "reenabled") {
      await this.reenable(report.user, report.addinId, { tenant: report.tenant, addinName: report.addinName, detail: report.detail });
      return { evaluation, disabled: false, disabledNow: false };
    }
    if (!evaluation.crossed) return { evaluation, disabled: (await this.storage.getDisabled(report.user, report.addinId)) !== undefined, disabledNow: false };
    if (report.kind === "disabled") {
      const r = await this.disable(report.user, report.addinId, report.detail ?? "disabled", { tenant: report.tenant, addinName: report.addinName, session: report.session, client: report.client });
      return { event: r.event, evaluation, disabled: true, disabledNow: r.disabledNow };
    }
    const session = report.session ?? DEFAULT_SESSION;
    const count = evaluation.counter ? await this.storage.increment(report.user, report.addinId, session, evaluation.counter) : undefined;
    const reachesLimit = evaluation.immediate || (count !== undefined && evaluation.limit !== undefined && count >= evaluation.limit);
    const already = await this.storage.getDisabled(report.user, report.addinId);
    const disabling = reachesLimit && !already;
    const name = report.addinName ?? report.addinId;
    const text = eventText({ kind: report.kind, name, measured: report.measured, threshold: evaluation.threshold, count, limit: evaluation.limit, disabled: disabling, detail: report.detail });
    const event = await this.storage.insertEvent({
      tenant: report.tenant,
      user: report.user,
      addinId: report.addinId,
      addinName: report.addinName,
      session,
      client: report.client,
      kind: report.kind,
      detail: report.detail,
      measured: report.measured,
      threshold: evaluation.threshold,
      unit: evaluation.unit,
      count,
      limit: evaluation.limit,
      disabled: disabling,
      text,
    });
    let disabledNow = false;
    if (disabling) disabledNow = await this.storage.setDisabled({ tenant: report.tenant, user: report.user, addinId: report.addinId, reason: report.kind, text, eventId: event.id });
    return { event: stripUndefined(event), evaluation, disabled: reachesLimit || already !== undefined, disabledNow };
  }

  /** Disables the add-in for the user on every client. Returns the stored event (absent when it already was disabled). */
  async disable(
    user: string,
    addinId: string,
    reason: string,
    options: { tenant?: string; addinName?: string; session?: string; client?: string } = {},
  ): Promise<{ event?: GovernanceEvent; disabledNow: boolean }> {
    requireId("user", user);
    requireId("addinId", addinId);
    const why = optionalText("reason", reason, 500) ?? "disabled";
    const tenant = options.tenant ?? "default";
    if (await this.storage.getDisabled(user, addinId)) return { disabledNow: false };
    const text = eventText({ kind: "disabled", name: options.addinName ?? addinId, disabled: true, detail: why });
    const event = await this.storage.insertEvent({ tenant, user, addinId, addinName: options.addinName, session: options.session, client: options.client, kind: "disabled", detail: why, disabled: true, text });
    const disabledNow = await this.storage.setDisabled({ tenant, user, addinId, reason: why, text, eventId: event.id });
    return { event: stripUndefined(event), disabledNow };
  }

  /** Re-enables the add-in for the user and forgets its counts. Returns false when it was not disabled. */
  async reenable(user: string, addinId: string, options: { tenant?: string; addinName?: string; detail?: string } = {}): Promise<boolean> {
    requireId("user", user);
    requireId("addinId", addinId);
    const row = await this.storage.clearDisabled(user, addinId);
    await this.storage.resetCounters(user, addinId);
    if (!row) return false;
    const text = eventText({ kind: "reenabled", name: options.addinName ?? addinId, disabled: false });
    await this.storage.insertEvent({ tenant: options.tenant ?? row.tenant, user, addinId, addinName: options.addinName, kind: "reenabled", detail: options.detail, disabled: false, text });
    return true;
  }

  /** Disabled for this user, whatever the client. */
  async isDisabled(user: string, addinId: string): Promise<boolean> {
    return (await this.storage.getDisabled(user, addinId)) !== undefined;
  }

  async getDisabled(user: string, addinId: string): Promise<DisabledAddin | undefined> {
    return this.storage.getDisabled(user, addinId);
  }

  /** The user's disabled add-ins, each with the text its business bar shows. */
  async listDisabled(user: string): Promise<DisabledAddin[]> {
    return this.storage.listDisabled(requireId("user", user));
  }

  async listEvents(filter: EventFilter = {}): Promise<GovernanceEvent[]> {
    if (filter.kind !== undefined && !(GOVERNANCE_KINDS as readonly string[]).includes(filter.kind)) throw new GovernanceInputError(`unknown event kind "${filter.kind}"`);
    return (await this.storage.listEvents(filter)).map(stripUndefined);
  }

  /** Occurrences of a counted kind for user + add-in + session (0 after re-enable). */
  async count(user: string, addinId: string, kind: "activation-timeout" | "initialization-failure" | "cpu" | "crash", session = DEFAULT_SESSION): Promise<number> {
    return this.storage.counterValue(user, addinId, session, kind);
  }

  private checkReport(input: GovernanceReport): GovernanceReport {
    if (typeof input !== "object" || input === null) throw new GovernanceInputError("report must be an object");
    if (!(GOVERNANCE_KINDS as readonly string[]).includes(input.kind)) throw new GovernanceInputError(`unknown event kind ${JSON.stringify(input.kind)} (known: ${GOVERNANCE_KINDS.join(", ")})`);
    return {
      tenant: requireId("tenant", input.tenant),
      user: requireId("user", input.user),
      addinId: requireId("addinId", input.addinId),
      addinName: optionalText("addinName", input.addinName, 255),
      session: input.session === undefined ? undefined : requireId("session", input.session),
      client: optionalText("client", input.client, 64),
      kind: input.kind,
      detail: optionalText("detail", input.detail, 2000),
      measured: optionalNumber("measured", input.measured),
      threshold: optionalNumber("threshold", input.threshold),
    };
  }
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function isDb(value: unknown): value is Db {
  return typeof (value as Db | undefined)?.query === "function" && typeof (value as Db | undefined)?.transaction === "function";
}

/**
 * Governance over the mailbox database: pass the `Db` or the `MailboxStore` (anything with `.db`);
 * migrations are applied if they were not. Without an argument: in memory (headless runs, tests).
 */
export async function createGovernance(store?: Db | { db: Db }): Promise<Governance> {
  if (store === undefined) return new Governance(new MemoryGovernanceStorage());
  const db = isDb(store) ? store : store.db;
  if (!isDb(db)) throw new GovernanceInputError("createGovernance needs a Db or a MailboxStore");
  await migrate(db);
  return new Governance(new SqlGovernanceStorage(db));
}
