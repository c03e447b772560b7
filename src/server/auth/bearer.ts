import type { FastifyRequest } from "fastify";
import { TokenRefusedError, authorizeTokenUse, rightsCanCreate, rightsCanWrite, OPERATIONS, type MailboxRights, type OperationId, type OperationTarget, type TokenClaims } from "../../mailbox/index.ts";
import { Refusal } from "../errors.ts";

/** Reads and verifies the Bearer token of a REST or EWS request. Throws Refusal(401). */
export async function verifyBearer(request: FastifyRequest): Promise<TokenClaims> {
  const header = request.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  try {
    const claims = await request.server.mailbox.tokens.verify(match?.[1]);
    request.tokenClaims = claims;
    return claims;
  } catch (err) {
    if (err instanceof TokenRefusedError) throw new Refusal(401, `token-${err.reason}`);
    throw err;
  }
}

/**
 * Checks a verified token against an operation on a target (tier scope, item/mailbox/tenant binding), then the
 * user's current rights on the mailbox (a delegate whose rights were reduced loses them at once).
 */
export async function authorizeOperation(request: FastifyRequest, claims: TokenClaims, operation: OperationId, target: OperationTarget & { rights?: MailboxRights }): Promise<void> {
  const decision = authorizeTokenUse(claims, operation, target);
  if (!decision.allowed) throw new Refusal(decision.status, decision.reason);
  // The target is the token's mailbox here; reuse the rights fetched with it when we have them.
  const rights = "rights" in target ? target.rights : await request.server.mailbox.mailboxes.rightsOf(claims.userId, claims.mailboxId);
  if (!rights) throw new Refusal(403, "no-mailbox-rights");
  const op = OPERATIONS[operation];
  if (op.access === "write") {
    const allowed = op.target === "mailbox" ? rightsCanCreate(rights) : rightsCanWrite(rights);
    if (!allowed) throw new Refusal(403, "insufficient-mailbox-rights");
  }
}

/** Where an item lives, for authorization. A missing item is described as if in the token's own mailbox. */
export async function itemTarget(request: FastifyRequest, claims: TokenClaims, itemId: string): Promise<ItemTarget> {
  const where = isWellFormedId(itemId) ? await request.server.mailbox.items.locateForUser(itemId, claims.userId) : undefined;
  return targetFrom(claims, itemId, where);
}

export type ItemTarget = OperationTarget & { exists: boolean; rights?: MailboxRights };

/** The authorization target for an item the store located (with the user's rights there), or did not find. */
export function targetFrom(claims: TokenClaims, itemId: string, where: { mailboxId: string; tenantId: string; rights: MailboxRights | undefined } | undefined): ItemTarget {
  if (!where) return { tenantId: claims.tenantId, mailboxId: claims.mailboxId, itemId, exists: false };
  return { tenantId: where.tenantId, mailboxId: where.mailboxId, itemId, exists: true, rights: where.rights };
}

/** Ids are URL-safe base64; anything else cannot name a stored object and never reaches the database. */
export const isWellFormedId = (id: string): boolean => /^[A-Za-z0-9_-]{1,100}$/.test(id);

export async function mailboxTarget(request: FastifyRequest, mailboxId: string): Promise<OperationTarget> {
  const mailbox = await request.server.mailbox.mailboxes.get(mailboxId);
  return { tenantId: mailbox?.tenantId ?? "", mailboxId, itemId: null };
}
