/** The sentences the web client shows in its business bar, one per event. Outpost's own wording. */
import type { GovernanceKind } from "./types.ts";

export interface TextInput {
  kind: GovernanceKind;
  name: string;
  measured?: number;
  threshold?: number;
  count?: number;
  limit?: number;
  disabled: boolean;
  detail?: string;
}

function num(n: number | undefined): string {
  if (n === undefined) return "?";
  return (Math.round(n * 10) / 10).toLocaleString("en-US");
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? "?" : `${num(ms / 1000)} s`;
}

/** Why, in a few words, for the disabled sentence. */
function cause(i: TextInput): string {
  switch (i.kind) {
    case "activation-timeout":
      return `its activation rules took too long to evaluate ${i.limit ?? "?"} times (limit ${num(i.threshold)} ms each)`;
    case "initialization-failure":
      return `it failed to start ${i.count ?? "?"} times (limit ${i.limit ?? "?"})`;
    case "cpu":
      return `it kept a processor core busy (over ${num(i.threshold)} % at ${i.count ?? "?"} checks)`;
    case "memory":
      return `it used too much memory (${num(i.measured)} MB, limit ${num(i.threshold)} MB)`;
    case "crash":
      return `it stopped working ${i.count ?? "?"} times (limit ${i.limit ?? "?"})`;
    case "unresponsive":
      return `it stopped responding for ${num(i.measured)} s (limit ${num(i.threshold)} s)`;
    case "disabled":
      return i.detail ? i.detail : "an administrator disabled it";
    case "reenabled":
      return "";
  }
}

export function eventText(i: TextInput): string {
  const name = `'${i.name}'`;
  if (i.kind === "reenabled") return `${name} was re-enabled.`;
  if (i.disabled) return `Outpost disabled ${name} because ${cause(i)}.`;
  const tally = i.count !== undefined && i.limit !== undefined ? ` (${i.count} of ${i.limit} before it is disabled)` : "";
  switch (i.kind) {
    case "activation-timeout":
      return `${name} took too long to evaluate its activation rules (${num(i.measured)} ms, limit ${num(i.threshold)} ms)${tally}.`;
    case "initialization-failure":
      return i.measured !== undefined
        ? `${name} did not start in time (${seconds(i.measured)}, limit ${seconds(i.threshold)})${tally}.`
        : `${name} failed to start${i.detail ? `: ${i.detail}` : ""}${tally}.`;
    case "cpu":
      return `${name} kept a processor core ${num(i.measured)} % busy (limit ${num(i.threshold)} %)${tally}.`;
    case "memory":
      return `${name} is using ${num(i.measured)} MB of memory (limit ${num(i.threshold)} MB).`;
    case "crash":
      return `${name} stopped working and was restarted${tally}.`;
    case "unresponsive":
      return `${name} did not respond for ${num(i.measured)} s (limit ${num(i.threshold)} s).`;
    case "disabled":
      return `Outpost disabled ${name} because ${cause(i)}.`;
  }
}
