/**
 * Bridge sessions: one per (user, add-in, item, form, client). The server creates it and keeps the grant; the page
 * only ever holds an unguessable id, and the host side (never the add-in's own code) the secret that signs messages.
 */
import { randomBytes } from "node:crypto";
import type { Grant, ItemType, Mode, Supplementary, TenantPolicy, Tier } from "../permissions/index.ts";
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
  /** Regular expressions from the manifest's activation rules (name → source, flags), for getRegExMatches. */
  regexes?: Record<string, { source: string; ignoreCase: boolean }>;
  ttlMs?: number;
}

/** Per-session state that lives only as long as the compose/read session in Outlook does. */
export interface SessionState {
  sessionData: Map<string, string>;
  notifications: Map<string, Record<string, unknown>>;
}

export interface Session {
  readonly id: string;
  readonly secret: Buffer;
  readonly spec: SessionSpec;
  readonly grant: Grant;
  readonly createdAt: number;
  expiresAt: number;
  lastSeq: number;
  readonly trace: TraceEntry[];
  readonly state: SessionState;
  closed: boolean;
}

export const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000;

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  constructor(private readonly now: () => number = Date.now) {}

  open(spec: SessionSpec): Session {
    const id = randomBytes(24).toString("base64url");
    const created = this.now();
    const session: Session = {
      id,
      secret: randomBytes(32),
      spec,
      grant: { tier: spec.tier, supplementary: [...spec.supplementary], tenant: spec.tenant },
      createdAt: created,
      expiresAt: created + (spec.ttlMs ?? DEFAULT_TTL_MS),
      lastSeq: 0,
      trace: [],
      state: { sessionData: new Map(), notifications: new Map() },
      closed: false,
    };
    this.sessions.set(id, session);
    return session;
  }

  /** The live session, or undefined when unknown, closed or expired (expired ones are dropped). */
  get(id: string): Session | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.closed || s.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  /** Known but expired: lets dispatch say "expired" rather than "unknown" without keeping dead sessions. */
  isExpired(id: string): boolean {
    const s = this.sessions.get(id);
    return s !== undefined && s.expiresAt <= this.now();
  }

  close(id: string): void {
    const s = this.sessions.get(id);
    if (s) s.closed = true;
    this.sessions.delete(id);
  }

  record(session: Session, entry: TraceEntry): void {
    if (session.trace.length >= MAX_TRACE_ENTRIES) session.trace.shift();
    session.trace.push(entry);
  }

  get size(): number {
    return this.sessions.size;
  }
}
