/**
 * Extended MAPI properties in GetItem/FindItem (`<t:ExtendedFieldURI>` in AdditionalProperties): by property tag
 * (PR_TRANSPORT_MESSAGE_HEADERS 0x007D — what MHA and similar add-ins read — and a few common message properties)
 * and by name in the InternetHeaders property set (one header). A property the item does not have is omitted, as
 * Exchange omits it.
 */
import type { Item, ItemSummary } from "../../mailbox/index.ts";
import { attr, child, children, esc, type El } from "./xml.ts";

export interface ExtendedRef {
  /** The request's ExtendedFieldURI attributes, echoed back in the response. */
  attrs: Record<string, string>;
  tag?: number;
  headerName?: string;
}

const ATTRS = ["DistinguishedPropertySetId", "PropertySetId", "PropertyTag", "PropertyName", "PropertyId", "PropertyType"];

export function requestedExtended(shape: El | undefined): ExtendedRef[] {
  const props = child(shape, "AdditionalProperties");
  if (!props) return [];
  return children(props, "ExtendedFieldURI")
    .slice(0, 100)
    .map((el) => {
      const attrs: Record<string, string> = {};
      for (const a of ATTRS) {
        const v = attr(el, a);
        if (v !== undefined) attrs[a] = v.slice(0, 256);
      }
      const tagText = attrs.PropertyTag;
      const tag = tagText === undefined ? undefined : /^0x[0-9a-f]{1,4}$/i.test(tagText) ? Number.parseInt(tagText, 16) : /^\d{1,5}$/.test(tagText) ? Number(tagText) : undefined;
      const headerName = attrs.DistinguishedPropertySetId === "InternetHeaders" ? attrs.PropertyName : undefined;
      return { attrs, ...(tag !== undefined ? { tag } : {}), ...(headerName ? { headerName } : {}) };
    });
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : undefined);

function value(ref: ExtendedRef, item: Item | ItemSummary, rawHeaders: string | null): string | undefined {
  if (ref.headerName) {
    const re = new RegExp(`^${ref.headerName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, "im");
    const m = rawHeaders ? re.exec(rawHeaders) : null;
    return m ? m[1]!.replace(/\r?\n[ \t]+/g, " ").trim() : undefined;
  }
  switch (ref.tag) {
    case 0x007d: // PR_TRANSPORT_MESSAGE_HEADERS
      return rawHeaders ?? undefined;
    case 0x0037: // PR_SUBJECT
      return item.subject;
    case 0x0e1d: // PR_NORMALIZED_SUBJECT
      return item.subject.replace(/^(?:(?:re|fw|fwd|aw|wg)\s*:\s*)+/i, "");
    case 0x001a: // PR_MESSAGE_CLASS
      return item.itemClass;
    case 0x1035: // PR_INTERNET_MESSAGE_ID
      return item.internetMessageId ?? undefined;
    case 0x0e06: // PR_MESSAGE_DELIVERY_TIME
      return iso(item.receivedAt ?? item.createdAt);
    case 0x1000: // PR_BODY
      return "bodyText" in item ? (item.bodyText ?? undefined) : undefined;
    default:
      return undefined;
  }
}

export function extendedXml(refs: readonly ExtendedRef[], item: Item | ItemSummary, rawHeaders: string | null): string {
  let x = "";
  for (const ref of refs) {
    const v = value(ref, item, rawHeaders);
    if (v === undefined) continue;
    const uri = Object.entries(ref.attrs).map(([k, a]) => ` ${k}="${esc(a)}"`).join("");
    x += `<t:ExtendedProperty><t:ExtendedFieldURI${uri}/><t:Value>${esc(v)}</t:Value></t:ExtendedProperty>`;
  }
  return x;
}

/** Puts the extended properties inside a rendered item element. */
export function withExtended(itemXml: string, extended: string): string {
  return extended ? itemXml.replace(/<\/t:(Message|CalendarItem)>$/, `${extended}</t:$1>`) : itemXml;
}
