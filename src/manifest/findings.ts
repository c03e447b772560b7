/** A validation finding: stable code, severity, a sentence a person understands, and where. */
import type { SourcePosition } from "./model.ts";

export type Severity = "error" | "warning";

export interface Finding {
  severity: Severity;
  code: string;
  message: string;
  line?: number;
  column?: number;
  pointer?: string;
}

export function finding(severity: Severity, code: string, message: string, pos?: SourcePosition): Finding {
  const f: Finding = { severity, code, message };
  if (pos?.line !== undefined) f.line = pos.line;
  if (pos?.column !== undefined) f.column = pos.column;
  if (pos?.pointer !== undefined) f.pointer = pos.pointer;
  return f;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === "error");
}

export function formatFinding(file: string, f: Finding): string {
  const where = f.line !== undefined ? `${file}:${f.line}:${f.column ?? 1}` : f.pointer !== undefined ? `${file}#${f.pointer}` : file;
  return `${where}: ${f.severity} ${f.code}: ${f.message}`;
}
