import type { StoreContext } from "./context.ts";
import type { SecurityEvent } from "./types.ts";

/** Refused requests and other security-relevant events, stored so an admin can review them. */
export class SecurityEvents {
  constructor(private readonly ctx: StoreContext) {}

  async record(e: SecurityEvent): Promise<void> {
    await this.ctx.db.query(
      "INSERT INTO security_events (surface, reason, tenant_id, user_id, mailbox_id, addin_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)",
      [e.surface, e.reason, e.tenantId ?? null, e.userId ?? null, e.mailboxId ?? null, e.addinId ?? null, JSON.stringify(e.detail ?? {})],
    );
  }

  async list(options: { limit?: number; tenantId?: string } = {}): Promise<Array<SecurityEvent & { id: number; at: Date }>> {
    const { rows } = await this.ctx.db.query<{
      id: number;
      at: Date;
      surface: string;
      reason: string;
      tenant_id: string | null;
      user_id: string | null;
      mailbox_id: string | null;
      addin_id: string | null;
      detail: Record<string, unknown>;
    }>("SELECT * FROM security_events WHERE ($1::text IS NULL OR tenant_id = $1) ORDER BY id DESC LIMIT $2", [options.tenantId ?? null, Math.min(options.limit ?? 100, 1000)]);
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      surface: r.surface,
      reason: r.reason,
      tenantId: r.tenant_id,
      userId: r.user_id,
      mailboxId: r.mailbox_id,
      addinId: r.addin_id,
      detail: r.detail,
    }));
  }

  async count(): Promise<number> {
    const { rows } = await this.ctx.db.query<{ n: number }>("SELECT count(*) AS n FROM security_events");
    return Number(rows[0]!.n);
  }
}
