/**
 * What the page receives when an add-in starts: the item's properties and the mailbox facts, each decided by
 * decide() for this session (a property the tier may not see arrives withheld, exactly as Outlook's host omits it),
 * and for each method the synchronous error office.js throws when the tier is too low, so the page can throw it
 * before any round trip. The server re-checks every call anyway.
 */
import { allMembers, availableIn, decide, ITEM_PATH, supportedMailboxSets, thrownMessage } from "../../permissions/index.ts";
import { EWS_REQUEST_MAX_CHARS } from "../members/ews.ts";
import { FORM_BODY_MAX, FORM_LOCATION_MAX, FORM_RECIPIENTS_MAX, FORM_SUBJECT_MAX } from "../members/mailbox-forms.ts";
import { DATE_PROPERTIES, MAILBOX_PROPERTIES, MEMBERS, PROPERTIES } from "../members/registry.ts";
import type { Session } from "../session.ts";
import type { BridgeHost } from "./dispatch.ts";
import { contextFor } from "./dispatch.ts";
import { OfficeCallError } from "../members/context.ts";
import { activationFor } from "../members/activation.ts";

export const BOOTSTRAP_MEMBER = "Outpost.bootstrap";

/** isSetSupported("Mailbox", v): every released set whose members the table lists (and so Outpost serves). */
const SUPPORTED_MAILBOX_SETS = supportedMailboxSets();

const FORM_PARAMETER_LIMITS: Record<string, number> = {
  subject: FORM_SUBJECT_MAX, htmlBody: FORM_BODY_MAX, body: FORM_BODY_MAX, location: FORM_LOCATION_MAX,
  ...Object.fromEntries(["toRecipients", "ccRecipients", "bccRecipients", "requiredAttendees", "optionalAttendees", "resources"].map((k) => [k, FORM_RECIPIENTS_MAX])),
};

export interface BootData {
  mode: "read" | "compose";
  itemType: "message" | "appointment";
  hasItem: boolean;
  displayLanguage: string;
  /** Property path → value (withheld properties carry the withheld value). */
  properties: Record<string, unknown>;
  /** Paths whose value the page turns back into a Date. */
  dates: string[];
  /** Method paths that exist in this mode and item type, in table order. */
  methods: string[];
  /** Path → message office.js throws synchronously when called (tier too low, no item). */
  throws: Record<string, string>;
  /** displayNew*Form parameter → maximum length (characters or recipients), from the permission table. */
  formLimits: Record<string, number>;
  /** Path → first-argument size limit the page checks synchronously (office.js throws above it). */
  limits: Record<string, { maxChars: number; message: string }>;
  roamingSettings: Record<string, unknown>;
  /** Answers of the synchronous members (getRegExMatches, getEntities), computed only when decide() allows them. */
  sync: {
    regExMatches?: unknown;
    entities?: unknown;
    /** Highlighted matches and entities (getSelectedRegExMatches / getSelectedEntities), filter name → entities. */
    selectedRegExMatches?: unknown;
    selectedEntities?: unknown;
    filteredEntities?: unknown;
    regExMatchesError?: string;
    entitiesError?: string;
    selectedRegExMatchesError?: string;
    selectedEntitiesError?: string;
  };
  requirementSets: string[];
}

const MAILBOX = "Office.context.mailbox";
const WITHHELD: Record<string, unknown> = { undefined: undefined, null: null, emptyArray: [] };

export async function bootstrap(host: BridgeHost, session: Session): Promise<BootData> {
  const { spec, grant } = session;
  const hasItem = spec.itemId !== null;
  const ctx = contextFor(host, session);
  const item = hasItem ? await ctx.item() : undefined;
  const user = await host.store.directory.getUser(spec.userId);
  const facts = {
    displayName: user?.displayName ?? "",
    emailAddress: user?.email ?? "",
    timeZone: user?.timeZone ?? "UTC",
    // The server's public origin (OUTPOST_PUBLIC_URL, as the identity provider's issuer) where the host names none.
    baseUrl: host.baseUrl ?? process.env.OUTPOST_PUBLIC_URL?.replace(/\/$/, "") ?? "https://localhost:3000",
  };
  const properties: Record<string, unknown> = {};
  const methods: string[] = [];
  const throws: Record<string, string> = {};
  for (const member of allMembers()) {
    if (!member.path.startsWith("Office.context.")) continue;
    if (!availableIn(member, spec.form, spec.itemType)) continue;
    const d = decide({ path: member.path, mode: spec.form, itemType: spec.itemType, hasItemContext: hasItem }, grant);
    if (member.kind === "method") {
      methods.push(member.path);
      if (!d.allowed && d.surface.kind === "throw" && !member.perEntityTypeTier) throws[member.path] = d.surface.message;
      continue;
    }
    const itemGetter = PROPERTIES.get(member.path);
    const mailboxGetter = MAILBOX_PROPERTIES[member.path];
    if (!itemGetter && !mailboxGetter) {
      // A container the page builds (userProfile, body): below its tier, reading it throws "protected members".
      if (!d.allowed && d.surface.kind === "throw") throws[member.path] = d.surface.message;
      continue;
    }
    if (!d.allowed) {
      if (d.surface.kind === "withhold") properties[member.path] = WITHHELD[d.surface.value];
      else if (d.surface.kind === "throw") throws[member.path] = d.surface.message;
      continue;
    }
    if (itemGetter && item) properties[member.path] = await itemGetter(item, ctx);
    else if (mailboxGetter) properties[member.path] = mailboxGetter(facts);
  }
  const roaming = (await host.store.addinData.getRoamingSettings(spec.userId, spec.addinId)) as Record<string, unknown> | null;
  return {
    mode: spec.form,
    itemType: spec.itemType,
    hasItem,
    displayLanguage: "en-US",
    properties,
    dates: DATE_PROPERTIES.filter((p) => p in properties),
    methods,
    throws,
    formLimits: FORM_PARAMETER_LIMITS,
    limits: { [`${MAILBOX}.makeEwsRequestAsync`]: { maxChars: EWS_REQUEST_MAX_CHARS, message: thrownMessage("ewsRequestTooLarge") } },
    roamingSettings: roaming && typeof roaming === "object" ? roaming : {},
    sync: item ? await syncAnswers(host, session) : {},
    requirementSets: SUPPORTED_MAILBOX_SETS,
  };
}

async function syncAnswers(host: BridgeHost, session: Session): Promise<BootData["sync"]> {
  const out: BootData["sync"] = {};
  const { spec, grant } = session;
  const ctx = contextFor(host, session);
  const answers = [
    ["regExMatches", `${ITEM_PATH}.getRegExMatches`],
    ["entities", `${ITEM_PATH}.getEntities`],
    ["selectedRegExMatches", `${ITEM_PATH}.getSelectedRegExMatches`],
    ["selectedEntities", `${ITEM_PATH}.getSelectedEntities`],
  ] as const;
  for (const [key, path] of answers) {
    const d = decide({ path, mode: spec.form, itemType: spec.itemType, hasItemContext: true }, grant);
    const impl = MEMBERS.get(path);
    if (!d.allowed || !impl) continue;
    try {
      out[key] = await impl.run(ctx, []);
    } catch (e) {
      // e.g. a manifest regex that ran out of its time budget: the page's synchronous call throws this.
      if (!(e instanceof OfficeCallError)) throw e;
      out[`${key}Error`] = e.error.message;
    }
  }
  const filtered = `${ITEM_PATH}.getFilteredEntitiesByName`;
  if (decide({ path: filtered, mode: spec.form, itemType: spec.itemType, hasItemContext: true }, grant).allowed) {
    out.filteredEntities = await activationFor(ctx).then((r) => r.filteredEntities, () => ({}));
  }
  return out;
}
