/**
 * Centralized deployment: an admin installs an add-in for everyone, for groups or for users of the tenant, with
 * no consent prompt for them; optional (the user may disable it) or mandatory. The deployment row is the tenant's
 * install record (the manifest as deployed); every app server reads it at the user's next session, so it takes
 * effect at once without a restart.
 */
import type { Db, Queryable } from "../mailbox/index.ts";
import type { Supplementary, Tier } from "../permissions/tiers.ts";
import type { Candidate, InstallSource } from "../addins/candidate.ts";
import { LifecycleError } from "../addins/errors.ts";
import { audit } from "./audit.ts";

export type Target = { kind: "everyone" } | { kind: "group"; name: string } | { kind: "user"; address: string };

export interface Deployment {
  /** The add-in id (lower case). */
  id: string;
  name: string;
  version: string;
  tier: Tier;
  supplementary: Supplementary[];
  source: InstallSource;
  sourceRef: string | null;
  mandatory: boolean;
  targets: Target[];
  /** Set when the store took the add-in down: the deployment no longer runs. */
  notice: string | null;
  deployedAt: string;
  deployedBy: string;
}

interface Row {
  addin_id: string;
  name: string;
  version: string;
  tier: Tier;
  supplementary: unknown;
  source: InstallSource;
  source_ref: string | null;
  mandatory: boolean;
  notice: string | null;
  deployed_at: Date;
  deployed_by: string;
}
const json = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as unknown) : v);

/** Parses "everyone", "group:<name>", "user:<address>" (CLI) into a target. */
export function parseTarget(text: string): Target {
  if (text === "everyone") return { kind: "everyone" };
  const m = /^(group|user):(.+)$/.exec(text);
  if (!m) throw new LifecycleError("invalid-request", `--to "${text}": expected everyone, group:<name> or user:<address>`);
  return m[1] === "group" ? { kind: "group", name: m[2]! } : { kind: "user", address: m[2]! };
}

export function checkTargets(raw: unknown): Target[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new LifecycleError("invalid-request", "targets must be a non-empty array of {kind: everyone|group|user}");
  return raw.map((t, i) => {
    const o = t as Record<string, unknown>;
    if (o?.kind === "everyone") return { kind: "everyone" };
    if (o?.kind === "group" && typeof o.name === "string" && o.name) return { kind: "group", name: o.name };
    if (o?.kind === "user" && typeof o.address === "string" && o.address) return { kind: "user", address: o.address };
    throw new LifecycleError("invalid-request", `targets[${i}]: expected {kind:"everyone"}, {kind:"group",name} or {kind:"user",address}`);
  });
}

export class TenantDeployments {
  constructor(private readonly db: Db) {}

  async list(tenantId: string): Promise<Deployment[]> {
    const { rows } = await this.db.query<Row>("SELECT * FROM tenant_deployments WHERE tenant_id = $1 ORDER BY name", [tenantId]);
    const out: Deployment[] = [];
    for (const r of rows) out.push(toDeployment(r, await targetsOf(this.db, tenantId, r.addin_id)));
    return out;
  }

  async get(tenantId: string, addinId: string): Promise<Deployment | undefined> {
    const { rows } = await this.db.query<Row>("SELECT * FROM tenant_deployments WHERE tenant_id = $1 AND addin_id = $2", [tenantId, addinId.toLowerCase()]);
    return rows[0] && toDeployment(rows[0], await targetsOf(this.db, tenantId, rows[0].addin_id));
  }

  /**
   * Deploys (or updates: new manifest, more targets, mandatory flag) an add-in. No user consent: the admin's
   * deployment is the consent. Runs `inTx` in the same transaction (store checks).
   */
  async deploy(tenantId: string, c: Candidate, targets: Target[], mandatory: boolean, actor: string, inTx?: (tx: Queryable) => Promise<void>): Promise<Deployment> {
    await this.db.transaction(async (tx) => {
      if (inTx) await inTx(tx);
      const resolved: { kind: string; value: string }[] = [];
      for (const t of targets) {
        if (t.kind === "everyone") resolved.push({ kind: "everyone", value: "" });
        else if (t.kind === "group") {
          const { rows } = await tx.query("SELECT 1 FROM tenant_groups WHERE tenant_id = $1 AND name = $2", [tenantId, t.name]);
          if (!rows[0]) throw new LifecycleError("invalid-request", `target group:${t.name}: no such group in tenant ${tenantId}`);
          resolved.push({ kind: "group", value: t.name });
        } else {
          const { rows } = await tx.query<{ id: string }>("SELECT id FROM users WHERE lower(email) = lower($1) AND tenant_id = $2", [t.address, tenantId]);
          if (!rows[0]) throw new LifecycleError("invalid-request", `target user:${t.address}: no such user in tenant ${tenantId}`);
          resolved.push({ kind: "user", value: rows[0].id });
        }
      }
      const { rows: prior } = await tx.query<Row>("SELECT * FROM tenant_deployments WHERE tenant_id = $1 AND addin_id = $2 FOR UPDATE", [tenantId, c.addinId]);
      const before = prior[0] ? summary(toDeployment(prior[0], await targetsOf(tx, tenantId, c.addinId))) : null;
      const m = c.manifest;
      await tx.query(
        `INSERT INTO tenant_deployments (tenant_id, addin_id, name, version, manifest, sha256, tier, supplementary, source, source_ref, mandatory, deployed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12)
         ON CONFLICT (tenant_id, addin_id) DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version, manifest = EXCLUDED.manifest, sha256 = EXCLUDED.sha256,
           tier = EXCLUDED.tier, supplementary = EXCLUDED.supplementary, source = EXCLUDED.source, source_ref = EXCLUDED.source_ref, mandatory = EXCLUDED.mandatory,
           notice = NULL, deployed_at = now(), deployed_by = EXCLUDED.deployed_by`,
        [tenantId, c.addinId, m.name.value, m.version, c.bytes, c.sha256, m.tier, JSON.stringify([...m.supplementary].sort()), c.source, c.sourceRef, mandatory, actor],
      );
      for (const t of resolved)
        await tx.query("INSERT INTO tenant_deployment_targets (tenant_id, addin_id, kind, value) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", [tenantId, c.addinId, t.kind, t.value]);
      const { rows } = await tx.query<Row>("SELECT * FROM tenant_deployments WHERE tenant_id = $1 AND addin_id = $2", [tenantId, c.addinId]);
      const after = summary(toDeployment(rows[0]!, await targetsOf(tx, tenantId, c.addinId)));
      await audit(tx, { tenantId, actor, action: before ? "deployment.update" : "deployment.create", target: `addin:${c.addinId}`, before, after });
    });
    return (await this.get(tenantId, c.addinId))!;
  }

  /** Removes a deployment; `inTx` runs in the same transaction (the caller closes sessions of users who lose it). */
  async undeploy(tenantId: string, addinId: string, actor: string, inTx?: (tx: Queryable) => Promise<void>): Promise<void> {
    const id = addinId.toLowerCase();
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<Row>("SELECT * FROM tenant_deployments WHERE tenant_id = $1 AND addin_id = $2 FOR UPDATE", [tenantId, id]);
      if (!rows[0]) throw new LifecycleError("not-found", `add-in ${id} is not deployed in tenant ${tenantId}`);
      const before = summary(toDeployment(rows[0], await targetsOf(tx, tenantId, id)));
      await tx.query("DELETE FROM tenant_deployments WHERE tenant_id = $1 AND addin_id = $2", [tenantId, id]);
      // The users' own state rows of the deployment go with it.
      await tx.query("DELETE FROM mailbox_addins WHERE addin_id = $1 AND source = 'admin' AND mailbox_id IN (SELECT id FROM mailboxes WHERE tenant_id = $2)", [id, tenantId]);
      await audit(tx, { tenantId, actor, action: "deployment.remove", target: `addin:${id}`, before, after: null });
      if (inTx) await inTx(tx);
    });
  }
}

async function targetsOf(q: Queryable, tenantId: string, addinId: string): Promise<Target[]> {
  const { rows } = await q.query<{ kind: string; value: string; email: string | null }>(
    "SELECT t.kind, t.value, u.email FROM tenant_deployment_targets t LEFT JOIN users u ON t.kind = 'user' AND u.id = t.value WHERE t.tenant_id = $1 AND t.addin_id = $2 ORDER BY t.kind, t.value",
    [tenantId, addinId],
  );
  return rows.map((r) => (r.kind === "everyone" ? { kind: "everyone" } : r.kind === "group" ? { kind: "group", name: r.value } : { kind: "user", address: r.email ?? r.value }));
}

function toDeployment(r: Row, targets: Target[]): Deployment {
  return {
    id: r.addin_id,
    name: r.name,
    version: r.version,
    tier: r.tier,
    supplementary: (json(r.supplementary) as Supplementary[]) ?? [],
    source: r.source,
    sourceRef: r.source_ref,
    mandatory: r.mandatory,
    targets,
    notice: r.notice,
    deployedAt: new Date(r.deployed_at).toISOString(),
    deployedBy: r.deployed_by,
  };
}

const summary = (d: Deployment) => ({ version: d.version, tier: d.tier, supplementary: d.supplementary, mandatory: d.mandatory, targets: d.targets, source: d.source });
