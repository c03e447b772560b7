/**
 * When a measurement crosses a limit, per kind, as data. `immediate` kinds disable on the first
 * crossing; counted kinds disable when the per-session count reaches the limit.
 */
import type { ThresholdName, ThresholdValues, ThresholdUnit } from "./thresholds.ts";
import type { GovernanceKind } from "./types.ts";

export interface KindRule {
  /** Threshold the measurement is compared with (absent: the event itself is the failure). */
  measure?: { threshold: ThresholdName; unit: ThresholdUnit; crossedWhen: "above" | "at-least" };
  /** Counted kinds: the counter name and the threshold holding its limit. */
  count?: { counter: string; limit: ThresholdName };
  /** Disable on the first crossing. */
  immediate: boolean;
}

export const KIND_RULES: Readonly<Record<Exclude<GovernanceKind, "disabled" | "reenabled">, KindRule>> = {
  "activation-timeout": {
    measure: { threshold: "ActivationAlertThreshold", unit: "ms", crossedWhen: "above" },
    count: { counter: "activation-timeout", limit: "ActivationRetryLimit" },
    immediate: false,
  },
  "initialization-failure": {
    measure: { threshold: "InitializationTimeout", unit: "ms", crossedWhen: "above" },
    count: { counter: "initialization-failure", limit: "InitializationRetryLimit" },
    immediate: false,
  },
  cpu: {
    measure: { threshold: "CpuAlertPercent", unit: "percent", crossedWhen: "above" },
    count: { counter: "cpu", limit: "CpuAlertCount" },
    immediate: false,
  },
  memory: {
    measure: { threshold: "MemoryAlertThreshold", unit: "MB", crossedWhen: "above" },
    immediate: true,
  },
  crash: {
    count: { counter: "crash", limit: "RestartManagerRetryLimit" },
    immediate: false,
  },
  unresponsive: {
    measure: { threshold: "UnresponsiveSeconds", unit: "s", crossedWhen: "at-least" },
    immediate: true,
  },
};

export interface Evaluation {
  /** The measurement is over its limit (or the event is a failure in itself). */
  crossed: boolean;
  threshold?: number;
  unit?: ThresholdUnit;
  counter?: string;
  limit?: number;
  immediate: boolean;
}

/**
 * Pure decision for one measurement. A measurer that already decided (the activation engine stopped
 * a regex) passes `crossed: true`; without a measurement a measured kind counts as crossed when it
 * has none to compare (a thrown initializer, a crash).
 */
export function evaluate(kind: GovernanceKind, measured: number | undefined, thresholds: ThresholdValues, crossed?: boolean): Evaluation {
  if (kind === "disabled") return { crossed: true, immediate: true };
  if (kind === "reenabled") return { crossed: false, immediate: false };
  const rule = KIND_RULES[kind];
  const out: Evaluation = { crossed: true, immediate: rule.immediate };
  if (rule.measure) {
    const threshold = thresholds[rule.measure.threshold];
    out.threshold = threshold;
    out.unit = rule.measure.unit;
    if (crossed === undefined && measured !== undefined) out.crossed = rule.measure.crossedWhen === "above" ? measured > threshold : measured >= threshold;
    else if (crossed === undefined && (kind === "cpu" || kind === "memory" || kind === "unresponsive")) out.crossed = false;
  }
  if (crossed !== undefined) out.crossed = crossed;
  if (rule.count) {
    out.counter = rule.count.counter;
    out.limit = thresholds[rule.count.limit];
  }
  return out;
}
