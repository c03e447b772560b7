/** What every bridge call leaves behind: one entry per call, readable back per session (the auditor reads it). */
import type { Outcome } from "./bridge/protocol.ts";

export interface TraceEntry {
  seq: number;
  /** Path relative to Office.context.mailbox where it lies under it (`item.body.getAsync`), else the full path. */
  member: string;
  path: string;
  /** Short, bounded summary of the arguments: types and sizes, never contents of bodies. */
  args: string;
  outcome: Outcome;
  /** Office error code; 0 when the call succeeded. */
  code: number;
  ms: number;
  at: string;
  detail?: string;
}

const MAILBOX_PREFIX = "Office.context.mailbox.";
export const MAX_TRACE_ENTRIES = 10_000;

export function shortMember(path: string): string {
  return path.startsWith(MAILBOX_PREFIX) ? path.slice(MAILBOX_PREFIX.length) : path.replace(/^Office\.context\./, "");
}

/** Types and lengths only: a trace must not become a copy of the mailbox. */
export function summarizeArgs(args: readonly unknown[]): string {
  return args
    .map((a) => {
      if (a === null) return "null";
      if (typeof a === "string") return a.length <= 24 && /^[\w.:@ -]*$/.test(a) ? JSON.stringify(a) : `string(${a.length})`;
      if (typeof a === "number" || typeof a === "boolean") return String(a);
      if (Array.isArray(a)) return `array(${a.length})`;
      if (typeof a === "object") return `{${Object.keys(a as object).slice(0, 6).join(",")}}`;
      return typeof a;
    })
    .join(", ")
    .slice(0, 200);
}
