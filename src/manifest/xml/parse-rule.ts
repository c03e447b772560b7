/** The XML `<Rule xsi:type=…>` tree → model rules. Unknown types are kept as `Unknown` for validation to report. */
import type { Element } from "@xmldom/xmldom";
import type { FormType, ItemType, Rule } from "../model.ts";
import { attr, boolAttr, elementChildren, pos, xsiType } from "./dom.ts";

export function parseRule(el: Element): Rule {
  const type = xsiType(el) ?? "";
  const p = pos(el);
  switch (type) {
    case "ItemIs":
      return {
        type: "ItemIs",
        itemType: (attr(el, "ItemType") ?? "") as ItemType,
        ...(attr(el, "FormType") !== undefined ? { formType: attr(el, "FormType") as FormType } : {}),
        ...(attr(el, "ItemClass") !== undefined ? { itemClass: attr(el, "ItemClass") } : {}),
        ...(attr(el, "IncludeSubClasses") !== undefined ? { includeSubClasses: boolAttr(el, "IncludeSubClasses") } : {}),
        pos: p,
      };
    case "ItemHasAttachment":
      return { type: "ItemHasAttachment", pos: p };
    case "ItemHasKnownEntity":
      return {
        type: "ItemHasKnownEntity",
        entityType: attr(el, "EntityType") ?? "",
        ...(attr(el, "FilterName") !== undefined ? { filterName: attr(el, "FilterName") } : {}),
        ...(attr(el, "RegExFilter") !== undefined ? { regExFilter: attr(el, "RegExFilter") } : {}),
        ...(attr(el, "IgnoreCase") !== undefined ? { ignoreCase: boolAttr(el, "IgnoreCase") } : {}),
        ...(attr(el, "Highlight") !== undefined ? { highlight: attr(el, "Highlight") as "all" | "none" } : {}),
        pos: p,
      };
    case "ItemHasRegularExpressionMatch":
      return {
        type: "ItemHasRegularExpressionMatch",
        regExName: attr(el, "RegExName") ?? "",
        regExValue: attr(el, "RegExValue") ?? "",
        propertyName: attr(el, "PropertyName") ?? "",
        ...(attr(el, "IgnoreCase") !== undefined ? { ignoreCase: boolAttr(el, "IgnoreCase") } : {}),
        ...(attr(el, "Highlight") !== undefined ? { highlight: attr(el, "Highlight") as "all" | "none" } : {}),
        pos: p,
      };
    case "RuleCollection":
      return {
        type: "RuleCollection",
        mode: (attr(el, "Mode") ?? "") as "And" | "Or",
        rules: elementChildren(el, "Rule").map(parseRule),
        pos: p,
      };
    default:
      return { type: "Unknown", xsiType: type, pos: p };
  }
}
