import { MailboxError, type ItemOrder } from "../../mailbox/index.ts";
import { messageSummaryJson } from "./json.ts";

/** OData query options of a REST message list ($top, $skip, $orderby, $select), validated. */
export interface ListQuery {
  top: number;
  skip: number;
  orderBy: ItemOrder;
  descending: boolean;
  /** REST property names to return (always with Id and @odata.id); undefined = all summary properties. */
  select: string[] | undefined;
}

export type ListQueryString = { $top?: string; $skip?: string; $orderby?: string; $select?: string };

const ORDERABLE: Record<string, ItemOrder> = {
  receiveddatetime: "receivedAt",
  sentdatetime: "sentAt",
  createddatetime: "createdAt",
  lastmodifieddatetime: "modifiedAt",
  subject: "subject",
  importance: "importance",
};

/** Properties of a message in a list, by lower-case name (OData names are matched case-insensitively here). */
const SELECTABLE = new Map(Object.keys(messageSummaryJson({} as never)).filter((k) => !k.startsWith("@")).map((k) => [k.toLowerCase(), k]));

const bad = (message: string) => new MailboxError("InvalidRequest", message);

/**
 * One whole-number query value, strictly: given once, digits only (no sign, fraction, exponent or spaces), within
 * [min, max]. Anything else is a 400 naming the parameter: `$top=1&$top=2`, `limit=-5`, `offset=1e400`, `limit=2.5`.
 */
export function queryInteger(v: unknown, name: string, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (Array.isArray(v)) throw bad(`${name} is given more than once`);
  if (typeof v !== "string" || !/^\d{1,15}$/.test(v)) throw bad(`${name} must be a whole number from ${min} to ${max}`);
  const n = Number(v);
  if (n < min || n > max) throw bad(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/** One text query value, given at most once. */
function queryText(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v) || typeof v !== "string") throw bad(`${name} is given more than once`);
  return v;
}

/** Outlook REST defaults: 10 per page, newest received first. */
export function parseListQuery(raw: ListQueryString): ListQuery {
  const q = { $orderby: queryText(raw.$orderby, "$orderby"), $select: queryText(raw.$select, "$select") };
  // Outlook clamps $top/$skip into range rather than refusing; anything but digits is refused.
  const int = (v: unknown, name: string, dflt: number, min: number, max: number) => {
    const text = queryText(v, name);
    if (text !== undefined && /^\d{16,}$/.test(text)) return max;
    return Math.min(Math.max(queryInteger(text, name, dflt, 0, Number.MAX_SAFE_INTEGER), min), max);
  };
  let orderBy: ItemOrder = "receivedAt";
  let descending = true;
  if (q.$orderby !== undefined) {
    const m = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/i.exec(q.$orderby);
    const key = m && ORDERABLE[m[1]!.toLowerCase()];
    if (!m || !key) throw bad(`$orderby: unsupported ordering '${q.$orderby.slice(0, 100)}' (one of ReceivedDateTime, SentDateTime, CreatedDateTime, LastModifiedDateTime, Subject, Importance, then asc or desc)`);
    orderBy = key;
    descending = (m[2] ?? "asc").toLowerCase() === "desc";
  }
  let select: string[] | undefined;
  if (q.$select !== undefined) {
    select = [];
    for (const raw of q.$select.split(",")) {
      const name = SELECTABLE.get(raw.trim().toLowerCase());
      if (!name) throw bad(`$select: could not find a property named '${raw.trim().slice(0, 100)}' on type 'Microsoft.OutlookServices.Message'`);
      if (!select.includes(name)) select.push(name);
    }
  }
  return { top: int(raw.$top, "$top", 10, 1, 1000), skip: int(raw.$skip, "$skip", 0, 0, 1_000_000), orderBy, descending, select };
}

/** Keeps only the selected properties (plus the identity ones, which Outlook always returns). */
export function project<T extends Record<string, unknown>>(value: T, select: string[] | undefined): Partial<T> {
  if (!select) return value;
  const out: Record<string, unknown> = { "@odata.id": value["@odata.id"], Id: value.Id };
  for (const k of select) out[k] = value[k];
  return out as Partial<T>;
}

/** The link to the next page: the same query with $skip advanced. */
export function nextLink(baseUrl: string, q: ListQuery): string {
  const params = [`$top=${q.top}`, `$skip=${q.skip + q.top}`];
  if (q.select) params.push(`$select=${q.select.join(",")}`);
  params.push(`$orderby=${encodeURIComponent(`${ORDER_NAMES[q.orderBy]} ${q.descending ? "desc" : "asc"}`)}`);
  return `${baseUrl}?${params.join("&")}`;
}

const ORDER_NAMES: Record<ItemOrder, string> = {
  receivedAt: "ReceivedDateTime",
  sentAt: "SentDateTime",
  createdAt: "CreatedDateTime",
  modifiedAt: "LastModifiedDateTime",
  subject: "Subject",
  importance: "Importance",
};
