/**
 * How many bytes one bridge message may take on the wire, per member, from the permission table's limits (read
 * here, defined there: no second table). The HTTP body limit of /bridge/call is the largest of these, so the 25 MB
 * attachment members fit (the old flat 1 MiB refused them), while a member whose data is capped at 2,500
 * characters cannot be sent 30 MB of it.
 *
 * A limit in characters may take up to 3 UTF-8 bytes per UTF-16 code unit on the wire (6 for an escaped control
 * character: such a message is refused as too large, as it would be by Outlook's own character limit long before);
 * Base64 content is ASCII, one byte per character. Every message gets ENVELOPE_BYTES on top for the JSON around it.
 */
import { API_TABLE, type Limit } from "../../permissions/index.ts";

/** Room for the envelope (session, seq, mac, member, item id) and the other small arguments. */
export const ENVELOPE_BYTES = 64 * 1024;
/** Members without a size limit in the table: their arguments are small (names, options, ids). */
export const DEFAULT_MEMBER_BYTES = 1024 * 1024;

const wireBytes = (l: Limit): number => (l.unit === "bytes" ? l.max : l.unit === "chars" ? l.max * (/base64/i.test(l.what) ? 1 : 3) : 0);

const BUDGETS: ReadonlyMap<string, number> = new Map(
  API_TABLE.map((row) => {
    const sized = (row.limits ?? []).map(wireBytes).filter((n) => n > 0);
    return [row.path, Math.max(DEFAULT_MEMBER_BYTES, ...sized) + ENVELOPE_BYTES];
  }),
);

/** The byte budget of one message calling `member` (unknown members: the default). */
export function bodyBudget(member: string): number {
  return BUDGETS.get(member) ?? DEFAULT_MEMBER_BYTES + ENVELOPE_BYTES;
}

/** The largest budget of any member: the HTTP body limit of the bridge's call endpoint. */
export const MAX_BRIDGE_BODY_BYTES = Math.max(...BUDGETS.values());
