/**
 * Bridge sessions: one per (user, add-in, item, form, client). The server creates it and keeps the grant; the page
 * only ever holds an unguessable id, and the host side (never the add-in's own code) the secret that signs messages.
 *
 * Sessions live behind one interface, `SessionStore`: the app server keeps them in the database (SqlSessionStore,
 * so several servers share them and none keeps state between requests); the headless runner, a single process by
 * nature, may keep them in memory (MemorySessionStore).
 */
import { randomBytes } from "node:crypto";
import type { Grant, ItemType, Mode, Supplementary, TenantPolicy, Tier } from "../permissions/index.ts";
import type { MailboxRights } from "../mailbox/index.ts";
import type { ActivationSnapshot } from "./members/activation.ts";
import type { TraceEntry } from "./trace.ts";
import { MAX_TRACE_ENTRIES } from "./trace.ts";

export interface SessionSpec {
  tenantId: string;
  userId: string;
  mailboxId: string;
  addinId: string;
  addinName?: string;
  /** The open item; null for an item-less context (pinned pane, event runtime without item). */
  itemId: string | null;
  form: Mode;
  itemType: ItemType;
  client: string;
  tier: Tier;
  supplementary: readonly Supplementary[];
  tenant: TenantPolicy;
  /** The manifest's activation rules (regexes, entity rules), for getRegExMatches / getEntities. */
  activation?: ActivationSnapshot;
  ttlMs?: number;
  /** The sign-in session that opened it (web); the bridge session ends when that one does. Absent: headless. */
  signInSession?: string;
}

/** Per-session state that lives only as long as the compose/read session in Outlook does. */
export interface SessionState {
  sessionData: Map<string, string>;
  notifications: Map<string, Record<string, unknown>>;
  /** What the add-in asked of the host's UI (Outpost has none to show): recorded so tests and audits can see it. */
  host: HostRecords;
}

/** Bounded lists (oldest dropped past HOST_RECORDS_MAX) of forms the add-in asked to display and events it completed. */
export interface HostRecords {
  displayedForms: Array<Record<string, unknown>>;
  completions: Array<Record<string, unknown>>;
  /** The item loaded with loadItemByIdAsync and not yet unloaded (Outlook holds one at a time). */
  loadedItemId: string | null;
}

export const HOST_RECORDS_MAX = 100;

export function emptyHostRecords(): HostRecords {
  return { displayedForms: [], completions: [], loadedItemId: null };
}

export interface Session {
  readonly id: string;
  readonly secret: Buffer;
  readonly spec: SessionSpec;
  readonly grant: Grant;
  readonly createdAt: number;
  expiresAt: number;
  lastSeq: number;
  /** Bumped by every write through the bridge: cached copies of the item are valid for one epoch only. */
  epoch: number;
  readonly state: SessionState;
  closed: boolean;
}

export const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000;

/** Why a call was not admitted to its session, in the bridge's own words. */
export type Refusal = "expiredSession" | "unknownSession" | "badMac" | "replay";

/**
 * A call admitted to its session: the session as it stands after the call's sequence number was claimed. `rights`:
 * the user's current rights on the session's mailbox when the store read them in the same round trip (null: none
 * left); undefined when it did not, and the caller reads them itself.
 */
export type Admission = { session: Session; rights?: MailboxRights | null } | { refused: Refusal };

export interface SessionStore {
  open(spec: SessionSpec): Promise<Session>;
  /**
   * Admits one call: the session is live, `authentic(secret)` holds (checked before the sequence number is claimed,
   * so nobody without the secret burns a session's numbers), and `seq` is claimed only if it is above every seq
   * accepted before, atomically: of two servers handed the same message, exactly one admits it.
   */
  admit(id: string, seq: number, authentic: (secret: Buffer) => boolean): Promise<Admission>;
  /** The live session; "expired" when known but past its expiry; undefined when unknown or closed. */
  get(id: string): Promise<Session | "expired" | undefined>;
  /** May finish after the call was answered; trace() sees every entry recorded before it was called. */
  record(session: Session, entry: TraceEntry): Promise<void>;
  trace(id: string): Promise<TraceEntry[]>;
  /** Persists `session.state` after a member changed it. */
  saveState(session: Session): Promise<void>;
  /** Marks a write through the bridge: the session's epoch goes up, so every cached copy of its item is stale. */
  bumpEpoch(session: Session): Promise<void>;
  close(id: string): Promise<void>;
}

export function newSession(spec: SessionSpec, now: number): Session {
  return {
    id: randomBytes(24).toString("base64url"),
    secret: randomBytes(32),
    spec,
    grant: grantOf(spec),
    createdAt: now,
    expiresAt: now + (spec.ttlMs ?? DEFAULT_TTL_MS),
    lastSeq: 0,
    epoch: 0,
    state: { sessionData: new Map(), notifications: new Map(), host: emptyHostRecords() },
    closed: false,
  };
}

export function grantOf(spec: SessionSpec): Grant {
  return { tier: spec.tier, supplementary: [...spec.supplementary], tenant: spec.tenant };
}

export function stateToJson(state: SessionState): { sessionData: [string, string][]; notifications: [string, Record<string, unknown>][]; host: HostRecords } {
  return { sessionData: [...state.sessionData], notifications: [...state.notifications], host: state.host };
}

export function stateFromJson(json: unknown): SessionState {
  const j = (json ?? {}) as Partial<ReturnType<typeof stateToJson>>;
  return { sessionData: new Map(j.sessionData ?? []), notifications: new Map(j.notifications ?? []), host: { ...emptyHostRecords(), ...(j.host ?? {}) } };
}

/** In-process sessions: for the headless runner and the test SDK (one process, nothing to share). */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly traces = new Map<string, TraceEntry[]>();
  constructor(private readonly now: () => number = Date.now) {}

  async open(spec: SessionSpec): Promise<Session> {
    const session = newSession(spec, this.now());
    this.sessions.set(session.id, session);
    this.traces.set(session.id, []);
    return session;
  }

  async get(id: string): Promise<Session | "expired" | undefined> {
    const s = this.sessions.get(id);
    if (!s || s.closed) return undefined;
    if (s.expiresAt <= this.now()) {
      // Forget it, but remember the id as expired so the error says so; no trace is kept past expiry.
      this.traces.delete(id);
      return "expired";
    }
    return s;
  }

  async admit(id: string, seq: number, authentic: (secret: Buffer) => boolean): Promise<Admission> {
    const session = await this.get(id);
    if (session === "expired") return { refused: "expiredSession" };
    if (!session) return { refused: "unknownSession" };
    if (!authentic(session.secret)) return { refused: "badMac" };
    // One thread: the check and the update cannot interleave with another call.
    if (seq <= session.lastSeq) return { refused: "replay" };
    session.lastSeq = seq;
    return { session };
  }

  async record(session: Session, entry: TraceEntry): Promise<void> {
    const trace = this.traces.get(session.id);
    if (!trace) return;
    if (trace.length >= MAX_TRACE_ENTRIES) trace.shift();
    trace.push(entry);
  }

  async trace(id: string): Promise<TraceEntry[]> {
    return [...(this.traces.get(id) ?? [])];
  }

  async saveState(): Promise<void> {
    // The state object is the stored one.
  }

  async bumpEpoch(session: Session): Promise<void> {
    session.epoch += 1;
  }

  async close(id: string): Promise<void> {
    const s = this.sessions.get(id);
    if (s) s.closed = true;
    this.sessions.delete(id);
    this.traces.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }
}
