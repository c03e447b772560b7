/**
 * Offline XSD validation of Outlook XML add-in manifests (libxml2-wasm + the schemas in ./schemas).
 *
 * - The input first passes the hostile-input guard (safe-xml.ts): no DOCTYPE ever reaches libxml2.
 * - libxml2 parses with NONET and NO_XXE and without NOENT, so even a missed entity is never expanded
 *   or loaded. The only input provider registered serves the vendored .xsd files and nothing else.
 * - Schemas compile once per process, lazily, one validator per manifest schema version (1.0, 1.1).
 * - libxml2's terse messages are rewritten to name the element and what was expected.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ParseOption, XmlDocument, XmlElement, XmlLibError, XsdValidator, xmlRegisterInputProvider, type ErrorDetail } from "libxml2-wasm";
import { finding, type Finding } from "../findings.ts";
import { decodeSafeXml, positionOfIndex } from "./safe-xml.ts";
import { humanizeSchemaMessage } from "./xsd-messages.ts";

export const APPFOROFFICE_1_0 = "http://schemas.microsoft.com/office/appforoffice/1.0";
export const APPFOROFFICE_1_1 = "http://schemas.microsoft.com/office/appforoffice/1.1";
const XSI = "http://www.w3.org/2001/XMLSchema-instance";

const SCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "schemas");
const ROOT_SCHEMA: Record<string, string> = {
  [APPFOROFFICE_1_0]: "OfficeAppManifestV1_0.xsd",
  [APPFOROFFICE_1_1]: "OfficeAppManifestV1_1.xsd",
};

/** Parse options for untrusted manifests: never touch the network, never load external entities or DTDs. */
export const SAFE_PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

/** Stops after this many schema findings: one broken subtree can otherwise produce hundreds. */
const MAX_SCHEMA_FINDINGS = 50;

const validators = new Map<string, XsdValidator>();
let providerRegistered = false;

/**
 * Validates a manifest's text against the [MS-OWEMXML] schemas. Returns findings (severity error) with
 * codes: manifest-too-large, not-text, invalid-utf8, xml-doctype-forbidden (from the guard),
 * xml-not-well-formed, xml-not-office-app, xml-not-mail-app, xml-schema. Never throws on bad input.
 */
export function validateXmlSchema(xmlText: string): Finding[] {
  const safe = decodeSafeXml(xmlText);
  if (safe.text === undefined) return safe.findings;
  const text = safe.text;

  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(Buffer.from(text, "utf8"), { encoding: "utf-8", option: SAFE_PARSE_OPTIONS });
  } catch (e) {
    return [notWellFormed(e)];
  }
  try {
    return validateDocument(doc, text);
  } finally {
    doc.dispose();
  }
}

/** Compiles the schemas now instead of on first use (e.g. at server start, or before a benchmark). */
export function warmUpXmlSchemas(): void {
  for (const ns of Object.keys(ROOT_SCHEMA)) validatorFor(ns);
}

function validateDocument(doc: XmlDocument, text: string): Finding[] {
  const root = doc.root;
  const findings: Finding[] = [];
  const ns = root.namespaceUri;
  if (root.name !== "OfficeApp" || !(ns in ROOT_SCHEMA)) {
    const got = ns ? `<${root.name}> in namespace ${ns}` : `<${root.name}> without a namespace`;
    return [
      finding(
        "error",
        "xml-not-office-app",
        `The root element is ${got}; an Outlook add-in manifest starts with <OfficeApp xmlns="${APPFOROFFICE_1_1}" xsi:type="MailApp">.`,
        { line: root.line, column: columnOfTag(text, root.line, root.name) },
      ),
    ];
  }

  const xsiType = root.attrs.find((a) => a.name === "type" && a.namespaceUri === XSI);
  if (xsiType) {
    const value = xsiType.value.trim();
    const colon = value.indexOf(":");
    const local = colon === -1 ? value : value.slice(colon + 1);
    if (local !== "MailApp") {
      findings.push(
        finding(
          "error",
          "xml-not-mail-app",
          `<OfficeApp> has xsi:type="${value}"; Outlook add-ins must use xsi:type="MailApp" (${local} is an add-in for other Office applications). The rest of the file is checked as a MailApp.`,
          { line: root.line, column: columnOfTag(text, root.line, "OfficeApp") },
        ),
      );
      // Check the remainder as the mail add-in it claims to be installed as, so every other defect shows too.
      xsiType.value = colon === -1 ? "MailApp" : `${value.slice(0, colon)}:MailApp`;
    }
  }

  try {
    validatorFor(ns).validate(doc);
  } catch (e) {
    if (!(e instanceof XmlLibError)) throw e;
    const schema = schemaFindings(e.details, text);
    findings.push(...schema, ...topLevelFollowUp(root, ns, text, schema));
  }
  return findings;
}

/** The top-level children of a mail add-in, per schema version (the order is the schema's). */
const TOP_LEVEL: Record<string, readonly string[]> = {
  [APPFOROFFICE_1_0]: ["Id", "AlternateId", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl", "HighResolutionIconUrl", "SupportUrl", "AppDomains", "Capabilities", "DesktopSettings", "TabletSettings", "PhoneSettings", "Permissions", "Rule", "DisableEntityHighlighting"],
  [APPFOROFFICE_1_1]: ["Id", "AlternateId", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl", "HighResolutionIconUrl", "SupportUrl", "AppDomains", "Hosts", "Requirements", "FormSettings", "Permissions", "Rule", "DisableEntityHighlighting", "VersionOverrides"],
};
const PERMISSIONS: Record<string, readonly string[]> = {
  [APPFOROFFICE_1_0]: ["Restricted", "ReadItem", "ReadWriteMailbox"],
  [APPFOROFFICE_1_1]: ["Restricted", "ReadItem", "ReadWriteItem", "ReadWriteMailbox"],
};

/**
 * libxml2 stops checking an element's children at the first one out of place, so one early mistake
 * hides every later sibling. When that happened on <OfficeApp>, look at the remaining top-level
 * children ourselves: unknown elements and a bad <Permissions> value are the defects that matter most.
 */
function topLevelFollowUp(root: XmlElement, ns: string, text: string, already: Finding[]): Finding[] {
  const stoppedAt = already.filter((f) => /^\/\*\/\*\[\d+\]$/.test(f.pointer ?? "")).map((f) => f.line ?? 0);
  if (stoppedAt.length === 0) return [];
  const after = Math.min(...stoppedAt);
  const reported = new Set(already.map((f) => f.line));
  const out: Finding[] = [];
  for (let node = root.firstChild; node; node = node.next) {
    if (!(node instanceof XmlElement) || node.line <= after || reported.has(node.line)) continue;
    const pos = { line: node.line, column: columnOfTag(text, node.line, node.name) };
    if (node.namespaceUri === ns && !TOP_LEVEL[ns].includes(node.name)) {
      out.push(finding("error", "xml-schema", `<${node.name}> is not an element of a mail add-in manifest; <OfficeApp> may contain only ${TOP_LEVEL[ns].map((n) => `<${n}>`).join(", ")}, in that order.`, pos));
    } else if (node.namespaceUri === ns && node.name === "Permissions") {
      const value = node.content.trim();
      if (!PERMISSIONS[ns].includes(value)) {
        out.push(finding("error", "xml-schema", `<Permissions> has the value '${value}', which is not allowed; allowed values: ${PERMISSIONS[ns].join(", ")}.`, pos));
      }
    }
  }
  return out;
}

function schemaFindings(details: ErrorDetail[], text: string): Finding[] {
  const out: Finding[] = [];
  let previous: { line: number; element: string; kind: string } | undefined;
  for (const d of details) {
    const h = humanizeSchemaMessage(d.message);
    // libxml2 follows an enum/pattern/length failure with a generic "not a valid value" line, and an
    // unresolved xsi:type with "type is abstract": same line, same element, nothing new to say.
    if (previous && previous.line === d.line && previous.element === h.element && h.kind === "redundant") continue;
    previous = { line: d.line, element: h.element, kind: h.kind };
    const f = finding("error", "xml-schema", h.message, { line: d.line, column: d.col > 0 ? d.col : columnOfTag(text, d.line, h.element) });
    if (d.xpath) f.pointer = d.xpath;
    out.push(f);
    if (out.length >= MAX_SCHEMA_FINDINGS) {
      out.push(finding("error", "xml-schema", `More schema errors follow; only the first ${MAX_SCHEMA_FINDINGS} are shown.`));
      break;
    }
  }
  return out;
}

function notWellFormed(e: unknown): Finding {
  const details = e instanceof XmlLibError ? e.details : [];
  const first = details.find((d) => d.level >= 2) ?? details[0];
  if (!first) return finding("error", "xml-not-well-formed", "The XML is not well-formed.");
  const msg = first.message.trim().replace(/\s+/g, " ").replace(/\.$/, "");
  return finding("error", "xml-not-well-formed", `The XML is not well-formed: ${msg} (line ${first.line}, column ${first.col}).`, {
    line: first.line,
    column: first.col > 0 ? first.col : 1,
  });
}

/** 1-based column of `<name` or `<prefix:name` on the given line, else 1. */
function columnOfTag(text: string, line: number, localName: string): number {
  if (!localName || line < 1) return 1;
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", start);
    if (nl === -1) return 1;
    start = nl + 1;
  }
  const end = text.indexOf("\n", start);
  const lineText = text.slice(start, end === -1 ? undefined : end);
  const m = new RegExp(`<([A-Za-z_][\\w.-]*:)?${localName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=[\\s/>]|$)`).exec(lineText);
  return m ? positionOfIndex(lineText, m.index).column : 1;
}

function validatorFor(namespace: string): XsdValidator {
  let v = validators.get(namespace);
  if (v) return v;
  registerSchemaProvider();
  const file = path.join(SCHEMA_DIR, ROOT_SCHEMA[namespace]);
  const schemaDoc = XmlDocument.fromBuffer(fs.readFileSync(file), { url: pathToFileURL(file).href, option: SAFE_PARSE_OPTIONS });
  try {
    v = XsdValidator.fromDoc(schemaDoc);
  } finally {
    schemaDoc.dispose();
  }
  validators.set(namespace, v);
  return v;
}

/**
 * libxml2's input providers are process-wide. Instead of the general filesystem provider we register
 * one that opens only the vendored .xsd files, so no document can make libxml2 read anything else.
 */
function registerSchemaProvider(): void {
  if (providerRegistered) return;
  const allowed = new Map<string, string>();
  for (const name of fs.readdirSync(SCHEMA_DIR)) {
    if (name.endsWith(".xsd")) allowed.set(pathToFileURL(path.join(SCHEMA_DIR, name)).href, path.join(SCHEMA_DIR, name));
  }
  xmlRegisterInputProvider({
    match: (filename) => allowed.has(filename),
    open: (filename) => {
      const p = allowed.get(filename);
      if (!p) return undefined;
      try {
        return fs.openSync(p, "r");
      } catch {
        return undefined;
      }
    },
    read: (fd, buf) => {
      try {
        return fs.readSync(fd, buf, 0, buf.byteLength, null);
      } catch {
        return -1;
      }
    },
    close: (fd) => {
      try {
        fs.closeSync(fd);
        return true;
      } catch {
        return false;
      }
    },
  });
  providerRegistered = true;
}
