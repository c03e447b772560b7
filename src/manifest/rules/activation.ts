import type { ManifestRule } from "./types.ts";
import type { Rule } from "../model.ts";
import { allRules, leafRules, regexRules } from "./walk-rules.ts";
import { MAX_ACTIVATION_RULES, MAX_REGEXES } from "./limits.ts";
import { tierAtLeast } from "../../permissions/tiers.ts";

const ITEM_TYPES = ["Message", "Appointment"];
const FORM_TYPES = ["Read", "Edit", "ReadOrEdit"];
const REGEX_PROPERTIES = ["Subject", "BodyAsPlaintext", "BodyAsHTML", "SenderSMTPAddress"];
const ENTITY_TYPES = ["MeetingSuggestion", "TaskSuggestion", "Address", "Url", "PhoneNumber", "EmailAddress", "Contact"];
/** Entity types a Restricted add-in may match (reference §3, runtime behaviour). */
export const RESTRICTED_ENTITY_TYPES = ["Address", "Url", "PhoneNumber"];

export const ruleCount: ManifestRule = {
  meta: { code: "too-many-rules", severity: "error", formats: ["xml"], description: `At most ${MAX_ACTIVATION_RULES} activation rules; Outlook will not install more.` },
  check({ manifest }, report) {
    const n = leafRules(manifest).length;
    if (n > MAX_ACTIVATION_RULES) report(`The manifest has ${n} activation rules; Outlook allows at most ${MAX_ACTIVATION_RULES}.`, leafRules(manifest)[MAX_ACTIVATION_RULES]?.pos);
  },
};

export const regexCount: ManifestRule = {
  meta: { code: "too-many-regexes", severity: "error", formats: ["xml"], description: `At most ${MAX_REGEXES} regular expressions (ItemHasRegularExpressionMatch rules and entity RegExFilters) in all.` },
  check({ manifest }, report) {
    const rx = regexRules(manifest);
    if (rx.length > MAX_REGEXES) report(`The manifest has ${rx.length} regular expressions; Outlook allows at most ${MAX_REGEXES}.`, rx[MAX_REGEXES]?.pos);
  },
};

export const regexNeedsReadItem: ManifestRule = {
  meta: { code: "regex-needs-read-item", severity: "error", formats: ["xml"], description: "Regular-expression rules and regex entity filters need ReadItem or higher." },
  check({ manifest }, report) {
    if (tierAtLeast(manifest.tier, "ReadItem")) return;
    for (const r of regexRules(manifest)) {
      report(r.type === "ItemHasRegularExpressionMatch"
        ? `The regular-expression rule "${r.regExName}" needs ReadItem or higher, but the add-in is Restricted.`
        : "A RegExFilter on an entity rule needs ReadItem or higher, but the add-in is Restricted.", r.pos);
    }
  },
};

export const restrictedRuleTypes: ManifestRule = {
  meta: { code: "rule-needs-read-item", severity: "warning", formats: ["xml"], description: "At Restricted only ItemIs rules and Address/Url/PhoneNumber entity rules apply; others need ReadItem." },
  check({ manifest }, report) {
    if (tierAtLeast(manifest.tier, "ReadItem")) return;
    for (const r of allRules(manifest)) {
      if (r.type === "ItemHasAttachment") report("ItemHasAttachment needs ReadItem or higher; a Restricted add-in will not activate on it.", r.pos);
      if (r.type === "ItemHasKnownEntity" && !RESTRICTED_ENTITY_TYPES.includes(r.entityType)) report(`Entity type ${r.entityType} needs ReadItem or higher; a Restricted add-in sees only ${RESTRICTED_ENTITY_TYPES.join(", ")}.`, r.pos);
    }
  },
};

export const validRegex: ManifestRule = {
  meta: { code: "invalid-regex", severity: "error", formats: ["xml"], description: "Every RegExValue and RegExFilter must be a valid regular expression." },
  check({ manifest }, report) {
    for (const r of regexRules(manifest)) {
      const source = r.type === "ItemHasRegularExpressionMatch" ? r.regExValue : r.type === "ItemHasKnownEntity" ? r.regExFilter ?? "" : "";
      try {
        new RegExp(source);
      } catch (e) {
        report(`The regular expression ${JSON.stringify(source)} does not compile: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}.`, r.pos);
      }
    }
  },
};

export const ruleAttributes: ManifestRule = {
  meta: { code: "invalid-rule", severity: "error", formats: ["xml"], description: "Each rule has a known xsi:type and the attributes its type requires, with allowed values." },
  check({ manifest }, report) {
    const bad = (r: Rule, msg: string) => report(msg, r.pos);
    for (const r of allRules(manifest)) {
      switch (r.type) {
        case "Unknown": bad(r, `"${r.xsiType || "(no xsi:type)"}" is not an activation rule type; use ItemIs, ItemHasAttachment, ItemHasKnownEntity, ItemHasRegularExpressionMatch or RuleCollection.`); break;
        case "ItemIs":
          if (!ITEM_TYPES.includes(r.itemType)) bad(r, `ItemIs ItemType "${r.itemType}" must be Message or Appointment.`);
          if (r.formType !== undefined && !FORM_TYPES.includes(r.formType)) bad(r, `ItemIs FormType "${r.formType}" must be Read, Edit or ReadOrEdit.`);
          break;
        case "ItemHasRegularExpressionMatch":
          if (!r.regExName) bad(r, "ItemHasRegularExpressionMatch needs a RegExName.");
          if (!r.regExValue) bad(r, `ItemHasRegularExpressionMatch "${r.regExName}" needs a non-empty RegExValue.`);
          if (!REGEX_PROPERTIES.includes(r.propertyName)) bad(r, `PropertyName "${r.propertyName}" must be one of ${REGEX_PROPERTIES.join(", ")}.`);
          if (r.highlight === "all" && r.propertyName !== "BodyAsPlaintext") report(`Highlight applies only to BodyAsPlaintext; it is ignored on ${r.propertyName}.`, r.pos, "warning");
          break;
        case "ItemHasKnownEntity":
          if (!ENTITY_TYPES.includes(r.entityType)) bad(r, `EntityType "${r.entityType}" must be one of ${ENTITY_TYPES.join(", ")}.`);
          if ((r.regExFilter === undefined) !== (r.filterName === undefined)) bad(r, "RegExFilter and FilterName must be given together.");
          break;
        case "RuleCollection":
          if (r.mode !== "And" && r.mode !== "Or") bad(r, `RuleCollection Mode "${r.mode}" must be And or Or.`);
          if (r.rules.length === 0) bad(r, "A RuleCollection must contain at least one rule.");
          break;
      }
    }
  },
};

const RULE_KEYS = /^(rules?|activationRules?|Rule)$/;

export const noRulesInUnified: ManifestRule = {
  meta: { code: "activation-rules-in-unified", severity: "error", formats: ["json"], description: "Unified manifests cannot carry activation rules; add-ins appear on their extension points only." },
  check({ json }, report) {
    const walk = (v: unknown, pointer: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${pointer}/${i}`));
      else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          const p = `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`;
          if (RULE_KEYS.test(k)) report(`"${k}" looks like activation rules; unified manifests cannot declare activation rules (use an XML manifest for contextual activation).`, json?.at(p));
          else walk(x, p);
        }
      }
    };
    walk(json?.value, "");
  },
};
