/** The identity provider's signing keys: RS256 (what every OIDC client accepts), stored in the database so every app server shares them. */
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import type { Db } from "../mailbox/index.ts";

export const ID_ALG = "RS256";
const KEY_LOCK = 7_406_310_909;

export interface IdentityKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export class IdentityKeys {
  private keys = new Map<string, IdentityKey>();
  private active: IdentityKey | undefined;
  private loading: Promise<void> | undefined;

  constructor(private readonly db: Db) {}

  async signingKey(): Promise<IdentityKey> {
    if (this.active) return this.active;
    await this.load();
    if (!this.active) {
      await this.db.transaction(async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock($1)", [KEY_LOCK]);
        if ((await tx.query("SELECT 1 FROM identity_keys LIMIT 1")).rows.length) return;
        const { privateKey, publicKey } = await generateKeyPair(ID_ALG, { modulusLength: 2048, extractable: true });
        await tx.query("INSERT INTO identity_keys (kid, alg, private_jwk, public_jwk) VALUES ($1, $2, $3::jsonb, $4::jsonb)", [
          randomUUID(),
          ID_ALG,
          JSON.stringify(await exportJWK(privateKey)),
          JSON.stringify(await exportJWK(publicKey)),
        ]);
      });
      await this.load(true);
    }
    return this.active!;
  }

  async byKid(kid: string): Promise<IdentityKey | undefined> {
    if (!this.keys.has(kid)) await this.load(true);
    return this.keys.get(kid);
  }

  /** The public keys, as the JWKS endpoint serves them. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.signingKey();
    return { keys: [...this.keys.values()].map((k) => ({ kty: k.publicJwk.kty, n: k.publicJwk.n, e: k.publicJwk.e, kid: k.kid, alg: ID_ALG, use: "sig" })) };
  }

  private async load(force = false): Promise<void> {
    if (this.loading && !force) return this.loading;
    this.loading = (async () => {
      const { rows } = await this.db.query<{ kid: string; private_jwk: JWK; public_jwk: JWK }>("SELECT kid, private_jwk, public_jwk FROM identity_keys ORDER BY created_at DESC, kid");
      for (const r of rows) {
        if (this.keys.has(r.kid)) continue;
        this.keys.set(r.kid, { kid: r.kid, privateKey: (await importJWK(r.private_jwk, ID_ALG)) as CryptoKey, publicKey: (await importJWK(r.public_jwk, ID_ALG)) as CryptoKey, publicJwk: r.public_jwk });
      }
      if (rows[0]) this.active = this.keys.get(rows[0].kid);
    })();
    return this.loading;
  }
}
