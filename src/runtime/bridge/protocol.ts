/**
 * The bridge wire format, version 1. Every call an add-in makes travels as a CallMessage from the page (or the
 * headless sandbox's host side) to the server's dispatch; the answer is a CallResult. Shapes are strict: an unknown
 * key (e.g. a `tier` smuggled into the message) makes the message malformed.
 */
import { z } from "zod";
import { PROTOCOL_VERSION } from "./version.ts";

export { PROTOCOL_VERSION };
/** Limits named after what they stop: a huge argument list or member path is a parser-exhaustion attempt. */
export const MAX_ARGS = 16;
export const MAX_MEMBER_PATH = 200;
export const MAX_ARGS_JSON_CHARS = 5 * 1024 * 1024;

const json: z.ZodType<unknown> = z.unknown();

export const CallMessageSchema = z
  .object({
    v: z.literal(PROTOCOL_VERSION),
    session: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    /** Strictly increasing per session: a replayed or reordered message is refused. */
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    /** The item the page believes it is on; must equal the session's item (null when none is open). */
    item: z.string().max(200).nullable(),
    /** Full Office.js path as in the permission table, e.g. `Office.context.mailbox.item.body.getAsync`. */
    member: z.string().min(1).max(MAX_MEMBER_PATH),
    /** JSON arguments in call order; callbacks and asyncContext stay on the page. */
    args: z.array(json).max(MAX_ARGS),
    /** hex HMAC-SHA256 of the canonical message with the session secret. */
    mac: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

export type CallMessage = z.infer<typeof CallMessageSchema>;
export type UnsignedCall = Omit<CallMessage, "mac">;

export const OUTCOMES = ["ok", "denied", "failed"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface CallError {
  code: number;
  name: string;
  message: string;
}

export interface CallResult {
  v: typeof PROTOCOL_VERSION;
  seq: number;
  outcome: Outcome;
  value?: unknown;
  error?: CallError;
  /** For denials: how Office.js surfaces it (throw synchronously, withhold, async error). */
  surface?: "throw" | "withhold" | "asyncError" | "absent" | "filterEntities";
  /** For a `throw` surface: the exact message office.js throws. */
  thrown?: string;
  /** Why a call was refused, for logs and tests (never needed by the add-in). */
  reason?: string;
}

/** The bytes the MAC covers: every field but the MAC, in a fixed order. */
export function canonical(m: UnsignedCall): string {
  return JSON.stringify([m.v, m.session, m.seq, m.item, m.member, m.args]);
}
