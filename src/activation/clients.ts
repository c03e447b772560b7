/**
 * Outlook client profiles as data: every activation-relevant limit of the reference
 * (shared/reference/outlook-addin-model.md §3, §4.2, §4.4, §5) lives here, nowhere else.
 */

export const CLIENT_IDS = ["web", "new-windows", "windows", "mac", "ios", "android"] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

/** How a client limits the body text a body regex is run on. */
export type BodyLimit =
  /** The add-in's body regex rules are not evaluated at all (false) when the body has `max` or more chars. */
  | { kind: "skip-if-at-least"; chars: number }
  /** Only the first `bytes` UTF-8 bytes are evaluated (never splitting a character). */
  | { kind: "truncate-bytes"; bytes: number }
  /** Only the first `chars` UTF-16 code units are evaluated. */
  | { kind: "truncate-chars"; chars: number };

export type ProtectedItemSupport =
  | { kind: "always" }
  | { kind: "never" }
  /** Activates from this build on (dotted numbers compared left to right). */
  | { kind: "from-build"; build: string; label: string };

export type RegexDialect = "javascript" | "ecmascript5-stl";

export interface ClientProfile {
  id: ClientId;
  label: string;
  /** Which engine Outlook evaluates activation regexes with on this client. */
  regexDialect: RegexDialect;
  /** Client build this profile models; compared against the IRM / signed thresholds. */
  build: string;
  body: { plain: BodyLimit; html: BodyLimit };
  /** Longest match kept, per property kind; longer matches are silently dropped. */
  maxMatchLength: { plain: number; html: number };
  /** Unique matches kept per regex. */
  maxMatches: number;
  /** How much of the body Exchange's known-entity stamping reads (getEntities & co.). */
  entityExtractionChars: number;
  /** How much of the body an ItemHasKnownEntity rule is evaluated on. */
  entityRuleBody: BodyLimit;
  irm: ProtectedItemSupport;
  signed: ProtectedItemSupport;
  /** Other encryption (S/MIME encrypted). */
  encrypted: ProtectedItemSupport;
  /**
   * Whether the client applies the admin-tunable regex time budget and retry limit
   * (ActivationAlertThreshold / ActivationRetryLimit). Other clients still get Outpost's own
   * safety budget with the same default, so a catastrophic regex can never hang the server.
   */
  governedRegexTime: boolean;
}

const MB = 1024 * 1024;
const KB = 1024;

const WEB_BODY: BodyLimit = { kind: "skip-if-at-least", chars: 500_000 };
const MOBILE_PLAIN: BodyLimit = { kind: "skip-if-at-least", chars: 16_000 };
const MOBILE_HTML: BodyLimit = { kind: "truncate-chars", chars: 64_000 };
const CLASSIC_PLAIN: BodyLimit = { kind: "truncate-bytes", bytes: 1 * MB };
const CLASSIC_HTML: BodyLimit = { kind: "truncate-bytes", bytes: 512 * KB };
const ENTITY_CHARS = 2_000;
const SERVER_ENTITY_RULE: BodyLimit = { kind: "truncate-chars", chars: ENTITY_CHARS };
const CLASSIC_ENTITY_RULE: BodyLimit = { kind: "truncate-bytes", bytes: 1 * MB };

/** What every client of a family shares (reference §4.2, §5); each profile below adds only what is its own. */
type Family = Omit<ClientProfile, "id" | "label" | "build" | "irm" | "signed">;

const BROWSER_FAMILY: Family = {
  regexDialect: "javascript",
  body: { plain: WEB_BODY, html: WEB_BODY },
  maxMatchLength: { plain: 3072, html: 3072 },
  maxMatches: 50,
  entityExtractionChars: ENTITY_CHARS,
  entityRuleBody: SERVER_ENTITY_RULE,
  encrypted: { kind: "always" },
  governedRegexTime: false,
};

const CLASSIC_FAMILY: Family = {
  regexDialect: "ecmascript5-stl",
  body: { plain: CLASSIC_PLAIN, html: CLASSIC_HTML },
  maxMatchLength: { plain: 1536, html: 3072 },
  maxMatches: 50,
  entityExtractionChars: ENTITY_CHARS,
  entityRuleBody: CLASSIC_ENTITY_RULE,
  encrypted: { kind: "always" },
  governedRegexTime: true,
};

const MOBILE_FAMILY: Family = {
  regexDialect: "javascript",
  body: { plain: MOBILE_PLAIN, html: MOBILE_HTML },
  maxMatchLength: { plain: 3072, html: 3072 },
  maxMatches: 50,
  entityExtractionChars: ENTITY_CHARS,
  entityRuleBody: SERVER_ENTITY_RULE,
  encrypted: { kind: "never" },
  governedRegexTime: false,
};

export const CLIENT_PROFILES: Readonly<Record<ClientId, ClientProfile>> = {
  web: { ...BROWSER_FAMILY, id: "web", label: "Outlook on the web", build: "20250101.1", irm: { kind: "always" }, signed: { kind: "always" } },
  "new-windows": { ...BROWSER_FAMILY, id: "new-windows", label: "new Outlook on Windows", build: "1.2025.101.100", irm: { kind: "always" }, signed: { kind: "always" } },
  windows: {
    ...CLASSIC_FAMILY,
    id: "windows",
    label: "classic Outlook on Windows",
    /** Version 2409 (Build 17928.20114). */
    build: "17928.20114",
    irm: { kind: "from-build", build: "13229.10000", label: "Version 2009 (Build 13229.10000)" },
    signed: { kind: "from-build", build: "8711.1000", label: "Version 1711 (Build 8711.1000)" },
  },
  mac: {
    ...CLASSIC_FAMILY,
    id: "mac",
    label: "Outlook on Mac",
    /** 16.89 (24091630). */
    build: "16.89",
    irm: { kind: "from-build", build: "16.77", label: "16.77 (23082700)" },
    signed: { kind: "always" },
  },
  ios: { ...MOBILE_FAMILY, id: "ios", label: "Outlook on iOS", build: "4.2500.0", irm: { kind: "never" }, signed: { kind: "never" } },
  android: { ...MOBILE_FAMILY, id: "android", label: "Outlook on Android", build: "4.2500.0", irm: { kind: "never" }, signed: { kind: "never" } },
};

export function isClientId(value: string): value is ClientId {
  return (CLIENT_IDS as readonly string[]).includes(value);
}

/** A profile, optionally with another build (e.g. an older classic Outlook). */
export function clientProfile(id: ClientId, overrides: Partial<Pick<ClientProfile, "build">> = {}): ClientProfile {
  return { ...CLIENT_PROFILES[id], ...overrides };
}

/** Compares dotted numeric builds ("13229.10000" vs "17928.20114", "16.77" vs "16.9"). */
export function compareBuilds(a: string, b: string): number {
  const pa = a.split(/[.\s()]+/).filter(Boolean).map(Number);
  const pb = b.split(/[.\s()]+/).filter(Boolean).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function supportsProtected(support: ProtectedItemSupport, build: string): boolean {
  if (support.kind === "always") return true;
  if (support.kind === "never") return false;
  return compareBuilds(build, support.build) >= 0;
}
