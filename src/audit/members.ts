/**
 * From what code touches to a row of the permission table. The table (src/permissions) is the only place tiers live;
 * this file only knows how Office.js objects are reached (which value a callback receives, which type an object is)
 * and names the modern replacement of each legacy-token member.
 */
import { allMembers, lookupMember, type ApiMember } from "../permissions/index.ts";

export const MAILBOX = "Office.context.mailbox";
export const ITEM = "Office.context.mailbox.item";

/** `asyncResult.value` of these methods is an Office.js object whose members have rows of their own. */
export const RESULT_VALUE_TYPES: Readonly<Record<string, string>> = {
  [`${MAILBOX}.loadItemByIdAsync`]: "Office.LoadedMessageRead",
  [`${MAILBOX}.getSelectedItemsAsync`]: "Office.SelectedItemDetails[]",
  [`${ITEM}.loadCustomPropertiesAsync`]: "Office.CustomProperties",
  [`${ITEM}.recurrence.getAsync`]: "Office.Recurrence",
};

/** Objects reached through a property whose members the table names by their type. */
export const TYPE_OF_PATH: Readonly<Record<string, string>> = {
  [`${ITEM}.recurrence.seriesTime`]: "Office.SeriesTime",
  "Office.Recurrence.seriesTime": "Office.SeriesTime",
};

/** Values that are legacy Exchange tokens once a callback has them. */
export const TOKEN_METHODS: Readonly<Record<string, "callback" | "identity">> = {
  [`${MAILBOX}.getCallbackTokenAsync`]: "callback",
  [`${MAILBOX}.getUserIdentityTokenAsync`]: "identity",
};

/** What replaces each member that needs a legacy Exchange token (off in Exchange Online). */
export const MODERN_ALTERNATIVE: Readonly<Record<string, string>> = {
  [`${MAILBOX}.getCallbackTokenAsync`]: "nested app authentication (or Office.auth.getAccessToken) and Microsoft Graph; getAttachmentContentAsync for attachments",
  [`${MAILBOX}.getUserIdentityTokenAsync`]: "nested app authentication or Office.auth.getAccessToken (an Entra ID token the service can verify)",
  [`${MAILBOX}.makeEwsRequestAsync`]: "Microsoft Graph with a token from nested app authentication",
};

const ROW_PATHS = new Set(allMembers().map((m) => m.path));

/** Rows that other rows hang under (`Office.context.mailbox.item`, `…body`, `…subject` in compose mode). */
const PARENTS: ReadonlySet<string> = (() => {
  const s = new Set<string>();
  for (const path of ROW_PATHS) {
    const parts = path.split(".");
    for (let i = 2; i < parts.length; i++) s.add(parts.slice(0, i).join("."));
  }
  return s;
})();

/** Namespaces whose members the table governs: the mailbox, roaming settings, and the Office.js types it names. */
const GOVERNED_PREFIXES: readonly string[] = (() => {
  const s = new Set<string>([`${MAILBOX}.`, "Office.context.roamingSettings.", "Office.context.sensitivityLabelsCatalog."]);
  for (const path of ROW_PATHS) if (!path.startsWith("Office.context.")) s.add(path.split(".").slice(0, -1).join(".") + ".");
  s.add("Office.LoadedMessageRead.");
  s.add("Office.LoadedMessageCompose.");
  return [...s];
})();

export type Resolution =
  /** A row governs the use; `exact` when the path is the row's own. */
  | { kind: "row"; member: ApiMember; exact: boolean }
  /** Under a governed object but the table has no such member (a typo, a newer API, or not Outlook's). */
  | { kind: "unknown" }
  /** Not part of the mailbox permission model (Office.onReady, Office.context.ui, enums…). */
  | { kind: "outside" };

/** Containers carry no data: touching `item.foo` is an unknown member, not a read of `item`. */
function isContainer(member: ApiMember): boolean {
  return member.kind === "property" && member.minTier === "Restricted" && PARENTS.has(member.path);
}

export function resolvePath(path: string): Resolution {
  const parts = path.split(".");
  for (let i = parts.length; i >= 2; i--) {
    const prefix = parts.slice(0, i).join(".");
    const member = lookupMember(prefix);
    if (!member) continue;
    if (i === parts.length) return { kind: "row", member, exact: true };
    if (isContainer(member)) return { kind: "unknown" };
    // `item.subject.length`, `item.to[0].emailAddress`: data of the property row. A method's `.call`/`.bind` is the method.
    return { kind: "row", member, exact: false };
  }
  return GOVERNED_PREFIXES.some((p) => path.startsWith(p)) ? { kind: "unknown" } : { kind: "outside" };
}

/** The completed-options row set an object literal handed to `event.completed(...)` matches best, by its keys. */
export function completedOptionsType(keys: readonly string[]): string | undefined {
  const byType = new Map<string, number>();
  for (const m of allMembers()) {
    const dot = m.path.lastIndexOf(".");
    const type = m.path.slice(0, dot);
    if (!type.endsWith("CompletedOptions")) continue;
    if (keys.includes(m.path.slice(dot + 1))) byType.set(type, (byType.get(type) ?? 0) + 1);
  }
  let best: string | undefined;
  let score = 0;
  for (const [type, n] of byType) if (n > score || (n === score && best !== undefined && type < best)) [best, score] = [type, n];
  return best;
}
