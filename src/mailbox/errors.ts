/** Errors of the mailbox domain. Surfaces map `code` to their own wire format (HTTP status, EWS ResponseCode). */
export type MailboxErrorCode =
  | "NotFound"
  | "AccessDenied"
  | "InvalidRequest"
  | "Conflict"
  | "LimitExceeded"
  | "InvalidCategory"
  | "DuplicateCategory";

const STATUS: Record<MailboxErrorCode, number> = {
  NotFound: 404,
  AccessDenied: 403,
  InvalidRequest: 400,
  Conflict: 409,
  LimitExceeded: 413,
  InvalidCategory: 400,
  DuplicateCategory: 409,
};

/**
 * Which storage limit a LimitExceeded names, so each surface answers it with its own documented error (the bridge:
 * the permission table's onExceed for that limit) instead of one generic "too large".
 */
export type StorageLimit = "body" | "recipientsPerField" | "attachmentBytes" | "attachmentsPerItem" | "internetHeadersBytes" | "customProperties" | "roamingSettings";

export class MailboxError extends Error {
  readonly status: number;
  constructor(
    readonly code: MailboxErrorCode,
    message: string,
    readonly limit?: StorageLimit,
  ) {
    super(message);
    this.name = "MailboxError";
    this.status = STATUS[code];
  }
}

export const notFound = (what: string) => new MailboxError("NotFound", `${what} not found`);
export const accessDenied = (why: string) => new MailboxError("AccessDenied", why);
export const invalid = (why: string) => new MailboxError("InvalidRequest", why);

/** An attachment over the 25 MB limit (surfaces that report it with their own code tell it apart by class). */
export class AttachmentTooLargeError extends MailboxError {
  constructor() {
    super("LimitExceeded", "attachment exceeds 25 MB", "attachmentBytes");
  }
}
