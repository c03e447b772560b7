/**
 * Generated from the permission table: every member, at every tier, in each mode, on each item type, through the
 * real dispatch. The expectation is re-derived from the row's own fields (availability, minTier or per-entity tier,
 * supplementary permissions), so a new row is covered with no new test code.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { API_TABLE, ITEM_TYPES, MODES, ON_PREMISES_POLICY, TIERS, tierAtLeast, ERROR_CODES, type ApiMember, type ItemType, type Mode, type Tier } from "../../src/permissions/index.ts";
import { makeFixture } from "./fixtures.ts";

const fx = await makeFixture();
after(() => fx.host.close());

/** Arguments that make the tier depend on them are given (getEntitiesByType: an entity type allowed at Restricted). */
function argsFor(member: ApiMember): unknown[] {
  if (member.perEntityTypeTier) return ["Url"];
  return [];
}

function expected(member: ApiMember, tier: Tier, mode: Mode, itemType: ItemType): { allowed: true } | { allowed: false; code: number } {
  if (!member.modes.includes(mode) || !member.itemTypes.includes(itemType)) return { allowed: false, code: ERROR_CODES.invalidApiCall };
  const needed = member.perEntityTypeTier ? member.perEntityTypeTier.Url : member.minTier;
  if (!tierAtLeast(tier, needed)) return { allowed: false, code: ERROR_CODES.permissionDenied };
  if ((member.supplementary?.permissions.length ?? 0) > 0) return { allowed: false, code: member.supplementary!.missingError };
  return { allowed: true };
}

let calls = 0;
for (const tier of TIERS) {
  for (const mode of MODES) {
    for (const itemType of ITEM_TYPES) {
      test(`every table member at ${tier}, ${mode} ${itemType}: allowed exactly when the table says`, async () => {
        const item = itemType === "message" ? fx.message : fx.appointment;
        // No supplementary permission granted; legacy tokens on, so only tier, mode and supplementary decide.
        const { client } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: `table-${tier}-${mode}`, item, form: mode, tier, supplementary: [], tenant: ON_PREMISES_POLICY });
        for (const member of API_TABLE) {
          const want = expected(member, tier, mode, itemType);
          const got = await client.call(member.path, argsFor(member));
          calls += 1;
          if (want.allowed) assert.notEqual(got.outcome, "denied", `${member.path} should be allowed at ${tier} ${mode} ${itemType}: ${got.reason}`);
          else {
            assert.equal(got.outcome, "denied", `${member.path} should be denied at ${tier} ${mode} ${itemType}`);
            assert.equal(got.error?.code, want.code, `${member.path} at ${tier} ${mode} ${itemType}: ${got.reason}`);
          }
        }
      });
    }
  }
}

test("the generated matrix covered every row in every combination", () => {
  assert.equal(calls, API_TABLE.length * TIERS.length * MODES.length * ITEM_TYPES.length);
});

test("a supplementary permission, once granted, lets its member through at its tier", async () => {
  const rows = API_TABLE.filter((m) => m.supplementary);
  assert.ok(rows.length > 0);
  for (const member of rows) {
    const mode = member.modes[0]!;
    const itemType = member.itemTypes[0]!;
    const item = itemType === "message" ? fx.message : fx.appointment;
    const { client } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "supp", item, form: mode, tier: member.minTier, supplementary: member.supplementary!.permissions, tenant: ON_PREMISES_POLICY });
    const r = await client.call(member.path, ["<p>footer</p>", { coercionType: "html" }]);
    assert.notEqual(r.outcome, "denied", `${member.path}: ${r.reason}`);
  }
});

test("a denial below the tier carries Outlook's synchronous message for the page to throw", async () => {
  const { client } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "msg", item: fx.message, form: "read", tier: "Restricted" });
  const r = await client.call("Office.context.mailbox.item.body.getAsync", ["text"]);
  assert.equal(r.outcome, "denied");
  assert.equal(r.error?.code, 7000);
  assert.equal(r.thrown, "Elevated permission is required to call the method: 'body.getAsync'.");
});
