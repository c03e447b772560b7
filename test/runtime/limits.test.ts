/**
 * Generated from the permission table: every limit a row checks on its arguments, at the limit, just under it and just
 * over it — first against the measuring function alone, then through the real dispatch on a fresh draft, where over the
 * limit the member answers the error the row names (DataExceedsMaximumSize, NumberOfRecipientsExceeded …) and at the
 * limit the call succeeds. A new limit in the table is covered with no new test code.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { API_TABLE, ON_PREMISES_POLICY, officeErrorCode, OFFICE_ERRORS_BY_NAME, type ApiMember, type Limit } from "../../src/permissions/index.ts";
import { enforceLimits, limitError } from "../../src/runtime/members/limits.ts";
import { OfficeCallError } from "../../src/runtime/members/context.ts";
import { makeFixture } from "./fixtures.ts";
import { STORAGE_LIMIT_ROWS, storageLimitError } from "../../src/runtime/members/storage-limits.ts";
import type { StorageLimit } from "../../src/mailbox/index.ts";

const fx = await makeFixture();
after(() => fx.host.close());

const checked: { member: ApiMember; limit: Limit }[] = API_TABLE.flatMap((member) => (member.limits ?? []).filter((l) => l.check).map((limit) => ({ member, limit })));

/** Valid arguments for the member with the measured one of size `n` (a string of n characters, or n entries). */
function argsOf(member: ApiMember, limit: Limit, n: number): unknown[] {
  const c = limit.check!;
  const name = member.path.split(".").pop()!;
  const base: unknown[] =
    name === "addFileAttachmentAsync" ? ["data:text/plain,a", "a.txt"]
    : name === "addFileAttachmentFromBase64Async" ? ["QUJD", "a.txt"]
    : name === "addItemAttachmentAsync" ? [fx.message.id, "a.eml"]
    : ["x", { coercionType: "text" }];
  let value: unknown;
  if (c.measure === "count") value = Array.from({ length: n }, (_, i) => `u${i}@fabrikam.example`);
  else if (c.measure === "eachLength") value = c.field === "emailAddress" ? [`${"a".repeat(n - 16)}@fabrikam.example`.slice(-n)] : [{ emailAddress: "a@fabrikam.example", [c.field!]: "d".repeat(n) }];
  else if (name === "addFileAttachmentAsync" && c.arg === 0) value = `data:text/plain,${"a".repeat(n - 16)}`;
  else if (name === "addFileAttachmentFromBase64Async" && c.arg === 0) value = "A".repeat(n - (n % 4));
  else value = "x".repeat(n);
  const args = [...base];
  args[c.arg] = value;
  return args;
}

function measured(member: ApiMember, limit: Limit, n: number): number {
  const v = argsOf(member, limit, n)[limit.check!.arg];
  if (Array.isArray(v)) return limit.check!.measure === "count" ? v.length : Math.max(...v.map((e) => (typeof e === "string" ? e.length : String((e as Record<string, unknown>)[limit.check!.field!]).length)));
  return (v as string).length;
}

test("the table checks limits on the rows the reference names, each with a catalogue error", () => {
  assert.ok(checked.length >= 25, `only ${checked.length} checked limits`);
  for (const { member, limit } of checked) {
    assert.ok(limit.onExceed && OFFICE_ERRORS_BY_NAME.has(limit.onExceed), `${member.path} ${limit.what}: onExceed ${limit.onExceed} is not in the catalogue`);
  }
  const paths = new Set(checked.map((c) => c.member.path.split(".").slice(-2).join(".")));
  for (const p of ["body.setAsync", "body.appendOnSendAsync", "body.setSignatureAsync", "subject.setAsync", "to.addAsync", "to.setAsync", "item.addFileAttachmentFromBase64Async"]) assert.ok(paths.has(p), p);
});

for (const { member, limit } of checked) {
  test(`${member.path}: ${limit.what} ≤ ${limit.max} (measured)`, () => {
    for (const n of [limit.max - 1, limit.max]) {
      if (limit.check!.measure !== "count" && measured(member, limit, n) !== n && !member.path.endsWith("FromBase64Async")) assert.fail(`sample of ${n} measured ${measured(member, limit, n)}`);
      assert.doesNotThrow(() => enforceLimits(member.path, argsOf(member, limit, n)), `${n}`);
    }
    const over = argsOf(member, limit, limit.max + (member.path.endsWith("FromBase64Async") ? 4 : 1));
    assert.throws(() => enforceLimits(member.path, over), (e: unknown) => e instanceof OfficeCallError && e.error.code === officeErrorCode(limit.onExceed!));
  });
}

/** Session where the member is allowed: its tier, its first mode and item type, its supplementary permissions. */
async function sessionFor(member: ApiMember) {
  const itemType = member.itemTypes[0]!;
  const mode = member.modes[0]!;
  const item = itemType === "message"
    ? await fx.host.createItem(fx.mailbox, { subject: "Limits", bodyText: "", isDraft: true, to: [{ name: "", address: "bob@fabrikam.example" }] }, "drafts")
    : await fx.host.createItem(fx.mailbox, { itemType: "appointment", itemClass: "IPM.Appointment", subject: "Limits", start: new Date("2026-03-03T09:00:00Z"), end: new Date("2026-03-03T10:00:00Z"), bodyText: "Agenda" }, "calendar");
  const { client } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "limits", item, form: mode, tier: member.minTier, supplementary: member.supplementary?.permissions ?? [], tenant: ON_PREMISES_POLICY });
  return client;
}

/**
 * Not called at the limit: a 34,865,152-character Base64 string would store a 25 MB attachment (slow, and the
 * measuring test above covers it), and an item id of exactly 100 characters names no item (9031 for that reason).
 */
const AT_LIMIT_SKIPPED = new Set(["Office.context.mailbox.item.addFileAttachmentFromBase64Async", "Office.context.mailbox.item.addItemAttachmentAsync"]);

for (const { member, limit } of checked) {
  test(`${member.path}: ${limit.what} through the dispatch — at the limit ok, over it ${limit.onExceed}`, async () => {
    const client = await sessionFor(member);
    const bump = member.path.endsWith("FromBase64Async") ? 4 : 1;
    const over = await client.call(member.path, argsOf(member, limit, limit.max + bump));
    assert.equal(over.outcome, "failed", `${member.path} over ${limit.what}`);
    assert.deepEqual(over.error, limitError(limit).error);
    if (AT_LIMIT_SKIPPED.has(member.path) && limit.check!.arg === 0) return;
    const at = await client.call(member.path, argsOf(member, limit, limit.max));
    assert.equal(at.outcome, "ok", `${member.path} at ${limit.what} = ${limit.max}: ${JSON.stringify(at.error)} ${at.reason ?? ""}`);
  });
}

test("documented messages: body.setAsync over 1,000,000 characters, 101 recipients in one call, 501 in a field", async () => {
  const client = await sessionFor(API_TABLE.find((m) => m.path === "Office.context.mailbox.item.body.setAsync")!);
  const big = await client.call("Office.context.mailbox.item.body.setAsync", ["x".repeat(1_000_001), { coercionType: "text" }]);
  assert.deepEqual(big.error, { code: 2009, name: "DataExceedsMaximumSize", message: "The data parameter is longer than 1,000,000 characters." });
  const many = await client.call("Office.context.mailbox.item.to.addAsync", [Array.from({ length: 101 }, (_, i) => `u${i}@fabrikam.example`)]);
  assert.deepEqual(many.error, { code: 9012, name: "NumberOfRecipientsExceeded", message: "The number of recipients exceeded 100 entries." });
  for (let i = 0; i < 4; i++) assert.equal((await client.call("Office.context.mailbox.item.to.addAsync", [Array.from({ length: 100 }, (_, j) => `f${i}-${j}@fabrikam.example`)])).outcome, "ok");
  // 1 + 400 are in the field; 100 more make 501.
  const field = await client.call("Office.context.mailbox.item.to.addAsync", [Array.from({ length: 100 }, (_, j) => `g${j}@fabrikam.example`)]);
  assert.deepEqual(field.error, { code: 9012, name: "NumberOfRecipientsExceeded", message: "The number of recipients exceeded 500 entries." });
  const onSend = await (await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "limits", item: fx.message, form: "compose", tier: "ReadWriteItem", supplementary: ["AppendOnSend"], tenant: ON_PREMISES_POLICY })).client.call("Office.context.mailbox.item.body.appendOnSendAsync", ["x".repeat(5_001)]);
  assert.equal(onSend.error?.name, "DataExceedsMaximumSize");
});

test("HTML into a plain-text body answers InvalidFormatError; into an HTML body it is written", async () => {
  const client = await sessionFor(API_TABLE.find((m) => m.path === "Office.context.mailbox.item.body.setAsync")!);
  for (const m of ["setAsync", "setSelectedDataAsync", "setSignatureAsync"]) {
    const r = await client.call(`Office.context.mailbox.item.body.${m}`, ["<b>x</b>", { coercionType: "html" }]);
    assert.deepEqual(r.error, { code: 2006, name: "InvalidFormatError", message: "The format of the specified data object is not valid." }, m);
  }
  const html = await fx.host.createItem(fx.mailbox, { subject: "Html", bodyHtml: "<p>Hi</p>", isDraft: true }, "drafts");
  const { client: c2 } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "limits", item: html, form: "compose", tier: "ReadWriteItem", supplementary: [], tenant: ON_PREMISES_POLICY });
  assert.equal((await c2.call("Office.context.mailbox.item.body.setAsync", ["<b>x</b>", { coercionType: "html" }])).outcome, "ok");
});

test("every storage limit the store enforces maps to the error the table names for it, not one generic 9057", () => {
  const want: Record<StorageLimit, { code: number; name: string }> = {
    body: { code: 2009, name: "DataExceedsMaximumSize" },
    recipientsPerField: { code: 9012, name: "NumberOfRecipientsExceeded" },
    attachmentBytes: { code: 9000, name: "AttachmentSizeExceeded" },
    attachmentsPerItem: { code: 9001, name: "NumberOfAttachmentsExceeded" },
    internetHeadersBytes: { code: 9031, name: "InvalidParameterValueError" },
    customProperties: { code: 9031, name: "InvalidParameterValueError" },
    roamingSettings: { code: 9057, name: "Size Limit Exceeded" },
  };
  for (const [limit, w] of Object.entries(want) as Array<[StorageLimit, { code: number; name: string }]>) {
    const e = storageLimitError(limit);
    assert.deepEqual({ code: e.code, name: e.name }, w, limit);
    const [path, what] = STORAGE_LIMIT_ROWS[limit];
    assert.ok(API_TABLE.find((r) => r.path === path)?.limits?.some((l) => l.what === what), `${limit}: a limit of the table`);
  }
  assert.equal(storageLimitError("recipientsPerField").message, "The number of recipients exceeded 500 entries.");
});

test("storage limits through the dispatch: the 500th attachment, headers over 256 KB, a body grown past 1,000,000", async () => {
  const att = Array.from({ length: 499 }, (_, i) => ({ name: `a${i}.txt`, data: Buffer.from("x"), contentType: "text/plain" }));
  const full = await fx.host.createItem(fx.mailbox, { subject: "Full", bodyText: "x".repeat(999_990), isDraft: true, attachments: att }, "drafts");
  const { client } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "storage-limits", item: full, form: "compose", tier: "ReadWriteItem", supplementary: [], tenant: ON_PREMISES_POLICY });
  const more = await client.call("Office.context.mailbox.item.addFileAttachmentFromBase64Async", ["QUJD", "one-more.txt"]);
  assert.deepEqual(more.error, { code: 9001, name: "NumberOfAttachmentsExceeded", message: "The message or appointment has too many attachments." });
  const headers = await client.call("Office.context.mailbox.item.internetHeaders.setAsync", [{ "X-Big": "h".repeat(262_200) }]);
  assert.equal(headers.error?.name, "InvalidParameterValueError", JSON.stringify(headers));
  const grown = await client.call("Office.context.mailbox.item.body.prependAsync", ["y".repeat(20), { coercionType: "text" }]);
  assert.deepEqual(grown.error, { code: 2009, name: "DataExceedsMaximumSize", message: "The data parameter is longer than 1,000,000 characters." });
});
