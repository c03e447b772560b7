/**
 * decide() against the table: generated for every row × tier × mode × item type (a new row is covered with no new
 * test code), then the special cases of the reference (§2.1, §2.3, §3, §8, §9) and hostile paths.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  API_TABLE,
  ENTITY_TYPES,
  EXCHANGE_ONLINE_POLICY,
  ITEM_TYPES,
  MODES,
  ON_PREMISES_POLICY,
  SUPPLEMENTARY,
  TIERS,
  decide,
  elevatedPermissionMessage,
  lookupMember,
  lowestTierFor,
  membersAllowedAt,
  tierAtLeast,
  type ApiMember,
  type ApiRequest,
  type Decision,
  type Deny,
  type Grant,
  type Tier,
} from "../../src/permissions/index.ts";

const IT = "Office.context.mailbox.item";
const MB = "Office.context.mailbox";
const FULL: Omit<Grant, "tier"> = { supplementary: [...SUPPLEMENTARY], tenant: ON_PREMISES_POLICY };
const grant = (tier: Tier, extra: Partial<Grant> = {}): Grant => ({ tier, ...FULL, ...extra });

function denied(d: Decision): Deny {
  assert.equal(d.allowed, false, "expected a denial");
  return d as Deny;
}

/** The expected outcome computed from the row alone. */
function expectedSurface(m: ApiMember, entity?: string) {
  const b = m.restrictedBehaviour;
  if (b.kind === "withhold") return { kind: "withhold", value: b.value };
  if (b.kind === "filterEntities") return { kind: "filterEntities" };
  if (b.kind === "perEntityType") return { kind: "throw", message: elevatedPermissionMessage(entity!) };
  if (m.deniedError.kind === "elevatedPermission") return { kind: "throw", message: elevatedPermissionMessage(m.deniedError.method) };
  return { kind: "throw" };
}

test("every row × tier × mode × item type: allowed exactly when the table says, with the right error otherwise", () => {
  let cases = 0;
  for (const m of API_TABLE) {
    const entities: (string | undefined)[] = m.perEntityTypeTier ? [...ENTITY_TYPES] : [undefined];
    for (const tier of TIERS) {
      for (const mode of MODES) {
        for (const itemType of ITEM_TYPES) {
          for (const entity of entities) {
            cases++;
            const request: ApiRequest = { path: m.path, mode, itemType, ...(entity ? { args: { entityType: entity } } : {}) };
            const d = decide(request, grant(tier));
            const available = m.modes.includes(mode) && m.itemTypes.includes(itemType);
            const needed = entity ? m.perEntityTypeTier![entity as keyof typeof m.perEntityTypeTier] : m.minTier;
            const label = `${m.path} ${tier} ${mode} ${itemType} ${entity ?? ""}`;
            if (!available) {
              const x = denied(d);
              assert.equal(x.reason, "notAvailableInContext", label);
              assert.equal(x.error.code, 5004, label);
              assert.equal(x.surface.kind, "absent", label);
            } else if (!tierAtLeast(tier, needed)) {
              const x = denied(d);
              assert.equal(x.reason, "tierTooLow", label);
              assert.equal(x.error.code, 7000, label);
              assert.equal(x.requiredTier, needed, label);
              const surface = expectedSurface(m, entity);
              assert.equal(x.surface.kind, surface.kind, label);
              if ("message" in surface && surface.message) assert.equal((x.surface as { message: string }).message, surface.message, label);
              if ("value" in surface) assert.equal((x.surface as { value: string }).value, surface.value, label);
            } else {
              assert.equal(d.allowed, true, label);
              if (d.allowed) assert.equal(d.member, m, label);
            }
          }
        }
      }
    }
  }
  assert.ok(cases > API_TABLE.length * 16);
});

test("every row with a supplementary permission: tier AND supplementary, missing supplementary → 9047", () => {
  for (const m of API_TABLE.filter((r) => r.supplementary)) {
    const ctx = { path: m.path, mode: m.modes[0]!, itemType: m.itemTypes[0]! };
    assert.equal(decide(ctx, grant(m.minTier)).allowed, true, m.path);
    const noSupp = denied(decide(ctx, grant(m.minTier, { supplementary: [] })));
    assert.equal(noSupp.reason, "missingSupplementary");
    assert.equal(noSupp.error.code, 9047);
    assert.equal(noSupp.error.name, "MissingExtendedPermissionsForAPIError");
    assert.equal(noSupp.surface.kind, "asyncError");
    const tierLow = API_TABLE.length && m.minTier !== "Restricted" ? denied(decide(ctx, grant("Restricted"))) : undefined;
    if (tierLow) assert.equal(tierLow.reason, "tierTooLow", "the tier is checked first (client-side)");
  }
});

test("every legacy-token row is refused with 9042 when the tenant has legacy tokens off", () => {
  for (const m of API_TABLE.filter((r) => r.legacyExchangeToken)) {
    const ctx = { path: m.path, mode: m.modes[0]!, itemType: m.itemTypes[0]! };
    assert.equal(decide(ctx, grant(m.minTier)).allowed, true, m.path);
    const off = denied(decide(ctx, grant(m.minTier, { tenant: EXCHANGE_ONLINE_POLICY })));
    assert.equal(off.reason, "legacyTokensDisabled");
    assert.equal(off.error.code, 9042);
    assert.equal(off.error.name, "InternalServerError");
  }
});

test("every item member needs an open item", () => {
  for (const m of API_TABLE.filter((r) => r.path.startsWith(`${IT}.`))) {
    const d = denied(decide({ path: m.path, mode: m.modes[0]!, itemType: m.itemTypes[0]!, hasItemContext: false }, grant("ReadWriteMailbox")));
    assert.equal(d.reason, "noItemContext", m.path);
    assert.equal(d.surface.kind, "throw");
    assert.match((d.surface as { message: string }).message, /when Office\.context\.mailbox\.item is null/);
  }
});

test("§9.2–9.4: subject/location setAsync, sessionData get/set and getSelectedDataAsync need ReadWriteItem", () => {
  for (const path of [`${IT}.subject.setAsync`, `${IT}.location.setAsync`, `${IT}.sessionData.getAsync`, `${IT}.sessionData.setAsync`, `${IT}.getSelectedDataAsync`]) {
    const member = lookupMember(path)!;
    const ctx = { path, mode: "compose" as const, itemType: member.itemTypes.at(-1)! };
    const d = denied(decide(ctx, grant("ReadItem")));
    assert.equal(d.reason, "tierTooLow");
    assert.equal(member.documentedTier, "ReadItem");
    assert.equal(decide(ctx, grant("ReadWriteItem")).allowed, true);
  }
  const d = denied(decide({ path: `${IT}.subject.setAsync`, mode: "compose", itemType: "message" }, grant("ReadItem")));
  assert.deepEqual(d.surface, { kind: "throw", message: "Elevated permission is required to call the method: 'subject.setAsync'." });
});

test("§2.1: attachments are [] and subject undefined at Restricted; userProfile and body throw", () => {
  const read = (path: string) => decide({ path, mode: "read", itemType: "message" }, grant("Restricted"));
  assert.deepEqual(denied(read(`${IT}.attachments`)).surface, { kind: "withhold", value: "emptyArray" });
  assert.deepEqual(denied(read(`${IT}.subject`)).surface, { kind: "withhold", value: "undefined" });
  assert.equal(denied(read(`${MB}.userProfile`)).surface.kind, "throw");
  assert.equal(denied(read(`${IT}.body`)).surface.kind, "throw");
  assert.equal(read(`${IT}.itemType`).allowed, false, "identifiers follow the documented ReadItem (§9.7)");
  assert.equal(read(MB).allowed, true);
  assert.equal(read(IT).allowed, true);
  assert.equal(read("Office.context.roamingSettings.saveAsync").allowed, true);
});

test("§3: getEntitiesByType is per entity type; getEntities at Restricted is filtered", () => {
  const byType = (entityType: string | undefined, tier: Tier) =>
    decide({ path: `${IT}.getEntitiesByType`, mode: "read", itemType: "message", ...(entityType === undefined ? {} : { args: { entityType } }) }, grant(tier));
  for (const t of ["Address", "Url", "PhoneNumber", "address", "phoneNumber", "url"]) assert.equal(byType(t, "Restricted").allowed, true, t);
  for (const t of ["EmailAddress", "Contact", "MeetingSuggestion", "TaskSuggestion", "contact"]) {
    const d = denied(byType(t, "Restricted"));
    assert.equal(d.reason, "tierTooLow");
    assert.equal(d.requiredTier, "ReadItem");
    assert.match((d.surface as { message: string }).message, /'(EmailAddress|Contact|MeetingSuggestion|TaskSuggestion)'/);
    assert.equal(byType(t, "ReadItem").allowed, true);
  }
  assert.equal(denied(byType("Bogus", "ReadWriteMailbox")).reason, "unknownEntityType");
  assert.equal(denied(byType(undefined, "ReadWriteMailbox")).reason, "unknownEntityType");
  assert.equal(denied(byType("__proto__", "ReadWriteMailbox")).reason, "unknownEntityType");
  const filtered = denied(decide({ path: `${IT}.getEntities`, mode: "read", itemType: "message" }, grant("Restricted")));
  assert.deepEqual(filtered.surface, { kind: "filterEntities", allowed: ["Address", "Url", "PhoneNumber"] });
});

test("§2.3: getCallbackTokenAsync without an item context needs isRest and ReadWriteMailbox, else 9048", () => {
  const token = (tier: Tier, isRest: boolean | undefined, hasItemContext: boolean, tenant = ON_PREMISES_POLICY) =>
    decide({ path: `${MB}.getCallbackTokenAsync`, mode: "read", itemType: "message", hasItemContext, ...(isRest === undefined ? {} : { args: { isRest } }) }, grant(tier, { tenant }));
  assert.equal(token("ReadItem", undefined, true).allowed, true, "RI suffices with an item (§9.1)");
  assert.equal(token("ReadItem", true, true).allowed, true);
  for (const [tier, isRest] of [["ReadWriteMailbox", false], ["ReadWriteMailbox", undefined], ["ReadWriteItem", true], ["ReadItem", true]] as const) {
    const d = denied(token(tier, isRest, false));
    assert.equal(d.reason, "tokenAccessDenied", `${tier} ${isRest}`);
    assert.equal(d.error.code, 9048);
    assert.equal(d.error.name, "TokenAccessDenied");
    assert.equal(d.surface.kind, "throw");
  }
  const ok = token("ReadWriteMailbox", true, false);
  assert.equal(ok.allowed, true);
  if (ok.allowed) assert.equal(ok.requiredTier, "ReadWriteMailbox");
  assert.equal(denied(token("ReadWriteMailbox", true, false, EXCHANGE_ONLINE_POLICY)).reason, "legacyTokensDisabled");
  assert.equal(denied(token("Restricted", undefined, true)).surface.kind, "throw");
});

test("§8.1: EWS and identity-token denials name the method as Outlook does", () => {
  const d1 = denied(decide({ path: `${MB}.makeEwsRequestAsync`, mode: "read", itemType: "message" }, grant("ReadWriteItem")));
  assert.equal((d1.surface as { message: string }).message, "Elevated permission is required to call the method: 'mailbox.makeEwsRequest'.");
  const d2 = denied(decide({ path: `${MB}.getUserIdentityTokenAsync`, mode: "compose", itemType: "appointment" }, grant("Restricted")));
  assert.equal((d2.surface as { message: string }).message, "Elevated permission is required to call the method: 'mailbox.getUserIdentityToken'.");
});

test("shared-folder members: SharedFolder declared but forbidden by the tenant → 7000", () => {
  const path = `${IT}.getSharedPropertiesAsync`;
  const d = denied(decide({ path, mode: "read", itemType: "message" }, grant("ReadItem", { tenant: { legacyTokensEnabled: true, sharedFoldersAllowed: false } })));
  assert.equal(d.reason, "supplementaryBlockedByTenant");
  assert.equal(d.error.code, 7000);
  assert.equal(denied(decide({ path, mode: "read", itemType: "message" }, grant("ReadItem", { supplementary: ["AppendOnSend"] }))).error.code, 9047);
});

test("unknown and hostile paths are refused as unknown members (5000), never resolved through prototypes", () => {
  for (const path of ["", "__proto__", "constructor", "toString", `${IT}.__proto__`, `${IT}.constructor`, "Office.LoadedMessageRead.__proto__", "Office.toString.x", `${IT}.body.setAsync `, `${IT}..body`, "office.context.mailbox", `${IT}.Body.setAsync`]) {
    const d = denied(decide({ path, mode: "compose", itemType: "message" }, grant("ReadWriteMailbox")));
    assert.equal(d.reason, "unknownMember", JSON.stringify(path));
    assert.equal(d.error.code, 5000);
  }
});

test("members of a loaded item follow the current item's rows; unloadAsync has its own", () => {
  assert.equal(lookupMember("Office.LoadedMessageRead.subject")?.path, `${IT}.subject`);
  assert.equal(lookupMember("Office.LoadedMessageCompose.body")?.path, `${IT}.body`);
  assert.equal(lookupMember("Office.LoadedMessageRead.unloadAsync")?.path, "Office.LoadedMessageRead.unloadAsync");
  assert.equal(decide({ path: "Office.LoadedMessageRead.subject", mode: "read", itemType: "message" }, grant("ReadWriteMailbox")).allowed, true);
});

test("membersAllowedAt and lowestTierFor read the same table", () => {
  const atRestricted = membersAllowedAt("Restricted", "read", "message").map((m) => m.path);
  assert.ok(atRestricted.includes(`${IT}.getEntitiesByType`));
  assert.ok(atRestricted.includes("Office.context.roamingSettings.saveAsync"));
  assert.ok(!atRestricted.includes(`${IT}.body.getAsync`));
  for (const tier of TIERS) for (const mode of MODES) for (const itemType of ITEM_TYPES) {
    for (const m of membersAllowedAt(tier, mode, itemType)) assert.equal(decide({ path: m.path, mode, itemType, args: { entityType: "Address" } }, grant(tier)).allowed, true, m.path);
  }
  const low = lowestTierFor([`${IT}.body.getAsync`, `${IT}.subject.setAsync`, `${IT}.body.appendOnSendAsync`, "Office.nope", "Office.nope"]);
  assert.equal(low.tier, "ReadWriteItem");
  assert.deepEqual(low.unknown, ["Office.nope"]);
  assert.deepEqual(low.supplementary, ["AppendOnSend"]);
  assert.equal(lowestTierFor([]).tier, "Restricted");
  assert.equal(lowestTierFor([`${MB}.makeEwsRequestAsync`, MB]).tier, "ReadWriteMailbox");
});
