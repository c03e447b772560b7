/**
 * JSON shapes of the lifecycle API (routes addins.ts, admin.ts, store.ts), for the web client:
 * `import type { InstalledAddin, … } from "…/server/routes/lifecycle-types.ts"`. See docs/lifecycle.md.
 */
import type { ConsentAcceptance } from "../../addins/consent.ts";
import type { Target, TenantPolicy } from "../../tenant/index.ts";
import type { GovernanceThreshold } from "../../governance/thresholds.ts";
import type { Finding } from "../../manifest/findings.ts";

export type { InstalledAddin, InstallResult } from "../../addins/installs.ts";
export type { ConsentPrompt, ConsentAcceptance, GivenConsent } from "../../addins/consent.ts";
export type { TenantPolicy, PolicyPatch, Deployment, Target, AuditEntry, Group } from "../../tenant/index.ts";
export type { Listing, ListingDetail, StoreVersion, Review, Publisher } from "../../store/index.ts";
export type { Explanation } from "../../manifest/explain.ts";

/** Where an add-in comes from in an install, consent-prompt or deployment request. */
export type ManifestSourceRequest = { source: "file"; manifest: string; fileName?: string } | { source: "url"; url: string } | { source: "store"; addinId: string };

/** POST /api/addins */
export type InstallRequest = ManifestSourceRequest & { accept?: ConsentAcceptance; client?: string };

/** PATCH /api/addins/:id */
export interface SetEnabledRequest {
  enabled: boolean;
}

/** POST /api/admin/deployments */
export type DeployRequest = ManifestSourceRequest & { targets: Target[]; mandatory?: boolean };

/** GET /api/admin/policy (and PUT's answer) */
export interface PolicyAnswer extends TenantPolicy {
  thresholdRanges: GovernanceThreshold[];
}

/** PUT /api/admin/policy: the version read plus the fields to change. */
export type PolicyUpdateRequest = { version: number } & import("../../tenant/index.ts").PolicyPatch;

/** POST /api/store/publishers */
export interface NewPublisherRequest {
  name: string;
  privacyUrl: string;
  supportUrl: string;
  acceptAgreement: boolean;
}

/** Every refusal: a stable code, a sentence, and where it applies the validator's findings, the consent prompt or the current policy. */
export interface ApiError {
  error: { code: string; message: string; findings?: Finding[]; prompt?: import("../../addins/consent.ts").ConsentPrompt; current?: unknown };
}
