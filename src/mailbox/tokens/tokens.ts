import { randomUUID } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, errors as joseErrors, type JWK, type CryptoKey } from "jose";
import { TIERS, type Tier } from "../../permissions/tiers.ts";
import { notFound, accessDenied } from "../errors.ts";
import type { StoreContext } from "../store/context.ts";
import type { Directory } from "../store/directory.ts";
import type { Mailboxes } from "../store/mailboxes.ts";
import type { Items } from "../store/items.ts";
import type { TokenClaims } from "./authorize.ts";
import { VerifiedTokenCache } from "./verified-cache.ts";
import { type FormMode, TOKEN_ISSUE_ERRORS, TOKEN_LIFETIME_SECONDS, TOKEN_SCOPES, type TokenIssueErrorKey, type TokenKind } from "./scopes.ts";

export const TOKEN_ISSUER = "urn:outpost";
const ALG = "EdDSA";
const KEY_LOCK = 7_406_310_426;

/** A token that could not be issued, carrying Outlook's error code for the add-in. */
export class TokenIssueError extends Error {
  readonly code: number;
  readonly officeName: string;
  readonly thrown: boolean;
  constructor(readonly key: TokenIssueErrorKey) {
    const e = TOKEN_ISSUE_ERRORS[key];
    super(e.message);
    this.name = "TokenIssueError";
    this.code = e.code;
    this.officeName = e.name;
    this.thrown = e.thrown;
  }
}

/** A token refused at the door (bad signature, expired, malformed …): always 401. */
export class TokenRefusedError extends Error {
  readonly status = 401;
  constructor(readonly reason: "missing" | "malformed" | "bad-signature" | "expired" | "algorithm-not-allowed" | "unknown-key" | "bad-claims") {
    super(`token refused: ${reason}`);
    this.name = "TokenRefusedError";
  }
}

export interface CallbackTokenRequest {
  userId: string;
  mailboxId: string;
  addinId: string;
  tier: Tier;
  mode: FormMode;
  kind: "rest" | "ews";
  /** The current item; null when the add-in has no item context. */
  itemId: string | null;
  /** Compose form: whether the item has been saved (a token needs a saved item, else 9029). */
  itemSaved?: boolean;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
  claims: TokenClaims;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * Issues and verifies callback tokens (REST, EWS) and identity tokens: JWTs signed with the installation's
 * Ed25519 key (EdDSA), which is stored in the database so every app server shares it, 5-minute lifetime.
 */
export class Tokens {
  private keys = new Map<string, SigningKey>();
  private active: SigningKey | undefined;
  /** Signature verification is most of a request's CPU; a token is typically used many times in its 5 minutes. */
  readonly verifiedCache = new VerifiedTokenCache();

  constructor(
    private readonly ctx: StoreContext,
    private readonly directory: Directory,
    private readonly mailboxes: Mailboxes,
    private readonly items: Items,
  ) {}

  async issueCallbackToken(req: CallbackTokenRequest): Promise<IssuedToken> {
    if (!TOKEN_SCOPES[req.kind][req.tier]) throw new TokenIssueError("elevatedPermission");
    const { tenantId } = await this.checkUserAndMailbox(req.userId, req.mailboxId);
    const tenant = await this.directory.getTenant(tenantId);
    if (!tenant?.legacyTokensEnabled) throw new TokenIssueError("legacyTokensOff");
    if (req.mode === "compose" && req.itemSaved === false) throw new TokenIssueError("unsavedItem");
    if (req.itemId === null) {
      if (!(req.kind === "rest" && req.tier === "ReadWriteMailbox")) throw new TokenIssueError("noItemContext");
    } else {
      const where = await this.items.locate(req.itemId);
      if (!where || where.mailboxId !== req.mailboxId) throw notFound("item");
    }
    return this.sign({ kind: req.kind, tenantId, userId: req.userId, mailboxId: req.mailboxId, addinId: req.addinId, itemId: req.itemId, tier: req.tier, mode: req.mode });
  }

  /** getUserIdentityTokenAsync: identifies the user to the add-in's server; opens nothing here. */
  async issueIdentityToken(req: { userId: string; mailboxId: string; addinId: string; tier: Tier; mode: FormMode; audience?: string }): Promise<IssuedToken> {
    if (!TOKEN_SCOPES.identity[req.tier]) throw new TokenIssueError("elevatedPermission");
    const { tenantId } = await this.checkUserAndMailbox(req.userId, req.mailboxId);
    const tenant = await this.directory.getTenant(tenantId);
    if (!tenant?.legacyTokensEnabled) throw new TokenIssueError("legacyTokensOff");
    return this.sign({ kind: "identity", tenantId, userId: req.userId, mailboxId: req.mailboxId, addinId: req.addinId, itemId: null, tier: req.tier, mode: req.mode }, req.audience);
  }

  private async checkUserAndMailbox(userId: string, mailboxId: string): Promise<{ tenantId: string }> {
    const user = await this.directory.getUser(userId);
    if (!user) throw notFound("user");
    const mailbox = await this.mailboxes.get(mailboxId);
    if (!mailbox) throw notFound("mailbox");
    if (mailbox.tenantId !== user.tenantId || !(await this.mailboxes.rightsOf(userId, mailboxId))) throw accessDenied("the user may not open this mailbox");
    return { tenantId: user.tenantId };
  }

  /**
   * Signs arbitrary claims with the installation key, skipping every issuance rule. For tests that need tokens
   * no issuer would hand out (other tenant, inconsistent bindings); never exposed on any surface.
   */
  async sign(c: Omit<TokenClaims, "tokenId" | "expiresAt">, audience?: string, lifetimeSeconds = TOKEN_LIFETIME_SECONDS): Promise<IssuedToken> {
    const key = await this.activeKey();
    const tokenId = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    const exp = now + lifetimeSeconds;
    const token = await new SignJWT({ ver: 1, knd: c.kind, tid: c.tenantId, mbx: c.mailboxId, app: c.addinId, itm: c.itemId, tier: c.tier, mode: c.mode })
      .setProtectedHeader({ alg: ALG, kid: key.kid, typ: "JWT" })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(audience ?? `${TOKEN_ISSUER}:${c.kind}`)
      .setSubject(c.userId)
      .setJti(tokenId)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    const expiresAt = new Date(exp * 1000);
    return { token, expiresAt, claims: { ...c, tokenId, expiresAt } };
  }

  /**
   * Verifies signature, algorithm, issuer, lifetime and claim shapes. Throws TokenRefusedError (401).
   * A token string already verified is answered from a bounded cache until it expires (see VerifiedTokenCache).
   */
  async verify(token: string | undefined): Promise<TokenClaims> {
    if (!token) throw new TokenRefusedError("missing");
    if (token.length > 8192 || token.split(".").length !== 3) throw new TokenRefusedError("malformed");
    const cached = this.verifiedCache.get(token);
    if (cached) return cached;
    const claims = await this.verifyUncached(token);
    this.verifiedCache.set(token, claims);
    return claims;
  }

  private async verifyUncached(token: string): Promise<TokenClaims> {
    let payload: Record<string, unknown>;
    try {
      const result = await jwtVerify(
        token,
        async (header) => {
          if (header.alg !== ALG) throw new TokenRefusedError("algorithm-not-allowed");
          const key = await this.keyById(String(header.kid ?? ""));
          if (!key) throw new TokenRefusedError("unknown-key");
          return key.publicKey;
        },
        { algorithms: [ALG], issuer: TOKEN_ISSUER, clockTolerance: 0, requiredClaims: ["exp", "iat", "sub", "jti"] },
      );
      payload = result.payload as Record<string, unknown>;
    } catch (err) {
      if (err instanceof TokenRefusedError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new TokenRefusedError("expired");
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw new TokenRefusedError("bad-signature");
      if (err instanceof joseErrors.JOSEAlgNotAllowed) throw new TokenRefusedError("algorithm-not-allowed");
      throw new TokenRefusedError("malformed");
    }
    const kind = payload.knd;
    const str = (v: unknown) => typeof v === "string" && v.length > 0 && v.length <= 200;
    if (
      payload.ver !== 1 ||
      (kind !== "rest" && kind !== "ews" && kind !== "identity") ||
      !str(payload.tid) ||
      !str(payload.sub) ||
      !str(payload.mbx) ||
      !str(payload.app) ||
      !(payload.itm === null || str(payload.itm)) ||
      !(TIERS as readonly unknown[]).includes(payload.tier) ||
      (payload.mode !== "read" && payload.mode !== "compose")
    )
      throw new TokenRefusedError("bad-claims");
    if (kind !== "identity" && payload.aud !== `${TOKEN_ISSUER}:${kind}`) throw new TokenRefusedError("bad-claims");
    return {
      kind,
      tenantId: payload.tid as string,
      userId: payload.sub as string,
      mailboxId: payload.mbx as string,
      addinId: payload.app as string,
      itemId: (payload.itm as string | null) ?? null,
      tier: payload.tier as Tier,
      mode: payload.mode as FormMode,
      tokenId: payload.jti as string,
      expiresAt: new Date((payload.exp as number) * 1000),
    };
  }

  /** Public keys, for add-in servers that verify identity tokens (served at /.well-known/jwks.json). */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.loadKeys();
    return { keys: [...this.keys.values()].map((k) => ({ ...k.publicJwk, kid: k.kid, alg: ALG, use: "sig" })) };
  }

  private async activeKey(): Promise<SigningKey> {
    if (this.active) return this.active;
    await this.loadKeys();
    if (!this.active) {
      await this.ctx.db.transaction(async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock($1)", [KEY_LOCK]);
        const { rows } = await tx.query("SELECT 1 FROM signing_keys LIMIT 1");
        if (rows.length > 0) return;
        const { privateKey, publicKey } = await generateKeyPair(ALG, { crv: "Ed25519", extractable: true });
        await tx.query("INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk) VALUES ($1, $2, $3::jsonb, $4::jsonb)", [
          randomUUID(),
          ALG,
          JSON.stringify(await exportJWK(privateKey)),
          JSON.stringify(await exportJWK(publicKey)),
        ]);
      });
      await this.loadKeys();
    }
    return this.active!;
  }

  private async keyById(kid: string): Promise<SigningKey | undefined> {
    if (!this.keys.has(kid)) await this.loadKeys();
    return this.keys.get(kid);
  }

  private async loadKeys(): Promise<void> {
    const { rows } = await this.ctx.db.query<{ kid: string; private_jwk: JWK; public_jwk: JWK }>("SELECT kid, private_jwk, public_jwk FROM signing_keys ORDER BY created_at DESC, kid");
    for (const r of rows) {
      if (this.keys.has(r.kid)) continue;
      this.keys.set(r.kid, {
        kid: r.kid,
        privateKey: (await importJWK(r.private_jwk, ALG)) as CryptoKey,
        publicKey: (await importJWK(r.public_jwk, ALG)) as CryptoKey,
        publicJwk: r.public_jwk,
      });
    }
    if (rows[0]) this.active = this.keys.get(rows[0].kid);
  }
}
