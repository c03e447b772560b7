/**
 * Sign-in throttling with rate-limiter-flexible (a well-kept library, the one the OWASP brute-force examples for
 * Node use), its counters stored in the database Outpost already uses (RateLimiterPostgres over the `sign_in_limits`
 * table of migration 011, through the one Db interface, so PGlite and PostgreSQL alike). Several app servers on one
 * PostgreSQL share the counters: an attacker gets one budget, not one per server.
 *
 * A point is taken BEFORE the password is hashed and given back on success, so the limits count failures and
 * attempts in flight alike: 400 queued bad sign-ins from one address cost at most `perAddress` password hashes,
 * and a real sign-in from another address is not stuck behind them.
 *
 * - per account and address: `consecutive` failures, then a block that doubles each time (backoff), up to `maxBlockSec`;
 *   a success resets it. Stops guessing one account's password from one place.
 * - per address: `perAddress` failures per window across all accounts. Stops password spraying from one place.
 * - per account: `perAccount` failures per window from any address. Slows a distributed attack on one account
 *   (it can lock that account out for the window: the price of not letting it be guessed).
 *
 * Counters are stored per tenant (the account's tenant is part of the key, and a column of the table): a tenant's
 * admins list their accounts' counters and blocks (`GET /api/admin/sign-in-limits`). Every refusal is also stored
 * as a security event with the account's tenant.
 */
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "../../mailbox/index.ts";

export interface SignInLimitSettings {
  consecutive: number;
  perAddress: number;
  perAccount: number;
  windowSec: number;
  baseBlockSec: number;
  maxBlockSec: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimitSettings = { consecutive: 5, perAddress: 30, perAccount: 50, windowSec: 15 * 60, baseBlockSec: 60, maxBlockSec: 60 * 60 };

export type LimitName = "account-address" | "address" | "account";
export type Throttle = { ok: true } | { ok: false; retryAfterSec: number; limit: LimitName };

/** The table of migration 011. */
const TABLE = "sign_in_limits";
/** Tenant of the per-address limit and of addresses no account matches: it spans tenants. */
const NO_TENANT = "-";

/** Who is signing in: the account key, the account's tenant (undefined when no account matches) and the address. */
export interface SignInAttempt {
  account: string;
  tenantId: string | undefined;
  address: string;
}

/** One counter as an admin sees it. */
export interface SignInCounter {
  limit: LimitName;
  account: string | null;
  address: string | null;
  /** Points taken in the current window (failures and attempts in flight). */
  failures: number;
  /** The limit's budget per window. */
  budget: number;
  /** Set while the counter refuses sign-ins. */
  blockedUntil: Date | null;
  windowEndsAt: Date | null;
}

/**
 * The Db as the `pg` pool RateLimiterPostgres expects (`query({ text, values })` → `{ rows, rowCount }`). `expire`
 * comes back as a number from both backends (src/mailbox/db/postgres.ts parses int8 as a number).
 */
function poolOf(db: Db) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const { rows } = await db.query<{ points?: number; expire?: number | string | null }>(q.text, q.values ?? []);
      for (const r of rows) if (typeof r.expire === "string") r.expire = Number(r.expire);
      return { rows, rowCount: rows.length };
    },
  };
}

const enc = (s: string) => encodeURIComponent(s);

export class SignInLimiter {
  private readonly byAccountAddress: RateLimiterPostgres;
  private readonly byAddress: RateLimiterPostgres;
  private readonly byAccount: RateLimiterPostgres;
  /** How many times an (account, address) pair was blocked in the last day: the exponent of the backoff. */
  private readonly blocks: RateLimiterPostgres;

  constructor(
    private readonly db: Db,
    readonly settings: SignInLimitSettings = DEFAULT_SIGN_IN_LIMITS,
  ) {
    const make = (keyPrefix: string, points: number, duration: number) =>
      new RateLimiterPostgres({ storeClient: poolOf(db), storeType: "pool", tableName: TABLE, tableCreated: true, clearExpiredByTimeout: false, keyPrefix, points, duration });
    this.byAccountAddress = make("acct-addr", settings.consecutive, settings.windowSec);
    this.byAddress = make("addr", settings.perAddress, settings.windowSec);
    this.byAccount = make("acct", settings.perAccount, settings.windowSec);
    this.blocks = make("blocks", 1_000_000, 24 * 3600);
  }

  private keys(a: SignInAttempt) {
    const tenant = enc(a.tenantId ?? NO_TENANT);
    return { pair: `${tenant}|${enc(a.account)}|${a.address}`, address: `${NO_TENANT}||${a.address}`, account: `${tenant}|${enc(a.account)}|` };
  }

  /** Takes one point from each limit, in order; the first that has none left refuses (and the others are untouched). */
  async admit(a: SignInAttempt): Promise<Throttle> {
    const k = this.keys(a);
    const taken: Array<[RateLimiterPostgres, string]> = [];
    for (const [limiter, key, limit] of [
      [this.byAccountAddress, k.pair, "account-address"],
      [this.byAddress, k.address, "address"],
      [this.byAccount, k.account, "account"],
    ] as const) {
      try {
        await limiter.consume(key);
        taken.push([limiter, key]);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        await limiter.reward(key, 1);
        for (const [l, key2] of taken) await l.reward(key2, 1);
        return { ok: false, retryAfterSec: Math.max(1, Math.ceil(res.msBeforeNext / 1000)), limit };
      }
    }
    return { ok: true };
  }

  /** A failed password: past `consecutive` failures the pair is blocked, twice as long as the time before. */
  async failed(a: SignInAttempt): Promise<void> {
    const { pair } = this.keys(a);
    const res = await this.byAccountAddress.get(pair);
    if (!res || res.remainingPoints > 0) return;
    const times = (await this.blocks.consume(pair)).consumedPoints;
    const seconds = Math.min(this.settings.baseBlockSec * 2 ** Math.min(times - 1, 20), this.settings.maxBlockSec);
    await this.byAccountAddress.block(pair, seconds);
  }

  /** A successful sign-in: its points are given back and the pair's consecutive failures forgotten. */
  async succeeded(a: SignInAttempt): Promise<void> {
    const k = this.keys(a);
    await this.byAccountAddress.delete(k.pair);
    await this.byAddress.reward(k.address, 1);
    await this.byAccount.reward(k.account, 1);
  }

  /** The live counters of one tenant's accounts, blocked ones first (the admin view). */
  async list(tenantId: string, limit = 200): Promise<SignInCounter[]> {
    const now = Date.now();
    const { rows } = await this.db.query<{ key: string; points: number; expire: number | null }>(
      `SELECT key, points, expire FROM ${TABLE} WHERE tenant_id = $1 AND (expire IS NULL OR expire > $2) AND key NOT LIKE 'blocks:%' ORDER BY points DESC, key LIMIT $3`,
      [enc(tenantId), now, Math.min(Math.max(1, limit), 1000)],
    );
    const budgets: Record<string, [LimitName, number]> = { "acct-addr": ["account-address", this.settings.consecutive], acct: ["account", this.settings.perAccount], addr: ["address", this.settings.perAddress] };
    return rows.flatMap((r) => {
      const [prefix, rest = ""] = [r.key.slice(0, r.key.indexOf(":")), r.key.slice(r.key.indexOf(":") + 1)];
      const budget = budgets[prefix];
      if (!budget) return [];
      const [, account = "", address = ""] = rest.split("|");
      const expire = r.expire === null ? null : new Date(Number(r.expire));
      // A counter at its budget refuses until the window ends; a blocked pair is set past it until the block ends.
      const blocked = Number(r.points) >= budget[1];
      return [{ limit: budget[0], account: account ? decodeURIComponent(account) : null, address: address || null, failures: Math.min(Number(r.points), budget[1]), budget: budget[1], blockedUntil: blocked ? expire : null, windowEndsAt: expire }];
    });
  }
}

/** The account key: the address as Outpost matches it (case-insensitive), bounded. */
export const accountKey = (email: string): string => email.trim().toLowerCase().slice(0, 320);
