/**
 * Regex-evaluation governance thresholds (reference §4.4) as data. Admins override them per tenant
 * (classic Outlook reads them from policy registry values); callers pass overrides per evaluation.
 */

export interface ThresholdSpec {
  /** Policy value name in `HKCU\Software\Policies\Microsoft\Office\16.0\WEF\Outlook\`. */
  policyName: string;
  /** Name used by older documentation. */
  legacyName: string;
  default: number;
  min: number;
  max: number;
  unit: "ms" | "count";
}

export const ACTIVATION_THRESHOLDS = {
  ActivationAlertThreshold: {
    policyName: "ActivationAlertThreshold",
    legacyName: "OutlookActivationAlertThreshold",
    default: 1000,
    min: 100,
    max: 10_000,
    unit: "ms",
  },
  ActivationRetryLimit: {
    policyName: "ActivationRetryLimit",
    legacyName: "OutlookActivationManagerRetryLimit",
    default: 3,
    min: 1,
    max: 5,
    unit: "count",
  },
} as const satisfies Record<string, ThresholdSpec>;

export interface ActivationThresholds {
  /** Time budget for all regexes of one add-in on one item, in ms. */
  alertThresholdMs: number;
  /** Timeouts after which the add-in is made unavailable. */
  retryLimit: number;
}

export const DEFAULT_THRESHOLDS: Readonly<ActivationThresholds> = {
  alertThresholdMs: ACTIVATION_THRESHOLDS.ActivationAlertThreshold.default,
  retryLimit: ACTIVATION_THRESHOLDS.ActivationRetryLimit.default,
};

export class ThresholdRangeError extends Error {}

function checked(spec: ThresholdSpec, value: number | undefined): number {
  if (value === undefined) return spec.default;
  if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
    throw new ThresholdRangeError(`${spec.policyName} must be an integer from ${spec.min} to ${spec.max} ${spec.unit}, got ${value}`);
  }
  return value;
}

/** Defaults plus overrides, each override checked against its documented range. */
export function resolveThresholds(overrides: Partial<ActivationThresholds> = {}): ActivationThresholds {
  return {
    alertThresholdMs: checked(ACTIVATION_THRESHOLDS.ActivationAlertThreshold, overrides.alertThresholdMs),
    retryLimit: checked(ACTIVATION_THRESHOLDS.ActivationRetryLimit, overrides.retryLimit),
  };
}
