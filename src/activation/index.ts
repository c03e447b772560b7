/**
 * Activation: Outlook's rule engine, its per-client limits, regex governance and known entities.
 * The runtime calls `evaluateActivation(s)` to decide which add-ins show on an item and reads
 * `regexMatches` / `filteredEntities` / `entities` of the result to answer getRegExMatches & co.
 */
export { evaluateActivation, evaluateActivations, type ActivationOptions } from "./evaluate.ts";
export type { ActivationResult, RuleReport, LimitReport, LimitKind, ContextualReport } from "./result.ts";
export { formatExplanation } from "./explain.ts";
export { makeActivationItem, itemTypeForClass, isReportClass, MESSAGE_CLASSES, APPOINTMENT_CLASSES, type ActivationItem, type FormKind } from "./item.ts";
export { activationItemFromEml, activationItemFromText } from "./item-from-eml.ts";
export { CLIENT_IDS, CLIENT_PROFILES, clientProfile, compareBuilds, isClientId, supportsProtected, type ClientId, type ClientProfile, type BodyLimit } from "./clients.ts";
export { ACTIVATION_THRESHOLDS, DEFAULT_THRESHOLDS, resolveThresholds, ThresholdRangeError, type ActivationThresholds } from "./thresholds.ts";
export {
  ActivationGovernanceLedger,
  type ActivationGovernanceEvent,
  type ActivationGovernanceSink,
  type ActivationGovernanceState,
  type AddinDisabledEvent,
  type RegexTimeoutEvent,
} from "./governance.ts";
export { dialectIssues, type DialectIssue } from "./regex-dialect.ts";
export { RegexWorkerPool, sharedRegexPool, closeSharedRegexPool } from "./regex-pool.ts";
export { extractEntities, extractEntitiesFromText } from "./entities/extract.ts";
export { entitiesForTier, entitiesOfType, entityAllowed, entityText, entityTypeName, ENTITY_MIN_TIER } from "./entities/access.ts";
export type { Contact, EmailUser, Entities, EntityTypeName, EntityValue, ExtractedEntities, MeetingSuggestion, PhoneNumber, TaskSuggestion } from "./entities/types.ts";
export { htmlToText } from "./html-text.ts";

import type { ClientId, ClientProfile } from "./clients.ts";
import { clientProfile } from "./clients.ts";
import { extractEntities as extract } from "./entities/extract.ts";
import { entitiesForTier as forTier } from "./entities/access.ts";
import type { ExtractedEntities as Extracted } from "./entities/types.ts";
import type { ActivationItem as Item, FormKind as Form } from "./item.ts";
import type { Tier } from "../permissions/tiers.ts";

/**
 * What `item.getEntities()` returns for an add-in: Exchange's first 2,000 body characters, nothing
 * in compose forms or Sent Items, arrays the tier may not see left empty.
 */
export function entitiesForItem(item: Item, options: { client?: ClientId | ClientProfile; form?: Form; tier?: Tier } = {}): Extracted {
  const client = typeof options.client === "object" ? options.client : clientProfile(options.client ?? "web");
  const none = extract({ ...item, bodyText: "" });
  if ((options.form ?? "read") !== "read" || item.inSentItems) return none;
  return forTier(extract(item, { maxChars: client.entityExtractionChars }), options.tier ?? "ReadItem");
}
