/**
 * Which entity types an add-in's tier may see, and the by-type / by-filter views the mailbox API
 * returns. Restricted sees addresses, URLs and phone numbers only: Outlook's runtime is
 * authoritative where the documents disagree (reference §9.6).
 */
import { tierAtLeast, type Tier } from "../../permissions/tiers.ts";
import { API_TABLE } from "../../permissions/api-table.ts";
import type { EntityTypeName, EntityValue, ExtractedEntities } from "./types.ts";

/** The one entity-tier map: the permission table's getEntitiesByType row (perEntityTypeTier). */
export const ENTITY_MIN_TIER: Readonly<Record<EntityTypeName, Tier>> = (() => {
  const row = API_TABLE.find((r) => r.path === "Office.context.mailbox.item.getEntitiesByType");
  if (!row?.perEntityTypeTier) throw new Error("the permission table lacks getEntitiesByType's per-entity tiers");
  const t = row.perEntityTypeTier;
  return { Address: t.Address, Url: t.Url, PhoneNumber: t.PhoneNumber, EmailAddress: t.EmailAddress, Contact: t.Contact, MeetingSuggestion: t.MeetingSuggestion, TaskSuggestion: t.TaskSuggestion };
})();

const ALIASES: Record<string, EntityTypeName> = {
  address: "Address",
  url: "Url",
  phonenumber: "PhoneNumber",
  emailaddress: "EmailAddress",
  contact: "Contact",
  meetingsuggestion: "MeetingSuggestion",
  tasksuggestion: "TaskSuggestion",
};

/** Accepts the manifest spelling (`PhoneNumber`) and the API enum value (`phoneNumber`). */
export function entityTypeName(value: string): EntityTypeName | undefined {
  return ALIASES[value.toLowerCase()];
}

export function entityAllowed(type: EntityTypeName, tier: Tier): boolean {
  return tierAtLeast(tier, ENTITY_MIN_TIER[type]);
}

export function entitiesOfType(entities: ExtractedEntities, type: EntityTypeName): EntityValue[] {
  switch (type) {
    case "Address": return entities.addresses;
    case "Url": return entities.urls;
    case "PhoneNumber": return entities.phoneNumbers;
    case "EmailAddress": return entities.emailAddresses;
    case "Contact": return entities.contacts;
    case "MeetingSuggestion": return entities.meetingSuggestions;
    case "TaskSuggestion": return entities.taskSuggestionDetails;
  }
}

/** The text a RegExFilter is run against for one entity. */
export function entityText(value: EntityValue): string {
  if (typeof value === "string") return value;
  if ("originalPhoneString" in value) return value.originalPhoneString;
  if ("meetingString" in value) return value.meetingString;
  if ("taskString" in value) return value.taskString;
  return [value.personName, value.businessName, ...value.phoneNumbers.map((p) => p.originalPhoneString), ...value.emailAddresses, ...value.urls, ...value.addresses]
    .filter(Boolean)
    .join("\n");
}

/** What `getEntities()` returns at a tier: arrays the tier may not see come back empty. */
export function entitiesForTier(entities: ExtractedEntities, tier: Tier): ExtractedEntities {
  const allow = (t: EntityTypeName) => entityAllowed(t, tier);
  return {
    addresses: allow("Address") ? entities.addresses : [],
    urls: allow("Url") ? entities.urls : [],
    phoneNumbers: allow("PhoneNumber") ? entities.phoneNumbers : [],
    emailAddresses: allow("EmailAddress") ? entities.emailAddresses : [],
    contacts: allow("Contact") ? entities.contacts : [],
    meetingSuggestions: allow("MeetingSuggestion") ? entities.meetingSuggestions : [],
    taskSuggestions: allow("TaskSuggestion") ? entities.taskSuggestions : [],
    taskSuggestionDetails: allow("TaskSuggestion") ? entities.taskSuggestionDetails : [],
  };
}
