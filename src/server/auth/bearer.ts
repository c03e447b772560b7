import type { FastifyRequest } from "fastify";
import { MailboxError, TokenRefusedError, authorizeTokenUse, rightsCanCreate, rightsCanWrite, OPERATIONS, type MailboxRights, type OperationId, type OperationTarget, type TokenClaims } from "../../mailbox/index.ts";
import { Refusal, recordRefusal } from "../errors.ts";

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
 * "Not yours" answers exactly as "not there": an item, folder or mailbox the caller may not see (another tenant's,
 * another user's, or another item than an item-scoped token's) is refused as if it did not exist. The refusal is
 * still logged and stored as a security event; only the answer is the one a missing id gets.
 */
export class NotVisibleError extends MailboxError {
  constructor(message = NOT_FOUND_MESSAGE) {
    super("NotFound", message);
  }
}

export const NOT_FOUND_MESSAGE = "The specified object was not found in the store.";
export const FOLDER_NOT_FOUND_MESSAGE = "The specified folder could not be found in the store.";

/**
 * Checks a verified token against an operation on a target, in an order that never tells a hidden target from a
 * missing one:
 * 1. what the token may do at all, whatever the target (kind, tier scope, item- vs mailbox-wide, read-only): 401/403,
 *    the same answer for every id;
 * 2. whether the token and the user may see the target (tenant, mailbox, item binding, any right on the mailbox):
 *    when not, NotVisibleError (404, the missing-id answer), after storing the refusal;
 * 3. the user's current rights for a write on a target they can see (a reviewer delegate): 403.
 * `notFound` is the message the route answers for a missing id, so both bodies are the same.
 */
export async function authorizeOperation(
  request: FastifyRequest,
  claims: TokenClaims,
  operation: OperationId,
  target: OperationTarget & { rights?: MailboxRights; exists?: boolean },
  notFound: string = NOT_FOUND_MESSAGE,
): Promise<void> {
  const op = OPERATIONS[operation];
  const own: OperationTarget = { tenantId: claims.tenantId, mailboxId: claims.mailboxId, itemId: op.target === "item" ? claims.itemId : null };
  const scope = authorizeTokenUse(claims, operation, own);
  if (!scope.allowed) throw new Refusal(scope.status, scope.reason);
  const decision = authorizeTokenUse(claims, operation, target);
  if (!decision.allowed) return hidden(request, op.surface, decision.reason, notFound);
  if (target.exists === false) throw new NotVisibleError(notFound);
  // The target is the token's mailbox here; reuse the rights fetched with it when we have them.
  const rights = "rights" in target ? target.rights : await request.server.mailbox.mailboxes.rightsOf(claims.userId, claims.mailboxId);
  if (!rights) return hidden(request, op.surface, "no-mailbox-rights", notFound);
  if (op.access === "write") {
    const allowed = op.target === "mailbox" ? rightsCanCreate(rights) : rightsCanWrite(rights);
    if (!allowed) throw new Refusal(403, "insufficient-mailbox-rights");
  }
}

/** Stores the refusal (an attempt on someone else's object is worth an admin's eye), then answers as for a missing id. */
export async function hidden(request: FastifyRequest, surface: string, reason: string, notFound: string = NOT_FOUND_MESSAGE): Promise<never> {
  await recordRefusal(request, surface, new Refusal(403, reason), { answered: 404 });
  throw new NotVisibleError(notFound);
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
