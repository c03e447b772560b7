/**
 * Bridge sessions in the database (migration 004_runtime.sql), through the store's `Db`: the same SQL on PGlite
 * and PostgreSQL. A server keeps only what never changes in a session (its secret and grant); what changes lives
 * in the database, so several servers share one PostgreSQL; the sequence number is advanced by a conditional
 * UPDATE, so a message accepted by one server is a replay on every other. Times come from the database clock, the one clock all servers share.
 */
import type { Db, MailboxRights, Queryable } from "../../mailbox/index.ts";
import type { Supplementary, TenantPolicy, Tier } from "../../permissions/index.ts";
import { DEFAULT_TTL_MS, grantOf, newSession, stateFromJson, stateToJson, type Admission, type Session, type SessionSpec, type SessionStore } from "../session.ts";
import { MAX_TRACE_ENTRIES, type TraceEntry } from "../trace.ts";
import type { ActivationSnapshot } from "../members/activation.ts";
import type { Outcome } from "../bridge/protocol.ts";

interface SessionRow {
  id: string;
  secret: Uint8Array;
  tenant_id: string;
  user_id: string;
  mailbox_id: string;
  addin_id: string;
  addin_name: string | null;
  item_id: string | null;
  form: "read" | "compose";
  item_type: "message" | "appointment";
  client: string;
  tier: Tier;
  supplementary: Supplementary[];
  tenant_policy: TenantPolicy;
  activation: ActivationSnapshot | null;
  state: unknown;
  created_at: Date;
  expires_at: Date;
  last_seq: number | string;
  epoch: number;
  closed: boolean;
  expired: boolean;
  sign_in_session: string | null;
}

interface TraceRow {
  seq: number | string;
  member: string;
  path: string;
  args: string;
  outcome: Outcome;
  code: number;
  ms: number;
  at: Date;
  detail: string | null;
}

/** Sessions this long past their expiry are deleted (with their traces) when the next session opens. */
const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;

const json = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as unknown) : v);

/** What never changes in a session row after it is opened: safe to keep in memory on every server. */
type FixedPart = Pick<Session, "id" | "secret" | "spec" | "grant" | "createdAt" | "expiresAt">;

/** Trace entries wait at most this long, or until this many are pending, before they are written. */
const TRACE_FLUSH_MS = 20;
const TRACE_BATCH = 200;

/** Fixed parts kept per server (least recently used go first): a call then costs one statement, not two. */
const FIXED_CACHE_ENTRIES = 5000;

/** The session is live (open, unexpired, its sign-in session too): the condition every call is admitted under. */
const LIVE = `NOT b.closed AND b.expires_at > now()
  AND (b.sign_in_session IS NULL OR EXISTS (SELECT 1 FROM sessions s WHERE s.id = b.sign_in_session AND s.expires_at > now()))`;

export class SqlSessionStore implements SessionStore {
  /** Calls accepted per session (from the claim), to keep the trace a bounded ring like the memory store's. */
  private readonly calls = new WeakMap<Session, number>();
  private readonly fixed = new Map<string, FixedPart>();
  /**
   * Trace entries not yet written: the answer does not wait for its trace row. They go in one statement per
   * TRACE_FLUSH_MS (or TRACE_BATCH entries); trace() and flush() write them first, so a reader sees every call
   * answered before it asked.
   */
  private pending: Array<{ session: Session; entry: TraceEntry }> = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  constructor(private readonly db: Db) {}

  async open(spec: SessionSpec): Promise<Session> {
    const draft = newSession(spec, Date.now());
    await this.db.query("DELETE FROM bridge_sessions WHERE expires_at < now() - $1 * interval '1 millisecond'", [KEEP_EXPIRED_MS]);
    const { rows } = await this.db.query<{ created_at: Date; expires_at: Date }>(
      `INSERT INTO bridge_sessions (id, secret, tenant_id, user_id, mailbox_id, addin_id, addin_name, item_id, form, item_type, client, tier,
         supplementary, tenant_policy, activation, state, expires_at, sign_in_session)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14::jsonb, $15::jsonb, $16::jsonb, now() + $17 * interval '1 millisecond', $18)
       RETURNING created_at, expires_at`,
      [
        draft.id,
        draft.secret,
        spec.tenantId,
        spec.userId,
        spec.mailboxId,
        spec.addinId,
        spec.addinName ?? null,
        spec.itemId,
        spec.form,
        spec.itemType,
        spec.client,
        spec.tier,
        JSON.stringify(spec.supplementary),
        JSON.stringify(spec.tenant),
        spec.activation ? JSON.stringify(spec.activation) : null,
        JSON.stringify(stateToJson(draft.state)),
        spec.ttlMs ?? DEFAULT_TTL_MS,
        spec.signInSession ?? null,
      ],
    );
    const row = rows[0]!;
    return { ...draft, createdAt: new Date(row.created_at).getTime(), expiresAt: new Date(row.expires_at).getTime() };
  }

  async get(id: string): Promise<Session | "expired" | undefined> {
    // A session bound to a sign-in session ends with it (sign-out, password change): one primary-key probe.
    const { rows } = await this.db.query<SessionRow>(
      `SELECT b.*, b.expires_at <= now() OR (b.sign_in_session IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = b.sign_in_session AND s.expires_at > now())) AS expired
       FROM bridge_sessions b WHERE b.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row || row.closed) return undefined;
    if (row.expired) return "expired";
    const fixed = fixedPart(row);
    this.remember(fixed);
    return { ...fixed, lastSeq: Number(row.last_seq), epoch: row.epoch, state: stateFromJson(json(row.state)), closed: false };
  }

  /**
   * One statement per call once this server knows the session's fixed part: the MAC is checked against the kept
   * secret, then the sequence number is claimed where the session is live, returning what changes between calls
   * (epoch, state) and the user's current rights on the mailbox. Any refusal is explained by a full read.
   */
  async admit(id: string, seq: number, authentic: (secret: Buffer) => boolean): Promise<Admission> {
    let fixed = this.fixed.get(id);
    if (!fixed) {
      const s = await this.get(id);
      if (s === "expired") return { refused: "expiredSession" };
      if (!s) return { refused: "unknownSession" };
      fixed = s;
    }
    if (!authentic(fixed.secret)) return this.explain(id, "badMac");
    const { rows } = await this.db.query<{ calls: number; epoch: number; state: unknown; rights: MailboxRights | null }>(
      `UPDATE bridge_sessions b SET last_seq = $2, calls = b.calls + 1 WHERE b.id = $1 AND b.last_seq < $2 AND ${LIVE}
       RETURNING b.calls, b.epoch, b.state, (SELECT a.rights FROM mailbox_access a WHERE a.mailbox_id = b.mailbox_id AND a.user_id = b.user_id) AS rights`,
      [id, seq],
    );
    const row = rows[0];
    if (!row) return this.explain(id, "replay");
    const session: Session = { ...fixed, lastSeq: seq, epoch: row.epoch, state: stateFromJson(json(row.state)), closed: false };
    this.calls.set(session, row.calls);
    return { session, rights: row.rights };
  }

  /** Why a call was refused: the session is gone or expired (said so whatever else was wrong), else `otherwise`. */
  private async explain(id: string, otherwise: "badMac" | "replay"): Promise<Admission> {
    this.fixed.delete(id);
    const s = await this.get(id);
    if (s === "expired") return { refused: "expiredSession" };
    if (!s) return { refused: "unknownSession" };
    return { refused: otherwise };
  }

  private remember(fixed: FixedPart): void {
    this.fixed.delete(fixed.id);
    this.fixed.set(fixed.id, fixed);
    if (this.fixed.size > FIXED_CACHE_ENTRIES) this.fixed.delete(this.fixed.keys().next().value!);
  }

  record(session: Session, entry: TraceEntry): Promise<void> {
    this.pending.push({ session, entry });
    if (this.pending.length >= TRACE_BATCH) void this.flush().catch(() => undefined);
    else this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), TRACE_FLUSH_MS).unref();
    return Promise.resolve();
  }

  /**
   * Writes the pending trace entries (one statement; entries of a session deleted meanwhile are skipped, so they do
   * not sink the batch), then trims sessions past MAX_TRACE_ENTRIES.
   */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    const run = this.flushing.then(() => (batch.length ? this.write(batch) : undefined));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async write(batch: Array<{ session: Session; entry: TraceEntry }>): Promise<void> {
    const rows = batch.map(({ session, entry: e }) => ({ session_id: session.id, seq: e.seq, member: e.member, path: e.path, args: e.args, outcome: e.outcome, code: e.code, ms: e.ms, at: e.at, detail: e.detail ?? null }));
    await this.db.query(
      `INSERT INTO bridge_trace (session_id, seq, member, path, args, outcome, code, ms, at, detail)
       SELECT session_id, seq, member, path, args, outcome, code, ms, at, detail
       FROM jsonb_to_recordset($1::jsonb) AS x(session_id text, seq bigint, member text, path text, args text, outcome text, code integer, ms double precision, at timestamptz, detail text)
       WHERE EXISTS (SELECT 1 FROM bridge_sessions b WHERE b.id = x.session_id)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
    const over = new Set(batch.filter(({ session }) => (this.calls.get(session) ?? 0) > MAX_TRACE_ENTRIES).map(({ session }) => session.id));
    for (const id of over) {
      await this.db.query("DELETE FROM bridge_trace WHERE session_id = $1 AND seq < (SELECT seq FROM bridge_trace WHERE session_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)", [id, MAX_TRACE_ENTRIES - 1]);
    }
  }

  async trace(id: string): Promise<TraceEntry[]> {
    await this.flush().catch(() => undefined); // a failed write of others' entries is not this reader's error
    const { rows } = await this.db.query<TraceRow>("SELECT seq, member, path, args, outcome, code, ms, at, detail FROM bridge_trace WHERE session_id = $1 ORDER BY seq", [id]);
    return rows.map((r) => ({
      seq: Number(r.seq),
      member: r.member,
      path: r.path,
      args: r.args,
      outcome: r.outcome,
      code: r.code,
      ms: r.ms,
      at: new Date(r.at).toISOString(),
      ...(r.detail !== null ? { detail: r.detail } : {}),
    }));
  }

  async saveState(session: Session): Promise<void> {
    await this.db.query("UPDATE bridge_sessions SET state = $2::jsonb WHERE id = $1", [session.id, JSON.stringify(stateToJson(session.state))]);
  }

  async bumpEpoch(session: Session): Promise<void> {
    const { rows } = await this.db.query<{ epoch: number }>("UPDATE bridge_sessions SET epoch = epoch + 1 WHERE id = $1 RETURNING epoch", [session.id]);
    if (rows[0]) session.epoch = rows[0].epoch;
  }

  /** Live sessions of a user (not closed, not expired): what the per-user cap counts. */
  async openCount(userId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number | string }>(`SELECT count(*) AS n FROM bridge_sessions b WHERE b.user_id = $1 AND NOT b.closed AND b.expires_at > now()
         AND (b.sign_in_session IS NULL OR EXISTS (SELECT 1 FROM sessions s WHERE s.id = b.sign_in_session AND s.expires_at > now()))`, [userId]);
    return Number(rows[0]!.n);
  }

  async close(id: string): Promise<void> {
    // The trace stays readable (the auditor reads it) until the row is cleaned up after expiry.
    await this.db.query("UPDATE bridge_sessions SET closed = true WHERE id = $1", [id]);
  }

  /**
   * Ends an add-in's open sessions (removed, disabled, undeployed, taken down): refused at their next call on every
   * server. Scope by tenant and by users (or all but some users); `q` lets the caller do it in its transaction.
   */
  async closeForAddin(addinId: string, scope: { tenantId?: string; userIds?: string[]; exceptUserIds?: string[] } = {}, q: Queryable = this.db): Promise<number> {
    const { rows } = await q.query<{ id: string }>(
      `UPDATE bridge_sessions SET closed = true WHERE lower(addin_id) = lower($1) AND NOT closed AND ($2::text IS NULL OR tenant_id = $2)
         AND ($3::jsonb IS NULL OR user_id IN (SELECT jsonb_array_elements_text($3::jsonb)))
         AND ($4::jsonb IS NULL OR user_id NOT IN (SELECT jsonb_array_elements_text($4::jsonb))) RETURNING id`,
      [addinId, scope.tenantId ?? null, scope.userIds ? JSON.stringify(scope.userIds) : null, scope.exceptUserIds ? JSON.stringify(scope.exceptUserIds) : null],
    );
    return rows.length;
  }
}

function fixedPart(row: SessionRow): FixedPart {
  const spec: SessionSpec = {
    tenantId: row.tenant_id,
    userId: row.user_id,
    mailboxId: row.mailbox_id,
    addinId: row.addin_id,
    ...(row.addin_name !== null ? { addinName: row.addin_name } : {}),
    itemId: row.item_id,
    form: row.form,
    itemType: row.item_type,
    client: row.client,
    tier: row.tier,
    supplementary: json(row.supplementary) as Supplementary[],
    tenant: json(row.tenant_policy) as TenantPolicy,
    ...(row.activation ? { activation: json(row.activation) as ActivationSnapshot } : {}),
    ...(row.sign_in_session ? { signInSession: row.sign_in_session } : {}),
  };
  return {
    id: row.id,
    secret: Buffer.from(row.secret),
    spec,
    grant: grantOf(spec),
    createdAt: new Date(row.created_at).getTime(),
    expiresAt: new Date(row.expires_at).getTime(),
  };
}
