/** Flattening of the activation rule tree(s) of a manifest, with where each came from. */
import type { AddinManifest, Rule } from "../model.ts";

export function allRules(m: AddinManifest): Rule[] {
  const out: Rule[] = [];
  const walk = (r: Rule | undefined) => {
    if (!r) return;
    out.push(r);
    if (r.type === "RuleCollection") r.rules.forEach(walk);
  };
  walk(m.rules);
  for (const ep of m.extensionPoints) walk(ep.rule);
  return out;
}

/** Leaf rules (everything but RuleCollection) — what Outlook's 15-rule limit counts. */
export function leafRules(m: AddinManifest): Rule[] {
  return allRules(m).filter((r) => r.type !== "RuleCollection");
}

/** Regular expressions: ItemHasRegularExpressionMatch values and ItemHasKnownEntity RegExFilters. */
export function regexRules(m: AddinManifest): Rule[] {
  return allRules(m).filter((r) => r.type === "ItemHasRegularExpressionMatch" || (r.type === "ItemHasKnownEntity" && r.regExFilter !== undefined));
}
