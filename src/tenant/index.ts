/** Tenant administration: policies, groups, centralized deployments, the audit log. See docs/lifecycle.md. */
export { AuditLog, audit, type AuditEntry, type NewAuditEntry } from "./audit.ts";
export { TenantPolicies, readPolicy, checkPatch, type TenantPolicy, type PolicyPatch } from "./policy.ts";
export { TenantGroups, type Group } from "./groups.ts";
export { TenantDeployments, parseTarget, checkTargets, type Deployment, type Target } from "./deployments.ts";
export { OCE_OFF, oceEffect, defaultOce, type OceEffect, type OceSettings } from "./oce.ts";
export { irmRefusal } from "./irm.ts";
