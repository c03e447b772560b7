/**
 * A plain-language account of what an add-in may do to a mailbox, shaped so the web client's consent
 * dialog can render it as is.
 */
import type { AddinManifest } from "./model.ts";
import { TIERS, TIER_INFO, tierRank, type Supplementary, type Tier } from "../permissions/tiers.ts";
import { SUPPLEMENTARY_CONSENT, TIER_CONSENT } from "../permissions/consent-text.ts";
import { describeRule } from "./convert/describe-rule.ts";

export interface Explanation {
  addin: { id: string; name: string; version: string; provider: string; format: string };
  tier: Tier;
  headline: string;
  /** Everything the add-in may do (its tier and all tiers below, then supplementary permissions). */
  can: string[];
  /** What the next tiers up would add — what this add-in may NOT do. */
  cannot: string[];
  supplementary: { name: Supplementary; headline: string; adds: string[] }[];
  /** When and where it appears. */
  appears: string[];
  /** Where its code comes from. */
  loadsFrom: string[];
}

export function explainManifest(m: AddinManifest): Explanation {
  const rank = tierRank(m.tier);
  const can = TIERS.filter((t) => tierRank(t) <= rank).flatMap((t) => TIER_CONSENT[t].adds);
  const cannot = TIERS.filter((t) => tierRank(t) > rank).flatMap((t) => TIER_CONSENT[t].adds);
  const supplementary = m.supplementary.map((s) => ({ name: s, ...SUPPLEMENTARY_CONSENT[s] }));
  for (const s of supplementary) can.push(...s.adds);

  const appears: string[] = [];
  const words = (r: Parameters<typeof describeRule>[0]) => describeRule(r).replace(/^\((.*)\)$/, "$1");
  if (m.rules) appears.push(`When you are ${words(m.rules)}`);
  const surfaceWords: Record<string, string> = {
    MessageReadCommandSurface: "as a button when you read a message",
    MessageComposeCommandSurface: "as a button when you write a message",
    AppointmentOrganizerCommandSurface: "as a button when you organise a meeting",
    AppointmentAttendeeCommandSurface: "as a button when you view a meeting you were invited to",
    ReportPhishingCommandSurface: "as the report-spam button",
    Module: "as its own module in the navigation bar",
    DetectedEntity: "as a link on recognised text in a message",
    CustomPane: "as a pane under the message",
    MobileMessageReadCommandSurface: "on mobile when you read a message",
  };
  for (const ep of m.extensionPoints) {
    if (ep.type === "LaunchEvent") {
      appears.push(`Runs by itself, without a click, on: ${(ep.events ?? []).map((e) => e.type.replace(/^On/, "")).join(", ")}`);
    } else {
      appears.push(`${surfaceWords[ep.type] ?? `on ${ep.type}`}${ep.rule ? ` (when ${words(ep.rule)})` : ""}`.replace(/^./, (c) => c.toUpperCase()));
    }
  }
  const origins = new Set<string>();
  for (const u of m.urls) {
    try {
      if (/^https?:/i.test(u.url)) origins.add(new URL(u.url).origin);
    } catch { /* not a URL */ }
  }
  return {
    addin: { id: m.id, name: m.name.value, version: m.version, provider: m.provider.name, format: m.format },
    tier: m.tier,
    headline: `${m.name.value || "This add-in"} ${TIER_CONSENT[m.tier].headline.charAt(0).toLowerCase()}${TIER_CONSENT[m.tier].headline.slice(1)}`,
    can,
    cannot,
    supplementary,
    appears: [...new Set(appears)],
    loadsFrom: [...origins].sort(),
  };
}

export function formatExplanation(e: Explanation): string {
  const lines = [
    `${e.addin.name} ${e.addin.version} by ${e.addin.provider || "an unnamed provider"} (${e.addin.format.toUpperCase()} manifest, id ${e.addin.id})`,
    "",
    `${e.headline}. Permission: ${e.tier} (${TIER_INFO[e.tier].label}).`,
    "",
    "It may:",
    ...e.can.map((c) => `  • ${c}`),
  ];
  if (e.cannot.length) lines.push("", "It may not:", ...e.cannot.map((c) => `  • ${c}`));
  if (e.appears.length) lines.push("", "Where it appears:", ...e.appears.map((a) => `  • ${a}`));
  if (e.loadsFrom.length) lines.push("", "It loads code and content from:", ...e.loadsFrom.map((o) => `  • ${o}`));
  return lines.join("\n") + "\n";
}
