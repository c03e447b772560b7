/**
 * Every enum and every Office.* namespace member @types/office-js declares exists in Outpost's office.js, with the
 * values the declarations give (office.js's own string values where @types declares none).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { installOffice } from "../../src/runtime/shim/office.ts";
import { readOfficeTypes } from "../../src/runtime/shim/office-types.ts";
import { OFFICE_ENUMS } from "../../src/runtime/shim/source.ts";

const types = await readOfficeTypes();

function officeObject(): any {
  const g: { Office?: any } = {};
  const shim = installOffice(g, { transport: async () => ({ outcome: "ok" }), notify: () => undefined, onError: (m) => assert.fail(m), enums: OFFICE_ENUMS }, { mode: "read", itemType: "message", hasItem: false, displayLanguage: "en-US", properties: {}, dates: [], methods: [], throws: {}, limits: {}, roamingSettings: {}, sync: {}, requirementSets: ["1.1"] });
  shim.start();
  shim.ready();
  return g.Office;
}

function at(root: any, path: string): any {
  return path.split(".").slice(1).reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), root);
}

test("office-enums.json is what @types/office-js declares (regenerate with src/runtime/shim/gen-enums.ts)", () => {
  assert.deepEqual(OFFICE_ENUMS, types.enums);
});

test("every enum of @types/office-js is in the shim with every member", () => {
  const Office = officeObject();
  assert.ok(Object.keys(types.enums).length >= 55);
  for (const [path, members] of Object.entries(types.enums)) {
    const e = at(Office, path);
    assert.ok(e && typeof e === "object", `${path} missing`);
    for (const [name, value] of Object.entries(members)) {
      assert.ok(name in e, `${path}.${name} missing`);
      if (typeof value === "string") assert.equal(e[name], value, `${path}.${name}`);
    }
  }
  // Values office.js uses where @types declares none.
  assert.equal(Office.EventType.DialogMessageReceived, "dialogMessageReceived");
  assert.equal(Office.EventType.InitializationContextChanged, "olkInitializationContextChanged");
  assert.equal(Office.AsyncResultStatus.Succeeded, "succeeded");
  assert.equal(Office.MailboxEnums.MoveSpamItemTo.JunkFolder, "junkFolder");
  assert.equal(Office.MailboxEnums.SendModeOverride.PromptUser, "promptUser");
  assert.equal(Office.MailboxEnums.CategoryColor.Preset3, "Preset3");
});

test("every Office.* namespace member of @types/office-js exists", () => {
  const Office = officeObject();
  assert.ok(types.members.includes("Office.actions") && types.members.includes("Office.onReady"));
  for (const path of types.members) assert.notEqual(at(Office, path), undefined, `${path} missing`);
  assert.equal(typeof Office.actions.associate, "function");
  assert.equal(typeof Office.context.ui.displayDialogAsync, "function");
  assert.equal(typeof Office.context.ui.messageParent, "function");
  assert.equal(typeof Office.context.ui.closeContainer, "function");
  assert.equal(typeof Office.cast.item.toItemRead, "function");
});

test("errors carry enumerable name, message and code (JSON.stringify keeps them)", async () => {
  const g: { Office?: any } = {};
  const shim = installOffice(g, { transport: async () => ({ outcome: "failed", error: { code: 9041, name: "AccessRestricted", message: "Nope." } }), notify: () => undefined, onError: (m) => assert.fail(m), enums: OFFICE_ENUMS }, { mode: "read", itemType: "message", hasItem: true, displayLanguage: "en-US", properties: {}, dates: [], methods: ["Office.context.mailbox.item.body.getAsync"], throws: {}, limits: {}, roamingSettings: {}, sync: {}, requirementSets: [] });
  shim.start();
  const r = await new Promise<any>((resolve) => g.Office.context.mailbox.item.body.getAsync("text", resolve));
  assert.deepEqual(JSON.parse(JSON.stringify(r.error)), { name: "AccessRestricted", message: "Nope.", code: 9041 });
});

test("Office.context.auth answers the documented SSO-not-configured error unless an extension installs it", async () => {
  const Office = officeObject();
  await assert.rejects(Office.context.auth.getAccessTokenAsync(), (e: any) => e.code === 13000 && typeof e.message === "string");
});
