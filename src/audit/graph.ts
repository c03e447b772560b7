/**
 * Least privilege for Microsoft Graph scopes: each Graph request the code makes (or a trace shows) is matched to a
 * route of Outpost's Graph surface, and the scopes that route accepts come from the table the routes themselves
 * enforce (`GRAPH_OPERATIONS`, src/graph/operations.ts; Mail.ReadBasic's withheld properties from src/graph/json.ts).
 * Requested scopes (the manifest's WebApplicationInfo, the app registration's via --scopes, or what the code asks
 * MSAL for) are then compared with what the calls need: missing → under-privileged (Graph answers 403), more than
 * needed → over-privileged. Nothing here states a scope of its own.
 */
import { GRAPH_OPERATIONS, type GraphOperation, type GraphOperationId } from "../graph/operations.ts";
import { BASIC_WITHHELD } from "../graph/json.ts";
import { scopeDef } from "../identity/scopes.ts";
import type { GraphRequest, ScopeRequest } from "./static/analyze.ts";
import type { Finding, GraphCall, GraphReport } from "./types.ts";

/** A Graph request seen in a trace (a HAR entry, or a trace entry with method and url). */
export interface TraceGraphCall {
  file: string;
  index: number;
  method: string;
  url: string;
  status?: number;
}

export interface DeclaredScopes {
  scopes: string[];
  from: GraphReport["requestedFrom"];
  /** Where they were declared (the manifest file). */
  file?: string;
}

const GRAPH_PREFIX = /^(?:[a-z]+:\/\/[^/]*)?.*?\/(?:v1\.0|beta)(\/.*)?$/i;
const RESOURCE = /^https:\/\/graph\.microsoft\.com\//i;
/** Placeholders the static analysis writes for values it could not compute (`{…}`, `{?}`, `{itemId}`, `{token}`). */
const PLACEHOLDER = /^\{[^/]*\}$/;

/** `Mail.Read`, `https://graph.microsoft.com/Mail.Read` → the scope's canonical name; OIDC and unknown scopes → undefined. */
export function graphScope(raw: string): string | undefined {
  const d = scopeDef(raw.replace(RESOURCE, ""));
  return d && !d.oidc ? d.name : undefined;
}

function splitPath(url: string): { path: string; query: string } | undefined {
  // The query starts at the first "?" outside a placeholder (an uncomputed base is written `{?}`).
  const q = url.search(/\?(?![^{}]*\})/);
  const base = q >= 0 ? url.slice(0, q) : url;
  const query = q >= 0 ? url.slice(q + 1) : "";
  const m = GRAPH_PREFIX.exec(base);
  if (m) return { path: m[1] ?? "", query };
  // The Graph SDK's relative paths: "/me/messages", "me/messages".
  if (/^\/?(?:me|users)(?:\/|$)/.test(base)) return { path: `/${base.replace(/^\//, "")}`, query };
  return undefined;
}

/** Whether a URL is a Microsoft Graph request (graph.microsoft.com, or a /v1.0|beta/me|users path on any host). */
export function isGraphUrl(url: string): boolean {
  return /graph\.microsoft\.com/i.test(url) || /\/(?:v1\.0|beta)\/(?:me(?:[/?]|$)|users\/)/.test(url);
}

/** The route a request hits: `/me/…` is the user's own mailbox; `/users/{x}/…` another one (unless x is literally `me`). */
export function matchGraphRoute(method: string, url: string): { id: GraphOperationId; own: boolean; query: string } | { unknown: string } {
  const split = splitPath(url);
  if (!split) return { unknown: "not a Graph URL" };
  let segs = split.path.split("/").filter(Boolean);
  let own: boolean;
  if (segs[0] === "me") (own = true), (segs = segs.slice(1));
  else if (segs[0] === "users" && segs[1]) (own = segs[1].toLowerCase() === "me"), (segs = segs.slice(2));
  else return { unknown: `${split.path || "/"} is not under /me or /users/{id}` };
  // A message in a folder is the message: /mailFolders/{fid}/messages/{id}/… is /messages/{id}/…
  if (segs[0] === "mailFolders" && segs[2] === "messages" && segs.length > 3) segs = segs.slice(2);
  for (const [id, op] of Object.entries(GRAPH_OPERATIONS) as [GraphOperationId, GraphOperation][]) {
    if (op.method !== method.toUpperCase()) continue;
    const pattern = op.path.split("/").filter(Boolean);
    if (pattern.length !== segs.length) continue;
    // A literal segment must be spelled out; a placeholder the analysis could not compute matches only a parameter.
    if (pattern.every((p, i) => p.startsWith("{") || (p === segs[i] && !PLACEHOLDER.test(p)))) return { id, own, query: split.query };
  }
  return { unknown: `${method.toUpperCase()} ${split.path} is not a route of the Graph mail surface` };
}

/** Whether the response the code asks for includes what Mail.ReadBasic withholds (no $select, or $select naming it). */
function needsBody(id: GraphOperationId, query: string): boolean {
  if (!["messages.get", "messages.list", "folders.messages"].includes(id)) return false;
  const select = /(?:^|&)\$?select=([^&]*)/i.exec(query);
  if (!select) return true;
  const fields = decodeURIComponent(select[1]!).split(",").map((f) => f.trim());
  return fields.some((f) => (BASIC_WITHHELD as readonly string[]).includes(f) || f.startsWith("{"));
}

function judgeCall(method: string, url: string, base: Pick<GraphCall, "source" | "location" | "trace" | "guard">): GraphCall {
  const m = matchGraphRoute(method, url);
  if ("unknown" in m) return { ...base, method: method.toUpperCase(), url, mailbox: "own", accepted: [], note: m.unknown };
  const op: GraphOperation = GRAPH_OPERATIONS[m.id];
  let accepted = [...(m.own ? op.own : op.shared)];
  let note: string | undefined;
  if (needsBody(m.id, m.query) && accepted.some((s) => s.startsWith("Mail.ReadBasic"))) {
    accepted = accepted.filter((s) => !s.startsWith("Mail.ReadBasic"));
    note = `the response's ${BASIC_WITHHELD.join("/")} (Mail.ReadBasic withholds them; $select other fields to need less)`;
  }
  return { ...base, method: op.method, url, operation: m.id, mailbox: m.own ? "own" : "other", accepted, needs: accepted[0], ...(note ? { note } : {}) };
}

export const graphCallWhere = (c: GraphCall): string => (c.location ? `${c.location.file}:${c.location.line}:${c.location.column}` : c.trace ? `trace ${c.trace.file} #${c.trace.index + 1}` : "");

/** The Graph part of the verdict, with its findings. */
export function judgeGraph(
  requests: readonly GraphRequest[],
  scopeRequests: readonly ScopeRequest[],
  traceCalls: readonly TraceGraphCall[],
  declared: DeclaredScopes,
  findings: Finding[],
  /** Code or traces were given: without them no scope can be called unneeded. */
  hasEvidence: boolean,
): GraphReport {
  const calls: GraphCall[] = [];
  for (const r of requests) calls.push(judgeCall(r.method, r.url, { source: "static", location: r.location, ...(r.guard ? { guard: r.guard } : {}) }));
  for (const t of traceCalls) calls.push(judgeCall(t.method, t.url, { source: "dynamic", trace: { file: t.file, index: t.index, ...(t.status ? { status: t.status } : {}) } }));

  // Scopes the code asks MSAL for.
  const codeScopes: string[] = [];
  for (const s of scopeRequests) {
    for (const raw of s.scopes) {
      if (raw === ".default" || raw.endsWith("/.default")) continue;
      const name = graphScope(raw);
      if (name) {
        if (!codeScopes.includes(name)) codeScopes.push(name);
      } else if (!scopeDef(raw.replace(RESOURCE, ""))?.oidc && raw !== "access_as_user" && !raw.startsWith("api://")) {
        findings.push({ rule: "graph-scope", level: "warning", message: `${s.method} asks for "${raw.slice(0, 100)}", not a Graph scope Outpost knows; it is not judged.`, location: s.location });
      }
    }
    if (s.unresolved) findings.push({ rule: "unresolved-member", level: "warning", message: `${s.method}: some of the scopes it asks for are computed at run time; the auditor cannot tell which.`, location: s.location });
  }

  const requestedFrom: GraphReport["requestedFrom"] = [...declared.from];
  let requested = declared.scopes.filter((s, i, a) => a.indexOf(s) === i);
  if (requested.length === 0 && codeScopes.length) {
    requested = [...codeScopes];
    requestedFrom.push("code");
  } else if (requested.length) {
    // The registration lists what the broker may grant: a scope the code asks for beyond it is refused (invalid_scope).
    for (const s of scopeRequests) {
      for (const raw of s.scopes) {
        const name = graphScope(raw);
        if (name && !requested.includes(name)) {
          findings.push({ rule: "graph-scope-missing", level: "error", message: `${s.method} asks for ${name}, which the add-in's declared scopes (${requested.join(", ")}) do not include: the broker answers invalid_scope.`, location: s.location });
        }
      }
    }
  }

  const counted = calls.filter((c) => !c.guard && c.needs);
  for (const c of calls) {
    if (!c.operation) {
      findings.push({ rule: "graph-call", level: "warning", message: `${c.method} ${c.url}: ${c.note}; its scopes are not judged.`, ...(c.location ? { location: c.location } : c.trace ? { location: { file: c.trace.file, line: 1, column: 1 } } : {}) });
      continue;
    }
    findings.push({
      rule: "graph-call",
      level: "note",
      message: `${c.method} ${c.url} (${c.operation}${c.mailbox === "other" ? ", another user's mailbox" : ""}) needs ${c.needs}${c.accepted.length > 1 ? ` (or ${c.accepted.slice(1).join(", ")})` : ""}${c.note ? `: ${c.note}` : ""}${c.guard ? "; the code catches its failure (not counted)" : ""}.`,
      ...(c.location ? { location: c.location } : c.trace ? { location: { file: c.trace.file, line: 1, column: 1 } } : {}),
    });
  }

  // Needed: the least privileged scope of every call, then drop any scope whose calls another needed scope covers.
  let needed = [...new Set(counted.map((c) => c.needs!))];
  for (const s of [...needed]) {
    const rest = needed.filter((x) => x !== s);
    if (counted.filter((c) => c.needs === s).every((c) => c.accepted.some((a) => rest.includes(a)))) needed = rest;
  }
  const order = (a: string, b: string) => a.localeCompare(b);
  needed.sort(order);

  const missing: GraphReport["missing"] = [];
  if (requestedFrom.length === 0) {
    if (counted.length) findings.push({ rule: "graph-scope", level: "warning", message: `The code calls Graph (${counted.length} call${counted.length === 1 ? "" : "s"}, needing ${needed.join(", ")}) but no scopes are declared: neither the manifest's WebApplicationInfo nor --scopes (the app registration's) nor an MSAL call names them, so requested and needed cannot be compared.`, location: counted[0]!.location ?? { file: counted[0]!.trace!.file, line: 1, column: 1 } });
  } else {
    for (const c of counted) {
      if (c.accepted.some((a) => requested.includes(a))) continue;
      missing.push({ call: `${c.method} ${c.url}`, needs: c.needs!, ...(c.location ? { location: c.location } : {}) });
      const basicOnly = c.note && requested.some((r) => r.startsWith("Mail.ReadBasic"));
      findings.push({
        rule: "graph-scope-missing",
        level: "error",
        message: `${c.method} ${c.url} needs ${c.needs}${c.accepted.length > 1 ? ` (or ${c.accepted.slice(1).join(", ")})` : ""}; the add-in asks only ${requested.join(", ") || "no Graph scope"}: Graph ${basicOnly ? "withholds the body (Mail.ReadBasic)" : "answers 403 ErrorAccessDenied"}${c.mailbox === "other" ? " (another user's mailbox needs a .Shared scope)" : ""}.`,
        ...(c.location ? { location: c.location } : { location: { file: c.trace!.file, line: 1, column: 1 } }),
      });
    }
  }
  const excess: GraphReport["excess"] = [];
  if (hasEvidence) {
    for (const r of requested) {
      if (needed.includes(r)) continue;
      const without = requested.filter((x) => x !== r);
      const onlyByR = counted.filter((c) => c.accepted.includes(r) && !c.accepted.some((a) => without.includes(a)));
      const instead = [...new Set(onlyByR.map((c) => c.needs!))].sort(order);
      // r is what some call needs, given the rest of what is asked (Mail.ReadBasic with no Mail.Read): not excess.
      if (instead.includes(r)) continue;
      excess.push({ scope: r, ...(instead.length ? { instead: instead.join(", ") } : {}) });
      const where = requestedFrom.includes("code") ? scopeRequests.find((s) => s.scopes.some((x) => graphScope(x) === r))?.location : undefined;
      findings.push({
        rule: "graph-scope-excess",
        level: "warning",
        message: instead.length
          ? `The add-in asks for ${r} where ${instead.join(", ")} is enough for every Graph call the evidence shows.`
          : `The add-in asks for ${r}, but no Graph call in the evidence needs it.`,
        ...(where ? { location: where } : declared.file ? { manifest: { file: declared.file } } : {}),
      });
    }
  }
  // Without code or traces nothing is known about the calls: the requested scopes are listed, not judged.
  const verdict: GraphReport["verdict"] = !hasEvidence ? "none" : requestedFrom.length === 0 ? (counted.length ? "undeclared" : "none") : missing.length ? "under-privileged" : excess.length ? "over-privileged" : counted.length || requested.length ? "exact" : "none";
  return { requested, requestedFrom, codeScopes, needed, verdict, missing, excess, calls };
}

export function graphSummary(g: GraphReport): string {
  const first = g.missing[0];
  if (g.verdict === "none") return g.requested.length ? `asks ${g.requested.join(", ")}; not judged (no code)` : "no Graph calls";
  if (g.verdict === "undeclared") return `needs ${g.needed.join(", ")}; requested scopes unknown`;
  const asks = g.requested.length ? g.requested.join(", ") : "no Graph scope";
  const needs = g.needed.length ? g.needed.join(", ") : "none";
  return `asks ${asks}, needs ${needs} — ${g.verdict === "exact" ? "exact" : g.verdict.toUpperCase()}${first ? ` (${first.call} needs ${first.needs})` : ""}`;
}
