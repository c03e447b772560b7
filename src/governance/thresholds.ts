/**
 * Governance thresholds as data (reference §4.4, with §4.2/§4.3 where they bound a measurement).
 * Each has its default, its allowed range and whether a tenant admin may override it; overrides are
 * validated against the range here, nowhere else.
 */
import { ACTIVATION_THRESHOLDS } from "../activation/thresholds.ts";

export const THRESHOLD_NAMES = [
  "ActivationAlertThreshold",
  "ActivationRetryLimit",
  "AlertInterval",
  "CpuAlertPercent",
  "CpuAlertCount",
  "MemoryAlertThreshold",
  "RestartManagerRetryLimit",
  "UnresponsiveSeconds",
  "InitializationTimeout",
  "InitializationRetryLimit",
] as const;
export type ThresholdName = (typeof THRESHOLD_NAMES)[number];

export type ThresholdUnit = "ms" | "s" | "MB" | "count" | "percent";

export interface GovernanceThreshold {
  name: ThresholdName;
  /** What the number limits, in a few words (CLI / docs). */
  meaning: string;
  unit: ThresholdUnit;
  default: number;
  min: number;
  max: number;
  /** False: Outlook offers no policy value for it; Outpost refuses tenant overrides. */
  overridable: boolean;
  /** Policy value name in `HKCU\Software\Policies\Microsoft\Office\16.0\WEF\Outlook\`, where one exists. */
  policyName?: string;
  legacyName?: string;
}

const activation = ACTIVATION_THRESHOLDS;

export const GOVERNANCE_THRESHOLDS: Readonly<Record<ThresholdName, GovernanceThreshold>> = {
  ActivationAlertThreshold: {
    name: "ActivationAlertThreshold",
    meaning: "time budget for all regexes of one add-in on one item",
    unit: "ms",
    default: activation.ActivationAlertThreshold.default,
    min: activation.ActivationAlertThreshold.min,
    max: activation.ActivationAlertThreshold.max,
    overridable: true,
    policyName: activation.ActivationAlertThreshold.policyName,
    legacyName: activation.ActivationAlertThreshold.legacyName,
  },
  ActivationRetryLimit: {
    name: "ActivationRetryLimit",
    meaning: "regex time-outs after which the add-in is disabled",
    unit: "count",
    default: activation.ActivationRetryLimit.default,
    min: activation.ActivationRetryLimit.min,
    max: activation.ActivationRetryLimit.max,
    overridable: true,
    policyName: activation.ActivationRetryLimit.policyName,
    legacyName: activation.ActivationRetryLimit.legacyName,
  },
  AlertInterval: {
    name: "AlertInterval",
    meaning: "seconds between CPU checks",
    unit: "s",
    default: 5,
    min: 5,
    max: 600,
    overridable: true,
    policyName: "AlertInterval",
  },
  CpuAlertPercent: {
    name: "CpuAlertPercent",
    meaning: "one core's usage above which a CPU check counts as over",
    unit: "percent",
    default: 90,
    min: 90,
    max: 90,
    overridable: false,
  },
  CpuAlertCount: {
    name: "CpuAlertCount",
    meaning: "CPU checks over the limit (in one session) that disable the add-in",
    unit: "count",
    default: 3,
    min: 3,
    max: 3,
    overridable: false,
  },
  MemoryAlertThreshold: {
    name: "MemoryAlertThreshold",
    meaning: "memory one add-in may use",
    unit: "MB",
    default: 1500,
    min: 1,
    max: 1500,
    overridable: true,
    policyName: "MemoryAlertThreshold",
  },
  RestartManagerRetryLimit: {
    name: "RestartManagerRetryLimit",
    meaning: "crashes (restarts) in one session that disable the add-in",
    unit: "count",
    // ADMX default (3) rather than the prose docs (4): the policy value is what an admin actually sets.
    default: 3,
    min: 1,
    max: 10,
    overridable: true,
    policyName: "RestartManagerRetryLimit",
  },
  UnresponsiveSeconds: {
    name: "UnresponsiveSeconds",
    meaning: "seconds without a heartbeat before the add-in counts as unresponsive",
    unit: "s",
    default: 5,
    min: 5,
    max: 5,
    overridable: false,
  },
  InitializationTimeout: {
    name: "InitializationTimeout",
    meaning: "time an add-in has to reach Office.onReady / Office.initialize",
    unit: "ms",
    // Outpost's own limit (Outlook documents none): the UI-unresponsiveness 5 s is what a user waits for a blank pane.
    default: 5000,
    min: 1000,
    max: 60_000,
    overridable: true,
  },
  InitializationRetryLimit: {
    name: "InitializationRetryLimit",
    meaning: "failed initializations (Office.onReady never reached, or it threw) in one session that disable the add-in",
    unit: "count",
    // Outlook counts "failures to activate/reactivate" with the activation retry limit; same default and range.
    default: activation.ActivationRetryLimit.default,
    min: activation.ActivationRetryLimit.min,
    max: activation.ActivationRetryLimit.max,
    overridable: true,
  },
};

export type ThresholdValues = Record<ThresholdName, number>;

export class ThresholdOverrideError extends Error {
  constructor(
    readonly threshold: string,
    message: string,
  ) {
    super(message);
    this.name = "ThresholdOverrideError";
  }
}

export function isThresholdName(value: string): value is ThresholdName {
  return (THRESHOLD_NAMES as readonly string[]).includes(value);
}

/** Checks one admin override; throws `ThresholdOverrideError` naming the threshold and its range. */
export function checkOverride(name: string, value: unknown): number {
  if (!isThresholdName(name)) throw new ThresholdOverrideError(name, `unknown governance threshold "${name}" (known: ${THRESHOLD_NAMES.join(", ")})`);
  const spec = GOVERNANCE_THRESHOLDS[name];
  if (!spec.overridable) throw new ThresholdOverrideError(name, `${name} is fixed at ${spec.default} ${spec.unit} and cannot be overridden`);
  if (typeof value !== "number" || !Number.isInteger(value) || value < spec.min || value > spec.max) {
    throw new ThresholdOverrideError(name, `${name} must be an integer from ${spec.min} to ${spec.max} ${spec.unit}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function defaultThresholds(): ThresholdValues {
  const values = {} as ThresholdValues;
  for (const name of THRESHOLD_NAMES) values[name] = GOVERNANCE_THRESHOLDS[name].default;
  return values;
}

/** Defaults with the tenant's (already validated) overrides applied. */
export function effectiveThresholds(overrides: Partial<Record<ThresholdName, number>>): ThresholdValues {
  const values = defaultThresholds();
  for (const [name, value] of Object.entries(overrides)) if (isThresholdName(name) && value !== undefined) values[name] = value;
  return values;
}
