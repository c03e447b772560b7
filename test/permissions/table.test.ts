/** Integrity of the permission table: the rules every row must follow, so a wrong new row fails here. */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  API_TABLE,
  ENTITY_TYPES,
  ITEM_TYPES,
  MODES,
  SUPPLEMENTARY,
  TIER_CHOICES,
  isTier,
  lookupMember,
  maxTier,
  type ApiMember,
} from "../../src/permissions/index.ts";

const each = (check: (m: ApiMember) => string | undefined): string[] => API_TABLE.flatMap((m) => check(m) ?? []);

test("the table has at least 150 rows and every path is unique", () => {
  assert.ok(API_TABLE.length >= 150, `${API_TABLE.length} rows`);
  const seen = new Set<string>();
  const dupes = API_TABLE.filter((m) => (seen.has(m.path) ? true : (seen.add(m.path), false))).map((m) => m.path);
  assert.deepEqual(dupes, []);
});

test("every row of outlook-addin-model.md §2 (1–115) is represented", () => {
  const rows = new Set(API_TABLE.flatMap((m) => m.refRows));
  const missing = Array.from({ length: 115 }, (_, i) => i + 1).filter((n) => !rows.has(n));
  assert.deepEqual(missing, []);
  assert.deepEqual(each((m) => (m.refRows.every((n) => n >= 1 && n <= 115) ? undefined : m.path)), []);
});

test("paths are dotted Office.js member paths", () => {
  assert.deepEqual(each((m) => (/^Office(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(m.path) ? undefined : m.path)), []);
});

test("tiers, modes, item types and requirement sets are valid", () => {
  const problems = each((m) => {
    if (!isTier(m.minTier)) return `${m.path}: minTier ${m.minTier}`;
    if (m.documentedTier !== null && !isTier(m.documentedTier)) return `${m.path}: documentedTier`;
    if (m.runtimeTier !== undefined && !isTier(m.runtimeTier)) return `${m.path}: runtimeTier`;
    if (m.modes.length === 0 || !m.modes.every((x) => (MODES as readonly string[]).includes(x))) return `${m.path}: modes`;
    if (m.itemTypes.length === 0 || !m.itemTypes.every((x) => (ITEM_TYPES as readonly string[]).includes(x))) return `${m.path}: itemTypes`;
    if (!/^Mailbox (1\.\d{1,2}|preview)$/.test(m.requirementSet)) return `${m.path}: requirementSet ${m.requirementSet}`;
    if ((m.requirementSet === "Mailbox preview") !== (m.status === "preview")) return `${m.path}: preview status and set disagree`;
    return undefined;
  });
  assert.deepEqual(problems, []);
});

test("every row has a one-line description in our words and at least one source", () => {
  const problems = each((m) => {
    if (m.description.trim().length < 8 || m.description.includes("\n") || m.description.length > 120) return `${m.path}: description`;
    if (m.source.length === 0) return `${m.path}: source`;
    return undefined;
  });
  assert.deepEqual(problems, []);
});

test("minTier differs from documentedTier only where a documented choice explains it", () => {
  const problems = each((m) => {
    const differs = m.documentedTier !== m.minTier;
    if (differs && !m.tierChoice) return `${m.path}: enforces ${m.minTier}, documented ${m.documentedTier}, no tierChoice`;
    if (!differs && m.tierChoice) return `${m.path}: tierChoice without a difference`;
    if (m.tierChoice && !TIER_CHOICES[m.tierChoice]) return `${m.path}: unknown choice ${m.tierChoice}`;
    return undefined;
  });
  assert.deepEqual(problems, []);
  // Every choice is used, and every choice is explained in the hand-written docs.
  const used = new Set(API_TABLE.map((m) => m.tierChoice).filter(Boolean));
  assert.deepEqual(Object.keys(TIER_CHOICES).filter((id) => !used.has(id as never)), []);
});

test("minTier is the stricter of the documented level and the runtime's check", () => {
  const problems = each((m) => {
    const expected = maxTier([m.documentedTier ?? "Restricted", m.runtimeTier ?? "Restricted"]);
    return expected === m.minTier ? undefined : `${m.path}: expected ${expected}, table ${m.minTier}`;
  });
  assert.deepEqual(problems, []);
});

test("restricted behaviour fits the tier and the kind", () => {
  const problems = each((m) => {
    const b = m.restrictedBehaviour;
    if (m.perEntityTypeTier) {
      if (b.kind !== "perEntityType") return `${m.path}: per-entity tiers need perEntityType`;
      if (!ENTITY_TYPES.every((t) => isTier(m.perEntityTypeTier![t]))) return `${m.path}: perEntityTypeTier incomplete`;
      return m.minTier === maxTier([]) ? undefined : `${m.path}: minTier must be the lowest entity tier`;
    }
    if (b.kind === "perEntityType") return `${m.path}: perEntityType without tiers`;
    if ((b.kind === "allowed") !== (m.minTier === "Restricted")) return `${m.path}: 'allowed' exactly when minTier is Restricted`;
    if (b.kind === "withhold" && m.kind !== "property") return `${m.path}: only properties can be withheld`;
    if (m.kind === "method" && m.deniedError.kind !== "elevatedPermission") return `${m.path}: methods deny with the elevated-permission error`;
    return undefined;
  });
  assert.deepEqual(problems, []);
});

test("the elevated-permission {0} is the last two path segments except for documented exceptions", () => {
  const exceptions: Record<string, string> = {
    "Office.context.mailbox.makeEwsRequestAsync": "mailbox.makeEwsRequest",
    "Office.context.mailbox.getUserIdentityTokenAsync": "mailbox.getUserIdentityToken",
  };
  const problems = each((m) => {
    if (m.deniedError.kind !== "elevatedPermission") return undefined;
    const expected = exceptions[m.path] ?? m.path.split(".").slice(-2).join(".");
    return m.deniedError.method === expected ? undefined : `${m.path}: ${m.deniedError.method}`;
  });
  assert.deepEqual(problems, []);
  assert.equal(lookupMember("Office.context.mailbox.item.subject.setAsync")?.deniedError.kind, "elevatedPermission");
});

test("supplementary requirements are explicit all-of combinations of known permissions", () => {
  const problems = each((m) => {
    const s = m.supplementary;
    if (!s) return undefined;
    if (s.combinator !== "allOf" || s.permissions.length === 0) return `${m.path}: combinator`;
    if (!s.permissions.every((p) => (SUPPLEMENTARY as readonly string[]).includes(p))) return `${m.path}: unknown supplementary`;
    return s.missingError === 9047 ? undefined : `${m.path}: missingError`;
  });
  assert.deepEqual(problems, []);
  const withSupplementary = API_TABLE.filter((m) => m.supplementary).map((m) => m.path.split(".").pop());
  assert.deepEqual(withSupplementary.sort(), ["appendOnSendAsync", "getSharedPropertiesAsync", "prependOnSendAsync"]);
});

test("legacy Exchange token members are exactly the token and EWS calls", () => {
  const legacy = API_TABLE.filter((m) => m.legacyExchangeToken).map((m) => m.path);
  assert.deepEqual(legacy.sort(), [
    "Office.context.mailbox.getCallbackTokenAsync",
    "Office.context.mailbox.getUserIdentityTokenAsync",
    "Office.context.mailbox.makeEwsRequestAsync",
  ]);
});

test("limits named by the reference are on their rows", () => {
  const limit = (path: string) => lookupMember(path)?.limits?.map((l) => l.max) ?? [];
  assert.ok(limit("Office.context.mailbox.item.body.setAsync").includes(1_000_000));
  assert.ok(limit("Office.context.mailbox.item.subject.setAsync").includes(255));
  assert.ok(limit("Office.CustomProperties.saveAsync").includes(2_500));
  assert.ok(limit("Office.context.roamingSettings.saveAsync").includes(32_768));
  assert.ok(limit("Office.context.mailbox.item.body.appendOnSendAsync").includes(5_000));
  assert.ok(limit("Office.context.mailbox.makeEwsRequestAsync").includes(1_000_000));
  assert.ok(limit("Office.context.mailbox.item.to.addAsync").includes(500));
  assert.deepEqual(each((m) => (m.limits ?? []).every((l) => l.max > 0 && l.what.length > 0) ? undefined : m.path), []);
});

test("Recipients and Time members have one row per reachable path", () => {
  for (const field of ["to", "cc", "bcc", "requiredAttendees", "optionalAttendees"]) {
    for (const op of ["getAsync", "setAsync", "addAsync"]) assert.ok(lookupMember(`Office.context.mailbox.item.${field}.${op}`), `${field}.${op}`);
  }
  for (const field of ["start", "end"]) for (const op of ["getAsync", "setAsync"]) assert.ok(lookupMember(`Office.context.mailbox.item.${field}.${op}`));
});
