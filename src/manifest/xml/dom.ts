/** Small helpers over @xmldom/xmldom: namespace-agnostic child lookup, positions, xsi:type. */
import { DOMParser, type Element, type Node } from "@xmldom/xmldom";
import { finding, type Finding } from "../findings.ts";
import type { SourcePosition } from "../model.ts";

export const XSI = "http://www.w3.org/2001/XMLSchema-instance";

export interface ParsedXml {
  root?: Element;
  findings: Finding[];
}

/** Parses strictly: any xmldom warning about malformed markup is a well-formedness error too. */
export function parseXmlDocument(text: string): ParsedXml {
  const findings: Finding[] = [];
  try {
    const doc = new DOMParser({
      onError(level, message, context) {
        const loc = locatorFrom(message, context);
        const clean = cleanMessage(message);
        if (level === "fatalError") {
          throw Object.assign(new Error(clean), { outpostLocator: loc });
        }
        findings.push(finding("error", "xml-not-well-formed", `The XML is not well-formed: ${clean}.`, loc));
      },
    }).parseFromString(text, "text/xml");
    const root = doc.documentElement ?? undefined;
    if (!root) findings.push(finding("error", "xml-not-well-formed", "The file has no root element."));
    return { root: root as Element | undefined, findings };
  } catch (e) {
    const err = e as Error & { outpostLocator?: SourcePosition; locator?: { lineNumber?: number; columnNumber?: number } };
    const loc = err.outpostLocator ?? (err.locator ? { line: err.locator.lineNumber, column: err.locator.columnNumber } : undefined);
    const msg = cleanMessage(err.cause instanceof Error ? err.cause.message : err.message);
    findings.push(finding("error", "xml-not-well-formed", `The XML is not well-formed: ${msg}.`, loc));
    return { findings };
  }
}

function cleanMessage(message: string): string {
  let m = message.replace(/\s*@#\[line:\d+,col:\d+\]\s*/g, "").replace(/^\[xmldom [a-zA-Z]+\]\s*/, "");
  const inner = /caused Error: (.*)$/s.exec(m);
  if (inner) m = inner[1];
  return m.replace(/\s+/g, " ").trim().replace(/[.!]+$/, "");
}

function locatorFrom(message: string, context: unknown): SourcePosition | undefined {
  const m = /@#\[line:(\d+),col:(\d+)\]/.exec(message);
  if (m) return { line: Number(m[1]), column: Number(m[2]) };
  const c = context as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined;
  if (c?.locator?.lineNumber) return { line: c.locator.lineNumber, column: c.locator.columnNumber };
  return undefined;
}

export function pos(node: Node | null | undefined): SourcePosition | undefined {
  if (!node) return undefined;
  const n = node as Node & { lineNumber?: number; columnNumber?: number };
  return n.lineNumber ? { line: n.lineNumber, column: n.columnNumber } : undefined;
}

export function elementChildren(el: Element, localName?: string): Element[] {
  const out: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (localName === undefined || (c as Element).localName === localName)) out.push(c as Element);
  }
  return out;
}

export function child(el: Element | undefined, localName: string): Element | undefined {
  return el ? elementChildren(el, localName)[0] : undefined;
}

/** Depth-first descendants with the given local name (any namespace). */
export function descendants(el: Element, localName: string): Element[] {
  const out: Element[] = [];
  const walk = (e: Element) => {
    for (const c of elementChildren(e)) {
      if (c.localName === localName) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

export function text(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  return (el.textContent ?? "").trim();
}

export function attr(el: Element | undefined, name: string): string | undefined {
  if (!el || !el.hasAttribute(name)) return undefined;
  return el.getAttribute(name) ?? undefined;
}

/** `xsi:type` without any namespace prefix (`bt:ShowTaskpane` → `ShowTaskpane`). */
export function xsiType(el: Element): string | undefined {
  const v = el.getAttributeNS(XSI, "type") || el.getAttribute("xsi:type");
  if (!v) return undefined;
  const i = v.indexOf(":");
  return i >= 0 ? v.slice(i + 1) : v;
}

export function boolAttr(el: Element, name: string): boolean | undefined {
  const v = attr(el, name);
  if (v === undefined) return undefined;
  return v.trim().toLowerCase() === "true" || v.trim() === "1";
}
