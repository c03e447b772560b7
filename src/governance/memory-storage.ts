/** Governance state in memory: the headless runner and tests without a database. Same semantics as SQL. */
import { clampLimit, type GovernanceStorage, type NewEvent } from "./storage.ts";
import type { DisabledAddin, EventFilter, GovernanceEvent } from "./types.ts";

export class MemoryGovernanceStorage implements GovernanceStorage {
  private readonly events: GovernanceEvent[] = [];
  private readonly counters = new Map<string, number>();
  private readonly disabled = new Map<string, DisabledAddin>();
  private readonly tenantOverrides = new Map<string, Map<string, number>>();
  private nextId = 1;

  async insertEvent(event: NewEvent): Promise<GovernanceEvent> {
    const stored: GovernanceEvent = { ...event, id: String(this.nextId++), at: new Date().toISOString() };
    this.events.push(stored);
    return { ...stored };
  }

  async listEvents(filter: EventFilter): Promise<GovernanceEvent[]> {
    const out: GovernanceEvent[] = [];
    const limit = clampLimit(filter.limit);
    for (let i = this.events.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.events[i]!;
      if (filter.tenant !== undefined && e.tenant !== filter.tenant) continue;
      if (filter.user !== undefined && e.user !== filter.user) continue;
      if (filter.addinId !== undefined && e.addinId !== filter.addinId) continue;
      if (filter.kind !== undefined && e.kind !== filter.kind) continue;
      out.push({ ...e });
    }
    return out;
  }

  async increment(user: string, addinId: string, session: string, counter: string): Promise<number> {
    const key = JSON.stringify([user, addinId, session, counter]);
    const value = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, value);
    return value;
  }

  async counterValue(user: string, addinId: string, session: string, counter: string): Promise<number> {
    return this.counters.get(JSON.stringify([user, addinId, session, counter])) ?? 0;
  }

  async countersFor(user: string, session: string, counter: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const [key, value] of this.counters) {
      const [u, addin, s, c] = JSON.parse(key) as string[];
      if (u === user && s === session && c === counter) out.set(addin!, value);
    }
    return out;
  }

  async resetCounters(user: string, addinId: string): Promise<void> {
    for (const key of [...this.counters.keys()]) {
      const [u, addin] = JSON.parse(key) as string[];
      if (u === user && addin === addinId) this.counters.delete(key);
    }
  }

  async setDisabled(row: Omit<DisabledAddin, "at">): Promise<boolean> {
    const key = JSON.stringify([row.user, row.addinId]);
    if (this.disabled.has(key)) return false;
    this.disabled.set(key, { ...row, at: new Date().toISOString() });
    return true;
  }

  async clearDisabled(user: string, addinId: string): Promise<DisabledAddin | undefined> {
    const key = JSON.stringify([user, addinId]);
    const row = this.disabled.get(key);
    this.disabled.delete(key);
    return row;
  }

  async getDisabled(user: string, addinId: string): Promise<DisabledAddin | undefined> {
    const row = this.disabled.get(JSON.stringify([user, addinId]));
    return row && { ...row };
  }

  async listDisabled(user: string): Promise<DisabledAddin[]> {
    return [...this.disabled.values()].filter((r) => r.user === user).map((r) => ({ ...r }));
  }

  async setOverride(tenant: string, name: string, value: number): Promise<void> {
    let map = this.tenantOverrides.get(tenant);
    if (!map) this.tenantOverrides.set(tenant, (map = new Map()));
    map.set(name, value);
  }

  async clearOverride(tenant: string, name: string): Promise<boolean> {
    return this.tenantOverrides.get(tenant)?.delete(name) ?? false;
  }

  async overrides(tenant: string): Promise<Record<string, number>> {
    return Object.fromEntries(this.tenantOverrides.get(tenant) ?? []);
  }
}
