/** The shapes governance stores and returns. */

export const GOVERNANCE_KINDS = [
  /** The add-in's activation regexes ran over ActivationAlertThreshold. Counted toward ActivationRetryLimit. */
  "activation-timeout",
  /** The add-in failed to start (onReady never came within InitializationTimeout, or it threw). Counted. */
  "initialization-failure",
  /** A CPU check: measured = % of one core. Over CpuAlertPercent counts toward CpuAlertCount. */
  "cpu",
  /** measured = MB used. Over MemoryAlertThreshold disables at once. */
  "memory",
  /** The add-in's runtime died. Counted toward RestartManagerRetryLimit. */
  "crash",
  /** measured = seconds without a heartbeat. At UnresponsiveSeconds or more disables at once. */
  "unresponsive",
  /** An explicit disable (admin, or a caller's own decision). */
  "disabled",
  "reenabled",
] as const;
export type GovernanceKind = (typeof GOVERNANCE_KINDS)[number];

/** What a measurer reports. `threshold` is informational: decisions use the tenant's effective thresholds. */
export interface GovernanceReport {
  tenant: string;
  user: string;
  addinId: string;
  /** Display name for the business bar text; the id is used when absent. */
  addinName?: string;
  /** Count-based limits accumulate per user + add-in + session. Defaults to "default". */
  session?: string;
  client?: string;
  kind: GovernanceKind;
  detail?: string;
  measured?: number;
  threshold?: number;
}

/** A stored report, with what Outpost decided about it. */
export interface GovernanceEvent extends GovernanceReport {
  id: string;
  at: string;
  unit?: string;
  /** For counted kinds: occurrences this session, this one included; and the limit. */
  count?: number;
  limit?: number;
  /** This event disabled the add-in for the user. */
  disabled: boolean;
  /** The sentence the web client shows in its business bar. */
  text: string;
}

export interface DisabledAddin {
  tenant: string;
  user: string;
  addinId: string;
  reason: string;
  text: string;
  eventId?: string;
  at: string;
}

export interface EventFilter {
  tenant?: string;
  user?: string;
  addinId?: string;
  kind?: GovernanceKind;
  /** Newest first; default 100, at most 1000. */
  limit?: number;
}
