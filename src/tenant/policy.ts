/**
 * Tenant policies, in one place: user installs (block switch, per-tier cap), optional connected experiences per
 * platform, IRM activation, legacy Exchange tokens, governance threshold overrides and add-ins disabled for the
 * organisation. Every change is audited and carries the version the writer read: a stale version is refused
 * (no lost update when two admins change the policy at once).
 */
import type { Db, Queryable } from "../mailbox/index.ts";
import { CLIENT_IDS, isClientId } from "../activation/index.ts";
import { isTier, type Tier } from "../permissions/tiers.ts";
import { checkOverride, isThresholdName, ThresholdOverrideError, type ThresholdName } from "../governance/thresholds.ts";
import { LifecycleError } from "../addins/errors.ts";
import { audit } from "./audit.ts";
import { defaultOce, type OceSettings } from "./oce.ts";

export interface TenantPolicy {
  tenantId: string;
  version: number;
  blockUserInstalls: boolean;
  /** Highest tier users may install themselves; higher ones only by admin deployment. */
  userInstallMaxTier: Tier;
  /** Per client platform: false = optional connected experiences off. */
  optionalConnectedExperiences: OceSettings;
  /** Whether add-ins may activate on IRM-protected items (the OBJMODEL usage right), subject to each client's own rules. */
  irmActivation: boolean;
  legacyTokensEnabled: boolean;
  /** Add-ins disabled for the whole organisation (lower-case ids). */
  disabledAddins: string[];
  /** Governance threshold overrides (only the overridden ones). */
  thresholds: Partial<Record<ThresholdName, number>>;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface PolicyPatch {
  blockUserInstalls?: boolean;
  userInstallMaxTier?: Tier;
  optionalConnectedExperiences?: Partial<OceSettings>;
  irmActivation?: boolean;
  legacyTokensEnabled?: boolean;
  /** null clears an override. */
  thresholds?: Partial<Record<ThresholdName, number | null>>;
}

interface Row {
  tenant_id: string;
  legacy_tokens_enabled: boolean;
  version: number | null;
  block_user_installs: boolean | null;
  user_install_max_tier: string | null;
  oce: unknown;
  irm_activation: boolean | null;
  disabled_addins: unknown;
  updated_at: Date | null;
  updated_by: string | null;
}
const json = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as unknown) : v);

const SELECT = `SELECT t.id AS tenant_id, t.legacy_tokens_enabled, p.version, p.block_user_installs, p.user_install_max_tier, p.oce, p.irm_activation,
  p.disabled_addins, p.updated_at, p.updated_by FROM tenants t LEFT JOIN tenant_policies p ON p.tenant_id = t.id WHERE t.id = $1`;

function toPolicy(r: Row, thresholds: TenantPolicy["thresholds"]): TenantPolicy {
  const oce = { ...defaultOce(), ...((json(r.oce) as Partial<OceSettings> | null) ?? {}) };
  return {
    tenantId: r.tenant_id,
    version: r.version ?? 1,
    blockUserInstalls: r.block_user_installs ?? false,
    userInstallMaxTier: r.user_install_max_tier && isTier(r.user_install_max_tier) ? r.user_install_max_tier : "ReadWriteMailbox",
    optionalConnectedExperiences: oce,
    irmActivation: r.irm_activation ?? true,
    legacyTokensEnabled: r.legacy_tokens_enabled,
    disabledAddins: (json(r.disabled_addins) as string[] | null) ?? [],
    thresholds,
    updatedAt: r.updated_at ? new Date(r.updated_at).toISOString() : null,
    updatedBy: r.updated_by,
  };
}

/** The policy without threshold overrides (what install checks and session opens need): one query. */
export async function readPolicy(q: Queryable, tenantId: string): Promise<TenantPolicy> {
  const { rows } = await q.query<Row>(SELECT, [tenantId]);
  if (!rows[0]) throw new LifecycleError("not-found", `tenant ${tenantId} not found`);
  return toPolicy(rows[0], {});
}

async function readThresholds(q: Queryable, tenantId: string): Promise<TenantPolicy["thresholds"]> {
  const { rows } = await q.query<{ name: string; value: number }>("SELECT name, value FROM governance_overrides WHERE tenant_id = $1 ORDER BY name", [tenantId]);
  const out: TenantPolicy["thresholds"] = {};
  for (const r of rows) if (isThresholdName(r.name)) out[r.name] = Number(r.value);
  return out;
}

/** Checks a patch field by field; throws invalid-request naming the field. */
export function checkPatch(patch: unknown): PolicyPatch {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) throw new LifecycleError("invalid-request", "the policy change must be a JSON object");
  const out: PolicyPatch = {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    const bool = (): boolean => {
      if (typeof value !== "boolean") throw new LifecycleError("invalid-request", `${key} must be true or false, not ${JSON.stringify(value)}`);
      return value;
    };
    switch (key) {
      case "blockUserInstalls":
        out.blockUserInstalls = bool();
        break;
      case "irmActivation":
        out.irmActivation = bool();
        break;
      case "legacyTokensEnabled":
        out.legacyTokensEnabled = bool();
        break;
      case "userInstallMaxTier":
        if (typeof value !== "string" || !isTier(value)) throw new LifecycleError("invalid-request", `userInstallMaxTier must be Restricted, ReadItem, ReadWriteItem or ReadWriteMailbox, not ${JSON.stringify(value)}`);
        out.userInstallMaxTier = value;
        break;
      case "optionalConnectedExperiences": {
        if (!value || typeof value !== "object" || Array.isArray(value)) throw new LifecycleError("invalid-request", "optionalConnectedExperiences must be an object of client: true|false");
        const oce: Partial<OceSettings> = {};
        for (const [client, on] of Object.entries(value)) {
          if (!isClientId(client)) throw new LifecycleError("invalid-request", `optionalConnectedExperiences.${client}: unknown client (known: ${CLIENT_IDS.join(", ")})`);
          if (typeof on !== "boolean") throw new LifecycleError("invalid-request", `optionalConnectedExperiences.${client} must be true or false`);
          oce[client] = on;
        }
        out.optionalConnectedExperiences = oce;
        break;
      }
      case "thresholds": {
        if (!value || typeof value !== "object" || Array.isArray(value)) throw new LifecycleError("invalid-request", "thresholds must be an object of name: number (null clears an override)");
        const t: NonNullable<PolicyPatch["thresholds"]> = {};
        for (const [name, v] of Object.entries(value)) {
          try {
            if (v === null) {
              if (!isThresholdName(name)) checkOverride(name, 0);
              t[name as ThresholdName] = null;
            } else t[name as ThresholdName] = checkOverride(name, v);
          } catch (err) {
            if (err instanceof ThresholdOverrideError) throw new LifecycleError("invalid-request", `thresholds.${err.message}`);
            throw err;
          }
        }
        out.thresholds = t;
        break;
      }
      case "version":
        break;
      default:
        throw new LifecycleError("invalid-request", `unknown policy setting "${key}"`);
    }
  }
  return out;
}

export class TenantPolicies {
  constructor(private readonly db: Db) {}

  async get(tenantId: string): Promise<TenantPolicy> {
    const p = await readPolicy(this.db, tenantId);
    return { ...p, thresholds: await readThresholds(this.db, tenantId) };
  }

  /**
   * Applies `patch` if the policy is still at `expectedVersion`; otherwise throws version-conflict with the current
   * policy. Audited with before and after.
   */
  async update(tenantId: string, expectedVersion: number, rawPatch: unknown, actor: string): Promise<TenantPolicy> {
    const patch = checkPatch(rawPatch);
    if (!Number.isInteger(expectedVersion)) throw new LifecycleError("invalid-request", "version (the policy version you read) is required");
    return this.db.transaction(async (tx) => {
      await tx.query("INSERT INTO tenant_policies (tenant_id) SELECT id FROM tenants WHERE id = $1 ON CONFLICT DO NOTHING", [tenantId]);
      // Lock the policy row, then read in a new statement: a writer that waited sees the committed winner.
      await tx.query("SELECT 1 FROM tenant_policies WHERE tenant_id = $1 FOR UPDATE", [tenantId]);
      const before = { ...(await readPolicy(tx, tenantId)), thresholds: await readThresholds(tx, tenantId) };
      if (before.version !== expectedVersion)
        throw new LifecycleError("version-conflict", `the policy changed since you read it (you sent version ${expectedVersion}, it is now ${before.version}); read it again and reapply your change`, { current: before });
      const oce = { ...before.optionalConnectedExperiences, ...(patch.optionalConnectedExperiences ?? {}) };
      const { rows } = await tx.query(
        `UPDATE tenant_policies SET version = version + 1, block_user_installs = $3, user_install_max_tier = $4, oce = $5::jsonb, irm_activation = $6,
           updated_at = now(), updated_by = $7 WHERE tenant_id = $1 AND version = $2 RETURNING version`,
        [tenantId, expectedVersion, patch.blockUserInstalls ?? before.blockUserInstalls, patch.userInstallMaxTier ?? before.userInstallMaxTier, JSON.stringify(oce), patch.irmActivation ?? before.irmActivation, actor],
      );
      if (rows.length === 0) throw new LifecycleError("version-conflict", "the policy changed since you read it; read it again and reapply your change", { current: before });
      if (patch.legacyTokensEnabled !== undefined) await tx.query("UPDATE tenants SET legacy_tokens_enabled = $2 WHERE id = $1", [tenantId, patch.legacyTokensEnabled]);
      for (const [name, value] of Object.entries(patch.thresholds ?? {})) {
        if (value === null) await tx.query("DELETE FROM governance_overrides WHERE tenant_id = $1 AND name = $2", [tenantId, name]);
        else
          await tx.query(
            "INSERT INTO governance_overrides (tenant_id, name, value) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
            [tenantId, name, value],
          );
      }
      const after = { ...(await readPolicy(tx, tenantId)), thresholds: await readThresholds(tx, tenantId) };
      await audit(tx, { tenantId, actor, action: "policy.update", target: `tenant:${tenantId}`, before: diffBase(before, patch), after: diffBase(after, patch) });
      return after;
    });
  }

  /**
   * Enables or disables an add-in for the whole organisation (a policy change: version goes up, audited). `onChange`
   * runs in the same transaction (the caller closes the add-in's open sessions there).
   */
  async setAddinEnabled(tenantId: string, addinId: string, enabled: boolean, actor: string, onChange?: (tx: Queryable) => Promise<void>): Promise<TenantPolicy> {
    const id = addinId.toLowerCase();
    return this.db.transaction(async (tx) => {
      await tx.query("INSERT INTO tenant_policies (tenant_id) SELECT id FROM tenants WHERE id = $1 ON CONFLICT DO NOTHING", [tenantId]);
      await tx.query("SELECT 1 FROM tenant_policies WHERE tenant_id = $1 FOR UPDATE", [tenantId]);
      const before = await readPolicy(tx, tenantId);
      const was = !before.disabledAddins.includes(id);
      if (was !== enabled) {
        const list = enabled ? before.disabledAddins.filter((a) => a !== id) : [...before.disabledAddins, id].sort();
        await tx.query("UPDATE tenant_policies SET disabled_addins = $2::jsonb, version = version + 1, updated_at = now(), updated_by = $3 WHERE tenant_id = $1", [tenantId, JSON.stringify(list), actor]);
        await audit(tx, { tenantId, actor, action: enabled ? "policy.addin-enable" : "policy.addin-disable", target: `addin:${id}`, before: { enabled: was }, after: { enabled } });
        if (onChange) await onChange(tx);
      }
      return { ...(await readPolicy(tx, tenantId)), thresholds: await readThresholds(tx, tenantId) };
    });
  }
}

/** Only the fields a change touched, so the audit entry says what changed. */
function diffBase(p: TenantPolicy, patch: PolicyPatch): Record<string, unknown> {
  const out: Record<string, unknown> = { version: p.version };
  for (const key of Object.keys(patch) as (keyof PolicyPatch)[]) {
    if (key === "thresholds") out.thresholds = Object.fromEntries(Object.keys(patch.thresholds ?? {}).map((n) => [n, p.thresholds[n as ThresholdName] ?? null]));
    else if (key === "optionalConnectedExperiences") out[key] = Object.fromEntries(Object.keys(patch.optionalConnectedExperiences ?? {}).map((c) => [c, p.optionalConnectedExperiences[c as keyof OceSettings]]));
    else out[key] = p[key];
  }
  return out;
}
