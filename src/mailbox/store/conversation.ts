import { createHash } from "node:crypto";

/** Subject without reply/forward prefixes: Exchange's conversation topic. */
export function normalizeSubject(subject: string): string {
  let s = subject.trim();
  for (;;) {
    const next = s.replace(/^(re|fw|fwd|aw|wg|sv|vs|tr|rif|res)\s*(\[\d+\])?\s*:\s*/i, "");
    if (next === s) return s;
    s = next;
  }
}

/**
 * Conversation id: from Thread-Index (its first 22 bytes name the conversation, as in Exchange) when present,
 * else from the normalized subject — so replies join their thread across import, create and send.
 */
export function conversationIdFor(subject: string, threadIndex?: string | null): string {
  if (threadIndex) {
    const raw = Buffer.from(threadIndex.trim(), "base64");
    if (raw.length >= 22) return createHash("sha256").update(raw.subarray(0, 22)).digest("base64url").slice(0, 32);
  }
  return createHash("sha256").update(`subject:${normalizeSubject(subject).toLowerCase()}`).digest("base64url").slice(0, 32);
}
