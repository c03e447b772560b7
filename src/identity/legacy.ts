/**
 * Legacy Exchange tokens (callback and identity tokens, and EWS through them) in their three Graph-era states:
 * - enabled: on-premises Exchange, or an Exchange Online tenant whose admin turned them back on;
 * - disabled: the Exchange Online default since 2025; an admin may still turn them on;
 * - removed: the end state; nothing turns them back on.
 * And the errors Outlook gives an add-in when they are not enabled, per member and client, as observed in Outlook
 * (office-js issues #5516, #4156, #5487, #5615 and the @types/office-js notes): the web and new Outlook fail
 * getCallbackTokenAsync with 9018 GenericTokenError, classic Outlook with 9042 InternalServerError;
 * getUserIdentityTokenAsync fails with 9017 AccessRestricted ("Internal protocol error: '-2147467259'.");
 * makeEwsRequestAsync fails with 9020 GenericResponseError once tokens are removed (9018 while merely disabled).
 */
import type { Db } from "../mailbox/index.ts";

export const LEGACY_TOKEN_MODES = ["enabled", "disabled", "removed"] as const;
export type LegacyTokenMode = (typeof LEGACY_TOKEN_MODES)[number];

/** The value of Office.MailboxEnums.TokenStatus for diagnostics.ews.getTokenStatusAsync. */
export const TOKEN_STATUS: Record<LegacyTokenMode, number> = { disabled: 0, enabled: 1, removed: 2 };

export class LegacyModeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LegacyModeError";
  }
}

export async function legacyTokenMode(db: Db, tenantId: string): Promise<LegacyTokenMode | undefined> {
  const { rows } = await db.query<{ legacy_tokens_enabled: boolean; legacy_tokens_removed: boolean }>("SELECT legacy_tokens_enabled, legacy_tokens_removed FROM tenants WHERE id = $1", [tenantId]);
  const r = rows[0];
  if (!r) return undefined;
  return r.legacy_tokens_removed ? "removed" : r.legacy_tokens_enabled ? "enabled" : "disabled";
}

/** Sets the mode. `removed` is final: a tenant whose tokens were removed cannot turn them back on. */
export async function setLegacyTokenMode(db: Db, tenantId: string, mode: LegacyTokenMode, options: { force?: boolean } = {}): Promise<void> {
  const current = await legacyTokenMode(db, tenantId);
  if (!current) throw new LegacyModeError(`tenant '${tenantId}' does not exist`);
  if (current === "removed" && mode !== "removed" && !options.force) throw new LegacyModeError(`legacy tokens were removed for tenant '${tenantId}'; they cannot be turned back on (use a new tenant, or --force in a test setup)`);
  await db.query("UPDATE tenants SET legacy_tokens_enabled = $2, legacy_tokens_removed = $3 WHERE id = $1", [tenantId, mode === "enabled", mode === "removed"]);
}

export type LegacyMember = "getCallbackTokenAsync" | "getUserIdentityTokenAsync" | "makeEwsRequestAsync";

/** The Office error an add-in gets from a legacy member when tokens are not enabled; undefined when they are. */
export function legacyTokenError(mode: LegacyTokenMode, member: LegacyMember, client: string): { code: number; params: string[] } | undefined {
  if (mode === "enabled") return undefined;
  const classic = client === "windows" || client === "mac";
  switch (member) {
    case "getCallbackTokenAsync":
      return { code: classic ? 9042 : 9018, params: [] };
    case "getUserIdentityTokenAsync":
      return { code: 9017, params: ["-2147467259"] };
    case "makeEwsRequestAsync":
      return { code: mode === "removed" ? 9020 : 9018, params: [] };
  }
}

/** The Office error for a legacy member whose token was refused because tokens are off, read from the tenant's mode. */
export async function legacyMemberError(db: Db, tenantId: string, member: LegacyMember, client: string): Promise<{ code: number; params: string[] }> {
  return legacyTokenError((await legacyTokenMode(db, tenantId)) ?? "disabled", member, client) ?? { code: 9018, params: [] };
}
