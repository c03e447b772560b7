/** Governance state in the mailbox database (PGlite or PostgreSQL; tables from migrations/002_governance.sql). */
import type { Queryable } from "../mailbox/db/db.ts";
import { clampLimit, type GovernanceStorage, type NewEvent } from "./storage.ts";
import type { DisabledAddin, EventFilter, GovernanceEvent, GovernanceKind } from "./types.ts";

interface EventRow {
  id: string;
  at: Date | string;
  tenant_id: string;
  user_id: string;
  addin_id: string;
  addin_name: string | null;
  session_id: string | null;
  client: string | null;
  kind: string;
  detail: string | null;
  measured: number | null;
  threshold: number | null;
  unit: string | null;
  count: number | null;
  limit_count: number | null;
  disabled: boolean;
  text: string;
}

interface DisabledRow {
  tenant_id: string;
  user_id: string;
  addin_id: string;
  reason: string;
  text: string;
  event_id: string | null;
  disabled_at: Date | string;
}

const EVENT_COLUMNS = "id::text AS id, at, tenant_id, user_id, addin_id, addin_name, session_id, client, kind, detail, measured, threshold, unit, count, limit_count, disabled, text";
const DISABLED_COLUMNS = "tenant_id, user_id, addin_id, reason, text, event_id::text AS event_id, disabled_at";

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

function toEvent(r: EventRow): GovernanceEvent {
  const e: GovernanceEvent = { id: r.id, at: iso(r.at), tenant: r.tenant_id, user: r.user_id, addinId: r.addin_id, kind: r.kind as GovernanceKind, disabled: r.disabled, text: r.text };
  if (r.addin_name !== null) e.addinName = r.addin_name;
  if (r.session_id !== null) e.session = r.session_id;
  if (r.client !== null) e.client = r.client;
  if (r.detail !== null) e.detail = r.detail;
  if (r.measured !== null) e.measured = Number(r.measured);
  if (r.threshold !== null) e.threshold = Number(r.threshold);
  if (r.unit !== null) e.unit = r.unit;
  if (r.count !== null) e.count = r.count;
  if (r.limit_count !== null) e.limit = r.limit_count;
  return e;
}

function toDisabled(r: DisabledRow): DisabledAddin {
  const d: DisabledAddin = { tenant: r.tenant_id, user: r.user_id, addinId: r.addin_id, reason: r.reason, text: r.text, at: iso(r.disabled_at) };
  if (r.event_id !== null) d.eventId = r.event_id;
  return d;
}

export class SqlGovernanceStorage implements GovernanceStorage {
  constructor(private readonly db: Queryable) {}

  async insertEvent(e: NewEvent): Promise<GovernanceEvent> {
    const { rows } = await this.db.query<EventRow>(
      `INSERT INTO governance_events (tenant_id, user_id, addin_id, addin_name, session_id, client, kind, detail, measured, threshold, unit, count, limit_count, disabled, text)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING ${EVENT_COLUMNS}`,
      [e.tenant, e.user, e.addinId, e.addinName ?? null, e.session ?? null, e.client ?? null, e.kind, e.detail ?? null, e.measured ?? null, e.threshold ?? null, e.unit ?? null, e.count ?? null, e.limit ?? null, e.disabled, e.text],
    );
    return toEvent(rows[0]!);
  }

  async listEvents(filter: EventFilter): Promise<GovernanceEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    add("tenant_id", filter.tenant);
    add("user_id", filter.user);
    add("addin_id", filter.addinId);
    add("kind", filter.kind);
    params.push(clampLimit(filter.limit));
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM governance_events ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEvent);
  }

  async increment(user: string, addinId: string, session: string, counter: string): Promise<number> {
    const { rows } = await this.db.query<{ count: number }>(
      `INSERT INTO governance_counters (user_id, addin_id, session_id, counter, count) VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (user_id, addin_id, session_id, counter) DO UPDATE SET count = governance_counters.count + 1 RETURNING count`,
      [user, addinId, session, counter],
    );
    return rows[0]!.count;
  }

  async counterValue(user: string, addinId: string, session: string, counter: string): Promise<number> {
    const { rows } = await this.db.query<{ count: number }>(
      "SELECT count FROM governance_counters WHERE user_id = $1 AND addin_id = $2 AND session_id = $3 AND counter = $4",
      [user, addinId, session, counter],
    );
    return rows[0]?.count ?? 0;
  }

  async countersFor(user: string, session: string, counter: string): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ addin_id: string; count: number }>(
      "SELECT addin_id, count FROM governance_counters WHERE user_id = $1 AND session_id = $2 AND counter = $3",
      [user, session, counter],
    );
    return new Map(rows.map((r) => [r.addin_id, r.count]));
  }

  async resetCounters(user: string, addinId: string): Promise<void> {
    await this.db.query("DELETE FROM governance_counters WHERE user_id = $1 AND addin_id = $2", [user, addinId]);
  }

  async setDisabled(row: Omit<DisabledAddin, "at">): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO addin_disabled (user_id, addin_id, tenant_id, reason, text, event_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (user_id, addin_id) DO NOTHING RETURNING user_id`,
      [row.user, row.addinId, row.tenant, row.reason, row.text, row.eventId ?? null],
    );
    return rows.length === 1;
  }

  async clearDisabled(user: string, addinId: string): Promise<DisabledAddin | undefined> {
    const { rows } = await this.db.query<DisabledRow>(`DELETE FROM addin_disabled WHERE user_id = $1 AND addin_id = $2 RETURNING ${DISABLED_COLUMNS}`, [user, addinId]);
    return rows[0] && toDisabled(rows[0]);
  }

  async getDisabled(user: string, addinId: string): Promise<DisabledAddin | undefined> {
    const { rows } = await this.db.query<DisabledRow>(`SELECT ${DISABLED_COLUMNS} FROM addin_disabled WHERE user_id = $1 AND addin_id = $2`, [user, addinId]);
    return rows[0] && toDisabled(rows[0]);
  }

  async listDisabled(user: string): Promise<DisabledAddin[]> {
    const { rows } = await this.db.query<DisabledRow>(`SELECT ${DISABLED_COLUMNS} FROM addin_disabled WHERE user_id = $1 ORDER BY disabled_at, addin_id`, [user]);
    return rows.map(toDisabled);
  }

  async setOverride(tenant: string, name: string, value: number): Promise<void> {
    await this.db.query(
      `INSERT INTO governance_overrides (tenant_id, name, value) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [tenant, name, value],
    );
  }

  async clearOverride(tenant: string, name: string): Promise<boolean> {
    const { rows } = await this.db.query("DELETE FROM governance_overrides WHERE tenant_id = $1 AND name = $2 RETURNING name", [tenant, name]);
    return rows.length === 1;
  }

  async overrides(tenant: string): Promise<Record<string, number>> {
    const { rows } = await this.db.query<{ name: string; value: number }>("SELECT name, value FROM governance_overrides WHERE tenant_id = $1", [tenant]);
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  }
}
