/** The registry of semantic manifest rules, in report order. Docs are generated from each rule's meta. */
import type { ManifestRule } from "./types.ts";
import { manifestTooLarge } from "./size.ts";
import { idIsGuid, mailboxHost, templatePlaceholders, versionFormat } from "./identity.ts";
import { appendOnSendNeedsReadWriteItem, extendedPermissions, knownXmlPermission, onePermissionsDeclaration, oneUnifiedTier, supplementaryAlias } from "./permissions.ts";
import { noRulesInUnified, regexCount, regexNeedsReadItem, restrictedRuleTypes, ruleAttributes, ruleCount, validRegex } from "./activation.ts";
import { httpsOnly } from "./urls.ts";
import { iconSizes, residDefined, uniqueResourceIds } from "./resources.ts";
import { noActiveX } from "./activex.ts";

export const MANIFEST_RULES: readonly ManifestRule[] = [
  manifestTooLarge,
  mailboxHost,
  idIsGuid,
  versionFormat,
  templatePlaceholders,
  onePermissionsDeclaration,
  knownXmlPermission,
  supplementaryAlias,
  oneUnifiedTier,
  extendedPermissions,
  appendOnSendNeedsReadWriteItem,
  ruleAttributes,
  ruleCount,
  regexCount,
  regexNeedsReadItem,
  restrictedRuleTypes,
  validRegex,
  noRulesInUnified,
  httpsOnly,
  residDefined,
  uniqueResourceIds,
  iconSizes,
  noActiveX,
];

export { runRules } from "./types.ts";
export type { ManifestRule, RuleContext } from "./types.ts";
