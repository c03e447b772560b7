/** Hand-built manifests and rule fragments for activation tests. */
import { DOMParser, type Element } from "@xmldom/xmldom";
import type { AddinManifest, ExtensionPoint, Rule } from "../../../src/manifest/model.ts";
import { parseRule } from "../../../src/manifest/xml/parse-rule.ts";
import type { Tier } from "../../../src/permissions/tiers.ts";

let counter = 0;

export function manifestWith(rules: Rule | undefined, options: { tier?: Tier; id?: string; extensionPoints?: ExtensionPoint[]; format?: "xml" | "json" } = {}): AddinManifest {
  const tier = options.tier ?? "ReadItem";
  return {
    format: options.format ?? "xml",
    schemaVersion: "1.1",
    appType: "MailApp",
    id: options.id ?? `00000000-0000-0000-0000-${String(++counter).padStart(12, "0")}`,
    version: "1.0.0.0",
    name: { value: "Test add-in" },
    description: { value: "test" },
    provider: { name: "Test" },
    hosts: ["Mailbox"],
    tier,
    declaredTiers: [tier],
    permissionNames: [tier],
    supplementary: [],
    requirements: { sets: [{ name: "Mailbox", minVersion: "1.1" }] },
    sourceLocations: {},
    rules,
    extensionPoints: options.extensionPoints ?? [],
    runtimes: [],
    versionOverrides: [],
    appDomains: [],
    icons: [],
    resources: [],
    resourceReferences: [],
    urls: [],
    extras: [],
  };
}

export const itemIs = (itemType: "Message" | "Appointment" = "Message", formType?: "Read" | "Edit" | "ReadOrEdit", extra: { itemClass?: string; includeSubClasses?: boolean } = {}): Rule => ({
  type: "ItemIs",
  itemType,
  ...(formType ? { formType } : {}),
  ...extra,
});

export const regex = (name: string, value: string, propertyName = "BodyAsPlaintext", extra: { ignoreCase?: boolean; highlight?: "all" | "none" } = {}): Rule => ({
  type: "ItemHasRegularExpressionMatch",
  regExName: name,
  regExValue: value,
  propertyName,
  ...extra,
});

export const entity = (entityType: string, extra: { filterName?: string; regExFilter?: string; ignoreCase?: boolean } = {}): Rule => ({ type: "ItemHasKnownEntity", entityType, ...extra });
export const and = (...rules: Rule[]): Rule => ({ type: "RuleCollection", mode: "And", rules });
export const or = (...rules: Rule[]): Rule => ({ type: "RuleCollection", mode: "Or", rules });
export const attachment: Rule = { type: "ItemHasAttachment" };

/**
 * Parses a documentation rule fragment with the manifest parser's own rule reader. Fragments are
 * snippets, some not well-formed on their own, so this wraps them and picks the first top-level Rule.
 */
export function ruleFromFragment(xml: string): Rule | undefined {
  let body = xml.replace(/<\?xml[^>]*\?>/, "");
  // Some documentation snippets stop before their closing tags: close what is left open.
  const opened = (body.match(/<Rule\b[^>]*[^/]>/g) ?? []).length;
  const closed = (body.match(/<\/Rule>/g) ?? []).length;
  body += "</Rule>".repeat(Math.max(0, opened - closed));
  const wrapped = `<Fragment xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${body}</Fragment>`;
  const doc = new DOMParser({ onError: () => {} }).parseFromString(wrapped, "text/xml");
  const find = (el: Element): Element | undefined => {
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType !== 1) continue;
      const child = n as Element;
      if (child.localName === "Rule") return child;
      const deeper = find(child);
      if (deeper) return deeper;
    }
    return undefined;
  };
  const root = doc.documentElement as Element | null;
  const rule = root ? find(root) : undefined;
  return rule ? parseRule(rule) : undefined;
}
