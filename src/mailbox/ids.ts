import { createHash, randomBytes } from "node:crypto";

/** 128 random bits, URL-safe: the same string serves as REST id and EWS id (see docs/mailbox.md). */
export function newId(): string {
  return randomBytes(16).toString("base64url");
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Item and attachment ids we hand out match this; anything else is refused before touching the database. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

export function isId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value);
}
