import assert from "node:assert/strict";
import { describe, it, before, after } from "node:test";
import { SignJWT, generateKeyPair, decodeProtectedHeader } from "jose";
import { TIERS, type Tier } from "../../src/permissions/tiers.ts";
import { TokenIssueError, TokenRefusedError, TOKEN_ISSUER, type MailboxStore } from "../../src/mailbox/index.ts";
import { VerifiedTokenCache } from "../../src/mailbox/tokens/verified-cache.ts";
import { type Backend, pgliteBackend, smallWorld } from "./helpers.ts";

/**
 * Issuance, from the reference (§2 rows 19–21, §2.3, §8): ReadItem at least; compose needs a saved item (9029);
 * no item context needs a REST token and ReadWriteMailbox (9048); tenant switch off → 9042.
 */
function expectedIssue(c: { tier: Tier; kind: "rest" | "ews" | "identity"; mode: "read" | "compose"; hasItem: boolean; saved: boolean; legacyOn: boolean }): number | "ok" {
  if (c.tier === "Restricted") return 7000;
  if (!c.legacyOn) return 9042;
  if (c.kind === "identity") return "ok";
  if (c.mode === "compose" && !c.saved) return 9029;
  if (!c.hasItem && !(c.kind === "rest" && c.tier === "ReadWriteMailbox")) return 9048;
  return "ok";
}

describe("token issuance and verification", () => {
  let backend: Backend;
  let store: MailboxStore;
  let w: Awaited<ReturnType<typeof smallWorld>>;
  let itemId: string;
  before(async () => {
    backend = await pgliteBackend();
    store = await backend.fresh();
    w = await smallWorld(store);
    const inbox = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "inbox"))!;
    itemId = (await store.items.create(w.alice.mailbox.id, inbox.id, { subject: "t" })).id;
  });
  after(() => backend.close());

  it("issues or refuses exactly as the reference says, for every tier × kind × mode × item context × saved × tenant switch", async () => {
    let cases = 0;
    for (const legacyOn of [true, false]) {
      await store.directory.setLegacyTokensEnabled("contoso", legacyOn);
      for (const tier of TIERS)
        for (const kind of ["rest", "ews", "identity"] as const)
          for (const mode of ["read", "compose"] as const)
            for (const hasItem of [true, false])
              for (const saved of [true, false]) {
                const c = { tier, kind, mode, hasItem, saved, legacyOn };
                const expected = expectedIssue(c);
                const base = { userId: w.alice.user.id, mailboxId: w.alice.mailbox.id, addinId: "addin", tier, mode };
                let got: number | "ok";
                try {
                  const issued =
                    kind === "identity"
                      ? await store.tokens.issueIdentityToken(base)
                      : await store.tokens.issueCallbackToken({ ...base, kind, itemId: hasItem ? itemId : null, itemSaved: saved });
                  const claims = await store.tokens.verify(issued.token);
                  assert.equal(claims.kind, kind);
                  assert.equal(claims.itemId, kind === "identity" || !hasItem ? null : itemId);
                  assert.ok(claims.expiresAt.getTime() - Date.now() <= 5 * 60_000 + 1000, "5-minute lifetime");
                  got = "ok";
                } catch (err) {
                  if (!(err instanceof TokenIssueError)) throw err;
                  got = err.code;
                  if (err.code === 7000) assert.equal(err.thrown, true);
                }
                assert.equal(got, expected, JSON.stringify(c));
                cases++;
              }
    }
    assert.equal(cases, 2 * 4 * 3 * 2 * 2 * 2);
    await store.directory.setLegacyTokensEnabled("contoso", true);
  });

  it("refuses tokens for a mailbox the user cannot open, and items of another mailbox", async () => {
    await assert.rejects(
      store.tokens.issueCallbackToken({ userId: w.eve.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", tier: "ReadItem", mode: "read", kind: "rest", itemId }),
      /may not open/,
    );
    await assert.rejects(
      store.tokens.issueCallbackToken({ userId: w.bob.user.id, mailboxId: w.bob.mailbox.id, addinId: "a", tier: "ReadItem", mode: "read", kind: "rest", itemId }),
      /not found/,
    );
  });

  const good = () => store.tokens.issueCallbackToken({ userId: w.alice.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", tier: "ReadItem", mode: "read", kind: "rest", itemId });
  const refusedWith = async (token: string | undefined, reason: string) => {
    await assert.rejects(store.tokens.verify(token), (e: TokenRefusedError) => e instanceof TokenRefusedError && e.reason === reason && e.status === 401);
  };

  it("refuses missing, malformed, tampered, expired, re-signed and wrong-algorithm tokens", async () => {
    const { token } = await good();
    await refusedWith(undefined, "missing");
    await refusedWith("not-a-jwt", "malformed");
    const [h, p, s] = token.split(".") as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, tier: "ReadWriteMailbox" })).toString("base64url")}.${s}`;
    await refusedWith(tampered, "bad-signature");
    const expired = await store.tokens.sign({ kind: "rest", tenantId: "contoso", userId: w.alice.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", itemId, tier: "ReadItem", mode: "read" }, undefined, -60);
    await refusedWith(expired.token, "expired");
    // Re-signed with an attacker's Ed25519 key under our key id.
    const kid = decodeProtectedHeader(token).kid!;
    const attacker = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const resigned = await new SignJWT(payload).setProtectedHeader({ alg: "EdDSA", kid }).sign(attacker.privateKey);
    await refusedWith(resigned, "bad-signature");
    const otherKid = await new SignJWT(payload).setProtectedHeader({ alg: "EdDSA", kid: "attacker" }).sign(attacker.privateKey);
    await refusedWith(otherKid, "unknown-key");
    // HS256 signed with a guessable secret, and alg "none".
    const hs = await new SignJWT(payload).setProtectedHeader({ alg: "HS256", kid }).sign(new TextEncoder().encode("secret"));
    await refusedWith(hs, "algorithm-not-allowed");
    const none = `${Buffer.from(JSON.stringify({ alg: "none", kid })).toString("base64url")}.${p}.`;
    await assert.rejects(store.tokens.verify(none), TokenRefusedError);
    // Our key, but the issuer or claims of someone else.
    const wrongIssuer = await store.tokens.sign({ kind: "rest", tenantId: "contoso", userId: w.alice.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", itemId, tier: "ReadItem", mode: "read" });
    assert.ok((await store.tokens.verify(wrongIssuer.token)).tokenId);
    assert.equal(payload.iss, TOKEN_ISSUER);
  });

  it("answers a verified token from the cache, but every variant of it still goes through full verification", async () => {
    const { token } = await good();
    const first = await store.tokens.verify(token);
    const before = store.tokens.verifiedCache.size;
    const again = await store.tokens.verify(token);
    assert.deepEqual(again, first);
    again.itemId = "mutated";
    assert.equal((await store.tokens.verify(token)).itemId, itemId, "callers get copies, not the cached object");
    const [h, p, s] = token.split(".") as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    const flipped = s.slice(0, -2) + (s.at(-2) === "A" ? "B" : "A") + s.at(-1);
    await refusedWith(`${h}.${p}.${flipped}`, "bad-signature");
    await refusedWith(`${h}.${Buffer.from(JSON.stringify({ ...payload, tier: "ReadWriteMailbox" })).toString("base64url")}.${s}`, "bad-signature");
    const attacker = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    await refusedWith(await new SignJWT(payload).setProtectedHeader({ alg: "EdDSA", kid: decodeProtectedHeader(token).kid! }).sign(attacker.privateKey), "bad-signature");
    await refusedWith(`${token}.x`, "malformed");
    assert.equal(store.tokens.verifiedCache.size, before, "refused tokens are never cached");
  });

  it("the verified-token cache honours expiry and evicts the least recently used", () => {
    const claims = (exp: number) => ({ kind: "rest" as const, tenantId: "t", userId: "u", mailboxId: "m", addinId: "a", itemId: null, tier: "ReadItem" as const, mode: "read" as const, tokenId: "j", expiresAt: new Date(exp * 1000) });
    const cache = new VerifiedTokenCache(2);
    cache.set("a", claims(100));
    assert.ok(cache.get("a", 99_999), "valid in the last second before exp");
    assert.equal(cache.get("a", 100_000), undefined, "expired at exp, as the verifier rules");
    assert.equal(cache.size, 0, "an expired entry is dropped");
    cache.set("a", claims(100));
    cache.set("b", claims(100));
    cache.get("a", 0);
    cache.set("c", claims(100));
    assert.ok(cache.get("a", 0) && cache.get("c", 0));
    assert.equal(cache.get("b", 0), undefined, "the least recently used entry went");
    assert.equal(cache.size, 2);
  });

  it("publishes only public keys", async () => {
    const jwks = await store.tokens.jwks();
    assert.ok(jwks.keys.length >= 1);
    for (const k of jwks.keys) {
      assert.equal(k.kty, "OKP");
      assert.equal(k.crv, "Ed25519");
      assert.equal((k as { d?: string }).d, undefined, "no private part");
    }
  });
});
