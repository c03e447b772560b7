/**
 * What each kind of token may do, as data. Facts: shared/reference/outlook-addin-model.md §2 rows 19–22, §2.2, §2.3.
 *
 * - getCallbackTokenAsync needs ReadItem (row 19). Restricted add-ins cannot get any token.
 * - REST token (isRest:true): read-only, current item and its attachments, unless ReadWriteMailbox — then
 *   mailbox-wide read/write ("in most cases" read-only even with ReadWriteItem).
 * - EWS callback token (isRest:false): current item only, GetItem and GetAttachment; with ReadWriteMailbox the
 *   token reaches the whole mailbox, read and write (on-premises behaviour, §2.3), for the makeEwsRequestAsync
 *   operation whitelist.
 * - No item context: only a REST token with ReadWriteMailbox (else 9048). Compose: the item must be saved (9029).
 * - Identity tokens (getUserIdentityTokenAsync, ReadItem): identify the user to the add-in's own server; they open
 *   nothing on REST or EWS.
 * - The mode (read or compose form) changes only whether a token can be issued (9029), not what it may do.
 */
import type { Tier } from "../../permissions/tiers.ts";
import { ERROR_CODES, elevatedPermissionMessage, officeError } from "../../permissions/office-errors.ts";

export type TokenKind = "rest" | "ews" | "identity";
export type FormMode = "read" | "compose";
export type Access = "read" | "write";
/** item: only the item the token was issued for (and its attachments); mailbox: every item and folder of the mailbox. */
export type Reach = "item" | "mailbox";

export interface TokenScope {
  access: "none" | "read" | "readwrite";
  reach: Reach | "none";
}

/** The scope a token of `kind` carries when issued to an add-in of `tier`. `undefined`: not issued at that tier. */
export const TOKEN_SCOPES: Readonly<Record<TokenKind, Readonly<Record<Tier, TokenScope | undefined>>>> = {
  rest: {
    Restricted: undefined,
    ReadItem: { access: "read", reach: "item" },
    ReadWriteItem: { access: "read", reach: "item" },
    ReadWriteMailbox: { access: "readwrite", reach: "mailbox" },
  },
  ews: {
    Restricted: undefined,
    ReadItem: { access: "read", reach: "item" },
    ReadWriteItem: { access: "read", reach: "item" },
    ReadWriteMailbox: { access: "readwrite", reach: "mailbox" },
  },
  identity: {
    Restricted: undefined,
    ReadItem: { access: "none", reach: "none" },
    ReadWriteItem: { access: "none", reach: "none" },
    ReadWriteMailbox: { access: "none", reach: "none" },
  },
};

/** Token lifetime: Outlook's callback tokens live 5 minutes. */
export const TOKEN_LIFETIME_SECONDS = 5 * 60;

/** The EWS operations makeEwsRequestAsync may call, plus GetAttachment for callback-token use. */
export const EWS_OPERATIONS = [
  "GetItem",
  "FindItem",
  "CreateItem",
  "UpdateItem",
  "SendItem",
  "MoveItem",
  "CopyItem",
  "GetFolder",
  "FindFolder",
  "CreateFolder",
  "UpdateFolder",
  "MarkAsJunk",
  "FindConversation",
  "GetConversationItems",
  "GetAttachment",
] as const;
export type EwsOperation = (typeof EWS_OPERATIONS)[number];

/** An item-reach EWS token opens only these. */
export const EWS_ITEM_TOKEN_OPERATIONS: readonly EwsOperation[] = ["GetItem", "GetAttachment"];

export interface OperationSpec {
  surface: "rest" | "ews";
  access: Access;
  /** item: names one existing item (or one of its attachments); mailbox: lists, searches or creates in the mailbox. */
  target: "item" | "mailbox";
}

/** Every operation of the REST and EWS surfaces, with the access it needs. The servers look their routes up here. */
export const OPERATIONS = {
  "rest.getMessage": { surface: "rest", access: "read", target: "item" },
  "rest.listAttachments": { surface: "rest", access: "read", target: "item" },
  "rest.getAttachment": { surface: "rest", access: "read", target: "item" },
  "rest.getAttachmentValue": { surface: "rest", access: "read", target: "item" },
  "rest.listFolders": { surface: "rest", access: "read", target: "mailbox" },
  "rest.getFolder": { surface: "rest", access: "read", target: "mailbox" },
  "rest.listMessages": { surface: "rest", access: "read", target: "mailbox" },
  "rest.createMessage": { surface: "rest", access: "write", target: "mailbox" },
  "rest.createFolder": { surface: "rest", access: "write", target: "mailbox" },
  "rest.updateMessage": { surface: "rest", access: "write", target: "item" },
  "rest.deleteMessage": { surface: "rest", access: "write", target: "item" },
  "rest.moveMessage": { surface: "rest", access: "write", target: "item" },
  "rest.copyMessage": { surface: "rest", access: "write", target: "item" },
  "rest.sendMessage": { surface: "rest", access: "write", target: "item" },
  "rest.addAttachment": { surface: "rest", access: "write", target: "item" },
  "rest.deleteAttachment": { surface: "rest", access: "write", target: "item" },
  "ews.GetItem": { surface: "ews", access: "read", target: "item" },
  "ews.GetAttachment": { surface: "ews", access: "read", target: "item" },
  "ews.FindItem": { surface: "ews", access: "read", target: "mailbox" },
  "ews.GetFolder": { surface: "ews", access: "read", target: "mailbox" },
  "ews.FindFolder": { surface: "ews", access: "read", target: "mailbox" },
  "ews.FindConversation": { surface: "ews", access: "read", target: "mailbox" },
  "ews.GetConversationItems": { surface: "ews", access: "read", target: "mailbox" },
  "ews.CreateItem": { surface: "ews", access: "write", target: "mailbox" },
  "ews.CreateFolder": { surface: "ews", access: "write", target: "mailbox" },
  "ews.UpdateFolder": { surface: "ews", access: "write", target: "mailbox" },
  "ews.UpdateItem": { surface: "ews", access: "write", target: "item" },
  "ews.SendItem": { surface: "ews", access: "write", target: "item" },
  "ews.MoveItem": { surface: "ews", access: "write", target: "item" },
  "ews.CopyItem": { surface: "ews", access: "write", target: "item" },
  "ews.MarkAsJunk": { surface: "ews", access: "write", target: "item" },
} as const satisfies Record<string, OperationSpec>;
export type OperationId = keyof typeof OPERATIONS;

/**
 * Outlook's errors when a token cannot be issued, read from the one Office error catalogue (src/permissions).
 * `thrown`: the client throws instead of failing async. Only legacyTokensOff words its message for Outpost's case.
 */
const issueError = (code: number, thrown: boolean, message?: string) => {
  const e = officeError(code);
  return { code: e.code, name: e.name, thrown, message: message ?? e.message };
};
export const TOKEN_ISSUE_ERRORS = {
  elevatedPermission: issueError(ERROR_CODES.permissionDenied, true, elevatedPermissionMessage("mailbox.getCallbackTokenAsync")),
  unsavedItem: issueError(ERROR_CODES.canOnlyGetTokenForSavedItem, false),
  noItemContext: issueError(ERROR_CODES.tokenAccessDenied, false),
  legacyTokensOff: issueError(ERROR_CODES.legacyTokensOff, false, "Legacy Exchange tokens are turned off for this organization."),
} as const;
export type TokenIssueErrorKey = keyof typeof TOKEN_ISSUE_ERRORS;
