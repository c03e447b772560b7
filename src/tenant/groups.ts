/** Groups of a tenant's users: targets of centralized deployments. */
import type { Db } from "../mailbox/index.ts";
import { LifecycleError } from "../addins/errors.ts";
import { audit } from "./audit.ts";

export interface Group {
  name: string;
  /** Member addresses. */
  members: string[];
}

const NAME = /^[\p{L}\p{N} ._-]{1,100}$/u;

export class TenantGroups {
  constructor(private readonly db: Db) {}

  async list(tenantId: string): Promise<Group[]> {
    const { rows } = await this.db.query<{ name: string; email: string | null }>(
      `SELECT g.name, u.email FROM tenant_groups g LEFT JOIN tenant_group_members m ON m.tenant_id = g.tenant_id AND m.group_name = g.name
       LEFT JOIN users u ON u.id = m.user_id WHERE g.tenant_id = $1 ORDER BY g.name, u.email`,
      [tenantId],
    );
    const groups = new Map<string, Group>();
    for (const r of rows) {
      const g = groups.get(r.name) ?? { name: r.name, members: [] };
      if (r.email) g.members.push(r.email);
      groups.set(r.name, g);
    }
    return [...groups.values()];
  }

  /** Creates or replaces a group's members (addresses of users of the tenant). */
  async set(tenantId: string, name: string, addresses: string[], actor: string): Promise<Group> {
    if (!NAME.test(name)) throw new LifecycleError("invalid-request", `group name "${name.slice(0, 100)}" must be 1–100 letters, digits, spaces, dots, dashes or underscores`);
    return this.db.transaction(async (tx) => {
      const ids: string[] = [];
      for (const address of addresses) {
        const { rows } = await tx.query<{ id: string }>("SELECT id FROM users WHERE lower(email) = lower($1) AND tenant_id = $2", [address, tenantId]);
        if (!rows[0]) throw new LifecycleError("invalid-request", `members: no user ${address} in tenant ${tenantId}`);
        ids.push(rows[0].id);
      }
      const before = (await tx.query<{ email: string }>("SELECT u.email FROM tenant_group_members m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1 AND m.group_name = $2 ORDER BY u.email", [tenantId, name])).rows.map((r) => r.email);
      await tx.query("INSERT INTO tenant_groups (tenant_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING", [tenantId, name]);
      await tx.query("DELETE FROM tenant_group_members WHERE tenant_id = $1 AND group_name = $2", [tenantId, name]);
      for (const id of new Set(ids)) await tx.query("INSERT INTO tenant_group_members (tenant_id, group_name, user_id) VALUES ($1, $2, $3)", [tenantId, name, id]);
      const members = [...new Set(addresses.map((a) => a.toLowerCase()))].sort();
      await audit(tx, { tenantId, actor, action: "group.set", target: `group:${name}`, before: { members: before }, after: { members } });
      return { name, members };
    });
  }
}
