/**
 * THE table of Outlook mailbox API members and the permission each needs. Server-side enforcement, the add-in-facing
 * Office.js surface, the least-privilege auditor and docs/reference/permissions.md all read it; nothing else may
 * hard-code a tier for an API member. Facts: outlook-addin-model.md §2 (row numbers in `refRow`), choices: §9 and
 * docs/permissions.md. Member names and requirement sets are checked against `@types/office-js` by the tests.
 *
 * Rule for `minTier`: the stricter of the documented level and the level the 2022 runtime checks; every row where
 * that differs from the documented level names its `tierChoice`.
 */
import type { Tier } from "./tiers.ts";
import type {
  ApiMember,
  DeniedError,
  EntityType,
  ItemType,
  Limit,
  LimitCheck,
  MemberKind,
  MemberStatus,
  Mode,
  RequirementSetVariant,
  RestrictedBehaviour,
  SourceTag,
  SupplementaryRequirement,
  TierChoice,
  TierChoiceId,
} from "./api-types.ts";

const R = "Restricted";
const RI = "ReadItem";
const RWI = "ReadWriteItem";
const RWM = "ReadWriteMailbox";

const RD: readonly Mode[] = ["read"];
const CP: readonly Mode[] = ["compose"];
const RC: readonly Mode[] = ["read", "compose"];
const MSG: readonly ItemType[] = ["message"];
const APPT: readonly ItemType[] = ["appointment"];
const ALL: readonly ItemType[] = ["message", "appointment"];

const ATTACHMENT_BYTES_LIMIT: Limit = { what: "attachment size", max: 25 * 1024 * 1024, unit: "bytes", onExceed: "AttachmentSizeExceeded", note: "25 MB" };
/** State-dependent (the item's current attachments): the store refuses the 500th, the bridge answers this error. */
const ATTACHMENTS_PER_ITEM_LIMIT: Limit = { what: "attachments per item", max: 499, unit: "items", onExceed: "NumberOfAttachmentsExceeded", note: "Outlook on the web and new Outlook" };

const APPEND_ON_SEND: SupplementaryRequirement = { combinator: "allOf", permissions: ["AppendOnSend"], missingError: 9047 };
const SHARED_FOLDER: SupplementaryRequirement = { combinator: "allOf", permissions: ["SharedFolder"], missingError: 9047 };

export const TIER_CHOICES: Readonly<Record<TierChoiceId, TierChoice>> = {
  runtimeStricterSubjectLocation: {
    id: "runtimeStricterSubjectLocation",
    section: "§9.2",
    summary: "subject.setAsync and location.setAsync: reference says ReadItem, permissions article and both runtimes require ReadWriteItem.",
    reason: "Writing the item is what ReadWriteItem exists for; Outlook itself refuses the call below it.",
  },
  runtimeStricterSessionData: {
    id: "runtimeStricterSessionData",
    section: "§9.3",
    summary: "sessionData.getAsync/setAsync: reference says ReadItem, the 2022 runtime requires ReadWriteItem.",
    reason: "The current runtime refuses the call below ReadWriteItem; an add-in tested at ReadItem here would fail in Outlook.",
  },
  runtimeStricterSelectedData: {
    id: "runtimeStricterSelectedData",
    section: "§9.4",
    summary: "item.getSelectedDataAsync: reference says ReadItem, the 2022 runtime requires ReadWriteItem (2016: ReadItem).",
    reason: "The newest runtime is stricter; we follow it so that nothing passes here that fails in Outlook.",
  },
  undocumentedRuntimeCheck: {
    id: "undocumentedRuntimeCheck",
    section: "§2 row 30",
    summary: "item.move is undocumented; the 2022 runtime checks ReadWriteMailbox.",
    reason: "No documented level exists; the runtime's check is the only fact.",
  },
  noDocumentedMinimum: {
    id: "noDocumentedMinimum",
    section: "§2 row 7",
    summary: "mailbox.item has no documented minimum.",
    reason: "The item object itself carries no data; every member under it has its own gate, so the container is open at Restricted.",
  },
};

interface Facts {
  readonly modes: readonly Mode[];
  readonly items: readonly ItemType[];
  /** Requirement set number ("1.3") or "preview". */
  readonly set: string;
  readonly src: readonly SourceTag[];
  readonly row: number | readonly number[];
  /** Documented level when it differs from the enforced one (null: none documented). */
  readonly documented?: Tier | null;
  readonly runtime?: Tier;
  readonly choice?: TierChoiceId;
  readonly status?: MemberStatus;
  readonly supplementary?: SupplementaryRequirement;
  readonly legacy?: boolean;
  readonly restricted?: RestrictedBehaviour;
  readonly perEntity?: Readonly<Record<EntityType, Tier>>;
  readonly limits?: readonly Limit[];
  /** The {0} of the elevated-permission message when it is not the last two path segments. */
  readonly deniedAs?: string;
  readonly withoutItemContext?: "restTokenAtReadWriteMailboxOnly";
  readonly variants?: readonly RequirementSetVariant[];
  /** Error names the reference lists for the member (checked against @types/office-js by test/permissions/conformance.test.ts). */
  readonly errors?: readonly string[];
}

function row(kind: MemberKind, path: string, minTier: Tier, f: Facts, description: string): ApiMember {
  const restricted: RestrictedBehaviour =
    f.restricted ?? (minTier === R ? { kind: "allowed" } : kind === "property" ? { kind: "withhold", value: "undefined" } : { kind: "throw" });
  const deniedError: DeniedError =
    kind === "property" ? { kind: "protectedMember" } : { kind: "elevatedPermission", method: f.deniedAs ?? path.split(".").slice(-2).join(".") };
  return {
    path,
    kind,
    minTier,
    documentedTier: f.documented === undefined ? minTier : f.documented,
    ...(f.runtime ? { runtimeTier: f.runtime } : {}),
    ...(f.choice ? { tierChoice: f.choice } : {}),
    modes: f.modes,
    itemTypes: f.items,
    requirementSet: `Mailbox ${f.set}`,
    ...(f.variants ? { requirementSetVariants: f.variants } : {}),
    ...(f.errors ? { documentedErrors: f.errors } : {}),
    status: f.status ?? (f.set === "preview" ? "preview" : "ga"),
    ...(f.supplementary ? { supplementary: f.supplementary } : {}),
    legacyExchangeToken: f.legacy ?? false,
    restrictedBehaviour: restricted,
    ...(f.perEntity ? { perEntityTypeTier: f.perEntity } : {}),
    ...(f.limits ? { limits: f.limits } : {}),
    ...(f.withoutItemContext ? { withoutItemContext: f.withoutItemContext } : {}),
    deniedError,
    description,
    source: f.src,
    refRows: typeof f.row === "number" ? [f.row] : f.row,
  };
}

const method = (path: string, minTier: Tier, f: Facts, description: string): ApiMember => row("method", path, minTier, f, description);
const property = (path: string, minTier: Tier, f: Facts, description: string): ApiMember => row("property", path, minTier, f, description);

const MB = "Office.context.mailbox";
const IT = "Office.context.mailbox.item";

const chars = (what: string, max: number, onExceed?: string, note?: string, check?: LimitCheck): Limit => ({ what, max, unit: "chars", ...(onExceed ? { onExceed } : {}), ...(note ? { note } : {}), ...(check ? { check } : {}) });
/** A string argument measured before the call runs; over the limit: DataExceedsMaximumSize naming the parameter. */
const argChars = (what: string, max: number, param: string, arg = 0, note?: string): Limit => chars(what, max, "DataExceedsMaximumSize", note, { arg, measure: "length", param });
const SUBJECT_LIMIT = argChars("subject length", 255, "subject");
const LOCATION_LIMIT = argChars("location length", 255, "location");
/** displayNew*Form / displayReply*Form: office.js throws ArgumentOutOfRange itself; the member reads these maxima. */
const FORM_SUBJECT_LIMIT = chars("subject of the form", 255, "throws ArgumentOutOfRange");
const FORM_BODY_LIMIT = chars("body of the form", 32_768, "throws ArgumentOutOfRange", "32 KB");
/** The other parameters of displayNewMessageForm / displayNewAppointmentForm (office.js throws ArgumentOutOfRange). */
const FORM_LIMITS: readonly Limit[] = [
  FORM_SUBJECT_LIMIT,
  FORM_BODY_LIMIT,
  chars("location of the form", 255, "throws ArgumentOutOfRange"),
  { what: "recipients per field of the form", max: 100, unit: "recipients", onExceed: "throws ArgumentOutOfRange" },
  chars("address of a form recipient", 571, "throws ArgumentOutOfRange"),
  chars("display name of a form recipient", 255, "throws ArgumentOutOfRange"),
  { what: "attachments of the form", max: 100, unit: "items", onExceed: "throws ArgumentOutOfRange" },
  chars("name of a form attachment", 255, "throws ArgumentOutOfRange"),
  chars("URL of a form attachment", 2_048, "throws ArgumentOutOfRange"),
];
const SET_BODY_LIMIT = argChars("data", 1_000_000, "data");
const ON_SEND_LIMIT = argChars("data", 5_000, "data");
const RECIPIENT_LIMITS: readonly Limit[] = [
  { what: "recipients per call", max: 100, unit: "recipients", onExceed: "NumberOfRecipientsExceeded", check: { arg: 0, measure: "count" } },
  { what: "recipients per field", max: 500, unit: "recipients", onExceed: "NumberOfRecipientsExceeded" },
  chars("display name length", 255, "InvalidParameterValueError", undefined, { arg: 0, measure: "eachLength", field: "displayName" }),
  chars("SMTP address length", 571, "InvalidParameterValueError", undefined, { arg: 0, measure: "eachLength", field: "emailAddress" }),
];
const BODY_WRITE_ERRORS = ["DataExceedsMaximumSize", "InvalidFormatError"] as const;

const ENTITY_TIERS: Readonly<Record<EntityType, Tier>> = {
  Address: R,
  Url: R,
  PhoneNumber: R,
  EmailAddress: RI,
  Contact: RI,
  MeetingSuggestion: RI,
  TaskSuggestion: RI,
  FlightReservations: RI,
  ParcelDeliveries: RI,
};

function recipientRows(field: "to" | "cc" | "bcc" | "requiredAttendees" | "optionalAttendees"): ApiMember[] {
  const items = field === "requiredAttendees" || field === "optionalAttendees" ? APPT : MSG;
  const p = `${IT}.${field}`;
  return [
    method(`${p}.getAsync`, RI, { modes: CP, items, set: "1.1", runtime: RI, src: ["DTS", "JS22"], row: 83 }, `Read the ${field} recipients of the item being composed.`),
    method(`${p}.setAsync`, RWI, { modes: CP, items, set: "1.1", runtime: RWI, limits: RECIPIENT_LIMITS, errors: ["NumberOfRecipientsExceeded"], src: ["DTS", "JS22", "LIM"], row: 84 }, `Replace the ${field} recipients.`),
    method(`${p}.addAsync`, RWI, { modes: CP, items, set: "1.1", runtime: RWI, limits: RECIPIENT_LIMITS, errors: ["NumberOfRecipientsExceeded"], src: ["DTS", "JS22", "LIM"], row: 84 }, `Add recipients to ${field}.`),
  ];
}

function timeRows(field: "start" | "end"): ApiMember[] {
  const p = `${IT}.${field}`;
  return [
    method(`${p}.getAsync`, RI, { modes: CP, items: APPT, set: "1.1", runtime: RI, src: ["DTS", "JS22"], row: 89 }, `Read the ${field} time of the appointment being composed.`),
    method(`${p}.setAsync`, RWI, { modes: CP, items: APPT, set: "1.1", runtime: RWI, errors: ["InvalidEndTime"], src: ["DTS", "JS22"], row: 90 }, `Change the ${field} time (end before start fails with 9010).`),
  ];
}

export const API_TABLE: readonly ApiMember[] = [
  // ── Office.context ────────────────────────────────────────────────────────────────────────────────
  property(MB, R, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 1 }, "The mailbox object, root of the Outlook API."),
  property("Office.context.roamingSettings", R, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 2 }, "Per-user, per-add-in settings stored in the mailbox."),
  method("Office.context.roamingSettings.get", R, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 2 }, "Read one roaming setting."),
  method("Office.context.roamingSettings.set", R, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 2 }, "Set one roaming setting in memory."),
  method("Office.context.roamingSettings.remove", R, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 2 }, "Remove one roaming setting in memory."),
  method("Office.context.roamingSettings.saveAsync", R, { modes: RC, items: ALL, set: "1.1", limits: [{ what: "settings as JSON", max: 32_768, unit: "bytes", onExceed: "Size Limit Exceeded", note: "32 KB; the 2022 runtime answers 9019 GenericSettingsError, the documentation 9057" }], src: ["DTS", "LIM", "JS22"], row: 2 }, "Persist the roaming settings to the mailbox."),
  method("Office.context.sensitivityLabelsCatalog.getAsync", RWI, { modes: CP, items: ALL, set: "1.13", src: ["DTS"], row: 3 }, "List the sensitivity labels available to the user."),
  method("Office.context.sensitivityLabelsCatalog.getIsEnabledAsync", RWI, { modes: CP, items: ALL, set: "1.13", src: ["DTS"], row: 3 }, "Tell whether sensitivity labels are enabled for the mailbox."),

  // ── Event objects and what add-ins hand back to them ──────────────────────────────────────────────
  method("Office.MailboxEvent.completed", R, { modes: RC, items: ALL, set: "1.10", src: ["DTS"], row: 4 }, "Signal that an event-based handler has finished."),
  method("Office.AddinCommands.Event.completed", R, { modes: RC, items: ALL, set: "1.3", src: ["DTS"], row: 4 }, "Signal that a function command has finished."),
  property("Office.SmartAlertsEventCompletedOptions.allowEvent", R, { modes: CP, items: ALL, set: "1.12", src: ["DTS"], row: 5 }, "Whether the send may go ahead."),
  property("Office.SmartAlertsEventCompletedOptions.errorMessage", R, { modes: CP, items: ALL, set: "1.12", src: ["DTS"], row: 5 }, "Text shown when the send is blocked."),
  property("Office.SmartAlertsEventCompletedOptions.cancelLabel", R, { modes: CP, items: ALL, set: "1.14", src: ["DTS"], row: 5 }, "Label of the Smart Alerts dialog's cancel button."),
  property("Office.SmartAlertsEventCompletedOptions.commandId", R, { modes: CP, items: ALL, set: "1.14", variants: [{ set: "1.15", when: "a function command (1.14: a task pane)" }], src: ["DTS"], row: 5 }, "Task pane or function the dialog's button opens."),
  property("Office.SmartAlertsEventCompletedOptions.contextData", R, { modes: CP, items: ALL, set: "1.14", src: ["DTS"], row: 5 }, "Data passed to the command the dialog opens."),
  property("Office.SmartAlertsEventCompletedOptions.sendModeOverride", R, { modes: CP, items: ALL, set: "1.14", src: ["DTS"], row: 5 }, "Override of the manifest's send mode for this send."),
  property("Office.SmartAlertsEventCompletedOptions.errorMessageMarkdown", R, { modes: CP, items: ALL, set: "1.15", src: ["DTS"], row: 5 }, "Markdown text shown when the send is blocked."),
  property("Office.SpamReportingEventCompletedOptions.commandId", RI, { modes: RD, items: MSG, set: "1.15", src: ["DTS"], row: 6 }, "Command opened after a spam report."),
  property("Office.SpamReportingEventCompletedOptions.contextData", RI, { modes: RD, items: MSG, set: "1.15", src: ["DTS"], row: 6 }, "Data passed to that command."),
  property("Office.SpamReportingEventCompletedOptions.folderName", RI, { modes: RD, items: MSG, set: "1.14", src: ["DTS"], row: 6 }, "Folder a reported message moves to."),
  property("Office.SpamReportingEventCompletedOptions.moveItemTo", RI, { modes: RD, items: MSG, set: "1.14", src: ["DTS"], row: 6 }, "Where a reported message goes."),
  property("Office.SpamReportingEventCompletedOptions.onErrorDeleteItem", RI, { modes: RD, items: MSG, set: "1.14", src: ["DTS"], row: 6 }, "Delete the message if moving it fails."),
  property("Office.SpamReportingEventCompletedOptions.postProcessingAction", RI, { modes: RD, items: MSG, set: "1.14", src: ["DTS"], row: 6 }, "What happens to a reported message."),
  property("Office.SpamReportingEventCompletedOptions.showPostProcessingDialog", RI, { modes: RD, items: MSG, set: "1.14", src: ["DTS"], row: 6 }, "Whether to show the after-report dialog."),

  // ── Mailbox ──────────────────────────────────────────────────────────────────────────────────────
  property(IT, R, { modes: RC, items: ALL, set: "1.1", documented: null, choice: "noDocumentedMinimum", src: ["DTS"], row: 7 }, "The current item; null when no item is open (pinned pane without item)."),
  property(`${MB}.userProfile`, RI, { modes: RC, items: ALL, set: "1.1", restricted: { kind: "throw" }, src: ["DTS", "PERM", "JS16"], row: 8 }, "The signed-in user's profile (blocked at Restricted)."),
  property(`${MB}.userProfile.displayName`, RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS", "PERM"], row: 8 }, "The user's display name."),
  property(`${MB}.userProfile.emailAddress`, RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS", "PERM"], row: 8 }, "The user's SMTP address."),
  property(`${MB}.userProfile.timeZone`, RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS", "PERM"], row: 8 }, "The user's default time zone."),
  property(`${MB}.userProfile.accountType`, RI, { modes: RC, items: ALL, set: "1.6", src: ["DTS", "PERM"], row: 8 }, "The kind of account (enterprise, Gmail, Office 365, Outlook.com)."),
  property(`${MB}.diagnostics`, RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 9 }, "Information about the Outlook client."),
  property(`${MB}.diagnostics.hostName`, RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 9 }, "Name of the Outlook client."),
  property(`${MB}.diagnostics.hostVersion`, RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 9 }, "Version of the client or of Exchange."),
  property(`${MB}.diagnostics.OWAView`, RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 9 }, "Layout of Outlook on the web (one, two or three columns)."),
  property(`${MB}.diagnostics.ews`, RI, { modes: RC, items: ALL, set: "1.16", src: ["DTS"], row: 10 }, "Access to the EWS token status."),
  method(`${MB}.diagnostics.ews.getTokenStatusAsync`, RI, { modes: RC, items: ALL, set: "1.16", src: ["DTS"], row: 10 }, "Tell whether legacy EWS/REST tokens are enabled, disabled or removed."),
  property(`${MB}.ewsUrl`, RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS", "JS16"], row: 11 }, "URL of the EWS endpoint (compose: item must be saved)."),
  property(`${MB}.restUrl`, RI, { modes: RC, items: ALL, set: "1.5", src: ["DTS"], row: 12 }, "URL of the REST endpoint (compose: item must be saved)."),
  method(`${MB}.convertToEwsId`, R, { modes: RC, items: ALL, set: "1.3", src: ["DTS"], row: 13 }, "Convert a REST id to an EWS id."),
  method(`${MB}.convertToRestId`, R, { modes: RC, items: ALL, set: "1.3", src: ["DTS"], row: 13 }, "Convert an EWS id to a REST id."),
  method(`${MB}.convertToLocalClientTime`, RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 14 }, "Turn a UTC date into the client's local time parts."),
  method(`${MB}.convertToUtcClientTime`, RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 14 }, "Turn local time parts into a UTC date."),
  method(`${MB}.displayMessageForm`, RI, { modes: RC, items: ALL, set: "1.1", runtime: RI, src: ["DTS", "JS22"], row: 15 }, "Open an existing message by id."),
  method(`${MB}.displayMessageFormAsync`, RI, { modes: RC, items: ALL, set: "1.9", runtime: RI, src: ["DTS", "JS22"], row: 15 }, "Open an existing message by id, with a callback."),
  method(`${MB}.displayAppointmentForm`, RI, { modes: RC, items: ALL, set: "1.1", runtime: RI, src: ["DTS", "JS22"], row: 16 }, "Open an existing appointment by id."),
  method(`${MB}.displayAppointmentFormAsync`, RI, { modes: RC, items: ALL, set: "1.9", runtime: RI, src: ["DTS", "JS22"], row: 16 }, "Open an existing appointment by id, with a callback."),
  method(`${MB}.displayNewMessageForm`, RI, { modes: RD, items: ALL, set: "1.6", runtime: RI, limits: FORM_LIMITS, src: ["DTS", "JS22", "LIM"], row: 17 }, "Open a new message form pre-filled by the add-in."),
  method(`${MB}.displayNewMessageFormAsync`, RI, { modes: RD, items: ALL, set: "1.9", runtime: RI, limits: FORM_LIMITS, src: ["DTS", "JS22", "LIM"], row: 17 }, "Open a pre-filled new message form, with a callback."),
  method(`${MB}.displayNewAppointmentForm`, RI, { modes: RD, items: ALL, set: "1.1", runtime: RI, limits: FORM_LIMITS, src: ["DTS", "JS22", "LIM"], row: 18 }, "Open a new appointment form pre-filled by the add-in."),
  method(`${MB}.displayNewAppointmentFormAsync`, RI, { modes: RD, items: ALL, set: "1.9", runtime: RI, limits: FORM_LIMITS, src: ["DTS", "JS22", "LIM"], row: 18 }, "Open a pre-filled new appointment form, with a callback."),
  method(`${MB}.getCallbackTokenAsync`, RI, { modes: RC, items: ALL, set: "1.1", variants: [{ set: "1.3", when: "compose mode (callback overload)", modes: CP }, { set: "1.5", when: "the options overload (isRest, REST tokens)" }], runtime: RI, legacy: true, withoutItemContext: "restTokenAtReadWriteMailboxOnly", src: ["DTS", "JS22", "USE-REST", "PERM"], row: [19, 20] }, "Get a 5-minute Exchange callback token (EWS by default, REST with isRest)."),
  method(`${MB}.getUserIdentityTokenAsync`, RI, { modes: RC, items: ALL, set: "1.1", runtime: RI, legacy: true, deniedAs: "mailbox.getUserIdentityToken", src: ["DTS", "JS22", "PERM"], row: 21 }, "Get an Exchange identity token for the user (on-premises only today)."),
  method(`${MB}.makeEwsRequestAsync`, RWM, { modes: RC, items: ALL, set: "1.1", runtime: RWM, legacy: true, deniedAs: "mailbox.makeEwsRequest", limits: [chars("EWS request", 1_000_000, "throws synchronously", "5 MB on newer clients; request and response")], src: ["DTS", "JS22", "PERM", "LIM"], row: 22 }, "Send a whitelisted EWS request on the user's behalf."),
  method(`${MB}.getSelectedItemsAsync`, RWM, { modes: RC, items: ALL, set: "1.13", limits: [{ what: "selected items", max: 100, unit: "items", note: "Outlook lets the user select at most 100 messages" }], src: ["DTS", "LIM"], row: 23 }, "List the messages the user selected."),
  method(`${MB}.loadItemByIdAsync`, RWM, { modes: RC, items: ALL, set: "1.15", src: ["DTS"], row: 24 }, "Load one of the selected messages to read its properties."),
  property("Office.SelectedItemDetails.itemId", RWM, { modes: RC, items: MSG, set: "1.13", src: ["DTS"], row: 25 }, "Id of a selected message."),
  property("Office.SelectedItemDetails.subject", RWM, { modes: RC, items: MSG, set: "1.13", src: ["DTS"], row: 25 }, "Subject of a selected message."),
  property("Office.SelectedItemDetails.itemMode", RWM, { modes: RC, items: MSG, set: "1.13", src: ["DTS"], row: 25 }, "Whether a selected message is in read or compose mode."),
  property("Office.SelectedItemDetails.itemType", RWM, { modes: RC, items: MSG, set: "1.13", src: ["DTS"], row: 25 }, "Type of a selected item."),
  property("Office.SelectedItemDetails.hasAttachment", RWM, { modes: RC, items: MSG, set: "1.14", src: ["DTS"], row: 25 }, "Whether a selected message has attachments."),
  property("Office.SelectedItemDetails.conversationId", RWM, { modes: RC, items: MSG, set: "1.14", src: ["DTS"], row: 25 }, "Conversation of a selected message."),
  property("Office.SelectedItemDetails.internetMessageId", RWM, { modes: RC, items: MSG, set: "1.14", src: ["DTS"], row: 25 }, "Internet message id of a selected message."),
  method("Office.LoadedMessageRead.unloadAsync", RWI, { modes: RD, items: MSG, set: "1.15", src: ["DTS"], row: 26 }, "Release a message loaded with loadItemByIdAsync."),
  method("Office.LoadedMessageCompose.unloadAsync", RWI, { modes: CP, items: MSG, set: "1.15", src: ["DTS"], row: 26 }, "Release a draft loaded with loadItemByIdAsync."),
  property(`${MB}.masterCategories`, RWM, { modes: RC, items: ALL, set: "1.8", src: ["DTS"], row: 27 }, "The mailbox's category list."),
  method(`${MB}.masterCategories.getAsync`, RWM, { modes: RC, items: ALL, set: "1.8", runtime: RWM, src: ["DTS", "JS22"], row: 27 }, "Read the mailbox's category list."),
  method(`${MB}.masterCategories.addAsync`, RWM, { modes: RC, items: ALL, set: "1.8", runtime: RWM, errors: ["DuplicateCategory", "PermissionDenied"], src: ["DTS", "JS22"], row: 27 }, "Add categories to the mailbox (not for delegates)."),
  method(`${MB}.masterCategories.removeAsync`, RWM, { modes: RC, items: ALL, set: "1.8", runtime: RWM, errors: ["PermissionDenied"], src: ["DTS", "JS22"], row: 27 }, "Remove categories from the mailbox (not for delegates)."),
  method(`${MB}.addHandlerAsync`, RI, { modes: RC, items: ALL, set: "1.5", src: ["DTS"], row: 28 }, "Listen to a mailbox event (item changed, theme changed…)."),
  method(`${MB}.removeHandlerAsync`, RI, { modes: RC, items: ALL, set: "1.5", src: ["DTS"], row: 28 }, "Stop listening to a mailbox event."),
  method(`${MB}.getIsIdentityManaged`, RI, { modes: RC, items: ALL, set: "preview", src: ["DTS"], row: 29 }, "Tell whether the account is managed by an organization."),
  method(`${MB}.getIsOpenFromLocationAllowed`, RI, { modes: RC, items: ALL, set: "preview", src: ["DTS"], row: 29 }, "Tell whether opening files from a location is allowed by policy."),
  method(`${MB}.getIsSaveToLocationAllowed`, RI, { modes: RC, items: ALL, set: "preview", src: ["DTS"], row: 29 }, "Tell whether saving files to a location is allowed by policy."),

  // ── Item: identity and general ───────────────────────────────────────────────────────────────────
  method(`${IT}.move`, RWM, { modes: RD, items: ALL, set: "1.1", documented: null, runtime: RWM, choice: "undocumentedRuntimeCheck", status: "undocumented", src: ["JS22"], row: 30 }, "Move the item to another folder (undocumented)."),
  property(`${IT}.itemType`, RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 31 }, "Whether the item is a message or an appointment."),
  property(`${IT}.itemId`, RI, { modes: RD, items: ALL, set: "1.1", src: ["DTS"], row: 32 }, "EWS id of the item."),
  property(`${IT}.itemClass`, RI, { modes: RD, items: ALL, set: "1.1", src: ["DTS"], row: 33 }, "MAPI message class of the item."),
  property(`${IT}.conversationId`, RI, { modes: RC, items: MSG, set: "1.1", src: ["DTS"], row: 34 }, "Id of the conversation the message belongs to."),
  property(`${IT}.dateTimeCreated`, RI, { modes: RD, items: ALL, set: "1.1", src: ["DTS"], row: 35 }, "When the item was created."),
  property(`${IT}.dateTimeModified`, RI, { modes: RD, items: ALL, set: "1.1", src: ["DTS"], row: 35 }, "When the item was last modified."),
  property(`${IT}.internetMessageId`, RI, { modes: RD, items: MSG, set: "1.1", src: ["DTS"], row: 36 }, "Internet message id of the message."),
  property(`${IT}.seriesId`, RI, { modes: RC, items: ALL, set: "1.7", src: ["DTS"], row: 37 }, "Id of the series an occurrence belongs to."),
  method(`${IT}.notificationMessages.addAsync`, RI, { modes: RC, items: ALL, set: "1.3", runtime: RI, src: ["DTS", "JS22"], row: 38 }, "Show a notification bar on the item."),
  method(`${IT}.notificationMessages.getAllAsync`, RI, { modes: RC, items: ALL, set: "1.3", runtime: RI, src: ["DTS", "JS22"], row: 38 }, "List the item's notifications."),
  method(`${IT}.notificationMessages.replaceAsync`, RI, { modes: RC, items: ALL, set: "1.3", runtime: RI, src: ["DTS", "JS22"], row: 38 }, "Replace a notification."),
  method(`${IT}.notificationMessages.removeAsync`, RI, { modes: RC, items: ALL, set: "1.3", runtime: RI, src: ["DTS", "JS22"], row: 38 }, "Remove a notification."),
  method(`${IT}.categories.getAsync`, RI, { modes: RC, items: ALL, set: "1.8", runtime: RI, src: ["DTS", "JS22"], row: 39 }, "Read the item's categories."),
  method(`${IT}.categories.addAsync`, RWI, { modes: RC, items: ALL, set: "1.8", runtime: RWI, errors: ["InvalidCategory"], src: ["DTS", "JS22"], row: 40 }, "Add categories to the item (works in read mode too)."),
  method(`${IT}.categories.removeAsync`, RWI, { modes: RC, items: ALL, set: "1.8", runtime: RWI, src: ["DTS", "JS22"], row: 40 }, "Remove categories from the item."),
  method(`${IT}.loadCustomPropertiesAsync`, RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 41 }, "Load the add-in's custom properties of the item."),
  method("Office.CustomProperties.get", RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 42 }, "Read one custom property."),
  method("Office.CustomProperties.getAll", RI, { modes: RC, items: ALL, set: "1.9", src: ["DTS"], row: 42 }, "Read all custom properties."),
  method("Office.CustomProperties.set", RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 42 }, "Set one custom property in memory."),
  method("Office.CustomProperties.remove", RI, { modes: RC, items: ALL, set: "1.1", src: ["DTS"], row: 42 }, "Remove one custom property in memory."),
  method("Office.CustomProperties.saveAsync", RI, { modes: RC, items: ALL, set: "1.1", runtime: RI, limits: [chars("custom properties as JSON, per item and add-in", 2_500, "throws ArgumentOutOfRange")], src: ["DTS", "JS22", "LIM"], row: 43 }, "Save the custom properties to the item."),
  method(`${IT}.getInitializationContextAsync`, RI, { modes: RC, items: ALL, set: "1.8", runtime: RI, src: ["DTS", "JS22"], row: 44 }, "Read the data an actionable message passed to the add-in."),
  method(`${IT}.getSharedPropertiesAsync`, RI, { modes: RC, items: ALL, set: "1.8", variants: [{ set: "1.13", when: "shared mailboxes (1.8: shared folders)" }], runtime: RI, supplementary: SHARED_FOLDER, src: ["DTS", "JS22", "DEL"], row: 45 }, "Describe the shared folder or mailbox the item lives in."),
  method(`${IT}.getAttachmentContentAsync`, RI, { modes: RC, items: ALL, set: "1.8", runtime: RI, errors: ["InvalidAttachmentId", "AttachmentTypeNotSupported"], src: ["DTS", "JS22"], row: 46 }, "Read an attachment's content (9043 for unsupported types)."),
  method(`${IT}.addHandlerAsync`, RI, { modes: RC, items: ALL, set: "1.7", src: ["DTS"], row: 47 }, "Listen to an item event (recipients changed, attachments changed…)."),
  method(`${IT}.removeHandlerAsync`, RI, { modes: RC, items: ALL, set: "1.7", src: ["DTS"], row: 47 }, "Stop listening to an item event."),

  // ── Body ─────────────────────────────────────────────────────────────────────────────────────────
  property(`${IT}.body`, RI, { modes: RC, items: ALL, set: "1.1", restricted: { kind: "throw" }, src: ["DTS", "PERM", "JS16"], row: 48 }, "The item body object (blocked at Restricted)."),
  method(`${IT}.body.getAsync`, RI, { modes: RC, items: ALL, set: "1.3", runtime: RI, src: ["DTS", "JS22"], row: 49 }, "Read the body as text or HTML."),
  method(`${IT}.body.getTypeAsync`, RI, { modes: CP, items: ALL, set: "1.1", runtime: RI, src: ["DTS", "JS22"], row: 50 }, "Tell whether the body is text or HTML."),
  method(`${IT}.body.setAsync`, RWI, { modes: CP, items: ALL, set: "1.3", runtime: RWI, limits: [SET_BODY_LIMIT], errors: BODY_WRITE_ERRORS, src: ["DTS", "JS22", "LIM"], row: 51 }, "Replace the whole body."),
  method(`${IT}.body.prependAsync`, RWI, { modes: CP, items: ALL, set: "1.1", runtime: RWI, limits: [SET_BODY_LIMIT], errors: ["DataExceedsMaximumSize"], src: ["DTS", "JS22", "LIM"], row: 52 }, "Insert content at the start of the body."),
  method(`${IT}.body.setSelectedDataAsync`, RWI, { modes: CP, items: ALL, set: "1.1", runtime: RWI, limits: [SET_BODY_LIMIT], errors: BODY_WRITE_ERRORS, src: ["DTS", "JS22", "LIM"], row: 53 }, "Replace the selection in the body."),
  method(`${IT}.body.setSignatureAsync`, RWI, { modes: CP, items: ALL, set: "1.10", runtime: RWI, limits: [argChars("signature", 30_000, "data")], errors: BODY_WRITE_ERRORS, src: ["DTS", "JS22", "LIM"], row: 54 }, "Set the signature part of the body."),
  method(`${IT}.body.appendOnSendAsync`, RWI, { modes: CP, items: ALL, set: "1.9", runtime: RWI, supplementary: APPEND_ON_SEND, limits: [ON_SEND_LIMIT], errors: BODY_WRITE_ERRORS, src: ["DTS", "JS22", "AOS"], row: 55 }, "Append content to the body when the item is sent."),
  method(`${IT}.body.prependOnSendAsync`, RWI, { modes: CP, items: ALL, set: "1.13", supplementary: APPEND_ON_SEND, limits: [ON_SEND_LIMIT], errors: BODY_WRITE_ERRORS, src: ["DTS", "AOS"], row: 56 }, "Prepend content to the body when the item is sent."),
  method(`${IT}.display.body.setAsync`, RWI, { modes: RD, items: MSG, set: "preview", limits: [SET_BODY_LIMIT], src: ["DTS"], row: 57 }, "Change the body shown to the user without changing the item."),
  method(`${IT}.display.subject.setAsync`, RWI, { modes: RD, items: MSG, set: "preview", limits: [SUBJECT_LIMIT], src: ["DTS"], row: 57 }, "Change the subject shown to the user without changing the item."),

  // ── Read-mode item data ──────────────────────────────────────────────────────────────────────────
  property(`${IT}.subject`, RI, { modes: RD, items: ALL, set: "1.1", src: ["DTS", "PERM", "JS16"], row: 58 }, "Subject of the item."),
  property(`${IT}.normalizedSubject`, RI, { modes: RD, items: ALL, set: "1.1", src: ["DTS", "JS16"], row: 59 }, "Subject without RE:/FW: prefixes."),
  property(`${IT}.to`, RI, { modes: RD, items: MSG, set: "1.1", src: ["DTS", "PERM", "JS16"], row: 60 }, "To recipients of the message."),
  property(`${IT}.cc`, RI, { modes: RD, items: MSG, set: "1.1", src: ["DTS", "PERM", "JS16"], row: 60 }, "Cc recipients of the message."),
  property(`${IT}.from`, RI, { modes: RD, items: MSG, set: "1.1", src: ["DTS", "PERM", "JS16"], row: 61 }, "Sender on whose behalf the message was sent."),
  property(`${IT}.sender`, RI, { modes: RD, items: MSG, set: "1.1", src: ["DTS", "PERM", "JS16"], row: 62 }, "Actual sender of the message."),
  property(`${IT}.attachments`, RI, { modes: RD, items: ALL, set: "1.1", restricted: { kind: "withhold", value: "emptyArray" }, src: ["DTS", "PERM", "JS22"], row: 63 }, "Attachments of the item (empty at Restricted)."),
  property(`${IT}.location`, RI, { modes: RD, items: ALL, set: "1.1", src: ["DTS", "PERM"], row: 64 }, "Location of the meeting."),
  property(`${IT}.start`, RI, { modes: RD, items: ALL, set: "1.1", src: ["DTS", "PERM"], row: 65 }, "Start of the meeting."),
  property(`${IT}.end`, RI, { modes: RD, items: ALL, set: "1.1", src: ["DTS", "PERM"], row: 65 }, "End of the meeting."),
  property(`${IT}.organizer`, RI, { modes: RD, items: APPT, set: "1.1", src: ["DTS", "PERM", "JS16"], row: 66 }, "Organizer of the meeting."),
  property(`${IT}.requiredAttendees`, RI, { modes: RD, items: APPT, set: "1.1", src: ["DTS", "PERM", "JS16"], row: 67 }, "Required attendees of the meeting."),
  property(`${IT}.optionalAttendees`, RI, { modes: RD, items: APPT, set: "1.1", src: ["DTS", "PERM", "JS16"], row: 67 }, "Optional attendees of the meeting."),
  property(`${IT}.sensitivity`, RI, { modes: RD, items: APPT, set: "1.14", src: ["DTS"], row: 92 }, "Sensitivity of the appointment."),
  method(`${IT}.enhancedLocation.getAsync`, RI, { modes: RC, items: APPT, set: "1.8", runtime: RI, src: ["DTS", "JS22"], row: 68 }, "Read the appointment's set of locations."),
  method(`${IT}.enhancedLocation.addAsync`, RWI, { modes: CP, items: APPT, set: "1.8", runtime: RWI, errors: ["InvalidFormatError"], src: ["DTS", "JS22"], row: 69 }, "Add locations to the appointment."),
  method(`${IT}.enhancedLocation.removeAsync`, RWI, { modes: CP, items: APPT, set: "1.8", runtime: RWI, src: ["DTS", "JS22"], row: 69 }, "Remove locations from the appointment."),
  property(`${IT}.recurrence`, RI, { modes: RD, items: ALL, set: "1.7", src: ["DTS"], row: 70 }, "Recurrence pattern of the series (null for single items)."),
  method(`${IT}.recurrence.getAsync`, RI, { modes: CP, items: APPT, set: "1.7", runtime: RI, src: ["DTS", "JS22"], row: 70 }, "Read the recurrence pattern while composing."),
  method(`${IT}.recurrence.setAsync`, RWI, { modes: CP, items: APPT, set: "1.7", runtime: RWI, limits: [{ what: "occurrences", max: 999, unit: "occurrences", onExceed: "RecurrenceMaxOccurrences" }], errors: ["InvalidEndTime"], src: ["DTS", "JS22"], row: 71 }, "Change the recurrence pattern."),
  method("Office.SeriesTime.getStartDate", RI, { modes: RC, items: ALL, set: "1.7", src: ["DTS"], row: 71 }, "Start date of the series."),
  method("Office.SeriesTime.getStartTime", RI, { modes: RC, items: ALL, set: "1.7", src: ["DTS"], row: 71 }, "Start time of each occurrence."),
  method("Office.SeriesTime.getEndDate", RI, { modes: RC, items: ALL, set: "1.7", src: ["DTS"], row: 71 }, "End date of the series."),
  method("Office.SeriesTime.getEndTime", RI, { modes: RC, items: ALL, set: "1.7", src: ["DTS"], row: 71 }, "End time of each occurrence."),
  method("Office.SeriesTime.getDuration", RI, { modes: RC, items: ALL, set: "1.7", src: ["DTS"], row: 71 }, "Duration of each occurrence."),
  method("Office.SeriesTime.setStartDate", RWI, { modes: CP, items: APPT, set: "1.7", src: ["DTS"], row: 71 }, "Set the start date of the series."),
  method("Office.SeriesTime.setStartTime", RWI, { modes: CP, items: APPT, set: "1.7", src: ["DTS"], row: 71 }, "Set the start time of each occurrence."),
  method("Office.SeriesTime.setEndDate", RWI, { modes: CP, items: APPT, set: "1.7", src: ["DTS"], row: 71 }, "Set the end date of the series."),
  method("Office.SeriesTime.setDuration", RWI, { modes: CP, items: APPT, set: "1.7", src: ["DTS"], row: 71 }, "Set the duration of each occurrence."),
  method(`${IT}.getAllInternetHeadersAsync`, RI, { modes: RD, items: MSG, set: "1.8", runtime: RI, src: ["DTS", "JS22"], row: 72 }, "Read all Internet headers of the message."),
  method(`${IT}.getAsFileAsync`, RI, { modes: RD, items: MSG, set: "1.14", src: ["DTS"], row: 73 }, "Get the message as a Base64 .eml file."),
  method(`${IT}.getRegExMatches`, RI, { modes: RD, items: ALL, set: "1.1", src: ["DTS", "PERM", "JS16"], row: 74 }, "Matches of the manifest's regular-expression rules."),
  method(`${IT}.getRegExMatchesByName`, RI, { modes: RD, items: ALL, set: "1.1", src: ["DTS", "PERM", "JS16"], row: 74 }, "Matches of one named regular-expression rule."),
  method(`${IT}.getSelectedRegExMatches`, RI, { modes: RD, items: ALL, set: "1.6", src: ["DTS"], row: 75 }, "Matches of regular-expression rules in the highlighted text."),
  method(`${IT}.getEntities`, RI, { modes: RD, items: ALL, set: "1.1", status: "retired", restricted: { kind: "filterEntities" }, src: ["DTS", "JS22", "ENT"], row: 76 }, "Known entities found in the item (only address/URL/phone at Restricted)."),
  method(`${IT}.getEntitiesByType`, R, { modes: RD, items: ALL, set: "1.1", status: "retired", restricted: { kind: "perEntityType" }, perEntity: ENTITY_TIERS, src: ["DTS", "JS22", "ENT"], row: 77 }, "Known entities of one type; the type decides the tier."),
  method(`${IT}.getFilteredEntitiesByName`, RI, { modes: RD, items: ALL, set: "1.1", status: "retired", runtime: RI, src: ["DTS", "JS22"], row: 78 }, "Entities matching a named entity-rule filter."),
  method(`${IT}.getSelectedEntities`, RI, { modes: RD, items: ALL, set: "1.6", status: "retired", src: ["DTS"], row: 79 }, "Entities in the highlighted text."),
  method(`${IT}.displayReplyForm`, RI, { modes: RD, items: ALL, set: "1.1", runtime: RI, limits: [FORM_BODY_LIMIT], src: ["DTS", "JS22", "LIM"], row: 80 }, "Open a reply form pre-filled by the add-in."),
  method(`${IT}.displayReplyFormAsync`, RI, { modes: RD, items: ALL, set: "1.9", runtime: RI, limits: [FORM_BODY_LIMIT], src: ["DTS", "JS22", "LIM"], row: 80 }, "Open a pre-filled reply form, with a callback."),
  method(`${IT}.displayReplyAllForm`, RI, { modes: RD, items: ALL, set: "1.1", runtime: RI, limits: [FORM_BODY_LIMIT], src: ["DTS", "JS22", "LIM"], row: 80 }, "Open a reply-all form pre-filled by the add-in."),
  method(`${IT}.displayReplyAllFormAsync`, RI, { modes: RD, items: ALL, set: "1.9", runtime: RI, limits: [FORM_BODY_LIMIT], src: ["DTS", "JS22", "LIM"], row: 80 }, "Open a pre-filled reply-all form, with a callback."),

  // ── Compose-mode item data ───────────────────────────────────────────────────────────────────────
  method(`${IT}.subject.getAsync`, RI, { modes: CP, items: ALL, set: "1.1", runtime: RI, src: ["DTS", "JS22"], row: 81 }, "Read the subject being composed."),
  method(`${IT}.subject.setAsync`, RWI, { modes: CP, items: ALL, set: "1.1", documented: RI, runtime: RWI, choice: "runtimeStricterSubjectLocation", limits: [SUBJECT_LIMIT], errors: ["DataExceedsMaximumSize"], src: ["DTS", "PERM", "JS22"], row: 82 }, "Replace the subject."),
  ...recipientRows("to"),
  ...recipientRows("cc"),
  ...recipientRows("bcc"),
  ...recipientRows("requiredAttendees"),
  ...recipientRows("optionalAttendees"),
  method(`${IT}.from.getAsync`, RI, { modes: CP, items: MSG, set: "1.7", runtime: RI, src: ["DTS", "JS22"], row: 85 }, "Read the From address being composed."),
  method(`${IT}.organizer.getAsync`, RI, { modes: CP, items: APPT, set: "1.7", runtime: RI, src: ["DTS", "JS22"], row: 86 }, "Read the organizer of the appointment being composed."),
  method(`${IT}.location.getAsync`, RI, { modes: CP, items: APPT, set: "1.1", runtime: RI, src: ["DTS", "JS22"], row: 87 }, "Read the location being composed."),
  method(`${IT}.location.setAsync`, RWI, { modes: CP, items: APPT, set: "1.1", documented: RI, runtime: RWI, choice: "runtimeStricterSubjectLocation", limits: [LOCATION_LIMIT], errors: ["DataExceedsMaximumSize"], src: ["DTS", "PERM", "JS22"], row: 88 }, "Replace the location."),
  ...timeRows("start"),
  ...timeRows("end"),
  method(`${IT}.isAllDayEvent.getAsync`, RI, { modes: CP, items: APPT, set: "preview", runtime: RI, src: ["DTS", "JS22"], row: 91 }, "Tell whether the appointment lasts all day."),
  method(`${IT}.isAllDayEvent.setAsync`, RWI, { modes: CP, items: APPT, set: "preview", runtime: RWI, src: ["DTS", "JS22"], row: 91 }, "Make the appointment all-day or not."),
  method(`${IT}.sensitivity.getAsync`, RI, { modes: CP, items: APPT, set: "1.14", runtime: RI, src: ["DTS", "JS22"], row: 92 }, "Read the appointment's sensitivity."),
  method(`${IT}.sensitivity.setAsync`, RWI, { modes: CP, items: APPT, set: "1.14", runtime: RWI, src: ["DTS", "JS22"], row: 92 }, "Change the appointment's sensitivity."),
  method(`${IT}.sensitivityLabel.getAsync`, RWI, { modes: CP, items: ALL, set: "1.13", src: ["DTS"], row: 93 }, "Read the item's sensitivity label."),
  method(`${IT}.sensitivityLabel.setAsync`, RWI, { modes: CP, items: ALL, set: "1.13", src: ["DTS"], row: 93 }, "Apply a sensitivity label to the item."),
  method(`${IT}.delayDeliveryTime.getAsync`, RI, { modes: CP, items: MSG, set: "1.13", runtime: RI, src: ["DTS", "JS22"], row: 94 }, "Read the delayed-delivery time."),
  method(`${IT}.delayDeliveryTime.setAsync`, RWI, { modes: CP, items: MSG, set: "1.13", runtime: RWI, src: ["DTS", "JS22"], row: 94 }, "Set the delayed-delivery time."),
  method(`${IT}.internetHeaders.getAsync`, RI, { modes: CP, items: MSG, set: "1.8", runtime: RI, src: ["DTS", "JS22"], row: 95 }, "Read custom Internet headers of the draft."),
  method(`${IT}.internetHeaders.setAsync`, RWI, { modes: CP, items: MSG, set: "1.8", runtime: RWI, limits: [{ what: "headers per message (Exchange Online)", max: 262_144, unit: "bytes", onExceed: "InvalidParameterValueError", note: "256 KB; the reference names no error for it" }], src: ["DTS", "JS22", "LIM"], row: 96 }, "Set custom Internet headers on the draft."),
  method(`${IT}.internetHeaders.removeAsync`, RWI, { modes: CP, items: MSG, set: "1.8", runtime: RWI, src: ["DTS", "JS22"], row: 96 }, "Remove custom Internet headers from the draft."),
  method(`${IT}.sessionData.getAsync`, RWI, { modes: CP, items: ALL, set: "1.11", documented: RI, runtime: RWI, choice: "runtimeStricterSessionData", src: ["DTS", "JS22"], row: 97 }, "Read one value of the draft's session data."),
  method(`${IT}.sessionData.setAsync`, RWI, { modes: CP, items: ALL, set: "1.11", documented: RI, runtime: RWI, choice: "runtimeStricterSessionData", limits: [chars("session data", 50_000, "DataExceedsMaximumSize", "whole SessionData per add-in and item; 2,621,440 from Mailbox 1.16")], src: ["DTS", "JS22", "LIM"], row: 97 }, "Store one value in the draft's session data."),
  method(`${IT}.sessionData.getAllAsync`, RWI, { modes: CP, items: ALL, set: "1.11", runtime: RWI, src: ["DTS", "JS22"], row: 98 }, "Read all of the draft's session data."),
  method(`${IT}.sessionData.removeAsync`, RWI, { modes: CP, items: ALL, set: "1.11", runtime: RWI, src: ["DTS", "JS22"], row: 98 }, "Remove one value from the session data."),
  method(`${IT}.sessionData.clearAsync`, RWI, { modes: CP, items: ALL, set: "1.11", runtime: RWI, src: ["DTS", "JS22"], row: 98 }, "Clear the session data."),
  method(`${IT}.addFileAttachmentAsync`, RWI, { modes: CP, items: ALL, set: "1.1", variants: [{ set: "1.8", when: "Outlook on the web and new Outlook on Windows" }], runtime: RWI, deniedAs: "item.addFileAttachmentAsync", limits: [chars("attachment URI", 2_048, "InvalidParameterValueError", undefined, { arg: 0, measure: "length", param: "uri" }), chars("attachment name", 255, "InvalidParameterValueError", undefined, { arg: 1, measure: "length", param: "attachmentName" }), ATTACHMENT_BYTES_LIMIT, ATTACHMENTS_PER_ITEM_LIMIT], errors: ["AttachmentSizeExceeded", "FileTypeNotSupported", "NumberOfAttachmentsExceeded"], src: ["DTS", "JS22", "LIM", "PERM"], row: 99 }, "Attach a file from a URL."),
  method(`${IT}.addFileAttachmentFromBase64Async`, RWI, { modes: CP, items: ALL, set: "1.8", runtime: RWI, limits: [chars("Base64 content", 34_865_152, "AttachmentSizeExceeded", "25 MB before Base64 encoding", { arg: 0, measure: "length", param: "base64File" }), chars("attachment name", 255, "InvalidParameterValueError", undefined, { arg: 1, measure: "length", param: "attachmentName" }), ATTACHMENTS_PER_ITEM_LIMIT], errors: ["AttachmentSizeExceeded", "FileTypeNotSupported", "NumberOfAttachmentsExceeded"], src: ["DTS", "JS22", "LIM"], row: 100 }, "Attach a file from Base64 content."),
  method(`${IT}.addItemAttachmentAsync`, RWI, { modes: CP, items: ALL, set: "1.1", runtime: RWI, limits: [chars("item id", 100, "InvalidParameterValueError", "200 in the 2022 runtime", { arg: 0, measure: "length", param: "itemId" }), chars("attachment name", 255, "InvalidParameterValueError", undefined, { arg: 1, measure: "length", param: "attachmentName" }), ATTACHMENTS_PER_ITEM_LIMIT], errors: ["NumberOfAttachmentsExceeded"], src: ["DTS", "JS22", "LIM", "PERM"], row: 101 }, "Attach another mailbox item."),
  method(`${IT}.removeAttachmentAsync`, RWI, { modes: CP, items: ALL, set: "1.1", runtime: RWI, errors: ["InvalidAttachmentId"], src: ["DTS", "JS22", "PERM"], row: 102 }, "Remove an attachment (9008 when missing)."),
  method(`${IT}.getAttachmentsAsync`, RI, { modes: CP, items: ALL, set: "1.8", runtime: RI, src: ["DTS", "JS22"], row: 103 }, "List the draft's attachments."),
  method(`${IT}.saveAsync`, RWI, { modes: CP, items: ALL, set: "1.3", runtime: RWI, errors: ["InvalidAttachmentId"], src: ["DTS", "JS22"], row: 104 }, "Save the draft (9021 on failure)."),
  method(`${IT}.getItemIdAsync`, RI, { modes: CP, items: ALL, set: "1.8", runtime: RI, errors: ["ItemNotSaved"], src: ["DTS", "JS22"], row: 105 }, "Id of the saved draft (9046 when unsaved)."),
  method(`${IT}.getSelectedDataAsync`, RWI, { modes: CP, items: ALL, set: "1.2", documented: RI, runtime: RWI, choice: "runtimeStricterSelectedData", src: ["DTS", "JS22", "JS16"], row: 106 }, "Read the text selected in the subject or body."),
  method(`${IT}.setSelectedDataAsync`, RWI, { modes: CP, items: ALL, set: "1.2", runtime: RWI, limits: [SET_BODY_LIMIT], errors: ["InvalidAttachmentId"], src: ["DTS", "JS22"], row: 107 }, "Replace the text selected in the subject or body."),
  method(`${IT}.getComposeTypeAsync`, RI, { modes: CP, items: MSG, set: "1.10", runtime: RI, src: ["DTS", "JS22"], row: 108 }, "Tell whether the draft is new, a reply or a forward."),
  method(`${IT}.getConversationIndexAsync`, RI, { modes: CP, items: MSG, set: "1.14", src: ["DTS"], row: 109 }, "Conversation index of the draft."),
  method(`${IT}.getItemClassAsync`, RI, { modes: CP, items: MSG, set: "1.14", src: ["DTS"], row: 109 }, "Message class of the draft."),
  property(`${IT}.inReplyTo`, RI, { modes: CP, items: MSG, set: "1.14", src: ["DTS"], row: 109 }, "Message id the draft replies to."),
  method(`${IT}.isClientSignatureEnabledAsync`, RI, { modes: CP, items: ALL, set: "1.10", runtime: RI, src: ["DTS", "JS22"], row: 110 }, "Tell whether the client adds its own signature."),
  method(`${IT}.disableClientSignatureAsync`, RWI, { modes: CP, items: ALL, set: "1.10", runtime: RWI, src: ["DTS", "JS22"], row: 111 }, "Stop the client adding its own signature."),
  method(`${IT}.close`, R, { modes: CP, items: ALL, set: "1.3", src: ["DTS"], row: 112 }, "Close the compose form."),
  method(`${IT}.closeAsync`, RWI, { modes: CP, items: MSG, set: "1.14", src: ["DTS"], row: 113 }, "Close the draft, discarding or saving it."),
  method(`${IT}.sendAsync`, RWM, { modes: CP, items: ALL, set: "1.15", src: ["DTS"], row: 114 }, "Send the item."),

  // ── Decryption (event-based decrypt handler) ─────────────────────────────────────────────────────
  property("Office.MessageDecryptEventCompletedOptions.allowEvent", RWI, { modes: RD, items: MSG, set: "1.16", src: ["DTS"], row: 115 }, "Whether the decrypted message is shown."),
  property("Office.MessageDecryptEventCompletedOptions.emailBody", RWI, { modes: RD, items: MSG, set: "1.16", src: ["DTS"], row: 115 }, "Decrypted body handed back to Outlook."),
  property("Office.MessageDecryptEventCompletedOptions.attachments", RWI, { modes: RD, items: MSG, set: "1.16", src: ["DTS"], row: 115 }, "Decrypted attachments handed back to Outlook."),
  property("Office.MessageDecryptEventCompletedOptions.contextData", RWI, { modes: RD, items: MSG, set: "1.16", src: ["DTS"], row: 115 }, "Data passed on with the decrypted message."),
  property("Office.DecryptedMessageBody.content", RWI, { modes: RD, items: MSG, set: "1.16", src: ["DTS"], row: 115 }, "Content of the decrypted body."),
  property("Office.DecryptedMessageBody.coercionType", RWI, { modes: RD, items: MSG, set: "1.16", src: ["DTS"], row: 115 }, "Format of the decrypted body."),
  property("Office.DecryptedMessageAttachment.attachmentType", RWI, { modes: RD, items: MSG, set: "1.16", src: ["DTS"], row: 115 }, "Kind of a decrypted attachment."),
  property("Office.DecryptedMessageAttachment.content", RWI, { modes: RD, items: MSG, set: "1.16", src: ["DTS"], row: 115 }, "Content of a decrypted attachment."),
  property("Office.DecryptedMessageAttachment.contentId", RWI, { modes: RD, items: MSG, set: "1.16", src: ["DTS"], row: 115 }, "Content id of an inline decrypted attachment."),
  property("Office.DecryptedMessageAttachment.isInline", RWI, { modes: RD, items: MSG, set: "1.16", src: ["DTS"], row: 115 }, "Whether a decrypted attachment is inline."),
  property("Office.DecryptedMessageAttachment.name", RWI, { modes: RD, items: MSG, set: "1.16", src: ["DTS"], row: 115 }, "Name of a decrypted attachment."),
  property("Office.DecryptedMessageAttachment.path", RWI, { modes: RD, items: MSG, set: "1.16", src: ["DTS"], row: 115 }, "Path of a decrypted attachment."),
];
