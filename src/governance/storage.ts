/** Where governance keeps its state: the mailbox database (sql-storage) or memory (memory-storage). */
import type { DisabledAddin, EventFilter, GovernanceEvent } from "./types.ts";

export type NewEvent = Omit<GovernanceEvent, "id" | "at">;

export interface GovernanceStorage {
  insertEvent(event: NewEvent): Promise<GovernanceEvent>;
  listEvents(filter: EventFilter): Promise<GovernanceEvent[]>;
  /** Adds one to the counter and returns the new value. */
  increment(user: string, addinId: string, session: string, counter: string): Promise<number>;
  counterValue(user: string, addinId: string, session: string, counter: string): Promise<number>;
  countersFor(user: string, session: string, counter: string): Promise<Map<string, number>>;
  resetCounters(user: string, addinId: string): Promise<void>;
  /** Marks the add-in disabled; false when it already was (the first reason stays). */
  setDisabled(row: Omit<DisabledAddin, "at">): Promise<boolean>;
  clearDisabled(user: string, addinId: string): Promise<DisabledAddin | undefined>;
  getDisabled(user: string, addinId: string): Promise<DisabledAddin | undefined>;
  listDisabled(user: string): Promise<DisabledAddin[]>;
  setOverride(tenant: string, name: string, value: number): Promise<void>;
  clearOverride(tenant: string, name: string): Promise<boolean>;
  overrides(tenant: string): Promise<Record<string, number>>;
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 100;
  return Math.max(1, Math.min(1000, Math.floor(limit)));
}
