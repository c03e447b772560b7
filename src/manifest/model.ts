/**
 * The normalized add-in model. Both manifest formats (XML add-in-only and unified JSON) parse into
 * this one shape; everything downstream (validation rules, conversion, explain, activation,
 * install/consent, runtime) reads only this.
 */
import type { Supplementary, Tier } from "../permissions/tiers.ts";

/** Where a value came from: line/column for XML (and JSON), a JSON pointer for JSON. */
export interface SourcePosition {
  line?: number;
  column?: number;
  pointer?: string;
}

export type ManifestFormat = "xml" | "json";

export interface LocalizedString {
  value: string;
  /** Locale → value (XML `<Override Locale>`, unified `localizationInfo`). */
  overrides?: Record<string, string>;
  /** XML resource id this string came from (`resid`), if any. */
  resid?: string;
}

export interface RequirementSet {
  name: string;
  minVersion?: string;
  maxVersion?: string;
}

export interface Requirements {
  sets: RequirementSet[];
  methods?: string[];
  /** Unified manifest extension requirement scopes (mail, …) and form factors (desktop, mobile). */
  scopes?: string[];
  formFactors?: string[];
}

export type FormFactor = "desktop" | "tablet" | "phone" | "mobile";

export interface SourceLocations {
  /** URL per form factor for the (legacy) read/edit forms: `FormSettings/Form[xsi:type]/DesktopSettings/SourceLocation`. */
  read?: Partial<Record<FormFactor, string>>;
  edit?: Partial<Record<FormFactor, string>>;
}

// ---- Activation rules (XML only) -------------------------------------------------------------

export type ItemType = "Message" | "Appointment";
export type FormType = "Read" | "Edit" | "ReadOrEdit";
export type RegExProperty = "Subject" | "BodyAsPlaintext" | "BodyAsHTML" | "SenderSMTPAddress";
export type KnownEntityType =
  | "MeetingSuggestion"
  | "TaskSuggestion"
  | "Address"
  | "Url"
  | "PhoneNumber"
  | "EmailAddress"
  | "Contact";

export interface RuleBase {
  pos?: SourcePosition;
}

export interface ItemIsRule extends RuleBase {
  type: "ItemIs";
  itemType: ItemType;
  formType?: FormType;
  itemClass?: string;
  includeSubClasses?: boolean;
}

export interface ItemHasAttachmentRule extends RuleBase {
  type: "ItemHasAttachment";
}

export interface ItemHasKnownEntityRule extends RuleBase {
  type: "ItemHasKnownEntity";
  entityType: KnownEntityType | string;
  filterName?: string;
  regExFilter?: string;
  ignoreCase?: boolean;
  highlight?: "all" | "none";
}

export interface ItemHasRegularExpressionMatchRule extends RuleBase {
  type: "ItemHasRegularExpressionMatch";
  regExName: string;
  regExValue: string;
  propertyName: RegExProperty | string;
  ignoreCase?: boolean;
  highlight?: "all" | "none";
}

export interface RuleCollection extends RuleBase {
  type: "RuleCollection";
  mode: "And" | "Or";
  rules: Rule[];
}

/** A rule type this model does not know (kept so validation can report it, never silently dropped). */
export interface UnknownRule extends RuleBase {
  type: "Unknown";
  xsiType: string;
}

export type Rule =
  | ItemIsRule
  | ItemHasAttachmentRule
  | ItemHasKnownEntityRule
  | ItemHasRegularExpressionMatchRule
  | RuleCollection
  | UnknownRule;

// ---- Extension points, controls, runtimes ----------------------------------------------------

/**
 * Extension point kinds, named as the XML `ExtensionPoint xsi:type`; unified manifest ribbons and
 * autoRunEvents map onto the same names.
 */
export type ExtensionPointType =
  | "MessageReadCommandSurface"
  | "MessageComposeCommandSurface"
  | "AppointmentOrganizerCommandSurface"
  | "AppointmentAttendeeCommandSurface"
  | "LaunchEvent"
  | "Module"
  | "DetectedEntity"
  | "CustomPane"
  | "Events"
  | "MobileMessageReadCommandSurface"
  | "MobileOnlineMeetingCommandSurface"
  | "MobileLogEventAppointmentAttendee"
  | "ReportPhishingCommandSurface"
  | "SpamReportingOverride"
  | "OnlineMeetingCommandSurface"
  | string;

export interface ControlAction {
  type: "ShowTaskpane" | "ExecuteFunction" | string;
  /** Resolved URL of the task pane page, if any. */
  sourceLocation?: string;
  sourceLocationResid?: string;
  functionName?: string;
  taskpaneId?: string;
  supportsPinning?: boolean;
}

export interface Control {
  id: string;
  type: "Button" | "Menu" | "MobileButton" | string;
  label?: string;
  tooltip?: string;
  action?: ControlAction;
  items?: Control[];
  icons?: Icon[];
  pos?: SourcePosition;
}

export interface ControlGroup {
  id: string;
  label?: string;
  controls: Control[];
  /** `OfficeTab id` or `CustomTab id` the group lives on. */
  tab?: string;
}

export interface LaunchEvent {
  type: string;
  functionName: string;
  sendMode?: string;
}

export interface ExtensionPoint {
  type: ExtensionPointType;
  formFactor: "desktop" | "mobile";
  groups: ControlGroup[];
  events?: LaunchEvent[];
  /** DetectedEntity / CustomPane carry their own rule. */
  rule?: Rule;
  /** Source page or script of the extension point (LaunchEvent runtime, CustomPane, DetectedEntity). */
  sourceLocation?: string;
  /** The spam-reporting pre-processing dialog (ReportPhishingCommandSurface / spamReportingOverride). */
  spamDialog?: { title: string; description: string };
  /** Which VersionOverrides (XML) or extensions[] entry (JSON) declared it. */
  origin: string;
  pos?: SourcePosition;
}

export interface Runtime {
  id?: string;
  lifetime?: "short" | "long";
  /** HTML page of the runtime. */
  sourceLocation?: string;
  /** JavaScript file (classic Outlook on Windows `Override type="javascript"`, unified `code.script`). */
  scriptLocation?: string;
  actions?: { id: string; type: string; view?: string }[];
  requirements?: Requirements;
  pos?: SourcePosition;
}

export interface Icon {
  url: string;
  size?: number;
  role: "icon" | "highResolution" | "color" | "outline" | "command" | string;
  resid?: string;
}

export interface ResourceEntry {
  id: string;
  value: string;
  kind: "image" | "url" | "shortString" | "longString";
  overrides?: Record<string, string>;
  /** The VersionOverrides that defines it: each VersionOverrides resolves resids against its own Resources. */
  scope?: string;
  pos?: SourcePosition;
}

/** A URL-bearing field, collected once so HTTPS and domain checks need no format knowledge. */
export interface UrlField {
  field: string;
  url: string;
  pos?: SourcePosition;
}

/** A `resid` reference and where it sits, for the "referenced but not defined" check. */
export interface ResourceReference {
  resid: string;
  kind: "image" | "url" | "shortString" | "longString" | "any";
  field: string;
  scope?: string;
  pos?: SourcePosition;
}

export interface VersionOverridesInfo {
  version: "1.0" | "1.1";
  hosts: string[];
  requirements?: Requirements;
  pos?: SourcePosition;
}

export interface Provider {
  name: string;
  websiteUrl?: string;
  privacyUrl?: string;
  termsOfUseUrl?: string;
  mpnId?: string;
}

export interface AddinManifest {
  format: ManifestFormat;
  /** Schema version: XML `1.0`/`1.1`; unified `manifestVersion` such as `1.17`. */
  schemaVersion: string;
  /** XML `OfficeApp xsi:type` (MailApp, TaskPaneApp, …); unified manifests are always mail-capable when they declare mail scopes. */
  appType: string;
  id: string;
  version: string;
  defaultLocale?: string;
  name: LocalizedString;
  description: LocalizedString;
  provider: Provider;
  /** Hosts named by the manifest: `Mailbox` (XML) / `mail` scope (JSON), and others. */
  hosts: string[];
  /** The effective tier (highest level present); `declaredTiers` lists every declaration in order. */
  tier: Tier;
  declaredTiers: Tier[];
  /** Every raw permission name as written, including unknown ones. */
  permissionNames: string[];
  supplementary: Supplementary[];
  requirements: Requirements;
  sourceLocations: SourceLocations;
  rules?: Rule;
  disableEntityHighlighting?: boolean;
  extensionPoints: ExtensionPoint[];
  runtimes: Runtime[];
  versionOverrides: VersionOverridesInfo[];
  appDomains: string[];
  icons: Icon[];
  resources: ResourceEntry[];
  resourceReferences: ResourceReference[];
  urls: UrlField[];
  supportUrl?: string;
  /** Anything in the source that the model has no place for, kept by path so conversion can report it. */
  extras: { field: string; note: string }[];
}
