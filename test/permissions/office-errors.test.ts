/** Office error codes as data: the codes the decision uses exist, messages fill in, thrown messages keep Outlook's form. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ERROR_CODES, OFFICE_ERRORS, THROWN_MESSAGES, elevatedPermissionMessage, officeError, thrownMessage } from "../../src/permissions/index.ts";

test("every code the decision uses is in the table, keyed by its own code", () => {
  for (const code of Object.values(ERROR_CODES)) assert.ok(OFFICE_ERRORS.has(code), String(code));
  for (const [code, info] of OFFICE_ERRORS) assert.equal(info.code, code);
});

test("codes and names of §8.2 carry over", () => {
  assert.deepEqual(officeError(9047), { code: 9047, name: "MissingExtendedPermissionsForAPIError", message: OFFICE_ERRORS.get(9047)!.message });
  assert.equal(officeError(9048).name, "TokenAccessDenied");
  assert.equal(officeError(7000).name, "Permission Denied");
  assert.equal(officeError(5004).name, "Invalid API Call");
  assert.equal(officeError(9042).name, "InternalServerError");
  assert.equal(officeError(9029).name, "CanOnlyGetTokenForSavedItem");
  for (let code = 9000; code <= 9014; code++) assert.ok(OFFICE_ERRORS.has(code), String(code));
});

test("placeholders are filled and unknown codes are a programming error", () => {
  assert.equal(officeError(9017, ["42"]).message, "Internal protocol error: '42'.");
  assert.equal(officeError(9017).message, "Internal protocol error: '{0}'.");
  assert.throws(() => officeError(1234), RangeError);
});

test("the synchronous permission errors keep Outlook's exact form", () => {
  assert.equal(elevatedPermissionMessage("body.setAsync"), "Elevated permission is required to call the method: 'body.setAsync'.");
  assert.equal(thrownMessage("itemIsNull", ["item.body.getAsync"]), "Invalid operation (item.body.getAsync) when Office.context.mailbox.item is null.");
  assert.equal(THROWN_MESSAGES.protectedMembers, "Elevated permission is required to access protected members of the JavaScript API for Office.");
  assert.equal(THROWN_MESSAGES.restTokenWithoutItem, officeError(9048).message);
});
