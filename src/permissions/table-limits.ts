/**
 * A limit of the permission table by row and name, for code that enforces it elsewhere (the mailbox store, the
 * runtime's members): the number is written once, in `api-table.ts`, and read from there.
 */
import { API_TABLE } from "./api-table.ts";
import type { Limit } from "./api-types.ts";

const ROWS = new Map(API_TABLE.map((r) => [r.path, r]));

/** The row's limit described by `what` (e.g. "recipients per field"); a missing one is a programming error. */
export function tableLimitOf(path: string, what: string): Limit {
  const limit = ROWS.get(path)?.limits?.find((l) => l.what === what);
  if (!limit) throw new RangeError(`The permission table has no limit "${what}" for ${path}`);
  return limit;
}
