/** Refusals of the lifecycle domain (installs, policies, deployments, store): a stable code, a sentence, details. */
import type { Finding } from "../manifest/findings.ts";

export type LifecycleErrorCode =
  | "invalid-request"
  | "invalid-manifest"
  | "not-https"
  | "fetch-failed"
  | "fetch-timeout"
  | "too-large"
  | "no-icons"
  | "publisher-incomplete"
  | "id-claimed"
  | "version-exists"
  | "version-not-newer"
  | "user-installs-blocked"
  | "above-user-cap"
  | "oce-off"
  | "disabled-by-admin"
  | "disabled"
  | "taken-down"
  | "protected-item"
  | "consent-required"
  | "version-conflict"
  | "mandatory"
  | "admin-deployed"
  | "not-installed"
  | "not-found"
  | "forbidden";

const STATUS: Record<LifecycleErrorCode, number> = {
  "invalid-request": 400,
  "invalid-manifest": 422,
  "not-https": 422,
  "fetch-failed": 422,
  "fetch-timeout": 422,
  "too-large": 422,
  "no-icons": 422,
  "publisher-incomplete": 422,
  "id-claimed": 409,
  "version-exists": 409,
  "version-not-newer": 409,
  "user-installs-blocked": 403,
  "above-user-cap": 403,
  "oce-off": 403,
  "disabled-by-admin": 403,
  disabled: 403,
  "taken-down": 403,
  "protected-item": 403,
  "consent-required": 409,
  "version-conflict": 409,
  mandatory: 403,
  "admin-deployed": 403,
  "not-installed": 404,
  "not-found": 404,
  forbidden: 403,
};

export class LifecycleError extends Error {
  readonly status: number;
  constructor(
    readonly code: LifecycleErrorCode,
    message: string,
    /** Extra fields for the answer: validation findings, the consent prompt, the current policy. */
    readonly details: { findings?: Finding[]; prompt?: unknown; current?: unknown } = {},
  ) {
    super(message);
    this.name = "LifecycleError";
    this.status = STATUS[code];
  }
}
