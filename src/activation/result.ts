/** What an activation evaluation returns: the verdict, every rule's value and every limit that applied. */
import type { ClientId } from "./clients.ts";
import type { EntityValue, ExtractedEntities } from "./entities/types.ts";
import type { FormKind } from "./item.ts";
import type { SourcePosition } from "../manifest/model.ts";

export type LimitKind =
  | "body-too-large"
  | "body-truncated"
  | "match-too-long"
  | "matches-capped"
  | "regex-timeout"
  | "regex-error"
  | "regex-unsupported"
  | "permission"
  | "read-form-only"
  | "sent-items"
  | "not-html"
  | "protected-item"
  | "report-item"
  | "governance-disabled"
  | "unknown-rule"
  | "no-rule";

export interface LimitReport {
  kind: LimitKind;
  /** Path of the rule the limit applied to (see RuleReport.path), if any. */
  rule?: string;
  message: string;
  actual?: number;
  limit?: number;
}

export interface RuleReport {
  /** "OfficeApp/1.2" = second child of the first rule of the OfficeApp-level rule tree. */
  path: string;
  depth: number;
  type: string;
  /** The rule as written, compactly: `ItemIs ItemType=Message FormType=Read`. */
  summary: string;
  value: boolean;
  /** Text that made the rule true (regex matches, entity strings, the item class). */
  matched?: string[];
  /** Why the rule has this value when it is not obvious. */
  reason?: string;
  limits?: LimitKind[];
  pos?: SourcePosition;
}

export interface ContextualReport {
  extensionPoint: string;
  activated: boolean;
  path: string;
}

export interface ActivationResult {
  addinId: string;
  addinName: string;
  client: ClientId;
  form: FormKind;
  activated: boolean;
  verdict: string;
  rules: RuleReport[];
  limits: LimitReport[];
  warnings: string[];
  /** `item.getRegExMatches()`: RegExName / FilterName → unique matches (≤ maxMatches each). */
  regexMatches: Record<string, string[]>;
  /** Matches of rules that highlight (DetectedEntity rules with Highlight ≠ none on BodyAsPlaintext). */
  highlightedRegexMatches: Record<string, string[]>;
  /** `item.getFilteredEntitiesByName(FilterName)`. */
  filteredEntities: Record<string, EntityValue[]>;
  /** `item.getEntities()` at the add-in's tier (read form only; empty in compose and Sent Items). */
  entities: ExtractedEntities;
  contextual: ContextualReport[];
  /** Time the add-in's regexes took in the worker. */
  regexElapsedMs?: number;
}
