/**
 * The permission table's limits, enforced: before a member runs, every limit of its row that has a `check` is
 * measured on the call's arguments and, when exceeded, answered with the error the row names (DataExceedsMaximumSize,
 * NumberOfRecipientsExceeded …). Limits that depend on state are read by the members with `tableLimit()`.
 * No member keeps its own copy of a number the table holds.
 */
import { API_TABLE, officeErrorCode, OFFICE_ERRORS_BY_NAME, type ApiMember, type Limit } from "../../permissions/index.ts";
import { OfficeCallError } from "./context.ts";

const ROWS: ReadonlyMap<string, ApiMember> = new Map(API_TABLE.map((r) => [r.path, r]));

/** The row's limit described by `what` (e.g. "recipients per field"); a missing one is a programming error. */
export function tableLimit(path: string, what: string): Limit {
  const limit = ROWS.get(path)?.limits?.find((l) => l.what === what);
  if (!limit) throw new RangeError(`The permission table has no limit "${what}" for ${path}`);
  return limit;
}

/** The largest value measured for a checked limit, or undefined when the argument is absent or of another shape. */
export function measure(limit: Limit, args: readonly unknown[]): number | undefined {
  const c = limit.check;
  if (!c) return undefined;
  const v = args[c.arg];
  switch (c.measure) {
    case "length":
      return typeof v === "string" ? v.length : undefined;
    case "count":
      return Array.isArray(v) ? v.length : undefined;
    case "eachLength": {
      if (!Array.isArray(v)) return undefined;
      let max = 0;
      for (const e of v) {
        const s = typeof e === "string" ? (c.field === "emailAddress" ? e : undefined) : e && typeof e === "object" ? (e as Record<string, unknown>)[c.field ?? ""] : undefined;
        if (typeof s === "string" && s.length > max) max = s.length;
      }
      return max;
    }
  }
}

/** The Office error a limit answers with when exceeded (catalogue name in `onExceed`; otherwise 9031). */
export function limitError(limit: Limit): OfficeCallError {
  const name = limit.onExceed && OFFICE_ERRORS_BY_NAME.has(limit.onExceed) ? limit.onExceed : "InvalidParameterValueError";
  const code = officeErrorCode(name);
  if (name === "DataExceedsMaximumSize") return new OfficeCallError(code, [limit.check?.param ?? "data", limit.max.toLocaleString("en-US")]);
  if (name === "NumberOfRecipientsExceeded") return new OfficeCallError(code, [String(limit.max)]);
  return new OfficeCallError(code);
}

/** Throws the row's documented error for the first checked limit the arguments exceed. */
export function enforceLimits(path: string, args: readonly unknown[]): void {
  for (const limit of ROWS.get(path)?.limits ?? []) {
    const got = measure(limit, args);
    if (got !== undefined && got > limit.max) throw limitError(limit);
  }
}
