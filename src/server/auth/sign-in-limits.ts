/**
 * Sign-in throttling with rate-limiter-flexible (in-process, RateLimiterMemory): a well-kept library, the one the
 * OWASP brute-force examples for Node use, with fixed windows, blocks and rewards we combine below.
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
 * Counters live in each app server's memory: with N servers behind a balancer an attacker gets at most N times
 * the budget (documented in docs/security.md). Every refusal is stored as a security event with the account's
 * tenant, so the tenant's admins see it.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export interface SignInLimitSettings {
  consecutive: number;
  perAddress: number;
  perAccount: number;
  windowSec: number;
  baseBlockSec: number;
  maxBlockSec: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimitSettings = { consecutive: 5, perAddress: 30, perAccount: 50, windowSec: 15 * 60, baseBlockSec: 60, maxBlockSec: 60 * 60 };

export type Throttle = { ok: true } | { ok: false; retryAfterSec: number; limit: "account-address" | "address" | "account" };

export class SignInLimiter {
  private readonly byAccountAddress: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;
  private readonly byAccount: RateLimiterMemory;
  /** How many times an (account, address) pair was blocked in the last day: the exponent of the backoff. */
  private readonly blocks: RateLimiterMemory;

  constructor(readonly settings: SignInLimitSettings = DEFAULT_SIGN_IN_LIMITS) {
    this.byAccountAddress = new RateLimiterMemory({ keyPrefix: "acct-addr", points: settings.consecutive, duration: settings.windowSec });
    this.byAddress = new RateLimiterMemory({ keyPrefix: "addr", points: settings.perAddress, duration: settings.windowSec });
    this.byAccount = new RateLimiterMemory({ keyPrefix: "acct", points: settings.perAccount, duration: settings.windowSec });
    this.blocks = new RateLimiterMemory({ keyPrefix: "blocks", points: 1_000_000, duration: 24 * 3600 });
  }

  /** Takes one point from each limit, in order; the first that has none left refuses (and the others are untouched). */
  async admit(account: string, address: string): Promise<Throttle> {
    const pair = `${account}\u0001${address}`;
    const taken: Array<[RateLimiterMemory, string]> = [];
    for (const [limiter, key, limit] of [
      [this.byAccountAddress, pair, "account-address"],
      [this.byAddress, address, "address"],
      [this.byAccount, account, "account"],
    ] as const) {
      try {
        await limiter.consume(key);
        taken.push([limiter, key]);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        await limiter.reward(key, 1);
        for (const [l, k] of taken) await l.reward(k, 1);
        return { ok: false, retryAfterSec: Math.max(1, Math.ceil(res.msBeforeNext / 1000)), limit };
      }
    }
    return { ok: true };
  }

  /** A failed password: past `consecutive` failures the pair is blocked, twice as long as the time before. */
  async failed(account: string, address: string): Promise<void> {
    const pair = `${account}\u0001${address}`;
    const res = await this.byAccountAddress.get(pair);
    if (!res || res.remainingPoints > 0) return;
    const times = (await this.blocks.consume(pair)).consumedPoints;
    const seconds = Math.min(this.settings.baseBlockSec * 2 ** Math.min(times - 1, 20), this.settings.maxBlockSec);
    await this.byAccountAddress.block(pair, seconds);
  }

  /** A successful sign-in: its points are given back and the pair's consecutive failures forgotten. */
  async succeeded(account: string, address: string): Promise<void> {
    await this.byAccountAddress.delete(`${account}\u0001${address}`);
    await this.byAddress.reward(address, 1);
    await this.byAccount.reward(account, 1);
  }
}

/** The account key: the address as Outpost matches it (case-insensitive), bounded. */
export const accountKey = (email: string): string => email.trim().toLowerCase().slice(0, 320);
