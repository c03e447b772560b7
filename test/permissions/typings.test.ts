/**
 * Cross-checks the permission table against the real Office.js surface in `@types/office-js`:
 * every member name exists where the table says (each mode × item type), the table lists every Outlook item member
 * the typings declare, and the requirement set and documented tier match the typings' doc comments.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { API_TABLE, ITEM_TYPES, MODES, type ApiMember, type ItemType, type Mode, type Tier } from "../../src/permissions/index.ts";
import { ITEM_INTERFACE, officeInterfaces, resolve } from "./office-typings.ts";

const TIER_LABEL: Record<string, Tier> = {
  restricted: "Restricted",
  "read item": "ReadItem",
  "read/write item": "ReadWriteItem",
  "read/write mailbox": "ReadWriteMailbox",
};

function combos(m: ApiMember): { mode: Mode; itemType: ItemType }[] {
  return m.modes.flatMap((mode) => m.itemTypes.map((itemType) => ({ mode, itemType })));
}

const checked = API_TABLE.filter((m) => m.status !== "preview" && m.status !== "undocumented");

test("every table member exists in @types/office-js for each mode and item type it claims", () => {
  const problems: string[] = [];
  for (const m of checked) {
    for (const { mode, itemType } of combos(m)) {
      const r = resolve(m.path, mode, itemType);
      if (typeof r === "string") problems.push(`${m.path} [${mode} ${itemType}]: ${r}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(checked.length >= 150, `only ${checked.length} rows were checked`);
});

test("the table covers every member of the four Outlook item interfaces (directly or through its sub-members)", () => {
  const missing: string[] = [];
  for (const mode of MODES) {
    for (const itemType of ITEM_TYPES) {
      const iface = officeInterfaces().get(ITEM_INTERFACE[mode][itemType])!;
      for (const name of iface.members.keys()) {
        const path = `Office.context.mailbox.item.${name}`;
        const covered = API_TABLE.some(
          (m) => (m.path === path || m.path.startsWith(`${path}.`)) && m.modes.includes(mode) && m.itemTypes.includes(itemType),
        );
        if (!covered) missing.push(`${path} [${mode} ${itemType}]`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test("the table does not claim a mode or item type where the typings lack the member", () => {
  // Checked by the first test for direct members; this one adds the inverse for every Mailbox member.
  const mailbox = officeInterfaces().get("Office.Mailbox")!;
  const missing = [...mailbox.members.keys()].filter(
    (name) => !API_TABLE.some((m) => m.path === `Office.context.mailbox.${name}` || m.path.startsWith(`Office.context.mailbox.${name}.`)),
  );
  assert.deepEqual(missing, []);
});

test("requirement sets match the typings' [Api set] remarks, every overload", () => {
  const problems: string[] = [];
  for (const m of checked) {
    const sets = [m.requirementSet, ...(m.requirementSetVariants ?? []).map((v) => `Mailbox ${v.set}`)];
    for (const { mode, itemType } of combos(m)) {
      const r = resolve(m.path, mode, itemType);
      if (typeof r === "string") continue;
      for (const o of r.overloads) {
        if (o.requirementSet === undefined) {
          if (m.requirementSet !== "Mailbox 1.1") problems.push(`${m.path} [${mode} ${itemType}]: typings give no set (=1.1), table says ${m.requirementSet}`);
          continue;
        }
        // "Mailbox 1.1 for … , Mailbox 1.8 for …" / "All support Read mode; Mailbox 1.3 introduced Compose mode support"
        const named = [...o.requirementSet.matchAll(/Mailbox (1\.\d+|preview)/g)].map((x) => `Mailbox ${x[1]}`);
        if (/^All support/.test(o.requirementSet)) named.push("Mailbox 1.1");
        const missing = named.filter((n) => !sets.includes(n));
        if (missing.length) problems.push(`${m.path} [${mode} ${itemType}]: typings say "${o.requirementSet}", table has ${sets.join(", ")}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test("documentedTier matches the typings' 'Minimum permission level' remarks", () => {
  const problems: string[] = [];
  for (const m of checked) {
    for (const { mode, itemType } of combos(m)) {
      const r = resolve(m.path, mode, itemType);
      if (typeof r === "string" || r.minimumPermission === undefined) continue;
      const documented = TIER_LABEL[r.minimumPermission];
      if (documented !== m.documentedTier) problems.push(`${m.path} [${mode} ${itemType}]: typings say ${r.minimumPermission}, table says ${m.documentedTier}`);
    }
  }
  assert.deepEqual(problems, []);
});
