/**
 * THE choke point. Every call from an add-in, whatever the transport (postMessage + HTTP, or the headless sandbox),
 * comes through `dispatch`: the message is parsed, its session found, its MAC and sequence checked, its item
 * compared, the permission table consulted through decide(), its arguments validated, and only then does the
 * member run. Nothing the page sends about permissions is trusted. Every authenticated call is traced.
 */
import { performance } from "node:perf_hooks";
import { MailboxError, rightsCanWrite, type Item, type MailboxRights, type MailboxStore } from "../../mailbox/index.ts";
import { decide, ERROR_CODES, officeError, type Deny } from "../../permissions/index.ts";
import { OfficeCallError, type CallContext } from "../members/context.ts";
import { MEMBERS } from "../members/registry.ts";
import { storageLimitError } from "../members/storage-limits.ts";
import { stateToJson, type Session, type SessionStore } from "../session.ts";
import { invalidatesItem, ItemCache } from "./item-cache.ts";
import type { EwsExecutor } from "../members/ews.ts";
import { shortMember, summarizeArgs } from "../trace.ts";
import { bootstrap, BOOTSTRAP_MEMBER } from "./bootstrap.ts";
import { CallMessageSchema, PROTOCOL_VERSION, type CallMessage, type CallResult } from "./protocol.ts";
import { verify } from "./sign.ts";
import { bodyBudget } from "./body-limits.ts";

export interface BridgeHost {
  readonly sessions: SessionStore;
  readonly store: MailboxStore;
  /** Base URL the add-in sees for ewsUrl/restUrl. */
  readonly baseUrl?: string;
  /** Per-session item cache, validated by the session's epoch; absent: the item is read on every call. */
  readonly items?: ItemCache;
  /** Runs makeEwsRequestAsync's SOAP request through the server's EWS operations; absent: 5000. */
  readonly ews?: EwsExecutor;
}

/** A refusal before any session is trusted: no trace (an attacker must not write into someone's trace). */
function refuse(seq: number, reason: string, code: number = ERROR_CODES.permissionDenied): CallResult {
  return { v: PROTOCOL_VERSION, seq, outcome: "denied", error: officeError(code), reason };
}

function seqOf(raw: unknown): number {
  const s = (raw as { seq?: unknown } | null)?.seq;
  return typeof s === "number" && Number.isSafeInteger(s) ? s : 0;
}

export interface DispatchOptions {
  /** Size of the message on the wire (HTTP body bytes): checked against the member's budget from the table. */
  bodyBytes?: number;
}

export async function dispatch(host: BridgeHost, raw: unknown, options: DispatchOptions = {}): Promise<CallResult> {
  const parsed = CallMessageSchema.safeParse(raw);
  if (!parsed.success) return refuse(seqOf(raw), "malformed", ERROR_CODES.invalidApiCall);
  const message = parsed.data;
  if (options.bodyBytes !== undefined && options.bodyBytes > bodyBudget(message.member)) return refuse(message.seq, "tooLarge", ERROR_CODES.invalidApiCall);
  // The database cannot hold U+0000 in text; refused here, in the bridge's own terms, before it reaches a member or the trace.
  const bad = badArgs([message.member, message.item, message.args]);
  if (bad) return refuse(message.seq, bad, ERROR_CODES.invalidApiCall);
  // Only after the MAC is the sequence number claimed: someone without the secret must not burn a session's numbers.
  const admitted = await host.sessions.admit(message.session, message.seq, (secret) => verify(secret, message));
  if ("refused" in admitted) return refuse(message.seq, admitted.refused);
  const { session, rights } = admitted;
  return traced(host, session, message, rights);
}

async function traced(host: BridgeHost, session: Session, message: CallMessage, rights: MailboxRights | null | undefined): Promise<CallResult> {
  const started = performance.now();
  const stateBefore = JSON.stringify(stateToJson(session.state));
  const result = await execute(host, session, message, rights);
  if (result.outcome !== "denied" && invalidatesItem(message.member)) {
    await host.sessions.bumpEpoch(session);
    host.items?.delete(session.id);
  }
  if (JSON.stringify(stateToJson(session.state)) !== stateBefore) await host.sessions.saveState(session);
  const ms = Math.round((performance.now() - started) * 1000) / 1000;
  // Not awaited: the entry is written while the answer travels (trace() waits for it); a failed write is lost, not fatal.
  host.sessions.record(session, {
    seq: message.seq,
    member: shortMember(message.member),
    path: message.member,
    args: summarizeArgs(message.args),
    outcome: result.outcome,
    code: result.error?.code ?? 0,
    ms,
    at: new Date().toISOString(),
    ...(result.reason ? { detail: result.reason } : {}),
  }).catch(() => undefined);
  return result;
}

function denied(seq: number, d: Deny): CallResult {
  const surface = d.surface.kind;
  return {
    v: PROTOCOL_VERSION,
    seq,
    outcome: "denied",
    error: d.error,
    surface,
    ...(d.surface.kind === "throw" ? { thrown: d.surface.message } : {}),
    reason: `${d.reason}: ${d.detail}`,
  };
}

function failed(seq: number, code: number, reason?: string): CallResult {
  return { v: PROTOCOL_VERSION, seq, outcome: "failed", error: officeError(code), ...(reason ? { reason } : {}) };
}

async function execute(host: BridgeHost, session: Session, message: CallMessage, knownRights: MailboxRights | null | undefined): Promise<CallResult> {
  const { spec } = session;
  // The page names the item it is on; a message about any other item is refused whatever its member.
  if (message.item !== spec.itemId) return refuse(message.seq, "wrongItem");
  // The user's CURRENT rights on the mailbox, on every call (read with the admission where the store can, kept for
  // this call only): a delegate whose right was revoked loses the session at once, whatever the member, reads included.
  const rights = knownRights === undefined ? await host.store.mailboxes.rightsOf(spec.userId, spec.mailboxId) : (knownRights ?? undefined);
  if (!rights) {
    await host.sessions.close(session.id);
    host.items?.delete(session.id);
    return failed(message.seq, 9038, "mailboxRightsRevoked");
  }
  if (message.member === BOOTSTRAP_MEMBER) {
    return { v: PROTOCOL_VERSION, seq: message.seq, outcome: "ok", value: await bootstrap(host, session) };
  }
  const first = message.args[0];
  const decision = decide(
    {
      path: message.member,
      mode: spec.form,
      itemType: spec.itemType,
      hasItemContext: spec.itemId !== null,
      args: {
        ...(typeof first === "string" ? { entityType: first } : {}),
        ...(first && typeof first === "object" && typeof (first as { isRest?: unknown }).isRest === "boolean" ? { isRest: (first as { isRest: boolean }).isRest } : {}),
      },
    },
    session.grant,
  );
  if (!decision.allowed) return denied(message.seq, decision);
  // The manifest's tier says what the add-in may do; the user's rights on the mailbox say what the user may.
  // A write needs both, whatever the member's tier: a reviewer delegate never writes through an add-in (not even
  // custom properties, a ReadItem member).
  if (mailboxAccess(decision.member.path) === "write" && !rightsCanWrite(rights as MailboxRights)) return failed(message.seq, 9038, "insufficientMailboxRights");
  const impl = MEMBERS.get(decision.member.path);
  if (!impl) return failed(message.seq, ERROR_CODES.hostError, "notImplemented");
  const args = impl.args.safeParse(message.args);
  if (!args.success) return failed(message.seq, 9031, "invalidArguments");
  try {
    const value = await impl.run(contextFor(host, session), args.data);
    return { v: PROTOCOL_VERSION, seq: message.seq, outcome: "ok", value: value === undefined ? null : value };
  } catch (e) {
    if (e instanceof OfficeCallError)
      return { v: PROTOCOL_VERSION, seq: message.seq, outcome: "failed", error: e.error, ...(e.thrown !== undefined ? { surface: "throw" as const, thrown: e.thrown } : {}) };
    // A storage limit answers the error the permission table names for it (attachments, recipients, body, headers …).
    if (e instanceof MailboxError && e.code === "LimitExceeded") return { v: PROTOCOL_VERSION, seq: message.seq, outcome: "failed", error: storageLimitError(e.limit), reason: `LimitExceeded:${e.limit ?? "unknown"}` };
    if (e instanceof MailboxError) return failed(message.seq, 5001, e.code);
    return failed(message.seq, 5001, "internal");
  }
}

/**
 * Members that change only what lives with the session or the user, not the mailbox: page-side custom property
 * edits (saveAsync is what writes), session data, notification messages, roaming settings (the user's own, per
 * add-in), event completion, closing or unloading forms. EWS requests are checked per operation by the EWS surface
 * itself, against the same rights.
 */
const NOT_MAILBOX_WRITES =
  /^Office\.(CustomProperties\.(set|remove)|context\.mailbox\.item\.(sessionData|notificationMessages)\.\w+|context\.roamingSettings\.\w+|(MailboxEvent|AddinCommands\.Event)\.completed|context\.mailbox\.item\.close|Loaded\w+\.unloadAsync|context\.mailbox\.makeEwsRequestAsync)$/;

/** Whether a member needs the user's write rights on the mailbox (reads need any right at all). */
export function mailboxAccess(path: string): "read" | "write" {
  return invalidatesItem(path) && !NOT_MAILBOX_WRITES.test(path) ? "write" : "read";
}

/** Arguments deeper than this are refused: no Office.js member takes more than a few levels. */
export const MAX_ARGS_DEPTH = 32;

/** "nul" when a string or key holds U+0000, "deep" past MAX_ARGS_DEPTH; a loop, never recursion over the input. */
function badArgs(args: unknown[]): "nulCharacter" | "tooDeep" | undefined {
  const stack: Array<[unknown, number]> = [[args, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\u0000")) return "nulCharacter";
    } else if (v && typeof v === "object") {
      if (depth >= MAX_ARGS_DEPTH) return "tooDeep";
      for (const [k, child] of Object.entries(v)) {
        if (k.includes("\u0000")) return "nulCharacter";
        stack.push([child, depth + 1]);
      }
    }
  }
  return undefined;
}

export function contextFor(host: BridgeHost, session: Session): CallContext {
  let cached: Promise<Item> | undefined;
  const load = async () => {
    const id = session.spec.itemId;
    const item = id ? await host.store.items.get(id) : undefined;
    // The session is bound to one item in one mailbox; anything else is treated as gone.
    if (!item || item.mailboxId !== session.spec.mailboxId) throw new OfficeCallError(9030);
    return item;
  };
  return {
    store: host.store,
    session,
    ...(host.ews ? { ews: host.ews } : {}),
    ...(host.baseUrl ? { baseUrl: host.baseUrl } : {}),
    item() {
      cached ??= host.items ? host.items.get(session.id, session.epoch, load) : load();
      return cached;
    },
  };
}
