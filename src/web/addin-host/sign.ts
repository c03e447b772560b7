/**
 * Signing in the browser: the same canonical bytes and HMAC-SHA256 as src/runtime/bridge/sign.ts, with WebCrypto.
 * (A test checks this against the server's `canonical`/`macFor`; the server verifies every message anyway.)
 */

export interface UnsignedCall {
  v: 1;
  session: string;
  seq: number;
  item: string | null;
  member: string;
  args: unknown[];
}

export function canonical(m: UnsignedCall): string {
  return JSON.stringify([m.v, m.session, m.seq, m.item, m.member, m.args]);
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) throw new Error("The session secret is not hex.");
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function bytesToHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A non-extractable HMAC key: once imported, not even the host page's own code can read the secret back. */
export function importSecret(hex: string, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<CryptoKey> {
  return subtle.importKey("raw", hexToBytes(hex), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

export async function signCall(key: CryptoKey, m: UnsignedCall, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<UnsignedCall & { mac: string }> {
  const mac = await subtle.sign("HMAC", key, new TextEncoder().encode(canonical(m)));
  return { ...m, mac: bytesToHex(mac) };
}
