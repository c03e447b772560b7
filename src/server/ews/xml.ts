import { DOMParser, type Element as XElement, type Document as XDocument } from "@xmldom/xmldom";

export const NS = {
  soap: "http://schemas.xmlsoap.org/soap/envelope/",
  m: "http://schemas.microsoft.com/exchange/services/2006/messages",
  t: "http://schemas.microsoft.com/exchange/services/2006/types",
} as const;

export type El = XElement;

export class SoapParseError extends Error {}
/** A well-formed request over one of the per-request work limits (src/server/ews/limits.ts). */
export class SoapLimitError extends Error {}

/** Elements in one operation: bounds the work of every walk over it (GetItem of 20,000 ids, deep updates). */
export const MAX_OPERATION_ELEMENTS = 50_000;

/** Elements under `root` (itself included), counted with a loop; stops once past `stopAt`. */
export function countElements(root: El, stopAt: number): number {
  let n = 0;
  const stack: El[] = [root];
  while (stack.length) {
    const el = stack.pop()!;
    if (++n > stopAt) return n;
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push(c as El);
  }
  return n;
}

/** Parses a SOAP request; no DTDs (xmldom never fetches external entities; a DOCTYPE is refused outright). */
export function parseSoap(xml: string): { operation: El; header: El | null } {
  if (/<!DOCTYPE/i.test(xml)) throw new SoapParseError("DTDs are not allowed");
  let doc: XDocument;
  try {
    doc = new DOMParser({
      onError: (level, msg) => {
        if (level !== "warning") throw new SoapParseError(String(msg));
      },
    }).parseFromString(xml, "text/xml");
  } catch (err) {
    throw new SoapParseError(err instanceof SoapParseError ? err.message : "malformed XML");
  }
  const env = doc.documentElement;
  if (!env || env.localName !== "Envelope" || (env.namespaceURI !== NS.soap && env.namespaceURI !== "http://www.w3.org/2003/05/soap-envelope")) throw new SoapParseError("not a SOAP envelope");
  const bodies = children(env).filter((c) => c.localName === "Body" && c.namespaceURI === env.namespaceURI);
  if (bodies.length !== 1) throw new SoapParseError(bodies.length ? "more than one SOAP Body" : "no SOAP Body");
  const header = children(env).find((c) => c.localName === "Header") ?? null;
  // The operation is the Body's one element: a second one would be a request whose meaning depends on who reads it.
  const ops = children(bodies[0]!);
  if (ops.length === 0) throw new SoapParseError("empty SOAP body");
  if (ops.length > 1) throw new SoapParseError("the SOAP Body must hold exactly one operation");
  const operation = ops[0]!;
  const elementCount = countElements(operation, MAX_OPERATION_ELEMENTS);
  if (elementCount > MAX_OPERATION_ELEMENTS) throw new SoapLimitError(`the operation has more than ${MAX_OPERATION_ELEMENTS.toLocaleString("en-US")} elements`);
  return { operation, header };
}

export function children(el: El, localName?: string): El[] {
  const out: El[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (!localName || (n as El).localName === localName)) out.push(n as El);
  return out;
}

export function child(el: El | null | undefined, ...path: string[]): El | undefined {
  let cur: El | undefined = el ?? undefined;
  for (const name of path) {
    if (!cur) return undefined;
    cur = children(cur, name)[0];
  }
  return cur;
}

export function text(el: El | null | undefined): string | undefined {
  return el ? (el.textContent ?? "") : undefined;
}

export function attr(el: El | null | undefined, name: string): string | undefined {
  if (!el || !el.hasAttribute(name)) return undefined;
  return el.getAttribute(name) ?? undefined;
}

export function esc(s: string | number | boolean | null | undefined): string {
  return String(s ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

export function envelope(bodyXml: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${NS.soap}"><s:Header>` +
    `<h:ServerVersionInfo MajorVersion="15" MinorVersion="20" MajorBuildNumber="0" MinorBuildNumber="0" Version="V2018_01_08" xmlns:h="${NS.t}" xmlns="${NS.t}"/>` +
    `</s:Header><s:Body>${bodyXml}</s:Body></s:Envelope>`
  );
}

/** A SOAP fault as Exchange returns it: faultcode a:<ResponseCode>, with the ResponseCode in detail. */
export function soapFault(responseCode: string, message: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${NS.soap}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="${NS.t}">a:${esc(responseCode)}</faultcode><faultstring xml:lang="en-US">${esc(message)}</faultstring>` +
    `<detail><e:ResponseCode xmlns:e="${NS.t}">${esc(responseCode)}</e:ResponseCode><e:Message xmlns:e="${NS.t}">${esc(message)}</e:Message></detail>` +
    `</s:Fault></s:Body></s:Envelope>`
  );
}
