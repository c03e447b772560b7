/** The operation an EWS SOAP request performs, read with an XML parser from the body the code spells out. */
import { DOMParser, type Element } from "@xmldom/xmldom";
import { EWS_OPERATIONS } from "../mailbox/tokens/scopes.ts";

/** What makeEwsRequestAsync may send: the EWS whitelist less GetAttachment (callback tokens only), as the runtime applies it. */
export const MAKE_EWS_OPERATIONS: readonly string[] = EWS_OPERATIONS.filter((o) => o !== "GetAttachment");

/** Local name of the first element inside soap:Body; undefined when the text is not such a request. */
export function ewsOperation(soap: string): string | undefined {
  if (!soap.includes("Body")) return undefined;
  // Placeholders for interpolated values ({…}) stay text; they cannot make the envelope ill-formed in element names.
  let root: Element | null;
  try {
    root = new DOMParser({ onError: () => {} }).parseFromString(soap, "text/xml").documentElement;
  } catch {
    return undefined;
  }
  const stack: Element[] = root ? [root] : [];
  while (stack.length) {
    const el = stack.shift()!;
    if (el.localName === "Body") {
      for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) return (c as Element).localName ?? undefined;
      return undefined;
    }
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push(c as Element);
  }
  return undefined;
}

/** EWS operations that only read (the callback token's EWS scope is GetItem/GetAttachment on the current item). */
export const EWS_READ_OPERATIONS: ReadonlySet<string> = new Set(["GetItem", "GetAttachment", "GetFolder", "FindItem", "FindFolder", "FindConversation", "GetConversationItems"]);
