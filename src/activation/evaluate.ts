/**
 * Outlook's activation decision for add-ins on one item, on one client profile, in one form.
 *
 * Three passes over each add-in's rule trees: plan (decide which regexes run and on what text,
 * applying form, permission, dialect and body limits), run (every add-in's regexes for the item in
 * one job on the worker pool, each add-in inside its time budget), then decide (fold rule values,
 * record limits and governance events, fill the getRegExMatches/getEntities views).
 */
import { tierAtLeast } from "../permissions/tiers.ts";
import type { AddinManifest, Rule } from "../manifest/model.ts";
import { applyBodyLimit, type LimitedText } from "./body-limits.ts";
import { clientProfile, isClientId, supportsProtected, type ClientId, type ClientProfile } from "./clients.ts";
import { entitiesForTier, entitiesOfType, entityAllowed, entityText, entityTypeName } from "./entities/access.ts";
import { extractEntities } from "./entities/extract.ts";
import { emptyEntities, type EntityValue, type ExtractedEntities } from "./entities/types.ts";
import { hasGovernanceState, type ActivationGovernanceSink } from "./governance.ts";
import { isReportClass, type ActivationItem, type FormKind } from "./item.ts";
import { dialectIssues } from "./regex-dialect.ts";
import { sharedRegexPool, type AddinRegexJob, type AddinRegexResult, type MatchOutcome, type RegexOutcome, type RegexSpec, type RegexWorkerPool } from "./regex-pool.ts";
import type { ActivationResult, ContextualReport, LimitKind, LimitReport, RuleReport } from "./result.ts";
import { resolveThresholds, type ActivationThresholds } from "./thresholds.ts";

export interface ActivationOptions {
  client?: ClientId | ClientProfile;
  form?: FormKind;
  /** Admin overrides of ActivationAlertThreshold / ActivationRetryLimit (checked against their ranges). */
  thresholds?: Partial<ActivationThresholds>;
  governance?: ActivationGovernanceSink;
  pool?: RegexWorkerPool;
}

const TEXT_SUBJECT = 0;
const TEXT_PLAIN = 1;
const TEXT_HTML = 2;
const TEXT_SENDER = 3;

interface ItemContext {
  item: ActivationItem;
  client: ClientProfile;
  form: FormKind;
  texts: string[];
  plain: LimitedText;
  html?: LimitedText;
  ruleEntities?: ExtractedEntities;
  apiEntities?: ExtractedEntities;
}

/** A rule with what the plan decided for it; leaves that run a regex point at their spec. */
interface PlannedRule {
  rule: Rule;
  path: string;
  depth: number;
  scope: "OfficeApp" | "DetectedEntity";
  children: PlannedRule[];
  /** Value known without running anything (undefined: decided after the regex run). */
  value?: boolean;
  matched?: string[];
  reason?: string;
  limits: LimitKind[];
  regex?: number;
  entityValues?: EntityValue[];
}

interface AddinPlan {
  manifest: AddinManifest;
  trees: PlannedRule[];
  contextual: { extensionPoint: string; tree: PlannedRule }[];
  specs: RegexSpec[];
  limits: LimitReport[];
  warnings: string[];
  gate?: { kind: LimitKind; message: string };
  skipRegexes: boolean;
}

// ---- public API -------------------------------------------------------------------------------

export async function evaluateActivation(manifest: AddinManifest, item: ActivationItem, options: ActivationOptions = {}): Promise<ActivationResult> {
  const [result] = await evaluateActivations([manifest], item, options);
  return result;
}

/** Evaluates many add-ins on one item: the item's texts go to the regex worker once. */
export async function evaluateActivations(manifests: AddinManifest[], item: ActivationItem, options: ActivationOptions = {}): Promise<ActivationResult[]> {
  const client = typeof options.client === "object" ? options.client : clientProfile(resolveClient(options.client));
  const form = options.form ?? "read";
  const thresholds = resolveThresholds(options.thresholds);
  const ctx = itemContext(item, client, form);
  const plans = manifests.map((m) => planAddin(m, ctx, options.governance));

  const jobs: AddinRegexJob[] = [];
  const jobOf = new Map<AddinPlan, number>();
  for (const plan of plans) {
    if (plan.specs.length === 0 || plan.skipRegexes) continue;
    jobOf.set(plan, jobs.length);
    jobs.push({ addinId: plan.manifest.id, regexes: plan.specs });
  }
  const runs = jobs.length > 0 ? await (options.pool ?? sharedRegexPool()).run(ctx.texts, jobs, thresholds.alertThresholdMs) : [];
  return plans.map((plan) => decide(plan, ctx, thresholds, runs[jobOf.get(plan) ?? -1], options.governance));
}

function resolveClient(id: string | undefined): ClientId {
  if (id === undefined) return "web";
  if (!isClientId(id)) throw new RangeError(`unknown client "${id}"`);
  return id;
}

// ---- item context -----------------------------------------------------------------------------

function itemContext(item: ActivationItem, client: ClientProfile, form: FormKind): ItemContext {
  const plain = applyBodyLimit(item.bodyText, client.body.plain);
  const html = item.bodyHtml !== undefined ? applyBodyLimit(item.bodyHtml, client.body.html) : undefined;
  return {
    item,
    client,
    form,
    plain,
    html,
    texts: [item.subject, plain.text ?? "", html?.text ?? "", item.senderSmtp ?? ""],
  };
}

function ruleEntities(ctx: ItemContext): ExtractedEntities {
  if (!ctx.ruleEntities) {
    const body = applyBodyLimit(ctx.item.bodyText, ctx.client.entityRuleBody);
    ctx.ruleEntities = extractEntities(ctx.item, { maxChars: (body.text ?? "").length });
  }
  return ctx.ruleEntities;
}

function apiEntities(ctx: ItemContext): ExtractedEntities {
  if (ctx.form !== "read" || ctx.item.inSentItems) return emptyEntities();
  ctx.apiEntities ??= extractEntities(ctx.item, { maxChars: ctx.client.entityExtractionChars });
  return ctx.apiEntities;
}

// ---- plan -------------------------------------------------------------------------------------

function planAddin(manifest: AddinManifest, ctx: ItemContext, governance?: ActivationGovernanceSink): AddinPlan {
  const plan: AddinPlan = { manifest, trees: [], contextual: [], specs: [], limits: [], warnings: [], skipRegexes: false };
  plan.gate = itemGate(ctx, manifest, governance);
  plan.skipRegexes = plan.gate?.kind === "governance-disabled";
  if (manifest.format === "json") return plan;
  if (manifest.rules) plan.trees.push(planRule(manifest.rules, "OfficeApp/1", 0, "OfficeApp", plan, ctx));
  manifest.extensionPoints.forEach((ep, i) => {
    if (ep.type !== "DetectedEntity" || !ep.rule) return;
    const tree = planRule(ep.rule, `DetectedEntity[${i}]/1`, 0, "DetectedEntity", plan, ctx);
    plan.contextual.push({ extensionPoint: `${ep.type}[${i}]`, tree });
  });
  return plan;
}

function itemGate(ctx: ItemContext, manifest: AddinManifest, governance?: ActivationGovernanceSink): AddinPlan["gate"] {
  const { item, client } = ctx;
  if (hasGovernanceState(governance) && governance.isDisabled(manifest.id))
    return { kind: "governance-disabled", message: "the add-in was made unavailable after repeated regex time-outs (ActivationRetryLimit reached)" };
  if (isReportClass(item.itemClass)) return { kind: "report-item", message: `no add-in activates on report items (${item.itemClass})` };
  if (item.irmProtected || item.encrypted) {
    if (item.objectModelAllowed === false)
      return { kind: "protected-item", message: "the item's protection does not grant the OBJMODEL usage right (\"Allow programmatic access\"), so no client activates add-ins on it" };
  }
  if (item.irmProtected && !supportsProtected(client.irm, client.build))
    return { kind: "protected-item", message: protectedMessage("IRM-protected", client, client.irm) };
  if (item.encrypted && !supportsProtected(client.encrypted, client.build))
    return { kind: "protected-item", message: protectedMessage("encrypted", client, client.encrypted) };
  if (item.signed && !supportsProtected(client.signed, client.build))
    return { kind: "protected-item", message: protectedMessage("digitally signed", client, client.signed) };
  return undefined;
}

function protectedMessage(what: string, client: ClientProfile, support: ClientProfile["irm"]): string {
  if (support.kind === "from-build") return `${client.label} activates add-ins on ${what} items from ${support.label}; this profile is build ${client.build}`;
  return `${client.label} never activates add-ins on ${what} items`;
}

function planRule(rule: Rule, path: string, depth: number, scope: PlannedRule["scope"], plan: AddinPlan, ctx: ItemContext): PlannedRule {
  const node: PlannedRule = { rule, path, depth, scope, children: [], limits: [] };
  const limit = new NodeLimits(node, plan.limits);
  const { item, form } = ctx;
  const tier = plan.manifest.tier;

  switch (rule.type) {
    case "RuleCollection":
      node.children = rule.rules.map((r, i) => planRule(r, `${path}.${i + 1}`, depth + 1, scope, plan, ctx));
      break;

    case "ItemIs": {
      const formOk = rule.formType === "Read" ? form === "read" : rule.formType === "Edit" ? form === "compose" : true;
      let classOk = true;
      if (rule.itemClass) {
        const want = rule.itemClass.toLowerCase();
        const have = item.itemClass.toLowerCase();
        classOk = have === want || (rule.includeSubClasses === true && have.startsWith(want + "."));
      }
      node.value = item.itemType === rule.itemType && formOk && classOk;
      node.matched = node.value ? [`${item.itemClass} (${form})`] : undefined;
      if (!node.value)
        node.reason =
          item.itemType !== rule.itemType ? `item is ${item.itemType} (${item.itemClass})`
          : !formOk ? `form is ${form}`
          : `item class is ${item.itemClass}`;
      break;
    }

    case "ItemHasAttachment":
      if (form !== "read") {
        node.value = false;
        limit.add("read-form-only", "ItemHasAttachment applies to read forms only");
      } else if (!tierAtLeast(tier, "ReadItem")) {
        node.value = false;
        limit.add("permission", "ItemHasAttachment needs ReadItem or higher; the add-in is Restricted");
      } else {
        node.value = item.hasAttachment;
        node.matched = item.hasAttachment ? ["has attachments"] : undefined;
        if (!item.hasAttachment) node.reason = "the item has no attachments";
      }
      break;

    case "ItemHasRegularExpressionMatch":
      planRegexRule(rule, node, plan, ctx, limit);
      break;

    case "ItemHasKnownEntity":
      planEntityRule(rule, node, plan, ctx, limit);
      break;

    default:
      node.value = false;
      limit.add("unknown-rule", `rule type "${rule.xsiType}" is not one Outlook knows; it never matches`);
  }
  return node;
}

/**
 * Where a rule node's limits go: on the node and in the add-in's list. A class, not a closure per node: this runs
 * for every rule of every add-in on every item.
 */
class NodeLimits {
  constructor(
    private readonly node: PlannedRule,
    private readonly sink: LimitReport[],
  ) {}

  add(kind: LimitKind, message: string, extra: Partial<LimitReport> = {}): void {
    this.node.limits.push(kind);
    this.sink.push({ kind, rule: this.node.path, message, ...extra });
  }
}

function compileError(source: string, flags: string): string | undefined {
  try {
    new RegExp(source, flags);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

interface PatternCheck {
  issues: ReturnType<typeof dialectIssues>;
  compileError?: string;
}

/**
 * Pattern checks depend only on the pattern, flags and dialect: cached across items. Keyed by the strings as they
 * are (a manifest's own source strings keep their hash), not by a concatenation built on every lookup.
 */
const patternChecks = new Map<string, Map<string, PatternCheck>>();
let patternChecksSize = 0;
const PATTERN_CACHE_MAX = 5000;

function checkPattern(source: string, flags: string, dialect: ClientProfile["regexDialect"]): PatternCheck {
  const kind = `${dialect} ${flags}`;
  let bySource = patternChecks.get(kind);
  let check = bySource?.get(source);
  if (!check) {
    if (patternChecksSize >= PATTERN_CACHE_MAX) (patternChecks.clear(), (patternChecksSize = 0), (bySource = undefined));
    if (!bySource) patternChecks.set(kind, (bySource = new Map()));
    check = { issues: dialectIssues(source, dialect), compileError: compileError(source, flags) };
    bySource.set(source, check);
    patternChecksSize++;
  }
  return check;
}

/** Dialect errors and compile errors stop a regex before it runs; warnings are reported only. */
function regexUsable(source: string, flags: string, what: string, plan: AddinPlan, ctx: ItemContext, limit: NodeLimits): boolean {
  let usable = true;
  const check = checkPattern(source, flags, ctx.client.regexDialect);
  for (const issue of check.issues) {
    if (issue.severity === "error") {
      limit.add("regex-unsupported", `${what}: ${issue.message}; ${ctx.client.label} cannot evaluate it`);
      usable = false;
    } else plan.warnings.push(`${what}: ${issue.message}`);
  }
  if (!usable) return false;
  if (check.compileError) {
    limit.add("regex-error", `${what}: not a valid regular expression (${check.compileError})`);
    return false;
  }
  return true;
}

function planRegexRule(rule: Extract<Rule, { type: "ItemHasRegularExpressionMatch" }>, node: PlannedRule, plan: AddinPlan, ctx: ItemContext, limit: NodeLimits): void {
  const { form, client, item } = ctx;
  const what = `RegExName "${rule.regExName}"`;
  node.value = false;
  if (form !== "read") return limit.add("read-form-only", "ItemHasRegularExpressionMatch applies to read forms only");
  if (!tierAtLeast(plan.manifest.tier, "ReadItem")) return limit.add("permission", "regular-expression rules need ReadItem or higher; the add-in is Restricted");
  const flags = rule.ignoreCase ? "gi" : "g";
  if (!regexUsable(rule.regExValue, flags, what, plan, ctx, limit)) return;

  let text: number;
  let maxLength = client.maxMatchLength.plain;
  switch (rule.propertyName) {
    case "Subject":
      text = TEXT_SUBJECT;
      break;
    case "SenderSMTPAddress":
      if (!item.senderSmtp) {
        node.reason = "the item has no sender SMTP address";
        return;
      }
      text = TEXT_SENDER;
      break;
    case "BodyAsPlaintext":
      if (!bodyAvailable(ctx.plain, "plain-text body", client, limit)) return;
      text = TEXT_PLAIN;
      break;
    case "BodyAsHTML":
      if (!ctx.html) {
        node.reason = "the body is not HTML";
        return limit.add("not-html", "BodyAsHTML matches nothing: the item's body is not HTML");
      }
      if (!bodyAvailable(ctx.html, "HTML body", client, limit)) return;
      text = TEXT_HTML;
      maxLength = client.maxMatchLength.html;
      break;
    default:
      node.reason = `unknown PropertyName "${rule.propertyName}"`;
      return;
  }
  node.value = undefined;
  node.regex = plan.specs.length;
  plan.specs.push({ name: rule.regExName, source: rule.regExValue, flags, text, maxMatches: client.maxMatches, maxLength });
}

function bodyAvailable(body: LimitedText, what: string, client: ClientProfile, limit: NodeLimits): boolean {
  if (body.skipped) {
    limit.add("body-too-large", `${client.label} evaluates body regexes only when the ${what} is under ${body.limit.toLocaleString("en-US")} ${body.unit}; it has ${body.size.toLocaleString("en-US")}`, { actual: body.size, limit: body.limit });
    return false;
  }
  if (body.truncated)
    limit.add("body-truncated", `${client.label} evaluates only the first ${body.limit.toLocaleString("en-US")} ${body.unit} of the ${what} (it has ${body.size.toLocaleString("en-US")})`, { actual: body.size, limit: body.limit });
  return true;
}

function planEntityRule(rule: Extract<Rule, { type: "ItemHasKnownEntity" }>, node: PlannedRule, plan: AddinPlan, ctx: ItemContext, limit: NodeLimits): void {
  node.value = false;
  const type = entityTypeName(rule.entityType);
  if (!type) {
    node.reason = `unknown EntityType "${rule.entityType}"`;
    return;
  }
  if (ctx.form !== "read") return limit.add("read-form-only", "ItemHasKnownEntity applies to read forms only");
  if (!entityAllowed(type, plan.manifest.tier)) return limit.add("permission", `a Restricted add-in may only use Address, Url and PhoneNumber entities, not ${type}`);
  if (ctx.item.inSentItems) return limit.add("sent-items", "Exchange stamps no known entities on items in Sent Items");
  const values = entitiesOfType(ruleEntities(ctx), type);
  if (rule.regExFilter === undefined) {
    node.value = values.length > 0;
    node.matched = values.length ? values.map(entityText) : undefined;
    if (!node.value) node.reason = `no ${type} found`;
    return;
  }
  if (!tierAtLeast(plan.manifest.tier, "ReadItem")) return limit.add("permission", "a RegExFilter on an entity rule needs ReadItem or higher; the add-in is Restricted");
  const flags = rule.ignoreCase ? "gi" : "g";
  if (!regexUsable(rule.regExFilter, flags, `FilterName "${rule.filterName ?? ""}"`, plan, ctx, limit)) return;
  if (values.length === 0) {
    node.reason = `no ${type} found`;
    return;
  }
  node.value = undefined;
  node.entityValues = values;
  node.regex = plan.specs.length;
  plan.specs.push({
    name: rule.filterName ?? rule.entityType,
    source: rule.regExFilter,
    flags,
    strings: values.map(entityText),
    maxMatches: ctx.client.maxMatches,
    maxLength: ctx.client.maxMatchLength.plain,
  });
}

// ---- decide -----------------------------------------------------------------------------------

function isMatchOutcome(o: RegexOutcome | undefined): o is MatchOutcome {
  return !!o && "matches" in o;
}

function decide(plan: AddinPlan, ctx: ItemContext, thresholds: ActivationThresholds, run: AddinRegexResult | undefined, governance?: ActivationGovernanceSink): ActivationResult {
  const { manifest } = plan;
  const limits = [...plan.limits];
  const rules: RuleReport[] = [];
  const regexMatches: Record<string, string[]> = {};
  const highlighted: Record<string, string[]> = {};
  const filteredEntities: Record<string, EntityValue[]> = {};
  const timedOut = run?.status === "timeout";

  const folding: Folding = { rules, limits, ctx, run, timedOut, views: { regexMatches, highlighted, filteredEntities } };
  const base = plan.trees.map((t) => foldRule(t, folding))[0];
  const contextual: ContextualReport[] = plan.contextual.map((c) => ({ extensionPoint: c.extensionPoint, path: c.tree.path, activated: foldRule(c.tree, folding) && ctx.form === "read" }));

  let activated: boolean;
  let verdict: string;
  if (manifest.format === "json") {
    const surfaces = surfacesFor(manifest, ctx);
    activated = surfaces.length > 0;
    verdict = activated
      ? `unified manifest: no activation rules; shown on ${surfaces.join(", ")}`
      : `unified manifest: no activation rules, and no extension point for a ${ctx.item.itemType.toLowerCase()} in ${ctx.form} form`;
  } else if (base === undefined && plan.contextual.length === 0) {
    activated = false;
    limits.push({ kind: "no-rule", message: "the manifest has no activation rule" });
    verdict = "not activated: the manifest has no activation rule";
  } else {
    activated = base ?? contextual.some((c) => c.activated);
    verdict = activated ? "activated: the activation rules are satisfied" : "not activated: the activation rules are not satisfied";
  }

  if (timedOut && run) {
    activated = false;
    const governed = ctx.client.governedRegexTime;
    const prior = hasGovernanceState(governance) ? governance.timeoutCount(manifest.id) : 0;
    const timeouts = prior + 1;
    const at = new Date().toISOString();
    const regexName = run.runningRegex;
    limits.push({
      kind: "regex-timeout",
      message: `the add-in's regexes ran ${Math.round(run.elapsedMs)} ms, over the ${thresholds.alertThresholdMs} ms budget${regexName ? ` (stopped in "${regexName}")` : ""}; ${governed ? "ActivationAlertThreshold" : "Outpost's safety budget"} applies`,
      actual: Math.round(run.elapsedMs),
      limit: thresholds.alertThresholdMs,
    });
    governance?.record({ kind: "regex-timeout", addinId: manifest.id, client: ctx.client.id, elapsedMs: run.elapsedMs, thresholdMs: thresholds.alertThresholdMs, timeouts, retryLimit: thresholds.retryLimit, regexName, enforcement: governed ? "client" : "outpost-safety", at });
    if (governed && timeouts >= thresholds.retryLimit)
      governance?.record({ kind: "addin-disabled", addinId: manifest.id, client: ctx.client.id, reason: "regex-timeouts", timeouts, retryLimit: thresholds.retryLimit, at });
    verdict = `not activated: regex evaluation exceeded ${thresholds.alertThresholdMs} ms (time-out ${timeouts} of ${thresholds.retryLimit})`;
  }
  if (plan.gate) {
    activated = false;
    limits.unshift({ kind: plan.gate.kind, message: plan.gate.message });
    verdict = `not activated: ${plan.gate.message}`;
  }

  const result: Omit<ActivationResult, "entities"> = {
    addinId: manifest.id,
    addinName: manifest.name?.value ?? manifest.id,
    client: ctx.client.id,
    form: ctx.form,
    activated,
    verdict,
    rules,
    limits,
    warnings: plan.warnings,
    regexMatches,
    highlightedRegexMatches: highlighted,
    filteredEntities,
    contextual,
    regexElapsedMs: run?.elapsedMs,
  };
  return withLazyEntities(result, () => entitiesForTier(apiEntities(ctx), manifest.tier));
}

/** Entity extraction costs about a millisecond per item: done on first read of `entities`, once per item. */
interface Folding {
  rules: RuleReport[];
  limits: LimitReport[];
  ctx: ItemContext;
  run: AddinRegexResult | undefined;
  timedOut: boolean;
  views: Views;
}

/** A rule tree's value, its reports appended in document order. */
function foldRule(node: PlannedRule, f: Folding): boolean {
  const r = node.rule;
  let value: boolean;
  if (r.type === "RuleCollection") {
    const values = node.children.map((c) => ({ c, v: false }));
    const report: RuleReport = { path: node.path, depth: node.depth, type: r.type, summary: summarize(r), value: false, pos: r.pos };
    f.rules.push(report);
    for (const entry of values) entry.v = foldRule(entry.c, f);
    value = r.mode === "Or" ? values.some((e) => e.v) : values.every((e) => e.v);
    report.value = value;
    report.reason = `Mode=${r.mode}: ${values.filter((e) => e.v).length} of ${values.length} true`;
    return value;
  }
  const report: RuleReport = { path: node.path, depth: node.depth, type: r.type, summary: summarize(r), value: false, pos: r.pos };
  f.rules.push(report);
  value = node.value ?? false;
  report.matched = node.matched;
  report.reason = node.reason;
  if (node.regex !== undefined) {
    const outcome = f.timedOut ? undefined : f.run?.results?.[node.regex];
    value = applyOutcome(node, outcome, report, f.limits, f.ctx, f.views, f.timedOut);
  }
  report.value = value;
  if (node.limits.length) report.limits = [...new Set(node.limits)];
  return value;
}

function withLazyEntities(result: Omit<ActivationResult, "entities">, compute: () => ExtractedEntities): ActivationResult {
  let cached: ExtractedEntities | undefined;
  return Object.defineProperty(result, "entities", {
    enumerable: true,
    configurable: true,
    get: () => (cached ??= compute()),
  }) as ActivationResult;
}

interface Views {
  regexMatches: Record<string, string[]>;
  highlighted: Record<string, string[]>;
  filteredEntities: Record<string, EntityValue[]>;
}

function addUnique(map: Record<string, string[]>, key: string, values: string[], cap: number): void {
  const list = (map[key] ??= []);
  for (const v of values) if (list.length < cap && !list.includes(v)) list.push(v);
}

function applyOutcome(node: PlannedRule, outcome: RegexOutcome | undefined, report: RuleReport, limits: LimitReport[], ctx: ItemContext, views: Views, timedOut: boolean): boolean {
  const r = node.rule;
  const limit = new NodeLimits(node, limits);
  if (timedOut || !outcome) {
    node.limits.push("regex-timeout");
    report.reason = "not evaluated: the add-in's regex time budget ran out";
    return false;
  }
  if ("error" in outcome) {
    limit.add("regex-error", outcome.error);
    return false;
  }
  const cap = ctx.client.maxMatches;
  if (r.type === "ItemHasKnownEntity" && "hits" in outcome) {
    const values = node.entityValues ?? [];
    const hit = outcome.hits.map((i) => values[i]);
    const name = r.filterName ?? r.entityType;
    (views.filteredEntities[name] ??= []).push(...hit);
    addUnique(views.regexMatches, name, hit.map(entityText), cap);
    if (r.highlight !== "none" && node.scope === "DetectedEntity") addUnique(views.highlighted, name, hit.map(entityText), cap);
    report.matched = hit.length ? hit.map(entityText) : undefined;
    if (!hit.length) report.reason = `no entity matched RegExFilter`;
    return hit.length > 0;
  }
  if (r.type !== "ItemHasRegularExpressionMatch" || !isMatchOutcome(outcome)) return false;
  const maxLength = r.propertyName === "BodyAsHTML" ? ctx.client.maxMatchLength.html : ctx.client.maxMatchLength.plain;
  if (outcome.tooLong > 0)
    limit.add("match-too-long", `${outcome.tooLong} match(es) longer than ${maxLength} characters were dropped (longest ${outcome.longestDropped})`, { actual: outcome.longestDropped, limit: maxLength });
  if (outcome.truncated) limit.add("matches-capped", `more than ${cap} distinct matches; only the first ${cap} are kept`, { limit: cap });
  addUnique(views.regexMatches, r.regExName, outcome.matches, cap);
  if (node.scope === "DetectedEntity" && r.highlight !== "none" && r.propertyName === "BodyAsPlaintext") addUnique(views.highlighted, r.regExName, outcome.matches, cap);
  report.matched = outcome.matches.length ? outcome.matches : undefined;
  if (!outcome.matches.length) report.reason = outcome.tooLong ? "every match was too long and was dropped" : "no match";
  return outcome.matches.length > 0;
}

/** Rules are the manifest's own objects, the same on every item: each is described once. */
const summaries = new WeakMap<Rule, string>();

function summarize(rule: Rule): string {
  let s = summaries.get(rule);
  if (s === undefined) summaries.set(rule, (s = describeRule(rule)));
  return s;
}

function describeRule(rule: Rule): string {
  const attrs = (pairs: [string, unknown][]) =>
    pairs.filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => `${k}=${typeof v === "string" && /\s/.test(v) ? JSON.stringify(v) : String(v)}`).join(" ");
  switch (rule.type) {
    case "ItemIs":
      return `ItemIs ${attrs([["ItemType", rule.itemType], ["FormType", rule.formType], ["ItemClass", rule.itemClass], ["IncludeSubClasses", rule.includeSubClasses]])}`;
    case "ItemHasAttachment":
      return "ItemHasAttachment";
    case "ItemHasKnownEntity":
      return `ItemHasKnownEntity ${attrs([["EntityType", rule.entityType], ["FilterName", rule.filterName], ["RegExFilter", rule.regExFilter], ["IgnoreCase", rule.ignoreCase], ["Highlight", rule.highlight]])}`;
    case "ItemHasRegularExpressionMatch":
      return `ItemHasRegularExpressionMatch ${attrs([["RegExName", rule.regExName], ["PropertyName", rule.propertyName], ["RegExValue", rule.regExValue], ["IgnoreCase", rule.ignoreCase], ["Highlight", rule.highlight]])}`;
    case "RuleCollection":
      return `RuleCollection Mode=${rule.mode}`;
    default:
      return `Unknown xsi:type=${rule.xsiType}`;
  }
}

/** Extension points of a unified-manifest add-in that show for this item and form. */
function surfacesFor(manifest: AddinManifest, ctx: ItemContext): string[] {
  const message = ctx.item.itemType === "Message";
  const wanted = message
    ? ctx.form === "read" ? ["MessageReadCommandSurface", "MobileMessageReadCommandSurface", "ReportPhishingCommandSurface", "SpamReportingOverride"] : ["MessageComposeCommandSurface", "LaunchEvent"]
    : ctx.form === "read" ? ["AppointmentAttendeeCommandSurface", "MobileLogEventAppointmentAttendee"] : ["AppointmentOrganizerCommandSurface", "MobileOnlineMeetingCommandSurface", "OnlineMeetingCommandSurface", "LaunchEvent"];
  return [...new Set(manifest.extensionPoints.filter((e) => wanted.includes(e.type)).map((e) => e.type))];
}
