/**
 * The shape of one row of the Outlook API permission table (`api-table.ts`).
 * Facts: shared/reference/outlook-addin-model.md §2 (API → minimum permission), §2.1 (Restricted), §8 (errors), §9 (contradictions).
 */
import type { Supplementary, Tier } from "./tiers.ts";

export const MODES = ["read", "compose"] as const;
export type Mode = (typeof MODES)[number];

export const ITEM_TYPES = ["message", "appointment"] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export type MemberKind = "method" | "property" | "event";

/** Reference tags of outlook-addin-model.md §0. */
export type SourceTag = "DTS" | "JS22" | "JS16" | "PERM" | "LIM" | "AOS" | "DEL" | "USE-REST" | "WEB-SVC" | "ENT" | "ERR" | "ISS";

/**
 * ga: in the released Office.js typings; preview: preview requirement set only (absent from `@types/office-js`);
 * retired: still present but the feature is switched off in current clients (entities);
 * undocumented: seen only in Microsoft's runtime, never documented.
 */
export type MemberStatus = "ga" | "preview" | "retired" | "undocumented";

/**
 * What an add-in observes when its tier is below `minTier` (§2.1). Properties are withheld (the 2022 runtime builds
 * item data from what the host sends, and the host omits protected data); methods throw synchronously.
 */
export type RestrictedBehaviour =
  /** minTier is Restricted: nothing is withheld. */
  | { readonly kind: "allowed" }
  /** Calling throws synchronously; the callback never runs. */
  | { readonly kind: "throw" }
  /** Reading yields this value instead of the data. */
  | { readonly kind: "withhold"; readonly value: "undefined" | "null" | "emptyArray" }
  /** getEntities at Restricted: only the entity arrays allowed at Restricted are filled, the others are empty. */
  | { readonly kind: "filterEntities" }
  /** getEntitiesByType: the tier depends on the entity type (see `perEntityTypeTier`). */
  | { readonly kind: "perEntityType" };

/**
 * Which error a denial of this member produces (§8).
 * - elevatedPermission: office.js throws "Elevated permission is required to call the method: '{0}'." with `method` as {0};
 *   a call that reaches the host anyway is refused with 7000.
 * - protectedMember: reading a protected property throws the "protected members" error (older runtimes) / data withheld.
 */
export type DeniedError =
  | { readonly kind: "elevatedPermission"; readonly method: string }
  | { readonly kind: "protectedMember" };

/** Extra permission needed besides the tier. `combinator: "allOf"`: tier AND every listed permission. */
export interface SupplementaryRequirement {
  readonly combinator: "allOf";
  readonly permissions: readonly Supplementary[];
  /** Office error code when the tier is met but a supplementary permission is missing (9047). */
  readonly missingError: 9047;
}

/**
 * How the runtime measures a limit on a call's arguments before the member runs (src/runtime/members/limits.ts).
 * A limit without `check` depends on state (the field's current recipients, the stored settings): the member reads
 * its `max` from the table with `tableLimit()`.
 */
export interface LimitCheck {
  /** Index of the argument measured. */
  readonly arg: number;
  /**
   * length: the argument's string length; count: the array's length;
   * eachLength: for every array element, the length of its `field` (a string element is that field itself).
   */
  readonly measure: "length" | "count" | "eachLength";
  readonly field?: string;
  /** The parameter's name as the reference's error message gives it, e.g. "data", "subject". */
  readonly param?: string;
}

export interface Limit {
  /** What is measured, e.g. "characters of data", "recipients per call". */
  readonly what: string;
  readonly max: number;
  readonly unit: "chars" | "bytes" | "items" | "recipients" | "occurrences";
  /**
   * The error when exceeded: a name in the Office error catalogue (OFFICE_ERRORS_BY_NAME), e.g. "DataExceedsMaximumSize",
   * or, where office.js throws instead, a phrase starting with "throws".
   */
  readonly onExceed?: string;
  readonly note?: string;
  readonly check?: LimitCheck;
}

/**
 * A requirement set that applies only to part of a member: an overload, a mode or some clients
 * (e.g. getCallbackTokenAsync: the callback overload in read mode is 1.1, compose needs 1.3, the options overload 1.5).
 */
export interface RequirementSetVariant {
  readonly set: string;
  readonly when: string;
  readonly modes?: readonly Mode[];
}

/** Why `minTier` differs from `documentedTier`; each id is explained in docs/permissions.md and `TIER_CHOICES`. */
export type TierChoiceId =
  | "runtimeStricterSubjectLocation"
  | "runtimeStricterSessionData"
  | "runtimeStricterSelectedData"
  | "undocumentedRuntimeCheck"
  | "noDocumentedMinimum";

export interface TierChoice {
  readonly id: TierChoiceId;
  /** Section of outlook-addin-model.md where the sources disagree. */
  readonly section: string;
  readonly summary: string;
  readonly reason: string;
}

/** Entity types known to `getEntitiesByType` (Office.MailboxEnums.EntityType) plus the runtime-only ones. */
export const ENTITY_TYPES = [
  "Address",
  "Url",
  "PhoneNumber",
  "EmailAddress",
  "Contact",
  "MeetingSuggestion",
  "TaskSuggestion",
  "FlightReservations",
  "ParcelDeliveries",
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** One member of the Outlook mailbox API as authored in the table. */
export interface ApiMember {
  /**
   * Exactly as reached in Office.js from `Office.context`, e.g. `Office.context.mailbox.item.to.setAsync`.
   * Objects an add-in never reaches from `Office.context` (event objects, options it passes back, results of a call)
   * are named by their Office.js type: `Office.MailboxEvent.completed`, `Office.SelectedItemDetails.itemId`.
   */
  readonly path: string;
  readonly kind: MemberKind;
  /** The tier Outpost enforces. */
  readonly minTier: Tier;
  /** The Office.js reference's stated minimum; null when the reference states none. */
  readonly documentedTier: Tier | null;
  /** The level Microsoft's 2022 office.js checks client-side before calling the host ([JS22]); omitted when it checks none. */
  readonly runtimeTier?: Tier;
  /** Set when minTier ≠ documentedTier: the documented choice behind the difference. */
  readonly tierChoice?: TierChoiceId;
  readonly modes: readonly Mode[];
  readonly itemTypes: readonly ItemType[];
  /** e.g. "Mailbox 1.1", "Mailbox preview": the lowest set in which the member exists at all. */
  readonly requirementSet: string;
  /** Sets that apply to part of the member only (an overload, a mode, some clients, shared mailboxes). */
  readonly requirementSetVariants?: readonly RequirementSetVariant[];
  /** The errors the Outlook reference lists for this member (catalogue names), each answered by the runtime. */
  readonly documentedErrors?: readonly string[];
  readonly status: MemberStatus;
  readonly supplementary?: SupplementaryRequirement;
  /** Uses a legacy Exchange Online token (callback/identity token, EWS), which tenants may have switched off. */
  readonly legacyExchangeToken: boolean;
  readonly restrictedBehaviour: RestrictedBehaviour;
  readonly perEntityTypeTier?: Readonly<Record<EntityType, Tier>>;
  /**
   * getCallbackTokenAsync: without an item context only a REST token at ReadWriteMailbox is issued;
   * anything else is refused with 9048 TokenAccessDenied (§2.3, §8.1).
   */
  readonly withoutItemContext?: "restTokenAtReadWriteMailboxOnly";
  readonly limits?: readonly Limit[];
  readonly deniedError: DeniedError;
  /** One line, our own words. */
  readonly description: string;
  readonly source: readonly SourceTag[];
  /** Row numbers in outlook-addin-model.md §2 this member comes from. */
  readonly refRows: readonly number[];
}
