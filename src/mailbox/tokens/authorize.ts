import type { Tier } from "../../permissions/tiers.ts";
import { EWS_ITEM_TOKEN_OPERATIONS, type EwsOperation, type FormMode, OPERATIONS, type OperationId, TOKEN_SCOPES, type TokenKind } from "./scopes.ts";

/** The verified claims of a callback or identity token. */
export interface TokenClaims {
  kind: TokenKind;
  tenantId: string;
  userId: string;
  mailboxId: string;
  addinId: string;
  /** The item the token was issued for; null for a mailbox-wide token issued without item context. */
  itemId: string | null;
  tier: Tier;
  mode: FormMode;
  tokenId: string;
  expiresAt: Date;
}

/** What a request touches: the owner of the item or folder it names (or the token's own mailbox for /me lists). */
export interface OperationTarget {
  tenantId: string;
  mailboxId: string;
  /** The item named by the request (item-target operations). */
  itemId: string | null;
}

export type Decision = { allowed: true } | { allowed: false; status: 401 | 403; reason: RefusalReason };

export type RefusalReason =
  | "wrong-token-kind"
  | "token-grants-nothing"
  | "other-tenant"
  | "other-mailbox"
  | "other-item"
  | "needs-mailbox-scope"
  | "operation-not-in-token-scope"
  | "read-only-token";

/** Decides whether a token may perform an operation on a target. Pure: the matrix test drives it from data. */
export function authorizeTokenUse(claims: TokenClaims, operation: OperationId, target: OperationTarget): Decision {
  const op = OPERATIONS[operation];
  if (claims.kind !== op.surface) return deny(401, "wrong-token-kind");
  const scope = TOKEN_SCOPES[claims.kind][claims.tier];
  if (!scope || scope.access === "none") return deny(401, "token-grants-nothing");
  if (target.tenantId !== claims.tenantId) return deny(403, "other-tenant");
  if (target.mailboxId !== claims.mailboxId) return deny(403, "other-mailbox");
  if (scope.reach === "item") {
    if (op.target !== "item") return deny(403, "needs-mailbox-scope");
    if (target.itemId === null || target.itemId !== claims.itemId) return deny(403, "other-item");
    if (op.surface === "ews" && !EWS_ITEM_TOKEN_OPERATIONS.includes(operation.slice(4) as EwsOperation)) return deny(403, "operation-not-in-token-scope");
  }
  if (op.access === "write" && scope.access !== "readwrite") return deny(403, "read-only-token");
  return { allowed: true };
}

const deny = (status: 401 | 403, reason: RefusalReason): Decision => ({ allowed: false, status, reason });
