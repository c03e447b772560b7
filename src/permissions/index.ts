/**
 * Outpost's permission model: tiers, the Outlook API table, the decision function and Office error codes.
 * Import from here, not from the files behind it.
 */
export * from "./tiers.ts";
export * from "./api-types.ts";
export { API_TABLE, TIER_CHOICES } from "./api-table.ts";
export { tableLimitOf } from "./table-limits.ts";
export {
  decide,
  lookupMember,
  loadedItemAlias,
  allMembers,
  availableIn,
  isItemMember,
  membersAllowedAt,
  lowestTierFor,
  parseEntityType,
  restrictedEntityTypes,
  supportedMailboxSets,
  ITEM_PATH,
  EXCHANGE_ONLINE_POLICY,
  ON_PREMISES_POLICY,
} from "./decide.ts";
export type { ApiRequest, Grant, TenantPolicy, Decision, Allow, Deny, DenyReason, DenialSurface, LowestTierResult } from "./decide.ts";
export {
  OFFICE_ERRORS,
  OFFICE_ERRORS_BY_NAME,
  officeErrorCode,
  ERROR_CODES,
  THROWN_MESSAGES,
  officeError,
  thrownMessage,
  elevatedPermissionMessage,
} from "./office-errors.ts";
export type { OfficeErrorValue, OfficeErrorInfo, ThrownMessageId } from "./office-errors.ts";
