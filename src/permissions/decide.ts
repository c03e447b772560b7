/**
 * The permission decision: one pure function every gate calls (the bridge on the server, the Office.js surface handed
 * to add-ins, the auditor). It reads only API_TABLE; no tier for an API member is written anywhere else.
 */
import { API_TABLE } from "./api-table.ts";
import type { ApiMember, EntityType, ItemType, Mode } from "./api-types.ts";
import { ENTITY_TYPES } from "./api-types.ts";
import { ERROR_CODES, officeError, thrownMessage, type OfficeErrorValue } from "./office-errors.ts";
import { maxTier, tierAtLeast, type Supplementary, type Tier } from "./tiers.ts";

// ── Lookup ────────────────────────────────────────────────────────────────────────────────────────

const INDEX: ReadonlyMap<string, ApiMember> = (() => {
  const map = new Map<string, ApiMember>();
  for (const member of API_TABLE) {
    if (map.has(member.path)) throw new Error(`Duplicate API table path: ${member.path}`);
    map.set(member.path, member);
  }
  return map;
})();

export const ITEM_PATH = "Office.context.mailbox.item";

/**
 * Members of an item loaded with `loadItemByIdAsync` (`Office.LoadedMessageRead.subject`…) carry the same gates as the
 * current item's (`Office.context.mailbox.item.subject`), §2 row 26; only `unloadAsync` has a row of its own.
 */
const LOADED_ITEM_TYPES: ReadonlySet<string> = new Set(["Office.LoadedMessageRead", "Office.LoadedMessageCompose"]);

/** The row a concrete path is governed by, in O(1); undefined for a path the table does not know. */
export function lookupMember(path: string): ApiMember | undefined {
  const direct = INDEX.get(path);
  if (direct) return direct;
  const loaded = loadedItemAlias(path);
  return loaded ? INDEX.get(loaded) : undefined;
}

/** `Office.LoadedMessageRead.subject` → `Office.context.mailbox.item.subject`; undefined for other paths. */
export function loadedItemAlias(path: string): string | undefined {
  const dot = path.indexOf(".", "Office.".length);
  if (dot < 0 || !LOADED_ITEM_TYPES.has(path.slice(0, dot))) return undefined;
  return `${ITEM_PATH}${path.slice(dot)}`;
}

export function allMembers(): readonly ApiMember[] {
  return API_TABLE;
}

/** True when the member exists in this mode and on this item type. */
export function availableIn(member: ApiMember, mode: Mode, itemType: ItemType): boolean {
  return member.modes.includes(mode) && member.itemTypes.includes(itemType);
}

/** Whether the path lies under `Office.context.mailbox.item` (needs an open item). */
export function isItemMember(path: string): boolean {
  return path.startsWith(`${ITEM_PATH}.`);
}

// ── The decision ──────────────────────────────────────────────────────────────────────────────────

export interface ApiRequest {
  /** Concrete member path, as in the table. */
  readonly path: string;
  readonly mode: Mode;
  readonly itemType: ItemType;
  /** False when no item is open (pinned pane without item, event runtime without item). Default true. */
  readonly hasItemContext?: boolean;
  readonly args?: {
    /** getEntitiesByType's entity type (Office.MailboxEnums.EntityType value or name). */
    readonly entityType?: string;
    /** getCallbackTokenAsync's `isRest` option. */
    readonly isRest?: boolean;
  };
}

export interface TenantPolicy {
  /** Legacy Exchange callback and identity tokens (and EWS through them). Off in every Exchange Online tenant today. */
  readonly legacyTokensEnabled: boolean;
  /** Whether the organization lets add-ins run in shared folders and mailboxes. */
  readonly sharedFoldersAllowed: boolean;
}

/** Exchange Online today: legacy tokens switched off for all tenants (§2.3). */
export const EXCHANGE_ONLINE_POLICY: TenantPolicy = { legacyTokensEnabled: false, sharedFoldersAllowed: true };
/** Exchange on-premises: legacy tokens still work. */
export const ON_PREMISES_POLICY: TenantPolicy = { legacyTokensEnabled: true, sharedFoldersAllowed: true };

export interface Grant {
  readonly tier: Tier;
  readonly supplementary: readonly Supplementary[];
  readonly tenant: TenantPolicy;
}

export type DenyReason =
  | "unknownMember"
  | "noItemContext"
  | "notAvailableInContext"
  | "unknownEntityType"
  | "tierTooLow"
  | "missingSupplementary"
  | "supplementaryBlockedByTenant"
  | "tokenAccessDenied"
  | "legacyTokensDisabled";

/**
 * How the add-in observes a denial through Office.js:
 * - throw: office.js throws `new Error(message)` synchronously, the callback never runs;
 * - withhold: reading the property yields `value` instead of the data;
 * - filterEntities: only the entity kinds in `allowed` are filled, the others are empty;
 * - absent: the member does not exist on the object in this mode / for this item type;
 * - asyncError: the callback runs with `status: "failed"` and `error`.
 */
export type DenialSurface =
  | { readonly kind: "throw"; readonly message: string }
  | { readonly kind: "withhold"; readonly value: "undefined" | "null" | "emptyArray" }
  | { readonly kind: "filterEntities"; readonly allowed: readonly EntityType[] }
  | { readonly kind: "absent" }
  | { readonly kind: "asyncError" };

export interface Allow {
  readonly allowed: true;
  readonly member: ApiMember;
  /** Tier this particular call needed (per entity type for getEntitiesByType, ReadWriteMailbox for an item-less REST token). */
  readonly requiredTier: Tier;
}

export interface Deny {
  readonly allowed: false;
  readonly reason: DenyReason;
  /** What the host answers when the call reaches it (always set: the server never trusts the client's own check). */
  readonly error: OfficeErrorValue;
  readonly surface: DenialSurface;
  /** One line for logs and the auditor, naming the member and the missing permission. */
  readonly detail: string;
  readonly member?: ApiMember;
  readonly requiredTier?: Tier;
}

export type Decision = Allow | Deny;

function deny(reason: DenyReason, error: OfficeErrorValue, surface: DenialSurface, detail: string, member?: ApiMember, requiredTier?: Tier): Deny {
  return { allowed: false, reason, error, surface, detail, ...(member ? { member } : {}), ...(requiredTier ? { requiredTier } : {}) };
}

/** Accepts an entity type's enum value (`"address"`, `"phoneNumber"`) or name (`"Address"`). */
export function parseEntityType(value: string): EntityType | undefined {
  const v = value.trim().toLowerCase();
  return ENTITY_TYPES.find((t) => t.toLowerCase() === v);
}

/** The tier a call needs given its arguments (only getEntitiesByType and getCallbackTokenAsync depend on them). */
function requiredTierFor(member: ApiMember, request: ApiRequest): Tier | "unknownEntityType" {
  if (member.perEntityTypeTier) {
    const type = request.args?.entityType === undefined ? undefined : parseEntityType(request.args.entityType);
    return type ? member.perEntityTypeTier[type] : "unknownEntityType";
  }
  return member.minTier;
}

function belowTierSurface(member: ApiMember, request: ApiRequest): DenialSurface {
  const b = member.restrictedBehaviour;
  switch (b.kind) {
    case "withhold":
      return { kind: "withhold", value: b.value };
    case "filterEntities":
      return { kind: "filterEntities", allowed: ENTITY_TYPES.filter((t) => restrictedEntityTypes().includes(t)) };
    case "perEntityType":
      return { kind: "throw", message: thrownMessage("elevatedPermission", [parseEntityType(request.args?.entityType ?? "") ?? ""]) };
    case "throw":
    case "allowed":
      return member.deniedError.kind === "elevatedPermission"
        ? { kind: "throw", message: thrownMessage("elevatedPermission", [member.deniedError.method]) }
        : { kind: "throw", message: thrownMessage("protectedMembers") };
  }
}

/** Entity types readable at Restricted, read from getEntitiesByType's row. */
export function restrictedEntityTypes(): readonly EntityType[] {
  const row = API_TABLE.find((m) => m.perEntityTypeTier);
  const tiers = row?.perEntityTypeTier;
  return tiers ? ENTITY_TYPES.filter((t) => tiers[t] === "Restricted") : [];
}

/**
 * Decides one call. Checks run in the order Outlook applies them: existence, item context, mode/item type and the
 * client-side tier check (these throw in office.js), then what only the host knows (supplementary permissions,
 * tenant policy, tokens).
 */
export function decide(request: ApiRequest, grant: Grant): Decision {
  const member = lookupMember(request.path);
  if (!member) {
    return deny("unknownMember", officeError(ERROR_CODES.hostError), { kind: "absent" }, `Unknown API member ${request.path}.`);
  }
  const itemPath = isItemMember(member.path);
  if (itemPath && request.hasItemContext === false) {
    const name = member.path.slice("Office.context.mailbox.".length);
    return deny("noItemContext", officeError(ERROR_CODES.invalidApiCall), { kind: "throw", message: thrownMessage("itemIsNull", [name]) }, `${request.path} needs an open item.`, member);
  }
  if (!availableIn(member, request.mode, request.itemType)) {
    return deny(
      "notAvailableInContext",
      officeError(ERROR_CODES.invalidApiCall),
      { kind: "absent" },
      `${request.path} is not available in ${request.mode} mode for ${request.itemType}s (only ${member.modes.join("/")} ${member.itemTypes.join("/")}).`,
      member,
    );
  }
  const needed = requiredTierFor(member, request);
  if (needed === "unknownEntityType") {
    return deny("unknownEntityType", officeError(ERROR_CODES.invalidApiCall), { kind: "asyncError" }, `${request.path}: unknown entity type ${JSON.stringify(request.args?.entityType)}.`, member);
  }
  if (!tierAtLeast(grant.tier, needed)) {
    return deny(
      "tierTooLow",
      officeError(ERROR_CODES.permissionDenied),
      belowTierSurface(member, request),
      `${request.path} needs ${needed}; the add-in has ${grant.tier}.`,
      member,
      needed,
    );
  }
  if (member.withoutItemContext && request.hasItemContext === false) {
    const restAtRwm = request.args?.isRest === true && tierAtLeast(grant.tier, "ReadWriteMailbox");
    if (!restAtRwm) {
      return deny(
        "tokenAccessDenied",
        officeError(ERROR_CODES.tokenAccessDenied),
        { kind: "throw", message: thrownMessage("restTokenWithoutItem") },
        `${request.path} without an item issues only a REST token (isRest: true) to ReadWriteMailbox add-ins.`,
        member,
        "ReadWriteMailbox",
      );
    }
  }
  for (const permission of member.supplementary?.permissions ?? []) {
    if (!grant.supplementary.includes(permission)) {
      return deny(
        "missingSupplementary",
        officeError(ERROR_CODES.missingExtendedPermissions),
        { kind: "asyncError" },
        `${request.path} needs the ${permission} supplementary permission in the manifest.`,
        member,
        needed,
      );
    }
    if (permission === "SharedFolder" && !grant.tenant.sharedFoldersAllowed) {
      return deny(
        "supplementaryBlockedByTenant",
        officeError(ERROR_CODES.permissionDenied),
        { kind: "asyncError" },
        `${request.path}: the organization does not allow add-ins in shared folders.`,
        member,
        needed,
      );
    }
  }
  if (member.legacyExchangeToken && !grant.tenant.legacyTokensEnabled) {
    return deny(
      "legacyTokensDisabled",
      officeError(ERROR_CODES.internalServerError),
      { kind: "asyncError" },
      `${request.path} uses a legacy Exchange token, switched off for this tenant.`,
      member,
      needed,
    );
  }
  const requiredTier = member.withoutItemContext && request.hasItemContext === false ? maxTier([needed, "ReadWriteMailbox"]) : needed;
  return { allowed: true, member, requiredTier };
}

// ── Questions the auditor and the Office.js surface ask ───────────────────────────────────────────

/** Members an add-in with `tier` may use in this mode and on this item type (ignores supplementary and tenant rules). */
export function membersAllowedAt(tier: Tier, mode: Mode, itemType: ItemType): readonly ApiMember[] {
  return API_TABLE.filter((m) => availableIn(m, mode, itemType) && tierAtLeast(tier, m.minTier));
}

export interface LowestTierResult {
  /** Lowest tier that lets every known path work. */
  readonly tier: Tier;
  /** For each known path, the tier it needs. */
  readonly perPath: ReadonlyMap<string, Tier>;
  /** Paths the table does not know (the auditor should report them). */
  readonly unknown: readonly string[];
  /** Supplementary permissions the paths need. */
  readonly supplementary: readonly Supplementary[];
}

/**
 * The least tier covering all `paths` (for the least-privilege auditor). Arguments that change the tier
 * (getEntitiesByType's type) are not known statically, so such members count at their documented minimum.
 */
export function lowestTierFor(paths: Iterable<string>): LowestTierResult {
  const perPath = new Map<string, Tier>();
  const unknown: string[] = [];
  const supplementary = new Set<Supplementary>();
  for (const path of paths) {
    const member = lookupMember(path);
    if (!member) {
      if (!unknown.includes(path)) unknown.push(path);
      continue;
    }
    perPath.set(path, member.minTier);
    for (const s of member.supplementary?.permissions ?? []) supplementary.add(s);
  }
  return { tier: maxTier(perPath.values()), perPath, unknown, supplementary: [...supplementary] };
}

/**
 * The Mailbox requirement sets Outpost supports, lowest first: every released version from 1.1 up to the highest
 * any table row needs (preview excluded). The bootstrap hands them to the page's `isSetSupported`.
 */
export function supportedMailboxSets(): string[] {
  const minor = (set: string) => Number(/^Mailbox 1\.(\d+)$/.exec(set)?.[1] ?? 0);
  let top = 1;
  for (const m of API_TABLE) for (const set of [m.requirementSet, ...(m.requirementSetVariants ?? []).map((v) => `Mailbox ${v.set}`)]) top = Math.max(top, minor(set));
  return Array.from({ length: top }, (_, i) => `1.${i + 1}`);
}
