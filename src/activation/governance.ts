/**
 * What activation tells the governance module: an add-in's regexes overran the time budget, or the
 * add-in was made unavailable after too many overruns. The runtime's governance module consumes
 * these through `ActivationGovernanceSink`; `ActivationGovernanceLedger` is an in-memory sink that
 * also answers "is this add-in disabled?" for callers without their own store.
 */
import type { ClientId } from "./clients.ts";

export interface RegexTimeoutEvent {
  kind: "regex-timeout";
  addinId: string;
  client: ClientId;
  /** Time the add-in's regexes ran before they were stopped (or finished over budget). */
  elapsedMs: number;
  thresholdMs: number;
  /** Timeouts of this add-in so far, this one included. */
  timeouts: number;
  retryLimit: number;
  /** The rule (RegExName / FilterName) running when the budget ran out, if known. */
  regexName?: string;
  /**
   * `client`: the client applies ActivationAlertThreshold itself (classic Windows, Mac).
   * `outpost-safety`: the client has no such governance; Outpost stopped the regex so the server stays responsive.
   */
  enforcement: "client" | "outpost-safety";
  at: string;
}

export interface AddinDisabledEvent {
  kind: "addin-disabled";
  addinId: string;
  client: ClientId;
  reason: "regex-timeouts";
  timeouts: number;
  retryLimit: number;
  at: string;
}

export type ActivationGovernanceEvent = RegexTimeoutEvent | AddinDisabledEvent;

export interface ActivationGovernanceSink {
  record(event: ActivationGovernanceEvent): void;
}

/** Optional state a sink can expose so activation honours earlier timeouts. */
export interface ActivationGovernanceState {
  timeoutCount(addinId: string): number;
  isDisabled(addinId: string): boolean;
}

export class ActivationGovernanceLedger implements ActivationGovernanceSink, ActivationGovernanceState {
  readonly events: ActivationGovernanceEvent[] = [];
  private readonly timeouts = new Map<string, number>();
  private readonly disabled = new Set<string>();

  record(event: ActivationGovernanceEvent): void {
    this.events.push(event);
    if (event.kind === "regex-timeout") this.timeouts.set(event.addinId, event.timeouts);
    if (event.kind === "addin-disabled") this.disabled.add(event.addinId);
  }

  timeoutCount(addinId: string): number {
    return this.timeouts.get(addinId) ?? 0;
  }

  isDisabled(addinId: string): boolean {
    return this.disabled.has(addinId);
  }

  /** The admin re-enabled the add-in (or the user restarted the client). */
  reset(addinId: string): void {
    this.timeouts.delete(addinId);
    this.disabled.delete(addinId);
  }
}

export function hasGovernanceState(sink: unknown): sink is ActivationGovernanceState {
  return typeof (sink as ActivationGovernanceState | undefined)?.isDisabled === "function" &&
    typeof (sink as ActivationGovernanceState | undefined)?.timeoutCount === "function";
}
