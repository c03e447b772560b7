import { DOMParser, type Element as XElement, type Document as XDocument } from "@xmldom/xmldom";

export const NS = {
  soap: "http://schemas.xmlsoap.org/soap/envelope/",
  m: "http://schemas.microsoft.com/exchange/services/2006/messages",
  t: "http://schemas.microsoft.com/exchange/services/2006/types",
} as const;

export type El = XElement;

export class SoapParseError extends Error {}

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
  const body = children(env).find((c) => c.localName === "Body");
  const header = children(env).find((c) => c.localName === "Header") ?? null;
  const operation = body && children(body)[0];
  if (!operation) throw new SoapParseError("empty SOAP body");
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
