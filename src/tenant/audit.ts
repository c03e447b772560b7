/**
 * The audit log: every install, removal, consent, update, deployment, policy change and store action, per tenant
 * (tenant null: store-wide actions). Written in the same transaction as the change it records.
 */
import type { Db, Queryable } from "../mailbox/index.ts";

export interface AuditEntry {
  id: string;
  tenantId: string | null;
  at: string;
  /** Who acted: a user's address, "cli" or "seed". */
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}

export type NewAuditEntry = Omit<AuditEntry, "id" | "at">;

export async function audit(q: Queryable, e: NewAuditEntry): Promise<void> {
  await q.query("INSERT INTO audit_log (tenant_id, actor, action, target, before, after) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)", [
    e.tenantId,
    e.actor,
    e.action,
    e.target,
    e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
    e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
  ]);
}

interface Row {
  id: string | number;
  tenant_id: string | null;
  at: Date;
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}
const json = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as unknown) : v);

export class AuditLog {
  constructor(private readonly db: Db) {}

  /** Newest first; `before` pages back from an entry id. */
  async list(tenantId: string | null, options: { limit?: number; before?: string; action?: string } = {}): Promise<AuditEntry[]> {
    const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 100) || 100));
    const before = options.before && /^\d{1,18}$/.test(options.before) ? options.before : null;
    const { rows } = await this.db.query<Row>(
      `SELECT id::text AS id, tenant_id, at, actor, action, target, before, after FROM audit_log
       WHERE tenant_id IS NOT DISTINCT FROM $1 AND ($2::bigint IS NULL OR id < $2::bigint) AND ($3::text IS NULL OR action = $3)
       ORDER BY id DESC LIMIT $4`,
      [tenantId, before, options.action ?? null, limit],
    );
    return rows.map((r) => ({ id: String(r.id), tenantId: r.tenant_id, at: new Date(r.at).toISOString(), actor: r.actor, action: r.action, target: r.target, before: json(r.before) ?? null, after: json(r.after) ?? null }));
  }
}
