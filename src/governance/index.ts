/**
 * Governance of misbehaving add-ins (issue 5 item 5). See docs/governance.md.
 *   const gov = await createGovernance(store.db);      // or createGovernance() in memory
 *   await gov.recordEvent({ tenant, user, addinId, kind: "memory", measured: 512 });
 *   await gov.isDisabled(user, addinId);
 */
export { createGovernance, Governance, GovernanceInputError, DEFAULT_SESSION, type RecordResult } from "./governance.ts";
export { activationSink, type ActivationSinkContext, type GovernanceActivationSink } from "./activation-sink.ts";
export {
  GOVERNANCE_THRESHOLDS,
  THRESHOLD_NAMES,
  ThresholdOverrideError,
  checkOverride,
  defaultThresholds,
  effectiveThresholds,
  isThresholdName,
  type GovernanceThreshold,
  type ThresholdName,
  type ThresholdUnit,
  type ThresholdValues,
} from "./thresholds.ts";
export { KIND_RULES, evaluate, type Evaluation, type KindRule } from "./rules.ts";
export { eventText } from "./texts.ts";
export { GOVERNANCE_KINDS, type DisabledAddin, type EventFilter, type GovernanceEvent, type GovernanceKind, type GovernanceReport } from "./types.ts";
export { MemoryGovernanceStorage } from "./memory-storage.ts";
export { SqlGovernanceStorage } from "./sql-storage.ts";
export type { GovernanceStorage } from "./storage.ts";
