/**
 * Outlook's four cumulative permission tiers and the two supplementary permissions, as data.
 * Facts: shared/reference/outlook-addin-model.md §1 and §1.1.
 */

export const TIERS = ["Restricted", "ReadItem", "ReadWriteItem", "ReadWriteMailbox"] as const;
export type Tier = (typeof TIERS)[number];

export interface TierInfo {
  /** Canonical name; equals the XML `<Permissions>` value. */
  readonly name: Tier;
  /** Position in the cumulative order: Restricted 0 … ReadWriteMailbox 3. */
  readonly rank: number;
  /** Name in the unified manifest's `authorization.permissions.resourceSpecific[].name`. */
  readonly unifiedName: string;
  /** Value the Outlook host sends on the wire (not ordered: 1=ReadItem, 2=ReadWriteMailbox, 3=ReadWriteItem). */
  readonly hostWireValue: number;
  /** Oldest XML manifest schema that accepts this value (ReadWriteItem came with 1.1). */
  readonly sinceXmlSchema: "1.0" | "1.1";
  readonly label: string;
}

export const TIER_INFO: Readonly<Record<Tier, TierInfo>> = {
  Restricted: { name: "Restricted", rank: 0, unifiedName: "MailboxItem.Restricted.User", hostWireValue: 0, sinceXmlSchema: "1.0", label: "restricted" },
  ReadItem: { name: "ReadItem", rank: 1, unifiedName: "MailboxItem.Read.User", hostWireValue: 1, sinceXmlSchema: "1.0", label: "read item" },
  ReadWriteItem: { name: "ReadWriteItem", rank: 2, unifiedName: "MailboxItem.ReadWrite.User", hostWireValue: 3, sinceXmlSchema: "1.1", label: "read/write item" },
  ReadWriteMailbox: { name: "ReadWriteMailbox", rank: 3, unifiedName: "Mailbox.ReadWrite.User", hostWireValue: 2, sinceXmlSchema: "1.0", label: "read/write mailbox" },
};

export const SUPPLEMENTARY = ["AppendOnSend", "SharedFolder"] as const;
export type Supplementary = (typeof SUPPLEMENTARY)[number];

export interface SupplementaryInfo {
  readonly name: Supplementary;
  readonly unifiedName: string;
  /**
   * Other unified names read as this permission: what Microsoft's own manifest converter writes
   * (office-addin-manifest-converter). Accepted on input and reported as an alias; never written.
   */
  readonly unifiedAliases: readonly string[];
  /** How the XML add-in-only manifest declares it. */
  readonly xmlDeclaration: string;
  readonly requirementSet: string;
  readonly label: string;
}

export const SUPPLEMENTARY_INFO: Readonly<Record<Supplementary, SupplementaryInfo>> = {
  AppendOnSend: {
    name: "AppendOnSend",
    unifiedName: "Mailbox.AppendOnSend.User",
    unifiedAliases: ["MailboxItem.AppendOnSend.User"],
    xmlDeclaration: "VersionOverrides V1_1 > ExtendedPermissions > ExtendedPermission = AppendOnSend",
    requirementSet: "Mailbox 1.9",
    label: "append on send",
  },
  SharedFolder: {
    name: "SharedFolder",
    unifiedName: "Mailbox.SharedFolder",
    unifiedAliases: ["Mailbox.AccessSharedFolders.User"],
    xmlDeclaration: "VersionOverrides V1_1 > DesktopFormFactor > SupportsSharedFolders = true",
    requirementSet: "Mailbox 1.8",
    label: "shared folders and mailboxes",
  },
};

export function isTier(value: string): value is Tier {
  return (TIERS as readonly string[]).includes(value);
}

export function tierRank(tier: Tier): number {
  return TIER_INFO[tier].rank;
}

/** True when `granted` includes everything `required` allows (tiers are cumulative). */
export function tierAtLeast(granted: Tier, required: Tier): boolean {
  return tierRank(granted) >= tierRank(required);
}

export function maxTier(tiers: Iterable<Tier>): Tier {
  let best: Tier = "Restricted";
  for (const t of tiers) if (tierRank(t) > tierRank(best)) best = t;
  return best;
}

export function tierBelow(tier: Tier): Tier | undefined {
  const rank = tierRank(tier);
  return rank === 0 ? undefined : TIERS[rank - 1];
}

/** Parses a tier in any of its spellings: canonical/XML, unified, or the lower-case label. */
export function parseTier(value: string): Tier | undefined {
  const v = value.trim();
  for (const info of Object.values(TIER_INFO)) {
    if (v === info.name || v === info.unifiedName || v.toLowerCase() === info.name.toLowerCase() || v.toLowerCase() === info.label) return info.name;
  }
  return undefined;
}

export function tierFromUnifiedName(name: string): Tier | undefined {
  return Object.values(TIER_INFO).find((i) => i.unifiedName === name)?.name;
}

/** The supplementary permission a unified name stands for: its documented name or one of its aliases. */
export function supplementaryFromUnifiedName(name: string): Supplementary | undefined {
  return Object.values(SUPPLEMENTARY_INFO).find((i) => i.unifiedName === name || i.unifiedAliases.includes(name))?.name;
}

/** When `name` is an alias (not the documented name) of a supplementary permission, that permission's info. */
export function supplementaryAliasOf(name: string): SupplementaryInfo | undefined {
  return Object.values(SUPPLEMENTARY_INFO).find((i) => i.unifiedAliases.includes(name));
}

/** Maps the host's unordered wire value to a tier, as office.js does (unknown → Restricted). */
export function tierFromHostWireValue(value: number): Tier {
  return Object.values(TIER_INFO).find((i) => i.hostWireValue === value && value !== 0)?.name ?? "Restricted";
}
