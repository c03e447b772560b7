/**
 * The auditor: joins what the manifest asks (declared), what the code contains (static) and what ran (dynamic) into
 * one verdict. Every tier comes from decide() over the permission table; REST/EWS requests from the token scopes
 * the REST and EWS surfaces enforce. Nothing here states a tier of its own.
 */
import { performance } from "node:perf_hooks";
import {
  decide,
  EXCHANGE_ONLINE_POLICY,
  lookupMember,
  lowestTierFor,
  maxTier,
  ON_PREMISES_POLICY,
  SUPPLEMENTARY,
  TIERS,
  tierRank,
  type ApiMember,
  type ApiRequest,
  type Grant,
  type Mode,
  type Supplementary,
  type Tier,
} from "../permissions/index.ts";
import { OPERATIONS, TOKEN_SCOPES, type TokenKind } from "../mailbox/tokens/scopes.ts";
import { compareManifests, eventFunctions, loadDeclared, ruleNeeds, type LoadedManifest } from "./declared.ts";
import { readTrace, type TraceCall } from "./dynamic.ts";
import { graphScope, judgeGraph, type DeclaredScopes, type TraceGraphCall } from "./graph.ts";
import { ewsOperation, MAKE_EWS_OPERATIONS } from "./ews.ts";
import { completedOptionsType, MODERN_ALTERNATIVE, resolvePath } from "./members.ts";
import { collectCodeFiles, loadCodeUnits, type CodeUnit } from "./sources.ts";
import { analyzeUnits, type RestRequest, type StaticResult, type StaticUse } from "./static/analyze.ts";
import type { AuditReport, Evidence, Finding, SourceLocation } from "./types.ts";

export const AUDITOR_VERSION = "1.0.0";

export interface AuditInput {
  /** One manifest, or an XML and a unified JSON manifest of the same add-in (the first is the one judged). */
  manifests: readonly string[];
  code?: readonly string[];
  traces?: readonly string[];
  /** Graph scopes the add-in's app registration asks for (the unified manifest names none; XML's WebApplicationInfo does). */
  scopes?: readonly string[];
}

/** What judge() takes besides the manifests, static result and member traces. */
export interface JudgeExtra {
  scopes?: readonly string[];
  graphTraces?: readonly TraceGraphCall[];
}

/** Enough for any call: the tier a use needs is what decide() says once nothing is missing. */
const GRANT_ALL: Grant = { tier: "ReadWriteMailbox", supplementary: [...SUPPLEMENTARY], tenant: ON_PREMISES_POLICY };
const TOKEN_METHOD = "Office.context.mailbox.getCallbackTokenAsync";

export async function audit(input: AuditInput): Promise<AuditReport> {
  const started = performance.now();
  if (input.manifests.length === 0) throw new Error("audit needs a manifest");
  const loaded: LoadedManifest[] = [];
  for (const m of input.manifests) loaded.push(await loadDeclared(m));
  const findings: Finding[] = [];
  for (let i = 1; i < loaded.length; i++) findings.push(...compareManifests(loaded[0], loaded[i]));

  let units: CodeUnit[] = [];
  let staticResult: StaticResult | undefined;
  if (input.code?.length) {
    const files = await collectCodeFiles(input.code, findings);
    units = await loadCodeUnits(files, findings);
    const events = { launch: new Set<string>(), commands: new Set<string>() };
    for (const l of loaded) {
      const e = eventFunctions(l.manifest);
      e.launch.forEach((n) => events.launch.add(n));
      e.commands.forEach((n) => events.commands.add(n));
    }
    staticResult = analyzeUnits(units, events);
  }
  const traces: TraceCall[] = [];
  const graphTraces: TraceGraphCall[] = [];
  for (const t of input.traces ?? []) traces.push(...(await readTrace(t, findings, graphTraces)));
  const report = judge(loaded, staticResult, traces, findings, { ...(input.scopes ? { scopes: input.scopes } : {}), graphTraces });
  report.stats = {
    files: new Set(units.map((u) => u.file)).size,
    bytes: units.reduce((n, u) => n + u.bytes, 0),
    traces: input.traces?.length ?? 0,
    traceEntries: traces.length,
    ms: Math.round((performance.now() - started) * 10) / 10,
  };
  return report;
}

/** The verdict from already-gathered parts (the store and admin center call this with the static part only). */
export function judge(loaded: readonly LoadedManifest[], staticResult: StaticResult | undefined, traces: readonly TraceCall[], findings: Finding[], extra: JudgeExtra = {}): AuditReport {
  const primary = loaded[0].declared;
  const declaredGrant: Grant = { tier: primary.tier, supplementary: primary.supplementary, tenant: ON_PREMISES_POLICY };
  const evidence: Evidence[] = [];
  const declaredModes = primary.modes;

  const request = (member: ApiMember, args?: ApiRequest["args"], hasItemContext?: boolean): { req: ApiRequest; outOfForms: boolean } => {
    const inForms = member.modes.filter((m) => declaredModes.includes(m));
    const mode: Mode = inForms[0] ?? member.modes[0];
    return { req: { path: member.path, mode, itemType: member.itemTypes[0], ...(args ? { args } : {}), ...(hasItemContext === false ? { hasItemContext } : {}) }, outOfForms: inForms.length === 0 };
  };
  /** The tier decide() finds a use needs; members whose tier depends on an argument we could not read count at their table minimum. */
  const tierOf = (req: ApiRequest): Tier => {
    const d = decide(req, GRANT_ALL);
    if (d.allowed) return d.requiredTier;
    return lowestTierFor([req.path]).perPath.get(req.path) ?? d.member?.minTier ?? "Restricted";
  };

  const addMemberEvidence = (
    member: ApiMember,
    base: Pick<Evidence, "source" | "kind"> & Partial<Evidence>,
    args?: ApiRequest["args"],
  ): Evidence => {
    const { req, outOfForms } = request(member, args);
    const e: Evidence = {
      member: member.path,
      tier: tierOf(req),
      supplementary: [...(member.supplementary?.permissions ?? [])],
      modes: [...member.modes],
      legacyToken: member.legacyExchangeToken,
      ...base,
    };
    evidence.push(e);
    if (outOfForms && base.source === "static" && !base.guard) {
      findings.push({ rule: "not-in-declared-forms", level: "warning", message: `${member.path} exists only in ${member.modes.join("/")} mode; the manifest declares ${declaredModes.join("/")} forms only, so this code cannot run as written.`, location: base.location, member: member.path });
    }
    return e;
  };

  // ── Static ──
  if (staticResult) {
    for (const use of staticResult.uses) staticUse(use);
    for (const r of staticResult.requests) restRequest(r);
    for (const u of staticResult.unresolved) {
      findings.push({ rule: "unresolved-member", level: "warning", message: `${u.expression}: a member of ${u.base} reached through a computed name; the auditor cannot tell which member, so it is not counted.`, location: u.location, member: u.base });
    }
    if (staticResult.incomplete) findings.push({ rule: "unresolved-member", level: "warning", message: "The code is too tangled for the value analysis's work budget: some values were not followed to the end, so uses may be missing (the trace check still applies)." });
    for (const s of staticResult.syntaxErrors) findings.push({ rule: "unreadable-input", level: "warning", message: `Syntax error: ${s.message} (the rest of the file is still audited).`, location: s.location });
  }

  function staticUse(use: StaticUse): void {
    const r = resolvePath(use.path);
    if (r.kind === "outside") return;
    if (r.kind === "unknown") {
      findings.push({ rule: "unknown-member", level: "warning", message: `${use.path} is not in the permission table: not an Outlook API member Outpost knows (a typo, another host's API, or newer than the table).`, location: use.location, member: use.path });
      return;
    }
    const member = r.member;
    // event.completed({...}): the options object's keys are members of their own (spam reporting needs ReadItem).
    const args: ApiRequest["args"] = use.args?.entityType ? { entityType: use.args.entityType } : use.args?.isRest !== undefined ? { isRest: use.args.isRest } : undefined;
    const e = addMemberEvidence(member, {
      source: "static",
      kind: use.kind,
      location: use.location,
      ...(use.guard ? { guard: use.guard } : {}),
      ...(r.exact ? {} : { touched: use.path }),
      ...(use.args?.isRest ? { note: "REST token (isRest: true)" } : {}),
    }, args);
    if (use.args?.completedKeys?.length) {
      const type = completedOptionsType(use.args.completedKeys);
      for (const key of use.args.completedKeys) {
        const row = type ? lookupMember(`${type}.${key}`) : undefined;
        if (row) addMemberEvidence(row, { source: "static", kind: "read", location: use.location, ...(use.guard ? { guard: use.guard } : {}) });
      }
    }
    if (member.path.endsWith(".makeEwsRequestAsync")) {
      const ops = [...new Set((use.args?.ewsBodies ?? []).map(ewsOperation).filter((o): o is string => o !== undefined))];
      if (ops.length) {
        e.note = `EWS ${ops.join(", ")}`;
        for (const op of ops) {
          const spec = OPERATIONS[`ews.${op}` as keyof typeof OPERATIONS];
          const allowed = MAKE_EWS_OPERATIONS.includes(op);
          findings.push({
            rule: "ews-operation",
            level: allowed ? "note" : "error",
            message: allowed
              ? `makeEwsRequestAsync sends EWS ${op} (${spec?.access ?? "?"} access, ${spec?.target === "item" ? "one item" : "the mailbox"}); makeEwsRequestAsync needs ${e.tier}.`
              : `makeEwsRequestAsync sends EWS ${op}, outside the operations Outlook lets add-ins call (${MAKE_EWS_OPERATIONS.join(", ")}): the request fails.`,
            location: use.location,
            member: member.path,
          });
        }
      } else {
        findings.push({ rule: "unresolved-member", level: "warning", message: "makeEwsRequestAsync: the SOAP body is built at run time; the auditor cannot tell which EWS operation it sends.", location: use.location, member: member.path });
      }
    }
  }

  function tokenTier(kind: TokenKind, access: "read" | "write", target: "item" | "mailbox"): Tier | undefined {
    return TIERS.find((t) => {
      const scope = TOKEN_SCOPES[kind][t];
      if (!scope || scope.reach === "none") return false;
      const accessOk = access === "read" ? scope.access !== "none" : scope.access === "readwrite";
      const reachOk = target === "item" ? true : scope.reach === "mailbox";
      return accessOk && reachOk;
    });
  }

  function restRequest(r: RestRequest): void {
    const tokenRow = lookupMember(TOKEN_METHOD)!;
    const kind: TokenKind = r.api === "ews" ? "ews" : "rest";
    let access: "read" | "write" = r.method === "GET" || r.method === "HEAD" ? "read" : "write";
    let target: "item" | "mailbox" = r.currentItem ? "item" : "mailbox";
    let what = `${r.method} ${r.url}`;
    if (kind === "ews") {
      const op = r.body ? ewsOperation(r.body) : undefined;
      const spec = op ? OPERATIONS[`ews.${op}` as keyof typeof OPERATIONS] : undefined;
      access = spec?.access ?? "write";
      target = spec?.target === "item" && r.currentItem ? "item" : spec?.target === "item" && r.body?.includes("{itemId}") ? "item" : "mailbox";
      what = `EWS ${op ?? "(operation not readable)"} to ${r.url}`;
    }
    const needed = tokenTier(kind, access, target) ?? "ReadWriteMailbox";
    const issued = tierOf(request(tokenRow, { isRest: kind === "rest" }).req);
    const tier = maxTier([needed, issued]);
    const scope = `${access === "read" ? "a read" : "a write"} of ${target === "item" ? "the current item" : "other items of the mailbox"}`;
    const tokenName = r.token === "identity" ? "an identity token (which opens nothing on REST or EWS)" : r.token ? "the callback token" : "a token";
    evidence.push({
      source: "static",
      member: TOKEN_METHOD,
      touched: what,
      kind: kind === "ews" ? "ews" : "rest",
      tier,
      supplementary: [],
      modes: [...tokenRow.modes],
      legacyToken: true,
      location: r.location,
      ...(r.guard ? { guard: r.guard } : {}),
      note: `${kind.toUpperCase()} ${scope} with ${tokenName}: needs ${tier}`,
    });
    findings.push({ rule: "rest-call", level: "note", message: `${what}: ${scope} with ${tokenName}; a ${kind.toUpperCase()} callback token allows that from ${tier}.`, location: r.location, member: TOKEN_METHOD });
  }

  // ── Manifest: activation rules that need a tier ──
  for (const l of loaded) {
    for (const need of ruleNeeds(l.manifest)) {
      const row = lookupMember(need.member);
      if (!row) continue;
      addMemberEvidence(
        row,
        { source: "manifest", kind: "rule", location: { file: l.declared.file, line: need.line ?? 1, column: need.column ?? 1 }, note: `${need.ruleType} activation rule${need.entityType ? ` (${need.entityType})` : ""}` },
        need.entityType ? { entityType: need.entityType } : undefined,
      );
    }
  }

  // ── Dynamic ──
  const staticRows = new Set(evidence.filter((e) => e.source === "static").map((e) => e.member));
  const notInCode = new Set<string>();
  for (const call of traces) {
    const r = resolvePath(call.path);
    const trace = { file: call.file, index: call.index, member: call.member, ...(call.outcome ? { outcome: call.outcome } : {}), ...(call.code !== undefined ? { code: call.code } : {}) };
    if (r.kind !== "row") {
      if (r.kind === "unknown") findings.push({ rule: "unknown-member", level: "warning", message: `Trace ${call.file} entry ${call.index + 1}: ${call.member} is not in the permission table.`, location: { file: call.file, line: 1, column: 1 }, member: call.path });
      continue;
    }
    // A refusal of a call the code only makes inside try/catch is the refusal it copes with, not a need.
    // The code's uses of this row or of members under it: a page that refuses `item.body` refuses `item.body.getAsync`.
    const under = (m: string) => m === r.member.path || m.startsWith(`${r.member.path}.`);
    const staticUses = evidence.filter((e) => e.source === "static" && under(e.member));
    const caught = call.outcome === "denied" && staticUses.length > 0 && staticUses.every((e) => e.guard === "caught");
    addMemberEvidence(r.member, { source: "dynamic", kind: "call", trace, ...(caught ? { guard: "caught" as const } : {}), ...(call.outcome === "denied" ? { note: call.where === "page" ? "refused on the page" : `refused at run time (${call.code ?? "?"})` } : {}) });
    if (staticResult && ![...staticRows].some(under) && !notInCode.has(r.member.path)) {
      notInCode.add(r.member.path);
      findings.push({ rule: "trace-not-in-code", level: "warning", message: `${r.member.path} ran (trace ${call.file}, entry ${call.index + 1}) but the static analysis did not find it in the code: code outside --code, or reached in a way the auditor cannot follow.`, location: { file: call.file, line: 1, column: 1 }, member: r.member.path });
    }
  }

  // ── Graph scopes ──
  const declaredScopes: DeclaredScopes = { scopes: [], from: [] };
  for (const l of loaded) {
    for (const p of l.scopeProblems) findings.push({ rule: "graph-scope", level: "warning", message: p, manifest: { file: l.declared.file, ...(/:(\d+):/.exec(p) ? { line: Number(/:(\d+):/.exec(p)![1]) } : {}) } });
    if (l.graphScopes.length) {
      for (const sc of l.graphScopes) if (!declaredScopes.scopes.includes(sc)) declaredScopes.scopes.push(sc);
      if (!declaredScopes.from.includes("manifest")) declaredScopes.from.push("manifest");
      declaredScopes.file ??= l.declared.file;
    }
  }
  for (const raw of extra.scopes ?? []) {
    const name = graphScope(raw);
    if (!name) {
      findings.push({ rule: "graph-scope", level: "warning", message: `--scopes: "${raw.slice(0, 100)}" is not a Graph scope Outpost knows; it is not judged.` });
      continue;
    }
    if (!declaredScopes.scopes.includes(name)) declaredScopes.scopes.push(name);
    if (!declaredScopes.from.includes("option")) declaredScopes.from.push("option");
  }
  const graph = judgeGraph(staticResult?.graph ?? [], staticResult?.scopeRequests ?? [], extra.graphTraces ?? [], declaredScopes, findings, staticResult !== undefined || traces.length > 0 || (extra.graphTraces?.length ?? 0) > 0);

  // ── Verdict ──
  const counted = evidence.filter((e) => !e.guard);
  const neededTier = maxTier(counted.map((e) => e.tier));
  const neededSupp = SUPPLEMENTARY.filter((s) => counted.some((e) => e.supplementary.includes(s)));
  const levels = tierRank(primary.tier) - tierRank(neededTier);
  const verdict = levels > 0 ? "over-privileged" : levels < 0 ? "under-privileged" : "exact";
  const report: AuditReport = {
    tool: { name: "outpost-audit", version: AUDITOR_VERSION },
    manifests: loaded.map((l) => l.declared),
    declared: { tier: primary.tier, supplementary: [...primary.supplementary] },
    needed: { tier: neededTier, supplementary: neededSupp },
    verdict,
    basis: ["manifest", ...(staticResult ? (["static"] as const) : []), ...(traces.length || extra.graphTraces?.length ? (["dynamic"] as const) : [])],
    levels,
    evidence,
    graph,
    findings: [],
    stats: { files: 0, bytes: 0, traces: 0, traceEntries: 0, ms: 0 },
  };
  const top = counted.filter((e) => e.tier === neededTier);
  const where = (e: Evidence): string => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}` : e.trace ? `trace ${e.trace.file} #${e.trace.index + 1}` : "");
  const because = top.slice(0, 3).map((e) => `${short(e.member)}${e.touched && e.kind !== "read" ? ` (${e.touched})` : ""} at ${where(e)}`).join("; ");
  const head: Finding[] = [];
  if (verdict === "over-privileged") {
    head.push({
      rule: "over-privileged",
      level: "warning",
      message: `${primary.file} asks ${primary.tier}; the ${staticResult || traces.length ? "code" : "manifest alone (no --code or --trace given)"} needs ${neededTier}${top.length ? ` (${because})` : " (nothing above Restricted)"}: over-privileged by ${levels} level${levels === 1 ? "" : "s"}.`,
      manifest: { file: primary.file },
    });
  } else if (verdict === "under-privileged") {
    const first = counted.find((e) => {
      if (e.kind === "rest" || e.kind === "ews") return tierRank(e.tier) > tierRank(primary.tier);
      const row = lookupMember(e.member);
      return row ? !decide(request(row).req, declaredGrant).allowed && tierRank(e.tier) > tierRank(primary.tier) : false;
    });
    const row = first ? lookupMember(first.member) : undefined;
    const d = row && first && first.kind !== "rest" && first.kind !== "ews" ? decide(request(row).req, declaredGrant) : undefined;
    if (first && d && !d.allowed) report.failure = { member: first.member, code: d.error.code, name: d.error.name, surface: d.surface.kind === "throw" ? `throws "${d.surface.message}"` : d.surface.kind === "withhold" ? `reads ${d.surface.value}` : d.surface.kind };
    else if (first) report.failure = { member: first.member, code: 9048, name: "TokenAccessDenied", surface: "the token does not open the resource (HTTP 403 from REST/EWS)" };
    head.push({
      rule: "under-privileged",
      level: "error",
      message: `${primary.file} asks ${primary.tier}; the code needs ${neededTier} (${because}): under-privileged by ${-levels} level${levels === -1 ? "" : "s"}${report.failure ? `; Outlook answers ${short(report.failure.member)} with ${report.failure.code} ${report.failure.name} (${report.failure.surface})` : ""}.`,
      manifest: { file: primary.file },
    });
  } else {
    head.push({ rule: "exact", level: "note", message: `${primary.file} asks ${primary.tier}, the lowest tier the evidence needs.`, manifest: { file: primary.file } });
  }

  // Supplementary permissions: used but not declared, declared but unused.
  for (const s of neededSupp) {
    if (primary.supplementary.includes(s)) continue;
    const e = counted.find((x) => x.supplementary.includes(s))!;
    const row = lookupMember(e.member)!;
    const d = decide(request(row).req, { ...declaredGrant, tier: "ReadWriteMailbox" });
    head.push({ rule: "supplementary-missing", level: "error", message: `${short(e.member)} needs the ${s} supplementary permission, which ${primary.file} does not declare${d.allowed ? "" : `: Outlook answers ${d.error.code} ${d.error.name}`}.`, ...(e.location ? { location: e.location } : { manifest: { file: primary.file } }), member: e.member });
  }
  if (staticResult || traces.length) {
    for (const s of primary.supplementary as Supplementary[]) {
      if (!evidence.some((e) => e.supplementary.includes(s))) head.push({ rule: "supplementary-unused", level: "warning", message: `${primary.file} declares the ${s} supplementary permission but no evidence uses a member that needs it.`, manifest: { file: primary.file } });
    }
  }

  // Legacy tokens: what fails where Exchange Online switched them off.
  const legacySeen = new Set<string>();
  for (const e of evidence) {
    if (!e.legacyToken || e.source === "manifest") continue;
    const key = `${e.member}@${e.location ? `${e.location.file}:${e.location.line}` : e.trace?.index}`;
    if (legacySeen.has(key)) continue;
    legacySeen.add(key);
    const row = lookupMember(e.member)!;
    const d = decide(request(row, e.member === TOKEN_METHOD ? { isRest: true } : undefined).req, { tier: "ReadWriteMailbox", supplementary: [...SUPPLEMENTARY], tenant: EXCHANGE_ONLINE_POLICY });
    const code = d.allowed ? "" : ` with ${d.error.code} ${d.error.name}`;
    head.push({
      rule: "legacy-token",
      level: "warning",
      message: `${short(e.member)}${e.kind === "rest" || e.kind === "ews" ? ` (${e.touched})` : ""} depends on a legacy Exchange token: it fails${code} where legacy tokens are off (every Exchange Online tenant). Use ${MODERN_ALTERNATIVE[e.member] ?? "nested app authentication and Microsoft Graph"}.`,
      ...(e.location ? { location: e.location } : { location: { file: e.trace?.file ?? primary.file, line: 1, column: 1 } }),
      member: e.member,
    });
  }

  // Caught uses above the declared tier: the code copes with the refusal, but that feature does not work.
  for (const e of evidence) {
    if (e.guard && tierRank(e.tier) > tierRank(primary.tier)) {
      head.push({ rule: "degrades", level: "note", message: `${short(e.member)} needs ${e.tier}; at ${primary.tier} Outlook refuses it and the code catches the refusal (not counted in the verdict).`, ...(e.location ? { location: e.location } : {}), member: e.member });
    }
  }
  for (const e of evidence) {
    if (e.source === "static" && e.kind !== "rest" && e.kind !== "ews") {
      head.push({ rule: "member-use", level: "note", message: `${short(e.member)}${e.touched ? ` (as ${short(e.touched)})` : ""} needs ${e.tier}${e.supplementary.length ? ` + ${e.supplementary.join(", ")}` : ""}${e.guard ? " (caught)" : ""}.`, location: e.location, member: e.member });
    }
  }
  report.findings = [...head, ...findings];
  return report;
}

export function short(path: string): string {
  return path.startsWith("Office.context.mailbox.") ? path.slice("Office.context.mailbox.".length) : path.replace(/^Office\.context\./, "");
}

export type { SourceLocation };
