/**
 * Consent: what the user is shown (the consent text of src/permissions and the manifest's explanation) and what
 * they accept. The consent text's version is derived from the text itself, so a changed wording is a new version.
 */
import { createHash } from "node:crypto";
import { SUPPLEMENTARY_CONSENT, TIER_CONSENT } from "../permissions/consent-text.ts";
import { SUPPLEMENTARY, isTier, tierRank, type Supplementary, type Tier } from "../permissions/tiers.ts";
import { explainManifest, type Explanation } from "../manifest/explain.ts";
import type { AddinManifest } from "../manifest/model.ts";

export const CONSENT_TEXT_VERSION = createHash("sha256").update(JSON.stringify([TIER_CONSENT, SUPPLEMENTARY_CONSENT])).digest("hex").slice(0, 12);

/** What an add-in asks for. */
export interface Ask {
  tier: Tier;
  supplementary: Supplementary[];
}

export interface ConsentPrompt extends Ask {
  addin: { id: string; name: string; version: string; provider: string };
  textVersion: string;
  explanation: Explanation;
}

/** What the user accepted (sent back by the client): must match the prompt exactly. */
export interface ConsentAcceptance extends Ask {
  textVersion: string;
}

/** The consent as stored in the install record. */
export interface GivenConsent extends Ask {
  by: string;
  at: string;
  textVersion: string;
}

export function askOf(m: AddinManifest): Ask {
  return { tier: m.tier, supplementary: [...m.supplementary].sort() };
}

export function consentPrompt(m: AddinManifest): ConsentPrompt {
  return { addin: { id: m.id.toLowerCase(), name: m.name.value, version: m.version, provider: m.provider.name }, ...askOf(m), textVersion: CONSENT_TEXT_VERSION, explanation: explainManifest(m) };
}

/** True when `accept` is exactly what `prompt` asked (same tier, same supplementary permissions, current text). */
export function acceptanceMatches(prompt: Ask, accept: unknown): accept is ConsentAcceptance {
  if (!accept || typeof accept !== "object") return false;
  const a = accept as Partial<ConsentAcceptance>;
  if (typeof a.tier !== "string" || !isTier(a.tier) || a.tier !== prompt.tier) return false;
  if (a.textVersion !== CONSENT_TEXT_VERSION || !Array.isArray(a.supplementary)) return false;
  const given = [...new Set(a.supplementary)].sort();
  return given.length === prompt.supplementary.length && given.every((s, i) => s === prompt.supplementary[i]);
}

/** An update escalates when it asks for a higher tier or a supplementary permission not consented to. */
export function escalates(next: Ask, consented: Ask): boolean {
  return tierRank(next.tier) > tierRank(consented.tier) || next.supplementary.some((s) => !consented.supplementary.includes(s));
}

/** The granted permission: never more than the manifest asks, never more than the user accepted. */
export function granted(manifest: Ask, consent: Ask | null): Ask {
  if (!consent) return { tier: manifest.tier, supplementary: [...manifest.supplementary] };
  const tier = tierRank(manifest.tier) <= tierRank(consent.tier) ? manifest.tier : consent.tier;
  return { tier, supplementary: manifest.supplementary.filter((s) => consent.supplementary.includes(s)) };
}

export function isSupplementaryList(v: unknown): v is Supplementary[] {
  return Array.isArray(v) && v.every((s) => (SUPPLEMENTARY as readonly string[]).includes(s as string));
}
