/** Message authentication: HMAC-SHA256 with the per-session secret, compared in constant time. */
import { createHmac, timingSafeEqual } from "node:crypto";
import { canonical, type CallMessage, type UnsignedCall } from "./protocol.ts";

export function macFor(secret: Buffer, message: UnsignedCall): string {
  return createHmac("sha256", secret).update(canonical(message)).digest("hex");
}

export function sign(secret: Buffer, message: UnsignedCall): CallMessage {
  return { ...message, mac: macFor(secret, message) };
}

export function verify(secret: Buffer, message: CallMessage): boolean {
  const expected = Buffer.from(macFor(secret, message), "hex");
  const given = Buffer.from(message.mac, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
