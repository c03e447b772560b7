/** The auditor's vocabulary: evidence of what an add-in uses, findings, and the verdict. */
import type { Mode, Supplementary, Tier } from "../permissions/index.ts";

export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** The source line, trimmed and bounded. */
  text?: string;
}

/** How a use was found. */
export type EvidenceSource = "static" | "dynamic" | "manifest";

/**
 * Why a static use does not raise the minimum tier: the code already copes with its refusal. `caught`: it sits in the
 * `try` block of a try/catch, and Outlook refuses a call below its tier by throwing synchronously.
 */
export type Guard = "caught";

export interface Evidence {
  source: EvidenceSource;
  /** The permission-table row this use maps to. */
  member: string;
  /** What the code touched, when it differs from the row (`item.subject.length` → row `item.subject`; REST URLs). */
  touched?: string;
  kind: "call" | "read" | "rest" | "ews" | "rule";
  /** Tier this use needs, from decide(). */
  tier: Tier;
  supplementary: Supplementary[];
  /** Modes the row exists in. */
  modes: Mode[];
  guard?: Guard;
  location?: SourceLocation;
  /** For dynamic evidence: the trace entry as read (seq, outcome, code). */
  trace?: { file: string; index: number; member: string; outcome?: string; code?: number };
  /** One line, e.g. "REST GET of the current item with the callback token". */
  note?: string;
  legacyToken: boolean;
}

export type FindingLevel = "error" | "warning" | "note";

export const RULE_IDS = [
  "over-privileged",
  "under-privileged",
  "exact",
  "member-use",
  "unresolved-member",
  "unknown-member",
  "legacy-token",
  "supplementary-missing",
  "supplementary-unused",
  "manifest-mismatch",
  "unreadable-input",
  "rest-call",
  "ews-operation",
  "trace-not-in-code",
  "not-in-declared-forms",
  "activation-rule",
  "degrades",
  "graph-call",
  "graph-scope-missing",
  "graph-scope-excess",
  "graph-scope",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface Finding {
  rule: RuleId;
  level: FindingLevel;
  message: string;
  location?: SourceLocation;
  /** The manifest the finding is about, when it is not a code location. */
  manifest?: { file: string; line?: number; column?: number };
  member?: string;
}

export type Verdict = "over-privileged" | "under-privileged" | "exact";

export interface DeclaredPermissions {
  file: string;
  format: "xml" | "json";
  tier: Tier;
  supplementary: Supplementary[];
  /** Forms the add-in declares it runs in (from rules and extension points). */
  modes: Mode[];
}

/** A Microsoft Graph request (static or from a trace), judged by the scopes its route accepts. */
export interface GraphCall {
  source: "static" | "dynamic";
  method: string;
  url: string;
  /** The route of the Graph surface (`GRAPH_OPERATIONS` id); absent when the URL is no route Outpost knows. */
  operation?: string;
  /** `/me/…` (or /users/me) vs `/users/{someone}/…`, which needs a .Shared scope. */
  mailbox: "own" | "other";
  /** Scopes that let this call do what the code asks, least privileged first (any one suffices). */
  accepted: string[];
  /** The least privileged of them. */
  needs?: string;
  note?: string;
  guard?: Guard;
  location?: SourceLocation;
  trace?: { file: string; index: number; status?: number };
}

export interface GraphReport {
  /** The Graph scopes the add-in asks for (OIDC sign-in scopes left out). */
  requested: string[];
  /** Where `requested` comes from: the manifest's WebApplicationInfo, --scopes (the app registration), or the code's MSAL calls. */
  requestedFrom: ("manifest" | "option" | "code")[];
  /** Scopes the code's MSAL calls ask for. */
  codeScopes: string[];
  /** The fewest, least privileged scopes that cover every counted call. */
  needed: string[];
  /** `undeclared`: Graph calls, but no requested scopes are known; `none`: no Graph calls and no scopes. */
  verdict: "over-privileged" | "under-privileged" | "exact" | "undeclared" | "none";
  missing: { call: string; needs: string; location?: SourceLocation }[];
  excess: { scope: string; instead?: string }[];
  calls: GraphCall[];
}

export interface AuditReport {
  tool: { name: "outpost-audit"; version: string };
  manifests: DeclaredPermissions[];
  /** The tier the add-in asks for (the first manifest's). */
  declared: { tier: Tier; supplementary: Supplementary[] };
  /** The lowest tier and the supplementary permissions the evidence needs. */
  needed: { tier: Tier; supplementary: Supplementary[] };
  verdict: Verdict;
  /** What the verdict rests on: the manifest's own rules always; code and traces when given. */
  basis: ("manifest" | "static" | "dynamic")[];
  /** Declared rank minus needed rank: >0 over-privileged by that many levels, <0 under-privileged. */
  levels: number;
  /** For under-privileged: what Outlook answers the first use above the declared tier. */
  failure?: { member: string; code: number; name: string; surface: string };
  evidence: Evidence[];
  /** Microsoft Graph: scopes requested against the scopes the Graph calls need. */
  graph: GraphReport;
  findings: Finding[];
  stats: { files: number; bytes: number; traces: number; traceEntries: number; ms: number };
}
