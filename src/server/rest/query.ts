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

/** Outlook REST defaults: 10 per page, newest received first. */
export function parseListQuery(q: ListQueryString): ListQuery {
  const int = (v: string | undefined, name: string, dflt: number, min: number, max: number) => {
    if (v === undefined) return dflt;
    if (!/^\d{1,9}$/.test(v.trim())) throw bad(`${name} must be a non-negative integer`);
    return Math.min(Math.max(Number(v), min), max);
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
  return { top: int(q.$top, "$top", 10, 1, 1000), skip: int(q.$skip, "$skip", 0, 0, 1_000_000), orderBy, descending, select };
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
