/**
 * Traces of real runs: `outpost run --json` ({"trace": [{member, outcome, code, ms}], …}), a server session's
 * `GET /bridge/sessions/:id/trace` ({session, addinId, tier, trace: TraceEntry[]}), `outpost/testing`'s
 * `result.trace` saved as a JSON array, or one entry per line. Members are stored short (`item.body.getAsync`,
 * `roamingSettings.get`) or full; each is mapped back to the full path of its table row. Network requests count too:
 * entries with `method` and `url` (or a browser's HAR export, `log.entries[].request`) that go to Microsoft Graph are
 * Graph calls, judged by the scopes their routes accept.
 */
import { readFile } from "node:fs/promises";
import { lookupMember } from "../permissions/index.ts";
import { unreadable } from "./sources.ts";
import type { Finding } from "./types.ts";
import { isGraphUrl, type TraceGraphCall } from "./graph.ts";

export interface TraceCall {
  file: string;
  index: number;
  /** As written in the trace. */
  member: string;
  /** Full path (`Office.context.mailbox.item.body.getAsync`). */
  path: string;
  outcome?: string;
  code?: number;
  seq?: number;
  /** "page": refused by office.js on the page before any round trip. */
  where?: string;
}

const MAX_TRACE_BYTES = 64 * 1024 * 1024;

/** `item.body.getAsync` → `Office.context.mailbox.item.body.getAsync`; a path the table does not know stays as the best guess. */
export function fullPath(member: string): string {
  if (member.startsWith("Office.")) return member;
  for (const candidate of [`Office.context.mailbox.${member}`, `Office.context.${member}`]) if (lookupMember(candidate)) return candidate;
  return `Office.context.mailbox.${member}`;
}

function entriesOf(doc: unknown): unknown[] | undefined {
  if (Array.isArray(doc)) return doc;
  // HAR: {log: {entries: [{request: {method, url}, response: {status}}]}}
  const har = (doc as { log?: { entries?: unknown } } | undefined)?.log?.entries;
  if (Array.isArray(har)) return har.map((e) => ({ method: (e as { request?: { method?: unknown } })?.request?.method, url: (e as { request?: { url?: unknown } })?.request?.url, status: (e as { response?: { status?: unknown } })?.response?.status }));
  if (doc && typeof doc === "object" && Array.isArray((doc as { trace?: unknown }).trace)) return (doc as { trace: unknown[] }).trace;
  return undefined;
}

/** Reads a trace; Graph requests in it go to `graph` when given. */
export async function readTrace(file: string, findings: Finding[], graph?: TraceGraphCall[]): Promise<TraceCall[]> {
  let text: string;
  try {
    const buf = await readFile(file);
    if (buf.length > MAX_TRACE_BYTES) {
      findings.push({ rule: "unreadable-input", level: "error", message: `${file}: larger than ${MAX_TRACE_BYTES} bytes; trace not read.`, location: { file, line: 1, column: 1 } });
      return [];
    }
    text = buf.toString("utf8");
  } catch (e) {
    findings.push(unreadable(file, e));
    return [];
  }
  let entries: unknown[] | undefined;
  const lines: number[] = [];
  try {
    entries = entriesOf(JSON.parse(text));
  } catch {
    // One JSON value per line (entries, or several run outputs).
    entries = [];
    const rows = text.split("\n");
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i].trim();
      if (!row) continue;
      let doc: unknown;
      try {
        doc = JSON.parse(row);
      } catch (e) {
        findings.push({ rule: "unreadable-input", level: "error", message: `${file}:${i + 1}: not JSON (${(e as Error).message}); the line is skipped.`, location: { file, line: i + 1, column: 1 } });
        continue;
      }
      const inner = entriesOf(doc);
      for (const entry of inner ?? [doc]) {
        entries.push(entry);
        lines.push(i + 1);
      }
    }
  }
  if (!entries) {
    findings.push({ rule: "unreadable-input", level: "error", message: `${file}: not a trace (expected {"trace": [...]}, an array of entries, or one entry per line).`, location: { file, line: 1, column: 1 } });
    return [];
  }
  const calls: TraceCall[] = [];
  entries.forEach((entry, index) => {
    const e = entry as { member?: unknown; path?: unknown; outcome?: unknown; code?: unknown; seq?: unknown; where?: unknown; method?: unknown; url?: unknown; status?: unknown };
    const member = typeof e?.path === "string" ? e.path : typeof e?.member === "string" ? e.member : undefined;
    if (!member && typeof e?.url === "string" && typeof e.method === "string") {
      if (graph && isGraphUrl(e.url)) graph.push({ file, index, method: e.method.toUpperCase(), url: e.url.slice(0, 300), ...(typeof e.status === "number" ? { status: e.status } : {}) });
      return;
    }
    if (!member) {
      findings.push({ rule: "unreadable-input", level: "warning", message: `${file}: entry ${index + 1}${lines[index] ? ` (line ${lines[index]})` : ""} has no member; skipped.`, location: { file, line: lines[index] ?? 1, column: 1 } });
      return;
    }
    calls.push({
      file,
      index,
      member: typeof e.member === "string" ? e.member : member,
      path: fullPath(member),
      ...(typeof e.outcome === "string" ? { outcome: e.outcome } : {}),
      ...(typeof e.code === "number" ? { code: e.code } : {}),
      ...(typeof e.seq === "number" ? { seq: e.seq } : {}),
      ...(typeof e.where === "string" ? { where: e.where } : {}),
    });
  });
  return calls;
}
