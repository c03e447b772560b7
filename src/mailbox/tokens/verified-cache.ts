import type { TokenClaims } from "./authorize.ts";

/**
 * Claims of tokens whose signature has already been verified, keyed by the exact token string: a token that
 * differs by one byte (tampered, re-signed) is another key and goes through full verification. Entries are
 * dropped once the token expires (same rule as the verifier: valid while now < exp, in whole seconds), and the
 * least recently used entry goes when the cache is full. Tokens are immutable and there is no revocation list,
 * so a cached verdict is exactly the verdict verification would give again until `exp`.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, TokenClaims>();

  constructor(private readonly maxEntries = 4096) {}

  get(token: string, nowMs = Date.now()): TokenClaims | undefined {
    const claims = this.entries.get(token);
    if (!claims) return undefined;
    this.entries.delete(token);
    if (Math.floor(nowMs / 1000) >= claims.expiresAt.getTime() / 1000) return undefined;
    this.entries.set(token, claims); // most recently used goes last
    return { ...claims, expiresAt: new Date(claims.expiresAt) };
  }

  set(token: string, claims: TokenClaims): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(token);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { ...claims, expiresAt: new Date(claims.expiresAt) });
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
