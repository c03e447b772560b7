/**
 * The errors Outlook returns to add-ins, as data (outlook-addin-model.md §8).
 * Codes, names and messages are facts of the Office.js contract and carry over unchanged (add-ins compare them):
 * from the error-code article, the Outlook reference's per-member "Errors" lists and the runtime's strings.
 * The one catalogue: the token service's issue errors are read from here too (src/mailbox/tokens/scopes.ts).
 */

/** What an add-in receives in `asyncResult.error` (and what the host sends when it refuses a call). */
export interface OfficeErrorValue {
  readonly code: number;
  readonly name: string;
  readonly message: string;
}

export interface OfficeErrorInfo {
  readonly code: number;
  readonly name: string;
  /** May contain `{0}`, `{1}` … placeholders. */
  readonly message: string;
  /** When Outlook produces it. */
  readonly when: string;
  /** Where the reference's sources disagree about this code (§9.8). */
  readonly conflict?: string;
  /** Where the name, code or message comes from when the Outlook reference names the error without a number. */
  readonly basis?: string;
}

const entries: readonly OfficeErrorInfo[] = [
  { code: 1009, name: "FileTypeNotSupported", message: "The attachment has an extension that isn't allowed.", when: "addFileAttachmentAsync / addFileAttachmentFromBase64Async with a blocked file extension.", basis: "Name and message: the Outlook reference (Errors of addFileAttachmentAsync); it gives no number, so Outpost uses the Common API code for an unsupported file type (1009)." },
  { code: 2006, name: "InvalidFormatError", message: "The format of the specified data object is not valid.", when: "HTML written (coercionType Html) into a plain-text body; a malformed location.", basis: "Name: the Outlook reference (body.setAsync, appendOnSendAsync, enhancedLocation.addAsync); code and message: the Common API table's Invalid Format Error (2006)." },
  { code: 2009, name: "DataExceedsMaximumSize", message: "The {0} parameter is longer than {1} characters.", when: "A string argument over its documented limit (body 1,000,000; on-send 5,000; signature 30,000; subject and location 255).", basis: "Name and message: the Outlook reference (body.setAsync, subject.setAsync, appendOnSendAsync …); it gives no number, so Outpost uses the Common API code for data too large to write (2009)." },
  { code: 5000, name: "Host Error", message: "The operation is not supported.", when: "The host does not support the requested operation; Outpost also uses it for a member it does not know." },
  { code: 5001, name: "Internal Error", message: "An internal error has occurred.", when: "Unexpected host failure." },
  { code: 5004, name: "Invalid API Call", message: "Invalid API call in the current context.", when: "Member called in a mode or on an item type where it does not exist." },
  { code: 5100, name: "API Call Failed", message: "Wait until the previous call completes.", when: "Too many calls in flight.", conflict: "Generic Office.js error; not confirmed as Outlook's 3-simultaneous-calls error (§4.3)." },
  { code: 7000, name: "Permission Denied", message: "You don't have sufficient permissions for this action.", when: "The host refused a call the add-in's permissions do not allow.", conflict: "The error-code article lists 7000 as 'Invalid Id'; the 2022 runtime maps host access-denied to 7000 (§9.8)." },
  { code: 9000, name: "AttachmentSizeExceeded", message: "The attachment is larger than allowed.", when: "Attachment over the size limit." },
  { code: 9001, name: "NumberOfAttachmentsExceeded", message: "The message or appointment has too many attachments.", when: "Too many attachments." },
  { code: 9002, name: "InternalFormatError", message: "An internal format error occurred.", when: "Internal format error." },
  { code: 9003, name: "InvalidAttachmentId", message: "The attachment identifier does not exist.", when: "Unknown attachment id." },
  { code: 9004, name: "InvalidAttachmentPath", message: "The attachment path was invalid.", when: "Bad attachment URI." },
  { code: 9005, name: "CannotAddAttachmentBeforeUpgrade", message: "Attachments cannot be added while the full reply or forward is being retrieved from the server.", when: "Attachment added before the item was upgraded." },
  { code: 9006, name: "AttachmentDeletedBeforeUploadCompletes", message: "The user removed the attachment before upload has completed.", when: "Attachment removed during upload." },
  { code: 9007, name: "AttachmentUploadGeneralFailure", message: "The attachment cannot be added to the item.", when: "Attachment upload failed." },
  { code: 9008, name: "AttachmentToDeleteDoesNotExist", message: "The attachment cannot be deleted because attachment with the attachment index cannot be found.", when: "removeAttachmentAsync with an unknown id." },
  { code: 9009, name: "AttachmentDeleteGeneralFailure", message: "The attachment cannot be deleted from the item.", when: "Attachment removal failed." },
  { code: 9010, name: "InvalidEndTime", message: "The appointment end time is before the appointment start time.", when: "Time.setAsync making end < start." },
  { code: 9011, name: "HtmlSanitizationFailure", message: "The HTML sanitization has failed.", when: "HTML sanitization failed." },
  { code: 9012, name: "NumberOfRecipientsExceeded", message: "The number of recipients exceeded {0} entries.", when: "More than 100 recipients in one setAsync/addAsync call, or a field over 500 recipients." },
  { code: 9013, name: "NoValidRecipientsProvided", message: "No valid recipients were provided.", when: "No valid recipient in the call." },
  { code: 9014, name: "CursorPositionChanged", message: "The user changed the position of the cursor while the data was being inserted.", when: "Cursor moved during an insert." },
  { code: 9016, name: "PermissionDenied", message: "The user does not have permission to perform this action.", when: "The user's own rights forbid the change, e.g. a delegate editing the master category list.", conflict: "The error-code article lists 9016 as 'Permission denied' and the Outlook reference names the error PermissionDenied; the 2022 runtime's strings use 9016 for InvalidSelection (§9.8). Outpost follows the documentation." },
  { code: 9017, name: "AccessRestricted", message: "Internal protocol error: '{0}'.", when: "Host protocol error on token, EWS or custom-property calls.", conflict: "Documented name GenericTokenError; runtime name AccessRestricted (§9.8)." },
  { code: 9018, name: "GenericTokenError", message: "An internal error has occurred.", when: "Token unavailable, e.g. legacy Exchange Online tokens switched off." },
  { code: 9019, name: "GenericSettingsError", message: "The settings could not be saved.", when: "Roaming settings over 32 KB (2022 runtime).", conflict: "Documentation gives 9057 for the roaming-settings size limit (§9.8); Outpost answers 9057." },
  { code: 9020, name: "GenericResponseError", message: "An internal error has occurred.", when: "Generic response error." },
  { code: 9021, name: "SaveError", message: "Connection error occurred while trying to save the item on the server.", when: "saveAsync failed." },
  { code: 9022, name: "MessageInDifferentStoreError", message: "The EWS ID cannot be retrieved because the message is saved in another store.", when: "Item lives in another store." },
  { code: 9023, name: "DuplicateNotificationKey", message: "A notification with this key already exists.", when: "notificationMessages.addAsync with a used key." },
  { code: 9024, name: "NotificationKeyNotFound", message: "There are no notifications with the provided key.", when: "replace/remove with an unknown key." },
  { code: 9025, name: "NumberOfNotificationsExceeded", message: "The item already shows the maximum number of notifications.", when: "Too many notifications." },
  { code: 9026, name: "PersistedNotificationArrayReadError", message: "Saved notifications could not be read.", when: "Persisted notifications unreadable." },
  { code: 9027, name: "PersistedNotificationArraySaveError", message: "Notifications could not be saved.", when: "Persisted notifications not saved." },
  { code: 9028, name: "CannotPersistPropertyInUnsavedDraftError", message: "A persistent notification needs the draft to be saved first.", when: "Persistent notification on an unsaved draft." },
  { code: 9029, name: "CanOnlyGetTokenForSavedItem", message: "The token can't be retrieved until the item is saved.", when: "getCallbackTokenAsync in compose on an item never saved." },
  { code: 9030, name: "APICallFailedDueToItemChange", message: "The selected item has been changed.", when: "Item switched while a call was running." },
  { code: 9031, name: "InvalidParameterValueError", message: "A parameter value is not valid.", when: "Bad parameter value." },
  { code: 9032, name: "ApiCallNotSupportedByExtensionPoint", message: "API not supported for extension point.", when: "Member not available to the running extension point (e.g. event-based runtime)." },
  { code: 9033, name: "SetRecurrenceOnInstanceError", message: "Recurrence can only be set on the series, not on one occurrence.", when: "recurrence.setAsync on an instance." },
  { code: 9034, name: "InvalidRecurrenceError", message: "The recurrence pattern is not valid.", when: "Bad recurrence." },
  { code: 9035, name: "RecurrenceZeroOccurrences", message: "The recurrence produces no occurrence.", when: "Empty recurrence." },
  { code: 9036, name: "RecurrenceMaxOccurrences", message: "The recurrence produces more than 999 occurrences.", when: "Recurrence over 999 occurrences." },
  { code: 9037, name: "RecurrenceInvalidTimeZone", message: "The recurrence time zone is not valid.", when: "Bad recurrence time zone." },
  { code: 9038, name: "InsufficientItemPermissionsError", message: "The user doesn't have the permissions required to perform this operation.", when: "Mailbox or delegate rights (not the manifest permission) forbid the call." },
  { code: 9039, name: "RecurrenceUnsupportedAlternateCalendar", message: "Recurrence is not supported with an alternate calendar.", when: "Alternate calendar in use." },
  { code: 9040, name: "HTTPRequestFailure", message: "The HTTP request failed; see the diagnostics for the status code.", when: "Token or EWS request failed over HTTP." },
  { code: 9041, name: "NetworkError", message: "The user is no longer connected to the network. Please check your network connection and try again.", when: "No network." },
  { code: 9042, name: "InternalServerError", message: "The Exchange server returned an error; see the diagnostics.", when: "Exchange failed; in Exchange Online, legacy tokens switched off." },
  { code: 9043, name: "AttachmentTypeNotSupported", message: "The attachment type is not supported.", when: "getAttachmentContentAsync on an unsupported attachment type." },
  { code: 9044, name: "InvalidCategory", message: "Invalid categories were provided.", when: "Unknown category." },
  { code: 9045, name: "DuplicateCategory", message: "One of the categories provided is already in the master category list.", when: "Category added twice." },
  { code: 9046, name: "ItemNotSaved", message: "The ID can't be retrieved until the item is saved.", when: "getItemIdAsync on an item never saved." },
  { code: 9047, name: "MissingExtendedPermissionsForAPIError", message: "Extended Permission missing for the API call.", when: "e.g. appendOnSendAsync without AppendOnSend." },
  { code: 9048, name: "TokenAccessDenied", message: "A REST token is only available with ReadWriteMailbox permission when there is no item context.", when: "getCallbackTokenAsync without an item, unless isRest with ReadWriteMailbox." },
  { code: 9057, name: "Size Limit Exceeded", message: "A maximum of 32KB is available for the settings of each add-in.", when: "Roaming settings over 32 KB (error-code article).", conflict: "The 2022 runtime returns 9019 instead (§9.8); Outpost follows the documentation." },
];

export const OFFICE_ERRORS: ReadonlyMap<number, OfficeErrorInfo> = new Map(entries.map((e) => [e.code, e]));

/** The same catalogue keyed by name (the Outlook reference lists errors by name), e.g. `DataExceedsMaximumSize`. */
export const OFFICE_ERRORS_BY_NAME: ReadonlyMap<string, OfficeErrorInfo> = new Map(entries.map((e) => [e.name, e]));

/** The code of a catalogue error named as the Outlook reference names it; throws on an unknown name. */
export function officeErrorCode(name: string): number {
  const info = OFFICE_ERRORS_BY_NAME.get(name);
  if (!info) throw new RangeError(`Unknown Office error name ${name}`);
  return info.code;
}

/** Codes used by the permission decision, named so callers never write a bare number. */
export const ERROR_CODES = {
  hostError: 5000,
  invalidApiCall: 5004,
  permissionDenied: 7000,
  canOnlyGetTokenForSavedItem: 9029,
  apiCallNotSupportedByExtensionPoint: 9032,
  internalServerError: 9042,
  genericTokenError: 9018,
  missingExtendedPermissions: 9047,
  tokenAccessDenied: 9048,
  itemNotSaved: 9046,
  dataExceedsMaximumSize: 2009,
  invalidFormat: 2006,
  fileTypeNotSupported: 1009,
  numberOfRecipientsExceeded: 9012,
  invalidParameterValue: 9031,
  sizeLimitExceeded: 9057,
  legacyTokensOff: 9042,
} as const;

function fill(template: string, params: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => params[Number(i)] ?? whole);
}

/** The error value for a code, placeholders filled from `params`. Throws on a code not in the table (a programming error). */
export function officeError(code: number, params: readonly string[] = []): OfficeErrorValue {
  const info = OFFICE_ERRORS.get(code);
  if (!info) throw new RangeError(`Unknown Office error code ${code}`);
  return { code: info.code, name: info.name, message: fill(info.message, params) };
}

/**
 * Messages office.js throws synchronously (a plain `Error`, callback never runs) when a client-side check fails (§8.1).
 * The two permission messages keep Outlook's wording: add-ins and their tests match on them.
 */
export const THROWN_MESSAGES = {
  elevatedPermission: "Elevated permission is required to call the method: '{0}'.",
  protectedMembers: "Elevated permission is required to access protected members of the JavaScript API for Office.",
  itemIsNull: "Invalid operation ({0}) when Office.context.mailbox.item is null.",
  restTokenWithoutItem: "A REST token is only available with ReadWriteMailbox permission when there is no item context.",
  ewsRequestTooLarge: "The EWS request is larger than the 1 MB limit; make it smaller.",
} as const;

export type ThrownMessageId = keyof typeof THROWN_MESSAGES;

export function thrownMessage(id: ThrownMessageId, params: readonly string[] = []): string {
  return fill(THROWN_MESSAGES[id], params);
}

/** The exact synchronous permission error for a method, e.g. `elevatedPermissionMessage("body.setAsync")`. */
export function elevatedPermissionMessage(method: string): string {
  return thrownMessage("elevatedPermission", [method]);
}
