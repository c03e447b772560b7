/**
 * IRM-protected items: add-ins activate on them only when the tenant grants the OBJMODEL usage right ("Allow
 * programmatic access") and the client supports protected items (src/activation's client rules).
 */
import { clientProfile, isClientId, supportsProtected } from "../activation/index.ts";
import type { TenantPolicy } from "./policy.ts";

/** Why an add-in may not run on this item, or undefined when it may. */
export function irmRefusal(policy: Pick<TenantPolicy, "irmActivation">, client: string | undefined, item: { isIrmProtected: boolean }): string | undefined {
  if (!item.isIrmProtected) return undefined;
  if (!policy.irmActivation) return "your organisation does not let add-ins activate on IRM-protected items (no OBJMODEL usage right)";
  const profile = clientProfile(client && isClientId(client) ? client : "web");
  if (!supportsProtected(profile.irm, profile.build)) return `${profile.label} does not activate add-ins on IRM-protected items`;
  return undefined;
}
