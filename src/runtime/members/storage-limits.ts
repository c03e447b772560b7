/**
 * A limit the mailbox store enforced (MailboxError with `limit`), answered with the error the permission table
 * names for that limit (`onExceed` of the row's limit), as a member checking it itself would: no second mapping of
 * limits to codes. The rows are the members that reach the limit; the error is the same whichever reached it.
 */
import { ERROR_CODES, officeError, type OfficeErrorValue } from "../../permissions/index.ts";
import type { StorageLimit } from "../../mailbox/index.ts";
import { limitError, tableLimit } from "./limits.ts";

const I = "Office.context.mailbox.item";

/** The table row and limit (`what`) behind each storage limit. */
export const STORAGE_LIMIT_ROWS: Readonly<Record<StorageLimit, readonly [path: string, what: string]>> = {
  body: [`${I}.body.setAsync`, "data"],
  recipientsPerField: [`${I}.to.addAsync`, "recipients per field"],
  attachmentBytes: [`${I}.addFileAttachmentAsync`, "attachment size"],
  attachmentsPerItem: [`${I}.addFileAttachmentAsync`, "attachments per item"],
  internetHeadersBytes: [`${I}.internetHeaders.setAsync`, "headers per message (Exchange Online)"],
  customProperties: ["Office.CustomProperties.saveAsync", "custom properties as JSON, per item and add-in"],
  roamingSettings: ["Office.context.roamingSettings.saveAsync", "settings as JSON"],
};

/** The Office error for a storage limit; one the store does not name keeps the documented roaming-settings code. */
export function storageLimitError(limit: StorageLimit | undefined): OfficeErrorValue {
  if (!limit) return officeError(ERROR_CODES.sizeLimitExceeded);
  const [path, what] = STORAGE_LIMIT_ROWS[limit];
  return limitError(tableLimit(path, what)).error;
}
